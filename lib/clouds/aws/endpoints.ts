/**
 * What an AWS VM cluster without a NAT gateway (`egress.natGateway: false`) needs to reach AWS: interface VPC
 * endpoints with private DNS, so the regional service names resolve to addresses inside the VPC. Pure (no Pulumi): the
 * bill of materials carries this list (lib/cost/bom/aws-vm.ts), the estimate prices it and the compiler builds it
 * from the bill (network.ts).
 *
 * S3 needs no interface endpoint: every AWS network gets the free S3 gateway endpoint.
 */
import type { Plan } from "../../planner/types.js";
import { vmClusterTrust } from "../shared/cluster-ssh.js";

/**
 * The interface endpoints, by service suffix (`com.amazonaws.<region>.<suffix>`), and why each is there:
 * - SSM Session Manager is the only way into a node (no SSH): `ssm`, `ssmmessages`, `ec2messages`
 *   (https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-create-vpc.html);
 * - container images from ECR: `ecr.api`, `ecr.dkr` (layers come from S3 through the gateway endpoint)
 *   (https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html);
 * - `sts` for role credentials in SDKs that use regional STS, `ec2` for the EC2 API calls of node tooling;
 * - `autoscaling` for the node health loop (lib/clouds/shared/vm-health.ts): a sick node calls
 *   `aws autoscaling set-instance-health`, and without this endpoint that call never leaves the VPC, so the node is
 *   never replaced (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-vpc-endpoints.html, read
 *   2026-11-30: interface endpoint `com.amazonaws.<region>.autoscaling`).
 */
export const AIR_GAPPED_ENDPOINT_SERVICES = ["ec2", "ecr.api", "ecr.dkr", "sts", "ssm", "ssmmessages", "ec2messages", "autoscaling"] as const;

/**
 * A training cluster of 2 or more nodes also reads its SSH key from Secrets Manager at boot (lib/clouds/aws/cluster-ssh.ts):
 * `secretsmanager` (https://docs.aws.amazon.com/secretsmanager/latest/userguide/vpc-endpoint-overview.html, read
 * 2026-11-30). Secrets Manager decrypts with KMS itself, so the nodes need no `kms` endpoint. Listing the peers uses
 * `ec2`, already there.
 */
export const CLUSTER_SSH_ENDPOINT_SERVICES = ["secretsmanager"] as const;

export interface InterfaceEndpointPlan {
  /** Service suffixes, one interface endpoint each. */
  services: readonly string[];
  /** Availability zones each endpoint has a network interface in (one per private subnet; billed per zone). */
  zones: number;
}

/**
 * The interface endpoints an AWS VM cluster needs, or undefined when it needs none (a NAT gateway
 * reaches the services; EKS without a NAT gateway is refused by the EKS checks). The zones are the private subnets:
 * one for training (EFA keeps the nodes in one subnet), two for a fleet.
 */
export function interfaceEndpoints(plan: Pick<Plan, "cloud" | "orchestrator" | "workload" | "egress" | "nodeCount">): InterfaceEndpointPlan | undefined {
  if (plan.cloud !== "aws" || plan.orchestrator !== "vm" || plan.egress.natGateway) return undefined;
  const clusterSsh = vmClusterTrust(plan) ? CLUSTER_SSH_ENDPOINT_SERVICES : [];
  return { services: [...AIR_GAPPED_ENDPOINT_SERVICES, ...clusterSsh], zones: plan.workload === "training" ? 1 : 2 };
}
