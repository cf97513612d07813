/** Kubernetes names and labels of one component: explicit, because pod DNS, the HPA and the handles refer to them. */
import type * as pulumi from "@pulumi/pulumi";
import type { CompileContext } from "../types.js";
import type { CoreWeaveOptions } from "./options.js";

/** Node label every Node of the component's NodePool carries (set through `nodeLabels`); pods select it. */
export const POOL_LABEL = "gpu-cluster/pool";
/** CKS labels every Node of a Node Pool with its instance id (docs: CKS workload scheduling, node type selection labels). */
export const INSTANCE_TYPE_LABEL = "node.kubernetes.io/instance-type";
/**
 * The pool's taint. `nvidia.com/gpu` because the NVIDIA GPU Operator's daemonsets, which CoreWeave runs on every GPU
 * Node, already tolerate it: a taint of our own would keep the driver and device plugin off our Nodes.
 */
export const GPU_TAINT = { key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" } as const;
/** Port the training pods rendezvous on (torchrun's default), published by the headless Service. */
export const RENDEZVOUS_PORT = 29500;
/**
 * Pulumi's Kubernetes provider waits for Jobs to complete, Deployments to be ready and PVCs to bind; GPU Nodes take
 * 20-30 minutes to boot and a training Job runs for days, so `up` would time out. The workload is created and left to run.
 */
export const SKIP_AWAIT = { "pulumi.com/skipAwait": "true" };

/** A DNS-1123 label from any component name (lower case, `-` for anything else, trimmed to `max`). */
export function dnsLabel(name: string, max = 63): string {
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .slice(0, max)
    .replace(/^-+|-+$/g, "");
  return cleaned || "gpu";
}

export interface CoreWeaveNames {
  /** The component name as a DNS label (Job, Deployment, Service names). */
  base: string;
  namespace: string;
  nodePool: string;
  /** NetworkPolicy name (the `securityGroupId` handle). */
  networkPolicy: string;
  /** Labels on every pod of the workload (and its selectors). */
  podLabels: Record<string, string>;
  /** Labels on every object the component creates. */
  labels: Record<string, string>;
}

export function coreweaveNames(ctx: CompileContext, options: CoreWeaveOptions): CoreWeaveNames {
  // Leaves room for the suffixes below and the pod index of an indexed Job within 63 characters.
  const base = dnsLabel(ctx.name, 40);
  const labels = { "app.kubernetes.io/managed-by": "gpu-cluster", "gpu-cluster/name": base };
  return {
    base,
    namespace: options.namespace ?? base,
    nodePool: options.nodePoolName ?? `${base}-pool`,
    networkPolicy: `${base}-ingress`,
    podLabels: { "app.kubernetes.io/name": base, "gpu-cluster/name": base },
    labels,
  };
}

/** `{ parent, provider }` for every child: the user's CKS provider when given, else the default provider. */
export function childOptions(ctx: CompileContext, options: CoreWeaveOptions): pulumi.CustomResourceOptions {
  return options.provider ? { parent: ctx.parent, provider: options.provider } : { parent: ctx.parent };
}
