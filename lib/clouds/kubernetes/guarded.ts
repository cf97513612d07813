/**
 * The component's workload behind its NetworkPolicies, as every Kubernetes compiler builds it: the namespace denies
 * ingress by default and scopes egress (security.ts); training pods admit only each other (rendezvous, NCCL
 * bootstrap), a fleet's pods only their serving port. A PodDisruptionBudget keeps drains off running training pods
 * and lets a fleet lose one replica at a time (upgrades.ts); the node health gate takes a node whose GPUs or fabric NICs
 * fail out of service with its reason (node-health.ts).
 */
import { gkePodMonitoring } from "./metrics.js";
import type * as pulumi from "@pulumi/pulumi";
import type { NetworkPolicy } from "@pulumi/kubernetes/networking/v1";
import type { Plan } from "../../planner/types.js";
import type { CompileContext } from "../types.js";
import { inferenceWorkload, type InferenceWorkload } from "./inference.js";
import type { WorkloadNames } from "./names.js";
import type { ManagedClusterOptions } from "./options.js";
import { ingressPolicy, namespacePolicies } from "./security.js";
import type { KubernetesTarget } from "./target.js";
import { trainingWorkload, type TrainingWorkload } from "./training.js";
import { disruptionBudget } from "./upgrades.js";
import { nodeHealthGate } from "./node-health.js";

export function guardedTraining(
  plan: Plan,
  options: ManagedClusterOptions,
  names: WorkloadNames,
  namespace: pulumi.Input<string>,
  target: KubernetesTarget,
  ctx: CompileContext,
): { policy: NetworkPolicy; workload: TrainingWorkload } {
  namespacePolicies(plan, names, namespace, ctx, target.opts, target.podNetworkCidrs);
  const policy = ingressPolicy(names, namespace, { fromOwnPods: true }, ctx, target.opts);
  disruptionBudget(plan, names, namespace, ctx, target.opts);
  nodeHealthGate(plan, names, namespace, target.placement, ctx, target.opts, target.gpuRuntimeClass);
  return { policy, workload: trainingWorkload(plan, options, names, namespace, target, ctx) };
}

export function guardedInference(
  plan: Plan,
  options: ManagedClusterOptions,
  names: WorkloadNames,
  namespace: pulumi.Input<string>,
  target: KubernetesTarget,
  ctx: CompileContext,
): { policy: NetworkPolicy; workload: InferenceWorkload } {
  namespacePolicies(plan, names, namespace, ctx, target.opts, target.podNetworkCidrs);
  const from = target.exposure(plan).ingressFrom;
  const policy = ingressPolicy(names, namespace, { port: plan.service!.port, ...(from ? { from } : {}) }, ctx, target.opts);
  disruptionBudget(plan, names, namespace, ctx, target.opts);
  nodeHealthGate(plan, names, namespace, target.placement, ctx, target.opts, target.gpuRuntimeClass);
  // GKE: Managed Prometheus scrapes the servers (elsewhere the pods' scrape annotations serve the team's Prometheus).
  if (plan.cloud === "gcp") gkePodMonitoring(plan, names, namespace, ctx, target.opts);
  return { policy, workload: inferenceWorkload(plan, options, names, namespace, target, ctx) };
}
