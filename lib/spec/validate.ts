/**
 * Validation of the user's spec, synchronous and complete: everything that
 * cannot be built is caught here, before any resource exists, as a SpecError
 * naming the field, the problem and the fix.
 *
 * Validation also settles the facts the rest of the pipeline relies on (the
 * instance type, node count, fabric, tiers, unit price), so that the planner
 * never has to re-check them; it returns them as a `CheckedSpec`.
 */
import * as catalog from "../catalog/index.js";
import { LUSTRE_EFA_CAPACITY_STEP_GIB, LUSTRE_METADATA_IOPS, fsxLustreCapacityGiB, lustreDeployment } from "../clouds/aws/storage-rules.js";
import {
  CLOUDS,
  GPU_MODELS,
  PRICING_MODELS,
  STORAGE_KINDS,
  type Cloud,
  type FabricKind,
  type GpuModel,
  type InstanceFacts,
  type PricingModel,
  type Sourced,
  type StorageKind,
  type StoragePrice,
} from "../catalog/types.js";
import { rankInstances, smallTrainingInstance, type Workload } from "../planner/choose-instance.js";
import { CLOUD_ONLY_PRICING, KUBERNETES_ONLY, pricingModelsOf } from "../planner/offering.js";
import { fleetPacking, type FleetPacking } from "../planner/packing.js";
import {
  optionalInteger,
  optionalNumber,
  optionalString,
  requireBoolean,
  requireChoice,
  requireInteger,
  requireList,
  requireNumber,
  requireObject,
  requireString,
} from "./checks.js";
import { SpecError, choicesHint, rejectUnknownKeys } from "./errors.js";
import { checkMountPath, checkScratchCollision, checkStorageName, storageNameFromPath } from "./storage-identity.js";
import {
  BUDGET_ACTIONS,
  FABRIC_CHOICES,
  ORCHESTRATORS,
  SPEC_DEFAULTS,
  type BudgetAction,
  type ClusterSpec,
  type FabricChoice,
  type FleetSpec,
  type Orchestrator,
  SPEC_LIMITS,
  type StorageSpec,
} from "./types.js";

/** One storage entry after validation: the catalog tier it resolved to. */
export interface CheckedStorage {
  spec: StorageSpec;
  price: StoragePrice;
  mountPath: string;
  /** The entry's stable identity (`storage[].name`, or derived from the mount path). */
  name: string;
  /** `storage[].deletionProtection`, default true. */
  deletionProtection: boolean;
  /** The price used: the spec's contract price, or the catalog's. */
  usdPerGiBMonth: number;
  priceSource: Sourced;
}

/** The spec with defaults applied and every catalog fact it depends on settled. */
export interface CheckedSpec {
  workload: Workload;
  name?: string;
  cloud: Cloud;
  region: string;
  zone?: string;
  reservationId?: string;
  instance: InstanceFacts;
  gpuModel: GpuModel;
  fabricRequested: FabricChoice;
  /** The fabric the nodes get (`none` when opted out). */
  fabric: FabricKind;
  /** How the nodes are run (CoreWeave: always `kubernetes`). */
  orchestrator: Orchestrator;
  /** Training: nodes in the cluster. Inference: the nodes at `replicas.min` (`packing.nodes.min`). */
  nodeCount: number;
  /** Inference only: autoscaling bounds of the replicas. */
  replicas?: { min: number; max: number };
  /** Inference only: GPUs per replica, replicas per node and the node bounds (lib/planner/packing.ts). */
  packing?: FleetPacking;
  pricing: PricingModel;
  /** USD per instance-hour and where it came from (the catalog, or the spec's contract price). */
  unitPrice: Sourced & { usdPerHour: number };
  hoursPerMonth: number;
  storage: CheckedStorage[];
  egress: { internetTiBPerMonth: number; crossRegionTiBPerMonth: number; natGateway: boolean; pulledTiBPerMonth?: number; servedTiBPerMonth?: number };
  budget?: { monthlyUsd: number; onExceed: BudgetAction };
  loadBalancer?: "internal" | "internet-facing";
  port?: number;
  healthCheckPath?: string;
}

const COMMON_KEYS = [
  "cloud",
  "region",
  "gpu",
  "fabric",
  "storage",
  "egress",
  "pricing",
  "contractUsdPerHour",
  "hoursPerMonth",
  "budget",
  "zone",
  "reservationId",
  "name",
  "orchestrator",
] as const;
const CLUSTER_KEYS = [...COMMON_KEYS];
const STORAGE_EXAMPLE = "e.g. storage: [{ kind: 'lustre', capacityTiB: 12 }]";
const FLEET_KEYS = [...COMMON_KEYS, "replicas", "loadBalancer", "port", "healthCheckPath"];
/** More nodes than any single node group, scale set or pool holds; beyond it a count is a typo. */
const MAX_NODES = 100_000;

