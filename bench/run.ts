/**
 * Benchmarks: `npm run bench`. Prints figures; nothing here asserts on time.
 * - plan + estimate (the pure core) for 8, 128 and 1,024 nodes;
 * - compare across every cloud and region;
 * - a full component compile under the mock engine for 8 and 1,024 nodes (resource count and time);
 * - the offline runner's URN matching for 12,200 and 24,400 resources.
 */
import { performance } from "node:perf_hooks";
import { formatUsd } from "../lib/cost/money.js";
import { compare, estimateCost, planCluster, TrainingCluster, type ClusterSpec } from "../lib/index.js";
import { matchUrns, runOffline } from "../lib/preview/offline.js";

function spec(nodes: number): ClusterSpec {
  return {
    cloud: "aws",
    region: "us-east-1",
    gpu: { model: "H100", nodes },
    storage: [{ kind: "lustre", capacityTiB: 120 }],
    egress: { internetTiBPerMonth: 20 },
    budget: { monthlyUsd: 50_000_000, onExceed: "fail" },
  };
}

/**
 * Time `fn`: samples are batches of calls, each long enough (≥ 2 ms) that the timer's resolution does not
 * round a fast call to 0 or to one tick; a sample is the batch's time per call. Reports the median and the
 * 95th percentile (nearest rank, so p95 ≥ median always), the mean, and the fastest sample (the least
 * disturbed by other work on the machine).
 */
function timeIt(iterations: number, fn: () => void): { minUs: number; meanUs: number; medianUs: number; p95Us: number } {
  for (let i = 0; i < Math.min(200, iterations); i++) fn(); // warm-up
  let batch = 1;
  for (;;) {
    const start = performance.now();
    for (let i = 0; i < batch; i++) fn();
    if (performance.now() - start >= 2 || batch >= iterations) break;
    batch *= 2;
  }
  const samples: number[] = [];
  for (let done = 0; done < iterations; done += batch) {
    const start = performance.now();
    for (let i = 0; i < batch; i++) fn();
    samples.push(((performance.now() - start) * 1000) / batch);
  }
  samples.sort((a, b) => a - b);
  const rank = (p: number) => samples[Math.max(0, Math.ceil(p * samples.length) - 1)]!;
  return { minUs: samples[0]!, meanUs: samples.reduce((s, x) => s + x, 0) / samples.length, medianUs: rank(0.5), p95Us: rank(0.95) };
}

/** `count` recorded resources and their URNs, as a large stack's offline run holds them (URNs in reverse order). */
function syntheticStack(count: number): { recorded: { type: string; name: string }[]; urns: string[] } {
  const recorded = Array.from({ length: count }, (_, i) => ({ type: `aws:ec2/instance:Instance`, name: `node-${i}` }));
  const urns = recorded.map((r) => `urn:pulumi:offline::bench::gpu-cluster:index:TrainingCluster$${r.type}::${r.name}`).reverse();
  return { recorded, urns };
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
  console.log("\nplan + estimate (pure core), 5,000 iterations each");
  for (const nodes of [8, 128, 1024]) {
    const s = spec(nodes);
    const { meanUs, medianUs, p95Us } = timeIt(5000, () => estimateCost(planCluster(s)));
    console.log(`  ${String(nodes).padStart(5)} nodes: median ${medianUs.toFixed(1)} µs, p95 ${p95Us.toFixed(1)} µs, mean ${meanUs.toFixed(1)} µs  (monthly ${formatUsd(estimateCost(s).monthlyUsd)})`);
  }

  console.log("\ncompare (every cloud and region), 200 iterations");
  const c = timeIt(200, () => compare({ gpu: { model: "H100", count: 64 } }));
  console.log(`  median ${(c.medianUs / 1000).toFixed(2)} ms, p95 ${(c.p95Us / 1000).toFixed(2)} ms, mean ${(c.meanUs / 1000).toFixed(2)} ms`);

  // Every cloud and region of the generated catalog (hundreds of type × region rows): the bar is 50 ms.
  console.log("\ncompare, whole catalog: training and inference requirements, 20 iterations each (bar: 50 ms)");
  for (const [label, req] of [
    ["64 × H100 training", { gpu: { model: "H100" as const, count: 64 } }],
    ["L4 inference, 2 replicas", { gpu: { model: "L4" as const, count: 1 }, replicas: { min: 2, max: 8 } }],
  ] as const) {
    const result = compare(req);
    const t = timeIt(20, () => compare(req));
    console.log(`  ${label}: ${result.placements.length + result.excluded.length} places, mean ${(t.meanUs / 1000).toFixed(2)} ms, p95 ${(t.p95Us / 1000).toFixed(2)} ms`);
  }

  console.log("\ncomponent compile under the mock engine (one run each)");
  for (const nodes of [8, 1024]) {
    const start = performance.now();
    const run = await runOffline(() => new TrainingCluster(`bench-${nodes}`, spec(nodes)));
    const ms = performance.now() - start;
    console.log(`  ${String(nodes).padStart(5)} nodes: ${run.resources.length} resources, ${ms.toFixed(0)} ms`);
  }

  // The runner matches each recorded resource to its URN through one index (it was a scan per resource:
  // quadratic, 5.6 s at 24,400). Figures in milliseconds; memory and GC make the scaling a little over linear.
  console.log("\noffline runner: matching recorded resources to URNs, 40 iterations each");
  for (const count of [12_200, 24_400]) {
    const { recorded, urns } = syntheticStack(count);
    const t = timeIt(40, () => void matchUrns(recorded, urns));
    console.log(`  ${count.toLocaleString("en-US").padStart(6)} resources: fastest ${(t.minUs / 1000).toFixed(1)} ms, median ${(t.medianUs / 1000).toFixed(1)} ms, p95 ${(t.p95Us / 1000).toFixed(1)} ms`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
