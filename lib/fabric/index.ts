/**
 * The fabric, both sides, from one place: what every node gets (NICs, MTU) and
 * what the workload needs to use it (the NCCL / libfabric environment and, on
 * Kubernetes, the pod's device requests and capabilities). The VM compilers
 * write `env` into the node bootstrap; the Kubernetes compilers put `env` and
 * `pod` on the pod spec. Keeping both sides here is what stops the classic
 * mismatch: nodes with 32 EFA interfaces and pods that request none, so NCCL
 * silently falls back to TCP.
 */
import type { Cloud, FabricKind } from "../catalog/types.js";
import type { Plan } from "../planner/types.js";
import { gkeEnv, gkePodFabric } from "./gke.js";
import { tcpxNcclSettings } from "./tcpx.js";
import { MNNVL_NCCL_ENV, nvlinkDomain } from "./mnnvl.js";
import { ND_TOPOLOGY_MOUNT, ndFamily, ndTopology } from "./nd-topology.js";
import type { FabricSides, NodeFabric, Platform, PodFabric } from "./types.js";

export type { FabricSides, NodeFabric, Platform, PodFabric } from "./types.js";
export { ND_TOPOLOGY_MOUNT, ndTopology } from "./nd-topology.js";
export { CLIQUE_LABEL, MNNVL_NCCL_ENV, NVLINK_DOMAINS, nvlinkDomain, type NvlinkDomain } from "./mnnvl.js";
export { GKE_SIDECAR_IMAGES, gkeNetworkName, gkeNetworks, gkePodInterfaces, type GkeNetwork } from "./gke.js";

/**
 * EFA: force libfabric's EFA provider and NCCL's OFI plugin, so a missing plugin fails instead of using sockets.
 * Against aws-ofi-nccl's cheatsheet (doc/efa-env-var.md at 2daf7d30, 2026-08-21): `FI_EFA_FORK_SAFE` is no longer set
 * (the plugin sets it itself, src/platform-aws.cpp), and `FI_EFA_USE_DEVICE_RDMA=1` only where the instance's EFA does
 * RDMA read (catalog fact `efaRdmaRead`): libfabric aborts with it on a device without RDMA read, and current
 * libfabric detects RDMA read itself, so leaving it out elsewhere costs nothing. `FI_PROVIDER=efa` is kept as the
 * guard that makes libfabric fail rather than pick its TCP provider.
 */
function efaEnv(plan: Plan): Record<string, string> {
  return {
    FI_PROVIDER: "efa",
    ...(plan.instance.efaRdmaRead === true ? { FI_EFA_USE_DEVICE_RDMA: "1" } : {}),
    // Select the aws-ofi-nccl network plugin by name: if it cannot load, NCCL fails loudly. "AWS Libfabric" is the name
    // plugins up to 1.11.0 register; later ones call themselves "Libfabric" and still accept the old name
    // (aws-ofi-nccl src/nccl_ofi_interface_nvidia.cpp @2daf7d30), so it selects the plugin whatever the image ships.
    NCCL_NET: "AWS Libfabric",
    NCCL_SOCKET_IFNAME: "^docker,lo,veth",
    NCCL_DEBUG: "WARN",
    GPU_CLUSTER_EXPECTED_EFA: String(plan.fabric.nicsPerNode),
  };
}

/**
 * Microsoft's own NCCL tuning per ND topology family (`ndFamily`, ./nd-topology.ts), the settings its ND v5 validation
 * runs set on both paths, read 2026-12-01 in github.com/Azure/ai-infrastructure-on-azure:
 * infrastructure_validations/slurm/NCCL/configs/hopper.conf ("Hopper (H100 / H200) — Azure NDv5", 2062dd2, 2026-03-04;
 * VMs) and infrastructure_validations/aks/NCCL/helm/nccl-test/values.yaml (4be143d, 2026-04-10; AKS). Both set
 * NCCL_IB_QPS_PER_CONNECTION=4, NCCL_MIN_NCHANNELS=32 and NCCL_PXN_DISABLE=1. NCCL_P2P_NET_CHUNKSIZE differs: 2 MiB in
 * hopper.conf, 512 KiB in the AKS chart. 2 MiB is taken for both: hopper.conf replaced the Slurm scripts' earlier 512 KiB
 * (nccl_test.slurm until 6d84012, 2026-03-04), so it is Microsoft's newer choice (the AKS chart has kept its first
 * value since 1fae070, 2025-07-02), and it is the configuration of the ~450 GB/s baseline the ND H100 v5 floor comes from
 * (./floors.ts). Their SHARP settings (NCCL_COLLNET_ENABLE=1, SHARP_COLL_*) are left out: SHARP needs the image's
 * SHARP plugin as the network, which NCCL_NET=IB rules out. ND A100 v4 has no row: Microsoft publishes no such tuning
 * for it.
 */
