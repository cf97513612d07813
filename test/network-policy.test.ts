/**
 * The component's namespace: ingress denied by default, admitted per workload; egress scoped to DNS in kube-system,
 * the namespace's own pods and the outside world except the instance metadata address (kept on GKE, where it is
 * Workload Identity's GKE metadata server). https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { byName, ofType, run, privateEndpoint } from "./helpers/offline.js";

const NETPOL = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

const DNS = {
  to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } } }],
  ports: [
    { protocol: "UDP", port: 53 },
    { protocol: "TCP", port: 53 },
  ],
};
const OWN_NAMESPACE = { to: [{ podSelector: {} }] };

const programs = {
  coreweave: () => new gpu.TrainingCluster("coreweave", privateEndpoint({ cloud: "coreweave", region: "US-EAST-04", gpu: { instanceType: "gd-8xh100ib-i128", nodes: 2 }, coreweave: { acceptanceTest: true } } as gpu.TrainingClusterArgs)),
  eks: () => new gpu.TrainingCluster("eks", privateEndpoint({ cloud: "aws", region: "us-east-1", orchestrator: "kubernetes", gpu: { instanceType: "p5.48xlarge", nodes: 2 } } as gpu.TrainingClusterArgs)),
  aks: () => new gpu.TrainingCluster("aks", privateEndpoint({ cloud: "azure", region: "eastus", orchestrator: "kubernetes", gpu: { instanceType: "Standard_ND96isr_H100_v5", nodes: 2 } } as gpu.TrainingClusterArgs)),
  gke: () => new gpu.TrainingCluster("gke", privateEndpoint({ cloud: "gcp", region: "us-central1", orchestrator: "kubernetes", gpu: { instanceType: "a3-megagpu-8g", nodes: 2 } } as gpu.TrainingClusterArgs)),
};

describe("namespace NetworkPolicies", () => {
  it.each(["coreweave", "eks", "aks"] as const)("%s: default-deny ingress for the whole namespace, egress to DNS, own pods and 0.0.0.0/0 except 169.254.169.254/32", async (cloud) => {
    const result = await run(programs[cloud]);
    expect(result.error).toBeUndefined();
    const deny = byName(result, NETPOL, `${cloud}-deny-ingress`).inputs;
    expect(deny.metadata).toMatchObject({ name: `${cloud}-default-deny-ingress`, namespace: cloud });
    // An empty pod selector and no ingress rule: every pod of the namespace, nothing admitted.
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress"] });
    const egress = byName(result, NETPOL, `${cloud}-egress`).inputs;
    // EKS: the VPC CNI gives pods and nodes VPC addresses and its policy agent matches by address, so the VPC is not
    // "outside": only the API server / interface endpoints (443) and EFS (2049) are reachable there
    // (https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy.html). Overlay CNIs need no such rule.
    const vpc = cloud === "eks" ? ["10.0.0.0/16"] : [];
    expect(egress.spec).toEqual({
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [
        DNS,
        OWN_NAMESPACE,
        { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["169.254.169.254/32", ...vpc] } }] },
        ...(cloud === "eks" ? [{ to: [{ ipBlock: { cidr: "10.0.0.0/16" } }], ports: [{ protocol: "TCP", port: 443 }, { protocol: "TCP", port: 2049 }] }] : []),
      ],
    });
    // The workload's own allow policy still admits its ranks (NCCL bootstrap, rendezvous).
    expect(byName(result, NETPOL, `${cloud}-netpol`).inputs.spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": cloud, "gpu-cluster/name": cloud } } }] }]);
    for (const policy of ofType(result, NETPOL)) new NetworkPolicy(policy.inputs as never).validate();
  });

  it("EKS in an existing VPC with a secondary block (pods on it with custom networking): both blocks are the cluster's network, not the outside", async () => {
    // DescribeVpcs lists every block in CidrBlockAssociationSet, the primary among them
    // (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_VpcCidrBlockAssociation.html, read 2026-11-30); EKS
    // custom networking runs pods in a secondary block, e.g. 100.64.0.0/16
    // (https://docs.aws.amazon.com/eks/latest/userguide/cni-custom-network.html, read 2026-11-30). A block being
    // disassociated holds no addresses and is left out.
    const twoBlocks = (inputs: Record<string, any>) => ({
      ...inputs,
      cidrBlock: "10.0.0.0/16",
      cidrBlockAssociations: [
        { associationId: "vpc-cidr-assoc-1", cidrBlock: "10.0.0.0/16", state: "associated" },
        { associationId: "vpc-cidr-assoc-2", cidrBlock: "100.64.0.0/16", state: "associated" },
        { associationId: "vpc-cidr-assoc-3", cidrBlock: "100.65.0.0/16", state: "disassociating" },
      ],
    });
    const result = await run(
      () => new gpu.TrainingCluster("eksv", privateEndpoint({ cloud: "aws", region: "us-east-1", orchestrator: "kubernetes", gpu: { instanceType: "p5.48xlarge", nodes: 2 }, aws: { vpcId: "vpc-0a1b", subnetIds: ["subnet-a", "subnet-b"] } } as gpu.TrainingClusterArgs)),
      { invokes: { "aws:ec2/getVpc:getVpc": twoBlocks } },
    );
    expect(result.error).toBeUndefined();
    expect(byName(result, NETPOL, "eksv-egress").inputs.spec.egress).toEqual([
      DNS,
      OWN_NAMESPACE,
      { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["169.254.169.254/32", "10.0.0.0/16", "100.64.0.0/16"] } }] },
      { to: [{ ipBlock: { cidr: "10.0.0.0/16" } }, { ipBlock: { cidr: "100.64.0.0/16" } }], ports: [{ protocol: "TCP", port: 443 }, { protocol: "TCP", port: 2049 }] },
    ]);
  });

  it("GKE keeps the metadata address reachable: it is the GKE metadata server Workload Identity (the buckets' access) needs", async () => {
    const result = await run(programs.gke);
    expect(result.error).toBeUndefined();
    expect(byName(result, NETPOL, "gke-egress").inputs.spec.egress).toEqual([DNS, OWN_NAMESPACE, { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }] }]);
    expect(byName(result, NETPOL, "gke-deny-ingress").inputs.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress"] });
  });

  it("an inference fleet: the deny-all plus its serving port, the same egress", async () => {
    const result = await run(() => new gpu.InferenceFleet("srv", privateEndpoint({ cloud: "coreweave", region: "US-EAST-04", gpu: { model: "L40S" }, replicas: { min: 1, max: 2 } } as gpu.InferenceFleetArgs)));
    expect(result.error).toBeUndefined();
    expect(ofType(result, NETPOL).map((p) => p.name).sort()).toEqual(["srv-deny-ingress", "srv-egress", "srv-netpol"]);
    expect(byName(result, NETPOL, "srv-netpol").inputs.spec.ingress).toEqual([{ ports: [{ protocol: "TCP", port: 8000 }] }]);
  });
});
