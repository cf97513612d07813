import * as gpu from "gpu-cluster";
import { sshPublicKey } from "./ssh-key";

// One A100 80GB per replica (Standard_NC24ads_A100_v4), 2 always on, up to 8 under load;
// an internal Standard load balancer in front, the budget checked at 8.
const fleet = new gpu.InferenceFleet("serve", {
  cloud: "azure",
  region: "eastus",
  gpu: { instanceType: "Standard_NC24ads_A100_v4" },
  replicas: { min: 2, max: 8 },
  port: 8000,
  healthCheckPath: "/health",
  loadBalancer: "internal",
  egress: { internetTiBPerMonth: 1 },
  budget: { monthlyUsd: 25_000, onExceed: "warn" },
  azure: {
    sshPublicKey: sshPublicKey(),
    // One replica more above 20 new client connections per replica per minute (the load balancer's SYN count).
    scaleOutConnectionsPerMinute: 20,
    // Each replica runs vLLM in Docker (a systemd unit), the weights cached on the VM's local NVMe disk.
    modelServer: { model: "Qwen/Qwen3-8B" },
  },
});

export const endpoint = fleet.endpointUrl;
export const instanceType = fleet.plan.instanceType;
export const monthlyUsdAtMin = fleet.costEstimate.monthlyUsd;
export const monthlyUsdAtMax = fleet.costEstimate.worstCaseMonthlyUsd;
