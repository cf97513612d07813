/**
 * The crash classes the input audit and the fuzz suite (test/fuzz.test.ts) found, one case each, with the exact
 * field path and message the SpecError must carry. Before the fixes each of these was a TypeError, a NaN, an
 * Infinity (`$∞`) or a silently dropped value.
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { SPEC_LIMITS, type ClusterSpec, type FleetSpec } from "gpu-cluster";
import { prepare } from "../lib/components/build.js";
import { SIZING_LIMITS } from "../lib/sizing/index.js";
import { specError } from "./helpers/spec-error.js";

const train: ClusterSpec = { cloud: "aws", region: "us-east-1", gpu: { model: "H100", count: 16 } };
const serve: FleetSpec = { cloud: "aws", region: "us-east-1", gpu: { model: "L4" }, replicas: { min: 1, max: 4 } };
const cw: ClusterSpec = { cloud: "coreweave", region: "US-EAST-04", gpu: { model: "H100", count: 16 } };


/** [what, the call, the field path, a phrase of the message] */
type Case = [string, () => unknown, string, RegExp];

const nullProto = (o: object): object => Object.assign(Object.create(null), o);
const withOwnProto = (o: object): object => Object.defineProperty({ ...o }, "__proto__", { value: 1, enumerable: true });

const SPEC_CASES: Case[] = [
  ["gpu.model 'constructor'", () => gpu.validate({ ...train, gpu: { model: "constructor" as never, count: 8 } }), "gpu.model", /'constructor' is not valid/],
  ["pricing 'constructor'", () => gpu.estimateCost({ ...train, pricing: "constructor" as never }), "pricing", /'constructor' is not valid/],
  ["a null-prototype spec is read like any other", () => gpu.validate(nullProto({ ...train, gpu: nullProto({ model: "H100", count: 12 }) }) as ClusterSpec), "gpu.count", /12 GPUs is not a whole number/],
  ["an own __proto__ key (JSON.parse makes these)", () => gpu.validate(withOwnProto(train) as ClusterSpec), "__proto__", /is not a known field/],
  ["a constructor key", () => gpu.validate({ ...train, constructor: "x" } as unknown as ClusterSpec), "constructor", /is not a known field/],
  ["gpu.count an object while nodes is given too", () => gpu.validate({ ...train, gpu: { model: "H100", count: Object.create(null), nodes: 2 } }), "gpu", /not both/],
  ["gpu.count a symbol", () => gpu.validate({ ...train, gpu: { model: "H100", count: Symbol("n") as never } }), "gpu.count", /must be a finite number, got a symbol/],
  ["a string where a number goes", () => gpu.validate({ ...train, hoursPerMonth: "730" as never }), "hoursPerMonth", /must be a finite number, got '730'/],
  ["a sparse storage list", () => gpu.validate({ ...train, storage: [{ kind: "object", capacityTiB: 1 }, , { kind: "object", capacityTiB: 1 }] as never }), "storage[1]", /hole in the list/], // eslint-disable-line no-sparse-arrays
  ["storage [null]", () => gpu.validate({ ...train, storage: [null] as never }), "storage[0]", /must be an object, got null/],
  ["capacity beyond the limit", () => gpu.estimateCost({ ...train, storage: [{ kind: "object", capacityTiB: 1e308 }] }), "storage[0].capacityTiB", /1e\+308 is too large/],
  ["internet egress beyond the limit", () => gpu.estimateCost({ ...train, egress: { internetTiBPerMonth: SPEC_LIMITS.egressTiBPerMonth + 1 } }), "egress.internetTiBPerMonth", /too large/],
  ["cross-region egress beyond the limit", () => gpu.estimateCost({ ...train, egress: { crossRegionTiBPerMonth: 1e308 } }), "egress.crossRegionTiBPerMonth", /too large/],
  ["contract price per hour beyond the limit", () => gpu.estimateCost({ ...train, contractUsdPerHour: 1e308 }), "contractUsdPerHour", /too large; use a number greater than 0 and at most 10000/],
  ["contract storage price beyond the limit", () => gpu.estimateCost({ ...train, storage: [{ kind: "object", capacityTiB: 1, contractUsdPerGiBMonth: 1e308 }] }), "storage[0].contractUsdPerGiBMonth", /too large/],
  ["budget beyond the limit", () => gpu.estimateCost({ ...train, budget: { monthlyUsd: 1e308 } }), "budget.monthlyUsd", /too large/],
  ["a vanishing hoursPerMonth (the hourly figure was Infinity)", () => gpu.estimateCost({ ...serve, hoursPerMonth: 5e-324 }), "hoursPerMonth", /too small; use a number at least 1 and at most 744/],
  ["a hand-made plan with a NaN price", () => gpu.estimateCost({ ...gpu.planCluster(train), unitPrice: { usdPerHour: Number.NaN, source: "x", asOf: "x" } }), "plan", /finite figures/],
];

