/**
 * EFA-enabled FSx for Lustre on EKS (`storage[].efa` with orchestrator 'kubernetes'): the file system, its security
 * group, the static volume, and the GPU nodes' LNet-over-EFA user data. Sources (read 2026-11-30):
 * - https://docs.aws.amazon.com/fsx/latest/LustreGuide/configure-efa-clients.html: EFA clients on Amazon Linux 2023
 *   (the EKS AL2023 NVIDIA AMI), Nitro v4 EFA types; at most 1024 EFA connections per file system, one per configured
 *   EFA interface per client.
 * - https://docs.aws.amazon.com/fsx/latest/LustreGuide/limit-access-security-groups.html and efa-file-systems.html: an
 *   EFA-enabled file system's group and its clients' group admit all traffic to and from each other and themselves.
 * - https://docs.aws.amazon.com/eks/latest/userguide/fsx-csi-tuning-efa.html (awsdocs/amazon-eks-user-guide
 *   latest/ug/storage/fsx-csi-tuning-efa.adoc @1527dee): kefalnd on the primary interface, TCP net, every fourth EFA
 *   device on p5 (8 of 32) with `--peer-credits 32`, discovery on, `udsp add --src efa --priority 0`.
 * - awslabs/amazon-eks-ami @81fec2e8: nodeadm-run.service (the kubelet) runs after cloud-final.service; the AL2023
 *   AMIs carry the EFA driver but not lustre-client.
 * - kubernetes-sigs/aws-fsx-csi-driver @5b227125 pkg/driver/node.go: the node mounts `<dnsname>@tcp:/<mountname>`.
 * - aws/aws-parallelcluster-cookbook PR #3251 (merged; reviewed 2026-07-30), pcluster-diag core/constants.py: the EFA devices AWS's
 *   setup binds (EFA_EXPECTED_BOUND_DEVICES: p5/p5e/p5en 8, p6-b200 and p6-b300 "all") and the versions it enforces
 *   (MIN_EFA_DRIVER_VERSION 2.12.1, MIN_KEFALND_VERSION_P6 1.1.1 on p6-b200, p6e-gb200, p6-b300). The EFA driver floor
 *   is also the EKS guide's `min_efa_version="2.12.1"`.
 * - https://docs.aws.amazon.com/fsx/latest/LustreGuide/performance-tips.html: above 64 vCPUs, `options ptlrpc
 *   ptlrpcd_per_cpt_max=32` and `options ksocklnd credits=2560` in /etc/modprobe.d, loaded with the modules.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { lustreEfaClientPart, LUSTRE_EFA_SCRIPT, LUSTRE_EFA_UNIT } from "../lib/clouds/aws/eks/lustre-efa.js";
import { lustreClientPart, nodeadmUserData } from "../lib/clouds/aws/eks/launch-template.js";
import { checkAwsOptions } from "../lib/clouds/aws/options.js";
import { byName, one, privateEndpoint, run } from "./helpers/offline.js";

const FSX = "aws:fsx/lustreFileSystem:LustreFileSystem";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const LT = "aws:ec2/launchTemplate:LaunchTemplate";
const PV = "kubernetes:core/v1:PersistentVolume";
const entry = { kind: "lustre" as const, name: "fsx", capacityTiB: 38.4, mountPath: "/fsx", efa: true };
/** The cluster spec (planCluster takes it as is). */
const plain = (nodes = 2, instanceType = "p5.48xlarge") => ({ cloud: "aws" as const, region: "us-east-1", orchestrator: "kubernetes" as const, gpu: { instanceType, nodes }, storage: [entry] });
/** The component's arguments: the same spec with a private EKS endpoint. */
const spec = () => privateEndpoint(plain() as gpu.TrainingClusterArgs);

/** The user data's MIME parts, decoded from the launch template. */
function userDataParts(result: Awaited<ReturnType<typeof run>>): string[] {
  return Buffer.from(byName(result, LT, "eksefa-lt").inputs.userData, "base64").toString("utf8").split("--GPUCLUSTER");
}

/** The node's LNet script, as the part writes it (the heredoc's body). */
function lnetScript(part: string): string {
  return part.slice(part.indexOf("<<'LNET'\n") + "<<'LNET'\n".length, part.indexOf("\nLNET\n"));
}

