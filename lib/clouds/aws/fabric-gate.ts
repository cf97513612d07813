/**
 * The fabric gate on AWS VM training clusters: VM_GATE_DESIGN (lib/clouds/shared/fabric-gate.ts) steps 1, 4 and 5.
 *
 * **Who runs it.** A short State Manager association (AWS-RunShellScript) on every instance tagged with the cluster's
 * `gpu-cluster:node-group` (lib/clouds/aws/cluster-ssh.ts) installs the check and starts it as a systemd unit
 * (GATE_UNIT), then exits 0; for tag targets State Manager also runs it on nodes added later
 * (https://docs.aws.amazon.com/systems-manager/latest/userguide/systems-manager-state-manager-asg.html, read
 * 2026-11-30). The association does not run the check itself: the SSM agent runs one association document at a time
 * and times one out after 2 hours (aws/amazon-ssm-agent agent/association/processor/processor.go, documentWorkersLimit
 * = 1 and documentLevelTimeOutDurationHour = 2, read 2026-11-30), so a long association would hold up the node's other
 * associations and could not outlast a slow group.
 * In the unit (`awsGatePeers`):
 * 1. A parameter that already holds a verdict ends it at once: the gate runs once per cluster, and a node that
 *    replaces a sick one later does not run it again.
 * 2. A node that sees two running members older than itself exits at once: it can no longer be one of the pair. Only
 *    the two oldest keep listing the group (every POLL_SECONDS, ±5 s of jitter) until all `nodeCount` run, so a
 *    1,024-node group makes a few DescribeInstances calls, not 1,024 every few seconds. The pair is then the two
 *    oldest (launch time, then instance id): both compute it from the same list.
 * 3. The pair runs the shared check (`vmGateScript`); rank 0 publishes `verdict=<passed|failed> busbw=<GB/s>` to the
 *    cluster's SSM parameter (`ssm:PutParameter` on that one parameter), and `verdict=error reason=…` when the group
 *    stays short or its own bootstrap failed.
 *
 * **How `up` waits.** Not on the association: its status is `Success` as soon as its targets so far have run, and
 * with no instance registered yet (the group is created without a capacity wait, training.ts) it has none, so the
 * provider's `waitForSuccessTimeoutSeconds` returns at once (hashicorp/terraform-provider-aws
 * internal/service/ssm/association.go waitAssociationSuccess, and issue #31175, read 2026-11-30). Instead, after the
 * association exists, `up` reads the parameter (`aws.ssm.getParameter`) every UP_POLL_SECONDS until it holds a
 * verdict, for at most GATE_WAIT_SECONDS (`pollVerdict`, lib/clouds/shared/poll-verdict.ts); the figure becomes the
 * `ncclBusBandwidthGBps` output, and a failed or missing verdict fails `up` with the gate's message. A preview reads
 * nothing. A later `up` of a cluster whose gate has run reads the verdict once.
 *
 * **Why not the Auto Scaling group's `waitForCapacityTimeout` with a tag read.** That wait ends when the instances are
 * InService, which is before their boot script, let alone a two-node NCCL run, has finished: a tag read after it races
 * the check. It would also make every `up` wait for GPU capacity (lib/clouds/aws/training.ts says why it is "0").
 */
import * as pulumi from "@pulumi/pulumi";
import type * as autoscaling from "@pulumi/aws/autoscaling";
import * as iam from "@pulumi/aws/iam";
import * as ssm from "@pulumi/aws/ssm";
import type { Plan } from "../../planner/types.js";
import type { AcceptanceHandle, CompileContext } from "../types.js";
import { oneshotScriptUnitLines, shellQuote } from "../shared/bootstrap.js";
import { cloudInitWaitLines, fabricGate, gateFailureMessage, gatePasses, gateTransportFailureMessage, vmGateScript, VM_GATE_RECORD, type FabricGate, type VmGatePeers } from "../shared/fabric-gate.js";
import { CLUSTER_KEY_FILE, KEY_READY } from "../shared/cluster-ssh.js";
import { pollVerdict, REAL_CLOCK, type PollClock } from "../shared/poll-verdict.js";
import { capacityBlockDefersCheck } from "./capacity-block-rules.js";
import { describeGroupMembers, NODE_GROUP_TAG } from "./cluster-ssh.js";
import { fabricGatePolicy } from "./iam.js";
import type { AwsOptions } from "./options.js";

