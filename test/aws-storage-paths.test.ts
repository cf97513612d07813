/**
 * Storage mount paths on AWS VMs that the node's own boot setup already uses (review session 28, F1 and F6).
 *
 * F1: the boot script binds the instance store at /scratch before the storage mounts (lib/clouds/aws/bootstrap.ts
 * AWS_SCRATCH, `mounts: [...scratch, ...]`); the shared mount guard `if ! mountpoint -q <path>` then skips a storage
 * mount there, so a storage entry at /scratch (or under it) would be billed but never used. Refused at validation.
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { VM_SCRATCH_MOUNTS } from "../lib/spec/storage-identity.js";
import { AWS_SCRATCH } from "../lib/clouds/aws/bootstrap.js";
import { AZURE_SCRATCH } from "../lib/clouds/azure/bootstrap.js";
import { LOCAL_SSD_MOUNT } from "../lib/clouds/gcp/local-ssd.js";
import { specError } from "./helpers/spec-error.js";

const vm = { cloud: "aws" as const, region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 } };


describe("F1: storage at the VM scratch mount is refused", () => {
  it("the reserved table holds each cloud's own scratch mount (one rule, the boot scripts' constants)", () => {
    expect(VM_SCRATCH_MOUNTS).toEqual({ aws: AWS_SCRATCH, azure: AZURE_SCRATCH, gcp: LOCAL_SSD_MOUNT });
    expect(AWS_SCRATCH).toBe("/scratch");
  });

  it("a lustre entry at /scratch on AWS VMs: SpecError on storage[0].mountPath, hint keeps the derived name", () => {
    const e = specError(() => gpu.planCluster({ ...vm, storage: [{ kind: "lustre", capacityTiB: 1.2, mountPath: "/scratch" }] }));
    expect(e.path).toBe("storage[0].mountPath");
    expect(e.problem).toContain("'/scratch' collides with /scratch, where aws VM nodes mount their local NVMe scratch at every boot");
    expect(e.hint).toBe("mount it elsewhere, e.g. '/data', and set name: 'scratch' so the storage keeps its name (a new name replaces it)");
  });

  it("below the scratch mount too (fstab would mount it first, then the scratch bind hides it); a named entry gets no rename hint", () => {
    const e = specError(() => gpu.planCluster({ ...vm, storage: [{ kind: "nfs", capacityTiB: 1, mountPath: "/data" }, { kind: "block", capacityTiB: 1, mountPath: "/scratch/ckpt", name: "ckpt" }] }));
    expect(e.path).toBe("storage[1].mountPath");
    expect(e.hint).toBe("mount it elsewhere, e.g. '/data'");
  });

  it("the fix compiles: the same entry at /data named 'scratch' keeps its name", () => {
    const plan = gpu.planCluster({ ...vm, storage: [{ kind: "lustre", capacityTiB: 1.2, mountPath: "/data", name: "scratch" }] });
    expect(plan.storage.map((s) => [s.name, s.mountPath])).toEqual([["scratch", "/data"]]);
  });

  it("EKS is not affected: a pod's /scratch entry replaces its scratch emptyDir (lib/clouds/kubernetes)", () => {
    const plan = gpu.planCluster({ ...vm, orchestrator: "kubernetes", storage: [{ kind: "lustre", capacityTiB: 1.2, mountPath: "/scratch" }] });
    expect(plan.storage[0]!.mountPath).toBe("/scratch");
  });
});

/**
 * F2: AWS VM `block` volumes are launch-template EBS mappings with DeleteOnTermination (lib/clouds/aws/launch-template.ts),
 * deleted with their instance (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/preserving-volumes-on-termination.html),
 * so deletionProtection cannot hold: refused, as on Azure VMs (lib/spec/validate.ts BLOCK_DIES_WITH_VM).
 */
