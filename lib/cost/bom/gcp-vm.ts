/**
 * GCP VM target (managed instance groups): what lib/clouds/gcp builds that is billed. Cloud NAT on the host network
 * (billed per VM it serves, capped, plus the addresses it allocates), a fleet's Application Load Balancer (regional
 * internal, or global external), a boot disk on every node of the series' boot disk type, and a training cluster's SSH
 * key in Secret Manager.
 */
import { seriesFacts } from "../../catalog/gcp-series.js";
import type { Plan } from "../../planner/types.js";
import type { GcpOptions } from "../../clouds/gcp/options.js";
import { GCP_FEES } from "../../catalog/data/fees.js";
import { bag, storageItems } from "./shared.js";
import { vmClusterTrust } from "../../clouds/shared/cluster-ssh.js";
import type { BomItem, TargetBill } from "./types.js";
import { gpuMetricsOn } from "../../clouds/shared/gpu-metrics.js";
import { gpuMetricsItems } from "./gpu-metrics.js";

/** Boot disks the GCP compilers give the nodes. */
export const GCP_NODE_DISKS = {
  /** GPU nodes' boot disk, GiB (the `gcp.bootDiskGiB` default). */
  gpuBootGiB: 200,
  /** GKE system nodes' boot disk, GiB, and its type. */
  systemBootGiB: 50,
  systemDiskType: "pd-balanced",
} as const;

/** The GPU nodes' boot disk type: the first disk type the machine series takes (gcp-series.ts). */
export function gcpBootDiskType(plan: Pick<Plan, "instanceType">): string {
  return seriesFacts(plan.instanceType).diskTypes[0]!;
}

/**
 * Cloud NAT serving `vms` VMs and the external addresses it allocates (`AUTO_ONLY`, default static port allocation:
 * one address per 1,008 VMs).
 */
export function cloudNatItems(plan: Plan, vms: number): BomItem[] {
  if (!plan.egress.natGateway) return [];
  return [
    { kind: "cloud-nat", vms },
    { kind: "public-ip", count: Math.max(1, Math.ceil(vms / GCP_FEES.cloudNatVmsPerIp)), what: "Cloud NAT's auto-allocated external addresses" },
  ];
}

/**
 * The internet-facing fleet's Cloud Armor backend security policy (lib/clouds/gcp/load-balancer.ts, cloudArmorClientPolicy; the VM fleet's backend service and the GKE Gateway's backend policy): one
 * policy, allow rules for the client ranges (ARMOR_RANGES_PER_RULE to a rule) and the default deny rule. Cloud Armor
 * Standard bills the policy and its rules monthly and the requests it evaluates; no dated first-party figure for those
 * was found (searched 2026-11-30: infracost at 95ba4f49a7abf5567b04f751a115543281a4ab18, 2026-08-21, has no
 * google_compute_security_policy resource, priced or free; the Cloud Billing Catalog dump the catalog reads, Cyclenerd
 * pricing.yml, carries Compute Engine SKUs only; the public code index has Terraform that builds policies but no
 * committed Cloud Armor SKU; the stored copies of https://cloud.google.com/armor/pricing are translated excerpts on
 * Enterprise data processing, without the Standard rates or a date), so it is named as not priced rather than guessed.
 * The Cloud Billing Catalog SKUs to price it from, once a dated capture exists: 'Networking Cloud Armor Policy'
 * 4B13-E64F-4A2B, 'Networking Cloud Armor Rule' A321-89BD-F5BC, 'Networking Cloud Armor Requests' 1A87-DEB9-C4BE (as
 * a public cost script in the code index names them; its saved catalog pages were not found).
 */
export function cloudArmorItem(allowedSourceRanges: readonly string[]): BomItem {
  const ranges = allowedSourceRanges.length;
  return {
    kind: "unpriced",
    what: `the Cloud Armor security policy of the internet-facing load balancer (1 policy, its allow rules for ${ranges} client range${ranges === 1 ? "" : "s"} and the default deny rule, and each request it evaluates)`,
    why: "Cloud Armor Standard bills per policy, per rule and per million requests (https://cloud.google.com/armor/pricing), but no dated first-party capture of those figures was found (searched 2026-11-30): infracost (95ba4f4, 2026-08-21) does not price google_compute_security_policy, the Cloud Billing Catalog dump read (Cyclenerd pricing.yml) carries Compute Engine SKUs only, the public code index holds no committed Cloud Armor SKU, and the stored copies of the pricing page carry neither the Standard rates nor a date",
  };
}

/**
 * An internet-facing fleet's global external Application Load Balancer (its global forwarding rule and the data it
 * processes) and the Cloud Armor policy on its backend: the VM fleet's (lib/clouds/gcp/inference.ts) and the GKE
 * fleet's, which GKE's Gateway controller builds for the `gke-l7-global-external-managed` Gateway (gcp/gke/gateway.ts).
 */
export function externalAlbItems(allowedSourceRanges: readonly string[]): BomItem[] {
  return [{ kind: "load-balancer", product: "gcp-external-alb", scheme: "internet-facing" }, cloudArmorItem(allowedSourceRanges)];
}

function billOfMaterials(plan: Plan, nodes: number, options: unknown): BomItem[] {
  const o = bag<GcpOptions>(options);
  const items: BomItem[] = [...cloudNatItems(plan, nodes)];
  if (plan.service) {
    if (plan.service.loadBalancer === "internal") items.push({ kind: "load-balancer", product: "gcp-internal-alb", scheme: "internal" });
    else items.push(...externalAlbItems(o.allowedSourceRanges ?? []));
  }
  if (nodes > 0) items.push({ kind: "node-disk", pool: "gpu", count: nodes, sizeGiB: o.bootDiskGiB ?? GCP_NODE_DISKS.gpuBootGiB, diskType: gcpBootDiskType(plan) });
  items.push(...storageItems(plan));
  // A training cluster of 2 or more VMs keeps its SSH key in Secret Manager, in its region only (clouds/gcp/cluster-ssh.ts).
  if (vmClusterTrust(plan)) items.push({ kind: "secret", count: 1, locations: 1, what: "the cluster's SSH key" });
  // The nodes' Ops Agent writes the GPU metrics to Cloud Monitoring (clouds/gcp/gpu-metrics.ts).
  items.push(...gpuMetricsItems(plan, nodes, "gcp", gpuMetricsOn(plan, o.gpuMetrics)));
  return items;
}

export const gcpVm: TargetBill = { id: "gcp-vm", cloud: "gcp", billOfMaterials };
