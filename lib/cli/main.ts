/**
 * `gpu-cluster` command line: plan (offline preview of a Pulumi program),
 * estimate, compare, catalog. Bad input exits 2 with the SpecError text.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import * as catalog from "../catalog/index.js";
import { CLOUDS, GPU_MODELS, type Cloud } from "../catalog/types.js";
import { OfflineError, REFRESHABLE_CLOUDS, refreshPrices, type RefreshOptions, type RefreshableCloud } from "../catalog/refresh/index.js";
import { applyOptionCheck, DESCRIPTORS, targetOf } from "../cost/bom/index.js";
import { estimateCost } from "../cost/estimate.js";
import { planCluster, planFleet } from "../planner/plan.js";
import { formatUnitUsd, formatUsd } from "../cost/money.js";
import { renderJson, renderMarkdown, renderText } from "../cost/render.js";
import { compare } from "../planner/compare.js";
import { programEntry, projectName, runOffline, type OfflineRun } from "../preview/offline.js";
import { SpecError, choicesHint, isSpecError } from "../spec/errors.js";
import type { BaselineReport } from "./diff.js";
import { cloudOptionsFromFlags, numberFlag, specFileFlag, specFromFlags, type Flags } from "./flags.js";
import { exitCode, renderRun, type Format, type RunContext } from "./report.js";
import { initPolicyPack } from "./policy-pack.js";
import { readStackConfig, stackFiles } from "./stack-config.js";
import { TypeCheckError, typeCheckProgram } from "./type-check.js";
import { alignColumns } from "./table.js";

const USAGE = `usage:
  gpu-cluster plan [dir...] [--format text|markdown|json] [--baseline base.json] [--stack name] [--config key=value]... [--type-check]
      offline preview of each Pulumi program: resources, cost, budget verdict, the program's log,
      the resources it does not price; with --stack, the config of Pulumi.<name>.yaml (secrets as
      placeholders); with --type-check, the type check pulumi preview runs first; with --baseline
      (the JSON report of the base branch), the cost diff
      (exit 0 within budget, 3 over a 'fail' budget, 2 bad spec, 1 program failed or no cost received)
  gpu-cluster estimate --cloud aws --region us-east-1 --gpu H100 --count 64
      [--nodes N] [--instance-type T] [--pricing on-demand|spot|reserved-1y|reserved-3y|capacity-block|flex-start]
      [--contract-usd-per-hour USD] [--hours 730] [--fabric auto|none|...] [--orchestrator vm|kubernetes]
      [--storage kind:TiB[:tier[:/mount]][,field=value...]]... [--egress-tib N] [--cross-region-tib N] [--pulled-tib N]
      [--served-tib N] [--nat-gateway true|false] [--zone Z] [--reservation-id ID] [--option key.path=value]...
      [--replicas-min N --replicas-max N] [--load-balancer internal|internet-facing] [--budget USD]
      [--spec args.json] [--format text|markdown|json]
      (--spec reads the component's args as JSON, the object a program passes to TrainingCluster / InferenceFleet,
      its aws / gcp / azure / coreweave options included; flags given with it override its fields.
      --option sets the cloud's option bag as the component's aws / gcp / azure / coreweave does, checked as the
      component checks it; a value may be JSON: --option eks.clusterName=prod --option vpcId=vpc-0a1b
      --option 'subnetIds=["subnet-a","subnet-b"]'.
      --storage fields after commas are the entry's spec fields: name, contractUsdPerGiBMonth, metadataIops, efa,
      importPath, deletionProtection, e.g. --storage lustre:48:premium-250:/data,contractUsdPerGiBMonth=0.2)
  gpu-cluster compare --gpu H100 --count 64 [--clouds aws,gcp,azure,coreweave] [same flags] [--format text|json]
  gpu-cluster policy-pack init <dir>
      write the CrossGuard policy pack (budgets, allowed capacity, fabric) into <dir>; then
      npm install there and: pulumi preview --policy-pack <dir> --policy-pack-config <dir>/policy-config.json
  gpu-cluster catalog [--cloud aws] [--gpu H100] [--stale-days N]
  gpu-cluster catalog refresh --cloud aws|gcp|azure [--input saved-response.json] [--out dir] [--api-key KEY]
      rebuild the price rows from the cloud's public price API (offline: says so, keeps the shipped tables);
      written to --out, else $GPU_CLUSTER_PRICES_DIR, else ~/.gpu-cluster/prices (read from there too)`;

const OPTIONS = {
  format: { type: "string" },
  baseline: { type: "string" },
  cloud: { type: "string" },
  clouds: { type: "string" },
  region: { type: "string" },
  gpu: { type: "string" },
  count: { type: "string" },
  nodes: { type: "string" },
  "instance-type": { type: "string" },
  pricing: { type: "string" },
  hours: { type: "string" },
  "contract-usd-per-hour": { type: "string" },
  zone: { type: "string" },
  "reservation-id": { type: "string" },
  option: { type: "string", multiple: true },
  fabric: { type: "string" },
  orchestrator: { type: "string" },
  storage: { type: "string", multiple: true },
  "egress-tib": { type: "string" },
  "cross-region-tib": { type: "string" },
  "pulled-tib": { type: "string" },
  "served-tib": { type: "string" },
  "nat-gateway": { type: "string" },
  "load-balancer": { type: "string" },
  spec: { type: "string" },
  "replicas-min": { type: "string" },
  "replicas-max": { type: "string" },
  budget: { type: "string" },
  "stale-days": { type: "string" },
  input: { type: "string" },
  out: { type: "string" },
  "api-key": { type: "string" },
  config: { type: "string", multiple: true },
  stack: { type: "string" },
  "type-check": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

type Out = (text: string) => void;

const COMMANDS = ["plan", "estimate", "compare", "catalog", "policy-pack"] as const;

/**
 * A parseArgs refusal (unknown flag, flag without its value) as a SpecError naming the flag, so that every bad
 * argument reads the same way and exits 2. parseArgs names the flag in quotes in its message: `'--colud'`.
 */
