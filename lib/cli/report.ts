/** Rendering of an offline run: the resource tree, each component's cost, the budget verdicts. */
import * as pulumi from "@pulumi/pulumi";
import { failsBudget } from "../cost/budget.js";
import { formatUsd } from "../cost/money.js";
import { budgetSentence, renderMarkdown, renderText } from "../cost/render.js";
import type { CostEstimate } from "../cost/types.js";
import { isSpecError } from "../spec/errors.js";
import type { OfflineRun, RecordedResource } from "../preview/offline.js";
import { urnParentTypes } from "../preview/offline.js";
import type { TypeCheckResult } from "./type-check.js";
import { costDiff, renderDiffMarkdown, renderDiffText, type BaselineReport, type CostDiff } from "./diff.js";

/** Inputs worth showing per resource, in order of interest. */
const KEY_INPUTS = [
  "instanceType",
  "minSize",
  "maxSize",
  "desiredCapacity",
  "strategy",
  "cidrBlock",
  "availabilityZone",
  "deploymentType",
  "perUnitStorageThroughput",
  "storageCapacity",
  "internal",
  "port",
  "policyType",
  // GCP
  "machineType",
  "targetSize",
  "mtu",
  "networkProfile",
  "ipCidrRange",
  "capacityGib",
  "loadBalancingScheme",
];

function keyInputs(resource: RecordedResource): string {
  const parts: string[] = [];
  for (const key of KEY_INPUTS) {
    const value = resource.inputs[key];
    if (value !== undefined && typeof value !== "object") parts.push(`${key}=${String(value)}`);
  }
  const interfaces = resource.inputs.networkInterfaces;
  if (Array.isArray(interfaces) && interfaces.length > 0) {
    const kinds = new Map<string, number>();
    for (const ni of interfaces) {
      // AWS: interfaceType (efa, efa-only; none = ENA). GCP: nicType (GVNIC, MRDMA).
      const kind = ni.interfaceType ?? ni.nicType?.toLowerCase() ?? "ena";
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    parts.push(`interfaces=${[...kinds].map(([k, n]) => `${n}×${k}`).join("+")}`);
  }
  if (resource.inputs.metadataOptions?.httpTokens) parts.push(`imds=${resource.inputs.metadataOptions.httpTokens === "required" ? "v2-only" : "v1+v2"}`);
  return parts.join(" ");
}

/** The resource tree, children indented under their component. */
export function renderTree(resources: RecordedResource[]): string[] {
  return resources.map((r) => {
    const depth = urnParentTypes(r.urn).length;
    const inputs = keyInputs(r);
    return `${"  ".repeat(depth + 1)}${r.type}  ${r.name}${inputs ? `  (${inputs})` : ""}`;
  });
}

export type Format = "text" | "markdown" | "json";

/** Exit codes of `plan`: 0 within budget, 3 over a `fail` budget, 2 bad spec, 1 anything else. */
export function exitCode(run: OfflineRun): number {
  if (run.error !== undefined) {
    if (isSpecError(run.error)) return 2;
    if ((run.error as Error).name === "BudgetExceededError") return 3;
    return 1;
  }
  return run.costEvents.some((e) => failsBudget(e.estimate)) ? 3 : 0;
}

function errorLine(run: OfflineRun): string | undefined {
  if (run.error === undefined) return undefined;
  const err = run.error as Error;
  return isSpecError(err) ? `SpecError: ${err.message}` : `${err.name ?? "Error"}: ${err.message ?? String(err)}`;
}


/** `value` with every secret-marked value replaced by "[secret]". */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (typeof value !== "object" || value === null) return value;
  const record = value as Record<string, unknown>;
  // Pulumi's marker of a secret in serialized inputs (the engine's wire format), from the SDK itself.
  if (record[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) return "[secret]";
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, redactSecrets(v)]));
}

/** What the CLI read besides the program, for the report. */
export interface RunContext {
  /** One line per config source read (see lib/cli/stack-config.ts). */
  configSources: string[];
  /** The stack planned (`--stack`), if any. */
  stack: string | undefined;
  /** Stack files in the folder that were not read (no `--stack`). */
  unreadStacks: string[];
  /** The type check (`--type-check`); absent: not asked for. */
  typeCheck?: TypeCheckResult;
}

