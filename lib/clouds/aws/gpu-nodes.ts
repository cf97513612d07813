/**
 * The AWS GPU node group's instance type and size, read from the bill's `gpu-nodes` item (lib/cost/bom/shared.ts
 * gpuNodesItem), the figure the compute line priced, so the nodes a preview prices and the nodes `up` asks for are one
 * number. Read by the VM launch template and Auto Scaling group (launch-template.ts, training.ts, inference.ts), the
 * EKS launch template and managed node group (eks/launch-template.ts, eks/node-group.ts) and a Capacity Block's
 * schedule (capacity-block.ts).
 *
 * What is not billable sizing keeps reading the plan: the fabric gate's and the SSH hostfile's node count, the address
 * space and option checks. The instance type must be the plan's: the launch template's EFA interfaces
 * (interface-layout.ts), the EKS AMI type (eks/node-group.ts gpuAmiType), the zones looked up (network.ts) and the
 * Lustre client lines are all built for the plan's type, so a bill naming another type is refused rather than launched
 * with a layout made for a different machine.
 */
import type { BomItem } from "../../cost/bom/types.js";
import type { Plan } from "../../planner/types.js";
import { billedGpuNodes } from "../shared/bill.js";

/** The GPU node group as billed. */
export interface AwsGpuNodes {
  /** The EC2 instance type every GPU node launches as (the launch template's `instanceType`). */
  instanceType: string;
  /** Nodes at creation: a training group's size (a Capacity Block's while the block runs), a fleet's nodes at replicas.min. */
  count: number;
  /** The most nodes the group holds: a fleet's nodes at replicas.max; `count` when the item has no `maxCount` (a fixed group). */
  maxCount: number;
}

/**
 * The bill's GPU nodes for `plan`. An Error (a library bug, not bad input: lib/cost/bom and the compiler disagree) when
 * the bill has no `gpu-nodes` item (billedGpuNodes), names another instance type than the plan's, or bounds a group
 * below its own count (Auto Scaling and EKS refuse a maximum under the minimum).
 */
export function awsGpuNodes(plan: Pick<Plan, "instanceType">, bill: readonly BomItem[]): AwsGpuNodes {
  const item = billedGpuNodes(bill);
  if (item.instanceType !== plan.instanceType) {
    throw new Error(
      `gpu-cluster: the bill of materials' 'gpu-nodes' item is ${item.instanceType}, but the compiler builds the GPU nodes' interfaces, image and zones for the plan's ${plan.instanceType} (lib/cost/bom and the compiler disagree)`,
    );
  }
  const maxCount = item.maxCount ?? item.count;
  if (maxCount < item.count) throw new Error(`gpu-cluster: the bill of materials' 'gpu-nodes' item counts ${item.count} nodes at creation but at most ${maxCount} (lib/cost/bom and the compiler disagree)`);
  return { instanceType: item.instanceType, count: item.count, maxCount };
}
