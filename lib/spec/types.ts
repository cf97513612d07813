/**
 * The user-facing spec: what a platform team writes once, for any cloud.
 *
 * Plain data only (no Pulumi types, no callbacks, no unions of shapes) so that
 * the same object can be validated, planned and priced with no engine, and so
 * that component args stay representable in Pulumi's inferred schema.
 */
import { FabricKind, type Cloud, type GpuModel, type PricingModel, type StorageKind } from "../catalog/types.js";

/** `auto` = the instance's full native fabric; a kind pins it; `none` opts out. */
export const FabricChoice = { Auto: "auto", ...FabricKind } as const;
export type FabricChoice = (typeof FabricChoice)[keyof typeof FabricChoice];
export const FABRIC_CHOICES: readonly FabricChoice[] = Object.values(FabricChoice);

/** How the nodes are run: cloud VM groups (ASG, MIG, scale set) or a managed Kubernetes cluster. */
export const Orchestrator = { Vm: "vm", Kubernetes: "kubernetes" } as const;
export type Orchestrator = (typeof Orchestrator)[keyof typeof Orchestrator];
export const ORCHESTRATORS: readonly Orchestrator[] = Object.values(Orchestrator);

/** What a component builds: a training cluster or an inference fleet. */
export const Workload = { Training: "training", Inference: "inference" } as const;
export type Workload = (typeof Workload)[keyof typeof Workload];

/** What to do when the estimate exceeds the budget. */
export const BudgetAction = { Warn: "warn", Fail: "fail" } as const;
export type BudgetAction = (typeof BudgetAction)[keyof typeof BudgetAction];
export const BUDGET_ACTIONS: readonly BudgetAction[] = Object.values(BudgetAction);

/** Whether an inference fleet's load balancer is reachable from the internet. */
export const LoadBalancerScheme = { Internal: "internal", InternetFacing: "internet-facing" } as const;
export type LoadBalancerScheme = (typeof LoadBalancerScheme)[keyof typeof LoadBalancerScheme];

/** Which GPUs, and how many. */
export interface GpuSpec {
  /** GPU model, e.g. `H100`. Optional when `instanceType` pins the instance. */
  model?: GpuModel;
  /**
   * Training: total GPUs in the cluster; must fill whole nodes. Inference: GPUs per replica; the planner picks the
   * smallest instance type with at least that many (default 1 for that choice), and on orchestrator `kubernetes`
   * packs `floor(instance GPUs / count)` replicas per node. Absent, a replica is the whole chosen instance (one per
   * node). Give `count` or `nodes`, not both.
   */
  count?: number;
  /** Training only: number of nodes (instances). Give `count` or `nodes`, not both. */
  nodes?: number;
  /** Pin the cloud's instance type (e.g. `p5en.48xlarge`) instead of letting the planner choose. */
  instanceType?: string;
}

/** One file system, bucket or volume the cluster uses. */
export interface StorageSpec {
  /** `lustre` (parallel FS), `nfs` (shared file system), `object` (bucket), `block` (a volume on every node). */
  kind: StorageKind;
  /**
   * Capacity, TiB. For `object`: the data expected to be stored (billed per GiB
   * stored). For `block`: per node. Rounded up to the service's minimum and step, except on FSx for Lustre (AWS
   * `lustre`), which is made in fixed sizes named in TiB of 1000 GiB, as FSx names them: 1.2, 2.4, then multiples of
   * 2.4 (1.2 = 1200 GiB); EFA-enabled, multiples of 38.4, 19.2, 9.6 or 4.8 at 125, 250, 500 or 1000 MB/s/TiB. Any other
   * value is refused with the nearest sizes, never rounded up to a larger bill.
   */
  capacityTiB: number;
  /** Throughput / performance tier as the catalog names it (e.g. `persistent-250`); default: the cloud's default tier. */
  tier?: string;
  /**
   * Where nodes mount it (file systems and block), e.g. `/data`. Default `/mnt/<kind>`. A plain absolute path:
   * letters, digits and `. _ -` between slashes, not `/` itself nor a system directory (`/etc`, `/dev/shm`, ...).
   */
  mountPath?: string;
  /**
   * The entry's stable identity: its cloud resources are named after it, never after its position in `storage[]`,
   * so inserting, removing or reordering entries leaves the others alone. Lowercase letters, digits and hyphens,
   * starting with a letter, at most 24 characters. Default: derived from `mountPath` (`/data` → `data`,
   * `/mnt/ckpt` → `mnt-ckpt`). Set it to the old value when you change `mountPath` of a file system that holds
   * data: a new identity is a new (empty) file system.
   */
  name?: string;
  /**
   * Guard the stored data against deletion: the resource is registered with Pulumi's `protect` and `retainOnDelete`,
   * and the cloud's own protection is on where it has one (Filestore deletion protection, a final FSx backup,
   * buckets never force-destroyed). Default `true`. To delete the data on purpose: set `false`, run `pulumi up`,
   * then remove the entry (or `pulumi destroy`). `block` volumes live and die with their node and are not guarded.
   */
  deletionProtection?: boolean;
  /**
   * Lustre on AWS/GCP: an object-store path to link, e.g. `s3://bucket/prefix`. Default: none (no link). On AWS
   * persistent tiers, objects created, changed or deleted under the path appear on the file system, and files
   * created or changed on the file system are written back; files deleted on the file system are never deleted from
   * the bucket (delete objects there yourself). AWS `scratch` loads the bucket's listing at creation and writes nothing back.
   */
  importPath?: string;
  /**
   * AWS Lustre, persistent tiers, a training cluster (VMs or EKS) of an EFA instance type: an EFA-enabled FSx file
   * system, which the nodes reach over EFA (up to 700 Gbps per client instead of 100 Gbps over ENA, FSx performance guide) with
   * the file system's metadata in AUTOMATIC mode. It grows in larger steps (38400, 19200, 9600, 4800 GiB at 125, 250,
   * 500, 1000 MB/s/TiB), priced as such. FSx accepts at most 1024 EFA connections per file system, one per node
   * interface in LNet (8 per p5, p5en or p6-b200 node, so 128 nodes; 16 per p6-b300 node, so 64; 2 on other types, so
   * 512). FSx cannot turn EFA on or off later:
   * changing it replaces the file system (refused while `deletionProtection` holds). Default `false`.
   */
  efa?: boolean;
  /**
   * AWS Lustre, persistent tiers: metadata IOPS to provision (FSx USER_PROVISIONED mode): 1500, 3000, 6000, 12000 or a
   * multiple of 12000 up to 192000. Raising it later is an in-place update; lowering it replaces the file system.
   * Billed by FSx and not priced by the estimate (a bill line says so). Default: none (FSx's own default; AUTOMATIC with `efa`).
   */
  metadataIops?: number;
  /**
   * A quoted or negotiated price, USD per GiB-month, used instead of the catalog's. Required for an offering the
   * catalog lists without a public price (Azure Managed Lustre). Default: the catalog's list price.
   */
  contractUsdPerGiBMonth?: number;
}

