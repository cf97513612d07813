/** What the node health gate does to a failing node, as plain data (no Kubernetes SDK): ./node-health.ts builds the gate, the plan note reads it. */

/** The taint (and annotation) a failing node gets; its value is the reason. */
export const UNHEALTHY_TAINT_KEY = "gpu-cluster/unhealthy";

/** Services whose gate runs DCGM's diagnostic (where the component installs the GPU Operator and its `nvidia` runtime class). */
const DCGM_DIAG_SERVICES = ["EKS", "AKS"];

/** What each managed cluster does about a failed GPU or NIC, from detection to replacement, as the plan says it. */
export function healthPlanNote(service: string, autoRepair = true): string | undefined {
  // EKS and AKS: the component's GPU Operator gives the gate the GPUs for DCGM's diagnostic (node-health.ts DCGM_DIAG).
  const diag = DCGM_DIAG_SERVICES.includes(service) ? ", or that fails DCGM's quick diagnostic (dcgmi diag -r 1 on idle GPUs, at start and hourly, where the component installs the GPU Operator)," : "";
  const gate = `the component's health gate cordons a GPU node with fewer GPUs or fabric NICs up than its type has${diag} and taints it ${UNHEALTHY_TAINT_KEY}=<reason>:NoExecute, so its pods leave`;
  const repair: Record<string, string> = {
    EKS: "EKS: the node monitoring agent reports GPU (Xid, DCGM), EFA and kernel faults as node conditions, and node auto repair on the GPU node group replaces or reboots the node",
    GKE: autoRepair ? "GKE: auto-repair recreates a GPU node that fails GKE's health checks (NotReady, GPU health)" : "GKE: the GPU pool's auto-repair is off (flex-start)",
    AKS: "AKS: node auto-repair is on by default (AKS offers no switch): it reboots, reimages or redeploys a NotReady node",
  };
  return repair[service] ? `${repair[service]}; ${gate}.` : undefined;
}
