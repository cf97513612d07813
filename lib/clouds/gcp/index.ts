/** GCP compiler: Plan → Compute Engine / VPC / Filestore / Managed Lustre / Cloud Storage / IAM resources. */
import type { CloudCompiler } from "../types.js";
import { compileGcpInference } from "./inference.js";
import { checkGcpOptions, type GcpOptions } from "./options.js";
import { compileGcpTraining } from "./training.js";

export type { GcpOptions } from "./options.js";
export { fabricEnvironment, startupScript } from "./bootstrap.js";

export const gcpCompiler: CloudCompiler<GcpOptions> = {
  checkOptions: checkGcpOptions,
  compileTraining: compileGcpTraining,
  compileInference: compileGcpInference,
};
