/**
 * The fabric gate's second test: NCCL's own report of the transport it chose (lib/clouds/kubernetes/workload-all-reduce.ts
 * NCCL_TRANSPORT_PARSER / NCCL_TRANSPORT_REPORT, lib/clouds/shared/transport-expectation.ts). The Python runs under
 * python3 on log lines built from NCCL's own format strings (NVIDIA/nccl src/transport/net.cc and src/debug.cc at
 * 5067397c2676d5aed50042fc39e5c8ee96eb0027, read 2026-12-01):
 *   debug prefix  "%s:%d:%d " (host, pid, tid) then "[%d] NCCL INFO %s\n" (CUDA device, the call's format)
 *   send          "Channel %02d/%d : %d[%d] -> %d[%d] [send] via NET/%s/%d%s%s%s"
 *   send via PXN  "Channel %02d/%d : %d[%d] -> %d[%d] [send] via NET/%s/%d(%d)%s%s%s"
 *   receive       "Channel %02d/%d : %d[%d] -> %d[%d] [receive] via NET/%s/%d%s%s%s"
 * with "/GDRDMA", "(PCI)", "/Shared" as the last three.
 */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as gpu from "gpu-cluster";
import { NCCL_TRANSPORT_PARSER, NCCL_TRANSPORT_REPORT } from "../lib/clouds/kubernetes/workload-all-reduce.js";
import { azureGatePeers, CLOUD_CAUSES, fabricGate, gateVerdictLines, LIKELY_CAUSES, vmGateScript } from "../lib/clouds/shared/fabric-gate.js";
import { transportCheckEnv } from "../lib/clouds/shared/transport-expectation.js";
import { gateReading, transportOf } from "../lib/clouds/aws/fabric-gate.js";
import { gateFigure, parseGateStatus } from "../lib/clouds/azure/gate-readback.js";
import { readingOf } from "../lib/clouds/gcp/fabric-gate.js";
import { byName, container, envOf, privateEndpoint, run } from "./helpers/offline.js";

/** One INFO line as NCCL writes it to its debug file (host h, pid 4242, tid 4300, CUDA device `dev`). */
const info = (dev: number, body: string) => `h:4242:4300 [${dev}] NCCL INFO ${body}`;
/** NCCL's send line: `Channel cc/0 : r[d] -> p[d] [send] via NET/<net>/<netDev><suffix>`. */
const send = (channel: number, rank: number, peer: number, net: string, netDev: number, suffix: string) =>
  info(rank % 8, `Channel ${String(channel).padStart(2, "0")}/0 : ${rank}[${rank % 8}] -> ${peer}[${peer % 8}] [send] via NET/${net}/${netDev}${suffix}`);
const receive = (channel: number, peer: number, rank: number, net: string, netDev: number, suffix: string) =>
  info(rank % 8, `Channel ${String(channel).padStart(2, "0")}/0 : ${peer}[${peer % 8}] -> ${rank}[${rank % 8}] [receive] via NET/${net}/${netDev}${suffix}`);

/** Runs the parser on each rank's log (`[node, text | null]`) and returns the verdict `[summary, cause]`. */
function judge(ranks: [string, string | null][], expectGdr: boolean, expectDevices = 0): [string, string | null] {
  const harness = `${NCCL_TRANSPORT_PARSER}
import json, sys
ranks = json.load(sys.stdin)
found = [(node, None if text is None else nccl_transport_of(text)) for node, text in ranks]
print(json.dumps(nccl_transport_verdict(found, ${expectGdr ? "True" : "False"}, ${expectDevices})))
`;
  const result = spawnSync("python3", ["-c", harness], { input: JSON.stringify(ranks), encoding: "utf8" });
  expect(result.stderr).toBe("");
  return JSON.parse(result.stdout) as [string, string | null];
}