/** Data leaving (and, for the NAT and the load balancer, entering) the cluster each month. */
export interface EgressSpec {
  /**
   * Data the nodes send to the internet through the NAT gateway, TiB per month. Default 0. An internet-facing fleet's
   * responses leave through its load balancer instead: state them as `servedTiBPerMonth`.
   */
  internetTiBPerMonth?: number;
  /** Data sent to other regions of the same cloud, TiB per month. Default 0. */
  crossRegionTiBPerMonth?: number;
  /**
   * Give private nodes outbound internet through a NAT gateway (billed hourly and
   * per GiB processed). Default `true`; `false` = air-gapped.
   */
  natGateway?: boolean;
  /**
   * Data the nodes pull from the internet through the NAT gateway (container images, datasets, model weights from
   * public registries and hubs), TiB per month. NAT gateways bill it per GiB processed, though inbound transfer itself
   * is free. Default: 50 GiB per node (`SPEC_DEFAULTS.pulledGiBPerNode`) at the node count priced.
   */
  pulledTiBPerMonth?: number;
  /**
   * Inference: requests and responses through the fleet's load balancer, TiB per month (its usage charge: ALB
   * capacity units, GCP and Azure data processed). An internet-facing fleet's responses are also internet egress, priced
   * on the cloud's egress tiers together with `internetTiBPerMonth` (CoreWeave: free); an internal fleet's stay in the
   * network. Default: 100 GiB per replica (`SPEC_DEFAULTS.servedGiBPerReplica`) at the replica count priced.
   */
  servedTiBPerMonth?: number;
}

/** A hard or soft cap on monthly spend. */
export interface BudgetSpec {
  /** Monthly budget, USD. Inference fleets are checked at `replicas.max` (the worst case). */
  monthlyUsd: number;
  /** `warn` logs a warning (default); `fail` stops the preview / plan with an error. */
  onExceed?: BudgetAction;
}

/** What both training clusters and inference fleets share. */
export interface CommonSpec {
  /** Which cloud to build on. */
  cloud: Cloud;
  /** The cloud's region id, e.g. `us-east-1`, `us-central1`, `eastus`, `US-EAST-04`. */
  region: string;
  /** Which GPUs, and how many (or which instance type). */
  gpu: GpuSpec;
  /**
   * `vm` (default): the cloud's own node group (Auto Scaling group, managed instance group, scale set).
   * `kubernetes`: node groups of a managed cluster (EKS, GKE, AKS) with the fabric wired to the pods;
   * CoreWeave is always `kubernetes`.
   */
  orchestrator?: Orchestrator;
  /** Inter-node fabric. Default `auto` (the instance's full native fabric). */
  fabric?: FabricChoice;
  /** File systems, buckets and volumes. Default none. */
  storage?: StorageSpec[];
  /** Internet and cross-region egress. Default none, with a NAT gateway. */
  egress?: EgressSpec;
  /**
   * How capacity is paid for. Default `on-demand`. `capacity-block` is AWS only. `flex-start` is GCP only (Dynamic
   * Workload Scheduler: GKE training, nodes start when capacity is found and run at most `gcp.gke.maxRunDurationHours`);
   * it needs `contractUsdPerHour` (the catalog holds no dated DWS price).
   */
  pricing?: PricingModel;
  /**
   * A negotiated price, USD per instance-hour, used instead of the catalog's
   * (e.g. a private CoreWeave contract). Default: the catalog's public price.
   */
  contractUsdPerHour?: number;
  /** Hours the capacity runs each month, h. Default 730. Reserved capacity is billed for every hour regardless. */
  hoursPerMonth?: number;
  /** Monthly budget. Default none. */
  budget?: BudgetSpec;
  /** Availability zone / zone to pin the nodes to. Default: the first zone that offers the type. */
  zone?: string;
  /**
   * AWS: an On-Demand Capacity Reservation or Capacity Block id (`cr-...`) to launch into;
   * GCP: a reservation name. Default none.
   */
  reservationId?: string;
}

