/**
 * What each cloud will and will not sell or build, checked on the plan — by
 * `validate`, `planCluster`, `estimateCost`, `compare`, the CLI and the
 * components alike, so no entry point prices something the component would
 * refuse. (Checks of the per-cloud option bags stay in the compilers.)
 */
import { PD_DISK_TYPES, seriesFacts } from "../catalog/gcp-series.js";
import type { Cloud, PricingModel } from "../catalog/types.js";
import { SpecError } from "../spec/errors.js";
import { LUSTRE_EFA_MAX_CONNECTIONS, lustreEfaClientGap, lustreEfaConnections } from "../clouds/aws/storage-rules.js";
import type { Plan } from "./types.js";
import { fleetNodes } from "./packing.js";

/**
 * Capacity models only one cloud sells, with that cloud's name for them. The spec check (lib/spec/validate.ts) refuses
 * them on any other cloud before a plan exists; what each needs once allowed (a block's reservation, flex-start's GKE
 * path) is checked on the plan below.
 */
export const CLOUD_ONLY_PRICING: Partial<Record<PricingModel, { cloud: Cloud; offering: string }>> = {
  "capacity-block": { cloud: "aws", offering: "an AWS offering (EC2 Capacity Blocks for ML)" },
  "flex-start": { cloud: "gcp", offering: "a GCP offering (Dynamic Workload Scheduler)" },
};

/** The capacity models a cloud sells, for a refusal's hint: every model but the other clouds' own. */
export function pricingModelsOf(cloud: Cloud, all: readonly PricingModel[]): PricingModel[] {
  return all.filter((p) => (CLOUD_ONLY_PRICING[p]?.cloud ?? cloud) === cloud);
}

/** Where a cloud runs GPU nodes only under Kubernetes, with why (CoreWeave: its Kubernetes service, CKS). */
export const KUBERNETES_ONLY: Partial<Record<Cloud, string>> = {
  coreweave: "CoreWeave runs GPU nodes only under Kubernetes (CKS)",
};

/** Object-store URL scheme each cloud's Lustre links to (AWS FSx: S3; GCP Managed Lustre: Cloud Storage). */
const LUSTRE_IMPORT_SCHEME: Partial<Record<Cloud, string>> = { aws: "s3://", gcp: "gs://" };

function checkStorageLinks(plan: Plan): void {
  plan.storage.forEach((s, i) => {
    if (s.importPath === undefined) return;
    const scheme = LUSTRE_IMPORT_SCHEME[plan.cloud];
    if (!scheme) {
      throw new SpecError(`storage[${i}].importPath`, `linking ${plan.cloud} Lustre to an object store is not built in this version`, "remove importPath and copy the data in after the cluster is up");
    }
    if (!s.importPath.startsWith(scheme)) {
      throw new SpecError(`storage[${i}].importPath`, `${plan.cloud} Lustre links to ${scheme} paths, not '${s.importPath}'`, `e.g. '${scheme}my-bucket/prefix'`);
    }
  });
}

function checkAws(plan: Plan): void {
  plan.storage.forEach((s, i) => {
    if (!s.efa) return;
    // The nodes' side (LNet over EFA) is wired wherever the nodes have EFA: VM and EKS training nodes (storage-rules.ts).
    const gap = lustreEfaClientGap(plan);
    if (gap) throw new SpecError(`storage[${i}].efa`, `an EFA-enabled FSx file system needs EFA clients, and ${gap.why}`, gap.fix);
    const connections = lustreEfaConnections(plan);
    if (connections.total > LUSTRE_EFA_MAX_CONNECTIONS) {
      throw new SpecError(
        `storage[${i}].efa`,
        `${plan.nodeCount} nodes × ${connections.perNode} EFA interfaces in LNet = ${connections.total} EFA connections, more than the ${LUSTRE_EFA_MAX_CONNECTIONS} one FSx file system accepts (https://docs.aws.amazon.com/fsx/latest/LustreGuide/configure-efa-clients.html)`,
        `use at most ${connections.maxNodes} ${plan.instanceType} nodes with efa, or remove efa (the nodes mount the file system over TCP)`,
      );
    }
  });
  // A fleet's group autoscales between replicas.min and max; a block's group is sized by the block's schedule
  // (lib/clouds/aws/capacity-block.ts) to its fixed count for its fixed dates. Refused first, before the rules below ask for
  // a reservation id and its zone.
  if (plan.workload === "inference" && plan.pricing === "capacity-block") {
    throw new SpecError(
      "pricing",
      "capacity-block is built for training clusters in this version: a block holds a fixed number of instances for fixed dates, and its schedule sizes the group to them, while a fleet autoscales between replicas.min and max",
      "serve from an On-Demand Capacity Reservation (pricing 'on-demand' with reservationId and its zone), or use 'on-demand' or 'spot'",
    );
  }
  if (plan.pricing === "capacity-block" && plan.reservationId === undefined) {
    throw new SpecError("reservationId", "capacity-block pricing launches into a purchased Capacity Block", "set reservationId to the block's id (cr-...) and zone to its zone");
  }
  if (plan.reservationId !== undefined && plan.zone === undefined) {
    throw new SpecError(
      "zone",
      `reservation ${plan.reservationId} lives in one availability zone, and the nodes must launch there`,
      "set zone to the reservation's zone (aws ec2 describe-capacity-reservations shows it), e.g. 'us-east-1a'",
    );
  }
}

