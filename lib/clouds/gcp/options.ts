/**
 * GCP-only knobs of the components, the per-series facts the compiler needs
 * (disk types, how capacity is obtained, which placement policy a MIG takes),
 * and the synchronous checks of the options against the plan.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Plan } from "../../planner/types.js";
import { fleetNodes } from "../../planner/packing.js";
import { SpecError } from "../../spec/errors.js";
import { checkModelServerOptions, MODEL_SERVER_FIELDS, type ModelServerOptions } from "../shared/model-server.js";
import { checkOptionBag, field, type FieldKinds } from "../shared/option-fields.js";
import { systemNodePool } from "../../catalog/index.js";
import { checkGkeOptions, GKE_MAX_PODS_PER_NODE, GKE_OPTION_FIELDS, podAddressesPerNode, type GkeOptions } from "./gke/options.js";
import { checkFilestoreSlots } from "./names.js";
import { checkUnbuiltFabric } from "./unbuilt-fabric.js";
import { fabricFloor } from "../../fabric/floors.js";
import { checkGpuMetricsOption, gcpDcgm, gpuMetricsOffNote, gpuMetricsOn } from "../shared/gpu-metrics.js";

/** The Deep Learning VM image family with CUDA 12.8 and the NVIDIA 570 driver (Ubuntu 22.04). */
export const DEFAULT_IMAGE = "projects/deeplearning-platform-release/global/images/family/common-cu128-ubuntu-2204-nvidia-570";

/** How a GCP training cluster's nodes are placed close together (`gcp.placementPolicy`). */
export const GcpPlacementPolicy = { Workload: "workload", Compact: "compact" } as const;
export type GcpPlacementPolicy = (typeof GcpPlacementPolicy)[keyof typeof GcpPlacementPolicy];

