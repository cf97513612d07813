/**
 * GB200 NVL72 on CKS: multi-node NVLink for a training job. Every GPU pod gets an IMEX channel, and pod affinity keeps
 * the job's pods in one NVLink domain. The channel comes one of two ways (`coreweave.imex`, ./compute-domain-rules.ts),
 * and so does the label that names the domain (DOMAIN_KEY there):
 * - `"node"` (default): the rack's channel 0, which the nvidia-imex DaemonSet of earlier CKS clusters provides on every
 *   Node, selected with `NVIDIA_IMEX_CHANNELS=0` and no resource claim, as coreweave/nccl-tests'
 *   mpi-operator/nccl-test-distributed-gb200-nvl72-mpijob.yaml (cb865533, 2026-05-27, read 2026-12-01). Nothing is
 *   created for it; the all-reduce pods stop at once, naming `coreweave.imex`, where the channel is missing
 *   (NODE_IMEX_CHECK_ENV). The domain is `ds.coreweave.com/nvlink.domain`, the rack id CKS puts on every GB200 / GB300 Node
 *   (./node-labels.ts): none of CoreWeave's non-DRA manifests uses `nvidia.com/gpu.clique` (they name
 *   nvlink.domain to pin a rack), so a required term on it could leave every pod Pending.
 * - `"dra"`: one ComputeDomain (NVIDIA DRA driver) per component, whose IMEX channel every GPU pod claims through the
 *   ResourceClaimTemplate the domain generates, as coreweave/nccl-tests'
 *   mpi-operator/nccl-test-distributed-gb300-roce-nvl72-mpijob-dra.yaml (same commit), whose required affinity is on
 *   `nvidia.com/gpu.clique` ("requires gpu-feature-discovery to set the label"); the ComputeDomain's fields as the CRD
 *   of NVIDIA/k8s-dra-driver-gpu defines them (lib/fabric/mnnvl.ts). CoreWeave enables DRA IMEX per cluster (limited
 *   availability, docs.coreweave.com/products/cks/clusters/scheduling/imex-dra-scheduling, read 2026-12-01).
 *
 * One rack (18 Nodes): with `"node"` the Node Pool is the rack (CKS deploys GB200 in whole racks of 18,
 * docs.coreweave.com/docs/platform/instances/gb200, read 2026-12-01), so the pods need no pod affinity at all; with
 * `"dra"` they must share a clique (required affinity, as the DRA manifest). Several racks: a job spans domains, so
 * the training pods' affinity is preferred, packing pods by domain; the Node Pool holds whole racks (validation), so
 * every rack is full. The acceptance test's two pods must share a domain whatever the rack count (required affinity,
 * both racks having room for them): its floor is one NVLink domain's figure (lib/fabric/floors.ts), so a pair split
 * across racks, or one that falls back to InfiniBand, fails it.
 *
 * Several racks also make training cross racks over InfiniBand, which the one-domain pair never touches: a second
 * pair (`crossRackPair`) puts its two pods in two different domains (required anti-affinity on the domain label) with
 * multi-node NVLink off, so the all-reduce can only take InfiniBand, and compares it with the InfiniBand floor between
 * racks (CROSS_DOMAIN_FLOORS). CoreWeave runs GB200 across racks the same way: coreweave/nccl-tests'
 * mpi-operator/nccl-test-distributed-gb200-128-multirack-mpijob.yaml (cb865533, 2026-05-27, read 2026-11-30) spreads
 * its workers over 2 racks (topologySpreadConstraints maxSkew 1, minDomains 2, on the rack's
 * `topology.kubernetes.io/zone`) with InfiniBand between them (NCCL_IB_HCA=ibp, NCCL_NET_PLUGIN=none); for a pair, one
 * pod per domain is the same placement, on the label that is the NVLink domain itself.
 */
