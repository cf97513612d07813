/**
 * FSx for Lustre capacity: `storage[].capacityTiB` on FSx's own scale, exact sizes only.
 * Source: FSx API reference, CreateFileSystem StorageCapacity (read 2026-12-01,
 * https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/fsx/aws.sdk.kotlin.services.fsx.model/-create-file-system-request/storage-capacity.html):
 * "For SCRATCH_2, PERSISTENT_2, and PERSISTENT_1 deployment types using SSD storage type, the valid values are 1200
 * GiB, 2400 GiB, and increments of 2400 GiB"; FSx names those sizes 1.2 TiB, 2.4 TiB, ... (1.2 TiB = 1200 GiB). An
 * EFA-enabled file system: multiples of 38400 GiB at 125 MB/s/TiB (FSx user guide increase-storage-capacity.html).
 * Bills hand-computed: GiB × $0.145/GB-month (persistent-125 list price, lib/catalog/data/aws.ts).
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { one, privateEndpoint, run } from "./helpers/offline.js";

const base = { cloud: "aws" as const, region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 } };
const FSX = "aws:fsx/lustreFileSystem:LustreFileSystem";

function specError(spec: object): { path?: string; message: string; name: string } {
  try {
    gpu.validateCluster(spec as gpu.ClusterSpec);
  } catch (e) {
    return e as { path?: string; message: string; name: string };
  }
  throw new Error("no SpecError");
}

describe("FSx for Lustre capacity on FSx's own sizes", () => {
  it("1.2 TiB is FSx's 1200 GiB file system, billed 1200 × $0.145 = $174.00/month (was 1228.8 GiB rounded up to 2400, $348.00)", async () => {
    const spec = { ...base, storage: [{ kind: "lustre" as const, capacityTiB: 1.2, mountPath: "/fsx" }] };
    const plan = gpu.planCluster(spec);
    expect(plan.storage[0]).toMatchObject({ capacityGiB: 1200, requestedGiB: 1200 });
    const line = gpu.estimateCost(spec).lines.find((l) => l.category === "storage")!;
    expect(line.description).toContain("FSx for Lustre PERSISTENT_2 SSD 125 MB/s/TiB, 1200 GiB");
    expect(line.monthlyUsd).toBe(174);
    const result = await run(() => new gpu.TrainingCluster("fsx12", spec));
    expect(result.error).toBeUndefined();
    expect(one(result, FSX).inputs.storageCapacity).toBe(1200);
  });

  it.each([
    [2.4, 2400],
    [4.8, 4800],
    [7.2, 7200], // 7.2 × 1000 is 7200.000000000001 in floating point: still FSx's 7200
    [120, 120_000],
  ])("%f TiB → %i GiB, exactly", (capacityTiB, gib) => {
    expect(gpu.planCluster({ ...base, storage: [{ kind: "lustre", capacityTiB, mountPath: "/fsx" }] }).storage[0]!.capacityGiB).toBe(gib);
  });

  it.each([
    [1, "", "use capacityTiB 1.2 (1200 GiB)"],
    [1.5, "", "use capacityTiB 1.2 (1200 GiB) or 2.4 (2400 GiB)"],
    [10, "", "use capacityTiB 9.6 (9600 GiB) or 12 (12000 GiB)"],
    [2.34375, "", "use capacityTiB 1.2 (1200 GiB) or 2.4 (2400 GiB)"], // 2400 GiB ÷ 1024: FSx's scale is 1000 GiB to the TiB
    [3.6, "scratch", "use capacityTiB 2.4 (2400 GiB) or 4.8 (4800 GiB)"],
  ])("%f TiB (tier '%s') is refused on storage[0].capacityTiB naming the nearest sizes, never rounded up", (capacityTiB, tier, hint) => {
    const e = specError({ ...base, storage: [{ kind: "lustre", capacityTiB, mountPath: "/fsx", ...(tier ? { tier } : {}) }] });
    expect(e).toMatchObject({ name: "SpecError", path: "storage[0].capacityTiB" });
    expect(e.message).toContain(`${capacityTiB} TiB is `);
    expect(e.message).toContain("1.2 TiB, then multiples of 2.4 TiB");
    expect(e.message).toContain(hint);
  });

  it("EFA-enabled at 125 MB/s/TiB: only multiples of 38.4 TiB; 2.4 is refused naming 38.4 (was 2457.6 GiB rounded up to 38400, 16× the size asked)", () => {
    const e = specError({ ...base, storage: [{ kind: "lustre", capacityTiB: 2.4, mountPath: "/fsx", efa: true }] });
    expect(e).toMatchObject({ name: "SpecError", path: "storage[0].capacityTiB" });
    expect(e.message).toContain("not a size FSx for Lustre PERSISTENT_2 SSD 125 MB/s/TiB EFA-enabled is made in: a multiple of 38.4 TiB; use capacityTiB 38.4 (38400 GiB)");
    expect(gpu.planCluster({ ...base, storage: [{ kind: "lustre", capacityTiB: 76.8, mountPath: "/fsx", efa: true }] }).storage[0]!.capacityGiB).toBe(76_800);
  });

  // Upgrading a stack an earlier release made: it read capacityTiB as binary TiB and rounded up to FSx's next size
  // (120 → 122880 GiB → 124800), and FSx cannot shrink a file system (the provider replaces it on any decrease:
  // terraform-provider-aws internal/service/fsx/lustre_file_system.go resourceLustreFileSystemStorageCapacityCustomizeDiff).
  it.each([
    [120, "", 120_000, 124_800, "124.8"],
    [1.2, "", 1200, 2400, "2.4"],
    [4.8, "", 4800, 7200, "7.2"], // 4915.2 GiB rounded up to 3 × 2400
    [76.8, "efa", 76_800, 115_200, "115.2"], // EFA step 38400: 78643.2 GiB rounded up to 3 × 38400
  ])("capacityTiB %f (%s): planned at %i GiB, and the plan names the value that keeps the earlier release's %i GiB file system", (capacityTiB, efa, gib, earlier, keep) => {
    const plan = gpu.planCluster({ ...base, storage: [{ kind: "lustre", capacityTiB, mountPath: "/fsx", ...(efa ? { efa: true } : {}) }] });
    expect(plan.storage[0]!.capacityGiB).toBe(gib);
    const note = plan.notes.find((n) => n.startsWith("storage 'fsx': capacityTiB"))!;
    expect(note).toContain(`is ${gib} GiB on FSx's scale. If this stack's file system was made by an earlier gpu-cluster release from capacityTiB ${capacityTiB}, it is ${earlier} GiB`);
    expect(note).toContain(`set capacityTiB: ${keep} to keep it (FSx cannot shrink a file system`);
    // The value named keeps that size exactly.
    expect(gpu.planCluster({ ...base, storage: [{ kind: "lustre", capacityTiB: Number(keep), mountPath: "/fsx", ...(efa ? { efa: true } : {}) }] }).storage[0]!.capacityGiB).toBe(earlier);
  });

  it("a refused size names the one value that is safe for a file system an earlier release made from it (not always the larger neighbour)", () => {
    // 100 TiB: the nearest sizes are 98.4 and 100.8; the earlier release made 102400 GiB → 103200 (43 × 2400).
    const e = specError({ ...base, storage: [{ kind: "lustre", capacityTiB: 100, mountPath: "/fsx" }] });
    expect(e.message).toContain("use capacityTiB 98.4 (98400 GiB) or 100.8 (100800 GiB); for a file system an earlier gpu-cluster release made from capacityTiB 100, only 103.2 (103200 GiB) is safe, its current size");
    // 10 TiB: the earlier size (10240 → 12000 GiB) is the larger neighbour.
    expect(specError({ ...base, storage: [{ kind: "lustre", capacityTiB: 10, mountPath: "/fsx" }] }).message).toContain("only 12 (12000 GiB) is safe");
  });

  it("a bad size is a SpecError before anything is created, on VMs and on EKS", async () => {
    const storage = [{ kind: "lustre" as const, capacityTiB: 1, mountPath: "/fsx" }];
    for (const args of [{ ...base, storage }, privateEndpoint({ ...base, orchestrator: "kubernetes", storage } as gpu.TrainingClusterArgs)]) {
      const result = await run(() => new gpu.TrainingCluster("fsxbad", args as gpu.TrainingClusterArgs));
      expect(result.error).toMatchObject({ name: "SpecError", path: "storage[0].capacityTiB" });
      expect(result.resources.filter((r) => r.type === FSX)).toHaveLength(0);
    }
  });
});
