import * as pulumi from "@pulumi/pulumi";
import * as gpu from "gpu-cluster";

const config = new pulumi.Config();

// 16 × a3-megagpu-8g on GKE: one GPU node pool with compact placement and 8 GPUDirect-TCPXO VPCs (MTU 8244) as
// additional node networks, the GKE Network objects, Google's NRI device injector, TCPXO NCCL plugin installer and
// Kueue; then a two-node NCCL acceptance test and an indexed training Job whose pods get eth1..eth8 on the GPU
// networks, Google's receive-datapath sidecar and the NCCL profile of the installed plugin.
const cluster = new gpu.TrainingCluster("gke-pretrain", {
  cloud: "gcp",
  region: "us-central1",
  orchestrator: "kubernetes",
  gpu: { instanceType: "a3-megagpu-8g", nodes: 16 },
  // Checkpoints: a Cloud Storage bucket the pods reach through Workload Identity, named in GPU_CLUSTER_BUCKET_MNT_OBJECT.
  storage: [{ kind: "object", capacityTiB: 20 }],
  gcp: {
    gke: {
      // The API server admits your workstation's or CI runner's address only: `pulumi config set adminCidr <ip>/32`.
      publicEndpoint: true,
      publicAccessCidrs: [config.require("adminCidr")],
      // Queue jobs with Kueue (installed after the NCCL plugin installer).
      kueue: true,
      // Before training (on by default): an all-reduce across two nodes over the fabric; `up` fails below the
      // a3-megagpu-8g floor and publishes the bus bandwidth it measured. `acceptanceTest: false` skips it.
      // Default workload: an NCCL all-reduce with torchrun across all 16 Nodes (128 ranks, NGC PyTorch with the
      // node's TCPXO plugin). Your trainer: with your own image, give the command (the pod sources Google's NCCL
      // profile, then runs it), a launcher that reads the rendezvous from the environment, e.g.:
      // image: "us-docker.pkg.dev/my-project/train/trainer:1",
      // command: ["bash", "-c", "torchrun --nnodes=$NNODES --nproc-per-node=$NPROC_PER_NODE --node-rank=$JOB_COMPLETION_INDEX --master-addr=$MASTER_ADDR --master-port=$MASTER_PORT train.py"],
    },
  },
  budget: { monthlyUsd: 1_500_000, onExceed: "fail" },
});

export const nodes = cluster.plan.nodeCount;
export const gpuNicsPerNode = cluster.plan.fabric.nicsPerNode;
export const monthlyUsd = cluster.costEstimate.monthlyUsd;
export const nodePool = cluster.nodeGroupId;
export const ncclBusBandwidthGBps = cluster.ncclBusBandwidthGBps;
