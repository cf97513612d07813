/**
 * The one Virtual Machine Scale Set every node runs in (Uniform orchestration):
 * a Gen2 HPC image, accelerated networking, no public IPs, encryption at host,
 * the billed VM size and count (the bill's gpu-nodes item), the billed OS disk (Premium SSD), the user-assigned identity, SSH keys only, and — for
 * spot — Spot priority that deletes evicted VMs (a deallocated spot VM still
 * bills its disks and holds a slot of the placement group).
 */
import { AZURE_AUTOMATIC_REPAIRS, AZURE_HEALTH_EXTENSION } from "../shared/vm-health.js";
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import type * as inputs from "@pulumi/azure-native/types/input.js";
import type { Plan } from "../../planner/types.js";
import type { CompileContext } from "../types.js";
import { featureGate } from "./feature-gate.js";
import { computerNamePrefix } from "./names.js";
import type { AzurePlace } from "./network.js";
import { AZURE_DEFAULTS, nodeImage, type AzureOptions } from "./options.js";
import { billedGpuNodeGroup, billedNodeDisk } from "../shared/bill.js";

/** How the plan's pricing shows in the VM profile. */
export function priorityProfile(plan: Plan, options: AzureOptions): Partial<inputs.compute.VirtualMachineScaleSetVMProfileArgs> {
  if (plan.pricing !== "spot") return { priority: "Regular" };
  return {
    priority: "Spot",
    evictionPolicy: "Delete",
    billingProfile: { maxPrice: options.spotMaxPriceUsdPerHour ?? AZURE_DEFAULTS.spotMaxPriceUsdPerHour },
  };
}

/** The nodes' OS disk, GiB and storage account type: the bill's gpu `node-disk` (carried at zero nodes too, count 0). */
function osDisk(ctx: CompileContext): { sizeGiB: number; diskType: string } {
  return billedNodeDisk(ctx.bill, "gpu", "the GPU nodes' OS disks");
}

export interface ScaleSetInputs {
  subnetId: pulumi.Input<string>;
  identityId: pulumi.Input<string>;
  /** The cloud-init script (plain text; encoded here). */
  customData: pulumi.Input<string>;
  dataDisks: inputs.compute.VirtualMachineScaleSetDataDiskArgs[];
  /** True for training: InfiniBand spans one placement group only. */
  singlePlacementGroup: boolean;
  /** Inference: the load balancer pools the replicas join. */
  loadBalancerBackendPoolIds?: pulumi.Input<string>[];
  /** VM extensions (training: the fabric gate's CustomScript, lib/clouds/shared/fabric-gate.ts). */
  extensions?: inputs.compute.VirtualMachineScaleSetExtensionArgs[];
  /** How long the VMs' extensions may take (ISO 8601, 15 to 120 minutes). Default Azure's, PT1H30M. */
  extensionsTimeBudget?: string;
  /** Inference: the autoscaler owns the capacity after creation. */
  autoscaled?: boolean;
  dependsOn?: pulumi.Resource[];
  tags: Record<string, string>;
}

