/**
 * The fabric gate on AWS VM training clusters: VM_GATE_DESIGN (lib/clouds/shared/fabric-gate.ts) steps 1, 4 and 5.
 *
 * **Who runs it, and how `up` waits.** A State Manager association runs the check (AWS-RunShellScript) on every
 * instance tagged with the cluster's `gpu-cluster:node-group` (lib/clouds/aws/cluster-ssh.ts), as each registers with
 * Systems Manager; for tag targets State Manager also runs it on nodes added later
 * (https://docs.aws.amazon.com/systems-manager/latest/userguide/systems-manager-state-manager-asg.html and
 * CreateAssociation, https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateAssociation.html, read
 * 2026-11-30). With `waitForSuccessTimeoutSeconds` the association's creation waits until its status is `Success` and
 * fails when it is `Failed` or the time runs out (the Pulumi AWS SDK's doc of the input, @pulumi/aws 7.48.0, and the
 * provider's waiter on DescribeAssociation's Overview.Status, read 2026-11-30).
 *
 * That status aggregates the instances that have run so far, so the script makes every instance's success mean "the
 * verdict is published", whatever the order in which nodes come up:
 * 1. Every node waits until the whole group runs (`nodeCount` running instances with the tag), then takes the two
 *    oldest (launch time, then instance id) as the check pair: every node computes the same pair from the same set.
 * 2. The pair runs the shared check (`vmGateScript`); rank 0 publishes `verdict=<passed|failed> busbw=<GB/s>` to the
 *    cluster's SSM parameter (`ssm:PutParameter` on that one parameter).
 * 3. Every node, pair or not, then waits for the parameter to hold a verdict and exits 0 only then. So no node can
 *    report success before the verdict exists, and the association succeeds exactly when the gate has run.
 * A parameter that already holds a verdict ends the script at once: the gate runs once per cluster, and a node that
 * replaces a sick one later does not run it again.
 *
 * **The read-back.** `aws.ssm.getParameter` with `dependsOn` the association (output-form invokes wait for their
 * dependencies, @pulumi/pulumi ≥ 3.14x; 3.248.0 here) reads the verdict once the association succeeded, turns the
 * figure into the `ncclBusBandwidthGBps` output, and fails `up` with the gate's message when it is below the floor.
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
import { shellQuote } from "../shared/bootstrap.js";
import { cloudInitWaitLines, fabricGate, gateFailureMessage, gatePasses, vmGateScript, VM_GATE_RECORD, type FabricGate, type VmGatePeers } from "../shared/fabric-gate.js";
import { CLUSTER_KEY_FILE, KEY_READY } from "../shared/cluster-ssh.js";
import { NODE_GROUP_TAG } from "./cluster-ssh.js";
import { fabricGatePolicy } from "./iam.js";
import type { AwsOptions } from "./options.js";

/** The parameter's value until the check has run. */
export const GATE_PENDING = "pending";

/**
 * How long `up` waits for the gate (s): the whole group running, the first boot, the check image's pull and the run.
 * Also the association's executionTimeout, so a node's script is not cut short before `up` gives up.
 */
export const GATE_WAIT_SECONDS = 3 * 3600;
/** Within the script: how long a node waits for the whole group to run, and the pair for each other (s). */
const GROUP_WAIT_SECONDS = 3600;
const POLL_SECONDS = 10;
/** Marker the second node of the pair writes when its image is pulled and it is ready to join. */
const READY_MARKER = "/run/gpu-cluster-fabric-gate-ready";
/** Rendezvous port of the check (the shared script's, torchrun's default). */
const RENDEZVOUS_PORT = 29500;
const GATE_SCRIPT = "/usr/local/sbin/gpu-cluster-fabric-gate";

/** Whether the plan gets the gate on AWS VMs: on by default for training with a floor; `aws.acceptanceTest: false` opts out. */
export function awsGateEnabled(plan: Plan, options: Pick<AwsOptions, "acceptanceTest">): boolean {
  if (options.acceptanceTest === false) return false;
  // A capacity block's group is empty until the block starts; an air-gapped VPC cannot pull the check image from
  // public ECR. Both are refused when asked for explicitly (options.ts), and named in a plan note otherwise.
  if (plan.pricing === "capacity-block" || !plan.egress.natGateway) return false;
  return fabricGate(plan, "vm") !== undefined;
}

/** The running group's members, oldest first: `<launch time> <instance id> <private IPv4>` per line. */
export function groupMembersCommand(region: string, groupTagValue: string): string {
  return [
    "aws ec2 describe-instances",
    `--region ${shellQuote(region)}`,
    `--filters ${shellQuote(`Name=tag:${NODE_GROUP_TAG},Values=${groupTagValue}`)} Name=instance-state-name,Values=running`,
    "--query 'Reservations[].Instances[].[LaunchTime,InstanceId,PrivateIpAddress]' --output text",
    "| sort -k1,1 -k2,2",
  ].join(" ");
}

