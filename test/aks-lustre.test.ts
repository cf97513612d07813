/**
 * Azure Managed Lustre on AKS (`storage: [{ kind: "lustre" }]` with `orchestrator: "kubernetes"`), checked against its
 * sources (read 2026-12-01):
 * - the file system: the VM compiler's builder (lib/clouds/azure/storage.ts), so its SKU, capacity, zone, subnet and
 *   guards are the VM path's; the zone and subnet rules from https://learn.microsoft.com/azure/azure-managed-lustre/
 *   amlfs-prerequisites and .../troubleshoot-performance ("same region and Availability Zone");
 * - the driver: kubernetes-sigs/azurelustre-csi-driver at tag v0.4.0 (9011a5fc, 2026-04-01), deploy/csi-azurelustre-
 *   driver.yaml and deploy/csi-azurelustre-node-{jammy,noble}.yaml (images, LUSTRE_VERSION / CLIENT_SHA_SUFFIX, probes,
 *   host paths), README.md's compatibility table;
 * - the volume: the same tag's docs/examples/pv.yaml and pvc_pv.yaml (driver, `mgs-ip-address`, unique volumeHandle,
 *   ReadWriteMany, Retain, noatime + flock), and Microsoft's AKS training reference's mount options
 *   (Azure/ai-infrastructure-on-azure storage_references/aks/shared_storage/helm/amlfs-shared-storage/values.yaml,
 *   @ba460bc8, 2025-11-14).
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { DaemonSet } from "kubernetes-models/apps/v1";
import { CSIDriver } from "kubernetes-models/storage.k8s.io/v1";
import { PersistentVolume, PersistentVolumeClaim, ServiceAccount } from "kubernetes-models/v1";
import { AZURE_LUSTRE_CSI_IMAGES, AZURE_LUSTRE_CSI_UNDIGESTED } from "../lib/clouds/azure/aks/lustre-csi.js";
import { LUSTRE_PORTS } from "../lib/clouds/azure/security.js";
import { byName, ofType, one, privateEndpoint, run, runRecording, trainingJob } from "./helpers/offline.js";
import type { RecordedResource } from "../lib/preview/offline.js";

const T = {
  amlfs: "azure-native:storagecache:AmlFilesystem",
  subnet: "azure-native:network:Subnet",
  nsg: "azure-native:network:NetworkSecurityGroup",
  pool: "azure-native:containerservice:AgentPool",
  csiDriver: "kubernetes:storage.k8s.io/v1:CSIDriver",
  daemonSet: "kubernetes:apps/v1:DaemonSet",
  deployment: "kubernetes:apps/v1:Deployment",
  serviceAccount: "kubernetes:core/v1:ServiceAccount",
  clusterRole: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
  pv: "kubernetes:core/v1:PersistentVolume",
  pvc: "kubernetes:core/v1:PersistentVolumeClaim",
};

const base = { cloud: "azure" as const, region: "eastus", orchestrator: "kubernetes" as const };
const ND = "Standard_ND96isr_H100_v5";
/** 6 TiB on the 500 MB/s/TiB tier rounds up to 8 TiB (4-TiB steps); Azure publishes no list price, so a quote is given. */
const LUSTRE = { kind: "lustre" as const, name: "datasets", tier: "premium-500", capacityTiB: 6, mountPath: "/lustre", contractUsdPerGiBMonth: 0.25 };

function training(name: string, args: Partial<gpu.TrainingClusterArgs> = {}, nodes = 8, instanceType = ND) {
  return () => new gpu.TrainingCluster(name, privateEndpoint({ ...base, gpu: { instanceType, nodes }, zone: "2", storage: [LUSTRE], ...args } as gpu.TrainingClusterArgs));
}

