/** GKE-only knobs (`gcp.gke`, used with `orchestrator: "kubernetes"`), and their synchronous checks. */
import type { Provider } from "@pulumi/kubernetes/provider";
import type { Plan } from "../../../planner/types.js";
import { fabricSides } from "../../../fabric/index.js";
import { SpecError } from "../../../spec/errors.js";
import { checkGkeAccelerator } from "./accelerators.js";
import { QUEUED_PROVISIONING_CLASS } from "./queued-provisioning.js";
import { clusterPlanNotes } from "../../kubernetes/notes.js";
import { checkManagedClusterOptions, checkWorkloadOptions, MANAGED_CLUSTER_OPTION_FIELDS, type ManagedClusterOptions, WORKLOAD_OPTION_FIELDS, WORKLOAD_OPTION_KEYS } from "../../kubernetes/options.js";
import { field, optionKeys, type FieldKinds } from "../../shared/option-fields.js";
import { deferredCheck } from "../../shared/deferred-check.js";
import { checkLustreFilesystemNames } from "../names.js";
import { GKE_LUSTRE_MIN_NODE_VERSION, plansLustre } from "./lustre-addon.js";
import { checkGkeClusterAddons, gkeClusterAddonNames, gkeClusterAddonsRequired } from "./cluster-addons.js";

/**
 * Default training image: NVIDIA's PyTorch container (NCCL and nccl-tests' collectives through torch), which the
 * GKE NCCL plugin installers extend through /usr/local/nvidia/lib64. Pass `gcp.gke.image` for your trainer.
 */
export const GKE_DEFAULT_TRAINING_IMAGE = "nvcr.io/nvidia/pytorch:25.01-py3";

/** The release channel of a new GKE cluster (`gcp.gke.releaseChannel`). */
export const GkeReleaseChannel = { Rapid: "RAPID", Regular: "REGULAR", Stable: "STABLE" } as const;
export type GkeReleaseChannel = (typeof GkeReleaseChannel)[keyof typeof GkeReleaseChannel];

/** The NVIDIA driver GKE installs on GPU nodes (`gcp.gke.gpuDriverVersion`). */
export const GkeGpuDriverVersion = { Latest: "LATEST", Default: "DEFAULT" } as const;
export type GkeGpuDriverVersion = (typeof GkeGpuDriverVersion)[keyof typeof GkeGpuDriverVersion];

