/**
 * The multi-node NCCL all-reduce both default workloads run over torchrun, one pod per Node: the acceptance test (two
 * Nodes, compared with the floor) and the default training Job (every Node of the plan, when the user gives neither
 * an image nor a command). torchrun reads the rendezvous from the environment the Job sets: `NNODES`,
 * `NPROC_PER_NODE`, `MASTER_ADDR` (pod 0 of the indexed Job), `MASTER_PORT`, and the node rank from the Job's
 * `JOB_COMPLETION_INDEX`.
 */
import { GATE_MESSAGE_BYTES } from "../../fabric/floors.js";

/** Timed iterations after the warm-up (20: about a second of traffic at 1 GiB on a 400 GB/s fabric, several on TCP). */
export const ALL_REDUCE_ITERATIONS = 20;

/**
 * Where the check reads NCCL's choice of transport: NCCL's debug file (NCCL_DEBUG_FILE), one per process, named by
 * NCCL after the host (`%h`) and pid (`%p`), so each rank finds its own by its pid and the job's log stays small.
 */
export const NCCL_DEBUG_FILE_PATTERN = "/tmp/nccl-check.%h.%p";

/**
 * Set before torch (and so NCCL) is loaded, only where `CHECK_TRANSPORT=1`: NCCL reads its debug settings from the
 * environment at its first log line. NCCL prints the line the check reads at INFO level under the INIT and NET
 * subsystems (`INFO(NCCL_INIT | NCCL_NET, ...)`), so `NCCL_DEBUG_SUBSYS=INIT,NET`; the values override the user's
 * own NCCL_DEBUG* so the check always has its lines (NVIDIA/nccl src/debug.cc and src/transport/net.cc, commit
 * 5067397c2676d5aed50042fc39e5c8ee96eb0027, 2026-06-11, read 2026-12-01). The file is opened unbuffered (2.18 to 2.26:
 * `setbuf(file, nullptr)`) or line-buffered (2.27 on: `setlinebuf`), so what a rank reads after the run is complete.
 */
const NCCL_TRANSPORT_LOGGING = `check_transport = os.environ.get("CHECK_TRANSPORT") == "1"
if check_transport:
    os.environ.update({"NCCL_DEBUG": "INFO", "NCCL_DEBUG_SUBSYS": "INIT,NET", "NCCL_DEBUG_FILE": "${NCCL_DEBUG_FILE_PATTERN}"})`;

/**
 * Python functions (no imports beyond `re`) that read NCCL's report of its network connections and judge it; unit
 * tested on their own by running python3 (test/transport-check.test.ts).
 *
 * The line, from NVIDIA/nccl src/transport/net.cc (commit 5067397c2676d5aed50042fc39e5c8ee96eb0027, 2026-06-11, read
 * 2026-12-01; the same from v2.18.3 to v2.30.4, with `%lx` bus ids instead of `%d` device numbers before 2.18, and the
 * `(PCI)` mode from 2.26), printed by `sendSetup` and `recvSetup` for every channel that crosses nodes over NCCL's
 * network transport:
 *   "Channel %02d/%d : %d[%d] -> %d[%d] [send] via NET/%s/%d%s%s%s"   (net name, device index, "/GDRDMA", "(PCI)", "/Shared")
 *   "Channel %02d/%d : %d[%d] -> %d[%d] [send] via NET/%s/%d(%d)%s%s%s" (PXN: through another local rank's NIC)
 *   "Channel %02d/%d : %d[%d] -> %d[%d] [receive] via NET/%s/%d%s%s%s"
 * `/GDRDMA` is there when NCCL moves the data between GPU memory and the NIC directly (ncclTopoCheckGdr,
 * src/graph/paths.cc); the net name is the transport's: `IB` (src/transport/net_ib/common.cc), `Socket` for TCP,
 * or a plugin's (`AWS Libfabric` for aws-ofi-nccl, as printed in NVIDIA/nccl issue #527, 2021). The device index is
 * NCCL's index of the NIC on that node.
 *
 * `nccl_transport_of(text)`: one rank's file -> its NET connections (names, device indexes, count, how many with GDR,
 * the first one without). `nccl_transport_verdict(found, expect_gdr, expect_devices)`: every rank's `(node, summary or
 * None)` -> `(text for the result, cause of failure or None)`. It fails only on what NCCL printed: a node with no NET
 * connection (the all-reduce never used the network transport), a NET connection without GDRDMA where `expect_gdr`,
 * fewer distinct NET devices on a node than `expect_devices` (0: not checked). A rank without its file (NCCL wrote its
 * log elsewhere) makes the whole check "not checked", never a failure, and with no expectation it only reports.
 */
