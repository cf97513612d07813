/**
 * What differs between managed Kubernetes clouds, as parameters of the shared workload: how pods reach the GPU
 * nodes, the default images, the storage volumes, how a fleet is exposed, and what the workload waits for.
 * The pod's fabric (device requests, capabilities, NCCL environment) is not a parameter: it comes from
 * `fabricSides(plan, "kubernetes")`, the one place both sides of the fabric are decided.
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as k8s from "@pulumi/kubernetes/types/input";
import type { GatePath } from "../../fabric/floors.js";
import type { Plan } from "../../planner/types.js";
import type { StorageHandle } from "../types.js";
import { INSTANCE_TYPE_LABEL, POOL_LABEL } from "./names.js";
import type { ClusterPrometheus } from "./cluster-prometheus.js";
import type { ProvisioningCheck } from "./kueue-policy.js";

/** How the pods select and tolerate the component's GPU nodes. */
export interface GpuNodePlacement {
  /** Required node affinity: every expression must match. */
  matchExpressions: k8s.core.v1.NodeSelectorRequirement[];
  /** Tolerations of the GPU nodes' taints. */
  tolerations: k8s.core.v1.Toleration[];
  /** Pod affinity among the component's pods (NVL72: one NVLink domain, by the cloud's rack or clique label). Default none. */
  podAffinity?: k8s.core.v1.PodAffinity;
  /**
   * The acceptance test's pod affinity where it differs from `podAffinity` (NVL72 across racks: the training pods are
   * packed by clique, the test's pair must share one, so it measures the NVLink domain its floor is read for). Default
   * `podAffinity`.
   */
  checkPodAffinity?: k8s.core.v1.PodAffinity;
  /** Pod anti-affinity among the component's pods (a check pair across NVLink domains, CheckPair). Default none. */
  podAntiAffinity?: k8s.core.v1.PodAntiAffinity;
  /** DRA claims every GPU pod makes, each also claimed by the workload container (NVL72: the IMEX channel). Default none. */
  resourceClaims?: k8s.core.v1.PodResourceClaim[];
  /** Environment the GPU nodes need of the pods, after the fabric's (CoreWeave NVL72: the node's IMEX channel). Default none. */
  env?: Record<string, string>;
  /**
   * The node-local scratch volume the pods mount at /scratch, when the cloud's compiler prepares one on the node (AKS:
   * a hostPath on the local NVMe array, azure/aks/local-nvme.ts). Default: the rule in pod.ts (EKS: an emptyDir).
   */
  scratch?: k8s.core.v1.Volume;
}

/**
 * A further acceptance-test pair, run by the same builder (./acceptance.ts) as its own check Job beside the default
 * one: NVL72 across racks, a pair in two NVLink domains over InfiniBand (lib/clouds/coreweave/compute-domain.ts).
 */
export interface CheckPair {
  /** Appended to the check's names (`<base>-nccl-check<suffix>`), e.g. "-ib"; short (the names stay within 63 characters). */
  suffix: string;
  /** The pair's pod affinity, anti-affinity and DRA claims: these replace the placement's (absent: none). */
  placement: Pick<GpuNodePlacement, "podAffinity" | "podAntiAffinity" | "resourceClaims">;
  /** NCCL settings over the fabric's, e.g. multi-node NVLink off. */
  env: Record<string, string>;
  /** The path the pair takes, which picks its floor (lib/fabric/floors.ts). */
  path: GatePath;
}

/**
 * Pods on this component's GPU pool (by its `gpu-cluster/pool` label) of the plan's instance type, tolerating
 * exactly the taints the pool puts on its nodes.
 */
export function gpuPlacement(plan: Plan, nodePool: string, tolerations: k8s.core.v1.Toleration[]): GpuNodePlacement {
  return {
    matchExpressions: [
      { key: POOL_LABEL, operator: "In", values: [nodePool] },
      { key: INSTANCE_TYPE_LABEL, operator: "In", values: [plan.instanceType] },
    ],
    tolerations,
  };
}

