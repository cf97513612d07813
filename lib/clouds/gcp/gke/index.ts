/**
 * GKE compiler (cloud "gcp", orchestrator "kubernetes"): a private GKE Standard cluster with multi-networking, the GPU
 * node pool with every GPU NIC as an additional node network, the GKE network objects and Google's NCCL plugin
 * DaemonSets, then the shared Kubernetes workload whose pods get one interface per GPU network.
 */
import * as pulumi from "@pulumi/pulumi";
import { managedKubernetesCompiler } from "../../kubernetes/managed-compiler.js";
import type { ClusterHandles } from "../../types.js";
import { gcpGkeOptionCheck } from "../../../cost/bom/option-checks.js";
import type { GcpOptions } from "../options.js";
import { gkeInfrastructure, type GkeInfrastructure } from "./infrastructure.js";
import { gkeTarget } from "./target.js";
import { effectiveGkeOptions } from "./options.js";
import type { Plan } from "../../../planner/types.js";

export type { GkeOptions } from "./options.js";
export { GKE_DEFAULT_TRAINING_IMAGE, GKE_OPTION_KEYS } from "./options.js";
export { GOOGLE_IMAGES, KUEUE_CHART, fabricDaemonSets } from "./bootstrap.js";
export { acceleratorType } from "./node-pool.js";

function handles(infra: GkeInfrastructure): ClusterHandles {
  const out: ClusterHandles = {
    nodeGroupId: infra.gpuPool.pool.id,
    networkId: infra.plane.networkId,
    subnetIds: pulumi.all(infra.subnetIds),
    // The NetworkPolicy is what admits traffic to the pods (the `securityGroupId` handle, as on CoreWeave and EKS).
    securityGroupId: pulumi.output(`${infra.names.namespace}/${infra.names.networkPolicy}`),
    storage: infra.storage.handles,
  };
  if (infra.gpuPool.placementPolicy) out.placementGroupName = infra.gpuPool.placementPolicy.name;
  return out;
}

const compiler = managedKubernetesCompiler<"gke", GcpOptions, GkeInfrastructure>({
  optionKey: "gke",
  infrastructure: gkeInfrastructure,
  handles,
  target: (plan, options, infra, ctx) => {
    // The workload waits for the node pools, the GPU networks' objects, every bootstrap DaemonSet and Kueue.
    const pools = [infra.gpuPool.pool, ...(infra.systemPool ? [infra.systemPool] : [])];
    return gkeTarget(plan, options, infra.names, infra.namespace.metadata.name, infra.storage, ctx, infra.bootstrap.provider, [...pools, ...infra.bootstrap.ready], infra.network?.hostSubnet.id);
  },
  // The target descriptor's option check (lib/cost/bom): the GCP checks, the GKE notes and the cluster mode.
  checkOptions: gcpGkeOptionCheck,
  // Nodes only: the user's own pods (with Google's datapath sidecar) use the GPUDirect networks.
  nodesOnly: true,
});

/** The GCP options with `gcp.gke` as the build reads it: Kueue on in the queued flex-start mode (./options.ts). */
function effective(plan: Plan, options: GcpOptions | undefined): GcpOptions | undefined {
  const gke = effectiveGkeOptions(plan, options?.gke);
  return gke === options?.gke ? options : { ...options, gke };
}

export const gkeCompiler: typeof compiler = {
  ...compiler,
  compileTraining: (plan, options, ctx) => compiler.compileTraining(plan, effective(plan, options), ctx),
};

export const compileGkeTraining = gkeCompiler.compileTraining;
export const compileGkeInference = gkeCompiler.compileInference;
