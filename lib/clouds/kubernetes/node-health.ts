/**
 * The node health gate: a DaemonSet on the component's GPU nodes that checks, every minute, what a collective needs
 * from each node, and takes a node that fails three checks in a row out of service with its reason:
 *
 * - every GPU the instance type has is present to the driver (`/proc/driver/nvidia/gpus/<pci>`, one per GPU);
 * - every fabric NIC is there with its link up: EFA devices ACTIVE under `/sys/class/infiniband`, InfiniBand HCAs
 *   (Azure ND, CoreWeave) ACTIVE with an InfiniBand link layer; on GKE, counted by PCI driver binding (see GKE_NICS).
 *
 * A node is judged only once it has passed a check, or 30 minutes after boot (a node still loading its driver is
 * booting, not failing). A failing node is cordoned and tainted `gpu-cluster/unhealthy=<reason>:NoExecute` (for example `fabric-31-of-32`):
 * its training pod leaves with a DisruptionTarget condition, which the queued Job does not count as a failure
 * (kueue.ts), and Kueue replaces the node or requeues the job. The reason is also a node annotation.
 *
 * - where the nodes run the GPU Operator's `nvidia` runtime class (EKS, AKS), DCGM's quick diagnostic (`dcgmi diag -r 1`)
 *   passes: see DCGM_DIAG for the level, when it runs and why.
 *
 * Least privilege: the gate reads sysfs and procfs through read-only host mounts, runs as nobody with no capability,
 * and its service account may only get and patch Nodes; its token is mounted into the gate container alone, not into
 * the diagnostic container (which needs the GPUs, and so runs as the GPU Operator's own DCGM container does). The image is NVIDIA's DCGM image pinned by the digest the GPU
 * Operator's bundle lists (NVIDIA/gpu-operator bundle/manifests/gpu-operator-certified.clusterserviceversion.yaml,
 * @a22dbf671, 2026-08-21): it is the image the GPU Operator itself runs on these nodes, and its UBI base has a shell
 * and curl, which the gate uses to patch its Node through the API server.
 * Sysfs layout: https://docs.kernel.org/admin-guide/abi-stable.html (sysfs-class-infiniband, sysfs-class-net).
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as k8s from "@pulumi/kubernetes/types/input";
import { DaemonSet } from "@pulumi/kubernetes/apps/v1";
import { ServiceAccount } from "@pulumi/kubernetes/core/v1";
import { ClusterRole, ClusterRoleBinding } from "@pulumi/kubernetes/rbac/v1";
import type { Plan } from "../../planner/types.js";
import type { CompileContext } from "../types.js";
import type { WorkloadNames } from "./names.js";
import type { GpuNodePlacement } from "./target.js";
import { UNHEALTHY_TAINT_KEY } from "./node-health-policy.js";

export { UNHEALTHY_TAINT_KEY, healthPlanNote } from "./node-health-policy.js";

/** NVIDIA's DCGM image, as the GPU Operator bundle pins it. */
export const NODE_HEALTH_IMAGE = "nvcr.io/nvidia/cloud-native/dcgm:4.6.0-1-ubi10@sha256:92080d86d04c265f7fc0b8e1cd95dff94d3ab57de6a6474c3c483e4c2ada5dea";
/** Seconds between checks, and failed checks in a row before the node is taken out. */
export const NODE_HEALTH_DEFAULTS = { intervalSeconds: 60, failuresBeforeTaint: 3, bootGraceSeconds: 1800 };

