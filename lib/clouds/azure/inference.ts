/**
 * Azure inference fleet: private replicas in one scale set behind an internal
 * Standard load balancer, scaled by an autoscale setting between replicas.min
 * and replicas.max. Each replica runs the model server
 * (lib/clouds/shared/model-server.ts), its weights cached on the VM's local
 * NVMe disks when the size has them. An internet-facing fleet is served HTTPS by
 * an Application Gateway in front of the internal balancer (./app-gateway.ts):
 * the layer-4 balancer cannot terminate TLS, and never gets a public address.
 *
 * Scaling signal: a GPU-bound server barely moves the VMs' CPU, so the fleet
 * scales out on the load it is sent, per replica: an internal fleet's new
 * client connections (a Standard load balancer publishes no request metric,
 * only its SYN count), an internet-facing fleet's gateway requests; it scales
 * in only when that is low AND the replicas send little (see loadRules).
 * Load-based scaling on vLLM's own queue is AKS with `keda`.
 */
import * as pulumi from "@pulumi/pulumi";
import * as monitor from "@pulumi/azure-native/monitor";
import * as network from "@pulumi/azure-native/network";
import type * as inputs from "@pulumi/azure-native/types/input.js";
import type { Plan } from "../../planner/types.js";
import { modelServerLines, SCALE_WARMUP_SECONDS } from "../shared/model-server.js";
import type { CompileContext, FleetHandles } from "../types.js";
import { AZURE_SCRATCH, customDataScript } from "./bootstrap.js";
import { grantBlobAccess, grantMetricsPublisher, nodeIdentity } from "./identity.js";
import { gpuMetricsLines } from "./gpu-metrics.js";
import { azureTags } from "./names.js";
import { azureNetwork, azurePlace } from "./network.js";
import { AZURE_DEFAULTS, type AzureOptions } from "./options.js";
import { nodeScaleSet } from "./scale-set.js";
import { clusterAddressPrefixes, inferenceRules, nodeSecurityGroup } from "./security.js";
import { azureStorage, dataDisks } from "./storage.js";
import { appGateway } from "./app-gateway.js";
import { servesInternet } from "./app-gateway-options.js";
import { inferenceNcclConf } from "./inference-nccl-conf.js";
import { billedGpuNodeGroup, billsGpuMetrics, gpuNodeBounds } from "../shared/bill.js";
import { billedInternalLoadBalancer } from "./bill.js";

/** The port the load balancer listens on (HTTP). */
export const LISTENER_PORT = 80;

/**
 * Below this many bytes sent per replica per minute (the scale set's `Network Out Total`), a fleet is idle enough to
 * shrink: 256 KiB a minute, about 4.4 KB/s, is one streamed response at a few tokens a second (an OpenAI-style chunk is
 * a couple of hundred bytes per token), while an idle replica sends only health-probe answers and agent traffic.
 */
export const SCALE_IN_BYTES_OUT_PER_MINUTE = 256 * 1024;

/**
 * What the fleet's load is counted on, by front (sources read 2026-11-30):
 * - balancer (an internal fleet): the internal load balancer's `SYNCount`, new TCP connections to its frontend
 *   (aggregation Total, PT1M: https://learn.microsoft.com/azure/load-balancer/monitor-load-balancer-reference, the
 *   2024-08-21 table, whose SYN count row lists Total; an older revision's "recommended aggregation: Average" column is gone).
 * - gateway (an internet-facing fleet): the Application Gateway's `TotalRequests`, the requests it served (Count,
 *   aggregation Total, PT1M:
 *   https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-network-applicationgateways-metrics).
 *   Behind the gateway the balancer's SYN count is blind: the gateway keeps its connections to the balancer alive across
 *   requests, so a busy fleet opens almost none. `AvgRequestCountPerHealthyHost` (Average, per healthy host of the
 *   gateway's pool) is no better: the pool's one host is the balancer's frontend, so it is the total again, and an
 *   Average statistic is not one autoscale documents dividing per instance; `TotalRequests` is a Total, divided per
 *   replica like the SYN count. A request is counted once, however long it streams, so the threshold is requests per
 *   replica per minute.
 */
export const LOAD_METRICS = {
  balancer: { metricName: "SYNCount", metricNamespace: "Microsoft.Network/loadBalancers" },
  gateway: { metricName: "TotalRequests", metricNamespace: "Microsoft.Network/applicationGateways" },
} as const;

/** The resource whose metric counts a fleet's load: its internal load balancer, or its Application Gateway. */
export interface LoadSource {
  front: keyof typeof LOAD_METRICS;
  /** The balancer's or the gateway's resource id (the trigger's `metricResourceUri`). */
  resourceId: pulumi.Input<string>;
}

