import * as pulumi from "@pulumi/pulumi";
import type { StorageHandle } from "../clouds/types.js";
import type { NodeCounts } from "../clouds/shared/capacity.js";
import type { CapacityBlockPricing } from "../cost/capacity-block-live.js";
import type { CostEstimate } from "../cost/types.js";
import type { Plan } from "../planner/types.js";
import type { FleetSpec } from "../spec/types.js";
import { componentInputs, finishInference, livePricing, prepare, type CloudOptions } from "./build.js";

/** Args of an InferenceFleet: the cloud-neutral spec plus the chosen cloud's option bag. */
export interface InferenceFleetArgs extends FleetSpec, CloudOptions {}

/**
 * An autoscaled GPU inference fleet: replicas of the smallest instance that
 * holds the GPUs asked for, in private subnets behind a load balancer with
 * health checks, scaled between `replicas.min` and `replicas.max`. Its cost is
 * logged at every preview; budgets are checked at `replicas.max`.
 */
export class InferenceFleet extends pulumi.ComponentResource {
  static readonly TYPE = "gpu-cluster:index:InferenceFleet";

  /** What is built: instance type, replicas, load balancer, placement, storage. */
  readonly plan: pulumi.Output<Plan>;
  /** Monthly cost at `replicas.min`, and the worst case at `replicas.max` (USD). */
  readonly costEstimate: pulumi.Output<CostEstimate>;
  /** The node group: AWS Auto Scaling group name, GCP managed instance group, Azure scale set id, CoreWeave NodePool name. */
  readonly nodeGroupId: pulumi.Output<string>;
  /** The VPC / network id. */
  readonly networkId: pulumi.Output<string>;
  /** The private subnets the replicas run in. */
  readonly subnetIds: pulumi.Output<string[]>;
  /** Security group of the replicas (admits the load balancer only). */
  readonly securityGroupId: pulumi.Output<string>;
  /** URL of the load balancer. */
  readonly endpointUrl: pulumi.Output<string>;
  /** File systems and buckets, with their mount paths and endpoints. */
  readonly storage: StorageHandle[];
  /**
   * VM node groups that `up` does not wait for (AWS, GCP): `{ desired, ready, zone, shortfall }` at the end of `up`, the
   * shortfall naming the zone and what to try when the cloud had no capacity. `ready` is absent in previews; the whole
   * output is undefined where `up` waits for the nodes (Azure) or Kubernetes schedules them.
   */
  readonly nodeCounts: pulumi.Output<NodeCounts | undefined>;

  /**
   * `pricing: "capacity-block"` on AWS: which price the live figure used — `{ source: "live-offering" | "catalog",
   * summary, usdPerInstanceHour, catalogMonthlyUsd, liveMonthlyUsd?, offeringId?, upfrontUsd?, unavailableBecause? }`
   * (lib/cost/capacity-block-live.ts). EC2 quotes an offering for a block like yours (same type, count, duration and
   * window), not the fee you paid. Undefined for every other pricing and cloud.
   */
  readonly capacityBlockPricing: pulumi.Output<CapacityBlockPricing | undefined>;

  constructor(name: string, args: InferenceFleetArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate, plan and price before the component exists: a SpecError leaves nothing behind.
    const prepared = prepare("inference", name, args);
    // The plan and estimate are the component's inputs, so CrossGuard policies see them at preview.
    super(InferenceFleet.TYPE, name, componentInputs(prepared), opts);
    const handles = finishInference(this, InferenceFleet.TYPE, name, prepared);
    this.plan = pulumi.output(prepared.plan);
    this.costEstimate = pulumi.output(prepared.estimate);
    this.nodeGroupId = handles.nodeGroupId;
    this.networkId = handles.networkId;
    this.subnetIds = handles.subnetIds;
    this.securityGroupId = handles.securityGroupId;
    this.endpointUrl = handles.endpointUrl;
    this.storage = handles.storage;
    this.nodeCounts = handles.nodeCounts ?? pulumi.output(undefined);
    this.capacityBlockPricing = livePricing(this, name, prepared) ?? pulumi.output(undefined);
    this.registerOutputs({
      plan: this.plan,
      costEstimate: this.costEstimate,
      nodeGroupId: this.nodeGroupId,
      networkId: this.networkId,
      subnetIds: this.subnetIds,
      securityGroupId: this.securityGroupId,
      endpointUrl: this.endpointUrl,
      nodeCounts: this.nodeCounts,
      capacityBlockPricing: this.capacityBlockPricing,
      storage: this.storage.map((s) => ({ kind: s.kind, id: s.id, mountPath: s.mountPath, endpoint: s.endpoint })),
    });
  }
}