/**
 * DCGM's active diagnostic in the gate (https://docs.nvidia.com/datacenter/dcgm/latest/reference/command-line-reference/dcgmi/dcgmi-diag.html
 * and https://docs.nvidia.com/datacenter/dcgm/latest/learn/modules/dcgm-diagnostics.html, read 2026-11-30):
 *
 * - Level 1 ("quick": deployment and software checks, normally seconds) is the one NVIDIA names for "a quick readiness
 *   test before a node accepts work". Level 2 (medium, about two minutes of GPU load) is NVIDIA's "after a failed job,
 *   once the GPUs are idle": the gate cannot hold pods off a fresh node (no startup taint), so a two-minute load at
 *   start would compete with the first workload pod that lands, and a process appearing mid-run fails the run (the
 *   software checks flag conflicting GPU processes, plugins/software.html). Level 1 at start and on the interval.
 * - It runs only on idle GPUs (none holding memory, before and after the run): a busy node is doing the real test, and
 *   a result taken beside a workload is not a fault. It runs as soon as the node's GPUs are idle after the pod starts,
 *   then at most every `intervalSeconds` (an hour: seconds of work, so an idle pool is rechecked before its next job
 *   lands; faults between runs are the cloud's monitoring's: EKS's node monitoring agent, AKS's node problem detector).
 * - It counts only when DCGM sees every GPU the type has (`dcgmi discovery -l`): fewer is the GPU check's reason, and a
 *   diagnostic that cannot reach the GPUs (a setup fault, the same on every node) must not cordon the whole pool.
 *
 * A failed run is the reason `dcgm-diag-r1-failed` until the next run passes; the failing lines go to the container's log.
 */
export const DCGM_DIAG = { level: 1, intervalSeconds: 3600, pollSeconds: 60, reason: "dcgm-diag-r1-failed", resultPath: "/diag/result" };
const DIAG_DIR = "/diag";
/** The RuntimeClass the GPU Operator creates for GPU pods (NVIDIA/gpu-operator controllers/object_controls.go DefaultRuntimeClass @a22dbf671). */
export const GPU_OPERATOR_RUNTIME_CLASS = "nvidia";

/** How the fabric's NICs are counted on a node: the shell test, and how many must pass. */
export interface FabricProbe {
  /** A POSIX sh snippet printing the number of healthy fabric NICs. */
  count: string;
  expected: number;
}

const IB_ACTIVE = (linkLayer?: string) =>
  `n=0; for p in /host/sys/class/infiniband/*/ports/1; do [ -r "$p/state" ] || continue; grep -q ACTIVE "$p/state" || continue; ${linkLayer ? `grep -q ${linkLayer} "$p/link_layer" || continue; ` : ""}n=$((n+1)); done; echo $n`;

/**
 * GKE's GPU NICs, counted by the PCI functions bound to their driver, not by the host's network devices: a GKE pod
 * attached to a Device network (GKENetworkParamSet deviceMode NetDevice or RDMA, lib/fabric/gke.ts) is handed the VM's
 * vNIC itself, which moves the NIC into the pod's network namespace ("the VM vNIC is managed as a resource and passed
 * to the Pod": https://cloud.google.com/kubernetes-engine/docs/concepts/about-multinetwork-support-for-pods, Device
 * networks, read 2026-12-01; the training pods own eth1..eth8 in GoogleCloudPlatform/container-engine-accelerators
 * gpudirect-tcpxo/nccl-test-latest.yaml @992db812, 2026-06-11). A running job's node then shows only eth0 under the host's /sys/class/net, so counting
 * netdevs there would cordon every healthy node mid-run. The PCI function stays bound to its driver wherever its netdev
 * lives (/sys/bus/pci/drivers/<driver>/<bdf>, Documentation/ABI/testing/sysfs-bus-pci), and a netdev's sysfs entry is
 * shown only to its own namespace, so:
 * - TCPX / TCPXO: each function bound to `gve` (the gVNIC driver's name, drivers/net/ethernet/google/gve/gve_main.c
 *   `gve_driver_name`) counts, host NIC included, if every netdev of it the host still sees is up.
 * - RDMA (A3 Ultra / A4): each function bound to `mlx5_core` counts if every RDMA port of it the host still sees is
 *   ACTIVE. With the RDMA subsystem in exclusive netns mode a device handed to a pod leaves the host's view too
 *   (man rdma-system(8): "RDMA devices are visible only in single network namespace"); in shared mode (the default) it
 *   stays visible, and must be ACTIVE.
 * What this cannot see: a NIC inside a pod's namespace whose link went down; the job's own NCCL errors surface that.
 * EFA (EKS) and InfiniBand (AKS, CoreWeave) keep counting ACTIVE ports under /sys/class/infiniband: no source read
 * says their pods take the devices out of the host's namespace.
 */
