/** The shapes of the fabric's two sides (lib/fabric). */
import type * as k8s from "@pulumi/kubernetes/types/input";
import type { FabricKind } from "../catalog/types.js";

/** What each node is given. */
export interface NodeFabric {
  kind: FabricKind;
  /** Fabric NICs per node (EFA interfaces, GPU NICs, InfiniBand HCAs). */
  nics: number;
  /** Fabric bandwidth per node, Gbps. */
  gbps: number;
  /** MTU of the fabric networks, bytes (GCP GPU networks). */
  mtu?: number;
  /** Host (non-fabric) NICs per node. */
  hostNics?: number;
}

/** What a Kubernetes pod needs to get its node's fabric. */
export interface PodFabric {
  /** Extended resources to request (and limit), e.g. `vpc.amazonaws.com/efa: "32"`. */
  resources: Record<string, string>;
  /** Linux capabilities beyond the default-dropped set (RDMA memory registration needs IPC_LOCK). */
  capabilities: string[];
  /** Pod annotations (GKE multi-networking: the pod's interfaces on the GPU networks; NRI device injection). */
  annotations?: Record<string, string>;
  /** Native sidecars (init containers with `restartPolicy: Always`): GKE's receive-datapath manager for TCPX / TCPXO. */
  sidecars?: k8s.core.v1.Container[];
  /** Pod volumes the fabric needs (host paths of the NCCL plugin, the aperture devices). */
  volumes?: k8s.core.v1.Volume[];
  /** Where the workload container mounts them. */
  mounts?: k8s.core.v1.VolumeMount[];
  /**
   * Shell the workload runs (with bash) before its command: Google's NCCL environment script for the installed plugin
   * version. The workload command is then run with `exec`, so it must be given (the image's entrypoint cannot be wrapped).
   */
  entrypointPrelude?: string;
}

export interface FabricSides {
  node: NodeFabric;
  /** The NCCL / libfabric environment that keeps collectives on the fabric (empty without one). */
  env: Record<string, string>;
  /** Kubernetes only; absent without a fabric, or for an inference replica. */
  pod?: PodFabric;
}

/** Where the workload runs. */
export type Platform = "vm" | "kubernetes";
