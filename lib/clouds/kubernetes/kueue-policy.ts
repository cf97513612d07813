/**
 * Kueue's queue, quota and topology facts as plain data (no Kubernetes SDK): ./kueue.ts builds the objects from them,
 * and the plan note reads them without the SDK installed. Sources: see ./kueue.ts.
 */
import type { Plan } from "../../planner/types.js";
import { podResources } from "./pod-resources.js";
import { FABRIC_LABEL, LEAFGROUP_LABEL, NVLINK_DOMAIN_LABEL } from "../coreweave/node-labels.js";
import { nvlinkDomain } from "../../fabric/index.js";
import { onReservation } from "../gcp/gke/reservation.js";

/** The API version of Topology, ResourceFlavor, ClusterQueue and LocalQueue in Kueue 0.14. */
export const KUEUE_API_VERSION = "kueue.x-k8s.io/v1beta1";
/** The Job label naming its LocalQueue. */
export const QUEUE_NAME_LABEL = "kueue.x-k8s.io/queue-name";
/** Pod-template annotations of Kueue's topology-aware scheduling. */
export const PREFERRED_TOPOLOGY = "kueue.x-k8s.io/podset-preferred-topology";
export const UNCONSTRAINED_TOPOLOGY = "kueue.x-k8s.io/podset-unconstrained-topology";
/** The controller name of Kueue's built-in ProvisioningRequest admission check (GA and always on since Kueue 0.14). */
export const PROVISIONING_REQUEST_CONTROLLER = "kueue.x-k8s.io/provisioning-request";

/**
 * A ProvisioningRequest admission check, as plain data: the ClusterQueue admits a workload only when the cluster
 * autoscaler has provisioned nodes for all its pods (Kueue creates one ProvisioningRequest per workload). The
 * cloud's compiler gives the provisioning class and its parameters (GKE: lib/clouds/gcp/gke/queued-provisioning.ts).
 * Fields as Kueue v0.14.3's ProvisioningRequestConfigSpec (apis/kueue/v1beta1/provisioningrequestconfig_types.go).
 */
export interface ProvisioningCheck {
  /** The ProvisioningRequest's class, e.g. `queued-provisioning.gke.io`. */
  provisioningClassName: string;
  /** Resources the autoscaler provisions; pod sets that request none of them need no request. */
  managedResources: string[];
  /** The class's parameters, e.g. `maxRunDurationSeconds`; strings of at most 255 characters. */
  parameters?: Record<string, string>;
  /** Node selectors Kueue adds to the admitted pods, valued from the request's provisioningClassDetails. */
  podSetUpdates?: { nodeSelector: { key: string; valueFromProvisioningClassDetail: string }[] };
}

/** The node level: lowest in every Topology (it is what makes hot swap and taint handling work). */
export const HOSTNAME_LABEL = "kubernetes.io/hostname";

export const KUEUE_DEFAULTS = {
  /** Admission to all pods ready: covers pulling a multi-GB training image onto every node. */
  podsReadyTimeout: "30m",
  /** A running workload with a pod not ready this long (a node lost, no replacement) is evicted and requeued whole. */
  recoveryTimeout: "15m",
  /** Requeues after an eviction before Kueue deactivates the workload: the whole job's restart budget. */
  requeueLimit: 5,
  /** Times one rank (Job index) may fail before the Job fails: it restarts and rejoins the rendezvous. */
  restartsPerRank: 3,
};

/**
 * EC2 instance topology: the instance types whose nodes EKS labels `topology.k8s.aws/network-node-layer-1..3`
 * (four layers on the last row). https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-topology-prerequisites.html
 * and https://docs.aws.amazon.com/eks/latest/userguide/ml-workload-topology.html (read 2026-11-30).
 */
const EC2_TOPOLOGY_TYPES: { layers: number; types: RegExp }[] = [
  { layers: 3, types: /^(g6e\.|g7e\.|hpc6a\.|hpc6id\.|hpc7a\.|hpc7g\.|p3dn\.24xlarge$|p4d\.24xlarge$|p4de\.24xlarge$|p5\.48xlarge$|p5e\.48xlarge$|p5en\.48xlarge$|p6e-gb200\.|trn1\.|trn1n\.|trn2\.|trn2u\.)/ },
  { layers: 4, types: /^(p6-b200\.48xlarge|p6-b300\.48xlarge)$/ },
];

