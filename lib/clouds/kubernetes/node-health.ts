/**
 * The node health gate: a DaemonSet on the component's GPU nodes that checks, every minute, what a collective needs
 * from each node, and takes a node that fails three checks in a row out of service with its reason:
 *
 * - every GPU the instance type has is present to the driver (`/proc/driver/nvidia/gpus/<pci>`, one per GPU);
 * - every fabric NIC is there with its link up: EFA devices and RDMA NICs (GKE A3 Ultra / A4) ACTIVE under
 *   `/sys/class/infiniband`, InfiniBand HCAs (Azure ND, CoreWeave) ACTIVE with an InfiniBand link layer, GPUDirect-TCPX(O)
 *   gVNICs up under `/sys/class/net` (the fabric's NICs plus the host NIC).
 *
 * A node is judged only once it has passed a check, or 30 minutes after boot (a node still loading its driver is
 * booting, not failing). A failing node is cordoned and tainted `gpu-cluster/unhealthy=<reason>:NoExecute` (for example `fabric-31-of-32`):
 * its training pod leaves with a DisruptionTarget condition, which the queued Job does not count as a failure
 * (kueue.ts), and Kueue replaces the node or requeues the job. The reason is also a node annotation.
 *
 * Least privilege: the gate reads sysfs and procfs through read-only host mounts, runs as nobody with no capability,
 * and its service account may only get and patch Nodes. The image is NVIDIA's DCGM image pinned by the digest the GPU
 * Operator's bundle lists (NVIDIA/gpu-operator bundle/manifests/gpu-operator-certified.clusterserviceversion.yaml,
 * @a22dbf671, 2026-08-21): it is the image the GPU Operator itself runs on these nodes, and its UBI base has a shell
 * and curl, which the gate uses to patch its Node through the API server.
 * Sysfs layout: https://docs.kernel.org/admin-guide/abi-stable.html (sysfs-class-infiniband, sysfs-class-net).
 */
import type * as pulumi from "@pulumi/pulumi";
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

/** How the fabric's NICs are counted on a node: the shell test, and how many must pass. */
export interface FabricProbe {
  /** A POSIX sh snippet printing the number of healthy fabric NICs. */
  count: string;
  expected: number;
}

const IB_ACTIVE = (linkLayer?: string) =>
  `n=0; for p in /host/sys/class/infiniband/*/ports/1; do [ -r "$p/state" ] || continue; grep -q ACTIVE "$p/state" || continue; ${linkLayer ? `grep -q ${linkLayer} "$p/link_layer" || continue; ` : ""}n=$((n+1)); done; echo $n`;
const NET_UP = "n=0; for d in /host/sys/class/net/*; do [ -e \"$d/device\" ] || continue; [ \"$(cat \"$d/operstate\")\" = up ] || continue; n=$((n+1)); done; echo $n";

/** The fabric probe of a plan, or undefined where the nodes have no fabric NICs to check. */
export function fabricProbe(plan: Plan): FabricProbe | undefined {
  const nics = plan.fabric.nicsPerNode;
  if (plan.workload !== "training" || nics === 0) return undefined;
  switch (plan.fabric.kind) {
    case "efa":
    case "rdma":
      return { count: IB_ACTIVE(), expected: nics };
    case "infiniband":
      // Azure's accelerated-networking VF is an mlx5 device too, with an Ethernet link layer: it is not counted.
      return { count: IB_ACTIVE("InfiniBand"), expected: nics };
    case "gpudirect-tcpx":
    case "gpudirect-tcpxo":
      return { count: NET_UP, expected: nics + (plan.fabric.hostNics ?? 1) };
    case "none":
      return undefined;
  }
}

/** The gate's script: checks, and after `failuresBeforeTaint` failures in a row, the strategic-merge patch of its Node. */
export function nodeHealthScript(plan: Plan): string {
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
): NodeHealthGate {
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
                command: ["/bin/sh", "-c", nodeHealthScript(plan)],
                env: [{ name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } }],
                resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } },
                securityContext: { privileged: false, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                volumeMounts: [
                  { name: "sys", mountPath: "/host/sys", readOnly: true },
                  { name: "nvidia", mountPath: "/host/proc/driver/nvidia", readOnly: true },
                ],
              },
            ],
            volumes: [
              { name: "sys", hostPath: { path: "/sys", type: "Directory" } },
              // Absent until the driver loads: an empty path keeps the pod starting, and the GPU check fails until it does.
              { name: "nvidia", hostPath: { path: "/proc/driver/nvidia", type: "" } },
            ],
          },
        },
      },
    },
    opts,
  );
  return { daemonSet, serviceAccount, role, binding };
}
