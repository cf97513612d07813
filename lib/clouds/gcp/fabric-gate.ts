/**
 * The fabric gate on GCP VMs (lib/clouds/shared/fabric-gate.ts, VM_GATE_DESIGN), steps 1, 4 and 5:
 *
 * 1. **Who runs it.** At its first boot, a node of a group younger than GATE_WINDOW_SECONDS lists the group's managed
 *    instances (node-api.ts `members`: every name the group asked for, those still being created included) and takes
 *    the first two by name; the first is the rendezvous. A node that boots later (a scale-up, a repair) never runs it,
 *    so a new node with a smaller name cannot start a second check that waits for a partner that has already run.
 *    After a fix, `sudo GPU_CLUSTER_GATE_FORCE=1 gpu-cluster-fabric-gate` on the two check nodes (the first two names
 *    of the group) runs it again, and the next `up` reads the new verdict.
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
 *    ({@link awaitGateVerdict}): once the group exists, the component reads the two lowest-named instances' guest
 *    attributes (`gcp.compute.getInstanceGroup`, then `getInstanceGuestAttributes`) every POLL_SECONDS until one holds
 *    a verdict, bounded: no check node started within GATE_WINDOW_SECONDS of the group's creation, or a started check
 *    silent for RUN_SECONDS, fails `up` saying so. `passed` becomes the `ncclBusBandwidthGBps` output; `failed` fails
 *    `up` with the gate's message (the figure, the floor, the likely causes). On a later `up` of an older group, the
 *    component reads once and does not wait: the figure stays an output while its node lives.
 *
 * What this cannot know: the stack lists the instances that exist, the nodes list the names the group asked for. They
 * differ only when the group could not create one of the first two (no capacity); the other check node then publishes
 * `failed` with the reason, or, when neither exists, `up` fails at the window's end naming the capacity.
 */
import * as pulumi from "@pulumi/pulumi";
import * as gcpCompute from "@pulumi/gcp/compute";
import type { InstanceGroupManager } from "@pulumi/gcp/compute";
import type { Plan } from "../../planner/types.js";
import { fabricGate, gateFailureMessage, VM_GATE_RECORD, vmGateScript, type FabricGate, type VmGatePeers } from "../shared/fabric-gate.js";
import type { AcceptanceHandle } from "../types.js";
import { GCP_VM_PLUGIN_DIRS } from "../../fabric/index.js";
import { NCCL_ENV_FILE } from "./fabric-boot.js";
import { GUEST_NAMESPACE, NODE_API, publishCommand } from "./node-api.js";

/** A node runs the check only if its group is younger than this at the node's first boot (s). */
export const GATE_WINDOW_SECONDS = 3600;
/** How long a started check may take before `up` gives up on it (s): the partner wait, the run's own bound, a margin. */
export const RUN_SECONDS = 900 + 3600 + 600;
/** How often the component reads the guest attributes (s); at most 10 reads a minute per VM are allowed. */
export const POLL_SECONDS = 30;

/** The guest attributes the check publishes, in GUEST_NAMESPACE. */
export const GATE_KEYS = { verdict: "fabric-gate", busbw: "nccl-busbw-gbps", note: "fabric-gate-note" } as const;

const STARTED = "/var/lib/gpu-cluster/fabric-gate-started";
/** The check's script; `sudo GPU_CLUSTER_GATE_FORCE=1 gpu-cluster-fabric-gate` on both check nodes runs it again. */
export const GATE_SCRIPT = "/usr/local/sbin/gpu-cluster-fabric-gate";
export const GATE_FORCE = "GPU_CLUSTER_GATE_FORCE";
const GATE_UNIT = "gpu-cluster-fabric-gate.service";
/** The node's NCCL environment without LD_LIBRARY_PATH (host paths would replace the container's own). */
const GATE_ENV_FILE = "/etc/gpu-cluster/nccl-gate.env";
/** Where CUDA images look for libraries first, and where GKE's pods see the plugin (lib/fabric/gke.ts IN_POD). */
const CONTAINER_LIB64 = "/usr/local/nvidia/lib64";

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

