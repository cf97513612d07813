/**
 * The AKS GPU nodes' OS disk, per VM size: where container images, their writable layers, emptyDirs and the kubelet's
 * ephemeral storage live (an AKS node keeps them on its OS disk: `kubeletDiskType`'s default, `OS`).
 *
 * What AKS documents (read 2026-11-30):
 * - Ephemeral OS disks sit on the VM's local storage, are recommended "whenever possible", and AKS defaults to them
 *   when it can (MicrosoftDocs/azure-aks-docs articles/aks/concepts-storage.md "Ephemeral OS disks in AKS", ms.date
 *   2026-07-30); the OS disk size must fit that local storage (Azure VMs: articles/virtual-machines/ephemeral-os-disks.md
 *   in MicrosoftDocs/azure-compute-docs, ms.date 2026-09-08: "Cache, temp, or NVMe disk size ... or 2,040 GiB"); and
 *   they cost less than a managed disk (articles/aks/node-auto-provisioning-aksnodeclass.md).
 * - NVMe placement of an ephemeral OS disk exists only on v6 sizes and later (ephemeral-os-disks.md "Placement
 *   options"); a v5 or v4 size places it on its temp (resource) disk. So on ND H100/H200 v5 the OS disk, and with it
 *   the images, goes on the 1,024 GiB temp disk, not on the eight NVMe disks (28 TiB) that /scratch stripes.
 * - No agent-pool setting moves the images onto those NVMe disks: `kubeletDiskType` is `OS` or `Temporary` (the temp
 *   disk), and AKS's NVMe guide says backing emptyDir with NVMe needs "custom node bootstrap scripting"
 *   (articles/aks/best-practices-storage-nvme.md, ms.date 2025-10-17). This library does not invent one.
 *
 * Why container images stay off the NVMe array on AKS (issue 14; checked 2026-12-01 against MicrosoftDocs/azure-aks-docs
 * @fb060abe, 2026-08-21, Azure/aks-rdma-infiniband @700dabb4 and the Azure VM ephemeral OS disk page). Neither of the two
 * acceptable routes exists:
 * 1. A supported AKS setting. None places the container runtime's data root on the striped NVMe:
 *    - `kubeletDiskType` (which "determines the placement of emptyDir volumes, container runtime data root, and Kubelet
 *      ephemeral storage") takes only `OS` or `Temporary` (learn.microsoft.com/javascript/api/@azure/arm-containerservice/
 *      knownkubeletdisktype); on ND H100/H200 v5 both are the 1,024 GiB temp disk, since the OS disk is ephemeral there.
 *    - Ephemeral OS `NvmeDisk` placement is GA "on the latest generation v6 VM series onwards"; a size with a temp disk
 *      (v5) gets temp disk placement (virtual-machines/ephemeral-os-disks.md "Placement options for Ephemeral OS
 *      disks"), so ND96isr_H100_v5/H200_v5 and ND A100 v4 cannot have it. The AKS AgentPool API has no placement field;
 *      node auto-provisioning prefers NVMe "when available" (node-auto-provisioning-aksnodeclass.md, ms.date 2026-07-05),
 *      which again means v6+. And where it exists it takes whole NVMe disks out of the array rather than sitting on it
 *      ("Final NVMe Disk size = (Total no. of NVMe disks - NVMe Disks used for OS) * Size of each NVMe disk",
 *      ephemeral-os-disks.md "Size requirements"; best-practices-storage-nvme.md "Ephemeral NVMe data disks with
 *      ephemeral OS disks": the rest of that disk is unreachable).
 *    - Custom node configuration covers kubelet and OS (sysctl, THP, swap) parameters only, no container runtime root
 *      (custom-node-configuration.md, ms.date 2026-08-06); Azure Container Storage's local NVMe gives pods volumes
 *      (PVCs), not the runtime's image store (concepts-storage.md "Ephemeral NVMe data disks").
 * 2. A node-level move before containerd pulls anything. AKS gives no hook at that point: a node pool takes no custom
 *    data, and "any modification made directly to the agent nodes using any one of the IaaS APIs renders the cluster
 *    unsupportable ... must be done using kubernetes-native mechanisms like a DaemonSet", with `CustomScriptExtension`
 *    changes to be "prohibited" (support-policies.md, ms.date 2026-06-09). A DaemonSet runs only once containerd is up
 *    and has pulled the node's system pods (CNI, kube-proxy, the GPU and Network Operators' drivers); moving its data
 *    root then means stopping containerd and the kubelet under those pods (the DaemonSet's own included) and re-pulling
 *    them — the racing DaemonSet this library declines (local-nvme.ts). Node initialization taints, which could hold
 *    workloads back meanwhile, are preview (`NodeInitializationTaintsPreview`) and are refused on agent-pool-level
 *    operations (use-node-taints.md), which is how this library creates GPU pools (node-pool.ts: AgentPool). Microsoft's
 *    own InfiniBand-on-AKS guide (aks-rdma-infiniband) touches neither NVMe nor containerd's root.
 * So on ND H100/H200 v5 images get the 1,024 GiB local temp disk (an ephemeral OS disk, not billed) and scratch gets the
 * 28 TiB array; revisit when AKS offers a data-root placement or a provisioning-time node hook.
 * - Where an ephemeral OS disk cannot be used, AKS recommends a managed OS disk of at least 512 GiB
 *   (concepts-storage.md "Managed OS disks").
 *
 * An AKS pool's OS disk type and size cannot change after creation (the AgentPool API's `osDiskType`: "May not be
 * changed after creation"; concepts-storage.md: "You can't change the OS disk size after cluster or node pool creation").
 */
