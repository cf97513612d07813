import { describe, expect, it } from "vitest";
import { estimateCost, planCluster, renderJson, renderMarkdown, renderText, type ClusterSpec, type FleetSpec } from "gpu-cluster";
import * as catalog from "../lib/catalog/index.js";
import { splitIntoTiers } from "../lib/cost/estimate.js";
import { roundCents } from "../lib/cost/money.js";
import * as path from "node:path";
import { AWS_FEES, AZURE_FEES, GCP_FEES, NODE_DISK_FEES } from "../lib/catalog/data/fees.js";
import type { Cloud, StorageKind } from "../lib/catalog/types.js";
import { runOffline } from "../lib/preview/offline.js";
import { EXAMPLE_CONFIG } from "../scripts/example-config.js";

const byCategory = (lines: { category: string; monthlyUsd: number }[], category: string) =>
  lines.filter((l) => l.category === category).map((l) => l.monthlyUsd);

describe("estimateCost", () => {
  it("prices 32 × p5.48xlarge on-demand in us-east-1 with Lustre and egress, to the cent", () => {
    const spec: ClusterSpec = {
      cloud: "aws",
      region: "us-east-1",
      gpu: { model: "H100", count: 256 },
      storage: [{ kind: "lustre", capacityTiB: 120, mountPath: "/data" }],
      egress: { internetTiBPerMonth: 20 },
    };
    const e = estimateCost(spec);
    // compute: 32 nodes × 730 h × $55.04 (p5.48xlarge, us-east-1, on-demand)
    expect(e.lines[0]).toMatchObject({ category: "compute", quantity: 23_360, unitPriceUsd: 55.04, monthlyUsd: 1_285_734.4 });
    // Lustre: 120 TiB on FSx's scale (1.2 TiB = 1,200 GiB) = 120,000 GiB, 50 steps of 2,400 GiB, × $0.145 = $17,400
    expect(e.lines[1]).toMatchObject({ category: "storage", quantity: 120_000, monthlyUsd: 17_400 });
    // egress: first 10 TiB at $0.09/GiB, the next 10 TiB at $0.085/GiB
    expect(byCategory(e.lines, "egress")).toEqual([921.6, 870.4]);
    // root volumes: 32 × 200 GiB gp3 × $0.08
    expect(e.lines[2]).toMatchObject({ category: "storage", quantity: 6400, unitPriceUsd: 0.08, monthlyUsd: 512 });
    // NAT gateway: 730 h × $0.045; 20,480 GiB egress processed × $0.045; pulls 32 nodes × 50 GiB × $0.045; its
    // Elastic IP 730 h × $0.005. Training sits in one zone: no cross-zone line.
    expect(byCategory(e.lines, "network")).toEqual([32.85, 921.6, 72, 3.65]);
    // The cluster SSH key (32 nodes trust each other): its KMS key, 1 × $1.00, then its Secrets Manager secret, 1 × $0.40.
    expect(byCategory(e.lines, "cluster")).toEqual([1, 0.4]);
    // 1,285,734.40 + 17,400 + 512 + 921.60 + 870.40 + 32.85 + 921.60 + 72 + 3.65 + 1 + 0.40
    expect(e.monthlyUsd).toBe(1_306_469.9);
    expect(e.hourlyUsd).toBe(roundCents(1_306_469.9 / 730));
    expect(e.worstCaseMonthlyUsd).toBe(e.monthlyUsd);
    for (const line of e.lines) {
      expect(line.source.length).toBeGreaterThan(10);
      // Each line carries its source's own date; the one FSx figure (c3x.dev, a third-party page stating no date, no
      // dated copy found) says "undated" rather than the day it was read.
      if (line.category === "storage" && line.quantity === 120_000) expect(line.asOf).toBe(catalog.UNDATED);
      else expect(line.asOf, line.description).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    // The NAT gateway lines cite the NAT fee row's dated capture (infracost nat_gateway_test.golden, 2024-07-01).
    for (const nat of e.lines.filter((l) => l.description.startsWith("NAT gateway"))) expect(nat).toMatchObject({ asOf: "2024-07-01", source: expect.stringContaining("nat_gateway_test.golden") });
  });

  it("prices a fleet at replicas.min and checks the budget at replicas.max", () => {
    const spec: FleetSpec = {
      cloud: "aws",
      region: "us-east-1",
      gpu: { model: "L4" },
      replicas: { min: 2, max: 10 },
      budget: { monthlyUsd: 5_000, onExceed: "fail" },
    };
    const e = estimateCost(spec);
    expect(e.instanceType).toBe("g6.xlarge");
    // 2 × 730 h × $0.8048 = 1,175.008; root volumes 2 × 200 GiB × $0.08 = 32; NAT 730 × $0.045 = 32.85; pulls
    // 2 × 50 GiB × $0.045 = 4.50; the NAT's Elastic IP 730 × $0.005 = 3.65; half the pulls cross zones: 50 GiB ×
    // 2 × $0.01 = 1; ALB 730 × $0.0225 = 16.425 → 16.43; LCUs 2 × 100 GiB × $0.008 = 1.60
    expect(e.lines.map((l) => l.monthlyUsd)).toEqual([1175.01, 32, 32.85, 4.5, 3.65, 1, 16.43, 1.6]);
    expect(e.monthlyUsd).toBe(1267.04);
    // at 10 replicas: 10 × 730 × $0.8048 = 5,875.04; disks 160; pulls 22.50; cross-zone 5; LCUs 8
    expect(e.worstCaseMonthlyUsd).toBe(6123.47); // 5,875.04 + 160 + 32.85 + 22.50 + 3.65 + 5 + 16.43 + 8
    expect(e.budget).toEqual({ monthlyUsd: 5000, onExceed: "fail", checkedUsd: 6123.47, withinBudget: false, overByUsd: 1123.47 });
  });

  it("bills reserved capacity for every hour of the month and states the commitment", () => {
    const e = estimateCost({ cloud: "azure", region: "eastus", gpu: { model: "A100-80GB", nodes: 2 }, pricing: "reserved-1y", hoursPerMonth: 200 });
    const rate = catalog.price({ cloud: "azure", instanceType: "Standard_ND96amsr_A100_v4", region: "eastus", pricing: "reserved-1y" })!;
    expect(rate).toBeGreaterThan(0);
    expect(e.lines[0]!.quantity).toBe(2 * 730); // not 2 × 200: a reservation is paid whether used or not
    expect(e.lines[0]!.monthlyUsd).toBe(roundCents(2 * 730 * rate));
    expect(e.committedUsd).toBe(roundCents(e.lines[0]!.monthlyUsd * 12));
    expect(e.notes.join(" ")).toMatch(/committed spend/);
    expect(e.hourlyUsd).toBe(Math.round((e.monthlyUsd / 730) * 100) / 100); // billed for 730 h, not the 200 used
  });

  it("prices a capacity block for the hours booked", () => {
    const e = estimateCost({ cloud: "aws", region: "us-east-1", gpu: { model: "H100", nodes: 4 }, pricing: "capacity-block", reservationId: "cr-0123456789abcdef0", zone: "us-east-1a", hoursPerMonth: 336 });
    // 4 nodes × 336 h × $39.33 (capacity block rate, us-east-1)
    expect(e.lines[0]).toMatchObject({ quantity: 1344, unitPriceUsd: 39.33, monthlyUsd: 52_859.52 });
    // The rate is the pricing page's late-2024 figure, which the page says was superseded
    // (https://aws.amazon.com/ec2/capacityblocks/pricing/): the line and a note say it is indicative and name the fix.
    expect(e.lines[0]!.source).toMatch(/^indicative only: /);
    expect(e.notes).toContain(
      "capacity-block: 39.33 USD/instance-hour is the catalog's indicative rate as of 2024-12-31, not your block's price; give the offering's upfront fee ÷ (instances × hours) as contractUsdPerHour (aws ec2 describe-capacity-block-offerings quotes it)",
    );
    // With the quoted rate, the estimate uses it and drops the indicative note.
    const quoted = estimateCost({ cloud: "aws", region: "us-east-1", gpu: { model: "H100", nodes: 4 }, pricing: "capacity-block", reservationId: "cr-0123456789abcdef0", zone: "us-east-1a", hoursPerMonth: 336, contractUsdPerHour: 31.464 });
    // 4 × 336 h × $31.464 = 42,287.62
    expect(quoted.lines[0]).toMatchObject({ unitPriceUsd: 31.464, monthlyUsd: 42_287.62, source: expect.stringMatching(/contract/) });
    expect(quoted.notes.some((n) => n.includes("indicative rate"))).toBe(false);
  });

  it("prices CoreWeave spot with no egress, NAT or load balancer charges", () => {
    const e = estimateCost({ cloud: "coreweave", region: "US-EAST-04", gpu: { model: "H100", count: 16 }, pricing: "spot", egress: { internetTiBPerMonth: 5 } });
    // 2 nodes × 730 h × $19.71
    expect(e.lines[0]!.monthlyUsd).toBe(28_776.6);
    expect(e.monthlyUsd).toBe(28_776.6);
    expect(byCategory(e.lines, "network")).toEqual([]);
  });

  it("uses a contract price over the catalog and says so", () => {
    const e = estimateCost({ cloud: "coreweave", region: "US-EAST-04", gpu: { model: "H100", count: 64 }, pricing: "reserved-1y", contractUsdPerHour: 30 });
    expect(e.lines[0]).toMatchObject({ monthlyUsd: 8 * 730 * 30, source: expect.stringMatching(/contract/) });
  });

  it("scales compute with hoursPerMonth", () => {
    const e = estimateCost({ cloud: "aws", region: "us-east-1", gpu: { model: "H100", nodes: 1 }, hoursPerMonth: 100, egress: { natGateway: false } });
    expect(e.lines.find((l) => l.category === "compute")!.monthlyUsd).toBe(5504);
    // Without a NAT gateway the VM cluster gets 8 interface VPC endpoints in its one zone, and a ninth for the cluster
    // SSH key's Secrets Manager (a training cluster has the key with one node too): 9 × 730 h × 0.01 USD = 65.70;
    // the root volume lives as long as the node: 200 GiB × 100/730 month × $0.08 = 2.19; the key's secret $0.40 and
    // KMS key $1.00 a month. 5504 + 65.70 + 2.19 + 0.40 + 1.00 = 5573.29.
    expect(e.monthlyUsd).toBe(5573.29);
  });

  it("rejects an object that looks like a plan but is not one, with a SpecError", () => {
    expect(() => estimateCost({ instance: {}, placement: {} } as never)).toThrow(/plan: is not a complete Plan/);
  });

  it("accepts a plan as well as a spec, with the same result", () => {
    const spec: ClusterSpec = { cloud: "gcp", region: "us-east4", gpu: { model: "H100", count: 32 } };
    expect(estimateCost(planCluster(spec))).toEqual(estimateCost(spec));
  });
});

/**
 * What a new cluster adds besides its fee and system pool, by hand: the system nodes' disks — AWS 2 × 50 GiB gp3 ×
 * $0.08 = 8; GCP 3 × 50 GiB pd-balanced × $0.11 (us-east4's row) = 16.50, and Cloud NAT serving 3 more VMs (5 × 730 × $0.0014 = 5.11
 * against 2 × 730 × $0.0014 = 2.04); Azure none (the system and ND H100 v5 GPU nodes' OS disks are ephemeral on their temp
 * disks, aks/os-disk.ts), so less the VM nodes' 2 × P15 (256 GiB) × $38.01 = 76.02. And the secrets key: AWS 1 KMS key × $1
 * a key-month; GCP 1 Cloud KMS key version × $0.06 a month; AKS builds none. AKS's managed Prometheus: 16 GPUs × 27
 * DCGM series every 30 s for 730 h = 37,843,200 samples × $0.16 per 10M = 0.61 (EKS's and GKE's are not priced). Less
 * what the VM cluster has and the Kubernetes one not: GCP's SSH key in Secret Manager (1 version × $0.06 a month).
 */
const SYSTEM_EXTRAS = { aws: 8 + 1, gcp: 16.5 + (5.11 - 2.04) + 0.06 - 0.06, azure: -76.02 + 0.61 } as const;

describe("managed Kubernetes", () => {
  it("adds a new cluster's control plane fee and system node pool, every hour of the month, on EKS, GKE and AKS; none on CoreWeave", () => {
    // Hand-computed system pools: 2 × m7i.large × 730 h × $0.1008 = $147.17; 3 × e2-standard-4 × 730 h × $0.15094164
    // (us-east4) = $330.56; 2 × Standard_D4ds_v5 × 730 h × $0.226 = $329.96.
    const cases = [
      ["aws", "us-east-1", "m7i.large", 2, 0.1008, 147.17],
      ["gcp", "us-east4", "e2-standard-4", 3, 0.15094164, 330.56],
      ["azure", "eastus", "Standard_D4ds_v5", 2, 0.226, 329.96],
    ] as const;
    for (const [cloud, region, systemType, systemNodes, usdPerHour, systemMonthly] of cases) {
      const vm = estimateCost({ cloud, region, gpu: { model: "H100", count: 16 } });
      const k8s = estimateCost({ cloud, region, gpu: { model: "H100", count: 16 }, orchestrator: "kubernetes" });
      const cluster = k8s.lines.filter((l) => l.category === "cluster" && !/disks|KMS key|managed Prometheus/.test(l.description));
      expect(cluster.map((l) => l.description)).toEqual([expect.stringMatching(/control plane/), `system node pool: ${systemNodes} × ${systemType}, on-demand, 730 h`]);
      expect(cluster[0]).toMatchObject({ quantity: 730, unitPriceUsd: 0.1, monthlyUsd: 73 });
      expect(cluster[1]).toMatchObject({ quantity: systemNodes * 730, unitPriceUsd: usdPerHour, monthlyUsd: systemMonthly });
      expect(cluster[1]!.source).toMatch(/^https:\/\//);
      // A VM training cluster's SSH key (AWS: the secret $0.40 and its KMS key $1.00) is not built on Kubernetes, nor
      // the VM nodes' GPU metrics agent (Azure: 16 GPUs × 5 metrics × 43,800 samples = 3,504,000 × $0.16 / 10 M = $0.06).
      const vmOnly = cloud === "aws" ? 0.4 + 1 : cloud === "azure" ? 0.06 : 0;
      expect(k8s.monthlyUsd).toBe(Math.round((vm.monthlyUsd - vmOnly + 73 + systemMonthly + SYSTEM_EXTRAS[cloud]) * 100) / 100);
    }
    const coreweave = estimateCost({ cloud: "coreweave", region: "US-EAST-04", gpu: { model: "H100", count: 16 } });
    expect(coreweave.lines.some((l) => l.category === "cluster")).toBe(false);
  });

  it("adds nothing for an existing cluster, whose fee and system nodes are already paid", () => {
    const vm = estimateCost({ cloud: "aws", region: "us-east-1", gpu: { model: "H100", count: 16 } });
    const plan = planCluster({ cloud: "aws", region: "us-east-1", gpu: { model: "H100", count: 16 }, orchestrator: "kubernetes" });
    const existing = estimateCost({ ...plan, kubernetesCluster: "existing" as const });
    expect(existing.lines.some((l) => l.category === "cluster")).toBe(false);
    // The existing cluster's network is already there too: no NAT gateway hours (730 h × $0.045 = $32.85), no pulls
    // through it (2 × 50 GiB × $0.045 = $4.50), no Elastic IP (730 h × $0.005 = $3.65); and no VM cluster SSH key
    // (its secret $0.40 and KMS key $1.00).
    expect(existing.lines.some((l) => /NAT gateway \(1\)/.test(l.description))).toBe(false);
    expect(existing.monthlyUsd).toBe(Math.round((vm.monthlyUsd - 32.85 - 4.5 - 3.65 - 0.4 - 1) * 100) / 100);
  });
});

describe("lines the audit found missing", () => {
  it("an internal AKS fleet's load balancer is priced: AKS makes a Standard Load Balancer for the Service", () => {
    const fleet: FleetSpec = { cloud: "azure", region: "eastus", gpu: { model: "A100-80GB" }, replicas: { min: 2, max: 2 }, orchestrator: "kubernetes" };
    const e = estimateCost(fleet);
    // 730 h × $0.025, and 2 replicas × 100 GiB × $0.005 processed
    expect(e.lines.find((l) => /internal Standard Load Balancer/.test(l.description))).toMatchObject({ quantity: 730, unitPriceUsd: 0.025, monthlyUsd: 18.25 });
    expect(e.lines.find((l) => /data processed: 200 GiB served/.test(l.description))).toMatchObject({ quantity: 200, unitPriceUsd: 0.005, monthlyUsd: 1 });
    // No public IP for an internal one: the only address is the NAT gateway's, 730 h × $0.005.
    expect(e.lines.filter((l) => /public IPv4/.test(l.description)).map((l) => l.monthlyUsd)).toEqual([3.65]);
  });

  it("bills Cloud NAT per VM-hour up to 32 VMs, then the capped gateway rate", () => {
    const small = estimateCost({ cloud: "gcp", region: "us-central1", gpu: { model: "L4" }, replicas: { min: 4, max: 40 } });
    // 4 VMs × 730 h × $0.0014 = 4.088 → 4.09; at 40 VMs: the cap, 730 h × $0.044 = 32.12
    expect(small.lines.find((l) => /^Cloud NAT/.test(l.description))).toMatchObject({ quantity: 2920, unitPriceUsd: 0.0014, monthlyUsd: 4.09 });
    expect(small.worstCaseLines!.find((l) => /^Cloud NAT/.test(l.description))).toMatchObject({ quantity: 730, unitPriceUsd: 0.044, monthlyUsd: 32.12 });
    // the gateway's one auto-allocated address: 730 h × $0.005
    expect(small.lines.find((l) => /Cloud NAT's auto-allocated/.test(l.description))!.monthlyUsd).toBe(3.65);
  });

  it("prices inbound pulls through the NAT from egress.pulledTiBPerMonth, and refuses pulls with no NAT", () => {
    const e = estimateCost({ cloud: "azure", region: "eastus", gpu: { model: "H100", nodes: 2 }, egress: { pulledTiBPerMonth: 3 } });
    // 3 TiB = 3,072 GiB × $0.045
    expect(e.lines.find((l) => /inbound pulls/.test(l.description))).toMatchObject({ quantity: 3072, monthlyUsd: 138.24 });
    expect(e.notes.join(" ")).not.toMatch(/default 50 GiB per node/);
    expect(() => estimateCost({ cloud: "aws", region: "us-east-1", gpu: { model: "H100", nodes: 1 }, egress: { natGateway: false, pulledTiBPerMonth: 1 } })).toThrow(/egress\.pulledTiBPerMonth: pulls from the internet need a way out/);
  });

  it("refuses a traffic figure that is not a finite, non-negative number, naming the field", () => {
    const base = { cloud: "aws" as const, region: "us-east-1", gpu: { model: "H100" as const, nodes: 1 } };
    expect(() => estimateCost({ ...base, egress: { pulledTiBPerMonth: -1 } })).toThrow(/egress\.pulledTiBPerMonth/);
    expect(() => estimateCost({ ...base, egress: { servedTiBPerMonth: Number.POSITIVE_INFINITY } })).toThrow(/egress\.servedTiBPerMonth/);
    expect(() => estimateCost({ ...base, egress: { servedTiBPerMonth: "2" as never } })).toThrow(/egress\.servedTiBPerMonth/);
  });

  it("adds EKS extended support for a pinned version past standard support, and prices the cluster's secrets key", () => {
    const plan = planCluster({ cloud: "aws", region: "us-east-1", gpu: { model: "H100", nodes: 2 }, orchestrator: "kubernetes" });
    const old = estimateCost(plan, { eks: { kubernetesVersion: "1.32" } });
    // 1.32 left standard support 2026-03-23 and is in extended support until 2027-03-23 (EKS release calendar,
    // lib/clouds/aws/eks/support-calendar.ts): $0.60/h in all, $0.50 on top of the $0.10 control plane, 730 h
    expect(old.lines.find((l) => /extended support/.test(l.description))).toMatchObject({ quantity: 730, unitPriceUsd: 0.5, monthlyUsd: 365 });
    expect(estimateCost(plan).lines.some((l) => /extended support/.test(l.description))).toBe(false);
    // the secrets key: 1 customer managed key × $1 a key-month (infracost's kms_key_test.golden, us-east-1)
    expect(old.lines.find((l) => /^KMS key \(1\)/.test(l.description))).toMatchObject({ quantity: 1, unit: "key-month", unitPriceUsd: 1, monthlyUsd: 1 });
    expect(old.notes.join(" ")).not.toMatch(/not priced: KMS/);
  });

  it("prices a new GKE cluster's Cloud KMS secrets key per active key version, and no key for an existing cluster", () => {
    const fleet: FleetSpec = { cloud: "gcp", region: "us-central1", gpu: { model: "L4" }, replicas: { min: 1, max: 1 }, orchestrator: "kubernetes" };
    // 1 key × 1 version × $0.06 a version-month
    expect(estimateCost(fleet).lines.find((l) => /^Cloud KMS key \(1\)/.test(l.description))).toMatchObject({ quantity: 1, unitPriceUsd: 0.06, monthlyUsd: 0.06 });
    expect(estimateCost(fleet, { gke: { clusterName: "shared" } }).lines.some((l) => /KMS/.test(l.description))).toBe(false);
  });

  it("names the fees applied from the reference region, but not those whose source gives the plan's region the same figure", () => {
    const training = (cloud: Cloud, region: string, orchestrator?: "kubernetes") => estimateCost({ cloud, region, gpu: { model: "H100", nodes: 2 }, ...(orchestrator ? { orchestrator } : {}) });
    const regional = (e: ReturnType<typeof estimateCost>) => e.notes.filter((n) => /list prices \(lib\/catalog\/data\/fees\.ts\)/.test(n));
    // AWS public IPv4 is one rate everywhere: in us-east-2 the NAT gateway's and the root volumes' gp3 rates, and the SSH
    // key's secret and KMS key, are us-east-1's.
    expect(regional(training("aws", "us-east-2"))).toEqual(["NAT gateway, node disks, Secrets Manager secrets, KMS keys: us-east-1 list prices (lib/catalog/data/fees.ts), applied to us-east-2"]);
    expect(regional(training("aws", "us-east-1"))).toEqual([]);
    // GKE in us-east4: pd-balanced has us-east4's own row ($0.11, against us-central1's $0.10), so the boot disks are
    // priced there and left out of the note, and so are Cloud NAT and its address (one price in every region of the
    // pricing.yml capture); the secrets key is us-central1's figure.
    const gkeEstimate = training("gcp", "us-east4", "kubernetes");
    expect(gkeEstimate.lines.find((l) => /^system node boot disks: 3 × 50 GiB/.test(l.description))).toMatchObject({ quantity: 150, unitPriceUsd: 0.11, monthlyUsd: 16.5 });
    const gke = regional(gkeEstimate);
    expect(gke).toEqual(["KMS keys: us-central1 list prices (lib/catalog/data/fees.ts), applied to us-east4"]);
  });

  it("names a fee whose figure was read outside the reference region wherever it is applied, and not in that region", () => {
    // AKS's managed Prometheus is priced at West Europe's figure (AZURE_FEES.prometheusSamples.readIn).
    const aks = (region: string) => estimateCost({ cloud: "azure", region, gpu: { model: "H100", count: 16 }, orchestrator: "kubernetes" }).notes.filter((n) => n.includes("list prices (lib/catalog/data/fees.ts)"));
    expect(aks("eastus")).toEqual(["metric samples ingested: westeurope list prices (lib/catalog/data/fees.ts), applied to eastus"]);
    expect(aks("westeurope").join("\n")).not.toContain("metric samples ingested");
  });

  it("bills AKS's managed-Prometheus samples for the hours the GPU nodes run", () => {
    // 2 nodes × 8 GPUs × 27 DCGM series = 432, scraped every 30 s for 200 h (24,000 scrapes) = 10,368,000 samples,
    // 1.0368 × 10M × $0.16 = $0.17.
    const e = estimateCost({ cloud: "azure", region: "eastus", gpu: { model: "H100", count: 16 }, orchestrator: "kubernetes", hoursPerMonth: 200 });
    expect(e.lines.find((l) => l.description.startsWith("Azure Monitor managed Prometheus"))).toMatchObject({
      description: "Azure Monitor managed Prometheus, samples ingested (432 series every 30 s: 16 GPUs × 27 DCGM fields), 200 h",
      quantity: 1.0368,
      monthlyUsd: 0.17,
    });
  });

  it("names the Capacity Block operating-system fee it cannot price", () => {
    const e = estimateCost({ cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 1 }, pricing: "capacity-block", reservationId: "cr-0123456789abcdef0", zone: "us-east-1a" } as never);
    expect(e.notes.join(" ")).toMatch(/not priced: the Capacity Block operating-system fee .*whether its Linux\/UNIX row is a rate or \$0 is not in any dated first-party capture found \(searched 2026-11-30; lib\/cost\/bom\/aws-vm.ts lists where\)/);
  });

  it("names the overwritten and deleted objects a bucket keeps, for the days the compilers keep them", () => {
    // S3: a guarded bucket is versioned and its noncurrent versions expire after 30 days (lib/clouds/aws/storage.ts);
    // Cloud Storage: soft delete, 7 days, Google's default on any bucket; Azure: a guarded account's blob soft delete, 7 days.
    const kept = (cloud: string, region: string, gpu: object, deletionProtection?: boolean) =>
      estimateCost({ cloud, region, gpu, storage: [{ kind: "object", capacityTiB: 1, name: "ckpt", ...(deletionProtection === undefined ? {} : { deletionProtection }) }] } as never).notes.find((n) => n.includes("objects overwritten or deleted in storage 'ckpt'"));
    const aws = { instanceType: "p5.48xlarge", nodes: 1 };
    expect(kept("aws", "us-east-1", aws)).toBe(
      "not priced: objects overwritten or deleted in storage 'ckpt', kept 30 days (S3 versioning keeps them as noncurrent versions until they expire) (billed at the bucket's storage rate while kept; the spec states what is kept live, storage[].capacityTiB, not how much is overwritten or deleted a month)",
    );
    expect(kept("aws", "us-east-1", aws, false)).toBeUndefined();
    expect(kept("gcp", "us-central1", { instanceType: "a3-megagpu-8g", nodes: 1 }, false)).toContain("kept 7 days (Cloud Storage soft delete)");
    expect(kept("azure", "eastus", { instanceType: "Standard_ND96isr_H100_v5", nodes: 1 })).toContain("kept 7 days (blob soft delete)");
  });

  it("prices an internet-facing ALB's address in each of the user's public subnets, in their own VPC", () => {
    // The ALB is placed in every aws.publicSubnetIds subnet (lib/clouds/aws/inference.ts), one node and address a zone.
    const spec = { cloud: "aws", region: "us-east-1", gpu: { model: "L4" }, replicas: { min: 1, max: 1 }, loadBalancer: "internet-facing" } as never;
    const options = { vpcId: "vpc-1", subnetIds: ["subnet-a", "subnet-b"], publicSubnetIds: ["subnet-p1", "subnet-p2", "subnet-p3"], certificateArn: "arn:aws:acm:us-east-1:000000000000:certificate/x" };
    const ip = estimateCost(spec, options).lines.find((l) => l.description.startsWith("public IPv4 (3): the internet-facing ALB's addresses"));
    // 3 × 730 h × $0.005 = $10.95.
    expect(ip).toMatchObject({ quantity: 2190, unitPriceUsd: 0.005, monthlyUsd: 10.95 });
  });

  it("prices an internet-facing ALB's addresses and its capacity units from egress.servedTiBPerMonth", () => {
    const e = estimateCost({ cloud: "aws", region: "us-east-1", gpu: { model: "L4" }, replicas: { min: 1, max: 1 }, loadBalancer: "internet-facing", egress: { servedTiBPerMonth: 2 } });
    // 2 TiB = 2,048 GiB = 2,048 LCU-hours × $0.008; two ALB addresses + the NAT's: 3 × 730 h × $0.005
    expect(e.lines.find((l) => /ALB capacity units/.test(l.description))).toMatchObject({ quantity: 2048, monthlyUsd: 16.38 });
    expect(e.lines.filter((l) => /public IPv4/.test(l.description)).map((l) => l.quantity)).toEqual([730, 1460]);
  });

  it("prices EFS Elastic throughput requests: the stored data read and written once a month", () => {
    const e = estimateCost({ cloud: "aws", region: "us-east-1", gpu: { model: "H100", nodes: 1 }, storage: [{ kind: "nfs", capacityTiB: 1, mountPath: "/home" }] });
    // 1,024 GiB read × $0.03 = 30.72; written × $0.06 = 61.44
    expect(e.lines.filter((l) => /EFS Elastic throughput/.test(l.description)).map((l) => l.monthlyUsd)).toEqual([30.72, 61.44]);
    // guarded (the default): AWS Backup keeps a full copy, 1,024 GiB × $0.05 warm storage = 51.20; unguarded: none
    expect(e.lines.find((l) => /EFS backups/.test(l.description))).toMatchObject({ quantity: 1024, unitPriceUsd: 0.05, monthlyUsd: 51.2 });
    const unguarded = estimateCost({ cloud: "aws", region: "us-east-1", gpu: { model: "H100", nodes: 1 }, storage: [{ kind: "nfs", capacityTiB: 1, mountPath: "/home", deletionProtection: false }] });
    expect(unguarded.lines.some((l) => /EFS backups/.test(l.description))).toBe(false);
  });

  it("states what it leaves out", () => {
    const e = estimateCost({ cloud: "coreweave", region: "US-EAST-04", gpu: { model: "H100", nodes: 1 } });
    expect(e.notIncluded).toEqual(expect.arrayContaining(["support plans", "taxes"]));
    expect(e.notes.at(-1)).toMatch(/^not included: support plans; taxes/);
  });
});

describe("internet egress an internet-facing fleet serves", () => {
  const egressOf = (e: { lines: { category: string; quantity: number; unitPriceUsd: number; monthlyUsd: number }[] }) =>
    e.lines.filter((l) => l.category === "egress").map((l) => [l.quantity, l.unitPriceUsd, l.monthlyUsd]);
  const fleet = (cloud: Cloud, region: string, model: string, orchestrator: "vm" | "kubernetes", loadBalancer: "internal" | "internet-facing", egress: object = { servedTiBPerMonth: 10 }): FleetSpec =>
    ({ cloud, region, gpu: { model }, replicas: { min: 1, max: 1 }, orchestrator, loadBalancer, egress }) as FleetSpec;

  // 10 TiB served = 10,240 GiB, on each cloud's catalog tiers (lib/catalog/data/<cloud>.ts):
  // AWS $0.09 for the first 10 TiB: 10,240 × 0.09 = 921.60 (ALB on VMs, NLB on EKS);
  // GCP Premium Tier $0.12 for the first TiB, $0.11 to 10 TiB: 1,024 × 0.12 = 122.88, 9,216 × 0.11 = 1,013.76;
  // Azure $0.087 for the first 10 TiB: 10,240 × 0.087 = 890.88 (the Application Gateway, VM and AKS alike);
  // CoreWeave: free egress, 10,240 × $0 = 0 (a line, so the bill shows it was priced).
  it.each([
    ["AWS VMs (ALB)", "aws", "us-east-1", "L4", "vm", [[10_240, 0.09, 921.6]]],
    ["EKS (NLB)", "aws", "us-east-1", "L4", "kubernetes", [[10_240, 0.09, 921.6]]],
    ["GCP VMs (global external ALB)", "gcp", "us-central1", "L4", "vm", [[1024, 0.12, 122.88], [9216, 0.11, 1013.76]]],
    ["GKE (Gateway's global external ALB)", "gcp", "us-central1", "L4", "kubernetes", [[1024, 0.12, 122.88], [9216, 0.11, 1013.76]]],
    ["Azure VMs (Application Gateway)", "azure", "eastus", "A100-80GB", "vm", [[10_240, 0.087, 890.88]]],
    ["AKS (Application Gateway)", "azure", "eastus", "A100-80GB", "kubernetes", [[10_240, 0.087, 890.88]]],
    ["CoreWeave (LoadBalancer Service)", "coreweave", "US-EAST-04", "L40S", "kubernetes", [[10_240, 0, 0]]],
  ] as const)("%s: 10 TiB served is priced as internet egress; an internal fleet sends none", (_name, cloud, region, model, orchestrator, expected) => {
    const open = estimateCost(fleet(cloud, region, model, orchestrator, "internet-facing"));
    expect(egressOf(open)).toEqual(expected);
    expect(open.lines.filter((l) => l.category === "egress").every((l) => / \(10240 GiB served by the internet-facing load balancer\)$/.test(l.description))).toBe(true);
    // The same fleet, internal: its traffic stays in the network, so it has no egress line.
    const internal = estimateCost(fleet(cloud, region, model, orchestrator, "internal"));
    expect(egressOf(internal)).toEqual([]);
  });

  it("adds the egress line to the total, and nothing else changes", () => {
    const spec = fleet("aws", "us-east-1", "L4", "vm", "internet-facing");
    const e = estimateCost(spec);
    expect(e.monthlyUsd).toBe(roundCents(e.lines.filter((l) => l.category !== "egress").reduce((a, l) => a + l.monthlyUsd, 0) + 921.6));
  });

  it("tiers the sum of the nodes' internet egress and the served traffic, as the cloud bills a month's egress together", () => {
    // 5 TiB through the NAT + 10 TiB served = 15 TiB: 10 TiB × $0.09 = 921.60, the next 5 TiB × $0.085 = 435.20.
    const e = estimateCost(fleet("aws", "us-east-1", "L4", "vm", "internet-facing", { servedTiBPerMonth: 10, internetTiBPerMonth: 5 }));
    expect(egressOf(e)).toEqual([[10_240, 0.09, 921.6], [5120, 0.085, 435.2]]);
    expect(e.lines.find((l) => l.category === "egress")!.description).toBe(
      "internet egress 0–10 TiB tier (of 15360 GiB a month: 5120 GiB from the nodes, 10240 GiB served by the internet-facing load balancer)",
    );
    // The NAT still processes only the nodes' 5 TiB: the served responses leave through the load balancer.
    expect(e.lines.find((l) => l.description === "NAT data processed (internet egress)")).toMatchObject({ quantity: 5120 });
  });

  it("scales with the per-replica default: 100 GiB per replica at replicas.min and at replicas.max", () => {
    const e = estimateCost({ cloud: "azure", region: "eastus", gpu: { model: "A100-80GB" }, replicas: { min: 2, max: 10 }, loadBalancer: "internet-facing" });
    // 2 × 100 GiB × $0.087 = 17.40; 10 × 100 GiB × $0.087 = 87.00
    expect(egressOf(e)).toEqual([[200, 0.087, 17.4]]);
    expect(egressOf({ lines: e.worstCaseLines! })).toEqual([[1000, 0.087, 87]]);
    expect(e.notes).toContain("load balancer usage and the internet egress it serves priced at the default 100 GiB per replica a month; state egress.servedTiBPerMonth to change it");
  });
});

describe("egress tiers", () => {
  it("splits 200 TiB across AWS's four tiers", () => {
    const split = splitIntoTiers(200 * 1024, catalog.egressTiers("aws"));
    expect(split.map((s) => s.gib / 1024)).toEqual([10, 40, 100, 50]);
    expect(split.map((s) => s.tier.usdPerGiB)).toEqual([0.09, 0.085, 0.07, 0.05]);
  });

  it("charges nothing for zero egress", () => {
    expect(splitIntoTiers(0, catalog.egressTiers("aws"))).toEqual([]);
  });
});

describe("renderers", () => {
  const e = estimateCost({ cloud: "aws", region: "us-east-1", gpu: { model: "H100", count: 16 }, budget: { monthlyUsd: 10_000, onExceed: "fail" } });

  it("text: a table with the total and the verdict", () => {
    const text = renderText(e);
    expect(text).toContain("2 × p5.48xlarge");
    // 2 × 730 × 55.04 = 80,358.40 + root volumes 2 × 200 × 0.08 = 32 + NAT 32.85 + pulls 100 GiB × 0.045 = 4.50 + IP 3.65
    // + the SSH key's secret 0.40 and KMS key 1.00
    expect(text).toContain("$80,432.80");
    expect(text).toMatch(/OVER BUDGET \(fail\): \$80,432\.80\/month exceeds \$10,000\.00 by \$70,432\.80/);
    expect(text).toMatch(/note: not included: support plans; taxes;/);
  });

  it("markdown: a PR-comment table with sources", () => {
    const md = renderMarkdown(e);
    expect(md).toContain("| compute | 2 × p5.48xlarge (16 × H100), on-demand, 730 h | 1,460 instance-hour | $55.04 | $80,358.40 |");
    expect(md).toContain("❌");
    expect(md).toContain("<summary>price sources</summary>");
  });

  it("json: the estimate itself", () => {
    expect(JSON.parse(renderJson(e))).toEqual(e);
  });
});

/**
 * Every example's bill, recomputed by hand to the cent from the catalog's rows (instance prices, storage tiers, egress
 * tiers, network and Kubernetes rows, and the fee rows of lib/catalog/data/fees.ts): each line is written out below as
 * quantity × the row's price, rounded to the cent, never taken from the estimate's code. The estimate of the compiled
 * example must have exactly these lines and their sum, so its total includes the disks, addresses, NAT pulls,
 * cross-zone traffic, load balancer usage and cluster lines of each.
 */
describe("every example's bill, recomputed from the catalog rows", () => {
  const od = (cloud: Cloud, instanceType: string, region: string) => catalog.priceRow({ cloud, instanceType, region, pricing: "on-demand" })!.usdPerHour;
  const tier = (cloud: Cloud, kind: StorageKind, region: string, name?: string) =>
    catalog.storageTiers(cloud, kind, region).find((t) => (name === undefined ? t.isDefault : t.tier === name))!.usdPerGiBMonth!;
  const egress = (cloud: Cloud, i: number) => catalog.egressTiers(cloud)[i]!.usdPerGiB;
  const net = (cloud: Cloud) => catalog.networkPrices(cloud);
  const k8s = (cloud: Cloud) => catalog.cloudCatalog(cloud).kubernetes!;
  const gp3 = NODE_DISK_FEES.aws.gp3 as { usdPerGiBMonth: number };
  const pdBalanced = NODE_DISK_FEES.gcp["pd-balanced"] as { usdPerGiBMonth: number };
  const premium = (name: string) => (NODE_DISK_FEES.azure.Premium_LRS as { sizes: { name: string; usdPerMonth: number }[] }).sizes.find((s) => s.name === name)!.usdPerMonth;
  const H = 730;

  // Each line: the description the estimate must give it, and its amount, computed here from the catalog's rows.
  const EXPECTED: Record<string, () => [string, number][]> = {
    "aws-h100-training": () => [
      ["32 × p5.48xlarge (256 × H100), on-demand, 730 h", 32 * H * od("aws", "p5.48xlarge", "us-east-1")],
      // 120 TiB on FSx's scale = 120,000 GiB (50 steps of 2,400 GiB)
      ["FSx for Lustre PERSISTENT_2 SSD 125 MB/s/TiB, 120000 GiB (lustre /data)", 120_000 * tier("aws", "lustre", "us-east-1")],
      ["Amazon S3 Standard (first 50 TB/month), 51200 GiB (bucket)", 51_200 * tier("aws", "object", "us-east-1")],
      ["GPU node root disks: 32 × 200 GiB Amazon EBS gp3, 730 h", 32 * 200 * gp3.usdPerGiBMonth],
      ["internet egress 0–10 TiB tier", 10_240 * egress("aws", 0)],
      ["internet egress 10–50 TiB tier", 10_240 * egress("aws", 1)],
      ["NAT gateway (1), 730 h", H * net("aws").natGatewayUsdPerHour],
      ["NAT data processed (internet egress)", 20_480 * net("aws").natGatewayUsdPerGiB],
      ["NAT data processed (inbound pulls: images, datasets, models)", 32 * 50 * net("aws").natGatewayUsdPerGiB], // 50 GiB per node
      ["public IPv4 (1): the NAT gateway's Elastic IP, 730 h", H * AWS_FEES.publicIpv4.usd],
      ["Secrets Manager secret (1): the cluster's SSH key", 1 * AWS_FEES.secretsManagerSecret.usd], // one secret-month
      ["KMS key (1): the SSH key's secret (rotated yearly); first year (each of the first two rotations adds $1/month)", 1 * AWS_FEES.kmsKey.usd], // one key-month
    ],
    "aws-l4-inference": () => [
      ["2 × g6.xlarge (2 × L4), on-demand, 730 h", 2 * H * od("aws", "g6.xlarge", "us-east-1")],
      ["GPU node root disks: 2 × 200 GiB Amazon EBS gp3, 730 h", 2 * 200 * gp3.usdPerGiBMonth],
      ["internet egress 0–10 TiB tier", 2048 * egress("aws", 0)],
      ["NAT gateway (1), 730 h", H * net("aws").natGatewayUsdPerHour],
      ["NAT data processed (internet egress)", 2048 * net("aws").natGatewayUsdPerGiB],
      ["NAT data processed (inbound pulls: images, datasets, models)", 2 * 50 * net("aws").natGatewayUsdPerGiB],
      ["public IPv4 (1): the NAT gateway's Elastic IP, 730 h", H * AWS_FEES.publicIpv4.usd],
      // half the nodes in the NAT's other zone
      ["cross-zone traffic via the NAT gateway (50% of it: one NAT gateway, GPU nodes spread over 2 zones), $0.01/GiB each side", ((2048 + 100) / 2) * 2 * AWS_FEES.crossZonePerGiBEachWay.usd],
      ["internal Application Load Balancer (1), 730 h", H * net("aws").loadBalancerUsdPerHour],
      ["ALB capacity units (1 per GiB): 200 GiB served a month", 2 * 100 * AWS_FEES.albLcu.usd], // 100 GiB per replica = LCU-hours
    ],
    "eks-p5-training": () => [
      ["16 × p5.48xlarge (128 × H100), on-demand, 730 h", 16 * H * od("aws", "p5.48xlarge", "us-east-1")],
      ["Amazon S3 Standard (first 50 TB/month), 20480 GiB (bucket)", 20_480 * tier("aws", "object", "us-east-1")],
      ["system node root disks: 2 × 50 GiB Amazon EBS gp3, 730 h", 2 * 50 * gp3.usdPerGiBMonth],
      ["GPU node root disks: 16 × 200 GiB Amazon EBS gp3, 730 h", 16 * 200 * gp3.usdPerGiBMonth],
      ["NAT gateway (1), 730 h", H * net("aws").natGatewayUsdPerHour],
      ["NAT data processed (inbound pulls: images, datasets, models)", 16 * 50 * net("aws").natGatewayUsdPerGiB],
      ["public IPv4 (1): the NAT gateway's Elastic IP, 730 h", H * AWS_FEES.publicIpv4.usd],
      ["Amazon EKS (standard support) control plane (1 cluster), 730 h", H * k8s("aws").controlPlaneUsdPerHour],
      ["system node pool: 2 × m7i.large, on-demand, 730 h", 2 * H * k8s("aws").systemNodes.usdPerHour["us-east-1"]!],
      // the secrets key, one key-month
      ["KMS key (1): the cluster's secrets key (customer managed, rotated yearly); first year (each of the first two rotations adds $1/month)", 1 * AWS_FEES.kmsKey.usd],
    ],
    "gcp-a3mega-training": () => [
      ["16 × a3-megagpu-8g (128 × H100), on-demand, 730 h", 16 * H * od("gcp", "a3-megagpu-8g", "us-central1")],
      ["Managed Lustre 1000 MB/s/TiB, 45000 GiB (lustre /data)", 45_000 * tier("gcp", "lustre", "us-central1")],
      ["Cloud Storage Standard (regional), 51200 GiB (bucket)", 51_200 * tier("gcp", "object", "us-central1")],
      ["GPU node boot disks: 16 × 300 GiB Persistent Disk pd-balanced, 730 h", 16 * 300 * pdBalanced.usdPerGiBMonth], // the example's 300 GiB boot disks
      ["internet egress 0–1 TiB tier", 1024 * egress("gcp", 0)],
      ["internet egress 1–10 TiB tier", 4096 * egress("gcp", 1)],
      ["Cloud NAT: 16 VMs served × 730 h", 16 * H * GCP_FEES.cloudNatPerVmHour.usd], // 16 VMs, under the 32-VM cap
      ["NAT data processed (internet egress)", 5120 * GCP_FEES.cloudNatDataPerGiB.usd],
      ["NAT data processed (inbound pulls: images, datasets, models)", 16 * 50 * GCP_FEES.cloudNatDataPerGiB.usd],
      ["public IPv4 (1): Cloud NAT's auto-allocated external addresses, 730 h", H * GCP_FEES.cloudNatIp.usd],
      ["Secret Manager secret (1): the cluster's SSH key, 1 version in 1 location(s)", GCP_FEES.secretVersion.usd],
    ],
    "gcp-l4-inference": () => [
      ["2 × g2-standard-4 (2 × L4), on-demand, 730 h", 2 * H * od("gcp", "g2-standard-4", "us-central1")],
      ["GPU node boot disks: 2 × 200 GiB Persistent Disk pd-balanced, 730 h", 2 * 200 * pdBalanced.usdPerGiBMonth],
      ["internet egress 0–1 TiB tier", 1024 * egress("gcp", 0)],
      ["internet egress 1–10 TiB tier", 1024 * egress("gcp", 1)],
      ["Cloud NAT: 2 VMs served × 730 h", 2 * H * GCP_FEES.cloudNatPerVmHour.usd],
      ["NAT data processed (internet egress)", 2048 * GCP_FEES.cloudNatDataPerGiB.usd],
      ["NAT data processed (inbound pulls: images, datasets, models)", 2 * 50 * GCP_FEES.cloudNatDataPerGiB.usd],
      ["public IPv4 (1): Cloud NAT's auto-allocated external addresses, 730 h", H * GCP_FEES.cloudNatIp.usd],
      ["internal regional Application Load Balancer (1), 730 h", H * net("gcp").loadBalancerUsdPerHour],
      ["load balancer data processed: 200 GiB served a month", 2 * 100 * GCP_FEES.lbDataPerGiB.usd],
    ],
    "gke-a3mega-training": () => [
      ["16 × a3-megagpu-8g (128 × H100), on-demand, 730 h", 16 * H * od("gcp", "a3-megagpu-8g", "us-central1")],
      ["Cloud Storage Standard (regional), 20480 GiB (bucket)", 20_480 * tier("gcp", "object", "us-central1")],
      ["system node boot disks: 3 × 50 GiB Persistent Disk pd-balanced, 730 h", 3 * 50 * pdBalanced.usdPerGiBMonth],
      ["GPU node boot disks: 16 × 200 GiB Persistent Disk pd-balanced, 730 h", 16 * 200 * pdBalanced.usdPerGiBMonth],
      ["Cloud NAT: 19 VMs served × 730 h", (16 + 3) * H * GCP_FEES.cloudNatPerVmHour.usd], // the system nodes use the NAT too
      ["NAT data processed (inbound pulls: images, datasets, models)", 16 * 50 * GCP_FEES.cloudNatDataPerGiB.usd],
      ["public IPv4 (1): Cloud NAT's auto-allocated external addresses, 730 h", H * GCP_FEES.cloudNatIp.usd],
      ["GKE Standard edition cluster management fee control plane (1 cluster), 730 h", H * k8s("gcp").controlPlaneUsdPerHour],
      ["system node pool: 3 × e2-standard-4, on-demand, 730 h", 3 * H * k8s("gcp").systemNodes.usdPerHour["us-central1"]!],
      // the secrets key, one active version-month
      ["Cloud KMS key (1): the cluster's secrets key (software, rotated every 90 days); 1 active version each, one more per rotation", 1 * GCP_FEES.kmsKeyVersion.usd],
    ],
    "azure-a100-inference": () => [
      ["2 × Standard_NC24ads_A100_v4 (2 × A100-80GB), on-demand, 730 h", 2 * H * od("azure", "Standard_NC24ads_A100_v4", "eastus")],
      ["GPU node OS disks: 2 × P15 (256 GiB) Azure Premium SSD LRS managed disk, 730 h", 2 * premium("P15")], // 256 GiB OS disks
      ["internet egress 0–10 TiB tier", 1024 * egress("azure", 0)],
      ["NAT gateway (1), 730 h", H * net("azure").natGatewayUsdPerHour],
      ["NAT data processed (internet egress)", 1024 * net("azure").natGatewayUsdPerGiB],
      ["NAT data processed (inbound pulls: images, datasets, models)", 2 * 50 * net("azure").natGatewayUsdPerGiB],
      ["public IPv4 (1): the NAT gateway's Standard public IP, 730 h", H * AZURE_FEES.publicIp.usd],
      ["internal Standard Load Balancer (1), 730 h", H * net("azure").loadBalancerUsdPerHour],
      ["load balancer data processed: 200 GiB served a month", 2 * 100 * AZURE_FEES.lbDataPerGiB.usd],
      // The replicas' GPU metrics (Telegraf → Azure Monitor custom metrics): 2 GPUs × 5 metrics × 60 × 730 samples.
      ["Azure Monitor custom metrics, the nodes' GPU metrics (10 series: 2 GPUs × 5 metrics, one sample every 60 s), 730 h", (2 * 5 * 60 * 730 / 1e7) * AZURE_FEES.prometheusSamples.usd],
    ],
    "azure-ndv5-training": () => [
      ["16 × Standard_ND96isr_H100_v5 (128 × H100), on-demand, 730 h", 16 * H * od("azure", "Standard_ND96isr_H100_v5", "eastus")],
      ["Azure NetApp Files Premium service level (capacity pool), 20480 GiB (nfs /shared)", 20_480 * tier("azure", "nfs", "eastus")],
      ["Azure Blob Storage Hot LRS (General Purpose v2), first 50 TB/month, 51200 GiB (bucket)", 51_200 * tier("azure", "object", "eastus")],
      ["GPU node OS disks: 16 × P15 (256 GiB) Azure Premium SSD LRS managed disk, 730 h", 16 * premium("P15")],
      ["internet egress 0–10 TiB tier", 5120 * egress("azure", 0)],
      ["NAT gateway (1), 730 h", H * net("azure").natGatewayUsdPerHour],
      ["NAT data processed (internet egress)", 5120 * net("azure").natGatewayUsdPerGiB],
      ["NAT data processed (inbound pulls: images, datasets, models)", 16 * 50 * net("azure").natGatewayUsdPerGiB],
      ["public IPv4 (1): the NAT gateway's Standard public IP, 730 h", H * AZURE_FEES.publicIp.usd],
      // The cluster key's Key Vault reads: one per node boot, $0.03 per 10,000 (rounds to $0.00).
      ["Key Vault secret (1): the cluster's SSH key; 16 reads a month (one per node boot)", (16 / 10_000) * AZURE_FEES.keyVaultSecretOperations.usd],
      // The nodes' GPU metrics: 128 GPUs × 5 metrics × 60 × 730 = 28,032,000 samples.
      ["Azure Monitor custom metrics, the nodes' GPU metrics (640 series: 128 GPUs × 5 metrics, one sample every 60 s), 730 h", (128 * 5 * 60 * 730 / 1e7) * AZURE_FEES.prometheusSamples.usd],
    ],
    "aks-ndv5-training": () => [
      ["16 × Standard_ND96isr_H100_v5 (128 × H100), on-demand, 730 h", 16 * H * od("azure", "Standard_ND96isr_H100_v5", "eastus")],
      // No OS disk lines: the system nodes' (Standard_D4ds_v5, 128 GiB on its 150 GiB temp disk) and the GPU nodes'
      // (ND H100 v5, 1,024 GiB temp disk) are ephemeral (aks/os-disk.ts).
      ["internet egress 0–10 TiB tier", 5120 * egress("azure", 0)],
      ["NAT gateway (1), 730 h", H * net("azure").natGatewayUsdPerHour],
      ["NAT data processed (internet egress)", 5120 * net("azure").natGatewayUsdPerGiB],
      ["NAT data processed (inbound pulls: images, datasets, models)", 16 * 50 * net("azure").natGatewayUsdPerGiB],
      ["public IPv4 (1): the NAT gateway's Standard public IP, 730 h", H * AZURE_FEES.publicIp.usd],
      ["AKS Standard tier control plane (1 cluster), 730 h", H * k8s("azure").controlPlaneUsdPerHour],
      ["system node pool: 2 × Standard_D4ds_v5, on-demand, 730 h", 2 * H * k8s("azure").systemNodes.usdPerHour.eastus!],
      // Managed Prometheus: 128 GPUs × 27 DCGM series, every 30 s for 730 h (87,600 scrapes) = 302,745,600 samples,
      // per 10M samples.
      ["Azure Monitor managed Prometheus, samples ingested (3456 series every 30 s: 128 GPUs × 27 DCGM fields), 730 h", ((128 * 27 * 87_600) / 10_000_000) * AZURE_FEES.prometheusSamples.usd],
    ],
    "coreweave-h100-training": () => [
      ["8 × gd-8xh100ib-i128 (64 × H100), on-demand, 730 h", 8 * H * od("coreweave", "gd-8xh100ib-i128", "US-EAST-04")],
      ["CoreWeave Distributed File Storage (the shared file system; nfs maps to it), 20480 GiB (nfs /data)", 20_480 * tier("coreweave", "nfs", "US-EAST-04")],
      ["CoreWeave AI Object Storage, Hot, 102400 GiB (bucket)", 102_400 * tier("coreweave", "object", "US-EAST-04")],
    ],
    "coreweave-inference": () => [
      ["1 × gd-8xl40s-i128 (8 × L40S), on-demand, 730 h", 1 * H * od("coreweave", "gd-8xl40s-i128", "US-EAST-04")],
      ["CoreWeave Distributed File Storage (the shared file system; nfs maps to it), 2048 GiB (nfs /models)", 2048 * tier("coreweave", "nfs", "US-EAST-04")],
    ],
    // The repo-root quickstart (index.ts; examples/other-languages/python-h100-training passes the same args).
    quickstart: () => [
      ["4 × p5.48xlarge (32 × H100), on-demand, 730 h", 4 * H * od("aws", "p5.48xlarge", "us-east-1")],
      // 4.8 TiB on FSx's scale = 4,800 GiB (two steps of 2,400 GiB), the default PERSISTENT_2 125 tier
      ["FSx for Lustre PERSISTENT_2 SSD 125 MB/s/TiB, 4800 GiB (lustre /data)", 4800 * tier("aws", "lustre", "us-east-1")],
      ["GPU node root disks: 4 × 200 GiB Amazon EBS gp3, 730 h", 4 * 200 * gp3.usdPerGiBMonth],
      ["internet egress 0–10 TiB tier", 5120 * egress("aws", 0)], // 5 TiB, all in the first tier
      ["NAT gateway (1), 730 h", H * net("aws").natGatewayUsdPerHour],
      ["NAT data processed (internet egress)", 5120 * net("aws").natGatewayUsdPerGiB],
      ["NAT data processed (inbound pulls: images, datasets, models)", 4 * 50 * net("aws").natGatewayUsdPerGiB], // 50 GiB per node
      ["public IPv4 (1): the NAT gateway's Elastic IP, 730 h", H * AWS_FEES.publicIpv4.usd],
      ["KMS key (1): the SSH key's secret (rotated yearly); first year (each of the first two rotations adds $1/month)", 1 * AWS_FEES.kmsKey.usd],
      ["Secrets Manager secret (1): the cluster's SSH key", 1 * AWS_FEES.secretsManagerSecret.usd],
    ],
  };
  // A fleet's worst case (the budget's figure): every line at replicas.max. What scales with the nodes (compute, their
  // disks, pulls, Cloud NAT's VM-hours, the cross-zone share, the served traffic at 100 GiB per replica, Azure's GPU
  // metrics) moves; the rest (egress, the NAT's hours, the balancer's hours, addresses, storage) does not.
  const WORST_CASE: Record<string, () => [string, number][]> = {
    "aws-l4-inference": () => [
      ["16 × g6.xlarge (16 × L4), on-demand, 730 h", 16 * H * od("aws", "g6.xlarge", "us-east-1")],
      ["GPU node root disks: 16 × 200 GiB Amazon EBS gp3, 730 h", 16 * 200 * gp3.usdPerGiBMonth],
      ["internet egress 0–10 TiB tier", 2048 * egress("aws", 0)],
      ["NAT gateway (1), 730 h", H * net("aws").natGatewayUsdPerHour],
      ["NAT data processed (internet egress)", 2048 * net("aws").natGatewayUsdPerGiB],
      ["NAT data processed (inbound pulls: images, datasets, models)", 16 * 50 * net("aws").natGatewayUsdPerGiB],
      ["public IPv4 (1): the NAT gateway's Elastic IP, 730 h", H * AWS_FEES.publicIpv4.usd],
      ["cross-zone traffic via the NAT gateway (50% of it: one NAT gateway, GPU nodes spread over 2 zones), $0.01/GiB each side", ((2048 + 800) / 2) * 2 * AWS_FEES.crossZonePerGiBEachWay.usd],
      ["internal Application Load Balancer (1), 730 h", H * net("aws").loadBalancerUsdPerHour],
      ["ALB capacity units (1 per GiB): 1600 GiB served a month", 16 * 100 * AWS_FEES.albLcu.usd],
    ],
    "gcp-l4-inference": () => [
      ["16 × g2-standard-4 (16 × L4), on-demand, 730 h", 16 * H * od("gcp", "g2-standard-4", "us-central1")],
      ["GPU node boot disks: 16 × 200 GiB Persistent Disk pd-balanced, 730 h", 16 * 200 * pdBalanced.usdPerGiBMonth],
      ["internet egress 0–1 TiB tier", 1024 * egress("gcp", 0)],
      ["internet egress 1–10 TiB tier", 1024 * egress("gcp", 1)],
      ["Cloud NAT: 16 VMs served × 730 h", 16 * H * GCP_FEES.cloudNatPerVmHour.usd],
      ["NAT data processed (internet egress)", 2048 * GCP_FEES.cloudNatDataPerGiB.usd],
      ["NAT data processed (inbound pulls: images, datasets, models)", 16 * 50 * GCP_FEES.cloudNatDataPerGiB.usd],
      ["public IPv4 (1): Cloud NAT's auto-allocated external addresses, 730 h", H * GCP_FEES.cloudNatIp.usd],
      ["internal regional Application Load Balancer (1), 730 h", H * net("gcp").loadBalancerUsdPerHour],
      ["load balancer data processed: 1600 GiB served a month", 16 * 100 * GCP_FEES.lbDataPerGiB.usd],
    ],
    "azure-a100-inference": () => [
      ["8 × Standard_NC24ads_A100_v4 (8 × A100-80GB), on-demand, 730 h", 8 * H * od("azure", "Standard_NC24ads_A100_v4", "eastus")],
      ["GPU node OS disks: 8 × P15 (256 GiB) Azure Premium SSD LRS managed disk, 730 h", 8 * premium("P15")],
      ["internet egress 0–10 TiB tier", 1024 * egress("azure", 0)],
      ["NAT gateway (1), 730 h", H * net("azure").natGatewayUsdPerHour],
      ["NAT data processed (internet egress)", 1024 * net("azure").natGatewayUsdPerGiB],
      ["NAT data processed (inbound pulls: images, datasets, models)", 8 * 50 * net("azure").natGatewayUsdPerGiB],
      ["public IPv4 (1): the NAT gateway's Standard public IP, 730 h", H * AZURE_FEES.publicIp.usd],
      ["internal Standard Load Balancer (1), 730 h", H * net("azure").loadBalancerUsdPerHour],
      ["load balancer data processed: 800 GiB served a month", 8 * 100 * AZURE_FEES.lbDataPerGiB.usd],
      ["Azure Monitor custom metrics, the nodes' GPU metrics (40 series: 8 GPUs × 5 metrics, one sample every 60 s), 730 h", (8 * 5 * 60 * 730 / 1e7) * AZURE_FEES.prometheusSamples.usd],
    ],
    // 32 one-GPU replicas at most, packed 8 to a node: 4 nodes.
    "coreweave-inference": () => [
      ["4 × gd-8xl40s-i128 (32 × L40S), on-demand, 730 h", 4 * H * od("coreweave", "gd-8xl40s-i128", "US-EAST-04")],
      ["CoreWeave Distributed File Storage (the shared file system; nfs maps to it), 2048 GiB (nfs /models)", 2048 * tier("coreweave", "nfs", "US-EAST-04")],
    ],
  };

  /** The program each entry previews: an example's, or the repo root's quickstart. */
  const program = (name: string) => (name === "quickstart" ? path.join("..", "index.ts") : path.join("..", "examples", name, "index.ts"));
  const byDescription = (a: [string, number], b: [string, number]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]);

  it.each(Object.keys(EXPECTED))("%s", async (example) => {
    const run = await runOffline(async () => {
      await import(program(example));
    }, { config: EXAMPLE_CONFIG });
    expect(run.error).toBeUndefined();
    const estimate = run.costEvents[0]!.estimate;
    const expected = EXPECTED[example]!().map(([description, usd]): [string, number] => [description, roundCents(usd)]);
    // Every line with its description and amount: the same set of lines, not only the same amounts.
    expect(estimate.lines.map((l): [string, number] => [l.description, l.monthlyUsd]).sort(byDescription)).toEqual([...expected].sort(byDescription));
    expect(estimate.monthlyUsd).toBe(roundCents(expected.reduce((a, [, usd]) => a + usd, 0)));
    expect(estimate.notIncluded).toContain("support plans");
    // A fleet's worst case, line by line, is the budget's figure.
    const worst = WORST_CASE[example];
    if (!worst) return expect(estimate.worstCaseLines).toBeUndefined();
    const worstExpected = worst().map(([description, usd]): [string, number] => [description, roundCents(usd)]);
    expect(estimate.worstCaseLines!.map((l): [string, number] => [l.description, l.monthlyUsd]).sort(byDescription)).toEqual([...worstExpected].sort(byDescription));
    expect(estimate.worstCaseMonthlyUsd).toBe(roundCents(worstExpected.reduce((a, [, usd]) => a + usd, 0)));
  });
});
