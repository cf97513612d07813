/**
 * The fabric gate on AWS VM training clusters (lib/clouds/aws/fabric-gate.ts): a short State Manager association on
 * the group's tag that starts the check as a systemd unit, the verdict in one SSM parameter the node role alone may
 * write, and `up`'s bounded wait on that parameter (not on the association's status, which is `Success` with no target
 * registered: hashicorp/terraform-provider-aws internal/service/ssm/association.go waitAssociationSuccess, issue #31175,
 * read 2026-11-30). The association's command and the check's opening are run for real under bash with stand-ins for
 * the AWS CLI, systemctl and the metadata service; the wait runs on a fake clock.
 */
import * as pulumi from "@pulumi/pulumi";
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { fabricGatePolicy } from "../lib/clouds/aws/iam.js";
import { awaitAwsVerdict, awsRerun, pendingSince, pendingValue, gateReading, GATE_WAIT_SECONDS, groupMembersCommand, publishCommand, UP_POLL_SECONDS } from "../lib/clouds/aws/fabric-gate.js";
import type { PollClock } from "../lib/clouds/shared/poll-verdict.js";
import { fabricGate, gateFailureMessage } from "../lib/clouds/shared/fabric-gate.js";
import { planCluster } from "../lib/planner/plan.js";
import { awsOfflineInvokes } from "../lib/clouds/aws/offline-invokes.js";
import { DEFAULT_AMI_SSM_PARAMETER } from "../lib/clouds/aws/options.js";
import { one, ofType, privateEndpoint, run } from "./helpers/offline.js";

const ASSOCIATION = "aws:ssm/association:Association";
/** The gate's association (the GPU metrics have their own on the same tag: test/vm-gpu-metrics-aws-gcp.test.ts). */
const gateAssociations = (r: Parameters<typeof ofType>[0]) => ofType(r, ASSOCIATION).filter((a) => a.name.endsWith("-fabric-gate"));
const gateAssociation = (r: Parameters<typeof ofType>[0]) => {
  const [a, ...more] = gateAssociations(r);
  if (!a || more.length > 0) throw new Error(`expected one fabric-gate association, found ${gateAssociations(r).length}`);
  return a;
};
const PARAMETER = "aws:ssm/parameter:Parameter";

function cluster(args: Partial<gpu.TrainingClusterArgs> = {}) {
  return () => new gpu.TrainingCluster("train", { cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 4 }, ...args } as gpu.TrainingClusterArgs);
}

describe("AWS VM fabric gate: what is built", () => {
  it("runs a short AWS-RunShellScript on every node of the group's tag (no wait on its status), and publishes to one parameter", async () => {
    const result = await run(cluster(), { project: "proj", stack: "dev" });
    expect(result.error).toBeUndefined();
    const association = gateAssociation(result);
    expect(association.inputs).toMatchObject({
      name: "AWS-RunShellScript",
      targets: [{ key: "tag:gpu-cluster:node-group", values: ["proj/dev/train"] }],
      maxConcurrency: "100%",
      maxErrors: "100%",
    });
    // The association's status is no signal (see the header): it must not be waited on.
    expect(association.inputs.waitForSuccessTimeoutSeconds).toBeUndefined();
    // Ten minutes: it installs and starts the unit, far below the agent's 2 h association limit.
    expect(association.inputs.parameters.executionTimeout).toBe("600");
    expect(GATE_WAIT_SECONDS).toBe(10_800);
    const parameter = one(result, PARAMETER);
    expect(parameter.inputs).toMatchObject({ type: "String", tier: "Standard" });
    // Stamped with the time it was armed (a later `up` bounds its wait by it), and kept by ignoreChanges.
    expect(parameter.inputs.insecureValue).toMatch(/^pending since=\d{10}$/);
    expect(Math.abs(pendingSince(parameter.inputs.insecureValue as string)! - Date.now() / 1000)).toBeLessThan(3600);
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
    // The failure message on the node says how to rerun on AWS, not Azure's reimage advice.
    expect(command).toContain(`aws ssm put-parameter --name ${name} --value "pending since=$(date +%s)" --tier Standard --overwrite`);
    expect(command).toContain("aws ssm start-associations-once --association-ids <id of the fabric-gate association in the stack>");
    expect(command).not.toContain("az vmss reimage");
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
    expect(gateAssociations(result)).toHaveLength(0);
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
    const block = await run(cluster({ pricing: "capacity-block", reservationId: "cr-0123456789abcdef0", zone: "us-east-1b", aws: { acceptanceTest: true } } as Partial<gpu.TrainingClusterArgs>));
    expect(block.error).toMatchObject({ name: "SpecError", path: "aws.acceptanceTest" });
    expect(String(block.error)).toContain("once the block has started, run an NCCL test across two of its nodes yourself");
    const eks = await run(() => new gpu.TrainingCluster("k", privateEndpoint({ cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 }, orchestrator: "kubernetes", aws: { acceptanceTest: true } } as gpu.TrainingClusterArgs)));
    expect(eks.error).toMatchObject({ name: "SpecError", path: "aws.acceptanceTest" });
  });
});

