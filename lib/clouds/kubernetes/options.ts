/** Workload knobs every Kubernetes compiler accepts (CoreWeave, EKS), and their synchronous checks. */
import { AZURE_LUSTRE_CSI_UNDIGESTED } from "../azure/aks/lustre-csi-release.js";
import type * as pulumi from "@pulumi/pulumi";
import type { Cloud } from "../../catalog/types.js";
import type { Plan } from "../../planner/types.js";
import { fabricSides } from "../../fabric/index.js";
import { SpecError } from "../../spec/errors.js";
import { field, optionKeys, type FieldKinds } from "../shared/option-fields.js";

/**
 * CoreWeave's public nccl-tests image (github.com/coreweave/nccl-tests): nccl-tests built against NCCL 2.30.4 with the
 * InfiniBand verbs transport and MPI, CUDA 12.9.1, Ubuntu 22.04, binaries in /opt/nccl_tests/build, under an immutable
 * build tag (CUDA, Ubuntu, NCCL version, source commit). It is the CUDA 12.9.1 / Ubuntu 22.04 row of the README's image
 * table as of master @cb86553 (2026-05-27, the newest snapshot that could be read, on 2026-12-01). f0824e9 (2026-05-22)
 * moved every row from the 111c25a build to this 2eedd7c rebuild of the same NCCL, which only moves NVIDIA/nccl-tests
 * to v2.18.3 and keeps the binary path. The default training image of CoreWeave (its own image) and of AKS (the same
 * ConnectX InfiniBand userspace ND-series VMs use).
 * Newer builds exist and are not used:
 * - PR #97 (merged 2026-07-22) builds NCCL 2.30.7-1 with HPC-X 2.50 and CUDA 12.9.2;
 * - PR #98 (2026-08-13) builds NCCL 2.31.2-1.
 * Both are at https://github.com/coreweave/nccl-tests/pulls, read 2026-12-01. Their tags end in the build's source
 * commit, and no copy that could be read gives it: not the snapshot, not the pull requests' text, not any file in the
 * code index. A guessed tag would fail the pull at `up`, so the pin stays on the last tag a read README lists.
 */
export const COREWEAVE_NCCL_TESTS_IMAGE = "ghcr.io/coreweave/nccl-tests:12.9.1-devel-ubuntu22.04-nccl2.30.4-1-2eedd7c";

/**
 * vLLM's OpenAI-compatible server: serves on 8000 with `/health`, the spec's default port and health path. Pinned to the
 * digest the v0.11.0 tag resolved to (the tag's multi-arch index, as `docker pull` records it), as
 * github.com/tinfoilsh/vllm-openai-audio Dockerfile pins it (`FROM vllm/vllm-openai:v0.11.0@sha256:014a95f2…`, commit
 * 074bce26 "add digest to vllm image", 2025-11-18; read 2026-11-30). Other public files pin the same digest for the
 * tag; the one other digest seen for it (d8d39b59…) is pinned under `--platform=linux/amd64`, consistent with it being
 * the amd64 image inside this index.
 */
export const DEFAULT_INFERENCE_IMAGE = "vllm/vllm-openai:v0.11.0@sha256:014a95f21c9edf6abe0aea6b07353f96baa4ec291c427bb1176dc7c93a85845c";
/**
 * `ubuntu:22.04` by digest, for the library's privileged node-setup containers (GKE's TCPXO installer, AKS's local NVMe
 * setup): the multi-platform OCI image index digest Docker's official-images record gives for the tag
 * (docker-library/repo-info repos/ubuntu/remote/22.04.md @01470af9: the jammy-20260731.1 build of 2026-07-31; read
 * 2026-11-30). It carries bash and util-linux's `nsenter`.
 */
export const UBUNTU_IMAGE = "ubuntu:22.04@sha256:3b06811b2afd352be909dd088a004166d665dc76d38b13eada33522a9d915c6f";
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

