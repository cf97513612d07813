/**
 * The fabric gate on GCP VMs (lib/clouds/shared/fabric-gate.ts, VM_GATE_DESIGN), steps 1, 4 and 5:
 *
 * 1. **Who runs it.** At its first boot, every node asks for its part (node-api.ts `gate-pair`, retried for
 *    RETRY_SECONDS while its grants propagate): the group's managed instances are listed (every name the group asked
 *    for, those still being created included), the node must find itself among them (else the list is retried, never
 *    read as "not a check node"), and the first two names are the check nodes, the first the rendezvous. Only then does
 *    the node mark the gate started (a failure before retries at the next boot). A check node runs it only if it first
 *    booted within GATE_WINDOW_SECONDS of the group's creation (`boot-offset`: the instance's creation, as a fresh disk
 *    boots right after it), so a scale-up or a repair months later never starts a check that waits for a partner that
 *    has already run.
 *    **The run's tag** is both check instances' ids (`pair-ids`, `<first>,<second>`), published with the verdict.
 *    Autohealing (RECREATE) and a Spot preemption (DELETE) bring a check node back under the same name with a new id
 *    and a fresh disk, so a tag tells the run of the current pair from an earlier one.
 *    **The pair barrier.** Before the run each check node writes its tag to RUN_FILE and reads its partner's over SSH
 *    (the cluster key, as root, once the shared trust marks it installed): the same tag, they run; another tag (the
 *    partner ran with an earlier instance of this node, or `declined`: created after the window) and the node publishes
 *    `skipped` and stands down, instead of waiting alone for torchrun's timeout and publishing a failure.
 *    After a fix, `sudo GPU_CLUSTER_GATE_FORCE=1 gpu-cluster-fabric-gate` on the two check nodes (the first two names
 *    of the group), started within a few minutes of each other, runs it again, and the next `up` reads the new verdict.
 *    The check runs as a systemd unit the startup script starts without waiting, after its own fabric, mounts and
 *    SSH trust are up (the startup script stops on the first failure, so a half-built node never starts it).
 * 4. **Published** as guest attributes of the two check nodes, namespace `gpu-cluster` (GATE_KEYS): `fabric-gate` is
 *    `running` from the start, then `passed` or `failed`, with `nccl-busbw-gbps` (rank 0) and `fabric-gate-note` (why
 *    no figure: a partner that never came up). Guest attributes need `enable-guest-attributes` in the instance
 *    metadata (template.ts) and are written from inside the VM only; reading them takes
 *    `compute.instances.getGuestAttributes` (https://cloud.google.com/compute/docs/metadata/manage-guest-attributes,
 *    read 2026-11-30).
 * 5. **Read back during `up`.** The group is created with `waitForInstances: false`, and even a group that waits returns
 *    once its instances are RUNNING (https://www.pulumi.com/registry/packages/gcp/api-docs/compute/instancegroupmanager/
 *    `waitForInstancesStatus`, read 2026-11-30): the check runs minutes later, after the boot, the image pull and the
 *    NCCL run. One read after the group would race it and read nothing. So the read is a wait
 *    ({@link awaitGateVerdict}, whose rules say which verdict counts): once the group exists, the component reads the
 *    two lowest-named instances (`gcp.compute.getInstanceGroup`, `getInstance` for their ids and creation, then
 *    `getInstanceGuestAttributes`) every POLL_SECONDS until a verdict of the current pair, bounded. `passed` becomes
 *    the `ncclBusBandwidthGBps` output; `failed` fails `up` with the gate's message (the figure, the floor, the likely
 *    causes). On a later `up` of an older group, the component reads once and does not wait: the figure stays an
 *    output while its nodes live.
 *
 * What this cannot know: the stack lists the instances that exist, the nodes list the names the group asked for. They
 * differ only when the group could not create one of the first two (no capacity); the other check node then publishes
 * `failed` with the reason, or, when neither exists, `up` fails at the window's end naming the capacity.
 */
