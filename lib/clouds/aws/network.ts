/**
 * The AWS network a cluster runs in: a VPC with private subnets for the nodes,
 * a NAT gateway (unless air-gapped) in a public subnet for outbound traffic,
 * and a free S3 gateway endpoint so data loading skips the NAT. Or the user's
 * own VPC and subnets.
 */
import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import type { Plan } from "../../planner/types.js";
import { subnetCidr } from "../shared/cidr.js";
import { lookedUpPlacement } from "../shared/storage.js";
import type { CompileContext } from "../types.js";
import { AWS_DEFAULTS, type AwsOptions } from "./options.js";

export interface AwsNetwork {
  vpcId: pulumi.Output<string>;
  /** The VPC's IPv4 CIDR (internal load balancers admit only it). */
  cidrBlock: pulumi.Output<string>;
  /** Private subnets for the nodes (training: exactly one). */
  privateSubnetIds: pulumi.Output<string>[];
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
}

/** Private subnet blocks as [prefix length, index]: the first (the GPU nodes') half the VPC for training, else quarters. */
function privateBlocks(plan: Plan, prefix: number, zones: number): [number, number][] {
  if (plan.workload !== "training") return Array.from({ length: zones }, (_, i) => [prefix + 2, i]);
  // Training: one large subnet (half the VPC) so 1,000+ nodes fit; further zones (EKS) take the third quarter, and
  // the public blocks stay in the last quarter.
  return Array.from({ length: zones }, (_, i) => (i === 0 ? [prefix + 1, 0] : [prefix + 3, 3 + i]));
}

/**
 * Build (or adopt) the network: `shape.zones` private subnets, one per zone (see NetworkShape).
 */
export function awsNetwork(plan: Plan, options: AwsOptions, ctx: CompileContext, tags: Record<string, string>, shape: NetworkShape = {}): AwsNetwork {
  const zoneCount = shape.zones ?? (plan.workload === "training" ? 1 : 2);
  if (options.vpcId !== undefined) {
    const subnets = (options.subnetIds ?? []).map((s) => pulumi.output(s));
    return {
      vpcId: pulumi.output(options.vpcId),
      cidrBlock: ec2.getVpcOutput({ id: options.vpcId }, { parent: ctx.parent }).cidrBlock,
      privateSubnetIds: zoneCount === 1 ? subnets.slice(0, 1) : subnets,
      publicSubnetIds: (options.publicSubnetIds ?? []).map((s) => pulumi.output(s)),
    };
  }
  const { name, parent } = ctx;
  const opts = { parent };
  const cidr = options.vpcCidr ?? AWS_DEFAULTS.vpcCidr;
  const prefix = Number(cidr.split("/")[1]);
  const zones = offeringZones(plan, ctx);
  const needPublic = plan.egress.natGateway || plan.service?.loadBalancer === "internet-facing";

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
  const subnetOpts = { parent, ignoreChanges: lookedUpPlacement(plan.zone, ["availabilityZone"]) };
  for (let i = 0; i < zoneCount; i++) {
    const zone = zones.apply((z) => z[i % Math.max(1, z.length)] ?? `${plan.region}a`);
    privateSubnets.push(
      new ec2.Subnet(
        `${name}-private-${i}`,
        { vpcId: vpc.id, cidrBlock: subnetCidr(cidr, blocks[i]![0], blocks[i]![1]), availabilityZone: zone, mapPublicIpOnLaunch: false, tags: { ...tags, ...shape.privateSubnetTags, Name: `${name}-private-${i}` } },
        subnetOpts,
      ),
    );
    if (needPublic) {
      publicSubnets.push(
        new ec2.Subnet(
          `${name}-public-${i}`,
          { vpcId: vpc.id, cidrBlock: subnetCidr(cidr, publicPrefix, 2 ** (publicPrefix - prefix) - 1 - i), availabilityZone: zone, mapPublicIpOnLaunch: false, tags: { ...tags, ...shape.publicSubnetTags, Name: `${name}-public-${i}` } },
          subnetOpts,
        ),
      );
    }
  }

  const privateRoutes = new ec2.RouteTable(`${name}-private-rt`, { vpcId: vpc.id, tags }, opts);
  privateSubnets.forEach((subnet, i) => new ec2.RouteTableAssociation(`${name}-private-rta-${i}`, { subnetId: subnet.id, routeTableId: privateRoutes.id }, opts));
  // S3 gateway endpoints are free and keep dataset and checkpoint traffic off the NAT gateway.
  new ec2.VpcEndpoint(`${name}-s3-endpoint`, { vpcId: vpc.id, serviceName: `com.amazonaws.${plan.region}.s3`, vpcEndpointType: "Gateway", routeTableIds: [privateRoutes.id], tags }, opts);

  if (needPublic) {
    const igw = new ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags }, opts);
    const publicRoutes = new ec2.RouteTable(`${name}-public-rt`, { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }], tags }, opts);
    publicSubnets.forEach((subnet, i) => new ec2.RouteTableAssociation(`${name}-public-rta-${i}`, { subnetId: subnet.id, routeTableId: publicRoutes.id }, opts));
    if (plan.egress.natGateway) {
      // One NAT gateway (as priced): outbound only, nothing can reach the nodes through it.
      const eip = new ec2.Eip(`${name}-nat-eip`, { domain: "vpc", tags }, opts);
      const nat = new ec2.NatGateway(`${name}-nat`, { subnetId: publicSubnets[0]!.id, allocationId: eip.id, tags }, { parent, dependsOn: [igw] });
      new ec2.Route(`${name}-private-default`, { routeTableId: privateRoutes.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat.id }, opts);
    }
  }
  return { vpcId: vpc.id, cidrBlock: vpc.cidrBlock, privateSubnetIds: privateSubnets.map((s) => s.id), publicSubnetIds: publicSubnets.map((s) => s.id) };
}