/** Options for callers that add their own keys (the components' network and image args). */
export interface ValidateOptions {
  /** Extra top-level keys the caller accepts and checks itself. */
  extraKeys?: readonly string[];
}

/** Validate a training cluster spec; throws SpecError. */
export function validateCluster(spec: ClusterSpec, options: ValidateOptions = {}): CheckedSpec {
  return check(spec, "training", [...CLUSTER_KEYS, ...(options.extraKeys ?? [])]);
}

/** Validate an inference fleet spec; throws SpecError. */
export function validateFleet(spec: FleetSpec, options: ValidateOptions = {}): CheckedSpec {
  return check(spec, "inference", [...FLEET_KEYS, ...(options.extraKeys ?? [])]);
}

/** A spec with `replicas` is an inference fleet. */
export function isFleetSpec(spec: ClusterSpec | FleetSpec): spec is FleetSpec {
  return typeof spec === "object" && spec !== null && (spec as FleetSpec).replicas !== undefined;
}

function check(spec: unknown, workload: Workload, allowedKeys: readonly string[]): CheckedSpec {
  const s = requireObject(spec, "spec");
  rejectUnknownKeys(s, "", allowedKeys);

  const cloud = requireChoice(s.cloud, "cloud", CLOUDS);
  const regions = catalog.regions(cloud);
  const region = requireString(s.region, "region", `e.g. ${regions.slice(0, 4).join(", ")}`);
  if (!regions.includes(region)) {
    throw new SpecError("region", `'${region}' is not a ${cloud} region in the GPU catalog`, choicesHint(region, regions));
  }
  const zone = optionalString(s.zone, "zone");
  if (zone !== undefined) checkZone(cloud, region, zone);
  const reservationId = optionalString(s.reservationId, "reservationId");
  const name = optionalString(s.name, "name");

  const pricing = s.pricing === undefined ? SPEC_DEFAULTS.pricing : requireChoice(s.pricing, "pricing", PRICING_MODELS);
  // A capacity model one cloud sells (lib/planner/offering.ts), asked of another.
  const only = CLOUD_ONLY_PRICING[pricing];
  if (only !== undefined && only.cloud !== cloud) {
    const offered = pricingModelsOf(cloud, PRICING_MODELS).map((p) => `'${p}'`);
    throw new SpecError("pricing", `'${pricing}' is ${only.offering}, not ${cloud}`, `use ${offered.slice(0, -1).join(", ")}, or ${offered.at(-1)}`);
  }
  if (pricing === "spot" && reservationId !== undefined) {
    throw new SpecError("reservationId", "a reservation is not used by spot capacity", "drop reservationId or choose 'on-demand' / 'reserved-1y'");
  }
  if (pricing === "flex-start" && reservationId !== undefined) {
    // Flex-start capacity comes from Google's DWS pool, never a reservation (the pool consumes NO_RESERVATION).
    throw new SpecError("reservationId", "flex-start capacity comes from Dynamic Workload Scheduler, not from a reservation", "drop reservationId, or keep it with pricing 'on-demand' / 'reserved-1y'");
  }

  const instance = chooseInstanceChecked(s, cloud, region, workload, pricing);
  const gpuModel = instance.gpuModel;
  const gpu = s.gpu as Record<string, unknown>;

  let nodeCount = 0;
  let replicas: { min: number; max: number } | undefined;
  if (workload === "training") {
    nodeCount = trainingNodeCount(gpu, instance);
  } else {
    if (gpu.nodes !== undefined) {
      throw new SpecError("gpu.nodes", "an inference fleet is sized by replicas, not nodes", "remove gpu.nodes and set replicas: { min, max }");
    }
    replicas = checkReplicas(s.replicas);
  }

  const orchestrator = checkOrchestrator(s.orchestrator, cloud);
  let packing: FleetPacking | undefined;
  if (replicas) {
    // gpu.count was checked by chooseInstanceChecked. Absent, a replica is the whole chosen instance, as it was before
    // packing: a running fleet whose spec never said how many GPUs a replica needs keeps its pods' GPUs (and vLLM's
    // tensor parallelism) on upgrade rather than dropping to one GPU each. The count packs; its absence never does.
    const gpusPerReplica = gpu.count !== undefined ? (gpu.count as number) : instance.gpuCount;
    packing = fleetPacking(orchestrator, instance, gpusPerReplica, replicas);
    nodeCount = packing.nodes.min;
  }
  const fabricRequested =
    s.fabric === undefined ? SPEC_DEFAULTS.fabric : requireChoice(s.fabric, "fabric", FABRIC_CHOICES);
  const fabric = checkFabric(fabricRequested, cloud, instance);
  if (workload === "training") checkPlacementLimit(instance, fabric, nodeCount);

  if (pricing === "spot" && !instance.spotAvailable) {
    throw new SpecError(
      "pricing",
      `${instance.instanceType} is not sold as spot on ${cloud}`,
      "use 'on-demand', a reservation ('reserved-1y' / 'reserved-3y')" + (cloud === "aws" ? " or 'capacity-block'" : ""),
    );
  }
  const contract = optionalNumber(s.contractUsdPerHour, "contractUsdPerHour", { min: 0, exclusiveMin: true, max: SPEC_LIMITS.contractUsdPerHour });
  const unitPrice = checkUnitPrice(cloud, instance, region, pricing, contract);

  const hoursPerMonth =
    optionalNumber(s.hoursPerMonth, "hoursPerMonth", { min: SPEC_LIMITS.minHoursPerMonth, max: SPEC_LIMITS.hoursPerMonth }) ??
    SPEC_DEFAULTS.hoursPerMonth;

  // A hole in the list (`[a, , b]`) is reported here: a list's map() would skip it and the entry would vanish.
  const storage = checkStorage(s.storage === undefined ? undefined : requireList(s.storage, "storage", STORAGE_EXAMPLE), cloud, region, orchestrator);
  const egress = checkEgress(s.egress);
  const budget = checkBudget(s.budget);

  const checked: CheckedSpec = {
    workload,
    cloud,
    region,
    instance,
    gpuModel,
    fabricRequested,
    fabric,
    orchestrator,
    nodeCount,
    pricing,
    unitPrice,
    hoursPerMonth,
    storage,
    egress,
  };
  if (name !== undefined) checked.name = name;
  if (zone !== undefined) checked.zone = zone;
  if (reservationId !== undefined) checked.reservationId = reservationId;
  if (replicas) checked.replicas = replicas;
  if (packing) checked.packing = packing;
  if (budget) checked.budget = budget;
  if (workload === "inference") {
    checked.loadBalancer =
      s.loadBalancer === undefined
        ? SPEC_DEFAULTS.loadBalancer
        : requireChoice(s.loadBalancer, "loadBalancer", ["internal", "internet-facing"] as const);
    checked.port = optionalInteger(s.port, "port", 1, 65535) ?? SPEC_DEFAULTS.port;
    const healthCheckPath = optionalString(s.healthCheckPath, "healthCheckPath") ?? SPEC_DEFAULTS.healthCheckPath;
    if (!healthCheckPath.startsWith("/")) {
      throw new SpecError("healthCheckPath", `'${healthCheckPath}' is not an absolute URL path`, "start it with '/', e.g. '/health'");
    }
    checked.healthCheckPath = healthCheckPath;
  }
  return checked;
}

