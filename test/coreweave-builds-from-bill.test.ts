/**
 * The CoreWeave compiler builds its billable things from the bill of materials the estimate priced (CompileContext.bill,
 * lib/cost/bom/coreweave.ts): an internet-facing fleet's public address is the one item besides storage. CKS gives a
 * LoadBalancer Service a public address only when it is annotated `service.beta.kubernetes.io/coreweave-load-balancer-type:
 * public` (https://docs.coreweave.com/products/networking/ingress-service/expose-service-dns; "How do I get a publicly routable IP for my LoadBalancer Service?" in CoreWeave's networking support articles), so the Service is public exactly
 * when the bill carries (and the estimate prices) that address.
 */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { coreweaveCompiler } from "../lib/clouds/coreweave/index.js";
import type { BomItem } from "../lib/cost/bom/types.js";
import { one, run } from "./helpers/offline.js";

const SERVICE = "kubernetes:core/v1:Service";
const OPTIONS = { loadBalancerSourceRanges: ["203.0.113.0/24"] };

class Host extends pulumi.ComponentResource {
  constructor(name: string) {
    super("test:index:Host", name);
  }
}

/** Compile an internet-facing CoreWeave fleet with `bill` in place of the one its estimate priced. */
async function compileWith(name: string, bill: (real: BomItem[]) => BomItem[]) {
  const plan = gpu.planFleet({ cloud: "coreweave", region: "US-EAST-04", gpu: { model: "L40S", count: 8 }, replicas: { min: 1, max: 2 }, loadBalancer: "internet-facing" });
  plan.name = name;
  const real = gpu.billOfMaterials(plan, OPTIONS);
  const result = await run(() => coreweaveCompiler.compileInference(plan, OPTIONS, { name, parent: new Host(name), bill: bill(real) }));
  expect(result.error).toBeUndefined();
  return { real, service: one(result, SERVICE).inputs };
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
