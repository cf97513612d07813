/**
 * estimateCost(spec, cloudOptions): a bag given straight to the estimate is checked before any figure is made, as the
 * components check theirs. Before, these exact inputs priced a NaN bill (aws.rootVolumeGiB NaN), a negative disk
 * line (gcp.bootDiskGiB -1: $40.20 under the default bill) or a string as a number (azure.osDiskGiB '512').
 */
import { describe, expect, it } from "vitest";
import { estimateCost, isSpecError, type ClusterSpec } from "gpu-cluster";

const AWS = { cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 } } as ClusterSpec;
const GCP = { cloud: "gcp", region: "us-central1", gpu: { instanceType: "a3-highgpu-8g", nodes: 2 } } as ClusterSpec;
const AZURE_VM = { cloud: "azure", region: "eastus", gpu: { instanceType: "Standard_ND96isr_H100_v5", nodes: 2 } } as ClusterSpec;
const AKS = { ...AZURE_VM, orchestrator: "kubernetes" } as ClusterSpec;

/** The SpecError `call` throws (fails when it returns or throws anything else). */
function specErrorOf(call: () => unknown): { path: string; message: string; hint: string } {
  try {
    call();
  } catch (err) {
    if (isSpecError(err)) return err;
    throw err;
  }
  throw new Error("returned instead of throwing a SpecError");
}

describe("estimateCost checks the option bag it prices", () => {
  it.each([
    ["aws NaN root volume", AWS, { rootVolumeGiB: Number.NaN }, "aws.rootVolumeGiB", /must be a finite number, got NaN/],
    ["gcp negative boot disk", GCP, { bootDiskGiB: -1 }, "gcp.bootDiskGiB", /-1 is not a whole number of GiB/],
    ["azure VM negative OS disk", AZURE_VM, { osDiskGiB: -5 }, "azure.osDiskGiB", /-5 is not a whole number of GiB/],
    ["azure VM OS disk as a string", AZURE_VM, { osDiskGiB: "512" }, "azure.osDiskGiB", /must be a finite number, got '512'/],
    ["AKS NaN OS disk", AKS, { osDiskGiB: Number.NaN }, "azure.osDiskGiB", /must be a finite number, got NaN/],
    ["gpuMetrics not a boolean", GCP, { gpuMetrics: "yes" }, "gcp.gpuMetrics", /must be true or false, got 'yes'/],
    ["a bag that is not an object", AWS, "str", "aws", /must be an object, got 'str'/],
    ["another cloud's key", AWS, { osDiskGiB: 512 }, "aws.osDiskGiB", /is not a known field/],
  ])("%s: SpecError naming the field", (_label, spec, bag, path, message) => {
    const err = specErrorOf(() => estimateCost(spec, bag));
    expect(err.path).toBe(path);
    expect(err.message).toMatch(message);
    expect(err.hint).toMatch(/\S/);
  });

  it("the fuzz suite's counterexample (seed 1300013): an Azure VM fleet's NaN OS disk, once priced as a NaN bill item", () => {
    const fleet = { cloud: "azure", region: "australiaeast", orchestrator: "vm", gpu: { instanceType: "Standard_ND96amsr_A100_v4" }, replicas: { min: 1, max: 4 } } as unknown as ClusterSpec;
    const err = specErrorOf(() => estimateCost(fleet, { sshPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFuzz", osDiskGiB: Number.NaN, gpuMetrics: false }));
    expect(err.path).toBe("azure.osDiskGiB");
    expect(err.message).toBe("azure.osDiskGiB: must be a finite number, got NaN; give a number, e.g. 200");
  });

  it("an Azure VM OS disk past P40 (azure.osDiskGiB allows up to 4,095 GiB) is billed as a P50, not dropped", () => {
    // Retail Prices API eastus P50 LRS Disk $495.5657 a month (the catalog's Premium SSD row): 2 nodes = $991.13.
    const e = estimateCost(AZURE_VM, { sshPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFuzz", osDiskGiB: 3000 });
    const disk = e.lines.find((l) => /GPU node OS disks/.test(l.description))!;
    expect(disk.description).toContain("2 × P50 (4096 GiB)");
    expect(disk.monthlyUsd).toBe(991.13);
  });

  it("a valid bag still prices its disk: gcp.bootDiskGiB 1000 bills more than the default", () => {
    const base = estimateCost(GCP).monthlyUsd;
    const bigger = estimateCost(GCP, { bootDiskGiB: 1000 }).monthlyUsd;
    expect(Number.isFinite(bigger)).toBe(true);
    expect(bigger).toBeGreaterThan(base);
  });
});
