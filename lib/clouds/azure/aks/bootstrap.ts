/**
 * In-cluster bootstrap, in dependency order, through one Kubernetes provider. With InfiniBand (training on ND):
 * the NVIDIA Network Operator (Node Feature Discovery, then its NicClusterPolicy: the DOCA OFED driver and the RDMA
 * shared device plugin exposing the HCAs as the pod fabric's resource, `rdma/ib`), then the NVIDIA GPU Operator
 * (driver with GPUDirect RDMA, device plugin, DCGM; its own NFD off, the Network Operator's runs). Without it, the
 * GPU Operator alone. Then Kueue when asked. Each step waits for the node pools and the one before it; the workload
 * waits for the last. Following Microsoft's guide, https://azure.github.io/aks-rdma-infiniband (configurations:
 * network-operator, nicclusterpolicy, gpu-operator; read 2026-11-25).
 */
import * as pulumi from "@pulumi/pulumi";
import { CustomResource } from "@pulumi/kubernetes/apiextensions";
import { Release } from "@pulumi/kubernetes/helm/v3";
import { Provider } from "@pulumi/kubernetes/provider";
import { fabricSides } from "../../../fabric/index.js";
import type { Plan } from "../../../planner/types.js";
import { clusterProvider as sharedClusterProvider, GPU_OPERATOR_CHART, helmRelease, KUEUE_CHART, type ChartSpec } from "../../kubernetes/bootstrap.js";
import { kueueChartValues } from "../../kubernetes/kueue.js";
import { installsClusterAddons } from "../../kubernetes/options.js";
import type { CompileContext } from "../../types.js";
import { GPU_TAINT, SPOT_TAINT } from "./node-pool.js";
import type { AksOptions } from "./options.js";
import { DRIVER_UPGRADE_WAIT } from "./driver-upgrades.js";

/**
 * Charts, repositories and versions. The two NVIDIA operators at the versions Microsoft's guide installs on AKS:
 * github.com/Azure/aks-rdma-infiniband tests/setup-infra/deploy-aks.sh (`NETWORK_OPERATOR_VERSION` v26.4.0,
 * `GPU_OPERATOR_VERSION` v26.3.3, both `nvidia/...` from https://helm.ngc.nvidia.com/nvidia) and
 * website/docs/configurations/01-network-operator.md / 02-gpu-drivers.md, at 700dabb4 (2026-07-16; read 2026-12-01).
 * The values below were checked against those charts' own values at tags v26.4.0 (Mellanox/network-operator
 * deployment/network-operator/values.yaml, and the node-feature-discovery subchart's values.schema.json, new in 26.x,
 * which the NFD worker values here validate against) and v26.3.3 (NVIDIA/gpu-operator deployments/gpu-operator/
 * values.yaml): every key set here still exists. The GPU Operator of EKS stays at the shared pin (GPU_OPERATOR_CHART).
 */
export const AKS_CHARTS = {
  networkOperator: { chart: "network-operator", repo: "https://helm.ngc.nvidia.com/nvidia", version: "v26.4.0", namespace: "network-operator" },
  gpuOperator: { ...GPU_OPERATOR_CHART, version: "v26.3.3" },
  kueue: KUEUE_CHART,
} as const;

/**
 * Images of the NicClusterPolicy (nvcr.io/nvidia/mellanox), at the versions Microsoft's guide pins
 * (configs/nicclusterpolicy/base/nic.yaml and rdma-shared-device-plugin/rdma.yaml in
 * github.com/Azure/aks-rdma-infiniband @3e4e0e0, 2026-01-14; unchanged at 700dabb4, 2026-07-16, where the guide runs
 * them under Network Operator v26.4.0, read 2026-12-01).
 * - The RDMA shared device plugin by digest: the operator takes a `version` of the form `sha256:<hex>` and renders
 *   `<repository>/<image>@<version>` (pkg/render/render.go imagePath at tag v25.10.0). The digest is the one NVIDIA's
 *   own v25.10.0 bundle resolved for `k8s-rdma-shared-dev-plugin:network-operator-v25.10.0` (hack/release.yaml; the
 *   resolver, hack/release.go resolveImageSha, reads the tag's descriptor): Mellanox/network-operator
 *   bundle/manifests/nvidia-network-operator.clusterserviceversion.yaml at cd378988 ("OCP bundle GA 25.10.0",
 *   2025-12-11; read 2026-11-30), relatedImages `rdma-shared-device-plugin` and the NicClusterPolicy example.
 * - The DOCA driver by version tag: the operator appends the node's OS and architecture to it, and the bundle has
 *   digests only for the RHCOS/RHEL builds (UNDIGESTED_IMAGES, kubernetes/options.ts).
 */
