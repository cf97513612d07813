/**
 * Address space (https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html: 5 reserved per subnet; p5en's 16
 * EFA interfaces each carry an ENA address, https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/efa-acc-inst-types.html).
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { addressesPerNode, addressFit } from "../lib/clouds/aws/address-space.js";
import { run, privateEndpoint } from "./helpers/offline.js";

const plan = (instanceType: string, nodes: number, orchestrator: "vm" | "kubernetes" = "vm") =>
  ({ ...gpu.planCluster({ cloud: "aws", region: "us-east-1", gpu: { instanceType, nodes } }), orchestrator });

describe("GPU subnet address space", () => {
  it("counts one address per interface that has one: p5 (efa-only extras) 1, p5en 16, L4 1; EKS adds a 20-address pod pool", () => {
    expect(addressesPerNode(plan("p5.48xlarge", 2))).toBe(1);
    expect(addressesPerNode(plan("p5en.48xlarge", 2))).toBe(16);
    expect(addressesPerNode(plan("g6.xlarge", 2))).toBe(1);
    expect(addressesPerNode(plan("p5en.48xlarge", 2, "kubernetes"))).toBe(36);
  });

  it("1,000 p5en VMs fit the /17 GPU subnet of a /16 VPC (16,000 of 32,763)", () => {
    expect(addressFit(plan("p5en.48xlarge", 1000), 16)).toMatchObject({ needed: 16000, usable: 32763, fittingVpcPrefix: 17 });
  });

  it("a /18 VPC is too small for 1,000 p5en VMs: SpecError on aws.vpcCidr naming the /17 that fits", async () => {
    const result = await run(
      () => new gpu.TrainingCluster("big", { cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5en.48xlarge", nodes: 1000 }, aws: { vpcCidr: "10.0.0.0/18" } }),
    );
    expect(result.error).toMatchObject({ name: "SpecError", path: "aws.vpcCidr" });
    expect(String(result.error)).toContain("16000 addresses, more than the 8187 usable");
    expect(String(result.error)).toContain("aws.vpcCidr: '10.0.0.0/17'");
  });

  it("1,000 p5en nodes on EKS (36 addresses each) exceed even a /16: SpecError on gpu with the most nodes that fit (908)", async () => {
    const result = await run(
      () => new gpu.TrainingCluster("huge", privateEndpoint({ cloud: "aws", region: "us-east-1", orchestrator: "kubernetes", gpu: { instanceType: "p5en.48xlarge", nodes: 1000 } } as gpu.TrainingClusterArgs)),
    );
    expect(result.error).toMatchObject({ name: "SpecError", path: "gpu" });
    expect(String(result.error)).toContain("at most 908 nodes");
  });

  it("your own VPC is yours to size: no check", async () => {
    const result = await run(
      () => new gpu.TrainingCluster("byo", { cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5en.48xlarge", nodes: 1000 }, aws: { vpcId: "vpc-1", subnetIds: ["subnet-1"] } }),
    );
    expect(result.error).toBeUndefined();
  });
});
