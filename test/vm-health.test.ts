/**
 * VM node health that the group acts on, on AWS, GCP and Azure VMs: the health service in the boot script, and how
 * each group learns of a bad node and replaces it. Sources (read 2026-11-30):
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/set-up-a-custom-health-check.html (set-instance-health);
 * https://cloud.google.com/compute/docs/instance-groups/autohealing-instances-in-migs (autohealing, health check
 * ranges 35.191.0.0/16 and 130.211.0.0/22);
 * https://learn.microsoft.com/en-us/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-health-extension and
 * .../virtual-machine-scale-sets-automatic-instance-repairs (ApplicationHealthLinux; Binary Health States, version 1.0:
 * a 2xx is Healthy and anything else Unhealthy, while Rich Health States, 2.0, needs a JSON ApplicationHealthState body
 * and counts a bare 200/404 as Unknown, which never repairs; repairs gracePeriod PT30M..PT90M).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ACTIVE_EFA_PORTS } from "../lib/clouds/aws/bootstrap.js";
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { byName, one, run } from "./helpers/offline.js";
import { activeRdmaPortsCommand, healthCheckScript } from "../lib/clouds/shared/vm-health.js";

const SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGpuY2x1c3RlcnRlc3RrZXlub3RyZWFsMDAwMDAwMDA0 ops@example";

describe("AWS VMs: a failing node marks itself Unhealthy in its Auto Scaling group", () => {
  it("the user data runs the health service (8 GPUs, 32 EFA devices), which calls set-instance-health; the node role may do that on its own group only", async () => {
    const result = await run(() => new gpu.TrainingCluster("vh", { cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 } }), { project: "proj", stack: "dev" });
    expect(result.error).toBeUndefined();
    const script = Buffer.from(one(result, "aws:ec2/launchTemplate:LaunchTemplate").inputs.userData, "base64").toString("utf8");
    expect(script).toContain('[ "$gpus" -ge 8 ] || reason="$gpus of 8 GPUs"');
    expect(script).toContain("  expected=32");
    // Only EFA devices (driver efa) whose port is ACTIVE count (test/aws-efa-count.test.ts runs it on a fake sysfs).
    expect(script).toContain(`  ${ACTIVE_EFA_PORTS}\n`);
    expect(script).toContain("aws autoscaling set-instance-health --region \"$region\" --instance-id \"$id\" --health-status Unhealthy --no-should-respect-grace-period");
    expect(script).toContain("systemctl enable --now gpu-cluster-health\n");
    expect(script).not.toContain("http.server");
    const policy = JSON.parse(byName(result, "aws:iam/rolePolicy:RolePolicy", "vh-node-health").inputs.policy);
    expect(policy.Statement).toEqual([
      {
        Effect: "Allow",
        Action: "autoscaling:SetInstanceHealth",
        Resource: ["arn:aws:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/vh-nodes-*"],
        // The name prefix alone would match a "prod" stack's vh-nodes-* group too: the group's own tag narrows it
        // (autoscaling:ResourceTag/<key>, a condition key of autoScalingGroup for SetInstanceHealth:
        // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2autoscaling.html, read 2026-11-30).
        Condition: { StringEquals: { "autoscaling:ResourceTag/gpu-cluster:node-group": "proj/dev/vh" } },
      },
    ]);
    expect(one(result, "aws:autoscaling/group:Group").inputs.tags).toContainEqual({ key: "gpu-cluster:node-group", value: "proj/dev/vh", propagateAtLaunch: true });
  });

  it("an inference fleet's group carries the same tag, and its nodes' health policy is scoped by it", async () => {
    const result = await run(() => new gpu.InferenceFleet("vf", { cloud: "aws", region: "us-east-1", gpu: { model: "L4" }, replicas: { min: 1, max: 2 } } as gpu.InferenceFleetArgs), { project: "proj", stack: "prod" });
    expect(result.error).toBeUndefined();
    expect(one(result, "aws:autoscaling/group:Group").inputs.tags).toContainEqual({ key: "gpu-cluster:node-group", value: "proj/prod/vf", propagateAtLaunch: true });
    const policy = JSON.parse(byName(result, "aws:iam/rolePolicy:RolePolicy", "vf-node-health").inputs.policy);
    expect(policy.Statement[0].Condition).toEqual({ StringEquals: { "autoscaling:ResourceTag/gpu-cluster:node-group": "proj/prod/vf" } });
  });
});

describe("GCP VMs: the MIG autoheals on the node health endpoint", () => {
  it("an HTTP health check of :8081/healthz, autohealing after 15 minutes, Google's probers admitted on 8081 only, the endpoint in the startup script", async () => {
    const result = await run(() => new gpu.TrainingCluster("vh", { cloud: "gcp", region: "us-central1", gpu: { instanceType: "a3-megagpu-8g", nodes: 2 } }));
    expect(result.error).toBeUndefined();
    const check = byName(result, "gcp:compute/healthCheck:HealthCheck", "vh-node-health").inputs;
    expect(check.httpHealthCheck).toEqual({ port: 8081, requestPath: "/healthz" });
    expect(check).toMatchObject({ checkIntervalSec: 30, timeoutSec: 10, healthyThreshold: 1, unhealthyThreshold: 3 });
    const mig = one(result, "gcp:compute/instanceGroupManager:InstanceGroupManager").inputs;
    expect(mig.autoHealingPolicies).toEqual({ healthCheck: "vh-node-health-id", initialDelaySec: 900 });
    const fw = byName(result, "gcp:compute/firewall:Firewall", "vh-node-health").inputs;
    expect(fw.sourceRanges).toEqual(["35.191.0.0/16", "130.211.0.0/22"]);
    expect(fw.allows).toEqual([{ protocol: "tcp", ports: ["8081"] }]);
    const script: string = one(result, "gcp:compute/instanceTemplate:InstanceTemplate").inputs.metadata["startup-script"];
    expect(script).toContain("ExecStart=/usr/bin/python3 -m http.server 8081 --bind 0.0.0.0 --directory /var/lib/gpu-cluster/health");
    expect(script).toContain("systemctl enable --now gpu-cluster-health gpu-cluster-healthz");
    expect(script).not.toContain("set-instance-health");
  });
});

describe("Azure VMs: the Application Health extension and automatic repairs replace a bad VM", () => {
  it("the scale set probes :8081/healthz and repairs by replacement after 30 minutes", async () => {
    const result = await run(() => new gpu.TrainingCluster("vh", { cloud: "azure", region: "eastus", gpu: { model: "H100", nodes: 2 }, azure: { sshPublicKey: SSH_KEY } } as gpu.TrainingClusterArgs));
    expect(result.error).toBeUndefined();
    const vmss = one(result, "azure-native:compute:VirtualMachineScaleSet").inputs;
    expect(vmss.automaticRepairsPolicy).toEqual({ enabled: true, gracePeriod: "PT30M", repairAction: "Replace" });
    // Boot diagnostics on, in managed storage (no storageUri).
    expect(vmss.virtualMachineProfile.diagnosticsProfile).toEqual({ bootDiagnostics: { enabled: true } });
    // The health extension (the fabric gate's CustomScript extension is the other one: test/acceptance.test.ts).
    expect(vmss.virtualMachineProfile.extensionProfile.extensions.filter((e: { name: string }) => e.name !== "gpu-cluster-fabric-gate")).toEqual([
      {
        name: "gpu-cluster-health",
        publisher: "Microsoft.ManagedServices",
        type: "ApplicationHealthLinux",
        typeHandlerVersion: "1.0",
        autoUpgradeMinorVersion: true,
        settings: { protocol: "http", port: 8081, requestPath: "/healthz", intervalInSeconds: 30, numberOfProbes: 3 },
      },
    ]);
    const script = Buffer.from(vmss.virtualMachineProfile.osProfile.customData, "base64").toString("utf8");
    expect(script).toContain("  expected=8");
    expect(script).toContain(`  ${activeRdmaPortsCommand("InfiniBand")}\n`);
    // The extension probes from inside the VM: the endpoint listens on loopback only.
    expect(script).toContain("ExecStart=/usr/bin/python3 -m http.server 8081 --bind 127.0.0.1 --directory /var/lib/gpu-cluster/health");
    expect(script).toContain("systemctl enable --now gpu-cluster-health gpu-cluster-healthz");
  });
});

describe("the health check script on a fake node", () => {
  it("healthy: /healthz present; then a port DOWN (7 of 8 ACTIVE InfiniBand ports): /healthz gone after three checks, the reason kept; then a failed mount", () => {
    const plan = gpu.planCluster({ cloud: "azure", region: "eastus", gpu: { instanceType: "Standard_ND96isr_H100_v5", nodes: 2 } });
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "vmhealth-"));
    for (let i = 0; i < 8; i++) fs.mkdirSync(path.join(root, `proc/driver/nvidia/gpus/0000:0${i}:00.0`), { recursive: true });
    for (let i = 0; i < 8; i++) {
      fs.mkdirSync(path.join(root, `sys/class/infiniband/mlx5_ib${i}/ports/1`), { recursive: true });
      fs.writeFileSync(path.join(root, `sys/class/infiniband/mlx5_ib${i}/ports/1/link_layer`), "InfiniBand\n");
      fs.writeFileSync(path.join(root, `sys/class/infiniband/mlx5_ib${i}/ports/1/state`), "4: ACTIVE\n");
    }
    // The accelerated-networking VF: an ACTIVE Ethernet mlx5 port, which must not count.
    fs.mkdirSync(path.join(root, "sys/class/infiniband/mlx5_an0/ports/1"), { recursive: true });
    fs.writeFileSync(path.join(root, "sys/class/infiniband/mlx5_an0/ports/1/link_layer"), "Ethernet\n");
    fs.writeFileSync(path.join(root, "sys/class/infiniband/mlx5_an0/ports/1/state"), "4: ACTIVE\n");
    const check = { expected: 8, countCommand: activeRdmaPortsCommand("InfiniBand").replaceAll("/sys/class", `${root}/sys/class`), what: "ACTIVE InfiniBand ports" };
    const bin = path.join(root, "bin");
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, "logger"), "#!/bin/sh\n", { mode: 0o755 });
    fs.writeFileSync(path.join(bin, "sleep"), `#!/bin/sh\nn=$(cat ${root}/n 2>/dev/null || echo 0); n=$((n+1)); echo $n > ${root}/n; [ $n -lt 3 ] || kill $PPID\n`, { mode: 0o755 });
    const script = healthCheckScript(plan, check, "http")
      .join("\n")
      .replaceAll("/proc/driver", `${root}/proc/driver`)
      .replaceAll("/var/lib/gpu-cluster", `${root}/var/lib/gpu-cluster`)
      .replaceAll("/proc/uptime", `${root}/uptime`);
    // Up two hours: past the boot grace (a node that was healthy once is judged at once anyway).
    fs.writeFileSync(path.join(root, "uptime"), "7200.00 100.00\n");
    const runScript = () => {
      try {
        execFileSync("/bin/bash", ["-c", script], { env: { PATH: `${bin}:/usr/bin:/bin` }, stdio: "pipe" });
      } catch {
        // The stub sleep ends the loop by killing it.
      }
    };
    runScript();
    expect(fs.readFileSync(path.join(root, "var/lib/gpu-cluster/health/healthz"), "utf8")).toBe("ok\n");
    // The HCA is there with an InfiniBand link layer, but its link never trained.
    fs.writeFileSync(path.join(root, "sys/class/infiniband/mlx5_ib7/ports/1/state"), "1: DOWN\n");
    fs.rmSync(path.join(root, "n"));
    runScript();
    expect(fs.existsSync(path.join(root, "var/lib/gpu-cluster/health/healthz"))).toBe(false);
    expect(fs.readFileSync(path.join(root, "var/lib/gpu-cluster/health/reason"), "utf8")).toBe("7 of 8 ACTIVE InfiniBand ports\n");
    // A failed bootstrap (a mount) is the reason first.
    fs.writeFileSync(path.join(root, "var/lib/gpu-cluster/bootstrap-failed"), "lustre mount of x failed");
    fs.rmSync(path.join(root, "n"));
    runScript();
    expect(fs.readFileSync(path.join(root, "var/lib/gpu-cluster/health/reason"), "utf8")).toBe("bootstrap failed: lustre mount of x failed\n");
  });
});

describe("mounts that survive a reboot", () => {
  it("a block device goes in fstab by UUID with _netdev,nofail, once; the mount is skipped when already mounted; the script parses as bash", async () => {
    const { mountLines } = await import("../lib/clouds/shared/bootstrap.js");
    const lines = mountLines({ type: "xfs", options: "defaults", source: '"$dev"', sourceIsExpression: true, mountPath: "/scratch" });
    expect(lines).toEqual([
      "mkdir -p '/scratch'",
      "if ! mountpoint -q '/scratch'; then",
      `mount -t xfs -o defaults "$dev" '/scratch' || fail 'xfs mount of "$dev" at /scratch failed'`,
      "fi",
      `grep -qsF ' /scratch xfs ' /etc/fstab || echo "UUID=$(blkid -s UUID -o value "$dev") /scratch xfs defaults,_netdev,nofail 0 0" >> /etc/fstab`,
    ]);
    execFileSync("/bin/bash", ["-n", "-c", lines.join("\n")]);
    // Run twice against a scratch fstab: one entry.
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "fstab-"));
    const bin = path.join(root, "bin");
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, "blkid"), "#!/bin/sh\necho 1234-abcd\n", { mode: 0o755 });
    fs.writeFileSync(path.join(bin, "mountpoint"), "#!/bin/sh\nexit 0\n", { mode: 0o755 });
    const script = ["dev=/dev/nvme1n1", ...lines, ...lines].join("\n").replaceAll("/etc/fstab", `${root}/fstab`).replaceAll("mkdir -p '/scratch'", "true");
    execFileSync("/bin/bash", ["-c", script], { env: { PATH: `${bin}:/usr/bin:/bin` } });
    expect(fs.readFileSync(path.join(root, "fstab"), "utf8")).toBe("UUID=1234-abcd /scratch xfs defaults,_netdev,nofail 0 0\n");
  });
});
