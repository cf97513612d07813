/** GKE's parameters of the shared Kubernetes workload: node pool affinity, GKE's GPU taint, images, exposure. */
import type * as pulumi from "@pulumi/pulumi";
import type { Provider } from "@pulumi/kubernetes/provider";
import { type KubernetesTarget, type ServiceExposure, type WorkloadStorage, gpuPlacement } from "../../kubernetes/target.js";
import type { WorkloadNames } from "../../kubernetes/names.js";
import { DEFAULT_INFERENCE_IMAGE } from "../../kubernetes/options.js";
import type { Plan } from "../../../planner/types.js";
import type { CompileContext } from "../../types.js";
import type { GcpOptions } from "../options.js";
import { GPU_TAINT } from "./node-pool.js";
import { GKE_DEFAULT_TRAINING_IMAGE } from "./options.js";


/**
 * Internal fleets stay ClusterIP. Internet-facing: an external passthrough load balancer admitting only
 * `gcp.gke.loadBalancerSourceRanges` (required by the workload checks).
 */
export function gkeExposure(plan: Plan, options: GcpOptions): ServiceExposure {
  if (plan.service?.loadBalancer !== "internet-facing") return { type: "ClusterIP", annotations: {} };
  return { type: "LoadBalancer", annotations: {}, ...(options.gke?.loadBalancerSourceRanges ? { sourceRanges: options.gke.loadBalancerSourceRanges } : {}) };
}

export function gkeTarget(plan: Plan, options: GcpOptions, names: WorkloadNames, storage: WorkloadStorage, ctx: CompileContext, provider: Provider, dependsOn: pulumi.Resource[]): KubernetesTarget {
  return {
    placement: gpuPlacement(plan, names.nodePool, [{ key: GPU_TAINT.key, operator: "Exists", effect: GPU_TAINT.effect }]),
    images: { training: GKE_DEFAULT_TRAINING_IMAGE, inference: DEFAULT_INFERENCE_IMAGE },
    exposure: (p) => gkeExposure(p, options),
    storage,
    opts: { parent: ctx.parent, provider },
    dependsOn,
  };
}
