/** Ready-node counts of a managed instance group (lib/clouds/shared/capacity.ts says why). */
import * as pulumi from "@pulumi/pulumi";
import * as gcpCompute from "@pulumi/gcp/compute";
import type { Plan } from "../../planner/types.js";
import { nodeCounts, type NodeCounts } from "../shared/capacity.js";

/** A managed instance group's counts: the instances in it (zonal: `zone`; regional: `region`). */
export function migNodeCounts(plan: Plan, groupName: pulumi.Output<string>, where: { zone: pulumi.Output<string> } | { region: string }, parent: pulumi.Resource): pulumi.Output<NodeCounts> {
  if ("zone" in where) {
    return nodeCounts(plan, parent, () => gcpCompute.getInstanceGroupOutput({ name: groupName, zone: where.zone }, { parent }).size, () => where.zone);
  }
  return nodeCounts(plan, parent, () => gcpCompute.getRegionInstanceGroupOutput({ name: groupName, region: where.region }, { parent }).size, () => pulumi.output(where.region));
}
