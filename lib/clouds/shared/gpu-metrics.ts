/**
 * GPU metrics on VM clusters, collected by the cloud's own agent (the CloudWatch agent on AWS, the Ops Agent on GCP,
 * Telegraf into Azure Monitor on Azure): one small, deliberate metric set, per GPU, every {@link GPU_METRICS_INTERVAL_SECONDS}.
 * Every VM path reads this table, so a metric added or dropped here changes every cloud's agent config and its bill
 * item together. Kubernetes clusters scrape DCGM instead (lib/clouds/kubernetes/metrics-policy.ts).
 */
import type { GpuModel } from "../../catalog/types.js";
import type { Plan } from "../../planner/types.js";
import { SpecError } from "../../spec/errors.js";
import { oneshotScriptUnitLines } from "./bootstrap.js";

/**
 * Seconds between two samples of each metric: 60 s, the Ops Agent's built-in hostmetrics interval
 * (GoogleCloudPlatform/ops-agent apps/builtinconf.go @588c4b9, 2026-08-05) and the `metrics_collection_interval` of
 * the CloudWatch agent's own sample GPU config (aws/amazon-cloudwatch-agent
 * translator/tocwconfig/sampleConfig/advanced_config_linux.json @ab55b8d, 2026-08-07): a minute is fine-grained
 * enough to see a stalled job, and CloudWatch's standard resolution.
 */
export const GPU_METRICS_INTERVAL_SECONDS = 60;

/** Hours in the month the estimate bills (730 h, the catalog's month). */
export const METRIC_MONTH_HOURS = 730;

/** One metric of the set, and what each cloud's agent calls it (absent: the agent does not collect it). */
export interface GpuMetric {
  /** What it is, for people (README, bill item). */
  what: string;
  /**
   * The CloudWatch agent's `nvidia_gpu` measurement; CloudWatch names it `nvidia_smi_<measurement>`
   * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Agent-NVIDIA-GPU.html, read 2026-11-30
   * in its German and French versions; the names as in aws/amazon-cloudwatch-agent
   * translator/translate/metrics/config/registered_metrics.go @ab55b8d, 2026-08-07).
   */
  aws?: string;
  /**
   * The Ops Agent's metric type and the time series it writes per GPU. The Ops Agent's NVML receiver collects
   * utilization and memory on its own, but no temperature or power (GoogleCloudPlatform/ops-agent apps/hostmetrics.go
   * and integration_test/third_party_apps_test/applications/nvml/metadata.yaml @588c4b9, 2026-08-05); those come from
   * its DCGM receiver (`dcgm`: true), version 2, which reads NVIDIA's DCGM daemon, and only on the GPU models of
   * {@link GCP_DCGM_GPU_MODELS}. Names as Google's integration lists them
   * (integration_test/third_party_apps_test/applications/dcgm/metadata.yaml @588c4b9); one series per GPU (labels
   * model, uuid, gpu_number).
   */
  gcp?: { type: string; seriesPerGpu: number; dcgm?: true };
  /**
   * Telegraf's `nvidia_smi` field, one Azure Monitor custom metric each (influxdata/telegraf
   * plugins/inputs/nvidia_smi/README.md at v1.39.3, eb37a442, 2026-08-10): the nvidia-smi query names, as AWS's.
   */
  azure?: string;
}

/**
 * The set: utilization, memory used and total, temperature, power, per GPU. GCP's memory metric is one type with a
 * `memory_state` label, `used` and `free` (two series; total is their sum), so it stands for both memory rows.
 *
 * Memory total is a constant of the GPU model (the `name` dimension says which), so it carries no signal over time:
 * nothing this library builds reads it (the only dashboard, lib/clouds/kubernetes/dashboard.ts, reads the Kubernetes
 * clusters' DCGM series; no alarm reads the VM series), and on AWS each measurement is a CloudWatch custom metric billed
 * per metric-month, so AWS leaves it out (4 of 5, a fifth fewer metrics). Azure still sends it (Telegraf's field list).
 */
