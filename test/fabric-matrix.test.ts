/**
 * The fabric matrix: every fabric instance type of the catalog x {vm, kubernetes} (where the cloud offers both; CoreWeave
 * is Kubernetes only), checked against a table of facts, each with the manifest or doc it comes from:
 * - node side: fabric NICs (and AWS's interface layout), MTU, placement;
 * - software installed: the cluster add-ons (Kubernetes) or the image and boot script (VMs);
 * - pod side (Kubernetes): device requests, mounts, annotations;
 * - the NCCL environment;
 * and, per cloud, platform and fabric, whether the fabric gate runs at `up`.
 * A type in the catalog without a row fails, so a new instance type cannot land half-wired.
 *
 * Where today's code differs from what the anchor says, the fact is a `todo` naming the issue: the test then checks
 * that the code still differs (so a fix flips it to a plain fact, and the row cannot go stale), and never asserts the
 * wrong value as right.
 *
 * Sources (read 2026-11-30; commit and commit date of the file where it is a repository):
 * - AWS_EFA_TYPES: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/efa-acc-inst-types.html (EFA interfaces per
 *   type = network cards; on a multi-card type the primary interface is ENA, and every additional network card takes
 *   an EFA-only interface: so card 0 keeps its ENA+EFA interface and cards 1+ are `efa-only`, on every multi-card EFA
 *   type, p4d and g6e.48xlarge included). TF_EKS: terraform-aws-modules/terraform-aws-eks
 *   modules/eks-managed-node-group/main.tf @bef29c4d (2026-04-27) builds the same layout (card 0 `efa`, device index
 *   0; cards 1+ `efa-only`, device index 1), the device indexes asserted here; the EC2 guide's example uses device
 *   index 0 for the efa-only interface of an additional card, which the code does not follow. PCLUSTER_B300:
 *   aws/aws-parallelcluster issue #7143 (2025-12-06) quotes AWS engineering on P6-B300: 17 network cards, card 0 ENA
 *   only, cards 1-16 EFA and ENA, launched as card 0 device 0 `interface` and cards 1-16 device 0 `efa-only` (the EC2
 *   guide's layout for a primary card without EFA); ParallelCluster's PR #7210 (merged 2026-01-27) launches it so.
 * - AWSOME_EKS: aws-samples/awsome-distributed-training micro-benchmarks/nccl-tests/kubernetes/nccl-tests.yaml
 *   @7217859f (2026-02-21): `vpc.amazonaws.com/efa` per interface, `hugepages-2Mi: 5120Mi`, FI_PROVIDER=efa.
 * - AWS_OFI_NCCL: github.com/aws/aws-ofi-nccl doc/efa-env-var.md @2daf7d30 (2026-08-21), the plugin's own cheatsheet:
 *   FI_EFA_FORK_SAFE "not needed anymore" (the plugin sets it itself; awsome's manifest above still passes it);
 *   FI_EFA_USE_DEVICE_RDMA=1 "not harmful on p4/p5", and aborts libfabric on devices without RDMA read (g5, g6, g6e:
 *   lib/catalog/data/aws-efa.ts), so it is unset there. src/nccl_ofi_interface_nvidia.cpp: the plugin's network is
 *   named "AWS Libfabric", the NCCL_NET value that makes NCCL fail rather than fall back to sockets.
 * - AWS_PG: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/placement-strategies.html (cluster placement for EFA).
 * - AWS_DLAMI: https://docs.aws.amazon.com/dlami/latest/devguide/appendix-ami-release-notes.html (Base OSS Nvidia
 *   Driver GPU AMI: EFA installer, NCCL, aws-ofi-nccl).
 * - EKS_EFA: https://github.com/aws/eks-charts/tree/master/stable/aws-efa-k8s-device-plugin (the EFA device plugin
 *   exposing `vpc.amazonaws.com/efa`).
 * - GDRCopy on EKS, not installed: GPU_OPERATOR (NVIDIA/gpu-operator @a22dbf671, 2026-08-21): `gdrcopy.enabled`
 *   (default false) adds an `nvidia-gdrcopy` (gdrdrv) sidecar to the operator's driver DaemonSet, and refuses
 *   precompiled drivers; EKS runs the operator with `driver.enabled: false` since the AMI carries the driver, so there
 *   is no DaemonSet to add it to. EKS_AMI (awslabs/amazon-eks-ami @81fec2e8, 2026-07-23): the AL2023 NVIDIA build
 *   installs the driver's kmods and no gdrdrv (no file of the repository names gdrcopy). No anchor installs gdrdrv on
 *   EKS (awsome-distributed-training @7217859f builds GDRCopy's user library into its images and only checks for the
 *   module; terraform-aws-eks @bef29c4d does not name it). libfabric runs without it (CUDA copies instead).
 * - GCP_GPUDIRECT: https://cloud.google.com/compute/docs/gpus/gpudirect (A3 High: 4 GPU NICs, A3 Mega: 8, MTU 8244)
 *   and https://cloud.google.com/ai-hypercomputer/docs/create/create-vm (A3 Ultra / A4: 8 RDMA NICs, MTU 8896, 2 gVNIC).
 * - CT_A3_VM: GoogleCloudPlatform/cluster-toolkit examples/machine-learning @104708037 (2026-06-25):
 *   a3-highgpu-8g and a3-megagpu-8g (blueprints and nccl-tests/run-nccl-tests.sh): the VM runs the receive-datapath
 *   manager, the dmabuf import helper and the NCCL plugin, and NCCL is told the VM's interface names
 *   (NCCL_GPUDIRECTTCPX_SOCKET_IFNAME=enp6s0,enp12s0,enp134s0,enp140s0 and CTRL_DEV=enp0s12 on A3 High;
 *   NCCL_FASTRAK_IFNAME=enp6s0,...,enp142s0, NCCL_FASTRAK_CTRL_DEV=enp0s12 and /dev/aperture_devices on A3 Mega).
 *   CT_GIB_VM: a4-highgpu-8g/a4high-vm.yaml: the `nccl-gib` apt package (held), /usr/local/gib/lib64 registered in
 *   /etc/ld.so.conf.d/000_nccl-gib.conf, and the gIB settings in /etc/environment (NCCL_IB_GID_INDEX=3,
 *   NCCL_TUNER_CONFIG_PATH=/usr/local/gib/configs/tuner_config.txtpb); its LD_LIBRARY_PATH line is left out here,
 *   since /etc/environment cannot prepend and the linker configuration already finds the plugin.
 * - CEA: GoogleCloudPlatform/container-engine-accelerators @992db812 (2026-06-11) gpudirect-tcpx, gpudirect-tcpxo and
 *   gpudirect-rdma installers and test manifests (NRI device injector, installer DaemonSets, pod annotations, the
 *   RxDM sidecar, /usr/local/nvidia/lib64 and /dev/aperture_devices mounts, nccl-env-profile.sh / set_nccl_env.sh).
 * - GKE_COMPACT: https://cloud.google.com/kubernetes-engine/docs/how-to/compact-placement (COMPACT node pools).
 * - AZ_HPC: Azure/azhpc-images components/customizations/ndv4.sh and ndv5.sh @8e9d055f (2026-07-29): the HPC image
 *   (microsoft-dsvm ubuntu-hpc) writes NCCL_TOPO_FILE=/opt/microsoft/ndv{4,5}/topo.xml and NCCL_IGNORE_CPU_AFFINITY=1
 *   into /etc/nccl.conf.
 * - AKS_RDMA: Azure/aks-rdma-infiniband @700dabb (2026-07-16): Network Operator + NicClusterPolicy (DOCA driver, RDMA
 *   shared device plugin), `rdma/ib`, IPC_LOCK; tests/scenarios/k8s/templates/mpi-job.yaml mounts the ND topology at
 *   /opt/nvidia-topology and sets NCCL_TOPO_FILE=/opt/nvidia-topology/topo.xml.
 * - AZ_SIZES: https://learn.microsoft.com/azure/virtual-machines/sizes/gpu-accelerated/nd-family (8 InfiniBand HCAs per
 *   ND96 size; InfiniBand within one scale set placement group).
 * - CW_NCCL: coreweave/nccl-tests mpi-operator/nccl-test-distributed-h100-64-mpijob.yaml and
 *   ...-gb200-nvl72-mpijob.yaml @cb86553 (2026-05-27): `rdma/ib: 1`, NCCL_SOCKET_IFNAME=eth0, NCCL_IB_HCA=ibp,
 *   NCCL_NET_PLUGIN=none (NCCL_NET=IB is the library's guard, NCCL_ENV);
 *   https://docs.coreweave.com (CKS Nodes ship the InfiniBand stack and device plugin; nothing to install).
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { catalog, CLOUDS, planCluster } from "gpu-cluster";
import type { Cloud, FabricKind, InstanceFacts } from "../lib/catalog/types.js";
import { nodeInterfaces } from "../lib/clouds/aws/launch-template.js";
import { fabricSides, type Platform } from "../lib/fabric/index.js";
import type { Plan } from "../lib/planner/types.js";
import type { OfflineRun } from "../lib/preview/offline.js";
import { ofType, privateEndpoint, run } from "./helpers/offline.js";
import { DEFAULT_AMI_SSM_PARAMETER } from "../lib/clouds/aws/options.js";

/** A fact and its source, or a known gap: what the anchor says, and the issue that tracks it. */
type Fact<T> = { is: T; source: string } | { todo: string; anchor: T; source: string };

