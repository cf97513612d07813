/**
 * Everything a GKE workload stands on, in order: the nodes' service account, the networks (host VPC with the GKE
 * secondary ranges, Cloud NAT, and the VM compiler's GPU VPCs per NIC with their MTU, or the RoCE VPC), the control
 * plane (new or existing), the GPU node pool (and a system node pool for a new cluster), the Kubernetes provider,
 * the GPU networks' GKE objects and the bootstrap DaemonSets / Kueue, the namespace and storage.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as container from "@pulumi/gcp/container";
import type { Namespace } from "@pulumi/kubernetes/core/v1";
import { guardedClaimsIn, workloadNamespace } from "../../kubernetes/namespace.js";
import { workloadNames, type WorkloadNames } from "../../kubernetes/names.js";
import type { WorkloadStorage } from "../../kubernetes/target.js";
import type { Plan } from "../../../planner/types.js";
import type { CompileContext } from "../../types.js";
import { apiDependencies, enableGcpApis } from "../apis.js";
import { nodeIdentity } from "../identity.js";
import { offeringZones, projectId } from "../lookups.js";
import { checkComponentName, checkGkeComponentName, gcpLabels } from "../names.js";
import { addressPlan, gcpFabricNetworks, gcpNetwork, type GcpNetwork, type NodeNic } from "../network.js";
import { pinnedZone, type GcpOptions } from "../options.js";
import { gkeBootstrap, gkeProvider, type GkeBootstrap } from "./bootstrap.js";
import { GKE_RANGES, gkeControlPlane, gkeKubeconfig, type GkeControlPlane } from "./cluster.js";
import { gkeNetworkObjects } from "./networks.js";
import { gpuNodePool, systemNodePool, type GpuNodePool } from "./node-pool.js";
import { gkeStorage } from "./storage.js";

import { gkeKedaPrometheus } from "./metrics.js";
import { recordClusterPrometheus } from "../../kubernetes/cluster-prometheus.js";
import { installsClusterAddons } from "../../kubernetes/options.js";
export interface GkeInfrastructure {
  names: WorkloadNames;
  /** The component's own host network (absent with an existing cluster). */
  network?: GcpNetwork;
  nics: NodeNic[];
  subnetIds: pulumi.Output<string>[];
  plane: GkeControlPlane;
  gpuPool: GpuNodePool;
  systemPool?: container.NodePool;
  bootstrap: GkeBootstrap;
  namespace: Namespace;
  storage: WorkloadStorage;
}

export function gkeInfrastructure(plan: Plan, options: GcpOptions, ctx: CompileContext): GkeInfrastructure {
  checkComponentName(ctx.name);
  checkGkeComponentName(ctx.name, options.gke?.clusterName !== undefined);
  // The component's APIs first: every resource and lookup after them waits for the ones it calls.
  enableGcpApis(plan, options, ctx);
  const gke = options.gke ?? {};
  const labels = gcpLabels(ctx.name, options);
  const names = workloadNames(ctx, gke.namespace ? { namespace: gke.namespace } : {});
  const project = projectId(ctx);
  const zones = offeringZones(plan, options, ctx);
  // Training: every node in one zone (the fabric and compact placement are zonal); a fleet spreads over the zones.
  const poolZones = plan.workload === "training" ? zones.apply((z) => [z[0]!]) : zones;
  const zone = zones.apply((z) => z[0]!);
  const pinned = pinnedZone(plan, options);
  const identity = nodeIdentity(ctx, project, { gke: true });
  const networkInputs = { serviceAccountEmail: identity.email, zone, pinnedZone: pinned, project };

  let network: GcpNetwork | undefined;
  let nics: NodeNic[];
  let subnetIds: pulumi.Output<string>[];
  if (gke.clusterName === undefined) {
    const addresses = addressPlan(options);
    network = gcpNetwork(plan, options, ctx, {
      ...networkInputs,
      hostSecondaryRanges: [
        { rangeName: GKE_RANGES.pods, ipCidrRange: addresses.gkePods },
        { rangeName: GKE_RANGES.services, ipCidrRange: addresses.gkeServices },
      ],
    });
    nics = network.nics;
    subnetIds = network.subnetIds;
  } else {
    // The existing cluster's network carries the host NIC; the component adds the GPU networks only.
    const fabric = gcpFabricNetworks(plan, options, ctx, networkInputs);
    nics = [{ role: "host", nicType: "GVNIC", network: pulumi.output(""), subnetwork: pulumi.output(""), networkName: pulumi.output(""), subnetworkName: pulumi.output("") }, ...fabric.nics];
    subnetIds = fabric.subnetIds;
  }

  const plane = gkeControlPlane(plan, gke, network, project, ctx, labels, identity.email);
  // The pools wait for the cluster (a new one), and for the GKE API (which an existing cluster's pool reaches directly).
  const poolDependsOn = [...(plane.cluster ? [plane.cluster] : []), ...apiDependencies(ctx, "container")];
  const poolInputs = { cluster: plane.name, location: plane.location, serviceAccountEmail: identity.email, labels, dependsOn: poolDependsOn };
  const gpuPool = gpuNodePool(plan, options, ctx, { ...poolInputs, zones: poolZones, pinnedZone: pinned, nics, poolName: names.nodePool });
  const nodePools: pulumi.Resource[] = [gpuPool.pool];
  const systemPool = plane.cluster ? systemNodePool(ctx, poolInputs) : undefined;
  if (systemPool) nodePools.push(systemPool);

  const provider = gkeProvider(gke, gkeKubeconfig(plane), ctx);
  const opts = { parent: ctx.parent, provider };
  // The GKE networks exist before any pod refers to them; they need the cluster, not the nodes.
  const networks = gkeNetworkObjects(plan, nics, ctx, { ...opts, dependsOn: plane.cluster ? [plane.cluster] : [] });
  const bootstrap = gkeBootstrap(plan, gke, provider, nodePools, networks, ctx);
  // A guarded Lustre claim lives in the namespace (./lustre.ts; GKE's nfs volumes are inline): it outlives a delete too.
  const namespace = workloadNamespace(names, ctx, opts, guardedClaimsIn(plan, ["lustre"]));
  const storageNetwork = network ? { host: network, zone, pinnedZone: pinned, project, lustreDriver: plane.cluster ? [plane.cluster] : [] } : undefined;
  const storage = gkeStorage(plan, names, ctx, labels, opts, namespace.metadata.name, storageNetwork);
  // A fleet on a new cluster: KEDA queries Managed Service for Prometheus as its own Workload Identity (metrics.ts).
  if (plan.workload === "inference" && gke.keda === undefined && plane.cluster && installsClusterAddons(gke)) recordClusterPrometheus(ctx, gkeKedaPrometheus(ctx));
  const infra: GkeInfrastructure = { names, nics, subnetIds, plane, gpuPool, bootstrap, namespace, storage };
  if (network) infra.network = network;
  if (systemPool) infra.systemPool = systemPool;
  return infra;
}
