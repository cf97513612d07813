/**
 * The fabric gate on GCP VMs (lib/clouds/gcp/fabric-gate.ts): the check's script and where it runs, the guest
 * attributes it publishes, and the read-back that waits for them during `up` and fails it below the floor.
 *
 * The wait is checked with a fake clock (no test waits on real time); the wiring runs the real SDK under mocks with
 * `dryRun: false`, as `pulumi up` would. Sources (read 2026-11-30): guest attributes,
 * https://cloud.google.com/compute/docs/metadata/manage-guest-attributes; `waitForInstances` returns when instances
 * are RUNNING, https://www.pulumi.com/registry/packages/gcp/api-docs/compute/instancegroupmanager/.
 */
import * as pulumi from "@pulumi/pulumi";
import { afterEach, describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { awaitGateVerdict, GATE_KEYS, GATE_WINDOW_SECONDS, POLL_SECONDS, RUN_SECONDS, gcpGateLines, gcpGatePeers, type GateReads } from "../lib/clouds/gcp/fabric-gate.js";
import { gcpOfflineInvokes } from "../lib/clouds/gcp/offline-invokes.js";
import { NODE_API } from "../lib/clouds/gcp/node-api.js";
import { fabricGate, type FabricGate } from "../lib/clouds/shared/fabric-gate.js";
import { one, run } from "./helpers/offline.js";

const TEMPLATE = "gcp:compute/instanceTemplate:InstanceTemplate";

function planOf(instanceType: string, nodes = 2, extra: Record<string, unknown> = {}) {
  return gpu.planCluster({ cloud: "gcp", region: "us-central1", gpu: { instanceType, nodes }, ...extra } as gpu.TrainingClusterArgs);
}

const MEGA = planOf("a3-megagpu-8g");
const gate: FabricGate = fabricGate(MEGA, "vm")!;

/** Fake reads: a clock that moves only when the wait sleeps, and attributes per instance per poll. */
function fakeReads(opts: { ageAtStart: number; instances: string[]; attributes: (instance: string, poll: number) => Record<string, string> | undefined }) {
  let t = 0;
  let poll = 0;
  const asked: string[] = [];
  const reads: GateReads = {
    instances: async () => [...opts.instances],
    attributes: async (instance) => {
      asked.push(instance);
      const values = opts.attributes(instance, poll);
      if (!values) throw new Error("guest attributes not found");
      return values;
    },
    groupAgeSeconds: () => opts.ageAtStart + t,
    now: () => t,
    sleep: async (seconds) => {
      t += seconds;
      poll += 1;
    },
  };
  return { reads, asked, polls: () => poll };
}

describe("awaitGateVerdict: the wait for the check's verdict", () => {
  it("returns the figure of a passed check, reading only the two lowest-named instances", async () => {
    const f = fakeReads({
      ageAtStart: 60,
      instances: ["pretrain-zz99", "pretrain-b2c3", "pretrain-a1b2"],
      attributes: (i) => (i === "pretrain-a1b2" ? { [GATE_KEYS.verdict]: "passed", [GATE_KEYS.busbw]: "181.42" } : undefined),
    });
    await expect(awaitGateVerdict(gate, f.reads)).resolves.toBe("181.42");
    expect(f.asked).toEqual(["pretrain-a1b2"]);
  });

  it("keeps reading while the check runs (and before it starts), then returns its figure", async () => {
    const f = fakeReads({
      ageAtStart: 30,
      instances: ["n-a", "n-b"],
      attributes: (i, poll): Record<string, string> | undefined =>
        poll < 3 ? undefined : poll >= 10 && i === "n-a" ? { [GATE_KEYS.verdict]: "passed", [GATE_KEYS.busbw]: "175.00" } : { [GATE_KEYS.verdict]: "running" },
    });
    await expect(awaitGateVerdict(gate, f.reads)).resolves.toBe("175.00");
    expect(f.polls()).toBe(10);
    expect(new Set(f.asked)).toEqual(new Set(["n-a", "n-b"]));
  });

  it("a figure below the floor fails with the gate's message: the figure, the floor and the likely causes", async () => {
    const f = fakeReads({ ageAtStart: 60, instances: ["n-a", "n-b"], attributes: (i) => (i === "n-a" ? { [GATE_KEYS.verdict]: "failed", [GATE_KEYS.busbw]: "12.5" } : undefined) });
    const err = await awaitGateVerdict(gate, f.reads).then(() => undefined, (e: Error) => e);
    expect(err?.message).toContain(`fabric check FAILED on a3-megagpu-8g (gpudirect-tcpxo, vm): NCCL all-reduce bus bandwidth across 2 nodes is 12.5 GB/s,`);
    expect(err?.message).toContain(`below the floor of ${gate.floor.floorGBps} GB/s`);
    expect(err?.message).toContain("the TCPXO NCCL plugin not installed, or NCCL_FASTRAK_* settings missing");
  });

  it("a check that could not run (its partner never came up) fails with the node's note", async () => {
    const note = "pretrain-a1b2 or pretrain-b2c3 did not come up in 15 minutes (no capacity for it?)";
    const f = fakeReads({ ageAtStart: 900, instances: ["pretrain-b2c3"], attributes: () => ({ [GATE_KEYS.verdict]: "failed", [GATE_KEYS.note]: note }) });
    const err = await awaitGateVerdict(gate, f.reads).then(() => undefined, (e: Error) => e);
    expect(err?.message).toContain("is no figure GB/s");
    expect(err?.message).toContain(`On pretrain-b2c3: ${note}`);
  });

  it("no check node starting within the window fails once the window is over, naming capacity", async () => {
    const f = fakeReads({ ageAtStart: 120, instances: [], attributes: () => undefined });
    await expect(awaitGateVerdict(gate, f.reads)).rejects.toThrow(`no check node started within ${GATE_WINDOW_SECONDS} s of the group's creation (no capacity for the first two nodes`);
    // Read every POLL_SECONDS until the window closed: from age 120 to 3600.
    expect(f.polls()).toBe(Math.ceil((GATE_WINDOW_SECONDS - 120) / POLL_SECONDS));
  });

  it("a started check that stays silent past its bound fails", async () => {
    const f = fakeReads({ ageAtStart: 600, instances: ["n-a", "n-b"], attributes: () => ({ [GATE_KEYS.verdict]: "running" }) });
    await expect(awaitGateVerdict(gate, f.reads)).rejects.toThrow(`published nothing for ${RUN_SECONDS} s`);
  });

  it("a group older than the window and a run is read once: its figure if still there, else undefined, never a wait", async () => {
    const old = GATE_WINDOW_SECONDS + RUN_SECONDS + 1;
    const gone = fakeReads({ ageAtStart: old, instances: ["n-a", "n-b"], attributes: () => undefined });
    await expect(awaitGateVerdict(gate, gone.reads)).resolves.toBeUndefined();
    expect(gone.polls()).toBe(0);
    const kept = fakeReads({ ageAtStart: old, instances: ["n-a", "n-b"], attributes: (i) => (i === "n-b" ? { [GATE_KEYS.verdict]: "passed", [GATE_KEYS.busbw]: "190.1" } : undefined) });
    await expect(awaitGateVerdict(gate, kept.reads)).resolves.toBe("190.1");
  });
});

describe("the check on the nodes", () => {
  it("runs on the first two names the group manages, once, only in the group's first hour, and publishes its state", () => {
    const peers = gcpGatePeers(MEGA);
    const lines = peers.rankLines.join("\n");
    expect(lines).toContain(`members=$(${NODE_API} members)`);
    expect(lines).toContain(`if [ "$age" -gt ${GATE_WINDOW_SECONDS} ]; then`);
    expect(lines).toContain('if [ "$me" = "$first" ]; then rank=0; elif [ "$me" = "$second" ]; then rank=1;');
    expect(lines).toContain(`${NODE_API} publish fabric-gate running`);
    expect(peers.master).toBe('"$GATE_MASTER"');
  });

  it("gives the A3 Mega container the TCPXO plugin where CUDA images look first, the aperture devices, and the node's NCCL settings", () => {
    expect(gcpGatePeers(MEGA).dockerFlags).toEqual([
      "--env-file /etc/gpu-cluster/nccl-gate.env",
      "-e GATE_MASTER",
      "-v /var/lib/tcpxo/lib64:/usr/local/nvidia/lib64:ro",
      "-v /var/lib/tcpxo/lib64:/var/lib/tcpxo/lib64:ro",
      "-v /dev/aperture_devices:/dev/aperture_devices",
    ]);
    expect(gcpGatePeers(planOf("a3-ultragpu-8g", 2, { pricing: "spot" })).dockerFlags.slice(2)).toEqual(["--device /dev/infiniband", "-v /usr/local/gib/lib64:/usr/local/nvidia/lib64:ro", "-v /usr/local/gib:/usr/local/gib:ro"]);
  });

  it("publishes the figure and the verdict as guest attributes, and starts once without holding up the boot", () => {
    const lines = gcpGateLines(MEGA, true)!.join("\n");
    expect(lines).toContain(`${NODE_API} publish nccl-busbw-gbps "\${busbw:-none}"; ${NODE_API} publish fabric-gate "$verdict"`);
    expect(lines).toContain("[ -e /var/lib/gpu-cluster/fabric-gate-started ] || systemctl start --no-block gpu-cluster-fabric-gate.service");
    expect(gcpGateLines(MEGA, false)).toBeUndefined();
    // No fabric (G2) or one node: no gate.
    expect(gcpGateLines(planOf("g2-standard-48"), true)).toBeUndefined();
    expect(gcpGateLines(planOf("a3-megagpu-8g", 1), true)).toBeUndefined();
  });

  it("the template lets the nodes publish guest attributes only when the gate runs", async () => {
    const on = await run(() => new gpu.TrainingCluster("gate", { cloud: "gcp", region: "us-central1", gpu: { instanceType: "a3-megagpu-8g", nodes: 2 } }));
    expect(on.error).toBeUndefined();
    expect(one(on, TEMPLATE).inputs.metadata["enable-guest-attributes"]).toBe("TRUE");
    expect(String(one(on, TEMPLATE).inputs.metadata["startup-script"])).toContain("systemctl start --no-block gpu-cluster-fabric-gate.service");
    const off = await run(() => new gpu.TrainingCluster("gate", { cloud: "gcp", region: "us-central1", gpu: { instanceType: "a3-megagpu-8g", nodes: 2 }, gcp: { acceptanceTest: false } }));
    expect(one(off, TEMPLATE).inputs.metadata["enable-guest-attributes"]).toBeUndefined();
    expect(String(one(off, TEMPLATE).inputs.metadata["startup-script"])).not.toContain("gpu-cluster-fabric-gate");
    // The plan says that `up` waits, and on what.
    const note = (r: typeof on) => r.costEvents[0]!.plan.notes.find((n) => n.startsWith("GCP fabric gate:"));
    expect(note(on)).toContain(`fails below ${gate.floor.floorGBps} GB/s, or when neither starts within an hour of the group's creation`);
    expect(note(off)).toBeUndefined();
  });
});

/** Run a program as `pulumi up` would (dryRun false) with GCP's answers; returns the component. */
async function up(guest: (instance: string) => Record<string, string> | undefined, invoked: { token: string; args: Record<string, unknown> }[]) {
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const state: Record<string, unknown> = { ...args.inputs };
        if (args.type === "gcp:compute/instanceGroupManager:InstanceGroupManager") Object.assign(state, { name: `${args.name}-1a2b3c4`, project: "proj", creationTimestamp: new Date().toISOString() });
        return { id: `${args.name}-id`, state };
      },
      call(args) {
        invoked.push({ token: args.token, args: args.inputs });
        if (args.token === "gcp:compute/getInstanceGroup:getInstanceGroup") {
          const urls = ["gate-q9zz", "gate-b2c3", "gate-a1b2"].map((n) => `https://www.googleapis.com/compute/v1/projects/proj/zones/${args.inputs.zone}/instances/${n}`);
          return { ...args.inputs, id: "ig", instances: urls, size: 3 };
        }
        if (args.token === "gcp:compute/getInstanceGuestAttributes:getInstanceGuestAttributes") {
          const values = guest(String(args.inputs.name));
          if (!values) throw new Error("The resource 'guestAttributes' was not found");
          return { ...args.inputs, id: "ga", queryValues: Object.entries(values).map(([key, value]) => ({ namespace: "gpu-cluster", key, value })) };
        }
        const simulated = gcpOfflineInvokes[args.token];
        return simulated ? simulated(args.inputs, "us-central1") : args.inputs;
      },
    },
    "proj",
    "dev",
    false,
  );
  return new gpu.TrainingCluster("gate", { cloud: "gcp", region: "us-central1", gpu: { instanceType: "a3-megagpu-8g", nodes: 2 } });
}

