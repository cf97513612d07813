/**
 * Network security groups. Azure's default rules already drop unsolicited
 * internet traffic; the explicit deny rule makes that intent visible and wins
 * over any allow rule someone adds later below it (priority number above 4000).
 * InfiniBand traffic does not pass through NSGs at all.
 */
import * as network from "@pulumi/azure-native/network";
import type { CompileContext } from "../types.js";
import type { AzurePlace } from "./network.js";
import { AZURE_DEFAULTS } from "./options.js";

/**
 * The address prefixes of the cluster's own network: the VNet this component creates (every subnet it carves: nodes,
 * load balancer, Lustre, NetApp), plus `extra` ranges of the cluster's (the AKS overlay pod CIDR). The NSGs admit
 * these, not the `VirtualNetwork` service tag, which also covers every peered VNet, on-premises ranges behind a VPN or
 * ExpressRoute gateway and user-defined routes' prefixes
 * (https://learn.microsoft.com/azure/virtual-network/service-tags-overview#available-service-tags).
 */
export function clusterAddressPrefixes(options: { vnetAddressSpace?: string | undefined }, extra: readonly string[] = []): string[] {
  return [options.vnetAddressSpace ?? AZURE_DEFAULTS.vnetAddressSpace, ...extra];
}

/** One rule, in the shape the NSG takes. */
export interface SecurityRule {
  name: string;
  priority: number;
  direction: "Inbound" | "Outbound";
  access: "Allow" | "Deny";
  protocol: "*" | "Tcp" | "Udp";
  /** One source (a CIDR or a service tag such as AzureLoadBalancer), or... */
  sourceAddressPrefix?: string;
  /** ...several CIDRs. */
  sourceAddressPrefixes?: string[];
  sourcePortRange: "*";
  /** One destination (a CIDR or a service tag such as AzureCloud), or... */
  destinationAddressPrefix?: string;
  /** ...several CIDRs. */
  destinationAddressPrefixes?: string[];
  /** One port or range ("*", "22", "1019-1023"), or... */
  destinationPortRange?: string;
  /** ...several. */
  destinationPortRanges?: string[];
  description: string;
}

function rule(r: Omit<SecurityRule, "sourcePortRange">): SecurityRule {
  return { ...r, sourcePortRange: "*" };
}

const DENY_INTERNET = rule({
  name: "deny-internet-inbound",
  priority: 4000,
  direction: "Inbound",
  access: "Deny",
  protocol: "*",
  sourceAddressPrefix: "Internet",
  destinationAddressPrefix: "*",
  destinationPortRange: "*",
  description: "nothing from the internet reaches the nodes",
});

/**
 * Azure's default AllowVnetInBound (priority 65000, source `VirtualNetwork`) admits peered VNets and VPN /
 * ExpressRoute ranges too (https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#default-security-rules):
 * this rule ends that, after the component's own ranges were allowed. The `VirtualNetwork` tag also covers the host's
 * virtual IP 168.63.129.16, where Azure's load balancer probes come from, so this deny shadows the default
 * AllowAzureLoadBalancerInBound (65001): an NSG that carries it also carries ALLOW_AZURE_LOAD_BALANCER, ahead of it
 * (the NSG diagnostics doc's note on the VirtualNetwork tag, https://learn.microsoft.com/azure/network-watcher/diagnose-network-security-rules;
 * MicrosoftDocs/azure-docs#38326, a probe blocked by exactly this rule).
 */
const DENY_OTHER_NETWORKS = rule({
  name: "deny-other-networks-inbound",
  priority: 4010,
  direction: "Inbound",
  access: "Deny",
  protocol: "*",
  sourceAddressPrefix: "VirtualNetwork",
  destinationAddressPrefix: "*",
  destinationPortRange: "*",
  description: "peered VNets and VPN or ExpressRoute ranges get no implicit access",
});

/**
 * Azure's load balancer health probes (the `AzureLoadBalancer` tag: the host's 168.63.129.16), on any port: an AKS
 * Service with `externalTrafficPolicy: Local` is probed on its health-check node port (30000-32767), not the serving
 * port. Without it, DENY_OTHER_NETWORKS drops the probes and the load balancer marks every node down while the pods
 * are Ready (https://learn.microsoft.com/azure/virtual-network/service-tags-overview, AzureLoadBalancer).
 */
const ALLOW_AZURE_LOAD_BALANCER = rule({
  name: "allow-azure-load-balancer",
  priority: 110,
  direction: "Inbound",
  access: "Allow",
  protocol: "*",
  sourceAddressPrefix: "AzureLoadBalancer",
  destinationAddressPrefix: "*",
  destinationPortRange: "*",
  description: "Azure's load balancer health probes (168.63.129.16), which the deny on other networks would otherwise catch",
});

/**
 * Training: everything among the cluster's own subnets (`clusterPrefixes`: NCCL bootstrap, MPI, SSH from a jump host
 * in the VNet, NFS/Lustre), nothing from the internet; peered networks get no implicit access.
 */
