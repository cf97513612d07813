/** What several targets' bills of materials share. */
import type { Plan } from "../../planner/types.js";
import type { BomItem } from "./types.js";

/** One item per storage entry of the plan (block volumes ride on the nodes, but are billed per volume all the same). */
export function storageItems(plan: Plan): BomItem[] {
  return plan.storage.map((s) => ({ kind: "storage", name: s.name, storageKind: s.kind }));
}

/** The option bag as a record, whatever was passed (the option checks have already refused bad shapes). */
export function bag<T>(options: unknown): T {
  return (typeof options === "object" && options !== null ? options : {}) as T;
}
