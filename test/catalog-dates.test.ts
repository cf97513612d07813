/**
 * Issue 15, cost truth: "asOf is the source's own date" and every source named by repo@commit or URL. These tests pin
 * the figures whose dates or sources were corrected from the audit of session 28 (/work/audit-15-28.md, G5, G6, G9).
 */
import { describe, expect, it } from "vitest";
import { catalog, estimateCost } from "gpu-cluster";
import { UNDATED } from "../lib/catalog/types.js";
import { GCP_CUD_MONTHLY, GCP_CUD_SOURCE } from "../lib/catalog/data/gcp-cud.js";
import { AWS_FEES, GCP_FEES, NODE_DISK_FEES } from "../lib/catalog/data/fees.js";

const FD66B26 = "fd66b26ff84fee5cdd94f341ea89206e76c06b99";

describe("GCP committed-use rows from Cyclenerd pricing.yml @fd66b26 (generated 2026-07-30)", () => {
  const reserved = catalog.prices("gcp").filter((p) => p.pricing === "reserved-1y" || p.pricing === "reserved-3y");

  it("are one table read from the dump, every row dated by it and in a region the type is offered in", () => {
    // scripts/catalog/gcp-cud.ts wrote 676 rows: a2-highgpu-*, a2-megagpu-16g, a3-highgpu-*, a3-megagpu-8g, g2-*, g4-*.
    expect(GCP_CUD_MONTHLY).toHaveLength(676);
    expect(reserved).toHaveLength(676);
    expect(GCP_CUD_SOURCE).toEqual({ source: expect.stringContaining(`/blob/${FD66B26}/pricing.yml`), asOf: "2026-07-30" });
    for (const row of reserved) {
      expect(row, `${row.instanceType} ${row.region} ${row.pricing}`).toMatchObject({ asOf: "2026-07-30", source: GCP_CUD_SOURCE.source });
      expect(catalog.instance("gcp", row.instanceType)!.regions, `${row.instanceType} ${row.region}`).toContain(row.region);
    }
  });

  it("keeps the 30 figures the catalog held (the same in the 2025-03-06 dump), now dated 2026-07-30", () => {
    // pricing.yml @fd66b26 compute.instance.a3-highgpu-8g.cost.us-central1.month_1y 44810.08066464, month_3y
    // 28370.99821392; g2-standard-4 europe-west4 month_1y 341.6671049: the values 0166a59 (2025-03-06) gives too.
    const row = (instanceType: string, region: string, pricing: "reserved-1y" | "reserved-3y") =>
      catalog.priceRow({ cloud: "gcp", instanceType, region, pricing });
    expect(row("a3-highgpu-8g", "us-central1", "reserved-1y")!.usdPerHour).toBeCloseTo(44810.08066464 / 730, 9);
    expect(row("a3-highgpu-8g", "us-central1", "reserved-3y")!.usdPerHour).toBeCloseTo(28370.99821392 / 730, 9);
    expect(row("g2-standard-4", "europe-west4", "reserved-1y")!.usdPerHour).toBeCloseTo(341.6671049 / 730, 9);
    // a2-ultragpu-8g and a3-ultragpu-8g: no month_1y / month_3y in the dump, so no row.
    expect(row("a2-ultragpu-8g", "us-central1", "reserved-1y")).toBeUndefined();
    expect(row("a3-ultragpu-8g", "us-central1", "reserved-1y")).toBeUndefined();
  });

  it("prices a reservation in a region the catalog had none for, to the cent", () => {
    // pricing.yml @fd66b26: a3-highgpu-8g asia-northeast1 month_1y 64132.97856896 (USD per 730 h).
    // 2 nodes × 730 h × 64132.97856896 / 730 = $128,265.957 → $128,265.96 a month, for 12 months.
    const e = estimateCost({ cloud: "gcp", region: "asia-northeast1", gpu: { model: "H100", nodes: 2, instanceType: "a3-highgpu-8g" }, pricing: "reserved-1y" });
    expect(e.lines[0]).toMatchObject({ description: "2 × a3-highgpu-8g (16 × H100), reserved-1y, 730 h", quantity: 1460, monthlyUsd: 128_265.96, asOf: "2026-07-30" });
    expect(e.lines[0]!.unitPriceUsd).toBeCloseTo(64132.97856896 / 730, 9);
  });
});

