/**
 * Storage on EKS: the VM compiler's S3 buckets, EFS and FSx for Lustre file systems. A bucket (private, KMS-encrypted,
 * owner enforced) is named to the pods in a ConfigMap as `GPU_CLUSTER_BUCKET_<NAME>` (the storage name) with
 * `AWS_REGION`; S3 SDKs get the credentials of the component's pod role through EKS Pod Identity (addons.ts), not the
 * node's. A file system (EFS: encrypted at rest, a mount target in each GPU node subnet; FSx for Lustre: in the first
 * node subnet; both in the nodes' security group) is a statically provisioned PersistentVolume of its CSI driver, bound
 * to one claim in the workload's namespace and mounted by every pod at its mount path: EFS through the EFS CSI driver
 * with encryption in transit (TLS; the kubelet's plain `nfs` volume cannot do TLS), Lustre through the FSx for Lustre
 * CSI driver. The drivers are EKS add-ons (addons.ts). Block volumes are rejected by the checks.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigMap } from "@pulumi/kubernetes/core/v1";
import type * as k8s from "@pulumi/kubernetes/types/input";
import type { WorkloadStorage } from "../../kubernetes/target.js";
import type { WorkloadNames } from "../../kubernetes/names.js";
import type { Plan } from "../../../planner/types.js";
import type { CompileContext, StorageHandle } from "../../types.js";
import { bucketVariable } from "../../kubernetes/storage.js";
import { STATIC_VOLUME_CAPACITY, staticVolumeClaim } from "../../kubernetes/static-volume.js";
import { awsStorage } from "../storage.js";

export interface EksStorage extends WorkloadStorage {
  bucketArns: pulumi.Output<string>[];
}

/** The EFS CSI driver's name, as PersistentVolumes name it. */
export const EFS_CSI_DRIVER = "efs.csi.aws.com";

/** The FSx for Lustre CSI driver's name. */
export const FSX_CSI_DRIVER = "fsx.csi.aws.com";

/**
 * The EFS CSI driver's static-volume attributes: encryption in transit on. The driver encrypts by default and
 * `encryptInTransit: "false"` turns it off; the component says so explicitly, so a changed default cannot turn it off
 * (kubernetes-sigs/aws-efs-csi-driver examples/kubernetes/encryption_in_transit/README.md, read 2026-11-30;
 * https://docs.aws.amazon.com/eks/latest/userguide/efs-csi.html).
 */
export const EFS_VOLUME_ATTRIBUTES = { encryptInTransit: "true" } as const;

/** The capacity a static volume and its claim state (EFS is elastic; the Lustre file system's size is FSx's). */
const NOMINAL_CAPACITY = STATIC_VOLUME_CAPACITY;

/** The AWS side (buckets, file systems), before the cluster exists: the node role needs the buckets' ARNs. */
export function eksBuckets(plan: Plan, subnetIds: pulumi.Input<string>[], securityGroupId: pulumi.Input<string>, ctx: CompileContext, tags: Record<string, string>) {
  return awsStorage(plan, subnetIds, securityGroupId, ctx, tags);
}

/**
 * The CSI source of a file system's static volume. EFS: the file system id, TLS on. FSx for Lustre: the file system id
 * with its DNS name and mount name (from the mount source `<dns>@tcp:/<mount name>`), mounted with `flock` as the VM
 * nodes mount it (kubernetes-sigs/aws-fsx-csi-driver examples/kubernetes/static_provisioning, read 2026-11-30).
 */
function csiSource(handle: StorageHandle): { csi: k8s.core.v1.CSIPersistentVolumeSource; mountOptions?: string[] } {
  if (handle.kind === "lustre") {
    const part = (i: 0 | 1) => handle.endpoint.apply((e) => e.split("@tcp:/")[i] ?? "");
    return { csi: { driver: FSX_CSI_DRIVER, volumeHandle: handle.id, volumeAttributes: { dnsname: part(0), mountname: part(1) } }, mountOptions: ["flock"] };
  }
  return { csi: { driver: EFS_CSI_DRIVER, volumeHandle: handle.id, volumeAttributes: { ...EFS_VOLUME_ATTRIBUTES } } };
}


/**
 * The pod side: one ConfigMap naming every bucket, one CSI volume per file system. `drivers`: what each kind's volumes
 * wait for (the driver add-on on a cluster this component made; none on an existing cluster, which brings its own).
 */
export function eksPodStorage(
  plan: Plan,
  buckets: ReturnType<typeof eksBuckets>,
  namespace: pulumi.Input<string>,
  names: WorkloadNames,
  ctx: CompileContext,
  opts: pulumi.CustomResourceOptions,
  drivers: { efs?: pulumi.Resource[]; fsx?: pulumi.Resource[] } = {},
): EksStorage {
  const out: EksStorage = { handles: buckets.handles, volumes: [], mounts: [], envFrom: [], bucketArns: buckets.bucketArns };
  plan.storage
    .filter((s) => s.kind === "nfs" || s.kind === "lustre")
    .forEach((entry) => {
      const h = buckets.handles.find((x) => x.name === entry.name)!;
      const fs = staticVolumeClaim(h, entry, { ...csiSource(h), capacity: NOMINAL_CAPACITY }, namespace, names, ctx, opts, (entry.kind === "lustre" ? drivers.fsx : drivers.efs) ?? []);
      out.volumes.push(fs.volume);
      out.mounts.push(fs.mount);
    });
  const bucketHandles = buckets.handles.filter((h) => h.kind === "object");
  if (bucketHandles.length === 0) return out;
  const data: Record<string, pulumi.Input<string>> = { AWS_REGION: plan.region };
  bucketHandles.forEach((h) => (data[bucketVariable(h.name)] = h.id));
  const config = new ConfigMap(`${ctx.name}-buckets`, { metadata: { name: `${names.base}-buckets`, namespace, labels: names.labels }, data }, opts);
  out.envFrom.push({ configMapRef: { name: config.metadata.name } });
  return out;
}
