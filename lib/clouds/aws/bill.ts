/**
 * What the AWS compilers add to the bill reader (../shared/bill.ts): some things they build exactly one of where they
 * build any (one NAT gateway behind the private subnets' one route table, one KMS key, one secret), so an item counting
 * more is a bill the layout cannot take: an Error naming both, like a missing item.
 */

/** `item`, which must count one `what`. */
export function billedOne<T extends { kind: string; count: number }>(item: T, what: string): T {
  if (item.count !== 1) throw new Error(`gpu-cluster: the compiler builds one ${what}, but the bill of materials carries a '${item.kind}' item of ${item.count}`);
  return item;
}
