/**
 * The cloud's managed Prometheus a Kubernetes compiler builds (EKS: Amazon Managed Service for Prometheus and an AWS
 * managed collector; AKS: an Azure Monitor workspace fed by Azure Monitor's metrics add-on), as a bill item: the volume
 * it ingests, from the series scraped (lib/clouds/kubernetes/metrics-policy.ts: DCGM's 27 fields per GPU, an assumed 400
 * per vLLM server, every 30 s for 730 hours), at the plan's node count (budgets use max).
 *
 * Not priced: no dated first-party capture of the per-sample and per-collector-hour figures was found, and the catalog
 * never guesses (lib/catalog/data/fees.ts). Searched 2026-11-30: infracost (the catalog's dated AWS price API and
 * Azure Retail Prices captures, INFRACOST in fees.ts) at 95ba4f49a7abf5567b04f751a115543281a4ab18 (2026-08-21) has
 * no resource for aws_prometheus_workspace, aws_prometheus_scraper or azurerm_monitor_workspace, so none of its golden
 * files carries these rates; no stored price API or Retail Prices dump with the AmazonPrometheus usage types or the
 * Azure Monitor managed-Prometheus meters was found; the pricing pages named below carry no date; the public figures
 * quoting them are third-party notes without a citable capture. The estimate names the item and its volume instead.
 */
import type { Plan } from "../../planner/types.js";
import { monthlySamples, scrapedSeries, SCRAPE_INTERVAL_SECONDS } from "../../clouds/kubernetes/metrics-policy.js";
import type { BomItem } from "./types.js";

const PRODUCT = {
  aws: {
    what: "Amazon Managed Service for Prometheus workspace (samples ingested and stored) and its AWS managed collector (per collector-hour, 730 h, and per sample collected)",
    pricing: "https://aws.amazon.com/prometheus/pricing/",
    searched: "infracost (95ba4f4, 2026-08-21) prices neither aws_prometheus_workspace nor aws_prometheus_scraper, and no stored AWS price API dump carries the AmazonPrometheus usage types",
  },
  azure: {
    what: "Azure Monitor workspace, managed Prometheus (samples ingested, and queries processed)",
    pricing: "https://azure.microsoft.com/pricing/details/monitor/",
    searched: "infracost (95ba4f4, 2026-08-21) does not price azurerm_monitor_workspace, and no stored Azure Retail Prices dump carries the managed-Prometheus meters",
  },
} as const;

/** The managed Prometheus of a plan at `nodes` GPU nodes: one server per node for a fleet. */
export function managedPrometheusItem(plan: Plan, nodes: number, cloud: keyof typeof PRODUCT): BomItem {
  const servers = plan.workload === "inference" ? nodes : 0;
  const series = scrapedSeries(nodes * plan.gpusPerNode, servers);
  const samples = Math.round(monthlySamples(series));
  const product = PRODUCT[cloud];
  return {
    kind: "unpriced",
    what: `${product.what}: ${samples.toLocaleString("en-US")} samples a month (${series} series every ${SCRAPE_INTERVAL_SECONDS} s: ${nodes * plan.gpusPerNode} GPUs × 27 DCGM fields${servers > 0 ? ` + ${servers} vLLM servers × 400 (assumed)` : ""})`,
    why: `no dated first-party capture of its rates was found: ${product.searched}; the pricing page (${product.pricing}) carries no date`,
  };
}
