/**
 * Every training example's workload crosses the fabric between its nodes (issue 14: "the default training command also
 * runs across nodes"). Each Kubernetes training example compiles an indexed Job with one pod per Node (parallelism =
 * completions = the example's node count, each pod taking every GPU of its Node) whose container runs a multi-node
 * launcher over all of them: torchrun with --nnodes = nodes and --nproc-per-node = GPUs per node, or mpirun with
 * -np = nodes × GPUs. A single-process `all_reduce_perf -g 8` would only ever test NVLink inside one Node.
 *
 * Each example is held against the anchor that runs its fabric's NCCL test across nodes (read 2026-11-30, at the
 * commits named), whose shape is the same: one worker per node, one rank per GPU, ranks = workers × GPUs.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { runOffline, type OfflineRun } from "../lib/preview/offline.js";
import { EXAMPLE_CONFIG } from "../scripts/example-config.js";
import { trainingJob } from "./helpers/offline.js";

interface Anchor {
  /** Repository, path and commit (with the file's last change) of the anchor's multi-node NCCL test. */
  source: string;
  /** Its launcher line as written there, and the workers (pods, one per node) it runs on. */
  launcher: string;
  workers: number;
  gpusPerWorker: number;
}

interface Expected {
  nodes: number;
  gpusPerNode: number;
  anchor: Anchor;
}

/** The Kubernetes training examples: node count and GPUs per node as their index.ts states them. */
const TRAINING_EXAMPLES: Record<string, Expected> = {
  "eks-p5-training": {
    nodes: 16,
    gpusPerNode: 8,
    anchor: {
      source: "aws-samples/awsome-distributed-training micro-benchmarks/nccl-tests/kubernetes/nccl-tests.yaml @7217859f (file a7b62b9f, 2026-01-21), an MPIJob",
      launcher: "/opt/amazon/openmpi/bin/mpirun --allow-run-as-root --tag-output -np 16 -N 8 --bind-to none /opt/nccl-tests/build/all_reduce_perf -b 8 -e 16G -f 2 -g 1",
      workers: 2,
      gpusPerWorker: 8,
    },
  },
  "aks-ndv5-training": {
    nodes: 16,
    gpusPerNode: 8,
    anchor: {
      // NUMBER_OF_PROCESSES=$((GPU_PER_NODE_NUMBER * 2)) in tests/scenarios/util.sh; 8 GPUs on ND H100 v5.
      source: "Azure/aks-rdma-infiniband tests/scenarios/k8s/templates/mpi-job.yaml @700dabb (file 2a9d2dd, 2025-04-25), an MPIJob",
      launcher: "mpirun -np 16 -bind-to none /opt/nccl_tests/build/all_reduce_perf -c 0 -b 8 -e 16G -f 4 -g 1 -n 10",
      workers: 2,
      gpusPerWorker: 8,
    },
  },
  "coreweave-h100-training": {
    nodes: 8,
    gpusPerNode: 8,
    anchor: {
      source: "coreweave/nccl-tests mpi-operator/nccl-test-distributed-h100-64-mpijob.yaml @cb86553 (file dde6e6f, 2026-04-05), an MPIJob",
      launcher: "mpirun -np 64 -bind-to none /opt/nccl_tests/build/all_reduce_perf -b 512M -e 8G -f 2 -g 1",
      workers: 8,
      gpusPerWorker: 8,
    },
  },
  "gke-a3mega-training": {
    nodes: 16,
    gpusPerNode: 8,
    anchor: {
      // Two host pods (nccl-test-host-1/2, 8 GPUs each); the test script runs its benchmark over both through mpirun.
      source: "GoogleCloudPlatform/container-engine-accelerators gpudirect-tcpxo/nccl-test-latest.yaml @992db812 (file abbe8ddf, 2026-04-20), two host pods",
      launcher: "BENCHMARK=all_gather_perf NHOSTS=2 /scripts/demo-run-nccl-test-tcpxo-via-mpi.sh",
      workers: 2,
      gpusPerWorker: 8,
    },
  },
};

/** What a launcher line runs: nodes and ranks per node for torchrun, total ranks for mpirun (-np), or hosts (NHOSTS). */
export function launcher(line: string): { kind: "torchrun"; nnodes: number; nprocPerNode: number } | { kind: "mpirun"; ranks: number } | { kind: "hosts"; hosts: number } | undefined {
  const torchrun = /\btorchrun\b(.*)/.exec(line);
  if (torchrun) {
    const nnodes = /--nnodes[= ]"?(\d+)"?/.exec(torchrun[1]!);
    const nproc = /--nproc[-_]per[-_]node[= ]"?(\d+)"?/.exec(torchrun[1]!);
    return nnodes && nproc ? { kind: "torchrun", nnodes: Number(nnodes[1]), nprocPerNode: Number(nproc[1]) } : undefined;
  }
  const mpirun = /\bmpirun\b.*?\s-(?:np|n)\s+"?(\d+)"?/.exec(line);
  if (mpirun) return { kind: "mpirun", ranks: Number(mpirun[1]) };
  const hosts = /\bNHOSTS=(\d+)/.exec(line);
  return hosts ? { kind: "hosts", hosts: Number(hosts[1]) } : undefined;
}

