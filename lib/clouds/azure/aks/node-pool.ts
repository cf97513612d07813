/**
 * The GPU nodes: one AKS node pool (one Virtual Machine Scale Set) of the plan's ND / NC size — training a fixed
 * count, inference replicas.min..max under the cluster autoscaler — so 8 or 100 nodes are the same resources, and an
 * InfiniBand job's nodes share one scale set (validation caps a training plan at the single placement group's 100
 * VMs). AKS's own GPU driver install is off (`gpuProfile.driver: None`): the NVIDIA GPU Operator installs the driver
 * with GPUDirect RDMA against the Network Operator's DOCA OFED, as Microsoft's InfiniBand-on-AKS guide does
 * (https://learn.microsoft.com/azure/aks/nvidia-gpu-operator, https://azure.github.io/aks-rdma-infiniband, read
 * 2026-11-25). Tainted so only GPU pods land there; spot priority from the plan.
 */
import { AKS_GPU_POOL_UPGRADE } from "../../kubernetes/upgrades.js";
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import * as containerservice from "@pulumi/azure-native/containerservice";
import type { Plan } from "../../../planner/types.js";
import type { CompileContext } from "../../types.js";
import type { FeatureGate } from "../feature-gate.js";
import { AZURE_DEFAULTS } from "../options.js";
import { aksGpuOsDisk, billedOsDisk } from "./os-disk.js";

/** Node label the GPU nodes carry (its value is the workload's pool name); the pods select it. */
import { POOL_LABEL } from "../../kubernetes/names.js";
import { billedGpuNodeGroup, gpuNodeBounds } from "../../shared/bill.js";
export { POOL_LABEL };
/** The GPU nodes' taint. `nvidia.com/gpu`: the GPU Operator's daemonsets already tolerate it. */
export const GPU_TAINT = { key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" } as const;
/** The taint AKS adds to every node of a spot pool (pods must tolerate it to land there). */
export const SPOT_TAINT = { key: "kubernetes.azure.com/scalesetpriority", value: "spot", effect: "NoSchedule" } as const;

/** An AKS Linux node pool name: lower-case letters and digits, starting with a letter, at most 12 characters, unique per component. */
export function gpuPoolName(componentName: string): string {
  const hash = createHash("sha256").update(componentName).digest("hex").slice(0, 4);
  const stem = componentName.toLowerCase().replace(/[^a-z0-9]/g, "").replace(/^[0-9]+/, "").slice(0, 5);
  return `gpu${stem}${hash}`;
}

export interface GpuPoolInputs {
  clusterName: pulumi.Input<string>;
  resourceGroupName: pulumi.Input<string>;
  /** The node subnet; undefined = the existing cluster's own (AKS's default). */
  subnetId?: pulumi.Input<string>;
  /** Value of the `gpu-cluster/pool` label. */
  poolLabel: string;
  /** `azure.osDiskGiB`, GiB; default per size (os-disk.ts: ephemeral, 1 TiB or AKS's own size for a temp disk of 1 TiB or less; else 512). */
  osDiskGiB?: number;
  spotMaxPriceUsdPerHour?: number;
  tags: Record<string, string>;
  dependsOn: pulumi.Resource[];
  /** The subscription feature check the pool waits for (encryption at host; AKS InfiniBand). */
  gate: FeatureGate;
}

export function gpuNodePool(plan: Plan, ctx: CompileContext, inputs: GpuPoolInputs): containerservice.AgentPool {
  const inference = plan.workload === "inference";
  const spot = plan.pricing === "spot";
  // The VM size, the nodes at creation and a fleet's bounds as the compute line priced them (the bill's gpu-nodes item:
  // training's node count; a fleet's packed nodes at replicas.min and replicas.max, lib/planner/packing.ts).
  const nodes = billedGpuNodeGroup(plan, ctx.bill);
  const bounds = gpuNodeBounds(nodes);
  // Ephemeral where the size takes it and the bill carries no managed disk; else managed at the bill's size (os-disk.ts).
  const osDisk = billedOsDisk(aksGpuOsDisk(plan.instanceType, inputs.osDiskGiB), ctx.bill, "gpu");
  return new containerservice.AgentPool(
    `${ctx.name}-gpu-pool`,
    {
      resourceGroupName: inputs.resourceGroupName,
      resourceName: inputs.clusterName,
      agentPoolName: gpuPoolName(ctx.name),
      mode: "User",
      type: "VirtualMachineScaleSets",
      osType: "Linux",
      // Ubuntu: the node OS the GPU and Network Operators' drivers are built for on AKS.
      osSKU: "Ubuntu",
      vmSize: nodes.instanceType,
      count: nodes.count,
      ...(inference ? { enableAutoScaling: true, minCount: bounds.min, maxCount: bounds.max } : { enableAutoScaling: false }),
      ...(plan.zone !== undefined ? { availabilityZones: [plan.zone] } : {}),
      ...(plan.reservationId !== undefined ? { capacityReservationGroupID: plan.reservationId } : {}),
      ...(inputs.subnetId !== undefined ? { vnetSubnetID: inputs.subnetId } : {}),
      gpuProfile: { driver: "None" },
      nodeTaints: [`${GPU_TAINT.key}=${GPU_TAINT.value}:${GPU_TAINT.effect}`],
      nodeLabels: { [POOL_LABEL]: inputs.poolLabel },
      ...(spot
        ? {
            scaleSetPriority: "Spot",
            // An evicted spot VM is deleted: a deallocated one still bills its disk.
            scaleSetEvictionPolicy: "Delete",
            spotMaxPrice: inputs.spotMaxPriceUsdPerHour ?? AZURE_DEFAULTS.spotMaxPriceUsdPerHour,
          }
        : { scaleSetPriority: "Regular" }),
      enableNodePublicIP: false,
      enableEncryptionAtHost: true,
      // Container images live on the OS disk: ephemeral on the size's local temp disk where its size page allows it,
      // else the billed managed disk (by default AKS's recommended 512 GiB: os-disk.ts, with the sources).
      osDiskSizeGB: osDisk.sizeGiB,
      osDiskType: osDisk.type,
      // Upgrades replace one node at a time without a surge node (a surge ND VM may not exist, and costs one more), and
      // skip (never drain) a node whose training pod's PodDisruptionBudget refuses eviction.
      upgradeSettings: AKS_GPU_POOL_UPGRADE,
      tags: inputs.tags,
    },
    // The autoscaler moves a fleet's count; `up` should not undo it. AKS refuses any change to a pool's OS disk type or
    // size after creation (os-disk.ts), so a pool made by an earlier version (managed, 256 GiB) keeps its disk instead
    // of failing `up`; removing the pool (`pulumi destroy --target`, README) and `up` moves it, when its jobs can stop.
    {
      parent: ctx.parent,
      dependsOn: inputs.gate.after(inputs.dependsOn),
      ignoreChanges: [...(inference ? ["count"] : []), "osDiskType", "osDiskSizeGB"],
    },
  );
}