function checkGcp(plan: Plan): void {
  const series = seriesFacts(plan.instanceType);
  if (plan.pricing === "spot" && !series.spot) {
    throw new SpecError("pricing", `${plan.instanceType} is sold only through reservations on gcp, not as Spot VMs`, `use a reservation (reservationId with 'on-demand' or 'reserved-1y'); see ${series.source}`);
  }
  if (plan.pricing === "flex-start") checkGcpFlexStart(plan);
  if (!series.onDemand && plan.pricing !== "spot" && plan.pricing !== "flex-start" && plan.reservationId === undefined) {
    throw new SpecError(
      "reservationId",
      `${plan.instanceType} is not sold on demand: Google provides it through reservations (AI Hypercomputer future reservations), flex-start or Spot`,
      `set reservationId to your reservation's name (and zone to its zone), or use pricing 'flex-start' (GKE training) or 'spot'; see ${series.source}`,
    );
  }
  plan.storage.forEach((s, i) => {
    if (s.kind === "block" && !series.diskTypes.includes(s.tier)) {
      const usable = series.diskTypes.filter((t) => (PD_DISK_TYPES as readonly string[]).includes(t));
      throw new SpecError(
        `storage[${i}].tier`,
        `${plan.instanceType} does not attach '${s.tier}' disks (it takes ${series.diskTypes.join(", ")})`,
        usable.length ? `use tier ${usable.map((t) => `'${t}'`).join(" or ")}` : "use a disk type the series takes",
      );
    }
  });
}

/**
 * Flex-start (Dynamic Workload Scheduler) is built for GKE training: a node pool of flex-start nodes that GKE grows
 * to the job's size when Google finds the capacity (lib/clouds/gcp/gke/node-pool.ts). The VM path (a MIG of
 * FLEX_START instances filled by resize requests) and fleets are not built, and are refused rather than half-built.
 */
function checkGcpFlexStart(plan: Plan): void {
  const series = seriesFacts(plan.instanceType);
  if (!series.flexStart) {
    throw new SpecError("pricing", `${plan.instanceType} is not offered with flex-start (Google: every accelerator-optimized series except A4X and G4)`, "use pricing 'on-demand' or 'spot', or an A4 / A3 / A2 / G2 machine type; see https://cloud.google.com/compute/docs/instances/about-flex-start-vms");
  }
  if (plan.orchestrator !== "kubernetes") {
    throw new SpecError("pricing", "flex-start on orchestrator 'vm' (managed instance groups of FLEX_START VMs and their resize requests) is not built in this version", "set orchestrator: 'kubernetes' (a GKE flex-start node pool), or use pricing 'spot' or a reservation on the VM path");
  }
  if (plan.workload !== "training") {
    throw new SpecError("pricing", "flex-start nodes run at most 7 days and start when Google finds the capacity: this version builds them for training clusters, not inference fleets", "use pricing 'on-demand' or 'spot' for the fleet, or a reservation");
  }
}

function checkAzure(plan: Plan): void {
  if (plan.reservationId !== undefined && plan.placement.strategy === "single-placement-group") {
    throw new SpecError(
      "reservationId",
      "an Azure capacity reservation needs a scale set with singlePlacementGroup false, but InfiniBand connects only VMs of one placement group",
      "drop reservationId (a Reserved VM Instance discount applies without it), or set fabric: 'none'",
    );
  }
}

