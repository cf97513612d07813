/**
 * A Capacity Block priced from a live offering, when AWS quotes one at preview; the catalog's dated rate otherwise.
 * Pure: no Pulumi. The component asks EC2 (lib/clouds/aws/capacity-block-price.ts) and hands the answers here.
 *
 * What AWS can and cannot tell (read 2026-11-30):
 * - No API prices a block already bought. DescribeCapacityBlocks / the provider's getCapacityBlockReservation return
 *   the block's id, zone, dates, count and state, no fee (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CapacityBlock.html;
 *   node_modules/@pulumi/aws/ec2/getCapacityBlockReservation.d.ts, @pulumi/aws 7.48.0).
 * - DescribeCapacityBlockOfferings quotes offerings for sale, each with `upfrontFee` (the whole block's price) and
 *   `currencyCode` (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeCapacityBlockOfferings.html,
 *   https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CapacityBlockOffering.html). It needs instance type,
 *   count and duration in hours; the start/end window is optional.
 * - The provider's `aws.ec2.getCapacityBlockOffering` reads one page and fails when it holds no offering ("empty
 *   result") or more than one ("too many results") (hashicorp/terraform-provider-aws
 *   internal/service/ec2/ec2_capacity_block_offering_data_source.go, findCapacityBLockOffering, stored commit 3ca3c05, read 2026-11-30).
 *
 * So the live figure is a quote for a block like yours — same type, count and duration, in your block's own window —
 * not the fee you paid; it replaces the catalog's dated rate only as a fresher figure of the same kind, and says so.
 */
import type { Plan } from "../planner/types.js";
import { estimateCost } from "./estimate.js";
import { formatUnitUsd, formatUsd, roundCents } from "./money.js";
import type { BudgetVerdict, CostEstimate } from "./types.js";

/** The bought block's dates, as getCapacityBlockReservation returns them (RFC 3339). */
export interface CapacityBlockDates {
  startDate: string;
  endDate: string;
}

/** The arguments of `aws.ec2.getCapacityBlockOffering` (its required three, and the window). */
export interface CapacityBlockOfferingQuery {
  instanceType: string;
  instanceCount: number;
  capacityDurationHours: number;
  startDateRange: string;
  endDateRange: string;
}

/** The fields of an offering the price is computed from (`GetCapacityBlockOfferingResult`). */
export interface CapacityBlockOffering {
  capacityBlockOfferingId: string;
  instanceType: string;
  instanceCount: number;
  capacityDurationHours: number;
  /** The whole block's price, a decimal string (e.g. "125107.20"). */
  upfrontFee: string;
  currencyCode: string;
}

/**
 * Where a Capacity Block's figure came from: `live-offering`, an offering EC2 quoted at this preview; `catalog`, the
 * catalog's dated rate (the estimate's own). A const object, so the component schema reads it as an enum.
 */
export const CapacityBlockPriceSource = { LiveOffering: "live-offering", Catalog: "catalog" } as const;
export type CapacityBlockPriceSource = (typeof CapacityBlockPriceSource)[keyof typeof CapacityBlockPriceSource];

/** Which price the component's live figure used, and what it came to. Published as the `capacityBlockPricing` output. */
export interface CapacityBlockPricing {
  /** `live-offering`: an offering EC2 quoted at this preview; `catalog`: the catalog's dated rate (the estimate's own). */
  source: CapacityBlockPriceSource;
  /** The sentence logged against the component: `capacity block priced from: ...`. */
  summary: string;
  /** USD per instance-hour used. */
  usdPerInstanceHour: number;
  /** The synchronous estimate's worst case (catalog-priced), USD per month. */
  catalogMonthlyUsd: number;
  /** The worst case with the live rate, USD per month; absent when no offering was usable. */
  liveMonthlyUsd?: number;
  /** The offering used. */
  offeringId?: string;
  /** Its upfront fee, USD (the price of the whole quoted block). */
  upfrontUsd?: number;
  /** The date the quote was read (UTC, YYYY-MM-DD): a live quote's own date. */
  quotedOn?: string;
  /** Why no live offering was used. */
  unavailableBecause?: string;
  /** The budget checked against `liveMonthlyUsd` (absent without a budget or a live figure). */
  liveBudget?: BudgetVerdict;
}

const MS_PER_HOUR = 3_600_000;

/**
 * What to ask EC2 for: the plan's type and node count, and the bought block's own duration and window, so the quote is
 * for the same block bought now. A string when there is nothing sound to ask (the reason).
 */
export function offeringQuery(plan: Pick<Plan, "instanceType" | "nodeCount">, block: CapacityBlockDates): CapacityBlockOfferingQuery | string {
  const start = Date.parse(block.startDate);
  const end = Date.parse(block.endDate);
  if (!Number.isFinite(start) || !Number.isFinite(end)) return `the block's dates are not readable (start ${block.startDate}, end ${block.endDate})`;
  const hours = (end - start) / MS_PER_HOUR;
  // Blocks are sold in whole days (1-14, then 7-day steps); a block cut short (interrupted, extended) has no twin on sale.
  if (!(hours > 0) || !Number.isInteger(hours)) return `the block runs ${hours} h, not a whole number of hours an offering can quote`;
  if (plan.nodeCount < 1) return "the plan has no nodes to price";
  return { instanceType: plan.instanceType, instanceCount: plan.nodeCount, capacityDurationHours: hours, startDateRange: block.startDate, endDateRange: block.endDate };
}

