/**
 * The day an estimate is priced for. One figure depends on it: EKS extended support, billed from the day a cluster's
 * version leaves standard support (lib/cost/bom/aws-eks.ts). Everything else is the catalog's, whatever the day.
 *
 * Default: today (UTC). `GPU_CLUSTER_PRICING_DATE=YYYY-MM-DD` prices as of that day instead, so two reports meant to be
 * compared (a PR's `plan --baseline` against the base branch's JSON, an example README against its test) are priced
 * on the same day, not on the days they happened to run.
 */
import { SpecError } from "../spec/errors.js";

/** The environment variable that fixes the pricing day. */
export const PRICING_DATE_ENV = "GPU_CLUSTER_PRICING_DATE";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The pricing day as an ISO date (YYYY-MM-DD). A malformed GPU_CLUSTER_PRICING_DATE is a SpecError naming it. */
export function pricingDate(): string {
  const fixed = process.env[PRICING_DATE_ENV];
  if (fixed === undefined || fixed === "") return new Date().toISOString().slice(0, 10);
  // Date.parse accepts 2026-02-30 (it rolls over); the round trip refuses a day that does not exist.
  if (!ISO_DATE.test(fixed) || Number.isNaN(Date.parse(fixed)) || new Date(fixed).toISOString().slice(0, 10) !== fixed) {
    throw new SpecError(PRICING_DATE_ENV, `'${fixed}' is not a day as YYYY-MM-DD`, `e.g. ${PRICING_DATE_ENV}=2026-12-01, or unset it to price as of today`);
  }
  return fixed;
}