const settle = <T>(o: pulumi.Output<T>) => (o as unknown as { promise(): Promise<T> }).promise();

describe("the read-back during up", () => {
  // Each test swaps the mock monitor (setMocks). The previous program's component registers its outputs only after
  // its read-back settles; unwaited, that registration reached the next test's monitor, which did not know the URN
  // ("unknown resource …TrainingCluster::gate") and became that test's first unhandled rejection. Drain it here.
  afterEach(async () => {
    const runtime = pulumi.runtime as unknown as { waitForRPCs(): Promise<void> };
    await new Promise((resolve) => setImmediate(resolve));
    await runtime.waitForRPCs().catch(() => undefined);
  });

  it("turns the lowest-named node's guest attributes into ncclBusBandwidthGBps, read in the group's zone", async () => {
    const invoked: { token: string; args: Record<string, unknown> }[] = [];
    const cluster = await up((i) => (i === "gate-a1b2" ? { [GATE_KEYS.verdict]: "passed", [GATE_KEYS.busbw]: "183.70" } : undefined), invoked);
    await expect(settle(cluster.ncclBusBandwidthGBps)).resolves.toBe("183.70");
    await expect(settle(cluster.ncclBusBandwidthFloorGBps)).resolves.toBe(gate.floor.floorGBps);
    const read = invoked.find((c) => c.token === "gcp:compute/getInstanceGuestAttributes:getInstanceGuestAttributes")!;
    expect(read.args).toMatchObject({ name: "gate-a1b2", zone: "us-central1-a", project: "proj", queryPath: "gpu-cluster/" });
    expect(invoked.find((c) => c.token === "gcp:compute/getInstanceGroup:getInstanceGroup")!.args).toMatchObject({ name: "gate-nodes-1a2b3c4", zone: "us-central1-a" });
  });

  it("fails up with the gate's message when the check failed", async () => {
    // The program's failure reaches the engine as the component's outputs failing (an unhandled rejection here).
    const rejections: unknown[] = [];
    const collect = (reason: unknown) => rejections.push(reason);
    process.on("unhandledRejection", collect);
    try {
      const cluster = await up((i) => (i === "gate-a1b2" ? { [GATE_KEYS.verdict]: "failed", [GATE_KEYS.busbw]: "9.80" } : undefined), []);
      await expect(settle(cluster.ncclBusBandwidthGBps)).rejects.toThrow(/fabric check FAILED on a3-megagpu-8g .* is 9\.80 GB\/s/);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("unhandledRejection", collect);
    }
    expect(rejections.length).toBeGreaterThan(0);
    expect(String((rejections[0] as Error).message)).toContain("on gate-a1b2 and the group's other check node");
  });
});
