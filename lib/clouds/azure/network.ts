/**
 * The Azure network a cluster runs in: a resource group (or the user's), a VNet
 * whose private subnets have no default outbound access, and — unless
 * air-gapped — one NAT gateway as the only way out. Nothing here accepts
 * inbound traffic from the internet; the subnets carry the node NSG.
 */
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import type { Plan } from "../../planner/types.js";
import { subnetCidr } from "../shared/cidr.js";
import type { CompileContext } from "../types.js";
import { SUBNET_PREFIX_OFFSET } from "./address-space.js";
import { hasClusterSsh } from "../../cost/bom/azure-vm.js";
import { AZURE_DEFAULTS, type AzureOptions } from "./options.js";
import { appGatewayRules, appGatewaySecurityGroup, clusterAddressPrefixes, lustreSecurityGroup } from "./security.js";
import { APP_GATEWAY_HTTPS_PORT } from "./app-gateway.js";
import { internetClientRanges, servesInternet } from "./app-gateway-options.js";
import { billedItem, billedOnce, billedOne } from "../shared/bill.js";
import { publicIpOf } from "./bill.js";

/** Where every resource of the component lives. */
export interface AzurePlace {
  resourceGroupName: pulumi.Output<string>;
  /** `/subscriptions/<id>/resourceGroups/<name>`: the prefix of ids of sub-resources (load balancer pools, probes). */
  resourceGroupId: pulumi.Output<string>;
  subscriptionId: pulumi.Output<string>;
  location: string;
}

/** The component's resource group, or the user's. */
export function azurePlace(plan: Plan, options: AzureOptions, ctx: CompileContext, tags: Record<string, string>): AzurePlace {
  const opts = { parent: ctx.parent };
  const resourceGroupName =
    options.resourceGroupName !== undefined
      ? pulumi.output(options.resourceGroupName)
      : new resources.ResourceGroup(`${ctx.name}-rg`, { location: plan.region, tags }, opts).name;
  const subscriptionId = authorization.getClientConfigOutput(opts).subscriptionId;
  return {
    resourceGroupName,
    resourceGroupId: pulumi.interpolate`/subscriptions/${subscriptionId}/resourceGroups/${resourceGroupName}`,
    subscriptionId,
    location: plan.region,
  };
}

/** Subnet address ranges, carved from the VNet's address space. */
export function subnetLayout(addressSpace: string): { nodes: string; loadBalancer: string; lustre: string; netapp: string; appGateway: string } {
  const prefix = Number(addressSpace.split("/")[1]);
  const o = SUBNET_PREFIX_OFFSET;
  return {
    // Half the space for the nodes: room for a full 100-VM placement group many times over (checkAddressSpace checks
    // the plan's peak against it).
    nodes: subnetCidr(addressSpace, prefix + o.nodes, 0),
    // Small blocks in the second half (index 8 onwards of the sixteenths) for the load balancer frontend and delegated storage.
    loadBalancer: subnetCidr(addressSpace, prefix + o.loadBalancer, 8),
    lustre: subnetCidr(addressSpace, prefix + o.lustre, 9),
    netapp: subnetCidr(addressSpace, prefix + o.netapp, 10),
    // An internet-facing fleet's Application Gateway: a subnet no other resource may use.
    appGateway: subnetCidr(addressSpace, prefix + o.appGateway, 11),
  };
}

