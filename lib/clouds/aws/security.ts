/**
 * Security groups. Nothing is reachable from 0.0.0.0/0 unless the user asks
 * for an internet-facing load balancer; outbound is HTTPS/HTTP only (image and
 * package pulls through the NAT), plus all traffic among the cluster's members,
 * which EFA requires (it must be allowed both in and out to the group itself).
 */
import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import type { CompileContext } from "../types.js";

const ANYWHERE = "0.0.0.0/0";
const WEB_EGRESS = [
  { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: [ANYWHERE], description: "HTTPS out (ECR, S3, SSM, package mirrors) via NAT or endpoints" },
  { protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: [ANYWHERE], description: "HTTP out (OS package mirrors) via NAT" },
];

/** The cluster's group: all traffic among members (EFA, NCCL bootstrap, Lustre), web egress out. */
export function clusterSecurityGroup(vpcId: pulumi.Input<string>, ctx: CompileContext, tags: Record<string, string>): ec2.SecurityGroup {
  return new ec2.SecurityGroup(
    `${ctx.name}-nodes-sg`,
    {
      vpcId,
      description: "gpu-cluster nodes: all traffic among members only (EFA needs both directions to self)",
      ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, self: true, description: "all traffic from cluster members (EFA, NCCL, Lustre)" }],
      egress: [{ protocol: "-1", fromPort: 0, toPort: 0, self: true, description: "all traffic to cluster members (EFA requires it)" }, ...WEB_EGRESS],
      tags: { ...tags, Name: `${ctx.name}-nodes-sg` },
    },
    { parent: ctx.parent },
  );
}

/** A load balancer's group: the listener port from the VPC (internal) or from anywhere (internet-facing, explicit). */
export function loadBalancerSecurityGroup(
  vpcId: pulumi.Input<string>,
  vpcCidr: pulumi.Input<string>,
  internetFacing: boolean,
  targetPort: number,
  ctx: CompileContext,
  tags: Record<string, string>,
): ec2.SecurityGroup {
  const source = internetFacing ? [ANYWHERE] : [vpcCidr];
  return new ec2.SecurityGroup(
    `${ctx.name}-lb-sg`,
    {
      vpcId,
      description: internetFacing ? "gpu-cluster load balancer: HTTP from the internet (loadBalancer: internet-facing)" : "gpu-cluster load balancer: HTTP from inside the VPC",
      ingress: [{ protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: source, description: "listener" }],
      egress: [{ protocol: "tcp", fromPort: targetPort, toPort: targetPort, cidrBlocks: [vpcCidr], description: "to the model servers" }],
      tags: { ...tags, Name: `${ctx.name}-lb-sg` },
    },
    { parent: ctx.parent },
  );
}

/** The fleet's node group: the model server port from the load balancer only, web egress out. */
export function fleetNodeSecurityGroup(
  vpcId: pulumi.Input<string>,
  loadBalancerGroupId: pulumi.Input<string>,
  port: number,
  ctx: CompileContext,
  tags: Record<string, string>,
): ec2.SecurityGroup {
  return new ec2.SecurityGroup(
    `${ctx.name}-nodes-sg`,
    {
      vpcId,
      description: "gpu-cluster inference nodes: model port from the load balancer only",
      ingress: [{ protocol: "tcp", fromPort: port, toPort: port, securityGroups: [loadBalancerGroupId], description: "from the load balancer" }],
      egress: WEB_EGRESS,
      tags: { ...tags, Name: `${ctx.name}-nodes-sg` },
    },
    { parent: ctx.parent },
  );
}