export interface GkeOptions extends ManagedClusterOptions {
  /**
   * Use an existing GKE Standard cluster by name instead of creating one (it must have multi-networking and
   * Dataplane V2 on, run Kubernetes 1.29+ for the GPUDirect sidecar, and live in the region, or in `clusterLocation`). No cluster or system node pool is made;
   * the GPU node pool, its GPU networks and the bootstrap are. Where the build needs Google's GPUDirect DaemonSets
   * (one per cluster), `installClusterAddons` must then be given: `false` when the cluster runs them, `true` to
   * install them with this component (Kueue follows `kueue` alone). The GPU pool takes the cluster's private-nodes setting. The component name has
   * at most 22 characters here (19 with a new cluster): GKE's 40 for the auto-named node pool. Default: a new cluster.
   */
  clusterName?: string;
  /** With `clusterName`: the cluster's location (region or zone). Default: the plan's region. */
  clusterLocation?: string;
  /**
   * The Kubernetes provider for the in-cluster objects (networks, DaemonSets, workload). Default: one built from
   * the cluster's endpoint and CA, authenticating with `gke-gcloud-auth-plugin` (on the deployer's PATH).
   */
  provider?: Provider;
  /**
   * Install Kueue (job queueing and quotas) after the NCCL plugin installer. Default `false`; on in the `"queued"`
   * flex-start mode ({@link GkeOptions.flexStartMode}), which gets its nodes through Kueue.
   */
  kueue?: boolean;
  /**
   * Build the cluster, the GPU node pool with its GPUDirect networks and Google's NCCL plugin bootstrap, but no
   * workload: your own pods run there (JobSet, Kueue workloads). They need the fabric's pod side to use the GPU
   * networks; `fabricSides(plan, "kubernetes").pod` gives it (annotations, the receive-datapath sidecar, host mounts).
   * Default false: the component runs the training Job with the pod side wired in.
   */
  nodesOnly?: boolean;
  /** Release channel of a new cluster. Default `"REGULAR"`. */
  releaseChannel?: GkeReleaseChannel;
  /** NVIDIA driver GKE installs on the GPU nodes: `"LATEST"` or `"DEFAULT"` for the GKE version. Default `"LATEST"`. */
  gpuDriverVersion?: GkeGpuDriverVersion;
  /**
   * GKE's own deletion protection of the new cluster: GKE refuses to delete it until this is `false` and applied.
   * Default `true` (the cluster holds running jobs and their Kubernetes state). To delete: set `false`, `pulumi up`,
   * then `pulumi destroy`.
   */
  deletionProtection?: boolean;
  /**
   * With `pricing: "flex-start"`: how long each flex-start node runs, in hours, before GKE removes it (the pool's
   * `nodeConfig.maxRunDuration`); a job still running then loses the node. At most 168 (7 days, Google's limit for
   * flex-start), in whole seconds (e.g. 0.5 for 30 minutes). Default 168. In the `"queued"` flex-start mode it is the
   * ProvisioningRequest's `maxRunDurationSeconds` (each job's nodes), not a pool setting.
   */
  maxRunDurationHours?: number;
  /**
   * With `pricing: "flex-start"`, how the GPU nodes are obtained:
   * - `"queued"`: flex-start with queued provisioning. The pool has `queuedProvisioning` on and grows only through
   *   ProvisioningRequests; Kueue (installed and configured with it) holds each Job, asks Dynamic Workload Scheduler
   *   for all its nodes in one ProvisioningRequest, and admits the Job when every node is up together. No node is
   *   billed while the others are missing. Needs Kueue (`kueue` is on; `kueue: false` is refused).
   * - `"pool"`: a plain flex-start pool that GKE grows node by node as DWS finds each one for the pending pods; the
   *   first nodes are billed while the Job waits for the rest. No Kueue.
   * Default: `"queued"` for a training Job of any size (a one-node Job queues too: Google's blueprint's sample-job.yaml
   * is a single pod), `"pool"` with `nodesOnly` (no Job to queue). The default never follows the node count, so a
   * resize keeps the pool; changing the mode (or `nodesOnly`) replaces the GPU pool (queued provisioning is set when GKE
   * creates a pool), which holds no nodes between jobs.
   */
  flexStartMode?: GkeFlexStartMode;
}

/** How a GKE flex-start pool gets its nodes (`gcp.gke.flexStartMode`). */
export const GkeFlexStartMode = { Queued: "queued", Pool: "pool" } as const;
export type GkeFlexStartMode = (typeof GkeFlexStartMode)[keyof typeof GkeFlexStartMode];

/** Every `gcp.gke` option and its type (checked with the GCP bag, before {@link checkGkeOptions}). */
export const GKE_OPTION_FIELDS = {
  clusterName: field.string,
  clusterLocation: field.string,
  provider: field.resource,
  nodesOnly: field.boolean,
  releaseChannel: field.choice(["RAPID", "REGULAR", "STABLE"]),
  gpuDriverVersion: field.choice(["LATEST", "DEFAULT"]),
  deletionProtection: field.boolean,
  maxRunDurationHours: field.number,
  flexStartMode: field.choice(["queued", "pool"]),
  ...WORKLOAD_OPTION_FIELDS,
  ...MANAGED_CLUSTER_OPTION_FIELDS,
} as const satisfies FieldKinds<GkeOptions>;

export const GKE_OPTION_KEYS = optionKeys<GkeOptions>(GKE_OPTION_FIELDS);

export const GKE_DEFAULTS = { releaseChannel: "REGULAR" as const, gpuDriverVersion: "LATEST" as const, deletionProtection: true, maxRunDurationHours: 168 };

