/**
 * Health and repair on Kubernetes, on every cloud: the node health gate (GPU count, fabric NIC count and link state,
 * cordon + NoExecute taint with the reason, Node-only RBAC, pinned image), EKS's node monitoring agent and node auto
 * repair, GKE's auto-repair. Sources (read 2026-11-30): https://docs.aws.amazon.com/eks/latest/userguide/node-health.html;
 * https://cloud.google.com/kubernetes-engine/docs/how-to/node-auto-repair; https://learn.microsoft.com/en-us/azure/aks/node-auto-repair
 * (on by default, no setting); the kernel's sysfs ABI (sysfs-class-infiniband: ports/<n>/state, link_layer).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { byName, ofType, privateEndpoint, run } from "./helpers/offline.js";
import { DCGM_DIAG, dcgmDiagScript, NODE_HEALTH_IMAGE, nodeHealthScript } from "../lib/clouds/kubernetes/node-health.js";

const DS = "kubernetes:apps/v1:DaemonSet";
const ROLE = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole";
const BINDING = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding";
const SA = "kubernetes:core/v1:ServiceAccount";

const CASES = [
  // cloud, region, instance type, fabric NICs the gate expects and how it counts them
  ["aws", "us-east-1", "p5.48xlarge", { gpus: 8, nics: 32, probe: "/host/sys/class/infiniband", linkLayer: false }],
  ["gcp", "us-central1", "a3-megagpu-8g", { gpus: 8, nics: 9, probe: "/host/sys/bus/pci/drivers/gve/", linkLayer: false }],
  ["gcp", "us-central1", "a3-highgpu-8g", { gpus: 8, nics: 5, probe: "/host/sys/bus/pci/drivers/gve/", linkLayer: false }],
  ["azure", "eastus", "Standard_ND96isr_H100_v5", { gpus: 8, nics: 8, probe: "/host/sys/class/infiniband", linkLayer: true }],
  ["coreweave", "US-EAST-04", "gd-8xh100ib-i128", { gpus: 8, nics: 8, probe: "/host/sys/class/infiniband", linkLayer: true }],
] as const;

function training(name: string, cloud: string, region: string, instanceType: string) {
  return () => new gpu.TrainingCluster(name, privateEndpoint({ cloud, region, orchestrator: "kubernetes", gpu: { instanceType, nodes: 2 } } as gpu.TrainingClusterArgs));
}

describe("the node health gate", () => {
  it.each(CASES)("%s (%s, %s): a DaemonSet on the GPU pool checking GPUs and fabric NICs, tainting with the reason", async (cloud, region, type, expect_) => {
    const result = await run(training("h", cloud, region, type));
    expect(result.error).toBeUndefined();
    const ds = byName(result, DS, "h-node-health").inputs;
    const pod = ds.spec.template.spec;
    expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions).toContainEqual({ key: "gpu-cluster/pool", operator: "In", values: expect.any(Array) });
    expect(pod.tolerations).toEqual([{ operator: "Exists" }]);
    expect(pod.serviceAccountName).toBe("h-node-health");
    const c = pod.containers[0];
    expect(c.image).toBe(NODE_HEALTH_IMAGE);
    expect(c.image).toMatch(/@sha256:[0-9a-f]{64}$/);
    expect(c.securityContext).toEqual({ privileged: false, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65534 });
    expect(c.volumeMounts.every((m: { readOnly: boolean }) => m.readOnly)).toBe(true);
    const script: string = c.command[2];
    expect(script).toContain(`[ "$gpus" -ge ${expect_.gpus} ] || reason="gpus-$gpus-of-${expect_.gpus}"`);
    expect(script).toContain(`[ "$nics" -ge ${expect_.nics} ] || reason="fabric-$nics-of-${expect_.nics}"`);
    expect(script).toContain(expect_.probe);
    expect(script.includes("grep -q InfiniBand")).toBe(expect_.linkLayer);
    expect(script).toContain('"effect":"NoExecute"');
    // Least privilege: get and patch Nodes, nothing else, bound to the gate's own service account.
    expect(byName(result, ROLE, "h-node-health").inputs.rules).toEqual([{ apiGroups: [""], resources: ["nodes"], verbs: ["get", "patch"] }]);
    expect(byName(result, BINDING, "h-node-health").inputs.subjects).toEqual([{ kind: "ServiceAccount", name: "h-node-health", namespace: "h" }]);
    expect(byName(result, SA, "h-node-health").inputs.metadata).toMatchObject({ name: "h-node-health", namespace: "h" });
  });

  it("a fleet's gate checks the GPUs only (an inference replica uses no fabric)", async () => {
    const result = await run(() => new gpu.InferenceFleet("f", privateEndpoint({ cloud: "aws", region: "us-east-1", orchestrator: "kubernetes", gpu: { model: "L40S" }, replicas: { min: 1, max: 2 } } as gpu.InferenceFleetArgs)));
    const script: string = byName(result, DS, "f-node-health").inputs.spec.template.spec.containers[0].command[2];
    expect(script).toContain('[ "$gpus" -ge 1 ]');
    expect(script).not.toContain("nics=");
  });

  it("the script, run against a fake node (7 of 8 GPUs, 31 of 32 EFA devices up), taints it after three failed checks with the GPU reason", () => {
    const plan = gpu.planCluster({ cloud: "aws", region: "us-east-1", orchestrator: "kubernetes", gpu: { instanceType: "p5.48xlarge", nodes: 2 } } as gpu.ClusterSpec);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "gate-"));
    fs.mkdirSync(path.join(root, "host/proc/driver/nvidia/gpus"), { recursive: true });
    for (let i = 0; i < 7; i++) fs.mkdirSync(path.join(root, `host/proc/driver/nvidia/gpus/0000:0${i}:00.0`));
    for (let i = 0; i < 32; i++) {
      const port = path.join(root, `host/sys/class/infiniband/rdmap${i}s0/ports/1`);
      fs.mkdirSync(port, { recursive: true });
      fs.writeFileSync(path.join(port, "state"), i === 0 ? "1: DOWN\n" : "4: ACTIVE\n");
      fs.writeFileSync(path.join(port, "link_layer"), "Unspecified\n");
    }
    // The real script, its host paths under the fake root, a stub curl recording the patch, and no sleep.
    const bin = path.join(root, "bin");
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, "curl"), `#!/bin/sh\nprintf '%s\\n' "$@" > ${root}/patch\n`, { mode: 0o755 });
    fs.writeFileSync(path.join(bin, "sleep"), `#!/bin/sh\nn=$(cat ${root}/n 2>/dev/null || echo 0); n=$((n+1)); echo $n > ${root}/n; [ $n -lt 3 ] || kill $PPID\n`, { mode: 0o755 });
    const script = nodeHealthScript(plan)
      .replaceAll("/host/", `${root}/host/`)
      .replaceAll("/proc/uptime", `${root}/uptime`)
      .replace("SA=/var/run/secrets/kubernetes.io/serviceaccount", `SA=${root}`);
    fs.writeFileSync(path.join(root, "token"), "t");
    // Booting (10 minutes up, never healthy): three failed checks, and no taint yet: the driver may still be loading.
    fs.writeFileSync(path.join(root, "uptime"), "600.12 1000.00\n");
    try {
      execFileSync("/bin/sh", ["-c", script], { env: { PATH: `${bin}:/usr/bin:/bin`, NODE_NAME: "ip-10-0-0-1", KUBERNETES_SERVICE_HOST: "10.100.0.1", KUBERNETES_SERVICE_PORT: "443" }, stdio: "pipe" });
    } catch {
      // The stub sleep ends the loop by killing it.
    }
    expect(fs.existsSync(path.join(root, "patch"))).toBe(false);
    fs.rmSync(path.join(root, "n"));
    // Past the 30-minute boot grace, the same node is taken out.
    fs.writeFileSync(path.join(root, "uptime"), "1900.50 3000.00\n");
    try {
      execFileSync("/bin/sh", ["-c", script], { env: { PATH: `${bin}:/usr/bin:/bin`, NODE_NAME: "ip-10-0-0-1", KUBERNETES_SERVICE_HOST: "10.100.0.1", KUBERNETES_SERVICE_PORT: "443" }, stdio: "pipe" });
    } catch {
      // The stub sleep ends the loop by killing it.
    }
    const patch = fs.readFileSync(path.join(root, "patch"), "utf8");
    expect(patch).toContain("https://10.100.0.1:443/api/v1/nodes/ip-10-0-0-1");
    expect(patch).toContain('{"metadata":{"annotations":{"gpu-cluster/unhealthy":"gpus-7-of-8"}},"spec":{"unschedulable":true,"taints":[{"key":"gpu-cluster/unhealthy","value":"gpus-7-of-8","effect":"NoExecute"}]}}');
    // With every GPU present, the fabric's reason: 31 of 32 EFA devices ACTIVE.
    fs.mkdirSync(path.join(root, "host/proc/driver/nvidia/gpus/0000:07:00.0"));
    fs.rmSync(path.join(root, "n"));
    fs.rmSync(path.join(root, "patch"));
    try {
      execFileSync("/bin/sh", ["-c", script], { env: { PATH: `${bin}:/usr/bin:/bin`, NODE_NAME: "ip-10-0-0-1", KUBERNETES_SERVICE_HOST: "10.100.0.1", KUBERNETES_SERVICE_PORT: "443" }, stdio: "pipe" });
    } catch {
      // as above
    }
    expect(fs.readFileSync(path.join(root, "patch"), "utf8")).toContain('"value":"fabric-31-of-32"');
  });
});

/**
 * DCGM's quick diagnostic in the gate. Sources (read 2026-11-30): dcgmi diag run levels
 * https://docs.nvidia.com/datacenter/dcgm/latest/reference/command-line-reference/dcgmi/dcgmi-diag.html (1: quick,
 * seconds; 2: medium, about two minutes); when to run which level
 * https://docs.nvidia.com/datacenter/dcgm/latest/learn/modules/dcgm-diagnostics.html; the GPU Operator's own DCGM
 * host engine (privileged, runtime class nvidia) NVIDIA/gpu-operator assets/state-dcgm/0400_dcgm.yml and
 * controllers/object_controls.go @a22dbf671.
 */
