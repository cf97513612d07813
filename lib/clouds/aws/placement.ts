/**
 * Which cluster placement group an AWS training cluster's nodes launch in (VMs and EKS alike):
 * - on-demand or spot with a fabric: a new cluster placement group the component creates (plan strategy `cluster`);
 * - an On-Demand Capacity Reservation: the cluster placement group the reservation was created in, named by
 *   `aws.placementGroupName`, or none. EC2 lets an ODCR be created in a cluster placement group, and an instance
 *   launched into such a reservation names that group (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/cr-cpg.html,
 *   "Use Capacity Reservations with cluster placement groups", and capacity-reservations-launch.html: "For Placement
 *   group, select the cluster placement group in which to launch the instance", then the Capacity Reservation; both read
 *   2026-12-01). A group the component created would hold none of the reserved capacity, so it is never made for an ODCR;
 * - a capacity block: none (its instances are co-located in an EC2 UltraCluster already).
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Plan } from "../../planner/types.js";
import { SpecError } from "../../spec/errors.js";
import type { AwsOptions } from "./options.js";

/** Whether the plan's nodes launch into an On-Demand Capacity Reservation (not a capacity block) for a fabric. */
export function odcrPlacement(plan: Pick<Plan, "placement" | "pricing">): boolean {
  return plan.placement.strategy === "reservation" && plan.pricing !== "capacity-block";
}

/**
 * `aws.placementGroupName`: only where the nodes launch into an On-Demand Capacity Reservation (throws SpecError
 * elsewhere); returns the note that placement is not guaranteed when such a plan has none.
 */
export function checkPlacementGroupName(plan: Readonly<Plan>, o: AwsOptions): string[] {
  const field = "aws.placementGroupName";
  const name = o.placementGroupName;
  if (name === undefined) {
    return odcrPlacement(plan)
      ? [
          `placement: capacity reservation ${plan.reservationId} is used without aws.placementGroupName, so the nodes launch in no cluster placement group ` +
            "and their closeness on the network is not guaranteed; if the reservation was created in a cluster placement group, name it in aws.placementGroupName",
        ]
      : [];
  }
  if (!odcrPlacement(plan)) {
    const why =
      plan.placement.strategy === "cluster"
        ? "the component creates this cluster's placement group itself (there is no reservation)"
        : plan.pricing === "capacity-block"
          ? "a capacity block's instances are co-located already and launch in no placement group"
          : `the plan places no nodes in a cluster placement group (${plan.placement.reason})`;
    throw new SpecError(field, `names the cluster placement group of an On-Demand Capacity Reservation, and ${why}`, "remove it, or set reservationId to the On-Demand Capacity Reservation created in that group");
  }
  // EC2 placement group names: up to 255 ASCII characters (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/placement-groups.html).
  if (typeof name === "string" && !/^[\x20-\x7e]{1,255}$/.test(name)) {
    throw new SpecError(field, `'${name}' is not a placement group name (1 to 255 printable ASCII characters)`, "give the name of the cluster placement group the reservation was created in");
  }
  return [];
}

/** A placement group as the node groups refer to it: the Auto Scaling group by id, the launch template and outputs by name (the same string on EC2). */
export interface NodePlacementGroup {
  id: pulumi.Input<string>;
  name: pulumi.Input<string>;
}

/** The placement group the nodes launch in (see above): `create()` makes the component's own, called only when one is needed. */
export function nodePlacementGroup(plan: Pick<Plan, "placement" | "pricing">, options: Pick<AwsOptions, "placementGroupName">, create: () => NodePlacementGroup): NodePlacementGroup | undefined {
  if (plan.placement.strategy === "cluster") return create();
  if (odcrPlacement(plan) && options.placementGroupName !== undefined) return { id: options.placementGroupName, name: options.placementGroupName };
  return undefined;
}
