/**
 * The same requirement placed on every cloud and region that can hold it,
 * cheapest first, with the reason each other place was left out.
 */
import * as catalog from "../catalog/index.js";
import { CLOUDS, type Cloud, type GpuModel } from "../catalog/types.js";
import { estimateCost, planSpec } from "../cost/estimate.js";
import type { CostEstimate } from "../cost/types.js";
import { SpecError, isSpecError } from "../spec/errors.js";
import type { ClusterSpec, FleetSpec } from "../spec/types.js";
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
  const requirement = neutralRequirement(spec);
  const placements: Placement[] = [];
  const excluded: Exclusion[] = [];
  for (const cloud of options.clouds ?? CLOUDS) {
    for (const region of options.regions?.[cloud] ?? catalog.regions(cloud)) {
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
        excluded.push({ cloud, region, reason: err.message });
      }
    }
  }
  placements.sort(
    (a, b) =>
      a.estimate.worstCaseMonthlyUsd - b.estimate.worstCaseMonthlyUsd ||
      a.cloud.localeCompare(b.cloud) ||
      a.region.localeCompare(b.region),
  );
  return { placements, excluded };
}

function needsFabric(spec: ComparableSpec): boolean {
  return !("replicas" in spec) && spec.fabric !== "none";
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
  // A tier name and a storage quote belong to the spec's own cloud.
  if (spec.storage) {
    candidate.storage = spec.storage.map(({ tier: _tier, contractUsdPerGiBMonth, ...rest }) => (cloud === spec.cloud && contractUsdPerGiBMonth !== undefined ? { ...rest, contractUsdPerGiBMonth } : rest));
  }
  return candidate;
}
