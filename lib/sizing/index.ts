/**
 * Model-driven sizing: the model's size tells you what hardware you need.
 * - training: ~6·N·D FLOPs against the GPU's dense BF16 peak at a given MFU;
 * - inference: weights + KV cache → the smallest GPU count / instance that holds them.
 */
import * as catalog from "../catalog/index.js";
import { GPUS } from "../catalog/gpus.js";
import { CLOUDS, GPU_MODELS, type Cloud, type GpuModel, type InstanceFacts } from "../catalog/types.js";
import { requireChoice, requireInteger, requireList, requireNumber, requireObject } from "../spec/checks.js";
import { SpecError } from "../spec/errors.js";

const SECONDS_PER_DAY = 86_400;
const GIB = 1024 ** 3;

/**
 * Bounds of the sizing inputs. Each is far beyond any real model or run, so it only catches typos and unit slips,
 * and together they keep every figure finite: 1e200 parameters × 1e200 tokens is Infinity FLOPs.
 */
export const SIZING_LIMITS = {
  /** Parameters, count: 1e15, a thousand times the largest dense models trained so far (~1e12). */
  parameters: 1e15,
  /** Training tokens, count: 1e17, several thousand times the largest training sets so far (~1e13–1e14). */
  tokens: 1e17,
  /** Days, d: from about 15 minutes (0.01 d; shorter is a unit slip, hours for days) to 10 years (3,650 d). */
  minDays: 0.01,
  maxDays: 3_650,
  /** MFU, fraction of peak: from 0.01 (1 %; below it the run is broken, not slow) to 1. */
  minMfu: 0.01,
  /** Context tokens per sequence: 1e8, ten times the longest context windows offered (~1e7). */
  contextTokens: 1e8,
  /** Concurrent sequences: 1e6, far beyond what one model replica batches. */
  batch: 1_000_000,
  /** Transformer layers: 10,000 (the deepest models have a few hundred). */
  layers: 10_000,
  /** KV heads: 10,000 (models have 1–128). */
  kvHeads: 10_000,
  /** Dimension of one head: 65,536 (models use 64–256). */
  headDim: 65_536,
} as const;

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
  /**
   * The same, rounded up to whole units the model is sold in: nodes of `gpusPerNode` GPUs, in units of `nodesPerUnit`
   * nodes (a GB200 NVL72 rack is 18 four-GPU trays, so GB200 rounds to 72 GPUs).
   */
  gpusRoundedToNodes: number;
  gpusPerNode: number;
  /** Nodes per unit of sale: 18 for a GB200 NVL72 rack, 1 otherwise (the catalog's `limits.nodeMultiple`). */
  nodesPerUnit: number;
  mfu: number;
  denseBf16Tflops: number;
}

