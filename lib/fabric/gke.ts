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
 * Facts (images, paths, annotation keys, flags) are from Google's GKE manifests,
 * github.com/GoogleCloudPlatform/container-engine-accelerators @992db812 (read 2026-11-30):
 * gpudirect-tcpxo/nccl-test-latest.yaml and nccl-test-unprivileged-without-hostnetwork.yaml (@abbe8ddf, 2026-04-20),
 * gpudirect-tcpxo/README.md and best-practice.md (@685dca25, 2026-01-09), gpudirect-tcpx/nccl-test-latest.yaml
 * (@089e0224, 2024-07-01), gpudirect-tcpx/nccl-config.yaml (@0e5609b0, 2026-06-02), gpudirect-rdma/nccl-test.yaml
 * (@155bfa49, 2026-03-09); and cluster-toolkit modules/compute/gke-node-pool/gpu-direct-workload/scripts/
 * enable-tcpx-in-workload.py (@4f04afc17, 2026-01-22). The sidecar runs as a native sidecar (an init container with
 * `restartPolicy: Always`, Kubernetes 1.29+, as best-practice.md recommends) so an indexed Job still completes when the
 * trainer exits, and Kubernetes starts the trainer only once the sidecar's startup probe has passed.
 */
import type * as k8s from "@pulumi/kubernetes/types/input";
import type { FabricKind } from "../catalog/types.js";
import { uniqueDnsLabel } from "../spec/dns.js";
import type { Plan } from "../planner/types.js";
import { NCCL_LAUNCHER_CORES, tcpxNcclSettings } from "./tcpx.js";
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
 * Images exactly as Google's manifests pair them with the NCCL plugin installers of the bootstrap: TCPXO's RxDM v1.0.21
 * with installer v1.0.15 (gpudirect-tcpxo/README.md, release of Jan 9, 2026, and nccl-test-latest.yaml @abbe8ddf);
 * TCPX's RxDM v2.0.12 with installer v3.1.9 (gpudirect-tcpx/nccl-test-latest.yaml @089e0224, still the current file).
 * Google's manifests give tags only. TCPXO's RxDM v1.0.21 is pinned by the digest NVIDIA's TCPXO training runtime
 * writes for exactly that tag (NVIDIA/aicr recipes/components/kubeflow-trainer/manifests/
 * torch-distributed-tcpxo-cluster-training-runtime.yaml @3c2108c7, read 2026-11-30, which pairs it with plugin
 * v1.0.15 as we do); the source does not say whether it is an index or a single-platform manifest digest, and the
 * repository publishes linux/amd64 only (arm64 builds live in separate `-arm64` repositories), so it is the image every
 * A3 Mega node pulls. TCPX's has no digest in any source (UNDIGESTED_IMAGES in clouds/kubernetes/options.ts).
 */
export const GKE_SIDECAR_IMAGES = {
  tcpxoRxdm: "us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpxo/tcpgpudmarxd-dev:v1.0.21@sha256:8d9e10fd589a34ab8a0aa64f7e70ad075c8f1c69bea176350f8d211367697e3d",
  tcpxRxdm: "us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpx/tcpgpudmarxd-dev:v2.0.12",
} as const;

/**
 * Host paths on GKE GPU nodes (COS): the driver libraries (where the NCCL installers also put the plugin) and the gIB
 * plugin, mounted read-only (every GPU pod of the node uses them); the aperture devices, which the workload writes.
 */
const HOST = {
  nvidiaLib64: "/home/kubernetes/bin/nvidia/lib64",
  nvidia: "/home/kubernetes/bin/nvidia",
  gib: "/home/kubernetes/bin/gib",
  apertureDevices: "/dev/aperture_devices",
} as const;