/**
 * The longest a flex-start node runs: seven days ("Flex-start VMs can run for up to seven days",
 * https://cloud.google.com/compute/docs/instances/about-flex-start-vms; on GKE, maxRunDurationSeconds "default is seven
 * days", https://cloud.google.com/kubernetes-engine/docs/concepts/dws; both read 2026-12-01).
 */
export const FLEX_START_MAX_RUN_HOURS = 7 * 24;

/**
 * No compact placement policy on a flex-start pool, in either mode. cluster-toolkit's gke-node-pool module would take
 * one on A3 Ultra and A4 in the plain mode (a precondition, modules/compute/gke-node-pool/main.tf @1047080), but
 * Google's own flex-start blueprints set none (examples/gke-consumption-options/dws-flex-start/gke-a3-ultragpu.yaml and
 * the queued one, where the module refuses it), Google's XPK says "COMPACT placement and Flex don't work together"
 * (AI-Hypercomputer/xpk src/xpk/commands/common.py @367c8382, 2026-06-25), and no GKE page read on 2026-12-01 says they
 * do (https://cloud.google.com/kubernetes-engine/docs/how-to/compact-placement lists no A3 Ultra / A4).
 */
export const FLEX_START_COMPACT_PLACEMENT = false;

/** `gcp.gke.maxRunDurationHours` (or its default) in whole seconds. */
export function flexStartMaxRunSeconds(gke: GkeOptions | undefined): number {
  return Math.round((gke?.maxRunDurationHours ?? GKE_DEFAULTS.maxRunDurationHours) * 3600);
}

/** `gcp.gke.maxRunDurationHours` (or its default) as the node pool's `maxRunDuration`: whole seconds, `"<n>s"`. */
export function flexStartMaxRunDuration(gke: GkeOptions | undefined): string {
  return `${flexStartMaxRunSeconds(gke)}s`;
}

/**
 * The flex-start mode this plan builds (`gcp.gke.flexStartMode` or its default), or undefined when the pool is not
 * flex-start. One rule, read by the node pool, the Kueue objects, the options check and the notes.
 */
export function flexStartMode(plan: Plan, gke: GkeOptions | undefined): GkeFlexStartMode | undefined {
  if (plan.pricing !== "flex-start" || plan.orchestrator !== "kubernetes") return undefined;
  if (gke?.flexStartMode !== undefined) return gke.flexStartMode;
  // Not from the node count: queuedProvisioning is create-only, so a count-derived mode would replace the pool on a
  // resize. Google's queued-provisioning sample-job.yaml (cluster-toolkit @1047080) queues a single pod.
  return gke?.nodesOnly !== true ? "queued" : "pool";
}

/**
 * The GKE options the compiler builds from: in the `"queued"` flex-start mode Kueue is on (it is what asks for the
 * nodes), as if `kueue: true` were given; otherwise the options as given.
 */
export function effectiveGkeOptions(plan: Plan, gke: GkeOptions | undefined): GkeOptions | undefined {
  return flexStartMode(plan, gke) === "queued" ? { ...gke, kueue: true } : gke;
}

function checkFlexStartMode(plan: Plan, o: GkeOptions): void {
  if (o.flexStartMode !== undefined && plan.pricing !== "flex-start") {
    throw new SpecError("gcp.gke.flexStartMode", `chooses how flex-start nodes are obtained, but pricing is '${plan.pricing}'`, "remove it, or set pricing: 'flex-start'");
  }
  const mode = flexStartMode(plan, o);
  if (mode === "queued" && o.nodesOnly === true) {
    throw new SpecError(
      "gcp.gke.flexStartMode",
      "'queued' gets the nodes through the component's Kueue queue for its training Job, and nodesOnly: true builds no Job",
      "use flexStartMode: 'pool' with nodesOnly (your pods make GKE grow the pool), or remove nodesOnly",
    );
  }
  if (mode === "queued" && o.kueue === false) {
    throw new SpecError(
      "gcp.gke.kueue",
      `flex-start with queued provisioning${o.flexStartMode === undefined ? " (the default for a training Job)" : ""} gets the nodes through Kueue's ProvisioningRequest admission check, so it needs Kueue`,
      "remove kueue: false, or set gcp.gke.flexStartMode: 'pool' (a pool that fills node by node, no Kueue)",
    );
  }
  if (mode === "pool" && o.kueue === true) {
    // Kueue holds the Job suspended until its pods fit on nodes that exist; a plain flex-start pool has none until a
    // pod is pending, so the Job would wait for ever. Kueue's path to flex-start nodes is the queued mode.
    throw new SpecError(
      "gcp.gke.kueue",
      "Kueue admits the training Job onto nodes that exist, and a plain flex-start pool (flexStartMode 'pool') has none until the Job's pods are pending, so the Job would stay suspended",
      "set gcp.gke.flexStartMode: 'queued' (Kueue asks Dynamic Workload Scheduler for the nodes), or remove kueue",
    );
  }
}

