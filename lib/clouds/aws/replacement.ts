/**
 * How AWS replaces GPU nodes when their launch template changes: new node first (surge) or old node first (no surge).
 * A node in reserved capacity — a Capacity Block or a targeted On-Demand Capacity Reservation (`reservationId`) —
 * cannot surge: the reservation holds the nodes the plan asked for, and "If the selected Capacity Reservation doesn't
 * have enough available capacity for the number of instances, the launch fails"
 * (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/capacity-reservations-launch.html, read 2026-12-01), so the
 * surge node never starts and the update or instance refresh fails (review session 28, F5).
 */
import type { Plan } from "../../planner/types.js";
import { MODEL_LOAD_SECONDS } from "../shared/model-server.js";

/** Whether the GPU nodes launch into reserved capacity (a Capacity Block or an ODCR), which has no room for a surge node. */
export function reservedCapacity(plan: Pick<Plan, "reservationId">): boolean {
  return plan.reservationId !== undefined;
}

/**
 * The EKS GPU node group's update: one node at a time; in reserved capacity with the MINIMAL strategy, which
 * "terminates the old instances before launching the new instances ... useful in scenarios where you are constrained to
 * resources or costs (for example, with hardware accelerators such as GPUs)" (EKS API reference,
 * NodegroupUpdateConfig.updateStrategy, https://docs.aws.amazon.com/eks/latest/APIReference/API_NodegroupUpdateConfig.html,
 * read 2026-12-01). Elsewhere EKS's default strategy (a new node before the old one's end).
 */
export function eksGpuUpdateConfig(plan: Pick<Plan, "reservationId">): { maxUnavailable: number; updateStrategy?: string } {
  return reservedCapacity(plan) ? { maxUnavailable: 1, updateStrategy: "MINIMAL" } : { maxUnavailable: 1 };
}

/**
 * A VM fleet's instance refresh on a launch template change. Default: launch before terminating (never below the desired
 * count, up to twice it). In reserved capacity: terminate and launch — MaxHealthyPercentage 100 (no instance above the
 * desired count) with MinHealthyPercentage 90, Auto Scaling's own default minimum ("If you do not specify this
 * property, the default is 90 percent"); the two must be at most 100 apart
 * (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html and API_InstanceMaintenancePolicy.html,
 * read 2026-12-01). Each batch waits out the model load.
 */
export function fleetInstanceRefresh(plan: Pick<Plan, "reservationId">) {
  const [minHealthyPercentage, maxHealthyPercentage] = reservedCapacity(plan) ? [90, 100] : [100, 200];
  return { strategy: "Rolling", preferences: { minHealthyPercentage, maxHealthyPercentage, instanceWarmup: String(MODEL_LOAD_SECONDS) } };
}

/** The plan note of a fleet in reserved capacity: a new launch template replaces replicas old-first. */
export function reservedFleetNote(plan: Pick<Plan, "reservationId" | "workload" | "orchestrator">): string[] {
  if (!reservedCapacity(plan) || plan.workload !== "inference" || plan.orchestrator !== "vm") return [];
  return [
    `replacement: the replicas run in reservation ${plan.reservationId}, which has no room for an extra instance, so a launch template change (image, model, AMI, server flags) ` +
      "replaces them terminate-first (90% of the fleet kept in service where it has 10 or more replicas) instead of launching each new replica before retiring an old one",
  ];
}
