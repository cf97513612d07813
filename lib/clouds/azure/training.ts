/** Azure training cluster: network, NSG, storage, identity, and ONE scale set in one placement group. */
import * as pulumi from "@pulumi/pulumi";
import type { Plan } from "../../planner/types.js";
import type { ClusterHandles, CompileContext } from "../types.js";
import { customDataScript } from "./bootstrap.js";
import { azureGatePeers, vmGateScript } from "../shared/fabric-gate.js";
import { computerNamePrefix } from "./names.js";
import type * as azureInputs from "@pulumi/azure-native/types/input.js";
import { grantBlobAccess, nodeIdentity } from "./identity.js";
import { azureTags } from "./names.js";
import { azureNetwork, azurePlace } from "./network.js";
import type { AzureOptions } from "./options.js";
import { nodeScaleSet } from "./scale-set.js";
import { clusterAddressPrefixes, nodeSecurityGroup, trainingRules } from "./security.js";
import { azureStorage, dataDisks } from "./storage.js";

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
  const scaleSet = nodeScaleSet(plan, options, ctx, place, {
    subnetId: net.nodeSubnetId,
    identityId: identity.id,
    customData: storage.mountSources.apply((sources) => customDataScript(plan, sources, options.customData)),
    dataDisks: dataDisks(plan),
    capacity: plan.nodeCount,
    singlePlacementGroup: plan.placement.strategy === "single-placement-group",
    extensions: fabricGateExtensions(plan, options, ctx),
    tags,
  });

  const handles: ClusterHandles = {
    nodeGroupId: scaleSet.id,
    networkId: net.vnetId,
    subnetIds: pulumi.all([net.nodeSubnetId]),
    securityGroupId: nsg.id,
    storage: storage.handles,
  };
  if (plan.placement.strategy === "single-placement-group") handles.placementGroupName = scaleSet.name;
  return handles;
}

/**
 * The fabric gate on Azure VMs (on by default for training, `azure.acceptanceTest: false` opts out): a CustomScript
 * extension of the scale set runs the two-node check on its first two VMs. The scale set's creation waits for its
 * extensions, so a figure below the floor fails `pulumi up` with the gate's message as the extension's error.
 */
function fabricGateExtensions(plan: Plan, options: AzureOptions, ctx: CompileContext): azureInputs.compute.VirtualMachineScaleSetExtensionArgs[] {
  if (options.acceptanceTest === false) return [];
  const script = vmGateScript(plan, azureGatePeers(computerNamePrefix(ctx.name)));
  if (script === undefined) return [];
  return [
    {
      name: "gpu-cluster-fabric-gate",
      publisher: "Microsoft.Azure.Extensions",
      type: "CustomScript",
      typeHandlerVersion: "2.1",
      autoUpgradeMinorVersion: true,
      // protectedSettings: the script is not shown in the VM's instance view (it holds no secret, but no need to).
      protectedSettings: { script: Buffer.from(script, "utf8").toString("base64") },
    },
  ];
}
