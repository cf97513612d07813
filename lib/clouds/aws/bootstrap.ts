/**
 * Node bootstrap (cloud-init user data). Its job is that collective traffic
 * really runs over EFA: it writes the NCCL / libfabric environment for every
 * login and service, forces NCCL onto the OFI plugin (so a missing plugin is an
 * error, not a silent fallback to TCP sockets), and checks at boot that the
 * node sees every EFA device the plan promised.
 */
import { activeRdmaPortsCommand, vmHealthLines } from "../shared/vm-health.js";
import type { Plan, StoragePlan } from "../../planner/types.js";
import { fabricSides } from "../../fabric/index.js";
import { bootstrapScript, mountLines, shellQuote } from "../shared/bootstrap.js";
import type { MountSources } from "../shared/storage.js";
import type { AwsOptions } from "./options.js";
import { LUSTRE_EFA_MIN_KERNEL } from "./storage-rules.js";
import { localNvmeLines } from "../shared/local-nvme.js";

/**
 * Instance store: every NVMe device whose model is EC2's instance-store model ("Amazon EC2 NVMe Instance Storage",
 * https://docs.aws.amazon.com/ebs/latest/userguide/nvme-ebs-volumes.html and the instance-store NVMe page, read
 * 2026-11-30), so EBS volumes (model "Amazon Elastic Block Store") are never touched. Size per type: the catalog's
 * `localNvmeGiB` (EC2's instance-local-nvme figure, e.g. 30400 GB on p5 / p5en / p6-b200).
 */
export const INSTANCE_STORE_DEVICES = "lsblk -dpno NAME,MODEL | awk '/Amazon EC2 NVMe Instance Storage/ {print $1}'";
/**
 * Where the Deep Learning AMI mounts the instance store (`nvme_location` in its release notes, e.g. "Deep Learning
 * Base OSS Nvidia Driver GPU AMI (Ubuntu 22.04)", docs.aws.amazon.com/dlami, read 2026-11-30); absent on types
 * without one.
 */
export const DLAMI_INSTANCE_STORE = "/opt/dlami/nvme";
/** Whether the nodes boot the user's AMI rather than the Deep Learning AMI this library knows. */
export function customAmi(options: Pick<AwsOptions, "amiId" | "amiSsmParameter">): boolean {
  return options.amiId !== undefined || options.amiSsmParameter !== undefined;
}
/** Where the instance store is mounted on AWS VM nodes. */
export const AWS_SCRATCH = "/scratch";

/** Environment that keeps NCCL on EFA (from lib/fabric, shared with the EKS pods). Exported so tests and docs show what nodes get. */
export function efaEnvironment(plan: Plan): Record<string, string> {
  return plan.fabric.kind === "efa" ? fabricSides(plan).env : {};
}

/**
 * The EFS client (amazon-efs-utils, the `efs` mount type and its `tls` option), pinned: the last release of the v1 line,
 * v1.36.0 (tag commit below, 2024-03-20). Why this one, built at first boot:
 * - Ubuntu's archive has no package of it, and the Deep Learning AMI (Ubuntu 22.04) release notes read
 *   (docs.aws.amazon.com/dlami, 2026-11-30) do not list it; an image that has it skips the build.
 * - v2 and later build efs-proxy in Rust and need Rust 1.91.1+ (aws/efs-utils README.md and INSTALL.md at def6e74,
 *   read 2026-11-30), newer than Ubuntu 22.04's: no sound build on the node.
 * - AWS's Systems Manager Distributor package (AmazonEFSUtils) runs as a State Manager association, which waits behind
 *   every other association on the node (the SSM agent runs one association document at a time:
 *   aws/amazon-ssm-agent agent/association/processor/processor.go documentWorkersLimit = 1), and its support list is
 *   Ubuntu 16.04-20.04.
 * - v1.36.0 is Python and shell: its build-deb.sh only copies files and packs them with `ar` (binutils), and its
 *   package depends on python3, nfs-common, stunnel4 (>= 4.56), openssl and util-linux, all in Ubuntu 22.04's archive
 *   (aws/efs-utils v1.36.0 build-deb.sh and dist/amazon-efs-utils.control, read 2026-11-30). TLS goes through stunnel.
 * The build needs the internet (GitHub and Ubuntu's archive) through the NAT gateway; options.ts refuses EFS on VMs
 * without one. A node whose image already has the helper (your own AMI) skips it.
 */
