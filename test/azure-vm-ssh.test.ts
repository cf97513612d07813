/**
 * SSH trust and the hostfile on Azure VM training clusters (lib/clouds/azure/cluster-ssh.ts, issue 17): the Key Vault
 * that holds the cluster key and who may read it, the node helper run for real against a local stand-in for the
 * Instance Metadata Service, Key Vault and Resource Manager, and the bootstrap's bash.
 * Sources (read 2026-11-30):
 * - https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/security#key-vault-secrets-user and
 *   .../general#reader (the role ids);
 * - https://learn.microsoft.com/azure/key-vault/general/network-security (firewall: default Deny, virtual network rules,
 *   bypass None) and .../soft-delete-overview (7 to 90 days' retention, purge protection);
 * - https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/how-to-use-vm-token (the IMDS token
 *   request: api-version 2018-02-01, resource, client_id, header Metadata: true);
 * - https://learn.microsoft.com/rest/api/keyvault/secrets/get-secret/get-secret (GET {vault}/secrets/{name}?api-version=7.4 → value);
 * - https://learn.microsoft.com/rest/api/virtualnetwork/network-interfaces/list-virtual-machine-scale-set-network-interfaces
 *   (GET .../virtualMachineScaleSets/{name}/networkInterfaces?api-version=2018-10-01, paged by nextLink).
 */
import { execFile, execFileSync } from "node:child_process";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { AZURE_NODE_HELPER, azureClusterSshSource, CLUSTER_KEY_SECRET, nodeHelperScript, vaultName } from "../lib/clouds/azure/cluster-ssh.js";
import { computerNamePrefix } from "../lib/clouds/azure/names.js";
import { KEY_VAULT_SECRETS_USER, READER } from "../lib/clouds/azure/identity.js";
import { azurePlanNotes } from "../lib/clouds/azure/options.js";
import { byName, ofType, one, runRecording } from "./helpers/offline.js";

const SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGpuY2x1c3RlcnRlc3RrZXlub3RyZWFsMDAwMDAwMDA0 ops@example";
const A = {
  vault: "azure-native:keyvault:Vault",
  secret: "azure-native:keyvault:Secret",
  role: "azure-native:authorization:RoleAssignment",
  vmss: "azure-native:compute:VirtualMachineScaleSet",
  subnet: "azure-native:network:Subnet",
  key: "tls:index/privateKey:PrivateKey",
};

function cluster(name: string, nodes: number, azure: Record<string, unknown> = {}) {
  return () => new gpu.TrainingCluster(name, { cloud: "azure", region: "eastus", gpu: { model: "H100", nodes }, azure: { sshPublicKey: SSH_KEY, ...azure } } as gpu.TrainingClusterArgs);
}

function customData(vmss: { inputs: any }): string {
  return Buffer.from(vmss.inputs.virtualMachineProfile.osProfile.customData, "base64").toString("utf8");
}