const is = <T>(value: T, source: string): Fact<T> => ({ is: value, source });

/** One row: what a node and a pod of this type get on this platform. */
interface Row {
  nics: Fact<number>;
  /** AWS: each interface as `<card>/<device index>/<type>`, card 0 first. */
  interfaces?: Fact<string[]>;
  mtu: Fact<number | undefined>;
  placement: Fact<Plan["placement"]["strategy"]>;
  /** Add-ons the component installs, or what the VM image / boot script brings (markers, see `softwareOf`). */
  software: Fact<string[]>;
  /** Markers that must not be installed (looked for along with `software`, expected absent). */
  notInstalled?: string[];
  /** Kubernetes: the pod's extended resources, volume mount paths and annotation keys. */
  pod?: { resources: Fact<Record<string, string>>; mounts: Fact<string[]>; annotations: Fact<string[]> };
  /** NCCL environment entries (null: must be absent). Only the keys named are checked. */
  env: Fact<Record<string, string | null>>;
}

const GATE = "lib/clouds/shared/fabric-gate.ts (issue 14: a shortfall fails at up, on every path)";

/**
 * The fabric gate runs at `up` on every path: the check Job on Kubernetes; on VMs the scale set's extension (Azure),
 * the State Manager association that starts the check (AWS, lib/clouds/aws/fabric-gate.ts) and the template's guest
 * attributes the check publishes in (GCP, lib/clouds/gcp/fabric-gate.ts).
 */
