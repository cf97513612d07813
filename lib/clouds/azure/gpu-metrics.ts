/**
 * GPU metrics of Azure VM nodes in Azure Monitor. The Azure Monitor Agent collects no GPU metrics of its own, so each
 * node runs Telegraf (pinned, from InfluxData's signed apt repository, under the package's systemd unit) with its
 * `nvidia_smi` input and its `azure_monitor` output, which writes Azure Monitor custom metrics with the node's managed
 * identity. Sources (read 2026-11-30):
 * - Azure Monitor lists "the InfluxData Telegraf agent on your Azure Linux VM ... by using the Azure Monitor output
 *   plug-in" among the ways to send custom metrics
 *   (https://learn.microsoft.com/azure/azure-monitor/essentials/metrics-custom-overview); a managed identity writes
 *   them with "Monitoring Metrics Publisher" on the resource they are written against
 *   (https://learn.microsoft.com/azure/azure-monitor/essentials/metrics-store-custom-rest-api).
 * - Telegraf v1.39.3 (tag eb37a442, 2026-08-10), plugins/outputs/azure_monitor/azure_monitor.go and types.go: the
 *   region and resource come from the VM's instance metadata, and on a scale-set VM the resource is the SCALE SET
 *   (`.../virtualMachineScaleSets/<name>`), so the role is granted on the scale set only; the token is the managed
 *   identity's (go-autorest's environment authorizer, whose `AZURE_CLIENT_ID` picks the user-assigned identity:
 *   Azure/go-autorest autorest/azure/auth v0.5.13, auth.go GetMSI); values are aggregated into one-minute buckets (Azure
 *   Monitor's resolution), the namespace is `Telegraf/<measurement>` and each field is a metric, each tag a dimension.
 * - plugins/inputs/nvidia_smi/README.md (same tag): the fields and tags; docs/CONFIGURATION.md: `fieldinclude` and
 *   `taginclude` (the `host` tag is added before `taginclude` runs, so it is listed); scripts/telegraf.service reads
 *   /etc/default/telegraf; scripts/deb/post-install.sh keeps a telegraf.conf that exists before the install.
 * - docs/INSTALL_GUIDE.md (same tag): the repository, its key and the key's primary fingerprint.
 * - Azure's own HPC tooling: the HPC image installs Moneo (Azure/azhpc-images components/install_monitoring_tools.sh,
 *   8e9d055f, 2026-07-29), whose Azure Monitor path publishes to an Application Insights resource given by connection
 *   string from a manager node over SSH (Azure/Moneo docs/AzureMonitorAgent.md, 891fc3ed): a resource and a secret more
 *   than this needs, so the nodes write to their own scale set instead.
 *
 * No Pulumi here: the bill of materials (lib/cost/bom/azure-vm.ts) reads the same metric set and interval.
 */
import type { Plan } from "../../planner/types.js";
import { shellQuote } from "../shared/bootstrap.js";
import { GPU_METRICS_INTERVAL_SECONDS, gpuMetricsOn, samplesPerSeriesMonth, seriesPerGpu, telegrafFields } from "../shared/gpu-metrics.js";

/** The Telegraf release the nodes run, and its Debian package version (InfluxData's `<version>-1`). */
export const TELEGRAF_VERSION = "1.39.3";
export const TELEGRAF_PACKAGE = `telegraf=${TELEGRAF_VERSION}-1`;

/** InfluxData's package repository and the primary fingerprint of its signing key (docs/INSTALL_GUIDE.md, v1.39.3). */
export const INFLUXDATA_REPO = {
  keyUrl: "https://repos.influxdata.com/influxdata-archive.key",
  fingerprint: "24C975CBA61A024EE1B631787C3D57159FC2F927",
  keyring: "/etc/apt/keyrings/influxdata-archive.gpg",
  source: "https://repos.influxdata.com/debian stable main",
} as const;

/**
 * The per-GPU metrics the nodes publish: the shared VM set's Telegraf `nvidia_smi` fields (lib/clouds/shared/gpu-metrics.ts),
 * one Azure Monitor metric each, with the dimensions `host` (the VM's computer name), `index` and `uuid` (the GPU).
 */
export const AZURE_GPU_METRICS: readonly string[] = telegrafFields();

/** The dimensions each metric carries (nvidia_smi's other tags, e.g. `pstate`, would multiply the series). */
export const GPU_METRIC_DIMENSIONS = ["host", "index", "uuid"] as const;

// One sample per series a minute: Azure Monitor's resolution is one minute and Telegraf's output sends one aggregate
// per series per minute, at the shared GPU_METRICS_INTERVAL_SECONDS (60 s).

/** Where the metrics appear: the scale set's custom metric namespace (`namespace_prefix` + the measurement). */
export const GPU_METRICS_NAMESPACE = "Telegraf/nvidia_smi";

/** Files the boot script writes. */
export const TELEGRAF_FILES = { config: "/etc/telegraf/telegraf.conf", env: "/etc/default/telegraf", status: "/var/lib/gpu-cluster/gpu-metrics" } as const;

