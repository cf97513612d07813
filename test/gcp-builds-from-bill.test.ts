/**
 * The GCP compilers build their billable things from the bill of materials they are handed (CompileContext.bill,
 * lib/clouds/shared/bill.ts), not from the plan or the options again: each case compiles with the real bill
 * (`gpu.billOfMaterials(plan, options)`, what lib/cost/bom/gcp-vm.ts and gcp-gke.ts emit) and with that bill with one
 * item changed, and reads the change in what is built. Names never follow the bill: they are the same either way.
 */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { gkeCompiler } from "../lib/clouds/gcp/gke/index.js";
import { gcpCompiler } from "../lib/clouds/gcp/index.js";
import { clusterKeySecretId } from "../lib/clouds/gcp/names.js";
import type { GcpOptions } from "../lib/clouds/gcp/options.js";
import type { OptionCheck } from "../lib/clouds/types.js";
import { applyOptionCheck, type BomItem } from "../lib/cost/bom/index.js";
import type { Plan } from "../lib/planner/types.js";
import type { OfflineRun } from "../lib/preview/offline.js";
import { ofType, one, run } from "./helpers/offline.js";

const G = {
  template: "gcp:compute/instanceTemplate:InstanceTemplate",
  router: "gcp:compute/router:Router",
  nat: "gcp:compute/routerNat:RouterNat",
  secret: "gcp:secretmanager/secret:Secret",
  bucket: "gcp:storage/bucket:Bucket",
  armor: "gcp:compute/securityPolicy:SecurityPolicy",
  cluster: "gcp:container/cluster:Cluster",
  nodePool: "gcp:container/nodePool:NodePool",
  mig: "gcp:compute/instanceGroupManager:InstanceGroupManager",
  autoscaler: "gcp:compute/regionAutoscaler:RegionAutoscaler",
  cryptoKey: "gcp:kms/cryptoKey:CryptoKey",
};

class Host extends pulumi.ComponentResource {
  constructor(name: string) {
    super("test:index:Host", name);
  }
}

/** The bill with every item of `kind` passed through `change` (undefined drops it). */
function altered(bill: BomItem[], kind: BomItem["kind"], change: (item: any) => BomItem | undefined): BomItem[] {
  return bill.flatMap((item) => (item.kind === kind ? [change(item)].filter((i): i is BomItem => i !== undefined) : [item]));
}

/** A plan as the component makes it: planned, then the compiler's option check on it (the notes, the cluster mode). */
function planned(plan: Plan, check: (plan: Plan, options: GcpOptions) => OptionCheck, options: GcpOptions): Plan {
  applyOptionCheck(plan, check(plan, options));
  return plan;
}

const vmTraining = (options: GcpOptions = {}) =>
  planned(gpu.planCluster({ cloud: "gcp", region: "us-central1", gpu: { instanceType: "g2-standard-8", nodes: 2 }, storage: [{ kind: "object", capacityTiB: 1, mountPath: "/data" }] }), gcpCompiler.checkOptions, options);

function compileVmTraining(plan: Plan, bill: BomItem[], options: GcpOptions = {}): Promise<OfflineRun> {
  return run(() => gcpCompiler.compileTraining(plan, options, { name: "billed", parent: new Host("billed"), bill }));
}

const GKE: GcpOptions = { gke: { publicEndpoint: false } };
const gkeTraining = () => planned(gpu.planCluster({ cloud: "gcp", region: "us-central1", orchestrator: "kubernetes", gpu: { instanceType: "g2-standard-8", nodes: 2 } }), gkeCompiler.checkOptions, GKE);

function compileGkeTraining(plan: Plan, bill: BomItem[]): Promise<OfflineRun> {
  return run(() => gkeCompiler.compileTraining(plan, GKE, { name: "billed", parent: new Host("billed"), bill }));
}

const pool = (result: OfflineRun, name: string) => ofType(result, G.nodePool).find((p) => p.name === name)!.inputs;

