/**
 * The bill of materials: the billable things a target (cloud × orchestrator) builds for a plan, as plain data. The
 * compilers build from it and `estimateCost` prices exactly it (lib/cost/estimate.ts), so the figure cannot drift from
 * what `pulumi up` creates; test/bill-of-materials.test.ts walks the compiled resources and holds the two together.
 * No Pulumi imports here.
 */
import type { Cloud } from "../../catalog/types.js";
import type { OptionCheck } from "../../clouds/types.js";

/** A target: where and how the nodes run. CoreWeave is Kubernetes only. */
export const TARGETS = ["aws-vm", "aws-eks", "gcp-vm", "gcp-gke", "azure-vm", "azure-aks", "coreweave"] as const;
export type TargetId = (typeof TARGETS)[number];

/**
 * The load balancer a fleet gets, by product:
 * - `alb`: AWS Application Load Balancer (VM fleets);
 * - `nlb`: AWS Network Load Balancer (an internet-facing EKS Service, made by the AWS Load Balancer Controller);
 * - `gcp-internal-alb` / `gcp-external-alb`: GCP regional internal / global external Application Load Balancer;
 * - `gcp-passthrough`: GCP passthrough Network Load Balancer (an internal GKE fleet's Service, internal by GKE's annotation; an internet-facing GKE fleet is a Gateway: `gcp-external-alb`);
 * - `azure-standard`: Azure Standard Load Balancer (VM fleets, and every AKS LoadBalancer Service, internal or not).
 */
export type LoadBalancerProduct = "alb" | "nlb" | "gcp-internal-alb" | "gcp-external-alb" | "gcp-passthrough" | "azure-standard";

/** One billable thing (or several of the same), as the target builds it. */
export type BomItem =
  /**
   * The GPU nodes: `count` at creation (a fleet's at replicas.min, packed: lib/planner/packing.ts), and an autoscaled
   * fleet's most (`maxCount`, at replicas.max). The compute line prices `count` of `instanceType`; the compiler sizes the
   * node group from it.
   */
  | { kind: "gpu-nodes"; instanceType: string; count: number; maxCount?: number }
  /** The managed Kubernetes control plane of a cluster the component creates (EKS, GKE, AKS Standard tier). */
  | { kind: "control-plane" }
  /** EKS: the cluster's pinned Kubernetes version is past standard support, so extended support is billed. */
  | { kind: "extended-support"; version: string; standardSupportEnded: string }
  /** The on-demand system node pool of a cluster the component creates. */
  | { kind: "system-nodes"; count: number; maxCount?: number }
  /** Root / boot / OS disks: one per node of the pool. `diskType` is the cloud's name for it (gp3, pd-balanced, Premium_LRS). */
  | { kind: "node-disk"; pool: "gpu" | "system"; count: number; maxCount?: number; sizeGiB: number; diskType: string }
  /** AWS NAT gateway or Azure NAT gateway, billed per hour and per GiB processed. */
  | { kind: "nat-gateway"; count: number }
  /** GCP Cloud NAT: billed per VM it serves per hour (capped), and per GiB processed. */
  | { kind: "cloud-nat"; vms: number }
  /** Public IPv4 addresses, billed per address-hour (CoreWeave: per address-month). */
  | { kind: "public-ip"; count: number; what: string }
  /** A fleet's load balancer. */
  | { kind: "load-balancer"; product: LoadBalancerProduct; scheme: "internal" | "internet-facing" }
  /** An internet-facing Azure fleet's Application Gateway Standard_v2 (its public IP is a `public-ip` item). */
  | { kind: "app-gateway"; sku: "Standard_v2" }
  /** AWS interface VPC endpoints (air-gapped VM clusters): services × zones, billed per endpoint-zone-hour. */
  | { kind: "interface-endpoints"; services: string[]; zones: number }
  /**
   * Traffic between the NAT gateway's zone and nodes in another zone: `share` of the NAT's traffic crosses (the nodes
   * outside the NAT's zone), billed on each side.
   */
  | { kind: "cross-zone"; share: number; why: string }
  /** A storage entry of the plan (priced by its storage line), by its stable name. */
  | { kind: "storage"; name: string; storageKind: string }
  /** A guarded file system's automatic backups (AWS Backup's daily plan for EFS): at least one full copy kept. */
  | { kind: "backup"; name: string; capacityGiB: number }
  /** EFS Elastic throughput: billed per GiB read and written. */
  | { kind: "efs-requests"; name: string; capacityGiB: number }
  /**
   * Customer managed encryption keys the component creates (the EKS and GKE secrets keys): AWS bills per key-month,
   * Cloud KMS per active key version-month.
   */
  | { kind: "kms-key"; count: number; what: string }
  /**
   * Secrets the component keeps in the cloud's secret store (a VM training cluster's SSH key). AWS Secrets Manager bills
   * per secret-month; Azure Key Vault
   * (Standard) bills the operations only (each node reads its secret once at boot); GCP Secret Manager bills each
   * active version in each replica location per month (`locations`), and access operations per 10,000.
   */
  | { kind: "secret"; count: number; locations?: number; what: string }
  /**
   * Samples a month ingested into the cloud's managed Prometheus (`count`), where the catalog has the cloud's
   * per-sample figure (lib/cost/bom/managed-prometheus.ts; elsewhere the item is `unpriced`).
   */
  | { kind: "metric-samples"; count: number; what: string }
  /**
   * A Cloud Armor Standard security policy and its rules (`count`: rules, the default rule among them), billed per
   * policy-month and rule-month (GCP_FEES.cloudArmorPolicy / cloudArmorRule); the requests it evaluates are an
   * `unpriced` item, as the spec states no request count.
   */
  | { kind: "cloud-armor"; count: number; what: string }
  /** Built and billed, but with no public figure in the catalog: the estimate names it instead of guessing. */
  | { kind: "unpriced"; what: string; why: string };

