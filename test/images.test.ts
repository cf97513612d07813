/**
 * Images pinned: every container image a compiled program runs (defaults, Google's privileged GKE DaemonSets, the
 * Network Operator's NicClusterPolicy) names a digest (`repo[:tag]@sha256:...`) or a version tag, never `latest` or no
 * tag at all, which would run whatever was pushed last on every new node. Stricter for what the library chooses
 * (every default image, every image of a privileged DaemonSet, Job or sidecar): a digest, or an entry of the documented
 * UNDIGESTED_IMAGES list (lib/clouds/kubernetes/options.ts), whose exact contents are held here so it cannot grow
 * unnoticed. The references and their sources (anchor repository, file, commit date) are in
 * lib/clouds/gcp/gke/bootstrap.ts, lib/fabric/gke.ts, lib/clouds/azure/aks/{options,bootstrap}.ts and the list.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { runOffline, type OfflineRun } from "../lib/preview/offline.js";
import { EXAMPLE_CONFIG } from "../scripts/example-config.js";
import { run, privateEndpoint } from "./helpers/offline.js";
import { GOOGLE_IMAGES } from "../lib/clouds/gcp/gke/bootstrap.js";
import { GKE_DEFAULT_TRAINING_IMAGE } from "../lib/clouds/gcp/gke/options.js";
import { GKE_SIDECAR_IMAGES } from "../lib/fabric/gke.js";
import { VM_FABRIC_IMAGES } from "../lib/clouds/gcp/fabric-boot.js";
import { NIC_POLICY_IMAGES } from "../lib/clouds/azure/aks/bootstrap.js";
import { AKS_DEFAULT_TRAINING_IMAGE } from "../lib/clouds/azure/aks/options.js";
import { AZURE_LUSTRE_CSI_IMAGES } from "../lib/clouds/azure/aks/lustre-csi.js";
import { EKS_DEFAULT_TRAINING_IMAGE } from "../lib/clouds/aws/eks/options.js";
import { DEFAULT_TRAINING_IMAGE as COREWEAVE_DEFAULT_TRAINING_IMAGE } from "../lib/clouds/coreweave/options.js";
import { B300_ALL_REDUCE_IMAGE, DEFAULT_ACCEPTANCE_IMAGE, DEFAULT_INFERENCE_IMAGE, EKS_ALL_REDUCE_IMAGE, GB200_ALL_REDUCE_IMAGE, UNDIGESTED_IMAGES } from "../lib/clouds/kubernetes/options.js";
import { NODE_HEALTH_IMAGE } from "../lib/clouds/kubernetes/node-health.js";
import { CLUSTER_AUTOSCALER_RELEASES } from "../lib/clouds/aws/eks/autoscaler-version.js";

/** Why a container image reference is not pinned, or undefined when it is. */
export function unpinned(ref: string): string | undefined {
  if (/@sha256:[0-9a-f]{64}$/.test(ref)) return undefined;
  if (ref.includes("@")) return "has a malformed digest";
  // The tag follows the last ':' of the last path segment (a registry's ':port' is in an earlier segment).
  const last = ref.slice(ref.lastIndexOf("/") + 1);
  const colon = last.lastIndexOf(":");
  if (colon < 0) return "has no tag or digest";
  const tag = last.slice(colon + 1);
  if (tag === "") return "has an empty tag";
  if (tag === "latest") return "is :latest";
  return undefined;
}

/** Every image reference in a value: `image` strings, and NicClusterPolicy-style `{ repository, image, version }`. */
function imagesIn(value: unknown, at: string, out: { at: string; ref: string }[]): void {
  if (Array.isArray(value)) return value.forEach((v, i) => imagesIn(v, `${at}[${i}]`, out));
  if (typeof value !== "object" || value === null) return;
  const o = value as Record<string, unknown>;
  if (typeof o.image === "string") {
    const split = typeof o.repository === "string";
    // A split reference is pinned by its version (or tag) field, a tag or a `sha256:` digest.
    const version = o.version ?? o.tag;
    out.push({ at: `${at}.image`, ref: split ? splitRef({ repository: String(o.repository), image: o.image, version: typeof version === "string" ? version : undefined }) : o.image });
  }
  for (const [k, v] of Object.entries(o)) if (k !== "image") imagesIn(v, `${at}.${k}`, out);
}

