/**
 * Everything an AKS workload stands on, in order: resource group, NSG, VNet (never overlapping 172.16.0.0/16) with its
 * NAT gateway, the control-plane identity, the cluster (new or existing), the GPU node pool, the Kubernetes provider
 * and the bootstrap, the namespace, and the shared file systems mounted in the pods: NetApp Files volumes (`nfs`) and
 * Azure Managed Lustre (`lustre`, through the Azure Lustre CSI driver the bootstrap installs: lustre-csi.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import type * as containerservice from "@pulumi/azure-native/containerservice";
import type * as network from "@pulumi/azure-native/network";
import type { Namespace } from "@pulumi/kubernetes/core/v1";
import { guardedClaimsIn, workloadNamespace } from "../../kubernetes/namespace.js";
import { ndTopologyConfigMap } from "./nccl-topology.js";
import { workloadNames, type WorkloadNames } from "../../kubernetes/names.js";
import type { WorkloadStorage } from "../../kubernetes/target.js";
import type { Plan } from "../../../planner/types.js";
import { netappClaims } from "./netapp-claims.js";
import type { CompileContext, StorageHandle } from "../../types.js";
import { featureGate } from "../feature-gate.js";
import { nodeIdentity } from "../identity.js";
import { azureTags } from "../names.js";
import { azureNetwork, azurePlace, type AzureNetwork, type AzurePlace } from "../network.js";
import type { AzureOptions } from "../options.js";
import { clusterAddressPrefixes, nodeSecurityGroup, trainingRules, type SecurityRule } from "../security.js";
import { azureStorage, type AzureStorage } from "../storage.js";
import { aksLustreDriver } from "./lustre-csi.js";
import { lustreClaims } from "./lustre-claims.js";
import { aksBootstrap, clusterProvider, type AksBootstrap } from "./bootstrap.js";
import { aksControlPlane, aksKubeconfig, type AksControlPlane } from "./cluster.js";
import { gpuNodePool } from "./node-pool.js";
import { reservationAccess } from "./reservation-access.js";
import { aksLocalNvmeDaemonSet } from "./local-nvme.js";
import { AKS_NETWORK } from "./options.js";
import { aksManagedPrometheus, amaMetricsScrapeConfig, type AksPrometheus } from "./metrics.js";
import { recordClusterPrometheus } from "../../kubernetes/cluster-prometheus.js";
import { appGateway, type AppGateway } from "../app-gateway.js";
import { servesInternet } from "../app-gateway-options.js";
import { billsManagedPrometheus } from "../../shared/bill.js";

export interface AksInfrastructure {
  names: WorkloadNames;
  /** The component's network (absent for an existing cluster). */
  network?: AzureNetwork;
  securityGroup?: network.NetworkSecurityGroup;
  plane: AksControlPlane;
  nodePool: containerservice.AgentPool;
  bootstrap: AksBootstrap;
  namespace: Namespace;
  storage: WorkloadStorage;
  /** Azure Monitor managed Prometheus (a new cluster with internet egress, unless `azure.aks.managedPrometheus` is false). */
  prometheus?: AksPrometheus;
  /**
   * An internet-facing fleet: the Application Gateway in front of the fleet's internal load balancer, and the fixed
   * address that balancer takes (its Service's `azure-load-balancer-ipv4` annotation, target.ts).
   */
  gateway?: { front: AppGateway; backendIp: string };
}

/**
 * The node subnet's NSG: the VM compiler's training rules (everything among VNet members — kubelet, overlay pod
 * traffic, the private API endpoint, the fleet's internal load balancer — and that balancer's health probes on the
 * Services' health-check node ports — nothing from the internet). AKS fleets are internal only (`checkAksExposure`),
 * so no rule admits the model port from outside the VNet.
 */
export function aksSecurityRules(options: { vnetAddressSpace?: string | undefined } = {}): SecurityRule[] {
  // The VNet and the overlay pod CIDR: pod-to-pod traffic between nodes keeps the pods' addresses.
  return trainingRules(clusterAddressPrefixes(options, [AKS_NETWORK.podCidr]));
}

