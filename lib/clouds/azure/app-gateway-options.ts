/**
 * The checks of an internet-facing Azure fleet's options (its Application Gateway, ./app-gateway.ts), synchronous and
 * before anything exists: the certificate and its vault, the gateway's subnet, the clients it admits. Throws SpecError.
 * No cloud SDK here: the option checks and the bill of materials load this module without one.
 */
import type { Plan } from "../../planner/types.js";
import { SpecError } from "../../spec/errors.js";
import type { AzureOptions } from "./options.js";

/** Whether a plan is served to the internet through an Application Gateway (an internet-facing Azure fleet). */
export function servesInternet(plan: Pick<Plan, "cloud" | "service">): boolean {
  return plan.cloud === "azure" && plan.service?.loadBalancer === "internet-facing";
}

/** `https://<vault>.vault.azure.net/secrets/<name>[/<version>]`: a Key Vault secret id (a certificate's secret). */
export const KEY_VAULT_SECRET_ID = /^https:\/\/([a-zA-Z0-9-]{3,24})\.vault\.azure\.net\/secrets\/([a-zA-Z0-9-]{1,127})(\/[a-f0-9]{32})?\/?$/;

/** `/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.KeyVault/vaults/<name>`: a vault's resource id. */
export const KEY_VAULT_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.KeyVault\/vaults\/([a-zA-Z0-9-]{3,24})$/i;

/**
 * Why the gateway cannot read a vault in `deployingSubscription`'s stead, or undefined when it can: "Application Gateway
 * v2 currently supports only Key Vault accounts in the same subscription as the Application Gateway v2 resource"
 * (https://learn.microsoft.com/azure/application-gateway/key-vault-certs, read 2026-11-30). Subscription ids compare
 * case-insensitively (ARM ids do).
 */
export function vaultSubscriptionProblem(keyVaultId: string, deployingSubscription: string): string | undefined {
  const vaultSubscription = keyVaultId.split("/")[2] ?? "";
  if (vaultSubscription.toLowerCase() === deployingSubscription.toLowerCase()) return undefined;
  return (
    `gpu-cluster: azure.tlsKeyVaultId: the vault is in subscription ${vaultSubscription}, and the Application Gateway is deployed in ${deployingSubscription}; ` +
    "Application Gateway v2 reads Key Vault certificates only from a vault in its own subscription " +
    "(https://learn.microsoft.com/azure/application-gateway/key-vault-certs). Import the certificate into a vault of the deploying subscription and pass that vault's id and secret id"
  );
}

/** The role assignment scope for one secret: the secret under its vault (Key Vault RBAC takes a secret as scope). */
export function secretScope(keyVaultId: string, secretId: string): string {
  const name = KEY_VAULT_SECRET_ID.exec(secretId)?.[2];
  return `${keyVaultId}/secrets/${name}`;
}


const SUBNET_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/i;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/** The CIDRs an internet-facing fleet's gateway admits: `azure.allowedSourceRanges` (VMs) or `azure.aks.loadBalancerSourceRanges`. */
export function internetClientRanges(plan: Pick<Plan, "orchestrator">, options: AzureOptions): string[] {
  return (plan.orchestrator === "kubernetes" ? options.aks?.loadBalancerSourceRanges : options.allowedSourceRanges) ?? [];
}

const GATEWAY_KEYS = ["tlsCertificateSecretId", "tlsKeyVaultId", "appGatewaySubnetId"] as const;