const AZURE_NCCL_TUNING: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  ndv5: { NCCL_IB_QPS_PER_CONNECTION: "4", NCCL_MIN_NCHANNELS: "32", NCCL_PXN_DISABLE: "1", NCCL_P2P_NET_CHUNKSIZE: String(2 * 1024 * 1024) },
};

/**
 * Azure ND: the IB verbs transport by name (no HCA → an error, not sockets), relaxed PCIe ordering as Microsoft
 * recommends, and the size's tuning (AZURE_NCCL_TUNING). VMs and AKS pods both take this environment.
 */
function azureIbEnv(plan: Plan): Record<string, string> {
  const family = ndFamily(plan.instanceType);
  return {
    NCCL_NET: "IB",
    NCCL_IB_PCI_RELAXED_ORDERING: "1",
    UCX_IB_PCI_RELAXED_ORDERING: "on",
    NCCL_SOCKET_IFNAME: "eth0",
    CUDA_DEVICE_ORDER: "PCI_BUS_ID",
    NCCL_DEBUG: "WARN",
    ...(family !== undefined ? AZURE_NCCL_TUNING[family] : {}),
    GPU_CLUSTER_EXPECTED_IB: String(plan.fabric.nicsPerNode),
  };
}

/** The eight InfiniBand ports of an HGX node, as CoreWeave's manifests list them for UCX. */
const CW_HGX_8_PORTS = "ibp0:1,ibp1:1,ibp2:1,ibp3:1,ibp4:1,ibp5:1,ibp6:1,ibp7:1";

/**
 * UCX per CoreWeave node type, as CoreWeave's own MPIJobs set it (github.com/coreweave/nccl-tests mpi-operator/*.yaml
 * at cb86553, 2026-05-27, read 2026-12-01): the HGX types send UCX traffic (MPI launchers, UCC, hcoll) over their
 * InfiniBand ports, and leave UCX_TLS to UCX; the GB200 NVL72 manifests (nvl72 and 128-multirack) set UCX to TCP over
 * eth0, as they have since d7f181c (2025-12-15). NCCL does not use UCX. A type without a row gets no UCX variable,
 * and test/coreweave-fabric.test.ts fails until every CoreWeave InfiniBand type has one.
 */
export const COREWEAVE_UCX_ENV: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  // nccl-test-distributed-h100-64-mpijob.yaml (dde6e6f, 2026-04-05).
  "gd-8xh100ib-i128": { UCX_NET_DEVICES: CW_HGX_8_PORTS },
  // No H200 manifest: the H100's, for the same HGX node with the same eight ibp ports (./floors.ts keeps the two apart).
  "gd-8xh200ib-i128": { UCX_NET_DEVICES: CW_HGX_8_PORTS },
  // nccl-test-distributed-b200-64-mpijob.yaml and -b300-64-mpijob.yaml (3b06be7, 2026-05-26).
  "b200-8x": { UCX_NET_DEVICES: CW_HGX_8_PORTS },
  "b300-8x": { UCX_NET_DEVICES: CW_HGX_8_PORTS },
  // nccl-test-distributed-a100-64-mpijob.yaml (3b06be7): four HCAs.
  "gd-8xa100-i128": { UCX_NET_DEVICES: "ibp0:1,ibp1:1,ibp2:1,ibp3:1" },
  // nccl-test-distributed-gb200-nvl72-mpijob.yaml and -gb200-128-multirack-mpijob.yaml (dde6e6f).
  "gb200-4x": { UCX_TLS: "tcp", UCX_NET_DEVICES: "eth0" },
};