describe("AKS: Azure Managed Lustre, built as on VMs", () => {
  it("the file system: the VM builder's AMLFS (SKU, capacity step, the spec's zone, its own subnet), guarded; the GPU pool in its zone", async () => {
    const { result, registrations } = await runRecording(training("lus"));
    expect(result.error).toBeUndefined();
    const fs = one(result, T.amlfs);
    expect(fs.name).toBe("lus-lustre-datasets");
    expect(fs.inputs).toMatchObject({
      sku: { name: "AMLFS-Durable-Premium-500" },
      storageCapacityTiB: 8,
      zones: ["2"],
      filesystemSubnet: "lus-lustre-id",
      maintenanceWindow: { dayOfWeek: "Sunday", timeOfDayUTC: "02:00" },
    });
    expect(registrations.get(fs.name)).toMatchObject({ protect: true, retainOnDelete: true });
    // The GPU nodes (the Lustre clients) in the file system's zone.
    expect(one(result, T.pool).inputs.availabilityZones).toEqual(["2"]);
    // Its subnet: its own NSG and the NAT gateway (outbound to AzureCloud, the prerequisite), in the component's VNet.
    const subnet = byName(result, T.subnet, "lus-lustre");
    expect(subnet.inputs.natGateway).toEqual({ id: "lus-nat-id" });
    expect(subnet.inputs.networkSecurityGroup).toEqual({ id: "lus-lustre-nsg-id" });
    const nodes = byName(result, T.subnet, "lus-nodes");
    expect(subnet.inputs.addressPrefix).not.toBe(nodes.inputs.addressPrefix);
    // Lustre's ports from the cluster's own ranges (which hold the node subnet) on the file system's NSG.
    const rules = byName(result, T.nsg, "lus-lustre-nsg").inputs.securityRules as { name: string; sourceAddressPrefixes?: string[]; destinationPortRanges?: string[] }[];
    const inbound = rules.find((r) => r.name === "allow-lustre-inbound")!;
    expect(inbound.destinationPortRanges).toEqual(["988", "1019-1023"]);
    expect(LUSTRE_PORTS).toEqual(["988", "1019-1023"]);
    expect(inbound.sourceAddressPrefixes).toContain("10.0.0.0/16");
    // Microsoft's Managed Lustre NSG rules: the hosts talk freely within their own subnet (SSH on 22 during
    // deployment), and AzureMonitor reaches them; both ahead of the denies
    // (learn.microsoft.com azure-managed-lustre/amlfs-prerequisites "Access between hosts", configure-network-security-group).
    const all = rules as unknown as { name: string; priority: number; direction: string; protocol: string; sourceAddressPrefix?: string; destinationAddressPrefix?: string }[];
    const lustreSubnet = subnet.inputs.addressPrefix as string;
    for (const direction of ["Inbound", "Outbound"]) {
      expect(all.find((r) => r.direction === direction && r.sourceAddressPrefix === lustreSubnet && r.destinationAddressPrefix === lustreSubnet)).toMatchObject({ protocol: "*", priority: 90 });
    }
    expect(all.find((r) => r.sourceAddressPrefix === "AzureMonitor")).toMatchObject({ direction: "Inbound", protocol: "Tcp", priority: 95 });
    expect(Math.max(...all.filter((r) => r.direction === "Inbound" && r.name.startsWith("allow")).map((r) => r.priority))).toBeLessThan(4000);
    // The node subnet's NSG admits the file system's replies (the VNet's own traffic).
    const nodeRules = byName(result, T.nsg, "lus-nodes-nsg").inputs.securityRules as { name: string; sourceAddressPrefixes?: string[] }[];
    expect(nodeRules.find((r) => r.name === "allow-cluster-inbound")!.sourceAddressPrefixes).toContain("10.0.0.0/16");
  });

  it("without a zone: a SpecError naming `zone`, before anything exists (AMLFS is zonal, and the GPU pool must share its zone)", async () => {
    const result = await run(training("nozone", { zone: undefined }));
    expect(result.error).toMatchObject({ name: "SpecError", path: "zone" });
    expect((result.error as Error).message).toMatch(/Azure Managed Lustre, which lives in one availability zone, and the nodes must run in that zone too/);
    expect(result.resources).toEqual([]);
    // Without a NAT gateway the file system's subnet has no way out to AzureCloud (its management prerequisite).
    const closed = await run(training("nonat", { egress: { natGateway: false } }));
    expect(closed.error).toMatchObject({ name: "SpecError", path: "egress.natGateway" });
    expect(closed.resources).toEqual([]);
  });

  it("on an existing cluster (azure.aks.clusterName): refused like NetApp, naming the subnet it needs", async () => {
    const result = await run(training("byo", { azure: { aks: { clusterName: "shared", resourceGroupName: "shared-rg" } } }));
    expect(result.error).toMatchObject({ name: "SpecError", path: "storage[0].kind" });
    expect((result.error as Error).message).toMatch(/'lustre' \(Azure Managed Lustre\) needs its own subnet in the component's own VNet.*existing cluster's VNet is not managed here/);
    expect(result.resources).toEqual([]);
  });
});

