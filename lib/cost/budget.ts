/** Budget checks: one rule, used by the components, the CLI and the policy pack. */
import { roundCents } from "./money.js";
import type { BudgetVerdict, CostEstimate } from "./types.js";
import type { BudgetAction } from "../spec/types.js";

/** Compare a monthly figure (USD) with a budget. */
export function checkBudget(checkedUsd: number, budget: { monthlyUsd: number; onExceed: BudgetAction }): BudgetVerdict {
  const overByUsd = roundCents(Math.max(0, checkedUsd - budget.monthlyUsd));
  return {
    monthlyUsd: budget.monthlyUsd,
    onExceed: budget.onExceed,
    checkedUsd,
    withinBudget: overByUsd === 0,
    overByUsd,
  };
}

/** True when the estimate's budget says `fail` and it is exceeded. */
export function failsBudget(estimate: CostEstimate): boolean {
  return estimate.budget !== undefined && !estimate.budget.withinBudget && estimate.budget.onExceed === "fail";
}

/** The largest lines first: what to show when a budget is exceeded. */
export function largestLines(estimate: CostEstimate, count = 3): CostEstimate["lines"] {
  const lines = estimate.worstCaseLines ?? estimate.lines;
  return [...lines].sort((a, b) => b.monthlyUsd - a.monthlyUsd).slice(0, count);
}
