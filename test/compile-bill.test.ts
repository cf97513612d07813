/**
 * The compilers build their billable things from the bill of materials the estimate priced (CompileContext.bill,
 * lib/clouds/shared/bill.ts). These are the reader's rules; each cloud's tests show its compiler following a bill.
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { billed, billedItem, billedOnce } from "../lib/clouds/shared/bill.js";
import type { BomItem } from "../lib/cost/bom/types.js";
import { prepare } from "../lib/components/build.js";
import { one, ofType, run } from "./helpers/offline.js";

const BILL: BomItem[] = [
  { kind: "nat-gateway", count: 2 },
  { kind: "node-disk", pool: "system", count: 2, maxCount: 3, sizeGiB: 100, diskType: "gp3" },
  { kind: "node-disk", pool: "gpu", count: 4, sizeGiB: 500, diskType: "gp3" },
];

describe("reading the bill of materials", () => {
  it("finds items by kind and by their fields", () => {
    expect(billed(BILL, "node-disk").map((d) => d.pool)).toEqual(["system", "gpu"]);
    expect(billedOnce(BILL, "node-disk", (d) => d.pool === "gpu")?.sizeGiB).toBe(500);
    expect(billedOnce(BILL, "control-plane")).toBeUndefined();
    expect(billedItem(BILL, "nat-gateway", "the NAT gateways").count).toBe(2);
  });

  it("refuses to guess: two items where one is built, or none where one is built, is an Error naming the kind", () => {
    expect(() => billedOnce(BILL, "node-disk")).toThrow(/carries 2 'node-disk' items where the compiler builds one/);
    expect(() => billedItem(BILL, "control-plane", "the EKS cluster")).toThrow(/builds the EKS cluster, but the bill of materials carries no 'control-plane' item/);
  });

  it("hands the compiler the very list the estimate priced", () => {
    const prepared = prepare("training", "t", { cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 } } as gpu.ClusterSpec);
    expect(prepared.bill).toEqual(prepared.estimate.billOfMaterials);
    // The compiler's own copy, frozen: what reads or reports the estimate afterwards cannot change what is built.
    expect(prepared.bill).not.toBe(prepared.estimate.billOfMaterials);
    expect(Object.isFrozen(prepared.bill) && prepared.bill.every((item) => Object.isFrozen(item))).toBe(true);
    // The AWS VM cluster's bill: one NAT gateway (its zone's) and its address, and a 200 GiB gp3 root disk per node.
    expect(billedItem(prepared.bill, "nat-gateway", "the NAT gateway").count).toBe(1);
    expect(billedItem(prepared.bill, "node-disk", "the GPU nodes' root disks")).toMatchObject({ pool: "gpu", count: 2, diskType: "gp3" });
  });

  it("builds the same whatever a cost hook does to the estimate and plan it is given", async () => {
    // Two block entries out of name order and a bucket (GCP VMs): a hook that sorts the bill, drops the bucket's item and
    // empties the plan's storage must move no disk and lose no bucket.
    const spec = {
      cloud: "gcp", region: "us-central1", gpu: { instanceType: "a3-megagpu-8g", nodes: 2 },
      storage: [{ kind: "block", capacityTiB: 1, mountPath: "/zeta", name: "zeta" }, { kind: "block", capacityTiB: 1, mountPath: "/alpha", name: "alpha" }, { kind: "object", capacityTiB: 1, name: "data" }],
    };
    const disksAndBuckets = (r: Awaited<ReturnType<typeof run>>) => ({
      disks: one(r, "gcp:compute/instanceTemplate:InstanceTemplate").inputs.disks.filter((d: { boot?: boolean }) => !d.boot).map((d: { deviceName: string }) => d.deviceName),
      buckets: ofType(r, "gcp:storage/bucket:Bucket").length,
    });
    const before = disksAndBuckets(await run(() => new gpu.TrainingCluster("hooked", spec as gpu.ClusterSpec)));
    expect(before).toEqual({ disks: ["gpu-cluster-zeta", "gpu-cluster-alpha"], buckets: 1 });
    const unregister = gpu.registerCostHook(({ estimate, plan }) => {
      estimate.billOfMaterials.sort((a, b) => String(a.name).localeCompare(String(b.name)));
      estimate.billOfMaterials.splice(estimate.billOfMaterials.findIndex((i) => i.name === "data"), 1);
      plan.storage.length = 0;
    });
    try {
      expect(disksAndBuckets(await run(() => new gpu.TrainingCluster("hooked", spec as gpu.ClusterSpec)))).toEqual(before);
    } finally {
      unregister();
    }
  });
});
