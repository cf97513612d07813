/**
 * Internet egress and cross-region transfer at the plan's region's own rates where a dated dump gives them
 * (lib/cost/transfer.ts), the region note where it does not, the NAT note that follows the bill, and the storage and
 * load balancer rows named when they are the reference region's figures applied elsewhere.
 */
import { describe, expect, it } from "vitest";
import { estimateCost, planCluster, type ClusterSpec, type FleetSpec } from "gpu-cluster";
import * as catalog from "../lib/catalog/index.js";
import { splitIntoTiers } from "../lib/cost/estimate.js";
import { crossRegionIn, egressTiersIn } from "../lib/cost/transfer.js";
import type { CostEstimate, CostLine } from "../lib/cost/types.js";

const egressLines = (e: CostEstimate): Pick<CostLine, "description" | "quantity" | "unitPriceUsd" | "monthlyUsd">[] =>
  e.lines.filter((l) => l.category === "egress").map(({ description, quantity, unitPriceUsd, monthlyUsd }) => ({ description, quantity, unitPriceUsd, monthlyUsd }));
/** The note naming the cloud catalog's rows (not the fee rows) priced at the reference region's figures. */
const catalogRegionNote = (e: CostEstimate) => e.notes.filter((n) => /list prices \(lib\/catalog\/data\/(aws|gcp|azure)\.ts\)/.test(n));

