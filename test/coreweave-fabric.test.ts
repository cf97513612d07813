/**
 * CoreWeave fabric, against coreweave/nccl-tests (mpi-operator/*.yaml at cb865533, 2026-05-27, read 2026-11-30):
 * - every MPIJob pins NCCL's own InfiniBand transport: NCCL_IB_HCA=ibp, NCCL_SOCKET_IFNAME=eth0, NCCL_NET_PLUGIN=none;
 * - GB200 NVL72 (nccl-test-distributed-gb200-nvl72-mpijob.yaml): NCCL_MNNVL_ENABLE=1, NCCL_CUMEM_ENABLE=1,
 *   NCCL_NET_GDR_C2C=1, NCCL_SHM_DISABLE=0, and the node's IMEX channel: NVIDIA_IMEX_CHANNELS=0 passed to every worker,
 *   no resourceClaims, no ComputeDomain (the same in -gb200-128-multirack-mpijob.yaml; both read again 2026-12-01, last
 *   changed at dde6e6f, 2026-04-05): the default, `coreweave.imex: "node"`. CoreWeave's DRA IMEX is limited
 *   availability, enabled per cluster (docs.coreweave.com/products/cks/clusters/scheduling/imex-dra-scheduling, read
 *   2026-12-01), so a ComputeDomain only with `coreweave.imex: "dra"`, as the DRA variant
 *   (nccl-test-distributed-gb300-roce-nvl72-mpijob-dra.yaml):
 *   a ComputeDomain with numNodes 0 and a channel ResourceClaimTemplate, claimed by every worker as
 *   `compute-domain-channel`, and required pod affinity on nvidia.com/gpu.clique ("requires gpu-feature-discovery to
 *   set the label"). No non-DRA manifest uses gpu.clique; they name `ds.coreweave.com/nvlink.domain` to pin a rack,
 *   the rack id CKS sets on every GB200 / GB300 Node (docs.coreweave.com/products/sunk/optimize_workloads/
 *   topology-scheduling, read 2026-12-01), so node IMEX keys on that, and on one rack (the Node Pool is the rack,
 *   docs.coreweave.com/docs/platform/instances/gb200) needs no pod affinity;
 * - an NVL72 rack is 18 trays of 4 GPUs (https://docs.coreweave.com/docs/platform/instances/gb200);
 * - the gate's floor for gb200-4x is 60% of README.md line 269 (one rack, 1 GiB, 681.17 GB/s), so its pair always
 *   shares a clique, and its image carries NCCL >= 2.25.2 (GB200 MNNVL's minimum, NVIDIA's multi-node NVLink tuning
 *   guide docs.nvidia.com/multi-node-nvlink-systems/multi-node-tuning-guide/nccl.html, read 2026-11-30).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { COREWEAVE_UCX_ENV, fabricSides } from "../lib/fabric/index.js";
import { fabricGate, gateFailureMessage, gatePasses } from "../lib/clouds/shared/fabric-gate.js";
import { TORCHRUN_SCRIPT_COMMAND } from "../lib/clouds/kubernetes/workload-all-reduce.js";
import { byName, container, envOf, ofType, run, runRecording } from "./helpers/offline.js";

const training = (name: string, instanceType: string, nodes: number, coreweave: gpu.TrainingClusterArgs["coreweave"] = {}) => () =>
  new gpu.TrainingCluster(name, { cloud: "coreweave", region: "US-EAST-01", gpu: { instanceType, nodes }, coreweave } as gpu.TrainingClusterArgs);

const IB = { NCCL_NET: "IB", NCCL_NET_PLUGIN: "none", NCCL_SOCKET_IFNAME: "eth0", NCCL_IB_HCA: "ibp" };
/** UCX as coreweave/nccl-tests mpi-operator/*.yaml @cb86553 (2026-05-27, read 2026-12-01) set it per node type. */
const HGX_UCX = { UCX_NET_DEVICES: "ibp0:1,ibp1:1,ibp2:1,ibp3:1,ibp4:1,ibp5:1,ibp6:1,ibp7:1" };
const NVL72_UCX = { UCX_TLS: "tcp", UCX_NET_DEVICES: "eth0" };

