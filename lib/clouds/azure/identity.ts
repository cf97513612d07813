/**
 * The nodes' identity: one user-assigned managed identity with no role at all, except data access to the cluster's own
 * storage account when there is one, and on VM training clusters of 2 or more nodes: reading the one Key Vault secret
 * that holds the cluster's SSH key, and reading its own scale set (the peers' addresses for the hostfile); and, with GPU
 * metrics on (lib/clouds/azure/gpu-metrics.ts), publishing metrics against its own scale set.
 */
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import type { CompileContext } from "../types.js";
import type { AzurePlace } from "./network.js";

/** Built-in role "Storage Blob Data Contributor" (read, write, delete blobs; no account management). */
export const STORAGE_BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";

export function nodeIdentity(ctx: CompileContext, place: AzurePlace, tags: Record<string, string>): managedidentity.UserAssignedIdentity {
  return new managedidentity.UserAssignedIdentity(
    `${ctx.name}-identity`,
    { resourceGroupName: place.resourceGroupName, location: place.location, tags },
    { parent: ctx.parent },
  );
}

/**
 * Built-in role "Key Vault Secrets User": read secret contents (data action Microsoft.KeyVault/vaults/secrets/getSecret/action)
 * and nothing else (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/security#key-vault-secrets-user,
 * read 2026-11-30).
 */
export const KEY_VAULT_SECRETS_USER = "4633458b-17de-408a-b874-0445c86b69e6";

/**
 * Built-in role "Reader": `*\/read` on the scope, no data actions
 * (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/general#reader, read 2026-11-30).
 */
export const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";

/**
 * Built-in role "Monitoring Metrics Publisher": data actions Microsoft.Insights/Metrics/Write and Telemetry/Write on the
 * scope; its actions are Microsoft.Insights/Register/Action, Microsoft.Support/* and resourceGroups/read, nothing that
 * reads or changes a resource (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/monitor#monitoring-metrics-publisher,
 * read 2026-11-30; the role custom metrics need: https://learn.microsoft.com/azure/azure-monitor/essentials/metrics-store-custom-rest-api).
 * A custom role with Metrics/Write alone would be narrower, but creating it needs the deployer to write role definitions
 * (Microsoft.Authorization/roleDefinitions/write) above the component; this built-in role, scoped to the scale set, is
 * the one the docs name.
 */
export const MONITORING_METRICS_PUBLISHER = "3913510d-42f4-4e42-8a64-420c390055eb";

/** One built-in role for the identity on one scope. `dependsOn`: what must exist before (the scope, when it is a child). */
export function grantRole(
  ctx: CompileContext,
  name: string,
  identity: managedidentity.UserAssignedIdentity,
  roleId: string,
  place: AzurePlace,
  scope: pulumi.Input<string>,
  dependsOn: pulumi.Resource[] = [],
): authorization.RoleAssignment {
  return new authorization.RoleAssignment(
    name,
    {
      principalId: identity.principalId,
      principalType: "ServicePrincipal",
      roleDefinitionId: pulumi.interpolate`/subscriptions/${place.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${roleId}`,
      scope,
    },
    { parent: ctx.parent, ...(dependsOn.length > 0 ? { dependsOn } : {}) },
  );
}

/** Blob data access for the identity, scoped to one storage account. */
export function grantBlobAccess(
  ctx: CompileContext,
  place: AzurePlace,
  identity: managedidentity.UserAssignedIdentity,
  storageAccountId: pulumi.Output<string>,
  storageName: string,
): authorization.RoleAssignment {
  return grantRole(ctx, `${ctx.name}-blob-access-${storageName}`, identity, STORAGE_BLOB_DATA_CONTRIBUTOR, place, storageAccountId);
}

/**
 * The nodes' GPU metrics (lib/clouds/azure/gpu-metrics.ts): Telegraf on a scale-set VM writes them against the scale
 * set, so the identity may publish metrics there and nowhere else (not the resource group: it holds more than this
 * component). A role on the scale set can only be granted once the scale set exists: until then the nodes' writes are
 * refused and Telegraf retries, so the metrics start within minutes after `up` (the plan says so).
 */
export function grantMetricsPublisher(
  ctx: CompileContext,
  place: AzurePlace,
  identity: managedidentity.UserAssignedIdentity,
  scaleSetId: pulumi.Input<string>,
): authorization.RoleAssignment {
  return grantRole(ctx, `${ctx.name}-gpu-metrics-publisher`, identity, MONITORING_METRICS_PUBLISHER, place, scaleSetId);
}