import type { Plan } from "../../../planner/types.js";
import { SpecError } from "../../../spec/errors.js";
import type { BomItem } from "../../../cost/bom/types.js";
import { AZURE_NODE_DISKS } from "../../../cost/bom/azure-vm.js";
import { billedItem, billedOnce } from "../../shared/bill.js";

/** Where a size's GPU nodes keep their OS disk on AKS. */
export interface AksOsDiskFact {
  /** The size's temp (resource) disk, GiB, from its Microsoft Learn size page ("Temp Disk Size (GiB)"). */
  tempDiskGiB: number;
  /** true: an ephemeral OS disk on that temp disk (the size page says "Ephemeral OS Disk: Supported"). */
  ephemeral: boolean;
  /** Why not, when not: said in the plan note. */
  why?: string;
  /** The size page (MicrosoftDocs/azure-compute-docs path) and its own ms.date. */
  source: string;
  asOf: string;
}

const PAGE = "MicrosoftDocs/azure-compute-docs articles/virtual-machines/sizes/gpu-accelerated/";
/** ND A100 v4: the page's one temp disk is the local NVMe that /scratch stripes (local-nvme.ts), so the OS stays off it. */
const ND_A100_V4_WHY =
  "its temp disk is the eight local NVMe disks /scratch stripes (the size page lists one temp disk and no separate NVMe disks), " +
  "so an ephemeral OS disk would take part of the scratch array";

/**
 * One row per Azure GPU size with checked catalog facts (lib/catalog/data/azure.ts); a test fails when one has no row.
 * Sizes only the price dump adds get a managed OS disk of the recommended size.
 */
export const AKS_GPU_OS_DISK: Readonly<Record<string, AksOsDiskFact>> = {
  // Temp disk 1,024 GiB plus 8 NVMe disks (28 TiB); "Ephemeral OS Disk: Supported".
  Standard_ND96isr_H100_v5: { tempDiskGiB: 1024, ephemeral: true, source: `${PAGE}ndh100v5-series.md`, asOf: "2025-09-02" },
  Standard_ND96isr_H200_v5: { tempDiskGiB: 1024, ephemeral: true, source: `${PAGE}nd-h200-v5-series.md`, asOf: "2025-09-02" },
  Standard_ND96amsr_A100_v4: { tempDiskGiB: 6400, ephemeral: false, why: ND_A100_V4_WHY, source: `${PAGE}ndma100v4-series.md`, asOf: "2024-07-31" },
  Standard_ND96asr_v4: { tempDiskGiB: 6000, ephemeral: false, why: ND_A100_V4_WHY, source: `${PAGE}ndasra100v4-series.md`, asOf: "2024-07-31" },
  Standard_NC24ads_A100_v4: {
    tempDiskGiB: 64,
    ephemeral: false,
    why: "its 64 GiB temp disk is too small for an OS disk that holds training images",
    source: `${PAGE}nca100v4-series.md`,
    asOf: "2024-07-31",
  },
  Standard_NC96ads_A100_v4: {
    tempDiskGiB: 256,
    ephemeral: false,
    why: "its 256 GiB temp disk is smaller than the 512 GiB OS disk AKS recommends when an ephemeral one cannot hold the images",
    source: `${PAGE}nca100v4-series.md`,
    asOf: "2024-07-31",
  },
  Standard_NC40ads_H100_v5: { tempDiskGiB: 3576, ephemeral: true, source: `${PAGE}ncadsh100v5-series.md`, asOf: "2024-07-31" },
  Standard_NV36ads_A10_v5: { tempDiskGiB: 1440, ephemeral: true, source: `${PAGE}nvadsa10v5-series.md`, asOf: "2024-07-31" },
};

