/**
 * GCP machine types whose GPU network Google sells but this version does not build: the catalog compiles them on the
 * ordinary network (fabric 'none', the NIC arrangement not read), so a multi-node training cluster of them would run
 * NCCL over one host NIC with TCP sockets, while the user asked for a cluster of 8-GPU H100 nodes. Refused rather than
 * built slow; `fabric: "none"` is the explicit way to accept TCP between the nodes.
 */
import * as catalog from "../../catalog/index.js";
import type { Plan } from "../../planner/types.js";
import { SpecError } from "../../spec/errors.js";

/** Machine type → the GPU network Google runs it with, and where that is said. */
export const UNBUILT_GPU_NETWORKS: Readonly<Record<string, { fabric: string; source: string }>> = {
  // A3 Edge: "GPUDirect-TCPX" in the GPU network table of https://cloud.google.com/compute/docs/gpus/gpu-network-bandwidth
  // (the catalog row's source), and Google's NCCL test on GKE for it runs GPUDirect-TCPX
  // (https://docs.cloud.google.com/ai-hypercomputer/docs/nccl/test-gke-custom-a3-edge), as on A3 High.
  "a3-edgegpu-8g": { fabric: "GPUDirect-TCPX", source: "https://cloud.google.com/compute/docs/gpus/gpu-network-bandwidth" },
};

/** Throws a SpecError for a training cluster of 2+ such nodes that did not opt out of the fabric (`fabric: "none"`). */
export function checkUnbuiltFabric(plan: Readonly<Plan>): void {
  const gap = UNBUILT_GPU_NETWORKS[plan.instanceType];
  if (gap === undefined || plan.workload !== "training" || plan.nodeCount < 2 || plan.fabric.requested === "none") return;
  const alternatives = catalog
    .instances("gcp", plan.gpuModel)
    .filter((i) => i.fabric !== "none" && i.regions.includes(plan.region) && i.notBuilt === undefined)
    .map((i) => `${i.instanceType} (${i.fabric}, ${i.fabricNics} GPU NICs)`);
  throw new SpecError(
    "gpu.instanceType",
    `${plan.instanceType}: its ${gap.fabric} GPU network (${gap.source}) is not built by this version of gpu-cluster, so the ${plan.nodeCount} nodes' NCCL traffic would run over one host NIC with TCP`,
    `${alternatives.length > 0 ? `pin gpu.instanceType to ${alternatives.join(" or ")} in ${plan.region}, ` : `use a machine type with a built GPU network (${plan.region} sells none for ${plan.gpuModel}), `}or set fabric: 'none' to accept TCP between the nodes`,
  );
}
