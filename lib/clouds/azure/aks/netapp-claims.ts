/**
 * NetApp Files volumes in the pods on AKS: each `nfs` entry is a statically provisioned PersistentVolume of the
 * kubelet's own NFS client, bound to one claim in the workload's namespace, so the mount carries the options the VM
 * nodes use (NETAPP_NFS_MOUNT_OPTIONS), which an inline `nfs` pod volume cannot state. Microsoft's guide for NetApp
 * Files NFS volumes on AKS exposes a statically created volume the same way: a PersistentVolume with `mountOptions`
 * and an `nfs` source, `storageClassName: ""`, ReadWriteMany, and a claim that names it ("Provision Azure NetApp Files
 * NFS volumes for Azure Kubernetes Service", "Statically configure for applications that use NFS volumes",
 * https://learn.microsoft.com/azure/aks/azure-netapp-files-nfs, read 2026-12-01). As on EKS (lib/clouds/aws/eks/storage.ts).
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as k8s from "@pulumi/kubernetes/types/input";
import type { Plan } from "../../../planner/types.js";
import type { CompileContext, StorageHandle } from "../../types.js";
import type { WorkloadNames } from "../../kubernetes/names.js";
import { staticVolumeClaim } from "../../kubernetes/static-volume.js";
import { NETAPP_NFS_MOUNT_OPTIONS } from "../storage-rules.js";

/**
 * The capacity the volume and its claim state. NFS enforces none (the NetApp volume's quota is its size), Kubernetes
 * requires one, and a claim without a storage class cannot be resized: a constant, so growing the NetApp volume never
 * touches either.
 */
export const NETAPP_CLAIM_CAPACITY = "1Gi";

/**
 * One claim per NetApp handle, named after the component's unique base name and the storage name (never a list
 * position; the PersistentVolume is cluster-wide). The volume is kept when the claim goes (`Retain`) and reserved for
 * this claim (`claimRef`); the claim is guarded as its storage entry is (protect + retainOnDelete by default).
 */
export function netappClaims(
  plan: Plan,
  handles: readonly StorageHandle[],
  namespace: pulumi.Input<string>,
  names: WorkloadNames,
  ctx: CompileContext,
  opts: pulumi.CustomResourceOptions,
): { volumes: k8s.core.v1.Volume[]; mounts: k8s.core.v1.VolumeMount[] } {
  const volumes: k8s.core.v1.Volume[] = [];
  const mounts: k8s.core.v1.VolumeMount[] = [];
  for (const handle of handles) {
    const entry = plan.storage.find((s) => s.name === handle.name);
    if (!handle.nfs || !entry) continue;
    const source = { nfs: { server: handle.nfs.server, path: handle.nfs.path }, mountOptions: [...NETAPP_NFS_MOUNT_OPTIONS], capacity: NETAPP_CLAIM_CAPACITY };
    const { volume, mount } = staticVolumeClaim(handle, entry, source, namespace, names, ctx, opts);
    volumes.push(volume);
    mounts.push(mount);
  }
  return { volumes, mounts };
}
