/**
 * In-cluster bootstrap, in dependency order, through one Kubernetes provider: the GPU networks' GKE objects, then
 * (GPUDirect-TCPX / TCPXO) Google's NRI device injector and the NCCL plugin installer, or (GPUDirect-RDMA) the gIB NCCL
 * plugin installer, then Kueue when asked. Each waits for the node pools and the one before it; the workload waits
 * for all. GKE itself installs the NVIDIA driver (the node pool's driver installation config) and device plugin.
 *
 * The DaemonSets are Google's manifests from github.com/GoogleCloudPlatform/container-engine-accelerators as the
 * GKE docs apply them (https://cloud.google.com/kubernetes-engine/docs/how-to/gpu-bandwidth-gpudirect-tcpx,
 * https://cloud.google.com/ai-hypercomputer/docs/create/gke-ai-hypercompute-custom), image references unchanged:
 * nri_device_injector/nri-device-injector.yaml, gpudirect-tcpxo/nccl-tcpxo-installer.yaml,
 * gpudirect-tcpx/nccl-tcpx-installer.yaml, gpudirect-rdma/nccl-rdma-installer.yaml (read 2026-11-25).
 */
import * as pulumi from "@pulumi/pulumi";
import { DaemonSet } from "@pulumi/kubernetes/apps/v1";
import { Release } from "@pulumi/kubernetes/helm/v3";
import { Provider } from "@pulumi/kubernetes/provider";
import type * as k8s from "@pulumi/kubernetes/types/input";
import type { Plan } from "../../../planner/types.js";
import { clusterProvider as sharedClusterProvider, helmRelease, KUEUE_CHART } from "../../kubernetes/bootstrap.js";
import { kueueChartValues } from "../../kubernetes/kueue.js";
import { installsClusterAddons } from "../../kubernetes/options.js";
import type { CompileContext } from "../../types.js";
import type { GkeOptions } from "./options.js";
import { gkeFabricAddons, GOOGLE_IMAGES } from "./cluster-addons.js";

export { GOOGLE_IMAGES } from "./cluster-addons.js";
export { KUEUE_CHART } from "../../kubernetes/bootstrap.js";

export interface GkeBootstrap {
  provider: Provider;
  /** Everything the workload waits for, in creation order. */
  ready: pulumi.Resource[];
  daemonSets: DaemonSet[];
  kueue?: Release;
}

export function gkeProvider(options: GkeOptions, kubeconfig: pulumi.Output<string>, ctx: CompileContext): Provider {
  return sharedClusterProvider(options.provider, kubeconfig, ctx);
}

/** Node affinity of Google's DaemonSets: the GKE accelerator label of the GPU nodes. */
function acceleratorAffinity(accelerators: string[]): k8s.core.v1.Affinity {
  return {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: "cloud.google.com/gke-accelerator", operator: "In", values: accelerators }] }],
      },
    },
  };
}

interface DaemonSetShape {
  name: string;
  accelerators: string[];
  volumes: k8s.core.v1.Volume[];
  initContainers: k8s.core.v1.Container[];
  containers: k8s.core.v1.Container[];
}

function daemonSetSpec(shape: DaemonSetShape): k8s.apps.v1.DaemonSet {
  const labels = { "k8s-app": shape.name };
  return {
    metadata: { name: shape.name, namespace: "kube-system", labels },
    spec: {
      selector: { matchLabels: labels },
      updateStrategy: { type: "RollingUpdate" },
      template: {
        metadata: { labels: { name: shape.name, ...labels } },
        spec: {
          priorityClassName: "system-node-critical",
          affinity: acceleratorAffinity(shape.accelerators),
          tolerations: [{ operator: "Exists" }],
          hostNetwork: true,
          hostPID: true,
          volumes: shape.volumes,
          ...(shape.initContainers.length ? { initContainers: shape.initContainers } : {}),
          containers: shape.containers,
        },
      },
    },
  };
}

const PRIVILEGED = { privileged: true };
const SMALL = { requests: { cpu: "150m" } };

/** nri_device_injector/nri-device-injector.yaml: injects devices into containers by pod annotation (TCPX / TCPXO). */
export function nriDeviceInjector(): k8s.apps.v1.DaemonSet {
  const ds = daemonSetSpec({
    name: "device-injector",
    accelerators: ["nvidia-h100-80gb", "nvidia-h100-mega-80gb"],
    volumes: [
      { name: "root", hostPath: { path: "/" } },
      { name: "nri", hostPath: { path: "/var/run/nri" } },
      { name: "dev", hostPath: { path: "/dev" } },
    ],
    initContainers: [],
    containers: [
      {
        image: GOOGLE_IMAGES.nriDeviceInjector,
        name: "device-injector",
        resources: SMALL,
        securityContext: PRIVILEGED,
        volumeMounts: [
          { name: "dev", mountPath: "/dev" },
          { name: "nri", mountPath: "/var/run/nri" },
        ],
      },
    ],
  });
  return ds;
}

