/**
 * The EKS GPU nodes' side of an EFA-enabled FSx for Lustre file system: LNet over EFA, configured at every boot before
 * the kubelet starts, so the FSx CSI driver's mount (`<dns>@tcp:/<name>`, kubernetes-sigs/aws-fsx-csi-driver
 * pkg/driver/node.go @5b227125, read 2026-11-30) finds LNet on EFA and discovery moves the traffic there. The driver
 * itself does nothing EFA-specific on the node (its `efaEnabled` parameter only creates file systems; the static volume
 * here is unchanged).
 *
 * Sources (read 2026-11-30):
 * - FSx for Lustre user guide, https://docs.aws.amazon.com/fsx/latest/LustreGuide/configure-efa-clients.html: EFA clients
 *   may run Amazon Linux 2023, the OS of the EKS AL2023 NVIDIA AMI the GPU nodes boot (node-group.ts gpuAmiType).
 * - awslabs/amazon-eks-ami @81fec2e8 (2026-07-23): the AL2023 AMIs install the EFA driver (templates/al2023
 *   variables-default.json `enable_efa: "true"`, provisioners/install-efa.sh) but not `lustre-client`, which the node
 *   installs with dnf first (launch-template.ts lustreClientPart). The AMI's experimental nodeadm feature gate
 *   `FSxLustreEFAClient` (PR #2696) was closed unmerged, so the AMI has no EFA Lustre setup of its own to turn on.
 * - The same AMI's systemd units: nodeadm-run.service, which starts the kubelet, runs after cloud-final.service
 *   (templates/al2023/runtime/rootfs/etc/systemd/system/nodeadm-run.service), so this part's first run precedes the
 *   kubelet; the unit below repeats it at every later boot (LNet's configuration does not survive a reboot).
 * - EFA's security group rule (all traffic to and from the group itself) is the nodes' own group, which the file system
 *   joins (infrastructure.ts, security.ts clusterSecurityGroup; storage-rules.ts has the FSx wording).
 * GPUDirect Storage is not set up: the AMI has no nvidia-fs driver (the same closed PR), so pods read through the kernel
 * Lustre client over EFA.
 *
 * A failure must not end with pods reading over TCP at a seventh of the speed: the unit is `RequiredBy` the kubelet, so
 * a node whose LNet has no EFA interface never starts its kubelet, and never joins (the node group reports it, and `up`
 * fails on a new one); one that fails at a later boot stays NotReady, and the node group's auto repair (node-health.ts)
 * replaces it after 30 minutes (https://docs.aws.amazon.com/eks/latest/userguide/node-repair.html, read 2026-11-30:
 * condition Ready, repair after 30m, Replace). The reason is on the instance's console (`aws ec2 get-console-output`).
 */
import type { Plan } from "../../../planner/types.js";
import { systemdUnitLines } from "../../shared/bootstrap.js";
import { lustreEfaClientLines } from "../lustre-efa-client.js";

/** The node's script and the systemd unit that runs it before the kubelet. */
export const LUSTRE_EFA_SCRIPT = "/usr/local/sbin/gpu-cluster-lustre-efa";
export const LUSTRE_EFA_UNIT = "gpu-cluster-lustre-efa.service";

/** Whether the plan's GPU nodes need the part: an EFA-enabled Lustre file system (the checks refuse it without EFA). */
export function needsLustreEfaClient(plan: Pick<Plan, "storage">): boolean {
  return plan.storage.some((s) => s.kind === "lustre" && s.efa === true);
}

/** The MIME part (a shell script cloud-init runs once) that installs the script and its unit, and runs it now. */
export function lustreEfaClientPart(plan: Pick<Plan, "instanceType">): string[] {
  return [
    'Content-Type: text/x-shellscript; charset="us-ascii"',
    "",
    "#!/bin/bash",
    "# gpu-cluster: LNet over EFA for the EFA-enabled FSx for Lustre file system (lib/clouds/aws/eks/lustre-efa.ts).",
    "set -uo pipefail",
    "mkdir -p /usr/local/sbin",
    `cat > ${LUSTRE_EFA_SCRIPT} <<'LNET'`,
    "#!/bin/bash",
    "set -uo pipefail",
    'fail() { echo "gpu-cluster: $1: the kubelet stays stopped, so no pod reads FSx over TCP" | tee /dev/console >&2; exit 1; }',
    ...lustreEfaClientLines(plan.instanceType, "al2023"),
    "LNET",
    `chmod 755 ${LUSTRE_EFA_SCRIPT}`,
    ...systemdUnitLines(LUSTRE_EFA_UNIT, [
      "[Unit]",
      "Description=gpu-cluster: LNet over EFA for FSx for Lustre, before the kubelet",
      "Wants=network-online.target",
      "After=network-online.target",
      "Before=kubelet.service",
      "[Service]",
      "Type=oneshot",
      "RemainAfterExit=yes",
      `ExecStart=${LUSTRE_EFA_SCRIPT}`,
      "StandardOutput=journal+console",
      "StandardError=journal+console",
      "[Install]",
      "RequiredBy=kubelet.service",
    ]),
    // Enabled (the kubelet requires it from now on) and run now, so a failure shows in cloud-init's output too.
    `systemctl daemon-reload && systemctl enable ${LUSTRE_EFA_UNIT} && systemctl start ${LUSTRE_EFA_UNIT}`,
  ];
}
