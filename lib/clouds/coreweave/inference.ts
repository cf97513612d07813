/**
 * CoreWeave inference fleet: a NodePool autoscaled by CKS between the Nodes replicas.min and max fill (several
 * replicas a Node when gpu.count is below the Node's GPUs: lib/planner/packing.ts), and the shared Kubernetes
 * workload (a Deployment of GPU pods, a Service, an HPA whose pending pods grow the pool); an internet-facing fleet is
 * served over HTTPS by the cluster's Traefik through an Ingress (./ingress.ts), unless the plain-HTTP opt-out is set.
 */
import * as pulumi from "@pulumi/pulumi";
import { guardedInference } from "../kubernetes/guarded.js";
import { workloadNamespace } from "../kubernetes/namespace.js";
import type { Plan } from "../../planner/types.js";
import type { CompileContext, FleetHandles } from "../types.js";
import { childOptions, coreweaveNames } from "./names.js";
import { nodePool } from "./node-pool.js";
import type { CoreWeaveOptions } from "./options.js";
import { claimsHoldData, coreweaveStorage } from "./storage.js";
import { fleetIngress } from "./ingress.js";
import { coreweaveTarget, servedByIngress } from "./target.js";

export function compileCoreWeaveInference(plan: Plan, options: CoreWeaveOptions = {}, ctx: CompileContext): FleetHandles {
  const opts = childOptions(ctx, options);
  const names = coreweaveNames(ctx, options);
  const pool = nodePool(plan, options, names, ctx, opts);
  const ns = workloadNamespace(names, ctx, opts, claimsHoldData(plan));
  const namespace = ns.metadata.name;
  const storage = coreweaveStorage(plan, options, namespace, names, ctx, opts);
  const { policy, workload } = guardedInference(plan, options, names, namespace, coreweaveTarget(plan, options, names, storage, opts, pool, ctx.bill), ctx);
  // Internet-facing behind the cluster's Traefik: the Ingress (and client allow list) in front of the private Service.
  if (servedByIngress(plan, options)) fleetIngress(plan, options.ingress!, options.loadBalancerSourceRanges, names, namespace, workload.service, ctx, opts);
  return {
    nodeGroupId: pool.metadata.name,
    networkId: namespace,
    subnetIds: pulumi.output([]),
    securityGroupId: policy.metadata.name,
    storage: storage.handles,
    endpointUrl: workload.endpointUrl,
  };
}