const COMPARE_CASES: Case[] = [
  ["storage {}", () => gpu.compare({ ...train, storage: {} as never }), "storage", /must be a list, got an object/],
  ["storage [null]", () => gpu.compare({ ...train, storage: [null] as never }), "storage[0]", /must be an object, got null/],
  ["no gpu", () => gpu.compare({ cloud: "aws", region: "us-east-1" } as never), "gpu", /is required/],
  ["an unknown cloud", () => gpu.compare(train, { clouds: ["mars" as never] }), "clouds[0]", /'mars' is not valid/],
  ["clouds not a list", () => gpu.compare(train, { clouds: "aws" as never }), "clouds", /must be a list/],
  ["regions of a cloud not a list", () => gpu.compare(train, { clouds: ["aws"], regions: { aws: "us-east-1" as never } }), "regions.aws", /must be a list/],
  ["a spec every place refuses for one reason", () => gpu.compare({ gpu: { model: "H1000" as never, count: 8 } }), "gpu.model", /'H1000' is not valid/],
];

const SIZING_CASES: Case[] = [
  ["precision 'constructor'", () => gpu.sizing.inference({ parameters: 7e9, precision: "constructor" as never }), "precision", /'constructor' is not valid/],
  ["precision 5", () => gpu.sizing.inference({ parameters: 7e9, precision: 5 as never }), "precision", /must be a string, got 5/],
  ["headroom NaN", () => gpu.sizing.inference({ parameters: 7e9, headroom: Number.NaN }), "headroom", /must be a finite number, got NaN/],
  ["headroom 1", () => gpu.sizing.inference({ parameters: 7e9, headroom: 1 }), "headroom", /too large; use a number at least 0 and below 1/],
  ["negative layers", () => gpu.sizing.inference({ parameters: 7e9, contextTokens: 8192, layers: -80, kvHeads: 8, headDim: 128 }), "layers", /-80 is too small/],
  ["an unknown cloud", () => gpu.sizing.inference({ parameters: 7e9, clouds: ["mars" as never] }), "clouds[0]", /'mars' is not valid/],
  ["parameters × tokens that overflow", () => gpu.sizing.training({ parameters: 1e200, tokens: 1e200, gpu: "H100", days: 30 }), "parameters", new RegExp(`too large; use a number greater than 0 and at most ${SIZING_LIMITS.parameters}`)],
  ["gpu 'constructor'", () => gpu.sizing.training({ parameters: 7e9, tokens: 1e12, gpu: "constructor" as never, days: 30 }), "gpu", /'constructor' is not valid/],
  ["a vanishing days (GPUs were Infinity)", () => gpu.sizing.training({ parameters: 7e9, tokens: 1e12, gpu: "H100", days: 5e-324 }), "days", /too small/],
  ["null input", () => gpu.sizing.training(null as never), "input", /must be an object, got null/],
];

