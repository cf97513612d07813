/**
 * EFA-enabled FSx for Lustre and its metadata configuration (`storage[].efa`, `storage[].metadataIops`).
 * Sources (read 2026-11-30): FSx for Lustre user guide, https://docs.aws.amazon.com/fsx/latest/LustreGuide/efa-file-systems.html
 * ("EFA is supported on Persistent 2 file systems with a metadata configuration specified"; the EFA capacity steps of
 * 4.8/9.6/19.2/38.4 TiB at 1000/500/250/125 MB/s/TiB from getting-started.html), read through a stored verbatim
 * quotation; https://docs.aws.amazon.com/fsx/latest/APIReference/API_CreateFileSystemLustreMetadataConfiguration.html
 * (mode AUTOMATIC | USER_PROVISIONED; SSD iops 1500, 3000, 6000, 12000, multiples of 12000 up to 192000);
 * @pulumi/aws 7.48.0 fsx/lustreFileSystem.d.ts (`efaEnabled`, `metadataConfiguration: { mode, iops }`); the node's LNet
 * lines from https://docs.aws.amazon.com/eks/latest/userguide/fsx-csi-tuning-efa.html (awsdocs/amazon-eks-user-guide
 * latest/ug/storage/fsx-csi-tuning-efa.adoc @1527dee); the client tuning from
 * https://docs.aws.amazon.com/fsx/latest/LustreGuide/performance-tips.html (above 64 vCPUs the ptlrpc and ksocklnd module
 * options; above 64 GiB, once mounted, ldlm lru_max_age=600000 and lru_size=100 × vCPUs); the driver version floors from
 * aws/aws-parallelcluster-cookbook PR #3251 (pcluster-diag core/constants.py: efa 2.12.1, kefalnd 1.1.1 on p6).
 */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import * as gpu from "gpu-cluster";
import { userDataScript } from "../lib/clouds/aws/bootstrap.js";
import { checkAwsOptions } from "../lib/clouds/aws/options.js";
import { one, privateEndpoint, run } from "./helpers/offline.js";

const base = { cloud: "aws" as const, region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 } };
const FSX = "aws:fsx/lustreFileSystem:LustreFileSystem";
const SG = "aws:ec2/securityGroup:SecurityGroup";

function bashSyntax(script: string): string {
  const result = spawnSync("bash", ["-n"], { input: script, encoding: "utf8" });
  return result.status === 0 ? "" : result.stderr;
}

