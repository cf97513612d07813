/** Azure training cluster: network, NSG, storage, identity, and ONE scale set in one placement group. */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import type { Plan } from "../../planner/types.js";
import type { ClusterHandles, CompileContext } from "../types.js";
import { customDataScript } from "./bootstrap.js";
import { fabricGate, vmGateScript } from "../shared/fabric-gate.js";
import { allReduceImage } from "../kubernetes/options.js";
import { AZURE_EXTENSIONS_TIME_BUDGET, azureVmGatePeers, gatePrePullLines } from "./gate-peers.js";
import { GATE_EXTENSION, GATE_PUBLISH, gateReadback } from "./gate-readback.js";
import { computerNamePrefix } from "./names.js";
import type * as azureInputs from "@pulumi/azure-native/types/input.js";
import { AZURE_ENDPOINTS, azureClusterSshLines, CLUSTER_KEY_SECRET, clusterKeyVault } from "./cluster-ssh.js";
import { grantBlobAccess, grantMetricsPublisher, grantRole, nodeIdentity, READER } from "./identity.js";
import { gpuMetricsLines } from "./gpu-metrics.js";
import { azureTags } from "./names.js";
import { azureNetwork, azurePlace } from "./network.js";
import { AZURE_DEFAULTS, azureGateOn, nodeImage, type AzureOptions } from "./options.js";
import { nodeScaleSet } from "./scale-set.js";
import { clusterAddressPrefixes, nodeSecurityGroup, trainingRules } from "./security.js";
import { azureStorage, dataDisks } from "./storage.js";
import { billedOnce, billsGpuMetrics } from "../shared/bill.js";

export function compileAzureTraining(plan: Plan, options: AzureOptions = {}, ctx: CompileContext): ClusterHandles {
  const tags = azureTags(ctx.name, options);
  const place = azurePlace(plan, options, ctx, tags);
  const nsg = nodeSecurityGroup(trainingRules(clusterAddressPrefixes(options)), ctx, place, tags);
  const net = azureNetwork(plan, options, ctx, place, nsg.id, tags);
  const storage = azureStorage(plan, ctx, place, net, tags);
  const identity = nodeIdentity(ctx, place, tags);
  storage.storageAccounts.forEach((account) => grantBlobAccess(ctx, place, identity, account.id, account.name));

  // One scale set for any node count: 8 or 100 nodes are the same resources. InfiniBand
  // connects only VMs of one placement group, so the set never spans two (validation caps
  // the node count at the catalog's maxPlacementGroupNodes).
  // The cluster key in its own Key Vault, and the hostfile from the scale set's members (cluster-ssh.ts), where the shared
  // rule for VM training clusters gives them (hasClusterSsh).
  // Built as billed, as on AWS and GCP: the bill's `secret` item (lib/cost/bom/azure-vm.ts, from that same rule).
  const trust = billedOnce(ctx.bill, "secret") ? clusterKeyVault(ctx, place, net.nodeSubnetId, identity, tags) : undefined;
  const adminUser = options.adminUsername ?? AZURE_DEFAULTS.adminUsername;
  const gateScript = fabricGateScript(plan, options, ctx);
  // Per-GPU metrics in Azure Monitor, written against the scale set (gpu-metrics.ts); azure.gpuMetrics: false opts out.
  const metricsOn = billsGpuMetrics(ctx.bill);
  const customData = pulumi
    .all([storage.mountSources, identity.clientId, trust?.vaultUri ?? "", trust?.vaultName ?? ""])
    .apply(([sources, clientId, vaultUri, vaultName]) => {
      const ssh = trust ? azureClusterSshLines(plan, { ...AZURE_ENDPOINTS, clientId, vaultUri, secretName: CLUSTER_KEY_SECRET }, vaultName, adminUser, computerNamePrefix(ctx.name)) : [];
      const metrics = metricsOn ? gpuMetricsLines(clientId) : [];
      return customDataScript(plan, sources, options.customData, [], ssh, gateScript ? gatePrePullLines(allReduceImage(plan)) : [], metrics);
    });
  const gateExtensions = fabricGateExtensions(gateScript, options, customData);
  const scaleSet = nodeScaleSet(plan, options, ctx, place, {
    subnetId: net.nodeSubnetId,
    identityId: identity.id,
    customData,
    dataDisks: dataDisks(plan, ctx),
    singlePlacementGroup: plan.placement.strategy === "single-placement-group",
    extensions: gateExtensions,
    // The gate's waits end inside the longest budget Azure allows (gate-peers.ts), so a slow run fails with its own message.
    ...(gateExtensions.length > 0 ? { extensionsTimeBudget: AZURE_EXTENSIONS_TIME_BUDGET } : {}),
    // The nodes read the key at boot: its read role exists before they do.
    ...(trust ? { dependsOn: [trust.reader] } : {}),
    tags,
  });
  // The hostfile: the identity reads its own scale set (the members' network interfaces), nothing else. A role on the
  // scale set can only be granted once it exists, so the hostfile appears within minutes after `up` (the plan says so);
  // Reader on the resource group before it would be wider (a user's group holds more than this component).
  if (trust) grantRole(ctx, `${ctx.name}-peers-reader`, identity, READER, place, scaleSet.id);
  if (metricsOn) grantMetricsPublisher(ctx, place, identity, scaleSet.id);

  const handles: ClusterHandles = {
    nodeGroupId: scaleSet.id,
    networkId: net.vnetId,
    subnetIds: pulumi.all([net.nodeSubnetId]),
    securityGroupId: nsg.id,
    storage: storage.handles,
  };
  if (plan.placement.strategy === "single-placement-group") handles.placementGroupName = scaleSet.name;
  // The gate's figure, read back from its extension on instance 0 (gate-readback.ts).
  const gate = fabricGate(plan, "vm");
  if (gateExtensions.length > 0 && gate) handles.acceptance = gateReadback(gate, ctx, place, scaleSet);
  return handles;
}