/**
 * Autoscale rules on the load the fleet is sent (sources read 2026-11-30):
 * - Out: LOAD_METRICS of the fleet's front, a metric of another resource (`metricResourceUri`: the balancer or the
 *   gateway), statistic Sum per 1-minute grain, divided by the scale set's instance count (`dividePerInstance`, which
 *   Azure Monitor documents for Sum and Count statistics, not for Average:
 *   https://learn.microsoft.com/azure/azure-monitor/autoscale/autoscale-understanding-settings), averaged over the
 *   window: new connections (or gateway requests) per replica per minute.
 * - In: only when ALL scale-in rules hold ("Autoscale only scales in if all the scale-in rules are triggered", the same
 *   page). The SYN count is blind to clients that keep their connections alive (a busy fleet can open no new
 *   connection for minutes), and a gateway counts a request when it is served, so a second rule requires the replicas
 *   to be quiet too: the scale set's own `Network Out Total` (bytes out of all its VMs' interfaces, aggregation Total,
 *   PT1M: https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-compute-virtualmachinescalesets-metrics),
 *   Sum per minute divided per instance, under SCALE_IN_BYTES_OUT_PER_MINUTE: a fleet that streams tokens never shrinks.
 *
 * Warm-up: a new replica serves only after its model loads, so the next scale-out waits SCALE_WARMUP_SECONDS (15 min;
 * autoscale's cooldown is the only warm-up it has), or the fleet overshoots. Scale-in looks at 15 minutes and waits
 * 15 more, so a replica is not removed in a lull between bursts; a removed VM drains first (the load balancer's probe
 * fails while the server finishes, model-server.ts DRAIN_SECONDS).
 */
export function loadRules(load: LoadSource, scaleSetId: pulumi.Input<string>, options: AzureOptions): inputs.monitor.ScaleRuleArgs[] {
  const perReplicaPerMinute = { timeGrain: "PT1M", statistic: "Sum", timeAggregation: "Average", dividePerInstance: true } as const;
  const connections = { ...perReplicaPerMinute, ...LOAD_METRICS[load.front], metricResourceUri: load.resourceId } as const;
  const bytesOut = { ...perReplicaPerMinute, metricName: "Network Out Total", metricNamespace: "Microsoft.Compute/virtualMachineScaleSets", metricResourceUri: scaleSetId } as const;
  const warmUp = `PT${SCALE_WARMUP_SECONDS / 60}M`;
  const scaleIn = { direction: "Decrease", type: "ChangeCount", value: "1", cooldown: "PT15M" } as const;
  return [
    {
      metricTrigger: { ...connections, timeWindow: "PT5M", operator: "GreaterThan", threshold: options.scaleOutConnectionsPerMinute ?? AZURE_DEFAULTS.scaleOutConnectionsPerMinute },
      scaleAction: { direction: "Increase", type: "ChangeCount", value: "1", cooldown: warmUp },
    },
    {
      metricTrigger: { ...connections, timeWindow: "PT15M", operator: "LessThan", threshold: options.scaleInConnectionsPerMinute ?? AZURE_DEFAULTS.scaleInConnectionsPerMinute },
      scaleAction: scaleIn,
    },
    {
      metricTrigger: { ...bytesOut, timeWindow: "PT15M", operator: "LessThan", threshold: SCALE_IN_BYTES_OUT_PER_MINUTE },
      scaleAction: scaleIn,
    },
  ];
}

