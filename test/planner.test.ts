import { describe, expect, it } from "vitest";
import { compare, planCluster, planFleet } from "gpu-cluster";

describe("planCluster picks the model's NVLink node and its full fabric", () => {
  it.each([
    ["aws", "us-east-1", "H100", "p5.48xlarge", "efa", 32, 3200],
    ["aws", "us-east-1", "A100-40GB", "p4d.24xlarge", "efa", 4, 400],
    ["aws", "us-east-1", "B200", "p6-b200.48xlarge", "efa", 8, 3200],
    ["gcp", "us-east4", "H100", "a3-megagpu-8g", "gpudirect-tcpxo", 8, 1600],
    ["azure", "eastus", "H100", "Standard_ND96isr_H100_v5", "infiniband", 8, 3200],
    ["azure", "eastus", "A100-80GB", "Standard_ND96amsr_A100_v4", "infiniband", 8, 1600],
    ["coreweave", "US-EAST-04", "H100", "gd-8xh100ib-i128", "infiniband", 8, 3200],
  ] as const)("%s %s %s → %s (%s, %i NICs, %i Gbps)", (cloud, region, model, instanceType, fabric, nics, gbps) => {
    const plan = planCluster({ cloud, region, gpu: { model, count: 64 } });
    expect(plan.instanceType).toBe(instanceType);
    expect(plan.gpusPerNode).toBe(8);
    expect(plan.nodeCount).toBe(8);
    expect(plan.totalGpus).toBe(64);
    expect(plan.fabric).toMatchObject({ kind: fabric, nicsPerNode: nics, gbpsPerNode: gbps, requested: "auto" });
  });

  it("states the MTU and host NICs the GCP fabric needs", () => {
    expect(planCluster({ cloud: "gcp", region: "us-east4", gpu: { model: "H100", count: 16 } }).fabric.mtu).toBe(8244);
    const ultra = planCluster({ cloud: "gcp", region: "us-central1", gpu: { model: "H200", count: 16 }, reservationId: "r", zone: "us-central1-b" });
    expect(ultra.instanceType).toBe("a3-ultragpu-8g");
    expect(ultra.fabric).toMatchObject({ kind: "rdma", nicsPerNode: 8, mtu: 8896, hostNics: 2 });
  });

  it("places nodes the way each fabric needs", () => {
    expect(planCluster({ cloud: "aws", region: "us-east-1", gpu: { model: "H100", count: 16 } }).placement.strategy).toBe("cluster");
    expect(planCluster({ cloud: "gcp", region: "us-east4", gpu: { model: "H100", count: 16 } }).placement.strategy).toBe("compact");
    const azure = planCluster({ cloud: "azure", region: "eastus", gpu: { model: "H100", count: 16 } });
    expect(azure.placement).toMatchObject({ strategy: "single-placement-group", maxNodesPerGroup: 100 });
    expect(planCluster({ cloud: "aws", region: "us-east-1", gpu: { model: "H100", count: 16 }, fabric: "none" }).placement.strategy).toBe("none");
  });

  it("records an opted-out fabric in the plan's notes", () => {
    const plan = planCluster({ cloud: "aws", region: "us-east-1", gpu: { model: "H100", count: 16 }, fabric: "none" });
    expect(plan.fabric).toMatchObject({ kind: "none", nicsPerNode: 0, gbpsPerNode: 0 });
    expect(plan.notes[0]).toMatch(/32 × efa \(3200 Gbps\) that this cluster will not use/);
  });

  it("sells GB200 in whole racks of 18 four-GPU nodes", () => {
    const plan = planCluster({ cloud: "coreweave", region: "US-EAST-01", gpu: { model: "GB200", count: 144 } });
    expect(plan).toMatchObject({ instanceType: "gb200-4x", gpusPerNode: 4, nodeCount: 36 });
  });

  it("sizes FSx for Lustre on its own scale (1.2 TiB = 1,200 GiB) and rounds other storage up to its minimum and step", () => {
    const plan = planCluster({
      cloud: "aws",
      region: "us-east-1",
      gpu: { model: "H100", count: 8 },
      storage: [
        { kind: "lustre", capacityTiB: 1.2 }, // FSx's smallest size, 1,200 GiB
        { kind: "lustre", capacityTiB: 4.8, mountPath: "/mnt/scratch", tier: "scratch" }, // 2 steps of 2,400 GiB (not at /scratch: AWS VMs' instance store)
        { kind: "block", capacityTiB: 0.5, mountPath: "/local" }, // 512 GiB of gp3 (1 GiB minimum, no step)
        { kind: "nfs", capacityTiB: 0.25, mountPath: "/home" }, // 256 GiB of EFS (no minimum, no step)
      ],
    });
    expect(plan.storage.map((s) => s.capacityGiB)).toEqual([1200, 4800, 512, 256]);
    expect(plan.storage.map((s) => s.perNode)).toEqual([false, false, true, false]);
  });

  it("rounds other clouds' storage up to the service's minimum and step (GCP Managed Lustre 125: 72,000 GiB steps)", () => {
    const plan = planCluster({
      cloud: "gcp",
      region: "us-central1",
      gpu: { model: "H100", count: 8 },
      storage: [
        { kind: "lustre", capacityTiB: 10, tier: "125" }, // 10,240 GiB → the 72,000 GiB minimum
        { kind: "lustre", capacityTiB: 100, tier: "125", mountPath: "/big" }, // 102,400 GiB → 2 steps, 144,000 GiB
      ],
    });
    expect(plan.storage.map((s) => [s.requestedGiB, s.capacityGiB])).toEqual([[10_240, 72_000], [102_400, 144_000]]);
  });
});

