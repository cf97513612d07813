/** AWS training cluster: network, EFA security group, placement group, storage, role, launch template, one ASG. */
import { asgNodeCounts } from "./capacity.js";
import * as pulumi from "@pulumi/pulumi";
import * as autoscaling from "@pulumi/aws/autoscaling";
import * as ec2 from "@pulumi/aws/ec2";
import type { Plan } from "../../planner/types.js";
import type { ClusterHandles, CompileContext } from "../types.js";
import { userDataScript, customAmi } from "./bootstrap.js";
import { nodeIdentity } from "./iam.js";
import { checkUserDataFits, nodeLaunchTemplate, placeholder, placeholderMountSources, secretArnBound } from "./launch-template.js";
import { awsNetwork } from "./network.js";
import type { AwsOptions } from "./options.js";
import { nodePlacementGroup } from "./placement.js";
import { capacityBlock, capacityBlockSchedule } from "./capacity-block.js";
import { clusterSecurityGroup } from "./security.js";
import { awsStorage } from "./storage.js";
import { awsTags, asgTags } from "./tags.js";
import { awsClusterSsh, awsClusterSshLines, NODE_GROUP_TAG, nodeGroupTagValue } from "./cluster-ssh.js";
import { vmClusterTrust } from "../shared/cluster-ssh.js";
import type { MountSources } from "../shared/storage.js";
import { awsFabricGate } from "./fabric-gate.js";
import { allReduceImage } from "../kubernetes/options.js";
import { awsGpuMetrics } from "./gpu-metrics.js";
import { billedGpuNodeGroup } from "../shared/bill.js";

export function compileAwsTraining(plan: Plan, options: AwsOptions = {}, ctx: CompileContext): ClusterHandles {
  const opts = { parent: ctx.parent };
  // Every node carries the group's tag (asgTags propagates it at launch): the peers and the fabric gate filter on it.
  // Checked first (a SpecError), before any resource is created.
  const groupTagValue = nodeGroupTagValue(ctx.name);
  // The group's size as billed (lib/clouds/shared/bill.ts billedGpuNodeGroup), read before anything is created: a bill that disagrees is an Error.
  const nodes = billedGpuNodeGroup(plan, ctx.bill);
  // The nodes' boot script. Checked against EC2's user data limit before anything is created, with the values known
  // only during `up` (mount sources, the key's secret ARN) at their longest.
  const bootScript = (sources: MountSources, cluster: string[]) => userDataScript(plan, sources, options.userData, [], customAmi(options), cluster);
  checkUserDataFits(bootScript(placeholderMountSources(plan), vmClusterTrust(plan) ? awsClusterSshLines(plan, placeholder(secretArnBound(ctx.name)), groupTagValue) : []));
  const tags = awsTags(ctx.name, options);
  const network = awsNetwork(plan, options, ctx, tags);
  // EFA needs every node in one subnet (and so one AZ).
  const subnetId = network.privateSubnetIds[0]!;
  const securityGroup = clusterSecurityGroup(network.vpcId, ctx, tags);
  // The file systems join the cluster's group, which admits all traffic among its members.
  const storage = awsStorage(plan, [subnetId], securityGroup.id, ctx, tags);
  const identity = nodeIdentity(ctx, storage.bucketArns, tags, { key: NODE_GROUP_TAG, value: groupTagValue });

  // The component's own cluster placement group, the ODCR's (aws.placementGroupName), or none (placement.ts).
  const placementGroup = nodePlacementGroup(plan, options, () => new ec2.PlacementGroup(`${ctx.name}-pg`, { strategy: "cluster", tags }, opts));

  const nodeTags = { ...tags, [NODE_GROUP_TAG]: groupTagValue };
  const ssh = awsClusterSsh(plan, ctx, tags, identity.role.name, groupTagValue);
  const launchTemplate = nodeLaunchTemplate(plan, options, ctx, {
    securityGroupId: securityGroup.id,
    instanceProfileArn: identity.instanceProfile.arn,
    userData: pulumi.all([storage.mountSources, ssh?.lines ?? []]).apply(([sources, cluster]) => bootScript(sources, cluster)),
    tags: nodeTags,
  });

  // One Auto Scaling group for any node count: 8 or 1,024 nodes are the same resources. A capacity block's group is
  // empty outside the block: its schedules (capacity-block.ts) size it at the block's edges, and its desired capacity
  // is the block's size now (0 before the start, the count while it runs).
  const block = plan.pricing === "capacity-block" && plan.reservationId !== undefined ? capacityBlock(plan, ctx) : undefined;
  // Read when the launch template is in place, right before the group's put (capacity-block.ts: `sizeWhen`).
  const blockSize = block?.sizeWhen([launchTemplate.latestVersion]);
  const group = new autoscaling.Group(
    `${ctx.name}-nodes`,
    {
      minSize: block ? 0 : nodes.count,
      maxSize: nodes.maxCount,
      desiredCapacity: blockSize ?? nodes.count,
      vpcZoneIdentifiers: [subnetId],
      launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
      ...(placementGroup ? { placementGroup: placementGroup.id } : {}),
      // GPU capacity can take longer than an `up` should wait; nodes join as capacity allows.
      waitForCapacityTimeout: "0",
      healthCheckType: "EC2",
      // No `instanceRefresh`: a refresh replaces nodes under a running job, so a new launch template reaches a node
      // only when it is next launched (a replaced sick node, a scale-up, a capacity block's next start).
      // No `capacityRebalance` on spot either: it replaces a node on a rebalance *recommendation*, which often comes
      // with no interruption after it, and every replacement restarts the whole job from its last checkpoint (and
      // lands outside the cluster placement group if the group is full). A spot job restarts from its checkpoint when
      // EC2 actually reclaims a node anyway; rebalancing would only add restarts.
      // https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-capacity-rebalancing.html (read 2026-11-30).
      tags: asgTags(nodeTags),
    },
    opts,
  );
  if (block) capacityBlockSchedule(plan, ctx, block, group.name);
  // The nodes' CloudWatch agent, installed on each node by a State Manager association (gpu-metrics.ts).
  awsGpuMetrics(ctx, { role: identity.role.name, groupTagValue, group });

  const handles: ClusterHandles = {
    nodeGroupId: group.name,
    networkId: network.vpcId,
    subnetIds: pulumi.all([subnetId]),
    securityGroupId: securityGroup.id,
    storage: storage.handles,
    // A block's group is meant to be empty outside the block: the count expected is the block's size now.
    nodeCounts: asgNodeCounts(plan, group, ctx.parent, blockSize ?? nodes.count),
  };
  if (placementGroup) handles.placementGroupName = pulumi.output(placementGroup.name);
  const acceptance = awsFabricGate(plan, options, ctx, { tags, role: identity.role.name, group, groupTagValue, image: allReduceImage(plan) });
  if (acceptance) handles.acceptance = acceptance;
  return handles;
}
