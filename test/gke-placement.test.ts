/**
 * GKE GPU pools and compact placement: a pool on a specific reservation takes no COMPACT placement policy, as every
 * GKE GPUDirect blueprint of Google's pairs SPECIFIC_RESERVATION with none (cluster-toolkit
 * examples/gke-a3-ultragpu/gke-a3-ultragpu.yaml and gke-a4/gke-a4.yaml @0f9034dc9, 2026-06-08; gke-a3-megagpu.yaml
 * @2ee5a53ee; gke-a3-highgpu.yaml @a592e6b5f; read 2026-12-01): the reservation places the nodes. A pool made by an
 * earlier version keeps its policy (ignored; changing it would replace the pool). Without a reservation the pool keeps
 * GKE's COMPACT placement.
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { byName, privateEndpoint } from "./helpers/offline.js";
import { runRecording } from "./helpers/offline.js";

const POOL = "gcp:container/nodePool:NodePool";
const base = { cloud: "gcp" as const, region: "us-central1", orchestrator: "kubernetes" as const, zone: "us-central1-b" };

async function pool(name: string, instanceType: string, extra: Record<string, unknown>) {
  const { result, byType } = await runRecording(() => new gpu.TrainingCluster(name, privateEndpoint({ ...base, gpu: { instanceType, nodes: 2 }, ...extra } as gpu.TrainingClusterArgs)));
  expect(result.error).toBeUndefined();
  return { inputs: byName(result, POOL, `${name}-gpu-nodes`).inputs, ignoreChanges: byType.get(`${POOL}::${name}-gpu-nodes`)!.ignoreChanges ?? [] };
}

describe("GKE GPU pools: compact placement, except on a specific reservation", () => {
  for (const [instanceType, extra] of [
    ["a3-ultragpu-8g", { reservationId: "ultra-res" }],
    ["a4-highgpu-8g", { reservationId: "a4-res", contractUsdPerHour: 100 }],
    ["a3-megagpu-8g", { reservationId: "mega-res" }],
  ] as const) {
    it(`${instanceType} on reservation ${extra.reservationId}: SPECIFIC_RESERVATION and no placement policy (kept as is on an older pool)`, async () => {
      const p = await pool("r", instanceType, extra);
      expect(p.inputs.nodeConfig.reservationAffinity).toEqual({ consumeReservationType: "SPECIFIC_RESERVATION", key: "compute.googleapis.com/reservation-name", values: [extra.reservationId] });
      expect(p.inputs.placementPolicy).toBeUndefined();
      expect(p.ignoreChanges).toContain("placementPolicy");
    });
  }

  it("a3-megagpu-8g on demand (no reservation): GKE's COMPACT placement, managed as before", async () => {
    const p = await pool("o", "a3-megagpu-8g", {});
    expect(p.inputs.nodeConfig.reservationAffinity).toBeUndefined();
    expect(p.inputs.placementPolicy).toEqual({ type: "COMPACT" });
    expect(p.ignoreChanges).not.toContain("placementPolicy");
  });
});
