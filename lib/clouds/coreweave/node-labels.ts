/**
 * Topology labels CKS puts on its GPU Nodes, as plain strings (no SDK: Kueue's topology levels read them too).
 * - `backend.coreweave.cloud/fabric` and `backend.coreweave.cloud/leafgroup`: the backend (InfiniBand or RoCE) fabric
 *   and the group of leaf switches serving the Node, on every InfiniBand and RoCE Node; CoreWeave names them for
 *   controlling where Pods are scheduled (https://docs.coreweave.com/products/networking/hpc-interconnect/infiniband-roce-labels,
 *   read 2026-12-01).
 * - `ds.coreweave.com/nvlink.domain`: on GB200 / GB300 NVL72 Nodes, the rack's globally unique NVLink domain
 *   (https://docs.coreweave.com/products/sunk/optimize_workloads/topology-scheduling, read 2026-12-01); coreweave/nccl-tests'
 *   GB200 manifests name it to pin a job to racks (nccl-test-distributed-gb200-nvl72-mpijob.yaml @cb86553). The pods'
 *   NVLink-domain affinity keys on it with node IMEX; with DRA IMEX on `nvidia.com/gpu.clique` (lib/fabric/mnnvl.ts),
 *   as CoreWeave's DRA manifest and IMEX overview do (./compute-domain-rules.ts DOMAIN_KEY).
 */
export const FABRIC_LABEL = "backend.coreweave.cloud/fabric";
export const LEAFGROUP_LABEL = "backend.coreweave.cloud/leafgroup";
export const NVLINK_DOMAIN_LABEL = "ds.coreweave.com/nvlink.domain";