describe("Azure VM training: the cluster key in Key Vault", () => {
  it("one vault: RBAC, soft delete 7 days with purge protection, firewall Deny except the node subnet; the key as its one secret", async () => {
    const { result, registrations } = await runRecording(cluster("azt", 4));
    const vault = one(result, A.vault);
    expect(vault.name).toBe("azt-vault");
    expect(vault.inputs.vaultName).toMatch(/^kvazt[0-9a-f]{12}$/);
    expect(vault.inputs.properties).toMatchObject({
      sku: { family: "A", name: "standard" },
      enableRbacAuthorization: true,
      enableSoftDelete: true,
      softDeleteRetentionInDays: 7,
      enablePurgeProtection: true,
      enabledForDeployment: false,
      enabledForTemplateDeployment: false,
      networkAcls: { defaultAction: "Deny", bypass: "None", ipRules: [], virtualNetworkRules: [{ id: "azt-nodes-id" }] },
    });
    expect(vault.inputs.properties.accessPolicies).toBeUndefined();
    // The node subnet reaches the vault through its service endpoint.
    expect(byName(result, A.subnet, "azt-nodes").inputs.serviceEndpoints).toEqual([{ service: "Microsoft.KeyVault" }]);

    const secret = one(result, A.secret);
    expect(secret.inputs).toMatchObject({ vaultName: vault.inputs.vaultName, secretName: CLUSTER_KEY_SECRET, properties: { contentType: "application/x-openssh-private-key" } });
    // Its value is the cluster key's private half: the secret waits on the tls key.
    const key = one(result, A.key);
    expect(key.inputs).toMatchObject({ algorithm: "ED25519" });
    expect(registrations.get("azt-ssh-key-secret")!.dependencies.some((urn) => urn.endsWith("tls:index/privateKey:PrivateKey::azt-ssh-key"))).toBe(true);
  });

  it("the vault's name is stable for a key and new with a new key (a deleted vault keeps its name 7 days)", () => {
    expect(vaultName("pretrain", "ssh-ed25519 AAAA1")).toBe(vaultName("pretrain", "ssh-ed25519 AAAA1"));
    expect(vaultName("pretrain", "ssh-ed25519 AAAA1")).not.toBe(vaultName("pretrain", "ssh-ed25519 AAAA2"));
    const long = vaultName("My-Very-Long-Cluster-Name-2026", "k");
    expect(long).toMatch(/^kvmyverylong[0-9a-f]{12}$/);
    expect(long.length).toBeLessThanOrEqual(24);
  });

  it("the nodes' identity may read that one secret and list its own scale set, nothing more; the nodes wait for the read", async () => {
    const { result, registrations } = await runRecording(cluster("azt", 4));
    const roles = ofType(result, A.role);
    const reader = byName(result, A.role, "azt-ssh-key-reader");
    expect(reader.inputs).toMatchObject({
      principalId: "00000000-0000-0000-0000-0000000000a1",
      principalType: "ServicePrincipal",
      roleDefinitionId: `/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/${KEY_VAULT_SECRETS_USER}`,
      scope: `azt-vault-id/secrets/${CLUSTER_KEY_SECRET}`,
    });
    const peers = byName(result, A.role, "azt-peers-reader");
    expect(peers.inputs).toMatchObject({ roleDefinitionId: expect.stringMatching(new RegExp(`/roleDefinitions/${READER}$`)), scope: "azt-nodes-id" });
    // No storage in this spec: these two, and publishing GPU metrics on its scale set (test/azure-vm-gpu-metrics.test.ts), are every role the identity holds.
    expect(roles.map((r) => r.name).sort()).toEqual(["azt-gpu-metrics-publisher", "azt-peers-reader", "azt-ssh-key-reader"]);
    expect(registrations.get("azt-nodes")!.dependencies.some((urn) => urn.endsWith("RoleAssignment::azt-ssh-key-reader"))).toBe(true);
  });

  it("a single node gets the key, vault, roles and Key Vault endpoint too, so a scale set grown later trusts itself on instance 0", async () => {
    const { result } = await runRecording(cluster("solo", 1));
    expect(ofType(result, A.vault)).toHaveLength(1);
    expect(ofType(result, A.secret)).toHaveLength(1);
    expect(ofType(result, A.key)).toHaveLength(1);
    // The key's read and the scale set's read (and the GPU metrics' publisher role).
    expect(ofType(result, A.role).map((r) => r.name).sort()).toEqual(["solo-gpu-metrics-publisher", "solo-peers-reader", "solo-ssh-key-reader"]);
    expect(byName(result, A.subnet, "solo-nodes").inputs.serviceEndpoints).toEqual([{ service: "Microsoft.KeyVault" }]);
    expect(customData(one(result, A.vmss))).toContain(AZURE_NODE_HELPER);
  });
});

describe("Azure VM training: the bootstrap", () => {
  it("installs the helper with the identity's client id and the vault, then trusts the key for root and the admin user, and is valid bash", async () => {
    const { result } = await runRecording(cluster("azt", 4, { adminUsername: "hpcadmin" }));
    const script = customData(one(result, A.vmss));
    const vault = one(result, A.vault).inputs.vaultName as string;
    expect(script).toContain(`cat > ${AZURE_NODE_HELPER} <<'HELPER'`);
    expect(script).toContain('\\"clientId\\":\\"00000000-0000-0000-0000-0000000000c1\\"');
    expect(script).toContain(`\\"vaultUri\\":\\"https://${vault}.vault.azure.net/\\"`);
    expect(script).toContain(`{ ${AZURE_NODE_HELPER} key ; } > /etc/gpu-cluster/ssh/id_ed25519.tmp`);
    expect(script).toContain(`peers=$( { ${AZURE_NODE_HELPER} peers ; }`);
    expect(script).toContain("for user in root hpcadmin; do");
    // 8 GPUs per ND H100 v5 node.
    expect(script).toContain("printf '%s slots=8\\n' $peers");
    expect(script).toContain(`cluster SSH key not readable from Key Vault ${vault}, secret ${CLUSTER_KEY_SECRET}`);
    // The key lines come after the health check is installed, so a node without the key is reported and repaired.
    expect(script.indexOf("gpu-cluster-health")).toBeLessThan(script.indexOf(AZURE_NODE_HELPER));
    const dir = mkdtempSync(join(tmpdir(), "azvm-"));
    writeFileSync(join(dir, "custom-data.sh"), script);
    execFileSync("bash", ["-n", join(dir, "custom-data.sh")]);
    // The helper as the heredoc writes it compiles.
    const helper = script.slice(script.indexOf("<<'HELPER'\n") + 11, script.indexOf("\nHELPER\n"));
    writeFileSync(join(dir, "helper.py"), helper + "\n");
    execFileSync("python3", ["-m", "py_compile", join(dir, "helper.py")]);
  });
});

