/**
 * Google Cloud Managed Lustre in the pods on GKE: each `lustre` entry is the VM compiler's instance
 * (../storage.ts `managedLustreInstances`: same peering, zone, names and guards), reached through GKE's managed Lustre
 * CSI driver, an add-on of the cluster, as a statically provisioned PersistentVolume bound to one claim in the
 * workload's namespace, which every pod mounts at the entry's mount path.
 *
 * Sources (read 2026-12-01):
 * - the volume: GoogleCloudPlatform/lustre-csi-driver@89f1eb73 (2026-08-19) examples/pre-prov/preprov-pvc-pv.yaml and
 *   docs/preprov-guide.md, and https://cloud.google.com/managed-lustre/docs/lustre-csi-driver-existing-instance: driver
 *   `lustre.csi.storage.gke.io`, `volumeHandle` `<project>/<zone>/<instance id>`, `volumeAttributes` `ip` (the
 *   instance's address) and `filesystem` (its file system name), ReadWriteMany, Retain, no storage class. The node
 *   plugin mounts `<ip>@tcp:/<filesystem>` (pkg/csi_driver/node.go NodeStageVolume; keys `ip` and `filesystem` in
 *   pkg/csi_driver/controller.go), the `mountPoint` the instance reports;
 * - the add-on: container.Cluster `addonsConfig.lustreCsiDriverConfig` (@pulumi/gcp 9.37.0 types/input.d.ts) and the
 *   GKE API's LustreCsiDriverConfig (https://cloud.google.com/python/docs/reference/container/latest/google.cloud.
 *   container_v1.types.LustreCsiDriverConfig): `enableLegacyLustrePort` (LNet on port 6988, the workaround for the port
 *   988 conflict with gke-metadata-server) is needed only on nodes older than 1.33.2-gke.4655000 or for an instance
 *   made with `gkeSupportEnabled`; the instances here are made without it, so it is off;
 * - multi-NIC: left at GKE's default. The driver spreads Lustre traffic only over standard NICs in the primary NIC's
 *   VPC (pkg/network/network.go validateNICs; "all standard NICs must reside in the same VPC network" on the
 *   existing-instance page) and never over RDMA NICs; every extra NIC of the GPU nodes here is in a VPC of its own
 *   (../network.ts fabricNetworks), so the driver uses the primary NIC alone either way, and `disableMultiNic` would
 *   change nothing;
 * - one node cannot mount two volumes with the same file system name (the driver answers AlreadyExists:
 *   node.go hasMountWithSameFSName; "not supported" in the limitations of
 *   https://cloud.google.com/kubernetes-engine/docs/concepts/managed-lustre): the checks refuse entries whose names
 *   give the same file system name (./options.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import type * as k8s from "@pulumi/kubernetes/types/input";
import type { Plan } from "../../../planner/types.js";
import type { CompileContext, StorageHandle } from "../../types.js";
import type { WorkloadNames } from "../../kubernetes/names.js";
import { STATIC_VOLUME_CAPACITY, staticVolumeClaims } from "../../kubernetes/static-volume.js";
import type { ManagedLustre } from "../storage.js";
import { GKE_LUSTRE_CSI_DRIVER } from "./lustre-addon.js";

/** The instance's address, from its mount point `<ip>@tcp:/<fsname>` (the only form the API reports it in). */
export function lustreAddress(mountPoint: string): string {
  return mountPoint.split("@")[0] ?? "";
}

/** The static volume's CSI source for one instance (`project`: the project the instance was made in). */
export function gkeLustreCsiSource(instance: ManagedLustre["instance"], project: pulumi.Input<string>): k8s.core.v1.CSIPersistentVolumeSource {
  return {
    driver: GKE_LUSTRE_CSI_DRIVER,
    volumeHandle: pulumi.interpolate`${project}/${instance.location}/${instance.instanceId}`,
    volumeAttributes: { ip: instance.mountPoint.apply(lustreAddress), filesystem: instance.filesystem },
  };
}

/**
 * One guarded claim per Lustre instance, named by its storage entry (the shared static-volume builder), and the pod
 * volume and mount. `dependsOn`: what the volumes wait for (the cluster, whose add-on installs the driver).
 */
export function gkeLustreClaims(
  plan: Plan,
  instances: readonly ManagedLustre[],
  project: pulumi.Input<string>,
  namespace: pulumi.Input<string>,
  names: WorkloadNames,
  ctx: CompileContext,
  opts: pulumi.CustomResourceOptions,
  dependsOn: pulumi.Resource[],
): { volumes: k8s.core.v1.Volume[]; mounts: k8s.core.v1.VolumeMount[] } {
  const byName = new Map(instances.map((lustre) => [lustre.name, lustre]));
  const sourceOf = (handle: StorageHandle) => {
    const lustre = byName.get(handle.name);
    return lustre && { csi: gkeLustreCsiSource(lustre.instance, project), capacity: STATIC_VOLUME_CAPACITY };
  };
  return staticVolumeClaims(plan, instances.map((lustre) => lustre.handle), sourceOf, namespace, names, ctx, opts, dependsOn);
}
