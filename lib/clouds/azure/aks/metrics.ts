/**
 * Azure Monitor managed service for Prometheus for a cluster the component creates: an Azure Monitor workspace, a data
 * collection endpoint and rule forwarding the Prometheus stream to it, the rule's association with the cluster, the
 * cluster's metrics add-on (`azureMonitorProfile.metrics`, cluster.ts), and the add-on's custom scrape configuration
 * (ConfigMap `ama-metrics-prometheus-config` in kube-system) with the same jobs as the AWS collector
 * (kubernetes/metrics-policy.ts scrapeJobs: the GPU Operator's DCGM exporter and a fleet's vLLM servers).
 *
 * Checked against https://learn.microsoft.com/azure/azure-monitor/containers/kubernetes-monitoring-enable (the
 * workspace, DCE, DCR with a `prometheusForwarder` source of stream `Microsoft-PrometheusMetrics` into
 * `monitoringAccounts`, DCRA on the cluster) and
 * https://learn.microsoft.com/azure/azure-monitor/containers/prometheus-metrics-scrape-configuration (the
 * `prometheus-config` key of `ama-metrics-prometheus-config`), read 2026-11-30; the same shapes as Microsoft's Bicep
 * samples and Azure Verified Modules' managed Prometheus onboarding.
 *
 * A fleet's KEDA queries the workspace as its operator's own Entra workload identity: a user-assigned identity
 * federated with `system:serviceaccount:keda:keda-operator` on the cluster's OIDC issuer, holding only "Monitoring Data
 * Reader" on this workspace (read Prometheus metrics: https://learn.microsoft.com/azure/azure-monitor/metrics/prometheus-api-promql,
 * and KEDA's azure-workload round tripper, kedacore/keda pkg/scalers/azure/azure_managed_prometheus_http_round_tripper.go
 * @8b4f083ca). The KEDA chart labels its operator for workload identity with that identity's client id.
 */
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as monitor from "@pulumi/azure-native/monitor";
import { ConfigMap } from "@pulumi/kubernetes/core/v1";
import type { Provider } from "@pulumi/kubernetes/provider";
import { KEDA_OPERATOR_SERVICE_ACCOUNT, type ClusterPrometheus } from "../../kubernetes/cluster-prometheus.js";
import { scrapeConfigDocument } from "../../kubernetes/metrics-policy.js";
import type { CompileContext } from "../../types.js";
import type { AzurePlace } from "../network.js";

/** Built-in role "Monitoring Data Reader": read data in an Azure Monitor workspace. */
export const MONITORING_DATA_READER = "b0d8363b-8ddd-447d-831f-62ca05bff136";
/** The stream Azure Monitor's metrics add-on sends, and the ConfigMap and key its custom scrape jobs are read from. */
export const AMA_METRICS = { stream: "Microsoft-PrometheusMetrics", configMap: "ama-metrics-prometheus-config", key: "prometheus-config", namespace: "kube-system" };
/** The audience of a federated credential for Entra workload identity. */
const TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";

export interface AksPrometheusInputs {
  place: AzurePlace;
  /** The cluster's resource id (the rule's association scope). */
  clusterId: pulumi.Input<string>;
  /** The cluster's OIDC issuer URL (a fleet's KEDA identity is federated there). */
  oidcIssuerUrl: pulumi.Input<string>;
  namespace: string;
  /** A fleet scaling on this Prometheus (no `keda` of its own): give KEDA its query identity. */
  kedaQueries: boolean;
  tags: Record<string, string>;
}

export interface AksPrometheus {
  workspace: monitor.AzureMonitorWorkspace;
  endpoint: monitor.DataCollectionEndpoint;
  rule: monitor.DataCollectionRule;
  association: monitor.DataCollectionRuleAssociation;
  /** A fleet's: what KEDA queries with (recorded for the target). */
  keda?: ClusterPrometheus;
}