/**
 * The network levels above the node, broadest first, that each cloud labels on a GPU node of this plan; empty
 * where it labels none (the Topology is then the node level alone: no locality, but hot swap still works).
 * - AWS: above.
 * - GCP: `cloud.google.com/gce-topology-block / -subblock / -host` on A3 Ultra, A4 and A4X (not on flex-start, below)
 *   (https://cloud.google.com/ai-hypercomputer/docs/workloads/schedule-gke-workloads-tas, read 2026-11-30), and on A3 Mega
 *   and A3 High 8-GPU nodes: Google's GKE blueprints for those give Kueue the same levels (GoogleCloudPlatform/cluster-toolkit
 *   examples/gke-a3-megagpu/ and examples/gke-a3-highgpu/kueue-configuration.yaml.tftpl @10778ef0, 2026-05-08; and
 *   https://docs.cloud.google.com/ai-hypercomputer/docs/nccl/test-gke-custom-a3-mega-high; read 2026-12-01). Those
 *   blueprints place the pool by a specific reservation, and only there: Google documents the block label as "the
 *   reserved block", and Google's XPK turns TAS off for A3 High and A3 Mega unless the capacity is a reservation or
 *   flex-start (AI-Hypercomputer/xpk src/xpk/commands/common.py @367c8382). Kueue leaves a node without every level's
 *   label out of TAS altogether (kubernetes-sigs/kueue pkg/cache/scheduler/tas_flavor.go @7c2881e, `HasLabels(levels)`;
 *   kueue#5039), so an on-demand or spot A3 Mega / High pool, placed by COMPACT rather than a reservation, gets no
 *   network levels (the node level alone): its Job would otherwise never be admitted while its GPUs are billed.
 * - CoreWeave: `backend.coreweave.cloud/fabric` and `/leafgroup` on InfiniBand and RoCE nodes
 *   (https://docs.coreweave.com/products/networking/hpc-interconnect/infiniband-roce-labels, read 2026-11-30); on
 *   NVL72 types (GB200, GB300) then `ds.coreweave.com/nvlink.domain`, the rack's globally unique NVLink domain on every
 *   Node (https://docs.coreweave.com/products/sunk/optimize_workloads/topology-scheduling, read 2026-12-01), so the
 *   preferred level is one rack: Kueue packs the job into the fewest NVLink domains before it widens to a leaf group.
 * - Azure: AKS publishes no network topology labels.
 */
export function networkTopologyLevels(plan: Plan): string[] {
  switch (plan.cloud) {
    case "aws": {
      const layers = EC2_TOPOLOGY_TYPES.find((t) => t.types.test(plan.instanceType))?.layers ?? 0;
      return Array.from({ length: layers }, (_, i) => `topology.k8s.aws/network-node-layer-${i + 1}`);
    }
    case "gcp":
      // Flex-start: no levels, because a flex-start queue has no Topology at all (queueHasTopology, below), not for
      // want of labels: Google's XPK treats flex-start as enough for TAS on A3 High and newer ("Flex is enough to
      // support TAS for A3-High or newer", AI-Hypercomputer/xpk src/xpk/commands/common.py @367c8382, read 2026-12-01).
      // The plain flex-start pool takes no Kueue (gcp/gke/options.ts), so no flex-start queue would read these levels.
      if (plan.pricing === "flex-start") return [];
      // A3 Ultra, A4 and A4X are sold only through reservations (and flex-start, above); A3 Mega and High also on
      // demand, where their nodes carry no documented topology labels.
      return /^(a3-ultragpu-|a4-highgpu-|a4x-highgpu-)/.test(plan.instanceType) || (/^(a3-megagpu-8g|a3-highgpu-8g)$/.test(plan.instanceType) && onReservation(plan))
        ? ["cloud.google.com/gce-topology-block", "cloud.google.com/gce-topology-subblock", "cloud.google.com/gce-topology-host"]
        : [];
    case "coreweave":
      return plan.fabric.kind === "infiniband" ? [FABRIC_LABEL, LEAFGROUP_LABEL, ...(nvlinkDomain(plan.instanceType) ? [NVLINK_DOMAIN_LABEL] : [])] : [];
    case "azure":
      return [];
  }
}

