/**
 * The inference workload: a Deployment of replicas.min GPU pods (each requesting `gpusPerReplica` GPUs, so
 * `replicasPerNode` share a Node: lib/planner/packing.ts), a Service, and an autoscaler between min and max (CPU HPA,
 * or KEDA when asked) whose pending pods make the node group grow.
 *
 * Model weights: as vLLM production-stack does (`servingEngineSpec.modelSpec[].pvcStorage`: one volume per model,
 * shared by its replicas, `HF_HOME` on it), the Hugging Face cache lives on the fleet's shared file system when it
 * has one (`storage` of kind `nfs` or `lustre`: EFS, Filestore, Azure NetApp Files, CoreWeave shared storage), so
 * the weights are downloaded once for the fleet, and a new or restarted pod loads them from there. A per-replica
 * volume on the node's local disk would need a local-volume provisioner no managed cluster ships, and zonal block
 * volumes would pin each replica to the zone of its disk. Without a shared file system the cache is an emptyDir
 * (every new pod downloads the weights).
 */
import { MODEL_SERVER_ENV } from "../shared/model-server.js";
import { scrapeAnnotations } from "./metrics.js";
import * as pulumi from "@pulumi/pulumi";
import { Deployment } from "@pulumi/kubernetes/apps/v1";
import { type Secret, Service } from "@pulumi/kubernetes/core/v1";
import type * as k8s from "@pulumi/kubernetes/types/input";
import type { Plan } from "../../planner/types.js";
import { shellQuote } from "../shared/bootstrap.js";
import { DRAIN_SECONDS } from "../shared/model-server.js";
import { fleetPodsPerNode } from "./upgrades.js";
import type { CompileContext } from "../types.js";
import { SKIP_AWAIT, type WorkloadNames } from "./names.js";
import { fleetAutoscaler, type FleetAutoscaler } from "./autoscaling.js";
import { DEFAULT_MODEL, WORKLOAD_DEFAULTS, type WorkloadOptions } from "./options.js";
import { gpuPodSpec, podTemplateMetadata, userEnvSecret } from "./pod.js";
import { gpusPerPod } from "./pod-resources.js";
import type { KubernetesTarget } from "./target.js";

/**
 * Seconds a terminating pod keeps serving before SIGTERM, so the Service's endpoints (and a cloud load balancer
 * behind them) stop sending it new requests first.
 */
const PRE_STOP_SECONDS = 15;

/** Writable home for a non-root server (Hugging Face and vLLM caches live under it). */
const HOME = "/home/gpu-cluster";

/**
 * Where the fleet's Hugging Face cache goes: `<mountPath>/huggingface` on the shared file system the pods mount, the
 * first by storage name (not by list position: reordering `storage` moves nothing); undefined without one.
 */
export function sharedModelCache(plan: Plan, mounts: readonly k8s.core.v1.VolumeMount[]): { path: string; mount: k8s.core.v1.VolumeMount } | undefined {
  const shared = plan.storage
    .filter((s) => s.kind === "nfs" || s.kind === "lustre")
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((s) => ({ s, mount: mounts.find((m) => m.mountPath === s.mountPath) }))
    .find((x) => x.mount !== undefined);
  return shared ? { path: `${shared.s.mountPath.replace(/\/+$/, "")}/huggingface`, mount: shared.mount! } : undefined;
}

/**
 * A shared export's root belongs to root and NFS ignores fsGroup: before a non-root server starts, create its cache
 * directory and hand it to the server's uid (root with CHOWN only, no other capability, the server's own image).
 */
