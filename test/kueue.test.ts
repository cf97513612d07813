import { createHash } from "node:crypto";
/**
 * Kueue configured on every cloud × Kubernetes: the Topology, ResourceFlavor, ClusterQueue and LocalQueue of the
 * component, the queued Job, the controller configuration. Sources: Kueue v0.14.3 (kubernetes-sigs/kueue @ v0.14.3,
 * read 2026-11-30) site/static/examples/tas/sample-gpu-queues.yaml (the object shapes) and
 * site/content/en/docs/tasks/manage/setup_wait_for_pods_ready.md (waitForPodsReady); EC2 instance topology
 * prerequisites (the instance types with network-node labels); GKE TAS (A3 Ultra / A4 labels); CoreWeave's
 * InfiniBand and RoCE labels (lib/clouds/kubernetes/kueue.ts names each URL).
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { byName, ofType, privateEndpoint, run, runRecording } from "./helpers/offline.js";
import { KUEUE_DEFAULTS, kueueChartValues } from "../lib/clouds/kubernetes/kueue.js";
import { Job } from "kubernetes-models/batch/v1";

const K = {
  topology: "kubernetes:kueue.x-k8s.io/v1beta1:Topology",
  flavor: "kubernetes:kueue.x-k8s.io/v1beta1:ResourceFlavor",
  clusterQueue: "kubernetes:kueue.x-k8s.io/v1beta1:ClusterQueue",
  localQueue: "kubernetes:kueue.x-k8s.io/v1beta1:LocalQueue",
  job: "kubernetes:batch/v1:Job",
  release: "kubernetes:helm.sh/v3:Release",
};

const BAG: Record<string, (o: object) => object> = {
  aws: (o) => ({ aws: { eks: o } }),
  gcp: (o) => ({ gcp: { gke: o } }),
  azure: (o) => ({ azure: { aks: o } }),
  coreweave: (o) => ({ coreweave: o }),
};

function training(name: string, cloud: string, region: string, instanceType: string, nodes: number, extra: object = {}, options: object = { kueue: true }) {
  return () =>
    new gpu.TrainingCluster(name, privateEndpoint({ cloud, region, orchestrator: "kubernetes", gpu: { instanceType, nodes }, ...extra, ...BAG[cloud]!(options) } as gpu.TrainingClusterArgs));
}

describe("Kueue queues on EKS (p5.48xlarge × 8)", () => {
  it("a Topology of EC2's three network layers over the node, a flavor of the GPU pool, a ClusterQueue of exactly 8 pods' requests, a LocalQueue in the namespace", async () => {
    const result = await run(training("q", "aws", "us-east-1", "p5.48xlarge", 8));
    expect(result.error).toBeUndefined();
    const topology = byName(result, K.topology, "q-topology").inputs;
    // The names carry a key of the levels (lib/clouds/kubernetes/kueue.ts topologyQueueNames): sha256 of the labels.
    const key = createHash("sha256").update(topology.spec.levels.map((l: { nodeLabel: string }) => l.nodeLabel).join("\n")).digest("hex").slice(0, 6);
    expect(topology.metadata.name).toBe(`q-${key}`);
    expect(topology.spec.levels).toEqual([
      { nodeLabel: "topology.k8s.aws/network-node-layer-1" },
      { nodeLabel: "topology.k8s.aws/network-node-layer-2" },
      { nodeLabel: "topology.k8s.aws/network-node-layer-3" },
      { nodeLabel: "kubernetes.io/hostname" },
    ]);
    const flavor = byName(result, K.flavor, "q-flavor").inputs;
    expect(flavor.metadata.name).toBe(`q-pool-${key}`);
    expect(flavor.spec).toEqual({
      nodeLabels: { "gpu-cluster/pool": "q-pool", "node.kubernetes.io/instance-type": "p5.48xlarge" },
      tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }],
      topologyName: `q-${key}`,
    });
    // One pod per node requests floor(192 × 0.85) = 163 CPU, floor(2048 GiB × 0.45) = 921Gi, 8 GPUs, 32 EFA
    // interfaces and 5120Mi of 2 MiB huge pages; the quota is eight of them.
    const cq = byName(result, K.clusterQueue, "q-cluster-queue").inputs;
    expect(cq.metadata.name).toBe("q");
    expect(cq.spec.namespaceSelector).toEqual({ matchLabels: { "kubernetes.io/metadata.name": "q" } });
    expect(cq.spec.resourceGroups).toEqual([
      {
        coveredResources: ["cpu", "memory", "nvidia.com/gpu", "vpc.amazonaws.com/efa", "hugepages-2Mi"],
        flavors: [
          {
            name: `q-pool-${key}`,
            resources: [
              { name: "cpu", nominalQuota: "1304" },
              { name: "memory", nominalQuota: "7368Gi" },
              { name: "nvidia.com/gpu", nominalQuota: "64" },
              { name: "vpc.amazonaws.com/efa", nominalQuota: "256" },
              { name: "hugepages-2Mi", nominalQuota: "40960Mi" },
            ],
          },
        ],
      },
    ]);
    const lq = byName(result, K.localQueue, "q-local-queue").inputs;
    expect(lq.metadata).toMatchObject({ name: "q", namespace: "q" });
    expect(lq.spec).toEqual({ clusterQueue: "q" });
  });

  it("the Job carries the queue label, is created suspended, prefers one layer-3 domain and restarts ranks within a budget", async () => {
    const { result, registrations } = await runRecording(training("q", "aws", "us-east-1", "p5.48xlarge", 8));
    const job = byName(result, K.job, "q-job");
    expect(job.inputs.metadata.labels["kueue.x-k8s.io/queue-name"]).toBe("q");
    expect(job.inputs.spec).toMatchObject({
      suspend: true,
      completionMode: "Indexed",
      completions: 8,
      parallelism: 8,
      backoffLimitPerIndex: 3,
      maxFailedIndexes: 0,
      podFailurePolicy: { rules: [{ action: "Ignore", onPodConditions: [{ type: "DisruptionTarget", status: "True" }] }] },
    });
    expect(job.inputs.spec.backoffLimit).toBeUndefined();
    // The queued Job is a valid batch/v1 Job (backoffLimitPerIndex, maxFailedIndexes, podFailurePolicy together).
    expect(() => new Job(job.inputs).validate()).not.toThrow();
    expect(job.inputs.spec.template.metadata.annotations["kueue.x-k8s.io/podset-preferred-topology"]).toBe("topology.k8s.aws/network-node-layer-3");
    // Kueue owns `suspend` once it admits the Job; the Job waits for its LocalQueue, which waits for Kueue's release.
    expect(registrations.get("q-job")!.ignoreChanges).toEqual(["spec.suspend"]);
    const lq = byName(result, K.localQueue, "q-local-queue");
    const kueue = byName(result, K.release, "q-kueue");
    expect(registrations.get("q-job")!.dependencies).toContain(lq.urn);
    expect(registrations.get("q-topology")!.dependencies).toContain(kueue.urn);
  });

  it("Kueue's release runs with waitForPodsReady on and the 0.14.3 chart's integrations kept", async () => {
    const result = await run(training("q", "aws", "us-east-1", "p5.48xlarge", 8));
    const values = byName(result, K.release, "q-kueue").inputs.values;
    const config = JSON.parse(values.managerConfig.controllerManagerConfigYaml);
    expect(config.apiVersion).toBe("config.kueue.x-k8s.io/v1beta1");
    expect(config.waitForPodsReady).toEqual({
      enable: true,
      timeout: "30m",
      recoveryTimeout: "15m",
      blockAdmission: true,
      requeuingStrategy: { timestamp: "Eviction", backoffLimitCount: 5, backoffBaseSeconds: 60, backoffMaxSeconds: 3600 },
    });
    expect(config.integrations.frameworks).toContain("batch/job");
    expect(config.integrations.frameworks).toContain("jobset.x-k8s.io/jobset");
    expect(values).toEqual(kueueChartValues());
  });

  it("an instance type without EC2 topology (g5): node level only, any nodes", async () => {
    const result = await run(training("g", "aws", "us-east-1", "g5.48xlarge", 2));
    expect(result.error).toBeUndefined();
    expect(byName(result, K.topology, "g-topology").inputs.spec.levels).toEqual([{ nodeLabel: "kubernetes.io/hostname" }]);
    const job = byName(result, K.job, "g-job").inputs;
    expect(job.spec.template.metadata.annotations).toEqual({ "kueue.x-k8s.io/podset-unconstrained-topology": "true" });
  });

  it("without kueue: no queue objects, and the Job fails on its first lost rank as before", async () => {
    const result = await run(training("plain", "aws", "us-east-1", "p5.48xlarge", 2, {}, {}));
    for (const type of [K.topology, K.flavor, K.clusterQueue, K.localQueue]) expect(ofType(result, type)).toHaveLength(0);
    const job = byName(result, K.job, "plain-job").inputs;
    expect(job.spec.backoffLimit).toBe(0);
    expect(job.spec.suspend).toBeUndefined();
    expect(job.metadata.labels["kueue.x-k8s.io/queue-name"]).toBeUndefined();
  });

  it("the plan note names the queue's quota, the topology and the checkpoint path on the shared file system", async () => {
    const result = await run(training("n", "aws", "us-east-1", "p5.48xlarge", 2, { storage: [{ kind: "nfs", capacityTiB: 1, mountPath: "/shared" }] }));
    const notes: string[] = ofType(result, "gpu-cluster:index:TrainingCluster")[0]!.inputs.plan.notes;
    // Two pods' requests: 2 × 163 CPU, 2 × 921Gi, 2 × 8 GPUs, 2 × 32 EFA, 2 × 5120Mi huge pages.
    expect(notes.find((n) => n.startsWith("Kueue:"))).toBe(
      "Kueue: the training Job queues in its LocalQueue (ClusterQueue quota 326 cpu, 1842Gi memory, 16 nvidia.com/gpu, 64 vpc.amazonaws.com/efa, 10240Mi hugepages-2Mi), is admitted whole once every pod fits and placed within the narrowest of topology.k8s.aws/network-node-layer-1 > topology.k8s.aws/network-node-layer-2 > topology.k8s.aws/network-node-layer-3 that holds it; " +
        `a failed node is replaced by a free node of the pool, else the job is requeued whole (up to ${KUEUE_DEFAULTS.requeueLimit} times; a rank may restart ${KUEUE_DEFAULTS.restartsPerRank} times): write checkpoints to /shared and resume from the latest one at start.`,
    );
    const plain = await run(training("p", "aws", "us-east-1", "p5.48xlarge", 2, {}, {}));
    expect(ofType(plain, "gpu-cluster:index:TrainingCluster")[0]!.inputs.plan.notes.some((n: string) => n.startsWith("Kueue"))).toBe(false);
  });
});

describe("Kueue queues on GKE, AKS and CoreWeave", () => {
  it("GKE A3 Ultra: block > sub-block > host > node, preferring one host (the narrowest network level)", async () => {
    const result = await run(training("u", "gcp", "us-central1", "a3-ultragpu-8g", 4, { reservationId: "res-1", zone: "us-central1-b" }));
    expect(result.error).toBeUndefined();
    expect(byName(result, K.topology, "u-topology").inputs.spec.levels.map((l: { nodeLabel: string }) => l.nodeLabel)).toEqual([
      "cloud.google.com/gce-topology-block",
      "cloud.google.com/gce-topology-subblock",
      "cloud.google.com/gce-topology-host",
      "kubernetes.io/hostname",
    ]);
    const job = byName(result, K.job, "u-job").inputs;
    expect(job.spec.template.metadata.annotations["kueue.x-k8s.io/podset-preferred-topology"]).toBe("cloud.google.com/gce-topology-host");
    expect(job.metadata.labels["kueue.x-k8s.io/queue-name"]).toBe("u");
    expect(byName(result, K.release, "u-kueue").inputs.values).toEqual(kueueChartValues());
  });

  // Google's GKE blueprints for A3 Mega and A3 High give Kueue block > sub-block > host > node on a SPECIFIC_RESERVATION
  // pool: GoogleCloudPlatform/cluster-toolkit examples/gke-a3-megagpu/kueue-configuration.yaml.tftpl and
  // examples/gke-a3-highgpu/kueue-configuration.yaml.tftpl @10778ef07544c7eaf506d4efb4fb1c0006b31d27 (2026-05-08);
  // gke-a3-megagpu.yaml @1047080 L138-141 (the reservation). On demand (COMPACT placement, no reservation) no Google
  // doc gives the nodes those labels, Google's XPK turns TAS off there (AI-Hypercomputer/xpk src/xpk/commands/common.py
  // @367c8382 L76-84), and Kueue leaves a node missing a level's label out of TAS altogether
  // (kubernetes-sigs/kueue pkg/cache/scheduler/tas_flavor.go @7c2881e L107-113): the node level alone, or the Job would
  // never be admitted.
  it.each([
    ["m", "a3-megagpu-8g"],
    ["h", "a3-highgpu-8g"],
  ])("GKE %s: %s on a reservation: block > sub-block > host > node, preferring one host, as Google's blueprint", async (name, instanceType) => {
    const result = await run(training(name, "gcp", "us-central1", instanceType, 2, { reservationId: "a3-block", zone: "us-central1-a" }));
    expect(result.error).toBeUndefined();
    expect(byName(result, K.topology, `${name}-topology`).inputs.spec.levels.map((l: { nodeLabel: string }) => l.nodeLabel)).toEqual([
      "cloud.google.com/gce-topology-block",
      "cloud.google.com/gce-topology-subblock",
      "cloud.google.com/gce-topology-host",
      "kubernetes.io/hostname",
    ]);
    expect(byName(result, K.job, `${name}-job`).inputs.spec.template.metadata.annotations["kueue.x-k8s.io/podset-preferred-topology"]).toBe("cloud.google.com/gce-topology-host");
    const quota = byName(result, K.clusterQueue, `${name}-cluster-queue`).inputs.spec.resourceGroups[0].flavors[0].resources;
    expect(quota.find((r: { name: string }) => r.name === "nvidia.com/gpu")).toEqual({ name: "nvidia.com/gpu", nominalQuota: "16" });
  });

  it.each([
    ["om", "a3-megagpu-8g"],
    ["oh", "a3-highgpu-8g"],
  ])("GKE %s: %s on demand: the node level only, any nodes, and new levels replace the Topology (its levels are immutable)", async (name, instanceType) => {
    const { result, registrations } = await runRecording(training(name, "gcp", "us-central1", instanceType, 2));
    expect(result.error).toBeUndefined();
    expect(byName(result, K.topology, `${name}-topology`).inputs.spec.levels).toEqual([{ nodeLabel: "kubernetes.io/hostname" }]);
    expect(byName(result, K.job, `${name}-job`).inputs.spec.template.metadata.annotations).toMatchObject({ "kueue.x-k8s.io/podset-unconstrained-topology": "true" });
    // kubernetes-sigs/kueue @v0.14.3: a Topology's levels and a flavor's topologyName are immutable, and finalizers hold
    // a Topology a flavor names and a flavor a ClusterQueue names. So the reservation's pool (other levels) gets a
    // Topology and flavor of other names, which Pulumi creates before it deletes the old (no delete-first replacement).
    const reserved = await run(training(name, "gcp", "us-central1", instanceType, 2, { reservationId: "a3-block", zone: "us-central1-a" }));
    const onDemandNames = [byName(result, K.topology, `${name}-topology`).inputs.metadata.name, byName(result, K.flavor, `${name}-flavor`).inputs.metadata.name];
    const reservedNames = [byName(reserved, K.topology, `${name}-topology`).inputs.metadata.name, byName(reserved, K.flavor, `${name}-flavor`).inputs.metadata.name];
    expect(onDemandNames[0]).not.toBe(reservedNames[0]);
    expect(onDemandNames[1]).not.toBe(reservedNames[1]);
    expect(onDemandNames[1]).toMatch(new RegExp(`^${name}-pool-[0-9a-f]{6}$`));
    expect(byName(reserved, K.clusterQueue, `${name}-cluster-queue`).inputs.spec.resourceGroups[0].flavors[0].name).toBe(reservedNames[1]);
    expect(registrations.get(`${name}-topology`)!.deleteBeforeReplace).toBeUndefined();
  });

  it("AKS ND H100 v5: node level only (AKS publishes no network topology), rdma/ib in the quota, Kueue configured", async () => {
    const result = await run(training("a", "azure", "eastus", "Standard_ND96isr_H100_v5", 4));
    expect(result.error).toBeUndefined();
    expect(byName(result, K.topology, "a-topology").inputs.spec.levels).toEqual([{ nodeLabel: "kubernetes.io/hostname" }]);
    const groups = byName(result, K.clusterQueue, "a-cluster-queue").inputs.spec.resourceGroups;
    expect(groups[0].coveredResources).toContain("rdma/ib");
    expect(groups[0].flavors[0].resources.find((r: { name: string }) => r.name === "rdma/ib")).toEqual({ name: "rdma/ib", nominalQuota: "4" });
    expect(byName(result, K.release, "a-kueue").inputs.values).toEqual(kueueChartValues());
  });

  it("CoreWeave InfiniBand: backend fabric > leafgroup > node, against the cluster's own Kueue (no release)", async () => {
    const result = await run(training("c", "coreweave", "US-EAST-04", "gd-8xh100ib-i128", 4));
    expect(result.error).toBeUndefined();
    expect(byName(result, K.topology, "c-topology").inputs.spec.levels.map((l: { nodeLabel: string }) => l.nodeLabel)).toEqual([
      "backend.coreweave.cloud/fabric",
      "backend.coreweave.cloud/leafgroup",
      "kubernetes.io/hostname",
    ]);
    expect(ofType(result, K.release)).toHaveLength(0);
    const notes: string[] = ofType(result, "gpu-cluster:index:TrainingCluster")[0]!.inputs.plan.notes;
    expect(notes.filter((n) => n.startsWith("Kueue:") && n.endsWith("CoreWeave: the cluster must run Kueue (CoreWeave's coreweave/cks-kueue chart); the component creates the queues only."))).toHaveLength(1);
    const job = byName(result, K.job, "c-job").inputs;
    expect(job.spec.template.metadata.annotations["kueue.x-k8s.io/podset-preferred-topology"]).toBe("backend.coreweave.cloud/leafgroup");
  });

  it("kueue on an inference fleet is a SpecError naming the field", () => {
    expect(
      () =>
        new gpu.InferenceFleet("f", privateEndpoint({ cloud: "aws", region: "us-east-1", orchestrator: "kubernetes", gpu: { model: "L40S" }, replicas: { min: 1, max: 2 }, aws: { eks: { kueue: true } } } as gpu.InferenceFleetArgs)),
    ).toThrow(/aws\.eks\.kueue.*queues a training Job/);
  });
});
