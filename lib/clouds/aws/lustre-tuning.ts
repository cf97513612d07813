/**
 * FSx for Lustre's client tuning for large instances, one rule for both AWS node paths (the VM boot script,
 * bootstrap.ts; the EKS GPU nodes' user data, eks/launch-template.ts). From the FSx guide's "Recommended client instance
 * tuning for optimal performance" (https://docs.aws.amazon.com/fsx/latest/LustreGuide/performance-tips.html, read
 * 2026-11-30 through the docs corpus; the page is undated):
 * - more than 64 vCPUs: the module options `options ptlrpc ptlrpcd_per_cpt_max=32` and `options ksocklnd credits=2560`
 *   in /etc/modprobe.d (the page reboots to reload the modules; here the file is written before any Lustre or LNet
 *   module loads, so no reboot), and, once the client is mounted, `osc.*OST*.max_rpcs_in_flight=32`,
 *   `mdc.*.max_rpcs_in_flight=64` and `mdc.*.max_mod_rpcs_in_flight=50`;
 * - more than 64 GiB of memory, once mounted: `ldlm.namespaces.*.lru_max_age=600000` and
 *   `ldlm.namespaces.*.lru_size=<100 * number_of_CPUs>`.
 * The page gives no `cpu_npartitions` or `cpu_pattern` setting, so none is written (libcfs keeps its NUMA-based default).
 * AWS's own EFA client setup writes the same two module options (the EKS guide's non-EFA page uses
 * ptlrpcd_per_cpt_max=64 instead; the FSx page's 32 is used here). The EKS guide's example
 * (awsdocs/amazon-eks-user-guide latest/ug/storage/fsx-csi-tuning-non-efa.adoc @1527dee, read 2026-11-30) also sets
 * `llite.*.max_cached_mb=64`, a 64 MB page cache per mount that the FSx guide does not recommend and that would undo
 * the client cache a training job rereads its data from; it is not set.
 *
 * `lctl set_param` reaches only the client instances that exist when it runs, and does not survive a reboot or a
 * remount. The VM path mounts at every boot and applies the settings right after (lustreMountedTuningLines). On EKS the
 * FSx CSI driver mounts when a pod lands, with no hook on the node after it; the EKS guide's own answer mounts the file
 * system a second time from user data, which tunes that second client instance and not the driver's. So EKS nodes get
 * a timer instead (lustreTuningTimerLines): every minute it compares the node's Lustre mounts with those it last tuned,
 * and applies the settings when they differ, so a pod's mount is tuned within about a minute of landing.
 */
import { shellQuote, systemdUnitLines } from "../shared/bootstrap.js";
import type { InstanceFacts } from "../../catalog/types.js";

export const LUSTRE_TUNING = {
  /** The file the module options go to; its own file, so nothing else in /etc/modprobe.d is appended to. */
  modprobeConf: "/etc/modprobe.d/fsx-lustre.conf",
  /** "more than 64 vCPU cores" / "memory of more than 64 GiB". */
  aboveVcpus: 64,
  aboveMemoryGiB: 64,
  moduleOptions: ["options ptlrpc ptlrpcd_per_cpt_max=32", "options ksocklnd credits=2560"],
  lockLruMaxAgeMs: 600000,
  lockLruPerCpu: 100,
  /**
   * The RPC settings for a mounted client above 64 vCPUs, in the order they must be applied: an MDC's
   * max_mod_rpcs_in_flight must stay below its max_rpcs_in_flight (default 8), so 64 goes in before 50 (`lctl
   * set_param` applies its arguments in order).
   */
  rpcs: ["osc.*OST*.max_rpcs_in_flight=32", "mdc.*.max_rpcs_in_flight=64", "mdc.*.max_mod_rpcs_in_flight=50"],
} as const;

/** The tuning timer's script, service and timer (EKS nodes), and the file that records the mounts last tuned. */
export const LUSTRE_TUNING_TIMER = {
  script: "/usr/local/sbin/gpu-cluster-lustre-tuning",
  service: "gpu-cluster-lustre-tuning.service",
  timer: "gpu-cluster-lustre-tuning.timer",
  /** Under /run: forgotten at reboot, when the mounts and the settings are gone too. */
  state: "/run/gpu-cluster/lustre-tuned",
  /** Seconds between checks. */
  everySeconds: 60,
  /** Where the script reads the node's mounts. */
  mounts: "/proc/mounts",
} as const;

