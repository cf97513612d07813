/**
 * GCP GKE target: what lib/clouds/gcp/gke builds that is billed. A cluster the component creates adds the cluster
 * fee, the system node pool (one node per zone) and its boot disks, the secrets-encryption key, and the host network's
 * Cloud NAT, which serves the system nodes too. An existing cluster's network is already there. An internal fleet
 * is an internal LoadBalancer Service, an internal passthrough Network Load Balancer; an internet-facing one is a
 * ClusterIP Service behind a `gke-l7-global-external-managed` Gateway, for which GKE builds a global external
 * Application Load Balancer with the Cloud Armor policy the component makes (gcp/gke/gateway.ts): billed as the VM
 * fleet's internet-facing load balancer is, with the same item builder.
 */
import { systemNodePool } from "../../catalog/index.js";
import type { Plan } from "../../planner/types.js";
import type { GcpOptions } from "../../clouds/gcp/options.js";
import { cloudNatItems, externalAlbItems, gcpBootDiskType, GCP_NODE_DISKS } from "./gcp-vm.js";
import { bag, createsCluster, storageItems } from "./shared.js";
import { managedPrometheusItem } from "./managed-prometheus.js";
import type { BomItem, TargetBill } from "./types.js";

function billOfMaterials(plan: Plan, nodes: number, options: unknown): BomItem[] {
  const o = bag<GcpOptions>(options);
  // An existing cluster (by name; the option check also marks the plan) brings its own fees and network.
  const created = createsCluster(plan, o.gke);
  const items: BomItem[] = [];
  if (created) {
    const system = systemNodePool("gcp");
    items.push({ kind: "control-plane" });
    items.push({ kind: "system-nodes", count: system.nodes });
    items.push({ kind: "node-disk", pool: "system", count: system.nodes, sizeGiB: GCP_NODE_DISKS.systemBootGiB, diskType: GCP_NODE_DISKS.systemDiskType });
    items.push({ kind: "kms-key", count: 1, what: "the cluster's secrets key (software, rotated every 90 days)" });
    items.push(...cloudNatItems(plan, nodes + system.nodes));
    // The cluster's monitoring sends GKE's DCGM metrics (and the fleet's PodMonitoring) to Managed Service for
    // Prometheus, billed per sample (clouds/gcp/gke/cluster.ts monitoringConfig, kubernetes/metrics.ts).
    items.push(managedPrometheusItem(plan, nodes, "gcp"));
  }
  // Carried at 0 nodes too (a fleet at replicas.min 0): the compiler builds the group's boot disk from it, and a count
  // of 0 prices nothing (lib/cost/estimate.ts nodeDiskLines).
  items.push({ kind: "node-disk", pool: "gpu", count: nodes, sizeGiB: o.bootDiskGiB ?? GCP_NODE_DISKS.gpuBootGiB, diskType: gcpBootDiskType(plan) });
  // The Gateway's reserved global address has no line of its own: Google bills a static external address while it is
  // reserved and unused, and not separately while a forwarding rule uses it (the VM fleet's global forwarding rule has
  // its address without a line too); https://cloud.google.com/vpc/network-pricing#ipaddress, not re-read for this item.
  // An internal fleet: a LoadBalancer Service with GKE's `Internal` annotation (lib/clouds/gcp/gke/target.ts), billed per
  // forwarding rule and GiB. An internet-facing one: the Gateway's global external Application Load Balancer.
  if (plan.service?.loadBalancer === "internet-facing") items.push(...externalAlbItems(o.allowedSourceRanges ?? []));
  else if (plan.service) items.push({ kind: "load-balancer", product: "gcp-passthrough", scheme: "internal" });
  items.push(...storageItems(plan));
  return items;
}

export const gcpGke: TargetBill = { id: "gcp-gke", cloud: "gcp", billOfMaterials };