describe("AWS VM fabric gate: one read of the parameter", () => {
  const gate = fabricGate(planCluster({ cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 } }), "vm")!;

  it("turns a passed verdict into the figure, and no verdict into 'not yet'", () => {
    expect(gateReading(gate, "p", "verdict=passed busbw=389.51")).toBe("389.51");
    expect(gateReading(gate, "p", "pending")).toBeUndefined();
  });

  it("fails up with the gate's message, the measured figure filled in, and AWS's way to run it again", () => {
    const rerun = awsRerun("p", "assoc-1");
    expect(() => gateReading(gate, "p", "verdict=failed busbw=41.20", "assoc-1")).toThrow(gateFailureMessage(gate, "41.20", rerun));
    // One-shot per cluster: reset the parameter, rerun the association. Not Azure's reimage advice.
    expect(rerun).toContain('`aws ssm put-parameter --name p --value "pending since=$(date +%s)" --tier Standard --overwrite` and `aws ssm start-associations-once --association-ids assoc-1`');
    expect(() => gateReading(gate, "p", "verdict=failed busbw=41.20", "assoc-1")).not.toThrow(/az vmss reimage/);
    expect(() => gateReading(gate, "p", "verdict=failed busbw=41.20")).toThrow(/is 41\.20 GB\/s,\nbelow the floor of 262\.1 GB\/s/);
    // A run that produced no figure (the container failed) is a failure too.
    expect(() => gateReading(gate, "p", "verdict=failed busbw=none")).toThrow(gateFailureMessage(gate, "no figure", awsRerun("p")));
    // "passed" with a figure under the floor is not trusted.
    expect(() => gateReading(gate, "p", "verdict=passed busbw=100")).toThrow(gateFailureMessage(gate, "100", awsRerun("p")));
  });

  it("fails up with the node's reason when the check could not run (its bootstrap failed)", () => {
    expect(() => gateReading(gate, "p", "verdict=error node=i-a reason=bootstrap failed: mount /data", "assoc-1")).toThrow(
      "fabric check on p5.48xlarge could not run: node=i-a reason=bootstrap failed: mount /data\nOn AWS the check ran once",
    );
  });
});

