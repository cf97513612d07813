/**
 * Local NVMe on AKS GPU nodes: the ND sizes' NVMe disks striped into one RAID0 array, mounted where Azure VMs mount it
 * (/mnt/resource_nvme, azure/bootstrap.ts), and a directory on it given to the GPU pods at /scratch.
 *
 * Why a DaemonSet. AKS offers no agent-pool setting that puts the node's storage on these disks (read 2026-11-30):
 * - `kubeletDiskType: Temporary` (emptyDirs, the container runtime's data root, kubelet ephemeral storage) places them
 *   on the *temporary* (resource) disk, is marked prerelease in the API reference, and says nothing of NVMe
 *   (https://learn.microsoft.com/javascript/api/@azure/arm-containerservice/knownkubeletdisktype);
 * - an ephemeral OS disk's `NvmeDisk` placement holds the OS disk, not an array of the rest
 *   (https://learn.microsoft.com/javascript/api/@azure/arm-compute/knowndiffdiskplacement);
 * - Azure Container Storage's local NVMe gives per-pod generic ephemeral volumes through a storage pool and its own
 *   cluster extension, not node scratch or container images
 *   (https://learn.microsoft.com/azure/storage/container-storage/use-container-storage-with-local-disk).
 * Microsoft's InfiniBand-on-AKS guide (github.com/Azure/aks-rdma-infiniband @700dabb4, 2026-07-16) does no NVMe setup;
 * its host-level step (configs/nvidia-peermem-reloader/ds.yaml) is a privileged, system-node-critical DaemonSet on the
 * GPU nodes, the shape used here.
 *
 * So: one privileged DaemonSet per component on its GPU pool, whose init container runs the Azure VMs' own lines
 * (shared/local-nvme.ts localNvmeLines: azhpc-images' setup_nvme.sh recipe, 8e9d055f) in the node's namespaces
 * (`nsenter` into PID 1), then creates {@link AKS_POD_SCRATCH_DIR} on the mounted array.
 *
 * Readiness without API rights: the pods mount that directory as a hostPath of type `Directory`. It exists only inside
 * the array (the script makes it after the mount succeeds; nothing creates it on the OS disk), so until the array is
 * mounted — a new node, or after a reboot (the mount is not in fstab: the disks may come back blank) — the kubelet
 * refuses the volume and retries, and the pod waits in ContainerCreating instead of writing scratch to the OS disk. A
 * node label or a startup taint would need the DaemonSet to patch Nodes, a cluster-wide write right it does not need.
 *
 * Container images are not moved onto the array: that would mean restarting containerd and the kubelet under the
 * running pods, this DaemonSet's own among them, and AKS documents no such step. They live on the OS disk, which is
 * ephemeral on the local temp disk where the size allows it (1 TiB on ND H100/H200 v5): os-disk.ts, with its sources.
 */
import type * as pulumi from "@pulumi/pulumi";
import { DaemonSet } from "@pulumi/kubernetes/apps/v1";
import type * as k8s from "@pulumi/kubernetes/types/input";
import type { Plan } from "../../../planner/types.js";
import { POOL_LABEL } from "../../kubernetes/names.js";
import type { WorkloadNames } from "../../kubernetes/names.js";
import { UBUNTU_IMAGE } from "../../kubernetes/options.js";
import { FAIL_FUNCTION, shellQuote } from "../../shared/bootstrap.js";
import { localNvmeLines } from "../../shared/local-nvme.js";
import type { CompileContext } from "../../types.js";
import { AZURE_LOCAL_NVME_SIZES, AZURE_NVME_DEVICES, AZURE_SCRATCH } from "../bootstrap.js";
import { gpuTolerations } from "./bootstrap.js";

/** The directory on the array the pods mount at /scratch (world-writable with the sticky bit, like /tmp). */
export const AKS_POD_SCRATCH_DIR = `${AZURE_SCRATCH}/scratch`;
/** The setup's image: bash and `nsenter`; every command it runs is the node's own. */
export const AKS_LOCAL_NVME_IMAGE = UBUNTU_IMAGE;

/**
 * The local NVMe the plan's GPU nodes carry, GiB, when this library stripes it on AKS: ND sizes whose local disks are
 * NVMe (AZURE_LOCAL_NVME_SIZES, the Azure VMs' list) with a catalog figure. Other sizes' local disk may be the SCSI
 * temporary disk AKS already mounts, so they get nothing (a hostPath there would never become ready).
 */
