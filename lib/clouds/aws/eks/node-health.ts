/**
 * EKS node health and repair: the node monitoring agent add-on (it reads the kernel log, the GPU driver, EFA and
 * the kubelet, and reports problems as node conditions such as AcceleratedHardwareReady and NetworkingReady), and
 * node auto repair on the GPU node group, which replaces (or reboots) a node whose conditions stay unhealthy.
 * https://docs.aws.amazon.com/eks/latest/userguide/node-health.html (read 2026-11-30): add-on name
 * `eks-node-monitoring-agent`; the managed node group's `nodeRepairConfig.enabled`.
 */
import type * as pulumi from "@pulumi/pulumi";
import * as eks from "@pulumi/aws/eks";
import type { CompileContext } from "../../types.js";

/** The GPU node group's repair setting: on. */
export const EKS_NODE_REPAIR = { enabled: true };

/** The node monitoring agent, on a cluster this component creates (an existing cluster keeps its own add-ons). */
export function nodeMonitoringAgent(clusterName: pulumi.Input<string>, ctx: CompileContext, tags: Record<string, string>, dependsOn: pulumi.Resource[]): eks.Addon {
  return new eks.Addon(
    `${ctx.name}-node-monitoring`,
    { clusterName, addonName: "eks-node-monitoring-agent", resolveConflictsOnCreate: "OVERWRITE", resolveConflictsOnUpdate: "PRESERVE", tags },
    { parent: ctx.parent, dependsOn },
  );
}
