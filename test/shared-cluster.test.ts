import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import type { OfflineRun } from "../lib/preview/offline.js";
import { ofType, run, privateEndpoint, trainingJob } from "./helpers/offline.js";

/** Several GPU pools on one existing cluster: the cluster-wide add-ons are installed once, and names never clash. */

const K = {
  release: "kubernetes:helm.sh/v3:Release",
  daemonSet: "kubernetes:apps/v1:DaemonSet",
  nicPolicy: "kubernetes:mellanox.com/v1alpha1:NicClusterPolicy",
  job: "kubernetes:batch/v1:Job",
  gkeNetwork: "kubernetes:networking.gke.io/v1:Network",
};

const AZURE_SUBNET = "/subscriptions/s/resourceGroups/shared-rg/providers/Microsoft.Network/virtualNetworks/shared-vnet/subnets/gpu";

function eks(name: string, eksOptions: Record<string, unknown>) {
  return () =>
    new gpu.TrainingCluster(name, privateEndpoint({
      cloud: "aws",
      region: "us-east-1",
      orchestrator: "kubernetes",
      gpu: { instanceType: "p5.48xlarge", nodes: 2 },
      aws: { vpcId: "vpc-123", subnetIds: ["subnet-a"], eks: eksOptions },
    } as gpu.TrainingClusterArgs));
}

function gke(name: string, gkeOptions: Record<string, unknown>) {
  return () =>
    new gpu.TrainingCluster(name, privateEndpoint({ cloud: "gcp", region: "us-central1", orchestrator: "kubernetes", gpu: { instanceType: "a3-megagpu-8g", nodes: 2 }, gcp: { gke: gkeOptions } } as gpu.TrainingClusterArgs));
}

function aks(name: string, aksOptions: Record<string, unknown>) {
  return () =>
    new gpu.TrainingCluster(name, privateEndpoint({
      cloud: "azure",
      region: "eastus",
      orchestrator: "kubernetes",
      gpu: { instanceType: "Standard_ND96isr_H100_v5", nodes: 2 },
      azure: { aks: { resourceGroupName: "shared-rg", subnetId: AZURE_SUBNET, ...aksOptions } },
    } as gpu.TrainingClusterArgs));
}

async function notes(result: OfflineRun): Promise<string> {
  return result.costEvents[0]!.plan.notes.join("\n");
}