// ---------------------------------------------------------------- GPU and instance

function chooseInstanceChecked(
  s: Record<string, unknown>,
  cloud: Cloud,
  region: string,
  workload: Workload,
  pricing: PricingModel,
): InstanceFacts {
  const gpu = requireObject(s.gpu, "gpu", "e.g. gpu: { model: 'H100', count: 64 }");
  rejectUnknownKeys(gpu, "gpu", ["model", "count", "nodes", "instanceType"]);
  const model = gpu.model === undefined ? undefined : requireChoice(gpu.model, "gpu.model", GPU_MODELS, modelHint);
  const pinned = optionalString(gpu.instanceType, "gpu.instanceType");
  const gpusPerReplica =
    workload === "inference"
      ? (optionalInteger(gpu.count, "gpu.count", 1) ?? SPEC_DEFAULTS.inferenceGpusPerReplica)
      : 1;

  if (pinned !== undefined) {
    const facts = catalog.instance(cloud, pinned);
    if (!facts) {
      const names = catalog.instances(cloud).map((i) => i.instanceType);
      throw new SpecError("gpu.instanceType", `'${pinned}' is not a ${cloud} GPU instance type in the catalog`, choicesHint(pinned, names));
    }
    if (model !== undefined && facts.gpuModel !== model) {
      throw new SpecError(
        "gpu.model",
        `'${model}' does not match gpu.instanceType ${pinned}, which carries ${facts.gpuModel}`,
        `set gpu.model to '${facts.gpuModel}' or drop it`,
      );
    }
    if (facts.notBuilt) {
      throw new SpecError("gpu.instanceType", `${pinned} is in the catalog for prices and sizing only: ${facts.notBuilt}`, "pin another instance type or give gpu.model");
    }
    if (!facts.regions.includes(region)) {
      throw new SpecError(
        "gpu.instanceType",
        `${pinned} is not offered in ${region}`,
        `choose a region that offers it: ${facts.regions.join(", ")}`,
      );
    }
    if (workload === "inference" && facts.gpuCount < gpusPerReplica) {
      throw new SpecError("gpu.count", `${pinned} has ${facts.gpuCount} GPU(s), fewer than the ${gpusPerReplica} asked per replica`, "lower gpu.count or pin a larger instance type");
    }
    return facts;
  }

  if (model === undefined) {
    throw new SpecError("gpu.model", "is required when gpu.instanceType is not given", `valid: ${GPU_MODELS.join(", ")}`);
  }
  const onCloud = catalog.instances(cloud, model);
  if (onCloud.length === 0) {
    const offeredBy = CLOUDS.filter((c) => catalog.instances(c, model).length > 0);
    const modelsHere = [...new Set(catalog.instances(cloud).map((i) => i.gpuModel))];
    throw new SpecError(
      "gpu.model",
      `${model} is not offered on ${cloud}`,
      `${cloud} offers ${modelsHere.join(", ")}` + (offeredBy.length ? `; ${model} is on ${offeredBy.join(", ")}` : ""),
    );
  }
  const ranked = rankInstances(cloud, region, model, workload, gpusPerReplica, pricing);
  const small = workload === "training" && gpu.nodes === undefined ? smallTrainingInstance(ranked, gpu.count, cloud, region, model, pricing) : undefined;
  if (small) return small;
  if (ranked.length > 0 && s.contractUsdPerHour === undefined) {
    // The best type that is sold the way the spec pays (spot, reserved...): a3-highgpu-8g for spot H100
    // where a3-megagpu-8g has no spot price. None at all → the best type, whose missing price then
    // gets a SpecError naming what is sold.
    const sold = ranked.find((i) => catalog.priceRow({ cloud, instanceType: i.instanceType, region, pricing }) !== undefined);
    if (sold) return sold;
  }
  if (ranked.length === 0) {
    const priceOnly = onCloud.filter((i) => i.regions.includes(region) && i.notBuilt);
    if (priceOnly.length > 0 && priceOnly.length === onCloud.filter((i) => i.regions.includes(region)).length) {
      const named = priceOnly.map((i) => `${i.instanceType} (${i.notBuilt})`).join("; ");
      throw new SpecError("gpu.model", `${model} on ${cloud} in ${region} is in the catalog for prices and sizing only: ${named}`, `choose another GPU model, or ${CLOUDS.filter((c) => c !== cloud && catalog.instances(c, model).some((i) => !i.notBuilt)).join("/") || "another cloud"}`);
    }
    const inRegion = onCloud.filter((i) => i.regions.includes(region) && !i.notBuilt);
    if (inRegion.length > 0) {
      const most = Math.max(...inRegion.map((i) => i.gpuCount));
      // An NVL72 tray's rack is one NVLink domain, but a fleet replica is one pod on one node: multi-node serving is not
      // built (lib/sizing's inference() fits such replicas and marks them fleet: false, for the same reason).
      const rack = inRegion.find((i) => i.gpuCount === most && (i.limits?.nodeMultiple ?? 1) > 1);
      const why = rack ? `; a replica runs within one ${rack.instanceType} tray, as a replica over several trays of its NVLink rack needs multi-node serving, which is not built` : "";
      throw new SpecError("gpu.count", `no ${cloud} instance has ${gpusPerReplica} ${model} GPUs per replica${why}`, `use at most ${most} per replica`);
    }
    const where = [...new Set(onCloud.flatMap((i) => i.regions))].sort();
    throw new SpecError("gpu.model", `${model} is not offered on ${cloud} in ${region}`, `regions that offer it: ${where.join(", ")}`);
  }
  return ranked[0]!;
}

