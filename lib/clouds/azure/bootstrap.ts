/**
 * Node bootstrap (cloud-init custom data). Its job is that collective traffic
 * really runs over InfiniBand: it writes the NCCL environment for every login
 * and service, forces NCCL onto its IB transport (so a missing HCA is an error,
 * not a silent fallback to TCP sockets over the Ethernet NIC), and checks at
 * boot that the node sees every InfiniBand port the plan promised. Then it
 * mounts the cluster's storage.
 */
import { vmHealthLines } from "../shared/vm-health.js";
import type { Plan, StoragePlan } from "../../planner/types.js";
import { fabricSides } from "../../fabric/index.js";
import { bootstrapScript, mountLines, shellQuote } from "../shared/bootstrap.js";
import type { MountSources } from "../shared/storage.js";

/** Environment that keeps NCCL on InfiniBand (from lib/fabric). Exported so tests and docs show what nodes get. */
export function infinibandEnvironment(plan: Plan): Record<string, string> {
  return plan.fabric.kind === "infiniband" ? fabricSides(plan).env : {};
}

/** Mount commands for the file systems the nodes use (Lustre, NFS, data disks), by storage name. */
function mountCommands(storage: StoragePlan[], sources: MountSources): string[] {
  const blockLuns = new Map(storage.filter((s) => s.kind === "block").map((s, lun) => [s.name, lun]));
  return storage.flatMap((s) => {
    const source = sources[s.name];
    if (s.kind === "lustre" && source) return mountLines({ type: "lustre", options: "noatime,flock", source, mountPath: s.mountPath });
    if (s.kind === "nfs" && source) return mountLines({ type: "nfs", options: "rw,hard,rsize=262144,wsize=262144,vers=4.1,tcp", source, mountPath: s.mountPath });
    const lun = blockLuns.get(s.name);
    if (lun === undefined) return [];
    // Data disks appear by LUN (SCSI symlink on most sizes, by-lun on NVMe-attached sizes); see dataDisks.
    return [
      `dev=/dev/disk/azure/scsi1/lun${lun}; [ -e "$dev" ] || dev=/dev/disk/azure/data/by-lun/${lun}`,
      `[ -e "$dev" ] || fail ${shellQuote(`data disk LUN ${lun} for ${s.mountPath} not found`)}`,
      `blkid "$dev" || mkfs.xfs "$dev" || fail ${shellQuote(`formatting the data disk for ${s.mountPath} failed`)}`,
      ...mountLines({ type: "xfs", options: "defaults", source: '"$dev"', sourceIsExpression: true, mountPath: s.mountPath }),
    ];
  });
}

/**
 * The custom-data script. `sources` maps storage name → mount source, resolved by the caller. `server`: an inference
 * fleet's model-server lines (lib/clouds/shared/model-server.ts), run after the mounts and before `azure.customData`.
 */
export function customDataScript(plan: Plan, sources: MountSources, extra = "", server: string[] = []): string {
  // Count InfiniBand ports: the accelerated-networking VF is an Ethernet mlx5 device and does not count.
  const check =
    plan.fabric.kind === "infiniband"
      ? { expected: plan.fabric.nicsPerNode, countCommand: "found=$(grep -l InfiniBand /sys/class/infiniband/*/ports/1/link_layer 2>/dev/null | wc -l)", what: "InfiniBand ports" }
      : undefined;
  return bootstrapScript({ env: infinibandEnvironment(plan), ...(check ? { check } : {}), mounts: mountCommands(plan.storage, sources), firstBootOnly: true, services: [...server, ...vmHealthLines(plan, check, "http")], extra, extraLabel: "azure.customData" });
}