/** The parameter's value until the check has run: the word, then `since=<epoch seconds>` it was written (`pendingValue`). */
export const GATE_PENDING = "pending";

/**
 * The "no verdict yet" value, stamped with when it was written, so a later `up` can bound its wait by the gate's own
 * age: SSM's GetParameter answer (and the provider's `ssm.getParameter`) carries no modification time, and the group no
 * creation time (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameter.html: Parameter has
 * LastModifiedDate, but @pulumi/aws 7's getParameter result omits it, checked 2026-11-30). `epochSeconds`: now.
 */
export function pendingValue(epochSeconds: number): string {
  return `${GATE_PENDING} since=${Math.floor(epochSeconds)}`;
}

/** The time (epoch seconds) a `pendingValue` was written, or undefined for a bare `pending` (a gate made before the stamp). */
export function pendingSince(value: string): number | undefined {
  const since = /^pending since=(\d+)$/.exec(value.trim())?.[1];
  return since === undefined ? undefined : Number(since);
}

/** How long `up` waits for the verdict (s): the whole group running (up to an hour), the first boot, the check image's pull and the run. */
export const GATE_WAIT_SECONDS = 3 * 3600;
/** How often `up` reads the parameter (s): GetParameter's default throughput is 40 requests a second per account, shared with the nodes. */
export const UP_POLL_SECONDS = 30;
/** The association's own bound (s): it only installs and starts the unit. */
export const ASSOCIATION_TIMEOUT_SECONDS = 600;
/** Within the unit: how long the pair waits for the whole group to run, and rank 0 for its partner (s). */
const GROUP_WAIT_SECONDS = 3600;
/** The pair's pause between reads of the group (s, mean; each pause is this ±5 s, so the two do not call in step). */
export const POLL_SECONDS = 15;
/** Marker the second node of the pair writes when its image is pulled and it is ready to join. */
const READY_MARKER = "/run/gpu-cluster-fabric-gate-ready";
/** Rendezvous port of the check (the shared script's, torchrun's default). */
const RENDEZVOUS_PORT = 29500;
export const GATE_SCRIPT = "/usr/local/sbin/gpu-cluster-fabric-gate";
export const GATE_UNIT = "gpu-cluster-fabric-gate.service";

/** Whether the plan gets the gate on AWS VMs: on by default for training with a floor; `aws.acceptanceTest: false` opts out. */
export function awsGateEnabled(plan: Plan, options: Pick<AwsOptions, "acceptanceTest">): boolean {
  if (options.acceptanceTest === false) return false;
  // A capacity block's group is empty until the block starts; an air-gapped VPC cannot pull the check image from
  // public ECR. Both are refused when asked for explicitly (options.ts), and named in a plan note otherwise.
  if (capacityBlockDefersCheck(plan) !== undefined || !plan.egress.natGateway) return false;
  return fabricGate(plan, "vm") !== undefined;
}

/** The running group's members, oldest first: `<launch time> <instance id> <private IPv4>` per line. */
export function groupMembersCommand(region: string, groupTagValue: string): string {
  return `${describeGroupMembers(region, groupTagValue, "[LaunchTime,InstanceId,PrivateIpAddress]")} | sort -k1,1 -k2,2`;
}

/**
 * The shared wait for the node's own bootstrap, and on its failure a `verdict=error` in the parameter, so `up` learns
 * at once why no figure will come instead of waiting out its deadline.
 */
function bootLines(region: string, parameterName: string): string[] {
  const shared = cloudInitWaitLines();
  const exit = shared.lastIndexOf("  exit 1");
  const publish = `  ${putParameter(region, parameterName, '"verdict=error node=$me reason=bootstrap failed: $(head -c 200 /var/lib/gpu-cluster/bootstrap-failed)"')} || true`;
  return [...shared.slice(0, exit), publish, ...shared.slice(exit)];
}

