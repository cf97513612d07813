/**
 * Cloud Billing Catalog API (services/6F81-5844-456A/skus, Compute Engine) →
 * whole-machine prices for the catalog's machine types: vCPUs × core SKU +
 * memory × RAM SKU + GPUs × GPU SKU (+ bundled Local SSD), per region and usage
 * type. A machine is priced only when every one of its components is found.
 */
import type { InstanceFacts, InstancePrice, PricingModel } from "../types.js";

export const GCP_COMPUTE_SKUS_API = "https://cloudbilling.googleapis.com/v1/services/6F81-5844-456A/skus";

export interface GcpSku {
  description: string;
  category: { resourceFamily: string; resourceGroup?: string; usageType: string };
  serviceRegions: string[];
  pricingInfo: { pricingExpression: { usageUnit: string; tieredRates: { startUsageAmount: number; unitPrice: { units: string; nanos: number } }[] } }[];
}

export interface GcpSkuPage {
  skus: GcpSku[];
  nextPageToken?: string;
}

/** Which SKU descriptions price each machine type's parts (Google's own naming). */
export interface GcpMachineSkus {
  core: RegExp;
  ram: RegExp;
  /** Absent where the machine type's price has no separate GPU SKU. */
  gpu?: RegExp;
  /** Bundled Local SSD (priced per GiB-month), for types that come with it. */
  localSsd?: RegExp;
}

const LOCAL_SSD = /^SSD backed Local Storage/i;

export const GCP_MACHINE_SKUS: Record<string, GcpMachineSkus> = {
  "a2-highgpu-1g": { core: /^A2 Instance Core/i, ram: /^A2 Instance Ram/i, gpu: /^Nvidia Tesla A100 GPU/i },
  "a2-highgpu-8g": { core: /^A2 Instance Core/i, ram: /^A2 Instance Ram/i, gpu: /^Nvidia Tesla A100 GPU/i },
  "a2-ultragpu-8g": { core: /^A2 Instance Core/i, ram: /^A2 Instance Ram/i, gpu: /^Nvidia Tesla A100 80GB GPU/i, localSsd: LOCAL_SSD },
  "a3-highgpu-8g": { core: /^A3 Instance Core/i, ram: /^A3 Instance Ram/i, gpu: /^Nvidia H100 80GB GPU/i, localSsd: LOCAL_SSD },
  "a3-megagpu-8g": { core: /^A3Mega Instance Core|^A3 Mega Instance Core/i, ram: /^A3Mega Instance Ram|^A3 Mega Instance Ram/i, gpu: /^Nvidia H100 80GB Mega GPU/i, localSsd: LOCAL_SSD },
  "g2-standard-4": { core: /^G2 Instance Core/i, ram: /^G2 Instance Ram/i, gpu: /^Nvidia L4 GPU/i },
  "g2-standard-48": { core: /^G2 Instance Core/i, ram: /^G2 Instance Ram/i, gpu: /^Nvidia L4 GPU/i },
};

const USAGE_TYPES: Record<string, PricingModel> = {
  OnDemand: "on-demand",
  Preemptible: "spot",
  Commit1Yr: "reserved-1y",
  Commit3Yr: "reserved-3y",
};

function unitPrice(sku: GcpSku): number | undefined {
  const rates = sku.pricingInfo[0]?.pricingExpression.tieredRates ?? [];
  // The first tier that charges (free tiers start at 0 with a 0 price).
  const rate = rates.find((r) => Number(r.unitPrice.units) > 0 || r.unitPrice.nanos > 0) ?? rates[0];
  return rate ? Number(rate.unitPrice.units) + rate.unitPrice.nanos / 1e9 : undefined;
}

/**
 * USD per unit (hour, or GiB-hour for RAM) of the SKU matching `pattern` in a
 * region and usage type. Commitment SKUs carry a "Commitment v1:" prefix; DWS
 * (flex-start) and "Reserved" SKUs price other purchase paths and are skipped.
 */
export function skuPrice(skus: readonly GcpSku[], pattern: RegExp, region: string, usageType: string): number | undefined {
  const sku = skus.find(
    (s) =>
      s.category.usageType === usageType &&
      s.serviceRegions.includes(region) &&
      !/\bDWS\b|^Reserved /i.test(s.description) &&
      pattern.test(s.description.replace(/^Commitment v\d+:\s*/i, "")),
  );
  return sku ? unitPrice(sku) : undefined;
}

/** Whole-machine price rows for the machine types (with their facts) and regions asked. */
export function parseGcpSkus(
  skus: readonly GcpSku[],
  machines: readonly InstanceFacts[],
  source: { source: string; asOf: string },
): InstancePrice[] {
  const rows: InstancePrice[] = [];
  for (const machine of machines) {
    const parts = GCP_MACHINE_SKUS[machine.instanceType];
    if (!parts) continue;
    for (const region of machine.regions) {
      for (const [usageType, pricing] of Object.entries(USAGE_TYPES)) {
        const core = skuPrice(skus, parts.core, region, usageType);
        const ram = skuPrice(skus, parts.ram, region, usageType);
        const gpu = parts.gpu ? skuPrice(skus, parts.gpu, region, usageType) : 0;
        // Local SSD is billed per GiB-month; a month is 730 h in Google's price list.
        const ssdPerGiBMonth = parts.localSsd ? skuPrice(skus, parts.localSsd, region, usageType) : 0;
        if (core === undefined || ram === undefined || gpu === undefined || ssdPerGiBMonth === undefined) continue;
        const ssd = parts.localSsd ? ((machine.localNvmeGiB ?? 0) * ssdPerGiBMonth) / 730 : 0;
        const usdPerHour = machine.vcpus * core + machine.memoryGiB * ram + machine.gpuCount * gpu + ssd;
        rows.push({ cloud: "gcp", instanceType: machine.instanceType, region, pricing, usdPerHour, ...source });
      }
    }
  }
  return rows;
}
