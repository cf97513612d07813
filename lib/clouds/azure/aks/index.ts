/**
 * AKS compiler (cloud "azure", orchestrator "kubernetes"): a private Standard-tier cluster in the component's VNet
 * (or an existing one), one GPU node pool, the NVIDIA Network and GPU Operators, then the shared Kubernetes workload
 * with the InfiniBand pod side from lib/fabric (`rdma/ib`, IPC_LOCK, the NCCL environment).
 */
import * as pulumi from "@pulumi/pulumi";
import { managedKubernetesCompiler } from "../../kubernetes/managed-compiler.js";
import type { CloudCompiler, ClusterHandles, CompileContext } from "../../types.js";
import { azureAksOptionCheck } from "../../../cost/bom/option-checks.js";
import type { AzureOptions } from "../options.js";
import { aksInfrastructure, subnetName, type AksInfrastructure } from "./infrastructure.js";
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

/** An internet-facing fleet's endpoint is its Application Gateway's (HTTPS), not the internal Service's: by component. */
const gatewayEndpoints = new WeakMap<CompileContext, pulumi.Output<string>>();

const compiler = managedKubernetesCompiler<"aks", AzureOptions, AksInfrastructure>({
  optionKey: "aks",
  infrastructure: (plan, options, ctx) => {
    const infra = aksInfrastructure(plan, options, ctx);
    if (infra.gateway) gatewayEndpoints.set(ctx, infra.gateway.front.endpointUrl);
    return infra;
  },
  handles,
  target: (plan, options, infra, ctx) => {
    // A new cluster's balancer lives in the component's load balancer subnet. On an existing cluster the cloud provider
    // puts it in the cluster's default subnet (its azure.json `subnetName`) unless the Service names one, so an
    // internet-facing fleet whose pinned address is in `aks.subnetId` (the GPU pool's subnet) names that subnet, or
    // the address would not bind (https://cloud-provider-azure.sigs.k8s.io/topics/loadbalancer/, read 2026-11-30:
    // `azure-load-balancer-internal-subnet` takes the subnet's name in the cluster's VNet).
    const lbSubnet = infra.network?.loadBalancerSubnetId ?? (infra.gateway && options.aks?.subnetId !== undefined ? options.aks.subnetId : undefined);
    // The workload waits for every bootstrap step, the device plugins included.
    return aksTarget(plan, options.aks ?? {}, infra.names, infra.storage, ctx, infra.bootstrap.provider, infra.bootstrap.steps, lbSubnet ? subnetName(lbSubnet) : undefined, infra.gateway?.backendIp);
  },
  // The target descriptor's option check (lib/cost/bom): the Azure checks, the AKS notes and the cluster mode.
  checkOptions: azureAksOptionCheck,
});

export const aksCompiler: CloudCompiler<AzureOptions> = {
  ...compiler,
  compileInference(plan, options, ctx) {
    const handles = compiler.compileInference(plan, options, ctx);
    return { ...handles, endpointUrl: gatewayEndpoints.get(ctx) ?? handles.endpointUrl };
  },
};

export const compileAksTraining = aksCompiler.compileTraining;
export const compileAksInference = aksCompiler.compileInference;