/**
 * The SSM parameter write of rank 0 (in the shared verdict lines, which set `$verdict`, `$busbw`, `$transport` and
 * `$transport_cause`): `verdict=… busbw=… transport=<NCCL's transport>`, and ` cause=<…>` last where NCCL's transport
 * fell short. Bounded to 2,000 characters (a Standard parameter holds 4 KB).
 */
export function publishCommand(region: string, parameterName: string): string {
  return putParameter(region, parameterName, '"$(printf \'%s\' "verdict=$verdict busbw=${busbw:-none} transport=${transport:-none}${transport_cause:+ cause=$transport_cause}" | head -c 2000)"');
}

/** A write of the verdict parameter; `value` is a shell word (double-quoted, so it may use the script's variables). */
function putParameter(region: string, parameterName: string, value: string): string {
  return `aws ssm put-parameter --region ${shellQuote(region)} --name ${shellQuote(parameterName)} --type String --tier Standard --overwrite --value ${value}`;
}

/** Shell that prints the parameter's value (empty when it cannot be read). */
function readParameter(region: string, parameterName: string): string {
  return `aws ssm get-parameter --region ${shellQuote(region)} --name ${shellQuote(parameterName)} --query Parameter.Value --output text 2>/dev/null`;
}

/**
 * How the check runs again on AWS: it is one-shot per cluster (a verdict in the parameter ends the unit at once), so
 * reset the parameter and rerun the association, which starts the unit again
 * (https://docs.aws.amazon.com/cli/latest/reference/ssm/start-associations-once.html, read 2026-11-30). On a node the
 * association's id is not known (its command is part of the association): the text names where to find it.
 */
export function awsRerun(parameterName: string, associationId = "<id of the fabric-gate association in the stack>"): string {
  return (
    `On AWS the check ran once for the cluster: after a fix, run \`aws ssm put-parameter --name ${parameterName} --value "${GATE_PENDING} since=$(date +%s)" --tier Standard --overwrite\` ` +
    `and \`aws ssm start-associations-once --association-ids ${associationId}\`, then \`pulumi up\` again. To build without the check, set aws.acceptanceTest: false.`
  );
}

/**
 * Step 1 on AWS (see the file's comment): the one-shot check, the pair from the group's running members (the two
 * oldest; every other node exits as soon as it sees two older ones), rank from this instance's id (IMDSv2), and the
 * pair's barrier: rank 1 pulls the image and marks itself ready; rank 0 pulls, waits for that mark over the cluster's
 * SSH trust, and starts the rendezvous; rank 1 starts once rank 0's rendezvous port answers.
 */