/**
 * CoreWeave CKS: bootstrap over eth0, data over the `ibp*` HCAs, as CoreWeave documents
 * (https://docs.coreweave.com/support/platform/articles/how-do-i-configure-infiniband-and-rdma-for-multi-node-training,
 * read 2026-11-25), pinned to NCCL's own InfiniBand transport: `NCCL_NET=IB` (no HCA → an error, not sockets) and
 * `NCCL_NET_PLUGIN=none`, as every coreweave/nccl-tests MPIJob sets it (mpi-operator/*.yaml at cb865533, 2026-05-27,
 * read 2026-11-30). UCX per node type (COREWEAVE_UCX_ENV). NVL72 types add NCCL's multi-node NVLink settings (./mnnvl.ts).
 */
function coreweaveIbEnv(plan: Plan): Record<string, string> {
  return {
    NCCL_NET: "IB",
    NCCL_NET_PLUGIN: "none",
    NCCL_SOCKET_IFNAME: "eth0",
    NCCL_IB_HCA: "ibp",
    ...COREWEAVE_UCX_ENV[plan.instanceType],
    ...(nvlinkDomain(plan.instanceType) ? MNNVL_NCCL_ENV : {}),
    GPU_CLUSTER_EXPECTED_IB: String(plan.fabric.nicsPerNode),
  };
}

/**
 * The interface names of A3 High / A3 Mega VMs on Ubuntu (the default Deep Learning VM image): the control NIC and the
 * GPU NICs in PCI order, as Google's Cluster Toolkit NCCL runs name them (cluster-toolkit @4f04afc17, 2026-01-22, read
 * 2026-11-30: examples/machine-learning/a3-highgpu-8g/nccl-tests/run-nccl-tests.sh and a3-megagpu-8g/nccl-tests/
 * run-nccl-tests.sh). The node's startup script checks every one exists, so an image that names them otherwise fails
 * at boot instead of NCCL finding no GPU NIC.
 */
export const GCP_VM_NICS: Readonly<Record<"gpudirect-tcpx" | "gpudirect-tcpxo", { ctrl: string; nics: readonly string[] }>> = {
  "gpudirect-tcpx": { ctrl: "enp0s12", nics: ["enp6s0", "enp12s0", "enp134s0", "enp140s0"] },
  "gpudirect-tcpxo": { ctrl: "enp0s12", nics: ["enp6s0", "enp7s0", "enp13s0", "enp14s0", "enp134s0", "enp135s0", "enp141s0", "enp142s0"] },
};

/** Where the VM bootstrap (lib/clouds/gcp/fabric-boot.ts) installs each GPUDirect NCCL plugin and serves TCPX sockets. */
export const GCP_VM_PLUGIN_DIRS = {
  tcpx: "/var/lib/tcpx/lib64",
  tcpxo: "/var/lib/tcpxo/lib64",
  gib: "/usr/local/gib/lib64",
  tcpxSocket: "/run/tcpx",
  apertureDevices: "/dev/aperture_devices",
} as const;

/**
 * GCP VMs: the GPUDirect kind and NIC count the node checks, and each plugin's NCCL settings. The plugin libraries are
 * found through the dynamic linker's configuration or a login profile that prepends them (fabric-boot.ts), never an
 * LD_LIBRARY_PATH here: /etc/environment cannot prepend, so a value here would replace the system's.
 */
function gcpEnv(plan: Plan): Record<string, string> {
  const common = { GPU_CLUSTER_FABRIC: plan.fabric.kind, GPU_CLUSTER_EXPECTED_FABRIC_NICS: String(plan.fabric.nicsPerNode) };
  switch (plan.fabric.kind) {
    case "rdma":
      return { ...common, ...gibEnv() };
    case "gpudirect-tcpx":
      return { ...common, ...tcpxVmEnv(plan) };
    case "gpudirect-tcpxo":
      return { ...common, ...tcpxoVmEnv() };
    default:
      return common;
  }
}

/**
 * A3 High VMs: the TCPX plugin by name (so a plugin that does not load is an error, not sockets), and the settings of
 * cluster-toolkit's a3-highgpu-8g run-nccl-tests.sh (@4f04afc17) through the table shared with GKE (./tcpx.ts).
 */
