/**
 * Vitest global setup: every test file's temporary files go under one directory made for this run, removed when
 * the run ends. Many tests write boot scripts and stub sysfs trees with `mkdtempSync(tmpdir())`; without this, each
 * run left a few thousand directories in the machine's /tmp. `os.tmpdir()` reads TMPDIR, and the worker processes
 * are forked after this runs, so they inherit it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), "gpu-cluster-test-"));
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
