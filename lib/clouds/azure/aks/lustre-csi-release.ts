/**
 * The Azure Lustre CSI driver release the AKS compiler installs (./lustre-csi.ts builds it), as plain values: the
 * option checks and the plan note read them without loading @pulumi/kubernetes (test/package.test.ts). Source:
 * kubernetes-sigs/azurelustre-csi-driver at tag v0.4.0 (commit 9011a5fc, 2026-04-01), README.md's compatibility table
 * and deploy/csi-azurelustre-node-{jammy,noble}.yaml.
 */
import type { Plan } from "../../../planner/types.js";
import { AMLFS_MOUNT_OPTIONS } from "../storage-rules.js";

/** The driver's release and name (the CSIDriver object, and every PersistentVolume's `csi.driver`). */
export const AZURE_LUSTRE_CSI = {
  version: "v0.4.0",
  commit: "9011a5fc83654e814d014b029598082ed0165dc2",
  driver: "azurelustre.csi.azure.com",
} as const;

/**
 * Every image the driver's node pods run, at the tag's manifests. Microsoft publishes them by tag: neither the v0.4.0
 * manifests nor any file in the code index gives a digest for these mcr.microsoft.com builds (searched 2026-12-01; the
 * registry.k8s.io digests of the same sidecar versions name other builds), so they are listed with that reason in
 * {@link AZURE_LUSTRE_CSI_UNDIGESTED}.
 */
export const AZURE_LUSTRE_CSI_IMAGES = {
  livenessProbe: "mcr.microsoft.com/oss/kubernetes-csi/livenessprobe:v2.15.0",
  nodeDriverRegistrar: "mcr.microsoft.com/oss/kubernetes-csi/csi-node-driver-registrar:v2.13.0",
  pluginJammy: "mcr.microsoft.com/oss/v2/kubernetes-csi/azurelustre-csi:v0.4.0-jammy",
  pluginNoble: "mcr.microsoft.com/oss/v2/kubernetes-csi/azurelustre-csi:v0.4.0-noble",
} as const;

/** Why each driver image is pinned by tag, not digest (for UNDIGESTED_IMAGES in lib/clouds/kubernetes/options.ts). */
export const AZURE_LUSTRE_CSI_UNDIGESTED: Readonly<Record<string, string>> = Object.fromEntries(
  Object.values(AZURE_LUSTRE_CSI_IMAGES).map((ref) => [
    ref,
    "AKS Managed Lustre: the Azure Lustre CSI driver's v0.4.0 node manifests (kubernetes-sigs/azurelustre-csi-driver deploy/csi-azurelustre-node-{jammy,noble}.yaml @9011a5fc) name it by tag only, and no file in the code index pins this mcr.microsoft.com build by digest (searched 2026-12-01)",
  ]),
);

/**
 * One node DaemonSet per Ubuntu release, as the tag ships them: the plugin image built on that release installs the
 * client built for it (the entrypoint refuses a host of another release). `osSkus`: AKS's `os-sku-effective` values the
 * DaemonSet runs on; `lustre`: LUSTRE_VERSION and CLIENT_SHA_SUFFIX, the client package's version.
 */
export const AZURE_LUSTRE_NODE_FLAVORS = [
  // Ubuntu2004 stays in the tag's selector for Confidential VM pools still on 20.04.
  { flavor: "jammy", osSkus: ["Ubuntu2204", "Ubuntu2004"], image: AZURE_LUSTRE_CSI_IMAGES.pluginJammy, lustre: { version: "2.15.7", shaSuffix: "33-g79ddf99" } },
  { flavor: "noble", osSkus: ["Ubuntu2404"], image: AZURE_LUSTRE_CSI_IMAGES.pluginNoble, lustre: { version: "2.16.1", shaSuffix: "14-gbc76088" } },
] as const;

/**
 * What the plan says about Managed Lustre on AKS: how the nodes get the client (the driver installs it at start, from
 * packages.microsoft.com, for the node's kernel), what that needs, and where a failure shows.
 */
export function aksLustreNotes(plan: Plan): string[] {
  return plan.storage
    .filter((s) => s.kind === "lustre")
    .map(
      (s) =>
        `storage '${s.name}': Azure Managed Lustre in the pods at ${s.mountPath} through the Azure Lustre CSI driver ${AZURE_LUSTRE_CSI.version} (static volume, mount options ${AMLFS_MOUNT_OPTIONS.join(",")}). ` +
        `At start, each GPU node's csi-azurelustre-node pod (kube-system) installs the AMLFS Lustre client built for the node's kernel (${AZURE_LUSTRE_NODE_FLAVORS.map((f) => `${f.lustre.version} on ${f.osSkus[0]}`).join(", ")}) ` +
        "from packages.microsoft.com through the NAT gateway, loads it into the node's kernel and mounts over TCP on the node's Ethernet (not InfiniBand). " +
        "Ubuntu node images only (the GPU pool's osSKU is Ubuntu). If Microsoft has not published the client for a new node image's kernel yet, the pod stays not Ready and `up` fails on the DaemonSet: " +
        "`kubectl logs -n kube-system -l app=csi-azurelustre-node -c azurelustre` names the package. " +
        `The file system and the GPU pool are in zone ${plan.zone ?? "(none: the checks require one)"}; AKS cannot change an existing pool's zones (https://learn.microsoft.com/azure/aks/reliability-availability-zones-configure, read 2026-12-01), ` +
        "so adding Lustre to a running cluster whose GPU pool has no zone needs that pool recreated when its jobs can stop: `pulumi destroy --target '<the pool's URN>' --target-dependents`, then `pulumi up`",
    );
}
