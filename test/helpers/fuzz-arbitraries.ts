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
    .tuple(fc.record(fields), fc.shuffledSubarray(Object.keys(fields), { maxLength: Math.min(max, Object.keys(fields).length) }))
    .map(([all, keys]) => Object.fromEntries(keys.map((k) => [k, all[k]])));
}

// ---------------------------------------------------------------- catalog-backed values

const clouds = fc.constantFrom(...CLOUDS);

/**
 * Types whose rules are new or unusual, drawn more often than their share of the catalog would give them: P6-B300
 * (ENA on card 0, 16 efa-only cards; 16 EFA connections per node against FSx's 1024), P5 (8 per node), CoreWeave's
 * GB200/GB300 NVL72 trays (whole racks of 18 nodes, the cross-rack check pair), the AKS sizes with an ephemeral OS
 * disk (ND H100/H200 v5's 1,024 GiB temp disk, NC H100 v5's 3,576 GiB past Azure's 2,040 GiB cap) and ND A100 v4's
 * managed one.
 */
const FOCUS_TYPES: Partial<Record<Cloud, readonly string[]>> = {
  aws: ["p6-b300.48xlarge", "p5.48xlarge", "p6-b200.48xlarge"],
  coreweave: ["gb200-4x", "gb300-4x"],
  azure: ["Standard_ND96isr_H100_v5", "Standard_NC40ads_H100_v5", "Standard_ND96amsr_A100_v4", "Standard_NV36ads_A10_v5"],
};

/**
 * Facts of a cloud, drawn in one go so that region, model and instance type belong together; a FOCUS_TYPES type
 * `focusWeight` times in 2 + `focusWeight` draws, any catalog type otherwise.
 */
const placementFocused = (focusWeight: number) => clouds.chain((cloud) => {
  const instances = catalog.instances(cloud);
  const focus = instances.filter((i) => FOCUS_TYPES[cloud]?.includes(i.instanceType));
  const instance = focus.length
    ? fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...instances) }, { weight: focusWeight, arbitrary: fc.constantFrom(...focus) })
    : fc.constantFrom(...instances);
  return instance.chain((instance) =>
    fc.record({
      cloud: fc.constant(cloud),
      region: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...instance.regions) }, { weight: 1, arbitrary: fc.constantFrom(...catalog.regions(cloud)) }),
      instance: fc.constant(instance),
    }),
  );
});
const placement = placementFocused(1);

/**
 * Node counts around this session's limits: whole NVL72 racks and one past them (18, 36, 54; 19, 37), FSx's 1024 EFA
 * connections (64 P6-B300 nodes × 16, 128 P5 nodes × 8, and one more), and past every placement limit.
 */
const nodeCounts: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 64 }) },
  { weight: 2, arbitrary: fc.constantFrom(18, 19, 36, 37, 54, 63, 64, 65, 72, 127, 128, 129, 512, 513) },
);

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
      // FSx for Lustre over EFA and its metadata IOPS (AWS, Persistent 2 tiers only): the values FSx takes, one off, and worse.
      efa: orHostile(fc.boolean(), 3),
      metadataIops: orHostile(fc.oneof(fc.constantFrom(1500, 3000, 6000, 12000, 24000, 192000, 1000, 1501, 13000, 204000, "3000"), edgyNumber), 3),
    };
    // Keep kind and capacity most of the time so that entries reach the catalog and the estimate.
    return fc.tuple(looseRecord(fields), fc.boolean()).map(([e, keep]) => (keep && e.kind === undefined ? { ...e, kind: k, capacityTiB: 2.4 } : e));
  });
  const lustre = catalog.storageTiers(cloud, "lustre", region);
  if (cloud !== "aws" || !lustre.length) return orHostile(entry, 10);
  return orHostile(fc.oneof({ weight: 3, arbitrary: entry }, { weight: 2, arbitrary: fsxEfaEntry(lustre) }), 10);
}

