/**
 * The cluster's managed Prometheus, as the fleet's autoscaler reads it: where KEDA's Prometheus scaler queries, and the
 * workload identity it queries with. The cloud's infrastructure module builds the Prometheus and the identity and
 * records them here for its compile (keyed by the compile's context); the cloud's target hands them to the shared
 * workload. Absent where no Prometheus is known: the fleet then keeps the CPU HorizontalPodAutoscaler.
 *
 * KEDA's Prometheus scaler and its auth (kedacore/keda pkg/scalers/prometheus_scaler.go @8b4f083ca, 2026-08-20):
 * `podIdentity.provider` `aws` signs queries with SigV4 (`awsRegion` in the trigger; tests/scalers/aws/
 * aws_managed_prometheus_pod_identity), `azure-workload` gets an Entra token for https://prometheus.monitor.azure.com
 * (pkg/scalers/azure/azure_managed_prometheus_http_round_tripper.go), `gcp` a Google token with monitoring.read
 * (pkg/scalers/gcp). https://keda.sh/docs/latest/scalers/prometheus/ (read 2026-11-30).
 */
import type * as pulumi from "@pulumi/pulumi";
import type { CompileContext } from "../types.js";

export interface ClusterPrometheus {
  /** What the plan note calls it, e.g. "Amazon Managed Service for Prometheus". */
  service: string;
  /** The query endpoint (KEDA's `serverAddress`; KEDA appends `/api/v1/query`). */
  serverAddress: pulumi.Input<string>;
  /** Trigger metadata the auth needs beyond serverAddress, query and thresholds (AWS: `awsRegion`). */
  metadata: Record<string, pulumi.Input<string>>;
  /** The TriggerAuthentication's `spec.podIdentity`: KEDA's operator queries as its own workload identity. */
  podIdentity: { provider: "aws" | "azure-workload" | "gcp"; identityId?: pulumi.Input<string> };
  /** Values the KEDA chart needs for that identity (Azure: the operator's workload identity). Default none. */
  kedaValues?: Record<string, unknown>;
  /** What KEDA's release waits for: the identity its operator pod must start with. */
  dependsOn: pulumi.Resource[];
}

const RECORDED = new WeakMap<CompileContext, ClusterPrometheus>();

/** Record the cluster's Prometheus for this compile (the infrastructure module, once). */
export function recordClusterPrometheus(ctx: CompileContext, prometheus: ClusterPrometheus): void {
  RECORDED.set(ctx, prometheus);
}

/** The cluster's Prometheus recorded for this compile, if any (the cloud's target). */
export function clusterPrometheus(ctx: CompileContext): ClusterPrometheus | undefined {
  return RECORDED.get(ctx);
}

/** The KEDA operator's service account, as the KEDA chart names it (its identity is the one that queries). */
export const KEDA_OPERATOR_SERVICE_ACCOUNT = { namespace: "keda", name: "keda-operator" };
