/**
 * InfiniBand locality for CoreWeave training without Kueue. With `coreweave.kueue`, Kueue's topology-aware scheduling
 * packs the Job into the narrowest fabric > leaf group that holds it (lib/clouds/kubernetes/kueue-policy.ts). Without
 * it, nothing would: the scheduler places each pod on any Node of the pool. So the pods prefer the leaf group (the
 * switches behind `backend.coreweave.cloud/leafgroup`, ./node-labels.ts) of the Job's pods already placed, which
 * keeps the all-reduce below one leaf level where the pool allows and never blocks scheduling (preferred, weight 100:
 * the Node Pool may span leaf groups, and the job needs every Node). CoreWeave's own GB200 manifests place workers the
 * same way, a preferred pod affinity to each other on a topology label (coreweave/nccl-tests
 * mpi-operator/nccl-test-distributed-gb200-nvl72-mpijob.yaml @cb86553, read 2026-12-01: weight 100 on
 * topology.kubernetes.io/zone).
 *
 * GB200 NVL72 has its own NVLink-domain affinity, required on one rack (./compute-domain.ts), with or without Kueue.
 */
import type * as k8s from "@pulumi/kubernetes/types/input";
import { nvlinkDomain } from "../../fabric/index.js";
import type { Plan } from "../../planner/types.js";
import { jobPodsTerm } from "./compute-domain.js";
import type { CoreWeaveNames } from "./names.js";
import { LEAFGROUP_LABEL } from "./node-labels.js";
import type { CoreWeaveOptions } from "./options.js";

/** The training pods' preferred affinity to one InfiniBand leaf group, when Kueue does not place them; else none. */
export function leafGroupAffinity(plan: Plan, options: Pick<CoreWeaveOptions, "kueue">, names: CoreWeaveNames): k8s.core.v1.PodAffinity | undefined {
  if (plan.workload !== "training" || plan.fabric.kind !== "infiniband" || options.kueue === true) return undefined;
  if (nvlinkDomain(plan.instanceType) !== undefined) return undefined;
  return { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: jobPodsTerm(names, LEAFGROUP_LABEL) }] };
}
