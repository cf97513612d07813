/**
 * The Azure Lustre CSI driver on AKS, node side: what mounts an Azure Managed Lustre file system into the training pods
 * (`storage: [{ kind: "lustre" }]`, a statically provisioned volume: ./lustre-claims.ts).
 *
 * Source: kubernetes-sigs/azurelustre-csi-driver at tag v0.4.0 (commit 9011a5fc, 2026-04-01; the newest release in the
 * repository as fetched 2026-12-01), the manifests its `deploy/install-driver.sh` applies: csi-azurelustre-driver.yaml
 * (the CSIDriver), rbac-csi-azurelustre-node.yaml, csi-azurelustre-node-jammy.yaml and csi-azurelustre-node-noble.yaml.
 * The driver has no Helm chart at that tag (charts/README.md: "currently unsupported"). Microsoft's AKS training
 * reference installs the same script, from the unpinned `main` branch (Azure/ai-infrastructure-on-azure
 * infrastructure_references/aks/scripts/deploy-aks.sh `install_amlfs`, @ab1f4b7b, 2026-04-22); here it is pinned to the
 * tag, and built as typed objects so `plan` shows every field and no manifest is fetched at `up`.
 *
 * How it installs the Lustre client (pkg/azurelustreplugin/entrypoint.sh at v0.4.0): each node's pod adds Microsoft's
 * package repository `packages.microsoft.com/repos/amlfs-<codename>` and installs `amlfs-lustre-client-<LUSTRE_VERSION>-
 * <CLIENT_SHA_SUFFIX>=<running kernel>` in its own (privileged) container, whose modules it loads into the node's kernel
 * (the node's disk is not changed; a restarted pod installs again), then brings LNet up over TCP (`ksocklnd`) on the node's Ethernet
 * interfaces (it skips InfiniBand ones: Azure Managed Lustre is reached over the VNet, not the ND fabric) and the
 * Lustre modules. So the node needs: an Ubuntu node image (the DaemonSets select AKS's `kubernetes.azure.com/os-sku-
 * effective` label; the GPU pool's `osSKU` is Ubuntu), internet egress to packages.microsoft.com (the NAT gateway, which
 * a Lustre plan requires anyway: checkLustrePlan), and a client package built for the node image's kernel (Microsoft's
 * support matrix: Ubuntu 22.04 5.15.0-*-azure with 2.15.6-2.15.8, Ubuntu 24.04 6.8.0-*-azure with 2.16/2.17,
 * https://learn.microsoft.com/azure/azure-managed-lustre/client-install-plan, read 2026-12-01). Without one the pod never
 * turns Ready and `up` fails on the DaemonSet, naming it: the plan note says what to look at (aksLustreNotes).
 * Two things the GPU pool already has right (node-pool.ts): no Secure Boot (it sets no security profile), so the
 * prebuilt, unsigned modules load; and on ND sizes the Network Operator's DOCA OFED driver, which replaces the in-box
 * RDMA modules, never meets Lustre's: the entrypoint loads the TCP LND only, not `ko2iblnd` (Azure's Lustre clients
 * have no InfiniBand line of sight to the file system: Azure/azhpc-images#567, opened 2026-06-26 and merged, builds its client
 * without o2ib for that reason). The main branch as fetched (26f64420, 2026-05-14) still runs these same images and
 * client versions.
 *
 * Left out, on purpose:
 * - The controller Deployment (csi-azurelustre-controller.yaml) and its RBAC: its only service is CreateVolume /
 *   DeleteVolume (controllerServiceCapabilities in pkg/azurelustre/azurelustre.go: CREATE_DELETE_VOLUME), i.e. dynamic
 *   provisioning, where the driver creates file systems itself. The volumes here are static (the component builds the
 *   file system, guarded), with `Retain`, so no call ever reaches it; leaving it out drops two privileged replicas and a
 *   ClusterRole that reads and creates Secrets and creates and deletes PersistentVolumes cluster-wide.
 * - The node plugin's API rights (rbac-csi-azurelustre-node.yaml: secrets get/list, nodes get/patch). No node code reads
 *   a Secret; the node rights serve only the removal of the optional startup taint `azurelustre.csi.azure.com/agent-not-
 *   ready` (removeNotReadyTaint in azurelustre.go), which this library does not set: the pods wait for the mount instead
 *   (the kubelet retries until the plugin registers), and `up` waits for the DaemonSets. So `--remove-not-ready-taint=
 *   false` and no service account token; without one the plugin logs a warning and runs (getKubeClient's error is only
 *   logged).
 * Changed: the plugin's `imagePullPolicy` is IfNotPresent (the tag's is Always), so a node keeps the build it pulled
 * rather than whatever was last pushed under the tag; and the node DaemonSets select this component's GPU pool.
 * Everything else is the tag's: images, probes, privileges, host paths, the per-distribution client versions.
 */
