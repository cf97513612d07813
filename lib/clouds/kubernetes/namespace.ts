/** The workload's namespace: the `networkId` handle on CoreWeave, and the scope of its NetworkPolicy. */
import type * as pulumi from "@pulumi/pulumi";
import { Namespace } from "@pulumi/kubernetes/core/v1";
import type { StorageKind } from "../../catalog/types.js";
import type { Plan } from "../../planner/types.js";
import type { CompileContext } from "../types.js";
import type { WorkloadNames } from "./names.js";

/**
 * `holdsData`: guarded storage lives in the namespace as claims (guardedClaimsIn). Deleting a namespace deletes every claim in
 * it, whatever Pulumi's `protect` on the claims says, so such a namespace is left in place when the stack lets it go.
 */
export function workloadNamespace(names: WorkloadNames, ctx: CompileContext, opts: pulumi.CustomResourceOptions, holdsData = false): Namespace {
  return new Namespace(`${ctx.name}-ns`, { metadata: { name: names.namespace, labels: names.labels } }, holdsData ? { ...opts, retainOnDelete: true } : opts);
}

/**
 * Whether guarded storage lives in the workload's namespace as claims: an entry of a kind the target mounts through a
 * PersistentVolumeClaim (`claimKinds`), with deletion protection on. Then the namespace is kept on delete too
 * (workloadNamespace's `holdsData`), on every managed Kubernetes target alike.
 */
export function guardedClaimsIn(plan: Pick<Plan, "storage">, claimKinds: readonly StorageKind[]): boolean {
  return plan.storage.some((s) => claimKinds.includes(s.kind) && s.deletionProtection);
}
