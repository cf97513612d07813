/**
 * SSH trust and the hostfile on an AWS VM training cluster (the shared pieces: lib/clouds/shared/cluster-ssh.ts).
 *
 * - **Where the key lives.** One Secrets Manager secret per cluster holds the cluster key (`privateKeyOpenssh`),
 *   encrypted under the cluster's own customer managed KMS key. Only the node role may read it: `GetSecretValue` on
 *   that one secret, and `kms:Decrypt` on that one key only through Secrets Manager for that one secret
 *   ({@link clusterSshPolicy}). A principal with broad `secretsmanager:*` in the account (the deployer, who must read
 *   the value back on refresh) can still read it: a resource policy denying everyone else would also lock out
 *   `pulumi refresh`, so none is set.
 * - **Who the peers are.** The running instances carrying the component's `gpu-cluster:node-group` tag (propagated by
 *   the Auto Scaling group at launch, lib/clouds/aws/tags.ts), not the group's generated name: the user data that lists
 *   them is an input of the launch template the group depends on. The value is `<project>/<stack>/<component>`, so two
 *   stacks of one project (dev, prod) in one account never see each other's nodes.
 * - **What the image has.** The default AMI (Deep Learning Base OSS Nvidia Driver GPU AMI, Ubuntu 22.04) ships the AWS
 *   CLI, which the node health check already calls (lib/clouds/shared/vm-health.ts), and logs in as `ubuntu`.
 */
import * as pulumi from "@pulumi/pulumi";
import * as iam from "@pulumi/aws/iam";
import * as kms from "@pulumi/aws/kms";
import * as secretsmanager from "@pulumi/aws/secretsmanager";
import type { Plan } from "../../planner/types.js";
import { SpecError } from "../../spec/errors.js";
import type { CompileContext } from "../types.js";
import { shellQuote } from "../shared/bootstrap.js";
import { clusterKey } from "../shared/cluster-key.js";
import { clusterSshLines, type ClusterSshSource } from "../shared/cluster-ssh.js";
import { clusterSshPolicy } from "./iam.js";
import { billedItem, billedOnce, billedOne } from "../shared/bill.js";

/** The tag every node of a training cluster carries, and the peers and the fabric gate filter on. */
export const NODE_GROUP_TAG = "gpu-cluster:node-group";

/** The login account of the default AMI (Ubuntu DLAMI), which gets the key besides root. */
export const DLAMI_LOGIN_USERS = ["ubuntu"] as const;

/**
 * Characters EC2 accepts in a tag value (letters, digits, spaces and `_ . : / = + - @`, up to 256;
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Tags.html#tag-restrictions, read 2026-11-30), without the
 * comma, which the CLI's `Name=…,Values=…` shorthand would split on.
 */
const TAG_VALUE = /^[A-Za-z0-9 _.:/=+\-@]{1,256}$/;

/** The `gpu-cluster:node-group` value: `<project>/<stack>/<component>`, fixed for the stack's life. */
export function nodeGroupTagValue(name: string): string {
  const value = `${pulumi.getProject()}/${pulumi.getStack()}/${name}`;
  if (!TAG_VALUE.test(value)) {
    throw new SpecError("name", `'${value}' (project/stack/component) is not a valid EC2 tag value`, "use letters, digits and - _ . in the project, stack and component names");
  }
  return value;
}

/**
 * The running members' private IPv4 addresses (the primary interface's; `efa-only` interfaces have none).
 * `ec2:DescribeInstances` cannot be scoped to resources or tags: the service authorization reference lists no resource
 * type for it (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html, read
 * 2026-11-30), so the node role holds it on `*`; it reveals instance metadata, not data.
 */
export function listPeersCommand(region: string, groupTagValue: string): string {
  return describeGroupMembers(region, groupTagValue, "PrivateIpAddress");
}

/**
 * `aws ec2 describe-instances` for the group's running members (by the stack's node-group tag), printing `fields` (a
 * JMESPath field or `[a,b,…]` list) per instance as text. Shared by the hostfile and the fabric gate's pair.
 */
