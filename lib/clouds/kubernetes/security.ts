/**
 * The NetworkPolicy that makes ingress deny-by-default for the workload's pods. Training: only the job's own
 * pods (NCCL bootstrap, rendezvous); RDMA traffic (InfiniBand, EFA) bypasses the pod network and needs no rule.
 * Inference: only the model server port. Egress stays open (image pulls, Hugging Face, object storage).
 */
import type * as pulumi from "@pulumi/pulumi";
import { NetworkPolicy } from "@pulumi/kubernetes/networking/v1";
import type { CompileContext } from "../types.js";
import type { WorkloadNames } from "./names.js";

export function ingressPolicy(
  names: WorkloadNames,
  namespace: pulumi.Input<string>,
  allow: { fromOwnPods: true } | { port: number },
  ctx: CompileContext,
  opts: pulumi.CustomResourceOptions,
): NetworkPolicy {
  const rule = "port" in allow ? { ports: [{ protocol: "TCP", port: allow.port }] } : { from: [{ podSelector: { matchLabels: names.podLabels } }] };
  return new NetworkPolicy(
    `${ctx.name}-netpol`,
    {
      metadata: { name: names.networkPolicy, namespace, labels: names.labels },
      spec: { podSelector: { matchLabels: names.podLabels }, policyTypes: ["Ingress"], ingress: [rule] },
    },
    opts,
  );
}