/** The module options file line, as the first shell part writes it on a type above 64 vCPUs (FSx performance tips). */
const MODULE_OPTIONS = "printf '%s\\n' 'options ptlrpc ptlrpcd_per_cpt_max=32' 'options ksocklnd credits=2560' > /etc/modprobe.d/fsx-lustre.conf";

/** One RDMA device of the stub sysfs: its name, its PCI function and the driver bound to it. */
interface RdmaDevice {
  name: string;
  pci: string;
  driver: "efa" | "mlx5_core";
}

/** `n` EFA devices rdmap0..rdmap<n-1> on PCI buses 0x10.. in the same order, and two ConnectX (mlx5) ones. */
function efaDevices(n: number): RdmaDevice[] {
  const efa = Array.from({ length: n }, (_, i): RdmaDevice => ({ name: `rdmap${i}`, pci: `0000:${(0x10 + i).toString(16)}:00.0`, driver: "efa" }));
  return [{ name: "mlx5_0", pci: "0000:05:00.0", driver: "mlx5_core" }, ...efa, { name: "mlx5_1", pci: "0000:e0:00.0", driver: "mlx5_core" }];
}

/**
 * A stub sysfs under `root`, laid out as the kernel's: class/infiniband/<name>/device a link to the PCI function's
 * directory, whose `driver` is a link to the bound driver's directory. The script's /sys paths are pointed at it.
 */
function stubSysfs(root: string, devices: RdmaDevice[]): void {
  for (const d of devices) {
    const fn = join(root, "devices", "pci0000:00", d.pci);
    mkdirSync(fn, { recursive: true });
    mkdirSync(join(root, "bus", "pci", "drivers", d.driver), { recursive: true });
    symlinkSync(join(root, "bus", "pci", "drivers", d.driver), join(fn, "driver"));
    mkdirSync(join(root, "class", "infiniband", d.name), { recursive: true });
    symlinkSync(fn, join(root, "class", "infiniband", d.name, "device"));
  }
}

/**
 * Runs the node's LNet script for `instanceType` under bash with stubbed tools and a stub sysfs holding `devices`
 * (default: `efaDevices(n)`), `modinfo -F version` answering `versions` (a module absent from it fails, as modinfo
 * does), and every call logged. Returns the run and the calls.
 */
