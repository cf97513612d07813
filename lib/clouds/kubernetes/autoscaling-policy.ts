/**
 * Which signal a fleet scales on, as plain data for the plan note (./autoscaling.ts builds the scaler): vLLM's queue in
 * the cluster's managed Prometheus where the compiler builds one, the user's Prometheus with `keda`, else CPU.
 */
import type { Plan } from "../../planner/types.js";
import { KEDA_DEFAULTS, WORKLOAD_DEFAULTS } from "./options.js";

/**
 * The managed Prometheus each service's compiler builds on a cluster it creates (unless `managedPrometheus` is false),
 * whether its collector needs the nodes' internet egress (AKS's add-on sends from the nodes; AWS's collector is a
 * service of its own), and whether the fleet's KEDA is given an identity to query it (`kedaQueries`: the clouds'
 * metrics.ts build it: AWS Pod Identity, Entra workload identity, GKE Workload Identity Federation).
 */
export const MANAGED_PROMETHEUS: Record<string, { name: string; needsEgress: boolean; kedaQueries: boolean }> = {
  EKS: { name: "Amazon Managed Service for Prometheus", needsEgress: false, kedaQueries: true },
  AKS: { name: "Azure Monitor managed service for Prometheus", needsEgress: true, kedaQueries: true },
  GKE: { name: "Google Cloud Managed Service for Prometheus", needsEgress: false, kedaQueries: true },
};

/** The option bag's choices the note reads (`aws.eks`, `gcp.gke`, `azure.aks`). */
export interface AutoscalingChoice {
  clusterName?: string;
  keda?: { prometheusUrl?: string; threshold?: number; query?: string };
  managedPrometheus?: boolean;
  targetCpuUtilizationPercent?: number;
}

/** The managed Prometheus a fleet of this service and choice scales against, if any. */
export function managedPrometheusOf(plan: Plan, service: string, choice: AutoscalingChoice | undefined): string | undefined {
  const managed = MANAGED_PROMETHEUS[service];
  if (managed === undefined || choice?.clusterName !== undefined || choice?.managedPrometheus === false) return undefined;
  return managed.needsEgress && !plan.egress.natGateway ? undefined : managed.name;
}

/** What the plan says about a fleet's scaling signal; none for training. */
export function autoscalingPlanNote(plan: Plan, service: string, choice: AutoscalingChoice | undefined): string | undefined {
  if (plan.workload !== "inference") return undefined;
  const queue = `vLLM's waiting requests (vllm:num_requests_waiting, ${choice?.keda?.threshold ?? KEDA_DEFAULTS.threshold} per replica)`;
  if (choice?.keda !== undefined) {
    // The user's own query replaces vLLM's queue (./autoscaling.ts); the note names what the trigger runs.
    const signal = choice.keda.query !== undefined ? `your query \`${choice.keda.query}\` (${choice.keda.threshold ?? KEDA_DEFAULTS.threshold} per replica)` : queue;
    return `${service}: the fleet scales with KEDA on ${signal} in the Prometheus at ${choice.keda.prometheusUrl}.`;
  }
  const managed = managedPrometheusOf(plan, service, choice);
  if (managed !== undefined && MANAGED_PROMETHEUS[service]!.kedaQueries) return `${service}: the fleet scales with KEDA on ${queue} in ${managed}, which scrapes its servers every 30 s.`;
  const why =
    managed !== undefined
      ? `its servers' metrics are in ${managed}, but the component gives KEDA no identity to query it yet`
      : `no managed Prometheus is known for ${choice?.clusterName !== undefined ? `the existing cluster '${choice.clusterName}'` : "this cluster"}`;
  return (
    `${service}: the fleet scales on CPU (${choice?.targetCpuUtilizationPercent ?? WORKLOAD_DEFAULTS.targetCpuUtilizationPercent}% of requests), which a GPU-bound server barely moves: ` +
    `${why}; give keda.prometheusUrl (a Prometheus that scrapes the servers' /metrics) to scale on ${queue}.`
  );
}
