/**
 * Azure's create-time and run-time rules, as checks over the compiled resources of every Azure example and of a small
 * matrix of specs (VMs / AKS × training / inference × ND H100 v5 / NC A100 v4 / spot). Each rule cites the document it
 * comes from; a rule that finds nothing to check on a run passes only where the run has nothing of that kind (each
 * rule is also asserted to apply to at least one run, so a rule cannot pass by never matching).
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import * as resources from "@pulumi/azure-native/resources";
import type { Plan } from "../lib/planner/types.js";
import { runOffline, type OfflineRun, type RecordedResource } from "../lib/preview/offline.js";
import { EXAMPLE_CONFIG } from "../scripts/example-config.js";
import { cidrsOverlap } from "../lib/clouds/shared/cidr.js";
import { INFINIBAND_DEVICES, INFINIBAND_NODE_LABEL } from "../lib/clouds/azure/aks/bootstrap.js";
import { AKS_NETWORK, SYSTEM_POOL } from "../lib/clouds/azure/aks/options.js";
import { checkAddressSpace, lustreSubnetPrefix, usableAddresses } from "../lib/clouds/azure/address-space.js";
import { gateOn } from "../lib/clouds/azure/feature-gate.js";
import { AKS_INFINIBAND, ENCRYPTION_AT_HOST, featureProblem } from "../lib/clouds/azure/features.js";
import { RDMA_RESERVED_CIDR } from "../lib/clouds/azure/options.js";
import { privateEndpoint, run } from "./helpers/offline.js";
import { OFFLINE_SUBSCRIPTION_ID } from "../lib/clouds/azure/offline-invokes.js";

const A = {
  vnet: "azure-native:network:VirtualNetwork",
  subnet: "azure-native:network:Subnet",
  nsg: "azure-native:network:NetworkSecurityGroup",
  vmss: "azure-native:compute:VirtualMachineScaleSet",
  amlfs: "azure-native:storagecache:AmlFilesystem",
  cluster: "azure-native:containerservice:ManagedCluster",
  pool: "azure-native:containerservice:AgentPool",
  release: "kubernetes:helm.sh/v3:Release",
  nicPolicy: "kubernetes:mellanox.com/v1alpha1:NicClusterPolicy",
  nodeRule: "kubernetes:nfd.k8s-sigs.io/v1alpha1:NodeFeatureRule",
  volume: "azure-native:netapp:CapacityPoolVolume",
  snapshotPolicy: "azure-native:netapp:SnapshotPolicy",
  autoscale: "azure-native:monitor:AutoscaleSetting",
  lb: "azure-native:network:LoadBalancer",
  appgw: "azure-native:network:ApplicationGateway",
};

const SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGpuY2x1c3RlcnRlc3RrZXlub3RyZWFsMDAwMDAwMDA0 ops@example";
const ND_H100 = "Standard_ND96isr_H100_v5";
const NC_A100 = "Standard_NC24ads_A100_v4";
const ND_A100_SPOT = "Standard_ND96asr_v4";

/** One compiled program: its resources and the plans its components made. */
interface Compiled {
  label: string;
  run: OfflineRun;
  plans: Plan[];
}

const ofType = (r: OfflineRun, type: string) => r.resources.filter((x) => x.type === type);
/** The resource whose mock id (`<name>-id`) is `id`. */
const byId = (r: OfflineRun, type: string, id: string) => ofType(r, type).find((x) => `${x.name}-id` === id);
const hostsIn = (cidr: string) => usableAddresses(Number(cidr.split("/")[1]));

interface Rule {
  id: string;
  source: string;
  /** True when the run has something this rule is about. */
  applies(c: Compiled): boolean;
  /** Violations, each naming the resource and input. */
  check(c: Compiled): string[];
}

