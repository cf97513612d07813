/**
 * Plan → CostEstimate. One function prices every plan, so the figure in a
 * preview, in a PR comment and in the policy pack is the same number.
 */
import * as catalog from "../catalog/index.js";
import { awsInterfaceEndpointPrices } from "../catalog/data/aws.js";
import { interfaceEndpoints } from "../clouds/aws/endpoints.js";
import type { EgressTier } from "../catalog/types.js";
import { planCluster, planFleet } from "../planner/plan.js";
import type { Plan } from "../planner/types.js";
import { SpecError } from "../spec/errors.js";
import { isFleetSpec } from "../spec/validate.js";
import type { ClusterSpec, FleetSpec } from "../spec/types.js";
import { checkBudget } from "./budget.js";
import { roundCents, sumCents } from "./money.js";
import type { CostEstimate, CostLine } from "./types.js";

const GIB_PER_TIB = 1024;
/** Reserved capacity bills every hour of the month whether it runs or not. */
const HOURS_PER_BILLED_MONTH = 730;
const TERM_MONTHS = { "reserved-1y": 12, "reserved-3y": 36 } as const;

/** Is this already a Plan (rather than a spec)? A spec never has `instance`; a plan-like object missing parts is rejected. */
export function isPlan(value: ClusterSpec | FleetSpec | Plan): value is Plan {
  if (typeof value !== "object" || value === null || !("instance" in value)) return false;
  const plan = value as Partial<Plan>;
  // The figures every line multiplies: NaN or Infinity in any of them would print as the whole bill.
  const figure = (v: unknown) => typeof v === "number" && Number.isFinite(v) && v >= 0;
  const complete =
    figure(plan.unitPrice?.usdPerHour) &&
    figure(plan.nodeCount) &&
    figure(plan.hoursPerMonth) &&
    typeof plan.fabric === "object" &&
    Array.isArray(plan.storage) &&
    typeof plan.egress === "object";
  if (!complete) throw new SpecError("plan", "is not a complete Plan (unitPrice, nodeCount, hoursPerMonth as finite figures; fabric, storage, egress)", "pass a spec, or the result of planCluster / planFleet");
  return true;
}

/** Plan a spec of either kind. */
export function planSpec(spec: ClusterSpec | FleetSpec): Plan {
  return isFleetSpec(spec) ? planFleet(spec) : planCluster(spec);
}

/**
 * What a spec or plan costs per month. A spec is validated and planned first
 * (throws SpecError). Inference fleets are priced at `replicas.min` and, as the
 * worst case budgets are checked against, at `replicas.max`.
 */
export function estimateCost(specOrPlan: ClusterSpec | FleetSpec | Plan): CostEstimate {
  const plan = isPlan(specOrPlan) ? specOrPlan : planSpec(specOrPlan);
  const lines = costLines(plan, plan.nodeCount);
  const monthlyUsd = sumCents(lines.map((l) => l.monthlyUsd));
  const estimate: CostEstimate = {
    workload: plan.workload,
    cloud: plan.cloud,
    region: plan.region,
    instanceType: plan.instanceType,
    nodeCount: plan.nodeCount,
    pricing: plan.pricing,
    hoursPerMonth: plan.hoursPerMonth,
    currency: "USD",
    monthlyUsd,
    // Reserved capacity is billed for every hour, so its all-in rate is over 730 h, not the hours used.
    hourlyUsd: roundCents(monthlyUsd / (isReserved(plan) ? HOURS_PER_BILLED_MONTH : plan.hoursPerMonth)),
    worstCaseMonthlyUsd: monthlyUsd,
    lines,
    notes: [],
  };
  if (plan.name !== undefined) estimate.name = plan.name;
  if (plan.replicas && plan.replicas.max !== plan.nodeCount) {
    const worstCaseLines = costLines(plan, plan.replicas.max);
    estimate.worstCaseLines = worstCaseLines;
    estimate.worstCaseMonthlyUsd = sumCents(worstCaseLines.map((l) => l.monthlyUsd));
    estimate.notes.push(
      `priced at replicas.min = ${plan.replicas.min}; at replicas.max = ${plan.replicas.max} it is ${estimate.worstCaseMonthlyUsd.toFixed(2)} USD/month (the figure budgets check)`,
    );
  }
  if (isReserved(plan)) {
    const months = TERM_MONTHS[plan.pricing];
    const computeMonthly = sumCents(lines.filter((l) => l.category === "compute").map((l) => l.monthlyUsd));
    estimate.committedUsd = roundCents(computeMonthly * months);
    estimate.notes.push(
      `${plan.pricing}: compute is committed spend, billed for all ${HOURS_PER_BILLED_MONTH} h of every month for ${months} months (${estimate.committedUsd.toFixed(2)} USD over the term)`,
    );
  }
  if (plan.pricing === "capacity-block") {
    estimate.notes.push("capacity-block: paid up front for the block's hours, used or not");
  }
  if (plan.pricing === "spot") {
    estimate.notes.push("spot: the price moves with the market and nodes can be reclaimed; the figure is the catalog's dated spot price");
  }
  if (plan.budget) estimate.budget = checkBudget(estimate.worstCaseMonthlyUsd, plan.budget);
  return estimate;
}

