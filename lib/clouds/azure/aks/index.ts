/**
 * AKS compiler (cloud "azure", orchestrator "kubernetes"): a private Standard-tier cluster in the component's VNet
 * (or an existing one), one GPU node pool, the NVIDIA Network and GPU Operators, then the shared Kubernetes workload
 * with the InfiniBand pod side from lib/fabric (`rdma/ib`, IPC_LOCK, the NCCL environment).
 */
import * as pulumi from "@pulumi/pulumi";
import { guardedInference, guardedTraining } from "../../kubernetes/guarded.js";
import type { Plan } from "../../../planner/types.js";
import type { CloudCompiler, ClusterHandles, CompileContext, FleetHandles } from "../../types.js";
import { azurePlanNotes, checkAzureOptions, type AzureOptions } from "../options.js";
import { aksInfrastructure, subnetName, type AksInfrastructure } from "./infrastructure.js";
import { aksPlanNotes } from "./options.js";
import { aksTarget } from "./target.js";

export type { AksOptions } from "./options.js";
export { AKS_CHARTS, NIC_POLICY_IMAGES } from "./bootstrap.js";

function handles(infra: AksInfrastructure, options: AzureOptions): ClusterHandles {
  const subnet = infra.network?.nodeSubnetId ?? (options.aks?.subnetId !== undefined ? pulumi.output(options.aks.subnetId) : undefined);
  return {
    nodeGroupId: infra.nodePool.id,
    // An existing cluster's network is the subnet's VNet (when given).
    networkId: infra.network?.vnetId ?? (subnet ? subnet.apply((s) => s.replace(/\/subnets\/[^/]+$/i, "")) : pulumi.output("")),
    subnetIds: subnet ? pulumi.all([subnet]) : pulumi.output([]),
    // The NSG of the node subnet; on an existing cluster, the workload's NetworkPolicy (the only filter it adds).
    securityGroupId: infra.securityGroup?.id ?? pulumi.output(`${infra.names.namespace}/${infra.names.networkPolicy}`),
    storage: infra.storage.handles,
  };
}

function target(plan: Plan, options: AzureOptions, infra: AksInfrastructure, ctx: CompileContext) {
  const lbSubnet = infra.network?.loadBalancerSubnetId;
  // The workload waits for every bootstrap step, the device plugins included.
  return aksTarget(plan, options.aks ?? {}, infra.names, infra.storage, ctx, infra.bootstrap.provider, infra.bootstrap.steps, lbSubnet ? subnetName(lbSubnet) : undefined);
}

export function compileAksTraining(plan: Plan, options: AzureOptions = {}, ctx: CompileContext): ClusterHandles {
  const infra = aksInfrastructure(plan, options, ctx);
  const namespace = infra.namespace.metadata.name;
  const { workload } = guardedTraining(plan, options.aks ?? {}, infra.names, namespace, target(plan, options, infra, ctx), ctx);
  const out = handles(infra, options);
  if (workload.acceptance) out.acceptance = workload.acceptance.handle;
  return out;
}

export function compileAksInference(plan: Plan, options: AzureOptions = {}, ctx: CompileContext): FleetHandles {
  const infra = aksInfrastructure(plan, options, ctx);
  const namespace = infra.namespace.metadata.name;
  const { workload } = guardedInference(plan, options.aks ?? {}, infra.names, namespace, target(plan, options, infra, ctx), ctx);
  return { ...handles(infra, options), endpointUrl: workload.endpointUrl };
}

/** The Azure option checks (with the AKS ones), then the notes an AKS plan carries. */
function checkAksCompilerOptions(plan: Plan, options: AzureOptions | undefined): void {
  checkAzureOptions(plan, options);
  plan.notes.push(...aksPlanNotes(plan, options?.aks), ...azurePlanNotes(plan, options));
  // Joining an existing cluster: its control plane (and network) is already paid for, so the estimate leaves them out.
  plan.kubernetesCluster = options?.aks?.clusterName !== undefined ? "existing" : "created";
}

export const aksCompiler: CloudCompiler<unknown> = {
  checkOptions: checkAksCompilerOptions as CloudCompiler<unknown>["checkOptions"],
  compileTraining: compileAksTraining as CloudCompiler<unknown>["compileTraining"],
  compileInference: compileAksInference as CloudCompiler<unknown>["compileInference"],
};
