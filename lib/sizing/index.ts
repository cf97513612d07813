/**
 * Model-driven sizing: the model's size tells you what hardware you need.
 * - training: ~6·N·D FLOPs against the GPU's dense BF16 peak at a given MFU;
 * - inference: weights + KV cache → the smallest GPU count / instance that holds them.
 */
import * as catalog from "../catalog/index.js";
import { GPUS } from "../catalog/gpus.js";
import { CLOUDS, GPU_MODELS, type Cloud, type GpuModel } from "../catalog/types.js";
import { SpecError, choicesHint } from "../spec/errors.js";

const SECONDS_PER_DAY = 86_400;
const GIB = 1024 ** 3;

export interface TrainingSizingInput {
  /** Model parameters (count, e.g. 70e9). */
  parameters: number;
  /** Training tokens (count, e.g. 15e12). */
  tokens: number;
  gpu: GpuModel;
  /** Wall-clock days the run may take. */
  days: number;
  /** Model FLOPs utilisation, 0–1. Default 0.4 (a well-tuned dense transformer run). */
  mfu?: number;
}

export interface TrainingSizing {
  /** 6 · parameters · tokens. */
  totalFlops: number;
  /** GPU-hours at the given MFU. */
  gpuHours: number;
  /** GPUs needed to finish in `days` (rounded up). */
  gpus: number;
  /** The same, rounded up to whole 8-GPU (or the model's per-node) nodes. */
  gpusRoundedToNodes: number;
  gpusPerNode: number;
  mfu: number;
  denseBf16Tflops: number;
}

/** GPUs needed to train a dense transformer of `parameters` on `tokens` in `days`. */
export function training(input: TrainingSizingInput): TrainingSizing {
  const parameters = positive(input.parameters, "parameters");
  const tokens = positive(input.tokens, "tokens");
  const days = positive(input.days, "days");
  const mfu = input.mfu === undefined ? 0.4 : positive(input.mfu, "mfu");
  if (mfu > 1) throw new SpecError("mfu", `${mfu} is above 1`, "MFU is a fraction of peak, e.g. 0.35–0.55");
  const facts = gpuFacts(input.gpu);
  if (facts.denseBf16Tflops === undefined) {
    throw new SpecError("gpu", `NVIDIA publishes no BF16 peak for ${input.gpu}`, "size with a GPU that has a datasheet peak, e.g. 'A10' or 'L4'");
  }
  const totalFlops = 6 * parameters * tokens;
  const flopsPerGpuSecond = facts.denseBf16Tflops * 1e12 * mfu;
  const gpuSeconds = totalFlops / flopsPerGpuSecond;
  const gpus = Math.ceil(gpuSeconds / (days * SECONDS_PER_DAY));
  const gpusPerNode = largestNodeGpuCount(input.gpu);
  return {
    totalFlops,
    gpuHours: gpuSeconds / 3600,
    gpus,
    gpusRoundedToNodes: Math.ceil(gpus / gpusPerNode) * gpusPerNode,
    gpusPerNode,
    mfu,
    denseBf16Tflops: facts.denseBf16Tflops,
  };
}

/** Bytes per parameter / per KV element for each serving precision. */
export const PRECISION_BYTES = { fp32: 4, bf16: 2, fp16: 2, fp8: 1, int8: 1, int4: 0.5 } as const;
export type Precision = keyof typeof PRECISION_BYTES;

export interface InferenceSizingInput {
  /** Model parameters (count). */
  parameters: number;
  /** Weight precision. Default `bf16`. */
  precision?: Precision;
  /** Context length per sequence, tokens. Default 0 (weights only). */
  contextTokens?: number;
  /** Concurrent sequences. Default 1. */
  batch?: number;
  /** Transformer layers (needed for the KV cache when contextTokens > 0). */
  layers?: number;
  /** Key/value heads (GQA: fewer than attention heads). Needed with contextTokens. */
  kvHeads?: number;
  /** Dimension of one head. Needed with contextTokens. */
  headDim?: number;
  /** Precision of the KV cache. Default `bf16` (serving engines keep 16-bit caches unless told otherwise). */
  kvPrecision?: Precision;
  /** Fraction of GPU memory kept free for activations and the runtime. Default 0.1. */
  headroom?: number;
  /** Clouds to search for an instance. Default all. */
  clouds?: readonly Cloud[];
}

