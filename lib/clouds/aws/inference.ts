/**
 * AWS inference fleet: private replicas across two zones behind an ALB, each running the model server (vLLM in
 * Docker under systemd, weights cached on the instance store), scaled on ALB requests per replica.
 */
import { asgNodeCounts } from "./capacity.js";
import * as pulumi from "@pulumi/pulumi";
import * as autoscaling from "@pulumi/aws/autoscaling";
import * as iam from "@pulumi/aws/iam";
import * as lb from "@pulumi/aws/lb";
import * as ssm from "@pulumi/aws/ssm";
import type { Plan } from "../../planner/types.js";
import { shellQuote } from "../shared/bootstrap.js";
import { DRAIN_SECONDS, MODEL_LOAD_SECONDS, modelServerArgs, modelServerLines, SCALE_WARMUP_SECONDS, splitEnv, type ModelServerCloud } from "../shared/model-server.js";
import { ecrLoginLines } from "./air-gapped-fleet.js";
import { fleetInstanceRefresh } from "./replacement.js";
import type { CompileContext, FleetHandles } from "../types.js";
import { AWS_SCRATCH, DLAMI_INSTANCE_STORE, userDataScript, customAmi } from "./bootstrap.js";
import { NODE_GROUP_TAG, nodeGroupTagValue } from "./cluster-ssh.js";
import { nodeIdentity } from "./iam.js";
import { checkUserDataFits, nodeLaunchTemplate, placeholderMountSources } from "./launch-template.js";
import type { MountSources } from "../shared/storage.js";
import { awsNetwork } from "./network.js";
import { AWS_DEFAULTS, type AwsOptions } from "./options.js";
import { fleetNodeSecurityGroup, loadBalancerSecurityGroup, storageSecurityGroup } from "./security.js";
import { awsStorage } from "./storage.js";
import { awsTags, asgTags } from "./tags.js";
import { awsGpuMetrics } from "./gpu-metrics.js";
import { billedGpuNodeGroup, billedItem } from "../shared/bill.js";


/** The SSM parameter holding one secret env value of the model server (a fixed path: no position, no count). */

export function secretParameterName(fleet: string, key: string): string {
  return `/gpu-cluster/${fleet}/model-server/${key}`;
}

/**
 * The model server's secret env values as SSM SecureStrings (encrypted with the account's aws/ssm key, in Pulumi
 * state as secrets), readable by the nodes' role only; the boot script holds the command that reads them, never the
 * value (user data is readable by anyone with ec2:DescribeInstanceAttribute).
 */
function serverSecrets(plan: Plan, options: AwsOptions, ctx: CompileContext, role: iam.Role, tags: Record<string, string>): ModelServerCloud["secretCommands"] {
  const { secret } = splitEnv(options.modelServer?.env);
  const arns = Object.entries(secret).map(([key, value]) => {
    const parameter = new ssm.Parameter(`${ctx.name}-env-${key}`, { name: secretParameterName(ctx.name, key), type: "SecureString", value: pulumi.secret(value), description: `gpu-cluster ${ctx.name}: model server ${key}`, tags }, { parent: ctx.parent });
    return parameter.arn;
  });
  if (arns.length > 0) {
    new iam.RolePolicy(
      `${ctx.name}-node-secrets`,
      { role: role.id, policy: pulumi.all(arns).apply((resources) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "ssm:GetParameter", Resource: resources }] })) },
      { parent: ctx.parent },
    );
  }
  return serverSecretCommands(plan, options, ctx);
}

/** The commands that read the model server's secret env values on a node (from their fixed parameter names). */
function serverSecretCommands(plan: Plan, options: AwsOptions, ctx: CompileContext): ModelServerCloud["secretCommands"] {
  const { secret } = splitEnv(options.modelServer?.env);
  return Object.fromEntries(
    Object.keys(secret).map((key) => [key, `aws ssm get-parameter --region ${plan.region} --with-decryption --name ${shellQuote(secretParameterName(ctx.name, key))} --query Parameter.Value --output text`]),
  );
}

/** The model server's boot lines; `secretCommands` from `serverSecrets` (or `serverSecretCommands`, the same text). */
function serverLines(plan: Plan, options: AwsOptions, secretCommands: ModelServerCloud["secretCommands"]): string[] {
  return modelServerLines(plan, options.modelServer, {
    // The DLAMI's own instance-store array, else the one the boot script built at /scratch (another AMI).
    localDisk: [`if mountpoint -q ${DLAMI_INSTANCE_STORE}; then cache_dir=${DLAMI_INSTANCE_STORE}/model-cache; elif mountpoint -q ${AWS_SCRATCH}; then cache_dir=${AWS_SCRATCH}/model-cache; fi`],
    secretCommands,
    beforeRun: ecrLoginLines(modelServerArgs(plan, options.modelServer).image, plan.region),
  });
}

