import * as pulumi from "@pulumi/pulumi";
import * as gpu from "gpu-cluster";

const config = new pulumi.Config();

// 16 × p5.48xlarge on EKS: one managed node group in one subnet and cluster placement group, 32 EFA interfaces per
// node, the GPU Operator and the EFA device plugin installed, and an indexed Job whose pods request all 32.
const cluster = new gpu.TrainingCluster("eks-pretrain", {
  cloud: "aws",
  region: "us-east-1",
  orchestrator: "kubernetes",
  gpu: { instanceType: "p5.48xlarge", nodes: 16 },
  // Checkpoints: an S3 bucket the nodes may use; the pods get its name as GPU_CLUSTER_BUCKET_MNT_OBJECT.
  storage: [{ kind: "object", capacityTiB: 20 }],
  aws: {
    eks: {
      // The API server admits your workstation's or CI runner's address only: `pulumi config set adminCidr <ip>/32`.
      publicEndpoint: true,
      publicAccessCidrs: [config.require("adminCidr")],
      // Queue jobs with Kueue (installed after the device plugins).
      kueue: true,
      // Default workload: an NCCL all-reduce with torchrun across all 16 Nodes (128 ranks, AWS's PyTorch Deep Learning
      // Container with aws-ofi-nccl), after the two-node fabric check. For a real run, your image (it must carry
      // libfabric and aws-ofi-nccl) and a launcher that reads the rendezvous from the environment, e.g.:
      //   image: "<account>.dkr.ecr.us-east-1.amazonaws.com/trainer:1",
      //   command: ["bash", "-c", "torchrun --nnodes=$NNODES --nproc-per-node=$NPROC_PER_NODE --node-rank=$JOB_COMPLETION_INDEX --master-addr=$MASTER_ADDR --master-port=$MASTER_PORT train.py"],
    },
  },
  budget: { monthlyUsd: 700_000, onExceed: "fail" },
});

export const nodes = cluster.plan.nodeCount;
export const efaInterfacesPerNode = cluster.plan.fabric.nicsPerNode;
export const monthlyUsd = cluster.costEstimate.monthlyUsd;
export const nodeGroup = cluster.nodeGroupId;
export const placementGroup = cluster.placementGroupName;
