/**
 * The GKE control plane: a regional GKE Standard cluster with private nodes (no external addresses), a private
 * endpoint (public only when asked, and then only for the given CIDRs), Workload Identity, Shielded nodes, a release
 * channel, VPC-native addressing from the host subnet's secondary ranges, and multi-networking on Dataplane V2 (what
 * GPUDirect-TCPX/TCPXO/RDMA on GKE need: https://cloud.google.com/kubernetes-engine/docs/how-to/gpu-bandwidth-gpudirect-tcpx).
 * The default node pool is removed; a small system node pool runs the cluster's own pods. Or an existing cluster.
 */
import { GKE_MONITORING_CONFIG } from "../../kubernetes/metrics.js";
import { GKE_MAINTENANCE_POLICY } from "../../kubernetes/upgrades.js";
import * as pulumi from "@pulumi/pulumi";
import * as container from "@pulumi/gcp/container";
import * as kms from "@pulumi/gcp/kms";
import * as projects from "@pulumi/gcp/projects";
import * as random from "@pulumi/random";
import { systemNodePool } from "../../../catalog/index.js";
import type { Plan } from "../../../planner/types.js";
import type { CompileContext } from "../../types.js";
import type { GcpNetwork } from "../network.js";
import { afterApis } from "../apis.js";
import { billedItem, billedOne, billsManagedPrometheus } from "../../shared/bill.js";
import { GKE_DEFAULTS, GKE_MAX_PODS_PER_NODE, type GkeOptions } from "./options.js";
import { gkeLustreAddons } from "./lustre-addon.js";
import { gkeResourceName } from "../names.js";

/** Secondary range names of the host subnet. */
export const GKE_RANGES = { pods: "gke-pods", services: "gke-services" } as const;
/** Pods per node (see gke/options.ts, where the address-space check uses it too). */
export const MAX_PODS_PER_NODE = GKE_MAX_PODS_PER_NODE;
/** The control plane's private range (VPC peering clusters need one; unused by Private Service Connect ones). */
export const MASTER_CIDR = "172.16.0.0/28";
/** Zones GKE spreads a regional cluster's node pools over when none are given. */
export const GKE_DEFAULT_ZONES = 3;
/**
 * System node pool: kube-dns, metrics, Kueue's controller, on the catalog's machine type. Its size is the bill's
 * `system-nodes` item (one node per zone of the region: GKE spreads a regional cluster's pools over three zones by
 * default, and the catalog prices the three).
 */
export const SYSTEM_NODES = { machineType: systemNodePool("gcp").instanceType };

/** The Gateway API channel of a new cluster (container.Cluster `gatewayApiConfig.channel`). */
export const GKE_GATEWAY_API_CHANNEL = "CHANNEL_STANDARD";

/** Rotation of the secrets key: 90 days (new secrets are encrypted with the newest version; old ones stay readable). */
export const SECRETS_KEY_ROTATION = "7776000s";

/**
 * Application-layer secrets encryption (https://cloud.google.com/kubernetes-engine/docs/how-to/encrypting-secrets):
 * a Cloud KMS key ring and key in the cluster's region, GKE's service agent
 * (`service-<project-number>@container-engine-robot.iam.gserviceaccount.com`) allowed to encrypt and decrypt with the
 * key (roles/cloudkms.cryptoKeyEncrypterDecrypter), and the cluster's `databaseEncryption` naming it, so Kubernetes
 * Secrets (the workload's `<name>-env` among them) are envelope-encrypted in etcd with a key the project controls.
 * Cloud KMS never deletes a key ring, and a destroyed key's versions are only scheduled for destruction (the name stays
 * taken): both are `retainOnDelete`, so `pulumi destroy` leaves them (a key costs cents a month) and the cluster's
 * secrets stay decryptable until it is gone. The ring's name ends in a random suffix kept in the stack's state, so a
 * stack destroyed and created again (or a second stack with the same component name) gets a ring of its own instead
 * of failing with "already exists". GKE's service agent is created first (ServiceIdentity, after the container API
 * is on): on a fresh project it does not exist until then, and IAM refuses a grant to an unknown member.
 */
