/**
 * Storage mount paths on AWS VMs that the node's own boot setup already uses (review session 28, F1 and F6).
 *
 * F1: the boot script binds the instance store at /scratch before the storage mounts (lib/clouds/aws/bootstrap.ts
 * AWS_SCRATCH, `mounts: [...scratch, ...]`); the shared mount guard `if ! mountpoint -q <path>` then skips a storage
 * mount there, so a storage entry at /scratch (or under it) would be billed but never used. Refused at validation.
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { SpecError } from "../lib/spec/errors.js";
import { VM_SCRATCH_MOUNTS } from "../lib/spec/storage-identity.js";
import { AWS_SCRATCH } from "../lib/clouds/aws/bootstrap.js";
import { AZURE_SCRATCH } from "../lib/clouds/azure/bootstrap.js";
import { LOCAL_SSD_MOUNT } from "../lib/clouds/gcp/local-ssd.js";

const vm = { cloud: "aws" as const, region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 } };

function specError(run: () => unknown): SpecError {
  try {
    run();
  } catch (e) {
    if (e instanceof SpecError) return e;
    throw e;
  }
  throw new Error("expected a SpecError");
}

describe("F1: storage at the VM scratch mount is refused", () => {
  it("the reserved table holds each cloud's own scratch mount (one rule, the boot scripts' constants)", () => {
    expect(VM_SCRATCH_MOUNTS).toEqual({ aws: AWS_SCRATCH, azure: AZURE_SCRATCH, gcp: LOCAL_SSD_MOUNT });
    expect(AWS_SCRATCH).toBe("/scratch");
  });

  it("a lustre entry at /scratch on AWS VMs: SpecError on storage[0].mountPath, hint keeps the derived name", () => {
    const e = specError(() => gpu.planCluster({ ...vm, storage: [{ kind: "lustre", capacityTiB: 1.2, mountPath: "/scratch" }] }));
    expect(e.path).toBe("storage[0].mountPath");
    expect(e.message).toContain("'/scratch' collides with /scratch, where aws VM nodes mount their local NVMe scratch at every boot");
    expect(e.hint).toBe("mount it elsewhere, e.g. '/data', and set name: 'scratch' so the storage keeps its name (a new name replaces it)");
  });

  it("below the scratch mount too (fstab would mount it first, then the scratch bind hides it); a named entry gets no rename hint", () => {
    const e = specError(() => gpu.planCluster({ ...vm, storage: [{ kind: "nfs", capacityTiB: 1, mountPath: "/data" }, { kind: "block", capacityTiB: 1, mountPath: "/scratch/ckpt", name: "ckpt" }] }));
    expect(e.path).toBe("storage[1].mountPath");
    expect(e.hint).toBe("mount it elsewhere, e.g. '/data'");
  });

  it("the fix compiles: the same entry at /data named 'scratch' keeps its name", () => {
    const plan = gpu.planCluster({ ...vm, storage: [{ kind: "lustre", capacityTiB: 1.2, mountPath: "/data", name: "scratch" }] });
    expect(plan.storage.map((s) => [s.name, s.mountPath])).toEqual([["scratch", "/data"]]);
  });

  it("EKS is not affected: a pod's /scratch entry replaces its scratch emptyDir (lib/clouds/kubernetes)", () => {
    const plan = gpu.planCluster({ ...vm, orchestrator: "kubernetes", storage: [{ kind: "lustre", capacityTiB: 1.2, mountPath: "/scratch" }] });
    expect(plan.storage[0]!.mountPath).toBe("/scratch");
  });
});
