/**
 * Metrics into the cloud's managed Prometheus, and fleets scaling on vLLM's queue there.
 *
 * Sources (read 2026-11-30):
 * - AWS managed collector: https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-collector-how-to.html (two
 *   subnets in two zones, the cluster's security group; access entries created by AMP when the cluster's
 *   authentication mode is API; scrape interval at least 30 s, Kubernetes service discovery).
 * - The DCGM exporter's Service: NVIDIA/gpu-operator assets/state-dcgm-exporter/0400_service.yaml @a22dbf671
 *   (gpu-operator/nvidia-dcgm-exporter, port gpu-metrics 9400).
 * - KEDA's Prometheus scaler with AWS auth: kedacore/keda tests/scalers/aws/aws_managed_prometheus_pod_identity
 *   @8b4f083ca (TriggerAuthentication podIdentity.provider aws; trigger awsRegion and
 *   serverAddress https://aps-workspaces.<region>.amazonaws.com/workspaces/<id>); the chart's operator service account
 *   keda/keda-operator (kedacore/charts keda/values.yaml @1444d00).
 * - vLLM's metrics: https://docs.vllm.ai/en/stable/usage/metrics.html (`vllm:num_requests_waiting` at /metrics).
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { byName, ofType, one, privateEndpoint, run } from "./helpers/offline.js";
import { monthlySamples, scrapedSeries, scrapeJobs } from "../lib/clouds/kubernetes/metrics-policy.js";

const T = {
  workspace: "aws:amp/workspace:Workspace",
  scraper: "aws:amp/scraper:Scraper",
  podIdentity: "aws:eks/podIdentityAssociation:PodIdentityAssociation",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  scaledObject: "kubernetes:keda.sh/v1alpha1:ScaledObject",
  triggerAuth: "kubernetes:keda.sh/v1alpha1:TriggerAuthentication",
  hpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
  release: "kubernetes:helm.sh/v3:Release",
};

function eksFleet(name: string, eks: Record<string, unknown> = {}) {
  return () =>
    new gpu.InferenceFleet(name, privateEndpoint({ cloud: "aws", region: "us-east-1", orchestrator: "kubernetes", gpu: { model: "L40S" }, replicas: { min: 1, max: 4 }, aws: { eks } } as gpu.InferenceFleetArgs));
}

describe("the scrape jobs both managed collectors run", () => {
  it("keep the GPU Operator's DCGM exporter endpoints (port gpu-metrics), and a fleet's annotated pods in its namespace with namespace and pod labels", () => {
    const [dcgm, vllm] = scrapeJobs("llm", true) as Array<{ job_name: string; kubernetes_sd_configs: unknown[]; relabel_configs: Array<Record<string, unknown>> }>;
    expect(dcgm!.kubernetes_sd_configs).toEqual([{ role: "endpoints", namespaces: { names: ["gpu-operator"] } }]);
    expect(dcgm!.relabel_configs[0]).toEqual({ source_labels: ["__meta_kubernetes_service_name", "__meta_kubernetes_endpoint_port_name"], regex: "nvidia-dcgm-exporter;gpu-metrics", action: "keep" });
    expect(vllm!.kubernetes_sd_configs).toEqual([{ role: "pod", namespaces: { names: ["llm"] } }]);
    expect(vllm!.relabel_configs).toContainEqual({ source_labels: ["__meta_kubernetes_pod_annotation_prometheus_io_scrape"], regex: "true", action: "keep" });
    expect(vllm!.relabel_configs).toContainEqual({ source_labels: ["__meta_kubernetes_pod_name"], target_label: "pod" });
    expect(vllm!.relabel_configs).toContainEqual({ source_labels: ["__meta_kubernetes_namespace"], target_label: "namespace" });
    // The address rewrite, applied as Prometheus applies it (regex anchored, joined with ';').
    const rewrite = vllm!.relabel_configs.find((r) => r.target_label === "__address__")!;
    expect("10.0.3.7:8000;8000".replace(new RegExp(`^${rewrite.regex as string}$`), rewrite.replacement as string)).toBe("10.0.3.7:8000");
    expect("10.0.3.7;8000".replace(new RegExp(`^${rewrite.regex as string}$`), rewrite.replacement as string)).toBe("10.0.3.7:8000");
    expect(scrapeJobs("train", false).map((j) => j.job_name)).toEqual(["dcgm-exporter"]);
  });
});

describe("EKS: Amazon Managed Service for Prometheus", () => {
  it("a fleet: a workspace, a managed collector in the private subnets with the cluster security group, scraping DCGM and vLLM every 30 s", async () => {
    const result = await run(eksFleet("llm"));
    expect(result.error).toBeUndefined();
    const scraper = one(result, T.scraper).inputs;
    expect(scraper.source.eks.subnetIds).toHaveLength(2);
    expect(scraper.source.eks.securityGroupIds).toHaveLength(1);
    expect(scraper.destination.amp.workspaceArn).toBeDefined();
    const config = JSON.parse(scraper.scrapeConfiguration);
    expect(config.global).toEqual({ scrape_interval: "30s" });
    expect(config.scrape_configs.map((j: { job_name: string }) => j.job_name)).toEqual(["dcgm-exporter", "vllm"]);
    expect(config.scrape_configs[1].kubernetes_sd_configs[0].namespaces.names).toEqual(["llm"]);
    expect(one(result, T.workspace).inputs).toMatchObject({ alias: "llm" });
  });

  it("a fleet scales with KEDA on vLLM's waiting requests in the workspace, signed with the KEDA operator's own Pod Identity, read-only on that workspace", async () => {
    const result = await run(eksFleet("llm"));
    expect(ofType(result, T.hpa)).toHaveLength(0);
    const auth = one(result, T.triggerAuth).inputs;
    expect(auth).toMatchObject({ metadata: { name: "llm-prometheus", namespace: "llm" }, spec: { podIdentity: { provider: "aws" } } });
    const trigger = one(result, T.scaledObject).inputs.spec.triggers[0];
    expect(trigger).toMatchObject({ type: "prometheus", authenticationRef: { name: "llm-prometheus" } });
    expect(trigger.metadata).toMatchObject({ awsRegion: "us-east-1", query: 'sum(vllm:num_requests_waiting{namespace="llm",pod=~"llm-.*"})', threshold: "4" });
    expect(trigger.metadata.serverAddress).toMatch(/^https:\/\/aps-workspaces\.us-east-1\.amazonaws\.com\/workspaces\/[^/]+$/);
    const identity = byName(result, T.podIdentity, "llm-keda-identity").inputs;
    expect(identity).toMatchObject({ namespace: "keda", serviceAccount: "keda-operator" });
    const policy = JSON.parse(byName(result, T.rolePolicy, "llm-keda-policy").inputs.policy);
    expect(policy.Statement).toEqual([{ Effect: "Allow", Action: ["aps:QueryMetrics", "aps:GetSeries", "aps:GetLabels", "aps:GetMetricMetadata"], Resource: "arn:offline:aws:amp/workspace:Workspace:llm-prometheus" }]);
    expect(byName(result, T.release, "llm-keda").inputs).toMatchObject({ chart: "keda", namespace: "keda" });
    expect(result.costEvents[0]!.plan.notes).toContain("EKS: the fleet scales with KEDA on vLLM's waiting requests (vllm:num_requests_waiting, 4 per replica) in Amazon Managed Service for Prometheus, which scrapes its servers every 30 s.");
  });

  it("a training cluster: DCGM only, no KEDA identity", async () => {
    const result = await run(() => new gpu.TrainingCluster("t", privateEndpoint({ cloud: "aws", region: "us-east-1", orchestrator: "kubernetes", gpu: { instanceType: "p5.48xlarge", nodes: 2 } } as gpu.TrainingClusterArgs)));
    expect(result.error).toBeUndefined();
    expect(JSON.parse(one(result, T.scraper).inputs.scrapeConfiguration).scrape_configs.map((j: { job_name: string }) => j.job_name)).toEqual(["dcgm-exporter"]);
    expect(ofType(result, T.podIdentity).filter((r) => r.name.endsWith("keda-identity"))).toHaveLength(0);
  });

  it("opted out (aws.eks.managedPrometheus false): no workspace, no collector, and the fleet keeps the CPU HPA", async () => {
    const result = await run(eksFleet("cpu", { managedPrometheus: false }));
    expect(result.error).toBeUndefined();
    expect(ofType(result, T.workspace)).toHaveLength(0);
    expect(ofType(result, T.scraper)).toHaveLength(0);
    expect(one(result, T.hpa).inputs.spec.metrics[0].resource.name).toBe("cpu");
    expect(result.costEvents[0]!.estimate.notes.filter((n) => n.startsWith("not priced:")).join("\n")).not.toContain("Prometheus");
    expect(result.costEvents[0]!.estimate.lines.map((l) => l.description).join("\n")).not.toContain("Prometheus");
    expect(result.costEvents[0]!.plan.notes.find((n) => n.startsWith("EKS: the fleet scales"))).toMatch(/^EKS: the fleet scales on CPU \(60% of requests\), which a GPU-bound server barely moves: no managed Prometheus is known for this cluster; give keda.prometheusUrl/);
  });

  it("the bill names the workspace and collector with the volume they ingest (not priced: no dated per-sample figure)", async () => {
    const result = await run(eksFleet("llm"));
    // The estimate's node count is replicas.min (1) of a 1-GPU L40S node: 27 DCGM series + 400 vLLM series = 427
    // series, every 30 s for 730 h: 427 × 87,600 = 37,405,200 samples a month. At max (4): 1,708 series, 149,620,800.
    expect(scrapedSeries(1, 1)).toBe(427);
    expect(monthlySamples(427)).toBe(37_405_200);
    expect(monthlySamples(scrapedSeries(4, 4))).toBe(149_620_800);
    const notes = result.costEvents[0]!.estimate.notes.join("\n");
    expect(notes).toContain("not priced: Amazon Managed Service for Prometheus workspace (samples ingested and stored) and its AWS managed collector");
    expect(notes).toContain("37,405,200 samples a month (427 series every 30 s: 1 GPUs × 27 DCGM fields + 1 vLLM servers × 400 (assumed))");
    expect(notes).toContain("https://aws.amazon.com/prometheus/pricing/");
    // Why it stays unpriced, with what was searched: infracost at 95ba4f4 (2026-08-21) has no AMP resource.
    expect(notes).toContain("no dated first-party capture of its rates (https://aws.amazon.com/prometheus/pricing/, undated) was found (searched 2026-11-30; lib/cost/bom/managed-prometheus.ts lists where)");
  });
});

/**
 * AKS: Azure Monitor managed service for Prometheus. Sources (read 2026-11-30):
 * https://learn.microsoft.com/azure/azure-monitor/containers/kubernetes-monitoring-enable (workspace, DCE, DCR with a
 * prometheusForwarder source of Microsoft-PrometheusMetrics into monitoringAccounts, DCRA on the cluster,
 * azureMonitorProfile.metrics); https://learn.microsoft.com/azure/azure-monitor/containers/prometheus-metrics-scrape-configuration
 * (ConfigMap ama-metrics-prometheus-config, key prometheus-config, in kube-system); KEDA's azure-workload auth
 * (kedacore/keda pkg/scalers/azure/azure_managed_prometheus_http_round_tripper.go @8b4f083ca) and chart values
 * podIdentity.azureWorkload (kedacore/charts keda/values.yaml @1444d00); Entra workload identity federation
 * (https://learn.microsoft.com/azure/aks/workload-identity-overview: subject system:serviceaccount:<ns>:<sa>, audience
 * api://AzureADTokenExchange); built-in role Monitoring Data Reader b0d8363b-8ddd-447d-831f-62ca05bff136.
 */
