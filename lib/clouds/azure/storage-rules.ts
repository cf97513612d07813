/**
 * How a guarded Azure NetApp Files volume is kept (./storage.ts builds it), as plain values: the option checks put it
 * in their notes without loading @pulumi/azure-native (test/package.test.ts).
 */
import type { StoragePlan } from "../../planner/types.js";

/**
 * The snapshot policy of a guarded Azure NetApp Files volume: a daily snapshot kept a week and a weekly one kept four
 * weeks, so a deleted or overwritten file can be restored from the volume's `.snapshot` directory or the volume
 * reverted. Scheduled snapshots are taken only when a snapshot policy is attached to the volume ("Manage snapshot
 * policies in Azure NetApp Files", https://learn.microsoft.com/en-us/azure/azure-netapp-files/snapshots-manage-policy,
 * read 2026-11-30); a volume holds at most 255 snapshots across all schedules
 * (https://learn.microsoft.com/en-us/azure/azure-netapp-files/troubleshoot-snapshot-policies, read 2026-11-30), these
 * keep 11. The counts are this library's choice: Microsoft documents the schedules, not a retention.
 */
export const NETAPP_SNAPSHOT_SCHEDULE = {
  dailySchedule: { snapshotsToKeep: 7, hour: 2, minute: 0 },
  weeklySchedule: { snapshotsToKeep: 4, day: "Sunday", hour: 3, minute: 0 },
} as const;

/**
 * Mode of a NetApp volume's mount root: sticky and world-writable, like /tmp. Azure NetApp Files creates the root of an
 * NFS volume owned by root with mode 0770 unless the volume sets `unixPermissions` (4 octal digits, the first for
 * setuid/setgid/sticky; the setting applies to the mount path only, not the files under it, and can be changed after
 * creation: "Configure Unix permissions and change ownership mode for Azure NetApp Files NFS and dual-protocol
 * volumes", https://learn.microsoft.com/en-us/azure/azure-netapp-files/configure-unix-permissions-change-ownership-mode,
 * read 2026-12-01). With 0770 only root could write: not the VM's admin user nor a non-root training pod. 1777 lets
 * every user of the cluster create files there while the sticky bit keeps anyone from deleting another user's files;
 * the export policy already limits who can mount the volume to the node subnet. Changing it later updates the volume
 * in place.
 */
export const NETAPP_MOUNT_ROOT_MODE = "1777";

/**
 * The plan note of a guarded NetApp volume: what the snapshots keep, and why the estimate adds nothing for them.
 * Snapshots hold the blocks changed since they were taken inside the volume's own quota; Azure NetApp Files bills the
 * provisioned capacity pool, which the estimate already prices, and charges nothing separate for snapshots
 * (https://learn.microsoft.com/en-us/azure/azure-netapp-files/snapshots-introduction, read 2026-11-30).
 */
export function netappSnapshotNote(s: Pick<StoragePlan, "name">): string {
  const { dailySchedule: daily, weeklySchedule: weekly } = NETAPP_SNAPSHOT_SCHEDULE;
  return (
    `storage '${s.name}': a snapshot policy keeps ${daily.snapshotsToKeep} daily and ${weekly.snapshotsToKeep} weekly snapshots of the NetApp volume (storage[].deletionProtection); ` +
    "they take space from the volume's own capacity (the blocks changed since each snapshot), which the capacity pool already priced pays for, so a volume that rewrites much of its data fills sooner"
  );
}

/**
 * How every client mounts a NetApp Files volume (NFSv4.1, the only protocol the volumes export: ./storage.ts): hard
 * mounts (an I/O waits out a service event instead of failing a training step), 256 KiB reads and writes, TCP. One
 * list for the VM nodes' mount command (./bootstrap.ts) and the AKS PersistentVolume's `mountOptions`
 * (./aks/netapp-claims.ts), so pods and VMs mount the same volume the same way.
 */
export const NETAPP_NFS_MOUNT_OPTIONS = ["rw", "hard", "rsize=262144", "wsize=262144", "vers=4.1", "tcp"] as const;

/**
 * How every client mounts Azure Managed Lustre: `noatime` (no metadata write per read) and `flock` (POSIX locks across
 * clients, which checkpoint writers and HDF5/NetCDF readers take). One list for the VM nodes' mount command
 * (./bootstrap.ts) and the AKS PersistentVolume's `mountOptions` (./aks/lustre-claims.ts). The options Microsoft's own
 * examples use on both: the AKS static volume and storage class of the Azure Lustre CSI driver
 * (kubernetes-sigs/azurelustre-csi-driver docs/examples/pv.yaml and storageclass_existing_lustre.yaml at tag v0.4.0,
 * 9011a5fc, 2026-04-01), Microsoft's AKS training reference (Azure/ai-infrastructure-on-azure
 * storage_references/aks/shared_storage/helm/amlfs-shared-storage/values.yaml `mountOptions`, @ba460bc8, 2025-11-14),
 * and the AKS static provisioning guide (https://learn.microsoft.com/azure/aks/azure-managed-lustre-static-provisioning,
 * read 2026-12-01).
 */
export const AMLFS_MOUNT_OPTIONS = ["noatime", "flock"] as const;

/** The Lustre file system name Azure Managed Lustre gives every file system: clients mount `<MGS IP>@tcp:/lustrefs`. */
export const AMLFS_FS_NAME = "lustrefs";
