/**
 * A Capacity Block's nodes, as AWS describes them (https://docs.aws.amazon.com/eks/latest/userguide/capacity-blocks-mng.html,
 * https://docs.aws.amazon.com/eks/latest/userguide/capacity-blocks.html,
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/launch-template-capacity-blocks.html): the group is created at
 * zero nodes (none can launch before the block starts, and a node group that cannot reach its size fails to create),
 * scaled to the plan's count when the block starts and to zero more than 30 minutes before it ends, so work drains
 * before EC2 reclaims the instances (on EKS, EKS's own action does the latter). The block's dates come from EC2 by the
 * reservation id.
 */
import * as pulumi from "@pulumi/pulumi";
import * as autoscaling from "@pulumi/aws/autoscaling";
import * as ec2 from "@pulumi/aws/ec2";
import type { Plan } from "../../planner/types.js";
import type { CompileContext } from "../types.js";
import { CAPACITY_BLOCK_DRAIN_MINUTES, futureTime } from "./capacity-block-rules.js";

// The schedule's timing rules are SDK-free, so the option checks can read them without loading @pulumi/aws.
export { CAPACITY_BLOCK_DRAIN_MINUTES, futureTime } from "./capacity-block-rules.js";

/**
 * The scheduled actions on the group's Auto Scaling group (`asgName`): the scale-up at the block's start, and, unless
 * `scaleDown` is `"eks"` (an EKS managed node group, which EKS scales down itself: EKS_CAPACITY_BLOCK_SCALEDOWN_MINUTES),
 * the scale-down before its end.
 */
export function capacityBlockSchedule(plan: Plan, ctx: CompileContext, asgName: pulumi.Input<string>, scaleDown: "ours" | "eks" = "ours"): void {
  const block = ec2.getCapacityBlockReservationOutput({ id: plan.reservationId! }, { parent: ctx.parent });
  // Computed at creation: a due time moves a few minutes ahead, and later `up`s leave the schedule alone.
  const now = Date.now();
  const opts = { parent: ctx.parent, ignoreChanges: ["startTime"] };
  new autoscaling.Schedule(
    `${ctx.name}-block-start`,
    { scheduledActionName: `${ctx.name}-block-start`, autoscalingGroupName: asgName, startTime: block.startDate.apply((d) => futureTime(d, 0, now)), minSize: 0, maxSize: plan.nodeCount, desiredCapacity: plan.nodeCount },
    opts,
  );
  if (scaleDown === "eks") return;
  new autoscaling.Schedule(
    `${ctx.name}-block-end`,
    { scheduledActionName: `${ctx.name}-block-end`, autoscalingGroupName: asgName, startTime: block.endDate.apply((d) => futureTime(d, -CAPACITY_BLOCK_DRAIN_MINUTES, now)), minSize: 0, maxSize: plan.nodeCount, desiredCapacity: 0 },
    opts,
  );
}
