/** EKS's parameters of the shared Kubernetes workload: node group affinity, its taint, images, S3, NLB exposure. */
import type * as pulumi from "@pulumi/pulumi";
import type { Provider } from "@pulumi/kubernetes/provider";
import { type KubernetesTarget, type ServiceExposure, type WorkloadStorage, gpuPlacement } from "../../kubernetes/target.js";
import type { WorkloadNames } from "../../kubernetes/names.js";
import { DEFAULT_INFERENCE_IMAGE, installsClusterAddons } from "../../kubernetes/options.js";
import { GPU_OPERATOR_RUNTIME_CLASS } from "../../kubernetes/node-health.js";
import { clusterPrometheus } from "../../kubernetes/cluster-prometheus.js";
import type { Plan } from "../../../planner/types.js";
import type { BomItem } from "../../../cost/bom/types.js";
import { billedOnce } from "../../shared/bill.js";
import type { CompileContext } from "../../types.js";
import type { AwsOptions } from "../options.js";
import { GPU_TAINT } from "./node-group.js";
import { EKS_DEFAULT_TRAINING_IMAGE } from "./options.js";

/** Well-known label the kubelet sets on every node. */

/**
 * The fleet's Service, from the bill's load balancer item. None (internal fleets): ClusterIP, reachable in the cluster,
 * like CoreWeave's. An internet-facing NLB: a LoadBalancer Service of type `nlb`, a Network Load Balancer terminating
 * TLS with `aws.certificateArn` (required by the AWS checks), admitting only `aws.eks.loadBalancerSourceRanges`. Any
 * other load balancer is one this compiler cannot make: an Error.
 */
export function eksExposure(bill: readonly BomItem[], options: AwsOptions): ServiceExposure {
  const balancer = billedOnce(bill, "load-balancer");
  if (balancer === undefined) return { type: "ClusterIP", annotations: {} };
  if (balancer.product !== "nlb" || balancer.scheme !== "internet-facing") {
    throw new Error(`gpu-cluster: an EKS fleet is exposed through an internet-facing NLB only, but the bill of materials carries ${JSON.stringify(balancer)}`);
  }
  return {
    type: "LoadBalancer",
    annotations: {
      "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
      "service.beta.kubernetes.io/aws-load-balancer-ssl-cert": options.certificateArn!,
      "service.beta.kubernetes.io/aws-load-balancer-ssl-ports": "http",
      "service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
    },
    ...(options.eks?.loadBalancerSourceRanges ? { sourceRanges: options.eks.loadBalancerSourceRanges } : {}),
  };
}

export function eksTarget(
  plan: Plan,
  options: AwsOptions,
  names: WorkloadNames,
  storage: WorkloadStorage,
  ctx: CompileContext,
  provider: Provider,
  dependsOn: pulumi.Resource[],
  vpcCidrs?: pulumi.Input<string[]>,
): KubernetesTarget {
  const prometheus = clusterPrometheus(ctx);
  return {
    // The VPC CNI gives pods VPC addresses: other pods and nodes are in the VPC's blocks (a secondary one with custom networking).
    ...(vpcCidrs !== undefined ? { podNetworkCidrs: vpcCidrs } : {}),
    placement: gpuPlacement(plan, names.nodePool, [{ key: GPU_TAINT.key, operator: "Exists", effect: GPU_TAINT.effect }]),
    images: { training: EKS_DEFAULT_TRAINING_IMAGE, inference: DEFAULT_INFERENCE_IMAGE },
    exposure: () => eksExposure(ctx.bill, options),
    storage,
    opts: { parent: ctx.parent, provider },
    dependsOn,
    // The GPU Operator this component installs creates the `nvidia` RuntimeClass (NVIDIA/gpu-operator
    // assets/pre-requisites/0200_runtime_class.yaml @a22dbf671); the AL2023 NVIDIA AMI's containerd has its handler.
    ...(installsClusterAddons(options.eks) ? { gpuRuntimeClass: GPU_OPERATOR_RUNTIME_CLASS } : {}),
    // Amazon Managed Service for Prometheus, when infrastructure.ts built it: the fleet scales on its servers' queue there.
    ...(prometheus ? { prometheus } : {}),
  };
}
