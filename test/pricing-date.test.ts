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
});