describe("CoreWeave: NCCL pinned to InfiniBand", () => {
  it("H100 (gd-8xh100ib-i128): NCCL's IB transport by name, no plugin, 8 HCAs expected, no MNNVL settings", () => {
    const plan = gpu.planCluster({ cloud: "coreweave", region: "US-EAST-01", gpu: { instanceType: "gd-8xh100ib-i128", nodes: 2 } });
    expect(fabricSides(plan, "kubernetes").env).toEqual({ ...IB, ...HGX_UCX, GPU_CLUSTER_EXPECTED_IB: "8" });
  });

  it("UCX follows CoreWeave's manifest of each node type: the HGX types over their IB ports (UCX_TLS left to UCX), GB200 over TCP on eth0", () => {
    const ucx = (instanceType: string, nodes = 2) => {
      const region = gpu.catalog.instance("coreweave", instanceType)!.regions[0]!;
      // b300-8x has spot prices only.
      const pricing = instanceType === "b300-8x" ? "spot" : "on-demand";
      const env = fabricSides(gpu.planCluster({ cloud: "coreweave", region, pricing, gpu: { instanceType, nodes } }), "kubernetes").env;
      return { UCX_TLS: env.UCX_TLS, UCX_NET_DEVICES: env.UCX_NET_DEVICES };
    };
    for (const type of ["gd-8xh100ib-i128", "gd-8xh200ib-i128", "b200-8x", "b300-8x"]) expect(ucx(type), type).toEqual({ UCX_TLS: undefined, ...HGX_UCX });
    // nccl-test-distributed-a100-64-mpijob.yaml: the A100 node's four HCAs.
    expect(ucx("gd-8xa100-i128")).toEqual({ UCX_TLS: undefined, UCX_NET_DEVICES: "ibp0:1,ibp1:1,ibp2:1,ibp3:1" });
    expect(ucx("gb200-4x", 18)).toEqual(NVL72_UCX);
    // Every CoreWeave InfiniBand type of the catalog has a row, and no row names a type the catalog lacks.
    const ibTypes = gpu.catalog.instances("coreweave").filter((i) => i.fabric === "infiniband").map((i) => i.instanceType);
    expect(Object.keys(COREWEAVE_UCX_ENV).sort()).toEqual([...ibTypes].sort());
  });

  it("GB200 NVL72 (gb200-4x): the same, plus NCCL's multi-node NVLink settings, 4 HCAs expected", () => {
    const plan = gpu.planCluster({ cloud: "coreweave", region: "US-EAST-01", gpu: { instanceType: "gb200-4x", nodes: 18 } });
    expect(fabricSides(plan, "kubernetes").env).toEqual({
      ...IB,
      ...NVL72_UCX,
      NCCL_MNNVL_ENABLE: "1",
      NCCL_CUMEM_ENABLE: "1",
      NCCL_NET_GDR_C2C: "1",
      NCCL_SHM_DISABLE: "0",
      GPU_CLUSTER_EXPECTED_IB: "4",
    });
  });
});

