/** Workload knobs every Kubernetes compiler accepts (CoreWeave, EKS), and their synchronous checks. */
import type * as pulumi from "@pulumi/pulumi";
import type { Cloud } from "../../catalog/types.js";
import type { Plan } from "../../planner/types.js";
import { fabricSides } from "../../fabric/index.js";
import { SpecError } from "../../spec/errors.js";
import { field, optionKeys, type FieldKinds } from "../shared/option-fields.js";

/** vLLM's OpenAI-compatible server: serves on 8000 with `/health`, the spec's default port and health path. */
export const DEFAULT_INFERENCE_IMAGE = "vllm/vllm-openai:v0.11.0";
/** An open (not gated) model whose 32 attention / 8 KV heads split evenly over 1, 2, 4 or 8 GPUs. */
export const DEFAULT_MODEL = "Qwen/Qwen3-8B";
/**
 * NVIDIA NGC PyTorch (CUDA, NCCL with its built-in InfiniBand verbs transport, torchrun): the acceptance test and the
 * default training all-reduce on GCP, Azure and CoreWeave. Their fabrics need nothing more from the image: InfiniBand
 * (AKS, CoreWeave) runs on NCCL's own IB transport (`NCCL_NET=IB`, lib/fabric), and on GKE the GPUDirect plugins come
 * from the node's installer through the pod's /usr/local/nvidia/lib64 (or /usr/local/gib) mount, whatever the image;
 * Google's own A3 High / Mega / Ultra NCCL tests run NGC PyTorch with the plugin from the host the same way
 * (GoogleCloudPlatform/cluster-toolkit examples/machine-learning/a3-*gpu-8g/nccl-tests/import_pytorch_container.sh
 * @104708037, 2026-06-25: nvcr.io/nvidia/pytorch 23.10, 24.04, 24.09).
 */
export const DEFAULT_ACCEPTANCE_IMAGE = "nvcr.io/nvidia/pytorch:25.01-py3";

/**
 * EKS: AWS's Deep Learning Container for PyTorch on EC2 (PyTorch 2.8.0, CUDA 12.9, torchrun), whose base image carries
 * the EFA userspace (libfabric in /opt/amazon/efa) and aws-ofi-nccl (/opt/amazon/ofi-nccl), both on its
 * LD_LIBRARY_PATH (aws/deep-learning-containers pytorch/training/docker/2.8/py3/cu129/Dockerfile.gpu @f0217a28, read
 * 2026-11-30: `FROM public.ecr.aws/deep-learning-containers/base:12.9.1-gpu-py312-ubuntu22.04-ec2`, "base has EFA").
 * The EFA pods force `NCCL_NET="AWS Libfabric"` (lib/fabric), so the image must ship the plugin, or every check fails
 * on a healthy cluster. NGC PyTorch cannot be relied on for it: NVIDIA-NeMo/Megatron-Bridge PR #5033 (2026-07-22)
 * reports that newer NGC PyTorch bases dropped aws-ofi-nccl, and awsome-distributed-training (@7217859f) adds EFA and
 * aws-ofi-nccl to NGC PyTorch itself (2.ami_and_containers/containers/pytorch/0.nvcr-pytorch-aws.dockerfile), while its
 * HyperPod EKS image copies /opt/amazon/efa and /opt/amazon/ofi-nccl out of this DLC family
 * (1.architectures/7.sagemaker-hyperpod-eks/slinky-slurm/dlc-slurmd.Dockerfile). awsome's nccl-tests image
 * (public.ecr.aws/hpc-cloud/nccl-tests) has the same libraries but no PyTorch, and its all_reduce_perf needs an MPI
 * launcher (ssh between pods, the MPI Operator), which the check's indexed Job does not have.
 */
export const EKS_ALL_REDUCE_IMAGE = "public.ecr.aws/deep-learning-containers/pytorch-training:2.8.0-gpu-py312-cu129-ubuntu22.04-ec2-v1.0";

