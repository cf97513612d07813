import { describe, expect, it } from "vitest";
import { catalog, SpecError, sizing } from "gpu-cluster";

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
    const prices = s.fits.map((f) => f.usdPerHour);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
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
