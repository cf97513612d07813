/**
 * The timing of a Capacity Block's schedule (./capacity-block.ts builds it), as plain values: the option checks quote
 * the drain time in their notes without loading @pulumi/aws (test/package.test.ts).
 */

/** Minutes before a Capacity Block ends that its group is scaled to zero (AWS suggests more than 30, to drain). */
export const CAPACITY_BLOCK_DRAIN_MINUTES = 45;
/**
 * Minutes before a Capacity Block ends that EKS itself scales a managed node group of the block to zero, with a
 * scheduled action it creates on the group's Auto Scaling group ("Amazon EKS Node Group Capacity Scaledown Before
 * Reservation End", which AWS asks you not to edit or delete): the EKS user guide, "Create a managed node group with
 * Capacity Blocks for ML" (https://docs.aws.amazon.com/eks/latest/userguide/capacity-blocks-mng.html, as
 * awsdocs/amazon-eks-user-guide latest/ug/ml/capacity-blocks-mng.adoc @0a7189e, read 2026-12-01: "Amazon EKS will setup
 * a scheduled scale down on the node group 40 minutes prior to their reservation end"). So an EKS node group gets no
 * scale-down action of ours, only the scale-up at the block's start.
 */
export const EKS_CAPACITY_BLOCK_SCALEDOWN_MINUTES = 40;
/** A scheduled action must lie in the future when it is created: one already due is placed this far ahead. */
const SCHEDULE_LEAD_MINUTES = 5;

/** An ISO time `minutes` after `iso`, or `SCHEDULE_LEAD_MINUTES` from `now` when that is later. */
export function futureTime(iso: string, minutes: number, now: number): string {
  return new Date(Math.max(Date.parse(iso) + minutes * 60_000, now + SCHEDULE_LEAD_MINUTES * 60_000)).toISOString().replace(/\.\d{3}Z$/, "Z");
}