/** The command line with the container's plain env values put in for `$NAME` / `"$NAME"` (as the shell would). */
function expanded(command: string[], env: { name: string; value?: unknown }[]): string {
  const plain = new Map(env.filter((e) => typeof e.value === "string").map((e) => [e.name, e.value as string]));
  return command.join(" ").replace(/\\?"?\$\{?(\w+)\}?\\?"?/g, (whole, name: string) => plain.get(name) ?? whole);
}

const EXAMPLES = path.resolve(__dirname, "..", "examples");
const projects = fs.readdirSync(EXAMPLES).filter((name) => fs.existsSync(path.join(EXAMPLES, name, "Pulumi.yaml")));

const runs = new Map<string, Promise<OfflineRun>>();
function runExample(name: string): Promise<OfflineRun> {
  if (!runs.has(name)) runs.set(name, runOffline(async () => { await import(`../examples/${name}/index.ts`); }, { config: EXAMPLE_CONFIG }));
  return runs.get(name)!;
}

describe("the launcher parser", () => {
  it("reads torchrun's nodes and ranks per node, mpirun's total ranks and the TCPXO script's hosts", () => {
    expect(launcher("torchrun --nnodes=16 --nproc-per-node=8 train.py")).toEqual({ kind: "torchrun", nnodes: 16, nprocPerNode: 8 });
    expect(launcher('exec torchrun --nnodes="4" --nproc_per_node="8" --node-rank=0 x.py')).toEqual({ kind: "torchrun", nnodes: 4, nprocPerNode: 8 });
    // A torchrun whose node count the shell never resolved says nothing.
    expect(launcher('torchrun --nnodes="$NNODES" --nproc-per-node=8 x.py')).toBeUndefined();
    expect(launcher(TRAINING_EXAMPLES["eks-p5-training"]!.anchor.launcher)).toEqual({ kind: "mpirun", ranks: 16 });
    expect(launcher("/opt/nccl-tests/build/all_reduce_perf -b 1G -e 16G -f 2 -g 8")).toBeUndefined();
    expect(expanded(["bash", "-c", 'torchrun --nnodes="$NNODES" --nproc-per-node="$NPROC_PER_NODE" --node-rank="$JOB_COMPLETION_INDEX"'], [{ name: "NNODES", value: "16" }, { name: "NPROC_PER_NODE", value: "8" }]))
      .toBe('bash -c torchrun --nnodes=16 --nproc-per-node=8 --node-rank="$JOB_COMPLETION_INDEX"');
  });
});

describe("every training example runs its workload across all its nodes", () => {
  it("the Kubernetes training examples are exactly the ones held here (a new one must be added)", async () => {
    const withJob: string[] = [];
    for (const name of projects) {
      const result = await runExample(name);
      expect(result.error, name).toBeUndefined();
      if (result.resources.some((r) => r.type === "kubernetes:batch/v1:Job")) withJob.push(name);
    }
    expect(withJob.sort()).toEqual(Object.keys(TRAINING_EXAMPLES).sort());
  });

  it.each(Object.entries(TRAINING_EXAMPLES).map(([name, e]) => [name, e.nodes, e.anchor.source, e] as const))(
    "%s: an indexed Job of %i pods, one per Node, launching one rank per GPU on every Node, like %s",
    async (name, _nodes, _source, { nodes, gpusPerNode, anchor }) => {
      // The anchor's own shape: one worker per node, ranks = workers × GPUs.
      const theirs = launcher(anchor.launcher);
      if (theirs?.kind === "mpirun") expect(theirs.ranks).toBe(anchor.workers * anchor.gpusPerWorker);
      else expect(theirs).toEqual({ kind: "hosts", hosts: anchor.workers });

      const result = await runExample(name);
      expect(result.error).toBeUndefined();
      const job = trainingJob(result).inputs;
      expect(job.spec.completionMode).toBe("Indexed");
      expect(job.spec.parallelism).toBe(nodes);
      expect(job.spec.completions).toBe(nodes);
      // Each pod takes every GPU of its Node, so the Job's pods land one per Node.
      const trainers = (job.spec.template.spec.containers as any[]).filter((c) => c.resources?.limits?.["nvidia.com/gpu"] !== undefined);
      expect(trainers.length).toBe(1);
      const trainer = trainers[0];
      expect(Number(trainer.resources.limits["nvidia.com/gpu"])).toBe(gpusPerNode);
      // The launcher, as the pod's shell runs it: every Node, every GPU.
      const env = trainer.env as { name: string; value?: unknown }[];
      const line = expanded([...(trainer.command ?? []), ...(trainer.args ?? [])], env);
      const ours = launcher(line);
      if (ours?.kind === "mpirun") expect(ours.ranks).toBe(nodes * gpusPerNode);
      else expect(ours).toEqual({ kind: "torchrun", nnodes: nodes, nprocPerNode: gpusPerNode });
      // torchrun's rendezvous: rank 0's stable DNS name through the headless Service, and the node rank from the index.
      expect(line).toMatch(/--node-rank="?\$JOB_COMPLETION_INDEX"?/);
      const masterAddr = env.find((e) => e.name === "MASTER_ADDR")?.value;
      expect(masterAddr).toBe(`${job.metadata.name}-0.${job.metadata.name}`);
      expect(line).toContain(`--master-addr=${masterAddr}`);
    },
  );
});
