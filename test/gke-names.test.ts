/**
 * GKE cluster and node pool names: GKE takes at most 40 characters (GoogleCloudPlatform/magic-modules PR #18477,
 * "GKE's 40-character limit for NodePool.name"), and Pulumi auto-names the cluster and pools `<Pulumi name>-<7 random>`
 * (pulumi/pulumi-terraform-bridge pkg/tfbridge/info/autonaming.go @f75c416a, Randlen 7, separator "-"). The longest
 * Pulumi name is the system pool's `<name>-system-nodes` on a new cluster and the GPU pool's `<name>-gpu-nodes` on an
 * existing one, so the component name has at most 40 - 8 - 13 = 19 and 40 - 8 - 10 = 22 characters.
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { maxGkeComponentName } from "../lib/clouds/gcp/names.js";
import { ofType, privateEndpoint, run } from "./helpers/offline.js";

const POOL = "gcp:container/nodePool:NodePool";
const CLUSTER = "gcp:container/cluster:Cluster";

function gke(name: string, gkeOptions: Record<string, unknown> = {}) {
  return () =>
    new gpu.InferenceFleet(name, privateEndpoint({ cloud: "gcp", region: "us-central1", orchestrator: "kubernetes", gpu: { model: "L4" }, replicas: { min: 1, max: 2 }, gcp: { gke: gkeOptions } }) as gpu.InferenceFleetArgs);
}

describe("GKE names fit GKE's 40 characters", () => {
  it("the bound is 19 characters on a new cluster and 22 on an existing one", () => {
    expect(maxGkeComponentName(false)).toBe(19);
    expect(maxGkeComponentName(true)).toBe(22);
  });

  it("a 19-character name builds a new cluster whose longest auto-name is 40 characters; 20 is refused before anything is created", async () => {
    const ok = await run(gke("a".repeat(19)));
    expect(ok.error).toBeUndefined();
    const names = [...ofType(ok, CLUSTER), ...ofType(ok, POOL)].map((r) => r.name).sort();
    expect(names).toEqual(["aaaaaaaaaaaaaaaaaaa-gke", "aaaaaaaaaaaaaaaaaaa-gpu-nodes", "aaaaaaaaaaaaaaaaaaa-system-nodes"]);
    expect(Math.max(...names.map((n) => n.length + 8))).toBe(40);

    const long = await run(gke("llm-serve-b200-uscen"));
    expect(long.error).toMatchObject({ name: "SpecError", path: "name" });
    expect((long.error as Error).message).toMatch(/'llm-serve-b200-uscen' \(20 characters\) names the GKE node pool 'llm-serve-b200-uscen-system-nodes-' plus Pulumi's 7 random characters, 41 characters, and GKE allows 40/);
    expect((long.error as Error).message).toMatch(/at most 19 characters, e\.g\. 'llm-serve-b200-usce'/);
    expect(long.resources.filter((r) => r.custom)).toHaveLength(0);
  });

  it("on an existing cluster only the GPU pool is named: 22 characters build, 23 are refused", async () => {
    const ok = await run(gke("b".repeat(22), { clusterName: "shared" }));
    expect(ok.error).toBeUndefined();
    expect(ofType(ok, POOL).map((r) => r.name)).toEqual([`${"b".repeat(22)}-gpu-nodes`]);
    expect(ofType(ok, CLUSTER)).toHaveLength(0);
    const long = await run(gke("b".repeat(23), { clusterName: "shared" }));
    expect(long.error).toMatchObject({ name: "SpecError", path: "name" });
    expect((long.error as Error).message).toMatch(/41 characters, and GKE allows 40.*at most 22 characters on an existing cluster/s);
  });
});
