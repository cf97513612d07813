/**
 * Amazon Managed Service for Prometheus for a cluster the component creates: a workspace, and an AWS managed collector
 * (agentless scraper) that scrapes the GPU Operator's DCGM exporter and a fleet's vLLM servers into it
 * (kubernetes/metrics.ts scrapeJobs), and, for a fleet, the KEDA operator's query identity.
 *
 * Checked against https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-collector-how-to.html (read 2026-11-30):
 * - the scraper's ENIs go in at least two subnets in two zones with the cluster's security group (the private subnets,
 *   and the EKS cluster security group every node carries); the cluster endpoint has private access and the VPC DNS;
 * - access: with the cluster's authentication mode `API` (cluster.ts), AMP creates the scraper's access entry and its
 *   policy itself (get/list/watch on nodes, pods, services, endpoints; get /metrics), so no aws-auth mapping or
 *   ClusterRole is built here;
 * - scrape configuration: Kubernetes service discovery, interval at least 30 s, no names but the API server's.
 * The workspace is encrypted at rest with an AWS owned key (AMP's default; a customer managed key would add a key fee).
 *
 * KEDA queries the workspace as its operator's own AWS identity (TriggerAuthentication `podIdentity.provider: aws`):
 * an EKS Pod Identity association of `keda/keda-operator` with a role that may only read this workspace
 * (aps:QueryMetrics, GetSeries, GetLabels, GetMetricMetadata: the actions of the AmazonPrometheusQueryAccess managed
 * policy, scoped to the workspace).
 */
import * as pulumi from "@pulumi/pulumi";
import * as amp from "@pulumi/aws/amp";
import * as eks from "@pulumi/aws/eks";
import * as iam from "@pulumi/aws/iam";
import { KEDA_OPERATOR_SERVICE_ACCOUNT, type ClusterPrometheus } from "../../kubernetes/cluster-prometheus.js";
import { scrapeConfigDocument } from "../../kubernetes/metrics-policy.js";
import type { CompileContext } from "../../types.js";
import { POD_IDENTITY_TRUST } from "./addons.js";

/** The read-only query actions (AmazonPrometheusQueryAccess's, https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonPrometheusQueryAccess.html). */
export const AMP_QUERY_ACTIONS = ["aps:QueryMetrics", "aps:GetSeries", "aps:GetLabels", "aps:GetMetricMetadata"];

export interface EksPrometheusInputs {
  clusterName: pulumi.Input<string>;
  clusterArn: pulumi.Input<string>;
  region: string;
  /** The private subnets (two zones). */
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** The EKS cluster security group. */
  securityGroupId: pulumi.Input<string>;
  /** The component's namespace (its fleet's servers are scraped there). */
  namespace: string;
  /** A fleet: scrape its servers. */
  servesModels: boolean;
  /** A fleet scaling on this Prometheus (no `keda` of its own): give KEDA its query identity. */
  kedaQueries: boolean;
  tags: Record<string, string>;
  /** What the scraper waits for (the cluster). */
  dependsOn: pulumi.Resource[];
}

export interface EksPrometheus {
  workspace: amp.Workspace;
  scraper: amp.Scraper;
  /** A fleet's: what KEDA queries with (recorded for the target). */
  keda?: ClusterPrometheus;
}

export function eksManagedPrometheus(inputs: EksPrometheusInputs, ctx: CompileContext): EksPrometheus {
  const opts = { parent: ctx.parent };
  const workspace = new amp.Workspace(`${ctx.name}-prometheus`, { alias: ctx.name, tags: inputs.tags }, opts);
  const scraper = new amp.Scraper(
    `${ctx.name}-scraper`,
    {
      alias: ctx.name,
      source: { eks: { clusterArn: inputs.clusterArn, subnetIds: inputs.subnetIds, securityGroupIds: [inputs.securityGroupId] } },
      destination: { amp: { workspaceArn: workspace.arn } },
      scrapeConfiguration: scrapeConfigDocument(inputs.namespace, inputs.servesModels),
      tags: inputs.tags,
    },
    { ...opts, dependsOn: inputs.dependsOn },
  );
  if (!inputs.kedaQueries) return { workspace, scraper };

  const role = new iam.Role(`${ctx.name}-keda-role`, { assumeRolePolicy: POD_IDENTITY_TRUST, tags: inputs.tags }, opts);
  const grant = new iam.RolePolicy(
    `${ctx.name}-keda-policy`,
    { role: role.id, policy: workspace.arn.apply((arn) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: AMP_QUERY_ACTIONS, Resource: arn }] })) },
    opts,
  );
  const association = new eks.PodIdentityAssociation(
    `${ctx.name}-keda-identity`,
    { clusterName: inputs.clusterName, namespace: KEDA_OPERATOR_SERVICE_ACCOUNT.namespace, serviceAccount: KEDA_OPERATOR_SERVICE_ACCOUNT.name, roleArn: role.arn, tags: inputs.tags },
    { ...opts, dependsOn: [grant] },
  );
  const keda: ClusterPrometheus = {
    service: "Amazon Managed Service for Prometheus",
    // KEDA's own test addresses the workspace this way (no trailing slash: KEDA appends /api/v1/query).
    serverAddress: pulumi.interpolate`https://aps-workspaces.${inputs.region}.amazonaws.com/workspaces/${workspace.id}`,
    metadata: { awsRegion: inputs.region },
    podIdentity: { provider: "aws" },
    dependsOn: [grant, association],
  };
  return { workspace, scraper, keda };
}
