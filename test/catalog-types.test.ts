/**
 * The GPU types issue 15 asks for that the dumps price but the catalog lacked before session 28 (audit-15-28 G2): each
 * price read to the cent against the dump line named, the facts sourced, and every type the compilers cannot build
 * (InstanceFacts.notBuilt) listed and priced but never planned.
 */
import { describe, expect, it } from "vitest";
import { catalog, planCluster, planFleet, SpecError } from "gpu-cluster";
import type { Cloud, GpuModel, InstanceFacts } from "../lib/catalog/types.js";

const row = (cloud: Cloud, instanceType: string, region: string, pricing: "on-demand" | "spot" | "reserved-1y" = "on-demand") =>
  catalog.prices(cloud).find((p) => p.instanceType === instanceType && p.region === region && p.pricing === pricing);

describe("GPU types added from the dumps (audit 15-28 G2)", () => {
  it("AWS g7: RTX PRO 4500, priced in us-east-1 from Karpenter's table and built like any x86 NVIDIA type", () => {
    // aws/karpenter-provider-aws@6fc13b5 pkg/providers/pricing/zz_generated.pricing_aws.go (generated 2026-07-20):
    //   "g7.12xlarge": 7.128320, "g7.24xlarge": 14.256640, "g7.2xlarge": 2.520000,
    expect(row("aws", "g7.2xlarge", "us-east-1")).toMatchObject({ usdPerHour: 2.52, asOf: "2026-07-20" });
    expect(row("aws", "g7.24xlarge", "us-east-1")?.usdPerHour).toBe(14.25664);
    // Karpenter's instance-types.md@692ccdd: g7.48xlarge instance-gpu-count 8, instance-gpu-name rtx-pro-4500,
    // instance-gpu-memory 32768, instance-cpu 192, instance-memory 786432, kubernetes.io/arch amd64.
    expect(catalog.instance("aws", "g7.48xlarge")).toMatchObject({
      gpuModel: "RTX-PRO-4500", gpuCount: 8, gpuMemoryGiB: 32, vcpus: 192, memoryGiB: 768, fabric: "none", regions: ["us-east-1"],
    });
    expect(catalog.instance("aws", "g7.48xlarge")!.notBuilt).toBeUndefined();
    // One 1-GPU replica: the smallest g7 in the region (the ranking's rule), $2.52/h.
    const plan = planFleet({ cloud: "aws", region: "us-east-1", gpu: { model: "RTX-PRO-4500", count: 1 }, replicas: { min: 1, max: 2 } });
    expect(plan.instanceType).toBe("g7.2xlarge");
  });

  it("AWS g5g, g4ad, g6f, gr6f, g3 and p2: priced per region from the dumps, never built", () => {
    // Karpenter us-east-1: "g6f.large": 0.202000, "g5g.xlarge": 0.420000.
    expect(row("aws", "g6f.large", "us-east-1")?.usdPerHour).toBe(0.202);
    expect(row("aws", "g5g.xlarge", "us-east-1")?.usdPerHour).toBe(0.42);
    // tsaol/aws-gpu@7412fd2 data/all_gpu_instances.js (Last updated 2026-01-21): g5g.xlarge "eu-central-1":
    // { "onDemand": 0.5254, "reserved": 0.3584 }; g4ad.xlarge "eu-central-1": { "onDemand": 0.47327, "reserved": 0.32298 }.
    expect(row("aws", "g5g.xlarge", "eu-central-1")).toMatchObject({ usdPerHour: 0.5254, asOf: "2026-01-21" });
    expect(row("aws", "g5g.xlarge", "eu-central-1", "reserved-1y")?.usdPerHour).toBe(0.3584);
    expect(row("aws", "g4ad.xlarge", "eu-central-1")?.usdPerHour).toBe(0.47327);
    expect(row("aws", "g4ad.xlarge", "eu-central-1", "reserved-1y")?.usdPerHour).toBe(0.32298);
    // g6f.large: Karpenter lists 0 whole GPUs and 2861 MiB of an L4; the vantage dump counts 0.125.
    expect(catalog.instance("aws", "g6f.large")).toMatchObject({ gpuModel: "L4", gpuCount: 0.125, vcpus: 2, memoryGiB: 8 });
    expect(catalog.instance("aws", "g6f.large")!.notBuilt).toMatch(/^a 1\/8 share of one L4/);
    expect(catalog.instance("aws", "gr6f.4xlarge")).toMatchObject({ gpuModel: "L4", gpuCount: 0.5 });
    expect(catalog.instance("aws", "g5g.metal")).toMatchObject({ gpuModel: "T4G", gpuCount: 2, gpuMemoryGiB: 16, notBuilt: expect.stringMatching(/Arm64/) });
    expect(catalog.instance("aws", "g4ad.16xlarge")).toMatchObject({ gpuModel: "Radeon-Pro-V520", gpuCount: 4, gpuMemoryGiB: 8, notBuilt: expect.stringMatching(/AMD Radeon/) });
    expect(catalog.instance("aws", "g3s.xlarge")).toMatchObject({ gpuModel: "M60", gpuCount: 1, notBuilt: expect.stringMatching(/older than the T4 and V100/) });
    expect(catalog.instance("aws", "p2.16xlarge")).toMatchObject({ gpuModel: "K80", gpuCount: 8, notBuilt: expect.stringMatching(/older/) });
  });

  it("GCP g4-standard-6/12/24: shares of one RTX PRO 6000, on-demand and Spot, never built", () => {
    // cloudpilot-ai/karpenter-provider-gcp@373e2ba pkg/providers/pricing/initial-prices.json: prices["us-central1"]
    // on_demand "g4-standard-6": 0.55955625, spot "g4-standard-6": 0.2238035.
    expect(row("gcp", "g4-standard-6", "us-central1")).toMatchObject({ usdPerHour: 0.55955625, asOf: "2026-08-03" });
    expect(row("gcp", "g4-standard-6", "us-central1", "spot")?.usdPerHour).toBe(0.2238035);
    // Shares: Cyclenerd/google-cloud-pricing-cost-calculator@08440e7 build/gcp.yml (rtx6000: 0.125, 0.25, 0.5).
    expect(catalog.instance("gcp", "g4-standard-6")).toMatchObject({ gpuModel: "RTX-PRO-6000", gpuCount: 0.125, vcpus: 6, memoryGiB: 22, asOf: "2026-07-22" });
    expect(catalog.instance("gcp", "g4-standard-12")!.gpuCount).toBe(0.25);
    expect(catalog.instance("gcp", "g4-standard-24")!.gpuCount).toBe(0.5);
    expect(catalog.instance("gcp", "g4-standard-24")!.notBuilt).toMatch(/^a 1\/2 share of one RTX-PRO-6000/);
  });

  it("Azure NVads A10 v5 shares, NVv4, NG V620, NV V710 v5 and NC RTX PRO 6000 BSE v6: priced per region, never built", () => {
    // Azure/karpenter-provider-azure@2b431da pkg/providers/pricing/zz_generated.pricing.go (generated 2026-06-18),
    // initialOnDemandPrices["eastus"]: "Standard_NV6ads_A10_v5": 0.454000, "Standard_NV24ads_V710_v5": 2.000000,
    // "Standard_NV32as_v4": 1.864000, "Standard_NC128ds_xl_RTXPRO6000BSE_v6": 6.380000; ["southeastasia"]:
    // "Standard_NC128ds_xl_RTXPRO6000BSE_v6": 8.932000; ["westeurope"]: "Standard_NV24ads_V710_v5": 2.600000.
    expect(row("azure", "Standard_NV6ads_A10_v5", "eastus")).toMatchObject({ usdPerHour: 0.454, asOf: "2026-06-18" });
    expect(row("azure", "Standard_NV24ads_V710_v5", "eastus")?.usdPerHour).toBe(2);
    expect(row("azure", "Standard_NV24ads_V710_v5", "westeurope")?.usdPerHour).toBe(2.6);
    expect(row("azure", "Standard_NV32as_v4", "eastus")?.usdPerHour).toBe(1.864);
    expect(row("azure", "Standard_NC128ds_xl_RTXPRO6000BSE_v6", "eastus")?.usdPerHour).toBe(6.38);
    expect(row("azure", "Standard_NC128ds_xl_RTXPRO6000BSE_v6", "southeastasia")?.usdPerHour).toBe(8.932);
    // Shares and shapes from the series' Learn pages (MicrosoftDocs, commit in each source):
    expect(catalog.instance("azure", "Standard_NV6ads_A10_v5")).toMatchObject({ gpuModel: "A10", gpuCount: 1 / 6, vcpus: 6, memoryGiB: 55 });
    expect(catalog.instance("azure", "Standard_NV4as_v4")).toMatchObject({ gpuModel: "MI25", gpuCount: 0.125, vcpus: 4, memoryGiB: 14, asOf: "2024-07-31" });
    expect(catalog.instance("azure", "Standard_NG8ads_V620_v1")).toMatchObject({ gpuModel: "Radeon-Pro-V620", gpuCount: 0.25, vcpus: 8, memoryGiB: 16 });
    expect(catalog.instance("azure", "Standard_NV28adms_V710_v5")).toMatchObject({ gpuModel: "Radeon-Pro-V710", gpuCount: 1, vcpus: 28, memoryGiB: 160 });
    expect(catalog.instance("azure", "Standard_NC256ds_xl_RTXPRO6000BSE_v6")).toMatchObject({ gpuModel: "RTX-PRO-6000", gpuCount: 2, vcpus: 256, memoryGiB: 1024, asOf: "2025-12-05" });
    expect(catalog.instance("azure", "Standard_NC256ds_xl_RTXPRO6000BSE_v6")!.notBuilt).toMatch(/SR-IOV.*GRID.*not supported on AKS/);
    expect(catalog.instance("azure", "Standard_NV12s_v3")).toMatchObject({ gpuModel: "M60", gpuCount: 1, notBuilt: expect.stringMatching(/older/) });
    // A size whose share no page read gives stays out (the SKU dump counts 1 GPU for each of NC8/16ads_A10_v4).
    expect(catalog.instance("azure", "Standard_NC8ads_A10_v4")).toBeUndefined();
  });

  it("lists every partitioned size as notBuilt, and a whole-number GPU count everywhere else", () => {
    for (const cloud of ["aws", "gcp", "azure", "coreweave"] as const) {
      for (const i of catalog.instances(cloud)) {
        if (Number.isInteger(i.gpuCount)) expect(i.gpuCount, i.instanceType).toBeGreaterThanOrEqual(1);
        else expect([i.instanceType, i.gpuCount > 0 && i.gpuCount < 1, i.notBuilt]).toEqual([i.instanceType, true, expect.stringMatching(/share of one/)]);
      }
    }
  });
});