export function awsGatePeers(plan: Plan, region: string, groupTagValue: string, image: string, parameterName: string): VmGatePeers {
  const tries = Math.ceil(GROUP_WAIT_SECONDS / POLL_SECONDS);
  const count = `$(printf '%s\\n' "$members" | grep -c .)`;
  // Host keys are checked against the cluster CA's certificates (lib/clouds/shared/cluster-ssh.ts), never trusted on first contact.
  const ssh = `ssh -i /root/.ssh/${CLUSTER_KEY_FILE} -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=/dev/null -o ConnectTimeout=5`;
  const pause = `sleep $(( ${POLL_SECONDS - 5} + RANDOM % 11 ))`;
  return {
    rankLines: [
      `state=$(${readParameter(region, parameterName)})`,
      'case "$state" in verdict=*) echo "gpu-cluster: fabric gate already ran: $state"; exit 0 ;; esac',
      'imds=$(curl -sS -X PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 300")',
      'me=$(curl -sS -H "X-aws-ec2-metadata-token: $imds" http://169.254.169.254/latest/meta-data/instance-id)',
      `for _ in $(seq 1 ${tries}); do`,
      `  members=$(${groupMembersCommand(region, groupTagValue)})`,
      // Two running members older than this node: it is not one of the pair, and stops asking.
      `  pos=$(printf '%s\\n' "$members" | cut -f2 | grep -n -x -F -e "$me" | cut -d: -f1)`,
      '  if [ -n "$pos" ] && [ "$pos" -gt 2 ]; then echo "gpu-cluster: the fabric gate runs on the group\'s two oldest nodes; $me is not one of them"; exit 0; fi',
      `  [ "${count}" -ge ${plan.nodeCount} ] && break`,
      `  ${pause}`,
      "done",
      `if [ "${count}" -lt ${plan.nodeCount} ]; then`,
      `  short="${count} of ${plan.nodeCount} nodes running after about ${GROUP_WAIT_SECONDS / 60} minutes: the group is short of capacity"`,
      '  echo "gpu-cluster: fabric gate: $short" >&2',
      // Said in the parameter, so `up` ends with the reason rather than at its deadline.
      `  ${putParameter(region, parameterName, '"verdict=error reason=$short"')} || true`,
      "  exit 1",
      "fi",
      "first=$(printf '%s\\n' \"$members\" | sed -n 1p); second=$(printf '%s\\n' \"$members\" | sed -n 2p)",
      'id0=$(echo "$first" | cut -f2); ip0=$(echo "$first" | cut -f3); id1=$(echo "$second" | cut -f2); ip1=$(echo "$second" | cut -f3)',
      'case "$me" in',
      '  "$id0") rank=0 ;;',
      '  "$id1") rank=1 ;;',
      '  *) echo "gpu-cluster: the fabric gate runs on $id0 and $id1"; exit 0 ;;',
      "esac",
      'export master_addr="$ip0"',
    ],
    bootLines: bootLines(region, parameterName),
    waitLines: [
      `timeout 1800 docker pull -q ${image} >/dev/null || { echo "gpu-cluster: fabric gate: pulling ${image} failed" >&2; }`,
      'if [ "$rank" = 1 ]; then',
      `  touch ${READY_MARKER}`,
      `  for _ in $(seq 1 ${tries}); do timeout 2 bash -c "</dev/tcp/$ip0/${RENDEZVOUS_PORT}" 2>/dev/null && break; sleep 5; done`,
      "else",
      // The trust service installs the key beside the boot: wait for it before the first ssh.
      `  for _ in $(seq 1 ${tries}); do [ -e ${KEY_READY} ] && break; ${pause}; done`,
      `  for _ in $(seq 1 ${tries}); do ${ssh} "root@$ip1" test -e ${READY_MARKER} && break; ${pause}; done`,
      "fi",
    ],
    master: "$master_addr",
    // The DLC image carries libfabric and aws-ofi-nccl itself (lib/clouds/kubernetes/options.ts); it needs the EFA
    // devices, and the rendezvous address from the host's shell.
    dockerFlags: ["--device /dev/infiniband", "-e master_addr"],
    rerun: awsRerun(parameterName),
  };
}

/**
 * The association's command: install the check and its systemd unit, start the unit without waiting, exit 0 (lib/clouds/shared/bootstrap.ts
 * `oneshotScriptUnitLines`). It fails (non-zero, seen in the association's execution history) only when the unit
 * cannot be started. The unit is a oneshot that is not enabled: it does not run again at a reboot, only when the
 * association runs again.
 */
export function gateCommand(gateScript: string): string {
  return [
    ...oneshotScriptUnitLines({
      unit: GATE_UNIT,
      description: "gpu-cluster fabric gate (two-node NCCL all-reduce on the group's two oldest nodes)",
      scriptPath: GATE_SCRIPT,
      script: gateScript,
      scriptMark: "GATE",
      after: ["docker.service", "network-online.target"],
      // The script bounds each of its waits; this bounds the whole (the group, the pull, the run).
      timeoutStartSec: GATE_WAIT_SECONDS,
      makeDirs: true,
      orElse: { reload: "exit 1", start: `{ echo "gpu-cluster: fabric gate: systemctl could not start ${GATE_UNIT}" >&2; exit 1; }` },
    }),
    `echo "gpu-cluster: fabric gate started (${GATE_UNIT}; its output: journalctl -u ${GATE_UNIT}, the verdict: ${VM_GATE_RECORD})"`,
    "exit 0",
    "",
  ].join("\n");
}

