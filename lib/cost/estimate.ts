/**
 * Plan → CostEstimate. One function prices every plan, so the figure in a
 * preview, in a PR comment and in the policy pack is the same number.
 */
import * as catalog from "../catalog/index.js";
import { awsInterfaceEndpointPrices } from "../catalog/data/aws.js";
import { APP_GATEWAY_FEES, appGatewayCapacityUnitHours } from "../catalog/data/azure-app-gateway.js";
import { AWS_FEES, AZURE_FEES, COREWEAVE_FEES, FEE_REFERENCE_REGION, GCP_FEES, NODE_DISK_FEES, perGiBIn, type Fee, type TransferUnit } from "../catalog/data/fees.js";
import type { EgressTier, Sourced } from "../catalog/types.js";
import { planCluster, planFleet } from "../planner/plan.js";
import type { Plan } from "../planner/types.js";
import { bounds, fleetNodes } from "../planner/packing.js";
import { AWS_OPTION_FIELDS } from "../clouds/aws/options.js";
import { AZURE_OPTION_FIELDS } from "../clouds/azure/options.js";
import { COREWEAVE_OPTION_FIELDS } from "../clouds/coreweave/options.js";
import { GCP_OPTION_FIELDS } from "../clouds/gcp/options.js";
import { checkOptionBag, type FieldKinds } from "../clouds/shared/option-fields.js";
import { SpecError } from "../spec/errors.js";
import { isFleetSpec } from "../spec/validate.js";
import { SPEC_DEFAULTS, type ClusterSpec, type FleetSpec } from "../spec/types.js";
import { billOfMaterials, type BomItem, type LoadBalancerProduct } from "./bom/index.js";
import { managedPrometheusFee } from "./bom/managed-prometheus.js";
import { checkBudget } from "./budget.js";
import { roundCents, sumCents } from "./money.js";
import { billedUnits, crossRegionIn, egressTiersIn, transferUnit } from "./transfer.js";
import type { AlwaysOnCost, CostEstimate, CostLine } from "./types.js";
import { pricingDate } from "./pricing-date.js";

const GIB_PER_TIB = 1024;
/** Hours in a billed month: reserved capacity bills every one whether it runs or not, and always-on capacity runs them. */
export const HOURS_PER_BILLED_MONTH = 730;
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
 * What the estimate leaves out, stated in every estimate (and its notes) rather than silently: the figure is the
 * list price of what the component builds, nothing around it.
 */
export const NOT_INCLUDED = [
  "support plans",
  "taxes",
  "free tiers, credits and discounts other than the spec's contract prices",
  "logging and monitoring (CloudWatch, Cloud Logging / Monitoring, Azure Monitor) other than the managed Prometheus a created cluster feeds, shown as a line or a not-priced note",
  "DNS, certificates, and secrets managers other than the secrets listed as lines",
  "object storage requests and retrieval",
  "backups and snapshots not shown as a line",
  "data moved within a zone and to the cloud's own services",
] as const;

/** Each cloud's option bag shape (the components check the same one before anything is created). */
const OPTION_FIELDS: Record<Plan["cloud"], FieldKinds<object>> = { aws: AWS_OPTION_FIELDS, gcp: GCP_OPTION_FIELDS, azure: AZURE_OPTION_FIELDS, coreweave: COREWEAVE_OPTION_FIELDS };
/** The bag's node disk size the bill prices per GiB (lib/cost/bom/<target>.ts), by cloud. */
const NODE_DISK_FIELD: Partial<Record<Plan["cloud"], string>> = { aws: "rootVolumeGiB", gcp: "bootDiskGiB", azure: "osDiskGiB" };

/**
 * The option bag as the estimate reads it, checked before any figure is made (SpecError naming the field): its shape
 * (known keys, a finite number where a number goes), and the node disk size it prices as a whole number of GiB of at
 * least 1. A bag given straight to `estimateCost` is otherwise never checked (the components run the clouds' full
 * checks first, lib/components/build.ts), and a NaN, string or negative disk size priced a NaN or negative bill.
 * The clouds' own ranges stay in their option checks; this is the floor that keeps the bill a number.
 */
function checkPricedOptions(plan: Plan, cloudOptions: unknown): void {
  if (cloudOptions === undefined) return;
  checkOptionBag(cloudOptions, plan.cloud, OPTION_FIELDS[plan.cloud]);
  const key = NODE_DISK_FIELD[plan.cloud];
  const size = key === undefined ? undefined : (cloudOptions as Record<string, unknown>)[key];
  if (size !== undefined && !(Number.isInteger(size) && (size as number) >= 1)) {
    throw new SpecError(`${plan.cloud}.${key}`, `${String(size)} is not a whole number of GiB`, "give the node disk size in GiB, e.g. 512, or leave it out (the default is priced)");
  }
}

/**
 * What a spec or plan costs per month. A spec is validated and planned first
 * (throws SpecError). Inference fleets are priced at `replicas.min` and, as the
 * worst case budgets are checked against, at `replicas.max`. `cloudOptions` is the
 * cloud's option bag (the component's `aws`, `gcp`, `azure` or `coreweave`), which
 * decides some of what is built (root volume sizes, an existing VPC or cluster, the
 * EKS version); absent, the defaults are priced. A bag of the wrong shape, or a node disk size that is not a whole
 * number of GiB, is a SpecError before any figure is made (checkPricedOptions).
 */
