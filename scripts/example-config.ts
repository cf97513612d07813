/**
 * The stack configuration the examples read, as the offline runs (tests, `npm run examples:readme`) give it: a
 * documentation address (RFC 5737) where a real stack sets its own (`pulumi config set adminCidr <ip>/32`).
 */
export const EXAMPLE_CONFIG: Record<string, string> = { adminCidr: "203.0.113.7/32" };

/**
 * The day the examples' README bills are priced for (GPU_CLUSTER_PRICING_DATE, lib/cost/pricing-date.ts), and the day
 * the tests price them for: the one day-dependent line (EKS extended support for the default version after
 * 2027-03-27) then changes a README only when this moves, with the tests, not on the day CI happens to run. It is kept
 * in a JSON file because vitest.config.mts reads it too.
 */
export const EXAMPLES_PRICING_DATE: string = (require("./example-pricing-date.json") as { pricingDate: string }).pricingDate;
