/**
 * Storage on EKS, this version: `object` only. The S3 bucket is the VM compiler's (private, KMS-encrypted, owner
 * enforced); the node role may use it, and the pods get its name and region from a ConfigMap as `GPU_CLUSTER_BUCKET_<i>`
 * and `AWS_REGION` (S3 SDKs reach it through the node's credentials over IMDSv2). Other kinds are rejected by the checks.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigMap } from "@pulumi/kubernetes/core/v1";
import type { WorkloadStorage } from "../../kubernetes/target.js";
import type { WorkloadNames } from "../../kubernetes/names.js";
import type { Plan } from "../../../planner/types.js";
import type { CompileContext } from "../../types.js";
import { awsStorage } from "../storage.js";

export interface EksStorage extends WorkloadStorage {
  bucketArns: pulumi.Output<string>[];
}

/** The AWS side (buckets), before the cluster exists: the node role needs their ARNs. */
export function eksBuckets(plan: Plan, ctx: CompileContext, tags: Record<string, string>) {
  return awsStorage(plan, [], "", ctx, tags);
}

/** The pod side: one ConfigMap naming every bucket. */
export function eksPodStorage(
  plan: Plan,
  buckets: ReturnType<typeof eksBuckets>,
  namespace: pulumi.Input<string>,
  names: WorkloadNames,
  ctx: CompileContext,
  opts: pulumi.CustomResourceOptions,
): EksStorage {
  const out: EksStorage = { handles: buckets.handles, volumes: [], mounts: [], envFrom: [], bucketArns: buckets.bucketArns };
  if (buckets.handles.length === 0) return out;
  const data: Record<string, pulumi.Input<string>> = { AWS_REGION: plan.region };
  buckets.handles.forEach((h, i) => (data[`GPU_CLUSTER_BUCKET_${i}`] = h.id));
  const config = new ConfigMap(`${ctx.name}-buckets`, { metadata: { name: `${names.base}-buckets`, namespace, labels: names.labels }, data }, opts);
  out.envFrom.push({ configMapRef: { name: config.metadata.name } });
  return out;
}
