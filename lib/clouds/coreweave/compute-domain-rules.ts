/**
 * When a CoreWeave plan needs a ComputeDomain (./compute-domain.ts builds it) and what it tells the user, as plain
 * functions: the option checks read them without loading @pulumi/kubernetes (test/package.test.ts).
 */
import { nvlinkDomain } from "../../fabric/index.js";
import { fabricFloor } from "../../fabric/floors.js";
import type { Plan } from "../../planner/types.js";

/** Whether the plan needs a ComputeDomain: training on an instance type whose NVLink domain spans nodes. */
export function needsComputeDomain(plan: Plan): boolean {
  return plan.workload === "training" && plan.fabric.kind !== "none" && nvlinkDomain(plan.instanceType) !== undefined;
}

/** What a plan with a ComputeDomain tells the user: the racks it fills, and what the cluster must run. */
export function computeDomainNotes(plan: Plan): string[] {
  const domain = nvlinkDomain(plan.instanceType);
  if (!domain || !needsComputeDomain(plan)) return [];
  const racks = plan.nodeCount / domain.nodesPerDomain;
  const gpus = domain.nodesPerDomain * plan.gpusPerNode;
  const crossFloor = fabricFloor(plan.instance, "across-nvlink-domains");
  return [
    `${plan.instanceType}: ${racks} whole NVLink rack${racks === 1 ? "" : "s"} of ${domain.nodesPerDomain} Nodes (${gpus} GPUs each, ${domain.source}); the pods claim the IMEX channel of one ComputeDomain ` +
      `(resource.nvidia.com/v1beta1), so the cluster must run NVIDIA's DRA driver for GPUs, and ${racks === 1 ? "share one NVLink domain (required affinity on nvidia.com/gpu.clique)" : `are packed by NVLink domain (preferred affinity on nvidia.com/gpu.clique); NCCL crosses racks over InfiniBand; the acceptance test's two pods share one NVLink domain (required affinity), and a second pair, one pod in each of two racks (required anti-affinity on nvidia.com/gpu.clique) with multi-node NVLink off (NCCL_MNNVL_ENABLE=0), checks InfiniBand between racks${crossFloor ? ` against ${crossFloor.floorGBps} GB/s` : ""}`}`,
  ];
}