/** The n-th address of a CIDR (Azure keeps .0–.3 of every subnet; .4 is the first it hands out). */
export function hostAddress(cidr: string, n: number): string {
  const [address] = cidr.split("/");
  const value = address!.split(".").reduce((acc, o) => acc * 256 + Number(o), 0) + n;
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

export interface AzureNetwork {
  vnetId: pulumi.Output<string>;
  addressSpace: string;
  nodeSubnetId: pulumi.Output<string>;
  /** Inference: the subnet of the internal load balancer's frontend, and its fixed address. */
  loadBalancerSubnetId?: pulumi.Output<string>;
  loadBalancerIp?: string;
  /** A subnet for Azure Managed Lustre, when the plan has lustre storage. */
  lustreSubnetId?: pulumi.Output<string>;
  /** A subnet delegated to Azure NetApp Files, when the plan has nfs storage. */
  netappSubnetId?: pulumi.Output<string>;
  /** An internet-facing fleet: the Application Gateway's own subnet (./app-gateway.ts). */
  appGatewaySubnetId?: pulumi.Output<string>;
  /** The NAT gateway's public address, the nodes' source address on the internet (AKS admits it to a public API server). */
  natPublicIp?: pulumi.Output<string>;
}

export function azureNetwork(
  plan: Plan,
  options: AzureOptions,
  ctx: CompileContext,
  place: AzurePlace,
  nodeSecurityGroupId: pulumi.Input<string>,
  tags: Record<string, string>,
): AzureNetwork {
  const { name, parent } = ctx;
  const opts = { parent };
  const addressSpace = options.vnetAddressSpace ?? AZURE_DEFAULTS.vnetAddressSpace;
  const layout = subnetLayout(addressSpace);
  const base = { resourceGroupName: place.resourceGroupName, location: place.location, tags };

  const vnet = new network.VirtualNetwork(`${name}-vnet`, { ...base, addressSpace: { addressPrefixes: [addressSpace] } }, opts);

  let natGatewayId: pulumi.Output<string> | undefined;
  let natPublicIp: pulumi.Output<string> | undefined;
  // The NAT gateway the bill carries (none: an air-gapped network), one with its one address; outbound only, its public
  // IP accepts no inbound connections.
  const nat = billedOnce(ctx.bill, "nat-gateway");
  if (nat) {
    billedOne(nat, "NAT gateway per VNet");
    billedOne(billedItem(ctx.bill, "public-ip", "the NAT gateway's public IP", publicIpOf("NAT gateway")), "public IP on the NAT gateway");
    const ip = new network.PublicIPAddress(
      `${name}-nat-ip`,
      { ...base, sku: { name: "Standard", tier: "Regional" }, publicIPAllocationMethod: "Static", publicIPAddressVersion: "IPv4" },
      opts,
    );
    natPublicIp = ip.ipAddress.apply((address) => address ?? "");
    natGatewayId = new network.NatGateway(`${name}-nat`, { ...base, sku: { name: "Standard" }, publicIpAddresses: [{ id: ip.id }], idleTimeoutInMinutes: 10 }, opts).id;
  }

  // Azure refuses concurrent changes to subnets of one VNet, so each subnet waits for the previous one.
  let previous: pulumi.Resource = vnet;
  const subnet = (role: string, args: Partial<network.SubnetArgs>): pulumi.Output<string> => {
    const s: network.Subnet = new network.Subnet(
      `${name}-${role}`,
      {
        resourceGroupName: place.resourceGroupName,
        virtualNetworkName: vnet.name,
        // Private: no implicit internet access; the NAT gateway is the only way out.
        defaultOutboundAccess: false,
        ...args,
      },
      { parent, dependsOn: [previous] },
    );
    previous = s;
    return s.id;
  };

  const hasObject = plan.storage.some((s) => s.kind === "object");
  // The storage account and the cluster key's vault (cluster-ssh.ts) admit this subnet only, through service endpoints.
  // Key Vault's endpoint takes no region list (Azure answers "*" for it).
  const serviceEndpoints = [
    ...(hasObject ? [{ service: "Microsoft.Storage", locations: [place.location] }] : []),
    ...(hasClusterSsh(plan) ? [{ service: "Microsoft.KeyVault" }] : []),
  ];
  const result: AzureNetwork = {
    vnetId: vnet.id,
    addressSpace,
    nodeSubnetId: subnet("nodes", {
      addressPrefix: layout.nodes,
      networkSecurityGroup: { id: nodeSecurityGroupId },
      ...(natGatewayId ? { natGateway: { id: natGatewayId } } : {}),
      // Service endpoints keep blob and vault traffic on Azure's backbone, off the NAT.
      ...(serviceEndpoints.length > 0 ? { serviceEndpoints } : {}),
    }),
  };
  if (natPublicIp) result.natPublicIp = natPublicIp;
  if (plan.workload === "inference") {
    result.loadBalancerSubnetId = subnet("lb", { addressPrefix: layout.loadBalancer, networkSecurityGroup: { id: nodeSecurityGroupId } });
    result.loadBalancerIp = hostAddress(layout.loadBalancer, 4);
  }
  if (servesInternet(plan)) {
    // Its own NSG: the allow list on 443, and what Azure requires of a v2 gateway's subnet (security.ts).
    const rules = appGatewayRules(internetClientRanges(plan, options), layout.appGateway, clusterAddressPrefixes(options), APP_GATEWAY_HTTPS_PORT);
    // Key Vault's service endpoint: a vault whose firewall admits this subnet (rather than "trusted Microsoft services")
    // sees the gateway's certificate reads come from it (https://learn.microsoft.com/azure/application-gateway/key-vault-certs,
    // read 2026-11-30). It takes no region list, as on the node subnet above.
    result.appGatewaySubnetId = subnet("appgw", {
      addressPrefix: layout.appGateway,
      networkSecurityGroup: { id: appGatewaySecurityGroup(rules, ctx, place, tags).id },
      serviceEndpoints: [{ service: "Microsoft.KeyVault" }],
    });
  }
  if (plan.storage.some((s) => s.kind === "lustre")) {
    // Managed Lustre needs outbound access to the AzureCloud service tag (its management): its own NSG admits that,
    // and the NAT gateway is the subnet's way out (the checks require one with Lustre; default outbound access is off).
    const lustreNsg = lustreSecurityGroup(clusterAddressPrefixes(options), layout.lustre, ctx, place, tags);
    result.lustreSubnetId = subnet("lustre", {
      addressPrefix: layout.lustre,
      networkSecurityGroup: { id: lustreNsg.id },
      ...(natGatewayId ? { natGateway: { id: natGatewayId } } : {}),
    });
  }
  if (plan.storage.some((s) => s.kind === "nfs")) {
    result.netappSubnetId = subnet("netapp", {
      addressPrefix: layout.netapp,
      delegations: [{ name: "netapp", serviceName: "Microsoft.NetApp/volumes" }],
    });
  }
  return result;
}