export const GPU_METRICS: readonly GpuMetric[] = [
  { what: "GPU utilization (%)", aws: "utilization_gpu", azure: "utilization_gpu", gcp: { type: "agent.googleapis.com/gpu/utilization", seriesPerGpu: 1 } },
  { what: "GPU memory used (MiB)", aws: "memory_used", azure: "memory_used", gcp: { type: "agent.googleapis.com/gpu/memory/bytes_used", seriesPerGpu: 2 } },
  { what: "GPU memory total (MiB)", azure: "memory_total" },
  { what: "GPU temperature (°C)", aws: "temperature_gpu", azure: "temperature_gpu", gcp: { type: "workload.googleapis.com/gpu.dcgm.temperature", seriesPerGpu: 1, dcgm: true } },
  // GCP: DCGM's energy counter (J since the driver loaded, cumulative); the power in W is its rate (Metrics Explorer's rate aligner).
  { what: "GPU power draw (W)", aws: "power_draw", azure: "power_draw", gcp: { type: "workload.googleapis.com/gpu.dcgm.energy_consumption", seriesPerGpu: 1, dcgm: true } },
];

/**
 * The GPU models whose GCP nodes get NVIDIA DCGM and the Ops Agent's DCGM receiver (temperature and power): the models
 * Google's own DCGM integration test runs on (GoogleCloudPlatform/ops-agent
 * integration_test/third_party_apps_test/applications/dcgm/metadata.yaml `gpu_platforms` @588c4b9, 2026-08-05: a100,
 * v100, t4, l4, h100; V100 and T4 are not in the catalog). The receiver is documented for DCGM 3.1 through 3.3.9
 * (https://cloud.google.com/monitoring/agent/ops-agent/third-party/nvidia, read 2026-11-30); H200 and the Blackwell
 * models (A3 Ultra, A4, A4X) are not in that test, and Google's own Cluster Toolkit installs DCGM 4 on them
 * (examples/machine-learning/a4-highgpu-8g/a4high-slurm-blueprint.yaml @1047080, 2026-06-25), a version the receiver's
 * page does not cover: those nodes keep NVML's utilization and memory only.
 */
export const GCP_DCGM_GPU_MODELS: readonly GpuModel[] = ["A100-40GB", "A100-80GB", "H100", "L4"];

/** Whether a GCP node with this GPU model gets DCGM (temperature and power). */
export function gcpDcgm(gpuModel: GpuModel): boolean {
  return GCP_DCGM_GPU_MODELS.includes(gpuModel);
}

/** The CloudWatch agent's measurements of the set, in table order. */
export function cloudWatchMeasurements(): string[] {
  return GPU_METRICS.flatMap((m) => (m.aws ? [m.aws] : []));
}

/** The Ops Agent's metric types of the set, in table order; `dcgm`: with the DCGM receiver's (default true). */
export function opsAgentMetricTypes(dcgm = true): string[] {
  return GPU_METRICS.flatMap((m) => (m.gcp && (dcgm || !m.gcp.dcgm) ? [m.gcp.type] : []));
}

/** Telegraf's nvidia_smi fields of the set (Azure), in table order. */
export function telegrafFields(): string[] {
  return GPU_METRICS.flatMap((m) => (m.azure ? [m.azure] : []));
}

/**
 * Time series (CloudWatch and Azure Monitor: custom metrics) the set writes per GPU on a cloud. `gpuModel`: on GCP, the
 * DCGM rows count only for {@link GCP_DCGM_GPU_MODELS} (without a model, they count).
 */
export function seriesPerGpu(cloud: "aws" | "gcp" | "azure", gpuModel?: GpuModel): number {
  const dcgm = gpuModel === undefined || gcpDcgm(gpuModel);
  return GPU_METRICS.reduce((n, m) => n + (cloud === "gcp" ? (m.gcp && (dcgm || !m.gcp.dcgm) ? m.gcp.seriesPerGpu : 0) : m[cloud] ? 1 : 0), 0);
}

/** Samples one series writes in a 730-hour month. */
export function samplesPerSeriesMonth(): number {
  return (METRIC_MONTH_HOURS * 3600) / GPU_METRICS_INTERVAL_SECONDS;
}

/**
 * Whether the VM nodes run the agent: VM clusters only, on by default; off by default without a NAT gateway, because
 * the nodes fetch the agent from the internet and send to the cloud's public monitoring endpoint. `option` is the
 * cloud's `gpuMetrics` option.
 */
export function gpuMetricsOn(plan: Pick<Plan, "orchestrator" | "egress">, option: boolean | undefined): boolean {
  // `true` without a NAT gateway never gets here: checkGpuMetricsOption refuses it first.
  return plan.orchestrator === "vm" && option !== false && plan.egress.natGateway;
}

