/** The descriptor of every target (offering rules, option check, bill of materials), and which target a plan is. */
import { cloudOffering } from "../../planner/offering.js";
import type { Plan } from "../../planner/types.js";
import { awsEks } from "./aws-eks.js";
import { awsVm } from "./aws-vm.js";
import { azureAks } from "./azure-aks.js";
import { azureVm } from "./azure-vm.js";
import { coreweave } from "./coreweave.js";
import { gcpGke } from "./gcp-gke.js";
import { gcpVm } from "./gcp-vm.js";
import { OPTION_CHECKS } from "./option-checks.js";
import type { OptionCheck } from "../../clouds/types.js";
import type { BomItem, TargetBill, TargetDescriptor, TargetId } from "./types.js";
import { gpuNodesItem } from "./shared.js";

export * from "./types.js";
export { AWS_NODE_DISKS } from "./aws-vm.js";
export { GCP_NODE_DISKS } from "./gcp-vm.js";
export { AZURE_NODE_DISKS } from "./azure-vm.js";
export { EKS_STANDARD_SUPPORT_ENDS, eksStandardSupportEnded } from "./aws-eks.js";

/**
 * One descriptor per target: its cloud's offering rules, its option check and its bill of materials, with no cloud
 * SDK behind them. The compilers run the same option check (lib/clouds/<cloud>/index.ts).
 */
export const DESCRIPTORS: Record<TargetId, TargetDescriptor> = {
  "aws-vm": descriptor(awsVm),
  "aws-eks": descriptor(awsEks),
  "gcp-vm": descriptor(gcpVm),
  "gcp-gke": descriptor(gcpGke),
  "azure-vm": descriptor(azureVm),
  "azure-aks": descriptor(azureAks),
  coreweave: descriptor(coreweave),
};

function descriptor(bill: TargetBill): TargetDescriptor {
  return {
    ...bill,
    // The GPU nodes head every target's bill: the compute line prices them and the compiler sizes its node group from them.
    billOfMaterials: (plan, nodes, options) => [gpuNodesItem(plan, nodes), ...bill.billOfMaterials(plan, nodes, options)],
    checkOffering: cloudOffering(bill.cloud),
    checkOptions: OPTION_CHECKS[bill.id],
  };
}

const MANAGED = { aws: "aws-eks", gcp: "gcp-gke", azure: "azure-aks", coreweave: "coreweave" } as const;
const VM = { aws: "aws-vm", gcp: "gcp-vm", azure: "azure-vm", coreweave: "coreweave" } as const;

/** The target a plan compiles to. */
export function targetOf(plan: Pick<Plan, "cloud" | "orchestrator">): TargetId {
  return (plan.orchestrator === "kubernetes" ? MANAGED : VM)[plan.cloud];
}

/** What the plan's target builds that is billed, with `nodes` GPU nodes (default: the plan's node count). */
export function billOfMaterials(plan: Plan, options?: unknown, nodes: number = plan.nodeCount): BomItem[] {
  return DESCRIPTORS[targetOf(plan)].billOfMaterials(plan, nodes, options);
}

/**
 * Put what a target's option check found on the plan: its notes (each once) and, on managed Kubernetes, the cluster's
 * source. The component (lib/components/build.ts) and `gpu-cluster estimate` both run the check, then this, then price.
 */
export function applyOptionCheck(plan: Plan, check: OptionCheck): void {
  for (const note of check.notes) if (!plan.notes.includes(note)) plan.notes.push(note);
  if (check.kubernetesCluster !== undefined) plan.kubernetesCluster = check.kubernetesCluster;
}