/**
 * The system pool's size (SYSTEM_POOL): its 128 GiB OS disk fits the 150 GiB temp disk, so AKS makes it ephemeral even
 * unasked ("AKS defaults to ephemeral OS if possible", concepts-storage.md); said explicitly, so the bill matches.
 */
export const AKS_SYSTEM_OS_DISK: Readonly<Record<string, AksOsDiskFact>> = {
  Standard_D4ds_v5: {
    tempDiskGiB: 150,
    ephemeral: true,
    source: "MicrosoftDocs/azure-compute-docs articles/virtual-machines/sizes/general-purpose/ddsv5-series.md",
    asOf: "2024-07-29",
  },
};

/** The system pool's OS disk: ephemeral where its size's temp disk holds the requested size, else managed at that size. */
export function aksSystemOsDisk(vmSize: string, sizeGiB: number): AksGpuOsDisk {
  const fact = AKS_SYSTEM_OS_DISK[vmSize];
  return fact?.ephemeral && sizeGiB <= fact.tempDiskGiB ? { type: "Ephemeral", sizeGiB, fact } : { type: "Managed", sizeGiB, ...(fact ? { fact } : {}) };
}

/**
 * The default ephemeral OS disk, GiB, on a size whose temp disk is larger: 1 TiB (room for many multi-GB images, well
 * under the 2,040 GiB ephemeral limit). Where the temp disk is this size or smaller (ND H100/H200 v5: 1,024 GiB), no
 * size is sent and AKS sizes the disk to the temp storage the VM really has: AKS checks a requested size against the
 * figure the compute API reports, which has come in under the size page's before (Azure/AKS#2635, a size page's 180
 * GiB reported as 176), and a request of the page's figure would then fail at `up` (VMCannotFitEphemeralOSDisk); AKS
 * sizes an ephemeral disk it is not given a size for to the temp storage (concepts-storage.md "Default OS disk
 * sizing"), as Azure/aks-rdma-infiniband's deploy-aks.sh (@700dabb) leaves it.
 */
export const AKS_EPHEMERAL_OS_DEFAULT_MAX_GIB = 1024;
/** The largest ephemeral OS disk Azure places, GiB (ephemeral-os-disks.md: "... or 2,040 GiB"). */
export const AZURE_EPHEMERAL_OS_MAX_GIB = 2040;
/** The managed OS disk AKS recommends when an ephemeral one cannot be used (concepts-storage.md), GiB. */
export const AKS_MANAGED_OS_MIN_RECOMMENDED_GIB = 512;

/** The GPU pool's OS disk: its AgentPool `osDiskType` and `osDiskSizeGB`. */
export type AksGpuOsDisk =
  /** On the size's temp disk; `sizeGiB` undefined: AKS sizes it to the temp storage (AKS_EPHEMERAL_OS_DEFAULT_MAX_GIB). */
  | { type: "Ephemeral"; sizeGiB?: number; fact: AksOsDiskFact }
  /** A managed Premium SSD; `fact` undefined for a size without a row (the recommended size). */
  | { type: "Managed"; sizeGiB: number; fact?: AksOsDiskFact };

/**
 * The GPU nodes' OS disk for a size and the user's `azure.osDiskGiB` (undefined = the default: ephemeral at 1 TiB, or
 * sized by AKS where the temp disk is 1 TiB or less; else managed, 512 GiB). Throws SpecError when an ephemeral size is
 * asked for more than its temp disk or Azure's 2,040 GiB.
 */
