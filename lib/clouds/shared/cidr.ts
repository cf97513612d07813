/** IPv4 CIDR arithmetic for carving subnets out of a network the component creates. */

function parse(cidr: string): { base: number; prefix: number } {
  const [address, prefixText] = cidr.split("/");
  const octets = address!.split(".").map(Number);
  const base = octets.reduce((acc, o) => acc * 256 + o, 0);
  return { base, prefix: Number(prefixText) };
}

function format(base: number, prefix: number): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256);
  return `${octets.join(".")}/${prefix}`;
}

/** The `index`-th subnet of size `/newPrefix` inside `cidr` (e.g. ("10.0.0.0/16", 20, 1) → "10.0.16.0/20"). */
export function subnetCidr(cidr: string, newPrefix: number, index: number): string {
  const { base, prefix } = parse(cidr);
  if (newPrefix < prefix || newPrefix > 28) throw new RangeError(`cannot carve /${newPrefix} out of ${cidr}`);
  const count = 2 ** (newPrefix - prefix);
  if (index < 0 || index >= count) throw new RangeError(`${cidr} has only ${count} /${newPrefix} subnets`);
  const size = 2 ** (32 - newPrefix);
  const network = base - (base % 2 ** (32 - prefix));
  return format(network + index * size, newPrefix);
}

/** True when two CIDRs share any address. */
export function cidrsOverlap(a: string, b: string): boolean {
  const x = parse(a);
  const y = parse(b);
  const xStart = x.base - (x.base % 2 ** (32 - x.prefix));
  const yStart = y.base - (y.base % 2 ** (32 - y.prefix));
  return xStart < yStart + 2 ** (32 - y.prefix) && yStart < xStart + 2 ** (32 - x.prefix);
}