describe("NCCL's transport report, parsed by the check (python3)", () => {
  // A healthy InfiniBand pair: every channel over NET/IB with GPUDirect RDMA, the GB200 "(PCI)" mode and a PXN send too.
  const node0 = [
    info(0, "NCCL_DEBUG_SUBSYS set by environment to INIT,NET."),
    send(0, 0, 8, "IB", 0, "/GDRDMA"),
    receive(0, 8, 0, "IB", 0, "/GDRDMA"),
    info(1, "Channel 01/0 : 1[1] -> 9[1] [send] via NET/IB/1(0)/GDRDMA"),
    receive(1, 9, 1, "IB", 1, "/GDRDMA(PCI)"),
    info(0, "Channel 00/0 : 0[0] -> 1[1] via P2P/CUMEM/read"),
  ].join("\n");
  const node1 = [send(0, 8, 0, "IB", 0, "/GDRDMA"), receive(0, 0, 8, "IB", 0, "/GDRDMA"), send(1, 9, 1, "IB", 1, "/GDRDMA")].join("\n");

  it("passes a pair whose every NET connection carries /GDRDMA, and reports the transport per node", () => {
    expect(judge([["0", node0], ["1", node1]], true)).toEqual(["node 0: NET/IB devices 0,1 GDRDMA 4/4; node 1: NET/IB devices 0,1 GDRDMA 3/3", null]);
    // aws-ofi-nccl's net name has a space (NVIDIA/nccl issue #527: "via NET/AWS Libfabric/0/GDRDMA").
    const efa = send(3, 3, 11, "AWS Libfabric", 1, "/GDRDMA");
    expect(judge([["0", efa], ["1", receive(3, 3, 11, "AWS Libfabric", 1, "/GDRDMA")]], true)).toEqual([
      "node 0: NET/AWS Libfabric devices 1 GDRDMA 1/1; node 1: NET/AWS Libfabric devices 1 GDRDMA 1/1",
      null,
    ]);
  });

  it("fails a NET connection without GDRDMA, naming the node, the count and the first such line", () => {
    const off = [send(0, 8, 0, "IB", 0, ""), receive(0, 0, 8, "IB", 0, "/GDRDMA"), send(2, 10, 2, "IB", 2, "/Shared")].join("\n");
    const [summary, cause] = judge([["0", node0], ["1", off]], true);
    expect(summary).toBe("node 0: NET/IB devices 0,1 GDRDMA 4/4; node 1: NET/IB devices 0,2 GDRDMA 1/3");
    expect(cause).toBe(
      "node 1: 2 of 3 NET connections without GPUDirect RDMA: GPUDirect RDMA is off (no /GDRDMA), so NCCL stages the data through host memory; " +
        "first: Channel 00/0 : 8[0] -> 0[0] [send] via NET/IB/0",
    );
    // Not expected (g5 over EFA, TCPX): reported only.
    expect(judge([["0", node0], ["1", off]], false)[1]).toBeNull();
  });

  it("names a fallback to TCP sockets", () => {
    const tcp = [send(0, 0, 8, "Socket", 0, ""), receive(0, 8, 0, "Socket", 0, "")].join("\n");
    expect(judge([["0", tcp], ["1", node1]], true)[1]).toBe(
      "node 0: 2 of 2 NET connections without GPUDirect RDMA: NCCL fell back to TCP sockets (NET/Socket); first: Channel 00/0 : 0[0] -> 8[0] [send] via NET/Socket/0",
    );
  });

  it("fails a node with no NET line at all (the all-reduce never used the network transport)", () => {
    const p2pOnly = [info(0, "NCCL_DEBUG_SUBSYS set by environment to INIT,NET."), info(0, "Channel 00/0 : 0[0] -> 1[1] via P2P/CUMEM/read")].join("\n");
    const [summary, cause] = judge([["0", p2pOnly], ["0", ""], ["1", node1]], true);
    expect(summary).toBe("node 0: NET/none devices none GDRDMA 0/0; node 1: NET/IB devices 0,1 GDRDMA 3/3");
    expect(cause).toBe("node 0: no NET connection in NCCL's log, so the all-reduce never used NCCL's network transport to the other node");
  });

  it("counts a node's distinct NET devices where a count is expected", () => {
    expect(judge([["0", node0], ["1", node1]], true, 2)[1]).toBeNull();
    expect(judge([["0", node0], ["1", send(0, 8, 0, "IB", 0, "/GDRDMA")]], true, 2)[1]).toBe("node 1: NCCL used 1 of the node's 2 fabric NICs (NET devices 0)");
  });

  it("never fails when a rank has no NCCL debug file (its log went elsewhere): not checked", () => {
    expect(judge([["0", node0], ["1", null]], true, 8)).toEqual(["not checked: no NCCL debug file on node 1", null]);
  });

  it("each rank reads its own file by its pid, passes NCCL's warnings to stderr, and rank 0 prints the verdict", () => {
    const dir = mkdtempSync(join(tmpdir(), "nccl-report-"));
    // The measurement's names, a one-rank stand-in for torch.distributed, and a debug file named as NCCL names it.
    const harness = `
import os
os.environ.update({"CHECK_EXPECT_GDR": "1", "LOCAL_WORLD_SIZE": "8", "GROUP_RANK": "0"})
check_transport, rank, n = True, 0, 1
class dist:
    @staticmethod
    def all_gather_object(out, mine):
        out[0] = mine
with open("/tmp/nccl-check.h." + str(os.getpid()), "w") as log:
    log.write(${JSON.stringify(`${send(0, 0, 8, "IB", 0, "")}\nh:4242:4300 [0] some.cc:1 NCCL WARN NET/IB : GPU Direct RDMA Disabled\n`)})
try:
${NCCL_TRANSPORT_REPORT.split("\n").map((l) => "    " + l).join("\n")}
finally:
    os.remove("/tmp/nccl-check.h." + str(os.getpid()))
`;
    const result = spawnSync("python3", ["-c", harness], { encoding: "utf8", cwd: dir });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(
      "nccl-check: transport node 0: NET/IB devices 0 GDRDMA 0/1\n" +
        "nccl-check: transport-failed node 0: 1 of 1 NET connections without GPUDirect RDMA: GPUDirect RDMA is off (no /GDRDMA), so NCCL stages the data through host memory; first: Channel 00/0 : 0[0] -> 8[0] [send] via NET/IB/0\n",
    );
    expect(result.stderr).toBe("h:4242:4300 [0] some.cc:1 NCCL WARN NET/IB : GPU Direct RDMA Disabled\n");
  });
});