import * as pulumi from "@pulumi/pulumi";
import * as gcpCompute from "@pulumi/gcp/compute";
import type { InstanceGroupManager } from "@pulumi/gcp/compute";
import type { Plan } from "../../planner/types.js";
import { fabricGate, gateFailureMessage, gatePasses, gateTransportFailureMessage, VM_GATE_RECORD, vmGateScript, type FabricGate, type VmGatePeers } from "../shared/fabric-gate.js";
import type { AcceptanceHandle } from "../types.js";
import { GCP_VM_PLUGIN_DIRS } from "../../fabric/index.js";
import { NCCL_LAUNCHER_CORES } from "../../fabric/tcpx.js";
import { NCCL_ENV_FILE } from "./fabric-boot.js";
import { CLUSTER_DIR } from "../shared/cluster-ssh.js";
import { GUEST_NAMESPACE, NODE_API, publishCommand, RETRY_SECONDS } from "./node-api.js";
import { oneshotScriptUnitLines } from "../shared/bootstrap.js";

/** How long each check node waits for its partner at the pair barrier (s). */
export const PAIR_WAIT_SECONDS = 1800;

/** A node runs the check only if it was created (first booted) within this many seconds of its group's creation. */
export const GATE_WINDOW_SECONDS = 3600;
/**
 * How long a started check may take before `up` gives up on it (s): the pair's ids (up to RETRY_SECONDS), the pair
 * barrier (PAIR_WAIT_SECONDS), the run's own bound (3600), a margin.
 */
export const RUN_SECONDS = RETRY_SECONDS + PAIR_WAIT_SECONDS + 3600 + 600;
/** How often the component reads the guest attributes (s, ±20% jitter); at most 10 reads a minute per VM are allowed. */
export const POLL_SECONDS = 30;
/**
 * The stack's margin on the node's window (s): the node measures from its first boot, a minute or two after the
 * instance's creationTimestamp the stack reads, so an instance created in the window's last minutes may decline.
 */
export const BOOT_MARGIN_SECONDS = 300;

/** The guest attributes the check publishes, in GUEST_NAMESPACE. */
export const GATE_KEYS = {
  verdict: "fabric-gate",
  busbw: "nccl-busbw-gbps",
  note: "fabric-gate-note",
  run: "fabric-gate-run",
  /** NCCL's own report of its transport (lib/clouds/kubernetes/workload-all-reduce.ts NCCL_TRANSPORT_REPORT). */
  transport: "nccl-transport",
  /** Where that report fell short of the fabric's expectation (lib/clouds/shared/transport-expectation.ts): the cause. */
  transportCause: "nccl-transport-cause",
} as const;

const STARTED = "/var/lib/gpu-cluster/fabric-gate-started";
/** The run's tag on the node (`<id of first>,<id of second>`, or `declined`), which the partner reads over SSH. */
export const RUN_FILE = "/var/lib/gpu-cluster/fabric-gate-run";
/** The check's script; `sudo GPU_CLUSTER_GATE_FORCE=1 gpu-cluster-fabric-gate` on both check nodes runs it again. */
export const GATE_SCRIPT = "/usr/local/sbin/gpu-cluster-fabric-gate";
export const GATE_FORCE = "GPU_CLUSTER_GATE_FORCE";
const GATE_UNIT = "gpu-cluster-fabric-gate.service";
/** The node's NCCL environment without LD_LIBRARY_PATH (host paths would replace the container's own). */
const GATE_ENV_FILE = "/etc/gpu-cluster/nccl-gate.env";
/** Where CUDA images look for libraries first, and where GKE's pods see the plugin (lib/fabric/gke.ts IN_POD). */
const CONTAINER_LIB64 = "/usr/local/nvidia/lib64";
/** Where the shared SSH trust marks the cluster key installed (lib/clouds/shared/cluster-ssh.ts), and its give-up mark. */
const SSH_READY = `${CLUSTER_DIR}/ssh/ready`;
const BOOTSTRAP_FAILED = "/var/lib/gpu-cluster/bootstrap-failed";

