/**
 * CoreWeave training cluster: a NodePool of nodeCount Nodes, a namespace, a headless Service and one indexed Job
 * with a pod per Node (the shared Kubernetes workload). 8 or 1,000 Nodes are the same six resources (plus storage).
 */
import * as pulumi from "@pulumi/pulumi";
import { guardedTraining } from "../kubernetes/guarded.js";
import { workloadNamespace } from "../kubernetes/namespace.js";
import type { Plan } from "../../planner/types.js";
import type { ClusterHandles, CompileContext } from "../types.js";
import { computeDomain } from "./compute-domain.js";
import { childOptions, coreweaveNames } from "./names.js";
import { nodePool } from "./node-pool.js";
import type { CoreWeaveOptions } from "./options.js";
import { claimsHoldData, coreweaveStorage } from "./storage.js";
import { coreweaveTarget } from "./target.js";


export function compileCoreWeaveTraining(plan: Plan, options: CoreWeaveOptions = {}, ctx: CompileContext): ClusterHandles {
  const opts = childOptions(ctx, options);
  const names = coreweaveNames(ctx, options);
  const pool = nodePool(plan, options, names, ctx, opts);
  const ns = workloadNamespace(names, ctx, opts, claimsHoldData(plan));
  const namespace = ns.metadata.name;
  const storage = coreweaveStorage(plan, options, namespace, names, ctx, opts);
  const domain = computeDomain(plan, options, names, namespace, ctx, { ...opts, dependsOn: [ns] });
  const { policy, workload } = guardedTraining(plan, options, names, namespace, coreweaveTarget(plan, options, names, storage, opts, pool, ctx.bill, domain), ctx);
  return {
    nodeGroupId: pool.metadata.name,
    networkId: namespace,
    subnetIds: pulumi.output([]),
    securityGroupId: policy.metadata.name,
    storage: storage.handles,
    ...(workload.acceptance ? { acceptance: workload.acceptance.handle } : {}),
    ...(workload.acceptance?.pairs[0] ? { crossRackAcceptance: workload.acceptance.pairs[0].handle } : {}),
  };
}
