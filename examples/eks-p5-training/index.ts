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
      // Your training image and launcher; rank, world size and rendezvous come from the environment.
      image: "public.ecr.aws/hpc-cloud/nccl-tests:cuda12.8.1-efa1.43.2-ofiv1.16.3-ncclv2.27.7-1-testsv2.16.9",
      command: ["/opt/nccl-tests/build/all_reduce_perf", "-b", "1G", "-e", "16G", "-f", "2", "-g", "8"],
    },
  },
  budget: { monthlyUsd: 700_000, onExceed: "fail" },
});

export const nodes = cluster.plan.nodeCount;
export const efaInterfacesPerNode = cluster.plan.fabric.nicsPerNode;
export const monthlyUsd = cluster.costEstimate.monthlyUsd;
export const nodeGroup = cluster.nodeGroupId;
export const placementGroup = cluster.placementGroupName;