function runLnetScript(instanceType: string, devices: number | RdmaDevice[], versions: Record<string, string>, attached = Infinity) {
  const dir = mkdtempSync(join(tmpdir(), "lnet-"));
  const log = join(dir, "calls");
  const sys = join(dir, "sys");
  stubSysfs(sys, typeof devices === "number" ? efaDevices(devices) : devices);
  const stub = (name: string, body: string) => writeFileSync(join(dir, name), `#!/bin/bash\necho "${name} $*" >> ${log}\n${body}\n`, { mode: 0o755 });
  // No EFA in LNet before the setup; every efa net added is then listed.
  // `attached` caps how many of them show: the rest were added without error but did not come up.
  const cap = Number.isFinite(attached) ? ` | head -n ${attached}` : "";
  stub("lnetctl", `if [ "$1 $2" = "net show" ]; then grep -o 'efa --if [^ ]*' ${log}${cap} | sed 's/.*--if \\(.*\\)/- nid: 1.0.0.0@efa \\1/'; fi; exit 0`);
  stub("modprobe", "exit 0");
  stub("modinfo", `case "$3" in ${Object.entries(versions).map(([m, v]) => `${m}) echo '${v}' ;;`).join(" ")} *) exit 1 ;; esac`);
  stub("ip", "echo 'default via 10.0.0.1 dev enp71s0 proto dhcp'");
  const script = lnetScript(lustreEfaClientPart(gpu.planCluster(plain(2, instanceType) as never)).join("\n") + "\n").replaceAll("/sys/class/infiniband", join(sys, "class", "infiniband"));
  const out = spawnSync("bash", ["-c", script], { env: { PATH: `${dir}:/usr/bin:/bin` }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  return { out, calls: readFileSync(log, "utf8").trim().split("\n") };
}

function errorOf(s: object): Error & { path?: string } {
  try {
    gpu.planCluster(s as never);
  } catch (e) {
    return e as Error & { path?: string };
  }
  throw new Error("no SpecError");
}

describe("EFA-enabled FSx for Lustre on EKS", () => {
  it("p5 training: an EFA-enabled PERSISTENT_2 file system (metadata AUTOMATIC, 38400 GiB at 125 MB/s/TiB) in the nodes' all-traffic group", async () => {
    const result = await run(() => new gpu.TrainingCluster("eksefa", spec()));
    expect(result.error).toBeUndefined();
    const fs = one(result, FSX).inputs;
    expect(fs).toMatchObject({ deploymentType: "PERSISTENT_2", perUnitStorageThroughput: 125, storageCapacity: 38400, efaEnabled: true, metadataConfiguration: { mode: "AUTOMATIC" }, fileSystemTypeVersion: "2.15" });
    // EFA's rule: the file system's group admits all traffic (protocol -1, every port) to and from itself, by group id,
    // and the GPU nodes' EFA interfaces are in that same group.
    expect(fs.securityGroupIds).toEqual(["eksefa-nodes-sg-id"]);
    const group = byName(result, SG, "eksefa-nodes-sg").inputs;
    expect(group.ingress).toContainEqual(expect.objectContaining({ protocol: "-1", fromPort: 0, toPort: 0, self: true }));
    expect(group.egress).toContainEqual(expect.objectContaining({ protocol: "-1", fromPort: 0, toPort: 0, self: true }));
    const nics = byName(result, LT, "eksefa-lt").inputs.networkInterfaces as { securityGroups: string[]; interfaceType?: string }[];
    expect(nics).toHaveLength(32);
    for (const nic of nics) expect(nic.securityGroups).toContain("eksefa-nodes-sg-id");
  });

  it("the static volume is the plain FSx CSI one: volumeHandle, dnsname, mountname, flock", async () => {
    const result = await run(() => new gpu.TrainingCluster("eksefa", spec()));
    const pv = result.resources.find((r) => r.type === PV)!.inputs.spec;
    // The file system's own id (the mock engine's id is `<name>-id`).
    expect(pv.csi).toMatchObject({ driver: "fsx.csi.aws.com", volumeHandle: `${one(result, FSX).name}-id` });
    expect(one(result, FSX).name).toBe("eksefa-lustre-fsx");
    expect(Object.keys(pv.csi.volumeAttributes).sort()).toEqual(["dnsname", "mountname"]);
    expect(pv.mountOptions).toEqual(["flock"]);
  });

  it("the GPU nodes' user data: the RAID0 NodeConfig, lustre-client from dnf, then the LNet-over-EFA part", async () => {
    const result = await run(() => new gpu.TrainingCluster("eksefa", spec()));
    const parts = userDataParts(result);
    // Header, NodeConfig (instance store), lustre-client, LNet over EFA, the closing "--".
    expect(parts).toHaveLength(5);
    // The first shell part: FSx's module options for a 192-vCPU p5 before anything else, then lustre-client; it does not
    // load lustre itself (the LNet part does, after configuring LNet), it only checks the module exists.
    expect(parts[2]!.split("\n").slice(6, 12)).toEqual([
      'lustre_failed() { echo "gpu-cluster: $1: FSx for Lustre volumes will not mount on this node" | tee /dev/console >&2; exit 1; }',
      MODULE_OPTIONS,
      "dnf install -y lustre-client || lustre_failed 'dnf install -y lustre-client failed (no route to the Amazon Linux repository in S3?)'",
      'modinfo lustre >/dev/null 2>&1 || lustre_failed "lustre-client has no kernel module for kernel $(uname -r)"',
      // Then the timer that tunes the driver's mounts once they exist (test/lustre-tuning.test.ts runs it).
      "mkdir -p /usr/local/sbin",
      "cat > /usr/local/sbin/gpu-cluster-lustre-tuning <<'TUNING'",
    ]);
    expect(parts[2]).toContain("systemctl daemon-reload && systemctl enable --now gpu-cluster-lustre-tuning.timer\n");
    // No module loads anywhere before the options file is written.
    const userData = parts.join("--GPUCLUSTER");
    expect(userData.indexOf(MODULE_OPTIONS)).toBeGreaterThan(0);
    expect(userData.indexOf(MODULE_OPTIONS)).toBeLessThan(userData.indexOf("modprobe"));
    const part = parts[3]!;
    expect(part).toContain('Content-Type: text/x-shellscript; charset="us-ascii"\n\n#!/bin/bash\n');
    expect(part).toContain(`cat > ${LUSTRE_EFA_SCRIPT} <<'LNET'`);
    expect(part).toContain(`cat > /etc/systemd/system/${LUSTRE_EFA_UNIT} <<'UNIT'`);
    // The unit runs before the kubelet at every boot, and the kubelet requires it: no EFA in LNet, no kubelet.
    expect(part).toContain("Before=kubelet.service\n");
    expect(part).toContain("RequiredBy=kubelet.service\n");
    expect(part).toContain(`ExecStart=${LUSTRE_EFA_SCRIPT}\n`);
    expect(part).toContain(`systemctl daemon-reload && systemctl enable ${LUSTRE_EFA_UNIT} && systemctl start ${LUSTRE_EFA_UNIT}`);
    const script = lnetScript(part);
    expect(script).toContain(`lnetctl net add --net efa --if "$dev" --peer-credits 32`);
    // Only RDMA devices bound to the efa driver (the FSx guide's device listing), then every fourth.
    expect(script).toContain(`ls -1 /sys/class/infiniband | while read -r d; do [ "$(basename "$(readlink -f "/sys/class/infiniband/$d/device/driver")")" = efa ] && echo "$(basename "$(readlink -f "/sys/class/infiniband/$d/device")") $d"; done | LC_ALL=C sort | awk '{print $2}' | awk 'NR % 4 == 1'`);
    expect(script).toContain("lnetctl udsp add --src efa --priority 0");
    // AL2023: no Ubuntu kernel floor and no apt repository.
    expect(script).not.toContain("uname -r)\" | sort -V");
    expect(script).not.toContain("apt-get");
    const syntax = spawnSync("bash", ["-n"], { input: part.slice(part.indexOf("#!/bin/bash")), encoding: "utf8" });
    expect(syntax.stderr).toBe("");
    // EC2 user data is at most 16 KB raw (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/user-data.html, read
    // 2026-11-30); EKS adds its own NodeConfig part to this one, so it stays well below (3,413 bytes measured before the
    // version floors and module options, 3,906 after, 5,158 with the tuning timer).
    const raw = Buffer.from(byName(result, LT, "eksefa-lt").inputs.userData, "base64").length;
    expect(raw).toBeLessThanOrEqual(6 * 1024);
  });

  it("run with stubbed lnetctl on a p5 with 32 EFA devices (and two mlx5 ones): LNet gets tcp on the default-route interface and 8 EFA devices, then lustre loads", () => {
    // AL2023's EFA driver reports a letter suffix (3.0.0a); its digits are compared with the 2.12.1 floor.
    const { out, calls } = runLnetScript("p5.48xlarge", 32, { efa: "3.0.0a" });
    expect(out.stderr).toBe("");
    expect(out.status).toBe(0);
    expect(calls).toContain("modinfo -F version efa");
    // kefalnd's floor is for the p6 families only.
    expect(calls).not.toContain("modinfo -F version kefalnd");
    expect(calls).toContain("modprobe kefalnd ipif_name=enp71s0");
    expect(calls).toContain("lnetctl net add --net tcp --if enp71s0");
    expect(calls.filter((c) => c.startsWith("lnetctl") && c.includes("mlx5"))).toEqual([]);
    expect(calls.filter((c) => c.startsWith("lnetctl net add --net efa"))).toEqual([0, 4, 8, 12, 16, 20, 24, 28].map((i) => `lnetctl net add --net efa --if rdmap${i} --peer-credits 32`));
    expect(calls.indexOf("lnetctl udsp add --src efa --priority 0")).toBeGreaterThan(calls.indexOf("lnetctl net add --net efa --if rdmap28 --peer-credits 32"));
    expect(calls.indexOf("modprobe lustre")).toBeGreaterThan(calls.indexOf("lnetctl set discovery 1"));
  });

  // Device names follow the PCI bus in decimal (rdmap<bus>s0), so `ls` puts rdmap10s0 before rdmap7s0; the selection
  // is meant per PCIe switch (four EFA devices behind each on p5, two on p5en: efa-acc-inst-types.html, read
  // 2026-11-30), so it must run in PCI address order, which a stub sysfs with real links, ls and sort checks here.
  it.each([
    ["p5.48xlarge", 32, 4],
    ["p5en.48xlarge", 16, 2],
  ])("%s, %i EFA devices, %i per PCIe switch: taken in PCI address order, not name order (names rdmap7s0.. on buses 0x07..: ls order differs), one per switch", (instanceType, count, perSwitch) => {
    const bus = (i: number) => 7 + i;
    const devices: RdmaDevice[] = Array.from({ length: count }, (_, i) => ({ name: `rdmap${bus(i)}s0`, pci: `0000:${bus(i).toString(16).padStart(2, "0")}:00.0`, driver: "efa" }));
    // The names' own `ls` order starts at rdmap10s0 and ends with rdmap7s0, rdmap8s0, rdmap9s0.
    const lsOrder = devices.map((d) => d.name).sort();
    expect(lsOrder.slice(0, 1).concat(lsOrder.slice(-3))).toEqual(["rdmap10s0", "rdmap7s0", "rdmap8s0", "rdmap9s0"]);
    const { out, calls } = runLnetScript(instanceType, devices, { efa: "3.0.0a" });
    expect(out.stderr).toBe("");
    expect(out.status).toBe(0);
    // The first device behind each switch: buses 7, 7 + perSwitch, ... (in name order it would start at rdmap10s0).
    const firstOfEachSwitch = Array.from({ length: count / perSwitch }, (_, k) => `rdmap${bus(k * perSwitch)}s0`);
    expect(calls.filter((c) => c.startsWith("lnetctl net add --net efa"))).toEqual(firstOfEachSwitch.map((d) => `lnetctl net add --net efa --if ${d} --peer-credits 32`));
    expect(firstOfEachSwitch[0]).toBe("rdmap7s0");
  });

  it("p6-b300 (16 EFA devices on cards 1-16, ConnectX NICs beside them): LNet gets all 16, as ParallelCluster's EFA_EXPECTED_BOUND_DEVICES expects, once kefalnd passes its 1.1.1 floor", () => {
    const { out, calls } = runLnetScript("p6-b300.48xlarge", 16, { efa: "2.17.1", kefalnd: "1.1.1" });
    expect(out.stderr).toBe("");
    expect(out.status).toBe(0);
    expect(calls.filter((c) => c.startsWith("lnetctl net add --net efa"))).toEqual(Array.from({ length: 16 }, (_, i) => `lnetctl net add --net efa --if rdmap${i} --peer-credits 32`));
    expect(calls.indexOf("modinfo -F version kefalnd")).toBeLessThan(calls.indexOf("modprobe kefalnd ipif_name=enp71s0"));
  });

  it("version floors: an EFA driver below 2.12.1 (or none), or kefalnd below 1.1.1 on p6-b300, fails the script naming the version found and the floor, before any module loads", () => {
    const efaOld = runLnetScript("p5.48xlarge", 32, { efa: "2.10.0" });
    expect(efaOld.out.status).toBe(1);
    expect(efaOld.out.stderr).toContain(
      "gpu-cluster: LNet over EFA for the EFA-enabled FSx file system: the EFA driver (efa module) is version 2.10.0, below the 2.12.1 floor of AWS's EFA Lustre client setup: the kubelet stays stopped, so no pod reads FSx over TCP",
    );
    expect(efaOld.calls.filter((c) => c.startsWith("modprobe"))).toEqual([]);
    expect(runLnetScript("p5.48xlarge", 32, {}).out.stderr).toContain("the EFA driver (efa module) is version unknown, below the 2.12.1 floor");
    const kefalndOld = runLnetScript("p6-b300.48xlarge", 16, { efa: "2.17.1", kefalnd: "1.0.9" });
    expect(kefalndOld.out.status).toBe(1);
    expect(kefalndOld.out.stderr).toContain("the Lustre EFA network driver (kefalnd module, floored on p6-b300.48xlarge) is version 1.0.9, below the 1.1.1 floor of AWS's EFA Lustre client setup");
    expect(kefalndOld.calls.filter((c) => c.startsWith("modprobe") || c.startsWith("lnetctl net add"))).toEqual([]);
    // sort -V, not a string comparison: 1.10.0 is above 1.1.1.
    expect(runLnetScript("p6-b300.48xlarge", 16, { efa: "2.12.1", kefalnd: "1.10.0" }).out.status).toBe(0);
  });

  it("a partial LNet fails the script: p5en with 5 of its 8 selected EFA devices up names both counts", () => {
    const { out, calls } = runLnetScript("p5en.48xlarge", 16, { efa: "3.0.0a" }, 5);
    expect(calls.filter((c) => c.startsWith("lnetctl net add --net efa"))).toEqual([0, 2, 4, 6, 8, 10, 12, 14].map((i) => `lnetctl net add --net efa --if rdmap${i} --peer-credits 32`));
    expect(out.status).toBe(1);
    expect(out.stderr).toContain("gpu-cluster: LNet over EFA for the EFA-enabled FSx file system: 5 of 8 EFA interfaces are up in LNet: the kubelet stays stopped");
    // All 8 up: the script passes.
    expect(runLnetScript("p5en.48xlarge", 16, { efa: "3.0.0a" }).out.status).toBe(0);
  });

  it("a client without the EFA network driver fails the script with the reason (the kubelet, which requires it, then never starts)", () => {
    const dir = mkdtempSync(join(tmpdir(), "lnet-"));
    writeFileSync(join(dir, "lnetctl"), "#!/bin/bash\nexit 0\n", { mode: 0o755 });
    writeFileSync(join(dir, "ip"), "#!/bin/bash\necho 'default via 10.0.0.1 dev ens5'\n", { mode: 0o755 });
    writeFileSync(join(dir, "modprobe"), '#!/bin/bash\n[ "$1" = kefalnd ] && exit 1\nexit 0\n', { mode: 0o755 });
    writeFileSync(join(dir, "modinfo"), "#!/bin/bash\necho 2.13.0\n", { mode: 0o755 });
    const script = lnetScript(lustreEfaClientPart(gpu.planCluster(plain() as never)).join("\n") + "\n");
    const out = spawnSync("bash", ["-c", script], { env: { PATH: `${dir}:/usr/bin:/bin` }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    expect(out.status).toBe(1);
    expect(out.stderr).toContain(
      "gpu-cluster: LNet over EFA for the EFA-enabled FSx file system: the Lustre client has no EFA network driver (kefalnd) for the running kernel: the kubelet stays stopped, so no pod reads FSx over TCP",
    );
  });

  it("p5en (16 EFA devices, two per GPU): every second, 8 (the FSx guide's table and ParallelCluster's count); p6-b200: all 8 (the FSx guide's table); p6-b300: all 16 (ParallelCluster); other types the first and the last; a file system without efa gets no LNet part", () => {
    const p5en = gpu.planCluster(plain(2, "p5en.48xlarge") as never);
    expect(nodeadmUserData(p5en)).toContain(`= efa ] && echo "$(basename "$(readlink -f "/sys/class/infiniband/$d/device")") $d"; done | LC_ALL=C sort | awk '{print $2}' | awk 'NR % 2 == 1'`);
    expect(nodeadmUserData(gpu.planCluster(plain(2, "g6e.48xlarge") as never))).toContain(`= efa ] && echo "$(basename "$(readlink -f "/sys/class/infiniband/$d/device")") $d"; done | LC_ALL=C sort | awk '{print $2}' | sed -n '1p;$p' | uniq`);
    const b200 = nodeadmUserData(gpu.planCluster(plain(2, "p6-b200.48xlarge") as never))!;
    expect(b200).toContain(`= efa ] && echo "$(basename "$(readlink -f "/sys/class/infiniband/$d/device")") $d"; done | LC_ALL=C sort | awk '{print $2}'); do lnetctl net add --net efa --if "$dev" --peer-credits 32`);
    const b300 = nodeadmUserData(gpu.planCluster(plain(2, "p6-b300.48xlarge") as never))!;
    expect(b300).toContain(`= efa ] && echo "$(basename "$(readlink -f "/sys/class/infiniband/$d/device")") $d"; done | LC_ALL=C sort | awk '{print $2}'); do lnetctl net add --net efa --if "$dev" --peer-credits 32`);
    // The kefalnd floor is emitted on the p6 families only.
    expect(b300).toContain("modinfo -F version kefalnd");
    expect(b200).toContain("modinfo -F version kefalnd");
    expect(nodeadmUserData(p5en)).not.toContain("modinfo -F version kefalnd");
    const tcp = gpu.planCluster({ ...plain(), storage: [{ ...entry, efa: false }] } as never);
    const userData = nodeadmUserData(tcp)!;
    expect(userData).toContain("dnf install -y lustre-client");
    expect(userData).not.toContain("lnetctl");
    // Lustre over TCP loads the module in the client part, after the module options.
    expect(userData.indexOf(MODULE_OPTIONS)).toBeLessThan(userData.indexOf('modprobe lustre || lustre_failed'));
  });

  it("module options only above 64 vCPUs (FSx performance tips): a 48-vCPU g6e.12xlarge node gets none", () => {
    const small = gpu.planCluster({ cloud: "aws", region: "us-east-1", orchestrator: "kubernetes", gpu: { instanceType: "g6e.12xlarge", nodes: 1 }, storage: [{ ...entry, efa: undefined }] } as never);
    expect(small.instance.vcpus).toBe(48);
    expect(lustreClientPart(small).join("\n")).not.toContain("modprobe.d");
    expect(lustreClientPart(gpu.planCluster(plain() as never))).toContain(MODULE_OPTIONS);
  });

  it("plan notes: the efa suggestion shows on EKS p5 training too; once efa is on, a note says where a failed node shows", () => {
    const tcp = gpu.planCluster({ ...plain(), storage: [{ ...entry, efa: undefined }] } as never);
    const aws = { eks: { publicEndpoint: false } };
    expect(checkAwsOptions(tcp, aws).join("\n")).toContain("storage 'fsx': the nodes reach FSx over TCP (up to 100 Gbps per node); storage[].efa: true");
    const on = checkAwsOptions(gpu.planCluster(plain() as never), aws).join("\n");
    expect(on).not.toContain("storage[].efa: true");
    // Where a failed node shows: it never joins, and its console names the step.
    expect(on).toContain("storage 'fsx': each GPU node puts LNet on EFA before its kubelet starts; a node where that fails never joins the cluster");
  });

  it("1024 EFA connections per file system: 128 p5, p5en or p6-b200 nodes (8 interfaces each) plan, 129 are a SpecError naming the count; 64 p6-b300 (16 each); 512 g6e.48xlarge (2 each)", () => {
    expect(gpu.planCluster(plain(128) as never).storage[0]).toMatchObject({ efa: true });
    const tooMany = errorOf(plain(129));
    expect(tooMany).toMatchObject({ name: "SpecError", path: "storage[0].efa" });
    expect(tooMany.message).toContain("129 nodes × 8 EFA interfaces in LNet = 1032 EFA connections, more than the 1024 one FSx file system accepts");
    expect(tooMany.message).toContain("use at most 128 p5.48xlarge nodes with efa");
    // p6-b200 puts all 8 of its EFA devices in LNet: 128 nodes too.
    expect(errorOf(plain(129, "p6-b200.48xlarge")).message).toContain("129 nodes × 8 EFA interfaces in LNet = 1032 EFA connections");
    // p6-b300 puts all 16 in LNet (ParallelCluster's EFA_EXPECTED_BOUND_DEVICES "all"): 1024 / 16 = 64 nodes.
    expect(gpu.planCluster(plain(64, "p6-b300.48xlarge") as never).storage[0]).toMatchObject({ efa: true });
    const b300 = errorOf(plain(65, "p6-b300.48xlarge"));
    expect(b300).toMatchObject({ name: "SpecError", path: "storage[0].efa" });
    expect(b300.message).toContain("65 nodes × 16 EFA interfaces in LNet = 1040 EFA connections, more than the 1024 one FSx file system accepts");
    expect(b300.message).toContain("use at most 64 p6-b300.48xlarge nodes with efa");
    expect(gpu.planCluster(plain(128, "p5en.48xlarge") as never).storage[0]).toMatchObject({ efa: true });
    expect(errorOf(plain(129, "p5en.48xlarge")).message).toContain("129 nodes × 8 EFA interfaces in LNet = 1032 EFA connections");
    // g6e.48xlarge's 4 EFA devices: the first and the last, 2 per node, 512 nodes.
    expect(gpu.planCluster(plain(512, "g6e.48xlarge") as never).storage[0]).toMatchObject({ efa: true });
    expect(errorOf(plain(513, "g6e.48xlarge")).message).toContain("513 nodes × 2 EFA interfaces in LNet = 1026 EFA connections");
  });

  it("still a SpecError where the nodes have no EFA: an EKS cluster of g6e.xlarge, and p5 with fabric 'none'", () => {
    const noEfa = errorOf(plain(2, "g6e.xlarge"));
    expect(noEfa).toMatchObject({ name: "SpecError", path: "storage[0].efa" });
    expect(noEfa.message).toContain("the nodes have no EFA (fabric 'none' on g6e.xlarge)");
    expect(errorOf({ ...plain(), fabric: "none" }).message).toContain("fabric 'none' on p5.48xlarge");
  });
});
