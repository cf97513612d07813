/** CoreWeave's node labels and taint, and the component's Kubernetes names (the shared workload's, with CKS overrides). */
import type * as pulumi from "@pulumi/pulumi";
import { workloadNames, type WorkloadNames } from "../kubernetes/names.js";
import type { CompileContext } from "../types.js";
import type { CoreWeaveOptions } from "./options.js";

export { dnsLabel, RENDEZVOUS_PORT, SKIP_AWAIT } from "../kubernetes/names.js";

/** Node label every Node of the component's NodePool carries (set through `nodeLabels`); pods select it. */
import { POOL_LABEL } from "../kubernetes/names.js";
export { POOL_LABEL };
/** CKS labels every Node of a Node Pool with its instance id (docs: CKS workload scheduling, node type selection labels). */
import { INSTANCE_TYPE_LABEL } from "../kubernetes/names.js";
export { INSTANCE_TYPE_LABEL };
/**
 * The pool's taint. `nvidia.com/gpu` because the NVIDIA GPU Operator's daemonsets, which CoreWeave runs on every GPU
 * Node, already tolerate it: a taint of our own would keep the driver and device plugin off our Nodes.
 */
export const GPU_TAINT = { key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" } as const;

export type CoreWeaveNames = WorkloadNames;

export function coreweaveNames(ctx: CompileContext, options: CoreWeaveOptions): CoreWeaveNames {
  return workloadNames(ctx, { ...(options.namespace ? { namespace: options.namespace } : {}), ...(options.nodePoolName ? { nodePool: options.nodePoolName } : {}) });
}

/** `{ parent, provider }` for every child: the user's CKS provider when given, else the default provider. */
export function childOptions(ctx: CompileContext, options: CoreWeaveOptions): pulumi.CustomResourceOptions {
  return options.provider ? { parent: ctx.parent, provider: options.provider } : { parent: ctx.parent };
}
