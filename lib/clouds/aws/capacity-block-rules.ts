/**
 * The timing of a Capacity Block's schedule (./capacity-block.ts builds it), as plain values: the option checks quote
 * the drain time in their notes without loading @pulumi/aws (test/package.test.ts).
 */
import { deferredCheck } from "../shared/deferred-check.js";

/** Minutes before a Capacity Block ends that its group is scaled to zero (AWS suggests more than 30, to drain). */
export const CAPACITY_BLOCK_DRAIN_MINUTES = 45;
/**
 * Minutes before a Capacity Block ends that EKS itself scales a managed node group of the block to zero, with a
 * scheduled action it creates on the group's Auto Scaling group ("Amazon EKS Node Group Capacity Scaledown Before
 * Reservation End", which AWS asks you not to edit or delete): the EKS user guide, "Create a managed node group with
 * Capacity Blocks for ML" (https://docs.aws.amazon.com/eks/latest/userguide/capacity-blocks-mng.html, as
 * awsdocs/amazon-eks-user-guide latest/ug/ml/capacity-blocks-mng.adoc @0a7189e, read 2026-12-01: "Amazon EKS will setup
 * a scheduled scale down on the node group 40 minutes prior to their reservation end"). The guide says nothing of
 * when EKS sets that action up or whether it follows the node group to its next block (a new reservation in its
 * launch template; the page at awsdocs/amazon-eks-user-guide @4d52b4d, read 2026-12-01, is the same), so an EKS node
 * group keeps our own scale-down too (./capacity-block.ts), CAPACITY_BLOCK_DRAIN_MINUTES before the end: 5 minutes
 * before EKS's, which then finds the group at zero.
 */
export const EKS_CAPACITY_BLOCK_SCALEDOWN_MINUTES = 40;
/**
 * Why no fabric check runs at `up` on a Capacity Block, on either path (the VM gate, ./fabric-gate.ts; the EKS check
 * Job, lib/clouds/kubernetes/acceptance.ts), or undefined for other pricing: the shared deferred-check rule
 * (lib/clouds/shared/deferred-check.ts), which GCP's flex-start follows too, read for a block only.
 */
export function capacityBlockDefersCheck(plan: { readonly pricing: string }): string | undefined {
  return plan.pricing === "capacity-block" ? deferredCheck(plan)?.reason : undefined;
}
/** What to do instead once the block has started (the shared rule's text for a block). */
export const CAPACITY_BLOCK_CHECK_INSTEAD = deferredCheck({ pricing: "capacity-block" })!.instead;
/** The fix an explicit `acceptanceTest: true` on a block is refused with. */
export const CAPACITY_BLOCK_CHECK_FIX = deferredCheck({ pricing: "capacity-block" })!.fix;
/** A scheduled action must lie in the future when it is created: one already due is placed this far ahead. */
const SCHEDULE_LEAD_MINUTES = 5;

