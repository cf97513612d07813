/**
 * A GKE fleet's KEDA queries the cluster's Managed Service for Prometheus (on for a cluster the component creates:
 * kubernetes/metrics.ts GKE_MONITORING_CONFIG, with a PodMonitoring of the fleet's servers) as the KEDA operator's own
 * Kubernetes service account, through Workload Identity Federation for GKE: the principal of `keda/keda-operator` gets
 * roles/monitoring.viewer (read metrics; Cloud Monitoring grants no narrower scope than the project), and KEDA's `gcp`
 * pod identity reads Google credentials from the GKE metadata server.
 *
 * Sources (read 2026-11-30): the query endpoint
 * https://cloud.google.com/stackdriver/docs/managed-prometheus/query-api-ui (`https://monitoring.googleapis.com/v1/projects/PROJECT_ID/location/global/prometheus`);
 * principals of Kubernetes service accounts https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity;
 * KEDA's gcp transport with the monitoring.read scope (kedacore/keda pkg/scalers/prometheus_scaler.go @8b4f083ca).
 */
import * as pulumi from "@pulumi/pulumi";
import * as organizations from "@pulumi/gcp/organizations";
import * as projects from "@pulumi/gcp/projects";
import { KEDA_OPERATOR_SERVICE_ACCOUNT, type ClusterPrometheus } from "../../kubernetes/cluster-prometheus.js";
import type { CompileContext } from "../../types.js";
import { afterApis } from "../apis.js";

/** The role KEDA's operator queries with: read Cloud Monitoring (and Managed Prometheus) data. */
export const MONITORING_VIEWER = "roles/monitoring.viewer";

export function gkeKedaPrometheus(ctx: CompileContext): ClusterPrometheus {
  const opts = { parent: ctx.parent };
  const project = organizations.getProjectOutput({}, afterApis(ctx, opts, "resourcemanager"));
  const projectId = project.apply((p) => p.projectId ?? "");
  const { namespace, name } = KEDA_OPERATOR_SERVICE_ACCOUNT;
  const member = pulumi.interpolate`principal://iam.googleapis.com/projects/${project.number}/locations/global/workloadIdentityPools/${projectId}.svc.id.goog/subject/ns/${namespace}/sa/${name}`;
  const grant = new projects.IAMMember(`${ctx.name}-keda-monitoring`, { project: projectId, role: MONITORING_VIEWER, member }, afterApis(ctx, opts, "resourcemanager", "monitoring"));
  return {
    service: "Google Cloud Managed Service for Prometheus",
    serverAddress: pulumi.interpolate`https://monitoring.googleapis.com/v1/projects/${projectId}/location/global/prometheus`,
    metadata: {},
    podIdentity: { provider: "gcp" },
    dependsOn: [grant],
  };
}