/** NCCL's transport as the parameter holds it (`transport=<…>` before ` cause=` or the end), or undefined. */
export function transportOf(value: string): string | undefined {
  const transport = /\stransport=(.*?)(?:\scause=.*)?$/s.exec(value)?.[1];
  return transport === undefined || transport === "none" ? undefined : transport;
}

/**
 * One read of the parameter: the gate's figure (GB/s) on a passing verdict, undefined while there is none, and a throw
 * with the gate's message below the floor (or with no figure), or the node's reason when the check could not run.
 */
export function gateReading(gate: FabricGate, parameterName: string, value: string, associationId?: string): string | undefined {
  const verdict = /(?:^|\s)verdict=(\w+)/.exec(value)?.[1];
  const busbw = /(?:^|\s)busbw=([0-9.]+)(?:\s|$)/.exec(value)?.[1];
  const cause = /\scause=(.*)$/s.exec(value)?.[1];
  if (verdict === undefined) return undefined;
  if (verdict === "passed" && busbw !== undefined && gatePasses(gate, Number(busbw))) return busbw;
  // NCCL's own transport fell short (whatever the figure): its cause, and below the floor the floor's message too.
  if (verdict === "failed" && cause !== undefined) {
    const transport = gateTransportFailureMessage(gate, cause, busbw ?? "no figure", awsRerun(parameterName, associationId));
    throw new Error(busbw !== undefined && gatePasses(gate, Number(busbw)) ? transport : `${gateFailureMessage(gate, busbw ?? "no figure", awsRerun(parameterName, associationId))}\n\n${transport}`);
  }
  if (verdict === "error") {
    throw new Error(`fabric check on ${gate.floor.instanceType} could not run: ${value.replace(/^verdict=error\s*/, "")}\n${awsRerun(parameterName, associationId)}`);
  }
  throw new Error(gateFailureMessage(gate, busbw ?? "no figure", awsRerun(parameterName, associationId)));
}

/**
 * `up`'s wait (see the file's comment): reads the parameter every UP_POLL_SECONDS until it holds a verdict, at most
 * GATE_WAIT_SECONDS from when the gate was armed. A `pendingValue` carries that time: on a later `up` of a cluster whose
 * gate never answered (no capacity for the whole group, say), the wait ends once its 3 hours from then have passed —
 * after one read when they already have — instead of waiting 3 more hours. A bare `pending` (a gate armed before the
 * stamp, or reset by hand without it) waits the full 3 hours from this `up`. `read`: one read of the parameter's value.
 */
export async function awaitAwsVerdict(
  gate: FabricGate,
  parameterName: string,
  associationId: string,
  nodeCount: number,
  read: () => Promise<string>,
  clock: PollClock = REAL_CLOCK,
): Promise<string> {
  let last = GATE_PENDING;
  const start = clock.now();
  const deadline = () => {
    const since = pendingSince(last);
    return since === undefined ? GATE_WAIT_SECONDS : Math.max(0, Math.min(GATE_WAIT_SECONDS, since + GATE_WAIT_SECONDS - start));
  };
  return pollVerdict(
    {
      read: async () => {
        last = await read();
        return gateReading(gate, parameterName, last, associationId);
      },
      deadlineSeconds: deadline,
      intervalSeconds: UP_POLL_SECONDS,
      timeout: (waited) => {
        const since = pendingSince(last);
        const armed = since === undefined ? "" : `, armed ${new Date(since * 1000).toISOString()} (${Math.floor((clock.now() - since) / 60)} minutes ago)`;
        return new Error(
          `fabric check on ${gate.floor.instanceType}: no verdict in SSM parameter ${parameterName} after ${Math.floor(waited / 60)} minutes of this \`up\`${armed} ('${last}'). ` +
            `The check runs on the group's two oldest nodes once all ${nodeCount} run (no capacity yet?): see \`journalctl -u ${GATE_UNIT}\` on them.\n` +
            awsRerun(parameterName, associationId),
        );
      },
    },
    clock,
  );
}