const RULES: Rule[] = [
  {
    id: "subscription features are a stated precondition (EncryptionAtHost; AKSInfinibandSupport for an AKS InfiniBand pool)",
    source: `${ENCRYPTION_AT_HOST.source} ; ${AKS_INFINIBAND.source}`,
    applies: (c) => c.plans.length > 0,
    check: (c) =>
      c.plans.flatMap((p) => {
        const out: string[] = [];
        const notes = p.notes.join("\n");
        if (!notes.includes("az feature register --namespace Microsoft.Compute --name EncryptionAtHost")) out.push("plan note lacks the EncryptionAtHost registration");
        const ibAks = p.orchestrator === "kubernetes" && p.fabric.kind === "infiniband";
        if (ibAks !== notes.includes("--name AKSInfinibandSupport")) out.push(`AKSInfinibandSupport note ${ibAks ? "missing" : "present without an InfiniBand pool"}`);
        return out;
      }),
  },
  {
    id: "Managed Lustre subnet: outbound to AzureCloud with a way out, LNet 988 and 1019-1023 admitted",
    source: "https://learn.microsoft.com/azure/azure-managed-lustre/amlfs-prerequisites",
    applies: (c) => ofType(c.run, A.amlfs).length > 0,
    check: (c) =>
      ofType(c.run, A.amlfs).flatMap((fs) => {
        const subnet = byId(c.run, A.subnet, fs.inputs.filesystemSubnet);
        if (!subnet) return [`${fs.name}: filesystemSubnet ${fs.inputs.filesystemSubnet} is not a compiled subnet`];
        const out: string[] = [];
        if (!subnet.inputs.natGateway?.id) out.push(`${subnet.name}: no natGateway (defaultOutboundAccess ${subnet.inputs.defaultOutboundAccess}): AML cannot reach AzureCloud`);
        const nsg = subnet.inputs.networkSecurityGroup?.id ? byId(c.run, A.nsg, subnet.inputs.networkSecurityGroup.id) : undefined;
        if (!nsg) return [...out, `${subnet.name}: no networkSecurityGroup`];
        const rules: any[] = nsg.inputs.securityRules;
        if (!rules.some((r) => r.direction === "Outbound" && r.access === "Allow" && r.destinationAddressPrefix === "AzureCloud" && r.destinationPortRange === "*" && r.protocol === "*")) {
          out.push(`${nsg.name}: no outbound Allow * to AzureCloud`);
        }
        for (const direction of ["Inbound", "Outbound"]) {
          const lnet = rules.find((r) => r.direction === direction && r.access === "Allow" && r.destinationPortRanges?.includes("988") && r.destinationPortRanges?.includes("1019-1023"));
          if (!lnet) out.push(`${nsg.name}: no ${direction} Allow for 988 and 1019-1023`);
        }
        return out;
      }),
  },
  {
    id: "Managed Lustre and its clients share one availability zone, pinned by the spec",
    source: "https://learn.microsoft.com/azure/azure-managed-lustre/troubleshoot-performance",
    applies: (c) => ofType(c.run, A.amlfs).length > 0,
    check: (c) =>
      ofType(c.run, A.amlfs).flatMap((fs) => {
        const zones = fs.inputs.zones;
        const out: string[] = [];
        if (!Array.isArray(zones) || zones.length !== 1 || !/^[1-3]$/.test(zones[0])) out.push(`${fs.name}: zones ${JSON.stringify(zones)} is not one zone`);
        for (const vmss of ofType(c.run, A.vmss)) {
          if (JSON.stringify(vmss.inputs.zones) !== JSON.stringify(zones)) out.push(`${vmss.name}: zones ${JSON.stringify(vmss.inputs.zones)} ≠ ${fs.name}'s ${JSON.stringify(zones)}`);
        }
        if (zones?.[0] !== c.plans[0]?.zone) out.push(`${fs.name}: zone ${zones?.[0]} is not the spec's zone ${c.plans[0]?.zone}`);
        return out;
      }),
  },
  {
    id: "InfiniBand node label on InfiniBand VFs only (chart rule off, own NodeFeatureRule), the NicClusterPolicy on that label",
    source: "https://github.com/Azure/aks-rdma-infiniband (configs/values/network-operator/values.yaml, tests/setup-infra/network-operator-nfd.yaml @700dabb4)",
    applies: (c) => ofType(c.run, A.nicPolicy).length > 0,
    check: (c) => {
      const out: string[] = [];
      const operator = ofType(c.run, A.release).find((r) => r.inputs.chart === "network-operator");
      if (operator?.inputs.values?.nfd?.deployNodeFeatureRules !== false) out.push("network-operator: nfd.deployNodeFeatureRules is not false (the chart's rule labels every Mellanox VF)");
      const rules = ofType(c.run, A.nodeRule);
      const ib = rules.flatMap((r) => r.inputs.spec.rules).filter((r: any) => r.labels?.[INFINIBAND_NODE_LABEL] === "true");
      if (ib.length !== 1) out.push(`${ib.length} NodeFeatureRules set ${INFINIBAND_NODE_LABEL}`);
      for (const rule of ib) {
        const m = rule.matchFeatures?.[0];
        const e = m?.matchExpressions ?? {};
        if (m?.feature !== "pci.device" || JSON.stringify(e.vendor?.value) !== '["15b3"]' || JSON.stringify(e.class?.value) !== '["0207"]' || JSON.stringify(e.device?.value) !== '["101c","101e"]') {
          out.push(`NodeFeatureRule ${JSON.stringify(rule)} does not match InfiniBand VFs only`);
        }
      }
      for (const policy of ofType(c.run, A.nicPolicy)) {
        const terms = policy.inputs.spec.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
        if (JSON.stringify(terms) !== JSON.stringify([{ matchExpressions: [{ key: INFINIBAND_NODE_LABEL, operator: "In", values: ["true"] }] }])) {
          out.push(`${policy.name}: nodeSelectorTerms ${JSON.stringify(terms)} (a pool label would leave other InfiniBand pools without MOFED)`);
        }
      }
      return out;
    },
  },
  {
    id: "the node subnet holds every node at its peak; AKS overlay /24 blocks cover every node",
    source: "https://learn.microsoft.com/azure/aks/azure-cni-overlay ; https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq",
    applies: (c) => ofType(c.run, A.subnet).some((s) => s.name.endsWith("-nodes")),
    check: (c) => {
      const nodes = ofType(c.run, A.subnet).find((s) => s.name.endsWith("-nodes"))!;
      const scaleSets = ofType(c.run, A.vmss).map((v) => v.inputs.sku.capacity as number);
      const fleetMax = c.plans.find((p) => p.workload === "inference")?.replicas?.max;
      const pools = ofType(c.run, A.pool).map((p) => p.inputs.maxCount ?? p.inputs.count);
      const clusters = ofType(c.run, A.cluster);
      const system = clusters.flatMap((k) => k.inputs.agentPoolProfiles).map((p: any) => p.maxCount + 1);
      const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
      // VMs: the scale set's capacity, or an autoscaled fleet's max. AKS: each pool at its max, system pools plus a surge node.
      const vmPeak = scaleSets.length ? (fleetMax ?? sum(scaleSets)) : 0;
      const peak = vmPeak + sum(pools) + sum(system);
      const out: string[] = [];
      if (peak > hostsIn(nodes.inputs.addressPrefix)) out.push(`${nodes.name}: ${nodes.inputs.addressPrefix} holds ${hostsIn(nodes.inputs.addressPrefix)}, the peak is ${peak}`);
      for (const k of clusters) {
        const podCidr = k.inputs.networkProfile.podCidr as string;
        const blocks = 2 ** (24 - Number(podCidr.split("/")[1]));
        if (peak > blocks) out.push(`${k.name}: podCidr ${podCidr} has ${blocks} /24 blocks for ${peak} nodes`);
      }
      return out;
    },
  },
  {
    id: "the plan says how a GPU shortfall after up shows and what to try (quota, another region, capacity)",
    source: "https://learn.microsoft.com/azure/virtual-machines/spot-vms ; https://learn.microsoft.com/azure/quotas/per-vm-quota-requests",
    applies: (c) => c.plans.length > 0,
    check: (c) =>
      c.plans.flatMap((p) => {
        const note = p.notes.find((n) => n.startsWith("GPU capacity:"));
        if (!note) return ["no GPU capacity note"];
        return [`az vm list-usage -l ${p.region}`, "another region", p.orchestrator === "kubernetes" ? "kubectl get nodes" : "az vmss list-instances"]
          .filter((needle) => !note.includes(needle))
          .map((needle) => `capacity note lacks '${needle}'`);
      }),
  },
  {
    id: "AKS InfiniBand pool: Ubuntu, GPU driver left to the GPU Operator, scale-set pool of the ND size",
    source: "https://azure.github.io/aks-rdma-infiniband/getting-started/prerequisites",
    applies: (c) => c.plans.some((p) => p.orchestrator === "kubernetes" && p.fabric.kind === "infiniband"),
    check: (c) =>
      ofType(c.run, A.pool).flatMap((pool) => {
        const i = pool.inputs;
        const plan = c.plans[0]!;
        const want = { osSKU: "Ubuntu", type: "VirtualMachineScaleSets", vmSize: plan.instanceType, gpuProfile: { driver: "None" }, enableEncryptionAtHost: true, enableNodePublicIP: false };
        return Object.entries(want)
          .filter(([k, v]) => JSON.stringify(i[k]) !== JSON.stringify(v))
          .map(([k, v]) => `${pool.name}: ${k} ${JSON.stringify(i[k])}, want ${JSON.stringify(v)}`);
      }),
  },
  {
    id: "InfiniBand VMs in one scale set placement group, at most 100 VMs",
    source: "https://learn.microsoft.com/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-placement-groups",
    applies: (c) => c.plans.some((p) => p.orchestrator === "vm" && p.fabric.kind === "infiniband"),
    check: (c) =>
      ofType(c.run, A.vmss).flatMap((v) => {
        const out: string[] = [];
        if (v.inputs.singlePlacementGroup !== true) out.push(`${v.name}: singlePlacementGroup ${v.inputs.singlePlacementGroup}`);
        if (!(v.inputs.sku.capacity <= 100)) out.push(`${v.name}: capacity ${v.inputs.sku.capacity} > 100`);
        return out;
      }),
  },
  {
    id: "the VNet does not overlap 172.16.0.0/16 (the ND-series InfiniBand/RDMA range)",
    source: "https://learn.microsoft.com/azure/virtual-machines/sizes/gpu-accelerated/nd-family",
    applies: (c) => ofType(c.run, A.vnet).length > 0,
    check: (c) =>
      ofType(c.run, A.vnet).flatMap((v) =>
        (v.inputs.addressSpace.addressPrefixes as string[]).filter((p) => cidrsOverlap(p, RDMA_RESERVED_CIDR)).map((p) => `${v.name}: ${p} overlaps ${RDMA_RESERVED_CIDR}`),
      ),
  },
  {
    id: "a guarded NetApp volume takes scheduled snapshots: an enabled snapshot policy attached, at most 255 kept; an unguarded volume has none",
    source:
      "https://learn.microsoft.com/en-us/azure/azure-netapp-files/snapshots-manage-policy (a policy takes snapshots only once applied to the volume) ; https://learn.microsoft.com/en-us/azure/azure-netapp-files/troubleshoot-snapshot-policies (255 per volume) — read 2026-11-30",
    applies: (c) => ofType(c.run, A.volume).length > 0,
    check: (c) => {
      const out: string[] = [];
      const guarded = c.plans.flatMap((p) => p.storage).filter((s) => s.kind === "nfs" && s.deletionProtection).length;
      const attached = ofType(c.run, A.volume).filter((v) => v.inputs.dataProtection?.snapshot?.snapshotPolicyId !== undefined);
      if (attached.length !== guarded) out.push(`${attached.length} volumes with a snapshot policy, ${guarded} guarded nfs storage entries`);
      for (const v of attached) {
        const policy = byId(c.run, A.snapshotPolicy, v.inputs.dataProtection.snapshot.snapshotPolicyId);
        if (!policy) {
          out.push(`${v.name}: snapshot policy ${v.inputs.dataProtection.snapshot.snapshotPolicyId} is not built`);
          continue;
        }
        const kept = ["hourlySchedule", "dailySchedule", "weeklySchedule", "monthlySchedule"].reduce((n, k) => n + (policy.inputs[k]?.snapshotsToKeep ?? 0), 0);
        if (policy.inputs.enabled !== true) out.push(`${policy.name}: enabled ${policy.inputs.enabled}`);
        if (!(kept > 0 && kept <= 255)) out.push(`${policy.name}: keeps ${kept} snapshots`);
      }
      return out;
    },
  },
  {
    id: "a VM fleet scales out on the load it is sent (the load balancer's SYNCount per instance; behind an Application Gateway, the gateway's TotalRequests per instance), its scale-out cooldown covering model load, never on CPU; it scales in only while its replicas also send little (Network Out Total per instance)",
    source:
      "https://learn.microsoft.com/azure/azure-monitor/autoscale/autoscale-understanding-settings (scale-in only when all scale-in rules hold; dividePerInstance for Sum) ; https://learn.microsoft.com/azure/load-balancer/monitor-load-balancer-reference (SYNCount: Total) ; https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-network-applicationgateways-metrics (TotalRequests: Count, Total) ; https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-compute-virtualmachinescalesets-metrics (Network Out Total: Bytes, Total) (read 2026-11-30)",
    applies: (c) => ofType(c.run, A.autoscale).length > 0,
    check: (c) =>
      ofType(c.run, A.autoscale).flatMap((setting) => {
        const out: string[] = [];
        // Behind an Application Gateway the fleet's load is the gateway's requests (it keeps its connections to the
        // balancer alive, so the balancer's SYN count stays flat); otherwise the balancer's new connections.
        // The gateway's id by name (the setting names it so, and waits for it: app-gateway.ts).
        const gateways = ofType(c.run, A.appgw).map((g) => `/subscriptions/${OFFLINE_SUBSCRIPTION_ID}/resourceGroups/${g.inputs.resourceGroupName}/providers/Microsoft.Network/applicationGateways/${g.inputs.applicationGatewayName}`);
        const [load, loadNamespace, fronts] = gateways.length > 0 ? ["TotalRequests", "Microsoft.Network/applicationGateways", gateways] : ["SYNCount", "Microsoft.Network/loadBalancers", ofType(c.run, A.lb).map((l) => `${l.name}-id`)];
        const rules = setting.inputs.profiles.flatMap((p: any) => p.rules);
        const streaming = rules.filter((r: any) => r.scaleAction.direction === "Decrease" && r.metricTrigger.metricName === "Network Out Total");
        if (streaming.length !== 1 || streaming[0].metricTrigger.metricResourceUri !== setting.inputs.targetResourceUri || streaming[0].metricTrigger.statistic !== "Sum") {
          out.push(`${setting.name}: no scale-in rule on the scale set's own Network Out Total (Sum): keep-alive load would not hold scale-in back`);
        }
        for (const rule of rules) {
          const t = rule.metricTrigger;
          const ownBytes = rule === streaming[0];
          if (!ownBytes && (t.metricName !== load || t.metricNamespace !== loadNamespace)) out.push(`${setting.name}: scales on ${t.metricName}`);
          if (!ownBytes && !fronts.includes(t.metricResourceUri)) out.push(`${setting.name}: metric of ${t.metricResourceUri}, not the fleet's front (${load})`);
          if (t.dividePerInstance !== true) out.push(`${setting.name}: ${t.metricName} not divided per instance`);
          if (t.statistic !== "Sum") out.push(`${setting.name}: ${t.metricName} statistic ${t.statistic}, not its documented aggregation Total (Sum)`);
          // ISO 8601 minutes: the warm-up of model-server.ts (900 s).
          if (rule.scaleAction.direction === "Increase" && rule.scaleAction.cooldown !== "PT15M") out.push(`${setting.name}: scale-out cooldown ${rule.scaleAction.cooldown} < the 15-minute model load`);
        }
        return out;
      }),
  },
  {
    id: "an internet-facing fleet's Application Gateway is v2 in a subnet of its own whose NSG admits GatewayManager on 65200-65535 and AzureLoadBalancer, with an HTTPS-only listener whose Key Vault certificate a user-assigned identity reads",
    source:
      "https://learn.microsoft.com/azure/application-gateway/configuration-infrastructure (dedicated subnet; NSG rules a v2 gateway needs) ; https://learn.microsoft.com/azure/application-gateway/key-vault-certs (v2 SKU, user-assigned identity) (read 2026-11-30)",
    applies: (c) => ofType(c.run, A.appgw).length > 0,
    check: (c) =>
      ofType(c.run, A.appgw).flatMap((g) => {
        const out: string[] = [];
        const i = g.inputs;
        if (!["Standard_v2", "WAF_v2"].includes(i.sku?.tier)) out.push(`${g.name}: sku tier ${i.sku?.tier} is not v2`);
        const subnetId = i.gatewayIPConfigurations?.[0]?.subnet?.id;
        const subnet = byId(c.run, A.subnet, subnetId);
        if (!subnet) out.push(`${g.name}: its subnet ${subnetId} is not one the component carves`);
        const users = c.run.resources.filter((r) => r !== g && r.type !== A.subnet && JSON.stringify(r.inputs).includes(`"${subnetId}"`));
        if (users.length > 0) out.push(`${g.name}: its subnet is shared with ${users.map((u) => u.name).join(", ")}`);
        const nsg = subnet && byId(c.run, A.nsg, subnet.inputs.networkSecurityGroup?.id);
        const rules = (nsg?.inputs.securityRules ?? []) as any[];
        const allows = (source: string, ports: string) => rules.some((r) => r.access === "Allow" && r.direction === "Inbound" && r.sourceAddressPrefix === source && r.destinationPortRange === ports);
        if (!allows("GatewayManager", "65200-65535")) out.push(`${g.name}: the subnet's NSG does not admit GatewayManager on 65200-65535`);
        if (!allows("AzureLoadBalancer", "*")) out.push(`${g.name}: the subnet's NSG does not admit AzureLoadBalancer`);
        if (rules.some((r) => r.access === "Allow" && (r.sourceAddressPrefix === "Internet" || r.sourceAddressPrefixes?.includes("0.0.0.0/0")))) out.push(`${g.name}: the subnet's NSG admits the whole internet`);
        if (i.httpListeners?.some((l: any) => l.protocol !== "Https")) out.push(`${g.name}: a listener that is not HTTPS`);
        if (!i.sslCertificates?.every((cert: any) => typeof cert.keyVaultSecretId === "string" && cert.data === undefined)) out.push(`${g.name}: a certificate not read from Key Vault`);
        if (i.identity?.type !== "UserAssigned" || i.identity?.userAssignedIdentities?.length !== 1) out.push(`${g.name}: identity ${JSON.stringify(i.identity)}, not one user-assigned identity`);
        if (!/^AppGwSslPolicy2022/.test(i.sslPolicy?.policyName ?? "")) out.push(`${g.name}: TLS policy ${i.sslPolicy?.policyName}, not a 2022 predefined one`);
        return out;
      }),
  },
];