/** The image of the acceptance test and of the default training all-reduce (torchrun, NCCL, the fabric's plugin), per cloud. */
export const ALL_REDUCE_IMAGES: Readonly<Record<Cloud, string>> = {
  aws: EKS_ALL_REDUCE_IMAGE,
  gcp: DEFAULT_ACCEPTANCE_IMAGE,
  azure: DEFAULT_ACCEPTANCE_IMAGE,
  coreweave: DEFAULT_ACCEPTANCE_IMAGE,
};

/** The all-reduce image for the plan's cloud (ALL_REDUCE_IMAGES). */
export function allReduceImage(plan: Pick<Plan, "cloud">): string {
  return ALL_REDUCE_IMAGES[plan.cloud];
}

/**
 * Default and privileged images pinned by version tag only, each with why no digest: every other one is pinned by
 * digest (`repo:tag@sha256:…`, GOOGLE_IMAGES in gcp/gke/bootstrap.ts). A digest is written only where a public source
 * shows it for exactly that repository and tag (a wrong one fails at `up`), and none could be found for these in the
 * anchors (read 2026-11-30: GoogleCloudPlatform/container-engine-accelerators @992db812, 2026-06-11;
 * GoogleCloudPlatform/cluster-toolkit @104708037, 2026-06-25; Azure/aks-rdma-infiniband @700dabb, 2026-07-16;
 * coreweave/nccl-tests @cb86553, 2026-05-27; Mellanox/network-operator @b06827e0, 2026-08-19, and its v25.10.0 tag;
 * NVIDIA/gpu-operator @a22dbf671, 2026-08-21; vllm-project/production-stack @a6c01db0, 2026-08-05) or in the code
 * index. Searched again 2026-11-30 (the code index for `<ref>@sha256`, NVIDIA/aicr's TCPXO manifests and image
 * inventory, docker-library/repo-info, Mellanox/network-operator's v25.10.0 bundle): that pinned the TCPXO installer
 * and RxDM (NVIDIA/aicr) and ubuntu:22.04 (Docker's repo-info record), see GOOGLE_IMAGES and GKE_SIDECAR_IMAGES; the
 * rest below still has no source. Digests seen only in unrelated third-party files (vLLM, NGC PyTorch) are not used:
 * two different ones circulate for vllm-openai:v0.11.0, and nothing says which is the tag's index. test/images.test.ts
 * holds this list's exact contents, so it cannot grow unnoticed: replace an entry by its digest when a source shows one.
 */