function modelHint(value: string): string {
  if (/^a100$/i.test(value)) return "say which A100: 'A100-40GB' or 'A100-80GB'";
  return choicesHint(value, GPU_MODELS);
}

function trainingNodeCount(gpu: Record<string, unknown>, instance: InstanceFacts): number {
  const per = instance.gpuCount;
  const type = instance.instanceType;
  if (gpu.count !== undefined && gpu.nodes !== undefined) {
    // gpu.count is unchecked here (it may be anything at all), so the example uses it only when it is a usable number.
    const fromCount = typeof gpu.count === "number" && Number.isFinite(gpu.count) ? Math.max(1, Math.round(gpu.count / per)) : 1;
    throw new SpecError("gpu", "give gpu.count or gpu.nodes, not both", `e.g. nodes: ${fromCount} (${per} GPUs each)`);
  }
  let nodes: number;
  if (gpu.nodes !== undefined) {
    nodes = requireInteger(gpu.nodes, "gpu.nodes", 1, MAX_NODES);
  } else if (gpu.count !== undefined) {
    const count = requireInteger(gpu.count, "gpu.count", 1, MAX_NODES * per);
    if (count % per !== 0) {
      const down = Math.floor(count / per) * per;
      const up = down + per;
      throw new SpecError(
        "gpu.count",
        `${count} GPUs is not a whole number of ${type} nodes (${per} GPUs each)`,
        down > 0 ? `use ${down} or ${up}` : `use ${up}`,
      );
    }
    nodes = count / per;
  } else {
    throw new SpecError("gpu.count", "a training cluster needs gpu.count or gpu.nodes", `e.g. count: ${per * 4} (4 × ${type})`);
  }
  const multiple = instance.limits?.nodeMultiple;
  if (multiple && nodes % multiple !== 0) {
    const up = Math.ceil(nodes / multiple) * multiple;
    throw new SpecError(
      gpu.nodes !== undefined ? "gpu.nodes" : "gpu.count",
      `${type} comes in whole units of ${multiple} nodes (${multiple * per} GPUs); ${nodes} nodes is not one`,
      `use ${up} nodes (${up * per} GPUs)`,
    );
  }
  return nodes;
}

