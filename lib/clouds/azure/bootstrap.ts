/**
 * Node bootstrap (cloud-init custom data). Its job is that collective traffic
 * really runs over InfiniBand: it writes the NCCL environment for every login
 * and service, forces NCCL onto its IB transport (so a missing HCA is an error,
 * not a silent fallback to TCP sockets over the Ethernet NIC), and checks at
 * boot that the node sees every InfiniBand port the plan promised. Then it
 * mounts the cluster's storage.
 */
import { activeRdmaPortsCommand, vmHealthLines } from "../shared/vm-health.js";
import { dataDiskLun } from "./names.js";
import { AMLFS_MOUNT_OPTIONS, NETAPP_NFS_MOUNT_OPTIONS } from "./storage-rules.js";
import type { Plan, StoragePlan } from "../../planner/types.js";
import { fabricSides } from "../../fabric/index.js";
import { bootstrapScript, mountLines, shellQuote } from "../shared/bootstrap.js";
import type { MountSources } from "../shared/storage.js";
import { localNvmeLines } from "../shared/local-nvme.js";

/**
 * ND sizes whose local disks are NVMe (8 drives: azhpc-images tests/health_checks/NDv4/check-hardware.sh expects 8 on
 * ND A100 v4; ND H100 / H200 v5 carry about 28 TiB, the catalog's localNvmeGiB). Found as azhpc-images' setup_nvme.sh
 * finds them (`/dev/nvme*n1`) and mounted where it mounts them, /mnt/resource_nvme (8e9d055f, 2026-07-29, read
 * 2026-11-30). Other sizes get the same array when they have blank NVMe disks, and go on without one otherwise.
 */
export const AZURE_LOCAL_NVME_SIZES: readonly string[] = ["Standard_ND96isr_H100_v5", "Standard_ND96isr_H200_v5", "Standard_ND96asr_v4", "Standard_ND96amsr_A100_v4"];
export const AZURE_NVME_DEVICES = "ls /dev/nvme*n1 2>/dev/null";
export const AZURE_SCRATCH = "/mnt/resource_nvme";

/** Environment that keeps NCCL on InfiniBand (from lib/fabric). Exported so tests and docs show what nodes get. */
export function infinibandEnvironment(plan: Plan): Record<string, string> {
  return plan.fabric.kind === "infiniband" ? fabricSides(plan).env : {};
}

/**
 * Azure NetApp Files' NFSv4.1 idmap domain: the client's must match the volume's, `defaultv4iddomain.com` unless the
 * account sets another, or every file shows as `nobody` and non-root users lose access
 * (https://learn.microsoft.com/azure/azure-netapp-files/azure-netapp-files-configure-nfsv41-domain, read 2026-11-30).
 */
export const NETAPP_IDMAP_DOMAIN = "defaultv4iddomain.com";

/**
 * Lines that set `Domain` in the [General] section of idmapd.conf before an NFSv4.1 mount: replace an active `Domain`
 * line, or add one under [General] (Ubuntu ships it commented out), or write the section; then clear the id cache.
 * Runs again harmlessly (the per-boot mount script repeats it).
 */
export function idmapDomainLines(conf = "/etc/idmapd.conf", domain = NETAPP_IDMAP_DOMAIN): string[] {
  const file = shellQuote(conf);
  const line = shellQuote(`Domain = ${domain}`);
  return [
    `# NFSv4.1 id mapping: the client's domain must be the NetApp volume's (lib/clouds/azure/bootstrap.ts).`,
    `idmap_line=${line}`,
    `if grep -qE '^[[:space:]]*Domain[[:space:]]*=' ${file} 2>/dev/null; then`,
    `  sed -i -E "s|^[[:space:]]*Domain[[:space:]]*=.*|$idmap_line|" ${file}`,
    `elif grep -q '^\\[General\\]' ${file} 2>/dev/null; then`,
    `  sed -i "/^\\[General\\]/a $idmap_line" ${file}`,
    "else",
    `  printf '[General]\\n%s\\n' "$idmap_line" >> ${file}`,
    "fi",
    "nfsidmap -c >/dev/null 2>&1 || true",
  ];
}

/** Mount commands for the file systems the nodes use (Lustre, NFS, data disks), by storage name. */
function mountCommands(storage: StoragePlan[], sources: MountSources): string[] {
  const nfs = storage.some((s) => s.kind === "nfs" && sources[s.name]);
  return [...(nfs ? idmapDomainLines() : []), ...mountCommandsByEntry(storage, sources)];
}

function mountCommandsByEntry(storage: StoragePlan[], sources: MountSources): string[] {
  return storage.flatMap((s) => {
    const source = sources[s.name];
    if (s.kind === "lustre" && source) return mountLines({ type: "lustre", options: AMLFS_MOUNT_OPTIONS.join(","), source, mountPath: s.mountPath });
    if (s.kind === "nfs" && source) return mountLines({ type: "nfs", options: NETAPP_NFS_MOUNT_OPTIONS.join(","), source, mountPath: s.mountPath });
    if (s.kind !== "block") return [];
    const lun = dataDiskLun(s.name);
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
 * `clusterSsh`: a training cluster's SSH trust and hostfile lines (lib/clouds/azure/cluster-ssh.ts), after the health
 * check is installed, so a node that cannot read the key is reported unhealthy and repaired. `prePull`: the fabric gate's
 * background image pull (lib/clouds/azure/gate-peers.ts), first after the mounts (Docker is on the NVMe array by then).
 * `gpuMetrics`: the Telegraf install (lib/clouds/azure/gpu-metrics.ts), last of the services: it is the only one that
 * may fail without failing the node.
 */
export function customDataScript(plan: Plan, sources: MountSources, extra = "", server: string[] = [], clusterSsh: string[] = [], prePull: string[] = [], gpuMetrics: string[] = []): string {
  // Count ACTIVE InfiniBand ports: the accelerated-networking VF is an Ethernet mlx5 device and does not count.
  const check =
    plan.fabric.kind === "infiniband" ? { expected: plan.fabric.nicsPerNode, countCommand: activeRdmaPortsCommand("InfiniBand"), what: "ACTIVE InfiniBand ports" } : undefined;
  // ND sizes must have their NVMe disks; on other sizes the catalog's local disk may be the SCSI temp disk, so a node
  // without blank NVMe disks goes on (the fleet's model cache then stays on the OS disk).
  const scratch = localNvmeLines({
    devices: AZURE_NVME_DEVICES,
    mountPath: AZURE_SCRATCH,
    expectedGiB: plan.instance.localNvmeGiB ?? 0,
    optional: !AZURE_LOCAL_NVME_SIZES.includes(plan.instanceType),
  });
  return bootstrapScript({ env: infinibandEnvironment(plan), ...(check ? { check } : {}), mounts: [...scratch, ...mountCommands(plan.storage, sources)], firstBootOnly: true, services: [...prePull, ...server, ...vmHealthLines(plan, check, "http-local"), ...clusterSsh, ...gpuMetrics], extra, extraLabel: "azure.customData" });
}