import type * as pulumi from "@pulumi/pulumi";
import { DaemonSet } from "@pulumi/kubernetes/apps/v1";
import { ServiceAccount } from "@pulumi/kubernetes/core/v1";
import { CSIDriver } from "@pulumi/kubernetes/storage/v1";
import type * as k8s from "@pulumi/kubernetes/types/input";
import { POOL_LABEL, type WorkloadNames } from "../../kubernetes/names.js";
import type { CompileContext } from "../../types.js";
import { AZURE_LUSTRE_CSI, AZURE_LUSTRE_CSI_IMAGES, AZURE_LUSTRE_NODE_FLAVORS } from "./lustre-csi-release.js";

export { AZURE_LUSTRE_CSI, AZURE_LUSTRE_CSI_IMAGES, AZURE_LUSTRE_CSI_UNDIGESTED, AZURE_LUSTRE_NODE_FLAVORS } from "./lustre-csi-release.js";

/** Where the kubelet finds the plugin's socket (DRIVER_REG_SOCK_PATH in the node manifests). */
const PLUGIN_DIR = `/var/lib/kubelet/plugins/${AZURE_LUSTRE_CSI.driver}`;

type Flavor = (typeof AZURE_LUSTRE_NODE_FLAVORS)[number];

const SIDECAR_RESOURCES = { limits: { cpu: "100m", memory: "100Mi" }, requests: { cpu: "10m", memory: "20Mi" } };

/** The node DaemonSet of one Ubuntu release, on this component's GPU pool. Exported so tests read what the cluster gets. */
export function lustreNodeManifest(flavor: Flavor, names: WorkloadNames, serviceAccountName: string): k8s.apps.v1.DaemonSet {
  const labels = { app: "csi-azurelustre-node", flavor: flavor.flavor };
  return {
    metadata: { name: `csi-azurelustre-node-${flavor.flavor}`, namespace: "kube-system", labels: { ...names.labels, ...labels } },
    spec: {
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } },
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          hostNetwork: true,
          dnsPolicy: "Default",
          serviceAccountName,
          automountServiceAccountToken: false,
          // The tag's selector is every Linux node of the release; here this component's GPU pool only (the pods that
          // mount Lustre run nowhere else), so no other pool gets the client or a privileged pod.
          nodeSelector: { "kubernetes.io/os": "linux", [POOL_LABEL]: names.nodePool },
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [
                  {
                    matchExpressions: [
                      { key: "type", operator: "NotIn", values: ["virtual-kubelet"] },
                      { key: "kubernetes.azure.com/os-sku-effective", operator: "In", values: [...flavor.osSkus] },
                    ],
                  },
                ],
              },
            },
          },
          priorityClassName: "system-node-critical",
          // As the tag: every taint (the GPU and spot taints among them).
          tolerations: [{ operator: "Exists" }],
          containers: [
            {
              name: "liveness-probe",
              image: AZURE_LUSTRE_CSI_IMAGES.livenessProbe,
              args: ["--csi-address=/csi/csi.sock", "--probe-timeout=120s", "--health-port=29763", "--v=2"],
              volumeMounts: [{ name: "socket-dir", mountPath: "/csi" }],
              resources: SIDECAR_RESOURCES,
            },
            {
              name: "node-driver-registrar",
              image: AZURE_LUSTRE_CSI_IMAGES.nodeDriverRegistrar,
              args: ["--csi-address=$(ADDRESS)", "--kubelet-registration-path=$(DRIVER_REG_SOCK_PATH)", "--v=2"],
              livenessProbe: {
                exec: { command: ["/csi-node-driver-registrar", "--kubelet-registration-path=$(DRIVER_REG_SOCK_PATH)", "--mode=kubelet-registration-probe"] },
                initialDelaySeconds: 30,
                timeoutSeconds: 15,
              },
              env: [
                { name: "ADDRESS", value: "/csi/csi.sock" },
                { name: "DRIVER_REG_SOCK_PATH", value: `${PLUGIN_DIR}/csi.sock` },
              ],
              volumeMounts: [
                { name: "socket-dir", mountPath: "/csi" },
                { name: "registration-dir", mountPath: "/registration" },
              ],
              resources: SIDECAR_RESOURCES,
            },
            {
              name: "azurelustre",
              image: flavor.image,
              imagePullPolicy: "IfNotPresent",
              // Unloads the client on the way out (the tag's preStop), so an upgraded pod installs its own version.
              lifecycle: { preStop: { exec: { command: ["/bin/sh", "-c", "lustre_rmmod"] } } },
              args: ["-v=5", "--endpoint=$(CSI_ENDPOINT)", "--nodeid=$(KUBE_NODE_NAME)", "--remove-not-ready-taint=false"],
              ports: [{ containerPort: 29763, name: "healthz", protocol: "TCP" }],
              livenessProbe: { failureThreshold: 5, httpGet: { path: "/healthz", port: "healthz" }, initialDelaySeconds: 60, timeoutSeconds: 10, periodSeconds: 30 },
              // Ready only once LNet is up and pings itself (the tag's /app/readinessProbe.sh); the startup probe gives
              // the client install 10 minutes (120 × 5 s).
              readinessProbe: { failureThreshold: 5, exec: { command: ["/app/readinessProbe.sh"] }, initialDelaySeconds: 10, timeoutSeconds: 10, periodSeconds: 30 },
              startupProbe: { failureThreshold: 120, exec: { command: ["/app/readinessProbe.sh"] }, initialDelaySeconds: 10, timeoutSeconds: 5, periodSeconds: 5 },
              env: [
                { name: "CSI_ENDPOINT", value: "unix:///csi/csi.sock" },
                { name: "AZURELUSTRE_CSI_INSTALL_LUSTRE_CLIENT", value: "yes" },
                { name: "LUSTRE_VERSION", value: flavor.lustre.version },
                { name: "CLIENT_SHA_SUFFIX", value: flavor.lustre.shaSuffix },
                { name: "KUBE_NODE_NAME", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "spec.nodeName" } } },
              ],
              // Installs kernel modules and mounts for the kubelet: privileged, with the kubelet's directory shared back.
              securityContext: { privileged: true },
              volumeMounts: [
                { name: "socket-dir", mountPath: "/csi" },
                { name: "mountpoint-dir", mountPath: "/var/lib/kubelet/", mountPropagation: "Bidirectional" },
                { name: "azure-cred", mountPath: "/etc/kubernetes/" },
                { name: "host-dev", mountPath: "/dev" },
                { name: "host-os-release", mountPath: "/etc/host-os-release" },
              ],
              resources: { limits: { cpu: "1", memory: "200Mi" }, requests: { cpu: "10m", memory: "20Mi" } },
            },
          ],
          volumes: [
            { name: "socket-dir", hostPath: { path: PLUGIN_DIR, type: "DirectoryOrCreate" } },
            { name: "registration-dir", hostPath: { path: "/var/lib/kubelet/plugins_registry/", type: "Directory" } },
            { name: "mountpoint-dir", hostPath: { path: "/var/lib/kubelet/", type: "Directory" } },
            // The node's azure.json: the plugin exits without a cloud config (azurelustre.go NewDriver).
            { name: "azure-cred", hostPath: { path: "/etc/kubernetes/", type: "DirectoryOrCreate" } },
            { name: "host-dev", hostPath: { path: "/dev", type: "Directory" } },
            { name: "host-os-release", hostPath: { path: "/etc/os-release", type: "File" } },
          ],
        },
      },
    },
  };
}

