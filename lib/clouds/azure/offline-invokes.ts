/**
 * Simulated answers of the azure data sources the compiler calls, for the
 * offline preview (there is no cloud to ask). Keyed by invoke token.
 */
import type { OfflineInvokes, OfflineOutputs } from "../../preview/invokes.js";

/** The subscription the offline preview pretends to deploy into. */
export const OFFLINE_SUBSCRIPTION_ID = "00000000-0000-0000-0000-000000000000";

/** The user kubeconfig an AKS cluster returns (exec format: Entra ID through kubelogin), base64 as AKS sends it. */
function offlineAksKubeconfig(inputs: Record<string, any>, region: string): string {
  const name = String(inputs.resourceName ?? "aks");
  const server = `https://${name}.privatelink.${region}.azmk8s.io:443`;
  const config = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: { server, "certificate-authority-data": "b2ZmbGluZQ==" } }],
    contexts: [{ name, context: { cluster: name, user: `clusterUser_${inputs.resourceGroupName}_${name}` } }],
    "current-context": name,
    users: [
      {
        name: `clusterUser_${inputs.resourceGroupName}_${name}`,
        user: { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "kubelogin", args: ["get-token", "--login", "azurecli", "--server-id", "6dae42f8-4368-4678-94ff-3960e28e3630"] } },
      },
    ],
  };
  return Buffer.from(JSON.stringify(config), "utf8").toString("base64");
}

export const azureOfflineInvokes: OfflineInvokes = {
  // Offline there is no subscription to read: the features are taken as Registered, and the plan's note lists the
  // one-time `az feature register` commands that a real preview checks for (features.ts).
  "azure-native:features:getSubscriptionFeatureRegistration": (inputs) => ({
    id: `/subscriptions/${OFFLINE_SUBSCRIPTION_ID}/providers/Microsoft.Features/featureProviders/${inputs.providerNamespace}/subscriptionFeatureRegistrations/${inputs.featureName}`,
    name: inputs.featureName,
    properties: { state: "Registered" },
  }),
  "azure-native:containerservice:listManagedClusterUserCredentials": (inputs, region) => ({
    kubeconfigs: [{ name: "clusterUser", value: offlineAksKubeconfig(inputs, region) }],
  }),
  "azure-native:authorization:getClientConfig": () => ({
    clientId: "00000000-0000-0000-0000-000000000001",
    objectId: "00000000-0000-0000-0000-000000000002",
    subscriptionId: OFFLINE_SUBSCRIPTION_ID,
    tenantId: "00000000-0000-0000-0000-000000000003",
  }),
};

/**
 * Provider-computed outputs offline: a public address from the documentation range (RFC 5737); a managed identity's
 * ids; a Managed Lustre file system's MGS address (also RFC 5737), so its mounts and static volumes read as they will.
 */
export const azureOfflineOutputs: OfflineOutputs = {
  "azure-native:network:PublicIPAddress": () => ({ ipAddress: "198.51.100.20" }),
  "azure-native:managedidentity:UserAssignedIdentity": () => ({ clientId: "00000000-0000-0000-0000-0000000000c1", principalId: "00000000-0000-0000-0000-0000000000a1" }),
  "azure-native:storagecache:AmlFilesystem": () => ({ clientInfo: { mgsAddress: "192.0.2.4" } }),
};
