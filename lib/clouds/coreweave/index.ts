/** CoreWeave compiler: Plan → CKS NodePool and Kubernetes workload resources (@pulumi/kubernetes). */
import type { CloudCompiler } from "../types.js";
import { compileCoreWeaveInference } from "./inference.js";
import { checkCoreWeaveOptions, type CoreWeaveOptions } from "./options.js";
import { compileCoreWeaveTraining } from "./training.js";

export type { CoreWeaveOptions, ObjectStorageOptions } from "./options.js";
export { ncclEnvironment } from "../kubernetes/pod.js";
export { nodePoolManifest } from "./node-pool.js";

export const coreweaveCompiler: CloudCompiler<CoreWeaveOptions> = {
  checkOptions: checkCoreWeaveOptions,
  compileTraining: compileCoreWeaveTraining,
  compileInference: compileCoreWeaveInference,
};
