/**
 * The memory a CoreWeave training pod requests (and is limited to), as CoreWeave sizes its own one-worker-per-Node
 * jobs: the worker memory of the coreweave/nccl-tests MPIJob for the instance type (mpi-operator/*.yaml at cb865533,
 * 2026-05-27, read 2026-12-01; request = limit in every one). Most of the Node's memory on GB200 (900Gi of 960 GB),
 * about half of it on the 2 TB HGX Nodes (960Gi): CoreWeave's figures, not a share, so they are a table. Plain data
 * (no Kubernetes SDK): lib/clouds/kubernetes/pod-resources.ts reads it for the pod and for Kueue's quota.
 */
import type { Plan } from "../../planner/types.js";

const NCCL_TESTS = "coreweave/nccl-tests@cb86553 mpi-operator";

/** Worker memory (GiB) per instance type, with the manifest it is read from. */
export const MANIFEST_POD_MEMORY_GIB: Readonly<Record<string, { gib: number; source: string }>> = {
  "gd-8xh100ib-i128": { gib: 960, source: `${NCCL_TESTS}/nccl-test-distributed-h100-64-mpijob.yaml` },
  "gd-8xa100-i128": { gib: 1000, source: `${NCCL_TESTS}/nccl-test-distributed-a100-64-mpijob.yaml` },
  "b200-8x": { gib: 960, source: `${NCCL_TESTS}/nccl-test-distributed-b200-64-mpijob.yaml` },
  "b300-8x": { gib: 960, source: `${NCCL_TESTS}/nccl-test-distributed-b300-64-mpijob.yaml` },
  "gb200-4x": { gib: 900, source: `${NCCL_TESTS}/nccl-test-distributed-gb200-nvl72-mpijob.yaml` },
  "gb300-4x": { gib: 900, source: `${NCCL_TESTS}/nccl-test-distributed-gb300-nvl72-mpijob.yaml` },
};

/** A CoreWeave training pod's memory (GiB) where CoreWeave's manifests give one for its type; otherwise undefined. */
export function coreweavePodMemoryGiB(plan: Plan): number | undefined {
  if (plan.cloud !== "coreweave" || plan.workload !== "training") return undefined;
  return Object.hasOwn(MANIFEST_POD_MEMORY_GIB, plan.instanceType) ? MANIFEST_POD_MEMORY_GIB[plan.instanceType]!.gib : undefined;
}
