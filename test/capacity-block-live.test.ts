/**
 * Capacity Blocks priced from a live offering (DescribeCapacityBlockOfferings' upfront fee ÷ (instances × hours),
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CapacityBlockOffering.html, read 2026-11-30), the catalog
 * otherwise, and which one was used. The offline answers are AWS's three: one offering, none, several
 * (lib/clouds/aws/offline-invokes.ts).
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { capacityBlockOfferingAnswers } from "../lib/clouds/aws/offline-invokes.js";
import { capacityBlockPricing, liveBudgetFailure, liveBudgetWarning, offeringQuery, offeringRate, type CapacityBlockPricing } from "../lib/cost/capacity-block-live.js";
import { estimateCost, planSpec } from "../lib/cost/estimate.js";
import type { OfflineInvokes } from "../lib/preview/invokes.js";
import { one, privateEndpoint, run, T } from "./helpers/offline.js";

const OFFERING = "aws:ec2/getCapacityBlockOffering:getCapacityBlockOffering";
const block = { pricing: "capacity-block" as const, reservationId: "cr-0123456789abcdef0", zone: "us-east-1b" };
/** The look-up is opt-in (AwsOptions.liveCapacityBlockPrice). */
const live = { liveCapacityBlockPrice: true };
const spec = { cloud: "aws" as const, region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 4 }, ...block };
// The offline block (lib/clouds/aws/offline-invokes.ts): 2031-03-03T11:30Z to 2031-03-17T11:30Z, 14 days = 336 h.
const dates = { startDate: "2031-03-03T11:30:00Z", endDate: "2031-03-17T11:30:00Z" };
// A quote for 4 × 336 h = 1,344 instance-hours at $63,000.00: $46.875 per instance-hour exactly.
const FEE = "63000.00";
const offering = { capacityBlockOfferingId: "cb-0abc", instanceType: "p5.48xlarge", instanceCount: 4, capacityDurationHours: 336, upfrontFee: FEE, currencyCode: "USD" };

describe("the offering's price, by hand", () => {
  it("upfront fee ÷ (instances × hours): $63,000.00 ÷ (4 × 336 h) = $46.875/instance-hour", () => {
    expect(offeringRate(offering)).toEqual({ upfrontUsd: 63000, usdPerInstanceHour: 46.875 });
    // A fee that does not divide evenly: $1,000.00 ÷ (1 × 24 h) = $41.666…
    expect(offeringRate({ ...offering, instanceCount: 1, capacityDurationHours: 24, upfrontFee: "1000.00" })).toEqual({ upfrontUsd: 1000, usdPerInstanceHour: 1000 / 24 });
  });

  it("refuses what cannot price an hour: another currency, no fee, no hours", () => {
    expect(offeringRate({ ...offering, currencyCode: "EUR" })).toBe("offering cb-0abc is quoted in EUR, not USD");
    expect(offeringRate({ ...offering, upfrontFee: "" })).toBe('offering cb-0abc has no usable upfront fee ("")');
    expect(offeringRate({ ...offering, upfrontFee: "n/a" })).toBe('offering cb-0abc has no usable upfront fee ("n/a")');
    expect(offeringRate({ ...offering, capacityDurationHours: 0 })).toBe("offering cb-0abc quotes 0 instance-hours");
  });

  it("asks for the bought block's twin: the plan's type and nodes, the block's 336 h and its own window", () => {
    expect(offeringQuery({ instanceType: "p5.48xlarge", nodeCount: 4 }, dates)).toEqual({
      instanceType: "p5.48xlarge",
      instanceCount: 4,
      capacityDurationHours: 336,
      startDateRange: "2031-03-03T11:30:00Z",
      endDateRange: "2031-03-17T11:30:00Z",
    });
    expect(offeringQuery({ instanceType: "p5.48xlarge", nodeCount: 4 }, { startDate: "2031-03-03T11:30:00Z", endDate: "2031-03-03T12:00:00Z" })).toBe(
      "the block runs 0.5 h, not a whole number of hours an offering can quote",
    );
    expect(offeringQuery({ instanceType: "p5.48xlarge", nodeCount: 4 }, { startDate: "soon", endDate: "later" })).toBe("the block's dates are not readable (start soon, end later)");
  });
});

