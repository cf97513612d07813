/**
 * GPUDirect on GKE, both sides: the additional node networks a GPU node pool gets, and what a pod needs to use them.
 *
 * - GPUDirect-TCPX (A3 High) / TCPXO (A3 Mega): the GPU NICs move into the pod by multi-networking annotation; a
 *   receive-datapath manager (Google's `tcpgpudmarxd`) runs as a native sidecar with the GPUs injected by the NRI
 *   device injector (the `devices.gke.io/container.<name>` annotation); the NCCL plugin the installer DaemonSet put
 *   on the node is mounted from the host.
 * - GPUDirect-RDMA (A3 Ultra / A4): the RDMA NICs move into the pod by annotation; the gIB NCCL plugin and its
 *   environment script are mounted from the host.
 *
 * Facts (images, paths, annotation keys, flags) are from Google's GKE test manifests,
 * github.com/GoogleCloudPlatform/container-engine-accelerators: gpudirect-tcpxo/nccl-test-latest.yaml (commit 089e022),
 * gpudirect-tcpx/nccl-test-latest.yaml (0e5609b), gpudirect-tcpx/nccl-config-latest.yaml (8af30c6),
 * gpudirect-rdma/nccl-test.yaml (0920249), all read 2026-11-25. The sidecar runs as a native sidecar (an init
 * container with `restartPolicy: Always`, Kubernetes 1.29+) so an indexed Job still completes when the trainer exits.
 */
import type * as k8s from "@pulumi/kubernetes/types/input";
import type { FabricKind } from "../catalog/types.js";
import { uniqueDnsLabel } from "../spec/dns.js";
import type { Plan } from "../planner/types.js";
import type { PodFabric } from "./types.js";

/** One additional node network of a GKE GPU node pool, in NIC order after the primary (host) NIC. */
export interface GkeNetwork {
  /** Name of the `networking.gke.io/v1` Network (and its GKENetworkParamSet) the pods refer to. */
  name: string;
  /** `host`: a second gVNIC (A3 Ultra / A4); `fabric`: a GPU NIC. */
  role: "host" | "fabric";
  /** GKENetworkParamSet `deviceMode`: the NIC moves into the pod as a netdevice, or as an RDMA device. */
  deviceMode: "NetDevice" | "RDMA";
}

/**
 * The GKE names of the additional node networks, as Google's GPUDirect manifests name them, so both sides use
 * the same: `vpc1`..`vpcN` for GPUDirect-TCPX / TCPXO (one per GPU NIC), `gvnic-1` then `rdma-0`..`rdma-7` for
 * GPUDirect-RDMA (A3 Ultra / A4). https://cloud.google.com/kubernetes-engine/docs/how-to/gpu-bandwidth-gpudirect-tcpx
 * and https://cloud.google.com/ai-hypercomputer/docs/create/gke-ai-hypercompute-custom (read 2026-11-25).
 */
export function gkeNetworkName(kind: FabricKind, index: number, role: "host" | "fabric" = "fabric"): string {
  if (kind === "rdma") return role === "host" ? `gvnic-${index + 1}` : `rdma-${index}`;
  return `vpc${index + 1}`;
}

/**
 * On a cluster the component joins, other GPU pools may already own `vpc1`..: the names get the component's name (and,
 * when cut short, a hash of the whole name) in front (`<name>-vpc1`), so each pool's pods attach to its own VPCs. A
 * cluster it creates keeps Google's names.
 */
function networkNamePrefix(plan: Plan): string {
  return plan.kubernetesCluster === "existing" && plan.name !== undefined ? `${uniqueDnsLabel(plan.name, 40)}-` : "";
}

/** The additional node networks a GKE GPU node pool gets for the plan's fabric (none without one, or for inference). */
export function gkeNetworks(plan: Plan): GkeNetwork[] {
  const { kind, nicsPerNode } = plan.fabric;
  if (plan.workload !== "training" || plan.cloud !== "gcp") return [];
  const prefix = networkNamePrefix(plan);
  if (kind === "gpudirect-tcpx" || kind === "gpudirect-tcpxo") {
    return Array.from({ length: nicsPerNode }, (_, i) => ({ name: prefix + gkeNetworkName(kind, i), role: "fabric" as const, deviceMode: "NetDevice" as const }));
  }
  if (kind !== "rdma") return [];
  const hosts: GkeNetwork[] = Array.from({ length: Math.max(0, hostNicCount(plan) - 1) }, (_, i) => ({ name: prefix + gkeNetworkName(kind, i, "host"), role: "host", deviceMode: "NetDevice" }));
  return [...hosts, ...Array.from({ length: nicsPerNode }, (_, i) => ({ name: prefix + gkeNetworkName(kind, i), role: "fabric" as const, deviceMode: "RDMA" as const }))];
}

