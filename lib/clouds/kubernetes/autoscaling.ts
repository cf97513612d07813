/**
 * How an inference fleet scales between `replicas.min` and `replicas.max`: with KEDA on a Prometheus query (requests
 * waiting in vLLM by default), or a HorizontalPodAutoscaler on CPU where no Prometheus is known. Pending pods are what
 * make the GPU node pool grow, either way.
 *
 * The signal is vLLM's own queue (`vllm:num_requests_waiting`): CPU barely moves on a GPU-bound server, so a CPU HPA
 * keeps the fleet near replicas.min under load. Which Prometheus:
 * - `keda` given: the user's (`keda.prometheusUrl`, no auth);
 * - else the cluster's managed Prometheus where the compiler built one (`target.prometheus`: Amazon Managed Service
 *   for Prometheus on EKS, Google Cloud Managed Service for Prometheus on GKE, Azure Monitor on AKS), queried by the
 *   KEDA operator as its own workload identity through a TriggerAuthentication (cluster-prometheus.ts);
 * - else none: the CPU HPA, and the plan says so (autoscaling-policy.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import { CustomResource } from "@pulumi/kubernetes/apiextensions";
import type { Deployment } from "@pulumi/kubernetes/apps/v1";
import { HorizontalPodAutoscaler } from "@pulumi/kubernetes/autoscaling/v2";
import type { Release } from "@pulumi/kubernetes/helm/v3";
import type { Plan } from "../../planner/types.js";
import { SCALE_WARMUP_SECONDS } from "../shared/model-server.js";
import type { CompileContext } from "../types.js";
import { helmRelease, KEDA_CHART } from "./bootstrap.js";
import type { WorkloadNames } from "./names.js";
import { installsClusterAddons, KEDA_DEFAULTS, WORKLOAD_DEFAULTS, type ManagedClusterOptions } from "./options.js";
import type { KubernetesTarget } from "./target.js";

/** A Node removed takes 20-30 minutes to come back: scale in only after 15 quiet minutes. */
const SCALE_DOWN_STABILIZATION_SECONDS = 900;

/**
 * Scale-out pace: at most double the fleet (at least one pod) per warm-up (SCALE_WARMUP_SECONDS, 15 minutes). A new
 * pod waits for a Node and loads its model for 10-25 minutes while the queue it should drain stays long; without
 * a pace the HPA keeps adding pods for the same load and overshoots to max.
 */
export const SCALE_UP_BEHAVIOR = {
  stabilizationWindowSeconds: 0,
  selectPolicy: "Max",
  policies: [
    { type: "Percent", value: 100, periodSeconds: SCALE_WARMUP_SECONDS },
    { type: "Pods", value: 1, periodSeconds: SCALE_WARMUP_SECONDS },
  ],
};

const BEHAVIOR = { scaleUp: SCALE_UP_BEHAVIOR, scaleDown: { stabilizationWindowSeconds: SCALE_DOWN_STABILIZATION_SECONDS } };

export interface FleetAutoscaler {
  hpa?: HorizontalPodAutoscaler;
  scaledObject?: CustomResource;
  /** KEDA's TriggerAuthentication for the cluster's managed Prometheus (its operator's workload identity). */
  triggerAuthentication?: CustomResource;
  /** The KEDA release this component installed (none when `keda.install` is false). */
  kedaRelease?: Release;
}

/** vLLM's queue: requests waiting for a slot, summed over the fleet's pods (KEDA divides by the threshold per replica). */
export function defaultKedaQuery(namespace: string, deployment: string): string {
  return `sum(vllm:num_requests_waiting{namespace="${namespace}",pod=~"${deployment}-.*"})`;
}

export function fleetAutoscaler(
  plan: Plan,
  options: ManagedClusterOptions,
  names: WorkloadNames,
  namespace: pulumi.Input<string>,
  deployment: Deployment,
  target: KubernetesTarget,
  ctx: CompileContext,
): FleetAutoscaler {
  const replicas = plan.replicas!;
  const metadata = { name: names.base, namespace, labels: names.labels };
  const scaleTargetRef = { apiVersion: "apps/v1", kind: "Deployment", name: deployment.metadata.name };
  const managed = options.keda === undefined ? target.prometheus : undefined;
  if (options.keda === undefined && managed === undefined) {
    const hpa = new HorizontalPodAutoscaler(
      `${ctx.name}-hpa`,
      {
        metadata,
        spec: {
          scaleTargetRef,
          minReplicas: replicas.min,
          maxReplicas: replicas.max,
          metrics: [
            {
              type: "Resource",
              resource: { name: "cpu", target: { type: "Utilization", averageUtilization: options.targetCpuUtilizationPercent ?? WORKLOAD_DEFAULTS.targetCpuUtilizationPercent } },
            },
          ],
          behavior: BEHAVIOR,
        },
      },
      target.opts,
    );
    return { hpa };
  }

  const keda = options.keda;
  // The ScaledObject kind exists once KEDA's CRDs do: after the release, or after what the workload waits for. The
  // release also waits for the identity its operator queries the managed Prometheus with (it must start with it).
  const install = keda?.install ?? installsClusterAddons(options);
  const kedaRelease = !install
    ? undefined
    : helmRelease("keda", KEDA_CHART, managed?.kedaValues ?? {}, ctx, target.opts.provider!, [...target.dependsOn, ...(managed?.dependsOn ?? [])], 600);
  const query = pulumi.output(namespace).apply((ns) => keda?.query ?? defaultKedaQuery(ns, names.base));
  const after = [deployment, ...(kedaRelease ? [kedaRelease] : [])];
  const triggerAuthentication = managed
    ? new CustomResource(
        `${ctx.name}-scaler-auth`,
        {
          apiVersion: "keda.sh/v1alpha1",
          kind: "TriggerAuthentication",
          metadata: { name: `${names.base}-prometheus`, namespace, labels: names.labels },
          spec: { podIdentity: managed.podIdentity },
        },
        { ...target.opts, dependsOn: after },
      )
    : undefined;
  const scaledObject = new CustomResource(
    `${ctx.name}-scaler`,
    {
      apiVersion: "keda.sh/v1alpha1",
      kind: "ScaledObject",
      metadata,
      spec: {
        scaleTargetRef,
        minReplicaCount: replicas.min,
        maxReplicaCount: replicas.max,
        // Scale to zero (replicas.min 0) only after the same quiet period as any scale-in.
        cooldownPeriod: SCALE_DOWN_STABILIZATION_SECONDS,
        advanced: { horizontalPodAutoscalerConfig: { behavior: BEHAVIOR } },
        triggers: [
          {
            type: "prometheus",
            ...(triggerAuthentication ? { authenticationRef: { name: triggerAuthentication.metadata.name } } : {}),
            metadata: {
              serverAddress: keda?.prometheusUrl ?? managed!.serverAddress,
              query,
              threshold: String(keda?.threshold ?? KEDA_DEFAULTS.threshold),
              // With replicas.min 0: any load at all on the (required) query wakes the fleet.
              activationThreshold: "0",
              ...(managed?.metadata ?? {}),
            },
          },
        ],
      },
    },
    { ...target.opts, dependsOn: [...after, ...(triggerAuthentication ? [triggerAuthentication] : [])] },
  );
  return { scaledObject, ...(triggerAuthentication ? { triggerAuthentication } : {}), ...(kedaRelease ? { kedaRelease } : {}) };
}
