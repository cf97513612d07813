/**
 * The offline preview: run a real Pulumi program under the Pulumi SDK's mock
 * engine — no CLI, no provider plugin, no credentials — and record every
 * resource it registers and every component's cost estimate.
 *
 * This is what `gpu-cluster plan <dir>` and the tests use. The components
 * themselves know nothing of it: the same program previews and deploys
 * unchanged with the real CLI.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { awsOfflineInvokes, awsOfflineOutputs } from "../clouds/aws/offline-invokes.js";
import { azureOfflineInvokes, azureOfflineOutputs } from "../clouds/azure/offline-invokes.js";
import { coreweaveOfflineInvokes } from "../clouds/coreweave/offline-invokes.js";
import { gcpOfflineInvokes, gcpOfflineOutputs } from "../clouds/gcp/offline-invokes.js";
import { registerCostHook, type CostEvent, type CostHook } from "../components/cost-hooks.js";
import { SpecError } from "../spec/errors.js";
import type { OfflineInvokes, OfflineOutputs } from "./invokes.js";

/** One resource the program registered. */
export interface RecordedResource {
  /** Pulumi type token, e.g. `aws:ec2/launchTemplate:LaunchTemplate`. */
  type: string;
  name: string;
  /** Inputs as the engine received them (secret values keep Pulumi's secret marker). */
  inputs: Record<string, any>;
  /** Outputs as the engine holds them after the run (components: what they passed to registerOutputs). */
  outputs: Record<string, any>;
  /** False for component resources. */
  custom: boolean;
  /** URN, with the parent type chain in it. */
  urn: string;
}

/** Type tokens of gpu-cluster components start with the package name. */
const COMPONENT_TYPE_PREFIX = "gpu-cluster:";

/**
 * The program registered gpu-cluster components but their cost never reached the offline runner (a copy of
 * the library that reports costs elsewhere). `plan` fails on it: a PR check must never pass with no cost.
 */
export class CostNotReceivedError extends Error {
  override readonly name = "CostNotReceivedError";
  /** `type name` of each component whose cost did not arrive. */
  readonly components: string[];
  constructor(components: string[]) {
    super(
      `no cost reached gpu-cluster plan for ${components.join(", ")}; the program loads a copy of gpu-cluster whose cost events ` +
        "this CLI cannot hear: run the program's own CLI (npx --no-install gpu-cluster plan, from the program's folder) or align the versions",
    );
    this.components = components;
  }
}

/** What an offline run produced. */
export interface OfflineRun {
  resources: RecordedResource[];
  /** One per component, in construction order. */
  costEvents: CostEvent[];
  /** Lines the program logged (pulumi.log without an engine writes to the console). */
  logs: string[];
  /** The error that stopped the program, if any (SpecError, BudgetExceededError, ...). */
  error?: unknown;
}

/** Simulated results of the data sources the compilers call (offline there is no cloud to ask). */
const OFFLINE_INVOKES: OfflineInvokes = { ...awsOfflineInvokes, ...gcpOfflineInvokes, ...azureOfflineInvokes, ...coreweaveOfflineInvokes };

/** Simulated provider-computed outputs, by resource type. */
const OFFLINE_OUTPUTS: OfflineOutputs = {
  ...awsOfflineOutputs,
  ...gcpOfflineOutputs,
  ...azureOfflineOutputs,
  // A random id is stable per resource name offline, as a real one is per stack once created.
  "random:index/randomId:RandomId": (name, inputs) => ({ hex: createHash("sha256").update(name).digest("hex").slice(0, 2 * (inputs.byteLength ?? 4)) }),
};

function invokeResult(token: string, inputs: Record<string, any>, region: string, overrides: OfflineInvokes = {}): Record<string, any> {
  const simulate = overrides[token] ?? OFFLINE_INVOKES[token];
  return simulate ? simulate(inputs, region) : inputs;
}

/** Output properties providers compute, filled with recognisable placeholders so interpolations read well. */
function simulatedState(type: string, name: string, inputs: Record<string, any>): Record<string, any> {
  const placeholders: Record<string, any> = {
    arn: `arn:offline:${type}:${name}`,
    name: inputs.name ?? `${name}-offline`,
    dnsName: `${name}.offline.invalid`,
    arnSuffix: `offline/${name}`,
    mountName: "offline",
    latestVersion: 1,
    selfLink: `offline/${name}`,
  };
  // Simulated outputs last: they are computed from the inputs (an address added to `networks`, ...).
  return { ...placeholders, ...inputs, ...(OFFLINE_OUTPUTS[type]?.(name, inputs) ?? {}) };
}

