/**
 * The AWS network a cluster runs in: a VPC with private subnets for the nodes,
 * a NAT gateway (unless air-gapped) in a public subnet for outbound traffic,
 * and a free S3 gateway endpoint so data loading skips the NAT. Or the user's
 * own VPC and subnets.
 */
import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import { getAvailabilityZonesOutput } from "@pulumi/aws/getAvailabilityZones";
import type { Plan } from "../../planner/types.js";
import { subnetCidr } from "../shared/cidr.js";
import { lookedUpPlacement } from "../shared/storage.js";
import type { CompileContext } from "../types.js";
import { billedOnce, billedOne } from "../shared/bill.js";
import type { InterfaceEndpointPlan } from "./endpoints.js";
import { AWS_DEFAULTS, type AwsOptions } from "./options.js";

export interface AwsNetwork {
  vpcId: pulumi.Output<string>;
  /** The VPC's IPv4 CIDR (internal load balancers admit only it). */
  cidrBlock: pulumi.Output<string>;
  /**
   * Every IPv4 block associated with the VPC: the primary and, in an existing VPC, its secondary blocks (where EKS
   * custom networking puts pods, https://docs.aws.amazon.com/eks/latest/userguide/cni-custom-network.html, read
   * 2026-11-30). What the pods' egress policy treats as the cluster's own network.
   */
  cidrBlocks: pulumi.Output<string[]>;
  /**
   * Private subnets, one per zone (training: exactly one; EKS and fleets: two). The control plane and load balancers
   * use all of them; the GPU nodes only {@link AwsNetwork.nodeSubnetIds}.
   */
  privateSubnetIds: pulumi.Output<string>[];
  /**
   * The private subnets whose zone sells the instance type (and, with a pinned zone, only that zone's): what an Auto
   * Scaling group or node group may launch GPU nodes in. The other zone exists for EKS's and the ALB's two-zone rule.
   */
  nodeSubnetIds: pulumi.Output<string[]>;
  /** Public subnets (NAT gateway, internet-facing load balancer); empty when none were made. */
  publicSubnetIds: pulumi.Output<string>[];
}

/** Zones that offer the instance type, sorted (the plan's zone when it pins one). */
export function offeringZones(plan: Plan, ctx: CompileContext): pulumi.Output<string[]> {
  if (plan.zone !== undefined) return pulumi.output([plan.zone]);
  const offerings = ec2.getInstanceTypeOfferingsOutput(
    { locationType: "availability-zone", filters: [{ name: "instance-type", values: [plan.instanceType] }] },
    { parent: ctx.parent },
  );
  return offerings.locations.apply((zones) => [...(zones ?? [])].sort());
}

/**
 * The region's ordinary availability zones (no Local or Wavelength Zones, which EKS and ALBs do not take), sorted.
 * A second zone for the control plane comes from here when the instance type is sold (or pinned) in one zone only.
 */
export function regionZones(ctx: CompileContext): pulumi.Output<string[]> {
  const zones = getAvailabilityZonesOutput(
    { state: "available", filters: [{ name: "zone-type", values: ["availability-zone"] }] },
    { parent: ctx.parent },
  );
  return zones.names.apply((names: string[]) => [...(names ?? [])].sort());
}

/**
 * The zone of each private subnet: the offering zones first (the first one is the GPU nodes'), then, where the type is
 * sold in fewer zones than subnets are needed, other zones of the region. EKS rejects a cluster whose subnets are not
 * in at least two zones (https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html), and so does an ALB
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#subnets-load-balancer);
 * two subnets in one zone would fail `up`. Pure, so the rule is tested directly.
 */
export function subnetZones(offering: readonly string[], region: readonly string[], count: number, regionName: string): string[] {
  const chosen: string[] = [];
  for (const zone of [...offering, ...region]) {
    if (chosen.length === count) break;
    if (!chosen.includes(zone)) chosen.push(zone);
  }
  // Only when a lookup answered nothing (never in a real region): keep a deterministic answer.
  while (chosen.length < count) chosen.push(`${regionName}${String.fromCharCode(97 + chosen.length)}`);
  return chosen;
}