describe("EFA-enabled FSx for Lustre", () => {
  it("efa on persistent-125: PERSISTENT_2, efaEnabled, metadata AUTOMATIC, capacity 38.4 TiB (38400 GiB, its one step), in the cluster's all-traffic group", async () => {
    const spec = { ...base, storage: [{ kind: "lustre" as const, capacityTiB: 38.4, mountPath: "/fsx", efa: true }] };
    const result = await run(() => new gpu.TrainingCluster("fsxefa", spec));
    expect(result.error).toBeUndefined();
    const fs = one(result, FSX).inputs;
    expect(fs).toMatchObject({ deploymentType: "PERSISTENT_2", perUnitStorageThroughput: 125, storageCapacity: 38400, efaEnabled: true, metadataConfiguration: { mode: "AUTOMATIC" } });
    expect(fs.metadataConfiguration.iops).toBeUndefined();
    // The group the file system joins admits all traffic from and to itself (EFA's rule, by group id, not CIDR).
    const group = result.resources.filter((r) => r.type === SG).find((r) => (r.inputs.ingress ?? []).some((i: { self?: boolean; protocol: string }) => i.self && i.protocol === "-1"))!;
    expect(group.inputs.egress.some((e: { self?: boolean; protocol: string }) => e.self && e.protocol === "-1")).toBe(true);
  });

  it("the bill prices the EFA capacity step: 38400 GiB × $0.145 = $5,568.00/month, and names the metadata IOPS it cannot price", () => {
    const spec = { ...base, storage: [{ kind: "lustre" as const, capacityTiB: 38.4, mountPath: "/fsx", efa: true }] };
    const estimate = gpu.estimateCost(spec);
    const line = estimate.lines.find((l) => l.category === "storage")!;
    expect(line.description).toContain("FSx for Lustre PERSISTENT_2 SSD 125 MB/s/TiB EFA-enabled, 38400 GiB");
    expect(line.monthlyUsd).toBeCloseTo(5568.0, 2);
    expect(JSON.stringify(estimate)).toContain("FSx for Lustre metadata IOPS of storage 'fsx' (AUTOMATIC mode");
  });

  it("efa on persistent-1000 is made in 4.8 TiB (4800 GiB) steps: 9.6 is 9600 GiB; 5 is refused naming 4.8 and 9.6, never rounded up", () => {
    const entry = { kind: "lustre" as const, tier: "persistent-1000", mountPath: "/fsx", efa: true, contractUsdPerGiBMonth: 0.6 };
    const plan = gpu.planCluster({ ...base, storage: [{ ...entry, capacityTiB: 9.6 }] });
    expect(plan.storage[0]).toMatchObject({ capacityGiB: 9600, requestedGiB: 9600, efa: true });
    expect(() => gpu.planCluster({ ...base, storage: [{ ...entry, capacityTiB: 5 }] })).toThrow(
      "storage[0].capacityTiB: 5 TiB is 5000 GiB on FSx's scale (FSx counts 1.2 TiB as 1200 GiB), not a size FSx for Lustre PERSISTENT_2 SSD 1000 MB/s/TiB EFA-enabled is made in: a multiple of 4.8 TiB; use capacityTiB 4.8 (4800 GiB) or 9.6 (9600 GiB)",
    );
  });

  it("metadataIops alone: USER_PROVISIONED at that rate, no efaEnabled, capacity in the usual 2400 GiB steps", async () => {
    const spec = { ...base, storage: [{ kind: "lustre" as const, capacityTiB: 2.4, mountPath: "/fsx", metadataIops: 24000 }] };
    const result = await run(() => new gpu.TrainingCluster("fsxmeta", spec));
    expect(result.error).toBeUndefined();
    const fs = one(result, FSX).inputs;
    expect(fs).toMatchObject({ deploymentType: "PERSISTENT_2", storageCapacity: 2400, metadataConfiguration: { mode: "USER_PROVISIONED", iops: 24000 } });
    expect(fs.efaEnabled).toBeUndefined();
    expect(JSON.stringify(gpu.estimateCost(spec))).toContain("(24000 provisioned, USER_PROVISIONED mode)");
  });

  it("efa with metadataIops: efaEnabled and USER_PROVISIONED at that rate (EFA needs a metadata configuration, either mode)", async () => {
    const result = await run(() => new gpu.TrainingCluster("fsxboth", { ...base, storage: [{ kind: "lustre", capacityTiB: 38.4, mountPath: "/fsx", efa: true, metadataIops: 12000 }] }));
    expect(result.error).toBeUndefined();
    expect(one(result, FSX).inputs).toMatchObject({ efaEnabled: true, storageCapacity: 38400, metadataConfiguration: { mode: "USER_PROVISIONED", iops: 12000 } });
  });

  it("metadataIops on EKS: the same file system settings (the FSx resource is shared with the VM target)", async () => {
    const result = await run(() => new gpu.TrainingCluster("eksmeta", privateEndpoint({ ...base, orchestrator: "kubernetes", storage: [{ kind: "lustre", capacityTiB: 2.4, mountPath: "/fsx", metadataIops: 6000 }] } as gpu.TrainingClusterArgs)));
    expect(result.error).toBeUndefined();
    expect(one(result, FSX).inputs).toMatchObject({ deploymentType: "PERSISTENT_2", metadataConfiguration: { mode: "USER_PROVISIONED", iops: 6000 } });
    expect(one(result, FSX).inputs.efaEnabled).toBeUndefined();
  });

  it("compare: the FSx settings stay with AWS; other clouds are compared without them", () => {
    const result = gpu.compare({ cloud: "aws", region: "us-east-1", gpu: { model: "H100", count: 16 }, storage: [{ kind: "lustre", capacityTiB: 38.4, mountPath: "/fsx", efa: true }] }, { clouds: ["aws", "gcp"] });
    expect(result.excluded.filter((x) => x.reason.includes("FSx for Lustre setting"))).toEqual([]);
    const gcp = result.placements.find((p) => p.cloud === "gcp")!;
    expect(gcp.plan.storage[0]).not.toHaveProperty("efa");
    const aws = result.placements.find((p) => p.cloud === "aws" && p.region === "us-east-1")!;
    expect(aws.plan.storage[0]).toMatchObject({ efa: true, capacityGiB: 38400 });
  });

  it("off by default, with a plan note on an EFA training cluster naming the option; no note once it is on", () => {
    const plain = gpu.planCluster({ ...base, storage: [{ kind: "lustre", capacityTiB: 2.4, mountPath: "/fsx" }] });
    expect(plain.storage[0]!.efa).toBeUndefined();
    expect(checkAwsOptions(plain, undefined).join("\n")).toContain("storage 'fsx': the nodes reach FSx over TCP (up to 100 Gbps per node); storage[].efa: true");
    const on = gpu.planCluster({ ...base, storage: [{ kind: "lustre", capacityTiB: 38.4, mountPath: "/fsx", efa: true }] });
    expect(checkAwsOptions(on, undefined).join("\n")).not.toContain("storage[].efa: true");
  });

  it("neither: no efaEnabled and no metadataConfiguration (an existing file system sees no change)", async () => {
    const result = await run(() => new gpu.TrainingCluster("fsxplain", { ...base, storage: [{ kind: "lustre", capacityTiB: 2.4, mountPath: "/fsx" }] }));
    const fs = one(result, FSX).inputs;
    expect(fs.efaEnabled).toBeUndefined();
    expect(fs.metadataConfiguration).toBeUndefined();
  });

  it.each([
    [{ kind: "lustre", tier: "scratch", capacityTiB: 38.4, efa: true }, "storage[0].efa", "only on Persistent 2 file systems, and tier 'scratch' is SCRATCH_2"],
    [{ kind: "lustre", tier: "scratch", capacityTiB: 2.4, metadataIops: 3000 }, "storage[0].metadataIops", "only on Persistent 2 file systems"],
    [{ kind: "lustre", capacityTiB: 2.4, metadataIops: 5000 }, "storage[0].metadataIops", "5000 is not a metadata IOPS value FSx accepts"],
    [{ kind: "lustre", capacityTiB: 2.4, metadataIops: 204000 }, "storage[0].metadataIops", "204000 is not a metadata IOPS value"],
    [{ kind: "lustre", capacityTiB: 2.4, efa: "yes" }, "storage[0].efa", ""],
    [{ kind: "nfs", capacityTiB: 1, efa: true }, "storage[0].efa", "is an FSx for Lustre setting"],
  ])("SpecError before anything is created: %j", async (entry, path, message) => {
    const result = await run(() => new gpu.TrainingCluster("fsxbad", { ...base, storage: [{ mountPath: "/fsx", ...entry }] } as never));
    expect(result.error).toMatchObject({ name: "SpecError", path });
    expect(String(result.error)).toContain(message);
    expect(result.resources.filter((r) => r.type === FSX)).toHaveLength(0);
  });

  it("efa needs EFA clients: a SpecError on storage[0].efa on an instance without EFA; EKS nodes are clients too (test/fsx-efa-eks.test.ts)", () => {
    const entry = { kind: "lustre" as const, capacityTiB: 38.4, mountPath: "/fsx", efa: true };
    const errorOf = (spec: object) => {
      try {
        gpu.planCluster(spec as never);
      } catch (e) {
        return e as Error & { path?: string };
      }
      throw new Error("no SpecError");
    };
    const noEfa = errorOf({ ...base, gpu: { instanceType: "g6e.xlarge", nodes: 2 }, storage: [entry] });
    expect(noEfa).toMatchObject({ name: "SpecError", path: "storage[0].efa" });
    expect(noEfa.message).toContain("the nodes have no EFA (fabric 'none' on g6e.xlarge)");
    // EFA opted out on an EFA type: no EFA clients either.
    expect(errorOf({ ...base, fabric: "none", storage: [entry] }).message).toContain("fabric 'none' on p5.48xlarge");
    expect(gpu.planCluster({ ...base, orchestrator: "kubernetes", storage: [entry] }).storage[0]).toMatchObject({ efa: true, capacityGiB: 38400 });
  });

  // FSx for Lustre user guide, efa-file-systems.html (read 2026-11-30): EFA clients are "Nitro v4 (or later)" instances;
  // the Nitro version of each family from the EC2 instance types guide, https://docs.aws.amazon.com/ec2/latest/instancetypes/ac.html
  // (Instance family summary, Hypervisor: P4d and P4de Nitro v3, P5 and P5e Nitro v4, P5en Nitro v5, P6-B200 and
  // P6-B300 Nitro v6; read 2026-12-01).
  it.each([
    ["p4de.24xlarge", 3],
    ["p4d.24xlarge", 3],
  ])("efa on %s (Nitro v%i) is a SpecError on storage[0].efa naming the Nitro v4 floor and the families that qualify, before anything is created", async (instanceType, nitro) => {
    const spec = { ...base, gpu: { instanceType, nodes: 2 }, storage: [{ kind: "lustre" as const, capacityTiB: 38.4, mountPath: "/fsx", efa: true }] };
    const result = await run(() => new gpu.TrainingCluster("fsxnitro", spec));
    expect(result.error).toMatchObject({ name: "SpecError", path: "storage[0].efa" });
    expect(String(result.error)).toContain(
      `an EFA-enabled FSx file system needs EFA clients, and FSx takes EFA clients on Nitro v4 or later only (https://docs.aws.amazon.com/fsx/latest/LustreGuide/efa-file-systems.html), and ${instanceType} is built on Nitro v${nitro}`,
    );
    expect(String(result.error)).toContain("or train on a Nitro v4+ EFA family: g6, g6e, p5, p5e, p5en, p6-b200, p6-b300, p6e-gb200");
    expect(result.resources.filter((r) => r.type === FSX)).toHaveLength(0);
    // The same nodes over TCP are fine.
    expect(gpu.planCluster({ ...spec, storage: [{ kind: "lustre", capacityTiB: 2.4, mountPath: "/fsx" }] }).storage[0]!.efa).toBeUndefined();
  });

  it.each([
    ["p5.48xlarge", "us-east-1"],
    ["p5e.48xlarge", "us-east-2"], // sold there with a quoted rate only (no public on-demand price)
    ["p5en.48xlarge", "us-east-1"],
    ["p6-b200.48xlarge", "us-east-1"],
    ["p6-b300.48xlarge", "us-east-1"],
    ["g6e.48xlarge", "us-east-1"],
  ])("efa on %s (Nitro v4 or later) plans", (instanceType, region) => {
    const rate = instanceType.startsWith("p5e.") ? { contractUsdPerHour: 40 } : {};
    const plan = gpu.planCluster({ ...base, region, ...rate, gpu: { instanceType, nodes: 2 }, storage: [{ kind: "lustre", capacityTiB: 38.4, mountPath: "/fsx", efa: true }] });
    expect(plan.storage[0]).toMatchObject({ efa: true, capacityGiB: 38_400 });
  });

  it("an inference fleet's replicas attach no EFA, so efa is a SpecError there too", async () => {
    const entry = { kind: "lustre" as const, capacityTiB: 38.4, mountPath: "/fsx", efa: true };
    const result = await run(() => new gpu.InferenceFleet("fleetefa", { cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge" }, replicas: { min: 1, max: 2 }, storage: [entry] } as gpu.InferenceFleetArgs));
    expect(result.error).toMatchObject({ name: "SpecError", path: "storage[0].efa" });
    expect(String(result.error)).toContain("the nodes have no EFA (fabric 'none' on p5.48xlarge)");
    expect(result.resources.filter((r) => r.type === FSX)).toHaveLength(0);
  });

  it("VM nodes: LNet over EFA before the mount (every fourth device on p5), the mount kept out of the boot's fstab pass; bash -n passes", () => {
    const plan = gpu.planCluster({ ...base, storage: [{ kind: "lustre", capacityTiB: 38.4, mountPath: "/fsx", efa: true }] });
    const script = userDataScript(plan, { fsx: "fs-1.fsx.us-east-1.amazonaws.com@tcp:/abcd" });
    expect(bashSyntax(script)).toBe("");
    const lnet = script.indexOf("modprobe kefalnd ipif_name=");
    const mount = script.indexOf("mount -t lustre -o relatime,flock,noauto 'fs-1.fsx.us-east-1.amazonaws.com@tcp:/abcd' '/fsx'");
    expect(lnet).toBeGreaterThan(0);
    expect(mount).toBeGreaterThan(lnet);
    expect(script).toContain(`lnetctl net add --net efa --if "$dev" --peer-credits 32`);
    expect(script).toContain(`= efa ] && echo "$(basename "$(readlink -f "/sys/class/infiniband/$d/device")") $d"; done | LC_ALL=C sort | awk '{print $2}' | awk 'NR % 4 == 1'`);
    expect(script).toContain("lnetctl udsp add --src efa --priority 0");
    expect(script).toContain(`lnet_if="$(ip -4 route show default | awk '{print $5; exit}')"`);
    expect(script).toContain(`lnetctl net add --net tcp --if "$lnet_if"`);
    // Modules with the EFA driver from FSx's repository when the image's client has none, before LNet is configured.
    const install = script.indexOf('install -y "lustre-client-modules-$(uname -r)"');
    expect(install).toBeGreaterThan(script.indexOf("if ! modinfo kefalnd"));
    expect(lnet).toBeGreaterThan(install);
    expect(script).toContain("https://fsx-lustre-client-repo.s3.amazonaws.com/ubuntu $(. /etc/os-release");
    expect(script).toContain("printf '%s\\n' 6.8 \"$(uname -r)\"");
    expect(script).toContain("fs-1.fsx.us-east-1.amazonaws.com@tcp:/abcd /fsx lustre relatime,flock,noauto,_netdev,nofail 0 0");
    // The version floor before any module loads (after the Ubuntu client install), then kefalnd.
    const floor = script.indexOf(`efa_version="$(modinfo -F version efa 2>/dev/null | sed 's/[^0-9.]//g')"`);
    expect(floor).toBeGreaterThan(install);
    expect(lnet).toBeGreaterThan(floor);
    expect(script).not.toContain("modinfo -F version kefalnd");
    // p5en's 16 devices, two per GPU: every second one (8, the count AWS's setup binds).
    const p5en = userDataScript(gpu.planCluster({ ...base, gpu: { instanceType: "p5en.48xlarge", nodes: 2 }, storage: [{ kind: "lustre", capacityTiB: 38.4, mountPath: "/fsx", efa: true }] }), { fsx: "fs-1.fsx.us-east-1.amazonaws.com@tcp:/abcd" });
    expect(p5en).toContain(`= efa ] && echo "$(basename "$(readlink -f "/sys/class/infiniband/$d/device")") $d"; done | LC_ALL=C sort | awk '{print $2}' | awk 'NR % 2 == 1'`);
    expect(bashSyntax(p5en)).toBe("");
    // Without efa the nodes mount over TCP as before, with no LNet lines.
    const plain = userDataScript(gpu.planCluster({ ...base, storage: [{ kind: "lustre", capacityTiB: 2.4, mountPath: "/fsx" }] }), { fsx: "fs-1.fsx.us-east-1.amazonaws.com@tcp:/abcd" });
    expect(plain).not.toContain("lnetctl");
    expect(plain).toContain("mount -t lustre -o relatime,flock 'fs-1");
  });

  it("VM nodes, FSx's client tuning: on p5 (192 vCPUs, 2048 GiB) the module options file before any module loads, and the lock LRU and RPC settings after the mount (lru_size 100 × 192)", () => {
    const options = "printf '%s\\n' 'options ptlrpc ptlrpcd_per_cpt_max=32' 'options ksocklnd credits=2560' > /etc/modprobe.d/fsx-lustre.conf";
    // Lock LRU (above 64 GiB), then the RPC settings (above 64 vCPUs), the MDC's max_rpcs_in_flight before its
    // max_mod_rpcs_in_flight, which must stay below it.
    const lru = "lctl set_param 'ldlm.namespaces.*.lru_max_age=600000' 'ldlm.namespaces.*.lru_size=19200' 'osc.*OST*.max_rpcs_in_flight=32' 'mdc.*.max_rpcs_in_flight=64' 'mdc.*.max_mod_rpcs_in_flight=50' || echo 'gpu-cluster: lctl set_param failed' >&2";
    for (const efa of [true, undefined]) {
      const plan = gpu.planCluster({ ...base, storage: [{ kind: "lustre", capacityTiB: efa ? 38.4 : 2.4, mountPath: "/fsx", efa }] });
      const script = userDataScript(plan, { fsx: "fs-1.fsx.us-east-1.amazonaws.com@tcp:/abcd" });
      expect(bashSyntax(script)).toBe("");
      const lines = script.split("\n");
      const at = lines.indexOf(options);
      expect(at).toBeGreaterThan(0);
      // Nothing loads a module (modprobe, or a Lustre mount) before the file is written.
      expect(lines.findIndex((l) => /modprobe |mount -t lustre/.test(l))).toBeGreaterThan(at);
      // After the (last) Lustre mount, in the per-boot mount script, since lctl settings do not survive a reboot.
      expect(lines.indexOf(lru)).toBeGreaterThan(lines.findIndex((l) => l.startsWith("mount -t lustre")));
      expect(lines.indexOf(lru)).toBeLessThan(lines.indexOf("MOUNTS"));
    }
    // A 48-vCPU, 384 GiB type: no module options (not above 64 vCPUs), the lock LRU at 100 × 48; a 4-vCPU, 32 GiB one: neither.
    const mid = userDataScript(gpu.planCluster({ ...base, gpu: { instanceType: "g6e.12xlarge", nodes: 1 }, storage: [{ kind: "lustre", capacityTiB: 2.4, mountPath: "/fsx" }] }), { fsx: "fs-1@tcp:/abcd" });
    expect(mid).not.toContain("modprobe.d");
    expect(mid).toContain("lctl set_param 'ldlm.namespaces.*.lru_max_age=600000' 'ldlm.namespaces.*.lru_size=4800' || echo");
    const small = userDataScript(gpu.planCluster({ ...base, gpu: { instanceType: "g6e.xlarge", nodes: 1 }, storage: [{ kind: "lustre", capacityTiB: 2.4, mountPath: "/fsx" }] }), { fsx: "fs-1@tcp:/abcd" });
    expect(small).not.toContain("modprobe.d");
    expect(small).not.toContain("lctl set_param");
    // No Lustre, no tuning.
    expect(userDataScript(gpu.planCluster(base), {})).not.toContain("fsx-lustre.conf");
  });

  it("VM nodes on p6-b300: all 16 EFA devices in LNet and the kefalnd 1.1.1 floor", () => {
    const plan = gpu.planCluster({ ...base, gpu: { instanceType: "p6-b300.48xlarge", nodes: 2 }, storage: [{ kind: "lustre", capacityTiB: 38.4, mountPath: "/fsx", efa: true }] });
    const script = userDataScript(plan, { fsx: "fs-1.fsx.us-east-1.amazonaws.com@tcp:/abcd" });
    expect(bashSyntax(script)).toBe("");
    expect(script).toContain(`= efa ] && echo "$(basename "$(readlink -f "/sys/class/infiniband/$d/device")") $d"; done | LC_ALL=C sort | awk '{print $2}'); do lnetctl net add --net efa --if "$dev" --peer-credits 32`);
    expect(script).toContain(`[ -n "$kefalnd_version" ] && [ "$(printf '%s\\n' 1.1.1 "$kefalnd_version" | sort -V | head -n1)" = 1.1.1 ] || fail`);
  });
});
