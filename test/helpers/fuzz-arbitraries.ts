/**
 * fast-check generators for the input fuzz suite (test/fuzz.test.ts).
 *
 * Every generator mixes two populations: valid-looking values drawn from the
 * catalog (real clouds, regions, GPU models, instance types, storage tiers),
 * so that many specs pass validation and reach the planner, the estimate and
 * compare; and hostile values (null-prototype objects, prototype-named keys,
 * wrong types, non-finite and huge numbers, sparse arrays, odd strings), so
 * that every check on the way is exercised with what a YAML file, a JSON
 * config or a careless caller can hand it.
 */
import fc from "fast-check";
import * as catalog from "../../lib/catalog/index.js";
import { CLOUDS, GPU_MODELS, PRICING_MODELS, STORAGE_KINDS, type Cloud } from "../../lib/catalog/types.js";
import { AWS_OPTION_FIELDS } from "../../lib/clouds/aws/options.js";
import { AZURE_OPTION_FIELDS } from "../../lib/clouds/azure/options.js";
import { COREWEAVE_OPTION_FIELDS } from "../../lib/clouds/coreweave/options.js";
import { GCP_OPTION_FIELDS } from "../../lib/clouds/gcp/options.js";
import type { FieldKind, FieldKinds } from "../../lib/clouds/shared/option-fields.js";
import { PRECISION_BYTES } from "../../lib/sizing/index.js";
import { FABRIC_CHOICES, ORCHESTRATORS } from "../../lib/spec/types.js";

// ---------------------------------------------------------------- hostile values

/**
 * Values no field accepts, each built fresh per draw (the code under test must not be able to mutate a shared one).
 * Keyed by a label so a counterexample reads well.
 */
const HOSTILE: Record<string, () => unknown> = {
  null: () => null,
  NaN: () => Number.NaN,
  Infinity: () => Infinity,
  "-Infinity": () => -Infinity,
  "-0": () => -0,
  huge: () => 1e308,
  "-huge": () => -1e308,
  negative: () => -1,
  fraction: () => 0.5,
  maxSafe: () => Number.MAX_SAFE_INTEGER,
  empty: () => "",
  blank: () => "   ",
  constructor: () => "constructor",
  __proto__: () => "__proto__",
  toString: () => "toString",
  hasOwnProperty: () => "hasOwnProperty",
  numericString: () => "5",
  hexString: () => "0x40",
  unicode: () => "Ωmega-日本-🚀",
  newline: () => "a\nb",
  true: () => true,
  false: () => false,
  emptyArray: () => [],
  nullArray: () => [null],
  sparseArray: () => [, ,], // eslint-disable-line no-sparse-arrays
  stringArray: () => ["a", "b"],
  emptyObject: () => ({}),
  nullProto: () => Object.create(null),
  constructorKey: () => ({ constructor: "x" }),
  protoKey: () => Object.defineProperty({}, "__proto__", { value: 1, enumerable: true }),
  toStringKey: () => ({ toString: 5 }),
  date: () => new Date(0),
  fn: () => () => 1,
  symbol: () => Symbol("s"),
  bigint: () => 10n,
};

/** Any hostile value. */
export const hostile: fc.Arbitrary<unknown> = fc.constantFrom(...Object.keys(HOSTILE)).map((k) => HOSTILE[k]!());

/** Mostly the valid-looking value, sometimes a hostile one (weight: valid draws per hostile one). */
export function orHostile<T>(valid: fc.Arbitrary<T>, weight = 4): fc.Arbitrary<T | unknown> {
  return fc.oneof({ weight, arbitrary: valid }, { weight: 1, arbitrary: hostile });
}

/** Numbers around the edges: zero, tiny, typical, near and beyond the documented limits, non-finite. */
export const edgyNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, 1, 2, 8, 64, 730, 744, 745, 1e3, 1e6, 1e7, 1e9, 1e12, 1e15, 1e308, -1, 0.5, Number.NaN, Infinity, -Infinity, Number.MAX_VALUE, Number.MIN_VALUE),
  fc.double({ noDefaultInfinity: false }),
  fc.integer({ min: -10, max: 1000 }),
);