describe("the gate's DCGM diagnostic", () => {
  it.each([
    ["aws", "us-east-1", "p5.48xlarge", true],
    ["azure", "eastus", "Standard_ND96isr_H100_v5", true],
    ["gcp", "us-central1", "a3-megagpu-8g", false],
    ["coreweave", "US-EAST-04", "gd-8xh100ib-i128", false],
  ] as const)("%s: diagnostic container %s (where the component installs the GPU Operator and its nvidia runtime class)", async (cloud, region, type, diag) => {
    const result = await run(training("d", cloud, region, type));
    expect(result.error).toBeUndefined();
    const pod = byName(result, DS, "d-node-health").inputs.spec.template.spec;
    // The API token is projected into the gate container only.
    expect(pod.automountServiceAccountToken).toBe(false);
    const [gate, dcgm] = pod.containers;
    expect(gate.volumeMounts).toContainEqual({ name: "api-token", mountPath: "/var/run/secrets/kubernetes.io/serviceaccount", readOnly: true });
    expect(pod.volumes.find((v: { name: string }) => v.name === "api-token").projected.sources[0]).toEqual({ serviceAccountToken: { path: "token", expirationSeconds: 3600 } });
    if (!diag) {
      expect(pod.containers).toHaveLength(1);
      expect(pod.runtimeClassName).toBeUndefined();
      expect(gate.command[2]).not.toContain("dcgm-diag");
      return;
    }
    expect(pod.runtimeClassName).toBe("nvidia");
    expect(dcgm.name).toBe("dcgm-diag");
    expect(dcgm.image).toBe(NODE_HEALTH_IMAGE);
    expect(dcgm.command[2]).toContain("dcgmi diag -r 1 2>&1");
    expect(dcgm.command[2]).toContain("nv-hostengine -n &");
    expect(dcgm.command[2]).toContain('[ "${seen:-0}" -lt 8 ]');
    expect(dcgm.command[2]).toContain("[ $((now-last)) -ge 3600 ]");
    expect(dcgm.env).toContainEqual({ name: "NVIDIA_VISIBLE_DEVICES", value: "all" });
    expect(dcgm.resources.limits).not.toHaveProperty("nvidia.com/gpu");
    expect(dcgm.volumeMounts).toEqual([{ name: "diag", mountPath: "/diag" }]);
    expect(gate.env).toContainEqual({ name: "NVIDIA_VISIBLE_DEVICES", value: "void" });
    expect(gate.volumeMounts).toContainEqual({ name: "diag", mountPath: "/diag", readOnly: true });
    expect(gate.command[2]).toContain('[ "$(cat /diag/result 2>/dev/null)" != fail ] || reason="dcgm-diag-r1-failed"');
  });

  it("an existing cluster whose add-ons this component does not install: no diagnostic (no nvidia runtime class to count on)", async () => {
    const result = await run(() => new gpu.TrainingCluster("x", privateEndpoint({ cloud: "aws", region: "us-east-1", orchestrator: "kubernetes", gpu: { instanceType: "p5.48xlarge", nodes: 2 }, aws: { vpcId: "vpc-1", subnetIds: ["subnet-a", "subnet-b"], eks: { clusterName: "shared", installClusterAddons: false } } } as gpu.TrainingClusterArgs)));
    expect(result.error).toBeUndefined();
    expect(byName(result, DS, "x-node-health").inputs.spec.template.spec.containers).toHaveLength(1);
  });

  it("the diagnostic script, against stub dcgmi and nvidia-smi: deferred on busy GPUs, then a failed run cordons the node with its reason", () => {
    const plan = gpu.planCluster({ cloud: "aws", region: "us-east-1", orchestrator: "kubernetes", gpu: { instanceType: "p5.48xlarge", nodes: 2 } } as gpu.ClusterSpec);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "diag-"));
    const bin = path.join(root, "bin");
    fs.mkdirSync(bin);
    fs.mkdirSync(path.join(root, "diag"));
    // nvidia-smi prints each GPU's memory.used in MiB from a file the test sets; dcgmi sees 8 GPUs and fails level 1.
    fs.writeFileSync(path.join(bin, "nvidia-smi"), `#!/bin/sh\ncat ${root}/mem\n`, { mode: 0o755 });
    fs.writeFileSync(path.join(bin, "nv-hostengine"), "#!/bin/sh\nexit 0\n", { mode: 0o755 });
    fs.writeFileSync(
      path.join(bin, "dcgmi"),
      `#!/bin/sh\ncase "$1" in discovery) echo "8 GPUs found." ;; diag) echo "$*" > ${root}/ran; echo "| Software | Fail - GPU 3 page retirement |"; exit 226 ;; esac\n`,
      { mode: 0o755 },
    );
    fs.writeFileSync(path.join(bin, "sleep"), `#!/bin/sh\nn=$(cat ${root}/n 2>/dev/null || echo 0); n=$((n+1)); echo $n > ${root}/n; [ $n -lt 3 ] || kill $PPID\n`, { mode: 0o755 });
    const script = dcgmDiagScript(plan).replaceAll(DCGM_DIAG.resultPath, `${root}/diag/result`);
    const runIt = () => {
      try {
        execFileSync("/bin/sh", ["-c", script], { env: { PATH: `${bin}:/usr/bin:/bin` }, stdio: "pipe" });
      } catch {
        // The stub sleep ends the loop by killing it.
      }
    };
    // A workload holds 70 GiB on every GPU: no diagnostic runs.
    fs.writeFileSync(path.join(root, "mem"), "71680\n".repeat(8));
    runIt();
    expect(fs.existsSync(path.join(root, "ran"))).toBe(false);
    expect(fs.existsSync(path.join(root, "diag/result"))).toBe(false);
    // Idle (a few MiB each): level 1 runs, fails, and the result is written for the gate.
    fs.writeFileSync(path.join(root, "mem"), "4\n".repeat(8));
    fs.rmSync(path.join(root, "n"));
    runIt();
    expect(fs.readFileSync(path.join(root, "ran"), "utf8").trim()).toBe("diag -r 1");
    expect(fs.readFileSync(path.join(root, "diag/result"), "utf8").trim()).toBe("fail");

    // The gate reads it: three checks later, the node is cordoned with the diagnostic's reason.
    fs.mkdirSync(path.join(root, "host/proc/driver/nvidia/gpus"), { recursive: true });
    for (let i = 0; i < 8; i++) fs.mkdirSync(path.join(root, `host/proc/driver/nvidia/gpus/0000:0${i}:00.0`));
    for (let i = 0; i < 32; i++) {
      const port = path.join(root, `host/sys/class/infiniband/rdmap${i}s0/ports/1`);
      fs.mkdirSync(port, { recursive: true });
      fs.writeFileSync(path.join(port, "state"), "4: ACTIVE\n");
    }
    fs.writeFileSync(path.join(bin, "curl"), `#!/bin/sh\nprintf '%s\\n' "$@" > ${root}/patch\n`, { mode: 0o755 });
    fs.writeFileSync(path.join(root, "token"), "t");
    fs.writeFileSync(path.join(root, "uptime"), "1900.50 3000.00\n");
    fs.rmSync(path.join(root, "n"));
    const gate = nodeHealthScript(plan, true)
      .replaceAll("/host/", `${root}/host/`)
      .replaceAll("/proc/uptime", `${root}/uptime`)
      .replaceAll(DCGM_DIAG.resultPath, `${root}/diag/result`)
      .replace("SA=/var/run/secrets/kubernetes.io/serviceaccount", `SA=${root}`);
    try {
      execFileSync("/bin/sh", ["-c", gate], { env: { PATH: `${bin}:/usr/bin:/bin`, NODE_NAME: "ip-10-0-0-1", KUBERNETES_SERVICE_HOST: "10.100.0.1", KUBERNETES_SERVICE_PORT: "443" }, stdio: "pipe" });
    } catch {
      // as above
    }
    expect(fs.readFileSync(path.join(root, "patch"), "utf8")).toContain('{"key":"gpu-cluster/unhealthy","value":"dcgm-diag-r1-failed","effect":"NoExecute"}');
  });
});