export const NIC_POLICY_IMAGES = {
  ofedDriver: { repository: "nvcr.io/nvidia/mellanox", image: "doca-driver", version: "doca3.2.0-25.10-1.2.8.0-2" },
  rdmaSharedDevicePlugin: {
    repository: "nvcr.io/nvidia/mellanox",
    image: "k8s-rdma-shared-dev-plugin",
    // network-operator-v25.10.0
    version: "sha256:78f01edc4cc6f5f1282b5e4bf0a0d0291ee97c1bdb372616daa5367e1070269e",
  },
} as const;

/** Mellanox/NVIDIA NICs' PCI vendor id; Node Feature Discovery labels nodes that have one. */
const MELLANOX_VENDOR = "15b3";

/**
 * The node label the Network Operator's DOCA driver and the GPU Operator's MOFED wait (driver.rdma) key on:
 * `feature.node.kubernetes.io/pci-15b3.present=true`.
 */
export const INFINIBAND_NODE_LABEL = `feature.node.kubernetes.io/pci-${MELLANOX_VENDOR}.present`;

/**
 * Which PCI functions earn {@link INFINIBAND_NODE_LABEL}: the InfiniBand virtual functions of ND-series VMs only.
 * The Network Operator chart's own rule (templates/nodefeaturerules.yaml, `nvidia-nics-rules`) labels every Mellanox
 * NIC of class 0200/0207, and every Azure VM with accelerated networking has a Mellanox Ethernet VF: every GPU pool of
 * the cluster would be labelled, and the GPU Operator's driver (rdma on) would wait there for a MOFED that the
 * NicClusterPolicy never installs. Microsoft's guide turns the chart's rule off (`nfd.deployNodeFeatureRules: false`,
 * configs/values/network-operator/values.yaml) and labels devices 101c/101e only
 * (tests/setup-infra/network-operator-nfd.yaml, github.com/Azure/aks-rdma-infiniband @700dabb4, 2026-07-16). We match
 * those device ids and, in addition, PCI class 0207 (InfiniBand controller), so an Ethernet VF that shares a device id
 * is never labelled.
 */
export const INFINIBAND_DEVICES = { vendor: MELLANOX_VENDOR, class: "0207", devices: ["101c", "101e"] } as const;

export interface AksBootstrap {
  provider: Provider;
  /** Every bootstrap object, in order (Helm releases and the NicClusterPolicy). */
  steps: pulumi.Resource[];
  releases: Release[];
  nicClusterPolicy?: CustomResource;
}

/** The provider for in-cluster objects: the user's, or one from the cluster's kubeconfig (kept as a secret). */
/** The user's provider, or one from the cluster's kubeconfig. */
export function clusterProvider(options: AksOptions, kubeconfig: pulumi.Output<string>, ctx: CompileContext): Provider {
  return sharedClusterProvider(options.provider, kubeconfig, ctx);
}

/** Tolerations of the GPU nodes' taints, for daemonsets that must run on them. */
export function gpuTolerations(plan: Plan): { key: string; operator: "Exists"; effect: string }[] {
  const t: { key: string; operator: "Exists"; effect: string }[] = [{ key: GPU_TAINT.key, operator: "Exists", effect: GPU_TAINT.effect }];
  if (plan.pricing === "spot") t.push({ key: SPOT_TAINT.key, operator: "Exists", effect: SPOT_TAINT.effect });
  return t;
}

