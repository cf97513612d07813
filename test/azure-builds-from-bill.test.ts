/**
 * The Azure compilers build their billable things from the bill of materials they are given (CompileContext.bill,
 * lib/clouds/shared/bill.ts), not from their own reading of the plan: each case compiles with the real bill
 * (`gpu.billOfMaterials(plan, options)`, lib/cost/bom/azure-vm.ts and azure-aks.ts) with one item changed or removed, and
 * checks that what is compiled follows it. The compilers are called directly under the mock engine, as
 * test/azure-compile.test.ts does. The expected figures are the altered items' own; the unaltered ones are the real
 * bill's (AKS system pool 2..3 nodes: lib/catalog systemNodePool("azure"); managed GPU OS disk 512 GiB, ephemeral on ND
 * H100 v5: lib/clouds/azure/aks/os-disk.ts with its Microsoft Learn sources). The GPU node group is the bill's first
 * item, `gpu-nodes` (lib/cost/bom/shared.ts gpuNodesItem: the nodes at creation, and a fleet's most at replicas.max):
 * the scale set's `sku` (name, capacity), its autoscale profile's capacity (minimum, maximum, default) and the AKS agent
 * pool's vmSize, count, minCount and maxCount are the fields Azure sizes a group by
 * (https://learn.microsoft.com/rest/api/compute/virtual-machine-scale-sets/create-or-update,
 * https://learn.microsoft.com/rest/api/monitor/autoscale-settings/create-or-update,
 * https://learn.microsoft.com/rest/api/aks/agent-pools/create-or-update, read 2026-12-01).
 */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { azureCompiler } from "../lib/clouds/azure/index.js";
import { aksCompiler } from "../lib/clouds/azure/aks/index.js";
import type { BomItem } from "../lib/cost/bom/types.js";
import type { Plan } from "../lib/planner/types.js";
import { ofType, one, run } from "./helpers/offline.js";

const A = {
  nat: "azure-native:network:NatGateway",
  pip: "azure-native:network:PublicIPAddress",
  subnet: "azure-native:network:Subnet",
  vmss: "azure-native:compute:VirtualMachineScaleSet",
  cluster: "azure-native:containerservice:ManagedCluster",
  pool: "azure-native:containerservice:AgentPool",
  autoscale: "azure-native:monitor:AutoscaleSetting",
  appgw: "azure-native:network:ApplicationGateway",
  vault: "azure-native:keyvault:Vault",
  account: "azure-native:storage:StorageAccount",
};

const SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGpuY2x1c3RlcnRlc3RrZXlub3RyZWFsMDAwMDAwMDA0 ops@example";
const VM = { sshPublicKey: SSH_KEY };
const AKS = { aks: { publicEndpoint: false } };
const TLS = {
  tlsCertificateSecretId: "https://offline.vault.azure.net/secrets/cert",
  tlsKeyVaultId: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/offline",
  allowedSourceRanges: ["203.0.113.0/24"],
};

class Host extends pulumi.ComponentResource {
  constructor(name: string) {
    super("test:index:Host", name);
  }
}

/** The real bill for `plan` and `options`, changed by `edit`, compiled by the plan's Azure compiler. */
function compile(name: string, plan: Plan, options: Record<string, unknown>, edit: (bill: BomItem[]) => BomItem[]) {
  const bill = edit(gpu.billOfMaterials(plan, options));
  const compiler = plan.orchestrator === "kubernetes" ? aksCompiler : azureCompiler;
  return run(() => {
    // The component is made inside the program, as the engine's mocks are in place only there.
    const ctx = { name, parent: new Host(name), bill };
    return plan.workload === "training" ? compiler.compileTraining(plan, options, ctx) : compiler.compileInference(plan, options, ctx);
  });
}

/** The bill with the items `drop` accepts removed (failing when there is none: the case would test nothing). */
function without(drop: (item: BomItem) => boolean): (bill: BomItem[]) => BomItem[] {
  return (bill) => {
    expect(bill.some(drop)).toBe(true);
    return bill.filter((item) => !drop(item));
  };
}

