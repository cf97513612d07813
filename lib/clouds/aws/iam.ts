/**
 * The nodes' IAM role, least privilege: SSM Session Manager (no SSH, no open
 * port), read-only ECR pulls, and read/write on the cluster's own buckets only.
 */
import { asgHealthPolicy } from "../shared/vm-health.js";
import * as pulumi from "@pulumi/pulumi";
import * as iam from "@pulumi/aws/iam";
import type { CompileContext } from "../types.js";

const MANAGED_POLICIES = {
  ssm: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
  ecrRead: "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
};

/** Read/write on the cluster's own buckets and nothing else (the one bucket grant every AWS node role uses). */
export function bucketAccessPolicy(bucketArns: pulumi.Output<string>[]): pulumi.Output<string> {
  return pulumi.all(bucketArns).apply((arns) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: arns },
        { Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"], Resource: arns.map((a) => `${a}/*`) },
      ],
    }),
  );
}

export interface NodeIdentity {
  role: iam.Role;
  instanceProfile: iam.InstanceProfile;
}

/**
 * Role + instance profile; `bucketArns` are the buckets the nodes may read and write. `groupTag`: the tag only this
 * stack's Auto Scaling group carries (`gpu-cluster:node-group` = project/stack/component), which scopes the nodes'
 * SetInstanceHealth to their own group.
 */
export function nodeIdentity(ctx: CompileContext, bucketArns: pulumi.Output<string>[], tags: Record<string, string>, groupTag: { key: string; value: string }): NodeIdentity {
  const opts = { parent: ctx.parent };
  const role = new iam.Role(
    `${ctx.name}-node-role`,
    {
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
      tags,
    },
    opts,
  );
  for (const [role_, arn] of Object.entries(MANAGED_POLICIES)) {
    new iam.RolePolicyAttachment(`${ctx.name}-node-${role_}`, { role: role.name, policyArn: arn }, opts);
  }
  if (bucketArns.length > 0) {
    new iam.RolePolicy(
      `${ctx.name}-node-buckets`,
      {
        role: role.id,
        policy: bucketAccessPolicy(bucketArns),
      },
      opts,
    );
  }
  // A node whose GPUs or fabric fail marks itself Unhealthy in its own Auto Scaling group, which replaces it; never in
  // another stack's group of the same component name.
  new iam.RolePolicy(`${ctx.name}-node-health`, { role: role.id, policy: asgHealthPolicy([`${ctx.name}-nodes-`], groupTag) }, opts);
  const instanceProfile = new iam.InstanceProfile(`${ctx.name}-node-profile`, { role: role.name, tags }, opts);
  return { role, instanceProfile };
}

/**
 * What a training node needs for the cluster's SSH trust (lib/clouds/aws/cluster-ssh.ts): read the one secret, decrypt
 * with its one key only through Secrets Manager in the plan's region and only for that secret (Secrets Manager's
 * encryption context is the secret's ARN: https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html;
 * kms:ViaService: https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html, read 2026-11-30), and list
 * the group's members. `ec2:DescribeInstances` supports no resource type or tag condition (service authorization
 * reference, https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html, read 2026-11-30),
 * so it is granted on `*`.
 */
export function clusterSshPolicy(secretArn: string, keyArn: string, region: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secretArn },
      {
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: keyArn,
        Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com`, "kms:EncryptionContext:SecretARN": secretArn } },
      },
      { Effect: "Allow", Action: "ec2:DescribeInstances", Resource: "*" },
    ],
  });
}

/**
 * The fabric gate's verdict (lib/clouds/aws/fabric-gate.ts): read and write the cluster's one SSM parameter, nothing
 * else (both actions take the parameter's ARN as resource:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssystemsmanager.html, read 2026-11-30).
 * Listing the group for the pair is `ec2:DescribeInstances`, already in {@link clusterSshPolicy}.
 */
export function fabricGatePolicy(parameterArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: ["ssm:GetParameter", "ssm:PutParameter"], Resource: parameterArn }],
  });
}

/**
 * What the nodes' CloudWatch agent needs for the GPU metrics (lib/clouds/aws/gpu-metrics.ts): `PutMetricData` into one
 * namespace. The action takes no resource ARN, so its scope is the `cloudwatch:namespace` condition key
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/iam-cw-condition-keys-namespace.html, read
 * 2026-11-30: "Allowing publishing in one namespace only"). Not AWS's managed CloudWatchAgentServerPolicy, which also
 * grants CloudWatch Logs writes, `ec2:DescribeTags` / `ec2:DescribeVolumes` and reads of `AmazonCloudWatch-*` SSM
 * parameters: an agent with a local, metrics-only config and instance-metadata dimensions uses none of them.
 */
export function gpuMetricsPolicy(namespace: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "cloudwatch:PutMetricData", Resource: "*", Condition: { StringEquals: { "cloudwatch:namespace": namespace } } }],
  });
}
