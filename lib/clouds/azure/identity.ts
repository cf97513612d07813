/**
 * The nodes' identity: one user-assigned managed identity with no role at all,
 * except data access to the cluster's own storage account when there is one.
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

/** Blob data access for the identity, scoped to one storage account. */
export function grantBlobAccess(
  ctx: CompileContext,
  place: AzurePlace,
  identity: managedidentity.UserAssignedIdentity,
  storageAccountId: pulumi.Output<string>,
  storageName: string,
): authorization.RoleAssignment {
  return new authorization.RoleAssignment(
    `${ctx.name}-blob-access-${storageName}`,
    {
      principalId: identity.principalId,
      principalType: "ServicePrincipal",
      roleDefinitionId: pulumi.interpolate`/subscriptions/${place.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${STORAGE_BLOB_DATA_CONTRIBUTOR}`,
      scope: storageAccountId,
    },
    { parent: ctx.parent },
  );
}
