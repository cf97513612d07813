/**
 * GPU metrics on GCP VM nodes: Google's Ops Agent, whose hostmetrics receiver adds an NVML receiver on a node with
 * NVIDIA GPUs, so GPU utilization and memory reach Cloud Monitoring with no GPU config of our own
 * (GoogleCloudPlatform/ops-agent apps/hostmetrics.go @588c4b9, 2026-08-05: the `nvml` pipeline runs when
 * `HasNvidiaGpu` unless every GPU metric is excluded). The config keeps the GPU metrics of
 * lib/clouds/shared/gpu-metrics.ts and excludes every other host metric family and the per-process GPU series, and
 * turns logging off: the node ships metrics only, so it needs `roles/monitoring.metricWriter` and nothing more for it.
 *
 * On the GPU models of GCP_DCGM_GPU_MODELS (lib/clouds/shared/gpu-metrics.ts) the node also gets NVIDIA DCGM 3.3.9 and
 * the agent's DCGM receiver (version 2), for GPU temperature and energy, which NVML's receiver does not collect
 * (https://cloud.google.com/monitoring/agent/ops-agent/third-party/nvidia, read 2026-11-30: DCGM 3.1 through 3.3.9,
 * running as the privileged `nvidia-dcgm` service; receiver version 2 needs Ops Agent 2.51.0 or later).
 *
 * Cluster Toolkit installs the same agent from Google's repository script (modules/scripts/startup-script
 * files/install_monitoring_agent.sh @1047080, 2026-06-25: `add-google-cloud-ops-agent-repo.sh --also-install`, skipped
 * when the package is already installed), off by default, with a warning that the Ops Agent may cost some performance
 * on HPC workloads; here it runs metrics-only, once a minute.
 */
import { shellQuote } from "../shared/bootstrap.js";
import type { Plan } from "../../planner/types.js";
import { gcpDcgm, GPU_METRICS_INTERVAL_SECONDS, GPU_METRICS_UNIT, gpuMetricsUnitLines } from "../shared/gpu-metrics.js";

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
 * NVIDIA DCGM, pinned: 3.3.9, the last version Google's DCGM receiver page names, from NVIDIA's CUDA apt repository
 * (package `datacenter-gpu-manager`, epoch 1, the form other pinned installs use, e.g. `=1:3.3.6`), as Google's own
 * integration test installs it (GoogleCloudPlatform/ops-agent integration_test/third_party_apps_test/applications/dcgm/
 * debian_ubuntu/install @588c4b9: the CUDA repository, then `datacenter-gpu-manager`, then `systemctl --now enable
 * nvidia-dcgm`). Where the image has no CUDA repository, the script adds it with NVIDIA's repository key checked by
 * fingerprint (key 3bf863cc, the CUDA repositories' signing key since NVIDIA rotated it in 2022, as NVIDIA's developer
 * forum answers: https://forums.developer.nvidia.com/t/252028, read 2026-11-30; the fingerprint as pinned in public build
 * scripts, found 2026-11-30), so apt installs only what that key signed. The package is large (about
 * 900 MB), downloaded once per node through Cloud NAT. An image that has DCGM keeps it; the receiver is configured only
 * when that DCGM is 3.x.
 */
export const DCGM = {
  version: "1:3.3.9",
  package: "datacenter-gpu-manager",
  service: "nvidia-dcgm",
  repo: "https://developer.download.nvidia.com/compute/cuda/repos",
  keyFile: "3bf863cc.pub",
  fingerprint: "EB693B3035CD5710E231E123A4B469963BF863CC",
  keyring: "/etc/apt/keyrings/gpu-cluster-cuda.gpg",
  sources: "/etc/apt/sources.list.d/gpu-cluster-cuda.list",
} as const;

/**
 * The DCGM receiver's metrics the config excludes: every one Google lists for receiver version 2 (dcgm/metadata.yaml
 * @588c4b9 `expected_metrics`) but temperature and energy, which the set keeps (lib/clouds/shared/gpu-metrics.ts):
 * utilization and memory already come from NVML, and the profiling, clock, PCIe, NVLink and error series would add
 * about two dozen series per GPU.
 */
