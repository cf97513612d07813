/**
 * SSH trust and the hostfile on Azure VM training clusters (the shared pieces: lib/clouds/shared/cluster-ssh.ts).
 *
 * - **Where the key lives.** One Key Vault per cluster holds the cluster key as one secret, written by the stack through
 *   Azure Resource Manager (the management plane: neither the vault's firewall nor its data-plane roles apply to it, so
 *   the deployer needs no role on the vault's data; https://learn.microsoft.com/azure/key-vault/general/network-security,
 *   read 2026-11-30). The vault:
 *   - authorizes with Azure RBAC, not access policies (`enableRbacAuthorization`), and the scale set's identity gets
 *     "Key Vault Secrets User" on that one secret only (the role's data action is secrets/getSecret/action:
 *     https://learn.microsoft.com/azure/key-vault/general/rbac-guide, read 2026-11-30);
 *   - keeps deleted secrets and itself 7 days (soft delete, the minimum retention) with purge protection on, as
 *     Microsoft's security baseline asks (https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview,
 *     read 2026-11-30). A deleted vault keeps its name for those days, so the name carries a hash of the cluster key:
 *     a stack destroyed and built again has a new key and so a new vault name, and the old name never blocks it;
 *   - admits the node subnet only: firewall default Deny, no trusted-service bypass, and a virtual network rule for the
 *     node subnet, which gets the Microsoft.KeyVault service endpoint (lib/clouds/azure/network.ts). A private endpoint
 *     would also close the public endpoint, but costs an endpoint-hour and a private DNS zone for one read per boot;
 *     the service endpoint is free and keeps the traffic on Azure's backbone
 *     (https://learn.microsoft.com/azure/key-vault/general/overview-vnet-service-endpoints, read 2026-11-30).
 * - **How a node reads it.** The Microsoft HPC image ships no Azure CLI (Azure/azhpc-images @8e9d055f, 2026-07-29:
 *   distros/ubuntu22.04/install_utils.sh installs curl, jq and python3 but not azure-cli), so a small Python helper
 *   (standard library only) asks the Instance Metadata Service for a token of the scale set's user-assigned identity
 *   (https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/how-to-use-vm-token, read 2026-11-30)
 *   and calls Key Vault's Get Secret (https://learn.microsoft.com/rest/api/keyvault/secrets/get-secret/get-secret,
 *   api-version 7.4, read 2026-11-30).
 * - **Who the peers are.** The scale set's members, not predictable computer names: a repaired or scaled VM gets a new
 *   instance id. The helper reads its own scale set from the Instance Metadata Service (`compute.subscriptionId`,
 *   `resourceGroupName`, `vmScaleSetName`: https://learn.microsoft.com/azure/virtual-machines/instance-metadata-service,
 *   read 2026-11-30) and lists the set's network interfaces through Resource Manager
 *   (https://learn.microsoft.com/rest/api/virtualnetwork/network-interfaces/list-virtual-machine-scale-set-network-interfaces,
 *   api-version 2018-10-01, read 2026-11-30), with the built-in Reader role on the scale set only. The list is the set's
 *   membership: a VM stopped by hand stays listed until it is deleted (the set's spot VMs are deleted on eviction).
 */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as keyvault from "@pulumi/azure-native/keyvault";
import type * as managedidentity from "@pulumi/azure-native/managedidentity";
import { hasClusterSsh } from "../../cost/bom/azure-vm.js";
import type { Plan } from "../../planner/types.js";
import { clusterKey } from "../shared/cluster-key.js";
import { clusterSshLines, type ClusterSshSource } from "../shared/cluster-ssh.js";
import type { CompileContext } from "../types.js";
import { grantRole, KEY_VAULT_SECRETS_USER } from "./identity.js";
import { billedItem, billedOne } from "../shared/bill.js";
import type { AzurePlace } from "./network.js";

export { hasClusterSsh };

/** The secret's name in the vault (the vault is the cluster's own, so the name is fixed). */
export const CLUSTER_KEY_SECRET = "cluster-ssh-key";

/** Where the node helper is installed. */
export const AZURE_NODE_HELPER = "/usr/local/sbin/gpu-cluster-azure";

