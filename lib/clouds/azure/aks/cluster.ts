/**
 * The AKS control plane: a Standard-tier cluster (the tier the catalog prices), private (API server reachable only
 * through a private endpoint in the VNet, unless `publicEndpoint` with `publicAccessCidrs`), Azure CNI overlay in the
 * component's VNet, a user-assigned control-plane identity with Network Contributor on that VNet only, Entra ID
 * authentication with Azure RBAC, local accounts disabled, and a small system node pool. Or an existing cluster by
 * name and resource group.
 */
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as containerservice from "@pulumi/azure-native/containerservice";
import type * as managedidentity from "@pulumi/azure-native/managedidentity";
import type { CompileContext } from "../../types.js";
import type { FeatureGate } from "../feature-gate.js";
import type { AzureNetwork, AzurePlace } from "../network.js";
import { AKS_NETWORK, SYSTEM_POOL, type AksOptions } from "./options.js";
import { AZURE_NODE_DISKS } from "../../../cost/bom/azure-vm.js";
import { AKS_MAINTENANCE_CONFIGURATIONS } from "../../kubernetes/upgrades.js";
import { aksSystemOsDisk, billedOsDisk } from "./os-disk.js";
import { billedItem } from "../../shared/bill.js";

/**
 * How AKS keeps the nodes' OS patched (a cluster-wide setting: it covers the GPU pool). `SecurityPatch`: AKS applies
 * its tested security updates to the running nodes, and reimages a node only when a patch cannot be applied in place;
 * `NodeImage` (the API's default) would reimage every node, GPU nodes included, onto the weekly image, draining training
 * pods each week; `None` leaves the nodes unpatched. Updates run only in the planned maintenance window
 * (aksManagedNodeOSUpgradeSchedule, kubernetes/upgrades.ts) and under the GPU pool's PodDisruptionBudget and upgrade
 * settings. SecurityPatch keeps its patched images in the node resource group, a small storage charge the estimate does
 * not price. https://learn.microsoft.com/azure/aks/auto-upgrade-node-os-image (read 2026-11-30). Changing the channel of
 * an existing cluster rolls its nodes once.
 */
export const AKS_NODE_OS_UPGRADE_CHANNEL = "SecurityPatch";

/** Built-in role "Network Contributor": AKS joins nodes and internal load balancers to the VNet's subnets. */
export const NETWORK_CONTRIBUTOR = "4d97b98b-1d4f-4787-a291-c67834d212e7";
/** Built-in role "Azure Kubernetes Service RBAC Cluster Admin": the deployer installs the bootstrap and workload. */
export const AKS_RBAC_CLUSTER_ADMIN = "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b";

export interface AksControlPlane {
  name: pulumi.Output<string>;
  resourceGroupName: pulumi.Output<string>;
  /** The cluster resource, when this component made it. */
  cluster?: containerservice.ManagedCluster;
  /** What in-cluster objects wait for besides the node pools (the deployer's RBAC role). */
  ready: pulumi.Resource[];
}

function roleId(place: AzurePlace, role: string): pulumi.Output<string> {
  return pulumi.interpolate`/subscriptions/${place.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${role}`;
}

/** A DNS prefix for the cluster's FQDN: letters, digits and hyphens, starting with a letter, at most 54 characters. */
export function dnsPrefix(name: string): string {
  const cleaned = name.toLowerCase().replace(/[^a-z0-9-]/g, "-").replace(/^[^a-z]+/, "").slice(0, 54).replace(/-+$/, "");
  return cleaned || "gpu-cluster";
}

export interface NewClusterInputs {
  place: AzurePlace;
  network: AzureNetwork;
  identity: managedidentity.UserAssignedIdentity;
  tags: Record<string, string>;
  /** The subscription feature check the cluster waits for (its system pool encrypts at host). */
  gate: FeatureGate;
  /**
   * Azure Monitor managed Prometheus (aks/metrics.ts): the metrics add-on on; with `workloadIdentity`, the OIDC issuer and
   * Entra workload identity too (a fleet's KEDA queries the workspace as its own identity). Default: neither.
   */
  metrics?: { workloadIdentity: boolean };
}