/** How the two check nodes find each other on GCP (see the header, step 1). */
export function gcpGatePeers(plan: Plan): VmGatePeers {
  const kind = plan.fabric.kind as keyof typeof FABRIC_DOCKER_FLAGS;
  return {
    rankLines: [
      // GATE_FORCE (a run by hand on the two check nodes, after a fix) skips the once-only and the window.
      `if [ -z "\${${GATE_FORCE}:-}" ]; then`,
      `  if [ -e ${STARTED} ]; then echo "gpu-cluster: the fabric gate runs once, at a node's first boot: $(cat ${VM_GATE_RECORD} 2>/dev/null)"; exit 0; fi`,
      `  mkdir -p /var/lib/gpu-cluster && touch ${STARTED}`,
      `  age=$(${NODE_API} group-age) || { ${failLines("the node could not read its managed instance group").slice(0, 2).join("; ")}; exit 1; }`,
      `  if [ "$age" -gt ${GATE_WINDOW_SECONDS} ]; then echo "gpu-cluster: the group is $age s old; the fabric gate runs on the nodes it creates in its first ${GATE_WINDOW_SECONDS} s"; exit 0; fi`,
      "fi",
      `me=$(${NODE_API} self); members=$(${NODE_API} members)`,
      `first=$(printf '%s\\n' "$members" | sed -n 1p); second=$(printf '%s\\n' "$members" | sed -n 2p)`,
      'if [ "$me" = "$first" ]; then rank=0; elif [ "$me" = "$second" ]; then rank=1; else echo "gpu-cluster: the fabric gate runs on $first and $second"; exit 0; fi',
      'export GATE_MASTER="$first"',
      publishCommand(GATE_KEYS.verdict, "running"),
    ],
    // The startup script starts the check after its own work; the container gets the node's NCCL settings minus the
    // host's library path.
    bootLines: [`grep -v '^LD_LIBRARY_PATH=' ${NCCL_ENV_FILE} > ${GATE_ENV_FILE} 2>/dev/null || : > ${GATE_ENV_FILE}`],
    waitLines: [
      'for _ in $(seq 1 90); do getent hosts "$first" >/dev/null && getent hosts "$second" >/dev/null && break; sleep 10; done',
      'if ! { getent hosts "$first" >/dev/null && getent hosts "$second" >/dev/null; }; then',
      ...failLines("$first or $second did not come up in 15 minutes (no capacity for it?)").map((l) => `  ${l}`),
      "fi",
    ],
    master: '"$GATE_MASTER"',
    dockerFlags: [`--env-file ${GATE_ENV_FILE}`, "-e GATE_MASTER", ...(FABRIC_DOCKER_FLAGS[kind] ?? [])],
  };
}

/** What the verdict publishes: the verdict and the figure (vmGateScript's `publish`). */
export const GATE_PUBLISH = `${publishCommand(GATE_KEYS.busbw, '"${busbw:-none}"')}; ${publishCommand(GATE_KEYS.verdict, '"$verdict"')}`;

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
    `cat > ${GATE_SCRIPT} <<'GATE'`,
    script.trimEnd(),
    "GATE",
    `chmod 755 ${GATE_SCRIPT}`,
    `cat > /etc/systemd/system/${GATE_UNIT} <<'UNIT'`,
    "[Unit]",
    "Description=gpu-cluster fabric gate (two-node NCCL all-reduce)",
    "After=docker.service network-online.target",
    "[Service]",
    "Type=oneshot",
    `ExecStart=${GATE_SCRIPT}`,
    "TimeoutStartSec=infinity",
    "UNIT",
    "systemctl daemon-reload",
    `[ -e ${STARTED} ] || systemctl start --no-block ${GATE_UNIT}`,
  ];
}

/** What one read of a check node's guest attributes says. */
export type GateReading = { state: "passed"; busbw: string; node: string } | { state: "failed"; busbw?: string; note?: string; node: string } | { state: "running"; node: string } | { state: "none" };

/** The verdict from a node's attributes (GATE_KEYS), or none. */
export function readingOf(node: string, values: Record<string, string>): GateReading {
  const verdict = values[GATE_KEYS.verdict];
  const busbw = values[GATE_KEYS.busbw];
  const figure = busbw !== undefined && busbw !== "none" ? busbw : undefined;
  if (verdict === "passed" && figure !== undefined) return { state: "passed", busbw: figure, node };
  if (verdict === "failed" || verdict === "passed") {
    const note = values[GATE_KEYS.note];
    return { state: "failed", node, ...(figure !== undefined ? { busbw: figure } : {}), ...(note ? { note } : {}) };
  }
  if (verdict === "running") return { state: "running", node };
  return { state: "none" };
}

