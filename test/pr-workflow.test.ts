/**
 * The PR workflow (examples/github-actions/gpu-cost.yml): valid against SchemaStore's GitHub workflow schema,
 * on current actions and Node, and its steps dry-run on fixtures: the shell steps run with bash against real
 * programs and the real CLI (git, npm and npx replaced by stubs that only do what the runner would), and the
 * comment script runs against a fake GitHub API.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import Ajv from "ajv";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";

const exec = promisify(execFile);
const ROOT = path.resolve(__dirname, "..");
const WORKFLOW_FILE = path.join(ROOT, "examples/github-actions/gpu-cost.yml");
const TSX = pathToFileURL(path.join(ROOT, "node_modules/tsx/dist/loader.mjs")).href;

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
  "working-directory"?: string;
  "continue-on-error"?: boolean;
}
const workflow = parse(fs.readFileSync(WORKFLOW_FILE, "utf8")) as { on: unknown; env: Record<string, string>; permissions: Record<string, string>; jobs: { cost: { steps: Step[] } } };
const steps = workflow.jobs.cost.steps;
const step = (name: string) => steps.find((s) => s.name === name)!;

describe("the workflow file", () => {
  it("is a valid GitHub workflow (SchemaStore github-workflow.json, see test/fixtures/github-actions/README.md)", () => {
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, "test/fixtures/github-actions/github-workflow.schema.json"), "utf8"));
    const ajv = new Ajv({ strict: false, allErrors: true });
    const validate = ajv.compile(schema);
    expect(validate(workflow), JSON.stringify(validate.errors, null, 2)).toBe(true);
    // The schema catches real mistakes: a step with both `uses` and `run` is refused.
    const broken = structuredClone(workflow);
    broken.jobs.cost.steps[0] = { uses: "actions/checkout@v7", run: "true" };
    expect(validate(broken)).toBe(false);
  });

  it("uses the current majors (read 2026-11-30: checkout v7.0.1, setup-node v7.0.0, github-script v8.0.0, all node24) and Node 24", () => {
    const uses = steps.flatMap((s) => (s.uses ? [s.uses] : []));
    expect(uses).toEqual(["actions/checkout@v7", "actions/setup-node@v7", "actions/github-script@v8"]);
    expect(step("Install").run).toBe("npm ci --no-audit --no-fund");
    expect(steps[1]!.with).toMatchObject({ "node-version": 24 });
    // Every `npx` is `npx --no-install`: a missing install fails instead of fetching a package of that name.
    const npx = steps.flatMap((s) => s.run?.match(/^\s*npx [^\n]*/gm) ?? []).map((call) => call.trim());
    expect(npx.length).toBe(2);
    for (const call of npx) expect(call.startsWith("npx --no-install gpu-cluster plan")).toBe(true);
  });

  it("never puts an expression inside a shell script (values reach scripts through env)", () => {
    for (const s of steps) if (s.run) expect(s.run).not.toContain("${{");
  });

  it("cannot go red over permissions: the comment step continues on error", () => {
    expect(step("Comment on the pull request")["continue-on-error"]).toBe(true);
    expect(workflow.permissions).toEqual({ contents: "read", "pull-requests": "write" });
  });
});

// ------------------------------------------------------------------ dry runs of the shell steps

/** A program: `nodes` p5.48xlarge against a $300,000 'fail' budget (8 nodes: $321,617.50/month, over). */
function writeProgram(dir: string, nodes: number): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: train\nruntime: nodejs\nmain: index.ts\n");
  fs.writeFileSync(
    path.join(dir, "index.ts"),
    `import * as gpu from ${JSON.stringify(path.join(ROOT, "lib/index.ts"))};
new gpu.TrainingCluster("train", { cloud: "aws", region: "us-east-1", gpu: { model: "H100", nodes: ${nodes} }, budget: { monthlyUsd: 300_000, onExceed: "fail" } });
`,
  );
}

/** Stubs of git, npm and npx: the runner's tools, doing only what the steps need. */
function writeStubs(bin: string, baseSource: string): void {
  fs.mkdirSync(bin, { recursive: true });
  const stub = (name: string, body: string) => fs.writeFileSync(path.join(bin, name), `#!/usr/bin/env bash\nset -e\n${body}\n`, { mode: 0o755 });
  // git worktree add --detach <dir> <sha>: the base branch's tree.
  stub("git", `[ "$1 $2 $3" = "worktree add --detach" ] || { echo "unexpected git $*" >&2; exit 99; }\ncp -r ${JSON.stringify(baseSource)} "$4"`);
  stub("npm", `[ "$1" = ci ] || { echo "unexpected npm $*" >&2; exit 99; }`);
  // npx --no-install gpu-cluster <args>: the installed CLI (here: this repository's, through tsx).
  stub("npx", `[ "$1 $2" = "--no-install gpu-cluster" ] || { echo "npx without --no-install: $*" >&2; exit 99; }\nshift 2\nexec ${JSON.stringify(process.execPath)} --import ${JSON.stringify(TSX)} ${JSON.stringify(path.join(ROOT, "lib/cli/main.ts"))} "$@"`);
}

