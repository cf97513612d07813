/**
 * Simulated answers of the AWS data sources the compiler calls, for the
 * offline preview (there is no cloud to ask). Keyed by invoke token.
 */
import type { OfflineInvokes } from "../../preview/invokes.js";

/**
 * The answer of DescribeInstanceTypeOfferings (`aws.ec2.getInstanceTypeOfferings`) for an `instance-type` filter, when
 * the type is sold in `zones`: one offering per zone, as the three parallel lists the provider returns
 * (https://www.pulumi.com/registry/packages/aws/api-docs/ec2/getinstancetypeofferings/, read 2026-11-30). A real region
 * sells many GPU types in only some of its zones, so tests pass one zone to cover that answer.
 */
export function instanceTypeOfferings(inputs: Record<string, any>, zones: string[]): Record<string, any> {
  const filter = (inputs.filters ?? []).find((f: { name: string }) => f.name === "instance-type");
  const types: string[] = filter?.values ?? [];
  const sold = types.flatMap((type) => zones.map((zone) => ({ type, zone })));
  return {
    ...inputs,
    locations: sold.map((o) => o.zone),
    locationTypes: sold.map(() => inputs.locationType ?? "availability-zone"),
    instanceTypes: sold.map((o) => o.type),
  };
}

export const awsOfflineInvokes: OfflineInvokes = {
  // Offline, every type is sold in every zone of the region (a, b and c).
  "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings": (inputs, region) => instanceTypeOfferings(inputs, [`${region}a`, `${region}b`, `${region}c`]),
  "aws:index/getAvailabilityZones:getAvailabilityZones": (inputs, region) => ({
    ...inputs,
    names: [`${region}a`, `${region}b`, `${region}c`],
    zoneIds: [],
    groupNames: [region],
    id: region,
  }),
  // A Capacity Block bought for two weeks, starting at a fixed future date (offline there is no block to read).
  "aws:ec2/getCapacityBlockReservation:getCapacityBlockReservation": (inputs, region) => ({
    ...inputs,
    availabilityZone: `${region}a`,
    startDate: "2031-03-03T11:30:00Z",
    endDate: "2031-03-17T11:30:00Z",
    state: "scheduled",
    reservationType: "capacity-block",
  }),
  "aws:ssm/getParameter:getParameter": (inputs) => ({ ...inputs, value: "ami-offline-preview", type: "String", insecureValue: "ami-offline-preview" }),
  // An existing VPC: AWS lists the primary block among the associations too (DescribeVpcs CidrBlockAssociationSet).
  "aws:ec2/getVpc:getVpc": (inputs) => ({ ...inputs, cidrBlock: "10.0.0.0/16", cidrBlockAssociations: [{ associationId: "vpc-cidr-assoc-offline", cidrBlock: "10.0.0.0/16", state: "associated" }] }),
  // An existing EKS cluster (aws.eks.clusterName): what the compiler reads to reach it and join its nodes.
  "aws:eks/getCluster:getCluster": (inputs, region) => ({
    ...inputs,
    arn: `arn:aws:eks:${region}:000000000000:cluster/${inputs.name}`,
    endpoint: `https://${inputs.name}.offline.eks.invalid`,
    certificateAuthorities: [{ data: "b2ZmbGluZS1wcmV2aWV3" }],
    vpcConfig: { clusterSecurityGroupId: `sg-${inputs.name}-cluster`, vpcId: "vpc-offline", subnetIds: [], securityGroupIds: [], endpointPrivateAccess: true, endpointPublicAccess: false, publicAccessCidrs: [] },
    version: "1.33",
    status: "ACTIVE",
  }),
};
