import * as gpu from "gpu-cluster";

// 16 × a3-megagpu-8g on GKE: one GPU node pool with compact placement and 8 GPUDirect-TCPXO VPCs (MTU 8244) as
// additional node networks, Google's NRI device injector and TCPXO NCCL plugin installer, and an indexed Job whose
// pods get one interface per GPU network (networking.gke.io/interfaces).
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
      // Your training image and launcher; rank, world size and rendezvous come from the environment.
      image: "nvcr.io/nvidia/pytorch:25.01-py3",
    },
  },
  budget: { monthlyUsd: 1_500_000, onExceed: "fail" },
});

export const nodes = cluster.plan.nodeCount;
export const gpuNicsPerNode = cluster.plan.fabric.nicsPerNode;
export const monthlyUsd = cluster.costEstimate.monthlyUsd;
export const nodePool = cluster.nodeGroupId;