/**
 * What the check container needs per fabric, as GKE's pods get it (lib/fabric/gke.ts, after the anchors'
 * manifests): the plugin's libraries where the container's dynamic linker looks first, and at their host path (the
 * plugin's NCCL script names it); the receive-datapath manager's socket (TCPX), the aperture devices (TCPXO) or the
 * RDMA devices and the gIB configuration (A3 Ultra / A4).
 */
const FABRIC_DOCKER_FLAGS: Readonly<Record<"gpudirect-tcpx" | "gpudirect-tcpxo" | "rdma", readonly string[]>> = {
  "gpudirect-tcpx": [
    `-v ${GCP_VM_PLUGIN_DIRS.tcpx}:${CONTAINER_LIB64}:ro`,
    `-v ${GCP_VM_PLUGIN_DIRS.tcpx}:${GCP_VM_PLUGIN_DIRS.tcpx}:ro`,
    `-v ${GCP_VM_PLUGIN_DIRS.tcpxSocket}:${GCP_VM_PLUGIN_DIRS.tcpxSocket}`,
  ],
  "gpudirect-tcpxo": [
    `-v ${GCP_VM_PLUGIN_DIRS.tcpxo}:${CONTAINER_LIB64}:ro`,
    `-v ${GCP_VM_PLUGIN_DIRS.tcpxo}:${GCP_VM_PLUGIN_DIRS.tcpxo}:ro`,
    `-v ${GCP_VM_PLUGIN_DIRS.apertureDevices}:${GCP_VM_PLUGIN_DIRS.apertureDevices}`,
  ],
  rdma: ["--device /dev/infiniband", `-v ${GCP_VM_PLUGIN_DIRS.gib}:${CONTAINER_LIB64}:ro`, "-v /usr/local/gib:/usr/local/gib:ro"],
};

/** Publish a failure without a figure (the check could not run), then stop. */
function failLines(note: string): string[] {
  return [`${publishCommand(GATE_KEYS.verdict, "failed")}; ${publishCommand(GATE_KEYS.note, `"${note}"`)}`, `echo "gpu-cluster: fabric gate: ${note}" >&2`, "exit 1"];
}

/** The same, on one line (inside `|| { …; }`). */
function failInline(note: string): string {
  return `{ ${failLines(note).join("; ")}; }`;
}

/** Rounds of the pair barrier (10 s apart, jittered): PAIR_WAIT_SECONDS in all. */
const PAIR_ROUNDS = PAIR_WAIT_SECONDS / 10;
/** Rounds (10 s) the check waits for the shared SSH trust: its 30-minute retry, and 5 minutes more. */
const SSH_READY_ROUNDS = 210;