function secretsKey(plan: Plan, project: pulumi.Output<string>, ctx: CompileContext, labels: Record<string, string>): { key: kms.CryptoKey; grant: kms.CryptoKeyIAMMember } {
  // The key as billed: the bill's one `kms-key` item, for the one key of the one cluster (lib/cost/bom/gcp-gke.ts).
  billedOne(billedItem(ctx.bill, "kms-key", "the cluster's secrets key"), "Cloud KMS key (the GKE secrets key)");
  const opts = { parent: ctx.parent, retainOnDelete: true };
  const suffix = new random.RandomId(`${ctx.name}-gke-secrets-suffix`, { byteLength: 3 }, { parent: ctx.parent });
  const ring = new kms.KeyRing(
    `${ctx.name}-gke-secrets`,
    { name: pulumi.interpolate`${ctx.name}-gke-secrets-${suffix.hex}`, location: plan.region, project },
    afterApis(ctx, opts, "cloudkms"),
  );
  const key = new kms.CryptoKey(
    `${ctx.name}-gke-secrets-key`,
    { name: "gke-secrets", keyRing: ring.id, purpose: "ENCRYPT_DECRYPT", rotationPeriod: SECRETS_KEY_ROTATION, labels },
    opts,
  );
  const agent = new projects.ServiceIdentity(`${ctx.name}-gke-agent`, { project, service: "container.googleapis.com" }, afterApis(ctx, { parent: ctx.parent }, "container"));
  const grant = new kms.CryptoKeyIAMMember(
    `${ctx.name}-gke-secrets-grant`,
    { cryptoKeyId: key.id, role: "roles/cloudkms.cryptoKeyEncrypterDecrypter", member: agent.member },
    { parent: ctx.parent },
  );
  return { key, grant };
}

export interface GkeControlPlane {
  /** Cluster name (what node pools and kubeconfigs refer to). */
  name: pulumi.Output<string>;
  location: pulumi.Output<string>;
  endpoint: pulumi.Output<string>;
  certificateAuthority: pulumi.Output<string>;
  /** The VPC the cluster's nodes use for their primary NIC. */
  networkId: pulumi.Output<string>;
  cluster?: container.Cluster;
}