interface DryRun {
  temp: string;
  output: string;
  summary: string;
  report: string;
  baseline: string | undefined;
  logs: string;
}

/**
 * Run the workflow's shell steps in order, as the runner would: bash -e, the workflow's env, each step's
 * working-directory. `base`: the base branch's program ("over" = 8 nodes over budget, "missing" = none).
 */
async function dryRun(base: "over" | "missing", prNodes: number): Promise<DryRun> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "gpu-cost-wf-"));
  const checkout = path.join(root, "checkout");
  const baseSource = path.join(root, "base-source");
  const temp = path.join(root, "runner-temp");
  fs.mkdirSync(temp);
  // A program in a subfolder of a working directory: WORKING_DIRECTORY=deploy, PROGRAMS=clusters/train.
  writeProgram(path.join(checkout, "deploy/clusters/train"), prNodes);
  fs.mkdirSync(path.join(baseSource, "deploy"), { recursive: true });
  if (base === "over") writeProgram(path.join(baseSource, "deploy/clusters/train"), 8);
  writeStubs(path.join(root, "bin"), baseSource);
  const env = {
    ...process.env,
    PATH: `${path.join(root, "bin")}:${process.env.PATH}`,
    RUNNER_TEMP: temp,
    GITHUB_OUTPUT: path.join(temp, "output"),
    GITHUB_STEP_SUMMARY: path.join(temp, "summary.md"),
    WORKING_DIRECTORY: "deploy",
    PROGRAMS: "clusters/train",
    STACK: "",
    BASE_SHA: "0123abcd",
  };
  let logs = "";
  for (const s of steps) {
    if (!s.run || s.if) continue; // the last step only reports the exit the plan step wrote
    const cwd = s["working-directory"] === "${{ env.WORKING_DIRECTORY }}" ? path.join(checkout, env.WORKING_DIRECTORY) : checkout;
    const script = path.join(root, `${s.name ?? "step"}.sh`.replace(/\s+/g, "-"));
    fs.writeFileSync(script, s.run);
    const { stdout } = await exec("bash", ["-e", script], { cwd, env });
    logs += stdout;
  }
  const baselineFile = path.join(temp, "gpu-cost/base-clusters_train.json");
  return {
    temp,
    output: fs.readFileSync(env.GITHUB_OUTPUT, "utf8"),
    summary: fs.readFileSync(env.GITHUB_STEP_SUMMARY, "utf8"),
    report: fs.readFileSync(path.join(temp, "gpu-cost/pr-clusters_train.md"), "utf8"),
    baseline: fs.existsSync(baselineFile) ? fs.readFileSync(baselineFile, "utf8") : undefined,
    logs,
  };
}

describe("dry runs of the shell steps", () => {
  it("base over budget: its JSON is still the baseline (exit 3 is a verdict), and the PR shows the diff", async () => {
    const run = await dryRun("over", 4);
    expect(run.logs).toContain("base branch: clusters/train priced (exit 3)");
    const baseline = JSON.parse(run.baseline!);
    expect(baseline.exitCode).toBe(3);
    expect(baseline.worstCaseMonthlyUsd).toBe(321_617.5);
    // 4 nodes now: $160,827.70; 4 fewer nodes × (730 h × $55.04 + a 200 GiB gp3 root volume $16 + 50 GiB of pulls through the NAT $2.25) = -$160,789.80
    expect(run.report).toContain("**Monthly cost change: -$160,789.80 (-50.0%)** — $321,617.50 → $160,827.70 (worst case)");
    expect(run.report.split("\n")[0]).toBe("<!-- gpu-cluster-cost program=clusters_train -->");
    expect(run.report).toContain("_gpu-cluster plan clusters/train: exit 0_");
    expect(run.summary).toBe(run.report);
    expect(run.output).toBe("exit=0\n");
  });

  it("base missing: no baseline, the PR is priced without a diff and says why; over budget fails the check", async () => {
    const run = await dryRun("missing", 8);
    expect(run.logs).toContain("base branch: no program in clusters/train; no baseline");
    expect(run.baseline).toBeUndefined();
    expect(run.report).not.toContain("Monthly cost change");
    expect(run.report).toContain("_No baseline: clusters/train did not plan on the base branch, so there is no diff._");
    expect(run.report).toMatch(/❌ OVER BUDGET \(fail\): \$321,617\.50\/month exceeds \$300,000\.00/);
    expect(run.output).toBe("exit=3\n");
    const fail = step("Fail over budget, on a bad spec or a failed program");
    expect(fail.if).toBe("${{ steps.plan.outputs.exit != '0' }}");
    await expect(exec("bash", ["-e", "-c", fail.run!], { env: { ...process.env, EXIT: "3" } })).rejects.toMatchObject({ code: 1 });
  });
});

