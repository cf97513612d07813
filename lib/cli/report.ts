/** Rendering of an offline run: the resource tree, each component's cost, the budget verdicts. */
import * as pulumi from "@pulumi/pulumi";
import { failsBudget } from "../cost/budget.js";
import { formatUsd } from "../cost/money.js";
import { budgetSentence, renderMarkdown, renderText } from "../cost/render.js";
import type { CostEstimate } from "../cost/types.js";
import { isSpecError } from "../spec/errors.js";
import type { OfflineRun, RecordedResource } from "../preview/offline.js";
import { urnParentTypes } from "../preview/offline.js";
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

/** The whole report, in the chosen format; with a baseline, the cost diff against it. */
export function renderRun(run: OfflineRun, programDir: string, format: Format, baseline?: BaselineReport): string {
  const diff = baseline ? costDiff(baseline, run) : undefined;
  const estimates = run.costEvents.map((e) => e.estimate);
  const total = estimates.reduce((sum, e) => sum + e.monthlyUsd, 0);
  const worst = estimates.reduce((sum, e) => sum + e.worstCaseMonthlyUsd, 0);
  if (format === "json") {
    return JSON.stringify(
      {
        program: programDir,
        exitCode: exitCode(run),
        error: errorLine(run),
        monthlyUsd: round(total),
        worstCaseMonthlyUsd: round(worst),
        components: run.costEvents.map((e) => ({ type: e.type, name: e.name, plan: e.plan, estimate: e.estimate })),
        ...(diff ? { diff } : {}),
        // Secret inputs stay secret in the report too: it is written to CI logs and PR comments.
        resources: run.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, inputs: redactSecrets(r.inputs) })),
      },
      null,
      2,
    );
  }
  if (format === "markdown") return renderMarkdownReport(run, estimates, total, diff);
  const out = [`Offline preview of ${programDir} (Pulumi mock engine: no cloud calls, data sources simulated)`, ""];
  out.push(`Resources (${run.resources.length}):`, ...renderTree(run.resources), "");
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
  out.push(verdictLine(run));
  return out.join("\n");
}

function renderMarkdownReport(run: OfflineRun, estimates: CostEstimate[], total: number, diff?: CostDiff): string {
  const out = ["### gpu-cluster cost estimate", ""];
  if (diff) out.push(renderDiffMarkdown(diff), "");
  for (const event of run.costEvents) {
    out.push(renderMarkdown(event.estimate));
    for (const note of event.plan.notes) out.push(`> plan: ${note.replace(/\|/g, "\\|")}`);
    out.push("");
  }
  if (estimates.length > 1) out.push(`**Total: ${formatUsd(total)}/month**`, "");
  const error = errorLine(run);
  if (error) out.push(`❌ ${error.replace(/\|/g, "\\|")}`, "");
  out.push(`_${run.resources.length} resources planned offline._`);
  return out.join("\n");
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