export function trainingRules(clusterPrefixes: string[]): SecurityRule[] {
  return [
    rule({
      name: "allow-cluster-inbound",
      priority: 100,
      direction: "Inbound",
      access: "Allow",
      protocol: "*",
      sourceAddressPrefixes: clusterPrefixes,
      destinationAddressPrefix: "VirtualNetwork",
      destinationPortRange: "*",
      description: "cluster members talk freely (NCCL bootstrap, MPI, storage); the component's own address ranges only",
    }),
    ALLOW_AZURE_LOAD_BALANCER,
    DENY_INTERNET,
    DENY_OTHER_NETWORKS,
  ];
}

/**
 * Inference: the model port from the internal load balancer only. An Azure load
 * balancer passes the client's address through, so the port is admitted from the
 * `clientRanges` (the VM compiler passes the cluster's own VNet, as the AWS fleet
 * admits its VPC's CIDR, plus an internal fleet's `azure.allowedSourceRanges`; an
 * internet-facing fleet's clients reach it through its Application Gateway, whose
 * instances are in the VNet: app-gateway.ts); the VMs have no public IP. SSH from
 * the VNet; everything else is dropped.
 * `clientRanges`: the CIDRs admitted to the model port (undefined: the cluster's own); `clusterPrefixes`: the
 * component's VNet (`clusterAddressPrefixes`).
 */
export function inferenceRules(port: number, clientRanges: string[] | undefined, clusterPrefixes: string[], internetFacing = clientRanges !== undefined): SecurityRule[] {
  const tcp = { direction: "Inbound" as const, access: "Allow" as const, protocol: "Tcp" as const, destinationAddressPrefix: "VirtualNetwork" };
  return [
    rule({ ...tcp, name: "allow-lb-probe", priority: 100, sourceAddressPrefix: "AzureLoadBalancer", destinationPortRange: String(port), description: "load balancer health probe" }),
    rule({
      ...tcp,
      name: "allow-serving-port",
      priority: 110,
      sourceAddressPrefixes: clientRanges ?? clusterPrefixes,
      destinationPortRange: String(port),
      description: internetFacing ? "model port via the internet-facing load balancer (loadBalancer: internet-facing)" : "model port via the internal load balancer",
    }),
    rule({ ...tcp, name: "allow-ssh-from-vnet", priority: 120, sourceAddressPrefixes: clusterPrefixes, destinationPortRange: "22", description: "SSH (key only) from inside the component's VNet" }),
    DENY_INTERNET,
    rule({ ...DENY_INTERNET, name: "deny-other-inbound", priority: 4010, sourceAddressPrefix: "*", description: "nothing else reaches the replicas" }),
  ];
}

/**
 * The ports Lustre (LNet over TCP) uses between clients and Azure Managed Lustre, in both directions: 988, and
 * 1019-1023 (https://learn.microsoft.com/azure/azure-managed-lustre/amlfs-prerequisites, "Subnet access and permissions").
 */
export const LUSTRE_PORTS = ["988", "1019-1023"];

/**
 * The Managed Lustre subnet's NSG, after Microsoft's prerequisites (same page) and its NSG guide
 * (https://learn.microsoft.com/azure/azure-managed-lustre/configure-network-security-group): the file system's hosts
 * talk freely within their own subnet (any port: its deployment uses SSH on 22, its servers their own traffic);
 * AzureMonitor reaches them (its health checks); Lustre traffic to and from the cluster's own ranges; outbound to the
 * `AzureCloud` service tag (any port and protocol), which the file system needs for its management by the service (and
 * the Queue service its Blob integration uses). Nothing else from the internet or other networks. The subnet's way out
 * to AzureCloud is the NAT gateway (its default outbound access is off).
 * `lustreSubnet`: the Managed Lustre subnet's own prefix.
 */
export function lustreRules(clusterPrefixes: string[], lustreSubnet: string): SecurityRule[] {
  return [
    rule({
      name: "allow-lustre-hosts-inbound",
      priority: 90,
      direction: "Inbound",
      access: "Allow",
      protocol: "*",
      sourceAddressPrefix: lustreSubnet,
      destinationAddressPrefix: lustreSubnet,
      destinationPortRange: "*",
      description: "the Managed Lustre hosts among themselves (any port; SSH on 22 during its deployment)",
    }),
    rule({
      name: "allow-azure-monitor-inbound",
      priority: 95,
      direction: "Inbound",
      access: "Allow",
      protocol: "Tcp",
      sourceAddressPrefix: "AzureMonitor",
      destinationAddressPrefix: "VirtualNetwork",
      destinationPortRange: "*",
      description: "Azure Monitor's checks of the file system (a Managed Lustre prerequisite)",
    }),
    rule({
      name: "allow-lustre-inbound",
      priority: 100,
      direction: "Inbound",
      access: "Allow",
      protocol: "Tcp",
      sourceAddressPrefixes: clusterPrefixes,
      destinationAddressPrefix: "VirtualNetwork",
      destinationPortRanges: LUSTRE_PORTS,
      description: "Lustre clients (the cluster's nodes) reach the file system: LNet on 988 and 1019-1023",
    }),
    DENY_INTERNET,
    DENY_OTHER_NETWORKS,
    rule({
      name: "allow-azurecloud-outbound",
      priority: 100,
      direction: "Outbound",
      access: "Allow",
      protocol: "*",
      sourceAddressPrefix: "VirtualNetwork",
      destinationAddressPrefix: "AzureCloud",
      destinationPortRange: "*",
      description: "Azure Managed Lustre's management traffic to Azure cloud services (its documented prerequisite)",
    }),
    rule({
      name: "allow-lustre-hosts-outbound",
      priority: 90,
      direction: "Outbound",
      access: "Allow",
      protocol: "*",
      sourceAddressPrefix: lustreSubnet,
      destinationAddressPrefix: lustreSubnet,
      destinationPortRange: "*",
      description: "the Managed Lustre hosts among themselves (explicit, so no later outbound deny can cut it)",
    }),
    rule({
      name: "allow-lustre-outbound",
      priority: 110,
      direction: "Outbound",
      access: "Allow",
      protocol: "Tcp",
      sourceAddressPrefix: "VirtualNetwork",
      destinationAddressPrefixes: clusterPrefixes,
      destinationPortRanges: LUSTRE_PORTS,
      description: "LNet from the file system back to its clients on 988 and 1019-1023",
    }),
  ];
}