describe("AWS VM fabric gate: up's wait on a fake clock", () => {
  const gate = fabricGate(planCluster({ cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 4 } }), "vm")!;

  /** A clock whose sleeps advance time at once, and a parameter that reads `values` in turn (the last one forever). */
  function fake(values: string[]) {
    let t = 0;
    const reads: number[] = [];
    const clock: PollClock = { now: () => t, sleep: async (s) => void (t += s) };
    const read = async () => {
      reads.push(t);
      return values[Math.min(reads.length - 1, values.length - 1)]!;
    };
    return { clock, read, reads };
  }

  it("keeps reading every 30 s while the parameter is pending, and returns the figure once it passes", async () => {
    const f = fake(["pending", "pending", "pending", "verdict=passed busbw=389.51"]);
    await expect(awaitAwsVerdict(gate, "p", "assoc-1", 4, f.read, f.clock)).resolves.toBe("389.51");
    expect(UP_POLL_SECONDS).toBe(30);
    expect(f.reads).toEqual([0, 30, 60, 90]);
  });

  it("fails with the gate's message as soon as a failed verdict appears", async () => {
    const f = fake(["pending", "verdict=failed busbw=41.20"]);
    await expect(awaitAwsVerdict(gate, "p", "assoc-1", 4, f.read, f.clock)).rejects.toThrow(gateFailureMessage(gate, "41.20", awsRerun("p", "assoc-1")));
    expect(f.reads).toEqual([0, 30]);
  });

  it("fails with the node's reason on an error verdict", async () => {
    const f = fake(["pending", "verdict=error reason=3 of 4 nodes running after about 60 minutes: the group is short of capacity"]);
    await expect(awaitAwsVerdict(gate, "p", "assoc-1", 4, f.read, f.clock)).rejects.toThrow(
      "fabric check on p5.48xlarge could not run: reason=3 of 4 nodes running after about 60 minutes: the group is short of capacity",
    );
  });

  it("gives up after 3 h (10,800 s) with no verdict, the last read at the deadline, naming the parameter and the unit", async () => {
    const f = fake(["pending"]);
    await expect(awaitAwsVerdict(gate, "gate-param", "assoc-1", 4, f.read, f.clock)).rejects.toThrow(
      "fabric check on p5.48xlarge: no verdict in SSM parameter gate-param after 180 minutes of this `up` ('pending'). The check runs on the group's two oldest nodes once all 4 run",
    );
    // 10,800 / 30 = 360 pauses: reads at 0, 30, …, 10,800.
    expect(f.reads).toHaveLength(361);
    expect(f.reads.at(-1)).toBe(10_800);
  });
});

describe("AWS VM fabric gate: a later `up` of a gate armed long ago", () => {
  const gate = fabricGate(planCluster({ cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 4 } }), "vm")!;
  /** A wall clock at `t0` whose sleeps advance time at once, and a parameter that reads `values` in turn. */
  function fake(t0: number, values: string[]) {
    let t = t0;
    const reads: number[] = [];
    const clock: PollClock = { now: () => t, sleep: async (s) => void (t += s) };
    const read = async () => {
      reads.push(t - t0);
      return values[Math.min(reads.length - 1, values.length - 1)]!;
    };
    return { clock, read, reads };
  }
  const T0 = 1_800_000_000;

  it("stamps and reads back the arming time", () => {
    expect(pendingValue(T0 + 0.7)).toBe("pending since=1800000000");
    expect(pendingSince("pending since=1800000000")).toBe(T0);
    expect(pendingSince("pending")).toBeUndefined();
    expect(pendingSince("verdict=passed busbw=389.51")).toBeUndefined();
  });

  it("fails after one read when the gate was armed more than 3 h ago, naming when", async () => {
    const f = fake(T0, [pendingValue(T0 - 5 * 3600)]);
    await expect(awaitAwsVerdict(gate, "gate-param", "assoc-1", 4, f.read, f.clock)).rejects.toThrow(
      "no verdict in SSM parameter gate-param after 0 minutes of this `up`, armed 2027-01-15T03:00:00.000Z (300 minutes ago)",
    );
    expect(f.reads).toEqual([0]);
  });

  it("waits only the rest of the 3 h when the gate was armed 2 h ago (reads at 0, 30, …, 3,600 s)", async () => {
    const f = fake(T0, [pendingValue(T0 - 2 * 3600)]);
    await expect(awaitAwsVerdict(gate, "gate-param", "assoc-1", 4, f.read, f.clock)).rejects.toThrow("after 60 minutes of this `up`");
    expect(f.reads).toHaveLength(121);
    expect(f.reads.at(-1)).toBe(3600);
  });

  it("still returns a verdict that arrives within the rest", async () => {
    const f = fake(T0, [pendingValue(T0 - 2 * 3600), "verdict=passed busbw=389.51"]);
    await expect(awaitAwsVerdict(gate, "gate-param", "assoc-1", 4, f.read, f.clock)).resolves.toBe("389.51");
  });

  it("tells the user to re-arm with a fresh stamp", () => {
    expect(awsRerun("gate-param", "assoc-1")).toContain('aws ssm put-parameter --name gate-param --value "pending since=$(date +%s)" --tier Standard --overwrite');
  });
});

