/**
 * Multi-node NVLink (NVL72 racks): instance types whose GPUs share one NVLink domain across several nodes, and what
 * the workload needs to use it. Across trays NVLink memory is shared through IMEX channels: the node's own channel 0
 * (CoreWeave's default, lib/clouds/coreweave/compute-domain-rules.ts), or one the NVIDIA DRA driver hands out per
 * ComputeDomain (resource.nvidia.com/v1beta1, deployments/helm/dra-driver-nvidia-gpu/crds/
 * resource.nvidia.com_computedomains.yaml in NVIDIA/k8s-dra-driver-gpu at 22407113, 2026-05-15: `numNodes: 0` is the
 * recommended value, the channel comes from the named ResourceClaimTemplate). Pods of one job are kept in one NVLink
 * domain by the `nvidia.com/gpu.clique` label GPU feature discovery sets, and NCCL gets its MNNVL settings, as
 * coreweave/nccl-tests runs GB200 NVL72 (mpi-operator/nccl-test-distributed-gb200-nvl72-mpijob.yaml and
 * nccl-test-distributed-gb300-roce-nvl72-mpijob-dra.yaml at cb865533, 2026-05-27; read 2026-11-30).
 */

export interface NvlinkDomain {
  /** Nodes (compute trays) per NVLink domain. */
  nodesPerDomain: number;
  source: string;
}

/** Per (cloud-agnostic) instance type name. */
export const NVLINK_DOMAINS: Readonly<Record<string, NvlinkDomain>> = {
  // 18 trays of 4 GPUs = 72 GPUs per rack: https://docs.coreweave.com/docs/platform/instances/gb200 (read 2026-11-25).
  "gb200-4x": { nodesPerDomain: 18, source: "https://docs.coreweave.com/docs/platform/instances/gb200" },
};

/** The node label GPU feature discovery puts on multi-node NVLink nodes: `<cluster uuid>.<clique id>`. */
export const CLIQUE_LABEL = "nvidia.com/gpu.clique";

/** NCCL's multi-node NVLink settings from coreweave/nccl-tests' GB200 NVL72 manifests. */
export const MNNVL_NCCL_ENV: Readonly<Record<string, string>> = {
  NCCL_MNNVL_ENABLE: "1",
  NCCL_CUMEM_ENABLE: "1",
  NCCL_NET_GDR_C2C: "1",
  NCCL_SHM_DISABLE: "0",
};

export function nvlinkDomain(instanceType: string): NvlinkDomain | undefined {
  return Object.hasOwn(NVLINK_DOMAINS, instanceType) ? NVLINK_DOMAINS[instanceType] : undefined;
}
