/**
 * The CoreWeave compiler builds its billable things from the bill of materials the estimate priced (CompileContext.bill,
 * lib/cost/bom/coreweave.ts): the public address of an internet-facing fleet with the plain-HTTP opt-out
 * (`coreweave.plaintextPublicService`) is the one item besides storage; behind the cluster's Traefik (`coreweave.ingress`)
 * the address is the cluster's and the bill carries none. CKS gives a
 * LoadBalancer Service a public address only when it is annotated `service.beta.kubernetes.io/coreweave-load-balancer-type:
 * public` (https://docs.coreweave.com/products/networking/ingress-service/expose-service-dns; "How do I get a publicly routable IP for my LoadBalancer Service?" in CoreWeave's networking support articles), so the Service is public exactly
 * when the bill carries (and the estimate prices) that address. The NodePool is sized from the bill's first item,
 * `gpu-nodes` (lib/cost/bom/shared.ts gpuNodesItem: the Nodes at creation, and a fleet's most at replicas.max): its
 * spec.instanceType, targetNodes, minNodes, maxNodes and autoscaling are the fields CKS sizes a pool by
 * (https://docs.coreweave.com/products/cks/reference/node-pool, https://docs.coreweave.com/products/cks/nodes/autoscaling, read 2026-12-01).
 */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { coreweaveCompiler } from "../lib/clouds/coreweave/index.js";
import type { BomItem } from "../lib/cost/bom/types.js";
import { one, run } from "./helpers/offline.js";

const SERVICE = "kubernetes:core/v1:Service";
const NODE_POOL = "kubernetes:compute.coreweave.com/v1alpha1:NodePool";
const isGpuNodes = (i: BomItem) => i.kind === "gpu-nodes";

/** The bill with its gpu-nodes item replaced by `item` (failing when there is none: the case would test nothing). */
function gpuNodes(item: BomItem): (bill: BomItem[]) => BomItem[] {
  return (bill) => {
    expect(bill.filter(isGpuNodes)).toHaveLength(1);
    return bill.map((old) => (isGpuNodes(old) ? item : old));
  };
}
const OPTIONS = { loadBalancerSourceRanges: ["203.0.113.0/24"], plaintextPublicService: true };

class Host extends pulumi.ComponentResource {
  constructor(name: string) {
    super("test:index:Host", name);
  }
}

/** Compile an internet-facing CoreWeave fleet with `bill` in place of the one its estimate priced. */
async function compileWith(name: string, bill: (real: BomItem[]) => BomItem[], options: object = OPTIONS) {
  const plan = gpu.planFleet({ cloud: "coreweave", region: "US-EAST-04", gpu: { model: "L40S", count: 8 }, replicas: { min: 1, max: 2 }, loadBalancer: "internet-facing" });
  plan.name = name;
  const real = gpu.billOfMaterials(plan, options);
  const result = await run(() => coreweaveCompiler.compileInference(plan, options, { name, parent: new Host(name), bill: bill(real) }));
  expect(result.error).toBeUndefined();
  return { real, result, service: one(result, SERVICE).inputs, pool: one(result, NODE_POOL).inputs };
}