/**
 * The shared wait for the node's own bootstrap, and on its failure a `verdict=error` in the parameter, so every node
 * (and `up`) learns at once why no figure will come instead of waiting out the association.
 */
function bootLines(region: string, parameterName: string): string[] {
  const shared = cloudInitWaitLines();
  const exit = shared.lastIndexOf("  exit 1");
  const publish = `  ${putParameter(region, parameterName, '"verdict=error node=$me reason=bootstrap failed: $(head -c 200 /var/lib/gpu-cluster/bootstrap-failed)"')} || true`;
  return [...shared.slice(0, exit), publish, ...shared.slice(exit)];
}

/** The SSM parameter write of rank 0 (in the shared verdict lines, which set `$verdict` and `$busbw`). */
export function publishCommand(region: string, parameterName: string): string {
  return putParameter(region, parameterName, '"verdict=$verdict busbw=${busbw:-none}"');
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
 * Step 1 on AWS: the pair from the group's running members (the two oldest), rank from this instance's id (IMDSv2),
 * and the pair's barrier: rank 1 pulls the image and marks itself ready; rank 0 pulls, waits for that mark over the
 * cluster's SSH trust, and starts the rendezvous; rank 1 starts once rank 0's rendezvous port answers.
 */
export function awsGatePeers(plan: Plan, region: string, groupTagValue: string, image: string, parameterName: string): VmGatePeers {
  const tries = Math.ceil(GROUP_WAIT_SECONDS / POLL_SECONDS);
  // Host keys are checked against the cluster CA's certificates (lib/clouds/shared/cluster-ssh.ts), never trusted on first contact.
  const ssh = `ssh -i /root/.ssh/${CLUSTER_KEY_FILE} -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=/dev/null -o ConnectTimeout=5`;
  return {
    rankLines: [
      'imds=$(curl -sS -X PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 300")',
      'me=$(curl -sS -H "X-aws-ec2-metadata-token: $imds" http://169.254.169.254/latest/meta-data/instance-id)',
      `for _ in $(seq 1 ${tries}); do`,
      `  members=$(${groupMembersCommand(region, groupTagValue)})`,
      `  [ "$(printf '%s\\n' "$members" | grep -c .)" -ge ${plan.nodeCount} ] && break`,
      `  sleep ${POLL_SECONDS}`,
      "done",
      `if [ "$(printf '%s\\n' "$members" | grep -c .)" -lt ${plan.nodeCount} ]; then`,
      `  short="$(printf '%s\\n' "$members" | grep -c .) of ${plan.nodeCount} nodes running after ${GROUP_WAIT_SECONDS / 60} minutes: the group is short of capacity"`,
      '  echo "gpu-cluster: fabric gate: $short" >&2',
      // Said in the parameter, so `up` ends with the reason rather than at the association's timeout.
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
      `  for _ in $(seq 1 ${tries}); do [ -e ${KEY_READY} ] && break; sleep ${POLL_SECONDS}; done`,
      `  for _ in $(seq 1 ${tries}); do ${ssh} "root@$ip1" test -e ${READY_MARKER} && break; sleep ${POLL_SECONDS}; done`,
      "fi",
    ],
    master: "$master_addr",
    // The DLC image carries libfabric and aws-ofi-nccl itself (lib/clouds/kubernetes/options.ts); it needs the EFA
    // devices, and the rendezvous address from the host's shell.
    dockerFlags: ["--device /dev/infiniband", "-e master_addr"],
  };
}

/**
 * The association's command: install the check, and run it once per cluster. Every node ends by waiting for the
 * verdict in the parameter (see the file's comment), and exits 0 once it is there, 1 when it never comes.
 * `scriptPath`: where the check is installed (a parameter so tests can run the command in a scratch folder).
 */
export function gateCommand(gateScript: string, region: string, parameterName: string, scriptPath = GATE_SCRIPT): string {
  const tries = Math.ceil((GATE_WAIT_SECONDS - 600) / POLL_SECONDS);
  return [
    `mkdir -p "$(dirname ${scriptPath})"`,
    `cat > ${scriptPath} <<'GATE'`,
    gateScript.trimEnd(),
    "GATE",
    `chmod 755 ${scriptPath}`,
    `state=$(${readParameter(region, parameterName)})`,
    `case "$state" in verdict=*) echo "gpu-cluster: fabric gate already ran: $state"; exit 0 ;; esac`,
    // The check's own status is in its output and VM_GATE_RECORD; what this node reports is whether a verdict exists.
    `${scriptPath} || echo "gpu-cluster: fabric gate script exited $? (see ${VM_GATE_RECORD})"`,
    `for _ in $(seq 1 ${tries}); do`,
    `  state=$(${readParameter(region, parameterName)})`,
    `  case "$state" in verdict=*) echo "gpu-cluster: fabric gate: $state"; exit 0 ;; esac`,
    `  sleep ${POLL_SECONDS}`,
    "done",
    `echo "gpu-cluster: fabric gate: no verdict in ${parameterName} after $(( ${GATE_WAIT_SECONDS} / 60 )) minutes" >&2`,
    "exit 1",
    "",
  ].join("\n");
}

/**
 * The parameter's value as the gate's figure (GB/s), or the failure `up` ends with: the gate's message below the
 * floor (or with no figure), and a plain message while the check has not reported.
 */
export function gateReading(gate: FabricGate, parameterName: string, value: string, associationId = "<association id>"): string {
  const verdict = /(?:^|\s)verdict=(\w+)/.exec(value)?.[1];
  const busbw = /(?:^|\s)busbw=([0-9.]+)(?:\s|$)/.exec(value)?.[1];
  if (verdict === "passed" && busbw !== undefined && gatePasses(gate, Number(busbw))) return busbw;
  if (verdict === "error") {
    throw new Error(`fabric check on ${gate.floor.instanceType} could not run: ${value.replace(/^verdict=error\s*/, "")}\n${awsRerun(parameterName, associationId)}`);
  }
  if (verdict === undefined) {
    throw new Error(
      `fabric check on ${gate.floor.instanceType}: no verdict yet in SSM parameter ${parameterName} ('${value}'). ` +
        `The check runs on the group's two oldest nodes once the whole group runs; see its output in Systems Manager (State Manager, the association's execution history), then run \`pulumi up\` again.`,
    );
  }
  throw new Error(`${gateFailureMessage(gate, busbw ?? "no figure")}\n${awsRerun(parameterName, associationId)}`);
}

/**
 * How the check runs again on AWS: it is one-shot per cluster (a verdict in the parameter ends the script), so reset
 * the parameter and rerun the association (https://docs.aws.amazon.com/cli/latest/reference/ssm/start-associations-once.html).
 */
export function awsRerun(parameterName: string, associationId: string): string {
  return (
    `On AWS the check ran once for the cluster: after a fix, run \`aws ssm put-parameter --name ${parameterName} --value pending --tier Standard --overwrite\` ` +
    `and \`aws ssm start-associations-once --association-ids ${associationId}\`, then \`pulumi up\` again.`
  );
}

/**
 * The gate on an AWS VM training cluster, or undefined where it does not run (opted out, no floor, a capacity block,
 * an air-gapped VPC). `role`: the node role's name; `group`: the Auto Scaling group the association waits behind.
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
    // (https://aws.amazon.com/systems-manager/pricing/), so the gate adds no line to the estimate.
    { type: "String", tier: "Standard", insecureValue: GATE_PENDING, description: `${ctx.name}: the fabric gate's verdict, written by the cluster's first node`, tags: inputs.tags },
    { ...opts, ignoreChanges: ["insecureValue", "value"] },
  );
  const policy = new iam.RolePolicy(`${ctx.name}-node-fabric-gate`, { role: inputs.role, policy: parameter.arn.apply(fabricGatePolicy) }, opts);
  const script = parameter.name.apply((name) => {
    const check = vmGateScript(plan, awsGatePeers(plan, plan.region, inputs.groupTagValue, inputs.image, name), publishCommand(plan.region, name))!;
    return gateCommand(check, plan.region, name);
  });
  const association = new ssm.Association(
    `${ctx.name}-fabric-gate`,
    {
      name: "AWS-RunShellScript",
      targets: [{ key: `tag:${NODE_GROUP_TAG}`, values: [inputs.groupTagValue] }],
      parameters: { commands: script, executionTimeout: String(GATE_WAIT_SECONDS) },
      // Every node at once, and no node's error stops the others: each must wait for the verdict.
      maxConcurrency: "100%",
      maxErrors: "100%",
      waitForSuccessTimeoutSeconds: GATE_WAIT_SECONDS,
    },
    { ...opts, dependsOn: [inputs.group, policy] },
  );
  return { busBandwidthGBps: readBack(gate, parameter, association, ctx), floorGBps: gate.floor.floorGBps };
}

/**
 * The verdict, read once the association succeeded. In a preview nothing has run, so the figure is unknown (as a real
 * preview's read behind a resource being created is) and the gate never fails a preview.
 */
function readBack(gate: FabricGate, parameter: ssm.Parameter, association: ssm.Association, ctx: CompileContext): pulumi.Output<string> {
  if (pulumi.runtime.isDryRun()) return pulumi.output(pulumi.unknown) as pulumi.Output<string>;
  const value = ssm.getParameterOutput({ name: parameter.name }, { parent: ctx.parent, dependsOn: [association] }).insecureValue;
  return pulumi.all([parameter.name, value, association.associationId]).apply(([name, v, id]) => gateReading(gate, name, v, id));
}