export interface GcpOptions {
  /**
   * Zone for the nodes when the spec's `zone` is not set. Default: the first zone of the
   * region (in name order) whose machine types include the plan's instance type.
   */
  zone?: string;
  /**
   * Boot image: an image or image family path. Default: the Deep Learning VM image (CUDA 12.8, driver 570). Required
   * for A3 High training on VMs: GPUDirect-TCPX needs an Ubuntu image with Google's TCPX kernel (`linux-gcp-tcpx`).
   */
  image?: string;
  /**
   * Shielded VM Secure Boot on the nodes. Default `false`: the default Deep Learning VM image builds its NVIDIA
   * kernel modules with DKMS and does not sign them, and Secure Boot refuses unsigned modules, so the driver would
   * not load (https://cloud.google.com/compute/docs/gpus/install-drivers-gpu#secure-boot). vTPM and integrity
   * monitoring stay on either way. Set `true` with an image whose NVIDIA modules are signed (e.g. Canonical's
   * precompiled `linux-modules-nvidia-*` packages, as in `ubuntu-os-accelerator-images`).
   */
  secureBoot?: boolean;
  /**
   * Enable the Google APIs the stack uses (Compute Engine, IAM, Resource Manager, and as needed GKE, Cloud KMS,
   * Filestore, Managed Lustre, Service Networking, Cloud Storage) as `gcp.projects.Service` resources the other
   * resources wait for; never disabled on destroy. Default `true`. Set `false` when the project's APIs are managed
   * elsewhere (the deployer then needs no `serviceusage.services.enable` permission).
   */
  enableApis?: boolean;
  /** Boot disk size, GiB. Default 200. */
  bootDiskGiB?: number;
  /**
   * IPv4 block the component's networks are carved from, as /16s (host, second host, fabric
   * subnets, load balancer proxies, private services). A /12 or larger. Default `10.0.0.0/12`.
   */
  networkCidr?: string;
  /**
   * Training on A3 High / A3 Mega / A3 Ultra / A4: how the nodes are kept close.
   * `workload` (default): a HIGH_THROUGHPUT workload policy on the managed instance group, which
   * Google's placement-policy docs name for MIGs of these series. `compact`: a compact placement
   * policy (COLLOCATED) in the instance template, as Google's earlier A3 cluster blueprints did.
   * Other series always use a compact placement policy. Changing it on a running cluster needs the managed instance
   * group empty first: Compute Engine replaces or removes a MIG's workload policy "only if there are no compute
   * instances in the MIG" (https://cloud.google.com/compute/docs/instance-groups/manage-workload-policies,
   * Limitations), so resize the group to 0, `pulumi up`, and the next `up` restores its size.
   */
  placementPolicy?: GcpPlacementPolicy;
  /**
   * Training VMs: the fabric gate, a two-node NCCL all-reduce on the group's first two nodes at their first boot (the
   * NGC PyTorch container with the node's GPUDirect plugin), read back during `pulumi up`, which fails below the
   * machine type's floor (lib/fabric/floors.ts) with the figure, the floor and the likely causes; the figure becomes
   * the `ncclBusBandwidthGBps` output. `up` then waits for it (the nodes' boot, the
   * container's pull and the run). Default: on for a training cluster of 2 or more nodes on a fabric; `false` skips it. GKE: `gcp.gke.acceptanceTest`.
   */
  acceptanceTest?: boolean;
  /**
   * VM clusters: GPU metrics in Cloud Monitoring. Each node runs Google's Ops Agent (2.70.0, installed at boot unless the
   * image has it), metrics only: GPU utilization and memory (used and free) of every GPU from NVML, every 60 s, as
   * `agent.googleapis.com/gpu/*` on the VM's `gce_instance`; every other host metric and all logging are off. On H100,
   * L4 and A100 nodes also NVIDIA DCGM 3.3.9 and the agent's DCGM receiver: GPU temperature and energy, as
   * `workload.googleapis.com/gpu.dcgm.temperature` and `.energy_consumption` (lib/clouds/gcp/gpu-metrics.ts). The node
   * account gets `roles/monitoring.metricWriter` for it. Cloud Monitoring bills the points ingested (the estimate names
   * the count). Default: on, except without Cloud NAT (the nodes fetch the agent from Google's package repository);
   * `false` leaves the agent and the role out. Not for GKE (its GPU metrics are DCGM's, in Managed Service for Prometheus).
   */
  gpuMetrics?: boolean;
  /** Allow SSH through Identity-Aware Proxy (35.235.240.0/20, TCP 22, OS Login). Default true. */
  iapSsh?: boolean;
  /** Inference: requests per second per replica the load balancer and autoscaler aim for. Default 1. */
  requestsPerSecondPerReplica?: number;
  /**
   * Inference: SSL certificate resources (self links or ids) for the HTTPS proxy. Required for an
   * internet-facing fleet (global certificates); optional for an internal one, which then serves HTTPS on 443 only
   * through a regional HTTPS proxy and takes regional certificates (`compute.RegionSslCertificate`, or Certificate
   * Manager regional certificates). A GKE fleet takes them when internet-facing: global certificates of the cluster's
   * project, named on its Gateway (the Gateway's `networking.gke.io/pre-shared-certs`); an internal GKE fleet's
   * passthrough load balancer cannot terminate TLS, and refuses them. Default none.
   */
  sslCertificates?: pulumi.Input<string>[];
  /**
   * Inference, internet-facing: client CIDRs the load balancer admits (a Cloud Armor security policy
   * on the backend service allows them and denies every other client with 403; the model server has no auth of its
   * own). Required for an internet-facing fleet, VM or GKE (on GKE the policy is attached to the Gateway's backend):
   * `["0.0.0.0/0"]` opens it to everyone, explicitly. Not taken by an internal fleet (reachable from the VPC only; an
   * internal GKE fleet's ranges are `gcp.gke.loadBalancerSourceRanges`). Default none.
   */
  allowedSourceRanges?: string[];
  /**
   * Inference: the model server each replica runs (vLLM in Docker under systemd; image, model, args, env). Default
   * `vllm/vllm-openai:v0.11.0` serving `Qwen/Qwen3-8B` on the fleet's port. An `env` value given as a Pulumi secret
   * is stored in Secret Manager (readable by the nodes' service account only), never in instance metadata.
   */
  modelServer?: ModelServerOptions;
  /** Shell appended to the node startup script (after the fabric environment and mounts). Default none. */
  startupScript?: string;
  /** Labels added to every labelled resource. Default none (the component always adds its own). */
  labels?: Record<string, string>;
  /**
   * GKE settings, with `orchestrator: "kubernetes"`: an existing cluster (`clusterName`), the Kubernetes provider,
   * Kueue, the release channel, a public control-plane endpoint, and the workload (namespace, image, command, env).
   * Default: a new private GKE Standard cluster on the REGULAR channel, no Kueue.
   */
  gke?: GkeOptions;
}

