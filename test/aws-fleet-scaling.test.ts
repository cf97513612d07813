/**
 * The AWS VM fleet's scaling target is per minute (review session 28, F14): ALBRequestCountPerTarget's target is "the
 * optimal average request ... count per instance during any one-minute interval" (EC2 Auto Scaling
 * TargetTrackingConfiguration.TargetValue, https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_TargetTrackingConfiguration.html).
 * Default 60 a minute: the GCP VM fleet's 1 request a second per replica (lib/clouds/gcp/options.ts GCP_DEFAULTS).
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { AWS_DEFAULTS } from "../lib/clouds/aws/options.js";
import { GCP_DEFAULTS } from "../lib/clouds/gcp/options.js";
import { one, run } from "./helpers/offline.js";

const POLICY = "aws:autoscaling/policy:Policy";
const fleet = { cloud: "aws" as const, region: "us-east-1", gpu: { model: "L4" as const }, replicas: { min: 1, max: 4 } };

describe("AWS VM fleet scaling target", () => {
  it("default: 60 ALB requests per replica per minute, the GCP default's 1 a second", async () => {
    expect(AWS_DEFAULTS.targetRequestsPerReplica).toBe(GCP_DEFAULTS.requestsPerSecondPerReplica * 60);
    const result = await run(() => new gpu.InferenceFleet("sc", fleet as gpu.InferenceFleetArgs));
    expect(result.error).toBeUndefined();
    expect(one(result, POLICY).inputs.targetTrackingConfiguration).toMatchObject({ predefinedMetricSpecification: { predefinedMetricType: "ALBRequestCountPerTarget" }, targetValue: 60 });
  });

  it("aws.targetRequestsPerReplica sets it", async () => {
    const result = await run(() => new gpu.InferenceFleet("sc2", { ...fleet, aws: { targetRequestsPerReplica: 120 } } as gpu.InferenceFleetArgs));
    expect(one(result, POLICY).inputs.targetTrackingConfiguration.targetValue).toBe(120);
  });
});
