/**
 * The live price of a Capacity Block, asked of EC2 at preview (lib/cost/capacity-block-live.ts says what AWS can
 * answer and what the figure means). The synchronous estimate stays catalog-priced, so validation and the budget
 * check still happen before anything exists; this runs after, and publishes which price it used.
 *
 * Every failure of the two look-ups is caught and becomes the reason the catalog was used. In the Pulumi Node SDK a
 * promise-form invoke's failure is only the returned promise's rejection: invokeAsync rejects it with the engine's
 * message and records nothing else (node_modules/@pulumi/pulumi/runtime/invoke.js, 3.248.0; a serialization failure
 * alone is also logged), and the engine hands the provider's error back to the program as the call's error
 * (pulumi/pulumi pkg/resource/deploy/source_eval.go, resmon Invoke: "invocation of %v returned an error"). Caught, it
 * does not fail the program (a Pulumi maintainer on pulumi/pulumi#3364 shows the same catch). One thing the program
 * cannot hold back: the AWS provider's plugin-framework bridge logs a data source's error diagnostic before
 * returning it (pulumi-terraform-bridge pf processDiagnostics → logDiagnostic, logger.Error), so a preview whose
 * look-up found zero or several offerings also shows that provider line.
 */
import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import {
  capacityBlockPricing,
  liveBudgetFailure,
  liveBudgetWarning,
  offeringQuery,
  type CapacityBlockOffering,
  type CapacityBlockPricing,
} from "../../cost/capacity-block-live.js";
import type { CostEstimate } from "../../cost/types.js";
import type { Plan } from "../../planner/types.js";
import type { CompileContext } from "../types.js";

/** The message of a failed invoke (an Error's, else its text). */
function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The bought block's dates, then the offering for the same block: the offering, or why there is none. */
async function askForOffering(plan: Plan, parent: pulumi.Resource): Promise<CapacityBlockOffering | string> {
  let block: { startDate: string; endDate: string };
  try {
    block = await ec2.getCapacityBlockReservation({ id: plan.reservationId! }, { parent });
  } catch (err) {
    return `reading Capacity Block ${plan.reservationId} failed: ${reason(err)}`;
  }
  const query = offeringQuery(plan, block);
  if (typeof query === "string") return query;
  try {
    return await ec2.getCapacityBlockOffering(query, { parent });
  } catch (err) {
    return reason(err);
  }
}

/**
 * For `pricing: "capacity-block"`: the pricing record, logged against the component. A live worst case over a
 * `fail` budget rejects the output with a ResourceError; the component registers it as an output, so the SDK reports
 * the rejection and the program (preview or up) fails (runtime/resource.js registerResourceOutputs →
 * runAsyncResourceOp re-raises; cmd/run/index.js exits non-zero). Resources already registered are not held back:
 * the catalog-priced budget check, synchronous, is the one that runs before anything exists. Undefined otherwise.
 */
export function liveCapacityBlockPricing(plan: Plan, estimate: CostEstimate, cloudOptions: unknown, ctx: CompileContext): pulumi.Output<CapacityBlockPricing> | undefined {
  if (plan.pricing !== "capacity-block" || plan.reservationId === undefined) return undefined;
  // Opt-in (AwsOptions.liveCapacityBlockPrice says why).
  if ((cloudOptions as { liveCapacityBlockPrice?: boolean } | undefined)?.liveCapacityBlockPrice !== true) return undefined;
  // The day the quote is read: a live quote's own date.
  const quotedOn = new Date().toISOString().slice(0, 10);
  const priced = askForOffering(plan, ctx.parent).then((answer) => capacityBlockPricing(plan, estimate, cloudOptions, answer, quotedOn));
  return pulumi.output(priced).apply((pricing) => {
    void pulumi.log.info(pricing.summary, ctx.parent);
    const warning = liveBudgetWarning(pricing);
    if (warning) void pulumi.log.warn(warning, ctx.parent);
    const failure = liveBudgetFailure(ctx.name, pricing);
    if (failure) throw new pulumi.ResourceError(failure, ctx.parent, true);
    return pricing;
  });
}