describe("the transport expectation per fabric reaches the check (one table: transport-expectation.ts)", () => {
  const vmEnv = (args: Parameters<typeof gpu.planCluster>[0]) => {
    const plan = gpu.planCluster(args);
    const script = vmGateScript(plan, azureGatePeers("x"))!;
    return { plan, script, env: transportCheckEnv(plan, fabricGate(plan, "vm")) };
  };

  it.each([
    ["aws", "p5.48xlarge", { CHECK_TRANSPORT: "1", CHECK_EXPECT_GDR: "1" }],
    ["aws", "p4d.24xlarge", { CHECK_TRANSPORT: "1", CHECK_EXPECT_GDR: "1" }],
    ["azure", "Standard_ND96isr_H100_v5", { CHECK_TRANSPORT: "1", CHECK_EXPECT_GDR: "1" }],
    ["gcp", "a3-ultragpu-8g", { CHECK_TRANSPORT: "1", CHECK_EXPECT_GDR: "1" }],
    ["gcp", "a4-highgpu-8g", { CHECK_TRANSPORT: "1", CHECK_EXPECT_GDR: "1" }],
    // TCPX / TCPXO: what their plugins print is unsourced, so only reported.
    ["gcp", "a3-highgpu-8g", { CHECK_TRANSPORT: "1" }],
    ["gcp", "a3-megagpu-8g", { CHECK_TRANSPORT: "1" }],
  ] as const)("VM gate on %s %s: the script exports and passes %j into the container", (cloud, instanceType, expected) => {
    const regions = { aws: "us-east-1", azure: "eastus", gcp: "us-central1" } as const;
    // A3 Ultra and A4 have no public on-demand price: Spot (A4 in us-central1 with no public Spot price either: a contract rate).
    const pricing = instanceType === "a3-ultragpu-8g" ? { pricing: "spot" } : instanceType === "a4-highgpu-8g" ? { pricing: "spot", contractUsdPerHour: 50 } : {};
    const { script, env } = vmEnv({ cloud, region: regions[cloud], gpu: { instanceType, nodes: 2 }, ...pricing } as Parameters<typeof gpu.planCluster>[0]);
    expect(env).toEqual(expected);
    for (const [k, v] of Object.entries(expected)) {
      expect(script).toContain(`export ${k}='${v}'\n`);
      expect(script).toContain(`-e ${k} `);
    }
    if (!("CHECK_EXPECT_GDR" in expected)) expect(script).not.toContain("-e CHECK_EXPECT_GDR");
    // Rank 0's lines are read back into the verdict.
    expect(script).toContain("transport_cause=$(printf '%s\\n' \"$out\" | sed -n 's/^nccl-check: transport-failed \\(.*\\)$/\\1/p' | tail -n 1)");
  });

  it("EFA without GPUDirect RDMA (g6e) and a single node get no expectation", () => {
    const g6e = gpu.planCluster({ cloud: "aws", region: "us-east-1", gpu: { instanceType: "g6e.48xlarge", nodes: 2 } } as Parameters<typeof gpu.planCluster>[0]);
    const gate = fabricGate(g6e, "vm");
    if (gate) expect(transportCheckEnv(g6e, gate)).toEqual({ CHECK_TRANSPORT: "1" });
    const one = gpu.planCluster({ cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 1 } } as Parameters<typeof gpu.planCluster>[0]);
    expect(transportCheckEnv(one, fabricGate(one, "vm"))).toEqual({});
  });

  it("the AKS and CoreWeave check pods get GDR expected; a GB200 pair only reports (multi-node NVLink has no NET line)", async () => {
    const aks = await run(() => new gpu.TrainingCluster("aks", privateEndpoint({ cloud: "azure", region: "eastus", orchestrator: "kubernetes", gpu: { instanceType: "Standard_ND96isr_H100_v5", nodes: 2 } } as gpu.TrainingClusterArgs)));
    expect(aks.error).toBeUndefined();
    expect(envOf(container(byName(aks, "kubernetes:batch/v1:Job", "aks-nccl-check")))).toMatchObject({ CHECK_TRANSPORT: "1", CHECK_EXPECT_GDR: "1" });
    const gb = await run(() => new gpu.TrainingCluster("gb", privateEndpoint({ cloud: "coreweave", region: "US-EAST-01", gpu: { instanceType: "gb200-4x", nodes: 18 } } as gpu.TrainingClusterArgs)));
    expect(gb.error).toBeUndefined();
    const env = envOf(container(byName(gb, "kubernetes:batch/v1:Job", "gb-nccl-check")));
    expect(env["CHECK_TRANSPORT"]).toBe("1");
    expect(env["CHECK_EXPECT_GDR"]).toBeUndefined();
  });
});

