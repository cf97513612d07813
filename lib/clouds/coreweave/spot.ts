/**
 * Spot Node Pools on CKS, as plain data (no Kubernetes SDK: the option checks read it for the plan note).
 *
 * The compute class values: CoreWeave's Spot Node Pools page tells to "set the spec.computeClass field to spot" and its
 * manifest example writes `computeClass: spot`, lower case, as the Cloud Console's Compute Class string `spot`
 * (https://docs.coreweave.com/platform/capacity-plans/spot-node-pools, read 2026-12-01; the page's one prose mention,
 * "created with computeClass: Spot", is the only capitalised one). The Node Pool reference gives the field's enum
 * value and default as `default`, for reserved and on-demand instances
 * (https://docs.coreweave.com/products/cks/reference/node-pool, read 2026-12-01); NodePool manifests applied to CKS
 * with kubectl write `computeClass: default` (marin-community/marin's CoreWeave notes, code index, read 2026-12-01).
 * No CRD schema is public, so these two pages are the authority.
 */
import type { Plan } from "../../planner/types.js";

export type ComputeClass = "default" | "spot";

/** The NodePool's `spec.computeClass` per pricing: spot pricing is a Spot Node Pool, anything else the default class. */
export function computeClass(plan: Pick<Plan, "pricing">): ComputeClass {
  return plan.pricing === "spot" ? "spot" : "default";
}

/**
 * How long CoreWeave gives a Spot Node before it reclaims it: "a seven-minute window (maximum) to gracefully stop
 * running" work (Spot Node Pools page, "Instance preemption", read 2026-12-01).
 */
export const SPOT_NOTICE_MINUTES = 7;

/**
 * What a spot plan tells the user: CoreWeave can reclaim any Node of the pool, and what that does to the workload. A
 * training Job needs every rank: without Kueue it fails with the pod (backoffLimit 0, lib/clouds/kubernetes/training.ts);
 * with `coreweave.kueue` a pod evicted with its Node does not count as a failure and Kueue requeues the whole Job
 * (lib/clouds/kubernetes/kueue.ts queuedJobSpec), given the `waitForPodsReady` configuration the cluster's cks-kueue
 * release must carry (./kueue-config.ts).
 */
export function spotNotes(plan: Plan, kueue: boolean | undefined): string[] {
  if (plan.pricing !== "spot") return [];
  const reclaim = `spot: CoreWeave can reclaim any Node of the Spot Node Pool (computeClass: spot) at any time, with at most ${SPOT_NOTICE_MINUTES} minutes' notice, and refills the pool when capacity returns`;
  if (plan.workload === "inference") return [`${reclaim}; the fleet serves on its remaining replicas meanwhile`];
  return [
    `${reclaim}; a reclaimed Node stops the training Job's collective (every rank is needed): ` +
      (kueue
        ? "Kueue requeues the whole Job, which restarts from its last checkpoint on shared storage (with waitForPodsReady on in the cluster's Kueue: see the Kueue on CoreWeave note)"
        : "the Job fails (no restarts without coreweave.kueue), so checkpoint to shared storage (nfs or object) and resume from it, or set coreweave.kueue: true to requeue the Job"),
  ];
}