/**
 * Turn a generated plain object into a hostile container now and then: a null-prototype copy
 * (what `Object.create(null)` / some YAML and JSON parsers give), or one with a prototype-named key.
 */
function hostileContainer<T extends object>(arb: fc.Arbitrary<T>): fc.Arbitrary<T> {
  const how = fc.oneof(
    { weight: 24, arbitrary: fc.constant("plain") },
    { weight: 2, arbitrary: fc.constant("nullProto") },
    { weight: 1, arbitrary: fc.constantFrom("constructor", "__proto__", "toString") },
  );
  return fc.tuple(arb, how).map(([obj, how]) => {
    if (typeof obj !== "object" || obj === null || Array.isArray(obj)) return obj;
    switch (how) {
      case "nullProto":
        return Object.assign(Object.create(null), obj) as T;
      case "constructor":
      case "toString":
        return { ...obj, [how]: "x" };
      case "__proto__":
        // An own, enumerable "__proto__" key (JSON.parse makes these), not a prototype change.
        return Object.defineProperty({ ...obj }, "__proto__", { value: { polluted: true }, enumerable: true });
      default:
        return obj;
    }
  });
}

/** A record whose keys may each be left out, and whose container may be hostile. */
function looseRecord<R extends Record<string, fc.Arbitrary<unknown>>>(fields: R): fc.Arbitrary<Record<string, unknown>> {
  return hostileContainer(fc.record(fields, { requiredKeys: [] }) as fc.Arbitrary<Record<string, unknown>>);
}

/** Up to `max` of the optional fields, any of them (each present field is one more chance to fail validation). */
function someOf(fields: Record<string, fc.Arbitrary<unknown>>, max: number): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(fc.record(fields), fc.shuffledSubarray(Object.keys(fields), { maxLength: max }))
    .map(([all, keys]) => Object.fromEntries(keys.map((k) => [k, all[k]])));
}

// ---------------------------------------------------------------- catalog-backed values

const clouds = fc.constantFrom(...CLOUDS);

/** Facts of a cloud, drawn in one go so that region, model and instance type belong together. */
const placement = clouds.chain((cloud) => {
  const instances = catalog.instances(cloud);
  return fc.constantFrom(...instances).chain((instance) =>
    fc.record({
      cloud: fc.constant(cloud),
      region: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...instance.regions) }, { weight: 1, arbitrary: fc.constantFrom(...catalog.regions(cloud)) }),
      instance: fc.constant(instance),
    }),
  );
});

const mountPaths = fc.constantFrom("/data", "/mnt/ckpt", "/scratch", "/home", "/mnt/datasets");

function storageEntry(cloud: Cloud, region: string): fc.Arbitrary<unknown> {
  const kinds = STORAGE_KINDS.filter((k) => catalog.storageTiers(cloud, k, region).length > 0);
  const kind = kinds.length ? fc.constantFrom(...kinds) : fc.constantFrom(...STORAGE_KINDS);
  const entry = kind.chain((k) => {
    const tiers = catalog.storageTiers(cloud, k, region).map((t) => t.tier);
    const fields: Record<string, fc.Arbitrary<unknown>> = {
      kind: orHostile(fc.constant(k), 12),
      capacityTiB: orHostile(fc.oneof(fc.constantFrom(1, 2.4, 12, 100, 1e3), edgyNumber), 6),
      tier: orHostile(tiers.length ? fc.constantFrom(...tiers) : fc.string(), 6),
      mountPath: orHostile(mountPaths, 8),
      importPath: orHostile(fc.constantFrom("s3://bucket/prefix", "gs://bucket/prefix"), 4),
      contractUsdPerGiBMonth: orHostile(fc.oneof(fc.constantFrom(0.01, 0.2, 1, 1e6), edgyNumber), 3),
      name: orHostile(fc.constantFrom("datasets", "ckpt", "home"), 6),
      deletionProtection: orHostile(fc.boolean(), 6),
    };
    // Keep kind and capacity most of the time so that entries reach the catalog and the estimate.
    return fc.tuple(looseRecord(fields), fc.boolean()).map(([e, keep]) => (keep && e.kind === undefined ? { ...e, kind: k, capacityTiB: 2.4 } : e));
  });
  return orHostile(entry, 10);
}

