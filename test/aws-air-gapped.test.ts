/**
 * `egress.natGateway: false` on AWS. VMs: interface VPC endpoints (private DNS, every private subnet, HTTPS from the VPC
 * only) for what the nodes must reach, priced in the estimate to the cent. EKS: refused, since its add-on images come
 * from public registries (https://docs.aws.amazon.com/eks/latest/userguide/private-clusters.html).
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { AIR_GAPPED_ENDPOINT_SERVICES } from "../lib/clouds/aws/endpoints.js";
import { checkAwsOptions } from "../lib/clouds/aws/options.js";
import { SpecError } from "../lib/spec/errors.js";
import { gunzipSync } from "node:zlib";
import { byName, ofType, run, T, privateEndpoint } from "./helpers/offline.js";
import { specError } from "./helpers/spec-error.js";

const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
const base = { cloud: "aws" as const, region: "us-east-1", egress: { natGateway: false } };
const trainingSpec = { ...base, gpu: { instanceType: "p5.48xlarge", nodes: 2 } } as gpu.ClusterSpec;
// An air-gapped fleet serves an image from the account's ECR with the weights inside it (lib/clouds/aws/air-gapped-fleet.ts).
const ECR_SERVER = { image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/vllm-qwen3:v0.11.0", model: "/models/Qwen3-8B" };
const fleetSpec = { ...base, gpu: { model: "L4" }, replicas: { min: 2, max: 4 } } as gpu.FleetSpec;
const fleetArgs = { ...fleetSpec, aws: { modelServer: ECR_SERVER } } as gpu.InferenceFleetArgs;

describe("AWS VMs without a NAT gateway (https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html)", () => {
  it("builds one interface endpoint per needed service with private DNS in the private subnet, behind a 443-from-the-VPC group", async () => {
    const result = await run(() => new gpu.TrainingCluster("gap", trainingSpec as gpu.TrainingClusterArgs));
    expect(result.error).toBeUndefined();
    expect(ofType(result, T.nat)).toHaveLength(0);
    const interfaces = ofType(result, ENDPOINT).filter((e) => e.inputs.vpcEndpointType === "Interface");
    expect(interfaces.map((e) => e.inputs.serviceName).sort()).toEqual(
      ["autoscaling", "ec2", "ec2messages", "ecr.api", "ecr.dkr", "secretsmanager", "ssm", "ssmmessages", "sts"].map((s) => `com.amazonaws.us-east-1.${s}`),
    );
    // Two nodes trust each other: each reads the cluster SSH key from Secrets Manager at boot (lib/clouds/aws/cluster-ssh.ts;
    // https://docs.aws.amazon.com/secretsmanager/latest/userguide/vpc-endpoint-overview.html, read 2026-11-30).
    for (const e of interfaces) {
      expect(e.inputs).toMatchObject({ privateDnsEnabled: true, subnetIds: ["gap-private-0-id"], securityGroupIds: ["gap-endpoints-sg-id"] });
    }
    expect(byName(result, ENDPOINT, "gap-ecr-dkr-endpoint").inputs.serviceName).toBe("com.amazonaws.us-east-1.ecr.dkr");
    // The health loop's `aws autoscaling set-instance-health` has no other way out of an air-gapped VPC
    // (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-vpc-endpoints.html, read 2026-11-30).
    expect(byName(result, ENDPOINT, "gap-autoscaling-endpoint").inputs.serviceName).toBe("com.amazonaws.us-east-1.autoscaling");
    const group = byName(result, T.sg, "gap-endpoints-sg").inputs;
    expect(group.ingress).toEqual([expect.objectContaining({ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/16"] })]);
    expect(group.egress).toEqual([]);
  });

  it("a fleet's endpoints sit in both private subnets", async () => {
    const result = await run(() => new gpu.InferenceFleet("gapf", fleetArgs));
    expect(result.error).toBeUndefined();
    const interfaces = ofType(result, ENDPOINT).filter((e) => e.inputs.vpcEndpointType === "Interface");
    expect(interfaces).toHaveLength(AIR_GAPPED_ENDPOINT_SERVICES.length);
    expect(interfaces[0]!.inputs.subnetIds).toEqual(["gapf-private-0-id", "gapf-private-1-id"]);
  });

  it("with a NAT gateway there are no interface endpoints (only the free S3 gateway endpoint)", async () => {
    const result = await run(() => new gpu.TrainingCluster("nat", { ...trainingSpec, egress: {} } as gpu.TrainingClusterArgs));
    expect(ofType(result, ENDPOINT).map((e) => e.inputs.vpcEndpointType)).toEqual(["Gateway"]);
  });

  it("prices the endpoints per service per zone for 730 h, to the cent: 9 × 1 × 730 × 0.01 = 65.70 USD (training, with Secrets Manager), 8 × 2 × 730 × 0.01 = 116.80 USD (fleet)", () => {
    const training = gpu.estimateCost(trainingSpec).lines.find((l) => l.description.startsWith("interface VPC endpoints"))!;
    expect(training).toMatchObject({ category: "network", quantity: 6570, unit: "endpoint-zone-hour", unitPriceUsd: 0.01, monthlyUsd: 65.7, asOf: "2024-10-18" });
    expect(training.source).toContain("https://aws.amazon.com/privatelink/pricing/");
    // The rate is the AWS price API's, as infracost's vpc_endpoint golden captured it at 6137111a3 (2024-10-18):
    // Endpoint (Interface) 730 hours $7.30.
    expect(training.source).toContain("vpc_endpoint_test.golden");
    const fleet = gpu.estimateCost(fleetSpec).lines.find((l) => l.description.startsWith("interface VPC endpoints"))!;
    expect(fleet).toMatchObject({ quantity: 11680, monthlyUsd: 116.8 });
    expect(gpu.estimateCost({ ...trainingSpec, egress: {} }).lines.some((l) => l.description.startsWith("interface VPC endpoints"))).toBe(false);
  });

  it("EKS without a NAT gateway is a SpecError naming egress.natGateway", async () => {
    const result = await run(() => new gpu.TrainingCluster("eksgap", privateEndpoint({ ...trainingSpec, orchestrator: "kubernetes" } as gpu.TrainingClusterArgs)));
    expect(result.error).toMatchObject({ name: "SpecError", path: "egress.natGateway" });
    expect(String(result.error)).toContain("nvcr.io");
  });
});

/**
 * F3 (review session 28): the default server's image is on Docker Hub and its weights on huggingface.co; the endpoints
 * (lib/clouds/aws/endpoints.ts) reach AWS APIs only (https://docs.aws.amazon.com/vpc/latest/privatelink/aws-services-privatelink-support.html),
 * so an air-gapped fleet must serve a private ECR image with the weights inside it.
 */