describe("the pricing record and the budget decision", () => {
  const plan = planSpec(spec);
  const catalog = estimateCost(plan);

  it("the live monthly figure differs from the catalog's by the compute line only: 4 × 730 h × ($46.875 − $39.33) = $22,031.40", () => {
    const compute = catalog.lines.find((l) => l.category === "compute")!;
    // The catalog's indicative p5.48xlarge us-east-1 block rate (lib/catalog/data/aws.ts SRC_CB), 730 h a month.
    expect(compute).toMatchObject({ quantity: 2920, unitPriceUsd: 39.33, monthlyUsd: 114843.6 });
    const pricing = capacityBlockPricing(plan, catalog, undefined, offering, "2031-01-01");
    expect(pricing.source).toBe("live-offering");
    expect(pricing.usdPerInstanceHour).toBe(46.875);
    expect(pricing.upfrontUsd).toBe(63000);
    // 2,920 × $46.875 = $136,875.00; 2,920 × $39.33 = $114,843.60.
    expect(pricing.liveMonthlyUsd).toBeCloseTo(catalog.worstCaseMonthlyUsd + 22031.4, 2);
    expect(pricing.catalogMonthlyUsd).toBe(catalog.worstCaseMonthlyUsd);
    expect(pricing.summary).toBe(
      `capacity block priced from: live offering cb-0abc ($63,000.00 upfront = $46.875/instance-hour); ` +
        `${usd(catalog.worstCaseMonthlyUsd + 22031.4)}/month live, ${usd(catalog.worstCaseMonthlyUsd)}/month at the catalog's ${plan.unitPrice.asOf} rate`,
    );
  });

  it("no offering: the catalog, with its date and the reason", () => {
    const pricing = capacityBlockPricing(plan, catalog, undefined, "empty result", "2031-01-01");
    expect(pricing).toEqual({
      source: "catalog",
      summary: `capacity block priced from: catalog ${plan.unitPrice.asOf} (live offering unavailable: empty result)`,
      usdPerInstanceHour: 39.33,
      catalogMonthlyUsd: catalog.worstCaseMonthlyUsd,
      unavailableBecause: "empty result",
    });
  });

  it("an offering for another size is not this block's price", () => {
    const pricing = capacityBlockPricing(plan, catalog, undefined, { ...offering, instanceCount: 2 }, "2031-01-01");
    expect(pricing.source).toBe("catalog");
    expect(pricing.unavailableBecause).toBe("offering cb-0abc is for 2 × p5.48xlarge, not 4 × p5.48xlarge");
  });

  it("fails a 'fail' budget the live figure exceeds though the catalog's is within it, by $21,031.40", () => {
    const budgetUsd = Math.round(catalog.worstCaseMonthlyUsd) + 1000;
    const budgeted = planSpec({ ...spec, budget: { monthlyUsd: budgetUsd, onExceed: "fail" } });
    const estimate = estimateCost(budgeted);
    expect(estimate.budget!.withinBudget).toBe(true);
    const pricing = capacityBlockPricing(budgeted, estimate, undefined, offering, "2031-01-01");
    const overBy = Math.round((catalog.worstCaseMonthlyUsd + 22031.4 - budgetUsd) * 100) / 100;
    expect(pricing.liveBudget).toMatchObject({ withinBudget: false, onExceed: "fail", overByUsd: overBy });
    expect(liveBudgetFailure("blk", pricing)).toBe(
      `blk: OVER BUDGET (fail) at the live Capacity Block price: ${usd(pricing.liveMonthlyUsd!)}/month exceeds ${usd(budgetUsd)} by ${usd(overBy)} (${pricing.summary})`,
    );
    expect(liveBudgetWarning(pricing)).toBeUndefined();
    // The same over a 'warn' budget warns and does not fail; the catalog fallback never fails on the live rule.
    const warned = capacityBlockPricing({ ...budgeted, budget: { monthlyUsd: budgetUsd, onExceed: "warn" } }, estimate, undefined, offering, "2031-01-01");
    expect(liveBudgetFailure("blk", warned)).toBeUndefined();
    expect(liveBudgetWarning(warned)).toContain(`exceeds ${usd(budgetUsd)} by ${usd(overBy)}`);
    expect(liveBudgetFailure("blk", capacityBlockPricing(budgeted, estimate, undefined, "empty result", "2031-01-01"))).toBeUndefined();
  });
});

