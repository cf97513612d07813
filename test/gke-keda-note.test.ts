/**
 * The KEDA plan note names what the ScaledObject's trigger runs: vLLM's queue by default, the user's `keda.query` when
 * given (lib/clouds/kubernetes/autoscaling.ts builds the trigger from `keda.query ?? defaultKedaQuery`).
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { gkePlanNotes } from "../lib/clouds/gcp/gke/options.js";

const fleet = gpu.planFleet({ cloud: "gcp", region: "us-central1", orchestrator: "kubernetes", gpu: { model: "L4" }, replicas: { min: 0, max: 2 } });
const PROMETHEUS = "http://prometheus.monitoring:9090";

describe("GKE KEDA plan note", () => {
  it("with keda.query: names the user's query and its threshold, not vLLM's queue (the gcp-gke-fleet-min0 case)", () => {
    const notes = gkePlanNotes(fleet, { publicEndpoint: false, keda: { prometheusUrl: PROMETHEUS, query: "sum(rate(gateway_requests_total[2m]))" } });
    expect(notes).toContain("GKE: the fleet scales with KEDA on your query `sum(rate(gateway_requests_total[2m]))` (4 per replica) in the Prometheus at http://prometheus.monitoring:9090.");
    expect(notes.join("\n")).not.toContain("vllm:num_requests_waiting");
  });

  it("without it: vLLM's waiting requests, at the given threshold", () => {
    const notes = gkePlanNotes(fleet, { publicEndpoint: false, keda: { prometheusUrl: PROMETHEUS, threshold: 8 } });
    expect(notes).toContain("GKE: the fleet scales with KEDA on vLLM's waiting requests (vllm:num_requests_waiting, 8 per replica) in the Prometheus at http://prometheus.monitoring:9090.");
  });
});