/** Endpoints the helper calls; parameters only so a test can serve them locally. */
export interface HelperEndpoints {
  /** Instance Metadata Service. */
  imds: string;
  /** Azure Resource Manager. */
  arm: string;
}

export const AZURE_ENDPOINTS: HelperEndpoints = { imds: "http://169.254.169.254", arm: "https://management.azure.com" };

/** What the helper is told at build time. */
export interface HelperConfig extends HelperEndpoints {
  /** The scale set's user-assigned identity (its client id picks it among the VM's identities). */
  clientId: string;
  /** The vault's URI, `https://<name>.vault.azure.net/`. */
  vaultUri: string;
  secretName: string;
}

/**
 * The node helper (Python 3, standard library): `key` prints the cluster key, `peers` the private IPv4 addresses of the
 * scale set's VMs, one a line. Any failure (no token yet, a role not yet in effect) exits non-zero with the reason on
 * stderr; the callers retry (the key: 30 tries; the hostfile: every minute, keeping the last good one).
 */
export function nodeHelperScript(config: HelperConfig): string[] {
  return [
    "#!/usr/bin/env python3",
    "# gpu-cluster (lib/clouds/azure/cluster-ssh.ts): what this VM asks Azure for, with the scale set's managed identity.",
    "import json",
    "import sys",
    "import urllib.parse",
    "import urllib.request",
    "",
    `CONFIG = json.loads(${JSON.stringify(JSON.stringify(config))})`,
    // Token audiences: Key Vault's and Resource Manager's (the IMDS token page above).
    'VAULT_RESOURCE = "https://vault.azure.net"',
    'ARM_RESOURCE = "https://management.azure.com/"',
    "",
    "def get(url, headers):",
    "    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=20) as response:",
    "        return json.load(response)",
    "",
    "def bearer(resource):",
    '    query = urllib.parse.urlencode({"api-version": "2018-02-01", "resource": resource, "client_id": CONFIG["clientId"]})',
    '    token = get(CONFIG["imds"] + "/metadata/identity/oauth2/token?" + query, {"Metadata": "true"})["access_token"]',
    '    return {"Authorization": "Bearer " + token}',
    "",
    "def key():",
    '    url = CONFIG["vaultUri"].rstrip("/") + "/secrets/" + CONFIG["secretName"] + "?api-version=7.4"',
    '    sys.stdout.write(get(url, bearer(VAULT_RESOURCE))["value"])',
    "",
    "def peers():",
    '    me = get(CONFIG["imds"] + "/metadata/instance/compute?api-version=2021-02-01", {"Metadata": "true"})',
    '    scale_set = "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Compute/virtualMachineScaleSets/%s" % (',
    '        me["subscriptionId"], me["resourceGroupName"], me["vmScaleSetName"])',
    '    url = CONFIG["arm"] + scale_set + "/networkInterfaces?api-version=2018-10-01"',
    "    headers = bearer(ARM_RESOURCE)",
    "    while url:",
    "        page = get(url, headers)",
    '        for nic in page.get("value", []):',
    '            for ip in nic.get("properties", {}).get("ipConfigurations", []):',
    '                address = ip.get("properties", {}).get("privateIPAddress")',
    "                if address:",
    "                    print(address)",
    '        url = page.get("nextLink")',
    "",
    'if __name__ == "__main__":',
    '    {"key": key, "peers": peers}[sys.argv[1]]()',
  ];
}

/**
 * What the nodes are told: the key's source for clusterSshLines. `adminUser` gets the key besides root. `hostPatterns`:
 * the scale set's computer names (`<computerNamePrefix>*`, resolvable in the VNet), so `ssh <name>` uses the cluster key
 * as the peers' addresses do.
 */
export function azureClusterSshSource(vaultName: string, adminUser: string, computerNamePrefix: string): ClusterSshSource & { hostPatterns: readonly string[] } {
  const source = {
    privateKeyCommand: `${AZURE_NODE_HELPER} key`,
    listPeersCommand: `${AZURE_NODE_HELPER} peers`,
    keySource: `Key Vault ${vaultName}, secret ${CLUSTER_KEY_SECRET}`,
    users: [adminUser],
    hostPatterns: [`${computerNamePrefix}*`],
  };
  return source;
}

