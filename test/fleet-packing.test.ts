/**
 * Several inference replicas per node (issue 15, Sizing: "Inference fits count several replicas per node, or smaller
 * SKUs, instead of a whole 8-GPU instance per replica"). The rule is lib/planner/packing.ts:
 * - Kubernetes targets: a replica is a pod requesting `nvidia.com/gpu: gpu.count`; Kubernetes never shares a GPU
 *   between containers and fills a node while its allocatable GPUs last
 *   (https://kubernetes.io/docs/tasks/manage-gpus/scheduling-gpus/, read 2026-12-01), so a node holds
 *   floor(GPUs per node / count) replicas and the pool holds ceil(replicas / that) nodes;
 * - VM targets: one model server per VM on all its GPUs: one replica per VM, and a note on what that costs.
 * Prices are the catalog's rows, multiplied out here by hand at 730 h.
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { estimateCost, planFleet, sizing, SpecError } from "gpu-cluster";
import { allowedCapacity } from "gpu-cluster/policy";
import { byName, container, one, privateEndpoint, run } from "./helpers/offline.js";
import { violationsOf } from "./helpers/policy.js";

/** CoreWeave gd-8xh100ib-i128 on-demand: $49.24 per instance-hour (lib/catalog/data/coreweave.ts, coreweave.com/pricing capture of 2026-10-10). */
const CW_H100_USD_PER_HOUR = 49.24;
/** CoreWeave gb200-4x on-demand: $42.00 per tray-hour (same capture). */
const CW_GB200_USD_PER_HOUR = 42;
/** AWS p4de.24xlarge us-east-1 on-demand: $27.44705 (Karpenter's generated AWS pricing @6fc13b52, dated 2026-07-20). */
const P4DE_USD_PER_HOUR = 27.44705;

const cwH100 = (count: number | undefined, min: number, max = min) =>
  planFleet({ cloud: "coreweave", region: "US-EAST-04", gpu: { model: "H100", ...(count !== undefined ? { count } : {}) }, replicas: { min, max } });

function compute(e: ReturnType<typeof estimateCost>, worst = false) {
  return (worst ? e.worstCaseLines! : e.lines).filter((l) => l.category === "compute");
}