const GKE_NICS = (driver: string, link: { glob: string; file: string; healthy: string }) =>
  `n=0; for f in /host/sys/bus/pci/drivers/${driver}/*:*; do [ -e "$f" ] || continue; ok=1; for l in "$f"/${link.glob}; do [ -r "$l/${link.file}" ] || continue; grep -q ${link.healthy} "$l/${link.file}" || ok=0; done; [ "$ok" = 1 ] || continue; n=$((n+1)); done; echo $n`;
/** The gVNICs bound to gve whose host-visible netdevs are up. */
export const GVE_NICS = GKE_NICS("gve", { glob: "net/*", file: "operstate", healthy: "'^up$'" });
/** The ConnectX functions bound to mlx5_core whose host-visible RDMA ports are ACTIVE. */
export const MLX5_NICS = GKE_NICS("mlx5_core", { glob: "infiniband/*/ports/1", file: "state", healthy: "ACTIVE" });

/** The fabric probe of a plan, or undefined where the nodes have no fabric NICs to check. */
export function fabricProbe(plan: Plan): FabricProbe | undefined {
  const nics = plan.fabric.nicsPerNode;
  if (plan.workload !== "training" || nics === 0) return undefined;
  switch (plan.fabric.kind) {
    case "efa":
      return { count: IB_ACTIVE(), expected: nics };
    case "rdma":
      return { count: MLX5_NICS, expected: nics };
    case "infiniband":
      // Azure's accelerated-networking VF is an mlx5 device too, with an Ethernet link layer: it is not counted.
      return { count: IB_ACTIVE("InfiniBand"), expected: nics };
    case "gpudirect-tcpx":
    case "gpudirect-tcpxo":
      // The host NIC is a gVNIC too.
      return { count: GVE_NICS, expected: nics + (plan.fabric.hostNics ?? 1) };
    case "none":
      return undefined;
  }
}

/** The gate's script: checks, and after `failuresBeforeTaint` failures in a row, the strategic-merge patch of its Node. */
export function nodeHealthScript(plan: Plan, diag = false): string {
  const probe = fabricProbe(plan);
  const { intervalSeconds, failuresBeforeTaint, bootGraceSeconds } = NODE_HEALTH_DEFAULTS;
  return [
    "set -u",
    "SA=/var/run/secrets/kubernetes.io/serviceaccount",
    "fails=0",
    "healthy_once=0",
    "while true; do",
    "  reason=''",
    `  gpus=$(ls /host/proc/driver/nvidia/gpus 2>/dev/null | wc -l); [ "$gpus" -ge ${plan.gpusPerNode} ] || reason="gpus-$gpus-of-${plan.gpusPerNode}"`,
    ...(probe ? [`  nics=$(${probe.count}); [ -n "$reason" ] || [ "$nics" -ge ${probe.expected} ] || reason="fabric-$nics-of-${probe.expected}"`] : []),
    ...(diag ? [`  [ -n "$reason" ] || [ "$(cat ${DCGM_DIAG.resultPath} 2>/dev/null)" != fail ] || reason="${DCGM_DIAG.reason}"`] : []),
    '  if [ -z "$reason" ]; then fails=0; healthy_once=1; else fails=$((fails+1)); echo "check failed ($fails): $reason"; fi',
    // A booting node is not failing: the driver (built by the GPU Operator on some clouds) and the fabric come up
    // minutes after the kubelet, and tainting then would evict the very pods that install them. Until the node has
    // passed once, it is judged only after the boot grace.
    `  booted=$(cut -d. -f1 /proc/uptime)`,
    `  if [ "$fails" -ge ${failuresBeforeTaint} ] && { [ "$healthy_once" = 1 ] || [ "$booted" -ge ${bootGraceSeconds} ]; }; then`,
    `    body='{"metadata":{"annotations":{"${UNHEALTHY_TAINT_KEY}":"'"$reason"'"}},"spec":{"unschedulable":true,"taints":[{"key":"${UNHEALTHY_TAINT_KEY}","value":"'"$reason"'","effect":"NoExecute"}]}}'`,
    '    curl -sS --fail --cacert "$SA/ca.crt" -H "Authorization: Bearer $(cat "$SA/token")" -H "Content-Type: application/strategic-merge-patch+json" \\',
    '      -X PATCH "https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT/api/v1/nodes/$NODE_NAME" -d "$body" >/dev/null && echo "node tainted: $reason"',
    "  fi",
    `  sleep ${intervalSeconds}`,
    "done",
  ].join("\n");
}