function tcpxVmEnv(plan: Plan): Record<string, string> {
  const { ctrl, nics } = GCP_VM_NICS["gpudirect-tcpx"];
  return {
    NCCL_SOCKET_IFNAME: ctrl,
    CUDA_VISIBLE_DEVICES: Array.from({ length: plan.gpusPerNode }, (_, i) => i).join(","),
    ...tcpxNcclSettings({ ctrl, nics: [...nics], socketDir: GCP_VM_PLUGIN_DIRS.tcpxSocket, algo: "Ring" }),
  };
}

/**
 * A3 Mega VMs: what cluster-toolkit's a3-megagpu-8g run-nccl-tests.sh (@4f04afc17) sets after sourcing the plugin's
 * own nccl-env-profile.sh (the node's login profile sources it first, fabric-boot.ts): the interface names, which the
 * profile assumes are eth0..eth8, and the aperture devices.
 *
 * No NCCL_NET, unlike TCPX, on both paths: Google's TCPXO configuration (container-engine-accelerators
 * gpudirect-tcpxo/README.md @992db812, 2026-06-11) leaves it unset, and no Google file names the FasTrak plugin's
 * network; a wrong name would stop every job at NCCL's init. A fallback to sockets still fails `up`: the two-node
 * socket ceiling of the 200 Gbps host NIC (46.9 GB/s) is far below A3 Mega's floor (109.2 GB/s,
 * test/fabric-floors.test.ts).
 */
function tcpxoVmEnv(): Record<string, string> {
  const { ctrl, nics } = GCP_VM_NICS["gpudirect-tcpxo"];
  return {
    NCCL_LIB_DIR: GCP_VM_PLUGIN_DIRS.tcpxo,
    NCCL_FASTRAK_CTRL_DEV: ctrl,
    NCCL_FASTRAK_IFNAME: nics.join(","),
    NCCL_SOCKET_IFNAME: ctrl,
    NCCL_FASTRAK_LLCM_DEVICE_DIRECTORY: GCP_VM_PLUGIN_DIRS.apertureDevices,
  };
}

/**
 * The gIB plugin's NCCL settings from Google's A3 Ultra / A4 VM blueprint (cluster-toolkit
 * examples/machine-learning/a4-highgpu-8g/a4high-vm.yaml @ad831f5f0, 2026-06-09, its /etc/environment), without its
 * `LD_LIBRARY_PATH=/usr/local/gib/lib64`: the same blueprint registers that directory with the dynamic linker
 * (/etc/ld.so.conf.d/000_nccl-gib.conf), which is what fabric-boot.ts does.
 */
function gibEnv(): Record<string, string> {
  return {
    NCCL_CROSS_NIC: "0",
    NCCL_NET_GDR_LEVEL: "PIX",
    NCCL_P2P_NET_CHUNKSIZE: "131072",
    NCCL_NVLS_CHUNKSIZE: "524288",
    NCCL_IB_GID_INDEX: "3",
    NCCL_IB_ADAPTIVE_ROUTING: "1",
    NCCL_IB_QPS_PER_CONNECTION: "4",
    NCCL_IB_TC: "52",
    NCCL_IB_FIFO_TC: "84",
    NCCL_TUNER_CONFIG_PATH: "/usr/local/gib/configs/tuner_config.txtpb",
  };
}

/** Environment per (cloud, fabric); absent pairs cannot occur (validation rejects a fabric a cloud lacks). */
const ENV: Partial<Record<Cloud, Partial<Record<FabricKind, (plan: Plan) => Record<string, string>>>>> = {
  aws: { efa: efaEnv },
  azure: { infiniband: azureIbEnv },
  coreweave: { infiniband: coreweaveIbEnv },
  gcp: { "gpudirect-tcpx": gcpEnv, "gpudirect-tcpxo": gcpEnv, rdma: gcpEnv },
};

/**
 * Pod requests per fabric. EFA: the EFA device plugin's resource, one per interface. InfiniBand (CoreWeave, and AKS
 * with the Network Operator's RDMA shared device plugin): `rdma/ib: 1` gives the pod every HCA of the node.
 * GPUDirect on GKE reaches pods through multi-networking annotations, a sidecar and host mounts (./gke.ts).
 */
