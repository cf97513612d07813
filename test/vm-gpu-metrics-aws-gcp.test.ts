/**
 * GPU metrics on AWS and GCP VM clusters (lib/clouds/shared/gpu-metrics.ts, lib/clouds/aws/gpu-metrics.ts,
 * lib/clouds/gcp/gpu-metrics.ts): the agent config each node gets, read back and parsed; the grant that lets the node
 * publish and nothing more; the opt-out removing all of it; and the bill item's volume, hand-computed.
 *
 * Sources, each read 2026-11-30:
 * - https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Agent-NVIDIA-GPU.html (German and French
 *   versions): the `nvidia_gpu` section and its measurements (utilization_gpu, temperature_gpu, power_draw,
 *   memory_total, memory_used, ...; memory_total left out: a constant), named `nvidia_smi_<measurement>` in CloudWatch.
 * - https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/iam-cw-condition-keys-namespace.html: PutMetricData
 *   limited to one namespace with the `cloudwatch:namespace` condition key, Resource "*".
 * - https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/verify-CloudWatch-Agent-Package-Signature.html: the
 *   agent's signing key 3B789C72 and its fingerprint 9376 16F3 450B 7D80 6CBD 9725 D581 6730 3B78 9C72.
 * - GoogleCloudPlatform/ops-agent @588c4b9 (2026-08-05): apps/hostmetrics.go (the NVML pipeline of the hostmetrics
 *   receiver, its four agent.googleapis.com/gpu/* metrics, turned off only when all four are excluded),
 *   apps/metric_processors.go (exclude_metrics globs), confgenerator goldens logging-default_overrides_disable_all.
 * - https://cloud.google.com/stackdriver/pricing: agent metrics billed by bytes ingested.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import * as gpu from "gpu-cluster";
import { CLOUDWATCH_AGENT, NODE_SCRIPT } from "../lib/clouds/aws/gpu-metrics.js";
import { DCGM, DCGM_EXCLUDED, OPS_AGENT, OPS_AGENT_EXCLUDED, opsAgentLines, opsAgentScript } from "../lib/clouds/gcp/gpu-metrics.js";
import { cloudWatchMeasurements, GPU_METRICS, opsAgentMetricTypes, seriesPerGpu } from "../lib/clouds/shared/gpu-metrics.js";
import { containerRuntimeLines } from "../lib/clouds/shared/model-server.js";
import { DESCRIPTORS } from "../lib/cost/bom/index.js";
import { planCluster } from "../lib/planner/plan.js";
import type { ClusterSpec } from "../lib/spec/types.js";
import { ofType, run } from "./helpers/offline.js";

const ASSOCIATION = "aws:ssm/association:Association";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const PROJECT_ROLE = "gcp:projects/iAMMember:IAMMember";
const TEMPLATE = "gcp:compute/instanceTemplate:InstanceTemplate";
const AWS_PROJECT = { project: "proj", stack: "dev" };

const awsTraining = (aws: Record<string, unknown> = {}, egress?: Record<string, unknown>) => () =>
  new gpu.TrainingCluster("train", { cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 }, aws, ...(egress ? { egress } : {}) } as gpu.TrainingClusterArgs);
const gcpTraining = (gcp: Record<string, unknown> = {}) => () =>
  new gpu.TrainingCluster("train", { cloud: "gcp", region: "us-central1", gpu: { instanceType: "a3-megagpu-8g", nodes: 2 }, gcp } as gpu.TrainingClusterArgs);

const named = (r: Awaited<ReturnType<typeof run>>, type: string, name: string) => ofType(r, type).filter((x) => x.name === name);

/** The text between `<<'MARK'` and the closing `MARK` line of a script. */
function heredoc(script: string, mark: string): string {
  const start = script.indexOf(`<<'${mark}'\n`);
  const end = script.indexOf(`\n${mark}\n`, start);
  if (start < 0 || end < 0) throw new Error(`no ${mark} heredoc`);
  return script.slice(start + mark.length + 5, end);
}

/** An Ops Agent exclude_metrics glob as the agent reads it (apps/metric_processors.go globToRegex: `*` is `.*`). */
const globMatches = (glob: string, metric: string) => new RegExp(`^${glob.split("*").map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join(".*")}$`).test(metric);

describe("the metric set, one table for every cloud", () => {
  it("AWS collects utilization, memory used, temperature and power (not the constant memory total); GCP NVML's utilization and memory, and DCGM's temperature and energy on the models Google tests DCGM on", () => {
    expect(cloudWatchMeasurements()).toEqual(["utilization_gpu", "memory_used", "temperature_gpu", "power_draw"]);
    expect(opsAgentMetricTypes(false)).toEqual(["agent.googleapis.com/gpu/utilization", "agent.googleapis.com/gpu/memory/bytes_used"]);
    expect(opsAgentMetricTypes()).toEqual([
      "agent.googleapis.com/gpu/utilization",
      "agent.googleapis.com/gpu/memory/bytes_used",
      "workload.googleapis.com/gpu.dcgm.temperature",
      "workload.googleapis.com/gpu.dcgm.energy_consumption",
    ]);
    // bytes_used carries memory_state used and free: two series per GPU; DCGM's two one each, where DCGM runs.
    expect(seriesPerGpu("aws")).toBe(4);
    expect(seriesPerGpu("gcp", "H100")).toBe(5);
    expect(seriesPerGpu("gcp", "L4")).toBe(5);
    expect(seriesPerGpu("gcp", "A100-80GB")).toBe(5);
    expect(seriesPerGpu("gcp", "H200")).toBe(3);
    expect(seriesPerGpu("gcp", "B200")).toBe(3);
    expect(seriesPerGpu("gcp", "GB200")).toBe(3);
    expect(GPU_METRICS.map((m) => m.what)).toHaveLength(5);
  });
});

