/**
 * Ready-node counts as a stack output, and a clear message when capacity is short. AWS Auto Scaling groups
 * (`waitForCapacityTimeout: "0"`) and GCP managed instance groups (`waitForInstances: false`) let `up` finish before the
 * cloud has found the GPUs: the group keeps trying in the background, and `up` alone would say nothing. At the end of
 * `up` the component counts the group's running nodes, publishes them, and warns with the zone and what to try.
 * In a preview (offline included) nothing is launched, so `ready` is left out.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as autoscaling from "@pulumi/aws/autoscaling";
import * as ec2 from "@pulumi/aws/ec2";
import * as gcpCompute from "@pulumi/gcp/compute";
import type { Plan } from "../../planner/types.js";

/** A node group's size at the end of `up`. */
export interface NodeCounts {
  /** Nodes the group asks for (training: the node count; a fleet: replicas.min). */
  desired: number;
  /** Nodes running when `up` finished; absent in a preview. */
  ready?: number;
  /** The zone the group launches in, when the count was taken. */
  zone?: string;
  /** Why fewer nodes run than asked for, and what to try; absent when all run. */
  shortfall?: string;
}

/** What to try when a cloud has no capacity for the plan, by cloud (the options' own names). */
const WHAT_TO_TRY: Record<string, string> = {
  aws: "wait (the Auto Scaling group keeps retrying), pin another zone (zone), use a capacity reservation or capacity block (reservationId, pricing: 'capacity-block'), or ask for fewer nodes",
  gcp: "wait (the managed instance group keeps retrying), pin another zone (zone), use a reservation (reservationId) or Spot (pricing: 'spot'), or ask for fewer nodes",
};

/** The shortfall message, or undefined when every desired node runs. */
export function shortfallMessage(plan: Plan, desired: number, ready: number, zone: string): string | undefined {
  if (ready >= desired) return undefined;
  return `${ready} of ${desired} ${plan.instanceType} nodes are running in ${zone}: ${plan.cloud.toUpperCase()} had no capacity for the rest when up finished. Try: ${WHAT_TO_TRY[plan.cloud] ?? "another zone or fewer nodes"}.`;
}

/**
 * The group's counts: `desired` now; at `up`, `running()` (the cloud's count of running nodes) and `zone()` looked up
 * once the group exists, and a warning on the component when the count falls short.
 */
export function nodeCounts(plan: Plan, parent: pulumi.Resource, running: () => pulumi.Output<number>, zone: () => pulumi.Output<string>): pulumi.Output<NodeCounts> {
  const desired = plan.workload === "training" ? plan.nodeCount : plan.replicas!.min;
  if (pulumi.runtime.isDryRun()) return pulumi.output({ desired });
  return pulumi.all([running(), zone()]).apply(([ready, z]) => {
    const shortfall = shortfallMessage(plan, desired, ready, z);
    if (shortfall) pulumi.log.warn(shortfall, parent);
    return { desired, ready, zone: z, ...(shortfall ? { shortfall } : {}) };
  });
}

/** An Auto Scaling group's counts: its running instances (by the tag AWS puts on them) in its zones. */
export function asgNodeCounts(plan: Plan, group: autoscaling.Group, parent: pulumi.Resource): pulumi.Output<NodeCounts> {
  return nodeCounts(
    plan,
    parent,
    () => ec2.getInstancesOutput({ filters: [{ name: "tag:aws:autoscaling:groupName", values: [group.name] }], instanceStateNames: ["running"] }, { parent }).ids.apply((ids) => ids.length),
    () => group.availabilityZones.apply((zones) => zones.join(", ")),
  );
}

/** A managed instance group's counts: the instances in it (zonal: `zone`; regional: `region`). */
export function migNodeCounts(plan: Plan, groupName: pulumi.Output<string>, where: { zone: pulumi.Output<string> } | { region: string }, parent: pulumi.Resource): pulumi.Output<NodeCounts> {
  if ("zone" in where) {
    return nodeCounts(plan, parent, () => gcpCompute.getInstanceGroupOutput({ name: groupName, zone: where.zone }, { parent }).size, () => where.zone);
  }
  return nodeCounts(plan, parent, () => gcpCompute.getRegionInstanceGroupOutput({ name: groupName, region: where.region }, { parent }).size, () => pulumi.output(where.region));
}
