/**
 * Simulated answers of the azure data sources the compiler calls, for the
 * offline preview (there is no cloud to ask). Keyed by invoke token.
 */
import type { OfflineInvokes } from "../../preview/invokes.js";

/** The subscription the offline preview pretends to deploy into. */
export const OFFLINE_SUBSCRIPTION_ID = "00000000-0000-0000-0000-000000000000";

export const azureOfflineInvokes: OfflineInvokes = {
  "azure-native:authorization:getClientConfig": () => ({
    clientId: "00000000-0000-0000-0000-000000000001",
    objectId: "00000000-0000-0000-0000-000000000002",
    subscriptionId: OFFLINE_SUBSCRIPTION_ID,
    tenantId: "00000000-0000-0000-0000-000000000003",
  }),
};