export const DCGM_EXCLUDED = [
  "workload.googleapis.com/gpu.dcgm.*utilization",
  "workload.googleapis.com/gpu.dcgm.memory.*",
  "workload.googleapis.com/gpu.dcgm.*.io",
  "workload.googleapis.com/gpu.dcgm.clock.*",
  "workload.googleapis.com/gpu.dcgm.*_errors",
] as const;

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
 * agent's golden test logging-default_overrides_disable_all). `dcgm`: also the DCGM receiver (version 2, the same
 * interval, its default endpoint localhost:5555) in a pipeline of its own through {@link DCGM_EXCLUDED}; the agent runs
 * a pipeline's processors after the receiver's own, which give the metrics their `workload.googleapis.com/` names
 * (apps/dcgm.go, confgenerator/otel/modular.go @588c4b9). Written as YAML text (a fixed shape, no user input).
 */
export function opsAgentConfig(dcgm = false): string {
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
    ...(dcgm ? ["    dcgm:", "      type: dcgm", "      receiver_version: 2", `      collection_interval: ${GPU_METRICS_INTERVAL_SECONDS}s`] : []),
    "  processors:",
    "    metrics_filter:",
    "      type: exclude_metrics",
    "      metrics_pattern:",
    ...OPS_AGENT_EXCLUDED.map((p) => `        - ${p}`),
    ...(dcgm ? ["    dcgm_filter:", "      type: exclude_metrics", "      metrics_pattern:", ...DCGM_EXCLUDED.map((p) => `        - ${p}`)] : []),
    "  service:",
    "    pipelines:",
    "      default_pipeline:",
    "        receivers: [hostmetrics]",
    "        processors: [metrics_filter]",
    ...(dcgm ? ["      dcgm:", "        receivers: [dcgm]", "        processors: [dcgm_filter]"] : []),
  ].join("\n");
}

/**
 * The script's `dcgm` function: DCGM installed (unless the image has it), checked to be 3.x, and its service running;
 * non-zero, with the reason on stderr, when any of it fails (the node then keeps NVML's metrics only).
 */
function dcgmFunction(): string[] {
  const apt = "apt-get -o DPkg::Lock::Timeout=600 -q";
  return [
    "dcgm() {",
    "  if ! command -v nv-hostengine >/dev/null; then",
    // The image's own CUDA repository (an image may carry one) is used as it is: a second entry for the
    // same address with another key would make apt refuse both. -q: a match answers 0 even when one of the paths is
    // missing (Ubuntu 24.04 has no sources.list), where grep would otherwise answer 2.
    `    if ! grep -rqs '${DCGM.repo}' /etc/apt/sources.list /etc/apt/sources.list.d; then`,
    "      . /etc/os-release",
    `      repo="${DCGM.repo}/\${ID}\${VERSION_ID//./}/x86_64"`,
    `      curl -fsS --retry 5 -o "$d/cuda.pub" "$repo/${DCGM.keyFile}" || return 1`,
    // grep reads all of gpg's output (no -q): under pipefail an early exit would fail gpg with SIGPIPE.
    `      gpg --show-keys --with-colons "$d/cuda.pub" 2>/dev/null | grep '^fpr:*${DCGM.fingerprint}:' >/dev/null || { echo "gpu-cluster: NVIDIA's CUDA repository key is not ${DCGM.fingerprint}" >&2; return 1; }`,
    `      mkdir -p "$(dirname ${DCGM.keyring})" && gpg --dearmor --yes -o ${DCGM.keyring} < "$d/cuda.pub" || return 1`,
    `      echo "deb [signed-by=${DCGM.keyring}] $repo/ /" > ${DCGM.sources}`,
    "    fi",
    `    ${apt} update || return 1`,
    `    DEBIAN_FRONTEND=noninteractive ${apt} install -y ${DCGM.package}=${DCGM.version} || return 1`,
    "  fi",
    `  dpkg-query -W -f='\${Version}' ${DCGM.package} 2>/dev/null | grep '^1:3\\.' >/dev/null || { echo "gpu-cluster: the image's DCGM is not 3.x, the versions Google's DCGM receiver supports" >&2; return 1; }`,
    `  systemctl enable --now ${DCGM.service}`,
    "}",
  ];
}

