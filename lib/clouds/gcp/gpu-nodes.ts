/**
 * The GPU node group's size as billed: the bill's `gpu-nodes` item (lib/cost/bom/shared.ts gpuNodesItem), which the
 * compute line prices, read as a fixed group (training: `count` nodes) or an autoscaled one (a fleet: `count` at
 * replicas.min to `maxCount` at replicas.max). The VM compiler's managed instance groups and autoscaler
 * (training.ts, inference.ts, template.ts) and the GKE GPU pool (gke/node-pool.ts) read it here, so what a preview
 * prices and what `up` creates are one figure. A bill that does not fit the group (a fixed group with a most, a fleet
 * without one) is the descriptor and the compiler disagreeing: an Error, never a guessed bound.
 */
import type { BomItem } from "../../cost/bom/types.js";
import { billedGpuNodes, type BomItemOf } from "../shared/bill.js";

/** A fixed group's nodes: the item's instance type and `count` (an Error when the item carries a fleet's `maxCount`). */
export function billedFixedGpuNodes(bill: readonly BomItem[]): BomItemOf<"gpu-nodes"> {
  const item = billedGpuNodes(bill);
  if (item.maxCount !== undefined) {
    throw new Error(`gpu-cluster: the compiler builds a fixed group of ${item.count} GPU nodes, but the bill of materials' 'gpu-nodes' item autoscales it to ${item.maxCount} (lib/cost/bom and the compiler disagree)`);
  }
  return item;
}

/** An autoscaled fleet's nodes: the item's instance type, `min` (its `count`) and `max` (its `maxCount`, which it must carry). */
export function billedGpuNodeBounds(bill: readonly BomItem[]): { instanceType: string; min: number; max: number } {
  const item = billedGpuNodes(bill);
  if (item.maxCount === undefined) {
    throw new Error(`gpu-cluster: the compiler builds an autoscaled fleet, but the bill of materials' 'gpu-nodes' item (${item.count} nodes) carries no maxCount for its most (lib/cost/bom and the compiler disagree)`);
  }
  if (item.maxCount < item.count) {
    throw new Error(`gpu-cluster: the bill of materials' 'gpu-nodes' item has ${item.count} nodes at creation but at most ${item.maxCount} (lib/cost/bom and the compiler disagree)`);
  }
  return { instanceType: item.instanceType, min: item.count, max: item.maxCount };
}