// ------------------------------------------------------------------ the comment script

interface Comment {
  id: number;
  body: string;
  user: { login: string };
}

/** A fake of the part of Octokit the script calls; `readOnly` answers writes with 403 as GitHub does. */
function fakeGitHub(comments: Comment[], readOnly = false) {
  const calls: string[] = [];
  const refuse = () => Object.assign(new Error("Resource not accessible by integration"), { status: 403 });
  const rest = {
    issues: {
      listComments: async () => ({ data: comments }),
      updateComment: async ({ comment_id, body }: { comment_id: number; body: string }) => {
        calls.push(`update ${comment_id}`);
        if (readOnly) throw refuse();
        comments.find((c) => c.id === comment_id)!.body = body;
      },
      createComment: async ({ body }: { body: string }) => {
        calls.push("create");
        if (readOnly) throw refuse();
        comments.push({ id: 100 + comments.length, body, user: { login: "github-actions[bot]" } });
      },
    },
  };
  return { calls, github: { rest, paginate: async (fn: () => Promise<{ data: Comment[] }>) => (await fn()).data } };
}

function fakeCore() {
  const messages: string[] = [];
  return { messages, core: { notice: (m: string) => messages.push(`notice: ${m}`), warning: (m: string) => messages.push(`warning: ${m}`) } };
}

/** Run the workflow's github-script with the fakes, over report files like the plan step writes. */
async function runCommentScript(options: { fork: boolean | "deleted"; comments: Comment[]; readOnly?: boolean }) {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), "gpu-cost-comment-"));
  fs.mkdirSync(path.join(temp, "gpu-cost"));
  fs.writeFileSync(path.join(temp, "gpu-cost/pr-infra.md"), "<!-- gpu-cluster-cost program=infra -->\n### new report\n");
  fs.writeFileSync(path.join(temp, "gpu-cost/base-infra.json"), "{}");
  const { calls, github } = fakeGitHub(options.comments, options.readOnly);
  const { messages, core } = fakeCore();
  const context = {
    repo: { owner: "acme", repo: "infra" },
    payload: { pull_request: { number: 7, head: { repo: options.fork === "deleted" ? null : { full_name: options.fork ? "someone/infra" : "acme/infra" } } } },
  };
  const script = step("Comment on the pull request").with!.script as string;
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;
  const previous = process.env.RUNNER_TEMP;
  process.env.RUNNER_TEMP = temp;
  try {
    await new AsyncFunction("require", "github", "context", "core", script)(require, github, context, core);
  } finally {
    process.env.RUNNER_TEMP = previous;
  }
  return { calls, messages, comments: options.comments };
}

describe("the comment script", () => {
  it("updates its own comment, found by the hidden marker, and leaves another workflow's comment alone", async () => {
    const comments: Comment[] = [
      { id: 1, body: "<!-- gpu-cluster-cost program=infra -->\nsomeone quoting the marker", user: { login: "alice" } },
      { id: 2, body: "<!-- another-workflow -->\nlint report", user: { login: "github-actions[bot]" } },
      { id: 3, body: "<!-- gpu-cluster-cost program=infra -->\n### old report\n", user: { login: "github-actions[bot]" } },
    ];
    const { calls } = await runCommentScript({ fork: false, comments });
    expect(calls).toEqual(["update 3"]);
    expect(comments.map((c) => c.body.split("\n")[1])).toEqual(["someone quoting the marker", "lint report", "### new report"]);
    // A second run with no comment of ours creates one; a third run updates that one.
    const fresh: Comment[] = [];
    expect((await runCommentScript({ fork: false, comments: fresh })).calls).toEqual(["create"]);
    expect((await runCommentScript({ fork: false, comments: fresh })).calls).toEqual(["update 100"]);
  });

  it("fork PR: no API write, a notice that the report is in the job summary", async () => {
    const { calls, messages } = await runCommentScript({ fork: true, comments: [] });
    expect(calls).toEqual([]);
    expect(messages).toEqual(["notice: Fork pull request: its token cannot comment; the cost report is in this job's summary."]);
    // A fork deleted since the PR was opened has no head repository at all.
    expect((await runCommentScript({ fork: "deleted", comments: [] })).calls).toEqual([]);
  });

  it("read-only token on a same-repository PR: a warning, never a thrown error", async () => {
    const { calls, messages } = await runCommentScript({ fork: false, comments: [], readOnly: true });
    expect(calls).toEqual(["create"]);
    expect(messages).toEqual(["warning: Cannot comment (403: the token is read-only); the cost report is in this job's summary."]);
  });
});
