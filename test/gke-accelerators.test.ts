/**
 * Every GCP GPU machine type of the catalog either compiles to a GKE node pool that names its GPUs, or is refused with a
 * SpecError on gpu.instanceType before any resource: never a plain Error. Sources: GKE accelerator types
 * https://cloud.google.com/kubernetes-engine/docs/how-to/gpus (read 2026-11-25); G4 on GKE:
 * GoogleCloudPlatform/cluster-toolkit examples/gke-g4/gke-g4.yaml @1047080375afbb44da4b596be314634e7486af4a
 * (2026-06-25, read 2026-12-01): `type: nvidia-rtx-pro-6000`, `gpu_driver_version: LATEST`.
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import * as catalog from "../lib/catalog/index.js";
import { checkGkeAccelerator } from "../lib/clouds/gcp/gke/accelerators.js";
import { SpecError } from "../lib/spec/errors.js";
import { ofType, privateEndpoint, run } from "./helpers/offline.js";

const NODE_POOL = "gcp:container/nodePool:NodePool";
const GPU_TYPES = catalog.instances("gcp").filter((i) => i.gpuCount > 0);

function gkeTraining(instanceType: string) {
  return () => new gpu.TrainingCluster("acc", privateEndpoint({ cloud: "gcp", region: "us-central1", orchestrator: "kubernetes", gpu: { instanceType, nodes: 2 } } as gpu.TrainingClusterArgs));
}

describe("GKE accelerator types", () => {
  it("the catalog's GCP GPU types include the G4 series (the walk below covers it)", () => {
    expect(GPU_TYPES.map((i) => i.instanceType)).toEqual(expect.arrayContaining(["g4-standard-48", "a3-megagpu-8g", "g2-standard-4"]));
  });

  it.each(GPU_TYPES.map((i) => [i.instanceType, i.gpuCount] as const))("%s on GKE: a node pool naming its %i GPU(s), or a SpecError", async (instanceType, gpus) => {
    const result = await run(gkeTraining(instanceType));
    if (result.error !== undefined) {
      // Refused: with the field, before anything exists.
      expect(result.error).toBeInstanceOf(SpecError);
      expect(result.resources).toHaveLength(0);
      return;
    }
    const pool = ofType(result, NODE_POOL).find((p) => p.inputs.nodeConfig?.machineType === instanceType)!;
    const [accelerator] = pool.inputs.nodeConfig.guestAccelerators;
    expect(accelerator.count).toBe(gpus);
    expect(accelerator.type).toMatch(/^nvidia-/);
  });

  it("g4-standard-48 on GKE: one RTX PRO 6000 (nvidia-rtx-pro-6000), the driver GKE's LATEST, as Google's G4 blueprint", async () => {
    let plan: gpu.Plan | undefined;
    const unhook = gpu.registerCostHook((e) => void (plan = e.plan));
    const result = await run(gkeTraining("g4-standard-48"));
    unhook();
    expect(result.error).toBeUndefined();
    expect(plan!.notes.join(" ")).toContain("GKE: g4-standard-48 (RTX PRO 6000) nodes as Google's G4 blueprint runs them: GKE 1.35");
    const pool = ofType(result, NODE_POOL).find((p) => p.inputs.nodeConfig?.machineType === "g4-standard-48")!;
    expect(pool.inputs.nodeConfig.guestAccelerators).toEqual([{ type: "nvidia-rtx-pro-6000", count: 1, gpuDriverInstallationConfig: { gpuDriverVersion: "LATEST" } }]);
  });

  it("a machine type with no GKE accelerator type is refused on gpu.instanceType, naming the fix", () => {
    let error: unknown;
    try {
      checkGkeAccelerator("a4x-highgpu-4g");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecError);
    expect(error).toMatchObject({ path: "gpu.instanceType" });
    expect(String((error as Error).message)).toMatch(/a4x-highgpu-4g.*orchestrator 'vm'/s);
  });
});
