/**
 * GCP training cluster: host and GPU-fabric networks, the nodes' service account,
 * storage, a placement policy, one instance template and ONE zonal managed instance
 * group whose target size is the node count (8 or 1,024 nodes are the same resources).
 */
import { migNodeCounts } from "./capacity.js";
import { VM_HEALTH, VM_HEALTH_GRACE_SECONDS } from "../shared/vm-health.js";
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/gcp/compute";
import type { Plan } from "../../planner/types.js";
import type { ClusterHandles, CompileContext } from "../types.js";
import { lookedUpPlacement } from "../shared/storage.js";
import { afterApis } from "./apis.js";
import { startupScript } from "./bootstrap.js";
import { gcpClusterTrust } from "./cluster-ssh.js";
import { gcpGateLines, gcpGateReadBack } from "./fabric-gate.js";
import { nodeIdentity } from "./identity.js";
import { offeringZones, projectId } from "./lookups.js";
import { checkComponentName, gcpLabels } from "./names.js";
import { gcpNetwork } from "./network.js";
import { pinnedZone, placementKind, type GcpOptions } from "./options.js";
import { gcpStorage } from "./storage.js";
import { nodeTemplate } from "./template.js";
import { opsAgentLines } from "./gpu-metrics.js";
import { billedGpuNodeGroup, billsGpuMetrics } from "../shared/bill.js";

export { placementKind } from "./options.js";

export function compileGcpTraining(plan: Plan, options: GcpOptions = {}, ctx: CompileContext): ClusterHandles {
  checkComponentName(ctx.name);
  const opts = afterApis(ctx, { parent: ctx.parent }, "compute");
  const labels = gcpLabels(ctx.name, options);
  const project = projectId(ctx);
  // Every node in one zone: the fabric and the placement policy are zonal.
  const zone = offeringZones(plan, options, ctx).apply((zones) => zones[0]!);
  // Without a pinned zone, the lookup's first answer is kept: the group, the RoCE network and the file systems stay together.
  const pinned = pinnedZone(plan, options);
  // The Ops Agent as billed: the bill names the metrics it sends (lib/cost/bom/gpu-metrics.ts).
  const metrics = billsGpuMetrics(ctx.bill);
  const identity = nodeIdentity(ctx, project, { metrics });
  const network = gcpNetwork(plan, options, ctx, { serviceAccountEmail: identity.email, zone, pinnedZone: pinned, project });
  const storage = gcpStorage(plan, network, ctx, { zone, pinnedZone: pinned, member: identity.member, labels });

  const placement = placementKind(plan, options);
  const policy =
    placement === "none"
      ? undefined
      : new compute.ResourcePolicy(
          `${ctx.name}-placement`,
          placement === "workload"
            ? {
                region: plan.region,
                description: `gpu-cluster ${ctx.name}: dense placement of the managed instance group`,
                workloadPolicy: { type: "HIGH_THROUGHPUT" },
              }
            : {
                region: plan.region,
                description: `gpu-cluster ${ctx.name}: compact placement of the nodes`,
                groupPlacementPolicy: { collocation: "COLLOCATED" },
              },
          opts,
        );

  // Nodes trust each other over SSH and keep a hostfile (2 or more nodes); the first two check the fabric (on by default).
  const trust = gcpClusterTrust(plan, ctx, identity, project, labels);
  const gateLines = gcpGateLines(plan, options.acceptanceTest ?? true);
  const clusterLines = [...(trust?.lines ?? []), ...(gateLines ?? [])];
  const templateInputs: Parameters<typeof nodeTemplate>[3] = {
    nics: network.nics,
    serviceAccountEmail: identity.email,
    startupScript: storage.mountSources.apply((sources) => startupScript(plan, sources, options.startupScript, [], clusterLines, metrics ? opsAgentLines(plan) : [])),
    labels,
    guestAttributes: gateLines !== undefined,
  };
  if (policy && placement === "compact") templateInputs.placementPolicy = policy.selfLink;
  const template = nodeTemplate(plan, options, ctx, templateInputs);

  // A node whose GPUs or fabric fail stops answering its health endpoint, and the group recreates it.
  const nodeHealth = new compute.HealthCheck(
    `${ctx.name}-node-health`,
    { httpHealthCheck: { port: VM_HEALTH.port, requestPath: VM_HEALTH.path }, checkIntervalSec: 30, timeoutSec: 10, healthyThreshold: 1, unhealthyThreshold: 3, description: `gpu-cluster ${ctx.name}: GPU and fabric health` },
    opts,
  );

  // One managed instance group for any node count: the bill's `gpu-nodes` count (lib/clouds/shared/bill.ts billedGpuNodeGroup), the nodes priced.
  const nodes = billedGpuNodeGroup(plan, ctx.bill);
  const group = new compute.InstanceGroupManager(
    `${ctx.name}-nodes`,
    {
      zone,
      baseInstanceName: ctx.name,
      // No node count or type here: older providers force a new group when the description changes.
      description: `gpu-cluster ${ctx.name}: training nodes`,
      versions: [{ name: "default", instanceTemplate: template.selfLinkUnique }],
      targetSize: nodes.count,
      ...(policy && placement === "workload" ? { resourcePolicies: { workloadPolicy: policy.selfLink } } : {}),
      // Replace nodes in place (same names) one at a time, and only when they are recreated anyway. A recreated
      // instance (an update, autohealing, a Spot preemption) keeps its name and gets a new id: the fabric gate tags each
      // run with both check instances' ids so `up` never takes an earlier pair's verdict for this one's (fabric-gate.ts).
      updatePolicy: { type: "OPPORTUNISTIC", minimalAction: "RESTART", replacementMethod: "RECREATE", maxSurgeFixed: 0, maxUnavailableFixed: 1 },
      autoHealingPolicies: { healthCheck: nodeHealth.id, initialDelaySec: VM_HEALTH_GRACE_SECONDS },
      // GPU capacity can take longer than an `up` should wait; nodes join as capacity allows.
      waitForInstances: false,
    },
    // `zone` forces a new group (every node recreated, local SSD scratch lost): a looked-up zone never moves it.
    // The nodes' first boot reads the cluster key and lists the group: both grants exist before any node does.
    { ...opts, ignoreChanges: lookedUpPlacement(pinned, ["zone"]), ...(trust ? { dependsOn: [...(opts.dependsOn ?? []), ...trust.ready] } : {}) },
  );

  const handles: ClusterHandles = {
    nodeGroupId: group.id,
    networkId: network.host.id,
    subnetIds: pulumi.all(network.subnetIds),
    securityGroupId: network.internalFirewall.id,
    storage: storage.handles,
    nodeCounts: migNodeCounts(plan, group.name, { zone }, ctx.parent),
  };
  if (policy) handles.placementGroupName = policy.name;
  const acceptance = gateLines ? gcpGateReadBack(plan, group, ctx.parent) : undefined;
  if (acceptance) handles.acceptance = acceptance;
  return handles;
}
