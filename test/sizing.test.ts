import { describe, expect, it } from "vitest";
import { catalog, planCluster, planFleet, SpecError, sizing } from "gpu-cluster";

describe("sizing.training", () => {
  it("sizes a 70B model on 15T tokens in 30 days on H100 at 40% MFU", () => {
    const s = sizing.training({ parameters: 70e9, tokens: 15e12, gpu: "H100", days: 30, mfu: 0.4 });
    expect(s.totalFlops).toBe(6.3e24); // 6 · 70e9 · 15e12
    // 6.3e24 / (989.4e12 × 0.4) GPU-seconds / (30 × 86,400 s) = 6,141.6 → 6,142 GPUs
    expect(s.gpus).toBe(6142);
    expect(s.gpusRoundedToNodes).toBe(6144);
    expect(s.gpuHours).toBeCloseTo(6.3e24 / (989.4e12 * 0.4) / 3600, 3);
  });

  it("rejects an MFU above 1 and a GPU without a published peak", () => {
    expect(() => sizing.training({ parameters: 1e9, tokens: 1e9, gpu: "H100", days: 1, mfu: 40 })).toThrow(SpecError);
    expect(() => sizing.training({ parameters: 1e9, tokens: 1e9, gpu: "A10G", days: 1 })).toThrow(/no BF16 peak/);
  });
});

describe("sizing in the units clouds sell (GB200 NVL72 racks, several replicas per node)", () => {
  it("rounds GB200 training to whole NVL72 racks of 18 four-GPU trays", () => {
    const s = sizing.training({ parameters: 70e9, tokens: 15e12, gpu: "GB200", days: 30, mfu: 0.4 });
    // 6.3e24 / (2,500e12 × 0.4) GPU-seconds / (30 × 86,400 s) = 2,430.6 → 2,431 GPUs → 34 racks × 72 = 2,448
    expect(s.gpus).toBe(2431);
    expect(s).toMatchObject({ gpusPerNode: 4, nodesPerUnit: 18, gpusRoundedToNodes: 2448 });
    // and the planner takes exactly that count: 612 trays, 34 racks
    const plan = planCluster({ cloud: "coreweave", region: "US-EAST-01", gpu: { model: "GB200", count: s.gpusRoundedToNodes } });
    expect(plan.nodeCount).toBe(612);
    // H100 has no rack: whole 8-GPU nodes, as before
    expect(sizing.training({ parameters: 70e9, tokens: 15e12, gpu: "H100", days: 30 }).nodesPerUnit).toBe(1);
  });

  it("sizes GB200 inference as a whole rack the planner accepts", () => {
    // 400e9 × 1 B (fp8) = 372.5 GiB over 186 GiB × 0.9 per GPU = 2.2 → 4 GPUs per replica: one tray per replica
    const s = sizing.inference({ parameters: 400e9, precision: "fp8" });
    const gb200 = s.fits.find((f) => f.gpuModel === "GB200")!;
    expect(gb200).toMatchObject({ gpus: 4, cloud: "coreweave", instanceType: "gb200-4x", replicasPerNode: 1, nodes: 18, replicas: 18 });
    expect(gb200.usdPerUnitHour).toBe(gb200.usdPerHour * 18);
    const plan = planFleet({
      cloud: gb200.cloud, region: gb200.region, gpu: { model: "GB200", count: gb200.gpus },
      replicas: { min: gb200.replicas, max: gb200.replicas },
    });
    expect(plan.instanceType).toBe("gb200-4x");
    expect(plan.nodeCount).toBe(18);
  });

  it("counts several replicas on one instance instead of a whole 8-GPU instance per replica", () => {
    // 8e9 × 2 B = 14.9 GiB: one GPU of 24 GiB or more holds it (a 16 GiB T4 or V100 needs two: 14.4 GiB usable each;
    // so does a 12 GiB K80, 10.8 usable); an 8 GiB M60 or Radeon Pro V520 needs three, rounded up to four.
    const s = sizing.inference({ parameters: 8e9, precision: "bf16" });
    for (const f of s.fits) {
      const facts = catalog.instance(f.cloud, f.instanceType)!;
      expect(f.gpus, f.instanceType).toBe(facts.gpuMemoryGiB >= 24 ? 1 : facts.gpuMemoryGiB >= 12 ? 2 : 4);
      expect(f.replicasPerNode, f.instanceType).toBe(Math.floor(facts.gpuCount / f.gpus));
      expect(f.usdPerReplicaHour, f.instanceType).toBeCloseTo(f.usdPerHour / f.replicasPerNode, 9);
    }
    // CoreWeave's 8 × H100 node at $49.24/h serves 8 one-GPU replicas: $6.155 per replica-hour, less than a whole node
    const h100 = s.fits.find((f) => f.gpuModel === "H100")!;
    expect(h100).toMatchObject({ cloud: "coreweave", instanceType: "gd-8xh100ib-i128", replicasPerNode: 8, usdPerReplicaHour: 6.155 });
  });

  it("measures GPU memory in GiB, one figure per model, whatever cloud sells it", () => {
    // 40e9 × 1 B (int8) = 37.25 GiB over 24 GiB × 0.9 = 1.7 → 2 GPUs on every 24 GiB part (A10G on AWS, L4 on GCP, A10 on Azure)
    const s = sizing.inference({ parameters: 40e9, precision: "int8" });
    for (const model of ["A10G", "L4", "A10"] as const) expect(s.fits.find((f) => f.gpuModel === model)?.gpus, model).toBe(2);
  });
});

