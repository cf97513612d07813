/**
 * A file system in the pods through a statically provisioned PersistentVolume bound to one claim in the workload's
 * namespace: how EKS mounts EFS / FSx for Lustre (their CSI drivers) and AKS mounts NetApp Files (the kubelet's NFS
 * client with the VMs' mount options). One builder, so the naming and guard rules live in one place:
 * - both are named after the component's unique base name and the storage name, never a list position (the volume is
 *   cluster-wide);
 * - the volume is kept when the claim goes (`Retain`) and reserved for this claim (`claimRef`);
 * - the claim is guarded as its storage entry is (protect + retainOnDelete by default).
 */
import type * as pulumi from "@pulumi/pulumi";
import { PersistentVolume, PersistentVolumeClaim } from "@pulumi/kubernetes/core/v1";
import type * as k8s from "@pulumi/kubernetes/types/input";
import type { Plan, StoragePlan } from "../../planner/types.js";
import type { CompileContext, StorageHandle } from "../types.js";
import type { WorkloadNames } from "./names.js";
import { storageVolumeName } from "./storage.js";
import { dataOptions, storageResourceName } from "../shared/storage.js";

/**
 * What the volume mounts: exactly one of a CSI source or an NFS source, with the mount options the kubelet passes.
 * `capacity` is the nominal size both the volume and the claim state (Kubernetes requires one; the file system's own
 * size is the cloud's): a constant, so no update resizes either.
 */
export interface StaticVolumeSource {
  csi?: k8s.core.v1.CSIPersistentVolumeSource;
  nfs?: k8s.core.v1.NFSVolumeSource;
  mountOptions?: string[];
  capacity: string;
}

/**
 * The nominal size a static volume and its claim state: the drivers ignore it (the file system's size is the cloud's),
 * Kubernetes requires one, and a claim binds only to a volume at least this large. A constant, so growing or
 * shrinking the file system never touches either (a bound claim's request cannot shrink, and growing it would ask the
 * driver for an expansion).
 */
export const STATIC_VOLUME_CAPACITY = "1Gi";

/**
 * The name of a storage entry's static volume and claim: the component's unique base name and the storage name. Also a
 * unique CSI volume handle within the cluster, for drivers whose static volumes take any (Azure Lustre).
 */
export function staticVolumeName(names: Pick<WorkloadNames, "base">, storageName: string): string {
  return `${names.base}-${storageName}`;
}

export function staticVolumeClaim(
  handle: Pick<StorageHandle, "name" | "mountPath">,
  entry: Pick<StoragePlan, "kind" | "name" | "deletionProtection">,
  source: StaticVolumeSource,
  namespace: pulumi.Input<string>,
  names: WorkloadNames,
  ctx: CompileContext,
  opts: pulumi.CustomResourceOptions,
  dependsOn?: pulumi.Resource[],
): { volume: k8s.core.v1.Volume; mount: k8s.core.v1.VolumeMount; claim: PersistentVolumeClaim } {
  const name = staticVolumeName(names, handle.name);
  const id = storageResourceName(ctx, entry);
  const persistentVolume = new PersistentVolume(
    `${id}-pv`,
    {
      metadata: { name, labels: names.labels },
      spec: {
        capacity: { storage: source.capacity },
        accessModes: ["ReadWriteMany"],
        persistentVolumeReclaimPolicy: "Retain",
        storageClassName: "",
        volumeMode: "Filesystem",
        claimRef: { namespace, name },
        ...(source.mountOptions ? { mountOptions: source.mountOptions } : {}),
        ...(source.csi ? { csi: source.csi } : {}),
        ...(source.nfs ? { nfs: source.nfs } : {}),
      },
    },
    dependsOn ? { ...opts, dependsOn } : opts,
  );
  const claim = new PersistentVolumeClaim(
    `${id}-pvc`,
    {
      metadata: { name, namespace, labels: names.labels },
      spec: { accessModes: ["ReadWriteMany"], storageClassName: "", volumeName: persistentVolume.metadata.name, resources: { requests: { storage: source.capacity } } },
    },
    dataOptions(entry, opts),
  );
  return {
    volume: { name: storageVolumeName(handle.name), persistentVolumeClaim: { claimName: claim.metadata.name } },
    mount: { name: storageVolumeName(handle.name), mountPath: handle.mountPath },
    claim,
  };
}

/**
 * One guarded static volume and claim per handle whose storage entry exists and whose source `sourceOf` gives (a
 * handle it returns undefined for is skipped), as the pods' volumes and mounts: the loop GKE's and AKS's Lustre share.
 */
export function staticVolumeClaims<H extends Pick<StorageHandle, "name" | "mountPath">>(
  plan: Pick<Plan, "storage">,
  handles: readonly H[],
  sourceOf: (handle: H) => StaticVolumeSource | undefined,
  namespace: pulumi.Input<string>,
  names: WorkloadNames,
  ctx: CompileContext,
  opts: pulumi.CustomResourceOptions,
  dependsOn: pulumi.Resource[],
): { volumes: k8s.core.v1.Volume[]; mounts: k8s.core.v1.VolumeMount[] } {
  const volumes: k8s.core.v1.Volume[] = [];
  const mounts: k8s.core.v1.VolumeMount[] = [];
  for (const handle of handles) {
    const entry = plan.storage.find((s) => s.name === handle.name);
    const source = entry && sourceOf(handle);
    if (!entry || !source) continue;
    const { volume, mount } = staticVolumeClaim(handle, entry, source, namespace, names, ctx, opts, dependsOn);
    volumes.push(volume);
    mounts.push(mount);
  }
  return { volumes, mounts };
}
