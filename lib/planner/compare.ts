/**
 * The same requirement placed on every cloud and region that can hold it,
 * cheapest first, with the reason each other place was left out.
 */
import * as catalog from "../catalog/index.js";
import { CLOUDS, type Cloud, type GpuModel } from "../catalog/types.js";
import { estimateCost, planSpec } from "../cost/estimate.js";
import type { CostEstimate } from "../cost/types.js";
import { requireChoice, requireList, requireObject, requireString } from "../spec/checks.js";
import { SpecError, isSpecError } from "../spec/errors.js";
import type { ClusterSpec, FleetSpec, StorageSpec } from "../spec/types.js";
import { fsxLustreTiBHolding } from "../clouds/aws/storage-rules.js";
import type { Plan } from "./types.js";

export interface CompareOptions {
  /** Clouds to consider. Default: all four. */
  clouds?: readonly Cloud[];
  /** Regions to consider per cloud. Default: every region in the catalog. */
  regions?: Partial<Record<Cloud, readonly string[]>>;
}

/** One place the requirement fits. */
export interface Placement {
  cloud: Cloud;
  region: string;
  plan: Plan;
  estimate: CostEstimate;
}

/** A cloud/region that cannot hold the requirement, and why. */
export interface Exclusion {
  cloud: Cloud;
  region: string;
  reason: string;
}

export interface Comparison {
  /** Cheapest first (by the worst-case monthly figure). */
  placements: Placement[];
  excluded: Exclusion[];
}

/**
 * Rank every cloud and region for the requirement in `spec`. Cloud-specific
 * pins (instance type, zone, reservation, storage tier) are dropped, and a
 * fabric choice other than `none` becomes "needs a fabric" (`auto`).
 */
export function compare(spec: ComparableSpec, options: CompareOptions = {}): Comparison {
  checkComparable(spec);
  const { clouds, regions } = checkOptions(options);
  const requirement = neutralRequirement(spec);
  const placements: Placement[] = [];
  const excluded: Exclusion[] = [];
  // The refusals, to tell a spec that is wrong everywhere (one and the same error) from places that cannot hold it.
  const refusals = new Map<string, SpecError>();
  for (const cloud of clouds) {
    for (const region of regions(cloud)) {
      const candidate = retarget(spec, requirement, cloud, region);
      try {
        const plan = planSpec(candidate);
        if (needsFabric(spec) && plan.fabric.kind === "none" && plan.nodeCount > 1) {
          excluded.push({ cloud, region, reason: `${plan.instanceType} has no inter-node fabric` });
          continue;
        }
        placements.push({ cloud, region, plan, estimate: estimateCost(plan) });
      } catch (err) {
        if (!isSpecError(err)) throw err;
        refusals.set(err.message, err);
        excluded.push({ cloud, region, reason: err.message });
      }
    }
  }
  // Every place refused it for the same reason (gpu.model 'H1000', a negative capacity): the spec is wrong, not the places.
  const [only] = refusals.values();
  if (placements.length === 0 && refusals.size === 1 && only && excluded.every((x) => x.reason === only.message)) throw only;
  placements.sort(
    (a, b) =>
      a.estimate.worstCaseMonthlyUsd - b.estimate.worstCaseMonthlyUsd ||
      a.cloud.localeCompare(b.cloud) ||
      a.region.localeCompare(b.region),
  );
  return { placements, excluded };
}

/**
 * The parts of the spec compare reads itself, before any candidate is validated: the spec, its gpu and its storage
 * entries. (Every other field is checked per candidate, where a bad value excludes the place with the reason.)
 */
function checkComparable(spec: unknown): void {
  const s = requireObject(spec, "spec", "e.g. { gpu: { model: 'H100', count: 64 } }");
  requireObject(s.gpu, "gpu", "e.g. gpu: { model: 'H100', count: 64 }");
  if (s.storage !== undefined) {
    requireList(s.storage, "storage", "e.g. storage: [{ kind: 'lustre', capacityTiB: 12 }]").forEach((entry, i) => requireObject(entry, `storage[${i}]`, "e.g. { kind: 'lustre', capacityTiB: 12 }"));
  }
}

