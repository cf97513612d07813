/** CoreWeave-only knobs of the components, and their synchronous checks. */
import type * as pulumi from "@pulumi/pulumi";
import type { Provider } from "@pulumi/kubernetes/provider";
import type { Plan } from "../../planner/types.js";
import { SpecError, rejectUnknownKeys } from "../../spec/errors.js";

/**
 * CoreWeave's own NCCL test image (nccl-tests built against NCCL 2.30 with the IB verbs transport), the image
 * of the manifests in github.com/coreweave/nccl-tests (mpi-operator/nccl-test-hgx-ib-mpijob.yaml, read 2026-11-25).
 */
export const DEFAULT_TRAINING_IMAGE = "ghcr.io/coreweave/nccl-tests:12.9.1-devel-ubuntu22.04-nccl2.30.4-1-111c25a";
/** vLLM's OpenAI-compatible server: serves on 8000 with `/health`, the spec's default port and health path. */
export const DEFAULT_INFERENCE_IMAGE = "vllm/vllm-openai:v0.11.0";
/** An open (not gated) model whose 32 attention / 8 KV heads split evenly over 1, 2, 4 or 8 GPUs. */
export const DEFAULT_MODEL = "Qwen/Qwen3-8B";

export interface ObjectStorageOptions {
  /**
   * S3 endpoint the pods use. Default `http://cwlota.com`: LOTA, the per-Node caching proxy of CoreWeave AI
   * Object Storage, which CoreWeave documents for clients inside a CKS cluster (`https://cwobject.com` outside).
   */
  endpoint?: string;
  /** Access key id (wire it from config with `config.requireSecret`). Default none: only the endpoint is published. */
  accessKeyId?: pulumi.Input<string>;
  /** Secret key; give it together with `accessKeyId`. Stored as a Pulumi secret and a Kubernetes Secret. */
  secretAccessKey?: pulumi.Input<string>;
}

export interface CoreWeaveOptions {
  /**
   * The Kubernetes provider holding the CKS cluster's kubeconfig (`new k8s.Provider("cks", { kubeconfig })`).
   * Default: the stack's default Kubernetes provider (the ambient kubeconfig / `kubernetes:kubeconfig` config).
   */
  provider?: Provider;
  /** Namespace the workload runs in (created by the component). Default: the component name, DNS-1123 cleaned. */
  namespace?: string;
  /** Name of the NodePool (cluster-scoped, so unique per cluster). Default `<component name>-pool`. */
  nodePoolName?: string;
  /** Extra labels on every Node of the pool. Default none (the component always adds `gpu-cluster/pool`). */
  nodeLabels?: Record<string, string>;
  /**
   * Container image. Default: training `ghcr.io/coreweave/nccl-tests:…` (CoreWeave's NCCL test image),
   * inference `vllm/vllm-openai:v0.11.0`.
   */
  image?: string;
  /**
   * Container command. Default: training runs `all_reduce_perf` over the node's GPUs (a per-node fabric and NVLink
   * burn-in); inference uses the image's entrypoint. Multi-node launchers (torchrun, mpirun) read `MASTER_ADDR`,
   * `MASTER_PORT`, `NNODES`, `NPROC_PER_NODE` and `JOB_COMPLETION_INDEX` (the node rank) from the environment.
   */
  command?: string[];
  /** Container args. Default: none for training; inference `--model <model> --port <port> --tensor-parallel-size <gpus>`. */
  args?: string[];
  /** Inference with the default image: the Hugging Face model vLLM serves. Default `Qwen/Qwen3-8B`. */
  model?: string;
  /** Extra environment variables. Default none. They override the fabric defaults of the same name. */
  env?: Record<string, string>;
  /**
   * Run the container as a non-root user (uid/gid `runAsUser`). Default: `true` for inference (vLLM runs as any
   * uid), `false` for training (the NCCL test image runs sshd and MPI as root).
   */
  runAsNonRoot?: boolean;
  /** uid and gid with `runAsNonRoot`. Default 1000. */
  runAsUser?: number;
  /** Size of the memory-backed `/dev/shm`, GiB (NCCL's intra-node buffers, data loader workers). Default 64. */
  shmSizeGiB?: number;
  /** Storage class of `nfs` / `lustre` volumes. Default `shared-vast` (CoreWeave Distributed File Storage). */
  storageClassName?: string;
  /** `object` storage: endpoint and keys the pods get as `AWS_*` environment variables. */
  objectStorage?: ObjectStorageOptions;
  /**
   * Inference: average CPU utilisation, percent of the request, the autoscaler keeps replicas at. Default 60.
   * A GPU-bound model server may never reach it, so the fleet can stay at `replicas.min`: scaling on requests
   * in flight needs a custom-metrics adapter this version does not install (budgets are still checked at max).
   */
  targetCpuUtilizationPercent?: number;
  /**
   * Inference, internet-facing: client CIDRs the public load balancer admits. Required for an internet-facing
   * fleet (the service has no TLS or auth of its own): pass `["0.0.0.0/0"]` to open it to everyone, explicitly.
   */
  loadBalancerSourceRanges?: string[];
}

