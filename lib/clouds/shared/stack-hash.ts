/**
 * A short hash of the Pulumi project, stack and a name: what keeps two stacks of one program from sharing a globally
 * unique cloud name (a GCP service account, an Azure storage account) without a random provider.
 *
 * The Pulumi SDK is required when a name is made, not imported: the names modules are also read by the option checks
 * and the bills of materials (lib/cost/bom), which run in the CLI, the policy pack and the component's constructor
 * before anything is compiled, and load no Pulumi package (test/option-check.test.ts).
 */
import { createHash } from "node:crypto";

/** `length` hex characters of sha256(project/stack/name). */
export function stackScopedHash(name: string, length: number): string {
  const pulumi = require("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
  return createHash("sha256").update(`${pulumi.getProject()}/${pulumi.getStack()}/${name}`).digest("hex").slice(0, length);
}