/** The CSIDriver object, as the tag's csi-azurelustre-driver.yaml: no attach step, pod info on mount, fsGroup by file. */
export const AZURE_LUSTRE_CSI_DRIVER_SPEC: k8s.storage.v1.CSIDriverSpec = { fsGroupPolicy: "File", attachRequired: false, podInfoOnMount: true };

export interface AksLustreDriver {
  csiDriver: CSIDriver;
  /** The node DaemonSets (one per Ubuntu release); `up` waits for them, and the workload after them. */
  daemonSets: DaemonSet[];
}

/**
 * The driver on a cluster this component creates (the checks refuse Lustre on an existing one). Cluster-wide objects
 * under the tag's fixed names: one component per cluster. `opts`: the cluster's provider and what every object waits
 * for (the cluster); `nodes`: what the node DaemonSets wait for too (the GPU pool). The CSIDriver, which the guarded
 * claims depend on, never depends on the pool: a pool removed with `--target-dependents` (README, the AKS OS disk
 * steps) would otherwise take the protected claims into its dependents and stop there.
 */
export function aksLustreDriver(names: WorkloadNames, ctx: CompileContext, opts: pulumi.CustomResourceOptions, nodes: pulumi.Resource[] = []): AksLustreDriver {
  const csiDriver = new CSIDriver(`${ctx.name}-lustre-csi-driver`, { metadata: { name: AZURE_LUSTRE_CSI.driver, labels: names.labels }, spec: AZURE_LUSTRE_CSI_DRIVER_SPEC }, opts);
  // The tag's service account name, with no token and no role (see the module's note).
  const account = new ServiceAccount(
    `${ctx.name}-lustre-csi-node-sa`,
    { metadata: { name: "csi-azurelustre-node-sa", namespace: "kube-system", labels: names.labels }, automountServiceAccountToken: false },
    opts,
  );
  const daemonSets = AZURE_LUSTRE_NODE_FLAVORS.map(
    (flavor) =>
      new DaemonSet(`${ctx.name}-lustre-csi-node-${flavor.flavor}`, lustreNodeManifest(flavor, names, "csi-azurelustre-node-sa"), {
        ...opts,
        dependsOn: [...dependencies(opts.dependsOn), ...nodes, csiDriver, account],
        // New GPU nodes boot, then each installs the client (up to the startup probe's 10 minutes).
        customTimeouts: { create: "30m", update: "30m" },
      }),
  );
  return { csiDriver, daemonSets };
}

function dependencies(d: pulumi.CustomResourceOptions["dependsOn"]): pulumi.Input<pulumi.Resource>[] {
  if (d === undefined) return [];
  return Array.isArray(d) ? d : [d as pulumi.Input<pulumi.Resource>];
}
