/**
 * The PR check fails closed: when the program and the CLI load different copies of gpu-cluster, the cost
 * still reaches `plan`, and when it cannot, `plan` is an error (exit 1), never "no budget set" (exit 0).
 *
 * Each case builds a program folder whose node_modules holds its own copy of the library's sources (a real
 * copy, not a symlink: Node would resolve a symlink to this repository's modules and share them), and runs
 * the CLI of this repository on it from that folder, as `npx gpu-cluster plan` would with a global install.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const exec = promisify(execFile);
const ROOT = path.resolve(__dirname, "..");
const TSX = pathToFileURL(path.join(ROOT, "node_modules/tsx/dist/loader.mjs")).href;

/** 8 × p5.48xlarge against a 'fail' budget: $321,617.50/month worst case (see test/pr-report.test.ts). */
const program = (budgetUsd: number) => `import * as gpu from "gpu-cluster";
new gpu.TrainingCluster("train", { cloud: "aws", region: "us-east-1", gpu: { model: "H100", nodes: 8 }, budget: { monthlyUsd: ${budgetUsd}, onExceed: "fail" } });
`;

type Variant = "current" | "own-registry" | "own-registry-unexported";

/**
 * A program with its own copy of gpu-cluster. `own-registry`: a copy whose cost hooks live in a module-local Set
 * (as releases before the shared channel did); `-unexported`: one that also does not export `registerCostHook`.
 */
function programWithOwnCopy(variant: Variant, budgetUsd = 200_000): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gpu-cluster-copy-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: copy\nruntime: nodejs\nmain: index.ts\n");
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "copy", private: true }));
  fs.writeFileSync(path.join(dir, "index.ts"), program(budgetUsd));
  const copy = path.join(dir, "node_modules", "gpu-cluster");
  fs.cpSync(path.join(ROOT, "lib"), path.join(copy, "lib"), { recursive: true });
  fs.writeFileSync(path.join(copy, "package.json"), JSON.stringify({ name: "gpu-cluster", version: "0.0.0-copy", main: "lib/index.ts" }));
  // The Pulumi SDKs are shared (a symlink): only the library is a second copy.
  fs.symlinkSync(path.join(ROOT, "node_modules", "@pulumi"), path.join(dir, "node_modules", "@pulumi"), "dir");
  if (variant !== "current") {
    const hooksFile = path.join(copy, "lib/components/cost-hooks.ts");
    const source = fs.readFileSync(hooksFile, "utf8");
    const local = source.replace(/const hooks: Set<CostHook> = .*;/, "const hooks = new Set<CostHook>();");
    expect(local).not.toBe(source);
    fs.writeFileSync(hooksFile, local);
  }
  if (variant === "own-registry-unexported") {
    const indexFile = path.join(copy, "lib/index.ts");
    const source = fs.readFileSync(indexFile, "utf8");
    const unexported = source.replace(/^export \{ registerCostHook.*$/m, "");
    expect(unexported).not.toBe(source);
    fs.writeFileSync(indexFile, unexported);
  }
  return dir;
}

/** This repository's CLI, run from the program's folder (its tsconfig paths do not apply there). */
async function planFrom(dir: string): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await exec(process.execPath, ["--import", TSX, path.join(ROOT, "lib/cli/main.ts"), "plan", ".", "--format", "json"], { cwd: dir });
    return { code: 0, stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, stdout: e.stdout };
  }
}

describe("plan with a second copy of the library", () => {
  it("hears the program's copy through the process-wide channel and fails the $200,000 budget (exit 3)", async () => {
    const { code, stdout } = await planFrom(programWithOwnCopy("current"));
    const report = JSON.parse(stdout);
    expect(report.components.map((c: { name: string }) => c.name)).toEqual(["train"]);
    expect(report.worstCaseMonthlyUsd).toBe(321_617.5);
    expect(report.error).toMatch(/^BudgetExceededError: train: OVER BUDGET \(fail\)/);
    expect(code).toBe(3);
  });

  it("hears a copy with its own registry through that copy's registerCostHook (exit 3)", async () => {
    const { code, stdout } = await planFrom(programWithOwnCopy("own-registry"));
    expect(JSON.parse(stdout).worstCaseMonthlyUsd).toBe(321_617.5);
    expect(code).toBe(3);
  });

  it("fails closed (exit 1, not 'no budget set') when no cost can reach it", async () => {
    // Within its $400,000 budget, so the program itself does not fail: only the missing cost can.
    const { code, stdout } = await planFrom(programWithOwnCopy("own-registry-unexported", 400_000));
    const report = JSON.parse(stdout);
    expect(code).toBe(1);
    expect(report.exitCode).toBe(1);
    expect(report.components).toEqual([]);
    expect(report.error).toContain("CostNotReceivedError: no cost reached gpu-cluster plan for gpu-cluster:index:TrainingCluster train");
  });
});
