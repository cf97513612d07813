/**
 * The Grafana dashboard for what the cluster's Prometheus collects (./metrics-policy.ts): the GPUs through the DCGM
 * exporter and a fleet's model servers through vLLM's `/metrics`. Plain data, no SDK: `gpuDashboard()` is the JSON a
 * user imports into Amazon Managed Grafana, Azure Managed Grafana or any Grafana with the cluster's Prometheus as a data
 * source; the package ships it as dashboards/gpu-cluster.json (test/dashboard.test.ts keeps the file equal to this).
 *
 * Every query reads only series the collectors keep:
 * - DCGM fields of the GPU Operator's default collectors file (NVIDIA/dcgm-exporter etc/dcp-metrics-included.csv at
 *   e61056b94eb98ab6598bd3a7c2a299a482b16a42, 2025-12-04, read 2026-11-30): DCGM_DASHBOARD_FIELDS;
 * - vLLM's V1 metrics (vllm-project/vllm docs/design/metrics.md, "v1 Metrics", read 2026-11-30): VLLM_DASHBOARD_METRICS;
 * - the `node` label the dcgm-exporter job adds and the `namespace` / `pod` labels of the vllm job (scrapeJobs).
 */

/** The DCGM exporter fields the dashboard reads (all in the default collectors file). */
export const DCGM_DASHBOARD_FIELDS = [
  "DCGM_FI_DEV_GPU_UTIL",
  "DCGM_FI_PROF_PIPE_TENSOR_ACTIVE",
  "DCGM_FI_DEV_FB_USED",
  "DCGM_FI_DEV_FB_FREE",
  "DCGM_FI_DEV_GPU_TEMP",
  "DCGM_FI_DEV_POWER_USAGE",
  "DCGM_FI_DEV_XID_ERRORS",
  "DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS",
  "DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL",
] as const;

/** vLLM's metrics the dashboard reads (histograms through their `_bucket` series). */
export const VLLM_DASHBOARD_METRICS = [
  "vllm:num_requests_running",
  "vllm:num_requests_waiting",
  "vllm:kv_cache_usage_perc",
  "vllm:time_to_first_token_seconds",
  "vllm:e2e_request_latency_seconds",
  "vllm:generation_tokens_total",
] as const;

/** One time-series panel: its title, unit (Grafana's unit id) and PromQL queries with their legends. */
interface PanelSpec {
  title: string;
  unit: string;
  description: string;
  queries: { expr: string; legend: string }[];
}