/**
 * CoreWeave GB200 NVL72 (gb200-4x): PyTorch 2.8.0 built by CoreWeave against NCCL 2.28.3 and CUDA 12.9.1, the NCCL and
 * CUDA of CoreWeave's own GB200 NVL72 manifest (coreweave/nccl-tests mpi-operator/nccl-test-distributed-gb200-nvl72-mpijob.yaml
 * @cb86553, 2026-05-27: ghcr.io/coreweave/nccl-tests:12.9.1-devel-ubuntu22.04-nccl2.28.3-1-8b67957, which has no
 * PyTorch). Multi-node NVLink needs NCCL 2.25.2 or later on GB200 (NVIDIA's multi-node NVLink tuning guide,
 * docs.nvidia.com/multi-node-nvlink-systems/multi-node-tuning-guide/nccl.html); DEFAULT_ACCEPTANCE_IMAGE (NGC 25.01)
 * carries 2.25.1, so on it the gate's pair would fall back to InfiniBand. This image is built by coreweave/ml-containers
 * (.github/workflows/torch-nccl.yml at 8a60b2d, PR #110 "Update torch:nccl base images to use NCCL 2.28.3-1",
 * 2025-10-15: `FROM ghcr.io/coreweave/nccl-tests:12.9.1-devel-ubuntu22.04-nccl2.28.3-1-528fb68`, torch/Dockerfile
 * `USE_SYSTEM_NCCL=1`), for linux/amd64 and linux/arm64 (.github/workflows/build.yml default platforms, since
 * 459aa23, 2025-01-29; GB200's Grace CPUs are arm64), and its tag is what the repository's own sd-inference/Dockerfile
 * runs (@71a115da, 2026-08-05). Why not a newer NGC PyTorch: no NGC release could be shown to carry NCCL 2.25.2 or
 * later from a readable source (the stored release-notes pages for 25.x omit the component list); 25.01 to 25.03 carry
 * 2.25.1 (NVIDIA/TensorRT-LLM docker/common/install_tensorrt.sh @0237cabd pins the NCCL of rel-25-03 at 2.25.1-1, and
 * crickett-hpe/hpc-ai-envs PR #32 (2025-05-21) reads 2.25.1 in 25.02), 25.04's 2.26.3 failed multi-node NCCL tests on
 * GH200 (the same PR), and the tag here names its NCCL. Read 2026-11-30.
 */
export const GB200_ALL_REDUCE_IMAGE = "ghcr.io/coreweave/ml-containers/torch:8a60b2d-nccl-cuda12.9.1-ubuntu22.04-nccl2.28.3-1-torch2.8.0-vision0.23.0-audio2.8.0-abi1";

