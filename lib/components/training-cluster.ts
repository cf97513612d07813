import * as pulumi from "@pulumi/pulumi";
import type { StorageHandle } from "../clouds/types.js";
import type { NodeCounts } from "../clouds/shared/capacity.js";
import type { CapacityBlockPricing } from "../cost/capacity-block-live.js";
import type { CostEstimate } from "../cost/types.js";
import type { Plan } from "../planner/types.js";
import type { ClusterSpec } from "../spec/types.js";
import { componentInputs, finishTraining, livePricing, prepare, type CloudOptions } from "./build.js";

/** Args of a TrainingCluster: the cloud-neutral spec plus the chosen cloud's option bag. */
export interface TrainingClusterArgs extends ClusterSpec, CloudOptions {}

/**
 * A GPU training cluster: N nodes of the model's NVLink node with the
 * instance's full native fabric between them, private networking, encrypted
 * storage, one node group for any size — and its monthly cost, logged at every
 * preview and checked against the budget before anything is created.
 *
 * Throws SpecError (bad args) or BudgetExceededError (`budget.onExceed: "fail"`)
 * from the constructor, before any child resource exists.
 */
export class TrainingCluster extends pulumi.ComponentResource {
  static readonly TYPE = "gpu-cluster:index:TrainingCluster";

  /** What is built: instance type, node count, fabric NICs and Gbps, placement, storage. */
  readonly plan: pulumi.Output<Plan>;
  /** Monthly cost with line items (USD). */
  readonly costEstimate: pulumi.Output<CostEstimate>;
  /** The node group: AWS Auto Scaling group name, GCP managed instance group, Azure scale set id, CoreWeave NodePool name. */
  readonly nodeGroupId: pulumi.Output<string>;
  /** The VPC / network id. */
  readonly networkId: pulumi.Output<string>;
  /** The private subnets the nodes run in. */
  readonly subnetIds: pulumi.Output<string[]>;
  /** Security group admitting fabric traffic among the nodes only. */
  readonly securityGroupId: pulumi.Output<string>;
  /** Placement group name, when the plan uses one. */
  readonly placementGroupName: pulumi.Output<string | undefined>;
  /** File systems and buckets, with their mount paths and endpoints. */
  readonly storage: StorageHandle[];
  /**
   * VM node groups that `up` does not wait for (AWS, GCP): `{ desired, ready, zone, shortfall }` at the end of `up`, the
   * shortfall naming the zone and what to try when the cloud had no capacity. `ready` is absent in previews; the whole
   * output is undefined where `up` waits for the nodes (Azure) or Kubernetes schedules them.
   */
  readonly nodeCounts: pulumi.Output<NodeCounts | undefined>;
  /**
   * Kubernetes and Azure VM training (the acceptance test is on by default): the NCCL all-reduce bus bandwidth (GB/s)
   * the two-node acceptance test measured during `pulumi up`. Undefined without the test; unknown in previews (offline included),
   * where nothing runs. Below `ncclBusBandwidthFloorGBps`, `up` fails instead.
   */
  readonly ncclBusBandwidthGBps: pulumi.Output<string | undefined>;
  /**
   * NCCL's own report of the transport the fabric check's all-reduce used, per node: net (IB, AWS Libfabric, gIB,
   * Socket…), device indexes, and how many connections had GPUDirect RDMA (e.g. "node 0: NET/IB devices 0,1,2,3,4,5,6,7
   * GDRDMA 32/32; node 1: …"). Undefined where no check ran.
   */
  readonly ncclTransport: pulumi.Output<string | undefined>;
  /** The floor the acceptance test compares with, GB/s (lib/fabric/floors.ts, sourced per instance type); undefined without a gate. */
  readonly ncclBusBandwidthFloorGBps: pulumi.Output<number | undefined>;
  /**
   * NVL72 plans of 2 or more racks (CoreWeave GB200): the bus bandwidth (GB/s) the second check measured between two
   * nodes in different racks, over InfiniBand only (multi-node NVLink off). Below `ncclCrossRackBusBandwidthFloorGBps`,
   * `up` fails instead. Undefined for every other plan; unknown in previews.
   */
  readonly ncclCrossRackBusBandwidthGBps: pulumi.Output<string | undefined>;
  /** The floor the cross-rack check compares with, GB/s (lib/fabric/floors.ts CROSS_DOMAIN_FLOORS); undefined without that check. */
  readonly ncclCrossRackBusBandwidthFloorGBps: pulumi.Output<number | undefined>;

  /**
   * `pricing: "capacity-block"` on AWS: which price the live figure used — `{ source: "live-offering" | "catalog",
   * summary, usdPerInstanceHour, catalogMonthlyUsd, liveMonthlyUsd?, offeringId?, upfrontUsd?, unavailableBecause? }`
   * (lib/cost/capacity-block-live.ts). EC2 quotes an offering for a block like yours (same type, count, duration and
   * window), not the fee you paid. Undefined for every other pricing and cloud.
   */
  readonly capacityBlockPricing: pulumi.Output<CapacityBlockPricing | undefined>;

  constructor(name: string, args: TrainingClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate, plan and price before the component exists: a SpecError leaves nothing behind.
    const prepared = prepare("training", name, args);
    // The plan and estimate are the component's inputs, so CrossGuard policies see them at preview.
    super(TrainingCluster.TYPE, name, componentInputs(prepared), opts);
    const handles = finishTraining(this, TrainingCluster.TYPE, name, prepared);
    this.plan = pulumi.output(prepared.plan);
    this.costEstimate = pulumi.output(prepared.estimate);
    this.nodeGroupId = handles.nodeGroupId;
    this.networkId = handles.networkId;
    this.subnetIds = handles.subnetIds;
    this.securityGroupId = handles.securityGroupId;
    this.placementGroupName = handles.placementGroupName ?? pulumi.output(undefined);
    this.storage = handles.storage;
    this.nodeCounts = handles.nodeCounts ?? pulumi.output(undefined);
    this.capacityBlockPricing = livePricing(this, name, prepared) ?? pulumi.output(undefined);
    this.ncclBusBandwidthGBps = handles.acceptance?.busBandwidthGBps ?? pulumi.output(undefined);
    this.ncclBusBandwidthFloorGBps = pulumi.output(handles.acceptance?.floorGBps);
    this.ncclTransport = handles.acceptance?.transport ?? pulumi.output(undefined);
    this.ncclCrossRackBusBandwidthGBps = handles.crossRackAcceptance?.busBandwidthGBps ?? pulumi.output(undefined);
    this.ncclCrossRackBusBandwidthFloorGBps = pulumi.output(handles.crossRackAcceptance?.floorGBps);
    this.registerOutputs({
      plan: this.plan,
      costEstimate: this.costEstimate,
      nodeGroupId: this.nodeGroupId,
      networkId: this.networkId,
      subnetIds: this.subnetIds,
      securityGroupId: this.securityGroupId,
      placementGroupName: this.placementGroupName,
      ncclBusBandwidthGBps: this.ncclBusBandwidthGBps,
      ncclTransport: this.ncclTransport,
      ncclBusBandwidthFloorGBps: this.ncclBusBandwidthFloorGBps,
      ncclCrossRackBusBandwidthGBps: this.ncclCrossRackBusBandwidthGBps,
      ncclCrossRackBusBandwidthFloorGBps: this.ncclCrossRackBusBandwidthFloorGBps,
      nodeCounts: this.nodeCounts,
      capacityBlockPricing: this.capacityBlockPricing,
      storage: this.storage.map((s) => ({ kind: s.kind, id: s.id, mountPath: s.mountPath, endpoint: s.endpoint })),
    });
  }
}
