/**
 * Node bootstrap (cloud-init user data). Its job is that collective traffic
 * really runs over EFA: it writes the NCCL / libfabric environment for every
 * login and service, forces NCCL onto the OFI plugin (so a missing plugin is an
 * error, not a silent fallback to TCP sockets), and checks at boot that the
 * node sees every EFA device the plan promised.
 */
import type { Plan, StoragePlan } from "../../planner/types.js";
import { fabricSides } from "../../fabric/index.js";
import { bootstrapScript } from "../shared/bootstrap.js";

/** Environment that keeps NCCL on EFA (from lib/fabric, shared with the EKS pods). Exported so tests and docs show what nodes get. */
export function efaEnvironment(plan: Plan): Record<string, string> {
  return plan.fabric.kind === "efa" ? fabricSides(plan).env : {};
}

/** Mount commands for the file systems the nodes use (Lustre, NFS, block). */
function mountCommands(storage: StoragePlan[], endpoints: Record<string, string>): string[] {
  const lines: string[] = [];
  storage.forEach((s, i) => {
    const endpoint = endpoints[String(i)];
    if (s.kind === "lustre" && endpoint) {
      lines.push(`mkdir -p ${s.mountPath}`, `mount -t lustre -o relatime,flock ${endpoint} ${s.mountPath} || echo "gpu-cluster: lustre mount failed" >&2`);
    } else if (s.kind === "nfs" && endpoint) {
      lines.push(`mkdir -p ${s.mountPath}`, `mount -t nfs4 -o nfsvers=4.1,rsize=1048576,wsize=1048576,hard,timeo=600,retrans=2,noresvport ${endpoint}:/ ${s.mountPath} || echo "gpu-cluster: nfs mount failed" >&2`);
    } else if (s.kind === "block") {
      // The data volume is the only unformatted, unmounted NVMe EBS device besides instance store.
      lines.push(
        `mkdir -p ${s.mountPath}`,
        `dev=$(lsblk -dpno NAME,SERIAL | awk '/vol/ {print $1}' | while read d; do [ -z "$(lsblk -no MOUNTPOINT $d)" ] && echo $d; done | tail -n1)`,
        `[ -n "$dev" ] && (blkid $dev || mkfs.xfs $dev) && mount $dev ${s.mountPath}`,
      );
    }
  });
  return lines;
}

/**
 * The user-data script. `endpoints` maps storage index → mount source
 * (e.g. `fs-123.fsx.us-east-1.amazonaws.com@tcp:/abcd`), resolved by the caller.
 */
export function userDataScript(plan: Plan, endpoints: Record<string, string>, extra = ""): string {
  const env = efaEnvironment(plan);
  const check = plan.fabric.kind === "efa" ? { expected: plan.fabric.nicsPerNode, countCommand: "found=$(ls -d /sys/class/infiniband/*/ 2>/dev/null | wc -l)", what: "EFA devices" } : undefined;
  return bootstrapScript({ env, ...(check ? { check } : {}), mounts: mountCommands(plan.storage, endpoints), extra, extraLabel: "aws.userData" });
}