describe("an air-gapped AWS VM fleet's model server", () => {
  const plan = (_modelServer?: Record<string, unknown>) => gpu.planFleet(fleetSpec);
  const refusal = (modelServer?: Record<string, unknown>) => {
    return specError(() => checkAwsOptions(plan(modelServer), modelServer ? { modelServer } : undefined));
  };

  it("the default server (Docker Hub image, Hugging Face model) → SpecError on egress.natGateway naming both, with the fix", () => {
    const e = refusal();
    expect(e).toBeInstanceOf(SpecError);
    expect(e.path).toBe("egress.natGateway");
    expect(e.problem).toBe(
      "is false, and the fleet's model server would pull its image 'vllm/vllm-openai:v0.11.0@sha256:014a95f21c9edf6abe0aea6b07353f96baa4ec291c427bb1176dc7c93a85845c' from outside the account's ECR registry in us-east-1 and its model 'Qwen/Qwen3-8B' from huggingface.co, which the VPC endpoints do not reach: no replica could start",
    );
    expect(e.hint).toBe(
      "keep the NAT gateway, or push the server image with the weights inside it to ECR and set aws.modelServer.image: '<account>.dkr.ecr.us-east-1.amazonaws.com/<repository>:<tag>' and aws.modelServer.model: '/<path of the weights in the image>'",
    );
  });

  it("an ECR image of another region, or a Hugging Face model with an ECR image, is refused too", () => {
    expect(refusal({ ...ECR_SERVER, image: "123456789012.dkr.ecr.us-west-2.amazonaws.com/vllm:1" }).problem).toContain("its image '123456789012.dkr.ecr.us-west-2.amazonaws.com/vllm:1' from outside");
    expect(refusal({ image: ECR_SERVER.image }).problem).toContain("its model 'Qwen/Qwen3-8B' from huggingface.co");
    expect(refusal({ image: ECR_SERVER.image, args: ["--port", "8000"] }).problem).toContain("its model (no --model in aws.modelServer.args) from huggingface.co");
  });

  it("an ECR image in the region with the weights in it compiles, and the launcher logs Docker in to that registry before each run", async () => {
    expect(() => checkAwsOptions(plan(ECR_SERVER), { modelServer: ECR_SERVER })).not.toThrow();
    const result = await run(() => new gpu.InferenceFleet("gapm", fleetArgs));
    expect(result.error).toBeUndefined();
    const lt = ofType(result, "aws:ec2/launchTemplate:LaunchTemplate")[0]!.inputs;
    const raw = Buffer.from(lt.userData, "base64");
    const userData = (raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw).toString();
    const login = "aws ecr get-login-password --region us-east-1 | docker login --username AWS --password-stdin '123456789012.dkr.ecr.us-east-1.amazonaws.com' >/dev/null";
    expect(userData).toContain(login);
    expect(userData.indexOf(login)).toBeLessThan(userData.indexOf("exec /usr/bin/docker run"));
    expect(userData).toContain("'123456789012.dkr.ecr.us-east-1.amazonaws.com/vllm-qwen3:v0.11.0' '--model' '/models/Qwen3-8B'");
  });

  it("with the NAT gateway the default server stays as it is", () => {
    expect(() => checkAwsOptions(gpu.planFleet({ ...base, egress: { natGateway: true }, gpu: { model: "L4" }, replicas: { min: 2, max: 4 } } as gpu.FleetSpec), undefined)).not.toThrow();
  });
});