/** The NSG of the Managed Lustre subnet. */
export function lustreSecurityGroup(clusterPrefixes: string[], lustreSubnet: string, ctx: CompileContext, place: AzurePlace, tags: Record<string, string>): network.NetworkSecurityGroup {
  return new network.NetworkSecurityGroup(
    `${ctx.name}-lustre-nsg`,
    { resourceGroupName: place.resourceGroupName, location: place.location, securityRules: lustreRules(clusterPrefixes, lustreSubnet), tags },
    { parent: ctx.parent },
  );
}

export function nodeSecurityGroup(rules: SecurityRule[], ctx: CompileContext, place: AzurePlace, tags: Record<string, string>): network.NetworkSecurityGroup {
  return new network.NetworkSecurityGroup(
    `${ctx.name}-nodes-nsg`,
    { resourceGroupName: place.resourceGroupName, location: place.location, securityRules: rules, tags },
    { parent: ctx.parent },
  );
}


/** The port range Azure's infrastructure reaches a v2 Application Gateway on (GatewayManager service tag). */
export const APP_GATEWAY_MANAGER_PORTS = "65200-65535";

/**
 * The Application Gateway subnet's NSG, after Microsoft's rules for v2 gateways
 * (https://learn.microsoft.com/azure/application-gateway/configuration-infrastructure, "Network security groups", read
 * 2026-11-30): the clients on the listener's port to the gateway's subnet, GatewayManager on 65200-65535, the
 * AzureLoadBalancer tag, the VNet's own traffic (here the component's own ranges, not the whole `VirtualNetwork` tag),
 * then deny everything else. Outbound stays open (a v2 gateway must reach the internet). `clients`: the allow list
 * (`azure.allowedSourceRanges` on VMs, `azure.aks.loadBalancerSourceRanges` on AKS), never defaulted to 0.0.0.0/0.
 */
export function appGatewayRules(clients: string[], gatewaySubnet: string, clusterPrefixes: string[], port: number): SecurityRule[] {
  const inbound = { direction: "Inbound" as const, access: "Allow" as const };
  return [
    rule({ ...inbound, name: "allow-clients-https", priority: 100, protocol: "Tcp", sourceAddressPrefixes: clients, destinationAddressPrefix: gatewaySubnet, destinationPortRange: String(port), description: "the fleet's clients (the allow list) on the HTTPS listener" }),
    rule({ ...inbound, name: "allow-gateway-manager", priority: 110, protocol: "Tcp", sourceAddressPrefix: "GatewayManager", destinationAddressPrefix: "*", destinationPortRange: APP_GATEWAY_MANAGER_PORTS, description: "Azure's management of a v2 Application Gateway (required)" }),
    rule({ ...inbound, name: "allow-azure-load-balancer", priority: 120, protocol: "*", sourceAddressPrefix: "AzureLoadBalancer", destinationAddressPrefix: "*", destinationPortRange: "*", description: "Azure's load balancer probes (required)" }),
    rule({ ...inbound, name: "allow-cluster-inbound", priority: 130, protocol: "*", sourceAddressPrefixes: clusterPrefixes, destinationAddressPrefix: gatewaySubnet, destinationPortRange: "*", description: "the component's own network" }),
    rule({ ...DENY_INTERNET, name: "deny-other-inbound", priority: 4000, sourceAddressPrefix: "*", description: "nothing else reaches the gateway" }),
  ];
}

/** The NSG of the Application Gateway subnet. */
export function appGatewaySecurityGroup(rules: SecurityRule[], ctx: CompileContext, place: AzurePlace, tags: Record<string, string>): network.NetworkSecurityGroup {
  return new network.NetworkSecurityGroup(`${ctx.name}-appgw-nsg`, { resourceGroupName: place.resourceGroupName, location: place.location, securityRules: rules, tags }, { parent: ctx.parent });
}
