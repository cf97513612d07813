/**
 * In-cluster bootstrap pieces every managed-Kubernetes compiler uses: the
 * provider built from the cluster's kubeconfig, Helm releases that wait for
 * the GPU nodes, and the Kueue chart.
 */
import * as pulumi from "@pulumi/pulumi";
import { Release } from "@pulumi/kubernetes/helm/v3";
import { Provider } from "@pulumi/kubernetes/provider";
import type { CompileContext } from "../types.js";

/** A Helm chart as its project documents it. */
export interface ChartSpec {
  chart: string;
  /** Classic Helm repository URL; absent for an OCI chart (`oci://...`). */
  repo?: string | undefined;
  /** Pinned version; absent only where the project publishes none. */
  version?: string | undefined;
  namespace: string;
}

/** https://docs.nvidia.com/datacenter/cloud-native/gpu-operator/latest/getting-started.html (v25.10.1, read 2026-11-25). */
export const GPU_OPERATOR_CHART: ChartSpec = { chart: "gpu-operator", repo: "https://helm.ngc.nvidia.com/nvidia", version: "v25.10.1", namespace: "gpu-operator" };

/** Kueue's chart, published as an OCI artifact (https://kueue.sigs.k8s.io/docs/installation/). */
export const KUEUE_CHART: ChartSpec = { chart: "oci://registry.k8s.io/kueue/charts/kueue", version: "0.14.3", namespace: "kueue-system" };

/** KEDA's chart (https://github.com/kedacore/charts/releases/tag/v2.21.1, read 2026-11-25; KEDA needs Kubernetes 1.30+). */
export const KEDA_CHART: ChartSpec = { chart: "keda", repo: "https://kedacore.github.io/charts", version: "2.21.1", namespace: "keda" };

/** The user's provider, or one built from the cluster's kubeconfig (kept as a Pulumi secret). */
export function clusterProvider(userProvider: Provider | undefined, kubeconfig: pulumi.Output<string>, ctx: CompileContext): Provider {
  return userProvider ?? new Provider(`${ctx.name}-k8s`, { kubeconfig: pulumi.secret(kubeconfig) }, { parent: ctx.parent });
}

/**
 * A Helm release after `after`. DaemonSets on GPU nodes become ready only once the nodes have booted (and, where
 * the operator builds drivers, compiled them): the release waits for that, bounded by `timeoutSeconds`.
 */
export function helmRelease(
  name: string,
  spec: ChartSpec,
  values: Record<string, unknown>,
  ctx: CompileContext,
  provider: pulumi.ProviderResource,
  after: pulumi.Input<pulumi.Resource>[],
  timeoutSeconds = 1800,
): Release {
  return new Release(
    `${ctx.name}-${name}`,
    {
      name,
      chart: spec.chart,
      ...(spec.repo ? { repositoryOpts: { repo: spec.repo } } : {}),
      ...(spec.version ? { version: spec.version } : {}),
      namespace: spec.namespace,
      createNamespace: true,
      values,
      timeout: timeoutSeconds,
    },
    { parent: ctx.parent, provider, dependsOn: after },
  );
}