/** One GPU model that holds the model, and the smallest instance that has enough of them. */
export interface InferenceFit {
  gpuModel: GpuModel;
  /** GPUs needed, a power of two (tensor parallelism splits heads evenly). */
  gpus: number;
  cloud: Cloud;
  instanceType: string;
  /** Lowest on-demand USD/hour of that instance across the catalog's regions. */
  usdPerHour: number;
  region: string;
}

export interface InferenceSizing {
  weightsGiB: number;
  kvCacheGiB: number;
  totalGiB: number;
  /** Cheapest first. */
  fits: InferenceFit[];
}

/** Memory a model needs to serve, and the instances that hold it, cheapest first. */
export function inference(input: InferenceSizingInput): InferenceSizing {
  const parameters = positive(input.parameters, "parameters");
  const precision = input.precision ?? "bf16";
  if (!(precision in PRECISION_BYTES)) {
    throw new SpecError("precision", `'${precision}' is not known`, choicesHint(precision, Object.keys(PRECISION_BYTES)));
  }
  const bytes = PRECISION_BYTES[precision];
  const kvPrecision = input.kvPrecision ?? "bf16";
  if (!(kvPrecision in PRECISION_BYTES)) {
    throw new SpecError("kvPrecision", `'${kvPrecision}' is not known`, choicesHint(kvPrecision, Object.keys(PRECISION_BYTES)));
  }
  const contextTokens = input.contextTokens ?? 0;
  const batch = input.batch ?? 1;
  const headroom = input.headroom ?? 0.1;
  nonNegative(contextTokens, "contextTokens");
  positive(batch, "batch");
  if (headroom < 0 || headroom >= 1) throw new SpecError("headroom", `${headroom} is outside [0, 1)`, "e.g. 0.1");

  const weightsGiB = (parameters * bytes) / GIB;
  let kvCacheGiB = 0;
  if (contextTokens > 0) {
    const { layers, kvHeads, headDim } = input;
    if (layers === undefined || kvHeads === undefined || headDim === undefined) {
      throw new SpecError("layers", "the KV cache needs the model's layers, kvHeads and headDim", "e.g. a Llama-3-70B: layers 80, kvHeads 8, headDim 128");
    }
    // Keys and values (2) for every layer, KV head and head dimension, per token, per sequence.
    kvCacheGiB = (2 * layers * kvHeads * headDim * PRECISION_BYTES[kvPrecision] * contextTokens * batch) / GIB;
  }
  const totalGiB = weightsGiB + kvCacheGiB;

  // Per GPU model, the cheapest instance that holds the model in the memory the catalog gives its GPUs.
  const best = new Map<GpuModel, InferenceFit>();
  for (const cloud of input.clouds ?? CLOUDS) {
    for (const facts of catalog.instances(cloud)) {
      const gpus = nextPowerOfTwo(Math.ceil(totalGiB / (facts.gpuMemoryGiB * (1 - headroom))));
      if (facts.gpuCount < gpus) continue;
      for (const region of facts.regions) {
        const usdPerHour = catalog.price({ cloud, instanceType: facts.instanceType, region });
        const current = best.get(facts.gpuModel);
        if (usdPerHour !== undefined && (!current || usdPerHour < current.usdPerHour)) {
          best.set(facts.gpuModel, { gpuModel: facts.gpuModel, gpus, cloud, instanceType: facts.instanceType, usdPerHour, region });
        }
      }
    }
  }
  const fits = [...best.values()].sort((a, b) => a.usdPerHour - b.usdPerHour || a.instanceType.localeCompare(b.instanceType));
  return { weightsGiB, kvCacheGiB, totalGiB, fits };
}

function largestNodeGpuCount(model: GpuModel): number {
  const counts = CLOUDS.flatMap((c) => catalog.instances(c, model).map((i) => i.gpuCount));
  return counts.length ? Math.max(...counts) : 8;
}

function gpuFacts(model: GpuModel) {
  const facts = GPUS[model];
  if (!facts) throw new SpecError("gpu", `'${String(model)}' is not a known GPU`, choicesHint(String(model), GPU_MODELS));
  return facts;
}

function nextPowerOfTwo(n: number): number {
  return n <= 1 ? 1 : 2 ** Math.ceil(Math.log2(n));
}

function positive(value: number, path: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new SpecError(path, `must be a positive finite number, got ${String(value)}`, "");
  }
  return value;
}

function nonNegative(value: number, path: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new SpecError(path, `must be a finite number ≥ 0, got ${String(value)}`, "");
  }
  return value;
}
