import { defineConfig } from "vitest/config";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";

/** The examples' pricing day (scripts/example-config.ts), which every test prices for. */
const { pricingDate } = JSON.parse(readFileSync(new URL("./scripts/example-pricing-date.json", import.meta.url), "utf8")) as { pricingDate: string };

export default defineConfig({
  resolve: {
    // Examples and tests import the package by its public name, as users do.
    alias: {
      "gpu-cluster/policy": fileURLToPath(new URL("./lib/policy/index.ts", import.meta.url)),
      "gpu-cluster": fileURLToPath(new URL("./lib/index.ts", import.meta.url)),
    },
  },
  test: {
    include: ["test/**/*.test.ts"],
    // The sources' compilers are loaded with `require` in the built package; vitest gets them registered instead.
    setupFiles: ["test/helpers/register-compilers.ts"],
    // One temporary directory per run, removed at the end (test/helpers/temp-root.ts).
    globalSetup: ["test/helpers/temp-root.ts"],
    // Pulumi's mock engine keeps global state per process: one file per worker, no sharing.
    pool: "forks",
    // Every core: vitest 4 leaves one free by default, which on a 2-core CI machine runs the files one at a time.
    maxWorkers: availableParallelism(),
    testTimeout: 60_000,
    // Every estimate is priced for one fixed day, the examples' READMEs' (scripts/example-config.ts), so the to-the-cent
    // bills do not change on the day a default EKS version leaves standard support. Child processes inherit it.
    env: { GPU_CLUSTER_PRICING_DATE: pricingDate },
  },
});
