/**
 * The cloud's managed Prometheus a Kubernetes compiler builds, as a bill item: the volume it ingests, from the series
 * scraped (lib/clouds/kubernetes/metrics-policy.ts: DCGM's 27 fields per GPU, an assumed 400 per vLLM server, every
 * 30 s) while the GPU nodes run (the plan's hours a month, at most 730), at the plan's node count (budgets use max).
 * - EKS: Amazon Managed Service for Prometheus and an AWS managed collector.
 * - AKS: an Azure Monitor workspace fed by Azure Monitor's metrics add-on. Priced: AZURE_FEES.prometheusSamples.
 * - GKE: Google Cloud Managed Service for Prometheus, which a cluster the component creates feeds with GKE's DCGM
 *   metrics package and the fleet's PodMonitoring (lib/clouds/kubernetes/metrics.ts GKE_MONITORING_CONFIG); GKE's
 *   system metrics are not counted.
 *
 * A cloud without a dated first-party figure stays unpriced, and the estimate names the item and its volume, and says
 * no dated figure was found (`searched` below says where): the catalog never guesses (lib/catalog/data/fees.ts).
 */
import type { Plan } from "../../planner/types.js";
import { monthlySamples, scrapedSeries, SCRAPE_INTERVAL_SECONDS } from "../../clouds/kubernetes/metrics-policy.js";
import { AZURE_FEES, type Fee } from "../../catalog/data/fees.js";
import type { BomItem } from "./types.js";

/** Searched 2026-11-30 for every cloud: infracost at 95ba4f49a7abf5567b04f751a115543281a4ab18 (2026-08-21). */
const INFRACOST_95BA4F4 = "infracost (95ba4f4, 2026-08-21)";

const PRODUCT: Record<"aws" | "azure" | "gcp", { what: string; fee?: Fee; page?: string; searched?: string }> = {
  aws: {
    what: "Amazon Managed Service for Prometheus workspace (samples ingested and stored) and its AWS managed collector (per collector-hour, 730 h, and per sample collected)",
    page: "https://aws.amazon.com/prometheus/pricing/",
    searched:
      `${INFRACOST_95BA4F4} has no aws_prometheus_workspace or aws_prometheus_scraper resource (it lists them only in provider_schemas/aws.tags.json), so no golden file carries their rates; ` +
      "exact searches of the public code index for the AmazonPrometheus usage types (USE1-AMP:MetricSampleCount, APN1-AMP:MetricSampleCount, AMP:MetricStorageByteHrs) find a script that extracts them from the Price List API without committing the figures, third-party notes and AWS's Free Tier usage-type table, but no committed offer file; " +
      "the stored copies of the pricing page (https://aws.amazon.com/prometheus/pricing/, undated) hold its prose and Free Tier (40 M samples, 10 GB stored, 200 B query samples) without the rate table; " +
      "re-searched 2026-11-30 (second pass): infracost's whole history (3,183 commits to 95ba4f4; git log -S 'AmazonPrometheus' and -S 'AMP:MetricSampleCount') never named the service; the code index's exact search for 'AMP:MetricSampleCount' finds a 2021 design note quoting Ireland's EU-AMP tier ($0.35 per 10 M, undated quote, not us-east-1), Free Tier usage-type tables and a Price List API filter, no committed offer file",
  },
  azure: {
    what: "Azure Monitor managed Prometheus, samples ingested",
    fee: AZURE_FEES.prometheusSamples,
  },
  gcp: {
    what: "Google Cloud Managed Service for Prometheus (samples ingested: GKE's DCGM metrics package, counted as DCGM's 27 default fields per GPU, and the fleet's PodMonitoring)",
    page: "https://cloud.google.com/stackdriver/pricing",
    searched:
      `${INFRACOST_95BA4F4} prices no Cloud Monitoring or Managed Service for Prometheus resource; the Cloud Billing Catalog dump the catalog reads (Cyclenerd pricing.yml) carries Compute Engine SKUs only; ` +
      "the stored copies of the pricing page (https://cloud.google.com/stackdriver/pricing) carry an effective date per row, but the one showing the Prometheus row is a 2023-06-05 archive with the rates before Google's 60% cut, and the current copies' Prometheus rows and 'Last updated' dates were not in the stored text; the Cloud Billing Catalog SKU is 'Prometheus Samples Ingested' A4E4-DF03-CDB6 (service Cloud Monitoring), but no dated capture of it was found; " +
      "re-searched 2026-11-30 (second pass): the code index's exact searches for 'A4E4-DF03-CDB6' and 'Prometheus Samples Ingested' find an undated blog post reading the SKU page (https://cloud.google.com/skus/?filter=A4E4-DF03-CDB6: $0.06 per million for the first 50 B samples), a test fixture asserting $0.06/M, SKU-id maps without prices and undated restatements of the four tiers ($0.06 / $0.048 / $0.036 / $0.024 per million), none of them a dated capture; Cyclenerd pricing.yml at its newest commit (dac3128, 2026-08-20) still carries no Prometheus row",
  },
};

/** Whether `item` is the bill's managed Prometheus of `cloud` (priced or named): the compilers build it from this item. */
export function isManagedPrometheusItem(item: BomItem, cloud: keyof typeof PRODUCT): boolean {
  return (item.kind === "metric-samples" || item.kind === "unpriced") && item.what.startsWith(PRODUCT[cloud].what);
}

/** The cloud's per-sample fee where the catalog has a dated first-party figure (one place: the line and its region note read it). */
export function managedPrometheusFee(cloud: string): Fee | undefined {
  return cloud === "aws" || cloud === "azure" || cloud === "gcp" ? PRODUCT[cloud].fee : undefined;
}

/** The managed Prometheus of a plan at `nodes` GPU nodes: one server per node for a fleet. */
export function managedPrometheusItem(plan: Plan, nodes: number, cloud: keyof typeof PRODUCT): BomItem {
  const servers = plan.workload === "inference" ? nodes : 0;
  const series = scrapedSeries(nodes * plan.gpusPerNode, servers);
  // The series exist while the GPU nodes run: the plan's hours, at most a 730-hour month.
  const hours = Math.min(plan.hoursPerMonth, 730);
  const samples = Math.round((monthlySamples(series) * hours) / 730);
  const product = PRODUCT[cloud];
  const volume = `${series} series every ${SCRAPE_INTERVAL_SECONDS} s: ${nodes * plan.gpusPerNode} GPUs × 27 DCGM fields${servers > 0 ? ` + ${servers} vLLM servers × 400 (assumed)` : ""}`;
  // A priced line shows the samples as its quantity; a note states them.
  if (product.fee) return { kind: "metric-samples", count: samples, what: `${product.what} (${volume}), ${hours} h` };
  return {
    kind: "unpriced",
    what: `${product.what}: ${samples.toLocaleString("en-US")} samples a month (${volume}${hours < 730 ? `, ${hours} h` : ""})`,
    // The note stays short; PRODUCT above records where the rates were searched, for the next person to look.
    why: `no dated first-party capture of its rates (${product.page}, undated) was found (searched 2026-11-30; lib/cost/bom/managed-prometheus.ts lists where)`,
  };
}
