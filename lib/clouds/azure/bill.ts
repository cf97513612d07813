/**
 * What the Azure compilers add to the bill reader (../shared/bill.ts): the two `public-ip` items (the NAT gateway's and
 * the Application Gateway's) are told apart by whose address the bill says each is (`what`: AZURE_PUBLIC_IPS,
 * lib/cost/bom/azure-vm.ts), and every fleet's internal Standard Load Balancer (the VM fleet's own, or the one AKS makes
 * for the Service) is read one way. The GPU node group's reader (billedGpuNodes, gpuNodeBounds) lives here for now and is
 * read by CoreWeave too; it belongs with the other shared readers in ../shared/bill.ts.
 */
import type { BomItem } from "../../cost/bom/types.js";
import { billedItem, type BomItemOf } from "../shared/bill.js";
import { AZURE_PUBLIC_IPS } from "../../cost/bom/azure-vm.js";
import type { NodeBounds } from "../../planner/packing.js";

/** Selects the public IP of `owner` among the bill's `public-ip` items. */
export function publicIpOf(owner: keyof typeof AZURE_PUBLIC_IPS): (ip: BomItemOf<"public-ip">) => boolean {
  return (ip) => ip.what === AZURE_PUBLIC_IPS[owner];
}

/** Every Azure fleet's internal Standard Load Balancer, which the compiler builds (VMs) or asks AKS for (a Service). */
export function billedInternalLoadBalancer(bill: readonly BomItem[], what: string): BomItemOf<"load-balancer"> {
  return billedItem(bill, "load-balancer", what, (lb) => lb.product === "azure-standard" && lb.scheme === "internal");
}

/**
 * The GPU nodes the compiler builds its node group from (the bill's first item, lib/cost/bom/shared.ts gpuNodesItem):
 * the VM size / instance type, the nodes at creation (`count`) and a fleet's most (`maxCount`), the figures the compute
 * line priced.
 */
export function billedGpuNodes(bill: readonly BomItem[]): BomItemOf<"gpu-nodes"> {
  return billedItem(bill, "gpu-nodes", "the GPU node group");
}

/**
 * The GPU node group's bounds from its bill item: an autoscaled fleet's `count` (its nodes at replicas.min) to its
 * `maxCount` (at replicas.max); a fixed group (training) holds `count` nodes. A fleet's item without `maxCount`, or one
 * whose most is below its count, is a bill the group cannot be sized from: an Error, like a missing item.
 */
export function gpuNodeBounds(item: BomItemOf<"gpu-nodes">, autoscaled: boolean): NodeBounds {
  if (!autoscaled) return { min: item.count, max: item.count };
  if (item.maxCount === undefined || item.maxCount < item.count) {
    throw new Error(`gpu-cluster: the compiler builds an autoscaled GPU node group from ${item.count} nodes, but the bill of materials' 'gpu-nodes' item gives its most as ${item.maxCount ?? "nothing"} (lib/cost/bom and the compiler disagree)`);
  }
  return { min: item.count, max: item.maxCount };
}
