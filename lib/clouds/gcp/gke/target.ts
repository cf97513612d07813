/** GKE's parameters of the shared Kubernetes workload: node pool affinity, GKE's GPU taint, images, exposure. */
import type * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/gcp/compute";
import * as container from "@pulumi/gcp/container";
import type { Provider } from "@pulumi/kubernetes/provider";
import { type KubernetesTarget, type ServiceExposure, type WorkloadStorage, gpuPlacement } from "../../kubernetes/target.js";
import { HEALTH_CHECK_RANGES } from "../network.js";
import type { WorkloadNames } from "../../kubernetes/names.js";
import { DEFAULT_INFERENCE_IMAGE } from "../../kubernetes/options.js";
import type { Plan } from "../../../planner/types.js";
import type { CompileContext } from "../../types.js";
import { afterApis } from "../apis.js";
import { billedItem } from "../../shared/bill.js";
import { addressPlan } from "../network.js";
import type { GcpOptions } from "../options.js";
import { GPU_TAINT, podScratchVolume } from "./node-pool.js";
import { flexStartMaxRunSeconds, flexStartMode, GKE_DEFAULT_TRAINING_IMAGE } from "./options.js";
import { QUEUED_NODE_TOLERATION, queuedProvisioningCheck } from "./queued-provisioning.js";
import { gkeGateway } from "./gateway.js";
import { clusterPrometheus } from "../../kubernetes/cluster-prometheus.js";

/** The annotation that makes a GKE LoadBalancer Service an internal passthrough Network Load Balancer. */
export const GKE_INTERNAL_LB = { "networking.gke.io/load-balancer-type": "Internal" } as const;

/**
 * The annotation that gives a GKE LoadBalancer Service's forwarding rule a reserved address, by the address's NAME
 * (GKE 1.29 and later: the "Static IP addresses" row of
 * https://cloud.google.com/kubernetes-engine/docs/concepts/service-load-balancer-parameters, read 2026-11-30). GKE's
 * L4 controller reads it before the deprecated `spec.loadBalancerIP` (kubernetes/ingress-gce pkg/address/to_use.go
 * `IPv4ToUse` @34f78733: the annotation, then spec.loadBalancerIP, then the existing rule's address), so both are set:
 * the annotation on current clusters, the field on older ones.
 */
export const GKE_LB_ADDRESSES = "networking.gke.io/load-balancer-ip-addresses";

/** A reserved internal address: its IP (`spec.loadBalancerIP`, the endpoint) and its name (GKE_LB_ADDRESSES). */
export interface ReservedAddress {
  address: pulumi.Input<string>;
  name: pulumi.Input<string>;
}

/**
 * Internal fleets: an internal passthrough Network Load Balancer (a LoadBalancer Service with GKE's `Internal`
 * annotation, https://cloud.google.com/kubernetes-engine/docs/how-to/internal-load-balancing, read 2026-11-30), so
 * clients in the VPC reach the fleet as the VM path's internal load balancer lets them, admitting the component's own
 * network block (`gcp.networkCidr`; `gcp.gke.loadBalancerSourceRanges` instead when given: peered networks, a VPN).
 * With an existing cluster the component does not know its VPC's ranges: without `loadBalancerSourceRanges` the
 * address is still reachable only from that VPC and the networks connected to it.
 * An internet-facing fleet is not a LoadBalancer Service (GKE's external passthrough load balancer could not terminate
 * TLS): see {@link internetExposure}.
 */
export function gkeExposure(options: GcpOptions, reserved?: ReservedAddress): ServiceExposure {
  const ranges = options.gke?.loadBalancerSourceRanges ?? (options.gke?.clusterName === undefined ? [addressPlan(options).network] : undefined);
  return {
    type: "LoadBalancer",
    annotations: { ...GKE_INTERNAL_LB, ...(reserved !== undefined ? { [GKE_LB_ADDRESSES]: reserved.name } : {}) },
    ...(ranges ? { sourceRanges: ranges } : {}),
    ...(reserved !== undefined ? { address: reserved.address } : {}),
  };
}

/**
 * Internet-facing fleets: a ClusterIP Service behind the fleet's GKE Gateway (./gateway.ts), a global external
 * Application Load Balancer serving HTTPS with `gcp.sslCertificates` to `gcp.allowedSourceRanges`; the fleet's
 * `endpointUrl` is the Gateway's reserved address.
 */
