/**
 * What to try when an AWS node group stays short of its count, by how the plan buys its capacity: one rule for the
 * plan's capacity note (./options.ts) and the shortfall warning at the end of `up` (../shared/capacity.ts). SDK-free.
 */
import type { Plan } from "../../planner/types.js";
import { shellQuote } from "../shared/bootstrap.js";

/**
 * An imperative list of things to try. With a reservation (`reservationId`: an On-Demand Capacity Reservation or a
 * Capacity Block) the nodes launch only into it, so the question is how many of its instances are free
 * (AvailableInstanceCount, https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CapacityReservation.html, read
 * 2026-12-01), not another zone or another way to buy capacity; a block's group is empty until the block starts.
 */
export function awsWhatToTry(plan: Pick<Plan, "pricing" | "reservationId">): string {
  const id = plan.reservationId;
  if (id === undefined) {
    return "wait (the Auto Scaling group keeps retrying), pin another zone (zone), use a capacity reservation or capacity block (reservationId, pricing: 'capacity-block'), or ask for fewer nodes";
  }
  const check = `\`aws ec2 describe-capacity-reservations --capacity-reservation-ids ${/^[\w-]+$/.test(id) ? id : shellQuote(id)}\` (AvailableInstanceCount)`;
  return plan.pricing === "capacity-block"
    ? `once the block has started (its group is empty before), check how many of its instances are free (instances of another group in it, or a block smaller than the plan): ${check}, or ask for fewer nodes`
    : `check how many of reservation ${id}'s instances are free (others running in it, or fewer reserved than nodes): ${check}, then free or add instances there, or ask for fewer nodes`;
}