/** An offering's USD per instance-hour: upfront fee ÷ (instances × hours). A string when the offering cannot price one (the reason). */
export function offeringRate(offering: CapacityBlockOffering): { upfrontUsd: number; usdPerInstanceHour: number } | string {
  if (offering.currencyCode !== "USD") return `offering ${offering.capacityBlockOfferingId} is quoted in ${offering.currencyCode}, not USD`;
  const upfrontUsd = Number(offering.upfrontFee);
  if (typeof offering.upfrontFee !== "string" || offering.upfrontFee.trim() === "" || !Number.isFinite(upfrontUsd) || upfrontUsd <= 0) {
    return `offering ${offering.capacityBlockOfferingId} has no usable upfront fee (${JSON.stringify(offering.upfrontFee)})`;
  }
  const instanceHours = offering.instanceCount * offering.capacityDurationHours;
  if (!Number.isFinite(instanceHours) || instanceHours <= 0) return `offering ${offering.capacityBlockOfferingId} quotes ${instanceHours} instance-hours`;
  return { upfrontUsd, usdPerInstanceHour: upfrontUsd / instanceHours };
}

/**
 * The pricing record from what EC2 answered: `answer` is the offering, or the reason there is none (the look-up's
 * error, or a skip). `cloudOptions` as for `estimateCost`; `quotedOn` is the day the quote was read.
 */
export function capacityBlockPricing(
  plan: Plan,
  estimate: CostEstimate,
  cloudOptions: unknown,
  answer: CapacityBlockOffering | string,
  quotedOn: string,
): CapacityBlockPricing {
  const catalog = (reason: string): CapacityBlockPricing => ({
    source: "catalog",
    summary: `capacity block priced from: catalog ${plan.unitPrice.asOf} (live offering unavailable: ${reason})`,
    usdPerInstanceHour: plan.unitPrice.usdPerHour,
    catalogMonthlyUsd: estimate.worstCaseMonthlyUsd,
    unavailableBecause: reason,
  });
  if (typeof answer === "string") return catalog(answer);
  const rate = offeringRate(answer);
  if (typeof rate === "string") return catalog(rate);
  if (answer.instanceType !== plan.instanceType || answer.instanceCount !== plan.nodeCount) {
    return catalog(`offering ${answer.capacityBlockOfferingId} is for ${answer.instanceCount} × ${answer.instanceType}, not ${plan.nodeCount} × ${plan.instanceType}`);
  }
  const live = estimateCost(
    {
      ...plan,
      unitPrice: {
        usdPerHour: rate.usdPerInstanceHour,
        source: `EC2 Capacity Block offering ${answer.capacityBlockOfferingId}: ${answer.upfrontFee} USD upfront for ${answer.instanceCount} × ${answer.capacityDurationHours} h (DescribeCapacityBlockOfferings, quoted at preview)`,
        asOf: quotedOn,
      },
    },
    cloudOptions,
  );
  const pricing: CapacityBlockPricing = {
    source: "live-offering",
    summary:
      `capacity block priced from: live offering ${answer.capacityBlockOfferingId} (${formatUsd(rate.upfrontUsd)} upfront = ` +
      `${formatUnitUsd(roundSixth(rate.usdPerInstanceHour))}/instance-hour); ${formatUsd(live.worstCaseMonthlyUsd)}/month live, ` +
      `${formatUsd(estimate.worstCaseMonthlyUsd)}/month at the catalog's ${plan.unitPrice.asOf} rate`,
    usdPerInstanceHour: rate.usdPerInstanceHour,
    catalogMonthlyUsd: estimate.worstCaseMonthlyUsd,
    liveMonthlyUsd: live.worstCaseMonthlyUsd,
    offeringId: answer.capacityBlockOfferingId,
    upfrontUsd: roundCents(rate.upfrontUsd),
    quotedOn,
  };
  // The same rule as the synchronous check (estimateCost → checkBudget), on the live worst case.
  if (live.budget) pricing.liveBudget = live.budget;
  return pricing;
}

/**
 * The budget decision on the live figure: the message to fail with when the budget says `fail` and the live worst
 * case exceeds it; undefined otherwise (a `warn` budget's message comes from `liveBudgetWarning`).
 */
export function liveBudgetFailure(componentName: string, pricing: CapacityBlockPricing): string | undefined {
  const b = pricing.liveBudget;
  if (!b || b.withinBudget || b.onExceed !== "fail") return undefined;
  return `${componentName}: OVER BUDGET (fail) at the live Capacity Block price: ${formatUsd(b.checkedUsd)}/month exceeds ${formatUsd(b.monthlyUsd)} by ${formatUsd(b.overByUsd)} (${pricing.summary})`;
}

/** The warning for a `warn` budget the live figure exceeds; undefined otherwise. */
export function liveBudgetWarning(pricing: CapacityBlockPricing): string | undefined {
  const b = pricing.liveBudget;
  if (!b || b.withinBudget || b.onExceed === "fail") return undefined;
  return `OVER BUDGET (${b.onExceed}) at the live Capacity Block price: ${formatUsd(b.checkedUsd)}/month exceeds ${formatUsd(b.monthlyUsd)} by ${formatUsd(b.overByUsd)}`;
}

/** A rate shown to six decimals, as unit prices are printed (lib/cost/money.ts formatUnitUsd). */
function roundSixth(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}
