/**
 * The CPU and memory a CoreWeave training pod requests, as CoreWeave sizes its own one-worker-per-Node jobs: the
 * worker resources of the coreweave/nccl-tests MPIJob for the instance type (mpi-operator/*.yaml at cb865533,
 * 2026-05-27, read 2026-12-01). Memory: request = limit in every one; most of the Node's memory on GB200 / GB300
 * (900 GiB of a 960 GB tray's LPDDR5X as CoreWeave sells it), about half of it on the 2 TB HGX Nodes (960 GiB). CPU:
 * 110 (HGX H100, B200, B300) or 112 (A100) requested with no limit, and on GB200 / GB300 140 requested and limited
 * alike. CoreWeave's figures, not a share, so they are a table. Plain data (no Kubernetes SDK):
 * lib/clouds/kubernetes/pod-resources.ts reads it for the pod and for Kueue's quota.
 */
import type { Plan } from "../../planner/types.js";

const NCCL_TESTS = "coreweave/nccl-tests@cb86553 mpi-operator";

/** One worker's resources in CoreWeave's manifest for a type. */
export interface ManifestPodResources {
  /** Memory request and limit (GiB). */
  gib: number;
  /** CPU request (cores). */
  cpu: number;
  /** Whether the manifest also limits CPU to the request (GB200 / GB300: `limits.cpu: "140"`). */
  cpuLimit: boolean;
  /** The manifest it is read from. */
  source: string;
}

/** Worker CPU and memory per instance type, with the manifest they are read from. */
export const MANIFEST_POD_RESOURCES: Readonly<Record<string, ManifestPodResources>> = {
  "gd-8xh100ib-i128": { gib: 960, cpu: 110, cpuLimit: false, source: `${NCCL_TESTS}/nccl-test-distributed-h100-64-mpijob.yaml` },
  "gd-8xa100-i128": { gib: 1000, cpu: 112, cpuLimit: false, source: `${NCCL_TESTS}/nccl-test-distributed-a100-64-mpijob.yaml` },
  "b200-8x": { gib: 960, cpu: 110, cpuLimit: false, source: `${NCCL_TESTS}/nccl-test-distributed-b200-64-mpijob.yaml` },
  "b300-8x": { gib: 960, cpu: 110, cpuLimit: false, source: `${NCCL_TESTS}/nccl-test-distributed-b300-64-mpijob.yaml` },
  "gb200-4x": { gib: 900, cpu: 140, cpuLimit: true, source: `${NCCL_TESTS}/nccl-test-distributed-gb200-nvl72-mpijob.yaml` },
  "gb300-4x": { gib: 900, cpu: 140, cpuLimit: true, source: `${NCCL_TESTS}/nccl-test-distributed-gb300-nvl72-mpijob.yaml` },
};

/** The manifest row of a CoreWeave training plan's type; undefined for a fleet, another cloud or a type without one. */
export function coreweaveManifestPodResources(plan: Plan): ManifestPodResources | undefined {
  if (plan.cloud !== "coreweave" || plan.workload !== "training") return undefined;
  return Object.hasOwn(MANIFEST_POD_RESOURCES, plan.instanceType) ? MANIFEST_POD_RESOURCES[plan.instanceType] : undefined;
}