/**
 * CoreWeave HGX B300 (b300-8x): CoreWeave's PyTorch 2.11.0 on NCCL 2.30.4-1 and CUDA 13.2.1 (Ubuntu 24.04), the
 * ml-containers build of bc8c66e (PR #154, 2026-04-24), whose tag coreweave/ml-containers' own vllm-tensorizer/Dockerfile
 * runs as its base (@71a115d, 2026-08-05; read 2026-12-01). Why not GB200_ALL_REDUCE_IMAGE:
 * - B300 is compute capability 10.3. That build (8a60b2d) compiles PyTorch's kernels only as sm_90a, sm_100a and sm_120a
 *   cubins plus compute_120 PTX (torch/Dockerfile @8a60b2d: nvcc.conf's `-gencode` list, and NVCC_WRAPPER_FILTER_CODES
 *   dropping sm_100 and compute_100).
 * - PTX runs only on its own or a higher compute capability, so compute_120 PTX does not run on 10.3 (NVIDIA's
 *   Blackwell Compatibility Guide, docs.nvidia.com/cuda/archive/13.0.0/blackwell-compatibility-guide, read 2026-12-01).
 *   An `a` cubin runs only on its own compute capability (NVIDIA's blog "Blackwell and CUDA 12.9 introduce
 *   family-specific architecture features", developer.nvidia.com). So no kernel in it runs on 10.3, and the check's
 *   first `torch.ones(..., device="cuda")` would fail.
 * - sm_103a cubins came with d921958 ("Build for sm_103a", 2025-10-08), which reached main at 1a21fa8 (2026-03-23).
 *   bc8c66e carries it, for every CUDA other than 12.0 to 12.7 (torch/Dockerfile @bc8c66e).
 * Its NCCL and CUDA are newer than those of CoreWeave's B300 manifest at cb86553 (2.28.3, CUDA 12.9.1). CoreWeave itself
 * moved "all ... mpi-operator jobs" to CUDA 13.2.1 and NCCL 2.30.4 in PR #93 (merged 2026-06-02,
 * https://github.com/coreweave/nccl-tests/pull/93, read 2026-12-01), a week after its B300 MPIJob landed (3b06be7).
 * CUDA 13 needs an R580-series or later driver on the Node (NVIDIA's CUDA 13.0 release notes, "CUDA Driver"; the
 * figure was not in the excerpt read here, and PR #93 shows CoreWeave's nodes run CUDA 13.2.1). A NodePool gets the
 * latest driver unless `gpu.version` pins an older one (docs.coreweave.com/products/cks/nodes/gpu-driver-management/
 * gpu-driver-management-cks, read 2026-12-01). The build is for linux/amd64 and linux/arm64 (.github/workflows/build.yml
 * @bc8c66e).
 */
export const B300_ALL_REDUCE_IMAGE = "ghcr.io/coreweave/ml-containers/torch:bc8c66e-nccl-cuda13.2.1-ubuntu24.04-nccl2.30.4-1-torch2.11.0-vision0.26.0-audio2.11.0-abi1";

/** The image of the acceptance test and of the default training all-reduce (torchrun, NCCL, the fabric's plugin), per cloud. */
export const ALL_REDUCE_IMAGES: Readonly<Record<Cloud, string>> = {
  aws: EKS_ALL_REDUCE_IMAGE,
  gcp: DEFAULT_ACCEPTANCE_IMAGE,
  azure: DEFAULT_ACCEPTANCE_IMAGE,
  coreweave: DEFAULT_ACCEPTANCE_IMAGE,
};

/**
 * Instance types whose all-reduce needs another image than their cloud's (ALL_REDUCE_IMAGES). Other types keep their
 * cloud's image: they reach their fabric with the NCCL it carries (no multi-node NVLink, no compute capability newer
 * than the image's build).
 * - gb200-4x: GB200 NVL72, whose multi-node NVLink needs NCCL 2.25.2 or later.
 * - b200-8x: HGX B200 runs the same build, GB200's compute capability (10.0), and the NCCL and CUDA (2.28.3, 12.9.1) of
 *   CoreWeave's own B200 manifest (coreweave/nccl-tests mpi-operator/nccl-test-distributed-b200-64-mpijob.yaml
 *   @cb86553, 2026-05-27). NGC 25.01's NCCL 2.25.1 predates both.
 * - b300-8x: compute capability 10.3, which neither NGC 25.01 nor the GB200 build is shown to run (B300_ALL_REDUCE_IMAGE).
 */
export const ALL_REDUCE_IMAGES_BY_TYPE: Readonly<Record<string, string>> = {
  "gb200-4x": GB200_ALL_REDUCE_IMAGE,
  "b200-8x": GB200_ALL_REDUCE_IMAGE,
  "b300-8x": B300_ALL_REDUCE_IMAGE,
};

/** The all-reduce image for the plan: its instance type's (ALL_REDUCE_IMAGES_BY_TYPE), else its cloud's (ALL_REDUCE_IMAGES). */
export function allReduceImage(plan: Pick<Plan, "cloud" | "instanceType">): string {
  return (Object.hasOwn(ALL_REDUCE_IMAGES_BY_TYPE, plan.instanceType) ? ALL_REDUCE_IMAGES_BY_TYPE[plan.instanceType] : undefined) ?? ALL_REDUCE_IMAGES[plan.cloud];
}

