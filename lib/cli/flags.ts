/** Turn CLI flags into a spec, so every bad flag becomes the same SpecError a program would get. */
import * as fs from "node:fs";
import type { Cloud, GpuModel, PricingModel, StorageKind } from "../catalog/types.js";
import { describeValue } from "../spec/checks.js";
import { SpecError, choicesHint } from "../spec/errors.js";
import type { ClusterSpec, EgressSpec, FleetSpec, LoadBalancerScheme, StorageSpec } from "../spec/types.js";

export type Flags = Record<string, string | boolean | string[] | undefined>;

/**
 * Numbers in flags are plain decimal digits. `Number()` also reads "0x40" (64), "1e3" (1000), " 8 " and
 * "Infinity", which in a flag are typos far likelier than intent, so they are refused rather than guessed.
 */
const DECIMAL = /^\d+(\.\d+)?$/;
const WHOLE = /^\d+$/;

/** Flags that count things (GPUs, nodes, replicas): whole numbers only. */
const WHOLE_FLAGS = new Set(["count", "nodes", "replicas-min", "replicas-max"]);

/** The number a flag gives, or undefined without the flag. Throws SpecError naming the flag. */
export function numberFlag(flags: Flags, key: string): number | undefined {
  const value = flags[key];
  if (value === undefined) return undefined;
  const whole = WHOLE_FLAGS.has(key);
  if (typeof value !== "string" || !DECIMAL.test(value)) {
    throw new SpecError(`--${key}`, `${describeValue(value)} is not a number`, `give plain decimal digits (no sign, exponent or hex), e.g. --${key} ${whole ? 64 : 2.5}`);
  }
  if (whole && !WHOLE.test(value)) throw new SpecError(`--${key}`, `'${value}' is not a whole number`, `e.g. --${key} ${Math.ceil(Number(value))}`);
  return Number(value);
}

function str(flags: Flags, key: string): string | undefined {
  const value = flags[key];
  return typeof value === "string" ? value : undefined;
}

/**
 * The storage fields a `--storage` flag may set after its positional part, by their spec names (the same names a
 * program writes), with how each value is read.
 */
const STORAGE_FIELDS = {
  name: "string",
  importPath: "string",
  contractUsdPerGiBMonth: "number",
  metadataIops: "number",
  efa: "boolean",
  deletionProtection: "boolean",
} as const satisfies Partial<Record<keyof StorageSpec, "string" | "number" | "boolean">>;

/** A `key=value` of a flag as the type its field takes; a refusal names the flag and the field. */
function typedValue(flag: string, key: string, text: string, type: "string" | "number" | "boolean"): string | number | boolean {
  if (type === "string") {
    if (text === "") throw new SpecError(flag, `${key} is empty`, `give a value, e.g. ${key}=…`);
    return text;
  }
  if (type === "boolean") {
    if (text !== "true" && text !== "false") throw new SpecError(flag, `${key}=${text} is not true or false`, `e.g. ${key}=true`);
    return text === "true";
  }
  if (!DECIMAL.test(text)) throw new SpecError(flag, `${key}=${text} is not a number`, `give plain decimal digits, e.g. ${key}=0.2`);
  return Number(text);
}

/**
 * `--storage lustre:120[:tier[:/mount]][,field=value...]` → StorageSpec. The fields after the commas are the storage
 * entry's other spec fields (STORAGE_FIELDS), e.g. `lustre:48:premium-250:/data,contractUsdPerGiBMonth=0.2` for an
 * Azure Managed Lustre quote, or `,efa=true,metadataIops=12000` on AWS. An import path may hold colons (`s3://…`), so
 * the commas, not the colons, end the positional part.
 */