export function estimateCost(specOrPlan: ClusterSpec | FleetSpec | Plan, cloudOptions?: unknown): CostEstimate {
  const plan = isPlan(specOrPlan) ? specOrPlan : planSpec(specOrPlan);
  checkPricedOptions(plan, cloudOptions);
  const lines = costLines(plan, plan.nodeCount, cloudOptions, plan.replicas?.min);
  const bom = billOfMaterials(plan, cloudOptions);
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
    notIncluded: [...NOT_INCLUDED],
    billOfMaterials: bom,
  };
  if (plan.name !== undefined) estimate.name = plan.name;
  if (plan.replicas) {
    // The nodes the pool holds at each bound: several replicas share a node on Kubernetes (lib/planner/packing.ts).
    // A plan made before packing (no `nodes`) has one node per replica.
    const nodes = fleetNodes(plan);
    const packed = (plan.replicasPerNode ?? 1) > 1;
    const at = (r: number, n: number) => (packed ? `${r} (${n} node${n === 1 ? "" : "s"} of ${plan.instanceType}, ${plan.replicasPerNode} replicas per node)` : `${r}`);
    if (packed) {
      estimate.notes.push(
        `${bounds(plan.replicas.min, plan.replicas.max)} replicas of ${plan.gpusPerReplica} GPU${plan.gpusPerReplica === 1 ? "" : "s"} ` +
          `packed ${plan.replicasPerNode} per node on ${bounds(nodes.min, nodes.max)} ${plan.instanceType} node${nodes.max === 1 ? "" : "s"}: compute is priced per node, not per replica`,
      );
    } else if (plan.orchestrator === "vm" && plan.gpusPerReplica !== undefined && plan.gpusPerReplica < plan.gpusPerNode) {
      // The VM path runs one replica per VM (lib/planner/packing.ts): the bill says what that costs against the ask.
      const extra = plan.gpusPerNode - plan.gpusPerReplica;
      estimate.notes.push(
        `one replica per ${plan.instanceType} VM: each replica asks ${plan.gpusPerReplica} GPU${plan.gpusPerReplica === 1 ? "" : "s"} and is billed for ${plan.gpusPerNode} ` +
          `(${extra * plan.replicas.max} GPUs beyond the ask at replicas.max); orchestrator 'kubernetes' packs ${Math.floor(plan.gpusPerNode / plan.gpusPerReplica)} per node`,
      );
    }
    if (nodes.max !== plan.nodeCount || plan.replicas.max !== plan.replicas.min) {
      const worstCaseLines = costLines(plan, nodes.max, cloudOptions, plan.replicas.max, true);
      estimate.worstCaseLines = worstCaseLines;
      estimate.worstCaseMonthlyUsd = sumCents(worstCaseLines.map((l) => l.monthlyUsd));
      estimate.notes.push(
        `priced at replicas.min = ${at(plan.replicas.min, nodes.min)}; at replicas.max = ${at(plan.replicas.max, nodes.max)} it is ${estimate.worstCaseMonthlyUsd.toFixed(2)} USD/month (the figure budgets check)`,
      );
    }
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
    // The catalog's block rates are dated figures a later price list superseded; a block's real price is the
    // offering's upfront fee, known at purchase (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeCapacityBlockOfferings.html).
    // This estimate stays synchronous and catalog-priced, so validation and the budget check run before anything
    // exists. No API prices a block already bought; after compiling, the component asks EC2 for an offering of the
    // same block (type, count, duration, window), catches its failures (zero or several offerings fail the provider's
    // data source), and publishes which price it used as `capacityBlockPricing` (lib/cost/capacity-block-live.ts).
    if (plan.unitPrice && plan.unitPrice.asOf !== "spec") {
      estimate.notes.push(
        `capacity-block: ${plan.unitPrice.usdPerHour} USD/instance-hour is the catalog's indicative rate as of ${plan.unitPrice.asOf}, not your block's price; give the offering's upfront fee ÷ (instances × hours) as contractUsdPerHour (aws ec2 describe-capacity-block-offerings quotes it)`,
      );
    }
  }
  if (plan.pricing === "spot") {
    const asOf = plan.unitPrice?.asOf;
    const dated = asOf !== undefined && ISO_DAY.test(asOf) ? `the catalog's spot price as of ${asOf}` : "the catalog's spot price";
    estimate.notes.push(`spot: the price moves with the market and nodes can be reclaimed; the figure is ${dated}`);
  }
  const stale = staleComputePrice(plan.unitPrice?.asOf);
  if (stale !== undefined) {
    estimate.notes.push(
      `compute: the catalog's ${plan.pricing} price for ${plan.instanceType} in ${plan.region} is from ${stale.asOf}, ${stale.days} days before this estimate's day; prices may have changed since: ${staleRemedy(plan)}`,
    );
  }
  if (plan.pricing === "flex-start") {
    // Validation refuses flex-start without contractUsdPerHour (no dated DWS figure in the catalog), so the line is never 0 or on-demand.
    estimate.notes.push(
      `flex-start: Google bills Dynamic Workload Scheduler prices for the hours the nodes run; the compute line uses your rate (${plan.unitPrice.usdPerHour} USD/instance-hour, ${plan.unitPrice.source}), ` +
        "as the catalog holds no dated DWS price; the pool has no nodes, and no compute bill, while no job runs",
    );
  }
  estimate.notes.push(...trafficNotes(plan, bom), ...regionNotes(plan, bom), ...unpricedNotes(bom), ...unpricedDiskNotes(plan, bom));
  estimate.notes.push(`not included: ${NOT_INCLUDED.join("; ")}`);
  if (plan.budget) estimate.budget = checkBudget(estimate.worstCaseMonthlyUsd, plan.budget);
  return estimate;
}

/**
 * The worst case of a plan whose `hoursPerMonth` is below 730, priced at 730 h with the same cloud options
 * (`cloudOptions` as for `estimateCost`); undefined at 730 h or more. The components carry it in their estimate
 * (`CostEstimate.alwaysOn`), so a budget policy checks the figure the component's own options give, never a re-estimate.
 */
export function alwaysOnCost(plan: Plan, cloudOptions?: unknown): AlwaysOnCost | undefined {
  if (plan.hoursPerMonth >= HOURS_PER_BILLED_MONTH) return undefined;
  const full = estimateCost({ ...plan, hoursPerMonth: HOURS_PER_BILLED_MONTH }, cloudOptions);
  return { hoursPerMonth: HOURS_PER_BILLED_MONTH, worstCaseMonthlyUsd: full.worstCaseMonthlyUsd, worstCaseLines: full.worstCaseLines ?? full.lines };
}

/**
 * The bill at its autoscaled pools' maximums, for the worst case a budget checks: an autoscaled system pool (EKS,
 * AKS: catalog `systemNodes.maxNodes`) and its disks at their most nodes, as a fleet's GPU nodes are at replicas.max.
 */
function atPoolMaximums(bom: BomItem[]): BomItem[] {
  return bom.map((item) => ((item.kind === "system-nodes" || item.kind === "node-disk") && item.maxCount !== undefined ? { ...item, count: item.maxCount } : item));
}

/**
 * The bill's lines for `nodes` nodes of the plan: the compute, storage and egress the plan states, and exactly the
 * billable things its target's bill of materials lists (lib/cost/bom).
 */