import type * as pulumi from "@pulumi/pulumi";
import { CustomResource } from "@pulumi/kubernetes/apiextensions";
import type * as k8s from "@pulumi/kubernetes/types/input";
import { nvlinkDomain } from "../../fabric/index.js";
import type { Plan } from "../../planner/types.js";
import type { CheckPair, GpuNodePlacement } from "../kubernetes/target.js";
import type { CompileContext } from "../types.js";
import type { CoreWeaveNames } from "./names.js";
import { domainKey, imexMode, needsImexChannel, NODE_IMEX_CHECK_ENV, NODE_IMEX_ENV } from "./compute-domain-rules.js";
import type { CoreWeaveOptions } from "./options.js";

// When a plan needs a ComputeDomain is SDK-free, so the option checks can read it without loading @pulumi/kubernetes.
export { computeDomainNotes, needsComputeDomain, needsImexChannel, NODE_IMEX_ENV } from "./compute-domain-rules.js";

/** The name of the pods' claim and of the container's reference to it. */
export const IMEX_CLAIM = "compute-domain-channel";

export interface ComputeDomainParts {
  /** The ComputeDomain (`coreweave.imex: "dra"`); none with the node's channel. */
  domain?: CustomResource;
  /** The NVLink-domain affinity, and the channel: the node's by env (`"node"`), or the domain's by claim (`"dra"`). */
  placement: Pick<GpuNodePlacement, "podAffinity" | "checkPodAffinity" | "resourceClaims" | "env">;
  /** The acceptance test's pair across racks, on 2 or more racks (none on one). */
  checkPairs: CheckPair[];
}

/** The cross-rack check pair's name suffix: its Job is `<base>-nccl-check-ib`. */
export const CROSS_RACK_SUFFIX = "-ib";

/**
 * The cross-rack pair's NCCL settings over the fabric's (lib/fabric/index.ts, which already pins NCCL_NET=IB,
 * NCCL_IB_HCA=ibp): multi-node NVLink off, as NCCL's user guide names the switch (Troubleshooting, "Multi-node NVLink
 * (MNNVL) issues": MNNVL is used within an NVLink domain unless NCCL_MNNVL_ENABLE is 0; read 2026-11-30). The pair's
 * pods are in two domains, so no NVLink joins them anyway; off, NCCL maps no memory through an IMEX channel (with
 * `coreweave.imex: "dra"` the pair claims none).
 */
export const CROSS_RACK_NCCL_ENV: Readonly<Record<string, string>> = { NCCL_MNNVL_ENABLE: "0" };

/** The cross-rack pair needs no IMEX channel (MNNVL off), so it skips node IMEX's channel test (an empty file name). */
const CROSS_RACK_NO_CHANNEL_CHECK: Readonly<Record<string, string>> = { CHECK_REQUIRE_FILE: "" };

/** Racks (NVLink domains) the plan fills: the Node Pool holds whole racks (validation). */
function rackCount(plan: Plan): number {
  return plan.nodeCount / (nvlinkDomain(plan.instanceType)?.nodesPerDomain ?? plan.nodeCount);
}

/**
 * The acceptance test's pair across racks, on a plan of 2 or more racks: its two pods in different cliques (required
 * anti-affinity between the pair's own pods, by their Job-name label), no IMEX claim, multi-node NVLink off, and the
 * InfiniBand floor between racks. None on one rack (there is no second domain to reach).
 */
export function crossRackPair(plan: Plan, options: Pick<CoreWeaveOptions, "imex">, names: CoreWeaveNames): CheckPair[] {
  if (!needsImexChannel(plan) || rackCount(plan) < 2) return [];
  const job = `${names.base}${CHECK_JOB_SUFFIX}${CROSS_RACK_SUFFIX}`;
  return [
    {
      suffix: CROSS_RACK_SUFFIX,
      placement: {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: domainKey(options), labelSelector: { matchExpressions: [{ key: JOB_NAME_LABEL, operator: "In", values: [job] }] } }],
        },
      },
      env: { ...CROSS_RACK_NCCL_ENV, ...(imexMode(options) === "node" ? CROSS_RACK_NO_CHANNEL_CHECK : {}) },
      path: "across-nvlink-domains",
    },
  ];
}