export function internetExposure(endpointUrl: pulumi.Input<string>): ServiceExposure {
  // The pods admit only Google's Front Ends and health checkers (the ranges the VPC firewall admits for them), so a
  // client inside the VPC cannot go around the Gateway's Cloud Armor allow list.
  // https://cloud.google.com/load-balancing/docs/firewall-rules (proxies and health checks: 35.191.0.0/16, 130.211.0.0/22).
  return { type: "ClusterIP", annotations: {}, endpointUrl, ingressFrom: HEALTH_CHECK_RANGES };
}

/**
 * The internal load balancer's address, reserved in the nodes' subnet (the component's host subnet, or the existing
 * cluster's): the Service names it in GKE_LB_ADDRESSES (and `spec.loadBalancerIP` for older clusters), and the fleet's `endpointUrl` names it, so users in the VPC
 * get an address they can reach (an in-cluster DNS name resolves only inside the cluster) that stays the same when the
 * Service is recreated. https://cloud.google.com/kubernetes-engine/docs/how-to/internal-load-balancing ("static internal
 * IP address": reserve an INTERNAL address in the cluster's subnet, set it as `loadBalancerIP`) and
 * https://cloud.google.com/kubernetes-engine/docs/how-to/service-parameters, read 2026-11-30.
 */
export function internalLoadBalancerAddress(plan: Plan, options: GcpOptions, ctx: CompileContext, hostSubnet?: pulumi.Input<string>): compute.Address {
  const gke = options.gke ?? {};
  const subnetwork =
    hostSubnet ??
    container.getClusterOutput({ name: gke.clusterName!, location: gke.clusterLocation ?? plan.region }, afterApis(ctx, { parent: ctx.parent }, "container")).subnetwork;
  return new compute.Address(
    `${ctx.name}-lb-address`,
    { addressType: "INTERNAL", subnetwork, region: plan.region, description: `gpu-cluster ${ctx.name}: internal load balancer of the inference fleet` },
    afterApis(ctx, { parent: ctx.parent }, "compute"),
  );
}

/**
 * `namespace`: the workload's (where an internet-facing fleet's Gateway and policies live, beside its Service).
 * `hostSubnet`: the component's host subnet (absent on an existing cluster, whose subnet is looked up).
 */
export function gkeTarget(
  plan: Plan,
  options: GcpOptions,
  names: WorkloadNames,
  namespace: pulumi.Input<string>,
  storage: WorkloadStorage,
  ctx: CompileContext,
  provider: Provider,
  dependsOn: pulumi.Resource[],
  hostSubnet?: pulumi.Input<string>,
): KubernetesTarget {
  // A fleet's load balancer as billed (the bill's `load-balancer` item, lib/cost/bom/gcp-gke.ts): an internal scheme is
  // the Service's passthrough Network Load Balancer, an internet-facing one the Gateway's global external ALB.
  const lb =
    plan.workload === "inference"
      ? billedItem(ctx.bill, "load-balancer", "the fleet's load balancer", (item) => item.product === (item.scheme === "internal" ? "gcp-passthrough" : "gcp-external-alb"))
      : undefined;
  const gateway = lb?.scheme === "internet-facing" ? gkeGateway(plan, options, names, namespace, ctx, { parent: ctx.parent, provider }) : undefined;
  const reservation = lb?.scheme === "internal" ? internalLoadBalancerAddress(plan, options, ctx, hostSubnet) : undefined;
  const address = reservation ? { address: reservation.address, name: reservation.name } : undefined;
  // Managed Service for Prometheus, when infrastructure.ts gave KEDA its identity: the fleet scales on its servers' queue there.
  const prometheus = clusterPrometheus(ctx);
  // Queued flex-start: the nodes come through Kueue's ProvisioningRequest check, and carry GKE's queued taint.
  const queued = flexStartMode(plan, options.gke) === "queued";
  const gpuTaint = { key: GPU_TAINT.key, operator: "Exists", effect: GPU_TAINT.effect };
  // On A3 / A4 the pods' /scratch is the node's local SSD (the pool's ephemeral storage).
  const scratch = podScratchVolume(plan);
  return {
    placement: { ...gpuPlacement(plan, names.nodePool, queued ? [gpuTaint, QUEUED_NODE_TOLERATION] : [gpuTaint]), ...(scratch ? { scratch } : {}) },
    ...(queued ? { provisioning: queuedProvisioningCheck(flexStartMaxRunSeconds(options.gke)) } : {}),
    images: { training: GKE_DEFAULT_TRAINING_IMAGE, inference: DEFAULT_INFERENCE_IMAGE },
    exposure: () => (gateway ? internetExposure(gateway.endpointUrl) : gkeExposure(options, address)),
    storage,
    opts: { parent: ctx.parent, provider },
    dependsOn,
    ...(prometheus ? { prometheus } : {}),
  };
}