async function compileProgram(label: string, program: () => unknown): Promise<Compiled> {
  const result = await runOffline(program, { config: EXAMPLE_CONFIG });
  return { label, run: result, plans: result.costEvents.map((e) => e.plan) };
}

/** An internet-facing fleet's certificate in Key Vault (its Application Gateway reads it). */
const TLS = { tlsCertificateSecretId: "https://rules-vault.vault.azure.net/secrets/cert", tlsKeyVaultId: `/subscriptions/${OFFLINE_SUBSCRIPTION_ID}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/rules-vault` };
const lustre = { kind: "lustre" as const, tier: "premium-250", capacityTiB: 16, mountPath: "/lustre", contractUsdPerGiBMonth: 0.2 };
const vm = { cloud: "azure" as const, region: "eastus", azure: { sshPublicKey: SSH_KEY } };
const aks = { cloud: "azure" as const, region: "eastus", orchestrator: "kubernetes" as const };
const training = (args: object) => () => new gpu.TrainingCluster("rules", privateEndpoint(args as gpu.TrainingClusterArgs));
const fleet = (args: object) => () => new gpu.InferenceFleet("rules", privateEndpoint(args as gpu.InferenceFleetArgs));

/** VMs / AKS × training / inference × ND H100 v5 / NC A100 v4 / spot. */
const MATRIX: [string, () => unknown][] = [
  ["vm training ND H100 v5 + Lustre", training({ ...vm, zone: "2", gpu: { instanceType: ND_H100, nodes: 4 }, storage: [lustre] })],
  [
    "vm training NC A100 v4 + NetApp (guarded /home, unguarded /scratch)",
    training({
      ...vm,
      gpu: { instanceType: NC_A100, nodes: 2 },
      storage: [
        { kind: "nfs", capacityTiB: 4, mountPath: "/home" },
        { kind: "nfs", capacityTiB: 4, mountPath: "/scratch", deletionProtection: false },
      ],
    }),
  ],
  ["vm training spot ND A100 v4", training({ ...vm, pricing: "spot", gpu: { instanceType: ND_A100_SPOT, nodes: 4 } })],
  ["vm inference NC A100 v4", fleet({ ...vm, gpu: { instanceType: NC_A100 }, replicas: { min: 2, max: 8 } })],
  ["vm inference ND H100 v5", fleet({ ...vm, gpu: { instanceType: ND_H100 }, replicas: { min: 1, max: 2 } })],
  ["vm inference spot NC A100 v4", fleet({ ...vm, pricing: "spot", gpu: { instanceType: NC_A100 }, replicas: { min: 2, max: 8 } })],
  ["aks training ND H100 v5", training({ ...aks, gpu: { instanceType: ND_H100, nodes: 4 } })],
  ["aks training NC A100 v4", training({ ...aks, gpu: { instanceType: NC_A100, nodes: 2 } })],
  ["aks training spot ND A100 v4", training({ ...aks, pricing: "spot", gpu: { instanceType: ND_A100_SPOT, nodes: 4 } })],
  ["aks inference NC A100 v4", fleet({ ...aks, gpu: { instanceType: NC_A100 }, replicas: { min: 2, max: 8 } })],
  ["aks inference ND H100 v5", fleet({ ...aks, gpu: { instanceType: ND_H100 }, replicas: { min: 1, max: 2 } })],
  ["aks inference spot NC A100 v4", fleet({ ...aks, pricing: "spot", gpu: { instanceType: NC_A100 }, replicas: { min: 2, max: 8 } })],
  ["vm inference internet-facing NC A100 v4", fleet({ ...vm, gpu: { instanceType: NC_A100 }, replicas: { min: 1, max: 4 }, loadBalancer: "internet-facing", azure: { ...vm.azure, ...TLS, allowedSourceRanges: ["203.0.113.0/24"] } })],
  ["aks inference internet-facing NC A100 v4", fleet({ ...aks, gpu: { instanceType: NC_A100 }, replicas: { min: 1, max: 4 }, loadBalancer: "internet-facing", azure: { ...TLS, aks: { loadBalancerSourceRanges: ["203.0.113.0/24"] } } })],
];

