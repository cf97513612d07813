/**
 * GPU metrics on GCP VM nodes: Google's Ops Agent, whose hostmetrics receiver adds an NVML receiver on a node with
 * NVIDIA GPUs, so GPU utilization and memory reach Cloud Monitoring with no GPU config of our own
 * (GoogleCloudPlatform/ops-agent apps/hostmetrics.go @588c4b9, 2026-08-05: the `nvml` pipeline runs when
 * `HasNvidiaGpu` unless every GPU metric is excluded). The config keeps the GPU metrics of
 * lib/clouds/shared/gpu-metrics.ts and excludes every other host metric family and the per-process GPU series, and
 * turns logging off: the node ships metrics only, so it needs `roles/monitoring.metricWriter` and nothing more for it.
 *
 * Cluster Toolkit installs the same agent from Google's repository script (modules/scripts/startup-script
 * files/install_monitoring_agent.sh @1047080, 2026-06-25: `add-google-cloud-ops-agent-repo.sh --also-install`, skipped
 * when the package is already installed), off by default, with a warning that the Ops Agent may cost some performance
 * on HPC workloads; here it runs metrics-only, once a minute.
 */
import { shellQuote } from "../shared/bootstrap.js";
import { GPU_METRICS_INTERVAL_SECONDS, GPU_METRICS_UNIT, gpuMetricsUnitLines } from "../shared/gpu-metrics.js";

/**
 * The agent, pinned: Ops Agent 2.70.0 (GoogleCloudPlatform/ops-agent tag 2.70.0, dd5d287, 2026-07-09), from Google's
 * signed apt repository through Google's own install script (`--version` pins the package). A node whose image already
 * has the agent keeps it, as Cluster Toolkit does: whether the Deep Learning VM image ships it is not assumed.
 */
export const OPS_AGENT = {
  version: "2.70.0",
  script: "https://dl.google.com/cloudagents/add-google-cloud-ops-agent-repo.sh",
  config: "/etc/google-cloud-ops-agent/config.yaml",
  /** Marks a node where this library installed the agent, and so owns its config.yaml. */
  marker: "/var/lib/gpu-cluster/ops-agent-installed",
} as const;

/**
 * The hostmetrics families the config excludes (every one the Linux receiver writes besides `gpu/`, as named in
 * apps/hostmetrics.go @588c4b9), and the per-process GPU series, which would add a series per GPU process.
 */
export const OPS_AGENT_EXCLUDED = [
  "agent.googleapis.com/cpu/*",
  "agent.googleapis.com/disk/*",
  "agent.googleapis.com/interface/*",
  "agent.googleapis.com/memory/*",
  "agent.googleapis.com/network/*",
  "agent.googleapis.com/pagefile/*",
  "agent.googleapis.com/processes/*",
  "agent.googleapis.com/swap/*",
  "agent.googleapis.com/gpu/processes/*",
] as const;

/**
 * The Ops Agent's config.yaml, merged by the agent over its built-in one: the built-in `hostmetrics` receiver every
 * 60 s through an `exclude_metrics` processor, and the built-in syslog pipeline emptied (`receivers: []`, as in the
 * agent's golden test logging-default_overrides_disable_all). Written as YAML text (a fixed shape, no user input).
 */
export function opsAgentConfig(): string {
  return [
    "logging:",
    "  service:",
    "    pipelines:",
    "      default_pipeline:",
    "        receivers: []",
    "metrics:",
    "  receivers:",
    "    hostmetrics:",
    "      type: hostmetrics",
    `      collection_interval: ${GPU_METRICS_INTERVAL_SECONDS}s`,
    "  processors:",
    "    metrics_filter:",
    "      type: exclude_metrics",
    "      metrics_pattern:",
    ...OPS_AGENT_EXCLUDED.map((p) => `        - ${p}`),
    "  service:",
    "    pipelines:",
    "      default_pipeline:",
    "        receivers: [hostmetrics]",
    "        processors: [metrics_filter]",
  ].join("\n");
}

/**
 * The agent's install-and-configure script: install the pinned agent unless the package is there, and, only where this
 * script installed it ({@link OPS_AGENT}.marker), write the config and restart the agent so it reads it. An image's own
 * agent keeps its own config.yaml, which this script never overwrites (an image built with its own receivers, a DCGM
 * receiver for one, keeps them). A failure logs a warning and exits
 * non-zero (the unit fails; the next boot tries again).
 */
export function opsAgentScript(): string {
  return [
    "#!/bin/bash",
    `# gpu-cluster GPU metrics: Google's Ops Agent ${OPS_AGENT.version}, metrics only (NVML GPU utilization and memory)`,
    "set -uo pipefail",
    "gpu_metrics() {",
    "  if ! dpkg-query -W -f='${Status}' google-cloud-ops-agent 2>/dev/null | grep 'ok installed' >/dev/null; then",
    // A global, not a local: the EXIT trap runs after the function has returned.
    '    d=$(mktemp -d) || return 1',
    "    trap 'rm -rf \"$d\"' EXIT",
    `    curl -fsS --retry 5 -o "$d/add-repo.sh" ${OPS_AGENT.script} || return 1`,
    // Retried as Cluster Toolkit's install_with_retry does: apt may still be busy with the image's own upgrades.
    `    for i in 1 2 3 4 5; do bash "$d/add-repo.sh" --also-install --version=${OPS_AGENT.version} && break; [ "$i" = 5 ] && return 1; sleep 30; done`,
    `    mkdir -p "$(dirname ${OPS_AGENT.marker})" && touch ${OPS_AGENT.marker}`,
    "  fi",
    `  if [ ! -e ${OPS_AGENT.marker} ]; then`,
    `    echo "gpu-cluster: the image's own Ops Agent is kept with its own ${OPS_AGENT.config} (not written)"`,
    "    return 0",
    "  fi",
    `  mkdir -p /etc/google-cloud-ops-agent && cat > ${OPS_AGENT.config} <<'OPSAGENT'`,
    opsAgentConfig(),
    "OPSAGENT",
    "  systemctl restart google-cloud-ops-agent",
    "}",
    `gpu_metrics || { logger -p user.warning ${shellQuote("gpu-cluster: the Ops Agent did not start (GPU metrics off on this node; gcp.gpuMetrics; see journalctl -u gpu-cluster-gpu-metrics)")}; exit 1; }`,
    "",
  ].join("\n");
}

/**
 * Startup-script lines (every boot): install {@link opsAgentScript} as a oneshot unit ordered after
 * google-startup-scripts.service (lib/clouds/shared/gpu-metrics.ts `gpuMetricsUnitLines`), so it runs once the whole
 * startup script, `gcp.startupScript` included, is done: its apt never competes with the user's. Metrics are not worth
 * a node: the unit's failure is a warning in the journal, and the boot goes on.
 */
export function opsAgentLines(): string[] {
  return [`# GPU metrics: Google's Ops Agent ${OPS_AGENT.version}, installed after this script (${GPU_METRICS_UNIT})`, ...gpuMetricsUnitLines(opsAgentScript(), "google-startup-scripts.service", "true")];
}