export const EFS_UTILS = { version: "1.36.0", tag: "v1.36.0", commit: "c87d19f3e1db26532f09a7fed338347aacb90e10", repo: "https://github.com/aws/efs-utils" } as const;

/**
 * Boot lines that install the EFS client (see EFS_UTILS), each step failing the boot with what went wrong rather than
 * mounting in plain NFS. apt waits for the image's own unattended upgrades to release its lock (up to 10 minutes).
 */
export function efsClientInstallLines(): string[] {
  const apt = "DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -q";
  const dir = "/var/lib/gpu-cluster/efs-utils";
  const fail = (what: string) => `fail ${shellQuote(`installing the EFS client (amazon-efs-utils ${EFS_UTILS.version}): ${what}`)}`;
  return [
    "if [ ! -x /sbin/mount.efs ]; then",
    `  ${apt} update >/dev/null || ${fail("apt-get update failed (no route to Ubuntu's archive?)")}`,
    `  ${apt} install -y nfs-common stunnel4 binutils git >/dev/null || ${fail("apt-get install nfs-common stunnel4 binutils git failed")}`,
    `  rm -rf ${dir} && git clone -q --depth 1 --branch ${EFS_UTILS.tag} ${EFS_UTILS.repo} ${dir} || ${fail(`git clone of ${EFS_UTILS.repo} ${EFS_UTILS.tag} failed (no route to GitHub?)`)}`,
    `  [ "$(git -C ${dir} rev-parse HEAD)" = ${EFS_UTILS.commit} ] || ${fail(`tag ${EFS_UTILS.tag} is not commit ${EFS_UTILS.commit}`)}`,
    `  (cd ${dir} && ./build-deb.sh >/dev/null) || ${fail("build-deb.sh failed")}`,
    `  ${apt} install -y ${dir}/build/amazon-efs-utils-${EFS_UTILS.version}-1_all.deb >/dev/null || ${fail("installing the built package failed")}`,
    "fi",
    `[ -x /sbin/mount.efs ] || ${fail("/sbin/mount.efs is missing after the install")}`,
  ];
}

/**
 * EFS is mounted with the EFS mount helper's `tls` option: encryption in transit, with the server's certificate and host
 * name checked (https://docs.aws.amazon.com/efs/latest/ug/encryption-in-transit.html,
 * https://docs.aws.amazon.com/efs/latest/ug/efs-mount-helper.html, read 2026-11-30). The helper applies EFS's
 * recommended NFS options (nfsvers=4.1, 1 MiB rsize/wsize, hard, timeo=600, ...).
 */
/**
 * Instance types whose EFA devices are spread over PCI buses in fours: the LNet EFA interfaces are every fourth device
 * (one per bus), as AWS's EFA Lustre client setup does for them; on other types it adds the first and the last device.
 * https://docs.aws.amazon.com/eks/latest/userguide/fsx-csi-tuning-efa.html (awsdocs/amazon-eks-user-guide
 * latest/ug/storage/fsx-csi-tuning-efa.adoc @1527dee, read 2026-11-30).
 */
const LNET_EFA_EVERY_FOURTH: ReadonlySet<string> = new Set(["p5.48xlarge", "p5e.48xlarge"]);

/** FSx's Ubuntu repository of Lustre client modules and its signing key (same source as LNET_EFA_EVERY_FOURTH). */
export const FSX_LUSTRE_CLIENT_REPO = {
  key: "https://fsx-lustre-client-repo-public-keys.s3.amazonaws.com/fsx-ubuntu-public-key.asc",
  keyring: "/usr/share/keyrings/fsx-ubuntu-public-key.gpg",
  url: "https://fsx-lustre-client-repo.s3.amazonaws.com/ubuntu",
} as const;

