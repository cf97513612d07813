/**
 * Node startup script (metadata `startup-script`, run at every boot). It writes the NCCL environment of the node's
 * fabric, checks that the node sees every GPU NIC the plan gave it (a node missing a fabric NIC would silently fall
 * back to slow paths), assembles the local SSDs into one array (./local-ssd.ts), mounts the cluster's file systems and
 * data disks, then installs and starts the fabric's software (./fabric-boot.ts: the gIB plugin on A3 Ultra / A4; the
 * TCPX / TCPXO plugin and receive-datapath manager on A3 High / A3 Mega), so a node either has its full fabric or
 * fails its boot saying what is missing.
 */
import { vmHealthLines } from "../shared/vm-health.js";
import type { Plan, StoragePlan } from "../../planner/types.js";
import { fabricSides } from "../../fabric/index.js";
import { bootstrapScript, mountLines, shellQuote, type FabricCheck } from "../shared/bootstrap.js";
import type { MountSources } from "../shared/storage.js";
import { fabricBootLines } from "./fabric-boot.js";
import { localSsdRaidLines } from "./local-ssd.js";
import { blockDeviceName } from "./storage.js";

/** NCCL / fabric environment of the node (from lib/fabric). Exported so tests and docs show what nodes get. */
export function fabricEnvironment(plan: Plan): Record<string, string> {
  return fabricSides(plan).env;
}

/** How to count the node's fabric NICs: RDMA devices, or network interfaces besides the host ones. */
function fabricCheck(plan: Plan): FabricCheck | undefined {
  const { kind, nicsPerNode } = plan.fabric;
  if (plan.workload !== "training" || kind === "none") return undefined;
  const hostNics = plan.fabric.hostNics ?? 1;
  const countCommand =
    kind === "rdma"
      ? "found=$(ls -d /sys/class/infiniband/*/ 2>/dev/null | wc -l)"
      : `found=$(( $(ls -d /sys/class/net/*/device 2>/dev/null | wc -l) - ${hostNics} ))`;
  return { expected: nicsPerNode, countCommand, what: `${kind} NICs` };
}

/** Google's Artifact Registry repository of Managed Lustre client packages for Ubuntu 22.04 (jammy), and its signing key. */
export const LUSTRE_CLIENT_REPO = {
  key: "https://us-apt.pkg.dev/doc/repo-signing-key.gpg",
  source: "https://us-apt.pkg.dev/projects/lustre-client-binaries lustre-client-ubuntu-jammy main",
  /** The kernel modules are built per kernel: the package named after the running one, and the tools. */
  packages: ['"lustre-client-modules-$(uname -r)"', "lustre-client-utils"],
} as const;

/**
 * Lines that install the Managed Lustre client before the first Lustre mount, as Google documents it for Ubuntu 22.04
 * (https://cloud.google.com/managed-lustre/docs/connect-from-compute-engine; the same repository and packages as
 * cluster-toolkit modules/file-system/managed-lustre/scripts/install-managed-lustre-client.sh @10470803): the
 * repository's key, the `lustre-client-ubuntu-jammy` apt source, the modules for the running kernel and the tools,
 * then `modprobe lustre`. Skipped when the image already loads the module; any other OS, a kernel Google has not
 * built modules for, or a failed download stops the bootstrap loudly instead of a mount failing later.
 */
export function lustreClientLines(): string[] {
  const keyring = "/etc/apt/keyrings/gpu-cluster-lustre-client.gpg";
  return [
    "# Managed Lustre client (Ubuntu 22.04 packages from Google's lustre-client-binaries repository)",
    "if ! modprobe lustre 2>/dev/null; then",
    "  . /etc/os-release",
    `  [ "\${ID:-}-\${VERSION_ID:-}" = "ubuntu-22.04" ] || fail "Managed Lustre client: Google publishes it for Ubuntu 22.04 here, the image is \${PRETTY_NAME:-unknown}; use gcp.image with the client installed"`,
    "  mkdir -p /etc/apt/keyrings",
    `  curl -fsSL ${shellQuote(LUSTRE_CLIENT_REPO.key)} | gpg --dearmor --yes -o ${shellQuote(keyring)} || fail 'Managed Lustre client: could not fetch the repository key (is there a route to us-apt.pkg.dev?)'`,
    `  echo ${shellQuote(`deb [signed-by=${keyring}] ${LUSTRE_CLIENT_REPO.source}`)} > /etc/apt/sources.list.d/gpu-cluster-lustre-client.list`,
    // First boot often finds unattended-upgrades holding the dpkg lock: wait for it rather than fail.
    "  apt-get -o DPkg::Lock::Timeout=600 update -q || fail 'Managed Lustre client: apt-get update failed'",
    `  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q ${LUSTRE_CLIENT_REPO.packages.join(" ")} || fail "Managed Lustre client: no packages for kernel $(uname -r) in lustre-client-ubuntu-jammy"`,
    "  modprobe lustre || fail 'Managed Lustre client: the lustre module does not load'",
    "fi",
  ];
}

function mountCommands(storage: StoragePlan[], sources: MountSources): string[] {
  const install = storage.some((s) => s.kind === "lustre" && sources[s.name]) ? lustreClientLines() : [];
  return [...install, ...storage.flatMap((s) => {
    const source = sources[s.name];
    if (s.kind === "lustre" && source) return mountLines({ type: "lustre", options: "defaults,_netdev", source, mountPath: s.mountPath });
    if (s.kind === "nfs" && source) return mountLines({ type: "nfs", options: "hard,timeo=600,retrans=3,rsize=1048576,wsize=1048576,resvport,_netdev", source, mountPath: s.mountPath });
    if (s.kind !== "block") return [];
    // The startup script runs at every boot: format the disk only the first time (blkid finds no file system).
    const dev = `/dev/disk/by-id/google-${blockDeviceName(s.name)}`;
    return [
      `blkid ${shellQuote(dev)} >/dev/null || mkfs.ext4 -m 0 -E lazy_itable_init=0,lazy_journal_init=0,discard ${shellQuote(dev)} || fail ${shellQuote(`formatting ${dev} failed`)}`,
      ...mountLines({ type: "ext4", options: "discard,defaults", source: dev, mountPath: s.mountPath }),
    ];
  })];
}

/**
 * The startup script. `sources` maps storage name → mount source (resolved by the caller). `server`: an inference
 * fleet's model-server lines (lib/clouds/shared/model-server.ts), run after the mounts and before `gcp.startupScript`.
 * `cluster`: a training cluster's SSH trust and fabric gate (cluster-ssh.ts, fabric-gate.ts), after the fabric's software.
 * `metrics`: the GPU metrics agent's lines (./gpu-metrics.ts), after the node's health service: they only start a unit
 * that runs after this whole script, `gcp.startupScript` included. Default none (off).
 */
export function startupScript(plan: Plan, sources: MountSources, extra = "", server: string[] = [], cluster: string[] = [], metrics: string[] = []): string {
  const check = fabricCheck(plan);
  return bootstrapScript({
    env: fabricEnvironment(plan),
    ...(check ? { check } : {}),
    mounts: [...localSsdRaidLines(), ...mountCommands(plan.storage, sources)],
    firstBootOnly: false,
    services: [...fabricBootLines(plan), ...server, ...cluster, ...vmHealthLines(plan, check, "http"), ...metrics],
    extra,
    extraLabel: "gcp.startupScript",
  });
}
