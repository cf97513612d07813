/**
 * Azure inference fleet: private replicas in one scale set behind an internal
 * Standard load balancer, scaled by an autoscale setting between replicas.min
 * and replicas.max. Each replica runs the model server
 * (lib/clouds/shared/model-server.ts), its weights cached on the VM's local
 * NVMe disks when the size has them. Internet-facing VM fleets are refused by
 * checkAzureOptions: the layer-4 balancer cannot terminate TLS.
 *
 * Scaling signal: a Standard load balancer publishes no request metric, and a
 * GPU-bound server barely moves the VMs' CPU, so the fleet scales on the load
 * it is sent: new client connections (the balancer's SYN count) per replica.
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
import { grantBlobAccess, nodeIdentity } from "./identity.js";
import { azureTags } from "./names.js";
import { azureNetwork, azurePlace } from "./network.js";
import { AZURE_DEFAULTS, type AzureOptions } from "./options.js";
import { nodeScaleSet } from "./scale-set.js";
import { clusterAddressPrefixes, inferenceRules, nodeSecurityGroup } from "./security.js";
import { azureStorage, dataDisks } from "./storage.js";

/** The port the load balancer listens on (HTTP). */
export const LISTENER_PORT = 80;

/**
 * Autoscale rules on the load the fleet is sent: the load balancer's `SYNCount` (new TCP connections to its frontend,
 * counted per minute; https://learn.microsoft.com/azure/load-balancer/monitor-load-balancer-reference, read
 * 2026-11-30), a metric of another resource (`metricResourceUri`: the balancer) divided by the scale set's instance
 * count (`dividePerInstance`), as Azure Monitor autoscale allows
 * (https://learn.microsoft.com/azure/azure-monitor/autoscale/autoscale-understanding-settings and the MetricTrigger
 * REST reference, read 2026-11-30). Statistic `Sum` per 1-minute grain, averaged over the window: connections per
 * replica per minute.
 *
 * Warm-up: a new replica serves only after its model loads, so the next scale-out waits SCALE_WARMUP_SECONDS (15 min;
 * autoscale's cooldown is the only warm-up it has), or the fleet overshoots. Scale-in looks at 15 minutes and waits
 * 15 more, so a replica is not removed in a lull between bursts; a removed VM drains first (the load balancer's probe
 * fails while the server finishes, model-server.ts DRAIN_SECONDS).
 */
export function loadRules(balancerId: pulumi.Input<string>, options: AzureOptions): inputs.monitor.ScaleRuleArgs[] {
  const trigger = {
    metricName: "SYNCount",
    metricNamespace: "Microsoft.Network/loadBalancers",
    metricResourceUri: balancerId,
    timeGrain: "PT1M",
    statistic: "Sum",
    timeAggregation: "Average",
    dividePerInstance: true,
  } as const;
  const warmUp = `PT${SCALE_WARMUP_SECONDS / 60}M`;
  return [
    {
      metricTrigger: { ...trigger, timeWindow: "PT5M", operator: "GreaterThan", threshold: options.scaleOutConnectionsPerMinute ?? AZURE_DEFAULTS.scaleOutConnectionsPerMinute },
      scaleAction: { direction: "Increase", type: "ChangeCount", value: "1", cooldown: warmUp },
    },
    {
      metricTrigger: { ...trigger, timeWindow: "PT15M", operator: "LessThan", threshold: options.scaleInConnectionsPerMinute ?? AZURE_DEFAULTS.scaleInConnectionsPerMinute },
      scaleAction: { direction: "Decrease", type: "ChangeCount", value: "1", cooldown: "PT15M" },
    },
  ];
}

export function compileAzureInference(plan: Plan, options: AzureOptions = {}, ctx: CompileContext): FleetHandles {
  const opts = { parent: ctx.parent };
  const service = plan.service!;
  const replicas = plan.replicas!;
  const internetFacing = service.loadBalancer === "internet-facing";
  const tags = azureTags(ctx.name, options);
  const place = azurePlace(plan, options, ctx, tags);
  const base = { resourceGroupName: place.resourceGroupName, location: place.location, tags };
  // Internal fleets admit the component's VNet and any client ranges given (peered VNets, VPN, ExpressRoute).
  const clients = internetFacing ? options.allowedSourceRanges : [...clusterAddressPrefixes(options), ...(options.allowedSourceRanges ?? [])];
  const nsg = nodeSecurityGroup(inferenceRules(service.port, clients, clusterAddressPrefixes(options), internetFacing), ctx, place, tags);
  const net = azureNetwork(plan, options, ctx, place, nsg.id, tags);
  const storage = azureStorage(plan, ctx, place, net, tags);
  const identity = nodeIdentity(ctx, place, tags);
  storage.storageAccounts.forEach((account) => grantBlobAccess(ctx, place, identity, account.id, account.name));

  // A fixed name, so the rules can refer to the balancer's own frontend, pool and probe by id.
  const lbName = `${ctx.name}-lb`;
  const lbId = pulumi.interpolate`${place.resourceGroupId}/providers/Microsoft.Network/loadBalancers/${lbName}`;
  const publicIp = internetFacing
    ? new network.PublicIPAddress(`${ctx.name}-lb-ip`, { ...base, sku: { name: "Standard", tier: "Regional" }, publicIPAllocationMethod: "Static", publicIPAddressVersion: "IPv4" }, opts)
    : undefined;
  const frontend = publicIp
    ? { name: "frontend", publicIPAddress: { id: publicIp.id } }
    : { name: "frontend", subnet: { id: net.loadBalancerSubnetId! }, privateIPAllocationMethod: "Static", privateIPAddress: net.loadBalancerIp!, privateIPAddressVersion: "IPv4" };
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
  const server = modelServerLines(plan, options.modelServer, { localDisk: [`mountpoint -q ${AZURE_SCRATCH} && cache_dir=${AZURE_SCRATCH}/model-cache`], secretCommands: {} });
  const scaleSet = nodeScaleSet(plan, options, ctx, place, {
    subnetId: net.nodeSubnetId,
    identityId: identity.id,
    customData: storage.mountSources.apply((sources) => customDataScript(plan, sources, options.customData, server)),
    dataDisks: dataDisks(plan),
    capacity: replicas.min,
    // Replicas need no shared fabric; large scale sets may grow past 100 VMs.
    singlePlacementGroup: false,
    loadBalancerBackendPoolIds: [pulumi.interpolate`${lbId}/backendAddressPools/replicas`],
    autoscaled: true,
    dependsOn: [balancer],
    tags,
  });

  new monitor.AutoscaleSetting(
    `${ctx.name}-autoscale`,
    {
      ...base,
      enabled: true,
      targetResourceUri: scaleSet.id,
      profiles: [
        {
          name: "replicas",
          capacity: { minimum: String(replicas.min), maximum: String(replicas.max), default: String(replicas.min) },
          rules: loadRules(balancer.id, options),
        },
      ],
    },
    opts,
  );

  const host = publicIp ? publicIp.ipAddress.apply((ip) => ip ?? "unassigned") : pulumi.output(net.loadBalancerIp!);
  return {
    nodeGroupId: scaleSet.id,
    networkId: net.vnetId,
    subnetIds: pulumi.all([net.nodeSubnetId]),
    securityGroupId: nsg.id,
    storage: storage.handles,
    endpointUrl: pulumi.interpolate`http://${host}`,
  };
}
