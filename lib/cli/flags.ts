/** Turn CLI flags into a spec, so every bad flag becomes the same SpecError a program would get. */
import type { Cloud, GpuModel, PricingModel, StorageKind } from "../catalog/types.js";
import { SpecError } from "../spec/errors.js";
import type { ClusterSpec, FleetSpec, StorageSpec } from "../spec/types.js";

export type Flags = Record<string, string | boolean | string[] | undefined>;

function num(flags: Flags, key: string): number | undefined {
  const value = flags[key];
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== "string" || value.trim() === "" || !Number.isFinite(n)) {
    throw new SpecError(`--${key}`, `'${String(value)}' is not a number`, `e.g. --${key} 64`);
  }
  return n;
}

function str(flags: Flags, key: string): string | undefined {
  const value = flags[key];
  return typeof value === "string" ? value : undefined;
}

/** `--storage lustre:120[:tier][:/mount]` → StorageSpec. */
function storageFlag(text: string): StorageSpec {
  const [kind, capacity, tier, mountPath] = text.split(":");
  const capacityTiB = Number(capacity);
  if (!kind || !Number.isFinite(capacityTiB)) {
    throw new SpecError("--storage", `'${text}' is not kind:TiB[:tier[:mountPath]]`, "e.g. --storage lustre:120 or --storage nfs:10:zonal:/home");
  }
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
  const count = num(flags, "count");
  if (count !== undefined) gpu.count = count;
  const nodes = num(flags, "nodes");
  if (nodes !== undefined) gpu.nodes = nodes;
  const instanceType = str(flags, "instance-type");
  if (instanceType !== undefined) gpu.instanceType = instanceType;
  const spec: ClusterSpec = {
    cloud: (cloud ?? str(flags, "cloud")) as Cloud,
    region: str(flags, "region") ?? "",
    gpu,
  };
  const pricing = str(flags, "pricing");
  if (pricing !== undefined) spec.pricing = pricing as PricingModel;
  const hours = num(flags, "hours");
  if (hours !== undefined) spec.hoursPerMonth = hours;
  const orchestrator = str(flags, "orchestrator");
  if (orchestrator !== undefined) spec.orchestrator = orchestrator as ClusterSpec["orchestrator"];
  const fabric = str(flags, "fabric");
  if (fabric !== undefined) spec.fabric = fabric as ClusterSpec["fabric"];
  const storage = flags.storage;
  if (storage !== undefined) spec.storage = (Array.isArray(storage) ? storage : [String(storage)]).map(storageFlag);
  const internet = num(flags, "egress-tib");
  if (internet !== undefined) spec.egress = { internetTiBPerMonth: internet };
  const budget = num(flags, "budget");
  if (budget !== undefined) spec.budget = { monthlyUsd: budget, onExceed: "fail" };
  const min = num(flags, "replicas-min");
  const max = num(flags, "replicas-max");
  if (min !== undefined || max !== undefined) {
    return { ...spec, replicas: { min: min ?? 1, max: max ?? min ?? 1 } } satisfies FleetSpec;
  }
  return spec;
}
