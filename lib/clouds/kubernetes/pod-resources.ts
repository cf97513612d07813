/**
 * What one GPU pod requests of its Node, as plain data (no Kubernetes SDK): the share of the Node's CPU and memory,
 * its GPUs and the fabric's devices. The pod builder (./pod.ts) and Kueue's quota (./kueue-policy.ts) both read it, and
 * the plan notes run without the Kubernetes SDK installed.
 */
import type * as k8s from "@pulumi/kubernetes/types/input";
import { fabricSides, type PodFabric } from "../../fabric/index.js";
import type { Plan } from "../../planner/types.js";
import { coreweaveManifestPodResources, type ManifestPodResources } from "../coreweave/manifest-pod-resources.js";

/** Share of a Node's vCPUs and RAM one pod requests, from CoreWeave's own NCCL manifests (110 CPU / 960Gi on 128 vCPU / 2 TB H100 Nodes); the rest is the kubelet's and the cluster's daemons'. */
const CPU_SHARE = 0.85;
const MEMORY_SHARE = 0.45;
/** A cloud's own per-type pod CPU and memory, where its manifests give them; CPU_SHARE (no limit) and MEMORY_SHARE elsewhere. */
const MANIFEST_RESOURCES: Partial<Record<Plan["cloud"], (plan: Plan) => ManifestPodResources | undefined>> = { coreweave: coreweaveManifestPodResources };

/**
 * The fabric's pod side for a training plan with a fabric: device requests (EFA, InfiniBand), or GKE's interfaces,
 * sidecar and host mounts. An inference replica is one Node (tensor parallelism over NVLink / PCIe), so it gets none.
 */
export function podFabric(plan: Plan): PodFabric | undefined {
  return fabricSides(plan, "kubernetes").pod;
}

/**
 * GPUs one pod requests: the whole Node for training (one rank set per Node); a fleet's `gpusPerReplica`, so that
 * `replicasPerNode` pods share a Node (lib/planner/packing.ts). A plan made before packing: the whole Node.
 */
export function gpusPerPod(plan: Pick<Plan, "workload" | "gpusPerNode" | "gpusPerReplica">): number {
  return plan.workload === "inference" ? Math.min(plan.gpusPerReplica ?? plan.gpusPerNode, plan.gpusPerNode) : plan.gpusPerNode;
}

export function podResources(plan: Plan): k8s.core.v1.ResourceRequirements {
  const gpus = String(gpusPerPod(plan));
  const own = MANIFEST_RESOURCES[plan.cloud]?.(plan);
  // Packed fleet pods split the Node's CPU and memory share evenly, so replicasPerNode of them fit beside the daemons.
  const sharers = plan.workload === "inference" ? (plan.replicasPerNode ?? 1) : 1;
  const memory = `${own?.gib ?? Math.floor((plan.instance.memoryGiB * MEMORY_SHARE) / sharers)}Gi`;
  // The fabric's extended resources (rdma/ib: 1 on CKS gives every HCA; vpc.amazonaws.com/efa: one per interface).
  const fabric: Record<string, string> = podFabric(plan)?.resources ?? {};
  const cpu = String(own?.cpu ?? Math.floor((plan.instance.vcpus * CPU_SHARE) / sharers));
  return {
    requests: { cpu, memory, "nvidia.com/gpu": gpus, ...fabric },
    // No CPU limit (throttling a data loader stalls every GPU of the collective), unless the cloud's manifest sets one
    // equal to the request (CoreWeave GB200 / GB300).
    limits: { ...(own?.cpuLimit ? { cpu } : {}), memory, "nvidia.com/gpu": gpus, ...fabric },
  };
}

