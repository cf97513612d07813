import type { CloudCatalog, InstanceFacts, InstancePrice, PricingModel, Sourced } from "../types.js";
import { UNDATED } from "../types.js";

// Sources: one constant per page read, with the date read (or the date the stored copy states).

/** coreweave.com/pricing as captured by a daily public scraper; the 2026-10-10 capture is the newest stored. */
const SRC_PRICING: Sourced = {
  source:
    "https://www.coreweave.com/pricing (capture of 2026-10-10 in github.com/PrashantSedhain/coreweave-pricing-tracker data/2026-10-10.json); prices are per instance-hour as the page lists them",
  asOf: "2026-10-10",
};

/** Same page, transcribed 2026-09-20 (the only stored copy naming the egress line). */
const SRC_PRICING_EGRESS: Sourced = {
  source:
    "https://www.coreweave.com/pricing ('Egress and IOPS: Free', transcribed 2026-09-20 in github.com/api-evangelist/coreweave plans/coreweave-plans-pricing.yml)",
  asOf: "2026-09-20",
};

/** Regions: docs list availability per Availability Zone; the catalog uses the Region (AZ without its letter). */
const SRC_REGIONS: Sourced = {
  source:
    "https://docs.coreweave.com/platform/instances/availability-matrix (General Access AZs) and /platform/regions/us-east, /us-west; per-type AZ rows as transcribed 2026-10-04 from the instance pages, kept only where the Q1-2026 region map in a public CKS Terraform module agrees",
  asOf: "2026-10-04",
};

/** Inter-node fabric: HCAs per node from CoreWeave's own NCCL test manifests; fabric is Quantum-2 (NDR, 400 Gb/s per port). */
const SRC_FABRIC =
  "github.com/coreweave/nccl-tests (gpus/h100.cue, mpi-operator/nccl-test-distributed-b200-64-mpijob.yaml, slurm/nccl-test-hgx-ib.slurm: 8 IB devices ibp0-ibp7 per HGX node); https://docs.coreweave.com/products/networking/hpc-interconnect/about-hpc-interconnect (NVIDIA Quantum-2 InfiniBand)";

/** GB200 NVL72 rack rule: CKS deploys gb200-4x only in whole racks of 18 Nodes (targetNodes a multiple of 18). */
const SRC_GB200_RACK = "https://docs.coreweave.com/docs/platform/instances/gb200 (read 2026-11-25)";

/**
 * GB200 fabric: CoreWeave's own NVL72 NCCL manifest gives each gb200-4x Node 4 IB devices; NVIDIA's DGX GB200
 * user guide gives the compute tray's cluster network as 4 single-port 400G ConnectX-7 NICs. No CoreWeave docs
 * page stored states the GB200 HCA count or rate, so the NVIDIA figure is used.
 */
const SRC_GB200_FABRIC =
  "github.com/coreweave/nccl-tests mpi-operator/nccl-test-distributed-gb200-nvl72-mpijob.yaml (UCX_NET_DEVICES ibp0:1..ibp3:1 from bee97e7, 2025-05-05, until d7f181c, 2025-12-15, which moved UCX to tcp over eth0; rdma/ib on node type gb200-4x); https://docs.nvidia.com/dgx/dgxgb200-user-guide/hardware.html (compute tray, cluster network: 4x ConnectX-7 single-port 400G OSFP)";

/**
 * A100 fabric: 4 IB devices per gd-8xa100-i128 Node from CoreWeave's NCCL test config; the HCAs are ConnectX-6
 * on NVIDIA Quantum HDR switches (CoreWeave docs), and ConnectX-6 VPI runs InfiniBand at up to 200 Gb/s per port
 * (HDR; NVIDIA adapter manual). CoreWeave quotes 1.6 Tbps per Node as "effective bandwidth with SHARP", which is
 * not a port rate and is not used here.
 */
const SRC_A100_FABRIC =
  "github.com/coreweave/nccl-tests gpus/a100.cue (nodeType gd-8xa100-i128, ibDevices ibp0:1..ibp3:1); https://docs.coreweave.com/networking/hpc-interconnect (A100 HGX Nodes: NVSwitch baseboard, Mellanox CX-6 InfiniBand HCAs, Quantum HDR/NDR switches; copy in CoreWeave's GitBook docs source); https://docs.nvidia.com/networking/display/ConnectX6EN/Introduction (ConnectX-6 VPI: up to 200 Gb/s per port, InfiniBand and Ethernet)";

