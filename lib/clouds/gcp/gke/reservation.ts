/**
 * Whether a GKE GPU pool is placed by a specific reservation: a pure rule (no Pulumi import) that the node pool
 * (./node-pool.ts) and Kueue's topology (lib/clouds/kubernetes/kueue-policy.ts) both read.
 */
import type { Plan } from "../../../planner/types.js";

/**
 * Whether the pool consumes a specific reservation. Its nodes then take no COMPACT placement policy: the reservation
 * already fixes where the capacity is (for A3 Ultra / A4, the dense blocks Google reserves for it), and a compact
 * policy on top can only narrow what the reservation may hand out, so the pool could stay short of nodes. Google's GKE
 * blueprints for every GPUDirect type pair SPECIFIC_RESERVATION with no placement policy: cluster-toolkit
 * examples/gke-a3-ultragpu/gke-a3-ultragpu.yaml and examples/gke-a4/gke-a4.yaml @0f9034dc9 (2026-06-08),
 * gke-a3-megagpu.yaml @2ee5a53ee (2026-04-16), gke-a3-highgpu.yaml @a592e6b5f (2026-05-18), all read 2026-12-01; and
 * GKE's compact placement page lists A100, L4 and H100 GPUs only
 * (https://cloud.google.com/kubernetes-engine/docs/how-to/compact-placement, read 2026-12-01). A pool created by an
 * earlier version keeps its policy (ignored, since changing it would replace the pool and its running nodes).
 */
export function onReservation(plan: Plan): boolean {
  return plan.reservationId !== undefined && plan.pricing !== "spot" && plan.pricing !== "flex-start";
}