/** gVNICs of the node before the GPU NICs (1, or 2 on A3 Ultra / A4). */
function hostNicCount(plan: Plan): number {
  return plan.fabric.hostNics ?? 1;
}

/**
 * The pod's interfaces: eth0 on the default pod network, then one per GPU network, named after the node's NIC order
 * (the second gVNIC of A3 Ultra / A4 stays with the node, so the RDMA NICs are eth2..eth9 as in Google's manifests).
 */
export function gkePodInterfaces(plan: Plan): { interfaceName: string; network: string }[] {
  const fabric = gkeNetworks(plan).filter((n) => n.role === "fabric");
  const first = hostNicCount(plan);
  return [{ interfaceName: "eth0", network: "default" }, ...fabric.map((n, i) => ({ interfaceName: `eth${first + i}`, network: n.name }))];
}

/** The pod's GPU-NIC interface names (eth1..eth8 on A3 Mega), for NCCL's interface settings. */
function fabricInterfaceNames(plan: Plan): string[] {
  return gkePodInterfaces(plan).slice(1).map((i) => i.interfaceName);
}

/**
 * Images exactly as Google's test manifests pair them with the NCCL plugin installers of the bootstrap. By tag: the
 * manifests show no digest (UNDIGESTED_IMAGES in clouds/kubernetes/options.ts lists them with why).
 */
export const GKE_SIDECAR_IMAGES = {
  tcpxoRxdm: "us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpxo/tcpgpudmarxd-dev:v1.0.9",
  tcpxRxdm: "us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpx/tcpgpudmarxd-dev:v2.0.12",
} as const;

/**
 * Host paths on GKE GPU nodes (COS): the driver libraries (where the NCCL installers also put the plugin) and the gIB
 * plugin, mounted read-only (every GPU pod of the node uses them); the aperture devices and the TCPX socket directory,
 * which the workload writes.
 */
const HOST = {
  nvidiaLib64: "/home/kubernetes/bin/nvidia/lib64",
  nvidia: "/home/kubernetes/bin/nvidia",
  gib: "/home/kubernetes/bin/gib",
  apertureDevices: "/dev/aperture_devices",
  tcpxSocket: "/run/tcpx",
} as const;

/** Where the pod sees them. */
const IN_POD = {
  nvidiaLib64: "/usr/local/nvidia/lib64",
  nvidia: "/usr/local/nvidia",
  gib: "/usr/local/gib",
} as const;

/** Volume names, prefixed so they cannot clash with the user's storage volumes. */
const VOLUME = {
  nvidiaLib64: "fabric-nvidia-lib64",
  nvidia: "fabric-nvidia",
  gib: "fabric-gib",
  sys: "fabric-sys",
  procSys: "fabric-proc-sys",
  apertureDevices: "fabric-aperture-devices",
  tcpxSocket: "fabric-tcpx-socket",
} as const;

function hostPathVolume(name: string, path: string): k8s.core.v1.Volume {
  return { name, hostPath: { path } };
}

/** The `devices.gke.io/container.<sidecar>` annotation: the GPU device nodes the NRI injector gives the sidecar. */
function deviceAnnotation(plan: Plan, extra: string[]): string {
  const gpus = Array.from({ length: plan.gpusPerNode }, (_, i) => `/dev/nvidia${i}`);
  return [...gpus, "/dev/nvidiactl", "/dev/nvidia-uvm", ...extra].map((path) => `- path: ${path}\n`).join("");
}

function networkAnnotations(plan: Plan): Record<string, string> {
  return { "networking.gke.io/default-interface": "eth0", "networking.gke.io/interfaces": JSON.stringify(gkePodInterfaces(plan)) };
}

/**
 * The receive-datapath manager as a native sidecar, as Google's unprivileged manifests run it: root, not privileged,
 * the runtime's default capabilities plus the network ones it needs to program the GPU NICs (through the host's
 * /sys and /proc/sys, which it writes), whatever the pod's default user is; no privilege escalation.
 */
function rxdmSidecar(name: string, image: string, command: string[], capabilities: string[], mounts: k8s.core.v1.VolumeMount[]): k8s.core.v1.Container {
  return {
    name,
    image,
    command,
    restartPolicy: "Always",
    env: [{ name: "LD_LIBRARY_PATH", value: IN_POD.nvidiaLib64 }],
    securityContext: { runAsNonRoot: false, runAsUser: 0, privileged: false, allowPrivilegeEscalation: false, capabilities: { add: capabilities } },
    volumeMounts: mounts,
  };
}