/** The Topology's levels: the network's, then the node. */
export function topologyLevels(plan: Plan): string[] {
  return [...networkTopologyLevels(plan), HOSTNAME_LABEL];
}

/**
 * Whether the queue places jobs by topology (a Topology, the flavor's `topologyName`, the pods' TAS annotation). Not
 * on GKE flex-start, where Kueue's queue is always queued provisioning: the nodes are the ones provisioned for the
 * Job's own request (podSetUpdates), and Google's queued-provisioning blueprint gives its flavor no topology
 * (cluster-toolkit examples/gke-consumption-options/dws-flex-start-queued-provisioning/dws-queues.yaml.tftpl
 * @1047080, read 2026-12-01). With topology, a ProvisioningRequest check and a quota exactly the job's need, Kueue's
 * second (topology) pass can fail with "insufficient unused quota" (kubernetes-sigs/kueue issue #9048, 2026-02-07),
 * leaving the Job held on nodes already billed.
 */
export function queueHasTopology(plan: Plan): boolean {
  return !(plan.cloud === "gcp" && plan.pricing === "flex-start");
}

/**
 * The pod template's TAS annotation: prefer the narrowest network domain (Kueue widens level by level when the job
 * does not fit, and spreads it only when no single domain holds it); no network levels: any nodes; no topology
 * (queueHasTopology): none.
 */
export function topologyAnnotation(plan: Plan): Record<string, string> {
  if (!queueHasTopology(plan)) return {};
  const network = networkTopologyLevels(plan);
  return network.length > 0 ? { [PREFERRED_TOPOLOGY]: network[network.length - 1]! } : { [UNCONSTRAINED_TOPOLOGY]: "true" };
}

/** `quantity` (e.g. "108", "921Gi", "5120Mi") times `n`, in the same unit. */
function times(quantity: string, n: number): string {
  const match = /^(\d+)([A-Za-z]*)$/.exec(quantity);
  // A programming error: podResources writes whole quantities only.
  if (!match) throw new Error(`cannot scale the quantity '${quantity}'`);
  return `${Number(match[1]) * n}${match[2]}`;
}

/** The ClusterQueue's quota: the training pods' requests (one pod per node) times the node count. */
export function clusterQueueQuota(plan: Plan): Record<string, string> {
  const requests = podResources(plan).requests as Record<string, string>;
  return Object.fromEntries(Object.entries(requests).map(([name, q]) => [name, times(q, plan.nodeCount)]));
}

/**
 * The plan note of a queued training job: its queue and quota, where Kueue places it, and how it survives a node:
 * hot swap, else a requeue whose ranks resume from the last checkpoint on the shared storage (the restart path).
 */
export function kueuePlanNote(plan: Plan): string {
  const quota = Object.entries(clusterQueueQuota(plan))
    .map(([name, q]) => `${q} ${name}`)
    .join(", ");
  const network = networkTopologyLevels(plan);
  // Flex-start under Kueue is queued provisioning: the nodes are the ones provisioned for the Job's own request.
  const provisioned = plan.pricing === "flex-start";
  const placed = provisioned
    ? "placed on the nodes Dynamic Workload Scheduler provisioned for its ProvisioningRequest"
    : network.length > 0
      ? `placed within the narrowest of ${network.join(" > ")} that holds it`
      : "placed on any nodes of the pool (no network topology labels for this instance type and capacity)";
  const replaced = provisioned ? "a failed node ends the admission: the job is requeued whole with a new ProvisioningRequest" : "a failed node is replaced by a free node of the pool, else the job is requeued whole";
  const shared = plan.storage.filter((s) => s.kind === "nfs" || s.kind === "lustre").map((s) => s.mountPath);
  const checkpoints =
    shared.length > 0
      ? `write checkpoints to ${shared.join(" or ")} and resume from the latest one at start`
      : "the plan has no shared file system: write checkpoints to object storage and resume from the latest one at start, or a requeued job starts over";
  return (
    `Kueue: the training Job queues in its LocalQueue (ClusterQueue quota ${quota}), is admitted whole once every pod fits and ${placed}; ` +
    `${replaced} (up to ${KUEUE_DEFAULTS.requeueLimit} times; a rank may restart ${KUEUE_DEFAULTS.restartsPerRank} times): ${checkpoints}.`
  );
}