export const NCCL_TRANSPORT_PARSER = String.raw`import re
NCCL_NET_LINE = re.compile(r"(Channel \d+/\d+ : \S+ -> \S+ \[(send|receive)\] via NET/([^/\n]+)/(\d+)(?:\(\d+\))?(/GDRDMA)?\S*)")

def nccl_transport_of(text):
    found = [m for m in (NCCL_NET_LINE.search(line) for line in text.splitlines()) if m]
    plain = [m.group(1) for m in found if not m.group(5)]
    return {"net": sorted({m.group(3) for m in found}), "devices": sorted({int(m.group(4)) for m in found}),
            "lines": len(found), "gdr": len(found) - len(plain), "plain": plain[0] if plain else None}

def nccl_transport_verdict(found, expect_gdr, expect_devices):
    nodes = {}
    for node, mine in found:
        if mine is None:
            return ("not checked: no NCCL debug file on node %s" % node, None)
        agg = nodes.setdefault(node, {"net": set(), "devices": set(), "lines": 0, "gdr": 0, "plain": None})
        agg["net"].update(mine["net"])
        agg["devices"].update(mine["devices"])
        agg["lines"] += mine["lines"]
        agg["gdr"] += mine["gdr"]
        agg["plain"] = agg["plain"] or mine["plain"]
    summary = "; ".join("node %s: NET/%s devices %s GDRDMA %d/%d" % (
        node, "+".join(sorted(a["net"])) or "none", ",".join(str(d) for d in sorted(a["devices"])) or "none", a["gdr"], a["lines"])
        for node, a in sorted(nodes.items()))
    if not expect_gdr and not expect_devices:
        return (summary, None)
    causes = []
    for node, a in sorted(nodes.items()):
        if a["lines"] == 0:
            causes.append("node %s: no NET connection in NCCL's log, so the all-reduce never used NCCL's network transport to the other node" % node)
            continue
        if expect_gdr and a["gdr"] < a["lines"]:
            how = "NCCL fell back to TCP sockets (NET/Socket)" if "Socket" in a["net"] else "GPUDirect RDMA is off (no /GDRDMA), so NCCL stages the data through host memory"
            causes.append("node %s: %d of %d NET connections without GPUDirect RDMA: %s; first: %s" % (node, a["lines"] - a["gdr"], a["lines"], how, a["plain"]))
        if expect_devices and len(a["devices"]) < expect_devices:
            causes.append("node %s: NCCL used %d of the node's %d fabric NICs (NET devices %s)" % (node, len(a["devices"]), expect_devices, ",".join(str(d) for d in sorted(a["devices"]))))
    return (summary, "; ".join(causes) or None)
`;

/**
 * After the timed all-reduce, where `CHECK_TRANSPORT=1`: each rank reads its own NCCL debug file (by its pid), passes
 * on NCCL's warnings to stderr (the debug file takes them off the console), and the ranks gather what they found;
 * every rank judges it against `CHECK_EXPECT_GDR` and `CHECK_EXPECT_NET_DEVICES`, and rank 0 prints
 * `nccl-check: transport <summary>` and, on a failure, `nccl-check: transport-failed <cause>`. The node of a rank is
 * torchrun's GROUP_RANK. Nothing here fails the run: the gates' verdicts do.
 */
export const NCCL_TRANSPORT_REPORT = `transport, transport_cause = None, None
if check_transport:
${NCCL_TRANSPORT_PARSER.split("\n").map((l) => (l ? "    " + l : l)).join("\n")}
    import glob, sys
    mine = None
    for path in glob.glob("${NCCL_DEBUG_FILE_PATTERN.replace("%h", "*").replace("%p", "")}" + str(os.getpid()))[:1]:
        with open(path, errors="replace") as log:
            text = log.read()
        mine = nccl_transport_of(text)
        for line in [l for l in text.splitlines() if "NCCL WARN" in l][:20]:
            print(line, file=sys.stderr, flush=True)
    node = os.environ.get("GROUP_RANK", str(rank // int(os.environ["LOCAL_WORLD_SIZE"])))
    found = [None] * n
    dist.all_gather_object(found, (node, mine))
    transport, transport_cause = nccl_transport_verdict(found, os.environ.get("CHECK_EXPECT_GDR") == "1", int(os.environ.get("CHECK_EXPECT_NET_DEVICES") or "0"))
    if rank == 0:
        print(f"nccl-check: transport {transport}", flush=True)
        if transport_cause:
            print(f"nccl-check: transport-failed {transport_cause}", flush=True)`;

