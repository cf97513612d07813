/**
 * CrossGuard policies for GPU clusters, built on the same cost engine as the
 * components, so the figure a policy checks is the figure the preview printed.
 *
 * This module has no side effects: only policy/index.ts calls `new PolicyPack`
 * (which starts a server). Tests call `validateResource` / `validateStack`
 * directly with resources recorded from real programs.
 */
import type {
  EnforcementLevel,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import * as catalog from "../catalog/index.js";
import { CLOUDS, GPU_MODELS, PRICING_MODELS } from "../catalog/types.js";
import { estimateCost, HOURS_PER_BILLED_MONTH } from "../cost/estimate.js";
import { formatUnitUsd, formatUsd } from "../cost/money.js";
import type { CostEstimate, CostLine } from "../cost/types.js";
import type { Plan } from "../planner/types.js";
import { fleetNodes } from "../planner/packing.js";

/** Type tokens of the components the policies read. */
export const COMPONENT_TYPES = ["gpu-cluster:index:TrainingCluster", "gpu-cluster:index:InferenceFleet"];

/** What a component registers as its inputs (see lib/components/build.ts). */
interface ComponentProps {
  plan?: Plan;
  costEstimate?: CostEstimate;
}

function componentProps(type: string, props: Record<string, unknown>): Required<ComponentProps> | undefined {
  if (!COMPONENT_TYPES.includes(type)) return undefined;
  const { plan, costEstimate } = props as ComponentProps;
  return plan && costEstimate ? { plan, costEstimate } : undefined;
}

export interface HoursConfig {
  /**
   * Believe a component's `hoursPerMonth` below 730. Default false: the components build always-on node
   * groups, so the policies price them at 730 h (a low `hoursPerMonth` must not slip past a budget).
   */
  trustHoursPerMonth?: boolean;
}

/** The figure a budget policy checks, and its lines. */
export interface CheckedCost {
  /** The worst case (inference at `replicas.max`) per month, USD. */
  worstCaseMonthlyUsd: number;
  lines: CostLine[];
  /** How the figure was obtained, when it is not what the component recorded (older state). */
  note?: string;
}

/**
 * The figure a budget policy checks: the worst case, at 730 h unless the config trusts the component's hours. The
 * 730 h figure is the one the component priced with its own cloud options (`costEstimate.alwaysOn`); the policy pack
 * never sees those options, so it re-estimates only for a component recorded by a gpu-cluster without that field,
 * and says so.
 */
export function checkedCost(component: Required<ComponentProps>, config: HoursConfig): CheckedCost {
  const { plan, costEstimate } = component;
  if (config.trustHoursPerMonth || plan.hoursPerMonth >= HOURS_PER_BILLED_MONTH) {
    return { worstCaseMonthlyUsd: costEstimate.worstCaseMonthlyUsd, lines: costEstimate.worstCaseLines ?? costEstimate.lines };
  }
  if (costEstimate.alwaysOn) return { worstCaseMonthlyUsd: costEstimate.alwaysOn.worstCaseMonthlyUsd, lines: costEstimate.alwaysOn.worstCaseLines };
  const full = estimateCost({ ...plan, hoursPerMonth: HOURS_PER_BILLED_MONTH });
  return {
    worstCaseMonthlyUsd: full.worstCaseMonthlyUsd,
    lines: full.worstCaseLines ?? full.lines,
    note:
      `re-priced at ${HOURS_PER_BILLED_MONTH} h without the component's cloud options, because the gpu-cluster version that recorded it does not ` +
      "record its always-on figure (costEstimate.alwaysOn); lines those options change (an existing VPC or cluster, disk sizes) may differ: upgrade gpu-cluster in the program",
  };
}

function largestLine(checked: CheckedCost): string {
  const top = [...checked.lines].sort((a, b) => b.monthlyUsd - a.monthlyUsd)[0];
  return top ? `; largest line: ${top.description} ${formatUsd(top.monthlyUsd)}` : "";
}

function noteOf(checked: CheckedCost): string {
  return checked.note ? ` (${checked.note})` : "";
}

// ------------------------------------------------------------------ budgets

export interface ComponentBudgetConfig extends HoursConfig {
  /** Largest monthly cost one cluster or fleet may have (worst case: fleets at max replicas), USD. */
  maxMonthlyUsd?: number;
}

export const componentBudget: ResourceValidationPolicy = {
  name: "gpu-cluster-component-budget",
  description: "Each GPU cluster or fleet stays within its own 'fail' budget and within maxMonthlyUsd.",
  enforcementLevel: "mandatory",
  configSchema: { properties: { maxMonthlyUsd: { type: "number", minimum: 0 }, trustHoursPerMonth: { type: "boolean", default: false } } },
  validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
    const component = componentProps(args.type, args.props);
    if (!component) return;
    const config = args.getConfig<ComponentBudgetConfig>();
    const checked = checkedCost(component, config);
    const worst = checked.worstCaseMonthlyUsd;
    const { maxMonthlyUsd } = config;
    if (maxMonthlyUsd !== undefined && worst > maxMonthlyUsd) {
      reportViolation(
        `${args.name} costs ${formatUsd(worst)}/month, over the policy limit of ${formatUsd(maxMonthlyUsd)} by ${formatUsd(worst - maxMonthlyUsd)}${largestLine(checked)}${noteOf(checked)}`,
      );
    }
    const budget = component.costEstimate.budget;
    if (budget && !budget.withinBudget && budget.onExceed === "fail") {
      reportViolation(`${args.name} exceeds its own budget: ${formatUsd(budget.checkedUsd)}/month against ${formatUsd(budget.monthlyUsd)}`);
    }
  },
};

