/**
 * DWS flex-start on GKE: the GPU node pool as Google's A3 Ultra flex-start blueprint builds it
 * (GoogleCloudPlatform/cluster-toolkit examples/gke-consumption-options/dws-flex-start/gke-a3-ultragpu.yaml and
 * modules/compute/gke-node-pool/main.tf @10470803, 2026-06-25, read 2026-12-01: `enable_flex_start: true`,
 * `auto_repair: false`, `auto_upgrade: true`, autoscaling with no static nodes, reservation affinity NO_RESERVATION,
 * `max_run_duration` as "<seconds>s"), the offering (A3 Ultra / A4 without a reservation), the refusals, and the bill.
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import type { OfflineRun, RecordedResource } from "../lib/preview/offline.js";
import { ofType, privateEndpoint, run } from "./helpers/offline.js";

const NODE_POOL = "gcp:container/nodePool:NodePool";
const base = { cloud: "gcp" as const, region: "us-central1", orchestrator: "kubernetes" as const, pricing: "flex-start" as const, contractUsdPerHour: 40 };

function training(name: string, args: Record<string, unknown> = {}) {
  return () => new gpu.TrainingCluster(name, privateEndpoint({ ...base, gpu: { instanceType: "a3-ultragpu-8g", nodes: 4 }, zone: "us-central1-b", ...args } as gpu.TrainingClusterArgs));
}

function gpuPool(result: OfflineRun, name: string): RecordedResource["inputs"] {
  const pool = ofType(result, NODE_POOL).find((r) => r.name === `${name}-gpu-nodes`);
  if (!pool) throw new Error(`no GPU node pool ${name}-gpu-nodes`);
  return pool.inputs;
}

describe("GKE flex-start node pool", () => {
  it.each([
    ["a3-ultragpu-8g", "nvidia-h200-141gb"],
    ["a4-highgpu-8g", "nvidia-b200"],
  ])("%s without a reservation, flexStartMode 'pool': flex-start nodes, no reservation, autoscaled 0..4, auto-repair off, no compact placement, 7 days, no Kueue", async (instanceType, accelerator) => {
    const result = await run(training("fs", { gpu: { instanceType, nodes: 4 }, gcp: { gke: { flexStartMode: "pool" } } }));
    expect(result.error).toBeUndefined();
    const pool = gpuPool(result, "fs");
    expect(pool.nodeConfig).toMatchObject({
      machineType: instanceType,
      flexStart: true,
      maxRunDuration: "604800s",
      reservationAffinity: { consumeReservationType: "NO_RESERVATION" },
      guestAccelerators: [{ type: accelerator, count: 8 }],
    });
    expect(pool.nodeConfig.spot).toBeUndefined();
    expect(pool.autoscaling).toEqual({ totalMinNodeCount: 0, totalMaxNodeCount: 4, locationPolicy: "ANY" });
    expect(pool.nodeCount).toBeUndefined();
    expect(pool.management).toEqual({ autoRepair: false, autoUpgrade: true });
    expect(pool.nodeLocations).toEqual(["us-central1-b"]);
    // No COMPACT under flex-start: Google's A3 Ultra flex-start blueprint sets none, and XPK says "COMPACT placement
    // and Flex don't work together" (AI-Hypercomputer/xpk src/xpk/commands/common.py @367c8382).
    expect(pool.placementPolicy).toBeUndefined();
    expect(result.costEvents[0]!.plan.notes.join("\n")).toMatch(new RegExp(`no compact placement policy on the ${instanceType} pool: Google's flex-start blueprints set none`));
    // The plain pool is what it was before queued provisioning: no queued flag, no queued label, no Kueue.
    expect(pool.queuedProvisioning).toBeUndefined();
    expect(pool.nodeConfig.labels).toEqual({ "gpu-cluster/pool": "fs-pool" });
    expect(ofType(result, "kubernetes:helm.sh/v3:Release").map((r) => r.name)).not.toContain("fs-kueue");
    expect(ofType(result, "kubernetes:kueue.x-k8s.io/v1beta1:ClusterQueue")).toHaveLength(0);
  });

  it("takes gcp.gke.maxRunDurationHours as whole seconds", async () => {
    const result = await run(training("fs24", { gcp: { gke: { maxRunDurationHours: 24.5, flexStartMode: "pool" } } }));
    expect(result.error).toBeUndefined();
    expect(gpuPool(result, "fs24").nodeConfig.maxRunDuration).toBe("88200s");
  });

  it("an A3 Mega plain flex-start pool has no compact placement either, and the plan says so", async () => {
    const result = await run(training("fsm", { gpu: { instanceType: "a3-megagpu-8g", nodes: 2 }, zone: undefined, gcp: { gke: { flexStartMode: "pool" } } }));
    expect(result.error).toBeUndefined();
    const pool = gpuPool(result, "fsm");
    expect(pool.nodeConfig.flexStart).toBe(true);
    expect(pool.placementPolicy).toBeUndefined();
    const notes = result.costEvents[0]!.plan.notes.join("\n");
    expect(notes).toMatch(/no compact placement policy on the a3-megagpu-8g pool/);
    expect(notes).toMatch(/pool starts with 0 nodes and grows to 2 when Dynamic Workload Scheduler finds the capacity.*at most 168 h/);
    expect(notes).toMatch(/the 2 nodes come as Dynamic Workload Scheduler finds each one, not all at once.*flexStartMode: 'queued'/);
    expect(notes).not.toMatch(/Auto-repair stays on|auto-repair recreates/);
  });

  it("an on-demand pool keeps its fixed node count and auto-repair (flex-start changes only its own pools)", async () => {
    const result = await run(training("od", { gpu: { instanceType: "a3-megagpu-8g", nodes: 2 }, pricing: "on-demand", contractUsdPerHour: undefined, zone: undefined }));
    expect(result.error).toBeUndefined();
    const pool = gpuPool(result, "od");
    expect(pool.nodeCount).toBe(2);
    expect(pool.autoscaling).toBeUndefined();
    expect(pool.management).toEqual({ autoRepair: true, autoUpgrade: true });
    expect(pool.nodeConfig.flexStart).toBeUndefined();
  });
});

describe("flex-start offering and refusals", () => {
  const spec = { cloud: "gcp" as const, region: "us-central1", orchestrator: "kubernetes" as const, gpu: { instanceType: "a3-ultragpu-8g", nodes: 2 } };

  it("accepts a3-ultragpu-8g and a4-highgpu-8g under flex-start without a reservation (on demand they need one)", () => {
    for (const instanceType of ["a3-ultragpu-8g", "a4-highgpu-8g"]) {
      const s = { ...spec, gpu: { instanceType, nodes: 2 } };
      expect(() => gpu.validate({ ...s, contractUsdPerHour: 40 })).toThrow(/not sold on demand/);
      expect(gpu.planCluster({ ...s, pricing: "flex-start", contractUsdPerHour: 40 })).toMatchObject({ instanceType, pricing: "flex-start", nodeCount: 2 });
    }
  });

  it.each([
    ["no rate: the catalog has no dated DWS price, and it is never priced as on-demand or zero", { pricing: "flex-start" }, "contractUsdPerHour", /no dated DWS price for a3-ultragpu-8g in us-central1/],
    ["another cloud", { cloud: "aws", region: "us-east-1", gpu: { model: "H100", count: 16 }, pricing: "flex-start", contractUsdPerHour: 40 }, "pricing", /GCP offering/],
    ["a reservation", { pricing: "flex-start", contractUsdPerHour: 40, reservationId: "r1", zone: "us-central1-b" }, "reservationId", /not from a reservation/],
    ["the VM path", { pricing: "flex-start", contractUsdPerHour: 40, orchestrator: "vm" }, "pricing", /orchestrator 'vm'.*not built.*set orchestrator: 'kubernetes'/],
    ["G4, which Google does not offer with flex-start", { pricing: "flex-start", contractUsdPerHour: 40, gpu: { instanceType: "g4-standard-384", nodes: 2 } }, "pricing", /not offered with flex-start/],
  ])("refuses %s", (_what, over, path, message) => {
    let error: unknown;
    try {
      gpu.planCluster({ ...spec, ...over } as gpu.ClusterSpec);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ name: "SpecError", path });
    expect((error as Error).message).toMatch(message);
  });

  it("refuses an inference fleet on flex-start", () => {
    const fleet = { cloud: "gcp" as const, region: "us-central1", orchestrator: "kubernetes" as const, gpu: { model: "L4" as const }, replicas: { min: 1, max: 2 }, pricing: "flex-start" as const, contractUsdPerHour: 1 };
    expect(() => gpu.planFleet(fleet)).toThrow(/pricing: flex-start nodes run at most 7 days/);
  });

  it.each([
    [{ maxRunDurationHours: 0 }, "flex-start", /more than 0 and at most 168 hours/],
    [{ maxRunDurationHours: 169 }, "flex-start", /at most 168 hours/],
    [{ maxRunDurationHours: Number.NaN }, "flex-start", /must be/],
    [{ maxRunDurationHours: 0.0001 }, "flex-start", /not a whole number of seconds/],
    [{ maxRunDurationHours: 24 }, "spot", /limits flex-start nodes, but pricing is 'spot'/],
  ])("gcp.gke %o with %s: SpecError before anything is created", async (gke, pricing, message) => {
    const result = await run(training("bad", { gpu: { instanceType: "a3-megagpu-8g", nodes: 2 }, zone: undefined, pricing, gcp: { gke } }));
    expect(result.error).toMatchObject({ name: "SpecError", path: "gcp.gke.maxRunDurationHours" });
    expect((result.error as Error).message).toMatch(message);
    expect(result.resources.filter((r) => r.custom)).toHaveLength(0);
  });
});

describe("flex-start with Kueue", () => {
  it("refuses gcp.gke.kueue with flexStartMode 'pool': a Job Kueue holds suspended never makes the empty plain pool grow", async () => {
    const result = await run(training("fsq", { gcp: { gke: { kueue: true, flexStartMode: "pool" } } }));
    expect(result.error).toMatchObject({ name: "SpecError", path: "gcp.gke.kueue" });
    expect((result.error as Error).message).toMatch(/stay suspended.*flexStartMode: 'queued'/);
    expect(result.resources.filter((r) => r.custom)).toHaveLength(0);
  });
});

describe("flex-start cost", () => {
  it("prices the nodes at the given DWS rate for the hours they run, says so, and the budget check fails over budget", () => {
    const estimate = gpu.estimateCost({
      cloud: "gcp",
      region: "us-central1",
      orchestrator: "kubernetes",
      gpu: { instanceType: "a3-ultragpu-8g", nodes: 4 },
      pricing: "flex-start",
      contractUsdPerHour: 52.25,
      hoursPerMonth: 100,
      budget: { monthlyUsd: 20_000, onExceed: "fail" },
    });
    const compute = estimate.lines.find((l) => l.category === "compute")!;
    // 4 nodes × 100 h × $52.25 = $20,900.00
    expect(compute).toMatchObject({ quantity: 400, unitPriceUsd: 52.25, monthlyUsd: 20_900, asOf: "spec" });
    expect(compute.description).toBe("4 × a3-ultragpu-8g (32 × H200), flex-start, 100 h");
    expect(estimate.notes.some((n) => /^flex-start: Google bills Dynamic Workload Scheduler prices.*52\.25 USD\/instance-hour/.test(n))).toBe(true);
    expect(gpu.failsBudget(estimate)).toBe(true);
  });

  it("names the A3 Ultra Hyperdisk Balanced boot disks as not priced (no dated figure), and still prices the system nodes' pd-balanced", () => {
    const estimate = gpu.estimateCost({ cloud: "gcp", region: "us-central1", orchestrator: "kubernetes", gpu: { instanceType: "a3-ultragpu-8g", nodes: 4 }, pricing: "flex-start", contractUsdPerHour: 52.25 });
    // The GPU pool boots from hyperdisk-balanced (Google's A3 Ultra blueprint), 200 GiB each: no line, one note.
    expect(estimate.lines.some((l) => /^GPU node boot disks/.test(l.description))).toBe(false);
    expect(estimate.notes.filter((n) => /^not priced: GPU node boot disks/.test(n))).toEqual([
      "not priced: GPU node boot disks, 4 × 200 GiB hyperdisk-balanced (no dated hyperdisk-balanced price in the catalog; capacity and any IOPS or throughput above the disk's free baseline are billed)",
    ]);
    // 3 system nodes × 50 GiB pd-balanced × $0.10 = $15.00
    expect(estimate.lines.find((l) => /^system node boot disks: 3 × 50 GiB/.test(l.description))).toMatchObject({ quantity: 150, unitPriceUsd: 0.1, monthlyUsd: 15 });
    expect(estimate.notes.some((n) => /not priced: system node/.test(n))).toBe(false);
  });

  it("Cloud NAT serves the GPU nodes for the plan's hours and the system nodes all month (per VM-hour, $0.0014)", () => {
    const nat = (e: ReturnType<typeof gpu.estimateCost>) => e.lines.filter((l) => /^Cloud NAT(?! data)/.test(l.description) && l.unit === "VM-hour");
    const flex = gpu.estimateCost({ cloud: "gcp", region: "us-central1", orchestrator: "kubernetes", gpu: { instanceType: "a3-ultragpu-8g", nodes: 4 }, pricing: "flex-start", contractUsdPerHour: 52.25, hoursPerMonth: 100 });
    expect(nat(flex).map((l) => [l.description, l.quantity, l.monthlyUsd])).toEqual([
      // (4 GPU + 3 system) VMs × 100 h = 700 VM-h × $0.0014 = $0.98
      ["Cloud NAT: 7 VMs served × 100 h", 700, 0.98],
      // 3 system VMs × (730 − 100) h = 1,890 VM-h × $0.0014 = $2.646 → $2.65
      ["Cloud NAT: 3 system node VMs served (no GPU node running) × 630 h", 1890, 2.65],
    ]);
    // At 730 h, one line as before: 7 VMs × 730 h = 5,110 VM-h × $0.0014 = $7.154 → $7.15
    const full = gpu.estimateCost({ cloud: "gcp", region: "us-central1", orchestrator: "kubernetes", gpu: { instanceType: "a3-ultragpu-8g", nodes: 4 }, pricing: "flex-start", contractUsdPerHour: 52.25 });
    expect(nat(full).map((l) => [l.description, l.quantity, l.monthlyUsd])).toEqual([["Cloud NAT: 7 VMs served × 730 h", 5110, 7.15]]);
    // VMs only (no system nodes): 2 VMs × 200 h = 400 VM-h × $0.0014 = $0.56, nothing for the other 530 h.
    const vm = gpu.estimateCost({ cloud: "gcp", region: "us-central1", gpu: { instanceType: "a3-megagpu-8g", nodes: 2 }, hoursPerMonth: 200 });
    expect(nat(vm).map((l) => [l.description, l.quantity, l.monthlyUsd])).toEqual([["Cloud NAT: 2 VMs served × 200 h", 400, 0.56]]);
  });
});

describe("flex-start from the CLI", () => {
  it("--contract-usd-per-hour carries the DWS rate into the spec; a non-number is a SpecError naming the flag", async () => {
    const { specFromFlags } = await import("../lib/cli/flags.js");
    const flags = { cloud: "gcp", region: "us-central1", "instance-type": "a3-ultragpu-8g", nodes: "4", pricing: "flex-start", orchestrator: "kubernetes", "contract-usd-per-hour": "52.25", hours: "100" };
    const spec = specFromFlags(flags);
    expect(spec).toMatchObject({ pricing: "flex-start", contractUsdPerHour: 52.25, hoursPerMonth: 100 });
    // 4 × 100 h × $52.25
    expect(gpu.estimateCost(spec).lines.find((l) => l.category === "compute")!.monthlyUsd).toBe(20_900);
    expect(() => specFromFlags({ ...flags, "contract-usd-per-hour": "1e2" })).toThrow(/--contract-usd-per-hour/);
  });
});

describe("the RDMA gate's placement cause follows the pricing model (A3 Ultra)", () => {
  it.each([
    ["a reservation: its blocks", { reservationId: "res-a", contractUsdPerHour: 40 }, "the nodes are not in one block of reservation res-a, so traffic crosses the RDMA fabric's spine"],
    ["Spot: the compact placement policy", { pricing: "spot" }, "the nodes are not under one compact placement policy, so traffic crosses the RDMA fabric's spine"],
    ["flex-start: neither", { pricing: "flex-start", contractUsdPerHour: 40 }, "flex-start nodes go where Dynamic Workload Scheduler finds capacity, with no reservation block or compact placement to keep them close, so traffic crosses the RDMA fabric's spine"],
  ])("%s", async (_what, args, cause) => {
    const { fabricGate, gateFailureMessage } = await import("../lib/clouds/shared/fabric-gate.js");
    const plan = gpu.planCluster({ cloud: "gcp", region: "us-central1", zone: "us-central1-b", orchestrator: "kubernetes", gpu: { instanceType: "a3-ultragpu-8g", nodes: 2 }, ...args } as gpu.ClusterSpec);
    const gate = fabricGate(plan, "kubernetes")!;
    expect(gate.kind).toBe("rdma");
    expect(gate.causes.filter((c) => /spine/.test(c))).toEqual([cause]);
    expect(gateFailureMessage(gate, "12.00")).toContain(cause);
  });
});