/** How the two check nodes find each other on GCP (see the header, step 1). */
export function gcpGatePeers(plan: Plan): VmGatePeers {
  const kind = plan.fabric.kind as keyof typeof FABRIC_DOCKER_FLAGS;
  return {
    rankLines: [
      // GATE_FORCE (a run by hand on the two check nodes, after a fix) skips the once-only and the window.
      `if [ -z "\${${GATE_FORCE}:-}" ] && [ -e ${STARTED} ]; then echo "gpu-cluster: the fabric gate runs once, at a node's first boot: $(cat ${VM_GATE_RECORD} 2>/dev/null)"; exit 0; fi`,
      // Retried for RETRY_SECONDS while the node's grants propagate; the node must find itself among the names.
      `pair=$(${NODE_API} gate-pair) || ${failInline(`the node could not list its managed instance group in ${RETRY_SECONDS} s (the nodes' custom role, or the Compute Engine API)`)}`,
      'read -r rank first second <<<"$pair"',
      // The marker only once the node knows its part: a failure before it is retried at the next boot.
      `mkdir -p /var/lib/gpu-cluster && touch ${STARTED}`,
      'if [ "$rank" != 0 ] && [ "$rank" != 1 ]; then echo "gpu-cluster: the fabric gate runs on $first and $second"; exit 0; fi',
      `if [ -z "\${${GATE_FORCE}:-}" ]; then`,
      `  offset=$(${NODE_API} boot-offset) || ${failInline("the node could not read its group's creation time")}`,
      `  if [ "$offset" -gt ${GATE_WINDOW_SECONDS} ]; then`,
      // The partner reads this and stands down (rule 2 in the header).
      `    echo declined > ${RUN_FILE}`,
      `    echo "gpu-cluster: this instance first booted $offset s after its group was created; the fabric gate runs on instances created in the group's first ${GATE_WINDOW_SECONDS} s"; exit 0`,
      "  fi",
      "fi",
      'export GATE_MASTER="$first"',
      `rm -f ${RUN_FILE}`,
      publishCommand(GATE_KEYS.verdict, "running"),
    ],
    // The startup script starts the check after its own work; the container gets the node's NCCL settings minus the
    // host's library path.
    bootLines: [`grep -v '^LD_LIBRARY_PATH=' ${NCCL_ENV_FILE} > ${GATE_ENV_FILE} 2>/dev/null || : > ${GATE_ENV_FILE}`],
    waitLines: [
      // The run's tag: both instances' ids (retried until both exist), published so `up` accepts only this pair's run.
      `tag=$(${NODE_API} pair-ids "$first" "$second") || ${failInline(`$first or $second was not created in ${RETRY_SECONDS} s (no capacity for it?)`)}`,
      `echo "$tag" > ${RUN_FILE}; ${publishCommand(GATE_KEYS.run, '"$tag"')}`,
      'for _ in $(seq 1 90); do getent hosts "$first" >/dev/null && getent hosts "$second" >/dev/null && break; sleep 10; done',
      'if ! { getent hosts "$first" >/dev/null && getent hosts "$second" >/dev/null; }; then',
      ...failLines("$first or $second did not come up in 15 minutes (no capacity for it?)").map((l) => `  ${l}`),
      "fi",
      // The pair barrier, over the cluster key once the shared SSH trust has installed it: the partner's run tag must
      // be this one. A partner that ran with an earlier instance of this node (this one was recreated) or declined
      // answers another tag: this node stands down instead of timing out alone and publishing a failure.
      'if [ "$rank" = 0 ]; then partner=$second; else partner=$first; fi',
      `for _ in $(seq 1 ${SSH_READY_ROUNDS}); do [ -e ${SSH_READY} ] || [ -e ${BOOTSTRAP_FAILED} ] && break; sleep 10; done`,
      `[ -e ${SSH_READY} ] || ${failInline(`the cluster SSH key was not installed on this node: $(cat ${BOOTSTRAP_FAILED} 2>/dev/null)`)}`,
      'theirs=""',
      `for _ in $(seq 1 ${PAIR_ROUNDS}); do`,
      `  theirs=$(ssh -n -i ${CLUSTER_DIR}/ssh/id_ed25519 -o BatchMode=yes -o ConnectTimeout=10 "root@$partner" cat ${RUN_FILE} 2>/dev/null) || theirs=""`,
      '  [ -n "$theirs" ] && break',
      "  sleep $((5 + RANDOM % 10))",
      "done",
      `[ -n "$theirs" ] || ${failInline(`$partner did not join the check in ${PAIR_WAIT_SECONDS} s (not reachable as root over the cluster key, or its check did not start)`)}`,
      'if [ "$theirs" != "$tag" ]; then',
      `  note="$partner is not in this run (its run: $theirs, this one: $tag): the pair checked the fabric before this instance was created"`,
      `  ${publishCommand(GATE_KEYS.verdict, "skipped")}; ${publishCommand(GATE_KEYS.note, '"$note"')}`,
      '  echo "gpu-cluster: fabric gate: $note" >&2; exit 0',
      "fi",
    ],
    master: '"$GATE_MASTER"',
    dockerFlags: [`--env-file ${GATE_ENV_FILE}`, "-e GATE_MASTER", ...(FABRIC_DOCKER_FLAGS[kind] ?? [])],
    // GPUDirect-TCPX: NCCL's own threads off the plugin's flow-steering cores, as on GKE (lib/fabric/tcpx.ts
    // NCCL_LAUNCHER_CORES; `taskset` outside `docker run` would not reach the container's processes, and
    // `--cpuset-cpus` would keep the plugin's TX/RX threads off their cores too).
    ...(plan.fabric.kind === "gpudirect-tcpx" ? { launcher: `taskset -c ${NCCL_LAUNCHER_CORES}` } : {}),
  };
}

/** What the verdict publishes: the figure, NCCL's transport and its shortfall if any, then the verdict (vmGateScript's `publish`). */
export const GATE_PUBLISH =
  `${publishCommand(GATE_KEYS.busbw, '"${busbw:-none}"')}; ${publishCommand(GATE_KEYS.transport, '"${transport:-none}"')}; ` +
  `{ [ -z "$transport_cause" ] || ${publishCommand(GATE_KEYS.transportCause, '"$transport_cause"')}; }; ${publishCommand(GATE_KEYS.verdict, '"$verdict"')}`;

/**
 * Startup script lines that install the check and start it once, without waiting (undefined where the plan has no
 * gate, or `gcp.acceptanceTest: false`). Rank 1 marks its part done when its run succeeds.
 */
export function gcpGateLines(plan: Plan, enabled: boolean): string[] | undefined {
  if (!enabled) return undefined;
  const script = vmGateScript(plan, gcpGatePeers(plan), GATE_PUBLISH);
  if (script === undefined) return undefined;
  return [
    "# The fabric gate (lib/clouds/gcp/fabric-gate.ts): a two-node NCCL all-reduce, once, on the group's first two nodes.",
    ...oneshotScriptUnitLines({
      unit: GATE_UNIT,
      description: "gpu-cluster fabric gate (two-node NCCL all-reduce)",
      scriptPath: GATE_SCRIPT,
      script,
      scriptMark: "GATE",
      after: ["docker.service", "network-online.target"],
      timeoutStartSec: "infinity",
      skipStartIf: `[ -e ${STARTED} ]`,
    }),
  ];
}

/** What one read of a check node's guest attributes says; `run` is the run's tag (`<id>,<id>`) when it published one. */
export type GateReading =
  | { state: "passed"; busbw: string; node: string; run?: string }
  | { state: "failed"; busbw?: string; note?: string; transportCause?: string; node: string; run?: string }
  | { state: "running"; node: string; run?: string }
  | { state: "skipped"; note?: string; node: string; run?: string }
  | { state: "none" };

/** The verdict from a node's attributes (GATE_KEYS), or none. */
export function readingOf(node: string, values: Record<string, string>): GateReading {
  const verdict = values[GATE_KEYS.verdict];
  const busbw = values[GATE_KEYS.busbw];
  const figure = busbw !== undefined && busbw !== "none" ? busbw : undefined;
  const note = values[GATE_KEYS.note];
  const cause = values[GATE_KEYS.transportCause] ? { transportCause: values[GATE_KEYS.transportCause]! } : {};
  const run = values[GATE_KEYS.run] ? { run: values[GATE_KEYS.run]! } : {};
  if (verdict === "passed" && figure !== undefined) return { state: "passed", busbw: figure, node, ...run };
  if (verdict === "failed" || verdict === "passed") return { state: "failed", node, ...(figure !== undefined ? { busbw: figure } : {}), ...(note ? { note } : {}), ...cause, ...run };
  if (verdict === "running") return { state: "running", node, ...run };
  if (verdict === "skipped") return { state: "skipped", node, ...(note ? { note } : {}), ...run };
  return { state: "none" };
}

/** What the stack knows of one instance: `getInstance`'s id, creation time and metadata. */
export interface CheckInstance {
  /** The instance's numeric id (a recreated instance keeps its name and gets a new id). */
  id: string;
  /** Seconds from the group's creation to the instance's. */
  createdAfterGroupSeconds: number;
  /** Whether it was created from a template with the gate (`enable-guest-attributes`). */
  gateEnabled: boolean;
}

/** The reads and the clock the wait uses (the cloud's in a program; fakes in tests). */
export interface GateReads {
  /** The names of the group's instances. */
  instances(): Promise<string[]>;
  /** One instance's id, creation and whether it carries the gate. */
  instance(name: string): Promise<CheckInstance>;
  /** One instance's guest attributes in GUEST_NAMESPACE, key → value; throws when it has none yet. */
  attributes(instance: string): Promise<Record<string, string>>;
  /** Seconds since the group was created. */
  groupAgeSeconds(): number;
  /** Monotonic seconds, and a pause (the real one adds jitter). */
  now(): number;
  sleep(seconds: number): Promise<void>;
  /** A warning on the component (`up` goes on). */
  warn(message: string): void;
}

/** How to check again on GCP: the check by hand on the two check nodes, then `up` reads the new verdict. */
function rerunNote(nodes: readonly string[]): string {
  return (
    `GCP: after a fix, run 'sudo ${GATE_FORCE}=1 ${GATE_SCRIPT}' on ${nodes.join(" and ")} (the group's first two names), both within a few minutes, ` +
    "then 'pulumi up' again (replacing them reruns it only in the group's first hour)."
  );
}

/** Why `up` stops waiting, by what was seen. */
function timeoutMessage(gate: FabricGate, sawRunning: boolean, lastError: string | undefined): string {
  const what = sawRunning
    ? `a check node started the two-node NCCL run and published nothing for ${RUN_SECONDS} s`
    : lastError !== undefined
      ? `the group's first two instances could not be read (${lastError})`
      : `no check node started within ${GATE_WINDOW_SECONDS} s of the group's creation (no capacity for the first two nodes, or their startup script failed: see their serial console)`;
  return `fabric check on ${gate.floor.instanceType}: ${what}. To build without the check, set gcp.acceptanceTest: false.`;
}

/** Reads that fail in a row before an older group's one-shot read gives up (with a warning). */
const ONE_SHOT_TRIES = 5;

/**
 * Wait for the check's verdict (see the header, step 5): the figure on `passed`; throws the gate's message on
 * `failed`, and on a bounded wait that saw none. The rules, in the order they apply:
 * 1. **The pair.** The check nodes are the two lowest names among the group's instances; their instance ids, in that
 *    order, are the current run's tag. A verdict counts only when its `fabric-gate-run` is that tag (the run included
 *    both current instances) or it has none (a failure before the pair was known: this very instance could not list
 *    its group, or its partner was never created; guest attributes die with the instance, so it is this one's).
 * 2. **Stale verdicts** (another tag: one of the pair was recreated since, by autohealing or a Spot preemption) never
 *    fail `up`: they are ignored while the wait lasts, and a warning after it.
 * 3. **Nodes that will not run it**: an instance created without the gate (acceptanceTest turned on after it was made:
 *    the group's OPPORTUNISTIC updates recreate nothing), or created more than GATE_WINDOW_SECONDS - BOOT_MARGIN_SECONDS
 *    after its group (the node's own rule, measured from its first boot). `up` then does not wait: a warning, no figure.
 *    `skipped` (a node whose partner ran with an earlier instance, or declined) is the same.
 * 4. **The bounds.** A group younger than GATE_WINDOW_SECONDS + RUN_SECONDS is polled every POLL_SECONDS until a current
 *    verdict: no check node started by the window's end fails `up` naming capacity; a started one silent for
 *    RUN_SECONDS fails it. An older group is read once. A read that fails (a 429, a 5xx) is retried at the next poll,
 *    backing off up to 8 polls; an older group's read gives up after ONE_SHOT_TRIES with a warning.
 */
export async function awaitGateVerdict(gate: FabricGate, reads: GateReads): Promise<string | undefined> {
  const waiting = reads.groupAgeSeconds() < GATE_WINDOW_SECONDS + RUN_SECONDS;
  let runningSince: number | undefined;
  let failures = 0;
  let lastError: string | undefined;
  for (;;) {
    let stale: Extract<GateReading, { state: "passed" | "failed" }>[] = [];
    let running = false;
    let names: string[] = [];
    try {
      names = (await reads.instances()).sort().slice(0, 2);
      const nodes = await Promise.all(names.map((name) => reads.instance(name)));
      const readings = await Promise.all(names.map((name) => reads.attributes(name).then((values) => readingOf(name, values), () => ({ state: "none" }) as GateReading)));
      failures = 0;
      lastError = undefined;
      const tag = names.length === 2 ? nodes.map((n) => n.id).join(",") : undefined;
      const current = (r: Exclude<GateReading, { state: "none" }>) => r.run === undefined || r.run === tag;
      for (const reading of readings) {
        if (reading.state === "none") continue;
        if (!current(reading)) {
          if (reading.state === "passed" || reading.state === "failed") stale.push(reading);
          continue;
        }
        if (reading.state === "passed") return reading.busbw;
        if (reading.state === "failed") {
          // Below the floor: the floor's message; NCCL's transport short of the fabric's: its own (both when both).
          const below = !(reading.busbw !== undefined && gatePasses(gate, Number(reading.busbw))) || reading.transportCause === undefined;
          const message = [
            ...(below ? [gateFailureMessage(gate, reading.busbw ?? "no figure")] : []),
            ...(reading.transportCause !== undefined ? [gateTransportFailureMessage(gate, reading.transportCause, reading.busbw ?? "no figure")] : []),
            ...(reading.note ? [`On ${reading.node}: ${reading.note}`] : []),
            rerunNote(names),
          ].join("\n");
          throw new GateFailed(message);
        }
        if (reading.state === "skipped") {
          reads.warn(`fabric check not run on ${names.join(" and ")}: ${reading.note ?? `${reading.node} stood down`}. ${rerunNote(names)}`);
          return undefined;
        }
        if (reading.state === "running") running = true;
      }
      const wont = names.filter((_, i) => !nodes[i]!.gateEnabled || nodes[i]!.createdAfterGroupSeconds > GATE_WINDOW_SECONDS - BOOT_MARGIN_SECONDS);
      if (names.length === 2 && wont.length > 0 && !running) {
        reads.warn(
          `fabric check not run: ${wont.join(" and ")} ${wont.length > 1 ? "were" : "was"} created without the check (acceptanceTest turned on later) or after the group's first ${GATE_WINDOW_SECONDS - BOOT_MARGIN_SECONDS} s. ${rerunNote(names)}`,
        );
        return undefined;
      }
    } catch (err) {
      if (err instanceof GateFailed) throw new Error(err.message);
      failures += 1;
      lastError = (err as Error).message;
      stale = [];
      if (!waiting && failures >= ONE_SHOT_TRIES) {
        reads.warn(`fabric check: the group's first two instances could not be read (${lastError}); the figure is not an output this time`);
        return undefined;
      }
    }
    const staleWarning = () => {
      for (const r of stale) {
        const what = r.state === "passed" ? `its passed run (${r.busbw} GB/s)` : "its failed run";
        reads.warn(`fabric check: ignoring ${what} on ${r.node}: it ran with an earlier instance of one of the pair (run ${r.run}). ${rerunNote(names)}`);
      }
    };
    if (!waiting && failures === 0) {
      staleWarning();
      return undefined;
    }
    const now = reads.now();
    if (running) runningSince ??= now;
    const windowOver = GATE_WINDOW_SECONDS - reads.groupAgeSeconds() <= 0;
    if (runningSince === undefined && windowOver && stale.length > 0) {
      staleWarning();
      return undefined;
    }
    if (waiting && (runningSince === undefined ? windowOver : now - runningSince > RUN_SECONDS)) throw new Error(timeoutMessage(gate, runningSince !== undefined, lastError));
    await reads.sleep(POLL_SECONDS * Math.min(2 ** failures, 8));
  }
}

/** A current failed verdict, told apart from a read error inside the wait. */
class GateFailed extends Error {}

/**
 * The gate's output: the measured figure, read back during `up` (unknown in a preview, where nothing runs). Every read
 * goes through the gcp provider the group uses (`parent`).
 */
export function gcpGateReadBack(plan: Plan, group: InstanceGroupManager, parent: pulumi.Resource): AcceptanceHandle | undefined {
  const gate = fabricGate(plan, "vm");
  if (!gate) return undefined;
  const handle = { floorGBps: gate.floor.floorGBps };
  // A preview runs nothing: the figure is unknown, as the Kubernetes test's is.
  if (pulumi.runtime.isDryRun()) return { ...handle, busBandwidthGBps: pulumi.output(pulumi.unknown) as unknown as pulumi.Output<string> };
  const result = pulumi.all([group.name, group.zone, group.project, group.creationTimestamp]).apply(async ([name, zone, project, created]) => {
    // NCCL's transport, as rank 0 published it beside its figure (the last read that had one).
    let transport: string | undefined;
    const createdMs = Date.parse(created);
    const reads: GateReads = {
      instances: async () => (await gcpCompute.getInstanceGroup({ name, zone, project }, { parent })).instances.map((url) => url.slice(url.lastIndexOf("/") + 1)),
      instance: async (instance) => {
        const found = await gcpCompute.getInstance({ name: instance, zone, project }, { parent });
        const createdAt = Date.parse(found.creationTimestamp);
        return {
          id: String(found.instanceId),
          createdAfterGroupSeconds: Number.isFinite(createdAt) && Number.isFinite(createdMs) ? (createdAt - createdMs) / 1000 : 0,
          gateEnabled: found.metadata?.["enable-guest-attributes"]?.toUpperCase() === "TRUE",
        };
      },
      attributes: async (instance) => {
        const found = await gcpCompute.getInstanceGuestAttributes({ name: instance, zone, project, queryPath: `${GUEST_NAMESPACE}/` }, { parent });
        const values: Record<string, string> = Object.fromEntries(found.queryValues.map((v) => [v.key, v.value]));
        const reported = values[GATE_KEYS.transport];
        if (reported !== undefined && reported !== "none") transport = reported;
        return values;
      },
      groupAgeSeconds: () => (Number.isFinite(createdMs) ? (Date.now() - createdMs) / 1000 : 0),
      now: () => Date.now() / 1000,
      // ±20% so the stacks of many groups do not poll in step.
      sleep: (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000 * (0.8 + 0.4 * Math.random()))),
      warn: (message) => void pulumi.log.warn(message, parent),
    };
    try {
      const figure = await awaitGateVerdict(gate, reads);
      if (figure === undefined) pulumi.log.info(`fabric gate: no current verdict on ${name}'s first two nodes (see the warnings, if any)`, parent);
      return { figure: figure as string, transport };
    } catch (err) {
      const message = (err as Error).message;
      pulumi.log.error(message, parent);
      throw new pulumi.RunError(message);
    }
  });
  return { ...handle, busBandwidthGBps: result.apply((r) => r.figure), transport: result.apply((r) => r.transport) };
}
