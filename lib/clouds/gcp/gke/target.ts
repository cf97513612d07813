/** GKE's parameters of the shared Kubernetes workload: node pool affinity, GKE's GPU taint, images, exposure. */
import type * as pulumi from "@pulumi/pulumi";
import type { Provider } from "@pulumi/kubernetes/provider";
import { type KubernetesTarget, type ServiceExposure, type WorkloadStorage, gpuPlacement } from "../../kubernetes/target.js";
import type { WorkloadNames } from "../../kubernetes/names.js";
import { DEFAULT_INFERENCE_IMAGE } from "../../kubernetes/options.js";
import type { Plan } from "../../../planner/types.js";
import type { CompileContext } from "../../types.js";
import { addressPlan } from "../network.js";
import type { GcpOptions } from "../options.js";
import { GPU_TAINT } from "./node-pool.js";
import { GKE_DEFAULT_TRAINING_IMAGE } from "./options.js";


/** The annotation that makes a GKE LoadBalancer Service an internal passthrough Network Load Balancer. */
import { clusterPrometheus } from "../../kubernetes/cluster-prometheus.js";
export const GKE_INTERNAL_LB = { "networking.gke.io/load-balancer-type": "Internal" } as const;

/**
 * Internal fleets: an internal passthrough Network Load Balancer (a LoadBalancer Service with GKE's `Internal`
 * annotation, https://cloud.google.com/kubernetes-engine/docs/how-to/internal-load-balancing, read 2026-11-30), so
 * clients in the VPC reach the fleet as the VM path's internal load balancer lets them, admitting the component's own
 * network block (`gcp.networkCidr`; `gcp.gke.loadBalancerSourceRanges` instead when given: peered networks, a VPN).
 * With an existing cluster the component does not know its VPC's ranges: without `loadBalancerSourceRanges` the
 * address is still reachable only from that VPC and the networks connected to it.
 * Internet-facing: an external passthrough load balancer admitting only `gcp.gke.loadBalancerSourceRanges` (required
 * by the workload checks).
 */
export function gkeExposure(plan: Plan, options: GcpOptions): ServiceExposure {
  const given = options.gke?.loadBalancerSourceRanges;
  if (plan.service?.loadBalancer !== "internet-facing") {
    const ranges = given ?? (options.gke?.clusterName === undefined ? [addressPlan(options).network] : undefined);
    return { type: "LoadBalancer", annotations: { ...GKE_INTERNAL_LB }, ...(ranges ? { sourceRanges: ranges } : {}) };
  }
  return { type: "LoadBalancer", annotations: {}, ...(given ? { sourceRanges: given } : {}) };
}

export function gkeTarget(plan: Plan, options: GcpOptions, names: WorkloadNames, storage: WorkloadStorage, ctx: CompileContext, provider: Provider, dependsOn: pulumi.Resource[]): KubernetesTarget {
  // Managed Service for Prometheus, when infrastructure.ts gave KEDA its identity: the fleet scales on its servers' queue there.
  const prometheus = clusterPrometheus(ctx);
  return {
    placement: gpuPlacement(plan, names.nodePool, [{ key: GPU_TAINT.key, operator: "Exists", effect: GPU_TAINT.effect }]),
    images: { training: GKE_DEFAULT_TRAINING_IMAGE, inference: DEFAULT_INFERENCE_IMAGE },
    exposure: (p) => gkeExposure(p, options),
    storage,
    opts: { parent: ctx.parent, provider },
    dependsOn,
    ...(prometheus ? { prometheus } : {}),
  };
}