export const UNDIGESTED_IMAGES: Readonly<Record<string, string>> = {
  "us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpx/nccl-plugin-gpudirecttcpx-dev:v3.1.9":
    "Google's TCPX installer manifest (container-engine-accelerators gpudirect-tcpx/nccl-tcpx-installer.yaml) and cluster-toolkit's examples/gke-a3-highgpu reference it by tag only",
  "us-docker.pkg.dev/gce-ai-infra/gpudirect-gib/nccl-plugin-gib:v1.1.1":
    "Google's gIB installer manifest (container-engine-accelerators gpudirect-rdma/nccl-rdma-installer.yaml) references it by tag only; the one gIB digest NVIDIA/aicr pins is for nccl-plugin-gib-arm64:v1.1.2, another repository and tag",
  "us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpx/tcpgpudmarxd-dev:v2.0.12": "Google's TCPX test manifests reference the RxDM sidecar by tag only",
  "us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpx/nccl-plugin-gpudirecttcpx-dev:v3.1.9-2.19.4-12.0":
    "GCP VMs (A3 High): slurm-gcp's receive-data-path-manager prolog, which cluster-toolkit's A3 High blueprint runs, references it by tag only",
  "us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpxo/nccl-plugin-gpudirecttcpx-dev:v1.0.17":
    "GCP VMs (A3 Mega): slurm-gcp's receive-data-path-manager-mega prolog, which cluster-toolkit's A3 Mega blueprint runs, references it by tag only",
  "us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpxo/tcpgpudmarxd-dev:v1.0.23":
    "GCP VMs (A3 Mega): slurm-gcp's receive-data-path-manager-mega prolog references the RxDM by tag only",
  "nvcr.io/nvidia/pytorch:25.01-py3":
    "NGC publishes it by tag; the only digests found for it are a test fixture and a personal project's README, neither NVIDIA's nor an anchor's",
  "public.ecr.aws/deep-learning-containers/pytorch-training:2.8.0-gpu-py312-cu129-ubuntu22.04-ec2-v1.0":
    "AWS publishes Deep Learning Containers by release tag (the `-v1.0` tag names one release); its GitHub release notes give digests for the region repositories (763104351884.dkr.ecr.<region>.amazonaws.com), not for public.ecr.aws, and no source shows one for this tag",
  "ghcr.io/coreweave/nccl-tests:12.9.1-devel-ubuntu22.04-nccl2.30.4-1-111c25a":
    "github.com/coreweave/nccl-tests publishes immutable build tags (CUDA, Ubuntu, NCCL version, source commit) and no digests",
  "public.ecr.aws/hpc-cloud/nccl-tests:cuda12.8.1-efa1.43.2-ofiv1.16.3-ncclv2.27.7-1-testsv2.16.9":
    "the build tag awsome-distributed-training's micro-benchmarks/nccl-tests/buildspec.yaml (@7217859f) publishes (CUDA, EFA installer, aws-ofi-nccl, NCCL and nccl-tests versions); no public source shows its digest",
  "vllm/vllm-openai:v0.11.0": "vLLM's anchors (production-stack) reference it by tag; third-party files pin two different digests for it (014a95f2…, and d8d39b59… under --platform=linux/amd64), none from vLLM or an anchor, and nothing says which is the tag's index",
  "nvcr.io/nvidia/mellanox/doca-driver:doca3.2.0-25.10-1.2.8.0-2":
    "the Network Operator appends the OS and architecture to the NicClusterPolicy's driver version, so no digest can be given; its bundle's digests are of nvcr.io/nvstaging, another repository",
  "nvcr.io/nvidia/mellanox/k8s-rdma-shared-dev-plugin:network-operator-v25.10.0":
    "the NicClusterPolicy takes a version tag; the Network Operator bundle's digests are of nvcr.io/nvstaging/mellanox, another repository",
};

