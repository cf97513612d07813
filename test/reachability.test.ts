/**
 * `pulumi up` installs Helm releases and the workload through a new cluster's API server, so it must reach it: the
 * choice is explicit (a SpecError names the option), a public endpoint admits named ranges only, and each cloud's
 * control plane gets exactly that.
 * - EKS: https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html (endpointPublicAccess, publicAccessCidrs)
 * - GKE: https://cloud.google.com/kubernetes-engine/docs/how-to/authorized-networks (private endpoint off, authorized networks)
 * - AKS: https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges (authorizedIPRanges, not a private cluster)
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { main } from "../lib/cli/main.js";
import { one, run } from "./helpers/offline.js";

const exec = promisify(execFile);

const TARGETS = [
  { bag: "aws.eks", spec: { cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 } }, cluster: "aws:eks/cluster:Cluster" },
  { bag: "gcp.gke", spec: { cloud: "gcp", region: "us-central1", gpu: { instanceType: "a3-megagpu-8g", nodes: 2 } }, cluster: "gcp:container/cluster:Cluster" },
  { bag: "azure.aks", spec: { cloud: "azure", region: "eastus", gpu: { instanceType: "Standard_ND96isr_H100_v5", nodes: 2 } }, cluster: "azure-native:containerservice:ManagedCluster" },
] as const;

function cluster(spec: Record<string, unknown>, bag: string, options: Record<string, unknown>) {
  const [cloud, sub] = bag.split(".") as [string, string];
  return () => new gpu.TrainingCluster("reach", { ...spec, orchestrator: "kubernetes", [cloud]: { [sub]: options } } as unknown as gpu.TrainingClusterArgs);
}

describe.each(TARGETS)("$bag: how pulumi up reaches a new cluster", ({ bag, spec, cluster: clusterType }) => {
  it.each([
    ["no choice", {}, "publicEndpoint", /must be reachable from where `pulumi up` runs/],
    ["public without ranges", { publicEndpoint: true }, "publicAccessCidrs", /needs the client ranges/],
    ["public to the whole internet", { publicEndpoint: true, publicAccessCidrs: ["0.0.0.0/0"] }, "publicAccessCidrs", /large part of the internet/],
    ["the whole internet in two halves", { publicEndpoint: true, publicAccessCidrs: ["0.0.0.0/1", "128.0.0.0/1"] }, "publicAccessCidrs", /large part of the internet/],
    ["not a CIDR", { publicEndpoint: true, publicAccessCidrs: ["my-laptop"] }, "publicAccessCidrs", /not an IPv4 CIDR/],
    ["ranges on a private endpoint", { publicEndpoint: false, publicAccessCidrs: ["203.0.113.7/32"] }, "publicAccessCidrs", /only applies with publicEndpoint: true/],
  ])("%s is a SpecError naming the option", async (_what, options, field, message) => {
    const result = await run(cluster(spec, bag, options));
    expect(result.error).toMatchObject({ name: "SpecError", path: `${bag}.${field}` });
    expect(String(result.error)).toMatch(message);
    expect(result.resources).toHaveLength(0);
  });

  it("public: the control plane admits the named ranges only", async () => {
    const result = await run(cluster(spec, bag, { publicEndpoint: true, publicAccessCidrs: ["203.0.113.7/32"] }));
    expect(result.error).toBeUndefined();
    const inputs = one(result, clusterType).inputs;
    if (bag === "aws.eks") expect(inputs.vpcConfig).toMatchObject({ endpointPublicAccess: true, endpointPrivateAccess: true, publicAccessCidrs: ["203.0.113.7/32"] });
    if (bag === "gcp.gke") {
      expect(inputs.privateClusterConfig).toMatchObject({ enablePrivateNodes: true, enablePrivateEndpoint: false });
      expect(inputs.masterAuthorizedNetworksConfig.cidrBlocks.map((c: { cidrBlock: string }) => c.cidrBlock)).toEqual(["203.0.113.7/32"]);
    }
    // AKS: the nodes come from the NAT gateway's address, which must be admitted too (offline its address is unknown).
    if (bag === "azure.aks") expect(inputs.apiServerAccessProfile).toEqual({ enablePrivateCluster: false, authorizedIPRanges: ["203.0.113.7/32", "198.51.100.20/32"] });
    if (bag === "gcp.gke") expect(inputs.masterAuthorizedNetworksConfig.gcpPublicCidrsAccessEnabled).toBe(false);
  });

  it("private: no public endpoint at all", async () => {
    const result = await run(cluster(spec, bag, { publicEndpoint: false }));
    expect(result.error).toBeUndefined();
    const inputs = one(result, clusterType).inputs;
    if (bag === "aws.eks") expect(inputs.vpcConfig).toMatchObject({ endpointPublicAccess: false, endpointPrivateAccess: true });
    if (bag === "gcp.gke") expect(inputs.privateClusterConfig).toMatchObject({ enablePrivateEndpoint: true });
    if (bag === "azure.aks") expect(inputs.apiServerAccessProfile).toMatchObject({ enablePrivateCluster: true });
  });
});

describe("private endpoints admit the component's network and privateAccessCidrs", () => {
  it("EKS: the endpoint's own group admits HTTPS from the VPC and the named ranges", async () => {
    const result = await run(cluster(TARGETS[0].spec, "aws.eks", { publicEndpoint: false, privateAccessCidrs: ["10.100.0.0/16"] }));
    expect(result.error).toBeUndefined();
    const group = result.resources.find((r) => r.type === "aws:ec2/securityGroup:SecurityGroup" && r.name === "reach-api-sg")!.inputs;
    expect(group.ingress).toEqual([expect.objectContaining({ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/16", "10.100.0.0/16"] })]);
    expect(one(result, "aws:eks/cluster:Cluster").inputs.vpcConfig.securityGroupIds).toEqual(["reach-api-sg-id"]);
  });

  it("GKE: authorized networks are the component's network and the named ranges", async () => {
    const result = await run(cluster(TARGETS[1].spec, "gcp.gke", { publicEndpoint: false, privateAccessCidrs: ["10.100.0.0/16"] }));
    expect(result.error).toBeUndefined();
    const blocks = one(result, "gcp:container/cluster:Cluster").inputs.masterAuthorizedNetworksConfig.cidrBlocks.map((c: { cidrBlock: string }) => c.cidrBlock);
    expect(blocks).toEqual(["10.0.0.0/12", "10.100.0.0/16"]);
  });

  it("refuses them with a public endpoint, and on AKS (found through its private DNS zone)", async () => {
    const pub = await run(cluster(TARGETS[0].spec, "aws.eks", { publicEndpoint: true, publicAccessCidrs: ["203.0.113.7/32"], privateAccessCidrs: ["10.100.0.0/16"] }));
    expect(pub.error).toMatchObject({ name: "SpecError", path: "aws.eks.privateAccessCidrs" });
    const aks = await run(cluster(TARGETS[2].spec, "azure.aks", { publicEndpoint: false, privateAccessCidrs: ["10.100.0.0/16"] }));
    expect(aks.error).toMatchObject({ name: "SpecError", path: "azure.aks.privateAccessCidrs" });
  });
});

describe("AKS: the nodes reach a public API server from the NAT gateway", () => {
  it("admits the NAT gateway's address with the user's ranges, and refuses a public endpoint without one", async () => {
    const { runOffline } = await import("../lib/preview/offline.js");
    const withNat = await runOffline(cluster(TARGETS[2].spec, "azure.aks", { publicEndpoint: true, publicAccessCidrs: ["203.0.113.7/32"] }));
    expect(withNat.error).toBeUndefined();
    expect(one(withNat, "azure-native:network:NatGateway")).toBeDefined();
    const air = await run(() => new gpu.TrainingCluster("air", { ...TARGETS[2].spec, orchestrator: "kubernetes", egress: { natGateway: false }, azure: { aks: { publicEndpoint: true, publicAccessCidrs: ["203.0.113.7/32"] } } } as unknown as gpu.TrainingClusterArgs));
    expect(air.error).toMatchObject({ name: "SpecError", path: "azure.aks.publicEndpoint" });
  });
});

describe("the Kubernetes examples read the address from stack config", () => {
  it("fails the offline preview without it, as a real preview would, and plans with --config", async () => {
    // The CLI as users run it (tsx resolves the example's `gpu-cluster` import to this checkout).
    const capture = async (...args: string[]) => {
      try {
        const { stdout, stderr } = await exec(process.execPath, ["--import", "tsx", "lib/cli/main.ts", ...args], { cwd: path.join(__dirname, "..") });
        return { code: 0, out: stdout + stderr };
      } catch (e) {
        const failed = e as { code: number; stdout: string; stderr: string };
        return { code: failed.code, out: failed.stdout + failed.stderr };
      }
    };
    const missing = await capture("plan", "examples/eks-p5-training");
    expect(missing.code).toBe(1);
    expect(missing.out).toContain("Missing required configuration variable 'eks-p5-training:adminCidr'");
    const given = await capture("plan", "examples/eks-p5-training", "--config", "adminCidr=203.0.113.7/32", "--format", "json");
    expect(given.code).toBe(0);
    const cluster = JSON.parse(given.out).resources.find((r: { type: string }) => r.type === "aws:eks/cluster:Cluster");
    expect(cluster.inputs.vpcConfig.publicAccessCidrs).toEqual(["203.0.113.7/32"]);
    let err = "";
    const bad = await main(["plan", "examples/eks-p5-training", "--config", "adminCidr"], () => undefined, (t) => void (err += t));
    expect(bad).toBe(2);
    expect(err).toContain("SpecError: --config: 'adminCidr' is not key=value");
  });

  it("declares the key in each example's Pulumi.yaml, so `pulumi up` asks for it", () => {
    for (const example of ["eks-p5-training", "gke-a3mega-training", "aks-ndv5-training"]) {
      const yaml = fs.readFileSync(path.join(__dirname, "..", "examples", example, "Pulumi.yaml"), "utf8");
      expect(yaml, example).toMatch(/\nconfig:\n {2}adminCidr:\n {4}type: string\n/);
    }
  });
});
