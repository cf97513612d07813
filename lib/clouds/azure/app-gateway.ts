/**
 * The HTTPS front of an internet-facing Azure fleet, one builder for the VM and AKS paths: an Application Gateway
 * Standard_v2 in a subnet of its own, with a Standard static public IP, an HTTPS listener on 443 whose certificate it
 * reads from the user's Key Vault with a user-assigned identity, and one backend: the fleet's internal Standard Load
 * Balancer frontend (a fixed private address known at preview: the VM fleet's balancer, or the AKS Service's, pinned
 * with the `azure-load-balancer-ipv4` annotation), so the internal balancer still spreads load and the replicas never
 * face the internet.
 *
 * Why these choices (Microsoft's pages read 2026-11-30):
 * - Standard_v2, not WAF_v2: the client allow-list is enforced by the gateway subnet's NSG (lib/clouds/azure/security.ts
 *   `appGatewayRules`), as the AWS fleet enforces it with its ALB security group; NSGs on a v2 gateway's subnet are
 *   supported with GatewayManager 65200-65535 and AzureLoadBalancer admitted
 *   (https://learn.microsoft.com/azure/application-gateway/configuration-infrastructure). WAF_v2 would add managed
 *   rule sets and bill 1.8× the fixed and capacity-unit prices (infracost's golden, lib/catalog/data/azure-app-gateway.ts).
 * - Key Vault certificates need the v2 SKU, a vault in the gateway's own subscription, and a user-assigned identity
 *   that can get the secret (https://learn.microsoft.com/azure/application-gateway/key-vault-certs): "Key Vault Secrets
 *   User" scoped to that one secret (the vault must use the Azure RBAC permission model). The instances poll the vault every four hours, so a
 *   versionless secret id rotates by itself.
 * - Application Gateway in front of the internal balancer rather than AGIC or Application Gateway for Containers: the
 *   same resource serves both paths (VM fleets have no Kubernetes), needs no in-cluster controller, and its address is
 *   known before anything is created.
 * - TLS policy AppGwSslPolicy20220101: a 2022 predefined policy (TLS 1.2 minimum, TLS 1.3, v2 SKUs only;
 *   https://learn.microsoft.com/azure/application-gateway/application-gateway-ssl-policy-overview).
 */
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as network from "@pulumi/azure-native/network";
import type { CompileContext } from "../types.js";
import { KEY_VAULT_SECRETS_USER } from "./identity.js";
import type { AzurePlace } from "./network.js";
import { secretScope, vaultSubscriptionProblem } from "./app-gateway-options.js";
import { billedItem, billedOne } from "../shared/bill.js";
import { publicIpOf } from "./bill.js";

/** The gateway's public listener: HTTPS on 443 only (no port 80 listener, no redirect). */
export const APP_GATEWAY_HTTPS_PORT = 443;

/** The predefined TLS policy of the listener. */
export const APP_GATEWAY_TLS_POLICY = "AppGwSslPolicy20220101";

/**
 * Autoscale bounds, in instances. 0 reserves no capacity units (only those used are billed); 10 caps a runaway bill
 * at 10 instances (each guarantees at least 10 capacity units).
 */
export const APP_GATEWAY_AUTOSCALE = { minCapacity: 0, maxCapacity: 10 } as const;

/**
 * How long the gateway waits for the backend's response, s: a long generation streams for minutes (the internal
 * balancer keeps idle connections 30 minutes, inference.ts).
 */
export const APP_GATEWAY_REQUEST_TIMEOUT_SECONDS = 1800;

/**
 * Regions where the gateway and its public IP span zones 1-3: regions with availability zones as Microsoft lists them
 * (https://learn.microsoft.com/azure/reliability/regions-list). Not re-read for a dated capture when written
 * (2026-11-30), so kept to regions long known to have three zones; elsewhere both are regional. A region missing here
 * only loses zone redundancy; one listed wrongly would fail the gateway's create, so add a region only from that page.
 */
