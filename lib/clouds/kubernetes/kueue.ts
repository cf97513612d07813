/**
 * Kueue configured, not just installed: the training Job is queued, gang-admitted and placed on the fabric's topology.
 *
 * Per component (with `kueue: true`): a Topology of the nodes' network hierarchy, a ResourceFlavor of the GPU pool
 * (its node labels and taint), a ClusterQueue holding exactly the pool's quota (GPUs, CPU, memory and the fabric's
 * devices of `nodeCount` pods) open to the component's namespace only, and a LocalQueue in that namespace. The Job
 * carries the queue label and is created suspended; Kueue admits it whole (quota for every pod at once) and then
 * waits for every pod to be ready (`waitForPodsReady`), so a half-started collective never holds GPUs.
 *
 * Failure: with the node level (`kubernetes.io/hostname`) lowest in the Topology, Kueue replaces a failed node of a
 * running workload by another node of the same domain ("hot swap", `TASFailedNodeReplacement`, beta and on by
 * default since Kueue 0.14). When no node is free, the workload is evicted and requeued whole, at most
 * {@link KUEUE_DEFAULTS}.requeueLimit times; the ranks restart from the job's last checkpoint on the shared storage.
 *
 * Sources (read 2026-11-30): Kueue v0.14.3 (github.com/kubernetes-sigs/kueue @ tag v0.14.3):
 * site/content/en/docs/concepts/topology_aware_scheduling.md, site/static/examples/tas/sample-gpu-queues.yaml,
 * site/content/en/docs/tasks/manage/setup_wait_for_pods_ready.md, charts/kueue/values.yaml,
 * pkg/features/kube_features.go, pkg/cache/scheduler/tas_flavor.go (a node missing any level's label is left out of
 * the topology, so a level is listed only where the cloud labels that instance type).
 */
import * as pulumi from "@pulumi/pulumi";
import { CustomResource } from "@pulumi/kubernetes/apiextensions";
import type * as k8s from "@pulumi/kubernetes/types/input";
import type { Plan } from "../../planner/types.js";
import type { CompileContext } from "../types.js";
import type { WorkloadNames } from "./names.js";
import { podResources } from "./pod.js";
import type { GpuNodePlacement } from "./target.js";

