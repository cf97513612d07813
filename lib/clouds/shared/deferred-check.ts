/**
 * One rule for every cloud: when the plan's capacity arrives later than `pulumi up` (a pricing model whose nodes come
 * when the provider has them, not when the pool is created), no fabric check runs at `up`, neither the VM gate
 * (aws/fabric-gate.ts) nor the Kubernetes check Job (kubernetes/acceptance.ts). A check then would wait for nodes that
 * are not there yet and fail `up` at its deadline (the Job's 90 minutes, the VM gate's 3 hours), before the training
 * Job exists. The check is off by default for these pricing models (a plan note says so and how to run it), and an
 * explicit `acceptanceTest: true` is refused with `fix`. Plain values only: the option checks read it without loading a
 * cloud SDK (test/package.test.ts).
 */

/** Why the check is deferred, and what to run instead once the nodes are up. */
export interface DeferredCheck {
  /** Why `up` runs no check (a clause: "… , so `up` would wait …"). */
  readonly reason: string;
  /** What the user runs instead, and when. */
  readonly instead: string;
  /** The fix an explicit `acceptanceTest: true` is refused with. */
  readonly fix: string;
}

function deferred(reason: string, instead: string): DeferredCheck {
  return { reason, instead, fix: `leave it out; ${instead}` };
}

/** The pricing models whose capacity arrives after `up`, by `plan.pricing`. */
const DEFERRED_CHECKS: Readonly<Record<string, DeferredCheck>> = {
  // AWS Capacity Blocks: the group is created empty and gets its nodes only when the block starts
  // (https://docs.aws.amazon.com/eks/latest/userguide/capacity-blocks-mng.html: desired size 0 until then), which may be
  // days after the first `up`. Instead: aws-samples/awsome-distributed-training micro-benchmarks/nccl-tests (its image
  // and Dockerfile, with Kubernetes and Slurm manifests, e.g. kubernetes/nccl-tests.yaml, @7217859, read 2026-12-01).
  "capacity-block": deferred(
    "a capacity block's group is empty until the block starts, so `up` would wait for nodes that cannot run yet",
    "once the block has started, run an NCCL test across two of its nodes yourself (e.g. micro-benchmarks/nccl-tests in github.com/aws-samples/awsome-distributed-training)",
  ),
  // GCP flex-start (GKE): the pool starts at 0 nodes and Dynamic Workload Scheduler provisions them when it finds the
  // capacity, which may take hours (https://cloud.google.com/kubernetes-engine/docs/concepts/dws, read 2026-12-01). The
  // check Job would need its own grant of 2 more billed nodes, on other hosts than the training Job's. Google's
  // flex-start blueprints gate nothing at deploy: their NCCL test is a JobSet the user submits once the cluster is up
  // (cluster-toolkit @1047080, examples/gke-consumption-options/dws-flex-start-queued-provisioning/nccl-jobset-example.yaml,
  // read 2026-12-01).
  "flex-start": deferred(
    "flex-start nodes come when Dynamic Workload Scheduler finds the capacity, which may be hours after `up`, so `up` would wait for nodes (2 more, billed) that are not there yet and fail at the check's deadline",
    "once nodes are granted, run an NCCL test across two of them yourself (e.g. examples/gke-consumption-options/dws-flex-start-queued-provisioning/nccl-jobset-example.yaml in github.com/GoogleCloudPlatform/cluster-toolkit)",
  ),
};

/** Why no fabric check runs at `up` for this plan's pricing, with what to do instead, or undefined when it runs. */
export function deferredCheck(plan: { readonly pricing: string }): DeferredCheck | undefined {
  return DEFERRED_CHECKS[plan.pricing];
}