function checkMaxRunDuration(plan: Plan, hours: number | undefined): void {
  if (hours === undefined) return;
  const path = "gcp.gke.maxRunDurationHours";
  if (plan.pricing !== "flex-start") {
    throw new SpecError(path, `limits flex-start nodes, but pricing is '${plan.pricing}'`, "remove it, or set pricing: 'flex-start'");
  }
  if (!(hours > 0) || hours > FLEX_START_MAX_RUN_HOURS) {
    throw new SpecError(path, `must be more than 0 and at most ${FLEX_START_MAX_RUN_HOURS} hours (7 days, Google's flex-start limit), got ${hours}`, `e.g. maxRunDurationHours: 24`);
  }
  if (!Number.isInteger(Math.round(hours * 3600 * 1e6) / 1e6)) {
    throw new SpecError(path, `${hours} hours is not a whole number of seconds (GKE takes the duration in seconds)`, `e.g. ${Math.round(hours * 3600) / 3600}`);
  }
}

/** Pods per node: a GPU node runs one workload pod and GKE's daemonsets; 32 gives each node a /26 of the pod range. */
export const GKE_MAX_PODS_PER_NODE = 32;

/**
 * Addresses GKE reserves per node in the pod range: twice the maximum pods per node, rounded up to a power of two
 * (https://cloud.google.com/kubernetes-engine/docs/how-to/flexible-pod-cidr): 64 (a /26) for 32 pods.
 */
export function podAddressesPerNode(maxPods: number = GKE_MAX_PODS_PER_NODE): number {
  return 2 ** Math.ceil(Math.log2(2 * maxPods));
}

/**
 * The GatewayClass of an internet-facing GKE fleet: the global external Application Load Balancer, single cluster
 * (https://cloud.google.com/kubernetes-engine/docs/how-to/gatewayclass-capabilities, read 2026-11-30). Unlike the
 * regional and internal classes it needs no proxy-only subnet (the "GKE Gateway controller requirements" of
 * https://cloud.google.com/kubernetes-engine/docs/how-to/configure-gateway-resources, read 2026-11-30: a proxy-only
 * subnet for the regional or cross-region classes only).
 */
export const GKE_GATEWAY_CLASS = "gke-l7-global-external-managed";

/** Storage kinds the GKE compiler builds in this version (Cloud Storage needs no in-cluster driver; Lustre uses GKE's add-on). */
const GKE_STORAGE = ["object", "nfs", "lustre"];

/**
 * An internet-facing GKE fleet is served over HTTPS by a GKE Gateway of class `gke-l7-global-external-managed`, a global
 * external Application Load Balancer that terminates TLS with `gcp.sslCertificates` and admits `gcp.allowedSourceRanges`
 * through Cloud Armor, as the VM fleet's does (gateway.ts). A LoadBalancer Service could not: GKE builds it as a
 * passthrough Network Load Balancer, which cannot decrypt TLS
 * (https://cloud.google.com/load-balancing/docs/passthrough-network-load-balancer, read 2026-11-30). So
 * `gcp.gke.loadBalancerSourceRanges`, the passthrough load balancer's filter, is an internal fleet's option only: on an
 * internet-facing fleet it would filter nothing, and is refused rather than ignored.
 */
