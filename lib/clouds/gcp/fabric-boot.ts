/**
 * The GPUDirect software of GCP VM nodes, installed and started by the startup script (which runs at every boot), so
 * NCCL finds its plugin and datapath, or the boot fails saying which piece is missing:
 *
 * - A3 High (GPUDirect-TCPX): the TCPX NCCL plugin (installer container into /var/lib/tcpx/lib64) and the receive-
 *   datapath manager (RxDM) container under systemd with the GPU/NIC receive-queue map, as slurm-gcp's A3 High prolog
 *   does (tools/prologs-epilogs/receive-data-path-manager @6e4500a7, 2024-09-30, which cluster-toolkit's
 *   examples/machine-learning/a3-highgpu-8g/a3high-slurm-blueprint.yaml @5231ccc8f, 2026-05-26, installs with the
 *   map). That blueprint also builds its image on Google's TCPX kernel (`linux-gcp-tcpx`); the boot refuses any other.
 * - A3 Mega (GPUDirect-TCPXO): the dmabuf import helper module from Google's `gpudirect-tcpxo-apt` repository and the
 *   aperture devices (cluster-toolkit a3mega-slurm-blueprint.yaml @6c6a9a034, 2026-06-15: install_dmabuf.yml, and the
 *   bind mounts of container-engine-accelerators gpudirect-tcpxo/nccl-tcpxo-installer.yaml @685dca25), the TCPXO plugin
 *   with its NCCL (`install --install-nccl` into /var/lib/tcpxo/lib64) and the FasTrak RxDM, waited for until its buffer
 *   manager is up, as slurm-gcp's receive-data-path-manager-mega @f10bb0e9 (2026-07-20) does.
 * - A3 Ultra / A4 (GPUDirect-RDMA): the `nccl-gib` package from Google's `gpudirect-gib-apt` repository, held, and its
 *   library directory registered with the dynamic linker (cluster-toolkit a4-highgpu-8g/a4high-vm.yaml @ad831f5f0).
 *
 * All read 2026-11-30. Every login shell then sources the plugin's own NCCL script first and the node's NCCL settings
 * (lib/fabric) after it; /etc/gpu-cluster/nccl.env holds the result for `docker run --env-file`.
 */
import type { Plan } from "../../planner/types.js";
import { GCP_VM_NICS, GCP_VM_PLUGIN_DIRS } from "../../fabric/index.js";
import { shellQuote, systemdUnitLines } from "../shared/bootstrap.js";
import { containerRuntimeLines } from "../shared/model-server.js";
import { dockerOnLocalSsdLines } from "./local-ssd.js";

/**
 * Images the VM nodes run, as slurm-gcp's prologs pair them (the versions cluster-toolkit's A3 blueprints deploy): TCPX
 * plugin v3.1.9 built for NCCL 2.19.4 / CUDA 12.0 with RxDM v2.0.12 (receive-data-path-manager @6e4500a7); TCPXO
 * plugin v1.0.17 with RxDM v1.0.23 (receive-data-path-manager-mega @f10bb0e9). By tag: no source shows a digest
 * (UNDIGESTED_IMAGES in clouds/kubernetes/options.ts lists them with why).
 */
export const VM_FABRIC_IMAGES = {
  tcpxPlugin: "us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpx/nccl-plugin-gpudirecttcpx-dev:v3.1.9-2.19.4-12.0",
  tcpxRxdm: "us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpx/tcpgpudmarxd-dev:v2.0.12",
  tcpxoPlugin: "us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpxo/nccl-plugin-gpudirecttcpx-dev:v1.0.17",
  tcpxoRxdm: "us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpxo/tcpgpudmarxd-dev:v1.0.23",
} as const;

/**
 * Google's Artifact Registry apt repositories of GPUDirect host software, and the key every such repository is signed
 * with. They are read as the node's service account, through Artifact Registry's apt transport (`ar+https`, package
 * apt-transport-artifact-registry from Google's packages.cloud.google.com repository), as every cluster-toolkit
 * blueprint reaches gce-ai-infra (a3mega-slurm-blueprint.yaml install_dmabuf.yml, a3ultra-slurm-blueprint.yaml and
 * a4high-vm.yaml install_nccl_gib.yml @10470803, read 2026-11-30). gce-ai-infra is Google's project: no role of ours
 * reaches it, and the anchors grant none; the node only needs its own account's token with the cloud-platform scope,
 * which the instance template gives (template.ts).
 */