/** Every option and its type: a typo or a wrong type in an option bag is a SpecError, not a silently ignored setting or a crash. */
export const GCP_OPTION_FIELDS = {
  zone: field.string,
  image: field.string,
  secureBoot: field.boolean,
  enableApis: field.boolean,
  bootDiskGiB: field.number,
  networkCidr: field.string,
  placementPolicy: field.choice(["workload", "compact"]),
  iapSsh: field.boolean,
  acceptanceTest: field.boolean,
  gpuMetrics: field.boolean,
  requestsPerSecondPerReplica: field.number,
  sslCertificates: field.inputList,
  allowedSourceRanges: field.stringList,
  startupScript: field.string,
  modelServer: field.bag(MODEL_SERVER_FIELDS),
  labels: field.stringMap,
  gke: field.bag(GKE_OPTION_FIELDS),
} as const satisfies FieldKinds<GcpOptions>;

export const GCP_DEFAULTS = {
  image: DEFAULT_IMAGE,
  secureBoot: false,
  enableApis: true,
  networkCidr: "10.0.0.0/12",
  placementPolicy: "workload" as const,
  iapSsh: true,
  requestsPerSecondPerReplica: 1,
};

export { PD_DISK_TYPES, seriesFacts, type SeriesFacts } from "../../catalog/gcp-series.js";
import { seriesFacts } from "../../catalog/gcp-series.js";

/** The zone the user pinned (spec first, then the gcp option), if any. */
export function pinnedZone(plan: Plan, options: GcpOptions): string | undefined {
  return plan.zone ?? options.zone;
}

/**
 * Managed Lustre is offered in some of a region's zones only ("Supported regions and zones",
 * https://cloud.google.com/managed-lustre/docs/locations, an undated page whose list grows: e.g. asia-northeast1-b and
 * -c only), and the instance goes in the GPU nodes' zone. The list is not copied here, where it would go stale and
 * refuse zones Google has since added; the note says what to check, before `up` creates the rest.
 */
function lustreZoneNote(plan: Readonly<Plan>, zone: string | undefined): string {
  const where = zone ?? `the zone of ${plan.region} that sells ${plan.instanceType} (looked up at deploy)`;
  return `Managed Lustre: the instance is created in the nodes' zone, ${where}; Google offers Managed Lustre in some zones of a region only (https://cloud.google.com/managed-lustre/docs/locations), and in another its creation fails after the cluster is built: check the zone there, and pin zone to one it lists.`;
}

/** How the plan's `compact` placement is built for this machine type (training.ts builds it). */
export function placementKind(plan: Readonly<Plan>, options: GcpOptions): "workload" | "compact" | "none" {
  if (plan.placement.strategy !== "compact") return "none";
  if (!seriesFacts(plan.instanceType).workloadPolicy) return "compact";
  return options.placementPolicy ?? GCP_DEFAULTS.placementPolicy;
}

/**
 * When `gcp.placementPolicy` is given on a machine type that takes a workload policy: switching it on a running
 * cluster adds or removes the MIG's workload policy, which Compute Engine refuses while the group has instances
 * (https://cloud.google.com/compute/docs/instance-groups/manage-workload-policies, Limitations: "only if there are
 * no compute instances in the MIG"), so `up` would fail half-way (the new policy made, the group's update refused).
 */