describe("planFleet picks the smallest instance that holds a replica", () => {
  it.each([
    ["aws", "us-east-1", "L4", 1, "g6.xlarge"],
    ["aws", "us-east-1", "L4", 4, "g6.12xlarge"],
    ["aws", "us-east-1", "L40S", 1, "g6e.xlarge"],
    ["gcp", "us-central1", "L4", 1, "g2-standard-4"],
    ["azure", "eastus", "A100-80GB", 1, "Standard_NC24ads_A100_v4"],
  ] as const)("%s %s %i × %s → %s", (cloud, region, model, count, instanceType) => {
    const plan = planFleet({ cloud, region, gpu: { model, count }, replicas: { min: 1, max: 3 } });
    expect(plan.instanceType).toBe(instanceType);
    expect(plan.nodeCount).toBe(1);
    expect(plan.replicas).toEqual({ min: 1, max: 3 });
    expect(plan.placement.strategy).toBe("spread");
    expect(plan.service).toEqual({ loadBalancer: "internal", port: 8000, healthCheckPath: "/health" });
  });
});

describe("compare", () => {
  const result = compare({ gpu: { model: "H100", count: 64 } });

  it("ranks every place that holds 64 H100s with a fabric, cheapest first", () => {
    const costs = result.placements.map((p) => p.estimate.worstCaseMonthlyUsd);
    expect(costs).toEqual([...costs].sort((a, b) => a - b));
    expect(new Set(result.placements.map((p) => p.cloud))).toEqual(new Set(["aws", "gcp", "azure", "coreweave"]));
    for (const p of result.placements) {
      expect(p.plan.totalGpus).toBe(64);
      expect(p.plan.fabric.kind).not.toBe("none");
    }
    // CoreWeave: 8 × 730 h × $49.24 = $287,561.60, no NAT or egress charge
    expect(result.placements[0]).toMatchObject({ cloud: "coreweave", estimate: { monthlyUsd: 287_561.6 } });
  });

  it("keeps a storage quote on the spec's own cloud only; other clouds are priced from their list", () => {
    const quoted = compare({ cloud: "azure", region: "eastus", gpu: { model: "H100", count: 16 }, storage: [{ kind: "lustre", capacityTiB: 16, contractUsdPerGiBMonth: 0.001 }] });
    const storageOf = (cloud: string) => quoted.placements.find((p) => p.cloud === cloud)!.plan.storage[0]!;
    // Azure Managed Lustre has no list price: the quote (16 TiB = 16,384 GiB × $0.001) is the spec's own.
    expect(storageOf("azure")).toMatchObject({ usdPerGiBMonth: 0.001, priceSource: { asOf: "spec" } });
    // FSx for Lustre is priced from AWS's list, not from the Azure quote.
    expect(storageOf("aws").priceSource.asOf).not.toBe("spec");
    expect(storageOf("aws").usdPerGiBMonth).toBe(0.145);
    // On AWS the 16 TiB (16,384 GiB) become the smallest FSx size that holds them: 7 steps of 2,400 = 16,800 GiB.
    expect(storageOf("aws")).toMatchObject({ capacityGiB: 16_800, requestedGiB: 16_800 });
  });

  it("says why every other place was left out", () => {
    const euWest = result.excluded.find((x) => x.cloud === "aws" && x.region === "eu-west-1");
    expect(euWest?.reason).toMatch(/H100 is not offered on aws in eu-west-1/);
  });

  it("keeps the requirement in GPUs when the spec is given in nodes of one cloud", () => {
    const gb = compare({ cloud: "coreweave", region: "US-EAST-01", gpu: { model: "GB200", nodes: 18 } }, { clouds: ["coreweave"] });
    expect(gb.placements[0]!.plan.totalGpus).toBe(72);
  });
});