/** L40S is a PCIe card without NVLink (NVIDIA datasheet figures as reproduced by a reseller page). */
const SRC_L40S_PCIE =
  "https://www.itcreations.com/nvidia-gpu/nvidia-l40s-gpu-accelerator (NVIDIA L40S: PCIe Gen4 x16, NVLink not supported)";

/**
 * AZs of the types added 2026-11-25: a 2026-10-04 public transcription of the docs instance pages (a CoreWeave
 * console tool's instance table), kept only where the Q1-2026 region map of the public vLLM CKS Terraform module
 * (CloudThrill) agrees, the same rule as the first three types.
 */
const SRC_REGIONS_ADDED =
  "AZ lists per type from a 2026-10-04 transcription of https://docs.coreweave.com/platform/instances/gpu-instances, intersected with the region_gpu_aliases map of the CloudThrill vLLM production-stack CKS Terraform module (https://github.com/CloudThrill/vllm-production-stack-terraform/blob/0e5d6e42796c2f2efa411a8497b5e35fca3a310f/coreweave/cks-vllm/main.tf, header 'Date: Q1 2026')";

/**
 * Cross-region transfer: the docs say moving data between Regions is free (an undated page), and the pricing page's
 * networking table, in its dated capture, has no transfer line (Public IP, BYOIP and Direct Connect only).
 */
const SRC_REGIONS_FREE: Sourced = {
  source:
    "https://docs.coreweave.com/docs/platform/regions ('Free data transfer' between Regions; undated); https://www.coreweave.com/pricing networking table with no transfer line (capture of 2026-08-22 in github.com/PrashantSedhain/coreweave-pricing-tracker data/2026-08-22.json)",
  asOf: "2026-08-22",
};

// Helpers.

/** TB (decimal, as the pricing page writes local storage) to GiB. */
const tbToGiB = (tb: number): number => (tb * 1e12) / 2 ** 30;

/** North America and Europe geographies of the pricing page, by CoreWeave Region. */
const EUROPE = new Set(["EU-SOUTH-03", "EU-SOUTH-04"]);

function price(
  instanceType: string,
  region: string,
  pricing: PricingModel,
  usdPerHour: number,
  src: Sourced,
): InstancePrice {
  return { cloud: "coreweave", instanceType, region, pricing, usdPerHour, source: src.source, asOf: src.asOf };
}

/**
 * One on-demand row per region (list price is the same in every region) and one spot row per region at the
 * page's geography spot price; a geography whose spot cell is empty on the page gets no spot row.
 */
function pricesFor(
  facts: InstanceFacts,
  onDemand: number,
  spot?: { northAmerica?: number; europe?: number },
): InstancePrice[] {
  const od: Sourced = {
    source: `${SRC_PRICING.source}; on-demand list price is the same in every region (North America and Europe tables list the same figure)`,
    asOf: SRC_PRICING.asOf,
  };
  const rows = facts.regions.map((r) => price(facts.instanceType, r, "on-demand", onDemand, od));
  if (spot) {
    for (const r of facts.regions) {
      const eu = EUROPE.has(r);
      const usd = eu ? spot.europe : spot.northAmerica;
      if (usd === undefined) continue;
      const sp: Sourced = {
        source: `${SRC_PRICING.source}; spot price of the ${eu ? "Europe" : "North America"} table, applied to every region of that geography`,
        asOf: SRC_PRICING.asOf,
      };
      rows.push(price(facts.instanceType, r, "spot", usd, sp));
    }
  }
  return rows;
}

// Instance facts (specs from the pricing page table; GPU memory and RAM are the page's "GB" figures).

const HGX_NOTES =
  "GPU memory and RAM as the pricing page lists them (GB). Local storage is the pricing page figure (61.44 TB). A 2026-10-04 third-party transcription of the docs instance table lists 30.72 TB, but no copy of the CoreWeave docs instance page itself is stored (checked 2026-11-25), so the figure CoreWeave publishes on its pricing page is kept. Regions are CoreWeave Regions; the CKS zone is the Region plus its AZ letter (see notes per type). 400 Gb/s per HCA is the Quantum-2 NDR port rate.";

