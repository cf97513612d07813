import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parseAwsCsvStream, parseAwsOffer, splitCsvLine } from "../lib/catalog/refresh/aws.js";
import { parseAzureRetailPrices } from "../lib/catalog/refresh/azure.js";
import { GCP_MACHINE_SKUS, parseGcpSkus, skuPrice } from "../lib/catalog/refresh/gcp.js";
import { OfflineError, refreshPrices } from "../lib/catalog/refresh/index.js";
import { loadRefreshedPrices } from "../lib/catalog/overlay.js";
import * as catalog from "../lib/catalog/index.js";

// Recorded, trimmed API responses: see test/fixtures/price-apis/README.md for where each was recorded.
const FIXTURES = path.join(__dirname, "fixtures/price-apis");
const fixture = (name: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, name), "utf8"));
const STAMP = { source: "test", asOf: "2026-11-25" };

describe("AWS Price List offer file", () => {
  it("reads the Linux on-demand price of p4d.24xlarge and skips the capacity-block row", () => {
    const rows = parseAwsOffer(fixture("aws-offer-ec2-us-east-1.json"), new Map([["p4d.24xlarge", ["us-east-1"]]]));
    expect(rows).toEqual([{ cloud: "aws", instanceType: "p4d.24xlarge", region: "us-east-1", pricing: "on-demand", usdPerHour: 32.7726 }]);
  });

  it("ignores types and regions the catalog does not list", () => {
    expect(parseAwsOffer(fixture("aws-offer-ec2-us-east-1.json"), new Map([["p4d.24xlarge", ["us-west-2"]]]))).toEqual([]);
  });

  it("streams the CSV form with quoted fields, keeping reserved no-upfront standard rows", async () => {
    const header = '"SKU","OfferTermCode","RateCode","TermType","PriceDescription","Unit","PricePerUnit","LeaseContractLength","PurchaseOption","OfferingClass","Instance Type","Tenancy","Operating System","Pre Installed S/W","CapacityStatus","MarketOption","Region Code"';
    const row = (term: string, desc: string, usd: string, lease: string, option: string, cls: string, os = "Linux") =>
      `"X","Y","Z","${term}","${desc}","Hrs","${usd}","${lease}","${option}","${cls}","p4d.24xlarge","Shared","${os}","NA","Used","OnDemand","us-east-1"`;
    async function* lines() {
      yield "FormatVersion,v1.0";
      yield header;
      yield row("OnDemand", "$32.7726 per On Demand Linux p4d.24xlarge Instance Hour", "32.7726", "", "", "");
      yield row("Reserved", "Linux/UNIX (Amazon VPC), p4d.24xlarge reserved instance applied", "20.5", "1yr", "No Upfront", "standard");
      yield row("Reserved", "partial", "19.0", "1yr", "Partial Upfront", "standard");
      yield row("OnDemand", "Windows, \"quoted\"", "40.0", "", "", "", "Windows");
      yield '"X","Y","Z","OnDemand","other","Hrs","1.0","","","","m5.large","Shared","Linux","NA","Used","OnDemand","us-east-1"';
    }
    const rows = await parseAwsCsvStream(lines(), new Map([["p4d.24xlarge", ["us-east-1"]]]));
    expect(rows.map((r) => [r.pricing, r.usdPerHour])).toEqual([
      ["on-demand", 32.7726],
      ["reserved-1y", 20.5],
    ]);
    expect(splitCsvLine('"a","b ""c""",,"d,e"')).toEqual(["a", 'b "c"', "", "d,e"]);
  });
});

describe("Azure Retail Prices API", () => {
  const items = fixture("azure-retail-prices.json").Items;
  const wanted = new Map([["Standard_ND96isr_H100_v5", ["eastus"]]]);

  it("reads Linux pay-as-you-go, spot and the 1-year reservation per hour; skips Windows, low priority and dev/test", () => {
    const rows = parseAzureRetailPrices(items, wanted, STAMP);
    const byPricing = Object.fromEntries(rows.map((r) => [r.pricing, r.usdPerHour]));
    expect(byPricing).toEqual({
      "on-demand": 98.32,
      spot: 18.169536,
      "reserved-1y": 551_221 / 8760, // the API gives the whole term's price
    });
    expect(rows.every((r) => r.source === "test" && r.asOf === "2026-11-25")).toBe(true);
  });
});

describe("Cloud Billing Catalog API", () => {
  const skus = fixture("gcp-billing-skus.json").skus;

  it("reads a SKU's unit price from units and nanos, by usage type and region", () => {
    const h100 = GCP_MACHINE_SKUS["a3-highgpu-8g"]!.gpu!;
    expect(skuPrice(skus, h100, "us-central1", "OnDemand")).toBe(9.796550569);
    expect(skuPrice(skus, h100, "us-central1", "Commit1Yr")).toBe(6.79880857); // "Commitment v1: ..." prefix
    expect(skuPrice(skus, h100, "europe-west4", "OnDemand")).toBeUndefined(); // only Americas regions in the response
    expect(skuPrice(skus, GCP_MACHINE_SKUS["g2-standard-4"]!.gpu!, "us-east1", "OnDemand")).toBe(0.560040239);
    expect(skuPrice(skus, /^Nvidia Tesla T4 GPU/, "us-central1", "OnDemand")).toBeUndefined(); // the DWS SKU is not on-demand
  });

  it("prices no machine whose core and RAM SKUs are missing: a partial price would be a guess", () => {
    expect(parseGcpSkus(skus, catalog.instances("gcp"), STAMP)).toEqual([]);
  });
});

describe("catalog refresh", () => {
  it("writes the rows as an overlay the catalog can load, listing what changed", async () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "gpu-prices-"));
    const result = await refreshPrices({ cloud: "azure", input: path.join(FIXTURES, "azure-retail-prices.json"), outDir, today: "2026-11-25" });
    expect(result.rows).toHaveLength(3);
    // The shipped on-demand price already is $98.32 (unchanged); the catalog had no spot row for this size.
    expect(catalog.price({ cloud: "azure", instanceType: "Standard_ND96isr_H100_v5", region: "eastus" })).toBe(98.32);
    expect(result.changes.map((c) => c.key)).not.toContain("Standard_ND96isr_H100_v5 eastus on-demand");
    expect(result.changes).toContainEqual({ key: "Standard_ND96isr_H100_v5 eastus spot", before: undefined, after: 18.169536 });
    const loaded = loadRefreshedPrices("azure", outDir);
    expect(loaded.map((r) => r.usdPerHour).sort()).toEqual(result.rows.map((r) => r.usdPerHour).sort());
    expect(loaded[0]!.source).toMatch(/^Azure Retail Prices API .*; saved response azure-retail-prices.json$/);
  });

  it("offline, it says so and writes nothing", async () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "gpu-prices-"));
    const unreachable = async () => {
      throw new OfflineError("cannot reach prices.azure.com (ENOTFOUND)");
    };
    await expect(refreshPrices({ cloud: "azure", outDir, fetchJson: unreachable })).rejects.toThrow(OfflineError);
    expect(fs.readdirSync(outDir)).toEqual([]);
  });
});