/** The mounts both receive-datapath managers need: driver libraries and the host's sysfs / procfs to program the NICs. */
function rxdmMounts(): k8s.core.v1.VolumeMount[] {
  return [
    { name: VOLUME.nvidiaLib64, mountPath: IN_POD.nvidiaLib64, readOnly: true },
    { name: VOLUME.sys, mountPath: "/hostsysfs" },
    { name: VOLUME.procSys, mountPath: "/hostprocsysfs" },
  ];
}

const RXDM_HOST_VOLUMES = [hostPathVolume(VOLUME.nvidiaLib64, HOST.nvidiaLib64), hostPathVolume(VOLUME.sys, "/sys"), hostPathVolume(VOLUME.procSys, "/proc/sys")];

/** A3 Mega: the FasTrak receive-datapath manager, the aperture devices and the NCCL profile the TCPXO installer wrote. */
function tcpxoPod(plan: Plan): PodFabric {
  const sidecar = "tcpxo-daemon";
  const nics = plan.fabric.nicsPerNode;
  return {
    resources: {},
    capabilities: [],
    annotations: { ...networkAnnotations(plan), [`devices.gke.io/container.${sidecar}`]: deviceAnnotation(plan, ["/dev/dmabuf_import_helper"]) },
    sidecars: [
      rxdmSidecar(
        sidecar,
        GKE_SIDECAR_IMAGES.tcpxoRxdm,
        ["/bin/sh", "-c", `chmod 755 /fts/entrypoint_rxdm_container.sh && exec /fts/entrypoint_rxdm_container.sh --num_hops=2 --num_nics=${nics} --uid= --alsologtostderr`],
        ["NET_ADMIN", "NET_BIND_SERVICE"],
        rxdmMounts(),
      ),
    ],
    volumes: [...RXDM_HOST_VOLUMES, hostPathVolume(VOLUME.apertureDevices, HOST.apertureDevices)],
    mounts: [
      { name: VOLUME.nvidiaLib64, mountPath: IN_POD.nvidiaLib64, readOnly: true },
      { name: VOLUME.apertureDevices, mountPath: HOST.apertureDevices },
    ],
    // The profile matches the installed plugin version (its guest-config checker rejects settings from another one).
    entrypointPrelude: `NCCL_LIB_DIR=${IN_POD.nvidiaLib64} source ${IN_POD.nvidiaLib64}/nccl-env-profile.sh`,
  };
}

/** A3 High: the TCPX receive-datapath manager, talking to the NCCL plugin over a Unix socket directory on the host. */
function tcpxPod(plan: Plan): PodFabric {
  const sidecar = "tcpx-daemon";
  return {
    resources: {},
    // Google's TCPX workload container pins receive buffers.
    capabilities: ["IPC_LOCK"],
    annotations: { ...networkAnnotations(plan), [`devices.gke.io/container.${sidecar}`]: deviceAnnotation(plan, []) },
    sidecars: [
      rxdmSidecar(
        sidecar,
        GKE_SIDECAR_IMAGES.tcpxRxdm,
        ["/tcpgpudmarxd/build/app/tcpgpudmarxd", "--gpu_nic_preset", "a3vm", "--gpu_shmem_type", "fd", "--uds_path", HOST.tcpxSocket, "--setup_param", "--verbose 128 2 0 "],
        ["NET_ADMIN"],
        [...rxdmMounts(), { name: VOLUME.tcpxSocket, mountPath: HOST.tcpxSocket }],
      ),
    ],
    volumes: [...RXDM_HOST_VOLUMES, hostPathVolume(VOLUME.tcpxSocket, HOST.tcpxSocket)],
    mounts: [
      { name: VOLUME.nvidiaLib64, mountPath: IN_POD.nvidiaLib64, readOnly: true },
      { name: VOLUME.tcpxSocket, mountPath: HOST.tcpxSocket },
    ],
  };
}

