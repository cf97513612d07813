/** The maintainers' tools that run under the mock engine (test/tools), e.g. the compiled-resources snapshot. Not `npm test`. */
import { defineConfig } from "vitest/config";
import base from "./vitest.config.mts";

// The base config with only the tools included (mergeConfig would append to its `include`, running the whole suite).
export default defineConfig({ ...base, test: { ...base.test, include: ["test/tools/**/*.tool.ts"] } });