describe("a live figure over a 'fail' budget stops the program", () => {
  // In a child process: the failure is the rejection of the component's registered output, which the SDK re-raises as
  // an unhandled rejection (runtime/resource.js runAsyncResourceOp) — what fails a real preview, and what vitest's own
  // handler would report as a failed run here.
  it("with the live worst case and the budget in the message, to the cent", () => {
    const fixture = path.join(__dirname, "fixtures", "capacity-block", "live-fail-budget.ts");
    const out = spawnSync(process.execPath, [require.resolve("tsx/cli"), fixture, "120000"], { encoding: "utf8", cwd: path.join(__dirname, "..") });
    expect(out.status, out.stderr).toBe(0);
    const printed = JSON.parse(out.stdout.trim().split("\n").pop()!) as { error: { message: string } | null; catalogUsd: number };
    const catalogUsd = estimateCost(planSpec({ ...spec, budget: { monthlyUsd: 120000, onExceed: "fail" } })).worstCaseMonthlyUsd;
    // The catalog's figure is within $120,000.00, so the synchronous check let the component build.
    expect(printed.catalogUsd).toBe(catalogUsd);
    expect(catalogUsd).toBeLessThan(120000);
    const liveUsd = Math.round((catalogUsd + 22031.4) * 100) / 100;
    expect(printed.error?.message).toContain(
      `blk: OVER BUDGET (fail) at the live Capacity Block price: ${usd(liveUsd)}/month exceeds $120,000.00 by ${usd(Math.round((liveUsd - 120000) * 100) / 100)}`,
    );
  }, 120_000);
});

