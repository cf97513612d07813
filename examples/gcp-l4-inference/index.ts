import * as gpu from "gpu-cluster";

// One L4 per replica (g2-standard-4), 2 always on, up to 16 under load across the zones of
// us-central1 that offer G2; the budget is checked at 16.
const fleet = new gpu.InferenceFleet("serve", {
  cloud: "gcp",
  region: "us-central1",
  gpu: { model: "L4", count: 1 },
  replicas: { min: 2, max: 16 },
  port: 8000,
  healthCheckPath: "/health",
  loadBalancer: "internal",
  egress: { internetTiBPerMonth: 2 },
  budget: { monthlyUsd: 12_000, onExceed: "warn" },
  gcp: {
    requestsPerSecondPerReplica: 2,
    // Each replica runs vLLM in Docker (a systemd unit); the cache is on a local SSD where the machine has one.
    modelServer: { model: "Qwen/Qwen3-8B" },
  },
});

export const endpoint = fleet.endpointUrl;
export const instanceType = fleet.plan.instanceType;
export const monthlyUsdAtMin = fleet.costEstimate.monthlyUsd;
export const monthlyUsdAtMax = fleet.costEstimate.worstCaseMonthlyUsd;
