import * as gpu from "gpu-cluster";

// 16 × a3-megagpu-8g on GKE: one GPU node pool with compact placement and 8 GPUDirect-TCPXO VPCs (MTU 8244) as
// additional node networks, the GKE Network objects, Google's NRI device injector, TCPXO NCCL plugin installer and
// Kueue. Nodes only: run your own pods with Google's TCPXO receive-datapath sidecar and the interface annotations
// (gpu-cluster's own pods cannot use GPUDirect-TCPXO yet, and it will not let them fall back to TCP silently).
const cluster = new gpu.TrainingCluster("gke-pretrain", {
  cloud: "gcp",
  region: "us-central1",
  orchestrator: "kubernetes",
  gpu: { instanceType: "a3-megagpu-8g", nodes: 16 },
  // Checkpoints: a Cloud Storage bucket the pods reach through Workload Identity, named in GPU_CLUSTER_BUCKET_0.
  storage: [{ kind: "object", capacityTiB: 20 }],
  gcp: {
    gke: {
      // Queue jobs with Kueue (installed after the NCCL plugin installer).
      kueue: true,
      nodesOnly: true,
    },
  },
  budget: { monthlyUsd: 1_500_000, onExceed: "fail" },
});

export const nodes = cluster.plan.nodeCount;
export const gpuNicsPerNode = cluster.plan.fabric.nicsPerNode;
export const monthlyUsd = cluster.costEstimate.monthlyUsd;
export const nodePool = cluster.nodeGroupId;
