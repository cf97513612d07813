/**
 * How an inference fleet's replicas sit on its nodes, per target. One rule, read by the plan (node counts and notes),
 * the estimate (the nodes it prices) and the compilers (pool bounds, the pod's GPU request):
 * - Kubernetes (EKS, GKE, AKS, CoreWeave): a replica is a pod requesting `nvidia.com/gpu: gpusPerReplica`, so the
 *   scheduler puts `floor(gpusPerNode / gpusPerReplica)` of them on one node. The node pool is sized to the pods:
 *   `ceil(replicas / replicasPerNode)` nodes at replicas.min and at replicas.max; the Deployment keeps `replicas` pods
 *   and the pod autoscaler (HPA / KEDA) scales them while the cluster autoscaler adds or removes nodes for pending or
 *   empty slots. A GPU request is whole GPUs, never shared between containers, and a node takes pods while its
 *   allocatable nvidia.com/gpu lasts (https://kubernetes.io/docs/tasks/manage-gpus/scheduling-gpus/, read 2026-12-01).
 *   The count is per node, not per GPU total: 5 replicas of 3 GPUs need 3 nodes of 8 GPUs (2 per node), not
 *   ceil(15 / 8) = 2, as a pod never spans nodes.
 * - VMs (ASG / MIG / VMSS): one model server per VM using all its GPUs, so one replica per node; the planner already
 *   picks the smallest type holding a replica, and a note names the GPUs a replica gets beyond what it asked.
 */
import type { InstanceFacts } from "../catalog/types.js";
import type { Orchestrator, ReplicaSpec } from "../spec/types.js";

/** Node bounds of an autoscaled pool. */
export interface NodeBounds {
  /** Nodes at replicas.min. */
  min: number;
  /** Nodes at replicas.max (the worst case the budget checks). */
  max: number;
}

export interface FleetPacking {
  /** GPUs one replica requests (`gpu.count`, or the whole pinned instance when count is absent). */
  gpusPerReplica: number;
  /** Replicas one node holds: `floor(gpusPerNode / gpusPerReplica)` on Kubernetes, 1 on VMs. */
  replicasPerNode: number;
  /** Nodes at replicas.min and replicas.max: `ceil(replicas / replicasPerNode)`. */
  nodes: NodeBounds;
}

/** The packing of `replicas` replicas of `gpusPerReplica` GPUs on `instance` nodes under `orchestrator`. */
export function fleetPacking(orchestrator: Orchestrator, instance: Pick<InstanceFacts, "gpuCount">, gpusPerReplica: number, replicas: ReplicaSpec): FleetPacking {
  const replicasPerNode = orchestrator === "kubernetes" ? Math.max(1, Math.floor(instance.gpuCount / gpusPerReplica)) : 1;
  const nodesFor = (r: number) => Math.ceil(r / replicasPerNode);
  return { gpusPerReplica, replicasPerNode, nodes: { min: nodesFor(replicas.min), max: nodesFor(replicas.max) } };
}

/** `a`, or `a to b` when the bounds differ. */
export function bounds(a: number, b: number): string {
  return a === b ? `${a}` : `${a} to ${b}`;
}

/** The plan note that says how the replicas are packed, or what a VM replica gets beyond its ask; undefined when a replica fills its node. */
export function packingNote(
  orchestrator: Orchestrator,
  instance: Pick<InstanceFacts, "gpuCount" | "instanceType">,
  packing: FleetPacking,
  replicas: ReplicaSpec,
): string | undefined {
  const { gpusPerReplica: g, replicasPerNode: r, nodes } = packing;
  const n = instance.gpuCount;
  if (g >= n) return undefined;
  if (orchestrator === "kubernetes") {
    const spare = n - r * g;
    return (
      `${bounds(replicas.min, replicas.max)} replicas of ${g} GPU${g === 1 ? "" : "s"} packed ${r} per node on ${bounds(nodes.min, nodes.max)} ${instance.instanceType} node${nodes.max === 1 ? "" : "s"} ` +
      `(pods request nvidia.com/gpu: ${g}${nodes.min === nodes.max ? "" : "; the node pool scales with the pods"})` +
      (spare > 0 ? `; ${spare} of each node's ${n} GPUs fit no further replica and stay idle` : "")
    );
  }
  // VM: the model server takes the whole VM (its tensor parallelism spans every GPU there).
  const fit = Math.floor(n / g);
  return (
    `orchestrator 'vm' runs one model server per ${instance.instanceType} VM on all its ${n} GPUs, though a replica asks ${g}: ` +
    `${n - g} GPU${n - g === 1 ? "" : "s"} per VM (${(n - g) * replicas.max} at replicas.max) are billed beyond the ask. ` +
    `orchestrator 'kubernetes' packs ${fit} replicas per node on ${bounds(Math.ceil(replicas.min / fit), Math.ceil(replicas.max / fit))} node${Math.ceil(replicas.max / fit) === 1 ? "" : "s"} instead`
  );
}

/**
 * A fleet's node bounds: `plan.nodes`, or one node per replica for a plan made before packing (a Plan passed in as
 * data). Every reader of a fleet's node count (pool bounds, estimate, quota and address checks) goes through it.
 */
export function fleetNodes(plan: { replicas?: ReplicaSpec; nodes?: NodeBounds }): NodeBounds {
  return plan.nodes ?? plan.replicas!;
}