/**
 * GPUs in use: those holding more than 1 GiB of memory. Not the compute-process list: NVML lists only processes in the
 * caller's PID namespace, so from this container another pod's server or trainer would not show.
 */
const BUSY_GPUS_FN = "busy_gpus() { n=0; for m in $(nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits 2>/dev/null); do [ \"$m\" -le 1024 ] || n=$((n+1)); done; echo $n; }";

/**
 * The diagnostic container's script: DCGM's host engine in the foreground (`nv-hostengine -n`, as a background job of
 * this shell), then `dcgmi diag -r 1` whenever DCGM_DIAG says, writing `pass` or `fail` where the gate reads it.
 */
export function dcgmDiagScript(plan: Plan): string {
  const { level, intervalSeconds, pollSeconds, resultPath } = DCGM_DIAG;
  return [
    "set -u",
    BUSY_GPUS_FN,
    "nv-hostengine -n &",
    "last=0",
    "while true; do",
    `  sleep ${pollSeconds}`,
    "  now=$(date +%s)",
    `  [ "$last" = 0 ] || [ $((now-last)) -ge ${intervalSeconds} ] || continue`,
    "  busy=$(busy_gpus)",
    `  seen=$(dcgmi discovery -l 2>/dev/null | sed -n 's/^ *\\([0-9][0-9]*\\) GPUs* found.*/\\1/p')`,
    `  if [ "$busy" != 0 ] || [ "\${seen:-0}" -lt ${plan.gpusPerNode} ]; then echo "diagnostic deferred: $busy GPUs in use, DCGM sees \${seen:-0} of ${plan.gpusPerNode} GPUs"; continue; fi`,
    `  out=$(dcgmi diag -r ${level} 2>&1); rc=$?`,
      '  [ "$(busy_gpus)" = 0 ] || { echo "diagnostic discarded: a workload started during it"; continue; }',
    "  last=$now",
    `  if [ "$rc" = 0 ] && ! printf '%s\\n' "$out" | grep -q Fail; then result=pass; else result=fail; printf '%s\\n' "$out" | grep -i -e fail -e error; fi`,
    `  echo "$result" > ${resultPath}.new && mv ${resultPath}.new ${resultPath}; echo "dcgmi diag -r ${level}: $result"`,
    "done",
  ].join("\n");
}

/**
 * The diagnostic container: NVIDIA's DCGM image under the GPU Operator's `nvidia` runtime class with every GPU visible
 * (NVIDIA_VISIBLE_DEVICES=all, no device-plugin request: it must not hold GPUs a workload asks for). It runs as the
 * GPU Operator's own DCGM host engine does, as root and privileged (NVIDIA/gpu-operator assets/state-dcgm/0400_dcgm.yml
 * @a22dbf671); it has no service account token, no host mount and no network beyond its own loopback, and writes
 * only its result to the pod's shared emptyDir.
 */
function dcgmDiagContainer(plan: Plan): k8s.core.v1.Container {
  return {
    name: "dcgm-diag",
    image: NODE_HEALTH_IMAGE,
    command: ["/bin/sh", "-c", dcgmDiagScript(plan)],
    env: [
      { name: "NVIDIA_VISIBLE_DEVICES", value: "all" },
      { name: "NVIDIA_DRIVER_CAPABILITIES", value: "compute,utility" },
    ],
    resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "1Gi" } },
    securityContext: { privileged: true, runAsUser: 0, runAsNonRoot: false },
    volumeMounts: [{ name: "diag", mountPath: DIAG_DIR }],
  };
}

