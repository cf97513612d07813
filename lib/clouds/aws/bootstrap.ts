/**
 * Node bootstrap (cloud-init user data). Its job is that collective traffic
 * really runs over EFA: it writes the NCCL / libfabric environment for every
 * login and service, forces NCCL onto the OFI plugin (so a missing plugin is an
 * error, not a silent fallback to TCP sockets), and checks at boot that the
 * node sees every EFA device the plan promised.
 */
import { vmHealthLines } from "../shared/vm-health.js";
import type { Plan, StoragePlan } from "../../planner/types.js";
import { fabricSides } from "../../fabric/index.js";
import { bootstrapScript, mountLines, shellQuote } from "../shared/bootstrap.js";
import type { MountSources } from "../shared/storage.js";
import type { AwsOptions } from "./options.js";
import { lustreEfaClientLines } from "./lustre-efa-client.js";
import { lustreModuleOptionsLines, lustreMountedTuningLines } from "./lustre-tuning.js";
import { localNvmeLines } from "../shared/local-nvme.js";
import { VM_SCRATCH_MOUNTS } from "../../spec/storage-identity.js";

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
/**
 * Shell that sets `found` to the ACTIVE RDMA ports (port 1, as shared/vm-health.ts activeRdmaPortsCommand) of devices
 * bound to the `efa` driver only: a type that also carries other RDMA devices (p6-b300's ConnectX NICs, as
 * ./lustre-efa-client.ts selects EFA devices for the same reason) would otherwise count those, and a node with EFA
 * devices down could still reach the expected count (review session 28, F10). The driver test is the FSx guide's
 * (https://docs.aws.amazon.com/fsx/latest/LustreGuide/configure-efa-clients.html, "View available EFA devices").
 */
export const ACTIVE_EFA_PORTS =
  'found=0; for p in /sys/class/infiniband/*/ports/1; do [ "$(basename "$(readlink -f "${p%/ports/1}/device/driver")")" = efa ] || continue; ' +
  "grep -qs ': ACTIVE$' \"$p/state\" || continue; found=$((found+1)); done";

/** Where the instance store is mounted on AWS VM nodes (validation keeps storage off it: lib/spec/storage-identity.ts). */
export const AWS_SCRATCH = VM_SCRATCH_MOUNTS.aws!;

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
/** Mount commands for the file systems the nodes use (Lustre, NFS, block), by storage name. */
function mountCommands(storage: StoragePlan[], endpoints: MountSources, instanceType: string): string[] {
  return storage.flatMap((s) => {
    const endpoint = endpoints[s.name];
    // An EFA-enabled file system: LNet over EFA first (lustre-efa-client.ts; this script runs at every boot), and `noauto`
    // keeps the boot's own fstab pass from mounting it over TCP before LNet has its EFA interfaces.
    if (s.kind === "lustre" && endpoint && s.efa) return [...lustreEfaClientLines(instanceType, "ubuntu"), ...keepingContent(s.mountPath, mountLines({ type: "lustre", options: "relatime,flock,noauto", source: endpoint, mountPath: s.mountPath }))];
    if (s.kind === "lustre" && endpoint) return keepingContent(s.mountPath, mountLines({ type: "lustre", options: "relatime,flock", source: endpoint, mountPath: s.mountPath }));
    if (s.kind === "nfs" && endpoint) return [...efsClientInstallLines(), ...keepingContent(s.mountPath, mountLines({ type: "efs", options: "tls", source: `${endpoint}:/`, mountPath: s.mountPath }))];
    if (s.kind !== "block") return [];
    // The entry's volume: an EBS NVMe device (serial `vol...`) of exactly the entry's size, with no partitions and
    // nothing mounted from it. Picking by size rather than by order keeps two entries of different sizes on their own
    // volumes (NVMe names follow attach order, not /dev/sdf, /dev/sdg: https://docs.aws.amazon.com/ebs/latest/userguide/nvme-ebs-volumes.html);
    // two of one size are interchangeable blank volumes, and the fstab line names the chosen one by UUID.
    // At a later boot the fstab line has mounted it already: no volume is left to find, and none is looked for.
    const bytes = s.capacityGiB * 1024 ** 3;
    return [
      "dev=",
      `if ! mountpoint -q ${shellQuote(s.mountPath)}; then`,
      `  dev=$(lsblk -dpno NAME,SERIAL | awk '/vol/ {print $1}' | while read d; do [ "$(lsblk -bdno SIZE $d)" = ${bytes} ] && [ "$(lsblk -no NAME $d | wc -l)" -eq 1 ] && [ -z "$(lsblk -no MOUNTPOINT $d)" ] && echo $d; done | tail -n1)`,
      `  [ -n "$dev" ] || fail ${shellQuote(`no blank ${s.capacityGiB} GiB EBS data volume found for ${s.mountPath}`)}`,
      `  blkid "$dev" || mkfs.xfs "$dev" || fail ${shellQuote(`formatting the data volume for ${s.mountPath} failed`)}`,
      "fi",
      ...mountLines({ type: "xfs", options: "defaults", source: '"$dev"', sourceIsExpression: true, mountPath: s.mountPath }),
    ];
  });
}

