/** AKS's parameters of the shared Kubernetes workload: node pool affinity, its taints, images, the internal Azure load balancer. */
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
import { aksScratchVolume } from "./local-nvme.js";
import { AKS_DEFAULT_TRAINING_IMAGE, type AksOptions } from "./options.js";
import { billedInternalLoadBalancer } from "../bill.js";

/**
 * An internal Azure load balancer in the component's load balancer subnet, reached from the cluster's VNet (a new
 * cluster's NSG gives peered networks no implicit access, infrastructure.ts). This is every AKS fleet's exposure: an
 * internet-facing fleet's Application Gateway (../app-gateway.ts) forwards to it, at the fixed address `internalIp`
 * pins (the `service.beta.kubernetes.io/azure-load-balancer-ipv4` annotation, which replaces the deprecated
 * `spec.loadBalancerIP`: https://cloud-provider-azure.sigs.k8s.io/topics/loadbalancer/, read 2026-11-30).
 */
export function aksExposure(internalSubnetName: pulumi.Input<string> | undefined, internalIp?: string): ServiceExposure {
  return {
    type: "LoadBalancer",
    annotations: {
      "service.beta.kubernetes.io/azure-load-balancer-internal": "true",
      ...(internalSubnetName !== undefined ? { "service.beta.kubernetes.io/azure-load-balancer-internal-subnet": internalSubnetName } : {}),
      ...(internalIp !== undefined ? { "service.beta.kubernetes.io/azure-load-balancer-ipv4": internalIp } : {}),
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
  internalIp?: string,
): KubernetesTarget {
  const prometheus = clusterPrometheus(ctx);
  const scratch = aksScratchVolume(plan);
  return {
    // On ND sizes the pods' /scratch is the node's local NVMe array, which ./local-nvme.ts mounts.
    placement: { ...gpuPlacement(plan, names.nodePool, gpuTolerations(plan)), ...(scratch ? { scratch } : {}) },
    images: { training: AKS_DEFAULT_TRAINING_IMAGE, inference: DEFAULT_INFERENCE_IMAGE },
    // The Service's balancer is the one the bill prices: AKS makes an Azure Standard Load Balancer (the cluster's
    // `loadBalancerSku: standard`, cluster.ts), internal by the Service's annotation.
    exposure: () => {
      billedInternalLoadBalancer(ctx.bill, "the fleet's internal Standard Load Balancer (its Service)");
      return aksExposure(internalSubnetName, internalIp);
    },
    storage,
    opts: { parent: ctx.parent, provider },
    dependsOn,
    // The GPU Operator this component installs (driver and toolkit on) creates the `nvidia` RuntimeClass and its handler.
    ...(installsClusterAddons(options) ? { gpuRuntimeClass: GPU_OPERATOR_RUNTIME_CLASS } : {}),
    // Azure Monitor managed Prometheus, when infrastructure.ts built it: the fleet scales on its servers' queue there.
    ...(prometheus ? { prometheus } : {}),
  };
}
