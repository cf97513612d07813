/**
 * The timing of a Capacity Block's schedule (./capacity-block.ts builds it), as plain values: the option checks quote
 * the drain time in their notes without loading @pulumi/aws (test/package.test.ts).
 */

/** Minutes before a Capacity Block ends that its group is scaled to zero (AWS suggests more than 30, to drain). */
export const CAPACITY_BLOCK_DRAIN_MINUTES = 45;
/** A scheduled action must lie in the future when it is created: one already due is placed this far ahead. */
const SCHEDULE_LEAD_MINUTES = 5;

/** An ISO time `minutes` after `iso`, or `SCHEDULE_LEAD_MINUTES` from `now` when that is later. */
export function futureTime(iso: string, minutes: number, now: number): string {
  return new Date(Math.max(Date.parse(iso) + minutes * 60_000, now + SCHEDULE_LEAD_MINUTES * 60_000)).toISOString().replace(/\.\d{3}Z$/, "Z");
}
