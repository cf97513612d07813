/**
 * The networks a GCP cluster runs in, laid out as Google's A3 / A3 Mega / A3 Ultra / A4
 * cluster blueprints lay them out:
 *
 * - the host VPC: one private subnet (Private Google Access on), gVNIC, Cloud NAT for
 *   outbound traffic (unless air-gapped), no external addresses anywhere;
 * - GPUDirect-TCPX (A3 High, 4 GPU NICs) and GPUDirect-TCPXO (A3 Mega, 8 GPU NICs): one
 *   VPC per GPU NIC, each with its own subnet, the fabric MTU, no internet route, and a
 *   firewall rule that admits only that subnet;
 * - GPUDirect-RDMA (A3 Ultra, A4): a second gVNIC host VPC, and ONE VPC with the zone's
 *   RoCE network profile (`<zone>-vpc-roce`) holding 8 subnets, one per MRDMA NIC, MTU 8896.
 *   RoCE VPCs take no VPC firewall rules (only regional network firewall policies of type
 *   RDMA_ROCE_POLICY, whose rules accept no source range but 0.0.0.0/0) and carry only the
 *   MRDMA NICs of instances in that one zone; the component creates the network for the
 *   cluster alone, so its implied allow-ingress admits the cluster's own nodes only.
 *   See https://cloud.google.com/vpc/docs/rdma-network-profiles and
 *   https://cloud.google.com/firewall/docs/firewall-for-roce.
 *
 * Address layout: `gcp.networkCidr` (default 10.0.0.0/12) is cut into /16s: 0 the host subnet,
 * 1 the second host subnet, 2.. the fabric subnets, 12 GKE pods, 13 GKE services, 14 the load
 * balancer proxies, 15 private services (Managed Lustre's peering range, Filestore's reserved ranges).
 */
import { VM_HEALTH } from "../shared/vm-health.js";
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/gcp/compute";
import type { Plan } from "../../planner/types.js";
import { subnetCidr } from "../shared/cidr.js";
import { lookedUpPlacement } from "../shared/storage.js";
import type { CompileContext } from "../types.js";
import { billedOnce } from "../shared/bill.js";
import { afterApis } from "./apis.js";
import { filestoreSlot } from "./names.js";
import { GCP_DEFAULTS, type GcpOptions } from "./options.js";

/** MTU of the host networks of a training cluster and of RoCE VPCs (the VPC maximum). */
export const JUMBO_MTU = 8896;
/** Google's health check and Google Front End ranges. */
export const HEALTH_CHECK_RANGES = ["35.191.0.0/16", "130.211.0.0/22"];
/** Identity-Aware Proxy's TCP forwarding range. */
export const IAP_RANGE = "35.235.240.0/20";
/** Lustre's LNet port. */
const LUSTRE_PORT = "988";
/** Filestore's NFS lock-manager callbacks reach clients on these ports. */
const FILESTORE_CALLBACK_PORTS = ["111", "2046", "2047", "2048", "2050"];
const ALL_TRAFFIC = [{ protocol: "tcp" }, { protocol: "udp" }, { protocol: "icmp" }];

/** The address plan carved from `gcp.networkCidr`. */
export interface AddressPlan {
  /** The whole block the component's networks are carved from (`gcp.networkCidr`). */
  network: string;
  host: string;
  secondHost: string;
  fabric: (index: number) => string;
  proxyOnly: string;
  /** GKE: the host subnet's secondary range for pods (a /16: a /26 per node at 32 pods, 1,024 nodes, system pool included; checked in options.ts). */
  gkePods: string;
  /** GKE: the host subnet's secondary range for Services (a /20). */
  gkeServices: string;
  /** Private services access range for Managed Lustre. */
  privateServices: string;
  /** Reserved /29 of the Filestore instance of the storage entry with this stable name. */
  filestore: (storageName: string) => string;
}

export function addressPlan(options: GcpOptions): AddressPlan {
  const base = options.networkCidr ?? GCP_DEFAULTS.networkCidr;
  const block = (k: number) => subnetCidr(base, 16, k);
  return {
    network: base,
    host: block(0),
    secondHost: block(1),
    fabric: (i) => block(2 + i),
    proxyOnly: subnetCidr(block(14), 23, 0),
    gkePods: block(12),
    gkeServices: subnetCidr(block(13), 20, 0),
    privateServices: subnetCidr(block(15), 20, 0),
    filestore: (storageName) => {
      // Filestore Basic takes a /29; subnetCidr stops at /28, so step through the /24 by hand.
      const [a, b, c] = subnetCidr(block(15), 24, 16).split("/")[0]!.split(".");
      return `${a}.${b}.${c}.${8 * filestoreSlot(storageName)}/29`;
    },
  };
}

