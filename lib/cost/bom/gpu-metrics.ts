/**
 * The VM nodes' GPU metrics (lib/clouds/shared/gpu-metrics.ts) as a bill item: the volume the cloud bills, from the
 * metric set, the GPUs and the interval, at the plan's node count (budgets use max).
 *
 * Not priced: the catalog prices only from dated sources (lib/catalog/data/fees.ts). On AWS no dated capture of the
 * rates was found; on GCP the rate is dated but the bytes billed per point, which turn the points into MiB, are not
 * sourced (below). Searched 2026-11-30 and 2026-12-01:
 * - AWS: CloudWatch bills each custom metric per metric-month (prorated by the hour) and PutMetricData per 1,000
 *   requests (https://aws.amazon.com/cloudwatch/pricing/, undated). infracost (the catalog's dated AWS price API
 *   captures, INFRACOST in fees.ts) has no resource for custom metrics: its AWS CloudWatch test data covers
 *   aws_cloudwatch_dashboard, _event_bus, _log_group and _metric_alarm only. Second pass (2026-11-30): infracost's whole
 *   history (git log -S 'MetricMonitorUsage', 3,183 commits to 95ba4f4) never priced the usage type; the code index's
 *   exact search for 'CW:MetricMonitorUsage' and a code search for a CloudWatch offer file find hand-written tables
 *   and a mock SKU list at $0.30 per metric-month, and Cost Explorer exports of bills, none a committed price API
 *   response or a dated AWS page.
 * - GCP: Cloud Monitoring bills the Ops Agent's agent.googleapis.com metrics by bytes ingested, after a free 150 MiB per
 *   billing account (https://cloud.google.com/stackdriver/pricing). infracost prices it as
 *   google_monitoring_metric_descriptor (internal/providers/terraform/google/testdata/monitoring_metric_descriptor_test/
 *   monitoring_metric_descriptor_test.golden @3ce8f38: "Monitoring data (first 100K) $0.26 per MB"), a candidate
 *   source for a fee row, but not yet in the catalog, and the free allotment is per billing account, which one stack
 *   cannot know it has to itself. Second pass (2026-11-30): the rate is found and dated. Cyclenerd pricing.yml at
 *   0166a59 (generated 2025-03-06, the catalog's CYCLENERD_PRICING) carries monitoring.data, the Cloud Billing SKU
 *   'Metric Volume' per mebibyte: $0.258 to 100,000 MiB, $0.151 to 250,000 MiB, $0.061 above (its first free 150 MiB
 *   ignored there), the figures of infracost's golden file above as last written at e9ce629 (2024-07-01) and of the
 *   2023-06-05 archive of https://cloud.google.com/stackdriver/pricing (row effective July 1, 2018). Third pass
 *   (2026-12-01): the newer dump, pricing.yml at fd66b26 ("generated: Thu Jul 30 06:13:17 2026"), carries the same
 *   three tiers, so the rate is dated 2026-07-30. What is still missing is the size Google bills for each point the
 *   Ops Agent writes (the pricing page's bytes-ingested rule for a scalar point). The stored copies of the pricing page
 *   (pages corpus: cloud.google.com/stackdriver/pricing and its 2023-06-05 archive, the pricing-examples page, the
 *   metrics-management page) show the tier table and its footnotes but not that paragraph, and the code index's exact
 *   searches for the rule's wording find nothing; Cyclenerd and infracost take MiB as input (infracost's
 *   monthly_monitoring_data_mb) and carry no per-point size. So the points cannot be turned into MiB from a source,
 *   and the line stays unpriced rather than assume a size. Pricing it is then one multiplication: points × the sourced
 *   bytes per point ÷ 2^20, through the tiers above.
 */
import type { Plan } from "../../planner/types.js";
import { GPU_METRICS_INTERVAL_SECONDS, samplesPerSeriesMonth, seriesPerGpu } from "../../clouds/shared/gpu-metrics.js";
import type { BomItem } from "./types.js";

/**
 * What every GPU metrics item says it is (`what`), on each cloud: the compilers build the agent when the bill carries it
 * (lib/clouds/shared/bill.ts billsGpuMetrics).
 */
export const GPU_METRICS_SUBJECT = "the nodes' GPU metrics";

/** One PutMetricData request per node per flush: the agent sends a minute's datapoints (under 1,000) in one batch. */
const CLOUDWATCH_FLUSH_SECONDS = 60;

/** "1 GPU", "8 GPUs". */
const gpuCount = (gpus: number) => `${gpus} GPU${gpus === 1 ? "" : "s"}`;

const PRODUCT = {
  aws: {
    what: (nodes: number, gpus: number, series: number) =>
      `CloudWatch custom metrics of ${GPU_METRICS_SUBJECT} (the CloudWatch agent, aws.gpuMetrics): ${(nodes * gpus * series).toLocaleString("en-US")} metrics ` +
      `(${nodes} nodes × ${gpuCount(gpus)} × ${series} per GPU, standard resolution, every ${GPU_METRICS_INTERVAL_SECONDS} s) and about ` +
      `${Math.round((nodes * samplesPerSeriesMonth() * GPU_METRICS_INTERVAL_SECONDS) / CLOUDWATCH_FLUSH_SECONDS).toLocaleString("en-US")} PutMetricData requests a month`,
    why:
      "CloudWatch bills per metric-month and per 1,000 PutMetricData requests (https://aws.amazon.com/cloudwatch/pricing/, undated), and no dated first-party capture of those rates was found: infracost (the catalog's dated AWS price API captures) has no custom-metric resource",
  },
  gcp: {
    what: (nodes: number, gpus: number, series: number) =>
      `Cloud Monitoring ingestion of ${GPU_METRICS_SUBJECT} (the Ops Agent, gcp.gpuMetrics): ${Math.round(nodes * gpus * series * samplesPerSeriesMonth()).toLocaleString("en-US")} points a month ` +
      `(${nodes} nodes × ${gpuCount(gpus)} × ${series} series per GPU, every ${GPU_METRICS_INTERVAL_SECONDS} s for 730 h)`,
    why:
      "Cloud Monitoring bills agent metrics by bytes ingested after 150 MiB free per billing account (https://cloud.google.com/stackdriver/pricing, undated). The rate is dated ($0.258 per MiB to 100,000 MiB, $0.151 to 250,000, $0.061 above: Cyclenerd/google-cloud-pricing-cost-calculator pricing.yml @fd66b26, monitoring.data, generated 2026-07-30), but the bytes Google bills per point the agent writes were not found in any stored copy of that page, so the points cannot be turned into MiB; and the free allotment is shared by the whole billing account",
  },
} as const;

/**
 * The GPU metrics of a plan at `nodes` GPU nodes on `cloud`, or none when the agent is off. Named at zero nodes too (a
 * fleet at replicas.min 0): the agent is built with the empty group, and sends nothing until a node runs.
 */
export function gpuMetricsItems(plan: Pick<Plan, "gpusPerNode" | "gpuModel">, nodes: number, cloud: keyof typeof PRODUCT, on: boolean): BomItem[] {
  if (!on) return [];
  const series = seriesPerGpu(cloud, plan.gpuModel);
  const product = PRODUCT[cloud];
  return [{ kind: "unpriced", what: product.what(nodes, plan.gpusPerNode, series), why: product.why }];
}
