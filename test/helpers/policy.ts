/**
 * Call CrossGuard policies the way the engine does, with resources recorded
 * from real programs under the mock engine (no hand-made fake resources).
 */
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import type { RecordedResource } from "../../lib/preview/offline.js";

const OPTS = { protect: false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 } };

function notApplicable(reason?: string): never {
  throw new Error(`not applicable: ${reason ?? ""}`);
}

export async function violationsOf(policy: ResourceValidationPolicy, resource: RecordedResource, config: object = {}): Promise<string[]> {
  const violations: string[] = [];
  const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
  for (const validate of validations) {
    if (!validate) continue;
    await validate(
      {
        type: resource.type,
        props: resource.inputs,
        urn: resource.urn,
        name: resource.name,
        opts: OPTS as never,
        stackTags: new Map(),
        isType: () => false,
        asType: () => undefined,
        getConfig: <T extends object>() => config as T,
        notApplicable,
      },
      (message) => violations.push(message),
    );
  }
  return violations;
}

/** Stack policies see resources' outputs (for components: what they registered), as the engine gives them. */
export async function stackViolationsOf(policy: StackValidationPolicy, resources: RecordedResource[], config: object = {}): Promise<string[]> {
  const violations: string[] = [];
  const policyResources = resources.map(
    (r) =>
      ({
        type: r.type,
        props: r.outputs,
        urn: r.urn,
        name: r.name,
        opts: OPTS,
        dependencies: [],
        propertyDependencies: {},
        isType: () => false,
        asType: () => undefined,
      }) as unknown as PolicyResource,
  );
  await policy.validateStack({ resources: policyResources, stackTags: new Map(), getConfig: <T extends object>() => config as T, notApplicable }, (m) => violations.push(m));
  return violations;
}
