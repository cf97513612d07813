import { describe, expect, it } from "vitest";
import { catalog, CLOUDS, STORAGE_KINDS } from "gpu-cluster";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

describe("catalog", () => {
  it("gives every figure a source and a date", () => {
    const figures = catalog.allFigures();
    expect(figures.length).toBeGreaterThan(200);
    for (const f of figures) {
      expect(f.source.length, f.what).toBeGreaterThan(10);
      expect(f.asOf, f.what).toMatch(ISO_DATE);
    }
  });

  it("holds no NaN or negative number", () => {
    for (const cloud of CLOUDS) {
      const text = JSON.stringify(catalog.cloudCatalog(cloud), (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? "NON-FINITE" : v));
      expect(text).not.toContain("NON-FINITE");
      for (const p of catalog.cloudCatalog(cloud).prices) expect(p.usdPerHour).toBeGreaterThan(0);
    }
  });

  it("prices only instance types and regions it lists", () => {
    for (const cloud of CLOUDS) {
      for (const p of catalog.cloudCatalog(cloud).prices) {
        const facts = catalog.instance(cloud, p.instanceType);
        expect(facts, `${cloud} ${p.instanceType}`).toBeDefined();
        expect(facts!.regions).toContain(p.region);
      }
    }
  });

  it("marks exactly one default tier per storage kind offered", () => {
    for (const cloud of CLOUDS) {
      for (const kind of STORAGE_KINDS) {
        const tiers = catalog.cloudCatalog(cloud).storage.filter((s) => s.kind === kind);
        if (tiers.length > 0) expect(tiers.filter((t) => t.isDefault), `${cloud} ${kind}`).toHaveLength(1);
      }
    }
  });

  it("knows the EFA interfaces of every AWS GPU type in the issue", () => {
    const efa = Object.fromEntries(catalog.instances("aws").map((i) => [i.instanceType, i.fabric === "efa" ? i.fabricNics : 0]));
    expect(efa).toMatchObject({
      "p5.48xlarge": 32,
      "p5e.48xlarge": 32,
      "p5en.48xlarge": 16,
      "p6-b200.48xlarge": 8,
      "p4d.24xlarge": 4,
      "p4de.24xlarge": 4,
      "g6e.48xlarge": 4,
      "g5.48xlarge": 1,
      "g6.xlarge": 0,
    });
  });

  it("returns undefined, never a guess, for what it does not hold", () => {
    expect(catalog.instance("aws", "p9.96xlarge")).toBeUndefined();
    expect(catalog.price({ cloud: "aws", instanceType: "p5.48xlarge", region: "ap-south-2" })).toBeUndefined();
    expect(catalog.price({ cloud: "aws", instanceType: "p5e.48xlarge", region: "us-east-2" })).toBeUndefined(); // sold only as capacity blocks
    expect(catalog.price({ cloud: "aws", instanceType: "p5.48xlarge", region: "us-east-1" })).toBe(55.04);
  });

  it("charges no egress on CoreWeave", () => {
    expect(catalog.egressTiers("coreweave").map((t) => t.usdPerGiB)).toEqual([0]);
  });
});
