/**
 * VM node health that the node group acts on: a systemd service on every VM checks, every minute, that the driver sees
 * every GPU, that every fabric NIC is there with its link up (the cloud's own count, as the boot-time fabric check),
 * and that the bootstrap did not fail (a mount); after three failures in a row the group learns it, and replaces the VM:
 *
 * - AWS: the node marks itself Unhealthy in its Auto Scaling group (`aws autoscaling set-instance-health`), which
 *   terminates and replaces it (https://docs.aws.amazon.com/autoscaling/ec2/userguide/set-up-a-custom-health-check.html,
 *   read 2026-11-30). The node role may do that on its own group only ({@link asgHealthPolicy}).
 * - GCP and Azure: the node answers `GET :8081/healthz` 200 while healthy and 404 once it is not; the MIG's autohealing
 *   health check (https://cloud.google.com/compute/docs/instance-groups/autohealing-instances-in-migs) and the scale
 *   set's Application Health extension with automatic instance repairs
 *   (https://learn.microsoft.com/en-us/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-health-extension,
 *   .../virtual-machine-scale-sets-automatic-instance-repairs, read 2026-11-30) probe it and recreate the VM.
 *   Google probes from its health-check ranges, so the GCP endpoint listens on all addresses (the firewall admits only
 *   those ranges on 8081); Azure's extension probes from inside the VM, so the Azure endpoint listens on 127.0.0.1.
 *
 * The reason is kept in /var/lib/gpu-cluster/health/reason and the system log.
 */
import type { Plan } from "../../planner/types.js";
import { systemdUnitLines, type FabricCheck } from "./bootstrap.js";

/** Where the GCP and Azure probes ask: a port no workload of the library uses, and a fixed path. */
export const VM_HEALTH = { port: 8081, path: "/healthz", intervalSeconds: 60, failuresBeforeUnhealthy: 3 };
/** Seconds after boot before a group may act on the probe: driver load, fabric bring-up and mounts. */
export const VM_HEALTH_GRACE_SECONDS = 900;

/**
 * How the group learns a node is unhealthy: `asg` the node tells its Auto Scaling group (no endpoint); `http` an
 * endpoint on all addresses for an outside prober (GCP); `http-local` an endpoint on 127.0.0.1 for a prober inside the
 * VM (Azure's Application Health extension).
 */
export type HealthReport = "asg" | "http" | "http-local";

/** The address the endpoint listens on, per report. */
const ENDPOINT_BIND: Record<Exclude<HealthReport, "asg">, string> = { http: "0.0.0.0", "http-local": "127.0.0.1" };

const DIR = "/var/lib/gpu-cluster/health";
const SCRIPT = "/usr/local/sbin/gpu-cluster-health";

/** AWS: the instance marks itself Unhealthy in its group (IMDSv2 for its id and region). */
const ASG_REPORT = [
  '    t=$(curl -sS -X PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 60")',
  '    id=$(curl -sS -H "X-aws-ec2-metadata-token: $t" http://169.254.169.254/latest/meta-data/instance-id)',
  '    region=$(curl -sS -H "X-aws-ec2-metadata-token: $t" http://169.254.169.254/latest/meta-data/placement/region)',
  '    aws autoscaling set-instance-health --region "$region" --instance-id "$id" --health-status Unhealthy --no-should-respect-grace-period',
];

/**
 * Shell that sets `found` to the RDMA ports (port 1 of each device under /sys/class/infiniband) whose state is ACTIVE,
 * and, given `linkLayer`, whose link layer is that one (Azure ND: `InfiniBand`, so the Ethernet accelerated-networking
 * VF does not count). A device whose link has not trained (state DOWN, INIT or ARMED) carries no NCCL traffic, so it
 * must not count: the same rule as the Kubernetes node-health DaemonSet (lib/clouds/kubernetes/node-health.ts) and the
 * kernel's sysfs ABI (`ports/N/state` reads e.g. "4: ACTIVE",
 * https://www.kernel.org/doc/Documentation/ABI/stable/sysfs-class-infiniband, read 2026-11-30).
 */
export function activeRdmaPortsCommand(linkLayer?: string): string {
  const layer = linkLayer ? `grep -qs ${linkLayer} "$p/link_layer" || continue; ` : "";
  return `found=0; for p in /sys/class/infiniband/*/ports/1; do grep -qs ': ACTIVE$' "$p/state" || continue; ${layer}found=$((found+1)); done`;
}