/** Checks the gateway's options against the plan; returns the notes an internet-facing fleet carries. */
export function checkAppGatewayOptions(plan: Readonly<Plan>, o: AzureOptions): string[] {
  if (!servesInternet(plan)) {
    for (const key of GATEWAY_KEYS) {
      if (o[key] !== undefined) throw new SpecError(`azure.${key}`, "applies to an internet-facing fleet's Application Gateway only", "remove it, or use loadBalancer: 'internet-facing'");
    }
    if (o.aks?.internalLoadBalancerIp !== undefined) throw new SpecError("azure.aks.internalLoadBalancerIp", "is the Application Gateway's backend of an internet-facing fleet on an existing cluster", "remove it");
    return [];
  }
  const aks = plan.orchestrator === "kubernetes";
  const existing = aks && o.aks?.clusterName !== undefined;
  if (o.tlsCertificateSecretId === undefined) {
    throw new SpecError(
      "azure.tlsCertificateSecretId",
      "an internet-facing fleet serves HTTPS only, and needs its certificate",
      "import your certificate into Key Vault and pass its secret id, e.g. 'https://my-vault.vault.azure.net/secrets/my-cert' (with azure.tlsKeyVaultId), or use loadBalancer: 'internal'",
    );
  }
  const secret = KEY_VAULT_SECRET_ID.exec(o.tlsCertificateSecretId);
  if (!secret) {
    throw new SpecError("azure.tlsCertificateSecretId", `'${o.tlsCertificateSecretId}' is not a Key Vault secret id`, "e.g. 'https://my-vault.vault.azure.net/secrets/my-cert' (versionless, so renewals rotate by themselves)");
  }
  if (o.tlsKeyVaultId === undefined) {
    throw new SpecError("azure.tlsKeyVaultId", "the gateway's identity is granted the certificate's secret in its vault, found by resource id", `pass the vault's resource id, e.g. '/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.KeyVault/vaults/${secret[1]}'`);
  }
  const vault = KEY_VAULT_ID.exec(o.tlsKeyVaultId);
  if (!vault) {
    throw new SpecError("azure.tlsKeyVaultId", `'${o.tlsKeyVaultId}' is not a Key Vault resource id`, `e.g. '/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.KeyVault/vaults/${secret[1]}'`);
  }
  if (vault[1]!.toLowerCase() !== secret[1]!.toLowerCase()) {
    throw new SpecError("azure.tlsKeyVaultId", `names the vault '${vault[1]}', and the certificate's secret is in '${secret[1]}'`, `pass the resource id of the vault '${secret[1]}'`);
  }
  if (existing) {
    if (o.appGatewaySubnetId === undefined) {
      throw new SpecError(
        "azure.appGatewaySubnetId",
        "an Application Gateway needs a subnet of its own in the cluster's VNet, and the component does not manage an existing cluster's VNet",
        "create a subnet for the gateway alone (a /24 is recommended) whose NSG admits GatewayManager on 65200-65535 and your clients on 443, and pass its resource id",
      );
    }
    if (o.aks?.internalLoadBalancerIp === undefined || !IPV4.test(o.aks.internalLoadBalancerIp)) {
      throw new SpecError(
        "azure.aks.internalLoadBalancerIp",
        o.aks?.internalLoadBalancerIp === undefined ? "the gateway's backend is the fleet's internal load balancer, whose address must be known before it exists" : `'${o.aks.internalLoadBalancerIp}' is not an IPv4 address`,
        "pass a free address of the cluster's node subnet (azure.aks.subnetId, or the cluster's own), e.g. '10.224.0.250'",
      );
    }
  } else if (o.appGatewaySubnetId !== undefined) {
    throw new SpecError("azure.appGatewaySubnetId", "the component carves the gateway's subnet in the VNet it creates", "remove it (it is for an existing AKS cluster's VNet)");
  }
  if (o.appGatewaySubnetId !== undefined && !SUBNET_ID.test(o.appGatewaySubnetId)) {
    throw new SpecError("azure.appGatewaySubnetId", `'${o.appGatewaySubnetId}' is not a subnet resource id`, "e.g. '/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>'");
  }
  // The client ranges: required, as on AWS, GCP and CoreWeave (AKS: checkManagedClusterOptions requires its own).
  if (!aks && !o.allowedSourceRanges?.length) {
    throw new SpecError(
      "azure.allowedSourceRanges",
      "an internet-facing fleet needs the client ranges its Application Gateway admits (the model server has no auth of its own)",
      "e.g. ['203.0.113.0/24'], or ['0.0.0.0/0'] to open it to everyone on purpose",
    );
  }
  return [
    "Azure internet-facing fleet: an Application Gateway Standard_v2 terminates HTTPS on 443 with the certificate in azure.tlsCertificateSecretId, and forwards to the fleet's internal load balancer; " +
      `its identity gets 'Key Vault Secrets User' on that one secret, so the vault must be in the deploying subscription (a v2 gateway reads no other; \`preview\`/\`up\` stop otherwise), use the Azure RBAC permission model and admit the gateway (with its firewall on: 'Allow trusted Microsoft services', or the gateway's subnet${existing ? ", with a Microsoft.KeyVault service endpoint" : ", which has the Microsoft.KeyVault service endpoint"}), and the deployer must be allowed to assign roles on it ` +
      "(a first `up` can fail on the certificate while the role propagates: run it again). Its capacity units are priced from the data served (2.22 Mbps each); " +
      "many long-lived connections (2,500 per unit) or TLS handshakes can bill more",
  ];
}
