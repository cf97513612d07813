/**
 * The ConfigMap holding the ND size's NCCL topology file, which the training pods mount at
 * /opt/nvidia-topology/topo.xml (lib/fabric/nd-topology.ts says why and where the file comes from). One per
 * namespace, named `gpu-cluster-nccl-topology`: the component owns its namespace, so the name cannot collide.
 */
import type * as pulumi from "@pulumi/pulumi";
import { ConfigMap } from "@pulumi/kubernetes/core/v1";
import type { Namespace } from "@pulumi/kubernetes/core/v1";
import { fabricSides, ND_TOPOLOGY_MOUNT, ndTopology } from "../../../fabric/index.js";
import type { Plan } from "../../../planner/types.js";
import type { WorkloadNames } from "../../kubernetes/names.js";
import type { CompileContext } from "../../types.js";

/** The ConfigMap, when the plan's pods mount one (training on an ND size with InfiniBand); undefined otherwise. */
export function ndTopologyConfigMap(plan: Plan, names: WorkloadNames, namespace: Namespace, ctx: CompileContext, opts: pulumi.CustomResourceOptions): ConfigMap | undefined {
  const topology = ndTopology(plan.instanceType);
  const mounted = fabricSides(plan, "kubernetes").pod?.volumes?.some((v) => v.name === ND_TOPOLOGY_MOUNT.volume) === true;
  if (!topology || !mounted) return undefined;
  return new ConfigMap(
    `${ctx.name}-nccl-topology`,
    {
      metadata: { name: ND_TOPOLOGY_MOUNT.configMap, namespace: namespace.metadata.name, labels: names.labels, annotations: { "gpu-cluster/topology": topology.name } },
      data: { [ND_TOPOLOGY_MOUNT.file]: topology.xml },
    },
    { ...opts, dependsOn: [namespace] },
  );
}