/**
 * Whether an Azure VM plan publishes GPU metrics: on unless `azure.gpuMetrics: false`, and on by default only where the
 * nodes reach the internet (a NAT gateway: the node subnet has no default outbound access, and both the package
 * repository and `<region>.monitoring.azure.com` are public endpoints). `true` without a NAT gateway is refused by
 * checkAzureOptions. One rule for the compilers, the notes and the bill.
 */
export function azureGpuMetricsOn(plan: Pick<Plan, "egress" | "orchestrator">, options: { gpuMetrics?: boolean } | undefined): boolean {
  return gpuMetricsOn(plan, options?.gpuMetrics);
}

/** Series the plan publishes at `nodes` nodes: one per GPU and metric. */
export function gpuMetricSeries(nodes: number, gpusPerNode: number): number {
  return nodes * gpusPerNode * seriesPerGpu("azure");
}

/** Samples a month for `series`: one per series per interval, over 730 hours. */
export function monthlyGpuMetricSamples(series: number): number {
  return series * samplesPerSeriesMonth();
}

const tomlList = (values: readonly string[]) => `[${values.map((v) => JSON.stringify(v)).join(", ")}]`;

/**
 * Telegraf's whole configuration: the nvidia_smi input, kept to the metric set and its dimensions, and the Azure
 * Monitor output (region and resource from the instance metadata). Nothing else, so nothing else is published or billed.
 */
export function telegrafConfig(): string {
  const interval = `"${GPU_METRICS_INTERVAL_SECONDS}s"`;
  return [
    "# gpu-cluster: per-GPU metrics to Azure Monitor (lib/clouds/azure/gpu-metrics.ts)",
    "[agent]",
    `  interval = ${interval}`,
    "  round_interval = true",
    `  flush_interval = ${interval}`,
    "",
    "[[inputs.nvidia_smi]]",
    '  bin_path = "/usr/bin/nvidia-smi"',
    '  timeout = "5s"',
    `  fieldinclude = ${tomlList(AZURE_GPU_METRICS)}`,
    `  taginclude = ${tomlList(GPU_METRIC_DIMENSIONS)}`,
    "",
    "[[outputs.azure_monitor]]",
    `  namespace_prefix = "Telegraf/"`,
    "  strings_as_dimensions = false",
    "",
  ].join("\n");
}

/**
 * Boot-script lines that install Telegraf and start it under systemd with the node identity's client id. A failure is
 * logged and recorded in /var/lib/gpu-cluster/gpu-metrics, never fatal: a node without its metrics still trains, and
 * failing the bootstrap would have the health check replace it.
 */
export function gpuMetricsLines(clientId: string): string[] {
  const r = INFLUXDATA_REPO;
  const apt = "DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -q";
  return [
    `# GPU metrics: Telegraf ${TELEGRAF_VERSION} (nvidia_smi -> Azure Monitor custom metrics ${GPU_METRICS_NAMESPACE} on the scale set).`,
    "gpu_metrics() {",
    "  mkdir -p /etc/telegraf /etc/apt/keyrings",
    // Written before the package: its post-install keeps an existing telegraf.conf and /etc/default/telegraf.
    `  cat > ${TELEGRAF_FILES.config} <<'TELEGRAF'`,
    ...telegrafConfig().trimEnd().split("\n"),
    "TELEGRAF",
    // The user-assigned identity's client id, for the managed-identity token (AZURE_CLIENT_ID, read by the unit).
    `  printf 'AZURE_CLIENT_ID=%s\\n' ${shellQuote(clientId)} > ${TELEGRAF_FILES.env}`,
    `  curl -fsSL --retry 5 -o /tmp/influxdata-archive.key ${r.keyUrl} || return 1`,
    // The key's primary fingerprint, as InfluxData's guide checks it (read into a file: no pipe into `grep -q` under pipefail).
    "  gpg --show-keys --with-fingerprint --with-colons /tmp/influxdata-archive.key > /tmp/influxdata-archive.fpr 2>/dev/null",
    `  grep -q '^fpr:\\+${r.fingerprint}:$' /tmp/influxdata-archive.fpr || return 2`,
    `  gpg --dearmor --yes -o ${r.keyring} /tmp/influxdata-archive.key || return 1`,
    `  echo 'deb [signed-by=${r.keyring}] ${r.source}' > /etc/apt/sources.list.d/influxdata.list`,
    `  ${apt} update >/dev/null || return 1`,
    `  ${apt} install -y ${TELEGRAF_PACKAGE} >/dev/null || return 1`,
    // The version stays pinned: an unattended upgrade does not move it.
    "  apt-mark hold telegraf >/dev/null",
    "  systemctl enable telegraf && systemctl restart telegraf",
    "}",
    "mkdir -p /var/lib/gpu-cluster",
    "gpu_metrics; rc=$?",
    'if [ "$rc" -eq 0 ]; then',
    `  echo "ok: telegraf ${TELEGRAF_VERSION}" > ${TELEGRAF_FILES.status}`,
    "else",
    `  [ "$rc" -eq 2 ] && why='the InfluxData key does not have the expected fingerprint' || why='install or start failed'`,
    `  echo "gpu-cluster: GPU METRICS OFF: $why (see journalctl -u cloud-final)" | tee ${TELEGRAF_FILES.status} >&2`,
    `  logger -p user.warning "gpu-cluster: GPU metrics off: $why"`,
    "fi",
  ];
}
