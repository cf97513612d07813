/**
 * The option check of every target: the cloud's checks of its option bag (throws SpecError), the notes the plan
 * carries, and on managed Kubernetes whether the cluster is created or joined. The compilers' `checkOptions` are these
 * functions (lib/clouds/<cloud>/index.ts, lib/clouds/kubernetes/managed-compiler.ts), so the component, `validate`
 * and the estimate read one rule. The option modules they call load no cloud SDK (test/option-check.test.ts).
 *
 * Apart from the bills (./<target>.ts) because the option modules read the bills' disk sizes for their defaults: a
 * bill module that imported its option check would load in a cycle.
 */
import { checkAwsOptions, type AwsOptions } from "../../clouds/aws/options.js";
import { eksPlanNotes } from "../../clouds/aws/eks/options.js";
import { aksPlanNotes } from "../../clouds/azure/aks/options.js";
import { azurePlanNotes, checkAzureOptions, type AzureOptions } from "../../clouds/azure/options.js";
import { checkCoreWeaveOptions, type CoreWeaveOptions } from "../../clouds/coreweave/options.js";
import { gkePlanNotes } from "../../clouds/gcp/gke/options.js";
import { checkGcpOptions, type GcpOptions } from "../../clouds/gcp/options.js";
import { kueuePlanNote } from "../../clouds/kubernetes/kueue-policy.js";
import type { OptionCheck } from "../../clouds/types.js";
import type { Plan } from "../../planner/types.js";
import { kubernetesClusterMode } from "./shared.js";
import type { TargetId } from "./types.js";

/** A target's option check over its cloud's option bag (`undefined`: the defaults). */
export type OptionCheckOf<Options> = (plan: Readonly<Plan>, options: Options | undefined) => OptionCheck;

/** The AWS checks (the VM knobs, and `aws.eks` on EKS only). */
export const awsVmOptionCheck: OptionCheckOf<AwsOptions> = (plan, options) => ({ notes: checkAwsOptions(plan, options) });

/** The AWS option checks, then the notes an EKS plan carries (a cluster fee already paid, the system node group). */
export const awsEksOptionCheck: OptionCheckOf<AwsOptions> = (plan, options) => ({
  notes: [...checkAwsOptions(plan, options), ...eksPlanNotes(plan, options?.eks)],
  kubernetesCluster: kubernetesClusterMode(options?.eks),
});

/** The GCP checks (the VM knobs, and `gcp.gke` on GKE only). */
export const gcpVmOptionCheck: OptionCheckOf<GcpOptions> = (plan, options) => ({ notes: checkGcpOptions(plan, options) });

/** The GCP option checks (including `gcp.gke`), then the notes a GKE plan carries. */
export const gcpGkeOptionCheck: OptionCheckOf<GcpOptions> = (plan, options) => ({
  notes: [...checkGcpOptions(plan, options), ...gkePlanNotes(plan, options?.gke)],
  kubernetesCluster: kubernetesClusterMode(options?.gke),
});

/** The Azure checks, then the notes an Azure VM plan carries. */
export const azureVmOptionCheck: OptionCheckOf<AzureOptions> = (plan, options) => ({ notes: [...checkAzureOptions(plan, options), ...azurePlanNotes(plan, options)] });

/** The Azure option checks (with the AKS ones), then the notes an AKS plan carries. */
export const azureAksOptionCheck: OptionCheckOf<AzureOptions> = (plan, options) => ({
  notes: [...checkAzureOptions(plan, options), ...aksPlanNotes(plan, options?.aks, options?.osDiskGiB), ...azurePlanNotes(plan, options)],
  kubernetesCluster: kubernetesClusterMode(options?.aks),
});

/** The CoreWeave checks, then the queue note of a queued training job (against the cluster's own Kueue). */
export const coreweaveOptionCheck: OptionCheckOf<CoreWeaveOptions> = (plan, options) => {
  const notes = checkCoreWeaveOptions(plan, options);
  if (options?.kueue === true) notes.push(`${kueuePlanNote(plan)} CoreWeave: the cluster must run Kueue (CoreWeave's coreweave/cks-kueue chart); the component creates the queues only.`);
  return { notes };
};

/** A check over its cloud's option bag, taking a bag of any shape: each check refuses a bad one with a SpecError first. */
function anyBag<Options>(check: OptionCheckOf<Options>): OptionCheckOf<unknown> {
  return check as OptionCheckOf<unknown>;
}

/** Each target's option check (the descriptors' `checkOptions`, lib/cost/bom/index.ts). */
export const OPTION_CHECKS: Record<TargetId, OptionCheckOf<unknown>> = {
  "aws-vm": anyBag(awsVmOptionCheck),
  "aws-eks": anyBag(awsEksOptionCheck),
  "gcp-vm": anyBag(gcpVmOptionCheck),
  "gcp-gke": anyBag(gcpGkeOptionCheck),
  "azure-vm": anyBag(azureVmOptionCheck),
  "azure-aks": anyBag(azureAksOptionCheck),
  coreweave: anyBag(coreweaveOptionCheck),
};