/**
 * The agent's install-and-configure script: install the pinned agent unless the package is there, and, only where this
 * script installed it ({@link OPS_AGENT}.marker), write the config and restart the agent so it reads it. An image's own
 * agent keeps its own config.yaml, which this script never overwrites (an image built with its own receivers, a DCGM
 * receiver for one, keeps them). `dcgm`: also install DCGM ({@link DCGM}) and, when it runs, configure its receiver;
 * when it does not, the NVML-only config, and a warning in the journal. A failure of the agent logs a warning and exits
 * non-zero (the unit fails; the next boot tries again).
 */
export function opsAgentScript(dcgm = false): string {
  return [
    "#!/bin/bash",
    `# gpu-cluster GPU metrics: Google's Ops Agent ${OPS_AGENT.version}, metrics only (NVML GPU utilization and memory${dcgm ? `; DCGM ${DCGM.version.replace(/^1:/, "")} temperature and energy` : ""})`,
    "set -uo pipefail",
    // One download folder for the whole script, removed on exit.
    'd=$(mktemp -d) || exit 1',
    "trap 'rm -rf \"$d\"' EXIT",
    ...(dcgm ? dcgmFunction() : []),
    "gpu_metrics() {",
    "  if ! dpkg-query -W -f='${Status}' google-cloud-ops-agent 2>/dev/null | grep 'ok installed' >/dev/null; then",
    `    curl -fsS --retry 5 -o "$d/add-repo.sh" ${OPS_AGENT.script} || return 1`,
    // Retried as Cluster Toolkit's install_with_retry does: apt may still be busy with the image's own upgrades.
    `    for i in 1 2 3 4 5; do bash "$d/add-repo.sh" --also-install --version=${OPS_AGENT.version} && break; [ "$i" = 5 ] && return 1; sleep 30; done`,
    `    mkdir -p "$(dirname ${OPS_AGENT.marker})" && touch ${OPS_AGENT.marker}`,
    "  fi",
    `  if [ ! -e ${OPS_AGENT.marker} ]; then`,
    `    echo "gpu-cluster: the image's own Ops Agent is kept with its own ${OPS_AGENT.config} (not written)"`,
    "    return 0",
    "  fi",
    "  mkdir -p /etc/google-cloud-ops-agent || return 1",
    ...(dcgm
      ? [
          "  if dcgm; then",
          `    cat > ${OPS_AGENT.config} <<'OPSAGENTDCGM'`,
          opsAgentConfig(true),
          "OPSAGENTDCGM",
          "  else",
          `    logger -p user.warning ${shellQuote("gpu-cluster: DCGM is not running: GPU temperature and power off on this node (see journalctl -u gpu-cluster-gpu-metrics)")}`,
          `    cat > ${OPS_AGENT.config} <<'OPSAGENT'`,
          opsAgentConfig(),
          "OPSAGENT",
          "  fi",
        ]
      : [`  cat > ${OPS_AGENT.config} <<'OPSAGENT'`, opsAgentConfig(), "OPSAGENT"]),
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
 * a node: the unit's failure is a warning in the journal, and the boot goes on. `plan`: its GPU model decides whether
 * the node also gets DCGM (lib/clouds/shared/gpu-metrics.ts `GCP_DCGM_GPU_MODELS`).
 */
export function opsAgentLines(plan: Pick<Plan, "gpuModel">): string[] {
  const dcgm = gcpDcgm(plan.gpuModel);
  return [
    `# GPU metrics: Google's Ops Agent ${OPS_AGENT.version}${dcgm ? " and NVIDIA DCGM" : ""}, installed after this script (${GPU_METRICS_UNIT})`,
    ...gpuMetricsUnitLines(opsAgentScript(dcgm), "google-startup-scripts.service", "true"),
  ];
}