/**
 * Default and privileged images pinned by version tag only, each with why no digest: every other one is pinned by
 * digest (`repo:tag@sha256:…`: GOOGLE_IMAGES in gcp/gke/bootstrap.ts, GKE_SIDECAR_IMAGES in fabric/gke.ts,
 * DEFAULT_INFERENCE_IMAGE above, NIC_POLICY_IMAGES in azure/aks/bootstrap.ts, NODE_HEALTH_IMAGE). A digest is written
 * only where a public source records it for exactly that repository and tag, or as the multi-arch index next to it (a
 * wrong one fails at `up`). Searched 2026-11-30, for every entry: the anchors' whole history (`git log -p -G` for
 * `sha256:` next to the image name, all branches) in GoogleCloudPlatform/container-engine-accelerators @992db812,
 * GoogleCloudPlatform/cluster-toolkit @104708037, GoogleCloudPlatform/ai-on-gke @8676d66d,
 * GoogleCloudPlatform/slurm-gcp @13fd92b6, aws-samples/awsome-distributed-training @7217859f, coreweave/nccl-tests
 * @cb86553, Mellanox/network-operator @b06827e0 (and its bundles), NVIDIA/gpu-operator @a22dbf671, NVIDIA/aicr
 * @bc05c6be, vllm-project/production-stack; the code index for `<repository>:<tag>@sha256` and `<repository>@sha256`;
 * the stored web pages for registry and release pages. What each search left is in the entry. Digests that appear
 * only in a file whose repository cannot be named (so the source cannot be cited, nor its date) are not used.
 * test/images.test.ts holds this list's exact contents, so it cannot grow unnoticed: replace an entry by its digest
 * when a source shows one.
 */