/** The bill with the items `match` accepts replaced by `item`. */
function replacing(match: (item: BomItem) => boolean, item: BomItem): (bill: BomItem[]) => BomItem[] {
  return (bill) => {
    expect(bill.some(match)).toBe(true);
    return bill.map((old) => (match(old) ? item : old));
  };
}

const isGpuDisk = (i: BomItem) => i.kind === "node-disk" && i.pool === "gpu";
const isGpuNodes = (i: BomItem) => i.kind === "gpu-nodes";
const aksTraining = (instanceType: string) => gpu.planCluster({ cloud: "azure", region: "eastus", orchestrator: "kubernetes", gpu: { instanceType, nodes: 2 } });
const vmTraining = () => gpu.planCluster({ cloud: "azure", region: "eastus", gpu: { instanceType: "Standard_ND96isr_H100_v5", nodes: 2 } });
const vmFleet = (loadBalancer?: string) =>
  gpu.planFleet({ cloud: "azure", region: "eastus", gpu: { instanceType: "Standard_NC24ads_A100_v4" }, replicas: { min: 2, max: 4 }, ...(loadBalancer ? { loadBalancer } : {}) } as gpu.FleetSpec);

describe("the AKS compiler builds from the bill", () => {
  it("a system-nodes item of 3..5 gives the system pool count 3, min 3, max 5 (the real bill: 2..3)", async () => {
    const plan = aksTraining("Standard_ND96isr_H100_v5");
    const real = await compile("sys2", plan, AKS, (bill) => bill);
    expect(one(real, A.cluster).inputs.agentPoolProfiles[0]).toMatchObject({ name: "system", count: 2, minCount: 2, maxCount: 3 });
    const result = await compile("sys3", plan, AKS, replacing((i) => i.kind === "system-nodes", { kind: "system-nodes", count: 3, maxCount: 5 }));
    expect(result.error).toBeUndefined();
    expect(one(result, A.cluster).inputs.agentPoolProfiles[0]).toMatchObject({ name: "system", count: 3, enableAutoScaling: true, minCount: 3, maxCount: 5 });
  });

  it("a managed 256 GiB GPU node-disk gives the GPU pool a 256 GiB managed OS disk (the real bill: 512 GiB on ND A100 v4)", async () => {
    const plan = aksTraining("Standard_ND96amsr_A100_v4");
    const real = await compile("mgd512", plan, AKS, (bill) => bill);
    expect(one(real, A.pool).inputs).toMatchObject({ osDiskType: "Managed", osDiskSizeGB: 512 });
    const disk: BomItem = { kind: "node-disk", pool: "gpu", count: 2, sizeGiB: 256, diskType: "Premium_LRS" };
    const result = await compile("mgd256", plan, AKS, replacing(isGpuDisk, disk));
    expect(result.error).toBeUndefined();
    expect(one(result, A.pool).inputs).toMatchObject({ vmSize: "Standard_ND96amsr_A100_v4", osDiskType: "Managed", osDiskSizeGB: 256 });
  });

  it("no GPU node-disk item on ND H100 v5 is the ephemeral OS disk (not billed), and one makes it managed at its size", async () => {
    const plan = aksTraining("Standard_ND96isr_H100_v5");
    const ephemeral = await compile("eph", plan, AKS, (bill) => bill);
    expect(ephemeral.error).toBeUndefined();
    expect(one(ephemeral, A.pool).inputs.osDiskType).toBe("Ephemeral");
    expect(one(ephemeral, A.pool).inputs.osDiskSizeGB).toBeUndefined();
    const managed = await compile("ephmgd", plan, AKS, (bill) => [...bill, { kind: "node-disk", pool: "gpu", count: 2, sizeGiB: 1024, diskType: "Premium_LRS" }]);
    expect(managed.error).toBeUndefined();
    expect(one(managed, A.pool).inputs).toMatchObject({ osDiskType: "Managed", osDiskSizeGB: 1024 });
  });

  it("a size that takes no ephemeral OS disk with no GPU node-disk item, or one of a type AKS does not make, is an Error", async () => {
    const plan = aksTraining("Standard_ND96amsr_A100_v4");
    const missing = await compile("nodisk", plan, AKS, without(isGpuDisk));
    expect(String(missing.error)).toContain("builds the gpu nodes' managed OS disks, but the bill of materials carries no 'node-disk' item");
    const standard = await compile("stddisk", plan, AKS, replacing(isGpuDisk, { kind: "node-disk", pool: "gpu", count: 2, sizeGiB: 512, diskType: "StandardSSD_LRS" }));
    expect(String(standard.error)).toContain("gives the AKS gpu nodes StandardSSD_LRS OS disks, but AKS makes a managed OS disk Premium_LRS");
  });

  it("a fleet at zero replicas carries its GPU disk at count 0 (priced at nothing): its pool gets the item's managed 512 GiB disk", async () => {
    const plan = gpu.planFleet({ cloud: "azure", region: "eastus", orchestrator: "kubernetes", gpu: { instanceType: "Standard_NC24ads_A100_v4" }, replicas: { min: 0, max: 2 } } as gpu.FleetSpec);
    const result = await compile("zero", plan, AKS, (bill) => {
      expect(bill.filter(isGpuDisk)).toEqual([{ kind: "node-disk", pool: "gpu", count: 0, sizeGiB: 512, diskType: "Premium_LRS" }]);
      return bill;
    });
    expect(result.error).toBeUndefined();
    expect(one(result, A.pool).inputs).toMatchObject({ count: 0, minCount: 0, maxCount: 2, osDiskType: "Managed", osDiskSizeGB: 512 });
  });

  it("a fleet's gpu-nodes item of 3..6 gives the GPU pool count 3, min 3, max 6 (the real bill: 1..2 nodes of 2..4 replicas packed 2 a node)", async () => {
    // NC48ads A100 v4 holds 2 GPUs, a replica asks 1: 2 replicas a node (lib/planner/packing.ts), so 2..4 replicas are 1..2 nodes.
    const plan = gpu.planFleet({ cloud: "azure", region: "eastus", orchestrator: "kubernetes", gpu: { instanceType: "Standard_NC48ads_A100_v4", count: 1 }, replicas: { min: 2, max: 4 } } as gpu.FleetSpec);
    const real = await compile("aksfleet", plan, AKS, (bill) => {
      expect(bill.filter(isGpuNodes)).toEqual([{ kind: "gpu-nodes", instanceType: "Standard_NC48ads_A100_v4", count: 1, maxCount: 2 }]);
      return bill;
    });
    expect(real.error).toBeUndefined();
    expect(one(real, A.pool).inputs).toMatchObject({ vmSize: "Standard_NC48ads_A100_v4", count: 1, enableAutoScaling: true, minCount: 1, maxCount: 2 });
    const result = await compile("aksfleet6", plan, AKS, replacing(isGpuNodes, { kind: "gpu-nodes", instanceType: "Standard_NC48ads_A100_v4", count: 3, maxCount: 6 }));
    expect(result.error).toBeUndefined();
    expect(one(result, A.pool).inputs).toMatchObject({ vmSize: "Standard_NC48ads_A100_v4", count: 3, enableAutoScaling: true, minCount: 3, maxCount: 6 });
  });

  it("a training gpu-nodes item of 3 gives the fixed GPU pool count 3 (the real bill: 2); a fleet's item without maxCount, or none, is an Error", async () => {
    const plan = aksTraining("Standard_ND96isr_H100_v5");
    const result = await compile("akstrain3", plan, AKS, replacing(isGpuNodes, { kind: "gpu-nodes", instanceType: "Standard_ND96isr_H100_v5", count: 3 }));
    expect(result.error).toBeUndefined();
    const pool = one(result, A.pool).inputs;
    expect(pool).toMatchObject({ vmSize: "Standard_ND96isr_H100_v5", count: 3, enableAutoScaling: false });
    expect(pool.minCount).toBeUndefined();
    expect(pool.maxCount).toBeUndefined();
    const fleet = gpu.planFleet({ cloud: "azure", region: "eastus", orchestrator: "kubernetes", gpu: { instanceType: "Standard_NC24ads_A100_v4" }, replicas: { min: 1, max: 3 } } as gpu.FleetSpec);
    const noMax = await compile("aksnomax", fleet, AKS, replacing(isGpuNodes, { kind: "gpu-nodes", instanceType: "Standard_NC24ads_A100_v4", count: 1 }));
    expect(String(noMax.error)).toContain("the bill of materials' 'gpu-nodes' item gives a fleet of 1 nodes at creation no most");
    const missing = await compile("aksnogpu", plan, AKS, without(isGpuNodes));
    expect(String(missing.error)).toContain("the compiler builds the GPU node group, but the bill of materials carries no 'gpu-nodes' item");
  });

  it("no control-plane item on a created-cluster plan is billedItem's Error, and no cluster is made", async () => {
    const plan = aksTraining("Standard_ND96isr_H100_v5");
    const result = await compile("noplane", plan, AKS, without((i) => i.kind === "control-plane"));
    expect(String(result.error)).toContain("the compiler builds the AKS cluster (Standard tier), but the bill of materials carries no 'control-plane' item");
    expect(ofType(result, A.cluster)).toEqual([]);
  });

  it("no nat-gateway item: no NAT gateway, and the cluster's outbound type is none", async () => {
    const plan = aksTraining("Standard_ND96isr_H100_v5");
    const result = await compile("aksnonat", plan, AKS, without((i) => i.kind === "nat-gateway" || i.kind === "public-ip"));
    expect(result.error).toBeUndefined();
    expect(ofType(result, A.nat)).toEqual([]);
    expect(one(result, A.cluster).inputs.networkProfile.outboundType).toBe("none");
  });
});

