/**
 * A Capacity Block's nodes, as AWS describes them (https://docs.aws.amazon.com/eks/latest/userguide/capacity-blocks-mng.html,
 * https://docs.aws.amazon.com/eks/latest/userguide/capacity-blocks.html,
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/launch-template-capacity-blocks.html): the group is created at
 * zero nodes (none can launch before the block starts; EKS would accept a larger size and launch the nodes once the
 * block is active, but the guide's own steps create at 0 and scale by schedule), scaled to the bill's GPU node count
 * (lib/clouds/shared/bill.ts billedGpuNodeGroup) when the block starts and to zero more than 30 minutes before it ends, so work drains before EC2
 * reclaims the instances. The block's dates come from EC2 by the reservation id.
 */
import * as pulumi from "@pulumi/pulumi";
import * as autoscaling from "@pulumi/aws/autoscaling";
import * as ec2 from "@pulumi/aws/ec2";
import type { Plan } from "../../planner/types.js";
import type { CompileContext } from "../types.js";
import { blockScaleDownTime, blockScaleUp, blockSizeAt } from "./capacity-block-rules.js";
import { billedGpuNodeGroup } from "../shared/bill.js";

// The schedule's timing rules are SDK-free (./capacity-block-rules.ts), so the option checks read them without
// loading @pulumi/aws.

/** A Capacity Block as one `up` sees it: its dates from EC2, and the group's size when the group is put. */
export interface CapacityBlock {
  /** The block's start and end (ISO, UTC), from EC2 by the plan's reservation id. */
  readonly dates: pulumi.Output<{ startDate: string; endDate: string }>;
  /**
   * The group's desired size (blockSizeAt: the bill's GPU node count while the block runs, 0 before and near or after the
   * drain time), with the clock read once `ready` (the group's other inputs: its launch template, on EKS the cluster)
   * has resolved, right before the group's put, not at program start: an `up` that begins before the drain time and
   * reaches the group after it (an EKS or FSx `up` takes 10 minutes or more) would otherwise put back the count the
   * scale-down has just removed.
   */
  sizeWhen(ready: pulumi.Input<unknown>[]): pulumi.Output<number>;
}

/**
 * The plan's block, read once for the group and its schedule. The group's desired size follows the block's phase
 * (`sizeWhen`) rather than being left to the actions alone (`ignoreChanges`): an EKS node group's update sends its whole
 * scaling config, and an ignored desired size goes out as the value it was created with, 0 ("Pulumi will continue to
 * send those stale values to the provider during subsequent updates", https://www.pulumi.com/docs/iac/concepts/options/ignorechanges/,
 * read 2026-12-01), so a new node count while the block runs would empty the group. Set by phase, the new count
 * reaches the running group at once, on VMs and on EKS, and an `up` within one phase changes nothing; the first `up`
 * of a new phase records the size the actions have already set.
 */
export function capacityBlock(plan: Plan, ctx: CompileContext): CapacityBlock {
  const block = ec2.getCapacityBlockReservationOutput({ id: plan.reservationId! }, { parent: ctx.parent });
  const dates = pulumi.output({ startDate: block.startDate, endDate: block.endDate });
  // The block's nodes as billed (lib/clouds/shared/bill.ts billedGpuNodeGroup).
  const { count } = billedGpuNodeGroup(plan, ctx.bill);
  return {
    dates,
    sizeWhen: (ready) => pulumi.all([dates, pulumi.all(ready)]).apply(([d]) => blockSizeAt(d.startDate, d.endDate, count, Date.now())),
  };
}