/** One NIC of the instance template, in order (nic0 first). */
export interface NodeNic {
  /** What the NIC is for. */
  role: "host" | "fabric";
  nicType: "GVNIC" | "MRDMA";
  network: pulumi.Output<string>;
  subnetwork: pulumi.Output<string>;
  /** The VPC's and subnet's names (GKE additional node networks and GKENetworkParamSets take names). */
  networkName: pulumi.Output<string>;
  subnetworkName: pulumi.Output<string>;
  /** MTU of the NIC's VPC (GCP's default, 1460, when unset). */
  mtu?: number;
}

export interface GcpNetwork {
  host: compute.Network;
  hostSubnet: compute.Subnetwork;
  addresses: AddressPlan;
  /** NICs of each node: host NIC(s), then the fabric NICs. */
  nics: NodeNic[];
  /** Every subnet a node has a NIC in. */
  subnetIds: pulumi.Output<string>[];
  /** The rule admitting the cluster's own traffic on the host network. */
  internalFirewall: compute.Firewall;
  /** The proxy-only subnet (internal Application Load Balancer). */
  proxySubnet?: compute.Subnetwork;
}

export interface NetworkInputs {
  /** The nodes' service account email: firewall rules target it. */
  serviceAccountEmail: pulumi.Output<string>;
  /** The zone of the nodes (the RoCE network profile is zonal). */
  zone: pulumi.Output<string>;
  /** The zone the spec pins (`zone` / `gcp.zone`); without one `zone` came from a lookup and the RoCE profile keeps its first answer. */
  pinnedZone: string | undefined;
  project: pulumi.Output<string>;
  /** GKE: secondary ranges of the host subnet (pods, Services). Default none. */
  hostSecondaryRanges?: { rangeName: string; ipCidrRange: string }[];
}

function firewall(
  name: string,
  network: compute.Network,
  sourceRanges: string[],
  allows: { protocol: string; ports?: string[] }[],
  description: string,
  inputs: NetworkInputs,
  parent: pulumi.Resource,
): compute.Firewall {
  return new compute.Firewall(
    name,
    { network: network.selfLink, direction: "INGRESS", sourceRanges, allows, targetServiceAccounts: [inputs.serviceAccountEmail], description },
    { parent },
  );
}