function checkReplicas(value: unknown): { min: number; max: number } {
  const r = requireObject(value, "replicas", "e.g. replicas: { min: 2, max: 10 }");
  rejectUnknownKeys(r, "replicas", ["min", "max"]);
  const min = requireInteger(r.min, "replicas.min", 0, MAX_NODES);
  const max = requireInteger(r.max, "replicas.max", 1, MAX_NODES);
  if (min > max) throw new SpecError("replicas", `min (${min}) is greater than max (${max})`, `set max to at least ${min}`);
  return { min, max };
}

function checkOrchestrator(value: unknown, cloud: Cloud): Orchestrator {
  if (value === undefined) return KUBERNETES_ONLY[cloud] !== undefined ? "kubernetes" : SPEC_DEFAULTS.orchestrator;
  const orchestrator = requireChoice(value, "orchestrator", ORCHESTRATORS);
  const kubernetesOnly = KUBERNETES_ONLY[cloud];
  if (kubernetesOnly !== undefined && orchestrator !== "kubernetes") {
    throw new SpecError("orchestrator", kubernetesOnly, "use 'kubernetes' or leave it out");
  }
  return orchestrator;
}

// ---------------------------------------------------------------- fabric

/** Which fabric kinds each cloud sells at all (for errors that name the alternative). */
const FABRICS_BY_CLOUD: Record<Cloud, FabricKind[]> = {
  aws: ["efa"],
  gcp: ["gpudirect-tcpx", "gpudirect-tcpxo", "rdma"],
  azure: ["infiniband"],
  coreweave: ["infiniband"],
};

function checkFabric(requested: FabricChoice, cloud: Cloud, instance: InstanceFacts): FabricKind {
  if (requested === "none") return "none";
  if (requested === "auto") return instance.fabric;
  if (!FABRICS_BY_CLOUD[cloud].includes(requested)) {
    const clouds = CLOUDS.filter((c) => FABRICS_BY_CLOUD[c].includes(requested));
    throw new SpecError(
      "fabric",
      `'${requested}' is not offered on ${cloud}`,
      `use 'auto' (${describeNative(instance)}) or choose ${clouds.join("/")}`,
    );
  }
  if (instance.fabric !== requested) {
    const alternatives = catalog
      .instances(cloud, instance.gpuModel)
      .filter((i) => i.fabric === requested)
      .map((i) => i.instanceType);
    throw new SpecError(
      "fabric",
      `${instance.instanceType} does not have '${requested}' (its fabric is '${instance.fabric}')`,
      alternatives.length
        ? `use 'auto' or pin gpu.instanceType to ${alternatives.join(" / ")}`
        : `use 'auto' (${describeNative(instance)})`,
    );
  }
  return requested;
}

function describeNative(instance: InstanceFacts): string {
  return instance.fabric === "none"
    ? `${instance.instanceType} has no inter-node fabric`
    : `${instance.fabric} on ${instance.instanceType}`;
}

function checkPlacementLimit(instance: InstanceFacts, fabric: FabricKind, nodes: number): void {
  const max = instance.limits?.maxPlacementGroupNodes;
  if (fabric === "none" || max === undefined || nodes <= max) return;
  throw new SpecError(
    "gpu.count",
    `${nodes} × ${instance.instanceType} exceeds the ${max} nodes one ${instance.cloud} placement group holds, and the ${fabric} fabric does not span groups`,
    `use at most ${max * instance.gpuCount} GPUs (${max} nodes) per cluster, or split the job into several clusters`,
  );
}

// ---------------------------------------------------------------- price

function checkUnitPrice(
  cloud: Cloud,
  instance: InstanceFacts,
  region: string,
  pricing: PricingModel,
  contractUsdPerHour: number | undefined,
): Sourced & { usdPerHour: number } {
  if (contractUsdPerHour !== undefined) {
    return { usdPerHour: contractUsdPerHour, source: "contract price given in the spec (contractUsdPerHour)", asOf: "spec" };
  }
  const row = catalog.priceRow({ cloud, instanceType: instance.instanceType, region, pricing });
  if (row) return { usdPerHour: row.usdPerHour, source: row.source, asOf: row.asOf };
  const available = catalog.pricingModelsFor(cloud, instance.instanceType, region);
  if (pricing === "flex-start") {
    // Never priced as on-demand or as zero: a plan without its compute price would pass any budget. No dated
    // first-party DWS figure is in the catalog (lib/catalog/data/gcp.ts says where it was looked for).
    throw new SpecError(
      "contractUsdPerHour",
      `flex-start is billed at Dynamic Workload Scheduler prices, and the catalog holds no dated DWS price for ${instance.instanceType} in ${region}, so the estimate and the budget check have no compute price`,
      "give the DWS rate per instance-hour (Google's VM instance pricing page, flex-start column, or the 'DWS Defined Duration' SKUs in Cloud Billing) as contractUsdPerHour; flex-start is built for GKE training clusters (orchestrator 'kubernetes')",
    );
  }
  throw new SpecError(
    "pricing",
    `there is no public ${pricing} price for ${instance.instanceType} in ${region}`,
    (available.length ? `priced here: ${available.join(", ")}; ` : "") + "or give your negotiated rate as contractUsdPerHour",
  );
}