export const GPUDIRECT_APT = {
  key: "https://us-apt.pkg.dev/doc/repo-signing-key.gpg",
  base: "ar+https://us-apt.pkg.dev/projects/gce-ai-infra",
  tcpxoSuite: "gpudirect-tcpxo-apt",
  gibSuite: "gpudirect-gib-apt",
  transport: {
    package: "apt-transport-artifact-registry",
    key: "https://packages.cloud.google.com/apt/doc/apt-key.gpg",
    source: "https://packages.cloud.google.com/apt apt-transport-artifact-registry-stable main",
  },
} as const;

/**
 * The gIB NCCL plugin release GKE's A3 Ultra / A4 nodes get: the installer image tag (`nccl-plugin-gib:v<version>`,
 * container-engine-accelerators gpudirect-rdma/nccl-rdma-installer.yaml @2da1c92f, 2026-05-06, the file at @992db812
 * read 2026-12-01).
 */
export const NCCL_GIB_VERSION = "1.1.1";

/**
 * The gIB apt package version every A3 Ultra / A4 VM runs (`nccl-gib=<version>`): the one Google's own VM blueprints
 * install, cluster-toolkit's A3 Ultra / A4 Slurm blueprints' `nccl_gib_version: 1.1.0` (a3ultra-slurm-blueprint.yaml and
 * a4high-slurm-blueprint.yaml @104708037, 2026-06-25; the value changed from `v1.1.0` to `1.1.0` in cb0079b1f,
 * 2025-09-12). Not GKE's 1.1.1: no source shows an apt package of that version (apt installs `pkg=version` only on an
 * exact version string, so a guessed one would fail every boot). A VM whose package differs is moved to this version
 * at boot, or fails: every node of a group on one NCCL and plugin build.
 */
export const NCCL_GIB_APT_VERSION = "1.1.0";

/** The registry of Google's GPUDirect images; Docker reads it as the node's service account. */
export const GPUDIRECT_REGISTRY = "us-docker.pkg.dev";

/** The systemd unit that keeps the RxDM container running. */
export const RXDM_UNIT = "gpu-cluster-rxdm.service";
const RXDM_CONTAINER = "gpu-cluster-rxdm";
/** Login profile of the plugin's own NCCL script; sorts before gpu-cluster-fabric.sh, whose settings must win. */
export const PLUGIN_PROFILE = "/etc/profile.d/gpu-cluster-0-nccl-plugin.sh";
/** The node's whole NCCL environment, flattened for services and containers. */
export const NCCL_ENV_FILE = "/etc/gpu-cluster/nccl.env";
/** Where the TCPX RxDM reads its GPU / NIC receive-queue map. */
export const TCPX_RXQ_CONFIG = "/opt/tcpdirect_benchmark/gpu_rxq_configuration.textproto";

/**
 * a3-highgpu-8g's PCI layout as the TCPX RxDM needs it: each GPU NIC, its interface name on Ubuntu, and the two GPUs
 * behind the same PCIe switch (cluster-toolkit a3high-slurm-blueprint.yaml @5231ccc8f, gpu_rxq_configuration).
 */
const A3_HIGH_RXQ: readonly { nic: string; gpus: readonly [string, string] }[] = [
  { nic: "0000:06:00.0", gpus: ["0000:04:00.0", "0000:05:00.0"] },
  { nic: "0000:0c:00.0", gpus: ["0000:0a:00.0", "0000:0b:00.0"] },
  { nic: "0000:86:00.0", gpus: ["0000:84:00.0", "0000:85:00.0"] },
  { nic: "0000:8c:00.0", gpus: ["0000:8a:00.0", "0000:8b:00.0"] },
];

/** The receive-queue map: queues 8-11 to the first GPU of each NIC, 12-15 to the second. */
export function tcpxRxqConfig(): string {
  const ifnames = GCP_VM_NICS["gpudirect-tcpx"].nics;
  const gpu = (addr: string, first: number) => [`  gpu_infos {`, `    gpu_pci_addr: "${addr}"`, ...[0, 1, 2, 3].map((q) => `    queue_ids: ${first + q}`), `  }`];
  return [
    ...A3_HIGH_RXQ.flatMap(({ nic, gpus }, i) => ["gpu_rxq_configs {", ...gpu(gpus[0], 8), ...gpu(gpus[1], 12), `  nic_pci_addr: "${nic}"`, `  ifname: "${ifnames[i]}"`, "}"]),
    "rss_set_size: 8",
    "tcpd_queue_size: 8",
    "max_rx_rules: 100000",
  ].join("\n");
}

