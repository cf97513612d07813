/**
 * Node bootstrap (cloud-init custom data). Its job is that collective traffic
 * really runs over InfiniBand: it writes the NCCL environment for every login
 * and service, forces NCCL onto its IB transport (so a missing HCA is an error,
 * not a silent fallback to TCP sockets over the Ethernet NIC), and checks at
 * boot that the node sees every InfiniBand port the plan promised. Then it
 * mounts the cluster's storage.
 */
import type { Plan, StoragePlan } from "../../planner/types.js";
import { fabricSides } from "../../fabric/index.js";
import { bootstrapScript } from "../shared/bootstrap.js";

/** Environment that keeps NCCL on InfiniBand (from lib/fabric). Exported so tests and docs show what nodes get. */
export function infinibandEnvironment(plan: Plan): Record<string, string> {
  return plan.fabric.kind === "infiniband" ? fabricSides(plan).env : {};
}

/** Mount commands for the file systems the nodes use (Lustre, NFS, data disks). */
function mountCommands(storage: StoragePlan[], sources: Record<string, string>): string[] {
  const lines: string[] = [];
  let lun = 0;
  storage.forEach((s, i) => {
    const source = sources[String(i)];
    if (s.kind === "lustre" && source) {
      lines.push(`mkdir -p ${s.mountPath}`, `mount -t lustre -o noatime,flock ${source} ${s.mountPath} || echo "gpu-cluster: lustre mount failed" >&2`);
    } else if (s.kind === "nfs" && source) {
      lines.push(`mkdir -p ${s.mountPath}`, `mount -t nfs -o rw,hard,rsize=262144,wsize=262144,vers=4.1,tcp ${source} ${s.mountPath} || echo "gpu-cluster: nfs mount failed" >&2`);
    } else if (s.kind === "block") {
      // Data disks appear by LUN (SCSI symlink on most sizes, by-lun on NVMe-attached sizes).
      lines.push(
        `mkdir -p ${s.mountPath}`,
        `dev=/dev/disk/azure/scsi1/lun${lun}; [ -e "$dev" ] || dev=/dev/disk/azure/data/by-lun/${lun}`,
        `[ -e "$dev" ] && (blkid "$dev" || mkfs.xfs "$dev") && mount "$dev" ${s.mountPath}`,
      );
      lun++;
    }
  });
  return lines;
}

/** The custom-data script. `sources` maps storage index → mount source, resolved by the caller. */
export function customDataScript(plan: Plan, sources: Record<string, string>, extra = ""): string {
  // Count InfiniBand ports: the accelerated-networking VF is an Ethernet mlx5 device and does not count.
  const check =
    plan.fabric.kind === "infiniband"
      ? { expected: plan.fabric.nicsPerNode, countCommand: "found=$(grep -l InfiniBand /sys/class/infiniband/*/ports/1/link_layer 2>/dev/null | wc -l)", what: "InfiniBand ports" }
      : undefined;
  return bootstrapScript({ env: infinibandEnvironment(plan), ...(check ? { check } : {}), mounts: mountCommands(plan.storage, sources), extra, extraLabel: "azure.customData" });
}
