/**
 * Subscription features the compiled resources need, checked before the nodes are created.
 *
 * Why a precondition and not a resource: registering a feature is a one-time, subscription-wide, asynchronous act
 * (Pending → Registering → Registered, minutes; then `az provider register` propagates it). azure-native's
 * `features.SubscriptionFeatureRegistration` (API 2021-07-01) cannot create a registration at all: a feature
 * registration always "exists" (its GET answers 200 with its state), so the provider refuses to create it as an
 * "already existing resource", registered or not (github.com/pulumi/pulumi-azure-native/issues/1722, open; read
 * 2026-11-30). Even where a PUT goes through (Terraform's azapi), it returns before the state is Registered, and the
 * cluster that depends on it fails on the first run. And a stack should not own, or on `destroy` unregister, a setting
 * every other workload of the subscription shares. So the component reads each feature's state (the
 * `getSubscriptionFeatureRegistration` data source) and stops `preview` and `up` with the one-time `az` commands when a
 * feature is not Registered, before the scale set, cluster or node pool is sent to Azure (feature-gate.ts). This
 * module is the pure part: which features, the commands, the verdict.
 */
import type { Plan } from "../../planner/types.js";

export interface SubscriptionFeature {
  namespace: string;
  name: string;
  /** What needs it, for the message. */
  neededBy: string;
  source: string;
}

/** Encryption at host (the scale set's `securityProfile.encryptionAtHost`, AKS pools' `enableEncryptionAtHost`). */
export const ENCRYPTION_AT_HOST: SubscriptionFeature = {
  namespace: "Microsoft.Compute",
  name: "EncryptionAtHost",
  neededBy: "encryption at host on every node",
  source: "https://learn.microsoft.com/azure/virtual-machines/linux/disks-enable-host-based-encryption-cli",
};

/** AKS InfiniBand: an InfiniBand pool's VMs land on one InfiniBand network. */
export const AKS_INFINIBAND: SubscriptionFeature = {
  namespace: "Microsoft.ContainerService",
  name: "AKSInfinibandSupport",
  neededBy: "an AKS GPU pool whose VMs share one InfiniBand network",
  source: "https://azure.github.io/aks-rdma-infiniband/getting-started/prerequisites",
};

/** The features a plan's resources need: encryption at host always; AKS InfiniBand for an AKS pool with InfiniBand. */
export function requiredFeatures(plan: Plan): SubscriptionFeature[] {
  const out = [ENCRYPTION_AT_HOST];
  if (plan.orchestrator === "kubernetes" && plan.fabric.kind === "infiniband") out.push(AKS_INFINIBAND);
  return out;
}

/** The one-time commands that register features (and propagate them to their resource providers). */
export function registerCommands(list: SubscriptionFeature[]): string {
  const register = list.map((f) => `az feature register --namespace ${f.namespace} --name ${f.name}`);
  const show = list.map((f) => `az feature show --namespace ${f.namespace} --name ${f.name} --query properties.state`);
  const providers = [...new Set(list.map((f) => f.namespace))].map((ns) => `az provider register --namespace ${ns}`);
  return [...register, `wait until ${show.map((c) => `\`${c}\``).join(" and ")} ${show.length > 1 ? "say" : "says"} Registered`, ...providers].join("; ");
}

/** The features' states as read, or the reason they could not be read. */
export type FeatureState = { feature: SubscriptionFeature; state?: string; error?: string };

/** The precondition's verdict: undefined when every feature is Registered, else the message that stops the deploy. */
export function featureProblem(states: FeatureState[]): string | undefined {
  const missing = states.filter((s) => s.state !== "Registered");
  if (missing.length === 0) return undefined;
  const what = missing
    .map((s) => `${s.feature.namespace}/${s.feature.name} (${s.feature.neededBy}) is ${s.error ? `unreadable: ${s.error}` : `'${s.state ?? "unknown"}'`}`)
    .join("; ");
  return (
    `gpu-cluster: this subscription is not ready: ${what}. Register once per subscription (it can take several minutes): ` +
    `${registerCommands(missing.map((s) => s.feature))}. Then run again. ` +
    `Sources: ${[...new Set(missing.map((s) => s.feature.source))].join(", ")}. ` +
    "If your deploy identity cannot read subscription features and they are registered, set azure.checkSubscriptionFeatures: false."
  );
}

/** The plan note: what the deploy checks, and the commands that satisfy it. */
export function featureNote(plan: Plan, enabled: boolean): string {
  const list = requiredFeatures(plan);
  const names = list.map((f) => `${f.namespace}/${f.name}`).join(" and ");
  return enabled
    ? `Azure subscription features: \`preview\`/\`up\` stop before the nodes are created unless ${names} ${list.length > 1 ? "are" : "is"} Registered; register once per subscription: ${registerCommands(list)} (sources: ${list.map((f) => f.source).join(", ")}).`
    : `Azure subscription features: the check is off (azure.checkSubscriptionFeatures: false); ${names} must be Registered, or creating the nodes fails: ${registerCommands(list)}.`;
}
