/** CoreWeave compiler: Plan → Pulumi resources. Not built yet: compiling raises a SpecError before any resource. */
import type { Plan } from "../../planner/types.js";
import { SpecError } from "../../spec/errors.js";
import type { CloudCompiler } from "../types.js";

/** CoreWeave-only knobs of the components. */
export interface CoreWeaveOptions {}

function notBuilt(plan: Plan): never {
  throw new SpecError(
    "cloud",
    `the coreweave compiler is not in this version of gpu-cluster yet`,
    `'gpu-cluster estimate' and planCluster/estimateCost already price ${plan.instanceType} on coreweave; to build now, use cloud 'aws'`,
  );
}

export const coreweaveCompiler: CloudCompiler<CoreWeaveOptions> = {
  checkOptions: (plan) => notBuilt(plan),
  compileTraining: (plan) => notBuilt(plan),
  compileInference: (plan) => notBuilt(plan),
};
