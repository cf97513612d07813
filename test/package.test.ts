/**
 * The package as a user installs it: the built dist/ loads only the cloud SDKs a program uses, and a missing one is a
 * SpecError with the install command. Runs the built JavaScript in child processes (Node's own `require`, as
 * `pulumi preview` does), not the TypeScript sources vitest runs.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { COMPILER_SOURCES, missingSdkError } from "../lib/components/compilers.js";
import { isSpecError } from "../lib/spec/errors.js";

const ROOT = path.resolve(__dirname, "..");
const node = (script: string, args: string[] = []): string =>
  execFileSync(process.execPath, ["-e", script, ...args], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

// The @pulumi packages a module reaches through its require graph (Module.children also records cache hits).
const REACHED_SDKS = `
function reached(mod) {
  const seen = new Set(), sdks = new Set(), stack = [mod];
  while (stack.length) {
    const m = stack.pop();
    if (!m || seen.has(m)) continue;
    seen.add(m);
    const pkg = /node_modules[\\\\/](@pulumi[\\\\/][^\\\\/]+)/.exec(m.filename);
    if (pkg) { sdks.add(pkg[1].replace("\\\\", "/")); continue; }
    stack.push(...m.children);
  }
  return [...sdks].filter((s) => s !== "@pulumi/pulumi").sort();
}`;

describe("the built package", () => {
  beforeAll(() => {
    // Incremental: a no-op when dist/ is current.
    execFileSync("npm", ["run", "-s", "build"], { cwd: ROOT, stdio: "ignore" });
  }, 180_000);

  it("loads no cloud SDK for the library, the spec, plan and estimate, or the CLI's estimate, compare and catalog", () => {
    const out = node(`
      const gpu = require("./dist/lib/index.js");
      const { main } = require("./dist/lib/cli/main.js");
      const plan = gpu.planCluster({ cloud: "aws", region: "us-east-1", gpu: { model: "H100", count: 16 } });
      const estimate = gpu.estimateCost(plan);
      const quiet = process.stdout.write.bind(process.stdout);
      process.stdout.write = () => true;
      (async () => {
        const codes = [];
        codes.push(await main(["estimate", "--cloud", "gcp", "--region", "us-central1", "--gpu", "H100", "--count", "16"]));
        codes.push(await main(["compare", "--gpu", "H100", "--count", "16"]));
        codes.push(await main(["catalog", "--cloud", "azure"]));
        process.stdout.write = quiet;
        const loaded = [...new Set(Object.keys(require.cache).map((k) => (/node_modules\\/(@pulumi\\/[^/]+)/.exec(k) || [])[1]).filter(Boolean))].sort();
        console.log(JSON.stringify({ instanceType: plan.instanceType, nodes: plan.nodeCount, lines: estimate.lines.length, codes, loaded }));
      })();
    `);
    const result = JSON.parse(out.trim().split("\n").pop()!);
    expect(result.instanceType).toBe("p5.48xlarge");
    expect(result.nodes).toBe(2);
    expect(result.lines).toBeGreaterThan(0);
    expect(result.codes).toEqual([0, 0, 0]);
    // @pulumi/pulumi is a dependency of every program; no cloud's SDK is loaded.
    expect(result.loaded).toEqual(["@pulumi/pulumi"]);
  });

  it("loads, for each cloud and orchestrator, exactly the SDKs its compiler declares (the ones the error names)", () => {
    const out = node(`
      ${REACHED_SDKS}
      const { COMPILER_SOURCES } = require("./dist/lib/components/compilers.js");
      const path = require("node:path");
      const found = {};
      for (const [orchestrator, clouds] of Object.entries(COMPILER_SOURCES)) {
        for (const [cloud, source] of Object.entries(clouds)) {
          const file = require.resolve(path.resolve("dist/lib/components", source.module));
          require(file);
          found[orchestrator + ":" + cloud] = { loads: reached(require.cache[file]), exports: typeof require(file)[source.exportName] };
        }
      }
      console.log(JSON.stringify(found));
    `);
    const found = JSON.parse(out) as Record<string, { loads: string[]; exports: string }>;
    expect(found["vm:aws"]!.loads).toEqual(["@pulumi/aws"]);
    expect(found["kubernetes:gcp"]!.loads).toEqual(["@pulumi/gcp", "@pulumi/kubernetes", "@pulumi/random"]);
    for (const [orchestrator, clouds] of Object.entries(COMPILER_SOURCES)) {
      for (const [cloud, source] of Object.entries(clouds)) {
        expect(found[`${orchestrator}:${cloud}`], `${orchestrator}:${cloud}`).toEqual({ loads: [...source.sdks].sort(), exports: "object" });
      }
    }
  });
});

describe("a missing cloud SDK", () => {
  it("is a SpecError naming the missing packages and the npm install command with this package's ranges", () => {
    const onlyAws = (name: string) => {
      if (name !== "@pulumi/aws") throw Object.assign(new Error(`Cannot find module '${name}'`), { code: "MODULE_NOT_FOUND" });
    };
    expect(missingSdkError("vm", "aws", onlyAws)).toBeUndefined();
    const gke = missingSdkError("kubernetes", "gcp", onlyAws);
    expect(isSpecError(gke)).toBe(true);
    expect(gke!.path).toBe("cloud");
    expect(gke!.message).toBe(
      "cloud: cloud 'gcp' with orchestrator 'kubernetes' needs the Pulumi SDKs @pulumi/gcp, @pulumi/kubernetes and @pulumi/random, " +
        "which are not installed (gpu-cluster installs only the SDKs a program uses); " +
        "run npm install '@pulumi/gcp@^9.37.0' '@pulumi/kubernetes@^4.34.2' '@pulumi/random@^4.21.2' in the program's folder",
    );
    const eks = missingSdkError("kubernetes", "aws", onlyAws);
    expect(eks!.message).toContain("cloud 'aws' with orchestrator 'kubernetes' needs the Pulumi SDK @pulumi/kubernetes,");
    expect(eks!.hint).toBe("run npm install '@pulumi/kubernetes@^4.34.2' in the program's folder");
  });
});
