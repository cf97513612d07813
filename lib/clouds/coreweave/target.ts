/** CoreWeave's parameters of the shared Kubernetes workload: NodePool affinity, its taint, images, storage, public LBs. */
import type * as pulumi from "@pulumi/pulumi";
import type * as k8s from "@pulumi/kubernetes/types/input";
import { type KubernetesTarget, type ServiceExposure, type WorkloadStorage, gpuPlacement } from "../kubernetes/target.js";
import type { Plan } from "../../planner/types.js";
import type { BomItem } from "../../cost/bom/types.js";
import { billedOnce } from "../shared/bill.js";
import type { ComputeDomainParts } from "./compute-domain.js";
import { ingressEndpoint } from "./ingress.js";
import { leafGroupAffinity } from "./leaf-group.js";
import { GPU_TAINT, type CoreWeaveNames } from "./names.js";
import { DEFAULT_INFERENCE_IMAGE, DEFAULT_TRAINING_IMAGE, type CoreWeaveOptions } from "./options.js";

/**
 * The label that lets CKS maintain or scale down a Node while a fleet pod runs on it: "gracefully interruptible", CKS
 * blocks the Node action until the pod terminates or its terminationGracePeriodSeconds expires; a pod with no label is
 * non-interruptible, and CKS "will not proceed with Node maintenance or scale-down while these Pods are running"
 * (https://docs.coreweave.com/support/cks/articles/what-are-interruptible-labels-and-how-do-they-affect-node-maintenance,
 * last modified 2026-06-18, read 2026-12-01). A fleet pod drains on SIGTERM within its grace period and the fleet serves
 * on its other replicas, so it is one; a training pod is left unlabelled (non-interruptible), as that page advises
 * for critical training jobs.
 */
export const GRACEFUL_INTERRUPTIBLE_LABEL = { "qos.coreweave.com/graceful-interruptible": "true" } as const;

export function coreweaveTarget(
  plan: Plan,
  options: CoreWeaveOptions,
  names: CoreWeaveNames,
  storage: WorkloadStorage,
  opts: pulumi.CustomResourceOptions,
  pool: pulumi.Resource,
  bill: readonly BomItem[],
  domain?: ComputeDomainParts,
): KubernetesTarget {
  // The public IP the bill carries (lib/cost/bom/coreweave.ts) is the LoadBalancer Service's: CKS gives one only to a
  // Service annotated public, so the Service is public exactly when the bill pays for its address.
  const publicAddress = billedOnce(bill, "public-ip");
  return {
    // NVL72: the IMEX channel (the node's by env, or a ComputeDomain's claim) and the NVLink-domain affinity (./compute-domain.ts).
    // Other InfiniBand training without Kueue: a preferred affinity to one leaf group (./leaf-group.ts).
    placement: { ...gpuPlacement(plan, names.nodePool, [{ key: GPU_TAINT.key, operator: "Exists", effect: GPU_TAINT.effect }]), ...leafGroupPlacement(plan, options, names), ...(domain?.placement ?? {}) },
    // NVL72 on 2 or more racks: a second check pair across racks, over InfiniBand (./compute-domain.ts).
    ...(domain?.checkPairs.length ? { checkPairs: domain.checkPairs } : {}),
    images: { training: DEFAULT_TRAINING_IMAGE, inference: DEFAULT_INFERENCE_IMAGE },
    // Without the annotation a CKS LoadBalancer gets a private address (docs: Expose a Service); internal fleets stay ClusterIP.
    // An internet-facing fleet behind the cluster's Traefik (`coreweave.ingress`, ./ingress.ts) is ClusterIP too, reached at https://<host>.
    exposure: (): ServiceExposure =>
      publicAddress !== undefined
        ? { type: "LoadBalancer", annotations: { "service.beta.kubernetes.io/coreweave-load-balancer-type": "public" }, ...(options.loadBalancerSourceRanges ? { sourceRanges: options.loadBalancerSourceRanges } : {}) }
        : { type: "ClusterIP", annotations: {}, ...(servedByIngress(plan, options) ? { endpointUrl: ingressEndpoint(names, options.ingress!) } : {}) },
    storage,
    opts,
    inferencePodLabels: { ...GRACEFUL_INTERRUPTIBLE_LABEL },
    dependsOn: [pool, ...(domain?.domain ? [domain.domain] : [])],
  };
}

/** The leaf-group affinity as a placement fragment (none when Kueue places the pods, or the plan has its own). */
function leafGroupPlacement(plan: Plan, options: CoreWeaveOptions, names: CoreWeaveNames): { podAffinity?: k8s.core.v1.PodAffinity } {
  const podAffinity = leafGroupAffinity(plan, options, names);
  return podAffinity ? { podAffinity } : {};
}

/** Whether the fleet is internet-facing behind the cluster's Traefik ingress (`coreweave.ingress`). */
export function servedByIngress(plan: Plan, options: CoreWeaveOptions): boolean {
  return plan.workload === "inference" && plan.service?.loadBalancer === "internet-facing" && options.ingress !== undefined;
}