export function aksLocalNvmeGiB(plan: Plan): number {
  if (plan.cloud !== "azure" || !AZURE_LOCAL_NVME_SIZES.includes(plan.instanceType)) return 0;
  return plan.instance.localNvmeGiB ?? 0;
}

/**
 * The script the init container runs on the node: the tools the array needs (installed only when the node image lacks
 * them), the array and its mount (idempotent: an assembled, mounted array is left as it is), then the pods' directory.
 * Every path is a constant of this library, quoted; nothing the user typed is in it.
 */
export function aksLocalNvmeScript(plan: Plan): string {
  const expectedGiB = aksLocalNvmeGiB(plan);
  if (expectedGiB <= 0) return "";
  const dir = shellQuote(AKS_POD_SCRATCH_DIR);
  return [
    "set -uo pipefail",
    ...FAIL_FUNCTION,
    "if ! command -v mdadm >/dev/null || ! command -v mkfs.xfs >/dev/null; then",
    "  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q mdadm xfsprogs || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q mdadm xfsprogs; } || fail 'installing mdadm and xfsprogs failed'",
    "fi",
    ...localNvmeLines({ devices: AZURE_NVME_DEVICES, mountPath: AZURE_SCRATCH, expectedGiB }),
    `mountpoint -q ${shellQuote(AZURE_SCRATCH)} || fail ${shellQuote(`${AZURE_SCRATCH} is not mounted`)}`,
    `mkdir -p ${dir} && chmod 1777 ${dir} || fail ${shellQuote(`creating ${AKS_POD_SCRATCH_DIR} failed`)}`,
    `echo ${shellQuote(`gpu-cluster: local NVMe mounted at ${AZURE_SCRATCH}; pods get ${AKS_POD_SCRATCH_DIR} at /scratch`)}`,
  ].join("\n");
}

/** The pods' /scratch volume on AKS: the directory on the array, which must already exist (see the module's note). */
export function aksScratchVolume(plan: Plan): k8s.core.v1.Volume | undefined {
  if (aksLocalNvmeGiB(plan) <= 0) return undefined;
  return { name: "scratch", hostPath: { path: AKS_POD_SCRATCH_DIR, type: "Directory" } };
}

/** The DaemonSet's manifest (none for sizes without local NVMe). Exported so tests read what the cluster gets. */
export function aksLocalNvmeManifest(plan: Plan, names: WorkloadNames): k8s.apps.v1.DaemonSet | undefined {
  const script = aksLocalNvmeScript(plan);
  if (script === "") return undefined;
  const name = `${names.base}-local-nvme`;
  const labels = { ...names.labels, "app.kubernetes.io/name": name };
  return {
    metadata: { name, namespace: "kube-system", labels },
    spec: {
      selector: { matchLabels: { "app.kubernetes.io/name": name } },
      updateStrategy: { type: "RollingUpdate" },
      template: {
        metadata: { labels },
        spec: {
          // This component's GPU pool only (the label its AgentPool sets), tolerating its GPU and spot taints.
          nodeSelector: { [POOL_LABEL]: names.nodePool },
          tolerations: gpuTolerations(plan),
          priorityClassName: "system-node-critical",
          // nsenter needs the node's PID 1; no API access at all.
          hostPID: true,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          initContainers: [
            {
              name: "setup",
              image: AKS_LOCAL_NVME_IMAGE,
              // The node's mount namespace, so the array is mounted for the kubelet and every pod, not in this container.
              command: ["nsenter", "--target", "1", "--mount", "--uts", "--ipc", "--net", "--pid", "--", "/bin/bash", "-c", script],
              securityContext: { privileged: true },
              resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { memory: "512Mi" } },
            },
          ],
          containers: [
            {
              // Holds the pod Ready once setup succeeded, so `up` (which waits for the DaemonSet) waits for every node's array.
              name: "ready",
              image: AKS_LOCAL_NVME_IMAGE,
              command: ["sleep", "infinity"],
              securityContext: { runAsNonRoot: true, runAsUser: 65534, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
              resources: { requests: { cpu: "1m", memory: "8Mi" }, limits: { memory: "16Mi" } },
            },
          ],
        },
      },
    },
  };
}

/** The DaemonSet on the cluster, or undefined for sizes without local NVMe. */
export function aksLocalNvmeDaemonSet(plan: Plan, names: WorkloadNames, ctx: CompileContext, opts: pulumi.CustomResourceOptions): DaemonSet | undefined {
  const manifest = aksLocalNvmeManifest(plan, names);
  if (!manifest) return undefined;
  return new DaemonSet(`${ctx.name}-local-nvme`, manifest, opts);
}
