import { describe, expect, it } from "vitest";
import { driverUpgradeNote } from "../lib/clouds/azure/aks/driver-upgrades.js";
import { checkAzureOptions } from "../lib/clouds/azure/options.js";
import { AKS_DEFAULT_ALL_REDUCE_BINARY } from "../lib/clouds/azure/aks/options.js";
import { NETAPP_NFS_MOUNT_OPTIONS } from "../lib/clouds/azure/storage-rules.js";
import { OPERATING_SCHEMAS } from "./helpers/k8s-schemas.js";
import * as gpu from "gpu-cluster";
import { Deployment } from "kubernetes-models/apps/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { Job } from "kubernetes-models/batch/v1";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { Role, RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1";
import { ConfigMap, Namespace, Service, ServiceAccount } from "kubernetes-models/v1";
import { fabricSides } from "../lib/fabric/index.js";
import { cidrsOverlap } from "../lib/clouds/shared/cidr.js";
import { one, ofType, run, byName, container, envOf, runRecording, privateEndpoint } from "./helpers/offline.js";
import { trainingJob } from "./helpers/offline.js";

const A = {
  rg: "azure-native:resources:ResourceGroup",
  vnet: "azure-native:network:VirtualNetwork",
  subnet: "azure-native:network:Subnet",
  nsg: "azure-native:network:NetworkSecurityGroup",
  nat: "azure-native:network:NatGateway",
  identity: "azure-native:managedidentity:UserAssignedIdentity",
  role: "azure-native:authorization:RoleAssignment",
  cluster: "azure-native:containerservice:ManagedCluster",
  pool: "azure-native:containerservice:AgentPool",
  vmss: "azure-native:compute:VirtualMachineScaleSet",
  provider: "pulumi:providers:kubernetes",
  release: "kubernetes:helm.sh/v3:Release",
  nicPolicy: "kubernetes:mellanox.com/v1alpha1:NicClusterPolicy",
  nodeRule: "kubernetes:nfd.k8s-sigs.io/v1alpha1:NodeFeatureRule",
  namespace: "kubernetes:core/v1:Namespace",
  service: "kubernetes:core/v1:Service",
  job: "kubernetes:batch/v1:Job",
  deployment: "kubernetes:apps/v1:Deployment",
  hpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
  netpol: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
};

/** Upstream Kubernetes schema (kubernetes-models) of each workload kind the AKS compiler builds. */
const SCHEMAS: Record<string, new (data: any) => { validate(): void }> = {
  ...OPERATING_SCHEMAS,
  [A.namespace]: Namespace,
  [A.service]: Service,
  [A.job]: Job,
  [A.deployment]: Deployment,
  [A.hpa]: HorizontalPodAutoscaler,
  [A.netpol]: NetworkPolicy,
  // The NCCL topology file, and the fabric acceptance test (on by default for training): its result ConfigMap,
  // ServiceAccount and Role.
  "kubernetes:core/v1:ConfigMap": ConfigMap,
  "kubernetes:core/v1:ServiceAccount": ServiceAccount,
  "kubernetes:rbac.authorization.k8s.io/v1:Role": Role,
  "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": RoleBinding,
};

const base = { cloud: "azure" as const, region: "eastus", orchestrator: "kubernetes" as const };
const ND = "Standard_ND96isr_H100_v5";

function training(name: string, args: Partial<gpu.TrainingClusterArgs> = {}) {
  return () => new gpu.TrainingCluster(name, privateEndpoint({ ...base, gpu: { instanceType: ND, nodes: 8 }, ...args } as gpu.TrainingClusterArgs));
}

function fleet(name: string, args: Partial<gpu.InferenceFleetArgs> = {}) {
  return () => new gpu.InferenceFleet(name, privateEndpoint({ ...base, gpu: { instanceType: "Standard_NC40ads_H100_v5" }, replicas: { min: 2, max: 6 }, ...args } as gpu.InferenceFleetArgs));
}