export function aksControlPlane(options: AksOptions, ctx: CompileContext, inputs: NewClusterInputs | undefined): AksControlPlane {
  if (options.clusterName !== undefined) {
    return { name: pulumi.output(options.clusterName), resourceGroupName: pulumi.output(options.resourceGroupName!), ready: [] };
  }
  const { place, network, identity, tags } = inputs!;
  // The cluster is built from its bill: the Standard tier's fee, the system pool's nodes and (when managed) their OS disks.
  billedItem(ctx.bill, "control-plane", "the AKS cluster (Standard tier)");
  const system = billedItem(ctx.bill, "system-nodes", "the AKS system pool");
  const systemOsDisk = billedOsDisk(aksSystemOsDisk(SYSTEM_POOL.vmSize, AZURE_NODE_DISKS.systemOsGiB), ctx.bill, "system");
  const opts = { parent: ctx.parent };
  // The control-plane identity manages the VNet's subnets (nodes, internal load balancers), nothing else.
  const networkRole = new authorization.RoleAssignment(
    `${ctx.name}-aks-network`,
    { principalId: identity.principalId, principalType: "ServicePrincipal", roleDefinitionId: roleId(place, NETWORK_CONTRIBUTOR), scope: network.vnetId },
    opts,
  );
  const publicApi = options.publicEndpoint === true;
  const cluster = new containerservice.ManagedCluster(
    `${ctx.name}-aks`,
    {
      resourceGroupName: place.resourceGroupName,
      location: place.location,
      // Standard tier: the uptime SLA and the $0.10/h fee the estimate shows.
      sku: { name: "Base", tier: "Standard" },
      dnsPrefix: dnsPrefix(ctx.name),
      ...(options.kubernetesVersion ? { kubernetesVersion: options.kubernetesVersion } : {}),
      identity: { type: "UserAssigned", userAssignedIdentities: [identity.id] },
      // Entra ID users and groups, authorised by Azure RBAC; no static admin credential (local accounts off).
      aadProfile: { managed: true, enableAzureRBAC: true },
      enableRBAC: true,
      disableLocalAccounts: true,
      apiServerAccessProfile: publicApi
        ? {
            enablePrivateCluster: false,
            // The nodes reach the public API server from the NAT gateway's address, which AKS admits on its own only for
            // its load balancer's outbound IPs (learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges).
            authorizedIPRanges: network.natPublicIp
              ? pulumi.all([options.publicAccessCidrs!, network.natPublicIp]).apply(([cidrs, ip]) => (ip ? [...cidrs, `${ip}/32`] : cidrs))
              : options.publicAccessCidrs!,
          }
        : { enablePrivateCluster: true, privateDNSZone: "system", enablePrivateClusterPublicFQDN: false },
      networkProfile: {
        networkPlugin: "azure",
        networkPluginMode: "overlay",
        // Cilium enforces the workload's NetworkPolicy.
        networkDataplane: "cilium",
        networkPolicy: "cilium",
        podCidr: AKS_NETWORK.podCidr,
        serviceCidr: AKS_NETWORK.serviceCidr,
        dnsServiceIP: AKS_NETWORK.dnsServiceIP,
        loadBalancerSku: "standard",
        // The node subnet's NAT gateway is the way out, where the network built one from the bill; air-gapped plans have none.
        outboundType: network.natPublicIp !== undefined ? "userAssignedNATGateway" : "none",
      },
      agentPoolProfiles: [
        {
          name: "system",
          mode: "System",
          type: "VirtualMachineScaleSets",
          osType: "Linux",
          osSKU: "Ubuntu",
          vmSize: SYSTEM_POOL.vmSize,
          count: system.count,
          enableAutoScaling: true,
          minCount: system.count,
          maxCount: system.maxCount ?? system.count,
          vnetSubnetID: network.nodeSubnetId,
          enableNodePublicIP: false,
          enableEncryptionAtHost: true,
          // Ephemeral on the size's temp disk, as AKS would choose unasked; said here so the bill can follow (os-disk.ts).
          osDiskSizeGB: systemOsDisk.sizeGiB,
          osDiskType: systemOsDisk.type,
          nodeLabels: { "gpu-cluster/role": "system" },
        },
      ],
      autoUpgradeProfile: { upgradeChannel: "patch", nodeOSUpgradeChannel: AKS_NODE_OS_UPGRADE_CHANNEL },
      // Azure Monitor's metrics add-on (ama-metrics) sends to the workspace its rule association names (aks/metrics.ts).
      ...(inputs!.metrics ? { azureMonitorProfile: { metrics: { enabled: true } } } : {}),
      ...(inputs!.metrics?.workloadIdentity ? { oidcIssuerProfile: { enabled: true }, securityProfile: { workloadIdentity: { enabled: true } } } : {}),
      tags,
    },
    // The GPU pool is its own AgentPool resource; the autoscaler owns the system pool's count.
    { parent: ctx.parent, dependsOn: inputs!.gate.after([networkRole]), ignoreChanges: ["agentPoolProfiles[0].count"] },
  );
  // The deployer (the identity running `pulumi up`) installs the Helm releases and the workload through Entra ID.
  const client = authorization.getClientConfigOutput(opts);
  const admin = new authorization.RoleAssignment(
    `${ctx.name}-aks-deployer`,
    { principalId: client.objectId, roleDefinitionId: roleId(place, AKS_RBAC_CLUSTER_ADMIN), scope: cluster.id },
    opts,
  );
  // Planned maintenance: cluster patches and node image updates only in the weekly window (kubernetes/upgrades.ts).
  for (const config of AKS_MAINTENANCE_CONFIGURATIONS) {
    new containerservice.MaintenanceConfiguration(`${ctx.name}-${config.configName}`, { resourceGroupName: place.resourceGroupName, resourceName: cluster.name, ...config }, opts);
  }
  return { name: cluster.name, resourceGroupName: place.resourceGroupName, cluster, ready: [admin] };
}

/**
 * The cluster's user kubeconfig in exec format (Entra ID through `kubelogin`; no static credential in the state),
 * as AKS returns it.
 */
export function aksKubeconfig(plane: AksControlPlane, ctx: CompileContext): pulumi.Output<string> {
  const creds = containerservice.listManagedClusterUserCredentialsOutput(
    { resourceGroupName: plane.resourceGroupName, resourceName: plane.name, format: "exec" },
    { parent: ctx.parent },
  );
  // AKS returns kubelogin's interactive device-code login; a `pulumi up` in CI has no one to type the code, so sign in
  // with the Azure CLI's identity (the one running Pulumi) instead.
  return creds.kubeconfigs.apply((k) => Buffer.from(k?.[0]?.value ?? "", "base64").toString("utf8").replace(/\bdevicecode\b/g, "azurecli"));
}
