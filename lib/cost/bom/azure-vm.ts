/**
 * Azure VM target (scale sets): what lib/clouds/azure builds that is billed. The subnet's NAT gateway and its Standard
 * public IP, a fleet's internal Standard Load Balancer (and an internet-facing fleet's Application Gateway with its
 * public IP), a Premium SSD OS disk on every node, billed as the P-tier that holds it, a training cluster's Key Vault
 * secret (its operations), and the nodes' GPU metrics in Azure Monitor (custom metric samples; the role that lets the
 * nodes publish them is not billed).
 */
import type { Plan } from "../../planner/types.js";
import type { AzureOptions } from "../../clouds/azure/options.js";
import { vmClusterTrust } from "../../clouds/shared/cluster-ssh.js";
import { azureGpuMetricsOn, AZURE_GPU_METRICS, gpuMetricSeries, monthlyGpuMetricSamples } from "../../clouds/azure/gpu-metrics.js";
import { GPU_METRICS_INTERVAL_SECONDS } from "../../clouds/shared/gpu-metrics.js";
import { bag, storageItems } from "./shared.js";
import { GPU_METRICS_SUBJECT } from "./gpu-metrics.js";
import type { BomItem, TargetBill } from "./types.js";

/** What the bill calls each Standard public IP an Azure target builds: the compilers find their item by it (lib/clouds/azure/bill.ts). */
export const AZURE_PUBLIC_IPS = {
  "NAT gateway": "the NAT gateway's Standard public IP",
  "Application Gateway": "the Application Gateway's Standard public IP",
} as const;

/** OS disks the Azure compilers give the nodes. */
export const AZURE_NODE_DISKS = {
  /** GPU nodes' OS disk, GiB (the `azure.osDiskGiB` default). */
  gpuOsGiB: 256,
  /** AKS system nodes' OS disk, GiB. */
  systemOsGiB: 128,
  /** Premium SSD: the scale sets ask for it; AKS "Managed" OS disks are Premium on VM sizes that take it (all these). */
  type: "Premium_LRS",
} as const;

/** The NAT gateway of the component's VNet and its public IP. */
export function azureNatItems(plan: Plan): BomItem[] {
  if (!plan.egress.natGateway) return [];
  return [
    { kind: "nat-gateway", count: 1 },
    { kind: "public-ip", count: 1, what: AZURE_PUBLIC_IPS["NAT gateway"] },
  ];
}

/**
 * A fleet's Standard Load Balancer, always internal; an internet-facing fleet (VM or AKS) adds its Application Gateway
 * and the gateway's Standard public IP (lib/clouds/azure/app-gateway.ts). One builder for both Azure targets.
 */
export function azureLoadBalancerItems(plan: Plan): BomItem[] {
  if (!plan.service) return [];
  const internal: BomItem = { kind: "load-balancer", product: "azure-standard", scheme: "internal" };
  if (plan.service.loadBalancer !== "internet-facing") return [internal];
  return [internal, { kind: "app-gateway", sku: "Standard_v2" }, { kind: "public-ip", count: 1, what: AZURE_PUBLIC_IPS["Application Gateway"] }];
}

/**
 * Whether the plan gets a cluster SSH key (in a Key Vault of its own: lib/clouds/azure/cluster-ssh.ts) and a hostfile:
 * every VM training cluster (`vmClusterTrust`). One rule for what is built and what is billed.
 */
export function hasClusterSsh(plan: Plan): boolean {
  return vmClusterTrust(plan);
}

/**
 * The VM nodes' GPU metrics in Azure Monitor (lib/clouds/azure/gpu-metrics.ts), billed per custom metric sample
 * ingested: GPUs × metrics × samples a minute (one per series per 60 s interval) × 60 × 730 h, at the plan's node count
 * (budgets use max). Priced at Azure Monitor's "Metrics ingestion Metric samples" meter (AZURE_FEES.prometheusSamples:
 * the one metrics-ingestion meter, for custom metrics and managed Prometheus alike), as a `metric-samples` line.
 */
export function azureGpuMetricsItem(plan: Plan, nodes: number): BomItem {
  const gpus = nodes * plan.gpusPerNode;
  const series = gpuMetricSeries(nodes, plan.gpusPerNode);
  const samples = monthlyGpuMetricSamples(series);
  return {
    kind: "metric-samples",
    count: samples,
    what: `Azure Monitor custom metrics, ${GPU_METRICS_SUBJECT} (${series} series: ${gpus} GPUs × ${AZURE_GPU_METRICS.length} metrics, one sample every ${GPU_METRICS_INTERVAL_SECONDS} s), 730 h`,
  };
}

function billOfMaterials(plan: Plan, nodes: number, options: unknown): BomItem[] {
  const o = bag<AzureOptions>(options);
  const items: BomItem[] = [...azureNatItems(plan), ...azureLoadBalancerItems(plan)];
  // Carried at zero nodes too (count 0, priced at nothing): the scale set of a fleet at zero replicas still sets the disk its nodes get.
  items.push({ kind: "node-disk", pool: "gpu", count: nodes, sizeGiB: o.osDiskGiB ?? AZURE_NODE_DISKS.gpuOsGiB, diskType: AZURE_NODE_DISKS.type });
  items.push(...storageItems(plan));
  if (hasClusterSsh(plan)) items.push({ kind: "secret", count: 1, what: "the cluster's SSH key" });
  // Carried at zero nodes too (no samples, priced at nothing): the agent's role is built with the empty scale set.
  if (azureGpuMetricsOn(plan, o)) items.push(azureGpuMetricsItem(plan, nodes));
  return items;
}

export const azureVm: TargetBill = { id: "azure-vm", cloud: "azure", billOfMaterials };
