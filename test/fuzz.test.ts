/**
 * "No input crashes, no figure is NaN": property-based tests over every pure entry point and the
 * components' synchronous option checks. For any generated input, a call either returns or throws a
 * SpecError with a field path and a hint; and every number in what it returns (plan, estimate,
 * comparison, sizing) is finite and not negative. Anything else thrown (a TypeError, a RangeError)
 * fails the suite with the input that caused it.
 *
 * The seed is fixed so a run is reproducible; fast-check prints the counterexample and the seed/path
 * to replay on a failure. Generators: test/helpers/fuzz-arbitraries.ts.
 */
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { compare, estimateCost, isSpecError, planCluster, planFleet, sizing, validate, validateCluster, validateFleet, type ClusterSpec, type FleetSpec } from "gpu-cluster";
import { prepare } from "../lib/components/build.js";
import { anySpec, compareClouds, componentArgs, componentName, inferenceSizingInput, spec, trainingSizingInput } from "./helpers/fuzz-arbitraries.js";

/** Fixed so that every run draws the same inputs (change it to explore; a failure prints its own seed). */
const SEED = 1_300_013;

/** Cases per entry point; the total is printed at the end (the suite's floor is 10,000). */
const RUNS = {
  validate: 6_000,
  planAndEstimate: 5_000,
  // compare plans every region of every cloud asked for (up to ~60 plans a case), so it gets fewer cases.
  compare: 600,
  sizingTraining: 3_000,
  sizingInference: 2_000,
  components: 4_000,
} as const;

/** What each property saw: calls that returned, and calls that threw a SpecError. */
const outcomes: Record<string, { returned: number; specErrors: number }> = {};

/**
 * The inputs added in session 22, each of which must be seen both passing to the end (a plan and an estimate) and
 * refused by a SpecError naming it, or the generators no longer reach it. `given` says whether an input holds it (the
 * plan's instance type and node count stand for the catalog types); `refused` whether a SpecError's path names it.
 */
const NEW_INPUTS: Record<string, { given?: (input: Rec, plan: Rec | undefined) => boolean; refused?: RegExp; saying?: RegExp }> = {
  "storage[].efa": { given: (i) => storageHas(i, (e) => e.efa === true), refused: /^storage\[\d+\]\.efa$/ },
  "storage[].metadataIops": { given: (i) => storageHas(i, (e) => e.metadataIops !== undefined), refused: /^storage\[\d+\]\.metadataIops$/ },
  "egress.servedTiBPerMonth": { given: (i) => asRec(i.egress)?.servedTiBPerMonth !== undefined, refused: /^egress\.servedTiBPerMonth$/ },
  "egress.pulledTiBPerMonth": { given: (i) => asRec(i.egress)?.pulledTiBPerMonth !== undefined, refused: /^egress\.pulledTiBPerMonth$/ },
  "azure.osDiskGiB": { given: (i) => asRec(i.azure)?.osDiskGiB !== undefined, refused: /^azure\.osDiskGiB$/ },
  "aws.gpuMetrics": { given: (i) => asRec(i.aws)?.gpuMetrics !== undefined, refused: /^aws\.gpuMetrics$/ },
  "gcp.gpuMetrics": { given: (i) => asRec(i.gcp)?.gpuMetrics !== undefined, refused: /^gcp\.gpuMetrics$/ },
  "azure.gpuMetrics": { given: (i) => asRec(i.azure)?.gpuMetrics !== undefined, refused: /^azure\.gpuMetrics$/ },
  "p6-b300.48xlarge": { given: (_i, p) => p?.instanceType === "p6-b300.48xlarge" },
  "gb200-4x over 2+ racks": { given: (_i, p) => p?.instanceType === "gb200-4x" && Number(p.nodeCount) >= 36 },
  // The limits themselves: FSx's 1024 EFA connections (plan), the ephemeral OS disk's temp disk / 2,040 GiB (AKS).
  "efa past 1024 connections": { refused: /^storage\[\d+\]\.efa$/, saying: /EFA connections, more than the 1024/ },
  "osDiskGiB past the temp disk": { refused: /^azure\.osDiskGiB$/, saying: /does not fit: the GPU nodes' OS disk is ephemeral/ },
};
const reach: Record<string, { returned: number; specErrors: number }> = Object.fromEntries(Object.keys(NEW_INPUTS).map((k) => [k, { returned: 0, specErrors: 0 }]));

type Rec = Record<string, unknown>;
function asRec(value: unknown): Rec | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Rec) : undefined;
}
function storageHas(input: Rec, test: (entry: Rec) => boolean): boolean {
  return Array.isArray(input.storage) && input.storage.some((e) => asRec(e) !== undefined && test(e as Rec));
}
/** The plan inside a result: the result itself (planCluster, planFleet) or its `plan` (the components). */
function planOf(result: unknown): Rec | undefined {
  const r = asRec(result);
  return typeof r?.instanceType === "string" ? r : asRec(r?.plan);
}