describe("the component asks EC2 and says which price it used", () => {
  async function priced(invokes: OfflineInvokes = {}, extra: Partial<gpu.TrainingClusterArgs> = {}) {
    const result = await run(() => new gpu.TrainingCluster("blk", { ...spec, aws: live, ...extra } as gpu.TrainingClusterArgs), { invokes });
    expect(result.error).toBeUndefined();
    return { result, pricing: one(result, T.training).outputs.capacityBlockPricing as CapacityBlockPricing | undefined };
  }

  it("one offering: live, from the fee EC2 quoted for the same 4 × 336 h block", async () => {
    const asked: Record<string, unknown>[] = [];
    const answer = capacityBlockOfferingAnswers.one(FEE, "cb-0live");
    const { result, pricing } = await priced({ [OFFERING]: (inputs, region) => (asked.push(inputs), answer(inputs, region)) });
    expect(asked).toEqual([{ instanceType: "p5.48xlarge", instanceCount: 4, capacityDurationHours: 336, startDateRange: dates.startDate, endDateRange: dates.endDate }]);
    const catalogUsd = result.costEvents[0]!.estimate.worstCaseMonthlyUsd;
    expect(pricing).toMatchObject({ source: "live-offering", offeringId: "cb-0live", upfrontUsd: 63000, usdPerInstanceHour: 46.875, catalogMonthlyUsd: catalogUsd });
    expect(pricing!.liveMonthlyUsd).toBeCloseTo(catalogUsd + 22031.4, 2);
    expect(result.logs.join("\n")).toContain("capacity block priced from: live offering cb-0live ($63,000.00 upfront = $46.875/instance-hour)");
  });

  it("no offering in the window: the catalog, and AWS's reason", async () => {
    const { result, pricing } = await priced({ [OFFERING]: capacityBlockOfferingAnswers.none() });
    expect(pricing).toMatchObject({ source: "catalog", usdPerInstanceHour: 39.33 });
    expect(pricing!.unavailableBecause).toContain('reading EC2 Capacity Block Offering ("p5.48xlarge"): empty result');
    expect(result.logs.join("\n")).toMatch(/capacity block priced from: catalog \S+ \(live offering unavailable: invocation of aws:ec2\/getCapacityBlockOffering/);
  });

  it("several offerings: the provider refuses to pick one; the catalog, and why", async () => {
    const { pricing } = await priced({ [OFFERING]: capacityBlockOfferingAnswers.many(3) });
    expect(pricing!.source).toBe("catalog");
    expect(pricing!.unavailableBecause).toContain("too many results: wanted 1, got 3");
  });

  it("offline by default: nothing to ask, so the catalog, saying so", async () => {
    const { pricing } = await priced();
    expect(pricing!.source).toBe("catalog");
    expect(pricing!.unavailableBecause).toBe("offline preview: no cloud to quote a Capacity Block offering");
  });

  it("a 'warn' budget the live figure exceeds is warned about; the preview goes on", async () => {
    const catalogUsd = estimateCost(planSpec(spec)).worstCaseMonthlyUsd;
    const budget = { monthlyUsd: Math.round(catalogUsd) + 1000, onExceed: "warn" as const };
    const { result, pricing } = await priced({ [OFFERING]: capacityBlockOfferingAnswers.one(FEE) }, { budget });
    expect(pricing!.liveBudget).toMatchObject({ withinBudget: false, onExceed: "warn" });
    expect(result.logs.join("\n")).toContain(`OVER BUDGET (warn) at the live Capacity Block price: ${usd(pricing!.liveMonthlyUsd!)}/month`);
  });

  it("a training cluster on EKS asks the same way: 2 nodes × 336 h at $20,160.00 is $30.00/instance-hour", async () => {
    const asked: Record<string, unknown>[] = [];
    const answer = capacityBlockOfferingAnswers.one("20160.00", "cb-0eks");
    const result = await run(
      () =>
        new gpu.TrainingCluster("eks", privateEndpoint({ cloud: "aws", region: "us-east-1", orchestrator: "kubernetes", gpu: { instanceType: "p5.48xlarge", nodes: 2 }, ...block, aws: { ...live, eks: {} } } as gpu.TrainingClusterArgs)),
      { invokes: { [OFFERING]: (inputs, region) => (asked.push(inputs), answer(inputs, region)) } },
    );
    expect(result.error).toBeUndefined();
    expect(asked).toEqual([{ instanceType: "p5.48xlarge", instanceCount: 2, capacityDurationHours: 336, startDateRange: dates.startDate, endDateRange: dates.endDate }]);
    const pricing = one(result, T.training).outputs.capacityBlockPricing as CapacityBlockPricing;
    // $20,160.00 ÷ (2 × 336 h) = $30.00; 2 × 730 h × ($30.00 − $39.33) = −$13,621.80 against the catalog.
    expect(pricing).toMatchObject({ source: "live-offering", offeringId: "cb-0eks", usdPerInstanceHour: 30 });
    expect(pricing.liveMonthlyUsd).toBeCloseTo(pricing.catalogMonthlyUsd - 13621.8, 2);
  });

  it("off unless asked for: no look-up, no output, even for a Capacity Block (a zero-offering answer would put the provider's error line into the preview)", async () => {
    const asked: unknown[] = [];
    const result = await run(() => new gpu.TrainingCluster("blk", spec as gpu.TrainingClusterArgs), { invokes: { [OFFERING]: (inputs) => (asked.push(inputs), inputs) } });
    expect(result.error).toBeUndefined();
    expect(one(result, T.training).outputs.capacityBlockPricing).toBeUndefined();
    expect(asked).toEqual([]);
  });

  it("on-demand capacity has no live price: the output is undefined and EC2 is not asked", async () => {
    const asked: unknown[] = [];
    const result = await run(() => new gpu.TrainingCluster("od", { cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 } }), {
      invokes: { [OFFERING]: (inputs) => (asked.push(inputs), inputs) },
    });
    expect(result.error).toBeUndefined();
    expect(one(result, T.training).outputs.capacityBlockPricing).toBeUndefined();
    expect(asked).toEqual([]);
  });
});

function usd(n: number): string {
  return n.toLocaleString("en-US", { style: "currency", currency: "USD" });
}
