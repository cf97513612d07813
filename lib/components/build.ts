/**
 * What both components do, in order: validate (synchronously, before any
 * child exists), plan, estimate, report the cost (log, hooks, budget), compile.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { AwsOptions } from "../clouds/aws/index.js";
import type { AzureOptions } from "../clouds/azure/index.js";
import type { CoreWeaveOptions } from "../clouds/coreweave/index.js";
import type { GcpOptions } from "../clouds/gcp/index.js";
import type { CloudCompiler, ClusterHandles, FleetHandles } from "../clouds/types.js";
import { applyOptionCheck, type BomItem } from "../cost/bom/index.js";
import { alwaysOnCost, estimateCost } from "../cost/estimate.js";
import type { CapacityBlockPricing } from "../cost/capacity-block-live.js";
import type { CostEstimate } from "../cost/types.js";
import { planFromChecked } from "../planner/plan.js";
import type { Plan } from "../planner/types.js";
import { requireObject, requireString } from "../spec/checks.js";
import { SpecError } from "../spec/errors.js";
import type { ClusterSpec, FleetSpec } from "../spec/types.js";
import { validateCluster, validateFleet } from "../spec/validate.js";
import { reportCost } from "./report.js";
import { checkStorageResourceNames } from "../clouds/shared/storage.js";
import { loadCompiler } from "./compilers.js";

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

const OPTION_KEYS = ["aws", "gcp", "azure", "coreweave"] as const satisfies readonly (keyof CloudOptions)[];

/** A component's spec validated, planned and priced: everything decided before the component exists. */
export interface Prepared {
  plan: Plan;
  estimate: CostEstimate;
  compiler: CloudCompiler<unknown>;
  cloudOptions: unknown;
  /** The bill of materials the estimate priced, which the compiler builds from (CompileContext.bill). */
  bill: readonly BomItem[];
}

/** Split the component args into the pure spec and the cloud option bags. */
function splitArgs<S extends ClusterSpec | FleetSpec>(args: S & CloudOptions): { spec: S; options: CloudOptions } {
  const { aws, gcp, azure, coreweave, ...spec } = args;
  return { spec: spec as unknown as S, options: { aws, gcp, azure, coreweave } };
}

function compilerFor(plan: Plan, options: CloudOptions): { compiler: CloudCompiler<unknown>; cloudOptions: unknown } {
  const cloud = plan.cloud;
  for (const key of OPTION_KEYS) {
    if (options[key] !== undefined && key !== cloud) {
      throw new SpecError(key, `options for ${key} were given, but cloud is '${cloud}'`, `move them under '${cloud}' or remove them`);
    }
  }
  // Loaded here, not imported: each compiler brings its cloud's SDK, an optional peer dependency (./compilers.ts).
  return { compiler: loadCompiler(plan.orchestrator, cloud), cloudOptions: options[cloud] };
}



/**
 * Validate, plan, check the cloud options and price — synchronously and before
 * the component is registered, so bad input never leaves a half-made resource.
 */
export function prepare(workload: "training" | "inference", name: string, args: (ClusterSpec | FleetSpec) & CloudOptions): Prepared {
  // The name becomes the URN and every child's name prefix: an empty one would be refused by the engine only after
  // this component registered, leaving a half-made resource.
  requireString(name, "name", "give the component a name, e.g. new TrainingCluster('pretrain', { ... })");
  requireObject(args, "args", "e.g. { cloud: 'aws', region: 'us-east-1', gpu: { model: 'H100', count: 64 } }");
  const { spec, options } = splitArgs(args);
  const checked = workload === "training" ? validateCluster(spec as ClusterSpec) : validateFleet(spec as FleetSpec);
  const plan = planFromChecked(checked);
  plan.name ??= name;
  const { compiler, cloudOptions } = compilerFor(plan, options);
  applyOptionCheck(plan, compiler.checkOptions(plan, cloudOptions));
  checkStorageResourceNames(name, plan);
  const estimate = estimateCost(plan, cloudOptions);
  // What the budget policies check, priced now with the cloud options (which the policy pack never sees).
  const alwaysOn = alwaysOnCost(plan, cloudOptions);
  if (alwaysOn) estimate.alwaysOn = alwaysOn;
  // The list estimateCost priced (CostEstimate.billOfMaterials publishes it in a flat, schema-friendly type), as the
  // compiler's own frozen copy: nothing that later reads or reports the estimate can change what is built.
  const bill: readonly BomItem[] = Object.freeze((estimate.billOfMaterials as BomItem[]).map((item) => Object.freeze(structuredClone(item))));
  return { plan, estimate, compiler, cloudOptions, bill };
}

/** The component's inputs as the engine (and CrossGuard resource policies) see them. */
export function componentInputs(prepared: Prepared): { plan: Plan; costEstimate: CostEstimate } {
  return { plan: prepared.plan, costEstimate: prepared.estimate };
}

/** Log the cost, run the hooks, enforce the budget, then compile the training cluster. */
export function finishTraining(component: pulumi.ComponentResource, type: string, name: string, prepared: Prepared): ClusterHandles {
  reportCost(component, type, name, prepared.plan, prepared.estimate);
  return prepared.compiler.compileTraining(prepared.plan, prepared.cloudOptions, { name, parent: component, bill: prepared.bill });
}

/**
 * After compiling: the price the cloud quotes at preview, where it has one (AWS Capacity Blocks), logged against the
 * component as `capacity block priced from: ...`; undefined elsewhere. The synchronous estimate above
 * stays the catalog's, so the budget check before anything exists does not wait on the cloud.
 */
export function livePricing(component: pulumi.ComponentResource, name: string, prepared: Prepared): pulumi.Output<CapacityBlockPricing> | undefined {
  return prepared.compiler.priceLive?.(prepared.plan, prepared.estimate, prepared.cloudOptions, { name, parent: component, bill: prepared.bill });
}

/** Log the cost, run the hooks, enforce the budget, then compile the inference fleet. */
export function finishInference(component: pulumi.ComponentResource, type: string, name: string, prepared: Prepared): FleetHandles {
  reportCost(component, type, name, prepared.plan, prepared.estimate);
  return prepared.compiler.compileInference(prepared.plan, prepared.cloudOptions, { name, parent: component, bill: prepared.bill });
}
