/** The workload's namespace: the `networkId` handle on CoreWeave, and the scope of its NetworkPolicy. */
import type * as pulumi from "@pulumi/pulumi";
import { Namespace } from "@pulumi/kubernetes/core/v1";
import type { CompileContext } from "../types.js";
import type { WorkloadNames } from "./names.js";

export function workloadNamespace(names: WorkloadNames, ctx: CompileContext, opts: pulumi.CustomResourceOptions): Namespace {
  return new Namespace(`${ctx.name}-ns`, { metadata: { name: names.namespace, labels: names.labels } }, opts);
}