export interface WorkloadOptions {
  /** Namespace the workload runs in (created by the component). Default: the component name, DNS-1123 cleaned. */
  namespace?: string;
  /**
   * Container image. Default: training, the cloud's all-reduce image (`ALL_REDUCE_IMAGES`: on EKS AWS's PyTorch Deep
   * Learning Container with libfabric and aws-ofi-nccl, elsewhere `nvcr.io/nvidia/pytorch:25.01-py3`) running the
   * all-reduce below, or, with a `command`, the cloud's NCCL test image; inference `vllm/vllm-openai:v0.11.0`.
   */
  image?: string;
  /**
   * Container command. Default: training runs an NCCL all-reduce with torchrun across every node of the plan (1 GiB,
   * bus bandwidth printed by rank 0), so the default workload crosses the fabric; with your own `image`, its
   * entrypoint; inference uses the image's entrypoint. Multi-node launchers (torchrun, mpirun) read `MASTER_ADDR`,
   * `MASTER_PORT`, `NNODES`, `NPROC_PER_NODE` and `JOB_COMPLETION_INDEX` (the node rank) from the environment.
   */
  command?: string[];
  /** Container args. Default: none for training; inference `--model <model> --port <port> --tensor-parallel-size <gpus>`. */
  args?: string[];
  /** Inference with the default image: the Hugging Face model vLLM serves. Default `Qwen/Qwen3-8B`. */
  model?: string;
  /**
   * Extra environment variables. Default none. They override the fabric defaults of the same name. A plain string is
   * written into the pod spec as is; any other value (a Pulumi secret such as `pulumi.secret("hf_...")`, or any
   * Output) is stored in one Kubernetes Secret of the component (`<name>-env`, in its namespace, encrypted in Pulumi
   * state) and read with `valueFrom.secretKeyRef`, so it never appears in the Job or Deployment spec. Pass tokens
   * (`HF_TOKEN`, `WANDB_API_KEY`) as Pulumi secrets, e.g. `config.requireSecret("hfToken")`.
   */
  env?: Record<string, pulumi.Input<string>>;
  /**
   * Run the container as a non-root user (uid/gid `runAsUser`). Default: `true` for inference (vLLM runs as any
   * uid), `false` for training (NCCL test images run sshd and MPI as root).
   */
  runAsNonRoot?: boolean;
  /** uid and gid with `runAsNonRoot`. Default 1000. */
  runAsUser?: number;
  /** Size of the memory-backed `/dev/shm`, GiB (NCCL's intra-node buffers, data loader workers). Default 64. */
  shmSizeGiB?: number;
  /**
   * Inference: average CPU utilisation, percent of the request, the autoscaler keeps replicas at. Default 60.
   * A GPU-bound model server may never reach it, so the fleet can stay at `replicas.min`: to scale on requests
   * waiting, use `keda` (budgets are checked at max either way).
   */
  targetCpuUtilizationPercent?: number;
  /**
   * Inference, internet-facing: client CIDRs the public load balancer admits. Required for an internet-facing
   * fleet (the service has no TLS or auth of its own): pass `["0.0.0.0/0"]` to open it to everyone, explicitly.
   * Refused on AKS, whose fleets are internal only (an internet-facing one would serve plain HTTP). On GKE the ranges
   * are an internal fleet's, widening its internal load balancer's (peered networks, a VPN); an internet-facing GKE
   * fleet is served by a Gateway over HTTPS, whose clients are `gcp.allowedSourceRanges` (Cloud Armor, as the VM path).
   */
  loadBalancerSourceRanges?: string[];
  /**
   * Training: before the training Job starts, run a fabric acceptance test, a two-node PyTorch NCCL all-reduce
   * (`<name>-nccl-check`, one pod per Node with the training pods' GPUs and fabric), wait for it during `pulumi up`
   * and publish the bus bandwidth it measured as the `ncclBusBandwidthGBps` output. Where the plan uses its instance's
   * fabric, a figure below the type's floor (`ncclBusBandwidthFloorGBps`, sourced in lib/fabric/floors.ts) fails the
   * Job and so `pulumi up`, with the figure, the floor and the likely causes in the Job's log and in the
   * `<name>-nccl-check` ConfigMap; the training Job is not created. Default: `true` for a training cluster of 2 or
   * more nodes (`false` opts out, e.g. on a fabric you have measured yourself); `true` needs 2 or more nodes.
   */
  acceptanceTest?: boolean;
  /**
   * The PyTorch image the acceptance test runs (torchrun, NCCL, and the fabric's NCCL plugin where it needs one: on EKS
   * aws-ofi-nccl). Default: the cloud's all-reduce image (`ALL_REDUCE_IMAGES`).
   */
  acceptanceImage?: string;
  /**
   * Queue the training Job through Kueue (lib/clouds/kubernetes/kueue.ts): a Topology of the nodes' network levels,
   * a ResourceFlavor of the GPU pool, a ClusterQueue with exactly the pool's quota, a LocalQueue in the namespace; the
   * Job is gang-admitted, placed close together on the fabric, and a failed node is replaced (or the job requeued)
   * instead of ending the run. EKS, GKE and AKS install Kueue with it; on CoreWeave the cluster must run Kueue already
   * (CoreWeave's `coreweave/cks-kueue` chart). Training only. Default `false`.
   */
  kueue?: boolean;
  /**
   * Inference: scale with KEDA on a Prometheus query instead of the CPU HorizontalPodAutoscaler (which a GPU-bound
   * server may never trigger). Needed for `replicas.min: 0` (an HPA cannot scale to zero). Default: the CPU HPA.
   */
  keda?: KedaOptions;
}

