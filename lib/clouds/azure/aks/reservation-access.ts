/**
 * An AKS GPU pool in a capacity reservation group: AKS deploys the pool's VMs into the group as the cluster's
 * user-assigned identity, which must hold Contributor on the resource group that holds the group; a system-assigned
 * identity cannot (https://learn.microsoft.com/azure/aks/use-capacity-reservation-groups, "Prerequisites", read
 * 2026-12-01). The page does not say what AKS does without the grant; the pool is then not in the reservation it was
 * meant to use, while the reservation is billed anyway. The document names Contributor on that resource group, so the
 * grant is exactly that: a narrower role could pass review and still fail there. Role assignments can take up to 60
 * minutes to take effect (same page), which the plan note says.
 */
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import type { UserAssignedIdentity } from "@pulumi/azure-native/managedidentity";
import type { CompileContext } from "../../types.js";
import { reservationGroupScope } from "./reservation-scope.js";

/** Built-in role "Contributor" (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles). */
export const CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c";

/** Contributor on the reservation group's resource group for the cluster's identity; the GPU pool waits for it. */
export function reservationAccess(reservationGroupId: string, identity: UserAssignedIdentity, ctx: CompileContext): authorization.RoleAssignment {
  const { subscriptionId, resourceGroupScope } = reservationGroupScope(reservationGroupId);
  return new authorization.RoleAssignment(
    `${ctx.name}-aks-reservation`,
    {
      principalId: identity.principalId,
      principalType: "ServicePrincipal",
      roleDefinitionId: pulumi.interpolate`/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${CONTRIBUTOR}`,
      scope: resourceGroupScope,
    },
    { parent: ctx.parent },
  );
}
