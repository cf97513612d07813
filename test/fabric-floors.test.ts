import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { catalog, CLOUDS } from "gpu-cluster";
import { fabricSides } from "../lib/fabric/index.js";
import { NVLINK_DOMAINS } from "../lib/fabric/mnnvl.js";
import { CROSS_DOMAIN_FLOORS, FABRIC_FLOORS, fabricFloor, lineRateCeilingGBps, LINE_RATE_FLOOR_SHARE, PUBLISHED_FLOOR_SHARE } from "../lib/fabric/floors.js";

/** Every catalog instance type with an inter-node fabric. */
const fabricTypes = CLOUDS.flatMap((cloud) => catalog.instances(cloud).filter((i) => i.fabric !== "none"));

describe("the fabric gate's floors", () => {
  it("has a floor for every fabric instance type of the catalog, and no row for a type the catalog lacks", () => {
    expect(fabricTypes.length).toBeGreaterThanOrEqual(24);
    const missing = fabricTypes.filter((i) => fabricFloor(i) === undefined).map((i) => `${i.cloud} ${i.instanceType}`);
    expect(missing).toEqual([]);
    const stale = Object.keys(FABRIC_FLOORS).filter((type) => !fabricTypes.some((i) => i.instanceType === type));
    expect(stale).toEqual([]);
  });

  it.each(fabricTypes.map((i) => [`${i.cloud} ${i.instanceType}`, i] as const))("%s: its row is for its cloud, sourced and dated", (_n, i) => {
    const row = FABRIC_FLOORS[i.instanceType]!;
    expect(row.cloud).toBe(i.cloud);
    const floor = fabricFloor(i)!;
    expect(floor.source.length).toBeGreaterThan(20);
    expect(floor.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(floor.floorGBps).toBeGreaterThan(0);
    // Never above what two nodes can carry over the network; inside one NVLink domain, always above it, so a fallback
    // from NVLink to the network fails.
    if (floor.path === "nvlink-domain") expect(floor.floorGBps).toBeGreaterThan(lineRateCeilingGBps(i.fabricGbps, i.gpuCount));
    else expect(floor.floorGBps).toBeLessThan(lineRateCeilingGBps(i.fabricGbps, i.gpuCount));
  });

  it("only a multi-node NVLink type has a floor read inside its NVLink domain", () => {
    const nvlink = Object.entries(FABRIC_FLOORS).filter(([, row]) => row.basis.basis === "published" && row.basis.result.path === "nvlink-domain").map(([type]) => type);
    expect(nvlink).toEqual(["gb200-4x"]);
  });

  it("a published result never exceeds the two-node line-rate ceiling, and every one clears the line-rate rule (the rule is below every healthy run)", () => {
    for (const i of fabricTypes) {
      const row = FABRIC_FLOORS[i.instanceType]!;
      if (row.basis.basis !== "published") continue;
      const ceiling = lineRateCeilingGBps(i.fabricGbps, i.gpuCount);
      // An NVLink-domain figure is above the network's ceiling by design (the test above); the rest never exceed it.
      if (row.basis.result.path !== "nvlink-domain") expect(row.basis.result.busBandwidthGBps, i.instanceType).toBeLessThan(ceiling);
      expect(row.basis.result.busBandwidthGBps * PUBLISHED_FLOOR_SHARE, i.instanceType).toBeGreaterThan(0);
      expect(row.basis.result.busBandwidthGBps, i.instanceType).toBeGreaterThan(ceiling * LINE_RATE_FLOOR_SHARE);
    }
  });

  it("p5.48xlarge: 60% of awsome-distributed-training's 2-node 1 GiB result over the gate's path: Slurm on VMs (436.95 GB/s), the EKS MPIJob on Kubernetes (313.29), rounded down", () => {
    const p5 = catalog.instance("aws", "p5.48xlarge")!;
    const vm = fabricFloor(p5)!;
    expect(vm).toMatchObject({ basis: "published", referenceGBps: 436.95, floorGBps: 262.1, asOf: "2024-04-19" });
    expect(vm.source).toContain("awsome-distributed-training");
    expect(fabricFloor(p5, "one-domain", "vm")).toEqual(vm);
    const eks = fabricFloor(p5, "one-domain", "kubernetes")!;
    expect(eks).toMatchObject({ basis: "published", referenceGBps: 313.29, floorGBps: 187.9, asOf: "2024-04-19" });
    expect(eks.source).toContain("EKS MPIJob");
  });

  it("p5e.48xlarge: p5's published results (p5's network), 262.1 on VMs and 187.9 on EKS, not the line-rate 187.5", () => {
    const p5e = catalog.instance("aws", "p5e.48xlarge")!;
    expect(fabricFloor(p5e)).toMatchObject({ basis: "published", floorGBps: 262.1 });
    expect(fabricFloor(p5e)!.source).toContain("p5e has p5's network");
    expect(fabricFloor(p5e, "one-domain", "kubernetes")).toMatchObject({ basis: "published", floorGBps: 187.9 });
  });

  it("a row without a Kubernetes result has one floor on both paths", () => {
    const nd = catalog.instance("azure", "Standard_ND96asr_v4")!;
    expect(fabricFloor(nd, "one-domain", "kubernetes")).toEqual(fabricFloor(nd, "one-domain", "vm"));
  });

  it("Standard_ND96asr_v4: 60% of aks-rdma-infiniband's expected output at 512 MiB (174.75 GB/s)", () => {
    expect(fabricFloor(catalog.instance("azure", "Standard_ND96asr_v4")!)).toMatchObject({ floorGBps: 104.8, referenceGBps: 174.75, asOf: "2025-05-02" });
  });

  // Azure/ai-infrastructure-on-azure skills/slurm/sku_performance_baseline/SKILL.md @448d474 (2026-03-27, read
  // 2026-12-01): Standard_ND96isr_H100_v5 "~450 GB/s" at 16 G, 8 nodes with SHARP; it lists no H200 size.
  it("Standard_ND96isr_H100_v5: 60% of Microsoft's ND H100 v5 baseline (~450 GB/s, 8 nodes, 16 GiB, SHARP) = 270 GB/s; H200 v5 the same (its network)", () => {
    const h100 = catalog.instance("azure", "Standard_ND96isr_H100_v5")!;
    const floor = fabricFloor(h100)!;
    expect(floor).toMatchObject({ basis: "published", referenceGBps: 450, floorGBps: 270, collective: "all_reduce", asOf: "2026-03-27" });
    expect(floor.source).toContain("Azure/ai-infrastructure-on-azure/blob/448d474/skills/slurm/sku_performance_baseline/SKILL.md");
    expect(floor.source).toContain("NCCL_COLLNET_ENABLE=1");
    expect(FABRIC_FLOORS.Standard_ND96isr_H100_v5!.basis).toMatchObject({ result: { messageBytes: 17179869184, nodes: 8 } });
    // 8 x 400 Gb/s NDR: 400 GB/s x 2(16-1)/16 = 750 GB/s; the floor is 36% of it.
    expect(lineRateCeilingGBps(h100.fabricGbps, h100.gpuCount)).toBe(750);
    // ND H200 v5: ND H100 v5's network, so its result (as p5e takes p5's).
    const h200 = fabricFloor(catalog.instance("azure", "Standard_ND96isr_H200_v5")!)!;
    expect(h200).toMatchObject({ basis: "published", referenceGBps: 450, floorGBps: 270, asOf: "2026-03-27" });
    expect(h200.source).toContain("ND H200 v5 has ND H100 v5's network");
  });

  it("p6-b200.48xlarge (no published result): 25% of 400 GB/s x 2(16-1)/16 = 750 GB/s, dated by the catalog row it comes from", () => {
    const facts = catalog.instance("aws", "p6-b200.48xlarge")!;
    const floor = fabricFloor(facts)!;
    expect(floor).toMatchObject({ basis: "line-rate", referenceGBps: 750, floorGBps: 187.5, asOf: facts.asOf });
    expect(floor.source).toContain("3200 Gbps");
  });

  it("p6-b300.48xlarge (no published result): 25% of 800 GB/s x 2(16-1)/16 = 1500 GB/s = 375 GB/s, dated by the catalog row (2026-07-11)", () => {
    const facts = catalog.instance("aws", "p6-b300.48xlarge")!;
    const floor = fabricFloor(facts)!;
    expect(floor).toMatchObject({ basis: "line-rate", referenceGBps: 1500, floorGBps: 375, asOf: "2026-07-11" });
    expect(floor.source).toContain("6400 Gbps");
    expect(floor.source).toContain("no published nccl-tests result");
  });

  it("a3-highgpu-8g: 60% of cluster-toolkit's two-node GPUDirect-TCPX all-gather (70.90 GB/s at 512 MiB) = 42.5 GB/s", () => {
    const floor = fabricFloor(catalog.instance("gcp", "a3-highgpu-8g")!)!;
    expect(floor).toMatchObject({ basis: "published", referenceGBps: 70.9, floorGBps: 42.5, asOf: "2026-04-03" });
    expect(FABRIC_FLOORS["a3-highgpu-8g"]!.basis).toMatchObject({ result: { collective: "all_gather", nodes: 2 } });
  });

  it("a4-highgpu-8g (no published figure): 25% of 400 GB/s x 30/16 = 187.5 GB/s", () => {
    expect(fabricFloor(catalog.instance("gcp", "a4-highgpu-8g")!)).toMatchObject({ basis: "line-rate", referenceGBps: 750, floorGBps: 187.5 });
  });

  it("g5.12xlarge: 4 GPUs, 40 Gbps: 25% of 5 GB/s x 14/8 = 8.75 GB/s", () => {
    expect(fabricFloor(catalog.instance("aws", "g5.12xlarge")!)).toMatchObject({ referenceGBps: 8.75, floorGBps: 2.1 });
  });

  it("gb200-4x: 60% of coreweave/nccl-tests' one-rack NVLink run at 1 GiB (681.17 GB/s) = 408.7, above the 350 GB/s an InfiniBand fallback can reach", () => {
    const facts = catalog.instance("coreweave", "gb200-4x")!;
    const floor = fabricFloor(facts)!;
    expect(floor).toMatchObject({ basis: "published", referenceGBps: 681.17, floorGBps: 408.7, path: "nvlink-domain", asOf: "2026-05-27" });
    expect(floor.source).toContain("coreweave/nccl-tests/blob/cb86553/README.md line 269");
    expect(FABRIC_FLOORS["gb200-4x"]!.basis).toMatchObject({ result: { messageBytes: 1073741824, nodes: 18 } });
    // 4 x 400 Gbps per tray = 1600 Gbps = 200 GB/s; two trays, 8 ranks: x 2(8-1)/8 = 350 GB/s.
    expect(facts.fabricGbps).toBe(1600);
    expect(lineRateCeilingGBps(facts.fabricGbps, facts.gpuCount)).toBe(350);
  });

  it("answers undefined for a type without a fabric, and for a name that is an Object.prototype member", () => {
    expect(fabricFloor({ instanceType: "p5.48xlarge", fabricGbps: 0, gpuCount: 8, source: "s", asOf: "2026-01-01" })).toBeUndefined();
    expect(fabricFloor({ instanceType: "constructor", fabricGbps: 100, gpuCount: 8, source: "s", asOf: "2026-01-01" })).toBeUndefined();
  });

  // A pair in two NVLink domains (racks) crosses on the network only: coreweave/nccl-tests README @cb86553 (2026-05-27)
  // publishes GB200 at 1, 2 and 20 racks, all with multi-node NVLink inside each rack, so the line-rate rule applies on
  // the catalog's 4 x 400 Gb/s per tray, the NICs of Azure's ND GB200 v6 (4 x 400 Gb/s NDR InfiniBand per tray).
  it("every multi-node NVLink type has a cross-domain row, for its cloud; no row for another type", () => {
    expect(Object.keys(CROSS_DOMAIN_FLOORS).sort()).toEqual(Object.keys(NVLINK_DOMAINS).sort());
    for (const type of Object.keys(CROSS_DOMAIN_FLOORS)) expect(CROSS_DOMAIN_FLOORS[type]!.cloud).toBe(FABRIC_FLOORS[type]!.cloud);
  });

  it("gb200-4x across racks: 25% of 200 GB/s x 2(8-1)/8 = 350 GB/s = 87.5 GB/s, Azure ND GB200 v6's floor (same NICs), below the NVLink floor and the ceiling", () => {
    const facts = catalog.instance("coreweave", "gb200-4x")!;
    const cross = fabricFloor(facts, "across-nvlink-domains")!;
    expect(cross).toMatchObject({ basis: "line-rate", referenceGBps: 350, floorGBps: 87.5, path: "across-nvlink-domains", asOf: facts.asOf });
    expect(cross.source).toContain("coreweave/nccl-tests README @cb86553");
    expect(cross.source).toContain("Standard_ND128isr_NDR_GB200_v6");
    const azure = fabricFloor(catalog.instance("azure", "Standard_ND128isr_NDR_GB200_v6")!)!;
    expect(azure).toMatchObject({ basis: "line-rate", referenceGBps: 350, floorGBps: 87.5 });
    expect(cross.floorGBps).toBeLessThan(fabricFloor(facts)!.floorGBps);
    expect(cross.floorGBps).toBeLessThan(lineRateCeilingGBps(facts.fabricGbps, facts.gpuCount));
    // A type without an NVLink domain has no cross-domain floor.
    expect(fabricFloor(catalog.instance("coreweave", "gd-8xh100ib-i128")!, "across-nvlink-domains")).toBeUndefined();
  });
});

/**
 * A fallback from the fabric to NCCL's sockets over the host NIC either fails at NCCL's init (the fabric's network is
 * named by NCCL_NET: EFA, InfiniBand, TCPX, gIB through its profile) or falls below the floor: the two-node ceiling of
 * sockets over the host NIC (the catalog's networkGbps, busbw factor 2(n-1)/n) stays under every floor of a type whose
 * environment names no network (TCPXO, whose plugin's network name no Google file gives: lib/fabric/index.ts).
 */
describe("floors against a fallback to sockets", () => {
  it("every fabric type either names its network (NCCL_NET) or has a floor above the host NIC's two-node socket ceiling", () => {
    const unnamed: string[] = [];
    for (const cloud of CLOUDS) {
      for (const i of catalog.instances(cloud)) {
        const floor = fabricFloor(i);
        if (!floor || i.fabric === "none" || i.notBuilt) continue;
        const plan = gpu.planCluster({ cloud, region: i.regions[0]!, gpu: { instanceType: i.instanceType, nodes: i.limits?.nodeMultiple ?? 2 }, contractUsdPerHour: 1, ...(cloud === "gcp" ? { reservationId: "r", zone: `${i.regions[0]}-a` } : {}) } as gpu.TrainingClusterArgs);
        const named = ["vm", "kubernetes"].every((p) => cloud === "coreweave" && p === "vm" ? true : fabricSides(plan, p as "vm" | "kubernetes").env.NCCL_NET !== undefined || i.fabric === "rdma");
        if (named) continue;
        unnamed.push(i.instanceType);
        const socketCeiling = lineRateCeilingGBps(i.networkGbps!, i.gpuCount);
        expect(floor.floorGBps, `${i.instanceType}: floor vs the ${i.networkGbps} Gbps host NIC's socket ceiling`).toBeGreaterThan(socketCeiling);
      }
    }
    // A3 Mega (TCPXO): 109.2 GB/s against 200 Gbps × 2(16-1)/16 / 8 = 46.9 GB/s.
    expect(unnamed).toEqual(["a3-megagpu-8g"]);
  });
});
