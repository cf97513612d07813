import * as gpu from "gpu-cluster";
import { sshPublicKey } from "./ssh-key";

// 16 × Standard_ND96isr_H100_v5: 128 H100s, 8 × 400 Gb/s NDR InfiniBand per node,
// all in ONE scale set placement group (InfiniBand spans only one; at most 100 VMs).
const cluster = new gpu.TrainingCluster("pretrain", {
  cloud: "azure",
  region: "eastus",
  gpu: { model: "H100", nodes: 16 },
  storage: [
    // Shared home and datasets: Azure NetApp Files Premium over NFSv4.1, 20 TiB.
    { kind: "nfs", capacityTiB: 20, mountPath: "/shared" },
    // Checkpoints: a private Blob account only the nodes' managed identity can use.
    { kind: "object", capacityTiB: 50 },
  ],
  egress: { internetTiBPerMonth: 5 },
  budget: { monthlyUsd: 1_200_000, onExceed: "fail" },
  azure: {
    sshPublicKey: sshPublicKey(),
    // Must stay clear of 172.16.0.0/16, which Azure reserves for the ND RDMA network.
    vnetAddressSpace: "10.20.0.0/16",
  },
});

export const instanceType = cluster.plan.instanceType;
export const nodes = cluster.plan.nodeCount;
export const infinibandHcasPerNode = cluster.plan.fabric.nicsPerNode;
export const monthlyUsd = cluster.costEstimate.monthlyUsd;
export const scaleSetId = cluster.nodeGroupId;
export const nfs = cluster.storage[0]!.endpoint;
export const checkpoints = cluster.storage[1]!.endpoint;
