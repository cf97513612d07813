/** Shapes of a cost estimate. Plain data, JSON-serialisable. */
import type { Cloud, PricingModel } from "../catalog/types.js";
import type { BudgetAction, Workload } from "../spec/types.js";
import type { BillOfMaterialsItem } from "./bom/types.js";

/** `cluster`: a managed Kubernetes cluster's own fees and system nodes (none for an existing cluster). */
export const CostCategory = { Compute: "compute", Storage: "storage", Egress: "egress", Network: "network", Cluster: "cluster" } as const;
export type CostCategory = (typeof CostCategory)[keyof typeof CostCategory];
export const COST_CATEGORIES: readonly CostCategory[] = Object.values(CostCategory);

/** One line of the bill. */
export interface CostLine {
  category: CostCategory;
  description: string;
  /** How many units per month (instance-hours, GiB-months, GiB, hours). */
  quantity: number;
  /** The unit of `quantity`, e.g. `instance-hour`, `GiB-month`, `GiB`, `hour`. */
  unit: string;
  /** USD per unit. */
  unitPriceUsd: number;
  /** USD per month, rounded to the cent. */
  monthlyUsd: number;
  /** Where the unit price came from, and when it was read. */
  source: string;
  asOf: string;
}

/** Result of checking an estimate against its budget. */
export interface BudgetVerdict {
  /** The budget, USD per month. */
  monthlyUsd: number;
  onExceed: BudgetAction;
  /** The figure checked: the worst case (inference at `replicas.max`), USD per month. */
  checkedUsd: number;
  withinBudget: boolean;
  /** How far over, USD per month (0 when within). */
  overByUsd: number;
}

/** The worst case as always-on capacity costs it: priced at 730 h whatever `hoursPerMonth` says. */
export interface AlwaysOnCost {
  /** The hours priced: 730, a billed month. */
  hoursPerMonth: number;
  /** Total per month at 730 h (inference: at `replicas.max`), USD: the figure budget policies check. */
  worstCaseMonthlyUsd: number;
  /** Its lines. */
  worstCaseLines: CostLine[];
}

/** What a plan costs per month, line by line. */
export interface CostEstimate {
  /** Label of the cluster or fleet. */
  name?: string;
  workload: Workload;
  cloud: Cloud;
  region: string;
  instanceType: string;
  nodeCount: number;
  pricing: PricingModel;
  hoursPerMonth: number;
  /** Currency of every figure: always `USD`. */
  currency: string;
  /** Total per month at `nodeCount`, USD (sum of the rounded lines). */
  monthlyUsd: number;
  /** The all-in hourly rate, USD: `monthlyUsd / hoursPerMonth` (reserved: over 730 h, the hours it is billed). */
  hourlyUsd: number;
  /** Inference: total per month at `replicas.max`; training: equal to `monthlyUsd`. Budgets check this. */
  worstCaseMonthlyUsd: number;
  /** Reserved capacity: the spend committed over the whole term, USD (compute only). */
  committedUsd?: number;
  /** Lines at `nodeCount`. */
  lines: CostLine[];
  /** Inference: the lines at `replicas.max`. */
  worstCaseLines?: CostLine[];
  budget?: BudgetVerdict;
  /**
   * A component whose `hoursPerMonth` is below 730: its worst case at 730 h, priced with the component's cloud options
   * when it was prepared. The components build always-on node groups, so budget policies check this figure (lib/policy)
   * unless told to trust `hoursPerMonth`. Absent at 730 h or more, where the worst case is already this.
   */
  alwaysOn?: AlwaysOnCost;
  /** Things the reader should know about the figure (e.g. reserved billed for all hours). */
  notes: string[];
  /** What the figure leaves out (support plans, taxes, ...), stated so it is never silent. */
  notIncluded: string[];
  /** The billable things the target builds at `nodeCount`, as priced (lib/cost/bom). */
  billOfMaterials: BillOfMaterialsItem[];
}
