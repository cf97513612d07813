/**
 * What to try when a GCP managed instance group stays short of its count, by how the plan buys its capacity, as AWS
 * words it (../aws/capacity-advice.ts): the shortfall warning at the end of `up` (../shared/capacity.ts). SDK-free.
 */
import type { Plan } from "../../planner/types.js";
import { shellQuote } from "../shared/bootstrap.js";

/** A zone name (`us-central1-a`), as opposed to a region a regional group reports. */
const ZONE_NAME = /^[a-z]+-[a-z]+\d+-[a-z]$/;

/**
 * The check of a reservation's free instances. `gcloud compute reservations describe NAME --zone=ZONE`
 * (https://cloud.google.com/sdk/gcloud/reference/compute/reservations/describe, read 2026-12-01) prints the
 * reservation; its `specificReservation.count` is the instances reserved and `specificReservation.inUseCount` those in
 * use ("Indicates how many instances are in use", Compute v1 AllocationSpecificSKUReservation,
 * https://cloud.google.com/php/docs/reference/cloud-compute/latest/V1.AllocationSpecificSKUReservation, and the
 * ComputeReservation fields specificReservation.count/inUseCount/instanceProperties.machineType and
 * specificReservationRequired, https://cloud.google.com/config-connector/docs/reference/resource-docs/compute/computereservation,
 * read 2026-12-01). A reservation that does not set `specificReservationRequired` is also consumed by any matching VM
 * of the project, since a VM's default affinity is ANY_RESERVATION, "Consume any allocation available"
 * (https://cloud.google.com/compute/docs/reference/rest/v1/ReservationAffinity, read 2026-12-01); our nodes target it
 * by name (SPECIFIC_RESERVATION, ./template.ts), so only instances of its own shape are theirs.
 */
function reservationCheck(id: string, zone: string, machineType: string): string {
  const name = /^[\w/.-]+$/.test(id) ? id : shellQuote(id);
  const where = ZONE_NAME.test(zone) ? zone : "<its zone>";
  return (
    `check how many of reservation ${id}'s instances are free: \`gcloud compute reservations describe ${name} --zone=${where}\` ` +
    "(specificReservation.count less specificReservation.inUseCount; without specificReservationRequired: true other VMs of the project take its instances too), " +
    `and that its specificReservation.instanceProperties.machineType is ${machineType}; then free or add instances there, or ask for fewer nodes`
  );
}

/**
 * The advice by how the plan buys capacity, first match wins (the instance template's own order, ./template.ts: Spot
 * before a reservation). Spot: "Compute Engine might reclaim the resources by preempting Spot VMs at any time"
 * (https://cloud.google.com/compute/docs/instances/create-use-spot, read 2026-12-01), and a zone can be out of Spot
 * capacity. Flex-start: Dynamic Workload Scheduler provisions the nodes when it finds the capacity, and a queued
 * request waits for it (https://cloud.google.com/kubernetes-engine/docs/concepts/dws and
 * https://cloud.google.com/kubernetes-engine/docs/how-to/provisioningrequest, read 2026-12-01). Committed-use pricing
 * (reserved-1y/3y) is a discount, not capacity: it gets the on-demand advice.
 */
const ADVICE: readonly { readonly when: (plan: Pick<Plan, "pricing" | "reservationId">) => boolean; readonly text: (plan: Pick<Plan, "reservationId" | "instanceType">, zone: string) => string }[] = [
  {
    when: (p) => p.pricing === "flex-start",
    text: () =>
      "wait: Dynamic Workload Scheduler (flex-start) provisions the nodes only when it has the capacity, and a queued request waits until then; to be served sooner, ask for fewer nodes or use another region (region)",
  },
  {
    when: (p) => p.pricing === "spot",
    text: () =>
      "wait (Spot capacity runs out and preempted nodes are recreated only when it returns; the managed instance group keeps retrying), pin another zone (zone), or use on-demand capacity (pricing: 'on-demand'), which is not preempted",
  },
  { when: (p) => p.reservationId !== undefined, text: (p, zone) => reservationCheck(p.reservationId!, zone, p.instanceType) },
  {
    when: () => true,
    text: () => "wait (the managed instance group keeps retrying), pin another zone (zone), use a reservation (reservationId) or Spot (pricing: 'spot'), or ask for fewer nodes",
  },
];

/** An imperative list of things to try, for a group short of nodes in `zone` (a region for a regional group). */
export function gcpWhatToTry(plan: Pick<Plan, "pricing" | "reservationId" | "instanceType">, zone: string): string {
  return ADVICE.find((a) => a.when(plan))!.text(plan, zone);
}
