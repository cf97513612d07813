/**
 * The fabric gate on AWS VM training clusters (lib/clouds/aws/fabric-gate.ts): a State Manager association on the
 * group's tag whose creation waits for success (`waitForSuccessTimeoutSeconds`, @pulumi/aws 7.48.0's doc of the input,
 * read 2026-11-30), the verdict in one SSM parameter the node role alone may write, and the read-back that turns it
 * into `ncclBusBandwidthGBps` or fails `up`. The association's command is run for real under bash with stand-ins for
 * the AWS CLI and the metadata service, as a node that is not one of the pair.
 */
import * as pulumi from "@pulumi/pulumi";
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { fabricGatePolicy } from "../lib/clouds/aws/iam.js";
import { gateReading, GATE_WAIT_SECONDS, groupMembersCommand, publishCommand } from "../lib/clouds/aws/fabric-gate.js";
import { fabricGate, gateFailureMessage } from "../lib/clouds/shared/fabric-gate.js";
import { planCluster } from "../lib/planner/plan.js";
import { awsOfflineInvokes } from "../lib/clouds/aws/offline-invokes.js";
import { DEFAULT_AMI_SSM_PARAMETER } from "../lib/clouds/aws/options.js";
import { one, ofType, privateEndpoint, run } from "./helpers/offline.js";

const ASSOCIATION = "aws:ssm/association:Association";
const PARAMETER = "aws:ssm/parameter:Parameter";

function cluster(args: Partial<gpu.TrainingClusterArgs> = {}) {
  return () => new gpu.TrainingCluster("train", { cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 4 }, ...args } as gpu.TrainingClusterArgs);
}

