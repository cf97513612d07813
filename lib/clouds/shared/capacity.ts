/**
 * Ready-node counts as a stack output, and a clear message when capacity is short. AWS Auto Scaling groups
 * (`waitForCapacityTimeout: "0"`) and GCP managed instance groups (`waitForInstances: false`) let `up` finish before the
 * cloud has found the GPUs: the group keeps trying in the background, and `up` alone would say nothing. At the end of
 * `up` the component counts the group's running nodes, publishes them, and warns with the zone and what to try.
 * In a preview (offline included) nothing is launched, so `ready` is left out. Each cloud's count is in its own
 * folder (aws/capacity.ts, gcp/capacity.ts), so a compiler loads only its cloud's SDK.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Plan } from "../../planner/types.js";
import { fleetNodes } from "../../planner/packing.js";
import { awsWhatToTry } from "../aws/capacity-advice.js";
import { gcpWhatToTry } from "../gcp/capacity-advice.js";

/** A node group's size at the end of `up`. */
export interface NodeCounts {
  /** Nodes the group asks for at this `up` (training: the node count; a fleet: its nodes at replicas.min; on an AWS Capacity Block, 0 outside the block). */
  desired: number;
  /** Nodes running when `up` finished; absent in a preview. */
  ready?: number;
  /** The zone the group launches in, when the count was taken. */
  zone?: string;
  /** Why fewer nodes run than asked for, and what to try; absent when all run. */
  shortfall?: string;
}

/**
 * What to try when a cloud has no capacity for the plan in `zone`, by cloud (the options' own names), each worded by how
 * the plan buys its capacity (aws/capacity-advice.ts, shared with the plan's capacity note; gcp/capacity-advice.ts): a
 * plan on a reservation or a block is pointed at its free instances, not told to buy one.
 */
const WHAT_TO_TRY: Record<string, (plan: Plan, zone: string) => string> = {
  aws: awsWhatToTry,
  gcp: gcpWhatToTry,
};

/** The shortfall message, or undefined when every desired node runs. */
export function shortfallMessage(plan: Plan, desired: number, ready: number, zone: string): string | undefined {
  if (ready >= desired) return undefined;
  return `${ready} of ${desired} ${plan.instanceType} nodes are running in ${zone}: ${plan.cloud.toUpperCase()} had no capacity for the rest when up finished. Try: ${WHAT_TO_TRY[plan.cloud]?.(plan, zone) ?? "another zone or fewer nodes"}.`;
}

/**
 * The group's counts: `desired` now; at `up`, `running()` (the cloud's count of running nodes) and `zone()` looked up
 * once the group exists, and a warning on the component when the count falls short. `sizeNow` is the size the group
 * is meant to have at this `up` when that is not the plan's count: an AWS Capacity Block's group is empty before the
 * block starts and from its drain time (aws/capacity-block-rules.ts, blockSizeAt, the rule its desired size follows),
 * so an `up` then expects 0 and does not warn. Default: the node count (training) or the nodes at replicas.min (a fleet).
 */
export function nodeCounts(
  plan: Plan,
  parent: pulumi.Resource,
  running: () => pulumi.Output<number>,
  zone: () => pulumi.Output<string>,
  sizeNow?: pulumi.Input<number>,
): pulumi.Output<NodeCounts> {
  const planned = plan.workload === "training" ? plan.nodeCount : fleetNodes(plan).min;
  const desired = pulumi.output(sizeNow ?? planned);
  if (pulumi.runtime.isDryRun()) return desired.apply((d) => ({ desired: d }));
  return pulumi.all([desired, running(), zone()]).apply(([desired, ready, z]) => {
    const shortfall = shortfallMessage(plan, desired, ready, z);
    if (shortfall) pulumi.log.warn(shortfall, parent);
    return { desired, ready, zone: z, ...(shortfall ? { shortfall } : {}) };
  });
}
