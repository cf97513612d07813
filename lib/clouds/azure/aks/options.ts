/** AKS-only knobs (`azure.aks`, used with `orchestrator: "kubernetes"`), and their synchronous checks. */
import type { Provider } from "@pulumi/kubernetes/provider";
import { systemNodePool } from "../../../catalog/index.js";
import type { Plan } from "../../../planner/types.js";
import { clusterPlanNotes } from "../../kubernetes/notes.js";
import { driverUpgradeNote } from "./driver-upgrades.js";
import { managedPrometheusOf } from "../../kubernetes/autoscaling-policy.js";
import { SpecError } from "../../../spec/errors.js";
import { checkManagedClusterOptions, checkWorkloadOptions, COREWEAVE_NCCL_TESTS_IMAGE, MANAGED_CLUSTER_OPTION_FIELDS, type ManagedClusterOptions, WORKLOAD_OPTION_FIELDS } from "../../kubernetes/options.js";
import { field, type FieldKinds } from "../../shared/option-fields.js";
import { cidrsOverlap } from "../../shared/cidr.js";
import { aksGpuOsDisk, aksOsDiskNote } from "./os-disk.js";
import { aksLustreNotes } from "./lustre-csi-release.js";

/**
 * Default training image: CoreWeave's public nccl-tests image (COREWEAVE_NCCL_TESTS_IMAGE, cited there), with the same
 * ConnectX InfiniBand userspace ND-series VMs use. Microsoft's own image (github.com/Azure/aks-rdma-infiniband,
 * tests/scenarios/k8s/values.yaml and .github/workflows/build-nccl-tests-image.yaml @700dabb4, 2026-07-16) is published
 * as `latest` only (its dated tags are made by scheduled builds, and the workflow has no schedule), so a node pool would
 * run whatever was pushed last: not a default.
 */
export const AKS_DEFAULT_TRAINING_IMAGE = COREWEAVE_NCCL_TESTS_IMAGE;
/** Where the default image keeps nccl-tests' `all_reduce_perf` (the default training command's binary). */
export const AKS_DEFAULT_ALL_REDUCE_BINARY = "/opt/nccl_tests/build/all_reduce_perf";

/**
 * The cluster's own address ranges (Azure CNI overlay): pods and Services get addresses outside the VNet, so they must
 * not overlap it, nor 172.16.0.0/16 (the ND-series RDMA network).
 */
export const AKS_NETWORK = { podCidr: "192.168.0.0/16", serviceCidr: "10.255.0.0/16", dnsServiceIP: "10.255.0.10" } as const;

/** The system node pool of a new cluster: CoreDNS, konnectivity, the operators' controllers, Kueue. */
export const SYSTEM_POOL = { vmSize: systemNodePool("azure").instanceType, max: systemNodePool("azure").maxNodes ?? systemNodePool("azure").nodes } as const;

export interface AksOptions extends ManagedClusterOptions {
  /**
   * Use an existing AKS cluster by name instead of creating one: only the GPU node pool, the in-cluster bootstrap and
   * the workload are created (no resource group, VNet, NSG, identity or cluster; no AKS fee or system nodes in the estimate).
   * Needs `resourceGroupName` (the cluster's). Default: a new cluster.
   */
  clusterName?: string;
  /** With `clusterName`: the existing cluster's resource group. Required with it, and only with it. */
  resourceGroupName?: string;
  /**
   * With `clusterName`: the subnet (resource id) the GPU node pool joins, in the cluster's VNet. Default: the
   * cluster's own node subnet (AKS's choice).
   */
  subnetId?: string;
  /**
   * An internet-facing fleet on an existing cluster (`clusterName`): required, a free address that the fleet's internal
   * load balancer takes (the `azure-load-balancer-ipv4` annotation), the Application Gateway's backend: in `subnetId`
   * when given (the Service then names that subnet, `azure-load-balancer-internal-subnet`), else in the cluster's own
   * node subnet. A new cluster's fleet gets a fixed address of the component's load balancer subnet. Default none.
   */
  internalLoadBalancerIp?: string;
  /**
   * The Kubernetes provider for the in-cluster objects (Helm releases, workload). Default: one built from the
   * cluster's user kubeconfig (`listManagedClusterUserCredentials`, exec format: Entra ID through `kubelogin`, which
   * must be on the deployer's PATH).
   */
  provider?: Provider;
  /** Install Kueue (job queueing and quotas) after the operators. Default `false`. */
  kueue?: boolean;
  /** Kubernetes version of a new cluster, e.g. `"1.33"`. Default: AKS's default version at creation. */
  kubernetesVersion?: string;
  /**
   * Scrape the GPU Operator's DCGM exporter (and a fleet's vLLM servers) into Azure Monitor managed service for
   * Prometheus (an Azure Monitor workspace fed by the cluster's metrics add-on, aks/metrics.ts), and scale a fleet with
   * KEDA on its servers' queue there. Billed per sample ingested and per sample queried (the estimate names it).
   * Default `true` on a cluster the component creates with internet egress (the add-on sends to Azure Monitor's public
   * ingestion endpoint); an existing cluster, or one without a NAT gateway, gets none.
   */
  managedPrometheus?: boolean;
}

