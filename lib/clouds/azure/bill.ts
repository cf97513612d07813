/**
 * What the Azure compilers add to the bill reader (../shared/bill.ts): the two `public-ip` items (the NAT gateway's and
 * the Application Gateway's) are told apart by whose address the bill says each is (`what`: AZURE_PUBLIC_IPS,
 * lib/cost/bom/azure-vm.ts).
 */
import type { BomItemOf } from "../shared/bill.js";
import { AZURE_PUBLIC_IPS } from "../../cost/bom/azure-vm.js";

/** Selects the public IP of `owner` among the bill's `public-ip` items. */
export function publicIpOf(owner: keyof typeof AZURE_PUBLIC_IPS): (ip: BomItemOf<"public-ip">) => boolean {
  return (ip) => ip.what === AZURE_PUBLIC_IPS[owner];
}
