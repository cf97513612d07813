/**
 * Azure AKS target: what lib/clouds/azure/aks builds that is billed. A cluster the component creates adds the
 * Standard tier fee, the system pool and its OS disks, and the VNet's NAT gateway with its public IP. Every fleet is
 * an internal LoadBalancer Service, for which AKS makes an internal Standard Load Balancer in the load balancer subnet;
 * an internet-facing fleet adds the Application Gateway in front of it and its public IP (`azureLoadBalancerItems`,
 * shared with the VM target), also on an existing cluster. Storage is the VM target's (`storageItems`): the same
 * NetApp Files capacity pools and Azure Managed Lustre file systems, built by the same builder
 * (lib/clouds/azure/storage.ts) and priced from the same catalog rows (Managed Lustre with the spec's quote, as the
 * rows carry no public price). The Lustre CSI driver's node pods run on the GPU nodes already billed.
 */
import { systemNodePool } from "../../catalog/index.js";
import type { Plan } from "../../planner/types.js";
import type { AzureOptions } from "../../clouds/azure/options.js";
import { aksGpuOsDisk, aksSystemOsDisk } from "../../clouds/azure/aks/os-disk.js";
import { AZURE_NODE_DISKS, azureLoadBalancerItems, azureNatItems } from "./azure-vm.js";
import { bag, createsCluster, storageItems } from "./shared.js";
import type { BomItem, TargetBill } from "./types.js";
import { managedPrometheusItem } from "./managed-prometheus.js";
import { managedPrometheusOf } from "../../clouds/kubernetes/autoscaling-policy.js";

function billOfMaterials(plan: Plan, nodes: number, options: unknown): BomItem[] {
  const o = bag<AzureOptions>(options);
  // An existing cluster (by name; the option check also marks the plan) brings its own fees and network.
  const created = createsCluster(plan, o.aks);
  const items: BomItem[] = [];
  if (created) {
    const system = systemNodePool("azure");
    items.push({ kind: "control-plane" });
    items.push({ kind: "system-nodes", count: system.nodes, maxCount: system.maxNodes });
    // Billed only when managed: an ephemeral OS disk sits on the VM's own temp disk (aks/os-disk.ts).
    const systemOsDisk = aksSystemOsDisk(system.instanceType, AZURE_NODE_DISKS.systemOsGiB);
    if (systemOsDisk.type === "Managed") items.push({ kind: "node-disk", pool: "system", count: system.nodes, maxCount: system.maxNodes, sizeGiB: systemOsDisk.sizeGiB, diskType: AZURE_NODE_DISKS.type });
    items.push(...azureNatItems(plan));
  }
  items.push(...azureLoadBalancerItems(plan));
  // The GPU nodes' OS disk is billed only when managed: an ephemeral one sits on the VM's own temp disk (aks/os-disk.ts).
  const gpuOsDisk = aksGpuOsDisk(plan.instanceType, o.osDiskGiB);
  // Carried at zero nodes too (count 0, priced at nothing): the pool of a fleet at zero replicas still sets the disk its nodes get.
  if (gpuOsDisk.type === "Managed") items.push({ kind: "node-disk", pool: "gpu", count: nodes, sizeGiB: gpuOsDisk.sizeGiB, diskType: AZURE_NODE_DISKS.type });
  items.push(...storageItems(plan));
  // Azure Monitor managed Prometheus: its workspace's ingestion (lib/clouds/azure/aks/metrics.ts).
  if (created && managedPrometheusOf(plan, "AKS", o.aks) !== undefined) items.push(managedPrometheusItem(plan, nodes, "azure"));
  return items;
}

export const azureAks: TargetBill = { id: "azure-aks", cloud: "azure", billOfMaterials };