/** How the network is cut, where a compiler needs more than the VM default. */
export interface NetworkShape {
  /**
   * Private subnets, one per zone. Default: 1 for training (EFA needs a single subnet and AZ), 2 for inference.
   * EKS asks for 2 for any workload (its control plane spans two zones); the GPU nodes still use the first only.
   */
  zones?: number;
  /** Extra tags of the private / public subnets (EKS load balancer discovery). Default none. */
  privateSubnetTags?: Record<string, string>;
  publicSubnetTags?: Record<string, string>;
  /**
   * Public subnets for an internet-facing load balancer, as the caller's load balancer item says. Default false: then
   * only a billed NAT gateway brings them.
   */
  publicSubnets?: boolean;
}

/** Private subnet blocks as [prefix length, index]: the first (the GPU nodes') half the VPC for training, else quarters. */
function privateBlocks(plan: Plan, prefix: number, zones: number): [number, number][] {
  if (plan.workload !== "training") return Array.from({ length: zones }, (_, i) => [prefix + 2, i]);
  // Training: one large subnet (half the VPC) so 1,000+ nodes fit; further zones (EKS) take the third quarter, and
  // the public blocks stay in the last quarter.
  return Array.from({ length: zones }, (_, i) => (i === 0 ? [prefix + 1, 0] : [prefix + 3, 3 + i]));
}

/**
 * The IPv4 blocks of an existing VPC: DescribeVpcs lists the primary block among `CidrBlockAssociationSet`, with each
 * block's state (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_VpcCidrBlockAssociation.html, read
 * 2026-11-30); a block being disassociated or that failed to associate carries no addresses, so only `associated` ones
 * count. The primary is kept first, and always present.
 */
export function associatedCidrs(primary: string, associations: { cidrBlock: string; state: string }[] | undefined): string[] {
  const blocks = (associations ?? []).filter((a) => a.state === "associated").map((a) => a.cidrBlock);
  return [primary, ...blocks.filter((b) => b !== primary)];
}

/**
 * Build (or adopt) the network: `shape.zones` private subnets, one per zone (see NetworkShape).
 */
