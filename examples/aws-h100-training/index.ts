import * as gpu from "gpu-cluster";

// 32 × p5.48xlarge: 256 H100s, 32 EFA interfaces per node in one cluster placement group.
const cluster = new gpu.TrainingCluster("pretrain", {
  cloud: "aws",
  region: "us-east-1",
  gpu: { model: "H100", count: 256 },
  storage: [
    // 120 TiB of FSx for Lustre (PERSISTENT_2, 125 MB/s/TiB), linked to the training data in S3.
    { kind: "lustre", capacityTiB: 120, tier: "persistent-125", mountPath: "/data", importPath: "s3://my-training-data/corpus" },
    // Checkpoints.
    { kind: "object", capacityTiB: 50 },
  ],
  egress: { internetTiBPerMonth: 20 },
  budget: { monthlyUsd: 1_400_000, onExceed: "fail" },
});

export const instanceType = cluster.plan.instanceType;
export const nodes = cluster.plan.nodeCount;
export const efaInterfacesPerNode = cluster.plan.fabric.nicsPerNode;
export const monthlyUsd = cluster.costEstimate.monthlyUsd;
export const autoScalingGroup = cluster.nodeGroupId;
export const lustre = cluster.storage[0]!.endpoint;
