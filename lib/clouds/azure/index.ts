/** Azure compiler: Plan → Compute (VM scale sets) / Network / Storage / Managed Lustre / NetApp / Monitor resources. */
import type { CloudCompiler } from "../types.js";
import { compileAzureInference } from "./inference.js";
import { azurePlanNotes, checkAzureOptions, type AzureOptions } from "./options.js";
import { compileAzureTraining } from "./training.js";

export type { AzureImage, AzureOptions } from "./options.js";
export { infinibandEnvironment } from "./bootstrap.js";

export const azureCompiler: CloudCompiler<AzureOptions> = {
  checkOptions: (plan, options) => ({ notes: [...checkAzureOptions(plan, options), ...azurePlanNotes(plan, options)] }),
  compileTraining: compileAzureTraining,
  compileInference: compileAzureInference,
};