const h100: InstanceFacts = {
  cloud: "coreweave",
  instanceType: "gd-8xh100ib-i128",
  gpuModel: "H100",
  gpuCount: 8,
  gpuMemoryGiB: 80,
  vcpus: 128,
  memoryGiB: 2048,
  nvlink: true,
  fabric: "infiniband",
  fabricNics: 8,
  fabricGbps: 3200,
  localNvmeGiB: tbToGiB(61.44),
  regions: ["RNO2", "US-EAST-01", "US-EAST-04", "US-EAST-06", "US-WEST-01", "US-WEST-04", "US-WEST-09"],
  spotAvailable: true,
  notes: `${HGX_NOTES} AZs: RNO2A, US-EAST-01A, US-EAST-04A, US-EAST-06A, US-WEST-01A, US-WEST-04A, US-WEST-09B. Fabric: ${SRC_FABRIC}. Regions: ${SRC_REGIONS.source}.`,
  source: SRC_PRICING.source,
  asOf: SRC_PRICING.asOf,
};

const h200: InstanceFacts = {
  cloud: "coreweave",
  instanceType: "gd-8xh200ib-i128",
  gpuModel: "H200",
  gpuCount: 8,
  gpuMemoryGiB: 141,
  vcpus: 128,
  memoryGiB: 2048,
  nvlink: true,
  fabric: "infiniband",
  fabricNics: 8,
  fabricGbps: 3200,
  localNvmeGiB: tbToGiB(61.44),
  regions: ["EU-SOUTH-03", "US-EAST-01", "US-EAST-02", "US-EAST-04", "US-EAST-08", "US-WEST-04"],
  spotAvailable: true,
  notes: `${HGX_NOTES} AZs: EU-SOUTH-03B, US-EAST-01A, US-EAST-02A, US-EAST-04A, US-EAST-08A, US-WEST-04A. HCA count: same 8-GPU HGX InfiniBand SKU family as H100 in coreweave/nccl-tests slurm/nccl-test-hgx-ib.slurm. Fabric: ${SRC_FABRIC}. Regions: ${SRC_REGIONS.source}.`,
  source: SRC_PRICING.source,
  asOf: SRC_PRICING.asOf,
};

const b200: InstanceFacts = {
  cloud: "coreweave",
  instanceType: "b200-8x",
  gpuModel: "B200",
  gpuCount: 8,
  gpuMemoryGiB: 180,
  vcpus: 128,
  memoryGiB: 2048,
  nvlink: true,
  fabric: "infiniband",
  fabricNics: 8,
  fabricGbps: 3200,
  localNvmeGiB: tbToGiB(61.44),
  regions: ["US-CENTRAL-07", "US-EAST-13", "US-WEST-09"],
  spotAvailable: true,
  notes: `${HGX_NOTES} AZs: US-CENTRAL-07A, US-EAST-13A, US-WEST-09B. Fabric: ${SRC_FABRIC}. Regions: ${SRC_REGIONS.source}.`,
  source: SRC_PRICING.source,
  asOf: SRC_PRICING.asOf,
};

const gb200: InstanceFacts = {
  cloud: "coreweave",
  instanceType: "gb200-4x",
  gpuModel: "GB200",
  gpuCount: 4,
  gpuMemoryGiB: 186,
  vcpus: 144,
  memoryGiB: 960,
  nvlink: true,
  fabric: "infiniband",
  fabricNics: 4,
  fabricGbps: 1600,
  localNvmeGiB: tbToGiB(30.72),
  regions: ["US-EAST-01", "US-EAST-02", "US-EAST-08", "US-EAST-13", "US-WEST-01"],
  // The pricing page has no spot price for GB200 NVL72 in either geography.
  spotAvailable: false,
  limits: { nodeMultiple: 18 },
  notes: `One Node is one NVL72 compute tray (4 GPUs, NVLink across the 72-GPU rack). GPU memory and RAM as the pricing page lists them (GB). Local storage is the pricing page figure (30.72 TB); the 2026-10-04 transcription lists 15.36 TB, and no CoreWeave docs page with the figure is stored. Node Pools come in whole racks of 18: ${SRC_GB200_RACK}. Fabric: 4 HCAs x 400 Gb/s; ${SRC_GB200_FABRIC}. AZs: US-EAST-01A, US-EAST-02A, US-EAST-08A, US-EAST-13A, US-WEST-01A (CA-EAST-01A and EU-SOUTH-04A dropped: the two lists disagree). Regions: ${SRC_REGIONS_ADDED}.`,
  source: SRC_PRICING.source,
  asOf: SRC_PRICING.asOf,
};

