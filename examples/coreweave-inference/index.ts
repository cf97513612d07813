import * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/kubernetes/provider";
import * as gpu from "gpu-cluster";

// The CKS cluster's kubeconfig: `pulumi config set --secret kubeconfig "$(cat cks-kubeconfig.yaml)"`.
// Without it the stack's default Kubernetes provider (your current kubectl context) is used.
const kubeconfig = new pulumi.Config().getSecret("kubeconfig");
const provider = kubeconfig ? new Provider("cks", { kubeconfig }) : undefined;

// One gd-8xl40s-i128 Node (8 × L40S) per replica: vLLM with tensor parallelism over the 8 GPUs.
// 1 replica always on, up to 4 under load (the CKS autoscaler adds Nodes for the HPA's pending pods).
const fleet = new gpu.InferenceFleet("serve", {
  cloud: "coreweave",
  region: "US-EAST-04",
  gpu: { model: "L40S", count: 8 },
  replicas: { min: 1, max: 4 },
  port: 8000,
  healthCheckPath: "/health",
  loadBalancer: "internal",
  storage: [{ kind: "nfs", capacityTiB: 2, mountPath: "/models" }],
  budget: { monthlyUsd: 60_000, onExceed: "warn" },
  coreweave: {
    ...(provider ? { provider } : {}),
    model: "Qwen/Qwen3-8B",
    targetCpuUtilizationPercent: 60,
  },
});

export const endpoint = fleet.endpointUrl;
export const instanceType = fleet.plan.instanceType;
export const monthlyUsdAtMin = fleet.costEstimate.monthlyUsd;
export const monthlyUsdAtMax = fleet.costEstimate.worstCaseMonthlyUsd;
