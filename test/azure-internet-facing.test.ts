/**
 * Internet-facing Azure fleets (VM scale sets and AKS): HTTPS from an Application Gateway Standard_v2 in front of the
 * fleet's internal Standard Load Balancer (lib/clouds/azure/app-gateway.ts). Sources, read 2026-11-30:
 * - https://learn.microsoft.com/azure/application-gateway/configuration-infrastructure (a dedicated subnet, /24
 *   recommended for v2; NSG: GatewayManager 65200-65535 and AzureLoadBalancer admitted, outbound open);
 * - https://learn.microsoft.com/azure/application-gateway/key-vault-certs (v2 only; a user-assigned identity that can
 *   get the secret; a versionless secret id rotates every four hours);
 * - https://learn.microsoft.com/azure/application-gateway/application-gateway-ssl-policy-overview (2022 predefined policies);
 * - the prices: infracost's golden for azurerm_application_gateway at 19dd6cf5 (2026-03-30, Azure Retail Prices API,
 *   eastus): Standard v2 fixed $146.00 for 730 h, capacity units $11.68 for 1,460 CU-hours.
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { estimateCost } from "gpu-cluster";
import { KEY_VAULT_SECRETS_USER } from "../lib/clouds/azure/identity.js";
import { vaultSubscriptionProblem } from "../lib/clouds/azure/app-gateway-options.js";
import { one, ofType, privateEndpoint, run } from "./helpers/offline.js";
import { OFFLINE_SUBSCRIPTION_ID } from "../lib/clouds/azure/offline-invokes.js";

const A = {
  gateway: "azure-native:network:ApplicationGateway",
  pip: "azure-native:network:PublicIPAddress",
  nsg: "azure-native:network:NetworkSecurityGroup",
  subnet: "azure-native:network:Subnet",
  role: "azure-native:authorization:RoleAssignment",
  identity: "azure-native:managedidentity:UserAssignedIdentity",
  service: "kubernetes:core/v1:Service",
};

const SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGpuY2x1c3RlcnRlc3RrZXlub3RyZWFsMDAwMDAwMDA0 ops@example";
const SECRET = "https://fleet-vault.vault.azure.net/secrets/fleet-cert";
const VAULT = `/subscriptions/${OFFLINE_SUBSCRIPTION_ID}/resourceGroups/certs/providers/Microsoft.KeyVault/vaults/fleet-vault`;
const CLIENTS = ["203.0.113.0/24", "198.51.100.0/25"];
const TLS = { tlsCertificateSecretId: SECRET, tlsKeyVaultId: VAULT };
const GATEWAY_SUBNET = "/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/shared-rg/providers/Microsoft.Network/virtualNetworks/shared/subnets/appgw";

const vmSpec = (azure: Record<string, unknown> = { ...TLS, allowedSourceRanges: CLIENTS }, extra: Record<string, unknown> = {}) => ({
  cloud: "azure" as const,
  region: "eastus",
  gpu: { instanceType: "Standard_NC24ads_A100_v4" },
  replicas: { min: 1, max: 3 },
  loadBalancer: "internet-facing" as const,
  azure: { sshPublicKey: SSH_KEY, ...azure },
  ...extra,
});
const vmFleet = (name: string, azure?: Record<string, unknown>) => () => new gpu.InferenceFleet(name, vmSpec(azure) as gpu.InferenceFleetArgs);

const aksSpec = (azure: Record<string, unknown> = { ...TLS, aks: { loadBalancerSourceRanges: CLIENTS } }, extra: Record<string, unknown> = {}) =>
  privateEndpoint({
    cloud: "azure" as const,
    region: "eastus",
    orchestrator: "kubernetes" as const,
    gpu: { instanceType: "Standard_NC40ads_H100_v5" },
    replicas: { min: 1, max: 3 },
    loadBalancer: "internet-facing" as const,
    azure,
    ...extra,
  });
const aksFleet = (name: string, azure?: Record<string, unknown>) => () => new gpu.InferenceFleet(name, aksSpec(azure) as gpu.InferenceFleetArgs);

type Rule = { name: string; priority: number; access: string; protocol: string; sourceAddressPrefix?: string; sourceAddressPrefixes?: string[]; destinationAddressPrefix?: string; destinationPortRange?: string };

describe("internet-facing Azure VM fleet: an Application Gateway in front of the internal load balancer", () => {
  it("terminates HTTPS on 443 with the Key Vault certificate, TLS policy AppGwSslPolicy20220101, Standard_v2 autoscaled 0-10", async () => {
    const r = await run(vmFleet("web"));
    expect(r.error).toBeUndefined();
    const gw = one(r, A.gateway).inputs;
    expect(gw.sku).toEqual({ name: "Standard_v2", tier: "Standard_v2" });
    expect(gw.autoscaleConfiguration).toEqual({ minCapacity: 0, maxCapacity: 10 });
    expect(gw.zones).toEqual(["1", "2", "3"]);
    expect(gw.frontendPorts).toEqual([{ name: "https", port: 443 }]);
    expect(gw.httpListeners).toHaveLength(1);
    expect(gw.httpListeners[0]).toMatchObject({ name: "https", protocol: "Https" });
    expect(gw.httpListeners[0].sslCertificate.id).toMatch(/\/applicationGateways\/web-appgw\/sslCertificates\/listener$/);
    expect(gw.sslCertificates).toEqual([{ name: "listener", keyVaultSecretId: SECRET }]);
    expect(gw.sslPolicy).toEqual({ policyType: "Predefined", policyName: "AppGwSslPolicy20220101" });
    // The public frontend is the gateway's own Standard static zone-redundant IP.
    const pips = ofType(r, A.pip).filter((p) => p.name === "web-appgw-ip");
    expect(pips).toHaveLength(1);
    expect(pips[0]!.inputs).toMatchObject({ sku: { name: "Standard", tier: "Regional" }, publicIPAllocationMethod: "Static", publicIPAddressVersion: "IPv4", zones: ["1", "2", "3"] });
    expect(gw.frontendIPConfigurations).toHaveLength(1);
    expect(gw.frontendIPConfigurations[0].publicIPAddress.id).toBe("web-appgw-ip-id");
  });

  it("is regional where the region has no availability zones (northcentralus)", async () => {
    const r = await run(() => new gpu.InferenceFleet("ncus", vmSpec(undefined, { region: "northcentralus" }) as gpu.InferenceFleetArgs));
    expect(r.error).toBeUndefined();
    expect(one(r, A.gateway).inputs.zones).toBeUndefined();
    expect(ofType(r, A.pip).find((p) => p.name === "ncus-appgw-ip")!.inputs.zones).toBeUndefined();
  });

  it("forwards to the internal load balancer's fixed frontend on port 80, probing vLLM's /health through it, with a 30-minute request timeout", async () => {
    const r = await run(vmFleet("web"));
    const gw = one(r, A.gateway).inputs;
    // 10.0.0.0/16: the load balancer subnet is the ninth /20 (10.0.128.0/20); Azure hands out .4 first.
    expect(gw.backendAddressPools).toEqual([{ name: "fleet", backendAddresses: [{ ipAddress: "10.0.128.4" }] }]);
    const lb = one(r, "azure-native:network:LoadBalancer").inputs;
    expect(lb.frontendIPConfigurations[0].privateIPAddress).toBe("10.0.128.4");
    expect(lb.frontendIPConfigurations[0].publicIPAddress).toBeUndefined();
    expect(gw.probes).toHaveLength(1);
    expect(gw.probes[0]).toMatchObject({ protocol: "Http", path: "/health", port: 80, pickHostNameFromBackendHttpSettings: true, match: { statusCodes: ["200"] } });
    expect(gw.backendHttpSettingsCollection[0]).toMatchObject({ protocol: "Http", port: 80, requestTimeout: 1800, pickHostNameFromBackendAddress: true });
    expect(gw.requestRoutingRules[0]).toMatchObject({ ruleType: "Basic", priority: 100 });
  });

  it("lives in a dedicated /20 carved from the VNet (the twelfth sixteenth), with an NSG that admits the allow list on 443, GatewayManager and AzureLoadBalancer, and nothing else", async () => {
    const r = await run(vmFleet("web"));
    const subnet = ofType(r, A.subnet).find((s) => s.name === "web-appgw")!;
    expect(subnet.inputs.addressPrefix).toBe("10.0.176.0/20");
    expect(subnet.inputs.networkSecurityGroup.id).toBe("web-appgw-nsg-id");
    // A vault whose firewall admits this subnet sees the gateway's reads through Key Vault's service endpoint
    // (https://learn.microsoft.com/azure/application-gateway/key-vault-certs, read 2026-11-30).
    expect(subnet.inputs.serviceEndpoints).toEqual([{ service: "Microsoft.KeyVault" }]);
    expect(one(r, A.gateway).inputs.gatewayIPConfigurations).toEqual([{ name: "gateway", subnet: { id: "web-appgw-id" } }]);
    const rules = ofType(r, A.nsg).find((n) => n.name === "web-appgw-nsg")!.inputs.securityRules as Rule[];
    expect(rules.map((x) => [x.name, x.priority, x.access])).toEqual([
      ["allow-clients-https", 100, "Allow"],
      ["allow-gateway-manager", 110, "Allow"],
      ["allow-azure-load-balancer", 120, "Allow"],
      ["allow-cluster-inbound", 130, "Allow"],
      ["deny-other-inbound", 4000, "Deny"],
    ]);
    expect(rules[0]).toMatchObject({ protocol: "Tcp", sourceAddressPrefixes: CLIENTS, destinationAddressPrefix: "10.0.176.0/20", destinationPortRange: "443" });
    expect(rules[1]).toMatchObject({ sourceAddressPrefix: "GatewayManager", destinationPortRange: "65200-65535" });
    expect(rules[2]).toMatchObject({ sourceAddressPrefix: "AzureLoadBalancer" });
    expect(rules[3]!.sourceAddressPrefixes).toEqual(["10.0.0.0/16"]);
    expect(rules.some((x) => x.sourceAddressPrefixes?.includes("0.0.0.0/0") || x.sourceAddressPrefix === "Internet" && x.access === "Allow")).toBe(false);
    // The replicas admit the model port from the VNet only: internet clients reach them through the gateway.
    const nodeRules = ofType(r, A.nsg).find((n) => n.name === "web-nodes-nsg")!.inputs.securityRules as Rule[];
    expect(nodeRules.find((x) => x.name === "allow-serving-port")!.sourceAddressPrefixes).toEqual(["10.0.0.0/16"]);
  });

  it("reads the certificate with its own user-assigned identity, granted 'Key Vault Secrets User' on that one secret", async () => {
    const r = await run(vmFleet("web"));
    const identity = ofType(r, A.identity).find((i) => i.name === "web-appgw-identity");
    expect(identity).toBeDefined();
    expect(one(r, A.gateway).inputs.identity).toEqual({ type: "UserAssigned", userAssignedIdentities: ["web-appgw-identity-id"] });
    const role = ofType(r, A.role).find((x) => x.name === "web-appgw-certificate-reader")!.inputs;
    // Named in the vault's subscription, which must be the deployment's (below).
    expect(role.roleDefinitionId).toBe(`/subscriptions/${OFFLINE_SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions/${KEY_VAULT_SECRETS_USER}`);
    expect(KEY_VAULT_SECRETS_USER).toBe("4633458b-17de-408a-b874-0445c86b69e6");
    expect(role.scope).toBe(`${VAULT}/secrets/fleet-cert`);
    expect(role.principalType).toBe("ServicePrincipal");
    expect(role.principalId).toBe("00000000-0000-0000-0000-0000000000a1");
  });

  it("publishes https://<the gateway's public IP> as the endpoint", async () => {
    const r = await run(vmFleet("web"));
    const component = r.resources.find((x) => !x.custom && x.name === "web")!;
    expect(component.outputs.endpointUrl).toBe("https://198.51.100.20");
    // The plan says what the vault and the deployer need, and how the scaling signal reads behind the gateway.
    const notes = r.costEvents[0]!.plan.notes.join("\n");
    expect(notes).toContain("its identity gets 'Key Vault Secrets User' on that one secret, so the vault must be in the deploying subscription (a v2 gateway reads no other; `preview`/`up` stop otherwise), use the Azure RBAC permission model and admit the gateway (with its firewall on: 'Allow trusted Microsoft services', or the gateway's subnet, which has the Microsoft.KeyVault service endpoint)");
    expect(notes).toContain("Azure internet-facing VM fleet: scales on the requests its Application Gateway serves per replica (TotalRequests): out above 30 a minute, in below 6");
  });

  // The gateway keeps its connections to the balancer alive, so the balancer's SYNCount stays near zero under load:
  // behind it the fleet scales on the gateway's own TotalRequests (Count, aggregation Total, PT1M:
  // https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-network-applicationgateways-metrics),
  // Sum divided per instance (documented for Sum: https://learn.microsoft.com/azure/azure-monitor/autoscale/autoscale-understanding-settings),
  // read 2026-11-30. An internal fleet keeps the balancer's SYNCount.
  const triggers = (r: Awaited<ReturnType<typeof run>>) =>
    one(r, "azure-native:monitor:AutoscaleSetting").inputs.profiles[0].rules.map((rule: any) => {
      const t = rule.metricTrigger;
      return [rule.scaleAction.direction, t.metricName, t.metricNamespace, t.metricResourceUri, t.operator, t.threshold, t.statistic, t.dividePerInstance];
    });
  it("scales on the gateway's requests per replica (TotalRequests / instances), not the balancer's SYN count, and still scales in only while the replicas send little", async () => {
    const r = await run(vmFleet("web", { ...TLS, allowedSourceRanges: CLIENTS, scaleOutConnectionsPerMinute: 40, scaleInConnectionsPerMinute: 8 }));
    expect(r.error).toBeUndefined();
    const scaleSet = one(r, "azure-native:compute:VirtualMachineScaleSet").name;
    const gw = one(r, A.gateway);
    const gatewayId = `/subscriptions/${OFFLINE_SUBSCRIPTION_ID}/resourceGroups/${gw.inputs.resourceGroupName}/providers/Microsoft.Network/applicationGateways/web-appgw`;
    expect(triggers(r)).toEqual([
      ["Increase", "TotalRequests", "Microsoft.Network/applicationGateways", gatewayId, "GreaterThan", 40, "Sum", true],
      ["Decrease", "TotalRequests", "Microsoft.Network/applicationGateways", gatewayId, "LessThan", 8, "Sum", true],
      ["Decrease", "Network Out Total", "Microsoft.Compute/virtualMachineScaleSets", `${scaleSet}-id`, "LessThan", 262144, "Sum", true],
    ]);
  });

  it("an internal fleet still scales on its load balancer's SYN count per replica", async () => {
    const r = await run(() => new gpu.InferenceFleet("api", vmSpec({ allowedSourceRanges: ["10.50.0.0/16"] }, { loadBalancer: "internal" }) as gpu.InferenceFleetArgs));
    expect(r.error).toBeUndefined();
    const scaleSet = one(r, "azure-native:compute:VirtualMachineScaleSet").name;
    expect(triggers(r)).toEqual([
      ["Increase", "SYNCount", "Microsoft.Network/loadBalancers", "api-lb-id", "GreaterThan", 30, "Sum", true],
      ["Decrease", "SYNCount", "Microsoft.Network/loadBalancers", "api-lb-id", "LessThan", 6, "Sum", true],
      ["Decrease", "Network Out Total", "Microsoft.Compute/virtualMachineScaleSets", `${scaleSet}-id`, "LessThan", 262144, "Sum", true],
    ]);
    expect(ofType(r, A.gateway)).toHaveLength(0);
  });
});

// "Application Gateway v2 currently supports only Key Vault accounts in the same subscription as the Application
// Gateway v2 resource" (https://learn.microsoft.com/azure/application-gateway/key-vault-certs, read 2026-11-30). The
// deploying subscription is the provider's (getClientConfig, offline OFFLINE_SUBSCRIPTION_ID), known once the program
// runs, so a vault elsewhere stops the run there, before the vault's role and the gateway are created.
describe("internet-facing Azure fleet: the certificate's vault must be in the gateway's subscription", () => {
  const elsewhere = VAULT.replace(OFFLINE_SUBSCRIPTION_ID, "11111111-2222-3333-4444-555555555555");
  it("stops a VM fleet whose vault is in another subscription before the role and the gateway, naming azure.tlsKeyVaultId and both subscriptions", async () => {
    // The failure rejects the role's and the gateway's registrations (as the subscription feature gate does); the
    // run ends (no dependent waits on them) and reports it.
    const r = await run(vmFleet("far", { tlsCertificateSecretId: SECRET, tlsKeyVaultId: elsewhere, allowedSourceRanges: CLIENTS }));
    expect(String(r.error)).toContain(
      `azure.tlsKeyVaultId: the vault is in subscription 11111111-2222-3333-4444-555555555555, and the Application Gateway is deployed in ${OFFLINE_SUBSCRIPTION_ID}`,
    );
    expect(String(r.error)).toContain("Import the certificate into a vault of the deploying subscription");
    expect(ofType(r, A.role).filter((x) => x.name === "far-appgw-certificate-reader")).toHaveLength(0);
    expect(ofType(r, A.gateway)).toHaveLength(0);
  });

  it("stops an AKS fleet the same way, and passes a vault id whose subscription differs only in case", async () => {
    const r = await run(aksFleet("far", { tlsCertificateSecretId: SECRET, tlsKeyVaultId: elsewhere, aks: { loadBalancerSourceRanges: CLIENTS } }));
    expect(String(r.error)).toContain("azure.tlsKeyVaultId: the vault is in subscription 11111111-2222-3333-4444-555555555555");
    expect(ofType(r, A.gateway)).toHaveLength(0);
    expect(vaultSubscriptionProblem(VAULT.replace(OFFLINE_SUBSCRIPTION_ID, "AAAAAAAA-0000-0000-0000-000000000000"), "aaaaaaaa-0000-0000-0000-000000000000")).toBeUndefined();
  });
});

describe("internet-facing AKS fleet: the same gateway in front of the Service's internal load balancer", () => {
  it("pins the Service's internal address in the load balancer subnet and sends the gateway there on the Service port", async () => {
    const r = await run(aksFleet("chat"));
    expect(r.error).toBeUndefined();
    const svc = one(r, A.service).inputs;
    expect(svc.spec.type).toBe("LoadBalancer");
    expect(svc.metadata.annotations["service.beta.kubernetes.io/azure-load-balancer-internal"]).toBe("true");
    expect(svc.metadata.annotations["service.beta.kubernetes.io/azure-load-balancer-ipv4"]).toBe("10.0.128.4");
    expect(svc.spec.loadBalancerSourceRanges).toBeUndefined();
    const gw = one(r, A.gateway).inputs;
    expect(gw.sku).toEqual({ name: "Standard_v2", tier: "Standard_v2" });
    expect(gw.backendAddressPools[0].backendAddresses).toEqual([{ ipAddress: "10.0.128.4" }]);
    expect(gw.probes[0]).toMatchObject({ path: "/health", port: 8000 });
    expect(gw.backendHttpSettingsCollection[0].port).toBe(8000);
    expect(ofType(r, A.subnet).find((s) => s.name === "chat-appgw")!.inputs.addressPrefix).toBe("10.0.176.0/20");
    const rules = ofType(r, A.nsg).find((n) => n.name === "chat-appgw-nsg")!.inputs.securityRules as Rule[];
    expect(rules[0]!.sourceAddressPrefixes).toEqual(CLIENTS);
    const component = r.resources.find((x) => !x.custom && x.name === "chat")!;
    expect(component.outputs.endpointUrl).toBe("https://198.51.100.20");
  });

  it("on an existing cluster, uses the subnet and the internal address the user names", async () => {
    const azure = { ...TLS, appGatewaySubnetId: GATEWAY_SUBNET, aks: { clusterName: "shared", resourceGroupName: "shared-rg", loadBalancerSourceRanges: CLIENTS, internalLoadBalancerIp: "10.224.0.250" } };
    const r = await run(aksFleet("join", azure));
    expect(r.error).toBeUndefined();
    const gw = one(r, A.gateway).inputs;
    expect(gw.gatewayIPConfigurations[0].subnet.id).toBe(GATEWAY_SUBNET);
    expect(gw.backendAddressPools[0].backendAddresses).toEqual([{ ipAddress: "10.224.0.250" }]);
    expect(one(r, A.service).inputs.metadata.annotations["service.beta.kubernetes.io/azure-load-balancer-ipv4"]).toBe("10.224.0.250");
    // The user's subnet carries the user's NSG: the component makes none.
    expect(ofType(r, A.nsg)).toHaveLength(0);
  });

  // The cloud provider places an internal balancer in the cluster's default subnet unless the Service names one
  // (`service.beta.kubernetes.io/azure-load-balancer-internal-subnet`, a subnet name:
  // https://cloud-provider-azure.sigs.k8s.io/topics/loadbalancer/, read 2026-11-30): an address pinned in the GPU
  // pool's `aks.subnetId` binds only if the Service names that subnet.
  it("on an existing cluster with aks.subnetId, puts the internal balancer in that subnet, where its pinned address lives", async () => {
    const subnetId = "/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/shared-rg/providers/Microsoft.Network/virtualNetworks/shared/subnets/gpu-nodes";
    const aks = { clusterName: "shared", resourceGroupName: "shared-rg", subnetId, loadBalancerSourceRanges: CLIENTS, internalLoadBalancerIp: "10.224.8.250" };
    const r = await run(aksFleet("joined", { ...TLS, appGatewaySubnetId: GATEWAY_SUBNET, aks }));
    expect(r.error).toBeUndefined();
    const annotations = one(r, A.service).inputs.metadata.annotations;
    expect(annotations["service.beta.kubernetes.io/azure-load-balancer-internal-subnet"]).toBe("gpu-nodes");
    expect(annotations["service.beta.kubernetes.io/azure-load-balancer-ipv4"]).toBe("10.224.8.250");
    // Without aks.subnetId the address is in the cluster's own subnet, the provider's default: no subnet named.
    const own = await run(aksFleet("join", { ...TLS, appGatewaySubnetId: GATEWAY_SUBNET, aks: { ...aks, subnetId: undefined } }));
    expect(own.error).toBeUndefined();
    expect(one(own, A.service).inputs.metadata.annotations).not.toHaveProperty(["service.beta.kubernetes.io/azure-load-balancer-internal-subnet"]);
  });

  it("leaves an internal fleet's Service without a pinned address and builds no gateway", async () => {
    const r = await run(() => new gpu.InferenceFleet("inside", aksSpec({}, { loadBalancer: "internal" }) as gpu.InferenceFleetArgs));
    expect(r.error).toBeUndefined();
    expect(ofType(r, A.gateway)).toHaveLength(0);
    expect(one(r, A.service).inputs.metadata.annotations["service.beta.kubernetes.io/azure-load-balancer-ipv4"]).toBeUndefined();
  });
});

describe("internet-facing Azure fleets: refused before anything is built when a piece is missing", () => {
  const cases: [string, () => unknown, string, RegExp][] = [
    ["VM fleet without a certificate", vmFleet("a", { allowedSourceRanges: CLIENTS }), "azure.tlsCertificateSecretId", /serves HTTPS only, and needs its certificate/],
    ["AKS fleet without a certificate", aksFleet("b", { aks: { loadBalancerSourceRanges: CLIENTS } }), "azure.tlsCertificateSecretId", /needs its certificate/],
    ["a certificate that is not a secret id", vmFleet("c", { ...TLS, tlsCertificateSecretId: "fleet-cert", allowedSourceRanges: CLIENTS }), "azure.tlsCertificateSecretId", /is not a Key Vault secret id/],
    ["a certificate without its vault", vmFleet("d", { tlsCertificateSecretId: SECRET, allowedSourceRanges: CLIENTS }), "azure.tlsKeyVaultId", /by resource id/],
    ["a vault that does not hold the secret", vmFleet("e", { ...TLS, tlsKeyVaultId: VAULT.replace("fleet-vault", "other-vault"), allowedSourceRanges: CLIENTS }), "azure.tlsKeyVaultId", /names the vault 'other-vault'/],
    ["VM fleet without client ranges", vmFleet("f", { ...TLS }), "azure.allowedSourceRanges", /needs the client ranges/],
    ["AKS fleet without client ranges", aksFleet("g", { ...TLS }), "azure.aks.loadBalancerSourceRanges", /client ranges/],
    [
      "existing VNet (an existing AKS cluster) without a gateway subnet",
      aksFleet("h", { ...TLS, aks: { clusterName: "shared", resourceGroupName: "shared-rg", loadBalancerSourceRanges: CLIENTS, internalLoadBalancerIp: "10.224.0.250" } }),
      "azure.appGatewaySubnetId",
      /needs a subnet of its own in the cluster's VNet/,
    ],
    [
      "existing cluster without the internal address",
      aksFleet("i", { ...TLS, appGatewaySubnetId: GATEWAY_SUBNET, aks: { clusterName: "shared", resourceGroupName: "shared-rg", loadBalancerSourceRanges: CLIENTS } }),
      "azure.aks.internalLoadBalancerIp",
      /must be known before it exists/,
    ],
    ["a gateway subnet in a VNet the component creates", vmFleet("j", { ...TLS, allowedSourceRanges: CLIENTS, appGatewaySubnetId: GATEWAY_SUBNET }), "azure.appGatewaySubnetId", /carves the gateway's subnet/],
    ["a certificate on an internal fleet", () => new gpu.InferenceFleet("k", vmSpec({ ...TLS }, { loadBalancer: "internal" }) as gpu.InferenceFleetArgs), "azure.tlsCertificateSecretId", /internet-facing fleet's Application Gateway only/],
  ];
  it.each(cases)("%s", async (_, program, path, message) => {
    const r = await run(program);
    expect(r.error).toMatchObject({ name: "SpecError", path });
    expect((r.error as Error).message).toMatch(message);
    expect(r.resources.filter((x) => x.custom)).toHaveLength(0);
  });
});

describe("the bill of an internet-facing Azure fleet", () => {
  // 1 TiB served a month: 1,024 GiB × 8 × 1,073,741,824 bits = 8,796,093.02 Mb; / 3,600 s = 2,443.36 Mbps-hours; / 2.22 Mbps
  // per capacity unit = 1,100.61 CU-hours; × $0.008 = $8.80. Fixed: 730 h × $0.20 = $146.00. Public IP: 730 h × $0.005 = $3.65.
  const expected = [
    ["Application Gateway Standard_v2 (1), 730 h", 146.0],
    ["Application Gateway capacity units: 1024 GiB served a month (2.22 Mbps per unit)", 8.8],
    ["public IPv4 (1): the Application Gateway's Standard public IP, 730 h", 3.65],
    // The responses leave Azure as internet egress, in the catalog's first tier: 1,024 GiB × $0.087 = $89.088 → $89.09.
    ["internet egress 0–10 TiB tier (1024 GiB served by the internet-facing load balancer)", 89.09],
  ] as const;

  it.each([
    ["VM", vmSpec(undefined, { egress: { servedTiBPerMonth: 1 } })],
    ["AKS", aksSpec(undefined, { egress: { servedTiBPerMonth: 1 } })],
  ])("%s: the gateway's fixed hours, its capacity units and its public IP, to the cent", (_, spec) => {
    const { azure, ...fleet } = spec as Record<string, unknown>;
    const e = estimateCost(fleet as unknown as gpu.FleetSpec, azure);
    for (const [description, usd] of expected) {
      const line = e.lines.find((l) => l.description === description);
      expect(line, description).toBeDefined();
      expect(line!.monthlyUsd).toBe(usd);
    }
    expect(e.lines.find((l) => l.description.startsWith("Application Gateway capacity"))!.quantity).toBeCloseTo(1100.612, 3);
    // The Standard Load Balancer behind it is internal.
    expect(e.lines.find((l) => l.description === "internal Standard Load Balancer (1), 730 h")!.monthlyUsd).toBe(18.25);
    expect(e.lines.some((l) => l.description.startsWith("internet-facing Standard Load Balancer"))).toBe(false);
    expect(e.billOfMaterials).toContainEqual({ kind: "app-gateway", sku: "Standard_v2" });
  });
});