function gateFact(_cloud: Cloud, _platform: Platform): Fact<boolean> {
  return is(true, GATE);
}

// ---------------------------------------------------------------- facts

const AWS_EFA_TYPES = "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/efa-acc-inst-types.html (read 2026-11-30)";
const TF_EKS = "terraform-aws-modules/terraform-aws-eks modules/eks-managed-node-group/main.tf @bef29c4d (2026-04-27)";
const PCLUSTER_B300 =
  "https://github.com/aws/aws-parallelcluster/issues/7143 (2025-12-06, AWS engineering: P6-B300 card 0 ENA only; NetworkCardIndex=0 DeviceIndex=0 InterfaceType=interface, NetworkCardIndex 1..16 DeviceIndex=0 InterfaceType=efa-only), pull/7210 (merged 2026-01-27)";
const AWSOME_EKS = "aws-samples/awsome-distributed-training micro-benchmarks/nccl-tests/kubernetes/nccl-tests.yaml @7217859f (2026-02-21)";
const AWS_OFI_NCCL = "aws/aws-ofi-nccl doc/efa-env-var.md and src/nccl_ofi_interface_nvidia.cpp @2daf7d30 (2026-08-21)";
const AWS_PG = "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/placement-strategies.html (read 2026-11-30)";
const AWS_DLAMI = "https://docs.aws.amazon.com/dlami/latest/devguide/appendix-ami-release-notes.html (Base OSS Nvidia Driver GPU AMI, read 2026-11-30)";
const EKS_EFA = "https://github.com/aws/eks-charts/tree/master/stable/aws-efa-k8s-device-plugin (read 2026-11-30)";
const GPU_OPERATOR = "NVIDIA/gpu-operator deployments/gpu-operator/values.yaml and controllers/object_controls.go transformGDRCopyContainer @a22dbf671 (2026-08-21)";
const EKS_AMI = "awslabs/amazon-eks-ami templates/al2023/provisioners/install-nvidia-driver.sh @81fec2e8 (2026-07-23)";
const GCP_GPUDIRECT = "https://cloud.google.com/compute/docs/gpus/gpudirect and https://cloud.google.com/ai-hypercomputer/docs/create/create-vm (read 2026-11-30)";
const CT_A3_VM = "GoogleCloudPlatform/cluster-toolkit examples/machine-learning a3-highgpu-8g / a3-megagpu-8g blueprints and nccl-tests/run-nccl-tests.sh @104708037 (2026-06-25)";
const CT_GIB_VM = "GoogleCloudPlatform/cluster-toolkit examples/machine-learning/a4-highgpu-8g/a4high-vm.yaml @104708037 (2026-06-25)";
const CEA = "GoogleCloudPlatform/container-engine-accelerators gpudirect-tcpx, gpudirect-tcpxo, gpudirect-rdma @992db812 (2026-06-11)";
const GKE_COMPACT = "https://cloud.google.com/kubernetes-engine/docs/how-to/compact-placement (read 2026-11-30)";
const AZ_HPC = "Azure/azhpc-images components/customizations/ndv4.sh, ndv5.sh @8e9d055f (2026-07-29)";
const AKS_RDMA = "Azure/aks-rdma-infiniband @700dabb (2026-07-16): NicClusterPolicy, tests/scenarios/k8s/templates/mpi-job.yaml";
const AZ_ND_TUNING =
  "Azure/ai-infrastructure-on-azure infrastructure_validations/slurm/NCCL/configs/hopper.conf @2062dd2 (2026-03-04; P2P chunk 2 MiB) and infrastructure_validations/aks/NCCL/helm/nccl-test/values.yaml @4be143d (2026-04-10; 512 KiB), read 2026-12-01";
const AZ_SIZES = "https://learn.microsoft.com/azure/virtual-machines/sizes/gpu-accelerated/nd-family (read 2026-11-30)";
const CW_NCCL = "coreweave/nccl-tests mpi-operator/nccl-test-distributed-h100-64-mpijob.yaml, -gb200-nvl72-mpijob.yaml @cb86553 (2026-05-27)";
const CW_UCX =
  "UCX_NET_DEVICES ibp0:1..ibp7:1 in coreweave/nccl-tests mpi-operator h100-64, b200-64, b300-64 (ibp0:1..ibp3:1 in a100-64), UCX_TLS=tcp UCX_NET_DEVICES=eth0 in gb200-nvl72 and gb200-128-multirack @cb86553 (2026-05-27), read 2026-12-01; H200 (no manifest) as H100";
/**
 * GB200's gate and default training image: CoreWeave's PyTorch build on NCCL 2.28.3 (GB200 multi-node NVLink needs NCCL
 * 2.25.2+, NVIDIA's multi-node NVLink tuning guide; the NGC 25.01 default carries 2.25.1).
 */