describe("CoreWeave builds from its bill of materials", () => {
  it("makes the fleet's Service public with the public IP the bill carries", async () => {
    const { real, service } = await compileWith("cw-public", (b) => b);
    expect(real).toContainEqual({ kind: "public-ip", count: 1, what: "the LoadBalancer Service's public IP" });
    expect(service.spec.type).toBe("LoadBalancer");
    expect(service.metadata.annotations["service.beta.kubernetes.io/coreweave-load-balancer-type"]).toBe("public");
    expect(service.spec.loadBalancerSourceRanges).toEqual(["203.0.113.0/24"]);
  });

  it("builds no public address the bill does not pay for: without the item the Service stays ClusterIP", async () => {
    const { service } = await compileWith("cw-private", (b) => b.filter((item) => item.kind !== "public-ip"));
    expect(service.spec.type).toBe("ClusterIP");
    expect(service.metadata.annotations["service.beta.kubernetes.io/coreweave-load-balancer-type"]).toBeUndefined();
  });

  it("behind the cluster's Traefik the bill carries no public address, and the Service is ClusterIP behind an Ingress", async () => {
    const { real, result, service } = await compileWith("cw-https", (b) => b, { loadBalancerSourceRanges: ["203.0.113.0/24"], ingress: { orgId: "cw0000", clusterName: "inference" } });
    expect(real.filter((i) => i.kind === "public-ip")).toEqual([]);
    expect(service.spec.type).toBe("ClusterIP");
    expect(one(result, "kubernetes:networking.k8s.io/v1:Ingress").inputs.spec.rules[0].host).toBe("cw-https.cw0000-inference.coreweave.app");
  });

  it("a fleet's gpu-nodes item of 2..5 gives the NodePool targetNodes 2, min 2, max 5, autoscaled (the real bill: 1..2)", async () => {
    const { real, pool: realPool } = await compileWith("cw-fleet", (b) => b);
    // 8 L40S a replica fill a gd-8xl40s-i128 Node: one replica a Node, so replicas 1..2 are 1..2 Nodes (lib/planner/packing.ts).
    expect(real.filter(isGpuNodes)).toEqual([{ kind: "gpu-nodes", instanceType: "gd-8xl40s-i128", count: 1, maxCount: 2 }]);
    expect(realPool.spec).toMatchObject({ instanceType: "gd-8xl40s-i128", targetNodes: 1, minNodes: 1, maxNodes: 2, autoscaling: true });
    const { pool } = await compileWith("cw-fleet5", gpuNodes({ kind: "gpu-nodes", instanceType: "gd-8xl40s-i128", count: 2, maxCount: 5 }));
    expect(pool.spec).toMatchObject({ instanceType: "gd-8xl40s-i128", targetNodes: 2, minNodes: 2, maxNodes: 5, autoscaling: true });
  });

  it("a training gpu-nodes item of 4 gives the NodePool 4 Nodes, fixed (the real bill: 2); without the item it is an Error", async () => {
    const plan = gpu.planCluster({ cloud: "coreweave", region: "US-EAST-04", gpu: { instanceType: "gd-8xh100ib-i128", nodes: 2 } } as gpu.ClusterSpec);
    plan.name = "cw-train";
    const compileTraining = (name: string, edit: (bill: BomItem[]) => BomItem[]) =>
      run(() => coreweaveCompiler.compileTraining(plan, {}, { name, parent: new Host(name), bill: edit(gpu.billOfMaterials(plan, {})) }));
    const real = await compileTraining("cw-train2", (b) => b);
    expect(one(real, NODE_POOL).inputs.spec).toMatchObject({ instanceType: "gd-8xh100ib-i128", targetNodes: 2, minNodes: 2, maxNodes: 2, autoscaling: false });
    const four = await compileTraining("cw-train4", gpuNodes({ kind: "gpu-nodes", instanceType: "gd-8xh100ib-i128", count: 4 }));
    expect(four.error).toBeUndefined();
    expect(one(four, NODE_POOL).inputs.spec).toMatchObject({ instanceType: "gd-8xh100ib-i128", targetNodes: 4, minNodes: 4, maxNodes: 4, autoscaling: false });
    const missing = await compileTraining("cw-train0", (b) => b.filter((i) => !isGpuNodes(i)));
    expect(String(missing.error)).toContain("the compiler builds the GPU node group, but the bill of materials carries no 'gpu-nodes' item");
  });

  it("builds each storage entry from its bill item: a claim the bill does not carry is an Error, never quietly left out", async () => {
    const spec = { cloud: "coreweave", region: "US-EAST-04", gpu: { instanceType: "gd-8xh100ib-i128", nodes: 2 }, storage: [{ kind: "nfs", capacityTiB: 10, mountPath: "/data", name: "data" }] } as gpu.ClusterSpec;
    const plan = gpu.planCluster(spec);
    plan.name = "cw-storage";
    const real = gpu.billOfMaterials(plan, {});
    expect(real).toContainEqual({ kind: "storage", name: "data", storageKind: "nfs" });
    const built = await run(() => coreweaveCompiler.compileTraining(plan, {}, { name: "cw-storage", parent: new Host("cw-storage"), bill: real }));
    expect(built.error).toBeUndefined();
    expect(one(built, "kubernetes:core/v1:PersistentVolumeClaim").inputs.spec.resources.requests.storage).toBe(`${10 * 1024}Gi`);
    const missing = await run(() => coreweaveCompiler.compileTraining(plan, {}, { name: "cw-storage", parent: new Host("cw-storage2"), bill: real.filter((i) => i.kind !== "storage") }));
    expect(String(missing.error)).toContain("the compiler builds storage 'data' (nfs), but the bill of materials carries no 'storage' item");
  });
});
