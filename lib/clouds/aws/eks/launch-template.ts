/**
 * The GPU node group's launch template. EKS managed node groups take the network interfaces from it, so the nodes
 * get every EFA interface (`nodeInterfaces`, the VM compiler's layout), in the EFA security group and the cluster's
 * security group (which carries control plane ↔ kubelet traffic). IMDSv2 only, an encrypted gp3 root volume and the
 * cluster placement group, and nodeadm's local-storage setting when the instance has instance store. No image or
 * instance profile: EKS supplies them from the node group's AMI type and role.
 */
import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import type { Plan } from "../../../planner/types.js";
import type { CompileContext } from "../../types.js";
import { nodeInterfaces } from "../launch-template.js";
import { AWS_DEFAULTS, type AwsOptions } from "../options.js";

/**
 * nodeadm's node configuration when the instance has instance store: RAID0 over every instance-store disk, on which
 * nodeadm puts the kubelet's and containerd's directories, so container images and the pods' emptyDir scratch live
 * on local NVMe (github.com/awslabs/amazon-eks-ami nodeadm/doc/api.md LocalStorageOptions at 81fec2e8, 2026-07-23;
 * terraform-aws-eks tests/eks-managed-node-group/main.tf at bef29c4d, `localStorage: strategy: RAID0`; read
 * 2026-11-30). A managed node group with a launch template but no AMI id takes MIME multi-part user data and merges
 * its own part in (https://docs.aws.amazon.com/eks/latest/userguide/launch-templates.html).
 */
export function nodeadmUserData(plan: Plan): string | undefined {
  if ((plan.instance.localNvmeGiB ?? 0) <= 0) return undefined;
  return [
    "MIME-Version: 1.0",
    'Content-Type: multipart/mixed; boundary="GPUCLUSTER"',
    "",
    "--GPUCLUSTER",
    "Content-Type: application/node.eks.aws",
    "",
    "---",
    "apiVersion: node.eks.aws/v1alpha1",
    "kind: NodeConfig",
    "spec:",
    "  instance:",
    "    localStorage:",
    "      strategy: RAID0",
    "",
    "--GPUCLUSTER--",
    "",
  ].join("\n");
}

export function eksLaunchTemplate(
  plan: Plan,
  options: AwsOptions,
  ctx: CompileContext,
  inputs: { securityGroupIds: pulumi.Input<string>[]; placementGroupName?: pulumi.Input<string>; tags: Record<string, string> },
): ec2.LaunchTemplate {
  const interfaces = nodeInterfaces(plan, inputs.securityGroupIds[0]!).map((nic) => ({ ...nic, securityGroups: inputs.securityGroupIds }));
  const capacityBlock = plan.pricing === "capacity-block";
  const userData = nodeadmUserData(plan);
  return new ec2.LaunchTemplate(
    `${ctx.name}-lt`,
    {
      instanceType: plan.instanceType,
      // IMDSv2 only; hop limit 2 so pods on the node (VPC CNI, device plugins) can still reach it.
      // IMDSv2 with hop limit 1: pods (not host-network) cannot reach the node role's credentials.
      metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
      networkInterfaces: interfaces,
      ...(userData !== undefined ? { userData: Buffer.from(userData, "utf8").toString("base64") } : {}),
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