function checkCoreWeave(plan: Plan): void {
  if (plan.workload !== "inference") return;
  const replicas = plan.replicas!;
  if (replicas.min < 1) {
    throw new SpecError("replicas.min", "a CoreWeave fleet scales pods with a HorizontalPodAutoscaler, which does not scale to zero", "use min: 1 or more");
  }
  const rack = plan.instance.limits?.nodeMultiple;
  const nodes = fleetNodes(plan);
  if (rack && (nodes.min !== nodes.max || nodes.min % rack !== 0)) {
    // https://docs.coreweave.com/products/cks/nodes/autoscaling: rack-based types reject `autoscaling: true`.
    // The Node count is what CKS holds: replicasPerNode replicas share each Node (lib/planner/packing.ts).
    const perNode = plan.replicasPerNode ?? 1;
    const filled = rack * perNode;
    const at = perNode > 1 ? `; ${perNode} replicas of ${plan.gpusPerReplica} GPU${plan.gpusPerReplica === 1 ? "" : "s"} fill a Node, so ${filled} replicas fill a rack` : "";
    throw new SpecError(
      "replicas",
      `${plan.instanceType} comes in whole racks of ${rack} Nodes and CKS does not autoscale rack-based Node Pools; these replicas need ${nodes.min === nodes.max ? nodes.min : `${nodes.min} to ${nodes.max}`} Nodes${at}`,
      `set min and max to the same multiple of ${filled}, e.g. { min: ${filled}, max: ${filled} }`,
    );
  }
}

/**
 * The signal a VM fleet's autoscaler scales on, per cloud: each is load per serving replica, so a fleet at zero VMs gives
 * it nothing to measure and nothing would start the first replica.
 * - GCP: load-balancing serving capacity; Google names per-group Cloud Monitoring metrics as the way to scale a MIG to
 *   and from zero (https://cloud.google.com/compute/docs/autoscaler/scaling-stackdriver-monitoring-metrics, "per-group
 *   metrics", read 2026-12-01; https://cloud.google.com/compute/docs/autoscaler/scaling-load-balancing).
 * - AWS: target tracking on ALBRequestCountPerTarget, the target group's requests divided by its targets
 *   (lib/clouds/aws/inference.ts).
 * - Azure: the internal load balancer's SYN count divided per instance (lib/clouds/azure/inference.ts loadRules).
 * AWS and Azure document no value for these at zero targets or instances, so no start from zero is shown either.
 */
const VM_FLEET_SCALE_SIGNAL: Partial<Record<Cloud, { signal: string; keda: string }>> = {
  aws: { signal: "the load balancer's requests per target (ALBRequestCountPerTarget)", keda: "aws.eks.keda" },
  gcp: { signal: "the load balancer's serving capacity per VM", keda: "gcp.gke.keda" },
  azure: { signal: "the load balancer's new connections per instance (SYN count)", keda: "azure.aks.keda" },
};

/** A VM fleet at `replicas.min: 0`: refused, since its autoscaler's signal needs a serving replica (VM_FLEET_SCALE_SIGNAL). */
function checkVmFleetFromZero(plan: Plan): void {
  const scaling = VM_FLEET_SCALE_SIGNAL[plan.cloud];
  if (plan.workload !== "inference" || plan.orchestrator !== "vm" || !scaling || plan.replicas!.min >= 1) return;
  throw new SpecError(
    "replicas.min",
    `0 cannot start again on ${plan.cloud} VMs: the fleet scales on ${scaling.signal}, which is measured per serving replica, so with none running nothing would start the first one and the endpoint would answer errors while billed as up`,
    `use replicas.min: 1 or more, or orchestrator: 'kubernetes' with ${scaling.keda} on a metric that exists at zero (KEDA scales pods from zero)`,
  );
}

const RULES: Record<Cloud, (plan: Plan) => void> = { aws: checkAws, gcp: checkGcp, azure: checkAzure, coreweave: checkCoreWeave };

/** One cloud's offering rules (every target on it is held to them; lib/cost/bom's descriptors name them). */
export function cloudOffering(cloud: Cloud): (plan: Plan) => void {
  return (plan) => {
    checkStorageLinks(plan);
    checkVmFleetFromZero(plan);
    RULES[cloud](plan);
  };
}

/** Throws SpecError when the cloud would refuse the plan. */
export function checkOffering(plan: Plan): void {
  cloudOffering(plan.cloud)(plan);
}