/** The health check script (its lines), for `plan` with the cloud's fabric `check`. */
export function healthCheckScript(plan: Plan, check: FabricCheck | undefined, report: HealthReport): string[] {
  const { intervalSeconds, failuresBeforeUnhealthy } = VM_HEALTH;
  return [
    "#!/bin/bash",
    "set -u",
    `mkdir -p ${DIR}`,
    "fails=0",
    "healthy_once=0",
    "while true; do",
    "  reason=''",
    '  [ ! -e /var/lib/gpu-cluster/bootstrap-failed ] || reason="bootstrap failed: $(cat /var/lib/gpu-cluster/bootstrap-failed)"',
    `  gpus=$(ls /proc/driver/nvidia/gpus 2>/dev/null | wc -l); [ -n "$reason" ] || [ "$gpus" -ge ${plan.gpusPerNode} ] || reason="$gpus of ${plan.gpusPerNode} GPUs"`,
    ...(check ? [`  expected=${check.expected}`, `  ${check.countCommand}`, `  [ -n "$reason" ] || [ "$found" -ge "$expected" ] || reason="$found of $expected ${check.what}"`] : []),
    `  if [ -z "$reason" ]; then fails=0; healthy_once=1; echo ok > ${DIR}/healthz; else fails=$((fails+1)); logger -p user.err "gpu-cluster: health check failed ($fails): $reason"; fi`,
    // Booting is not failing: until the node has passed once, it is judged only after the boot grace.
    "  booted=$(cut -d. -f1 /proc/uptime)",
    `  if [ "$fails" -ge ${failuresBeforeUnhealthy} ] && { [ "$healthy_once" = 1 ] || [ "$booted" -ge ${VM_HEALTH_GRACE_SECONDS} ]; }; then`,
    `    rm -f ${DIR}/healthz; echo "$reason" > ${DIR}/reason`,
    ...(report === "asg" ? ASG_REPORT : []),
    "  fi",
    `  sleep ${intervalSeconds}`,
    "done",
  ];
}

/** A systemd unit that restarts its command forever. */
function unit(name: string, description: string, command: string): string[] {
  return systemdUnitLines(`${name}.service`, [
    "[Unit]",
    `Description=${description}`,
    "After=network-online.target",
    "[Service]",
    `ExecStart=${command}`,
    "Restart=always",
    "RestartSec=10",
    "[Install]",
    "WantedBy=multi-user.target",
  ]);
}

/**
 * Bootstrap lines that install the health check (and, for `http`, its endpoint) as services started now and at every
 * boot. The endpoint serves the health directory read-only: `/healthz` exists only while the node is healthy.
 */
export function vmHealthLines(plan: Plan, check: FabricCheck | undefined, report: HealthReport): string[] {
  const services = ["gpu-cluster-health", ...(report !== "asg" ? ["gpu-cluster-healthz"] : [])];
  return [
    "# Node health the group acts on (lib/clouds/shared/vm-health.ts).",
    `cat > ${SCRIPT} <<'HEALTH'`,
    ...healthCheckScript(plan, check, report),
    "HEALTH",
    `chmod 755 ${SCRIPT}`,
    ...unit("gpu-cluster-health", "gpu-cluster GPU and fabric health check", SCRIPT),
    ...(report !== "asg"
      ? unit("gpu-cluster-healthz", "gpu-cluster health endpoint", `/usr/bin/python3 -m http.server ${VM_HEALTH.port} --bind ${ENDPOINT_BIND[report]} --directory ${DIR}`)
      : []),
    `mkdir -p ${DIR}`,
    "systemctl daemon-reload",
    `systemctl enable --now ${services.join(" ")}`,
  ];
}

/**
 * The IAM policy letting a node mark itself Unhealthy in the component's Auto Scaling groups only: Pulumi names them
 * `<component>-nodes-<suffix>` (training) and `<component>-asg-<suffix>` style names, matched by the given prefixes.
 * A name prefix alone would also match another stack's group of the same component name (dev and prod in one
 * account), so `groupTag` (a tag only this stack's group carries) narrows it with `autoscaling:ResourceTag/<key>`, a
 * condition key of the autoScalingGroup resource that SetInstanceHealth requires (service authorization reference,
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2autoscaling.html, read 2026-11-30).
 */
export function asgHealthPolicy(groupNamePrefixes: string[], groupTag?: { key: string; value: string }): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: "autoscaling:SetInstanceHealth",
        Resource: groupNamePrefixes.map((p) => `arn:aws:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/${p}*`),
        ...(groupTag ? { Condition: { StringEquals: { [`autoscaling:ResourceTag/${groupTag.key}`]: groupTag.value } } } : {}),
      },
    ],
  });
}

/**
 * The scale set's Application Health extension (Linux, HTTP) probing the node health endpoint, in Binary Health States
 * mode (`typeHandlerVersion` 1.0): a 2xx answer is Healthy, anything else (our 404, no answer) Unhealthy, which is what
 * automatic repairs act on. Rich Health States (2.0) would need a JSON body `{"ApplicationHealthState": ...}` and
 * counts a bare 200/404 as Unknown, which never triggers a repair
 * (https://learn.microsoft.com/en-us/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-health-extension,
 * "Binary versus Rich Health States", read 2026-11-30). Binary mode has no Initializing state and no extension
 * `gracePeriod` setting (that is Rich only): a booting VM (no /healthz yet) is covered by the automatic repairs grace
 * period instead ({@link AZURE_AUTOMATIC_REPAIRS}, 30 minutes, longer than the node's own boot grace).
 */
export const AZURE_HEALTH_EXTENSION = {
  name: "gpu-cluster-health",
  publisher: "Microsoft.ManagedServices",
  type: "ApplicationHealthLinux",
  typeHandlerVersion: "1.0",
  autoUpgradeMinorVersion: true,
  settings: { protocol: "http", port: VM_HEALTH.port, requestPath: VM_HEALTH.path, intervalInSeconds: 30, numberOfProbes: 3 },
};

/** Automatic instance repairs: an unhealthy VM is replaced after the grace period (ISO 8601, 30 to 90 minutes). */
export const AZURE_AUTOMATIC_REPAIRS = { enabled: true, gracePeriod: "PT30M", repairAction: "Replace" };
