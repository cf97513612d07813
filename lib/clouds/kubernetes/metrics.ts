/**
 * What the GPUs and the model servers are doing, where the cloud can collect it without another install:
 *
 * - GKE: Google Cloud Managed Service for Prometheus with GKE's DCGM metrics package (`DCGM` in the cluster's
 *   monitoring components, on GKE-installed drivers), and a PodMonitoring that scrapes a fleet's vLLM `/metrics`.
 *   https://cloud.google.com/kubernetes-engine/docs/how-to/dcgm-metrics and
 *   https://cloud.google.com/stackdriver/docs/managed-prometheus/setup-managed#gmp-pod-monitoring (read 2026-11-30).
 * - Every cloud: the fleet's pods carry the `prometheus.io/scrape|port|path` annotations that annotation-based scrape
 *   configurations read (Azure Monitor managed Prometheus's pod-annotation scraping, a Prometheus with the common
 *   `kubernetes-pods` job); vLLM serves its metrics at `/metrics` on the serving port
 *   (https://docs.vllm.ai/en/stable/usage/metrics.html, read 2026-11-30).
 * - EKS and AKS: the GPU Operator's DCGM exporter serves GPU metrics on its Service (`nvidia-dcgm-exporter`, port
 *   `gpu-metrics` 9400, namespace gpu-operator: NVIDIA/gpu-operator assets/state-dcgm-exporter/0400_service.yaml
 *   @a22dbf671). On a cluster the component creates, the cloud's managed collector scrapes it and the fleet's servers
 *   with the scrape jobs of metrics-policy.ts: the AWS managed collector into Amazon Managed Service for Prometheus
 *   (aws/eks/metrics.ts), Azure Monitor's ama-metrics into an Azure Monitor workspace (azure/aks/metrics.ts).
 * - A fleet's KEDA reads vLLM's queue back from the cluster's managed Prometheus as its own workload identity
 *   (cluster-prometheus.ts; gcp/gke/metrics.ts gives it the GKE one).
 */
import type * as pulumi from "@pulumi/pulumi";
import { CustomResource } from "@pulumi/kubernetes/apiextensions";
import type { Plan } from "../../planner/types.js";
import type { CompileContext } from "../types.js";
import type { WorkloadNames } from "./names.js";

/** The GKE cluster's monitoring: system metrics and DCGM into Managed Prometheus. */
export const GKE_MONITORING_CONFIG = { enableComponents: ["SYSTEM_COMPONENTS", "DCGM"], managedPrometheus: { enabled: true } };

/** Where vLLM serves its Prometheus metrics. */
export const METRICS_PATH = "/metrics";

/** The pod annotations annotation-based Prometheus scrapers read. */
export function scrapeAnnotations(port: number): Record<string, string> {
  return { "prometheus.io/scrape": "true", "prometheus.io/port": String(port), "prometheus.io/path": METRICS_PATH };
}

/** A GKE fleet's PodMonitoring: Managed Prometheus scrapes every server pod's `/metrics` every 30 s. */
export function gkePodMonitoring(plan: Plan, names: WorkloadNames, namespace: pulumi.Input<string>, ctx: CompileContext, opts: pulumi.CustomResourceOptions): CustomResource {
  return new CustomResource(
    `${ctx.name}-pod-monitoring`,
    {
      apiVersion: "monitoring.googleapis.com/v1",
      kind: "PodMonitoring",
      metadata: { name: `${names.base}-metrics`, namespace, labels: names.labels },
      spec: { selector: { matchLabels: names.podLabels }, endpoints: [{ port: plan.service!.port, path: METRICS_PATH, interval: "30s" }] },
    },
    opts,
  );
}


export { DCGM_EXPORTER, SCRAPE_INTERVAL_SECONDS, SCRAPED_SERIES, scrapedSeries, scrapeJobs, scrapeConfigDocument, monthlySamples } from "./metrics-policy.js";
