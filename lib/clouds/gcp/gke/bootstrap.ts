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
import { installsClusterAddons, UBUNTU_IMAGE } from "../../kubernetes/options.js";
import type { CompileContext } from "../../types.js";
import type { GkeOptions } from "./options.js";
import { NCCL_GIB_VERSION } from "../fabric-boot.js";

/**
 * Every image of the privileged DaemonSets, pinned by digest or by an immutable version tag, as Google's manifests in
 * github.com/GoogleCloudPlatform/container-engine-accelerators reference them (read 2026-11-30 at @992db812; the git
 * commit and date of each file's last change):
 * - nri_device_injector/nri-device-injector.yaml @3491157a (2026-05-29): the injector, by digest;
 * - gpudirect-tcpxo/nccl-tcpxo-installer.yaml @685dca25 (2026-01-09): plugin installer v1.0.15, which the release
 *   notes (gpudirect-tcpxo/README.md, "Jan 9, 2026") and nccl-test-latest.yaml @abbe8ddf pair with the tcpgpudmarxd
 *   v1.0.21 sidecar (lib/fabric/gke.ts);
 * - gpudirect-tcpx/nccl-tcpx-installer.yaml @22f1e653 (2024-06-12, the current file): plugin installer v3.1.9, which
 *   nccl-test-latest.yaml @089e0224 pairs with tcpgpudmarxd v2.0.12; the pause image by digest;
 * - gpudirect-rdma/nccl-rdma-installer.yaml @2da1c92f (2026-05-06): gIB installer v1.1.1, whose entry script now
 *   installs without `--install-nccl` (the pods use the gIB build of NCCL the installer copies into lib64).
 * Google's TCPXO installer runs its pre-installation in an untagged `ubuntu`; it only needs `nsenter` (the commands
 * run in the host's namespaces), so we pin `ubuntu:22.04`, the tag github.com/GoogleCloudPlatform/cluster-toolkit
 * uses for its GKE GPU jobs (examples/gke-a3-ultragpu/gke-a3-ultragpu.yaml @0f9034dc9, 2026-06-08). A privileged
 * container on every GPU node must not change under us when a tag moves. Digests added where a source writes one for
 * exactly that tag (read 2026-11-30):
 * - `ubuntu:22.04`: the multi-platform OCI image index digest Docker's official-images record gives for the tag
 *   (docker-library/repo-info repos/ubuntu/remote/22.04.md @01470af9: the jammy-20260731.1 build of 2026-07-31, 12
 *   platform entries; its linux/amd64 manifest is sha256:0199853f…, not the one pinned);
 * - TCPXO installer v1.0.15: the digest NVIDIA's GKE TCPXO recipe pins for that tag, as its generated image inventory
 *   lists it (NVIDIA/aicr docs/user/container-images.md, component gke-nccl-tcpxo; three stored versions of the page
 *   agree, the newest listing GPU Operator v26.7.1); index or single-platform manifest is not said, and the repository
 *   is linux/amd64 only.
 * The ones without a digest are those no public source shows one for; UNDIGESTED_IMAGES (kubernetes/options.ts) lists
 * them with why.
 */
export const GOOGLE_IMAGES = {
  nriDeviceInjector: "gcr.io/gke-release/nri-device-injector@sha256:6e79483d52abdc28454bf186320b10a56b0f117a10e8d65d5c74dbb821a76970",
  ncclTcpxoInstaller: "us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpxo/nccl-plugin-gpudirecttcpx-dev:v1.0.15@sha256:4c9f0de3f39455a2ea35e844e0fc92564ca5629f6b03250fde40e8160719dae4",
  ncclTcpxInstaller: "us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpx/nccl-plugin-gpudirecttcpx-dev:v3.1.9",
  // Google's GKE installer release (NCCL_GIB_VERSION; VMs install the apt package Google's VM blueprints pin).
  ncclGibInstaller: `us-docker.pkg.dev/gce-ai-infra/gpudirect-gib/nccl-plugin-gib:v${NCCL_GIB_VERSION}`,
  pause: "gke.gcr.io/pause:3.8@sha256:880e63f94b145e46f1b1082bb71b85e21f16b99b180b9996407d61240ceb9830",
  ubuntu: UBUNTU_IMAGE,
} as const;

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

/** The DaemonSets the plan's fabric needs, in order (none without a fabric or for inference). */
export function fabricDaemonSets(plan: Plan): { role: string; manifest: k8s.apps.v1.DaemonSet }[] {
  if (plan.workload !== "training") return [];
  switch (plan.fabric.kind) {
    case "gpudirect-tcpxo":
      return [
        { role: "device-injector", manifest: nriDeviceInjector() },
        { role: "nccl-installer", manifest: ncclTcpxoInstaller() },
      ];
    case "gpudirect-tcpx":
      return [
        { role: "device-injector", manifest: nriDeviceInjector() },
        { role: "nccl-installer", manifest: ncclTcpxInstaller() },
        { role: "optmem-max", manifest: tcpxOptmemMax() },
      ];
    case "rdma":
      return [{ role: "nccl-installer", manifest: ncclRdmaInstaller() }];
    default:
      return [];
  }
}

export function gkeBootstrap(plan: Plan, options: GkeOptions, provider: Provider, nodePools: pulumi.Resource[], networks: pulumi.Resource[], ctx: CompileContext): GkeBootstrap {
  const ready: pulumi.Resource[] = [...networks];
  const daemonSets: DaemonSet[] = [];
  let previous: pulumi.Resource[] = [...nodePools, ...networks];
  // With installClusterAddons false the cluster already runs Google's (cluster-wide, fixed-name) DaemonSets.
  for (const { role, manifest } of installsClusterAddons(options) ? fabricDaemonSets(plan) : []) {
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
