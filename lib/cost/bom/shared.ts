/** What several targets' bills of materials share. */
import type { KubernetesClusterSource, Plan } from "../../planner/types.js";
import type { BomItem } from "./types.js";

/** One item per storage entry of the plan (block volumes ride on the nodes, but are billed per volume all the same). */
export function storageItems(plan: Plan): BomItem[] {
  return plan.storage.map((s) => ({ kind: "storage", name: s.name, storageKind: s.kind }));
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
