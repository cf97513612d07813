/**
 * A Capacity Block's nodes, as AWS describes them (https://docs.aws.amazon.com/eks/latest/userguide/capacity-blocks-mng.html,
 * https://docs.aws.amazon.com/eks/latest/userguide/capacity-blocks.html,
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/launch-template-capacity-blocks.html): the group is created at
 * zero nodes (none can launch before the block starts, and a node group that cannot reach its size fails to create),
 * scaled to the plan's count when the block starts and to zero more than 30 minutes before it ends, so work drains
 * before EC2 reclaims the instances. The block's dates come from EC2 by the
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
 * The scheduled actions on the group's Auto Scaling group (`asgName`): the scale-up at the block's start and the
 * scale-down CAPACITY_BLOCK_DRAIN_MINUTES before its end, on VMs and on EKS alike. An EKS managed node group also gets
 * EKS's own scale-down (EKS_CAPACITY_BLOCK_SCALEDOWN_MINUTES), but the EKS guide does not say that EKS moves it when
 * the node group's launch template moves to the next block, so ours is kept: it runs first, and EKS's then finds the
 * group at zero.
 *
 * Each action is one-time, and Auto Scaling deletes it once it has run (DescribeScheduledActions returns only "the
 * scheduled actions that haven't run or that have not reached their end time",
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeScheduledActions.html, read 2026-12-01), while Pulumi's state still holds it. So both actions are named after the block
 * (`blockActionName`): moving the cluster to the next block (a new `reservationId`) makes new actions with new names
 * (new URNs, so the scale-up's old `startTime` in the state is not carried over by `ignoreChanges`), and the old ones are deleted,
 * which the provider treats as done when Auto Scaling no longer has them (terraform-provider-aws
 * internal/service/autoscaling/schedule.go resourceScheduleDelete: a "not found" ValidationError is success, read
 * 2026-12-01). A block's id is the one value that changes exactly when its schedule must.
 */
export function capacityBlockSchedule(plan: Plan, ctx: CompileContext, asgName: pulumi.Input<string>): void {
  const reservationId = plan.reservationId!;
  const block = ec2.getCapacityBlockReservationOutput({ id: reservationId }, { parent: ctx.parent });
  // A due time moves a few minutes ahead (`futureTime`), so it differs at every later `up` once the block's own time
  // has passed. The scale-up keeps its time as created (`ignoreChanges`): put back at every `up` of a running block, it
  // would scale the group up again. The scale-down follows the block's end: a block extended keeps its id and gets a
  // later end date ("Your Capacity Reservation ID will remain the same after extending the block",
  // https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/capacity-blocks-extend.html, read 2026-12-01), and an action
  // held at the old time would empty the group in the middle of the extension. Once the end is near or past, `up` puts
  // it back 5 minutes ahead, which scales to zero a group that must be at zero anyway.
  const now = Date.now();
  const start = blockActionName(ctx.name, "start", reservationId);
  new autoscaling.Schedule(
    start,
    { scheduledActionName: start, autoscalingGroupName: asgName, startTime: block.startDate.apply((d) => futureTime(d, 0, now)), minSize: 0, maxSize: plan.nodeCount, desiredCapacity: plan.nodeCount },
    { parent: ctx.parent, ignoreChanges: ["startTime"] },
  );
  const end = blockActionName(ctx.name, "end", reservationId);
  new autoscaling.Schedule(
    end,
    { scheduledActionName: end, autoscalingGroupName: asgName, startTime: block.endDate.apply((d) => futureTime(d, -CAPACITY_BLOCK_DRAIN_MINUTES, now)), minSize: 0, maxSize: plan.nodeCount, desiredCapacity: 0 },
    { parent: ctx.parent },
  );
}

/** The logical and Auto Scaling name of a block's scheduled action: `<component>-block-<start|end>-<reservation id>`. */
export function blockActionName(component: string, edge: "start" | "end", reservationId: string): string {
  return `${component}-block-${edge}-${reservationId}`;
}