/** GPUs needed to train a dense transformer of `parameters` on `tokens` in `days`. */
export function training(input: TrainingSizingInput): TrainingSizing {
  const i = requireObject(input, "input", "e.g. { parameters: 70e9, tokens: 15e12, gpu: 'H100', days: 30 }");
  const parameters = requireNumber(i.parameters, "parameters", { min: 0, exclusiveMin: true, max: SIZING_LIMITS.parameters });
  const tokens = requireNumber(i.tokens, "tokens", { min: 0, exclusiveMin: true, max: SIZING_LIMITS.tokens });
  const days = requireNumber(i.days, "days", { min: SIZING_LIMITS.minDays, max: SIZING_LIMITS.maxDays });
  const mfu = i.mfu === undefined ? 0.4 : requireNumber(i.mfu, "mfu", { min: SIZING_LIMITS.minMfu, max: 1 });
  const gpu = requireChoice(i.gpu, "gpu", GPU_MODELS);
  const facts = GPUS[gpu];
  if (facts.denseBf16Tflops === undefined) {
    throw new SpecError("gpu", `NVIDIA publishes no BF16 peak for ${gpu}`, "size with a GPU that has a datasheet peak, e.g. 'A10' or 'L4'");
  }
  const totalFlops = 6 * parameters * tokens;
  const flopsPerGpuSecond = facts.denseBf16Tflops * 1e12 * mfu;
  const gpuSeconds = totalFlops / flopsPerGpuSecond;
  const gpus = Math.ceil(gpuSeconds / (days * SECONDS_PER_DAY));
  const { gpusPerNode, nodesPerUnit } = largestNode(gpu);
  const gpusPerUnit = gpusPerNode * nodesPerUnit;
  return {
    totalFlops,
    gpuHours: gpuSeconds / 3600,
    gpus,
    gpusRoundedToNodes: Math.ceil(gpus / gpusPerUnit) * gpusPerUnit,
    gpusPerNode,
    nodesPerUnit,
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

/**
 * One GPU model that holds the model: the instance and region where one replica costs least. An instance with more
 * GPUs than a replica needs serves several replicas (`replicasPerNode`); one sold only in units of several nodes
 * (a GB200 NVL72 rack of 18 trays) is counted as that whole unit (`nodes`), and a replica too big for one of its trays
 * spans several trays of the unit, which is one NVLink domain (`nodesPerReplica`, up to the rack's 72 GPUs).
 */
export interface InferenceFit {
  gpuModel: GpuModel;
  /** GPUs one replica needs, a power of two (tensor parallelism splits heads evenly). */
  gpus: number;
  cloud: Cloud;
  instanceType: string;
  /** On-demand USD per instance-hour in `region`. */
  usdPerHour: number;
  region: string;
  /** Replicas one instance serves: its GPUs divided by the replica's, rounded down; 0 when a replica spans several nodes. */
  replicasPerNode: number;
  /** Nodes one replica spans: 1, or (a replica bigger than one tray of an NVL72 rack) `gpus / gpusPerNode` trays of one rack. */
  nodesPerReplica: number;
  /** Nodes in the smallest unit the instance is sold in (18 for a GB200 NVL72 rack, else 1). */
  nodes: number;
  /** Replicas that smallest unit serves: `replicasPerNode × nodes`, or `floor(unit GPUs / gpus)` for replicas over several trays. */
  replicas: number;
  /** On-demand USD per replica-hour: `usdPerUnitHour / replicas` (what fits are ranked by). */
  usdPerReplicaHour: number;
  /** On-demand USD per hour of the smallest unit: `usdPerHour × nodes`. */
  usdPerUnitHour: number;
  /**
   * Whether `planFleet` builds this fit as it stands (gpu.count = `gpus`, replicas a multiple of `replicas`, on
   * orchestrator 'kubernetes' where several replicas share a node). False for a replica over several nodes (a fleet
   * replica runs within one node: multi-node serving is not built) and for a type the compilers do not build.
   */
  fleet: boolean;
  /** Why `fleet` is false. */
  fleetNote?: string;
}

export interface InferenceSizing {
  weightsGiB: number;
  kvCacheGiB: number;
  totalGiB: number;
  /** One per GPU model, cheapest per replica first. */
  fits: InferenceFit[];
}

/** Memory a model needs to serve, and the instances that hold it, cheapest first. */
export function inference(input: InferenceSizingInput): InferenceSizing {
  const i = requireObject(input, "input", "e.g. { parameters: 70e9, precision: 'bf16' }");
  const parameters = requireNumber(i.parameters, "parameters", { min: 0, exclusiveMin: true, max: SIZING_LIMITS.parameters });
  // Choices are matched with includes(), never `in`: "constructor" is `in` every object.
  const bytes = PRECISION_BYTES[i.precision === undefined ? "bf16" : requireChoice(i.precision, "precision", PRECISIONS)];
  const kvBytes = PRECISION_BYTES[i.kvPrecision === undefined ? "bf16" : requireChoice(i.kvPrecision, "kvPrecision", PRECISIONS)];
  const contextTokens = i.contextTokens === undefined ? 0 : requireInteger(i.contextTokens, "contextTokens", 0, SIZING_LIMITS.contextTokens);
  const batch = i.batch === undefined ? 1 : requireInteger(i.batch, "batch", 1, SIZING_LIMITS.batch);
  const headroom = i.headroom === undefined ? 0.1 : requireNumber(i.headroom, "headroom", { min: 0, max: 1, exclusiveMax: true });
  const clouds = i.clouds === undefined ? CLOUDS : requireList(i.clouds, "clouds", `e.g. clouds: ['aws', 'gcp']`).map((c, n) => requireChoice(c, `clouds[${n}]`, CLOUDS));

  const weightsGiB = (parameters * bytes) / GIB;
  let kvCacheGiB = 0;
  if (contextTokens > 0) {
    if (i.layers === undefined || i.kvHeads === undefined || i.headDim === undefined) {
      throw new SpecError("layers", "the KV cache needs the model's layers, kvHeads and headDim", "e.g. a Llama-3-70B: layers 80, kvHeads 8, headDim 128");
    }
    const layers = requireInteger(i.layers, "layers", 1, SIZING_LIMITS.layers);
    const kvHeads = requireInteger(i.kvHeads, "kvHeads", 1, SIZING_LIMITS.kvHeads);
    const headDim = requireInteger(i.headDim, "headDim", 1, SIZING_LIMITS.headDim);
    // Keys and values (2) for every layer, KV head and head dimension, per token, per sequence.
    kvCacheGiB = (2 * layers * kvHeads * headDim * kvBytes * contextTokens * batch) / GIB;
  }
  const totalGiB = weightsGiB + kvCacheGiB;

  // Per GPU model, the instance and region where one replica costs least. GPU memory is the model's one figure in
  // GiB (GPUS), the same on every cloud.
  const best = new Map<GpuModel, InferenceFit>();
  for (const cloud of clouds) {
    for (const facts of catalog.instances(cloud)) {
      const gpus = nextPowerOfTwo(Math.ceil(totalGiB / (GPUS[facts.gpuModel].memoryGiB * (1 - headroom))));
      const shape = replicaShape(facts, gpus);
      if (!shape) continue;
      const { replicasPerNode, nodesPerReplica, nodes, replicas } = shape;
      const fleetNote =
        facts.notBuilt !== undefined
          ? `${facts.instanceType} is priced and sized only: ${facts.notBuilt}`
          : nodesPerReplica > 1
            ? `a replica of ${gpus} GPUs spans ${nodesPerReplica} ${facts.instanceType} trays of one NVLink domain; InferenceFleet runs each replica within one node (multi-node serving is not built), so planFleet refuses gpu.count ${gpus}`
            : undefined;
      for (const region of facts.regions) {
        const usdPerHour = catalog.price({ cloud, instanceType: facts.instanceType, region });
        if (usdPerHour === undefined) continue;
        const usdPerUnitHour = usdPerHour * nodes;
        const usdPerReplicaHour = usdPerUnitHour / replicas;
        const current = best.get(facts.gpuModel);
        if (!current || usdPerReplicaHour < current.usdPerReplicaHour) {
          best.set(facts.gpuModel, {
            gpuModel: facts.gpuModel, gpus, cloud, instanceType: facts.instanceType, usdPerHour, region,
            replicasPerNode, nodesPerReplica, nodes, replicas, usdPerReplicaHour, usdPerUnitHour,
            fleet: fleetNote === undefined, ...(fleetNote !== undefined ? { fleetNote } : {}),
          });
        }
      }
    }
  }
  const fits = [...best.values()].sort((a, b) => a.usdPerReplicaHour - b.usdPerReplicaHour || a.instanceType.localeCompare(b.instanceType));
  return { weightsGiB, kvCacheGiB, totalGiB, fits };
}

const PRECISIONS = Object.keys(PRECISION_BYTES) as Precision[];

/**
 * How replicas of `gpus` GPUs sit on `facts`' unit of sale, or undefined when one does not fit:
 * - within one node: `floor(gpuCount / gpus)` replicas per node;
 * - over several nodes only where the unit of sale is one NVLink domain (a GB200 NVL72 rack: 18 trays of 4 GPUs,
 *   the catalog's `limits.nodeMultiple`, as training sizing counts it): `gpus / gpuCount` trays per replica (gpus is a
 *   power of two, so whole trays), `floor(72 / gpus)` replicas per rack, up to 72 GPUs. Across separate nodes
 *   (InfiniBand, not NVLink) a replica is not fitted: tensor parallelism needs the NVLink bandwidth.
 */
function replicaShape(
  facts: InstanceFacts,
  gpus: number,
): { replicasPerNode: number; nodesPerReplica: number; nodes: number; replicas: number } | undefined {
  const nodes = facts.limits?.nodeMultiple ?? 1;
  if (facts.gpuCount >= gpus) {
    const replicasPerNode = Math.floor(facts.gpuCount / gpus);
    return { replicasPerNode, nodesPerReplica: 1, nodes, replicas: replicasPerNode * nodes };
  }
  const domainGpus = facts.gpuCount * nodes;
  if (nodes === 1 || !facts.nvlink || gpus > domainGpus) return undefined;
  return { replicasPerNode: 0, nodesPerReplica: Math.ceil(gpus / facts.gpuCount), nodes, replicas: Math.floor(domainGpus / gpus) };
}

/**
 * The node training uses for a model (the most GPUs of that model on one node, as the planner picks), and how many
 * such nodes make one unit of sale: a GB200 NVL72 rack is 18 trays (the catalog's `limits.nodeMultiple`).
 */
function largestNode(model: GpuModel): { gpusPerNode: number; nodesPerUnit: number } {
  const offered = CLOUDS.flatMap((c) => catalog.instances(c, model));
  if (offered.length === 0) return { gpusPerNode: 8, nodesPerUnit: 1 };
  const gpusPerNode = Math.max(...offered.map((i) => i.gpuCount));
  const nodesPerUnit = Math.max(...offered.filter((i) => i.gpuCount === gpusPerNode).map((i) => i.limits?.nodeMultiple ?? 1));
  return { gpusPerNode, nodesPerUnit };
}

function nextPowerOfTwo(n: number): number {
  return n <= 1 ? 1 : 2 ** Math.ceil(Math.log2(n));
}