describe("AKS training cluster (ND H100 v5, InfiniBand)", () => {
  it("builds one GPU node pool of the plan's size and count, tainted, driver left to the GPU Operator, in the component's subnet", async () => {
    const result = await run(training("pool"));
    expect(result.error).toBeUndefined();
    const pool = one(result, A.pool).inputs;
    expect(pool).toMatchObject({
      vmSize: ND,
      count: 8,
      enableAutoScaling: false,
      mode: "User",
      osType: "Linux",
      osSKU: "Ubuntu",
      type: "VirtualMachineScaleSets",
      scaleSetPriority: "Regular",
      gpuProfile: { driver: "None" },
      nodeTaints: ["nvidia.com/gpu=true:NoSchedule"],
      nodeLabels: { "gpu-cluster/pool": "pool-pool" },
      enableNodePublicIP: false,
      enableEncryptionAtHost: true,
      vnetSubnetID: "pool-nodes-id",
    });
    expect(pool.agentPoolName).toMatch(/^[a-z][a-z0-9]{0,11}$/);
    expect(pool.minCount).toBeUndefined();
    expect(pool.scaleSetEvictionPolicy).toBeUndefined();
    // No VM scale set of the VM compiler: AKS owns the pool's one scale set.
    expect(ofType(result, A.vmss)).toHaveLength(0);
    // The pods select and tolerate exactly that pool.
    const pod = trainingJob(result).inputs.spec.template.spec;
    expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions).toEqual([
      { key: "gpu-cluster/pool", operator: "In", values: ["pool-pool"] },
      { key: "node.kubernetes.io/instance-type", operator: "In", values: [ND] },
    ]);
    expect(pod.tolerations).toEqual([{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]);
  });

  it("gives the pods rdma/ib (the plan's InfiniBand, as the device plugin exposes it), IPC_LOCK, all GPUs and the IB NCCL environment", async () => {
    const result = await run(training("ib"));
    expect(result.error).toBeUndefined();
    const plan = gpu.planCluster({ ...base, gpu: { instanceType: ND, nodes: 8 } });
    expect(plan.fabric).toMatchObject({ kind: "infiniband", nicsPerNode: 8 });
    const c = container(trainingJob(result));
    // Node side: the NicClusterPolicy's RDMA shared device plugin advertises <prefix>/<name> for the InfiniBand HCAs.
    const policy = one(result, A.nicPolicy).inputs;
    const config = JSON.parse(policy.spec.rdmaSharedDevicePlugin.config).configList[0];
    expect(config.selectors).toEqual({ vendors: ["15b3"], linkTypes: ["infiniband"] });
    const nodeResource = `${config.resourcePrefix}/${config.resourceName}`;
    expect(nodeResource).toBe("rdma/ib");
    // Pod side equals the node side and lib/fabric's pod side.
    expect(Object.keys(fabricSides(plan, "kubernetes").pod!.resources)).toEqual([nodeResource]);
    expect(c.resources.requests[nodeResource]).toBe("1");
    expect(c.resources.limits[nodeResource]).toBe("1");
    expect(c.resources.limits["nvidia.com/gpu"]).toBe("8");
    expect(c.securityContext).toMatchObject({ privileged: false, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"], add: ["IPC_LOCK"] } });
    expect(envOf(c)).toMatchObject(fabricSides(plan, "kubernetes").env);
    expect(envOf(c)).toMatchObject({ NCCL_NET: "IB", NCCL_IB_PCI_RELAXED_ORDERING: "1", GPU_CLUSTER_EXPECTED_IB: "8", NNODES: "8", MASTER_ADDR: "ib-0.ib" });
    // Default: NGC PyTorch running the all-reduce with torchrun across every Node (test/acceptance.test.ts checks it).
    expect(c.image).toBe("nvcr.io/nvidia/pytorch:25.01-py3");
    expect(c.command.join(" ")).toContain('torchrun --nnodes="$NNODES"');
  });

  it("a user command runs in the NCCL test image coreweave/nccl-tests' README lists as of cb86553 (2026-05-27): the 2eedd7c rebuild of NCCL 2.30.4-1", async () => {
    // README.md "Ubuntu 22.04" table at master @cb86553 (2026-05-27, read 2026-12-01): the CUDA 12.9.1 row is the 2eedd7c
    // build (f0824e9 moved the table off 111c25a); the Dockerfile keeps the binaries in /opt/nccl_tests/build.
    // The binary path the library documents for its default image (AKS_DEFAULT_ALL_REDUCE_BINARY), checked against the literal path.
    expect(AKS_DEFAULT_ALL_REDUCE_BINARY).toBe("/opt/nccl_tests/build/all_reduce_perf");
    const result = await run(training("cmd", { azure: { aks: { command: [AKS_DEFAULT_ALL_REDUCE_BINARY, "-b", "1G", "-g", "8"] } } }));
    expect(result.error).toBeUndefined();
    const c = container(trainingJob(result));
    expect(c.image).toBe("ghcr.io/coreweave/nccl-tests:12.9.1-devel-ubuntu22.04-nccl2.30.4-1-2eedd7c");
    expect(c.command).toEqual(["/opt/nccl_tests/build/all_reduce_perf", "-b", "1G", "-g", "8"]);
  });

  it("creates a private Standard-tier cluster: managed identity, Entra ID + Azure RBAC, no local accounts, Azure CNI overlay in the VNet", async () => {
    const result = await run(training("sec"));
    expect(result.error).toBeUndefined();
    const cluster = one(result, A.cluster).inputs;
    expect(cluster.sku).toEqual({ name: "Base", tier: "Standard" });
    expect(cluster.apiServerAccessProfile).toMatchObject({ enablePrivateCluster: true });
    expect(cluster.apiServerAccessProfile.authorizedIPRanges).toBeUndefined();
    expect(cluster.identity).toEqual({ type: "UserAssigned", userAssignedIdentities: ["sec-identity-id"] });
    expect(cluster.aadProfile).toEqual({ managed: true, enableAzureRBAC: true });
    expect(cluster.disableLocalAccounts).toBe(true);
    expect(cluster.networkProfile).toMatchObject({ networkPlugin: "azure", networkPluginMode: "overlay", networkPolicy: "cilium", outboundType: "userAssignedNATGateway" });
    // Node OS security patches in place (SecurityPatch), not the weekly reimage of every GPU node that NodeImage does
    // (https://learn.microsoft.com/azure/aks/auto-upgrade-node-os-image, read 2026-11-30); cluster patch versions too.
    expect(cluster.autoUpgradeProfile).toEqual({ upgradeChannel: "patch", nodeOSUpgradeChannel: "SecurityPatch" });
    const system = cluster.agentPoolProfiles;
    expect(system).toHaveLength(1);
    expect(system[0]).toMatchObject({ mode: "System", vmSize: "Standard_D4ds_v5", count: 2, vnetSubnetID: "sec-nodes-id", enableNodePublicIP: false });
    // The VNet, the overlay's pod and service ranges: none overlaps each other or Azure's RDMA range.
    const vnet = one(result, A.vnet).inputs.addressSpace.addressPrefixes[0];
    expect(vnet).toBe("10.0.0.0/16");
    for (const range of [vnet, cluster.networkProfile.podCidr, cluster.networkProfile.serviceCidr]) expect(cidrsOverlap(range, "172.16.0.0/16"), range).toBe(false);
    expect(cidrsOverlap(vnet, cluster.networkProfile.podCidr)).toBe(false);
    expect(cidrsOverlap(vnet, cluster.networkProfile.serviceCidr)).toBe(false);
    // The node subnet: NSG with no internet ingress, NAT gateway out.
    const nodes = byName(result, A.subnet, "sec-nodes").inputs;
    expect(nodes).toMatchObject({ networkSecurityGroup: { id: "sec-nodes-nsg-id" }, natGateway: { id: "sec-nat-id" }, defaultOutboundAccess: false });
    const rules = one(result, A.nsg).inputs.securityRules;
    expect(rules.find((r: { access: string; direction: string; sourceAddressPrefix?: string }) => r.access === "Allow" && r.direction === "Inbound" && r.sourceAddressPrefix === "Internet")).toBeUndefined();
    expect(rules).toContainEqual(expect.objectContaining({ name: "deny-internet-inbound", access: "Deny", sourceAddressPrefix: "Internet" }));
    // Members: the component's VNet and the overlay pod CIDR (pod-to-pod traffic keeps pod addresses), not the
    // VirtualNetwork tag, which also spans peered and gateway-connected networks (learn.microsoft.com service tags overview).
    expect(rules.find((r: { name: string }) => r.name === "allow-cluster-inbound")).toMatchObject({ access: "Allow", sourceAddressPrefixes: ["10.0.0.0/16", "192.168.0.0/16"] });
    // The tag appears only to deny: Azure's default AllowVnetInBound (65000) would otherwise admit peered VNets
    // (learn.microsoft.com network-security-groups-overview, default security rules).
    const tagged = rules.filter((r: { sourceAddressPrefix?: string }) => r.sourceAddressPrefix === "VirtualNetwork");
    expect(tagged).toEqual([expect.objectContaining({ name: "deny-other-networks-inbound", access: "Deny", direction: "Inbound", priority: 4010 })]);
    // Roles: the control plane manages the VNet only; the deployer gets AKS RBAC Cluster Admin on the cluster only.
    const roles = ofType(result, A.role);
    expect(byName(result, A.role, "sec-aks-network").inputs).toMatchObject({ principalType: "ServicePrincipal", scope: "sec-vnet-id" });
    expect(byName(result, A.role, "sec-aks-network").inputs.roleDefinitionId).toMatch(/4d97b98b-1d4f-4787-a291-c67834d212e7$/);
    expect(byName(result, A.role, "sec-aks-deployer").inputs.roleDefinitionId).toMatch(/b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b$/);
    expect(byName(result, A.role, "sec-aks-deployer").inputs.scope).toBe("sec-aks-id");
    expect(roles).toHaveLength(2);
    expect(byName(result, A.netpol, "sec-netpol").inputs.spec.policyTypes).toEqual(["Ingress"]);
  });

  it("opens the API server only when asked, and only to the authorized ranges", async () => {
    const result = await run(training("pub", { azure: { aks: { publicEndpoint: true, publicAccessCidrs: ["203.0.113.0/24"] } } }));
    expect(result.error).toBeUndefined();
    expect(one(result, A.cluster).inputs.apiServerAccessProfile).toEqual({ enablePrivateCluster: false, authorizedIPRanges: ["203.0.113.0/24", "198.51.100.20/32"] }); // and the NAT gateway's address, the nodes' way to it
  });

  it("puts a spot plan on a Spot pool that deletes evicted VMs, and the pods tolerate AKS's spot taint", async () => {
    const result = await run(training("spot", { pricing: "spot", gpu: { instanceType: "Standard_ND96asr_v4", nodes: 4 } }));
    expect(result.error).toBeUndefined();
    expect(one(result, A.pool).inputs).toMatchObject({ scaleSetPriority: "Spot", scaleSetEvictionPolicy: "Delete", spotMaxPrice: -1 });
    expect(trainingJob(result).inputs.spec.template.spec.tolerations).toContainEqual({ key: "kubernetes.azure.com/scalesetpriority", operator: "Exists", effect: "NoSchedule" });
  });

  it("installs the Network Operator, its NicClusterPolicy, the GPU Operator, then Kueue, each after the previous; the workload after all", async () => {
    const { result, registrations } = await runRecording(training("boot", { azure: { aks: { kueue: true } } }));
    expect(result.error).toBeUndefined();
    const releases = ofType(result, A.release);
    expect(releases.map((r) => r.inputs.chart).sort()).toEqual(["gpu-operator", "network-operator", "oci://registry.k8s.io/kueue/charts/kueue"]);
    const network = byName(result, A.release, "boot-network-operator");
    const policy = byName(result, A.nicPolicy, "boot-nic-cluster-policy");
    const operator = byName(result, A.release, "boot-gpu-operator");
    const kueue = byName(result, A.release, "boot-kueue");
    // The versions Azure/aks-rdma-infiniband installs: tests/setup-infra/deploy-aks.sh @700dabb4 (2026-07-16, read
    // 2026-12-01) NETWORK_OPERATOR_VERSION v26.4.0, GPU_OPERATOR_VERSION v26.3.3.
    expect(network.inputs).toMatchObject({ repositoryOpts: { repo: "https://helm.ngc.nvidia.com/nvidia" }, chart: "network-operator", version: "v26.4.0", namespace: "network-operator" });
    // As the guide's configs/values/network-operator/values.yaml: the chart's own NodeFeatureRules off.
    expect(network.inputs.values.nfd).toEqual({ enabled: true, deployNodeFeatureRules: false });
    expect(operator.inputs).toMatchObject({
      repositoryOpts: { repo: "https://helm.ngc.nvidia.com/nvidia" },
      version: "v26.3.3",
      values: { driver: { enabled: true, rdma: { enabled: true } }, nfd: { enabled: false } },
    });
    expect(operator.inputs.values.daemonsets.tolerations).toEqual([{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]);
    // Upgrading the library moves the chart v25.10.1 -> v26.3.3 (default driver 580.105.08 -> 580.126.20,
    // NVIDIA/gpu-operator deployments/gpu-operator/values.yaml at both tags, read 2026-12-01). The chart's default
    // upgradePolicy (autoUpgrade, gpuPodDeletion) would delete the training pods node by node; each node's upgrade waits
    // for the pods of gpu-cluster Jobs instead (waitForCompletion, templates/clusterpolicy.yaml at v26.3.3 maps it to the
    // ClusterPolicy; 0 = no timeout), and so does the DOCA driver's (NicClusterPolicy DriverUpgradePolicySpec, v26.4.0).
    const wait = { podSelector: "gpu-cluster/name,batch.kubernetes.io/job-name", timeoutSeconds: 0 };
    expect(operator.inputs.values.driver.upgradePolicy).toEqual({ autoUpgrade: true, maxParallelUpgrades: 1, waitForCompletion: wait });
    expect(policy.inputs.spec.ofedDriver.upgradePolicy).toMatchObject({ autoUpgrade: true, maxParallelUpgrades: 1, waitForCompletion: wait });
    // The selector matches the training Job's pods (its labels plus the Job controller's), never the fleet's Deployments.
    const podLabels = trainingJob(result).inputs.spec.template.metadata.labels as Record<string, string>;
    expect(Object.keys(podLabels)).toContain("gpu-cluster/name");
    expect(policy.inputs.spec.ofedDriver).toMatchObject({ image: "doca-driver", repository: "nvcr.io/nvidia/mellanox" });
    // As Azure/aks-rdma-infiniband configs/nicclusterpolicy/base/nic.yaml @700dabb4 (read 2026-11-30): the module
    // blacklist file (Mellanox/doca-driver-build#52) and the driver pod's startup, liveness and readiness probes.
    expect(policy.inputs.spec.ofedDriver.env).toEqual([{ name: "OFED_BLACKLIST_MODULES_FILE", value: "/host/etc/modprobe.d/blacklist-ofed-modules.conf" }]);
    expect(policy.inputs.spec.ofedDriver).toMatchObject({
      startupProbe: { initialDelaySeconds: 10, periodSeconds: 20 },
      livenessProbe: { initialDelaySeconds: 30, periodSeconds: 30 },
      readinessProbe: { initialDelaySeconds: 10, periodSeconds: 30 },
    });
    const pool = one(result, A.pool);
    const cluster = one(result, A.cluster);
    const deps = (name: string) => registrations.get(name)!.dependencies;
    expect(deps("boot-gpu-pool")).toContain(cluster.urn);
    expect(deps("boot-network-operator")).toEqual(expect.arrayContaining([pool.urn, cluster.urn]));
    const rule = byName(result, A.nodeRule, "boot-infiniband-node-rule");
    expect(deps("boot-infiniband-node-rule")).toEqual(expect.arrayContaining([pool.urn, network.urn]));
    expect(deps("boot-nic-cluster-policy")).toEqual(expect.arrayContaining([pool.urn, rule.urn]));
    expect(deps("boot-gpu-operator")).toEqual(expect.arrayContaining([pool.urn, policy.urn]));
    expect(deps("boot-kueue")).toEqual(expect.arrayContaining([pool.urn, operator.urn]));
    expect(deps("boot-job")).toEqual(expect.arrayContaining([network.urn, policy.urn, operator.urn, kueue.urn]));
    // Every in-cluster object goes through the cluster's provider, built from the cluster's Entra ID kubeconfig.
    const provider = one(result, A.provider);
    for (const name of ["boot-network-operator", "boot-nic-cluster-policy", "boot-gpu-operator", "boot-kueue", "boot-job", "boot-ns", "boot-svc", "boot-netpol"]) {
      expect(registrations.get(name)!.provider, name).toMatch(new RegExp(`^${provider.urn.replace(/[$]/g, "\\$")}::`));
    }
    expect(provider.inputs.kubeconfig).toBeDefined();
  });

  it("compiles 100 nodes to the same resources as 8", async () => {
    const small = await run(training("same"));
    const large = await run(training("same", { gpu: { instanceType: ND, nodes: 100 } }));
    expect(large.error).toBeUndefined();
    expect(large.resources.map((r) => `${r.type} ${r.name}`).sort()).toEqual(small.resources.map((r) => `${r.type} ${r.name}`).sort());
    expect(one(large, A.pool).inputs.count).toBe(100);
    expect(trainingJob(large).inputs.spec).toMatchObject({ completions: 100, parallelism: 100 });
  });

  it("prices the AKS Standard tier at $73.00/month", () => {
    const estimate = gpu.estimateCost({ ...base, gpu: { instanceType: ND, nodes: 8 } });
    const line = estimate.lines.find((l) => /AKS/.test(l.description));
    expect(line?.monthlyUsd).toBeCloseTo(73, 2);
  });

  it("nfs: an Azure NetApp Files volume on the VNet's delegated subnet, exported to the node subnet only, an nfs volume in every pod", async () => {
    const result = await run(training("anf", { storage: [{ kind: "nfs", capacityTiB: 4, mountPath: "/shared" }] }));
    expect(result.error).toBeUndefined();
    const volume = one(result, "azure-native:netapp:CapacityPoolVolume").inputs;
    expect(volume).toMatchObject({ protocolTypes: ["NFSv4.1"], usageThreshold: 4 * 1024 ** 4, subnetId: "anf-netapp-id" });
    expect(volume.exportPolicy.rules).toEqual([expect.objectContaining({ allowedClients: ofType(result, A.subnet).find((s) => s.name === "anf-nodes")!.inputs.addressPrefix, nfsv41: true, nfsv3: false })]);
    // Non-root pods can write to the mount root: 1777, not Azure's default 0770 owned by root
    // (https://learn.microsoft.com/en-us/azure/azure-netapp-files/configure-unix-permissions-change-ownership-mode, read 2026-12-01).
    expect(volume.unixPermissions).toBe("1777");
    const pod = trainingJob(result).inputs.spec.template.spec;
    // A claim bound to a static PersistentVolume, as Microsoft's guide exposes a NetApp volume to AKS
    // (https://learn.microsoft.com/azure/aks/azure-netapp-files-nfs, "Statically configure for applications that use NFS
    // volumes", read 2026-12-01), so the mount carries the options the VMs use (lib/clouds/azure/bootstrap.ts).
    expect(pod.volumes).toContainEqual({ name: "storage-shared", persistentVolumeClaim: { claimName: "anf-shared" } });
    const pv = one(result, "kubernetes:core/v1:PersistentVolume");
    expect(pv.name).toBe("anf-nfs-shared-pv");
    expect(pv.inputs.metadata.name).toBe("anf-shared");
    expect(pv.inputs.spec).toMatchObject({
      accessModes: ["ReadWriteMany"],
      persistentVolumeReclaimPolicy: "Retain",
      storageClassName: "",
      claimRef: { namespace: "anf", name: "anf-shared" },
      mountOptions: ["rw", "hard", "rsize=262144", "wsize=262144", "vers=4.1", "tcp"],
    });
    // The export path is known at preview; the server is the volume's mount target, known once it exists.
    expect(pv.inputs.spec.nfs.path).toBe(`/${volume.creationToken}`);
    const pvc = one(result, "kubernetes:core/v1:PersistentVolumeClaim");
    expect(pvc.inputs).toMatchObject({ metadata: { name: "anf-shared", namespace: "anf" }, spec: { storageClassName: "", volumeName: "anf-shared", accessModes: ["ReadWriteMany"] } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: "storage-shared", mountPath: "/shared" });
    // The VM nodes mount the same volume with the same options.
    expect(NETAPP_NFS_MOUNT_OPTIONS.join(",")).toBe("rw,hard,rsize=262144,wsize=262144,vers=4.1,tcp");
    const existing = await run(training("anf-byo", { storage: [{ kind: "nfs", capacityTiB: 4 }], azure: { aks: { clusterName: "shared", resourceGroupName: "shared-rg" } } }));
    expect(existing.error).toMatchObject({ name: "SpecError", path: "storage[0].kind" });
  });

  it("joins an existing cluster by name: no cluster, network or identity, the pool in that cluster, and a plan note", async () => {
    let cluster: gpu.TrainingCluster | undefined;
    const subnetId = "/subscriptions/s/resourceGroups/shared-rg/providers/Microsoft.Network/virtualNetworks/shared-vnet/subnets/gpu";
    const result = await run(() => (cluster = training("byo", { azure: { aks: { clusterName: "shared", resourceGroupName: "shared-rg", subnetId } } })()));
    expect(result.error).toBeUndefined();
    for (const type of [A.cluster, A.vnet, A.rg, A.nsg, A.identity, A.role]) expect(ofType(result, type), type).toHaveLength(0);
    expect(one(result, A.pool).inputs).toMatchObject({ resourceName: "shared", resourceGroupName: "shared-rg", vnetSubnetID: subnetId, vmSize: ND });
    expect(ofType(result, A.release)).toHaveLength(2);
    const plan = await new Promise<gpu.Plan>((done) => cluster!.plan.apply(done));
    expect(plan.notes.join("\n")).toMatch(/existing cluster 'shared'.*control-plane fee \(\$73\.00\/month\) and system nodes/);
    // A component that leaves the operators to another (installClusterAddons: false) says nothing about their drivers.
    expect(driverUpgradeNote(plan, { clusterName: "shared", resourceGroupName: "shared-rg", installClusterAddons: false })).toBeUndefined();
    // It installs the operators, so the plan says how their drivers upgrade (waiting for gpu-cluster Jobs).
    expect(plan.notes).toContainEqual(expect.stringMatching(/^drivers: the GPU Operator's NVIDIA driver and the Network Operator's DOCA driver upgrade by themselves .* waits while a gpu-cluster Job's pods run there \(selector gpu-cluster\/name,batch\.kubernetes\.io\/job-name\)/));
    const ids = await new Promise<string>((done) => cluster!.networkId.apply(done));
    expect(ids).toBe("/subscriptions/s/resourceGroups/shared-rg/providers/Microsoft.Network/virtualNetworks/shared-vnet");
  });
});

describe("AKS inference fleet", () => {
  it("autoscales the GPU pool between replicas.min and max, with a Deployment and a KEDA ScaledObject (Azure Monitor managed Prometheus), no InfiniBand and no Network Operator", async () => {
    const result = await run(fleet("serve"));
    expect(result.error).toBeUndefined();
    expect(one(result, A.pool).inputs).toMatchObject({ vmSize: "Standard_NC40ads_H100_v5", count: 2, enableAutoScaling: true, minCount: 2, maxCount: 6 });
    expect(one(result, A.deployment).inputs.spec.replicas).toBe(2);
    expect(one(result, "kubernetes:keda.sh/v1alpha1:ScaledObject").inputs.spec).toMatchObject({ minReplicaCount: 2, maxReplicaCount: 6 });
    const c = container(one(result, A.deployment));
    expect(c.resources.limits["rdma/ib"]).toBeUndefined();
    expect(c.securityContext.capabilities).toEqual({ drop: ["ALL"] });
    // The GPU Operator, and KEDA for the fleet's ScaledObject; no Network Operator.
    expect(ofType(result, A.release).map((r) => r.inputs.chart).sort()).toEqual(["gpu-operator", "keda"]);
    expect(ofType(result, A.nicPolicy)).toHaveLength(0);
    // Internal: an internal Azure load balancer in the component's load balancer subnet.
    const svc = one(result, A.service).inputs;
    expect(svc.spec.type).toBe("LoadBalancer");
    expect(svc.metadata.annotations).toMatchObject({
      "service.beta.kubernetes.io/azure-load-balancer-internal": "true",
      "service.beta.kubernetes.io/azure-load-balancer-internal-subnet": "serve-lb-id",
    });
  });

  it("keeps the model port inside the VNet: the NSG admits no client range and no Service source range is set", async () => {
    const result = await run(fleet("inside"));
    expect(result.error).toBeUndefined();
    expect(one(result, A.service).inputs.spec.loadBalancerSourceRanges).toBeUndefined();
    const rules = one(result, A.nsg).inputs.securityRules as { name: string; sourceAddressPrefixes?: string[] }[];
    expect(rules.map((r) => r.name)).toEqual(["allow-cluster-inbound", "allow-azure-load-balancer", "deny-internet-inbound", "deny-other-networks-inbound"]);
    expect(rules[0]!.sourceAddressPrefixes).toEqual(["10.0.0.0/16", "192.168.0.0/16"]);
    // The internal load balancer's probes (from 168.63.129.16, the AzureLoadBalancer tag) reach the Service's
    // health-check node port ahead of the deny on the VirtualNetwork tag, which also covers that address: without this
    // rule every node is marked down (learn.microsoft.com network-watcher/diagnose-network-security-rules, note on the
    // VirtualNetwork tag; MicrosoftDocs/azure-docs#38326).
    const probe = rules.find((r) => r.name === "allow-azure-load-balancer") as unknown as { priority: number; sourceAddressPrefix: string; destinationPortRange: string; access: string };
    expect(probe).toMatchObject({ access: "Allow", sourceAddressPrefix: "AzureLoadBalancer", destinationPortRange: "*" });
    const deny = rules.find((r) => r.name === "deny-other-networks-inbound") as unknown as { priority: number };
    expect(probe.priority).toBeLessThan(deny.priority);
  });

  // Azure's Standard Load Balancer is a layer-4 passthrough that cannot terminate TLS
  // (https://learn.microsoft.com/azure/load-balancer/load-balancer-overview, read 2026-11-30): an internet-facing fleet
  // keeps an internal Service and is served HTTPS by an Application Gateway (test/azure-internet-facing.test.ts), so
  // without its certificate it is refused before anything is built.
  it("refuses an internet-facing fleet without its certificate, before anything is built", async () => {
    const result = await run(fleet("open", { loadBalancer: "internet-facing", azure: { aks: { loadBalancerSourceRanges: ["203.0.113.0/24"] } } }));
    expect(result.error).toMatchObject({ name: "SpecError", path: "azure.tlsCertificateSecretId" });
    expect((result.error as Error).message).toContain("serves HTTPS only");
    expect(result.resources).toEqual([]);
  });

  it("refuses loadBalancerSourceRanges on an internal fleet rather than ignoring it", async () => {
    const result = await run(fleet("ranges", { azure: { aks: { loadBalancerSourceRanges: ["203.0.113.0/24"] } } }));
    expect(result.error).toMatchObject({ name: "SpecError", path: "azure.aks.loadBalancerSourceRanges" });
    expect((result.error as Error).message).toContain("this fleet is internal");
    expect(result.resources).toEqual([]);
    // The VM path's client ranges do not point there either.
    const vmRanges = await run(fleet("vm-ranges", { azure: { allowedSourceRanges: ["203.0.113.0/24"] } }));
    expect(vmRanges.error).toMatchObject({ name: "SpecError", path: "azure.allowedSourceRanges" });
    expect((vmRanges.error as Error).message).toContain("on AKS the clients of an internet-facing fleet are azure.aks.loadBalancerSourceRanges");
  });
});

describe("AKS GPU pool in a capacity reservation group", () => {
  const crg = "/subscriptions/sub-1/resourceGroups/capacity/providers/Microsoft.Compute/capacityReservationGroups/crg1";

  // https://learn.microsoft.com/azure/aks/use-capacity-reservation-groups, "Prerequisites" (read 2026-12-01): the
  // cluster's user-assigned identity needs Contributor on the resource group holding the group, else the pool is
  // created without the reservation.
  it("grants the cluster's identity Contributor on the group's resource group, and the pool waits for the grant", async () => {
    const { result, registrations } = await runRecording(fleet("crg", { reservationId: crg, zone: "1", gpu: { instanceType: "Standard_NC24ads_A100_v4" } }));
    expect(result.error).toBeUndefined();
    const pool = one(result, A.pool);
    expect(pool.inputs).toMatchObject({ capacityReservationGroupID: crg, availabilityZones: ["1"] });
    const grant = byName(result, A.role, "crg-aks-reservation");
    expect(grant.inputs).toMatchObject({
      principalType: "ServicePrincipal",
      scope: "/subscriptions/sub-1/resourceGroups/capacity",
      roleDefinitionId: "/subscriptions/sub-1/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c",
    });
    expect(registrations.get("crg-gpu-pool")!.dependencies).toContain(grant.urn);
    // Without a reservation there is no such grant.
    const plain = await run(fleet("plain"));
    expect(ofType(plain, A.role).map((r) => r.name)).not.toContain("plain-aks-reservation");
  });

  it("names the grant in the plan's notes, and on an existing cluster says the user's identity needs it", () => {
    const plan = gpu.planFleet({ ...base, gpu: { instanceType: "Standard_NC24ads_A100_v4" }, replicas: { min: 2, max: 6 }, reservationId: crg, zone: "1" } as gpu.FleetSpec);
    const created = checkAzureOptions(plan, { aks: { publicEndpoint: false } });
    expect(created).toContainEqual(expect.stringMatching(/^AKS capacity reservation: the cluster's identity is granted Contributor on \/subscriptions\/sub-1\/resourceGroups\/capacity, .*up to 60 minutes/));
    const existing = checkAzureOptions(plan, { aks: { clusterName: "prod", resourceGroupName: "rg" } });
    expect(existing).toContainEqual(expect.stringMatching(/^AKS capacity reservation: the existing cluster's user-assigned identity needs Contributor on \/subscriptions\/sub-1\/resourceGroups\/capacity/));
  });
});

describe("AKS manifests against the Kubernetes schema", () => {
  it("every workload manifest validates against its kind's schema", async () => {
    const runs = await Promise.all([
      run(training("schema-train")),
      run(training("schema-spot", { pricing: "spot", gpu: { instanceType: "Standard_ND96asr_v4", nodes: 4 } })),
      run(fleet("schema-fleet")),
      // Without the managed Prometheus: the CPU HorizontalPodAutoscaler.
      run(fleet("schema-cpu", { azure: { aks: { managedPrometheus: false } } })),
    ]);
    const checked = new Set<string>();
    for (const result of runs) {
      expect(result.error).toBeUndefined();
      // KEDA's kinds are CRDs with no upstream schema here: test/managed-prometheus.test.ts holds their fields to KEDA's own manifests.
      for (const resource of result.resources.filter((r) => r.type.startsWith("kubernetes:") && r.type !== A.release && r.type !== A.nicPolicy && r.type !== A.nodeRule && !r.type.startsWith("kubernetes:keda.sh/"))) {
        const Model = SCHEMAS[resource.type];
        expect(Model, resource.type).toBeDefined();
        expect(() => new Model!(resource.inputs).validate(), `${resource.type} ${resource.name}`).not.toThrow();
        checked.add(resource.type);
      }
    }
    expect([...checked].sort()).toEqual(Object.keys(SCHEMAS).sort());
  });
});

describe("AKS options", () => {
  it("needs no SSH key, and rejects bad options synchronously, before any resource exists", async () => {
    const cases: [Partial<gpu.TrainingClusterArgs>, string][] = [
      [{ azure: { aks: { clusterName: "x" } } }, "azure.aks.resourceGroupName"],
      [{ azure: { aks: { resourceGroupName: "rg" } } }, "azure.aks.resourceGroupName"],
      [{ azure: { aks: { publicEndpoint: true } } }, "azure.aks.publicAccessCidrs"],
      [{ azure: { aks: { publicAccessCidrs: ["1.2.3.0/24"] } } }, "azure.aks.publicAccessCidrs"],
      [{ azure: { aks: { publicEndpoint: true, publicAccessCidrs: ["0.0.0.0/0"] } } }, "azure.aks.publicAccessCidrs"],
      [{ azure: { aks: { kueue: "yes" } } } as never, "azure.aks.kueue"],
      [{ azure: { aks: { clusterNme: "x" } } } as never, "azure.aks.clusterNme"],
      [{ azure: { aks: { shmSizeGiB: 0 } } }, "azure.aks.shmSizeGiB"],
      [{ azure: { aks: { kubernetesVersion: "latest" } } }, "azure.aks.kubernetesVersion"],
      [{ azure: { aks: { clusterName: "x", resourceGroupName: "rg", subnetId: "subnet-1" } } }, "azure.aks.subnetId"],
      [{ azure: { sshPublicKey: "ssh-ed25519 AAAA" } }, "azure.sshPublicKey"],
      [{ azure: { customData: "echo hi" } }, "azure.customData"],
      [{ azure: { vnetAddressSpace: "172.16.0.0/16" } }, "azure.vnetAddressSpace"],
      [{ azure: { vnetAddressSpace: "192.168.0.0/20" } }, "azure.vnetAddressSpace"],
      [{ storage: [{ kind: "object", capacityTiB: 2 }] }, "storage[0].kind"],
      [{ orchestrator: "vm", azure: { sshPublicKey: "ssh-ed25519 AAAA", aks: {} } }, "azure.aks"],
    ];
    for (const [args, path] of cases) {
      const result = await run(training("bad", args));
      expect(result.error, path).toMatchObject({ name: "SpecError", path });
      expect(result.resources).toEqual([]);
    }
    const ok = await run(training("nokey"));
    expect(ok.error).toBeUndefined();
  });

});