/** Whether the component builds Azure Monitor managed Prometheus for this plan (see `managedPrometheus`). */
export function aksManagedPrometheusOn(plan: Plan, aks: AksOptions | undefined): boolean {
  return managedPrometheusOf(plan, "AKS", aks) !== undefined;
}

/** Every `azure.aks` option and its type (checked with the Azure bag, before {@link checkAksOptions}). */
export const AKS_OPTION_FIELDS = {
  clusterName: field.string,
  resourceGroupName: field.string,
  subnetId: field.string,
  internalLoadBalancerIp: field.string,
  provider: field.resource,
  kubernetesVersion: field.string,
  managedPrometheus: field.boolean,
  ...WORKLOAD_OPTION_FIELDS,
  ...MANAGED_CLUSTER_OPTION_FIELDS,
} as const satisfies FieldKinds<AksOptions>;

const SUBNET_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/i;

/**
 * Storage kinds the AKS compiler builds, each in the component's own VNet (so only on a cluster the component creates:
 * checkAksOptions refuses storage with `clusterName`), with what it needs there and how the pods get it:
 * - `nfs`: an Azure NetApp Files volume on a delegated subnet, a static `nfs` PersistentVolume (netapp-claims.ts);
 * - `lustre`: Azure Managed Lustre on its own subnet, in the GPU pool's zone, a static volume of the Azure Lustre CSI
 *   driver (lustre-csi.ts, lustre-claims.ts).
 * Buckets and block volumes need CSI drivers and identities that are not wired.
 */
const AKS_STORAGE: Record<string, string> = {
  nfs: "'nfs' (NetApp Files) needs a delegated subnet in the component's own VNet",
  lustre: "'lustre' (Azure Managed Lustre) needs its own subnet in the component's own VNet, with the network rules it requires from the node subnet",
};

/** Azure options that shape VMs, not AKS nodes. */
export const VM_ONLY_AZURE_KEYS = ["sshPublicKey", "adminUsername", "image", "customData", "scaleOutConnectionsPerMinute", "scaleInConnectionsPerMinute", "allowedSourceRanges"] as const;

/**
 * An AKS fleet's Service is always an internal Standard Load Balancer (a layer-4 passthrough that cannot terminate TLS,
 * https://learn.microsoft.com/azure/load-balancer/load-balancer-overview, read 2026-11-30). An internet-facing fleet is
 * served HTTPS by an Application Gateway in front of that internal address (../app-gateway.ts), which admits
 * `loadBalancerSourceRanges` (required then, by checkManagedClusterOptions) in its subnet's NSG. Not the application
 * routing add-on's managed NGINX: Microsoft supports its NGINX Ingress resources with critical security patches only
 * through November 2026 (https://learn.microsoft.com/azure/aks/app-routing-nginx-to-gateway-api-migration, read
 * 2026-11-30). An internal fleet has no public front, so ranges would filter nothing: refused rather than ignored.
 */
export function checkAksExposure(plan: Plan, o: AksOptions): void {
  if (plan.service?.loadBalancer !== "internet-facing" && o.loadBalancerSourceRanges !== undefined) {
    throw new SpecError(
      "azure.aks.loadBalancerSourceRanges",
      "lists the clients of an internet-facing fleet's Application Gateway, and this fleet is internal: its Service admits nothing from outside the cluster's VNet, so the ranges would filter nothing",
      "remove it, or use loadBalancer: 'internet-facing' (served HTTPS by an Application Gateway that admits these ranges)",
    );
  }
}

