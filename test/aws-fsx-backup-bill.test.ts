/**
 * A guarded persistent FSx for Lustre file system's backups are on the bill as an unpriced item (review session 28,
 * F17): FSx keeps 7 daily backups and a final backup on deletion (lib/clouds/aws/storage-rules.ts lustreBackups), billed
 * per GB-month of data backed up (https://docs.aws.amazon.com/fsx/latest/LustreGuide/using-backups-fsx.html), which the
 * spec does not state. The estimate lists it as not priced, on the VM and EKS targets alike.
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";

const WHAT = "FSx for Lustre backups of storage 'fsx': 7 daily backups, and a final backup on deletion that is kept until you delete it";
const base = { cloud: "aws" as const, region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 } };
const lustre = (extra: Record<string, unknown> = {}) => ({ ...base, storage: [{ kind: "lustre", capacityTiB: 1.2, tier: "persistent-125", name: "fsx", ...extra }] });

describe("FSx backups on the bill", () => {
  it.each([["VM", {}], ["EKS", { orchestrator: "kubernetes" }]])("%s: a guarded persistent file system → one unpriced item and a 'not priced' note", (_target, extra) => {
    const e = gpu.estimateCost({ ...lustre(), ...extra } as never);
    expect(e.notes.filter((n) => n.includes(WHAT))).toEqual([
      `not priced: ${WHAT} (FSx bills backup storage per GB-month of the data backed up (https://docs.aws.amazon.com/fsx/latest/LustreGuide/using-backups-fsx.html), which the spec does not state, and the catalog has no dated FSx backup rate)`,
    ]);
  });

  it("no item when the file system takes no backups: unguarded, scratch tier, or linked to S3 (importPath)", () => {
    for (const spec of [lustre({ deletionProtection: false }), lustre({ tier: "scratch" }), lustre({ importPath: "s3://bucket/prefix" })]) {
      expect(gpu.estimateCost(spec as never).notes.some((n) => n.includes("FSx for Lustre backups"))).toBe(false);
    }
  });
});