export function placementChangeNote(plan: Readonly<Plan>, options: GcpOptions): string | undefined {
  if (options.placementPolicy === undefined || plan.orchestrator === "kubernetes" || plan.workload !== "training") return undefined;
  // Only where the option chooses anything: a compact plan on a series that takes a workload policy.
  if (plan.placement.strategy !== "compact" || !seriesFacts(plan.instanceType).workloadPolicy) return undefined;
  return (
    `GCP placement: gcp.placementPolicy '${options.placementPolicy}' is fixed while the nodes run: Compute Engine changes a managed instance group's workload policy only when the group is empty. ` +
    "To switch it on a running cluster, first `gcloud compute instance-groups managed resize <nodeGroupId> --size 0 --zone <zone>` (the nodes and their local SSDs go), then `pulumi up --refresh` (the refresh reads the empty group, so the update switches the policy and restores the size; a plain `up` compares with the size it last set and leaves the group empty)."
  );
}

/**
 * A VM fleet's endpoint is on a reserved address (inference.ts `<name>-lb-address`), which a fleet deployed before
 * the address was reserved does not have: its forwarding rule is replaced once, onto a new address.
 */
export function reservedEndpointNote(plan: Readonly<Plan>): string | undefined {
  if (plan.orchestrator === "kubernetes" || plan.service === undefined) return undefined;
  const scope = plan.service.loadBalancer === "internal" ? "internal address in the host subnet" : "global external address";
  return (
    `GCP endpoint: the load balancer's ${scope} is reserved, so it stays when the forwarding rule is replaced (e.g. adding gcp.sslCertificates). ` +
    "A fleet first deployed by a gpu-cluster version that did not reserve it gets a new forwarding rule on a new address once, at its next `up`: point clients and DNS at the new endpointUrl."
  );
}

/** Checks that need the plan and the GCP options together. Throws SpecError before any resource exists. */
/**
 * GPUDirect-TCPX on VMs (A3 High) runs only on Google's TCPX kernel, which cluster-toolkit's A3 High blueprint builds
 * into its image from a private package archive (examples/machine-learning/a3-highgpu-8g/a3high-slurm-blueprint.yaml
 * @5231ccc8f: `linux-gcp-tcpx`); the default Deep Learning VM image runs Ubuntu's stock kernel, so its nodes would only
 * fail their boot (lib/clouds/gcp/fabric-boot.ts refuses any other kernel). Said now, before anything is created.
 */
function checkTcpxImage(plan: Plan, o: GcpOptions): void {
  if (plan.orchestrator === "kubernetes" || plan.workload !== "training" || plan.fabric.kind !== "gpudirect-tcpx" || o.image !== undefined) return;
  throw new SpecError(
    "gcp.image",
    `GPUDirect-TCPX on ${plan.instanceType} VMs needs Google's TCPX kernel, and the default image (${DEFAULT_IMAGE}) has Ubuntu's stock kernel`,
    "set gcp.image to an Ubuntu image with linux-gcp-tcpx (built as cluster-toolkit's a3high-slurm-blueprint.yaml builds its image), use orchestrator: 'kubernetes' (GKE's nodes carry it), or fabric: 'none' to run over TCP",
  );
}

