/**
 * Benchmarks: `npm run bench`. Prints figures; nothing here asserts on time.
 * - plan + estimate (the pure core) for 8, 128 and 1,024 nodes;
 * - compare across every cloud and region;
 * - a full component compile under the mock engine for 8 and 1,024 nodes (resource count and time).
 */
import { performance } from "node:perf_hooks";
import { compare, estimateCost, planCluster, TrainingCluster, type ClusterSpec } from "../lib/index.js";
import { runOffline } from "../lib/preview/offline.js";

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

function timeIt(iterations: number, fn: () => void): { meanUs: number; p95Us: number } {
  for (let i = 0; i < Math.min(200, iterations); i++) fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    fn();
    samples.push((performance.now() - start) * 1000);
  }
  samples.sort((a, b) => a - b);
  return { meanUs: samples.reduce((s, x) => s + x, 0) / samples.length, p95Us: samples[Math.floor(samples.length * 0.95)]! };
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
  console.log("\nplan + estimate (pure core), 5,000 iterations each");
  for (const nodes of [8, 128, 1024]) {
    const s = spec(nodes);
    const { meanUs, p95Us } = timeIt(5000, () => estimateCost(planCluster(s)));
    console.log(`  ${String(nodes).padStart(5)} nodes: mean ${meanUs.toFixed(1)} µs, p95 ${p95Us.toFixed(1)} µs  (monthly $${estimateCost(s).monthlyUsd.toLocaleString("en-US")})`);
  }

  console.log("\ncompare (every cloud and region), 200 iterations");
  const c = timeIt(200, () => compare({ gpu: { model: "H100", count: 64 } }));
  console.log(`  mean ${(c.meanUs / 1000).toFixed(2)} ms, p95 ${(c.p95Us / 1000).toFixed(2)} ms`);

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
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