export function aksInfrastructure(plan: Plan, options: AzureOptions, ctx: CompileContext): AksInfrastructure {
  const aks = options.aks ?? {};
  const tags = azureTags(ctx.name, options);
  const names = workloadNames(ctx, aks.namespace ? { namespace: aks.namespace } : {});
  const existing = aks.clusterName !== undefined;
  const gate = featureGate(plan, options.checkSubscriptionFeatures !== false, ctx);

  let net: AzureNetwork | undefined;
  let securityGroup: network.NetworkSecurityGroup | undefined;
  let plane: AksControlPlane;
  // NetApp volumes and Managed Lustre on the component's VNet (the checks allow storage only with a new cluster).
  let shares: StorageHandle[] = [];
  let lustreMgsAddresses: AzureStorage["lustreMgsAddresses"] = {};
  let prometheus: AksPrometheus | undefined;
  const serves = plan.workload === "inference";
  let gateway: AksInfrastructure["gateway"];
  // What the GPU pool waits for besides the cluster (new cluster only).
  const poolPrerequisites: pulumi.Resource[] = [];
  // An internet-facing fleet's HTTPS front (../app-gateway.ts): in the subnet the component carves, or on an existing
  // cluster in the user's (both required by the checks), forwarding to the Service's fixed internal address.
  const front = (place: AzurePlace, subnetId: pulumi.Input<string>, backendIp: string): void => {
    const args = { place, tags, subnetId, backendIp, backendPort: plan.service!.port, healthPath: plan.service!.healthCheckPath };
    gateway = { front: appGateway(ctx, { ...args, certificateSecretId: options.tlsCertificateSecretId!, keyVaultId: options.tlsKeyVaultId! }), backendIp };
  };
  if (existing) {
    plane = aksControlPlane(aks, ctx, undefined);
    if (servesInternet(plan)) front(azurePlace(plan, options, ctx, tags), options.appGatewaySubnetId!, aks.internalLoadBalancerIp!);
  } else {
    const place = azurePlace(plan, options, ctx, tags);
    securityGroup = nodeSecurityGroup(aksSecurityRules(options), ctx, place, tags);
    net = azureNetwork(plan, options, ctx, place, securityGroup.id, tags);
    const identity = nodeIdentity(ctx, place, tags);
    // KEDA's identity (and the cluster's workload identity for it) only for a fleet scaling on this Prometheus.
    const kedaQueries = serves && aks.keda === undefined;
    // Managed Prometheus as billed: the bill prices its samples (lib/cost/bom/managed-prometheus.ts).
    const metrics = billsManagedPrometheus(ctx.bill, "azure") ? { workloadIdentity: kedaQueries } : undefined;
    plane = aksControlPlane(aks, ctx, { place, network: net, identity, tags, gate, ...(metrics ? { metrics } : {}) });
    // A pool in a capacity reservation group: AKS needs the cluster's identity to hold Contributor on the group's
    // resource group (./reservation-access.ts), before the pool exists.
    if (plan.reservationId !== undefined) poolPrerequisites.push(reservationAccess(plan.reservationId, identity, ctx));
    const cluster = plane.cluster!;
    if (metrics) {
      prometheus = aksManagedPrometheus(
        { place, clusterId: cluster.id, oidcIssuerUrl: cluster.oidcIssuerProfile.apply((p) => p?.issuerURL ?? ""), namespace: names.namespace, kedaQueries, tags },
        ctx,
      );
      if (prometheus.keda) recordClusterPrometheus(ctx, prometheus.keda);
    }
    if (plan.storage.length > 0) {
      // The VM compiler's builder: one way to build the file systems, their subnets, zones and guards on both paths.
      const built = azureStorage(plan, ctx, place, net, tags);
      shares = built.handles;
      lustreMgsAddresses = built.lustreMgsAddresses;
    }
    if (servesInternet(plan)) front(place, net.appGatewaySubnetId!, net.loadBalancerIp!);
  }

  const nodePool = gpuNodePool(plan, ctx, {
    clusterName: plane.name,
    resourceGroupName: plane.resourceGroupName,
    ...(net ? { subnetId: net.nodeSubnetId } : aks.subnetId !== undefined ? { subnetId: aks.subnetId } : {}),
    poolLabel: names.nodePool,
    ...(options.osDiskGiB !== undefined ? { osDiskGiB: options.osDiskGiB } : {}),
    ...(options.spotMaxPriceUsdPerHour !== undefined ? { spotMaxPriceUsdPerHour: options.spotMaxPriceUsdPerHour } : {}),
    tags,
    dependsOn: [...(plane.cluster ? [plane.cluster] : []), ...poolPrerequisites],
    gate,
  });

  const provider = clusterProvider(aks, aksKubeconfig(plane, ctx), ctx);
  // The releases wait for the GPU pool and (new cluster) the cluster with its system pool and the deployer's role.
  const bootstrap = aksBootstrap(plan, aks, provider, [nodePool, ...(plane.cluster ? [plane.cluster] : []), ...plane.ready], ctx);
  const opts = { parent: ctx.parent, provider };
  // A guarded claim lives in the namespace: the namespace outlives a delete too (deleting it would delete the claim).
  // NetApp (nfs) and Managed Lustre volumes are claims in the namespace (./netapp-claims.ts, ./lustre-claims.ts).
  const namespace = workloadNamespace(names, ctx, { ...opts, dependsOn: plane.ready }, guardedClaimsIn(plan, ["nfs", "lustre"]));
  // ND sizes: the local NVMe array on every GPU node; the pods mount a directory on it, so they wait for it too.
  const localNvme = aksLocalNvmeDaemonSet(plan, names, ctx, { ...opts, dependsOn: [nodePool, ...plane.ready] });
  if (localNvme) bootstrap.steps.push(localNvme);
  // The pods mount the ND topology file, so they wait for its ConfigMap like for the device plugins.
  const topology = ndTopologyConfigMap(plan, names, namespace, ctx, opts);
  if (topology) bootstrap.steps.push(topology);
  // NetApp volumes as claims whose PersistentVolumes carry the VMs' mount options (netapp-claims.ts).
  const claimOpts = { ...opts, dependsOn: [namespace] };
  const nfs = netappClaims(plan, shares, namespace.metadata.name, names, ctx, claimOpts);
  // Managed Lustre: the CSI driver's node plugin on the GPU pool (the pods wait for it like for the device plugins),
  // and a static volume per file system (lustre-claims.ts).
  const lustre = { volumes: [] as typeof nfs.volumes, mounts: [] as typeof nfs.mounts };
  if (plan.storage.some((s) => s.kind === "lustre")) {
    const driver = aksLustreDriver(names, ctx, { ...opts, dependsOn: plane.ready }, [nodePool]);
    bootstrap.steps.push(...driver.daemonSets);
    Object.assign(lustre, lustreClaims(plan, shares, lustreMgsAddresses, namespace.metadata.name, names, ctx, claimOpts, [driver.csiDriver]));
  }
  const storage: WorkloadStorage = { handles: shares, volumes: [...nfs.volumes, ...lustre.volumes], mounts: [...nfs.mounts, ...lustre.mounts], envFrom: [] };
  // The add-on's scrape jobs: the DCGM exporter, and a fleet's servers in its namespace.
  if (prometheus) amaMetricsScrapeConfig(names.namespace, serves, ctx, provider, plane.ready);
  const infra: AksInfrastructure = { names, plane, nodePool, bootstrap, namespace, storage };
  if (net) infra.network = net;
  if (securityGroup) infra.securityGroup = securityGroup;
  if (prometheus) infra.prometheus = prometheus;
  if (gateway) infra.gateway = gateway;
  return infra;
}

/** The name of a subnet from its resource id (the internal load balancer annotation takes a name). */
export function subnetName(id: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.output(id).apply((s) => s.split("/").pop() ?? s);
}