describe("the boot's own apt waits for a held dpkg lock", () => {
  it("the model server's apt calls wait up to 10 minutes (DPkg::Lock::Timeout=600) instead of failing the boot", () => {
    const apt = containerRuntimeLines().filter((l) => l.includes("apt-get"));
    expect(apt).toHaveLength(2);
    for (const line of apt) expect(line.match(/apt-get -o DPkg::Lock::Timeout=600 (update|install)/g)).toHaveLength(2);
  });
});

describe("AWS VM: the CloudWatch agent", () => {
  it("grants PutMetricData into the stack's one namespace and nothing else", async () => {
    const result = await run(awsTraining(), AWS_PROJECT);
    expect(result.error).toBeUndefined();
    const [policy] = named(result, ROLE_POLICY, "train-node-gpu-metrics");
    expect(policy).toBeDefined();
    expect(JSON.parse(policy!.inputs.policy as string)).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "cloudwatch:PutMetricData", Resource: "*", Condition: { StringEquals: { "cloudwatch:namespace": "gpu-cluster/proj/dev/train" } } }],
    });
    // No managed CloudWatch policy: the grant above is the agent's only one.
    const attached = ofType(result, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((a) => a.inputs.policyArn);
    expect(attached.filter((arn: string) => arn.includes("CloudWatch"))).toEqual([]);
  });

  it("installs the agent on every node of the group through a State Manager association, with the four measurements every 60 s", async () => {
    const result = await run(awsTraining(), AWS_PROJECT);
    const [association] = named(result, ASSOCIATION, "train-gpu-metrics");
    expect(association!.inputs).toMatchObject({
      name: "AWS-RunShellScript",
      targets: [{ key: "tag:gpu-cluster:node-group", values: ["proj/dev/train"] }],
      maxConcurrency: "100%",
      maxErrors: "100%",
    });
    // The association only writes the unit and starts it (300 s), and runs again every day, retrying a failed install.
    expect(association!.inputs.parameters.executionTimeout).toBe("300");
    expect(association!.inputs.scheduleExpression).toBe("rate(1 day)");
    const command = association!.inputs.parameters.commands as string;
    execFileSync("bash", ["-n"], { input: command });
    execFileSync("bash", ["-n"], { input: heredoc(command, "GPUMETRICS") });
    // The install runs in a oneshot unit ordered after cloud-init's final stage (where user data and its apt calls run),
    // started without waiting; the script itself also waits for cloud-init, as the fabric gate does.
    const unit = heredoc(command, "GPUMETRICSUNIT");
    expect(unit).toContain("After=cloud-final.service network-online.target");
    expect(unit).toContain("Type=oneshot");
    expect(unit).toContain(`ExecStart=${NODE_SCRIPT}`);
    expect(command).toContain("systemctl start --no-block gpu-cluster-gpu-metrics.service || exit 1");
    expect(heredoc(command, "GPUMETRICS")).toContain("timeout 1800 cloud-init status --wait");
    // No `agent` section: the file is appended beside the image's own config, and sets only its plugin's interval.
    const config = JSON.parse(heredoc(command, "CWAGENT"));
    expect(config).toEqual({
      metrics: {
        namespace: "gpu-cluster/proj/dev/train",
        append_dimensions: { InstanceId: "${aws:InstanceId}", InstanceType: "${aws:InstanceType}" },
        metrics_collected: { nvidia_gpu: { measurement: ["utilization_gpu", "memory_used", "temperature_gpu", "power_draw"], metrics_collection_interval: 60 } },
      },
    });
    // The pinned build, and the fingerprint AWS publishes for its signing key.
    expect(command).toContain("https://amazoncloudwatch-agent.s3.amazonaws.com/ubuntu/amd64/1.300072.0b1766/amazon-cloudwatch-agent.deb");
    expect(command).toContain(" 937616F3450B7D806CBD9725D58167303B789C72$'");
    // Not in user data: the boot script stays as it was.
    const lt = ofType(result, "aws:ec2/launchTemplate:LaunchTemplate")[0]!;
    expect(Buffer.from(lt.inputs.userData as string, "base64").toString("utf8")).not.toContain("amazon-cloudwatch-agent");
  });

  it("an inference fleet's replicas get the same agent, on the fleet's own tag", async () => {
    const result = await run(
      () =>
        new gpu.InferenceFleet("serve", { cloud: "aws", region: "us-east-1", gpu: { model: "L4" }, replicas: { min: 1, max: 3 } } as gpu.InferenceFleetArgs),
      AWS_PROJECT,
    );
    expect(result.error).toBeUndefined();
    const [association] = named(result, ASSOCIATION, "serve-gpu-metrics");
    expect(association!.inputs.targets).toEqual([{ key: "tag:gpu-cluster:node-group", values: ["proj/dev/serve"] }]);
    const [policy] = named(result, ROLE_POLICY, "serve-node-gpu-metrics");
    expect(JSON.parse(policy!.inputs.policy).Statement[0].Condition.StringEquals["cloudwatch:namespace"]).toBe("gpu-cluster/proj/dev/serve");
  });

  it("the script runs: it installs only a package signed by AWS's key, then starts the agent with its config", async () => {
    const result = await run(awsTraining(), AWS_PROJECT);
    const command = named(result, ASSOCIATION, "train-gpu-metrics")[0]!.inputs.parameters.commands as string;
    const sandbox = mkdtempSync(join(tmpdir(), "cwagent-"));
    const bin = join(sandbox, "bin");
    mkdirSync(bin);
    const root = join(sandbox, "opt");
    const state = join(sandbox, "state");
    const log = join(sandbox, "log");
    const stub = (name: string, body: string) => {
      writeFileSync(join(bin, name), `#!/bin/bash\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    };
    stub("curl", `echo "curl $*" >> ${log}; while [ $# -gt 0 ]; do [ "$1" = -o ] && { echo data > "$2"; shift; }; shift; done`);
    // gpg --verify prints the status lines, VALIDSIG ending with the signer's primary key fingerprint ($SIGNER).
    stub("gpg", `echo "gpg $*" >> ${log}; case "$*" in *--verify*) echo "[GNUPG:] VALIDSIG AAAA 2026-01-01 0 4 0 1 10 00 $SIGNER"; echo "[GNUPG:] TRUST_UNDEFINED 0 pgp";; esac; exit 0`);
    stub("systemctl", `echo "systemctl $*" >> ${log}`);
    stub("cloud-init", `echo "cloud-init $*" >> ${log}`);
    // apt-get "installs" the agent: its ctl appears.
    stub("apt-get", `echo "apt-get $*" >> ${log}; mkdir -p ${root}/bin ${root}/etc; printf '#!/bin/bash\\necho "ctl $*" >> ${log}\\n' > ${root}/bin/amazon-cloudwatch-agent-ctl; chmod 755 ${root}/bin/amazon-cloudwatch-agent-ctl`);
    expect(NODE_SCRIPT.startsWith("/var/lib/gpu-cluster/")).toBe(true);
    const units = join(sandbox, "systemd");
    const install = command.replaceAll("/opt/aws/amazon-cloudwatch-agent", root).replaceAll("/var/lib/gpu-cluster", state).replaceAll("/etc/systemd/system", units);
    // The association's command installs the script and the unit and starts it; the unit's script is then run here.
    writeFileSync(log, "");
    const installed = spawnSync("bash", ["-c", install], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, encoding: "utf8" });
    expect(installed.status, installed.stderr).toBe(0);
    expect(readFileSync(log, "utf8")).toBe("systemctl daemon-reload\nsystemctl start --no-block gpu-cluster-gpu-metrics.service\n");
    expect(readFileSync(join(units, "gpu-cluster-gpu-metrics.service"), "utf8")).toContain("After=cloud-final.service");
    const script = `bash ${join(state, "gpu-metrics.sh")}`;
    for (const [signer, installs] of [["0000000000000000000000000000000000000000", false], [CLOUDWATCH_AGENT.fingerprint, true]] as const) {
      writeFileSync(log, "");
      const tmp = mkdtempSync(join(sandbox, "tmp-"));
      const r = spawnSync("bash", ["-c", script], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, SIGNER: signer, TMPDIR: tmp }, encoding: "utf8" });
      // The download folder is removed whether the package was installed or refused.
      expect(execFileSync("ls", ["-A", tmp], { encoding: "utf8" })).toBe("");
      const calls = readFileSync(log, "utf8");
      if (!installs) {
        // A package signed by any other key is never installed, and the run fails (the association reports it).
        expect(r.status).not.toBe(0);
        expect(calls).not.toContain("apt-get");
        expect(existsSync(join(root, "bin/amazon-cloudwatch-agent-ctl"))).toBe(false);
        continue;
      }
      expect(r.status, r.stderr).toBe(0);
      expect(calls).toContain("curl -fsS --retry 5 -o");
      expect(calls).toMatch(/apt-get -o DPkg::Lock::Timeout=600 -q install -y \S+\/agent\.deb/);
      expect(calls).toContain("cloud-init status --wait");
      // append-config keeps any config the image already has (fetch-config would drop it).
      expect(calls).toContain(`ctl -a append-config -m ec2 -s -c file:${root}/etc/gpu-cluster.json`);
      expect(calls).not.toContain("fetch-config");
      expect(JSON.parse(readFileSync(join(root, "etc/gpu-cluster.json"), "utf8")).metrics.metrics_collected.nvidia_gpu.measurement).toEqual(["utilization_gpu", "memory_used", "temperature_gpu", "power_draw"]);
      expect(existsSync(join(state, "gpu-metrics.sh"))).toBe(true);
    }
  });

  it("gpuMetrics: false leaves out the association, the grant and the bill item", async () => {
    const result = await run(awsTraining({ gpuMetrics: false }), AWS_PROJECT);
    expect(result.error).toBeUndefined();
    expect(named(result, ASSOCIATION, "train-gpu-metrics")).toEqual([]);
    expect(named(result, ROLE_POLICY, "train-node-gpu-metrics")).toEqual([]);
    expect(ofType(result, ROLE_POLICY).map((p) => p.inputs.policy as string).filter((p) => typeof p === "string" && p.includes("PutMetricData"))).toEqual([]);
    const spec = { cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 4 } } as ClusterSpec;
    expect(DESCRIPTORS["aws-vm"].billOfMaterials(planCluster(spec), 4, { gpuMetrics: false }).filter((i) => i.kind === "unpriced" && i.what.includes("CloudWatch"))).toEqual([]);
  });

  it("without a NAT gateway it is off with a note, and forcing it on is refused; EKS refuses the option", async () => {
    const off = await run(awsTraining({}, { natGateway: false }), AWS_PROJECT);
    expect(off.error).toBeUndefined();
    expect(named(off, ASSOCIATION, "train-gpu-metrics")).toEqual([]);
    const plan = planCluster({ cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 }, egress: { natGateway: false } } as ClusterSpec);
    expect(DESCRIPTORS["aws-vm"].checkOptions(plan, {}).notes).toContain(
      "GPU metrics: off (aws.gpuMetrics), egress.natGateway is false and the nodes install the CloudWatch agent (from S3) from the internet at boot",
    );
    expect(() => DESCRIPTORS["aws-vm"].checkOptions(plan, { gpuMetrics: true })).toThrow(/aws\.gpuMetrics/);
    const eks = planCluster({ cloud: "aws", region: "us-east-1", orchestrator: "kubernetes", gpu: { instanceType: "p5.48xlarge", nodes: 2 } } as ClusterSpec);
    expect(() => DESCRIPTORS["aws-eks"].checkOptions(eks, { gpuMetrics: true, eks: { publicEndpoint: false } })).toThrow(/aws\.gpuMetrics.*VM nodes' monitoring agent/);
  });

  it("the bill names the custom metrics and requests, to the unit: 4 × p5 (8 GPUs) × 4 = 128 metrics, 4 × 43,800 requests", () => {
    const spec = { cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 4 } } as ClusterSpec;
    const items = DESCRIPTORS["aws-vm"].billOfMaterials(planCluster(spec), 4, {}).filter((i) => i.kind === "unpriced" && i.what.startsWith("CloudWatch custom metrics"));
    expect(items).toHaveLength(1);
    const item = items[0] as { what: string; why: string };
    // 730 h × 60 requests an hour = 43,800 per node.
    expect(item.what).toContain(": 128 metrics (4 nodes × 8 GPUs × 4 per GPU, standard resolution, every 60 s) and about 175,200 PutMetricData requests a month");
    expect(item.why).toContain("https://aws.amazon.com/cloudwatch/pricing/");
  });
});

