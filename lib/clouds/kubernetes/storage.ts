/** Shared file systems as pod volumes, for the managed-Kubernetes compilers. */
import type * as k8s from "@pulumi/kubernetes/types/input";
import type { StorageHandle } from "../types.js";

/**
 * One `nfs` volume and mount per NFS handle (EFS, Filestore); `handles[i]` belongs to the plan's `storage[i]` (the
 * volume is `storage-<i>`). The kubelet mounts NFS
 * with the node's own client, so no CSI driver or privileged pod is needed. `path` is the export (`/` on EFS, the
 * share on Filestore, the volume's creation token on NetApp Files). The export's root belongs to root and NFS
 * ignores `fsGroup`: pods running as another user (inference, by default) read it, and write where you allow them.
 */
export function nfsVolumes(handles: readonly (StorageHandle | undefined)[]): { volumes: k8s.core.v1.Volume[]; mounts: k8s.core.v1.VolumeMount[] } {
  const volumes: k8s.core.v1.Volume[] = [];
  const mounts: k8s.core.v1.VolumeMount[] = [];
  handles.forEach((handle, index) => {
    if (!handle?.nfs) return;
    const name = `storage-${index}`;
    volumes.push({ name, nfs: { server: handle.nfs.server, path: handle.nfs.path } });
    mounts.push({ name, mountPath: handle.mountPath });
  });
  return { volumes, mounts };
}