/** Every named interface must exist: an image that names the NICs otherwise would leave NCCL without its GPU NICs. */
function interfaceCheckLines(kind: "gpudirect-tcpx" | "gpudirect-tcpxo"): string[] {
  const { ctrl, nics } = GCP_VM_NICS[kind];
  const names = [ctrl, ...nics];
  return [
    `for nic in ${names.join(" ")}; do`,
    `  [ -e "/sys/class/net/$nic" ] || fail "${kind}: no interface $nic; the NCCL settings name the NICs as Ubuntu does (${names.join(",")}), use an Ubuntu gcp.image"`,
    "done",
  ];
}

/**
 * Add one of Google's GPUDirect apt repositories (signed by Artifact Registry's key), read through Artifact Registry's
 * apt transport as the node's service account, and refresh the index.
 */
function aptRepoLines(suite: string, what: string, arch = ""): string[] {
  const keyring = "/etc/apt/keyrings/gpu-cluster-gce-ai-infra.gpg";
  const transportKeyring = "/etc/apt/keyrings/gpu-cluster-cloud-packages.gpg";
  const { transport } = GPUDIRECT_APT;
  const options = [arch ? `arch=${arch}` : "", `signed-by=${keyring}`].filter(Boolean).join(" ");
  return [
    "  . /etc/os-release",
    `  [ "\${ID:-}" = "ubuntu" ] || fail "${what}: Google publishes it as Ubuntu packages, the image is \${PRETTY_NAME:-unknown}; use an Ubuntu gcp.image"`,
    "  mkdir -p /etc/apt/keyrings",
    `  if ! dpkg -s ${transport.package} >/dev/null 2>&1; then`,
    `    [ -s ${transportKeyring} ] || curl -fsSL ${shellQuote(transport.key)} | gpg --dearmor --yes -o ${transportKeyring} || fail ${shellQuote(`${what}: could not fetch Google's package key (is there a route to packages.cloud.google.com?)`)}`,
    `    echo ${shellQuote(`deb [signed-by=${transportKeyring}] ${transport.source}`)} > /etc/apt/sources.list.d/gpu-cluster-artifact-registry-transport.list`,
    `    apt-get -o DPkg::Lock::Timeout=600 update -q || fail ${shellQuote(`${what}: apt-get update failed`)}`,
    `    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q ${transport.package} || fail ${shellQuote(`${what}: installing ${transport.package} (Artifact Registry's apt transport) failed`)}`,
    "  fi",
    `  [ -s ${keyring} ] || curl -fsSL ${shellQuote(GPUDIRECT_APT.key)} | gpg --dearmor --yes -o ${keyring} || fail ${shellQuote(`${what}: could not fetch the repository key (is there a route to us-apt.pkg.dev?)`)}`,
    `  echo ${shellQuote(`deb [${options}] ${GPUDIRECT_APT.base} ${suite} main`)} > /etc/apt/sources.list.d/gpu-cluster-${suite}.list`,
    `  apt-get -o DPkg::Lock::Timeout=600 update -q || fail ${shellQuote(`${what}: apt-get update failed (gce-ai-infra is read as the node's service account: does the instance have the cloud-platform scope?)`)}`,
  ];
}

/**
 * Docker reads Google's GPUDirect images as the node's service account (`gcloud auth configure-docker`, as slurm-gcp's
 * receive-data-path-manager-mega @13fd92b6 does before its `docker run`s), and pulls both now: the RxDM unit then
 * starts from the local image without credentials, and a pull that fails stops the boot here, naming the image.
 * Tags are pinned, so an image already on the node is not pulled again at a later boot.
 */
function registryLoginLines(images: string[], what: string): string[] {
  return [
    'export HOME="${HOME:-/root}" PATH="$PATH:/snap/bin:/usr/local/lib/google-cloud-sdk/bin"',
    `command -v gcloud >/dev/null || fail ${shellQuote(`${what}: gcloud is needed to read ${GPUDIRECT_REGISTRY} as the node's service account; use an image with the Google Cloud CLI`)}`,
    `gcloud auth configure-docker --quiet ${GPUDIRECT_REGISTRY} >/dev/null 2>&1 || fail ${shellQuote(`${what}: gcloud auth configure-docker ${GPUDIRECT_REGISTRY} failed`)}`,
    // Pinned tags: a later boot finds them local and needs no registry.
    ...images.map((image) => `docker image inspect ${image} >/dev/null 2>&1 || docker pull -q ${image} >/dev/null || fail ${shellQuote(`${what}: pulling ${image} failed`)}`),
  ];
}

/** Install the plugin with its installer container (removing what an earlier version left), or stop. */
function pluginInstallLines(image: string, args: string, dir: string, what: string): string[] {
  return [
    `rm -rf ${dir}`,
    `docker run --rm --name gpu-cluster-nccl-installer --network=host -v /var/lib:/var/lib ${image} ${args} || fail ${shellQuote(`${what}: the NCCL plugin installer (${image}) failed`)}`,
    `[ -n "$(ls -A ${dir} 2>/dev/null)" ] || fail ${shellQuote(`${what}: the NCCL plugin installer left nothing in ${dir}`)}`,
  ];
}

/** The RxDM as a systemd unit that restarts it, (re)started now. */
function rxdmUnitLines(dockerArgs: string[], image: string, args: string[]): string[] {
  return [
    ...systemdUnitLines(RXDM_UNIT, [
      "[Unit]",
      "Description=gpu-cluster: GPUDirect receive-datapath manager",
      "After=docker.service",
      "Requires=docker.service",
      "",
      "[Service]",
      `ExecStartPre=-/usr/bin/docker rm -f ${RXDM_CONTAINER}`,
      `ExecStart=/usr/bin/docker run --rm --name ${RXDM_CONTAINER} ${dockerArgs.join(" ")} ${image} ${args.join(" ")}`,
      `ExecStop=/usr/bin/docker stop ${RXDM_CONTAINER}`,
      "Restart=always",
      "RestartSec=5",
      "",
      "[Install]",
      "WantedBy=multi-user.target",
    ]),
    "systemctl daemon-reload",
    `systemctl enable ${RXDM_UNIT}`,
    `systemctl restart ${RXDM_UNIT} || fail 'the receive-datapath manager does not start'`,
  ];
}

/**
 * Docker with the NVIDIA runtime, its data root on the local SSD array when there is one: the first lines of every VM
 * fabric, before any image is pulled (the plugin installers, the RxDM, the gate's PyTorch image). Every built GPUDirect
 * type carries local SSD (LOCAL_SSD_COUNT), and cluster-toolkit's blueprints put Docker there on each of them:
 * examples/machine-learning/a4-highgpu-8g/a4high-vm.yaml @ad831f5f0 (2026-06-09, read 2026-12-01), startup-script
 * `local_ssd_filesystem` and `docker.daemon_config` `"data-root": "$(vars.local_ssd_mountpoint)/docker"`.
 */
function runtimeLines(): string[] {
  return [...containerRuntimeLines(), ...dockerOnLocalSsdLines()];
}

/**
 * Where the host's limits are raised for login sessions (pam_limits). The file keeps the name it had when it held
 * memlock only, so a node that reruns its startup script rewrites the same file rather than leaving a second one.
 */
export const MEMLOCK_LIMITS_FILE = "/etc/security/limits.d/99-gpu-cluster-memlock.conf";
/** Where they are raised for services systemd starts (systemd-system.conf(5) `DefaultLimit*=`); same name, same reason. */
export const MEMLOCK_SYSTEMD_DROPIN = "/etc/systemd/system.conf.d/99-gpu-cluster-memlock.conf";

/**
 * The host limits, each for login sessions (limits.conf(5): `* - <item> <value>`, soft and hard) and for systemd's
 * services (`DefaultLimit<ITEM>=`), as cluster-toolkit's GPUDirect VM blueprints write
 * /etc/security/limits.d/99-unlimited.conf ("duplicates the ulimits configuration of the HPC VM Image"):
 * GoogleCloudPlatform/cluster-toolkit@1047080 examples/machine-learning/a4-highgpu-8g/a4high-vm.yaml:121-128
 * (last changed @ad831f5f0, 2026-06-09) and a3-megagpu-8g/a3mega-slurm-blueprint.yaml:219-228 (@6c6a9a034,
 * 2026-06-15), read 2026-12-01. Their `cpu unlimited` is every distribution's default already, and `rtprio` is left
 * as the image has it.
 * - memlock: NCCL and the network plugins pin their buffers (ibv_reg_mr on A3 Ultra / A4, the TCPX / TCPXO receive
 *   buffers), which Ubuntu's 8 MiB default refuses to a non-root user;
 * - nofile 1048576: NCCL over TCPX / TCPXO / gIB opens sockets per peer, channel and flow, plus the data loader's files;
 *   Ubuntu's soft 1024 ends an all-to-all at 16+ nodes with "Too many open files" (containers get Docker's 1048576);
 * - nproc, stack unlimited: data-loader workers and threads, and deep native stacks.
 * The systemd defaults carry memlock, nproc and nofile (soft and hard: a job a service starts gets no login shell to
 * raise its soft limit; systemd.exec(5) warns that a soft limit over 1024 breaks programs still using select(), which
 * the anchors accept for logins too). The stack stays login-only, as the anchors set it: as a systemd default it
 * would reach the Docker daemon and so every container, changing their threads' default stacks.
 */
export const HOST_LIMITS: readonly { item: string; value: string; systemd?: string; systemdValue?: string }[] = [
  { item: "memlock", value: "unlimited", systemd: "DefaultLimitMEMLOCK", systemdValue: "infinity" },
  { item: "nproc", value: "unlimited", systemd: "DefaultLimitNPROC", systemdValue: "infinity" },
  { item: "stack", value: "unlimited" },
  { item: "nofile", value: "1048576", systemd: "DefaultLimitNOFILE", systemdValue: "1048576" },
];

/**
 * The host limits a GPUDirect job needs when it runs on the host rather than in the gate's container (which gets
 * `--ulimit memlock=-1`), from HOST_LIMITS: limits.d for login sessions, and the systemd default for services (a user's
 * units, a scheduler's daemons), which pam_limits does not reach; that takes effect through `daemon-reexec`, run only
 * when the drop-in changed. And nvidia-persistenced runs, as a4high-vm.yaml enables it (install_a4h_drivers.yml
 * post_tasks), so the driver stays loaded between jobs; an image without the unit is left as it is, said in the boot log.
 */
export function hostLimitsLines(): string[] {
  const limits = HOST_LIMITS.map((l) => `* - ${l.item} ${l.value}\\n`).join("");
  const dropin = `[Manager]\\n${HOST_LIMITS.filter((l) => l.systemd !== undefined).map((l) => `${l.systemd}=${l.systemdValue}\\n`).join("")}`;
  return [
    `# Host limits for GPUDirect jobs run on the host (${HOST_LIMITS.map((l) => `${l.item} ${l.value}`).join(", ")}), and the driver kept loaded (nvidia-persistenced).`,
    `printf '${limits}' > ${MEMLOCK_LIMITS_FILE}`,
    `if [ "$(cat ${MEMLOCK_SYSTEMD_DROPIN} 2>/dev/null)" != "$(printf '${dropin}')" ]; then`,
    `  mkdir -p ${MEMLOCK_SYSTEMD_DROPIN.slice(0, MEMLOCK_SYSTEMD_DROPIN.lastIndexOf("/"))}`,
    `  printf '${dropin}' > ${MEMLOCK_SYSTEMD_DROPIN}`,
    "  systemctl daemon-reexec || fail 'systemd did not re-read its configuration (DefaultLimit*)'",
    "fi",
    "if systemctl cat nvidia-persistenced.service >/dev/null 2>&1; then",
    "  systemctl enable --now nvidia-persistenced.service || fail 'nvidia-persistenced does not start'",
    "else",
    "  echo 'gpu-cluster: the image has no nvidia-persistenced.service; the GPUs are not kept in persistence mode'",
    "fi",
  ];
}

/** Write the plugin's login profile. */
function profileLines(lines: string[]): string[] {
  return [`cat > ${PLUGIN_PROFILE} <<'PROFILE'`, ...lines, "PROFILE"];
}

/** A3 High. */
function tcpxLines(): string[] {
  const dir = GCP_VM_PLUGIN_DIRS.tcpx;
  const socket = GCP_VM_PLUGIN_DIRS.tcpxSocket;
  const configDir = TCPX_RXQ_CONFIG.slice(0, TCPX_RXQ_CONFIG.lastIndexOf("/"));
  return [
    "# GPUDirect-TCPX (A3 High): the TCPX kernel, the NCCL plugin and the receive-datapath manager.",
    'case "$(uname -r)" in',
    "  *tcpx*) ;;",
    `  *) fail "gpudirect-tcpx: the node runs kernel $(uname -r); GPUDirect-TCPX needs Google's TCPX kernel (Ubuntu linux-gcp-tcpx, which cluster-toolkit's A3 High image build installs). Boot from such an image (gcp.image), or set fabric: none to run over TCP" ;;`,
    "esac",
    ...interfaceCheckLines("gpudirect-tcpx"),
    ...registryLoginLines([VM_FABRIC_IMAGES.tcpxPlugin, VM_FABRIC_IMAGES.tcpxRxdm], "gpudirect-tcpx"),
    ...pluginInstallLines(VM_FABRIC_IMAGES.tcpxPlugin, "install", dir, "gpudirect-tcpx"),
    `mkdir -p ${configDir} ${socket}`,
    `cat > ${TCPX_RXQ_CONFIG} <<'RXQ'`,
    tcpxRxqConfig(),
    "RXQ",
    ...rxdmUnitLines(
      [
        "--cap-add=NET_ADMIN",
        "--network=host",
        "--privileged",
        "--gpus all",
        "--volume /var/lib/nvidia/lib64:/usr/local/nvidia/lib64",
        `--volume ${configDir}:${configDir}`,
        `--volume ${socket}:${socket}`,
        `--env LD_LIBRARY_PATH=/usr/local/nvidia/lib64:${socket}:/usr/lib/lib32:/usr/lib/x86_64-linux-gnu/`,
        "--entrypoint /tcpgpudmarxd/build/app/tcpgpudmarxd",
        "--ulimit memlock=-1",
      ],
      VM_FABRIC_IMAGES.tcpxRxdm,
      ["--gpu_nic_preset manual", `--gpu_nic_topology ${TCPX_RXQ_CONFIG}`, "--gpu_shmem_type fd", `--uds_path ${socket}`],
    ),
    // The RxDM reports no readiness: slurm-gcp gives it 10 s; a daemon that is not running by then has failed.
    "sleep 10",
    `[ "$(docker container inspect -f '{{.State.Running}}' ${RXDM_CONTAINER} 2>/dev/null)" = "true" ] || fail "gpudirect-tcpx: the receive-datapath manager exited (journalctl -u ${RXDM_UNIT})"`,
    ...profileLines([`export LD_LIBRARY_PATH=${dir}\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}`]),
  ];
}

/** A3 Mega. */
function tcpxoLines(): string[] {
  const dir = GCP_VM_PLUGIN_DIRS.tcpxo;
  const aperture = GCP_VM_PLUGIN_DIRS.apertureDevices;
  return [
    "# GPUDirect-TCPXO (A3 Mega): the dmabuf import helper, the aperture devices, the NCCL plugin and the FasTrak datapath manager.",
    ...interfaceCheckLines("gpudirect-tcpxo"),
    "if ! modprobe import-helper 2>/dev/null; then",
    ...aptRepoLines(GPUDIRECT_APT.tcpxoSuite, "gpudirect-tcpxo dmabuf import helper", "all"),
    "  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q dkms dmabuf-import-helper || fail 'gpudirect-tcpxo: installing dmabuf-import-helper failed'",
    `  modprobe import-helper || fail "gpudirect-tcpxo: the dmabuf import helper does not load on kernel $(uname -r)"`,
    "fi",
    // The aperture devices (PCI 1ae0:0084) bind-mounted under one directory, readable by all, their BARs writable.
    `mkdir -p ${aperture}`,
    "for bdf in $(lspci -nn -D | awk '/1ae0:0084/ {print $1}'); do",
    `  target=${aperture}/$bdf`,
    '  mkdir -p "$target"',
    `  mountpoint -q "$target" || mount --bind "$(readlink -f /sys/bus/pci/devices/$bdf)" "$target" || fail "gpudirect-tcpxo: binding aperture device $bdf failed"`,
    "done",
    `[ -n "$(ls -A ${aperture})" ] || fail 'gpudirect-tcpxo: no aperture device (PCI 1ae0:0084) on this node'`,
    `chmod -R a+r ${aperture}/ && chmod a+rw ${aperture}/*/resource*`,
    ...registryLoginLines([VM_FABRIC_IMAGES.tcpxoPlugin, VM_FABRIC_IMAGES.tcpxoRxdm], "gpudirect-tcpxo"),
    ...pluginInstallLines(VM_FABRIC_IMAGES.tcpxoPlugin, "install --install-nccl", dir, "gpudirect-tcpxo"),
    `[ -r ${dir}/nccl-env-profile.sh ] || fail 'gpudirect-tcpxo: the plugin installed no nccl-env-profile.sh'`,
    ...rxdmUnitLines(
      [
        "--cap-add=NET_ADMIN",
        "--network=host",
        "--privileged",
        "--gpus all",
        "--volume /var/lib/nvidia/lib64:/usr/local/nvidia/lib64",
        "--volume /dev/dmabuf_import_helper:/dev/dmabuf_import_helper",
        "--env LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu",
      ],
      VM_FABRIC_IMAGES.tcpxoRxdm,
      ["--num_hops=2", "--num_nics=8", "--uid=", "--alsologtostderr"],
    ),
    // Up to 2 minutes for the buffer manager, as slurm-gcp's prolog waits (60 × 2 s).
    "rxdm_ready=no",
    "for i in $(seq 60); do",
    // grep reads the whole log (no -q): with pipefail, an early exit would fail docker's write and the pipeline.
    `  if docker logs ${RXDM_CONTAINER} 2>&1 | grep 'Buffer manager initialization complete' >/dev/null; then rxdm_ready=yes; break; fi`,
    "  sleep 2",
    "done",
    `[ "$rxdm_ready" = yes ] || fail "gpudirect-tcpxo: the receive-datapath manager did not finish initialising in 2 minutes (journalctl -u ${RXDM_UNIT})"`,
    ...profileLines([`export NCCL_LIB_DIR=${dir}`, `. ${dir}/nccl-env-profile.sh`, `export LD_LIBRARY_PATH=${dir}\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}`]),
  ];
}

/** Where the kernel lists RDMA devices; each MRDMA NIC of A3 Ultra / A4 is one (a ConnectX-7 with one port). */
export const RDMA_SYSFS = "/sys/class/infiniband";
/** Seconds the boot waits for every RDMA port to come ACTIVE after the link trains. */
export const RDMA_PORT_WAIT_SECONDS = 120;

/**
 * The RDMA user space of A3 Ultra / A4, as cluster-toolkit's a4high-vm.yaml @10470803 installs it on its Ubuntu image
 * (install_ibverbs_utils.yml: `ibverbs-utils`), with `rdma-core` (the udev rules and the device naming the verbs
 * providers expect, and the unit that loads ib_uverbs): skipped when the image already has `ibv_devinfo`. Installed
 * rather than switching A3 Ultra / A4 to the blueprints' ubuntu-accelerator image (a3ultra-vm.yaml boots
 * ubuntu-accelerator-2204-amd64-with-nvidia-570, the Slurm blueprints the 2404 / nvidia-580 one): that image carries no
 * Docker or NVIDIA container toolkit (the blueprints add them with their startup-script module), which the fabric and
 * model-server lines expect of the default Deep Learning VM image, and a new default image would replace every
 * existing node's template; a4high-vm.yaml itself boots stock ubuntu-2204-lts and installs ibverbs-utils as here.
 */
function rdmaUserSpaceLines(): string[] {
  return [
    "if ! command -v ibv_devinfo >/dev/null 2>&1; then",
    "  apt-get -o DPkg::Lock::Timeout=600 update -q || fail 'rdma: apt-get update failed (installing ibverbs-utils, rdma-core)'",
    "  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q ibverbs-utils rdma-core || fail 'rdma: installing the RDMA user space (ibverbs-utils, rdma-core) failed'",
    "fi",
  ];
}

/**
 * Every MRDMA NIC the plan gave the node must be an RDMA device whose port 1 is ACTIVE, or the boot fails: NCCL would
 * otherwise run over the gVNIC at a fraction of the fabric's bandwidth without a word. Ports may still be training
 * their link when the script reaches this: up to `waitSeconds` for them. Then `ibv_devinfo` must list the devices
 * (the verbs library and its providers work, which is what the gIB plugin opens).
 */
export function rdmaCheckLines(expected: number, { sysfs = RDMA_SYSFS, waitSeconds = RDMA_PORT_WAIT_SECONDS } = {}): string[] {
  return [
    `rdma_ok=no`,
    `for i in $(seq 0 ${Math.max(0, Math.ceil(waitSeconds / 5))}); do`,
    `  rdma_found=$(ls -d ${sysfs}/*/ 2>/dev/null | wc -l)`,
    `  rdma_active=$(cat ${sysfs}/*/ports/1/state 2>/dev/null | grep -c ': ACTIVE$')`,
    `  if [ "$rdma_found" -ge ${expected} ] && [ "$rdma_active" -eq "$rdma_found" ]; then rdma_ok=yes; break; fi`,
    `  [ "$i" -eq ${Math.max(0, Math.ceil(waitSeconds / 5))} ] || sleep 5`,
    "done",
    `[ "$rdma_found" -ge ${expected} ] || fail "rdma: the node has $rdma_found of its ${expected} RDMA devices (${sysfs}); the MRDMA NICs are missing (machine type, network interfaces, or the image's mlx5 driver)"`,
    `[ "$rdma_ok" = yes ] || fail "rdma: $((rdma_found - rdma_active)) of $rdma_found RDMA ports are not ACTIVE after ${waitSeconds} s: $(grep -H . ${sysfs}/*/ports/1/state 2>/dev/null | grep -v ': ACTIVE$' | tr '\\n' ' ')"`,
    // `ibv_devinfo -l` opens every device through the verbs library; its first line is "<n> HCAs found:" (names vary with udev).
    `[ "$(ibv_devinfo -l 2>/dev/null | awk 'NR == 1 { print $1 + 0 }')" -ge ${expected} ] || fail "rdma: ibv_devinfo does not list the ${expected} RDMA devices (the verbs library, its mlx5 provider or ib_uverbs is missing)"`,
  ];
}

/** The installed nccl-gib version (empty when none), and the pinned one as a shell word. */
const GIB_INSTALLED = "dpkg-query -W -f='${Version}' nccl-gib 2>/dev/null || true";
const GIB_PINNED = shellQuote(NCCL_GIB_APT_VERSION);

/** A3 Ultra / A4. */
function gibLines(plan: Plan): string[] {
  const lib = GCP_VM_PLUGIN_DIRS.gib;
  const root = lib.slice(0, lib.lastIndexOf("/"));
  return [
    `# GPUDirect-RDMA (A3 Ultra / A4): the RDMA user space, every MRDMA NIC up, then Google's gIB NCCL plugin ${NCCL_GIB_APT_VERSION}, held, on the linker's path.`,
    ...rdmaUserSpaceLines(),
    ...rdmaCheckLines(plan.fabric.nicsPerNode),
    // Every node of the group on one build (NCCL and plugin), whenever it was created or replaced: a node created
    // earlier, or by an older library, is moved to the pinned version at its next boot.
    `gib_version=$(${GIB_INSTALLED})`,
    `if [ "$gib_version" != ${GIB_PINNED} ]; then`,
    ...aptRepoLines(GPUDIRECT_APT.gibSuite, "gIB NCCL plugin"),
    "  apt-mark unhold nccl-gib >/dev/null 2>&1 || true",
    `  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q --allow-downgrades --allow-change-held-packages nccl-gib=${NCCL_GIB_APT_VERSION} || fail "rdma: installing the gIB NCCL plugin nccl-gib=${NCCL_GIB_APT_VERSION} (the version Google's A3 Ultra / A4 VM blueprints install) failed; the node has \${gib_version:-none}"`,
    "  apt-mark hold nccl-gib",
    "fi",
    `[ "$(${GIB_INSTALLED})" = ${GIB_PINNED} ] || fail "rdma: nccl-gib is $(${GIB_INSTALLED}) on this node, not ${NCCL_GIB_APT_VERSION}: every node must run the same gIB and NCCL build"`,
    `[ -d ${lib} ] || fail 'rdma: the gIB NCCL plugin left no ${lib}'`,
    `echo ${lib} > /etc/ld.so.conf.d/000_nccl-gib.conf`,
    "ldconfig",
    ...profileLines([`[ -r ${root}/scripts/set_nccl_env.sh ] && . ${root}/scripts/set_nccl_env.sh`]),
  ];
}

const LINES: Partial<Record<Plan["fabric"]["kind"], (plan: Plan) => string[]>> = {
  "gpudirect-tcpx": tcpxLines,
  "gpudirect-tcpxo": tcpxoLines,
  rdma: gibLines,
};

/** Flatten the login environment (system, plugin script, node settings) into NCCL_ENV_FILE for services and containers. */
function envFileLines(): string[] {
  return [
    "mkdir -p /etc/gpu-cluster",
    `env -i bash -c 'set -a; . /etc/environment; for f in ${PLUGIN_PROFILE} /etc/profile.d/gpu-cluster-fabric.sh; do [ -r "$f" ] && . "$f"; done; env' | grep -E '^(NCCL_|LD_LIBRARY_PATH=|CUDA_VISIBLE_DEVICES=)' > ${NCCL_ENV_FILE}`,
  ];
}

/**
 * The boot lines of the plan's GPUDirect software (training only; a fabric the VM path does not install, or none,
 * gets none): the same first lines for every fabric (the host limits, Docker with its data on the local SSD), the
 * fabric's own, then the flattened environment. Without one, Docker still moves onto the local SSD when installed.
 */
export function fabricBootLines(plan: Plan): string[] {
  const lines = plan.workload === "training" ? LINES[plan.fabric.kind] : undefined;
  if (!lines) return dockerOnLocalSsdLines();
  return [...hostLimitsLines(), ...runtimeLines(), ...lines(plan), ...envFileLines()];
}
