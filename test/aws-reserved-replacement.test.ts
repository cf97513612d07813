/**
 * Nodes in reserved capacity are replaced old-first (review session 28, F5). A targeted On-Demand Capacity Reservation
 * holds exactly the nodes bought, and "If the selected Capacity Reservation doesn't have enough available capacity for
 * the number of instances, the launch fails" (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/capacity-reservations-launch.html),
 * so the surge node of EKS's default update or of a launch-first instance refresh never starts. EKS: updateStrategy
 * MINIMAL ("terminates the old instances before launching the new instances",
 * https://docs.aws.amazon.com/eks/latest/APIReference/API_NodegroupUpdateConfig.html), as a capacity block already had.
 * VM fleets: MaxHealthyPercentage 100 (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html).
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { checkAwsOptions } from "../lib/clouds/aws/options.js";
import { one, run, privateEndpoint } from "./helpers/offline.js";

const ODCR = { reservationId: "cr-0123456789abcdef0", zone: "us-east-1a" };
const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const ASG = "aws:autoscaling/group:Group";

describe("reserved capacity: no surge on update", () => {
  it("EKS training on an ODCR: the GPU node group updates with MINIMAL, one node at a time", async () => {
    const result = await run(() => new gpu.TrainingCluster("odcr", privateEndpoint({ cloud: "aws", region: "us-east-1", orchestrator: "kubernetes", gpu: { instanceType: "p5.48xlarge", nodes: 4 }, ...ODCR }) as gpu.TrainingClusterArgs));
    expect(result.error).toBeUndefined();
    const gpuGroup = result.resources.filter((r) => r.type === NODE_GROUP).find((r) => r.name === "odcr-gpu-nodes")!;
    expect(gpuGroup.inputs.updateConfig).toEqual({ maxUnavailable: 1, updateStrategy: "MINIMAL" });
  });

  it("EKS training on on-demand capacity keeps EKS's default strategy (a new node first)", async () => {
    const result = await run(() => new gpu.TrainingCluster("od", privateEndpoint({ cloud: "aws", region: "us-east-1", orchestrator: "kubernetes", gpu: { instanceType: "p5.48xlarge", nodes: 4 } }) as gpu.TrainingClusterArgs));
    expect(result.error).toBeUndefined();
    expect(result.resources.find((r) => r.type === NODE_GROUP && r.name === "od-gpu-nodes")!.inputs.updateConfig).toEqual({ maxUnavailable: 1 });
  });

  it("VM fleet on an ODCR: instance refresh terminate-first (max 100 %, min 90 %), and the plan says so", async () => {
    const spec = { cloud: "aws" as const, region: "us-east-1", gpu: { model: "L4" as const }, replicas: { min: 2, max: 2 }, ...ODCR };
    const result = await run(() => new gpu.InferenceFleet("rfl", spec as gpu.InferenceFleetArgs));
    expect(result.error).toBeUndefined();
    expect(one(result, ASG).inputs.instanceRefresh).toEqual({ strategy: "Rolling", preferences: { minHealthyPercentage: 90, maxHealthyPercentage: 100, instanceWarmup: "1800" } });
    expect(checkAwsOptions(gpu.planFleet(spec), undefined)).toContain(
      "replacement: the replicas run in reservation cr-0123456789abcdef0, which has no room for an extra instance, so a launch template change (image, model, AMI, server flags) replaces them terminate-first (90% of the fleet kept in service where it has 10 or more replicas) instead of launching each new replica before retiring an old one",
    );
  });

  it("VM fleet on on-demand capacity keeps launch-first (min 100 %, max 200 %) and no note", async () => {
    const spec = { cloud: "aws" as const, region: "us-east-1", gpu: { model: "L4" as const }, replicas: { min: 2, max: 2 } };
    const result = await run(() => new gpu.InferenceFleet("fl", spec as gpu.InferenceFleetArgs));
    expect(result.error).toBeUndefined();
    expect(one(result, ASG).inputs.instanceRefresh.preferences).toEqual({ minHealthyPercentage: 100, maxHealthyPercentage: 200, instanceWarmup: "1800" });
    expect(checkAwsOptions(gpu.planFleet(spec), undefined).some((n) => n.startsWith("replacement:"))).toBe(false);
  });
});
