/**
 * gpu-cluster: typed Pulumi components for GPU training clusters and inference
 * fleets on AWS, GCP, Azure and CoreWeave, with the cost at every preview.
 * This file only re-exports; see ../README.md and ../../shared/DESIGN.md.
 */
export * as catalog from "./catalog/index.js";
export * as sizing from "./sizing/index.js";
export type { InstanceFacts } from "./catalog/types.js";
// Each enum is a value and a type of one name: `gpu.Cloud.Aws` or the plain string `"aws"`.
export { Cloud, FabricKind, GpuModel, PricingModel, StorageKind, CLOUDS, GPU_MODELS, FABRIC_KINDS, PRICING_MODELS, STORAGE_KINDS } from "./catalog/types.js";

export * from "./spec/types.js";
export { SpecError, isSpecError } from "./spec/errors.js";
export { validateCluster, validateFleet } from "./spec/validate.js";

export type * from "./planner/types.js";
export { planCluster, planFleet, validate } from "./planner/plan.js";
export { compare, type Comparison, type CompareOptions, type Placement, type Exclusion } from "./planner/compare.js";
// The Grafana dashboard for the GPUs and model servers the cluster's Prometheus collects (also dashboards/gpu-cluster.json).
export { gpuDashboard, gpuDashboardJson } from "./clouds/kubernetes/dashboard.js";

export type * from "./cost/types.js";
export { estimateCost, planSpec } from "./cost/estimate.js";
export { billOfMaterials, targetOf, TARGETS, type BomItem, type TargetId, type LoadBalancerProduct } from "./cost/bom/index.js";
export { checkBudget, failsBudget } from "./cost/budget.js";
export { renderText, renderMarkdown, renderJson, headline } from "./cost/render.js";

export { TrainingCluster, type TrainingClusterArgs } from "./components/training-cluster.js";
export { InferenceFleet, type InferenceFleetArgs } from "./components/inference-fleet.js";
export { registerCostHook, type CostEvent, type CostHook } from "./components/cost-hooks.js";
export { BudgetExceededError } from "./components/report.js";
export type { AwsOptions } from "./clouds/aws/index.js";
export type { GcpOptions } from "./clouds/gcp/index.js";
export type { AzureOptions } from "./clouds/azure/index.js";
export type { CoreWeaveOptions } from "./clouds/coreweave/index.js";
export type { ClusterHandles, FleetHandles, StorageHandle } from "./clouds/types.js";
export type { NodeCounts } from "./clouds/shared/capacity.js";
