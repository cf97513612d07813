/**
 * Does the plan fit the addresses it is given? Pure arithmetic over the VNet the component carves (network.ts
 * `subnetLayout`) and the AKS overlay pod range, checked before anything exists, so a cluster never comes up with
 * nodes that have no address (a scale set or node pool stuck short of its count) or a file system whose subnet is
 * too small.
 */
import type { Plan } from "../../planner/types.js";
import { SpecError } from "../../spec/errors.js";
import { AKS_NETWORK, SYSTEM_POOL } from "./aks/options.js";

/**
 * How many bits each subnet adds to the VNet's prefix (network.ts `subnetLayout` carves with these): the nodes get
 * half the space, the load balancer, Managed Lustre, NetApp and Application Gateway subnets a sixteenth each (the
 * gateway's is a /24 in the smallest VNet taken, a /20: the size Microsoft recommends for a v2 gateway's 125 instances,
 * https://learn.microsoft.com/azure/application-gateway/configuration-infrastructure, read 2026-11-30).
 */
export const SUBNET_PREFIX_OFFSET = { nodes: 1, loadBalancer: 4, lustre: 4, netapp: 4, appGateway: 4 } as const;

/**
 * Azure keeps five addresses of every subnet (network, gateway, two for DNS, broadcast)
 * (https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq#are-there-any-restrictions-on-using-ip-addresses-within-these-subnets).
 */
export const AZURE_RESERVED_PER_SUBNET = 5;

/**
 * Azure CNI overlay gives every node a /24 of the pod range, temporary upgrade and scale-out nodes included: a /16
 * holds about 250 nodes (https://learn.microsoft.com/azure/aks/azure-cni-overlay, "Pod IP address space").
 */
export const OVERLAY_NODE_BLOCK_PREFIX = 24;

/**
 * One Uniform scale set holds at most 1,000 VMs from a platform image (singlePlacementGroup false), and 100 in one
 * placement group (https://learn.microsoft.com/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-placement-groups).
 */
export const SCALE_SET_MAX_VMS = 1000;

/**
 * The smallest Managed Lustre subnet (prefix length) for a capacity, from Microsoft's table
 * (https://learn.microsoft.com/azure/azure-managed-lustre/amlfs-prerequisites, "Network size requirements"); above
 * its last row (400 TiB on a /23) one more bit per doubling.
 */
export function lustreSubnetPrefix(capacityTiB: number): number {
  const rows: [number, number][] = [[16, 27], [40, 26], [92, 25], [196, 24], [400, 23]];
  for (const [tib, prefix] of rows) if (capacityTiB <= tib) return prefix;
  return 23 - Math.ceil(Math.log2(capacityTiB / 400));
}

/** Addresses a subnet of this prefix hands out. */
export function usableAddresses(prefix: number): number {
  return 2 ** (32 - prefix) - AZURE_RESERVED_PER_SUBNET;
}

/**
 * The largest count of GPU nodes the plan can reach: the training count, or an autoscaled fleet's replicas.max, an
 * upper bound when replicas share nodes on AKS (lib/planner/packing.ts), kept so a subnet sized before packing stays.
 */
export function peakGpuNodes(plan: Plan): number {
  return plan.workload === "inference" ? plan.replicas!.max : plan.nodeCount;
}

/**
 * Addresses the node subnet must hand out at the plan's peak. VMs: one per VM of the scale set (overprovisioning is
 * off). A new AKS cluster: the GPU nodes (upgrades surge none, node-pool.ts), the system pool at its autoscaler max
 * plus one surge node, and the private API server's endpoint.
 */
export function nodeSubnetDemand(plan: Plan, newAksCluster: boolean): number {
  const gpu = peakGpuNodes(plan);
  return newAksCluster ? gpu + SYSTEM_POOL.max + 1 + 1 : gpu;
}

function prefixOf(cidr: string): number {
  return Number(cidr.split("/")[1]);
}

/** The largest VNet prefix whose node subnet holds `demand` addresses. */
function vnetPrefixFor(demand: number): number {
  let prefix = 29;
  while (prefix > 8 && usableAddresses(prefix) < demand) prefix--;
  return prefix - SUBNET_PREFIX_OFFSET.nodes;
}

/** The GPU-node field a user changes to shrink the peak. */
function countField(plan: Plan): string {
  return plan.workload === "inference" ? "replicas.max" : "gpu";
}

/**
 * Throws SpecError when the nodes do not fit the node subnet, a new AKS cluster's nodes do not fit the overlay pod
 * range, a fleet outgrows one scale set, or a Managed Lustre file system does not fit its subnet.
 * `vnetAddressSpace`: the VNet the component creates (undefined for an existing AKS cluster: its network is not ours).
 */
export function checkAddressSpace(plan: Plan, vnetAddressSpace: string | undefined, aks: { newCluster: boolean }): void {
  const peak = peakGpuNodes(plan);
  if (plan.orchestrator !== "kubernetes" && peak > SCALE_SET_MAX_VMS) {
    throw new SpecError(countField(plan), `${peak} VMs do not fit one scale set, which holds at most ${SCALE_SET_MAX_VMS}`, `use at most ${SCALE_SET_MAX_VMS} nodes, or split the fleet into several components`);
  }
  if (plan.orchestrator === "kubernetes" && aks.newCluster) {
    // Every node (GPU, system, surge) takes a /24 of the pod range.
    const blocks = 2 ** (OVERLAY_NODE_BLOCK_PREFIX - prefixOf(AKS_NETWORK.podCidr));
    const others = SYSTEM_POOL.max + 1;
    if (peak + others > blocks) {
      throw new SpecError(
        countField(plan),
        `${peak} GPU nodes and ${others} system nodes (with an upgrade surge) need ${peak + others} /24 blocks of the AKS overlay pod range ${AKS_NETWORK.podCidr}, which has ${blocks}`,
        `use at most ${blocks - others} GPU nodes per cluster, or split the work across clusters`,
      );
    }
  }
  if (vnetAddressSpace === undefined) return;
  const vnetPrefix = prefixOf(vnetAddressSpace);
  const nodesPrefix = vnetPrefix + SUBNET_PREFIX_OFFSET.nodes;
  const demand = nodeSubnetDemand(plan, plan.orchestrator === "kubernetes" && aks.newCluster);
  if (demand > usableAddresses(nodesPrefix)) {
    const fit = vnetPrefixFor(demand);
    throw new SpecError(
      "azure.vnetAddressSpace",
      `'${vnetAddressSpace}' gives the node subnet a /${nodesPrefix} of ${usableAddresses(nodesPrefix)} usable addresses, and the plan needs ${demand} at its peak`,
      `use a /${fit} or larger, e.g. '10.0.0.0/${fit}' (outside 172.16.0.0/16)`,
    );
  }
  plan.storage.forEach((s, i) => {
    if (s.kind !== "lustre") return;
    const need = lustreSubnetPrefix(s.capacityGiB / 1024);
    const have = vnetPrefix + SUBNET_PREFIX_OFFSET.lustre;
    if (have > need) {
      const fit = need - SUBNET_PREFIX_OFFSET.lustre;
      throw new SpecError(
        "azure.vnetAddressSpace",
        `'${vnetAddressSpace}' gives Managed Lustre a /${have} subnet, and storage[${i}] (${s.capacityGiB / 1024} TiB) needs a /${need} or larger`,
        `use a /${fit} or larger VNet, e.g. '10.0.0.0/${fit}'`,
      );
    }
  });
}
