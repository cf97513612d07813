/** Azure compiler: Plan → Compute (VM scale sets) / Network / Storage / Managed Lustre / NetApp / Monitor resources. */
import type { CloudCompiler } from "../types.js";
import { compileAzureInference } from "./inference.js";
import { azureVmOptionCheck } from "../../cost/bom/option-checks.js";
import type { AzureOptions } from "./options.js";
import { compileAzureTraining } from "./training.js";

export type { AzureImage, AzureOptions } from "./options.js";
export { infinibandEnvironment } from "./bootstrap.js";

export const azureCompiler: CloudCompiler<AzureOptions> = {
  // The target descriptor's option check (lib/cost/bom).
  checkOptions: azureVmOptionCheck,
  compileTraining: compileAzureTraining,
  compileInference: compileAzureInference,
};