/** The API version of Topology, ResourceFlavor, ClusterQueue and LocalQueue in Kueue 0.14. */
export const KUEUE_API_VERSION = "kueue.x-k8s.io/v1beta1";
/** The Job label naming its LocalQueue. */
export const QUEUE_NAME_LABEL = "kueue.x-k8s.io/queue-name";
/** Pod-template annotations of Kueue's topology-aware scheduling. */
export const PREFERRED_TOPOLOGY = "kueue.x-k8s.io/podset-preferred-topology";
export const UNCONSTRAINED_TOPOLOGY = "kueue.x-k8s.io/podset-unconstrained-topology";
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
 * - GCP: `cloud.google.com/gce-topology-block / -subblock / -host` on A3 Ultra, A4 and A4X
 *   (https://cloud.google.com/ai-hypercomputer/docs/workloads/schedule-gke-workloads-tas, read 2026-11-30).
 * - CoreWeave: `backend.coreweave.cloud/fabric` and `/leafgroup` on InfiniBand and RoCE nodes
 *   (https://docs.coreweave.com/products/networking/hpc-interconnect/infiniband-roce-labels, read 2026-11-30).
 * - Azure: AKS publishes no network topology labels.
 */
export function networkTopologyLevels(plan: Plan): string[] {
  switch (plan.cloud) {
    case "aws": {
      const layers = EC2_TOPOLOGY_TYPES.find((t) => t.types.test(plan.instanceType))?.layers ?? 0;
      return Array.from({ length: layers }, (_, i) => `topology.k8s.aws/network-node-layer-${i + 1}`);
    }
    case "gcp":
      return /^(a3-ultragpu|a4-highgpu|a4x-highgpu)-/.test(plan.instanceType)
        ? ["cloud.google.com/gce-topology-block", "cloud.google.com/gce-topology-subblock", "cloud.google.com/gce-topology-host"]
        : [];
    case "coreweave":
      return plan.fabric.kind === "infiniband" ? ["backend.coreweave.cloud/fabric", "backend.coreweave.cloud/leafgroup"] : [];
    case "azure":
      return [];
  }
}

/** The Topology's levels: the network's, then the node. */
export function topologyLevels(plan: Plan): string[] {
  return [...networkTopologyLevels(plan), HOSTNAME_LABEL];
}

/**
 * The pod template's TAS annotation: prefer the narrowest network domain (Kueue widens level by level when the job
 * does not fit, and spreads it only when no single domain holds it); no network levels: any nodes.
 */
export function topologyAnnotation(plan: Plan): Record<string, string> {
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
 * Kueue's controller configuration: the 0.14.3 chart's default, with waitForPodsReady on (all-or-nothing admission,
 * the requeue budget). The chart reads it as YAML, and JSON is YAML.
 */
export function kueueChartValues(): Record<string, unknown> {
  const config = {
    apiVersion: "config.kueue.x-k8s.io/v1beta1",
    kind: "Configuration",
    health: { healthProbeBindAddress: ":8081" },
    metrics: { bindAddress: ":8443" },
    webhook: { port: 9443 },
    leaderElection: { leaderElect: true, resourceName: "c1f6bfd2.kueue.x-k8s.io" },
    controller: {
      groupKindConcurrency: { "Job.batch": 5, Pod: 5, "Workload.kueue.x-k8s.io": 5, "LocalQueue.kueue.x-k8s.io": 1, "ClusterQueue.kueue.x-k8s.io": 1, "ResourceFlavor.kueue.x-k8s.io": 1 },
    },
    clientConnection: { qps: 50, burst: 100 },
    waitForPodsReady: {
      enable: true,
      timeout: KUEUE_DEFAULTS.podsReadyTimeout,
      recoveryTimeout: KUEUE_DEFAULTS.recoveryTimeout,
      // Admit one gang at a time until its pods are ready: two half-started jobs never deadlock on the same nodes.
      blockAdmission: true,
      requeuingStrategy: { timestamp: "Eviction", backoffLimitCount: KUEUE_DEFAULTS.requeueLimit, backoffBaseSeconds: 60, backoffMaxSeconds: 3600 },
    },
    integrations: {
      frameworks: [
        "batch/job",
        "kubeflow.org/mpijob",
        "ray.io/rayjob",
        "ray.io/raycluster",
        "jobset.x-k8s.io/jobset",
        "trainer.kubeflow.org/trainjob",
        "kubeflow.org/paddlejob",
        "kubeflow.org/pytorchjob",
        "kubeflow.org/tfjob",
        "kubeflow.org/xgboostjob",
        "kubeflow.org/jaxjob",
        "workload.codeflare.dev/appwrapper",
      ],
    },
  };
  return { managerConfig: { controllerManagerConfigYaml: JSON.stringify(config, null, 2) } };
}

/** The node labels a placement requires (each `In` expression with one value). */
function flavorNodeLabels(placement: GpuNodePlacement): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const e of placement.matchExpressions as k8s.core.v1.NodeSelectorRequirement[]) {
    const values = e.values as string[] | undefined;
    if (e.operator === "In" && values?.length === 1) labels[e.key as string] = values[0]!;
  }
  return labels;
}

export interface KueueQueues {
  topology: CustomResource;
  flavor: CustomResource;
  clusterQueue: CustomResource;
  localQueue: CustomResource;
  /** The LocalQueue's name: the Job's `kueue.x-k8s.io/queue-name`. */
  queueName: string;
}

/** The component's Topology, ResourceFlavor, ClusterQueue and LocalQueue, after Kueue (its CRDs) is installed. */
export function kueueQueues(
  plan: Plan,
  names: WorkloadNames,
  namespace: pulumi.Input<string>,
  placement: GpuNodePlacement,
  ctx: CompileContext,
  opts: pulumi.CustomResourceOptions,
  after: pulumi.Input<pulumi.Resource>[],
): KueueQueues {
  const o = { ...opts, dependsOn: after };
  const meta = (name: string) => ({ name, labels: names.labels });
  const topology = new CustomResource(
    `${ctx.name}-topology`,
    { apiVersion: KUEUE_API_VERSION, kind: "Topology", metadata: meta(names.base), spec: { levels: topologyLevels(plan).map((nodeLabel) => ({ nodeLabel })) } },
    o,
  );
  const flavor = new CustomResource(
    `${ctx.name}-flavor`,
    {
      apiVersion: KUEUE_API_VERSION,
      kind: "ResourceFlavor",
      metadata: meta(names.nodePool),
      // TAS counts only nodes whose taints the flavor tolerates (the sample GPU queues do the same).
      spec: { nodeLabels: flavorNodeLabels(placement), tolerations: placement.tolerations, topologyName: names.base },
    },
    { ...o, dependsOn: [...after, topology] },
  );
  const quota = clusterQueueQuota(plan);
  const clusterQueue = new CustomResource(
    `${ctx.name}-cluster-queue`,
    {
      apiVersion: KUEUE_API_VERSION,
      kind: "ClusterQueue",
      metadata: meta(names.base),
      spec: {
        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": names.namespace } },
        resourceGroups: [
          {
            coveredResources: Object.keys(quota),
            flavors: [{ name: names.nodePool, resources: Object.entries(quota).map(([name, nominalQuota]) => ({ name, nominalQuota })) }],
          },
        ],
      },
    },
    { ...o, dependsOn: [...after, flavor] },
  );
  const localQueue = new CustomResource(
    `${ctx.name}-local-queue`,
    { apiVersion: KUEUE_API_VERSION, kind: "LocalQueue", metadata: { ...meta(names.base), namespace }, spec: { clusterQueue: names.base } },
    { ...o, dependsOn: [...after, clusterQueue] },
  );
  return { topology, flavor, clusterQueue, localQueue, queueName: names.base };
}

/**
 * What Kueue changes on the training Job: the queue label, created suspended (Kueue resumes it when the whole gang
 * is admitted), and a rank that fails restarts up to `restartsPerRank` times instead of failing the Job; a pod
 * evicted with its node (DisruptionTarget: drain, node lost, preemption) does not count.
 * https://kubernetes.io/docs/concepts/workloads/controllers/job/#backoff-limit-per-index and #pod-failure-policy.
 */
export function queuedJobSpec(): { suspend: true; backoffLimitPerIndex: number; maxFailedIndexes: number; podFailurePolicy: k8s.batch.v1.PodFailurePolicy } {
  return {
    suspend: true,
    backoffLimitPerIndex: KUEUE_DEFAULTS.restartsPerRank,
    // A rank out of restarts ends the collective: fail the Job at once rather than leave the other ranks waiting.
    maxFailedIndexes: 0,
    podFailurePolicy: { rules: [{ action: "Ignore", onPodConditions: [{ type: "DisruptionTarget", status: "True" }] }] },
  };
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
  const placed = network.length > 0 ? `placed within the narrowest of ${network.join(" > ")} that holds it` : "placed on any nodes of the pool (no network topology labels for this instance type)";
  const shared = plan.storage.filter((s) => s.kind === "nfs" || s.kind === "lustre").map((s) => s.mountPath);
  const checkpoints =
    shared.length > 0
      ? `write checkpoints to ${shared.join(" or ")} and resume from the latest one at start`
      : "the plan has no shared file system: write checkpoints to object storage and resume from the latest one at start, or a requeued job starts over";
  return (
    `Kueue: the training Job queues in its LocalQueue (ClusterQueue quota ${quota}), is admitted whole once every pod fits and ${placed}; ` +
    `a failed node is replaced by a free node of the pool, else the job is requeued whole (up to ${KUEUE_DEFAULTS.requeueLimit} times; a rank may restart ${KUEUE_DEFAULTS.restartsPerRank} times): ${checkpoints}.`
  );
}