/** Volumes the cloud's storage gives the pods. */
export interface WorkloadStorage {
  handles: StorageHandle[];
  volumes: k8s.core.v1.Volume[];
  mounts: k8s.core.v1.VolumeMount[];
  envFrom: k8s.core.v1.EnvFromSource[];
}

/** How an inference fleet's Service is exposed. */
export interface ServiceExposure {
  type: "LoadBalancer" | "ClusterIP";
  /** Annotations beyond `pulumi.com/skipAwait` (the cloud's load balancer settings). */
  annotations: Record<string, pulumi.Input<string>>;
  /** Client CIDRs a LoadBalancer admits (set with `externalTrafficPolicy: Local`). */
  sourceRanges?: string[];
  /**
   * An address reserved for the load balancer (`spec.loadBalancerIP`). The fleet's `endpointUrl` is then
   * `http://<address>:<port>`, the address clients in the network reach, rather than the in-cluster DNS name. Default none.
   */
  address?: pulumi.Input<string>;
  /**
   * Where clients reach the fleet when something in front of the Service serves it (GKE: the internet-facing fleet's
   * Gateway, `https://<address>`): the fleet's `endpointUrl`. Default: from `address`, else the in-cluster DNS name.
   */
  endpointUrl?: pulumi.Input<string>;
  /**
   * The only sources (CIDRs) that reach the server pods from outside their namespace, when a proxy in front of the
   * Service is the only way in (GKE: the Gateway's Google Front Ends and health checkers). Default: any source on the
   * server port (clients of an internal load balancer keep their own addresses).
   */
  ingressFrom?: string[];
}

export interface KubernetesTarget {
  placement: GpuNodePlacement;
  /**
   * With Kueue: the ProvisioningRequest admission check the ClusterQueue requires, where the GPU nodes come only
   * through ProvisioningRequests (GKE flex-start with queued provisioning). The acceptance test is then queued too.
   * Default none.
   */
  provisioning?: ProvisioningCheck;
  /** Acceptance-test pairs beyond the default one (NVL72 across racks). Default none. */
  checkPairs?: CheckPair[];
  /**
   * Default container images: training with a `command` but no `image` (the cloud's nccl-tests build, with its fabric
   * plugins); inference. With neither image nor command, training runs the multi-node all-reduce (./workload-all-reduce.ts).
   */
  images: { training: string; inference: string };
  /** The inference Service's type and annotations. */
  exposure(plan: Plan): ServiceExposure;
  storage: WorkloadStorage;
  /** `{ parent, provider }` for every workload object. */
  opts: pulumi.CustomResourceOptions;
  /** What the Job / Deployment is created after (node pool, device plugins). */
  dependsOn: pulumi.Input<pulumi.Resource>[];
  /**
   * Address ranges where other pods and nodes have plain network addresses (EKS: the VPC, since the VPC CNI gives pods
   * VPC addresses and its policy agent matches by address). The scoped egress excludes them from "the outside" and
   * admits only the ports the workload needs there. Absent on overlay networks (GKE Dataplane V2, AKS Cilium overlay,
   * CKS), where an ipBlock never selects pods or nodes.
   */
  podNetworkCidrs?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * The runtime class that gives a pod the node's GPUs without a device-plugin request: the GPU Operator's `nvidia`
   * where this component installs the operator (EKS, AKS). It turns on the health gate's DCGM diagnostic
   * (node-health.ts). Default none: no diagnostic (GKE and CoreWeave run their own GPU checks).
   */
  gpuRuntimeClass?: string;
  /**
   * The cluster's managed Prometheus and KEDA's identity to query it (cluster-prometheus.ts): a fleet scales with KEDA
   * on its servers' queue there by default. Default none: the CPU HorizontalPodAutoscaler, unless `keda` is given.
   */
  prometheus?: ClusterPrometheus;
  /**
   * Extra labels on the inference pods only (not the Deployment's selector): the platform's own pod labels, e.g. CKS's
   * eviction strategy. Default none.
   */
  inferencePodLabels?: Record<string, string>;
}
