/**
 * CoreWeave inference fleet: a NodePool autoscaled by CKS between replicas.min and max Nodes, a Deployment of one
 * GPU pod per Node, a Service, and a HorizontalPodAutoscaler whose pending pods make the pool grow.
 */
import * as pulumi from "@pulumi/pulumi";
import { Deployment } from "@pulumi/kubernetes/apps/v1";
import { HorizontalPodAutoscaler } from "@pulumi/kubernetes/autoscaling/v2";
import { Service } from "@pulumi/kubernetes/core/v1";
import type { Plan } from "../../planner/types.js";
import type { CompileContext, FleetHandles } from "../types.js";
import { childOptions, coreweaveNames, SKIP_AWAIT } from "./names.js";
import { workloadNamespace } from "./namespace.js";
import { nodePool } from "./node-pool.js";
import { COREWEAVE_DEFAULTS, DEFAULT_INFERENCE_IMAGE, DEFAULT_MODEL, type CoreWeaveOptions } from "./options.js";
import { gpuPodSpec } from "./pod.js";
import { ingressPolicy } from "./security.js";
import { coreweaveStorage } from "./storage.js";

/** Writable home for a non-root server (Hugging Face and vLLM caches live under it). */
const HOME = "/home/gpu-cluster";

export function compileCoreWeaveInference(plan: Plan, options: CoreWeaveOptions = {}, ctx: CompileContext): FleetHandles {
  const opts = childOptions(ctx, options);
  const names = coreweaveNames(ctx, options);
  const service = plan.service!;
  const replicas = plan.replicas!;
  const pool = nodePool(plan, options, names, ctx, opts);
  const ns = workloadNamespace(names, ctx, opts);
  const namespace = ns.metadata.name;
  const storage = coreweaveStorage(plan, options, namespace, names, ctx, opts);
  const policy = ingressPolicy(names, namespace, { port: service.port }, ctx, opts);

  const defaultArgs =
    options.image === undefined
      ? ["--model", options.model ?? DEFAULT_MODEL, "--port", String(service.port), "--tensor-parallel-size", String(plan.gpusPerNode)]
      : undefined;
  const httpGet = { path: service.healthCheckPath, port: service.port };
  const pod = gpuPodSpec(plan, options, names, {
    image: options.image ?? DEFAULT_INFERENCE_IMAGE,
    ...(options.command ? { command: options.command } : {}),
    ...((options.args ?? defaultArgs) ? { args: options.args ?? defaultArgs } : {}),
    env: { HOME, HF_HOME: `${HOME}/.cache/huggingface` },
    ports: [{ name: "http", containerPort: service.port, protocol: "TCP" }],
    volumes: [{ name: "home", emptyDir: {} }, ...storage.volumes],
    mounts: [{ name: "home", mountPath: HOME }, ...storage.mounts],
    envFrom: storage.envFrom,
    runAsNonRoot: options.runAsNonRoot ?? true,
    probes: {
      // Weights download and load before the first answer: up to 30 minutes before liveness applies.
      startupProbe: { httpGet, periodSeconds: 10, failureThreshold: 180 },
      readinessProbe: { httpGet, periodSeconds: 10, failureThreshold: 3 },
      livenessProbe: { httpGet, periodSeconds: 20, failureThreshold: 3, timeoutSeconds: 5 },
    },
  });

  const deployment = new Deployment(
    `${ctx.name}-server`,
    {
      metadata: { name: names.base, namespace, labels: names.labels, annotations: SKIP_AWAIT },
      spec: {
        replicas: replicas.min,
        selector: { matchLabels: names.podLabels },
        // Each pod holds a whole Node: a surge pod would wait for a Node that may never come.
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
        template: { metadata: { labels: names.podLabels }, spec: pod },
      },
    },
    { ...opts, dependsOn: [pool] },
  );

  const internetFacing = service.loadBalancer === "internet-facing";
  const svc = new Service(
    `${ctx.name}-svc`,
    {
      metadata: {
        name: names.base,
        namespace,
        labels: names.labels,
        // Without the annotation a CKS LoadBalancer gets a private address (docs: Expose a Service).
        annotations: internetFacing ? { ...SKIP_AWAIT, "service.beta.kubernetes.io/coreweave-load-balancer-type": "public" } : SKIP_AWAIT,
      },
      spec: {
        type: internetFacing ? "LoadBalancer" : "ClusterIP",
        selector: names.podLabels,
        ports: [{ name: "http", port: service.port, targetPort: service.port, protocol: "TCP" }],
        ...(internetFacing
          ? {
              // Keeps the client address, so loadBalancerSourceRanges and the server's logs see it.
              externalTrafficPolicy: "Local",
              ...(options.loadBalancerSourceRanges?.length ? { loadBalancerSourceRanges: options.loadBalancerSourceRanges } : {}),
            }
          : {}),
      },
    },
    opts,
  );

  new HorizontalPodAutoscaler(
    `${ctx.name}-hpa`,
    {
      metadata: { name: names.base, namespace, labels: names.labels },
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deployment.metadata.name },
        minReplicas: replicas.min,
        maxReplicas: replicas.max,
        metrics: [
          {
            type: "Resource",
            resource: { name: "cpu", target: { type: "Utilization", averageUtilization: options.targetCpuUtilizationPercent ?? COREWEAVE_DEFAULTS.targetCpuUtilizationPercent } },
          },
        ],
        // A Node removed takes 20-30 minutes to come back: scale in only after 15 quiet minutes.
        behavior: { scaleDown: { stabilizationWindowSeconds: 900 } },
      },
    },
    opts,
  );

  return {
    nodeGroupId: pool.metadata.name,
    networkId: namespace,
    subnetIds: pulumi.output([]),
    securityGroupId: policy.metadata.name,
    storage: storage.handles,
    endpointUrl: pulumi.interpolate`http://${svc.metadata.name}.${svc.metadata.namespace}.svc.cluster.local:${service.port}`,
  };
}
