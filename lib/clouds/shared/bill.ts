/**
 * How a compiler reads the bill of materials it builds from (CompileContext.bill, the list `estimateCost` priced:
 * lib/cost/bom). A billable thing (a NAT gateway, a system pool, a node disk, a load balancer, a key) is built from
 * its item: its count, size, type and product come from the item. So the figure a preview prints and what `up`
 * creates are one list, not two rules that agree.
 *
 * Two ways a compiler reads an item. Where the bill alone decides whether the thing exists (a NAT gateway, interface
 * endpoints, the SSH trust's secret, an internet-facing Service's address), no item means nothing built. Where the plan
 * needs the thing to work (a cluster's control plane, a storage entry the nodes mount, a fleet's load balancer), the
 * compiler asks for its item with `billedItem`, and a bill without it is a bug in the library (the descriptor and the
 * compiler disagree), not bad input: an Error naming the item, thrown while compiling, before the engine creates anything.
 */
import type { BomItem, BomKind } from "../../cost/bom/types.js";
import type { Plan } from "../../planner/types.js";
import type { NodeBounds } from "../../planner/packing.js";
import { GPU_METRICS_SUBJECT } from "../../cost/bom/gpu-metrics.js";
import { isManagedPrometheusItem } from "../../cost/bom/managed-prometheus.js";

/** The bill item of one kind, with its fields. */
export type BomItemOf<K extends BomKind> = Extract<BomItem, { kind: K }>;

/** Every item of `kind` (that `where` accepts), in the bill's order. */
export function billed<K extends BomKind>(bill: readonly BomItem[], kind: K, where: (item: BomItemOf<K>) => boolean = () => true): BomItemOf<K>[] {
  return bill.filter((item): item is BomItemOf<K> => item.kind === kind).filter(where);
}

/** The one item of `kind` (that `where` accepts), or undefined when the bill has none. Two are a bug: which one to build? */
export function billedOnce<K extends BomKind>(bill: readonly BomItem[], kind: K, where?: (item: BomItemOf<K>) => boolean): BomItemOf<K> | undefined {
  const found = billed(bill, kind, where);
  if (found.length > 1) throw new Error(`gpu-cluster: the bill of materials carries ${found.length} '${kind}' items where the compiler builds one: ${JSON.stringify(found)}`);
  return found[0];
}

/** The one item of `kind` the compiler is about to build from; an Error naming `what` when the bill does not carry it. */
export function billedItem<K extends BomKind>(bill: readonly BomItem[], kind: K, what: string, where?: (item: BomItemOf<K>) => boolean): BomItemOf<K> {
  const item = billedOnce(bill, kind, where);
  if (item === undefined) throw new Error(`gpu-cluster: the compiler builds ${what}, but the bill of materials carries no '${kind}' item for it (lib/cost/bom and the compiler disagree)`);
  return item;
}

/**
 * `item`, which must count exactly one `what`: some things a compiler builds one of where it builds any (one NAT gateway
 * behind a network's one route table, one KMS key, one secret, one public IP on a gateway), so a bill counting another
 * number is a bill the layout cannot take, an Error like a missing item.
 */
export function billedOne<T extends { kind: string; count: number }>(item: T, what: string): T {
  if (item.count !== 1) throw new Error(`gpu-cluster: the compiler builds one ${what}, but the bill of materials counts ${item.count} in its '${item.kind}' item (lib/cost/bom and the compiler disagree)`);
  return item;
}

/** Whether a `storage` item is the one of storage entry `s` (by its stable name and kind). */
const itemOf = (s: { name: string; kind: string }) => (item: BomItemOf<"storage">) => item.name === s.name && item.storageKind === s.kind;

/** Storage entry `s`, which the compiler is about to build: an Error when the bill carries no item for it. */
export function billedEntry<S extends { name: string; kind: string }>(bill: readonly BomItem[], s: S): S {
  billedItem(bill, "storage", `storage '${s.name}' (${s.kind})`, itemOf(s));
  return s;
}

/**
 * The plan's storage entries, in the plan's order (a device or disk list built from them keeps its order whatever the
 * bill's), each checked against its bill item: an entry the bill does not carry, or an item naming no entry, is an
 * Error, never a file system or bucket quietly left out (which on an existing stack would delete it).
 */