/**
 * What `plan` says about type checking. `pulumi preview` type-checks a TypeScript program with ts-node and the
 * program's tsconfig unless PULUMI_NODEJS_TRANSPILE_ONLY=true or tsconfig `noCheck` (@pulumi/pulumi
 * cmd/run/run.js, 3.248.0, read 2026-11-30). `plan` loads programs through tsx, which strips types without
 * checking them: a type error `pulumi preview` would stop on does not stop `plan`. It says so in every report.
 */
export const TYPE_CHECK_NOTE = "not type-checked: plan strips TypeScript types (tsx); pulumi preview type-checks with ts-node: pass --type-check, or run `npx tsc --noEmit` in the program folder";

/** The report's one line on type checking. */
function typeCheckLine(context: RunContext | undefined): string {
  const check = context?.typeCheck;
  if (!check) return TYPE_CHECK_NOTE;
  if (!check.ran) return `not type-checked: ${check.reason}`;
  return `type-checked as pulumi preview would, with ${check.typescript}: ${check.errors.length ? `${check.errors.length} error${check.errors.length === 1 ? "" : "s"}` : "no errors"}`;
}

/** Resource types outside every gpu-cluster component: not in any estimate. Provider resources are free. */
export function notPriced(resources: RecordedResource[]): { type: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const r of resources) {
    if (!r.custom || r.type.startsWith("pulumi:providers:")) continue;
    if (urnParentTypes(r.urn).some((t) => t.startsWith("gpu-cluster:"))) continue;
    counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  }
  return [...counts].map(([type, count]) => ({ type, count })).sort((a, b) => a.type.localeCompare(b.type));
}

/** `aws:rds/instance:Instance ×1, aws:s3/bucketV2:BucketV2 ×2`. */
function notPricedLine(list: { type: string; count: number }[]): string {
  return list.map((n) => `${n.type} ×${n.count}`).join(", ");
}

/** What the runtime prefixes pulumi.log lines with when no engine is attached. */
const RUNTIME_LOG_PREFIX = /^(info|warning|error): \[runtime\] /;

/**
 * The program's own log output (console.log, pulumi.log.*), without the cost tables and notes the
 * components log themselves (the report prints those already).
 */
export function programLogs(run: OfflineRun): string[] {
  const own = new Set<string>();
  for (const e of run.costEvents) {
    own.add(renderText(e.estimate));
    own.add(budgetSentence(e.estimate));
    for (const note of e.plan.notes) own.add(`plan: ${note}`);
  }
  return run.logs.filter((line) => !own.has(line.replace(RUNTIME_LOG_PREFIX, ""))).map((line) => line.replace(RUNTIME_LOG_PREFIX, "$1: "));
}

function configLines(context: RunContext | undefined): string[] {
  if (!context) return [];
  const lines = context.configSources.map((s) => `config: ${s}`);
  if (context.unreadStacks.length) lines.push(`config: stack files not read (${context.unreadStacks.map((s) => `Pulumi.${s}.yaml`).join(", ")}): pass --stack <name>`);
  return lines;
}