describe("AKS: the Azure Lustre CSI driver, pinned to v0.4.0", () => {
  it("installs the CSIDriver and one node DaemonSet per Ubuntu release, as the tag's manifests, on the GPU pool; no controller", async () => {
    const result = await run(training("drv"));
    expect(result.error).toBeUndefined();
    const driver = one(result, T.csiDriver);
    expect(driver.inputs.metadata.name).toBe("azurelustre.csi.azure.com");
    expect(driver.inputs.spec).toEqual({ fsGroupPolicy: "File", attachRequired: false, podInfoOnMount: true });
    new CSIDriver(driver.inputs as ConstructorParameters<typeof CSIDriver>[0]).validate();
    const sets = ofType(result, T.daemonSet).filter((d) => d.name.startsWith("drv-lustre-csi-node-"));
    expect(sets.map((d) => d.inputs.metadata.name).sort()).toEqual(["csi-azurelustre-node-jammy", "csi-azurelustre-node-noble"]);
    // The client version per release (LUSTRE_VERSION, CLIENT_SHA_SUFFIX) and the plugin image of that release.
    const expected = {
      "csi-azurelustre-node-jammy": { image: "mcr.microsoft.com/oss/v2/kubernetes-csi/azurelustre-csi:v0.4.0-jammy", version: "2.15.7", sha: "33-g79ddf99", skus: ["Ubuntu2204", "Ubuntu2004"] },
      "csi-azurelustre-node-noble": { image: "mcr.microsoft.com/oss/v2/kubernetes-csi/azurelustre-csi:v0.4.0-noble", version: "2.16.1", sha: "14-gbc76088", skus: ["Ubuntu2404"] },
    } as const;
    for (const ds of sets) {
      new DaemonSet(ds.inputs).validate();
      const want = expected[ds.inputs.metadata.name as keyof typeof expected];
      const pod = ds.inputs.spec.template.spec;
      expect(ds.inputs.metadata.namespace).toBe("kube-system");
      expect(pod.nodeSelector).toEqual({ "kubernetes.io/os": "linux", "gpu-cluster/pool": "drv-pool" });
      expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions).toContainEqual({
        key: "kubernetes.azure.com/os-sku-effective",
        operator: "In",
        values: want.skus,
      });
      expect(pod).toMatchObject({ hostNetwork: true, priorityClassName: "system-node-critical", tolerations: [{ operator: "Exists" }], automountServiceAccountToken: false });
      const [liveness, registrar, plugin] = pod.containers;
      expect([liveness.image, registrar.image, plugin.image]).toEqual([
        "mcr.microsoft.com/oss/kubernetes-csi/livenessprobe:v2.15.0",
        "mcr.microsoft.com/oss/kubernetes-csi/csi-node-driver-registrar:v2.13.0",
        want.image,
      ]);
      const env = Object.fromEntries((plugin.env as { name: string; value?: string }[]).map((e) => [e.name, e.value]));
      expect(env).toMatchObject({ AZURELUSTRE_CSI_INSTALL_LUSTRE_CLIENT: "yes", LUSTRE_VERSION: want.version, CLIENT_SHA_SUFFIX: want.sha });
      expect(plugin.args).toEqual(["-v=5", "--endpoint=$(CSI_ENDPOINT)", "--nodeid=$(KUBE_NODE_NAME)", "--remove-not-ready-taint=false"]);
      expect(plugin.securityContext).toEqual({ privileged: true });
      expect(plugin.readinessProbe.exec.command).toEqual(["/app/readinessProbe.sh"]);
      expect(plugin.volumeMounts).toContainEqual({ name: "mountpoint-dir", mountPath: "/var/lib/kubelet/", mountPropagation: "Bidirectional" });
      expect(registrar.env).toContainEqual({ name: "DRIVER_REG_SOCK_PATH", value: "/var/lib/kubelet/plugins/azurelustre.csi.azure.com/csi.sock" });
    }
    // The node plugin's account: no token, no role. No controller (dynamic provisioning only) and none of its rights.
    const account = byName(result, T.serviceAccount, "drv-lustre-csi-node-sa");
    expect(account.inputs).toMatchObject({ metadata: { name: "csi-azurelustre-node-sa", namespace: "kube-system" }, automountServiceAccountToken: false });
    new ServiceAccount(account.inputs).validate();
    expect(ofType(result, T.deployment).filter((d) => /azurelustre/.test(JSON.stringify(d.inputs)))).toEqual([]);
    expect(ofType(result, T.clusterRole).filter((r) => /azurelustre/.test(JSON.stringify(r.inputs)))).toEqual([]);
  });

  it("every driver image has a version tag, and each is in the list of tag-pinned images with its reason", () => {
    const refs = Object.values(AZURE_LUSTRE_CSI_IMAGES);
    expect(refs).toHaveLength(4);
    for (const ref of refs) {
      expect(ref).toMatch(/^mcr\.microsoft\.com\/oss\/[a-z0-9/-]+:v[0-9][^:@]*$/);
      expect(AZURE_LUSTRE_CSI_UNDIGESTED[ref]).toMatch(/v0\.4\.0 node manifests .* by tag only/);
    }
    expect(Object.keys(AZURE_LUSTRE_CSI_UNDIGESTED).sort()).toEqual([...refs].sort());
  });

  it("without Lustre, no driver: no CSIDriver, no Lustre DaemonSet", async () => {
    const result = await run(training("plain", { storage: [], zone: undefined }));
    expect(result.error).toBeUndefined();
    expect(ofType(result, T.csiDriver)).toEqual([]);
    expect(ofType(result, T.daemonSet).map((d) => d.name)).not.toContain("plain-lustre-csi-node-jammy");
  });
});

