/**
 * User cost hooks: code that runs with every component's estimate, at preview
 * and at up (write a PR-comment file, post to a chat webhook, ...).
 *
 * Plain code called from the component constructors, not a Pulumi resource
 * hook or transform: those do not run under the mock engine, and component
 * args must stay free of callbacks so they fit Pulumi's schema.
 */
import type { CostEstimate } from "../cost/types.js";
import type { Plan } from "../planner/types.js";

/** What a hook receives, once per component. */
export interface CostEvent {
  /** The component's Pulumi type token, e.g. `gpu-cluster:index:TrainingCluster`. */
  type: string;
  /** The component's name. */
  name: string;
  plan: Plan;
  estimate: CostEstimate;
  /** True during `pulumi preview` (and the offline `gpu-cluster plan`). */
  dryRun: boolean;
}

/** A hook. It may return a promise; a rejection is logged, never left unhandled. */
export type CostHook = (event: CostEvent) => void | Promise<void>;

/**
 * The hooks live on a process-wide symbol, not in this module: when a program and the `gpu-cluster` CLI
 * load different copies of the library (a program's own node_modules, a global install), both copies
 * still share one registry, so the CLI always hears every component's cost.
 */
const HOOKS_KEY = Symbol.for("gpu-cluster.cost-hooks.v1");
const hooks: Set<CostHook> = ((globalThis as Record<symbol, Set<CostHook> | undefined>)[HOOKS_KEY] ??= new Set<CostHook>());

/** Run `hook` with every component's estimate from now on. Returns a function that unregisters it. */
export function registerCostHook(hook: CostHook): () => void {
  hooks.add(hook);
  return () => hooks.delete(hook);
}

/**
 * Call every hook with `event`. Synchronous errors propagate (a hook that
 * throws should stop the program, as a failing check would); asynchronous
 * failures are handed to `onAsyncError`.
 */
export function runCostHooks(event: CostEvent, onAsyncError: (err: unknown) => void): void {
  for (const hook of hooks) {
    const result = hook(event);
    if (result && typeof (result as Promise<void>).then === "function") {
      (result as Promise<void>).then(undefined, onAsyncError);
    }
  }
}