/**
 * An FSx for Lustre entry as one asks for EFA (AWS): a Persistent 2 tier (or another, which must be refused), a
 * capacity at, under or past FSx's EFA step (38,400 GiB = 38.4 TiB on FSx's scale at 125 MB/s/TiB; 19.2, 9.6, 4.8 at
 * 250, 500, 1000), `efa` and sometimes
 * `metadataIops`, so that valid ones reach the plan's 1024-connection check and the estimate.
 */
function fsxEfaEntry(tiers: readonly catalog.StoragePrice[]): fc.Arbitrary<unknown> {
  const all = tiers.map((t) => t.tier);
  const persistent = all.filter((t) => t.startsWith("persistent"));
  const unpriced = new Set(tiers.filter((t) => t.usdPerGiBMonth === null).map((t) => t.tier));
  const fields = {
    kind: fc.constant("lustre"),
    tier: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...(persistent.length ? persistent : all)) }, { weight: 1, arbitrary: fc.constantFrom(...all) }),
    capacityTiB: orHostile(fc.constantFrom(38.4, 76.8, 115.2, 19.2, 9.6, 4.8, 37.5, 12, 2.4), 8),
    mountPath: mountPaths,
    efa: orHostile(fc.constantFrom(true, true, false), 4),
    metadataIops: orHostile(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(1500, 3000, 12000, 24000, 192000) }, { weight: 1, arbitrary: fc.constantFrom(1000, 13000) }), 8),
  };
  // efa always there (true twice in three), the rest as a loose record; a tier without a public price needs the
  // user's contract price (0.6 USD/GiB-month here).
  const entry = hostileContainer(fc.record(fields, { requiredKeys: ["tier", "efa"] }) as fc.Arbitrary<Record<string, unknown>>);
  return entry.map((e) => ({ kind: "lustre", capacityTiB: 38.4, ...(unpriced.has(e.tier as string) ? { contractUsdPerGiBMonth: 0.6 } : {}), ...e }));
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
  const count = fleet ? fc.constantFrom(1, 2, 4, 8) : nodeCounts.map((n) => n * per);
  const fields = {
    model: orHostile(fc.oneof({ weight: 8, arbitrary: fc.constant(instance.gpuModel) }, { weight: 1, arbitrary: fc.constantFrom(...GPU_MODELS) })),
    count: orHostile(fc.oneof({ weight: 6, arbitrary: count }, { weight: 1, arbitrary: edgyNumber })),
    nodes: orHostile(fc.oneof(nodeCounts, edgyNumber)),
    instanceType: orHostile(fc.constant(instance.instanceType)),
  };
  // Usually model + count (the common spec) or a pinned type in nodes, sometimes whatever the loose record gives.
  const common = fc.record({ model: fc.constant(instance.gpuModel), count });
  const pinned = fc.record({ instanceType: fc.constant(instance.instanceType), ...(fleet ? {} : { nodes: nodeCounts }) });
  return fc.oneof({ weight: 6, arbitrary: hostileContainer(common) }, { weight: 2, arbitrary: hostileContainer(pinned) }, { weight: 3, arbitrary: looseRecord(fields) }, { weight: 1, arbitrary: hostile });
}