/** The agent config and the whole startup script of a GCP component. */
async function gcpScript(gcp: Record<string, unknown> = {}) {
  const result = await run(gcpTraining(gcp));
  expect(result.error).toBeUndefined();
  const template = ofType(result, TEMPLATE)[0]!;
  return { result, script: String(template.inputs.metadata["startup-script"]) };
}

describe("GCP VM: the Ops Agent", () => {
  it("writes a metrics-only config that keeps the NVML GPU metrics and excludes every other host metric", async () => {
    const { script } = await gcpScript();
    execFileSync("bash", ["-n"], { input: script });
    execFileSync("bash", ["-n"], { input: heredoc(script, "GPUMETRICS") });
    expect(script).toContain(`bash "$d/add-repo.sh" --also-install --version=2.70.0 && break`);
    expect(script).toContain(OPS_AGENT.script);
    const config = parseYaml(heredoc(script, "OPSAGENT"));
    expect(config.logging).toEqual({ service: { pipelines: { default_pipeline: { receivers: [] } } } });
    expect(config.metrics.receivers).toEqual({ hostmetrics: { type: "hostmetrics", collection_interval: "60s" } });
    expect(config.metrics.service).toEqual({ pipelines: { default_pipeline: { receivers: ["hostmetrics"], processors: ["metrics_filter"] } } });
    const patterns: string[] = config.metrics.processors.metrics_filter.metrics_pattern;
    expect(config.metrics.processors.metrics_filter.type).toBe("exclude_metrics");
    expect(patterns).toEqual([...OPS_AGENT_EXCLUDED]);
    // The set's metrics pass the filter (and so the agent keeps its NVML pipeline on); per-process GPU series and host metrics do not.
    for (const metric of opsAgentMetricTypes()) expect(patterns.some((p) => globMatches(p, metric)), metric).toBe(false);
    for (const metric of ["agent.googleapis.com/gpu/processes/utilization", "agent.googleapis.com/gpu/processes/max_bytes_used", "agent.googleapis.com/cpu/utilization", "agent.googleapis.com/memory/bytes_used", "agent.googleapis.com/disk/bytes_used", "agent.googleapis.com/interface/traffic", "agent.googleapis.com/network/tcp_connections", "agent.googleapis.com/swap/io", "agent.googleapis.com/processes/rss_usage"]) {
      expect(patterns.some((p) => globMatches(p, metric)), metric).toBe(true);
    }
    // The install runs in a oneshot unit ordered after the startup-script service, so after gcp.startupScript and its
    // apt calls; the startup script only starts it without waiting (a blocking start would wait for itself).
    const unit = heredoc(script, "GPUMETRICSUNIT");
    expect(unit).toContain("After=google-startup-scripts.service network-online.target");
    expect(unit).toContain("Type=oneshot");
    expect(script).toContain("systemctl start --no-block gpu-cluster-gpu-metrics.service || true");
    expect(script.indexOf("gpu-cluster-gpu-metrics.service")).toBeGreaterThan(script.indexOf("gpu-cluster-health"));
    // A failure is a warning, not a failed boot.
    expect(heredoc(script, "GPUMETRICS")).toContain("gpu_metrics || { logger -p user.warning 'gpu-cluster: the Ops Agent did not start");
  });

  it("the script runs: it installs the pinned version through Google's script, writes the config and restarts the agent; an image's agent keeps its own config", () => {
    const sandbox = mkdtempSync(join(tmpdir(), "opsagent-"));
    const bin = join(sandbox, "bin");
    mkdirSync(bin);
    const etc = join(sandbox, "etc");
    const log = join(sandbox, "calls");
    const stub = (name: string, body: string) => {
      writeFileSync(join(bin, name), `#!/bin/bash\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    };
    // dpkg-query answers from $INSTALLED; curl hands over a repository script that records how it was called.
    stub("dpkg-query", `[ "$INSTALLED" = yes ] && echo "install ok installed"; exit 0`);
    stub("curl", `echo "curl $*" >> ${log}; while [ $# -gt 0 ]; do [ "$1" = -o ] && { printf 'echo "add-repo $*" >> ${log}\\n' > "$2"; shift; }; shift; done`);
    stub("systemctl", `echo "systemctl $*" >> ${log}`);
    stub("logger", `echo "logger $*" >> ${log}`);
    const state = join(sandbox, "state");
    const tmp = join(sandbox, "tmp");
    mkdirSync(tmp);
    const script = opsAgentScript().replaceAll("/etc/google-cloud-ops-agent", etc).replaceAll("/var/lib/gpu-cluster", state);
    const runOnce = (installed: string) => {
      writeFileSync(log, "");
      const r = spawnSync("bash", ["-c", script], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, INSTALLED: installed, TMPDIR: tmp }, encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
      return { calls: readFileSync(log, "utf8"), stdout: r.stdout };
    };
    // An image that ships the agent: its config.yaml is neither written nor the agent restarted.
    const image = runOnce("yes");
    expect(image.calls).not.toContain("add-repo");
    expect(image.calls).not.toContain("systemctl");
    expect(existsSync(join(etc, "config.yaml"))).toBe(false);
    expect(image.stdout).toContain("the image's own Ops Agent is kept");
    // No agent: installed through Google's script, then configured; the download folder is removed.
    const fresh = runOnce("no");
    expect(fresh.calls).toContain(`curl -fsS --retry 5 -o`);
    expect(fresh.calls).toContain(`add-repo --also-install --version=${OPS_AGENT.version}`);
    expect(fresh.calls).toContain("systemctl restart google-cloud-ops-agent");
    expect(fresh.calls).not.toContain("logger");
    expect(parseYaml(readFileSync(join(etc, "config.yaml"), "utf8")).metrics.processors.metrics_filter.metrics_pattern).toEqual([...OPS_AGENT_EXCLUDED]);
    expect(execFileSync("ls", ["-A", tmp], { encoding: "utf8" })).toBe("");
    // The next boot: the agent this script installed keeps being configured by it.
    const again = runOnce("yes");
    expect(again.calls).not.toContain("add-repo");
    expect(again.calls).toContain("systemctl restart google-cloud-ops-agent");
  });

  it("H100, L4 and A100 nodes also get DCGM's receiver (version 2) in a pipeline of its own, which keeps only temperature and energy", async () => {
    const { script } = await gcpScript();
    const config = parseYaml(heredoc(script, "OPSAGENTDCGM"));
    expect(config.metrics.receivers).toEqual({
      hostmetrics: { type: "hostmetrics", collection_interval: "60s" },
      dcgm: { type: "dcgm", receiver_version: 2, collection_interval: "60s" },
    });
    expect(config.metrics.service.pipelines).toEqual({
      default_pipeline: { receivers: ["hostmetrics"], processors: ["metrics_filter"] },
      dcgm: { receivers: ["dcgm"], processors: ["dcgm_filter"] },
    });
    expect(config.metrics.processors.dcgm_filter).toEqual({ type: "exclude_metrics", metrics_pattern: [...DCGM_EXCLUDED] });
    // Every metric Google lists for receiver version 2 (dcgm/metadata.yaml @588c4b9) is excluded but the two the set keeps.
    const kept = ["workload.googleapis.com/gpu.dcgm.temperature", "workload.googleapis.com/gpu.dcgm.energy_consumption"];
    const dropped = ["utilization", "sm.utilization", "pipe.utilization", "codec.encoder.utilization", "codec.decoder.utilization", "memory.bytes_used", "memory.bandwidth_utilization", "pcie.io", "nvlink.io", "clock.frequency", "clock.throttle_duration.time", "ecc_errors", "xid_errors"].map((m) => `workload.googleapis.com/gpu.dcgm.${m}`);
    for (const metric of kept) expect(DCGM_EXCLUDED.some((p) => globMatches(p, metric)), metric).toBe(false);
    for (const metric of dropped) expect(DCGM_EXCLUDED.some((p) => globMatches(p, metric)), metric).toBe(true);
    expect(opsAgentMetricTypes().filter((m) => m.startsWith("workload."))).toEqual([kept[0], kept[1]]);
    // Without DCGM running, the NVML-only config.
    expect(parseYaml(heredoc(script, "OPSAGENT")).metrics.receivers).toEqual({ hostmetrics: { type: "hostmetrics", collection_interval: "60s" } });
    expect(heredoc(script, "GPUMETRICS")).toContain(`install -y datacenter-gpu-manager=1:3.3.9 || return 1`);
    // An L4 fleet gets it too; H200 (A3 Ultra) and Blackwell nodes do not.
    expect(opsAgentLines({ gpuModel: "L4" }).join("\n")).toContain("OPSAGENTDCGM");
    for (const gpuModel of ["H200", "B200", "GB200"] as const) {
      const lines = opsAgentLines({ gpuModel }).join("\n");
      expect(lines, gpuModel).not.toContain("OPSAGENTDCGM");
      expect(lines, gpuModel).not.toContain("nvidia-dcgm");
    }
  });

  it("without Cloud NAT it is off, and the note names what the nodes would fetch: DCGM too on H100, not on H200", () => {
    const note = (instanceType: string, pricing = "on-demand") =>
      DESCRIPTORS["gcp-vm"].checkOptions(planCluster({ cloud: "gcp", region: "us-central1", gpu: { instanceType, nodes: 2 }, egress: { natGateway: false }, pricing } as ClusterSpec), {}).notes.filter((n) => n.startsWith("GPU metrics:"));
    expect(note("a3-megagpu-8g")).toEqual([
      "GPU metrics: off (gcp.gpuMetrics), egress.natGateway is false and the nodes install the Ops Agent (from Google's package repository) and NVIDIA DCGM (from NVIDIA's CUDA repository) from the internet at boot",
    ]);
    expect(note("a3-ultragpu-8g", "spot")).toEqual([
      "GPU metrics: off (gcp.gpuMetrics), egress.natGateway is false and the nodes install the Ops Agent (from Google's package repository) from the internet at boot",
    ]);
  });

  it("the DCGM script runs: NVIDIA's key checked by fingerprint, DCGM 3.3.9 installed and started, then the DCGM config; otherwise NVML only", () => {
    const sandbox = mkdtempSync(join(tmpdir(), "dcgm-"));
    const bin = join(sandbox, "bin");
    mkdirSync(bin);
    const etc = join(sandbox, "etc");
    const apt = join(sandbox, "apt");
    mkdirSync(join(apt, "sources.list.d"), { recursive: true });
    const osRelease = join(sandbox, "os-release");
    writeFileSync(osRelease, 'ID=ubuntu\nVERSION_ID="22.04"\n');
    const log = join(sandbox, "calls");
    const version = join(sandbox, "dcgm-version");
    const stub = (name: string, body: string) => {
      writeFileSync(join(bin, name), `#!/bin/bash\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    };
    stub("dpkg-query", `case "$*" in *google-cloud-ops-agent*) [ "$INSTALLED" = yes ] && echo "install ok installed" ;; *datacenter-gpu-manager*) cat ${version} 2>/dev/null ;; esac; exit 0`);
    stub("curl", `echo "curl $*" >> ${log}; while [ $# -gt 0 ]; do [ "$1" = -o ] && { echo key > "$2"; shift; }; shift; done`);
    // gpg --show-keys prints the key's fingerprint record ($SIGNER); --dearmor writes the keyring.
    stub("gpg", `echo "gpg $*" >> ${log}; case "$*" in *--show-keys*) echo "pub:-:4096:1:A4B469963BF863CC:::::::scESC::::::23::0:"; echo "fpr:::::::::$SIGNER:" ;; *--dearmor*) while [ $# -gt 0 ]; do [ "$1" = -o ] && { echo keyring > "$2"; shift; }; shift; done ;; esac`);
    // apt-get "installs" DCGM 3.3.9: nv-hostengine appears.
    stub("apt-get", `echo "apt-get $*" >> ${log}; case "$*" in *install*) printf '#!/bin/bash\\n' > ${bin}/nv-hostengine; chmod 755 ${bin}/nv-hostengine; echo 1:3.3.9 > ${version} ;; esac`);
    stub("systemctl", `echo "systemctl $*" >> ${log}`);
    stub("logger", `echo "logger $*" >> ${log}`);
    const state = join(sandbox, "state");
    mkdirSync(state);
    // The Ops Agent was installed by this script before: the run goes straight to DCGM and the config.
    writeFileSync(join(state, "ops-agent-installed"), "");
    const script = opsAgentScript(true).replaceAll("/etc/google-cloud-ops-agent", etc).replaceAll("/var/lib/gpu-cluster", state).replaceAll("/etc/apt", apt).replaceAll("/etc/os-release", osRelease);
    const runOnce = (signer: string) => {
      writeFileSync(log, "");
      const r = spawnSync("bash", ["-c", script], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, INSTALLED: "yes", SIGNER: signer }, encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
      return { calls: readFileSync(log, "utf8"), stderr: r.stderr, receivers: Object.keys(parseYaml(readFileSync(join(etc, "config.yaml"), "utf8")).metrics.receivers) };
    };
    const repo = "https://developer.download.nvidia.com/compute/cuda/repos/ubuntu2204/x86_64";
    // A key that is not NVIDIA's: no repository, no install, the NVML-only config and a warning.
    const forged = runOnce("0000000000000000000000000000000000000000");
    expect(forged.calls).toContain(`curl -fsS --retry 5 -o`);
    expect(forged.calls).toContain(`${repo}/3bf863cc.pub`);
    expect(forged.calls).not.toContain("apt-get");
    expect(forged.stderr).toContain("NVIDIA's CUDA repository key is not EB693B3035CD5710E231E123A4B469963BF863CC");
    expect(forged.calls).toContain("logger -p user.warning gpu-cluster: DCGM is not running: GPU temperature and power off on this node");
    expect(forged.receivers).toEqual(["hostmetrics"]);
    expect(existsSync(join(apt, "sources.list.d", "gpu-cluster-cuda.list"))).toBe(false);
    // NVIDIA's key: the repository is added with it, DCGM 3.3.9 installed and started, the DCGM config written.
    const fresh = runOnce(DCGM.fingerprint);
    expect(readFileSync(join(apt, "sources.list.d", "gpu-cluster-cuda.list"), "utf8")).toBe(`deb [signed-by=${apt}/keyrings/gpu-cluster-cuda.gpg] ${repo}/ /\n`);
    expect(readFileSync(join(apt, "keyrings", "gpu-cluster-cuda.gpg"), "utf8")).toBe("keyring\n");
    expect(fresh.calls).toContain("apt-get -o DPkg::Lock::Timeout=600 -q install -y datacenter-gpu-manager=1:3.3.9");
    expect(fresh.calls).toContain("systemctl enable --now nvidia-dcgm");
    expect(fresh.calls).not.toContain("logger");
    expect(fresh.receivers).toEqual(["hostmetrics", "dcgm"]);
    expect(fresh.calls.indexOf("systemctl enable --now nvidia-dcgm")).toBeLessThan(fresh.calls.indexOf("systemctl restart google-cloud-ops-agent"));
    // The next boot: DCGM is there, nothing is downloaded.
    const again = runOnce(DCGM.fingerprint);
    expect(again.calls).not.toContain("curl");
    expect(again.calls).not.toContain("apt-get");
    expect(again.receivers).toEqual(["hostmetrics", "dcgm"]);
    // An image with DCGM 4: kept, and not read (the receiver's page covers 3.1 to 3.3.9).
    writeFileSync(version, "1:4.2.3-1\n");
    const four = runOnce(DCGM.fingerprint);
    expect(four.calls).not.toContain("apt-get");
    expect(four.calls).not.toContain("nvidia-dcgm");
    expect(four.stderr).toContain("the image's DCGM is not 3.x");
    expect(four.receivers).toEqual(["hostmetrics"]);
  });

  it("an image with NVIDIA's CUDA repository already: DCGM comes from it, no second entry for the same address", () => {
    const sandbox = mkdtempSync(join(tmpdir(), "dcgm-repo-"));
    const bin = join(sandbox, "bin");
    mkdirSync(bin);
    const apt = join(sandbox, "apt");
    mkdirSync(join(apt, "sources.list.d"), { recursive: true });
    writeFileSync(join(apt, "sources.list.d", "cuda-ubuntu2204-x86_64.list"), "deb [signed-by=/usr/share/keyrings/cuda-archive-keyring.gpg] https://developer.download.nvidia.com/compute/cuda/repos/ubuntu2204/x86_64/ /\n");
    const log = join(sandbox, "calls");
    const stub = (name: string, body: string) => {
      writeFileSync(join(bin, name), `#!/bin/bash\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    };
    stub("dpkg-query", `case "$*" in *google-cloud-ops-agent*) echo "install ok installed" ;; *datacenter-gpu-manager*) [ -e ${bin}/nv-hostengine ] && echo 1:3.3.9 ;; esac; exit 0`);
    stub("curl", `echo "curl $*" >> ${log}`);
    stub("gpg", `echo "gpg $*" >> ${log}`);
    stub("apt-get", `echo "apt-get $*" >> ${log}; case "$*" in *install*) printf '#!/bin/bash\\n' > ${bin}/nv-hostengine; chmod 755 ${bin}/nv-hostengine ;; esac`);
    stub("systemctl", `echo "systemctl $*" >> ${log}`);
    stub("logger", `echo "logger $*" >> ${log}`);
    const state = join(sandbox, "state");
    mkdirSync(state);
    writeFileSync(join(state, "ops-agent-installed"), "");
    const script = opsAgentScript(true).replaceAll("/etc/google-cloud-ops-agent", join(sandbox, "etc")).replaceAll("/var/lib/gpu-cluster", state).replaceAll("/etc/apt", apt);
    const r = spawnSync("bash", ["-c", script], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const calls = readFileSync(log, "utf8");
    expect(calls).not.toContain("curl");
    expect(calls).not.toContain("gpg");
    expect(calls).toContain("apt-get -o DPkg::Lock::Timeout=600 -q install -y datacenter-gpu-manager=1:3.3.9");
    expect(execFileSync("ls", [join(apt, "sources.list.d")], { encoding: "utf8" })).toBe("cuda-ubuntu2204-x86_64.list\n");
    expect(Object.keys(parseYaml(readFileSync(join(sandbox, "etc", "config.yaml"), "utf8")).metrics.receivers)).toEqual(["hostmetrics", "dcgm"]);
  });

  it("binds roles/monitoring.metricWriter to the node account; gpuMetrics: false removes the agent, the role and the bill item", async () => {
    const on = await gcpScript();
    expect(named(on.result, PROJECT_ROLE, "train-nodes-metrics").map((r) => r.inputs.role)).toEqual(["roles/monitoring.metricWriter"]);
    const off = await gcpScript({ gpuMetrics: false });
    expect(off.script).not.toContain("google-cloud-ops-agent");
    expect(off.script).not.toContain("OPSAGENT");
    expect(named(off.result, PROJECT_ROLE, "train-nodes-metrics")).toEqual([]);
    expect(ofType(off.result, PROJECT_ROLE).map((r) => r.inputs.role)).not.toContain("roles/monitoring.metricWriter");
    const spec = { cloud: "gcp", region: "us-central1", gpu: { instanceType: "a3-megagpu-8g", nodes: 4 } } as ClusterSpec;
    expect(DESCRIPTORS["gcp-vm"].billOfMaterials(planCluster(spec), 4, { gpuMetrics: false }).filter((i) => i.kind === "unpriced" && i.what.includes("Cloud Monitoring"))).toEqual([]);
  });

  it("the bill names the points ingested, to the unit: 4 × A3 Mega (8 H100) × 5 series × 43,800 minutes = 7,008,000; A4 (B200, no DCGM) 3 series", () => {
    const points = (instanceType: string) => {
      // A4 is sold as Spot (or reserved), not on demand, and the catalog holds no Spot price for it here: a contract rate stands in.
      const spec = { cloud: "gcp", region: "us-central1", gpu: { instanceType, nodes: 4 }, ...(instanceType.startsWith("a4") ? { pricing: "spot", contractUsdPerHour: 100 } : {}) } as ClusterSpec;
      const items = DESCRIPTORS["gcp-vm"].billOfMaterials(planCluster(spec), 4, {}).filter((i) => i.kind === "unpriced" && i.what.startsWith("Cloud Monitoring ingestion"));
      expect(items).toHaveLength(1);
      return (items[0] as { what: string }).what;
    };
    expect(points("a3-megagpu-8g")).toContain(": 7,008,000 points a month (4 nodes × 8 GPUs × 5 series per GPU, every 60 s for 730 h)");
    // 4 × 8 × 3 × 43,800 = 4,204,800.
    expect(points("a4-highgpu-8g")).toContain(": 4,204,800 points a month (4 nodes × 8 GPUs × 3 series per GPU, every 60 s for 730 h)");
  });

  it("an inference fleet's replicas run the same agent and config, and their account gets the same role", async () => {
    const result = await run(() => new gpu.InferenceFleet("serve", { cloud: "gcp", region: "us-central1", gpu: { model: "L4" }, replicas: { min: 1, max: 3 } } as gpu.InferenceFleetArgs));
    expect(result.error).toBeUndefined();
    const script = String(ofType(result, TEMPLATE)[0]!.inputs.metadata["startup-script"]);
    execFileSync("bash", ["-n"], { input: script });
    expect(parseYaml(heredoc(heredoc(script, "GPUMETRICS"), "OPSAGENT")).metrics.processors.metrics_filter.metrics_pattern).toEqual([...OPS_AGENT_EXCLUDED]);
    expect(named(result, PROJECT_ROLE, "serve-nodes-metrics").map((r) => r.inputs.role)).toEqual(["roles/monitoring.metricWriter"]);
  });

  it("the plan says that turning the option off later leaves running nodes' agents, and how to stop one (both clouds)", () => {
    const aws = planCluster({ cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 } } as ClusterSpec);
    expect(DESCRIPTORS["aws-vm"].checkOptions(aws, {}).notes).toContain(
      "GPU metrics: setting aws.gpuMetrics: false later removes the grant but uninstalls nothing: running nodes keep the agent (it then fails to write) until replaced; " +
        "to stop it, run `sudo /opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a stop` on each node (or an instance refresh of the group)",
    );
    expect(DESCRIPTORS["aws-vm"].checkOptions(aws, { gpuMetrics: false }).notes.filter((n) => n.startsWith("GPU metrics:"))).toEqual([]);
    const gcp = planCluster({ cloud: "gcp", region: "us-central1", gpu: { instanceType: "a3-megagpu-8g", nodes: 2 } } as ClusterSpec);
    const gcpNotes = DESCRIPTORS["gcp-vm"].checkOptions(gcp, {}).notes.filter((n) => n.startsWith("GPU metrics:"));
    expect(gcpNotes).toEqual([
      "GPU metrics: setting gcp.gpuMetrics: false later removes the grant but uninstalls nothing: running nodes keep the agent (it then fails to write) until replaced; " +
        "to stop it, run `sudo systemctl disable --now google-cloud-ops-agent` on each node (or a rolling replace of the group)",
      // H100 gets DCGM, which holds the profiling counters CUPTI tools need (NVIDIA DCGM user guide, `dcgmi profile`).
      "GPU metrics: DCGM holds the GPUs' profiling counters for the Ops Agent; before profiling with Nsight Compute or Nsight Systems run `sudo dcgmi profile --pause` on the node, and `sudo dcgmi profile --resume` after",
    ]);
    // H200 (A3 Ultra) gets NVML's metrics only, so no DCGM note.
    const ultra = planCluster({ cloud: "gcp", region: "us-central1", gpu: { instanceType: "a3-ultragpu-8g", nodes: 2 }, pricing: "spot" } as ClusterSpec);
    expect(DESCRIPTORS["gcp-vm"].checkOptions(ultra, {}).notes.filter((n) => n.includes("dcgmi profile"))).toEqual([]);
  });

  it("a GKE cluster refuses the option (its GPU metrics are DCGM's)", () => {
    const gke = planCluster({ cloud: "gcp", region: "us-central1", orchestrator: "kubernetes", gpu: { instanceType: "a3-megagpu-8g", nodes: 2 } } as ClusterSpec);
    expect(() => DESCRIPTORS["gcp-gke"].checkOptions(gke, { gpuMetrics: false, gke: { publicEndpoint: false } })).toThrow(/gcp\.gpuMetrics/);
  });
});
