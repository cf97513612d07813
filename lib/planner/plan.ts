/**
 * Spec → Plan. Validation has already settled the instance, counts, tiers and
 * price (see spec/validate.ts); this module decides placement and storage
 * sizes and writes the result down as plain data.
 */
import { isFleetSpec, validateCluster, validateFleet, type CheckedSpec, type CheckedStorage } from "../spec/validate.js";
import { checkOffering } from "./offering.js";
import { packingNote } from "./packing.js";
import type { ClusterSpec, FleetSpec } from "../spec/types.js";
import { fsxEarlierSizeNote, fsxLustreCapacityGiB } from "../clouds/aws/storage-rules.js";
import type { FabricPlan, PlacementPlan, Plan, StoragePlan } from "./types.js";

const GIB_PER_TIB = 1024;

/** Plan a training cluster. Throws SpecError for bad input. */
export function planCluster(spec: ClusterSpec): Plan {
  return planFromChecked(validateCluster(spec));
}

/** Plan an inference fleet. Throws SpecError for bad input. */
export function planFleet(spec: FleetSpec): Plan {
  return planFromChecked(validateFleet(spec));
}

/** Build the plan from an already validated spec (the components validate first, then call this). */
export function planFromChecked(checked: CheckedSpec): Plan {
  const { instance } = checked;
  const notes: string[] = [];
  const fabric = fabricPlan(checked);
  const placement = placementPlan(checked, notes);
  if (checked.packing) {
    const packed = packingNote(checked.orchestrator, instance, checked.packing, checked.replicas!);
    if (packed) notes.push(packed);
  }
  if (checked.workload === "inference" && instance.fabric !== "none") {
    notes.push(
      `inference replicas are single ${instance.instanceType} nodes (tensor parallelism over ${instance.nvlink ? "NVLink" : "PCIe"}), so its ${instance.fabricNics} × ${instance.fabric} fabric is not attached`,
    );
  } else if (checked.fabricRequested === "none" && instance.fabric !== "none") {
    notes.push(
      `fabric opted out: ${instance.instanceType} has ${instance.fabricNics} × ${instance.fabric} (${instance.fabricGbps} Gbps) that this cluster will not use; collectives run over TCP`,
    );
  }
  const plan: Plan = {
    workload: checked.workload,
    cloud: checked.cloud,
    region: checked.region,
    orchestrator: checked.orchestrator,
    instanceType: instance.instanceType,
    gpuModel: checked.gpuModel,
    gpusPerNode: instance.gpuCount,
    nodeCount: checked.nodeCount,
    totalGpus: checked.nodeCount * instance.gpuCount,
    fabric,
    placement,
    pricing: checked.pricing,
    unitPrice: checked.unitPrice,
    hoursPerMonth: checked.hoursPerMonth,
    storage: checked.storage.map((entry, i) => storagePlan(entry, i, notes)),
    egress: { ...checked.egress },
    instance,
    notes,
  };
  if (checked.name !== undefined) plan.name = checked.name;
  if (checked.zone !== undefined) plan.zone = checked.zone;
  if (checked.reservationId !== undefined) plan.reservationId = checked.reservationId;
  if (checked.replicas) plan.replicas = { ...checked.replicas };
  if (checked.packing) {
    plan.gpusPerReplica = checked.packing.gpusPerReplica;
    plan.replicasPerNode = checked.packing.replicasPerNode;
    plan.nodes = { ...checked.packing.nodes };
  }
  if (checked.budget) plan.budget = { ...checked.budget };
  if (checked.workload === "inference") {
    plan.service = {
      loadBalancer: checked.loadBalancer!,
      port: checked.port!,
      healthCheckPath: checked.healthCheckPath!,
    };
  }
  checkOffering(plan);
  return plan;
}

/**
 * Validate either kind of spec completely (a spec with `replicas` is an inference fleet): the fields, the catalog,
 * and what the cloud will sell. Throws SpecError with the field path, the problem and the fix.
 */
export function validate(spec: ClusterSpec | FleetSpec): void {
  if (isFleetSpec(spec)) planFleet(spec);
  else planCluster(spec);
}

function fabricPlan(checked: CheckedSpec): FabricPlan {
  const { instance, fabric } = checked;
  // An inference replica is one node: there is no collective across nodes for a fabric to carry.
  if (fabric === "none" || checked.workload === "inference") {
    return { kind: "none", requested: checked.fabricRequested, nicsPerNode: 0, gbpsPerNode: instance.fabric === "none" ? instance.fabricGbps : 0 };
  }
  const plan: FabricPlan = {
    kind: fabric,
    requested: checked.fabricRequested,
    nicsPerNode: instance.fabricNics,
    gbpsPerNode: instance.fabricGbps,
  };
  if (instance.fabricMtu !== undefined) plan.mtu = instance.fabricMtu;
  if (instance.hostNics !== undefined) plan.hostNics = instance.hostNics;
  return plan;
}