describe("dates that were not the source's own", () => {
  it("marks the 18 Azure spot rows of SkyPilot's undated v6 file UNDATED, not the schema's year", () => {
    const v6 = catalog.prices("azure").filter((p) => p.source.includes("098741e70562f65d7af1cceb81e33b284f742604"));
    expect(v6).toHaveLength(18);
    for (const row of v6) expect(row).toMatchObject({ pricing: "spot", asOf: UNDATED, source: expect.stringMatching(/undated/) });
    // NC24ads_A100_v4 eastus keeps the v6 figure, not the older dated v5 one ($0.61082, 2023-12-08).
    expect(catalog.price({ cloud: "azure", instanceType: "Standard_NC24ads_A100_v4", region: "eastus", pricing: "spot" })).toBe(0.444433);
  });

  it("prices the AKS system pool from karpenter-provider-azure's dump, which states its date (2026-06-18)", () => {
    // zz_generated.pricing.go @2b431da: Standard_D4ds_v5 eastus 0.226, southcentralus 0.271 (the SkyPilot v6 figures too).
    const system = catalog.cloudCatalog("azure").kubernetes!.systemNodes!;
    expect(system).toMatchObject({ usdPerHour: { eastus: 0.226, eastus2: 0.226, southcentralus: 0.271, westus2: 0.226 }, asOf: "2026-06-18" });
    expect(system.source).toContain("karpenter-provider-azure/blob/2b431da153a6a92b705c18046512c60b1631b682");
  });

  it("marks the a3-ultragpu-8g us-central1 spot row UNDATED: its only source states no date", () => {
    expect(catalog.priceRow({ cloud: "gcp", instanceType: "a3-ultragpu-8g", region: "us-central1", pricing: "spot" })).toMatchObject({ usdPerHour: 50.874449096, asOf: UNDATED });
    // The on-demand figure is named by repo@commit: nativ-x/fsku term_catalog.py @9751637, TERM_CATALOG_AS_OF 2026-09-27.
    const od = catalog.priceRow({ cloud: "gcp", instanceType: "a3-ultragpu-8g", region: "us-central1", pricing: "on-demand" })!;
    expect(od).toMatchObject({ usdPerHour: 84.806908493, asOf: "2026-09-27" });
    expect(od.source).toContain("nativ-x/fsku/blob/9751637ff08aa03e1f9fdd9c0c2ee29f54f94cd7/fsku/sync/term_catalog.py");
  });

  it("pins the CoreWeave types' instance IDs to the CloudThrill commit read, and leaves them undated", () => {
    for (const type of ["gd-8xl40-i128", "rtxp6000-8x", "gd-1xgh200"]) {
      const facts = catalog.instance("coreweave", type)!;
      expect(facts.asOf, type).toBe(UNDATED);
      expect(facts.source, type).toContain("CloudThrill/vllm-production-stack-terraform/blob/0e5d6e42796c2f2efa411a8497b5e35fca3a310f");
    }
  });

  it("cites no unpinned pricing.yml, and dates each GCP fee by the dump that carries it", () => {
    for (const f of catalog.allFigures().filter((x) => x.cloud === "gcp")) expect(f.source, f.what).not.toMatch(/blob\/master\//);
    // pd-balanced / pd-ssd and Cloud NAT: the same figures in 0166a59 (2025-03-06) and fd66b26 (2026-07-30).
    expect(NODE_DISK_FEES.gcp["pd-balanced"]).toMatchObject({ usdPerGiBMonth: 0.1, asOf: "2026-07-30", source: expect.stringContaining(FD66B26) });
    expect(NODE_DISK_FEES.gcp["pd-ssd"]).toMatchObject({ usdPerGiBMonth: 0.17, asOf: "2026-07-30", source: expect.stringContaining(FD66B26) });
    expect(GCP_FEES.cloudNatDataPerGiB).toMatchObject({ usd: 0.045, asOf: "2026-07-30", source: expect.stringContaining(FD66B26) });
  });
});

describe("sources that cannot be named", () => {
  it("say so in the row's source text (a3-megagpu-8g us-central1)", () => {
    const row = catalog.priceRow({ cloud: "gcp", instanceType: "a3-megagpu-8g", region: "us-central1", pricing: "on-demand" })!;
    expect(row.source).toMatch(/could not be identified .* not by repo@commit or URL/);
  });

  it("name the Azure reservation transcription by repo@commit (nativ-x/fsku, hand-read 2026-09-27)", () => {
    const row = catalog.priceRow({ cloud: "azure", instanceType: "Standard_ND96isr_H100_v5", region: "eastus", pricing: "reserved-1y" })!;
    // term_catalog.py: ND96isr H100 v5 eastus 1 year 551,221 per VM for the term = $62.924/h over 8,760 h.
    expect(row.usdPerHour).toBeCloseTo(551221 / 8760, 9);
    expect(row).toMatchObject({ asOf: "2026-09-27", source: expect.stringContaining("nativ-x/fsku/blob/9751637ff08aa03e1f9fdd9c0c2ee29f54f94cd7") });
  });

  it("keep the EFS backup figure's dated cross-check in its source (us-west-1 $0.06, infracost @e9ce629)", () => {
    expect(AWS_FEES.efsBackupWarm).toMatchObject({ usd: 0.05, asOf: "2026-06-13" });
    expect(AWS_FEES.efsBackupWarm.source).toMatch(/us-west-1 figure is \$0\.06\/GB-month .*backup_vault_test\.golden, 2024-07-01/);
  });
});