// ---------------------------------------------------------------- storage, egress, budget

/**
 * Where `block` storage is a per-VM disk that is deleted with its VM, so `deletionProtection` cannot hold, and why:
 * - Azure VMs: a Uniform scale set's data disks; `deleteOption: "Detach"` is Flexible-only (lib/clouds/azure/storage.ts).
 * - AWS VMs: an EBS volume in the Auto Scaling group's launch template with `DeleteOnTermination` (lib/clouds/aws/
 *   launch-template.ts): it belongs to the instance, and is deleted when the group terminates the instance
 *   (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/preserving-volumes-on-termination.html; review session 28, F2).
 */
const BLOCK_DIES_WITH_VM: ReadonlyMap<string, string> = new Map([
  ["azure/vm", "on Azure VMs: these are per-node data disks of the scale set, deleted with their VM (a repair, a scale-in, a reimage)"],
  [
    "aws/vm",
    "on AWS VMs: these are per-node EBS volumes of the Auto Scaling group's launch template, deleted with their instance (a health replacement, a scale-in, a spot reclaim, the end of a capacity block, an instance refresh)",
  ],
]);

function checkStorage(value: unknown, cloud: Cloud, region: string, orchestrator: Orchestrator): CheckedStorage[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new SpecError("storage", "must be a list", "e.g. storage: [{ kind: 'lustre', capacityTiB: 12 }]");
  const seenMounts = new Map<string, number>();
  const seenNames = new Map<string, number>();
  // A sparse array's holes are entries too: `map` would skip them and leave holes in the result.
  return Array.from(value, (entry: unknown, index) => {
    const path = `storage[${index}]`;
    const e = requireObject(entry, path);
    rejectUnknownKeys(e, path, ["kind", "capacityTiB", "tier", "mountPath", "name", "deletionProtection", "importPath", "efa", "metadataIops", "contractUsdPerGiBMonth"]);
    const kind = requireChoice(e.kind, `${path}.kind`, STORAGE_KINDS);
    requireNumber(e.capacityTiB, `${path}.capacityTiB`, { min: 0, exclusiveMin: true, max: SPEC_LIMITS.capacityTiB });
    const tiers = catalog.storageTiers(cloud, kind, region);
    if (tiers.length === 0) {
      throw new SpecError(`${path}.kind`, `${cloud} has no '${kind}' offering in the catalog for ${region}`, `use one of: ${STORAGE_KINDS.filter((k) => catalog.storageTiers(cloud, k, region).length > 0).join(", ")}`);
    }
    const tierName = optionalString(e.tier, `${path}.tier`);
    const price = tierName === undefined ? (tiers.find((t) => t.isDefault) ?? tiers[0]!) : tiers.find((t) => t.tier === tierName);
    if (!price) {
      throw new SpecError(`${path}.tier`, `'${tierName}' is not a ${cloud} ${kind} tier`, choicesHint(tierName!, tiers.map((t) => t.tier)));
    }
    const requestedGiB = (e.capacityTiB as number) * 1024;
    if (price.maxCapacityGiB !== undefined && requestedGiB > price.maxCapacityGiB) {
      throw new SpecError(
        `${path}.capacityTiB`,
        `${e.capacityTiB} TiB is more than one ${price.product} holds (${price.maxCapacityGiB} GiB)`,
        `use at most ${Math.floor((price.maxCapacityGiB / 1024) * 100) / 100} TiB, or another tier or kind`,
      );
    }
    const mountPath = optionalString(e.mountPath, `${path}.mountPath`) ?? `/mnt/${kind}`;
    checkMountPath(mountPath, `${path}.mountPath`);
    if (kind !== "object") {
      const previous = seenMounts.get(mountPath);
      if (previous !== undefined) {
        throw new SpecError(`${path}.mountPath`, `'${mountPath}' is already used by storage[${previous}]`, "give each file system its own mount path");
      }
      seenMounts.set(mountPath, index);
    }
    const givenName = optionalString(e.name, `${path}.name`);
    if (givenName !== undefined) checkStorageName(givenName, `${path}.name`);
    if (orchestrator === "vm" && kind !== "object") checkScratchCollision(mountPath, `${path}.mountPath`, cloud, givenName);
    const name = givenName ?? storageNameFromPath(mountPath);
    const sameName = seenNames.get(name);
    if (sameName !== undefined) {
      throw new SpecError(
        `${path}.name`,
        `'${name}'${givenName === undefined ? ` (from mountPath '${mountPath}')` : ""} is already the name of storage[${sameName}]`,
        "give the entry you are adding its own storage[].name, e.g. 'checkpoints' (renaming an entry that exists replaces its storage)",
      );
    }
    seenNames.set(name, index);
    if (e.deletionProtection !== undefined && typeof e.deletionProtection !== "boolean") {
      throw new SpecError(`${path}.deletionProtection`, "must be true or false", "true (the default) guards the stored data; false lets Pulumi delete it");
    }
    const diesWithVmBecause = kind === "block" ? BLOCK_DIES_WITH_VM.get(`${cloud}/${orchestrator}`) : undefined;
    const diesWithVm = diesWithVmBecause !== undefined;
    if (diesWithVm && e.deletionProtection === true) {
      throw new SpecError(
        `${path}.deletionProtection`,
        `cannot hold for block storage ${diesWithVmBecause}`,
        "remove deletionProtection (block storage there is scratch), and keep what must survive on nfs, lustre or object storage",
      );
    }
    const deletionProtection = diesWithVm ? false : e.deletionProtection !== false;
    const importPath = optionalString(e.importPath, `${path}.importPath`);
    if (importPath !== undefined && kind !== "lustre") {
      throw new SpecError(`${path}.importPath`, `only a lustre file system links to an object-store path, not '${kind}'`, "remove importPath or use kind 'lustre'");
    }
    const contract = optionalNumber(e.contractUsdPerGiBMonth, `${path}.contractUsdPerGiBMonth`, { min: 0, exclusiveMin: true, max: SPEC_LIMITS.contractUsdPerGiBMonth });
    if (contract === undefined && price.usdPerGiBMonth === null) {
      throw new SpecError(
        `${path}.contractUsdPerGiBMonth`,
        `${price.product} has no public price in the catalog, so the estimate cannot price it`,
        `give the price you were quoted, USD per GiB-month, e.g. contractUsdPerGiBMonth: 0.2, or use another kind (${kindsWithPrices(cloud, region, kind)})`,
      );
    }
    const lustre = checkLustreFabric(e, path, cloud, region, kind, price);
    // FSx for Lustre is made in fixed sizes: refuse any other than round it up (lib/clouds/aws/storage-rules.ts).
    if (cloud === "aws" && kind === "lustre") fsxLustreCapacityGiB(e.capacityTiB as number, lustre.price, `${path}.capacityTiB`);
    const priced =
      contract !== undefined
        ? { usdPerGiBMonth: contract, priceSource: { source: `contract price given in the spec (${path}.contractUsdPerGiBMonth)`, asOf: "spec" } }
        : { usdPerGiBMonth: price.usdPerGiBMonth!, priceSource: { source: price.source, asOf: price.asOf } };
    return { spec: e as unknown as StorageSpec, price: lustre.price, mountPath, name, deletionProtection, ...priced };
  });
}