export function awsNetwork(plan: Plan, options: AwsOptions, ctx: CompileContext, tags: Record<string, string>, shape: NetworkShape = {}): AwsNetwork {
  const zoneCount = shape.zones ?? (plan.workload === "training" ? 1 : 2);
  if (options.vpcId !== undefined) {
    const subnets = (options.subnetIds ?? []).map((s) => pulumi.output(s));
    const privateSubnetIds = zoneCount === 1 ? subnets.slice(0, 1) : subnets;
    const vpc = ec2.getVpcOutput({ id: options.vpcId }, { parent: ctx.parent });
    return {
      vpcId: pulumi.output(options.vpcId),
      cidrBlock: vpc.cidrBlock,
      cidrBlocks: pulumi.all([vpc.cidrBlock, vpc.cidrBlockAssociations]).apply(([primary, associations]) => associatedCidrs(primary, associations)),
      privateSubnetIds,
      // The user's subnets: they chose which zones hold the type.
      nodeSubnetIds: pulumi.all(privateSubnetIds),
      publicSubnetIds: (options.publicSubnetIds ?? []).map((s) => pulumi.output(s)),
    };
  }
  const { name, parent } = ctx;
  const opts = { parent };
  const cidr = options.vpcCidr ?? AWS_DEFAULTS.vpcCidr;
  const prefix = Number(cidr.split("/")[1]);
  const offering = offeringZones(plan, ctx);
  // A second zone from the region only when the offering has too few (a pinned zone, a type sold in one zone).
  const zones = zoneCount === 1 ? offering : pulumi.all([offering, regionZones(ctx)]).apply(([o, r]) => subnetZones(o, r, zoneCount, plan.region));
  // The NAT gateway as billed (none: the air-gapped layout). One: the private subnets share one route table, whose one
  // default route goes through it.
  const natGateway = billedOnce(ctx.bill, "nat-gateway");
  if (natGateway) billedOne(natGateway, "NAT gateway (and its Elastic IP)");
  const needPublic = natGateway !== undefined || shape.publicSubnets === true;

  const vpc = new ec2.Vpc(`${name}-vpc`, { cidrBlock: cidr, enableDnsHostnames: true, enableDnsSupport: true, tags: { ...tags, Name: `${name}-vpc` } }, opts);
  // Lock down the default security group: AWS creates it allowing all traffic between its members.
  new ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: vpc.id, tags }, opts);

  // Training: one large private subnet (half the VPC) so 1,000+ nodes with one IP per EFA interface fit.
  // Inference: a quarter of the VPC per zone. Public subnets are small blocks at the end.
  const blocks = privateBlocks(plan, prefix, zoneCount);
  const publicPrefix = prefix + 4;
  const privateSubnets: ec2.Subnet[] = [];
  const publicSubnets: ec2.Subnet[] = [];
  // A subnet's zone forces a new subnet, and with it new file systems in it: once a lookup chose the zone, keep it.
  // The first subnet's zone is the pinned one when the spec pins it; every further subnet's comes from a lookup.
  const subnetOpts = (i: number) => ({ parent, ignoreChanges: i === 0 ? lookedUpPlacement(plan.zone, ["availabilityZone"]) : ["availabilityZone"] });
  for (let i = 0; i < zoneCount; i++) {
    const zone = zones.apply((z) => z[i] ?? `${plan.region}a`);
    privateSubnets.push(
      new ec2.Subnet(
        `${name}-private-${i}`,
        { vpcId: vpc.id, cidrBlock: subnetCidr(cidr, blocks[i]![0], blocks[i]![1]), availabilityZone: zone, mapPublicIpOnLaunch: false, tags: { ...tags, ...shape.privateSubnetTags, Name: `${name}-private-${i}` } },
        subnetOpts(i),
      ),
    );
    if (needPublic) {
      publicSubnets.push(
        new ec2.Subnet(
          `${name}-public-${i}`,
          { vpcId: vpc.id, cidrBlock: subnetCidr(cidr, publicPrefix, 2 ** (publicPrefix - prefix) - 1 - i), availabilityZone: zone, mapPublicIpOnLaunch: false, tags: { ...tags, ...shape.publicSubnetTags, Name: `${name}-public-${i}` } },
          subnetOpts(i),
        ),
      );
    }
  }

  const privateRoutes = new ec2.RouteTable(`${name}-private-rt`, { vpcId: vpc.id, tags }, opts);
  privateSubnets.forEach((subnet, i) => new ec2.RouteTableAssociation(`${name}-private-rta-${i}`, { subnetId: subnet.id, routeTableId: privateRoutes.id }, opts));
  // S3 gateway endpoints are free and keep dataset and checkpoint traffic off the NAT gateway.
  new ec2.VpcEndpoint(`${name}-s3-endpoint`, { vpcId: vpc.id, serviceName: `com.amazonaws.${plan.region}.s3`, vpcEndpointType: "Gateway", routeTableIds: [privateRoutes.id], tags }, opts);

  // The interface endpoints as billed (endpoints.ts chose them for the bill): its services, in its number of zones.
  const endpoints = billedOnce(ctx.bill, "interface-endpoints");
  if (endpoints) airGappedEndpoints(endpoints, plan.region, vpc, privateSubnets, ctx, tags);

  if (needPublic) {
    const igw = new ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags }, opts);
    const publicRoutes = new ec2.RouteTable(`${name}-public-rt`, { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }], tags }, opts);
    publicSubnets.forEach((subnet, i) => new ec2.RouteTableAssociation(`${name}-public-rta-${i}`, { subnetId: subnet.id, routeTableId: publicRoutes.id }, opts));
    if (natGateway) {
      // Outbound only, nothing can reach the nodes through it.
      const eip = new ec2.Eip(`${name}-nat-eip`, { domain: "vpc", tags }, opts);
      const nat = new ec2.NatGateway(`${name}-nat`, { subnetId: publicSubnets[0]!.id, allocationId: eip.id, tags }, { parent, dependsOn: [igw] });
      new ec2.Route(`${name}-private-default`, { routeTableId: privateRoutes.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat.id }, opts);
    }
  }
  // GPU nodes only where the type is sold: the subnet's actual zone (kept by ignoreChanges) against the offering.
  const nodeSubnetIds = pulumi
    .all([offering, pulumi.all(privateSubnets.map((s) => pulumi.all([s.id, s.availabilityZone])))])
    .apply(([sold, subnets]) => {
      const usable = subnets.filter(([, zone]) => sold.includes(zone)).map(([id]) => id);
      if (usable.length > 0) return usable;
      // The subnets keep the zone they were created in (ignoreChanges): after a change of GPU type none may sell it.
      // Fail the preview with the reason rather than an Auto Scaling group that never launches a node.
      const kept = [...new Set(subnets.map(([, zone]) => zone))].join(", ");
      throw new Error(
        `${plan.instanceType} is not sold in ${kept}, the zone(s) this stack's subnets were created in (zones that sell it: ${sold.join(", ") || "none in " + plan.region}). ` +
          "Choose a GPU type sold there, or pin zone to one that sells it: that replaces the subnets and what is in them (guarded storage makes that up fail rather than lose data).",
      );
    });
  return { vpcId: vpc.id, cidrBlock: vpc.cidrBlock, cidrBlocks: vpc.cidrBlock.apply((c) => [c]), privateSubnetIds: privateSubnets.map((s) => s.id), nodeSubnetIds, publicSubnetIds: publicSubnets.map((s) => s.id) };
}