/** The images of every Kubernetes object a run compiled (containers, init containers, sidecars, custom resources). */
function compiledImages(result: OfflineRun): { at: string; ref: string }[] {
  const out: { at: string; ref: string }[] = [];
  for (const r of result.resources.filter((r) => r.type.startsWith("kubernetes:"))) imagesIn(r.inputs, `${r.type} ${r.name}`, out);
  return out;
}

/** Whether a reference names its content by digest (whatever tag it also carries for readers). */
const digestPinned = (ref: string) => /@sha256:[0-9a-f]{64}$/.test(ref);

/**
 * A NicClusterPolicy-style split image as the reference the operator pulls (before the OS suffix it adds to the
 * driver): a `sha256:` version is a digest (`repo/image@sha256:…`), anything else a tag, as the Network Operator renders
 * it (Mellanox/network-operator pkg/render/render.go imagePath, tag v25.10.0).
 */
function splitRef(i: { repository: string; image: string; version?: string }): string {
  if (i.version === undefined) return `${i.repository}/${i.image}`;
  return `${i.repository}/${i.image}${i.version.startsWith("sha256:") ? "@" : ":"}${i.version}`;
}

/** The Cluster Autoscaler chart's image repository (kubernetes/autoscaler charts/cluster-autoscaler values.yaml); we set only its tag. */
const CLUSTER_AUTOSCALER_REPOSITORY = "registry.k8s.io/autoscaling/cluster-autoscaler";

/** Every image the library chooses: defaults, and the images of the privileged DaemonSets, Jobs and sidecars it runs. */
const LIBRARY_IMAGES: Record<string, string> = {
  ...Object.fromEntries(Object.entries(GOOGLE_IMAGES).map(([k, v]) => [`GOOGLE_IMAGES.${k}`, v])),
  ...Object.fromEntries(Object.entries(GKE_SIDECAR_IMAGES).map(([k, v]) => [`GKE_SIDECAR_IMAGES.${k}`, v])),
  ...Object.fromEntries(Object.entries(VM_FABRIC_IMAGES).map(([k, v]) => [`VM_FABRIC_IMAGES.${k}`, v])),
  ...Object.fromEntries(Object.entries(NIC_POLICY_IMAGES).map(([k, v]) => [`NIC_POLICY_IMAGES.${k}`, splitRef(v)])),
  ...Object.fromEntries(Object.entries(AZURE_LUSTRE_CSI_IMAGES).map(([k, v]) => [`AZURE_LUSTRE_CSI_IMAGES.${k}`, v])),
  GKE_DEFAULT_TRAINING_IMAGE,
  AKS_DEFAULT_TRAINING_IMAGE,
  EKS_DEFAULT_TRAINING_IMAGE,
  COREWEAVE_DEFAULT_TRAINING_IMAGE,
  DEFAULT_ACCEPTANCE_IMAGE,
  EKS_ALL_REDUCE_IMAGE,
  GB200_ALL_REDUCE_IMAGE,
  B300_ALL_REDUCE_IMAGE,
  DEFAULT_INFERENCE_IMAGE,
  NODE_HEALTH_IMAGE,
  ...Object.fromEntries(Object.entries(CLUSTER_AUTOSCALER_RELEASES).map(([k8s, r]) => [`CLUSTER_AUTOSCALER_RELEASES.${k8s}`, `${CLUSTER_AUTOSCALER_REPOSITORY}:${r.tag}`])),
};