/** The new cluster (or the existing one's handles). `nodeServiceAccount`: the account of every node the cluster starts. */
export function gkeControlPlane(
  plan: Plan,
  options: GkeOptions,
  network: GcpNetwork | undefined,
  project: pulumi.Output<string>,
  ctx: CompileContext,
  labels: Record<string, string>,
  nodeServiceAccount: pulumi.Input<string>,
): GkeControlPlane {
  if (options.clusterName !== undefined) {
    const existing = container.getClusterOutput({ name: options.clusterName, location: options.clusterLocation ?? plan.region }, afterApis(ctx, { parent: ctx.parent }, "container"));
    return {
      name: pulumi.output(options.clusterName),
      location: pulumi.output(options.clusterLocation ?? plan.region),
      endpoint: existing.endpoint,
      certificateAuthority: existing.masterAuths.apply((auths) => auths[0]?.clusterCaCertificate ?? ""),
      networkId: existing.network,
    };
  }
  // The cluster as billed: the bill's `control-plane` item (lib/cost/bom/gcp-gke.ts, a cluster the component creates).
  billedItem(ctx.bill, "control-plane", "the GKE cluster");
  const host = network!;
  const publicEndpoint = options.publicEndpoint === true;
  const secrets = secretsKey(plan, project, ctx, labels);
  const cluster = new container.Cluster(
    gkeResourceName(ctx.name, "cluster"),
    {
      location: plan.region,
      // The description forces a new cluster when it changes: nothing that changes in normal use (node count, type).
      description: `gpu-cluster ${ctx.name}`,
      network: host.host.id,
      subnetwork: host.hostSubnet.id,
      networkingMode: "VPC_NATIVE",
      ipAllocationPolicy: { clusterSecondaryRangeName: GKE_RANGES.pods, servicesSecondaryRangeName: GKE_RANGES.services },
      defaultMaxPodsPerNode: MAX_PODS_PER_NODE,
      // Multi-networking (the GPU NICs as pod interfaces) runs on Dataplane V2 only.
      datapathProvider: "ADVANCED_DATAPATH",
      enableMultiNetworking: true,
      privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: !publicEndpoint, masterIpv4CidrBlock: MASTER_CIDR },
      masterAuthorizedNetworksConfig: {
        // Without this GKE also admits every Compute Engine public address, whoever's VM it is.
        gcpPublicCidrsAccessEnabled: false,
        cidrBlocks: publicEndpoint
          ? options.publicAccessCidrs!.map((cidr) => ({ cidrBlock: cidr, displayName: "gpu-cluster publicAccessCidrs" }))
          : [
              // Private endpoint: the component's network (nodes, a runner in the VPC) and privateAccessCidrs (a peered
              // VPC, a VPN); GKE admits only authorized networks (cloud.google.com/kubernetes-engine/docs/how-to/authorized-networks).
              { cidrBlock: host.addresses.network, displayName: "gpu-cluster network" },
              ...(options.privateAccessCidrs ?? []).map((cidr) => ({ cidrBlock: cidr, displayName: "gpu-cluster privateAccessCidrs" })),
            ],
      },
      workloadIdentityConfig: { workloadPool: pulumi.interpolate`${project}.svc.id.goog` },
      enableShieldedNodes: true,
      // Kubernetes Secrets envelope-encrypted in etcd with the component's own KMS key.
      databaseEncryption: { state: "ENCRYPTED", keyName: secrets.key.id },
      releaseChannel: { channel: options.releaseChannel ?? GKE_DEFAULTS.releaseChannel },
      // Node upgrades wait for the user (a drain mid-run ends a training job); control-plane patches in a weekend window.
      maintenancePolicy: GKE_MAINTENANCE_POLICY,
      // The Gateway API's standard channel: an internet-facing fleet is served by a GKE Gateway (gateway.ts), and GKE
      // Standard clusters get the Gateway API only when asked (`--gateway-api=standard`; on by default on Autopilot only:
      // https://cloud.google.com/kubernetes-engine/docs/how-to/deploying-gateways, "Enable the Gateway API", read 2026-11-30).
      // On every new cluster, so a fleet turned internet-facing later needs no cluster update, and the user's own Gateways
      // work. GKE turns it on in place (what `gcloud container clusters update --gateway-api` does): a cluster created by
      // an earlier version of the component is updated, not replaced.
      gatewayApiConfig: { channel: GKE_GATEWAY_API_CHANNEL },
      // Managed Lustre entries: GKE's Lustre CSI driver (./lustre.ts), an add-on that can be turned on "during cluster
      // creation or on an existing cluster" (https://cloud.google.com/kubernetes-engine/docs/concepts/managed-lustre,
      // read 2026-12-01); `addons_config` is Optional + Computed with no ForceNew in google_container_cluster's schema
      // (GoogleCloudPlatform/terraform-google-conversion's copy, read 2026-12-01), so adding Lustre later updates the
      // cluster in place. Set only with Lustre, so a plan without it leaves the cluster's inputs as they were.
      ...gkeLustreAddons(plan),
      // GPU metrics (DCGM) and the fleets' PodMonitorings into Managed Prometheus (kubernetes/metrics.ts), as billed
      // (lib/cost/bom/managed-prometheus.ts names its samples).
      ...(billsManagedPrometheus(ctx.bill, "gcp") ? { monitoringConfig: GKE_MONITORING_CONFIG } : {}),
      // The default pool goes; the system and GPU pools are separate resources.
      removeDefaultNodePool: true,
      initialNodeCount: 1,
      // GKE starts (then removes) a default pool; without a service account its node would run as the Compute Engine
      // default account, which many organizations disable or strip of roles (then the create fails). It runs as the
      // component's node account, like the pools (https://cloud.google.com/kubernetes-engine/security/configure-node-service-accounts).
      nodeConfig: { serviceAccount: nodeServiceAccount, oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"] },
      resourceLabels: labels,
      // GKE refuses to delete the cluster until this is lifted (gcp.gke.deletionProtection: false, then up).
      deletionProtection: options.deletionProtection ?? GKE_DEFAULTS.deletionProtection,
    },
    // The service agent must be able to use the key before GKE checks it at create.
    afterApis(ctx, { parent: ctx.parent, ignoreChanges: ["nodeConfig", "initialNodeCount"], dependsOn: [secrets.grant] }, "container"),
  );
  return {
    name: cluster.name,
    location: cluster.location,
    endpoint: cluster.endpoint,
    certificateAuthority: cluster.masterAuth.apply((auth) => auth.clusterCaCertificate ?? ""),
    networkId: host.host.id,
    cluster,
  };
}

/** A kubeconfig that authenticates through `gke-gcloud-auth-plugin` (no static credential in state). */
export function gkeKubeconfig(plane: GkeControlPlane): pulumi.Output<string> {
  return pulumi.all([plane.name, plane.endpoint, plane.certificateAuthority]).apply(([name, endpoint, ca]) =>
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name, cluster: { server: `https://${endpoint}`, "certificate-authority-data": ca } }],
      contexts: [{ name, context: { cluster: name, user: name } }],
      "current-context": name,
      users: [{ name, user: { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "gke-gcloud-auth-plugin", provideClusterInfo: true, installHint: "gcloud components install gke-gcloud-auth-plugin" } } }],
    }),
  );
}