const POD: Partial<Record<FabricKind, (plan: Plan) => PodFabric>> = {
  // libfabric's EFA provider uses 2 MiB huge pages; AWS's EKS EFA examples request 5120Mi of them per pod.
  efa: (plan) => ({ resources: { "vpc.amazonaws.com/efa": String(plan.fabric.nicsPerNode), "hugepages-2Mi": "5120Mi" }, capabilities: ["IPC_LOCK"] }),
  infiniband: () => ({ resources: { "rdma/ib": "1" }, capabilities: ["IPC_LOCK"] }),
};

/**
 * Both sides of the plan's fabric. Without a fabric (opted out, or the instance has none), or for an inference
 * replica (one node: tensor parallelism over NVLink, no collectives across nodes), the workload side is empty and,
 * where the instance has InfiniBand, NCCL is told not to probe HCAs it was not given.
 */
export function fabricSides(plan: Plan, platform: Platform = "vm"): FabricSides {
  const node: NodeFabric = { kind: plan.fabric.kind, nics: plan.fabric.nicsPerNode, gbps: plan.fabric.gbpsPerNode };
  if (plan.fabric.mtu !== undefined) node.mtu = plan.fabric.mtu;
  if (plan.fabric.hostNics !== undefined) node.hostNics = plan.fabric.hostNics;
  const uses = plan.fabric.kind !== "none" && plan.workload === "training";
  if (!uses) {
    const env: Record<string, string> = platform === "kubernetes" && plan.cloud === "coreweave" ? { NCCL_SOCKET_IFNAME: "eth0", NCCL_IB_DISABLE: "1" } : {};
    return { node, env };
  }
  const gke = platform === "kubernetes" && plan.cloud === "gcp";
  const env = (gke ? gkeEnv(plan) : ENV[plan.cloud]?.[plan.fabric.kind]?.(plan)) ?? {};
  const sides: FabricSides = { node, env };
  const pod = gke ? gkePodFabric(plan) : POD[plan.fabric.kind]?.(plan);
  if (platform === "kubernetes" && pod) sides.pod = pod;
  if (platform === "kubernetes" && plan.cloud === "azure") withNdTopology(plan, sides);
  return sides;
}

/**
 * AKS: the ND size's NCCL topology file, mounted from the ConfigMap the AKS compiler writes (./nd-topology.ts), and
 * `NCCL_NET_GDR_LEVEL=SYS`, as Azure/aks-rdma-infiniband runs NCCL: without the file NCCL sees no GPU-to-HCA path under
 * Hyper-V and keeps GPUDirect RDMA off. With the file goes `NCCL_IGNORE_CPU_AFFINITY=1`, as Microsoft's HPC image pairs
 * them in /etc/nccl.conf for ND A100 v4 and ND H100 / H200 v5 (github.com/Azure/azhpc-images
 * components/customizations/ndv4.sh and ndv5.sh at 8e9d055f, 2026-07-29, read 2026-12-01): NCCL then binds its threads
 * to the CPUs the file gives each GPU's NUMA node, not to their overlap with the process's own CPU mask, which in a pod
 * need not contain them. Azure VMs run that image, whose /etc/nccl.conf sets NCCL_TOPO_FILE and NCCL_IGNORE_CPU_AFFINITY
 * (with NCCL_IB_PCI_RELAXED_ORDERING=1), so their environment leaves those two to it; it does not set
 * NCCL_NET_GDR_LEVEL, which the VM environment leaves to NCCL's own choice from the topology file.
 */
function withNdTopology(plan: Plan, sides: FabricSides): void {
  if (!sides.pod || ndTopology(plan.instanceType) === undefined) return;
  const { configMap, volume, dir, file } = ND_TOPOLOGY_MOUNT;
  sides.env = { ...sides.env, NCCL_TOPO_FILE: `${dir}/${file}`, NCCL_NET_GDR_LEVEL: "SYS", NCCL_IGNORE_CPU_AFFINITY: "1" };
  sides.pod = {
    ...sides.pod,
    volumes: [...(sides.pod.volumes ?? []), { name: volume, configMap: { name: configMap, items: [{ key: file, path: file }] } }],
    mounts: [...(sides.pod.mounts ?? []), { name: volume, mountPath: dir, readOnly: true }],
  };
}