/** Checks that need the plan and the GCP options together (throws SpecError); returns the notes they add to the plan. */
export function checkGcpOptions(plan: Readonly<Plan>, options: GcpOptions | undefined): string[] {
  checkOptionBag(options, "gcp", GCP_OPTION_FIELDS);
  const o = options ?? {};
  checkGkeOptions(plan, o.gke);
  checkModelServerOptions(plan, o.modelServer, "gcp.modelServer");
  if (o.zone !== undefined) {
    if (!new RegExp(`^${plan.region}-[a-z]$`).test(o.zone)) {
      throw new SpecError("gcp.zone", `'${o.zone}' is not a zone of ${plan.region}`, `e.g. '${plan.region}-a'`);
    }
    if (plan.zone !== undefined && plan.zone !== o.zone) {
      throw new SpecError("gcp.zone", `zone is '${plan.zone}' but gcp.zone is '${o.zone}'`, "give the zone once");
    }
  }
  if (plan.reservationId !== undefined && pinnedZone(plan, o) === undefined) {
    throw new SpecError(
      "zone",
      `reservation ${plan.reservationId} lives in one zone, and the nodes must launch there`,
      `set zone to the reservation's zone (gcloud compute reservations describe shows it), e.g. '${plan.region}-b'`,
    );
  }
  checkTcpxImage(plan, o);
  checkUnbuiltFabric(plan);
  const gate = acceptanceTestNote(plan, o);
  checkAddressSpace(plan, o);
  // The gate's note first, where it stood when the check wrote it onto the plan itself.
  const notes: string[] = gate ? [gate] : [];
  notes.push(...checkGpuMetricsOption(plan, o.gpuMetrics, "gcp.gpuMetrics", `the Ops Agent (from Google's package repository)${gcpDcgm(plan.gpuModel) ? " and NVIDIA DCGM (from NVIDIA's CUDA repository)" : ""}`));
  if (gpuMetricsOn(plan, o.gpuMetrics)) {
    notes.push(gpuMetricsOffNote("gcp.gpuMetrics", "`sudo systemctl disable --now google-cloud-ops-agent` on each node (or a rolling replace of the group)"));
    // The Ops Agent's DCGM receiver (v2) watches DCGM's profiling fields (GoogleCloudPlatform/ops-agent apps/dcgm.go),
    // and while DCGM holds the GPUs' profiling counters, CUPTI tools cannot: NVIDIA's `dcgmi profile --pause` releases
    // them "so developer tools such as Nsight Compute or Nsight Systems can use them" (DCGM user guide, dcgmi profile).
    if (gcpDcgm(plan.gpuModel)) {
      notes.push("GPU metrics: DCGM holds the GPUs' profiling counters for the Ops Agent; before profiling with Nsight Compute or Nsight Systems run `sudo dcgmi profile --pause` on the node, and `sudo dcgmi profile --resume` after");
    }
  }
  const capacity = capacityNote(plan, o);
  if (capacity) notes.push(capacity);
  const endpoint = reservedEndpointNote(plan);
  if (endpoint) notes.push(endpoint);
  const placement = placementChangeNote(plan, o);
  if (placement) notes.push(placement);
  checkFilestoreSlots(plan.storage);
  const lustre = plan.storage.find((s) => s.kind === "lustre");
  if (lustre && plan.orchestrator !== "kubernetes" && !plan.egress.natGateway) {
    const note =
      `storage '${lustre.name}': the nodes install the Managed Lustre client at boot from us-apt.pkg.dev, which a network without Cloud NAT ` +
      "(egress.natGateway: false) reaches only through Private Google Access with DNS for pkg.dev; otherwise boot from an image with the client installed (gcp.image).";
    notes.push(note);
  }
  if (lustre) notes.push(lustreZoneNote(plan, pinnedZone(plan, o)));
  plan.storage.forEach((s) => {
    if (s.kind === "lustre" && s.importPath !== undefined && ![...plan.notes, ...notes].some((n) => n.includes(s.importPath!))) {
      notes.push(
        `storage '${s.name}': Managed Lustre loads ${s.importPath} through an import job, not at creation: after 'pulumi up', run ` +
          `'gcloud lustre instances import-data <instance> --location=<zone> --gcs-path-uri=${s.importPath} --lustre-path=/'`,
      );
    }
  });
  if (o.image !== undefined && !/^(https:\/\/www\.googleapis\.com\/compute\/v1\/)?projects\/[a-z][-a-z0-9]*\/global\/images\/(family\/)?[a-z][-a-z0-9]*$/.test(o.image)) {
    throw new SpecError("gcp.image", `'${o.image}' is not an image or image family path`, `e.g. '${DEFAULT_IMAGE}'`);
  }
  if (o.bootDiskGiB !== undefined && !(Number.isInteger(o.bootDiskGiB) && o.bootDiskGiB >= 50 && o.bootDiskGiB <= 65536)) {
    throw new SpecError("gcp.bootDiskGiB", `${o.bootDiskGiB} is not a whole number of GiB from 50 to 65536`, "the Deep Learning VM image needs at least 50 GiB; e.g. 200");
  }
  if (o.networkCidr !== undefined) {
    const m = /^10\.(\d{1,3})\.0\.0\/(8|9|10|11|12)$/.exec(o.networkCidr);
    if (!m || !alignedTenBlock(Number(m[1]), Number(m[2]))) {
      throw new SpecError("gcp.networkCidr", `'${o.networkCidr}' is not an aligned 10.x.0.0 block from /8 to /12`, "e.g. '10.0.0.0/12' or '10.16.0.0/12'");
    }
  }
  // An internal GKE fleet is a passthrough Service (gke/target.ts); an internet-facing one's Gateway takes the certificate.
  if (plan.orchestrator === "kubernetes" && o.sslCertificates !== undefined && plan.service?.loadBalancer !== "internet-facing") {
    throw new SpecError(
      "gcp.sslCertificates",
      "an internal GKE fleet is behind a passthrough load balancer that cannot terminate TLS; only an internet-facing GKE fleet's Gateway takes a certificate",
      "remove it, or use loadBalancer: 'internet-facing' (a GKE Gateway serving HTTPS with it), or orchestrator: 'vm' for an internal HTTPS fleet",
    );
  }
  if (plan.service?.loadBalancer === "internet-facing" && !o.sslCertificates?.length) {
    throw new SpecError("gcp.sslCertificates", "an internet-facing fleet serves HTTPS only, and needs its certificate", "pass a compute.SSLCertificate / ManagedSslCertificate id, or use loadBalancer: 'internal'");
  }
  notes.push(...checkAllowedSourceRanges(plan, o));
  // The global external load balancer (the VM fleet's proxy, the GKE Gateway's) takes global certificates only.
  if (plan.service?.loadBalancer === "internet-facing") {
    for (const cert of o.sslCertificates ?? []) {
      if (typeof cert === "string" && cert.includes("/regions/")) {
        throw new SpecError("gcp.sslCertificates", `'${cert}' is a regional certificate; the internet-facing fleet's global load balancer takes global ones`, "create a global compute.SSLCertificate (or ManagedSslCertificate) and pass its id");
      }
    }
  }
  if (plan.service?.loadBalancer === "internal") {
    for (const cert of o.sslCertificates ?? []) {
      if (typeof cert === "string" && cert.includes("/global/sslCertificates/")) {
        throw new SpecError("gcp.sslCertificates", `'${cert}' is a global certificate; an internal fleet's regional HTTPS proxy takes regional ones`, `create a compute.RegionSslCertificate in ${plan.region} and pass its id`);
      }
    }
  }
  if (o.requestsPerSecondPerReplica !== undefined && !(o.requestsPerSecondPerReplica > 0)) {
    throw new SpecError("gcp.requestsPerSecondPerReplica", "must be greater than 0", "e.g. 1");
  }
  for (const [key, value] of Object.entries(o.labels ?? {})) {
    if (!/^[a-z][-_a-z0-9]{0,62}$/.test(key) || !/^[-_a-z0-9]{0,63}$/.test(value)) {
      throw new SpecError(`gcp.labels.${key}`, "GCP labels are lowercase letters, digits, '-' and '_' (keys start with a letter, 63 characters at most)", "e.g. { team: 'ml-infra' }");
    }
  }
  return notes;
}

