/**
 * The pricing day (lib/cost/pricing-date.ts): the tests price every estimate for the examples' fixed day
 * (vitest.config.mts), and the one day-dependent line, EKS extended support, follows GPU_CLUSTER_PRICING_DATE.
 * Source of the dates: https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html (1.35's standard
 * support ends 2027-03-27, as lib/cost/bom/aws-eks.ts records), and https://aws.amazon.com/eks/pricing/ ($0.60 per
 * cluster-hour in extended support, $0.10 in standard: $0.50 more).
 */
import { afterEach, describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { PRICING_DATE_ENV, pricingDate } from "../lib/cost/pricing-date.js";
import { EXAMPLES_PRICING_DATE } from "../scripts/example-config.js";

const EKS = { cloud: "aws", region: "us-east-1", orchestrator: "kubernetes", gpu: { instanceType: "p5.48xlarge", nodes: 2 } } as const;
const fixed = process.env[PRICING_DATE_ENV];
afterEach(() => {
  process.env[PRICING_DATE_ENV] = fixed;
});

describe("the pricing day", () => {
  it("is the examples' day in the tests, so their READMEs' bills hold after 2027-03-27", () => {
    expect(pricingDate()).toBe(EXAMPLES_PRICING_DATE);
  });

  it("adds EKS extended support for the default version (1.35) from the day its standard support ends (2027-03-27)", () => {
    process.env[PRICING_DATE_ENV] = "2027-03-26";
    const before = gpu.estimateCost(EKS);
    expect(before.lines.some((l) => /extended support/.test(l.description))).toBe(false);
    process.env[PRICING_DATE_ENV] = "2027-03-27";
    const after = gpu.estimateCost(EKS);
    // 730 h × ($0.60 − $0.10) = $365.00.
    expect(after.lines.find((l) => /extended support/.test(l.description))).toMatchObject({ quantity: 730, unitPriceUsd: 0.5, monthlyUsd: 365 });
    expect(Math.round((after.monthlyUsd - before.monthlyUsd) * 100) / 100).toBe(365);
  });

  it("is today without the variable, and a malformed one is a SpecError naming it", () => {
    delete process.env[PRICING_DATE_ENV];
    expect(pricingDate()).toBe(new Date().toISOString().slice(0, 10));
    for (const bad of ["2027-02-30", "27-03-28", "tomorrow"]) {
      process.env[PRICING_DATE_ENV] = bad;
      expect(() => gpu.estimateCost(EKS), bad).toThrow(/GPU_CLUSTER_PRICING_DATE: '.*' is not a day as YYYY-MM-DD/);
    }
  });

  it("names a compute price more than a year older than the pricing day, and a spot price's own date", () => {
    const spot = { cloud: "aws", region: "us-east-1", gpu: { instanceType: "g5.xlarge", nodes: 1 }, pricing: "spot" } as const;
    // SkyPilot's AWS catalog at be265a96 (2023-12-13) gives g5.xlarge's us-east-1 spot; 2023-12-13 → 2026-12-01 is 1,084 days.
    const notes = gpu.estimateCost(spot).notes;
    expect(notes).toContain("spot: the price moves with the market and nodes can be reclaimed; the figure is the catalog's spot price as of 2023-12-13");
    expect(notes.find((n) => n.startsWith("compute:"))).toMatch(/^compute: the catalog's spot price for g5\.xlarge in us-east-1 is from 2023-12-13, 1084 days before this estimate's day/);
    // 2024-06-01 is 171 days after the price: within a year, no note.
    process.env[PRICING_DATE_ENV] = "2024-06-01";
    expect(gpu.estimateCost(spot).notes.some((n) => n.startsWith("compute:"))).toBe(false);
  });
});
