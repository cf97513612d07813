/**
 * An internet-facing AWS VM fleet admits the client ranges the spec names (review session 28, F7): `aws.allowedSourceRanges`,
 * required as the other targets require theirs (lib/clouds/gcp/options.ts gcp.allowedSourceRanges, lib/clouds/kubernetes/options.ts
 * loadBalancerSourceRanges: "the model server has no auth of its own"); used as the ALB security group's ingress
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-update-security-groups.html).
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { checkAwsOptions } from "../lib/clouds/aws/options.js";
import { SpecError } from "../lib/spec/errors.js";
import { byName, run, T } from "./helpers/offline.js";
import { specError } from "./helpers/spec-error.js";

const CERT = "arn:aws:acm:us-east-1:000000000000:certificate/offline";
const fleet = { cloud: "aws" as const, region: "us-east-1", gpu: { model: "L4" as const }, replicas: { min: 1, max: 2 } };
const open = { ...fleet, loadBalancer: "internet-facing" as const };

function refusal(spec: gpu.FleetSpec, aws: Record<string, unknown>): SpecError {
  return specError(() => checkAwsOptions(gpu.planFleet(spec), aws));
}

describe("aws.allowedSourceRanges", () => {
  it("internet-facing without it → SpecError naming the field, with the fix", () => {
    const e = refusal(open, { certificateArn: CERT });
    expect(e.path).toBe("aws.allowedSourceRanges");
    expect(e.problem).toBe("an internet-facing fleet needs the client ranges its load balancer admits (the model server has no auth of its own)");
    expect(e.hint).toBe("e.g. ['203.0.113.0/24'], or ['0.0.0.0/0'] to open it to everyone on purpose");
    expect(refusal(open, { certificateArn: CERT, allowedSourceRanges: [] }).path).toBe("aws.allowedSourceRanges");
  });

  it("a range that is not an IPv4 CIDR, an internal fleet or EKS with it → SpecError", () => {
    expect(refusal(open, { certificateArn: CERT, allowedSourceRanges: ["203.0.113.7"] }).problem).toBe("'203.0.113.7' is not an IPv4 CIDR");
    expect(refusal(fleet, { allowedSourceRanges: ["203.0.113.0/24"] }).problem).toBe("an internal fleet is reachable from its VPC only, through its internal load balancer");
    const eks = refusal({ ...open, orchestrator: "kubernetes" }, { certificateArn: CERT, allowedSourceRanges: ["203.0.113.0/24"], eks: { loadBalancerSourceRanges: ["203.0.113.0/24"], publicEndpoint: false } });
    expect([eks.path, eks.hint]).toEqual(["aws.allowedSourceRanges", "on EKS set aws.eks.loadBalancerSourceRanges"]);
  });

  it("the ALB security group admits exactly the given ranges on 80 and 443, never 0.0.0.0/0 unless typed", async () => {
    const result = await run(() => new gpu.InferenceFleet("pub", { ...open, aws: { certificateArn: CERT, allowedSourceRanges: ["203.0.113.0/24", "198.51.100.0/25"] } } as gpu.InferenceFleetArgs));
    expect(result.error).toBeUndefined();
    const ingress = byName(result, T.sg, "pub-lb-sg").inputs.ingress as { fromPort: number; cidrBlocks: string[] }[];
    expect(ingress.map((r) => [r.fromPort, r.cidrBlocks])).toEqual([
      [80, ["203.0.113.0/24", "198.51.100.0/25"]],
      [443, ["203.0.113.0/24", "198.51.100.0/25"]],
    ]);
    const everyone = await run(() => new gpu.InferenceFleet("all", { ...open, aws: { certificateArn: CERT, allowedSourceRanges: ["0.0.0.0/0"] } } as gpu.InferenceFleetArgs));
    expect((byName(everyone, T.sg, "all-lb-sg").inputs.ingress as { cidrBlocks: string[] }[]).map((r) => r.cidrBlocks)).toEqual([["0.0.0.0/0"], ["0.0.0.0/0"]]);
  });
});
