/**
 * The clouds' size limits on what a node boots with, against the heaviest boot script each VM path builds (a training
 * cluster with every storage kind the path mounts, the fabric, the SSH trust, the gate, and the user's own script):
 * - AWS: user data is limited to 16 KB in raw form, before base64
 *   (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/user-data.html, read 2026-11-30).
 * - Azure: customData is at most 65,535 characters once base64-encoded
 *   (https://learn.microsoft.com/azure/virtual-machines/custom-data, read 2026-11-30: "the maximum length of custom data
 *   is 64 KB" after base64; the API's osProfile.customData limit).
 * - GCP: a metadata value (the startup script) is at most 256 KB, and all metadata together 512 KB
 *   (https://cloud.google.com/compute/docs/metadata/setting-custom-metadata#limitations, read 2026-11-30).
 * A script over its limit fails `pulumi up` at create; this fails here first, with the size and the margin. On AWS a
 * script over 16 KB is gzip-compressed, which cloud-init decompresses
 * (https://cloudinit.readthedocs.io/en/latest/explanation/format.html, read 2026-11-30).
 */
import { randomBytes } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { encodeUserData } from "../lib/clouds/aws/launch-template.js";
import * as gpu from "gpu-cluster";
import { one, privateEndpoint, run, T } from "./helpers/offline.js";

const LIMITS = { awsUserDataRawBytes: 16 * 1024, azureCustomDataBase64Chars: 65_535, gcpMetadataValueBytes: 256 * 1024 };
/** What a user appends (aws.userData, azure.customData, gcp.startupScript): a modest 2 KiB of their own. */
const USER_SCRIPT = `echo ${"x".repeat(2 * 1024 - 6)}`;
const SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGpuY2x1c3RlcnRlc3RrZXlub3RyZWFsMDAwMDAwMDA0 ops@example";

describe("boot scripts fit the clouds' limits", () => {
  // Raw it is 16,409 bytes since FSx's RPC settings joined the Lustre tuning (16,311 before; 4,572 gzip-compressed), so EC2 gets it
  // gzip-compressed (encodeUserData), which cloud-init decompresses; a spec without the 2 KiB user script stays raw.
  it("AWS: p5en training with Lustre, EFS (its client built at boot) and a bucket, the SSH trust and the gate: user data under 16 KB as sent", async () => {
    const result = await run(() =>
      new gpu.TrainingCluster("big", {
        cloud: "aws",
        region: "us-east-1",
        gpu: { instanceType: "p5en.48xlarge", nodes: 4 },
        storage: [{ kind: "lustre", capacityTiB: 24, mountPath: "/fsx" }, { kind: "nfs", capacityTiB: 1, mountPath: "/home/shared" }, { kind: "object", capacityTiB: 10, mountPath: "/data" }],
        aws: { userData: USER_SCRIPT },
      } as gpu.TrainingClusterArgs),
    );
    expect(result.error).toBeUndefined();
    const sent = Buffer.from(one(result, T.lt).inputs.userData as string, "base64");
    expect(sent.length, `user data is ${sent.length} bytes as sent`).toBeLessThanOrEqual(LIMITS.awsUserDataRawBytes);
    // gzip's magic bytes when compressed; either way cloud-init gets the whole script, the user's part last.
    const script = sent[0] === 0x1f && sent[1] === 0x8b ? gunzipSync(sent).toString("utf8") : sent.toString("utf8");
    expect(script).toContain("gpu-cluster-ssh-trust");
    expect(script.trimEnd().endsWith(USER_SCRIPT)).toBe(true);
  });

  // NetApp's mount address is known only once the volume exists (unknown offline), so the Azure case mounts a bucket;
  // a NetApp mount adds two lines.
  it("Azure: ND H100 v5 training with Blob storage, the local NVMe array, the SSH trust and the gate: custom data under 64 KB base64", async () => {
    const result = await run(() =>
      new gpu.TrainingCluster("big", {
        cloud: "azure",
        region: "eastus",
        gpu: { instanceType: "Standard_ND96isr_H100_v5", nodes: 4 },
        storage: [{ kind: "object", capacityTiB: 10, mountPath: "/data" }],
        azure: { sshPublicKey: SSH_KEY, customData: USER_SCRIPT },
      } as gpu.TrainingClusterArgs),
    );
    expect(result.error).toBeUndefined();
    const vmss = one(result, "azure-native:compute:VirtualMachineScaleSet");
    const customData = vmss.inputs.virtualMachineProfile.osProfile.customData as string;
    expect(Buffer.from(customData, "base64").toString("utf8")).toContain("gpu-cluster-ssh-trust");
    expect(customData.length, `custom data is ${customData.length} base64 characters`).toBeLessThanOrEqual(LIMITS.azureCustomDataBase64Chars);
  });

  it("GCP: A3 Mega training with Filestore and a bucket, TCPXO, the SSH trust and the gate: the startup script under 256 KB", async () => {
    const result = await run(() =>
      new gpu.TrainingCluster("big", privateEndpoint({
        cloud: "gcp",
        region: "us-central1",
        zone: "us-central1-a",
        reservationId: "r",
        gpu: { instanceType: "a3-megagpu-8g", nodes: 4 },
        storage: [{ kind: "nfs", capacityTiB: 2.5, mountPath: "/home/shared" }, { kind: "object", capacityTiB: 10, mountPath: "/data" }],
        gcp: { startupScript: USER_SCRIPT },
      } as gpu.TrainingClusterArgs)),
    );
    expect(result.error).toBeUndefined();
    const template = one(result, "gcp:compute/instanceTemplate:InstanceTemplate");
    const script = String(template.inputs.metadata["startup-script"]);
    expect(script).toContain("gpu-cluster-ssh-trust");
    const bytes = Buffer.byteLength(script, "utf8");
    expect(bytes, `startup script is ${bytes} bytes`).toBeLessThanOrEqual(LIMITS.gcpMetadataValueBytes);
  });
});

