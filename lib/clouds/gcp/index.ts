/** GCP compiler: Plan → Compute Engine / VPC / Filestore / Managed Lustre / Cloud Storage / IAM resources. */
import type { CloudCompiler } from "../types.js";
import { enableGcpApis } from "./apis.js";
import { compileGcpInference } from "./inference.js";
import { gcpVmOptionCheck } from "../../cost/bom/option-checks.js";
import type { GcpOptions } from "./options.js";
import { compileGcpTraining } from "./training.js";

export type { GcpOptions } from "./options.js";
export { fabricEnvironment, startupScript } from "./bootstrap.js";

export const gcpCompiler: CloudCompiler<GcpOptions> = {
  // The target descriptor's option check (lib/cost/bom).
  checkOptions: gcpVmOptionCheck,
  // The component's APIs first: every resource and lookup after them waits for the ones it calls.
  compileTraining: (plan, options, ctx) => (enableGcpApis(plan, options, ctx), compileGcpTraining(plan, options, ctx)),
  compileInference: (plan, options, ctx) => (enableGcpApis(plan, options, ctx), compileGcpInference(plan, options, ctx)),
};