/**
 * `gcp.acceptanceTest` is the VM gate: a training cluster of 2 or more VMs (GKE's check is `gcp.gke.acceptanceTest`).
 * Returns the note of a gate that runs.
 */
function acceptanceTestNote(plan: Readonly<Plan>, o: GcpOptions): string | undefined {
  if (o.acceptanceTest !== undefined && plan.orchestrator === "kubernetes") throw new SpecError("gcp.acceptanceTest", "is the VM fabric gate; on GKE the check is a Job", "set gcp.gke.acceptanceTest instead");
  if (o.acceptanceTest === true && (plan.workload !== "training" || plan.nodeCount < 2)) {
    throw new SpecError("gcp.acceptanceTest", "measures the fabric between two nodes of a training cluster", "use it on a training cluster of 2 or more nodes, or leave it out");
  }
  // The gate runs where lib/clouds/gcp/fabric-gate.ts runs it: VM training, 2 or more nodes, a fabric with a floor.
  const floor = plan.orchestrator !== "kubernetes" && plan.workload === "training" && plan.nodeCount >= 2 && plan.fabric.kind !== "none" && o.acceptanceTest !== false ? fabricFloor(plan.instance) : undefined;
  if (!floor) return undefined;
  return (
    `GCP fabric gate: 'pulumi up' waits for a two-node NCCL all-reduce on the managed instance group's first two VMs (their boot, the check container's pull, the run) ` +
    `and fails below ${floor.floorGBps} GB/s, or when neither starts within an hour of the group's creation (no capacity); a verdict of an earlier pair of VMs only warns; gcp.acceptanceTest: false skips it.`
  );
}

