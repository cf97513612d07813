/**
 * The Google APIs a component's resources are created through. A new project has few of them on (Compute Engine,
 * GKE, Filestore, Managed Lustre, Cloud KMS and Service Networking are off until someone enables them), and a create
 * call through a disabled API fails with `SERVICE_DISABLED` (403). So, unless `gcp.enableApis: false`, the component
 * enables each API its plan needs as a `gcp.projects.Service` (https://cloud.google.com/service-usage/docs/enable-disable),
 * and every resource or lookup that calls an API waits for its Service: the roots explicitly (`apiDependencies`), the
 * rest through their inputs. `disableOnDestroy: false`: destroying one stack must never switch an API off under
 * another stack or the project's other users. Enabling needs the Service Usage API itself, which is on in every new
 * project, and `serviceusage.services.enable` for the deployer.
 */
import type * as pulumi from "@pulumi/pulumi";
import * as projects from "@pulumi/gcp/projects";
import type { Plan } from "../../planner/types.js";
import type { CompileContext } from "../types.js";
import { vmClusterTrust } from "../shared/cluster-ssh.js";
import { checkComponentName } from "./names.js";
import { GCP_DEFAULTS, type GcpOptions } from "./options.js";

/** Every API the compiler may call, by the short name its Service resource carries (`<name>-api-<short>`). */
export const GCP_APIS = {
  compute: "compute.googleapis.com",
  iam: "iam.googleapis.com",
  /** Project lookups and project-level IAM bindings. */
  resourcemanager: "cloudresourcemanager.googleapis.com",
  container: "container.googleapis.com",
  cloudkms: "cloudkms.googleapis.com",
  file: "file.googleapis.com",
  lustre: "lustre.googleapis.com",
  servicenetworking: "servicenetworking.googleapis.com",
  storage: "storage.googleapis.com",
  /** A VM training cluster's SSH key (cluster-ssh.ts). */
  secretmanager: "secretmanager.googleapis.com",
  /** Cloud Monitoring: Managed Service for Prometheus stores and serves a new GKE cluster's metrics through it. */
  monitoring: "monitoring.googleapis.com",
} as const;

export type GcpApi = keyof typeof GCP_APIS;

/** The APIs a plan's resources are created through (in a fixed order; the set never depends on a count). */
export function neededApis(plan: Plan, options: GcpOptions = {}): GcpApi[] {
  const kinds = new Set(plan.storage.map((s) => s.kind));
  const apis: GcpApi[] = ["compute", "iam", "resourcemanager"];
  if (plan.orchestrator === "kubernetes") {
    apis.push("container");
    // A new cluster's Secrets are encrypted with the component's Cloud KMS key (gke/cluster.ts).
    if (options.gke?.clusterName === undefined) apis.push("cloudkms", "monitoring");
  }
  if (kinds.has("nfs")) apis.push("file");
  if (kinds.has("lustre")) apis.push("lustre", "servicenetworking");
  if (kinds.has("object")) apis.push("storage");
  if (vmClusterTrust(plan)) apis.push("secretmanager");
  return apis;
}

const enabled = new WeakMap<pulumi.Resource, Partial<Record<GcpApi, projects.Service>>>();

/**
 * Enable the plan's APIs for the component (once per component; nothing with `gcp.enableApis: false`). Called by the
 * compiler entry points before any other resource or lookup of the component.
 */
export function enableGcpApis(plan: Plan, options: GcpOptions | undefined, ctx: CompileContext): void {
  if (enabled.has(ctx.parent)) return;
  // A name GCP cannot use is a SpecError before anything, these Services included, is registered.
  checkComponentName(ctx.name);
  const services: Partial<Record<GcpApi, projects.Service>> = {};
  enabled.set(ctx.parent, services);
  if (!(options?.enableApis ?? GCP_DEFAULTS.enableApis)) return;
  for (const api of neededApis(plan, options)) {
    services[api] = new projects.Service(
      `${ctx.name}-api-${api}`,
      // No `project`: the provider's project, so that enabling does not itself need a project lookup.
      { service: GCP_APIS[api], disableOnDestroy: false, disableDependentServices: false },
      { parent: ctx.parent },
    );
  }
}

/** The Service resources of these APIs, for `dependsOn` (none when the user manages the APIs). */
export function apiDependencies(ctx: CompileContext, ...apis: GcpApi[]): pulumi.Resource[] {
  const services = enabled.get(ctx.parent) ?? {};
  return apis.flatMap((api) => (services[api] ? [services[api]!] : []));
}

/** `opts` with the APIs' Services added to its `dependsOn`. */
export function afterApis<T extends { parent?: pulumi.Resource }>(ctx: CompileContext, opts: T, ...apis: GcpApi[]): T & { dependsOn?: pulumi.Input<pulumi.Resource>[] } {
  const deps = apiDependencies(ctx, ...apis);
  if (deps.length === 0) return opts;
  const given = (opts as { dependsOn?: pulumi.Input<pulumi.Resource> | pulumi.Input<pulumi.Resource>[] }).dependsOn;
  const existing = given === undefined ? [] : Array.isArray(given) ? given : [given];
  return { ...opts, dependsOn: [...existing, ...deps] };
}