export function compileAwsInference(plan: Plan, options: AwsOptions = {}, ctx: CompileContext): FleetHandles {
  const opts = { parent: ctx.parent };
  const service = plan.service!;
  // The group's bounds as billed (lib/clouds/shared/bill.ts billedGpuNodeGroup): one replica per VM (lib/planner/packing.ts), so its nodes at
  // replicas.min and replicas.max. Read before anything is created: a bill that disagrees is an Error.
  const nodes = billedGpuNodeGroup(plan, ctx.bill);
  // The group's own tag (project/stack/component): the nodes' health policy is scoped to it (iam.ts). Checked first.
  const groupTag = { key: NODE_GROUP_TAG, value: nodeGroupTagValue(ctx.name) };
  // The boot script fits EC2's user data limit, checked before anything is created with the mount sources at their longest.
  checkUserDataFits(userDataScript(plan, placeholderMountSources(plan), options.userData, serverLines(plan, options, serverSecretCommands(plan, options, ctx)), customAmi(options)));
  const tags = awsTags(ctx.name, options);
  // The fleet's Application Load Balancer and its scheme, as billed; an internet-facing one stands in public subnets.
  const alb = billedItem(ctx.bill, "load-balancer", "the fleet's Application Load Balancer", (item) => item.product === "alb");
  const internetFacing = alb.scheme === "internet-facing";
  const network = awsNetwork(plan, options, ctx, tags, { publicSubnets: internetFacing });

  const tls = options.certificateArn !== undefined;
  // Internet-facing: the client ranges the spec names (required by options.ts); none admits nobody, never everyone.
  const lbGroup = loadBalancerSecurityGroup(network.vpcId, network.cidrBlocks, internetFacing ? (options.allowedSourceRanges ?? []) : undefined, tls, service.port, ctx, tags);
  const nodeGroup = fleetNodeSecurityGroup(network.vpcId, network.cidrBlocks, lbGroup.id, service.port, ctx, tags);
  // File systems get their own group admitting the nodes (the nodes' group admits only the load balancer).
  const sharedFileSystems = plan.storage.some((s) => s.kind === "nfs" || s.kind === "lustre");
  const storageGroupId = sharedFileSystems ? storageSecurityGroup(network.vpcId, nodeGroup.id, ctx, tags).id : nodeGroup.id;
  const storage = awsStorage(plan, network.privateSubnetIds, storageGroupId, ctx, tags);
  const identity = nodeIdentity(ctx, storage.bucketArns, tags, groupTag);

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
      // A replica leaving the fleet finishes its open generations first.
      deregistrationDelay: DRAIN_SECONDS,
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

  const server = serverLines(plan, options, serverSecrets(plan, options, ctx, identity.role, tags));
  const bootScript = (sources: MountSources) => userDataScript(plan, sources, options.userData, server, customAmi(options));
  const launchTemplate = nodeLaunchTemplate(plan, options, ctx, {
    securityGroupId: nodeGroup.id,
    instanceProfileArn: identity.instanceProfile.arn,
    userData: storage.mountSources.apply(bootScript),
    tags,
  });
  const group = new autoscaling.Group(
    `${ctx.name}-nodes`,
    {
      minSize: nodes.count,
      maxSize: nodes.maxCount,
      // Only the zones that sell the type (the load balancer still spans both subnets).
      vpcZoneIdentifiers: network.nodeSubnetIds,
      launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
      targetGroupArns: [targets.arn],
      healthCheckType: "ELB",
      // Model servers pull the image and load the weights before they answer health checks.
      healthCheckGracePeriod: MODEL_LOAD_SECONDS,
      // A replica still loading carries no requests: leave it out of the metric, or the policy overshoots.
      defaultInstanceWarmup: SCALE_WARMUP_SECONDS,
      // A new launch template version (model, image, AMI, server flags) reaches the running replicas: AWS replaces
      // them in rolling batches, launching each new replica before retiring an old one (never below the desired
      // count, up to twice it) — old-first in a reservation, which has no room for more (./replacement.ts) — and waits
      // out the model load before the next batch. The provider starts a refresh on a launch template change by default.
      // https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-overview.html
      // and https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html (read 2026-11-30).
      instanceRefresh: fleetInstanceRefresh(plan),
      // Spot: a replica that gets a rebalance recommendation is replaced before EC2 reclaims it (new one launched and
      // in service first), instead of the fleet losing it on a two-minute notice.
      // https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-capacity-rebalancing.html (read 2026-11-30).
      ...(plan.pricing === "spot" ? { capacityRebalance: true } : {}),
      waitForCapacityTimeout: "0",
      tags: asgTags({ ...tags, [groupTag.key]: groupTag.value }),
    },
    opts,
  );
  // The nodes' CloudWatch agent, installed on each replica by a State Manager association (gpu-metrics.ts).
  awsGpuMetrics(ctx, { role: identity.role.name, groupTagValue: groupTag.value, group });
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
    // The group starts at its minimum (no desired capacity set), the bill's count.
    nodeCounts: asgNodeCounts(plan, group, ctx.parent, nodes.count),
    endpointUrl: tls ? pulumi.interpolate`https://${balancer.dnsName}` : pulumi.interpolate`http://${balancer.dnsName}`,
  };
}