/** The bill's lines for `nodes` nodes of the plan. */
export function costLines(plan: Plan, nodes: number): CostLine[] {
  return [...computeLines(plan, nodes), ...storageLines(plan, nodes), ...egressLines(plan), ...networkLines(plan), ...clusterLines(plan)];
}

function line(fields: Omit<CostLine, "monthlyUsd">): CostLine {
  return { ...fields, monthlyUsd: roundCents(fields.quantity * fields.unitPriceUsd) };
}

function isReserved(plan: Plan): plan is Plan & { pricing: keyof typeof TERM_MONTHS } {
  // hasOwn, not `in`: a hand-made plan's pricing could be "constructor", which is `in` every object.
  return Object.hasOwn(TERM_MONTHS, plan.pricing);
}

function computeLines(plan: Plan, nodes: number): CostLine[] {
  if (nodes === 0) return [];
  const hours = isReserved(plan) ? HOURS_PER_BILLED_MONTH : plan.hoursPerMonth;
  return [
    line({
      category: "compute",
      description: `${nodes} × ${plan.instanceType} (${nodes * plan.gpusPerNode} × ${plan.gpuModel}), ${plan.pricing}, ${hours} h`,
      quantity: nodes * hours,
      unit: "instance-hour",
      unitPriceUsd: plan.unitPrice.usdPerHour,
      source: plan.unitPrice.source,
      asOf: plan.unitPrice.asOf,
    }),
  ];
}

function storageLines(plan: Plan, nodes: number): CostLine[] {
  return plan.storage
    .map((s) => {
      const copies = s.perNode ? nodes : 1;
      const where = s.kind === "object" ? "bucket" : `${s.kind} ${s.mountPath}`;
      if (s.disk) {
        // A fixed-size disk is billed at its size's monthly price, however full it is.
        return line({
          category: "storage",
          description: `${s.product}, ${s.capacityGiB} GiB disk${s.perNode ? ` × ${copies} nodes` : ""} (${where})`,
          quantity: copies,
          unit: "disk-month",
          unitPriceUsd: s.disk.usdPerMonth,
          source: s.priceSource.source,
          asOf: s.priceSource.asOf,
        });
      }
      return line({
        category: "storage",
        description: `${s.product}, ${s.capacityGiB} GiB${s.perNode ? ` × ${copies} nodes` : ""} (${where})`,
        quantity: s.capacityGiB * copies,
        unit: "GiB-month",
        unitPriceUsd: s.usdPerGiBMonth,
        source: s.priceSource.source,
        asOf: s.priceSource.asOf,
      });
    })
    .filter((l) => l.quantity > 0);
}

function egressLines(plan: Plan): CostLine[] {
  const lines: CostLine[] = [];
  const internetGiB = plan.egress.internetTiBPerMonth * GIB_PER_TIB;
  for (const { tier, gib } of splitIntoTiers(internetGiB, catalog.egressTiers(plan.cloud))) {
    const low = tierLowerBoundTiB(tier, catalog.egressTiers(plan.cloud));
    lines.push(
      line({
        category: "egress",
        description: `internet egress ${low}–${tier.upToTiB ?? "∞"} TiB tier`,
        quantity: gib,
        unit: "GiB",
        unitPriceUsd: tier.usdPerGiB,
        source: tier.source,
        asOf: tier.asOf,
      }),
    );
  }
  const crossRegionGiB = plan.egress.crossRegionTiBPerMonth * GIB_PER_TIB;
  if (crossRegionGiB > 0) {
    const net = catalog.networkPrices(plan.cloud);
    lines.push(
      line({
        category: "egress",
        description: "cross-region transfer",
        quantity: crossRegionGiB,
        unit: "GiB",
        unitPriceUsd: net.crossRegionUsdPerGiB,
        source: net.source,
        asOf: net.asOf,
      }),
    );
  }
  return lines;
}

/** Split a month's GiB across the cloud's volume tiers, first tier first. */
export function splitIntoTiers(totalGiB: number, tiers: readonly EgressTier[]): { tier: EgressTier; gib: number }[] {
  const out: { tier: EgressTier; gib: number }[] = [];
  let remaining = totalGiB;
  let lowerGiB = 0;
  for (const tier of tiers) {
    if (remaining <= 0) break;
    const capacity = tier.upToTiB === null ? Infinity : tier.upToTiB * GIB_PER_TIB - lowerGiB;
    const gib = Math.min(remaining, capacity);
    if (gib > 0) out.push({ tier, gib });
    remaining -= gib;
    if (tier.upToTiB !== null) lowerGiB = tier.upToTiB * GIB_PER_TIB;
  }
  return out;
}