describe("cloud node repair", () => {
  it("EKS: the node monitoring agent add-on on a new cluster, and node auto repair on the GPU node group", async () => {
    const result = await run(training("r", "aws", "us-east-1", "p5.48xlarge"));
    const addons = ofType(result, "aws:eks/addon:Addon").map((a) => a.inputs.addonName);
    expect(addons).toContain("eks-node-monitoring-agent");
    expect(byName(result, "aws:eks/nodeGroup:NodeGroup", "r-gpu-nodes").inputs.nodeRepairConfig).toEqual({ enabled: true });
  });

  it("GKE: the GPU pool auto-repairs", async () => {
    const result = await run(training("r", "gcp", "us-central1", "a3-megagpu-8g"));
    expect(byName(result, "gcp:container/nodePool:NodePool", "r-gpu-nodes").inputs.management).toMatchObject({ autoRepair: true });
  });

  it.each([
    ["aws", "us-east-1", "p5.48xlarge", "EKS: the node monitoring agent reports GPU (Xid, DCGM), EFA and kernel faults as node conditions, and node auto repair on the GPU node group replaces or reboots the node; "],
    ["gcp", "us-central1", "a3-megagpu-8g", "GKE: auto-repair recreates a GPU node that fails GKE's health checks (NotReady, GPU health); "],
    ["azure", "eastus", "Standard_ND96isr_H100_v5", "AKS: node auto-repair is on by default (AKS offers no switch): it reboots, reimages or redeploys a NotReady node; "],
  ] as const)("%s: the plan note says what happens to a failed GPU or NIC, from detection to replacement", async (cloud, region, type, start) => {
    const result = await run(training("n", cloud, region, type));
    const notes: string[] = ofType(result, "gpu-cluster:index:TrainingCluster")[0]!.inputs.plan.notes;
    expect(notes.filter((n) => n.startsWith(start) && n.endsWith("taints it gpu-cluster/unhealthy=<reason>:NoExecute, so its pods leave."))).toHaveLength(1);
  });
});