/** IPv4 CIDRs Cloud Armor's `srcIpRanges` take (https://cloud.google.com/armor/docs/security-policy-overview#ip-address-lists). */
const IPV4_CIDR = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(3[0-2]|[12]?\d)$/;

/**
 * An internet-facing fleet, VM or GKE, names the clients it admits, as CoreWeave's (`coreweave.loadBalancerSourceRanges`)
 * does: one rule for both, as both attach the same Cloud Armor policy (load-balancer.ts). Nowhere else is the option
 * taken (an internal GKE fleet's ranges are `gcp.gke.loadBalancerSourceRanges`).
 */
function checkAllowedSourceRanges(plan: Readonly<Plan>, o: GcpOptions): string[] {
  if (plan.workload !== "inference") {
    if (o.allowedSourceRanges !== undefined) throw new SpecError("gcp.allowedSourceRanges", "is for an inference fleet's load balancer; a training cluster has none", "remove it");
    return [];
  }
  if (plan.orchestrator === "kubernetes" && plan.service?.loadBalancer !== "internet-facing") {
    if (o.allowedSourceRanges !== undefined) throw new SpecError("gcp.allowedSourceRanges", "is for an internet-facing fleet's Cloud Armor policy; an internal GKE fleet is a passthrough load balancer", "pass gcp.gke.loadBalancerSourceRanges");
    return [];
  }
  if (plan.service?.loadBalancer !== "internet-facing") {
    if (o.allowedSourceRanges !== undefined) {
      throw new SpecError("gcp.allowedSourceRanges", "an internal fleet is reachable from its VPC only, through its internal load balancer", "remove it, or use loadBalancer: 'internet-facing' for clients on the internet");
    }
    return [];
  }
  if (!o.allowedSourceRanges?.length) {
    throw new SpecError(
      "gcp.allowedSourceRanges",
      "an internet-facing fleet needs the client ranges it admits (the model server has no auth of its own)",
      "e.g. ['203.0.113.0/24'], or ['0.0.0.0/0'] to open it to everyone on purpose",
    );
  }
  for (const range of o.allowedSourceRanges) {
    if (!IPV4_CIDR.test(range)) throw new SpecError("gcp.allowedSourceRanges", `'${range}' is not an IPv4 CIDR`, "e.g. '203.0.113.0/24'");
  }
  const note =
    "GCP internet-facing fleet: a Cloud Armor Standard security policy admits gcp.allowedSourceRanges; Cloud Armor bills the policy, " +
    "each rule and every request it evaluates (https://cloud.google.com/armor/pricing): the estimate prices the policy and its rules, and names the requests, which the spec does not count.";
  return [note];
}

/**
 * The managed instance groups are created with `waitForInstances: false` (GPU capacity can take longer than an `up`
 * should wait), so `up` succeeds with fewer GPU nodes than asked, even none, when the zone has no capacity: the
 * plan says so, names the zone, and what to try. GKE node pools wait for their nodes, so this is VM-only.
 */
