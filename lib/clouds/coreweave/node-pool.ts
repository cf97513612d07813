/**
 * The CKS NodePool (compute.coreweave.com/v1alpha1): one custom resource for any node count.
 * Fields per https://docs.coreweave.com/products/cks/reference/node-pool and /products/cks/nodes/autoscaling (read 2026-11-25).
 */
import { CustomResource } from "@pulumi/kubernetes/apiextensions";
import type * as pulumi from "@pulumi/pulumi";
import type { Plan } from "../../planner/types.js";
import type { BomItem } from "../../cost/bom/types.js";
import type { CompileContext } from "../types.js";
import { GPU_TAINT, POOL_LABEL, type CoreWeaveNames } from "./names.js";
import type { CoreWeaveOptions } from "./options.js";
import { computeClass, type ComputeClass } from "./spot.js";
import { billedGpuNodeGroup, gpuNodeBounds } from "../shared/bill.js";

export interface NodePoolManifest {
  apiVersion: "compute.coreweave.com/v1alpha1";
  kind: "NodePool";
  metadata: { name: string; labels: Record<string, string> };
  spec: {
    /** `default` covers on-demand and reserved capacity; `spot` makes every Node preemptible (./spot.ts, with its sources). */
    computeClass: ComputeClass;
    instanceType: string;
    targetNodes: number;
    minNodes: number;
    maxNodes: number;
    autoscaling: boolean;
    nodeLabels: Record<string, string>;
    nodeTaints: { key: string; value: string; effect: string }[];
  };
}

/**
 * The NodePool as plain data (the compiler and the tests read the same object), sized from `bill`, the bill of
 * materials the estimate priced (CompileContext.bill).
 */
export function nodePoolManifest(plan: Plan, options: CoreWeaveOptions, names: CoreWeaveNames, bill: readonly BomItem[]): NodePoolManifest {
  // The instance type and Nodes the compute line priced (the bill's gpu-nodes item). Training holds exactly its count
  // (a collective needs every rank); a fleet lets the CKS Cluster Autoscaler add Nodes for pods the HPA creates, from
  // the Nodes replicas.min pods fill up to the item's maxCount, the Nodes replicas.max pods fill (lib/planner/packing.ts).
  const nodes = billedGpuNodeGroup(plan, bill);
  const bounds = gpuNodeBounds(nodes);
  return {
    apiVersion: "compute.coreweave.com/v1alpha1",
    kind: "NodePool",
    metadata: { name: names.nodePool, labels: { ...names.labels, "gpu-cluster/region": plan.region.toLowerCase() } },
    spec: {
      computeClass: computeClass(plan),
      instanceType: nodes.instanceType,
      targetNodes: bounds.min,
      minNodes: bounds.min,
      maxNodes: bounds.max,
      autoscaling: bounds.max > bounds.min,
      nodeLabels: { ...(options.nodeLabels ?? {}), [POOL_LABEL]: names.nodePool },
      nodeTaints: [{ ...GPU_TAINT }],
    },
  };
}

/**
 * How Pulumi updates the pool: a new GPU type replaces it, since CKS refuses an update to `spec.instanceType` ("Note:
 * instanceType is immutable and unchangeable", https://docs.coreweave.com/products/cks/reference/node-pool, read
 * 2026-12-01), and an in-place update would fail `up`. Delete first: the replacement keeps the pool's fixed
 * `metadata.name` (cluster-scoped, `<component>-pool`), so the old one must be gone before it is created. No other field
 * is documented as immutable (computeClass, node counts, labels and taints update in place). The pool holds no data
 * (storage is PVCs on the shared file system, ./storage.ts), so a replacement costs Nodes, never data.
 */
export const NODE_POOL_REPLACE: Pick<pulumi.CustomResourceOptions, "replaceOnChanges" | "deleteBeforeReplace"> = {
  replaceOnChanges: ["spec.instanceType"],
  deleteBeforeReplace: true,
};

export function nodePool(plan: Plan, options: CoreWeaveOptions, names: CoreWeaveNames, ctx: CompileContext, opts: pulumi.CustomResourceOptions): CustomResource {
  return new CustomResource(`${ctx.name}-nodepool`, nodePoolManifest(plan, options, names, ctx.bill), { ...opts, ...NODE_POOL_REPLACE });
}