/** Bootstrap lines: install the helper, then the shared key and hostfile lines. */
export function azureClusterSshLines(plan: Plan, config: HelperConfig, vaultName: string, adminUser: string, computerNamePrefix: string): string[] {
  return [
    `cat > ${AZURE_NODE_HELPER} <<'HELPER'`,
    ...nodeHelperScript(config),
    "HELPER",
    `chmod 700 ${AZURE_NODE_HELPER}`,
    ...clusterSshLines(azureClusterSshSource(vaultName, adminUser, computerNamePrefix), plan.nodeCount, plan.gpusPerNode),
  ];
}

/**
 * The vault's name: globally unique, 3–24 letters, digits and hyphens starting with a letter
 * (https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftkeyvault, read
 * 2026-11-30). A hash of the project, stack, component and the cluster's public key: stable for the cluster's life, new
 * with a new key (see the file's comment).
 */
export function vaultName(component: string, publicKey: string): string {
  const hash = createHash("sha256").update(`${pulumi.getProject()}/${pulumi.getStack()}/${component}/${publicKey}`).digest("hex").slice(0, 12);
  return `kv${component.toLowerCase().replace(/[^a-z0-9]/g, "").slice(0, 10)}${hash}`;
}

/** What the cluster's SSH trust built. */
export interface ClusterKeyVault {
  vault: keyvault.Vault;
  secret: keyvault.Secret;
  /** The identity's read of the one secret: the nodes wait for it. */
  reader: authorization.RoleAssignment;
  vaultName: pulumi.Output<string>;
  vaultUri: pulumi.Output<string>;
}

/** The cluster key in its own Key Vault, readable by the scale set's identity only, from the node subnet only. */
export function clusterKeyVault(ctx: CompileContext, place: AzurePlace, nodeSubnetId: pulumi.Input<string>, identity: managedidentity.UserAssignedIdentity, tags: Record<string, string>): ClusterKeyVault {
  // The one secret the bill prices (Key Vault Standard bills its operations: each node's read at boot).
  billedOne(billedItem(ctx.bill, "secret", "the cluster's SSH key in Key Vault"), "cluster SSH key");
  const key = clusterKey(ctx);
  const opts = { parent: ctx.parent };
  const tenantId = authorization.getClientConfigOutput(opts).tenantId;
  // The tls provider's id of a key is a hash of its public half (hashicorp/terraform-provider-tls, the private key
  // resource's create: SetId(hashForState(<PKIX public key>)), read 2026-11-30): new with every new key.
  const name = key.resource.id.apply((keyId) => vaultName(ctx.name, keyId));
  const vault = new keyvault.Vault(
    `${ctx.name}-vault`,
    {
      resourceGroupName: place.resourceGroupName,
      location: place.location,
      vaultName: name,
      properties: {
        tenantId,
        sku: { family: "A", name: "standard" },
        enableRbacAuthorization: true,
        enableSoftDelete: true,
        softDeleteRetentionInDays: 7,
        enablePurgeProtection: true,
        enabledForDeployment: false,
        enabledForDiskEncryption: false,
        enabledForTemplateDeployment: false,
        publicNetworkAccess: "Enabled",
        networkAcls: { defaultAction: "Deny", bypass: "None", ipRules: [], virtualNetworkRules: [{ id: nodeSubnetId }] },
      },
      tags,
    },
    opts,
  );
  const secret = new keyvault.Secret(
    `${ctx.name}-ssh-key-secret`,
    {
      resourceGroupName: place.resourceGroupName,
      vaultName: name,
      secretName: CLUSTER_KEY_SECRET,
      properties: { value: key.privateKeyOpenssh, contentType: "application/x-openssh-private-key" },
      tags,
    },
    { ...opts, dependsOn: [vault], additionalSecretOutputs: ["properties"] },
  );
  const reader = grantRole(ctx, `${ctx.name}-ssh-key-reader`, identity, KEY_VAULT_SECRETS_USER, place, pulumi.interpolate`${vault.id}/secrets/${CLUSTER_KEY_SECRET}`, [secret]);
  // Key Vault answers with its URI; the public cloud's form stands in where it is not known yet (an offline preview).
  const vaultUri = pulumi.all([name, vault.properties]).apply(([n, p]) => p?.vaultUri ?? `https://${n}.vault.azure.net/`);
  return { vault, secret, reader, vaultName: name, vaultUri };
}