/** The reads and the clock the wait uses (the cloud's in a program; fakes in tests). */
export interface GateReads {
  /** The names of the group's instances. */
  instances(): Promise<string[]>;
  /** One instance's guest attributes in GUEST_NAMESPACE, key → value; throws when it has none yet. */
  attributes(instance: string): Promise<Record<string, string>>;
  /** Seconds since the group was created. */
  groupAgeSeconds(): number;
  /** Monotonic seconds, and a pause. */
  now(): number;
  sleep(seconds: number): Promise<void>;
}

/** How to check again on GCP: the check by hand on the two check nodes, then `up` reads the new verdict. */
function rerunNote(node: string): string {
  return `GCP: after a fix, run 'sudo ${GATE_FORCE}=1 ${GATE_SCRIPT}' on ${node} and the group's other check node (the first two names), then 'pulumi up' again.`;
}

/** Why `up` stops waiting, by what was seen. */
function timeoutMessage(gate: FabricGate, sawRunning: boolean): string {
  const what = sawRunning
    ? `a check node started the two-node NCCL run and published nothing for ${RUN_SECONDS} s`
    : `no check node started within ${GATE_WINDOW_SECONDS} s of the group's creation (no capacity for the first two nodes, or their startup script failed: see their serial console)`;
  return `fabric check on ${gate.floor.instanceType}: ${what}. To build without the check, set gcp.acceptanceTest: false.`;
}

/**
 * Wait for the check's verdict (see the header, step 5): the figure on `passed`; throws the gate's message on
 * `failed`, and on a bounded wait that saw none. A group older than the window and a run is read once; without a
 * verdict the result is undefined.
 */
export async function awaitGateVerdict(gate: FabricGate, reads: GateReads): Promise<string | undefined> {
  const waiting = reads.groupAgeSeconds() < GATE_WINDOW_SECONDS + RUN_SECONDS;
  let runningSince: number | undefined;
  for (;;) {
    const names = (await reads.instances()).sort().slice(0, 2);
    let running = false;
    for (const name of names) {
      const reading = await reads.attributes(name).then((values) => readingOf(name, values), () => ({ state: "none" }) as GateReading);
      if (reading.state === "passed") return reading.busbw;
      if (reading.state === "failed") {
        const message = [gateFailureMessage(gate, reading.busbw ?? "no figure"), ...(reading.note ? [`On ${reading.node}: ${reading.note}`] : []), rerunNote(reading.node)].join("\n");
        throw new Error(message);
      }
      if (reading.state === "running") running = true;
    }
    if (!waiting) return undefined;
    const now = reads.now();
    if (running) runningSince ??= now;
    const windowLeft = GATE_WINDOW_SECONDS - reads.groupAgeSeconds();
    if (runningSince === undefined ? windowLeft <= 0 : now - runningSince > RUN_SECONDS) throw new Error(timeoutMessage(gate, runningSince !== undefined));
    await reads.sleep(POLL_SECONDS);
  }
}

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
  const busBandwidthGBps = pulumi.all([group.name, group.zone, group.project, group.creationTimestamp]).apply(async ([name, zone, project, created]) => {
    const createdMs = Date.parse(created);
    const reads: GateReads = {
      instances: async () => (await gcpCompute.getInstanceGroup({ name, zone, project }, { parent })).instances.map((url) => url.slice(url.lastIndexOf("/") + 1)),
      attributes: async (instance) => {
        const result = await gcpCompute.getInstanceGuestAttributes({ name: instance, zone, project, queryPath: `${GUEST_NAMESPACE}/` }, { parent });
        return Object.fromEntries(result.queryValues.map((v) => [v.key, v.value]));
      },
      groupAgeSeconds: () => (Number.isFinite(createdMs) ? (Date.now() - createdMs) / 1000 : 0),
      now: () => Date.now() / 1000,
      sleep: (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000)),
    };
    try {
      const figure = await awaitGateVerdict(gate, reads);
      if (figure === undefined) pulumi.log.info(`fabric gate: no verdict on ${name}'s first two nodes any more (it ran when the group was created)`, parent);
      return figure as string;
    } catch (err) {
      const message = (err as Error).message;
      pulumi.log.error(message, parent);
      throw new pulumi.RunError(message);
    }
  });
  return { ...handle, busBandwidthGBps };
}