const CW_GB200_IMAGE = "ghcr.io/coreweave/ml-containers/torch:8a60b2d-nccl-cuda12.9.1-ubuntu22.04-nccl2.28.3-1-torch2.8.0-vision0.23.0-audio2.8.0-abi1";
/** B300's gate and default training image: CoreWeave's PyTorch build with B300 (sm_103a) kernels, CUDA 13.2.1, NCCL 2.30.4. */
const CW_B300_IMAGE = "ghcr.io/coreweave/ml-containers/torch:bc8c66e-nccl-cuda13.2.1-ubuntu24.04-nccl2.30.4-1-torch2.11.0-vision0.26.0-audio2.11.0-abi1";
const CW_B300_TORCH = "coreweave/ml-containers sm_103a kernels on main @1a21fa8 (2026-03-23); vllm-tensorizer/Dockerfile @71a115d (2026-08-05) runs this tag (read 2026-12-01)";
const CW_TORCH = "coreweave/ml-containers .github/configurations/torch-nccl.yml @8a60b2d (2025-10-15), sd-inference/Dockerfile @71a115da; https://docs.nvidia.com/multi-node-nvlink-systems/multi-node-tuning-guide/nccl.html (read 2026-11-30)";
const NCCL_ENV = "https://docs.nvidia.com/deeplearning/nccl/user-guide/docs/env.html#nccl-net (NCCL_NET names the one network NCCL may use, read 2026-11-30)";

/**
 * EFA interfaces per type (one per network card: cards 1+ are efa-only wherever there are any), RDMA read, and whether
 * card 0 carries an EFA (all but P6-B300: 17 cards, card 0 ENA only, cards 1-16 one EFA each, PCLUSTER_B300).
 */
const EFA: Record<string, { nics: number; rdmaRead: boolean; enaOnlyCard0?: true }> = {
  "p4d.24xlarge": { nics: 4, rdmaRead: true },
  "p4de.24xlarge": { nics: 4, rdmaRead: true },
  "p5.48xlarge": { nics: 32, rdmaRead: true },
  "p5e.48xlarge": { nics: 32, rdmaRead: true },
  "p5en.48xlarge": { nics: 16, rdmaRead: true },
  "p6-b200.48xlarge": { nics: 8, rdmaRead: true },
  "p6-b300.48xlarge": { nics: 16, rdmaRead: true, enaOnlyCard0: true },
  "g5.12xlarge": { nics: 1, rdmaRead: false },
  "g5.48xlarge": { nics: 1, rdmaRead: false },
  "g6.12xlarge": { nics: 1, rdmaRead: false },
  "g6e.12xlarge": { nics: 1, rdmaRead: false },
  "g6e.48xlarge": { nics: 4, rdmaRead: false },
};

function awsRow(type: string, platform: Platform): Row {
  const efa = EFA[type]!;
  // Card 0: the primary interface, EFA with its ENA, device index 0. Cards 1+: efa-only at device index 1, as
  // terraform-aws-eks launches it (the EC2 guide's own example puts efa-only at device index 0 of those cards).
  // P6-B300 (card 0 ENA only): card 0 an ordinary ENA `interface` at device 0, cards 1-16 efa-only at device 0, as AWS
  // engineering lays it out (PCLUSTER_B300) and the EC2 guide lays out further cards.
  const layout = efa.enaOnlyCard0
    ? ["0/0/interface", ...Array.from({ length: efa.nics }, (_, i) => `${i + 1}/0/efa-only`)]
    : Array.from({ length: efa.nics }, (_, card) => (card === 0 ? "0/0/efa" : `${card}/1/efa-only`));
  const env = is<Record<string, string | null>>(
    { FI_PROVIDER: "efa", FI_EFA_USE_DEVICE_RDMA: efa.rdmaRead ? "1" : null, FI_EFA_FORK_SAFE: null, NCCL_NET: "AWS Libfabric" },
    `${AWS_OFI_NCCL}; ${AWSOME_EKS}`,
  );
  return {
    nics: is(efa.nics, AWS_EFA_TYPES),
    interfaces: is(layout, efa.enaOnlyCard0 ? `${AWS_EFA_TYPES}; ${PCLUSTER_B300}` : `${AWS_EFA_TYPES}; ${TF_EKS}`),
    mtu: is(undefined, AWS_EFA_TYPES),
    placement: is("cluster", AWS_PG),
    software:
      platform === "vm"
        ? is(["image:/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id", "resource:aws:ec2/placementGroup:PlacementGroup"], AWS_DLAMI)
        : is(["release:efa-device-plugin", "release:gpu-operator"], `${EKS_EFA}; ${GPU_OPERATOR}; ${EKS_AMI}`),
    // No GDRCopy on EKS: the GPU Operator's gdrcopy is a gdrdrv sidecar of its driver DaemonSet, which EKS runs without
    // (driver.enabled: false, the AMI brings the driver), and the AL2023 NVIDIA AMI builds no gdrdrv module.
    ...(platform === "kubernetes" ? { notInstalled: ["gdrcopy"] } : {}),
    ...(platform === "kubernetes"
      ? { pod: { resources: is({ "vpc.amazonaws.com/efa": String(efa.nics), "hugepages-2Mi": "5120Mi" }, AWSOME_EKS), mounts: is([], AWSOME_EKS), annotations: is([], AWSOME_EKS) } }
      : {}),
    env,
  };
}

