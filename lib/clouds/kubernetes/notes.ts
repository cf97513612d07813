/** The plan notes every managed Kubernetes compiler adds: the system node pool, the GPU taint, an existing cluster's fees. */
import * as catalog from "../../catalog/index.js";
import type { Plan } from "../../planner/types.js";
import { formatUsd } from "../../cost/money.js";
import { kueuePlanNote } from "./kueue-policy.js";
import { upgradePlanNote } from "./upgrade-policy.js";
import { healthPlanNote } from "./node-health-policy.js";
import { autoscalingPlanNote, type AutoscalingChoice } from "./autoscaling-policy.js";

export interface ClusterNoteFacts {
  /** What the user calls it: "EKS", "GKE", "AKS". */
  service: string;
  /** The GPU nodes' taint, `key=value:Effect`. */
  gpuTaint: string;
  /** What the system pool runs, e.g. "CoreDNS, the GPU Operator and Kueue controllers". */
  systemPods: string;
  /** The cluster-wide add-ons the GPU nodes need, as the note names them when the user says they run already. */
  addons: string;
}

/** The option bag's cluster choices (`aws.eks`, `gcp.gke`, `azure.aks`). */
export interface ClusterChoice extends AutoscalingChoice {
  /** The existing cluster joined, if any. */
  clusterName?: string;
  /** False: the existing cluster runs the add-ons already. */
  installClusterAddons?: boolean;
  /** True: the training Job is queued through Kueue. */
  kueue?: boolean;
  /** False: the GPU pool's node auto-repair is off (GKE flex-start). Default true. */
  autoRepair?: boolean;
}

export function clusterPlanNotes(plan: Plan, facts: ClusterNoteFacts, choice: ClusterChoice | undefined): string[] {
  const queued = choice?.kueue === true && plan.workload === "training" ? [kueuePlanNote(plan)] : [];
  const upgrades = upgradePlanNote(facts.service, choice?.clusterName, choice?.autoRepair);
  const health = healthPlanNote(facts.service, choice?.autoRepair);
  const scaling = autoscalingPlanNote(plan, facts.service, choice);
  return [...clusterShapeNotes(plan, facts, choice), ...queued, ...(upgrades ? [upgrades] : []), ...(health ? [health] : []), ...(scaling ? [scaling] : [])];
}

function clusterShapeNotes(plan: Plan, facts: ClusterNoteFacts, choice: ClusterChoice | undefined): string[] {
  const kubernetes = catalog.cloudCatalog(plan.cloud).kubernetes!;
  const { service, gpuTaint } = facts;
  const clusterName = choice?.clusterName;
  if (clusterName !== undefined) {
    const fee = formatUsd(kubernetes.controlPlaneUsdPerHour * 730);
    const addons =
      choice?.installClusterAddons === false
        ? [`${service}: installClusterAddons is false: '${clusterName}' must already run ${facts.addons} for these GPU nodes, or their pods never get GPUs or fabric.`]
        : [];
    return [
      ...addons,
      `${service}: the GPU nodes are tainted ${gpuTaint}; system pods run on the existing cluster's own nodes.`,
      `${service}: existing cluster '${clusterName}': no cluster is created, so its control-plane fee (${fee}/month) and system nodes are already paid by that cluster and not added by this component.`,
    ];
  }
  const system = kubernetes.systemNodes;
  const priced = system.usdPerHour[plan.region] !== undefined ? "priced in the cluster lines" : `not in this estimate: the catalog has no ${system.instanceType} price for ${plan.region}`;
  return [
    `${service}: a system node pool (${system.nodes} × ${system.instanceType}, ${system.why}; ${priced}) runs ${facts.systemPods}; the GPU nodes are tainted ${gpuTaint}.`,
  ];
}
