/**
 * The GPU nodes: ONE GKE node pool of the bill's `gpu-nodes` item (training: fixed, in one zone; inference: autoscaled
 * between the nodes replicas.min and max fill, lib/planner/packing.ts, over the zones that offer the machine type), so
 * 8 or 1,024 nodes are the same resources.
 * The VM compiler's fabric rules: every GPU NIC as an additional node network (4 VPCs on A3 High, 8 on A3 Mega, MTU
 * 8244; the second gVNIC and the RoCE VPC's 8 subnets on A3 Ultra / A4), gVNIC, compact placement (GKE's own
 * COMPACT policy), no external addresses, Shielded nodes, Workload Identity, GKE's GPU driver installation, the GPU
 * taint, Spot, flex-start (autoscaled from 0) or a specific reservation. And the small system node pool of a new cluster.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as compute from "@pulumi/gcp/compute";
import * as container from "@pulumi/gcp/container";
import type * as k8s from "@pulumi/kubernetes/types/input";
import type { Plan } from "../../../planner/types.js";
import type { CompileContext } from "../../types.js";
import { lookedUpPlacement } from "../../shared/storage.js";
import type { NodeNic } from "../network.js";
import type { GcpOptions } from "../options.js";
import { localSsdCount } from "../local-ssd.js";
import { GKE_DEFAULT_ZONES, SYSTEM_NODES } from "./cluster.js";
import { billedGpuNodeGroup, billedItem, billedNodeDisk, gpuNodeBounds } from "../../shared/bill.js";
import { FLEX_START_COMPACT_PLACEMENT, flexStartMaxRunDuration, flexStartMode, GKE_DEFAULTS } from "./options.js";
import { QUEUED_NODE_LABELS } from "./queued-provisioning.js";
import { gkeAcceleratorType } from "./accelerators.js";
import { onReservation } from "./reservation.js";
import { gkeResourceName } from "../names.js";

/** Node label the GPU nodes carry (its value is the pool name); the pods select it. */
import { POOL_LABEL } from "../../kubernetes/names.js";
export { POOL_LABEL };
/** The taint GKE puts on GPU nodes (set explicitly too, so the pods' toleration is exactly the pool's). */
export const GPU_TAINT = { key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" } as const;
const SCOPES = ["https://www.googleapis.com/auth/cloud-platform"];

/** The pool's GKE accelerator type; validation (checkGkeAccelerator) has refused any machine type without one. */
export function acceleratorType(machineType: string): string {
  const type = gkeAcceleratorType(machineType);
  // A programming error: checkGkeOptions refuses these plans with a SpecError before any resource.
  if (type === undefined) throw new Error(`gpu-cluster: no GKE accelerator type known for ${machineType}`);
  return type;
}

export interface GpuNodePoolInputs {
  cluster: pulumi.Input<string>;
  location: pulumi.Input<string>;
  /** Zones of the pool (training: exactly one). */
  zones: pulumi.Input<string[]>;
  /** The zone the spec pins; without one `zones` came from a lookup, and a training pool keeps its first answer. */
  pinnedZone: string | undefined;
  /** The node NICs, host NIC first: every NIC after it is an additional node network. */
  nics: NodeNic[];
  serviceAccountEmail: pulumi.Input<string>;
  poolName: string;
  labels: Record<string, string>;
  dependsOn: pulumi.Resource[];
}

/**
 * What every node of the component's pools runs with: its own service account (access decided by IAM, hence the
 * broad scope), Workload Identity's metadata server for pods, Shielded VM, no legacy metadata endpoints.
 */
function hardenedNodeConfig(inputs: Pick<GpuNodePoolInputs, "serviceAccountEmail" | "labels">) {
  return {
    serviceAccount: inputs.serviceAccountEmail,
    oauthScopes: SCOPES,
    workloadMetadataConfig: { mode: "GKE_METADATA" },
    // Secure Boot stays on for GKE nodes: they run Container-Optimized OS, whose GPU driver installer loads NVIDIA
    // modules prebuilt and signed by Google (unlike the VM compiler's DKMS-built ones; see template.ts). Google's own
    // GKE GPU pools keep it on too (cluster-toolkit modules/compute/gke-node-pool `enable_secure_boot`, default true,
    // "unless custom kernel modules need to be loaded", @10470803).
    shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
    metadata: { "disable-legacy-endpoints": "true" },
    resourceLabels: inputs.labels,
  };
}

/**
 * The node's ephemeral storage (emptyDirs, container images, logs) on every local SSD of A3 / A4 machine types, as
 * Google's GPUDirect node pools set it (cluster-toolkit modules/compute/gke-node-pool/disk_definitions.tf @4f04afc17:
 * 16 SSDs on A3 High / Mega, 32 on A3 Ultra / A4); nothing for machine types without local SSD.
 */
export function ephemeralStorage(plan: Plan): { ephemeralStorageLocalSsdConfig?: { localSsdCount: number } } {
  const count = localSsdCount(plan.instanceType);
  return count > 0 ? { ephemeralStorageLocalSsdConfig: { localSsdCount: count } } : {};
}

/**
 * The pods' /scratch where the pool's ephemeral storage is on local SSD (ephemeralStorage above): an emptyDir, which
 * the kubelet keeps in its directory, i.e. on the node's local SSDs (pods reach Local SSD-backed ephemeral storage
 * through emptyDir volumes: https://cloud.google.com/kubernetes-engine/docs/how-to/persistent-volumes/local-ssd, read
 * 2026-12-01), the GKE
 * counterpart of the EKS and AKS pods' /scratch on local NVMe (lib/clouds/kubernetes/pod.ts podScratch). None elsewhere:
 * an emptyDir would then sit on the boot disk.
 */
export function podScratchVolume(plan: Plan): k8s.core.v1.Volume | undefined {
  return ephemeralStorage(plan).ephemeralStorageLocalSsdConfig ? { name: "scratch", emptyDir: {} } : undefined;
}

export interface GpuNodePool {
  pool: container.NodePool;
  placementPolicy?: compute.ResourcePolicy;
}

/**
 * A flex-start pool, as Google's A3 Ultra flex-start blueprint builds it (cluster-toolkit
 * examples/gke-consumption-options/dws-flex-start/gke-a3-ultragpu.yaml with modules/compute/gke-node-pool/main.tf,
 * @10470803, 2026-06-25, read 2026-12-01): `flexStart` on the nodes with their `maxRunDuration` in seconds, no
 * reservation (the module's precondition: flex-start "requires ... 'NO_RESERVATION'"), autoscaling from 0 (flex-start
 * "does not work with static nodes"), node auto-repair off ("enable_flex_start needs node auto_repair set to false"),
 * auto-upgrade on as the blueprint sets it. GKE then adds the job's nodes when DWS finds the capacity and removes them
 * when idle or at the end of their run.
 */
export function isFlexStart(plan: Plan): boolean {
  return plan.pricing === "flex-start";
}

/**
 * Spot, flex-start or a specific reservation, from the plan's pricing model. A queued-provisioning pool sets no
 * maxRunDuration on its nodes: each ProvisioningRequest carries it (./queued-provisioning.ts), as Google's
 * queued-provisioning blueprint leaves the pool's `max_run_duration` unset.
 */
function capacity(plan: Plan, options: GcpOptions): Partial<container.NodePoolArgs["nodeConfig"] & object> {
  if (plan.pricing === "spot") return { spot: true };
  if (isFlexStart(plan)) {
    const perNode = flexStartMode(plan, options.gke) === "pool" ? { maxRunDuration: flexStartMaxRunDuration(options.gke) } : {};
    return { flexStart: true, ...perNode, reservationAffinity: { consumeReservationType: "NO_RESERVATION" } };
  }
  if (onReservation(plan)) {
    return { reservationAffinity: { consumeReservationType: "SPECIFIC_RESERVATION", key: "compute.googleapis.com/reservation-name", values: [plan.reservationId!] } };
  }
  return {};
}

/** An autoscaled pool between `min` and `max` nodes in total over its zones, placed wherever GKE finds them. */
const scaled = (min: number, max: number) => ({ autoscaling: { totalMinNodeCount: min, totalMaxNodeCount: max, locationPolicy: "ANY" } });

/**
 * A training pool's size for the `count` GPU nodes billed. A fixed pool holds them: it is in exactly one zone
 * (infrastructure.ts), and its `nodeCount` is per zone ("The number of nodes per instance group", @pulumi/gcp 9.37.0
 * container/nodePool.d.ts), so per zone is the total. A flex-start pool starts empty and
 * grows to the job's nodes when DWS has them (the blueprint's autoscaling from 0, total limits, location policy ANY).
 * Queued: Kueue's ClusterQueue quota bounds what is requested at once (the plan's nodes); the pool's ceiling is twice
 * that, so a new request (a requeued Job's, or the next Job's) is not refused while the previous request's nodes are
 * still being removed. Google's blueprint leaves the module's default ceiling, 1000.
 */
function trainingPoolSize(count: number, queued: boolean, flexStart: boolean) {
  return queued ? scaled(0, 2 * count) : flexStart ? scaled(0, count) : { nodeCount: count };
}

/** A fleet's pool: between the nodes its replicas fill at replicas.min and at replicas.max (lib/planner/packing.ts), in total over its zones. */
function fleetPoolSize(nodes: { min: number; max: number }) {
  return scaled(nodes.min, nodes.max);
}

/**
 * The GPU pool's network config: its additional node networks (the GPU NICs), and private nodes on a cluster the
 * component creates (whose subnet has the component's Cloud NAT). On an existing cluster the pool sets no
 * `enablePrivateNodes` and takes the cluster's own setting: a pool-level value overrides the cluster's
 * (https://cloud.google.com/kubernetes-engine/docs/how-to/latest/network-isolation), and forcing private nodes onto a
 * public-node cluster whose VPC has no Cloud NAT leaves the new nodes without a route to the image registries and
 * the model's host, so every pod would sit in ImagePullBackOff while `up` succeeds. Inheriting keeps the egress the
 * cluster's nodes already use. A pool created earlier with `true` is not changed: the field is Optional and Computed,
 * not ForceNew (hashicorp/terraform-provider-google resource_container_node_pool.go schemaNodePool
 * network_config.enable_private_nodes, read 2026-12-01), so leaving it out keeps the pool's value with no diff.
 */
export function poolNetworkConfig(existingCluster: boolean, additional: { network: pulumi.Input<string>; subnetwork: pulumi.Input<string> }[]) {
  const config = { ...(existingCluster ? {} : { enablePrivateNodes: true }), ...(additional.length > 0 ? { additionalNodeNetworkConfigs: additional } : {}) };
  return Object.keys(config).length > 0 ? config : undefined;
}

export function gpuNodePool(plan: Plan, options: GcpOptions, ctx: CompileContext, inputs: GpuNodePoolInputs): GpuNodePool {
  const training = plan.workload === "training";
  // The boot disk as billed: the bill's GPU `node-disk` item (lib/cost/bom/gcp-gke.ts), one per node.
  const disk = billedNodeDisk(ctx.bill, "gpu", "the GPU nodes' boot disks");
  void options.placementPolicy; // VM-only: GKE takes the pool's own COMPACT placement.
  // GKE makes and manages the compact placement policy of the pool (one zone, nodes close together).
  const flexStart = isFlexStart(plan);
  // Queued provisioning (./queued-provisioning.ts): nodes only through ProvisioningRequests; no COMPACT placement
  // (the module's precondition for GPU pools).
  const queued = flexStartMode(plan, options.gke) === "queued";
  // Never under flex-start (FLEX_START_COMPACT_PLACEMENT: Google's blueprints set none; the module refuses it queued).
  // Never on a specific reservation (onReservation below).
  const reserved = onReservation(plan);
  const placement = training && plan.placement.strategy === "compact" && !reserved && (!flexStart || (FLEX_START_COMPACT_PLACEMENT && !queued));
  const additional = inputs.nics.slice(1).map((nic) => ({ network: nic.networkName, subnetwork: nic.subnetworkName }));
  // The nodes as billed: the bill's `gpu-nodes` item (lib/clouds/shared/bill.ts billedGpuNodeGroup), which the compute line prices. Flex-start is
  // training only (lib/planner/offering.ts refuses it for a fleet).
  const group = billedGpuNodeGroup(plan, ctx.bill);
  const size = training ? trainingPoolSize(group.count, queued, flexStart) : fleetPoolSize(gpuNodeBounds(group));
  const { instanceType } = group;
  const network = poolNetworkConfig(options.gke?.clusterName !== undefined, additional);
  const pool = new container.NodePool(
    gkeResourceName(ctx.name, "gpuPool"),
    {
      cluster: inputs.cluster,
      location: inputs.location,
      nodeLocations: inputs.zones,
      ...size,
      ...(placement ? { placementPolicy: { type: "COMPACT" } } : {}),
      ...(queued ? { queuedProvisioning: { enabled: true } } : {}),
      ...(network ? { networkConfig: network } : {}),
      // Auto-repair off under flex-start (Google's flex-start blueprints: "dws flex-start requirement"). Auto-upgrade on
      // for every pool: the cluster is in a release channel, where GKE refuses a pool with it off ("Auto_upgrade cannot
      // be false when release_channel REGULAR is set", terraform-google-kubernetes-engine PRs #682 and #1618; GKE's
      // release-channels page: node auto-upgrade cannot be disabled in a channel). Google's A3 Ultra queued blueprint
      // turns it off only because its cluster has no channel (the gke-cluster module's default UNSPECIFIED); its TPU
      // queued blueprints use REGULAR with auto_upgrade true (cluster-toolkit @1047080, read 2026-12-01). Node
      // upgrades are held by the cluster's NO_MINOR_OR_NODE_UPGRADES exclusion (kubernetes/upgrades.ts) instead.
      management: { autoRepair: !flexStart, autoUpgrade: true },
      // Replace one node at a time, without surge capacity (GPU capacity is scarce): a job loses at most one rank per step.
      upgradeSettings: { maxSurge: 0, maxUnavailable: 1 },
      nodeConfig: {
        machineType: instanceType,
        imageType: "COS_CONTAINERD",
        diskType: disk.diskType,
        diskSizeGb: disk.sizeGiB,
        gvnic: { enabled: true },
        guestAccelerators: [
          {
            type: acceleratorType(instanceType),
            count: plan.gpusPerNode,
            gpuDriverInstallationConfig: { gpuDriverVersion: options.gke?.gpuDriverVersion ?? GKE_DEFAULTS.gpuDriverVersion },
          },
        ],
        ...ephemeralStorage(plan),
        labels: { [POOL_LABEL]: inputs.poolName, ...(queued ? QUEUED_NODE_LABELS : {}) },
        taints: [{ key: GPU_TAINT.key, value: GPU_TAINT.value, effect: "NO_SCHEDULE" }],
        ...hardenedNodeConfig(inputs),
        ...capacity(plan, options),
      },
    },
    // The autoscaler moves a fleet's (and a flex-start pool's) node count; `up` should not undo it. The local SSD setting is the machine type's
    // (which replaces the pool anyway): ignored afterwards, as cluster-toolkit's gke-node-pool does, so a pool created
    // before the library set it is not replaced for it.
    // A training pool's zone is the RoCE network's and the file systems' (kept at the lookup's first answer when the spec
    // pins none): moving the nodes alone would take them off their fabric. A fleet's zones follow the lookup in place.
    {
      parent: ctx.parent,
      dependsOn: inputs.dependsOn,
      ignoreChanges: [
        "nodeConfig.ephemeralStorageLocalSsdConfig",
        ...(reserved ? ["placementPolicy"] : []),
        ...(training ? lookedUpPlacement(inputs.pinnedZone, ["nodeLocations"]) : []),
        // The autoscaler's count (a fleet's, a flex-start pool's) is not the program's.
        ...(!training || flexStart ? ["nodeCount"] : []),
      ],
    },
  );
  return { pool };
}

/**
 * The system pool of a new cluster as billed: its nodes are the bill's `system-nodes` item (a fixed pool of `count`,
 * or autoscaled up to `maxCount` when the item has one) and their boot disks its system `node-disk` item
 * (lib/cost/bom/gcp-gke.ts). The pool names no zones, so GKE spreads it over the region's default zones
 * (GKE_DEFAULT_ZONES), and a fixed pool's `nodeCount` is per zone.
 */
export function systemNodePool(ctx: CompileContext, inputs: Omit<GpuNodePoolInputs, "nics" | "poolName" | "zones" | "pinnedZone">): container.NodePool {
  const nodes = billedItem(ctx.bill, "system-nodes", "the system node pool");
  const disk = billedNodeDisk(ctx.bill, "system", "the system nodes' boot disks");
  if (nodes.maxCount === undefined && nodes.count % GKE_DEFAULT_ZONES !== 0) {
    throw new Error(`gpu-cluster: the bill of materials carries ${nodes.count} system nodes, but the pool holds the same number in each of its ${GKE_DEFAULT_ZONES} zones (lib/cost/bom and the compiler disagree)`);
  }
  const size = nodes.maxCount === undefined ? { nodeCount: nodes.count / GKE_DEFAULT_ZONES } : { autoscaling: { totalMinNodeCount: nodes.count, totalMaxNodeCount: nodes.maxCount } };
  return new container.NodePool(
    gkeResourceName(ctx.name, "systemPool"),
    {
      cluster: inputs.cluster,
      location: inputs.location,
      ...size,
      networkConfig: { enablePrivateNodes: true },
      management: { autoRepair: true, autoUpgrade: true },
      nodeConfig: {
        machineType: SYSTEM_NODES.machineType,
        imageType: "COS_CONTAINERD",
        diskType: disk.diskType,
        diskSizeGb: disk.sizeGiB,
        labels: { "gpu-cluster/role": "system" },
        ...hardenedNodeConfig(inputs),
      },
    },
    { parent: ctx.parent, dependsOn: inputs.dependsOn },
  );
}
