/**
 * CoreWeave's cost notes say only what its bill holds. Its pricing page lists no NAT gateway, load balancer or data
 * transfer charge ('Egress and IOPS: Free'; networking: Public IP $4 per IP-month, BYOIP, Direct Connect), as the
 * catalog records with its sources (lib/catalog/data/coreweave.ts network row and $0 egress tier; fees.ts publicIp).
 */
import { describe, expect, it } from "vitest";
import { estimateCost } from "gpu-cluster";

const TRAFFIC = "traffic: CoreWeave bills no NAT gateway, load balancer usage or data transfer (egress is free), so the egress traffic figures add nothing to this estimate";

describe("CoreWeave cost notes", () => {
  it("training: one traffic note, no NAT pull default, no NAT or load balancer line, and egress adds $0", () => {
    const e = estimateCost({ cloud: "coreweave", region: "US-EAST-04", gpu: { instanceType: "gd-8xh100ib-i128", nodes: 8 }, egress: { internetTiBPerMonth: 2 } });
    expect(e.notes.filter((n) => n.startsWith("traffic:"))).toEqual([TRAFFIC]);
    expect(e.notes.join("\n")).not.toMatch(/NAT priced|load balancer usage priced/);
    expect(e.lines.map((l) => l.category).sort()).toEqual(["compute", "egress"]);
    // 8 nodes x 730 h x $49.24 = $287,561.60; the 2 TiB of egress is a $0 line.
    expect(e.lines.find((l) => l.category === "egress")!.monthlyUsd).toBe(0);
    expect(e.monthlyUsd).toBeCloseTo(287_561.6, 2);
  });

  it("an internal fleet has no load balancer note; an internet-facing one names only its public address, priced $4 as its line", () => {
    const internal = estimateCost({ cloud: "coreweave", region: "US-EAST-04", gpu: { model: "L40S" }, replicas: { min: 2, max: 6 } });
    expect(internal.notes.filter((n) => n.startsWith("traffic:"))).toEqual([TRAFFIC]);
    expect(internal.notes.join("\n")).not.toContain("load balancer usage priced");
    const pub = estimateCost({ cloud: "coreweave", region: "US-EAST-04", gpu: { model: "L40S" }, replicas: { min: 2, max: 6 }, loadBalancer: "internet-facing" });
    expect(pub.notes.filter((n) => n.startsWith("traffic:"))).toEqual([`${TRAFFIC}; the internet-facing LoadBalancer Service is billed for its public IPv4 address only (4 USD a month, its own line)`]);
    const ip = pub.lines.find((l) => l.description.startsWith("public IPv4"))!;
    expect(ip.monthlyUsd).toBe(4);
    expect(pub.lines.filter((l) => l.category === "network")).toHaveLength(1);
  });

  it("other clouds keep their NAT pull note (AWS)", () => {
    const aws = estimateCost({ cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 } });
    expect(aws.notes.join("\n")).toContain("inbound pulls through the NAT priced at the default 50 GiB per node a month");
    expect(aws.notes.join("\n")).not.toContain("CoreWeave");
  });
});
