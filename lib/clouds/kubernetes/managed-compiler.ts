/**
 * One builder for the managed-Kubernetes compilers (EKS, GKE, AKS). Each builds the same way: the cloud's
 * infrastructure (network, cluster or an existing one, GPU pool, bootstrap, namespace, storage), then the shared
 * workload behind its NetworkPolicies (./guarded.ts) on the cloud's target, then the handles a user needs next. What
 * differs is a small table per cloud (lib/clouds/<cloud>/<eks|gke|aks>/index.ts), passed in here.
 *
 * No cloud SDK is imported here: each compiler loads only its own cloud's SDK (lib/components/compilers.ts,
 * test/package.test.ts), and this module is shared by all three.
 */
import type { Namespace } from "@pulumi/kubernetes/core/v1";
import type { Plan } from "../../planner/types.js";
import type { CloudCompiler, ClusterHandles, CompileContext, FleetHandles, OptionCheck } from "../types.js";
import { guardedInference, guardedTraining } from "./guarded.js";
import type { WorkloadNames } from "./names.js";
import type { ManagedClusterOptions } from "./options.js";
import type { KubernetesTarget } from "./target.js";

/** The cluster options each cloud nests under its key (`aws.eks`, `gcp.gke`, `azure.aks`), as far as the builder reads them. */
export interface ManagedClusterBag extends ManagedClusterOptions {
  /** An existing cluster to join instead of creating one. Default: a new cluster. */
  clusterName?: string;
  /** GKE: build the cluster and GPU pool only, no workload (training). Default false. */
  nodesOnly?: boolean;
}

/** What the shared workload needs from a cloud's infrastructure. */
export interface ManagedInfrastructure {
  names: WorkloadNames;
  namespace: Namespace;
}

/** What differs between the managed-Kubernetes clouds. */
export interface ManagedKubernetesParts<Key extends string, Options extends { [K in Key]?: ManagedClusterBag }, Infra extends ManagedInfrastructure> {
  /** The key of the cluster options in the cloud's option bag: `eks`, `gke` or `aks`. */
  optionKey: Key;
  /** The cloud's resources: network, cluster (or the existing one), GPU pool, bootstrap, namespace and storage. */
  infrastructure(plan: Plan, options: Options, ctx: CompileContext): Infra;
  /** The handles a user needs next (node group, network, subnets, the filter admitting traffic, storage). */
  handles(infra: Infra, options: Options): ClusterHandles;
  /** How the shared workload runs on this cloud (placement, images, exposure, storage, what it waits for). */
  target(plan: Plan, options: Options, infra: Infra, ctx: CompileContext): KubernetesTarget;
  /**
   * The target's option check (throws SpecError): the notes its plans carry, in order, and whether the cluster is
   * created or joined. Its descriptor's (lib/cost/bom/option-checks.ts), so the bill reads the same rule. Reads the plan only.
   */
  checkOptions(plan: Readonly<Plan>, options: Options | undefined): OptionCheck;
  /** The cloud takes `<optionKey>.nodesOnly: true` (a training cluster of nodes only, no workload). Default false. */
  nodesOnly?: boolean;
}

/** A managed-Kubernetes compiler from the table of what its cloud does differently. */
export function managedKubernetesCompiler<Key extends string, Options extends { [K in Key]?: ManagedClusterBag }, Infra extends ManagedInfrastructure>(
  parts: ManagedKubernetesParts<Key, Options, Infra>,
): CloudCompiler<Options> {
  const cluster = (options: Options | undefined): ManagedClusterBag => options?.[parts.optionKey] ?? {};
  return {
    // The descriptor's check: it also says whether the cluster is joined (by name), whose fees the estimate leaves out.
    checkOptions: parts.checkOptions,
    compileTraining(plan: Plan, options: Options | undefined, ctx: CompileContext): ClusterHandles {
      const o = options ?? ({} as Options);
      const infra = parts.infrastructure(plan, o, ctx);
      // Nodes only: the user's own pods use the GPU nodes (on GKE, with Google's datapath sidecar for GPUDirect).
      if (parts.nodesOnly === true && cluster(o).nodesOnly === true) return parts.handles(infra, o);
      const { workload } = guardedTraining(plan, cluster(o), infra.names, infra.namespace.metadata.name, parts.target(plan, o, infra, ctx), ctx);
      const out = parts.handles(infra, o);
      if (workload.acceptance) out.acceptance = workload.acceptance.handle;
      if (workload.acceptance?.pairs[0]) out.crossRackAcceptance = workload.acceptance.pairs[0].handle;
      return out;
    },
    compileInference(plan: Plan, options: Options | undefined, ctx: CompileContext): FleetHandles {
      const o = options ?? ({} as Options);
      const infra = parts.infrastructure(plan, o, ctx);
      const { workload } = guardedInference(plan, cluster(o), infra.names, infra.namespace.metadata.name, parts.target(plan, o, infra, ctx), ctx);
      return { ...parts.handles(infra, o), endpointUrl: workload.endpointUrl };
    },
  };
}