function egress(): fc.Arbitrary<unknown> {
  return orHostile(
    looseRecord({
      internetTiBPerMonth: orHostile(fc.oneof(fc.constantFrom(0, 1, 20, 500), edgyNumber)),
      crossRegionTiBPerMonth: orHostile(fc.oneof(fc.constantFrom(0, 1, 20), edgyNumber)),
      natGateway: orHostile(fc.constantFrom(true, true, false)),
      // Priced through lib/cost/transfer.ts (each cloud's transfer unit): a fleet's responses and the nodes' pulls.
      servedTiBPerMonth: orHostile(fc.oneof(fc.constantFrom(0, 0.5, 20, 1e4, 1e6, "20"), edgyNumber)),
      pulledTiBPerMonth: orHostile(fc.oneof(fc.constantFrom(0, 0.05, 5, 1e4, 1e6, "5"), edgyNumber)),
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
  return fc.oneof({ weight: 32, arbitrary: hostileContainer(body) }, { weight: 8, arbitrary: deepSpec(fleet) }, { weight: 1, arbitrary: hostile });
}

/**
 * A spec that is valid but for what its new fields hold, so that those reach the planner's and the estimate's deep
 * checks (a loose spec almost always fails earlier): a pinned catalog type in its own region at a node count around
 * its limits, an orchestrator it runs on, egress with served and pulled traffic, and on AWS an FSx for Lustre entry
 * with EFA and metadata IOPS.
 */
function deepSpec(fleet: boolean): fc.Arbitrary<unknown> {
  return placementFocused(3).chain(({ cloud, region, instance }) => {
    const multiple = instance.limits?.nodeMultiple ?? 1;
    // Whole racks (a multiple of nodeMultiple), the counts around this session's limits, and FSx's EFA cap: 1024 ÷ the type's EFA connections per node, and one more.
    const efaCap = cloud === "aws" && instance.fabric === "efa" ? [64, 65, 128, 129] : [];
    const nodes = fc.oneof(
      { weight: 2, arbitrary: nodeCounts },
      { weight: 3, arbitrary: fc.integer({ min: 1, max: 8 }).map((n) => n * multiple) },
      { weight: efaCap.length ? 3 : 0, arbitrary: fc.constantFrom(...(efaCap.length ? efaCap : [1])) },
    );
    const lustre = catalog.storageTiers(cloud, "lustre", region);
    return fc.record({
      cloud: fc.constant(cloud),
      region: fc.constant(instance.regions.includes(region) ? region : instance.regions[0]),
      orchestrator: fc.constantFrom(...(cloud === "coreweave" ? ["kubernetes"] : ORCHESTRATORS)),
      gpu: fleet ? fc.constant({ instanceType: instance.instanceType }) : nodes.map((n) => ({ instanceType: instance.instanceType, nodes: n })),
      ...(fleet ? { replicas: fc.constantFrom({ min: 1, max: 4 }, { min: 2, max: 16 }), loadBalancer: fc.constantFrom("internal", "internet-facing") } : {}),
      storage: cloud === "aws" && lustre.length ? fc.array(orHostile(fsxEfaEntry(lustre), 12), { minLength: 1, maxLength: 2, size: "xsmall" }) : fc.constant([]),
      egress: looseRecord({
        internetTiBPerMonth: orHostile(fc.constantFrom(0, 1, 20), 8),
        servedTiBPerMonth: orHostile(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(0, 0.5, 20, 1e4, 1e6) }, { weight: 1, arbitrary: edgyNumber }), 6),
        pulledTiBPerMonth: orHostile(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(0, 0.05, 5, 1e4, 1e6) }, { weight: 1, arbitrary: edgyNumber }), 6),
      }),
    });
  });
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

/**
 * Numbers at a field's own limits, where it has some: `azure.osDiskGiB` around AKS's 30-2,048 and the VMs' 64-4,095,
 * the ephemeral temp disks (1,024 GiB on ND H100/H200 v5, 1,440 on NV A10 v5) and Azure's 2,040 GiB ephemeral cap.
 */
