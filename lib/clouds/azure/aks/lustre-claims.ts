/**
 * Azure Managed Lustre in the pods on AKS: each `lustre` entry is a statically provisioned PersistentVolume of the
 * Azure Lustre CSI driver (./lustre-csi.ts), bound to one claim in the workload's namespace, which every pod mounts at
 * the entry's mount path. The volume is the one the driver's static provisioning example describes (kubernetes-sigs/
 * azurelustre-csi-driver docs/examples/pv.yaml and pvc_pv.yaml at tag v0.4.0, 9011a5fc, 2026-04-01; docs/static-
 * provisioning.md "Option 2: Use PV"):
 * - `csi.driver` azurelustre.csi.azure.com, `volumeAttributes` the file system's MGS address (`mgs-ip-address`, from
 *   the AmlFilesystem's `clientInfo.mgsAddress`). No `fs-name`: at v0.4.0 the node reads only `mgs-ip-address`,
 *   `sub-dir` and its own internal keys (newLustreVolume in pkg/azurelustre/nodeserver.go) and always mounts
 *   `<mgs>@tcp:/lustrefs` (DefaultLustreFsName), the name Azure Managed Lustre gives every file system (AMLFS_FS_NAME);
 * - a `volumeHandle` unique in the cluster (the example's only rule for it): the volume's own name, the component's
 *   base name and the storage name, so it never follows a list position or a node count;
 * - ReadWriteMany, `Retain` ("Delete" is not supported in static provisioning, says the example), the `noatime,flock`
 *   mount options (AMLFS_MOUNT_OPTIONS, as the VM nodes mount it); the claim binds it by name with no storage class.
 * Naming and guards are the shared builder's (../../kubernetes/static-volume.ts): the claim is guarded as its storage
 * entry is (protect + retainOnDelete by default).
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as k8s from "@pulumi/kubernetes/types/input";
import type { Plan } from "../../../planner/types.js";
import type { CompileContext, StorageHandle } from "../../types.js";
import type { WorkloadNames } from "../../kubernetes/names.js";
import { STATIC_VOLUME_CAPACITY, staticVolumeClaims, staticVolumeName } from "../../kubernetes/static-volume.js";
import { AMLFS_MOUNT_OPTIONS } from "../storage-rules.js";
import { AZURE_LUSTRE_CSI } from "./lustre-csi.js";

/**
 * The capacity the volume and its claim state. The driver ignores it for a static volume (the file system's size is
 * Azure's), Kubernetes requires one, and the claim binds only to a volume at least this large: a constant, so growing
 * or shrinking the file system never touches either.
 */
export const LUSTRE_CLAIM_CAPACITY = STATIC_VOLUME_CAPACITY;

/** The CSI source of a Lustre entry's static volume. */
export function amlfsCsiSource(volumeName: string, mgsAddress: pulumi.Input<string>): k8s.core.v1.CSIPersistentVolumeSource {
  return { driver: AZURE_LUSTRE_CSI.driver, volumeHandle: volumeName, volumeAttributes: { "mgs-ip-address": mgsAddress } };
}

/**
 * One claim per Lustre handle. `mgsAddresses`: the file systems' MGS addresses by storage name (../storage.ts);
 * `driver`: what the volumes wait for (the CSIDriver object).
 */
export function lustreClaims(
  plan: Plan,
  handles: readonly StorageHandle[],
  mgsAddresses: Record<string, pulumi.Input<string>>,
  namespace: pulumi.Input<string>,
  names: WorkloadNames,
  ctx: CompileContext,
  opts: pulumi.CustomResourceOptions,
  driver: pulumi.Resource[],
): { volumes: k8s.core.v1.Volume[]; mounts: k8s.core.v1.VolumeMount[] } {
  const sourceOf = (handle: StorageHandle) => {
    const mgs = mgsAddresses[handle.name];
    if (handle.kind !== "lustre" || mgs === undefined) return undefined;
    return { csi: amlfsCsiSource(staticVolumeName(names, handle.name), mgs), mountOptions: [...AMLFS_MOUNT_OPTIONS], capacity: LUSTRE_CLAIM_CAPACITY };
  };
  return staticVolumeClaims(plan, handles, sourceOf, namespace, names, ctx, opts, driver);
}
