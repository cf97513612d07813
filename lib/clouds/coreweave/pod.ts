/**
 * The GPU pod both workloads run: one pod per Node holding every GPU of the Node, the InfiniBand resource when a
 * training plan has the fabric, affinity to the component's NodePool, the NCCL environment, a memory-backed /dev/shm,
 * and no privileges beyond IPC_LOCK (RDMA memory registration) when InfiniBand needs it.
 */
import type * as k8s from "@pulumi/kubernetes/types/input";
import { fabricSides } from "../../fabric/index.js";
import type { Plan } from "../../planner/types.js";
import { GPU_TAINT, INSTANCE_TYPE_LABEL, POOL_LABEL, type CoreWeaveNames } from "./names.js";
import { COREWEAVE_DEFAULTS, type CoreWeaveOptions } from "./options.js";

/** Share of a Node's vCPUs and RAM one pod requests, from CoreWeave's own NCCL manifests (110 CPU / 960Gi on 128 vCPU / 2 TB H100 Nodes); the rest is the kubelet's and CoreWeave's daemons'. */
const CPU_SHARE = 0.85;
const MEMORY_SHARE = 0.45;

/** NCCL / UCX environment of the pods (from lib/fabric: CoreWeave's documented IB settings, or IB disabled without the fabric). */
export function ncclEnvironment(plan: Plan): Record<string, string> {
  return fabricSides(plan, "kubernetes").env;
}

/**
 * True when the pods get the RDMA device and IPC_LOCK: training on an InfiniBand plan. An inference replica is one
 * Node (tensor parallelism over NVLink / PCIe), so it has no use for the fabric and gets no capability for it.
 */
export function usesInfiniBand(plan: Plan): boolean {
  return fabricSides(plan, "kubernetes").pod !== undefined;
}

export function podResources(plan: Plan): k8s.core.v1.ResourceRequirements {
  const gpus = String(plan.gpusPerNode);
  const memory = `${Math.floor(plan.instance.memoryGiB * MEMORY_SHARE)}Gi`;
  // rdma/ib is a scheduling flag on CKS, not a device count: 1 gives the pod every HCA of the Node.
  const rdma: Record<string, string> = fabricSides(plan, "kubernetes").pod?.resources ?? {};
  return {
    requests: { cpu: String(Math.floor(plan.instance.vcpus * CPU_SHARE)), memory, "nvidia.com/gpu": gpus, ...rdma },
    // No CPU limit: throttling a data loader stalls every GPU of the collective.
    limits: { memory, "nvidia.com/gpu": gpus, ...rdma },
  };
}

export interface PodParts {
  image: string;
  command?: string[];
  args?: string[];
  /** Environment before the user's `env` (which wins). */
  env: Record<string, string>;
  ports: k8s.core.v1.ContainerPort[];
  volumes: k8s.core.v1.Volume[];
  mounts: k8s.core.v1.VolumeMount[];
  envFrom: k8s.core.v1.EnvFromSource[];
  runAsNonRoot: boolean;
  probes?: Pick<k8s.core.v1.Container, "readinessProbe" | "livenessProbe" | "startupProbe">;
}

export function gpuPodSpec(plan: Plan, options: CoreWeaveOptions, names: CoreWeaveNames, parts: PodParts): k8s.core.v1.PodSpec {
  const ib = usesInfiniBand(plan);
  const shmGiB = options.shmSizeGiB ?? COREWEAVE_DEFAULTS.shmSizeGiB;
  const uid = options.runAsUser ?? COREWEAVE_DEFAULTS.runAsUser;
  const env = { ...ncclEnvironment(plan), ...parts.env, ...(options.env ?? {}) };
  const identity = parts.runAsNonRoot ? { runAsNonRoot: true, runAsUser: uid, runAsGroup: uid } : {};
  return {
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    securityContext: { ...identity, ...(parts.runAsNonRoot ? { fsGroup: uid } : {}), seccompProfile: { type: "RuntimeDefault" } },
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            {
              matchExpressions: [
                { key: POOL_LABEL, operator: "In", values: [names.nodePool] },
                { key: INSTANCE_TYPE_LABEL, operator: "In", values: [plan.instanceType] },
              ],
            },
          ],
        },
      },
    },
    tolerations: [{ key: GPU_TAINT.key, operator: "Exists", effect: GPU_TAINT.effect }],
    containers: [
      {
        name: plan.workload === "training" ? "trainer" : "server",
        image: parts.image,
        ...(parts.command ? { command: parts.command } : {}),
        ...(parts.args ? { args: parts.args } : {}),
        env: Object.entries(env).map(([name, value]) => ({ name, value })),
        ...(parts.envFrom.length ? { envFrom: parts.envFrom } : {}),
        ports: parts.ports,
        resources: podResources(plan),
        securityContext: {
          ...identity,
          privileged: false,
          allowPrivilegeEscalation: false,
          // Verbs pins NCCL's buffers in RAM (memlock); nothing else needs a capability.
          capabilities: ib ? { drop: ["ALL"], add: fabricSides(plan, "kubernetes").pod!.capabilities } : { drop: ["ALL"] },
        },
        volumeMounts: [{ name: "dshm", mountPath: "/dev/shm" }, ...parts.mounts],
        ...(parts.probes ?? {}),
      },
    ],
    // The container's 64 MiB /dev/shm default breaks NCCL's shared-memory transport and PyTorch data loaders.
    volumes: [{ name: "dshm", emptyDir: { medium: "Memory", sizeLimit: `${shmGiB}Gi` } }, ...parts.volumes],
  };
}
