/** What several targets' bills of materials share. */
import type { KubernetesClusterSource, Plan } from "../../planner/types.js";
import type { BomItem } from "./types.js";

/** One item per storage entry of the plan (block volumes ride on the nodes, but are billed per volume all the same). */
export function storageItems(plan: Plan): BomItem[] {
  return plan.storage.flatMap((s): BomItem[] => [{ kind: "storage", name: s.name, storageKind: s.kind }, ...lustreMetadataItems(s)]);
}

/**
 * FSx for Lustre metadata IOPS (`storage[].metadataIops`, USER_PROVISIONED; or AUTOMATIC, which `storage[].efa` sets):
 * FSx bills provisioned metadata IOPS apart from storage, and no dated first-party figure for them was found (the
 * stored copy of https://aws.amazon.com/fsx/lustre/pricing/ has only its prose, searched 2026-11-30; see
 * lib/catalog/data/aws-fsx.ts), so the bill names the line instead of inventing it.
 */
function lustreMetadataItems(s: Plan["storage"][number]): BomItem[] {
  if (s.kind !== "lustre" || (s.metadataIops === undefined && !s.efa)) return [];
  const what =
    s.metadataIops !== undefined
      ? `FSx for Lustre metadata IOPS of storage '${s.name}' (${s.metadataIops} provisioned, USER_PROVISIONED mode)`
      : `FSx for Lustre metadata IOPS of storage '${s.name}' (AUTOMATIC mode, which EFA requires: FSx sizes them with the capacity)`;
  return [{ kind: "unpriced", what, why: "no dated first-party price for FSx metadata IOPS was found (the stored FSx for Lustre pricing page has only its prose; infracost's whole history has no Lustre file system resource; searched 2026-11-30, see lib/catalog/data/aws-fsx.ts)" }];
}

/** The option bag as a record, whatever was passed (the option checks have already refused bad shapes). */
export function bag<T>(options: unknown): T {
  return (typeof options === "object" && options !== null ? options : {}) as T;
}

/**
 * Whether a managed-Kubernetes target creates its cluster or joins an existing one: a cluster named in the cloud's
 * cluster options (`aws.eks`, `gcp.gke`, `azure.aks`) is joined. The option check reports it and the bill reads it
 * (an existing cluster's control plane, system pool and network are already paid for).
 */
export function kubernetesClusterMode(cluster: { clusterName?: unknown } | undefined): KubernetesClusterSource {
  return cluster?.clusterName !== undefined ? "existing" : "created";
}

/** Whether the bill carries the cluster: not when the plan says it is joined, nor when the options name one. */
export function createsCluster(plan: Pick<Plan, "kubernetesCluster">, cluster: { clusterName?: unknown } | undefined): boolean {
  return plan.kubernetesCluster !== "existing" && kubernetesClusterMode(cluster) === "created";
}