describe("AWS VM fabric gate: what is built", () => {
  it("runs AWS-RunShellScript on every node of the group's tag, waits up to 3 h for success, and publishes to one parameter", async () => {
    const result = await run(cluster(), { project: "proj", stack: "dev" });
    expect(result.error).toBeUndefined();
    const association = one(result, ASSOCIATION);
    expect(association.inputs).toMatchObject({
      name: "AWS-RunShellScript",
      targets: [{ key: "tag:gpu-cluster:node-group", values: ["proj/dev/train"] }],
      waitForSuccessTimeoutSeconds: 10_800,
      maxConcurrency: "100%",
      maxErrors: "100%",
    });
    expect(GATE_WAIT_SECONDS).toBe(10_800);
    expect(association.inputs.parameters.executionTimeout).toBe("10800");
    const parameter = one(result, PARAMETER);
    expect(parameter.inputs).toMatchObject({ type: "String", tier: "Standard", insecureValue: "pending" });
    const name = parameter.outputs.name as string;
    const command = association.inputs.parameters.commands as string;
    expect(command).toContain(groupMembersCommand("us-east-1", "proj/dev/train"));
    expect(command).toContain(publishCommand("us-east-1", name));
    // A check node whose own bootstrap failed says so in the parameter rather than leave every node waiting.
    expect(command).toContain(`aws ssm put-parameter --region 'us-east-1' --name '${name}' --type String --tier Standard --overwrite --value "verdict=error node=$me reason=bootstrap failed:`);
    // The pair waits for the whole group (4 running nodes) and runs AWS's PyTorch training image with the EFA devices.
    expect(command).toContain(`-ge 4 ] && break`);
    expect(command).toContain("--device /dev/infiniband -e master_addr");
    expect(command).toContain("public.ecr.aws/deep-learning-containers/pytorch-training:2.8.0-gpu-py312-cu129-ubuntu22.04-ec2-v1.0");
    expect(command).toContain("--nnodes=2 --nproc-per-node=8");
    execFileSync("bash", ["-n"], { input: command });
    // AWS-RunShellScript may hand the command to sh: it must parse there too.
    execFileSync("sh", ["-n"], { input: command });
    expect(groupMembersCommand("us-east-1", "proj/dev/train")).toBe(
      "aws ec2 describe-instances --region 'us-east-1' --filters 'Name=tag:gpu-cluster:node-group,Values=proj/dev/train' Name=instance-state-name,Values=running --query 'Reservations[].Instances[].[LaunchTime,InstanceId,PrivateIpAddress]' --output text | sort -k1,1 -k2,2",
    );
  });

  it("lets the node role read and write that one parameter, nothing else", async () => {
    const result = await run(cluster());
    const policy = ofType(result, "aws:iam/rolePolicy:RolePolicy").find((p) => p.name === "train-node-fabric-gate")!;
    expect(policy.inputs.role).toBe(one(result, "aws:iam/role:Role").outputs.name);
    const arn = one(result, PARAMETER).outputs.arn as string;
    expect(JSON.parse(policy.inputs.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: ["ssm:GetParameter", "ssm:PutParameter"], Resource: arn }],
    });
    expect(JSON.parse(fabricGatePolicy("arn:p")).Statement[0].Resource).toBe("arn:p");
  });

  it("publishes the floor as an output (p5: 60% of awsome-distributed-training's 436.95 GB/s = 262.17, rounded down to 262.1), the figure unknown in a preview", async () => {
    const result = await run(cluster());
    const component = one(result, "gpu-cluster:index:TrainingCluster");
    expect(component.outputs.ncclBusBandwidthFloorGBps).toBe(262.1);
    // Unknown in a preview, as a real preview's read behind the association being created.
    expect(component.outputs.ncclBusBandwidthGBps).toMatchObject({ __pulumiUnknown: true });
  });

  it.each([
    ["opted out", { aws: { acceptanceTest: false } }, undefined],
    ["a single node", { gpu: { instanceType: "p5.48xlarge", nodes: 1 } }, undefined],
    ["a capacity block", { pricing: "capacity-block", reservationId: "cr-0123456789abcdef0", zone: "us-east-1b" }, "fabric gate: off, a capacity block's group is empty until the block starts"],
    ["an air-gapped VPC", { egress: { natGateway: false } }, "fabric gate: off, without a NAT gateway the nodes cannot pull the check image from public ECR"],
  ])("builds no gate for %s", async (_what, args, note) => {
    const result = await run(cluster(args as Partial<gpu.TrainingClusterArgs>));
    expect(result.error).toBeUndefined();
    expect(ofType(result, ASSOCIATION)).toHaveLength(0);
    expect(ofType(result, PARAMETER)).toHaveLength(0);
    expect(one(result, "gpu-cluster:index:TrainingCluster").outputs.ncclBusBandwidthFloorGBps).toBeUndefined();
    const notes = result.costEvents[0]!.plan.notes.join("\n");
    if (note) expect(notes).toContain(note);
    else expect(notes).not.toContain("fabric gate: off");
  });

  it("refuses acceptanceTest: true where the gate cannot run, naming the field", async () => {
    const gap = await run(cluster({ egress: { natGateway: false }, aws: { acceptanceTest: true } } as Partial<gpu.TrainingClusterArgs>));
    expect(gap.error).toMatchObject({ name: "SpecError", path: "aws.acceptanceTest" });
    const one_ = await run(cluster({ gpu: { instanceType: "p5.48xlarge", nodes: 1 }, aws: { acceptanceTest: true } } as Partial<gpu.TrainingClusterArgs>));
    expect(one_.error).toMatchObject({ name: "SpecError", path: "aws.acceptanceTest" });
    const eks = await run(() => new gpu.TrainingCluster("k", privateEndpoint({ cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 }, orchestrator: "kubernetes", aws: { acceptanceTest: true } } as gpu.TrainingClusterArgs)));
    expect(eks.error).toMatchObject({ name: "SpecError", path: "aws.acceptanceTest" });
  });
});

