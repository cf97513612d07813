/**
 * The Plan: what will be built, as plain data. Every cloud compiler reads only
 * this; the cost engine prices only this. No Pulumi types here.
 */
import type { Cloud, DiskSize, FabricKind, GpuModel, InstanceFacts, PricingModel, Sourced, StorageKind } from "../catalog/types.js";
import type { NodeBounds } from "./packing.js";
import type { BudgetAction, FabricChoice, LoadBalancerScheme, Orchestrator, ReplicaSpec, Workload } from "../spec/types.js";

/** The inter-node fabric every node gets. */
export interface FabricPlan {
  /** The fabric built (`none` when opted out or the instance has none). */
  kind: FabricKind;
  /** What the spec asked for (`auto` by default). */
  requested: FabricChoice;
  /** Fabric NICs attached to each node (EFA interfaces, GPU NICs, IB HCAs). */
  nicsPerNode: number;
  /** Fabric bandwidth per node, Gbps. */
  gbpsPerNode: number;
  /** MTU of the fabric networks, where the compiler sets it (GCP). */
  mtu?: number;
  /** Host NICs the compiler attaches besides the fabric (GCP A3 Ultra/A4: 2). */
  hostNics?: number;
}

/** How nodes are placed relative to each other. */
/** How the nodes are placed (see PlacementPlan.strategy). */
export const PlacementStrategy = {
  Cluster: "cluster",
  Compact: "compact",
  SinglePlacementGroup: "single-placement-group",
  Reservation: "reservation",
  Spread: "spread",
  None: "none",
} as const;
export type PlacementStrategy = (typeof PlacementStrategy)[keyof typeof PlacementStrategy];

export interface PlacementPlan {
  /**
   * - `cluster`: AWS cluster placement group (one spine, lowest latency);
   * - `compact`: GCP compact placement policy;
   * - `single-placement-group`: one Azure scale set placement group (InfiniBand spans only one);
   * - `reservation`: the nodes go where the reservation / capacity block already is;
   * - `spread`: inference replicas across zones for availability;
   * - `none`: the cloud's scheduler decides (CoreWeave, or fabric opted out).
   */
  strategy: PlacementStrategy;
  /** Most nodes one group holds, where the cloud limits it. */
  maxNodesPerGroup?: number;
  /** Why this placement (shown in reports). */
  reason: string;
}

/** One file system, bucket or volume as it will be provisioned. */
export interface StoragePlan {
  kind: StorageKind;
  tier: string;
  /** The cloud's product, e.g. "FSx for Lustre PERSISTENT_2 250 MB/s/TiB". */
  product: string;
  /** Provisioned capacity after the service's minimum and step, GiB (per node for `block`). */
  capacityGiB: number;
  /** Capacity the spec asked for, GiB. */
  requestedGiB: number;
  /** True for `block`: one volume on every node. */
  perNode: boolean;
  mountPath: string;
  /**
   * Stable identity (`storage[].name`, default from the mount path): every resource of the entry is named after it,
   * never after its position in the list.
   */
  name: string;
  /** Guard against deletion (Pulumi `protect` + `retainOnDelete`, the cloud's own protection). Block volumes ignore it. */
  deletionProtection: boolean;
  importPath?: string;
  /** AWS Lustre: an EFA-enabled file system (`storage[].efa`). Absent: off. */
  efa?: boolean;
  /** AWS Lustre: metadata IOPS provisioned (USER_PROVISIONED mode, `storage[].metadataIops`). Absent: FSx's default. */
  metadataIops?: number;
  /** Price per GiB-month and its source. */
  usdPerGiBMonth: number;
  priceSource: Sourced;
  /** For disks sold in fixed sizes: the size provisioned, billed per disk-month. */
  disk?: DiskSize;
}

/** Data leaving the cluster and the path it takes. */
export interface EgressPlan {
  internetTiBPerMonth: number;
  crossRegionTiBPerMonth: number;
  /** One NAT gateway gives the private nodes a way out; false = air-gapped. */
  natGateway: boolean;
  /** Data pulled in through the NAT, TiB per month; absent: `SPEC_DEFAULTS.pulledGiBPerNode` per node priced. */
  pulledTiBPerMonth?: number;
  /** Inference: data through the load balancer, TiB per month; absent: `SPEC_DEFAULTS.servedGiBPerReplica` per replica priced. */
  servedTiBPerMonth?: number;
}

/** Kubernetes: whether the component creates the cluster or joins an existing one. */
export const KubernetesClusterSource = { Created: "created", Existing: "existing" } as const;
export type KubernetesClusterSource = (typeof KubernetesClusterSource)[keyof typeof KubernetesClusterSource];

/** The instance's hourly price and its source. */
export interface UnitPrice extends Sourced {
  /** USD per instance-hour. */
  usdPerHour: number;
}

/** The budget the plan is checked against. */
export interface BudgetPlan {
  /** Monthly budget, USD. */
  monthlyUsd: number;
  onExceed: BudgetAction;
}

/** Inference: how the fleet is served. */
export interface ServicePlan {
  loadBalancer: LoadBalancerScheme;
  /** Port the model server listens on. */
  port: number;
  /** HTTP path of the health check. */
  healthCheckPath: string;
}

/** What will be built, for one training cluster or inference fleet. */
export interface Plan {
  workload: Workload;
  /** Label for reports. */
  name?: string;
  cloud: Cloud;
  region: string;
  /** Zone the nodes are pinned to, where the spec or the reservation decides it. */
  zone?: string;
  /** Reservation / capacity block the nodes launch into. */
  reservationId?: string;
  /** VM node groups, or node groups of a managed Kubernetes cluster. */
  orchestrator: Orchestrator;
  /**
   * Kubernetes: whether the component creates the cluster (and pays its control plane and NAT) or joins an
   * existing one. Set by the cloud's compiler from its options; absent means "created".
   */
  kubernetesCluster?: KubernetesClusterSource;
  instanceType: string;
  gpuModel: GpuModel;
  gpusPerNode: number;
  /** Training: nodes in the cluster. Inference: nodes at `replicas.min` (`nodes.min`). */
  nodeCount: number;
  /** Inference: the autoscaling bounds of the replicas (pods on Kubernetes, VMs on `vm`). */
  replicas?: ReplicaSpec;
  /** Inference: GPUs one replica requests (`gpu.count`; a pinned type's GPUs when count is absent). */
  gpusPerReplica?: number;
  /** Inference: replicas one node holds (Kubernetes: `floor(gpusPerNode / gpusPerReplica)`; VMs: 1). lib/planner/packing.ts. */
  replicasPerNode?: number;
  /** Inference: node bounds of the pool at replicas.min and replicas.max: `ceil(replicas / replicasPerNode)`. */
  nodes?: NodeBounds;
  /** GPUs at `nodeCount`. */
  totalGpus: number;
  fabric: FabricPlan;
  placement: PlacementPlan;
  pricing: PricingModel;
  /** USD per instance-hour and its source. */
  unitPrice: UnitPrice;
  /** Hours the capacity runs per month, h. */
  hoursPerMonth: number;
  storage: StoragePlan[];
  egress: EgressPlan;
  budget?: BudgetPlan;
  /** Inference: load balancer scheme, port, health check path. */
  service?: ServicePlan;
  /** Facts of the chosen instance (from the catalog). */
  instance: InstanceFacts;
  /** Decisions worth telling the user (e.g. a placement group left out, and why). */
  notes: string[];
}
