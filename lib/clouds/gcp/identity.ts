/**
 * The nodes' service account, least privilege: write logs and metrics, pull images
 * from Artifact Registry, and (granted in storage.ts) read and write objects in the
 * cluster's own buckets only. No project-wide storage, compute or editor role.
 */
import * as pulumi from "@pulumi/pulumi";
import * as projects from "@pulumi/gcp/projects";
import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import type { CompileContext } from "../types.js";
import { serviceAccountId } from "./names.js";

/** Project roles the nodes get. */
export const NODE_PROJECT_ROLES = {
  logs: "roles/logging.logWriter",
  metrics: "roles/monitoring.metricWriter",
  images: "roles/artifactregistry.reader",
} as const;

/** Role on each of the cluster's buckets: objects only (get, list, create, delete), not the bucket's settings or IAM. */
export const BUCKET_ROLE = "roles/storage.objectUser";

export interface NodeIdentity {
  account: serviceaccount.Account;
  email: pulumi.Output<string>;
  /** `serviceAccount:<email>`, for IAM bindings. */
  member: pulumi.Output<string>;
}

export function nodeIdentity(ctx: CompileContext, project: pulumi.Output<string>): NodeIdentity {
  const opts = { parent: ctx.parent };
  const account = new serviceaccount.Account(
    `${ctx.name}-nodes`,
    {
      accountId: serviceAccountId(ctx.name),
      displayName: `gpu-cluster ${ctx.name} nodes`,
      description: "Nodes of a gpu-cluster component: logs, metrics, Artifact Registry pulls, the cluster's own buckets",
    },
    opts,
  );
  const member = pulumi.interpolate`serviceAccount:${account.email}`;
  for (const [role, name] of Object.entries(NODE_PROJECT_ROLES)) {
    new projects.IAMMember(`${ctx.name}-nodes-${role}`, { project, role: name, member }, opts);
  }
  return { account, email: account.email, member };
}