describe("AWS VM fabric gate: the read-back", () => {
  const gate = fabricGate(planCluster({ cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 } }), "vm")!;

  it("turns a passed verdict into the figure", () => {
    expect(gateReading(gate, "p", "verdict=passed busbw=389.51")).toBe("389.51");
  });

  it("fails up with the gate's message, the measured figure filled in, below the floor", () => {
    expect(() => gateReading(gate, "p", "verdict=failed busbw=41.20", "assoc-1")).toThrow(gateFailureMessage(gate, "41.20"));
    // And how to run it again on AWS (one-shot per cluster: reset the parameter, rerun the association).
    expect(() => gateReading(gate, "p", "verdict=failed busbw=41.20", "assoc-1")).toThrow(
      "`aws ssm put-parameter --name p --value pending --tier Standard --overwrite` and `aws ssm start-associations-once --association-ids assoc-1`",
    );
    expect(() => gateReading(gate, "p", "verdict=failed busbw=41.20")).toThrow(/is 41\.20 GB\/s,\nbelow the floor of 262\.1 GB\/s/);
    // A run that produced no figure (the container failed) is a failure too.
    expect(() => gateReading(gate, "p", "verdict=failed busbw=none")).toThrow(gateFailureMessage(gate, "no figure"));
    // "passed" with a figure under the floor is not trusted.
    expect(() => gateReading(gate, "p", "verdict=passed busbw=100")).toThrow(gateFailureMessage(gate, "100"));
  });

  it("fails up with the node's reason when the check could not run (its bootstrap failed)", () => {
    expect(() => gateReading(gate, "p", "verdict=error node=i-a reason=bootstrap failed: mount /data", "assoc-1")).toThrow(
      "fabric check on p5.48xlarge could not run: node=i-a reason=bootstrap failed: mount /data\nOn AWS the check ran once",
    );
  });

  it("fails up, saying where to look, while the parameter holds no verdict", () => {
    expect(() => gateReading(gate, "gate-param", "pending")).toThrow(/no verdict yet in SSM parameter gate-param \('pending'\)/);
  });
});

