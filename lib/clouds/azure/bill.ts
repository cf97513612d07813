/**
 * What the Azure compilers add to the bill reader (../shared/bill.ts): the two `public-ip` items (the NAT gateway's and
 * the Application Gateway's) are told apart by whose address the bill says each is (`what`: AZURE_PUBLIC_IPS,
 * lib/cost/bom/azure-vm.ts), and every fleet's internal Standard Load Balancer (the VM fleet's own, or the one AKS makes
 * for the Service) is read one way.
 */
import type { BomItem } from "../../cost/bom/types.js";
import { billedItem, type BomItemOf } from "../shared/bill.js";
import { AZURE_PUBLIC_IPS } from "../../cost/bom/azure-vm.js";

/** Selects the public IP of `owner` among the bill's `public-ip` items. */
export function publicIpOf(owner: keyof typeof AZURE_PUBLIC_IPS): (ip: BomItemOf<"public-ip">) => boolean {
  return (ip) => ip.what === AZURE_PUBLIC_IPS[owner];
}

/** Every Azure fleet's internal Standard Load Balancer, which the compiler builds (VMs) or asks AKS for (a Service). */
export function billedInternalLoadBalancer(bill: readonly BomItem[], what: string): BomItemOf<"load-balancer"> {
  return billedItem(bill, "load-balancer", what, (lb) => lb.product === "azure-standard" && lb.scheme === "internal");
}
