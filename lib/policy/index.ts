/** The policy pack's policies (no side effects; policy/index.ts builds the pack). */
export * from "./policies.js";
