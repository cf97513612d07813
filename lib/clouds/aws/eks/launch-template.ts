/**
 * The GPU node group's launch template. EKS managed node groups take the network interfaces from it, so the nodes
 * get every EFA interface (`nodeInterfaces`, the VM compiler's layout), in the EFA security group and the cluster's
 * security group (which carries control plane ↔ kubelet traffic). IMDSv2 only, an encrypted gp3 root volume and the
 * cluster placement group. No image, user data or instance profile: EKS supplies them from the node group's AMI
 * type and role.
 */
import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import type { Plan } from "../../../planner/types.js";
import type { CompileContext } from "../../types.js";
import { nodeInterfaces } from "../launch-template.js";
import { AWS_DEFAULTS, type AwsOptions } from "../options.js";

export function eksLaunchTemplate(
  plan: Plan,
  options: AwsOptions,
  ctx: CompileContext,
  inputs: { securityGroupIds: pulumi.Input<string>[]; placementGroupName?: pulumi.Input<string>; tags: Record<string, string> },
): ec2.LaunchTemplate {
  const interfaces = nodeInterfaces(plan, inputs.securityGroupIds[0]!).map((nic) => ({ ...nic, securityGroups: inputs.securityGroupIds }));
  const capacityBlock = plan.pricing === "capacity-block";
  return new ec2.LaunchTemplate(
    `${ctx.name}-lt`,
    {
      instanceType: plan.instanceType,
      // IMDSv2 only; hop limit 2 so pods on the node (VPC CNI, device plugins) can still reach it.
      // IMDSv2 with hop limit 1: pods (not host-network) cannot reach the node role's credentials.
      metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
      networkInterfaces: interfaces,
      // AL2023 EKS AMIs boot from /dev/xvda.
      blockDeviceMappings: [
        { deviceName: "/dev/xvda", ebs: { volumeSize: options.rootVolumeGiB ?? AWS_DEFAULTS.rootVolumeGiB, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } },
      ],
      ...(inputs.placementGroupName !== undefined ? { placement: { groupName: inputs.placementGroupName } } : {}),
      // Spot is the node group's capacityType; a capacity block also needs the market type here.
      ...(capacityBlock ? { instanceMarketOptions: { marketType: "capacity-block" } } : {}),
      ...(plan.reservationId !== undefined ? { capacityReservationSpecification: { capacityReservationTarget: { capacityReservationId: plan.reservationId } } } : {}),
      monitoring: { enabled: true },
      tagSpecifications: [
        { resourceType: "instance", tags: inputs.tags },
        { resourceType: "volume", tags: inputs.tags },
      ],
      tags: inputs.tags,
      updateDefaultVersion: true,
    },
    { parent: ctx.parent },
  );
}