/**
 * Boot lines that put LNet on the node's EFA devices before an EFA-enabled FSx file system is mounted, as AWS's EFA
 * Lustre client setup does (same source as LNET_EFA_EVERY_FOURTH; the FSx guide's configure-efa-clients.html gives the
 * same `lnetctl net add --net efa --if <device> --peer-credits 32`): the EFA LND (`kefalnd`) bound to the primary
 * interface, TCP on the primary interface, the EFA interfaces, peer discovery on, and EFA preferred (UDSP priority 0).
 * The mount source stays `<dns>@tcp:/<name>`: discovery moves the traffic to EFA. The client needs kernel 6.8 or later
 * on Ubuntu (configure-efa-clients.html); the Deep Learning AMI ships the Lustre client and the EFA driver. Each step
 * fails the boot with what went wrong: a node that reads its data over TCP at a seventh of the speed must not pass.
 */
function lustreEfaClientLines(instanceType: string): string[] {
  const fail = (what: string) => `fail ${shellQuote(`LNet over EFA for the EFA-enabled FSx file system: ${what}`)}`;
  const apt = "DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -q";
  const devices = LNET_EFA_EVERY_FOURTH.has(instanceType) ? "ls -1 /sys/class/infiniband | awk 'NR % 4 == 1'" : "ls -1 /sys/class/infiniband | sed -n '1p;$p' | uniq";
  return [
    "if ! lnetctl net show --net efa 2>/dev/null | grep -q '@efa'; then",
    `  [ "$(printf '%s\\n' ${LUSTRE_EFA_MIN_KERNEL} "$(uname -r)" | sort -V | head -n1)" = ${LUSTRE_EFA_MIN_KERNEL} ] || ${fail(`the running kernel is older than ${LUSTRE_EFA_MIN_KERNEL}`)}`,
    // The primary interface: the one holding the default route (AWS's setup matches `hostname -i` instead, which can
    // print several addresses; the extra network cards carry efa-only interfaces without an address or route).
    `  lnet_if="$(ip -4 route show default | awk '{print $5; exit}')"`,
    `  [ -n "$lnet_if" ] || ${fail("no primary network interface found")}`,
    // The Deep Learning AMI's Lustre client may predate the EFA network driver: then the modules for the running kernel
    // come from FSx's own Ubuntu repository, as AWS's EFA client setup installs them (through the NAT gateway).
    "  if ! modinfo kefalnd >/dev/null 2>&1; then",
    `    curl -fsSL ${FSX_LUSTRE_CLIENT_REPO.key} | gpg --dearmor --yes -o ${FSX_LUSTRE_CLIENT_REPO.keyring} || ${fail("fetching FSx's Lustre client repository key failed (no NAT gateway?)")}`,
    `    echo "deb [signed-by=${FSX_LUSTRE_CLIENT_REPO.keyring}] ${FSX_LUSTRE_CLIENT_REPO.url} $(. /etc/os-release && echo "$VERSION_CODENAME") main" > /etc/apt/sources.list.d/fsx-lustre-client.list`,
    `    ${apt} update >/dev/null && ${apt} install -y "lustre-client-modules-$(uname -r)" >/dev/null || ${fail("installing lustre-client-modules for the running kernel from FSx's repository failed")}`,
    "  fi",
    `  modprobe lnet && modprobe kefalnd ipif_name="$lnet_if" && modprobe ksocklnd || ${fail("the Lustre client has no EFA network driver (kefalnd) for the running kernel")}`,
    `  lnetctl lnet configure || ${fail("lnetctl lnet configure failed")}`,
    "  lnetctl net del --net tcp 2>/dev/null",
    `  lnetctl net add --net tcp --if "$lnet_if" || ${fail("adding the TCP network failed")}`,
    `  for dev in $(${devices}); do lnetctl net add --net efa --if "$dev" --peer-credits 32 || ${fail("adding an EFA device to LNet failed")}; done`,
    `  lnetctl set discovery 1 && lnetctl udsp add --src efa --priority 0 || ${fail("turning on discovery and the EFA preference failed")}`,
    `  modprobe lustre || ${fail("loading the lustre module failed")}`,
    "fi",
    `[ "$(lnetctl net show --net efa 2>/dev/null | grep -c '@efa')" -ge 1 ] || ${fail("no EFA interface is up in LNet")}`,
  ];
}

