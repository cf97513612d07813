/**
 * The cluster side of Managed Lustre on GKE: the Lustre CSI add-on's settings and the node version it needs, as data the
 * options checks and plan notes read without loading the builders (./lustre.ts has the volumes and the sources).
 */
import type { Plan } from "../../../planner/types.js";

/** GKE's managed Lustre CSI driver (the CSIDriver name the add-on installs). */
export const GKE_LUSTRE_CSI_DRIVER = "lustre.csi.storage.gke.io";

/**
 * GKE node version from which the add-on's default LNet port (988) works beside gke-metadata-server, so the legacy
 * port (6988) stays off: LustreCsiDriverConfig.enable_legacy_lustre_port is needed only below it, or for an instance
 * made with gke-support-enabled (https://cloud.google.com/python/docs/reference/container/latest/google.cloud.
 * container_v1.types.LustreCsiDriverConfig, read 2026-12-01). The driver itself needs 1.33.2-gke.1111000 and
 * Container-Optimized OS nodes (limitations in https://cloud.google.com/kubernetes-engine/docs/concepts/managed-lustre,
 * read 2026-12-01), which the pools here are (COS_CONTAINERD, ./node-pool.ts).
 */
export const GKE_LUSTRE_MIN_NODE_VERSION = "1.33.2-gke.4655000";

/** The cluster's Lustre CSI add-on: on, LNet on the default port (the instances are made without gkeSupportEnabled). */
export const GKE_LUSTRE_ADDON = { enabled: true, enableLegacyLustrePort: false } as const;

/** Whether the plan mounts Managed Lustre (and so the cluster needs the add-on). */
export function plansLustre(plan: Pick<Plan, "storage">): boolean {
  return plan.storage.some((s) => s.kind === "lustre");
}

/** The new cluster's `addonsConfig` for the plan: the Lustre CSI add-on when the plan has Lustre, else nothing set. */
export function gkeLustreAddons(plan: Pick<Plan, "storage">): { addonsConfig?: { lustreCsiDriverConfig: typeof GKE_LUSTRE_ADDON } } {
  return plansLustre(plan) ? { addonsConfig: { lustreCsiDriverConfig: GKE_LUSTRE_ADDON } } : {};
}