const A = {
  cluster: "azure-native:containerservice:ManagedCluster",
  workspace: "azure-native:monitor:AzureMonitorWorkspace",
  dce: "azure-native:monitor:DataCollectionEndpoint",
  dcr: "azure-native:monitor:DataCollectionRule",
  dcra: "azure-native:monitor:DataCollectionRuleAssociation",
  federation: "azure-native:managedidentity:FederatedIdentityCredential",
  role: "azure-native:authorization:RoleAssignment",
  configMap: "kubernetes:core/v1:ConfigMap",
};

function aksFleet(name: string, aks: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return () =>
    new gpu.InferenceFleet(
      name,
      privateEndpoint({ cloud: "azure", region: "eastus", orchestrator: "kubernetes", gpu: { instanceType: "Standard_NC40ads_H100_v5" }, replicas: { min: 1, max: 3 }, azure: { aks }, ...extra } as gpu.InferenceFleetArgs),
    );
}

describe("AKS: Azure Monitor managed service for Prometheus", () => {
  it("a workspace, a DCE and a DCR forwarding Microsoft-PrometheusMetrics to it, associated with the cluster, whose metrics add-on is on", async () => {
    const result = await run(aksFleet("az"));
    expect(result.error).toBeUndefined();
    expect(one(result, A.cluster).inputs.azureMonitorProfile).toEqual({ metrics: { enabled: true } });
    expect(one(result, A.dce).inputs.kind).toBe("Linux");
    const dcr = one(result, A.dcr).inputs;
    expect(dcr.dataSources).toEqual({ prometheusForwarder: [{ name: "PrometheusDataSource", streams: ["Microsoft-PrometheusMetrics"], labelIncludeFilter: {} }] });
    expect(dcr.destinations.monitoringAccounts).toEqual([{ name: "MonitoringAccount1", accountResourceId: expect.stringContaining("az-prometheus") }]);
    expect(dcr.dataFlows).toEqual([{ streams: ["Microsoft-PrometheusMetrics"], destinations: ["MonitoringAccount1"] }]);
    expect(one(result, A.dcra).inputs.resourceUri).toContain("az-aks");
    expect(one(result, A.workspace).inputs.location).toBe("eastus");
  });

  it("the add-on scrapes DCGM and the fleet's servers from its custom ConfigMap in kube-system", async () => {
    const result = await run(aksFleet("az"));
    const cm = ofType(result, A.configMap).find((c) => c.inputs.metadata.name === "ama-metrics-prometheus-config")!;
    expect(cm.inputs.metadata.namespace).toBe("kube-system");
    const config = JSON.parse(cm.inputs.data["prometheus-config"]);
    expect(config.scrape_configs.map((j: { job_name: string }) => j.job_name)).toEqual(["dcgm-exporter", "vllm"]);
    expect(config.scrape_configs[1].kubernetes_sd_configs).toEqual([{ role: "pod", namespaces: { names: ["az"] } }]);
  });

  it("the fleet scales with KEDA on vLLM's queue in the workspace, as the KEDA operator's own workload identity, which may only read that workspace", async () => {
    const result = await run(aksFleet("az"));
    const cluster = one(result, A.cluster).inputs;
    expect(cluster.oidcIssuerProfile).toEqual({ enabled: true });
    expect(cluster.securityProfile).toMatchObject({ workloadIdentity: { enabled: true } });
    expect(one(result, A.federation).inputs).toMatchObject({ subject: "system:serviceaccount:keda:keda-operator", audiences: ["api://AzureADTokenExchange"] });
    const reader = byName(result, A.role, "az-keda-reader").inputs;
    expect(reader.roleDefinitionId).toMatch(/\/roleDefinitions\/b0d8363b-8ddd-447d-831f-62ca05bff136$/);
    expect(reader.scope).toContain("az-prometheus");
    expect(one(result, T.triggerAuth).inputs.spec).toEqual({ podIdentity: { provider: "azure-workload" } });
    const trigger = one(result, T.scaledObject).inputs.spec.triggers[0];
    expect(trigger).toMatchObject({ type: "prometheus", authenticationRef: { name: "az-prometheus" } });
    expect(trigger.metadata.query).toBe('sum(vllm:num_requests_waiting{namespace="az",pod=~"az-.*"})');
    expect(byName(result, T.release, "az-keda").inputs.values.podIdentity.azureWorkload).toMatchObject({ enabled: true });
    expect(ofType(result, T.hpa)).toHaveLength(0);
    expect(result.costEvents[0]!.plan.notes).toContain("AKS: the fleet scales with KEDA on vLLM's waiting requests (vllm:num_requests_waiting, 4 per replica) in Azure Monitor managed service for Prometheus, which scrapes its servers every 30 s.");
  });

  it("a training cluster: the add-on and DCGM scraping, no KEDA identity, no workload identity", async () => {
    const result = await run(() => new gpu.TrainingCluster("azt", privateEndpoint({ cloud: "azure", region: "eastus", orchestrator: "kubernetes", gpu: { instanceType: "Standard_ND96isr_H100_v5", nodes: 2 } } as gpu.TrainingClusterArgs)));
    expect(result.error).toBeUndefined();
    expect(one(result, A.cluster).inputs.azureMonitorProfile).toEqual({ metrics: { enabled: true } });
    expect(one(result, A.cluster).inputs.oidcIssuerProfile).toBeUndefined();
    expect(ofType(result, A.federation)).toHaveLength(0);
    const cm = ofType(result, A.configMap).find((c) => c.inputs.metadata.name === "ama-metrics-prometheus-config")!;
    expect(JSON.parse(cm.inputs.data["prometheus-config"]).scrape_configs.map((j: { job_name: string }) => j.job_name)).toEqual(["dcgm-exporter"]);
    // 2 nodes × 8 GPUs × 27 DCGM fields = 432 series, × 87,600 scrapes a month = 37,843,200 samples, at $0.16 per 10M
    // (West Europe's Azure Retail Prices figure in infracost's golden at e9ce629, 2024-07-01): 3.78432 × $0.16 = $0.61.
    const line = result.costEvents[0]!.estimate.lines.find((l) => l.description.startsWith("Azure Monitor managed Prometheus"))!;
    expect(line.description).toBe("Azure Monitor managed Prometheus, samples ingested (432 series every 30 s: 16 GPUs × 27 DCGM fields), 730 h");
    expect(line).toMatchObject({ quantity: 3.78432, unit: "10M samples", unitPriceUsd: 0.16, monthlyUsd: 0.61, asOf: "2024-07-01" });
    expect(result.costEvents[0]!.estimate.notes.join("\n")).toContain("metric samples ingested: westeurope list prices (lib/catalog/data/fees.ts), applied to eastus");
  });

  it("opted out, or without internet egress: none of it, and the fleet keeps the CPU HPA; asking for it without egress is refused", async () => {
    const result = await run(aksFleet("off", { managedPrometheus: false }));
    expect(result.error).toBeUndefined();
    expect(ofType(result, A.workspace)).toHaveLength(0);
    expect(one(result, A.cluster).inputs.azureMonitorProfile).toBeUndefined();
    expect(ofType(result, T.hpa)).toHaveLength(1);
    const refused = await run(aksFleet("gap", { managedPrometheus: true }, { egress: { natGateway: false } }));
    expect(String(refused.error)).toContain("azure.aks.managedPrometheus");
  });
});

