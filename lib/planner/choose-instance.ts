/**
 * Which instance type carries the GPUs asked for. Pure data queries over the
 * catalog; the rules are the whole policy:
 * - training: the NVLink node with the most GPUs of that model (the 8-GPU HGX
 *   board, or the 4-GPU GB200 tray), preferring the widest fabric, then the
 *   lowest price in the region; a job smaller than that node, one instance
 *   with exactly its GPUs (smallTrainingInstance);
 * - inference: the smallest instance with at least the GPUs a replica needs,
 *   then the lowest price.
 */
import * as catalog from "../catalog/index.js";
import type { Cloud, GpuModel, InstanceFacts, PricingModel } from "../catalog/types.js";

export type Workload = "training" | "inference";

/** Instances of `model` offered in `region`, best first for the workload. */
export function rankInstances(
  cloud: Cloud,
  region: string,
  model: GpuModel,
  workload: Workload,
  gpusPerReplica: number,
  pricing: PricingModel,
): InstanceFacts[] {
  // A type the compilers do not build (InstanceFacts.notBuilt) is priced and sized, never chosen.
  const offered = catalog.instances(cloud, model).filter((i) => i.regions.includes(region) && !i.notBuilt);
  const priceOf = (i: InstanceFacts) =>
    catalog.price({ cloud, instanceType: i.instanceType, region, pricing }) ??
    catalog.price({ cloud, instanceType: i.instanceType, region }) ??
    Infinity;
  if (workload === "training") {
    const nvlinked = offered.filter((i) => i.nvlink);
    const pool = nvlinked.length > 0 ? nvlinked : offered;
    return [...pool].sort(
      (a, b) =>
        b.gpuCount - a.gpuCount ||
        b.fabricGbps - a.fabricGbps ||
        priceOf(a) - priceOf(b) ||
        a.instanceType.localeCompare(b.instanceType),
    );
  }
  return offered
    .filter((i) => i.gpuCount >= gpusPerReplica)
    .sort(
      (a, b) =>
        a.gpuCount - b.gpuCount || priceOf(a) - priceOf(b) || a.instanceType.localeCompare(b.instanceType),
    );
}

/**
 * A training job smaller than the model's NVLink node (1 A10G where the node is g5.48xlarge's 8): one instance with
 * exactly that many GPUs, the cheapest sold the way the spec pays, when the region has one. Its GPUs then talk over
 * the instance's own NVLink or PCIe, and one node needs no inter-node fabric. Undefined when the count fills a node
 * or more, or no instance has exactly that count (then validation's node rule says what to ask for).
 */
export function smallTrainingInstance(ranked: InstanceFacts[], count: unknown, cloud: Cloud, region: string, model: GpuModel, pricing: PricingModel): InstanceFacts | undefined {
  const largest = ranked[0]?.gpuCount;
  if (largest === undefined || typeof count !== "number" || !Number.isInteger(count) || count < 1 || count >= largest) return undefined;
  const priced = (i: InstanceFacts) => catalog.price({ cloud, instanceType: i.instanceType, region, pricing });
  return catalog
    .instances(cloud, model)
    .filter((i) => i.regions.includes(region) && !i.notBuilt && i.gpuCount === count && (i.limits?.nodeMultiple ?? 1) === 1 && priced(i) !== undefined)
    .sort((a, b) => priced(a)! - priced(b)! || a.instanceType.localeCompare(b.instanceType))[0];
}