/** The allow-list as it stands: adding an image without a digest means changing this line too, on purpose. */
const EXPECTED_UNDIGESTED = [
  "us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpx/nccl-plugin-gpudirecttcpx-dev:v3.1.9",
  "us-docker.pkg.dev/gce-ai-infra/gpudirect-gib/nccl-plugin-gib:v1.1.1",
  "us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpx/tcpgpudmarxd-dev:v2.0.12",
  "us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpx/nccl-plugin-gpudirecttcpx-dev:v3.1.9-2.19.4-12.0",
  "us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpxo/nccl-plugin-gpudirecttcpx-dev:v1.0.17",
  "us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpxo/tcpgpudmarxd-dev:v1.0.23",
  "nvcr.io/nvidia/pytorch:25.01-py3",
  "public.ecr.aws/deep-learning-containers/pytorch-training:2.8.0-gpu-py312-cu129-ubuntu22.04-ec2-v1.0",
  "ghcr.io/coreweave/ml-containers/torch:8a60b2d-nccl-cuda12.9.1-ubuntu22.04-nccl2.28.3-1-torch2.8.0-vision0.23.0-audio2.8.0-abi1",
  "ghcr.io/coreweave/ml-containers/torch:bc8c66e-nccl-cuda13.2.1-ubuntu24.04-nccl2.30.4-1-torch2.11.0-vision0.26.0-audio2.11.0-abi1",
  "ghcr.io/coreweave/nccl-tests:12.9.1-devel-ubuntu22.04-nccl2.30.4-1-2eedd7c",
  "public.ecr.aws/hpc-cloud/nccl-tests:cuda12.8.1-efa1.43.2-ofiv1.16.3-ncclv2.27.7-1-testsv2.16.9",
  "nvcr.io/nvidia/mellanox/doca-driver:doca3.2.0-25.10-1.2.8.0-2",
  "registry.k8s.io/autoscaling/cluster-autoscaler:v1.32.7",
  "registry.k8s.io/autoscaling/cluster-autoscaler:v1.33.6",
  "registry.k8s.io/autoscaling/cluster-autoscaler:v1.34.5",
  "registry.k8s.io/autoscaling/cluster-autoscaler:v1.35.2",
  "registry.k8s.io/autoscaling/cluster-autoscaler:v1.36.1",
  "mcr.microsoft.com/oss/kubernetes-csi/livenessprobe:v2.15.0",
  "mcr.microsoft.com/oss/kubernetes-csi/csi-node-driver-registrar:v2.13.0",
  "mcr.microsoft.com/oss/v2/kubernetes-csi/azurelustre-csi:v0.4.0-jammy",
  "mcr.microsoft.com/oss/v2/kubernetes-csi/azurelustre-csi:v0.4.0-noble",
];

/** Why an image the library chooses is not pinned well enough: neither a digest nor on the documented list. */
function undigested(ref: string): string | undefined {
  if (digestPinned(ref) || ref in UNDIGESTED_IMAGES) return unpinned(ref);
  return "has no digest and is not in UNDIGESTED_IMAGES";
}

/** A program that runs only the library's own images (no `image` given): each is digest-pinned or on the list. */
function expectLibraryPinned(result: OfflineRun, label: string): void {
  expectPinned(result, label);
  const bad = compiledImages(result).map(({ at, ref }) => ({ at, ref, why: undigested(ref) })).filter((i) => i.why !== undefined);
  expect(bad, label).toEqual([]);
}

function expectPinned(result: OfflineRun, label: string): void {
  expect(result.error, label).toBeUndefined();
  const images = compiledImages(result);
  // A program with Kubernetes objects runs containers: make sure the walk found them.
  if (result.resources.some((r) => r.type === "kubernetes:batch/v1:Job" || r.type === "kubernetes:apps/v1:Deployment")) expect(images.length, label).toBeGreaterThan(0);
  const bad = images.map(({ at, ref }) => ({ at, ref, why: unpinned(ref) })).filter((i) => i.why !== undefined);
  expect(bad, label).toEqual([]);
}

const EXAMPLES = path.resolve(__dirname, "..", "examples");
const projects = fs.readdirSync(EXAMPLES).filter((name) => fs.existsSync(path.join(EXAMPLES, name, "Pulumi.yaml")));

const gke = (name: string, instanceType: string, extra: Record<string, unknown> = {}) => () =>
  new gpu.TrainingCluster(name, privateEndpoint({
    cloud: "gcp",
    region: "us-central1",
    orchestrator: "kubernetes",
    gpu: { instanceType, nodes: 2 },
    gcp: { gke: { acceptanceTest: true, kueue: true } },
    ...extra,
  } as gpu.TrainingClusterArgs));