describe("GCP VM compiler: built as the bill says", () => {
  it("the GPU boot disk: the template's boot disk is the gpu node-disk item's size and type (300 GiB billed, 300 GiB built)", async () => {
    const plan = vmTraining();
    const bill = gpu.billOfMaterials(plan, {});
    // The real bill: the 200 GiB default (GCP_NODE_DISKS.gpuBootGiB, lib/cost/bom/gcp-vm.ts) on G2's pd-balanced.
    expect(bill).toContainEqual({ kind: "node-disk", pool: "gpu", count: 2, sizeGiB: 200, diskType: "pd-balanced" });
    const real = await compileVmTraining(plan, bill);
    expect(real.error).toBeUndefined();
    expect(one(real, G.template).inputs.disks[0]).toMatchObject({ boot: true, diskSizeGb: 200, diskType: "pd-balanced" });

    const changed = await compileVmTraining(plan, altered(bill, "node-disk", (d) => ({ ...d, sizeGiB: 300, diskType: "pd-ssd" })));
    expect(changed.error).toBeUndefined();
    expect(one(changed, G.template).inputs.disks[0]).toMatchObject({ boot: true, diskSizeGb: 300, diskType: "pd-ssd" });
    expect(one(changed, G.template).name).toBe("billed-template");
  });

  it("the GPU nodes: the template's machine type and the group's targetSize are the gpu-nodes item's (2 billed: 2 built; 3 billed: 3 built)", async () => {
    const plan = vmTraining();
    const bill = gpu.billOfMaterials(plan, {});
    // The bill's first item: the plan's 2 g2-standard-8 nodes (lib/cost/bom/shared.ts gpuNodesItem), the ones the compute line prices.
    expect(bill[0]).toEqual({ kind: "gpu-nodes", instanceType: "g2-standard-8", count: 2 });
    const real = await compileVmTraining(plan, bill);
    expect(real.error).toBeUndefined();
    expect(one(real, G.mig).inputs.targetSize).toBe(2);
    expect(one(real, G.template).inputs.machineType).toBe("g2-standard-8");

    const changed = await compileVmTraining(plan, altered(bill, "gpu-nodes", (n) => ({ ...n, count: 3 })));
    expect(changed.error).toBeUndefined();
    expect(one(changed, G.mig).inputs.targetSize).toBe(3);
    expect(one(changed, G.mig).name).toBe("billed-nodes");
    // Another machine type than the plan's is refused: the template's disks, NICs and image are built for the plan's
    // (lib/clouds/shared/bill.ts billedGpuNodeGroup), the same rule on every cloud.
    const other = await compileVmTraining(plan, altered(bill, "gpu-nodes", (n) => ({ ...n, instanceType: "g2-standard-12" })));
    expect(String(other.error)).toMatch(/'gpu-nodes' item is g2-standard-12, but the compiler builds the GPU nodes for the plan's g2-standard-8/);
    // A training group is fixed: an item that autoscales it is the bill and the compiler disagreeing, an Error.
    const scaled = await compileVmTraining(plan, altered(bill, "gpu-nodes", (n) => ({ ...n, maxCount: 4 })));
    expect(String(scaled.error)).toMatch(/'gpu-nodes' item autoscales a fixed group of 2 training nodes to 4/);
    const without = await compileVmTraining(plan, altered(bill, "gpu-nodes", () => undefined));
    expect(String(without.error)).toMatch(/builds the GPU node group, but the bill of materials carries no 'gpu-nodes' item/);
  });

  it("a fleet's GPU nodes: the autoscaler's min and max replicas are the gpu-nodes item's count and maxCount (1 to 2 billed; 2 to 6 billed)", async () => {
    const plan = planned(gpu.planFleet({ cloud: "gcp", region: "us-central1", gpu: { instanceType: "g2-standard-8" }, replicas: { min: 1, max: 2 } }), gcpCompiler.checkOptions, {});
    const bill = gpu.billOfMaterials(plan, {});
    // One replica per VM (lib/planner/packing.ts): 1 node at replicas.min, 2 at replicas.max.
    expect(bill[0]).toEqual({ kind: "gpu-nodes", instanceType: "g2-standard-8", count: 1, maxCount: 2 });
    const compile = (b: BomItem[]) => run(() => gcpCompiler.compileInference(plan, {}, { name: "billed", parent: new Host("billed"), bill: b }));
    const real = await compile(bill);
    expect(real.error).toBeUndefined();
    expect(one(real, G.autoscaler).inputs.autoscalingPolicy).toMatchObject({ minReplicas: 1, maxReplicas: 2 });

    const changed = await compile(altered(bill, "gpu-nodes", (n) => ({ ...n, count: 2, maxCount: 6 })));
    expect(changed.error).toBeUndefined();
    expect(one(changed, G.autoscaler).inputs.autoscalingPolicy).toMatchObject({ minReplicas: 2, maxReplicas: 6 });
    expect(one(changed, G.autoscaler).name).toBe("billed-autoscaler");
    // An autoscaled fleet without its most in the bill: an Error, never a guessed ceiling.
    const unbounded = await compile(altered(bill, "gpu-nodes", ({ maxCount: _, ...n }) => n));
    expect(String(unbounded.error)).toMatch(/'gpu-nodes' item gives a fleet of 1 nodes at creation no most/);
  });

  it("Cloud NAT: a Router and its NAT with the cloud-nat item, none without it", async () => {
    const plan = vmTraining();
    const bill = gpu.billOfMaterials(plan, {});
    const real = await compileVmTraining(plan, bill);
    expect(ofType(real, G.router).map((r) => r.name)).toEqual(["billed-router"]);
    expect(one(real, G.nat).inputs).toMatchObject({ natIpAllocateOption: "AUTO_ONLY", region: "us-central1" });

    const without = await compileVmTraining(plan, altered(bill, "cloud-nat", () => undefined));
    expect(without.error).toBeUndefined();
    expect(ofType(without, G.router)).toEqual([]);
    expect(ofType(without, G.nat)).toEqual([]);
  });

  it("the SSH key secret: a 2-node cluster keeps its key in Secret Manager with the secret item, and has no trust without it", async () => {
    const plan = vmTraining();
    const bill = gpu.billOfMaterials(plan, {});
    expect(bill).toContainEqual({ kind: "secret", count: 1, locations: 1, what: "the cluster's SSH key" });
    const real = await compileVmTraining(plan, bill);
    expect(one(real, G.secret).name).toBe("billed-ssh-key");
    expect(one(real, G.secret).inputs).toMatchObject({ secretId: clusterKeySecretId("billed"), replication: { userManaged: { replicas: [{ location: "us-central1" }] } } });

    const without = await compileVmTraining(plan, altered(bill, "secret", () => undefined));
    expect(without.error).toBeUndefined();
    expect(ofType(without, G.secret)).toEqual([]);
  });

  it("storage: the bucket the bill names is built; one the bill leaves out is an Error, never a bucket quietly dropped", async () => {
    const plan = vmTraining();
    const bill = gpu.billOfMaterials(plan, {});
    const name = plan.storage[0]!.name;
    expect(bill).toContainEqual({ kind: "storage", name, storageKind: "object" });
    const real = await compileVmTraining(plan, bill);
    expect(one(real, G.bucket).inputs).toMatchObject({ location: "US-CENTRAL1", publicAccessPrevention: "enforced" });

    // Leaving a bucket out on an existing stack would delete it: the same rule on every cloud (lib/clouds/shared/bill.ts billedStorage).
    const without = await compileVmTraining(plan, altered(bill, "storage", () => undefined));
    expect(String(without.error)).toContain(`the compiler builds storage '${name}' (object), but the bill of materials carries no 'storage' item`);
    expect(ofType(without, G.bucket)).toEqual([]);
    // An item naming an entry the plan does not have is the bill and the plan disagreeing: an Error, not a guess.
    const unknown = await compileVmTraining(plan, altered(bill, "storage", (s) => ({ ...s, name: "elsewhere" })));
    expect(String(unknown.error)).toMatch(/carries object storage 'elsewhere', which the plan does not have/);
  });

  it("the load balancer: a product the VM fleet does not build is the Error from billedItem", async () => {
    const plan = planned(gpu.planFleet({ cloud: "gcp", region: "us-central1", gpu: { instanceType: "g2-standard-8" }, replicas: { min: 1, max: 2 } }), gcpCompiler.checkOptions, {});
    const bill = gpu.billOfMaterials(plan, {});
    // An internal VM fleet: a regional internal Application Load Balancer (lib/cost/bom/gcp-vm.ts).
    expect(bill).toContainEqual({ kind: "load-balancer", product: "gcp-internal-alb", scheme: "internal" });
    const real = await run(() => gcpCompiler.compileInference(plan, {}, { name: "billed", parent: new Host("billed"), bill }));
    expect(real.error).toBeUndefined();
    expect(one(real, "gcp:compute/regionBackendService:RegionBackendService").inputs.loadBalancingScheme).toBe("INTERNAL_MANAGED");

    const passthrough = altered(bill, "load-balancer", (lb) => ({ ...lb, product: "gcp-passthrough" }));
    const wrong = await run(() => gcpCompiler.compileInference(plan, {}, { name: "billed", parent: new Host("billed"), bill: passthrough }));
    expect(String(wrong.error)).toMatch(/builds the fleet's Application Load Balancer, but the bill of materials carries no 'load-balancer' item/);
  });

  it("Cloud Armor: the policy has the cloud-armor item's rule count (12 ranges: 3 rules billed, 10 + 2 + default; 4 billed, 10 + 1 + 1 + default)", async () => {
    const ranges = Array.from({ length: 12 }, (_, i) => `203.0.113.${i * 8}/29`);
    const options: GcpOptions = { allowedSourceRanges: ranges, sslCertificates: ["projects/p/global/sslCertificates/cert"] };
    const plan = planned(gpu.planFleet({ cloud: "gcp", region: "us-central1", gpu: { instanceType: "g2-standard-8" }, replicas: { min: 1, max: 2 }, loadBalancer: "internet-facing" }), gcpCompiler.checkOptions, options);
    const bill = gpu.billOfMaterials(plan, options);
    // One rule per 10 ranges (ARMOR_RANGES_PER_RULE, https://cloud.google.com/armor/quotas) and the default rule.
    expect(bill).toContainEqual(expect.objectContaining({ kind: "cloud-armor", count: 3 }));
    const compile = (b: BomItem[]) => run(() => gcpCompiler.compileInference(plan, options, { name: "billed", parent: new Host("billed"), bill: b }));
    const sizes = (result: OfflineRun) => one(result, G.armor).inputs.rules.map((r: any) => r.match.config.srcIpRanges.length);

    const real = await compile(bill);
    expect(real.error).toBeUndefined();
    expect(sizes(real)).toEqual([10, 2, 1]);
    const four = await compile(altered(bill, "cloud-armor", (a) => ({ ...a, count: 4 })));
    expect(four.error).toBeUndefined();
    expect(sizes(four)).toEqual([10, 1, 1, 1]);
    expect(one(four, G.armor).inputs.rules.map((r: any) => r.priority)).toEqual([1000, 1001, 1002, 2147483647]);
    // Two rules cannot hold 12 ranges at 10 a rule: the compiler refuses the bill rather than drop a client range.
    const two = await compile(altered(bill, "cloud-armor", (a) => ({ ...a, count: 2 })));
    expect(String(two.error)).toMatch(/Cloud Armor policy of 2 rules, which cannot hold 12 client ranges/);
  });
});

describe("GKE compiler: built as the bill says", () => {
  it("the system pool: the system-nodes item's count over GKE's 3 default zones (3 billed: 1 a zone; 6 billed: 2 a zone)", async () => {
    const plan = gkeTraining();
    const bill = gpu.billOfMaterials(plan, GKE);
    expect(bill).toContainEqual({ kind: "system-nodes", count: 3 });
    // `nodeCount` is per zone: "The number of nodes per instance group" (@pulumi/gcp 9.37.0 container/nodePool.d.ts).
    const real = await compileGkeTraining(plan, bill);
    expect(real.error).toBeUndefined();
    expect(pool(real, "billed-system-nodes").nodeCount).toBe(1);
    const six = await compileGkeTraining(plan, altered(bill, "system-nodes", (s) => ({ ...s, count: 6 })));
    expect(six.error).toBeUndefined();
    expect(pool(six, "billed-system-nodes").nodeCount).toBe(2);
    // With a maxCount the pool autoscales between the two, in total over its zones.
    const scaled = await compileGkeTraining(plan, altered(bill, "system-nodes", (s) => ({ ...s, maxCount: 6 })));
    expect(pool(scaled, "billed-system-nodes")).toMatchObject({ autoscaling: { totalMinNodeCount: 3, totalMaxNodeCount: 6 } });
    expect(pool(scaled, "billed-system-nodes").nodeCount).toBeUndefined();
  });

  it("the GPU pool: a training pool's nodeCount (one zone: per zone is the total) and machine type, and a fleet's autoscaling totals, are the gpu-nodes item's (2 → 3 nodes; 2–6 → 3–8)", async () => {
    const plan = gkeTraining();
    const bill = gpu.billOfMaterials(plan, GKE);
    expect(bill[0]).toEqual({ kind: "gpu-nodes", instanceType: "g2-standard-8", count: 2 });
    const real = await compileGkeTraining(plan, bill);
    expect(real.error).toBeUndefined();
    expect(pool(real, "billed-gpu-nodes")).toMatchObject({ nodeCount: 2, nodeConfig: { machineType: "g2-standard-8" } });
    // The training pool is in exactly one zone (lib/clouds/gcp/gke/infrastructure.ts), where `nodeCount` is "The number of
    // nodes per instance group" (@pulumi/gcp 9.37.0 container/nodePool.d.ts): the zone's count is the pool's.
    expect(pool(real, "billed-gpu-nodes").nodeLocations).toHaveLength(1);

    const three = await compileGkeTraining(plan, altered(bill, "gpu-nodes", (n) => ({ ...n, count: 3 })));
    expect(three.error).toBeUndefined();
    expect(pool(three, "billed-gpu-nodes").nodeCount).toBe(3);
    expect(pool(three, "billed-gpu-nodes").autoscaling).toBeUndefined();

    // A fleet's pool autoscales between the item's count and maxCount.
    const fleet = planned(gpu.planFleet({ cloud: "gcp", region: "us-central1", orchestrator: "kubernetes", gpu: { instanceType: "g2-standard-8" }, replicas: { min: 2, max: 6 } }), gkeCompiler.checkOptions, GKE);
    const fleetBill = gpu.billOfMaterials(fleet, GKE);
    // One 1-GPU replica per 1-GPU node (lib/planner/packing.ts): 2 nodes at replicas.min, 6 at replicas.max.
    expect(fleetBill[0]).toEqual({ kind: "gpu-nodes", instanceType: "g2-standard-8", count: 2, maxCount: 6 });
    const compile = (b: BomItem[]) => run(() => gkeCompiler.compileInference(fleet, GKE, { name: "billed", parent: new Host("billed"), bill: b }));
    const scaled = await compile(fleetBill);
    expect(scaled.error).toBeUndefined();
    // Totals over the pool's zones, not per zone ("Minimum/Maximum number of all nodes in the node pool", @pulumi/gcp
    // 9.37.0 types/input.d.ts, container NodePoolAutoscaling totalMinNodeCount / totalMaxNodeCount).
    expect(pool(scaled, "billed-gpu-nodes").autoscaling).toMatchObject({ totalMinNodeCount: 2, totalMaxNodeCount: 6 });

    const changed = await compile(altered(fleetBill, "gpu-nodes", (n) => ({ ...n, count: 3, maxCount: 8 })));
    expect(changed.error).toBeUndefined();
    expect(pool(changed, "billed-gpu-nodes").autoscaling).toMatchObject({ totalMinNodeCount: 3, totalMaxNodeCount: 8 });
    expect(pool(changed, "billed-gpu-nodes").nodeCount).toBeUndefined();
  });

  it("the boot disks: each pool's disk is its node-disk item (system 50 → 100 GiB, gpu 200 → 300 GiB)", async () => {
    const plan = gkeTraining();
    const bill = gpu.billOfMaterials(plan, GKE);
    expect(bill).toContainEqual({ kind: "node-disk", pool: "system", count: 3, sizeGiB: 50, diskType: "pd-balanced" });
    const real = await compileGkeTraining(plan, bill);
    expect(pool(real, "billed-system-nodes").nodeConfig).toMatchObject({ diskSizeGb: 50, diskType: "pd-balanced" });
    expect(pool(real, "billed-gpu-nodes").nodeConfig).toMatchObject({ diskSizeGb: 200, diskType: "pd-balanced" });

    const changed = await compileGkeTraining(
      plan,
      altered(bill, "node-disk", (d) => ({ ...d, sizeGiB: d.pool === "system" ? 100 : 300 })),
    );
    expect(changed.error).toBeUndefined();
    expect(pool(changed, "billed-system-nodes").nodeConfig).toMatchObject({ diskSizeGb: 100, diskType: "pd-balanced" });
    expect(pool(changed, "billed-gpu-nodes").nodeConfig).toMatchObject({ diskSizeGb: 300, diskType: "pd-balanced" });
  });

  it("the cluster: a created-cluster plan without the control-plane item is the Error from billedItem", async () => {
    const plan = gkeTraining();
    expect(plan.kubernetesCluster).toBe("created");
    const bill = gpu.billOfMaterials(plan, GKE);
    expect(bill).toContainEqual({ kind: "control-plane" });
    expect((await compileGkeTraining(plan, bill)).error).toBeUndefined();
    const without = await compileGkeTraining(plan, altered(bill, "control-plane", () => undefined));
    expect(String(without.error)).toMatch(/builds the GKE cluster, but the bill of materials carries no 'control-plane' item for it/);
    expect(ofType(without, G.cluster)).toEqual([]);
  });

  it("the secrets key: a created cluster without the kms-key item is the Error from billedItem", async () => {
    const plan = gkeTraining();
    const bill = gpu.billOfMaterials(plan, GKE);
    expect(bill).toContainEqual(expect.objectContaining({ kind: "kms-key", count: 1 }));
    const real = await compileGkeTraining(plan, bill);
    expect(one(real, G.cryptoKey).inputs).toMatchObject({ name: "gke-secrets", rotationPeriod: "7776000s" });
    const without = await compileGkeTraining(plan, altered(bill, "kms-key", () => undefined));
    expect(String(without.error)).toMatch(/builds the cluster's secrets key, but the bill of materials carries no 'kms-key' item/);
  });

  it("Cloud NAT on the cluster's network: none without the cloud-nat item", async () => {
    const plan = gkeTraining();
    const bill = gpu.billOfMaterials(plan, GKE);
    // Serving the 2 GPU nodes and the 3 system nodes (lib/cost/bom/gcp-gke.ts).
    expect(bill).toContainEqual({ kind: "cloud-nat", vms: 5 });
    expect(ofType(await compileGkeTraining(plan, bill), G.nat)).toHaveLength(1);
    const without = await compileGkeTraining(plan, altered(bill, "cloud-nat", () => undefined));
    expect(without.error).toBeUndefined();
    expect(ofType(without, G.nat)).toEqual([]);
    expect(ofType(without, G.router)).toEqual([]);
  });
});