export const AZURE_ZONE_REDUNDANT_REGIONS: readonly string[] = [
  "eastus", "eastus2", "centralus", "southcentralus", "westus2", "westus3", "canadacentral", "brazilsouth",
  "northeurope", "westeurope", "uksouth", "francecentral", "germanywestcentral", "swedencentral", "switzerlandnorth",
  "italynorth", "polandcentral", "spaincentral", "norwayeast", "australiaeast", "japaneast", "koreacentral", "southeastasia",
  "eastasia", "centralindia", "uaenorth", "qatarcentral", "israelcentral", "southafricanorth", "mexicocentral",
];

export interface AppGatewayArgs {
  place: AzurePlace;
  tags: Record<string, string>;
  /** The gateway's own subnet (no other resource may live in it). */
  subnetId: pulumi.Input<string>;
  /** The internal load balancer's frontend address: the gateway's one backend. */
  backendIp: pulumi.Input<string>;
  /** The port the internal load balancer listens on. */
  backendPort: number;
  /** The model server's health path (vLLM's `/health`), probed through the internal balancer. */
  healthPath: string;
  /** The certificate's Key Vault secret id (`azure.tlsCertificateSecretId`). */
  certificateSecretId: string;
  /** The vault's resource id (`azure.tlsKeyVaultId`): the role's scope is its secret. */
  keyVaultId: string;
}

export interface AppGateway {
  gateway: network.ApplicationGateway;
  publicIp: network.PublicIPAddress;
  identity: managedidentity.UserAssignedIdentity;
  certificateReader: authorization.RoleAssignment;
  /** `https://<public IP>`: the fleet's endpoint. */
  endpointUrl: pulumi.Output<string>;
  /** The gateway's resource id, by name (a metric's `metricResourceUri`); list `after([gateway])` as a dependency with it. */
  id: pulumi.Output<string>;
  /** The given dependencies, once the certificate's vault is known to be in the deploying subscription. */
  after(deps: pulumi.Resource[]): pulumi.Output<pulumi.Resource[]>;
}