/**
 * A shared file system's mount lines, keeping what the image already put at the mount path (review session 28, F6): a
 * file system mounted at /home would otherwise hide the image user's home (its shell profile, its SSH keys, and the
 * directory the user's jobs write caches to), and the SSH-trust step would recreate it owned by root. As ParallelCluster
 * does for a shared /home, the existing files are copied aside before the first mount and copied onto the file system
 * after it without overwriting what is there (aws/aws-parallelcluster-cookbook@f75d84c
 * cookbooks/aws-parallelcluster-environment/recipes/init/backup_home_shared_data.rb and restore_home_shared_data.rb).
 * Nothing happens when the directory is empty or already mounted (a later boot: fstab mounted it).
 */
function keepingContent(mountPath: string, mount: string[]): string[] {
  const dir = shellQuote(mountPath);
  const saved = shellQuote(`/var/lib/gpu-cluster/shadowed${mountPath}`);
  return [
    `if ! mountpoint -q ${dir} && [ -n "$(ls -A ${dir} 2>/dev/null)" ]; then`,
    `  rm -rf ${saved} && mkdir -p ${saved} && cp -a ${dir}/. ${saved}/ || fail ${shellQuote(`saving what the image has at ${mountPath} failed`)}`,
    "fi",
    ...mount,
    `if [ -d ${saved} ]; then`,
    `  cp -an ${saved}/. ${dir}/ || fail ${shellQuote(`copying what the image had at ${mountPath} onto the file system failed`)}`,
    `  rm -rf ${saved}`,
    "fi",
  ];
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
  const check = plan.fabric.kind === "efa" ? { expected: plan.fabric.nicsPerNode, countCommand: ACTIVE_EFA_PORTS, what: "ACTIVE EFA devices" } : undefined;
  return bootstrapScript({ env, ...(check ? { check } : {}), mounts: [...scratch, ...lustreMounts(plan, endpoints)], firstBootOnly: true, services: [...cluster, ...server, ...vmHealthLines(plan, check, "asg")], extra, extraLabel: "aws.userData" });
}

/**
 * The mounts, with FSx's client tuning around the Lustre ones (lustre-tuning.ts): the module options
 * file first, before anything loads a Lustre or LNet module (the mounts and the EFA setup load them; the file persists,
 * so the boot's own fstab pass at later boots loads them with it), and the `lctl set_param` settings after the last mount,
 * at every boot (the mounts run at every boot; the settings do not survive a reboot).
 */
function lustreMounts(plan: Plan, endpoints: MountSources): string[] {
  const mounts = mountCommands(plan.storage, endpoints, plan.instanceType);
  if (!plan.storage.some((s) => s.kind === "lustre" && endpoints[s.name])) return mounts;
  return [...lustreModuleOptionsLines(plan.instance), ...mounts, ...lustreMountedTuningLines(plan.instance)];
}