describe("CoreWeave GB200 NVL72: ComputeDomain, IMEX channel, NVLink-domain placement, whole racks", () => {
  it("default (node IMEX), one rack: every pod gets NVIDIA_IMEX_CHANNELS=0 and no claim, no ComputeDomain, and no pod affinity (the pool is the rack)", async () => {
    let cluster: gpu.TrainingCluster | undefined;
    const result = await run(() => (cluster = training("nod", "gb200-4x", 18, { acceptanceTest: true })()));
    expect(result.error).toBeUndefined();
    expect(ofType(result, "kubernetes:resource.nvidia.com/v1beta1:ComputeDomain")).toHaveLength(0);
    for (const name of ["nod-job", "nod-nccl-check"]) {
      const job = byName(result, "kubernetes:batch/v1:Job", name);
      const pod = job.inputs.spec.template.spec;
      expect(pod.resourceClaims).toBeUndefined();
      expect(container(job).resources.claims).toBeUndefined();
      expect(container(job).resources.limits).toMatchObject({ "nvidia.com/gpu": "4", "rdma/ib": "1" });
      // As coreweave/nccl-tests' GB200 NVL72 MPIJob: the channel by env, and NCCL's multi-node NVLink settings.
      expect(envOf(container(job))).toMatchObject({ NVIDIA_IMEX_CHANNELS: "0", NCCL_MNNVL_ENABLE: "1", NCCL_CUMEM_ENABLE: "1", NCCL_NET_GDR_C2C: "1", NCCL_NET: "IB" });
      // Both all-reduce pods test for channel 0 before NCCL starts, and name coreweave.imex when it is missing.
      expect(envOf(container(job)).CHECK_REQUIRE_FILE).toBe("/dev/nvidia-caps-imex-channels/channel0");
      expect(envOf(container(job)).CHECK_REQUIRE_MESSAGE).toContain('If CoreWeave enabled DRA IMEX on this cluster, set coreweave.imex: "dra"');
      expect(container(job).command.join(" ")).toContain('if [ -n "${CHECK_REQUIRE_FILE:-}" ] && [ ! -e "$CHECK_REQUIRE_FILE" ]');
      // No required term on a label a cluster without DRA IMEX may not set: the pool's node affinity keeps them in the rack.
      expect(pod.affinity.podAffinity).toBeUndefined();
      expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0]).toEqual({ key: "gpu-cluster/pool", operator: "In", values: ["nod-pool"] });
      expect(JSON.stringify(pod.affinity)).not.toContain("nvidia.com/gpu.clique");
    }
    const plan = await new Promise<gpu.Plan>((done) => cluster!.plan.apply(done));
    expect(plan.notes.join("\n")).toContain("the pods use the rack's IMEX channel 0 (NVIDIA_IMEX_CHANNELS=0, no resource claim)");
    expect(plan.notes.join("\n")).toContain("the pods share one NVLink domain (the Node Pool is the rack, so no pod affinity is needed)");
    // CoreWeave's GB200 page (docs.coreweave.com/docs/platform/instances/gb200, read 2026-12-01): Nodes are exchanged in
    // their own rack, and workloads should tolerate up to two unavailable Nodes per rack. The Job uses all 18: the note says so.
    expect(plan.notes.join("\n")).toContain("gb200-4x: the training Job runs a pod on every one of the 18 Nodes, so it cannot ride through an unavailable tray");
    expect(plan.notes.join("\n")).toContain("an elastic launcher that starts on 16 of each rack's 18 Nodes (torchrun --nnodes=16:18)");
    expect(plan.notes.join("\n")).not.toContain("must run NVIDIA's DRA driver");
    expect(plan.notes.join("\n")).toContain('CoreWeave says new work should use DRA IMEX (limited availability, enabled per cluster): if CoreWeave enabled it on this cluster, set coreweave.imex: "dra"');
  });

  it("the pods' command: with the channel missing it exits 1 with the message, before torchrun; with it present (or no file named) it goes on", () => {
    const dir = mkdtempSync(join(tmpdir(), "imex-"));
    const log = join(dir, "termination-log");
    // The real command, its termination log redirected to a temp file and torchrun to a marker.
    const script = TORCHRUN_SCRIPT_COMMAND[2]!.replace("/dev/termination-log", log).replace(/exec torchrun.*$/, "echo STARTED");
    const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", CHECK_SCRIPT: "", CHECK_REQUIRE_MESSAGE: 'no IMEX channel; set coreweave.imex: "dra"' };
    const missing = spawnSync("bash", ["-c", script], { env: { ...env, CHECK_REQUIRE_FILE: join(dir, "channel0") }, encoding: "utf8" });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('no IMEX channel; set coreweave.imex: "dra"');
    expect(missing.stdout).not.toContain("STARTED");
    expect(readFileSync(log, "utf8")).toBe('no IMEX channel; set coreweave.imex: "dra"\n');
    const present = spawnSync("bash", ["-c", script], { env: { ...env, CHECK_REQUIRE_FILE: log }, encoding: "utf8" });
    expect(present.status).toBe(0);
    expect(present.stdout).toContain("STARTED");
    const none = spawnSync("bash", ["-c", script], { env: { ...env, CHECK_REQUIRE_FILE: "" }, encoding: "utf8" });
    expect(none.stdout).toContain("STARTED");
  });

  it("H100 gets no IMEX channel; coreweave.imex on a plan without multi-node NVLink, or an unknown mode, is a SpecError", async () => {
    const h100 = await run(training("hx", "gd-8xh100ib-i128", 2));
    expect(envOf(container(byName(h100, "kubernetes:batch/v1:Job", "hx-job"))).NVIDIA_IMEX_CHANNELS).toBeUndefined();
    const wrongType = await run(training("hy", "gd-8xh100ib-i128", 2, { imex: "dra" }));
    expect(wrongType.error).toMatchObject({ name: "SpecError", path: "coreweave.imex" });
    expect(String(wrongType.error)).toContain("applies to training on a multi-node NVLink instance type (gb200-4x); this plan is training on gd-8xh100ib-i128");
    const unknown = await run(training("hz", "gb200-4x", 18, { imex: "daemon" } as never));
    expect(unknown.error).toMatchObject({ name: "SpecError", path: "coreweave.imex" });
    expect(String(unknown.error)).toContain("valid: 'node', 'dra'");
  });

  it('coreweave.imex "dra", one rack: a ComputeDomain, every pod claims its channel (no NVIDIA_IMEX_CHANNELS) and must share a clique; the Job waits for the domain', async () => {
    const { result, registrations } = await runRecording(training("nvl", "gb200-4x", 18, { imex: "dra" }));
    expect(result.error).toBeUndefined();
    const domain = byName(result, "kubernetes:resource.nvidia.com/v1beta1:ComputeDomain", "nvl-compute-domain");
    expect(domain.inputs).toMatchObject({
      apiVersion: "resource.nvidia.com/v1beta1",
      kind: "ComputeDomain",
      metadata: { name: "nvl-nvlink", namespace: "nvl" },
      spec: { numNodes: 0, channel: { resourceClaimTemplate: { name: "nvl-imex-channel" } } },
    });
    const job = byName(result, "kubernetes:batch/v1:Job", "nvl-job");
    const pod = job.inputs.spec.template.spec;
    expect(pod.resourceClaims).toEqual([{ name: "compute-domain-channel", resourceClaimTemplateName: "nvl-imex-channel" }]);
    expect(container(job).resources.claims).toEqual([{ name: "compute-domain-channel" }]);
    expect(container(job).resources.limits).toMatchObject({ "nvidia.com/gpu": "4", "rdma/ib": "1" });
    // Selected by the Job-name label only Job pods carry (the anchor selects on its job-only label): the training Job
    // "nvl" and the check Job "nvl-nccl-check", never the node-health DaemonSet's pods on every Node.
    expect(pod.affinity.podAffinity).toEqual({
      requiredDuringSchedulingIgnoredDuringExecution: [
        { topologyKey: "nvidia.com/gpu.clique", labelSelector: { matchExpressions: [{ key: "batch.kubernetes.io/job-name", operator: "In", values: ["nvl", "nvl-nccl-check"] }] } },
      ],
    });
    expect(job.inputs.metadata.name).toBe("nvl");
    for (const ds of ofType(result, "kubernetes:apps/v1:DaemonSet")) {
      const labels = ds.inputs.spec.template.metadata?.labels ?? {};
      expect(labels["batch.kubernetes.io/job-name"]).toBeUndefined();
    }
    expect(envOf(container(job))).toMatchObject({ NCCL_MNNVL_ENABLE: "1", NCCL_NET: "IB" });
    expect(envOf(container(job)).NVIDIA_IMEX_CHANNELS).toBeUndefined();
    expect(envOf(container(job)).CHECK_REQUIRE_FILE).toBeUndefined();
    expect(registrations.get("nvl-job")!.dependencies).toContain(domain.urn);
  });

  it("two racks (36 trays), node IMEX: pods packed by the rack's ds.coreweave.com/nvlink.domain (preferred affinity) and a plan note naming 2 racks of 72 GPUs", async () => {
    let cluster: gpu.TrainingCluster | undefined;
    const result = await run(() => (cluster = training("two", "gb200-4x", 36)()));
    expect(result.error).toBeUndefined();
    const pod = byName(result, "kubernetes:batch/v1:Job", "two-job").inputs.spec.template.spec;
    expect(pod.affinity.podAffinity).toEqual({
      preferredDuringSchedulingIgnoredDuringExecution: [
        {
          weight: 100,
          podAffinityTerm: { topologyKey: "ds.coreweave.com/nvlink.domain", labelSelector: { matchExpressions: [{ key: "batch.kubernetes.io/job-name", operator: "In", values: ["two", "two-nccl-check"] }] } },
        },
      ],
    });
    const plan = await new Promise<gpu.Plan>((done) => cluster!.plan.apply(done));
    expect(plan.notes.join("\n")).toContain("gb200-4x: 2 whole NVLink racks of 18 Nodes (72 GPUs each");
    expect(plan.notes.join("\n")).toContain("the acceptance test's two pods share one NVLink domain (required affinity)");
    expect(plan.notes.join("\n")).toContain("preferred affinity on ds.coreweave.com/nvlink.domain");
    const check = byName(result, "kubernetes:batch/v1:Job", "two-nccl-check").inputs.spec.template.spec;
    expect(check.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey).toBe("ds.coreweave.com/nvlink.domain");
  });

  it("with the acceptance test on, the check Job's name is the one the affinity selects, and its pods carry the same affinity", async () => {
    const result = await run(() => new gpu.TrainingCluster("chk", { cloud: "coreweave", region: "US-EAST-01", gpu: { instanceType: "gb200-4x", nodes: 18 }, coreweave: { acceptanceTest: true, imex: "dra" } } as gpu.TrainingClusterArgs));
    expect(result.error).toBeUndefined();
    const jobs = ofType(result, "kubernetes:batch/v1:Job");
    expect(jobs.map((j) => j.inputs.metadata.name).sort()).toEqual(["chk", "chk-nccl-check"]);
    for (const job of jobs) {
      expect(job.inputs.spec.template.spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions[0].values).toEqual(["chk", "chk-nccl-check"]);
    }
  });

  it("two racks: the training pods are packed by clique (preferred), the acceptance test's pair must share one (required)", async () => {
    const result = await run(() => new gpu.TrainingCluster("duo", { cloud: "coreweave", region: "US-EAST-01", gpu: { instanceType: "gb200-4x", nodes: 36 }, coreweave: { acceptanceTest: true, imex: "dra" } } as gpu.TrainingClusterArgs));
    expect(result.error).toBeUndefined();
    const term = { topologyKey: "nvidia.com/gpu.clique", labelSelector: { matchExpressions: [{ key: "batch.kubernetes.io/job-name", operator: "In", values: ["duo", "duo-nccl-check"] }] } };
    expect(byName(result, "kubernetes:batch/v1:Job", "duo-job").inputs.spec.template.spec.affinity.podAffinity).toEqual({ preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] });
    const check = byName(result, "kubernetes:batch/v1:Job", "duo-nccl-check").inputs.spec.template.spec;
    expect(check.affinity.podAffinity).toEqual({ requiredDuringSchedulingIgnoredDuringExecution: [term] });
    // The pair still claims the IMEX channel and lands on the pool's GPU Nodes.
    expect(check.resourceClaims).toEqual([{ name: "compute-domain-channel", resourceClaimTemplateName: "duo-imex-channel" }]);
  });

  it("the gate and the default training run CoreWeave's PyTorch build on NCCL 2.28.3 (MNNVL needs 2.25.2+), against the one-rack NVLink floor of 408.7 GB/s", async () => {
    const result = await run(() => new gpu.TrainingCluster("img", { cloud: "coreweave", region: "US-EAST-01", gpu: { instanceType: "gb200-4x", nodes: 18 }, coreweave: { acceptanceTest: true } } as gpu.TrainingClusterArgs));
    expect(result.error).toBeUndefined();
    const image = "ghcr.io/coreweave/ml-containers/torch:8a60b2d-nccl-cuda12.9.1-ubuntu22.04-nccl2.28.3-1-torch2.8.0-vision0.23.0-audio2.8.0-abi1";
    const check = byName(result, "kubernetes:batch/v1:Job", "img-nccl-check");
    expect(container(check).image).toBe(image);
    expect(container(byName(result, "kubernetes:batch/v1:Job", "img-job")).image).toBe(image);
    // 60% of coreweave/nccl-tests' one-rack 1 GiB all-reduce, 681.17 GB/s: 408.702, rounded down to 408.7. A fallback
    // to InfiniBand (4 x 400 Gbps per tray) tops out at 200 GB/s x 2(8-1)/8 = 350 GB/s over two trays, below it.
    const env = envOf(container(check));
    expect(env.CHECK_FLOOR_GBPS).toBe("408.7");
    expect(env.CHECK_FAILURE_MESSAGE).toContain("below the floor of 408.7 GB/s (60% of the 681.17 GB/s published for it");
    expect(env.CHECK_FAILURE_MESSAGE).toContain("the pods did not get an IMEX channel (node IMEX: the rack's nvidia-imex daemon down");
    expect(env.CHECK_FAILURE_MESSAGE).toContain('on CoreWeave, coreweave.imex: "dra" where CoreWeave enabled DRA IMEX');
    expect(env.CHECK_FAILURE_MESSAGE).toContain("NCCL older than 2.25.2");
  });

  it("H100 keeps NGC PyTorch 25.01 for the gate (no multi-node NVLink to reach)", async () => {
    const result = await run(() => new gpu.TrainingCluster("hq", { cloud: "coreweave", region: "US-EAST-01", gpu: { instanceType: "gd-8xh100ib-i128", nodes: 2 }, coreweave: { acceptanceTest: true } } as gpu.TrainingClusterArgs));
    expect(result.error).toBeUndefined();
    const check = byName(result, "kubernetes:batch/v1:Job", "hq-nccl-check");
    expect(container(check).image).toBe("nvcr.io/nvidia/pytorch:25.01-py3");
    expect(envOf(container(check)).CHECK_FAILURE_MESSAGE).not.toContain("IMEX");
  });

  it("a partial rack (20 trays) is a SpecError naming the whole-rack counts", async () => {
    const result = await run(training("part", "gb200-4x", 20));
    expect(result.error).toMatchObject({ name: "SpecError", path: "gpu.nodes" });
    expect(String(result.error)).toContain("gb200-4x comes in whole units of 18 nodes (72 GPUs); 20 nodes is not one");
    expect(String(result.error)).toContain("use 36 nodes (144 GPUs)");
  });

  it("H100 training and a GB200 inference fleet get no ComputeDomain, claims or NVLink-domain affinity", async () => {
    const h100 = await run(training("hop", "gd-8xh100ib-i128", 2));
    expect(ofType(h100, "kubernetes:resource.nvidia.com/v1beta1:ComputeDomain")).toHaveLength(0);
    const pod = byName(h100, "kubernetes:batch/v1:Job", "hop-job").inputs.spec.template.spec;
    expect(pod.resourceClaims).toBeUndefined();
    expect(JSON.stringify(pod.affinity.podAffinity)).not.toContain("nvidia.com/gpu.clique");
    const fleet = await run(() => new gpu.InferenceFleet("srv", { cloud: "coreweave", region: "US-EAST-01", gpu: { model: "GB200", count: 4 }, replicas: { min: 18, max: 18 } }));
    expect(fleet.error).toBeUndefined();
    expect(ofType(fleet, "kubernetes:resource.nvidia.com/v1beta1:ComputeDomain")).toHaveLength(0);
  });
});

