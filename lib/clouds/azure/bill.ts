/**
 * What the Azure compilers add to the bill reader (../shared/bill.ts): Azure builds one NAT gateway per VNet (a subnet
 * takes one), one Standard public IP per NAT gateway or Application Gateway, and one cluster key per training cluster,
 * so an item that counts another number of them is a bug like a missing item; and the two `public-ip` items are told
 * apart by whose address the bill says each is (`what`: AZURE_PUBLIC_IPS, lib/cost/bom/azure-vm.ts).
 */
import type { BomItemOf } from "../shared/bill.js";
import { AZURE_PUBLIC_IPS } from "../../cost/bom/azure-vm.js";

/** `item`, when it counts exactly one; an Error naming `what` otherwise. */
export function single<T extends { kind: string; count: number }>(item: T, what: string): T {
  if (item.count !== 1) throw new Error(`gpu-cluster: the compiler builds one ${what}, but the bill of materials counts ${item.count} in its '${item.kind}' item (lib/cost/bom and the compiler disagree)`);
  return item;
}

/** Selects the public IP of `owner` among the bill's `public-ip` items. */
export function publicIpOf(owner: keyof typeof AZURE_PUBLIC_IPS): (ip: BomItemOf<"public-ip">) => boolean {
  return (ip) => ip.what === AZURE_PUBLIC_IPS[owner];
}
