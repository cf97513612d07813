/**
 * The rules every compiler follows for a storage entry's resources, in one place:
 * - names come from the entry's stable name, never from its position in `storage[]`;
 * - resources that hold data are guarded against deletion unless the entry opts out;
 * - a zone that a preview-time lookup chose never moves them afterwards.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Plan, StoragePlan } from "../../planner/types.js";
import { SpecError } from "../../spec/errors.js";
import type { CompileContext } from "../types.js";

/** The Pulumi name of an entry's main resource: `<component>-<kind>-<storage name>`. */
export function storageResourceName(ctx: Pick<CompileContext, "name">, s: Pick<StoragePlan, "kind" | "name">): string {
  return `${ctx.name}-${s.kind}-${s.name}`;
}

/**
 * Longest Pulumi name of a storage resource on the clouds that take it as the cloud name (S3 and Cloud Storage
 * buckets, Filestore instances: 63 characters) after Pulumi's auto-naming suffix (`-` and 7 characters).
 */
const MAX_AUTONAMED = 63 - 8;
/** Clouds whose storage resources are auto-named from their Pulumi name (Azure's are hashed to fit, CoreWeave's are claims). */
const AUTONAMED_CLOUDS = ["aws", "gcp"];

/** Throws a SpecError when the component's name and a storage name together make a cloud name too long to create. */
export function checkStorageResourceNames(componentName: string, plan: Pick<Plan, "cloud" | "storage">): void {
  if (!AUTONAMED_CLOUDS.includes(plan.cloud)) return;
  plan.storage.forEach((s, index) => {
    const name = storageResourceName({ name: componentName }, s);
    if (s.kind !== "block" && name.length > MAX_AUTONAMED) {
      throw new SpecError(
        `storage[${index}].name`,
        `with the component name it makes '${name}' (${name.length} characters), too long for a ${plan.cloud} bucket or file system name (${MAX_AUTONAMED} before Pulumi's suffix)`,
        `shorten the component name or give the entry a shorter storage[].name (at most ${Math.max(1, MAX_AUTONAMED - componentName.length - s.kind.length - 2)} characters)`,
      );
    }
  });
}

/**
 * Options of a resource that holds the entry's data (a file system, a bucket, a volume, a claim): with
 * `deletionProtection` (the default) Pulumi refuses to delete or replace it (`protect`), and even after
 * `pulumi state unprotect` a delete leaves the cloud resource in place (`retainOnDelete`).
 */
export function dataOptions<T extends pulumi.CustomResourceOptions>(s: Pick<StoragePlan, "deletionProtection">, opts: T): T {
  return s.deletionProtection ? { ...opts, protect: true, retainOnDelete: true } : opts;
}

/**
 * Input paths of a zonal resource to leave alone after creation when its zone came from a preview-time lookup (the
 * spec pins none): a lookup that later answers another zone first (a zone added, one DOWN, another GPU type) must not
 * re-home stored data. A zone the spec pins is the user's choice and is followed.
 */
export function lookedUpPlacement(pinnedZone: string | undefined, fields: string[]): string[] {
  return pinnedZone === undefined ? fields : [];
}

/** Mount sources by storage name, as the boot scripts read them. */
export type MountSources = Record<string, string>;
