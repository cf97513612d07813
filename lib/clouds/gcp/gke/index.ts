/** GKE compiler (cloud "gcp", orchestrator "kubernetes"). Not built yet: a component asking for it stops with a SpecError before anything exists. */
import type { Plan } from "../../../planner/types.js";
import { SpecError } from "../../../spec/errors.js";
import type { CloudCompiler } from "../../types.js";

function notBuilt(plan: Plan): never {
  throw new SpecError(
    "orchestrator",
    `'kubernetes' on gcp (GKE) is not built in this version of gpu-cluster yet (its cost is estimated: see costEstimate)`,
    `use orchestrator 'vm' for ${plan.instanceType}, or cloud 'aws' (EKS) or 'coreweave'`,
  );
}

export const gkeCompiler: CloudCompiler<unknown> = {
  checkOptions: (plan) => notBuilt(plan),
  compileTraining: (plan) => notBuilt(plan),
  compileInference: (plan) => notBuilt(plan),
};
