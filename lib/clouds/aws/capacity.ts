/** Ready-node counts of an Auto Scaling group (lib/clouds/shared/capacity.ts says why). */
import * as pulumi from "@pulumi/pulumi";
import type * as autoscaling from "@pulumi/aws/autoscaling";
import * as ec2 from "@pulumi/aws/ec2";
import type { Plan } from "../../planner/types.js";
import { nodeCounts, type NodeCounts } from "../shared/capacity.js";

/**
 * An Auto Scaling group's counts: its running instances (by the tag AWS puts on them) in its zones, against `sizeNow`
 * when the group's size follows a Capacity Block (./capacity-block.ts, `sizeWhen`; default: the plan's count).
 */
export function asgNodeCounts(plan: Plan, group: autoscaling.Group, parent: pulumi.Resource, sizeNow?: pulumi.Input<number>): pulumi.Output<NodeCounts> {
  return nodeCounts(
    plan,
    parent,
    () => ec2.getInstancesOutput({ filters: [{ name: "tag:aws:autoscaling:groupName", values: [group.name] }], instanceStateNames: ["running"] }, { parent }).ids.apply((ids) => ids.length),
    () => group.availabilityZones.apply((zones) => zones.join(", ")),
    sizeNow,
  );
}