describe("the instance is one sold the way the spec pays", () => {
  it("picks the best type that has a price for the pricing model", () => {
    const onDemand = planCluster({ cloud: "gcp", region: "us-central1", gpu: { model: "H100", count: 16 } });
    expect(onDemand.instanceType).toBe("a3-megagpu-8g");
    const spot = planCluster({ cloud: "gcp", region: "us-central1", gpu: { model: "H100", count: 16 }, pricing: "spot" });
    // a3-megagpu-8g has no spot price in us-central1 in the catalog; a3-highgpu-8g has one
    expect(spot.instanceType).toBe("a3-highgpu-8g");
    expect(spot.unitPrice.usdPerHour).toBeGreaterThan(0);
  });
});

/*
 * Types generated from the price dumps carry no fabric facts (lib/catalog/generated.ts): they get fabric 'none' and
 * are built as plain VMs, or are refused, never compiled with a fabric the catalog does not know they have.
 */
describe("instance types without fabric facts", () => {
  it("plans a dump-only type on the ordinary network and refuses a fabric asked of it", () => {
    const plain = planCluster({ cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.4xlarge", nodes: 2 } });
    expect(plain).toMatchObject({ instanceType: "p5.4xlarge", nodeCount: 2, gpusPerNode: 1 });
    expect(plain.fabric.kind).toBe("none");
    expect(plain.unitPrice.usdPerHour).toBe(6.88); // Karpenter's us-east-1 table, generated 2026-07-20
    expect(() => planCluster({ cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.4xlarge", nodes: 2 }, fabric: "efa" })).toThrow(
      expect.objectContaining({ name: "SpecError", path: "fabric", message: expect.stringMatching(/p5\.4xlarge does not have 'efa'.*p5\.48xlarge/) }),
    );
  });

  it("still trains on the hand-written fabric type in a region only the dumps list", () => {
    // ap-northeast-1 comes from the instances.vantage.sh dump; p5.48xlarge keeps its 32 EFA interfaces there.
    const plan = planCluster({ cloud: "aws", region: "ap-northeast-1", gpu: { model: "H100", count: 16 } });
    expect(plan).toMatchObject({ instanceType: "p5.48xlarge", nodeCount: 2 });
    expect(plan.fabric).toMatchObject({ kind: "efa", nicsPerNode: 32 });
  });

  it("serves one-GPU replicas on the single-GPU size instead of a whole 8-GPU node", () => {
    const plan = planFleet({ cloud: "aws", region: "us-east-1", gpu: { model: "H100", count: 1 }, replicas: { min: 2, max: 4 } });
    expect(plan.instanceType).toBe("p5.4xlarge");
  });

  it("never picks, and refuses when pinned, a type the compilers do not build", () => {
    expect(() => planCluster({ cloud: "azure", region: "eastus2", gpu: { instanceType: "Standard_ND96isr_MI300X_v5", nodes: 2 } })).toThrow(
      expect.objectContaining({ name: "SpecError", path: "gpu.instanceType", message: expect.stringMatching(/prices and sizing only: AMD Instinct/) }),
    );
    expect(() => planCluster({ cloud: "azure", region: "eastus", gpu: { model: "GB200", count: 72 } })).toThrow(
      expect.objectContaining({ name: "SpecError", path: "gpu.model", message: expect.stringMatching(/Standard_ND128isr_NDR_GB200_v6 \(an Arm64/) }),
    );
  });

  it("leaves multi-node training on fabric-less types out of compare, with the reason", () => {
    const c = compare({ gpu: { model: "V100", count: 16 } });
    expect(c.placements).toHaveLength(0);
    expect(c.excluded.find((x) => x.cloud === "aws" && x.region === "us-east-1")?.reason).toBe("p3.16xlarge has no inter-node fabric");
  });
});
