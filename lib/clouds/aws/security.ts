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

/**
 * A load balancer's group: the listener port from the VPC (internal) or, internet-facing, from the client ranges the
 * spec names (`aws.allowedSourceRanges`, required there: options.ts; `['0.0.0.0/0']` only when the user types it).
 * `vpcCidrs`: every IPv4 block of the VPC (network.ts `cidrBlocks`: the primary and, in an existing VPC, each associated
 * secondary block), since clients and the fleet's nodes may sit in any of them; a security group rule admits only the
 * blocks it names (https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html, read 2026-11-30).
 */
export function loadBalancerSecurityGroup(
  vpcId: pulumi.Input<string>,
  vpcCidrs: pulumi.Input<string[]>,
  internetClients: readonly string[] | undefined,
  tls: boolean,
  targetPort: number,
  ctx: CompileContext,
  tags: Record<string, string>,
): ec2.SecurityGroup {
  const internetFacing = internetClients !== undefined;
  const source: pulumi.Input<string[]> = internetClients ? [...internetClients] : vpcCidrs;
  // With TLS, port 80 only answers with a redirect to 443.
  const listeners = tls ? [80, 443] : [80];
  return new ec2.SecurityGroup(
    `${ctx.name}-lb-sg`,
    {
      vpcId,
      description: internetFacing ? "gpu-cluster load balancer: HTTPS from the internet (loadBalancer: internet-facing)" : "gpu-cluster load balancer: HTTP(S) from inside the VPC",
      ingress: listeners.map((port) => ({ protocol: "tcp", fromPort: port, toPort: port, cidrBlocks: source, description: port === 443 ? "HTTPS listener" : tls ? "HTTP, redirected to HTTPS" : "HTTP listener" })),
      egress: [{ protocol: "tcp", fromPort: targetPort, toPort: targetPort, cidrBlocks: vpcCidrs, description: "to the model servers" }],
      tags: { ...tags, Name: `${ctx.name}-lb-sg` },
    },
    { parent: ctx.parent },
  );
}

/** The fleet's node group: the model server port from the load balancer only, web egress out. `vpcCidrs`: as above. */
export function fleetNodeSecurityGroup(
  vpcId: pulumi.Input<string>,
  vpcCidrs: pulumi.Input<string[]>,
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
      ingress: [
        { protocol: "tcp", fromPort: port, toPort: port, securityGroups: [loadBalancerGroupId], description: "from the load balancer" },
        // Lustre servers call back to their clients.
        ...STORAGE_PORTS.filter((p) => p.fromPort !== 2049).map((p) => ({ ...p, cidrBlocks: vpcCidrs, description: `${p.description} callbacks from the VPC` })),
      ],
      egress: [...WEB_EGRESS, ...storageEgress(vpcCidrs)],
      tags: { ...tags, Name: `${ctx.name}-nodes-sg` },
    },
    { parent: ctx.parent },
  );
}

/** Ports the nodes use to reach shared file systems: NFS (EFS) and Lustre (FSx: 988, 1018-1023). */
const STORAGE_PORTS = [
  { protocol: "tcp", fromPort: 2049, toPort: 2049, description: "NFS (EFS)" },
  { protocol: "tcp", fromPort: 988, toPort: 988, description: "Lustre (FSx)" },
  { protocol: "tcp", fromPort: 1018, toPort: 1023, description: "Lustre (FSx)" },
];

/** Egress rules that let nodes reach file systems inside the VPC. */
export function storageEgress(vpcCidrs: pulumi.Input<string[]>): { protocol: string; fromPort: number; toPort: number; cidrBlocks: pulumi.Input<string[]>; description: string }[] {
  return STORAGE_PORTS.map((p) => ({ ...p, cidrBlocks: vpcCidrs, description: `to ${p.description} in the VPC` }));
}

/** The Lustre ports alone (FSx's servers talk to each other on them). */
export const LUSTRE_PORTS = STORAGE_PORTS.filter((p) => p.fromPort !== 2049);

/**
 * The group of a fleet's file systems: the NFS / Lustre ports from the fleet's nodes, and the Lustre ports from the
 * group itself. FSx for Lustre's file servers talk to each other through the file system's own group, and FSx refuses
 * to create a file system whose group does not admit TCP 988 and 1018-1023 from itself
 * (https://docs.aws.amazon.com/fsx/latest/LustreGuide/limit-access-security-groups.html).
 */
export function storageSecurityGroup(vpcId: pulumi.Input<string>, nodeGroupId: pulumi.Input<string>, ctx: CompileContext, tags: Record<string, string>): ec2.SecurityGroup {
  return new ec2.SecurityGroup(
    `${ctx.name}-storage-sg`,
    {
      vpcId,
      description: "gpu-cluster file systems: NFS and Lustre from the fleet's nodes, Lustre among the file servers",
      ingress: [
        ...STORAGE_PORTS.map((p) => ({ ...p, securityGroups: [nodeGroupId], description: `${p.description} from the nodes` })),
        ...LUSTRE_PORTS.map((p) => ({ ...p, self: true, description: `${p.description} among the file servers` })),
      ],
      // Lustre servers call back to clients on the same ports, and to each other.
      egress: [
        ...STORAGE_PORTS.map((p) => ({ ...p, securityGroups: [nodeGroupId], description: `${p.description} to the nodes` })),
        ...LUSTRE_PORTS.map((p) => ({ ...p, self: true, description: `${p.description} among the file servers` })),
      ],
      tags: { ...tags, Name: `${ctx.name}-storage-sg` },
    },
    { parent: ctx.parent },
  );
}