describe("a type the compilers do not build is never planned", () => {
  const notBuilt = (["aws", "gcp", "azure", "coreweave"] as const).flatMap((c) => catalog.instances(c).filter((i) => i.notBuilt));

  it("covers the added types", () => {
    const names = new Set(notBuilt.map((i) => i.instanceType));
    for (const t of ["g6f.large", "g5g.xlarge", "g4ad.xlarge", "g3.4xlarge", "p2.xlarge", "g4-standard-6", "Standard_NV6ads_A10_v5", "Standard_NC128ds_xl_RTXPRO6000BSE_v6"]) {
      expect(names.has(t), t).toBe(true);
    }
    expect(notBuilt.length).toBeGreaterThanOrEqual(57);
  });

  it("planCluster and planFleet pick a built type or refuse, for every model and region a notBuilt type is sold in", () => {
    const asks = new Map<string, { cloud: Cloud; region: string; model: GpuModel }>();
    for (const i of notBuilt) for (const region of i.regions) asks.set(`${i.cloud} ${region} ${i.gpuModel}`, { cloud: i.cloud, region, model: i.gpuModel });
    let planned = 0;
    let refused = 0;
    for (const { cloud, region, model } of asks.values()) {
      for (const plan of [
        () => planCluster({ cloud, region, gpu: { model, count: 1 } }),
        () => planFleet({ cloud, region, gpu: { model, count: 1 }, replicas: { min: 1, max: 1 } }),
      ]) {
        try {
          const chosen = catalog.instance(cloud, plan().instanceType) as InstanceFacts;
          expect(chosen.notBuilt, `${cloud} ${region} ${model}: ${chosen.instanceType}`).toBeUndefined();
          planned++;
        } catch (e) {
          if (!(e instanceof SpecError)) throw e;
          refused++;
        }
      }
    }
    // Both outcomes occur: L4 in us-east-1 plans a g6 (not a g6f); T4G (g5g only) is refused.
    expect(planned).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
    expect(planCluster({ cloud: "aws", region: "us-east-1", gpu: { model: "L4", count: 1 } }).instanceType).toMatch(/^g6\./);
    expect(() => planFleet({ cloud: "aws", region: "us-east-1", gpu: { model: "T4G", count: 1 }, replicas: { min: 1, max: 1 } })).toThrow(/prices and sizing only.*g5g/);
    expect(() => planFleet({ cloud: "azure", region: "eastus", gpu: { model: "RTX-PRO-6000", count: 1 }, replicas: { min: 1, max: 1 } })).toThrow(/prices and sizing only.*SR-IOV/);
  });

  it("refuses a spec that pins a notBuilt type, naming why", () => {
    for (const [cloud, type, region, why] of [
      ["aws", "g6f.large", "us-east-1", /share of one L4/],
      ["aws", "g5g.xlarge", "us-east-1", /Arm64/],
      ["gcp", "g4-standard-6", "us-central1", /share of one RTX-PRO-6000/],
      ["azure", "Standard_NV6ads_A10_v5", "eastus", /share of one A10/],
    ] as const) {
      expect(() => planFleet({ cloud, region, gpu: { instanceType: type, count: 1 }, replicas: { min: 1, max: 1 } }), type).toThrow(why);
    }
  });
});
