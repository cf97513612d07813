/**
 * GKE flex-start with queued provisioning (`gcp.gke.flexStartMode: "queued"`, the default for a training Job): the
 * pool, the Kueue objects and the queued Jobs, against Google's blueprint
 * (GoogleCloudPlatform/cluster-toolkit @1047080375afbb44da4b596be314634e7486af4a, 2026-06-25, read 2026-12-01:
 * examples/gke-consumption-options/dws-flex-start-queued-provisioning/gke-a3-ultragpu.yaml: enable_flex_start,
 * enable_queued_provisioning, auto_repair false, autoscaling_total_min_nodes 0 (its auto_upgrade false needs a cluster with
 * no release channel; gke-tpu-7x/gke-tpu-7x.yaml keeps REGULAR with auto_upgrade true); dws-queues.yaml.tftpl:
 * AdmissionCheck controllerName kueue.x-k8s.io/provisioning-request → ProvisioningRequestConfig queued-provisioning.gke.io
 * with managedResources nvidia.com/gpu, required by the ClusterQueue; modules/compute/gke-node-pool/main.tf:
 * queued_provisioning { enabled = true }, the cloud.google.com/gke-queued=true label, no COMPACT placement, NO_RESERVATION),
 * Kueue v0.14.3 (the pinned chart; ProvisioningACC GA and locked on: pkg/features/kube_features.go; the config's
 * parameters become the request's: site/content/en/docs/concepts/admission_check/provisioning_request.md), and the
 * podSetUpdates of Google's XPK (AI-Hypercomputer/xpk src/xpk/core/kueue.py @02fe0aa8, read 2026-12-01).
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import type { OfflineRun } from "../lib/preview/offline.js";
import { byName, ofType, privateEndpoint, run } from "./helpers/offline.js";

const K = {
  pool: "gcp:container/nodePool:NodePool",
  config: "kubernetes:kueue.x-k8s.io/v1beta1:ProvisioningRequestConfig",
  check: "kubernetes:kueue.x-k8s.io/v1beta1:AdmissionCheck",
  clusterQueue: "kubernetes:kueue.x-k8s.io/v1beta1:ClusterQueue",
  localQueue: "kubernetes:kueue.x-k8s.io/v1beta1:LocalQueue",
  job: "kubernetes:batch/v1:Job",
  release: "kubernetes:helm.sh/v3:Release",
};
const base = { cloud: "gcp" as const, region: "us-central1", orchestrator: "kubernetes" as const, pricing: "flex-start" as const, contractUsdPerHour: 40, zone: "us-central1-b" };

function training(name: string, args: Record<string, unknown> = {}) {
  return () => new gpu.TrainingCluster(name, privateEndpoint({ ...base, gpu: { instanceType: "a3-ultragpu-8g", nodes: 4 }, ...args } as gpu.TrainingClusterArgs));
}

function notes(result: OfflineRun): string {
  return (result.costEvents[0]!.plan.notes as string[]).join("\n");
}

describe("GKE flex-start, 4 × a3-ultragpu-8g, default mode: queued provisioning", () => {
  it("the GPU pool as Google's queued-provisioning blueprint: queuedProvisioning on, flex-start, NO_RESERVATION, from 0 (ANY), auto-repair off, auto-upgrade on (the cluster is in the REGULAR channel), no compact placement, the gke-queued label", async () => {
    const result = await run(training("fq"));
    expect(result.error).toBeUndefined();
    const pool = byName(result, K.pool, "fq-gpu-nodes").inputs;
    expect(pool.queuedProvisioning).toEqual({ enabled: true });
    expect(pool.nodeConfig).toMatchObject({ flexStart: true, reservationAffinity: { consumeReservationType: "NO_RESERVATION" }, guestAccelerators: [{ type: "nvidia-h200-141gb", count: 8 }] });
    expect(pool.nodeConfig.spot).toBeUndefined();
    // The run limit is each ProvisioningRequest's (below), not the pool's: the blueprint leaves max_run_duration unset.
    expect(pool.nodeConfig.maxRunDuration).toBeUndefined();
    expect(pool.nodeConfig.labels).toEqual({ "gpu-cluster/pool": "fq-pool", "cloud.google.com/gke-queued": "true" });
    // Kueue's quota holds requests to 4 nodes at once; the ceiling (2 × 4) leaves room for a new request while the
    // last one's nodes are removed (the blueprint keeps the module's default, 1000).
    expect(pool.autoscaling).toEqual({ totalMinNodeCount: 0, totalMaxNodeCount: 8, locationPolicy: "ANY" });
    expect(pool.nodeCount).toBeUndefined();
    // GKE refuses auto-upgrade off in a release channel ("Auto_upgrade cannot be false when release_channel REGULAR is
    // set"); the cluster's NO_MINOR_OR_NODE_UPGRADES exclusion holds node upgrades instead.
    expect(pool.management).toEqual({ autoRepair: false, autoUpgrade: true });
    expect(ofType(result, "gcp:container/cluster:Cluster")[0]!.inputs.releaseChannel).toEqual({ channel: "REGULAR" });
    // No COMPACT under flex-start (the module refuses it with queued provisioning on GPUs; options.ts FLEX_START_COMPACT_PLACEMENT).
    expect(pool.placementPolicy).toBeUndefined();
    expect(pool.nodeLocations).toEqual(["us-central1-b"]);
  });

  it("Kueue installed, a ProvisioningRequestConfig of class queued-provisioning.gke.io for GPUs (7 days, pods pinned to their request's nodes), its AdmissionCheck, required by the ClusterQueue", async () => {
    const result = await run(training("fq"));
    expect(result.error).toBeUndefined();
    expect(byName(result, K.release, "fq-kueue").inputs.chart).toBe("oci://registry.k8s.io/kueue/charts/kueue");
    const config = byName(result, K.config, "fq-provisioning-config").inputs;
    expect(config.metadata.name).toBe("fq");
    expect(config.spec).toEqual({
      provisioningClassName: "queued-provisioning.gke.io",
      managedResources: ["nvidia.com/gpu"],
      // 168 h × 3600 s
      parameters: { maxRunDurationSeconds: "604800" },
      podSetUpdates: { nodeSelector: [{ key: "autoscaling.gke.io/provisioning-request", valueFromProvisioningClassDetail: "ResizeRequestName" }] },
    });
    const check = byName(result, K.check, "fq-admission-check").inputs;
    expect(check.metadata.name).toBe("fq");
    expect(check.spec).toEqual({ controllerName: "kueue.x-k8s.io/provisioning-request", parameters: { apiGroup: "kueue.x-k8s.io", kind: "ProvisioningRequestConfig", name: "fq" } });
    const cq = byName(result, K.clusterQueue, "fq-cluster-queue").inputs;
    expect(cq.spec.admissionChecks).toEqual(["fq"]);
    // 4 nodes × 8 GPUs
    const gpus = cq.spec.resourceGroups[0].flavors[0].resources.find((r: { name: string }) => r.name === "nvidia.com/gpu");
    expect(gpus).toEqual({ name: "nvidia.com/gpu", nominalQuota: "32" });
    expect(byName(result, K.localQueue, "fq-local-queue").inputs.spec).toEqual({ clusterQueue: "fq" });
  });

  it("the training Job is queued (label, created suspended), tolerates GKE's gke-queued taint, and waits for no fabric check Job", async () => {
    const result = await run(training("fq"));
    expect(result.error).toBeUndefined();
    // Flex-start capacity arrives after `up` (lib/clouds/shared/deferred-check.ts): no check Job of its own 2 nodes,
    // as Google's blueprint gates nothing at deploy (its nccl-jobset-example.yaml is submitted by the user).
    expect(ofType(result, K.job).map((j) => j.name)).toEqual(["fq-job"]);
    for (const [name, pods] of [["fq-job", 4]] as const) {
      const job = byName(result, K.job, name).inputs;
      expect(job.metadata.labels["kueue.x-k8s.io/queue-name"]).toBe("fq");
      expect(job.spec.suspend).toBe(true);
      expect(job.spec.parallelism).toBe(pods);
      expect(job.spec.template.spec.tolerations).toEqual(
        expect.arrayContaining([
          { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" },
          { key: "cloud.google.com/gke-queued", operator: "Exists", effect: "NoSchedule" },
        ]),
      );
      // No topology request: the pods go to their own request's nodes (podSetUpdates), as the blueprint's queue has no
      // topology; TAS with the check and a quota exactly the job's fails Kueue's second pass (kueue issue #9048).
      const annotations = job.spec.template.metadata.annotations ?? {};
      expect(Object.keys(annotations).filter((k: string) => k.startsWith("kueue.x-k8s.io/podset-"))).toEqual([]);
    }
  });

  it("the queue has no topology, as the blueprint's (dws-queues.yaml.tftpl): no Topology, a flavor without topologyName", async () => {
    const result = await run(training("fq"));
    expect(result.error).toBeUndefined();
    expect(ofType(result, "kubernetes:kueue.x-k8s.io/v1beta1:Topology")).toHaveLength(0);
    const flavor = byName(result, "kubernetes:kueue.x-k8s.io/v1beta1:ResourceFlavor", "fq-flavor").inputs.spec;
    expect(flavor.topologyName).toBeUndefined();
    expect(flavor.nodeLabels).toMatchObject({ "gpu-cluster/pool": "fq-pool" });
  });

  it("the plan says the nodes come all at once and drops the node-by-node warning", async () => {
    const result = await run(training("fq"));
    const text = notes(result);
    expect(text).toMatch(/GKE flex-start with queued provisioning.*asks Dynamic Workload Scheduler for all of its nodes in one request \(class queued-provisioning\.gke\.io\).*The training Job gets its 4 nodes in one request\..*at most 168 h/);
    expect(text).not.toMatch(/fabric check Job gets|waits for the fabric check/);
    expect(text).toMatch(/^acceptance test: off, flex-start nodes come when Dynamic Workload Scheduler finds the capacity.*run an NCCL test across two of them yourself \(e\.g\. examples\/gke-consumption-options\/dws-flex-start-queued-provisioning\/nccl-jobset-example\.yaml/m);
    expect(text).not.toMatch(/not all at once/);
    // The pool's auto-repair is off: no note claims otherwise.
    expect(text).not.toMatch(/Auto-repair stays on|auto-repair recreates/);
    expect(text).toMatch(/GKE: the GPU pool's auto-repair is off \(flex-start\); the component's health gate cordons/);
    expect(text).toMatch(/^Kueue: the training Job queues in its LocalQueue.*placed on the nodes Dynamic Workload Scheduler provisioned for its ProvisioningRequest; a failed node ends the admission: the job is requeued whole with a new ProvisioningRequest \(up to 5 times/m);
  });

  it("acceptanceTest: false (the default here, said explicitly): no check Job, and no note that the check is off", async () => {
    const result = await run(training("fqa", { gcp: { gke: { acceptanceTest: false } } }));
    expect(result.error).toBeUndefined();
    expect(notes(result)).toMatch(/The training Job gets its 4 nodes in one request\./);
    expect(notes(result)).not.toMatch(/acceptance test: off/);
    expect(ofType(result, K.job).map((j) => j.name)).toEqual(["fqa-job"]);
  });

  it("the plain pool mode defers the check too: the training Job is the only Job and depends on no check", async () => {
    const result = await run(training("fpa", { gcp: { gke: { flexStartMode: "pool" } } }));
    expect(result.error).toBeUndefined();
    expect(ofType(result, K.job).map((j) => j.name)).toEqual(["fpa-job"]);
    expect(notes(result)).toMatch(/^acceptance test: off, flex-start nodes come when Dynamic Workload Scheduler finds the capacity/m);
    expect(notes(result)).not.toMatch(/waits for the fabric check/);
  });

  it("gcp.gke.maxRunDurationHours is the request's maxRunDurationSeconds", async () => {
    const result = await run(training("fq24", { gcp: { gke: { maxRunDurationHours: 24.5 } } }));
    expect(result.error).toBeUndefined();
    // 24.5 h × 3600 s
    expect(byName(result, K.config, "fq24-provisioning-config").inputs.spec.parameters).toEqual({ maxRunDurationSeconds: "88200" });
  });
});

describe("which mode", () => {
  it("one node with flexStartMode 'pool': the plain pool (maxRunDuration on the nodes, no Kueue)", async () => {
    const result = await run(training("f1", { gpu: { instanceType: "a3-ultragpu-8g", nodes: 1 }, gcp: { gke: { flexStartMode: "pool" } } }));
    expect(result.error).toBeUndefined();
    const pool = byName(result, K.pool, "f1-gpu-nodes").inputs;
    expect(pool.queuedProvisioning).toBeUndefined();
    expect(pool.nodeConfig.maxRunDuration).toBe("604800s");
    expect(pool.management).toEqual({ autoRepair: false, autoUpgrade: true });
    expect(ofType(result, K.config)).toHaveLength(0);
    expect(byName(result, K.job, "f1-job").inputs.metadata.labels["kueue.x-k8s.io/queue-name"]).toBeUndefined();
  });

  it("one node: queued provisioning and Kueue by default, as a 2-node job (Google's sample-job.yaml queues one pod)", async () => {
    const result = await run(training("f1q", { gpu: { instanceType: "a3-ultragpu-8g", nodes: 1 } }));
    expect(result.error).toBeUndefined();
    const pool = byName(result, K.pool, "f1q-gpu-nodes").inputs;
    expect(pool.queuedProvisioning).toEqual({ enabled: true });
    // 0 to 2 × 1 node
    expect(pool.autoscaling).toEqual({ totalMinNodeCount: 0, totalMaxNodeCount: 2, locationPolicy: "ANY" });
    // queuedProvisioning (create-only) does not follow the node count: a resize from 1 to 2 nodes keeps the pool.
    const two = await run(training("f1q", { gpu: { instanceType: "a3-ultragpu-8g", nodes: 2 } }));
    expect(byName(two, K.pool, "f1q-gpu-nodes").inputs.queuedProvisioning).toEqual(pool.queuedProvisioning);
    expect(byName(result, K.clusterQueue, "f1q-cluster-queue").inputs.spec.admissionChecks).toEqual(["f1q"]);
    expect(byName(result, K.job, "f1q-job").inputs.metadata.labels["kueue.x-k8s.io/queue-name"]).toBe("f1q");
  });

  it("nodesOnly: the plain pool by default (no Job to queue)", async () => {
    const result = await run(training("fn", { gcp: { gke: { nodesOnly: true } } }));
    expect(result.error).toBeUndefined();
    expect(byName(result, K.pool, "fn-gpu-nodes").inputs.queuedProvisioning).toBeUndefined();
    expect(ofType(result, K.config)).toHaveLength(0);
  });

  it("an on-demand GKE pool with Kueue has no admission check (the check is queued flex-start's only)", async () => {
    const result = await run(training("od", { pricing: "on-demand", contractUsdPerHour: undefined, gpu: { instanceType: "a3-megagpu-8g", nodes: 2 }, zone: undefined, gcp: { gke: { kueue: true } } }));
    expect(result.error).toBeUndefined();
    expect(byName(result, K.clusterQueue, "od-cluster-queue").inputs.spec.admissionChecks).toBeUndefined();
    expect(ofType(result, K.check)).toHaveLength(0);
    expect(byName(result, K.pool, "od-gpu-nodes").inputs.queuedProvisioning).toBeUndefined();
  });
});

describe("gcp.gke.flexStartMode and acceptanceTest refusals: SpecError before anything is created", () => {
  it.each([
    ["on an on-demand pool", { pricing: "on-demand", contractUsdPerHour: undefined, gpu: { instanceType: "a3-megagpu-8g", nodes: 2 }, zone: undefined, gcp: { gke: { flexStartMode: "queued" } } }, "gcp.gke.flexStartMode", /pricing is 'on-demand'.*remove it, or set pricing: 'flex-start'/],
    ["queued with kueue: false (by default)", { gcp: { gke: { kueue: false } } }, "gcp.gke.kueue", /\(the default for a training Job\) gets the nodes through Kueue.*flexStartMode: 'pool'/],
    ["queued with kueue: false (explicit)", { gcp: { gke: { kueue: false, flexStartMode: "queued" } } }, "gcp.gke.kueue", /queued provisioning gets the nodes/],
    ["queued with nodesOnly", { gcp: { gke: { nodesOnly: true, flexStartMode: "queued" } } }, "gcp.gke.flexStartMode", /nodesOnly: true builds no Job/],
    ["an unknown mode", { gcp: { gke: { flexStartMode: "fast" } } }, "gcp.gke.flexStartMode", /queued|pool/],
    // `up` would wait up to 90 min for 2 more DWS nodes, then fail with no training Job (shared/deferred-check.ts).
    ["acceptanceTest: true under queued flex-start", { gcp: { gke: { acceptanceTest: true } } }, "gcp.gke.acceptanceTest", /may be hours after `up`.*leave it out; once nodes are granted, run an NCCL test/],
    ["acceptanceTest: true under plain-pool flex-start", { gcp: { gke: { acceptanceTest: true, flexStartMode: "pool" } } }, "gcp.gke.acceptanceTest", /Dynamic Workload Scheduler.*leave it out/],
  ])("%s", async (_what, args, path, message) => {
    const result = await run(training("bad", args));
    expect(result.error).toMatchObject({ name: "SpecError", path });
    expect((result.error as Error).message).toMatch(message);
    expect(result.resources.filter((r) => r.custom)).toHaveLength(0);
  });
});
