/**
 * Cost diff against a baseline report (the JSON `gpu-cluster plan` printed on
 * the base branch): per component and in total, USD per month.
 */
import { formatUsd } from "../cost/money.js";
import type { OfflineRun } from "../preview/offline.js";

/** The part of a `plan --format json` report the diff reads. */
export interface BaselineReport {
  components: { name: string; estimate: { monthlyUsd: number; worstCaseMonthlyUsd: number } }[];
}

export interface ComponentDiff {
  name: string;
  /** USD per month on the base branch (0 when the component is new). */
  beforeUsd: number;
  /** USD per month now (0 when the component was removed). */
  afterUsd: number;
  deltaUsd: number;
  status: "added" | "removed" | "changed" | "unchanged";
}

export interface CostDiff {
  components: ComponentDiff[];
  beforeUsd: number;
  afterUsd: number;
  deltaUsd: number;
}

const cents = (usd: number) => Math.round(usd * 100) / 100;

/** Diff the worst-case monthly figures (what budgets check) of a run against a baseline. */
export function costDiff(baseline: BaselineReport, run: OfflineRun): CostDiff {
  const before = new Map(baseline.components.map((c) => [c.name, c.estimate.worstCaseMonthlyUsd]));
  const after = new Map(run.costEvents.map((e) => [e.name, e.estimate.worstCaseMonthlyUsd]));
  const names = [...new Set([...before.keys(), ...after.keys()])];
  const components = names.map((name): ComponentDiff => {
    const beforeUsd = before.get(name) ?? 0;
    const afterUsd = after.get(name) ?? 0;
    const status = !before.has(name) ? "added" : !after.has(name) ? "removed" : beforeUsd === afterUsd ? "unchanged" : "changed";
    return { name, beforeUsd, afterUsd, deltaUsd: cents(afterUsd - beforeUsd), status };
  });
  const beforeUsd = cents(components.reduce((s, c) => s + c.beforeUsd, 0));
  const afterUsd = cents(components.reduce((s, c) => s + c.afterUsd, 0));
  return { components, beforeUsd, afterUsd, deltaUsd: cents(afterUsd - beforeUsd) };
}

/** `+$1,234.00` / `-$5.00` / `$0.00`. */
export function signedUsd(usd: number): string {
  return usd > 0 ? `+${formatUsd(usd)}` : usd < 0 ? `-${formatUsd(-usd)}` : formatUsd(0);
}

function percent(diff: { beforeUsd: number; deltaUsd: number }): string {
  if (diff.beforeUsd === 0) return diff.deltaUsd === 0 ? "" : " (new)";
  const p = (diff.deltaUsd / diff.beforeUsd) * 100;
  return ` (${p > 0 ? "+" : ""}${p.toFixed(1)}%)`;
}

/** The diff as a markdown section for a PR comment. */
export function renderDiffMarkdown(diff: CostDiff): string {
  const out = [
    `**Monthly cost change: ${signedUsd(diff.deltaUsd)}${percent(diff)}** — ${formatUsd(diff.beforeUsd)} → ${formatUsd(diff.afterUsd)} (worst case)`,
    "",
    "| component | base | this change | difference |",
    "| --- | ---: | ---: | ---: |",
  ];
  for (const c of diff.components) {
    const label = c.status === "added" ? `${c.name} (new)` : c.status === "removed" ? `${c.name} (removed)` : c.name;
    out.push(`| ${label} | ${formatUsd(c.beforeUsd)} | ${formatUsd(c.afterUsd)} | ${signedUsd(c.deltaUsd)} |`);
  }
  return out.join("\n");
}

/** The diff as text lines. */
export function renderDiffText(diff: CostDiff): string {
  const lines = [`Cost change vs baseline: ${signedUsd(diff.deltaUsd)}/month${percent(diff)} (${formatUsd(diff.beforeUsd)} → ${formatUsd(diff.afterUsd)}, worst case)`];
  for (const c of diff.components) lines.push(`  ${c.name.padEnd(24)} ${formatUsd(c.beforeUsd).padStart(16)} → ${formatUsd(c.afterUsd).padStart(16)}  ${signedUsd(c.deltaUsd)} ${c.status}`);
  return lines.join("\n");
}
