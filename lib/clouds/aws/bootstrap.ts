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

/** Environment that keeps NCCL on EFA (from lib/fabric, shared with the EKS pods). Exported so tests and docs show what nodes get. */
export function efaEnvironment(plan: Plan): Record<string, string> {
  return plan.fabric.kind === "efa" ? fabricSides(plan).env : {};
}

/** Mount commands for the file systems the nodes use (Lustre, NFS, block), by storage name. */
function mountCommands(storage: StoragePlan[], endpoints: MountSources): string[] {
  return storage.flatMap((s) => {
    const endpoint = endpoints[s.name];
    if (s.kind === "lustre" && endpoint) return mountLines({ type: "lustre", options: "relatime,flock", source: endpoint, mountPath: s.mountPath });
    if (s.kind === "nfs" && endpoint) {
      return mountLines({ type: "nfs4", options: "nfsvers=4.1,rsize=1048576,wsize=1048576,hard,timeo=600,retrans=2,noresvport", source: `${endpoint}:/`, mountPath: s.mountPath });
    }
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
 */
export function userDataScript(plan: Plan, endpoints: MountSources, extra = "", server: string[] = []): string {
  const env = efaEnvironment(plan);
  const check = plan.fabric.kind === "efa" ? { expected: plan.fabric.nicsPerNode, countCommand: "found=$(ls -d /sys/class/infiniband/*/ 2>/dev/null | wc -l)", what: "EFA devices" } : undefined;
  return bootstrapScript({ env, ...(check ? { check } : {}), mounts: mountCommands(plan.storage, endpoints), firstBootOnly: true, services: [...server, ...vmHealthLines(plan, check, "asg")], extra, extraLabel: "aws.userData" });
}