function placementPlan(checked: CheckedSpec, notes: string[]): PlacementPlan {
  const { cloud, instance, fabric, workload } = checked;
  if (workload === "inference") {
    const across = cloud === "azure" ? "fault domains" : cloud === "coreweave" ? "nodes" : "zones";
    return { strategy: "spread", reason: `replicas spread across ${across} so one failure leaves the fleet serving` };
  }
  if (fabric === "none") {
    return { strategy: "none", reason: "no inter-node fabric, so node proximity buys nothing" };
  }
  const max = instance.limits?.maxPlacementGroupNodes;
  const withMax = (p: PlacementPlan): PlacementPlan => (max === undefined ? p : { ...p, maxNodesPerGroup: max });
  switch (cloud) {
    case "aws":
      if (checked.reservationId !== undefined && checked.pricing === "capacity-block") {
        notes.push(`no cluster placement group: capacity block ${checked.reservationId}'s instances are co-located in an EC2 UltraCluster already`);
        return { strategy: "reservation", reason: "a capacity block's instances are co-located already; a placement group would clash with it" };
      }
      if (checked.reservationId !== undefined) {
        // An On-Demand Capacity Reservation: its instances go into the cluster placement group it was created in
        // (aws.placementGroupName, which the AWS options check notes when it is missing); a new group would clash with it.
        return { strategy: "reservation", reason: "the nodes launch into the reservation's own cluster placement group (aws.placementGroupName), never a new one" };
      }
      return withMax({ strategy: "cluster", reason: "EFA needs every node on one network spine: one cluster placement group, one subnet" });
    case "gcp":
      return withMax({ strategy: "compact", reason: "GPUDirect needs the nodes close: a compact placement policy" });
    case "azure":
      return withMax({ strategy: "single-placement-group", reason: "InfiniBand connects only VMs of one scale set placement group" });
    case "coreweave":
      return { strategy: "none", reason: "CoreWeave's InfiniBand fabric spans the region's GPU nodes; the scheduler places pods" };
  }
}

/** The entry's plan; `notes` gets what the user must know about it (an FSx size an earlier release made larger). */
function storagePlan(entry: CheckedStorage, index: number, notes: string[]): StoragePlan {
  const { spec, price, mountPath, name, deletionProtection, usdPerGiBMonth, priceSource } = entry;
  // FSx for Lustre is made in its own sizes, named in TiB of 1000 GiB (1.2 TiB = 1200 GiB): the entry asks for one of
  // them exactly (validation refused any other), never a size rounded up to the next step.
  const fsx = price.cloud === "aws" && price.kind === "lustre";
  const requestedGiB = fsx ? fsxLustreCapacityGiB(spec.capacityTiB, price, `storage[${index}].capacityTiB`) : spec.capacityTiB * GIB_PER_TIB;
  // An earlier release read the same value as a larger file system, and FSx cannot shrink one: say which value keeps it.
  const earlier = fsx ? fsxEarlierSizeNote(name, spec.capacityTiB, requestedGiB, price) : undefined;
  if (earlier) notes.push(earlier);
  // Elsewhere, at or below the minimum the service provisions the minimum; above it, whole steps.
  // Disks sold in fixed sizes (validation keeps the request within the largest), unless the spec has its own price.
  const disk = spec.contractUsdPerGiBMonth === undefined ? price.diskSizes?.find((d) => d.sizeGiB >= requestedGiB) : undefined;
  let capacityGiB: number;
  if (fsx) capacityGiB = requestedGiB;
  else if (disk) capacityGiB = disk.sizeGiB;
  else if (requestedGiB <= price.minCapacityGiB) capacityGiB = price.minCapacityGiB;
  else if (price.capacityStepGiB > 0) capacityGiB = Math.ceil(requestedGiB / price.capacityStepGiB) * price.capacityStepGiB;
  else capacityGiB = Math.ceil(requestedGiB);
  const plan: StoragePlan = {
    kind: spec.kind,
    tier: price.tier,
    product: disk ? `${price.product} ${disk.name}` : price.product,
    capacityGiB,
    requestedGiB,
    perNode: spec.kind === "block",
    mountPath,
    name,
    deletionProtection,
    usdPerGiBMonth,
    priceSource,
  };
  if (spec.importPath !== undefined) plan.importPath = spec.importPath;
  if (spec.efa === true) plan.efa = true;
  if (spec.metadataIops !== undefined) plan.metadataIops = spec.metadataIops;
  if (disk) {
    plan.disk = disk;
    plan.usdPerGiBMonth = disk.usdPerMonth / disk.sizeGiB;
  }
  return plan;
}