/** KEDA scaling of an inference fleet (a `keda.sh/v1alpha1` ScaledObject with a Prometheus trigger). */
export interface KedaOptions {
  /** URL of the Prometheus server that scrapes the model server's metrics, e.g. `http://prometheus.monitoring:9090`. Required. */
  prometheusUrl: string;
  /**
   * PromQL giving the fleet's load. Default: vLLM's waiting requests summed over the fleet's pods,
   * `sum(vllm:num_requests_waiting{namespace="<ns>",pod=~"<name>-.*"})`. Required with `replicas.min: 0`, on a metric
   * that exists while no server runs (a gateway's or ingress's request rate): the default would never wake the fleet.
   */
  query?: string;
  /** Target value of the query per replica (replicas = ceil(value / threshold)). Default 4 waiting requests. */
  threshold?: number;
  /**
   * Install the KEDA chart (kedacore/keda 2.21.1, namespace `keda`; one per cluster). Default: as
   * `installClusterAddons` (true, except on a shared cluster whose add-ons run already).
   */
  install?: boolean;
}

/** Options of the managed clusters (EKS, GKE, AKS) beyond the workload's. */
export interface ManagedClusterOptions extends WorkloadOptions {
  /**
   * Install the cluster-wide add-ons the GPU nodes need: the GPU Operator and the EFA device plugin (EKS); Google's NRI
   * device injector and NCCL plugin installer (GKE); the Network Operator, its NicClusterPolicy and the GPU Operator
   * (AKS). There is one of each per cluster: set `false` on an existing cluster that runs them already (another
   * component's GPU pool, or the platform team's), where a second install would clash at `up`. Default `true`.
   */
  installClusterAddons?: boolean;
  /**
   * How `pulumi up` reaches a new cluster's API server, which it must (the component installs Helm releases and its
   * workload through it). Required for a new cluster, because either default fails someone:
   * - `true`: a public endpoint that admits only `publicAccessCidrs` (your workstation's or CI runner's egress);
   * - `false`: private only, for a `pulumi up` that runs inside the network (a runner in the VPC / VNet, a VPN, a
   *   bastion).
   */
  publicEndpoint?: boolean;
  /** With `publicEndpoint: true`: the client CIDRs the API server admits, e.g. `['203.0.113.7/32']`. No `/0`. */
  publicAccessCidrs?: string[];
  /**
   * With `publicEndpoint: false`: client ranges outside the component's network that reach the private endpoint (a
   * peered VPC, a VPN), e.g. `['10.100.0.0/16']`. The component's own network is always admitted. EKS and GKE; on AKS
   * a private API server is found through its private DNS zone instead (link your network to it). Default none.
   */
  privateAccessCidrs?: string[];
}

/** The managed-cluster option fields beyond the workload's. */
export const MANAGED_CLUSTER_OPTION_FIELDS = {
  installClusterAddons: field.boolean,
  publicEndpoint: field.boolean,
  publicAccessCidrs: field.stringList,
  privateAccessCidrs: field.stringList,
} as const satisfies FieldKinds<Omit<ManagedClusterOptions, keyof WorkloadOptions>>;

/** Whether this component installs the cluster-wide add-ons (default yes). */
export function installsClusterAddons(o: ManagedClusterOptions | undefined): boolean {
  return o?.installClusterAddons !== false;
}

/**
 * The managed-cluster checks: add-ons are skipped only on a cluster that exists (a new one has none, and its GPU
 * nodes would never get a device plugin).
 */