/**
 * The gate on an AWS VM training cluster, or undefined where it does not run (opted out, no floor, a capacity block,
 * an air-gapped VPC). `role`: the node role's name; `group`: the Auto Scaling group the association follows.
 */
export function awsFabricGate(
  plan: Plan,
  options: AwsOptions,
  ctx: CompileContext,
  inputs: { tags: Record<string, string>; role: pulumi.Input<string>; group: autoscaling.Group; groupTagValue: string; image: string },
): AcceptanceHandle | undefined {
  if (!awsGateEnabled(plan, options)) return undefined;
  const gate = fabricGate(plan, "vm")!;
  const opts = { parent: ctx.parent };
  // The verdict's one place. The stack makes it (so a destroy removes it) and then leaves its value to the nodes.
  const parameter = new ssm.Parameter(
    `${ctx.name}-fabric-gate`,
    // `insecureValue`: the verdict is no secret (`value` would be kept as one). Standard tier, here and in the nodes'
    // writes, whatever the account's default tier: standard parameters carry no charge
    // (https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html, read
    // 2026-11-30); the association's runs on EC2 are not billed by Systems Manager either
    // (https://aws.amazon.com/systems-manager/pricing/), so the gate adds no line to the estimate. The value is stamped
    // with the time it is created (`pendingValue`), which `ignoreChanges` keeps: it bounds a later `up`'s wait.
    { type: "String", tier: "Standard", insecureValue: pendingValue(Date.now() / 1000), description: `${ctx.name}: the fabric gate's verdict, written by the cluster's first node`, tags: inputs.tags },
    { ...opts, ignoreChanges: ["insecureValue", "value"] },
  );
  const policy = new iam.RolePolicy(`${ctx.name}-node-fabric-gate`, { role: inputs.role, policy: parameter.arn.apply(fabricGatePolicy) }, opts);
  const script = parameter.name.apply((name) => gateCommand(vmGateScript(plan, awsGatePeers(plan, plan.region, inputs.groupTagValue, inputs.image, name), publishCommand(plan.region, name))!));
  const association = new ssm.Association(
    `${ctx.name}-fabric-gate`,
    {
      name: "AWS-RunShellScript",
      targets: [{ key: `tag:${NODE_GROUP_TAG}`, values: [inputs.groupTagValue] }],
      parameters: { commands: script, executionTimeout: String(ASSOCIATION_TIMEOUT_SECONDS) },
      // Every node at once, and no node's error stops the others: the command is short, and the pair may be any two.
      maxConcurrency: "100%",
      maxErrors: "100%",
    },
    { ...opts, dependsOn: [inputs.group, policy] },
  );
  const result = readBack(gate, plan, parameter, association, ctx);
  return { busBandwidthGBps: result.apply((r) => r.figure), transport: result.apply((r) => r.transport), floorGBps: gate.floor.floorGBps };
}

/**
 * The verdict, waited for once the association exists (`awaitAwsVerdict`). In a preview nothing has run, so the figure
 * is unknown and the gate never fails a preview.
 */
function readBack(gate: FabricGate, plan: Plan, parameter: ssm.Parameter, association: ssm.Association, ctx: CompileContext): pulumi.Output<{ figure: string; transport?: string }> {
  if (pulumi.runtime.isDryRun()) return pulumi.output(pulumi.unknown) as unknown as pulumi.Output<{ figure: string; transport?: string }>;
  return pulumi.all([parameter.name, association.associationId]).apply(async ([name, id]) => {
    pulumi.log.info(`fabric gate: waiting up to ${GATE_WAIT_SECONDS / 3600} h for the verdict in SSM parameter ${name}`, ctx.parent);
    // Through the provider the component's resources use (`parent`).
    let last = "";
    const read = async () => (last = (await ssm.getParameter({ name }, { parent: ctx.parent })).insecureValue);
    try {
      const figure = await awaitAwsVerdict(gate, name, id, plan.nodeCount, read);
      const transport = transportOf(last);
      return { figure, ...(transport !== undefined ? { transport } : {}) };
    } catch (err) {
      const message = (err as Error).message;
      pulumi.log.error(message, ctx.parent);
      throw new pulumi.RunError(message);
    }
  });
}
