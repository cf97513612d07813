/**
 * GCP inference fleet: private replicas in a regional managed instance group spread
 * over the zones that offer the machine type, an autoscaler between the nodes at replicas.min and
 * replicas.max (the bill's `gpu-nodes` count and maxCount: one replica per VM) on the load balancer's serving capacity (requests per second against
 * `requestsPerSecondPerReplica`), an HTTP health check on the model port (admitted from
 * Google's health-check ranges only), and an Application Load Balancer: regional internal
 * (default; HTTPS when `gcp.sslCertificates` are given) or global external (HTTPS).
 * Each replica runs the model server (lib/clouds/shared/model-server.ts), its weights
 * cached on the first local SSD when the machine has one.
 */
import { migNodeCounts } from "./capacity.js";
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/gcp/compute";
import * as projects from "@pulumi/gcp/projects";
import * as secretmanager from "@pulumi/gcp/secretmanager";
import type { Plan } from "../../planner/types.js";
import { LOCAL_SSD_MOUNT } from "./local-ssd.js";
import { shellQuote } from "../shared/bootstrap.js";
import { billedGpuNodeGroup, billedItem, billedOnce, billsGpuMetrics, gpuNodeBounds } from "../shared/bill.js";
import { GCP_SECRETS } from "../../cost/bom/gcp-vm.js";
import { lookedUpPlacement } from "../shared/storage.js";
import { DRAIN_SECONDS, MODEL_LOAD_SECONDS, modelServerLines, SCALE_WARMUP_SECONDS, splitEnv, type ModelServerCloud } from "../shared/model-server.js";
import type { CompileContext, FleetHandles } from "../types.js";
import { startupScript } from "./bootstrap.js";
import { afterApis } from "./apis.js";
import { nodeIdentity } from "./identity.js";
import { offeringZones, projectId } from "./lookups.js";
import { checkComponentName, gcpLabels } from "./names.js";
import { gcpNetwork } from "./network.js";
import { GCP_DEFAULTS, pinnedZone, type GcpOptions } from "./options.js";
import { gcpStorage } from "./storage.js";
import { BACKEND_TIMEOUT_SEC, cloudArmorClientPolicy, HEALTH_CHECK_TIMING, modernTlsPolicy } from "./load-balancer.js";
import { nodeTemplate } from "./template.js";
import { opsAgentLines } from "./gpu-metrics.js";

const NAMED_PORT = "http";

/** The model cache on the local SSD array the startup script assembles (./local-ssd.ts); machines without one keep the root disk. */
function localSsdLines(): string[] {
  return [`mountpoint -q ${shellQuote(LOCAL_SSD_MOUNT)} && cache_dir=${LOCAL_SSD_MOUNT}/model-cache`];
}

/** Secret Manager id of one secret env value of the model server (fixed: no position, no count). */
export function secretId(fleet: string, key: string): string {
  return `${fleet}-model-server-${key}`;
}

/**
 * The model server's secret env values in Secret Manager, replicated in the fleet's region only and readable by the
 * nodes' service account only; the startup script (instance metadata, readable with compute.instances.get) holds the
 * command that reads them, never the value.
 */
function serverSecrets(plan: Plan, options: GcpOptions, ctx: CompileContext, member: pulumi.Output<string>, labels: Record<string, string>): ModelServerCloud["secretCommands"] {
  const { secret } = splitEnv(options.modelServer?.env);
  const keys = Object.keys(secret);
  // One secret per value, as billed: the bill's item counts them (lib/cost/bom/gcp-vm.ts GCP_SECRETS.modelServerEnv).
  const billed = billedOnce(ctx.bill, "secret", (item) => item.what === GCP_SECRETS.modelServerEnv);
  if ((billed?.count ?? 0) !== keys.length) {
    throw new Error(`gpu-cluster: the compiler keeps ${keys.length} secret model-server env value(s) in Secret Manager, but the bill of materials counts ${billed?.count ?? 0} (lib/cost/bom and the compiler disagree)`);
  }
  if (keys.length === 0) return {};
  const opts = { parent: ctx.parent };
  // Left enabled on destroy: other stacks of the project may use Secret Manager.
  const api = new projects.Service(`${ctx.name}-secretmanager-api`, { service: "secretmanager.googleapis.com", disableOnDestroy: false }, opts);
  const commands: Record<string, string> = {};
  for (const key of keys) {
    const id = secretId(ctx.name, key);
    const stored = new secretmanager.Secret(`${ctx.name}-env-${key}`, { secretId: id, replication: { userManaged: { replicas: [{ location: plan.region }] } }, labels }, { ...opts, dependsOn: [api] });
    new secretmanager.SecretVersion(`${ctx.name}-env-${key}`, { secret: stored.id, secretData: pulumi.secret(secret[key]!) }, opts);
    new secretmanager.SecretIamMember(`${ctx.name}-env-${key}-reader`, { secretId: stored.id, role: "roles/secretmanager.secretAccessor", member }, opts);
    // gcloud on the node uses the instance's project and service account.
    commands[key] = `gcloud secrets versions access latest --secret=${shellQuote(id)}`;
  }
  return commands;
}

