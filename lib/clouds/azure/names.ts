/** Tags every Azure resource carries, and names Azure constrains more than Pulumi does. */
import { createHash } from "node:crypto";
import { stackScopedHash } from "../shared/stack-hash.js";
import type { AzureOptions } from "./options.js";
import { refuseDerivedClashes } from "../../spec/storage-identity.js";

export function azureTags(name: string, options: AzureOptions): Record<string, string> {
  return { ...(options.tags ?? {}), "gpu-cluster:name": name, "managed-by": "gpu-cluster" };
}

/**
 * A globally unique, deterministic name made only of lower-case letters and digits
 * (storage accounts: 3–24 characters, no hyphens). The hash of project, stack and
 * resource name keeps two stacks of one program apart without a random provider.
 */
export function globalName(resourceName: string, maxLength = 24): string {
  const hash = stackScopedHash(resourceName, 10);
  const stem = resourceName.toLowerCase().replace(/[^a-z0-9]/g, "").slice(0, maxLength - hash.length) || "gc";
  return `${stem}${hash}`;
}

/** The scale set's computer-name prefix: letters, digits and hyphens, starting with a letter. */
export function computerNamePrefix(name: string): string {
  const cleaned = name.toLowerCase().replace(/[^a-z0-9-]/g, "").replace(/^[^a-z]+/, "");
  return (cleaned || "node").slice(0, 15).replace(/-+$/, "") || "node";
}

/** LUNs a scale set's data disks may take (0 to 63: https://learn.microsoft.com/rest/api/compute/virtual-machine-scale-sets/create-or-update, VirtualMachineScaleSetDataDisk.lun, read 2026-11-30). */
export const DATA_DISK_LUNS = 64;

/**
 * A `block` entry's data disk LUN, from the storage entry's stable name: the node finds its disk by LUN and a changed
 * LUN is a different disk, so it never follows the entry's position among the other `block` entries.
 */
export function dataDiskLun(storageName: string): number {
  return Number.parseInt(createHash("sha256").update(storageName).digest("hex").slice(0, 8), 16) % DATA_DISK_LUNS;
}

/** Throws a SpecError when two `block` entries would take the same LUN (names whose hashes meet). */
export function checkDataDiskLuns(storage: readonly { kind: string; name: string }[]): void {
  refuseDerivedClashes(
    storage,
    "block",
    dataDiskLun,
    (a, i, b, lun) =>
      `data disks '${a}' (storage[${i}]) and '${b}' would share LUN ${lun} of the scale set`,
    "give whichever of the two you are adding another storage[].name; renaming an entry that exists replaces its disk",
  );
}
