/**
 * Simulated answers of the AWS data sources the compiler calls, for the
 * offline preview (there is no cloud to ask). Keyed by invoke token.
 */
import type { OfflineInvokes, OfflineOutputs } from "../../preview/invokes.js";

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

const OFFERING_TOKEN = "aws:ec2/getCapacityBlockOffering:getCapacityBlockOffering";

/**
 * A failed invoke as the engine hands it to the program: the mock monitor passes a thrown error to invoke.js, which
 * rejects with `new Error(err.details)` (node_modules/@pulumi/pulumi/runtime/mocks.js and runtime/invoke.js, 3.248.0),
 * so the message travels in `details`, as a gRPC error's does under the real engine.
 */
export class OfflineInvokeError extends Error {
  readonly details: string;
  constructor(message: string) {
    super(message);
    this.details = message;
  }
}

/**
 * The provider's failure when DescribeCapacityBlockOfferings returns `count` offerings other than one: the data
 * source's error ("reading EC2 Capacity Block Offering (<type>): empty result" or "too many results: wanted 1, got N"),
 * as the engine wraps it (hashicorp/terraform-provider-aws internal/service/ec2/ec2_capacity_block_offering_data_source.go
 * findCapacityBLockOffering and internal/tfresource errors; pulumi/pulumi source_eval.go "invocation of %v returned an
 * error"; read 2026-11-30).
 */
function offeringCountError(inputs: Record<string, any>, count: number): OfflineInvokeError {
  const detail = count === 0 ? "empty result" : `too many results: wanted 1, got ${count}`;
  return new OfflineInvokeError(`invocation of ${OFFERING_TOKEN} returned an error: reading EC2 Capacity Block Offering ("${inputs.instanceType}"): ${detail}: ${detail}`);
}

/**
 * AWS's three answers to getCapacityBlockOffering, for tests and what-ifs (`runOffline(..., { invokes })`):
 * - `one`: exactly one offering in the window, priced `upfrontFee` (a decimal string, USD), in the region's zone a;
 * - `none`: no offering in the window (sold out, or a start already past): the provider fails with "empty result";
 * - `many`: `count` offerings (one per zone, say): the provider reads one page and fails with "too many results".
 * Fields as the provider returns them (node_modules/@pulumi/aws/ec2/getCapacityBlockOffering.d.ts, @pulumi/aws 7.48.0).
 */
export const capacityBlockOfferingAnswers = {
  one:
    (upfrontFee: string, offeringId = "cb-offline-0123456789") =>
    (inputs: Record<string, any>, region: string): Record<string, any> => ({
      ...inputs,
      availabilityZone: `${region}a`,
      capacityBlockOfferingId: offeringId,
      currencyCode: "USD",
      tenancy: "default",
      upfrontFee,
      region,
    }),
  none: () => (inputs: Record<string, any>): Record<string, any> => {
    throw offeringCountError(inputs, 0);
  },
  many:
    (count: number) =>
    (inputs: Record<string, any>): Record<string, any> => {
      throw offeringCountError(inputs, count);
    },
};

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
  // Offline there is no one to quote a price: the look-up fails, saying so, and the estimate stays the catalog's.
  [OFFERING_TOKEN]: () => {
    throw new OfflineInvokeError("offline preview: no cloud to quote a Capacity Block offering");
  },
  "aws:ssm/getParameter:getParameter": (inputs) => ({ ...inputs, value: "ami-offline-preview", type: "String", insecureValue: "ami-offline-preview" }),
  // Your own AMI (aws.amiId / aws.amiSsmParameter): its root device name, read for the root volume's mapping
  // (launch-template.ts rootDeviceName); offline, an Ubuntu-style image.
  "aws:ec2/getAmi:getAmi": (inputs) => ({ ...inputs, id: "ami-offline-preview", imageId: "ami-offline-preview", rootDeviceName: "/dev/sda1", rootDeviceType: "ebs", architecture: "x86_64" }),
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

/** Outputs the aws provider computes, simulated where the compilers read them offline. */
export const awsOfflineOutputs: OfflineOutputs = {
  // A managed node group's Auto Scaling group (EKS names it eks-<node group>-<uuid>): a Capacity Block's scheduled
  // actions attach to it (./capacity-block.ts), and read their times when its name is known.
  "aws:eks/nodeGroup:NodeGroup": (name) => ({ resources: [{ autoscalingGroups: [{ name: `eks-${name}-offline` }] }] }),
};