describe("the VM verdict on NCCL's transport (the shared shell piece)", () => {
  const plan = gpu.planCluster({ cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 } } as Parameters<typeof gpu.planCluster>[0]);
  const gate = fabricGate(plan, "vm")!;
  const cause = "node 1: 16 of 16 NET connections without GPUDirect RDMA: GPUDirect RDMA is off (no /GDRDMA), so NCCL stages the data through host memory; first: Channel 00/0 : 8[0] -> 0[0] [send] via NET/AWS Libfabric/0";

  function verdict(busbw: string, transportCause: string) {
    const dir = mkdtempSync(join(tmpdir(), "gate-"));
    const script = [
      "set -u",
      "logger() { :; }",
      `busbw=${busbw}`,
      "transport='node 0: NET/AWS Libfabric devices 0 GDRDMA 0/16'",
      `transport_cause='${transportCause}'`,
      ...gateVerdictLines(gate, 'echo "published $busbw $verdict" > "$GATE_DIR/published"'),
    ]
      .join("\n")
      .replaceAll("/var/lib/gpu-cluster", dir);
    const result = spawnSync("bash", ["-c", script], { encoding: "utf8", env: { ...process.env, GATE_DIR: dir } });
    return { status: result.status, stderr: result.stderr, record: readFileSync(join(dir, "fabric-gate"), "utf8") };
  }

  it("fails above the floor when NCCL's transport falls short, with the cause, the figure and the EFA causes", () => {
    const r = verdict("300.00", cause);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`fabric check FAILED on p5.48xlarge (efa, vm): NCCL's own log of the 2-node all-reduce shows it is not using the whole fabric: ${cause}.`);
    expect(r.stderr).toContain("(Bus bandwidth 300.00 GB/s; floor 262.1 GB/s.");
    expect(r.stderr).not.toContain("below the floor");
    for (const c of LIKELY_CAUSES.efa.vm) expect(r.stderr).toContain(c);
    expect(r.record).toMatch(/^verdict=failed busbw=300.00 floor=262.1 transport=node 0: NET\/AWS Libfabric devices 0 GDRDMA 0\/16\n/);
  });

  it("below the floor too: both messages", () => {
    const r = verdict("80.16", cause);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("is 80.16 GB/s,\nbelow the floor of 262.1 GB/s");
    expect(r.stderr).toContain(`shows it is not using the whole fabric: ${cause}.`);
  });

  it("passes with a transport that met the expectation", () => {
    expect(verdict("300.00", "")).toMatchObject({ status: 0, stderr: "" });
  });

  it("the clouds' read-backs turn a transport failure into its own message (AWS parameter, Azure marker, GCP attributes)", () => {
    const value = `verdict=failed busbw=300.00 transport=node 0: NET/AWS Libfabric devices 0 GDRDMA 0/16 cause=${cause}`;
    expect(() => gateReading(gate, "/p", value, "assoc")).toThrow(`shows it is not using the whole fabric: ${cause}.`);
    expect(() => gateReading(gate, "/p", value, "assoc")).not.toThrow(/below the floor/);
    expect(gateReading(gate, "/p", "verdict=passed busbw=300.00 transport=node 0: NET/AWS Libfabric devices 0 GDRDMA 16/16")).toBe("300.00");

    const nd = gpu.planCluster({ cloud: "azure", region: "eastus", gpu: { instanceType: "Standard_ND96isr_H100_v5", nodes: 2 } } as Parameters<typeof gpu.planCluster>[0]);
    const azureGate = fabricGate(nd, "vm")!;
    const marker = `gpu-cluster-fabric-gate: verdict=failed busbw=300.00 floor=${azureGate.floor.floorGBps} transport=node 0: NET/IB devices 0 GDRDMA 0/8 cause=node 0: no GDR`;
    expect(parseGateStatus(marker)).toEqual({ verdict: "failed", busBandwidthGBps: "300.00", transport: "node 0: NET/IB devices 0 GDRDMA 0/8", transportCause: "node 0: no GDR" });
    expect(() => gateFigure(azureGate, { instanceView: { statuses: [{ message: marker }] } } as never)).toThrow("not using the whole fabric: node 0: no GDR.");

    // The transports seen, for the ncclTransport output: from the parameter and from the marker.
    expect(transportOf("verdict=passed busbw=300.00 transport=node 0: NET/AWS Libfabric devices 0,1 GDRDMA 16/16; node 1: NET/AWS Libfabric devices 0,1 GDRDMA 16/16")).toBe(
      "node 0: NET/AWS Libfabric devices 0,1 GDRDMA 16/16; node 1: NET/AWS Libfabric devices 0,1 GDRDMA 16/16",
    );
    expect(transportOf(value)).toBe("node 0: NET/AWS Libfabric devices 0 GDRDMA 0/16");
    expect(transportOf("verdict=passed busbw=300.00 transport=none")).toBeUndefined();
    expect(transportOf("verdict=passed busbw=300.00")).toBeUndefined();
    const passed = `gpu-cluster-fabric-gate: verdict=passed busbw=400.00 floor=${azureGate.floor.floorGBps} transport=node 0: NET/IB devices 0,1 GDRDMA 8/8`;
    expect(gateFigure(azureGate, { instanceView: { statuses: [{ message: passed }] } } as never)).toEqual({ figure: "400.00", transport: "node 0: NET/IB devices 0,1 GDRDMA 8/8" });

    expect(readingOf("n0", { "fabric-gate": "failed", "nccl-busbw-gbps": "300.00", "nccl-transport-cause": "node 0: no GDR" })).toEqual({
      state: "failed",
      node: "n0",
      busbw: "300.00",
      transportCause: "node 0: no GDR",
    });
  });
});