const l40s: InstanceFacts = {
  cloud: "coreweave",
  instanceType: "gd-8xl40s-i128",
  gpuModel: "L40S",
  gpuCount: 8,
  gpuMemoryGiB: 48,
  vcpus: 128,
  memoryGiB: 1024,
  nvlink: false,
  fabric: "none",
  fabricNics: 0,
  fabricGbps: 0,
  // networkGbps omitted: no Ethernet bandwidth for this type is published in any stored CoreWeave page.
  localNvmeGiB: tbToGiB(7.68),
  regions: ["US-EAST-04"],
  spotAvailable: true,
  notes: `GPU memory, RAM and local storage as the pricing page lists them (GB, TB). No InfiniBand: the type name carries no "ib", the docs transcription names it plain "L40S" (InfiniBand types are labelled so), and CoreWeave's NCCL tests have no L40S InfiniBand manifest. PCIe GPUs: ${SRC_L40S_PCIE}. Spot price is listed for North America only. AZs: US-EAST-04A. Regions: ${SRC_REGIONS_ADDED}.`,
  source: SRC_PRICING.source,
  asOf: SRC_PRICING.asOf,
};

const a100: InstanceFacts = {
  cloud: "coreweave",
  instanceType: "gd-8xa100-i128",
  gpuModel: "A100-80GB",
  gpuCount: 8,
  gpuMemoryGiB: 80,
  vcpus: 128,
  memoryGiB: 2048,
  nvlink: true,
  fabric: "infiniband",
  fabricNics: 4,
  fabricGbps: 800,
  localNvmeGiB: tbToGiB(7.68),
  regions: ["RNO2", "US-EAST-04"],
  spotAvailable: true,
  notes: `GPU memory, RAM and local storage as the pricing page lists them (GB, TB). Fabric: 4 HCAs x 200 Gb/s (HDR); ${SRC_A100_FABRIC}. AZs: RNO2A, US-EAST-04A. Regions: ${SRC_REGIONS_ADDED}.`,
  source: SRC_PRICING.source,
  asOf: SRC_PRICING.asOf,
};

/**
 * Types added from the 2026-10-10 pricing capture (every GPU SKU the page prices): instance IDs and regions from the
 * CloudThrill vLLM CKS Terraform module's gpu_alias_to_instance_type and region_gpu_aliases maps, pinned to the commit
 * read (0e5d6e42, coreweave/cks-vllm/main.tf, read through the code index on 2026-12-01). That commit's date could not
 * be read (the repository cannot be fetched here, and the index gives commits without dates), and the file's header
 * says only "Date: Q1 2026", a quarter its author wrote, not a day. These facts were dated 2026-01-01 (the quarter's
 * first day) before; that is a date the source does not state, so they are UNDATED.
 */
const SRC_CLOUDTHRILL =
  "https://github.com/CloudThrill/vllm-production-stack-terraform/blob/0e5d6e42796c2f2efa411a8497b5e35fca3a310f/coreweave/cks-vllm/main.tf (locals gpu_alias_to_instance_type, region_gpu_aliases; header 'Date: Q1 2026', no day; the commit's date not readable here, so undated)";
const SRC_ADDED_Q1: Sourced = { source: `${SRC_PRICING.source}; instance IDs and regions: ${SRC_CLOUDTHRILL}`, asOf: UNDATED };

const l40: InstanceFacts = {
  cloud: "coreweave",
  instanceType: "gd-8xl40-i128",
  gpuModel: "L40",
  gpuCount: 8,
  gpuMemoryGiB: 48,
  vcpus: 128,
  memoryGiB: 1024,
  nvlink: false,
  fabric: "none",
  fabricNics: 0,
  fabricGbps: 0,
  localNvmeGiB: tbToGiB(7.68),
  regions: ["RNO2", "US-EAST-02", "US-EAST-04"],
  spotAvailable: true,
  notes: "PCIe GPUs, no InfiniBand (the ID carries no 'ib'). Spot listed for North America only. Shape as the pricing page lists it (GB, TB).",
  ...SRC_ADDED_Q1,
};