/**
 * The cross-rack pair (issue 14, "The gate"), against:
 * - coreweave/nccl-tests mpi-operator/nccl-test-distributed-gb200-128-multirack-mpijob.yaml (cb865533, 2026-05-27,
 *   read 2026-11-30): CoreWeave's GB200 job across 2 racks spreads its workers one rack apart (topologySpreadConstraints
 *   maxSkew 1, minDomains 2) with InfiniBand between them (NCCL_IB_HCA=ibp, NCCL_NET_PLUGIN=none);
 * - NCCL's user guide, Troubleshooting, "Multi-node NVLink (MNNVL) issues" (github.com/NVIDIA/nccl docs, read
 *   2026-11-30): NCCL uses MNNVL within an NVLink domain unless NCCL_MNNVL_ENABLE=0;
 * - the floor: no published two-tray InfiniBand-only GB200 run (coreweave/nccl-tests README @cb86553 has 1, 2 and 20
 *   racks, all with MNNVL inside each rack), so the line-rate rule on the catalog's 4 x 400 Gb/s per tray, the NICs of
 *   Azure's Standard_ND128isr_NDR_GB200_v6 and the same floor: 25% of 200 GB/s x 2(8-1)/8 = 350 GB/s = 87.5 GB/s.
 */
describe("CoreWeave GB200 NVL72 across racks: a second gate pair over InfiniBand", () => {
  const IB_TERM = (job: string) => ({ topologyKey: "ds.coreweave.com/nvlink.domain", labelSelector: { matchExpressions: [{ key: "batch.kubernetes.io/job-name", operator: "In", values: [job] }] } });

  it("36 trays (2 racks): two check Jobs; the second puts its pods in different cliques, claims no IMEX channel, runs with MNNVL off over IB, against 87.5 GB/s", async () => {
    const { result, registrations } = await runRecording(training("duo", "gb200-4x", 36));
    expect(result.error).toBeUndefined();
    const jobs = ofType(result, "kubernetes:batch/v1:Job").map((j) => j.inputs.metadata.name).sort();
    expect(jobs).toEqual(["duo", "duo-nccl-check", "duo-nccl-check-ib"]);

    // The one-rack pair is unchanged: one clique, the IMEX channel, the NVLink floor.
    const inRack = byName(result, "kubernetes:batch/v1:Job", "duo-nccl-check");
    expect(inRack.inputs.spec.template.spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution).toHaveLength(1);
    expect(inRack.inputs.spec.template.spec.affinity.podAntiAffinity).toBeUndefined();
    expect(envOf(container(inRack))).toMatchObject({ CHECK_FLOOR_GBPS: "408.7", NCCL_MNNVL_ENABLE: "1" });

    const cross = byName(result, "kubernetes:batch/v1:Job", "duo-nccl-check-ib");
    const pod = cross.inputs.spec.template.spec;
    expect(pod.affinity.podAntiAffinity).toEqual({ requiredDuringSchedulingIgnoredDuringExecution: [IB_TERM("duo-nccl-check-ib")] });
    expect(pod.affinity.podAffinity).toBeUndefined();
    expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions).toEqual([
      { key: "gpu-cluster/pool", operator: "In", values: ["duo-pool"] },
      { key: "node.kubernetes.io/instance-type", operator: "In", values: ["gb200-4x"] },
    ]);
    expect(pod.resourceClaims).toBeUndefined();
    expect(container(cross).resources.claims).toBeUndefined();
    expect(container(cross).resources.limits).toMatchObject({ "nvidia.com/gpu": "4", "rdma/ib": "1" });
    expect(cross.inputs.spec).toMatchObject({ completionMode: "Indexed", completions: 2, parallelism: 2, backoffLimit: 0 });

    const env = envOf(container(cross));
    expect(env).toMatchObject({
      ...IB,
      NCCL_MNNVL_ENABLE: "0",
      // MNNVL off: the pair needs no IMEX channel, so it skips node IMEX's channel test.
      CHECK_REQUIRE_FILE: "",
      GPU_CLUSTER_EXPECTED_IB: "4",
      MASTER_ADDR: "duo-nccl-check-ib-0.duo-nccl-check-ib",
      NNODES: "2",
      NPROC_PER_NODE: "4",
      CHECK_RESULT_CONFIGMAP: "duo-nccl-check-ib",
      CHECK_FLOOR_GBPS: "87.5",
    });
    expect(env.CHECK_FAILURE_MESSAGE).toContain(
      "fabric check FAILED on gb200-4x (infiniband, kubernetes): NCCL all-reduce bus bandwidth across 2 nodes in two different NVLink domains (racks), over InfiniBand only is {measured} GB/s,",
    );
    expect(env.CHECK_FAILURE_MESSAGE).toContain("below the floor of 87.5 GB/s (25% of its 350 GB/s line-rate ceiling (no published result)");
    expect(env.CHECK_FAILURE_MESSAGE).toContain("1. InfiniBand between the two racks is degraded");
    expect(env.CHECK_FAILURE_MESSAGE).toContain("NCCL not pinned to the InfiniBand HCAs (NCCL_NET=IB, NCCL_IB_HCA=ibp)");
    expect(env.CHECK_FAILURE_MESSAGE).not.toContain("IMEX");

    // Its own ConfigMap, Role (that one ConfigMap only) and headless Service; the training Job waits for both checks.
    const role = byName(result, "kubernetes:rbac.authorization.k8s.io/v1:Role", "duo-nccl-check-ib");
    expect(role.inputs.rules).toEqual([{ apiGroups: [""], resources: ["configmaps"], resourceNames: ["duo-nccl-check-ib"], verbs: ["patch", "update"] }]);
    expect(byName(result, "kubernetes:core/v1:Service", "duo-nccl-check-ib-svc").inputs.spec.selector).toEqual({ "app.kubernetes.io/name": "duo-nccl-check-ib", "gpu-cluster/name": "duo" });
    const deps = registrations.get("duo-job")!.dependencies;
    expect(deps).toContain(inRack.urn);
    expect(deps).toContain(cross.urn);
    // Both checks' floors are the component's outputs (the figures are unknown offline: nothing runs).
    const component = ofType(result, "gpu-cluster:index:TrainingCluster")[0]!;
    expect(component.outputs.ncclBusBandwidthFloorGBps).toBe(408.7);
    expect(component.outputs.ncclCrossRackBusBandwidthFloorGBps).toBe(87.5);
  });

  it("the verdict: a TCP-like 12.3 GB/s between racks fails with the figure, the floor and InfiniBand's causes; 210 GB/s passes; no cross-rack gate on H100", () => {
    const plan = gpu.planCluster({ cloud: "coreweave", region: "US-EAST-01", gpu: { instanceType: "gb200-4x", nodes: 36 } });
    const gate = fabricGate(plan, "kubernetes", "across-nvlink-domains")!;
    expect(gate.floor.floorGBps).toBe(87.5);
    expect(gatePasses(gate, 12.3)).toBe(false);
    expect(gatePasses(gate, 87.4)).toBe(false);
    expect(gatePasses(gate, 210)).toBe(true);
    const message = gateFailureMessage(gate, "12.30");
    expect(message).toContain("across 2 nodes in two different NVLink domains (racks), over InfiniBand only is 12.30 GB/s,");
    expect(message).toContain("below the floor of 87.5 GB/s");
    expect(message).toContain("2. the two racks are not on one InfiniBand fabric or partition");
    expect(message).toContain("3. the pod did not get the Node's HCAs: no rdma/ib request");
    expect(message).toMatch(/Rerun `pulumi up` after a fix \(the check Job is replaced\)/);
    // The in-rack pair keeps the NVLink floor and its own causes.
    expect(fabricGate(plan, "kubernetes")!.floor.floorGBps).toBe(408.7);
    const h100 = gpu.planCluster({ cloud: "coreweave", region: "US-EAST-01", gpu: { instanceType: "gd-8xh100ib-i128", nodes: 4 } });
    expect(fabricGate(h100, "kubernetes", "across-nvlink-domains")).toBeUndefined();
  });

  it("18 trays (1 rack): one check Job only, and no anti-affinity anywhere", async () => {
    const result = await run(training("one", "gb200-4x", 18));
    expect(result.error).toBeUndefined();
    expect(ofType(result, "kubernetes:batch/v1:Job").map((j) => j.inputs.metadata.name).sort()).toEqual(["one", "one-nccl-check"]);
    expect(ofType(result, "gpu-cluster:index:TrainingCluster")[0]!.outputs.ncclCrossRackBusBandwidthFloorGBps).toBeUndefined();
    for (const job of ofType(result, "kubernetes:batch/v1:Job")) expect(job.inputs.spec.template.spec.affinity.podAntiAffinity).toBeUndefined();
  });

  it("54 trays (3 racks) get the pair too; acceptanceTest: false builds neither; H100 never gets one", async () => {
    const three = await run(training("tri", "gb200-4x", 54));
    expect(ofType(three, "kubernetes:batch/v1:Job").map((j) => j.inputs.metadata.name).sort()).toEqual(["tri", "tri-nccl-check", "tri-nccl-check-ib"]);
    const off = await run(() => new gpu.TrainingCluster("off", { cloud: "coreweave", region: "US-EAST-01", gpu: { instanceType: "gb200-4x", nodes: 36 }, coreweave: { acceptanceTest: false } } as gpu.TrainingClusterArgs));
    expect(off.error).toBeUndefined();
    expect(ofType(off, "kubernetes:batch/v1:Job").map((j) => j.inputs.metadata.name)).toEqual(["off"]);
    const h100 = await run(training("hh", "gd-8xh100ib-i128", 36));
    expect(ofType(h100, "kubernetes:batch/v1:Job").map((j) => j.inputs.metadata.name).sort()).toEqual(["hh", "hh-nccl-check"]);
  });

  it("the 2-rack plan note names the pair and its floor", async () => {
    let cluster: gpu.TrainingCluster | undefined;
    expect((await run(() => (cluster = training("note", "gb200-4x", 36)()))).error).toBeUndefined();
    const plan = await new Promise<gpu.Plan>((done) => cluster!.plan.apply(done));
    expect(plan.notes.join("\n")).toContain(
      "a second pair, one pod in each of two racks (required anti-affinity on ds.coreweave.com/nvlink.domain) with multi-node NVLink off (NCCL_MNNVL_ENABLE=0), checks InfiniBand between racks against 87.5 GB/s",
    );
  });
});