export function compileAzureInference(plan: Plan, options: AzureOptions = {}, ctx: CompileContext): FleetHandles {
  const opts = { parent: ctx.parent };
  const service = plan.service!;
  // The scale set's VMs as billed (one replica per VM: lib/planner/packing.ts): it is created at the item's count
  // (scale-set.ts) and the autoscale setting keeps it between that and the item's maxCount.
  const fleet = gpuNodeBounds(billedGpuNodeGroup(plan, ctx.bill));
  const tags = azureTags(ctx.name, options);
  const place = azurePlace(plan, options, ctx, tags);
  const base = { resourceGroupName: place.resourceGroupName, location: place.location, tags };
  // The replicas admit the component's VNet (where an internet-facing fleet's gateway lives), and an internal fleet's
  // client ranges (peered VNets, VPN, ExpressRoute); an internet-facing fleet's ranges are its gateway's (network.ts).
  const internetFacing = servesInternet(plan);
  const clients = [...clusterAddressPrefixes(options), ...(internetFacing ? [] : (options.allowedSourceRanges ?? []))];
  const nsg = nodeSecurityGroup(inferenceRules(service.port, clients, clusterAddressPrefixes(options), false), ctx, place, tags);
  const net = azureNetwork(plan, options, ctx, place, nsg.id, tags);
  const storage = azureStorage(plan, ctx, place, net, tags);
  const identity = nodeIdentity(ctx, place, tags);
  storage.storageAccounts.forEach((account) => grantBlobAccess(ctx, place, identity, account.id, account.name));

  // The balancer the bill prices: Azure's Standard product (the SKU below), internal (the frontend below has no public IP).
  billedInternalLoadBalancer(ctx.bill, "the fleet's internal Standard Load Balancer");
  // A fixed name, so the rules can refer to the balancer's own frontend, pool and probe by id.
  const lbName = `${ctx.name}-lb`;
  const lbId = pulumi.interpolate`${place.resourceGroupId}/providers/Microsoft.Network/loadBalancers/${lbName}`;
  // Internal only: internet clients reach it through the Application Gateway below.
  const frontend = { name: "frontend", subnet: { id: net.loadBalancerSubnetId! }, privateIPAllocationMethod: "Static", privateIPAddress: net.loadBalancerIp!, privateIPAddressVersion: "IPv4" };
  const balancer = new network.LoadBalancer(
    `${ctx.name}-lb`,
    {
      ...base,
      loadBalancerName: lbName,
      sku: { name: "Standard", tier: "Regional" },
      frontendIPConfigurations: [frontend],
      backendAddressPools: [{ name: "replicas" }],
      probes: [{ name: "health", protocol: "Http", port: service.port, requestPath: service.healthCheckPath, intervalInSeconds: 15, probeThreshold: 3 }],
      loadBalancingRules: [
        {
          name: "http",
          protocol: "Tcp",
          frontendPort: LISTENER_PORT,
          backendPort: service.port,
          frontendIPConfiguration: { id: pulumi.interpolate`${lbId}/frontendIPConfigurations/frontend` },
          backendAddressPool: { id: pulumi.interpolate`${lbId}/backendAddressPools/replicas` },
          probe: { id: pulumi.interpolate`${lbId}/probes/health` },
          // Long generations: keep idle connections open for 30 minutes, then reset them cleanly.
          idleTimeoutInMinutes: 30,
          enableTcpReset: true,
          // Replicas leave through the NAT gateway, not through the balancer's address.
          disableOutboundSnat: true,
          loadDistribution: "Default",
        },
      ],
    },
    opts,
  );

  // Secret env values were refused by checkAzureOptions: custom data cannot carry them safely.
  // The boot script striped the local NVMe disks at /mnt/resource_nvme when the size has them (./bootstrap.ts).
  // On NC96ads A100 v4 and the ND sizes the container reads the HPC image's /etc/nccl.conf (./inference-nccl-conf.ts).
  const server = modelServerLines(plan, options.modelServer, {
    localDisk: [`mountpoint -q ${AZURE_SCRATCH} && cache_dir=${AZURE_SCRATCH}/model-cache`],
    secretCommands: {},
    hostFiles: inferenceNcclConf(plan, options),
  });
  // Per-GPU metrics in Azure Monitor as billed: the bill prices the samples (lib/cost/bom/azure-vm.ts).
  const metricsOn = billsGpuMetrics(ctx.bill);
  const scaleSet = nodeScaleSet(plan, options, ctx, place, {
    subnetId: net.nodeSubnetId,
    identityId: identity.id,
    customData: pulumi
      .all([storage.mountSources, identity.clientId])
      .apply(([sources, clientId]) => customDataScript(plan, sources, options.customData, server, [], [], metricsOn ? gpuMetricsLines(clientId) : [])),
    dataDisks: dataDisks(plan, ctx),
    // Replicas need no shared fabric; large scale sets may grow past 100 VMs.
    singlePlacementGroup: false,
    loadBalancerBackendPoolIds: [pulumi.interpolate`${lbId}/backendAddressPools/replicas`],
    autoscaled: true,
    dependsOn: [balancer],
    tags,
  });

  // Per-GPU metrics in Azure Monitor, written against the scale set (gpu-metrics.ts).
  if (metricsOn) grantMetricsPublisher(ctx, place, identity, scaleSet.id);

  // Internet-facing: HTTPS on the gateway's public IP, forwarded to the balancer's frontend (the probe, through it, to /health).
  const gateway = internetFacing
    ? appGateway(ctx, {
        place,
        tags,
        subnetId: net.appGatewaySubnetId!,
        backendIp: net.loadBalancerIp!,
        backendPort: LISTENER_PORT,
        healthPath: service.healthCheckPath,
        certificateSecretId: options.tlsCertificateSecretId!,
        keyVaultId: options.tlsKeyVaultId!,
      })
    : undefined;

  new monitor.AutoscaleSetting(
    `${ctx.name}-autoscale`,
    {
      ...base,
      enabled: true,
      targetResourceUri: scaleSet.id,
      profiles: [
        {
          name: "replicas",
          capacity: { minimum: String(fleet.min), maximum: String(fleet.max), default: String(fleet.min) },
          // Behind a gateway, its requests: it keeps its connections to the balancer alive (LOAD_METRICS).
          rules: loadRules(gateway ? { front: "gateway", resourceId: gateway.id } : { front: "balancer", resourceId: balancer.id }, scaleSet.id, options),
        },
      ],
    },
    // The gateway's metric exists once the gateway does.
    gateway ? { ...opts, dependsOn: gateway.after([gateway.gateway]) } : opts,
  );

  const host = pulumi.output(net.loadBalancerIp!);
  return {
    nodeGroupId: scaleSet.id,
    networkId: net.vnetId,
    subnetIds: pulumi.all([net.nodeSubnetId]),
    securityGroupId: nsg.id,
    storage: storage.handles,
    endpointUrl: gateway?.endpointUrl ?? pulumi.interpolate`http://${host}`,
  };
}
