/**
 * Storage on EKS: the VM compiler's S3 buckets and EFS file systems. A bucket (private, KMS-encrypted, owner enforced)
 * is named to the pods in a ConfigMap as `GPU_CLUSTER_BUCKET_<NAME>` (the storage name) with `AWS_REGION`; S3 SDKs get the
 * credentials of the component's pod role through EKS Pod Identity (addons.ts), not the node's. An EFS file system
 * (encrypted at rest, a mount target in each GPU node subnet, in the nodes' security group) is a statically provisioned
 * PersistentVolume of the EFS CSI driver with encryption in transit (TLS), bound to one claim in the workload's
 * namespace and mounted by every pod at its mount path. The kubelet's plain `nfs` volume cannot do TLS, so the driver
 * (the `aws-efs-csi-driver` add-on, addons.ts) mounts it with the EFS mount helper's `tls`.
 * FSx for Lustre and block volumes are rejected by the checks.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigMap, PersistentVolume, PersistentVolumeClaim } from "@pulumi/kubernetes/core/v1";
import type * as k8s from "@pulumi/kubernetes/types/input";
import type { WorkloadStorage } from "../../kubernetes/target.js";
import type { WorkloadNames } from "../../kubernetes/names.js";
import type { Plan, StoragePlan } from "../../../planner/types.js";
import type { CompileContext, StorageHandle } from "../../types.js";
import { bucketVariable, storageVolumeName } from "../../kubernetes/storage.js";
import { awsStorage } from "../storage.js";
import { dataOptions, storageResourceName } from "../../shared/storage.js";

export interface EksStorage extends WorkloadStorage {
  bucketArns: pulumi.Output<string>[];
}

/** The EFS CSI driver's name, as PersistentVolumes name it. */
export const EFS_CSI_DRIVER = "efs.csi.aws.com";

/**
 * The EFS CSI driver's static-volume attributes: encryption in transit on. The driver encrypts by default and
 * `encryptInTransit: "false"` turns it off; the component says so explicitly, so a changed default cannot turn it off
 * (kubernetes-sigs/aws-efs-csi-driver examples/kubernetes/encryption_in_transit/README.md, read 2026-11-30;
 * https://docs.aws.amazon.com/eks/latest/userguide/efs-csi.html).
 */
export const EFS_VOLUME_ATTRIBUTES = { encryptInTransit: "true" } as const;

/**
 * The capacity a static EFS volume and its claim state. EFS is elastic and the driver ignores it; Kubernetes requires
 * one, and the claim binds only to a volume at least this large: a constant, so no update resizes either.
 */
const NOMINAL_CAPACITY = "1Gi";

/** The AWS side (buckets, file systems), before the cluster exists: the node role needs the buckets' ARNs. */
export function eksBuckets(plan: Plan, subnetIds: pulumi.Input<string>[], securityGroupId: pulumi.Input<string>, ctx: CompileContext, tags: Record<string, string>) {
  return awsStorage(plan, subnetIds, securityGroupId, ctx, tags);
}

/**
 * One EFS file system as a pod volume: a PersistentVolume of the EFS CSI driver (TLS on, kept when the claim goes:
 * `Retain`, reserved for this component's claim) and the claim in the workload's namespace, guarded as its storage
 * entry is. The PersistentVolume is cluster-wide, so it is named after the component's unique base name and the
 * storage name, never a list position.
 */
function efsVolume(
  handle: StorageHandle,
  entry: Pick<StoragePlan, "kind" | "name" | "deletionProtection">,
  namespace: pulumi.Input<string>,
  names: WorkloadNames,
  ctx: CompileContext,
  opts: pulumi.CustomResourceOptions,
  dependsOn: pulumi.Resource[],
) {
  const name = `${names.base}-${handle.name}`;
  const id = storageResourceName(ctx, entry);
  const volume = new PersistentVolume(
    `${id}-pv`,
    {
      metadata: { name, labels: names.labels },
      spec: {
        capacity: { storage: NOMINAL_CAPACITY },
        accessModes: ["ReadWriteMany"],
        persistentVolumeReclaimPolicy: "Retain",
        storageClassName: "",
        volumeMode: "Filesystem",
        claimRef: { namespace, name },
        csi: { driver: EFS_CSI_DRIVER, volumeHandle: handle.id, volumeAttributes: { ...EFS_VOLUME_ATTRIBUTES } },
      },
    },
    { ...opts, dependsOn },
  );
  const claim = new PersistentVolumeClaim(
    `${id}-pvc`,
    {
      metadata: { name, namespace, labels: names.labels },
      spec: { accessModes: ["ReadWriteMany"], storageClassName: "", volumeName: volume.metadata.name, resources: { requests: { storage: NOMINAL_CAPACITY } } },
    },
    dataOptions(entry, opts),
  );
  const podVolume: k8s.core.v1.Volume = { name: storageVolumeName(handle.name), persistentVolumeClaim: { claimName: claim.metadata.name } };
  return { volume: podVolume, mount: { name: storageVolumeName(handle.name), mountPath: handle.mountPath }, claim };
}

/**
 * The pod side: one ConfigMap naming every bucket, one EFS CSI volume per file system. `efsDriver`: what the volumes
 * wait for (the driver add-on on a cluster this component made; none on an existing cluster, which brings its own).
 */
export function eksPodStorage(
  plan: Plan,
  buckets: ReturnType<typeof eksBuckets>,
  namespace: pulumi.Input<string>,
  names: WorkloadNames,
  ctx: CompileContext,
  opts: pulumi.CustomResourceOptions,
  efsDriver: pulumi.Resource[] = [],
): EksStorage {
  const out: EksStorage = { handles: buckets.handles, volumes: [], mounts: [], envFrom: [], bucketArns: buckets.bucketArns };
  plan.storage
    .filter((s) => s.kind === "nfs")
    .forEach((entry) => {
      const h = buckets.handles.find((x) => x.name === entry.name)!;
      const efs = efsVolume(h, entry, namespace, names, ctx, opts, efsDriver);
      out.volumes.push(efs.volume);
      out.mounts.push(efs.mount);
    });
  const bucketHandles = buckets.handles.filter((h) => h.kind === "object");
  if (bucketHandles.length === 0) return out;
  const data: Record<string, pulumi.Input<string>> = { AWS_REGION: plan.region };
  bucketHandles.forEach((h) => (data[bucketVariable(h.name)] = h.id));
  const config = new ConfigMap(`${ctx.name}-buckets`, { metadata: { name: `${names.base}-buckets`, namespace, labels: names.labels }, data }, opts);
  out.envFrom.push({ configMapRef: { name: config.metadata.name } });
  return out;
}