const GCP: Record<string, { kind: FabricKind; nics: number; mtu: number }> = {
  "a3-highgpu-8g": { kind: "gpudirect-tcpx", nics: 4, mtu: 8244 },
  "a3-megagpu-8g": { kind: "gpudirect-tcpxo", nics: 8, mtu: 8244 },
  "a3-ultragpu-8g": { kind: "rdma", nics: 8, mtu: 8896 },
  "a4-highgpu-8g": { kind: "rdma", nics: 8, mtu: 8896 },
};

const GKE_INSTALLER: Partial<Record<FabricKind, string>> = {
  "gpudirect-tcpx": "daemonset:nccl-tcpx-installer",
  "gpudirect-tcpxo": "daemonset:nccl-tcpxo-installer",
  rdma: "daemonset:nccl-rdma-installer",
};

/**
 * What Google's VM blueprints install at boot, per fabric (markers looked for in the startup script). A3 High (TCPX)
 * runs no dmabuf import helper: slurm-gcp's tools/prologs-epilogs/receive-data-path-manager @13fd92b6 (2026-08-06),
 * which cluster-toolkit's A3 High blueprint runs, starts the plugin installer and the RxDM only; the helper belongs to
 * A3 Mega's receive-data-path-manager-mega.
 */
const GCP_VM_SOFTWARE: Partial<Record<FabricKind, string[]>> = {
  "gpudirect-tcpx": ["bootstrap:tcpgpudmarxd", "bootstrap:nccl-plugin-gpudirecttcpx"],
  "gpudirect-tcpxo": ["bootstrap:tcpgpudmarxd", "bootstrap:nccl-plugin-gpudirecttcpx", "bootstrap:dmabuf"],
  rdma: ["bootstrap:nccl-gib", "bootstrap:/etc/ld.so.conf.d/000_nccl-gib.conf"],
};

function gcpRow(type: string, platform: Platform): Row {
  const g = GCP[type]!;
  const gke = platform === "kubernetes";
  const networks = gke ? ["networking.gke.io/default-interface", "networking.gke.io/interfaces"] : [];
  const pod: Record<FabricKind, Row["pod"]> = {
    "gpudirect-tcpx": {
      resources: is({}, CEA),
      // The receive-datapath socket directory: the anchor mounts it at /tmp with the matching
      // NCCL_GPUDIRECTTCPX_UNIX_CLIENT_PREFIX; here /run/tcpx, prefix /run/tcpx.
      mounts: is(["/usr/local/nvidia/lib64", "/run/tcpx"], CEA),
      annotations: is([...networks, "devices.gke.io/container.tcpx-daemon"], CEA),
    },
    "gpudirect-tcpxo": {
      resources: is({}, CEA),
      mounts: is(["/usr/local/nvidia/lib64", "/dev/aperture_devices"], CEA),
      annotations: is([...networks, "devices.gke.io/container.tcpxo-daemon"], CEA),
    },
    rdma: { resources: is({}, CEA), mounts: is(["/usr/local/nvidia", "/usr/local/gib"], CEA), annotations: is(networks, CEA) },
    efa: undefined,
    infiniband: undefined,
    none: undefined,
  };
  const env: Fact<Record<string, string | null>> = gke
    ? g.kind === "gpudirect-tcpx"
      ? is<Record<string, string | null>>(
          // NCCL_NET: the library's guard (Google's nccl-config.yaml leaves it unset), as on VMs (NCCL_ENV).
          { NCCL_NET: "GPUDirectTCPX_v7", NCCL_GPUDIRECTTCPX_SOCKET_IFNAME: "eth1,eth2,eth3,eth4", NCCL_GPUDIRECTTCPX_CTRL_DEV: "eth0" },
          `${CEA}; ${NCCL_ENV}`,
        )
      : g.kind === "gpudirect-tcpxo"
        ? is<Record<string, string | null>>({ NCCL_FASTRAK_LLCM_DEVICE_DIRECTORY: "/dev/aperture_devices" }, CEA)
        : is<Record<string, string | null>>({ LD_LIBRARY_PATH: "/usr/local/nvidia/lib64" }, CEA)
    : g.kind === "rdma"
      ? is<Record<string, string | null>>(
          { LD_LIBRARY_PATH: null, NCCL_IB_GID_INDEX: "3", NCCL_TUNER_CONFIG_PATH: "/usr/local/gib/configs/tuner_config.txtpb" },
          CT_GIB_VM,
        )
      : g.kind === "gpudirect-tcpx"
        ? is<Record<string, string | null>>(
            { NCCL_NET: "GPUDirectTCPX_v7", NCCL_GPUDIRECTTCPX_SOCKET_IFNAME: "enp6s0,enp12s0,enp134s0,enp140s0", NCCL_GPUDIRECTTCPX_CTRL_DEV: "enp0s12" },
            CT_A3_VM,
          )
        : is<Record<string, string | null>>(
            {
              NCCL_FASTRAK_IFNAME: "enp6s0,enp7s0,enp13s0,enp14s0,enp134s0,enp135s0,enp141s0,enp142s0",
              NCCL_FASTRAK_CTRL_DEV: "enp0s12",
              NCCL_FASTRAK_LLCM_DEVICE_DIRECTORY: "/dev/aperture_devices",
            },
            CT_A3_VM,
          );
  return {
    nics: is(g.nics, GCP_GPUDIRECT),
    mtu: is(g.mtu, GCP_GPUDIRECT),
    placement: is("compact", gke ? GKE_COMPACT : GCP_GPUDIRECT),
    software: gke
      ? is(["daemonset:device-injector", GKE_INSTALLER[g.kind]!].filter((m) => g.kind !== "rdma" || m !== "daemonset:device-injector"), CEA)
      : is(GCP_VM_SOFTWARE[g.kind]!, g.kind === "rdma" ? CT_GIB_VM : CT_A3_VM),
    ...(gke ? { pod: pod[g.kind] } : {}),
    env,
  };
}

