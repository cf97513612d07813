/** Tags every Azure resource carries, and names Azure constrains more than Pulumi does. */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import type { AzureOptions } from "./options.js";

export function azureTags(name: string, options: AzureOptions): Record<string, string> {
  return { ...(options.tags ?? {}), "gpu-cluster:name": name, "managed-by": "gpu-cluster" };
}

/**
 * A globally unique, deterministic name made only of lower-case letters and digits
 * (storage accounts: 3–24 characters, no hyphens). The hash of project, stack and
 * resource name keeps two stacks of one program apart without a random provider.
 */
export function globalName(resourceName: string, maxLength = 24): string {
  const hash = createHash("sha256").update(`${pulumi.getProject()}/${pulumi.getStack()}/${resourceName}`).digest("hex").slice(0, 10);
  const stem = resourceName.toLowerCase().replace(/[^a-z0-9]/g, "").slice(0, maxLength - hash.length) || "gc";
  return `${stem}${hash}`;
}

/** The scale set's computer-name prefix: letters, digits and hyphens, starting with a letter. */
export function computerNamePrefix(name: string): string {
  const cleaned = name.toLowerCase().replace(/[^a-z0-9-]/g, "").replace(/^[^a-z]+/, "");
  return (cleaned || "node").slice(0, 15).replace(/-+$/, "") || "node";
}
