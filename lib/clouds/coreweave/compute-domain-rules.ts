/**
 * When a CoreWeave plan needs an IMEX channel, how its pods get it (the node's channel, or a ComputeDomain that
 * ./compute-domain.ts builds), and what it tells the user, as plain functions: the option checks read them without
 * loading @pulumi/kubernetes (test/package.test.ts).
 */
import { CLIQUE_LABEL, nvlinkDomain } from "../../fabric/index.js";
import { fabricFloor } from "../../fabric/floors.js";
import type { Plan } from "../../planner/types.js";
import { NVLINK_DOMAIN_LABEL } from "./node-labels.js";
import type { CoreWeaveOptions, ImexMode } from "./options.js";

/**
 * `CoreWeaveOptions.imex`'s default (COREWEAVE_DEFAULTS.imex reads it): node IMEX, as CoreWeave's non-DRA GB200
 * manifests. CKS's IMEX overview says earlier clusters got IMEX channels from a transparent nvidia-imex DaemonSet and
 * new work should use DRA (https://docs.coreweave.com/products/cks/clusters/scheduling/imex-overview, read 2026-12-01),
 * while DRA IMEX is limited availability, enabled per cluster on request (imex-dra-scheduling, same date): so the
 * default is the mode that needs no enablement, the pods check for the channel before they start (NODE_IMEX_CHECK_ENV),
 * and a cluster where CoreWeave enabled DRA IMEX sets `coreweave.imex: "dra"`.
 */
export const DEFAULT_IMEX: ImexMode = "node";

/**
 * The environment that selects the node's IMEX channel 0, CoreWeave's node IMEX: its GB200 NVL72 manifests pass
 * `NVIDIA_IMEX_CHANNELS=0` to every worker and claim no resource (coreweave/nccl-tests
 * mpi-operator/nccl-test-distributed-gb200-nvl72-mpijob.yaml and nccl-test-distributed-gb200-128-multirack-mpijob.yaml
 * at cb865533, 2026-05-27, read 2026-12-01: `-x NVIDIA_IMEX_CHANNELS=0`, no `resourceClaims`). The channel comes from
 * the nvidia-imex DaemonSet of earlier CKS clusters ("Previously, CoreWeave provisioned IMEX channels transparently
 * via the nvidia-imex daemonset", docs.coreweave.com/products/cks/clusters/scheduling/imex-dra-scheduling, read
 * 2026-12-01).
 */
export const NODE_IMEX_ENV: Readonly<Record<string, string>> = { NVIDIA_IMEX_CHANNELS: "0" };

/** The device node of IMEX channel 0 in a pod that has it (NVIDIA's IMEX guide, "IMEX Channels"). */
export const IMEX_CHANNEL0_DEVICE = "/dev/nvidia-caps-imex-channels/channel0";

/**
 * With node IMEX, the all-reduce pods (check and default training) first test that channel 0 is there
 * (TORCHRUN_SCRIPT_COMMAND, lib/clouds/kubernetes/workload-all-reduce.ts), and without it stop at once naming the fix,
 * rather than run NCCL without multi-node NVLink into the gate's floor.
 */
export const NODE_IMEX_CHECK_ENV: Readonly<Record<string, string>> = {
  CHECK_REQUIRE_FILE: IMEX_CHANNEL0_DEVICE,
  CHECK_REQUIRE_MESSAGE:
    `no IMEX channel in this pod (${IMEX_CHANNEL0_DEVICE} is missing): coreweave.imex is "node" (the default), the channel of the nvidia-imex DaemonSet that earlier CKS clusters run, and this cluster does not provide it. ` +
    'If CoreWeave enabled DRA IMEX on this cluster, set coreweave.imex: "dra" (a ComputeDomain); otherwise ask CoreWeave to enable it, then rerun `pulumi up`.',
};

/** Whether the plan's pods need an IMEX channel: training on an instance type whose NVLink domain spans nodes. */
export function needsImexChannel(plan: Plan): boolean {
  return plan.workload === "training" && plan.fabric.kind !== "none" && nvlinkDomain(plan.instanceType) !== undefined;
}

/** How the pods get their channel: `coreweave.imex`, default the node's (DEFAULT_IMEX says why). */
export function imexMode(options: Pick<CoreWeaveOptions, "imex"> | undefined): ImexMode {
  return options?.imex ?? DEFAULT_IMEX;
}

/** Whether the plan needs a ComputeDomain: an IMEX channel, claimed through NVIDIA's DRA driver (`coreweave.imex: "dra"`). */
export function needsComputeDomain(plan: Plan, options: Pick<CoreWeaveOptions, "imex"> | undefined): boolean {
  return needsImexChannel(plan) && imexMode(options) === "dra";
}

/** How the pods get the channel, in the plan note's words. */
const CHANNEL_NOTE: Readonly<Record<ImexMode, string>> = {
  node:
    "the pods use the rack's IMEX channel 0 (NVIDIA_IMEX_CHANNELS=0, no resource claim), as CoreWeave's non-DRA GB200 manifests do, from the nvidia-imex DaemonSet of earlier CKS clusters, and stop at once if it is missing; " +
    'CoreWeave says new work should use DRA IMEX (limited availability, enabled per cluster): if CoreWeave enabled it on this cluster, set coreweave.imex: "dra"',
  dra: "the pods claim the IMEX channel of one ComputeDomain (resource.nvidia.com/v1beta1), so the cluster must run NVIDIA's DRA driver for GPUs (CoreWeave's DRA IMEX, limited availability, enabled per cluster)",
};