/** gpudirect-tcpxo/nccl-tcpxo-installer.yaml (A3 Mega). */
export function ncclTcpxoInstaller(): k8s.apps.v1.DaemonSet {
  return daemonSetSpec({
    name: "nccl-tcpxo-installer",
    accelerators: ["nvidia-h100-mega-80gb"],
    volumes: [
      { name: "var-lib", hostPath: { path: "/var/lib" } },
      { name: "tcpxo", hostPath: { path: "/var/lib/tcpxo" } },
      { name: "library-dir-host", hostPath: { path: "/home/kubernetes/bin" } },
    ],
    initContainers: [
      {
        image: GOOGLE_IMAGES.ubuntu,
        name: "pre-installation",
        securityContext: PRIVILEGED,
        command: [
          "nsenter",
          "-at",
          "1",
          "--",
          "sh",
          "-c",
          [
            "/sbin/iptables -I INPUT -p tcp -m tcp -j ACCEPT && modprobe import-helper",
            "sudo mkdir -p /dev/aperture_devices",
            "while IFS= read -r line; do",
            "  BDF=$( echo \"$line\" | awk '{print $1}' );",
            '  target_aperture_path="/dev/aperture_devices/$BDF"',
            '  host_aperture_device=$(readlink -f "/sys/bus/pci/devices/$BDF");',
            "  sudo mkdir -p $target_aperture_path;",
            "  sudo umount -R $target_aperture_path;",
            "  sudo mount --bind $host_aperture_device $target_aperture_path;",
            "done < <(lspci -nn -D | grep '1ae0:0084')",
            "if [ -d /dev/aperture_devices ]; then",
            "    chmod -R a+r /dev/aperture_devices/",
            "    chmod a+rw /dev/aperture_devices/*/resource*",
            "fi",
            "",
          ].join("\n"),
        ],
      },
      ncclPluginInstaller("nccl-tcpxo-installer", GOOGLE_IMAGES.ncclTcpxoInstaller, "/var/lib/tcpxo/lib64", ["chmod 755 /scripts/container_entry.sh"]),
    ],
    containers: [{ image: GOOGLE_IMAGES.pause, name: "pause" }],
  });
}

/** net.core.optmem_max on A3 High GKE nodes, bytes (gpudirect-tcpx/optmem-max-ds.yaml @4e7f0be0). */
export const TCPX_OPTMEM_MAX = 131072;

/**
 * The socket option memory the TCPX plugin's zero-copy sockets need, as Google's own DaemonSet for A3 High nodes sets it
 * (container-engine-accelerators gpudirect-tcpx/optmem-max-ds.yaml @4e7f0be0, 2024-03-13, read 2026-12-01): 131072 in
 * the host's net.core.optmem_max, here through the host's namespaces and never lowered. A DaemonSet of its own, as
 * Google ships it, not a step of the installer: a change to the installer's pod template re-runs its copy into the
 * driver directory under running training pods, which have its NCCL libraries loaded.
 */
export function tcpxOptmemMax(): k8s.apps.v1.DaemonSet {
  return daemonSetSpec({
    name: "tcpx-optmem-max",
    accelerators: ["nvidia-h100-80gb"],
    volumes: [],
    initContainers: [
      {
        image: GOOGLE_IMAGES.ubuntu,
        name: "optmem-max",
        securityContext: PRIVILEGED,
        command: ["nsenter", "-at", "1", "--", "sh", "-c", `[ "$(cat /proc/sys/net/core/optmem_max)" -ge ${TCPX_OPTMEM_MAX} ] || echo ${TCPX_OPTMEM_MAX} > /proc/sys/net/core/optmem_max`],
      },
    ],
    containers: [{ image: GOOGLE_IMAGES.pause, name: "pause" }],
  });
}

/**
 * gpudirect-tcpx/nccl-tcpx-installer.yaml (A3 High), as of 22f1e653: the v3 installer copies NCCL and the plugin into
 * the driver directory the pods mount (/home/kubernetes/bin/nvidia/lib64, seen as /usr/local/nvidia/lib64), so no
 * host bind mount of /var/lib/tcpx is needed any more.
 */
export function ncclTcpxInstaller(): k8s.apps.v1.DaemonSet {
  return daemonSetSpec({
    name: "nccl-tcpx-installer",
    accelerators: ["nvidia-h100-80gb"],
    volumes: [
      { name: "var-lib", hostPath: { path: "/var/lib" } },
      { name: "tcpx", hostPath: { path: "/var/lib/tcpx" } },
      { name: "library-dir-host", hostPath: { path: "/home/kubernetes/bin" } },
    ],
    initContainers: [
      ncclPluginInstaller("nccl-tcpx-installer", GOOGLE_IMAGES.ncclTcpxInstaller, "/var/lib/tcpx/lib64"),
    ],
    containers: [{ image: GOOGLE_IMAGES.pause, name: "pause" }],
  });
}