/** Tally which NEW_INPUTS a call's input held (when it returned) or its SpecError named. */
function tallyReach(input: unknown, result: unknown, error: { path: string; message: string } | undefined): void {
  const rec = asRec(input);
  for (const [label, { given, refused, saying }] of Object.entries(NEW_INPUTS)) {
    if (error) {
      if (refused?.test(error.path) && (saying?.test(error.message) ?? true)) reach[label]!.specErrors++;
    } else if (rec && given?.(rec, planOf(result))) reach[label]!.returned++;
  }
}

/**
 * Run `call`: a return value must have only finite, non-negative figures; a throw must be a SpecError
 * naming a field and its fix. Any other throw propagates, and fast-check reports the input.
 */
function returnsOrSpecError(label: string, call: () => unknown, input?: unknown): void {
  const tally = (outcomes[label] ??= { returned: 0, specErrors: 0 });
  let result: unknown;
  try {
    result = call();
  } catch (err) {
    if (!isSpecError(err)) throw err;
    if (!/\S/.test(err.path)) throw new Error(`SpecError without a field path: ${err.message}`);
    if (!/\S/.test(err.hint)) throw new Error(`SpecError without a hint (the fix): ${err.message}`);
    if (!err.message.startsWith(`${err.path}: `)) throw new Error(`SpecError message does not lead with its path: ${err.message}`);
    tally.specErrors++;
    if (input !== undefined) tallyReach(input, undefined, err);
    return;
  }
  expectFiguresFinite(result, label);
  tally.returned++;
  if (input !== undefined) tallyReach(input, result, undefined);
}