/** Where the pod sees them; the TCPX sidecar serves its Unix sockets in the pod's own directory at `tcpxSocket`. */
const IN_POD = {
  nvidiaLib64: "/usr/local/nvidia/lib64",
  nvidia: "/usr/local/nvidia",
  gib: "/usr/local/gib",
  tcpxSocket: "/run/tcpx",
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
 * The file Google's TCPXO receive-datapath manager writes once its buffer manager is initialised, when the variable
 * `HEALTH_CHECK_LOG_FILE` names it (best-practice.md, "Setup Startup Probe for the TCPXO-daemon Sidecar": no underscore
 * in the file name). It never appears on a node whose host components are broken.
 */
export const TCPXO_HEALTH_FILE = "/run/health-check";

/**
 * Startup probes of the datapath sidecars. Kubernetes starts a pod's regular containers only after every native
 * sidecar before them has started, which for a sidecar with a startup probe means the probe has passed: so the trainer
 * never runs, and NCCL never falls back, before the datapath is up. A sidecar whose probe keeps failing is restarted.
 * - TCPXO: Google's probe (`cat` the health file, every 5 s, from 1 s), with 24 failures allowed (2 minutes) where
 *   Google's example allows 6: initialisation "typically takes ~30s", and slurm-gcp's A3 Mega prolog
 *   (tools/prologs-epilogs/receive-data-path-manager-mega @f10bb0e9) waits up to 2 minutes for the same message.
 * - TCPX: the RxDM writes no health file; once up, it serves the flow-steering socket `rx_rule_manager` in the
 *   directory `--uds_path` names (google/tcpgpudmarxd src/rx_rule_manager.cc @33325b0d, RxRuleManager::Init, read
 *   2026-11-30), which the trainer shares (Google's gpudirect-tcpx manifests @992db812). That directory is an emptyDir
 *   that exists from the start, so the probe waits for the socket, from 10 s after start (slurm-gcp's A3 High prolog,
 *   receive-data-path-manager @6e4500a7, gives the daemon 10 s), failing after a further minute.
 */
export const SIDECAR_STARTUP_PROBES = {
  tcpxo: { exec: { command: ["cat", TCPXO_HEALTH_FILE] }, initialDelaySeconds: 1, periodSeconds: 5, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 24 },
  tcpx: {
    exec: { command: ["/bin/sh", "-c", `test -S ${IN_POD.tcpxSocket}/rx_rule_manager`] },
    initialDelaySeconds: 10,
    periodSeconds: 5,
    timeoutSeconds: 1,
    successThreshold: 1,
    failureThreshold: 12,
  },
} as const satisfies Record<string, k8s.core.v1.Probe>;

/**
 * The receive-datapath manager as a native sidecar, as Google's unprivileged manifests run it: root, not privileged,
 * the runtime's default capabilities plus the network ones it needs to program the GPU NICs (through the host's
 * /sys and /proc/sys, which it writes), whatever the pod's default user is; no privilege escalation.
 */
function rxdmSidecar(name: string, image: string, command: string[], capabilities: string[], mounts: k8s.core.v1.VolumeMount[], probe: k8s.core.v1.Probe, env: k8s.core.v1.EnvVar[] = []): k8s.core.v1.Container {
  return {
    name,
    image,
    command,
    restartPolicy: "Always",
    env: [{ name: "LD_LIBRARY_PATH", value: IN_POD.nvidiaLib64 }, ...env],
    securityContext: { runAsNonRoot: false, runAsUser: 0, privileged: false, allowPrivilegeEscalation: false, capabilities: { add: capabilities } },
    volumeMounts: mounts,
    startupProbe: probe,
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

/**
 * A3 Mega: the FasTrak receive-datapath manager (the entry script and flags of nccl-test-latest.yaml @abbe8ddf), the
 * aperture devices and the NCCL profile the TCPXO installer wrote.
 */
function tcpxoPod(plan: Plan): PodFabric {
  const sidecar = "tcpxo-daemon";
  return {
    resources: {},
    capabilities: [],
    annotations: { ...networkAnnotations(plan), [`devices.gke.io/container.${sidecar}`]: deviceAnnotation(plan, ["/dev/dmabuf_import_helper"]) },
    sidecars: [
      rxdmSidecar(
        sidecar,
        GKE_SIDECAR_IMAGES.tcpxoRxdm,
        ["/bin/sh", "-c", "set -ex\nchmod 755 /fts/entrypoint_rxdm_container.sh\nexec /fts/entrypoint_rxdm_container.sh --num_hops=2"],
        ["NET_ADMIN", "NET_BIND_SERVICE"],
        rxdmMounts(),
        SIDECAR_STARTUP_PROBES.tcpxo,
        [{ name: "HEALTH_CHECK_LOG_FILE", value: TCPXO_HEALTH_FILE }],
      ),
    ],
    volumes: [...RXDM_HOST_VOLUMES, hostPathVolume(VOLUME.apertureDevices, HOST.apertureDevices)],
    mounts: [
      { name: VOLUME.nvidiaLib64, mountPath: IN_POD.nvidiaLib64, readOnly: true },
      { name: VOLUME.apertureDevices, mountPath: HOST.apertureDevices },
    ],
    // The profile matches the installed plugin version (its guest-config checker rejects settings from another one).
    entrypointPrelude: [
      pluginWaitStep([`${IN_POD.nvidiaLib64}/nccl-env-profile.sh`], GKE_NCCL_INSTALLERS.tcpxo),
      `NCCL_LIB_DIR=${IN_POD.nvidiaLib64} source ${IN_POD.nvidiaLib64}/nccl-env-profile.sh`,
    ].join(" && "),
  };
}

/**
 * A3 High: the TCPX receive-datapath manager, talking to the NCCL plugin over Unix sockets in a directory of the pod's
 * own (an emptyDir, as cluster-toolkit's enable-tcpx-in-workload.py gives it), so no socket outlives its pod; the
 * workload waits for the node's plugin and runs on NCCL_LAUNCHER_CORES.
 */
function tcpxPod(plan: Plan): PodFabric {
  const sidecar = "tcpx-daemon";
  const socket = { name: VOLUME.tcpxSocket, mountPath: IN_POD.tcpxSocket };
  return {
    resources: {},
    // Google's TCPX workload container pins receive buffers.
    capabilities: ["IPC_LOCK"],
    annotations: { ...networkAnnotations(plan), [`devices.gke.io/container.${sidecar}`]: deviceAnnotation(plan, []) },
    sidecars: [
      rxdmSidecar(
        sidecar,
        GKE_SIDECAR_IMAGES.tcpxRxdm,
        ["/tcpgpudmarxd/build/app/tcpgpudmarxd", "--gpu_nic_preset", "a3vm", "--gpu_shmem_type", "fd", "--uds_path", IN_POD.tcpxSocket, "--setup_param", "--verbose 128 2 0 "],
        ["NET_ADMIN"],
        [...rxdmMounts(), socket],
        SIDECAR_STARTUP_PROBES.tcpx,
      ),
    ],
    volumes: [...RXDM_HOST_VOLUMES, { name: VOLUME.tcpxSocket, emptyDir: {} }],
    mounts: [{ name: VOLUME.nvidiaLib64, mountPath: IN_POD.nvidiaLib64, readOnly: true }, socket],
    // The plugin the installer copies (google/nccl-plugin-gpudirecttcpx scripts/container_entry.sh @91e86936:
    // libnccl-net.so), then the ranks off the flow-steering cores.
    entrypointPrelude: [pluginWaitStep([`${IN_POD.nvidiaLib64}/libnccl-net.so`], GKE_NCCL_INSTALLERS.tcpx), launcherPinStep()].join(" && "),
  };
}

/** Seconds a GPU pod waits for the node's NCCL plugin files before it fails. */
export const PLUGIN_WAIT_SECONDS = 600;

/**
 * The prelude step that waits (bounded) until the node's NCCL installer DaemonSet has put the plugin's files on the
 * node: a pod on a node that has just joined can start before the installer's init container has copied them (the
 * DaemonSets are not awaited, bootstrap.ts), and would otherwise fail on a missing profile or load NCCL without its
 * plugin. Past the limit it fails, naming the files and the DaemonSet that installs them. `files`: paths in the pod.
 */
export function pluginWaitStep(files: readonly string[], installer: string, seconds = PLUGIN_WAIT_SECONDS): string {
  const present = files.map((f) => `[ -e ${f} ]`).join(" && ");
  const message = `gpu-cluster: ${files.join(", ")} not on this node after ${seconds} s; the ${installer} DaemonSet in kube-system installs them (kubectl -n kube-system get pods -l k8s-app=${installer} -o wide)`;
  return `{ for i in $(seq ${Math.ceil(seconds / 5)}); do ${present} && break; sleep 5; done; ${present} || { echo '${message}' >&2; exit 1; }; }`;
}

/**
 * The prelude step that pins the workload (and every process it starts: torchrun, its ranks) to NCCL_LAUNCHER_CORES, as
 * Google's run-nccl.sh runs the ranks under `taskset -c`, or fails when the image has no taskset (util-linux).
 */
export function launcherPinStep(): string {
  return `{ command -v taskset >/dev/null || { echo 'gpu-cluster: GPUDirect-TCPX runs NCCL on cores ${NCCL_LAUNCHER_CORES}, away from the plugin flow-steering cores, with taskset, which the image lacks (install util-linux)' >&2; exit 1; }; } && taskset -pc ${NCCL_LAUNCHER_CORES} $$ >/dev/null`;
}

/** The installer DaemonSets' names (lib/clouds/gcp/gke/bootstrap.ts), which the wait names. */
export const GKE_NCCL_INSTALLERS = { tcpx: "nccl-tcpx-installer", tcpxo: "nccl-tcpxo-installer", rdma: "nccl-rdma-installer" } as const;

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
    entrypointPrelude: [pluginWaitStep([`${IN_POD.gib}/scripts/set_nccl_env.sh`], GKE_NCCL_INSTALLERS.rdma), `source ${IN_POD.gib}/scripts/set_nccl_env.sh`].join(" && "),
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
 * GPUDirect-TCPX's NCCL settings: the values of Google's run-nccl.sh for A3 High on GKE (gpudirect-tcpx/nccl-config.yaml
 * @0e5609b0, 2026-06-02), with the GPU NICs as the pod names them and the socket directory the sidecar serves.
 */
function tcpxEnv(plan: Plan): Record<string, string> {
  return { NCCL_SOCKET_IFNAME: "eth0", ...tcpxNcclSettings({ ctrl: "eth0", nics: fabricInterfaceNames(plan), socketDir: IN_POD.tcpxSocket, algo: "Ring,Tree" }) };
}

/**
 * The pod's environment: the fabric the node checks and the libraries' path. TCPXO and RDMA take the rest of NCCL's
 * settings from the profile script the plugin installed (`entrypointPrelude`); TCPX's plugin ships no profile, so its
 * settings are Google's run-nccl.sh values (tcpxEnv).
 *
 * A known, unverified risk on TCPX (review of 2026-12-01): LD_LIBRARY_PATH makes the pods load the installer's NCCL
 * (`install --install-nccl`, container-engine-accelerators gpudirect-tcpx/nccl-tcpx-installer.yaml @22f1e653), of the
 * plugin's NCCL 2.19 line (its VM build is tagged v3.1.9-2.19.4-12.0, lib/clouds/gcp/fabric-boot.ts), under a PyTorch
 * built on a newer NCCL (NGC 25.01's 2.25.1, lib/clouds/kubernetes/options.ts). Google's own A3 High runs pair the plugin with NCCL 2.19-era
 * images (cluster-toolkit a3-highgpu-8g/nccl-tests/run-nccl-tests.sh @104708037: NGC 23.10). Whether the newer torch
 * calls an NCCL entry point 2.19 lacks (at import, or only above 128 ranks) was not checkable without the images; a
 * mismatch fails loudly (the gate at `up`, or the job's NCCL init), never silently. `image` overrides the default.
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