/**
 * GKE's GPU NICs are counted by PCI driver binding: a GKE pod on a Device network (deviceMode NetDevice / RDMA) takes the
 * VM's vNIC into its own network namespace, so a running job's node shows only eth0 under the host's /sys/class/net.
 * Sources (read 2026-12-01): https://cloud.google.com/kubernetes-engine/docs/concepts/about-multinetwork-support-for-pods
 * (Device networks: the VM vNIC is passed to the Pod); GoogleCloudPlatform/container-engine-accelerators
 * gpudirect-tcpxo/nccl-test-latest.yaml @992db81257553607f1477945f1b3219632991829 (2026-06-11: the pod owns eth1..eth8);
 * the kernel's sysfs-bus-pci ABI (/sys/bus/pci/drivers/<driver>/<bdf>); gve_main.c `gve_driver_name[] = "gve"`;
 * rdma-system(8) (exclusive netns mode: an RDMA device is visible in one namespace only).
 */
describe("the gate on GKE: NICs inside the training pod still count", () => {
  /** Runs the real gate script over a fake root until three checks ran; returns the patch it sent, if any. */
  function gateRun(plan: gpu.Plan, build: (root: string) => void): string | undefined {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "gke-gate-"));
    fs.mkdirSync(path.join(root, "host/proc/driver/nvidia/gpus"), { recursive: true });
    for (let i = 0; i < plan.gpusPerNode; i++) fs.mkdirSync(path.join(root, `host/proc/driver/nvidia/gpus/0000:0${i}:00.0`));
    build(root);
    const bin = path.join(root, "bin");
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, "curl"), `#!/bin/sh\nprintf '%s\\n' "$@" > ${root}/patch\n`, { mode: 0o755 });
    fs.writeFileSync(path.join(bin, "sleep"), `#!/bin/sh\nn=$(cat ${root}/n 2>/dev/null || echo 0); n=$((n+1)); echo $n > ${root}/n; [ $n -lt 3 ] || kill $PPID\n`, { mode: 0o755 });
    fs.writeFileSync(path.join(root, "token"), "t");
    // Past the boot grace: a failing node is taken out after three checks.
    fs.writeFileSync(path.join(root, "uptime"), "1900.50 3000.00\n");
    const script = nodeHealthScript(plan)
      .replaceAll("/host/", `${root}/host/`)
      .replaceAll("/proc/uptime", `${root}/uptime`)
      .replace("SA=/var/run/secrets/kubernetes.io/serviceaccount", `SA=${root}`);
    try {
      execFileSync("/bin/sh", ["-c", script], { env: { PATH: `${bin}:/usr/bin:/bin`, NODE_NAME: "gke-n-1", KUBERNETES_SERVICE_HOST: "10.100.0.1", KUBERNETES_SERVICE_PORT: "443" }, stdio: "pipe" });
    } catch {
      // The stub sleep ends the loop by killing it.
    }
    return fs.existsSync(path.join(root, "patch")) ? fs.readFileSync(path.join(root, "patch"), "utf8") : undefined;
  }

  /** A PCI function bound to `driver` (a directory standing in for sysfs' symlink). */
  function bind(root: string, driver: string, bdf: string): string {
    const dir = path.join(root, `host/sys/bus/pci/drivers/${driver}/${bdf}`);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** The host NIC eth0 (up, in the host namespace) and the class/net view the old probe counted. */
  function hostEth0(root: string, fn: string, state = "up"): void {
    fs.mkdirSync(path.join(fn, "net/eth0"), { recursive: true });
    fs.writeFileSync(path.join(fn, "net/eth0/operstate"), `${state}\n`);
    fs.mkdirSync(path.join(root, "host/sys/class/net/eth0/device"), { recursive: true });
    fs.writeFileSync(path.join(root, "host/sys/class/net/eth0/operstate"), `${state}\n`);
  }

  const a3mega = () => gpu.planCluster({ cloud: "gcp", region: "us-central1", orchestrator: "kubernetes", gpu: { instanceType: "a3-megagpu-8g", nodes: 2 } } as gpu.ClusterSpec);

  it("A3 Mega mid-run: the host sees only eth0, 9 gVNICs bound to gve: healthy, never cordoned", () => {
    const patch = gateRun(a3mega(), (root) => {
      hostEth0(root, bind(root, "gve", "0000:00:04.0"));
      // eth1..eth8 live in the training pod's namespace: their functions stay bound to gve, with no netdev the host sees.
      for (let i = 0; i < 8; i++) bind(root, "gve", `0000:0${i + 1}:00.0`);
      fs.writeFileSync(path.join(root, "host/sys/bus/pci/drivers/gve/bind"), "");
    });
    expect(patch).toBeUndefined();
  });

  it("A3 Mega: a gVNIC gone from the PCI bus (8 of 9 bound) is taken out as fabric-8-of-9", () => {
    const patch = gateRun(a3mega(), (root) => {
      hostEth0(root, bind(root, "gve", "0000:00:04.0"));
      for (let i = 0; i < 7; i++) bind(root, "gve", `0000:0${i + 1}:00.0`);
    });
    expect(patch).toContain('"value":"fabric-8-of-9"');
  });

  it("A3 Mega: a NIC still in the host namespace must be up (eth0 down: fabric-8-of-9)", () => {
    const patch = gateRun(a3mega(), (root) => {
      hostEth0(root, bind(root, "gve", "0000:00:04.0"), "down");
      for (let i = 0; i < 8; i++) bind(root, "gve", `0000:0${i + 1}:00.0`);
    });
    expect(patch).toContain('"value":"fabric-8-of-9"');
  });

  it("A3 Ultra (RDMA): 8 ConnectX functions on mlx5_core; moved out of the host's view they count, in view they must be ACTIVE", () => {
    const plan = gpu.planCluster({ cloud: "gcp", region: "us-central1", zone: "us-central1-b", orchestrator: "kubernetes", reservationId: "res-1", gpu: { instanceType: "a3-ultragpu-8g", nodes: 2 } } as gpu.ClusterSpec);
    expect(plan.fabric.kind).toBe("rdma");
    expect(plan.fabric.nicsPerNode).toBe(8);
    const rdma = (root: string, states: (string | undefined)[]) =>
      states.forEach((state, i) => {
        const fn = bind(root, "mlx5_core", `0000:9${i}:00.0`);
        if (state === undefined) return; // in a pod's namespace (exclusive mode): no IB device under the host's view
        const port = path.join(fn, `infiniband/mlx5_${i}/ports/1`);
        fs.mkdirSync(port, { recursive: true });
        fs.writeFileSync(path.join(port, "state"), state);
      });
    // Four handed to the pod (exclusive mode), four still shared and ACTIVE: healthy.
    expect(gateRun(plan, (root) => rdma(root, [undefined, undefined, undefined, undefined, "4: ACTIVE\n", "4: ACTIVE\n", "4: ACTIVE\n", "4: ACTIVE\n"]))).toBeUndefined();
    // One visible port DOWN: fabric-7-of-8.
    expect(gateRun(plan, (root) => rdma(root, ["1: DOWN\n", "4: ACTIVE\n", "4: ACTIVE\n", "4: ACTIVE\n", "4: ACTIVE\n", "4: ACTIVE\n", "4: ACTIVE\n", "4: ACTIVE\n"]))).toContain('"value":"fabric-7-of-8"');
  });
});