export function billedStorage<S extends { name: string; kind: string }>(storage: readonly S[], bill: readonly BomItem[]): S[] {
  for (const item of billed(bill, "storage")) {
    if (!storage.some((s) => itemOf(s)(item))) throw new Error(`gpu-cluster: the bill of materials carries ${item.storageKind} storage '${item.name}', which the plan does not have (lib/cost/bom and the compiler disagree)`);
  }
  return storage.map((s) => billedEntry(bill, s));
}

/** The bill's root / boot / OS disk of a pool's nodes (its size and the cloud's disk type), which the compiler builds. */
export function billedNodeDisk(bill: readonly BomItem[], pool: "gpu" | "system", what: string): BomItemOf<"node-disk"> {
  return billedItem(bill, "node-disk", what, (disk) => disk.pool === pool);
}

/**
 * Whether the bill carries the nodes' GPU metrics (a named or priced item: lib/cost/bom/gpu-metrics.ts, azure-vm.ts):
 * the VM compilers install the agent that sends them only then.
 */
export function billsGpuMetrics(bill: readonly BomItem[]): boolean {
  return bill.some((item) => (item.kind === "unpriced" || item.kind === "metric-samples") && item.what.includes(GPU_METRICS_SUBJECT));
}

/** Whether the bill carries the cloud's managed Prometheus (lib/cost/bom/managed-prometheus.ts): the cluster is wired to it only then. */
export function billsManagedPrometheus(bill: readonly BomItem[], cloud: "aws" | "gcp" | "azure"): boolean {
  return bill.some((item) => isManagedPrometheusItem(item, cloud));
}

/** The bill's GPU nodes (lib/cost/bom/shared.ts gpuNodesItem): the node group's instance type, its count at creation and a fleet's most. */
export function billedGpuNodes(bill: readonly BomItem[]): BomItemOf<"gpu-nodes"> {
  return billedItem(bill, "gpu-nodes", "the GPU node group");
}

/** The GPU node group as billed, the figures the compute line priced. */
export interface BilledGpuNodes {
  /** The instance type (machine type, VM size) every GPU node is. */
  instanceType: string;
  /** Nodes at creation: a fixed group's size (training), a fleet's nodes at replicas.min. */
  count: number;
  /** The most nodes the group holds: a fleet's at replicas.max; a fixed group's size. */
  maxCount: number;
}

/**
 * The GPU node group every compiler sizes from the bill's `gpu-nodes` item: a fixed group of `count` for training, an
 * autoscaled one from `count` to `maxCount` for a fleet. An Error (the descriptor and the compiler disagree) when the
 * item is missing, when it names another instance type than the plan's (the compilers build the nodes' interfaces,
 * images, zones and disks for the plan's type: a group cannot launch a type it was not built for), when a fleet's item
 * has no most or a most below its count, or when a training cluster's item autoscales.
 */
export function billedGpuNodeGroup(plan: Pick<Plan, "instanceType" | "replicas">, bill: readonly BomItem[]): BilledGpuNodes {
  const item = billedGpuNodes(bill);
  const disagree = (why: string) => new Error(`gpu-cluster: the bill of materials' 'gpu-nodes' item ${why} (lib/cost/bom and the compiler disagree)`);
  if (item.instanceType !== plan.instanceType) throw disagree(`is ${item.instanceType}, but the compiler builds the GPU nodes for the plan's ${plan.instanceType}`);
  if (plan.replicas === undefined) {
    if (item.maxCount !== undefined) throw disagree(`autoscales a fixed group of ${item.count} training nodes to ${item.maxCount}`);
    return { instanceType: item.instanceType, count: item.count, maxCount: item.count };
  }
  if (item.maxCount === undefined || item.maxCount < item.count) throw disagree(`gives a fleet of ${item.count} nodes at creation ${item.maxCount ?? "no"} most`);
  return { instanceType: item.instanceType, count: item.count, maxCount: item.maxCount };
}

/** A billed group's bounds as the node-count bounds the autoscaled pools take (`min` at creation, `max` its most). */
export function gpuNodeBounds(group: BilledGpuNodes): NodeBounds {
  return { min: group.count, max: group.maxCount };
}
