/**
 * What both components do, in order: validate (synchronously, before any
 * child exists), plan, estimate, report the cost (log, hooks, budget), compile.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Cloud } from "../catalog/types.js";
import { awsCompiler, type AwsOptions } from "../clouds/aws/index.js";
import { azureCompiler, type AzureOptions } from "../clouds/azure/index.js";
import { coreweaveCompiler, type CoreWeaveOptions } from "../clouds/coreweave/index.js";
import { gcpCompiler, type GcpOptions } from "../clouds/gcp/index.js";
import type { CloudCompiler, ClusterHandles, FleetHandles } from "../clouds/types.js";
import { estimateCost } from "../cost/estimate.js";
import type { CostEstimate } from "../cost/types.js";
import { planFromChecked } from "../planner/plan.js";
import type { Plan } from "../planner/types.js";
import { SpecError } from "../spec/errors.js";
import type { ClusterSpec, FleetSpec } from "../spec/types.js";
import { validateCluster, validateFleet } from "../spec/validate.js";
import { reportCost } from "./report.js";

/** Per-cloud option bags a component accepts next to the spec. */
export interface CloudOptions {
  /** AWS-only settings: bring-your-own VPC, image, root volume, tags. */
  aws?: AwsOptions;
  /** GCP-only settings. */
  gcp?: GcpOptions;
  /** Azure-only settings. */
  azure?: AzureOptions;
  /** CoreWeave-only settings (the Kubernetes provider, namespace, image). */
  coreweave?: CoreWeaveOptions;
}

// One compiler per cloud, behind the same Plan.
const COMPILERS: Record<Cloud, CloudCompiler<unknown>> = {
  aws: awsCompiler as CloudCompiler<unknown>,
  gcp: gcpCompiler as CloudCompiler<unknown>,
  azure: azureCompiler as CloudCompiler<unknown>,
  coreweave: coreweaveCompiler as CloudCompiler<unknown>,
};
const OPTION_KEYS = ["aws", "gcp", "azure", "coreweave"] as const satisfies readonly (keyof CloudOptions)[];

export interface Built<H> {
  plan: Plan;
  estimate: CostEstimate;
  handles: H;
}

/** Split the component args into the pure spec and the cloud option bags. */
function splitArgs<S extends ClusterSpec | FleetSpec>(args: S & CloudOptions): { spec: S; options: CloudOptions } {
  const { aws, gcp, azure, coreweave, ...spec } = args;
  return { spec: spec as unknown as S, options: { aws, gcp, azure, coreweave } };
}

function compilerFor(cloud: Cloud, options: CloudOptions): { compiler: CloudCompiler<unknown>; cloudOptions: unknown } {
  for (const key of OPTION_KEYS) {
    if (options[key] !== undefined && key !== cloud) {
      throw new SpecError(key, `options for ${key} were given, but cloud is '${cloud}'`, `move them under '${cloud}' or remove them`);
    }
  }
  return { compiler: COMPILERS[cloud], cloudOptions: options[cloud] };
}

export function buildTraining(component: pulumi.ComponentResource, type: string, name: string, args: ClusterSpec & CloudOptions): Built<ClusterHandles> {
  const { spec, options } = splitArgs(args);
  const plan = planFromChecked(validateCluster(spec));
  plan.name ??= name;
  const { compiler, cloudOptions } = compilerFor(plan.cloud, options);
  compiler.checkOptions(plan, cloudOptions);
  const estimate = estimateCost(plan);
  reportCost(component, type, name, plan, estimate);
  return { plan, estimate, handles: compiler.compileTraining(plan, cloudOptions, { name, parent: component }) };
}

export function buildInference(component: pulumi.ComponentResource, type: string, name: string, args: FleetSpec & CloudOptions): Built<FleetHandles> {
  const { spec, options } = splitArgs(args);
  const plan = planFromChecked(validateFleet(spec));
  plan.name ??= name;
  const { compiler, cloudOptions } = compilerFor(plan.cloud, options);
  compiler.checkOptions(plan, cloudOptions);
  const estimate = estimateCost(plan);
  reportCost(component, type, name, plan, estimate);
  return { plan, estimate, handles: compiler.compileInference(plan, cloudOptions, { name, parent: component }) };
}
