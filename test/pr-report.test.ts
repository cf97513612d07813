import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const exec = promisify(execFile);
const ROOT = path.resolve(__dirname, "..");

async function cli(...args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await exec(process.execPath, ["--import", "tsx", "lib/cli/main.ts", ...args], { cwd: ROOT });
    return { code: 0, stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, stdout: e.stdout };
  }
}

/** One version of a program: a training cluster of `nodes` p5.48xlarge with a 'fail' budget. */
function version(nodes: number, budgetUsd: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gpu-cluster-pr-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: pr\nruntime: nodejs\nmain: index.ts\n");
  fs.writeFileSync(
    path.join(dir, "index.ts"),
    `import * as gpu from ${JSON.stringify(path.join(ROOT, "lib/index.ts"))};
new gpu.TrainingCluster("train", { cloud: "aws", region: "us-east-1", gpu: { model: "H100", nodes: ${nodes} }, budget: { monthlyUsd: ${budgetUsd}, onExceed: "fail" } });
`,
  );
  return dir;
}

describe("PR report: the same command on two versions of a program", () => {
  it("shows the diff in USD per month and fails the check when the new version is over budget", async () => {
    const base = version(4, 400_000);
    const baseline = path.join(base, "base.json");
    const before = await cli("plan", base, "--format", "json");
    expect(before.code).toBe(0);
    fs.writeFileSync(baseline, before.stdout);

    // 8 nodes within budget: the diff is 4 more nodes × 730 h × $55.04 = $160,716.80, their root volumes 4 × 200 GiB ×
    // $0.08 = $64 and their pulls through the NAT 4 × 50 GiB × $0.045 = $9: $160,789.80
    const grown = await cli("plan", version(8, 400_000), "--format", "markdown", "--baseline", baseline);
    expect(grown.code).toBe(0);
    expect(grown.stdout).toContain("**Monthly cost change: +$160,789.80 (+100.0%)** — $160,827.70 → $321,617.50 (worst case)");
    expect(grown.stdout).toContain("| train | $160,827.70 | $321,617.50 | +$160,789.80 |");
    expect(grown.stdout).toContain("✅ within budget");

    // 8 nodes against a $300k 'fail' budget: the check fails (exit 3) and the comment says why
    const over = await cli("plan", version(8, 300_000), "--format", "markdown", "--baseline", baseline);
    expect(over.code).toBe(3);
    expect(over.stdout).toContain("+$160,789.80");
    expect(over.stdout).toMatch(/❌ OVER BUDGET \(fail\): \$321,617\.50\/month exceeds \$300,000\.00 by \$21,617\.50/);
    expect(over.stdout.match(/OVER BUDGET/g)).toHaveLength(1); // stated once, not again as the error

    const json = JSON.parse((await cli("plan", version(2, 400_000), "--format", "json", "--baseline", baseline)).stdout);
    // 2 nodes: 80,358.40 compute + NAT 32.85 + root volumes 32 + pulls 4.50 + IP 3.65; 2 nodes fewer: -(80,358.40 + 32 + 4.50)
    expect(json.diff).toMatchObject({ beforeUsd: 160_827.7, afterUsd: 80_432.8, deltaUsd: -80_394.9 });
  });

  it("treats a missing baseline as no diff", async () => {
    const { code, stdout } = await cli("plan", version(1, 100_000), "--format", "markdown", "--baseline", "/nonexistent/base.json");
    expect(code).toBe(0);
    expect(stdout).not.toContain("Monthly cost change");
  });

  it("ships a workflow that runs exactly these commands (dry-run in test/pr-workflow.test.ts)", () => {
    const workflow = fs.readFileSync(path.join(ROOT, "examples/github-actions/gpu-cost.yml"), "utf8");
    expect(workflow).toContain('npx --no-install gpu-cluster plan "$program" --format json');
    expect(workflow).toContain('npx --no-install gpu-cluster plan "$program" --format markdown --baseline "$out/base-$key.json"');
    expect(workflow).toContain("if: ${{ steps.plan.outputs.exit != '0' }}");
  });
});
