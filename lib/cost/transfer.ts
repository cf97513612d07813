/**
 * The one place the spec's traffic, counted in GiB, becomes the units a cloud bills transfer in (its per-cloud fact:
 * TRANSFER_UNIT in lib/catalog/data/fees.ts). Every per-GB transfer line (internet egress, cross-region and
 * cross-zone transfer, NAT and load balancer data processed, EFS throughput) takes its quantity from here.
 */
import { TRANSFER_UNIT, type TransferUnit } from "../catalog/data/fees.js";
import type { Cloud } from "../catalog/types.js";

const BYTES_PER_GIB = 2 ** 30;

/** The cloud's transfer unit (bytes per billed unit, and the unit's name on a bill line). */
export function transferUnit(cloud: Cloud): TransferUnit {
  return TRANSFER_UNIT[cloud];
}

/** `gib` GiB (2^30 bytes each) in billed units of `unit`: the same figure for a binary unit, 1.0737 × for a decimal GB. */
export function billedUnits(gib: number, unit: TransferUnit): number {
  return (gib * BYTES_PER_GIB) / unit.bytes;
}