export const COREWEAVE_DEFAULTS = {
  shmSizeGiB: 64,
  runAsUser: 1000,
  /** https://docs.coreweave.com/products/storage/distributed-file-storage/create-volumes (read 2026-11-25). */
  storageClassName: "shared-vast",
  /** https://docs.coreweave.com/products/storage/object-storage/using-object-storage/manage-objects (read 2026-11-25). */
  objectEndpoint: "http://cwlota.com",
  targetCpuUtilizationPercent: 60,
};

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const CIDR = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/;

/** Every option key (a typo in an option bag is a SpecError, not a silently ignored setting). */
export const COREWEAVE_OPTION_KEYS = ["provider", "namespace", "nodePoolName", "nodeLabels", "image", "command", "args", "model", "env", "runAsNonRoot", "runAsUser", "shmSizeGiB", "storageClassName", "objectStorage", "targetCpuUtilizationPercent", "loadBalancerSourceRanges"] as const satisfies readonly (keyof CoreWeaveOptions)[];

/** Checks that need the plan and the CoreWeave options together. Throws SpecError before any resource exists. */
export function checkCoreWeaveOptions(plan: Plan, options: CoreWeaveOptions | undefined): void {
  const o = options ?? {};
  rejectUnknownKeys(o, "coreweave", COREWEAVE_OPTION_KEYS);
  if (o.objectStorage !== undefined) rejectUnknownKeys(o.objectStorage, "coreweave.objectStorage", ["endpoint", "accessKeyId", "secretAccessKey"]);
  for (const field of ["namespace", "nodePoolName"] as const) {
    const value = o[field];
    if (value !== undefined && !DNS_LABEL.test(value)) {
      throw new SpecError(`coreweave.${field}`, `'${value}' is not a DNS-1123 label`, "lower-case letters, digits and '-', at most 63 characters, e.g. 'llm-train'");
    }
  }
  if (o.image !== undefined && o.image.trim() === "") throw new SpecError("coreweave.image", "is empty", `e.g. '${DEFAULT_TRAINING_IMAGE}'`);
  if (o.command !== undefined && o.command.length === 0) throw new SpecError("coreweave.command", "is an empty list", "leave it out to use the default, or give the executable, e.g. ['torchrun']");
  if (o.shmSizeGiB !== undefined && !(Number.isInteger(o.shmSizeGiB) && o.shmSizeGiB >= 1 && o.shmSizeGiB <= plan.instance.memoryGiB / 2)) {
    throw new SpecError("coreweave.shmSizeGiB", `${o.shmSizeGiB} is not a whole number of GiB from 1 to ${Math.floor(plan.instance.memoryGiB / 2)}`, "/dev/shm is node RAM counted against the pod's memory; e.g. 64");
  }
  if (o.runAsUser !== undefined && !(Number.isInteger(o.runAsUser) && o.runAsUser >= 1)) {
    throw new SpecError("coreweave.runAsUser", `${o.runAsUser} is not a non-root uid`, "a whole number of 1 or more, e.g. 1000");
  }
  if (o.targetCpuUtilizationPercent !== undefined && !(Number.isInteger(o.targetCpuUtilizationPercent) && o.targetCpuUtilizationPercent >= 1 && o.targetCpuUtilizationPercent <= 100)) {
    throw new SpecError("coreweave.targetCpuUtilizationPercent", `${o.targetCpuUtilizationPercent} is not a whole percent from 1 to 100`, "e.g. 60");
  }
  for (const [key, value] of Object.entries(o.env ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key)) throw new SpecError(`coreweave.env.${key}`, "is not a valid environment variable name", "letters, digits and '_', not starting with a digit");
    if (typeof value !== "string") throw new SpecError(`coreweave.env.${key}`, "must be a string", `e.g. '${String(value)}'`);
  }
  if (plan.service?.loadBalancer === "internet-facing" && !o.loadBalancerSourceRanges?.length) {
    throw new SpecError(
      "coreweave.loadBalancerSourceRanges",
      "an internet-facing fleet needs the client ranges its public load balancer admits (the model server has no TLS or auth of its own)",
      "e.g. ['203.0.113.0/24'], or ['0.0.0.0/0'] to open it to everyone on purpose",
    );
  }
  for (const range of o.loadBalancerSourceRanges ?? []) {
    if (!CIDR.test(range)) throw new SpecError("coreweave.loadBalancerSourceRanges", `'${range}' is not an IPv4 CIDR`, "e.g. '203.0.113.0/24'");
  }
  const os = o.objectStorage;
  if (os && (os.accessKeyId === undefined) !== (os.secretAccessKey === undefined)) {
    throw new SpecError("coreweave.objectStorage", "an access key id needs its secret key and the other way round", "give both accessKeyId and secretAccessKey, or neither");
  }
  if (os?.endpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(os.endpoint)) {
    throw new SpecError("coreweave.objectStorage.endpoint", `'${os.endpoint}' is not an http(s) URL`, `e.g. '${COREWEAVE_DEFAULTS.objectEndpoint}'`);
  }
}
