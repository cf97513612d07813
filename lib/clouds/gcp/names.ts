/**
 * GCP naming rules: most resources are auto-named by Pulumi from `${name}-<role>`,
 * which GCP accepts only when the component name is lowercase letters, digits and
 * hyphens. The few ids GCP makes us choose (service account, Lustre instance and
 * file system) are derived here, with a short hash so two stacks never collide.
 */
import { createHash } from "node:crypto";
import { stackScopedHash } from "../shared/stack-hash.js";
import { SpecError } from "../../spec/errors.js";
import { refuseDerivedClashes } from "../../spec/storage-identity.js";
import type { GcpOptions } from "./options.js";

/** Longest component name that leaves room for `-<role>` and Pulumi's 8-character suffix under GCP's 63. */
export const MAX_NAME_LENGTH = 36;

/** Throws a SpecError when the component name cannot prefix GCP resource names. */
export function checkComponentName(name: string): void {
  if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > MAX_NAME_LENGTH) {
    throw new SpecError(
      "name",
      `'${name}' cannot prefix GCP resource names (lowercase letters, digits and hyphens, starting with a letter, at most ${MAX_NAME_LENGTH} characters)`,
      `e.g. '${name.toLowerCase().replace(/[^-a-z0-9]/g, "-").replace(/^[^a-z]+/, "").slice(0, MAX_NAME_LENGTH) || "pretrain"}'`,
    );
  }
}

/**
 * GKE's longest cluster or node pool name: "must start with a lowercase letter followed by up to 39 lowercase letters,
 * numbers, or hyphens" (GKE API; GoogleCloudPlatform/magic-modules PR #18477, 2026-07-30: "GKE's 40-character limit
 * for NodePool.name", read 2026-12-01). Compute Engine's 63 does not apply to them.
 */
export const GKE_NAME_MAX = 40;

/**
 * What Pulumi appends when it auto-names a resource: the separator `-` and 7 random characters
 * (pulumi/pulumi-terraform-bridge pkg/tfbridge/info/autonaming.go @f75c416a `AutoName`: Randlen 7; pulumi/pulumi-gcp
 * @ed6078aa provider/resources.go `prov.SetAutonaming(255, "-")`, with no `name` override for google_container_cluster
 * or google_container_node_pool).
 */
export const AUTONAME_SUFFIX_LENGTH = 8;

/** The Pulumi names of the GKE resources that take no `name` input, so their cloud names are `<this>-<7 random>`. */
export const GKE_RESOURCE_ROLES = { cluster: "gke", gpuPool: "gpu-nodes", systemPool: "system-nodes" } as const;
export type GkeResourceRole = keyof typeof GKE_RESOURCE_ROLES;

/** The Pulumi name of the component's GKE cluster or node pool (auto-named from it: see {@link checkGkeComponentName}). */
export function gkeResourceName(name: string, role: GkeResourceRole): string {
  return `${name}-${GKE_RESOURCE_ROLES[role]}`;
}

/**
 * The GKE resources the component auto-names: a new cluster, its system pool and the GPU pool; on an existing
 * cluster the GPU pool only.
 */
function gkeAutoNamed(existingCluster: boolean): GkeResourceRole[] {
  return existingCluster ? ["gpuPool"] : ["cluster", "systemPool", "gpuPool"];
}

/** The longest component name whose auto-named GKE cluster and pools fit in {@link GKE_NAME_MAX}: 19 (new cluster), 22 (existing). */
export function maxGkeComponentName(existingCluster: boolean): number {
  return Math.min(...gkeAutoNamed(existingCluster).map((role) => GKE_NAME_MAX - AUTONAME_SUFFIX_LENGTH - GKE_RESOURCE_ROLES[role].length - 1));
}

/**
 * Throws a SpecError when a GKE cluster or node pool auto-named from the component name would be longer than GKE
 * takes: `up` would create the cluster and then fail on its pools. Every such name is longer than any name a stack
 * has deployed, so the check changes nothing that exists.
 */
