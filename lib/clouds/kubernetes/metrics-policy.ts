/**
 * What the cluster's managed collectors scrape, as plain data (no Kubernetes SDK): ./metrics.ts and the clouds'
 * collectors build from it, and the bill of materials counts its volume (lib/cost/bom).
 */
/** The GPU Operator's DCGM exporter Service (NVIDIA/gpu-operator assets/state-dcgm-exporter/0400_service.yaml @a22dbf671). */
export const DCGM_EXPORTER = { namespace: "gpu-operator", service: "nvidia-dcgm-exporter", portName: "gpu-metrics", port: 9400 };

/**
 * Seconds between scrapes: 30, the shortest interval the AWS managed collector accepts
 * (https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-collector-how-to.html, "Scraper configuration", read
 * 2026-11-30) and Azure Monitor's default (30 s), so both clouds ingest the same volume.
 */
export const SCRAPE_INTERVAL_SECONDS = 30;

/**
 * Series per scrape, as the ingestion estimate counts them (lib/cost/bom): the DCGM exporter's fields per GPU under the
 * GPU Operator's default collectors file (`/etc/dcgm-exporter/dcp-metrics-included.csv`: 27 uncommented counters and
 * gauges, NVIDIA/dcgm-exporter etc/dcp-metrics-included.csv @084a245d), and an assumed 400 per vLLM server (its
 * latency and token histograms, about 20 buckets each, plus counters, gauges and process metrics; the exact count
 * varies with the vLLM version and the model's finish reasons).
 */
export const SCRAPED_SERIES = { perGpu: 27, perServer: 400 };

/** Series a cluster's collector scrapes: every GPU's DCGM fields, and a fleet's servers (one per node). */
export function scrapedSeries(gpus: number, servers: number): number {
  return gpus * SCRAPED_SERIES.perGpu + servers * SCRAPED_SERIES.perServer;
}

/**
 * Prometheus scrape jobs (https://prometheus.io/docs/prometheus/latest/configuration/configuration/#scrape_config),
 * Kubernetes service discovery only (the one both managed collectors support):
 * - `dcgm-exporter`: the GPU Operator's exporter endpoints (`gpu-operator/nvidia-dcgm-exporter`, port `gpu-metrics`),
 *   with the node name as `node`;
 * - `vllm` (fleets): the pods in the component's namespace carrying the `prometheus.io/scrape` annotation, at the port
 *   and path their annotations give, with `namespace` and `pod` labels (the autoscaler's query selects on both).
 */
export function scrapeJobs(namespace: string, servesModels: boolean): Record<string, unknown>[] {
  const dcgm = {
    job_name: "dcgm-exporter",
    kubernetes_sd_configs: [{ role: "endpoints", namespaces: { names: [DCGM_EXPORTER.namespace] } }],
    relabel_configs: [
      { source_labels: ["__meta_kubernetes_service_name", "__meta_kubernetes_endpoint_port_name"], regex: `${DCGM_EXPORTER.service};${DCGM_EXPORTER.portName}`, action: "keep" },
      { source_labels: ["__meta_kubernetes_pod_node_name"], target_label: "node" },
    ],
  };
  if (!servesModels) return [dcgm];
  const vllm = {
    job_name: "vllm",
    kubernetes_sd_configs: [{ role: "pod", namespaces: { names: [namespace] } }],
    relabel_configs: [
      { source_labels: ["__meta_kubernetes_pod_annotation_prometheus_io_scrape"], regex: "true", action: "keep" },
      { source_labels: ["__address__", "__meta_kubernetes_pod_annotation_prometheus_io_port"], regex: "([^:]+)(?::\\d+)?;(\\d+)", replacement: "$1:$2", target_label: "__address__" },
      { source_labels: ["__meta_kubernetes_pod_annotation_prometheus_io_path"], regex: "(.+)", target_label: "__metrics_path__" },
      { source_labels: ["__meta_kubernetes_namespace"], target_label: "namespace" },
      { source_labels: ["__meta_kubernetes_pod_name"], target_label: "pod" },
    ],
  };
  return [dcgm, vllm];
}

/** A Prometheus configuration document with those jobs, every 30 s. JSON, which is YAML: both collectors read it as such. */
export function scrapeConfigDocument(namespace: string, servesModels: boolean): string {
  const interval = `${SCRAPE_INTERVAL_SECONDS}s`;
  return JSON.stringify({ global: { scrape_interval: interval }, scrape_configs: scrapeJobs(namespace, servesModels) }, null, 2);
}

/** Samples a month from `series` scraped every SCRAPE_INTERVAL_SECONDS for 730 hours. */
export function monthlySamples(series: number): number {
  return (series * 730 * 3600) / SCRAPE_INTERVAL_SECONDS;
}
