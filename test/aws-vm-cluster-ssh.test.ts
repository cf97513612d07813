/**
 * SSH trust and the hostfile on AWS VM training clusters (lib/clouds/aws/cluster-ssh.ts): the key in a KMS-encrypted
 * Secrets Manager secret only the node role reads, the peers listed by the component's own tag, and the bootstrap that
 * uses both. Sources: Secrets Manager encryption context (https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html),
 * kms:ViaService (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html), EC2's service authorization
 * reference (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html: DescribeInstances
 * has no resource type), all read 2026-11-30.
 */
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { listPeersCommand, privateKeyCommand } from "../lib/clouds/aws/cluster-ssh.js";
import { clusterSshPolicy } from "../lib/clouds/aws/iam.js";
import { one, ofType, run, T } from "./helpers/offline.js";

const userData = (result: Awaited<ReturnType<typeof run>>) => Buffer.from(one(result, T.lt).inputs.userData as string, "base64").toString("utf8");

function cluster(nodes: number) {
  return () => new gpu.TrainingCluster("train", { cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes } });
}

describe("AWS VM cluster SSH trust", () => {
  it("keeps the key in a Secrets Manager secret under the cluster's own rotating KMS key, deleted at once with the stack", async () => {
    const result = await run(cluster(2), { project: "proj", stack: "dev" });
    expect(result.error).toBeUndefined();
    const secret = one(result, "aws:secretsmanager/secret:Secret");
    const key = one(result, "aws:kms/key:Key");
    expect(secret.name).toBe("train-ssh-key");
    expect(secret.inputs.recoveryWindowInDays).toBe(0);
    expect(secret.inputs.kmsKeyId).toBe(key.outputs.arn);
    expect(key.inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 7 });
    const version = one(result, "aws:secretsmanager/secretVersion:SecretVersion");
    expect(version.inputs.secretId).toBe(`${secret.name}-id`);
    // The key's value is the tls.PrivateKey's output (a secret the SDK marks itself; unknown in a preview).
    expect(version.inputs).toHaveProperty("secretString");
    expect(one(result, "tls:index/privateKey:PrivateKey").inputs.algorithm).toBe("ED25519");
  });

  it("lets only the node role read that one secret, decrypt only through Secrets Manager for it, and list instances", async () => {
    const result = await run(cluster(2));
    const policy = ofType(result, "aws:iam/rolePolicy:RolePolicy").find((p) => p.name === "train-node-cluster-ssh")!;
    const role = one(result, "aws:iam/role:Role");
    expect(policy.inputs.role).toBe(role.outputs.name);
    const secret = one(result, "aws:secretsmanager/secret:Secret").outputs.arn;
    const key = one(result, "aws:kms/key:Key").outputs.arn;
    expect(JSON.parse(policy.inputs.policy)).toEqual(JSON.parse(clusterSshPolicy(secret, key, "us-east-1")));
    expect(JSON.parse(clusterSshPolicy("arn:s", "arn:k", "us-east-1")).Statement).toEqual([
      { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "arn:s" },
      {
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: "arn:k",
        Condition: { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com", "kms:EncryptionContext:SecretARN": "arn:s" } },
      },
      // DescribeInstances has no resource type: "*" is the narrowest grant EC2 accepts.
      { Effect: "Allow", Action: "ec2:DescribeInstances", Resource: "*" },
    ]);
  });

  it("tags every node with <project>/<stack>/<component> and lists the running peers by that tag, not the group's name", async () => {
    const result = await run(cluster(4), { project: "proj", stack: "dev" });
    const asg = one(result, T.asg);
    expect(asg.inputs.tags).toContainEqual({ key: "gpu-cluster:node-group", value: "proj/dev/train", propagateAtLaunch: true });
    expect(listPeersCommand("us-east-1", "proj/dev/train")).toBe(
      "aws ec2 describe-instances --region 'us-east-1' --filters 'Name=tag:gpu-cluster:node-group,Values=proj/dev/train' Name=instance-state-name,Values=running --query 'Reservations[].Instances[].PrivateIpAddress' --output text",
    );
    const script = userData(result);
    expect(script).toContain(listPeersCommand("us-east-1", "proj/dev/train"));
    // The secret's resource id is its ARN (offline: `<name>-id`).
    expect(script).toContain(privateKeyCommand("us-east-1", "train-ssh-key-id"));
    expect(privateKeyCommand("us-east-1", "arn:aws:secretsmanager:us-east-1:1:secret:x")).toBe(
      "aws secretsmanager get-secret-value --region 'us-east-1' --secret-id 'arn:aws:secretsmanager:us-east-1:1:secret:x' --query SecretString --output text",
    );
    // 8 GPUs per p5 node: 8 slots each; the key goes to root and the DLAMI's ubuntu login.
    expect(script).toContain("printf '%s slots=8\\n' $peers");
    expect(script).toContain("for user in root ubuntu; do");
    // The private key itself never travels in user data.
    expect(script).not.toContain("PRIVATE KEY-----");
    execFileSync("bash", ["-n"], { input: script });
  });

  it("refuses a component name EC2 cannot carry in the group's tag (a comma would also split the CLI's filter), before building anything", async () => {
    const result = await run(() => new gpu.TrainingCluster("train,eu", { cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 } }), { project: "proj", stack: "dev" });
    expect(result.error).toMatchObject({ name: "SpecError", path: "name" });
    expect(String(result.error)).toContain("'proj/dev/train,eu' (project/stack/component) is not a valid EC2 tag value");
    expect(result.resources.filter((r) => r.custom)).toEqual([]);
  });

  it("builds the secret, key and peer listing for a single node too, so a cluster grown to N nodes trusts itself on node 0", async () => {
    const result = await run(cluster(1));
    expect(result.error).toBeUndefined();
    expect(ofType(result, "aws:secretsmanager/secret:Secret")).toHaveLength(1);
    expect(ofType(result, "aws:kms/key:Key")).toHaveLength(1);
    expect(userData(result)).toContain("describe-instances");
  });

  it("prices the secret at $0.40 and its key at $1.00 a month, for every training cluster", async () => {
    const two = await run(cluster(2));
    const lines = two.costEvents[0]!.estimate.lines;
    const secretLine = lines.find((l) => l.description.startsWith("Secrets Manager secret (1): the cluster's SSH key"))!;
    expect(secretLine.monthlyUsd).toBe(0.4);
    const keyLine = lines.find((l) => l.description.startsWith("KMS key (1): the SSH key's secret (rotated yearly)"))!;
    expect(keyLine.monthlyUsd).toBe(1);
    const single = await run(cluster(1));
    expect(single.costEvents[0]!.estimate.lines.filter((l) => /Secrets Manager|KMS key/.test(l.description)).map((l) => l.monthlyUsd)).toEqual([1, 0.4]);
  });
});
