/**
 * What makes a storage entry safe to build and keep: a mount path that is a plain
 * path (it reaches a root boot script and a pod spec), and a stable identity that
 * names its cloud resources, so that inserting, removing or reordering entries in
 * `storage[]` never renames (and so replaces) another entry's file system.
 */
import { createHash } from "node:crypto";
import { SpecError } from "./errors.js";

/** Longest storage name, characters: leaves room in the clouds' 63-character names for the component's prefix. */
export const MAX_STORAGE_NAME = 24;
/** Longest mount path, characters; far beyond any real one, short enough for every log line and unit name. */
const MAX_MOUNT_PATH = 200;
const STORAGE_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** Slash-separated segments of letters, digits, `.`, `_` and `-`: nothing a shell or fstab would read as syntax. */
const PLAIN_PATH = /^(\/[A-Za-z0-9._-]+)+$/;

/**
 * Directories whose contents the node or the pod needs: mounting over them (or below them) hides the OS, the
 * drivers, the NCCL plugins or the shared memory NCCL uses. `/home`, `/mnt/...`, `/opt/...` and `/data` stay open.
 */
const SYSTEM_TREES = ["/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/libx32", "/proc", "/run", "/sbin", "/sys", "/usr", "/var"];
/** Directories that must stay as they are themselves, though a mount below them is fine. */
const SYSTEM_DIRS = ["/mnt", "/opt", "/root", "/srv", "/tmp", "/media"];

/** Throws a SpecError unless `mountPath` is a plain absolute path outside the system directories. */
export function checkMountPath(mountPath: string, path: string): void {
  if (mountPath.length > MAX_MOUNT_PATH) {
    throw new SpecError(path, `is ${mountPath.length} characters long`, `use at most ${MAX_MOUNT_PATH}, e.g. '/data'`);
  }
  const segments = mountPath.split("/").slice(1);
  if (!PLAIN_PATH.test(mountPath) || segments.some((s) => s === "." || s === "..")) {
    throw new SpecError(
      path,
      `'${mountPath}' is not a plain absolute path`,
      "use '/' followed by letters, digits, '.', '_' and '-' (no spaces, quotes, ';', '$' or '..'), e.g. '/data' or '/mnt/checkpoints'",
    );
  }
  const system = SYSTEM_TREES.find((dir) => mountPath === dir || mountPath.startsWith(`${dir}/`)) ?? SYSTEM_DIRS.find((dir) => mountPath === dir);
  if (system !== undefined) {
    throw new SpecError(path, `'${mountPath}' would hide the system directory ${system}`, "mount it elsewhere, e.g. '/data' or '/mnt/checkpoints'");
  }
}

/**
 * Where each cloud's VM nodes mount their local NVMe scratch array, before the storage mounts (lib/clouds/aws/bootstrap.ts
 * AWS_SCRATCH, lib/clouds/azure/bootstrap.ts AZURE_SCRATCH, lib/clouds/gcp/local-ssd.ts LOCAL_SSD_MOUNT; a test holds
 * them equal). A storage entry at or below that path would be skipped by the mount guard (`mountpoint -q` is already
 * true) while its fstab line is written, so writes meant for it land on the ephemeral disk (review session 28, F1).
 */
export const VM_SCRATCH_MOUNTS: Readonly<Partial<Record<string, string>>> = { aws: "/scratch", azure: "/mnt/resource_nvme", gcp: "/mnt/localssd" };

/**
 * Throws a SpecError on `path` when a VM storage entry's `mountPath` is the node's scratch mount or lies under it (or
 * over it). Refused rather than the scratch moved: moving it would change every existing node's boot script and where
 * its containers live. `givenName`: the entry's own storage[].name; without one the hint says to keep the derived name,
 * since a new mount path would otherwise rename (and so replace) the storage.
 */
export function checkScratchCollision(mountPath: string, path: string, cloud: string, givenName: string | undefined): void {
  const scratch = VM_SCRATCH_MOUNTS[cloud];
  if (scratch === undefined) return;
  const nested = (outer: string, inner: string) => inner === outer || inner.startsWith(`${outer}/`);
  if (!nested(scratch, mountPath) && !nested(mountPath, scratch)) return;
  const keep = givenName === undefined ? `, and set name: '${storageNameFromPath(mountPath)}' so the storage keeps its name (a new name replaces it)` : "";
  throw new SpecError(
    path,
    `'${mountPath}' collides with ${scratch}, where ${cloud} VM nodes mount their local NVMe scratch at every boot: the storage would not be mounted and its writes would land on the ephemeral disk`,
    `mount it elsewhere, e.g. '/data'${keep}`,
  );
}

/** Throws a SpecError unless `name` can name cloud resources (and their Kubernetes volumes). */
export function checkStorageName(name: string, path: string): void {
  if (name.length > MAX_STORAGE_NAME || !STORAGE_NAME.test(name)) {
    throw new SpecError(
      path,
      `'${name}' cannot name storage resources`,
      `use lowercase letters, digits and hyphens, starting with a letter and ending with a letter or digit, at most ${MAX_STORAGE_NAME} characters, e.g. 'datasets'`,
    );
  }
}

/**
 * The default storage name of an entry, from its mount path: `/data` → `data`, `/mnt/ckpt` → `mnt-ckpt`. A long path
 * keeps its first characters and a hash of the whole path, so two long paths never share a name.
 */
export function storageNameFromPath(mountPath: string): string {
  const slug = mountPath.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  const named = /^[a-z]/.test(slug) ? slug : `s-${slug}`.replace(/-+$/, "");
  if (named.length <= MAX_STORAGE_NAME) return named;
  const hash = createHash("sha256").update(mountPath).digest("hex").slice(0, 8);
  return `${named.slice(0, MAX_STORAGE_NAME - hash.length - 1).replace(/-+$/, "")}-${hash}`;
}

/**
 * Throws a SpecError on `storage[i].name` when two entries of `kind` derive the same `keyOf(name)` (an address block,
 * a LUN, a file system name: anything derived from the stable name that two entries cannot share). `clash` says what
 * they would share, `fix` what to do; the later entry is the one named, as it is usually the one being added.
 */
export function refuseDerivedClashes<K>(
  storage: readonly { kind: string; name: string }[],
  kind: string,
  keyOf: (name: string) => K,
  clash: (first: string, firstIndex: number, second: string, key: K) => string,
  fix: string,
): void {
  const taken = new Map<K, { name: string; index: number }>();
  storage.forEach((s, index) => {
    if (s.kind !== kind) return;
    const key = keyOf(s.name);
    const other = taken.get(key);
    if (other) throw new SpecError(`storage[${index}].name`, clash(other.name, other.index, s.name, key), fix);
    taken.set(key, { name: s.name, index });
  });
}