export function costLines(plan: Plan, nodes: number, cloudOptions?: unknown, replicas: number = nodes, worstCase = false): CostLine[] {
  const bom = worstCase ? atPoolMaximums(billOfMaterials(plan, cloudOptions, nodes)) : billOfMaterials(plan, cloudOptions, nodes);
  return [
    ...computeLines(plan, bom),
    ...storageLines(plan, nodes),
    ...nodeDiskLines(plan, bom),
    ...egressLines(plan, nodes, replicas),
    ...networkLines(plan, bom, nodes, replicas),
    ...clusterLines(plan, bom),
    ...secretLines(plan, bom, nodes),
  ];
}

/**
 * Secrets in the cloud's secret store (a VM training cluster's SSH key), one rule per cloud's billing:
 * - AWS Secrets Manager bills each secret a month (its reads, a few per boot, per 10,000: under a cent).
 * - Azure Key Vault bills operations only: every node reads its secret once at boot, so a month's reads are the nodes
 *   (each boot, repair or reimage adds one).
 * - GCP Secret Manager bills each active version in each replica location a month (the reads are a few per boot,
 *   priced per 10,000: under a cent).
 */
function secretLines(plan: Plan, bom: BomItem[], nodes: number): CostLine[] {
  return bom.flatMap((item) => {
    if (item.kind !== "secret") return [];
    if (plan.cloud === "aws") return [fee("cluster", `Secrets Manager secret (${item.count}): ${item.what}`, item.count, AWS_FEES.secretsManagerSecret)];
    if (plan.cloud === "azure") {
      return [fee("cluster", `Key Vault secret (${item.count}): ${item.what}; ${nodes} reads a month (one per node boot)`, nodes / 10_000, AZURE_FEES.keyVaultSecretOperations)];
    }
    if (plan.cloud === "gcp") {
      const locations = item.locations ?? 1;
      return [fee("cluster", `Secret Manager secret (${item.count}): ${item.what}, 1 version in ${locations} location(s)`, item.count * locations, GCP_FEES.secretVersion)];
    }
    return [];
  });
}

function line(fields: Omit<CostLine, "monthlyUsd">): CostLine {
  return { ...fields, monthlyUsd: roundCents(fields.quantity * fields.unitPriceUsd) };
}

function isReserved(plan: Plan): plan is Plan & { pricing: keyof typeof TERM_MONTHS } {
  // hasOwn, not `in`: a hand-made plan's pricing could be "constructor", which is `in` every object.
  return Object.hasOwn(TERM_MONTHS, plan.pricing);
}

