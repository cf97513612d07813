/**
 * Kueue configured, not just installed: the training Job is queued, gang-admitted and placed on the fabric's topology.
 *
 * Per component (with `kueue: true`): a Topology of the nodes' network hierarchy, a ResourceFlavor of the GPU pool
 * (its node labels and taint), a ClusterQueue holding exactly the pool's quota (GPUs, CPU, memory and the fabric's
 * devices of `nodeCount` pods) open to the component's namespace only, and a LocalQueue in that namespace. The Job
 * carries the queue label and is created suspended; Kueue admits it whole (quota for every pod at once) and then
 * waits for every pod to be ready (`waitForPodsReady`), so a half-started collective never holds GPUs.
 *
 * Where the GPU nodes come only through ProvisioningRequests (GKE flex-start with queued provisioning, the target's
 * `provisioning`), the ClusterQueue also requires a ProvisioningRequest admission check: Kueue reserves the quota,
 * creates one ProvisioningRequest for the workload's pods, and admits it once the autoscaler reports them provisioned.
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
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { CustomResource } from "@pulumi/kubernetes/apiextensions";
import type * as k8s from "@pulumi/kubernetes/types/input";
import type { Plan } from "../../planner/types.js";
import type { CompileContext } from "../types.js";
import type { WorkloadNames } from "./names.js";
import { clusterQueueQuota, KUEUE_API_VERSION, KUEUE_DEFAULTS, PROVISIONING_REQUEST_CONTROLLER, type ProvisioningCheck, queueHasTopology, topologyLevels } from "./kueue-policy.js";
import type { GpuNodePlacement } from "./target.js";

export * from "./kueue-policy.js";

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
  /** The Topology the flavor names; none where the queue places by no topology (queueHasTopology: GKE flex-start). */
  topology?: CustomResource;
  flavor: CustomResource;
  clusterQueue: CustomResource;
  localQueue: CustomResource;
  /** The LocalQueue's name: the Job's `kueue.x-k8s.io/queue-name`. */
  queueName: string;
  /** With a ProvisioningRequest check: its ProvisioningRequestConfig and AdmissionCheck (the ClusterQueue requires it). */
  provisioning?: { config: CustomResource; admissionCheck: CustomResource };
}

/**
 * The ProvisioningRequestConfig and the AdmissionCheck that names it (both cluster-scoped, named as the ClusterQueue).
 * Shapes as Kueue's setup (site/content/en/docs/concepts/admission_check/provisioning_request.md @ v0.14.3) and Google's
 * queued-provisioning blueprint (cluster-toolkit examples/gke-consumption-options/dws-flex-start-queued-provisioning/
 * dws-queues.yaml.tftpl @10470803, 2026-06-25, read 2026-12-01): the check's `parameters` point at the config by
 * apiGroup, kind and name.
 */
function provisioningCheck(check: ProvisioningCheck, names: WorkloadNames, ctx: CompileContext, opts: pulumi.CustomResourceOptions): NonNullable<KueueQueues["provisioning"]> {
  const metadata = { name: names.base, labels: names.labels };
  const config = new CustomResource(
    `${ctx.name}-provisioning-config`,
    {
      apiVersion: KUEUE_API_VERSION,
      kind: "ProvisioningRequestConfig",
      metadata,
      spec: {
        provisioningClassName: check.provisioningClassName,
        managedResources: check.managedResources,
        ...(check.parameters ? { parameters: check.parameters } : {}),
        ...(check.podSetUpdates ? { podSetUpdates: check.podSetUpdates } : {}),
      },
    },
    opts,
  );
  const admissionCheck = new CustomResource(
    `${ctx.name}-admission-check`,
    {
      apiVersion: KUEUE_API_VERSION,
      kind: "AdmissionCheck",
      metadata,
      spec: { controllerName: PROVISIONING_REQUEST_CONTROLLER, parameters: { apiGroup: "kueue.x-k8s.io", kind: "ProvisioningRequestConfig", name: names.base } },
    },
    { ...opts, dependsOn: [...((opts.dependsOn as pulumi.Input<pulumi.Resource>[] | undefined) ?? []), config] },
  );
  return { config, admissionCheck };
}