export function checkGkeComponentName(name: string, existingCluster: boolean): void {
  const max = maxGkeComponentName(existingCluster);
  if (name.length <= max) return;
  const role = gkeAutoNamed(existingCluster).reduce((a, b) => (GKE_RESOURCE_ROLES[b].length > GKE_RESOURCE_ROLES[a].length ? b : a));
  const longest = gkeResourceName(name, role);
  throw new SpecError(
    "name",
    `'${name}' (${name.length} characters) names the GKE ${role === "cluster" ? "cluster" : "node pool"} '${longest}-' plus Pulumi's 7 random characters, ${longest.length + AUTONAME_SUFFIX_LENGTH} characters, and GKE allows ${GKE_NAME_MAX}`,
    `use a component name of at most ${max} characters${existingCluster ? " on an existing cluster" : ""}, e.g. '${name.slice(0, max).replace(/-+$/, "")}'`,
  );
}

/** Six hex characters that differ per project, stack and component. */
function shortHash(name: string): string {
  return stackScopedHash(name, 6);
}

/** A service account id: 6-30 characters, `[a-z][-a-z0-9]*[a-z0-9]`. */
export function serviceAccountId(name: string): string {
  return `${name.slice(0, 30 - 7).replace(/-+$/, "")}-${shortHash(name)}`;
}

/**
 * The Secret Manager id of a training cluster's SSH key (1-255 of `[A-Za-z0-9_-]`): the component name and the
 * project/stack hash, so two stacks of one project never share it, and nothing in it changes in normal use.
 */
export function clusterKeySecretId(name: string): string {
  return `${name}-cluster-ssh-key-${shortHash(name)}`;
}

/** A Managed Lustre instance id (1-63 characters), from the component and the storage entry's stable name. */
export function lustreInstanceId(name: string, storageName: string): string {
  return `${name.slice(0, 30).replace(/-+$/, "")}-${storageName}-${shortHash(name)}`;
}

/** A Managed Lustre file system name: at most 8 letters and digits, from the storage entry's stable name. */
export function lustreFilesystemName(storageName: string): string {
  return storageName.replace(/[^a-z0-9]/g, "").slice(0, 8);
}

/**
 * Throws a SpecError when two `lustre` entries' names give the same file system name ({@link lustreFilesystemName}:
 * letters and digits, first 8): one node cannot mount two Managed Lustre volumes with the same file system name (GKE's
 * Lustre CSI driver refuses the second with AlreadyExists, GoogleCloudPlatform/lustre-csi-driver@89f1eb73
 * pkg/csi_driver/node.go hasMountWithSameFSName; "not supported" in the limitations of
 * https://cloud.google.com/kubernetes-engine/docs/concepts/managed-lustre, read 2026-12-01).
 */
export function checkLustreFilesystemNames(storage: readonly { kind: string; name: string }[]): void {
  refuseDerivedClashes(
    storage,
    "lustre",
    lustreFilesystemName,
    (a, i, b, fsname) =>
      `Managed Lustre entries '${a}' (storage[${i}]) and '${b}' would both get the file system name '${fsname}' (letters and digits of the name, first 8), and one node cannot mount two Lustre volumes with the same file system name`,
    "give whichever of the two you are adding a name that differs in its first 8 letters and digits; renaming an entry that exists replaces its Lustre instance",
  );
}

/** /29 blocks in the /24 the address plan keeps for Filestore. */
export const FILESTORE_SLOTS = 32;

/**
 * The Filestore instance's /29 within that /24, from the storage entry's stable name: its reserved range forces a new
 * instance when it changes, so it never follows the entry's position among the other `nfs` entries.
 */
export function filestoreSlot(storageName: string): number {
  return Number.parseInt(createHash("sha256").update(storageName).digest("hex").slice(0, 8), 16) % FILESTORE_SLOTS;
}

/** Throws a SpecError when two `nfs` entries would take the same Filestore /29 (names whose hashes meet). */
export function checkFilestoreSlots(storage: readonly { kind: string; name: string }[]): void {
  refuseDerivedClashes(
    storage,
    "nfs",
    filestoreSlot,
    (a, i, b, slot) =>
      `Filestore instances '${a}' (storage[${i}]) and '${b}' would share reserved address block ${slot} of ${FILESTORE_SLOTS}`,
    "give whichever of the two you are adding another storage[].name; renaming an entry that exists replaces its Filestore instance",
  );
}

/** Labels on every labelled resource. */
export function gcpLabels(name: string, options: GcpOptions): Record<string, string> {
  return { ...(options.labels ?? {}), "gpu-cluster-name": name, "managed-by": "gpu-cluster" };
}
