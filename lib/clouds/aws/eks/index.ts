/** EKS compiler (cloud "aws", orchestrator "kubernetes"): the cluster and GPU node group, then the shared Kubernetes workload. */
import { managedKubernetesCompiler } from "../../kubernetes/managed-compiler.js";
import type { CloudCompiler, ClusterHandles } from "../../types.js";
import { liveCapacityBlockPricing } from "../capacity-block-price.js";
import { awsEksOptionCheck } from "../../../cost/bom/option-checks.js";
import type { AwsOptions } from "../options.js";
import { eksInfrastructure, type EksInfrastructure } from "./infrastructure.js";
import { eksTarget } from "./target.js";
import * as pulumi from "@pulumi/pulumi";

export type { EksOptions } from "./options.js";
export { CHARTS } from "./bootstrap.js";

function handles(infra: EksInfrastructure): ClusterHandles {
  const out: ClusterHandles = {
    nodeGroupId: infra.nodeGroup.id,
    networkId: infra.network.vpcId,
    subnetIds: infra.nodeSubnetIds,
    securityGroupId: infra.securityGroup.id,
    storage: infra.storage.handles,
  };
  if (infra.placementGroup) out.placementGroupName = pulumi.output(infra.placementGroup.name);
  return out;
}

export const eksCompiler: CloudCompiler<AwsOptions> = {
  ...managedKubernetesCompiler<"eks", AwsOptions, EksInfrastructure>({
    optionKey: "eks",
    infrastructure: eksInfrastructure,
    handles,
    // The workload waits for the GPU nodes, every bootstrap release (the device plugins included) and its Pod Identity.
    target: (plan, options, infra, ctx) =>
      eksTarget(plan, options, infra.names, infra.storage, ctx, infra.bootstrap.provider, [infra.nodeGroup, ...infra.bootstrap.releases, ...infra.podIdentity], infra.network.cidrBlocks),
    // The target descriptor's option check (lib/cost/bom): the AWS checks, the EKS notes and the cluster mode.
    checkOptions: awsEksOptionCheck,
  }),
  // A Capacity Block's nodes join EKS as they do a VM group: the same live price.
  priceLive: (plan, estimate, options, ctx) => liveCapacityBlockPricing(plan, estimate, options, ctx),
};

export const compileEksTraining = eksCompiler.compileTraining;
export const compileEksInference = eksCompiler.compileInference;