export function appGateway(ctx: CompileContext, a: AppGatewayArgs): AppGateway {
  const opts = { parent: ctx.parent };
  const base = { resourceGroupName: a.place.resourceGroupName, location: a.place.location, tags: a.tags };
  const zones = AZURE_ZONE_REDUNDANT_REGIONS.includes(a.place.location) ? { zones: ["1", "2", "3"] } : {};
  // Built as billed: the gateway at the bill's SKU, with its one Standard public IP.
  const billed = billedItem(ctx.bill, "app-gateway", "the fleet's Application Gateway");
  billedOne(billedItem(ctx.bill, "public-ip", "the Application Gateway's public IP", publicIpOf("Application Gateway")), "public IP on the Application Gateway");

  const identity = new managedidentity.UserAssignedIdentity(`${ctx.name}-appgw-identity`, base, opts);
  // A v2 gateway reads only a vault of its own subscription (vaultSubscriptionProblem). The deploying subscription is
  // the provider's (getClientConfig), known only once the program runs: the vault's role, and so the gateway, wait for
  // the comparison, and a vault elsewhere stops the deploy there with the fix.
  const sameSubscription = a.place.subscriptionId.apply((deploying) => {
    const problem = vaultSubscriptionProblem(a.keyVaultId, deploying);
    if (problem !== undefined) throw new Error(problem);
    return deploying;
  });
  const certificateReader = new authorization.RoleAssignment(
    `${ctx.name}-appgw-certificate-reader`,
    {
      principalId: identity.principalId,
      principalType: "ServicePrincipal",
      roleDefinitionId: pulumi.interpolate`/subscriptions/${sameSubscription}/providers/Microsoft.Authorization/roleDefinitions/${KEY_VAULT_SECRETS_USER}`,
      scope: secretScope(a.keyVaultId, a.certificateSecretId),
    },
    opts,
  );
  const publicIp = new network.PublicIPAddress(
    `${ctx.name}-appgw-ip`,
    { ...base, ...zones, sku: { name: "Standard", tier: "Regional" }, publicIPAllocationMethod: "Static", publicIPAddressVersion: "IPv4" },
    opts,
  );

  // A fixed name, so the listener, rule and settings can refer to their siblings by id.
  const gatewayName = `${ctx.name}-appgw`;
  const id = (kind: string, name: string) => ({ id: pulumi.interpolate`${a.place.resourceGroupId}/providers/Microsoft.Network/applicationGateways/${gatewayName}/${kind}/${name}` });
  const gateway = new network.ApplicationGateway(
    `${ctx.name}-appgw`,
    {
      ...base,
      ...zones,
      applicationGatewayName: gatewayName,
      sku: { name: billed.sku, tier: billed.sku },
      autoscaleConfiguration: { ...APP_GATEWAY_AUTOSCALE },
      identity: { type: "UserAssigned", userAssignedIdentities: [identity.id] },
      gatewayIPConfigurations: [{ name: "gateway", subnet: { id: a.subnetId } }],
      frontendIPConfigurations: [{ name: "public", publicIPAddress: { id: publicIp.id } }],
      frontendPorts: [{ name: "https", port: APP_GATEWAY_HTTPS_PORT }],
      sslCertificates: [{ name: "listener", keyVaultSecretId: a.certificateSecretId }],
      sslPolicy: { policyType: "Predefined", policyName: APP_GATEWAY_TLS_POLICY },
      httpListeners: [
        {
          name: "https",
          protocol: "Https",
          frontendIPConfiguration: id("frontendIPConfigurations", "public"),
          frontendPort: id("frontendPorts", "https"),
          sslCertificate: id("sslCertificates", "listener"),
        },
      ],
      backendAddressPools: [{ name: "fleet", backendAddresses: [{ ipAddress: a.backendIp }] }],
      probes: [
        {
          name: "health",
          protocol: "Http",
          path: a.healthPath,
          port: a.backendPort,
          // The backend is an address: the probe's Host header is the one the settings send (the address itself).
          pickHostNameFromBackendHttpSettings: true,
          interval: 15,
          timeout: 10,
          unhealthyThreshold: 3,
          match: { statusCodes: ["200"] },
        },
      ],
      backendHttpSettingsCollection: [
        {
          name: "fleet",
          protocol: "Http",
          port: a.backendPort,
          cookieBasedAffinity: "Disabled",
          pickHostNameFromBackendAddress: true,
          requestTimeout: APP_GATEWAY_REQUEST_TIMEOUT_SECONDS,
          probe: id("probes", "health"),
        },
      ],
      requestRoutingRules: [
        {
          name: "fleet",
          ruleType: "Basic",
          priority: 100,
          httpListener: id("httpListeners", "https"),
          backendAddressPool: id("backendAddressPools", "fleet"),
          backendHttpSettings: id("backendHttpSettingsCollection", "fleet"),
        },
      ],
    },
    // The gateway reads the certificate at create: its identity's role must exist first (Azure RBAC can take minutes
    // to propagate; a first `up` that fails on the certificate succeeds when run again). Listed once the vault's
    // subscription is known to be right, so a wrong one fails here too rather than leave the gateway waiting.
    { ...opts, dependsOn: sameSubscription.apply(() => [certificateReader]) },
  );
  const host = publicIp.ipAddress.apply((address) => address ?? "");
  return {
    gateway,
    publicIp,
    identity,
    certificateReader,
    endpointUrl: pulumi.interpolate`https://${host}`,
    // Known by name, and waited for through the subscription check: a dependent never waits on a gateway that failed.
    id: pulumi.interpolate`${a.place.resourceGroupId}/providers/Microsoft.Network/applicationGateways/${gatewayName}`,
    after: (deps) => sameSubscription.apply(() => deps),
  };
}