export interface StackBudgetConfig extends HoursConfig {
  /** Largest monthly cost of all GPU clusters and fleets of the stack together, USD. */
  maxStackMonthlyUsd?: number;
}

export const stackBudget: StackValidationPolicy = {
  name: "gpu-cluster-stack-budget",
  description: "All GPU clusters and fleets of a stack together stay within maxStackMonthlyUsd.",
  enforcementLevel: "mandatory",
  configSchema: { properties: { maxStackMonthlyUsd: { type: "number", minimum: 0 }, trustHoursPerMonth: { type: "boolean", default: false } } },
  validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
    const config = args.getConfig<StackBudgetConfig>();
    const { maxStackMonthlyUsd } = config;
    if (maxStackMonthlyUsd === undefined) return;
    const components = args.resources
      .map((r) => ({ name: r.name, props: componentProps(r.type, r.props) }))
      .filter((c): c is { name: string; props: Required<ComponentProps> } => c.props !== undefined)
      .map((c) => ({ name: c.name, checked: checkedCost(c.props, config) }));
    const total = components.reduce((sum, c) => sum + c.checked.worstCaseMonthlyUsd, 0);
    if (total > maxStackMonthlyUsd) {
      const parts = components.map((c) => `${c.name} ${formatUsd(c.checked.worstCaseMonthlyUsd)}${noteOf(c.checked)}`).join(", ");
      reportViolation(`GPU spend of this stack is ${formatUsd(total)}/month (${parts}), over the limit of ${formatUsd(maxStackMonthlyUsd)}`);
    }
  },
};

// ------------------------------------------------------------------ what may be bought

export interface AllowedCapacityConfig {
  allowedClouds?: string[];
  allowedGpuModels?: string[];
  allowedPricing?: string[];
  /** Most on-demand nodes one cluster/fleet may run (at max replicas); above it, use spot or a reservation. */
  maxOnDemandNodes?: number;
  /** Accept contract prices from the spec (`contractUsdPerHour`, `storage[].contractUsdPerGiBMonth`), which the catalog cannot check. Default true. */
  allowContractPrices?: boolean;
}

export const allowedCapacity: ResourceValidationPolicy = {
  name: "gpu-cluster-allowed-capacity",
  description: "GPU clusters use only the clouds, GPU models and pricing models the organisation allows.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowedClouds: { type: "array", items: { type: "string", enum: [...CLOUDS] } },
      allowedGpuModels: { type: "array", items: { type: "string", enum: [...GPU_MODELS] } },
      allowedPricing: { type: "array", items: { type: "string", enum: [...PRICING_MODELS] } },
      maxOnDemandNodes: { type: "integer", minimum: 0 },
      allowContractPrices: { type: "boolean", default: true },
    },
  },
  validateResource: (args, reportViolation) => {
    const component = componentProps(args.type, args.props);
    if (!component) return;
    const { plan } = component;
    const config = args.getConfig<AllowedCapacityConfig>();
    if (config.allowedClouds && !config.allowedClouds.includes(plan.cloud)) {
      reportViolation(`${args.name} runs on ${plan.cloud}; allowed clouds: ${config.allowedClouds.join(", ")}`);
    }
    if (config.allowedGpuModels && !config.allowedGpuModels.includes(plan.gpuModel)) {
      reportViolation(`${args.name} uses ${plan.gpuModel}; allowed GPU models: ${config.allowedGpuModels.join(", ")}`);
    }
    if (config.allowedPricing && !config.allowedPricing.includes(plan.pricing)) {
      reportViolation(`${args.name} is priced ${plan.pricing}; allowed pricing: ${config.allowedPricing.join(", ")}`);
    }
    if (config.allowContractPrices === false && plan.unitPrice.asOf === "spec") {
      reportViolation(`${args.name} is priced with a contract rate of ${formatUnitUsd(plan.unitPrice.usdPerHour)}/h from the spec; this stack must use catalog prices`);
    }
    for (const storage of config.allowContractPrices === false ? plan.storage.filter((s) => s.priceSource.asOf === "spec") : []) {
      reportViolation(`${args.name} prices its ${storage.kind} storage (${storage.product}) at a contract rate of ${formatUnitUsd(storage.usdPerGiBMonth)}/GiB-month from the spec; this stack must use catalog prices`);
    }
    const nodes = plan.replicas ? fleetNodes(plan).max : plan.nodeCount;
    if (config.maxOnDemandNodes !== undefined && plan.pricing === "on-demand" && nodes > config.maxOnDemandNodes) {
      reportViolation(
        `${args.name} runs ${nodes} on-demand ${plan.instanceType} nodes, more than the ${config.maxOnDemandNodes} allowed; use a reservation, a capacity block or spot`,
      );
    }
  },
};

