import { beforeAll, describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { allowedCapacity, awsEfaInterfaces, componentBudget, fullFabric, gpuClusterPolicies, stackBudget } from "gpu-cluster/policy";
import type { OfflineRun, RecordedResource } from "../lib/preview/offline.js";
import { estimateCost } from "../lib/cost/estimate.js";
import type { Plan } from "../lib/planner/types.js";
import { run, T } from "./helpers/offline.js";
import { stackViolationsOf, violationsOf } from "./helpers/policy.js";

let stack: OfflineRun;
const component = (name: string): RecordedResource => stack.resources.find((r) => r.name === name && !r.custom)!;

beforeAll(async () => {
  // One real program with two components: 4 × p5 on-demand for training, an L4 fleet up to 10 replicas.
  stack = await run(() => {
    new gpu.TrainingCluster("train", { cloud: "aws", region: "us-east-1", gpu: { model: "H100", count: 32 } });
    new gpu.InferenceFleet("serve", { cloud: "aws", region: "us-east-1", gpu: { model: "L4" }, replicas: { min: 2, max: 10 } });
    new gpu.TrainingCluster("tcp", { cloud: "aws", region: "us-east-1", gpu: { model: "H100", count: 16 }, fabric: "none" });
  });
  expect(stack.error).toBeUndefined();
});

describe("policy pack", () => {
  it("registers the plan and the cost estimate as the components' inputs", () => {
    expect(component("train").type).toBe(T.training);
    expect(component("train").inputs.costEstimate.monthlyUsd).toBe(stack.costEvents[0]!.estimate.monthlyUsd);
    expect(component("train").inputs.plan.instanceType).toBe("p5.48xlarge");
    // ...and as its outputs, which is what stack policies are given
    expect(component("train").outputs.costEstimate).toEqual(component("train").inputs.costEstimate);
    expect(component("train").outputs.nodeGroupId).toBe("train-nodes-offline");
  });

  it("component budget: passes under the limit, reports the overage over it", async () => {
    const train = component("train");
    // 4 × 730 h × $55.04 = $160,716.80 + NAT $32.85 + root volumes 4 × 200 GiB × $0.08 = $64 + pulls 200 GiB × $0.045
    // = $9 + the NAT's IP $3.65 + the SSH key's secret $0.40 and KMS key $1.00
    expect(train.inputs.costEstimate.monthlyUsd).toBe(160_827.7);
    expect(await violationsOf(componentBudget, train, { maxMonthlyUsd: 200_000 })).toEqual([]);
    expect(await violationsOf(componentBudget, train, { maxMonthlyUsd: 150_000 })).toEqual([
      "train costs $160,827.70/month, over the policy limit of $150,000.00 by $10,827.70; largest line: 4 × p5.48xlarge (32 × H100), on-demand, 730 h $160,716.80",
    ]);
  });

  it("component budget checks a fleet at max replicas", async () => {
    const serve = component("serve");
    // at 10 replicas: 10 × 730 h × $0.8048 = $5,875.04 + NAT $32.85 + ALB $16.43 + root volumes 10 × 200 GiB × $0.08
    // = $160 + pulls 500 GiB × $0.045 = $22.50 + the NAT's IP $3.65 + half the pulls across zones 250 GiB × $0.02 = $5
    // + ALB capacity units 1,000 GiB × $0.008 = $8
    expect(await violationsOf(componentBudget, serve, { maxMonthlyUsd: 5_000 })).toEqual([
      "serve costs $6,123.47/month, over the policy limit of $5,000.00 by $1,123.47; largest line: 10 × g6.xlarge (10 × L4), on-demand, 730 h $5,875.04",
    ]);
  });

  it("stack budget sums every component of the stack", async () => {
    const total = 160_827.7 + 6_123.47 + 80_432.8; // train + serve (worst case) + tcp (2 × p5); each training cluster's SSH key secret and KMS key $1.40
    expect(await stackViolationsOf(stackBudget, stack.resources, { maxStackMonthlyUsd: 300_000 })).toEqual([]);
    const violations = await stackViolationsOf(stackBudget, stack.resources, { maxStackMonthlyUsd: 200_000 });
    expect(violations).toHaveLength(1);
    expect(violations[0]).toContain(`GPU spend of this stack is $${total.toLocaleString("en-US", { minimumFractionDigits: 2 })}/month`);
  });

  it("allowed capacity: clouds, GPU models, pricing and on-demand node caps", async () => {
    const train = component("train");
    expect(await violationsOf(allowedCapacity, train, { allowedClouds: ["aws"], allowedGpuModels: ["H100"], maxOnDemandNodes: 4 })).toEqual([]);
    expect(await violationsOf(allowedCapacity, train, { allowedClouds: ["coreweave"], allowedPricing: ["reserved-1y"], maxOnDemandNodes: 2 })).toEqual([
      "train runs on aws; allowed clouds: coreweave",
      "train is priced on-demand; allowed pricing: reserved-1y",
      "train runs 4 on-demand p5.48xlarge nodes, more than the 2 allowed; use a reservation, a capacity block or spot",
    ]);
  });

  it("full fabric: flags a multi-node training cluster that opted out of EFA", async () => {
    expect(await violationsOf(fullFabric, component("train"))).toEqual([]);
    expect(await violationsOf(fullFabric, component("tcp"))).toEqual([
      'tcp gives its 2 × p5.48xlarge nodes 0 of 32 efa NICs; collectives would run over TCP. Remove fabric: "none".',
    ]);
    expect(await violationsOf(fullFabric, component("tcp"), { requireFullFabric: false })).toEqual([]);
  });

  it("EFA launch templates: ours attach all 32 interfaces; one without them is reported", async () => {
    const ours = stack.resources.find((r) => r.name === "train-lt")!;
    expect(await violationsOf(awsEfaInterfaces, ours)).toEqual([]);
    const withoutEfa = stack.resources.find((r) => r.name === "tcp-lt")!;
    expect(await violationsOf(awsEfaInterfaces, withoutEfa)).toEqual(["tcp-lt: p5.48xlarge supports 32 EFA interfaces but the launch template attaches 0"]);
  });

  it("EFA launch templates: an EFA on P6-B300's card 0 (ENA only) is reported; ours is not", async () => {
    // aws/aws-parallelcluster issue #7143 (2025-12-06, AWS engineering): P6-B300's network card 0 supports only ENA.
    const b300 = await run(() => {
      new gpu.TrainingCluster("b300", { cloud: "aws", region: "us-east-1", gpu: { model: "B300", count: 16 } });
    });
    expect(b300.error).toBeUndefined();
    const ours = b300.resources.find((r) => r.name === "b300-lt")!;
    expect(ours.inputs.networkInterfaces).toHaveLength(17);
    expect(await violationsOf(awsEfaInterfaces, ours)).toEqual([]);
    const efaOnCard0 = {
      ...ours,
      inputs: {
        ...ours.inputs,
        networkInterfaces: ours.inputs.networkInterfaces.map((ni: Record<string, unknown>, i: number) => (i === 0 ? { ...ni, interfaceType: "efa" } : ni)),
      },
    };
    expect(await violationsOf(awsEfaInterfaces, efaOnCard0)).toEqual([
      "b300-lt: p6-b300.48xlarge's network card 0 carries no EFA, but the launch template puts one there; the launch fails. Put an ordinary interface on card 0 and the EFAs on cards 1-16",
    ]);
  });

  it("exports five policies with unique names", () => {
    expect(new Set(gpuClusterPolicies.map((p) => p.name)).size).toBe(5);
  });
});

describe("budget policies cannot be talked down", () => {
  let gamed: OfflineRun;
  beforeAll(async () => {
    gamed = await run(() => {
      // Always-on node groups with hoursPerMonth: 1 and a made-up contract price.
      new gpu.TrainingCluster("cheap", { cloud: "aws", region: "us-east-1", gpu: { model: "H100", count: 16 }, hoursPerMonth: 1 });
      // The same, with an option that changes the bill (lib/cost/bom/aws-vm.ts: the GPU nodes' root volume size).
      new gpu.TrainingCluster("big-disks", { cloud: "aws", region: "us-east-1", gpu: { model: "H100", count: 16 }, hoursPerMonth: 1, aws: { rootVolumeGiB: 1000 } });
      new gpu.TrainingCluster("contract", { cloud: "aws", region: "us-east-1", gpu: { model: "H100", count: 16 }, contractUsdPerHour: 0.01 });
      new gpu.TrainingCluster("quoted-lustre", {
        cloud: "azure",
        region: "eastus",
        gpu: { model: "H100", count: 16 },
        // Azure Managed Lustre is zonal: a Lustre plan pins the zone it and the nodes share.
        zone: "1",
        storage: [{ kind: "lustre", capacityTiB: 16, contractUsdPerGiBMonth: 0.2 }],
        azure: { sshPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGpuY2x1c3RlcnRlc3RrZXlub3RyZWFsMDAwMDAwMDA0 ops@example" },
      });
    });
    expect(gamed.error).toBeUndefined();
  });
  const named = (name: string) => gamed.resources.find((r) => r.name === name && !r.custom)!;

  it("prices always-on capacity at 730 h whatever hoursPerMonth says", async () => {
    // NAT 32.85 + 2 nodes × 1 h × $55.04 + their root volumes 2 × 200 GiB × $0.08 × 1/730 h = 0.04 + pulls 100 GiB ×
    // $0.045 = 4.50 + the NAT's IP 3.65 + the SSH key's secret 0.40 and KMS key 1.00 (billed by the month)
    expect(named("cheap").inputs.costEstimate.monthlyUsd).toBe(152.52);
    // 2 × 730 h × $55.04 = $80,358.40 + NAT $32.85 + root volumes $32 + pulls $4.50 + IP $3.65 + SSH key $1.40
    expect(await violationsOf(componentBudget, named("cheap"), { maxMonthlyUsd: 10_000 })).toEqual([
      "cheap costs $80,432.80/month, over the policy limit of $10,000.00 by $70,432.80; largest line: 2 × p5.48xlarge (16 × H100), on-demand, 730 h $80,358.40",
    ]);
    expect(await violationsOf(componentBudget, named("cheap"), { maxMonthlyUsd: 10_000, trustHoursPerMonth: true })).toEqual([]);
    expect(await stackViolationsOf(stackBudget, [named("cheap")], { maxStackMonthlyUsd: 10_000 })).toHaveLength(1);
  });

  it("prices always-on capacity with the component's own cloud options, as the component priced it", async () => {
    const bigDisks = named("big-disks");
    // 2 × 730 h × $55.04 = $80,358.40 + NAT $32.85 + root volumes 2 × 1,000 GiB × $0.08 = $160 + pulls $4.50 + IP $3.65
    // + the cluster SSH key's Secrets Manager secret $0.40 and KMS key $1.00
    const atFullMonth = estimateCost({ ...(bigDisks.inputs.plan as Plan), hoursPerMonth: 730 }, { rootVolumeGiB: 1000 });
    expect(atFullMonth.worstCaseMonthlyUsd).toBe(80_560.8);
    expect(bigDisks.inputs.costEstimate.alwaysOn.worstCaseMonthlyUsd).toBe(atFullMonth.worstCaseMonthlyUsd);
    expect(bigDisks.inputs.costEstimate.alwaysOn.worstCaseLines).toEqual(atFullMonth.lines);
    expect(await violationsOf(componentBudget, bigDisks, { maxMonthlyUsd: 10_000 })).toEqual([
      "big-disks costs $80,560.80/month, over the policy limit of $10,000.00 by $70,560.80; largest line: 2 × p5.48xlarge (16 × H100), on-demand, 730 h $80,358.40",
    ]);
    // Stack policies read the outputs, which carry the same estimate.
    expect(await stackViolationsOf(stackBudget, [bigDisks], { maxStackMonthlyUsd: 10_000 })).toEqual([
      "GPU spend of this stack is $80,560.80/month (big-disks $80,560.80), over the limit of $10,000.00",
    ]);
    // At 730 h or more the worst case is already the always-on figure: nothing extra is carried.
    expect(component("train").inputs.costEstimate.alwaysOn).toBeUndefined();
  });

  it("re-prices a component recorded without the always-on figure (an older gpu-cluster), and says the options were left out", async () => {
    const bigDisks = named("big-disks");
    const { alwaysOn: _, ...older } = bigDisks.inputs.costEstimate;
    const recorded = { ...bigDisks, inputs: { ...bigDisks.inputs, costEstimate: older }, outputs: { ...bigDisks.outputs, costEstimate: older } };
    // Without the options the root volumes are the default 200 GiB: $32 instead of $160, so $80,432.80.
    const reason =
      "re-priced at 730 h without the component's cloud options, because the gpu-cluster version that recorded it does not record its always-on figure " +
      "(costEstimate.alwaysOn); lines those options change (an existing VPC or cluster, disk sizes) may differ: upgrade gpu-cluster in the program";
    expect(await violationsOf(componentBudget, recorded, { maxMonthlyUsd: 10_000 })).toEqual([
      `big-disks costs $80,432.80/month, over the policy limit of $10,000.00 by $70,432.80; largest line: 2 × p5.48xlarge (16 × H100), on-demand, 730 h $80,358.40 (${reason})`,
    ]);
    expect(await stackViolationsOf(stackBudget, [recorded], { maxStackMonthlyUsd: 10_000 })).toEqual([
      `GPU spend of this stack is $80,432.80/month (big-disks $80,432.80 (${reason})), over the limit of $10,000.00`,
    ]);
  });

  it("can forbid contract prices the catalog cannot check", async () => {
    expect(await violationsOf(allowedCapacity, named("contract"), { allowContractPrices: false })).toEqual([
      "contract is priced with a contract rate of $0.01/h from the spec; this stack must use catalog prices",
    ]);
    expect(await violationsOf(allowedCapacity, named("contract"))).toEqual([]);
    expect(await violationsOf(allowedCapacity, named("quoted-lustre"), { allowContractPrices: false })).toEqual([
      "quoted-lustre prices its lustre storage (Azure Managed Lustre AMLFS-Durable-Premium-125) at a contract rate of $0.20/GiB-month from the spec; this stack must use catalog prices",
    ]);
  });
});