const rtxPro6000: InstanceFacts = {
  cloud: "coreweave",
  instanceType: "rtxp6000-8x",
  gpuModel: "RTX-PRO-6000",
  gpuCount: 8,
  gpuMemoryGiB: 96,
  vcpus: 128,
  memoryGiB: 1024,
  nvlink: false,
  fabric: "none",
  fabricNics: 0,
  fabricGbps: 0,
  localNvmeGiB: tbToGiB(7.68),
  regions: ["EU-SOUTH-04", "US-EAST-04", "US-EAST-06", "US-EAST-13", "US-EAST-14", "US-WEST-04", "US-WEST-09"],
  spotAvailable: true,
  notes:
    "RTX PRO 6000 Blackwell Server Edition, PCIe, no InfiniBand. The page lists a High Memory node (1,024 GB, $20.00 on demand) and a Standard Memory node (512 GB, spot only); which one the ID rtxp6000-8x names is not stated, so the on-demand (High Memory) figures are used.",
  ...SRC_ADDED_Q1,
};

const gh200: InstanceFacts = {
  cloud: "coreweave",
  instanceType: "gd-1xgh200",
  gpuModel: "GH200",
  gpuCount: 1,
  gpuMemoryGiB: 96,
  vcpus: 72,
  memoryGiB: 480,
  nvlink: false,
  fabric: "none",
  fabricNics: 0,
  fabricGbps: 0,
  localNvmeGiB: tbToGiB(7.68),
  regions: ["RNO2", "US-EAST-04"],
  spotAvailable: false,
  notes: "One Grace Hopper superchip (96 GB HBM3 + 72 Grace cores). No spot price on the page.",
  notBuilt: "an Arm64 (Grace) host: the library's node bootstrap and images are built and tested for x86_64 only",
  ...SRC_ADDED_Q1,
};

/** The 2026-08-22 capture of the same page (the one read for HGX B300: spot only, no on-demand price). */
const SRC_PRICING_0822: Sourced = {
  source:
    "https://www.coreweave.com/pricing (capture of 2026-08-22 in github.com/PrashantSedhain/coreweave-pricing-tracker data/2026-08-22.json, commit 9b48aedc: NVIDIA HGX B300, on-demand empty, spot North America $35.84, Europe $36.70 per instance-hour)",
  asOf: "2026-08-22",
};
/** The instance ID, shape and AZs of b300-8x: the 2026-10-04 transcription of the docs instance pages (see SRC_REGIONS_ADDED). */
const SRC_B300_TYPE =
  "b300-8x 'HGX B300 (InfiniBand)': 8 B300, 192 vCPUs, 4,096 GB RAM, 30.72 TB local, AZs US-CENTRAL-06A, US-EAST-13A, US-WEST-01A, US-WEST-10A, from a 2026-10-04 transcription of https://docs.coreweave.com/platform/instances/gpu-instances";
const b300: InstanceFacts = {
  cloud: "coreweave",
  instanceType: "b300-8x",
  gpuModel: "B300",
  gpuCount: 8,
  gpuMemoryGiB: 270,
  vcpus: 192,
  memoryGiB: 4096,
  nvlink: true,
  fabric: "infiniband",
  fabricNics: 8,
  fabricGbps: 3200,
  localNvmeGiB: tbToGiB(61.44),
  regions: ["US-CENTRAL-06", "US-EAST-13", "US-WEST-01", "US-WEST-10"],
  spotAvailable: true,
  notes:
    "Sold on demand by contract only: the pricing page lists spot prices and no on-demand price, so the catalog carries spot rows only. " +
    "GPU memory and RAM as the pricing page lists them (GB); local storage is the pricing page figure (61.44 TB; the transcription says 30.72 TB). " +
    "8 HCAs (ibp0-ibp7) per CoreWeave's own B300 NCCL manifest (github.com/coreweave/nccl-tests mpi-operator/nccl-test-distributed-b300-64-mpijob.yaml at 3b06be76, 2026-05-26, node type b300-8x). " +
    "fabricGbps 3200 is a floor, not a read figure: 8 HCAs at the 400 Gb/s NDR rate of CoreWeave's other HGX types; the B300 HCA rate was not found in a CoreWeave source. " +
    "Not 6400: HGX B300's ConnectX-8 can run 800 Gb/s (XDR), but CoreWeave builds its InfiniBand on both Quantum-2 (NDR, 400 Gb/s) and Quantum-X800 (docs.coreweave.com/products/networking/hpc-interconnect/about-hpc-interconnect, read 2026-12-01), and no CoreWeave or NVIDIA page read (2026-12-01) gives the link rate of b300-8x Nodes. " +
    "At 6400 the gate's floor would be 375 GB/s: half the 750 GB/s ceiling of NDR links, and 82% of a healthy NDR pair's 455.85 GB/s at 1 GiB (CoreWeave H200, docs.skypilot.co coreweave_infiniband example), so a healthy NDR-cabled pair could fail `up`.",
  source: `${SRC_PRICING_0822.source}; ${SRC_B300_TYPE}`,
  asOf: SRC_PRICING_0822.asOf,
};