/** Host network(s), fabric networks, firewall rules, and Cloud NAT. */
export function gcpNetwork(plan: Plan, options: GcpOptions, ctx: CompileContext, inputs: NetworkInputs): GcpNetwork {
  const { name, parent } = ctx;
  // Every network-side resource is created through Compute Engine.
  const opts = afterApis(ctx, { parent }, "compute");
  const addresses = addressPlan(options);
  const training = plan.workload === "training";
  const jumbo = training || plan.storage.some((s) => s.kind === "lustre");

  // Host VPC.
  const host = new compute.Network(
    `${name}-net`,
    {
      autoCreateSubnetworks: false,
      routingMode: "REGIONAL",
      ...(jumbo ? { mtu: JUMBO_MTU } : {}),
      description: `gpu-cluster ${name}: host network`,
    },
    opts,
  );
  const hostSubnet = new compute.Subnetwork(
    `${name}-subnet`,
    {
      network: host.id,
      region: plan.region,
      ipCidrRange: addresses.host,
      privateIpGoogleAccess: true,
      stackType: "IPV4_ONLY",
      ...(inputs.hostSecondaryRanges ? { secondaryIpRanges: inputs.hostSecondaryRanges } : {}),
      description: `gpu-cluster ${name}: nodes`,
    },
    opts,
  );
  const hostRanges = [addresses.host];
  const nics: NodeNic[] = [
    { role: "host", nicType: "GVNIC", network: host.id, subnetwork: hostSubnet.id, networkName: host.name, subnetworkName: hostSubnet.name, ...(jumbo ? { mtu: JUMBO_MTU } : {}) },
  ];
  const subnetIds: pulumi.Output<string>[] = [hostSubnet.id];

  const internalFirewall = firewall(`${name}-internal`, host, hostRanges, ALL_TRAFFIC, "gpu-cluster: traffic among the cluster's nodes only", inputs, parent);
  if (options.iapSsh ?? GCP_DEFAULTS.iapSsh) {
    firewall(`${name}-iap-ssh`, host, [IAP_RANGE], [{ protocol: "tcp", ports: ["22"] }], "gpu-cluster: SSH through Identity-Aware Proxy only (OS Login)", inputs, parent);
  }
  const filestores = plan.storage.filter((s) => s.kind === "nfs");
  if (filestores.length > 0) {
    const ranges = filestores.map((s) => addresses.filestore(s.name)).sort();
    firewall(
      `${name}-filestore`,
      host,
      ranges,
      [{ protocol: "tcp", ports: FILESTORE_CALLBACK_PORTS }, { protocol: "udp", ports: FILESTORE_CALLBACK_PORTS }],
      "gpu-cluster: NFS lock callbacks from the cluster's Filestore instances",
      inputs,
      parent,
    );
  }
  if (plan.storage.some((s) => s.kind === "lustre")) {
    firewall(`${name}-lustre`, host, [addresses.privateServices], [{ protocol: "tcp", ports: [LUSTRE_PORT] }], "gpu-cluster: LNet from the cluster's Managed Lustre", inputs, parent);
  }

  if (training && plan.fabric.kind !== "none") {
    fabricNetworks(plan, ctx, inputs, addresses, nics, subnetIds);
  }

  if (training && plan.orchestrator === "vm") {
    // The MIG's autohealing check asks each node's health endpoint (lib/clouds/shared/vm-health.ts).
    firewall(`${name}-node-health`, host, HEALTH_CHECK_RANGES, [{ protocol: "tcp", ports: [String(VM_HEALTH.port)] }], "gpu-cluster: Google health checks to the node health endpoint", inputs, parent);
  }

  let proxySubnet: compute.Subnetwork | undefined;
  if (plan.workload === "inference") {
    const port = String(plan.service!.port);
    firewall(`${name}-health-checks`, host, HEALTH_CHECK_RANGES, [{ protocol: "tcp", ports: [port] }], "gpu-cluster: Google health checks (and the external load balancer's front ends) to the model port", inputs, parent);
    if (plan.service!.loadBalancer === "internal") {
      proxySubnet = new compute.Subnetwork(
        `${name}-proxy-subnet`,
        { network: host.id, region: plan.region, ipCidrRange: addresses.proxyOnly, purpose: "REGIONAL_MANAGED_PROXY", role: "ACTIVE", description: `gpu-cluster ${name}: internal load balancer proxies` },
        opts,
      );
      firewall(`${name}-lb-proxies`, host, [addresses.proxyOnly], [{ protocol: "tcp", ports: [port] }], "gpu-cluster: the internal load balancer's proxies to the model port", inputs, parent);
    }
  }

  // Cloud NAT as billed (the bill's `cloud-nat` item, lib/cost/bom/gcp-vm.ts cloudNatItems): none without the item.
  // Its addresses (the bill's `public-ip` item) are Google's to allocate (AUTO_ONLY), so nothing here counts them.
  if (billedOnce(ctx.bill, "cloud-nat")) {
    const router = new compute.Router(`${name}-router`, { network: host.id, region: plan.region, description: `gpu-cluster ${name}: Cloud NAT` }, opts);
    new compute.RouterNat(
      `${name}-nat`,
      {
        router: router.name,
        region: plan.region,
        natIpAllocateOption: "AUTO_ONLY",
        sourceSubnetworkIpRangesToNat: "LIST_OF_SUBNETWORKS",
        subnetworks: [{ name: hostSubnet.id, sourceIpRangesToNats: ["ALL_IP_RANGES"] }],
        logConfig: { enable: true, filter: "ERRORS_ONLY" },
      },
      opts,
    );
  }

  const result: GcpNetwork = { host, hostSubnet, addresses, nics, subnetIds, internalFirewall };
  if (proxySubnet) result.proxySubnet = proxySubnet;
  return result;
}

/**
 * The fabric networks alone (NICs after the host one), for a GPU node pool joining an existing GKE cluster, whose
 * own network carries the host NIC. Training with a fabric only; otherwise none.
 */
export function gcpFabricNetworks(plan: Plan, options: GcpOptions, ctx: CompileContext, inputs: NetworkInputs): { nics: NodeNic[]; subnetIds: pulumi.Output<string>[] } {
  const nics: NodeNic[] = [];
  const subnetIds: pulumi.Output<string>[] = [];
  if (plan.workload === "training" && plan.fabric.kind !== "none") fabricNetworks(plan, ctx, inputs, addressPlan(options), nics, subnetIds);
  return { nics, subnetIds };
}

