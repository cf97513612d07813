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
import { splitEnv } from "../../clouds/shared/model-server.js";
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

/**
 * Source ranges one Cloud Armor rule matches at most (https://cloud.google.com/armor/quotas, read 2026-11-30): the
 * policy the compiler builds (lib/clouds/gcp/load-balancer.ts) and the rules the bill counts both read it.
 */
export const ARMOR_RANGES_PER_RULE = 10;

/** What the bill calls each kind of Secret Manager secret the GCP VM target keeps: the compilers find their item by it. */
export const GCP_SECRETS = {
  clusterKey: "the cluster's SSH key",
  modelServerEnv: "the model server's secret env values (modelServer.env), one secret each",
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
 * policy, allow rules for the client ranges (ARMOR_RANGES_PER_RULE to a rule) and the default deny rule, each rule
 * billed (the default one counted, as the dated record of the API's figures counts it: GCP_FEES.cloudArmorRule). The
 * requests it evaluates are billed per million, and the spec states bytes served, not requests, so they are named
 * with their rate rather than guessed.
 */
export function cloudArmorItems(allowedSourceRanges: readonly string[]): BomItem[] {
  const ranges = allowedSourceRanges.length;
  const rules = Math.ceil(ranges / ARMOR_RANGES_PER_RULE) + 1;
  const { usd, asOf } = GCP_FEES.cloudArmorRequests;
  return [
    {
      kind: "cloud-armor",
      count: rules,
      what: `the Cloud Armor security policy of the internet-facing load balancer (1 policy; ${rules} rules: the allow rules for ${ranges} client range${ranges === 1 ? "" : "s"} and the default deny rule)`,
    },
    {
      kind: "unpriced",
      what: "requests evaluated by the internet-facing load balancer's Cloud Armor policy",
      why: `Cloud Armor Standard bills $${usd} per million requests evaluated (GCP_FEES.cloudArmorRequests, ${asOf}); the spec states the bytes served (egress.servedTiBPerMonth), not a request count`,
    },
  ];
}

/**
 * An internet-facing fleet's global external Application Load Balancer (its global forwarding rule and the data it
 * processes) and the Cloud Armor policy on its backend: the VM fleet's (lib/clouds/gcp/inference.ts) and the GKE
 * fleet's, which GKE's Gateway controller builds for the `gke-l7-global-external-managed` Gateway (gcp/gke/gateway.ts).
 */
export function externalAlbItems(allowedSourceRanges: readonly string[]): BomItem[] {
  return [{ kind: "load-balancer", product: "gcp-external-alb", scheme: "internet-facing" }, ...cloudArmorItems(allowedSourceRanges)];
}

function billOfMaterials(plan: Plan, nodes: number, options: unknown): BomItem[] {
  const o = bag<GcpOptions>(options);
  const items: BomItem[] = [...cloudNatItems(plan, nodes)];
  if (plan.service) {
    // The endpoint's reserved address (clouds/gcp/inference.ts `<name>-lb-address`) has no line, as the GKE Gateway's
    // (./gcp-gke.ts): an address in use by a forwarding rule is not billed apart from the rule.
    if (plan.service.loadBalancer === "internal") items.push({ kind: "load-balancer", product: "gcp-internal-alb", scheme: "internal" });
    else items.push(...externalAlbItems(o.allowedSourceRanges ?? []));
  }
  // Carried at 0 nodes too (a fleet at replicas.min 0): the compiler builds the group's boot disk from it, and a count
  // of 0 prices nothing (lib/cost/estimate.ts nodeDiskLines).
  items.push({ kind: "node-disk", pool: "gpu", count: nodes, sizeGiB: o.bootDiskGiB ?? GCP_NODE_DISKS.gpuBootGiB, diskType: gcpBootDiskType(plan) });
  items.push(...storageItems(plan));
  // A training cluster of 2 or more VMs keeps its SSH key in Secret Manager, in its region only (clouds/gcp/cluster-ssh.ts).
  if (vmClusterTrust(plan)) items.push({ kind: "secret", count: 1, locations: 1, what: GCP_SECRETS.clusterKey });
  // A fleet's secret model-server env values: one Secret Manager secret each, in its region only (clouds/gcp/inference.ts).
  const serverSecrets = plan.service ? Object.keys(splitEnv(o.modelServer?.env).secret).length : 0;
  if (serverSecrets > 0) items.push({ kind: "secret", count: serverSecrets, locations: 1, what: GCP_SECRETS.modelServerEnv });
  // The nodes' Ops Agent writes the GPU metrics to Cloud Monitoring (clouds/gcp/gpu-metrics.ts).
  items.push(...gpuMetricsItems(plan, nodes, "gcp", gpuMetricsOn(plan, o.gpuMetrics)));
  return items;
}

export const gcpVm: TargetBill = { id: "gcp-vm", cloud: "gcp", billOfMaterials };
