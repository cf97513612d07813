/** Kubernetes names and labels of one component: explicit, because pod DNS, the HPA and the handles refer to them. */
import { uniqueDnsLabel } from "../../spec/dns.js";
import type { CompileContext } from "../types.js";

export { dnsLabel } from "../../spec/dns.js";

/** Label every GPU node of a component carries (the pods' node affinity selects it). */
export const POOL_LABEL = "gpu-cluster/pool";
/** The well-known label of a node's instance type / machine type / VM size. */
export const INSTANCE_TYPE_LABEL = "node.kubernetes.io/instance-type";

/** Port the training pods rendezvous on (torchrun's default), published by the headless Service. */
export const RENDEZVOUS_PORT = 29500;
/**
 * Pulumi's Kubernetes provider waits for Jobs to complete, Deployments to be ready and PVCs to bind; GPU Nodes take
 * 20-30 minutes to boot and a training Job runs for days, so `up` would time out. The workload is created and left to run.
 */
export const SKIP_AWAIT = { "pulumi.com/skipAwait": "true" };

export interface WorkloadNames {
  /** The component name as a DNS label (Job, Deployment, Service names). */
  base: string;
  namespace: string;
  /** The GPU node group / pool the pods select (CKS NodePool, EKS node group label value). */
  nodePool: string;
  /** NetworkPolicy name (the `securityGroupId` handle). */
  networkPolicy: string;
  /** Labels on every pod of the workload (and its selectors). */
  podLabels: Record<string, string>;
  /** Labels on every object the component creates. */
  labels: Record<string, string>;
}

/** Names of one component's workload objects; `namespace` and `nodePool` default to `<base>` and `<base>-pool`. */
export function workloadNames(ctx: CompileContext, overrides: { namespace?: string; nodePool?: string } = {}): WorkloadNames {
  // Leaves room for the suffixes below and the pod index of an indexed Job within 63 characters. A name that is not
  // already a clean label ("Team A", "équipe", a long one) gets a hash of the whole name, so "Team A" and "team-a",
  // or two long names sharing their first 40 characters, never share a namespace, Job or pool.
  const base = uniqueDnsLabel(ctx.name, 40);
  const labels = { "app.kubernetes.io/managed-by": "gpu-cluster", "gpu-cluster/name": base };
  return {
    base,
    namespace: overrides.namespace ?? base,
    nodePool: overrides.nodePool ?? `${base}-pool`,
    networkPolicy: `${base}-ingress`,
    podLabels: { "app.kubernetes.io/name": base, "gpu-cluster/name": base },
    labels,
  };
}