export function describeGroupMembers(region: string, groupTagValue: string, fields: string): string {
  return [
    "aws ec2 describe-instances",
    `--region ${shellQuote(region)}`,
    `--filters ${shellQuote(`Name=tag:${NODE_GROUP_TAG},Values=${groupTagValue}`)} Name=instance-state-name,Values=running`,
    `--query 'Reservations[].Instances[].${fields}' --output text`,
  ].join(" ");
}

/** The key, with the node role's credentials (the CLI takes them from IMDSv2). */
export function privateKeyCommand(region: string, secretArn: string): string {
  return `aws secretsmanager get-secret-value --region ${shellQuote(region)} --secret-id ${shellQuote(secretArn)} --query SecretString --output text`;
}

export interface AwsClusterSsh {
  /** The bootstrap lines (key install, hostfile timer), once the secret's ARN is known. */
  lines: pulumi.Output<string[]>;
  secret: secretsmanager.Secret;
  key: kms.Key;
}

/** The boot lines of the cluster's SSH trust (key install, hostfile timer) once the secret's ARN is known. */
export function awsClusterSshLines(plan: Plan, secretArn: string, groupTagValue: string): string[] {
  const source: ClusterSshSource = {
    privateKeyCommand: privateKeyCommand(plan.region, secretArn),
    listPeersCommand: listPeersCommand(plan.region, groupTagValue),
    keySource: `Secrets Manager secret ${secretArn}`,
    users: DLAMI_LOGIN_USERS,
  };
  return clusterSshLines(source, plan.nodeCount, plan.gpusPerNode);
}

/**
 * The cluster key in Secrets Manager and the node role's read of it, where the bill carries the secret: every VM
 * training cluster (one node too, so a cluster grown later already trusts itself: `vmClusterTrust` in
 * ../shared/cluster-ssh.ts, which the bill reads); undefined for a fleet. The secret comes with its own KMS key, which
 * the bill must carry too. `role`: the node role's name.
 */
export function awsClusterSsh(plan: Plan, ctx: CompileContext, tags: Record<string, string>, role: pulumi.Input<string>, groupTagValue: string): AwsClusterSsh | undefined {
  const secretItem = billedOnce(ctx.bill, "secret");
  if (secretItem === undefined) return undefined;
  billedOne(secretItem, "Secrets Manager secret (the cluster's SSH key)");
  billedOne(billedItem(ctx.bill, "kms-key", "the KMS key of the SSH key's secret"), "KMS key (the SSH key's secret's)");
  const opts = { parent: ctx.parent };
  const sshKey = clusterKey(ctx);
  // Its own key, so only a grant on this key (the node role's, through Secrets Manager) decrypts the secret.
  // Deleted 7 days after a destroy, the shortest window KMS allows: the secret it protects is deleted at once (below).
  const key = new kms.Key(`${ctx.name}-ssh-key`, { description: `${ctx.name}: the cluster SSH key's secret`, enableKeyRotation: true, deletionWindowInDays: 7, tags }, opts);
  const secret = new secretsmanager.Secret(
    `${ctx.name}-ssh-key`,
    {
      description: `${ctx.name}: the cluster's SSH private key (OpenSSH), read by its nodes at boot`,
      kmsKeyId: key.arn,
      // Deleted at once, no recovery window: the key's source is the stack's state (tls.PrivateKey), which a destroy
      // removes with it, so a window would only keep a private key restorable after its cluster is gone. The name is
      // Pulumi's auto-name from the component's name, so a new stack never collides with a secret pending deletion.
      // https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DeleteSecret.html (read 2026-11-30).
      recoveryWindowInDays: 0,
      tags,
    },
    opts,
  );
  new secretsmanager.SecretVersion(`${ctx.name}-ssh-key`, { secretId: secret.id, secretString: sshKey.privateKeyOpenssh }, opts);
  new iam.RolePolicy(`${ctx.name}-node-cluster-ssh`, { role, policy: pulumi.all([secret.arn, key.arn]).apply(([s, k]) => clusterSshPolicy(s, k, plan.region)) }, opts);

  // The secret's resource id is its ARN (what `--secret-id` and the failure message name).
  const lines = secret.id.apply((arn) => awsClusterSshLines(plan, arn, groupTagValue));
  return { lines, secret, key };
}