/**
 * The measurement: every rank all-reduces a `CHECK_MESSAGE_BYTES` float32 tensor `CHECK_ITERATIONS` times after a
 * warm-up, takes the slowest rank's time, and computes algbw = bytes / time and busbw = algbw * 2(n-1)/n (nccl-tests'
 * definition for all-reduce, n = world size in GPUs, github.com/NVIDIA/nccl-tests doc/PERFORMANCE.md). Rank 0 prints
 * it. Where `CHECK_TRANSPORT=1` (the fabric gates only, never the training Job), it also reads NCCL's own report of the
 * transport it chose (NCCL_TRANSPORT_REPORT). Leaves `rank`, `n`, `size`, `algbw`, `busbw`, `transport` and
 * `transport_cause` defined and the process group open.
 */
export const ALL_REDUCE_MEASUREMENT = `
import os, time
${NCCL_TRANSPORT_LOGGING}
import torch, torch.distributed as dist

dist.init_process_group("nccl")
torch.cuda.set_device(int(os.environ["LOCAL_RANK"]))
rank = dist.get_rank()
n = dist.get_world_size()
size = int(os.environ.get("CHECK_MESSAGE_BYTES", "${GATE_MESSAGE_BYTES}"))
iters = int(os.environ.get("CHECK_ITERATIONS", "${ALL_REDUCE_ITERATIONS}"))
x = torch.ones(size // 4, dtype=torch.float32, device="cuda")
for _ in range(5):
    dist.all_reduce(x)
torch.cuda.synchronize()
dist.barrier()
start = time.perf_counter()
for _ in range(iters):
    dist.all_reduce(x)
torch.cuda.synchronize()
elapsed = torch.tensor([(time.perf_counter() - start) / iters], device="cuda")
dist.all_reduce(elapsed, op=dist.ReduceOp.MAX)
algbw = size / elapsed.item() / 1e9
busbw = algbw * 2 * (n - 1) / n
if rank == 0:
    print(f"nccl-check: all_reduce {size} bytes x {iters} over {n} GPUs on {n // int(os.environ['LOCAL_WORLD_SIZE'])} nodes: algbw {algbw:.2f} GB/s busbw {busbw:.2f} GB/s", flush=True)
${NCCL_TRANSPORT_REPORT}
`;

/** The default training Job's script: the measurement over every Node of the plan, then a clean exit. */
export const TRAINING_ALL_REDUCE_SCRIPT = `${ALL_REDUCE_MEASUREMENT}
dist.destroy_process_group()
`;

/**
 * The container command: write `$CHECK_SCRIPT` to a file and run it with torchrun across `$NNODES` pods. First, where
 * the target names a device the run needs (`$CHECK_REQUIRE_FILE`, e.g. CoreWeave's node IMEX channel), a pod without
 * it stops at once with `$CHECK_REQUIRE_MESSAGE` (log and termination message) instead of NCCL failing obscurely later.
 */
export const TORCHRUN_SCRIPT_COMMAND = [
  "bash",
  "-c",
  'if [ -n "${CHECK_REQUIRE_FILE:-}" ] && [ ! -e "$CHECK_REQUIRE_FILE" ]; then printf "%s\\n" "$CHECK_REQUIRE_MESSAGE" | tee /dev/termination-log >&2; exit 1; fi; ' +
    'printf "%s" "$CHECK_SCRIPT" > /tmp/nccl_check.py && exec torchrun --nnodes="$NNODES" --nproc-per-node="$NPROC_PER_NODE" ' +
    '--node-rank="$JOB_COMPLETION_INDEX" --master-addr="$MASTER_ADDR" --master-port="$MASTER_PORT" /tmp/nccl_check.py',
];
