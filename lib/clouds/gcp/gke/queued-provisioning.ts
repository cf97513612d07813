/**
 * GKE flex-start with queued provisioning (`gcp.gke.flexStartMode: "queued"`): the GPU pool takes nodes only through
 * ProvisioningRequests of class `queued-provisioning.gke.io`, and Kueue creates one per Job and admits the Job when
 * Dynamic Workload Scheduler has provisioned all its nodes together.
 *
 * Sources:
 * - Google's blueprint, GoogleCloudPlatform/cluster-toolkit @10470803 (2026-06-25, read 2026-12-01):
 *   examples/gke-consumption-options/dws-flex-start-queued-provisioning/gke-a3-ultragpu.yaml (the pool:
 *   `enable_flex_start`, `enable_queued_provisioning`, `auto_repair: false` "dws flex-start requirement",
 *   `autoscaling_total_min_nodes: 0` "queued provisioning requirement"; its `auto_upgrade: false` is possible only because
 *   that cluster has no release channel, and the TPU queued blueprints keep REGULAR with `auto_upgrade: true`, as this
 *   library does, node-pool.ts) and dws-queues.yaml.tftpl
 *   (AdmissionCheck `kueue.x-k8s.io/provisioning-request` → ProvisioningRequestConfig `queued-provisioning.gke.io`,
 *   managedResources nvidia.com/gpu, on the ClusterQueue); modules/compute/gke-node-pool/main.tf (`queued_provisioning
 *   { enabled = true }`; preconditions: NO_RESERVATION, total min nodes 0, no COMPACT placement for GPUs, no Spot; the
 *   `cloud.google.com/gke-queued=true` node label, and GKE's own `cloud.google.com/gke-queued` taint, variables.tf).
 * - https://cloud.google.com/kubernetes-engine/docs/how-to/provisioningrequest (read 2026-12-01): the pool needs
 *   `--flex-start` and `--enable-queued-provisioning`; GKE "allocates all requested resources at the same time".
 * - Kueue v0.14.3 (the pinned chart): ProvisioningACC is GA and locked on (pkg/features/kube_features.go); the
 *   controller starts when the cluster serves the ProvisioningRequest API (cmd/kueue/main.go); Job annotations
 *   `provreq.kueue.x-k8s.io/<param>` and the config's `parameters` both become the request's parameters
 *   (site/content/en/docs/concepts/admission_check/provisioning_request.md).
 * - podSetUpdates (the admitted pods select the nodes provisioned for their own request, by the node label
 *   `autoscaling.gke.io/provisioning-request` = the request's `ResizeRequestName` detail): Google's XPK
 *   (AI-Hypercomputer/xpk src/xpk/core/kueue.py @02fe0aa8, read 2026-12-01) and a Kueue maintainer's GKE example
 *   (kubernetes-sigs/kueue issue thread, 2026-02-09); without it another queued workload could take the new nodes.
 */
import type * as k8s from "@pulumi/kubernetes/types/input";
import type { ProvisioningCheck } from "../../kubernetes/kueue-policy.js";

/** GKE's ProvisioningRequest class for flex-start with queued provisioning. */
export const QUEUED_PROVISIONING_CLASS = "queued-provisioning.gke.io";

/** The label and taint key GKE gives the nodes of a queued-provisioning pool. */
export const QUEUED_NODE_KEY = "cloud.google.com/gke-queued";

/** The node pool's labels beyond the library's own (the blueprint's module adds it for pods that select these nodes). */
export const QUEUED_NODE_LABELS = { [QUEUED_NODE_KEY]: "true" } as const;

/** The GPU pods tolerate the taint GKE puts on queued-provisioning nodes (any value: GKE sets it, not the library). */
export const QUEUED_NODE_TOLERATION: k8s.core.v1.Toleration = { key: QUEUED_NODE_KEY, operator: "Exists", effect: "NoSchedule" };

/**
 * The Kueue check: GKE's class, GPUs as the managed resource, the run limit as `maxRunDurationSeconds` (`seconds`, the
 * same figure the plain flex-start pool sets as its nodes' maxRunDuration), and the pods pinned to their own request's
 * nodes.
 */
export function queuedProvisioningCheck(maxRunSeconds: number): ProvisioningCheck {
  return {
    provisioningClassName: QUEUED_PROVISIONING_CLASS,
    managedResources: ["nvidia.com/gpu"],
    parameters: { maxRunDurationSeconds: String(maxRunSeconds) },
    podSetUpdates: { nodeSelector: [{ key: "autoscaling.gke.io/provisioning-request", valueFromProvisioningClassDetail: "ResizeRequestName" }] },
  };
}