/** Mount commands for the file systems the nodes use (Lustre, NFS, block), by storage name. */
function mountCommands(storage: StoragePlan[], endpoints: MountSources, instanceType: string): string[] {
  return storage.flatMap((s) => {
    const endpoint = endpoints[s.name];
    // An EFA-enabled file system: LNet over EFA first (this script runs at every boot), and `noauto` keeps the boot's
    // own fstab pass from mounting it over TCP before LNet has its EFA interfaces.
    if (s.kind === "lustre" && endpoint && s.efa) return [...lustreEfaClientLines(instanceType), ...mountLines({ type: "lustre", options: "relatime,flock,noauto", source: endpoint, mountPath: s.mountPath })];
    if (s.kind === "lustre" && endpoint) return mountLines({ type: "lustre", options: "relatime,flock", source: endpoint, mountPath: s.mountPath });
    if (s.kind === "nfs" && endpoint) return [...efsClientInstallLines(), ...mountLines({ type: "efs", options: "tls", source: `${endpoint}:/`, mountPath: s.mountPath })];
    if (s.kind !== "block") return [];
    // The data volume is the only unformatted, unmounted NVMe EBS device besides instance store.
    return [
      `dev=$(lsblk -dpno NAME,SERIAL | awk '/vol/ {print $1}' | while read d; do [ -z "$(lsblk -no MOUNTPOINT $d)" ] && echo $d; done | tail -n1)`,
      `[ -n "$dev" ] || fail ${shellQuote(`no EBS data volume found for ${s.mountPath}`)}`,
      `blkid "$dev" || mkfs.xfs "$dev" || fail ${shellQuote(`formatting the data volume for ${s.mountPath} failed`)}`,
      ...mountLines({ type: "xfs", options: "defaults", source: '"$dev"', sourceIsExpression: true, mountPath: s.mountPath }),
    ];
  });
}

/**
 * The user-data script. `endpoints` maps storage name → mount source
 * (e.g. `fs-123.fsx.us-east-1.amazonaws.com@tcp:/abcd`), resolved by the caller. `server`: an inference fleet's
 * model-server lines (lib/clouds/shared/model-server.ts), run after the mounts and before `aws.userData`.
 * `customAmi`: the nodes boot the user's AMI (`aws.amiId` / `aws.amiSsmParameter`), not the Deep Learning AMI.
 * Default false. `cluster`: a training cluster's SSH trust and hostfile lines (lib/clouds/aws/cluster-ssh.ts), run
 * after the mounts. Default none.
 */
export function userDataScript(plan: Plan, endpoints: MountSources, extra = "", server: string[] = [], customAmi = false, cluster: string[] = []): string {
  const env = efaEnvironment(plan);
  // The Deep Learning AMI stripes the instance store itself at /opt/dlami/nvme: /scratch is then that array.
  const scratch = localNvmeLines({
    devices: INSTANCE_STORE_DEVICES,
    mountPath: AWS_SCRATCH,
    expectedGiB: plan.instance.localNvmeGiB ?? 0,
    imageMount: { path: DLAMI_INSTANCE_STORE, marker: "/opt/dlami" },
    // Your own AMI may use the instance store itself: then /scratch is skipped rather than the boot failed.
    optional: customAmi,
  });
  const check = plan.fabric.kind === "efa" ? { expected: plan.fabric.nicsPerNode, countCommand: activeRdmaPortsCommand(), what: "ACTIVE EFA devices" } : undefined;
  return bootstrapScript({ env, ...(check ? { check } : {}), mounts: [...scratch, ...mountCommands(plan.storage, endpoints, plan.instanceType)], firstBootOnly: true, services: [...cluster, ...server, ...vmHealthLines(plan, check, "asg")], extra, extraLabel: "aws.userData" });
}