function cacheOwnerInit(image: string, cache: { path: string; mount: k8s.core.v1.VolumeMount }, uid: number): k8s.core.v1.Container {
  const quoted = shellQuote(cache.path);
  return {
    name: "model-cache-owner",
    image,
    command: ["/bin/sh", "-c", `mkdir -p ${quoted} && chown ${uid}:${uid} ${quoted}`],
    securityContext: { runAsUser: 0, runAsNonRoot: false, privileged: false, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"], add: ["CHOWN"] } },
    volumeMounts: [cache.mount],
  };
}

/** The pod template's metadata with the Prometheus scrape annotations of the server's metrics (metrics.ts). */
function withScrapeAnnotations(metadata: k8s.meta.v1.ObjectMeta, port: number): k8s.meta.v1.ObjectMeta {
  return { ...metadata, annotations: { ...((metadata.annotations as Record<string, string> | undefined) ?? {}), ...scrapeAnnotations(port) } };
}

export interface InferenceWorkload extends FleetAutoscaler {
  deployment: Deployment;
  service: Service;
  /** The Secret holding the user's non-plain `env` values (an `HF_TOKEN` for a gated model), when there are any. */
  envSecret?: Secret;
  /** Where clients reach the fleet: the load balancer's reserved address when the target gives one, else the Service's in-cluster URL. */
  endpointUrl: pulumi.Output<string>;
}

export function inferenceWorkload(
  plan: Plan,
  options: WorkloadOptions,
  names: WorkloadNames,
  namespace: pulumi.Input<string>,
  target: KubernetesTarget,
  ctx: CompileContext,
): InferenceWorkload {
  const service = plan.service!;
  const replicas = plan.replicas!;
  const opts = target.opts;
  const defaultArgs =
    options.image === undefined
      ? ["--model", options.model ?? DEFAULT_MODEL, "--port", String(service.port), "--tensor-parallel-size", String(gpusPerPod(plan))]
      : undefined;
  const httpGet = { path: service.healthCheckPath, port: service.port };
  const envSecret = userEnvSecret(options, names, namespace, ctx, opts);
  const image = options.image ?? target.images.inference;
  const cache = sharedModelCache(plan, target.storage.mounts);
  const runAsNonRoot = options.runAsNonRoot ?? true;
  const pod = gpuPodSpec(plan, options, target.placement, {
    image,
    ...(options.command ? { command: options.command } : {}),
    ...((options.args ?? defaultArgs) ? { args: options.args ?? defaultArgs } : {}),
    env: { HOME, HF_HOME: cache?.path ?? `${HOME}/.cache/huggingface`, ...MODEL_SERVER_ENV },
    ports: [{ name: "http", containerPort: service.port, protocol: "TCP" }],
    volumes: [{ name: "home", emptyDir: {} }, ...target.storage.volumes],
    mounts: [{ name: "home", mountPath: HOME }, ...target.storage.mounts],
    envFrom: target.storage.envFrom,
    runAsNonRoot,
    envSecret,
    probes: {
      // Weights download and load before the first answer: up to 30 minutes before liveness applies.
      startupProbe: { httpGet, periodSeconds: 10, failureThreshold: 180 },
      readinessProbe: { httpGet, periodSeconds: 10, failureThreshold: 3 },
      livenessProbe: { httpGet, periodSeconds: 20, failureThreshold: 3, timeoutSeconds: 5 },
    },
  });

  // A pod leaving the fleet (scale-in, update) finishes its open generations: vLLM drains on SIGTERM, and the
  // grace period covers DRAIN_SECONDS (300 s, the VM fleets' drain) after the pre-stop pause; the default 30 s would cut them.
  pod.terminationGracePeriodSeconds = PRE_STOP_SECONDS + DRAIN_SECONDS;
  // A packed fleet (several replicas a Node) spreads its pods over the Nodes the pool has, so one Node's loss takes as
  // few replicas as the pool allows. Softly: `ScheduleAnyway` only scores Nodes, so a pod never waits and the autoscaler
  // never adds a Node for it, and replicasPerNode pods still share a Node when there is no other
  // (https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/). One replica a Node needs
  // none: each pod takes a whole Node's GPUs.
  if (fleetPodsPerNode(plan) > 1) {
    pod.topologySpreadConstraints = [{ maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: names.podLabels } }];
  }
  const server = (pod.containers as k8s.core.v1.Container[])[0]!;
  server.lifecycle = { preStop: { exec: { command: ["sleep", String(PRE_STOP_SECONDS)] } } };
  if (cache && runAsNonRoot) pod.initContainers = [...((pod.initContainers as k8s.core.v1.Container[] | undefined) ?? []), cacheOwnerInit(image, cache, options.runAsUser ?? WORKLOAD_DEFAULTS.runAsUser)];

  const deployment = new Deployment(
    `${ctx.name}-server`,
    {
      metadata: { name: names.base, namespace, labels: names.labels, annotations: SKIP_AWAIT },
      spec: {
        replicas: replicas.min,
        selector: { matchLabels: names.podLabels },
        // Each pod holds its Node's GPUs, or its slot of a packed Node's: a surge pod would wait for one that may never come.
        // One node's worth of replicas per step (lib/clouds/kubernetes/upgrades.ts fleetPodsPerNode).
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: fleetPodsPerNode(plan) } },
        template: { metadata: withScrapeAnnotations(podTemplateMetadata(plan, { ...(target.inferencePodLabels ?? {}), ...names.podLabels }), service.port), spec: pod },
      },
    },
    // The autoscaler owns the replica count after creation: an update must not reset a scaled fleet to min.
    { ...opts, dependsOn: target.dependsOn, ignoreChanges: ["spec.replicas"] },
  );

  const exposure = target.exposure(plan);
  const balanced = exposure.type === "LoadBalancer";
  const svc = new Service(
    `${ctx.name}-svc`,
    {
      metadata: { name: names.base, namespace, labels: names.labels, annotations: { ...SKIP_AWAIT, ...exposure.annotations } },
      spec: {
        type: exposure.type,
        selector: names.podLabels,
        ports: [{ name: "http", port: service.port, targetPort: service.port, protocol: "TCP" }],
        ...(balanced
          ? {
              // Keeps the client address, so loadBalancerSourceRanges and the server's logs see it.
              externalTrafficPolicy: "Local",
              ...(exposure.sourceRanges?.length ? { loadBalancerSourceRanges: exposure.sourceRanges } : {}),
              ...(exposure.address !== undefined ? { loadBalancerIP: exposure.address } : {}),
            }
          : {}),
      },
    },
    opts,
  );

  const autoscaler = fleetAutoscaler(plan, options, names, namespace, deployment, target, ctx);

  // The load balancer's reserved address where there is one (what clients in the network use), else the Service's DNS name.
  const endpointUrl =
    exposure.endpointUrl !== undefined
      ? pulumi.output(exposure.endpointUrl)
      : balanced && exposure.address !== undefined
      ? pulumi.interpolate`http://${exposure.address}:${service.port}`
      : pulumi.interpolate`http://${svc.metadata.name}.${svc.metadata.namespace}.svc.cluster.local:${service.port}`;
  return { deployment, service: svc, ...autoscaler, ...(envSecret ? { envSecret } : {}), endpointUrl };
}
