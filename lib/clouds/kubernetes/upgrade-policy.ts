/** When managed clusters upgrade, as plain data (no Kubernetes SDK): ./upgrades.ts builds the policies, the plan note reads it. */

/** The weekly window every managed cluster upgrades in (UTC): Saturday and Sunday, 00:00 to 12:00. */
export const UPGRADE_WINDOW = { days: ["Saturday", "Sunday"] as const, startUtc: "00:00", hours: 12 };

/** When a managed cluster upgrades, as the plan says it: by service ("EKS", "GKE", "AKS"). */
export function upgradePlanNote(service: string, existingCluster: string | undefined, autoRepair = true): string | undefined {
  if (existingCluster !== undefined) {
    return `${service}: existing cluster '${existingCluster}': its own maintenance policy decides when nodes upgrade; the workload's PodDisruptionBudget keeps a drain off a running training pod.`;
  }
  const window = `${UPGRADE_WINDOW.days.join(" and ")} ${UPGRADE_WINDOW.startUtc}-12:00 UTC`;
  switch (service) {
    case "GKE":
      return `GKE: node upgrades are excluded until the version's end of support (maintenance exclusion NO_MINOR_OR_NODE_UPGRADES); control-plane patches run ${window}; upgrade GPU nodes yourself between runs (gcloud container clusters upgrade --node-pool), one node at a time.${autoRepair ? " Auto-repair stays on." : ""}`;
    case "AKS":
      return `AKS: cluster patch upgrades and node image updates run only ${window} (planned maintenance); a GPU node whose training pod cannot be evicted keeps running and is skipped (the upgrade is retried in a later window), never drained. Node auto-repair is on by default on AKS.`;
    case "EKS":
      return "EKS: managed node groups never upgrade on their own: an update runs when the stack changes the AMI release or Kubernetes version, one node at a time, and fails rather than evict a training pod (PodDisruptionBudget; the update is never forced).";
    default:
      return undefined;
  }
}