const EXAMPLES = fs.readdirSync(path.join(__dirname, "..", "examples")).filter((n) => /^(azure|aks)-/.test(n)).sort();

describe("Azure deploy rules over the compiled resources", () => {
  it("covers every Azure example and the spec matrix, each rule on at least one run, with no violation", async () => {
    expect(EXAMPLES).toEqual(["aks-ndv5-training", "azure-a100-inference", "azure-ndv5-training"]);
    const compiled: Compiled[] = [];
    for (const name of EXAMPLES) compiled.push(await compileProgram(`example ${name}`, () => import(`../examples/${name}/index.ts`)));
    for (const [label, program] of MATRIX) compiled.push(await compileProgram(label, program));
    const violations: string[] = [];
    for (const c of compiled) {
      expect(c.run.error, c.label).toBeUndefined();
      expect(c.plans.length, c.label).toBeGreaterThan(0);
      for (const rule of RULES) if (rule.applies(c)) violations.push(...rule.check(c).map((v) => `${c.label} × ${rule.id} (${rule.source}): ${v}`));
    }
    expect(violations).toEqual([]);
    for (const rule of RULES) expect(compiled.filter((c) => rule.applies(c)).map((c) => c.label), rule.id).not.toEqual([]);
  }, 240_000);

  it("each rule catches the fault it is about (the checks are not vacuous)", async () => {
    const c = await compileProgram("vm lustre", MATRIX[0]![1]);
    const find = (id: string) => RULES.find((r) => r.id.startsWith(id))!;
    const mutate = (type: string, f: (r: RecordedResource) => void): Compiled => {
      const copy = structuredClone(c.run);
      copy.resources.filter((r) => r.type === type).forEach(f);
      return { ...c, run: copy };
    };
    expect(find("Managed Lustre subnet").check(mutate(A.subnet, (s) => delete s.inputs.natGateway))).toEqual([expect.stringMatching(/rules-lustre: no natGateway/)]);
    expect(find("Managed Lustre and its clients").check(mutate(A.vmss, (v) => delete v.inputs.zones))).toEqual([expect.stringMatching(/^rules-nodes: zones undefined ≠ rules-lustre-lustre's \["2"\]$/)]);
    expect(find("the VNet does not overlap").check(mutate(A.vnet, (v) => (v.inputs.addressSpace.addressPrefixes = ["172.16.0.0/12"])))).toEqual([expect.stringMatching(/overlaps 172\.16\.0\.0\/16/)]);
    expect(find("InfiniBand VMs in one scale set").check(mutate(A.vmss, (v) => (v.inputs.singlePlacementGroup = false)))).toEqual([expect.stringMatching(/singlePlacementGroup false/)]);
    // The NetApp pair: the guarded /home has the one policy (7 daily + 4 weekly), /scratch none.
    const n = await compileProgram("vm netapp", MATRIX[1]![1]);
    const policies = ofType(n.run, A.snapshotPolicy);
    expect(policies.map((p) => [p.inputs.enabled, p.inputs.dailySchedule, p.inputs.weeklySchedule])).toEqual([
      [true, { snapshotsToKeep: 7, hour: 2, minute: 0 }, { snapshotsToKeep: 4, day: "Sunday", hour: 3, minute: 0 }],
    ]);
    expect(ofType(n.run, A.volume).map((v) => [v.inputs.protocolTypes[0], v.inputs.dataProtection?.snapshot.snapshotPolicyId ?? "none"]).sort()).toEqual([
      ["NFSv4.1", "none"],
      ["NFSv4.1", `${policies[0]!.name}-id`],
    ]);
    const netapp = find("a guarded NetApp volume");
    expect(netapp.check({ ...n, run: { ...n.run, resources: n.run.resources.filter((r) => r.type !== A.snapshotPolicy) } })).toEqual([expect.stringMatching(/is not built/)]);
    const greedy = structuredClone(n.run);
    greedy.resources.find((r) => r.type === A.snapshotPolicy)!.inputs.hourlySchedule = { snapshotsToKeep: 250, minute: 0 };
    expect(netapp.check({ ...n, run: greedy })).toEqual([expect.stringMatching(/keeps 261 snapshots/)]);
    // The old NicClusterPolicy affinity (this pool's label too) and the chart's own rule are caught.
    const k = await compileProgram("aks ib", MATRIX[6]![1]);
    const policy = structuredClone(k.run);
    const terms = policy.resources.find((r) => r.type === A.nicPolicy)!.inputs.spec.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
    terms[0].matchExpressions.push({ key: "gpu-cluster/pool", operator: "In", values: ["rules-pool"] });
    policy.resources.find((r) => r.inputs.chart === "network-operator")!.inputs.values.nfd.deployNodeFeatureRules = true;
    expect(find("InfiniBand node label").check({ ...k, run: policy })).toEqual([
      expect.stringMatching(/deployNodeFeatureRules is not false/),
      expect.stringMatching(/rules-nic-cluster-policy: nodeSelectorTerms .*gpu-cluster\/pool/),
    ]);
    // The gateway's NSG without the GatewayManager rule, and a plain-HTTP listener, are caught.
    const g = await compileProgram("vm public", MATRIX.find(([label]) => label.startsWith("vm inference internet-facing"))![1]);
    const broken = structuredClone(g.run);
    const gwNsg = broken.resources.find((r) => r.type === A.nsg && r.name === "rules-appgw-nsg")!;
    gwNsg.inputs.securityRules = gwNsg.inputs.securityRules.filter((r: { sourceAddressPrefix?: string }) => r.sourceAddressPrefix !== "GatewayManager");
    broken.resources.find((r) => r.type === A.appgw)!.inputs.httpListeners[0].protocol = "Http";
    expect(find("an internet-facing fleet's Application Gateway").check({ ...g, run: broken })).toEqual([
      expect.stringMatching(/rules-appgw: the subnet's NSG does not admit GatewayManager on 65200-65535/),
      expect.stringMatching(/rules-appgw: a listener that is not HTTPS/),
    ]);
  });
});

describe("Azure deploy rules: what is refused before anything exists", () => {
  const error = async (program: () => unknown) => {
    const result = await run(program);
    expect(result.resources.filter((r) => r.custom)).toEqual([]);
    return result.error as gpu.SpecError;
  };
  const ok = async (program: () => unknown) => (await run(program)).error;

  it("Managed Lustre without a zone: SpecError naming zone, with how to find one and the zone earlier file systems are in", async () => {
    const e = await error(training({ ...vm, gpu: { instanceType: ND_H100, nodes: 4 }, storage: [lustre] }));
    expect(e).toMatchObject({ name: "SpecError", path: "zone" });
    expect(e.message).toMatch(/az vm list-skus -l eastus --size Standard_ND96isr_H100_v5 --zone.*keep '1'/);
  });

  it("Managed Lustre without a NAT gateway, or a second Lustre: SpecErrors naming the field", async () => {
    const air = await error(training({ ...vm, zone: "1", gpu: { instanceType: ND_H100, nodes: 4 }, storage: [lustre], egress: { internetTiBPerMonth: 0, natGateway: false } }));
    expect(air).toMatchObject({ name: "SpecError", path: "egress.natGateway" });
    expect(air.message).toMatch(/AzureCloud service tag/);
    const two = await error(training({ ...vm, zone: "1", gpu: { instanceType: ND_H100, nodes: 4 }, storage: [lustre, { ...lustre, mountPath: "/lustre2" }] }));
    expect(two).toMatchObject({ name: "SpecError", path: "storage[1].kind" });
  });

  it("address space: the node subnet, the overlay pod range, one scale set and the Lustre subnet each name the field and the size that fits", async () => {
    // The node subnet: with the VNet's /20 floor and the scale set / pod range caps below, no spec reaches it today; the
    // check guards the arithmetic. 900 nodes need a /22 node subnet (1,019 addresses), so a /21 VNet.
    const plan = gpu.planCluster({ cloud: "azure", region: "eastus", gpu: { instanceType: NC_A100, nodes: 900 } });
    expect(() => checkAddressSpace(plan, "10.0.0.0/22", { newCluster: false })).toThrow(/'10\.0\.0\.0\/22' gives the node subnet a \/23 of 507 usable addresses, and the plan needs 900 at its peak.*use a \/21 or larger/);
    expect(() => checkAddressSpace(plan, "10.0.0.0/21", { newCluster: false })).not.toThrow();
    expect(await ok(fleet({ ...vm, azure: { ...vm.azure, vnetAddressSpace: "10.0.0.0/20" }, gpu: { instanceType: NC_A100 }, replicas: { min: 1, max: 1000 } }))).toBeUndefined();
    const tooMany = await error(fleet({ ...vm, gpu: { instanceType: NC_A100 }, replicas: { min: 1, max: 1001 } }));
    expect(tooMany).toMatchObject({ name: "SpecError", path: "replicas.max" });
    expect(tooMany.message).toMatch(/at most 1000/);
    // AKS: 256 /24 blocks in 192.168.0.0/16, minus the system pool's 3 and a surge node → 252 GPU nodes.
    expect(2 ** (24 - Number(AKS_NETWORK.podCidr.split("/")[1])) - SYSTEM_POOL.max - 1).toBe(252);
    const pods = await error(fleet({ ...aks, gpu: { instanceType: NC_A100 }, replicas: { min: 1, max: 253 } }));
    expect(pods).toMatchObject({ name: "SpecError", path: "replicas.max" });
    expect(pods.message).toMatch(/253 GPU nodes and 4 system nodes .* need 257 \/24 blocks .*192\.168\.0\.0\/16.*has 256.*at most 252 GPU nodes/);
    expect(await ok(fleet({ ...aks, gpu: { instanceType: NC_A100 }, replicas: { min: 1, max: 252 } }))).toBeUndefined();
    // Lustre: 200 TiB needs a /23 (Microsoft's table); a /20 VNet gives it a /24 → a /19 VNet fits.
    expect(lustreSubnetPrefix(200)).toBe(23);
    expect(lustreSubnetPrefix(16)).toBe(27);
    const fsTooBig = await error(training({ ...vm, zone: "1", azure: { ...vm.azure, vnetAddressSpace: "10.0.0.0/20" }, gpu: { instanceType: ND_H100, nodes: 4 }, storage: [{ ...lustre, capacityTiB: 200 }] }));
    expect(fsTooBig).toMatchObject({ name: "SpecError", path: "azure.vnetAddressSpace" });
    expect(fsTooBig.message).toMatch(/gives Managed Lustre a \/24 subnet, and storage\[0\] \(200 TiB\) needs a \/23.*use a \/19 or larger VNet/);
  });

  it("InfiniBand training above one placement group's 100 VMs, and a VNet over 172.16.0.0/16, are refused", async () => {
    const pg = await error(training({ ...vm, gpu: { instanceType: ND_H100, nodes: 101 } }));
    expect(pg).toMatchObject({ name: "SpecError", path: "gpu.count" });
    expect(pg.message).toMatch(/100 nodes/);
    const overlap = await error(training({ ...vm, azure: { ...vm.azure, vnetAddressSpace: "172.16.0.0/16" }, gpu: { instanceType: ND_H100, nodes: 2 } }));
    expect(overlap).toMatchObject({ name: "SpecError", path: "azure.vnetAddressSpace" });
  });
});

describe("Azure deploy rules: the subscription feature precondition", () => {
  it("stops before the gated resource is created, with the one-time commands, when a feature is not Registered", async () => {
    const result = await run(() => {
      const gate = gateOn(Promise.resolve([{ feature: ENCRYPTION_AT_HOST, state: "NotRegistered" }, { feature: AKS_INFINIBAND, state: "Registered" }]));
      const first = new resources.ResourceGroup("before", { location: "eastus" });
      new resources.ResourceGroup("gated", { location: "eastus" }, { dependsOn: gate.after([first]) });
    });
    expect(result.resources.map((r) => r.name)).toEqual(["before"]);
    const message = String(result.error);
    expect(message).toContain("Microsoft.Compute/EncryptionAtHost (encryption at host on every node) is 'NotRegistered'");
    expect(message).toContain("az feature register --namespace Microsoft.Compute --name EncryptionAtHost; wait until `az feature show --namespace Microsoft.Compute --name EncryptionAtHost --query properties.state` says Registered; az provider register --namespace Microsoft.Compute");
    expect(message).not.toContain("AKSInfinibandSupport");
    expect(message).toContain("azure.checkSubscriptionFeatures: false");
  });

  it("says plainly when the state cannot be read (no subscription read permission), and passes when all are Registered", () => {
    expect(featureProblem([{ feature: AKS_INFINIBAND, error: "AuthorizationFailed: no read access" }])).toMatch(
      /Microsoft\.ContainerService\/AKSInfinibandSupport .* is unreadable: AuthorizationFailed: no read access.*az feature register --namespace Microsoft\.ContainerService --name AKSInfinibandSupport/,
    );
    expect(featureProblem([{ feature: ENCRYPTION_AT_HOST, state: "Registered" }, { feature: AKS_INFINIBAND, state: "Registered" }])).toBeUndefined();
  });

  it("checkSubscriptionFeatures: false turns the check off, and the plan note says what then must hold", async () => {
    const result = await run(training({ ...aks, gpu: { instanceType: ND_H100, nodes: 2 }, azure: { checkSubscriptionFeatures: false } }));
    expect(result.error).toBeUndefined();
    const note = result.costEvents[0]!.plan.notes.find((n) => n.startsWith("Azure subscription features"))!;
    expect(note).toMatch(/the check is off \(azure\.checkSubscriptionFeatures: false\); Microsoft\.Compute\/EncryptionAtHost and Microsoft\.ContainerService\/AKSInfinibandSupport must be Registered/);
  });
});

it("the InfiniBand device table is Microsoft's guide's (devices 101c, 101e) narrowed to PCI class 0207", () => {
  expect(INFINIBAND_DEVICES).toEqual({ vendor: "15b3", class: "0207", devices: ["101c", "101e"] });
});

describe("Azure VM fleets: load-based autoscale, and no plain-HTTP internet endpoint", () => {
  it("the autoscale rule catches CPU scaling and a cooldown shorter than model load (the check is not vacuous)", async () => {
    const c = await compileProgram("vm fleet", MATRIX[3]![1]);
    const rule = RULES.find((r) => r.id.startsWith("a VM fleet scales out on the load"))!;
    expect(rule.check(c)).toEqual([]);
    const setting = ofType(c.run, A.autoscale)[0]!.inputs;
    // Out above 30 new connections per replica per minute over 5 minutes, in below 6 over 15 (AZURE_DEFAULTS) and
    // under 256 KiB sent per replica per minute over 15 (inference.ts SCALE_IN_BYTES_OUT_PER_MINUTE).
    expect(setting.profiles[0].rules.map((r: any) => [r.metricTrigger.metricName, r.metricTrigger.operator, r.metricTrigger.threshold, r.metricTrigger.timeWindow, r.metricTrigger.statistic, r.scaleAction.cooldown])).toEqual([
      ["SYNCount", "GreaterThan", 30, "PT5M", "Sum", "PT15M"],
      ["SYNCount", "LessThan", 6, "PT15M", "Sum", "PT15M"],
      ["Network Out Total", "LessThan", 262144, "PT15M", "Sum", "PT15M"],
    ]);
    // Without the bytes rule, keep-alive load no longer holds scale-in back: caught.
    const blind = structuredClone(c.run);
    const blindRules = blind.resources.find((r) => r.type === A.autoscale)!.inputs.profiles[0].rules;
    blindRules.pop();
    expect(rule.check({ ...c, run: blind })).toEqual([expect.stringMatching(/no scale-in rule on the scale set's own Network Out Total/)]);
    const cpu = structuredClone(c.run);
    const rules = cpu.resources.find((r) => r.type === A.autoscale)!.inputs.profiles[0].rules;
    rules[0].metricTrigger = { ...rules[0].metricTrigger, metricName: "Percentage CPU", metricNamespace: "microsoft.compute/virtualmachinescalesets", dividePerInstance: undefined };
    rules[0].scaleAction.cooldown = "PT5M";
    expect(rule.check({ ...c, run: cpu })).toEqual([
      expect.stringMatching(/scales on Percentage CPU/),
      expect.stringMatching(/not divided per instance/),
      expect.stringMatching(/scale-out cooldown PT5M/),
    ]);
  });

  it("behind an Application Gateway the rule wants the gateway's TotalRequests, and catches the balancer's SYN count (blind to the gateway's kept-alive connections)", async () => {
    const g = await compileProgram("vm public", MATRIX.find(([label]) => label.startsWith("vm inference internet-facing"))![1]);
    const rule = RULES.find((r) => r.id.startsWith("a VM fleet scales out on the load"))!;
    expect(rule.check(g)).toEqual([]);
    const syn = structuredClone(g.run);
    const lb = ofType(syn, A.lb)[0]!;
    for (const r of syn.resources.find((x) => x.type === A.autoscale)!.inputs.profiles[0].rules.slice(0, 2)) {
      r.metricTrigger = { ...r.metricTrigger, metricName: "SYNCount", metricNamespace: "Microsoft.Network/loadBalancers", metricResourceUri: `${lb.name}-id` };
    }
    expect(rule.check({ ...g, run: syn })).toEqual([
      expect.stringMatching(/scales on SYNCount/),
      expect.stringMatching(/not the fleet's front \(TotalRequests\)/),
      expect.stringMatching(/scales on SYNCount/),
      expect.stringMatching(/not the fleet's front \(TotalRequests\)/),
    ]);
  });

  it("refuses an internet-facing VM fleet without its certificate: its Standard Load Balancer cannot terminate TLS (https://learn.microsoft.com/azure/load-balancer/load-balancer-overview, read 2026-11-30), its Application Gateway needs one", async () => {
    const c = await compileProgram("public", fleet({ ...vm, gpu: { instanceType: NC_A100 }, replicas: { min: 1, max: 2 }, loadBalancer: "internet-facing", azure: { sshPublicKey: SSH_KEY, allowedSourceRanges: ["203.0.113.0/24"] } }));
    expect(c.run.error).toMatchObject({ name: "SpecError", path: "azure.tlsCertificateSecretId" });
    expect(c.run.resources.filter((r) => r.custom)).toHaveLength(0);
  });
});
