/** CoreWeave compiler: Plan → CKS NodePool and Kubernetes workload resources (@pulumi/kubernetes). */
import type { Plan } from "../../planner/types.js";
import type { CloudCompiler, OptionCheck } from "../types.js";
import { kueuePlanNote } from "../kubernetes/kueue.js";
import { compileCoreWeaveInference } from "./inference.js";
import { checkCoreWeaveOptions, type CoreWeaveOptions } from "./options.js";
import { compileCoreWeaveTraining } from "./training.js";

export type { CoreWeaveOptions, ObjectStorageOptions } from "./options.js";
export { ncclEnvironment } from "../kubernetes/pod.js";
export { nodePoolManifest } from "./node-pool.js";

/** The CoreWeave checks, then the queue note of a queued training job (against the cluster's own Kueue). */
function checkOptions(plan: Readonly<Plan>, options: CoreWeaveOptions | undefined): OptionCheck {
  const notes = checkCoreWeaveOptions(plan, options);
  if (options?.kueue === true) notes.push(`${kueuePlanNote(plan)} CoreWeave: the cluster must run Kueue (CoreWeave's coreweave/cks-kueue chart); the component creates the queues only.`);
  return { notes };
}

export const coreweaveCompiler: CloudCompiler<CoreWeaveOptions> = {
  checkOptions,
  compileTraining: compileCoreWeaveTraining,
  compileInference: compileCoreWeaveInference,
};