export const UNDIGESTED_IMAGES: Readonly<Record<string, string>> = {
  "us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpx/nccl-plugin-gpudirecttcpx-dev:v3.1.9":
    "Google's TCPX installer (container-engine-accelerators gpudirect-tcpx/nccl-tcpx-installer.yaml) and cluster-toolkit's examples/gke-a3-highgpu name it by tag only, in every commit; the only gce-ai-infra digest in either history is nccl-gib-a4x-max-arm64's (another image); no file in the code index pins any gpudirect-tcpx image by digest",
  "us-docker.pkg.dev/gce-ai-infra/gpudirect-gib/nccl-plugin-gib:v1.1.1":
    "Google's gIB installer (container-engine-accelerators gpudirect-rdma/nccl-rdma-installer.yaml) names it by tag only, in every commit; the gIB digests that exist are for other images: nccl-gib-a4x-max-arm64 (container-engine-accelerators @950e0d8f) and nccl-plugin-gib-arm64:v1.1.2 (NVIDIA/aicr), arm64 builds for A4X, not this x86 installer",
  "us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpx/tcpgpudmarxd-dev:v2.0.12":
    "Google's TCPX manifests (container-engine-accelerators gpudirect-tcpx, cluster-toolkit examples/gke-a3-highgpu/nccl-test.yaml) name the RxDM by tag only, in every commit; no file in the code index pins it by digest",
  "us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpx/nccl-plugin-gpudirecttcpx-dev:v3.1.9-2.19.4-12.0":
    "GCP VMs (A3 High): slurm-gcp's receive-data-path-manager prolog (@13fd92b6), which cluster-toolkit's A3 High blueprint runs, names it by tag only, in every commit; no file in the code index pins it by digest",
  "us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpxo/nccl-plugin-gpudirecttcpx-dev:v1.0.17":
    "GCP VMs (A3 Mega): slurm-gcp's receive-data-path-manager-mega prolog (@13fd92b6) names it by tag only; the one TCPXO plugin digest published (NVIDIA/aicr, kubeflow-trainer) is v1.0.15's, the GKE installer's (GOOGLE_IMAGES), which slurm-gcp does not pair with RxDM v1.0.23",
  "us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpxo/tcpgpudmarxd-dev:v1.0.23":
    "GCP VMs (A3 Mega): slurm-gcp's receive-data-path-manager-mega prolog (@13fd92b6) names the RxDM by tag only; the one RxDM digest published (NVIDIA/aicr) is v1.0.21's, the GKE sidecar's (GKE_SIDECAR_IMAGES)",
  "nvcr.io/nvidia/pytorch:25.01-py3":
    "NVIDIA's NGC catalog and release notes give tags, no digests, and no anchor pins NGC PyTorch by digest; the code index has for this tag one digest in a README whose repository it does not name (so it cannot be cited) and test fixtures (the sha256 of a word); the other NGC PyTorch digests found are likewise in unnamed files, so no nearby tag is better sourced",
  "public.ecr.aws/deep-learning-containers/pytorch-training:2.8.0-gpu-py312-cu129-ubuntu22.04-ec2-v1.0":
    "AWS publishes Deep Learning Containers by release tag (the `-v1.0` tag names one release); its GitHub release notes give digests for the region repositories (763104351884.dkr.ecr.<region>.amazonaws.com), not for public.ecr.aws, and no file in the code index pins this tag, its `-ec2` alias or the bare repository by digest",
  [GB200_ALL_REDUCE_IMAGE]:
    "coreweave/ml-containers publishes build tags (source commit, CUDA, Ubuntu, NCCL, PyTorch versions) and no digests: its history (@71a115da, all branches) holds no sha256 next to an ml-containers/torch reference, and no file in the code index pins this tag or the bare repository by digest",
  [B300_ALL_REDUCE_IMAGE]:
    "coreweave/ml-containers publishes build tags and no digests: its history (@71a115d, all branches) holds no sha256 next to an ml-containers/torch reference, and no file in the code index pins this tag by digest",
  "ghcr.io/coreweave/nccl-tests:12.9.1-devel-ubuntu22.04-nccl2.30.4-1-2eedd7c":
    "CoreWeave's and AKS's default (the row coreweave/nccl-tests' README lists as of @cb86553, 2026-05-27): the repository publishes immutable build tags and no digests anywhere in its history, and no file in the code index pins this tag by digest",
  "public.ecr.aws/hpc-cloud/nccl-tests:cuda12.8.1-efa1.43.2-ofiv1.16.3-ncclv2.27.7-1-testsv2.16.9":
    "the build tag awsome-distributed-training's micro-benchmarks/nccl-tests/buildspec.yaml (@7217859f) publishes; its history holds no digest for it; the one hpc-cloud digest in the code index is for another build (cuda13.0.2-…-ncclv2.30.4, CUDA 13, which needs a 580+ driver) in files whose repository it does not name",
  "nvcr.io/nvidia/mellanox/doca-driver:doca3.2.0-25.10-1.2.8.0-2":
    "the Network Operator appends the node's OS and architecture to this version (doca3.2.0-…-ubuntu22.04-amd64); a `sha256:` version would be taken as is, but NVIDIA's v25.10.0 OCP bundle (Mellanox/network-operator cd378988, hack/release.go resolveDocaDriversShas) records digests only for the rhcos/rhel builds, none for Ubuntu",
  "registry.k8s.io/autoscaling/cluster-autoscaler:v1.32.7":
    "EKS: the Cluster Autoscaler tag per Kubernetes minor (aws/eks/autoscaler-version.ts), set as the chart's image.tag; registry.k8s.io's promoter manifest (kubernetes/k8s.io registry.k8s.io/images/k8s-staging-autoscaling/images.yaml) records each tag's digest, but the copies that could be read (@fe84f3f6) end at v1.33.1, before these releases",
  "registry.k8s.io/autoscaling/cluster-autoscaler:v1.33.6": "as v1.32.7: the promoter manifest copies read end at v1.33.1",
  "registry.k8s.io/autoscaling/cluster-autoscaler:v1.34.5": "as v1.32.7: the promoter manifest copies read end at v1.33.1",
  "registry.k8s.io/autoscaling/cluster-autoscaler:v1.35.2":
    "as v1.32.7: the promoter manifest copies read end at v1.33.1; a digest for this tag appears only in files whose repository the code index does not name",
  "registry.k8s.io/autoscaling/cluster-autoscaler:v1.36.1": "as v1.32.7: the promoter manifest copies read end at v1.33.1",
  ...AZURE_LUSTRE_CSI_UNDIGESTED,
};