describe("images pinned", () => {
  it("the check itself: no tag, :latest and a registry port without a tag are refused; tags and digests pass", () => {
    expect(unpinned("ubuntu")).toBe("has no tag or digest");
    expect(unpinned("alpine:latest")).toBe("is :latest");
    expect(unpinned("us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpx/nccl-plugin-gpudirecttcpx:latest")).toBe("is :latest");
    expect(unpinned("ghcr.io/azure/aks-rdma-infiniband/nccl-tests:latest")).toBe("is :latest");
    expect(unpinned("localhost:5000/trainer")).toBe("has no tag or digest");
    expect(unpinned("ubuntu:22.04")).toBeUndefined();
    expect(unpinned("gke.gcr.io/pause:3.8@sha256:880e63f94b145e46f1b1082bb71b85e21f16b99b180b9996407d61240ceb9830")).toBeUndefined();
    expect(unpinned("gcr.io/gke-release/nri-device-injector@sha256:6e79483d52abdc28454bf186320b10a56b0f117a10e8d65d5c74dbb821a76970")).toBeUndefined();
  });

  it.each(projects)("example %s runs only pinned images", async (name) => {
    const result = await runOffline(async () => {
      await import(`../examples/${name}/index.ts`);
    }, { config: EXAMPLE_CONFIG });
    expectPinned(result, name);
  });

  it.each([
    ["TCPX (A3 High)", "a3-highgpu-8g", {}],
    ["TCPXO (A3 Mega)", "a3-megagpu-8g", {}],
    ["RDMA (A3 Ultra)", "a3-ultragpu-8g", { reservationId: "r", zone: "us-central1-b" }],
  ] as const)("GKE %s: Google's DaemonSets, the datapath sidecar, the acceptance test and the defaults are pinned", async (_label, instanceType, extra) => {
    const result = await run(gke("pin", instanceType, extra));
    expectLibraryPinned(result, instanceType);
    // The privileged DaemonSets are there to be checked.
    expect(result.resources.filter((r) => r.type === "kubernetes:apps/v1:DaemonSet").length).toBeGreaterThan(0);
  });

  it("AKS training (InfiniBand: Network Operator, NicClusterPolicy, GPU Operator) and inference are pinned", async () => {
    // With Managed Lustre: the Azure Lustre CSI driver's node DaemonSets too.
    const training = await run(() => new gpu.TrainingCluster("ib", privateEndpoint({ cloud: "azure", region: "eastus", orchestrator: "kubernetes", zone: "1", gpu: { instanceType: "Standard_ND96isr_H100_v5", nodes: 2 }, storage: [{ kind: "lustre", capacityTiB: 16, mountPath: "/lustre", contractUsdPerGiBMonth: 0.2 }], azure: { aks: { acceptanceTest: true } } } as gpu.TrainingClusterArgs)));
    expectLibraryPinned(training, "aks training");
    const policy = training.resources.find((r) => r.type.endsWith("NicClusterPolicy"));
    expect(compiledImages({ ...training, resources: policy ? [policy] : [] }).map((i) => i.ref)).toEqual([
      "nvcr.io/nvidia/mellanox/doca-driver:doca3.2.0-25.10-1.2.8.0-2",
      "nvcr.io/nvidia/mellanox/k8s-rdma-shared-dev-plugin@sha256:78f01edc4cc6f5f1282b5e4bf0a0d0291ee97c1bdb372616daa5367e1070269e",
    ]);
    const fleet = await run(() => new gpu.InferenceFleet("srv", privateEndpoint({ cloud: "azure", region: "eastus", orchestrator: "kubernetes", gpu: { model: "A100-80GB" }, replicas: { min: 1, max: 2 } } as gpu.InferenceFleetArgs)));
    expectLibraryPinned(fleet, "aks inference");
  });

  it("EKS and CoreWeave defaults (training, inference) are digest-pinned or on the list", async () => {
    const eks = await run(() => new gpu.TrainingCluster("eks", privateEndpoint({ cloud: "aws", region: "us-east-1", orchestrator: "kubernetes", gpu: { instanceType: "p5.48xlarge", nodes: 2 } } as gpu.TrainingClusterArgs)));
    expectLibraryPinned(eks, "eks training");
    // The EKS fleet's Cluster Autoscaler: the chart's repository at the tag we set, which must be one the list holds.
    const eksFleet = await run(() => new gpu.InferenceFleet("eksf", privateEndpoint({ cloud: "aws", region: "us-east-1", orchestrator: "kubernetes", gpu: { model: "L4" }, replicas: { min: 1, max: 2 } } as gpu.InferenceFleetArgs)));
    expectLibraryPinned(eksFleet, "eks inference");
    const autoscaler = eksFleet.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "cluster-autoscaler");
    const values = autoscaler?.inputs.values as { image?: { repository?: string; tag?: string } } | undefined;
    expect(values?.image?.repository).toBeUndefined();
    const autoscalerRef = `${CLUSTER_AUTOSCALER_REPOSITORY}:${values?.image?.tag}`;
    expect(autoscalerRef).toBe("registry.k8s.io/autoscaling/cluster-autoscaler:v1.35.2");
    expect(undigested(autoscalerRef)).toBeUndefined();
    const cw = await run(() => new gpu.TrainingCluster("cw", { cloud: "coreweave", region: "US-EAST-04", gpu: { instanceType: "gd-8xh100ib-i128", nodes: 2 } } as gpu.TrainingClusterArgs));
    expectLibraryPinned(cw, "coreweave training");
    const cwFleet = await run(() => new gpu.InferenceFleet("cws", { cloud: "coreweave", region: "US-EAST-04", gpu: { model: "L40S" }, replicas: { min: 1, max: 2 } } as gpu.InferenceFleetArgs));
    expectLibraryPinned(cwFleet, "coreweave inference");
    expect(compiledImages(cwFleet).map((i) => i.ref)).toContain(DEFAULT_INFERENCE_IMAGE);
  });
});

