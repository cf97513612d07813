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

/**
 * An internal Azure load balancer in the component's load balancer subnet, reached from the cluster's VNet (a new
 * cluster's NSG gives peered networks no implicit access, infrastructure.ts). Internet-facing AKS fleets are refused
 * by the checks (`checkAksExposure`: the Standard Load Balancer cannot terminate TLS), so this is every AKS fleet's
 * exposure.
 */
export function aksExposure(internalSubnetName: pulumi.Input<string> | undefined): ServiceExposure {
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
  const scratch = aksScratchVolume(plan);
  return {
    // On ND sizes the pods' /scratch is the node's local NVMe array, which ./local-nvme.ts mounts.
    placement: { ...gpuPlacement(plan, names.nodePool, gpuTolerations(plan)), ...(scratch ? { scratch } : {}) },
    images: { training: AKS_DEFAULT_TRAINING_IMAGE, inference: DEFAULT_INFERENCE_IMAGE },
    exposure: () => aksExposure(internalSubnetName),
    storage,
    opts: { parent: ctx.parent, provider },
    dependsOn,
    // The GPU Operator this component installs (driver and toolkit on) creates the `nvidia` RuntimeClass and its handler.
    ...(installsClusterAddons(options) ? { gpuRuntimeClass: GPU_OPERATOR_RUNTIME_CLASS } : {}),
    // Azure Monitor managed Prometheus, when infrastructure.ts built it: the fleet scales on its servers' queue there.
    ...(prometheus ? { prometheus } : {}),
  };
}
