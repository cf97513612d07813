/** Gcp compiler: Plan → Pulumi resources. Not built yet: compiling raises a SpecError before any resource. */
import type { Plan } from "../../planner/types.js";
import { SpecError } from "../../spec/errors.js";
import type { CloudCompiler } from "../types.js";

/** Gcp-only knobs of the components. */
export interface GcpOptions {}

function notBuilt(plan: Plan): never {
  throw new SpecError(
    "cloud",
    `the gcp compiler is not in this version of gpu-cluster yet`,
    `'gpu-cluster estimate' and planCluster/estimateCost already price ${plan.instanceType} on gcp; to build now, use cloud 'aws'`,
  );
}

export const gcpCompiler: CloudCompiler<GcpOptions> = {
  checkOptions: (plan) => notBuilt(plan),
  compileTraining: (plan) => notBuilt(plan),
  compileInference: (plan) => notBuilt(plan),
};
