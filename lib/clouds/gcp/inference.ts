/**
 * GCP inference fleet: private replicas in a regional managed instance group spread
 * over the zones that offer the machine type, an autoscaler between replicas.min and
 * replicas.max on the load balancer's serving capacity, an HTTP health check on the
 * model port (admitted from Google's health-check ranges only), and an Application
 * Load Balancer: regional internal (default) or global external.
 */
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/gcp/compute";
import type { Plan } from "../../planner/types.js";
import type { CompileContext, FleetHandles } from "../types.js";
import { startupScript } from "./bootstrap.js";
import { nodeIdentity } from "./identity.js";
import { offeringZones, projectId } from "./lookups.js";
import { checkComponentName, gcpLabels } from "./names.js";
import { gcpNetwork } from "./network.js";
import { GCP_DEFAULTS, pinnedZone, type GcpOptions } from "./options.js";
import { gcpStorage } from "./storage.js";
import { nodeTemplate } from "./template.js";

/** Seconds a replica gets to load its model before health checks count against it. */
export const MODEL_LOAD_SECONDS = 900;
const NAMED_PORT = "http";

export function compileGcpInference(plan: Plan, options: GcpOptions = {}, ctx: CompileContext): FleetHandles {
  checkComponentName(ctx.name);
  const { name, parent } = ctx;
  const opts = { parent };
  const service = plan.service!;
  const replicas = plan.replicas!;
  const internal = service.loadBalancer === "internal";
  const labels = gcpLabels(name, options);
  const project = projectId(ctx);
  const zones = offeringZones(plan, options, ctx);
  const identity = nodeIdentity(ctx, project);
  const network = gcpNetwork(plan, options, ctx, { serviceAccountEmail: identity.email, zone: zones.apply((z) => z[0]!), project });
  // Zonal file systems (Filestore, Managed Lustre) sit in the first zone; replicas in other zones reach them across the region.
  const storage = gcpStorage(plan, network, ctx, { zone: zones.apply((z) => z[0]!), pinnedZone: pinnedZone(plan, options), member: identity.member, labels });

  const template = nodeTemplate(plan, options, ctx, {
    nics: network.nics.filter((nic) => nic.role === "host").slice(0, 1),
    serviceAccountEmail: identity.email,
    startupScript: storage.mountSources.apply((sources) => startupScript(plan, sources, options.startupScript)),
    labels,
  });

  const httpCheck = { port: service.port, requestPath: service.healthCheckPath };
  const checkTiming = { checkIntervalSec: 15, timeoutSec: 5, healthyThreshold: 2, unhealthyThreshold: 3 };
  const health = internal
    ? new compute.RegionHealthCheck(`${name}-health`, { region: plan.region, httpHealthCheck: httpCheck, ...checkTiming, description: `gpu-cluster ${name}: model server health` }, opts)
    : new compute.HealthCheck(`${name}-health`, { httpHealthCheck: httpCheck, ...checkTiming, description: `gpu-cluster ${name}: model server health` }, opts);

  const group = new compute.RegionInstanceGroupManager(
    `${name}-nodes`,
    {
      region: plan.region,
      distributionPolicyZones: zones,
      baseInstanceName: name,
      // Forces a new group when it changes: no replica bounds or instance type here.
      description: `gpu-cluster ${name}: inference replicas`,
      versions: [{ name: "default", instanceTemplate: template.selfLinkUnique }],
      namedPorts: [{ name: NAMED_PORT, port: service.port }],
      autoHealingPolicies: { healthCheck: health.id, initialDelaySec: MODEL_LOAD_SECONDS },
      waitForInstances: false,
    },
    opts,
  );

  const rps = options.requestsPerSecondPerReplica ?? GCP_DEFAULTS.requestsPerSecondPerReplica;
  new compute.RegionAutoscaler(
    `${name}-autoscaler`,
    {
      region: plan.region,
      target: group.id,
      autoscalingPolicy: {
        minReplicas: replicas.min,
        maxReplicas: replicas.max,
        cooldownPeriod: MODEL_LOAD_SECONDS,
        loadBalancingUtilization: { target: 0.8 },
      },
    },
    opts,
  );

  const backend = [{ group: group.instanceGroup, balancingMode: "RATE", maxRatePerInstance: rps, capacityScaler: 1 }];
  // Long generations: keep requests open well past the 30 s default.
  const backendArgs = { protocol: "HTTP", portName: NAMED_PORT, timeoutSec: 300, healthChecks: health.id, backends: backend };
  let address: pulumi.Output<string>;
  if (internal) {
    const backendService = new compute.RegionBackendService(`${name}-backend`, { region: plan.region, loadBalancingScheme: "INTERNAL_MANAGED", ...backendArgs }, opts);
    const urlMap = new compute.RegionUrlMap(`${name}-urls`, { region: plan.region, defaultService: backendService.id }, opts);
    const proxy = new compute.RegionTargetHttpProxy(`${name}-proxy`, { region: plan.region, urlMap: urlMap.id }, opts);
    const rule = new compute.ForwardingRule(
      `${name}-lb`,
      {
        region: plan.region,
        loadBalancingScheme: "INTERNAL_MANAGED",
        ipProtocol: "TCP",
        portRange: "80",
        target: proxy.id,
        network: network.host.id,
        subnetwork: network.hostSubnet.id,
        networkTier: "PREMIUM",
        description: `gpu-cluster ${name}: internal endpoint`,
      },
      { parent, dependsOn: network.proxySubnet ? [network.proxySubnet] : [] },
    );
    address = rule.ipAddress;
  } else {
    const backendService = new compute.BackendService(`${name}-backend`, { loadBalancingScheme: "EXTERNAL_MANAGED", ...backendArgs }, opts);
    const urlMap = new compute.URLMap(`${name}-urls`, { defaultService: backendService.id }, opts);
    // Internet-facing means HTTPS only (checkOptions requires the certificates), with a modern TLS policy.
    const tlsPolicy = new compute.SSLPolicy(`${name}-tls`, { profile: "MODERN", minTlsVersion: "TLS_1_2" }, opts);
    const proxy = new compute.TargetHttpsProxy(`${name}-proxy`, { urlMap: urlMap.id, sslCertificates: options.sslCertificates ?? [], sslPolicy: tlsPolicy.id }, opts);
    const rule = new compute.GlobalForwardingRule(
      `${name}-lb`,
      { loadBalancingScheme: "EXTERNAL_MANAGED", ipProtocol: "TCP", portRange: "443", target: proxy.id, description: `gpu-cluster ${name}: internet endpoint (loadBalancer: internet-facing)` },
      opts,
    );
    address = rule.ipAddress;
  }

  return {
    nodeGroupId: group.id,
    networkId: network.host.id,
    subnetIds: pulumi.all(network.subnetIds),
    securityGroupId: network.internalFirewall.id,
    storage: storage.handles,
    endpointUrl: internal ? pulumi.interpolate`http://${address}` : pulumi.interpolate`https://${address}`,
  };
}
