/**
 * FSx for Lustre throughput tiers (https://docs.aws.amazon.com/fsx/latest/LustreGuide/ssd-storage.html, read
 * 2026-11-30: PERSISTENT-125/250/500/1000 SSD). 125 MB/s/TiB carries the catalog's list price ($0.145/GB-month,
 * lib/catalog/data/aws.ts); 250/500/1000 have no public us-east-1 figure in the catalog's sources, so a spec gives its
 * quoted price (lib/catalog/data/aws-fsx.ts). Bills hand-computed: capacity GiB × USD/GiB-month.
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { catalog } from "gpu-cluster";
import { one, run } from "./helpers/offline.js";

const base = { cloud: "aws" as const, region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 } };
const FSX = "aws:fsx/lustreFileSystem:LustreFileSystem";

describe("FSx for Lustre tiers", () => {
  it("the catalog offers scratch and the four PERSISTENT_2 tiers; 125 is the default", () => {
    const tiers = catalog.storageTiers("aws", "lustre", "us-east-1");
    expect(tiers.map((t) => t.tier).sort()).toEqual(["persistent-1000", "persistent-125", "persistent-250", "persistent-500", "scratch"]);
    expect(tiers.find((t) => t.isDefault)?.tier).toBe("persistent-125");
    for (const t of ["persistent-250", "persistent-500", "persistent-1000"]) {
      expect(tiers.find((x) => x.tier === t)).toMatchObject({ usdPerGiBMonth: null, minCapacityGiB: 1200, capacityStepGiB: 2400 });
    }
  });

  it("default tier: PERSISTENT_2 at 125 MB/s/TiB, 2400 GiB priced at $348.00/month (2400 × $0.145)", async () => {
    const spec = { ...base, storage: [{ kind: "lustre" as const, capacityTiB: 2.4, mountPath: "/fsx" }] };
    const line = gpu.estimateCost(spec).lines.find((l) => l.category === "storage")!;
    expect(line.description).toContain("FSx for Lustre PERSISTENT_2 SSD 125 MB/s/TiB, 2400 GiB");
    expect(line.monthlyUsd).toBeCloseTo(348.0, 2);
    const result = await run(() => new gpu.TrainingCluster("fsx125", spec));
    expect(one(result, FSX).inputs).toMatchObject({ deploymentType: "PERSISTENT_2", perUnitStorageThroughput: 125, storageCapacity: 2400 });
  });

  it("persistent-500 with a quoted $0.29/GiB-month: PERSISTENT_2 at 500 MB/s/TiB, 4800 GiB billed $1,392.00/month", async () => {
    const spec = { ...base, storage: [{ kind: "lustre" as const, tier: "persistent-500", capacityTiB: 4.8, mountPath: "/fsx", contractUsdPerGiBMonth: 0.29 }] };
    const line = gpu.estimateCost(spec).lines.find((l) => l.category === "storage")!;
    expect(line.description).toContain("FSx for Lustre PERSISTENT_2 SSD 500 MB/s/TiB, 4800 GiB");
    expect(line.monthlyUsd).toBeCloseTo(1392.0, 2);
    expect(line.source).toBe("contract price given in the spec (storage[0].contractUsdPerGiBMonth)");
    const result = await run(() => new gpu.TrainingCluster("fsx500", spec));
    expect(result.error).toBeUndefined();
    expect(one(result, FSX).inputs).toMatchObject({ deploymentType: "PERSISTENT_2", perUnitStorageThroughput: 500, storageCapacity: 4800 });
  });

  it("persistent-1000 without a price: SpecError on storage[0].contractUsdPerGiBMonth, before anything is created", async () => {
    const result = await run(() => new gpu.TrainingCluster("fsx1000", { ...base, storage: [{ kind: "lustre", tier: "persistent-1000", capacityTiB: 2.4, mountPath: "/fsx" }] }));
    expect(result.error).toMatchObject({ name: "SpecError", path: "storage[0].contractUsdPerGiBMonth" });
    expect(String(result.error)).toContain("FSx for Lustre PERSISTENT_2 SSD 1000 MB/s/TiB has no public price in the catalog");
    expect(result.resources.filter((r) => r.type === FSX)).toHaveLength(0);
  });

  it("an unknown tier is a SpecError on storage[0].tier listing the tiers", async () => {
    const result = await run(() => new gpu.TrainingCluster("fsxbad", { ...base, storage: [{ kind: "lustre", tier: "persistent-2000", capacityTiB: 2.4, mountPath: "/fsx" }] }));
    expect(result.error).toMatchObject({ name: "SpecError", path: "storage[0].tier" });
    expect(String(result.error)).toContain("'persistent-2000' is not a aws lustre tier");
  });
});