/** Walk a result and fail on the first number that is NaN, infinite or negative, naming where it is. */
function expectFiguresFinite(value: unknown, path: string, seen = new Set<object>()): void {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) throw new Error(`figure ${path} is ${value}`);
    return;
  }
  if (typeof value !== "object" || value === null || seen.has(value)) return;
  seen.add(value);
  for (const [key, child] of Object.entries(value)) expectFiguresFinite(child, Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`, seen);
}

const params = (numRuns: number) => ({ seed: SEED, numRuns });

describe(`input fuzz (fast-check, seed ${SEED})`, () => {
  it(`validate, validateCluster, validateFleet: ${RUNS.validate} specs`, () => {
    fc.assert(
      fc.property(anySpec, (s) => {
        returnsOrSpecError("validate", () => validate(s as ClusterSpec));
        returnsOrSpecError("validateCluster", () => validateCluster(s as ClusterSpec));
        returnsOrSpecError("validateFleet", () => validateFleet(s as FleetSpec));
      }),
      params(RUNS.validate),
    );
  });

  it(`planCluster, planFleet, estimateCost (of the spec and of its plan): ${RUNS.planAndEstimate} specs`, () => {
    fc.assert(
      fc.property(fc.boolean().chain((fleet) => spec(fleet).map((s) => [fleet, s] as const)), ([fleet, s]) => {
        returnsOrSpecError(fleet ? "planFleet" : "planCluster", () => (fleet ? planFleet(s as FleetSpec) : planCluster(s as ClusterSpec)), s);
        returnsOrSpecError("estimateCost", () => estimateCost(s as ClusterSpec));
        returnsOrSpecError("estimateCost(plan)", () => estimateCost(fleet ? planFleet(s as FleetSpec) : planCluster(s as ClusterSpec)));
      }),
      params(RUNS.planAndEstimate),
    );
  });

  it(`compare: ${RUNS.compare} specs with or without cloud and region, over generated clouds options`, () => {
    fc.assert(
      fc.property(anySpec, compareClouds, fc.constantFrom("keep", "neutral", "noGpu"), (s, clouds, how) => {
        let input = s;
        if (typeof s === "object" && s !== null && !Array.isArray(s)) {
          // compare takes cloud-neutral specs (no cloud or region) and, from callers in JS, worse.
          const { cloud: _cloud, region: _region, gpu, ...rest } = s as Record<string, unknown>;
          input = how === "keep" ? s : how === "neutral" ? { ...rest, gpu } : rest;
        }
        returnsOrSpecError("compare", () => compare(input as ClusterSpec, { clouds } as Parameters<typeof compare>[1]));
      }),
      params(RUNS.compare),
    );
  });

  it(`sizing.training: ${RUNS.sizingTraining} inputs`, () => {
    fc.assert(
      fc.property(trainingSizingInput, (input) => returnsOrSpecError("sizing.training", () => sizing.training(input as sizing.TrainingSizingInput))),
      params(RUNS.sizingTraining),
    );
  });

  it(`sizing.inference: ${RUNS.sizingInference} inputs`, () => {
    fc.assert(
      fc.property(inferenceSizingInput, (input) => returnsOrSpecError("sizing.inference", () => sizing.inference(input as sizing.InferenceSizingInput))),
      params(RUNS.sizingInference),
    );
  });

  it(`components (name, spec and cloud option bags, as the constructors check them), and estimateCost(spec, bag): ${RUNS.components} argument sets`, () => {
    fc.assert(
      fc.property(fc.boolean(), componentName, fc.boolean().chain((fleet) => componentArgs(fleet).map((a) => [fleet, a] as const)), (_f, name, [fleet, args]) => {
        returnsOrSpecError(fleet ? "InferenceFleet" : "TrainingCluster", () => {
          const prepared = prepare(fleet ? "inference" : "training", name as string, args as ClusterSpec);
          return { plan: prepared.plan, estimate: prepared.estimate };
        }, args);
        // The same bag straight to estimateCost (its second argument), without the component's checks in front.
        if (typeof args === "object" && args !== null && !Array.isArray(args)) {
          const { aws: _a, gcp: _g, azure: _z, coreweave: _c, ...specOnly } = args as Record<string, unknown>;
          const cloud = (args as { cloud?: unknown }).cloud;
          const bag = typeof cloud === "string" ? (args as Record<string, unknown>)[cloud] : undefined;
          returnsOrSpecError("estimateCost(spec, options)", () => estimateCost(specOnly as unknown as ClusterSpec, bag));
        }
      }),
      params(RUNS.components),
    );
  });

  afterAll(() => {
    const total = Object.values(RUNS).reduce((a, b) => a + b, 0);
    const lines = Object.entries(outcomes).map(([label, o]) => `  ${label.padEnd(20)} ${String(o.returned).padStart(6)} returned  ${String(o.specErrors).padStart(6)} SpecError`);
    const reached = Object.entries(reach).map(([label, r]) => `  ${label.padEnd(24)} ${String(r.returned).padStart(6)} returned  ${String(r.specErrors).padStart(6)} SpecError naming it`);
    console.log(`input fuzz: seed ${SEED}, ${total} generated inputs\n${lines.join("\n")}\nsession 22 inputs (plans and components):\n${reached.join("\n")}`);
    // Every entry point must have been reached with inputs that pass, or the generators are too hostile to test the deep paths.
    for (const [label, o] of Object.entries(outcomes)) expect(o.returned, `${label}: no generated input passed`).toBeGreaterThan(0);
    expect(total).toBeGreaterThanOrEqual(10_000);
    // Every new input must reach a finished plan, and (where a value can be wrong) be refused by name.
    for (const [label, r] of Object.entries(reach)) {
      if (NEW_INPUTS[label]!.given) expect(r.returned, `${label}: no generated input with it passed`).toBeGreaterThan(0);
      if (NEW_INPUTS[label]!.refused) expect(r.specErrors, `${label}: no SpecError named it`).toBeGreaterThan(0);
    }
  });
});