describe("the gate's likely causes per cloud (InfiniBand on CoreWeave and Azure)", () => {
  it("CoreWeave's check lists CoreWeave's causes, none of Azure's", async () => {
    const cw = await run(() => new gpu.TrainingCluster("cw", privateEndpoint({ cloud: "coreweave", region: "US-EAST-04", gpu: { instanceType: "gd-8xh100ib-i128", nodes: 2 } } as gpu.TrainingClusterArgs)));
    const message = envOf(container(byName(cw, "kubernetes:batch/v1:Job", "cw-nccl-check")))["CHECK_FAILURE_MESSAGE"]!;
    expect(message).toContain("  1. the pod did not get the Node's HCAs: no rdma/ib request, or the Node advertises no rdma/ib");
    expect(message).toContain("  2. the two Nodes are on different InfiniBand fabrics (their backend.coreweave.cloud/fabric labels differ)");
    expect(message).toContain("  3. GPUDirect RDMA unavailable to the pod (NCCL's log shows NET/IB without /GDRDMA)");
    expect(message).toContain("NCCL_IB_HCA=ibp");
    expect(message).toContain("  5. a Node was running CoreWeave's HPC verification tests (namespace hpc-verification, on idle Nodes)");
    expect(message).not.toMatch(/Azure|NCCL_TOPO_FILE|scale set/);
    for (const cause of CLOUD_CAUSES.coreweave!.infiniband!.kubernetes!) expect(message).toContain(cause);
  });

  it("Azure's check (AKS) keeps Azure's: the ND topology file and scale sets, nothing of CoreWeave's", async () => {
    const aks = await run(() => new gpu.TrainingCluster("aks", privateEndpoint({ cloud: "azure", region: "eastus", orchestrator: "kubernetes", gpu: { instanceType: "Standard_ND96isr_H100_v5", nodes: 2 } } as gpu.TrainingClusterArgs)));
    const message = envOf(container(byName(aks, "kubernetes:batch/v1:Job", "aks-nccl-check")))["CHECK_FAILURE_MESSAGE"]!;
    expect(message).toContain("  3. no NCCL_TOPO_FILE for the ND size, so NCCL turns GPUDirect RDMA off under Hyper-V");
    expect(message).toContain("different scale sets, or node pools");
    expect(message).not.toMatch(/coreweave|ibp|hpc-verification/i);
  });
});
