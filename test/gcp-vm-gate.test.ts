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
import { awaitGateVerdict, BOOT_MARGIN_SECONDS, GATE_KEYS, GATE_WINDOW_SECONDS, PAIR_WAIT_SECONDS, POLL_SECONDS, RUN_FILE, RUN_SECONDS, gcpGateLines, gcpGatePeers, type CheckInstance, type GateReads } from "../lib/clouds/gcp/fabric-gate.js";
import { gcpOfflineInvokes } from "../lib/clouds/gcp/offline-invokes.js";
import { NODE_API, RETRY_SECONDS } from "../lib/clouds/gcp/node-api.js";
import { fabricGate, vmGateScript, type FabricGate } from "../lib/clouds/shared/fabric-gate.js";
import { one, run } from "./helpers/offline.js";
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const TEMPLATE = "gcp:compute/instanceTemplate:InstanceTemplate";

function planOf(instanceType: string, nodes = 2, extra: Record<string, unknown> = {}) {
  return gpu.planCluster({ cloud: "gcp", region: "us-central1", gpu: { instanceType, nodes }, ...extra } as gpu.TrainingClusterArgs);
}

const MEGA = planOf("a3-megagpu-8g");
const gate: FabricGate = fabricGate(MEGA, "vm")!;

/** The fake instances' ids: `<name>-id` unless a test says otherwise. */
const tagOf = (a: string, b: string) => `${a}-id,${b}-id`;

/** Fake reads: a clock that moves only when the wait sleeps, and attributes per instance per poll. */
function fakeReads(opts: {
  ageAtStart: number;
  instances: string[];
  attributes: (instance: string, poll: number) => Record<string, string> | undefined;
  instance?: (name: string) => Partial<CheckInstance>;
  /** Poll numbers at which instances() throws (a 429 from the API). */
  failAt?: (poll: number) => boolean;
}) {
  let t = 0;
  let poll = 0;
  const asked: string[] = [];
  const warnings: string[] = [];
  const slept: number[] = [];
  const reads: GateReads = {
    instances: async () => {
      if (opts.failAt?.(poll)) throw new Error("googleapi: Error 429: Quota exceeded for quota metric 'Read requests'");
      return [...opts.instances];
    },
    instance: async (name) => ({ id: `${name}-id`, createdAfterGroupSeconds: 60, gateEnabled: true, ...opts.instance?.(name) }),
    attributes: async (instance) => {
      asked.push(instance);
      const values = opts.attributes(instance, poll);
      if (!values) throw new Error("guest attributes not found");
      return values;
    },
    groupAgeSeconds: () => opts.ageAtStart + t,
    now: () => t,
    sleep: async (seconds) => {
      slept.push(seconds);
      t += seconds;
      poll += 1;
    },
    warn: (message) => void warnings.push(message),
  };
  return { reads, asked, warnings, slept, polls: () => poll };
}