/**
 * How a template change (a new model, image or machine setting) rolls through the replicas: one new replica per zone
 * comes up beside the old ones (SUBSTITUTE: new VMs, created before any old one goes) and none is taken down before
 * its replacement serves, so the fleet never drops below its size. A regional MIG's defaults are the number of zones
 * for both maxSurge and maxUnavailable, which lets a rollout stop a replica in every zone at once: all of a
 * three-replica fleet. A fixed value on a regional MIG must be 0 or at least the number of zones the group spans,
 * hence maxSurgeFixed = the zone count (https://cloud.google.com/compute/docs/instance-groups/updating-managed-instance-groups
 * "maxSurge" / "maxUnavailable" and the API's InstanceGroupManagerUpdatePolicy
 * https://cloud.google.com/compute/docs/reference/rest/v1/regionInstanceGroupManagers, read 2026-12-01).
 * Redistribution stays off: BALANCED target shape needs it off (see the group below).
 */
export function rollingUpdatePolicy(zones: pulumi.Input<string[]>) {
  return {
    type: "PROACTIVE",
    minimalAction: "REPLACE",
    replacementMethod: "SUBSTITUTE",
    maxUnavailableFixed: 0,
    maxSurgeFixed: pulumi.output(zones).apply((z) => z.length),
    instanceRedistributionType: "NONE",
  };
}

