import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { run } from "./helpers/offline.js";

const SSH = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOfflinePreviewKeyNobodyHolds user@example";

/** A typo in any cloud's option bag is a SpecError naming the nearest key, before any resource exists. */
describe("cloud option bags reject unknown keys", () => {
  it.each([
    ["aws", { cloud: "aws", region: "us-east-1", gpu: { model: "H100", count: 16 }, aws: { vpcid: "vpc-1" } }, "aws.vpcid", /did you mean 'vpcId'/],
    ["gcp", { cloud: "gcp", region: "us-east4", gpu: { model: "H100", count: 16 }, gcp: { zones: "us-east4-a" } }, "gcp.zones", /did you mean 'zone'/],
    ["azure", { cloud: "azure", region: "eastus", gpu: { model: "H100", count: 16 }, azure: { sshPublicKey: SSH, vnetAdressSpace: "172.16.0.0/16" } }, "azure.vnetAdressSpace", /did you mean 'vnetAddressSpace'/],
    ["azure image", { cloud: "azure", region: "eastus", gpu: { model: "H100", count: 16 }, azure: { sshPublicKey: SSH, image: { publisher: "p", offer: "o", sku: "s", verison: "1" } } }, "azure.image.verison", /did you mean 'version'/],
    ["coreweave", { cloud: "coreweave", region: "US-EAST-04", gpu: { model: "H100", count: 16 }, coreweave: { namespce: "x" } }, "coreweave.namespce", /did you mean 'namespace'/],
    ["coreweave objectStorage", { cloud: "coreweave", region: "US-EAST-04", gpu: { model: "H100", count: 16 }, coreweave: { objectStorage: { endpont: "http://x" } } }, "coreweave.objectStorage.endpont", /did you mean 'endpoint'/],
  ])("%s", async (_cloud, args, path, message) => {
    const result = await run(() => new gpu.TrainingCluster("typo", args as unknown as gpu.TrainingClusterArgs));
    expect(result.error).toMatchObject({ name: "SpecError", path });
    expect((result.error as Error).message).toMatch(message);
    expect(result.resources).toEqual([]);
  });

  it("rejects options for another cloud", async () => {
    const result = await run(() => new gpu.TrainingCluster("wrong", { cloud: "aws", region: "us-east-1", gpu: { model: "H100", count: 16 }, gcp: { zone: "x" } }));
    expect(result.error).toMatchObject({ name: "SpecError", path: "gcp" });
  });
});

describe("orchestrator", () => {
  it("rejects VMs on CoreWeave before creating anything", async () => {
    const result = await run(() => new gpu.TrainingCluster("vm", { cloud: "coreweave", region: "US-EAST-04", gpu: { model: "H100", count: 16 }, orchestrator: "vm" }));
    expect(result.error).toMatchObject({ name: "SpecError", path: "orchestrator" });
    expect(result.resources).toEqual([]);
  });
});

describe("Kubernetes estimates follow what the compiler builds", () => {
  const lines = (r: Awaited<ReturnType<typeof run>>) => r.costEvents[0]!.estimate.lines.map((l) => l.description);

  it.each([
    ["aws", { cloud: "aws", region: "us-east-1", aws: { vpcId: "vpc-1", subnetIds: ["subnet-a", "subnet-b"], eks: { clusterName: "shared" } } }],
    ["gcp", { cloud: "gcp", region: "us-central1", gcp: { gke: { clusterName: "shared" } } }],
    ["azure", { cloud: "azure", region: "eastus", azure: { aks: { clusterName: "shared", resourceGroupName: "shared-rg" } } }],
  ])("%s: joining an existing cluster adds no control-plane fee and no NAT", async (_cloud, args) => {
    const gpuArgs = args.cloud === "gcp" ? { model: "L4" as const } : args.cloud === "azure" ? { model: "A100-80GB" as const } : { model: "L4" as const };
    const result = await run(() => new gpu.InferenceFleet("join", { ...args, orchestrator: "kubernetes", gpu: gpuArgs, replicas: { min: 1, max: 2 } } as gpu.InferenceFleetArgs));
    expect(result.error).toBeUndefined();
    expect(lines(result).some((l) => /control plane|NAT gateway/.test(l))).toBe(false);
    expect(result.costEvents[0]!.plan.kubernetesCluster).toBe("existing");
  });

  it("an internal fleet on EKS pays for no load balancer (a ClusterIP Service); the VM fleet does", async () => {
    const spec = { cloud: "aws" as const, region: "us-east-1", gpu: { model: "L4" as const }, replicas: { min: 1, max: 2 } };
    expect(gpu.estimateCost({ ...spec, orchestrator: "kubernetes" }).lines.some((l) => /load balancer/i.test(l.description))).toBe(false);
    expect(gpu.estimateCost(spec).lines.some((l) => /load balancer/i.test(l.description))).toBe(true);
  });
});