type Size = Pick<InstanceFacts, "vcpus" | "memoryGiB">;

/** The Lustre module options for the instance (none at 64 vCPUs or fewer). */
export function lustreModuleOptions(instance: Pick<InstanceFacts, "vcpus">): readonly string[] {
  return instance.vcpus > LUSTRE_TUNING.aboveVcpus ? LUSTRE_TUNING.moduleOptions : [];
}

/** Shell lines that write the module options file; they must run before any Lustre or LNet module loads. */
export function lustreModuleOptionsLines(instance: Pick<InstanceFacts, "vcpus">): string[] {
  const options = lustreModuleOptions(instance);
  if (options.length === 0) return [];
  // /etc/modprobe.d is kmod's own directory, present on both images.
  return [`printf '%s\\n' ${options.map((o) => shellQuote(o)).join(" ")} > ${LUSTRE_TUNING.modprobeConf}`];
}

/**
 * The `lctl set_param` settings for a mounted client: the lock LRU ones above 64 GiB of memory (lru_size from the
 * plan's vCPUs), the RPC ones above 64 vCPUs.
 */
export function lustreMountedParams(instance: Size): string[] {
  return [
    ...(instance.memoryGiB > LUSTRE_TUNING.aboveMemoryGiB
      ? [`ldlm.namespaces.*.lru_max_age=${LUSTRE_TUNING.lockLruMaxAgeMs}`, `ldlm.namespaces.*.lru_size=${LUSTRE_TUNING.lockLruPerCpu * instance.vcpus}`]
      : []),
    ...(instance.vcpus > LUSTRE_TUNING.aboveVcpus ? LUSTRE_TUNING.rpcs : []),
  ];
}

/** The `lctl set_param` command for the instance's settings, or undefined when it has none. */
function setParamCommand(instance: Size): string | undefined {
  const params = lustreMountedParams(instance);
  return params.length === 0 ? undefined : `lctl set_param ${params.map((p) => shellQuote(p)).join(" ")}`;
}

/**
 * Shell lines that apply lustreMountedParams after the mounts (VM path). A tuning that does not apply is reported, not
 * fatal: the file system works without it.
 */
export function lustreMountedTuningLines(instance: Size): string[] {
  const command = setParamCommand(instance);
  return command === undefined ? [] : [`${command} || echo 'gpu-cluster: lctl set_param failed' >&2`];
}

/**
 * Shell lines that install and start the tuning timer (EKS nodes): a script that tunes the node's Lustre clients when
 * its Lustre mounts differ from those last tuned, a oneshot service that runs it, and a timer that starts the service
 * every minute from boot. None when the instance needs no setting. A failed `lctl` is logged and retried at the next
 * tick (the state file is written only on success).
 */
export function lustreTuningTimerLines(instance: Size): string[] {
  const command = setParamCommand(instance);
  if (command === undefined) return [];
  const t = LUSTRE_TUNING_TIMER;
  return [
    "mkdir -p /usr/local/sbin",
    `cat > ${t.script} <<'TUNING'`,
    "#!/bin/bash",
    "set -u",
    // Pods' bind mounts show too; any change (a new pod's volume) tunes again, which is idempotent.
    `mounts=$(grep ' lustre ' ${t.mounts} | sort)`,
    `[ -n "$mounts" ] && [ "$mounts" != "$(cat ${t.state} 2>/dev/null)" ] || exit 0`,
    `${command} >/dev/null || { logger -p user.warning 'gpu-cluster: lctl set_param failed, retried in ${t.everySeconds} s'; exit 0; }`,
    `mkdir -p "$(dirname ${t.state})" && printf '%s\\n' "$mounts" > ${t.state}`,
    "TUNING",
    `chmod 755 ${t.script}`,
    ...systemdUnitLines(t.service, ["[Unit]", "Description=gpu-cluster: FSx for Lustre client tuning of new mounts", "[Service]", "Type=oneshot", `ExecStart=${t.script}`]),
    ...systemdUnitLines(t.timer, [
      "[Unit]",
      `Description=gpu-cluster: check for new FSx for Lustre mounts every ${t.everySeconds} s`,
      "[Timer]",
      `OnBootSec=${t.everySeconds}`,
      `OnUnitActiveSec=${t.everySeconds}`,
      "AccuracySec=5",
      "[Install]",
      "WantedBy=timers.target",
    ]),
    `systemctl daemon-reload && systemctl enable --now ${t.timer}`,
  ];
}