describe("AKS: the static volume and the pods' mount", () => {
  it("a PersistentVolume of the driver with the file system's MGS address, a guarded claim, both named by the storage name, mounted at the mount path", async () => {
    const { result, registrations } = await runRecording(training("vol"));
    expect(result.error).toBeUndefined();
    const pv = one(result, T.pv);
    expect(pv.name).toBe("vol-lustre-datasets-pv");
    expect(pv.inputs.metadata.name).toBe("vol-datasets");
    expect(pv.inputs.spec).toEqual({
      capacity: { storage: "1Gi" },
      accessModes: ["ReadWriteMany"],
      persistentVolumeReclaimPolicy: "Retain",
      storageClassName: "",
      volumeMode: "Filesystem",
      claimRef: { namespace: "vol", name: "vol-datasets" },
      mountOptions: ["noatime", "flock"],
      // The AmlFilesystem's clientInfo.mgsAddress (offline: the RFC 5737 placeholder the simulated file system reports).
      csi: { driver: "azurelustre.csi.azure.com", volumeHandle: "vol-datasets", volumeAttributes: { "mgs-ip-address": "192.0.2.4" } },
    });
    new PersistentVolume(pv.inputs).validate();
    // The address is the file system's own output, not a constant: the PV waits on it.
    const fs = one(result, T.amlfs);
    expect(registrations.get(pv.name)!.dependencies).toEqual(expect.arrayContaining([fs.urn, one(result, T.csiDriver).urn]));
    const pvc = one(result, T.pvc);
    expect(pvc.name).toBe("vol-lustre-datasets-pvc");
    expect(pvc.inputs).toMatchObject({ metadata: { name: "vol-datasets", namespace: "vol" }, spec: { storageClassName: "", volumeName: "vol-datasets", accessModes: ["ReadWriteMany"], resources: { requests: { storage: "1Gi" } } } });
    new PersistentVolumeClaim(pvc.inputs).validate();
    expect(registrations.get(pvc.name)).toMatchObject({ protect: true, retainOnDelete: true });
    // The namespace holding a guarded claim outlives a delete too.
    expect(registrations.get("vol-ns")).toMatchObject({ retainOnDelete: true });
    const pod = trainingJob(result).inputs.spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: "storage-datasets", persistentVolumeClaim: { claimName: "vol-datasets" } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: "storage-datasets", mountPath: "/lustre" });
    // The workload waits for the driver's node pods (Ready once LNet is up on every GPU node).
    const jammy = byName(result, T.daemonSet, "vol-lustre-csi-node-jammy");
    expect(registrations.get("vol-job")!.dependencies).toContain(jammy.urn);
    expect(registrations.get(jammy.name)!.dependencies).toContain(one(result, T.pool).urn);
    // The CSIDriver (which the guarded volume waits on) does not depend on the GPU pool: removing the pool with
    // `pulumi destroy --target <pool> --target-dependents` (README) must not reach the protected claim.
    expect(registrations.get(one(result, T.csiDriver).name)!.dependencies).not.toContain(one(result, T.pool).urn);
    expect(registrations.get(pv.name)!.dependencies).not.toContain(one(result, T.pool).urn);
    expect(registrations.get(pvc.name)!.dependencies).not.toContain(one(result, T.pool).urn);
  });

  it("unguarded on request (deletionProtection: false): the claim and the file system are neither protected nor retained", async () => {
    const { result, registrations } = await runRecording(training("open", { storage: [{ ...LUSTRE, deletionProtection: false }] }));
    expect(result.error).toBeUndefined();
    for (const r of [one(result, T.amlfs), one(result, T.pvc)]) {
      expect(registrations.get(r.name)?.protect, r.name).toBeUndefined();
      expect(registrations.get(r.name)?.retainOnDelete, r.name).toBeUndefined();
    }
  });
});