/**
 * The RDMA shared device plugin's resource, from the pod side of the fabric (lib/fabric): `rdma/ib` → prefix `rdma`,
 * name `ib`. One shared resource per node gives a pod every HCA (`rdmaHcaMax`: pods per node that may share them).
 */
export function rdmaResource(plan: Plan): { prefix: string; name: string } | undefined {
  const key = Object.keys(fabricSides(plan, "kubernetes").pod?.resources ?? {}).find((k) => k.startsWith("rdma/"));
  if (!key) return undefined;
  const [prefix, name] = key.split("/") as [string, string];
  return { prefix, name };
}

function release(name: string, spec: ChartSpec, values: Record<string, unknown>, ctx: CompileContext, provider: Provider, after: pulumi.Resource[]): Release {
  // The GPU Operator compiles drivers on AKS nodes: give its DaemonSets longer.
  return helmRelease(name, spec, values, ctx, provider, after, 2400);
}

export function aksBootstrap(plan: Plan, options: AksOptions, provider: Provider, nodePools: pulumi.Resource[], ctx: CompileContext): AksBootstrap {
  const tolerations = gpuTolerations(plan);
  const steps: pulumi.Resource[] = [];
  const releases: Release[] = [];
  const after = () => [...nodePools, ...steps.slice(-1)];
  const rdma = rdmaResource(plan);
  let nicClusterPolicy: CustomResource | undefined;
  // With installClusterAddons false the cluster already runs the (one-per-cluster) operators and policy.
  const addons = installsClusterAddons(options);

  if (rdma && addons) {
    const networkOperator = release(
      "network-operator",
      AKS_CHARTS.networkOperator,
      {
        // NFD labels the nodes; its workers run on the GPU nodes, not the system pool. The chart's own rule labels every
        // Mellanox NIC (the accelerated-networking VF of any pool too): off, ours below labels InfiniBand VFs only.
        nfd: { enabled: true, deployNodeFeatureRules: false },
        "node-feature-discovery": {
          worker: {
            tolerations,
            affinity: {
              nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                  nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.azure.com/mode", operator: "NotIn", values: ["system"] }] }],
                },
              },
            },
          },
        },
      },
      ctx,
      provider,
      after(),
    );
    steps.push(networkOperator);
    releases.push(networkOperator);

    // One rule per cluster (cluster-scoped, fixed name), from the NFD CRDs the Network Operator chart installs.
    const infinibandRule = new CustomResource(
      `${ctx.name}-infiniband-node-rule`,
      {
        apiVersion: "nfd.k8s-sigs.io/v1alpha1",
        kind: "NodeFeatureRule",
        metadata: { name: "gpu-cluster-infiniband" },
        spec: {
          rules: [
            {
              name: "infiniband-vf",
              labels: { [INFINIBAND_NODE_LABEL]: "true" },
              matchFeatures: [
                {
                  feature: "pci.device",
                  matchExpressions: {
                    vendor: { op: "In", value: [INFINIBAND_DEVICES.vendor] },
                    class: { op: "In", value: [INFINIBAND_DEVICES.class] },
                    device: { op: "In", value: [...INFINIBAND_DEVICES.devices] },
                  },
                },
              ],
            },
          ],
        },
      },
      { parent: ctx.parent, provider, dependsOn: after() },
    );
    steps.push(infinibandRule);

    nicClusterPolicy = new CustomResource(
      `${ctx.name}-nic-cluster-policy`,
      {
        apiVersion: "mellanox.com/v1alpha1",
        kind: "NicClusterPolicy",
        // The operator reconciles exactly one policy, by this name.
        metadata: { name: "nic-cluster-policy" },
        spec: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              // The label marks InfiniBand VFs only (the rule above), so the DOCA driver lands on every InfiniBand pool of
              // the cluster — also those of other components sharing it (installClusterAddons: false), whose GPU Operator
              // driver waits for this MOFED — and never on Ethernet-only pools.
              nodeSelectorTerms: [{ matchExpressions: [{ key: INFINIBAND_NODE_LABEL, operator: "In", values: ["true"] }] }],
            },
          },
          tolerations,
          // As Microsoft's guide has it (configs/nicclusterpolicy/base/nic.yaml @700dabb4, read 2026-11-30): the blacklist
          // file keeps the inbox mlx5 modules from loading while the DOCA driver builds and loads its own (the race of
          // Mellanox/doca-driver-build#52), and the driver pod's probes give the build time before it counts as failed.
          ofedDriver: {
            ...NIC_POLICY_IMAGES.ofedDriver,
            env: [{ name: "OFED_BLACKLIST_MODULES_FILE", value: "/host/etc/modprobe.d/blacklist-ofed-modules.conf" }],
            forcePrecompiled: false,
            // Upgrades wait for running training Jobs on the node before the drain (DRIVER_UPGRADE_WAIT).
            upgradePolicy: { autoUpgrade: true, maxParallelUpgrades: 1, waitForCompletion: { ...DRIVER_UPGRADE_WAIT }, drain: { enable: true, force: true, deleteEmptyDir: true, timeoutSeconds: 300 } },
            startupProbe: { initialDelaySeconds: 10, periodSeconds: 20 },
            livenessProbe: { initialDelaySeconds: 30, periodSeconds: 30 },
            readinessProbe: { initialDelaySeconds: 10, periodSeconds: 30 },
          },
          rdmaSharedDevicePlugin: {
            ...NIC_POLICY_IMAGES.rdmaSharedDevicePlugin,
            config: JSON.stringify({
              periodicUpdateInterval: 300,
              configList: [
                {
                  resourcePrefix: rdma.prefix,
                  resourceName: rdma.name,
                  rdmaHcaMax: 63,
                  selectors: { vendors: [MELLANOX_VENDOR], linkTypes: ["infiniband"] },
                },
              ],
            }),
          },
        },
      },
      { parent: ctx.parent, provider, dependsOn: after() },
    );
    steps.push(nicClusterPolicy);
  }

  if (addons) {
    const gpuOperator = release(
      "gpu-operator",
      AKS_CHARTS.gpuOperator,
      {
        // AKS installs no driver on the pool (gpuProfile.driver None): the operator does, with GPUDirect RDMA on IB.
        // A driver upgrade (a new chart version) waits for the training Jobs running on each node (DRIVER_UPGRADE_WAIT);
        // the rest of the chart's upgradePolicy keeps its defaults (one node at a time, 25% unavailable at most).
        driver: {
          enabled: true,
          ...(rdma ? { rdma: { enabled: true, useHostMofed: false } } : {}),
          upgradePolicy: { autoUpgrade: true, maxParallelUpgrades: 1, waitForCompletion: { ...DRIVER_UPGRADE_WAIT } },
        },
        toolkit: { enabled: true },
        // The Network Operator already runs Node Feature Discovery.
        nfd: { enabled: !rdma },
        migManager: { enabled: false },
        vgpuDeviceManager: { enabled: false },
        vfioManager: { enabled: false },
        sandboxDevicePlugin: { enabled: false },
        daemonsets: { tolerations },
        // When the operator runs Node Feature Discovery itself, its workers must tolerate the GPU (and spot) taints too,
        // or the nodes are never labelled and the device plugin never lands.
        ...(rdma ? {} : { "node-feature-discovery": { worker: { tolerations } } }),
      },
      ctx,
      provider,
      after(),
    );
    steps.push(gpuOperator);
    releases.push(gpuOperator);
  }

  if (options.kueue === true) {
    const kueue = release("kueue", AKS_CHARTS.kueue, kueueChartValues(), ctx, provider, after());
    steps.push(kueue);
    releases.push(kueue);
  }
  const out: AksBootstrap = { provider, steps, releases };
  if (nicClusterPolicy) out.nicClusterPolicy = nicClusterPolicy;
  return out;
}
