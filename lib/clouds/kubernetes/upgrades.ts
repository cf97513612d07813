/**
 * Upgrades never interrupt a run: when each managed cluster may upgrade, as data the cloud compilers wire in, the
 * PodDisruptionBudgets that keep a drain off a running pod, and the plan note that says when upgrades happen.
 *
 * - GKE: a release-channel cluster must keep node auto-upgrade on, so node upgrades are held by a maintenance
 *   exclusion of scope NO_MINOR_OR_NODE_UPGRADES until the minor version's end of support; control-plane patches run
 *   in a weekend window. https://cloud.google.com/kubernetes-engine/docs/concepts/maintenance-windows-and-exclusions
 *   (read 2026-11-30: a window needs at least 48 hours of availability in any 32 days, and each occurrence 4 hours).
 * - AKS: planned maintenance (`aksManagedAutoUpgradeSchedule`, `aksManagedNodeOSUpgradeSchedule`) puts the cluster
 *   patch upgrades and node image updates in one weekly window, and a GPU node whose pods a PodDisruptionBudget
 *   protects is left running, schedulable and not upgraded (`undrainableNodeBehavior: Schedule`: the upgrade ends
 *   failed and is retried in a later window); `Cordon` would need surge nodes to replace it, and GPU pools surge none.
 *   https://learn.microsoft.com/en-us/azure/aks/planned-maintenance and
 *   https://learn.microsoft.com/en-us/azure/aks/upgrade-cluster#optimize-for-undrainable-node-behavior (read 2026-11-30).
 * - EKS: managed node groups never upgrade on their own; an update (a new AMI release or Kubernetes version in the
 *   stack) drains one node at a time and fails rather than evict a pod a PodDisruptionBudget protects, unless forced
 *   (https://docs.aws.amazon.com/eks/latest/userguide/managed-node-update-behavior.html, read 2026-11-30).
 */
import type * as pulumi from "@pulumi/pulumi";
import { PodDisruptionBudget } from "@pulumi/kubernetes/policy/v1";
import type { Plan } from "../../planner/types.js";
import type { CompileContext } from "../types.js";
import type { WorkloadNames } from "./names.js";
import { UPGRADE_WINDOW } from "./upgrade-policy.js";

export { UPGRADE_WINDOW, upgradePlanNote } from "./upgrade-policy.js";


/**
 * GKE's maintenance policy: the weekend window for control-plane patches, and node upgrades excluded until the
 * version's end of support. Fixed dates only: a start derived from today's date would change the cluster at every `up`.
 */
export const GKE_MAINTENANCE_POLICY = {
  recurringWindow: { startTime: "2026-01-03T00:00:00Z", endTime: "2026-01-03T12:00:00Z", recurrence: "FREQ=WEEKLY;BYDAY=SA,SU" },
  maintenanceExclusions: [
    {
      exclusionName: "gpu-cluster-no-node-upgrades",
      startTime: "2026-01-01T00:00:00Z",
      exclusionOptions: { scope: "NO_MINOR_OR_NODE_UPGRADES", endTimeBehavior: "UNTIL_END_OF_SUPPORT" },
    },
  ],
};

/** AKS's planned maintenance configurations (each a `containerservice.MaintenanceConfiguration` named as AKS requires). */
export const AKS_MAINTENANCE_CONFIGURATIONS = ["aksManagedAutoUpgradeSchedule", "aksManagedNodeOSUpgradeSchedule"].map((configName) => ({
  configName,
  maintenanceWindow: {
    schedule: { weekly: { dayOfWeek: "Saturday", intervalWeeks: 1 } },
    // Saturday 00:00 through Sunday 12:00 is one 36-hour window on AKS (a window is one start and a duration).
    durationHours: 36,
    startTime: UPGRADE_WINDOW.startUtc,
    utcOffset: "+00:00",
  },
}));

/**
 * An AKS GPU pool's upgrade settings: one node at a time without a surge VM, and a node whose training pod cannot be
 * evicted within 30 minutes keeps running, not upgraded, rather than being drained (the AKS API's UndrainableNodeBehavior,
 * https://learn.microsoft.com/en-us/javascript/api/@azure/arm-containerservice/knownundrainablenodebehavior, read 2026-11-30).
 */
export const AKS_GPU_POOL_UPGRADE = { maxSurge: "0", maxUnavailable: "1", drainTimeoutInMinutes: 30, undrainableNodeBehavior: "Schedule" };

/**
 * The workload's PodDisruptionBudget: a training pod is never evicted (a lost rank ends the collective), so a drain
 * waits or fails instead; a fleet loses at most one node's replicas at a time (packed fleets hold several per node, and
 * draining a node one pod at a time, each waiting for its replacement to load the model, outlasts EKS's 15-minute
 * drain: https://docs.aws.amazon.com/eks/latest/userguide/managed-node-update-behavior.html).
 * https://kubernetes.io/docs/tasks/run-application/configure-pdb/ (read 2026-11-30).
 */
export function disruptionBudget(plan: Plan, names: WorkloadNames, namespace: pulumi.Input<string>, ctx: CompileContext, opts: pulumi.CustomResourceOptions): PodDisruptionBudget {
  return new PodDisruptionBudget(
    `${ctx.name}-pdb`,
    {
      metadata: { name: `${names.base}-pdb`, namespace, labels: names.labels },
      spec: { selector: { matchLabels: names.podLabels }, maxUnavailable: plan.workload === "training" ? 0 : fleetPodsPerNode(plan) },
    },
    opts,
  );
}

/** Replicas one node of a fleet holds (lib/planner/packing.ts): what one node's drain or rollout step takes down. */
export function fleetPodsPerNode(plan: Pick<Plan, "replicasPerNode">): number {
  return plan.replicasPerNode ?? 1;
}
