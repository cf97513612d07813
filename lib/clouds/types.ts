/**
 * The contract between the components and the per-cloud compilers: a Plan
 * (plain data) goes in, real Pulumi resources come out, and the handles a user
 * needs next are returned.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { CapacityBlockPricing } from "../cost/capacity-block-live.js";
import type { BomItem } from "../cost/bom/types.js";
import type { CostEstimate } from "../cost/types.js";
import type { KubernetesClusterSource, Plan } from "../planner/types.js";
import type { NodeCounts } from "./shared/capacity.js";

/** Where the compiler creates resources. */
export interface CompileContext {
  /** The component's name; children are named `${name}-<role>`. */
  name: string;
  /** The component: every child gets `{ parent }`. */
  parent: pulumi.ComponentResource;
  /**
   * The plan's bill of materials with its cloud options, at the nodes it creates (the list `estimateCost` priced:
   * `CostEstimate.billOfMaterials`). The compiler builds its billable things from these items (./shared/bill.ts).
   */
  bill: readonly BomItem[];
}

/** An NFS export: the server's address and the exported path. */
export interface NfsExport {
  server: pulumi.Output<string>;
  path: pulumi.Input<string>;
}

/** A file system, bucket or volume as built. */
export interface StorageHandle {
  kind: string;
  /** The storage entry's stable name (`storage[].name`): pod volumes and variables are named after it. */
  name: string;
  /** The cloud id (file system id, bucket name, volume device). */
  id: pulumi.Output<string>;
  /** Where nodes mount it (or the bucket URL for object storage). */
  mountPath: string;
  /** DNS name / mount target / endpoint clients use. */
  endpoint: pulumi.Output<string>;
  /** NFS file systems: the server and the exported path, as an NFS client (or a pod's `nfs` volume) mounts them. */
  nfs?: NfsExport;
}

/** The fabric acceptance test's result (Kubernetes, on by default for training), read after its Job completed. */
export interface AcceptanceHandle {
  /** NCCL all-reduce bus bandwidth across two nodes, GB/s (e.g. "389.51"). */
  busBandwidthGBps: pulumi.Output<string>;
  /** The floor it was compared with, GB/s (lib/fabric/floors.ts); absent where the plan uses no fabric. */
  floorGBps?: number;
  /**
   * NCCL's own report of the transport it chose between the two nodes, per node (e.g. "node 0: NET/IB devices
   * 0,1,2,3,4,5,6,7 GDRDMA 32/32; node 1: …"; lib/clouds/kubernetes/workload-all-reduce.ts), read back with the figure.
   */
  transport?: pulumi.Output<string | undefined>;
}

/** What a compiled training cluster hands back. */
export interface ClusterHandles {
  /** The node group (AWS Auto Scaling group name, GCP MIG, Azure scale set id). */
  nodeGroupId: pulumi.Output<string>;
  /** The network (VPC / VNet) id. */
  networkId: pulumi.Output<string>;
  /** Subnets the nodes run in. */
  subnetIds: pulumi.Output<string[]>;
  /** The security group / firewall that admits fabric traffic between nodes only. */
  securityGroupId: pulumi.Output<string>;
  /** Placement group / policy name, when the plan has one. */
  placementGroupName?: pulumi.Output<string>;
  storage: StorageHandle[];
  /** The fabric acceptance test's result, when one ran. */
  acceptance?: AcceptanceHandle;
  /** Multi-rack NVL72 plans: the second check's result, between two racks over InfiniBand only (a target's check pair). */
  crossRackAcceptance?: AcceptanceHandle;
  /** VM node groups that `up` does not wait for (AWS, GCP): nodes asked for and running at the end of `up`. */
  nodeCounts?: pulumi.Output<NodeCounts>;
}

/** What a compiled inference fleet hands back. */
export interface FleetHandles extends ClusterHandles {
  /** URL of the load balancer in front of the replicas. */
  endpointUrl: pulumi.Output<string>;
}

/**
 * What a compiler's option check found, as plain data: it reads the plan and never changes it, and the component
 * (lib/components/build.ts `prepare`) puts the result on the plan before pricing it.
 */
export interface OptionCheck {
  /** Notes for the plan (`plan.notes`), in order; one already there is not added twice. */
  notes: string[];
  /**
   * Managed Kubernetes: whether the component creates its cluster or joins an existing one (`<key>.clusterName`),
   * which decides the cluster's fees and network in the estimate. Absent for VMs and CoreWeave.
   */
  kubernetesCluster?: KubernetesClusterSource;
}

/** One compiler per cloud, behind the same Plan. */
export interface CloudCompiler<Options> {
  /** Synchronous checks of the cloud-specific options against the plan (throws SpecError), and the notes they add. */
  checkOptions(plan: Readonly<Plan>, options: Options | undefined): OptionCheck;
  compileTraining(plan: Plan, options: Options | undefined, ctx: CompileContext): ClusterHandles;
  compileInference(plan: Plan, options: Options | undefined, ctx: CompileContext): FleetHandles;
  /**
   * A price the cloud quotes at preview, asked after compiling (AWS Capacity Blocks: lib/clouds/aws/capacity-block-price.ts).
   * Undefined, or absent, where the cloud has none for the plan.
   */
  priceLive?(plan: Plan, estimate: CostEstimate, options: Options | undefined, ctx: CompileContext): pulumi.Output<CapacityBlockPricing> | undefined;
}