describe("AWS VM fabric gate: on a node", () => {
  /**
   * Stand-ins for the AWS CLI, IMDS and systemctl: the group's members and the parameter's value come from files;
   * every aws call and systemctl call is logged.
   */
  function node(me: string, parameter: string): { dir: string; env: NodeJS.ProcessEnv } {
    const dir = mkdtempSync(join(tmpdir(), "gate-"));
    const bin = join(dir, "bin");
    execFileSync("mkdir", ["-p", bin]);
    const stub = (name: string, body: string) => {
      writeFileSync(join(bin, name), `#!/bin/bash\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    };
    // Four running nodes; i-a and i-b are the oldest (same launch second: instance id decides).
    writeFileSync(
      join(dir, "members"),
      ["2026-11-30T10:00:00+00:00\ti-b\t10.0.0.12", "2026-11-30T10:00:00+00:00\ti-a\t10.0.0.11", "2026-11-30T10:00:05+00:00\ti-c\t10.0.0.13", "2026-11-30T10:00:09+00:00\ti-d\t10.0.0.14"].join("\n") + "\n",
    );
    writeFileSync(join(dir, "parameter"), parameter);
    const put = `while [ $# -gt 0 ]; do [ "$1" = --value ] && printf '%s' "$2" > ${dir}/parameter; shift; done`;
    stub(
      "aws",
      `echo "$1 $2" >> ${dir}/calls; case "$1 $2" in "ec2 describe-instances") cat ${dir}/members ;; "ssm get-parameter") cat ${dir}/parameter ;; "ssm put-parameter") ${put} ;; *) echo "unexpected aws $*" >&2; exit 2 ;; esac`,
    );
    stub("curl", `case "$*" in *instance-id*) echo ${me} ;; *) echo token ;; esac`);
    stub("systemctl", `echo "$*" >> ${dir}/systemctl`);
    stub("sleep", `echo "$1" >> ${dir}/sleeps`);
    stub("docker", "echo docker must not run on this node >&2; exit 3");
    stub("cloud-init", "exit 0");
    return { dir, env: { PATH: `${bin}:/usr/bin:/bin` } };
  }
  const read = (file: string) => (existsSync(file) ? readFileSync(file, "utf8") : "");

  async function command(dir: string): Promise<string> {
    const result = await run(cluster());
    const full = gateAssociation(result).inputs.parameters.commands as string;
    // The same command, with the check and its unit installed in the scratch folder.
    return full.replaceAll("/usr/local/sbin/gpu-cluster-fabric-gate", join(dir, "gate.sh")).replaceAll("/etc/systemd/system", join(dir, "units"));
  }

  it("the association installs the check and its unit, starts it without waiting, and exits 0 at once", async () => {
    const { dir, env } = node("i-d", "pending");
    const out = spawnSync("sh", ["-c", await command(dir)], { env, encoding: "utf8" });
    expect(out.status).toBe(0);
    expect(read(join(dir, "systemctl"))).toBe("daemon-reload\nstart --no-block gpu-cluster-fabric-gate.service\n");
    const unit = read(join(dir, "units", "gpu-cluster-fabric-gate.service"));
    expect(unit).toContain(`ExecStart=${join(dir, "gate.sh")}`);
    expect(unit).toContain("Type=oneshot");
    expect(unit).toContain("TimeoutStartSec=10800");
    expect(statSync(join(dir, "gate.sh")).mode & 0o777).toBe(0o755);
    // The association itself reads nothing and waits for nothing.
    expect(read(join(dir, "calls"))).toBe("");
    expect(read(join(dir, "sleeps"))).toBe("");
  });

  it("the association fails loudly when systemd cannot start the unit", async () => {
    const { dir, env } = node("i-d", "pending");
    writeFileSync(join(dir, "bin", "systemctl"), `#!/bin/bash\n[ "$1" = start ] && exit 5\nexit 0\n`);
    const out = spawnSync("sh", ["-c", await command(dir)], { env, encoding: "utf8" });
    expect(out.status).toBe(1);
    expect(out.stderr).toContain("systemctl could not start gpu-cluster-fabric-gate.service");
  });

  async function check(me: string, parameter: string) {
    const n = node(me, parameter);
    spawnSync("sh", ["-c", await command(n.dir)], { env: n.env, encoding: "utf8" });
    const out = spawnSync("bash", [join(n.dir, "gate.sh")], { env: n.env, encoding: "utf8" });
    return { ...n, out };
  }

  it("a node with two older running members exits at its first look: one DescribeInstances call, no sleep", async () => {
    const { dir, out } = await check("i-d", "pending");
    expect(out.stdout).toContain("gpu-cluster: the fabric gate runs on the group's two oldest nodes; i-d is not one of them");
    expect(out.status).toBe(0);
    expect(read(join(dir, "calls"))).toBe("ssm get-parameter\nec2 describe-instances\n");
    expect(read(join(dir, "sleeps"))).toBe("");
  });

  it("does not run again once the parameter holds a verdict (a node replacing a sick one later)", async () => {
    const { dir, out } = await check("i-a", "verdict=failed busbw=41.20");
    expect(out.stdout).toContain("gpu-cluster: fabric gate already ran: verdict=failed busbw=41.20");
    expect(out.status).toBe(0);
    expect(read(join(dir, "calls"))).toBe("ssm get-parameter\n");
  });

  it("a group short of capacity: the oldest node polls with jitter (10-20 s) for about an hour, then publishes the reason", async () => {
    const n = node("i-a", "pending");
    // Only 3 of the 4 nodes ever run.
    writeFileSync(join(n.dir, "members"), ["2026-11-30T10:00:00+00:00\ti-a\t10.0.0.11", "2026-11-30T10:00:00+00:00\ti-b\t10.0.0.12", "2026-11-30T10:00:09+00:00\ti-d\t10.0.0.14"].join("\n") + "\n");
    spawnSync("sh", ["-c", await command(n.dir)], { env: n.env, encoding: "utf8" });
    const out = spawnSync("bash", [join(n.dir, "gate.sh")], { env: n.env, encoding: "utf8" });
    expect(out.stderr).toContain("gpu-cluster: fabric gate: 3 of 4 nodes running after about 60 minutes: the group is short of capacity");
    expect(out.status).toBe(1);
    expect(read(join(n.dir, "parameter"))).toBe("verdict=error reason=3 of 4 nodes running after about 60 minutes: the group is short of capacity");
    // 3,600 s / 15 s = 240 reads of the group, each pause 10 to 20 s.
    const sleeps = read(join(n.dir, "sleeps")).trim().split("\n").map(Number);
    expect(sleeps).toHaveLength(240);
    expect(Math.min(...sleeps)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...sleeps)).toBeLessThanOrEqual(20);
    expect(new Set(sleeps).size).toBeGreaterThan(1);
  });
});

describe("AWS VM fabric gate: at up", () => {
  it("reads the cluster's parameter behind the association and publishes the figure as ncclBusBandwidthGBps", async () => {
    const reads: string[] = [];
    // An `up` (preview false) under Pulumi's mocks: the nodes have published a passing verdict.
    await pulumi.runtime.setMocks(
      {
        newResource(args) {
          return { id: `${args.name}-id`, state: { availabilityZones: ["us-east-1a"], ...args.inputs, name: args.inputs.name ?? `${args.name}-abc1234`, arn: `arn:aws:test:${args.name}`, associationId: `${args.name}-assoc` } };
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