/** The GPU fabric: one VPC per GPUDirect-TCPX(O) NIC, or a second host VPC plus one RoCE VPC. */
function fabricNetworks(
  plan: Plan,
  ctx: CompileContext,
  inputs: NetworkInputs,
  addresses: AddressPlan,
  nics: NodeNic[],
  subnetIds: pulumi.Output<string>[],
): void {
  const { name, parent } = ctx;
  // Every network-side resource is created through Compute Engine.
  const opts = afterApis(ctx, { parent }, "compute");
  const { kind, nicsPerNode } = plan.fabric;
  if (kind === "gpudirect-tcpx" || kind === "gpudirect-tcpxo") {
    const mtu = plan.fabric.mtu;
    for (let i = 0; i < nicsPerNode; i++) {
      const network = new compute.Network(
        `${name}-gpu-${i}`,
        {
          autoCreateSubnetworks: false,
          routingMode: "REGIONAL",
          ...(mtu !== undefined ? { mtu } : {}),
          // GPU NICs talk only to the same NIC of other nodes: no route out of the VPC.
          deleteDefaultRoutesOnCreate: true,
          description: `gpu-cluster ${name}: ${kind} GPU NIC ${i + 1} of ${nicsPerNode}`,
        },
        opts,
      );
      const cidr = addresses.fabric(i);
      const subnet = new compute.Subnetwork(`${name}-gpu-${i}`, { network: network.id, region: plan.region, ipCidrRange: cidr, stackType: "IPV4_ONLY" }, opts);
      firewall(`${name}-gpu-${i}-internal`, network, [cidr], ALL_TRAFFIC, `gpu-cluster: ${kind} traffic among the cluster's GPU NICs only`, inputs, parent);
      nics.push({ role: "fabric", nicType: "GVNIC", network: network.id, subnetwork: subnet.id, networkName: network.name, subnetworkName: subnet.name, ...(mtu !== undefined ? { mtu } : {}) });
      subnetIds.push(subnet.id);
    }
    return;
  }
  if (kind === "rdma") {
    const mtu = plan.fabric.mtu ?? JUMBO_MTU;
    // The second gVNIC (A3 Ultra / A4 have two host NICs): its own VPC, like the first.
    if ((plan.fabric.hostNics ?? 1) >= 2) {
      const network = new compute.Network(`${name}-net-1`, { autoCreateSubnetworks: false, routingMode: "REGIONAL", mtu: JUMBO_MTU, description: `gpu-cluster ${name}: host network 2` }, opts);
      const cidr = addresses.secondHost;
      const subnet = new compute.Subnetwork(`${name}-subnet-1`, { network: network.id, region: plan.region, ipCidrRange: cidr, privateIpGoogleAccess: true, stackType: "IPV4_ONLY" }, opts);
      firewall(`${name}-net-1-internal`, network, [cidr], ALL_TRAFFIC, "gpu-cluster: traffic among the cluster's nodes only", inputs, parent);
      nics.push({ role: "host", nicType: "GVNIC", network: network.id, subnetwork: subnet.id, networkName: network.name, subnetworkName: subnet.name, mtu: JUMBO_MTU });
      subnetIds.push(subnet.id);
    }
    const roce = new compute.Network(
      `${name}-rdma`,
      {
        autoCreateSubnetworks: false,
        routingMode: "REGIONAL",
        mtu,
        networkProfile: pulumi.interpolate`projects/${inputs.project}/global/networkProfiles/${inputs.zone}-vpc-roce`,
        description: `gpu-cluster ${name}: GPUDirect-RDMA (RoCE) network for ${nicsPerNode} MRDMA NICs per node`,
      },
      // The profile forces a new network (and with it every node's MRDMA NICs): a looked-up zone never moves it.
      { ...opts, ignoreChanges: lookedUpPlacement(inputs.pinnedZone, ["networkProfile"]) },
    );
    for (let i = 0; i < nicsPerNode; i++) {
      const subnet = new compute.Subnetwork(`${name}-rdma-${i}`, { network: roce.id, region: plan.region, ipCidrRange: addresses.fabric(i), stackType: "IPV4_ONLY" }, opts);
      nics.push({ role: "fabric", nicType: "MRDMA", network: roce.id, subnetwork: subnet.id, networkName: roce.name, subnetworkName: subnet.name, mtu });
      subnetIds.push(subnet.id);
    }
  }
}
