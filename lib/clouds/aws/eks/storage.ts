/**
 * Storage on EKS: the VM compiler's S3 buckets and EFS file systems. A bucket (private, KMS-encrypted, owner enforced)
 * is named to the pods in a ConfigMap as `GPU_CLUSTER_BUCKET_<NAME>` (the storage name) with `AWS_REGION`; S3 SDKs get the
 * credentials of the component's pod role through EKS Pod Identity (addons.ts), not the node's. An EFS file system (encrypted, a mount target in each GPU node subnet, in the
 * nodes' security group) is an `nfs` volume of every pod at its mount path: the kubelet mounts it, so no CSI driver is
 * needed. FSx for Lustre and block volumes are rejected by the checks.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigMap } from "@pulumi/kubernetes/core/v1";
import type { WorkloadStorage } from "../../kubernetes/target.js";
import type { WorkloadNames } from "../../kubernetes/names.js";
import type { Plan } from "../../../planner/types.js";
import type { CompileContext } from "../../types.js";
import { bucketVariable, nfsVolumes } from "../../kubernetes/storage.js";
import { awsStorage } from "../storage.js";

export interface EksStorage extends WorkloadStorage {
  bucketArns: pulumi.Output<string>[];
}

/** The AWS side (buckets, file systems), before the cluster exists: the node role needs the buckets' ARNs. */
export function eksBuckets(plan: Plan, subnetIds: pulumi.Input<string>[], securityGroupId: pulumi.Input<string>, ctx: CompileContext, tags: Record<string, string>) {
  return awsStorage(plan, subnetIds, securityGroupId, ctx, tags);
}

/** The pod side: one ConfigMap naming every bucket, one NFS volume per file system. */
export function eksPodStorage(
  plan: Plan,
  buckets: ReturnType<typeof eksBuckets>,
  namespace: pulumi.Input<string>,
  names: WorkloadNames,
  ctx: CompileContext,
  opts: pulumi.CustomResourceOptions,
): EksStorage {
  const out: EksStorage = { handles: buckets.handles, ...nfsVolumes(buckets.handles), envFrom: [], bucketArns: buckets.bucketArns };
  const bucketHandles = buckets.handles.filter((h) => h.kind === "object");
  if (bucketHandles.length === 0) return out;
  const data: Record<string, pulumi.Input<string>> = { AWS_REGION: plan.region };
  bucketHandles.forEach((h) => (data[bucketVariable(h.name)] = h.id));
  const config = new ConfigMap(`${ctx.name}-buckets`, { metadata: { name: `${names.base}-buckets`, namespace, labels: names.labels }, data }, opts);
  out.envFrom.push({ configMapRef: { name: config.metadata.name } });
  return out;
}
