/**
 * The one place the spec's traffic, counted in GiB, becomes the units a cloud bills transfer in (its per-cloud fact:
 * TRANSFER_UNIT in lib/catalog/data/fees.ts). Every per-GB transfer line (internet egress, cross-region and
 * cross-zone transfer, NAT and load balancer data processed, EFS throughput) takes its quantity from here.
 *
 * And the one place a transfer rate is read for a region: internet egress tiers and the cross-region rate are the
 * reference region's figures with, where a dated source gives them, each region's own (`usdPerGiBIn`,
 * `crossRegionUsdPerGiBIn` in lib/catalog/types.ts). A region without its own figure gets the reference region's,
 * and `regional: false` tells the estimate to name it in its region note.
 */
import * as catalog from "../catalog/index.js";
import { FEE_REFERENCE_REGION, TRANSFER_UNIT, type TransferUnit } from "../catalog/data/fees.js";
import type { Cloud, EgressTier, Sourced, UsdPerGiBByRegion } from "../catalog/types.js";

const BYTES_PER_GIB = 2 ** 30;

/** The cloud's transfer unit (bytes per billed unit, and the unit's name on a bill line). */
export function transferUnit(cloud: Cloud): TransferUnit {
  return TRANSFER_UNIT[cloud];
}

/** `gib` GiB (2^30 bytes each) in billed units of `unit`: the same figure for a binary unit, 1.0737 × for a decimal GB. */
export function billedUnits(gib: number, unit: TransferUnit): number {
  return (gib * BYTES_PER_GIB) / unit.bytes;
}

/**
 * A per-GiB figure in `region`: the source's own figure for that region where it gives one, else the reference
 * region's. `regional` is true when the figure is the region's own: a listed region, the reference region itself, or
 * a cloud whose figures hold everywhere (no reference region: CoreWeave, whose transfer is free).
 */
export function rateIn(cloud: Cloud, usd: number, byRegion: UsdPerGiBByRegion | undefined, region: string): { usd: number; regional: boolean } {
  const own = byRegion !== undefined && Object.hasOwn(byRegion, region) ? byRegion[region] : undefined;
  if (own !== undefined) return { usd: own, regional: true };
  const reference = FEE_REFERENCE_REGION[cloud];
  return { usd, regional: reference === undefined || reference === region };
}

/** The cloud's internet egress tiers as billed in `region` (each tier's `usdPerGiB` is the region's), first tier first. */
export function egressTiersIn(cloud: Cloud, region: string): { tiers: EgressTier[]; regional: boolean } {
  const rates = catalog.egressTiers(cloud).map((tier) => ({ tier, rate: rateIn(cloud, tier.usdPerGiB, tier.usdPerGiBIn, region) }));
  return {
    tiers: rates.map(({ tier, rate }) => ({ ...tier, usdPerGiB: rate.usd })),
    // One source gives every tier of a region or none: a region is regional when all its tiers are.
    regional: rates.every(({ rate }) => rate.regional),
  };
}

/** USD per GiB sent from `region` to another region of the cloud, with the figure's own source and date. */
export function crossRegionIn(cloud: Cloud, region: string): { usd: number; regional: boolean } & Sourced {
  const net = catalog.networkPrices(cloud);
  const rate = rateIn(cloud, net.crossRegionUsdPerGiB, net.crossRegionUsdPerGiBIn, region);
  const src = net.crossRegionPrice ?? net;
  return { ...rate, source: src.source, asOf: src.asOf };
}
