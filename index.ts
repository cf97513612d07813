// The quickstart: `npm ci && npm run plan` previews this program offline (no cloud account),
// printing the resources, the monthly cost and the budget verdict. With the Pulumi CLI and AWS
// credentials, `npm run build && pulumi preview` shows the same cost in the real preview.
import * as gpu from "gpu-cluster";

const cluster = new gpu.TrainingCluster("quickstart", {
  cloud: "aws",
  region: "us-east-1",
  gpu: { model: "H100", count: 32 }, // 4 × p5.48xlarge, 32 EFA interfaces each
  storage: [{ kind: "lustre", capacityTiB: 4.8, mountPath: "/data" }], // FSx sizes: 1.2, 2.4, then multiples of 2.4 TiB
  egress: { internetTiBPerMonth: 5 },
  budget: { monthlyUsd: 200_000, onExceed: "fail" },
});

export const instanceType = cluster.plan.instanceType;
export const efaInterfacesPerNode = cluster.plan.fabric.nicsPerNode;
export const monthlyUsd = cluster.costEstimate.monthlyUsd;
export const nodeGroup = cluster.nodeGroupId;
