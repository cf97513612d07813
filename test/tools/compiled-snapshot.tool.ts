/**
 * Dump what every example and every bill-of-materials matrix case compiles to (test/helpers/bom-matrix.ts): each
 * resource's type, URN and inputs, one JSON file per case, under the directory in SNAPSHOT_OUT. A refactor of a
 * compiler that must build exactly what it built before (same names, same inputs) is checked by dumping before and
 * after and diffing the two directories:
 *
 *   SNAPSHOT_OUT=/tmp/snap-before npx vitest run --config vitest.tools.config.mts
 *   (change the code)
 *   SNAPSHOT_OUT=/tmp/snap-after npx vitest run --config vitest.tools.config.mts
 *   diff -r /tmp/snap-before /tmp/snap-after
 *
 * Not part of `npm test` (vitest.config.ts includes test/**\/*.test.ts only): it asserts nothing but that each case runs.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { runOffline, type OfflineRun } from "../../lib/preview/offline.js";
import { EXAMPLE_CONFIG } from "../../scripts/example-config.js";
import { EXAMPLES, matrix } from "../helpers/bom-matrix.js";

const OUT = process.env.SNAPSHOT_OUT;

/** JSON with object keys sorted, so two dumps of the same resources are byte-identical. */
function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, stable((value as Record<string, unknown>)[k])]));
  }
  // The AWS fabric gate's parameter starts as "pending since=<epoch seconds>" (lib/clouds/aws/fabric-gate.ts): the clock, not the code.
  if (typeof value === "string") return value.replace(/^pending since=\d+$/, "pending since=<now>");
  return value;
}

function dump(name: string, run: OfflineRun): void {
  expect(run.error, String(run.error)).toBeUndefined();
  const resources = run.resources.map((r) => ({ type: r.type, urn: r.urn, inputs: r.inputs })).sort((a, b) => a.urn.localeCompare(b.urn));
  fs.mkdirSync(OUT!, { recursive: true });
  fs.writeFileSync(path.join(OUT!, `${name}.json`), `${JSON.stringify(stable(resources), null, 1)}\n`);
}

describe.skipIf(OUT === undefined)("compiled resources snapshot", () => {
  it.each(EXAMPLES)("example %s", async (example) => {
    dump(`example-${example}`, await runOffline(async () => void (await import(path.join("..", "..", "examples", example, "index.ts"))), { config: EXAMPLE_CONFIG }));
  });
  it.each(matrix().map((c) => [c.name, c] as const))("%s", async (name, c) => {
    dump(name, await runOffline(c.program));
  });
});
