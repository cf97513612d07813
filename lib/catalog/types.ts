/*
 * Shapes of the catalog: facts about GPU instance types and their prices.
 *
 * The catalog is data, not code. Every figure carries `source` (where it was
 * read: a public price list or documentation page) and `asOf` (the date the
 * source states, or the date of the dated copy read; {@link UNDATED} when the
 * source states no date and no dated copy of it was found: never the day it was read).
 * Lookups return `undefined` for anything not in the tables: never a guess.
 */

/**
 * The clouds the library compiles to. (An object and a type of one name: TypeScript takes the plain strings, and
 * Pulumi's schema analyzer reads an enum for the other languages.)
 */
export const Cloud = { Aws: "aws", Gcp: "gcp", Azure: "azure", CoreWeave: "coreweave" } as const;
export type Cloud = (typeof Cloud)[keyof typeof Cloud];
export const CLOUDS: readonly Cloud[] = Object.values(Cloud);

/**
 * GPU models, named by what a user buys. A100 and V100 are split by memory because the
 * two parts are different instance families on every cloud; "H100-NVL" is the 94 GB PCIe
 * part sold by Azure's NC H100 v5; "RTX-PRO-6000" is the RTX PRO 6000 Blackwell Server Edition. K80, M60, T4G, MI25 and
 * the Radeon parts are listed so the catalog can price the types that carry them; the compilers build none of them
 * (InstanceFacts.notBuilt says why on each type).
 */
export const GpuModel = {
  T4: "T4",
  V100: "V100",
  V100_32GB: "V100-32GB",
  A10: "A10",
  A10G: "A10G",
  L4: "L4",
  L40: "L40",
  L40S: "L40S",
  RTX_PRO_6000: "RTX-PRO-6000",
  RTX_PRO_4500: "RTX-PRO-4500",
  A100_40GB: "A100-40GB",
  A100_80GB: "A100-80GB",
  H100: "H100",
  H100_NVL: "H100-NVL",
  GH200: "GH200",
  H200: "H200",
  B200: "B200",
  B300: "B300",
  GB200: "GB200",
  GB300: "GB300",
  MI300X: "MI300X",
  T4G: "T4G",
  M60: "M60",
  K80: "K80",
  MI25: "MI25",
  Radeon_Pro_V520: "Radeon-Pro-V520",
  Radeon_Pro_V620: "Radeon-Pro-V620",
  Radeon_Pro_V710: "Radeon-Pro-V710",
} as const;
export type GpuModel = (typeof GpuModel)[keyof typeof GpuModel];
export const GPU_MODELS: readonly GpuModel[] = Object.values(GpuModel);

/**
 * Inter-node fabric kinds.
 * - `efa`: AWS Elastic Fabric Adapter (libfabric / NCCL OFI plugin).
 * - `gpudirect-tcpx`: GCP A3 High, GPUDirect over TCP (4 extra NICs).
 * - `gpudirect-tcpxo`: GCP A3 Mega, GPUDirect-TCPXO (8 extra NICs).
 * - `rdma`: RoCE GPUDirect-RDMA (GCP A3 Ultra / A4).
 * - `infiniband`: NVIDIA Quantum InfiniBand (Azure ND, CoreWeave).
 * - `none`: only the ordinary VPC network (TCP sockets).
 */
export const FabricKind = {
  Efa: "efa",
  GpudirectTcpx: "gpudirect-tcpx",
  GpudirectTcpxo: "gpudirect-tcpxo",
  Rdma: "rdma",
  Infiniband: "infiniband",
  None: "none",
} as const;
export type FabricKind = (typeof FabricKind)[keyof typeof FabricKind];
export const FABRIC_KINDS: readonly FabricKind[] = Object.values(FabricKind);

/**
 * The `asOf` of a figure whose source states no date and of which no dated copy (a capture at a commit, a generated
 * dump) was found. Its age is unknown: `gpu-cluster catalog --stale-days` lists it as undated rather than pretending
 * an age from the day it was read.
 */