describe("regional internet egress and cross-region transfer", () => {
  it("prices AWS ap-northeast-1 at its own tiers and cross-region rate, to the cent of infracost's dump lines", () => {
    // The quantities of infracost's data_transfer_test.golden @0ee89cf (2024-09-25), aws_data_transfer.ap-northeast-1:
    //   Outbound data transfer to Internet (first 10TB)   10,240 GB  $1,167.36
    //   Outbound data transfer to Internet (next 40TB)    40,960 GB  $3,645.44
    //   Outbound data transfer to Internet (next 100TB)  102,400 GB  $8,806.40
    //   Outbound data transfer to Internet (over 150TB)    3,400 GB    $285.60
    //   Outbound data transfer to other regions              750 GB     $67.50
    // i.e. 150 TiB + 3,400 GiB to the internet and 750 GiB to other regions (AWS bills a GB of 2^30 bytes, 1,024 to a TB).
    const spec: ClusterSpec = {
      cloud: "aws",
      region: "ap-northeast-1",
      gpu: { model: "H100", count: 8 },
      egress: { internetTiBPerMonth: 150 + 3400 / 1024, crossRegionTiBPerMonth: 750 / 1024 },
    };
    const e = estimateCost(spec);
    expect(egressLines(e)).toEqual([
      { description: "internet egress 0–10 TiB tier", quantity: 10_240, unitPriceUsd: 0.114, monthlyUsd: 1167.36 },
      { description: "internet egress 10–50 TiB tier", quantity: 40_960, unitPriceUsd: 0.089, monthlyUsd: 3645.44 },
      { description: "internet egress 50–150 TiB tier", quantity: 102_400, unitPriceUsd: 0.086, monthlyUsd: 8806.4 },
      { description: "internet egress 150–∞ TiB tier", quantity: 3400, unitPriceUsd: 0.084, monthlyUsd: 285.6 },
      { description: "cross-region transfer", quantity: 750, unitPriceUsd: 0.09, monthlyUsd: 67.5 },
    ]);
    // Each line cites the dump and its commit's date, not the network row's older NAT / load balancer captures.
    for (const l of e.lines.filter((x) => x.category === "egress")) expect(l).toMatchObject({ asOf: "2024-09-25", source: expect.stringContaining("0ee89cff8a0944afd06fbfe90d7a98b8a947dce4") });
    // Regional figures: the note on the catalog's reference-region rows does not name egress or cross-region.
    expect(catalogRegionNote(e)).toEqual([]);
  });

  it("keeps us-east-1's figures in us-east-1 and in a region the dump prices the same (us-east-2), with no note", () => {
    const at = (region: string) => estimateCost({ cloud: "aws", region, gpu: { model: "H100", count: 8 }, egress: { internetTiBPerMonth: 10, crossRegionTiBPerMonth: 1 } });
    for (const region of ["us-east-1", "us-east-2"]) {
      const e = at(region);
      // 10,240 GiB × $0.09 (first 10 TB $921.60 in both blocks); 1,024 GiB × $0.02 (750 GB $15.00 in both)
      expect(egressLines(e).map((l) => l.monthlyUsd)).toEqual([921.6, 20.48]);
      expect(catalogRegionNote(e)).toEqual([]);
    }
  });

  it("prices an AWS region the dump lacks (ap-southeast-3) at us-east-1's figures and names them", () => {
    // data_transfer_test.golden has no aws_data_transfer.ap-southeast-3 block; the catalog lists the region.
    const e = estimateCost({ cloud: "aws", region: "ap-southeast-3", gpu: { model: "H100", count: 8 }, egress: { internetTiBPerMonth: 1, crossRegionTiBPerMonth: 1 } });
    expect(egressLines(e).map((l) => [l.unitPriceUsd, l.monthlyUsd])).toEqual([
      [0.09, 92.16],
      [0.02, 20.48],
    ]);
    expect(catalogRegionNote(e)).toEqual(["internet egress, cross-region transfer: us-east-1 list prices (lib/catalog/data/aws.ts), applied to ap-southeast-3"]);
  });

  it("reads GCP southamerica-east1's own tiers from Cyclenerd's pricing.yml, to the cent", () => {
    // pricing.yml @fd66b26 (generated 2026-07-30), compute.network.traffic.egress.internet.cost:
    //   0-1: southamerica-east1: month: 0.19; 1-10: ... 0.18; 10n: ... 0.15 (us-central1: 0.12 / 0.11 / 0.08).
    const { tiers, regional } = egressTiersIn("gcp", "southamerica-east1");
    expect(regional).toBe(true);
    expect(tiers.map((t) => [t.upToTiB, t.usdPerGiB])).toEqual([
      [1, 0.19],
      [10, 0.18],
      [null, 0.15],
    ]);
    // 12 TiB a month: 1,024 GiB × $0.19 = $194.56; 9,216 × $0.18 = $1,658.88; 2,048 × $0.15 = $307.20.
    expect(splitIntoTiers(12 * 1024, tiers).map(({ tier, gib }) => Math.round(tier.usdPerGiB * gib * 100) / 100)).toEqual([194.56, 1658.88, 307.2]);
    // The dump has no inter-region SKU: the cross-region figure is us-central1's, and not the region's own.
    expect(crossRegionIn("gcp", "southamerica-east1")).toMatchObject({ usd: 0.02, regional: false });
  });

  it("prices a GCP estimate in australia-southeast1 at its own egress tiers, and names the cross-region rate as us-central1's", () => {
    // pricing.yml @fd66b26: australia-southeast1 0-1 0.19, 1-10 0.18, 10n 0.15 (southamerica-east1 has the same; the
    // catalog lists no GPU type there, so the full estimate is made in australia-southeast1).
    const e = estimateCost({ cloud: "gcp", region: "australia-southeast1", gpu: { model: "H100", count: 8 }, egress: { internetTiBPerMonth: 12, crossRegionTiBPerMonth: 1 } });
    expect(egressLines(e)).toEqual([
      { description: "internet egress 0–1 TiB tier", quantity: 1024, unitPriceUsd: 0.19, monthlyUsd: 194.56 },
      { description: "internet egress 1–10 TiB tier", quantity: 9216, unitPriceUsd: 0.18, monthlyUsd: 1658.88 },
      { description: "internet egress 10–∞ TiB tier", quantity: 2048, unitPriceUsd: 0.15, monthlyUsd: 307.2 },
      { description: "cross-region transfer", quantity: 1024, unitPriceUsd: 0.02, monthlyUsd: 20.48 },
    ]);
    expect(e.lines.find((l) => l.description.startsWith("internet egress 0"))).toMatchObject({ asOf: "2026-07-30", source: expect.stringContaining("fd66b26ff84fee5cdd94f341ea89206e76c06b99") });
    expect(catalogRegionNote(e)).toEqual(["cross-region transfer: us-central1 list prices (lib/catalog/data/gcp.ts), applied to australia-southeast1"]);
  });

  it("leaves GCP asia-northeast1's rising dump tiers out: us-central1's tiers, named", () => {
    // pricing.yml @fd66b26 asia-northeast1: 0-1 0.085, 1-10 0.12, 10n 0.085, a first tier cheaper than the second
    // (lib/catalog/data/gcp.ts says why it is left out).
    const e = estimateCost({ cloud: "gcp", region: "asia-northeast1", gpu: { model: "H100", count: 8 }, egress: { internetTiBPerMonth: 2 } });
    // 1,024 GiB × $0.12 = $122.88; 1,024 × $0.11 = $112.64
    expect(egressLines(e).map((l) => l.monthlyUsd)).toEqual([122.88, 112.64]);
    expect(catalogRegionNote(e)).toEqual(["internet egress: us-central1 list prices (lib/catalog/data/gcp.ts), applied to asia-northeast1"]);
  });

  it("names Azure's egress and cross-region rates as eastus's elsewhere, and cites the cross-region figure's own source", () => {
    const e = estimateCost({ cloud: "azure", region: "japaneast", gpu: { model: "H100", count: 8 }, egress: { internetTiBPerMonth: 1, crossRegionTiBPerMonth: 1 } });
    // eastus tiers (Retail Prices API capture, 2026-09-24): 1,024 GiB × $0.087 = $89.09; cross-region 1,024 × $0.02 = $20.48
    expect(egressLines(e).map((l) => l.monthlyUsd)).toEqual([89.09, 20.48]);
    expect(catalogRegionNote(e)).toEqual(["internet egress, cross-region transfer: eastus list prices (lib/catalog/data/azure.ts), applied to japaneast"]);
    // The cross-region line's source is the figure's own (a third-party page, undated), not the network entry's text,
    // which starts with the NAT gateway's.
    const cross = e.lines.find((l) => l.description === "cross-region transfer")!;
    expect(cross.asOf).toBe(catalog.UNDATED);
    expect(cross.source).toMatch(/^https:\/\/lucidity\.cloud\//);
    expect(cross.source).not.toContain("NAT gateway");
  });
});

describe("the pulls note follows the bill's NAT", () => {
  const eks: ClusterSpec = { cloud: "aws", region: "us-east-1", gpu: { model: "H100", count: 16 }, orchestrator: "kubernetes" };
  const priced = /inbound pulls through the NAT priced at the default/;
  const own = (e: CostEstimate) => e.notes.filter((n) => n.startsWith("not priced: NAT data processing in your own network"));

  it("says the pulls are priced where the bill holds the NAT (a new VPC)", () => {
    const e = estimateCost(eks);
    expect(e.lines.some((l) => l.description === "NAT gateway (1), 730 h")).toBe(true);
    expect(e.notes.some((n) => priced.test(n))).toBe(true);
    expect(own(e)).toEqual([]);
  });

  it("names the user's own NAT as unpriced on an existing-VPC EKS cluster (no NAT line)", () => {
    const e = estimateCost(eks, { eks: { clusterName: "prod" }, vpcId: "vpc-1", subnetIds: ["subnet-1", "subnet-2"] });
    expect(e.lines.some((l) => /NAT/.test(l.description))).toBe(false);
    expect(e.notes.some((n) => priced.test(n))).toBe(false);
    // 2 × p5.48xlarge × the default 50 GiB a node (SPEC_DEFAULTS.pulledGiBPerNode)
    expect(own(e)).toEqual([
      "not priced: NAT data processing in your own network, ~100 GiB of inbound pulls (images, datasets, models) a month (the nodes join an existing network, so its NAT, which this component does not build, processes and bills them; the pulls at the default 50 GiB per node, state egress.pulledTiBPerMonth to change it)",
    ]);
  });

  it("names the stated pulls and internet egress through an existing AKS cluster's NAT", () => {
    const spec: ClusterSpec = { cloud: "azure", region: "eastus", gpu: { model: "H100", count: 16 }, orchestrator: "kubernetes", egress: { internetTiBPerMonth: 2, pulledTiBPerMonth: 1 } };
    const e = estimateCost(spec, { aks: { clusterName: "prod", resourceGroupName: "rg" } });
    expect(e.lines.some((l) => /NAT/.test(l.description))).toBe(false);
    expect(e.notes.some((n) => priced.test(n))).toBe(false);
    expect(own(e)).toEqual([
      "not priced: NAT data processing in your own network, ~1024 GiB of inbound pulls (images, datasets, models) and 2048 GiB of internet egress a month (the nodes join an existing network, so its NAT, which this component does not build, processes and bills them)",
    ]);
  });
});

describe("the region note names the catalog's storage rows and load balancer hours", () => {
  it("names EFS storage and the ALB hour as us-east-1's in ap-northeast-1", () => {
    const fleet: FleetSpec = {
      cloud: "aws",
      region: "ap-northeast-1",
      gpu: { model: "L4" },
      replicas: { min: 2, max: 4 },
      storage: [{ kind: "nfs", capacityTiB: 1, mountPath: "/models" }],
      loadBalancer: "internet-facing",
    };
    const e = estimateCost(fleet);
    // EFS Standard $0.30 (efs_file_system_test.golden, us-east-1) and the ALB $0.0225/h (lb_test.golden, us-east-1).
    expect(e.lines.find((l) => l.description.startsWith("Amazon EFS Standard"))).toMatchObject({ unitPriceUsd: 0.3, monthlyUsd: 307.2 });
    expect(e.lines.find((l) => /Application Load Balancer \(1\), 730 h/.test(l.description))).toMatchObject({ unitPriceUsd: 0.0225, monthlyUsd: 16.43 });
    // The served responses leave at ap-northeast-1's own first tier: 2 replicas × 100 GiB × $0.114 = $22.80.
    expect(egressLines(e)).toEqual([{ description: "internet egress 0–10 TiB tier (200 GiB served by the internet-facing load balancer)", quantity: 200, unitPriceUsd: 0.114, monthlyUsd: 22.8 }]);
    expect(catalogRegionNote(e)).toEqual(["nfs storage (standard), load balancer hours: us-east-1 list prices (lib/catalog/data/aws.ts), applied to ap-northeast-1"]);
  });

  it("does not name Azure's load balancer hour (one global meter) outside eastus, nor a contract-priced storage row", () => {
    const fleet: FleetSpec = {
      cloud: "azure",
      region: "westeurope",
      gpu: { model: "A100-80GB" },
      replicas: { min: 1, max: 1 },
      orchestrator: "kubernetes",
      loadBalancer: "internal",
      storage: [{ kind: "nfs", capacityTiB: 1, mountPath: "/models", contractUsdPerGiBMonth: 0.25 }],
    };
    const e = estimateCost(fleet);
    expect(e.lines.some((l) => /Standard Load Balancer \(1\), 730 h/.test(l.description))).toBe(true);
    expect(catalogRegionNote(e).join("\n")).not.toMatch(/load balancer hours|nfs storage/);
  });
});

describe("Azure Blob storage outside eastus", () => {
  it("builds and prices 'storage: object' in westeurope at eastus's price, named in the region note", () => {
    const spec: ClusterSpec = { cloud: "azure", region: "westeurope", gpu: { model: "H100", count: 8 }, storage: [{ kind: "object", capacityTiB: 10, mountPath: "/data" }] };
    expect(planCluster(spec).storage[0]).toMatchObject({ kind: "object", tier: "hot-lrs", capacityGiB: 10_240 });
    const e = estimateCost(spec);
    // 10,240 GiB × $0.0208 (Retail Prices API, eastus 'General Block Blob v2' Hot LRS, captured 2026-09-24) = $212.992
    expect(e.lines.find((l) => l.description.startsWith("Azure Blob Storage"))).toMatchObject({ quantity: 10_240, unitPriceUsd: 0.0208, monthlyUsd: 212.99, asOf: "2026-09-24" });
    expect(catalogRegionNote(e)).toEqual(["object storage (hot-lrs): eastus list prices (lib/catalog/data/azure.ts), applied to westeurope"]);
  });
});