/** The clouds to try, and the regions to try on each: what the options name (checked), or the catalog's. */
function checkOptions(options: unknown): { clouds: readonly Cloud[]; regions: (cloud: Cloud) => readonly string[] } {
  const o = options === undefined ? {} : requireObject(options, "options", "e.g. { clouds: ['aws', 'gcp'] }");
  const clouds =
    o.clouds === undefined ? CLOUDS : requireList(o.clouds, "clouds", `e.g. clouds: ['aws', 'gcp']`).map((c, i) => requireChoice(c, `clouds[${i}]`, CLOUDS));
  const byCloud = o.regions === undefined ? {} : requireObject(o.regions, "regions", "e.g. regions: { aws: ['us-east-1'] }");
  const regions = (cloud: Cloud): readonly string[] => {
    const given = Object.hasOwn(byCloud, cloud) ? byCloud[cloud] : undefined;
    if (given === undefined) return catalog.regions(cloud);
    return requireList(given, `regions.${cloud}`, "e.g. ['us-east-1']").map((r, i) => requireString(r, `regions.${cloud}[${i}]`, "a region id, e.g. 'us-east-1'"));
  };
  return { clouds, regions };
}

function needsFabric(spec: ComparableSpec): boolean {
  return !("replicas" in spec) && spec.fabric !== "none";
}

/** Another cloud's Lustre capacity on AWS: the smallest FSx size that holds it (FSx accepts only its own sizes). */
function onFsxScale(entry: StorageSpec, cloud: Cloud): StorageSpec {
  const { kind, capacityTiB } = entry;
  if (cloud !== "aws" || kind !== "lustre" || typeof capacityTiB !== "number" || !(capacityTiB > 0) || !Number.isFinite(capacityTiB)) return entry;
  return { ...entry, capacityTiB: fsxLustreTiBHolding(capacityTiB) };
}

/** A spec to compare: cloud and region may be left out (every cloud and region is tried). */
export type ComparableSpec =
  | (Omit<ClusterSpec, "cloud" | "region"> & Partial<Pick<ClusterSpec, "cloud" | "region">>)
  | (Omit<FleetSpec, "cloud" | "region"> & Partial<Pick<FleetSpec, "cloud" | "region">>);

/**
 * The requirement in cloud-neutral terms: GPU model and GPUs (total for training,
 * per replica for inference). A spec given in nodes or by a pinned instance type
 * is planned on its own cloud first, since a node holds different GPU counts
 * on other clouds.
 */
function neutralRequirement(spec: ComparableSpec): { model: GpuModel; count: number } {
  const { model, count, nodes, instanceType } = spec.gpu;
  if (model !== undefined && nodes === undefined && instanceType === undefined && (count !== undefined || "replicas" in spec)) {
    return { model, count: count ?? 1 };
  }
  if (spec.cloud === undefined || spec.region === undefined) {
    throw new SpecError("gpu", "comparing by nodes or instance type needs the spec's own cloud and region", "give cloud and region, or gpu: { model, count }");
  }
  const plan = planSpec(spec as ClusterSpec | FleetSpec);
  return { model: plan.gpuModel, count: plan.workload === "training" ? plan.totalGpus : plan.gpusPerNode };
}

function retarget(spec: ComparableSpec, requirement: { model: GpuModel; count: number }, cloud: Cloud, region: string): ClusterSpec | FleetSpec {
  const candidate = { ...spec, cloud, region, gpu: { ...requirement } } as ClusterSpec | FleetSpec;
  delete candidate.zone;
  delete candidate.reservationId;
  delete candidate.contractUsdPerHour;
  if (spec.fabric !== undefined && spec.fabric !== "none") candidate.fabric = "auto";
  // A tier name and a storage quote belong to the spec's own cloud, and so do the FSx settings (efa, metadataIops).
  if (spec.storage) {
    candidate.storage = spec.storage.map(({ tier: _tier, contractUsdPerGiBMonth, efa, metadataIops, ...rest }) =>
      cloud === spec.cloud ? { ...rest, ...(contractUsdPerGiBMonth !== undefined ? { contractUsdPerGiBMonth } : {}), ...(efa !== undefined ? { efa } : {}), ...(metadataIops !== undefined ? { metadataIops } : {}) } : onFsxScale(rest, cloud),
    );
  }
  return candidate;
}
