/**
 * The shipped policy pack, made by `gpu-cluster policy-pack init`, loads under Pulumi's own policy runner
 * (@pulumi/pulumi cmd/run-policy-pack/run.js, 3.248.0, read 2026-11-30): the runner picks TypeScript and
 * ts-node with tsutils.typeScriptRequireStrings() from its own folder (the pack's installed typescript, else
 * its vendored 3.8.3), registers ts-node with typeCheck: true and module nodenext for TypeScript ≥ 4.7, and
 * requires the pack. test/helpers/run-policy-pack.cjs calls that runner with PolicyPack recorded instead of
 * served. The pack's `gpu-cluster` is this repository compiled as the package ships it (dist + exports).
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import Ajv from "ajv";
import { beforeAll, describe, expect, it } from "vitest";
import { gpuClusterPolicies } from "gpu-cluster/policy";
import { main } from "../lib/cli/main.js";

const exec = promisify(execFile);
const ROOT = path.resolve(__dirname, "..");
const rootManifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));

let workspace: string;
let pack: string;

/**
 * A workspace as `npm install` in the pack would leave it: node_modules/@pulumi (this repository's SDKs),
 * node_modules/gpu-cluster (lib/policy and what it imports, compiled, with the package's real exports map).
 */
async function installWorkspace(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gpu-policy-"));
  const lib = path.join(dir, "node_modules", "gpu-cluster");
  fs.mkdirSync(lib, { recursive: true });
  fs.symlinkSync(path.join(ROOT, "node_modules", "@pulumi"), path.join(dir, "node_modules", "@pulumi"), "dir");
  const { name, version, main: entry, types, exports } = rootManifest;
  fs.writeFileSync(path.join(lib, "package.json"), JSON.stringify({ name, version, main: entry, types, exports }, null, 2));
  const tsconfig = path.join(dir, "tsconfig.build.json");
  fs.writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: path.join(ROOT, "tsconfig.json"),
      compilerOptions: { noEmit: false, paths: {}, rootDir: ROOT, outDir: path.join(lib, "dist"), sourceMap: false, typeRoots: [path.join(ROOT, "node_modules/@types")] },
      files: [path.join(ROOT, "lib/policy/index.ts")],
      include: [],
    }),
  );
  await exec(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", tsconfig]);
  return dir;
}

/** Pulumi's runner on `dir`: what the pack declared, or the error that stopped it. */
async function loadWithPulumiRunner(dir: string): Promise<{ code: number; report?: any; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [path.join(ROOT, "test/helpers/run-policy-pack.cjs"), dir], { maxBuffer: 16 << 20 });
    return { code: 0, report: JSON.parse(stdout), stderr };
  } catch (err) {
    const e = err as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
}

beforeAll(async () => {
  workspace = await installWorkspace();
  pack = path.join(workspace, "pack");
  let out = "";
  expect(await main(["policy-pack", "init", pack], (t) => void (out += `${t}\n`))).toBe(0);
  expect(out).toContain("pulumi preview --policy-pack");
}, 180_000);

describe("gpu-cluster policy-pack init", () => {
  it("writes a pack that declares its version, TypeScript and this release of gpu-cluster", () => {
    expect(fs.readdirSync(pack).sort()).toEqual(["PulumiPolicy.yaml", "index.ts", "package.json", "policy-config.json"]);
    const manifest = JSON.parse(fs.readFileSync(path.join(pack, "package.json"), "utf8"));
    expect(manifest.version).toBe("0.1.0");
    expect(manifest.dependencies).toMatchObject({ typescript: "^5.9.3", "@pulumi/policy": "^1.21.0", "gpu-cluster": `^${rootManifest.version}` });
    expect(fs.readFileSync(path.join(pack, "PulumiPolicy.yaml"), "utf8")).toMatch(/^runtime: nodejs$/m);
  });

  it("never overwrites a pack", async () => {
    let err = "";
    expect(await main(["policy-pack", "init", pack], () => undefined, (t) => void (err += t))).toBe(2);
    expect(err).toContain("already has PulumiPolicy.yaml, index.ts, package.json, policy-config.json");
  });
});

describe("the pack under Pulumi's policy runner", () => {
  it("loads with type checking, on the TypeScript the runner selects (not the vendored 3.8.3), with every policy", async () => {
    const { code, report, stderr } = await loadWithPulumiRunner(pack);
    expect(code, stderr).toBe(0);
    expect(report.typescript.version).toBe(JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules/typescript/package.json"), "utf8")).version);
    expect(report.typescript.version.startsWith("5.")).toBe(true);
    expect(report.packs).toHaveLength(1);
    expect(report.packs[0].name).toBe("gpu-cluster");
    expect(report.packs[0].policies.map((p: { name: string }) => p.name)).toEqual(gpuClusterPolicies.map((p) => p.name));
  });

  it("type-checks: a pack with a type error does not load", async () => {
    const broken = path.join(workspace, "broken");
    fs.cpSync(pack, broken, { recursive: true });
    fs.appendFileSync(path.join(broken, "index.ts"), 'const limit: number = "500000";\nexport { limit };\n');
    const { code, stderr } = await loadWithPulumiRunner(broken);
    expect(code).not.toBe(0);
    expect(stderr).toContain("TS2322"); // Type 'string' is not assignable to type 'number'.
  });
});

describe("budgets through configSchema", () => {
  const schemaOf = (name: string) => ({ type: "object", ...gpuClusterPolicies.find((p) => p.name === name)!.configSchema });

  it("the shipped policy-config.json is valid for every policy it configures", () => {
    const config = JSON.parse(fs.readFileSync(path.join(ROOT, "policy/policy-config.json"), "utf8")) as Record<string, object>;
    expect(config["gpu-cluster-component-budget"]).toEqual({ maxMonthlyUsd: 500_000 });
    const ajv = new Ajv({ strict: false });
    for (const [name, value] of Object.entries(config)) {
      const validate = ajv.compile(schemaOf(name));
      expect(validate(value), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it("refuses a negative or non-numeric budget and an unknown cloud", () => {
    const ajv = new Ajv({ strict: false });
    const budget = ajv.compile(schemaOf("gpu-cluster-component-budget"));
    expect(budget({ maxMonthlyUsd: -1 })).toBe(false);
    expect(budget({ maxMonthlyUsd: "500k" })).toBe(false);
    expect(ajv.compile(schemaOf("gpu-cluster-allowed-capacity"))({ allowedClouds: ["oracle"] })).toBe(false);
  });
});
