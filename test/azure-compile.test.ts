import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { azureCompiler, infinibandEnvironment } from "../lib/clouds/azure/index.js";
import { customDataScript, idmapDomainLines } from "../lib/clouds/azure/bootstrap.js";
import { execFileSync } from "node:child_process";
import * as nodeFs from "node:fs";
import * as os from "node:os";
import * as nodePath from "node:path";
import { STORAGE_BLOB_DATA_CONTRIBUTOR } from "../lib/clouds/azure/identity.js";
import { azurePlanNotes } from "../lib/clouds/azure/options.js";
import type { StoragePlan } from "../lib/planner/types.js";
import { one, ofType, run } from "./helpers/offline.js";

const A = {
  rg: "azure-native:resources:ResourceGroup",
  vnet: "azure-native:network:VirtualNetwork",
  subnet: "azure-native:network:Subnet",
  nsg: "azure-native:network:NetworkSecurityGroup",
  nat: "azure-native:network:NatGateway",
  pip: "azure-native:network:PublicIPAddress",
  lb: "azure-native:network:LoadBalancer",
  vmss: "azure-native:compute:VirtualMachineScaleSet",
  identity: "azure-native:managedidentity:UserAssignedIdentity",
  role: "azure-native:authorization:RoleAssignment",
  account: "azure-native:storage:StorageAccount",
  container: "azure-native:storage:BlobContainer",
  netappVolume: "azure-native:netapp:CapacityPoolVolume",
  netappPool: "azure-native:netapp:CapacityPool",
  amlfs: "azure-native:storagecache:AmlFilesystem",
  autoscale: "azure-native:monitor:AutoscaleSetting",
};

const SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGpuY2x1c3RlcnRlc3RrZXlub3RyZWFsMDAwMDAwMDA0 ops@example";
const base = { cloud: "azure" as const, region: "eastus" };

function training(name: string, args: Record<string, unknown> = {}, azure: Record<string, unknown> = {}) {
  return () =>
    new gpu.TrainingCluster(name, {
      ...base,
      gpu: { model: "H100", nodes: 8 },
      ...args,
      azure: { sshPublicKey: SSH_KEY, ...azure },
    } as gpu.TrainingClusterArgs);
}

function fleet(name: string, args: Record<string, unknown> = {}) {
  return () =>
    new gpu.InferenceFleet(name, {
      ...base,
      gpu: { instanceType: "Standard_NC24ads_A100_v4" },
      replicas: { min: 2, max: 10 },
      port: 8000,
      healthCheckPath: "/health",
      ...args,
      azure: { sshPublicKey: SSH_KEY, ...((args.azure as object | undefined) ?? {}) },
    } as gpu.InferenceFleetArgs);
}

type Rule = { name: string; access: string; direction: string; sourceAddressPrefix?: string; sourceAddressPrefixes?: string[]; destinationPortRange: string; priority: number };

