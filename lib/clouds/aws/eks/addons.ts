/**
 * EKS add-ons and identities a new cluster needs for what the component builds to work as compiled:
 *
 * - the VPC CNI with its network policy agent on, so the component's NetworkPolicies (default-deny ingress, scoped
 *   egress) are enforced: without it EKS accepts them and enforces nothing
 *   (https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy-configure.html, add-on configuration
 *   `{"enableNetworkPolicy": "true"}`);
 * - the EKS Pod Identity agent, and a role trusted by `pods.eks.amazonaws.com` bound to the workload's service
 *   account, so the pods reach their buckets: the GPU nodes' IMDSv2 hop limit is 1, so pods never get the node role's
 *   credentials (https://docs.aws.amazon.com/eks/latest/userguide/pod-id-agent-setup.html,
 *   https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html);
 * - the Amazon EFS CSI driver when the workload has an EFS file system, so pods mount it over TLS, and the FSx for
 *   Lustre CSI driver when it has a Lustre file system (eks/storage.ts).
 *
 * An existing cluster (`aws.eks.clusterName`) keeps its own add-ons; the plan notes say what it must have.
 */
import type * as pulumi from "@pulumi/pulumi";
import { output as pulumiOutput } from "@pulumi/pulumi";
import * as eks from "@pulumi/aws/eks";
import * as iam from "@pulumi/aws/iam";
import type { CompileContext } from "../../types.js";
import { EKS_POD_ADDRESSES } from "../address-space.js";
import { bucketAccessPolicy } from "../iam.js";

/**
 * The VPC CNI add-on's configuration (keys of the add-on's schema): the network policy agent on, and a bounded pod
 * address pool per node (MINIMUM_IP_TARGET / WARM_IP_TARGET replace the default of a whole spare interface's addresses,
 * ~50 on a p5), so the GPU subnet's size check in address-space.ts holds.
 */
export const VPC_CNI_CONFIGURATION = {
  enableNetworkPolicy: "true",
  env: { MINIMUM_IP_TARGET: String(EKS_POD_ADDRESSES.minimum), WARM_IP_TARGET: String(EKS_POD_ADDRESSES.warm) },
} as const;

/** The service account the workload's pods run as: their namespace's `default` (the pod spec names none). */
export const WORKLOAD_SERVICE_ACCOUNT = "default";

/** Trust policy of a role EKS Pod Identity hands to pods (AssumeRole plus TagSession, as EKS requires). */
export const POD_IDENTITY_TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] }],
});

/**
 * The VPC CNI as a managed add-on with network policies on. EKS installs the CNI itself on a new cluster, so the
 * add-on takes over its objects on create (OVERWRITE) and keeps later hand edits on update (PRESERVE). Created before
 * the node groups, so nodes start with the agent.
 */
export function vpcCniAddon(clusterName: pulumi.Input<string>, ctx: CompileContext, tags: Record<string, string>, dependsOn: pulumi.Resource[]): eks.Addon {
  return new eks.Addon(
    `${ctx.name}-vpc-cni`,
    {
      clusterName,
      addonName: "vpc-cni",
      configurationValues: JSON.stringify(VPC_CNI_CONFIGURATION),
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "PRESERVE",
      tags,
    },
    { parent: ctx.parent, dependsOn },
  );
}

/**
 * The EKS Pod Identity agent (a daemonset that tolerates every taint, the GPU one included), created before the node
 * groups like the VPC CNI, so it runs on every node before a workload pod asks it for credentials.
 */
export function podIdentityAgent(clusterName: pulumi.Input<string>, ctx: CompileContext, tags: Record<string, string>, dependsOn: pulumi.Resource[]): eks.Addon {
  return new eks.Addon(
    `${ctx.name}-pod-identity-agent`,
    { clusterName, addonName: "eks-pod-identity-agent", resolveConflictsOnCreate: "OVERWRITE", resolveConflictsOnUpdate: "PRESERVE", tags },
    { parent: ctx.parent, dependsOn },
  );
}

/**
 * The workload's AWS identity: a role with read/write on the component's own buckets only, bound through EKS Pod
 * Identity to the service account its pods run as. Resources the workload must wait for (the pod identity webhook
 * injects credentials only into pods created after the association exists).
 */
export function bucketPodIdentity(
  clusterName: pulumi.Input<string>,
  namespace: string,
  bucketArns: pulumi.Output<string>[],
  ctx: CompileContext,
  tags: Record<string, string>,
): pulumi.Resource[] {
  if (bucketArns.length === 0) return [];
  const opts = { parent: ctx.parent };
  const role = new iam.Role(`${ctx.name}-pod-role`, { assumeRolePolicy: POD_IDENTITY_TRUST, tags }, opts);
  const grant = new iam.RolePolicy(`${ctx.name}-pod-buckets`, { role: role.id, policy: bucketAccessPolicy(bucketArns) }, opts);
  const association = new eks.PodIdentityAssociation(
    `${ctx.name}-pod-identity`,
    { clusterName, namespace, serviceAccount: WORKLOAD_SERVICE_ACCOUNT, roleArn: role.arn, tags },
    { parent: ctx.parent, dependsOn: [grant] },
  );
  return [grant, association];
}