/**
 * GKE: Managed Service for Prometheus (already scraping DCGM and the fleet's PodMonitoring). Sources (read 2026-11-30):
 * https://cloud.google.com/stackdriver/docs/managed-prometheus/query-api-ui (query endpoint
 * https://monitoring.googleapis.com/v1/projects/PROJECT_ID/location/global/prometheus);
 * https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity (principal://…/subject/ns/NS/sa/KSA);
 * KEDA's gcp pod identity (kedacore/keda pkg/scalers/prometheus_scaler.go @8b4f083ca, gcp.GcpScopeMonitoringRead).
 */
describe("GKE: KEDA on Managed Service for Prometheus", () => {
  const gke = (name: string, keda?: Record<string, unknown>) =>
    run(() => new gpu.InferenceFleet(name, privateEndpoint({ cloud: "gcp", region: "us-central1", orchestrator: "kubernetes", gpu: { model: "L4" }, replicas: { min: 1, max: 2 }, ...(keda ? { gcp: { gke: { keda } } } : {}) } as gpu.InferenceFleetArgs)));

  it("the fleet scales with KEDA on vLLM's queue at the project's Prometheus endpoint, as the KEDA operator's Workload Identity with monitoring.viewer; the Monitoring API is on", async () => {
    const result = await gke("g");
    expect(result.error).toBeUndefined();
    expect(ofType(result, T.hpa)).toHaveLength(0);
    const grant = byName(result, "gcp:projects/iAMMember:IAMMember", "g-keda-monitoring").inputs;
    expect(grant.role).toBe("roles/monitoring.viewer");
    expect(grant.member).toMatch(/^principal:\/\/iam\.googleapis\.com\/projects\/[^/]+\/locations\/global\/workloadIdentityPools\/[^/]+\.svc\.id\.goog\/subject\/ns\/keda\/sa\/keda-operator$/);
    expect(one(result, T.triggerAuth).inputs.spec).toEqual({ podIdentity: { provider: "gcp" } });
    const trigger = one(result, T.scaledObject).inputs.spec.triggers[0];
    expect(trigger.metadata.serverAddress).toMatch(/^https:\/\/monitoring\.googleapis\.com\/v1\/projects\/[^/]+\/location\/global\/prometheus$/);
    expect(trigger.metadata.query).toBe('sum(vllm:num_requests_waiting{namespace="g",pod=~"g-.*"})');
    expect(ofType(result, "gcp:projects/service:Service").map((s) => s.inputs.service)).toContain("monitoring.googleapis.com");
    expect(result.costEvents[0]!.plan.notes).toContain("GKE: the fleet scales with KEDA on vLLM's waiting requests (vllm:num_requests_waiting, 4 per replica) in Google Cloud Managed Service for Prometheus, which scrapes its servers every 30 s.");
  });

  it("the bill names Managed Service for Prometheus with the volume GKE's DCGM package and the PodMonitoring send (not priced: no current dated per-sample figure)", async () => {
    const result = await gke("m");
    // replicas.min 1 × a 1-GPU L4 node: 27 + 400 = 427 series, × 87,600 scrapes a month = 37,405,200 samples.
    const notes = result.costEvents[0]!.estimate.notes.join("\n");
    expect(notes).toContain("not priced: Google Cloud Managed Service for Prometheus (samples ingested: GKE's DCGM metrics package, counted as DCGM's 27 default fields per GPU, and the fleet's PodMonitoring): 37,405,200 samples a month (427 series every 30 s: 1 GPUs × 27 DCGM fields + 1 vLLM servers × 400 (assumed))");
    expect(notes).toContain("no dated first-party capture of its rates (https://cloud.google.com/stackdriver/pricing, undated) was found");
    // The cluster it bills is the one built with Managed Prometheus and DCGM on.
    expect(one(result, "gcp:container/cluster:Cluster").inputs.monitoringConfig).toEqual({ enableComponents: ["SYSTEM_COMPONENTS", "DCGM"], managedPrometheus: { enabled: true } });
  });

  it("with keda: the given Prometheus, no identity", async () => {
    const given = await gke("k", { prometheusUrl: "http://prometheus.monitoring:9090", threshold: 8 });
    expect(given.error).toBeUndefined();
    expect(ofType(given, T.triggerAuth)).toHaveLength(0);
    expect(ofType(given, "gcp:projects/iAMMember:IAMMember").filter((m) => m.name.endsWith("keda-monitoring"))).toHaveLength(0);
    expect(given.costEvents[0]!.plan.notes).toContain("GKE: the fleet scales with KEDA on vLLM's waiting requests (vllm:num_requests_waiting, 8 per replica) in the Prometheus at http://prometheus.monitoring:9090.");
  });
});