/**
 * No NAT gateway: one interface endpoint per service the nodes need (endpoints.ts), in the bill's number of private
 * subnets (every one the VM compilers make), with private DNS so the ordinary regional names
 * (`ssm.<region>.amazonaws.com`, ...) resolve to it, behind a group that admits HTTPS from the VPC only (https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html).
 */
function airGappedEndpoints(endpoints: InterfaceEndpointPlan, region: string, vpc: ec2.Vpc, privateSubnets: ec2.Subnet[], ctx: CompileContext, tags: Record<string, string>): void {
  if (endpoints.zones > privateSubnets.length) {
    throw new Error(`gpu-cluster: the bill of materials carries interface endpoints in ${endpoints.zones} zones, but the network has ${privateSubnets.length} private subnet(s)`);
  }
  const subnets = privateSubnets.slice(0, endpoints.zones);
  const opts = { parent: ctx.parent };
  const group = new ec2.SecurityGroup(
    `${ctx.name}-endpoints-sg`,
    {
      vpcId: vpc.id,
      description: "gpu-cluster interface endpoints: HTTPS from inside the VPC only",
      ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: [vpc.cidrBlock], description: "HTTPS from the VPC" }],
      egress: [],
      tags: { ...tags, Name: `${ctx.name}-endpoints-sg` },
    },
    opts,
  );
  for (const service of endpoints.services) {
    new ec2.VpcEndpoint(
      // Named after the service, never a position: adding a service leaves the others alone.
      `${ctx.name}-${service.replace(/\./g, "-")}-endpoint`,
      {
        vpcId: vpc.id,
        serviceName: `com.amazonaws.${region}.${service}`,
        vpcEndpointType: "Interface",
        privateDnsEnabled: true,
        subnetIds: subnets.map((s) => s.id),
        securityGroupIds: [group.id],
        tags: { ...tags, Name: `${ctx.name}-${service}` },
      },
      opts,
    );
  }
}
