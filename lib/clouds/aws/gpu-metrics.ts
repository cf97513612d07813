/**
 * GPU metrics on AWS VM nodes: the CloudWatch agent with its `nvidia_gpu` section
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Agent-NVIDIA-GPU.html, read 2026-11-30),
 * the metric set of lib/clouds/shared/gpu-metrics.ts, into a namespace only this stack's nodes may write.
 *
 * Why the agent and not a Prometheus exporter: aws-samples/awsome-distributed-training runs DCGM exporter and an OTel
 * collector remote-writing to Amazon Managed Prometheus on HyperPod (1.architectures/5.sagemaker-hyperpod/LifecycleScripts/
 * base-config/observability/ @7217859, 2026-02-21) and turns on ParallelCluster's own CloudWatch monitoring and
 * dashboards on ParallelCluster (1.architectures/2.aws-parallelcluster/cluster-templates/cluster-vanilla.yaml
 * `Monitoring.Dashboards.CloudWatch`). A VM cluster here has no Prometheus workspace, so the metrics go to CloudWatch
 * with EC2's own agent, beside the instance metrics the console already shows.
 */
import type * as pulumi from "@pulumi/pulumi";
import * as iam from "@pulumi/aws/iam";
import * as ssm from "@pulumi/aws/ssm";
import { cloudInitWaitLines } from "../shared/fabric-gate.js";
import { cloudWatchMeasurements, GPU_METRICS_INTERVAL_SECONDS, GPU_METRICS_NODE_SCRIPT, GPU_METRICS_UNIT, gpuMetricsUnitLines } from "../shared/gpu-metrics.js";
import type { CompileContext } from "../types.js";
import { NODE_GROUP_TAG } from "./cluster-ssh.js";
import { gpuMetricsPolicy } from "./iam.js";
import { billsGpuMetrics } from "../shared/bill.js";

/**
 * The agent, pinned: build 1.300072.0b1766, by its versioned folder in AWS's download bucket (AWS's download pages name
 * only `latest/`; the versioned folder of this build was found 2026-11-30 in public build scripts that pin it by digest
 * and check its `.deb.sig`; the release notes read, aws/amazon-cloudwatch-agent RELEASE_NOTES @ab55b8d, 2026-08-07, end
 * at 1.300071.0, so the line is 1.300072.0 or newer than that read). Whatever the folder serves is installed only when
 * it is signed by AWS's package key, whose fingerprint AWS publishes
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/verify-CloudWatch-Agent-Package-Signature.html, read
 * 2026-11-30: key 3B789C72, "Amazon CloudWatch Agent", fingerprint 9376 16F3 450B 7D80 6CBD 9725 D581 6730 3B78 9C72).
 * A node whose image already has the agent (the user's own AMI) keeps that one: whether the Deep Learning AMI ships it
 * is not assumed.
 */
export const CLOUDWATCH_AGENT = {
  version: "1.300072.0b1766",
  deb: "https://amazoncloudwatch-agent.s3.amazonaws.com/ubuntu/amd64/1.300072.0b1766/amazon-cloudwatch-agent.deb",
  key: "https://amazoncloudwatch-agent.s3.amazonaws.com/assets/amazon-cloudwatch-agent.gpg",
  fingerprint: "937616F3450B7D806CBD9725D58167303B789C72",
  ctl: "/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl",
  config: "/opt/aws/amazon-cloudwatch-agent/etc/gpu-cluster.json",
} as const;

/**
 * The CloudWatch namespace of a component's GPU metrics: `gpu-cluster/<project>/<stack>/<component>` (the group tag's
 * value, lib/clouds/aws/cluster-ssh.ts), so two stacks never write into each other's metrics and the node role's
 * condition names exactly one namespace.
 */
export function gpuMetricsNamespace(groupTagValue: string): string {
  return `gpu-cluster/${groupTagValue}`;
}

/**
 * The agent's configuration: the `nvidia_gpu` measurements only, every minute, each GPU's series dimensioned by the
 * instance (`InstanceId`, `InstanceType`, both read from the instance metadata, so the agent needs no
 * `ec2:DescribeTags`, which `AutoScalingGroupName` would: aws/amazon-cloudwatch-agent plugins/processors/ec2tagger
 * @ab55b8d, which also drops the `host` dimension when it appends these) besides the GPU's `index` and `name` (the agent
 * drops nvidia_smi's `compute_mode`, `pstate` and `uuid` tags: translator/translate/metrics/config/deny_list_tags.go
 * @ab55b8d). No `agent` section and no logs section: the file is appended to whatever config the image carries
 * (see {@link cloudWatchAgentScript}), and the plugin's own interval is all it sets.
 */
export function cloudWatchAgentConfig(namespace: string): object {
  return {
    metrics: {
      namespace,
      append_dimensions: { InstanceId: "${aws:InstanceId}", InstanceType: "${aws:InstanceType}" },
      metrics_collected: { nvidia_gpu: { measurement: cloudWatchMeasurements(), metrics_collection_interval: GPU_METRICS_INTERVAL_SECONDS } },
    },
  };
}

/** Where the node keeps the script the unit runs. */
export const NODE_SCRIPT = GPU_METRICS_NODE_SCRIPT;

/**
 * The agent's install-and-start script, run by the unit after cloud-init (and so after the user data's apt calls):
 * wait for cloud-init (the fabric gate's wait, lib/clouds/shared/fabric-gate.ts), install the agent unless the image
 * has it, write its config and start it with `append-config`, which adds this file beside any config the image already
 * has instead of replacing it (aws/amazon-cloudwatch-agent translator/cmdutil/translatorutil.go @ab55b8d: in the
 * default mode the existing JSON configs are dropped); `-s` enables and starts the agent's unit, so it comes back after
 * a reboot. Idempotent: a second run re-appends the same file (its name is its key) and restarts the agent.
 */
