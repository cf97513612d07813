import * as gpu from "gpu-cluster";

// 16 × a3-megagpu-8g: 128 H100s. Each node gets 1 host gVNIC plus 8 GPUDirect-TCPXO NICs, each
// GPU NIC in its own VPC (MTU 8244) that admits only its own subnet; the managed instance group
// carries a HIGH_THROUGHPUT workload policy so the nodes land close together.
const cluster = new gpu.TrainingCluster("pretrain", {
  cloud: "gcp",
  region: "us-central1",
  gpu: { model: "H100", count: 128 },
  storage: [
    // Google Cloud Managed Lustre, 1,000 MB/s per TiB, over private services access.
    { kind: "lustre", capacityTiB: 36, tier: "1000", mountPath: "/data" },
    // Checkpoints: a private bucket only the nodes' service account can read and write.
    { kind: "object", capacityTiB: 50 },
  ],
  egress: { internetTiBPerMonth: 5 },
  budget: { monthlyUsd: 1_200_000, onExceed: "fail" },
  gcp: {
    // Leave zone unset to take the first zone of the region that offers a3-megagpu-8g.
    bootDiskGiB: 300,
  },
});

export const instanceType = cluster.plan.instanceType;
export const nodes = cluster.plan.nodeCount;
export const gpuNicsPerNode = cluster.plan.fabric.nicsPerNode;
export const monthlyUsd = cluster.costEstimate.monthlyUsd;
export const instanceGroup = cluster.nodeGroupId;
export const lustre = cluster.storage[0]!.endpoint;
export const checkpoints = cluster.storage[1]!.endpoint;