/** An ISO time `minutes` after `iso`, or `SCHEDULE_LEAD_MINUTES` from `now` when that is later. */
export function futureTime(iso: string, minutes: number, now: number): string {
  return new Date(Math.max(Date.parse(iso) + minutes * 60_000, now + SCHEDULE_LEAD_MINUTES * 60_000)).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * When a block ending at `endIso` is scaled to zero, as put at `now` (ms): the drain time (CAPACITY_BLOCK_DRAIN_MINUTES
 * before the end) while that is at least `SCHEDULE_LEAD_MINUTES` ahead. Past it the action has run (or the group was
 * created at 0, blockSizeAt) and any future time does; the drain time of the next day that is far enough ahead is
 * taken, so the previews of an idle stack after its block show no change for a day at a time rather than a new time at
 * each preview. Once run, the action scales an already empty group to zero.
 */
export function blockScaleDownTime(endIso: string, now: number): string {
  const drainAt = Date.parse(endIso) - CAPACITY_BLOCK_DRAIN_MINUTES * 60_000;
  const earliest = now + SCHEDULE_LEAD_MINUTES * 60_000;
  const day = 24 * 3_600_000;
  const at = drainAt >= earliest ? drainAt : drainAt + Math.ceil((earliest - drainAt) / day) * day;
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** What a Capacity Block's scale-up action does, fixed when it is created (./capacity-block.ts). */
export interface BlockScaleUp {
  /** When the action runs (ISO, UTC): the block's start, or `SCHEDULE_LEAD_MINUTES` ahead once that has passed. */
  readonly startTime: string;
  /** The group's size from then on, in nodes: the plan's count, or 0 when the action would run after the drain time. */
  readonly desiredCapacity: number;
}

/**
 * The scale-up of a block starting at `startIso` and ending at `endIso` (EC2's dates), for a group of `nodeCount` nodes,
 * as created at `now` (ms). Created before the block starts, it runs at the start. Created while the block runs (the
 * node count changed, which names a new action), it runs a few minutes ahead: Auto Scaling refuses an action in the
 * past ("If you try to schedule your action in the past, Amazon EC2 Auto Scaling returns an error message",
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PutScheduledUpdateGroupAction.html, read 2026-12-01).
 * Created once the drain time (CAPACITY_BLOCK_DRAIN_MINUTES before the end) is reached, it keeps the group at 0: the
 * block's instances are being reclaimed, and a scale-up then would undo the scale-down.
 */
export function blockScaleUp(startIso: string, endIso: string, nodeCount: number, now: number): BlockScaleUp {
  const startTime = futureTime(startIso, 0, now);
  const drainAt = Date.parse(endIso) - CAPACITY_BLOCK_DRAIN_MINUTES * 60_000;
  return { startTime, desiredCapacity: Date.parse(startTime) < drainAt ? nodeCount : 0 };
}

/**
 * The size a block's group is given by an `up` that reads the clock at `now` (ms): the plan's count from the block's
 * start until `SCHEDULE_LEAD_MINUTES` before the drain time (CAPACITY_BLOCK_DRAIN_MINUTES before the end), 0 before
 * and after. The group's own desired size is set to it (./capacity-block.ts says why), so `up` agrees with the actions
 * at every phase of the block. The lead is the same one a scheduled action is given: the clock is read when the group's
 * other inputs are ready (./capacity-block.ts), and the group's put lands after that, so a reading just before the
 * drain time must not put back the count the scale-down action is about to remove (or, landing after it, has removed:
 * the group would hold the block's instances until EC2 reclaims them, with work still on them). Such an `up` empties
 * the group at most 5 minutes early.
 */
export function blockSizeAt(startIso: string, endIso: string, nodeCount: number, now: number): number {
  const drainAt = Date.parse(endIso) - CAPACITY_BLOCK_DRAIN_MINUTES * 60_000;
  return Date.parse(startIso) <= now && now + SCHEDULE_LEAD_MINUTES * 60_000 < drainAt ? nodeCount : 0;
}

/** A block's three phases, each with the size its group has then (nodes). */
export interface BlockPhaseSizes {
  /** Before the block starts. */
  readonly beforeStart: number;
  /** From the start until the drain time. */
  readonly running: number;
  /** From the drain time (CAPACITY_BLOCK_DRAIN_MINUTES before the end) on. */
  readonly fromDrain: number;
}

/**
 * The group's size in each phase of a block, read off `blockSizeAt` at one instant of each (a nominal one-day block):
 * the plan's note words the phases from the rule the group's desired size follows, so the two cannot drift apart.
 */
export function blockPhaseSizes(nodeCount: number): BlockPhaseSizes {
  const start = Date.UTC(2030, 0, 2);
  const end = start + 24 * 3_600_000;
  const [s, e] = [new Date(start).toISOString(), new Date(end).toISOString()];
  const drainAt = end - CAPACITY_BLOCK_DRAIN_MINUTES * 60_000;
  return {
    beforeStart: blockSizeAt(s, e, nodeCount, start - 1),
    running: blockSizeAt(s, e, nodeCount, start),
    fromDrain: blockSizeAt(s, e, nodeCount, drainAt),
  };
}

/**
 * The group's size through a block, as the plan notes word it (the VM capacity note, ./options.ts; the EKS note,
 * ./eks/options.ts): "0 nodes before it starts, N while it runs and 0 from 45 minutes before it ends", from
 * `blockPhaseSizes`. Phrased by phase, not as "created at 0": an `up` during the block creates the group at its count.
 */
export function blockPhasesText(nodeCount: number): string {
  const p = blockPhaseSizes(nodeCount);
  return `${p.beforeStart} nodes before it starts, ${p.running} while it runs and ${p.fromDrain} from ${CAPACITY_BLOCK_DRAIN_MINUTES} minutes before it ends`;
}