// ------------------------------------------------------------------ fabric

export interface FullFabricConfig {
  /** Training clusters must use the instance's full native fabric (no `fabric: "none"`). Default true. */
  requireFullFabric?: boolean;
}

export const fullFabric: ResourceValidationPolicy = {
  name: "gpu-cluster-full-fabric",
  description: "Multi-node training clusters use the instance's full native fabric, so NCCL never falls back to TCP.",
  enforcementLevel: "mandatory",
  configSchema: { properties: { requireFullFabric: { type: "boolean", default: true } } },
  validateResource: (args, reportViolation) => {
    const component = componentProps(args.type, args.props);
    if (!component || component.plan.workload !== "training" || component.plan.nodeCount < 2) return;
    if (args.getConfig<FullFabricConfig>().requireFullFabric === false) return;
    const { plan } = component;
    if (plan.instance.fabric !== "none" && plan.fabric.nicsPerNode < plan.instance.fabricNics) {
      reportViolation(
        `${args.name} gives its ${plan.nodeCount} × ${plan.instanceType} nodes ${plan.fabric.nicsPerNode} of ${plan.instance.fabricNics} ${plan.instance.fabric} NICs; collectives would run over TCP. Remove fabric: "none".`,
      );
    }
  },
};

/**
 * Any AWS launch template (ours or hand-written) for an EFA instance type must
 * attach an EFA interface on every network card: the missing-EFA mistake that
 * makes NCCL fall back to TCP.
 */
export const awsEfaInterfaces: ResourceValidationPolicy = {
  name: "aws-launch-template-full-efa",
  description: "Launch templates of EFA instance types attach every EFA interface the instance supports, on the cards that carry one.",
  enforcementLevel: "advisory",
  validateResource: (args, reportViolation) => {
    if (args.type !== "aws:ec2/launchTemplate:LaunchTemplate") return;
    const instanceType = args.props.instanceType;
    if (typeof instanceType !== "string") return;
    const facts = catalog.instance("aws", instanceType);
    if (!facts || facts.fabric !== "efa" || facts.fabricNics < 2) return;
    const interfaces: { interfaceType?: string; networkCardIndex?: number }[] = Array.isArray(args.props.networkInterfaces) ? args.props.networkInterfaces : [];
    const isEfa = (ni: { interfaceType?: string }) => ni.interfaceType === "efa" || ni.interfaceType === "efa-only";
    const efa = interfaces.filter(isEfa).length;
    if (efa < facts.fabricNics) {
      reportViolation(`${args.name}: ${instanceType} supports ${facts.fabricNics} EFA interfaces but the launch template attaches ${efa}`);
    }
    // Where network card 0 carries no EFA (P6-B300: lib/clouds/aws/interface-layout.ts has the source), an EFA on it
    // fails the launch: the instance never starts, and the error shows only at `up`.
    if (facts.primaryCardEfa === false && interfaces.some((ni) => isEfa(ni) && (ni.networkCardIndex ?? 0) === 0)) {
      reportViolation(`${args.name}: ${instanceType}'s network card 0 carries no EFA, but the launch template puts one there; the launch fails. Put an ordinary interface on card 0 and the EFAs on cards 1-${facts.fabricNics}`);
    }
  },
};

/** Every policy of the pack, in the order they report. */
export const gpuClusterPolicies = [componentBudget, stackBudget, allowedCapacity, fullFabric, awsEfaInterfaces];

/** Default enforcement levels (override per policy in the policy pack's config). */
export const DEFAULT_ENFORCEMENT: Record<string, EnforcementLevel> = Object.fromEntries(
  gpuClusterPolicies.map((p) => [p.name, p.enforcementLevel ?? "advisory"]),
);
