/**
 * The GPU nodes: one EKS managed node group sized by the bill's gpu-nodes item (lib/clouds/shared/bill.ts billedGpuNodeGroup; training: fixed;
 * inference: its nodes at replicas.min..max) from the EFA launch template, on the EKS-optimized accelerated AL2023 AMI
 * (NVIDIA driver and container toolkit preinstalled), labelled for the component's pods and tainted so nothing else lands on them. 8 or 1,024 nodes are
 * the same resources. And, for a cluster this component creates, a small system node group for the pods that must
 * not wait for GPU capacity (CoreDNS, the GPU Operator and Kueue controllers).
 */
import { eksGpuUpdateConfig } from "../replacement.js";
import { EKS_NODE_REPAIR } from "./node-health.js";
import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import * as eks from "@pulumi/aws/eks";
import { systemNodePool } from "../../../catalog/index.js";
import type { Plan } from "../../../planner/types.js";
import { capacityBlock, capacityBlockSchedule } from "../capacity-block.js";
import type { CompileContext } from "../../types.js";

/** Node label the GPU nodes carry (its value is the node group's pool name); the pods select it. */
import { POOL_LABEL } from "../../kubernetes/names.js";
import { billedGpuNodeGroup, billedItem, billedNodeDisk } from "../../shared/bill.js";
export { POOL_LABEL };
/** The GPU nodes' taint. `nvidia.com/gpu`: the GPU Operator's daemonsets already tolerate it. */
export const GPU_TAINT = { key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" } as const;
/** The same taint as the EKS API spells its effect. */
const EKS_TAINT_EFFECT = { NoSchedule: "NO_SCHEDULE" } as const;

/**
 * System node group: enough for CoreDNS, the operators' controllers and the EFA / GPU plugin webhooks. Its instance
 * type is the catalog's; its size and root volumes are the bill's (systemNodeGroup).
 */
export const SYSTEM_NODES = { instanceType: systemNodePool("aws").instanceType };

/** The accelerated AL2023 AMI type for the instance's architecture (Graviton GPU instances are ARM). */
export function gpuAmiType(plan: Plan): string {
  return /^(g5g|p6e-gb200)/.test(plan.instanceType) ? "AL2023_ARM_64_NVIDIA" : "AL2023_x86_64_NVIDIA";
}

function capacityType(plan: Plan): string {
  if (plan.pricing === "spot") return "SPOT";
  if (plan.pricing === "capacity-block") return "CAPACITY_BLOCK";
  return "ON_DEMAND";
}

export interface GpuNodeGroupInputs {
  clusterName: pulumi.Input<string>;
  nodeRoleArn: pulumi.Input<string>;
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  launchTemplate: ec2.LaunchTemplate;
  poolName: string;
  tags: Record<string, string>;
  dependsOn: pulumi.Resource[];
}

export function gpuNodeGroup(plan: Plan, ctx: CompileContext, inputs: GpuNodeGroupInputs): eks.NodeGroup {
  const block = plan.pricing === "capacity-block" && plan.reservationId !== undefined ? capacityBlock(plan, ctx) : undefined;
  // The bill's nodes: a training group's count (count..count), a fleet's packed nodes at replicas.min..max
  // (lib/planner/packing.ts). A block (training only: lib/planner/offering.ts) starts from 0.
  const nodes = billedGpuNodeGroup(plan, ctx.bill);
  const bounds = { min: block ? 0 : nodes.count, max: nodes.maxCount };
  // A block takes no nodes before it starts: zero then, and the block-start schedule adds them; while it runs, its
  // count (capacity-block.ts: `sizeWhen`, and why desiredSize is not left to the schedules alone), with the clock read
  // once the cluster and launch template are in place, right before the node group's put.
  const desired = block ? block.sizeWhen([inputs.clusterName, inputs.launchTemplate.latestVersion]) : nodes.count;
  const group = new eks.NodeGroup(
    `${ctx.name}-gpu-nodes`,
    {
      clusterName: inputs.clusterName,
      nodeRoleArn: inputs.nodeRoleArn,
      subnetIds: inputs.subnetIds,
      amiType: gpuAmiType(plan),
      capacityType: capacityType(plan),
      launchTemplate: { id: inputs.launchTemplate.id, version: inputs.launchTemplate.latestVersion.apply(String) },
      scalingConfig: { minSize: bounds.min, maxSize: bounds.max, desiredSize: desired },
      // Replace one node at a time: a training job loses at most one rank per step of an update. A capacity block or
      // an On-Demand Capacity Reservation holds exactly its nodes, so the default strategy's new node before the old
      // one's end cannot launch: MINIMAL ends the old node first (../replacement.ts has the sources). AWS still asks
      // that a capacity block's group be upgraded at desired size 0 (capacity-blocks-mng.html): the plan note says so.
      updateConfig: eksGpuUpdateConfig(plan),
      // A node the monitoring agent reports unhealthy (GPU, EFA, kernel) is repaired or replaced.
      nodeRepairConfig: EKS_NODE_REPAIR,
      labels: { [POOL_LABEL]: inputs.poolName },
      taints: [{ key: GPU_TAINT.key, value: GPU_TAINT.value, effect: EKS_TAINT_EFFECT[GPU_TAINT.effect] }],
      tags: inputs.tags,
    },
    // The cluster autoscaler moves a fleet's desiredSize; `up` should not undo it.
    { parent: ctx.parent, dependsOn: inputs.dependsOn, ...(plan.workload === "inference" ? { ignoreChanges: ["scalingConfig.desiredSize"] } : {}) },
  );
  // A capacity block, as the EKS user guide prescribes (https://docs.aws.amazon.com/eks/latest/userguide/capacity-blocks-mng.html,
  // awsdocs/amazon-eks-user-guide latest/ug/ml/capacity-blocks-mng.adoc @0a7189e, read 2026-12-01): created at desired
  // size 0, then scaled up by "a scheduled scaling policy for the ASG that aligns to the Capacity Block reservation start
  // time" on the node group's own Auto Scaling group (which EKS names). The scale-down before the block ends is ours as
  // on VMs: EKS adds its own, but is not documented to move it to the next block (capacity-block-rules.ts).
  if (block) capacityBlockSchedule(plan, ctx, block, group.resources.apply((r) => r?.[0]?.autoscalingGroups?.[0]?.name ?? ""));
  return group;
}

/**
 * The system node group of a cluster the component creates, from the bill: its `system-nodes` item (count, and
 * maxCount, the most the cluster autoscaler may grow it to) and its `system` node-disk item (root volume size and type).
 */
export function systemNodeGroup(
  ctx: CompileContext,
  inputs: Omit<GpuNodeGroupInputs, "launchTemplate" | "poolName">,
): eks.NodeGroup {
  const nodes = billedItem(ctx.bill, "system-nodes", "the EKS system node group");
  const disk = billedNodeDisk(ctx.bill, "system", "the EKS system nodes' root volumes");
  const launchTemplate = new ec2.LaunchTemplate(
    `${ctx.name}-system-lt`,
    {
      metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
      blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: disk.sizeGiB, volumeType: disk.diskType, encrypted: "true", deleteOnTermination: "true" } }],
      tagSpecifications: [{ resourceType: "instance", tags: inputs.tags }],
      tags: inputs.tags,
      updateDefaultVersion: true,
    },
    { parent: ctx.parent },
  );
  return new eks.NodeGroup(
    `${ctx.name}-system-nodes`,
    {
      clusterName: inputs.clusterName,
      nodeRoleArn: inputs.nodeRoleArn,
      subnetIds: inputs.subnetIds,
      amiType: "AL2023_x86_64_STANDARD",
      instanceTypes: [SYSTEM_NODES.instanceType],
      launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
      scalingConfig: { minSize: nodes.count, maxSize: nodes.maxCount ?? nodes.count, desiredSize: nodes.count },
      labels: { "gpu-cluster/role": "system" },
      tags: inputs.tags,
    },
    { parent: ctx.parent, dependsOn: inputs.dependsOn },
  );
}