/** The `azure.aks` checks against the plan; the bag's keys and types were checked with the Azure bag. Throws SpecError. */
export function checkAksOptions(plan: Plan, aks: AksOptions | undefined, vnetAddressSpace: string | undefined, osDiskGiB?: number): void {
  if (plan.orchestrator !== "kubernetes") {
    if (aks !== undefined) throw new SpecError("azure.aks", "AKS options were given, but orchestrator is 'vm'", "set orchestrator: 'kubernetes', or remove azure.aks");
    return;
  }
  // `azure.osDiskGiB` must fit the temp disk where the size's GPU nodes get an ephemeral OS disk (os-disk.ts).
  aksGpuOsDisk(plan.instanceType, osDiskGiB);
  const o = aks ?? {};
  checkAksExposure(plan, o);
  if (o.managedPrometheus === true && !aksManagedPrometheusOn(plan, o)) {
    throw new SpecError(
      "azure.aks.managedPrometheus",
      o.clusterName !== undefined ? "is built only with a cluster the component creates" : "needs the nodes' internet egress (egress.natGateway): the metrics add-on sends to Azure Monitor's public ingestion endpoint",
      "leave it out (the default builds it where it can)",
    );
  }
  if (o.clusterName !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_-]{0,61}[A-Za-z0-9]$|^[A-Za-z0-9]$/.test(o.clusterName)) {
    throw new SpecError("azure.aks.clusterName", `'${o.clusterName}' is not an AKS cluster name`, "letters, digits, '-' and '_', starting and ending with a letter or digit, at most 63 characters");
  }
  if (o.clusterName !== undefined && (o.resourceGroupName === undefined || o.resourceGroupName.trim() === "")) {
    throw new SpecError("azure.aks.resourceGroupName", "an existing cluster is found by name and resource group", "pass the cluster's resource group, e.g. aks: { clusterName: 'shared', resourceGroupName: 'shared-rg' }");
  }
  if (o.clusterName === undefined) {
    for (const key of ["resourceGroupName", "subnetId", "internalLoadBalancerIp"] as const) {
      if (o[key] !== undefined) throw new SpecError(`azure.aks.${key}`, "only applies with clusterName (an existing cluster)", "remove it, or pass azure.aks.clusterName too (a new cluster uses azure.resourceGroupName)");
    }
  }
  if (o.subnetId !== undefined && !SUBNET_ID.test(o.subnetId)) {
    throw new SpecError("azure.aks.subnetId", `'${o.subnetId}' is not a subnet resource id`, "e.g. '/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>'");
  }
  if (o.clusterName !== undefined && o.kubernetesVersion !== undefined) {
    throw new SpecError("azure.aks.kubernetesVersion", "shapes a new cluster, not an existing one", "remove it, or remove clusterName");
  }
  if (o.kubernetesVersion !== undefined && !/^1\.\d{2}(\.\d+)?$/.test(o.kubernetesVersion)) {
    throw new SpecError("azure.aks.kubernetesVersion", `'${o.kubernetesVersion}' is not a Kubernetes version`, "e.g. '1.33'");
  }
  if (o.clusterName === undefined && vnetAddressSpace !== undefined) {
    for (const [what, range] of [["pod", AKS_NETWORK.podCidr], ["service", AKS_NETWORK.serviceCidr]] as const) {
      if (cidrsOverlap(vnetAddressSpace, range)) {
        throw new SpecError("azure.vnetAddressSpace", `'${vnetAddressSpace}' overlaps the cluster's ${what} range ${range} (Azure CNI overlay)`, "use a range outside 192.168.0.0/16, 10.255.0.0/16 and 172.16.0.0/16, e.g. '10.0.0.0/16'");
      }
    }
  }
  checkManagedClusterOptions(o, "azure.aks");
  if (o.privateAccessCidrs !== undefined) {
    throw new SpecError("azure.aks.privateAccessCidrs", "a private AKS API server has no address ranges to admit: clients find it through the cluster's private DNS zone", "remove it, and link your network to the private DNS zone (az network private-dns link vnet create), or peer it with the component's VNet");
  }
  if (o.publicEndpoint === true && !plan.egress.natGateway) {
    // With no NAT gateway the cluster's outbound type is none: the nodes could not reach a public API server at all.
    throw new SpecError("azure.aks.publicEndpoint", "a public API server is reached over the internet, and egress.natGateway is false, so the nodes have no way out to it", "set egress.natGateway: true, or publicEndpoint: false with pulumi up running inside the VNet");
  }
  checkWorkloadOptions(plan, o, "azure.aks", AKS_DEFAULT_TRAINING_IMAGE);
  plan.storage.forEach((s, i) => {
    const needs = AKS_STORAGE[s.kind];
    if (needs === undefined) {
      throw new SpecError(`storage[${i}].kind`, `'${s.kind}' storage is not built on AKS in this version of gpu-cluster`, "use 'nfs' (Azure NetApp Files) or 'lustre' (Azure Managed Lustre), both mounted in the pods, or orchestrator 'vm' for Blob and data disks");
    }
    if (o.clusterName !== undefined) {
      throw new SpecError(`storage[${i}].kind`, `${needs}, and an existing cluster's VNet is not managed here`, "create the file system in the cluster's VNet and mount it yourself, or let the component create the cluster");
    }
  });
}

/** What the plan should tell the user about an AKS build; `osDiskGiB` is `azure.osDiskGiB` (the GPU nodes' OS disk note). */
export function aksPlanNotes(plan: Plan, aks: AksOptions | undefined, osDiskGiB?: number): string[] {
  if (plan.cloud !== "azure" || plan.orchestrator !== "kubernetes") return [];
  const notes = clusterPlanNotes(plan, {
    service: "AKS",
    gpuTaint: "nvidia.com/gpu=true:NoSchedule",
    systemPods: "CoreDNS and the operators' controllers",
    addons: "the GPU Operator and the Network Operator, with a NodeFeatureRule that labels InfiniBand VFs only (PCI 15b3, class 0207) and a NicClusterPolicy on those nodes",
  }, aks);
  const more = [aksOsDiskNote(plan, osDiskGiB), driverUpgradeNote(plan, aks), ...aksLustreNotes(plan)].filter((n): n is string => n !== undefined);
  return [...notes, ...more];
}