/**
 * `storage[].efa` and `storage[].metadataIops`: FSx for Lustre settings, on persistent (PERSISTENT_2) tiers only
 * (lib/clouds/aws/storage-rules.ts has the sources). An EFA-enabled file system grows in its own, larger steps, so the
 * price row is returned with them and the plan provisions and prices the capacity FSx will bill.
 */
function checkLustreFabric(e: Record<string, unknown>, path: string, cloud: Cloud, region: string, kind: StorageKind, price: StoragePrice): { price: StoragePrice } {
  const efa = e.efa === undefined ? false : requireBoolean(e.efa, `${path}.efa`);
  const iops = optionalNumber(e.metadataIops, `${path}.metadataIops`, { min: 0 });
  if (!efa && iops === undefined) return { price };
  const field = efa ? `${path}.efa` : `${path}.metadataIops`;
  if (cloud !== "aws" || kind !== "lustre") {
    throw new SpecError(field, `is an FSx for Lustre setting (AWS, kind 'lustre'), not for ${cloud} '${kind}'`, `remove ${field.slice(path.length + 1)}`);
  }
  const deployment = lustreDeployment(price.tier);
  if (deployment.deploymentType !== "PERSISTENT_2") {
    const persistent = catalog.storageTiers(cloud, kind, region).filter((t) => lustreDeployment(t.tier).deploymentType === "PERSISTENT_2").map((t) => t.tier);
    throw new SpecError(
      field,
      `FSx supports ${efa ? "EFA" : "a metadata configuration"} only on Persistent 2 file systems, and tier '${price.tier}' is ${deployment.deploymentType}`,
      `use a persistent tier (${persistent.join(", ")}), or remove ${field.slice(path.length + 1)}`,
    );
  }
  if (iops !== undefined && !LUSTRE_METADATA_IOPS.includes(iops)) {
    throw new SpecError(`${path}.metadataIops`, `${iops} is not a metadata IOPS value FSx accepts for an SSD file system`, "use 1500, 3000, 6000, 12000 or a multiple of 12000 up to 192000, or leave it out (AUTOMATIC with efa)");
  }
  if (!efa) return { price };
  const step = LUSTRE_EFA_CAPACITY_STEP_GIB[deployment.perUnitStorageThroughput!];
  if (step === undefined) throw new SpecError(`${path}.tier`, `FSx lists no EFA capacity step for '${price.tier}'`, `use one of: ${Object.keys(LUSTRE_EFA_CAPACITY_STEP_GIB).map((t) => `persistent-${t}`).join(", ")}`);
  return { price: { ...price, product: `${price.product} EFA-enabled`, minCapacityGiB: step, capacityStepGiB: step } };
}