export type BomKind = BomItem["kind"];

/**
 * One item of the bill of materials as the estimate publishes it (`CostEstimate.billOfMaterials`): the same fields as
 * `BomItem` in one flat shape, because Pulumi's schema (and so the Python, Go, .NET and YAML SDKs) has no unions.
 * Which fields are set depends on `kind`, as `BomItem` documents.
 */
export interface BillOfMaterialsItem {
  /** What is billed: `gpu-nodes`, `control-plane`, `system-nodes`, `node-disk`, `nat-gateway`, `cloud-nat`, `public-ip`, `load-balancer`, `app-gateway`, `interface-endpoints`, `cross-zone`, `storage`, `backup`, `efs-requests`, `kms-key`, `secret`, `extended-support`, `metric-samples`, `cloud-armor` or `unpriced`. */
  kind: string;
  /** How many of it (nodes, disks, gateways, addresses, keys; `metric-samples`: samples a month; `cloud-armor`: rules). */
  count?: number;
  /** `gpu-nodes`, `system-nodes`, `node-disk`: the most an autoscaled pool holds (at replicas.max for a fleet). */
  maxCount?: number;
  /** `gpu-nodes`: the GPU nodes' instance type (machine type, VM size, CoreWeave instance type). */
  instanceType?: string;
  /** `node-disk`: the pool, `gpu` or `system`. */
  pool?: string;
  /** `node-disk`: GiB per disk. */
  sizeGiB?: number;
  /** `node-disk`: the cloud's disk type (gp3, pd-balanced, Premium_LRS). */
  diskType?: string;
  /** `cloud-nat`: VMs served. */
  vms?: number;
  /** `secret`: the locations each secret is replicated in. */
  locations?: number;
  /** `public-ip`, `kms-key`, `secret`, `metric-samples`, `cloud-armor`, `unpriced`: what it is. */
  what?: string;
  /** `unpriced`, `cross-zone`: why. */
  why?: string;
  /** `load-balancer`: the product (alb, nlb, gcp-internal-alb, gcp-external-alb, gcp-passthrough, azure-standard). */
  product?: string;
  /** `load-balancer`: internal or internet-facing. */
  scheme?: string;
  /** `app-gateway`: its SKU (Standard_v2). */
  sku?: string;
  /** `interface-endpoints`: the AWS services. */
  services?: string[];
  /** `interface-endpoints`: zones each endpoint spans. */
  zones?: number;
  /** `cross-zone`: the share of the NAT's traffic that crosses zones (0-1). */
  share?: number;
  /** `storage`, `backup`, `efs-requests`: the storage entry's stable name. */
  name?: string;
  /** `storage`: its kind. */
  storageKind?: string;
  /** `backup`, `efs-requests`: GiB. */
  capacityGiB?: number;
  /** `extended-support`: the cluster's Kubernetes version. */
  version?: string;
  /** `extended-support`: when its standard support ended (ISO date). */
  standardSupportEnded?: string;
}

/** What a target's bill of materials answers (lib/cost/bom/<target>.ts). */
export interface TargetBill {
  id: TargetId;
  cloud: Cloud;
  /**
   * The billable things the target builds for `plan` with `nodes` GPU nodes and the cloud's option bag (`aws`,
   * `gcp`, `azure`, `coreweave`; absent means the defaults).
   */
  billOfMaterials(plan: import("../../planner/types.js").Plan, nodes: number, options: unknown): BomItem[];
}

/**
 * Everything a target answers about a plan, with no cloud SDK behind it (test/option-check.test.ts): what the cloud
 * sells, what its option bag allows, and what it builds that is billed. The compiler reads the same functions
 * (`checkOptions` is its option check), and `estimateCost` prices the bill.
 */
export interface TargetDescriptor extends TargetBill {
  /**
   * What the target's cloud will and will not sell or build for the plan (throws SpecError): the cloud's rules of
   * lib/planner/offering.ts, which `validate`, the planner and the estimate also run.
   */
  checkOffering(plan: import("../../planner/types.js").Plan): void;
  /**
   * The option check (throws SpecError on a bad option bag): the notes the plan carries and, on managed Kubernetes,
   * whether the cluster is created or joined. Reads the plan and never changes it.
   */
  checkOptions(plan: Readonly<import("../../planner/types.js").Plan>, options: unknown): OptionCheck;
}
