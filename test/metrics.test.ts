/**
 * Observability on Kubernetes: GKE's DCGM metrics package into Managed Prometheus, a PodMonitoring of each GKE fleet's
 * vLLM `/metrics`, and the scrape annotations every fleet's pods carry. Sources (read 2026-11-30):
 * https://cloud.google.com/kubernetes-engine/docs/how-to/dcgm-metrics,
 * https://cloud.google.com/stackdriver/docs/managed-prometheus/setup-managed (PodMonitoring, monitoring.googleapis.com/v1),
 * https://docs.vllm.ai/en/stable/usage/metrics.html (vLLM serves /metrics on its API port).
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { byName, ofType, one, privateEndpoint, run } from "./helpers/offline.js";

const PODMON = "kubernetes:monitoring.googleapis.com/v1:PodMonitoring";

describe("metrics", () => {
  it("GKE: the cluster sends system and DCGM metrics to Managed Prometheus; a fleet's PodMonitoring scrapes vLLM every 30 s", async () => {
    const result = await run(() => new gpu.InferenceFleet("m", privateEndpoint({ cloud: "gcp", region: "us-central1", orchestrator: "kubernetes", gpu: { model: "L4" }, replicas: { min: 1, max: 2 } } as gpu.InferenceFleetArgs)));
    expect(result.error).toBeUndefined();
    expect(one(result, "gcp:container/cluster:Cluster").inputs.monitoringConfig).toEqual({ enableComponents: ["SYSTEM_COMPONENTS", "DCGM"], managedPrometheus: { enabled: true } });
    const pm = byName(result, PODMON, "m-pod-monitoring").inputs;
    expect(pm.metadata).toMatchObject({ name: "m-metrics", namespace: "m" });
    expect(pm.spec).toEqual({ selector: { matchLabels: { "app.kubernetes.io/name": "m", "gpu-cluster/name": "m" } }, endpoints: [{ port: 8000, path: "/metrics", interval: "30s" }] });
  });

  it.each([
    ["aws", "us-east-1", { model: "L40S" }],
    ["azure", "eastus", { instanceType: "Standard_NC40ads_H100_v5" }],
    ["coreweave", "US-EAST-04", { model: "L40S" }],
  ] as const)("%s: the fleet's pods carry the Prometheus scrape annotations of vLLM's /metrics; no PodMonitoring", async (cloud, region, g) => {
    const result = await run(() => new gpu.InferenceFleet("m", privateEndpoint({ cloud, region, orchestrator: "kubernetes", gpu: g, replicas: { min: 1, max: 2 } } as gpu.InferenceFleetArgs)));
    expect(result.error).toBeUndefined();
    const annotations = byName(result, "kubernetes:apps/v1:Deployment", "m-server").inputs.spec.template.metadata.annotations;
    expect(annotations).toMatchObject({ "prometheus.io/scrape": "true", "prometheus.io/port": "8000", "prometheus.io/path": "/metrics" });
    expect(ofType(result, PODMON)).toHaveLength(0);
  });
});