/** A storage list: usually a few real entries; sometimes a sparse array, `[null]`, `{}` or a hostile value. */
function storageList(cloud: Cloud, region: string): fc.Arbitrary<unknown> {
  const list = fc.array(storageEntry(cloud, region), { maxLength: 3 });
  const sparse = list.map((l) => {
    const out = [...l];
    out.length += 1; // a hole at the end
    return out;
  });
  return fc.oneof({ weight: 8, arbitrary: list }, { weight: 1, arbitrary: sparse }, { weight: 1, arbitrary: hostile });
}

function gpuSpec(instance: catalog.InstanceFacts, fleet: boolean): fc.Arbitrary<unknown> {
  const per = instance.gpuCount;
  const count = fleet ? fc.constantFrom(1, 2, 4, 8) : fc.integer({ min: 1, max: 64 }).map((n) => n * per);
  const fields = {
    model: orHostile(fc.oneof({ weight: 8, arbitrary: fc.constant(instance.gpuModel) }, { weight: 1, arbitrary: fc.constantFrom(...GPU_MODELS) })),
    count: orHostile(fc.oneof({ weight: 6, arbitrary: count }, { weight: 1, arbitrary: edgyNumber })),
    nodes: orHostile(fc.oneof(fc.integer({ min: 1, max: 64 }), edgyNumber)),
    instanceType: orHostile(fc.constant(instance.instanceType)),
  };
  // Usually model + count (the common spec) or a pinned type in nodes, sometimes whatever the loose record gives.
  const common = fc.record({ model: fc.constant(instance.gpuModel), count });
  const pinned = fc.record({ instanceType: fc.constant(instance.instanceType), ...(fleet ? {} : { nodes: fc.integer({ min: 1, max: 64 }) }) });
  return fc.oneof({ weight: 6, arbitrary: hostileContainer(common) }, { weight: 2, arbitrary: hostileContainer(pinned) }, { weight: 3, arbitrary: looseRecord(fields) }, { weight: 1, arbitrary: hostile });
}

function egress(): fc.Arbitrary<unknown> {
  return orHostile(
    looseRecord({
      internetTiBPerMonth: orHostile(fc.oneof(fc.constantFrom(0, 1, 20, 500), edgyNumber)),
      crossRegionTiBPerMonth: orHostile(fc.oneof(fc.constantFrom(0, 1, 20), edgyNumber)),
      natGateway: orHostile(fc.constantFrom(true, true, false)),
    }),
  );
}

function budget(): fc.Arbitrary<unknown> {
  return orHostile(
    looseRecord({
      monthlyUsd: orHostile(fc.oneof(fc.constantFrom(1e4, 1e6, 1e9), edgyNumber), 6),
      onExceed: orHostile(fc.constantFrom("warn", "fail")),
    }),
  );
}

/** A training cluster or inference fleet spec (fleet when `fleet`), mostly valid-looking. */
export function spec(fleet: boolean): fc.Arbitrary<unknown> {
  const body = placement.chain(({ cloud, region, instance }) => {
    const fields: Record<string, fc.Arbitrary<unknown>> = {
      gpu: gpuSpec(instance, fleet),
      fabric: orHostile(fc.oneof({ weight: 4, arbitrary: fc.constantFrom("auto", "none") }, { weight: 1, arbitrary: fc.constantFrom(...FABRIC_CHOICES) }), 3),
      orchestrator: orHostile(fc.constantFrom(...ORCHESTRATORS), 3),
      storage: storageList(cloud, region),
      egress: egress(),
      pricing: orHostile(fc.constantFrom(...PRICING_MODELS), 3),
      contractUsdPerHour: orHostile(fc.oneof(fc.constantFrom(1, 98.32, 1e4), edgyNumber), 2),
      hoursPerMonth: orHostile(fc.oneof(fc.constantFrom(1, 100, 730, 744), edgyNumber), 3),
      budget: budget(),
      zone: orHostile(fc.constantFrom(`${region}a`, `${region}-a`, "1", "2"), 2),
      reservationId: orHostile(fc.constantFrom("cr-0123456789abcdef0", "my-reservation"), 2),
      name: orHostile(fc.constantFrom("pretrain", "serve"), 3),
    };
    const replicas = orHostile(
      hostileContainer(fc.record({ min: orHostile(fc.integer({ min: 1, max: 4 }), 12), max: orHostile(fc.integer({ min: 4, max: 16 }), 12) })),
      12,
    );
    if (fleet) {
      fields.loadBalancer = orHostile(fc.constantFrom("internal", "internet-facing"), 3);
      fields.port = orHostile(fc.oneof(fc.constantFrom(8000, 443), edgyNumber), 3);
      fields.healthCheckPath = orHostile(fc.constantFrom("/health", "/v1/ready"), 3);
    }
    // Cloud, region, gpu (and a fleet's replicas) are always there unless a hostile value replaces them, so most specs get far.
    const required = fc.record({
      cloud: orHostile(fc.constant(cloud), 40),
      region: orHostile(fc.constant(region), 40),
      gpu: fields.gpu!,
      ...(fleet ? { replicas } : {}),
    });
    const { gpu: _gpu, ...optional } = fields;
    return fc.tuple(required, someOf(optional, 3)).map(([r, o]) => ({ ...r, ...o }));
  });
  return fc.oneof({ weight: 40, arbitrary: hostileContainer(body) }, { weight: 1, arbitrary: hostile });
}

