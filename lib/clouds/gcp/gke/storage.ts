/**
 * Storage on GKE, this version: `object` only. Each Cloud Storage bucket is private (uniform access, public access
 * prevention enforced); the workload's pods reach it through Workload Identity (their namespace's default
 * Kubernetes service account is granted objects on that bucket only) and get its name from a ConfigMap as
 * `GPU_CLUSTER_BUCKET_<i>`. Other kinds are rejected by the checks.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigMap } from "@pulumi/kubernetes/core/v1";
import * as organizations from "@pulumi/gcp/organizations";
import * as storage from "@pulumi/gcp/storage";
import type { WorkloadNames } from "../../kubernetes/names.js";
import type { WorkloadStorage } from "../../kubernetes/target.js";
import type { Plan } from "../../../planner/types.js";
import type { CompileContext, StorageHandle } from "../../types.js";
import { BUCKET_ROLE } from "../identity.js";

/** The Workload Identity principal of a namespace's default Kubernetes service account. */
export function workloadPrincipal(projectNumber: pulumi.Input<string>, project: pulumi.Input<string>, namespace: string): pulumi.Output<string> {
  return pulumi.interpolate`principal://iam.googleapis.com/projects/${projectNumber}/locations/global/workloadIdentityPools/${project}.svc.id.goog/subject/ns/${namespace}/sa/default`;
}

export function gkeStorage(
  plan: Plan,
  names: WorkloadNames,
  ctx: CompileContext,
  labels: Record<string, string>,
  k8sOpts: pulumi.CustomResourceOptions,
  namespace: pulumi.Input<string>,
): WorkloadStorage {
  const out: WorkloadStorage = { handles: [], volumes: [], mounts: [], envFrom: [] };
  const buckets = plan.storage.map((s, i) => ({ s, i })).filter(({ s }) => s.kind === "object");
  if (buckets.length === 0) return out;
  const opts = { parent: ctx.parent };
  const project = organizations.getProjectOutput({}, opts);
  const member = workloadPrincipal(project.number, project.apply((p) => p.projectId ?? ""), names.namespace);
  const data: Record<string, pulumi.Input<string>> = {};
  const handles: StorageHandle[] = buckets.map(({ s, i }) => {
    const id = `${ctx.name}-${s.kind}-${i}`;
    const bucket = new storage.Bucket(
      id,
      { location: plan.region.toUpperCase(), storageClass: s.tier.toUpperCase(), uniformBucketLevelAccess: true, publicAccessPrevention: "enforced", forceDestroy: false, labels },
      opts,
    );
    new storage.BucketIAMMember(`${id}-pods`, { bucket: bucket.name, role: BUCKET_ROLE, member }, opts);
    data[`GPU_CLUSTER_BUCKET_${i}`] = bucket.name;
    return { kind: s.kind, id: bucket.name, mountPath: s.mountPath, endpoint: pulumi.interpolate`gs://${bucket.name}` };
  });
  const config = new ConfigMap(`${ctx.name}-buckets`, { metadata: { name: `${names.base}-buckets`, namespace, labels: names.labels }, data }, k8sOpts);
  out.handles = handles;
  out.envFrom.push({ configMapRef: { name: config.metadata.name } });
  return out;
}
