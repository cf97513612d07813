/**
 * Catalog lookups over the per-cloud data tables in `./data`.
 *
 * Every lookup returns `undefined` (or an empty list) for what the tables do
 * not hold: the catalog never guesses a figure.
 */
import { awsCatalog } from "./data/aws.js";
import { azureCatalog } from "./data/azure.js";
import { coreweaveCatalog } from "./data/coreweave.js";
import { gcpCatalog } from "./data/gcp.js";
import { AWS_GENERATED } from "./data/generated/aws.js";
import { AZURE_GENERATED } from "./data/generated/azure.js";
import { GCP_GENERATED } from "./data/generated/gcp.js";
import { withGenerated } from "./generated.js";
import { loadRefreshedPrices } from "./overlay.js";
import { AWS_FEES, AZURE_FEES, COREWEAVE_FEES, GCP_FEES, NODE_DISK_FEES } from "./data/fees.js";
import { APP_GATEWAY_FEES } from "./data/azure-app-gateway.js";
import { awsInterfaceEndpointPrices } from "./data/aws.js";
import { GPUS } from "./gpus.js";
import { PRICING_MODELS } from "./types.js";
import type {
  Cloud,
  CloudCatalog,
  EgressTier,
  GpuModel,
  InstanceFacts,
  InstancePrice,
  NetworkPrices,
  PricingModel,
  StorageKind,
  StoragePrice,
  Sourced,
  SystemNodePool,
} from "./types.js";

export * from "./types.js";

// The hand-written tables (fabric facts, curated rows) joined with the rows generated from public price dumps.
const catalogs: Record<Cloud, CloudCatalog> = {
  aws: withGenerated(awsCatalog, AWS_GENERATED),
  gcp: withGenerated(gcpCatalog, GCP_GENERATED),
  azure: withGenerated(azureCatalog, AZURE_GENERATED),
  coreweave: withGenerated(coreweaveCatalog, { cloud: "coreweave", sources: [], types: [], prices: [] }),
};

// Indexes built once at load: lookups are on the hot path of compare() and the CLI.
const instanceIndex = new Map<string, InstanceFacts>();
const priceIndex = new Map<string, InstancePrice>();
for (const cat of Object.values(catalogs)) {
  for (const facts of cat.instances) instanceIndex.set(`${cat.cloud}/${facts.instanceType}`, facts);
  for (const row of cat.prices) priceIndex.set(priceKey(row.cloud, row.instanceType, row.region, row.pricing), row);
  // Refreshed prices replace shipped ones, for types and regions the catalog lists.
  for (const row of loadRefreshedPrices(cat.cloud)) {
    if (instanceIndex.get(`${cat.cloud}/${row.instanceType}`)?.regions.includes(row.region)) {
      priceIndex.set(priceKey(row.cloud, row.instanceType, row.region, row.pricing), row);
    }
  }
}

/**
 * The table of a cloud the caller names, or undefined. Public lookups take the cloud from users (`catalog.instances("mars")`),
 * and a plain `catalogs[cloud]` would answer "constructor" or "toString" with Object.prototype's members.
 */
function tableOf(cloud: Cloud): CloudCatalog | undefined {
  return Object.hasOwn(catalogs, cloud) ? catalogs[cloud] : undefined;
}

function priceKey(cloud: Cloud, instanceType: string, region: string, pricing: PricingModel): string {
  return `${cloud}/${instanceType}/${region}/${pricing}`;
}

/** The whole table of one cloud (read-only use). */
export function cloudCatalog(cloud: Cloud): CloudCatalog {
  return catalogs[cloud];
}

/** The system node pool a managed cluster created by this library runs (what the compilers build and the estimate prices). */
export function systemNodePool(cloud: Cloud): SystemNodePool {
  const kubernetes = catalogs[cloud].kubernetes;
  if (!kubernetes) throw new Error(`the ${cloud} catalog has no managed Kubernetes entry`);
  return kubernetes.systemNodes;
}

/** Facts about one instance type, or `undefined` when the catalog does not list it. */
export function instance(cloud: Cloud, instanceType: string): InstanceFacts | undefined {
  return instanceIndex.get(`${cloud}/${instanceType}`);
}

// Instances per cloud and GPU model, built on first use: compare() asks for them once per candidate region.
const byModel = new Map<string, InstanceFacts[]>();

/** Every instance type of a cloud (optionally only those with the given GPU model). A copy: callers may sort it. */
export function instances(cloud: Cloud, gpuModel?: GpuModel): InstanceFacts[] {
  const key = `${cloud}/${gpuModel ?? "*"}`;
  let list = byModel.get(key);
  if (!list) {
    list = (tableOf(cloud)?.instances ?? []).filter((i) => gpuModel === undefined || i.gpuModel === gpuModel);
    if (tableOf(cloud)) byModel.set(key, list);
  }
  return [...list];
}

/** What to look up in {@link price}. */
export interface PriceQuery {
  cloud: Cloud;
  instanceType: string;
  region: string;
  /** Default `on-demand`. */
  pricing?: PricingModel;
}

/** USD per instance-hour, or `undefined` when no public figure is in the catalog. */
export function price(query: PriceQuery): number | undefined {
  return priceRow(query)?.usdPerHour;
}

