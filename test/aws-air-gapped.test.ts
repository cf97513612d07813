/**
 * `egress.natGateway: false` on AWS. VMs: interface VPC endpoints (private DNS, every private subnet, HTTPS from the VPC
 * only) for what the nodes must reach, priced in the estimate to the cent. EKS: refused, since its add-on images come
 * from public registries (https://docs.aws.amazon.com/eks/latest/userguide/private-clusters.html).
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { AIR_GAPPED_ENDPOINT_SERVICES } from "../lib/clouds/aws/endpoints.js";
import { byName, ofType, run, T, privateEndpoint } from "./helpers/offline.js";

const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
const base = { cloud: "aws" as const, region: "us-east-1", egress: { natGateway: false } };
const trainingSpec = { ...base, gpu: { instanceType: "p5.48xlarge", nodes: 2 } } as gpu.ClusterSpec;
const fleetSpec = { ...base, gpu: { model: "L4" }, replicas: { min: 2, max: 4 } } as gpu.FleetSpec;

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
    const result = await run(() => new gpu.InferenceFleet("gapf", fleetSpec as gpu.InferenceFleetArgs));
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