export function compileGcpInference(plan: Plan, options: GcpOptions = {}, ctx: CompileContext): FleetHandles {
  checkComponentName(ctx.name);
  const { name, parent } = ctx;
  const opts = { parent };
  const service = plan.service!;
  // The load balancer as billed (the bill's `load-balancer` item, lib/cost/bom/gcp-vm.ts): a regional internal
  // Application Load Balancer for an internal scheme, a global external one for an internet-facing scheme.
  const lb = billedItem(ctx.bill, "load-balancer", "the fleet's Application Load Balancer", (item) => item.product === (item.scheme === "internal" ? "gcp-internal-alb" : "gcp-external-alb"));
  const internal = lb.scheme === "internal";
  const internalTls = internal && (options.sslCertificates?.length ?? 0) > 0;
  const labels = gcpLabels(name, options);
  const project = projectId(ctx);
  const zones = offeringZones(plan, options, ctx);
  const pinned = pinnedZone(plan, options);
  // The Ops Agent as billed: the bill names the metrics it sends (lib/cost/bom/gpu-metrics.ts).
  const metrics = billsGpuMetrics(ctx.bill);
  const identity = nodeIdentity(ctx, project, { metrics });
  const network = gcpNetwork(plan, options, ctx, { serviceAccountEmail: identity.email, zone: zones.apply((z) => z[0]!), pinnedZone: pinned, project });
  // Zonal file systems (Filestore, Managed Lustre) sit in the first zone; replicas in other zones reach them across the region.
  const storage = gcpStorage(plan, network, ctx, { zone: zones.apply((z) => z[0]!), pinnedZone: pinned, member: identity.member, labels });

  const server = modelServerLines(plan, options.modelServer, { localDisk: localSsdLines(), secretCommands: serverSecrets(plan, options, ctx, identity.member, labels) });
  const template = nodeTemplate(plan, options, ctx, {
    nics: network.nics.filter((nic) => nic.role === "host").slice(0, 1),
    serviceAccountEmail: identity.email,
    startupScript: storage.mountSources.apply((sources) => startupScript(plan, sources, options.startupScript, server, [], metrics ? opsAgentLines(plan) : [])),
    labels,
  });

  const httpCheck = { port: service.port, requestPath: service.healthCheckPath };
  // Roots that take no input from another resource wait for the Compute Engine API explicitly.
  const computeOpts = afterApis(ctx, opts, "compute");
  const checkTiming = HEALTH_CHECK_TIMING;
  const health = internal
    ? new compute.RegionHealthCheck(`${name}-health`, { region: plan.region, httpHealthCheck: httpCheck, ...checkTiming, description: `gpu-cluster ${name}: model server health` }, computeOpts)
    : new compute.HealthCheck(`${name}-health`, { httpHealthCheck: httpCheck, ...checkTiming, description: `gpu-cluster ${name}: model server health` }, computeOpts);

  const group = new compute.RegionInstanceGroupManager(
    `${name}-nodes`,
    {
      region: plan.region,
      distributionPolicyZones: zones,
      // BALANCED: replicas go to the zones that have the GPUs at the time, as evenly as they allow, where the default
      // EVEN keeps trying a zone out of capacity; ANY would suit scarce GPUs too but Google allows only EVEN or BALANCED
      // with an autoscaler, and BALANCED needs proactive redistribution off
      // (https://cloud.google.com/compute/docs/instance-groups/regional-mig-distribution-shape and
      // regional-mig-set-target-distribution-shape, read 2026-11-30; Google's BALANCED sample sets the same update policy).
      distributionPolicyTargetShape: "BALANCED",
      updatePolicy: rollingUpdatePolicy(zones),
      baseInstanceName: name,
      // Forces a new group when it changes: no replica bounds or instance type here.
      description: `gpu-cluster ${name}: inference replicas`,
      versions: [{ name: "default", instanceTemplate: template.selfLinkUnique }],
      namedPorts: [{ name: NAMED_PORT, port: service.port }],
      // Health checks count only after the image pull and the model load (MODEL_LOAD_SECONDS).
      autoHealingPolicies: { healthCheck: health.id, initialDelaySec: MODEL_LOAD_SECONDS },
      waitForInstances: false,
    },
    // `distributionPolicyZones` forces a new group (every replica, and the endpoint's backends, recreated): the
    // lookup's first answer is kept, so a zone added to or DOWN in the region later does not replace the fleet.
    // The surge follows the kept zones (it must cover each of them), so it is kept with them.
    { ...opts, ignoreChanges: lookedUpPlacement(pinned, ["distributionPolicyZones", "updatePolicy.maxSurgeFixed"]) },
  );

  const rps = options.requestsPerSecondPerReplica ?? GCP_DEFAULTS.requestsPerSecondPerReplica;
  // Between the bill's `gpu-nodes` count and maxCount (lib/clouds/shared/bill.ts billedGpuNodeGroup): one replica per VM, so the nodes at replicas.min
  // and replicas.max (lib/planner/packing.ts), as priced.
  const nodes = gpuNodeBounds(billedGpuNodeGroup(plan, ctx.bill));
  new compute.RegionAutoscaler(
    `${name}-autoscaler`,
    {
      region: plan.region,
      target: group.id,
      autoscalingPolicy: {
        minReplicas: nodes.min,
        maxReplicas: nodes.max,
        // A new replica's load is left out until it has loaded its model, or the autoscaler overshoots.
        cooldownPeriod: SCALE_WARMUP_SECONDS,
        // Requests per second against `requestsPerSecondPerReplica` (the backends' RATE capacity).
        loadBalancingUtilization: { target: 0.8 },
        // A removed replica takes a warm-up to come back: at most one per 15 minutes.
        scaleInControl: { maxScaledInReplicas: { fixed: 1 }, timeWindowSec: 900 },
      },
    },
    opts,
  );

  const backend = [{ group: group.instanceGroup, balancingMode: "RATE", maxRatePerInstance: rps, capacityScaler: 1 }];
  // Long generations: keep requests open well past the 30 s default.
  // A replica leaving the group finishes its open generations first (as long as the request timeout).
  const backendArgs = { protocol: "HTTP", portName: NAMED_PORT, timeoutSec: BACKEND_TIMEOUT_SEC, connectionDrainingTimeoutSec: DRAIN_SECONDS, healthChecks: health.id, backends: backend };
  // The endpoint's address is reserved (`<name>-lb-address`), as the GKE path reserves its own (gke/target.ts,
  // gke/gateway.ts): a forwarding rule's address, port range and target type are fixed at creation, so an ordinary
  // edit that replaces the rule (adding gcp.sslCertificates to an internal fleet: port 80 → 443 and another proxy
  // type) would otherwise bring the fleet back on another address and break every client and DNS record holding it.
  // A reserved address outlives the rule (https://cloud.google.com/vpc/docs/reserve-static-internal-ip-address). The
  // internal one is SHARED_LOADBALANCER_VIP, so the new :443 rule can take it while the :80 rule still holds it (Pulumi
  // creates the replacement first), as Google's Terraform sample "Internal HTTPS load balancer with HTTP-to-HTTPS
  // redirect" shares one such address between its INTERNAL_MANAGED :80 and :443 rules. A fleet deployed before the
  // address was reserved gets a new rule on the reserved address once (the plan note, options.ts reservedEndpointNote).
  let address: pulumi.Output<string>;
  if (internal) {
    const backendService = new compute.RegionBackendService(`${name}-backend`, { region: plan.region, loadBalancingScheme: "INTERNAL_MANAGED", ...backendArgs }, opts);
    const urlMap = new compute.RegionUrlMap(`${name}-urls`, { region: plan.region, defaultService: backendService.id }, opts);
    // With certificates (regional ones: a regional proxy takes no global certificate), HTTPS only on 443, as the external fleet.
    const proxy = internalTls
      ? new compute.RegionTargetHttpsProxy(
          `${name}-proxy`,
          {
            region: plan.region,
            urlMap: urlMap.id,
            sslCertificates: options.sslCertificates!,
            sslPolicy: new compute.RegionSslPolicy(`${name}-tls`, { region: plan.region, profile: "MODERN", minTlsVersion: "TLS_1_2" }, computeOpts).id,
          },
          opts,
        )
      : new compute.RegionTargetHttpProxy(`${name}-proxy`, { region: plan.region, urlMap: urlMap.id }, opts);
    const reserved = new compute.Address(
      `${name}-lb-address`,
      {
        region: plan.region,
        addressType: "INTERNAL",
        subnetwork: network.hostSubnet.id,
        purpose: "SHARED_LOADBALANCER_VIP",
        description: `gpu-cluster ${name}: internal endpoint of the inference fleet`,
      },
      computeOpts,
    );
    const rule = new compute.ForwardingRule(
      `${name}-lb`,
      {
        region: plan.region,
        loadBalancingScheme: "INTERNAL_MANAGED",
        ipAddress: reserved.address,
        ipProtocol: "TCP",
        portRange: internalTls ? "443" : "80",
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
    const backendService = new compute.BackendService(
      `${name}-backend`,
      { loadBalancingScheme: "EXTERNAL_MANAGED", ...backendArgs, securityPolicy: cloudArmorClientPolicy(ctx, options.allowedSourceRanges ?? [], computeOpts).id },
      opts,
    );
    const urlMap = new compute.URLMap(`${name}-urls`, { defaultService: backendService.id }, opts);
    // Internet-facing means HTTPS only (checkOptions requires the certificates), with a modern TLS policy.
    const tlsPolicy = modernTlsPolicy(name, computeOpts);
    const proxy = new compute.TargetHttpsProxy(`${name}-proxy`, { urlMap: urlMap.id, sslCertificates: options.sslCertificates ?? [], sslPolicy: tlsPolicy.id }, opts);
    const reserved = new compute.GlobalAddress(
      `${name}-lb-address`,
      { addressType: "EXTERNAL", ipVersion: "IPV4", description: `gpu-cluster ${name}: internet endpoint of the inference fleet` },
      computeOpts,
    );
    const rule = new compute.GlobalForwardingRule(
      `${name}-lb`,
      {
        loadBalancingScheme: "EXTERNAL_MANAGED",
        ipAddress: reserved.address,
        ipProtocol: "TCP",
        portRange: "443",
        target: proxy.id,
        description: `gpu-cluster ${name}: internet endpoint (loadBalancer: internet-facing)`,
      },
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
    nodeCounts: migNodeCounts(plan, group.name, { region: plan.region }, ctx.parent),
    endpointUrl: internal && !internalTls ? pulumi.interpolate`http://${address}` : pulumi.interpolate`https://${address}`,
  };
}
