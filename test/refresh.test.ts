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
import { csvFields, middleZonePrice, parseAws, parseAzure, parseGcp, parseSkypilot, withSkypilot, type Dump } from "../scripts/catalog/generate.js";

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

/*
 * scripts/catalog/generate.ts: the parsers that turn the public dumps into lib/catalog/data/generated/*.ts, run on
 * small excerpts written in each dump's own format (Karpenter's Go maps, the vantage-derived JS array, CloudPilot's
 * JSON, the Compute Engine CSV, Aspire's generated C# comments).
 */
describe("catalog generator (scripts/catalog/generate.ts)", () => {
  const dump = (repo: string, path: string, text: string, commitDate = "2026-05-04"): Dump => ({ repo, path, commit: "a".repeat(40), commitDate, text });

  it("AWS: us-east-1 from Karpenter's dated table, other regions and 1-year RI from the dump, shapes from Karpenter's reference", () => {
    const cat = parseAws(
      dump("aws/karpenter-provider-aws", "pricing.go", '// generated at 2026-07-20T13:44:30Z for us-east-1\n\t"us-east-1": {\n\t\t"p5.4xlarge": 6.880000, "g6.xlarge": 0.804800,\n\t},\n'),
      dump("aws/karpenter-provider-aws", "instance-types.md", [
        "### `p5.4xlarge`", " |karpenter.k8s.aws/instance-cpu|16|", " |karpenter.k8s.aws/instance-gpu-count|1|",
        " |karpenter.k8s.aws/instance-gpu-memory|81920|", " |karpenter.k8s.aws/instance-gpu-name|h100|", " |karpenter.k8s.aws/instance-memory|262144|",
      ].join("\n")),
      dump("tsaol/aws-gpu", "all.js", `// Last updated: 2026-01-21\nconst allGPUInstances = ${JSON.stringify([
        { name: "p5.4xlarge", gpu: "NVIDIA H100", gpuCount: 1, gpuMemory: "80 GB HBM3", vcpu: 16, memory: "256 GB",
          pricing: { "us-east-1": { onDemand: 9.99, reserved: 5 }, "eu-west-2": { onDemand: 8.1, reserved: 5.2 }, "us-east-1-atl-1a": { onDemand: 9 } } },
        { name: "inf2.xlarge", gpu: "AWS Inferentia2", gpuCount: 1, gpuMemory: "32 GB", vcpu: 4, memory: "16 GB", pricing: { "us-east-1": { onDemand: 0.76 } } },
      ])};\n`),
    );
    expect(cat.types).toEqual([{ instanceType: "p5.4xlarge", gpuModel: "H100", gpuCount: 1, vcpus: 16, memoryGiB: 256, nvlink: false, spotAvailable: true, factsSource: 2 }]);
    // us-east-1 on-demand is Karpenter's (6.88, not the older dump's 9.99); the Local Zone row is dropped.
    expect(cat.prices).toEqual([
      ["p5.4xlarge", "us-east-1", "on-demand", 6.88, 0],
      ["p5.4xlarge", "us-east-1", "reserved-1y", 5, 1],
      ["p5.4xlarge", "eu-west-2", "on-demand", 8.1, 1],
      ["p5.4xlarge", "eu-west-2", "reserved-1y", 5.2, 1],
    ]);
    // Each source is dated by the dump's own stamp; the undated reference by its commit.
    expect(cat.sources.map((s) => s.asOf)).toEqual(["2026-07-20", "2026-01-21", "2026-05-04"]);
    expect(cat.sources[2]!.source).toMatch(/undated; the date of commit aaaaaaaaaaaa/);
  });

  it("GCP: on-demand and Spot per region for GPU machine types only, shapes from the machine-type CSV", () => {
    const cat = parseGcp(
      dump("cloudpilot-ai/karpenter-provider-gcp", "initial-prices.json", JSON.stringify({ prices: {
        "asia-northeast1": { on_demand: { "g2-standard-4": 0.907714004, "n2-standard-2": 0.1, "g4-standard-6": 0.6 }, spot: { "g2-standard-4": 0.544596 } },
      } }), "2026-08-03"),
      dump("Cyclenerd/google-cloud-pricing-cost-calculator", "machinetyperegion.csv", "NAME;CPUS;SHARED_CPU;MEMORY_GB;DEPRECATED;ZONE\ng2-standard-4;4;False;16.00;;asia-northeast1\n", "2026-08-17"),
    );
    // n2 has no GPU; g4-standard-6 is a fraction of a GPU: both left out.
    expect(cat.prices).toEqual([["g2-standard-4", "asia-northeast1", "on-demand", 0.907714004, 0], ["g2-standard-4", "asia-northeast1", "spot", 0.544596, 0]]);
    expect(cat.types).toEqual([{ instanceType: "g2-standard-4", gpuModel: "L4", gpuCount: 1, vcpus: 4, memoryGiB: 16, nvlink: false, spotAvailable: true, factsSource: 1 }]);
    expect(cat.sources.map((s) => s.asOf)).toEqual(["2026-08-03", "2026-08-17"]);
  });

  it("GCP: a partitioned G4 size is priced with its share of one RTX PRO 6000, from the build config, and never built", () => {
    // Cyclenerd/google-cloud-pricing-cost-calculator@08440e7 build/gcp.yml: "g4-standard-6: cpu: 6, ram: 22, rtx6000: 0.125".
    const cat = parseGcp(
      dump("cloudpilot-ai/karpenter-provider-gcp", "initial-prices.json", JSON.stringify({ prices: {
        "us-central1": { on_demand: { "g4-standard-6": 0.55955625 }, spot: { "g4-standard-6": 0.2238035 } },
      } }), "2026-08-03"),
      dump("Cyclenerd/google-cloud-pricing-cost-calculator", "machinetyperegion.csv", "NAME;CPUS;SHARED_CPU;MEMORY_GB;DEPRECATED;ZONE\ng4-standard-6;6;False;22.00;;us-central1\n", "2026-08-17"),
      dump("Cyclenerd/google-cloud-pricing-cost-calculator", "gcp.yml", "machine:\n    g4-standard-6:\n      cpu: 6\n      ram: 22\n      rtx6000: 0.125\n    g4-standard-48:\n      cpu: 48\n      ram: 180\n      rtx6000: 1\n", "2026-07-22"),
    );
    expect(cat.prices).toEqual([["g4-standard-6", "us-central1", "on-demand", 0.55955625, 0], ["g4-standard-6", "us-central1", "spot", 0.2238035, 0]]);
    expect(cat.types).toEqual([{
      instanceType: "g4-standard-6", gpuModel: "RTX-PRO-6000", gpuCount: 0.125, vcpus: 6, memoryGiB: 22, nvlink: false, spotAvailable: true, factsSource: 2,
      notBuilt: "a 1/8 share of one RTX-PRO-6000 (NVIDIA vGPU): the compilers attach and schedule whole GPUs",
    }]);
    expect(cat.sources.map((s) => s.asOf)).toEqual(["2026-08-03", "2026-08-17", "2026-07-22"]);
  });

  it("Azure: pay-as-you-go per region for whole-GPU sizes, GB200 counted from the series table and marked not built", () => {
    const cat = parseAzure(
      dump("Azure/karpenter-provider-azure", "pricing.go", [
        "// generated at 2026-06-18T03:43:41Z",
        '\tinitialOnDemandPrices["eastus"] = map[string]float64{',
        '\t\t"Standard_NC96ads_A100_v4":    14.692000,',
        '\t\t"Standard_NV6ads_A10_v5":      0.454000,',
        '\t\t"Standard_ND128isr_NDR_GB200_v6": 108.160000,',
        '\t\t"Standard_D4ds_v5":            0.226000,',
        "\t}",
      ].join("\n")),
      dump("microsoft/aspire", "AksNodeVmSizes.Generated.cs", [
        "/// Standard_NC96ads_A100_v4 — 96 vCPUs — 880 GB RAM — 4 GPU(s) — Premium SSD",
        "/// Standard_NV6ads_A10_v5 — 6 vCPUs — 55 GB RAM — 1 GPU(s) — Premium SSD",
        "/// Standard_ND128isr_NDR_GB200_v6 — 128 vCPUs — 864 GB RAM — Premium SSD",
      ].join("\n"), "2026-06-23"),
    );
    // NV6ads_A10_v5 is a sixth of an A10 (the SKU dump says 1 GPU; the share comes from the Azure ML SKU list at
    // MicrosoftDocs/azure-ai-docs@1d987e37, "STANDARD_NV6ADS_A10_V5 | - | NvidiaGpu | 1/6 | 6"): priced, never built.
    expect(cat.prices).toEqual([
      ["Standard_NC96ads_A100_v4", "eastus", "on-demand", 14.692, 0],
      ["Standard_NV6ads_A10_v5", "eastus", "on-demand", 0.454, 0],
      ["Standard_ND128isr_NDR_GB200_v6", "eastus", "on-demand", 108.16, 0],
    ]);
    const nv6 = cat.types.find((t) => t.instanceType === "Standard_NV6ads_A10_v5")!;
    expect(nv6).toMatchObject({ gpuModel: "A10", gpuCount: 1 / 6, vcpus: 6, memoryGiB: 55, notBuilt: expect.stringMatching(/^a 1\/6 share of one A10; NVIDIA vGPU/) });
    expect(cat.sources[nv6.factsSource]!.source).toMatch(/aspire\/blob\/.*\(vCPUs and memory\) and https:\/\/github\.com\/MicrosoftDocs\/azure-ai-docs\/blob\/1d987e37/);
    expect(cat.types.find((t) => t.instanceType === "Standard_ND128isr_NDR_GB200_v6")).toMatchObject({ gpuModel: "GB200", gpuCount: 4, notBuilt: expect.stringMatching(/Arm64/) });
    expect(cat.systemNodes).toEqual({ instanceType: "Standard_D4ds_v5", usdPerHour: { eastus: 0.226 }, source: 0 });
    expect(cat.sources[0]!.asOf).toBe("2026-06-18");
  });

  /*
   * SkyPilot's AWS catalog: real lines of https://github.com/skypilot-org/skypilot-catalog/blob/00148f2af3672e2229b4f7bf8157d5a3f36e3c35/catalogs/v8/aws/vms.csv
   * (g5.8xlarge; the GpuInfo dict, identical on every line but for the order of its Workloads list, is written once).
   * Columns: InstanceType,AcceleratorName,AcceleratorCount,vCPUs,MemoryGiB,GpuInfo,Price,SpotPrice,Region,AvailabilityZone,Arch
   */
  const G5_INFO = `"{'Gpus': [{'Name': 'A10G', 'Manufacturer': 'NVIDIA', 'Count': 1, 'LogicalGpuCount': 1, 'GpuPartitionSize': 1.0, 'Workloads': ['ml-ai', 'graphics'], 'MemoryInfo': {'SizeInMiB': 22888}}], 'TotalGpuMemoryInMiB': 22888}"`;
  const skypilotAws = [
    "InstanceType,AcceleratorName,AcceleratorCount,vCPUs,MemoryGiB,GpuInfo,Price,SpotPrice,Region,AvailabilityZone,Arch",
    "a1.large,,,2.0,4.0,,0.051,0.038500,us-east-2,use2-az1,arm64",
    ...[
      ["3.55033,2.113600", "ap-northeast-1,apne1-az1"], ["3.55033,1.222300", "ap-northeast-1,apne1-az4"],
      ["2.448,0.940100", "us-east-1,use1-az1"], ["2.448,0.964300", "us-east-1,use1-az2"], ["2.448,0.839100", "us-east-1,use1-az4"],
      ["2.448,0.964100", "us-east-1,use1-az5"], ["2.448,0.922800", "us-east-1,use1-az6"],
      ["2.448,0.924100", "us-west-2,usw2-az1"], ["2.448,0.932200", "us-west-2,usw2-az2"], ["2.448,0.920600", "us-west-2,usw2-az3"],
      ["2.448,", "us-west-2,usw2-lax1-az1"],
    ].map(([prices, where]) => `g5.8xlarge,A10G,1.0,32.0,128.0,${G5_INFO},${prices},${where},x86_64`),
  ].join("\n");

  it("SkyPilot: one price per region, the middle zone price (the higher middle one for an even count); quoted GpuInfo read as one field", () => {
    expect(csvFields(`g5.8xlarge,A10G,1.0,32.0,128.0,${G5_INFO},2.448,0.940100,us-east-1,use1-az1,x86_64`)).toHaveLength(11);
    expect(middleZonePrice([2, 1])).toBe(2);
    const rows = parseSkypilot(dump("skypilot-org/skypilot-catalog", "catalogs/v8/aws/vms.csv", skypilotAws), (r) => /^[a-z]{2}-[a-z]+-\d$/.test(r));
    const g5 = rows.filter(([t]) => t === "g5.8xlarge");
    expect(g5).toEqual([
      ["g5.8xlarge", "ap-northeast-1", "on-demand", 3.55033],
      // zones 2.1136 and 1.2223: the higher of the two.
      ["g5.8xlarge", "ap-northeast-1", "spot", 2.1136],
      ["g5.8xlarge", "us-east-1", "on-demand", 2.448],
      // zones 0.8391, 0.9228, 0.9401, 0.9641, 0.9643: the middle one.
      ["g5.8xlarge", "us-east-1", "spot", 0.9401],
      ["g5.8xlarge", "us-west-2", "on-demand", 2.448],
      // zones 0.9206, 0.9241, 0.9322; the Los Angeles Local Zone has no SpotPrice and adds no zone.
      ["g5.8xlarge", "us-west-2", "spot", 0.9241],
    ]);
  });

  it("SkyPilot joined to the AWS dumps: spot rows added, the newer-dated on-demand row kept, types the shape dumps lack left out", () => {
    const base = parseAws(
      dump("aws/karpenter-provider-aws", "pricing.go", '// generated at 2026-07-20T13:44:30Z for us-east-1\n\t"us-east-1": {\n\t\t"g5.8xlarge": 2.448000,\n\t},\n'),
      dump("aws/karpenter-provider-aws", "instance-types.md", [
        "### `g5.8xlarge`", " |karpenter.k8s.aws/instance-cpu|32|", " |karpenter.k8s.aws/instance-gpu-count|1|",
        " |karpenter.k8s.aws/instance-gpu-memory|24576|", " |karpenter.k8s.aws/instance-gpu-name|a10g|", " |karpenter.k8s.aws/instance-memory|131072|",
      ].join("\n")),
      dump("tsaol/aws-gpu", "all.js", `// Last updated: 2026-01-21\nconst allGPUInstances = ${JSON.stringify([
        { name: "g5.8xlarge", gpu: "NVIDIA A10G", gpuCount: 1, gpuMemory: "24 GB", vcpu: 32, memory: "128 GB",
          pricing: { "us-east-1": { onDemand: 2.448 }, "ap-northeast-1": { onDemand: 3.6 } } },
      ])};\n`),
    );
    // The SkyPilot commit dated between the two: newer than the vantage-derived dump, older than Karpenter's table.
    const cat = withSkypilot(base, dump("skypilot-org/skypilot-catalog", "catalogs/v8/aws/vms.csv", skypilotAws, "2026-03-01"), (r) => /^[a-z]{2}-[a-z]+-\d$/.test(r));
    expect(cat.sources[3]).toMatchObject({ asOf: "2026-03-01", source: expect.stringMatching(/^https:\/\/github\.com\/skypilot-org\/skypilot-catalog\/blob\/a{40}\/catalogs\/v8\/aws\/vms\.csv \(.*middle zone price.*undated; the date of commit aaaaaaaaaaaa\)$/) });
    expect(cat.prices).toEqual([
      ["g5.8xlarge", "us-east-1", "on-demand", 2.448, 0], // Karpenter's 2026-07-20 table is newer: kept
      ["g5.8xlarge", "ap-northeast-1", "on-demand", 3.55033, 3], // the 2026-01-21 dump's 3.6 is older: replaced
      ["g5.8xlarge", "us-west-2", "on-demand", 2.448, 3], // no other dump prices it there
      // Spot beside each: SkyPilot's on-demand price is the one kept (2.448 = Karpenter's 2.448 in us-east-1).
      ["g5.8xlarge", "ap-northeast-1", "spot", 2.1136, 3],
      ["g5.8xlarge", "us-east-1", "spot", 0.9401, 3],
      ["g5.8xlarge", "us-west-2", "spot", 0.9241, 3],
    ]);
    // a1.large (no GPU) is not among the catalog's types: nothing of it is added.
    expect(cat.types.map((t) => t.instanceType)).toEqual(["g5.8xlarge"]);
  });

  it("SkyPilot: a spot price read beside an on-demand price that has since changed is left out (p5.48xlarge after the 2025 cut)", () => {
    // https://github.com/skypilot-org/skypilot-catalog/blob/be265a96245c5836a082dce9b0b37247633dc2a4/catalogs/v5/aws/vms.csv
    // (2023-12-13): on-demand 98.32, spot 74.2122 in use1-az5. Karpenter's table at 6fc13b52 (2026-07-20): 55.04.
    const base = parseAws(
      dump("aws/karpenter-provider-aws", "pricing.go", '// generated at 2026-07-20T13:44:30Z for us-east-1\n\t"us-east-1": {\n\t\t"p5.48xlarge": 55.040000,\n\t},\n'),
      dump("aws/karpenter-provider-aws", "instance-types.md", [
        "### `p5.48xlarge`", " |karpenter.k8s.aws/instance-cpu|192|", " |karpenter.k8s.aws/instance-gpu-count|8|",
        " |karpenter.k8s.aws/instance-gpu-memory|81920|", " |karpenter.k8s.aws/instance-gpu-name|h100|", " |karpenter.k8s.aws/instance-memory|2097152|",
      ].join("\n")),
      dump("tsaol/aws-gpu", "all.js", `// Last updated: 2026-01-21\nconst allGPUInstances = ${JSON.stringify([
        { name: "p5.48xlarge", gpu: "NVIDIA H100", gpuCount: 8, gpuMemory: "80 GB", vcpu: 192, memory: "2048 GB", pricing: { "us-east-1": { onDemand: 55.04 } } },
      ])};\n`),
    );
    const v5 = [
      "InstanceType,AcceleratorName,AcceleratorCount,vCPUs,MemoryGiB,GpuInfo,Price,SpotPrice,Region,AvailabilityZone",
      `p5.48xlarge,H100,8.0,192.0,2048.0,"{'Gpus': [{'Name': 'H100', 'Manufacturer': 'NVIDIA', 'Count': 8, 'MemoryInfo': {'SizeInMiB': 81920}}], 'TotalGpuMemoryInMiB': 655360}",98.32,74.212200,us-east-1,use1-az5`,
    ].join("\n");
    const cat = withSkypilot(base, dump("skypilot-org/skypilot-catalog", "catalogs/v5/aws/vms.csv", v5, "2023-12-13"), (r) => /^[a-z]{2}-[a-z]+-\d$/.test(r));
    // 74.2122 would be above today's on-demand 55.04: no spot row, and the newer on-demand row stays.
    expect(cat.prices).toEqual([["p5.48xlarge", "us-east-1", "on-demand", 55.04, 0]]);
  });
});