/** The Cluster Autoscaler's service account (kube-system), the one its Pod Identity association names. */
export const CLUSTER_AUTOSCALER_SERVICE_ACCOUNT = "cluster-autoscaler";

/**
 * What the Cluster Autoscaler may do, from its AWS README (kubernetes/autoscaler
 * cluster-autoscaler/cloudprovider/aws/README.md, auto-discovery permissions): read the groups, instance types and
 * managed node groups (labels and taints when a group is at zero); change the size of, and terminate instances in,
 * only the Auto Scaling groups EKS tagged as this cluster's.
 */
export function clusterAutoscalerPolicy(clusterName: pulumi.Input<string>): pulumi.Output<string> {
  return pulumiOutput(clusterName).apply((name) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: [
            "autoscaling:DescribeAutoScalingGroups",
            "autoscaling:DescribeAutoScalingInstances",
            "autoscaling:DescribeLaunchConfigurations",
            "autoscaling:DescribeScalingActivities",
            "ec2:DescribeImages",
            "ec2:DescribeInstanceTypes",
            "ec2:DescribeLaunchTemplateVersions",
            "ec2:GetInstanceTypesFromInstanceRequirements",
            "eks:DescribeNodegroup",
          ],
          Resource: "*",
        },
        {
          Effect: "Allow",
          Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
          Resource: "*",
          // EKS tags every managed node group's Auto Scaling group with these.
          Condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${name}`]: "owned", "aws:ResourceTag/k8s.io/cluster-autoscaler/enabled": "true" } },
        },
      ],
    }),
  );
}

/** The Cluster Autoscaler's AWS identity through EKS Pod Identity. Returns what its release must wait for. */
export function clusterAutoscalerIdentity(clusterName: pulumi.Input<string>, ctx: CompileContext, tags: Record<string, string>): pulumi.Resource[] {
  const opts = { parent: ctx.parent };
  const role = new iam.Role(`${ctx.name}-autoscaler-role`, { assumeRolePolicy: POD_IDENTITY_TRUST, tags }, opts);
  const grant = new iam.RolePolicy(`${ctx.name}-autoscaler-policy`, { role: role.id, policy: clusterAutoscalerPolicy(clusterName) }, opts);
  const association = new eks.PodIdentityAssociation(
    `${ctx.name}-autoscaler-identity`,
    { clusterName, namespace: "kube-system", serviceAccount: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT, roleArn: role.arn, tags },
    { parent: ctx.parent, dependsOn: [grant] },
  );
  return [grant, association];
}

/**
 * The CSI driver add-ons that mount the workload's file systems into its pods (eks/storage.ts), one per storage kind:
 * - EFS (`aws-efs-csi-driver`, https://docs.aws.amazon.com/eks/latest/userguide/efs-csi.html, read 2026-11-30): mounts
 *   with encryption in transit. The driver calls the EFS API only to create and delete access points for dynamic
 *   provisioning; a static TLS mount through a mount target in the node's own subnet needs no AWS credential
 *   (terraform-aws-eks examples grant AmazonEFSCSIDriverPolicy for dynamic provisioning, which this component does not
 *   do). Its node daemonset tolerates every taint (the chart's `node.tolerations: [{operator: Exists}]`).
 * - FSx for Lustre (`aws-fsx-csi-driver`, https://docs.aws.amazon.com/eks/latest/userguide/fsx-csi.html, read
 *   2026-11-30), as aws-samples/awsome-distributed-training's EKS clusters mount theirs. The driver calls the FSx API
 *   only to create, resize and delete file systems for dynamic provisioning. Its node daemonset tolerates every taint
 *   (chart `node.tolerateAllTaints: true`, kubernetes-sigs/aws-fsx-csi-driver charts/aws-fsx-csi-driver/values.yaml,
 *   read 2026-11-30).
 * No IAM role for either: the component's volumes are statically provisioned. Both daemonsets reach the GPU nodes
 * through their taint, and both are created after the node groups: the controller Deployment must schedule before
 * EKS reports the add-on active.
 */
export const STORAGE_CSI_DRIVERS = {
  nfs: { addonName: "aws-efs-csi-driver", resource: "efs-csi-driver" },
  lustre: { addonName: "aws-fsx-csi-driver", resource: "fsx-csi-driver" },
} as const;

/** The add-on for one storage kind's CSI driver (STORAGE_CSI_DRIVERS). */
export function csiDriverAddon(kind: keyof typeof STORAGE_CSI_DRIVERS, clusterName: pulumi.Input<string>, ctx: CompileContext, tags: Record<string, string>, dependsOn: pulumi.Resource[]): eks.Addon {
  const driver = STORAGE_CSI_DRIVERS[kind];
  return new eks.Addon(
    `${ctx.name}-${driver.resource}`,
    { clusterName, addonName: driver.addonName, resolveConflictsOnCreate: "OVERWRITE", resolveConflictsOnUpdate: "PRESERVE", tags },
    { parent: ctx.parent, dependsOn },
  );
}
