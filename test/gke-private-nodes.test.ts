/**
 * The GPU pool's private nodes. On a cluster the component creates they are private (its subnet has the component's
 * Cloud NAT). On an existing cluster the pool takes the cluster's setting: a per-pool value overrides the cluster's
 * (https://cloud.google.com/kubernetes-engine/docs/how-to/latest/network-isolation), and forced private nodes on a
 * public-node cluster without Cloud NAT cannot pull their images. Leaving it out never changes a pool made earlier:
 * network_config.enable_private_nodes is Optional + Computed, not ForceNew (terraform-provider-google
 * resource_container_node_pool.go).
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { byName, privateEndpoint, run } from "./helpers/offline.js";

const POOL = "gcp:container/nodePool:NodePool";
const fleet = (name: string, gke: Record<string, unknown>) => () =>
  new gpu.InferenceFleet(name, privateEndpoint({ cloud: "gcp", region: "us-central1", orchestrator: "kubernetes", gpu: { model: "L4" }, replicas: { min: 1, max: 2 }, gcp: { gke } }) as gpu.InferenceFleetArgs);

describe("GKE GPU pool private nodes", () => {
  it("a new cluster's pools are private", async () => {
    const result = await run(fleet("own", {}));
    expect(result.error).toBeUndefined();
    expect(byName(result, POOL, "own-gpu-nodes").inputs.networkConfig).toEqual({ enablePrivateNodes: true });
    expect(byName(result, POOL, "own-system-nodes").inputs.networkConfig).toEqual({ enablePrivateNodes: true });
  });

  it("on an existing cluster a fleet's pool sets no network config (the cluster's setting), and an A3 Mega pool only its 8 GPU networks", async () => {
    const joined = await run(fleet("join", { clusterName: "shared" }));
    expect(joined.error).toBeUndefined();
    expect(byName(joined, POOL, "join-gpu-nodes").inputs.networkConfig).toBeUndefined();
    const mega = await run(() =>
      new gpu.TrainingCluster("joinm", { cloud: "gcp", region: "us-central1", orchestrator: "kubernetes", gpu: { instanceType: "a3-megagpu-8g", nodes: 2 }, gcp: { gke: { clusterName: "shared", installClusterAddons: false } } }),
    );
    expect(mega.error).toBeUndefined();
    const config = byName(mega, POOL, "joinm-gpu-nodes").inputs.networkConfig;
    expect(Object.keys(config)).toEqual(["additionalNodeNetworkConfigs"]);
    expect(config.additionalNodeNetworkConfigs).toHaveLength(8);
  });
});