describe("fleet packing on Kubernetes: nodes = ceil(replicas / floor(GPUs per node / gpu.count))", () => {
  it("CoreWeave: 8 one-GPU H100 replicas fill one gd-8xh100ib-i128 node, priced as one node", () => {
    const plan = cwH100(1, 8);
    expect(plan).toMatchObject({ instanceType: "gd-8xh100ib-i128", gpusPerReplica: 1, replicasPerNode: 8, nodes: { min: 1, max: 1 }, nodeCount: 1, totalGpus: 8 });
    expect(plan.notes).toContain("8 replicas of 1 GPU packed 8 per node on 1 gd-8xh100ib-i128 node (pods request nvidia.com/gpu: 1)");
    const e = estimateCost(plan);
    // 1 node × 730 h × $49.24 = $35,945.20 (was 8 nodes, $287,561.60)
    expect(compute(e)).toHaveLength(1);
    expect(compute(e)[0]).toMatchObject({ quantity: 730, unitPriceUsd: CW_H100_USD_PER_HOUR, monthlyUsd: 35_945.2 });
    expect(e.monthlyUsd).toBe(35_945.2);
    expect(e.notes).toContain("8 replicas of 1 GPU packed 8 per node on 1 gd-8xh100ib-i128 node: compute is priced per node, not per replica");
  });

  it("CoreWeave: a ninth replica needs a second node", () => {
    const plan = cwH100(1, 9);
    expect(plan.nodes).toEqual({ min: 2, max: 2 });
    // 2 × 730 h × $49.24 = $71,890.40
    expect(estimateCost(plan).monthlyUsd).toBe(71_890.4);
  });

  it("counts whole replicas per node, not GPUs: 5 replicas of 3 GPUs need 3 nodes of 8 (2 each), not ceil(15 / 8) = 2", () => {
    const plan = cwH100(3, 1, 5);
    expect(plan).toMatchObject({ replicasPerNode: 2, nodes: { min: 1, max: 3 }, nodeCount: 1 });
    expect(plan.notes.some((n) => n.includes("2 of each node's 8 GPUs fit no further replica and stay idle"))).toBe(true);
    const e = estimateCost(plan);
    expect(e.monthlyUsd).toBe(35_945.2);
    // worst case at replicas.max 5: 3 nodes × 730 h × $49.24 = $107,835.60
    expect(compute(e, true)[0]).toMatchObject({ quantity: 3 * 730, monthlyUsd: 107_835.6 });
    expect(e.worstCaseMonthlyUsd).toBe(107_835.6);
  });

  it("leaves a fleet without gpu.count one replica per node, as before packing (its pods keep their GPUs on upgrade)", () => {
    const plan = cwH100(undefined, 2, 6);
    expect(plan).toMatchObject({ gpusPerReplica: 8, replicasPerNode: 1, nodes: { min: 2, max: 6 }, nodeCount: 2 });
    expect(plan.notes.some((n) => n.includes("packed"))).toBe(false);
  });

  it("EKS: 4 one-GPU A100-80GB replicas on one p4de.24xlarge; the served traffic is per replica, not per node", () => {
    const spec = { cloud: "aws" as const, region: "us-east-1", orchestrator: "kubernetes" as const, loadBalancer: "internet-facing" as const, gpu: { model: "A100-80GB" as const, count: 1 }, replicas: { min: 4, max: 12 } };
    const plan = planFleet(spec);
    expect(plan).toMatchObject({ instanceType: "p4de.24xlarge", replicasPerNode: 8, nodes: { min: 1, max: 2 }, nodeCount: 1 });
    const e = estimateCost(plan);
    // 1 × 730 h × $27.44705 = $20,036.35; at 12 replicas 2 nodes: $40,072.69
    expect(compute(e)[0]).toMatchObject({ quantity: 730, unitPriceUsd: P4DE_USD_PER_HOUR, monthlyUsd: 20_036.35 });
    expect(compute(e, true)[0]).toMatchObject({ quantity: 1460, monthlyUsd: 40_072.69 });
    // SPEC_DEFAULTS.servedGiBPerReplica 100 GiB × 4 replicas (not × 1 node), and × 12 at the worst case
    expect(e.lines.find((l) => l.category === "egress")!.description).toContain("400 GiB served by the internet-facing load balancer");
    expect(e.worstCaseLines!.find((l) => l.category === "egress")!.description).toContain("1200 GiB served by the internet-facing load balancer");
  });

  it("CoreWeave GB200 NVL72: the rack rule counts Nodes, not replicas", () => {
    // GB200 NVL72 on CKS: whole racks of 18 trays, not autoscaled (docs.coreweave.com/products/cks/nodes/autoscaling).
    const rack = planFleet({ cloud: "coreweave", region: "US-EAST-01", gpu: { model: "GB200", count: 1 }, replicas: { min: 72, max: 72 } });
    expect(rack).toMatchObject({ instanceType: "gb200-4x", replicasPerNode: 4, nodes: { min: 18, max: 18 }, nodeCount: 18 });
    // 18 trays × 730 h × $42 = $551,880.00
    expect(estimateCost(rack).monthlyUsd).toBe(551_880);
    expect(CW_GB200_USD_PER_HOUR * 18 * 730).toBe(551_880);
    let error: unknown;
    try {
      planFleet({ cloud: "coreweave", region: "US-EAST-01", gpu: { model: "GB200", count: 1 }, replicas: { min: 18, max: 18 } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).path).toBe("replicas");
    expect((error as SpecError).message).toContain("these replicas need 5 Nodes; 4 replicas of 1 GPU fill a Node, so 72 replicas fill a rack");
    expect((error as SpecError).hint).toBe("set min and max to the same multiple of 72, e.g. { min: 72, max: 72 }");
  });
});

describe("fleet packing on VMs: one model server per VM, and the bill says so", () => {
  it("AWS A100-80GB, 1 GPU × 4 replicas: 4 × p4de.24xlarge, with the 28 GPUs beyond the ask named in the plan and the estimate", () => {
    const plan = planFleet({ cloud: "aws", region: "us-east-1", gpu: { model: "A100-80GB", count: 1 }, replicas: { min: 4, max: 4 } });
    expect(plan).toMatchObject({ orchestrator: "vm", instanceType: "p4de.24xlarge", gpusPerReplica: 1, replicasPerNode: 1, nodes: { min: 4, max: 4 }, nodeCount: 4 });
    expect(plan.notes).toContain(
      "orchestrator 'vm' runs one model server per p4de.24xlarge VM on all its 8 GPUs, though a replica asks 1: 7 GPUs per VM (28 at replicas.max) are billed beyond the ask. " +
        "orchestrator 'kubernetes' packs 8 replicas per node on 1 node instead",
    );
    const e = estimateCost(plan);
    // 4 × 730 h × $27.44705 = $80,145.39
    expect(compute(e)[0]).toMatchObject({ quantity: 4 * 730, monthlyUsd: 80_145.39 });
    expect(e.notes).toContain("one replica per p4de.24xlarge VM: each replica asks 1 GPU and is billed for 8 (28 GPUs beyond the ask at replicas.max); orchestrator 'kubernetes' packs 8 per node");
  });

  it("Azure H100, 2 GPUs × 8 replicas: 8 × ND96isr_H100_v5, 48 GPUs beyond the ask, 4 per node on AKS", () => {
    const plan = planFleet({ cloud: "azure", region: "eastus", gpu: { model: "H100", count: 2 }, replicas: { min: 8, max: 8 } });
    expect(plan).toMatchObject({ instanceType: "Standard_ND96isr_H100_v5", nodeCount: 8, replicasPerNode: 1 });
    expect(plan.notes.some((n) => n.includes("6 GPUs per VM (48 at replicas.max) are billed beyond the ask") && n.includes("packs 4 replicas per node on 2 nodes"))).toBe(true);
    const aks = planFleet({ cloud: "azure", region: "eastus", orchestrator: "kubernetes", gpu: { model: "H100", count: 2 }, replicas: { min: 8, max: 8 } });
    expect(aks).toMatchObject({ replicasPerNode: 4, nodes: { min: 2, max: 2 }, nodeCount: 2 });
  });
});

describe("fleet packing as built", () => {
  it("CoreWeave: a NodePool of the nodes, a Deployment and HPA of the replicas, pods requesting their share", async () => {
    const result = await run(() => new gpu.InferenceFleet("pack", { cloud: "coreweave", region: "US-EAST-04", gpu: { model: "H100", count: 2 }, replicas: { min: 3, max: 9 } }));
    expect(result.error).toBeUndefined();
    // 4 replicas of 2 GPUs per 8-GPU node: 3 replicas → 1 node, 9 → 3 nodes
    expect(one(result, "kubernetes:compute.coreweave.com/v1alpha1:NodePool").inputs.spec).toMatchObject({
      instanceType: "gd-8xh100ib-i128", targetNodes: 1, minNodes: 1, maxNodes: 3, autoscaling: true,
    });
    const deployment = one(result, "kubernetes:apps/v1:Deployment");
    expect(deployment.inputs.spec.replicas).toBe(3);
    expect(one(result, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler").inputs.spec).toMatchObject({ minReplicas: 3, maxReplicas: 9 });
    const c = container(deployment);
    expect(c.resources.limits["nvidia.com/gpu"]).toBe("2");
    expect(c.resources.requests["nvidia.com/gpu"]).toBe("2");
    expect(c.args).toEqual(["--model", "Qwen/Qwen3-8B", "--port", "8000", "--tensor-parallel-size", "2"]);
    // A drain or a rollout step takes one node's replicas (4), not one pod: draining a packed node pod by pod, each
    // waiting for its replacement to load the model, outlasts EKS's 15-minute drain
    // (https://docs.aws.amazon.com/eks/latest/userguide/managed-node-update-behavior.html).
    expect(one(result, "kubernetes:policy/v1:PodDisruptionBudget").inputs.spec.maxUnavailable).toBe(4);
    expect(deployment.inputs.spec.strategy.rollingUpdate).toEqual({ maxSurge: 0, maxUnavailable: 4 });
    // Spread softly over the nodes there are (Kubernetes' topology spread constraints: ScheduleAnyway scores, never
    // blocks), so a node's loss takes as few of the 3 replicas as the pool allows; packing still fills a lone node.
    expect(deployment.inputs.spec.template.spec.topologySpreadConstraints).toEqual([
      { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: deployment.inputs.spec.selector.matchLabels } },
    ]);
    // The node's CPU and memory share (85 % of 128 vCPU, 45 % of the node's memory) split four ways.
    expect(c.resources.requests.cpu).toBe(String(Math.floor((128 * 0.85) / 4)));
    // Policies read the nodes: 3 on-demand nodes at replicas.max (not 9), a worst case of 3 × 730 h × $49.24.
    const fleet = result.resources.find((r) => r.name === "pack" && !r.custom)!;
    expect(fleet.inputs.costEstimate.worstCaseMonthlyUsd).toBe(107_835.6);
    expect(await violationsOf(allowedCapacity, fleet, { maxOnDemandNodes: 3 })).toEqual([]);
    expect(await violationsOf(allowedCapacity, fleet, { maxOnDemandNodes: 2 })).toEqual([
      "pack runs 3 on-demand gd-8xh100ib-i128 nodes, more than the 2 allowed; use a reservation, a capacity block or spot",
    ]);
  });

  it("a fleet of one replica a node has no spread to ask for: each pod takes a whole node's GPUs", async () => {
    const result = await run(() => new gpu.InferenceFleet("whole", { cloud: "coreweave", region: "US-EAST-04", gpu: { model: "H100", count: 8 }, replicas: { min: 2, max: 4 } }));
    expect(result.error).toBeUndefined();
    const deployment = one(result, "kubernetes:apps/v1:Deployment");
    expect(deployment.inputs.spec.strategy.rollingUpdate).toEqual({ maxSurge: 0, maxUnavailable: 1 });
    expect(deployment.inputs.spec.template.spec.topologySpreadConstraints).toBeUndefined();
  });

  it("EKS: the GPU node group scales between the nodes the replicas fill", async () => {
    const result = await run(() =>
      new gpu.InferenceFleet("pack", privateEndpoint({ cloud: "aws", region: "us-east-1", orchestrator: "kubernetes", gpu: { model: "A100-80GB", count: 1 }, replicas: { min: 4, max: 12 } } as gpu.InferenceFleetArgs)),
    );
    expect(result.error).toBeUndefined();
    expect(byName(result, "aws:eks/nodeGroup:NodeGroup", "pack-gpu-nodes").inputs.scalingConfig).toMatchObject({ minSize: 1, maxSize: 2, desiredSize: 1 });
    expect(one(result, "kubernetes:apps/v1:Deployment").inputs.spec.replicas).toBe(4);
  });

  it("GKE: a pinned 4-GPU g2-standard-48 with gpu.count 1 packs 4 replicas a node; the pool autoscales over the nodes", async () => {
    const result = await run(() =>
      new gpu.InferenceFleet("pack", privateEndpoint({ cloud: "gcp", region: "us-central1", orchestrator: "kubernetes", gpu: { instanceType: "g2-standard-48", count: 1 }, replicas: { min: 2, max: 10 } } as gpu.InferenceFleetArgs)),
    );
    expect(result.error).toBeUndefined();
    // 2 replicas → 1 node, 10 → ceil(10 / 4) = 3 nodes
    expect(byName(result, "gcp:container/nodePool:NodePool", "pack-gpu-nodes").inputs.autoscaling).toMatchObject({ totalMinNodeCount: 1, totalMaxNodeCount: 3 });
    expect(one(result, "kubernetes:apps/v1:Deployment").inputs.spec.replicas).toBe(2);
  });

  it("AKS: 8 replicas of 2 H100s on 2 ND96isr_H100_v5 nodes (4 a node)", async () => {
    const result = await run(() =>
      new gpu.InferenceFleet("pack", privateEndpoint({ cloud: "azure", region: "eastus", orchestrator: "kubernetes", gpu: { model: "H100", count: 2 }, replicas: { min: 8, max: 8 } } as gpu.InferenceFleetArgs)),
    );
    expect(result.error).toBeUndefined();
    expect(one(result, "azure-native:containerservice:AgentPool").inputs).toMatchObject({ vmSize: "Standard_ND96isr_H100_v5", count: 2, enableAutoScaling: true, minCount: 2, maxCount: 2 });
    expect(one(result, "kubernetes:apps/v1:Deployment").inputs.spec.replicas).toBe(8);
  });
});

describe("GB200 NVL72 in inference sizing and the fleet planner", () => {
  it("fits a replica over several trays of one rack, and says the fleet does not build it, as planFleet refuses it", () => {
    // 1.8e12 × 1 B (fp8) = 1,676.4 GiB over 186 GiB × 0.9 = 10.0 → 16 GPUs: 4 trays of one 72-GPU rack, 4 replicas a rack
    const s = sizing.inference({ parameters: 1.8e12, precision: "fp8" });
    const gb200 = s.fits.find((f) => f.gpuModel === "GB200")!;
    expect(gb200).toMatchObject({ gpus: 16, instanceType: "gb200-4x", replicasPerNode: 0, nodesPerReplica: 4, nodes: 18, replicas: 4, usdPerUnitHour: 756, usdPerReplicaHour: 189, fleet: false });
    expect(() => planFleet({ cloud: "coreweave", region: gb200.region, gpu: { model: "GB200", count: gb200.gpus }, replicas: { min: 4, max: 4 } })).toThrow(
      /no coreweave instance has 16 GB200 GPUs per replica; a replica runs within one gb200-4x tray/,
    );
    // Beyond one rack's 72 GPUs there is no NVLink domain to hold it: no GB200 fit.
    expect(sizing.inference({ parameters: 20e12, precision: "fp8" }).fits.find((f) => f.gpuModel === "GB200")).toBeUndefined();
  });

  it("a one-tray replica is a fit the fleet builds: 72 one-GPU replicas on one rack", () => {
    const gb200 = sizing.inference({ parameters: 8e9, precision: "bf16" }).fits.find((f) => f.gpuModel === "GB200")!;
    expect(gb200).toMatchObject({ gpus: 1, replicasPerNode: 4, nodesPerReplica: 1, nodes: 18, replicas: 72, usdPerReplicaHour: 10.5, fleet: true });
    const plan = planFleet({ cloud: "coreweave", region: gb200.region, gpu: { model: "GB200", count: gb200.gpus }, replicas: { min: gb200.replicas, max: gb200.replicas } });
    expect(plan.nodeCount).toBe(gb200.nodes);
    expect(estimateCost(plan).monthlyUsd).toBe(gb200.usdPerUnitHour * 730);
  });
});

describe("pulls of a packed fleet: each pod downloads the model into its own cache unless a shared file system holds it", () => {
  // lib/clouds/kubernetes/inference.ts: HF_HOME on the pod's emptyDir, or on the fleet's nfs / lustre volume.
  // Cloud NAT data processing: $0.045 per GiB (lib/catalog/data/fees.ts, Cloud Billing Catalog via Cyclenerd 2025-03-06).
  const gke = { cloud: "gcp", region: "us-central1", orchestrator: "kubernetes", gpu: { instanceType: "g2-standard-24", count: 1 }, replicas: { min: 2, max: 10 } } as const;
  const natData = (e: ReturnType<typeof estimateCost>) => e.lines.find((l) => /NAT data processed/.test(l.description));

  it("2 one-GPU replicas on one g2-standard-24: 2 × 50 GiB × $0.045 = $4.50, and the note says per replica", () => {
    const e = estimateCost(gke);
    expect(e.nodeCount).toBe(1);
    expect(natData(e)).toMatchObject({ quantity: 100, monthlyUsd: 4.5 });
    expect(e.notes).toContain("inbound pulls through the NAT priced at the default 50 GiB per replica (each packed pod downloads the model into its own cache) a month; state egress.pulledTiBPerMonth to change it");
  });

  it("with a Filestore share the replicas read the model from it: one node's 50 GiB, $2.25", () => {
    const e = estimateCost({ ...gke, storage: [{ kind: "nfs", capacityTiB: 1, mountPath: "/models" }] });
    expect(natData(e)).toMatchObject({ quantity: 50, monthlyUsd: 2.25 });
  });
});

describe("the default model server splits the default model over 1, 2, 4 or 8 GPUs only", () => {
  // vLLM refuses a tensor-parallel size that does not divide the attention heads (ModelConfig.verify_with_parallel_config);
  // Qwen/Qwen3-8B has 32 (its config.json: num_attention_heads 32), so 3 GPUs per replica would crash-loop after `up`.
  it("3 GPUs per replica on the default model is a SpecError on gpu.count; with a model named, it builds", async () => {
    const spec = { cloud: "coreweave", region: "US-EAST-04", gpu: { model: "H100", count: 3 }, replicas: { min: 2, max: 4 } } as const;
    const refused = await run(() => new gpu.InferenceFleet("tp3", spec));
    expect(String(refused.error)).toMatch(/SpecError: gpu\.count: 3 GPUs per replica: the default model Qwen\/Qwen3-8B has 32 attention heads, which vLLM splits over 1, 2, 4, 8 GPUs only/);
    const own = await run(() => new gpu.InferenceFleet("tp3", { ...spec, coreweave: { model: "example/heads-divisible-by-3" } }));
    expect(own.error).toBeUndefined();
    expect(container(one(own, "kubernetes:apps/v1:Deployment")).args).toEqual(["--model", "example/heads-divisible-by-3", "--port", "8000", "--tensor-parallel-size", "3"]);
  });
});

describe("a fleet's worst case prices an autoscaled system pool at its maximum, as the GPU pool is at replicas.max", () => {
  // EKS system node group: min 2, max 3 (catalog systemNodes.maxNodes; lib/clouds/aws/eks/node-group.ts reads it).
  // m7i.large us-east-1 $0.1008/h (Karpenter's generated AWS pricing @6fc13b52, 2026-07-20); 50 GiB gp3 root at $0.08/GiB-month.
  it("EKS: 2 system nodes at replicas.min ($147.17), 3 in the worst case ($220.75), and their root disks ($8.00 / $12.00)", () => {
    const e = estimateCost({ cloud: "aws", region: "us-east-1", orchestrator: "kubernetes", gpu: { instanceType: "g6.12xlarge", count: 1 }, replicas: { min: 2, max: 12 } });
    const system = (lines: typeof e.lines) => lines.find((l) => /system node pool/.test(l.description))!;
    const disks = (lines: typeof e.lines) => lines.find((l) => /^system node root disks/.test(l.description))!;
    expect(system(e.lines)).toMatchObject({ quantity: 1_460, unitPriceUsd: 0.1008, monthlyUsd: 147.17 });
    expect(system(e.worstCaseLines!)).toMatchObject({ quantity: 2_190, monthlyUsd: 220.75 });
    expect(disks(e.lines).monthlyUsd).toBe(8);
    expect(disks(e.worstCaseLines!).monthlyUsd).toBe(12);
  });
});