const COMPONENT_CASES: Case[] = [
  ["aws.vpcId a number", () => prepare("training", "t", { ...train, aws: { vpcId: 5 as never, subnetIds: ["subnet-1"] } }), "aws.vpcId", /must be a string \(or a Pulumi Output of one\), got 5/],
  ["coreweave.namespace an object", () => prepare("training", "t", { ...cw, coreweave: { namespace: {} as never } }), "coreweave.namespace", /must be a string, got an object/],
  ["aws.subnetIds a string", () => prepare("training", "t", { ...train, aws: { vpcId: "vpc-1", subnetIds: "subnet-1" as never } }), "aws.subnetIds", /must be a list/],
  ["a hole in aws.subnetIds", () => prepare("inference", "t", { ...serve, aws: { vpcId: "vpc-1", subnetIds: ["subnet-1", , "subnet-2"] as never } }), "aws.subnetIds[1]", /is missing \(a hole in the list/], // eslint-disable-line no-sparse-arrays
  ["an array where a string goes", () => prepare("training", "t", { ...train, aws: { vpcCidr: ["10.0.0.0/16"] as never } }), "aws.vpcCidr", /must be a string, got a list/],
  ["the option bag a list", () => prepare("training", "t", { ...train, aws: [] as never }), "aws", /must be an object, got a list/],
  ["a nested bag of the wrong type", () => prepare("inference", "t", { ...cw, gpu: { model: "H100" }, replicas: { min: 1, max: 2 }, coreweave: { keda: "yes" as never } }), "coreweave.keda", /must be an object/],
  ["a tag that is not a string", () => prepare("training", "t", { ...train, aws: { tags: { team: 5 as never } } }), "aws.tags.team", /must be a string, got 5/],
  ["a number that is NaN", () => prepare("training", "t", { ...train, aws: { rootVolumeGiB: Number.NaN } }), "aws.rootVolumeGiB", /must be a finite number, got NaN/],
  ["an empty component name", () => prepare("training", "", train), "name", /must be a non-empty string, got an empty string/],
];

describe("input errors: each crash class is a SpecError naming the field", () => {
  for (const [group, cases] of [["spec, plan and estimate", SPEC_CASES], ["compare", COMPARE_CASES], ["sizing", SIZING_CASES], ["component option bags", COMPONENT_CASES]] as const) {
    describe(group, () => {
      it.each(cases)("%s", (_what, call, path, message) => {
        const err = specError(call);
        expect(err.path).toBe(path);
        expect(err.message).toMatch(message);
      });
    });
  }

  it("new TrainingCluster('') throws before anything is registered (no engine is needed to reach the error)", () => {
    const err = specError(() => new gpu.TrainingCluster("", train));
    expect(err.path).toBe("name");
  });

  it("every estimate at the limits is a finite figure", () => {
    const estimate = gpu.estimateCost({
      ...train,
      gpu: { model: "H100", nodes: 64 },
      contractUsdPerHour: SPEC_LIMITS.contractUsdPerHour,
      hoursPerMonth: SPEC_LIMITS.hoursPerMonth,
      storage: [{ kind: "object", capacityTiB: SPEC_LIMITS.capacityTiB, contractUsdPerGiBMonth: SPEC_LIMITS.contractUsdPerGiBMonth }],
      egress: { internetTiBPerMonth: SPEC_LIMITS.egressTiBPerMonth, crossRegionTiBPerMonth: SPEC_LIMITS.egressTiBPerMonth },
      budget: { monthlyUsd: SPEC_LIMITS.budgetMonthlyUsd },
    });
    // 64 nodes × 744 h × $10,000 + 1,000,000 TiB × 1024 GiB × $100 + egress: large, and a number.
    expect(estimate.monthlyUsd).toBeGreaterThan(1e11);
    expect(Number.isFinite(estimate.monthlyUsd)).toBe(true);
    expect(Number.isFinite(estimate.hourlyUsd)).toBe(true);
    // (The open-ended egress tier is labelled "150–∞ TiB"; no amount may be.)
    expect(gpu.renderText(estimate)).not.toMatch(/\$∞|NaN|Infinity/);
  });

  it("sizing at the limits is a finite figure", () => {
    const t = gpu.sizing.training({ parameters: SIZING_LIMITS.parameters, tokens: SIZING_LIMITS.tokens, gpu: "A10", days: SIZING_LIMITS.minDays, mfu: SIZING_LIMITS.minMfu });
    expect(Number.isFinite(t.gpus) && Number.isFinite(t.gpusRoundedToNodes) && Number.isFinite(t.gpuHours)).toBe(true);
  });
});