function storageFlag(text: string): StorageSpec {
  const [head = "", ...extras] = text.split(",");
  const parts = head.split(":");
  const [kind, capacity, tier, mountPath] = parts;
  // Two to four fields: a fifth (or a mount path with a colon) would be dropped silently.
  if (parts.length < 2 || parts.length > 4 || !kind || capacity === undefined || !DECIMAL.test(capacity)) {
    throw new SpecError("--storage", `'${text}' is not kind:TiB[:tier[:mountPath]][,field=value...]`, "e.g. --storage lustre:120 or --storage nfs:10:zonal:/home");
  }
  const capacityTiB = Number(capacity);
  const spec: StorageSpec = { kind: kind as StorageKind, capacityTiB };
  if (tier) spec.tier = tier;
  if (mountPath) spec.mountPath = mountPath;
  const fields = Object.keys(STORAGE_FIELDS) as (keyof typeof STORAGE_FIELDS)[];
  for (const extra of extras) {
    const at = extra.indexOf("=");
    const key = at > 0 ? extra.slice(0, at) : extra;
    if (!(fields as string[]).includes(key)) {
      throw new SpecError("--storage", `'${extra}' in '${text}' is not field=value of a storage field`, choicesHint(key, fields));
    }
    const field = key as keyof typeof STORAGE_FIELDS;
    if (at < 0) throw new SpecError("--storage", `${field} has no value in '${text}'`, `write ${field}=value`);
    if (spec[field] !== undefined) throw new SpecError("--storage", `${field} is given twice in '${text}'`, "give each field once");
    Object.assign(spec, { [field]: typedValue("--storage", field, extra.slice(at + 1), STORAGE_FIELDS[field]) });
  }
  return spec;
}

/** The spec's own top-level fields, which is what a `--spec` file may hold besides the cloud option bags. */
const SPEC_FIELDS = [
  "cloud", "region", "gpu", "orchestrator", "fabric", "storage", "egress", "pricing", "contractUsdPerHour", "hoursPerMonth",
  "budget", "zone", "reservationId", "name", "replicas", "loadBalancer", "port", "healthCheckPath",
] as const satisfies readonly (keyof (ClusterSpec & FleetSpec))[];

/** The component's per-cloud option bags (`aws`, `gcp`, `azure`, `coreweave`), as a `--spec` file may hold them. */
const OPTION_BAGS = ["aws", "gcp", "azure", "coreweave"] as const;

/** What a `--spec` file holds: the component's args, split as the component splits them. */
export interface SpecFile {
  spec: Partial<ClusterSpec & FleetSpec>;
  bags: Partial<Record<(typeof OPTION_BAGS)[number], Record<string, unknown>>>;
}

/**
 * `--spec args.json`: the component's args as JSON, the same object a program passes to `new TrainingCluster(name,
 * args)` or `new InferenceFleet(name, args)` (with `replicas`, a fleet), its cloud option bag included. So every input
 * a component takes can be priced from the CLI; flags given too override the file's fields (`gpu` and `egress` field by
 * field). Undefined without the flag. An unreadable file, bad JSON or an unknown key is a SpecError naming `--spec`.
 */
