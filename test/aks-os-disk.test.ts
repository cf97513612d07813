/**
 * The AKS GPU nodes' OS disk, where container images live (lib/clouds/azure/aks/os-disk.ts). Sources, read 2026-11-30:
 * - per size, the Microsoft Learn size pages (MicrosoftDocs/azure-compute-docs articles/virtual-machines/sizes/
 *   gpu-accelerated/): ndh100v5-series.md and nd-h200-v5-series.md (2025-09-02: one 1,024 GiB temp disk plus 8 NVMe
 *   disks, 28 TiB; "Ephemeral OS Disk: Supported"), ndma100v4-series.md (2024-07-31: one 6,400 GiB temp disk, no NVMe
 *   column), nca100v4-series.md (64 / 256 GiB temp disks), ncadsh100v5-series.md (3,576 GiB), nvadsa10v5-series.md (1,440 GiB);
 * - ephemeral OS disk placement: NVMe only on v6 sizes onwards, else the temp disk, size at most the local disk
 *   (articles/virtual-machines/ephemeral-os-disks.md, 2026-09-08);
 * - AKS: ephemeral OS disks recommended whenever possible; a managed OS disk of at least 512 GiB where they cannot be
 *   used; neither type nor size changes after creation (MicrosoftDocs/azure-aks-docs articles/aks/concepts-storage.md,
 *   2026-07-30); emptyDir on NVMe only by custom bootstrap (articles/aks/best-practices-storage-nvme.md, 2025-10-17);
 * - the AgentPool inputs `osDiskType` (Managed | Ephemeral) and `osDiskSizeGB`: @pulumi/azure-native 3.28.0
 *   containerservice AgentPool (API 2025-09-01);
 * - the system pool's Standard_D4ds_v5: 150 GiB temp disk, "Ephemeral OS Disks: Supported" (articles/virtual-machines/
 *   sizes/general-purpose/ddsv5-series.md, 2024-07-29); AKS makes an OS disk that fits ephemeral unless told otherwise;
 * - P20 (512 GiB) Premium SSD $73.22/month eastus: lib/catalog/data/fees.ts (the Retail Prices API, 2026-07-23).
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { estimateCost, planCluster } from "gpu-cluster";
import { aksGpuOsDisk, aksOsDiskNote, aksSystemOsDisk, AKS_GPU_OS_DISK } from "../lib/clouds/azure/aks/os-disk.js";
import { azureCatalog } from "../lib/catalog/data/azure.js";
import { one, privateEndpoint, run, runRecording } from "./helpers/offline.js";

const POOL = "azure-native:containerservice:AgentPool";
const base = { cloud: "azure" as const, region: "eastus", orchestrator: "kubernetes" as const };

function training(name: string, instanceType: string, azure: Record<string, unknown> = {}, region = "eastus") {
  return () => new gpu.TrainingCluster(name, privateEndpoint({ ...base, region, gpu: { instanceType, nodes: 2 }, azure } as gpu.TrainingClusterArgs));
}

describe("AKS GPU pool OS disk: ephemeral on the temp disk where the size page allows it, else 512 GiB managed", () => {
  it("ND H100 v5: an ephemeral OS disk on the whole 1,024 GiB temp disk, sized by AKS (images, emptyDirs, kubelet there)", async () => {
    const result = await run(training("eph", "Standard_ND96isr_H100_v5"));
    expect(result.error).toBeUndefined();
    expect(one(result, POOL).inputs).toMatchObject({ vmSize: "Standard_ND96isr_H100_v5", osDiskType: "Ephemeral", enableEncryptionAtHost: true });
    // No size sent: AKS checks a size against the temp storage the VM reports, which has come in under the size page's
    // (Azure/AKS#2635), so asking for the page's whole 1,024 GiB could fail at up; unsized, AKS takes the whole temp disk
    // (azure-aks-docs concepts-storage.md "Default OS disk sizing"), as Azure/aks-rdma-infiniband deploy-aks.sh does.
    expect(one(result, POOL).inputs.osDiskSizeGB).toBeUndefined();
  });

  it("a pool made by an earlier version keeps its OS disk: AKS refuses a change of type or size after creation, so both are ignored", async () => {
    // AgentPool API osDiskType "May not be changed after creation"; azure-aks-docs concepts-storage.md: the OS disk size
    // cannot change after node pool creation. A fleet's pool also leaves its count to the autoscaler.
    const { result, registrations } = await runRecording(training("kept", "Standard_ND96isr_H100_v5"));
    expect(result.error).toBeUndefined();
    expect(registrations.get("kept-gpu")?.ignoreChanges ?? registrations.get(one(result, POOL).name)!.ignoreChanges).toEqual(["osDiskType", "osDiskSizeGB"]);
  });

  it("ND H200 v5: the same 1,024 GiB temp disk", async () => {
    const result = await run(training("eph2", "Standard_ND96isr_H200_v5", {}, "eastus2"));
    expect(result.error).toBeUndefined();
    expect(one(result, POOL).inputs).toMatchObject({ osDiskType: "Ephemeral" });
    expect(one(result, POOL).inputs.osDiskSizeGB).toBeUndefined();
  });

  it("ND A100 v4: a 512 GiB managed OS disk (its temp disk is the NVMe /scratch stripes)", async () => {
    const result = await run(training("mgd", "Standard_ND96amsr_A100_v4"));
    expect(result.error).toBeUndefined();
    expect(one(result, POOL).inputs).toMatchObject({ osDiskType: "Managed", osDiskSizeGB: 512 });
  });

  it("azure.osDiskGiB: within the temp disk it sizes the ephemeral disk; beyond it, a SpecError naming the field", async () => {
    const smaller = await run(training("eph3", "Standard_ND96isr_H100_v5", { osDiskGiB: 512 }));
    expect(smaller.error).toBeUndefined();
    expect(one(smaller, POOL).inputs).toMatchObject({ osDiskType: "Ephemeral", osDiskSizeGB: 512 });
    const tooBig = await run(training("eph4", "Standard_ND96isr_H100_v5", { osDiskGiB: 2048 }));
    expect(tooBig.error).toMatchObject({ name: "SpecError", path: "azure.osDiskGiB" });
    expect(String((tooBig.error as Error).message)).toContain("on the 1024 GiB temp disk of Standard_ND96isr_H100_v5");
    // Azure places at most 2,040 GiB of ephemeral OS disk (ephemeral-os-disks.md), even on NC H100 v5's 3,576 GiB temp disk.
    expect(aksGpuOsDisk("Standard_NC40ads_H100_v5", 2040)).toMatchObject({ type: "Ephemeral", sizeGiB: 2040 });
    expect(() => aksGpuOsDisk("Standard_NC40ads_H100_v5", 2048)).toThrow(/Azure places at most 2040 GiB there/);
    // Nothing was created: the check runs before any resource.
    expect(tooBig.resources.filter((r) => r.type === POOL)).toHaveLength(0);
    // A managed size takes the user's size as it is.
    expect(aksGpuOsDisk("Standard_ND96amsr_A100_v4", 2048)).toMatchObject({ type: "Managed", sizeGiB: 2048 });
  });

  it("per size, from the table: NC A100 v4 managed (64 / 256 GiB temp disks), NC H100 v5 and NV A10 v5 ephemeral at 1 TiB", () => {
    expect(aksGpuOsDisk("Standard_NC24ads_A100_v4", undefined)).toMatchObject({ type: "Managed", sizeGiB: 512 });
    expect(aksGpuOsDisk("Standard_NC96ads_A100_v4", undefined)).toMatchObject({ type: "Managed", sizeGiB: 512 });
    expect(aksGpuOsDisk("Standard_NC40ads_H100_v5", undefined)).toMatchObject({ type: "Ephemeral", sizeGiB: 1024 });
    expect(aksGpuOsDisk("Standard_NV36ads_A10_v5", undefined)).toMatchObject({ type: "Ephemeral", sizeGiB: 1024 });
    // A size only the price dump lists (no temp-disk fact checked here): AKS's recommended managed disk.
    expect(aksGpuOsDisk("Standard_NC12s_v3", undefined)).toEqual({ type: "Managed", sizeGiB: 512 });
    expect(AKS_GPU_OS_DISK.Standard_ND96isr_H100_v5).toMatchObject({ tempDiskGiB: 1024, ephemeral: true, asOf: "2025-09-02" });
    expect(AKS_GPU_OS_DISK.Standard_ND96isr_H100_v5!.source).toContain("ndh100v5-series.md");
  });

  it("every hand-checked Azure catalog size built here has a row with its size page; a row never asks for more than its temp disk", () => {
    // The sizes with checked facts (lib/catalog/data/azure.ts); sizes only the price dump adds get the managed default.
    const built = azureCatalog.instances.filter((i) => i.notBuilt === undefined);
    expect(built.length).toBeGreaterThanOrEqual(8);
    for (const i of built) {
      const fact = AKS_GPU_OS_DISK[i.instanceType];
      expect(fact, i.instanceType).toBeDefined();
      expect(fact!.source, i.instanceType).toMatch(/^MicrosoftDocs\/azure-compute-docs articles\/virtual-machines\/sizes\/gpu-accelerated\/.+\.md$/);
      expect(fact!.asOf, i.instanceType).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const disk = aksGpuOsDisk(i.instanceType, undefined);
      // A size sent is below the temp disk (never the page's whole figure, which the VM may report less of); else AKS sizes it.
      if (disk.type === "Ephemeral" && disk.sizeGiB !== undefined) expect(disk.sizeGiB, i.instanceType).toBeLessThan(fact!.tempDiskGiB);
      else if (disk.type === "Ephemeral") expect(fact!.tempDiskGiB, i.instanceType).toBeLessThanOrEqual(1024);
      else expect(fact!.why, i.instanceType).toBeTruthy();
    }
  });

  it("the bill: no GPU OS disk where it is ephemeral; two P20 (512 GiB) disks, $146.44, on ND A100 v4", () => {
    const eph = estimateCost(planCluster({ ...base, gpu: { instanceType: "Standard_ND96isr_H100_v5", nodes: 2 } }));
    expect(eph.lines.filter((l) => /GPU node OS disk/.test(l.description))).toEqual([]);
    const mgd = estimateCost(planCluster({ ...base, gpu: { instanceType: "Standard_ND96amsr_A100_v4", nodes: 2 } }));
    const disk = mgd.lines.filter((l) => /GPU node OS disk/.test(l.description));
    expect(disk).toHaveLength(1);
    expect(disk[0]!.description).toContain("2 × P20 (512 GiB)");
    expect(disk[0]!.monthlyUsd).toBe(146.44);
  });

  it("the plan note says where images live and why, with its source", () => {
    const nd5 = planCluster({ ...base, gpu: { instanceType: "Standard_ND96isr_H100_v5", nodes: 2 } });
    expect(aksOsDiskNote(nd5, undefined)).toBe(
      "AKS GPU node OS disk: ephemeral, sized by AKS to the whole of Standard_ND96isr_H100_v5's 1024 GiB local temp disk, not billed as a managed disk; " +
        "container images, emptyDirs and kubelet storage live there. The NVMe disks stay /scratch only: AKS places an ephemeral OS disk on NVMe only on v6 sizes and has no setting that moves images onto NVMe " +
        "(MicrosoftDocs/azure-compute-docs articles/virtual-machines/sizes/gpu-accelerated/ndh100v5-series.md, 2025-09-02; AKS: azure-aks-docs articles/aks/concepts-storage.md)",
    );
    const nd4 = planCluster({ ...base, gpu: { instanceType: "Standard_ND96amsr_A100_v4", nodes: 2 } });
    expect(aksOsDiskNote(nd4, undefined)).toBe(
      "AKS GPU node OS disk: managed Premium SSD, 512 GiB, holding container images, emptyDirs and kubelet storage; not ephemeral because " +
        "its temp disk is the eight local NVMe disks /scratch stripes (the size page lists one temp disk and no separate NVMe disks), so an ephemeral OS disk would take part of the scratch array " +
        "(MicrosoftDocs/azure-compute-docs articles/virtual-machines/sizes/gpu-accelerated/ndma100v4-series.md, 2024-07-31; AKS: azure-aks-docs articles/aks/concepts-storage.md).",
    );
    // Never on a VM plan.
    expect(aksOsDiskNote(planCluster({ ...base, orchestrator: "vm", gpu: { instanceType: "Standard_ND96isr_H100_v5", nodes: 2 } }), undefined)).toBeUndefined();
  });

  it("the note reaches the component's plan", async () => {
    let cluster: gpu.TrainingCluster | undefined;
    const result = await run(() => (cluster = training("note", "Standard_ND96isr_H100_v5")()));
    expect(result.error).toBeUndefined();
    const plan = await new Promise<gpu.Plan>((done) => cluster!.plan.apply(done));
    expect(plan.notes.filter((n) => n.startsWith("AKS GPU node OS disk: ephemeral, sized by AKS"))).toHaveLength(1);
  });

  it("the system pool: its 128 GiB OS disk is ephemeral on Standard_D4ds_v5's 150 GiB temp disk, said explicitly and not billed", async () => {
    const result = await run(training("sys", "Standard_ND96isr_H100_v5"));
    expect(result.error).toBeUndefined();
    const system = one(result, "azure-native:containerservice:ManagedCluster").inputs.agentPoolProfiles[0];
    expect(system).toMatchObject({ vmSize: "Standard_D4ds_v5", osDiskType: "Ephemeral", osDiskSizeGB: 128 });
    const bill = estimateCost(planCluster({ ...base, gpu: { instanceType: "Standard_ND96isr_H100_v5", nodes: 2 } }));
    expect(bill.lines.filter((l) => /OS disk/.test(l.description))).toEqual([]);
    // A size the table does not know, or a request beyond the temp disk: managed at the requested size.
    expect(aksSystemOsDisk("Standard_D4ds_v5", 200)).toMatchObject({ type: "Managed", sizeGiB: 200 });
    expect(aksSystemOsDisk("Standard_D4s_v5", 128)).toEqual({ type: "Managed", sizeGiB: 128 });
  });
});
