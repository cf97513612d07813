/** Tags every AWS resource of a component carries. */
import type { AwsOptions } from "./options.js";

export function awsTags(name: string, options: AwsOptions): Record<string, string> {
  return { ...(options.tags ?? {}), "gpu-cluster:name": name, "managed-by": "gpu-cluster" };
}

/** The same tags in the Auto Scaling group's shape, propagated to the instances. */
export function asgTags(tags: Record<string, string>): { key: string; value: string; propagateAtLaunch: boolean }[] {
  return Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true }));
}