/** A3 Ultra / A4: the gIB plugin and its environment script from the host; RDMA pins NCCL's buffers (IPC_LOCK). */
function rdmaPod(plan: Plan): PodFabric {
  return {
    resources: {},
    capabilities: ["IPC_LOCK"],
    annotations: networkAnnotations(plan),
    volumes: [hostPathVolume(VOLUME.nvidia, HOST.nvidia), hostPathVolume(VOLUME.gib, HOST.gib)],
    mounts: [
      { name: VOLUME.nvidia, mountPath: IN_POD.nvidia, readOnly: true },
      { name: VOLUME.gib, mountPath: IN_POD.gib, readOnly: true },
    ],
    entrypointPrelude: `source ${IN_POD.gib}/scripts/set_nccl_env.sh`,
  };
}

/** The pod side of the plan's GPUDirect fabric on GKE (undefined for any other fabric). */
export function gkePodFabric(plan: Plan): PodFabric | undefined {
  switch (plan.fabric.kind) {
    case "gpudirect-tcpxo":
      return tcpxoPod(plan);
    case "gpudirect-tcpx":
      return tcpxPod(plan);
    case "rdma":
      return rdmaPod(plan);
    default:
      return undefined;
  }
}

/**
 * GPUDirect-TCPX's NCCL settings, the values of Google's run-nccl.sh for A3 High (nccl-config-latest.yaml @8af30c6),
 * with the GPU NICs as the pod names them and the Unix socket directory the sidecar serves. The TX/RX bindings pin
 * each NIC's threads to the cores of its NUMA node on a3-highgpu-8g.
 */
function tcpxEnv(plan: Plan): Record<string, string> {
  const nics = fabricInterfaceNames(plan);
  const txCores = ["8-21,112-125", "8-21,112-125", "60-73,164-177", "60-73,164-177"];
  const rxCores = ["22-35,124-139", "22-35,124-139", "74-87,178-191", "74-87,178-191"];
  const bindings = (cores: string[]) => nics.map((nic, i) => `${nic}:${cores[i % cores.length]}`).join(";");
  return {
    NCCL_SOCKET_IFNAME: "eth0",
    NCCL_GPUDIRECTTCPX_CTRL_DEV: "eth0",
    NCCL_GPUDIRECTTCPX_SOCKET_IFNAME: nics.join(","),
    NCCL_GPUDIRECTTCPX_UNIX_CLIENT_PREFIX: HOST.tcpxSocket,
    NCCL_GPUDIRECTTCPX_PROGRAM_FLOW_STEERING_WAIT_MICROS: "1000000",
    NCCL_GPUDIRECTTCPX_FORCE_ACK: "0",
    NCCL_GPUDIRECTTCPX_TX_COMPLETION_NANOSLEEP: "1000",
    NCCL_GPUDIRECTTCPX_TX_BINDINGS: bindings(txCores),
    NCCL_GPUDIRECTTCPX_RX_BINDINGS: bindings(rxCores),
    NCCL_DYNAMIC_CHUNK_SIZE: "524288",
    NCCL_P2P_NET_CHUNKSIZE: "524288",
    NCCL_P2P_PCI_CHUNKSIZE: "524288",
    NCCL_P2P_NVL_CHUNKSIZE: "1048576",
    NCCL_NSOCKS_PERTHREAD: "4",
    NCCL_SOCKET_NTHREADS: "1",
    NCCL_MAX_NCHANNELS: "8",
    NCCL_MIN_NCHANNELS: "8",
    NCCL_CROSS_NIC: "0",
    NCCL_ALGO: "Ring",
    NCCL_PROTO: "Simple",
    NCCL_NET_GDR_LEVEL: "PIX",
    NCCL_P2P_PXN_LEVEL: "0",
  };
}

/**
 * The pod's environment: the fabric the node checks and the libraries' path. TCPXO and RDMA take the rest of NCCL's
 * settings from the profile script the plugin installed (`entrypointPrelude`); TCPX has none, so its settings are
 * Google's run-nccl.sh values (tcpxEnv).
 */
export function gkeEnv(plan: Plan): Record<string, string> {
  const common = { GPU_CLUSTER_FABRIC: plan.fabric.kind, GPU_CLUSTER_EXPECTED_FABRIC_NICS: String(plan.fabric.nicsPerNode), LD_LIBRARY_PATH: IN_POD.nvidiaLib64 };
  switch (plan.fabric.kind) {
    case "gpudirect-tcpxo":
      // NCCL_LIB_DIR: where the profile (and launchers that read it) find the installed NCCL and plugin.
      return { ...common, NCCL_LIB_DIR: IN_POD.nvidiaLib64, NCCL_FASTRAK_LLCM_DEVICE_DIRECTORY: HOST.apertureDevices };
    case "gpudirect-tcpx":
      return { ...common, ...tcpxEnv(plan) };
    default:
      return common;
  }
}