describe("Azure training cluster", () => {
  it("puts every ND node in ONE uniform scale set and one placement group", async () => {
    const result = await run(training("nd"));
    expect(result.error).toBeUndefined();
    const vmss = one(result, A.vmss).inputs;
    expect(vmss.sku).toEqual({ name: "Standard_ND96isr_H100_v5", tier: "Standard", capacity: 8 });
    expect(vmss).toMatchObject({ orchestrationMode: "Uniform", singlePlacementGroup: true, overprovision: false, platformFaultDomainCount: 1 });
    // Pinned (lib/clouds/azure/options.ts AZURE_HPC_IMAGE_VERSION says where the version comes from and how to bump it).
    expect(vmss.virtualMachineProfile.storageProfile.imageReference).toEqual({ publisher: "microsoft-dsvm", offer: "ubuntu-hpc", sku: "2204", version: "22.04.2026072901" });
    expect(vmss.virtualMachineProfile.storageProfile.osDisk).toMatchObject({ createOption: "FromImage", managedDisk: { storageAccountType: "Premium_LRS" } });
    expect(vmss.virtualMachineProfile.securityProfile).toEqual({ encryptionAtHost: true });
    expect(vmss.virtualMachineProfile.priority).toBe("Regular");
  });

  it("no Azure VM boots a floating image: training and inference scale sets carry a concrete image version, never 'latest'", async () => {
    const imageRefs = (result: Awaited<ReturnType<typeof run>>) =>
      ofType(result, A.vmss).map((r) => r.inputs.virtualMachineProfile.storageProfile.imageReference as { version: string });
    for (const result of [await run(training("pin")), await run(fleet("pin-serve"))]) {
      expect(result.error).toBeUndefined();
      const refs = imageRefs(result);
      expect(refs).toHaveLength(1);
      for (const ref of refs) expect(ref.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(JSON.stringify(result.resources.map((r) => r.inputs))).not.toMatch(/"version":"latest"/i);
    }
  });

  it("azure.image: a whole image with its version is booted as given; a missing or 'latest' version is refused before anything is created", async () => {
    const own = { publisher: "microsoft-dsvm", offer: "ubuntu-hpc", sku: "2204", version: "22.04.2026072001" };
    const pinned = await run(training("own", {}, { image: own }));
    expect(pinned.error).toBeUndefined();
    expect(one(pinned, A.vmss).inputs.virtualMachineProfile.storageProfile.imageReference).toEqual(own);
    for (const version of [undefined, "latest"]) {
      const refused = await run(training("floating", {}, { image: { ...own, version } }));
      expect(refused.error).toMatchObject({ name: "SpecError", path: "azure.image.version" });
      expect(refused.resources).toHaveLength(0);
    }
    const partial = await run(training("partial", {}, { image: { publisher: "microsoft-dsvm", version: "22.04.2026072001" } }));
    expect(partial.error).toMatchObject({ name: "SpecError", path: "azure.image" });
  });

  it("the plan names the node image and the command that checks the region offers it (azure-native cannot read it)", () => {
    const plan = gpu.planCluster({ ...base, region: "westus3", gpu: { model: "H100", nodes: 2 } });
    const imageNotes = (o: Record<string, unknown>) => azurePlanNotes(plan, { sshPublicKey: SSH_KEY, ...o }).filter((n) => n.startsWith("node image: "));
    const [pinned] = imageNotes({});
    expect(pinned).toContain("microsoft-dsvm:ubuntu-hpc:2204:22.04.2026072901, from the library's pin");
    expect(pinned).toContain("`az vm image show --urn microsoft-dsvm:ubuntu-hpc:2204:22.04.2026072901 -l westus3`");
    expect(pinned).toContain("version: '<version>' }");
    // Shelf life: DSVM-family versions stay deployable 12 months (MicrosoftDocs/azure-docs articles/machine-learning/
    // data-science-virtual-machine/release-notes.md, ms.date 2024-05-21, read 2026-12-01); repairs (Replace) and
    // scale-outs need the version; after a bump, peers keep the old image until reimaged (upgrade policy Manual).
    expect(pinned).toContain("about 12 months");
    expect(pinned).toContain("a scale-out or an automatic repair of the scale set fails");
    expect(pinned).toContain("`az vmss update-instances -g <resource group> -n <scale set> --instance-ids '*'`");
    const [own] = imageNotes({ image: { publisher: "microsoft-dsvm", offer: "ubuntu-hpc", sku: "2204", version: "22.04.2026072001" } });
    expect(own).toContain("`az vm image show --urn microsoft-dsvm:ubuntu-hpc:2204:22.04.2026072001 -l westus3`");
    expect(own).toContain("from azure.image");
    // AKS nodes boot AKS's node image: no such note.
    const aks = gpu.planCluster({ ...base, orchestrator: "kubernetes", gpu: { model: "H100", nodes: 2 } });
    expect(azurePlanNotes(aks, undefined).filter((n) => n.startsWith("node image: "))).toEqual([]);
  });

  it("gives the VMs no public IP, accelerated networking, and a subnet without default outbound access", async () => {
    const result = await run(training("priv"));
    const nics = one(result, A.vmss).inputs.virtualMachineProfile.networkProfile.networkInterfaceConfigurations;
    expect(nics).toHaveLength(1);
    expect(nics[0].enableAcceleratedNetworking).toBe(true);
    for (const ip of nics[0].ipConfigurations) {
      expect(ip.publicIPAddressConfiguration).toBeUndefined();
      expect(ip.subnet.id).toBe("priv-nodes-id");
    }
    // The only public IP is the NAT gateway's (outbound only).
    expect(ofType(result, A.pip).map((p) => p.name)).toEqual(["priv-nat-ip"]);
    expect(one(result, A.nat).inputs.publicIpAddresses).toEqual([{ id: "priv-nat-ip-id" }]);
    const subnet = one(result, A.subnet).inputs;
    expect(subnet).toMatchObject({ addressPrefix: "10.0.0.0/17", defaultOutboundAccess: false, natGateway: { id: "priv-nat-id" }, networkSecurityGroup: { id: "priv-nodes-nsg-id" } });
    expect(one(result, A.vnet).inputs.addressSpace.addressPrefixes).toEqual(["10.0.0.0/16"]);
  });

  it("builds no NAT gateway and no public IP when air-gapped", async () => {
    const result = await run(training("gapped", { egress: { natGateway: false } }));
    expect(result.error).toBeUndefined();
    expect(ofType(result, A.nat)).toHaveLength(0);
    expect(ofType(result, A.pip)).toHaveLength(0);
    expect(one(result, A.subnet).inputs.natGateway).toBeUndefined();
  });

  it("admits nothing from the internet: only the component's own VNet (not the VirtualNetwork tag, which spans peered and on-premises networks), Internet denied explicitly", async () => {
    const result = await run(training("nsg"));
    const rules = one(result, A.nsg).inputs.securityRules as Rule[];
    const inboundAllows = rules.filter((r) => r.direction === "Inbound" && r.access === "Allow");
    // https://learn.microsoft.com/azure/virtual-network/service-tags-overview: VirtualNetwork includes peered VNets and gateway-connected ranges.
    // ...and Azure's load balancer probes (the host's 168.63.129.16, the AzureLoadBalancer tag), which the deny on the
    // VirtualNetwork tag would otherwise catch (learn.microsoft.com network-watcher/diagnose-network-security-rules).
    expect(inboundAllows.map((r) => r.sourceAddressPrefixes)).toEqual([["10.0.0.0/16"], undefined]);
    expect(inboundAllows.map((r) => r.sourceAddressPrefix)).toEqual([undefined, "AzureLoadBalancer"]);
    // The VNet the component creates has exactly that address space.
    expect(one(result, A.vnet).inputs.addressSpace.addressPrefixes).toEqual(["10.0.0.0/16"]);
    const custom = await run(training("nsg2", {}, { vnetAddressSpace: "10.40.0.0/16" }));
    expect(custom.error).toBeUndefined();
    expect((one(custom, A.nsg).inputs.securityRules as Rule[]).find((r) => r.name === "allow-cluster-inbound")!.sourceAddressPrefixes).toEqual(["10.40.0.0/16"]);
    const deny = rules.find((r) => r.access === "Deny" && r.sourceAddressPrefix === "Internet")!;
    expect(deny).toMatchObject({ direction: "Inbound", destinationPortRange: "*" });
    for (const allow of inboundAllows) expect(allow.priority).toBeLessThan(deny.priority);
    for (const r of inboundAllows) expect(["Internet", "*", "0.0.0.0/0"]).not.toContain(r.sourceAddressPrefix);
  });

  it("logs in by SSH key only, as the configured admin", async () => {
    const result = await run(training("ssh", {}, { adminUsername: "mlops" }));
    const os = one(result, A.vmss).inputs.virtualMachineProfile.osProfile;
    expect(os.adminUsername).toBe("mlops");
    expect(os.adminPassword).toBeUndefined();
    expect(os.linuxConfiguration.disablePasswordAuthentication).toBe(true);
    expect(os.linuxConfiguration.ssh.publicKeys).toEqual([{ path: "/home/mlops/.ssh/authorized_keys", keyData: SSH_KEY }]);
  });

  it("requires an SSH public key before creating anything", async () => {
    const result = await run(() => new gpu.TrainingCluster("nokey", { ...base, gpu: { model: "H100", nodes: 2 } }));
    expect(result.error).toMatchObject({ name: "SpecError", path: "azure.sshPublicKey" });
    expect(result.resources.filter((r) => r.custom)).toHaveLength(0);
    const bad = await run(training("badkey", {}, { sshPublicKey: "-----BEGIN OPENSSH PRIVATE KEY-----" }));
    expect(bad.error).toMatchObject({ name: "SpecError", path: "azure.sshPublicKey" });
  });

  it("runs as a user-assigned identity with no role but the cluster key's read, its scale set's read and GPU metrics publishing on it when there is no storage account", async () => {
    const result = await run(training("id"));
    const identity = one(result, A.identity);
    expect(one(result, A.vmss).inputs.identity).toEqual({ type: "UserAssigned", userAssignedIdentities: [`${identity.name}-id`] });
    // The SSH trust's two roles (test/azure-vm-ssh.test.ts), a single node's too.
    expect(ofType(result, A.role).map((r) => r.name).sort()).toEqual(["id-gpu-metrics-publisher", "id-peers-reader", "id-ssh-key-reader"]);
    expect(ofType(await run(training("id1", { gpu: { model: "H100", nodes: 1 } })), A.role).map((r) => r.name).sort()).toEqual(["id1-gpu-metrics-publisher", "id1-peers-reader", "id1-ssh-key-reader"]);
  });

  it("sets Spot priority, Delete eviction and max price -1 when pricing is spot", async () => {
    const result = await run(training("spot", { gpu: { instanceType: "Standard_ND96amsr_A100_v4", nodes: 2 }, pricing: "spot" }));
    expect(result.error).toBeUndefined();
    const profile = one(result, A.vmss).inputs.virtualMachineProfile;
    expect(profile).toMatchObject({ priority: "Spot", evictionPolicy: "Delete", billingProfile: { maxPrice: -1 } });
    const capped = await run(training("capped", { gpu: { instanceType: "Standard_ND96amsr_A100_v4", nodes: 2 }, pricing: "spot" }, { spotMaxPriceUsdPerHour: 5 }));
    expect(one(capped, A.vmss).inputs.virtualMachineProfile.billingProfile).toEqual({ maxPrice: 5 });
    const onDemand = await run(training("od", {}, { spotMaxPriceUsdPerHour: 5 }));
    expect(onDemand.error).toMatchObject({ name: "SpecError", path: "azure.spotMaxPriceUsdPerHour" });
  });

  it("stores objects in a private, HTTPS-only, TLS 1.2 account the node identity alone may use", async () => {
    const result = await run(training("obj", { storage: [{ kind: "object", capacityTiB: 50 }] }));
    expect(result.error).toBeUndefined();
    const account = one(result, A.account).inputs;
    expect(account).toMatchObject({
      kind: "StorageV2",
      sku: { name: "Standard_LRS" },
      accessTier: "Hot",
      enableHttpsTrafficOnly: true,
      minimumTlsVersion: "TLS1_2",
      allowBlobPublicAccess: false,
      allowSharedKeyAccess: false,
      networkRuleSet: { defaultAction: "Deny", virtualNetworkRules: [{ virtualNetworkResourceId: "obj-nodes-id", action: "Allow" }] },
    });
    expect(account.accountName).toMatch(/^[a-z0-9]{3,24}$/);
    expect(one(result, A.container).inputs.publicAccess).toBe("None");
    expect(one(result, A.subnet).inputs.serviceEndpoints).toEqual([{ service: "Microsoft.Storage", locations: ["eastus"] }, { service: "Microsoft.KeyVault" }]);
    const role = ofType(result, A.role).find((r) => r.name === "obj-blob-access-mnt-object")!.inputs;
    expect(role.scope).toBe("obj-object-mnt-object-id");
    expect(role.principalType).toBe("ServicePrincipal");
    expect(role.roleDefinitionId).toBe(`/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/${STORAGE_BLOB_DATA_CONTRIBUTOR}`);
  });

  it("serves nfs from Azure NetApp Files Premium in a delegated subnet, exported to the node subnet only", async () => {
    const result = await run(training("nfs", { storage: [{ kind: "nfs", capacityTiB: 4, mountPath: "/shared" }] }));
    expect(result.error).toBeUndefined();
    const pool = one(result, A.netappPool).inputs;
    expect(pool).toMatchObject({ serviceLevel: "Premium", size: 4 * 1024 ** 4 });
    const volume = one(result, A.netappVolume).inputs;
    expect(volume).toMatchObject({ protocolTypes: ["NFSv4.1"], usageThreshold: 4 * 1024 ** 4, subnetId: "nfs-netapp-id", isLargeVolume: false });
    expect(volume.exportPolicy.rules).toEqual([expect.objectContaining({ allowedClients: "10.0.0.0/17", nfsv41: true, nfsv3: false })]);
    // The mount root is sticky and world-writable, so the VM's admin user can write to it: Azure's default is 0770
    // owned by root (https://learn.microsoft.com/en-us/azure/azure-netapp-files/configure-unix-permissions-change-ownership-mode, read 2026-12-01).
    expect(volume.unixPermissions).toBe("1777");
    const delegated = ofType(result, A.subnet).find((s) => s.name === "nfs-netapp")!.inputs;
    expect(delegated.delegations).toEqual([{ name: "netapp", serviceName: "Microsoft.NetApp/volumes" }]);
    // NetApp needs no role: only the SSH trust's two (and the GPU metrics' publisher role).
    expect(ofType(result, A.role).map((r) => r.name).sort()).toEqual(["nfs-gpu-metrics-publisher", "nfs-peers-reader", "nfs-ssh-key-reader"]);
  });

  it("block storage: a Premium SSD data disk on every VM, sized up to the P-tier that holds the request and priced per disk", async () => {
    // 1.5 TiB per node → P40 (2,048 GiB) at $259.0457/disk-month; 8 nodes → 8 × 259.0457 = $2,072.3656 → $2,072.37.
    let cluster: gpu.TrainingCluster | undefined;
    const result = await run(() => (cluster = training("disks", { storage: [{ kind: "block", capacityTiB: 1.5, mountPath: "/scratch" }] })()));
    expect(result.error).toBeUndefined();
    const disks = one(result, A.vmss).inputs.virtualMachineProfile.storageProfile.dataDisks;
    // LUN 53: sha256("scratch") mod 64, never the entry's position.
    expect(disks).toEqual([expect.objectContaining({ lun: 53, createOption: "Empty", diskSizeGB: 2048, managedDisk: { storageAccountType: "Premium_LRS" }, deleteOption: "Delete" })]);
    const estimate = await new Promise<gpu.CostEstimate>((done) => cluster!.costEstimate.apply(done));
    const line = estimate.lines.find((l) => l.category === "storage")!;
    expect(line).toMatchObject({ quantity: 8, unit: "disk-month", unitPriceUsd: 259.0457, monthlyUsd: 2072.37 });
    expect(line.description).toContain("P40, 2048 GiB disk × 8 nodes");
    expect(line.asOf).toBe("2026-07-23");
  });

  it("block storage: a P30 for exactly 1 TiB, and more than the largest priced disk (P60, 8 TiB) is an error with the limit", () => {
    const plan = gpu.planCluster({ ...base, gpu: { model: "H100", nodes: 2 }, storage: [{ kind: "block", capacityTiB: 1 }] });
    expect(plan.storage[0]).toMatchObject({ capacityGiB: 1024, product: "Azure Premium SSD LRS managed disk P30", disk: { name: "P30", usdPerMonth: 135.17 } });
    expect(() => gpu.planCluster({ ...base, gpu: { model: "H100", nodes: 2 }, storage: [{ kind: "block", capacityTiB: 9 }] })).toThrow(/storage\[0\]\.capacityTiB.*8192 GiB/);
  });

  it("lustre: Azure Managed Lustre at the tier's capacity step, priced with the quote the spec gives (no public price exists)", async () => {
    // 20 TiB on premium-250 → 24 TiB (8-TiB steps); 24,576 GiB × $0.21 = $5,160.96.
    let cluster: gpu.TrainingCluster | undefined;
    const result = await run(() => (cluster = training("lus", { zone: "2", storage: [{ kind: "lustre", tier: "premium-250", capacityTiB: 20, mountPath: "/lustre", contractUsdPerGiBMonth: 0.21 }] })()));
    expect(result.error).toBeUndefined();
    expect(one(result, A.amlfs).inputs).toMatchObject({ sku: { name: "AMLFS-Durable-Premium-250" }, storageCapacityTiB: 24 });
    const estimate = await new Promise<gpu.CostEstimate>((done) => cluster!.costEstimate.apply(done));
    const line = estimate.lines.find((l) => l.category === "storage")!;
    expect(line).toMatchObject({ quantity: 24576, unitPriceUsd: 0.21, monthlyUsd: 5160.96, asOf: "spec" });
    expect(line.source).toContain("storage[0].contractUsdPerGiBMonth");
    // Without the quote: a SpecError that says why and what to give, before anything exists.
    const unpriced = await run(training("unpriced", { zone: "2", storage: [{ kind: "lustre", capacityTiB: 16 }] }));
    expect(unpriced.error).toMatchObject({ name: "SpecError", path: "storage[0].contractUsdPerGiBMonth" });
    expect((unpriced.error as Error).message).toMatch(/AMLFS-Durable-Premium-125 has no public price in the catalog.*contractUsdPerGiBMonth: 0\.2, or use another kind \(nfs, object, block\)/);
    expect(unpriced.resources).toEqual([]);
  });

  it("compiles lustre to Azure Managed Lustre and block to a data disk on every VM (plans built directly)", async () => {
    // The compiler with a plan built directly (tier names as the SKU maps them).
    const plan = gpu.planCluster({ ...base, gpu: { model: "H100", nodes: 4 }, zone: "3" });
    const row = { product: "test", perNode: false, usdPerGiBMonth: 0, priceSource: { source: "test", asOf: "2026-01-01" } };
    plan.storage = [
      { ...row, kind: "lustre", tier: "premium-250", capacityGiB: 8 * 1024, requestedGiB: 8 * 1024, mountPath: "/lustre", name: "lustre", deletionProtection: true },
      { ...row, kind: "block", tier: "premium-ssd", capacityGiB: 2048, requestedGiB: 2048, perNode: true, mountPath: "/scratch", name: "scratch", deletionProtection: true },
    ] as StoragePlan[];
    class Host extends pulumi.ComponentResource {
      constructor() {
        super("test:index:Host", "raw");
      }
    }
    const result = await run(() => azureCompiler.compileTraining(plan, { sshPublicKey: SSH_KEY }, { name: "raw", parent: new Host(), bill: gpu.billOfMaterials(plan, { sshPublicKey: SSH_KEY }) }));
    expect(result.error).toBeUndefined();
    const fs = one(result, A.amlfs).inputs;
    expect(fs).toMatchObject({ sku: { name: "AMLFS-Durable-Premium-250" }, storageCapacityTiB: 8, filesystemSubnet: "raw-lustre-id", zones: ["3"] });
    expect(one(result, A.vmss).inputs.zones).toEqual(["3"]);
    const disks = one(result, A.vmss).inputs.virtualMachineProfile.storageProfile.dataDisks;
    expect(disks).toEqual([expect.objectContaining({ lun: 53, createOption: "Empty", diskSizeGB: 2048, managedDisk: { storageAccountType: "Premium_LRS" } })]);
    const script = customDataScript(plan, { lustre: "10.0.144.4@tcp:/lustrefs" });
    expect(script).toContain("mount -t lustre -o noatime,flock '10.0.144.4@tcp:/lustrefs' '/lustre' || fail");
    expect(script).toContain("dev=/dev/disk/azure/scsi1/lun53;");
  });

  it("NetApp Files NFSv4.1: the idmap domain is set to defaultv4iddomain.com before the mount (learn.microsoft.com azure-netapp-files-configure-nfsv41-domain, read 2026-11-30)", () => {
    const plan = gpu.planCluster({ ...base, gpu: { model: "H100", nodes: 2 }, storage: [{ kind: "nfs", capacityTiB: 4, mountPath: "/home" }] });
    const script = customDataScript(plan, { [plan.storage[0]!.name]: "10.0.160.4:/home" });
    const idmap = script.indexOf("idmap_line='Domain = defaultv4iddomain.com'");
    expect(idmap).toBeGreaterThan(0);
    expect(idmap).toBeLessThan(script.indexOf("mount -t nfs -o rw,hard,rsize=262144,wsize=262144,vers=4.1,tcp '10.0.160.4:/home' '/home'"));
    // No NFS, no idmap change.
    expect(customDataScript(gpu.planCluster({ ...base, gpu: { model: "H100", nodes: 2 } }), {})).not.toContain("idmap");
    // Run against three idmapd.conf files: Ubuntu's (Domain commented out), another domain, none at all.
    const dir = nodeFs.mkdtempSync(nodePath.join(os.tmpdir(), "idmap-"));
    const conf = nodePath.join(dir, "idmapd.conf");
    const apply = () => execFileSync("/bin/bash", ["-c", idmapDomainLines(conf).join("\n")], { env: { PATH: "/usr/bin:/bin" } });
    nodeFs.writeFileSync(conf, "[General]\n\nVerbosity = 0\n# Domain = localdomain\n\n[Mapping]\nNobody-User = nobody\n");
    apply();
    apply();
    expect(nodeFs.readFileSync(conf, "utf8")).toBe("[General]\nDomain = defaultv4iddomain.com\n\nVerbosity = 0\n# Domain = localdomain\n\n[Mapping]\nNobody-User = nobody\n");
    nodeFs.writeFileSync(conf, "[General]\n  Domain = corp.example.com\n");
    apply();
    expect(nodeFs.readFileSync(conf, "utf8")).toBe("[General]\nDomain = defaultv4iddomain.com\n");
    nodeFs.rmSync(conf);
    apply();
    expect(nodeFs.readFileSync(conf, "utf8")).toBe("[General]\nDomain = defaultv4iddomain.com\n");
  });

  describe("block storage is per-VM scratch on Azure VMs (a Uniform scale set deletes its data disks with the VM; Detach is Flexible-only)", () => {
    const block = (extra: Record<string, unknown> = {}) => ({ ...base, gpu: { model: "H100", nodes: 2 }, storage: [{ kind: "block", capacityTiB: 1, mountPath: "/scratch", ...extra }] });

    it("defaults to unguarded, with a plan note that says the disks die with their VMs", async () => {
      const result = await run(training("scr", { storage: [{ kind: "block", capacityTiB: 1, mountPath: "/scratch" }] }));
      expect(result.error).toBeUndefined();
      expect(gpu.planCluster(block() as gpu.ClusterSpec).storage[0]!.deletionProtection).toBe(false);
      const { azurePlanNotes } = await import("../lib/clouds/azure/options.js");
      const notes = azurePlanNotes(gpu.planCluster(block() as gpu.ClusterSpec), { sshPublicKey: SSH_KEY });
      expect(notes).toContain(
        "block storage (scratch) is one data disk per VM of the scale set, deleted with its VM (a repair, a scale-in, a reimage): scratch space, not deletion-protected; keep checkpoints on nfs, lustre or object storage",
      );
    });

    it("refuses deletionProtection: true with a SpecError naming the field", () => {
      expect(() => gpu.planCluster(block({ deletionProtection: true }) as gpu.ClusterSpec)).toThrow(/storage\[0\]\.deletionProtection.*per-node data disks of the scale set, deleted with their VM/);
    });

    it("takes the LUN from the name: reordering entries keeps each disk's LUN; two names on one LUN are refused", async () => {
      const two = (names: string[]) => names.map((name) => ({ kind: "block", capacityTiB: 1, name, mountPath: `/${name}` }));
      const a = await run(training("lun1", { storage: two(["scratch", "ckpt"]) }));
      const b = await run(training("lun2", { storage: two(["ckpt", "scratch"]) }));
      const luns = (r: Awaited<ReturnType<typeof run>>) => Object.fromEntries(one(r, A.vmss).inputs.virtualMachineProfile.storageProfile.dataDisks.map((d: { lun: number; diskSizeGB: number }) => [d.lun, d.diskSizeGB]));
      expect(Object.keys(luns(a)).map(Number).sort((x, y) => x - y)).toEqual([1, 53]);
      expect(luns(b)).toEqual(luns(a));
      // sha256("disk144") mod 64 = 53 = sha256("scratch") mod 64.
      const clash = await run(training("lun3", { storage: two(["scratch", "disk144"]) }));
      expect(clash.error).toMatchObject({ name: "SpecError", path: "storage[1].name" });
      expect((clash.error as Error).message).toContain("would share LUN 53");
    });
  });

  it("rejects a VNet that overlaps 172.16.0.0/16 (the ND RDMA range) before creating anything", async () => {
    const result = await run(training("overlap", {}, { vnetAddressSpace: "172.16.0.0/12" }));
    expect(result.error).toMatchObject({ name: "SpecError", path: "azure.vnetAddressSpace" });
    expect(String((result.error as Error).message)).toContain("172.16.0.0/16");
    expect(result.resources.filter((r) => r.custom)).toHaveLength(0);
    const inside = await run(training("inside", {}, { vnetAddressSpace: "172.16.128.0/20" }));
    expect(inside.error).toMatchObject({ name: "SpecError", path: "azure.vnetAddressSpace" });
    const ok = await run(training("ok", {}, { vnetAddressSpace: "172.17.0.0/16" }));
    expect(ok.error).toBeUndefined();
    expect(one(ok, A.vnet).inputs.addressSpace.addressPrefixes).toEqual(["172.17.0.0/16"]);
    expect(one(ok, A.subnet).inputs.addressPrefix).toBe("172.17.0.0/17");
  });

  it("compiles 100 nodes (one placement group) and rejects 101", async () => {
    const hundred = await run(training("hundred", { gpu: { model: "H100", nodes: 100 } }));
    expect(hundred.error).toBeUndefined();
    expect(one(hundred, A.vmss).inputs.sku.capacity).toBe(100);
    const over = await run(training("over", { gpu: { model: "H100", nodes: 101 } }));
    expect(over.error).toMatchObject({ name: "SpecError", path: "gpu.count" });
    expect(ofType(over, A.vmss)).toHaveLength(0);
  });

  it("compiles 100 nodes to the same resources as 8", async () => {
    const storage = [{ kind: "object", capacityTiB: 10 }, { kind: "nfs", capacityTiB: 2 }];
    const small = await run(training("small", { gpu: { model: "H100", nodes: 8 }, storage }));
    const large = await run(training("large", { gpu: { model: "H100", nodes: 100 }, storage }));
    expect(small.error).toBeUndefined();
    expect(large.resources.map((r) => r.type)).toEqual(small.resources.map((r) => r.type));
    expect(ofType(large, A.vmss)).toHaveLength(1);
    expect(one(small, A.vmss).inputs.sku.capacity).toBe(8);
    expect(one(large, A.vmss).inputs.sku.capacity).toBe(100);
  });

  it("uses the user's resource group instead of creating one", async () => {
    const result = await run(training("byorg", {}, { resourceGroupName: "ml-prod" }));
    expect(result.error).toBeUndefined();
    expect(ofType(result, A.rg)).toHaveLength(0);
    for (const r of result.resources.filter((r) => r.type.startsWith("azure-native:") && r.type !== A.role)) {
      expect(r.inputs.resourceGroupName).toBe("ml-prod");
    }
  });

  it("refuses a capacity reservation for an InfiniBand scale set (it needs singlePlacementGroup false)", async () => {
    const id = "/subscriptions/1/resourceGroups/rg/providers/Microsoft.Compute/capacityReservationGroups/crg";
    const result = await run(training("crg", { reservationId: id }));
    expect(result.error).toMatchObject({ name: "SpecError", path: "reservationId" });
  });

  it("writes the NCCL/InfiniBand environment and a fabric check into the custom data", async () => {
    const result = await run(training("boot"));
    const script = Buffer.from(one(result, A.vmss).inputs.virtualMachineProfile.osProfile.customData, "base64").toString("utf8");
    expect(script).toContain('NCCL_NET="IB"');
    expect(script).toContain('NCCL_IB_PCI_RELAXED_ORDERING="1"');
    expect(script).toContain("expected=8");
    // Only ACTIVE ports with an InfiniBand link layer count (run against a fake sysfs in test/vm-health.test.ts).
    expect(script).toContain(`for p in /sys/class/infiniband/*/ports/1; do grep -qs ': ACTIVE$' "$p/state" || continue; grep -qs InfiniBand "$p/link_layer" || continue; found=$((found+1)); done`);
    expect(infinibandEnvironment(gpu.planCluster({ ...base, gpu: { model: "H100", nodes: 2 }, fabric: "none" }))).toEqual({});
  });
});

describe("Azure inference fleet", () => {
  it("scales one private scale set between replicas.min and max behind an internal Standard load balancer", async () => {
    let url: string | undefined;
    const result = await run(() => {
      const f = fleet("serve")();
      f.endpointUrl.apply((u) => (url = u));
    });
    expect(result.error).toBeUndefined();
    const vmss = one(result, A.vmss).inputs;
    expect(vmss.sku).toEqual({ name: "Standard_NC24ads_A100_v4", tier: "Standard", capacity: 2 });
    expect(vmss.singlePlacementGroup).toBe(false);
    const ipConfig = vmss.virtualMachineProfile.networkProfile.networkInterfaceConfigurations[0].ipConfigurations[0];
    expect(ipConfig.publicIPAddressConfiguration).toBeUndefined();
    expect(ipConfig.loadBalancerBackendAddressPools).toEqual([
      { id: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/serve-rg-offline/providers/Microsoft.Network/loadBalancers/serve-lb/backendAddressPools/replicas" },
    ]);

    const autoscale = one(result, A.autoscale).inputs;
    expect(autoscale.targetResourceUri).toBe("serve-nodes-id");
    expect(autoscale.profiles[0].capacity).toEqual({ minimum: "2", maximum: "10", default: "2" });
    const rules = autoscale.profiles[0].rules;
    expect(rules.map((r: { scaleAction: { direction: string } }) => r.scaleAction.direction)).toEqual(["Increase", "Decrease", "Decrease"]);
    // The load it is sent, not CPU: the balancer's new connections per replica (SYNCount / instances), statistic Sum:
    // the metric's aggregation is Total (learn.microsoft.com monitor-load-balancer-reference, 2024-08-21 table, read 2026-11-30).
    expect(rules[0].metricTrigger).toEqual({
      metricName: "SYNCount",
      metricNamespace: "Microsoft.Network/loadBalancers",
      metricResourceUri: "serve-lb-id",
      timeGrain: "PT1M",
      statistic: "Sum",
      timeAggregation: "Average",
      dividePerInstance: true,
      timeWindow: "PT5M",
      operator: "GreaterThan",
      threshold: 30,
    });
    // Scale-in needs ALL its rules (autoscale-understanding-settings): few new connections AND little streamed out,
    // the scale set's own Network Out Total (Bytes, Total: supported-metrics for virtualMachineScaleSets) under
    // 256 KiB per replica per minute over 15 minutes, so keep-alive load holds the fleet.
    expect(rules[1].metricTrigger).toMatchObject({ metricName: "SYNCount", operator: "LessThan", threshold: 6, timeWindow: "PT15M" });
    expect(rules[2].metricTrigger).toEqual({
      metricName: "Network Out Total",
      metricNamespace: "Microsoft.Compute/virtualMachineScaleSets",
      metricResourceUri: "serve-nodes-id",
      timeGrain: "PT1M",
      statistic: "Sum",
      timeAggregation: "Average",
      dividePerInstance: true,
      timeWindow: "PT15M",
      operator: "LessThan",
      threshold: 262144,
    });
    expect(rules[2].scaleAction).toEqual({ direction: "Decrease", type: "ChangeCount", value: "1", cooldown: "PT15M" });

    const lb = one(result, A.lb).inputs;
    expect(lb.sku.name).toBe("Standard");
    expect(lb.frontendIPConfigurations).toEqual([expect.objectContaining({ privateIPAllocationMethod: "Static", privateIPAddress: "10.0.128.4", subnet: { id: "serve-lb-id" } })]);
    expect(lb.frontendIPConfigurations[0].publicIPAddress).toBeUndefined();
    expect(lb.probes).toEqual([expect.objectContaining({ protocol: "Http", port: 8000, requestPath: "/health" })]);
    expect(lb.loadBalancingRules).toEqual([expect.objectContaining({ protocol: "Tcp", frontendPort: 80, backendPort: 8000 })]);
    expect(lb.loadBalancingRules[0].probe.id).toMatch(/loadBalancers\/serve-lb\/probes\/health$/);
    expect(ofType(result, A.pip).map((p) => p.name)).toEqual(["serve-nat-ip"]);
    expect(url).toBe("http://10.0.128.4");

    const rules_ = one(result, A.nsg).inputs.securityRules as Rule[];
    const allows = rules_.filter((r) => r.access === "Allow");
    for (const r of allows) expect(["Internet", "*", "0.0.0.0/0"]).not.toContain(r.sourceAddressPrefix);
    // Internal: the model port and SSH from the component's VNet only (as the AWS fleet admits its VPC's CIDR).
    expect(allows.find((r) => r.destinationPortRange === "8000" && r.name === "allow-serving-port")!.sourceAddressPrefixes).toEqual(["10.0.0.0/16"]);
    expect(allows.find((r) => r.destinationPortRange === "22")!.sourceAddressPrefixes).toEqual(["10.0.0.0/16"]);
    expect(allows.map((r) => r.sourceAddressPrefix)).not.toContain("VirtualNetwork");
    expect(allows.find((r) => r.sourceAddressPrefix === "AzureLoadBalancer")!.destinationPortRange).toBe("8000");
  });

  it("admits the client ranges an internal fleet names (peered VNets, VPN) besides its own VNet, SSH still from the VNet only", async () => {
    const result = await run(fleet("peer", { azure: { sshPublicKey: SSH_KEY, allowedSourceRanges: ["10.50.0.0/16"] } }));
    expect(result.error).toBeUndefined();
    const rules_ = one(result, A.nsg).inputs.securityRules as Rule[];
    expect(rules_.find((r) => r.name === "allow-serving-port")!.sourceAddressPrefixes).toEqual(["10.0.0.0/16", "10.50.0.0/16"]);
    expect(rules_.find((r) => r.destinationPortRange === "22")!.sourceAddressPrefixes).toEqual(["10.0.0.0/16"]);
  });

  // A Standard Load Balancer is layer 4 and cannot terminate TLS
  // (https://learn.microsoft.com/azure/load-balancer/load-balancer-overview, read 2026-11-30): an internet-facing VM
  // fleet is served HTTPS by an Application Gateway (test/azure-internet-facing.test.ts), and without its certificate
  // it is refused before anything is built, naming the option and the way out.
  it("refuses an internet-facing VM fleet without its certificate, before anything is built", async () => {
    for (const azure of [{ sshPublicKey: SSH_KEY }, { sshPublicKey: SSH_KEY, allowedSourceRanges: ["203.0.113.0/24"] }]) {
      const result = await run(fleet("public", { loadBalancer: "internet-facing", azure }));
      expect(result.error).toMatchObject({ name: "SpecError", path: "azure.tlsCertificateSecretId" });
      expect(String((result.error as Error).message)).toMatch(/serves HTTPS only, and needs its certificate/);
      expect(String((result.error as Error).message)).toContain("loadBalancer: 'internal'");
      expect(result.resources.filter((r) => r.custom)).toHaveLength(0);
    }
  });

  it("rejects autoscale thresholds that would flap", async () => {
    const result = await run(() =>
      new gpu.InferenceFleet("flap", {
        ...base,
        gpu: { instanceType: "Standard_NC24ads_A100_v4" },
        replicas: { min: 1, max: 3 },
        azure: { sshPublicKey: SSH_KEY, scaleOutConnectionsPerMinute: 10, scaleInConnectionsPerMinute: 12 },
      }),
    );
    expect(result.error).toMatchObject({ name: "SpecError", path: "azure.scaleInConnectionsPerMinute" });
  });
});
