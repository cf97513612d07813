/**
 * GCP GKE target: what lib/clouds/gcp/gke builds that is billed. A cluster the component creates adds the cluster
 * fee, the system node pool (one node per zone) and its boot disks, the secrets-encryption key, and the host network's
 * Cloud NAT, which serves the system nodes too. An existing cluster's network is already there. Every fleet is an
 * internal LoadBalancer Service, an internal passthrough Network Load Balancer (internet-facing GKE fleets are refused:
 * gcp/gke/options.ts, checkGkeExposure).
 */
import { systemNodePool } from "../../catalog/index.js";
import type { Plan } from "../../planner/types.js";
import type { GcpOptions } from "../../clouds/gcp/options.js";
import { cloudNatItems, gcpBootDiskType, GCP_NODE_DISKS } from "./gcp-vm.js";
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
  if (nodes > 0) items.push({ kind: "node-disk", pool: "gpu", count: nodes, sizeGiB: o.bootDiskGiB ?? GCP_NODE_DISKS.gpuBootGiB, diskType: gcpBootDiskType(plan) });
  // Every GKE fleet is an internal LoadBalancer Service (GKE's `Internal` annotation, lib/clouds/gcp/gke/target.ts) so
  // clients in the VPC reach it; billed per forwarding rule and GiB.
  if (plan.service) items.push({ kind: "load-balancer", product: "gcp-passthrough", scheme: "internal" });
  items.push(...storageItems(plan));
  return items;
}

export const gcpGke: TargetBill = { id: "gcp-gke", cloud: "gcp", billOfMaterials };