export function aksManagedPrometheus(inputs: AksPrometheusInputs, ctx: CompileContext): AksPrometheus {
  const opts = { parent: ctx.parent };
  const { place, tags } = inputs;
  const workspace = new monitor.AzureMonitorWorkspace(`${ctx.name}-prometheus`, { resourceGroupName: place.resourceGroupName, location: place.location, tags }, opts);
  const endpoint = new monitor.DataCollectionEndpoint(
    `${ctx.name}-prometheus-dce`,
    { resourceGroupName: place.resourceGroupName, location: place.location, kind: "Linux", description: "Azure Monitor managed Prometheus ingestion for the cluster", tags },
    opts,
  );
  const destination = "MonitoringAccount1";
  const rule = new monitor.DataCollectionRule(
    `${ctx.name}-prometheus-dcr`,
    {
      resourceGroupName: place.resourceGroupName,
      location: place.location,
      kind: "Linux",
      dataCollectionEndpointId: endpoint.id,
      dataSources: { prometheusForwarder: [{ name: "PrometheusDataSource", streams: [AMA_METRICS.stream], labelIncludeFilter: {} }] },
      destinations: { monitoringAccounts: [{ name: destination, accountResourceId: workspace.id }] },
      dataFlows: [{ streams: [AMA_METRICS.stream], destinations: [destination] }],
      tags,
    },
    opts,
  );
  const association = new monitor.DataCollectionRuleAssociation(
    `${ctx.name}-prometheus-dcra`,
    { resourceUri: inputs.clusterId, associationName: "gpu-cluster-prometheus", dataCollectionRuleId: rule.id, description: "The cluster's Prometheus metrics into its Azure Monitor workspace" },
    opts,
  );
  if (!inputs.kedaQueries) return { workspace, endpoint, rule, association };

  const identity = new managedidentity.UserAssignedIdentity(`${ctx.name}-keda-identity`, { resourceGroupName: place.resourceGroupName, location: place.location, tags }, opts);
  const federation = new managedidentity.FederatedIdentityCredential(
    `${ctx.name}-keda-federation`,
    {
      resourceGroupName: place.resourceGroupName,
      resourceName: identity.name,
      issuer: inputs.oidcIssuerUrl,
      subject: `system:serviceaccount:${KEDA_OPERATOR_SERVICE_ACCOUNT.namespace}:${KEDA_OPERATOR_SERVICE_ACCOUNT.name}`,
      audiences: [TOKEN_EXCHANGE_AUDIENCE],
    },
    opts,
  );
  const reader = new authorization.RoleAssignment(
    `${ctx.name}-keda-reader`,
    {
      principalId: identity.principalId,
      principalType: "ServicePrincipal",
      roleDefinitionId: pulumi.interpolate`/subscriptions/${place.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${MONITORING_DATA_READER}`,
      scope: workspace.id,
    },
    opts,
  );
  const tenantId = authorization.getClientConfigOutput(opts).tenantId;
  const keda: ClusterPrometheus = {
    service: "Azure Monitor managed service for Prometheus",
    serverAddress: workspace.metrics.apply((m) => m.prometheusQueryEndpoint),
    metadata: {},
    podIdentity: { provider: "azure-workload" },
    // kedacore/charts keda/values.yaml podIdentity.azureWorkload (@1444d00): labels and annotates the operator's service account.
    kedaValues: { podIdentity: { azureWorkload: { enabled: true, clientId: identity.clientId, tenantId } } },
    dependsOn: [federation, reader],
  };
  return { workspace, endpoint, rule, association, keda };
}

/** The add-on's custom scrape jobs (one per cluster: kube-system, a fixed name), in the cluster. */
export function amaMetricsScrapeConfig(namespace: string, servesModels: boolean, ctx: CompileContext, provider: Provider, dependsOn: pulumi.Resource[]): ConfigMap {
  return new ConfigMap(
    `${ctx.name}-ama-metrics-config`,
    { metadata: { name: AMA_METRICS.configMap, namespace: AMA_METRICS.namespace }, data: { [AMA_METRICS.key]: scrapeConfigDocument(namespace, servesModels) } },
    { parent: ctx.parent, provider, dependsOn },
  );
}
