/** EKS compiler (cloud "aws", orchestrator "kubernetes"): the cluster and GPU node group, then the shared Kubernetes workload. */
import { guardedInference, guardedTraining } from "../../kubernetes/guarded.js";
import type { Plan } from "../../../planner/types.js";
import type { CloudCompiler, ClusterHandles, CompileContext, FleetHandles } from "../../types.js";
import { checkAwsOptions, type AwsOptions } from "../options.js";
import { eksInfrastructure, type EksInfrastructure } from "./infrastructure.js";
import { eksTarget } from "./target.js";

export type { EksOptions } from "./options.js";
import { eksPlanNotes } from "./options.js";
import { CAPACITY_BLOCK_DRAIN_MINUTES } from "../capacity-block.js";
export { CHARTS } from "./bootstrap.js";

function handles(infra: EksInfrastructure): ClusterHandles {
  const out: ClusterHandles = {
    nodeGroupId: infra.nodeGroup.id,
    networkId: infra.network.vpcId,
    subnetIds: infra.nodeSubnetIds,
    securityGroupId: infra.securityGroup.id,
    storage: infra.storage.handles,
  };
  if (infra.placementGroup) out.placementGroupName = infra.placementGroup.name;
  return out;
}

function target(plan: Plan, options: AwsOptions, infra: EksInfrastructure, ctx: CompileContext) {
  // The workload waits for the GPU nodes, every bootstrap release (the device plugins included) and its Pod Identity.
  return eksTarget(plan, options, infra.names, infra.storage, ctx, infra.bootstrap.provider, [infra.nodeGroup, ...infra.bootstrap.releases, ...infra.podIdentity], infra.network.cidrBlocks);
}

export function compileEksTraining(plan: Plan, options: AwsOptions = {}, ctx: CompileContext): ClusterHandles {
  const infra = eksInfrastructure(plan, options, ctx);
  const namespace = infra.namespace.metadata.name;
  const { workload } = guardedTraining(plan, options.eks ?? {}, infra.names, namespace, target(plan, options, infra, ctx), ctx);
  const out = handles(infra);
  if (workload.acceptance) out.acceptance = workload.acceptance.handle;
  return out;
}

export function compileEksInference(plan: Plan, options: AwsOptions = {}, ctx: CompileContext): FleetHandles {
  const infra = eksInfrastructure(plan, options, ctx);
  const namespace = infra.namespace.metadata.name;
  const { workload } = guardedInference(plan, options.eks ?? {}, infra.names, namespace, target(plan, options, infra, ctx), ctx);
  return { ...handles(infra), endpointUrl: workload.endpointUrl };
}

/** The AWS option checks, then the notes an EKS plan carries (a cluster fee already paid, the system node group). */
function checkEksOptions(plan: Plan, options: AwsOptions | undefined): void {
  checkAwsOptions(plan, options);
  plan.notes.push(...eksPlanNotes(plan, options?.eks));
  // Joining an existing cluster: its control plane (and network) is already paid for, so the estimate leaves them out.
  plan.kubernetesCluster = options?.eks?.clusterName !== undefined ? "existing" : "created";
  if (plan.pricing === "capacity-block" && plan.reservationId !== undefined) {
    plan.notes.push(
      `capacity block ${plan.reservationId}: the GPU node group is created at 0 nodes, scaled to ${plan.nodeCount} when the block starts and to 0 ${CAPACITY_BLOCK_DRAIN_MINUTES} minutes before it ends ` +
        "(scheduled actions on its Auto Scaling group); EKS upgrades a capacity-block node group only at desired size 0 (https://docs.aws.amazon.com/eks/latest/userguide/capacity-blocks-mng.html)",
    );
  }
  if (options?.eks?.clusterName !== undefined) {
    // A new cluster gets both add-ons from the component; an existing one keeps its own.
    plan.notes.push(
      `existing EKS cluster '${options.eks.clusterName}': the component's NetworkPolicies are enforced only if its vpc-cni add-on runs the network policy agent (configuration {"enableNetworkPolicy": "true"})` +
        (plan.storage.some((s) => s.kind === "object") ? ", and the pods reach their buckets only if it runs the eks-pod-identity-agent add-on" : ""),
    );
    if (plan.fabric.kind === "efa" && plan.instance.efaOnlyInterfaces === true && plan.fabric.nicsPerNode > 1) {
      plan.notes.push(
        `existing EKS cluster '${options.eks.clusterName}': the GPU nodes' extra network cards get efa-only interfaces, which its vpc-cni add-on handles from v1.18.4 on ` +
          "(github.com/terraform-aws-modules/terraform-aws-eks modules/eks-managed-node-group/variables.tf, enable_efa_only, read 2026-11-30); check it with `aws eks describe-addon --addon-name vpc-cni`",
      );
    }
  }
}

export const eksCompiler: CloudCompiler<AwsOptions> = {
  checkOptions: checkEksOptions,
  compileTraining: compileEksTraining,
  compileInference: compileEksInference,
};
