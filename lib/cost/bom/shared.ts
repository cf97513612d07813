/** What several targets' bills of materials share. */
import type { Cloud } from "../../catalog/types.js";
import type { KubernetesClusterSource, Plan } from "../../planner/types.js";
import { fleetNodes } from "../../planner/packing.js";
import { S3_NONCURRENT_VERSION_DAYS } from "../../clouds/aws/storage-rules.js";
import type { BomItem } from "./types.js";

/**
 * The GPU nodes at `nodes` (the plan's count at creation, or the worst case's), and a fleet's most: every target's first
 * item, so the compute line and the node group read one figure.
 */
export function gpuNodesItem(plan: Plan, nodes: number): BomItem {
  return { kind: "gpu-nodes", instanceType: plan.instanceType, count: nodes, ...(plan.replicas ? { maxCount: fleetNodes(plan).max } : {}) };
}

/** One item per storage entry of the plan (block volumes ride on the nodes, but are billed per volume all the same). */
export function storageItems(plan: Plan): BomItem[] {
  return plan.storage.flatMap((s): BomItem[] => [{ kind: "storage", name: s.name, storageKind: s.kind }, ...lustreMetadataItems(s), ...objectRetentionItems(plan.cloud, s)]);
}

/**
 * How long each cloud's object store keeps what a bucket's objects overwrite or delete, as the compilers set it
 * (lib/clouds/aws/storage.ts, lib/clouds/gcp/storage.ts, lib/clouds/azure/storage.ts read these days), and on which
 * entries: the guarded ones, and on GCP every bucket (Google's own default soft delete is 7 days:
 * https://cloud.google.com/storage/docs/soft-delete, read 2026-11-30).
 */
export const OBJECT_RETENTION: Partial<Record<Cloud, { days: number; guardedOnly: boolean; how: string }>> = {
  aws: { days: S3_NONCURRENT_VERSION_DAYS, guardedOnly: true, how: "S3 versioning keeps them as noncurrent versions until they expire" },
  gcp: { days: 7, guardedOnly: false, how: "Cloud Storage soft delete" },
  azure: { days: 7, guardedOnly: true, how: "blob soft delete" },
};

/**
 * The objects a bucket keeps after they are overwritten or deleted (OBJECT_RETENTION), billed at the bucket's storage
 * rate while kept (S3: https://docs.aws.amazon.com/AmazonS3/latest/userguide/versioning-workflows.html; Cloud Storage:
 * https://cloud.google.com/storage/docs/soft-delete; Azure: https://learn.microsoft.com/azure/storage/blobs/soft-delete-blob-overview).
 * How much that is follows how much is rewritten a month, which the spec does not state: named, not guessed.
 */
function objectRetentionItems(cloud: Cloud, s: Plan["storage"][number]): BomItem[] {
  const kept = OBJECT_RETENTION[cloud];
  if (s.kind !== "object" || kept === undefined || (kept.guardedOnly && !s.deletionProtection)) return [];
  return [
    {
      kind: "unpriced",
      what: `objects overwritten or deleted in storage '${s.name}', kept ${kept.days} days (${kept.how})`,
      why: "billed at the bucket's storage rate while kept; the spec states what is kept live, storage[].capacityTiB, not how much is overwritten or deleted a month",
    },
  ];
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
