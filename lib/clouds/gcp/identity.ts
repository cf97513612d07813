/**
 * The nodes' service account, least privilege: write logs and metrics, pull images
 * from Artifact Registry, and (granted in storage.ts) read and write objects in the
 * cluster's own buckets only. No project-wide storage, compute or editor role.
 */
import * as pulumi from "@pulumi/pulumi";
import * as projects from "@pulumi/gcp/projects";
import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import type { CompileContext } from "../types.js";
import { afterApis } from "./apis.js";
import { serviceAccountId } from "./names.js";

/** Project roles the nodes get. */
export const NODE_PROJECT_ROLES = {
  logs: "roles/logging.logWriter",
  metrics: "roles/monitoring.metricWriter",
  images: "roles/artifactregistry.reader",
} as const;

/**
 * Project role GKE requires of a node service account, at a minimum, for the node's system tasks (logging, monitoring,
 * node health): "Kubernetes Engine Default Node Service Account"
 * (https://cloud.google.com/kubernetes-engine/security/configure-node-service-accounts, "Grant the minimum required
 * role for GKE"). Granted to the nodes' account of a GKE build only; VM nodes do not need it.
 */
export const GKE_NODE_ROLE = "roles/container.defaultNodeServiceAccount";

/** Role on each of the cluster's buckets: objects only (get, list, create, delete), not the bucket's settings or IAM. */
export const BUCKET_ROLE = "roles/storage.objectUser";

export interface NodeIdentity {
  account: serviceaccount.Account;
  email: pulumi.Output<string>;
  /** `serviceAccount:<email>`, for IAM bindings. */
  member: pulumi.Output<string>;
}

/**
 * The nodes' own service account and its project roles (plus {@link GKE_NODE_ROLE} with `gke: true`). `metrics: false`
 * (VM nodes with `gcp.gpuMetrics` off) leaves out `roles/monitoring.metricWriter`: on VMs only the Ops Agent writes
 * metrics (lib/clouds/gcp/gpu-metrics.ts). Default true.
 */
export function nodeIdentity(ctx: CompileContext, project: pulumi.Output<string>, role: { gke?: boolean; metrics?: boolean } = {}): NodeIdentity {
  const opts = { parent: ctx.parent };
  const account = new serviceaccount.Account(
    `${ctx.name}-nodes`,
    {
      accountId: serviceAccountId(ctx.name),
      displayName: `gpu-cluster ${ctx.name} nodes`,
      description: "Nodes of a gpu-cluster component: logs, metrics, Artifact Registry pulls, the cluster's own buckets",
    },
    afterApis(ctx, opts, "iam"),
  );
  const member = pulumi.interpolate`serviceAccount:${account.email}`;
  const { metrics, ...always } = NODE_PROJECT_ROLES;
  const roles: Record<string, string> = { ...always, ...(role.metrics === false ? {} : { metrics }), ...(role.gke ? { gke: GKE_NODE_ROLE } : {}) };
  for (const [key, name] of Object.entries(roles)) {
    new projects.IAMMember(`${ctx.name}-nodes-${key}`, { project, role: name, member }, afterApis(ctx, opts, "resourcemanager"));
  }
  return { account, email: account.email, member };
}
