/**
 * a3-edgegpu-8g (A3 Edge) has a GPUDirect-TCPX GPU network (https://cloud.google.com/compute/docs/gpus/gpu-network-bandwidth;
 * Google's NCCL test for A3 Edge on GKE runs GPUDirect-TCPX), which this version does not build: the catalog compiles
 * it on the ordinary network. A multi-node training cluster of it is refused unless `fabric: "none"` accepts TCP.
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { ofType, run } from "./helpers/offline.js";

const EDGE = { cloud: "gcp" as const, region: "us-east4", zone: "us-east4-a", contractUsdPerHour: 50 };

describe("a3-edgegpu-8g training without its GPU network", () => {
  it("two nodes on VMs: a SpecError on gpu.instanceType naming the fabric and the built alternatives in the region, before anything is created", async () => {
    const result = await run(() => new gpu.TrainingCluster("edge", { ...EDGE, gpu: { instanceType: "a3-edgegpu-8g", nodes: 2 } }));
    expect(result.error).toMatchObject({ name: "SpecError", path: "gpu.instanceType" });
    const message = (result.error as Error).message;
    expect(message).toMatch(/a3-edgegpu-8g: its GPUDirect-TCPX GPU network .* is not built by this version of gpu-cluster, so the 2 nodes' NCCL traffic would run over one host NIC with TCP/);
    expect(message).toMatch(/pin gpu\.instanceType to a3-highgpu-8g \(gpudirect-tcpx, 4 GPU NICs\) or a3-megagpu-8g \(gpudirect-tcpxo, 8 GPU NICs\) in us-east4, or set fabric: 'none' to accept TCP/);
    expect(result.resources.filter((r) => r.custom)).toHaveLength(0);
  });

  it("the same on GKE; fabric 'none' builds its 2 nodes, and one node needs no fabric", async () => {
    const gke = await run(() => new gpu.TrainingCluster("edgek", { ...EDGE, orchestrator: "kubernetes", gpu: { instanceType: "a3-edgegpu-8g", nodes: 2 }, gcp: { gke: { publicEndpoint: false } } }));
    expect(gke.error).toMatchObject({ name: "SpecError", path: "gpu.instanceType" });
    const tcp = await run(() => new gpu.TrainingCluster("edget", { ...EDGE, fabric: "none", gpu: { instanceType: "a3-edgegpu-8g", nodes: 2 } }));
    expect(tcp.error).toBeUndefined();
    expect(ofType(tcp, "gcp:compute/instanceGroupManager:InstanceGroupManager")[0]!.inputs.targetSize).toBe(2);
    const single = await run(() => new gpu.TrainingCluster("edge1", { ...EDGE, gpu: { instanceType: "a3-edgegpu-8g", nodes: 1 } }));
    expect(single.error).toBeUndefined();
  });
});