/**
 * The scheduled actions on the group's Auto Scaling group (`asgName`): the scale-up at the block's start and the
 * scale-down CAPACITY_BLOCK_DRAIN_MINUTES before its end, on VMs and on EKS alike. An EKS managed node group also gets
 * EKS's own scale-down (EKS_CAPACITY_BLOCK_SCALEDOWN_MINUTES), but the EKS guide does not say that EKS moves it when
 * the node group's launch template moves to the next block, so ours is kept: it runs first, and EKS's then finds the
 * group at zero.
 *
 * Each action is one-time, and Auto Scaling deletes it once it has run (DescribeScheduledActions returns only "the
 * scheduled actions that haven't run or that have not reached their end time",
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeScheduledActions.html, read 2026-12-01), while
 * Pulumi's state still holds it; the old ones are deleted when their names change, which the provider treats as done
 * when Auto Scaling no longer has them (terraform-provider-aws internal/service/autoscaling/schedule.go
 * resourceScheduleDelete: a "not found" ValidationError is success, read 2026-12-01).
 *
 * The scale-up is never updated in place: the provider's update is a put of the whole action, start time included
 * (terraform-provider-aws internal/service/autoscaling/schedule.go: `Update: resourceScheduleCreate`, read 2026-12-01),
 * which `ignoreChanges` holds at the time it was created, and once the block has started that time is in the past,
 * which Auto Scaling refuses (blockScaleUp). So everything that changes what it must do is in its name
 * (`blockStartActionName`): the block (a new `reservationId`) and the node count. A changed count before the start makes a new action at the start; after
 * the start, one a few minutes ahead that sizes the running group to the new count. The old action, run or not, is
 * deleted. Its size and time are fixed when it is created (`ignoreChanges`), so a later `up` with no change is a
 * no-op. The scale-down does not depend on the count (its maximum is the group's, -1: "don't change"), and follows
 * the block's end.
 */
export function capacityBlockSchedule(plan: Plan, ctx: CompileContext, block: CapacityBlock, asgName: pulumi.Input<string>): void {
  const reservationId = plan.reservationId!;
  const { dates } = block;
  // The scale-up's size and the group's most, as billed (lib/clouds/shared/bill.ts billedGpuNodeGroup).
  const nodes = billedGpuNodeGroup(plan, ctx.bill);
  // The actions' times are read from the clock when the group's name resolves, not when the program started: the
  // actions need the group, which comes 10 minutes or more into an `up` on EKS (the cluster first) or on VMs with FSx
  // (the user data waits for the file system), and a time computed at the start would by then be in the past, which
  // Auto Scaling refuses (blockScaleUp). Read at the group's name, the lead is spent only on the action's own put.
  const whenGroupExists = pulumi.all([dates, asgName]).apply(([b]) => ({ ...b, now: Date.now() }));
  const up = whenGroupExists.apply((b) => blockScaleUp(b.startDate, b.endDate, nodes.count, b.now));
  const start = blockStartActionName(ctx.name, reservationId, nodes.count);
  new autoscaling.Schedule(
    start,
    { scheduledActionName: start, autoscalingGroupName: asgName, startTime: up.startTime, minSize: 0, maxSize: nodes.maxCount, desiredCapacity: up.desiredCapacity },
    { parent: ctx.parent, ignoreChanges: ["startTime", "desiredCapacity"] },
  );
  // The scale-down follows the block's end: a block extended keeps its id and gets a later end date ("Your Capacity
  // Reservation ID will remain the same after extending the block",
  // https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/capacity-blocks-extend.html, read 2026-12-01), and an action
  // held at the old time would empty the group in the middle of the extension. Once the drain time is near or past,
  // `up` puts it at the next day's drain time (`blockScaleDownTime`), which scales to zero a group that must be at zero
  // anyway. It
  // leaves the group's maximum alone (-1: "Set to -1 if you don't want to change the maximum size at the scheduled
  // time", @pulumi/aws 7.48.0 autoscaling/schedule.d.ts; schedule.go leaves -1 out of the put, read 2026-12-01): the
  // group sets it, so a new node count never updates this action.
  const end = blockEndActionName(ctx.name, reservationId);
  new autoscaling.Schedule(
    end,
    { scheduledActionName: end, autoscalingGroupName: asgName, startTime: whenGroupExists.apply((b) => blockScaleDownTime(b.endDate, b.now)), minSize: 0, maxSize: -1, desiredCapacity: 0 },
    { parent: ctx.parent },
  );
}

/** The logical and Auto Scaling name of a block's scale-up to `nodeCount` nodes: `<component>-block-start-<reservation id>-to-<count>`. */
export function blockStartActionName(component: string, reservationId: string, nodeCount: number): string {
  return `${component}-block-start-${reservationId}-to-${nodeCount}`;
}

/** The logical and Auto Scaling name of a block's scale-down: `<component>-block-end-<reservation id>`. */
export function blockEndActionName(component: string, reservationId: string): string {
  return `${component}-block-end-${reservationId}`;
}