export function checkManagedClusterOptions(o: ManagedClusterOptions & { clusterName?: string }, at: string): void {
  if (o.installClusterAddons === false && o.clusterName === undefined) {
    throw new SpecError(`${at}.installClusterAddons`, "false leaves a new cluster without GPU and fabric device plugins", `leave it out, or set ${at}.clusterName to the existing cluster that runs them`);
  }
  checkEndpointAccess(o, at);
}

/**
 * A new cluster's API server must be reachable from where `pulumi up` runs, or nothing after the control plane
 * deploys: the choice is explicit, and a public endpoint admits named ranges only.
 */
function checkEndpointAccess(o: ManagedClusterOptions & { clusterName?: string }, at: string): void {
  if (o.clusterName !== undefined) {
    for (const key of ["publicEndpoint", "publicAccessCidrs", "privateAccessCidrs"] as const) {
      if (o[key] !== undefined) throw new SpecError(`${at}.${key}`, "shapes the API endpoint of a new cluster, not of an existing one", `remove it, or remove ${at}.clusterName`);
    }
    return;
  }
  if (o.publicEndpoint === undefined) {
    throw new SpecError(
      `${at}.publicEndpoint`,
      "a new cluster's API server must be reachable from where `pulumi up` runs (it installs the Helm releases and the workload through it)",
      `set ${at}.publicEndpoint: true with ${at}.publicAccessCidrs: ['<your workstation or CI egress>/32'], or publicEndpoint: false when pulumi up runs inside the network (a runner in the VPC / VNet, a VPN, a bastion)`,
    );
  }
  if (o.publicEndpoint && !o.publicAccessCidrs?.length) {
    throw new SpecError(`${at}.publicAccessCidrs`, "a public API endpoint needs the client ranges it admits", "e.g. ['203.0.113.7/32'] (your workstation's or CI runner's egress address)");
  }
  if (!o.publicEndpoint && o.publicAccessCidrs !== undefined) {
    throw new SpecError(`${at}.publicAccessCidrs`, "only applies with publicEndpoint: true", `set ${at}.publicEndpoint: true, or remove publicAccessCidrs`);
  }
  if (o.publicEndpoint && o.privateAccessCidrs !== undefined) {
    throw new SpecError(`${at}.privateAccessCidrs`, "only applies with publicEndpoint: false", `admit those ranges with ${at}.publicAccessCidrs, or set publicEndpoint: false`);
  }
  for (const range of o.privateAccessCidrs ?? []) {
    if (!CIDR.test(range)) throw new SpecError(`${at}.privateAccessCidrs`, `'${range}' is not an IPv4 CIDR`, "e.g. '10.100.0.0/16'");
  }
  for (const range of o.publicAccessCidrs ?? []) {
    if (!CIDR.test(range)) throw new SpecError(`${at}.publicAccessCidrs`, `'${range}' is not an IPv4 CIDR`, "e.g. '203.0.113.7/32'");
    // Wider than a /8 is no "named range" (and 0.0.0.0/1 + 128.0.0.0/1 would be the whole internet in two pieces).
    if (Number(range.split("/")[1]) < 8) throw new SpecError(`${at}.publicAccessCidrs`, `'${range}' opens the API server to a large part of the internet`, "give the ranges that need it, /8 or narrower, e.g. your CI runner's egress /32");
  }
}

export const WORKLOAD_DEFAULTS = { shmSizeGiB: 64, runAsUser: 1000, targetCpuUtilizationPercent: 60 };
export const KEDA_DEFAULTS = { threshold: 4 };

const KEDA_FIELDS = { prometheusUrl: field.string, query: field.string, threshold: field.number, install: field.boolean } as const satisfies FieldKinds<KedaOptions>;