describe("AKS: the Managed Lustre bill line", () => {
  it("8 TiB of AMLFS-Durable-Premium-500 at the spec's quote: 8,192 GiB × $0.25 = $2,048.00, on the catalog row's product", async () => {
    let cluster: gpu.TrainingCluster | undefined;
    const result = await run(() => (cluster = training("bill")()));
    expect(result.error).toBeUndefined();
    const estimate = await new Promise<gpu.CostEstimate>((done) => cluster!.costEstimate.apply(done));
    const lines = estimate.lines.filter((l) => l.category === "storage");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ quantity: 8192, unit: "GiB-month", unitPriceUsd: 0.25, monthlyUsd: 2048, asOf: "spec" });
    expect(lines[0]!.description).toContain("Azure Managed Lustre AMLFS-Durable-Premium-500");
    expect(lines[0]!.source).toContain("storage[0].contractUsdPerGiBMonth");
    // The same file system costs the same on VMs.
    const plan = gpu.planCluster({ ...base, orchestrator: "vm", gpu: { instanceType: ND, nodes: 8 }, zone: "2", storage: [LUSTRE] });
    expect(plan.storage[0]).toMatchObject({ capacityGiB: 8192, product: "Azure Managed Lustre AMLFS-Durable-Premium-500", usdPerGiBMonth: 0.25 });
    // Without a quote: the catalog row has no public price, so a SpecError says what to give (never $0).
    const unpriced = await run(training("unpriced", { storage: [{ kind: "lustre", capacityTiB: 16 }] }));
    expect(unpriced.error).toMatchObject({ name: "SpecError", path: "storage[0].contractUsdPerGiBMonth" });
    expect(unpriced.resources).toEqual([]);
  });
});

