/**
 * GKE compiler (cloud "gcp", orchestrator "kubernetes"): a private GKE Standard cluster with multi-networking, the GPU
 * node pool with every GPU NIC as an additional node network, the GKE network objects and Google's NCCL plugin
 * DaemonSets, then the shared Kubernetes workload whose pods get one interface per GPU network.
 */
import * as pulumi from "@pulumi/pulumi";
import { guardedInference, guardedTraining } from "../../kubernetes/guarded.js";
import type { Plan } from "../../../planner/types.js";
import type { CloudCompiler, ClusterHandles, CompileContext, FleetHandles } from "../../types.js";
import { checkGcpOptions, type GcpOptions } from "../options.js";
import { gkeInfrastructure, type GkeInfrastructure } from "./infrastructure.js";
import { gkePlanNotes } from "./options.js";
import { gkeTarget } from "./target.js";

export type { GkeOptions } from "./options.js";
export { GKE_DEFAULT_TRAINING_IMAGE, GKE_OPTION_KEYS } from "./options.js";
export { GOOGLE_IMAGES, KUEUE_CHART, fabricDaemonSets } from "./bootstrap.js";
export { acceleratorType } from "./node-pool.js";

function handles(infra: GkeInfrastructure, ctx: CompileContext): ClusterHandles {
  const out: ClusterHandles = {
    nodeGroupId: infra.gpuPool.pool.id,
    networkId: infra.plane.networkId,
    subnetIds: pulumi.all(infra.subnetIds),
    // The NetworkPolicy is what admits traffic to the pods (the `securityGroupId` handle, as on CoreWeave and EKS).
    securityGroupId: pulumi.output(`${infra.names.namespace}/${infra.names.networkPolicy}`),
    storage: infra.storage.handles,
  };
  void ctx;
  if (infra.gpuPool.placementPolicy) out.placementGroupName = infra.gpuPool.placementPolicy.name;
  return out;
}

function target(plan: Plan, options: GcpOptions, infra: GkeInfrastructure, ctx: CompileContext) {
  // The workload waits for the node pools, the GPU networks' objects, every bootstrap DaemonSet and Kueue.
  const pools = [infra.gpuPool.pool, ...(infra.systemPool ? [infra.systemPool] : [])];
  return gkeTarget(plan, options, infra.names, infra.storage, ctx, infra.bootstrap.provider, [...pools, ...infra.bootstrap.ready], infra.network?.hostSubnet.id);
}

export function compileGkeTraining(plan: Plan, options: GcpOptions = {}, ctx: CompileContext): ClusterHandles {
  const infra = gkeInfrastructure(plan, options, ctx);
  // Nodes only: the user's own pods (with Google's datapath sidecar) use the GPUDirect networks.
  if (options.gke?.nodesOnly === true) return handles(infra, ctx);
  const namespace = infra.namespace.metadata.name;
  const { workload } = guardedTraining(plan, options.gke ?? {}, infra.names, namespace, target(plan, options, infra, ctx), ctx);
  const out = handles(infra, ctx);
  if (workload.acceptance) out.acceptance = workload.acceptance.handle;
  return out;
}

export function compileGkeInference(plan: Plan, options: GcpOptions = {}, ctx: CompileContext): FleetHandles {
  const infra = gkeInfrastructure(plan, options, ctx);
  const namespace = infra.namespace.metadata.name;
  const { workload } = guardedInference(plan, options.gke ?? {}, infra.names, namespace, target(plan, options, infra, ctx), ctx);
  return { ...handles(infra, ctx), endpointUrl: workload.endpointUrl };
}

/** The GCP option checks (including `gcp.gke`), then the notes a GKE plan carries. */
function checkGkeCompilerOptions(plan: Plan, options: GcpOptions | undefined): void {
  checkGcpOptions(plan, options);
  plan.notes.push(...gkePlanNotes(plan, options?.gke));
  // Joining an existing cluster: its control plane (and network) is already paid for, so the estimate leaves them out.
  plan.kubernetesCluster = options?.gke?.clusterName !== undefined ? "existing" : "created";
}

export const gkeCompiler: CloudCompiler<unknown> = {
  checkOptions: checkGkeCompilerOptions as CloudCompiler<unknown>["checkOptions"],
  compileTraining: ((plan: Plan, options: GcpOptions | undefined, ctx: CompileContext) => compileGkeTraining(plan, options, ctx)) as CloudCompiler<unknown>["compileTraining"],
  compileInference: ((plan: Plan, options: GcpOptions | undefined, ctx: CompileContext) => compileGkeInference(plan, options, ctx)) as CloudCompiler<unknown>["compileInference"],
};
