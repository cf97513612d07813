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
import { gpuRootVolume, nodeInterfaces } from "../launch-template.js";
import { lustreEfaClientPart, needsLustreEfaClient } from "./lustre-efa.js";
import { lustreModuleOptionsLines, lustreTuningTimerLines } from "../lustre-tuning.js";
import { billedGpuNodeGroup } from "../../shared/bill.js";

/**
 * nodeadm's node configuration when the instance has instance store: RAID0 over every instance-store disk, on which
 * nodeadm puts the kubelet's and containerd's directories, so container images and the pods' emptyDir scratch live
 * on local NVMe (github.com/awslabs/amazon-eks-ami nodeadm/doc/api.md LocalStorageOptions at 81fec2e8, 2026-07-23;
 * terraform-aws-eks tests/eks-managed-node-group/main.tf at bef29c4d, `localStorage: strategy: RAID0`; read
 * 2026-11-30).
 */
const LOCAL_STORAGE_PART = [
  "Content-Type: application/node.eks.aws",
  "",
  "---",
  "apiVersion: node.eks.aws/v1alpha1",
  "kind: NodeConfig",
  "spec:",
  "  instance:",
  "    localStorage:",
  "      strategy: RAID0",
];

/**
 * The Lustre client, when the plan mounts FSx for Lustre in pods: the FSx CSI driver mounts on the node, and the EKS
 * AL2023 NVIDIA AMI has no lustre-client (awslabs/amazon-eks-ami PR #2696, closed: its maintainers point to installing
 * it in user data; kubernetes-sigs/aws-fsx-csi-driver issue #437; read 2026-11-30). On Amazon Linux 2023 it is
 * `dnf install -y lustre-client` from the distribution's own repository, whose kernel module matches the AMI's kernel
 * (https://docs.aws.amazon.com/fsx/latest/LustreGuide/install-lustre-client.html, Amazon Linux 2023; the EKS guide's
 * node user-data example, https://docs.aws.amazon.com/eks/latest/userguide/fsx-csi-tuning-non-efa.html, read
 * 2026-11-30). The repository is in S3, reached through the NAT gateway or the S3 gateway endpoint.
 * A failure is written to the console and the script exits non-zero, so `cloud-init status` and the instance's
 * console output (`aws ec2 get-console-output`) name it, and the pods' Lustre mounts fail with the driver's error.
 *
 * The first shell part of the user data, so FSx's module options for large instances (lustre-efa-client.ts
 * lustre-tuning.ts: ptlrpc and ksocklnd, above 64 vCPUs) are in /etc/modprobe.d before anything loads a Lustre or LNet
 * module; the file persists, so every later boot loads them with it. With an EFA-enabled file system the LNet-over-EFA
 * part loads the modules itself, after configuring LNet (lustre-efa.ts), so this part only checks that the client has a
 * lustre module for the running kernel (`modinfo`) instead of loading it. The mounted-client settings of the same page
 * (`lctl set_param` of the lock LRU and RPCs) come from a timer the part installs (lustre-tuning.ts
 * lustreTuningTimerLines): the FSx CSI driver mounts when a pod lands, and the node has no hook after that mount.
 */
export function lustreClientPart(plan: Pick<Plan, "instance" | "storage">): string[] {
  return [
    'Content-Type: text/x-shellscript; charset="us-ascii"',
    "",
    "#!/bin/bash",
    "# gpu-cluster: the Lustre client for FSx for Lustre volumes (lib/clouds/aws/eks/launch-template.ts).",
    "set -uo pipefail",
    'lustre_failed() { echo "gpu-cluster: $1: FSx for Lustre volumes will not mount on this node" | tee /dev/console >&2; exit 1; }',
    ...lustreModuleOptionsLines(plan.instance),
    "dnf install -y lustre-client || lustre_failed 'dnf install -y lustre-client failed (no route to the Amazon Linux repository in S3?)'",
    needsLustreEfaClient(plan)
      ? 'modinfo lustre >/dev/null 2>&1 || lustre_failed "lustre-client has no kernel module for kernel $(uname -r)"'
      : 'modprobe lustre || lustre_failed "lustre-client has no kernel module for kernel $(uname -r)"',
    ...lustreTuningTimerLines(plan.instance),
  ];
}

/**
 * The node's MIME multi-part user data: nodeadm's local-storage setting (instance store) and the Lustre client
 * (Lustre storage), or undefined when it needs neither. A managed node group with a launch template but no AMI id
 * takes MIME multi-part user data and merges its own part in (https://docs.aws.amazon.com/eks/latest/userguide/launch-templates.html).
 */
export function nodeadmUserData(plan: Plan): string | undefined {
  const parts = [
    ...((plan.instance.localNvmeGiB ?? 0) > 0 ? [LOCAL_STORAGE_PART] : []),
    ...(plan.storage.some((s) => s.kind === "lustre") ? [lustreClientPart(plan)] : []),
    // After the client: LNet over EFA for an EFA-enabled file system, before the kubelet (lustre-efa.ts).
    ...(needsLustreEfaClient(plan) ? [lustreEfaClientPart(plan)] : []),
  ];
  if (parts.length === 0) return undefined;
  return ["MIME-Version: 1.0", 'Content-Type: multipart/mixed; boundary="GPUCLUSTER"', "", ...parts.flatMap((part) => ["--GPUCLUSTER", ...part, ""]), "--GPUCLUSTER--", ""].join("\n");
}

export function eksLaunchTemplate(
  plan: Plan,
  ctx: CompileContext,
  inputs: { securityGroupIds: pulumi.Input<string>[]; placementGroupName?: pulumi.Input<string>; tags: Record<string, string> },
): ec2.LaunchTemplate {
  // The instance type as billed (lib/clouds/shared/bill.ts billedGpuNodeGroup: the plan's, or an Error). Here, not in the node group's
  // instanceTypes: "if you specify an instance type in your launch template and specify any instanceTypes, the node
  // group deployment will fail" (EKS CreateNodegroup request, instanceTypes:
  // https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/eks/aws.sdk.kotlin.services.eks.model/-create-nodegroup-request/instance-types.html, read 2026-12-01).
  const { instanceType } = billedGpuNodeGroup(plan, ctx.bill);
  const interfaces = nodeInterfaces(plan, inputs.securityGroupIds[0]!).map((nic) => ({ ...nic, securityGroups: inputs.securityGroupIds }));
  const capacityBlock = plan.pricing === "capacity-block";
  const userData = nodeadmUserData(plan);
  return new ec2.LaunchTemplate(
    `${ctx.name}-lt`,
    {
      instanceType,
      // IMDSv2 with hop limit 1: pods (not host-network) cannot reach the node role's credentials.
      metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
      networkInterfaces: interfaces,
      ...(userData !== undefined ? { userData: Buffer.from(userData, "utf8").toString("base64") } : {}),
      // AL2023 EKS AMIs boot from /dev/xvda.
      blockDeviceMappings: [
        { deviceName: "/dev/xvda", ebs: { ...gpuRootVolume(ctx.bill), encrypted: "true", deleteOnTermination: "true" } },
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