export interface RunOptions {
  /** Pulumi project name. Default: the program's Pulumi.yaml name, else `offline`. */
  project?: string;
  /** Stack name. Default `offline`. */
  stack?: string;
  /**
   * Stack configuration the program reads with `pulumi.Config` (`pulumi config set` values): keys as
   * `project:key` or a bare `key` (in the program's project). Default none.
   */
  config?: Record<string, string>;
  /** Keys of `config` (as given) whose values are secrets: `config.requireSecret` returns them as secret outputs. Default none. */
  secretKeys?: string[];
  /** Answers that replace the simulated ones, by invoke token (what a real cloud can also say: a VPC with two blocks). Default none. */
  invokes?: OfflineInvokes;
}

let runLock: Promise<unknown> = Promise.resolve();

/**
 * Run `program` (a function, or a directory holding a Pulumi project) under the
 * mock engine. Runs are serialised: the engine state is per process.
 */
export function runOffline(program: string | (() => unknown), options: RunOptions = {}): Promise<OfflineRun> {
  const run = runLock.then(() => runOnce(program, options));
  runLock = run.catch(() => undefined);
  return run;
}

async function runOnce(program: string | (() => unknown), options: RunOptions): Promise<OfflineRun> {
  const recorded: Omit<RecordedResource, "urn" | "outputs">[] = [];
  const costEvents: CostEvent[] = [];
  const logs: string[] = [];
  let region = "offline-1";
  const project = options.project ?? (typeof program === "string" ? projectName(program) : "offline");

  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        recorded.push({ type: args.type, name: args.name, inputs: args.inputs, custom: args.custom ?? true });
        return { id: args.custom === false ? undefined : `${args.name}-id`, state: simulatedState(args.type, args.name, args.inputs) };
      },
      call(args) {
        return invokeResult(args.token, args.inputs, region, options.invokes);
      },
    },
    project,
    options.stack ?? "offline",
    true,
  );
  const qualify = (key: string) => (key.includes(":") ? key : `${project}:${key}`);
  pulumi.runtime.setAllConfig(
    Object.fromEntries(Object.entries(options.config ?? {}).map(([key, value]) => [qualify(key), value])),
    (options.secretKeys ?? []).map(qualify),
  );
  const hook: CostHook = (event) => {
    region = event.plan.region;
    costEvents.push(event);
  };
  // The process-wide channel, and the program's own copy of the library when it resolves to another module
  // (a copy from before the shared channel still reports to its own registry). One Set: no event twice.
  const unhooks = [registerCostHook(hook), ...programCopyHooks(program, hook)];
  const restoreConsole = captureConsole(logs);
  const asyncErrors: unknown[] = [];
  const onRejection = (reason: unknown) => asyncErrors.push(reason);
  process.on("unhandledRejection", onRejection);
  let error: unknown;
  try {
    if (typeof program === "string") loadProgram(program);
    else await program();
  } catch (err) {
    error = err;
  }
  try {
    // Also after a failure: registrations the program started must finish inside this run.
    await waitForEngine();
  } catch (err) {
    error ??= err;
  } finally {
    restoreConsole();
    for (const unhook of unhooks) unhook();
    process.off("unhandledRejection", onRejection);
  }
  if (error === undefined && asyncErrors.length > 0) error = asyncErrors[0];

  const monitor = pulumi.runtime.getMonitor() as unknown as { getRegisteredResources(): Map<string, { state: unknown }> };
  const registered = monitor.getRegisteredResources();
  const urns = matchUrns(recorded, registered.keys());
  const resources = recorded.map((r, i) => ({ ...r, urn: urns[i]!, outputs: outputsOf(registered.get(urns[i]!)?.state) }));
  if (error === undefined) {
    const missing = unpricedComponents(resources, costEvents);
    if (missing.length > 0) error = new CostNotReceivedError(missing);
  }
  const result: OfflineRun = { resources, costEvents, logs };
  if (error !== undefined) result.error = error;
  return result;
}

/**
 * The URN of each recorded resource ("" when the engine holds none), in one pass over the URNs indexed by
 * type and name: a scan of every URN per resource was quadratic (24,400 resources took 5.6 s). Resources of
 * one type and name under different parents are matched in registration order.
 */
export function matchUrns(recorded: readonly { type: string; name: string }[], urns: Iterable<string>): string[] {
  const byTypeAndName = new Map<string, string[]>();
  for (const urn of urns) {
    // `urn:pulumi:<stack>::<project>::<parent types$><type>::<name>`: the key is the last type and the name.
    const typeEnd = nthIndexOf(urn, "::", 3);
    const typeStart = Math.max(urn.lastIndexOf("$", typeEnd), nthIndexOf(urn, "::", 2) + 1) + 1;
    const key = `${urn.slice(typeStart, typeEnd)}::${urn.slice(typeEnd + 2)}`;
    const list = byTypeAndName.get(key);
    if (list) list.push(urn);
    else byTypeAndName.set(key, [urn]);
  }
  const next = new Map<string, number>();
  return recorded.map((r) => {
    const key = `${r.type}::${r.name}`;
    const index = next.get(key) ?? 0;
    next.set(key, index + 1);
    return byTypeAndName.get(key)?.[index] ?? "";
  });
}

