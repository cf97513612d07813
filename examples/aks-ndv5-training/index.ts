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
      // Your training image (pinned: a tag or digest that cannot move) and launcher; rank, world size and rendezvous
      // come from the environment.
      image: "ghcr.io/coreweave/nccl-tests:12.9.1-devel-ubuntu22.04-nccl2.30.4-1-111c25a",
      command: ["/opt/nccl_tests/build/all_reduce_perf", "-b", "1G", "-e", "16G", "-f", "2", "-g", "8"],
    },
  },
});

export const nodes = cluster.plan.nodeCount;
export const infinibandHcasPerNode = cluster.plan.fabric.nicsPerNode;
export const monthlyUsd = cluster.costEstimate.monthlyUsd;
export const nodePool = cluster.nodeGroupId;
export const vnet = cluster.networkId;