/** Every workload option and its type (checked by the bag that includes them, before the checks below). */
export const WORKLOAD_OPTION_FIELDS = {
  namespace: field.string,
  image: field.string,
  command: field.stringList,
  args: field.stringList,
  model: field.string,
  env: field.inputMap,
  runAsNonRoot: field.boolean,
  runAsUser: field.number,
  shmSizeGiB: field.number,
  targetCpuUtilizationPercent: field.number,
  loadBalancerSourceRanges: field.stringList,
  acceptanceTest: field.boolean,
  acceptanceImage: field.string,
  kueue: field.boolean,
  keda: field.bag(KEDA_FIELDS),
} as const satisfies FieldKinds<WorkloadOptions>;

/** Every workload option key. */
export const WORKLOAD_OPTION_KEYS = optionKeys<WorkloadOptions>(WORKLOAD_OPTION_FIELDS);

export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const CIDR = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/;

/** Checks of the workload options; `at` is the option bag's path (`coreweave`, `aws.eks`), `exampleImage` a hint. */
/**
 * `internetClients`: the option an internet-facing fleet's client ranges are given in, when not this bag's
 * `loadBalancerSourceRanges` (GKE: `gcp.allowedSourceRanges`, checked with the GCP bag); then they are not required here.
 */
export function checkWorkloadOptions(plan: Plan, o: WorkloadOptions, at: string, exampleImage: string, internetClients?: string): void {
  if (o.namespace !== undefined && !DNS_LABEL.test(o.namespace)) {
    throw new SpecError(`${at}.namespace`, `'${o.namespace}' is not a DNS-1123 label`, "lower-case letters, digits and '-', at most 63 characters, e.g. 'llm-train'");
  }
  if (o.image !== undefined && o.image.trim() === "") throw new SpecError(`${at}.image`, "is empty", `e.g. '${exampleImage}'`);
  if (o.acceptanceTest === true && plan.workload !== "training") {
    throw new SpecError(`${at}.acceptanceTest`, "is a training option (an NCCL all-reduce across two nodes)", "leave it out for an inference fleet");
  }
  if (o.acceptanceTest === true && plan.nodeCount < 2) {
    throw new SpecError(`${at}.acceptanceTest`, `measures the fabric between two nodes, and the plan has ${plan.nodeCount}`, "use 2 or more nodes, or leave it out");
  }
  if (o.kueue === true && plan.workload !== "training") {
    throw new SpecError(`${at}.kueue`, "queues a training Job; a fleet's replicas are scaled by its autoscaler", "leave it out for an inference fleet");
  }
  if (o.acceptanceImage !== undefined && o.acceptanceImage.trim() === "") throw new SpecError(`${at}.acceptanceImage`, "is empty", `e.g. '${DEFAULT_ACCEPTANCE_IMAGE}'`);
  if (o.command !== undefined && o.command.length === 0) throw new SpecError(`${at}.command`, "is an empty list", "leave it out to use the default, or give the executable, e.g. ['torchrun']");
  const prelude = fabricSides(plan, "kubernetes").pod?.entrypointPrelude;
  if (prelude !== undefined && o.image !== undefined && o.command === undefined) {
    // The pod must source the fabric's NCCL profile before the workload starts, and an image's own entrypoint cannot be wrapped.
    throw new SpecError(
      `${at}.command`,
      `is required with your own image on ${plan.fabric.kind}: the pod runs '${prelude}' before your command so NCCL uses the GPU NICs`,
      "give the command your image runs, e.g. command: ['torchrun', 'train.py'] (args are passed through)",
    );
  }
  if (o.shmSizeGiB !== undefined && !(Number.isInteger(o.shmSizeGiB) && o.shmSizeGiB >= 1 && o.shmSizeGiB <= plan.instance.memoryGiB / 2)) {
    throw new SpecError(`${at}.shmSizeGiB`, `${o.shmSizeGiB} is not a whole number of GiB from 1 to ${Math.floor(plan.instance.memoryGiB / 2)}`, "/dev/shm is node RAM counted against the pod's memory; e.g. 64");
  }
  if (o.runAsUser !== undefined && !(Number.isInteger(o.runAsUser) && o.runAsUser >= 1)) {
    throw new SpecError(`${at}.runAsUser`, `${o.runAsUser} is not a non-root uid`, "a whole number of 1 or more, e.g. 1000");
  }
  if (o.targetCpuUtilizationPercent !== undefined && !(Number.isInteger(o.targetCpuUtilizationPercent) && o.targetCpuUtilizationPercent >= 1 && o.targetCpuUtilizationPercent <= 100)) {
    throw new SpecError(`${at}.targetCpuUtilizationPercent`, `${o.targetCpuUtilizationPercent} is not a whole percent from 1 to 100`, "e.g. 60");
  }
  for (const key of Object.keys(o.env ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key)) throw new SpecError(`${at}.env.${key}`, "is not a valid environment variable name", "letters, digits and '_', not starting with a digit");
  }
  checkKeda(plan, o.keda, `${at}.keda`);
  if (plan.service?.loadBalancer === "internet-facing" && internetClients === undefined && !o.loadBalancerSourceRanges?.length) {
    throw new SpecError(
      `${at}.loadBalancerSourceRanges`,
      "an internet-facing fleet needs the client ranges its public load balancer admits (the model server has no TLS or auth of its own)",
      "e.g. ['203.0.113.0/24'], or ['0.0.0.0/0'] to open it to everyone on purpose",
    );
  }
  for (const range of o.loadBalancerSourceRanges ?? []) {
    if (!CIDR.test(range)) throw new SpecError(`${at}.loadBalancerSourceRanges`, `'${range}' is not an IPv4 CIDR`, "e.g. '203.0.113.0/24'");
  }
}

