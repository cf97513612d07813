/** CoreWeave compiler: Plan → CKS NodePool and Kubernetes workload resources (@pulumi/kubernetes). */
import { coreweaveOptionCheck } from "../../cost/bom/option-checks.js";
import type { CloudCompiler } from "../types.js";
import { compileCoreWeaveInference } from "./inference.js";
import type { CoreWeaveOptions } from "./options.js";
import { compileCoreWeaveTraining } from "./training.js";

export type { CoreWeaveOptions, ObjectStorageOptions } from "./options.js";
export { ncclEnvironment } from "../kubernetes/pod.js";
export { nodePoolManifest } from "./node-pool.js";

export const coreweaveCompiler: CloudCompiler<CoreWeaveOptions> = {
  // The target descriptor's option check (lib/cost/bom).
  checkOptions: coreweaveOptionCheck,
  compileTraining: compileCoreWeaveTraining,
  compileInference: compileCoreWeaveInference,
};