export function aksGpuOsDisk(instanceType: string, osDiskGiB: number | undefined): AksGpuOsDisk {
  const fact = AKS_GPU_OS_DISK[instanceType];
  if (fact?.ephemeral) {
    const most = Math.min(fact.tempDiskGiB, AZURE_EPHEMERAL_OS_MAX_GIB);
    if (osDiskGiB !== undefined && osDiskGiB > most) {
      throw new SpecError(
        "azure.osDiskGiB",
        `${osDiskGiB} GiB does not fit: the GPU nodes' OS disk is ephemeral on AKS, on the ${fact.tempDiskGiB} GiB temp disk of ${instanceType}, and Azure places at most ${AZURE_EPHEMERAL_OS_MAX_GIB} GiB there`,
        `at most ${most} (less if the VM reports less temp storage than its size page), or leave it out (the images then live on the local temp disk, not a billed managed disk)`,
      );
    }
    const byDefault = fact.tempDiskGiB > AKS_EPHEMERAL_OS_DEFAULT_MAX_GIB ? AKS_EPHEMERAL_OS_DEFAULT_MAX_GIB : undefined;
    const sizeGiB = osDiskGiB ?? byDefault;
    return { type: "Ephemeral", ...(sizeGiB !== undefined ? { sizeGiB } : {}), fact };
  }
  return { type: "Managed", sizeGiB: osDiskGiB ?? AKS_MANAGED_OS_MIN_RECOMMENDED_GIB, ...(fact ? { fact } : {}) };
}

/**
 * A pool's OS disk as built, from the size's rule (`bySize`: aksGpuOsDisk or aksSystemOsDisk) and the bill. A managed
 * disk is billed, so the bill's `node-disk` item of the pool makes it managed at the item's size; an ephemeral one sits on
 * the VM's temp disk and is not billed, so a pool with no item keeps the size's ephemeral disk. A size that takes no
 * ephemeral disk needs the item (the bill carries it at zero nodes too, count 0). The AgentPool names no disk type: AKS
 * makes a managed OS disk Premium SSD on these sizes (AZURE_NODE_DISKS.type), so a bill that names another type cannot
 * be built.
 */
export function billedOsDisk(bySize: AksGpuOsDisk, bill: readonly BomItem[], pool: "gpu" | "system"): AksGpuOsDisk {
  const ofPool = (disk: { pool: string }) => disk.pool === pool;
  const billed = bySize.type === "Managed" ? billedItem(bill, "node-disk", `the ${pool} nodes' managed OS disks`, ofPool) : billedOnce(bill, "node-disk", ofPool);
  if (billed === undefined) return bySize;
  if (billed.diskType !== AZURE_NODE_DISKS.type) {
    throw new Error(`gpu-cluster: the bill of materials gives the AKS ${pool} nodes ${billed.diskType} OS disks, but AKS makes a managed OS disk ${AZURE_NODE_DISKS.type} (lib/cost/bom and the compiler disagree)`);
  }
  return { type: "Managed", sizeGiB: billed.sizeGiB, ...(bySize.fact ? { fact: bySize.fact } : {}) };
}

/** The plan note: where the GPU nodes' container images live on AKS, and why there (undefined off AKS). */
export function aksOsDiskNote(plan: Plan, osDiskGiB: number | undefined): string | undefined {
  if (plan.cloud !== "azure" || plan.orchestrator !== "kubernetes") return undefined;
  const disk = aksGpuOsDisk(plan.instanceType, osDiskGiB);
  const src = disk.fact ? ` (${disk.fact.source}, ${disk.fact.asOf}; AKS: azure-aks-docs articles/aks/concepts-storage.md)` : " (AKS: azure-aks-docs articles/aks/concepts-storage.md)";
  if (disk.type === "Ephemeral") {
    return (
      `AKS GPU node OS disk: ephemeral, ${disk.sizeGiB !== undefined ? `${disk.sizeGiB} GiB on` : "sized by AKS to the whole of"} ${plan.instanceType}'s ${disk.fact!.tempDiskGiB} GiB local temp disk, not billed as a managed disk; ` +
      "container images, emptyDirs and kubelet storage live there. The NVMe disks stay /scratch only: AKS places an ephemeral OS disk on NVMe only on v6 sizes and has no setting that moves images onto NVMe" +
      src
    );
  }
  const why = disk.fact?.why ?? `this library has no checked temp-disk fact for ${plan.instanceType}`;
  return `AKS GPU node OS disk: managed Premium SSD, ${disk.sizeGiB} GiB, holding container images, emptyDirs and kubelet storage; not ephemeral because ${why}${src}.`;
}
