/**
 * Units of the clouds' per-GB transfer prices (TRANSFER_UNIT in lib/catalog/data/fees.ts, read 2026-11-30): each
 * cloud's billed GB is 2^30 bytes (AWS's worked S3 bills and price API tiers, Google's Cloud Billing SKUs in GiBy,
 * Azure's Retail Prices API tiers counting 1,024 GB a TB; CoreWeave bills none), and the cost engine turns the spec's
 * GiB into those units in one place (lib/cost/transfer.ts).
 */
import { describe, expect, it } from "vitest";
import { estimateCost, type ClusterSpec } from "gpu-cluster";
import * as catalog from "../lib/catalog/index.js";
import { TRANSFER_UNIT, type TransferUnit } from "../lib/catalog/data/fees.js";
import { splitIntoTiers } from "../lib/cost/estimate.js";
import { roundCents } from "../lib/cost/money.js";
import { billedUnits } from "../lib/cost/transfer.js";

describe("transfer units", () => {
  it("holds one sourced, dated unit per cloud: 2^30 bytes for each", () => {
    for (const cloud of ["aws", "gcp", "azure", "coreweave"] as const) {
      const unit = TRANSFER_UNIT[cloud];
      expect(unit.bytes, cloud).toBe(1_073_741_824);
      expect(unit.label, cloud).toBe("GiB");
      expect(unit.source.length, cloud).toBeGreaterThan(40);
      expect(unit.asOf, cloud).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    // The dated sources: the AWS price API capture (infracost 0ee89cf), the Cloud Billing Catalog API response
    // (Cyclenerd 3a04cac), the Azure Retail Prices capture, CoreWeave's pricing page transcription.
    expect([TRANSFER_UNIT.aws.asOf, TRANSFER_UNIT.gcp.asOf, TRANSFER_UNIT.azure.asOf, TRANSFER_UNIT.coreweave.asOf]).toEqual(["2024-09-25", "2023-05-12", "2026-09-24", "2026-09-20"]);
  });

  it("bills 12 TiB of AWS internet egress as 12,288 GB on AWS's tiers, to the cent", () => {
    const spec: ClusterSpec = { cloud: "aws", region: "us-east-1", gpu: { model: "H100", count: 8 }, egress: { internetTiBPerMonth: 12 } };
    const e = estimateCost(spec);
    // 12 TiB = 12 × 2^40 bytes = 12,288 AWS GB (2^30 bytes): first 10 TB = 10,240 GB × $0.09 = $921.60,
    // the next 2,048 GB × $0.085 = $174.08.
    const egress = e.lines.filter((l) => l.category === "egress").map((l) => [l.quantity, l.unit, l.unitPriceUsd, l.monthlyUsd]);
    expect(egress).toEqual([
      [10_240, "GiB", 0.09, 921.6],
      [2_048, "GiB", 0.085, 174.08],
    ]);
    // The NAT gateway processes the same 12,288 GB at $0.045: $552.96.
    const nat = e.lines.find((l) => l.description === "NAT data processed (internet egress)");
    expect(nat).toMatchObject({ quantity: 12_288, unit: "GiB", unitPriceUsd: 0.045, monthlyUsd: 552.96 });
  });

  it("would bill a decimal GB (10^9 bytes) 1.0737 units per GiB: 12 TiB on AWS's tiers, to the cent", () => {
    const decimal: TransferUnit = { bytes: 1e9, label: "GB", source: "a hypothetical decimal unit", asOf: "2026-01-01" };
    // 1 TiB = 1,099,511,627,776 bytes = 1,099.511627776 GB; × $0.09 = $98.956... → $98.96.
    expect(billedUnits(1024, decimal)).toBeCloseTo(1_099.511627776, 9);
    expect(roundCents(billedUnits(1024, decimal) * 0.09)).toBe(98.96);
    // 12 TiB = 13,194.139533312 GB: 10,240 GB × $0.09 = $921.60; 2,954.139533312 GB × $0.085 = $251.10.
    const split = splitIntoTiers(billedUnits(12 * 1024, decimal), catalog.egressTiers("aws"));
    expect(split.map((s) => roundCents(s.gib * s.tier.usdPerGiB))).toEqual([921.6, 251.1]);
    // A binary unit leaves the GiB figure as it is.
    expect(billedUnits(12_288, TRANSFER_UNIT.aws)).toBe(12_288);
  });

  it("reads the unit from the catalog fact alone: a decimal AWS unit would reprice every transfer line", () => {
    const spec: ClusterSpec = { cloud: "aws", region: "us-east-1", gpu: { model: "H100", count: 8 }, egress: { internetTiBPerMonth: 12 } };
    const saved = TRANSFER_UNIT.aws;
    TRANSFER_UNIT.aws = { bytes: 1e9, label: "GB", source: "a hypothetical decimal unit", asOf: "2026-01-01" };
    try {
      const e = estimateCost(spec);
      // 12 TiB = 13,194.139533312 GB: $921.60 + 2,954.139533312 × $0.085 = $251.10 on the tiers, and
      // 13,194.139533312 × $0.045 = $593.74 of NAT processing, each line in GB.
      expect(e.lines.filter((l) => l.category === "egress").map((l) => [l.unit, l.monthlyUsd])).toEqual([
        ["GB", 921.6],
        ["GB", 251.1],
      ]);
      expect(e.lines.find((l) => l.description === "NAT data processed (internet egress)")).toMatchObject({ unit: "GB", monthlyUsd: 593.74 });
    } finally {
      TRANSFER_UNIT.aws = saved;
    }
    expect(estimateCost(spec).lines.filter((l) => l.category === "egress").map((l) => l.monthlyUsd)).toEqual([921.6, 174.08]);
  });
});