/** Either kind of spec. */
export const anySpec: fc.Arbitrary<unknown> = fc.oneof(spec(false), spec(true));

// ---------------------------------------------------------------- sizing

const precisions = Object.keys(PRECISION_BYTES);

/** Usually one of the typical values, sometimes an edge number. */
function mostly(typical: fc.Arbitrary<number>): fc.Arbitrary<number> {
  return fc.oneof({ weight: 6, arbitrary: typical }, { weight: 1, arbitrary: edgyNumber });
}

/** A record with `required` keys always present (unless hostile) and the rest optional. */
function sizingRecord(required: readonly string[], fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  return hostileContainer(fc.record(fields, { requiredKeys: required as string[] }) as fc.Arbitrary<Record<string, unknown>>);
}

export const trainingSizingInput: fc.Arbitrary<unknown> = orHostile(
  sizingRecord(["parameters", "tokens", "gpu", "days"], {
    parameters: orHostile(mostly(fc.constantFrom(7e9, 70e9, 405e9, 1e15, 1e200)), 16),
    tokens: orHostile(mostly(fc.constantFrom(1e12, 15e12, 1e200)), 16),
    gpu: orHostile(fc.constantFrom(...GPU_MODELS), 16),
    days: orHostile(mostly(fc.constantFrom(1, 30, 90, 1e-300)), 16),
    mfu: orHostile(mostly(fc.constantFrom(0.35, 0.4, 0.55, 1)), 10),
  }),
  20,
);

export const inferenceSizingInput: fc.Arbitrary<unknown> = orHostile(
  sizingRecord(["parameters"], {
    parameters: orHostile(mostly(fc.constantFrom(8e9, 70e9, 405e9, 1e200)), 16),
    precision: orHostile(fc.constantFrom(...precisions), 10),
    contextTokens: orHostile(mostly(fc.constantFrom(0, 8192, 131072)), 10),
    batch: orHostile(mostly(fc.constantFrom(1, 8, 64)), 10),
    layers: orHostile(mostly(fc.constantFrom(32, 80, 126)), 10),
    kvHeads: orHostile(mostly(fc.constantFrom(8, 16)), 10),
    headDim: orHostile(mostly(fc.constantFrom(128)), 10),
    kvPrecision: orHostile(fc.constantFrom(...precisions), 10),
    headroom: orHostile(mostly(fc.constantFrom(0, 0.1, 0.2)), 10),
    clouds: orHostile(fc.subarray([...CLOUDS, "mars"]), 10),
  }),
  20,
);

// ---------------------------------------------------------------- component args (spec + option bags)

const FIELDS: Record<Cloud, FieldKinds<object>> = {
  aws: AWS_OPTION_FIELDS,
  gcp: GCP_OPTION_FIELDS,
  azure: AZURE_OPTION_FIELDS,
  coreweave: COREWEAVE_OPTION_FIELDS,
};

