/**
 * aws.eks.kubernetesVersion past the end of EKS extended support (review session 28, F4). Source: the EKS release
 * calendar (awsdocs/amazon-eks-user-guide@013856044148d6eeed4723027a45aa2180536bcb latest/ug/versioning/kubernetes-versions.adoc:
 * 1.31 "End of extended support" November 26, 2026; 1.32 March 23, 2027; "On the end of extended support date, you can
 * no longer create new Amazon EKS clusters with the unsupported version"). Tests price on 2026-12-01
 * (scripts/example-pricing-date.json, GPU_CLUSTER_PRICING_DATE).
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { checkAwsOptions } from "../lib/clouds/aws/options.js";
import { eksExtendedSupportEnded } from "../lib/clouds/aws/eks/support-calendar.js";
import { SpecError } from "../lib/spec/errors.js";
import { specError } from "./helpers/spec-error.js";

const plan = gpu.planCluster({ cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 }, orchestrator: "kubernetes" });

function refusal(kubernetesVersion: string): SpecError {
  return specError(() => checkAwsOptions(plan, { eks: { kubernetesVersion } }));
}

describe("EKS versions past extended support", () => {
  it("the pricing day is the one the tests fix", () => {
    expect(process.env.GPU_CLUSTER_PRICING_DATE).toBe("2026-12-01");
  });

  it("1.31 (extended support ended 2026-11-26) → SpecError on aws.eks.kubernetesVersion with the versions still offered", () => {
    const e = refusal("1.31");
    expect(e.path).toBe("aws.eks.kubernetesVersion");
    expect(e.problem).toBe("'1.31' left EKS extended support on 2026-11-26: EKS no longer creates clusters on it and upgrades existing ones off it");
    expect(e.hint).toBe("use 1.32 or later (1.32, 1.33, 1.34, 1.35 are offered; EKS bills extended support for those past standard support), or leave it out for 1.35");
  });

  it("1.29 and a version older than the calendar are refused too", () => {
    expect(refusal("1.29").problem).toContain("left EKS extended support on 2026-03-23");
    expect(refusal("1.25").problem).toContain("left EKS extended support before 2025-11-26");
  });

  it("the calendar's day boundaries: 1.32 is offered until 2027-03-23, a version newer than the calendar is not refused", () => {
    expect(eksExtendedSupportEnded("1.32", "2027-03-22")).toBeUndefined();
    expect(eksExtendedSupportEnded("1.32", "2027-03-23")).toBe("2027-03-23");
    expect(eksExtendedSupportEnded("1.37", "2026-12-01")).toBeUndefined();
  });

  it("1.32, in extended support on the pricing day, compiles and bills extended support: 730 h × $0.50 = $365.00", () => {
    expect(() => checkAwsOptions(plan, { eks: { kubernetesVersion: "1.32", publicEndpoint: false } })).not.toThrow();
    const line = gpu.estimateCost(plan, { eks: { kubernetesVersion: "1.32" } }).lines.find((l) => /extended support/.test(l.description))!;
    expect(line).toMatchObject({ quantity: 730, unitPriceUsd: 0.5, monthlyUsd: 365 });
    expect(line.description).toContain("1.32");
  });
});
