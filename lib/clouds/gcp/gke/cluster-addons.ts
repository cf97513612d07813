/**
 * The cluster-wide add-ons a GKE build installs: Google's GPUDirect DaemonSets (one per cluster, in kube-system, under
 * the fixed names of Google's manifests). Data only (no cloud SDK), so the option check, the plan notes and the
 * bootstrap (./bootstrap.ts) read one table. Kueue is not one of them: `kueue: true` installs its chart as on EKS and
 * AKS, and as every earlier version did on GKE (a stack whose Kueue went with `installClusterAddons: false` would lose
 * Kueue's CRDs, and every queue and workload on the cluster with them).
 *
 * On an existing cluster they may run already (Google's GPUDirect guides apply the same manifests; another component
 * installed them), and @pulumi/kubernetes refuses to create an object that exists: "By default, Pulumi will error if a
 * resource already exists in the cluster" (node_modules/@pulumi/kubernetes 4.34.2 provider.d.ts, `upsertExistingObjects`,
 * default false; pulumi/pulumi-kubernetes PR #4278, merged 2026-04, "Use client-side create to prevent silent upsert of
 * existing objects"). So on an existing cluster the component installs them only when told to (checkGkeClusterAddons).
 */
import type { Plan } from "../../../planner/types.js";
import type { FabricKind } from "../../../catalog/types.js";
import { SpecError } from "../../../spec/errors.js";
import { UBUNTU_IMAGE } from "../../kubernetes/options.js";
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


/** One of Google's GPUDirect DaemonSets, as its manifest in GoogleCloudPlatform/container-engine-accelerators names it. */
export interface GkeFabricAddon {
  /** Its role in the bootstrap (the Pulumi name is `<component>-<role>`). */
  role: "device-injector" | "nccl-installer" | "optmem-max";
  /** `metadata.name` in kube-system: Google's, so a cluster set up by Google's guides runs the same object. */
  name: string;
  /** What the cluster must run when the component does not install it. */
  what: string;
}

const DEVICE_INJECTOR: GkeFabricAddon = { role: "device-injector", name: "device-injector", what: `NRI device injector (${GOOGLE_IMAGES.nriDeviceInjector}, nri_device_injector/nri-device-injector.yaml)` };

/** Google's DaemonSets per fabric, in install order (./bootstrap.ts builds each manifest). */
export const GKE_FABRIC_ADDONS: Partial<Record<FabricKind, readonly GkeFabricAddon[]>> = {
  "gpudirect-tcpxo": [DEVICE_INJECTOR, { role: "nccl-installer", name: "nccl-tcpxo-installer", what: "TCPXO NCCL plugin installer v1.0.15 (gpudirect-tcpxo/nccl-tcpxo-installer.yaml)" }],
  "gpudirect-tcpx": [
    DEVICE_INJECTOR,
    { role: "nccl-installer", name: "nccl-tcpx-installer", what: "TCPX NCCL plugin installer v3.1.9 (gpudirect-tcpx/nccl-tcpx-installer.yaml)" },
    { role: "optmem-max", name: "tcpx-optmem-max", what: "net.core.optmem_max of at least 131072 on the A3 High nodes (gpudirect-tcpx/optmem-max-ds.yaml)" },
  ],
  rdma: [{ role: "nccl-installer", name: "nccl-rdma-installer", what: `gIB NCCL plugin installer v${NCCL_GIB_VERSION} (gpudirect-rdma/nccl-rdma-installer.yaml)` }],
};

/** The DaemonSets this plan's fabric needs (a training cluster's; none for a fleet or without a GPUDirect fabric). */
export function gkeFabricAddons(plan: Plan): readonly GkeFabricAddon[] {
  return plan.workload === "training" ? (GKE_FABRIC_ADDONS[plan.fabric.kind] ?? []) : [];
}

/** What the build installs cluster-wide, as the notes and errors name it. */
export function gkeClusterAddonNames(plan: Plan): string[] {
  return gkeFabricAddons(plan).map((a) => `kube-system/${a.name}`);
}

/** What an existing cluster must run when the component leaves the add-ons to it. */
export function gkeClusterAddonsRequired(plan: Plan): string | undefined {
  const parts = gkeFabricAddons(plan).map((a) => `the DaemonSet kube-system/${a.name}: Google's ${a.what}`);
  return parts.length > 0 ? `${parts.join("; ")} (manifests from github.com/GoogleCloudPlatform/container-engine-accelerators)` : undefined;
}

/**
 * On an existing cluster, the cluster-wide add-ons are installed only when `installClusterAddons` says so: the
 * component cannot know whether the cluster runs them already, and neither default is safe. Installing them where
 * they run fails `up` (AlreadyExists, above); not installing them on a stack whose earlier `up` created them would
 * delete them from the cluster under every GPU pool that uses them. Throws SpecError.
 */
export function checkGkeClusterAddons(plan: Plan, gke: { clusterName?: string; installClusterAddons?: boolean }): void {
  if (gke.clusterName === undefined || gke.installClusterAddons !== undefined) return;
  const names = gkeClusterAddonNames(plan);
  if (names.length === 0) return;
  throw new SpecError(
    "gcp.gke.installClusterAddons",
    `existing cluster '${gke.clusterName}': this build needs ${names.join(", ")}, one per cluster under fixed names, and whether '${gke.clusterName}' runs them already is not known here`,
    `set false when '${gke.clusterName}' runs them (Google's GPUDirect setup applies them, or another component installed them); set true to install them with this component, which then owns them (a second component on the cluster sets false). ` +
      "A stack whose earlier `up` installed them keeps them with true (or `pulumi state delete` them before switching to false, which would otherwise delete them from the cluster)",
  );
}
