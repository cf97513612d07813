/**
 * The pure half of ./reservation-access.ts (no Pulumi import, so the option checks can read it): where a capacity
 * reservation group's grant goes, and the note that names it.
 */

/** The subscription and resource-group scope of a capacity reservation group id (checked by checkAzureOptions). */
export function reservationGroupScope(reservationGroupId: string): { subscriptionId: string; resourceGroupScope: string } {
  const match = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\//i.exec(reservationGroupId);
  if (!match) throw new Error(`'${reservationGroupId}' is not a capacity reservation group id (checkAzureOptions should have refused it)`);
  return { subscriptionId: match[1]!, resourceGroupScope: `/subscriptions/${match[1]}/resourceGroups/${match[2]}` };
}

/** The note for a pool in a reservation group: the grant (made here, or the user's on an existing cluster) and its delay. */
export function reservationAccessNote(reservationGroupId: string, existingCluster: boolean): string {
  const { resourceGroupScope } = reservationGroupScope(reservationGroupId);
  return existingCluster
    ? `AKS capacity reservation: the existing cluster's user-assigned identity needs Contributor on ${resourceGroupScope} (AKS's prerequisite; a system-assigned identity cannot use the reservation)`
    : `AKS capacity reservation: the cluster's identity is granted Contributor on ${resourceGroupScope}, AKS's prerequisite; the grant can take up to 60 minutes to take effect, so if the GPU pool's creation is refused for it, rerun \`pulumi up\` later (a pool created without the reservation is replaced with \`pulumi up --replace <the pool's URN>\`)`;
}
