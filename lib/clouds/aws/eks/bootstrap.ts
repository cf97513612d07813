/**
 * In-cluster bootstrap, in dependency order, through one Kubernetes provider: the NVIDIA GPU Operator (device
 * plugin, GPU feature discovery, DCGM; driver and container toolkit off, the AL2023 NVIDIA AMI has both), then the
 * EFA device plugin (`vpc.amazonaws.com/efa`), then Kueue when asked. Each release waits for the nodes and the one
 * before it; the workload waits for the last.
 */
import * as pulumi from "@pulumi/pulumi";
import { Release } from "@pulumi/kubernetes/helm/v3";
import { Provider } from "@pulumi/kubernetes/provider";
import type { Plan } from "../../../planner/types.js";
import { clusterProvider as sharedClusterProvider, GPU_OPERATOR_CHART, helmRelease, KUEUE_CHART, type ChartSpec } from "../../kubernetes/bootstrap.js";
import { kueueChartValues } from "../../kubernetes/kueue.js";
import { installsClusterAddons } from "../../kubernetes/options.js";
import type { CompileContext } from "../../types.js";
import { GPU_TAINT } from "./node-group.js";
import { CLUSTER_AUTOSCALER_SERVICE_ACCOUNT } from "./addons.js";
import { clusterAutoscalerTag } from "./autoscaler-version.js";
import type { EksOptions } from "./options.js";

/** Charts, repositories and versions (pinned where the vendor documents the release). */
export const CHARTS = {
  gpuOperator: GPU_OPERATOR_CHART,
  /**
   * github.com/aws/eks-charts stable/aws-efa-k8s-device-plugin, chart v0.5.30 (app v0.5.20; Chart.yaml at commit
   * bfe91c4b, 2026-07-21, read 2026-11-30). The chart runs its daemonset only on the instance types of its
   * `supportedInstanceLabels` list, so a type missing there leaves EFA pods Pending: test/eks-efa-plugin.test.ts checks
   * every EFA type of the catalog against that list (test/fixtures/aws-efa-k8s-device-plugin-v0.5.30.json).
   */
  efaDevicePlugin: { chart: "aws-efa-k8s-device-plugin", repo: "https://aws.github.io/eks-charts", version: "v0.5.30", namespace: "kube-system" },
  kueue: KUEUE_CHART,
  /**
   * github.com/kubernetes/autoscaler cluster-autoscaler/charts/cluster-autoscaler, chart 9.59.0 (app 1.35.0; read at
   * commit 55c37cd5, 2026-08-22). It grows an inference fleet's GPU node group when its pods are pending. Its image tag is
   * set to the release for the cluster's Kubernetes minor (autoscaler-version.ts), not the chart's appVersion.
   */
  clusterAutoscaler: { chart: "cluster-autoscaler", repo: "https://kubernetes.github.io/autoscaler", version: "9.59.0", namespace: "kube-system" },
} as const;

/** Tolerates the GPU nodes' taint, for daemonsets that must run on them. */
const GPU_TOLERATION = { key: GPU_TAINT.key, operator: "Exists", effect: GPU_TAINT.effect };

export interface EksBootstrap {
  provider: Provider;
  /** Installed in order; the workload waits for all (none with `installClusterAddons: false` and no Kueue). */
  releases: Release[];
}

/** The provider for in-cluster objects: the user's, or one from the cluster's kubeconfig (kept as a secret). */
/** The user's provider, or one from the cluster's kubeconfig. */
export function clusterProvider(options: EksOptions, config: pulumi.Output<string>, ctx: CompileContext): Provider {
  return sharedClusterProvider(options.provider, config, ctx);
}

function release(name: string, spec: ChartSpec, values: Record<string, unknown>, ctx: CompileContext, provider: Provider, after: pulumi.Resource[]): Release {
  return helmRelease(name, spec, values, ctx, provider, after, 1800);
}

/**
 * The Cluster Autoscaler for a fleet: it finds the cluster's managed node groups by the tags EKS puts on their Auto
 * Scaling groups, and runs on the system nodes with its Pod Identity role (`autoscaler.identity`).
 */
export interface AutoscalerInputs {
  clusterName: pulumi.Input<string>;
  /** The cluster's Kubernetes minor version, e.g. "1.35" (its state: the version it runs). */
  kubernetesVersion: pulumi.Input<string>;
  /** The Pod Identity association and agent its pod needs for AWS credentials. */
  identity: pulumi.Resource[];
}

export function eksBootstrap(plan: Plan, options: EksOptions, provider: Provider, nodeGroups: pulumi.Resource[], ctx: CompileContext, autoscaler?: AutoscalerInputs): EksBootstrap {
  const releases: Release[] = [];
  const after = () => [...nodeGroups, ...releases.slice(-1)];
  if (autoscaler) {
    releases.push(
      helmRelease(
        "cluster-autoscaler",
        CHARTS.clusterAutoscaler,
        {
          cloudProvider: "aws",
          // The autoscaler release meant for the cluster's minor, not the chart's appVersion (autoscaler-version.ts).
          image: { tag: clusterAutoscalerImageTag(autoscaler.kubernetesVersion) },
          awsRegion: plan.region,
          autoDiscovery: { clusterName: autoscaler.clusterName },
          rbac: { serviceAccount: { create: true, name: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT } },
          // On the system nodes, never on a GPU node it might scale away.
          nodeSelector: { "gpu-cluster/role": "system" },
        },
        ctx,
        provider,
        [...nodeGroups, ...autoscaler.identity],
        600,
      ),
    );
  }
  if (installsClusterAddons(options)) {
    // The AMI brings the driver, so no driver DaemonSet, and so no GDRCopy: the operator's `gdrcopy.enabled` is a
    // gdrdrv sidecar of that DaemonSet (NVIDIA/gpu-operator controllers/object_controls.go @a22dbf671), and the AL2023
    // NVIDIA AMI builds no gdrdrv (awslabs/amazon-eks-ami @81fec2e8). libfabric then copies with CUDA instead.
    releases.push(
      release(
        "gpu-operator",
        CHARTS.gpuOperator,
        { driver: { enabled: false }, toolkit: { enabled: false }, daemonsets: { tolerations: [GPU_TOLERATION] } },
        ctx,
        provider,
        after(),
      ),
    );
    if (plan.fabric.kind === "efa") releases.push(release("efa-device-plugin", CHARTS.efaDevicePlugin, { tolerations: [GPU_TOLERATION] }, ctx, provider, after()));
  }
  if (options.kueue === true) releases.push(release("kueue", CHARTS.kueue, kueueChartValues(), ctx, provider, after()));
  return { provider, releases };
}

/** The autoscaler's tag for a cluster's actual version (its state, which keeps the version the cluster was created with). */
function clusterAutoscalerImageTag(version: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.output(version).apply(clusterAutoscalerTag);
}