describe("F2: AWS VM block storage is scratch, never 'protected'", () => {
  it("deletionProtection: true → SpecError on storage[0].deletionProtection", () => {
    const e = specError(() => gpu.planCluster({ ...vm, storage: [{ kind: "block", capacityTiB: 1, mountPath: "/data", deletionProtection: true }] }));
    expect(e.path).toBe("storage[0].deletionProtection");
    expect(e.problem).toBe(
      "cannot hold for block storage on AWS VMs: these are per-node EBS volumes of the Auto Scaling group's launch template, deleted with their instance (a health replacement, a scale-in, a spot reclaim, the end of a capacity block, an instance refresh)",
    );
    expect(e.hint).toBe("remove deletionProtection (block storage there is scratch), and keep what must survive on nfs, lustre or object storage");
  });

  it("left out, the plan says it is unprotected scratch and the note says so", async () => {
    const { checkAwsOptions } = await import("../lib/clouds/aws/options.js");
    const plan = gpu.planCluster({ ...vm, storage: [{ kind: "block", capacityTiB: 1, mountPath: "/data" }] });
    expect(plan.storage[0]).toMatchObject({ kind: "block", deletionProtection: false, capacityGiB: 1024 });
    expect(checkAwsOptions(plan, undefined)).toContain(
      "block storage (data) is one EBS volume per node, deleted with its instance (a health replacement, a scale-in, a spot reclaim, an instance refresh): scratch space, not deletion-protected; keep checkpoints on nfs, lustre or object storage",
    );
  });

  it("each entry finds its own volume by size (not the last device in attach order), and a later boot looks for none", async () => {
    const { run, one } = await import("./helpers/offline.js");
    const storage = [
      { kind: "block", capacityTiB: 1, mountPath: "/data" },
      { kind: "block", capacityTiB: 0.5, mountPath: "/mnt/tmp" },
    ];
    const result = await run(() => new gpu.TrainingCluster("blk", { ...vm, storage } as gpu.TrainingClusterArgs));
    expect(result.error).toBeUndefined();
    const lt = one(result, "aws:ec2/launchTemplate:LaunchTemplate").inputs;
    expect(lt.blockDeviceMappings.slice(1).map((m: { deviceName: string; ebs: { volumeSize: number } }) => [m.deviceName, m.ebs.volumeSize])).toEqual([
      ["/dev/sdf", 1024],
      ["/dev/sdg", 512],
    ]);
    const { gunzipSync } = await import("node:zlib");
    const raw = Buffer.from(lt.userData, "base64");
    const userData = (raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw).toString();
    // 1 TiB = 1099511627776 bytes, 512 GiB = 549755813888 bytes, as `lsblk -b` prints them.
    expect(userData).toContain(`[ "$(lsblk -bdno SIZE $d)" = 1099511627776 ]`);
    expect(userData).toContain(`[ "$(lsblk -bdno SIZE $d)" = 549755813888 ]`);
    expect(userData).toContain("if ! mountpoint -q '/data'; then\n  dev=$(lsblk");
    expect(userData).toContain("fail 'no blank 512 GiB EBS data volume found for /mnt/tmp'");
  });
});

/**
 * F6: a file system at /home hid the image user's home (aws-vm-efs matrix case). Its content is saved before the first
 * mount and copied on without overwriting, as ParallelCluster does for a shared /home
 * (aws/aws-parallelcluster-cookbook@f75d84c recipes/init/backup_home_shared_data.rb, restore_home_shared_data.rb).
 */
describe("F6: a shared file system over a directory the image filled keeps its content", () => {
  it("EFS at /home: save before `mount -t efs`, copy back (no overwrite) after, and the per-boot script parses as bash", async () => {
    const { run, one } = await import("./helpers/offline.js");
    const result = await run(() => new gpu.TrainingCluster("home", { ...vm, storage: [{ kind: "nfs", capacityTiB: 1, mountPath: "/home" }] } as gpu.TrainingClusterArgs));
    expect(result.error).toBeUndefined();
    const { gunzipSync } = await import("node:zlib");
    const raw = Buffer.from(one(result, "aws:ec2/launchTemplate:LaunchTemplate").inputs.userData, "base64");
    const userData = (raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw).toString();
    const perBoot = userData.split("<<'MOUNTS'\n")[1]!.split("\nMOUNTS\n")[0]!;
    const save = "  rm -rf '/var/lib/gpu-cluster/shadowed/home' && mkdir -p '/var/lib/gpu-cluster/shadowed/home' && cp -a '/home'/. '/var/lib/gpu-cluster/shadowed/home'/ || fail 'saving what the image has at /home failed'";
    const restore = "  cp -an '/var/lib/gpu-cluster/shadowed/home'/. '/home'/ || fail 'copying what the image had at /home onto the file system failed'";
    expect(perBoot).toContain(`if ! mountpoint -q '/home' && [ -n "$(ls -A '/home' 2>/dev/null)" ]; then\n${save}\nfi`);
    expect(perBoot.indexOf(save)).toBeLessThan(perBoot.indexOf("mount -t efs -o tls"));
    expect(perBoot.indexOf(restore)).toBeGreaterThan(perBoot.indexOf("mount -t efs -o tls"));
    const { spawnSync } = await import("node:child_process");
    expect(spawnSync("bash", ["-n"], { input: perBoot, encoding: "utf8" }).stderr).toBe("");
  });
});
