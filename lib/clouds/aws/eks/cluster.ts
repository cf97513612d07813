/**
 * The EKS control plane: a cluster with a private API endpoint (public only when asked, and then only for the
 * given CIDRs), Kubernetes secrets envelope-encrypted with a KMS key of its own, a cluster role with
 * AmazonEKSClusterPolicy, API access entries and audit logs. Or an existing cluster, looked up by name.
 */
import * as pulumi from "@pulumi/pulumi";
import * as eks from "@pulumi/aws/eks";
import * as iam from "@pulumi/aws/iam";
import * as ec2 from "@pulumi/aws/ec2";
import * as kms from "@pulumi/aws/kms";
import type { CompileContext } from "../../types.js";
import type { EksOptions } from "./options.js";
import { DEFAULT_EKS_VERSION } from "./autoscaler-version.js";
import { billedItem, billedOne } from "../../shared/bill.js";

export interface EksControlPlane {
  name: pulumi.Output<string>;
  endpoint: pulumi.Output<string>;
  certificateAuthority: pulumi.Output<string>;
  /** The security group EKS creates for control plane ↔ node traffic; the nodes join it. */
  clusterSecurityGroupId: pulumi.Output<string>;
  /** The cluster resource, when this component made it. */
  cluster?: eks.Cluster;
}

/** Trust policy that lets an AWS service assume a role. */
export function assumeRolePolicy(service: string): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }] });
}

/**
 * The network a new cluster's private endpoint sits in: its VPC and every IPv4 block of the VPC (always admitted on
 * 443): the primary and, in an existing VPC, its associated secondary blocks (network.ts `cidrBlocks`), where runners,
 * nodes or pods (VPC CNI custom networking) may sit.
 */
export interface EksEndpointNetwork {
  vpcId: pulumi.Input<string>;
  vpcCidrs: pulumi.Input<string[]>;
}

export function eksControlPlane(options: EksOptions, subnetIds: pulumi.Input<string>[], ctx: CompileContext, tags: Record<string, string>, endpoint?: EksEndpointNetwork): EksControlPlane {
  if (options.clusterName !== undefined) {
    const existing = eks.getClusterOutput({ name: options.clusterName }, { parent: ctx.parent });
    return {
      name: existing.name,
      endpoint: existing.endpoint,
      certificateAuthority: existing.certificateAuthorities.apply((cas) => cas[0]?.data ?? ""),
      clusterSecurityGroupId: existing.vpcConfig.clusterSecurityGroupId,
    };
  }
  // A cluster this component creates is billed (its control plane, its secrets key): the bill must carry both.
  billedItem(ctx.bill, "control-plane", "the EKS cluster");
  billedOne(billedItem(ctx.bill, "kms-key", "the EKS cluster's secrets key"), "KMS key (the EKS secrets key)");
  const opts = { parent: ctx.parent };
  const role = new iam.Role(`${ctx.name}-cluster-role`, { assumeRolePolicy: assumeRolePolicy("eks.amazonaws.com"), tags }, opts);
  const policy = new iam.RolePolicyAttachment(`${ctx.name}-cluster-policy`, { role: role.name, policyArn: "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy" }, opts);
  const key = new kms.Key(
    `${ctx.name}-secrets-key`,
    { description: `${ctx.name}: EKS secrets envelope encryption`, enableKeyRotation: true, deletionWindowInDays: 30, tags },
    opts,
  );
  // The private endpoint's interfaces admit HTTPS from the VPC (a runner there) and privateAccessCidrs (a peered VPC, a
  // VPN): EKS's own cluster group admits only the cluster's members (https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html).
  const apiGroup = endpoint
    ? new ec2.SecurityGroup(
        `${ctx.name}-api-sg`,
        {
          vpcId: endpoint.vpcId,
          description: "EKS private API endpoint: HTTPS from the VPC and privateAccessCidrs",
          ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: pulumi.output(endpoint.vpcCidrs).apply((vpc) => [...new Set([...vpc, ...(options.privateAccessCidrs ?? [])])]), description: "kubectl / pulumi up" }],
          tags: { ...tags, Name: `${ctx.name}-api-sg` },
        },
        opts,
      )
    : undefined;
  const cluster = new eks.Cluster(
    `${ctx.name}-eks`,
    {
      roleArn: role.arn,
      version: options.kubernetesVersion ?? DEFAULT_EKS_VERSION,
      vpcConfig: {
        subnetIds,
        endpointPrivateAccess: true,
        ...(apiGroup ? { securityGroupIds: [apiGroup.id] } : {}),
        endpointPublicAccess: options.publicEndpoint === true,
        ...(options.publicEndpoint === true ? { publicAccessCidrs: options.publicAccessCidrs } : {}),
      },
      encryptionConfig: { provider: { keyArn: key.arn }, resources: ["secrets"] },
      // Access entries (not the aws-auth ConfigMap); the deployer gets cluster admin to install the bootstrap.
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
      enabledClusterLogTypes: ["audit", "authenticator"],
      tags,
    },
    // Unpinned: the default moving in a later release never upgrades a running cluster; pinning a version does.
    { parent: ctx.parent, dependsOn: [policy], ...(options.kubernetesVersion === undefined ? { ignoreChanges: ["version"] } : {}) },
  );
  return {
    name: cluster.name,
    endpoint: cluster.endpoint,
    certificateAuthority: cluster.certificateAuthority.apply((ca) => ca.data ?? ""),
    clusterSecurityGroupId: cluster.vpcConfig.apply((v) => v.clusterSecurityGroupId ?? ""),
    cluster,
  };
}

/** A kubeconfig for the cluster that authenticates through `aws eks get-token` (no static credential in state). */
export function kubeconfig(plane: EksControlPlane, region: string): pulumi.Output<string> {
  return pulumi.all([plane.name, plane.endpoint, plane.certificateAuthority]).apply(([name, server, ca]) =>
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name, cluster: { server, "certificate-authority-data": ca } }],
      contexts: [{ name, context: { cluster: name, user: name } }],
      "current-context": name,
      users: [
        {
          name,
          user: { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws", args: ["eks", "get-token", "--cluster-name", name, "--region", region] } },
        },
      ],
    }),
  );
}
