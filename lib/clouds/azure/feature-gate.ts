/** The subscription feature check as Pulumi sees it: the read, and the dependency the nodes wait on (see features.ts). */
import * as pulumi from "@pulumi/pulumi";
import * as features from "@pulumi/azure-native/features";
import type { Plan } from "../../planner/types.js";
import type { CompileContext } from "../types.js";
import { featureProblem, requiredFeatures, type FeatureState } from "./features.js";

/** What waits for the check: resources list it as their dependencies through {@link FeatureGate.after}. */
export interface FeatureGate {
  /** The given dependencies, once every feature is Registered (the deploy fails with the commands otherwise). */
  after(deps: pulumi.Input<pulumi.Resource>[]): pulumi.Input<pulumi.Input<pulumi.Resource>[]>;
}

/** A gate that opens when every feature read is Registered, and fails the deploy with {@link featureProblem} otherwise. */
export function gateOn(states: Promise<FeatureState[]>): FeatureGate {
  const ready = pulumi.output(states).apply((s) => {
    const problem = featureProblem(s);
    if (problem !== undefined) throw new Error(problem);
    return true;
  });
  return { after: (deps) => ready.apply(() => deps) };
}

const gates = new WeakMap<pulumi.Resource, FeatureGate>();

/**
 * The component's feature check (one read per feature, however many resources wait on it). `enabled: false`
 * (`azure.checkSubscriptionFeatures: false`) passes dependencies through unchanged.
 */
export function featureGate(plan: Plan, enabled: boolean, ctx: CompileContext): FeatureGate {
  if (!enabled) return { after: (deps) => deps };
  const cached = gates.get(ctx.parent);
  if (cached) return cached;
  const states = Promise.all(
    requiredFeatures(plan).map((feature) =>
      features
        .getSubscriptionFeatureRegistration({ providerNamespace: feature.namespace, featureName: feature.name }, { parent: ctx.parent })
        .then((r): FeatureState => ({ feature, ...(r.properties?.state !== undefined ? { state: r.properties.state } : {}) }))
        // A feature never registered may answer 404, and an identity without subscription read 403: say so plainly.
        .catch((e: unknown): FeatureState => ({ feature, error: e instanceof Error ? e.message.split("\n")[0]! : String(e) })),
    ),
  );
  const gate = gateOn(states);
  gates.set(ctx.parent, gate);
  return gate;
}