/** The panels, in reading order: is the GPU busy, is it healthy, is the server keeping up. */
const PANELS: { row: string; panels: PanelSpec[] }[] = [
  {
    row: "GPUs (DCGM)",
    panels: [
      { title: "GPU utilization by node", unit: "percent", description: "Mean of the node's GPUs. A training node well under 90% waits on data, the fabric or the host.", queries: [{ expr: "avg by (node) (DCGM_FI_DEV_GPU_UTIL)", legend: "{{node}}" }] },
      { title: "Tensor core activity by node", unit: "percentunit", description: "Share of cycles the tensor pipes work: the truer measure of useful training work than utilization.", queries: [{ expr: "avg by (node) (DCGM_FI_PROF_PIPE_TENSOR_ACTIVE)", legend: "{{node}}" }] },
      { title: "GPU memory used", unit: "percentunit", description: "Framebuffer used over used + free, per node.", queries: [{ expr: "sum by (node) (DCGM_FI_DEV_FB_USED) / (sum by (node) (DCGM_FI_DEV_FB_USED) + sum by (node) (DCGM_FI_DEV_FB_FREE))", legend: "{{node}}" }] },
      { title: "GPU temperature (hottest per node)", unit: "celsius", description: "A GPU near its slowdown temperature throttles its clocks and the whole job with it.", queries: [{ expr: "max by (node) (DCGM_FI_DEV_GPU_TEMP)", legend: "{{node}}" }] },
      { title: "GPU power by node", unit: "watt", description: "Sum of the node's GPUs.", queries: [{ expr: "sum by (node) (DCGM_FI_DEV_POWER_USAGE)", legend: "{{node}}" }] },
      { title: "NVLink traffic by node", unit: "short", description: "Rate of DCGM's NVLink bandwidth counter, all lanes of the node's GPUs.", queries: [{ expr: "sum by (node) (rate(DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL[5m]))", legend: "{{node}}" }] },
      { title: "GPUs reporting an XID error", unit: "short", description: "GPUs whose last XID error is not 0 (the node health gate cordons such a node); a remapped-row failure means the GPU needs replacing.", queries: [{ expr: "count by (node) (DCGM_FI_DEV_XID_ERRORS != 0)", legend: "XID {{node}}" }, { expr: "sum by (node) (DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS) > 0", legend: "remapped rows {{node}}" }] },
    ],
  },
  {
    row: "Model servers (vLLM)",
    panels: [
      { title: "Requests waiting and running", unit: "short", description: "Waiting is the signal the fleet scales on (KEDA); a queue that does not drain needs more replicas.", queries: [{ expr: "sum(vllm:num_requests_waiting)", legend: "waiting" }, { expr: "sum(vllm:num_requests_running)", legend: "running" }] },
      { title: "Time to first token, p95", unit: "s", description: "95th percentile over 5 minutes, all replicas.", queries: [{ expr: "histogram_quantile(0.95, sum by (le) (rate(vllm:time_to_first_token_seconds_bucket[5m])))", legend: "p95" }] },
      { title: "Request latency, p95", unit: "s", description: "End to end, 95th percentile over 5 minutes.", queries: [{ expr: "histogram_quantile(0.95, sum by (le) (rate(vllm:e2e_request_latency_seconds_bucket[5m])))", legend: "p95" }] },
      { title: "Generated tokens per second", unit: "short", description: "All replicas.", queries: [{ expr: "sum(rate(vllm:generation_tokens_total[5m]))", legend: "tokens/s" }] },
      { title: "KV cache used by pod", unit: "percentunit", description: "A cache near full preempts requests.", queries: [{ expr: "max by (pod) (vllm:kv_cache_usage_perc)", legend: "{{pod}}" }] },
    ],
  },
];

/** Grafana's dashboard JSON model (schemaVersion 39), with a Prometheus data source variable. */
export function gpuDashboard(): Record<string, unknown> {
  const datasource = { type: "prometheus", uid: "${datasource}" };
  const panels: Record<string, unknown>[] = [];
  let id = 1;
  let y = 0;
  for (const { row, panels: specs } of PANELS) {
    panels.push({ id: id++, type: "row", title: row, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y: y++ }, panels: [] });
    specs.forEach((p, i) => {
      panels.push({
        id: id++,
        type: "timeseries",
        title: p.title,
        description: p.description,
        datasource,
        fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
        options: { legend: { displayMode: "list", placement: "bottom" }, tooltip: { mode: "multi" } },
        targets: p.queries.map((q, j) => ({ refId: String.fromCharCode(65 + j), datasource, expr: q.expr, legendFormat: q.legend })),
        gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: y + Math.floor(i / 2) * 8 },
      });
    });
    y += Math.ceil(specs.length / 2) * 8;
  }
  return {
    title: "gpu-cluster: GPUs and model servers",
    uid: "gpu-cluster",
    description: "The DCGM exporter's GPU metrics and vLLM's server metrics, as the gpu-cluster components' Prometheus collects them.",
    tags: ["gpu-cluster", "dcgm", "vllm"],
    schemaVersion: 39,
    editable: true,
    time: { from: "now-6h", to: "now" },
    refresh: "1m",
    templating: { list: [{ name: "datasource", label: "Prometheus", type: "datasource", query: "prometheus" }] },
    panels,
  };
}

/** The dashboard as the file the package ships (two-space JSON and a newline). */
export function gpuDashboardJson(): string {
  return `${JSON.stringify(gpuDashboard(), null, 2)}\n`;
}