describe("awaitGateVerdict: the wait for the check's verdict", () => {
  it("returns the figure of a passed check, reading only the two lowest-named instances", async () => {
    const f = fakeReads({
      ageAtStart: 60,
      instances: ["pretrain-zz99", "pretrain-b2c3", "pretrain-a1b2"],
      attributes: (i) => (i === "pretrain-a1b2" ? { [GATE_KEYS.verdict]: "passed", [GATE_KEYS.busbw]: "181.42" } : undefined),
    });
    await expect(awaitGateVerdict(gate, f.reads)).resolves.toBe("181.42");
    expect(f.asked.sort()).toEqual(["pretrain-a1b2", "pretrain-b2c3"]);
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

describe("awaitGateVerdict: which verdict counts (the run's tag, recreated nodes, read errors)", () => {
  const failed = (run?: string) => ({ [GATE_KEYS.verdict]: "failed", [GATE_KEYS.busbw]: "12.5", ...(run ? { [GATE_KEYS.run]: run } : {}) });

  it("a failed run of the current pair (both current ids in its tag) fails up", async () => {
    const f = fakeReads({ ageAtStart: 600, instances: ["n-a", "n-b"], attributes: (i) => (i === "n-a" ? failed(tagOf("n-a", "n-b")) : { [GATE_KEYS.verdict]: "running", [GATE_KEYS.run]: tagOf("n-a", "n-b") }) });
    await expect(awaitGateVerdict(gate, f.reads)).rejects.toThrow("is 12.5 GB/s");
  });

  it("a passed run of an earlier pair is not the figure: the wait goes on for the current pair's run", async () => {
    // n-b was recreated (new id): n-a's passed run names the old one.
    const f = fakeReads({
      ageAtStart: 600,
      instances: ["n-a", "n-b"],
      instance: (n) => (n === "n-b" ? { id: "n-b-new" } : {}),
      attributes: (i, poll) =>
        i === "n-a" ? (poll < 4 ? { [GATE_KEYS.verdict]: "passed", [GATE_KEYS.busbw]: "170", [GATE_KEYS.run]: "n-a-id,n-b-old" } : { [GATE_KEYS.verdict]: "passed", [GATE_KEYS.busbw]: "180", [GATE_KEYS.run]: "n-a-id,n-b-new" }) : undefined,
    });
    await expect(awaitGateVerdict(gate, f.reads)).resolves.toBe("180");
    expect(f.polls()).toBe(4);
  });

  it("a stale failed run (one of the pair recreated since) never fails up: after the window it is a warning", async () => {
    // Young group: ignored until the window closes, then a warning and no figure.
    const young = fakeReads({ ageAtStart: 600, instances: ["n-a", "n-b"], instance: (n) => (n === "n-a" ? { id: "n-a-new" } : {}), attributes: (i) => (i === "n-a" ? undefined : failed("n-a-old,n-b-id")) });
    // (the failed verdict sits on n-b here only to show the rule is per tag, not per node)
    await expect(awaitGateVerdict(gate, young.reads)).resolves.toBeUndefined();
    expect(young.polls()).toBe(Math.ceil((GATE_WINDOW_SECONDS - 600) / POLL_SECONDS));
    expect(young.warnings).toEqual([expect.stringContaining("ignoring its failed run on n-b: it ran with an earlier instance of one of the pair (run n-a-old,n-b-id)")]);
    // Old group: read once, a warning, no throw (it used to block every `up`).
    const old = fakeReads({ ageAtStart: GATE_WINDOW_SECONDS + RUN_SECONDS + 1, instances: ["n-a", "n-b"], instance: (n) => (n === "n-a" ? { id: "n-a-new" } : {}), attributes: (i) => (i === "n-a" ? undefined : failed("n-a-old,n-b-id")) });
    await expect(awaitGateVerdict(gate, old.reads)).resolves.toBeUndefined();
    expect(old.polls()).toBe(0);
    expect(old.warnings).toHaveLength(1);
  });

  it("a node that stood down (its partner ran with its earlier instance) ends the wait with a warning", async () => {
    const note = "n-b is not in this run (its run: n-a-old,n-b-id, this one: n-a-id,n-b-id)";
    const f = fakeReads({ ageAtStart: 900, instances: ["n-a", "n-b"], attributes: (i) => (i === "n-a" ? { [GATE_KEYS.verdict]: "skipped", [GATE_KEYS.note]: note, [GATE_KEYS.run]: tagOf("n-a", "n-b") } : undefined) });
    await expect(awaitGateVerdict(gate, f.reads)).resolves.toBeUndefined();
    expect(f.polls()).toBe(0);
    expect(f.warnings[0]).toContain(`fabric check not run on n-a and n-b: ${note}`);
    expect(f.warnings[0]).toContain("sudo GPU_CLUSTER_GATE_FORCE=1 /usr/local/sbin/gpu-cluster-fabric-gate' on n-a and n-b");
  });

  it("acceptanceTest turned on for a young group, or check nodes created after the window: no wait, a warning", async () => {
    const off = fakeReads({ ageAtStart: 300, instances: ["n-a", "n-b"], instance: () => ({ gateEnabled: false }), attributes: () => undefined });
    await expect(awaitGateVerdict(gate, off.reads)).resolves.toBeUndefined();
    expect(off.polls()).toBe(0);
    expect(off.warnings[0]).toContain("n-a and n-b were created without the check (acceptanceTest turned on later)");
    const late = fakeReads({ ageAtStart: 5000, instances: ["n-a", "n-b"], instance: (n) => (n === "n-b" ? { createdAfterGroupSeconds: GATE_WINDOW_SECONDS - BOOT_MARGIN_SECONDS + 1 } : {}), attributes: () => undefined });
    await expect(awaitGateVerdict(gate, late.reads)).resolves.toBeUndefined();
    expect(late.warnings[0]).toContain("n-b was created without the check");
  });

  it("a 429 from the API during the wait is retried with backoff, not an up failure", async () => {
    const f = fakeReads({ ageAtStart: 60, instances: ["n-a", "n-b"], failAt: (poll) => poll < 3, attributes: (i) => (i === "n-a" ? { [GATE_KEYS.verdict]: "passed", [GATE_KEYS.busbw]: "181.0", [GATE_KEYS.run]: tagOf("n-a", "n-b") } : undefined) });
    await expect(awaitGateVerdict(gate, f.reads)).resolves.toBe("181.0");
    // Backoff: 2, 4, 8 polls after the 1st, 2nd and 3rd failure in a row.
    expect(f.slept).toEqual([2 * POLL_SECONDS, 4 * POLL_SECONDS, 8 * POLL_SECONDS]);
  });

  it("reads that keep failing: a young group fails at the window's end naming the error; an older one warns after 5 tries", async () => {
    const young = fakeReads({ ageAtStart: 60, instances: ["n-a", "n-b"], failAt: () => true, attributes: () => undefined });
    await expect(awaitGateVerdict(gate, young.reads)).rejects.toThrow("the group's first two instances could not be read (googleapi: Error 429");
    const old = fakeReads({ ageAtStart: GATE_WINDOW_SECONDS + RUN_SECONDS + 1, instances: ["n-a", "n-b"], failAt: () => true, attributes: () => undefined });
    await expect(awaitGateVerdict(gate, old.reads)).resolves.toBeUndefined();
    expect(old.polls()).toBe(4);
    expect(old.warnings[0]).toContain("could not be read");
  });
});

describe("the check on the nodes", () => {
  it("runs on the first two names the group manages, once, on instances created in the group's first hour, and publishes its state", () => {
    const peers = gcpGatePeers(MEGA);
    const lines = peers.rankLines.join("\n");
    // The pair is asked for first (retried while the grants propagate: a failure publishes `failed`, never "not a
    // check node"), and the once-only marker comes after it.
    expect(lines).toContain(`pair=$(${NODE_API} gate-pair) || { ${NODE_API} publish fabric-gate failed;`);
    expect(lines).toContain(`could not list its managed instance group in ${RETRY_SECONDS} s`);
    expect(lines.indexOf("gate-pair")).toBeLessThan(lines.indexOf("touch /var/lib/gpu-cluster/fabric-gate-started"));
    expect(lines).toContain(`offset=$(${NODE_API} boot-offset)`);
    expect(lines).toContain(`if [ "$offset" -gt ${GATE_WINDOW_SECONDS} ]; then`);
    expect(lines).toContain(`echo declined > ${RUN_FILE}`);
    expect(lines).toContain('if [ "$rank" != 0 ] && [ "$rank" != 1 ]; then echo "gpu-cluster: the fabric gate runs on $first and $second"; exit 0; fi');
    expect(lines).toContain(`${NODE_API} publish fabric-gate running`);
    expect(peers.master).toBe('"$GATE_MASTER"');
  });

  it("tags the run with both instances' ids and meets its partner at a barrier over SSH before the run", () => {
    const wait = gcpGatePeers(MEGA).waitLines.join("\n");
    expect(wait).toContain(`tag=$(${NODE_API} pair-ids "$first" "$second")`);
    expect(wait).toContain(`echo "$tag" > ${RUN_FILE}; ${NODE_API} publish fabric-gate-run "$tag"`);
    // Waits for the shared trust's key (the contract's ready mark), then reads the partner's tag as root.
    expect(wait).toContain("[ -e /etc/gpu-cluster/ssh/ready ] || [ -e /var/lib/gpu-cluster/bootstrap-failed ] && break");
    expect(wait).toContain(`for _ in $(seq 1 ${PAIR_WAIT_SECONDS / 10}); do`);
    expect(wait).toContain(`ssh -n -i /etc/gpu-cluster/ssh/id_ed25519 -o BatchMode=yes -o ConnectTimeout=10 "root@$partner" cat ${RUN_FILE}`);
    // Another tag: stand down with `skipped`, exit 0 (no lone run, no failure).
    expect(wait).toMatch(/if \[ "\$theirs" != "\$tag" \]; then\n.*\n {2}\S+ publish fabric-gate skipped; .* publish fabric-gate-note "\$note"\n.*exit 0/);
  });

  /**
   * The rank and barrier lines, run by bash in a scratch folder: the node program, ssh, getent and sleep are fakes on
   * PATH that answer per scenario and log their calls; the run itself is replaced by one echo.
   */
  function runPair(scenario: { pair?: string; ids?: string; theirs?: string; offset?: number }) {
    const dir = mkdtempSync(join(tmpdir(), "gcp-gate-"));
    const bin = join(dir, "bin");
    mkdirSync(bin);
    mkdirSync(join(dir, "etc/ssh"), { recursive: true });
    writeFileSync(join(dir, "etc/ssh/ready"), "");
    const log = join(dir, "calls");
    const fake = (name: string, body: string) => {
      writeFileSync(join(bin, name), `#!/bin/bash\necho "${name} $*" >> ${log}\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    };
    const answer = (v: string | undefined) => (v === undefined ? "exit 1" : `echo ${JSON.stringify(v)}`);
    fake("gpu-cluster-gcp", `case "$1" in gate-pair) ${answer(scenario.pair)};; pair-ids) ${answer(scenario.ids)};; boot-offset) echo ${scenario.offset ?? 120};; publish) :;; esac`);
    fake("ssh", answer(scenario.theirs));
    fake("getent", "echo 10.0.0.2 $2");
    fake("sleep", ":");
    const lines = [...gcpGatePeers(MEGA).rankLines, ...gcpGatePeers(MEGA).waitLines, 'echo "RUN rank=$rank master=$GATE_MASTER tag=$tag"']
      .join("\n")
      .replaceAll(NODE_API, join(bin, "gpu-cluster-gcp"))
      .replaceAll("/var/lib/gpu-cluster", dir)
      .replaceAll("/etc/gpu-cluster", join(dir, "etc"));
    let out = "";
    let status = 0;
    try {
      out = execFileSync("bash", ["-c", `set -uo pipefail\n${lines}`], { env: { PATH: `${bin}:${process.env.PATH}` }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } catch (err) {
      status = (err as { status: number }).status;
      out = String((err as { stdout: string }).stdout);
    }
    const calls = existsSync(log) ? readFileSync(log, "utf8") : "";
    const runFile = existsSync(join(dir, "fabric-gate-run")) ? readFileSync(join(dir, "fabric-gate-run"), "utf8").trim() : undefined;
    return { out, status, calls, started: existsSync(join(dir, "fabric-gate-started")), runFile };
  }

  it("on a node (bash): the pair meets at the barrier and runs; a partner with another run stands this one down", () => {
    const met = runPair({ pair: "1 pretrain-a1b2 pretrain-b2c3", ids: "111,222", theirs: "111,222" });
    expect(met.out).toContain("RUN rank=1 master=pretrain-a1b2 tag=111,222");
    expect(met.runFile).toBe("111,222");
    expect(met.calls).toContain("gpu-cluster-gcp publish fabric-gate-run 111,222");
    expect(met.calls).toMatch(/ssh -n -i \S+\/etc\/ssh\/id_ed25519 -o BatchMode=yes -o ConnectTimeout=10 root@pretrain-a1b2 cat \S+fabric-gate-run/);
    // pretrain-a1b2 was recreated: its partner's run names its earlier instance.
    const lone = runPair({ pair: "1 pretrain-a1b2 pretrain-b2c3", ids: "333,222", theirs: "111,222" });
    expect(lone.status).toBe(0);
    expect(lone.out).not.toContain("RUN");
    expect(lone.calls).toContain("gpu-cluster-gcp publish fabric-gate skipped");
    expect(lone.calls).toContain("gpu-cluster-gcp publish fabric-gate-note pretrain-a1b2 is not in this run (its run: 111,222, this one: 333,222)");
  });

  it("on a node (bash): an unlistable group fails without the once-only mark; other nodes and late instances stand aside", () => {
    const unlisted = runPair({});
    expect(unlisted.status).toBe(1);
    expect(unlisted.started).toBe(false);
    expect(unlisted.calls).toContain("gpu-cluster-gcp publish fabric-gate failed");
    const third = runPair({ pair: "- pretrain-a1b2 pretrain-b2c3" });
    expect([third.status, third.started, third.out.trim()]).toEqual([0, true, "gpu-cluster: the fabric gate runs on pretrain-a1b2 and pretrain-b2c3"]);
    const late = runPair({ pair: "0 pretrain-a1b2 pretrain-b2c3", offset: GATE_WINDOW_SECONDS + 1 });
    expect([late.status, late.runFile]).toEqual([0, "declined"]);
    expect(late.calls).not.toContain("publish fabric-gate running");
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

  it("A3 High: torchrun and its ranks run under taskset on Google's NCCL cores, inside the container; other fabrics have no launcher", () => {
    // container-engine-accelerators gpudirect-tcpx/nccl-config.yaml @0e5609b0 (run-nccl.sh: taskset -c 0-7,104-111,52-59,156-163),
    // the cores lib/fabric/tcpx.ts keeps apart from the plugin's TX/RX bindings.
    const high = planOf("a3-highgpu-8g");
    expect(gcpGatePeers(high).launcher).toBe("taskset -c 0-7,104-111,52-59,156-163");
    const script = vmGateScript(high, gcpGatePeers(high))!;
    expect(script).toContain("exec taskset -c 0-7,104-111,52-59,156-163 torchrun --nnodes=2");
    expect(gcpGatePeers(MEGA).launcher).toBeUndefined();
    expect(vmGateScript(MEGA, gcpGatePeers(MEGA))!).toContain("&& exec torchrun --nnodes=2");
  });

  it("publishes the figure and the verdict as guest attributes, and starts once without holding up the boot", () => {
    const lines = gcpGateLines(MEGA, true)!.join("\n");
    // The figure, NCCL's transport, its shortfall only when there is one, and the verdict last.
    expect(lines).toContain(
      `${NODE_API} publish nccl-busbw-gbps "\${busbw:-none}"; ${NODE_API} publish nccl-transport "\${transport:-none}"; ` +
        `{ [ -z "$transport_cause" ] || ${NODE_API} publish nccl-transport-cause "$transport_cause"; }; ${NODE_API} publish fabric-gate "$verdict"`,
    );
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
        if (args.token === "gcp:compute/getInstance:getInstance") {
          // Created a minute after the group, from the template with the gate.
          const name = String(args.inputs.name);
          return { ...args.inputs, id: name, instanceId: `${name}-id`, creationTimestamp: new Date(Date.now() + 60_000).toISOString(), metadata: { "enable-guest-attributes": "TRUE" } };
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
    // The transport text is passed through as rank 0 published it (A3 Mega's plugin name is not checked, only reported).
    const transport = "node 0: NET/plugin devices 0,1 GDRDMA 0/8; node 1: NET/plugin devices 0,1 GDRDMA 0/8";
    const cluster = await up(
      (i) => (i === "gate-a1b2" ? { [GATE_KEYS.verdict]: "passed", [GATE_KEYS.busbw]: "183.70", [GATE_KEYS.transport]: transport, [GATE_KEYS.run]: tagOf("gate-a1b2", "gate-b2c3") } : undefined),
      invoked,
    );
    await expect(settle(cluster.ncclBusBandwidthGBps)).resolves.toBe("183.70");
    await expect(settle(cluster.ncclTransport)).resolves.toBe(transport);
    await expect(settle(cluster.ncclBusBandwidthFloorGBps)).resolves.toBe(gate.floor.floorGBps);
    const read = invoked.find((c) => c.token === "gcp:compute/getInstanceGuestAttributes:getInstanceGuestAttributes")!;
    expect(read.args).toMatchObject({ name: "gate-a1b2", zone: "us-central1-a", project: "proj", queryPath: "gpu-cluster/" });
    expect(invoked.find((c) => c.token === "gcp:compute/getInstanceGroup:getInstanceGroup")!.args).toMatchObject({ name: "gate-nodes-1a2b3c4", zone: "us-central1-a" });
    // The ids of the two lowest names make the run's tag.
    expect(invoked.filter((c) => c.token === "gcp:compute/getInstance:getInstance").map((c) => c.args.name).sort()).toEqual(["gate-a1b2", "gate-b2c3"]);
  });

  it("fails up with the gate's message when the check failed", async () => {
    // The program's failure reaches the engine as the component's outputs failing (an unhandled rejection here).
    const rejections: unknown[] = [];
    const collect = (reason: unknown) => rejections.push(reason);
    process.on("unhandledRejection", collect);
    try {
      const cluster = await up((i) => (i === "gate-a1b2" ? { [GATE_KEYS.verdict]: "failed", [GATE_KEYS.busbw]: "9.80", [GATE_KEYS.run]: tagOf("gate-a1b2", "gate-b2c3") } : undefined), []);
      await expect(settle(cluster.ncclBusBandwidthGBps)).rejects.toThrow(/fabric check FAILED on a3-megagpu-8g .* is 9\.80 GB\/s/);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("unhandledRejection", collect);
    }
    expect(rejections.length).toBeGreaterThan(0);
    expect(String((rejections[0] as Error).message)).toContain("on gate-a1b2 and gate-b2c3 (the group's first two names)");
  });
});
