/** AKS's parameters of the shared Kubernetes workload: node pool affinity, its taints, images, Azure load balancer exposure. */
import type * as pulumi from "@pulumi/pulumi";
import type { Provider } from "@pulumi/kubernetes/provider";
import { type KubernetesTarget, type ServiceExposure, type WorkloadStorage, gpuPlacement } from "../../kubernetes/target.js";
import type { WorkloadNames } from "../../kubernetes/names.js";
import { DEFAULT_INFERENCE_IMAGE, installsClusterAddons } from "../../kubernetes/options.js";
import { GPU_OPERATOR_RUNTIME_CLASS } from "../../kubernetes/node-health.js";
import { clusterPrometheus } from "../../kubernetes/cluster-prometheus.js";
import type { Plan } from "../../../planner/types.js";
import type { CompileContext } from "../../types.js";
import { gpuTolerations } from "./bootstrap.js";
import { AKS_DEFAULT_TRAINING_IMAGE, type AksOptions } from "./options.js";

/** Well-known label the kubelet sets on every node (AKS: the VM size, e.g. Standard_ND96isr_H100_v5). */

/**
 * Internal fleets: an internal Azure load balancer in the component's load balancer subnet (reachable from the VNet
 * and peered networks). Internet-facing: a public one admitting only `azure.aks.loadBalancerSourceRanges` (required by
 * the checks).
 */
export function aksExposure(plan: Plan, options: AksOptions, internalSubnetName: pulumi.Input<string> | undefined): ServiceExposure {
  if (plan.service?.loadBalancer === "internet-facing") {
    return { type: "LoadBalancer", annotations: {}, sourceRanges: options.loadBalancerSourceRanges! };
  }
  return {
    type: "LoadBalancer",
    annotations: {
      "service.beta.kubernetes.io/azure-load-balancer-internal": "true",
      ...(internalSubnetName !== undefined ? { "service.beta.kubernetes.io/azure-load-balancer-internal-subnet": internalSubnetName } : {}),
    },
  };
}

export function aksTarget(
  plan: Plan,
  options: AksOptions,
  names: WorkloadNames,
  storage: WorkloadStorage,
  ctx: CompileContext,
  provider: Provider,
  dependsOn: pulumi.Resource[],
  internalSubnetName: pulumi.Input<string> | undefined,
): KubernetesTarget {
  const prometheus = clusterPrometheus(ctx);
  return {
    placement: gpuPlacement(plan, names.nodePool, gpuTolerations(plan)),
    images: { training: AKS_DEFAULT_TRAINING_IMAGE, inference: DEFAULT_INFERENCE_IMAGE },
    exposure: (p) => aksExposure(p, options, internalSubnetName),
    storage,
    opts: { parent: ctx.parent, provider },
    dependsOn,
    // The GPU Operator this component installs (driver and toolkit on) creates the `nvidia` RuntimeClass and its handler.
    ...(installsClusterAddons(options) ? { gpuRuntimeClass: GPU_OPERATOR_RUNTIME_CLASS } : {}),
    // Azure Monitor managed Prometheus, when infrastructure.ts built it: the fleet scales on its servers' queue there.
    ...(prometheus ? { prometheus } : {}),
  };
}