describe("the VM compiler builds from the bill", () => {
  it("no nat-gateway item: no NAT gateway, no public IP, and the node subnet has no NAT (the real bill: one of each)", async () => {
    const plan = vmTraining();
    const real = await compile("nat", plan, VM, (bill) => bill);
    expect(ofType(real, A.nat)).toHaveLength(1);
    expect(ofType(real, A.pip).map((r) => r.name)).toEqual(["nat-nat-ip"]);
    const result = await compile("nonat", plan, VM, without((i) => i.kind === "nat-gateway" || i.kind === "public-ip"));
    expect(result.error).toBeUndefined();
    expect(ofType(result, A.nat)).toEqual([]);
    expect(ofType(result, A.pip)).toEqual([]);
    expect(ofType(result, A.subnet).find((s) => s.name === "nonat-nodes")!.inputs.natGateway).toBeUndefined();
  });

  it("a NAT gateway item without its public IP, or counting two, is an Error", async () => {
    const plan = vmTraining();
    const noIp = await compile("natnoip", plan, VM, without((i) => i.kind === "public-ip"));
    expect(String(noIp.error)).toContain("builds the NAT gateway's public IP, but the bill of materials carries no 'public-ip' item");
    const two = await compile("nattwo", plan, VM, replacing((i) => i.kind === "nat-gateway", { kind: "nat-gateway", count: 2 }));
    expect(String(two.error)).toContain("builds one NAT gateway per VNet, but the bill of materials counts 2 in its 'nat-gateway' item");
  });

  it("a 512 GiB StandardSSD_LRS GPU node-disk gives the scale set's OS disk that size and type (the real bill: 256 GiB Premium_LRS)", async () => {
    const plan = vmTraining();
    const real = await compile("disk256", plan, VM, (bill) => bill);
    expect(one(real, A.vmss).inputs.virtualMachineProfile.storageProfile.osDisk).toMatchObject({ diskSizeGB: 256, managedDisk: { storageAccountType: "Premium_LRS" } });
    const result = await compile("disk512", plan, VM, replacing(isGpuDisk, { kind: "node-disk", pool: "gpu", count: 2, sizeGiB: 512, diskType: "StandardSSD_LRS" }));
    expect(result.error).toBeUndefined();
    expect(one(result, A.vmss).inputs.virtualMachineProfile.storageProfile.osDisk).toMatchObject({ diskSizeGB: 512, managedDisk: { storageAccountType: "StandardSSD_LRS" } });
  });

  it("a training gpu-nodes item of 3 gives the scale set capacity 3 of its VM size (the real bill: 2)", async () => {
    const plan = vmTraining();
    const real = await compile("vmtrain2", plan, VM, (bill) => bill);
    expect(one(real, A.vmss).inputs.sku).toEqual({ name: "Standard_ND96isr_H100_v5", tier: "Standard", capacity: 2 });
    const result = await compile("vmtrain3", plan, VM, replacing(isGpuNodes, { kind: "gpu-nodes", instanceType: "Standard_ND96isr_H100_v5", count: 3 }));
    expect(result.error).toBeUndefined();
    expect(one(result, A.vmss).inputs.sku).toEqual({ name: "Standard_ND96isr_H100_v5", tier: "Standard", capacity: 3 });
  });

  it("a fleet's gpu-nodes item of 3..6 gives the scale set capacity 3 and the autoscale bounds 3..6 (the real bill: 2..4, one replica a VM)", async () => {
    const plan = vmFleet();
    const real = await compile("vmfleet", plan, VM, (bill) => {
      expect(bill.filter(isGpuNodes)).toEqual([{ kind: "gpu-nodes", instanceType: "Standard_NC24ads_A100_v4", count: 2, maxCount: 4 }]);
      return bill;
    });
    expect(one(real, A.autoscale).inputs.profiles[0].capacity).toEqual({ minimum: "2", maximum: "4", default: "2" });
    const result = await compile("vmfleet6", plan, VM, replacing(isGpuNodes, { kind: "gpu-nodes", instanceType: "Standard_NC24ads_A100_v4", count: 3, maxCount: 6 }));
    expect(result.error).toBeUndefined();
    expect(one(result, A.vmss).inputs.sku).toEqual({ name: "Standard_NC24ads_A100_v4", tier: "Standard", capacity: 3 });
    expect(one(result, A.autoscale).inputs.profiles[0].capacity).toEqual({ minimum: "3", maximum: "6", default: "3" });
  });

  it("the cluster's SSH key vault is built as billed: with the bill's secret item, and none without it (as on AWS and GCP)", async () => {
    expect(ofType(await compile("key", vmTraining(), VM, (b) => b), A.vault)).toHaveLength(1);
    const result = await compile("nokey", vmTraining(), VM, without((i) => i.kind === "secret"));
    expect(result.error).toBeUndefined();
    expect(ofType(result, A.vault)).toEqual([]);
  });

  it("a storage entry the bill does not carry is an Error; the real bill's is built", async () => {
    const plan = gpu.planCluster({ cloud: "azure", region: "eastus", gpu: { instanceType: "Standard_ND96isr_H100_v5", nodes: 2 }, storage: [{ kind: "object", capacityTiB: 1, mountPath: "/data" }] });
    const real = await compile("blob", plan, VM, (bill) => bill);
    expect(real.error).toBeUndefined();
    expect(ofType(real, A.account)).toHaveLength(1);
    const name = plan.storage[0]!.name;
    const result = await compile("noblob", plan, VM, without((i) => i.kind === "storage"));
    expect(String(result.error)).toContain(`builds storage '${name}' (object), but the bill of materials carries no 'storage' item`);
  });

  it("an internal fleet's bill without its load-balancer, or an internet-facing one's without its app-gateway, is an Error", async () => {
    const noLb = await compile("nolb", vmFleet(), VM, without((i) => i.kind === "load-balancer"));
    expect(String(noLb.error)).toContain("builds the fleet's internal Standard Load Balancer, but the bill of materials carries no 'load-balancer' item");
    const internetFacing = vmFleet("internet-facing");
    const real = await compile("agw", internetFacing, { ...VM, ...TLS }, (bill) => bill);
    expect(real.error).toBeUndefined();
    expect(one(real, A.appgw).inputs.sku).toEqual({ name: "Standard_v2", tier: "Standard_v2" });
    const noGateway = await compile("noagw", internetFacing, { ...VM, ...TLS }, without((i) => i.kind === "app-gateway"));
    expect(String(noGateway.error)).toContain("builds the fleet's Application Gateway, but the bill of materials carries no 'app-gateway' item");
  });
});
