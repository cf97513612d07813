/** Turn CLI flags into a spec, so every bad flag becomes the same SpecError a program would get. */
import type { Cloud, GpuModel, PricingModel, StorageKind } from "../catalog/types.js";
import { describeValue } from "../spec/checks.js";
import { SpecError } from "../spec/errors.js";
import type { ClusterSpec, FleetSpec, StorageSpec } from "../spec/types.js";

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

/** `--storage lustre:120[:tier][:/mount]` → StorageSpec. */
function storageFlag(text: string): StorageSpec {
  const parts = text.split(":");
  const [kind, capacity, tier, mountPath] = parts;
  // Two to four fields: a fifth (or a mount path with a colon) would be dropped silently.
  if (parts.length < 2 || parts.length > 4 || !kind || capacity === undefined || !DECIMAL.test(capacity)) {
    throw new SpecError("--storage", `'${text}' is not kind:TiB[:tier[:mountPath]]`, "e.g. --storage lustre:120 or --storage nfs:10:zonal:/home");
  }
  const capacityTiB = Number(capacity);
  const spec: StorageSpec = { kind: kind as StorageKind, capacityTiB };
  if (tier) spec.tier = tier;
  if (mountPath) spec.mountPath = mountPath;
  return spec;
}

/** Build a training spec (or, with --replicas-max, a fleet spec) from flags. */
export function specFromFlags(flags: Flags, cloud?: Cloud): ClusterSpec | FleetSpec {
  const gpu: ClusterSpec["gpu"] = {};
  const model = str(flags, "gpu");
  if (model !== undefined) gpu.model = model as GpuModel;
  const count = numberFlag(flags, "count");
  if (count !== undefined) gpu.count = count;
  const nodes = numberFlag(flags, "nodes");
  if (nodes !== undefined) gpu.nodes = nodes;
  const instanceType = str(flags, "instance-type");
  if (instanceType !== undefined) gpu.instanceType = instanceType;
  const spec: ClusterSpec = {
    cloud: (cloud ?? str(flags, "cloud")) as Cloud,
    region: str(flags, "region") ?? "",
    gpu,
  };
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
  const internet = numberFlag(flags, "egress-tib");
  if (internet !== undefined) spec.egress = { internetTiBPerMonth: internet };
  const budget = numberFlag(flags, "budget");
  if (budget !== undefined) spec.budget = { monthlyUsd: budget, onExceed: "fail" };
  const min = numberFlag(flags, "replicas-min");
  const max = numberFlag(flags, "replicas-max");
  if (min !== undefined || max !== undefined) {
    return { ...spec, replicas: { min: min ?? 1, max: max ?? min ?? 1 } } satisfies FleetSpec;
  }
  return spec;
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
    const text = entry.slice(at + 1);
    const value = text === "true" ? true : text === "false" ? false : WHOLE.test(text) || DECIMAL.test(text) ? Number(text) : text;
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