/** Microsoft's ND v5 NCCL tuning (AZ_ND_TUNING) on ND v5; absent (null) on ND A100 v4, and SHARP never on. */
function ndTuning(v5: boolean): Record<string, string | null> {
  return {
    NCCL_IB_QPS_PER_CONNECTION: v5 ? "4" : null,
    NCCL_MIN_NCHANNELS: v5 ? "32" : null,
    NCCL_PXN_DISABLE: v5 ? "1" : null,
    NCCL_P2P_NET_CHUNKSIZE: v5 ? "2097152" : null,
    NCCL_COLLNET_ENABLE: null,
  };
}

function azureRow(type: string, platform: Platform): Row {
  const v5 = type.endsWith("_v5");
  return {
    nics: is(8, AZ_SIZES),
    mtu: is(undefined, AZ_SIZES),
    placement: is("single-placement-group", AZ_SIZES),
    software:
      platform === "vm"
        ? is(["image:microsoft-dsvm+ubuntu-hpc"], AZ_HPC)
        : is(["release:network-operator", "nicclusterpolicy", "release:gpu-operator"], AKS_RDMA),
    ...(platform === "kubernetes"
      ? {
          pod: {
            resources: is({ "rdma/ib": "1" }, AKS_RDMA),
            mounts: is(["/opt/nvidia-topology"], AKS_RDMA),
            annotations: is([], AKS_RDMA),
          },
        }
      : {}),
    // VMs: the HPC image's /etc/nccl.conf names the topology file; pods must be given it. ND v5, both paths: Microsoft's
    // tuning that its VM and AKS validation runs share (the chunk size is hopper.conf's; no SHARP); ND A100 v4: none.
    env:
      platform === "vm"
        ? is(
            { NCCL_NET: "IB", NCCL_IB_PCI_RELAXED_ORDERING: "1", NCCL_TOPO_FILE: null, NCCL_IGNORE_CPU_AFFINITY: null, ...ndTuning(v5) },
            `${AZ_HPC} (ndv${v5 ? 5 : 4}.sh); ${AZ_ND_TUNING}`,
          )
        : is(
            { NCCL_NET: "IB", NCCL_TOPO_FILE: "/opt/nvidia-topology/topo.xml", NCCL_NET_GDR_LEVEL: "SYS", NCCL_IGNORE_CPU_AFFINITY: "1", ...ndTuning(v5) },
            `${AKS_RDMA}, values.yaml ncclEnvVars; NCCL_IGNORE_CPU_AFFINITY with the topology file: ${AZ_HPC} (ndv${v5 ? 5 : 4}.sh); ${AZ_ND_TUNING}`,
          ),
  };
}

// b300-8x: 8 IB devices (ibp0-ibp7) in coreweave/nccl-tests mpi-operator/nccl-test-distributed-b300-64-mpijob.yaml @3b06be76.
const CW: Record<string, number> = { "gd-8xh100ib-i128": 8, "gd-8xh200ib-i128": 8, "b200-8x": 8, "b300-8x": 8, "gb200-4x": 4, "gd-8xa100-i128": 4 };

function coreweaveRow(type: string): Row {
  const gb200 = type === "gb200-4x";
  return {
    nics: is(CW[type]!, CW_NCCL),
    mtu: is(undefined, CW_NCCL),
    // CKS places Nodes itself; the planner asks for nothing.
    placement: is("none", CW_NCCL),
    // GB200: an image whose NCCL reaches multi-node NVLink; the others keep NGC's. No ComputeDomain by default: the
    // pods use the node's IMEX channel (NVIDIA_IMEX_CHANNELS=0), as CoreWeave's GB200 manifest (coreweave.imex "dra" adds one).
    // B200: the same build (B200 kernels, the NCCL 2.28.3 / CUDA 12.9.1 of CoreWeave's B200 manifest); B300: a build
    // with sm_103a kernels (CW_B300_IMAGE), which neither NGC 25.01 nor the GB200 build carries.
    software: CW_IMAGE[type] ? is([`image:${CW_IMAGE[type]!.image}`], CW_IMAGE[type]!.source) : is([], CW_NCCL),
    notInstalled: ["computedomain", ...[CW_GB200_IMAGE, CW_B300_IMAGE].filter((image) => image !== CW_IMAGE[type]?.image).map((image) => `image:${image}`)],
    pod: { resources: is({ "rdma/ib": "1" }, CW_NCCL), mounts: is([], CW_NCCL), annotations: is([], CW_NCCL) },
    // NCCL_NET=IB: NCCL's own InfiniBand transport by name (with NCCL_NET_PLUGIN=none, no plugin to fall back through);
    // GB200 adds NCCL's multi-node NVLink switch.
    // UCX as each type's manifest: over the IB ports on HGX (UCX_TLS left to UCX), TCP on eth0 on GB200 NVL72.
    env: is(
      {
        NCCL_SOCKET_IFNAME: "eth0",
        NCCL_IB_HCA: "ibp",
        NCCL_NET_PLUGIN: "none",
        NCCL_NET: "IB",
        NCCL_MNNVL_ENABLE: gb200 ? "1" : null,
        UCX_TLS: gb200 ? "tcp" : null,
        UCX_NET_DEVICES: gb200 ? "eth0" : Array.from({ length: CW[type]! }, (_, i) => `ibp${i}:1`).join(","),
      },
      `${CW_NCCL}; ${CW_UCX}; ${NCCL_ENV}`,
    ),
  };
}