export const UNDATED = "undated";

/** Where a figure came from and when it was read. */
export interface Sourced {
  /** A public URL (price list, documentation page) or a named public list. */
  source: string;
  /**
   * The source's own date (ISO YYYY-MM-DD): the date it states, or the date of the dated copy read (a capture's commit,
   * a dump's generation date). {@link UNDATED} when there is none; never the day the figure was read.
   */
  asOf: string;
}

/** Limits of how an instance type is grouped. */
export interface InstanceLimits {
  /** Largest number of instances one compact / cluster placement group holds. */
  maxPlacementGroupNodes?: number;
  /** Instances come in whole units of this many (e.g. a GB200 NVL72 rack = 18 nodes). */
  nodeMultiple?: number;
}

/** Static facts about one GPU instance (machine type, VM size, node type). */
export interface InstanceFacts extends Sourced {
  cloud: Cloud;
  /** The cloud's own name, e.g. `p5.48xlarge`, `a3-megagpu-8g`, `Standard_ND96isr_H100_v5`. */
  instanceType: string;
  gpuModel: GpuModel;
  /**
   * GPUs per instance. A fraction below 1 for a partitioned size (an NVIDIA vGPU slice such as g6f.large's 1/8 L4):
   * such a type is priced and sized only (`notBuilt`), as the compilers schedule whole GPUs.
   */
  gpuCount: number;
  /** Memory per GPU, GiB. */
  gpuMemoryGiB: number;
  vcpus: number;
  /** Host memory, GiB. */
  memoryGiB: number;
  /** True when the GPUs of one instance talk over NVLink/NVSwitch rather than PCIe. */
  nvlink: boolean;
  /** The inter-node fabric this instance is built for (`none` when it has only the VPC network). */
  fabric: FabricKind;
  /**
   * Fabric NICs per instance: EFA interfaces (one per network card) on AWS,
   * GPU NICs on GCP (not counting the host gVNIC), InfiniBand HCAs on Azure/CoreWeave.
   * 0 when `fabric` is `none`.
   */
  fabricNics: number;
  /** Aggregate fabric bandwidth per instance, Gbps (0 when `fabric` is `none`). */
  fabricGbps: number;
  /** The ordinary (VPC / Ethernet) network bandwidth, Gbps, where the cloud publishes it. */
  networkGbps?: number;
  /**
   * MTU the fabric networks need (GCP: 8244 for GPUDirect-TCPX/TCPXO, 8896 for RDMA).
   * Omitted where the cloud fixes it.
   */
  fabricMtu?: number;
  /**
   * AWS: the instance accepts `efa-only` interfaces on its extra network cards (no IP
   * address each, so large clusters do not exhaust the subnet). Default false.
   */
  efaOnlyInterfaces?: boolean;
  /**
   * AWS: the EFA device does RDMA read (GPUDirect RDMA over EFA), so `FI_EFA_USE_DEVICE_RDMA=1` is safe to set.
   * Default false (libfabric aborts on a device without it). Facts in ./data/aws-efa.ts.
   */
  efaRdmaRead?: boolean;
  /**
   * AWS: network card 0 carries an EFA device. Default true. False where the primary card is ENA only (P6-B300): its
   * EFAs sit on cards 1+, one per card, and card 0 takes an ordinary (ENA) interface. Facts in ./data/aws-efa.ts.
   */
  primaryCardEfa?: boolean;
  /** Host (non-fabric) NICs per instance, where the cloud makes you attach them (GCP A3 Ultra/A4: 2 gVNIC). */
  hostNics?: number;
  /** Local NVMe instance storage, GiB (0 when none; omitted when the cloud does not publish it). */
  localNvmeGiB?: number;
  /** Regions where the type is offered (the catalog's regions, not necessarily every one). */
  regions: string[];
  /** Whether the cloud sells this type as spot / preemptible capacity. */
  spotAvailable: boolean;
  /** Cloud-specific limits the planner must respect. */
  limits?: InstanceLimits;
  /** Cloud-specific extras a compiler needs (e.g. GCP MTU, AWS EFA-only card layout). */
  notes?: string;
  /**
   * Why the compilers do not build this type, when they do not (an AMD GPU, an Arm64 host): it is listed for prices
   * and sizing, the planner never picks it, and a spec that pins it is refused with a SpecError.
   */
  notBuilt?: string;
}