export function checkGkeExposure(plan: Plan, gke: GkeOptions): void {
  if (plan.service?.loadBalancer !== "internet-facing" || gke.loadBalancerSourceRanges === undefined) return;
  throw new SpecError(
    "gcp.gke.loadBalancerSourceRanges",
    "filters an internal GKE fleet's passthrough load balancer; an internet-facing GKE fleet is served by a Gateway, whose clients Cloud Armor admits",
    "pass the client ranges as gcp.allowedSourceRanges (with gcp.sslCertificates for its HTTPS), and remove gcp.gke.loadBalancerSourceRanges",
  );
}

/** The `gcp.gke` checks against the plan; the bag's keys and types were checked with the GCP bag. Throws SpecError. */
export function checkGkeOptions(plan: Plan, gke: GkeOptions | undefined): void {
  if (plan.orchestrator !== "kubernetes") {
    if (gke !== undefined) throw new SpecError("gcp.gke", "GKE options were given, but orchestrator is 'vm'", "set orchestrator: 'kubernetes', or remove gcp.gke");
    return;
  }
  const o = gke ?? {};
  checkGkeAccelerator(plan.instanceType);
  checkMaxRunDuration(plan, o.maxRunDurationHours);
  checkFlexStartMode(plan, o);
  checkGkeExposure(plan, o);
  if (o.clusterName !== undefined && !/^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$/.test(o.clusterName)) {
    throw new SpecError("gcp.gke.clusterName", `'${o.clusterName}' is not a GKE cluster name`, "lowercase letters, digits and '-', starting with a letter, at most 40 characters");
  }
  if (o.clusterLocation !== undefined && o.clusterName === undefined) {
    throw new SpecError("gcp.gke.clusterLocation", "only applies to an existing cluster", "set gcp.gke.clusterName too, or remove clusterLocation");
  }
  if (o.clusterLocation !== undefined && !new RegExp(`^${plan.region}(-[a-z])?$`).test(o.clusterLocation)) {
    throw new SpecError("gcp.gke.clusterLocation", `'${o.clusterLocation}' is not ${plan.region} or one of its zones`, `e.g. '${plan.region}'`);
  }
  if (o.clusterName !== undefined && o.releaseChannel !== undefined) {
    throw new SpecError("gcp.gke.releaseChannel", "shapes a new cluster, not an existing one", "remove it, or remove clusterName");
  }
  if (o.clusterName !== undefined && o.deletionProtection !== undefined) {
    throw new SpecError("gcp.gke.deletionProtection", "protects a cluster this component creates, not an existing one", "remove it, or remove clusterName");
  }
  checkManagedClusterOptions(o, "gcp.gke");
  if (o.nodesOnly === true) {
    // Nodes only builds no workload: its options would be silently ignored (and the acceptance output go missing).
    // `kueue` still installs Kueue for the user's own workloads.
    const ignored = WORKLOAD_OPTION_KEYS.filter((key) => key !== "namespace" && key !== "kueue" && o[key] !== undefined);
    if (ignored.length > 0) {
      throw new SpecError(`gcp.gke.${ignored[0]}`, "shapes the component's own workload, which nodesOnly: true does not build", `remove ${ignored.map((k) => `gcp.gke.${k}`).join(", ")}, or nodesOnly`);
    }
  }
  checkWorkloadOptions(plan, o, "gcp.gke", GKE_DEFAULT_TRAINING_IMAGE, "gcp.allowedSourceRanges");
  // Flex-start capacity arrives after `up`: the check is deferred (../../shared/deferred-check.ts), never awaited.
  const later = deferredCheck(plan);
  if (o.acceptanceTest === true && later !== undefined) throw new SpecError("gcp.gke.acceptanceTest", later.reason, later.fix);
  plan.storage.forEach((s, i) => {
    if (!GKE_STORAGE.includes(s.kind)) {
      throw new SpecError(`storage[${i}].kind`, `'${s.kind}' storage is not built on GKE in this version of gpu-cluster`, "use 'object' (a Cloud Storage bucket), 'nfs' (Filestore) or 'lustre' (Managed Lustre), mounted in the pods, or orchestrator 'vm' for block volumes");
    }
    if (s.kind === "lustre" && o.clusterName !== undefined) {
      throw new SpecError(
        `storage[${i}].kind`,
        "'lustre' (Managed Lustre) is peered with the component's own VPC and mounted through the Lustre CSI add-on of the cluster it creates; an existing cluster's VPC and add-ons are not managed here",
        "remove gcp.gke.clusterName (the component creates the cluster), or create the instance on the cluster's network, enable its Lustre CSI driver and mount it yourself",
      );
    }
    if (s.kind === "lustre" && plan.workload !== "training") {
      // A fleet's pool spans the region's zones and Managed Lustre is zonal; the training pool is in the instance's zone.
      throw new SpecError(`storage[${i}].kind`, "'lustre' (Managed Lustre) is built for GKE training clusters in this version, whose GPU pool is in the instance's zone; a fleet's pool spans zones", "use 'nfs' (Filestore) or 'object' for the fleet, or orchestrator 'vm'");
    }
    if (s.kind === "nfs" && o.clusterName !== undefined) {
      throw new SpecError(`storage[${i}].kind`, "'nfs' (Filestore) is built on the component's own VPC, and an existing cluster's VPC and free ranges are not known here", "create the Filestore instance with the cluster's network and mount it yourself, or use 'object'");
    }
  });
  checkLustreFilesystemNames(plan.storage);
  // Last: a spec an earlier check refuses is told that first.
  checkGkeClusterAddons(plan, o);
}