describe("AWS VM fabric gate: the association's command on a node", () => {
  /** Stand-ins for the AWS CLI and IMDS: the group's members and the parameter's value come from files. */
  /** `first`: the parameter at the first read (the one-shot check before the run); `later`: at every read after it. */
  function node(me: string, first: string, later = first): { dir: string; env: NodeJS.ProcessEnv } {
    const dir = mkdtempSync(join(tmpdir(), "gate-"));
    const bin = join(dir, "bin");
    execFileSync("mkdir", ["-p", bin]);
    const stub = (name: string, body: string) => {
      writeFileSync(join(bin, name), `#!/bin/bash\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    };
    // Four running nodes; i-a and i-b are the oldest, so this node (i-d) is not one of the pair.
    writeFileSync(
      join(dir, "members"),
      ["2026-11-30T10:00:00+00:00\ti-b\t10.0.0.12", "2026-11-30T10:00:00+00:00\ti-a\t10.0.0.11", "2026-11-30T10:00:05+00:00\ti-c\t10.0.0.13", "2026-11-30T10:00:09+00:00\ti-d\t10.0.0.14"].join("\n") + "\n",
    );
    writeFileSync(join(dir, "first"), first);
    writeFileSync(join(dir, "later"), later);
    const read = `if [ -e ${dir}/read ]; then cat ${dir}/later; else touch ${dir}/read; cat ${dir}/first; fi`;
    // put-parameter: the written value is what every later read sees.
    const put = `while [ $# -gt 0 ]; do [ "$1" = --value ] && printf '%s' "$2" > ${dir}/later; shift; done`;
    stub("aws", `case "$1 $2" in "ec2 describe-instances") cat ${dir}/members ;; "ssm get-parameter") ${read} ;; "ssm put-parameter") ${put} ;; *) echo "unexpected aws $*" >&2; exit 2 ;; esac`);
    stub("curl", `case "$*" in *instance-id*) echo ${me} ;; *) echo token ;; esac`);
    stub("sleep", "exit 0");
    stub("docker", "echo docker must not run on this node >&2; exit 3");
    return { dir, env: { PATH: `${bin}:/usr/bin:/bin` } };
  }

  const plan = planCluster({ cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 4 } });

  async function command(scriptPath: string): Promise<string> {
    const result = await run(cluster());
    const full = one(result, ASSOCIATION).inputs.parameters.commands as string;
    // The same command, with the check installed in the scratch folder.
    return full.replaceAll("/usr/local/sbin/gpu-cluster-fabric-gate", scriptPath);
  }

  it("a node outside the pair runs no check, waits for the pair's verdict and reports success once it is there", async () => {
    const { dir, env } = node("i-d", "pending", "verdict=passed busbw=389.51");
    const out = spawnSync("bash", ["-c", await command(join(dir, "gate.sh"))], { env, encoding: "utf8" });
    expect(out.stdout).toContain("gpu-cluster: the fabric gate runs on i-a and i-b");
    expect(out.stdout).toContain("gpu-cluster: fabric gate: verdict=passed busbw=389.51");
    expect(out.status).toBe(0);
  });

  it("does not run again once the parameter holds a verdict (a node replacing a sick one later)", async () => {
    const { dir, env } = node("i-a", "verdict=failed busbw=41.20");
    const out = spawnSync("bash", ["-c", await command(join(dir, "gate.sh"))], { env, encoding: "utf8" });
    expect(out.stdout).toContain("gpu-cluster: fabric gate already ran: verdict=failed busbw=41.20");
    expect(out.status).toBe(0);
  });

  it("a group short of capacity after an hour: the reason goes to the parameter, so every node (and up) ends with it", async () => {
    const { dir, env } = node("i-d", "pending");
    // Only 3 of the 4 nodes ever run.
    writeFileSync(join(dir, "members"), ["2026-11-30T10:00:00+00:00\ti-a\t10.0.0.11", "2026-11-30T10:00:00+00:00\ti-b\t10.0.0.12", "2026-11-30T10:00:09+00:00\ti-d\t10.0.0.14"].join("\n") + "\n");
    const out = spawnSync("bash", ["-c", await command(join(dir, "gate.sh"))], { env, encoding: "utf8" });
    expect(out.stderr).toContain("gpu-cluster: fabric gate: 3 of 4 nodes running after 60 minutes: the group is short of capacity");
    expect(out.stdout).toContain("gpu-cluster: fabric gate: verdict=error reason=3 of 4 nodes running after 60 minutes: the group is short of capacity");
    expect(out.status).toBe(0);
    expect(() => gateReading(fabricGate(plan, "vm")!, "p", "verdict=error reason=3 of 4 nodes running after 60 minutes: the group is short of capacity")).toThrow(
      "fabric check on p5.48xlarge could not run: reason=3 of 4 nodes running after 60 minutes: the group is short of capacity",
    );
  });

  it("reports failure when no verdict ever comes", async () => {
    const { dir, env } = node("i-d", "pending");
    const out = spawnSync("bash", ["-c", await command(join(dir, "gate.sh"))], { env, encoding: "utf8" });
    expect(out.stderr).toContain("no verdict in");
    expect(out.status).toBe(1);
    expect(plan.nodeCount).toBe(4);
  });
});

describe("AWS VM fabric gate: at up", () => {
  it("reads the cluster's parameter behind the association and publishes the figure as ncclBusBandwidthGBps", async () => {
    const reads: string[] = [];
    // An `up` (preview false) under Pulumi's mocks: the nodes have published a passing verdict.
    await pulumi.runtime.setMocks(
      {
        newResource(args) {
          return { id: `${args.name}-id`, state: { ...args.inputs, name: args.inputs.name ?? `${args.name}-abc1234`, arn: `arn:aws:test:${args.name}`, associationId: `${args.name}-assoc` } };
        },
        call(args) {
          if (args.token === "aws:ssm/getParameter:getParameter" && args.inputs.name !== DEFAULT_AMI_SSM_PARAMETER) {
            reads.push(args.inputs.name);
            return { ...args.inputs, value: "verdict=passed busbw=389.51", insecureValue: "verdict=passed busbw=389.51", type: "String" };
          }
          if (args.token === "aws:ec2/getInstances:getInstances") return { ids: ["i-1", "i-2", "i-3", "i-4"] };
          return awsOfflineInvokes[args.token]?.(args.inputs, "us-east-1") ?? args.inputs;
        },
      },
      "proj",
      "dev",
      false,
    );
    const cluster = new gpu.TrainingCluster("train", { cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 4 } });
    const figure = await new Promise((done) => cluster.ncclBusBandwidthGBps.apply(done));
    expect(figure).toBe("389.51");
    expect(reads).toEqual(["train-fabric-gate-abc1234"]);
  });
});