/** The GPU nodes' line: the bill's `gpu-nodes` item (lib/cost/bom), the count the compiler sizes the node group from. */
function computeLines(plan: Plan, bom: BomItem[]): CostLine[] {
  const gpu = bom.find((item): item is Extract<BomItem, { kind: "gpu-nodes" }> => item.kind === "gpu-nodes");
  const nodes = gpu?.count ?? 0;
  if (nodes === 0) return [];
  const hours = isReserved(plan) ? HOURS_PER_BILLED_MONTH : plan.hoursPerMonth;
  return [
    line({
      category: "compute",
      description: `${nodes} × ${gpu!.instanceType} (${nodes * plan.gpusPerNode} × ${plan.gpuModel}), ${plan.pricing}, ${hours} h`,
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

/**
 * Whether the fleet answers the internet: its responses then leave the cloud through the load balancer's public address
 * (AWS ALB or NLB, GCP's global external Application Load Balancer, Azure's Application Gateway, CoreWeave's
 * LoadBalancer Service), billed as internet egress. An internal fleet's traffic stays in the network.
 */
export function servesInternet(plan: Pick<Plan, "service">): boolean {
  return plan.service?.loadBalancer === "internet-facing";
}

/**
 * GiB a month the plan sends to the internet at `replicas` replicas: what the nodes send through the NAT
 * (`egress.internetTiBPerMonth`), and what an internet-facing fleet's load balancer serves (`servedGiB`, the same figure
 * its usage line prices).
 */
export function internetEgressGiB(plan: Plan, replicas: number): { natted: number; served: number } {
  return { natted: plan.egress.internetTiBPerMonth * GIB_PER_TIB, served: servesInternet(plan) ? servedGiB(plan, replicas) : 0 };
}

/**
 * Internet egress on the cloud's volume tiers, applied once to the month's sum of both paths (the nodes' NAT and the
 * load balancer), because each cloud tiers all of an account's (AWS), subscription's (Azure) or billing account's
 * Premium Tier (GCP) internet egress of the month together, whatever sends it; the estimate sees one component, so a
 * bill with other traffic may sit in lower tiers. Served responses are data transfer out like any other:
 * - AWS: data an ALB or NLB sends to clients on the internet is EC2 data transfer out to the internet
 *   (https://aws.amazon.com/blogs/networking-and-content-delivery/exploring-data-transfer-costs-for-classic-and-application-load-balancers/
 *   and .../exploring-data-transfer-costs-for-aws-network-load-balancers/, read 2026-11-30);
 * - GCP: "responses to requests count as data transfer out and are charged" (https://cloud.google.com/vpc/pricing,
 *   inbound data transfer, read 2026-11-30), at Premium Tier rates for the global external load balancer (the regional
 *   one is the Standard Tier option, https://cloud.google.com/load-balancing/pricing, read 2026-11-30);
 * - Azure: data leaving Azure's data centres is billed by zone (https://azure.microsoft.com/pricing/details/bandwidth/),
 *   the Application Gateway's responses included;
 * - CoreWeave: egress is free (the catalog's single $0 tier, with its source).
 */
function egressLines(plan: Plan, nodes: number, replicas: number = nodes): CostLine[] {
  const lines: CostLine[] = [];
  const { natted, served } = internetEgressGiB(plan, replicas);
  // The region's own tiers where the catalog has them (lib/cost/transfer.ts), else the reference region's (a region note says so).
  const { tiers } = egressTiersIn(plan.cloud, plan.region);
  const unit = transferUnit(plan.cloud);
  const servedWhat = `${served} GiB served by the internet-facing load balancer`;
  const of = served === 0 ? "" : natted === 0 ? ` (${servedWhat})` : ` (of ${natted + served} GiB a month: ${natted} GiB from the nodes, ${servedWhat})`;
  for (const { tier, gib } of splitIntoTiers(billedUnits(natted + served, unit), tiers)) {
    lines.push(
      line({
        category: "egress",
        description: `internet egress ${tierLowerBoundTiB(tier, tiers)}–${tier.upToTiB ?? "∞"} TiB tier${of}`,
        quantity: gib,
        unit: unit.label,
        unitPriceUsd: tier.usdPerGiB,
        source: tier.source,
        asOf: tier.asOf,
      }),
    );
  }
  const crossRegionGiB = plan.egress.crossRegionTiBPerMonth * GIB_PER_TIB;
  if (crossRegionGiB > 0) {
    const rate = crossRegionIn(plan.cloud, plan.region);
    lines.push(
      line({
        category: "egress",
        description: "cross-region transfer",
        quantity: billedUnits(crossRegionGiB, unit),
        unit: unit.label,
        unitPriceUsd: rate.usd,
        source: rate.source,
        asOf: rate.asOf,
      }),
    );
  }
  return lines;
}

/**
 * Split a month's transfer, in the cloud's billed units (lib/cost/transfer.ts; GiB for every cloud today), across its
 * volume tiers, first tier first. A tier's bound counts 1,024 units per TB, as the clouds' price APIs count them (AWS:
 * first 10 TB = 10,240 GB; see TRANSFER_UNIT in lib/catalog/data/fees.ts).
 */
export function splitIntoTiers(totalUnits: number, tiers: readonly EgressTier[]): { tier: EgressTier; gib: number }[] {
  const out: { tier: EgressTier; gib: number }[] = [];
  let remaining = totalUnits;
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
 * A managed cluster this component creates: the control plane fee (and EKS extended support), and the on-demand system
 * node pool, for every hour of the month (they run whether the GPU nodes do or not). An existing cluster's are already
 * paid for, so its bill of materials has none.
 */
function clusterLines(plan: Plan, bom: BomItem[]): CostLine[] {
  const kubernetes = catalog.cloudCatalog(plan.cloud).kubernetes;
  if (!kubernetes) return [];
  const lines: CostLine[] = [];
  for (const item of bom) {
    if (item.kind === "control-plane") {
      lines.push(
        line({
          category: "cluster",
          description: `${kubernetes.service} control plane (1 cluster), 730 h`,
          quantity: HOURS_PER_BILLED_MONTH,
          unit: "hour",
          unitPriceUsd: kubernetes.controlPlaneUsdPerHour,
          source: kubernetes.source,
          asOf: kubernetes.asOf,
        }),
      );
    } else if (item.kind === "extended-support") {
      lines.push(
        fee("cluster", `EKS extended support: Kubernetes ${item.version} left standard support ${item.standardSupportEnded}, 730 h`, HOURS_PER_BILLED_MONTH, AWS_FEES.eksExtendedSupportExtra, "hour"),
      );
    } else if (item.kind === "kms-key") {
      lines.push(kmsKeyLine(plan, item.count, item.what));
    } else if (item.kind === "metric-samples") {
      const f = managedPrometheusFee(plan.cloud);
      // None at zero nodes (a fleet at replicas.min 0): nothing is sent until a node runs.
      if (f && item.count > 0) lines.push(fee("cluster", item.what, item.count / 1e7, f));
    } else if (item.kind === "system-nodes") {
      const system = kubernetes.systemNodes;
      const usdPerHour = Object.hasOwn(system.usdPerHour, plan.region) ? system.usdPerHour[plan.region] : undefined;
      if (usdPerHour === undefined) continue;
      lines.push(
        line({
          category: "cluster",
          description: `system node pool: ${item.count} × ${system.instanceType}, on-demand, 730 h`,
          quantity: item.count * HOURS_PER_BILLED_MONTH,
          unit: "instance-hour",
          unitPriceUsd: usdPerHour,
          source: system.source,
          asOf: system.asOf,
        }),
      );
    }
  }
  return lines;
}

/**
 * Customer managed keys the component creates: AWS per key-month, Cloud KMS per active key version-month. Rotation
 * adds to both over time (AWS: $1/month for each of the first two yearly rotations; Cloud KMS: a version every 90
 * days); the line prices the first year's single key material and says so.
 */
function kmsKeyLine(plan: Plan, count: number, what: string): CostLine {
  if (plan.cloud === "gcp") return fee("cluster", `Cloud KMS key (${count}): ${what}; 1 active version each, one more per rotation`, count, GCP_FEES.kmsKeyVersion);
  return fee("cluster", `KMS key (${count}): ${what}; first year (each of the first two rotations adds $1/month)`, count, AWS_FEES.kmsKey);
}

/**
 * Cloud NAT's per-VM hours: per VM served per hour up to the cap, from the cap on the gateway's flat hourly rate
 * (GCP_FEES.cloudNat*). A VM is served while it exists: the GPU nodes for the plan's hours (as their compute and
 * boot disks), a GKE cluster's system nodes (the bill's `system-nodes` item, counted in `vms`) all month. So the month
 * splits into the hours both run and the hours the system nodes run alone, each priced at its own VM count.
 */
function cloudNatLines(plan: Plan, vms: number, bom: BomItem[]): CostLine[] {
  const system = bom.find((i): i is Extract<BomItem, { kind: "system-nodes" }> => i.kind === "system-nodes")?.count ?? 0;
  const busy = Math.min(plan.hoursPerMonth, HOURS_PER_BILLED_MONTH);
  const spans = [
    { vms, hours: busy, alone: false },
    { vms: Math.min(system, vms), hours: HOURS_PER_BILLED_MONTH - busy, alone: true },
  ];
  return spans.flatMap(({ vms: n, hours, alone }) => {
    if (n === 0 || hours === 0) return [];
    const who = alone ? `${n} system node VMs served (no GPU node running)` : `${n} VMs served`;
    if (n > GCP_FEES.cloudNatCapVms) {
      return [fee("network", `Cloud NAT gateway serving ${n} VMs (over ${GCP_FEES.cloudNatCapVms}: the capped rate), ${hours} h`, hours, GCP_FEES.cloudNatCapPerHour)];
    }
    return [fee("network", `Cloud NAT: ${who} × ${hours} h`, n * hours, GCP_FEES.cloudNatPerVmHour)];
  });
}

/** A line priced from a fee row. */
function fee(category: CostLine["category"], description: string, quantity: number, f: Fee, unit: string = f.unit): CostLine {
  return line({ category, description, quantity, unit, unitPriceUsd: f.usd, source: f.source, asOf: f.asOf });
}

/**
 * Root / boot / OS disks: per GiB-month (AWS gp3, GCP PD) or per disk-month at the size that holds them (Azure
 * P-tiers). GPU nodes' disks live as long as the nodes (the plan's hours); system nodes' all month. A disk type
 * without a figure is left out, and the notes name it (unpricedDiskNotes).
 */
function nodeDiskLines(plan: Plan, bom: BomItem[]): CostLine[] {
  const lines: CostLine[] = [];
  for (const item of bom) {
    if (item.kind !== "node-disk" || item.count === 0 || plan.cloud === "coreweave") continue;
    const price = diskFee(plan, item.diskType);
    if (!price) continue;
    const hours = item.pool === "system" ? HOURS_PER_BILLED_MONTH : plan.hoursPerMonth;
    const months = hours / HOURS_PER_BILLED_MONTH;
    const who = item.pool === "system" ? "system node" : "GPU node";
    const category = item.pool === "system" ? "cluster" : "storage";
    if (price.kind === "per-GiB") {
      lines.push(
        line({
          category,
          description: `${who} ${diskWord(plan)} disks: ${item.count} × ${item.sizeGiB} GiB ${price.product}, ${hours} h`,
          quantity: item.count * item.sizeGiB * months,
          unit: "GiB-month",
          unitPriceUsd: perGiBIn(price, plan.region).usd,
          source: price.source,
          asOf: price.asOf,
        }),
      );
    } else {
      const size = price.sizes.find((s) => s.sizeGiB >= item.sizeGiB);
      if (!size) continue;
      lines.push(
        line({
          category,
          description: `${who} ${diskWord(plan)} disks: ${item.count} × ${size.name} (${size.sizeGiB} GiB) ${price.product}, ${hours} h`,
          quantity: item.count * months,
          unit: "disk-month",
          unitPriceUsd: size.usdPerMonth,
          source: price.source,
          asOf: price.asOf,
        }),
      );
    }
  }
  return lines;
}

/**
 * The node disks nodeDiskLines leaves out for want of a dated figure (GCP Hyperdisk Balanced, the A3 Ultra / A4 / G4
 * boot disk: no public capture of Google's billing catalog with its SKUs was found, lib/catalog/data/gcp.ts), named
 * with their count and size: never silent.
 */
function unpricedDiskNotes(plan: Plan, bom: BomItem[]): string[] {
  if (plan.cloud === "coreweave") return [];
  return bom.flatMap((item) => {
    if (item.kind !== "node-disk" || item.count === 0) return [];
    const price = diskFee(plan, item.diskType);
    if (price && (price.kind === "per-GiB" || price.sizes.some((s) => s.sizeGiB >= item.sizeGiB))) return [];
    const who = item.pool === "system" ? "system node" : "GPU node";
    return [`not priced: ${who} ${diskWord(plan)} disks, ${item.count} × ${item.sizeGiB} GiB ${item.diskType} (no dated ${item.diskType} price in the catalog; capacity and any IOPS or throughput above the disk's free baseline are billed)`];
  });
}

function diskWord(plan: Plan): string {
  return plan.cloud === "aws" ? "root" : plan.cloud === "gcp" ? "boot" : "OS";
}

function diskFee(plan: Plan, diskType: string) {
  if (plan.cloud === "coreweave") return undefined;
  const table = NODE_DISK_FEES[plan.cloud];
  return Object.hasOwn(table, diskType) ? table[diskType] : undefined;
}

/**
 * How many pull the default 50 GiB: the nodes, except a Kubernetes fleet without a shared file system, whose every pod
 * downloads the model into its own cache (lib/clouds/kubernetes/inference.ts: HF_HOME on the pod's emptyDir), so
 * packed replicas each pull it while the node's image layers are pulled once.
 */
function pullers(plan: Plan, nodes: number, replicas: number): number {
  const ownCache = plan.workload === "inference" && plan.orchestrator === "kubernetes" && !plan.storage.some((s) => s.kind === "nfs" || s.kind === "lustre");
  return ownCache ? Math.max(nodes, replicas) : nodes;
}

/** GiB a month pulled in through the NAT: the spec's figure, or the per-node default at `nodes`. */
export function pulledGiB(plan: Plan, nodes: number): number {
  return plan.egress.pulledTiBPerMonth !== undefined ? plan.egress.pulledTiBPerMonth * GIB_PER_TIB : SPEC_DEFAULTS.pulledGiBPerNode * nodes;
}

/** GiB a month through a fleet's load balancer: the spec's figure, or the per-replica default at `replicas` (pods, not nodes, serve). */
export function servedGiB(plan: Plan, replicas: number): number {
  return plan.egress.servedTiBPerMonth !== undefined ? plan.egress.servedTiBPerMonth * GIB_PER_TIB : SPEC_DEFAULTS.servedGiBPerReplica * replicas;
}

function networkLines(plan: Plan, bom: BomItem[], nodes: number, replicas: number = nodes): CostLine[] {
  const net = catalog.networkPrices(plan.cloud);
  const lines: CostLine[] = [];
  const internetGiB = plan.egress.internetTiBPerMonth * GIB_PER_TIB;
  const pulled = pulledGiB(plan, pullers(plan, nodes, replicas));
  const unit = transferUnit(plan.cloud);
  for (const item of bom) {
    switch (item.kind) {
      case "nat-gateway": {
        // The NAT prices are the fee rows' (the network entry takes them from there): cite those rows' own dated source,
        // not the network entry's, which also covers load balancer and transfer prices of another date (or none).
        const nat = plan.cloud === "azure" ? AZURE_FEES : AWS_FEES;
        const natSource: Sourced = { source: nat.natGatewayHour.source, asOf: nat.natGatewayHour.asOf };
        lines.push(line({ category: "network", description: `NAT gateway (${item.count}), 730 h`, quantity: item.count * HOURS_PER_BILLED_MONTH, unit: "hour", unitPriceUsd: net.natGatewayUsdPerHour, ...natSource }));
        lines.push(...natDataLines(internetGiB, pulled, { usd: net.natGatewayUsdPerGiB, unit: "GiB", ...natSource }, unit));
        break;
      }
      case "cloud-nat": {
        lines.push(...cloudNatLines(plan, item.vms, bom));
        lines.push(...natDataLines(internetGiB, pulled, GCP_FEES.cloudNatDataPerGiB, unit));
        break;
      }
      case "public-ip":
        lines.push(publicIpLine(plan, item.count, item.what));
        break;
      case "cloud-armor":
        // Billed a month whatever the hours: the policy exists as long as the load balancer does.
        lines.push(fee("network", `Cloud Armor Standard policy (1): ${item.what}`, 1, GCP_FEES.cloudArmorPolicy));
        lines.push(fee("network", `Cloud Armor Standard rules (${item.count}), the default rule counted`, item.count, GCP_FEES.cloudArmorRule));
        break;
      case "load-balancer":
        lines.push(...loadBalancerLines(plan, item.product, item.scheme, servedGiB(plan, replicas), billedUnits(servedGiB(plan, replicas), unit)));
        break;
      case "app-gateway":
        lines.push(...appGatewayLines(servedGiB(plan, replicas)));
        break;
      case "interface-endpoints":
        lines.push(awsEndpointLine(item.services, item.zones));
        break;
      case "cross-zone": {
        const gib = (internetGiB + pulled) * item.share;
        if (gib > 0) {
          const each = AWS_FEES.crossZonePerGiBEachWay;
          lines.push(
            line({
              category: "network",
              description: `cross-zone traffic via the NAT gateway (${Math.round(item.share * 100)}% of it: ${item.why}), $${each.usd}/GiB each side`,
              quantity: billedUnits(gib, unit),
              unit: unit.label,
              unitPriceUsd: each.usd * 2,
              source: each.source,
              asOf: each.asOf,
            }),
          );
        }
        break;
      }
      case "efs-requests": {
        // Elastic throughput bills the bytes moved: the stated assumption is that the stored data is read once and
        // written once a month.
        const moved = billedUnits(item.capacityGiB, unit);
        lines.push(fee("storage", `EFS Elastic throughput reads (${item.name}: the ${item.capacityGiB} GiB stored, read once a month)`, moved, AWS_FEES.efsElasticRead, unit.label));
        lines.push(fee("storage", `EFS Elastic throughput writes (${item.name}: the ${item.capacityGiB} GiB stored, written once a month)`, moved, AWS_FEES.efsElasticWrite, unit.label));
        break;
      }
      case "backup":
        // The first recovery point is a full copy; the daily ones after it hold only changes (not priced).
        lines.push(fee("storage", `EFS backups (${item.name}: one full copy of the ${item.capacityGiB} GiB stored; daily changes extra)`, item.capacityGiB, AWS_FEES.efsBackupWarm));
        break;
      default:
        break;
    }
  }
  return lines.filter((l) => l.quantity > 0);
}

/** What a NAT processes: the internet egress, and the inbound pulls (free to receive, not to process), in the cloud's units. */
function natDataLines(internetGiB: number, pulled: number, price: Fee, unit: TransferUnit): CostLine[] {
  return [
    fee("network", "NAT data processed (internet egress)", billedUnits(internetGiB, unit), price, unit.label),
    fee("network", "NAT data processed (inbound pulls: images, datasets, models)", billedUnits(pulled, unit), price, unit.label),
  ];
}

/** Public IPv4 addresses: per address-hour (AWS, GCP, Azure), per address-month (CoreWeave). */
function publicIpLine(plan: Plan, count: number, what: string): CostLine {
  if (plan.cloud === "coreweave") return fee("network", `public IPv4 (${count}): ${what}`, count, COREWEAVE_FEES.publicIp);
  const price = plan.cloud === "aws" ? AWS_FEES.publicIpv4 : plan.cloud === "gcp" ? GCP_FEES.cloudNatIp : AZURE_FEES.publicIp;
  return fee("network", `public IPv4 (${count}): ${what}, 730 h`, count * HOURS_PER_BILLED_MONTH, price);
}

/** The usage price of each load balancer product, per GiB served (AWS: 1 capacity unit = 1 GB processed in an hour). */
const LB_USAGE: Record<LoadBalancerProduct, { price: Fee; what: string } | undefined> = {
  alb: { price: AWS_FEES.albLcu, what: "ALB capacity units (1 per GiB)" },
  nlb: { price: AWS_FEES.nlbNlcu, what: "NLB capacity units (1 per GiB)" },
  "gcp-internal-alb": { price: GCP_FEES.lbDataPerGiB, what: "load balancer data processed" },
  "gcp-external-alb": { price: GCP_FEES.lbDataPerGiB, what: "load balancer data processed" },
  "gcp-passthrough": { price: GCP_FEES.lbDataPerGiB, what: "load balancer data processed" },
  "azure-standard": { price: AZURE_FEES.lbDataPerGiB, what: "load balancer data processed" },
};

const LB_NAMES: Record<LoadBalancerProduct, string> = {
  alb: "Application Load Balancer",
  nlb: "Network Load Balancer",
  "gcp-internal-alb": "regional Application Load Balancer",
  "gcp-external-alb": "global Application Load Balancer",
  "gcp-passthrough": "passthrough Network Load Balancer",
  "azure-standard": "Standard Load Balancer",
};

/** `served`: GiB a month, as the spec states it; `servedUnits`: the same in the cloud's billed units (lib/cost/transfer.ts). */
function loadBalancerLines(plan: Plan, product: LoadBalancerProduct, scheme: string, served: number, servedUnits: number): CostLine[] {
  const net = catalog.networkPrices(plan.cloud);
  const lines: CostLine[] = [];
  if (net.loadBalancerUsdPerHour > 0) {
    lines.push(
      line({
        category: "network",
        description: `${scheme} ${LB_NAMES[product]} (1), 730 h`,
        quantity: HOURS_PER_BILLED_MONTH,
        unit: "hour",
        unitPriceUsd: net.loadBalancerUsdPerHour,
        // The hourly figure's own source and date where the catalog has one, not the network row's (shared with others).
        source: net.loadBalancerPrice?.source ?? net.source,
        asOf: net.loadBalancerPrice?.asOf ?? net.asOf,
      }),
    );
  }
  const usage = LB_USAGE[product];
  if (usage) {
    const unit = usage.price.unit === "GiB" ? transferUnit(plan.cloud).label : usage.price.unit;
    lines.push(fee("network", `${usage.what}: ${served} GiB served a month`, servedUnits, usage.price, unit));
  }
  return lines;
}

/** An Azure Application Gateway Standard_v2: its fixed hours, and the capacity units the data served takes (lib/catalog/data/azure-app-gateway.ts). */
function appGatewayLines(served: number): CostLine[] {
  const cuHours = appGatewayCapacityUnitHours(served);
  return [
    fee("network", "Application Gateway Standard_v2 (1), 730 h", HOURS_PER_BILLED_MONTH, APP_GATEWAY_FEES.fixedHour, "hour"),
    fee("network", `Application Gateway capacity units: ${served} GiB served a month (2.22 Mbps per unit)`, cuHours, APP_GATEWAY_FEES.capacityUnitHour),
  ];
}

/**
 * Notes on the traffic figures the network lines assume. The pulls note follows the bill: where the bill holds the NAT
 * (the component builds it), its data line prices the pulls; where the nodes go out through a NAT the component does not
 * build (an existing VPC, VNet or cluster), that NAT processes them too and bills its owner, and the note says so
 * rather than claim a price the bill does not hold.
 */
function trafficNotes(plan: Plan, bom: readonly BomItem[]): string[] {
  if (plan.cloud === "coreweave") return coreweaveTrafficNotes(plan, bom);
  const notes: string[] = [];
  const billedNat = bom.some((item) => item.kind === "nat-gateway" || item.kind === "cloud-nat");
  const defaultPulls = plan.egress.pulledTiBPerMonth === undefined;
  const per = (plan.replicasPerNode ?? 1) > 1 && pullers(plan, 1, 2) === 2 ? "replica (each packed pod downloads the model into its own cache)" : "node";
  if (billedNat && defaultPulls) {
    notes.push(`inbound pulls through the NAT priced at the default ${SPEC_DEFAULTS.pulledGiBPerNode} GiB per ${per} a month; state egress.pulledTiBPerMonth to change it`);
  } else if (!billedNat && plan.egress.natGateway) {
    // The same figures the NAT data lines would price (networkLines), at the estimate's node and replica counts.
    const pulls = pulledGiB(plan, pullers(plan, plan.nodeCount, plan.replicas?.min ?? plan.nodeCount));
    const internet = plan.egress.internetTiBPerMonth * GIB_PER_TIB;
    if (pulls > 0 || internet > 0) {
      const what = [pulls > 0 ? `~${pulls} GiB of inbound pulls (images, datasets, models)` : "", internet > 0 ? `${internet} GiB of internet egress` : ""].filter(Boolean).join(" and ");
      const basis = pulls > 0 && defaultPulls ? `; the pulls at the default ${SPEC_DEFAULTS.pulledGiBPerNode} GiB per ${per}, state egress.pulledTiBPerMonth to change it` : "";
      notes.push(`not priced: NAT data processing in your own network, ${what} a month (the nodes join an existing network, so its NAT, which this component does not build, processes and bills them${basis})`);
    }
  }
  if (plan.workload === "inference" && plan.egress.servedTiBPerMonth === undefined) {
    const what = servesInternet(plan) ? "load balancer usage and the internet egress it serves" : "load balancer usage";
    notes.push(`${what} priced at the default ${SPEC_DEFAULTS.servedGiBPerReplica} GiB per replica a month; state egress.servedTiBPerMonth to change it`);
  }
  return notes;
}

/**
 * CoreWeave's bill has no NAT gateway, load balancer or data transfer line: its pricing page lists none, and egress is
 * free (the catalog's network row and single $0 egress tier, lib/catalog/data/coreweave.ts, with their sources). So no
 * traffic default prices anything, and the note says so rather than name a NAT or load balancer usage the bill lacks;
 * an internet-facing fleet's public LoadBalancer Service (the plain-HTTP opt-out) costs its public address
 * (COREWEAVE_FEES.publicIp, a line); one served by the cluster's Traefik ingress has no address of its own
 * (lib/cost/bom/coreweave.ts), so the note follows the bill's `public-ip` item.
 */
function coreweaveTrafficNotes(plan: Plan, bom: readonly BomItem[]): string[] {
  const front = !servesInternet(plan)
    ? ""
    : bom.some((i) => i.kind === "public-ip")
    ? `; the internet-facing LoadBalancer Service is billed for its public IPv4 address only (${COREWEAVE_FEES.publicIp.usd} USD a month, its own line)`
    : "; the internet-facing fleet is served by the cluster's Traefik ingress, whose public address is the cluster's, not billed here";
  return [`traffic: CoreWeave bills no NAT gateway, load balancer usage or data transfer (egress is free), so the egress traffic figures add nothing to this estimate${front}`];
}

/** The fee a bill item is priced from, and its name in the region note (`regional`: priced from the plan's region's own row). */
function feeOf(plan: Plan, item: BomItem): { name: string; fee?: Fee; regional?: boolean } | undefined {
  switch (item.kind) {
    case "node-disk": {
      const price = diskFee(plan, item.diskType);
      return { name: "node disks", regional: price?.kind === "per-GiB" && perGiBIn(price, plan.region).regional };
    }
    case "cloud-armor":
      return { name: "Cloud Armor", fee: GCP_FEES.cloudArmorPolicy };
    case "public-ip":
      return { name: "public addresses", fee: plan.cloud === "aws" ? AWS_FEES.publicIpv4 : plan.cloud === "gcp" ? GCP_FEES.cloudNatIp : plan.cloud === "azure" ? AZURE_FEES.publicIp : COREWEAVE_FEES.publicIp };
    case "load-balancer":
      return { name: "load balancer usage", fee: LB_USAGE[item.product]?.price };
    case "app-gateway":
      return { name: "Application Gateway", fee: APP_GATEWAY_FEES.fixedHour };
    case "cloud-nat":
      return { name: "Cloud NAT", fee: GCP_FEES.cloudNatPerVmHour };
    case "nat-gateway":
      return { name: "NAT gateway", fee: plan.cloud === "aws" ? AWS_FEES.natGatewayHour : AZURE_FEES.natGatewayHour };
    case "cross-zone":
      return { name: "cross-zone transfer", fee: AWS_FEES.crossZonePerGiBEachWay };
    case "efs-requests":
      return { name: "EFS throughput", fee: AWS_FEES.efsElasticRead };
    case "backup":
      return { name: "EFS backups", fee: AWS_FEES.efsBackupWarm };
    case "extended-support":
      return { name: "EKS extended support", fee: AWS_FEES.eksExtendedSupportExtra };
    case "kms-key":
      return { name: "KMS keys", fee: plan.cloud === "gcp" ? GCP_FEES.kmsKeyVersion : AWS_FEES.kmsKey };
    case "metric-samples":
      return { name: "metric samples ingested", fee: managedPrometheusFee(plan.cloud) };
    case "secret":
      return plan.cloud === "aws"
        ? { name: "Secrets Manager secrets", fee: AWS_FEES.secretsManagerSecret }
        : plan.cloud === "azure"
          ? { name: "Key Vault operations", fee: AZURE_FEES.keyVaultSecretOperations }
          : plan.cloud === "gcp"
            ? { name: "Secret Manager", fee: GCP_FEES.secretVersion }
            : undefined;
    default:
      return undefined;
  }
}

/**
 * The fee rows are one region's list prices: where the plan is elsewhere, name the fees applied from there (those
 * whose source gives the same figure in the plan's region are not).
 */
function regionNotes(plan: Plan, bom: BomItem[]): string[] {
  const reference = FEE_REFERENCE_REGION[plan.cloud];
  // The fees' names by the region their figure is (the reference region, or a fee's own `readIn`).
  const byOrigin = new Map<string, Set<string>>();
  for (const item of bom) {
    const f = feeOf(plan, item);
    if (f === undefined || f.regional) continue;
    const origin = f.fee?.readIn ?? reference;
    if (origin === undefined || plan.region === origin) continue;
    const same = f.fee?.sameIn;
    if (same === "all" || (same !== undefined && same.includes(plan.region))) continue;
    byOrigin.set(origin, (byOrigin.get(origin) ?? new Set<string>()).add(f.name));
  }
  const notes = [...byOrigin].map(([origin, names]) => `${[...names].join(", ")}: ${origin} list prices (lib/catalog/data/fees.ts), applied to ${plan.region}`);
  const rows = referenceRows(plan, bom);
  if (reference !== undefined && rows.length > 0) notes.push(`${rows.join(", ")}: ${reference} list prices (lib/catalog/data/${plan.cloud}.ts), applied to ${plan.region}`);
  return notes;
}

/**
 * The cloud catalog's rows (not fees) the bill prices at the reference region's figure in another region: internet
 * egress and cross-region transfer where the catalog has no figure of the plan's region (lib/cost/transfer.ts), the
 * storage rows listed for every region (`regions: ["*"]`: one region's list price), and the load balancer's hourly
 * figure unless its source gives it for every region. A contract price (the spec's own) is not named.
 */
function referenceRows(plan: Plan, bom: BomItem[]): string[] {
  const reference = FEE_REFERENCE_REGION[plan.cloud];
  if (reference === undefined || plan.region === reference) return [];
  const names = new Set<string>();
  if ((plan.egress.internetTiBPerMonth > 0 || servesInternet(plan)) && !egressTiersIn(plan.cloud, plan.region).regional) names.add("internet egress");
  if (plan.egress.crossRegionTiBPerMonth > 0 && !crossRegionIn(plan.cloud, plan.region).regional) names.add("cross-region transfer");
  for (const s of plan.storage) {
    if (s.priceSource.asOf === "spec") continue;
    const row = catalog.storageTiers(plan.cloud, s.kind, plan.region).find((t) => t.tier === s.tier);
    if (row?.regions.includes("*")) names.add(`${s.kind} storage (${s.tier})`);
  }
  const net = catalog.networkPrices(plan.cloud);
  const lbSameIn = net.loadBalancerSameIn;
  const lbHere = lbSameIn === "all" || (lbSameIn !== undefined && lbSameIn.includes(plan.region));
  if (net.loadBalancerUsdPerHour > 0 && !lbHere && bom.some((item) => item.kind === "load-balancer")) names.add("load balancer hours");
  return [...names];
}

/** Built and billed, but not priced: named, never silent. */
function unpricedNotes(bom: BomItem[]): string[] {
  return bom.flatMap((item) => (item.kind === "unpriced" ? [`not priced: ${item.what} (${item.why})`] : []));
}

/** AWS without a NAT gateway: the interface endpoints the VM compiler builds (lib/clouds/aws/endpoints.ts), every hour. */
function awsEndpointLine(services: readonly string[], zones: number): CostLine {
  const price = awsInterfaceEndpointPrices;
  return line({
    category: "network",
    description: `interface VPC endpoints (${services.length} services × ${zones} zone${zones === 1 ? "" : "s"}), 730 h; data processed ${price.usdPerGiB} USD/GB extra`,
    quantity: services.length * zones * HOURS_PER_BILLED_MONTH,
    unit: "endpoint-zone-hour",
    unitPriceUsd: price.usdPerEndpointZoneHour,
    source: price.source,
    asOf: price.asOf,
  });
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
/** A compute price older than this, counted back from the pricing day, gets a note saying so. */
const STALE_PRICE_DAYS = 365;

/**
 * What to do about an old price. `catalog refresh` re-reads the list prices (on-demand and reserved) of AWS, GCP and
 * Azure; spot prices move hourly and no refresh reads them, nor any CoreWeave price.
 */
function staleRemedy(plan: Pick<Plan, "cloud" | "pricing">): string {
  if (plan.pricing === "spot") return "check today's spot price (the cloud's spot price history) and give it as contractUsdPerHour";
  if (plan.cloud === "coreweave") return "check CoreWeave's pricing page, or give your rate as contractUsdPerHour";
  return `\`gpu-cluster catalog refresh --cloud ${plan.cloud}\` re-reads the cloud's price list, or give your rate as contractUsdPerHour`;
}

/** The age of a dated compute price when it is over STALE_PRICE_DAYS before the pricing day; undefined otherwise. */
function staleComputePrice(asOf: string | undefined): { asOf: string; days: number } | undefined {
  if (asOf === undefined || !ISO_DAY.test(asOf)) return undefined;
  const days = Math.floor((Date.parse(pricingDate()) - Date.parse(asOf)) / 86_400_000);
  return days > STALE_PRICE_DAYS ? { asOf, days } : undefined;
}

