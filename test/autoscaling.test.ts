import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { ofType, one, run, runRecording, privateEndpoint } from "./helpers/offline.js";

const K = {
  hpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
  scaledObject: "kubernetes:keda.sh/v1alpha1:ScaledObject",
  release: "kubernetes:helm.sh/v3:Release",
  deployment: "kubernetes:apps/v1:Deployment",
};

const PROMETHEUS = "http://prometheus.monitoring:9090";

function coreweaveFleet(name: string, replicas: { min: number; max: number }, coreweave: Record<string, unknown> = {}) {
  return () => new gpu.InferenceFleet(name, privateEndpoint({ cloud: "coreweave", region: "US-EAST-04", gpu: { model: "L40S" }, replicas, coreweave } as gpu.InferenceFleetArgs));
}

describe("inference autoscaling on Kubernetes", () => {
  it("scales on CPU with a HorizontalPodAutoscaler by default", async () => {
    const result = await run(coreweaveFleet("cpu", { min: 2, max: 6 }));
    expect(result.error).toBeUndefined();
    expect(one(result, K.hpa).inputs.spec).toMatchObject({ minReplicas: 2, maxReplicas: 6, metrics: [{ resource: { name: "cpu", target: { averageUtilization: 60 } } }] });
    expect(ofType(result, K.scaledObject)).toHaveLength(0);
  });

  it("creates the Deployment at replicas.min, then leaves the count to the autoscaler (an update never resets a scaled fleet)", async () => {
    const { result, registrations } = await runRecording(coreweaveFleet("owned", { min: 3, max: 6 }));
    expect(result.error).toBeUndefined();
    expect(one(result, K.deployment).inputs.spec.replicas).toBe(3);
    expect(registrations.get("owned-server")!.ignoreChanges).toEqual(["spec.replicas"]);
  });

  it("with keda: installs the pinned KEDA chart, then a ScaledObject on vLLM's waiting requests between min and max, and no HPA", async () => {
    const { result, registrations } = await runRecording(coreweaveFleet("llm", { min: 1, max: 8 }, { keda: { prometheusUrl: PROMETHEUS } }));
    expect(result.error).toBeUndefined();
    expect(ofType(result, K.hpa)).toHaveLength(0);
    const release = one(result, K.release);
    expect(release.inputs).toMatchObject({ chart: "keda", version: "2.21.1", namespace: "keda", repositoryOpts: { repo: "https://kedacore.github.io/charts" } });
    const scaler = one(result, K.scaledObject);
    expect(scaler.inputs.spec).toMatchObject({
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "llm" },
      minReplicaCount: 1,
      maxReplicaCount: 8,
      triggers: [
        {
          type: "prometheus",
          metadata: { serverAddress: PROMETHEUS, query: 'sum(vllm:num_requests_waiting{namespace="llm",pod=~"llm-.*"})', threshold: "4", activationThreshold: "0" },
        },
      ],
    });
    // The ScaledObject kind exists once the chart's CRDs do.
    expect(registrations.get("llm-scaler")!.dependencies).toEqual(expect.arrayContaining([release.urn, one(result, K.deployment).urn]));
  });

  it("keda scales a fleet to zero (EKS); without it replicas.min 0 is refused before anything is created", async () => {
    const eksFleet = (name: string, eks: Record<string, unknown>) => () =>
      new gpu.InferenceFleet(name, privateEndpoint({ cloud: "aws", region: "us-east-1", orchestrator: "kubernetes", gpu: { model: "L4" }, replicas: { min: 0, max: 4 }, aws: { eks } } as gpu.InferenceFleetArgs));
    const zero = await run(eksFleet("zero", { keda: { prometheusUrl: PROMETHEUS, query: "sum(rate(http_requests_total[2m]))", threshold: 10, install: false } }));
    expect(zero.error).toBeUndefined();
    expect(one(zero, K.scaledObject).inputs.spec).toMatchObject({ minReplicaCount: 0, triggers: [{ metadata: { query: "sum(rate(http_requests_total[2m]))", threshold: "10" } }] });
    expect(ofType(zero, K.release).map((r) => r.inputs.chart)).not.toContain("keda");
    // At zero the default query (the servers' own metrics) has nothing to read: a query that exists at zero is required.
    const asleep = await run(eksFleet("asleep", { keda: { prometheusUrl: PROMETHEUS } }));
    expect(asleep.error).toMatchObject({ name: "SpecError", path: "aws.eks.keda.query" });
    const refused = await run(eksFleet("hpa-zero", {}));
    expect(refused.error).toMatchObject({ name: "SpecError", path: "replicas.min" });
    expect((refused.error as Error).message).toMatch(/keda/);
    expect(refused.resources).toEqual([]);
  });

  it("rejects bad KEDA options with the field named", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ keda: {} }, "coreweave.keda.prometheusUrl"],
      [{ keda: { prometheusUrl: "prometheus:9090" } }, "coreweave.keda.prometheusUrl"],
      [{ keda: { prometheusUrl: PROMETHEUS, threshold: 0 } }, "coreweave.keda.threshold"],
      [{ keda: { prometheusUrl: PROMETHEUS, treshold: 3 } }, "coreweave.keda.treshold"],
    ];
    for (const [options, path] of cases) {
      const result = await run(coreweaveFleet("bad", { min: 1, max: 2 }, options));
      expect(result.error, path).toMatchObject({ name: "SpecError", path });
    }
    const training = await run(
      () => new gpu.TrainingCluster("t", privateEndpoint({ cloud: "coreweave", region: "US-EAST-04", gpu: { instanceType: "gd-8xh100ib-i128", nodes: 2 }, coreweave: { keda: { prometheusUrl: PROMETHEUS } } } as gpu.TrainingClusterArgs)),
    );
    expect(training.error).toMatchObject({ name: "SpecError", path: "coreweave.keda" });
  });

  it("works the same on a managed cluster (GKE): the release through the cluster's provider, after the GPU pool", async () => {
    const { result, registrations } = await runRecording(
      () => new gpu.InferenceFleet("gke-llm", privateEndpoint({ cloud: "gcp", region: "us-central1", orchestrator: "kubernetes", gpu: { model: "L4" }, replicas: { min: 1, max: 3 }, gcp: { gke: { keda: { prometheusUrl: PROMETHEUS } } } } as gpu.InferenceFleetArgs)),
    );
    expect(result.error).toBeUndefined();
    const pool = result.resources.find((r) => r.name === "gke-llm-gpu-nodes")!;
    expect(registrations.get("gke-llm-keda")!.dependencies).toContain(pool.urn);
    expect(registrations.get("gke-llm-keda")!.provider).toMatch(/pulumi:providers:kubernetes::gke-llm-k8s::/);
    expect(one(result, K.scaledObject).inputs.spec.maxReplicaCount).toBe(3);
  });

  it("on a shared cluster whose add-ons run already, KEDA is not installed again unless asked", async () => {
    const shared = (name: string, keda: Record<string, unknown>) => () =>
      new gpu.InferenceFleet(name, privateEndpoint({
        cloud: "gcp",
        region: "us-central1",
        orchestrator: "kubernetes",
        gpu: { model: "L4" },
        replicas: { min: 1, max: 3 },
        gcp: { gke: { clusterName: "shared", installClusterAddons: false, keda: { prometheusUrl: PROMETHEUS, ...keda } } },
      } as gpu.InferenceFleetArgs));
    const skipped = await run(shared("second", {}));
    expect(skipped.error).toBeUndefined();
    expect(ofType(skipped, K.release)).toHaveLength(0);
    expect(ofType(skipped, K.scaledObject)).toHaveLength(1);
    const asked = await run(shared("asked", { install: true }));
    expect(ofType(asked, K.release).map((r) => r.inputs.chart)).toEqual(["keda"]);
  });
});

describe("inference scale-out pace on Kubernetes", () => {
  const pace = {
    scaleUp: {
      stabilizationWindowSeconds: 0,
      selectPolicy: "Max",
      policies: [
        { type: "Percent", value: 100, periodSeconds: 900 },
        { type: "Pods", value: 1, periodSeconds: 900 },
      ],
    },
    scaleDown: { stabilizationWindowSeconds: 900 },
  };

  it("the HPA and the KEDA ScaledObject at most double the fleet per 15-minute warm-up, and scale in after 15 quiet minutes", async () => {
    const hpa = await run(coreweaveFleet("paced", { min: 1, max: 8 }));
    expect(one(hpa, K.hpa).inputs.spec.behavior).toEqual(pace);
    const keda = await run(coreweaveFleet("paced-keda", { min: 1, max: 8 }, { keda: { prometheusUrl: PROMETHEUS, install: false } }));
    expect(one(keda, K.scaledObject).inputs.spec.advanced.horizontalPodAutoscalerConfig.behavior).toEqual(pace);
  });
});