function tierLowerBoundTiB(tier: EgressTier, tiers: readonly EgressTier[]): number {
  const index = tiers.indexOf(tier);
  return index <= 0 ? 0 : (tiers[index - 1]!.upToTiB ?? 0);
}

/**
 * A managed cluster this component creates: the control plane fee and the on-demand system node pool, for every hour
 * of the month (they run whether the GPU nodes do or not). An existing cluster's are already paid for.
 */
function clusterLines(plan: Plan): CostLine[] {
  const kubernetes = catalog.cloudCatalog(plan.cloud).kubernetes;
  if (plan.orchestrator !== "kubernetes" || plan.kubernetesCluster === "existing" || !kubernetes) return [];
  const lines = [
    line({
      category: "cluster",
      description: `${kubernetes.service} control plane (1 cluster), 730 h`,
      quantity: HOURS_PER_BILLED_MONTH,
      unit: "hour",
      unitPriceUsd: kubernetes.controlPlaneUsdPerHour,
      source: kubernetes.source,
      asOf: kubernetes.asOf,
    }),
  ];
  const system = kubernetes.systemNodes;
  const usdPerHour = Object.hasOwn(system.usdPerHour, plan.region) ? system.usdPerHour[plan.region] : undefined;
  if (usdPerHour !== undefined) {
    lines.push(
      line({
        category: "cluster",
        description: `system node pool: ${system.nodes} × ${system.instanceType}, on-demand, 730 h`,
        quantity: system.nodes * HOURS_PER_BILLED_MONTH,
        unit: "instance-hour",
        unitPriceUsd: usdPerHour,
        source: system.source,
        asOf: system.asOf,
      }),
    );
  }
  return lines;
}

function networkLines(plan: Plan): CostLine[] {
  const net = catalog.networkPrices(plan.cloud);
  const lines: CostLine[] = [];
  const existingCluster = plan.orchestrator === "kubernetes" && plan.kubernetesCluster === "existing";
  // An existing cluster's network (and its NAT) is already there and paid for.
  if (plan.egress.natGateway && net.natGatewayUsdPerHour > 0 && !existingCluster) {
    lines.push(
      line({
        category: "network",
        description: "NAT gateway (1), 730 h",
        quantity: HOURS_PER_BILLED_MONTH,
        unit: "hour",
        unitPriceUsd: net.natGatewayUsdPerHour,
        source: net.source,
        asOf: net.asOf,
      }),
    );
  }
  const natGiB = plan.egress.natGateway ? plan.egress.internetTiBPerMonth * GIB_PER_TIB : 0;
  if (natGiB > 0 && net.natGatewayUsdPerGiB > 0) {
    lines.push(
      line({
        category: "network",
        description: "NAT gateway data processed (internet egress)",
        quantity: natGiB,
        unit: "GiB",
        unitPriceUsd: net.natGatewayUsdPerGiB,
        source: net.source,
        asOf: net.asOf,
      }),
    );
  }
  lines.push(...awsEndpointLines(plan));
  // On Kubernetes an internal fleet is a ClusterIP Service: no load balancer to pay for.
  const buildsLoadBalancer = plan.service !== undefined && (plan.orchestrator === "vm" || plan.service.loadBalancer === "internet-facing");
  if (plan.service && buildsLoadBalancer && net.loadBalancerUsdPerHour > 0) {
    lines.push(
      line({
        category: "network",
        description: `${plan.service.loadBalancer} load balancer (1), 730 h`,
        quantity: HOURS_PER_BILLED_MONTH,
        unit: "hour",
        unitPriceUsd: net.loadBalancerUsdPerHour,
        source: net.source,
        asOf: net.asOf,
      }),
    );
  }
  return lines;
}

/** AWS without a NAT gateway: the interface endpoints the VM compiler builds (lib/clouds/aws/endpoints.ts), every hour. */
function awsEndpointLines(plan: Plan): CostLine[] {
  const endpoints = interfaceEndpoints(plan);
  if (!endpoints) return [];
  const price = awsInterfaceEndpointPrices;
  return [
    line({
      category: "network",
      description: `interface VPC endpoints (${endpoints.services.length} services × ${endpoints.zones} zone${endpoints.zones === 1 ? "" : "s"}), 730 h; data processed ${price.usdPerGiB} USD/GB extra`,
      quantity: endpoints.services.length * endpoints.zones * HOURS_PER_BILLED_MONTH,
      unit: "endpoint-zone-hour",
      unitPriceUsd: price.usdPerEndpointZoneHour,
      source: price.source,
      asOf: price.asOf,
    }),
  ];
}