describe("a second GPU pool on a shared cluster", () => {
  it("EKS: the GPU Operator and the pinned EFA device plugin by default; neither with installClusterAddons false, and a note naming what must run", async () => {
    const first = await run(eks("first", { clusterName: "shared" }));
    expect(first.error).toBeUndefined();
    expect(ofType(first, K.release).map((r) => [r.inputs.name, r.inputs.version])).toEqual([
      ["gpu-operator", "v25.10.1"],
      ["efa-device-plugin", "v0.5.30"],
    ]);
    const second = await run(eks("second", { clusterName: "shared", installClusterAddons: false }));
    expect(second.error).toBeUndefined();
    expect(ofType(second, K.release)).toHaveLength(0);
    expect(trainingJob(second).name).toBe("second-job");
    expect(await notes(second)).toMatch(/installClusterAddons is false: 'shared' must already run the NVIDIA device plugin \(GPU Operator\) and the EFA device plugin/);
  });

  it("GKE: no NRI injector or NCCL installer with installClusterAddons false; GPU networks named per component on a shared cluster, the pods matching", async () => {
    const first = await run(gke("first", { clusterName: "shared", installClusterAddons: true }));
    const second = await run(gke("second", { clusterName: "shared", installClusterAddons: false }));
    for (const result of [first, second]) expect(result.error).toBeUndefined();
    // The cluster-wide add-ons: every component keeps its own node health gate (`<name>-node-health`) on its own pool.
    const addons = (result: OfflineRun) => ofType(result, K.daemonSet).map((d) => d.inputs.metadata.name).filter((n: string) => !n.endsWith("-node-health"));
    expect(addons(first)).toEqual(["device-injector", "nccl-tcpxo-installer"]);
    expect(addons(second)).toHaveLength(0);
    expect(ofType(second, K.daemonSet).map((d) => d.inputs.metadata.name)).toEqual(["second-node-health"]);
    const names = (result: OfflineRun) => ofType(result, K.gkeNetwork).map((n) => n.inputs.metadata.name);
    expect(names(first)).toEqual(Array.from({ length: 8 }, (_, i) => `first-vpc${i + 1}`));
    expect(names(second)).toEqual(Array.from({ length: 8 }, (_, i) => `second-vpc${i + 1}`));
    const podNetworks = JSON.parse(trainingJob(second).inputs.spec.template.metadata.annotations["networking.gke.io/interfaces"]).map((i: { network: string }) => i.network);
    expect(podNetworks).toEqual(["default", ...names(second)]);
  });

  it("GKE: two long display names that share their first 40 characters still get distinct GPU network names", async () => {
    const stem = "LLM pretraining, team A, H100 cluster, shard";
    const named = (component: string, name: string, gkeOptions: Record<string, unknown>) => () =>
      new gpu.TrainingCluster(component, privateEndpoint({ name, cloud: "gcp", region: "us-central1", orchestrator: "kubernetes", gpu: { instanceType: "a3-megagpu-8g", nodes: 2 }, gcp: { gke: gkeOptions } } as gpu.TrainingClusterArgs));
    const [one, two] = await Promise.all([run(named("a", `${stem} 1`, { clusterName: "shared", installClusterAddons: true })), run(named("b", `${stem} 2`, { clusterName: "shared", installClusterAddons: false }))]);
    for (const result of [one, two]) expect(result.error).toBeUndefined();
    const first = (result: OfflineRun) => ofType(result, K.gkeNetwork)[0]!.inputs.metadata.name as string;
    expect(first(one)).not.toBe(first(two));
    for (const name of [first(one), first(two)]) expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(first(one).length).toBeLessThanOrEqual(63);
  });

  it("AKS: no Network Operator, NicClusterPolicy or GPU Operator with installClusterAddons false", async () => {
    const first = await run(aks("first", { clusterName: "shared" }));
    const second = await run(aks("second", { clusterName: "shared", installClusterAddons: false }));
    for (const result of [first, second]) expect(result.error).toBeUndefined();
    expect(ofType(first, K.release).map((r) => r.inputs.name)).toEqual(["network-operator", "gpu-operator"]);
    expect(ofType(first, K.nicPolicy)).toHaveLength(1);
    expect(ofType(second, K.release)).toHaveLength(0);
    expect(ofType(second, K.nicPolicy)).toHaveLength(0);
    // The first component's NicClusterPolicy follows the InfiniBand label, so it covers this pool's nodes too.
    expect(await notes(second)).toMatch(/a NodeFeatureRule that labels InfiniBand VFs only \(PCI 15b3, class 0207\) and a NicClusterPolicy on those nodes/);
  });

  it("refuses installClusterAddons false on a cluster the component creates (its GPU nodes would get no device plugins)", async () => {
    for (const [program, path] of [
      [
        () => new gpu.TrainingCluster("new", privateEndpoint({ cloud: "aws", region: "us-east-1", orchestrator: "kubernetes", gpu: { instanceType: "p5.48xlarge", nodes: 2 }, aws: { eks: { installClusterAddons: false } } } as gpu.TrainingClusterArgs)),
        "aws.eks.installClusterAddons",
      ],
      [gke("new", { installClusterAddons: false }), "gcp.gke.installClusterAddons"],
      [
        () =>
          new gpu.TrainingCluster("new", privateEndpoint({
            cloud: "azure",
            region: "eastus",
            orchestrator: "kubernetes",
            gpu: { instanceType: "Standard_ND96isr_H100_v5", nodes: 2 },
            azure: { aks: { installClusterAddons: false } },
          } as gpu.TrainingClusterArgs)),
        "azure.aks.installClusterAddons",
      ],
    ] as const) {
      const result = await run(program);
      expect(result.error, path).toMatchObject({ name: "SpecError", path });
      expect(result.resources).toEqual([]);
    }
  });
});