/**
 * The fabric gate on Azure VMs (on by default for training, `azure.acceptanceTest: false` opts out): a CustomScript
 * extension of the scale set runs the two-node check on its first two VMs, after cloud-init has run the custom data
 * (the script waits for it: lib/clouds/shared/fabric-gate.ts). The scale set's creation waits for its extensions, so a
 * figure below the floor fails `pulumi up` with the gate's message as the extension's error; a figure at or above it
 * becomes the `ncclBusBandwidthGBps` output (gate-readback.ts).
 *
 * A CustomScript extension runs again only when its settings or `forceUpdateTag` change, and then on each VM when it
 * takes the new model (upgrade policy Manual: on reimage or `az vmss update-instances`), or when a VM is created
 * (https://learn.microsoft.com/azure/virtual-machines/extensions/custom-script-linux, read 2026-11-30). The tag is a
 * hash of what the check depends on beyond its own script (already in its settings): the node image and the node
 * configuration (custom data), so a VM built differently is checked again. A fix outside the stack (a bad HCA) is
 * checked by reimaging the two check VMs, as the failure message says.
 */
function fabricGateExtensions(script: string | undefined, options: AzureOptions, customData: pulumi.Input<string>): azureInputs.compute.VirtualMachineScaleSetExtensionArgs[] {
  if (script === undefined) return [];
  const image = nodeImage(options);
  return [
    {
      name: GATE_EXTENSION,
      publisher: "Microsoft.Azure.Extensions",
      type: "CustomScript",
      typeHandlerVersion: "2.1",
      autoUpgradeMinorVersion: true,
      forceUpdateTag: pulumi.output(customData).apply((data) => gateRunTag(script, image, data)),
      // protectedSettings: the script is not shown in the VM's instance view (it holds no secret, but no need to).
      protectedSettings: { script: Buffer.from(script, "utf8").toString("base64") },
    },
  ];
}

/**
 * The gate's script, or undefined where there is none: opted out, off by default without a NAT gateway (the nodes
 * cannot pull the check image: checkAzureOptions says so in the plan), or no gate for the plan (fabricGate).
 */
function fabricGateScript(plan: Plan, options: AzureOptions, ctx: CompileContext): string | undefined {
  if (!azureGateOn(plan, options)) return undefined;
  // Rank 0 prints its verdict and figure last on stdout, for the read-back (gate-readback.ts).
  return vmGateScript(plan, azureVmGatePeers(computerNamePrefix(ctx.name), allReduceImage(plan)), GATE_PUBLISH);
}

/** The gate extension's `forceUpdateTag`: 16 hex digits of a SHA-256 over the gate script, the image and the custom data. */
export function gateRunTag(script: string, image: { publisher: string; offer: string; sku: string; version: string }, customData: string): string {
  const h = createHash("sha256");
  for (const part of [script, image.publisher, image.offer, image.sku, image.version, customData]) h.update(part).update("\0");
  return h.digest("hex").slice(0, 16);
}