/** The whole report, in the chosen format; with a baseline, the cost diff against it. */
export function renderRun(run: OfflineRun, programDir: string, format: Format, baseline?: BaselineReport, context?: RunContext, heading = false): string {
  const diff = baseline ? costDiff(baseline, run) : undefined;
  const estimates = run.costEvents.map((e) => e.estimate);
  const total = estimates.reduce((sum, e) => sum + e.monthlyUsd, 0);
  const worst = estimates.reduce((sum, e) => sum + e.worstCaseMonthlyUsd, 0);
  if (format === "json") {
    return JSON.stringify(
      {
        program: programDir,
        ...(context?.stack ? { stack: context.stack } : {}),
        exitCode: exitCode(run),
        verdict: verdictLine(run),
        error: errorLine(run),
        typeChecked: context?.typeCheck?.ran ?? false,
        typeCheck: typeCheckLine(context),
        monthlyUsd: round(total),
        worstCaseMonthlyUsd: round(worst),
        components: run.costEvents.map((e) => ({ type: e.type, name: e.name, plan: e.plan, estimate: e.estimate })),
        ...(diff ? { diff } : {}),
        notPriced: notPriced(run.resources),
        logs: programLogs(run),
        config: configLines(context),
        // Secret inputs stay secret in the report too: it is written to CI logs and PR comments.
        resources: run.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, inputs: redactSecrets(r.inputs) })),
      },
      null,
      2,
    );
  }
  if (format === "markdown") return renderMarkdownReport(run, programDir, estimates, total, diff, context, heading);
  const out = [`Offline preview of ${programDir}${context?.stack ? ` (stack ${context.stack})` : ""} (Pulumi mock engine: no cloud calls, data sources simulated)`, ""];
  const config = configLines(context);
  if (config.length) out.push(...config, "");
  const logs = programLogs(run);
  if (logs.length) out.push(`Program output (${logs.length}):`, ...logs.map((l) => `  ${l.replace(/\n/g, "\n  ")}`), "");
  out.push(`Resources (${run.resources.length}):`, ...renderTree(run.resources), "");
  const unpriced = notPriced(run.resources);
  if (unpriced.length) out.push(`not priced: ${notPricedLine(unpriced)}`, "");
  for (const event of run.costEvents) {
    out.push(renderText(event.estimate));
    // Decisions the planner and compiler made (a placement group left out, a resource not priced, ...).
    for (const note of event.plan.notes) out.push(`plan: ${note}`);
    out.push("");
  }
  if (estimates.length > 1) out.push(`Total: ${formatUsd(total)}/month (worst case ${formatUsd(worst)}/month)`, "");
  if (diff) out.push(renderDiffText(diff), "");
  const error = errorLine(run);
  if (error) out.push(error);
  out.push(typeCheckLine(context));
  out.push(verdictLine(run));
  return `${out.join("\n")}\n`;
}

function renderMarkdownReport(run: OfflineRun, programDir: string, estimates: CostEstimate[], total: number, diff?: CostDiff, context?: RunContext, heading = false): string {
  const out = [`### gpu-cluster cost estimate${heading ? `: \`${programDir}\`` : ""}`, ""];
  if (diff) out.push(renderDiffMarkdown(diff), "");
  for (const event of run.costEvents) {
    out.push(renderMarkdown(event.estimate));
    for (const note of event.plan.notes) out.push(`> plan: ${note.replace(/\|/g, "\\|")}`);
    out.push("");
  }
  if (estimates.length > 1) out.push(`**Total: ${formatUsd(total)}/month**`, "");
  // A budget failure is already stated by its component's table (❌ OVER BUDGET ...): say it once.
  const error = (run.error as Error | undefined)?.name === "BudgetExceededError" ? undefined : errorLine(run);
  if (error) out.push(`❌ ${error.replace(/\|/g, "\\|")}`, "");
  const unpriced = notPriced(run.resources);
  if (unpriced.length) out.push(`⚠️ not priced: ${notPricedLine(unpriced).replace(/\|/g, "\\|")}`, "");
  const logs = programLogs(run);
  const config = configLines(context);
  if (logs.length || config.length) {
    out.push("<details><summary>program output and config</summary>", "", "```text", ...config, ...logs, "```", "", "</details>", "");
  }
  out.push(`_${run.resources.length} resources planned offline (${programDir}); ${typeCheckLine(context).replace(/`/g, "")}._`);
  return `${out.join("\n")}\n`;
}

function verdictLine(run: OfflineRun): string {
  const code = exitCode(run);
  if (code === 2) return "Verdict: invalid spec (exit 2)";
  if (code === 3) {
    const over = run.costEvents.find((e) => failsBudget(e.estimate));
    return `Verdict: OVER BUDGET (exit 3)${over ? ` — ${budgetSentence(over.estimate)}` : ""}`;
  }
  if (code === 1) {
    return (run.error as Error).name === "CostNotReceivedError" ? "Verdict: no cost reached the CLI (exit 1)" : "Verdict: the program failed (exit 1)";
  }
  if (run.costEvents.length === 0) return "Verdict: no gpu-cluster component in the program (exit 0)";
  const budgets = run.costEvents.filter((e) => e.estimate.budget);
  return budgets.length ? "Verdict: within budget (exit 0)" : "Verdict: no budget set (exit 0)";
}

function round(usd: number): number {
  return Math.round(usd * 100) / 100;
}