/** How capacity is paid for. */
export const PricingModel = {
  OnDemand: "on-demand",
  Spot: "spot",
  Reserved1y: "reserved-1y",
  Reserved3y: "reserved-3y",
  CapacityBlock: "capacity-block",
  /** GCP Dynamic Workload Scheduler flex-start: nodes start when Google has the capacity and run at most 7 days. */
  FlexStart: "flex-start",
} as const;
export type PricingModel = (typeof PricingModel)[keyof typeof PricingModel];
export const PRICING_MODELS: readonly PricingModel[] = Object.values(PricingModel);

/** One hourly price of one instance type in one region under one pricing model. */
export interface InstancePrice extends Sourced {
  cloud: Cloud;
  instanceType: string;
  region: string;
  pricing: PricingModel;
  /** USD per instance-hour (for reserved: the effective hourly rate of the commitment). */
  usdPerHour: number;
}

/** Storage kinds a spec can ask for. */
export const StorageKind = { Lustre: "lustre", Nfs: "nfs", Object: "object", Block: "block" } as const;
export type StorageKind = (typeof StorageKind)[keyof typeof StorageKind];
export const STORAGE_KINDS: readonly StorageKind[] = Object.values(StorageKind);

/** Price of one storage offering (one kind + tier) on one cloud. */
export interface StoragePrice extends Sourced {
  cloud: Cloud;
  kind: StorageKind;
  /**
   * The tier's name as the spec spells it (e.g. `125` MB/s/TiB for FSx Lustre
   * PERSISTENT_2, `standard`, `premium`).
   */
  tier: string;
  /** What the cloud calls the offering, e.g. "FSx for Lustre PERSISTENT_2 125 MB/s/TiB". */
  product: string;
  /**
   * USD per GiB-month of provisioned (or, for object, stored) capacity. `null`: the offering is real and built, but
   * no public price was found; a spec must give its quoted price (`storage[].contractUsdPerGiBMonth`).
   */
  usdPerGiBMonth: number | null;
  /** Regions the price applies to; `["*"]` when the list price is the same everywhere we list. */
  regions: string[];
  /** Smallest capacity that can be provisioned, GiB (0 when none). */
  minCapacityGiB: number;
  /** Capacity must be a multiple of this, GiB (0 when free). */
  capacityStepGiB: number;
  /** Largest capacity one file system / volume / bucket can have, GiB (omitted when practically unbounded). */
  maxCapacityGiB?: number;
  /** True for the one tier of this kind used when the spec names none. */
  isDefault?: boolean;
  /**
   * Disks sold in fixed sizes, each billed at its own monthly price however full it is (Azure Premium SSD P-tiers),
   * smallest first. A request is provisioned, and billed, as the smallest size that holds it; `usdPerGiBMonth` is
   * then only indicative and `maxCapacityGiB` is the largest size.
   */
  diskSizes?: DiskSize[];
}

/** One fixed disk size and its price. */
export interface DiskSize {
  /** The cloud's name for the size, e.g. "P30". */
  name: string;
  sizeGiB: number;
  /** USD per disk-month. */
  usdPerMonth: number;
}

/**
 * A per-GiB transfer rate by region: the source's figure for each region it gives one for. A region it does not list
 * is priced at the reference region's figure (lib/catalog/data/fees.ts FEE_REFERENCE_REGION), and the estimate's region
 * note names it (lib/cost/transfer.ts reads these, the one place).
 */
export type UsdPerGiBByRegion = Readonly<Record<string, number>>;

