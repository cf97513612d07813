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

/** Seconds the boot script waits for Systems Manager to install the EFS client (storage.ts efsClientAssociation). */
export const EFS_CLIENT_WAIT_SECONDS = 900;

/**
 * EFS is mounted with the EFS mount helper's `tls` option: encryption in transit, with the server's certificate and host
 * name checked (https://docs.aws.amazon.com/efs/latest/ug/encryption-in-transit.html,
 * https://docs.aws.amazon.com/efs/latest/ug/efs-mount-helper.html, read 2026-11-30). The helper (amazon-efs-utils) comes
 * from Systems Manager after the node registers, so the script waits for it, then fails loudly rather than mount in
 * plain NFS. The helper applies EFS's recommended NFS options (nfsvers=4.1, 1 MiB rsize/wsize, hard, timeo=600, ...).
 */
const EFS_CLIENT_WAIT = [
  `for i in $(seq ${EFS_CLIENT_WAIT_SECONDS / 10}); do [ -x /sbin/mount.efs ] && break; sleep 10; done`,
  `[ -x /sbin/mount.efs ] || fail ${shellQuote(`the EFS client (amazon-efs-utils) was not installed by Systems Manager within ${EFS_CLIENT_WAIT_SECONDS} s: check the node's SSM agent and the association's status`)}`,
];

/** Mount commands for the file systems the nodes use (Lustre, NFS, block), by storage name. */
function mountCommands(storage: StoragePlan[], endpoints: MountSources): string[] {
  return storage.flatMap((s) => {
    const endpoint = endpoints[s.name];
    if (s.kind === "lustre" && endpoint) return mountLines({ type: "lustre", options: "relatime,flock", source: endpoint, mountPath: s.mountPath });
    if (s.kind === "nfs" && endpoint) return [...EFS_CLIENT_WAIT, ...mountLines({ type: "efs", options: "tls", source: `${endpoint}:/`, mountPath: s.mountPath })];
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
  return bootstrapScript({ env, ...(check ? { check } : {}), mounts: [...scratch, ...mountCommands(plan.storage, endpoints)], firstBootOnly: true, services: [...cluster, ...server, ...vmHealthLines(plan, check, "asg")], extra, extraLabel: "aws.userData" });
}
