/**
 * Address space (https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html: 5 reserved per subnet; an `efa`
 * interface carries an ENA address, an `efa-only` one none, https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/efa-acc-inst-types.html,
 * read 2026-11-30: every multi-card EFA type takes one address per node, its extra cards being efa-only).
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { addressesPerNode, addressFit } from "../lib/clouds/aws/address-space.js";
import { run, privateEndpoint } from "./helpers/offline.js";

const plan = (instanceType: string, nodes: number, orchestrator: "vm" | "kubernetes" = "vm") =>
  ({ ...gpu.planCluster({ cloud: "aws", region: "us-east-1", gpu: { instanceType, nodes } }), orchestrator });

describe("GPU subnet address space", () => {
  it("counts one address per interface that has one: p5, p5en, p6-b200 (efa-only extras) 1, L4 1; EKS adds a 20-address pod pool", () => {
    expect(addressesPerNode(plan("p5.48xlarge", 2))).toBe(1);
    expect(addressesPerNode(plan("p5en.48xlarge", 2))).toBe(1);
    expect(addressesPerNode(plan("p6-b200.48xlarge", 2))).toBe(1);
    expect(addressesPerNode(plan("g6.xlarge", 2))).toBe(1);
    expect(addressesPerNode(plan("p5en.48xlarge", 2, "kubernetes"))).toBe(21);
  });

  it("P6-B300 (card 0 an ENA `interface`, cards 1-16 efa-only) takes 1 address per VM, 21 per EKS node", () => {
    expect(addressesPerNode(plan("p6-b300.48xlarge", 2))).toBe(1);
    expect(addressesPerNode(plan("p6-b300.48xlarge", 2, "kubernetes"))).toBe(21);
  });

  it("an instance whose extra cards took `efa` interfaces would take one address per card (16 on p5en)", () => {
    const p = plan("p5en.48xlarge", 2);
    expect(addressesPerNode({ ...p, instance: { ...p.instance, efaOnlyInterfaces: false } })).toBe(16);
  });

  it("1,000 p5en VMs fit the /22 GPU subnet of a /21 VPC (1,000 of 1,019)", () => {
    expect(addressFit(plan("p5en.48xlarge", 1000), 21)).toMatchObject({ needed: 1000, usable: 1019, fittingVpcPrefix: 21 });
  });

  it("a /20 VPC is too small for 3,000 p5en VMs: SpecError on aws.vpcCidr naming the /19 that fits", async () => {
    const result = await run(
      () => new gpu.TrainingCluster("big", { cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5en.48xlarge", nodes: 3000 }, aws: { vpcCidr: "10.0.0.0/20" } }),
    );
    expect(result.error).toMatchObject({ name: "SpecError", path: "aws.vpcCidr" });
    expect(String(result.error)).toContain("3000 addresses, more than the 2043 usable");
    expect(String(result.error)).toContain("aws.vpcCidr: '10.0.0.0/19'");
  });

  it("2,000 p5en nodes on EKS (21 addresses each) exceed even a /16: SpecError on gpu with the most nodes that fit (1557)", async () => {
    const result = await run(
      () => new gpu.TrainingCluster("huge", privateEndpoint({ cloud: "aws", region: "us-east-1", orchestrator: "kubernetes", gpu: { instanceType: "p5en.48xlarge", nodes: 2000 } } as gpu.TrainingClusterArgs)),
    );
    expect(result.error).toMatchObject({ name: "SpecError", path: "gpu" });
    expect(String(result.error)).toContain("at most 1557 nodes");
  });

  it("your own VPC is yours to size: no check", async () => {
    const result = await run(
      () => new gpu.TrainingCluster("byo", { cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5en.48xlarge", nodes: 1000 }, aws: { vpcId: "vpc-1", subnetIds: ["subnet-1"] } }),
    );
    expect(result.error).toBeUndefined();
  });
});