export interface WorkloadOptions {
  /** Namespace the workload runs in (created by the component). Default: the component name, DNS-1123 cleaned. */
  namespace?: string;
  /**
   * Container image. Default: training, the plan's all-reduce image (`allReduceImage`: on EKS AWS's PyTorch Deep
   * Learning Container with libfabric and aws-ofi-nccl, on CoreWeave GB200 NVL72 and HGX B200 GB200_ALL_REDUCE_IMAGE, on
   * HGX B300 B300_ALL_REDUCE_IMAGE, elsewhere `nvcr.io/nvidia/pytorch:25.01-py3`) running the
   * all-reduce below, or, with a `command`, the cloud's NCCL test image; inference `vllm/vllm-openai:v0.11.0` (by digest, DEFAULT_INFERENCE_IMAGE).
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
   * On AKS, the ranges an internet-facing fleet's Application Gateway admits (refused on an internal fleet). On GKE the
   * ranges are an internal fleet's, widening its internal load balancer's (peered networks, a VPN); an internet-facing
   * GKE fleet is served by a Gateway over HTTPS, whose clients are `gcp.allowedSourceRanges` (Cloud Armor, as the VM path).
   * On CoreWeave, the ranges of the Traefik IPAllowList middleware in front of the fleet (`coreweave.ingress`).
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
   * aws-ofi-nccl). Default: the plan's all-reduce image (`allReduceImage`: its instance type's, else its cloud's).
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
   * component's GPU pool, or the platform team's), where a second install would clash at `up`. Default `true`
   * (GKE: on an existing cluster, given explicitly whenever Google's GPUDirect DaemonSets or Kueue are needed, and
   * `false` then covers Kueue too).
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
/** GPU counts the default model's 32 attention heads split over evenly (vLLM's tensor parallelism needs heads % GPUs == 0). */
const DEFAULT_MODEL_SPLITS = [1, 2, 4, 8];

/**
 * A fleet on the default server and model runs `--tensor-parallel-size <GPUs per replica>`: vLLM refuses a size that
 * does not divide the model's attention heads ("must be divisible by tensor parallel size",
 * vllm/config ModelConfig.verify_with_parallel_config), and the pods would crash-loop after a successful `up`.
 */
function checkDefaultModelSplit(plan: Plan, o: WorkloadOptions): void {
  if (plan.workload !== "inference" || o.image !== undefined || o.args !== undefined || o.model !== undefined) return;
  const gpus = Math.min(plan.gpusPerReplica ?? plan.gpusPerNode, plan.gpusPerNode);
  if (!DEFAULT_MODEL_SPLITS.includes(gpus)) {
    throw new SpecError(
      "gpu.count",
      `${gpus} GPUs per replica: the default model ${DEFAULT_MODEL} has 32 attention heads, which vLLM splits over ${DEFAULT_MODEL_SPLITS.join(", ")} GPUs only`,
      `use ${DEFAULT_MODEL_SPLITS.filter((n) => n <= plan.gpusPerNode).join(", ")} GPUs per replica, or name a model whose heads divide by ${gpus} (model)`,
    );
  }
}

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
  checkDefaultModelSplit(plan, o);
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