/**
 * GB300 NVL72 over InfiniBand (gb300-4x): listed for sizing, never priced (the pricing page has no figure in either
 * geography) and never built. Shape and AZs from the 2026-10-04 transcription of the docs instance pages; the 18-tray
 * rack rule as for gb200-4x (CoreWeave's GB300 NVL72 NCCL manifest runs 18 Nodes of node type gb300-4x).
 */
const gb300: InstanceFacts = {
  cloud: "coreweave",
  instanceType: "gb300-4x",
  gpuModel: "GB300",
  gpuCount: 4,
  gpuMemoryGiB: 288,
  vcpus: 144,
  memoryGiB: 960,
  nvlink: true,
  fabric: "none",
  fabricNics: 0,
  fabricGbps: 0,
  localNvmeGiB: tbToGiB(61.44),
  regions: ["CA-EAST-01", "US-CENTRAL-07", "US-CENTRAL-09", "US-WEST-01"],
  spotAvailable: false,
  limits: { nodeMultiple: 18 },
  notes:
    "GB300 NVL72 (Quantum-X InfiniBand) compute tray. InfiniBand per the instance name and CoreWeave's manifest (github.com/coreweave/nccl-tests mpi-operator/nccl-test-distributed-gb300-nvl72-mpijob.yaml at 3b06be76, 2026-05-26: 18 Nodes, NCCL_IB_HCA=ibp), " +
    "but neither states the HCA count or rate, so fabric is left none. The pricing page lists the SKU with no price in either geography. Local storage is the pricing page figure (61.44 TB; the transcription says 30.72 TB). " +
    "GPU memory: the catalog's one figure for GB300 (288 GiB); the pricing page lists 279 GB.",
  notBuilt: "GB300 trays: the compilers' multi-node NVLink (ComputeDomain) set-up is written and tested for GB200 only, and no fabric facts were read",
  source: `${SRC_PRICING_0822.source.replace("NVIDIA HGX B300, on-demand empty, spot North America $35.84, Europe $36.70 per instance-hour", "NVIDIA GB300 NVL72: 4 GPUs a Node, 144 vCPUs, 960 GB, no on-demand or spot price")}; gb300-4x 'GB300 NVL72 (Quantum-X InfiniBand)', AZs CA-EAST-01A, US-CENTRAL-07A, US-CENTRAL-09A, US-WEST-01A, from a 2026-10-04 transcription of https://docs.coreweave.com/platform/instances/gpu-instances`,
  asOf: SRC_PRICING_0822.asOf,
};

