/**
 * The plan note on every FSx for Lustre entry naming the edits that need a new storage name (lib/clouds/aws/storage-rules.ts
 * lustreEditNote has the sources, read 2026-12-01): replaced by the AWS provider (deployment_type ForceNew; a smaller
 * storage_capacity and a lower USER_PROVISIONED metadata iops forced new by its CustomizeDiff, in
 * hashicorp/terraform-provider-aws internal/service/fsx/lustre_file_system.go; @pulumi/aws 7.48.0
 * LustreFileSystemMetadataConfiguration.mode warning; `efaEnabled` "must be set at creation"), or refused by FSx in place
 * (@pulumi/aws 7.48.0 `efaEnabled`: "prevents changes to `perUnitStorageThroughput`";
 * API_UpdateFileSystemLustreMetadataConfiguration: AUTOMATIC is refused when it would downscale metadata IOPS).
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { checkAwsOptions } from "../lib/clouds/aws/options.js";
import { privateEndpoint } from "./helpers/offline.js";

const base = { cloud: "aws" as const, region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 } };
type Entry = NonNullable<gpu.TrainingClusterArgs["storage"]>[number];
const notes = (storage: Entry[], extra: Partial<gpu.TrainingClusterArgs> = {}) => {
  const { aws, ...spec } = { ...base, ...extra, storage } as gpu.TrainingClusterArgs;
  return checkAwsOptions(gpu.planCluster(spec), aws);
};
const editNotes = (storage: Entry[], extra: Partial<gpu.TrainingClusterArgs> = {}) => notes(storage, extra).filter((n) => n.includes("need a new storage name"));

describe("FSx for Lustre: edits that need a new storage name, as plan notes", () => {
  it("EFA-enabled persistent-500 (9.6 TiB, guarded): the replacing edits, and another tier refused by FSx", () => {
    expect(editNotes([{ kind: "lustre", tier: "persistent-500", capacityTiB: 9.6, mountPath: "/fsx", efa: true, contractUsdPerGiBMonth: 0.29 }])).toEqual([
      "storage 'fsx': these edits need a new storage name (a new file system, then copy the data). " +
        "Replacing the file system: a scratch tier; efa: false; a smaller capacityTiB; a metadataIops below the file system's current metadata IOPS " +
        "(`up` refuses these while the entry is guarded by deletionProtection). " +
        "Refused by FSx, failing `up` with the file system unchanged: another persistent tier (an EFA-enabled file system keeps persistent-500).",
    ]);
  });

  it("metadataIops 3000 on the default persistent tier (no EFA): the replacing edits only; another tier is an in-place change", () => {
    const plan = gpu.planCluster({ ...base, storage: [{ kind: "lustre", capacityTiB: 2.4, mountPath: "/fsx", metadataIops: 3000 }] });
    expect(plan.storage[0]!.tier).toBe("persistent-125");
    expect(editNotes([{ kind: "lustre", capacityTiB: 2.4, mountPath: "/fsx", metadataIops: 3000 }])).toEqual([
      "storage 'fsx': these edits need a new storage name (a new file system, then copy the data). " +
        "Replacing the file system: a scratch tier; efa: true; a smaller capacityTiB; a metadataIops below the file system's current metadata IOPS " +
        "(`up` refuses these while the entry is guarded by deletionProtection).",
    ]);
  });

  it("EFA with metadataIops, unguarded: says the replacement deletes the data, and that leaving out metadataIops is refused", () => {
    const entry: Entry = { kind: "lustre", tier: "persistent-500", capacityTiB: 9.6, mountPath: "/fsx", efa: true, metadataIops: 12000, deletionProtection: false, contractUsdPerGiBMonth: 0.29 };
    expect(editNotes([entry])).toEqual([
      "storage 'fsx': these edits need a new storage name (a new file system, then copy the data). " +
        "Replacing the file system: a scratch tier; efa: false; a smaller capacityTiB; a metadataIops below the file system's current metadata IOPS " +
        "(with deletionProtection: false they delete the file system and its data). " +
        "Refused by FSx, failing `up` with the file system unchanged: another persistent tier (an EFA-enabled file system keeps persistent-500); " +
        "leaving out metadataIops (AUTOMATIC mode, refused below the metadata IOPS the file system has).",
    ]);
  });

  it("a scratch entry: a persistent tier or a smaller size replaces it", () => {
    expect(editNotes([{ kind: "lustre", tier: "scratch", capacityTiB: 2.4, mountPath: "/fsx" }])).toEqual([
      "storage 'fsx': these edits need a new storage name (a new file system, then copy the data). " +
        "Replacing the file system: a persistent tier; a smaller capacityTiB (`up` refuses these while the entry is guarded by deletionProtection).",
    ]);
  });

  it("one note per Lustre entry, named; none for EFS or S3; the same on EKS", () => {
    const storage: Entry[] = [
      { kind: "lustre", capacityTiB: 2.4, mountPath: "/fsx", name: "data" },
      { kind: "lustre", tier: "persistent-500", capacityTiB: 9.6, mountPath: "/ckpt", name: "ckpt", efa: true, contractUsdPerGiBMonth: 0.29 },
      { kind: "nfs", capacityTiB: 1, mountPath: "/home", name: "home" },
    ];
    const vm = editNotes(storage);
    expect(vm.map((n) => n.slice(0, n.indexOf(":")))).toEqual(["storage 'data'", "storage 'ckpt'"]);
    const eks = editNotes(storage, privateEndpoint({ ...base, orchestrator: "kubernetes" } as gpu.TrainingClusterArgs));
    expect(eks).toEqual(vm);
  });
});