function argumentError(e: unknown): SpecError {
  const message = e instanceof Error ? e.message : "cannot be parsed";
  // "Option '--count <value>' argument missing", "Option '-h, --help' does not take an argument": the long name wins.
  const flag = /'(?:-\w, )?(-{1,2}[\w-]+)/.exec(message)?.[1] ?? "arguments";
  const code = (e as { code?: string }).code;
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const known = Object.keys(OPTIONS).map((k) => `--${k}`);
    return new SpecError(flag, "is not a known flag", choicesHint(flag, known));
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    const isSwitch = Object.hasOwn(OPTIONS, flag.replace(/^-+/, "")) && OPTIONS[flag.replace(/^-+/, "") as keyof typeof OPTIONS].type === "boolean";
    return isSwitch ? new SpecError(flag, "takes no value", `write it alone, e.g. ${flag}`) : new SpecError(flag, "needs a value", `e.g. ${flag} <value> (a value starting with '-' is read as a flag); see the usage below`);
  }
  return new SpecError(flag, message, "see the usage below");
}

/** Run the CLI; returns the exit code (the bin calls process.exit with it). */
export async function main(argv: string[], out: Out = (t) => process.stdout.write(`${t}\n`), err: Out = (t) => process.stderr.write(`${t}\n`)): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    err(`SpecError: ${argumentError(e).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || command === undefined) {
    out(USAGE);
    return command === undefined && !values.help ? 2 : 0;
  }
  try {
    const format = formatOf(values.format);
    switch (command) {
      case "plan":
        return await planCommand(rest.length ? rest : ["."], format, out, err, {
          baseline: typeof values.baseline === "string" ? readBaseline(values.baseline) : undefined,
          config: configFlags(values.config),
          stack: typeof values.stack === "string" ? values.stack : undefined,
          typeCheck: values["type-check"] === true,
        });
      case "estimate":
        return estimateCommand(values as Flags, format, out);
      case "compare":
        return compareCommand(values as Flags, format, out);
      case "policy-pack":
        return policyPackCommand(rest, out);
      case "catalog":
        if (rest[0] === "refresh") return await refreshCommand(values as Flags, out, err);
        return catalogCommand(values as Flags, out);
      default:
        throw new SpecError("command", `'${command}' is not a command`, choicesHint(command, COMMANDS));
    }
  } catch (e) {
    if (isSpecError(e)) {
      err(`SpecError: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

function formatOf(value: unknown): Format {
  if (value === undefined) return "text";
  if (value === "text" || value === "markdown" || value === "json") return value;
  throw new SpecError("--format", `'${String(value)}' is not a format`, "use text, markdown or json");
}

/** A baseline file: one program's JSON report, or the `{ programs: [...] }` report of several. */
type Baselines = (BaselineReport & { program?: string })[];

function readBaseline(file: string): Baselines | undefined {
  // A missing or unreadable baseline (the base branch had no program yet) means "no diff", not a failure.
  if (!fs.existsSync(file)) return undefined;
  try {
    const report = JSON.parse(fs.readFileSync(file, "utf8")) as BaselineReport & { programs?: Baselines };
    if (Array.isArray(report.programs)) return report.programs.filter((p) => Array.isArray(p?.components));
    return Array.isArray(report.components) ? [report] : undefined;
  } catch {
    return undefined;
  }
}

/** The baseline of `program`: the report of the same folder, or the only report when one program is planned. */
function baselineOf(baselines: Baselines | undefined, program: string, programCount: number): BaselineReport | undefined {
  if (!baselines) return undefined;
  return baselines.find((b) => b.program === program) ?? (programCount === 1 && baselines.length === 1 ? baselines[0] : undefined);
}

interface PlanOptions {
  baseline: Baselines | undefined;
  config: Record<string, string>;
  stack: string | undefined;
  /** Type-check each TypeScript program as pulumi preview would, before running it. */
  typeCheck: boolean;
}

/** Exit code of several plans: a failed program (1) before a bad spec (2) before over budget (3). */
function combinedExit(codes: number[]): number {
  for (const code of [1, 2, 3]) if (codes.includes(code)) return code;
  return codes.find((c) => c !== 0) ?? 0;
}

async function planCommand(dirs: string[], format: Format, out: Out, err: Out, options: PlanOptions): Promise<number> {
  // A missing folder or one without a program is a SpecError before anything runs, not an empty preview.
  const programDirs = dirs.map((dir) => path.resolve(dir));
  for (const dir of programDirs) programEntry(dir);
  const reports: { text: string; json: unknown; code: number }[] = [];
  for (const programDir of programDirs) {
    const label = path.relative(process.cwd(), programDir) || ".";
    const project = projectName(programDir);
    const stackConfig = readStackConfig(programDir, project, options.stack, options.config);
    const context: RunContext = { configSources: stackConfig.sources, stack: options.stack, unreadStacks: options.stack ? [] : stackFiles(programDir) };
    if (options.typeCheck) context.typeCheck = typeCheckProgram(programDir, programEntry(programDir));
    // A type error stops `pulumi preview` before the program runs: plan stops there too.
    const run: OfflineRun = context.typeCheck?.errors.length
      ? { resources: [], costEvents: [], logs: [], error: new TypeCheckError(context.typeCheck.errors) }
      : await runOffline(programDir, { config: stackConfig.config, secretKeys: stackConfig.secretKeys, ...(options.stack ? { stack: options.stack } : {}) });
    const baseline = baselineOf(options.baseline, label, programDirs.length);
    const heading = programDirs.length > 1;
    reports.push({ text: renderRun(run, label, format === "json" ? "text" : format, baseline, context, heading), json: JSON.parse(renderRun(run, label, "json", baseline, context)), code: exitCode(run) });
  }
  const code = combinedExit(reports.map((r) => r.code));
  if (format === "json") out(JSON.stringify(reports.length === 1 ? reports[0]!.json : { exitCode: code, programs: reports.map((r) => r.json) }, null, 2));
  else out(reports.map((r) => r.text.replace(/\n+$/, "")).join(format === "markdown" ? "\n\n---\n\n" : "\n\n"));
  if (reports.length > 1) err(`${reports.length} programs planned; exit ${code}`);
  return code;
}

/** `--config key=value` (repeatable): the stack configuration `pulumi config set` would hold. */
function configFlags(values: unknown): Record<string, string> {
  const config: Record<string, string> = {};
  for (const entry of (values as string[] | undefined) ?? []) {
    const at = entry.indexOf("=");
    if (at <= 0) throw new SpecError("--config", `'${entry}' is not key=value`, "e.g. --config adminCidr=203.0.113.7/32");
    config[entry.slice(0, at)] = entry.slice(at + 1);
  }
  return config;
}

function estimateCommand(flags: Flags, format: Format, out: Out): number {
  // The --spec file is read once (it may be standard input) and serves both the spec and the option bag.
  const file = specFileFlag(flags);
  const spec = specFromFlags(flags, undefined, file);
  const options = cloudOptionsFromFlags(flags, spec.cloud, file);
  // The component runs its target's option check before it prices (lib/components/build.ts): so does estimate when
  // options are given, so it never prices options `up` would refuse (an existing EKS cluster without its VPC).
  // Without options (a quick figure from flags) the defaults are priced; the check then runs in the program.
  const plan = "replicas" in spec ? planFleet(spec) : planCluster(spec);
  if (options !== undefined) applyOptionCheck(plan, DESCRIPTORS[targetOf(plan)].checkOptions(plan, options));
  const estimate = estimateCost(plan, options);
  out(format === "json" ? renderJson(estimate) : format === "markdown" ? renderMarkdown(estimate) : renderText(estimate));
  return estimate.budget && !estimate.budget.withinBudget ? 3 : 0;
}

function compareCommand(flags: Flags, format: Format, out: Out): number {
  const clouds = typeof flags.clouds === "string" ? flags.clouds.split(",").map((c) => c.trim()) : [...CLOUDS];
  for (const cloud of clouds) {
    if (!(CLOUDS as readonly string[]).includes(cloud)) throw new SpecError("--clouds", `'${cloud}' is not a cloud`, `valid: ${CLOUDS.join(", ")}`);
  }
  const { cloud: _ignored, ...rest } = flags;
  const spec = specFromFlags(rest);
  // compare picks the cloud itself: a --spec file's cloud (and its option bags) is not used.
  const neutral = { ...spec } as Partial<typeof spec>;
  if (!neutral.region) delete neutral.region;
  delete neutral.cloud;
  const result = compare(neutral as Parameters<typeof compare>[0], { clouds: clouds as Cloud[] });
  if (format === "json") {
    out(JSON.stringify({ placements: result.placements.map((p) => p.estimate), excluded: result.excluded }, null, 2));
    return 0;
  }
  // "price as of": the compute price's own date, so a years-old spot row is seen as such before it is trusted.
  const rows = [
    ["rank", "cloud", "region", "instance", "nodes", "USD/month (worst case)", "price as of"],
    ...result.placements.map((p, i) => {
      const e = p.estimate;
      const asOf = e.lines.find((l) => l.category === "compute")?.asOf ?? "";
      return [String(i + 1), p.cloud, p.region, p.plan.instanceType, String(e.nodeCount), formatUsd(e.worstCaseMonthlyUsd), asOf];
    }),
  ];
  for (const row of alignColumns(rows, [0, 4, 5])) out(row);
  const excludedClouds = clouds.filter((c) => !result.placements.some((p) => p.cloud === c));
  for (const cloud of excludedClouds) {
    const reasons = [...new Set(result.excluded.filter((x) => x.cloud === cloud).map((x) => x.reason))];
    out(`excluded ${cloud}: ${reasons.slice(0, 2).join(" | ")}${reasons.length > 2 ? ` (+${reasons.length - 2} more)` : ""}`);
  }
  return 0;
}

async function refreshCommand(flags: Flags, out: Out, err: Out): Promise<number> {
  const cloud = flags.cloud;
  if (typeof cloud !== "string" || !(REFRESHABLE_CLOUDS as readonly string[]).includes(cloud)) {
    throw new SpecError("--cloud", `'${String(cloud)}' has no public price API to refresh from`, `use ${REFRESHABLE_CLOUDS.join(", ")} (CoreWeave publishes a price page, not an API)`);
  }
  const options: RefreshOptions = { cloud: cloud as RefreshableCloud };
  if (typeof flags.input === "string") options.input = checkInputFile(flags.input);
  if (typeof flags.out === "string") options.outDir = flags.out;
  if (typeof flags["api-key"] === "string") options.apiKey = flags["api-key"];
  try {
    const result = await refreshPrices(options);
    // Relative inside the working folder, absolute elsewhere (~/.gpu-cluster/prices reads better than ../../..).
    const relative = path.relative(process.cwd(), result.file);
    out(`${result.rows.length} ${cloud} price rows written to ${relative && !relative.startsWith("..") ? relative : result.file}`);
    for (const c of result.changes) out(`  ${c.key}: ${c.before === undefined ? "new" : formatUnitUsd(c.before)} → ${formatUnitUsd(c.after)}`);
    return 0;
  } catch (e) {
    if (e instanceof OfflineError) {
      err(`offline: ${e.message}; the shipped ${cloud} price tables stay in effect`);
      return 1;
    }
    // With --input the response is the user's file: what the parser cannot read is a bad argument, not a crash.
    if (options.input !== undefined && !isSpecError(e)) {
      throw new SpecError("--input", `is not a saved ${cloud} price API response (${e instanceof Error ? e.message : "unreadable"})`, `save the API's JSON answer to a file, e.g. curl -o ${cloud}.json <price API URL>`);
    }
    throw e;
  }
}

function policyPackCommand(args: string[], out: Out): number {
  const [sub, dir, ...extra] = args;
  if (sub !== "init") throw new SpecError("policy-pack", sub === undefined ? "needs a command" : `'${sub}' is not a policy-pack command`, "use: gpu-cluster policy-pack init <dir>");
  if (dir === undefined || extra.length) throw new SpecError("policy-pack init", "needs exactly one folder", "e.g. gpu-cluster policy-pack init policy");
  const files = initPolicyPack(dir);
  out(`policy pack written: ${files.map((f) => path.relative(process.cwd(), f) || f).join(", ")}`);
  out(`next: cd ${dir} && npm install, then: pulumi preview --policy-pack ${dir} --policy-pack-config ${path.join(dir, "policy-config.json")}`);
  return 0;
}

/** The --input file: it must exist and be a file (a missing one is a SpecError, not an ENOENT stack). */
function checkInputFile(file: string): string {
  if (!fs.existsSync(file)) throw new SpecError("--input", `'${file}' does not exist`, "give the path of a saved price API response (JSON)");
  if (!fs.statSync(file).isFile()) throw new SpecError("--input", `'${file}' is not a file`, "give the path of a saved price API response (JSON)");
  return file;
}

function catalogCommand(flags: Flags, out: Out): number {
  const days = numberFlag(flags, "stale-days");
  if (days !== undefined) {
    const cutoff = Date.now() - days * 86_400_000;
    // A figure without a date of its own (asOf "undated", or anything that is not an ISO date) has an unknown age: it
    // is listed as such, never hidden and never given an age from the day it was read.
    const figures = catalog.allFigures();
    const dated = (f: catalog.FigureRef) => /^\d{4}-\d{2}-\d{2}$/.test(f.asOf);
    const stale = figures.filter((f) => dated(f) && Date.parse(f.asOf) < cutoff);
    const undated = figures.filter((f) => !dated(f));
    out(`${stale.length} figure(s) older than ${days} days:`);
    for (const f of stale) out(`  ${f.asOf}  ${f.cloud.padEnd(9)}  ${f.what}  — ${f.source}`);
    out(`${undated.length} undated figure(s), age unknown (the source states no date and no dated copy was found):`);
    for (const f of undated) out(`  ${f.asOf}  ${f.cloud.padEnd(9)}  ${f.what}  — ${f.source}`);
    return 0;
  }
  const clouds = typeof flags.cloud === "string" ? [flags.cloud as Cloud] : [...CLOUDS];
  if (typeof flags.gpu === "string" && !(GPU_MODELS as readonly string[]).includes(flags.gpu)) {
    throw new SpecError("--gpu", `'${flags.gpu}' is not a GPU model`, choicesHint(flags.gpu, GPU_MODELS));
  }
  for (const cloud of clouds) {
    if (!(CLOUDS as readonly string[]).includes(cloud)) throw new SpecError("--cloud", `'${cloud}' is not a cloud`, `valid: ${CLOUDS.join(", ")}`);
  }
  // One table across every cloud listed, so the columns line up from the first cloud to the last.
  const rows: string[][] = [["instance", "GPUs", "fabric", "on-demand USD/h", "regions"]];
  const cloudStarts = new Map<number, Cloud>();
  for (const cloud of clouds) {
    cloudStarts.set(rows.length, cloud);
    for (const i of catalog.instances(cloud)) {
      if (typeof flags.gpu === "string" && i.gpuModel !== flags.gpu) continue;
      const prices = i.regions.map((r) => catalog.price({ cloud, instanceType: i.instanceType, region: r })).filter((p): p is number => p !== undefined);
      const low = Math.min(...prices);
      const high = Math.max(...prices);
      const range = prices.length === 0 ? "no public price" : low === high ? formatUsd(low) : `${formatUsd(low)}–${formatUsd(high)}`;
      const fabric = i.fabric === "none" ? "no fabric" : `${i.fabricNics}× ${i.fabric} ${i.fabricGbps} Gbps`;
      // A partitioned size (a share of one GPU, always notBuilt) as its fraction: "1/6 × A10", not 0.1666… × A10.
      const gpus = Number.isInteger(i.gpuCount) ? String(i.gpuCount) : `1/${Math.round(1 / i.gpuCount)}`;
      rows.push([i.instanceType, `${gpus} × ${i.gpuModel}${i.notBuilt ? " (priced only)" : ""}`, fabric, range, i.regions.join(", ")]);
    }
  }
  const lines = alignColumns(rows, [3]);
  lines.forEach((line, index) => {
    const cloud = cloudStarts.get(index);
    if (cloud !== undefined) out(`${cloud}:`);
    out(`  ${line}`.trimEnd());
  });
  return 0;
}

/**
 * Exit with `code` once stdout and stderr have written everything: on a pipe (`plan --format json | jq`) Node writes
 * asynchronously, and a bare process.exit() cuts the output at the pipe's buffer (64 KiB). An empty write's callback
 * runs after the writes before it.
 */
export function exitAfterFlush(code: number): void {
  process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => exitAfterFlush(code),
    (e) => {
      process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
      exitAfterFlush(1);
    },
  );
}
