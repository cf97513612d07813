/** Azure compiler: Plan → Pulumi resources. Not built yet: compiling raises a SpecError before any resource. */
import type { Plan } from "../../planner/types.js";
import { SpecError } from "../../spec/errors.js";
import type { CloudCompiler } from "../types.js";

/** Azure-only knobs of the components. */
export interface AzureOptions {}

function notBuilt(plan: Plan): never {
  throw new SpecError(
    "cloud",
    `the azure compiler is not in this version of gpu-cluster yet`,
    `'gpu-cluster estimate' and planCluster/estimateCost already price ${plan.instanceType} on azure; to build now, use cloud 'aws'`,
  );
}

export const azureCompiler: CloudCompiler<AzureOptions> = {
  checkOptions: (plan) => notBuilt(plan),
  compileTraining: (plan) => notBuilt(plan),
  compileInference: (plan) => notBuilt(plan),
};
