import * as pulumi from "@pulumi/pulumi";
import * as gpu from "gpu-cluster";

const config = new pulumi.Config();

// 16 × Standard_ND96isr_H100_v5 on AKS: one GPU node pool (one scale set) with 8 × 400 Gb/s NDR InfiniBand per node,
// the NVIDIA Network Operator (DOCA OFED, RDMA shared device plugin → rdma/ib) and GPU Operator installed, and an
// indexed Job whose pods request every GPU and rdma/ib with IPC_LOCK and the InfiniBand NCCL environment.
const cluster = new gpu.TrainingCluster("aks-pretrain", {
  cloud: "azure",
  region: "eastus",
  orchestrator: "kubernetes",
  gpu: { instanceType: "Standard_ND96isr_H100_v5", nodes: 16 },
  egress: { internetTiBPerMonth: 5 },
  budget: { monthlyUsd: 1_200_000, onExceed: "fail" },
  azure: {
    // Must stay clear of 172.16.0.0/16 (the ND RDMA network) and of the cluster's pod/service ranges.
    vnetAddressSpace: "10.20.0.0/16",
    aks: {
      // The API server admits your workstation's or CI runner's address only: `pulumi config set adminCidr <ip>/32`.
      publicEndpoint: true,
      publicAccessCidrs: [config.require("adminCidr")],
      // Queue jobs with Kueue (installed after the operators).
      kueue: true,
      // Default workload: an NCCL all-reduce with torchrun across all 16 Nodes (128 ranks, NGC PyTorch, NCCL's own
      // InfiniBand transport), after the two-node fabric check. For a real run, your image (pinned: a tag or digest
      // that cannot move) and a launcher that reads the rendezvous from the environment, e.g.:
      //   image: "myregistry.azurecr.io/trainer:1",
      //   command: ["bash", "-c", "torchrun --nnodes=$NNODES --nproc-per-node=$NPROC_PER_NODE --node-rank=$JOB_COMPLETION_INDEX --master-addr=$MASTER_ADDR --master-port=$MASTER_PORT train.py"],
    },
  },
});

export const nodes = cluster.plan.nodeCount;
export const infinibandHcasPerNode = cluster.plan.fabric.nicsPerNode;
export const monthlyUsd = cluster.costEstimate.monthlyUsd;
export const nodePool = cluster.nodeGroupId;
export const vnet = cluster.networkId;