/** A training cluster: N nodes with the full fabric between them. */
export interface ClusterSpec extends CommonSpec {
  /** Label for reports. Default: the component name. */
  name?: string;
}

/** Replica bounds of an inference fleet. */
export interface ReplicaSpec {
  /** Replicas always running (the cost floor). */
  min: number;
  /** Most replicas the autoscaler may run (the budget's worst case). */
  max: number;
}

/** An inference fleet: replicas of one instance behind a load balancer, autoscaled. */
export interface FleetSpec extends CommonSpec {
  /** Label for reports. Default: the component name. */
  name?: string;
  /** Replicas always running and the most the autoscaler may run. */
  replicas: ReplicaSpec;
  /** `internal` (default) or `internet-facing` load balancer. */
  loadBalancer?: LoadBalancerScheme;
  /** Port the model server listens on. Default 8000. */
  port?: number;
  /** HTTP path of the health check. Default `/health`. */
  healthCheckPath?: string;
}

/**
 * Upper bounds of the spec's open-ended figures. Each is far above any real cluster, so it only catches typos
 * and unit slips (a yearly figure, GiB for TiB, cents for dollars), and it keeps every estimate a finite number:
 * without them 1e308 TiB or USD/hour prices to Infinity. Values above them are a SpecError naming the limit.
 */
export const SPEC_LIMITS = {
  /**
   * `storage[].capacityTiB`, TiB: 1,000,000 TiB (about 1 EiB). Larger than any single file system the catalog sells
   * (tens of PiB at most) and than the data of any one training run; object storage has no cap of its own.
   */
  capacityTiB: 1_000_000,
  /**
   * `egress.internetTiBPerMonth` and `egress.crossRegionTiBPerMonth`, TiB per month: 1,000,000 TiB a month is a
   * sustained ~3.4 Tbit/s, beyond the internet and inter-region bandwidth a single cluster is given.
   */
  egressTiBPerMonth: 1_000_000,
  /**
   * `contractUsdPerHour`, USD per instance-hour: 10,000, about 100 times the dearest list price in the catalog
   * (an 8-GPU node is around 100 USD/hour); a larger figure is a monthly or a total price.
   */
  contractUsdPerHour: 10_000,
  /**
   * `storage[].contractUsdPerGiBMonth`, USD per GiB-month: 100, about 150 times the dearest storage tier in the
   * catalog (under 1 USD per GiB-month); a larger figure is per TiB or per year.
   */
  contractUsdPerGiBMonth: 100,
  /**
   * `budget.monthlyUsd`, USD per month: 1e12 (a trillion dollars a month), more than the world spends on cloud in
   * a year; a larger figure is a typo.
   */
  budgetMonthlyUsd: 1e12,
  /** `hoursPerMonth`, hours: at most 744, the hours of the longest month (31 days). */
  hoursPerMonth: 744,
  /**
   * `hoursPerMonth`, hours: at least 1. The hourly figure is the monthly one divided by these hours, so a vanishing
   * value (1e-300 h) makes it Infinity; less than an hour a month is a unit slip (days or minutes for hours).
   */
  minHoursPerMonth: 1,
} as const;

/** Defaults applied by the planner; exported so docs and tests use the same values. */
export const SPEC_DEFAULTS = {
  orchestrator: "vm" as Orchestrator,
  fabric: "auto" as FabricChoice,
  pricing: "on-demand" as PricingModel,
  hoursPerMonth: 730,
  onExceed: "warn" as BudgetAction,
  natGateway: true,
  port: 8000,
  healthCheckPath: "/health",
  loadBalancer: "internal" as const,
  /** GPUs an inference replica needs when choosing the instance with `gpu.count` absent (the replica then takes the whole instance). */
  inferenceGpusPerReplica: 1,
  /** `egress.pulledTiBPerMonth` default, GiB per node per month: a GPU container image (~10-20 GiB) and model or data pulls. */
  pulledGiBPerNode: 50,
  /** `egress.servedTiBPerMonth` default, GiB per replica per month: ~40 KB/s of requests and responses on average. */
  servedGiBPerReplica: 100,
};