/** The API token, projected into the gate container only (the pod mounts none by default). */
const TOKEN_VOLUME: k8s.core.v1.Volume = {
  name: "api-token",
  projected: {
    sources: [
      { serviceAccountToken: { path: "token", expirationSeconds: 3600 } },
      { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
    ],
  },
};

export interface NodeHealthGate {
  daemonSet: DaemonSet;
  serviceAccount: ServiceAccount;
  role: ClusterRole;
  binding: ClusterRoleBinding;
}

/** The gate on the component's GPU nodes, in its namespace, with its own service account and Node-only role. */
export function nodeHealthGate(
  plan: Plan,
  names: WorkloadNames,
  namespace: pulumi.Input<string>,
  placement: GpuNodePlacement,
  ctx: CompileContext,
  opts: pulumi.CustomResourceOptions,
  /** The GPU Operator's runtime class on these nodes (`nvidia`), which turns the DCGM diagnostic on. Default none: no diagnostic. */
  gpuRuntimeClass?: string,
): NodeHealthGate {
  const diag = gpuRuntimeClass !== undefined;
  const name = `${names.base}-node-health`;
  const labels = { ...names.labels, "app.kubernetes.io/name": name };
  const serviceAccount = new ServiceAccount(`${ctx.name}-node-health`, { metadata: { name, namespace, labels } }, opts);
  // Cluster-scoped names: one per component (names.base is unique per component).
  const role = new ClusterRole(`${ctx.name}-node-health`, { metadata: { name, labels }, rules: [{ apiGroups: [""], resources: ["nodes"], verbs: ["get", "patch"] }] }, opts);
  const binding = new ClusterRoleBinding(
    `${ctx.name}-node-health`,
    {
      metadata: { name, labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name },
      subjects: [{ kind: "ServiceAccount", name, namespace }],
    },
    opts,
  );
  const selector = { "app.kubernetes.io/name": name, "gpu-cluster/name": names.base };
  const daemonSet = new DaemonSet(
    `${ctx.name}-node-health`,
    {
      metadata: { name, namespace, labels, annotations: { "pulumi.com/skipAwait": "true" } },
      spec: {
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: { ...labels, ...selector } },
          spec: {
            serviceAccountName: name,
            automountServiceAccountToken: false,
            ...(diag ? { runtimeClassName: gpuRuntimeClass } : {}),
            affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: placement.matchExpressions }] } } },
            // Every taint, its own included: the gate keeps watching a node it took out.
            tolerations: [{ operator: "Exists" }],
            // No system-node-critical priority: GKE and others admit it only in kube-system (a quota scope elsewhere);
            // the gate's requests are tiny, and a GPU node keeps room for it (the workload asks for 85% of the CPUs).
            securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } },
            containers: [
              {
                name: "gate",
                image: NODE_HEALTH_IMAGE,
                command: ["/bin/sh", "-c", nodeHealthScript(plan, diag)],
                // Under the nvidia runtime class the gate itself gets no GPU.
                env: [{ name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } }, ...(diag ? [{ name: "NVIDIA_VISIBLE_DEVICES", value: "void" }] : [])],
                resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } },
                securityContext: { privileged: false, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                volumeMounts: [
                  { name: "sys", mountPath: "/host/sys", readOnly: true },
                  { name: "nvidia", mountPath: "/host/proc/driver/nvidia", readOnly: true },
                  { name: "api-token", mountPath: "/var/run/secrets/kubernetes.io/serviceaccount", readOnly: true },
                  ...(diag ? [{ name: "diag", mountPath: DIAG_DIR, readOnly: true }] : []),
                ],
              },
              ...(diag ? [dcgmDiagContainer(plan)] : []),
            ],
            volumes: [
              { name: "sys", hostPath: { path: "/sys", type: "Directory" } },
              // Absent until the driver loads: an empty path keeps the pod starting, and the GPU check fails until it does.
              { name: "nvidia", hostPath: { path: "/proc/driver/nvidia", type: "" } },
              TOKEN_VOLUME,
              ...(diag ? [{ name: "diag", emptyDir: { sizeLimit: "1Mi" } }] : []),
            ],
          },
        },
      },
    },
    opts,
  );
  return { daemonSet, serviceAccount, role, binding };
}