/**
 * The all-reduce image each CoreWeave fabric type runs, in the fabric check and in the default training Job, with what
 * decides it (lib/clouds/kubernetes/options.ts, read 2026-12-01):
 * - B200 and GB200: CoreWeave's PyTorch on NCCL 2.28.3 / CUDA 12.9.1, the NCCL and CUDA of coreweave/nccl-tests'
 *   B200 and GB200 manifests @cb86553 (2026-05-27); its kernels are sm_100a cubins (ml-containers torch/Dockerfile @8a60b2d).
 * - B300 (compute capability 10.3): that build has no kernel for 10.3; ml-containers bc8c66e (2026-04-24) adds sm_103a
 *   cubins, and its vllm-tensorizer/Dockerfile @71a115d (2026-08-05) runs this tag.
 * - H100: NGC PyTorch 25.01, its cloud's image.
 */
describe("CoreWeave: the all-reduce image per instance type", () => {
  const cw = (name: string, instanceType: string, nodes: number, region: string, pricing?: "spot") => () =>
    new gpu.TrainingCluster(name, { cloud: "coreweave", region, gpu: { instanceType, nodes }, ...(pricing ? { pricing } : {}) } as gpu.TrainingClusterArgs);
  it.each([
    ["gd-8xh100ib-i128", 2, "US-EAST-04", undefined, "nvcr.io/nvidia/pytorch:25.01-py3"],
    ["b200-8x", 2, "US-EAST-13", undefined, "ghcr.io/coreweave/ml-containers/torch:8a60b2d-nccl-cuda12.9.1-ubuntu22.04-nccl2.28.3-1-torch2.8.0-vision0.23.0-audio2.8.0-abi1"],
    ["b300-8x", 2, "US-EAST-13", "spot", "ghcr.io/coreweave/ml-containers/torch:bc8c66e-nccl-cuda13.2.1-ubuntu24.04-nccl2.30.4-1-torch2.11.0-vision0.26.0-audio2.11.0-abi1"],
    ["gb200-4x", 18, "US-EAST-01", undefined, "ghcr.io/coreweave/ml-containers/torch:8a60b2d-nccl-cuda12.9.1-ubuntu22.04-nccl2.28.3-1-torch2.8.0-vision0.23.0-audio2.8.0-abi1"],
  ] as const)("%s: the check and the training Job run the type's all-reduce image", async (instanceType, nodes, region, pricing, image) => {
    const result = await run(cw("img", instanceType, nodes, region, pricing));
    expect(result.error).toBeUndefined();
    const jobs = result.resources.filter((r) => r.type === "kubernetes:batch/v1:Job");
    const imageOf = (name: string) => jobs.find((j) => j.name === name)?.inputs.spec.template.spec.containers[0].image;
    expect(imageOf("img-nccl-check")).toBe(image);
    expect(imageOf("img-job")).toBe(image);
  });
});

