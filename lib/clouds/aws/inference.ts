/** AWS inference fleet: private replicas across two zones behind an ALB, scaled on requests per replica. */
import * as pulumi from "@pulumi/pulumi";
import * as autoscaling from "@pulumi/aws/autoscaling";
import * as lb from "@pulumi/aws/lb";
import type { Plan } from "../../planner/types.js";
import type { CompileContext, FleetHandles } from "../types.js";
import { userDataScript } from "./bootstrap.js";
import { nodeIdentity } from "./iam.js";
import { nodeLaunchTemplate } from "./launch-template.js";
import { awsNetwork } from "./network.js";
import { AWS_DEFAULTS, type AwsOptions } from "./options.js";
import { fleetNodeSecurityGroup, loadBalancerSecurityGroup, storageSecurityGroup } from "./security.js";
import { awsStorage } from "./storage.js";
import { awsTags, asgTags } from "./tags.js";

export function compileAwsInference(plan: Plan, options: AwsOptions = {}, ctx: CompileContext): FleetHandles {
  const opts = { parent: ctx.parent };
  const service = plan.service!;
  const replicas = plan.replicas!;
  const tags = awsTags(ctx.name, options);
  const network = awsNetwork(plan, options, ctx, tags);
  const internetFacing = service.loadBalancer === "internet-facing";

  const tls = options.certificateArn !== undefined;
  const lbGroup = loadBalancerSecurityGroup(network.vpcId, network.cidrBlock, internetFacing, tls, service.port, ctx, tags);
  const nodeGroup = fleetNodeSecurityGroup(network.vpcId, network.cidrBlock, lbGroup.id, service.port, ctx, tags);
  // File systems get their own group admitting the nodes (the nodes' group admits only the load balancer).
  const sharedFileSystems = plan.storage.some((s) => s.kind === "nfs" || s.kind === "lustre");
  const storageGroupId = sharedFileSystems ? storageSecurityGroup(network.vpcId, nodeGroup.id, ctx, tags).id : nodeGroup.id;
  const storage = awsStorage(plan, network.privateSubnetIds, storageGroupId, ctx, tags);
  const identity = nodeIdentity(ctx, storage.bucketArns, tags);

  const balancer = new lb.LoadBalancer(
    `${ctx.name}-lb`,
    {
      loadBalancerType: "application",
      internal: !internetFacing,
      securityGroups: [lbGroup.id],
      subnets: internetFacing ? network.publicSubnetIds : network.privateSubnetIds,
      dropInvalidHeaderFields: true,
      // Long generations: keep connections open longer than the 60 s default.
      idleTimeout: 300,
      tags,
    },
    opts,
  );
  const targets = new lb.TargetGroup(
    `${ctx.name}-tg`,
    {
      vpcId: network.vpcId,
      port: service.port,
      protocol: "HTTP",
      targetType: "instance",
      deregistrationDelay: 30,
      healthCheck: { path: service.healthCheckPath, port: String(service.port), protocol: "HTTP", matcher: "200", interval: 15, healthyThreshold: 2, unhealthyThreshold: 3 },
      tags,
    },
    opts,
  );
  if (tls) {
    new lb.Listener(
      `${ctx.name}-https`,
      {
        loadBalancerArn: balancer.arn,
        port: 443,
        protocol: "HTTPS",
        certificateArn: options.certificateArn,
        sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
        defaultActions: [{ type: "forward", targetGroupArn: targets.arn }],
      },
      opts,
    );
    new lb.Listener(
      `${ctx.name}-http`,
      { loadBalancerArn: balancer.arn, port: 80, protocol: "HTTP", defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }] },
      opts,
    );
  } else {
    new lb.Listener(`${ctx.name}-http`, { loadBalancerArn: balancer.arn, port: 80, protocol: "HTTP", defaultActions: [{ type: "forward", targetGroupArn: targets.arn }] }, opts);
  }

  const launchTemplate = nodeLaunchTemplate(plan, options, ctx, {
    securityGroupId: nodeGroup.id,
    instanceProfileArn: identity.instanceProfile.arn,
    userData: storage.mountSources.apply((sources) => userDataScript(plan, sources, options.userData)),
    tags,
  });
  const group = new autoscaling.Group(
    `${ctx.name}-nodes`,
    {
      minSize: replicas.min,
      maxSize: replicas.max,
      // Only the zones that sell the type (the load balancer still spans both subnets).
      vpcZoneIdentifiers: network.nodeSubnetIds,
      launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
      targetGroupArns: [targets.arn],
      healthCheckType: "ELB",
      // Model servers load weights before they answer health checks.
      healthCheckGracePeriod: 900,
      waitForCapacityTimeout: "0",
      tags: asgTags(tags),
    },
    opts,
  );
  new autoscaling.Policy(
    `${ctx.name}-scale`,
    {
      autoscalingGroupName: group.name,
      policyType: "TargetTrackingScaling",
      targetTrackingConfiguration: {
        predefinedMetricSpecification: {
          predefinedMetricType: "ALBRequestCountPerTarget",
          resourceLabel: pulumi.interpolate`${balancer.arnSuffix}/${targets.arnSuffix}`,
        },
        targetValue: options.targetRequestsPerReplica ?? AWS_DEFAULTS.targetRequestsPerReplica,
      },
    },
    opts,
  );

  return {
    nodeGroupId: group.name,
    networkId: network.vpcId,
    subnetIds: pulumi.all(network.privateSubnetIds),
    securityGroupId: nodeGroup.id,
    storage: storage.handles,
    endpointUrl: tls ? pulumi.interpolate`https://${balancer.dnsName}` : pulumi.interpolate`http://${balancer.dnsName}`,
  };
}