export function specFileFlag(flags: Flags): SpecFile | undefined {
  const file = str(flags, "spec");
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = fs.readFileSync(file === "-" ? 0 : file, "utf8");
  } catch (e) {
    throw new SpecError("--spec", `cannot read '${file}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, "give the path of a JSON file holding the component's args (or - for standard input)");
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new SpecError("--spec", `'${file}' is not JSON: ${(e as Error).message}`, "write the component's args as a JSON object, e.g. {\"cloud\": \"aws\", \"region\": \"us-east-1\", \"gpu\": {\"model\": \"H100\", \"count\": 64}}");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new SpecError("--spec", `'${file}' holds ${describeValue(parsed)}, not an object`, "write the component's args as one JSON object");
  }
  const known: readonly string[] = [...SPEC_FIELDS, ...OPTION_BAGS];
  const result: SpecFile = { spec: {}, bags: {} };
  for (const [key, value] of Object.entries(parsed)) {
    if (!known.includes(key)) throw new SpecError(`--spec: ${key}`, "is not a field of the component's args", choicesHint(key, known));
    if ((OPTION_BAGS as readonly string[]).includes(key)) result.bags[key as (typeof OPTION_BAGS)[number]] = value as Record<string, unknown>;
    else Object.assign(result.spec, { [key]: value });
  }
  return result;
}

/** A `--nat-gateway` / boolean flag's value. */
function booleanFlag(flags: Flags, key: string): boolean | undefined {
  const value = str(flags, key);
  if (value === undefined) return undefined;
  if (value !== "true" && value !== "false") throw new SpecError(`--${key}`, `'${value}' is not true or false`, `e.g. --${key} false`);
  return value === "true";
}

/** Egress flags and the spec field each sets (TiB per month, or the NAT switch). */
const EGRESS_FLAGS = {
  "egress-tib": "internetTiBPerMonth",
  "cross-region-tib": "crossRegionTiBPerMonth",
  "pulled-tib": "pulledTiBPerMonth",
  "served-tib": "servedTiBPerMonth",
} as const satisfies Record<string, keyof EgressSpec>;

/** Build a training spec (or, with replicas from a flag or the `--spec` file, a fleet spec) from flags. */
export function specFromFlags(flags: Flags, cloud?: Cloud, file: SpecFile | undefined = specFileFlag(flags)): ClusterSpec | FleetSpec {
  const base = file?.spec ?? {};
  const gpu: ClusterSpec["gpu"] = { ...base.gpu };
  const model = str(flags, "gpu");
  if (model !== undefined) gpu.model = model as GpuModel;
  const count = numberFlag(flags, "count");
  if (count !== undefined) gpu.count = count;
  const nodes = numberFlag(flags, "nodes");
  if (nodes !== undefined) gpu.nodes = nodes;
  const instanceType = str(flags, "instance-type");
  if (instanceType !== undefined) gpu.instanceType = instanceType;
  const spec = {
    ...base,
    cloud: (cloud ?? str(flags, "cloud") ?? base.cloud) as Cloud,
    region: str(flags, "region") ?? base.region ?? "",
    gpu,
  } as ClusterSpec & Partial<FleetSpec>;
  // Where the nodes go and what pays for them, as the components take them (`zone`, `reservationId`).
  const zone = str(flags, "zone");
  if (zone !== undefined) spec.zone = zone;
  const reservationId = str(flags, "reservation-id");
  if (reservationId !== undefined) spec.reservationId = reservationId;
  const pricing = str(flags, "pricing");
  if (pricing !== undefined) spec.pricing = pricing as PricingModel;
  // A negotiated (or, for GCP flex-start, the DWS) rate, USD per instance-hour: `contractUsdPerHour`.
  const contract = numberFlag(flags, "contract-usd-per-hour");
  if (contract !== undefined) spec.contractUsdPerHour = contract;
  const hours = numberFlag(flags, "hours");
  if (hours !== undefined) spec.hoursPerMonth = hours;
  const orchestrator = str(flags, "orchestrator");
  if (orchestrator !== undefined) spec.orchestrator = orchestrator as ClusterSpec["orchestrator"];
  const fabric = str(flags, "fabric");
  if (fabric !== undefined) spec.fabric = fabric as ClusterSpec["fabric"];
  const storage = flags.storage;
  if (storage !== undefined) spec.storage = (Array.isArray(storage) ? storage : [String(storage)]).map(storageFlag);
  const egress: EgressSpec = { ...base.egress };
  for (const [flag, field] of Object.entries(EGRESS_FLAGS)) {
    const tib = numberFlag(flags, flag);
    if (tib !== undefined) egress[field] = tib;
  }
  const nat = booleanFlag(flags, "nat-gateway");
  if (nat !== undefined) egress.natGateway = nat;
  if (Object.keys(egress).length > 0) spec.egress = egress;
  const budget = numberFlag(flags, "budget");
  if (budget !== undefined) spec.budget = { monthlyUsd: budget, onExceed: "fail" };
  // Fleet-only inputs: with one of them (or replicas in the file) the spec is a fleet.
  const loadBalancer = str(flags, "load-balancer");
  if (loadBalancer !== undefined) spec.loadBalancer = loadBalancer as LoadBalancerScheme;
  const min = numberFlag(flags, "replicas-min");
  const max = numberFlag(flags, "replicas-max");
  if (min !== undefined || max !== undefined) {
    // A bound not given keeps the file's (a --replicas-min alone keeps the file's max), else follows the other one.
    return { ...spec, replicas: { min: min ?? spec.replicas?.min ?? 1, max: max ?? spec.replicas?.max ?? min ?? 1 } } satisfies FleetSpec;
  }
  if (spec.replicas === undefined && loadBalancer !== undefined) {
    throw new SpecError("--load-balancer", "is a fleet's input, and no replicas were given", "add --replicas-min N --replicas-max N (an inference fleet)");
  }
  return spec;
}

/**
 * The cloud option bag `estimate` prices with: the `--spec` file's bag for the spec's cloud, with each `--option`
 * set over it. A bag for another cloud is refused as the component refuses it. Undefined when neither gives one.
 */
export function cloudOptionsFromFlags(flags: Flags, cloud: Cloud, file: SpecFile | undefined = specFileFlag(flags)): Record<string, unknown> | undefined {
  const bags = file?.bags ?? {};
  for (const key of OPTION_BAGS) {
    if (bags[key] !== undefined && key !== cloud) {
      throw new SpecError(`--spec: ${key}`, `options for ${key} were given, but cloud is '${cloud}'`, `move them under '${cloud}' or remove them`);
    }
  }
  const fromFile = bags[cloud as (typeof OPTION_BAGS)[number]];
  const fromFlags = cloudOptionFlags(flags.option);
  if (fromFile === undefined) return fromFlags;
  if (typeof fromFile !== "object" || fromFile === null || Array.isArray(fromFile)) {
    throw new SpecError(`--spec: ${cloud}`, `is ${describeValue(fromFile)}, not an object`, `give the ${cloud} options as an object, e.g. {"${cloud}": {...}}`);
  }
  return fromFlags === undefined ? fromFile : deepMerge(fromFile, fromFlags);
}

/** `over` set onto a copy of `base`, object by object (an `--option` inside a file's nested bag keeps its siblings). */
function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const under = out[key];
    const bothObjects = [value, under].every((v) => typeof v === "object" && v !== null && !Array.isArray(v));
    out[key] = bothObjects ? deepMerge(under as Record<string, unknown>, value as Record<string, unknown>) : value;
  }
  return out;
}

/**
 * An `--option` value: JSON when it starts like a JSON list, object or string (`subnetIds=["subnet-a","subnet-b"]`,
 * `eks.kubernetesVersion="1.35"`); `true` / `false`; a number when the digits read back the same (`rootVolumeGiB=512`;
 * `1.30` stays text, as a number would drop its zero); anything else text.
 */
function optionValue(entry: string, text: string): unknown {
  if (/^[[{"]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new SpecError("--option", `'${entry}': the value is not JSON (${(e as Error).message})`, `quote it as JSON, e.g. --option 'subnetIds=["subnet-a","subnet-b"]'`);
    }
  }
  if (text === "true" || text === "false") return text === "true";
  return DECIMAL.test(text) && String(Number(text)) === text ? Number(text) : text;
}

/** Path segments an option key may not use: they would reach the object's prototype, not an option. */
const UNSAFE_SEGMENTS = new Set(["__proto__", "prototype", "constructor"]);

/**
 * `--option key.path=value`... → the cloud's option bag (what a component takes as `aws`, `gcp`, `azure` or
 * `coreweave`), so `estimate` prices what the component would build: an existing cluster
 * (`--option eks.clusterName=prod`), a node disk size (`--option rootVolumeGiB=512`), a Kubernetes version. Values
 * `true` / `false` are booleans and plain decimal digits numbers; anything else is a string. The bag is checked by
 * the same option check the component runs (a typo is a SpecError naming the option). Undefined without the flag.
 */
export function cloudOptionFlags(values: Flags[string]): Record<string, unknown> | undefined {
  if (values === undefined) return undefined;
  const bag: Record<string, unknown> = {};
  for (const entry of Array.isArray(values) ? values : [String(values)]) {
    const at = entry.indexOf("=");
    const path = at > 0 ? entry.slice(0, at).split(".") : [];
    if (path.length === 0 || path.some((k) => k === "" || UNSAFE_SEGMENTS.has(k))) {
      throw new SpecError("--option", `'${entry}' is not key.path=value`, "e.g. --option eks.clusterName=prod or --option rootVolumeGiB=512");
    }
    const value = optionValue(entry, entry.slice(at + 1));
    let node = bag;
    for (const key of path.slice(0, -1)) {
      const next = node[key];
      if (next !== undefined && (typeof next !== "object" || next === null)) {
        throw new SpecError("--option", `'${entry}' sets inside ${key}, which another --option gave a value`, "give each option once");
      }
      node = (node[key] ??= {}) as Record<string, unknown>;
    }
    node[path[path.length - 1]!] = value;
  }
  return bag;
}