export const coreweaveCatalog: CloudCatalog = {
  cloud: "coreweave",

  // GPU node types whose every required field could be sourced.
  instances: [h100, h200, b200, gb200, l40s, a100, l40, rtxPro6000, gh200, b300, gb300],

  // On-demand and spot list prices, USD per instance-hour (reserved prices are by contract and not public).
  prices: [
    ...pricesFor(h100, 49.24, { northAmerica: 19.71, europe: 19.51 }),
    ...pricesFor(h200, 50.44, { northAmerica: 20.93, europe: 20.64 }),
    ...pricesFor(b200, 68.8, { northAmerica: 34.11, europe: 34.87 }),
    // GB200 NVL72: $42.00 in both geographies, no spot price on the page.
    ...pricesFor(gb200, 42),
    // L40S: spot listed for North America only (Europe cell empty).
    ...pricesFor(l40s, 18, { northAmerica: 7.88 }),
    ...pricesFor(a100, 21.6, { northAmerica: 9.65, europe: 9.51 }),
    // Added from the same capture: L40 (spot North America only), RTX PRO 6000 High Memory, GH200 (no spot).
    // HGX B300: spot only (no on-demand price on the page), North America regions. GB300 NVL72 (gb300-4x): no rows,
    // the page prices it in neither geography.
    ...pricesFor(l40, 10, { northAmerica: 6.27 }),
    ...pricesFor(rtxPro6000, 20, { northAmerica: 11.09, europe: 11.01 }),
    ...pricesFor(gh200, 6.5),
    ...b300.regions.map((r) => price("b300-8x", r, "spot", 35.84, { source: `${SRC_PRICING_0822.source}; North America spot price, applied to every North American region`, asOf: SRC_PRICING_0822.asOf })),
  ],

  // Storage per GB-month as the page lists it; CoreWeave bills storage in binary GB (2^30 bytes, i.e. GiB) per
  // https://docs.coreweave.com/docs/pricing/pricing-storage. Block storage: no current price is published on the
  // pricing page or the storage pricing docs page (checked 2026-11-25), so no block row.
  storage: [
    {
      cloud: "coreweave",
      kind: "nfs",
      tier: "dfs",
      product: "CoreWeave Distributed File Storage (the shared file system; nfs maps to it)",
      usdPerGiBMonth: 0.07,
      regions: ["*"],
      minCapacityGiB: 0,
      capacityStepGiB: 0,
      isDefault: true,
      source: `${SRC_PRICING.source}; per GB-month as listed; no minimum or step stated`,
      asOf: SRC_PRICING.asOf,
    },
    {
      cloud: "coreweave",
      kind: "lustre",
      tier: "dfs",
      product: "CoreWeave Distributed File Storage (no Lustre offering; lustre maps to the shared file system)",
      usdPerGiBMonth: 0.07,
      regions: ["*"],
      minCapacityGiB: 0,
      capacityStepGiB: 0,
      isDefault: true,
      source: `${SRC_PRICING.source}; per GB-month as listed; no minimum or step stated`,
      asOf: SRC_PRICING.asOf,
    },
    {
      cloud: "coreweave",
      kind: "object",
      tier: "hot",
      product: "CoreWeave AI Object Storage, Hot",
      usdPerGiBMonth: 0.06,
      regions: ["*"],
      minCapacityGiB: 0,
      capacityStepGiB: 0,
      isDefault: true,
      source: `${SRC_PRICING.source}; per GB-month as listed`,
      asOf: SRC_PRICING.asOf,
    },
    {
      cloud: "coreweave",
      kind: "object",
      tier: "warm",
      product: "CoreWeave AI Object Storage, Warm",
      usdPerGiBMonth: 0.03,
      regions: ["*"],
      minCapacityGiB: 0,
      capacityStepGiB: 0,
      source: `${SRC_PRICING.source}; per GB-month as listed`,
      asOf: SRC_PRICING.asOf,
    },
    {
      cloud: "coreweave",
      kind: "object",
      tier: "cold",
      product: "CoreWeave AI Object Storage, Cold",
      usdPerGiBMonth: 0.015,
      regions: ["*"],
      minCapacityGiB: 0,
      capacityStepGiB: 0,
      source: `${SRC_PRICING.source}; per GB-month as listed`,
      asOf: SRC_PRICING.asOf,
    },
    {
      cloud: "coreweave",
      kind: "object",
      tier: "archive",
      product: "CoreWeave AI Object Storage, Archive (limited availability)",
      usdPerGiBMonth: 0.0125,
      regions: ["*"],
      minCapacityGiB: 0,
      capacityStepGiB: 0,
      source: `${SRC_PRICING.source}; per GB-month as listed`,
      asOf: SRC_PRICING.asOf,
    },
  ],

  // Internet egress: free (single unbounded tier).
  egress: [{ cloud: "coreweave", upToTiB: null, usdPerGiB: 0, ...SRC_PRICING_EGRESS }],

  // Network: free cross-region transfer; no NAT gateway or load balancer line on the pricing page.
  network: {
    cloud: "coreweave",
    crossRegionUsdPerGiB: 0,
    natGatewayUsdPerHour: 0,
    natGatewayUsdPerGiB: 0,
    loadBalancerUsdPerHour: 0,
    source: `${SRC_REGIONS_FREE.source}; ${SRC_PRICING.source}: no NAT gateway or load balancer charge listed (only Public IP at $4 per IP-month, not modelled here)`,
    asOf: SRC_PRICING.asOf,
  },
};