/**
 * InfiniBand locality without Kueue, against CoreWeave's InfiniBand and RoCE labels page
 * (https://docs.coreweave.com/products/networking/hpc-interconnect/infiniband-roce-labels, read 2026-12-01):
 * `backend.coreweave.cloud/leafgroup` names the group of leaf switches serving a Node, a label "to control where Pods
 * are scheduled"; and coreweave/nccl-tests' GB200 MPIJobs (@cb86553), whose workers prefer each other's topology domain
 * (podAffinity preferred, weight 100). With Kueue, its topology-aware scheduling places the Job instead (kueue.test.ts).
 */
describe("CoreWeave InfiniBand training without Kueue: pods prefer one leaf group", () => {
  const LEAF = (job: string) => ({
    preferredDuringSchedulingIgnoredDuringExecution: [
      {
        weight: 100,
        podAffinityTerm: { topologyKey: "backend.coreweave.cloud/leafgroup", labelSelector: { matchExpressions: [{ key: "batch.kubernetes.io/job-name", operator: "In", values: [job, `${job}-nccl-check`] }] } },
      },
    ],
  });

  it("H100 (4 Nodes): the training Job and the check Job prefer the leaf group of their own pods", async () => {
    const result = await run(training("leaf", "gd-8xh100ib-i128", 4));
    expect(result.error).toBeUndefined();
    expect(byName(result, "kubernetes:batch/v1:Job", "leaf-job").inputs.spec.template.spec.affinity.podAffinity).toEqual(LEAF("leaf"));
    expect(byName(result, "kubernetes:batch/v1:Job", "leaf-nccl-check").inputs.spec.template.spec.affinity.podAffinity).toEqual(LEAF("leaf"));
  });

  it("with coreweave.kueue the pods carry no leaf-group affinity (Kueue places them by fabric > leafgroup)", async () => {
    const result = await run(training("kq", "gd-8xh100ib-i128", 4, { kueue: true }));
    expect(result.error).toBeUndefined();
    expect(byName(result, "kubernetes:batch/v1:Job", "kq-job").inputs.spec.template.spec.affinity.podAffinity).toBeUndefined();
    const topology = ofType(result, "kubernetes:kueue.x-k8s.io/v1beta1:Topology")[0]!;
    expect(topology.inputs.spec.levels.map((l: { nodeLabel: string }) => l.nodeLabel)).toEqual(["backend.coreweave.cloud/fabric", "backend.coreweave.cloud/leafgroup", "kubernetes.io/hostname"]);
  });

  it("GB200 with coreweave.kueue: Kueue's levels add the rack (ds.coreweave.com/nvlink.domain) below the leaf group, and the Job prefers one rack", async () => {
    let cluster: gpu.TrainingCluster | undefined;
    const result = await run(() => (cluster = training("kgb", "gb200-4x", 36, { kueue: true })()));
    expect(result.error).toBeUndefined();
    const topology = ofType(result, "kubernetes:kueue.x-k8s.io/v1beta1:Topology")[0]!;
    expect(topology.inputs.spec.levels.map((l: { nodeLabel: string }) => l.nodeLabel)).toEqual([
      "backend.coreweave.cloud/fabric",
      "backend.coreweave.cloud/leafgroup",
      "ds.coreweave.com/nvlink.domain",
      "kubernetes.io/hostname",
    ]);
    const job = byName(result, "kubernetes:batch/v1:Job", "kgb-job");
    expect(job.inputs.spec.template.metadata.annotations).toMatchObject({ "kueue.x-k8s.io/podset-preferred-topology": "ds.coreweave.com/nvlink.domain" });
    const plan = await new Promise<gpu.Plan>((done) => cluster!.plan.apply(done));
    expect(plan.notes.join("\n")).toContain("placed within the narrowest of backend.coreweave.cloud/fabric > backend.coreweave.cloud/leafgroup > ds.coreweave.com/nvlink.domain that holds it");
  });

  it("GB200 keeps its NVLink-domain affinity alone (required on one rack with DRA IMEX); a fleet and a TCP-only cluster get none", async () => {
    const rack = await run(training("gbl", "gb200-4x", 18, { imex: "dra" }));
    expect(JSON.stringify(byName(rack, "kubernetes:batch/v1:Job", "gbl-job").inputs.spec.template.spec.affinity.podAffinity)).not.toContain("leafgroup");
    expect(byName(rack, "kubernetes:batch/v1:Job", "gbl-job").inputs.spec.template.spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey).toBe("nvidia.com/gpu.clique");
    const racks = await run(training("gbm", "gb200-4x", 36));
    expect(JSON.stringify(byName(racks, "kubernetes:batch/v1:Job", "gbm-job").inputs.spec.template.spec.affinity.podAffinity)).not.toContain("leafgroup");
    const fleet = await run(() => new gpu.InferenceFleet("fl", { cloud: "coreweave", region: "US-EAST-04", gpu: { instanceType: "gd-8xh100ib-i128" }, replicas: { min: 1, max: 2 } }));
    expect(fleet.error).toBeUndefined();
    expect(ofType(fleet, "kubernetes:apps/v1:Deployment")[0]!.inputs.spec.template.spec.affinity.podAffinity).toBeUndefined();
    const tcp = await run(() => new gpu.TrainingCluster("tcp", { cloud: "coreweave", region: "US-EAST-04", gpu: { instanceType: "gd-8xh100ib-i128", nodes: 2 }, fabric: "none" } as gpu.TrainingClusterArgs));
    expect(tcp.error).toBeUndefined();
    expect(byName(tcp, "kubernetes:batch/v1:Job", "tcp-job").inputs.spec.template.spec.affinity.podAffinity).toBeUndefined();
  });
});
