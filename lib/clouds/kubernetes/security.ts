/**
 * The component's NetworkPolicies. Ingress is denied by default in the component's namespace, then admitted per
 * workload: training pods only from the job's own pods (NCCL bootstrap, rendezvous), inference pods only on the model
 * server port. Egress is scoped: DNS to kube-system, the namespace's own pods, and everything outside the cluster
 * (image registries, Hugging Face, object storage, the file systems' endpoints in the VPC) except the cloud's instance
 * metadata address, where the node's own credentials live.
 *
 * RDMA traffic (InfiniBand, EFA, GPUDirect-RDMA) bypasses the kernel's network stack, and GKE's GPU NICs are
 * `Device` networks outside the pod network's datapath: NetworkPolicy applies to neither, so NCCL's data path is
 * untouched; its bootstrap over eth0 is between the namespace's own pods, which both directions admit.
 * https://kubernetes.io/docs/concepts/services-networking/network-policies/ (default deny, ipBlock `except`).
 */
import * as pulumi from "@pulumi/pulumi";
import { NetworkPolicy } from "@pulumi/kubernetes/networking/v1";
import type * as k8s from "@pulumi/kubernetes/types/input";
import type { Plan } from "../../planner/types.js";
import type { CompileContext } from "../types.js";
import type { WorkloadNames } from "./names.js";

/** The link-local instance metadata address of AWS, Azure and GCP (IMDS: the node's role / managed identity). */
export const METADATA_CIDR = "169.254.169.254/32";

export function ingressPolicy(
  names: WorkloadNames,
  namespace: pulumi.Input<string>,
  allow: { fromOwnPods: true } | { port: number; from?: string[] },
  ctx: CompileContext,
  opts: pulumi.CustomResourceOptions,
): NetworkPolicy {
  // `from`: the proxies in front of the Service, plus the namespace's own pods (in-cluster callers, the checks).
  const port = (p: number, from?: string[]) => ({
    ports: [{ protocol: "TCP", port: p }],
    ...(from ? { from: [...from.map((cidr) => ({ ipBlock: { cidr } })), { podSelector: {} }] } : {}),
  });
  const rule = "port" in allow ? port(allow.port, allow.from) : { from: [{ podSelector: { matchLabels: names.podLabels } }] };
  return new NetworkPolicy(
    `${ctx.name}-netpol`,
    {
      metadata: { name: names.networkPolicy, namespace, labels: names.labels },
      spec: { podSelector: { matchLabels: names.podLabels }, policyTypes: ["Ingress"], ingress: [rule] },
    },
    opts,
  );
}

/**
 * The egress rules of the component's pods. On GKE the metadata address stays reachable: with Workload Identity
 * (the node pools run `GKE_METADATA`) it is the GKE metadata server, which gives a pod only its own Kubernetes service
 * account's Google identity (how the pods reach their Cloud Storage buckets), never the node's
 * (https://cloud.google.com/kubernetes-engine/docs/concepts/workload-identity). Elsewhere it is the VM's own
 * metadata service (EC2 IMDS, Azure IMDS) handing out the node's credentials, which no workload pod needs.
 */
/**
 * Ports the workload's pods need inside a routed pod network (`podNetworkCidrs`): the API server's private endpoint
 * and the VPC's interface endpoints (HTTPS), and NFS file systems (EFS, 2049). Other pods and nodes (the kubelet's
 * 10250 among them) are not reachable.
 */
const IN_NETWORK_PORTS = [
  { protocol: "TCP", port: 443 },
  { protocol: "TCP", port: 2049 },
];

export function egressRules(plan: Plan, podNetworkCidrs: pulumi.Input<string>[] = []): k8s.networking.v1.NetworkPolicyEgressRule[] {
  // The cluster DNS (kube-dns / CoreDNS) runs in kube-system on GKE, EKS, AKS and CKS; the label is set by Kubernetes on every namespace.
  const dns = {
    to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } } }],
    ports: [
      { protocol: "UDP", port: 53 },
      { protocol: "TCP", port: 53 },
    ],
  };
  // An empty podSelector in `to`: every pod of the policy's own namespace (training ranks, the acceptance test).
  const ownNamespace = { to: [{ podSelector: {} }] };
  const except = [...(plan.cloud === "gcp" ? [] : [METADATA_CIDR]), ...podNetworkCidrs];
  const outside = { to: [{ ipBlock: except.length ? { cidr: "0.0.0.0/0", except } : { cidr: "0.0.0.0/0" } }] };
  if (podNetworkCidrs.length === 0) return [dns, ownNamespace, outside];
  const inNetwork = { to: podNetworkCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: IN_NETWORK_PORTS };
  return [dns, ownNamespace, outside, inNetwork];
}

/**
 * The namespace-wide policies: deny all ingress not admitted by a workload's own policy, and the scoped egress.
 * Kubernetes NetworkPolicies are additive, so the per-workload ingress policies open exactly what each workload needs.
 */
export function namespacePolicies(
  plan: Plan,
  names: WorkloadNames,
  namespace: pulumi.Input<string>,
  ctx: CompileContext,
  opts: pulumi.CustomResourceOptions,
  podNetworkCidrs: pulumi.Input<pulumi.Input<string>[]> = [],
): { denyIngress: NetworkPolicy; egress: NetworkPolicy } {
  const denyIngress = new NetworkPolicy(
    `${ctx.name}-deny-ingress`,
    { metadata: { name: `${names.base}-default-deny-ingress`, namespace, labels: names.labels }, spec: { podSelector: {}, policyTypes: ["Ingress"] } },
    opts,
  );
  const egress = new NetworkPolicy(
    `${ctx.name}-egress`,
    { metadata: { name: `${names.base}-egress`, namespace, labels: names.labels }, spec: { podSelector: {}, policyTypes: ["Egress"], egress: pulumi.output(podNetworkCidrs).apply((cidrs) => egressRules(plan, cidrs)) } },
    opts,
  );
  return { denyIngress, egress };
}