/**
 * Checks the cloud's `gpuMetrics` option (throws SpecError): VM only, and not forced on without a NAT gateway. Returns
 * the note of a default turned off for lack of one. `field` is the option's path, e.g. `aws.gpuMetrics`; `fetches`
 * names what the nodes download.
 */
export function checkGpuMetricsOption(plan: Pick<Plan, "orchestrator" | "egress">, option: boolean | undefined, field: string, fetches: string): string[] {
  if (plan.orchestrator !== "vm") {
    if (option !== undefined) throw new SpecError(field, "is the VM nodes' monitoring agent; a Kubernetes cluster's GPU metrics are DCGM's, scraped by its managed Prometheus", "remove it");
    return [];
  }
  if (plan.egress.natGateway || option === false) return [];
  if (option === true) {
    throw new SpecError(field, `needs egress: the nodes install ${fetches} at boot and send to the cloud's monitoring API, and egress.natGateway is false`, `keep the NAT gateway, or leave ${field} out (off without one)`);
  }
  return [`GPU metrics: off (${field}), egress.natGateway is false and the nodes install ${fetches} from the internet at boot`];
}

/** Where a VM node keeps the GPU metrics agent's install-and-configure script (AWS and GCP). */
export const GPU_METRICS_NODE_SCRIPT = "/var/lib/gpu-cluster/gpu-metrics.sh";

/** The systemd unit that runs {@link GPU_METRICS_NODE_SCRIPT}. */
export const GPU_METRICS_UNIT = "gpu-cluster-gpu-metrics.service";

/** Seconds the unit may run: the wait for the boot, apt's lock, the download and the install. */
export const GPU_METRICS_UNIT_TIMEOUT_SECONDS = 3600;

/**
 * Shell lines that install the agent's script as a oneshot systemd unit ordered after the node's own boot script and
 * start it without waiting, so the agent's apt run never competes with the boot's (apt calls without a lock timeout fail
 * at once on a held dpkg lock). `after` is the unit running the boot script: `cloud-final.service` on AWS (user data runs
 * in cloud-init's final stage: https://cloudinit.readthedocs.io/en/latest/reference/boot.html, read 2026-11-30),
 * `google-startup-scripts.service` on GCP (GoogleCloudPlatform/guest-agent; its start job lasts as long as the startup
 * script, which is where these lines run, so `--no-block` is required). systemd's After= makes a start job wait for a
 * start job of the named unit still queued or running, and not at all once it is done
 * (https://www.freedesktop.org/software/systemd/man/latest/systemd.unit.html#Before=, read 2026-11-30). The unit is
 * not enabled: it runs when these lines run again (AWS: the association's schedule; GCP: every boot). Its output is
 * in `journalctl -u gpu-cluster-gpu-metrics`. `orElse`: what a failed `systemctl` call does (the caller's, see
 * lib/clouds/shared/bootstrap.ts `oneshotScriptUnitLines`).
 */
export function gpuMetricsUnitLines(script: string, after: string, orElse: string): string[] {
  return oneshotScriptUnitLines({
    unit: GPU_METRICS_UNIT,
    description: "gpu-cluster GPU metrics agent (install and configure, after the node's boot script)",
    scriptPath: GPU_METRICS_NODE_SCRIPT,
    script,
    scriptMark: "GPUMETRICS",
    unitMark: "GPUMETRICSUNIT",
    after: [after, "network-online.target"],
    timeoutStartSec: GPU_METRICS_UNIT_TIMEOUT_SECONDS,
    makeDirs: true,
    orElse,
  });
}

/**
 * The plan note of a VM cluster whose nodes run the agent: turning `field` off later removes what the stack created
 * (the grant, and on AWS the association) but uninstalls nothing on running nodes, which keep the agent, now without
 * permission to write (AWS: deleting an association leaves what it installed; GCP: the instance template changes only
 * for new nodes). `stop`: the command that stops it on a node.
 */
export function gpuMetricsOffNote(field: string, stop: string): string {
  return `GPU metrics: setting ${field}: false later removes the grant but uninstalls nothing: running nodes keep the agent (it then fails to write) until replaced; to stop it, run ${stop}`;
}