describe("sizing.inference", () => {
  it("counts weights and KV cache and finds the instances that hold them", () => {
    const s = sizing.inference({ parameters: 70e9, precision: "bf16", contextTokens: 8192, batch: 8, layers: 80, kvHeads: 8, headDim: 128 });
    expect(s.weightsGiB).toBeCloseTo(140e9 / 2 ** 30, 6); // 130.39 GiB
    expect(s.kvCacheGiB).toBe(20); // 2 · 80 · 8 · 128 · 2 B · 8,192 · 8 = 20 GiB
    const h100 = s.fits.find((f) => f.gpuModel === "H100")!;
    expect(h100.gpus).toBe(4); // 150.4 GiB over ~80 GiB × 0.9 usable → 3 → next power of two
    // the cheapest H100 instance with at least 4 GPUs, and its memory per GPU from the catalog
    const facts = catalog.instance(h100.cloud, h100.instanceType)!;
    expect(facts.gpuCount).toBeGreaterThanOrEqual(4);
    expect(Math.ceil(s.totalGiB / (facts.gpuMemoryGiB * 0.9))).toBe(3);
    // ranked by what one replica costs (an instance with more GPUs than a replica needs serves several)
    const perReplica = s.fits.map((f) => f.usdPerReplicaHour);
    expect(perReplica).toEqual([...perReplica].sort((a, b) => a - b));
  });

  it("keeps the KV cache at 16 bits unless told otherwise, whatever the weights' precision", () => {
    const arch = { parameters: 8e9, contextTokens: 8192, batch: 4, layers: 32, kvHeads: 8, headDim: 128 };
    // 2 · 32 · 8 · 128 · 2 B · 8,192 · 4 = 4 GiB at bf16; 2 GiB at fp8
    expect(sizing.inference({ ...arch, precision: "int4" }).kvCacheGiB).toBe(4);
    expect(sizing.inference({ ...arch, precision: "int4", kvPrecision: "fp8" }).kvCacheGiB).toBe(2);
  });

  it("needs the architecture when a context is given", () => {
    expect(() => sizing.inference({ parameters: 7e9, contextTokens: 4096 })).toThrow(/layers, kvHeads and headDim/);
  });

  it("fits an 8B model in int4 on a single 24 GB GPU", () => {
    const s = sizing.inference({ parameters: 8e9, precision: "int4" });
    expect(s.fits.find((f) => f.gpuModel === "L4")?.gpus).toBe(1);
  });
});