describe("AWS user data over 16 KB", () => {
  it("a 6 KiB user script on the heaviest spec: gzip-compressed under the limit, and it decompresses to the whole script", async () => {
    const mine = `echo ${"y".repeat(6 * 1024 - 6)}`;
    const result = await run(() =>
      new gpu.TrainingCluster("big", {
        cloud: "aws",
        region: "us-east-1",
        gpu: { instanceType: "p5en.48xlarge", nodes: 4 },
        storage: [{ kind: "lustre", capacityTiB: 24, mountPath: "/fsx" }, { kind: "nfs", capacityTiB: 1, mountPath: "/home/shared" }],
        aws: { userData: mine },
      } as gpu.TrainingClusterArgs),
    );
    expect(result.error).toBeUndefined();
    const sent = Buffer.from(one(result, T.lt).inputs.userData as string, "base64");
    // gzip's magic bytes, which cloud-init looks for.
    expect([sent[0], sent[1]]).toEqual([0x1f, 0x8b]);
    expect(sent.length).toBeLessThanOrEqual(LIMITS.awsUserDataRawBytes);
    const script = gunzipSync(sent).toString("utf8");
    expect(script.length).toBeGreaterThan(LIMITS.awsUserDataRawBytes);
    expect(script).toContain(mine);
    expect(script.startsWith("#!/bin/bash\n")).toBe(true);
  });

  it("a script under the limit stays plain; one that does not fit even compressed is an error naming aws.userData and the sizes", () => {
    expect(Buffer.from(encodeUserData("#!/bin/bash\necho hi\n"), "base64").toString("utf8")).toBe("#!/bin/bash\necho hi\n");
    // 24 KiB of random hex compresses to about half: still over 16 KB.
    const noise = `#!/bin/bash\n# ${randomBytes(24 * 1024).toString("hex")}\n`;
    // 12 + 2 + 49,152 + 1 bytes.
    expect(Buffer.byteLength(noise)).toBe(49_167);
    expect(() => encodeUserData(noise)).toThrow(/^aws\.userData: the nodes' user data is 49167 bytes \(\d+ gzip-compressed\), over EC2's 16384-byte limit; keep your script in S3/);
  });

  it("a user script that cannot fit even compressed is a SpecError at construction, before any resource is registered (training and fleets)", async () => {
    // 20 KiB of random hex: about 10 KB gzip-compressed on its own, more than the library's part leaves.
    const noise = `# ${randomBytes(20 * 1024).toString("hex")}`;
    const { runRecording } = await import("./helpers/offline.js");
    for (const program of [
      () => new gpu.TrainingCluster("big", { cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5en.48xlarge", nodes: 4 }, storage: [{ kind: "lustre", capacityTiB: 24, mountPath: "/fsx" }], aws: { userData: noise } } as gpu.TrainingClusterArgs),
      () => new gpu.InferenceFleet("llm", { cloud: "aws", region: "us-east-1", gpu: { model: "L4" }, replicas: { min: 2, max: 4 }, aws: { userData: noise } } as gpu.InferenceFleetArgs),
    ]) {
      const { result, registrations } = await runRecording(program);
      expect(result.error).toBeInstanceOf(gpu.SpecError);
      expect((result.error as gpu.SpecError).path).toBe("aws.userData");
      expect(String(result.error)).toMatch(/would be about \d+ bytes \(\d+ gzip-compressed\), over EC2's 16384-byte user data limit/);
      // Only the component itself was registered: no cloud resource.
      expect([...registrations.keys()].filter((name) => !["big", "llm"].includes(name))).toEqual([]);
    }
  });

  it("the stand-ins for values known only during `up` are as long as their bound and compress no better than real ones", async () => {
    const { placeholder, placeholderMountSources, secretArnBound, MOUNT_SOURCE_BOUND } = await import("../lib/clouds/aws/launch-template.js");
    const { gzipSync } = await import("node:zlib");
    expect(placeholder(128)).toHaveLength(128);
    expect(placeholder(128)).toMatch(/^[0-9a-z]{128}$/);
    expect(placeholder(128, 2)).not.toBe(placeholder(128, 3));
    // A real FSx for Lustre source is under 80 characters and compresses better than its 128-character stand-in.
    const real = "fs-0123456789abcdef0.fsx.ap-southeast-1.amazonaws.com@tcp:/abcdefgh";
    expect(real.length).toBeLessThan(MOUNT_SOURCE_BOUND);
    expect(gzipSync(real).length).toBeLessThan(gzipSync(placeholder(MOUNT_SOURCE_BOUND)).length);
    expect(secretArnBound("big")).toBeGreaterThanOrEqual("arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:big-ssh-key-1a2b3c4-AbCdEf".length);
    const plan = gpu.planCluster({ cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 }, storage: [{ kind: "lustre", capacityTiB: 24, mountPath: "/fsx" }, { kind: "nfs", capacityTiB: 1, mountPath: "/home" }] });
    const sources = placeholderMountSources(plan);
    expect(Object.keys(sources)).toEqual(plan.storage.map((s) => s.name));
    expect(Object.values(sources).every((v) => v.length === MOUNT_SOURCE_BOUND)).toBe(true);
  });
});
