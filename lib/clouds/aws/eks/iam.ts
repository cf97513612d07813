/**
 * The EKS node role, least privilege: what a node needs to join (worker node policy), run the VPC CNI, pull from
 * ECR and be reached through SSM Session Manager (no SSH). The buckets are the pods' (EKS Pod Identity), not the node's.
 */
import * as pulumi from "@pulumi/pulumi";
import * as iam from "@pulumi/aws/iam";
import type { CompileContext } from "../../types.js";
import { assumeRolePolicy } from "./cluster.js";

export const EKS_NODE_POLICIES = {
  worker: "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
  cni: "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
  ecrRead: "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
  ssm: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
};

export interface EksNodeRole {
  role: iam.Role;
  /** The attachments: a node group must not be created (or deleted) without them. */
  attachments: pulumi.Resource[];
}

/**
 * The node role. No bucket grant: pods get theirs through EKS Pod Identity (addons.ts), and nothing else on the node
 * needs the buckets.
 */
export function eksNodeRole(ctx: CompileContext, tags: Record<string, string>): EksNodeRole {
  const opts = { parent: ctx.parent };
  const role = new iam.Role(`${ctx.name}-node-role`, { assumeRolePolicy: assumeRolePolicy("ec2.amazonaws.com"), tags }, opts);
  const attachments: pulumi.Resource[] = Object.entries(EKS_NODE_POLICIES).map(
    ([key, arn]) => new iam.RolePolicyAttachment(`${ctx.name}-node-${key}`, { role: role.name, policyArn: arn }, opts),
  );
  return { role, attachments };
}