export function capacityNote(plan: Plan, o: GcpOptions): string | undefined {
  if (plan.orchestrator === "kubernetes") return undefined;
  const pinned = pinnedZone(plan, o);
  const where = pinned ?? `the first zone of ${plan.region} (in name order) that offers ${plan.instanceType} when the stack is created`;
  const wanted = plan.workload === "inference" ? `${plan.replicas!.min} to ${plan.replicas!.max} replicas` : `${plan.nodeCount} nodes`;
  const tries = [
    plan.reservationId === undefined ? "a reservation (reservationId with its zone)" : undefined,
    pinned === undefined ? "another zone (zone / gcp.zone)" : "another zone of the reservation or region",
    plan.pricing !== "spot" ? "Spot capacity (pricing: 'spot')" : undefined,
  ].filter((t): t is string => t !== undefined);
  return (
    `GCP capacity: the ${plan.instanceType} managed instance group (nodeGroupId) is created without waiting for its ${wanted}, in ${where}; ` +
    `'pulumi up' succeeds even when that zone has no ${plan.instanceType} capacity and the group stays short. Check it with ` +
    "'gcloud compute instance-groups managed describe <nodeGroupId>' (status.isStable, currentActions.creating) and its list-instances errors " +
    `(ZONE_RESOURCE_POOL_EXHAUSTED, quota); if it stays short, try ${tries.join(", or ")}.`
  );
}

/** Prefix of every block the address plan cuts from `gcp.networkCidr` (network.ts): host subnet, GKE pod range. */
export const ADDRESS_BLOCK_PREFIX = 16;
/** Addresses Google reserves in every subnet's primary range (https://cloud.google.com/vpc/docs/subnets#unusable-ip-addresses-in-every-subnet). */
const RESERVED_PER_SUBNET = 4;

/** The most nodes the plan can run at once, and the spec field that sets it. */
function peakNodes(plan: Plan): { nodes: number; field: string; per: string } {
  if (plan.workload === "inference") return { nodes: fleetNodes(plan).max, field: "replicas.max", per: (plan.replicasPerNode ?? 1) > 1 ? `nodes (${plan.replicasPerNode} replicas per node)` : "replicas" };
  return { nodes: plan.nodeCount, field: "gpu.nodes", per: `nodes (gpu.count ${plan.gpusPerNode} per node)` };
}

/**
 * Every node needs an address in the host subnet (a /16) and, on GKE, a /26 of the pod range (a /16: 1,024 nodes at 32
 * pods per node) for itself; a cluster larger than that creates, then leaves nodes that never get an address.
 * The pod range check covers a new cluster (its system pool included); an existing cluster's ranges are its own.
 */
function checkAddressSpace(plan: Plan, o: GcpOptions): void {
  const { nodes, field: path, per } = peakNodes(plan);
  const blockAddresses = 2 ** (32 - ADDRESS_BLOCK_PREFIX);
  const hostFits = blockAddresses - RESERVED_PER_SUBNET - 1; // one more for an internal load balancer's address
  if (nodes > hostFits) {
    throw new SpecError(path, `${nodes} ${per} do not fit the host subnet (a /${ADDRESS_BLOCK_PREFIX}: ${hostFits} node addresses)`, `use at most ${hostFits}, or split the cluster`);
  }
  if (plan.orchestrator === "kubernetes" && o.gke?.clusterName === undefined) {
    const system = systemNodePool("gcp").nodes;
    const podFits = Math.floor(blockAddresses / podAddressesPerNode(GKE_MAX_PODS_PER_NODE)) - system;
    if (nodes > podFits) {
      throw new SpecError(
        path,
        `${nodes} GPU ${per} and ${system} system nodes do not fit the GKE pod range (a /${ADDRESS_BLOCK_PREFIX} at ${GKE_MAX_PODS_PER_NODE} pods per node: a /26 each, ${podFits + system} nodes)`,
        `use at most ${podFits}${plan.workload === "training" ? ` nodes (gpu.count ${podFits * plan.gpusPerNode})` : ""}, or split the work over several clusters (gcp.gke.clusterName lets pools share one with its own ranges)`,
      );
    }
  }
}

function alignedTenBlock(second: number, prefix: number): boolean {
  if (second > 255) return false;
  const blockSize = 2 ** (16 - prefix); // in units of the second octet
  return second % blockSize === 0;
}