/** Storage kinds with a public price in the region, for hints. */
function kindsWithPrices(cloud: Cloud, region: string, except: StorageKind): string {
  return STORAGE_KINDS.filter((k) => k !== except && catalog.storageTiers(cloud, k, region).some((t) => t.usdPerGiBMonth !== null)).join(", ");
}

function checkEgress(value: unknown): CheckedSpec["egress"] {
  if (value === undefined) {
    return { internetTiBPerMonth: 0, crossRegionTiBPerMonth: 0, natGateway: SPEC_DEFAULTS.natGateway };
  }
  const e = requireObject(value, "egress");
  rejectUnknownKeys(e, "egress", ["internetTiBPerMonth", "crossRegionTiBPerMonth", "natGateway", "pulledTiBPerMonth", "servedTiBPerMonth"]);
  const natGateway = e.natGateway === undefined ? SPEC_DEFAULTS.natGateway : requireBoolean(e.natGateway, "egress.natGateway");
  const internetTiBPerMonth = optionalNumber(e.internetTiBPerMonth, "egress.internetTiBPerMonth", { min: 0, max: SPEC_LIMITS.egressTiBPerMonth }) ?? 0;
  if (!natGateway && internetTiBPerMonth > 0) {
    throw new SpecError(
      "egress.internetTiBPerMonth",
      "internet egress needs a way out, but egress.natGateway is false (air-gapped)",
      "set natGateway: true or internetTiBPerMonth: 0",
    );
  }
  const checked: CheckedSpec["egress"] = {
    internetTiBPerMonth,
    crossRegionTiBPerMonth: optionalNumber(e.crossRegionTiBPerMonth, "egress.crossRegionTiBPerMonth", { min: 0, max: SPEC_LIMITS.egressTiBPerMonth }) ?? 0,
    natGateway,
  };
  // Absent: the per-node / per-replica defaults, applied by the estimate at the node count it prices.
  const pulled = optionalNumber(e.pulledTiBPerMonth, "egress.pulledTiBPerMonth", { min: 0, max: SPEC_LIMITS.egressTiBPerMonth });
  const served = optionalNumber(e.servedTiBPerMonth, "egress.servedTiBPerMonth", { min: 0, max: SPEC_LIMITS.egressTiBPerMonth });
  if (!natGateway && (pulled ?? 0) > 0) {
    throw new SpecError("egress.pulledTiBPerMonth", "pulls from the internet need a way out, but egress.natGateway is false (air-gapped)", "set natGateway: true or pulledTiBPerMonth: 0");
  }
  if (pulled !== undefined) checked.pulledTiBPerMonth = pulled;
  if (served !== undefined) checked.servedTiBPerMonth = served;
  return checked;
}

function checkBudget(value: unknown): CheckedSpec["budget"] {
  if (value === undefined) return undefined;
  const b = requireObject(value, "budget", "e.g. budget: { monthlyUsd: 500000, onExceed: 'fail' }");
  rejectUnknownKeys(b, "budget", ["monthlyUsd", "onExceed"]);
  return {
    monthlyUsd: requireNumber(b.monthlyUsd, "budget.monthlyUsd", { min: 0, max: SPEC_LIMITS.budgetMonthlyUsd }),
    onExceed: b.onExceed === undefined ? SPEC_DEFAULTS.onExceed : requireChoice(b.onExceed, "budget.onExceed", BUDGET_ACTIONS),
  };
}

function checkZone(cloud: Cloud, region: string, zone: string): void {
  // AWS zones are the region plus a letter (us-east-1a); GCP zones the region plus -a.
  // Azure zones are "1".."3"; CoreWeave has no zones below a region.
  const ok =
    cloud === "aws"
      ? new RegExp(`^${region}[a-z]$`).test(zone)
      : cloud === "gcp"
        ? new RegExp(`^${region}-[a-z]$`).test(zone)
        : cloud === "azure"
          ? /^[1-3]$/.test(zone)
          : false;
  if (!ok) {
    const example = { aws: `${region}a`, gcp: `${region}-a`, azure: "1", coreweave: "" }[cloud];
    throw new SpecError(
      "zone",
      cloud === "coreweave" ? "CoreWeave regions have no zones to pin" : `'${zone}' is not a zone of ${region}`,
      cloud === "coreweave" ? "remove zone" : `e.g. '${example}'`,
    );
  }
}
