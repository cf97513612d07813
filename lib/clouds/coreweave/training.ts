/**
 * CoreWeave training cluster: a NodePool of nodeCount Nodes, a namespace, a headless Service and one indexed Job
 * with a pod per Node. 8 or 1,000 Nodes are the same six resources (plus storage).
 */
import * as pulumi from "@pulumi/pulumi";
import { Job } from "@pulumi/kubernetes/batch/v1";
import { Service } from "@pulumi/kubernetes/core/v1";
import type { Plan } from "../../planner/types.js";
import type { ClusterHandles, CompileContext } from "../types.js";
import { childOptions, coreweaveNames, RENDEZVOUS_PORT, SKIP_AWAIT } from "./names.js";
import { workloadNamespace } from "./namespace.js";
import { nodePool } from "./node-pool.js";
import { DEFAULT_TRAINING_IMAGE, type CoreWeaveOptions } from "./options.js";
import { gpuPodSpec } from "./pod.js";
import { ingressPolicy } from "./security.js";
import { coreweaveStorage } from "./storage.js";

/** Default command: NCCL all-reduce over the Node's GPUs (NVLink and driver burn-in, CoreWeave's test sizes). */
export function defaultTrainingCommand(plan: Plan): string[] {
  return ["/opt/nccl_tests/build/all_reduce_perf", "-b", "512M", "-e", "8G", "-f", "2", "-g", String(plan.gpusPerNode)];
}

export function compileCoreWeaveTraining(plan: Plan, options: CoreWeaveOptions = {}, ctx: CompileContext): ClusterHandles {
  const opts = childOptions(ctx, options);
  const names = coreweaveNames(ctx, options);
  const pool = nodePool(plan, options, names, ctx, opts);
  const ns = workloadNamespace(names, ctx, opts);
  const namespace = ns.metadata.name;
  const storage = coreweaveStorage(plan, options, namespace, names, ctx, opts);
  const policy = ingressPolicy(names, namespace, { fromOwnPods: true }, ctx, opts);

  // Headless: gives every indexed pod a stable DNS name (<job>-<index>.<service>), so rank 0 is the rendezvous.
  const service = new Service(
    `${ctx.name}-svc`,
    {
      metadata: { name: names.base, namespace, labels: names.labels, annotations: SKIP_AWAIT },
      spec: {
        clusterIP: "None",
        selector: names.podLabels,
        // Ranks resolve each other while they start, before any is Ready.
        publishNotReadyAddresses: true,
        ports: [{ name: "rendezvous", port: RENDEZVOUS_PORT, targetPort: RENDEZVOUS_PORT, protocol: "TCP" }],
      },
    },
    opts,
  );

  const pod = gpuPodSpec(plan, options, names, {
    image: options.image ?? DEFAULT_TRAINING_IMAGE,
    command: options.command ?? (options.image === undefined ? defaultTrainingCommand(plan) : undefined),
    ...(options.args ? { args: options.args } : {}),
    env: {
      MASTER_ADDR: `${names.base}-0.${names.base}`,
      MASTER_PORT: String(RENDEZVOUS_PORT),
      NNODES: String(plan.nodeCount),
      NPROC_PER_NODE: String(plan.gpusPerNode),
    },
    ports: [{ name: "rendezvous", containerPort: RENDEZVOUS_PORT, protocol: "TCP" }],
    volumes: storage.volumes,
    mounts: storage.mounts,
    envFrom: storage.envFrom,
    runAsNonRoot: options.runAsNonRoot ?? false,
  });

  new Job(
    `${ctx.name}-job`,
    {
      metadata: { name: names.base, namespace, labels: names.labels, annotations: SKIP_AWAIT },
      spec: {
        completionMode: "Indexed",
        completions: plan.nodeCount,
        parallelism: plan.nodeCount,
        // One lost rank breaks the collective: fail the Job and let the user resume from a checkpoint.
        backoffLimit: 0,
        template: {
          metadata: { labels: names.podLabels },
          spec: { ...pod, subdomain: service.metadata.name, restartPolicy: "Never" },
        },
      },
    },
    // The pods cannot schedule before the pool exists; creating the Job after it keeps the events readable.
    { ...opts, dependsOn: [pool] },
  );

  return {
    nodeGroupId: pool.metadata.name,
    networkId: namespace,
    subnetIds: pulumi.output([]),
    securityGroupId: policy.metadata.name,
    storage: storage.handles,
  };
}
