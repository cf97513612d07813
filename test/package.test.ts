/**
 * The package as a user installs it: the built dist/ loads only the cloud SDKs a program uses, and a missing one is a
 * SpecError with the install command. Runs the built JavaScript in child processes (Node's own `require`, as
 * `pulumi preview` does), not the TypeScript sources vitest runs.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
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

  it("exports exactly the two components Pulumi's plugin host serves to other languages (its own discovery)", () => {
    // @pulumi/pulumi cmd/run-plugin/run.js requires the package's main and hosts what getPulumiComponents finds.
    const out = node(`
      const { getPulumiComponents } = require("@pulumi/pulumi/provider/experimental/provider.js");
      const { COMPONENTS, PROVIDER_NAME, packageRoot } = require("./dist/lib/provider/index.js");
      const found = getPulumiComponents(require(process.cwd())).map((c) => c.name).sort();
      console.log(JSON.stringify({ found, served: COMPONENTS.map((c) => c.name).sort(), name: PROVIDER_NAME, root: packageRoot() }));
    `);
    expect(JSON.parse(out)).toEqual({ found: ["InferenceFleet", "TrainingCluster"], served: ["InferenceFleet", "TrainingCluster"], name: "gpu-cluster", root: ROOT });
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
    expect(found["vm:aws"]!.loads).toEqual(["@pulumi/aws", "@pulumi/tls"]);
    expect(found["kubernetes:gcp"]!.loads).toEqual(["@pulumi/gcp", "@pulumi/kubernetes", "@pulumi/random"]);
    for (const [orchestrator, clouds] of Object.entries(COMPILER_SOURCES)) {
      for (const [cloud, source] of Object.entries(clouds)) {
        expect(found[`${orchestrator}:${cloud}`], `${orchestrator}:${cloud}`).toEqual({ loads: [...source.sdks].sort(), exports: "object" });
      }
    }
  });
});

/** The SDKs a program on this cloud and orchestrator needs: what its example's package.json must list. */
function exampleNeeds(dir: string): string[] {
  const program = fs.readFileSync(path.join(dir, "index.ts"), "utf8");
  const cloud = /cloud: "([a-z]+)"/.exec(program)![1] as keyof (typeof COMPILER_SOURCES)["vm"];
  const orchestrator = /orchestrator: "kubernetes"/.test(program) || cloud === "coreweave" ? "kubernetes" : "vm";
  return [...COMPILER_SOURCES[orchestrator][cloud].sdks];
}

