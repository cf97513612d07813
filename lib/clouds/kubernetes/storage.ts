/** Shared file systems as pod volumes, for the managed-Kubernetes compilers. */
import type * as k8s from "@pulumi/kubernetes/types/input";
import type { StorageHandle } from "../types.js";

/** The pod volume of a storage entry, named after its stable name (a reorder of `storage[]` re-mounts nothing). */
export function storageVolumeName(storageName: string): string {
  return `storage-${storageName}`;
}

/** The variable that names a storage entry's bucket to the pods: `GPU_CLUSTER_BUCKET_<NAME>` (`datasets` → `GPU_CLUSTER_BUCKET_DATASETS`). */
export function bucketVariable(storageName: string): string {
  return `GPU_CLUSTER_BUCKET_${storageName.toUpperCase().replace(/-/g, "_")}`;
}

/**
 * One `nfs` volume and mount per NFS handle (EFS, Filestore, NetApp Files), named after the entry's storage name.
 * The kubelet mounts NFS
 * with the node's own client, so no CSI driver or privileged pod is needed. `path` is the export (`/` on EFS, the
 * share on Filestore, the volume's creation token on NetApp Files). The export's root belongs to root and NFS
 * ignores `fsGroup`: pods running as another user (inference, by default) read it, and write where you allow them.
 */
export function nfsVolumes(handles: readonly StorageHandle[]): { volumes: k8s.core.v1.Volume[]; mounts: k8s.core.v1.VolumeMount[] } {
  const volumes: k8s.core.v1.Volume[] = [];
  const mounts: k8s.core.v1.VolumeMount[] = [];
  handles.forEach((handle) => {
    if (!handle.nfs) return;
    const name = storageVolumeName(handle.name);
    volumes.push({ name, nfs: { server: handle.nfs.server, path: handle.nfs.path } });
    mounts.push({ name, mountPath: handle.mountPath });
  });
  return { volumes, mounts };
}