describe("AKS: Managed Lustre keeps its identity", () => {
  const ofEntry = (resources: RecordedResource[]) =>
    resources.filter((r) => [T.amlfs, T.pv, T.pvc, T.subnet, T.nsg, T.csiDriver].includes(r.type) && /lustre|datasets/.test(r.name));

  it("a node count or GPU type change (8 → 4 nodes; ND H100 v5 → ND A100 v4) leaves the file system, its subnet and NSG, the driver, the volume and the claim as they were", async () => {
    const before = (await run(training("keep", {}, 8, ND))).resources;
    for (const [nodes, type] of [[4, ND], [8, "Standard_ND96amsr_A100_v4"]] as const) {
      const after = await run(training("keep", {}, nodes, type));
      expect(after.error).toBeUndefined();
      const was = ofEntry(before);
      const is = ofEntry(after.resources);
      expect(was.map((r) => `${r.type} ${r.name}`).sort()).toEqual([
        "azure-native:network:NetworkSecurityGroup keep-lustre-nsg",
        "azure-native:network:Subnet keep-lustre",
        "azure-native:storagecache:AmlFilesystem keep-lustre-datasets",
        "kubernetes:core/v1:PersistentVolume keep-lustre-datasets-pv",
        "kubernetes:core/v1:PersistentVolumeClaim keep-lustre-datasets-pvc",
        "kubernetes:storage.k8s.io/v1:CSIDriver keep-lustre-csi-driver",
      ]);
      expect(is.map((r) => `${r.type} ${r.name}`).sort()).toEqual(was.map((r) => `${r.type} ${r.name}`).sort());
      for (const r of was) expect(is.find((x) => x.type === r.type && x.name === r.name)!.inputs, `${nodes} × ${type}: ${r.name}`).toEqual(r.inputs);
    }
  });
});

describe("AKS: the plan says how the nodes get the Lustre client", () => {
  it("names the driver version, the client per Ubuntu release, the package source and what to read when it fails", async () => {
    let cluster: gpu.TrainingCluster | undefined;
    const result = await run(() => (cluster = training("note")()));
    expect(result.error).toBeUndefined();
    const plan = await new Promise<gpu.Plan>((done) => cluster!.plan.apply(done));
    const note = plan.notes.filter((n) => n.startsWith("storage 'datasets': Azure Managed Lustre in the pods"));
    expect(note).toHaveLength(1);
    expect(note[0]).toMatch(/at \/lustre through the Azure Lustre CSI driver v0\.4\.0 \(static volume, mount options noatime,flock\)/);
    expect(note[0]).toMatch(/2\.15\.7 on Ubuntu2204, 2\.16\.1 on Ubuntu2404\) from packages\.microsoft\.com through the NAT gateway/);
    expect(note[0]).toMatch(/kubectl logs -n kube-system -l app=csi-azurelustre-node -c azurelustre/);
    // AKS cannot move an existing pool into a zone (https://learn.microsoft.com/azure/aks/reliability-availability-zones-configure).
    expect(note[0]).toMatch(/are in zone 2; AKS cannot change an existing pool's zones .*`pulumi destroy --target '<the pool's URN>' --target-dependents/);
  });
});
