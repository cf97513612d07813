/** Renderers of a CostEstimate: a text table (logs, terminal), markdown (PR comments), JSON. */
import { largestLines } from "./budget.js";
import { formatUnitUsd, formatUsd } from "./money.js";
import type { CostEstimate, CostLine } from "./types.js";

/** One-line headline, e.g. "pretrain: 32 × p5.48xlarge (aws us-east-1, on-demand) $1,234.00/month". */
export function headline(estimate: CostEstimate): string {
  const label = estimate.name ? `${estimate.name}: ` : "";
  const worst =
    estimate.worstCaseMonthlyUsd !== estimate.monthlyUsd ? `, up to ${formatUsd(estimate.worstCaseMonthlyUsd)} at max replicas` : "";
  return `${label}${estimate.nodeCount} × ${estimate.instanceType} (${estimate.cloud} ${estimate.region}, ${estimate.pricing}) ${formatUsd(estimate.monthlyUsd)}/month${worst}`;
}

/** The budget verdict as one sentence, or "" without a budget. */
export function budgetSentence(estimate: CostEstimate): string {
  const b = estimate.budget;
  if (!b) return "";
  if (b.withinBudget) return `within budget: ${formatUsd(b.checkedUsd)} of ${formatUsd(b.monthlyUsd)}/month`;
  const top = largestLines(estimate)
    .map((l) => `${l.description} ${formatUsd(l.monthlyUsd)}`)
    .join("; ");
  return `OVER BUDGET (${b.onExceed}): ${formatUsd(b.checkedUsd)}/month exceeds ${formatUsd(b.monthlyUsd)} by ${formatUsd(b.overByUsd)}; largest lines: ${top}`;
}

/** A fixed-width text table, for `pulumi preview` logs and the terminal. */
export function renderText(estimate: CostEstimate): string {
  const rows = estimate.lines.map((l) => [l.category, l.description, formatQuantity(l), formatUnitPrice(l), formatUsd(l.monthlyUsd)]);
  const header = ["category", "line", "quantity", "unit price", "USD/month"];
  const total = ["", "total", "", "", formatUsd(estimate.monthlyUsd)];
  const widths = header.map((h, i) => Math.max(h.length, ...[...rows, total].map((r) => r[i]!.length)));
  const fmt = (r: string[]) =>
    r.map((cell, i) => (i >= 2 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join("  ").trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  const out = [headline(estimate), fmt(header), rule, ...rows.map(fmt), rule, fmt(total)];
  const billedHours = estimate.pricing === "reserved-1y" || estimate.pricing === "reserved-3y" ? 730 : estimate.hoursPerMonth;
  out.push(`hourly (all-in): ${formatUsd(estimate.hourlyUsd)}/h over ${billedHours} h`);
  for (const note of estimate.notes) out.push(`note: ${note}`);
  const verdict = budgetSentence(estimate);
  if (verdict) out.push(verdict);
  return out.join("\n");
}

/** Markdown for a PR comment: headline, table, verdict, sources. */
export function renderMarkdown(estimate: CostEstimate): string {
  const out = [`#### ${escapeMd(headline(estimate))}`, "", "| category | line | quantity | unit price | USD/month |", "| --- | --- | ---: | ---: | ---: |"];
  for (const l of estimate.lines) {
    out.push(`| ${l.category} | ${escapeMd(l.description)} | ${formatQuantity(l)} | ${formatUnitPrice(l)} | ${formatUsd(l.monthlyUsd)} |`);
  }
  out.push(`| | **total** | | | **${formatUsd(estimate.monthlyUsd)}** |`, "");
  for (const note of estimate.notes) out.push(`> ${escapeMd(note)}`);
  const verdict = budgetSentence(estimate);
  if (verdict) out.push("", estimate.budget!.withinBudget ? `✅ ${verdict}` : `❌ ${escapeMd(verdict)}`);
  const sources = [...new Set(estimate.lines.map((l) => `${l.source} (${l.asOf})`))];
  out.push("", "<details><summary>price sources</summary>", "", ...sources.map((s) => `- ${escapeMd(s)}`), "", "</details>");
  return out.join("\n");
}

/** The estimate as pretty JSON. */
export function renderJson(estimate: CostEstimate | CostEstimate[]): string {
  return JSON.stringify(estimate, null, 2);
}

function formatQuantity(l: CostLine): string {
  const q = Number.isInteger(l.quantity) ? l.quantity.toLocaleString("en-US") : l.quantity.toLocaleString("en-US", { maximumFractionDigits: 2 });
  return `${q} ${l.unit}`;
}

function formatUnitPrice(l: CostLine): string {
  return formatUnitUsd(l.unitPriceUsd);
}

function escapeMd(text: string): string {
  return text.replace(/\|/g, "\\|");
}
