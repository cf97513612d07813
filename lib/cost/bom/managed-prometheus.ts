/**
 * The cloud's managed Prometheus a Kubernetes compiler builds (EKS: Amazon Managed Service for Prometheus and an AWS
 * managed collector; AKS: an Azure Monitor workspace fed by Azure Monitor's metrics add-on), as a bill item: the volume
 * it ingests, from the series scraped (lib/clouds/kubernetes/metrics-policy.ts: DCGM's 27 fields per GPU, an assumed 400
 * per vLLM server, every 30 s for 730 hours), at the plan's node count (budgets use max).
 *
 * Not priced: the per-sample and per-collector-hour figures were not readable from a dated first-party source when this
 * was built (the clouds' pricing pages are named), and the catalog never guesses (lib/catalog/data/fees.ts). The
 * estimate names the item and its volume instead.
 */
import type { Plan } from "../../planner/types.js";
import { monthlySamples, scrapedSeries, SCRAPE_INTERVAL_SECONDS } from "../../clouds/kubernetes/metrics-policy.js";
import type { BomItem } from "./types.js";

const PRODUCT = {
  aws: {
    what: "Amazon Managed Service for Prometheus workspace (samples ingested and stored) and its AWS managed collector (per collector-hour, 730 h, and per sample collected)",
    pricing: "https://aws.amazon.com/prometheus/pricing/",
  },
  azure: {
    what: "Azure Monitor workspace, managed Prometheus (samples ingested, and queries processed)",
    pricing: "https://azure.microsoft.com/pricing/details/monitor/",
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
    why: `no dated first-party figure for its per-sample prices was readable when this was built; see ${product.pricing}`,
  };
}