/** Well-typed sample values per field kind (what a careful user passes); the checks decide what they mean. */
function typedValue(kind: FieldKind, key: string): fc.Arbitrary<unknown> {
  switch (kind.type) {
    case "string":
    case "input":
      return fc.constantFrom("10.0.0.0/16", "vpc-0abc", `my-${key.toLowerCase()}`, "llm-train", "ssh-ed25519 AAAAC3Nza", "http://prometheus.monitoring:9090", "1.33");
    case "choice":
      return fc.constantFrom(...kind.choices);
    case "string-list":
    case "input-list":
      return fc.constantFrom(["subnet-a", "subnet-b"], ["10.0.0.0/24"], ["torchrun", "train.py"], []);
    case "number":
      return fc.constantFrom(1, 10, 64, 200, 1000);
    case "boolean":
      return fc.boolean();
    case "string-map":
    case "input-map":
      return fc.constantFrom({ team: "ml-infra" }, { NCCL_DEBUG: "INFO" }, {});
    case "object":
      return kind.fields ? optionBag(kind.fields) : fc.constant({});
  }
}

/** What a bag needs to pass at all for a VM cluster (Azure VMs accept SSH keys only), so that generated keys are checked deep. */
const BASELINE: Partial<Record<Cloud, Record<string, unknown>>> = { azure: { sshPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFuzz" } };

/** An option bag of the given fields: a few keys, each well typed or hostile. */
function optionBag(fields: FieldKinds<object>, baseline: Record<string, unknown> = {}): fc.Arbitrary<unknown> {
  const arbs = Object.fromEntries(Object.entries(fields).map(([key, kind]) => [key, orHostile(typedValue(kind as FieldKind, key), 3)]));
  return hostileContainer(someOf(arbs, 2).map((o) => ({ ...baseline, ...o })));
}

/** A plain valid-looking spec (a pinned catalog type in its own region), so that the option bags next to it are what is tested. */
function plainSpec(fleet: boolean): fc.Arbitrary<Record<string, unknown>> {
  return fc.tuple(placement, fc.constantFrom(...ORCHESTRATORS)).map(([{ cloud, instance }, orchestrator]) => ({
    cloud,
    region: instance.regions[0],
    orchestrator: cloud === "coreweave" ? "kubernetes" : orchestrator,
    ...(fleet
      ? { gpu: { instanceType: instance.instanceType }, replicas: { min: 1, max: 4 } }
      : { gpu: { instanceType: instance.instanceType, nodes: instance.limits?.nodeMultiple ?? 2 } }),
  }));
}

/** Component args: a spec (of the kind) with, usually, an option bag for its cloud (sometimes another cloud's). */
export function componentArgs(fleet: boolean): fc.Arbitrary<unknown> {
  return fc
    .tuple(fc.oneof(spec(fleet), plainSpec(fleet)), fc.constantFrom(...CLOUDS), fc.boolean(), fc.boolean())
    .chain(([s, other, sameCloud, alsoSame]) => {
      // Mostly the spec's own cloud's bag (1 in 4 another cloud's, which must be refused).
      const own = typeof s === "object" && s !== null && CLOUDS.includes((s as { cloud: Cloud }).cloud) ? (s as { cloud: Cloud }).cloud : undefined;
      const cloud = own !== undefined && (sameCloud || alsoSame) ? own : other;
      return orHostile(optionBag(FIELDS[cloud], BASELINE[cloud]), 8).map((bag) => (typeof s === "object" && s !== null && !Array.isArray(s) ? Object.assign(s, { [cloud]: bag }) : s));
    });
}

/** Component names: mostly fine, sometimes empty or not a string. */
export const componentName: fc.Arbitrary<unknown> = orHostile(fc.constantFrom("pretrain", "serve", "llm-70b"), 10);

/** The clouds option of compare: mostly real clouds, sometimes an unknown one or a hostile value. */
export const compareClouds: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.subarray([...CLOUDS], { minLength: 1, maxLength: 2 }) },
  { weight: 1, arbitrary: fc.constantFrom(["mars"], ["aws", "mars"], [null], []) },
  { weight: 1, arbitrary: hostile },
);
