/**
 * The GPU nodes: one EKS managed node group of plan.nodeCount (training: fixed; inference: replicas.min..max) from
 * the EFA launch template, on the EKS-optimized accelerated AL2023 AMI (NVIDIA driver and container toolkit
 * preinstalled), labelled for the component's pods and tainted so nothing else lands on them. 8 or 1,024 nodes are
 * the same resources. And, for a cluster this component creates, a small system node group for the pods that must
 * not wait for GPU capacity (CoreDNS, the GPU Operator and Kueue controllers).
 */
import * as pulumi from "@pulumi/pulumi";
import * as autoscaling from "@pulumi/aws/autoscaling";
import * as ec2 from "@pulumi/aws/ec2";
import * as eks from "@pulumi/aws/eks";
import { systemNodePool } from "../../../catalog/index.js";
import type { Plan } from "../../../planner/types.js";
import type { CompileContext } from "../../types.js";

/** Node label the GPU nodes carry (its value is the node group's pool name); the pods select it. */
import { POOL_LABEL } from "../../kubernetes/names.js";
export { POOL_LABEL };
/** The GPU nodes' taint. `nvidia.com/gpu`: the GPU Operator's daemonsets already tolerate it. */
export const GPU_TAINT = { key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" } as const;
/** The same taint as the EKS API spells its effect. */
const EKS_TAINT_EFFECT = { NoSchedule: "NO_SCHEDULE" } as const;

/** System node group: enough for CoreDNS, the operators' controllers and the EFA / GPU plugin webhooks. */
export const SYSTEM_NODES = { instanceType: systemNodePool("aws").instanceType, count: systemNodePool("aws").nodes, max: 3 };

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

/** How long before a Capacity Block ends its nodes are scaled to zero (AWS suggests more than 30 minutes, to drain). */
export const CAPACITY_BLOCK_DRAIN_MINUTES = 45;
/** A scheduled action must lie in the future when it is created: one due now is placed this far ahead. */
const SCHEDULE_LEAD_MINUTES = 5;

/** An ISO time `minutes` after `iso`, or `SCHEDULE_LEAD_MINUTES` from now when that is later. */
function futureTime(iso: string, minutes: number, now: number): string {
  return new Date(Math.max(Date.parse(iso) + minutes * 60_000, now + SCHEDULE_LEAD_MINUTES * 60_000)).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * A Capacity Block's node group, as https://docs.aws.amazon.com/eks/latest/userguide/capacity-blocks-mng.html and
 * capacity-blocks.html describe it: created at zero nodes when the block has not started (nodes cannot launch before
 * it, and a node group that cannot reach its size fails to create), scaled to the plan's count when the block starts
 * and to zero ${CAPACITY_BLOCK_DRAIN_MINUTES} minutes before it ends (AWS: more than 30) so pods drain before EC2 reclaims
 * the instances. The block's dates come from EC2 (the reservation id); the schedules act on the node group's own Auto
 * Scaling group.
 */
function capacityBlockSchedule(plan: Plan, ctx: CompileContext, group: eks.NodeGroup): void {
  const block = ec2.getCapacityBlockReservationOutput({ id: plan.reservationId! }, { parent: ctx.parent });
  const asgName = group.resources.apply((r) => r?.[0]?.autoscalingGroups?.[0]?.name ?? "");
  // Computed once, at creation: a due time is moved a few minutes ahead, and later `up`s leave the schedule alone.
  const now = Date.now();
  const opts = { parent: ctx.parent, ignoreChanges: ["startTime"] };
  new autoscaling.Schedule(
    `${ctx.name}-block-start`,
    { scheduledActionName: `${ctx.name}-block-start`, autoscalingGroupName: asgName, startTime: block.startDate.apply((d) => futureTime(d, 0, now)), minSize: 0, maxSize: plan.nodeCount, desiredCapacity: plan.nodeCount },
    opts,
  );
  new autoscaling.Schedule(
    `${ctx.name}-block-end`,
    { scheduledActionName: `${ctx.name}-block-end`, autoscalingGroupName: asgName, startTime: block.endDate.apply((d) => futureTime(d, -CAPACITY_BLOCK_DRAIN_MINUTES, now)), minSize: 0, maxSize: plan.nodeCount, desiredCapacity: 0 },
    opts,
  );
}

export function gpuNodeGroup(plan: Plan, ctx: CompileContext, inputs: GpuNodeGroupInputs): eks.NodeGroup {
  const capacityBlock = plan.pricing === "capacity-block" && plan.reservationId !== undefined;
  const bounds = plan.workload === "inference" ? plan.replicas! : capacityBlock ? { min: 0, max: plan.nodeCount } : { min: plan.nodeCount, max: plan.nodeCount };
  // A block not yet started takes no nodes: start at zero and let the block-start schedule add them.
  const desired = capacityBlock ? 0 : bounds.min;
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
      // Replace one node at a time: a training job loses at most one rank per step of an update.
      updateConfig: { maxUnavailable: 1 },
      labels: { [POOL_LABEL]: inputs.poolName },
      taints: [{ key: GPU_TAINT.key, value: GPU_TAINT.value, effect: EKS_TAINT_EFFECT[GPU_TAINT.effect] }],
      tags: inputs.tags,
    },
    // The cluster autoscaler (a fleet) or the block's schedules move desiredSize; `up` should not undo it.
    { parent: ctx.parent, dependsOn: inputs.dependsOn, ...(plan.workload === "inference" || capacityBlock ? { ignoreChanges: ["scalingConfig.desiredSize"] } : {}) },
  );
  if (capacityBlock) capacityBlockSchedule(plan, ctx, group);
  return group;
}

export function systemNodeGroup(
  ctx: CompileContext,
  inputs: Omit<GpuNodeGroupInputs, "launchTemplate" | "poolName">,
): eks.NodeGroup {
  const launchTemplate = new ec2.LaunchTemplate(
    `${ctx.name}-system-lt`,
    {
      metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
      blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 50, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } }],
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
      scalingConfig: { minSize: SYSTEM_NODES.count, maxSize: SYSTEM_NODES.max, desiredSize: SYSTEM_NODES.count },
      labels: { "gpu-cluster/role": "system" },
      tags: inputs.tags,
    },
    { parent: ctx.parent, dependsOn: inputs.dependsOn },
  );
}