/** The full price row (with its source and date), or `undefined`. */
export function priceRow(query: PriceQuery): InstancePrice | undefined {
  return priceIndex.get(priceKey(query.cloud, query.instanceType, query.region, query.pricing ?? "on-demand"));
}

/** Pricing models with a catalog price for this type in this region. */
export function pricingModelsFor(cloud: Cloud, instanceType: string, region: string): PricingModel[] {
  return PRICING_MODELS.filter((pricing) => priceIndex.has(priceKey(cloud, instanceType, region, pricing)));
}

/** Every price row in effect (shipped, or refreshed where a refresh replaced it). */
export function prices(cloud: Cloud): InstancePrice[] {
  return [...priceIndex.values()].filter((p) => p.cloud === cloud);
}

/** Storage tiers of one kind on one cloud that apply in `region`. */
export function storageTiers(cloud: Cloud, kind: StorageKind, region: string): StoragePrice[] {
  return (tableOf(cloud)?.storage ?? []).filter(
    (s) => s.kind === kind && (s.regions.includes("*") || s.regions.includes(region)),
  );
}

/** Internet egress tiers of a cloud, first tier first. */
export function egressTiers(cloud: Cloud): EgressTier[] {
  return tableOf(cloud)?.egress ?? [];
}

/** NAT, load balancer and cross-region prices of a cloud. */
export function networkPrices(cloud: Cloud): NetworkPrices {
  return catalogs[cloud].network;
}

// Regions per cloud, computed once: validation asks for them for every candidate compare() tries.
const regionIndex = new Map<Cloud, readonly string[]>();

/** Every region the catalog lists for a cloud, sorted. */
export function regions(cloud: Cloud): string[] {
  if (!tableOf(cloud)) return [];
  let list = regionIndex.get(cloud);
  if (!list) {
    list = [...new Set(instances(cloud).flatMap((i) => i.regions))].sort();
    regionIndex.set(cloud, list);
  }
  return [...list];
}

/** One sourced figure, flattened for listing (`gpu-cluster catalog --stale-days`). */
export interface FigureRef extends Sourced {
  /** The cloud the figure is about; `*` for a GPU's own facts, which every cloud's rows use. */
  cloud: Cloud | "*";
  /** What the figure is, e.g. `price p5.48xlarge us-east-1 on-demand`. */
  what: string;
}

/** Every sourced figure of the catalog (GPU facts, instances, prices, fees), for audits of age and origin. */
export function allFigures(): FigureRef[] {
  const out: FigureRef[] = [];
  // Per-GPU memory and dense BF16 peak (./gpus.ts): sizing reads them for every cloud.
  for (const g of Object.values(GPUS)) out.push({ cloud: "*", what: `gpu ${g.model} memory and BF16 peak`, source: g.source, asOf: g.asOf });
  for (const cat of Object.values(catalogs)) {
    const cloud = cat.cloud;
    for (const i of cat.instances) out.push({ cloud, what: `facts ${i.instanceType}`, source: i.source, asOf: i.asOf });
    for (const p of prices(cloud))
      out.push({ cloud, what: `price ${p.instanceType} ${p.region} ${p.pricing}`, source: p.source, asOf: p.asOf });
    for (const s of cat.storage) out.push({ cloud, what: `storage ${s.kind} ${s.tier}`, source: s.source, asOf: s.asOf });
    for (const e of cat.egress)
      out.push({ cloud, what: `egress up to ${e.upToTiB ?? "∞"} TiB`, source: e.source, asOf: e.asOf });
    out.push({ cloud, what: "network prices", source: cat.network.source, asOf: cat.network.asOf });
    if (cat.kubernetes) {
      out.push({ cloud, what: `kubernetes ${cat.kubernetes.service}`, source: cat.kubernetes.source, asOf: cat.kubernetes.asOf });
      const system = cat.kubernetes.systemNodes;
      out.push({ cloud, what: `kubernetes system nodes ${system.instanceType}`, source: system.source, asOf: system.asOf });
    }
  }
  // The fees of the bill of materials (addresses, load balancer usage, node disks, ...): dated like every other figure.
  for (const [cloud, table] of FEE_TABLES) {
    for (const [name, fee] of Object.entries(table)) {
      const f = fee as Partial<Sourced>;
      if (typeof f.source === "string" && typeof f.asOf === "string") out.push({ cloud, what: `fee ${name}`, source: f.source, asOf: f.asOf });
    }
  }
  // AWS PrivateLink interface endpoints (an air-gapped AWS VM cluster's replacement for the NAT gateway).
  out.push({ cloud: "aws", what: "fee interface VPC endpoint", source: awsInterfaceEndpointPrices.source, asOf: awsInterfaceEndpointPrices.asOf });
  for (const [cloud, disks] of Object.entries(NODE_DISK_FEES) as [Cloud, Record<string, { source: string; asOf: string }>][]) {
    for (const [type, disk] of Object.entries(disks)) out.push({ cloud, what: `node disk ${type}`, source: disk.source, asOf: disk.asOf });
  }
  return out;
}

const FEE_TABLES: [Cloud, Record<string, unknown>][] = [
  ["aws", AWS_FEES],
  ["gcp", GCP_FEES],
  ["azure", AZURE_FEES],
  ["azure", APP_GATEWAY_FEES],
  ["coreweave", COREWEAVE_FEES],
];
