import { describe, expect, it } from "vitest";
import { SpecError, isSpecError, validate, type ClusterSpec, type FleetSpec } from "gpu-cluster";

const train: ClusterSpec = { cloud: "aws", region: "us-east-1", gpu: { model: "H100", count: 64 } };
const serve: FleetSpec = { cloud: "aws", region: "us-east-1", gpu: { model: "L4" }, replicas: { min: 1, max: 4 } };

/** [what is wrong, the spec, the field the error must name, a phrase the message must contain] */
const BAD: [string, unknown, string, RegExp][] = [
  ["not an object", 42, "spec", /must be an object/],
  ["typo in a top-level key", { ...train, regoin: "us-east-1" }, "regoin", /did you mean 'region'/],
  ["missing cloud", { ...train, cloud: undefined }, "cloud", /required/],
  ["unknown cloud", { ...train, cloud: "oracle" }, "cloud", /'oracle' is not valid/],
  ["missing region", { ...train, region: undefined }, "region", /required/],
  ["region of another cloud", { ...train, region: "us-central1" }, "region", /not a aws region/],
  ["region typo", { ...train, region: "us-east-l" }, "region", /did you mean 'us-east-1'/],
  ["missing gpu", { cloud: "aws", region: "us-east-1" }, "gpu", /required/],
  ["gpu not an object", { ...train, gpu: "H100" }, "gpu", /must be an object/],
  ["unknown gpu key", { ...train, gpu: { model: "H100", cuont: 8 } }, "gpu.cuont", /did you mean 'count'/],
  ["ambiguous A100", { ...train, gpu: { model: "A100", count: 8 } }, "gpu.model", /A100-40GB' or 'A100-80GB/],
  ["unknown GPU model", { ...train, gpu: { model: "H1000", count: 8 } }, "gpu.model", /did you mean 'H100'/],
  ["model the cloud does not offer", { ...train, cloud: "gcp", region: "us-central1", gpu: { model: "A10G", count: 8 } }, "gpu.model", /A10G is not offered on gcp.*A10G is on aws/],
  ["model not offered in the region", { ...train, region: "eu-west-1" }, "gpu.model", /H100 is not offered on aws in eu-west-1; regions that offer it: .*\bus-east-1\b/],
  ["model missing without instance type", { ...train, gpu: { count: 8 } }, "gpu.model", /required/],
  ["count not a whole number of nodes", { ...train, gpu: { model: "H100", count: 100 } }, "gpu.count", /100 GPUs is not a whole number of p5.48xlarge nodes.*use 96 or 104/],
  ["count below one node", { ...train, gpu: { model: "H100", count: 4 } }, "gpu.count", /use 8/],
  ["fractional count", { ...train, gpu: { model: "H100", count: 8.5 } }, "gpu.count", /not a whole number/],
  ["zero count", { ...train, gpu: { model: "H100", count: 0 } }, "gpu.count", /too small/],
  ["negative nodes", { ...train, gpu: { model: "H100", nodes: -2 } }, "gpu.nodes", /too small/],
  ["NaN nodes", { ...train, gpu: { model: "H100", nodes: Number.NaN } }, "gpu.nodes", /finite number/],
  ["infinite count", { ...train, gpu: { model: "H100", count: Infinity } }, "gpu.count", /finite number/],
  ["count and nodes both", { ...train, gpu: { model: "H100", count: 16, nodes: 2 } }, "gpu", /not both/],
  ["neither count nor nodes", { ...train, gpu: { model: "H100" } }, "gpu.count", /needs gpu.count or gpu.nodes/],
  ["unknown instance type", { ...train, gpu: { instanceType: "p5.48xlargee", nodes: 2 } }, "gpu.instanceType", /did you mean 'p5.48xlarge'/],
  ["instance type does not carry the model", { ...train, gpu: { model: "A100-80GB", instanceType: "p5.48xlarge", nodes: 2 } }, "gpu.model", /carries H100/],
  ["instance type not in the region", { ...train, region: "eu-west-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 } }, "gpu.instanceType", /not offered in eu-west-1/],
  ["GB200 not in whole racks", { cloud: "coreweave", region: "US-EAST-01", gpu: { model: "GB200", nodes: 20 } }, "gpu.nodes", /whole units of 18 nodes.*use 36 nodes/],
  ["unknown fabric", { ...train, fabric: "ethernet" }, "fabric", /'ethernet' is not valid/],
  ["infiniband on gcp", { ...train, cloud: "gcp", region: "us-central1", gpu: { model: "H100", count: 16 }, fabric: "infiniband" }, "fabric", /'infiniband' is not offered on gcp; use 'auto' \(gpudirect-tcpxo on a3-megagpu-8g\) or choose azure\/coreweave/],
  ["efa on azure", { ...train, cloud: "azure", region: "eastus", fabric: "efa" }, "fabric", /'efa' is not offered on azure/],
  ["fabric the instance lacks", { ...train, gpu: { instanceType: "g6.xlarge", nodes: 2 }, fabric: "efa" }, "fabric", /g6.xlarge does not have 'efa'/],
  ["more nodes than one IB placement group", { cloud: "azure", region: "eastus", gpu: { model: "H100", nodes: 101 } }, "gpu.count", /exceeds the 100 nodes one azure placement group holds/],
  ["storage not a list", { ...train, storage: { kind: "lustre" } }, "storage", /must be a list/],
  ["unknown storage kind", { ...train, storage: [{ kind: "tape", capacityTiB: 1 }] }, "storage[0].kind", /'tape' is not valid/],
  ["negative capacity", { ...train, storage: [{ kind: "lustre", capacityTiB: -1 }] }, "storage[0].capacityTiB", /too small/],
  ["missing capacity", { ...train, storage: [{ kind: "nfs" }] }, "storage[0].capacityTiB", /required/],
  ["unknown storage tier", { ...train, storage: [{ kind: "lustre", capacityTiB: 12, tier: "persistent-12" }] }, "storage[0].tier", /did you mean 'persistent-125'/],
  ["storage kind the cloud lacks", { ...train, cloud: "coreweave", region: "US-EAST-04", storage: [{ kind: "block", capacityTiB: 1 }] }, "storage[0].kind", /coreweave has no 'block' offering/],
  ["unknown storage key", { ...train, storage: [{ kind: "nfs", capacityTiB: 1, size: 3 }] }, "storage[0].size", /not a known field/],
  ["relative mount path", { ...train, storage: [{ kind: "nfs", capacityTiB: 1, mountPath: "data" }] }, "storage[0].mountPath", /not a plain absolute path/],
  ["duplicate mount path", { ...train, storage: [{ kind: "nfs", capacityTiB: 1, mountPath: "/d" }, { kind: "lustre", capacityTiB: 12, mountPath: "/d" }] }, "storage[1].mountPath", /already used by storage\[0\]/],
  ["importPath on nfs", { ...train, storage: [{ kind: "nfs", capacityTiB: 1, importPath: "s3://b" }] }, "storage[0].importPath", /only a lustre/],
  ["negative egress", { ...train, egress: { internetTiBPerMonth: -5 } }, "egress.internetTiBPerMonth", /too small/],
  ["NaN cross-region egress", { ...train, egress: { crossRegionTiBPerMonth: Number.NaN } }, "egress.crossRegionTiBPerMonth", /finite number/],
  ["egress typo", { ...train, egress: { internetTBPerMonth: 5 } }, "egress.internetTBPerMonth", /did you mean 'internetTiBPerMonth'/],
  ["internet egress while air-gapped", { ...train, egress: { internetTiBPerMonth: 1, natGateway: false } }, "egress.internetTiBPerMonth", /air-gapped/],
  ["unknown pricing", { ...train, pricing: "reserved" }, "pricing", /did you mean 'reserved-1y'/],
  ["capacity block off AWS", { ...train, cloud: "azure", region: "eastus", pricing: "capacity-block" }, "pricing", /AWS offering/],
  ["spot where the type is not sold as spot", { cloud: "coreweave", region: "US-EAST-01", gpu: { model: "GB200", nodes: 18 }, pricing: "spot" }, "pricing", /not sold as spot/],
  ["no public price for the pricing model", { ...train, pricing: "reserved-3y" }, "pricing", /no public reserved-3y price for p5.48xlarge in us-east-1.*contractUsdPerHour/],
  ["negative contract price", { ...train, contractUsdPerHour: -3 }, "contractUsdPerHour", /too small/],
  ["spot with a reservation", { ...train, pricing: "spot", reservationId: "cr-1" }, "reservationId", /not used by spot/],
  ["hours beyond a month", { ...train, hoursPerMonth: 800 }, "hoursPerMonth", /too large/],
  ["zero hours", { ...train, hoursPerMonth: 0 }, "hoursPerMonth", /too small/],
  ["zone of another region", { ...train, zone: "us-west-2a" }, "zone", /not a zone of us-east-1/],
  ["zone on CoreWeave", { cloud: "coreweave", region: "US-EAST-04", gpu: { model: "H100", count: 16 }, zone: "A" }, "zone", /no zones/],
  ["negative budget", { ...train, budget: { monthlyUsd: -1 } }, "budget.monthlyUsd", /too small/],
  ["budget action typo", { ...train, budget: { monthlyUsd: 1e6, onExceed: "fial" } }, "budget.onExceed", /did you mean 'fail'/],
  ["budget without amount", { ...train, budget: { onExceed: "fail" } }, "budget.monthlyUsd", /required/],
  ["fleet without replicas bounds", { ...serve, replicas: { min: 1 } }, "replicas.max", /required/],
  ["fleet min above max", { ...serve, replicas: { min: 5, max: 2 } }, "replicas", /min \(5\) is greater than max \(2\)/],
  ["fleet negative min", { ...serve, replicas: { min: -1, max: 2 } }, "replicas.min", /too small/],
  ["fleet sized in nodes", { ...serve, gpu: { model: "L4", nodes: 2 } }, "gpu.nodes", /sized by replicas/],
  ["fleet asks more GPUs per replica than any instance has", { ...serve, gpu: { model: "L4", count: 16 } }, "gpu.count", /no aws instance has 16 L4 GPUs per replica/],
  ["fleet load balancer typo", { ...serve, loadBalancer: "public" }, "loadBalancer", /valid: 'internal', 'internet-facing'/],
  ["fleet port out of range", { ...serve, port: 70000 }, "port", /too large/],
  ["fleet health path not absolute", { ...serve, healthCheckPath: "health" }, "healthCheckPath", /absolute URL path/],
  // What a cloud will not sell or build: checked here too, so estimate and compare agree with the components.
  ["capacity block without its reservation", { ...train, pricing: "capacity-block" }, "reservationId", /launches into a purchased Capacity Block/],
  ["AWS reservation without its zone", { ...train, reservationId: "cr-0123456789abcdef0" }, "zone", /lives in one availability zone/],
  ["AWS fleet on a capacity block", { ...serve, gpu: { instanceType: "p5.48xlarge" }, pricing: "capacity-block", reservationId: "cr-1", zone: "us-east-1a" }, "pricing", /built for training clusters/],
  ["AWS Lustre linked to a GCS path", { ...train, storage: [{ kind: "lustre", capacityTiB: 12, importPath: "gs://b/p" }] }, "storage[0].importPath", /links to s3:\/\/ paths/],
  ["A3 Ultra on demand without a reservation", { cloud: "gcp", region: "us-central1", gpu: { model: "H200", count: 16 } }, "reservationId", /not sold on demand/],
  ["more nodes than any node group holds", { ...train, gpu: { model: "H100", nodes: 2 ** 60 } }, "gpu.nodes", /too large/],
  ["a gp3 volume over 16 TiB", { ...train, storage: [{ kind: "block", capacityTiB: 20 }] }, "storage[0].capacityTiB", /more than one Amazon EBS gp3 \(storage only\) holds \(16384 GiB\)/],
  ["unknown orchestrator", { ...train, orchestrator: "k8s" }, "orchestrator", /'k8s' is not valid/],
  ["VMs on CoreWeave", { cloud: "coreweave", region: "US-EAST-04", gpu: { model: "H100", count: 16 }, orchestrator: "vm" }, "orchestrator", /only under Kubernetes/],
  ["CoreWeave fleet scaling to zero", { cloud: "coreweave", region: "US-EAST-04", gpu: { model: "H100", count: 8 }, replicas: { min: 0, max: 2 } }, "replicas.min", /does not scale to zero/],
  // VM fleets scale on load per serving replica: none running, nothing to measure (lib/planner/offering.ts
  // VM_FLEET_SCALE_SIGNAL; https://cloud.google.com/compute/docs/autoscaler/scaling-stackdriver-monitoring-metrics).
  ["AWS VM fleet at zero replicas", { cloud: "aws", region: "us-east-1", gpu: { model: "L4" }, replicas: { min: 0, max: 2 } }, "replicas.min", /0 cannot start again on aws VMs: the fleet scales on the load balancer's requests per target/],
  ["GCP VM fleet at zero replicas", { cloud: "gcp", region: "us-central1", gpu: { model: "L4" }, replicas: { min: 0, max: 2 } }, "replicas.min", /0 cannot start again on gcp VMs: the fleet scales on the load balancer's serving capacity per VM/],
  ["Azure VM fleet at zero replicas", { cloud: "azure", region: "eastus", gpu: { instanceType: "Standard_NC24ads_A100_v4" }, replicas: { min: 0, max: 2 } }, "replicas.min", /0 cannot start again on azure VMs: .*SYN count/],
];

describe("validate: every spec that cannot be built is a SpecError naming its field", () => {
  it.each(BAD)("%s", (_what, spec, path, message) => {
    let caught: unknown;
    try {
      validate(spec as ClusterSpec);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(SpecError);
    const err = caught as SpecError;
    expect(err.name).toBe("SpecError");
    expect(isSpecError(err)).toBe(true);
    expect(err.path).toBe(path);
    expect(err.message).toMatch(message);
    expect(err.message.startsWith(`${path}: `)).toBe(true);
  });

  it("accepts the specs the errors were made from", () => {
    expect(() => validate(train)).not.toThrow();
    expect(() => validate(serve)).not.toThrow();
  });

  it("treats replicas: undefined as a training cluster", () => {
    expect(() => validate({ ...train, replicas: undefined } as ClusterSpec)).not.toThrow();
  });
});

describe("training smaller than the model's NVLink node runs on one instance with exactly that many GPUs", () => {
  // g5.xlarge us-east-1 on-demand $1.006/h, g5.12xlarge $5.672/h (Karpenter's generated AWS pricing @6fc13b52, 2026-07-20).
  it("1 A10G: one g5.xlarge, 730 h × $1.006 = $734.38 of compute (was refused: 'use 8')", async () => {
    const { estimateCost, planCluster } = await import("gpu-cluster");
    const plan = planCluster({ cloud: "aws", region: "us-east-1", gpu: { model: "A10G", count: 1 } });
    expect(plan).toMatchObject({ instanceType: "g5.xlarge", nodeCount: 1, totalGpus: 1 });
    expect(estimateCost(plan).lines.find((l) => l.category === "compute")).toMatchObject({ quantity: 730, unitPriceUsd: 1.006, monthlyUsd: 734.38 });
    expect(planCluster({ cloud: "aws", region: "us-east-1", gpu: { model: "A10G", count: 4 } }).instanceType).toBe("g5.12xlarge");
  });

  it("a count no instance holds, or gpu.nodes, keeps the NVLink node and its rule", () => {
    expect(() => validate({ cloud: "aws", region: "us-east-1", gpu: { model: "A10G", count: 3 } })).toThrow(/gpu\.count: 3 GPUs is not a whole number of g5\.48xlarge nodes \(8 GPUs each\); use 8/);
    expect(() => validate({ cloud: "aws", region: "us-east-1", gpu: { model: "H100", count: 16 } })).not.toThrow();
  });
});