/** The CoreWeave types whose gate and default training run a CoreWeave PyTorch build rather than NGC's. */
const CW_IMAGE: Record<string, { image: string; source: string }> = {
  "gb200-4x": { image: CW_GB200_IMAGE, source: `${CW_NCCL}; ${CW_TORCH}` },
  "b200-8x": { image: CW_GB200_IMAGE, source: `coreweave/nccl-tests mpi-operator/nccl-test-distributed-b200-64-mpijob.yaml @cb86553 (CUDA 12.9.1, NCCL 2.28.3); ${CW_TORCH}` },
  "b300-8x": { image: CW_B300_IMAGE, source: CW_B300_TORCH },
};

/** Where each cloud runs: CoreWeave is Kubernetes only. */
const PLATFORMS: Record<Cloud, Platform[]> = { aws: ["vm", "kubernetes"], gcp: ["vm", "kubernetes"], azure: ["vm", "kubernetes"], coreweave: ["kubernetes"] };

function factsFor(i: InstanceFacts, platform: Platform): Row | undefined {
  if (i.cloud === "aws") return EFA[i.instanceType] ? awsRow(i.instanceType, platform) : undefined;
  if (i.cloud === "gcp") return GCP[i.instanceType] ? gcpRow(i.instanceType, platform) : undefined;
  if (i.cloud === "azure") return /^Standard_ND96/.test(i.instanceType) ? azureRow(i.instanceType, platform) : undefined;
  return CW[i.instanceType] !== undefined ? coreweaveRow(i.instanceType) : undefined;
}

// ---------------------------------------------------------------- what the code builds

function planOf(i: InstanceFacts, platform: Platform): Plan {
  const region = i.regions[0]!;
  const reservation = i.cloud === "gcp" ? { reservationId: "r", zone: `${region}-a` } : {};
  const orchestrator = i.cloud === "coreweave" ? {} : { orchestrator: platform === "vm" ? "vm" : "kubernetes" };
  return planCluster({ cloud: i.cloud, region, gpu: { instanceType: i.instanceType, nodes: i.limits?.nodeMultiple ?? 2 }, contractUsdPerHour: 1, ...orchestrator, ...reservation } as never);
}

/** Markers of what a compiled cluster installs: Helm releases, DaemonSets, the NicClusterPolicy, the VM image, boot script text. */
function softwareOf(result: OfflineRun, wanted: string[]): string[] {
  const markers = new Set<string>();
  for (const r of result.resources) {
    markers.add(`resource:${r.type}`);
    if (r.type === "kubernetes:helm.sh/v3:Release") markers.add(`release:${r.inputs.name}`);
    if (r.type === "kubernetes:apps/v1:DaemonSet") markers.add(`daemonset:${r.inputs.metadata?.name}`);
    if (r.type === "kubernetes:mellanox.com/v1alpha1:NicClusterPolicy") markers.add("nicclusterpolicy");
    if (r.type.includes("ComputeDomain")) markers.add("computedomain");
  }
  const text = JSON.stringify(result.resources.map((r) => r.inputs));
  const decoded = result.resources
    .flatMap((r) => [r.inputs.userData, r.inputs.customData, r.inputs.metadata?.["startup-script"]])
    .filter((v): v is string => typeof v === "string")
    .map((v) => (/^[A-Za-z0-9+/=]+$/.test(v) ? Buffer.from(v, "base64").toString("utf8") : v))
    .join("\n");
  for (const want of wanted) {
    const [kind, what] = [want.slice(0, want.indexOf(":")), want.slice(want.indexOf(":") + 1)];
    if (kind === "image" && what.split("+").every((part) => text.includes(`"${part}"`))) markers.add(want);
    // AWS VMs: no AMI id is written (the launch template reads it from an SSM parameter at deploy time).
    if (kind === "image" && ofType(result, "aws:ec2/launchTemplate:LaunchTemplate").length > 0 && what === DEFAULT_AMI_SSM_PARAMETER) markers.add(want);
    if (kind === "bootstrap" && decoded.includes(what)) markers.add(want);
  }
  if (wanted.includes("gdrcopy") && /gdrcopy/i.test(text)) markers.add("gdrcopy");
  return wanted.filter((w) => markers.has(w));
}

/** Checks a fact: equal when it is one, different when it is a known gap. */
function check<T>(fact: Fact<T>, actual: T, what: string): void {
  if ("is" in fact) expect(actual, `${what} (${fact.source})`).toEqual(fact.is);
  else expect(actual, `${what}: known gap '${fact.todo}' now matches ${fact.source}; make it a fact`).not.toEqual(fact.anchor);
}