/** What the plan should tell the user about a GKE build. */
export function gkePlanNotes(plan: Plan, given: GkeOptions | undefined): string[] {
  if (plan.cloud !== "gcp" || plan.orchestrator !== "kubernetes") return [];
  const gke = effectiveGkeOptions(plan, given);
  const notes = clusterPlanNotes(plan, {
    service: "GKE",
    gpuTaint: "nvidia.com/gpu=present:NoSchedule",
    systemPods: "kube-dns, Kueue and the cluster's controllers",
    addons: gkeClusterAddonsRequired(plan) ?? "GKE's own GPU driver installation and device plugin",
  }, { ...gke, autoRepair: flexStartMode(plan, gke) === undefined });
  const owned = gkeClusterAddonNames(plan);
  if (gke?.clusterName !== undefined && gke.installClusterAddons === true && owned.length > 0) {
    notes.push(
      `GKE: installClusterAddons is true on the existing cluster '${gke.clusterName}': this component installs and owns ${owned.join(", ")}; ` +
        "`up` fails (AlreadyExists) if the cluster runs them already, and destroying this component removes them from under every other GPU pool of the cluster.",
    );
  }
  if (plan.service?.loadBalancer === "internet-facing" && gke?.clusterName !== undefined) {
    notes.push(
      `GKE: the internet-facing fleet is a Gateway of class ${GKE_GATEWAY_CLASS}, which needs the Gateway API on the existing cluster ${gke.clusterName} ` +
        `(gcloud container clusters update ${gke.clusterName} --gateway-api=standard) and its HttpLoadBalancing add-on (on by default); without the Gateway API its CRDs are missing and \`up\` fails creating the Gateway ("no matches for kind Gateway"); without the add-on the Gateway is never programmed.`,
    );
  }
  if (plan.instanceType.startsWith("g4-")) {
    // Google's G4 GKE blueprint (cluster-toolkit examples/gke-g4/gke-g4.yaml, version_prefix "1.35.", @10470803, 2026-06-25, read 2026-12-01).
    notes.push(`GKE: ${plan.instanceType} (RTX PRO 6000) nodes as Google's G4 blueprint runs them: GKE 1.35 and GKE's LATEST driver; an older cluster (gcp.gke.clusterName) may not create the pool.`);
  }
  if (plansLustre(plan)) {
    notes.push(
      `GKE Managed Lustre: mounted through the cluster's Lustre CSI add-on, which needs Container-Optimized OS nodes (the pools' image) on GKE ${GKE_LUSTRE_MIN_NODE_VERSION} or later with LNet on its default port (the legacy port is off: the instances are made without GKE support mode); a pool on an older node version does not mount the volumes until it is upgraded.`,
    );
  }
  notes.push(...flexStartNotes(plan, gke));
  const sidecar = gke?.nodesOnly !== true && fabricSides(plan, "kubernetes").pod?.sidecars?.length;
  if (sidecar) {
    notes.push(`GKE: the ${plan.fabric.kind} training pods run Google's receive-datapath manager as a native sidecar, which needs Kubernetes 1.29 or later (every GKE release channel is past it; an older existing cluster would hold the pods in init).`);
  }
  return notes;
}

