/** AWS compiler: Plan → EC2 / Auto Scaling / FSx / S3 / IAM resources. */
import type { CloudCompiler } from "../types.js";
import { liveCapacityBlockPricing } from "./capacity-block-price.js";
import { compileAwsInference } from "./inference.js";
import { awsVmOptionCheck } from "../../cost/bom/option-checks.js";
import type { AwsOptions } from "./options.js";
import { compileAwsTraining } from "./training.js";

export type { AwsOptions } from "./options.js";
export { efaEnvironment } from "./bootstrap.js";
export { nodeInterfaces } from "./launch-template.js";

export const awsCompiler: CloudCompiler<AwsOptions> = {
  // The target descriptor's option check (lib/cost/bom): the estimate and `validate` read the same one.
  checkOptions: awsVmOptionCheck,
  compileTraining: compileAwsTraining,
  compileInference: compileAwsInference,
  priceLive: (plan, estimate, options, ctx) => liveCapacityBlockPricing(plan, estimate, options, ctx),
};
