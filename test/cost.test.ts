import { describe, expect, it } from "vitest";
import { estimateCost, planCluster, renderJson, renderMarkdown, renderText, type ClusterSpec, type FleetSpec } from "gpu-cluster";
import * as catalog from "../lib/catalog/index.js";
import { splitIntoTiers } from "../lib/cost/estimate.js";
import { roundCents } from "../lib/cost/money.js";

const byCategory = (lines: { category: string; monthlyUsd: number }[], category: string) =>
  lines.filter((l) => l.category === category).map((l) => l.monthlyUsd);

describe("estimateCost", () => {
  it("prices 32 × p5.48xlarge on-demand in us-east-1 with Lustre and egress, to the cent", () => {
    const spec: ClusterSpec = {
      cloud: "aws",
      region: "us-east-1",
      gpu: { model: "H100", count: 256 },
      storage: [{ kind: "lustre", capacityTiB: 120, mountPath: "/data" }],
      egress: { internetTiBPerMonth: 20 },
    };
    const e = estimateCost(spec);
    // compute: 32 nodes × 730 h × $55.04 (p5.48xlarge, us-east-1, on-demand)
    expect(e.lines[0]).toMatchObject({ category: "compute", quantity: 23_360, unitPriceUsd: 55.04, monthlyUsd: 1_285_734.4 });
    // Lustre: 120 TiB = 122,880 GiB → FSx steps of 2,400 GiB → 124,800 GiB × $0.145
    expect(e.lines[1]).toMatchObject({ category: "storage", quantity: 124_800, monthlyUsd: 18_096 });
    // egress: first 10 TiB at $0.09/GiB, the next 10 TiB at $0.085/GiB
    expect(byCategory(e.lines, "egress")).toEqual([921.6, 870.4]);
    // NAT gateway: 730 h × $0.045, and 20,480 GiB processed × $0.045
    expect(byCategory(e.lines, "network")).toEqual([32.85, 921.6]);
    expect(e.monthlyUsd).toBe(1_306_576.85);
    expect(e.hourlyUsd).toBe(roundCents(1_306_576.85 / 730));
    expect(e.worstCaseMonthlyUsd).toBe(e.monthlyUsd);
    for (const line of e.lines) {
      expect(line.source.length).toBeGreaterThan(10);
      expect(line.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it("prices a fleet at replicas.min and checks the budget at replicas.max", () => {
    const spec: FleetSpec = {
      cloud: "aws",
      region: "us-east-1",
      gpu: { model: "L4" },
      replicas: { min: 2, max: 10 },
      budget: { monthlyUsd: 5_000, onExceed: "fail" },
    };
    const e = estimateCost(spec);
    expect(e.instanceType).toBe("g6.xlarge");
    // 2 × 730 h × $0.8048 = 1,175.008; NAT 730 × $0.045 = 32.85; ALB 730 × $0.0225 = 16.425 → 16.43
    expect(e.lines.map((l) => l.monthlyUsd)).toEqual([1175.01, 32.85, 16.43]);
    expect(e.monthlyUsd).toBe(1224.29);
    // at 10 replicas: 10 × 730 × $0.8048 = 5,875.04
    expect(e.worstCaseMonthlyUsd).toBe(5924.32); // 5,875.04 + 32.85 + 16.43
    expect(e.budget).toEqual({ monthlyUsd: 5000, onExceed: "fail", checkedUsd: 5924.32, withinBudget: false, overByUsd: 924.32 });
  });

  it("bills reserved capacity for every hour of the month and states the commitment", () => {
    const e = estimateCost({ cloud: "azure", region: "eastus", gpu: { model: "A100-80GB", nodes: 2 }, pricing: "reserved-1y", hoursPerMonth: 200 });
    const rate = catalog.price({ cloud: "azure", instanceType: "Standard_ND96amsr_A100_v4", region: "eastus", pricing: "reserved-1y" })!;
    expect(rate).toBeGreaterThan(0);
    expect(e.lines[0]!.quantity).toBe(2 * 730); // not 2 × 200: a reservation is paid whether used or not
    expect(e.lines[0]!.monthlyUsd).toBe(roundCents(2 * 730 * rate));
    expect(e.committedUsd).toBe(roundCents(e.lines[0]!.monthlyUsd * 12));
    expect(e.notes.join(" ")).toMatch(/committed spend/);
    expect(e.hourlyUsd).toBe(Math.round((e.monthlyUsd / 730) * 100) / 100); // billed for 730 h, not the 200 used
  });

  it("prices a capacity block for the hours booked", () => {
    const e = estimateCost({ cloud: "aws", region: "us-east-1", gpu: { model: "H100", nodes: 4 }, pricing: "capacity-block", reservationId: "cr-0123456789abcdef0", zone: "us-east-1a", hoursPerMonth: 336 });
    // 4 nodes × 336 h × $39.33 (capacity block rate, us-east-1)
    expect(e.lines[0]).toMatchObject({ quantity: 1344, unitPriceUsd: 39.33, monthlyUsd: 52_859.52 });
  });

  it("prices CoreWeave spot with no egress, NAT or load balancer charges", () => {
    const e = estimateCost({ cloud: "coreweave", region: "US-EAST-04", gpu: { model: "H100", count: 16 }, pricing: "spot", egress: { internetTiBPerMonth: 5 } });
    // 2 nodes × 730 h × $19.71
    expect(e.lines[0]!.monthlyUsd).toBe(28_776.6);
    expect(e.monthlyUsd).toBe(28_776.6);
    expect(byCategory(e.lines, "network")).toEqual([]);
  });

  it("uses a contract price over the catalog and says so", () => {
    const e = estimateCost({ cloud: "coreweave", region: "US-EAST-04", gpu: { model: "H100", count: 64 }, pricing: "reserved-1y", contractUsdPerHour: 30 });
    expect(e.lines[0]).toMatchObject({ monthlyUsd: 8 * 730 * 30, source: expect.stringMatching(/contract/) });
  });

  it("scales compute with hoursPerMonth", () => {
    const e = estimateCost({ cloud: "aws", region: "us-east-1", gpu: { model: "H100", nodes: 1 }, hoursPerMonth: 100, egress: { natGateway: false } });
    expect(e.lines.find((l) => l.category === "compute")!.monthlyUsd).toBe(5504);
    // Without a NAT gateway the VM cluster gets 7 interface VPC endpoints in its one zone: 7 × 730 h × 0.01 USD.
    expect(e.monthlyUsd).toBe(5555.1);
  });

  it("rejects an object that looks like a plan but is not one, with a SpecError", () => {
    expect(() => estimateCost({ instance: {}, placement: {} } as never)).toThrow(/plan: is not a complete Plan/);
  });

  it("accepts a plan as well as a spec, with the same result", () => {
    const spec: ClusterSpec = { cloud: "gcp", region: "us-east4", gpu: { model: "H100", count: 32 } };
    expect(estimateCost(planCluster(spec))).toEqual(estimateCost(spec));
  });
});

describe("managed Kubernetes", () => {
  it("adds a new cluster's control plane fee and system node pool, every hour of the month, on EKS, GKE and AKS; none on CoreWeave", () => {
    // Hand-computed system pools: 2 × m7i.large × 730 h × $0.1008 = $147.17; 3 × e2-standard-4 × 730 h × $0.15094164
    // (us-east4) = $330.56; 2 × Standard_D4ds_v5 × 730 h × $0.226 = $329.96.
    const cases = [
      ["aws", "us-east-1", "m7i.large", 2, 0.1008, 147.17],
      ["gcp", "us-east4", "e2-standard-4", 3, 0.15094164, 330.56],
      ["azure", "eastus", "Standard_D4ds_v5", 2, 0.226, 329.96],
    ] as const;
    for (const [cloud, region, systemType, systemNodes, usdPerHour, systemMonthly] of cases) {
      const vm = estimateCost({ cloud, region, gpu: { model: "H100", count: 16 } });
      const k8s = estimateCost({ cloud, region, gpu: { model: "H100", count: 16 }, orchestrator: "kubernetes" });
      const cluster = k8s.lines.filter((l) => l.category === "cluster");
      expect(cluster.map((l) => l.description)).toEqual([expect.stringMatching(/control plane/), `system node pool: ${systemNodes} × ${systemType}, on-demand, 730 h`]);
      expect(cluster[0]).toMatchObject({ quantity: 730, unitPriceUsd: 0.1, monthlyUsd: 73 });
      expect(cluster[1]).toMatchObject({ quantity: systemNodes * 730, unitPriceUsd: usdPerHour, monthlyUsd: systemMonthly });
      expect(cluster[1]!.source).toMatch(/^https:\/\//);
      expect(k8s.monthlyUsd).toBe(Math.round((vm.monthlyUsd + 73 + systemMonthly) * 100) / 100);
    }
    const coreweave = estimateCost({ cloud: "coreweave", region: "US-EAST-04", gpu: { model: "H100", count: 16 } });
    expect(coreweave.lines.some((l) => l.category === "cluster")).toBe(false);
  });

  it("adds nothing for an existing cluster, whose fee and system nodes are already paid", () => {
    const vm = estimateCost({ cloud: "aws", region: "us-east-1", gpu: { model: "H100", count: 16 } });
    const plan = planCluster({ cloud: "aws", region: "us-east-1", gpu: { model: "H100", count: 16 }, orchestrator: "kubernetes" });
    const existing = estimateCost({ ...plan, kubernetesCluster: "existing" as const });
    expect(existing.lines.some((l) => l.category === "cluster")).toBe(false);
    // The existing cluster's network is already there too: no NAT gateway hours (730 h × $0.045 = $32.85).
    expect(existing.lines.some((l) => /NAT gateway \(1\)/.test(l.description))).toBe(false);
    expect(existing.monthlyUsd).toBe(Math.round((vm.monthlyUsd - 32.85) * 100) / 100);
  });
});

describe("egress tiers", () => {
  it("splits 200 TiB across AWS's four tiers", () => {
    const split = splitIntoTiers(200 * 1024, catalog.egressTiers("aws"));
    expect(split.map((s) => s.gib / 1024)).toEqual([10, 40, 100, 50]);
    expect(split.map((s) => s.tier.usdPerGiB)).toEqual([0.09, 0.085, 0.07, 0.05]);
  });

  it("charges nothing for zero egress", () => {
    expect(splitIntoTiers(0, catalog.egressTiers("aws"))).toEqual([]);
  });
});

describe("renderers", () => {
  const e = estimateCost({ cloud: "aws", region: "us-east-1", gpu: { model: "H100", count: 16 }, budget: { monthlyUsd: 10_000, onExceed: "fail" } });

  it("text: a table with the total and the verdict", () => {
    const text = renderText(e);
    expect(text).toContain("2 × p5.48xlarge");
    expect(text).toContain("$80,391.25"); // 2 × 730 × 55.04 + NAT 32.85
    expect(text).toMatch(/OVER BUDGET \(fail\): \$80,391\.25\/month exceeds \$10,000\.00 by \$70,391\.25/);
  });

  it("markdown: a PR-comment table with sources", () => {
    const md = renderMarkdown(e);
    expect(md).toContain("| compute | 2 × p5.48xlarge (16 × H100), on-demand, 730 h | 1,460 instance-hour | $55.04 | $80,358.40 |");
    expect(md).toContain("❌");
    expect(md).toContain("<summary>price sources</summary>");
  });

  it("json: the estimate itself", () => {
    expect(JSON.parse(renderJson(e))).toEqual(e);
  });
});