/** What a flex-start pool does differently from a fixed one (node-pool.ts builds it). */
function flexStartNotes(plan: Plan, gke: GkeOptions | undefined): string[] {
  const mode = flexStartMode(plan, gke);
  if (mode === undefined) return [];
  const hours = gke?.maxRunDurationHours ?? GKE_DEFAULTS.maxRunDurationHours;
  const later = deferredCheck(plan)!;
  const order = `The training Job gets its ${plan.nodeCount} nodes in one request.`;
  const notes =
    mode === "queued"
      ? [
          `GKE flex-start with queued provisioning (gcp.gke.flexStartMode 'queued'): the ${plan.instanceType} pool has 0 nodes and grows only through ProvisioningRequests. ` +
            `Kueue holds each Job and asks Dynamic Workload Scheduler for all of its nodes in one request (class ${QUEUED_PROVISIONING_CLASS}); the Job starts when they are all up, so no node is billed while the others are missing. ` +
            `${order} ` +
            `Each job's nodes run at most ${hours} h (gcp.gke.maxRunDurationHours, the request's maxRunDurationSeconds), then GKE removes them. Node auto-repair is off and there is no compact placement policy, as Google's queued-provisioning blueprint sets the pool; auto-upgrade stays on (GKE requires it in a release channel) and the cluster's maintenance exclusion holds node upgrades.`,
        ]
      : [
          `GKE flex-start: the ${plan.instanceType} pool starts with 0 nodes and grows to ${plan.nodeCount} when Dynamic Workload Scheduler finds the capacity for the pending pods ` +
            `(the training Job's pods); \`up\` does not wait for them. ` +
            `Each node runs at most ${hours} h (gcp.gke.maxRunDurationHours), then GKE removes it; idle nodes are removed too. Node auto-repair is off, as Google's flex-start blueprint sets it.`,
        ];
  // The check a training cluster of 2+ nodes gets by default, off here (as on an AWS capacity block).
  if (gke?.nodesOnly !== true && plan.workload === "training" && plan.nodeCount >= 2 && gke?.acceptanceTest !== false) {
    notes.push(`acceptance test: off, ${later.reason}; ${later.instead}`);
  }
  if (mode === "pool" && plan.nodeCount > 1) {
    // https://cloud.google.com/kubernetes-engine/docs/how-to/provisioningrequest (read 2026-12-01): queued provisioning
    // "allocates all requested resources at the same time", for workloads that must run on several nodes at once.
    notes.push(
      `GKE flex-start: the ${plan.nodeCount} nodes come as Dynamic Workload Scheduler finds each one, not all at once; the first ones are billed while the Job waits for the rest. ` +
        "gcp.gke.flexStartMode: 'queued' (the default) gets them all at once through Kueue and a ProvisioningRequest.",
    );
  }
  if (mode === "pool" && plan.placement.strategy === "compact" && !FLEX_START_COMPACT_PLACEMENT) {
    notes.push(`GKE flex-start: no compact placement policy on the ${plan.instanceType} pool: Google's flex-start blueprints set none and its XPK tool says compact placement and flex-start do not work together, so the nodes are in one zone but not packed together.`);
  }
  if (gke?.clusterName !== undefined) {
    notes.push(`GKE flex-start: the existing cluster ${gke.clusterName} must run GKE 1.32.2-gke.1652000 or later (https://cloud.google.com/kubernetes-engine/docs/concepts/dws), or the pool is not created.`);
  }
  return notes;
}