/** A stand-in for IMDS, Key Vault and Resource Manager on one local port, recording what it was asked. */
async function azureStandIn(): Promise<{ base: string; asked: string[]; close: () => void }> {
  const asked: string[] = [];
  const scaleSet = "/subscriptions/sub-1/resourceGroups/rg-azt/providers/Microsoft.Compute/virtualMachineScaleSets/azt-nodes-abc";
  const nic = (ip: string) => ({ properties: { ipConfigurations: [{ properties: { privateIPAddress: ip, primary: true } }] } });
  const server = createServer((req: IncomingMessage, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    asked.push(`${req.headers["metadata"] ?? "-"} ${req.headers["authorization"] ?? "-"} ${url.pathname}${url.search}`);
    const send = (body: unknown, status = 200) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === "/metadata/identity/oauth2/token") return send({ access_token: `token-for-${url.searchParams.get("resource")}` });
    if (url.pathname === "/metadata/instance/compute") return send({ subscriptionId: "sub-1", resourceGroupName: "rg-azt", vmScaleSetName: "azt-nodes-abc" });
    if (url.pathname === `/vault/secrets/${CLUSTER_KEY_SECRET}`) return send({ value: "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n" });
    if (url.pathname === `${scaleSet}/networkInterfaces` && url.searchParams.get("page") === "2") return send({ value: [nic("10.0.0.9")] });
    if (url.pathname === `${scaleSet}/networkInterfaces`) {
      const port = (server.address() as AddressInfo).port;
      return send({ value: [nic("10.0.0.4"), nic("10.0.0.5")], nextLink: `http://127.0.0.1:${port}${scaleSet}/networkInterfaces?api-version=2018-10-01&page=2` });
    }
    send({ error: "not found" }, 404);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", () => done()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, asked, close: () => server.close() };
}

function runHelper(path: string, command: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile("python3", [path, command], { timeout: 20_000 }, (error, stdout, stderr) => done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

describe("the node helper, run against a local stand-in", () => {
  it("key: an IMDS token for Key Vault with the identity's client id, then Get Secret 7.4; peers: its scale set's NIC addresses, every page", async () => {
    const stand = await azureStandIn();
    try {
      const dir = mkdtempSync(join(tmpdir(), "azhelper-"));
      const path = join(dir, "gpu-cluster-azure");
      const config = { imds: stand.base, arm: stand.base, clientId: "client-1", vaultUri: `${stand.base}/vault/`, secretName: CLUSTER_KEY_SECRET };
      writeFileSync(path, nodeHelperScript(config).join("\n") + "\n");

      const key = await runHelper(path, "key");
      expect(key.stderr).toBe("");
      expect(key.stdout).toBe("-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n");
      expect(stand.asked.slice(0, 2)).toEqual([
        "true - /metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net&client_id=client-1",
        `- Bearer token-for-https://vault.azure.net /vault/secrets/${CLUSTER_KEY_SECRET}?api-version=7.4`,
      ]);

      const peers = await runHelper(path, "peers");
      expect(peers.stdout).toBe("10.0.0.4\n10.0.0.5\n10.0.0.9\n");
      const scaleSet = "/subscriptions/sub-1/resourceGroups/rg-azt/providers/Microsoft.Compute/virtualMachineScaleSets/azt-nodes-abc";
      expect(stand.asked.slice(2)).toEqual([
        "true - /metadata/instance/compute?api-version=2021-02-01",
        "true - /metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fmanagement.azure.com%2F&client_id=client-1",
        `- Bearer token-for-https://management.azure.com/ ${scaleSet}/networkInterfaces?api-version=2018-10-01`,
        `- Bearer token-for-https://management.azure.com/ ${scaleSet}/networkInterfaces?api-version=2018-10-01&page=2`,
      ]);
    } finally {
      stand.close();
    }
  });

  it("fails non-zero with nothing on stdout when Azure refuses (a role not yet in effect), so the callers retry", async () => {
    const stand = await azureStandIn();
    try {
      const dir = mkdtempSync(join(tmpdir(), "azhelper-"));
      const path = join(dir, "gpu-cluster-azure");
      writeFileSync(path, nodeHelperScript({ imds: stand.base, arm: stand.base, clientId: "c", vaultUri: `${stand.base}/elsewhere/`, secretName: CLUSTER_KEY_SECRET }).join("\n") + "\n");
      const key = await runHelper(path, "key");
      expect(key.code).not.toBe(0);
      expect(key.stdout).toBe("");
      expect(key.stderr).toContain("HTTP Error 404");
    } finally {
      stand.close();
    }
  });
});

describe("the bill", () => {
  it("prices the key's Key Vault reads: 16 nodes read once at boot, 16 / 10,000 × $0.03 (Standard secret operations), under a cent", () => {
    const estimate = gpu.estimateCost({ cloud: "azure", region: "eastus", gpu: { model: "H100", nodes: 16 } }, { sshPublicKey: SSH_KEY });
    const secret = estimate.lines.filter((l) => l.description.startsWith("Key Vault secret"));
    expect(secret).toHaveLength(1);
    expect(secret[0]).toMatchObject({
      category: "cluster",
      description: "Key Vault secret (1): the cluster's SSH key; 16 reads a month (one per node boot)",
      quantity: 0.0016,
      unit: "10K operations",
      unitPriceUsd: 0.03,
      monthlyUsd: 0,
      asOf: "2024-07-01",
    });
    expect(secret[0]!.source).toContain("key_vault_key_test.golden");
    expect(estimate.billOfMaterials).toContainEqual({ kind: "secret", count: 1, what: "the cluster's SSH key" });
  });

  it("a single node keeps its secret (1 read a month, under a cent); a fleet or an AKS cluster keeps none", () => {
    const one = gpu.estimateCost({ cloud: "azure", region: "eastus", gpu: { model: "H100", nodes: 1 } }, { sshPublicKey: SSH_KEY });
    expect(one.lines.filter((l) => l.description.startsWith("Key Vault")).map((l) => l.quantity)).toEqual([1 / 10_000]);
    const aks = gpu.estimateCost({ cloud: "azure", region: "eastus", orchestrator: "kubernetes", gpu: { model: "H100", nodes: 2 } } as never);
    expect(aks.billOfMaterials.some((i) => i.kind === "secret")).toBe(false);
  });
});

describe("the plan's note", () => {
  it("without a NAT gateway the hostfile cannot be listed from Resource Manager (on the internet), and the plan says so; with one it says when it appears", () => {
    const note = (natGateway: boolean) =>
      azurePlanNotes(gpu.planCluster({ cloud: "azure", region: "eastus", gpu: { model: "H100", nodes: 2 }, egress: { natGateway } }), { sshPublicKey: SSH_KEY }).filter((n) => n.startsWith("hostfile:"));
    expect(note(false)).toEqual([
      "hostfile: the nodes list their scale set's members from Azure Resource Manager (management.azure.com, on the internet), which a node subnet without a NAT gateway cannot reach, so /etc/gpu-cluster/hostfile stays empty; the cluster SSH key still arrives (Key Vault, through the subnet's service endpoint). Keep the NAT gateway, or write the hostfile yourself from `az vmss nic list -g <resource group> --vmss-name <scale set>`",
    ]);
    // The read role is on the scale set, granted once it exists (training.ts): the hostfile follows `up` (finding 5).
    expect(note(true)).toEqual([
      "hostfile: /etc/gpu-cluster/hostfile appears on the nodes within minutes after `up` completes (their read of the scale set's members is granted once the scale set exists, and refreshed every minute)",
    ]);
  });
});

/**
 * `ssh <computer name>` uses the cluster key too (Azure review finding 6; the shared contract's `hostPatterns`): the scale
 * set's VMs are `<computerNamePrefix>` + a base-36 instance id, resolvable in the VNet
 * (https://learn.microsoft.com/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-instance-ids, read 2026-11-30).
 */
describe("the ssh host patterns", () => {
  it("are the scale set's computer names, <computerNamePrefix>*", () => {
    expect(azureClusterSshSource("kvpretrain0123456789ab", "azureuser", computerNamePrefix("pretrain")).hostPatterns).toEqual([`${computerNamePrefix("pretrain")}*`]);
    expect(azureClusterSshSource("kv", "ops", "nd").hostPatterns).toEqual(["nd*"]);
  });
});
