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
 * The measurement: every rank all-reduces a `CHECK_MESSAGE_BYTES` float32 tensor `CHECK_ITERATIONS` times after a
 * warm-up, takes the slowest rank's time, and computes algbw = bytes / time and busbw = algbw * 2(n-1)/n (nccl-tests'
 * definition for all-reduce, n = world size in GPUs, github.com/NVIDIA/nccl-tests doc/PERFORMANCE.md). Rank 0 prints
 * it. Leaves `rank`, `n`, `size`, `algbw`, `busbw` defined and the process group open.
 */
export const ALL_REDUCE_MEASUREMENT = `
import os, time
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