/** The subset of `env` a fact names (null where absent). */
function envSubset(env: Record<string, string>, keys: Record<string, string | null>): Record<string, string | null> {
  return Object.fromEntries(Object.keys(keys).map((k) => [k, env[k] ?? null]));
}

const rows = CLOUDS.flatMap((cloud) =>
  catalog
    .instances(cloud)
    // A type the compilers never build (InstanceFacts.notBuilt: Arm64 hosts, AMD GPUs) has nothing to check.
    .filter((i) => i.fabric !== "none" && !i.notBuilt)
    .flatMap((i) => PLATFORMS[cloud].map((platform) => [`${cloud} ${i.instanceType} ${platform}`, i, platform] as const)),
);

describe("the fabric matrix: every fabric type x platform against the anchors' facts", () => {
  it("has a row of facts for every fabric instance type of the catalog on every platform its cloud offers", () => {
    const missing = rows.filter(([, i, p]) => factsFor(i, p) === undefined).map(([name]) => name);
    expect(missing).toEqual([]);
    expect(rows.length).toBeGreaterThanOrEqual(43);
  });

  it.each(rows)("%s: node side, pod side and NCCL environment", (_name, i, platform) => {
    const facts = factsFor(i, platform)!;
    const plan = planOf(i, platform);
    const sides = fabricSides(plan, platform);
    check(facts.nics, sides.node.nics, "fabric NICs");
    if (facts.interfaces) {
      const layout = nodeInterfaces(plan, "sg").map((ni) => `${ni.networkCardIndex}/${ni.deviceIndex}/${ni.interfaceType}`);
      check(facts.interfaces, layout, "interfaces by network card");
    }
    check(facts.mtu, sides.node.mtu, "MTU");
    check(facts.placement, plan.placement.strategy, "placement");
    if (facts.pod) {
      check(facts.pod.resources, sides.pod?.resources ?? {}, "pod resources");
      check(facts.pod.mounts, (sides.pod?.mounts ?? []).map((m) => m.mountPath), "pod mounts");
      check(facts.pod.annotations, Object.keys(sides.pod?.annotations ?? {}), "pod annotations");
    }
    const wanted = "is" in facts.env ? facts.env.is : facts.env.anchor;
    check(facts.env, envSubset(sides.env, wanted), "NCCL environment");
  });
});

/**
 * One compiled cluster per (cloud, platform, fabric kind, software fact): types of one kind install the same software,
 * except where their fact differs (GB200's ComputeDomain), which then gets its own cluster. The first type names it.
 */
const groups = [
  ...new Map(
    rows.map(([, i, p]) => {
      const software = factsFor(i, p)!.software;
      return [`${i.cloud} ${p} ${i.fabric} ${JSON.stringify("is" in software ? software.is : software.anchor)}`, [i, p] as const];
    }),
  ).values(),
].map(([i, p]) => [`${i.cloud} ${p} ${i.fabric} (${i.instanceType})`, [i, p] as const] as const);

describe("the fabric matrix: software installed, per cloud, platform and fabric", () => {
  it.each(groups)("%s", async (_name, [i, platform]) => {
    const facts = factsFor(i, platform)!;
    const region = i.regions[0]!;
    const args = {
      cloud: i.cloud,
      region,
      gpu: { instanceType: i.instanceType, nodes: i.limits?.nodeMultiple ?? 2 },
      contractUsdPerHour: 1,
      ...(i.cloud === "coreweave" ? {} : { orchestrator: platform }),
      ...(i.cloud === "gcp" ? { reservationId: "r", zone: `${region}-a` } : {}),
      // GPUDirect-TCPX on VMs needs an image with Google's TCPX kernel (the default is refused: test/gcp-fabric.test.ts).
      ...(i.fabric === "gpudirect-tcpx" && platform === "vm" ? { gcp: { image: "projects/p/global/images/family/a3high-tcpx" } } : {}),
      ...(i.cloud === "azure" && platform === "vm" ? { azure: { sshPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG9mZmxpbmUtdGVzdC1rZXktZm9yLW1hdHJpeA matrix" } } : {}),
    };
    const result = await run(() => new gpu.TrainingCluster("m", privateEndpoint(args as gpu.TrainingClusterArgs)));
    expect(result.error).toBeUndefined();
    const wanted = "is" in facts.software ? facts.software.is : facts.software.anchor;
    check(facts.software, softwareOf(result, [...wanted, ...(facts.notInstalled ?? [])]), "software");
    const gated =
      result.resources.some((r) => r.type === "kubernetes:batch/v1:Job" && r.name === "m-nccl-check") ||
      result.resources.some((r) => (r.inputs.virtualMachineProfile?.extensionProfile?.extensions ?? []).some((e: { name: string }) => e.name === "gpu-cluster-fabric-gate")) ||
      result.resources.some((r) => r.type === "aws:ssm/association:Association" && r.name === "m-fabric-gate") ||
      result.resources.some((r) => r.type === "gcp:compute/instanceTemplate:InstanceTemplate" && r.inputs.metadata?.["enable-guest-attributes"] === "TRUE");
    check(gateFact(i.cloud, platform), gated, "fabric gate at up");
  });
});
