/** The training workload: a headless Service for rank DNS and one indexed Job with a pod per GPU Node. */
import type * as pulumi from "@pulumi/pulumi";
import { Job } from "@pulumi/kubernetes/batch/v1";
import { type Secret, Service } from "@pulumi/kubernetes/core/v1";
import type { Plan } from "../../planner/types.js";
import type { CompileContext } from "../types.js";
import { acceptanceWorkload, type AcceptanceWorkload } from "./acceptance.js";
import { TORCHRUN_SCRIPT_COMMAND, TRAINING_ALL_REDUCE_SCRIPT } from "./workload-all-reduce.js";
import { kueueQueues, QUEUE_NAME_LABEL, queuedJobSpec, topologyAnnotation, type KueueQueues } from "./kueue.js";
import { RENDEZVOUS_PORT, SKIP_AWAIT, type WorkloadNames } from "./names.js";
import { allReduceImage, type WorkloadOptions } from "./options.js";
import { gpuPodSpec, podTemplateMetadata, userEnvSecret } from "./pod.js";
import type { KubernetesTarget } from "./target.js";

export interface TrainingWorkload {
  service: Service;
  job: Job;
  /** The Secret holding the user's non-plain `env` values, when there are any. */
  envSecret?: Secret;
  /** The fabric acceptance test, with `acceptanceTest: true`. */
  acceptance?: AcceptanceWorkload;
  /** The component's Kueue objects, with `kueue: true`. */
  queues?: KueueQueues;
}

export function trainingWorkload(
  plan: Plan,
  options: WorkloadOptions,
  names: WorkloadNames,
  namespace: pulumi.Input<string>,
  target: KubernetesTarget,
  ctx: CompileContext,
): TrainingWorkload {
  // The user's secret env values, shared by the training pods and the acceptance test's.
  const envSecret = userEnvSecret(options, names, namespace, ctx, target.opts);
  // With Kueue: the queues first (after Kueue's release, which target.dependsOn holds), then the Jobs in them.
  const queues = options.kueue === true ? kueueQueues(plan, names, namespace, target.placement, ctx, target.opts, target.dependsOn, target.provisioning) : undefined;
  // First, when asked: the two-node NCCL check, which `up` waits for, on Nodes the training pods would otherwise hold.
  // Where nodes come only through ProvisioningRequests, the check is queued too (Kueue requests its two nodes).
  const acceptance = acceptanceWorkload(plan, options, names, namespace, target, ctx, envSecret, queues?.provisioning ? queues : undefined);
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
    target.opts,
  );

  // Neither image nor command: an NCCL all-reduce over every Node of the plan (torchrun, one pod per Node), so the
  // default workload exercises the fabric between the Nodes, not only NVLink inside each. A command alone runs in the
  // cloud's default training image (nccl-tests and the fabric's plugins); an image alone keeps its entrypoint.
  const allReduce = options.image === undefined && options.command === undefined;
  const pod = gpuPodSpec(plan, options, target.placement, {
    image: options.image ?? (allReduce ? allReduceImage(plan) : target.images.training),
    command: allReduce ? TORCHRUN_SCRIPT_COMMAND : options.command,
    ...(options.args ? { args: options.args } : {}),
    env: {
      MASTER_ADDR: `${names.base}-0.${names.base}`,
      MASTER_PORT: String(RENDEZVOUS_PORT),
      NNODES: String(plan.nodeCount),
      NPROC_PER_NODE: String(plan.gpusPerNode),
      ...(allReduce ? { CHECK_SCRIPT: TRAINING_ALL_REDUCE_SCRIPT } : {}),
    },
    ports: [{ name: "rendezvous", containerPort: RENDEZVOUS_PORT, protocol: "TCP" }],
    volumes: target.storage.volumes,
    mounts: target.storage.mounts,
    envFrom: target.storage.envFrom,
    runAsNonRoot: options.runAsNonRoot ?? false,
    envSecret,
  });

  const metadata = podTemplateMetadata(plan, names.podLabels);
  const job = new Job(
    `${ctx.name}-job`,
    {
      metadata: { name: names.base, namespace, labels: queues ? { ...names.labels, [QUEUE_NAME_LABEL]: queues.queueName } : names.labels, annotations: SKIP_AWAIT },
      spec: {
        completionMode: "Indexed",
        completions: plan.nodeCount,
        parallelism: plan.nodeCount,
        // Without Kueue, one lost rank breaks the collective: fail the Job and let the user resume from a checkpoint.
        // With Kueue, ranks restart within a budget while Kueue replaces the failed node or requeues the whole job.
        ...(queues ? queuedJobSpec() : { backoffLimit: 0 }),
        template: {
          metadata: queues ? { ...metadata, annotations: { ...((metadata.annotations as Record<string, string> | undefined) ?? {}), ...topologyAnnotation(plan) } } : metadata,
          spec: { ...pod, subdomain: service.metadata.name, restartPolicy: "Never" },
        },
      },
    },
    // The pods cannot schedule before the GPU nodes (and their device plugins) exist; creating the Job after keeps the events readable.
    // After the acceptance test, when there is one: both need whole GPU Nodes.
    {
      ...target.opts,
      dependsOn: [...target.dependsOn, ...(acceptance ? [acceptance.job, ...acceptance.pairs.map((p) => p.job)] : []), ...(queues ? [queues.localQueue] : [])],
      // Kueue resumes the Job (suspend: false) once admitted: that is Kueue's field from then on, not a change to undo.
      ...(queues ? { ignoreChanges: ["spec.suspend"] } : {}),
    },
  );
  return { service, job, ...(envSecret ? { envSecret } : {}), ...(acceptance ? { acceptance } : {}), ...(queues ? { queues } : {}) };
}