export function cloudWatchAgentScript(namespace: string): string {
  const a = CLOUDWATCH_AGENT;
  const apt = "DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -q";
  return [
    "#!/bin/bash",
    `# gpu-cluster GPU metrics: the CloudWatch agent ${a.version} (nvidia_gpu) into namespace ${namespace}`,
    "set -euo pipefail",
    ...cloudInitWaitLines(1800, "GPU metrics agent not installed"),
    `if [ ! -x ${a.ctl} ]; then`,
    '  d=$(mktemp -d)',
    "  trap 'rm -rf \"$d\"' EXIT",
    `  curl -fsS --retry 5 -o "$d/agent.deb" ${a.deb}`,
    `  curl -fsS --retry 5 -o "$d/agent.deb.sig" ${a.deb}.sig`,
    `  curl -fsS --retry 5 -o "$d/key.gpg" ${a.key}`,
    '  mkdir -m 700 "$d/gnupg"',
    '  gpg --homedir "$d/gnupg" --batch -q --import "$d/key.gpg"',
    // VALIDSIG's last field is the primary key's fingerprint: the package is signed by the key AWS publishes, nothing
    // else. grep reads all of gpg's output (no -q): under pipefail an early exit would fail gpg with SIGPIPE.
    `  gpg --homedir "$d/gnupg" --batch --status-fd 1 --verify "$d/agent.deb.sig" "$d/agent.deb" 2>/dev/null | grep ' ${a.fingerprint}$' >/dev/null`,
    `  ${apt} install -y "$d/agent.deb"`,
    "fi",
    `cat > ${a.config} <<'CWAGENT'`,
    JSON.stringify(cloudWatchAgentConfig(namespace), null, 1),
    "CWAGENT",
    // Output not hidden: a failure's reason is in the unit's journal.
    `${a.ctl} -a append-config -m ec2 -s -c file:${a.config}`,
    "",
  ].join("\n");
}

/**
 * The association's command: install the script as a oneshot unit ordered after cloud-final.service and start it
 * without waiting (lib/clouds/shared/gpu-metrics.ts `gpuMetricsUnitLines`), as the fabric gate does. It exits non-zero
 * only when the unit cannot be started; the install's own outcome is in `journalctl -u gpu-cluster-gpu-metrics`.
 */
export function associationCommand(script: string): string {
  return [
    ...gpuMetricsUnitLines(script, "cloud-final.service", "exit 1"),
    `echo "gpu-cluster: GPU metrics agent install started (${GPU_METRICS_UNIT}; its output: journalctl -u ${GPU_METRICS_UNIT})"`,
    "exit 0",
  ].join("\n");
}

/** Seconds the association's run may take: it only writes the script and the unit and starts the unit. */
export const GPU_METRICS_ASSOCIATION_TIMEOUT_SECONDS = 300;

/**
 * How often State Manager runs the association again on every node: once a day (the AWS docs' example schedule for
 * keeping software installed: https://docs.aws.amazon.com/systems-manager/latest/userguide/reference-cron-and-rate-expressions.html,
 * read 2026-11-30), so a node whose install failed (the download, apt's lock) gets it a day later; on a node where it
 * worked the run re-appends the same config and restarts the agent.
 */
export const GPU_METRICS_SCHEDULE = "rate(1 day)";

/**
 * The GPU metrics of an AWS VM component, or false when they are off: the node role's grant ({@link gpuMetricsPolicy})
 * and a State Manager association (AWS-RunShellScript) on every node of the group (its group tag), which installs the
 * script as a systemd unit ordered after cloud-init on each node as it registers with Systems Manager at boot, the same
 * way as the fabric gate, and again once a day ({@link GPU_METRICS_SCHEDULE}). Not in user data: the
 * heaviest boot script already sits within a few hundred bytes of EC2's 16 KB (test/boot-script-limits.test.ts), and
 * this script is about 2 KB. A failed install shows in the unit's journal on that node, never as a failed boot: metrics are not worth a node. Association runs on EC2 carry no Systems
 * Manager charge (https://aws.amazon.com/systems-manager/pricing/).
 */
export function awsGpuMetrics(ctx: CompileContext, inputs: { role: pulumi.Input<string>; groupTagValue: string; group: pulumi.Resource }): boolean {
  // Installed as billed: the bill names the metrics the agent sends (lib/cost/bom/gpu-metrics.ts).
  if (!billsGpuMetrics(ctx.bill)) return false;
  const opts = { parent: ctx.parent };
  const namespace = gpuMetricsNamespace(inputs.groupTagValue);
  const policy = new iam.RolePolicy(`${ctx.name}-node-gpu-metrics`, { role: inputs.role, policy: gpuMetricsPolicy(namespace) }, opts);
  new ssm.Association(
    `${ctx.name}-gpu-metrics`,
    {
      name: "AWS-RunShellScript",
      targets: [{ key: `tag:${NODE_GROUP_TAG}`, values: [inputs.groupTagValue] }],
      parameters: { commands: associationCommand(cloudWatchAgentScript(namespace)), executionTimeout: String(GPU_METRICS_ASSOCIATION_TIMEOUT_SECONDS) },
      scheduleExpression: GPU_METRICS_SCHEDULE,
      // Every node at once, and one node's failure stops no other's: each installs its own agent.
      maxConcurrency: "100%",
      maxErrors: "100%",
    },
    { ...opts, dependsOn: [inputs.group, policy] },
  );
  return true;
}