/**
 * The Topology's and the flavor's names, which carry a key of the Topology's levels. Kueue refuses any change to a
 * Topology's levels (immutable: kubernetes-sigs/kueue apis/kueue/v1beta1/topology_types.go @v0.14.3) and to a flavor's
 * topologyName (resourceflavor_types.go), and holds a Topology while a flavor names it and a flavor while a
 * ClusterQueue does (its finalizers). So new levels (a GKE A3 pool gaining or losing its reservation) make a new
 * Topology and flavor under new names, the ClusterQueue moves to them in place, and the old pair is deleted after;
 * one name kept would have to be deleted first, which the finalizers block. Without a Topology (a queued-provisioning
 * queue) the flavor keeps the pool's name.
 */
export function topologyQueueNames(names: Pick<WorkloadNames, "base" | "nodePool">, levels: readonly string[] | undefined): { topology?: string; flavor: string } {
  if (!levels) return { flavor: names.nodePool };
  const key = createHash("sha256").update(levels.join("\n")).digest("hex").slice(0, 6);
  return { topology: `${names.base}-${key}`, flavor: `${names.nodePool}-${key}` };
}

/**
 * The component's Topology, ResourceFlavor, ClusterQueue and LocalQueue, after Kueue (its CRDs) is installed; with
 * `check`, the ClusterQueue also requires a ProvisioningRequest admission check (Kueue v0.14.3 runs topology
 * assignment after the checks are Ready, on the newly provisioned nodes: concepts/topology_aware_scheduling.md).
 */
export function kueueQueues(
  plan: Plan,
  names: WorkloadNames,
  namespace: pulumi.Input<string>,
  placement: GpuNodePlacement,
  ctx: CompileContext,
  opts: pulumi.CustomResourceOptions,
  after: pulumi.Input<pulumi.Resource>[],
  check?: ProvisioningCheck,
): KueueQueues {
  const o = { ...opts, dependsOn: after };
  const provisioning = check ? provisioningCheck(check, names, ctx, o) : undefined;
  const meta = (name: string) => ({ name, labels: names.labels });
  const levels = queueHasTopology(plan) ? topologyLevels(plan) : undefined;
  const queueNames = topologyQueueNames(names, levels);
  const topology = levels
    ? new CustomResource(
        `${ctx.name}-topology`,
        { apiVersion: KUEUE_API_VERSION, kind: "Topology", metadata: meta(queueNames.topology!), spec: { levels: levels.map((nodeLabel) => ({ nodeLabel })) } },
        o,
      )
    : undefined;
  const flavor = new CustomResource(
    `${ctx.name}-flavor`,
    {
      apiVersion: KUEUE_API_VERSION,
      kind: "ResourceFlavor",
      metadata: meta(queueNames.flavor),
      // TAS counts only nodes whose taints the flavor tolerates (the sample GPU queues do the same).
      spec: { nodeLabels: flavorNodeLabels(placement), tolerations: placement.tolerations, ...(topology ? { topologyName: queueNames.topology } : {}) },
    },
    { ...o, dependsOn: [...after, ...(topology ? [topology] : [])] },
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
            flavors: [{ name: queueNames.flavor, resources: Object.entries(quota).map(([name, nominalQuota]) => ({ name, nominalQuota })) }],
          },
        ],
        // Admitted only once the check is Ready: every pod's node provisioned.
        ...(provisioning ? { admissionChecks: [names.base] } : {}),
      },
    },
    { ...o, dependsOn: [...after, flavor, ...(provisioning ? [provisioning.admissionCheck] : [])] },
  );
  const localQueue = new CustomResource(
    `${ctx.name}-local-queue`,
    { apiVersion: KUEUE_API_VERSION, kind: "LocalQueue", metadata: { ...meta(names.base), namespace }, spec: { clusterQueue: names.base } },
    { ...o, dependsOn: [...after, clusterQueue] },
  );
  return { ...(topology ? { topology } : {}), flavor, clusterQueue, localQueue, queueName: names.base, ...(provisioning ? { provisioning } : {}) };
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
