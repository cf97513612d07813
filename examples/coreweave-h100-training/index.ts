import * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/kubernetes/provider";
import * as gpu from "gpu-cluster";

// The CKS cluster's kubeconfig (Cloud Console → Tokens → download kubeconfig):
//   pulumi config set --secret kubeconfig "$(cat cks-kubeconfig.yaml)"
// Without it the stack's default Kubernetes provider (your current kubectl context) is used.
const kubeconfig = new pulumi.Config().getSecret("kubeconfig");
const provider = kubeconfig ? new Provider("cks", { kubeconfig }) : undefined;

// 8 × gd-8xh100ib-i128: 64 H100s, 8 InfiniBand HCAs per Node (3.2 Tb/s), one NodePool and one indexed Job.
const cluster = new gpu.TrainingCluster("pretrain", {
  cloud: "coreweave",
  region: "US-EAST-04",
  gpu: { instanceType: "gd-8xh100ib-i128", nodes: 8 },
  storage: [
    // 20 TiB of Distributed File Storage (shared-vast PVC, ReadWriteMany) for data and checkpoints.
    { kind: "nfs", capacityTiB: 20, mountPath: "/data" },
    // AI Object Storage: the pods get AWS_ENDPOINT_URL (LOTA, http://cwlota.com) from a ConfigMap.
    { kind: "object", capacityTiB: 100 },
  ],
  budget: { monthlyUsd: 300_000, onExceed: "fail" },
  coreweave: {
    ...(provider ? { provider } : {}),
    namespace: "pretrain",
    // Default: an NCCL all-reduce with torchrun across all 8 Nodes (NGC PyTorch), after the two-node fabric check. For a real run, e.g.:
    //   image: "nvcr.io/nvidia/pytorch:25.01-py3",
    //   command: ["bash", "-c", "torchrun --nnodes=$NNODES --nproc-per-node=$NPROC_PER_NODE --node-rank=$JOB_COMPLETION_INDEX --master-addr=$MASTER_ADDR --master-port=$MASTER_PORT train.py"],
    shmSizeGiB: 128,
  },
});

export const instanceType = cluster.plan.instanceType;
export const nodes = cluster.plan.nodeCount;
export const infinibandHcasPerNode = cluster.plan.fabric.nicsPerNode;
export const monthlyUsd = cluster.costEstimate.monthlyUsd;
export const nodePool = cluster.nodeGroupId;
export const namespace = cluster.networkId;
export const dataVolume = cluster.storage[0]!.endpoint;