/** gpudirect-rdma/nccl-rdma-installer.yaml @2da1c92f (A3 Ultra / A4): the gIB NCCL plugin and its NCCL build. */
export function ncclRdmaInstaller(): k8s.apps.v1.DaemonSet {
  return daemonSetSpec({
    name: "nccl-rdma-installer",
    accelerators: ["nvidia-h200-141gb", "nvidia-b200"],
    volumes: [
      { name: "library-dir-host", hostPath: { path: "/home/kubernetes/bin/nvidia/lib64", type: "DirectoryOrCreate" } },
      { name: "gib", hostPath: { path: "/home/kubernetes/bin/gib" } },
    ],
    initContainers: [
      {
        image: GOOGLE_IMAGES.ncclGibInstaller,
        name: "nccl-rdma-installer",
        resources: SMALL,
        securityContext: PRIVILEGED,
        volumeMounts: [
          { name: "library-dir-host", mountPath: "/usr/local/home/kubernetes/bin/nvidia/lib64" },
          { name: "gib", mountPath: "/usr/local/home/kubernetes/bin/gib" },
        ],
        command: ["/bin/sh", "-c"],
        args: [
          [
            "set -ex",
            "/scripts/container_entry.sh install",
            "cp -r /var/lib/gib/lib64/. /usr/local/home/kubernetes/bin/nvidia/lib64",
            "cp -r /var/lib/gib/. /usr/local/home/kubernetes/bin/gib",
            'echo "installation finishes"',
            "",
          ].join("\n"),
        ],
      },
    ],
    containers: [{ image: GOOGLE_IMAGES.pause, name: "pause" }],
  });
}

/** Each Google DaemonSet's manifest, by its name in kube-system (./cluster-addons.ts lists which a fabric needs). */
const GOOGLE_DAEMONSETS: Record<string, () => k8s.apps.v1.DaemonSet> = {
  "device-injector": nriDeviceInjector,
  "nccl-tcpxo-installer": ncclTcpxoInstaller,
  "nccl-tcpx-installer": ncclTcpxInstaller,
  "tcpx-optmem-max": tcpxOptmemMax,
  "nccl-rdma-installer": ncclRdmaInstaller,
};

/** The DaemonSets the plan's fabric needs, in order (none without a fabric or for inference). */
export function fabricDaemonSets(plan: Plan): { role: string; manifest: k8s.apps.v1.DaemonSet }[] {
  return gkeFabricAddons(plan).map(({ role, name }) => ({ role, manifest: GOOGLE_DAEMONSETS[name]!() }));
}

export function gkeBootstrap(plan: Plan, options: GkeOptions, provider: Provider, nodePools: pulumi.Resource[], networks: pulumi.Resource[], ctx: CompileContext): GkeBootstrap {
  const ready: pulumi.Resource[] = [...networks];
  const daemonSets: DaemonSet[] = [];
  let previous: pulumi.Resource[] = [...nodePools, ...networks];
  // With installClusterAddons false the cluster already runs Google's (cluster-wide, fixed-name) DaemonSets;
  // on an existing cluster the option is given whenever they matter (./cluster-addons.ts checkGkeClusterAddons).
  const addons = installsClusterAddons(options);
  for (const { role, manifest } of addons ? fabricDaemonSets(plan) : []) {
    // Google's installers finish in init containers; the provider would otherwise wait for every GPU node to boot.
    const ds = new DaemonSet(
      `${ctx.name}-${role}`,
      { ...manifest, metadata: { ...manifest.metadata, annotations: { "pulumi.com/skipAwait": "true" } } },
      { parent: ctx.parent, provider, dependsOn: previous },
    );
    daemonSets.push(ds);
    ready.push(ds);
    previous = [...nodePools, ds];
  }
  const out: GkeBootstrap = { provider, ready, daemonSets };
  // Kueue follows `kueue` alone, as on EKS and AKS (./cluster-addons.ts says why it is not an add-on here).
  if (options.kueue === true) {
    const kueue = helmRelease("kueue", KUEUE_CHART, kueueChartValues(), ctx, provider, previous);
    out.kueue = kueue;
    ready.push(kueue);
  }
  return out;
}

/**
 * The init container of Google's TCPX / TCPXO NCCL plugin installers: run the image's installer, then copy NCCL and
 * the plugin from `pluginDir` into the driver directory the GPU pods mount (/usr/local/nvidia/lib64 in the pod).
 * `before`: lines Google's manifest runs first (TCPXO makes its entry script executable).
 */
function ncclPluginInstaller(name: string, image: string, pluginDir: string, before: string[] = []): k8s.core.v1.Container {
  return {
    name,
    image,
    resources: SMALL,
    securityContext: PRIVILEGED,
    volumeMounts: [
      { name: "var-lib", mountPath: "/var/lib" },
      { name: "library-dir-host", mountPath: "/usr/local" },
    ],
    command: ["/bin/sh", "-c"],
    args: [["set -ex", ...before, "/scripts/container_entry.sh install --install-nccl", "mkdir -p /usr/local/nvidia/lib64", `cp -r ${pluginDir}/. /usr/local/nvidia/lib64`, 'echo "installation finishes"', ""].join("\n")],
  };
}
