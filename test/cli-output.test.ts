/**
 * Output details users see: unit prices with their cents, where `catalog refresh` writes, URN matching that
 * stays linear on large stacks.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { formatUnitUsd } from "../lib/cost/money.js";
import { renderMarkdown, renderText } from "../lib/cost/render.js";
import { estimateCost } from "../lib/cost/estimate.js";
import { matchUrns } from "../lib/preview/offline.js";

const exec = promisify(execFile);
const ROOT = path.resolve(__dirname, "..");

describe("money formatting", () => {
  it("prints a unit price with at least its cents and at most six decimals", () => {
    expect(formatUnitUsd(0.1)).toBe("$0.10");
    expect(formatUnitUsd(0.145)).toBe("$0.145");
    expect(formatUnitUsd(55.04)).toBe("$55.04");
    expect(formatUnitUsd(0.000035)).toBe("$0.000035");
    expect(formatUnitUsd(1234.5)).toBe("$1,234.50");
  });

  it("the cost table shows $0.09 egress and $0.045 NAT rates as priced, never '$0.1'-style", () => {
    const estimate = estimateCost({ cloud: "aws", region: "us-east-1", gpu: { model: "H100", nodes: 1 }, egress: { internetTiBPerMonth: 1 } });
    const text = renderText(estimate);
    // AWS internet egress, first 10 TiB: $0.09/GiB; NAT gateway: $0.045/h (catalog, see lib/catalog/data/aws.ts)
    expect(text).toMatch(/internet egress 0–10 TiB tier\s+1,024 GiB\s+\$0\.09\s+\$92\.16/);
    expect(text).toMatch(/NAT gateway \(1\), 730 h\s+730 hour\s+\$0\.045\s+\$32\.85/);
    for (const cell of renderMarkdown(estimate).matchAll(/\| (\$[\d,.]+) \|/g)) expect(cell[1]).toMatch(/\.\d{2,6}$/);
  });
});

describe("catalog refresh output directory", () => {
  it("writes to GPU_CLUSTER_PRICES_DIR, else ~/.gpu-cluster/prices (never into the package)", async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "gpu-home-"));
    const input = path.join(ROOT, "test/fixtures/price-apis/azure-retail-prices.json");
    const run = (env: Record<string, string>) =>
      exec(process.execPath, ["--import", "tsx", "lib/cli/main.ts", "catalog", "refresh", "--cloud", "azure", "--input", input], {
        cwd: ROOT,
        env: { ...process.env, HOME: home, GPU_CLUSTER_PRICES_DIR: "", ...env },
      });
    const byDefault = await run({});
    expect(byDefault.stdout).toContain(`3 azure price rows written to ${path.join(home, ".gpu-cluster", "prices", "azure.json")}`);
    expect(fs.existsSync(path.join(ROOT, "lib/catalog/data/refreshed/azure.json"))).toBe(false);

    const chosen = fs.mkdtempSync(path.join(os.tmpdir(), "gpu-prices-"));
    const byEnv = await run({ GPU_CLUSTER_PRICES_DIR: chosen });
    expect(byEnv.stdout).toContain(`3 azure price rows written to ${path.join(chosen, "azure.json")}`);
    expect(JSON.parse(fs.readFileSync(path.join(chosen, "azure.json"), "utf8"))).toHaveLength(3);
  });
});

describe("offline runner URN matching", () => {
  it("matches each resource to its own URN, same names under different parents in registration order", () => {
    const recorded = [
      { type: "aws:ec2/instance:Instance", name: "a" },
      { type: "aws:ec2/instance:Instance", name: "a" },
      { type: "aws:s3/bucketV2:BucketV2", name: "a" },
      { type: "aws:ec2/instance:Instance", name: "missing" },
    ];
    const urns = [
      "urn:pulumi:s::p::aws:s3/bucketV2:BucketV2::a",
      "urn:pulumi:s::p::gpu-cluster:index:TrainingCluster$aws:ec2/instance:Instance::a",
      "urn:pulumi:s::p::gpu-cluster:index:InferenceFleet$aws:ec2/instance:Instance::a",
    ];
    expect(matchUrns(recorded, urns)).toEqual([urns[1], urns[2], urns[0], ""]);
  });

  it("matches 24,400 resources (the stack that took 5.6 s with a scan per resource)", () => {
    const recorded = Array.from({ length: 24_400 }, (_, i) => ({ type: "aws:ec2/instance:Instance", name: `n-${i}` }));
    const urns = recorded.map((r) => `urn:pulumi:s::p::${r.type}::${r.name}`).reverse();
    const matched = matchUrns(recorded, urns);
    expect(matched[0]).toBe("urn:pulumi:s::p::aws:ec2/instance:Instance::n-0");
    expect(matched[24_399]).toBe("urn:pulumi:s::p::aws:ec2/instance:Instance::n-24399");
  });
});

describe("output on a pipe", () => {
  it("writes a JSON plan bigger than a pipe's 64 KiB buffer whole before it exits (plan --format json | jq)", async () => {
    const { stdout } = await exec(
      process.execPath,
      ["--import", "tsx", "lib/cli/main.ts", "plan", "examples/eks-p5-training", "--format", "json", "--config", "eks-p5-training:adminCidr=203.0.113.7/32"],
      { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
    );
    // Before exitAfterFlush, process.exit() cut this output at 65,536 bytes or a multiple of it.
    expect(stdout.length).toBeGreaterThan(65_536);
    const program = JSON.parse(stdout) as { program: string; resources: unknown[] };
    expect(program.program).toMatch(/eks-p5-training$/);
    // 77: the bucket's TLS-only policy (lib/clouds/aws/storage.ts) joined the 76 resources.
    expect(program.resources.length).toBe(77);
  }, 120_000);
});