const NUMBER_SAMPLES: Record<string, readonly number[]> = {
  osDiskGiB: [29, 30, 63, 64, 128, 512, 1023, 1024, 1025, 1440, 1441, 2040, 2041, 2048, 2049, 4095, 4096, 256.5],
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
      return fc.constantFrom(...(NUMBER_SAMPLES[key] ?? [1, 10, 64, 200, 1000]));
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

/**
 * What a bag needs for a new managed cluster (orchestrator 'kubernetes'): the API endpoint's reachability is an
 * explicit choice (lib/clouds/kubernetes/options.ts checkEndpointAccess), so without it every EKS, GKE and AKS
 * component stops there and the checks after it (AKS's OS disk, EKS's Lustre EFA part) are never reached.
 */
const K8S_BASELINE: Partial<Record<Cloud, Record<string, unknown>>> = {
  aws: { eks: { publicEndpoint: false } },
  gcp: { gke: { publicEndpoint: false } },
  azure: { aks: { publicEndpoint: false } },
};

/** An option bag of the given fields: a few keys, each well typed or hostile. */
function optionBag(fields: FieldKinds<object>, baseline: Record<string, unknown> = {}): fc.Arbitrary<unknown> {
  const arbs = Object.fromEntries(Object.entries(fields).map(([key, kind]) => [key, orHostile(typedValue(kind as FieldKind, key), 3)]));
  return hostileContainer(someOf(arbs, 2).map((o) => ({ ...baseline, ...o })));
}

/** A plain valid-looking spec (a pinned catalog type in its own region), so that the option bags next to it are what is tested. */
function plainSpec(fleet: boolean): fc.Arbitrary<Record<string, unknown>> {
  return fc.tuple(placementFocused(2), fc.constantFrom(...ORCHESTRATORS)).map(([{ cloud, instance }, orchestrator]) => ({
    cloud,
    region: instance.regions[0],
    orchestrator: cloud === "coreweave" ? "kubernetes" : orchestrator,
    ...(fleet
      ? { gpu: { instanceType: instance.instanceType }, replicas: { min: 1, max: 4 } }
      : { gpu: { instanceType: instance.instanceType, nodes: instance.limits?.nodeMultiple ?? 2 } }),
  }));
}

/**
 * Options added this session, merged into half the bags so that they are not lost among the bag's other keys:
 * `<cloud>.gpuMetrics` (booleans, and anything else) and `azure.osDiskGiB` (at its limits, and anything else).
 */
const FOCUS_OPTIONS: Record<Cloud, Record<string, fc.Arbitrary<unknown>>> = {
  aws: { gpuMetrics: orHostile(fc.boolean(), 2) },
  gcp: { gpuMetrics: orHostile(fc.boolean(), 2) },
  azure: { gpuMetrics: orHostile(fc.boolean(), 2), osDiskGiB: orHostile(fc.oneof(fc.constantFrom(...NUMBER_SAMPLES.osDiskGiB!), edgyNumber), 3) },
  coreweave: { gpuMetrics: orHostile(fc.boolean(), 1) },
};

/** A cloud's option bag, half the time with some of its FOCUS_OPTIONS as well; `k8s`: the managed cluster's baseline, not the VMs'. */
function cloudBag(cloud: Cloud, k8s: boolean): fc.Arbitrary<unknown> {
  return fc
    .tuple(optionBag(FIELDS[cloud], (k8s ? K8S_BASELINE : BASELINE)[cloud]), fc.boolean(), someOf(FOCUS_OPTIONS[cloud], 2))
    .map(([bag, focus, extra]) => (focus && typeof bag === "object" && bag !== null ? Object.assign(bag, extra) : bag));
}

/** Component args: a spec (of the kind) with, usually, an option bag for its cloud (sometimes another cloud's). */
export function componentArgs(fleet: boolean): fc.Arbitrary<unknown> {
  return fc
    .tuple(fc.oneof(spec(fleet), plainSpec(fleet)), fc.constantFrom(...CLOUDS), fc.boolean(), fc.boolean())
    .chain(([s, other, sameCloud, alsoSame]) => {
      // Mostly the spec's own cloud's bag (1 in 4 another cloud's, which must be refused).
      const own = typeof s === "object" && s !== null && CLOUDS.includes((s as { cloud: Cloud }).cloud) ? (s as { cloud: Cloud }).cloud : undefined;
      const cloud = own !== undefined && (sameCloud || alsoSame) ? own : other;
      const k8s = typeof s === "object" && s !== null && (s as { orchestrator?: unknown }).orchestrator === "kubernetes";
      return orHostile(cloudBag(cloud, k8s), 8).map((bag) => (typeof s === "object" && s !== null && !Array.isArray(s) ? Object.assign(s, { [cloud]: bag }) : s));
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
