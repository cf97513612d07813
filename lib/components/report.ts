/**
 * The preview-time cost hook of every component: log the cost table against
 * the component, run the user's hooks, and enforce the budget.
 */
import * as pulumi from "@pulumi/pulumi";
import { failsBudget } from "../cost/budget.js";
import { budgetSentence, renderText } from "../cost/render.js";
import type { CostEstimate } from "../cost/types.js";
import type { Plan } from "../planner/types.js";
import { runCostHooks } from "./cost-hooks.js";

/** Thrown when a `fail` budget is exceeded: stops the preview before any resource is created. */
export class BudgetExceededError extends Error {
  override readonly name = "BudgetExceededError";
  readonly estimate: CostEstimate;
  constructor(componentName: string, estimate: CostEstimate) {
    super(`${componentName}: ${budgetSentence(estimate)}`);
    this.estimate = estimate;
  }
}

/** Log, call hooks, check the budget. Synchronous, so a budget failure happens before any child exists. */
export function reportCost(component: pulumi.ComponentResource, type: string, name: string, plan: Plan, estimate: CostEstimate): void {
  const dryRun = pulumi.runtime.isDryRun();
  pulumi.log.info(renderText(estimate), component);
  for (const note of plan.notes) pulumi.log.info(`plan: ${note}`, component);
  // The hooks get copies: the budget check below and the compiler after it read this plan and estimate (the compiler
  // builds from the estimate's bill of materials), and a hook that sorts or edits what it is given must change neither.
  runCostHooks({ type, name, plan: structuredClone(plan), estimate: structuredClone(estimate), dryRun }, (err) =>
    pulumi.log.warn(`cost hook failed: ${err instanceof Error ? err.message : String(err)}`, component),
  );
  if (estimate.budget && !estimate.budget.withinBudget) {
    if (failsBudget(estimate)) throw new BudgetExceededError(name, estimate);
    pulumi.log.warn(budgetSentence(estimate), component);
  }
}