function checkKeda(plan: Plan, keda: KedaOptions | undefined, at: string): void {
  if (keda === undefined) {
    if (plan.workload === "inference" && plan.replicas?.min === 0) {
      throw new SpecError("replicas.min", "0 cannot be kept by a HorizontalPodAutoscaler (it scales between 1 and max)", `set replicas.min to 1 or more, or scale with KEDA: ${at}: { prometheusUrl: 'http://prometheus.monitoring:9090' }`);
    }
    return;
  }
  if (plan.workload !== "inference") throw new SpecError(at, "scales an inference fleet", "leave it out for a training cluster");
  // Types and keys were checked with the bag (KEDA_FIELDS); what is left is what the values mean.
  if (keda.prometheusUrl === undefined || !/^https?:\/\/[^\s/]+/.test(keda.prometheusUrl)) {
    throw new SpecError(`${at}.prometheusUrl`, `${keda.prometheusUrl === undefined ? "is required" : `'${String(keda.prometheusUrl)}' is not an http(s) URL`}`, "the Prometheus that scrapes the model server, e.g. 'http://prometheus.monitoring:9090'");
  }
  if (keda.query !== undefined && keda.query.trim() === "") throw new SpecError(`${at}.query`, "is empty", "a PromQL expression, e.g. 'sum(vllm:num_requests_running)'");
  if (keda.threshold !== undefined && !(keda.threshold > 0)) {
    throw new SpecError(`${at}.threshold`, `${String(keda.threshold)} is not a positive number`, `the query's value one replica handles, e.g. ${KEDA_DEFAULTS.threshold}`);
  }
  if (plan.replicas?.min === 0 && keda.query === undefined) {
    // The default query reads the servers' own metrics: at zero replicas there are none, and nothing would wake the fleet.
    throw new SpecError(
      `${at}.query`,
      "is required with replicas.min 0: the default query reads the model servers' own metrics, which do not exist while no server runs, so the fleet would never wake up",
      "give a query on a metric that exists at zero, e.g. your gateway's request rate: 'sum(rate(nginx_ingress_controller_requests{service=\"llm\"}[2m]))'",
    );
  }
}