describe("the library's own images: digest, or a documented entry of UNDIGESTED_IMAGES", () => {
  it("every default and privileged image is pinned by digest or listed, and the list holds nothing else", () => {
    const bad = Object.entries(LIBRARY_IMAGES).map(([name, ref]) => ({ name, ref, why: undigested(ref) })).filter((i) => i.why !== undefined);
    expect(bad).toEqual([]);
    // No stale entry: each one is an image the library still chooses.
    const chosen = new Set(Object.values(LIBRARY_IMAGES));
    expect(Object.keys(UNDIGESTED_IMAGES).filter((ref) => !chosen.has(ref))).toEqual([]);
    // The images pinned by digest, with the tag kept for readers where the source gives one. Each digest is the one its
    // source writes for that tag (read 2026-11-30): container-engine-accelerators nri_device_injector/nri-device-injector.yaml
    // @3491157a and gpudirect-tcpx/nccl-tcpx-installer.yaml @22f1e653 (injector, pause); NVIDIA/aicr's gke-nccl-tcpxo
    // image inventory (docs/user/container-images.md) and kubeflow-trainer TCPXO runtime @3c2108c7 (TCPXO installer v1.0.15,
    // RxDM v1.0.21); docker-library/repo-info repos/ubuntu/remote/22.04.md @01470af9 (the ubuntu:22.04 OCI index of the
    // 2026-07-31 build); NVIDIA/gpu-operator bundle/manifests/gpu-operator-certified.clusterserviceversion.yaml @a22dbf671
    // (2026-08-21) for DCGM (lib/clouds/kubernetes/node-health.ts); tinfoilsh/vllm-openai-audio Dockerfile @074bce26
    // (2025-11-18) for vLLM v0.11.0; Mellanox/network-operator's v25.10.0 OCP bundle @cd378988 (2025-12-11) for the
    // RDMA shared device plugin network-operator-v25.10.0.
    expect(Object.values(LIBRARY_IMAGES).filter(digestPinned)).toEqual([
      "gcr.io/gke-release/nri-device-injector@sha256:6e79483d52abdc28454bf186320b10a56b0f117a10e8d65d5c74dbb821a76970",
      "us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpxo/nccl-plugin-gpudirecttcpx-dev:v1.0.15@sha256:4c9f0de3f39455a2ea35e844e0fc92564ca5629f6b03250fde40e8160719dae4",
      "gke.gcr.io/pause:3.8@sha256:880e63f94b145e46f1b1082bb71b85e21f16b99b180b9996407d61240ceb9830",
      "ubuntu:22.04@sha256:3b06811b2afd352be909dd088a004166d665dc76d38b13eada33522a9d915c6f",
      "us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpxo/tcpgpudmarxd-dev:v1.0.21@sha256:8d9e10fd589a34ab8a0aa64f7e70ad075c8f1c69bea176350f8d211367697e3d",
      "nvcr.io/nvidia/mellanox/k8s-rdma-shared-dev-plugin@sha256:78f01edc4cc6f5f1282b5e4bf0a0d0291ee97c1bdb372616daa5367e1070269e",
      "vllm/vllm-openai:v0.11.0@sha256:014a95f21c9edf6abe0aea6b07353f96baa4ec291c427bb1176dc7c93a85845c",
      "nvcr.io/nvidia/cloud-native/dcgm:4.6.0-1-ubi10@sha256:92080d86d04c265f7fc0b8e1cd95dff94d3ab57de6a6474c3c483e4c2ada5dea",
    ]);
  });

  it("the allow-list is printed and cannot grow unnoticed: its exact contents, each with a reason", () => {
    console.log(`UNDIGESTED_IMAGES (${Object.keys(UNDIGESTED_IMAGES).length}):\n${Object.entries(UNDIGESTED_IMAGES).map(([ref, why]) => `  ${ref}: ${why}`).join("\n")}`);
    expect(Object.keys(UNDIGESTED_IMAGES)).toEqual(EXPECTED_UNDIGESTED);
    for (const [ref, why] of Object.entries(UNDIGESTED_IMAGES)) {
      // A listed image is still version-tagged (never latest, never untagged), and says why it has no digest.
      expect(unpinned(ref), ref).toBeUndefined();
      expect(why.length, ref).toBeGreaterThan(20);
    }
  });
});