/** Index of the `n`th (1-based) occurrence of `needle` in `text`, or -1. */
function nthIndexOf(text: string, needle: string, n: number): number {
  let at = -1;
  for (let i = 0; i < n; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) return -1;
  }
  return at;
}

/** gpu-cluster components (found by type token, whatever copy of the library built them) with no cost event. */
function unpricedComponents(resources: Omit<RecordedResource, "outputs">[], costEvents: CostEvent[]): string[] {
  const priced = new Set(costEvents.map((e) => `${e.type} ${e.name}`));
  return resources.filter((r) => !r.custom && r.type.startsWith(COMPONENT_TYPE_PREFIX) && !priced.has(`${r.type} ${r.name}`)).map((r) => `${r.type} ${r.name}`);
}

/**
 * Register `hook` with the copy of gpu-cluster the program itself resolves (from its folder). Returns the unregister functions. A program without its own copy: none.
 */
function programCopyHooks(program: string | (() => unknown), hook: CostHook): (() => void)[] {
  if (typeof program !== "string") return [];
  try {
    const requireFromProgram = createRequire(path.join(path.resolve(program), "package.json"));
    // This very copy, or one sharing the process-wide channel: the registry is a Set, the hook is added once.
    const library = requireFromProgram("gpu-cluster") as { registerCostHook?: (h: CostHook) => () => void };
    return typeof library.registerCostHook === "function" ? [library.registerCostHook(hook)] : [];
  } catch {
    // No copy of its own (the program imports the library by path or through tsconfig paths).
    return [];
  }
}

/**
 * A resource's outputs as the engine holds them: a custom resource's simulated state, or what a
 * component passed to registerOutputs (a protobuf Struct), deserialized to plain values.
 */
function outputsOf(state: unknown): Record<string, any> {
  if (!state || typeof state !== "object") return {};
  if (typeof (state as { toJavaScript?: unknown }).toJavaScript === "function") {
    return pulumi.runtime.deserializeProperties(state as Parameters<typeof pulumi.runtime.deserializeProperties>[0]);
  }
  return Object.fromEntries(Object.entries(state).map(([k, v]) => [k, pulumi.runtime.deserializeProperty(v)]));
}

/** The resource type at the end of a URN's type chain. */
export function urnType(urn: string): string {
  const qualified = urn.split("::")[2] ?? "";
  return qualified.split("$").pop() ?? "";
}

/** The resource name at the end of a URN. */
export function urnName(urn: string): string {
  return urn.split("::").slice(3).join("::");
}

/** The parent types of a resource, outermost first (from its URN). */
export function urnParentTypes(urn: string): string[] {
  const qualified = urn.split("::")[2] ?? "";
  return qualified.split("$").slice(0, -1);
}

/** The project name in the program's Pulumi.yaml, else `offline`. */
export function projectName(dir: string): string {
  const file = path.join(dir, "Pulumi.yaml");
  if (!fs.existsSync(file)) return "offline";
  const match = /^name:\s*([^\s#]+)/m.exec(fs.readFileSync(file, "utf8"));
  return match?.[1] ?? "offline";
}

/** The program's entry file: Pulumi.yaml `main`, else index.ts / index.js. */
export function programEntry(dir: string): string {
  const yamlFile = path.join(dir, "Pulumi.yaml");
  let base = dir;
  if (fs.existsSync(yamlFile)) {
    const main = /^main:\s*([^\s#]+)/m.exec(fs.readFileSync(yamlFile, "utf8"))?.[1];
    if (main) base = path.resolve(dir, main);
  }
  if (fs.existsSync(base) && fs.statSync(base).isFile()) return path.resolve(base);
  for (const candidate of ["index.ts", "index.js"]) {
    const file = path.join(base, candidate);
    if (fs.existsSync(file)) return path.resolve(file);
  }
  throw new SpecError("dir", `no Pulumi program in ${dir}`, "give the folder of a Pulumi program: Pulumi.yaml with index.ts or index.js");
}

function loadProgram(dir: string): void {
  const entry = programEntry(dir);
  // A fresh load on every run (tests run several programs in one process).
  delete require.cache[entry];
  require(entry);
}

/** Wait until every registration the program started has been answered. */
async function waitForEngine(): Promise<void> {
  const runtime = pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> };
  // Let constructors' promise chains start their registrations first.
  await new Promise((resolve) => setImmediate(resolve));
  if (runtime.waitForRPCs) await runtime.waitForRPCs();
  await new Promise((resolve) => setImmediate(resolve));
  if (runtime.waitForRPCs) await runtime.waitForRPCs();
}

function captureConsole(into: string[]): () => void {
  const original = { log: console.log, warn: console.warn, error: console.error };
  const capture = (...args: unknown[]) => into.push(args.map(String).join(" "));
  console.log = capture;
  console.warn = capture;
  console.error = capture;
  return () => Object.assign(console, original);
}