/** One tier of internet egress pricing (tiers apply in order, per month). */
export interface EgressTier extends Sourced {
  cloud: Cloud;
  /** Upper bound of this tier, TiB per month; `null` for the last (unbounded) tier. */
  upToTiB: number | null;
  /** USD per GiB within this tier, in the cloud's reference region. */
  usdPerGiB: number;
  /**
   * The same source's USD per GiB for this tier in other regions (the tier bounds are the same everywhere). Absent, or
   * a region not listed: `usdPerGiB`, named in the estimate's region note.
   */
  usdPerGiBIn?: UsdPerGiBByRegion;
}

/** Prices of network pieces that are not GPU capacity. */
export interface NetworkPrices extends Sourced {
  cloud: Cloud;
  /** USD per GiB sent to another region of the same cloud, from the reference region. */
  crossRegionUsdPerGiB: number;
  /**
   * The same source's USD per GiB sent to another region, from each region it gives a figure for. Absent, or a region
   * not listed: `crossRegionUsdPerGiB`, named in the estimate's region note.
   */
  crossRegionUsdPerGiBIn?: UsdPerGiBByRegion;
  /**
   * The cross-region figures' own source and date, where they have one apart from the row's (the row's `asOf` is the
   * oldest of its figures, or UNDATED when one has no date); absent: the row's.
   */
  crossRegionPrice?: Sourced;
  /** USD per NAT gateway hour (0 when the cloud does not charge one). */
  natGatewayUsdPerHour: number;
  /** USD per GiB processed by the NAT gateway. */
  natGatewayUsdPerGiB: number;
  /** USD per load balancer hour (fixed part). */
  loadBalancerUsdPerHour: number;
  /**
   * The load balancer hourly figure's own source and date, where it has one apart from the row's (the row's `asOf` is
   * the oldest of its figures, or UNDATED when one has no date); absent: the row's.
   */
  loadBalancerPrice?: Sourced;
  /**
   * Where the load balancer's hourly source gives this same figure besides the reference region: `"all"` when it
   * states one price for every region (a global meter). Absent: the reference region's figure only, named in the
   * estimate's region note elsewhere.
   */
  loadBalancerSameIn?: "all" | readonly string[];
}

/** The managed Kubernetes control plane's fee (EKS, GKE, AKS Standard tier). */
export interface KubernetesPrices extends Sourced {
  cloud: Cloud;
  /** What the cloud calls it, e.g. "Amazon EKS (standard support)". */
  service: string;
  /** USD per cluster-hour. */
  controlPlaneUsdPerHour: number;
  /** The system node pool a cluster created by this library runs its own pods on. */
  systemNodes: SystemNodePool;
}

/**
 * The small on-demand node pool of a new managed cluster (CoreDNS, the operators' controllers, Kueue): the GPU nodes
 * are tainted, so something untainted must run them. The compilers build exactly this pool.
 */
export interface SystemNodePool extends Sourced {
  /** Instance type, machine type or VM size. */
  instanceType: string;
  /** Nodes the pool keeps running (its minimum). */
  nodes: number;
  /**
   * Nodes its autoscaler may add up to (EKS and AKS system pools autoscale; GKE's is fixed): the compilers' bound and
   * the count a fleet's worst case (the budget's figure) prices. Default: `nodes` (a fixed pool).
   */
  maxNodes?: number;
  /** Why that many (e.g. one per zone of a regional cluster). */
  why: string;
  /** On-demand Linux USD per node-hour, by region; a region without a figure is left unpriced (a plan note says so). */
  usdPerHour: Record<string, number>;
}

/** Everything the catalog knows about one cloud. One data file per cloud fills it. */
export interface CloudCatalog {
  cloud: Cloud;
  instances: InstanceFacts[];
  prices: InstancePrice[];
  storage: StoragePrice[];
  /** Internet egress tiers, in order (the first tier first). */
  egress: EgressTier[];
  network: NetworkPrices;
  /** Managed Kubernetes control plane fee, where the cloud charges one. */
  kubernetes?: KubernetesPrices;
}