describe("the examples", () => {
  const root = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
  const examples = fs.readdirSync(path.join(ROOT, "examples")).filter((d) => fs.existsSync(path.join(ROOT, "examples", d, "package.json")));

  it.each(examples)("%s depends on the package by version, on @pulumi/pulumi, and on exactly the cloud SDKs it uses", (name) => {
    const dir = path.join(ROOT, "examples", name);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
    expect(manifest.dependencies["gpu-cluster"]).toBe(`^${root.version}`);
    expect(manifest.dependencies["@pulumi/pulumi"]).toBe(root.dependencies["@pulumi/pulumi"]);
    const sdks = Object.keys(manifest.dependencies).filter((d) => d in root.peerDependencies);
    expect(sdks.sort()).toEqual(exampleNeeds(dir).sort());
    for (const sdk of sdks) expect(manifest.dependencies[sdk]).toBe(root.peerDependencies[sdk]);
    // Pulumi type-checks a TypeScript program with the project's own compiler; without one it falls back to an old one.
    expect(manifest.devDependencies.typescript).toBe(root.devDependencies.typescript);
  });

  it("one runs copied out of the repository: the packed tarball installed from the npm cache with no network, then gpu-cluster plan", () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gpu-cluster-pack-"));
    try {
      const packed = JSON.parse(
        execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", tmp], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }),
      )[0];
      const files = packed.files.map((f: { path: string }) => f.path) as string[];
      expect(files).toEqual(expect.arrayContaining(["LICENSE", "bin/gpu-cluster.js", "dist/lib/index.js", "dist/lib/index.d.ts", "dist/lib/policy/index.js", "dist/lib/cli/main.js"]));
      const tarball = path.join(tmp, packed.filename);

      const app = path.join(tmp, "app");
      fs.cpSync(path.join(ROOT, "examples", "aws-h100-training"), app, { recursive: true });
      // The npm cache holds the tarballs the repository's own `npm ci` fetched, by their integrity, but not the
      // registry's package documents that resolving a version range needs; the repository's lockfile gives npm the
      // same versions, so nothing is asked of the network (`--offline` fails instead).
      fs.copyFileSync(path.join(ROOT, "package-lock.json"), path.join(app, "package-lock.json"));
      execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", tarball], { cwd: app, stdio: "ignore" });

      const installed = fs.readdirSync(path.join(app, "node_modules", "@pulumi")).sort();
      expect(installed).toEqual(["aws", "policy", "pulumi", "tls"]);

      const env = { ...process.env, NODE_OPTIONS: "", npm_config_offline: "true" };
      const run = spawnSync("npx", ["--no-install", "gpu-cluster", "plan", "."], { cwd: app, encoding: "utf8", env });
      expect(run.stderr).not.toMatch(/Error|error TS/);
      expect(run.status).toBe(0);
      // The bill by hand from the catalog figures the README shows (lib/catalog/data/aws.ts): 32 × p5.48xlarge for
      // 730 h at $55.04, FSx for Lustre 120,000 GiB (120 TiB on FSx's scale) at $0.145, S3 51,200 GiB at $0.023, internet egress 10,240 GiB
      // at $0.09 and 10,240 GiB at $0.085, one NAT gateway 730 h at $0.045 and 20,480 GiB processed at $0.045, and
      // (lib/catalog/data/fees.ts) 32 root volumes of 200 GiB gp3 at $0.08, 50 GiB of pulls per node through the NAT
      // at $0.045, the NAT's public IPv4 address 730 h at $0.005, and the cluster SSH key: one Secrets Manager secret at
      // $0.40 a month and its KMS key at $1.00 a month.
      const cents = [32 * 730 * 5504, 120_000 * 14.5, 51_200 * 2.3, 10_240 * 9, 10_240 * 8.5, 730 * 4.5, 20_480 * 4.5, 32 * 200 * 8, 32 * 50 * 4.5, 730 * 0.5, 40, 100];
      const total = Math.round(cents.reduce((a, b) => a + b, 0)) / 100;
      expect(total).toBe(1_307_647.5);
      expect(run.stdout).toContain("total");
      expect(run.stdout).toContain("$1,307,647.50");
      expect(run.stdout).toContain("within budget: $1,307,647.50 of $1,400,000.00/month");

      // A GCP program in the same AWS-only folder: the SDK it needs is missing, and the plan says which and how to add it.
      const gcp = path.join(app, "gcp");
      fs.mkdirSync(gcp);
      fs.copyFileSync(path.join(ROOT, "examples", "gcp-l4-inference", "index.ts"), path.join(gcp, "index.ts"));
      fs.copyFileSync(path.join(ROOT, "examples", "gcp-l4-inference", "Pulumi.yaml"), path.join(gcp, "Pulumi.yaml"));
      const missing = spawnSync("npx", ["--no-install", "gpu-cluster", "plan", "gcp"], { cwd: app, encoding: "utf8", env });
      expect(missing.status).toBe(2);
      expect(missing.stdout + missing.stderr).toContain(
        "cloud: cloud 'gcp' needs the Pulumi SDK @pulumi/gcp, which is not installed (gpu-cluster installs only the SDKs a program uses); " +
          "run npm install '@pulumi/gcp@^9.37.0' in the program's folder",
      );
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }, 300_000);
});

describe("a missing cloud SDK", () => {
  it("is a SpecError naming the missing packages and the npm install command with this package's ranges", () => {
    // An AWS VM program's folder: the AWS SDK, and TLS for the training cluster's SSH key.
    const onlyAws = (name: string) => {
      if (name !== "@pulumi/aws" && name !== "@pulumi/tls") throw Object.assign(new Error(`Cannot find module '${name}'`), { code: "MODULE_NOT_FOUND" });
    };
    expect(missingSdkError("vm", "aws", onlyAws)).toBeUndefined();
    const noTls = (name: string) => {
      if (name !== "@pulumi/aws") throw Object.assign(new Error(`Cannot find module '${name}'`), { code: "MODULE_NOT_FOUND" });
    };
    expect(missingSdkError("vm", "aws", noTls)!.hint).toBe("run npm install '@pulumi/tls@^5.6.1' in the program's folder");
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