/**
 * The node label naming a pod's NVLink domain, the topology key of the pods' affinity, per IMEX mode:
 * - node: `ds.coreweave.com/nvlink.domain`, which CKS sets on every GB200 / GB300 NVL72 Node to its rack's globally
 *   unique id (https://docs.coreweave.com/products/sunk/optimize_workloads/topology-scheduling, read 2026-12-01), and
 *   the label CoreWeave's non-DRA GB200 manifests name to pin a rack (coreweave/nccl-tests
 *   mpi-operator/nccl-test-distributed-gb200-nvl72-mpijob.yaml @cb86553). None of those manifests uses
 *   `nvidia.com/gpu.clique`, so nothing says a cluster without DRA IMEX sets it.
 * - dra: `nvidia.com/gpu.clique`, as CoreWeave's DRA manifest (nccl-test-distributed-gb300-roce-nvl72-mpijob-dra.yaml,
 *   same commit: "requires gpu-feature-discovery to set the label") and its IMEX overview
 *   (https://docs.coreweave.com/products/cks/clusters/scheduling/imex-overview, read 2026-12-01).
 */
const DOMAIN_KEY: Readonly<Record<ImexMode, string>> = { node: NVLINK_DOMAIN_LABEL, dra: CLIQUE_LABEL };

/** The NVLink-domain label the pods' affinity keys on, for `coreweave.imex` (DOMAIN_KEY). */
export function domainKey(options: Pick<CoreWeaveOptions, "imex"> | undefined): string {
  return DOMAIN_KEY[imexMode(options)];
}

/**
 * How many unavailable Nodes per rack CoreWeave tells GB200 workloads to tolerate: NVL72 Nodes are exchanged in their
 * own rack, never replaced from another, so "workloads should tolerate up to two unavailable Nodes per rack for
 * maintenance purposes"; past two, the whole rack is cordoned (https://docs.coreweave.com/docs/platform/instances/gb200,
 * read 2026-12-01).
 */
export const TOLERATED_UNAVAILABLE_PER_RACK = 2;

/**
 * The plan note on a tray's loss: the training Job holds one pod on every Node of its racks (whole racks, one rank per
 * Node), so one unavailable tray leaves a pod with nowhere to go and the Job stopped until CoreWeave exchanges it.
 */
function trayLossNote(plan: Plan, nodesPerDomain: number): string {
  const spare = nodesPerDomain - TOLERATED_UNAVAILABLE_PER_RACK;
  return (
    `${plan.instanceType}: the training Job runs a pod on every one of the ${plan.nodeCount} Nodes, so it cannot ride through an unavailable tray: CoreWeave exchanges a failed NVL72 Node in its own rack (no replacement from another rack) ` +
    `and asks workloads to tolerate up to ${TOLERATED_UNAVAILABLE_PER_RACK} unavailable Nodes per rack (docs.coreweave.com/docs/platform/instances/gb200); ` +
    `until the tray is back, a pod stays Pending and the Job does not run (with coreweave.kueue it is requeued). To keep running through maintenance, give your own command an elastic launcher that starts on ${spare} of each rack's ${nodesPerDomain} Nodes (torchrun --nnodes=${(plan.nodeCount / nodesPerDomain) * spare}:${plan.nodeCount}) and checkpoint to shared storage.`
  );
}

/** What a plan with an IMEX channel tells the user: the racks it fills, how the pods get the channel, their placement. */
export function computeDomainNotes(plan: Plan, options?: Pick<CoreWeaveOptions, "imex">): string[] {
  const domain = nvlinkDomain(plan.instanceType);
  if (!domain || !needsImexChannel(plan)) return [];
  const racks = plan.nodeCount / domain.nodesPerDomain;
  const gpus = domain.nodesPerDomain * plan.gpusPerNode;
  const crossFloor = fabricFloor(plan.instance, "across-nvlink-domains");
  const key = domainKey(options);
  const oneRack =
    imexMode(options) === "node"
      ? "share one NVLink domain (the Node Pool is the rack, so no pod affinity is needed)"
      : `share one NVLink domain (required affinity on ${key})`;
  return [
    `${plan.instanceType}: ${racks} whole NVLink rack${racks === 1 ? "" : "s"} of ${domain.nodesPerDomain} Nodes (${gpus} GPUs each, ${domain.source}); ${CHANNEL_NOTE[imexMode(options)]}; ` +
      `the pods ${racks === 1 ? oneRack : `are packed by NVLink domain (preferred affinity on ${key}); NCCL crosses racks over InfiniBand; the acceptance test's two pods share one NVLink domain (required affinity), and a second pair, one pod in each of two racks (required anti-affinity on ${key}) with multi-node NVLink off (NCCL_MNNVL_ENABLE=0), checks InfiniBand between racks${crossFloor ? ` against ${crossFloor.floorGBps} GB/s` : ""}`}`,
    trayLossNote(plan, domain.nodesPerDomain),
  ];
}
