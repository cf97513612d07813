/**
 * Rows generated from public machine-generated price and shape dumps by `scripts/catalog/generate.ts` (see
 * lib/catalog/data/README.md), and how they join the hand-written tables:
 * - a hand-written type keeps its facts (fabric, NICs, limits), and gains every region the dumps price it in;
 * - a type only the dumps know gets facts with fabric `none`: it is ranked, priced and compiled as plain VMs on the
 *   ordinary network, never with a fabric the library has not been told it has;
 * - a hand-written price row wins over a generated one for the same type, region and pricing model.
 */
import { GPUS } from "./gpus.js";
import type { Cloud, CloudCatalog, GpuModel, InstanceFacts, InstancePrice, PricingModel, Sourced } from "./types.js";

/** One generated instance type: its shape, from a named dump. */
export interface GeneratedType {
  instanceType: string;
  gpuModel: GpuModel;
  /** GPUs per instance; a fraction below 1 for a partitioned size (a share of one GPU), which is always `notBuilt`. */
  gpuCount: number;
  vcpus: number;
  /** Host memory, GiB. */
  memoryGiB: number;
  /** GPUs on an NVLink / NVSwitch board (the 8-GPU HGX sizes), as the family table in the generator says. */
  nvlink: boolean;
  /** Whether the cloud sells the type as spot (a spot price in the dump, or the cloud's rule for the family). */
  spotAvailable: boolean;
  /** Index into `sources` of the dump the shape was read from. */
  factsSource: number;
  /** Why the compilers do not build the type (see InstanceFacts.notBuilt), when they do not. */
  notBuilt?: string;
}

/** One generated price: [instance type, region, pricing model, USD per instance-hour, index into `sources`]. */
export type GeneratedPrice = [string, string, PricingModel, number, number];

export interface GeneratedCatalog {
  cloud: Cloud;
  /** The dumps read, each with the repository, path and commit, and the dump's own date (or its commit's). */
  sources: Sourced[];
  types: GeneratedType[];
  prices: GeneratedPrice[];
  /** The managed-Kubernetes system pool's on-demand price per region, when the dump carries its size. */
  systemNodes?: { instanceType: string; usdPerHour: Record<string, number>; source: number };
}

const FACTS_NOTE =
  "Generated from a public dump (see source): shape and price only. No fabric facts: compiled on the ordinary network (fabric 'none').";

/** The hand-written catalog with the generated rows joined in (see the module comment for the rules). */
export function withGenerated(hand: CloudCatalog, generated: GeneratedCatalog): CloudCatalog {
  const key = (p: { instanceType: string; region: string; pricing: PricingModel }) => `${p.instanceType}/${p.region}/${p.pricing}`;
  const handPrices = new Set(hand.prices.map(key));
  const prices: InstancePrice[] = [...hand.prices];
  const pricedRegions = new Map<string, Set<string>>();
  for (const [instanceType, region, pricing, usdPerHour, src] of generated.prices) {
    const regions = pricedRegions.get(instanceType) ?? new Set<string>();
    regions.add(region);
    pricedRegions.set(instanceType, regions);
    if (handPrices.has(key({ instanceType, region, pricing }))) continue;
    const { source, asOf } = generated.sources[src]!;
    prices.push({ cloud: hand.cloud, instanceType, region, pricing, usdPerHour, source, asOf });
  }
  dropSpotOutliers(prices, handPrices, key);
  const handTypes = new Set(hand.instances.map((i) => i.instanceType));
  const instances: InstanceFacts[] = hand.instances.map((i) => ({
    ...i,
    gpuMemoryGiB: GPUS[i.gpuModel].memoryGiB,
    regions: [...new Set([...i.regions, ...(pricedRegions.get(i.instanceType) ?? [])])].sort(),
  }));
  for (const t of generated.types) {
    if (handTypes.has(t.instanceType)) continue;
    const regions = [...(pricedRegions.get(t.instanceType) ?? [])].sort();
    if (regions.length === 0) continue;
    const { source, asOf } = generated.sources[t.factsSource]!;
    instances.push({
      cloud: hand.cloud,
      instanceType: t.instanceType,
      gpuModel: t.gpuModel,
      gpuCount: t.gpuCount,
      gpuMemoryGiB: GPUS[t.gpuModel].memoryGiB,
      vcpus: t.vcpus,
      memoryGiB: t.memoryGiB,
      nvlink: t.nvlink,
      fabric: "none",
      fabricNics: 0,
      fabricGbps: 0,
      regions,
      spotAvailable: t.spotAvailable,
      notes: FACTS_NOTE,
      ...(t.notBuilt ? { notBuilt: t.notBuilt } : {}),
      source,
      asOf,
    });
  }
  return { ...hand, instances, prices, ...systemNodes(hand, generated) };
}

/**
 * A generated spot price under half its type's median spot discount (spot ÷ on-demand, over the regions priced both
 * ways) is left out. Such a row is either one quiet day's floor (AWS's 2023 SkyPilot rows at 10% of on-demand in
 * ap-northeast-3 or eu-south-1, where the type's median is 31%) or a price missing its accelerator SKU (GCP a3-highgpu
 * in europe-north1 at 10.5% for every size, against 39% elsewhere: the host-only pattern). Either way it would rank
 * first in `compare --pricing spot` on a figure least likely to hold. Hand-written rows are kept as written.
 */
export const SPOT_OUTLIER_SHARE_OF_MEDIAN = 0.5;

function dropSpotOutliers(prices: InstancePrice[], handPrices: Set<string>, key: (p: InstancePrice) => string): void {
  const onDemand = new Map(prices.filter((p) => p.pricing === "on-demand").map((p) => [`${p.instanceType}/${p.region}`, p.usdPerHour]));
  const ratio = (p: InstancePrice) => p.usdPerHour / onDemand.get(`${p.instanceType}/${p.region}`)!;
  const spot = prices.filter((p) => p.pricing === "spot" && !handPrices.has(key(p)) && onDemand.has(`${p.instanceType}/${p.region}`));
  const byType = new Map<string, number[]>();
  for (const p of spot) byType.set(p.instanceType, [...(byType.get(p.instanceType) ?? []), ratio(p)]);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const out = new Set(spot.filter((p) => ratio(p) < SPOT_OUTLIER_SHARE_OF_MEDIAN * median(byType.get(p.instanceType)!)));
  for (let i = prices.length - 1; i >= 0; i--) if (out.has(prices[i]!)) prices.splice(i, 1);
}

/** The system pool priced from the dump (every region it lists), when the dump carries the pool's size. */
function systemNodes(hand: CloudCatalog, generated: GeneratedCatalog): Pick<CloudCatalog, "kubernetes"> | undefined {
  const pool = generated.systemNodes;
  if (!hand.kubernetes || !pool || pool.instanceType !== hand.kubernetes.systemNodes.instanceType) return undefined;
  const { source, asOf } = generated.sources[pool.source]!;
  return {
    kubernetes: {
      ...hand.kubernetes,
      systemNodes: { ...hand.kubernetes.systemNodes, usdPerHour: pool.usdPerHour, source: `${source} (${pool.instanceType})`, asOf },
    },
  };
}
