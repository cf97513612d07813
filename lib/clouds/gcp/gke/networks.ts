/**
 * The GKE side of the node pool's additional networks: for each one, a `networking.gke.io/v1` GKENetworkParamSet
 * (the VPC and subnet, and `deviceMode`: the NIC moves into the pod as a netdevice, or as an RDMA device) and a
 * `Network` of type `Device` referring to it. Their names are the ones the pods' `networking.gke.io/interfaces`
 * annotation lists, from lib/fabric's `gkeNetworks` (one function for both sides). Fields as Google documents them:
 * https://cloud.google.com/kubernetes-engine/docs/how-to/gpu-bandwidth-gpudirect-tcpx (TCPX / TCPXO) and
 * https://cloud.google.com/ai-hypercomputer/docs/create/gke-ai-hypercompute-custom (RDMA), read 2026-11-25.
 */
import type * as pulumi from "@pulumi/pulumi";
import { CustomResource } from "@pulumi/kubernetes/apiextensions";
import { gkeNetworks } from "../../../fabric/index.js";
import type { Plan } from "../../../planner/types.js";
import type { CompileContext } from "../../types.js";
import type { NodeNic } from "../network.js";

export const GKE_NETWORK_API = "networking.gke.io/v1";

export function gkeNetworkObjects(plan: Plan, nics: NodeNic[], ctx: CompileContext, opts: pulumi.CustomResourceOptions): CustomResource[] {
  const networks = gkeNetworks(plan);
  const additional = nics.slice(1);
  if (networks.length !== additional.length) {
    throw new Error(`gpu-cluster: ${additional.length} additional node networks but ${networks.length} GKE networks for ${plan.instanceType} (a bug: both come from the plan's fabric)`);
  }
  return networks.flatMap((network, i) => {
    const nic = additional[i]!;
    const params = new CustomResource(
      `${ctx.name}-${network.name}-params`,
      {
        apiVersion: GKE_NETWORK_API,
        kind: "GKENetworkParamSet",
        metadata: { name: network.name },
        spec: { vpc: nic.networkName, vpcSubnet: nic.subnetworkName, deviceMode: network.deviceMode },
      },
      opts,
    );
    const net = new CustomResource(
      `${ctx.name}-${network.name}-network`,
      {
        apiVersion: GKE_NETWORK_API,
        kind: "Network",
        metadata: { name: network.name },
        spec: { type: "Device", parametersRef: { group: "networking.gke.io", kind: "GKENetworkParamSet", name: network.name } },
      },
      { ...opts, dependsOn: [params] },
    );
    return [params, net];
  });
}