export function nodeScaleSet(plan: Plan, options: AzureOptions, ctx: CompileContext, place: AzurePlace, inputs_: ScaleSetInputs): compute.VirtualMachineScaleSet {
  const adminUsername = options.adminUsername ?? AZURE_DEFAULTS.adminUsername;
  const image = nodeImage(options);
  const disk = osDisk(ctx);
  // The VM size and the VMs at creation are the ones the compute line priced: training's node count, a fleet's
  // replicas.min (one per VM); the autoscale setting then owns a fleet's capacity (inference.ts).
  const nodes = billedGpuNodeGroup(plan, ctx.bill);
  const ipConfiguration: inputs.compute.VirtualMachineScaleSetIPConfigurationArgs = {
    name: "primary",
    primary: true,
    subnet: { id: inputs_.subnetId },
    // No publicIPAddressConfiguration: the VMs get no public IP.
    ...(inputs_.loadBalancerBackendPoolIds ? { loadBalancerBackendAddressPools: inputs_.loadBalancerBackendPoolIds.map((id) => ({ id })) } : {}),
  };
  return new compute.VirtualMachineScaleSet(
    `${ctx.name}-nodes`,
    {
      resourceGroupName: place.resourceGroupName,
      location: place.location,
      ...(plan.zone !== undefined ? { zones: [plan.zone] } : {}),
      sku: { name: nodes.instanceType, tier: "Standard", capacity: nodes.count },
      orchestrationMode: "Uniform",
      singlePlacementGroup: inputs_.singlePlacementGroup,
      // Every VM requested is a VM billed and a slot of the placement group: no extra VMs.
      overprovision: false,
      platformFaultDomainCount: 1,
      // Profile changes apply when you reimage, never by rolling nodes under a running job. (So a VM added later runs
      // the current extensions while the older ones keep theirs: the fabric gate copes, lib/clouds/azure/gate-peers.ts.)
      upgradePolicy: { mode: "Manual" },
      // A VM the Application Health extension reports unhealthy (GPUs, fabric) is replaced (lib/clouds/shared/vm-health.ts).
      automaticRepairsPolicy: AZURE_AUTOMATIC_REPAIRS,
      identity: { type: "UserAssigned", userAssignedIdentities: [inputs_.identityId] },
      virtualMachineProfile: {
        osProfile: {
          computerNamePrefix: computerNamePrefix(ctx.name),
          adminUsername,
          linuxConfiguration: {
            disablePasswordAuthentication: true,
            ssh: { publicKeys: [{ path: `/home/${adminUsername}/.ssh/authorized_keys`, keyData: options.sshPublicKey!.trim() }] },
            provisionVMAgent: true,
          },
          customData: pulumi.output(inputs_.customData).apply((script) => Buffer.from(script, "utf8").toString("base64")),
        },
        storageProfile: {
          imageReference: { publisher: image.publisher, offer: image.offer, sku: image.sku, version: image.version },
          osDisk: {
            createOption: "FromImage",
            caching: "ReadWrite",
            diskSizeGB: disk.sizeGiB,
            managedDisk: { storageAccountType: disk.diskType },
            deleteOption: "Delete",
          },
          dataDisks: inputs_.dataDisks,
        },
        networkProfile: {
          networkInterfaceConfigurations: [
            {
              name: "primary",
              primary: true,
              enableAcceleratedNetworking: true,
              ipConfigurations: [ipConfiguration],
            },
          ],
        },
        // Temp disk, caches and data disks encrypted on the host too, not only at the storage service.
        securityProfile: { encryptionAtHost: true },
        extensionProfile: {
          extensions: [AZURE_HEALTH_EXTENSION, ...(inputs_.extensions ?? [])],
          ...(inputs_.extensionsTimeBudget !== undefined ? { extensionsTimeBudget: inputs_.extensionsTimeBudget } : {}),
        },
        // Boot diagnostics in managed storage: the serial log and screenshot of a VM that never becomes reachable.
        diagnosticsProfile: { bootDiagnostics: { enabled: true } },
        ...(plan.reservationId !== undefined ? { capacityReservation: { capacityReservationGroup: { id: plan.reservationId } } } : {}),
        ...priorityProfile(plan, options),
      },
      tags: inputs_.tags,
    },
    {
      parent: ctx.parent,
      // Created only once the subscription has the features it needs (encryption at host), see features.ts.
      dependsOn: featureGate(plan, options.checkSubscriptionFeatures !== false, ctx).after(inputs_.dependsOn ?? []),
      // The autoscaler changes the capacity; a later `pulumi up` must not reset it.
      ...(inputs_.autoscaled ? { ignoreChanges: ["sku.capacity"] } : {}),
    },
  );
}