/** The label Kubernetes (1.27+) puts on every pod of a Job: the Job's name. No DaemonSet or Deployment pod carries it. */
export const JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
/** The acceptance test Job's name suffix (lib/clouds/kubernetes/acceptance.ts names it `<base>-nccl-check`). */
const CHECK_JOB_SUFFIX = "-nccl-check";

/**
 * The pod affinity keeping a job's pods (training and acceptance test alike) in one NVLink domain. It selects the pods
 * of the component's two Jobs by their Job-name label, as the anchor selects on a label only its job's pods carry
 * (`metadata.coreweave.cloud/job`); `gpu-cluster/name` would not do, since the node-health DaemonSet's pods carry it on
 * every GPU Node, so every domain would already hold a "matching" pod and the required term would constrain nothing.
 * One term for both Jobs (the placement is shared): they never run together (the training Job is created after the
 * check Job completes, and the scheduler ignores finished pods), so each Job's pods gather with each other.
 * None with node IMEX on one rack: the Node Pool is the rack, so the pool's node affinity already keeps every pod in it.
 */
export function domainAffinity(plan: Plan, options: Pick<CoreWeaveOptions, "imex">, names: CoreWeaveNames): k8s.core.v1.PodAffinity | undefined {
  if (rackCount(plan) <= 1) return checkDomainAffinity(plan, options, names);
  return { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: jobPodsTerm(names, domainKey(options)) }] };
}

/** The acceptance test's affinity: its pair always in one domain (required), whatever the rack count; none where the pool is one rack with node IMEX. */
export function checkDomainAffinity(plan: Plan, options: Pick<CoreWeaveOptions, "imex">, names: CoreWeaveNames): k8s.core.v1.PodAffinity | undefined {
  if (rackCount(plan) <= 1 && imexMode(options) === "node") return undefined;
  return { requiredDuringSchedulingIgnoredDuringExecution: [jobPodsTerm(names, domainKey(options))] };
}

/** One domain of `topologyKey` for the pods of the component's two Jobs (training and acceptance test), by Job name. */
export function jobPodsTerm(names: CoreWeaveNames, topologyKey: string): k8s.core.v1.PodAffinityTerm {
  return {
    topologyKey,
    labelSelector: { matchExpressions: [{ key: JOB_NAME_LABEL, operator: "In", values: [names.base, `${names.base}${CHECK_JOB_SUFFIX}`] }] },
  };
}

/**
 * What a multi-node NVLink training plan adds to the pods (none for any other plan): the NVLink-domain affinity, the
 * IMEX channel as `coreweave.imex` says, and the cross-rack check pair; with `"dra"`, the ComputeDomain too.
 */
export function computeDomain(
  plan: Plan,
  options: Pick<CoreWeaveOptions, "imex">,
  names: CoreWeaveNames,
  namespace: pulumi.Input<string>,
  ctx: CompileContext,
  opts: pulumi.CustomResourceOptions,
): ComputeDomainParts | undefined {
  if (!needsImexChannel(plan)) return undefined;
  const podAffinity = domainAffinity(plan, options, names);
  const checkPodAffinity = checkDomainAffinity(plan, options, names);
  const affinity = { ...(podAffinity ? { podAffinity } : {}), ...(checkPodAffinity ? { checkPodAffinity } : {}) };
  const checkPairs = crossRackPair(plan, options, names);
  if (imexMode(options) === "node") return { placement: { ...affinity, env: { ...NODE_IMEX_ENV, ...NODE_IMEX_CHECK_ENV } }, checkPairs };
  const template = `${names.base}-imex-channel`;
  const domain = new CustomResource(
    `${ctx.name}-compute-domain`,
    {
      apiVersion: "resource.nvidia.com/v1beta1",
      kind: "ComputeDomain",
      metadata: { name: `${names.base}-nvlink`, namespace, labels: names.labels },
      // numNodes 0: the CRD's recommended value (IMEX daemons start without waiting for their peers).
      spec: { numNodes: 0, channel: { resourceClaimTemplate: { name: template } } },
    },
    opts,
  );
  return { domain, placement: { ...affinity, resourceClaims: [{ name: IMEX_CLAIM, resourceClaimTemplateName: template }] }, checkPairs };
}
