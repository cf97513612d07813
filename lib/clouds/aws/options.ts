/** AWS-only knobs of the components, and their synchronous checks. */
import type * as pulumi from "@pulumi/pulumi";
import type { Plan } from "../../planner/types.js";
import { fleetNodes } from "../../planner/packing.js";
import { SpecError } from "../../spec/errors.js";
import { checkModelServerOptions, MODEL_SERVER_FIELDS, type ModelServerOptions } from "../shared/model-server.js";
import { checkOptionBag, field, type FieldKinds } from "../shared/option-fields.js";
import { addressFit } from "./address-space.js";
import { checkAirGappedFleet } from "./air-gapped-fleet.js";
import { reservedFleetNote } from "./replacement.js";
import { awsWhatToTry } from "./capacity-advice.js";
import { blockPhasesText, CAPACITY_BLOCK_CHECK_FIX, CAPACITY_BLOCK_CHECK_INSTEAD, capacityBlockDefersCheck } from "./capacity-block-rules.js";
import { checkEksOptions, EKS_OPTION_FIELDS, type EksOptions } from "./eks/options.js";
import { EFS_BACKUP_RETENTION_DAYS, LUSTRE_BACKUP_RETENTION_DAYS, S3_NONCURRENT_VERSION_DAYS, hasLustreBackups, lustreDeployment, lustreEditNote } from "./storage-rules.js";
import { checkPlacementGroupName } from "./placement.js";
import { fabricGate } from "../shared/fabric-gate.js";
import { checkGpuMetricsOption, gpuMetricsOffNote, gpuMetricsOn } from "../shared/gpu-metrics.js";

/** The SSM parameter of the AWS Deep Learning Base OSS Nvidia Driver GPU AMI (Ubuntu 22.04): EFA installer, NCCL and the aws-ofi-nccl plugin preinstalled. */
export const DEFAULT_AMI_SSM_PARAMETER =
  "/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id";

export interface AwsOptions {
  /** Bring your own VPC: its id. Default: the component creates a VPC with private subnets. */
  vpcId?: pulumi.Input<string>;
  /**
   * With `vpcId`: private subnets for the nodes. Training uses the first one only (EFA needs
   * every node in one subnet and AZ); inference spreads across all of them.
   */
  subnetIds?: pulumi.Input<string>[];
  /** With `vpcId` and an internet-facing fleet: public subnets for the load balancer. */
  publicSubnetIds?: pulumi.Input<string>[];
  /** CIDR of the VPC the component creates. Default `10.0.0.0/16`. */
  vpcCidr?: string;
  /** AMI for the nodes. Default: looked up from `amiSsmParameter`. */
  amiId?: pulumi.Input<string>;
  /** SSM parameter holding the AMI id. Default: the Deep Learning Base OSS Nvidia Driver GPU AMI (Ubuntu 22.04). */
  amiSsmParameter?: string;
  /** Root volume size, GiB (gp3, encrypted). Default 200. */
  rootVolumeGiB?: number;
  /** Shell appended to the node bootstrap (after the fabric environment is written). Default none. */
  userData?: string;
  /**
   * Inference: an ACM certificate ARN for an HTTPS listener (TLS 1.2+; port 80 then only redirects).
   * Required for an internet-facing fleet; optional for an internal one. Default none.
   */
  certificateArn?: pulumi.Input<string>;
  /**
   * Inference on VMs, internet-facing: required, the IPv4 CIDRs the load balancer admits on 80 and 443 (the model
   * server has no auth of its own), e.g. `['203.0.113.0/24']`; `['0.0.0.0/0']` opens it to everyone, on purpose only.
   * No default. An internal fleet admits its VPC; on EKS the clients are `aws.eks.loadBalancerSourceRanges`.
   */
  allowedSourceRanges?: string[];
  /**
   * Inference on VMs: ALB requests per replica per minute the autoscaler aims for (target tracking on
   * ALBRequestCountPerTarget, whose target is "the optimal average request ... count per instance during any
   * one-minute interval": EC2 Auto Scaling TargetTrackingConfiguration.TargetValue). Default 60 a minute, the GCP VM
   * fleet's default of 1 request a second per replica.
   */
  targetRequestsPerReplica?: number;
  /**
   * Inference: the model server each replica runs (vLLM in Docker under systemd; image, model, args, env). Default
   * `vllm/vllm-openai:v0.11.0` serving `Qwen/Qwen3-8B` on the fleet's port. An `env` value given as a Pulumi secret
   * is stored as an SSM Parameter Store SecureString the nodes read at each start, never in user data.
   */
  modelServer?: ModelServerOptions;
  /**
   * Training with an On-Demand Capacity Reservation (`reservationId`, pricing other than `capacity-block`): the name of
   * the existing cluster placement group the reservation was created in. The nodes launch into that group and the
   * reservation together, as EC2 requires for a reservation made in a cluster placement group
   * (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/cr-cpg.html and capacity-reservations-launch.html, read
   * 2026-12-01). Default: none for an ODCR, since a group the component created would clash with the reservation (the
   * plan notes that placement is then not guaranteed). Not for other pricing: on-demand and spot clusters get a cluster
   * placement group the component creates, and a capacity block's instances are co-located already.
   */
  placementGroupName?: pulumi.Input<string>;
  /** Tags added to every resource. Default none (the component always adds `gpu-cluster:name`). */
  tags?: Record<string, string>;
  /**
   * `pricing: "capacity-block"`: also ask EC2 for a live offering of the same block at preview and publish which price
   * was used (the `capacityBlockPricing` output; needs ec2:DescribeCapacityBlockOfferings). Default false: when EC2
   * has zero or several offerings for the window (usual for a block already bought), the AWS provider logs the data
   * source's failure as an error diagnostic before the component catches it, and a price quote must never put an
   * error line into a preview that is otherwise clean. Turn it on to compare the catalog's rate with today's quote.
   */
  liveCapacityBlockPrice?: boolean;
  /**
   * Training VMs: the fabric gate, a two-node NCCL all-reduce on the group's two oldest nodes once the whole group runs
   * (a State Manager association, in AWS's PyTorch training container), whose verdict `pulumi up` waits for (up to
   * 3 hours) and fails on below the instance type's floor (lib/fabric/floors.ts), with the figure, the floor and the
   * likely causes; the figure is the `ncclBusBandwidthGBps` output. Default: on for a training cluster of 2 or more
   * nodes of a type with a floor, except with a capacity block (its group is empty at `up`) or without a NAT gateway
   * (the image comes from public ECR); `false` skips it.
   */
  acceptanceTest?: boolean;
  /**
   * VM clusters: GPU metrics in CloudWatch. Each node runs the CloudWatch agent (1.300072.0, signature-checked; installed
   * at boot by a State Manager association unless the image has it) with its `nvidia_gpu` section: utilization, memory
   * used and total, temperature and power of every GPU, every 60 s, in the namespace
   * `gpu-cluster/<project>/<stack>/<component>`, which is all the node role may write (`cloudwatch:PutMetricData` with a
   * `cloudwatch:namespace` condition). CloudWatch bills each series as a custom metric (the estimate names the count).
   * Default: on, except without a NAT gateway (the nodes fetch the agent from S3 and write to CloudWatch's public
   * endpoint); `false` leaves the association and the grant out. Not for EKS (its GPU metrics are DCGM's, in Amazon
   * Managed Service for Prometheus).
   */
  gpuMetrics?: boolean;
  /**
   * `orchestrator: "kubernetes"` only: the EKS cluster (new, or an existing one by name), the in-cluster provider,
   * Kueue, and the workload's image, command and environment. Default: a new private cluster, no Kueue,
   * the NCCL tests image for training and vLLM for inference.
   */
  eks?: EksOptions;
}

export const AWS_DEFAULTS = {
  vpcCidr: "10.0.0.0/16",
  // Requests per replica per minute: one a second, as the GCP VM fleet's default (review session 28, F14: the former
  // 10 a minute held each replica at one request every six seconds, running a fleet at its maximum at modest traffic).
  targetRequestsPerReplica: 60,
};

/** Every option and its type: a typo or a wrong type in an option bag is a SpecError, not a silently ignored setting or a crash. */
export const AWS_OPTION_FIELDS = {
  vpcId: field.input,
  subnetIds: field.inputList,
  publicSubnetIds: field.inputList,
  vpcCidr: field.string,
  amiId: field.input,
  amiSsmParameter: field.string,
  rootVolumeGiB: field.number,
  userData: field.string,
  targetRequestsPerReplica: field.number,
  tags: field.stringMap,
  liveCapacityBlockPrice: field.boolean,
  placementGroupName: field.input,
  acceptanceTest: field.boolean,
  gpuMetrics: field.boolean,
  certificateArn: field.input,
  allowedSourceRanges: field.stringList,
  modelServer: field.bag(MODEL_SERVER_FIELDS),
  eks: field.bag(EKS_OPTION_FIELDS),
} as const satisfies FieldKinds<AwsOptions>;

/** Checks that need the plan and the AWS options together (throws SpecError); returns the notes they add to the plan. */
export function checkAwsOptions(plan: Readonly<Plan>, options: AwsOptions | undefined): string[] {
  checkOptionBag(options, "aws", AWS_OPTION_FIELDS);
  const o = options ?? {};
  checkEksOptions(plan, o.eks, o);
  checkModelServerOptions(plan, o.modelServer, "aws.modelServer");
  checkAirGappedFleet(plan, o.modelServer);
  if (plan.orchestrator === "kubernetes") {
    for (const key of ["amiId", "amiSsmParameter", "userData", "targetRequestsPerReplica"] as const) {
      if (o[key] !== undefined) throw new SpecError(`aws.${key}`, "applies to orchestrator 'vm' only", "EKS nodes run the EKS-optimized accelerated AMI and the fleet scales with its HorizontalPodAutoscaler; remove it");
    }
  }
  const gateNotes = checkAcceptanceTest(plan, o);
  if (o.vpcId !== undefined && (o.subnetIds === undefined || o.subnetIds.length === 0)) {
    throw new SpecError("aws.subnetIds", "a bring-your-own VPC needs the private subnets to use", "pass aws.subnetIds, e.g. [privateSubnet.id]");
  }
  if (o.vpcId === undefined && (o.subnetIds !== undefined || o.publicSubnetIds !== undefined)) {
    throw new SpecError("aws.vpcId", "subnets were given without their VPC", "pass aws.vpcId too, or drop the subnets and let the component create the network");
  }
  if (plan.service?.loadBalancer === "internet-facing" && o.certificateArn === undefined) {
    throw new SpecError(
      "aws.certificateArn",
      "an internet-facing fleet serves HTTPS only, and needs its certificate",
      "pass an ACM certificate ARN (arn:aws:acm:...), or use loadBalancer: 'internal'",
    );
  }
  checkAllowedSourceRanges(plan, o);
  if (o.vpcId !== undefined && plan.workload === "inference" && (o.subnetIds?.length ?? 0) < 2) {
    throw new SpecError("aws.subnetIds", "an inference fleet's load balancer needs private subnets in at least two zones", "pass two or more private subnets in different availability zones");
  }
  if (o.vpcId !== undefined && plan.service?.loadBalancer === "internet-facing" && (o.publicSubnetIds?.length ?? 0) < 2) {
    throw new SpecError("aws.publicSubnetIds", "an internet-facing load balancer in your VPC needs public subnets in at least two zones", "pass two or more aws.publicSubnetIds, or use loadBalancer: 'internal'");
  }
  if (o.vpcCidr !== undefined && !/^\d{1,3}(\.\d{1,3}){3}\/(1[6-9]|20)$/.test(o.vpcCidr)) {
    throw new SpecError("aws.vpcCidr", `'${o.vpcCidr}' is not an IPv4 CIDR between /16 and /20`, "e.g. '10.0.0.0/16'");
  }
  if (o.vpcId === undefined) checkAddressSpace(plan, o.vpcCidr ?? AWS_DEFAULTS.vpcCidr);
  if (o.rootVolumeGiB !== undefined && !(Number.isInteger(o.rootVolumeGiB) && o.rootVolumeGiB >= 50 && o.rootVolumeGiB <= 16384)) {
    throw new SpecError("aws.rootVolumeGiB", `${o.rootVolumeGiB} is not a whole number of GiB from 50 to 16384`, "the Deep Learning AMI needs at least 50 GiB; e.g. 200");
  }
  if (o.targetRequestsPerReplica !== undefined && !(o.targetRequestsPerReplica > 0)) {
    throw new SpecError("aws.targetRequestsPerReplica", "must be greater than 0", "requests per replica per minute, e.g. 60");
  }
  const notes: string[] = [...gateNotes, ...checkPlacementGroupName(plan, o), ...checkGpuMetricsOption(plan, o.gpuMetrics, "aws.gpuMetrics", "the CloudWatch agent (from S3)")];
  if (gpuMetricsOn(plan, o.gpuMetrics)) {
    notes.push(gpuMetricsOffNote("aws.gpuMetrics", "`sudo /opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a stop` on each node (or an instance refresh of the group)"));
  }
  if (plan.orchestrator === "vm") notes.push(capacityNote(plan));
  if (plan.workload === "inference" && plan.zone !== undefined) notes.push(oneZoneFleetNote(plan));
  for (const s of plan.storage) {
    // The VM nodes build the EFS client from GitHub and Ubuntu's archive at first boot (bootstrap.ts EFS_UTILS); your
    // own AMI may carry it already (the build is then skipped).
    const ownAmi = o.amiId !== undefined || o.amiSsmParameter !== undefined;
    if (s.kind === "nfs" && plan.orchestrator === "vm" && !plan.egress.natGateway && !ownAmi) {
      throw new SpecError(
        "egress.natGateway",
        `is false, and storage '${s.name}' (EFS) on VM nodes needs the EFS client (amazon-efs-utils), which the nodes build at first boot from GitHub and Ubuntu's archive`,
        "keep the NAT gateway (egress.natGateway: true), boot your own AMI with amazon-efs-utils installed (aws.amiId), or use lustre storage",
      );
    }
    const note =
      `storage '${s.name}': FSx keeps ${LUSTRE_BACKUP_RETENTION_DAYS} days of daily backups and takes a final backup on deletion ` +
      "(storage[].deletionProtection); backup storage is billed per GiB of data backed up, which the estimate cannot know and leaves out";
    if (s.kind === "lustre" && hasLustreBackups(lustreDeployment(s.tier).deploymentType, s)) notes.push(note);
    // EFA-enabled FSx is opt-in (storage-rules.ts lustreFabric): FSx cannot turn it on or off later, so a default that
    // followed the instance type would replace the file system when the type changes.
    if (s.kind === "lustre" && !s.efa && plan.fabric.kind === "efa" && lustreDeployment(s.tier).deploymentType === "PERSISTENT_2") {
      notes.push(`storage '${s.name}': the nodes reach FSx over TCP (up to 100 Gbps per node); storage[].efa: true makes an EFA-enabled file system (up to 700 Gbps per node, larger capacity steps), set only when the file system is created`);
    }
    // Edits FSx cannot make in place (a new file system or a refused update): named on every Lustre entry (storage-rules.ts).
    const edits = lustreEditNote(s);
    if (edits) notes.push(edits);
    // EKS: a GPU node whose LNet gets no EFA interface never starts its kubelet (eks/lustre-efa.ts); say where that shows.
    if (s.kind === "lustre" && s.efa && plan.orchestrator === "kubernetes") {
      notes.push(`storage '${s.name}': each GPU node puts LNet on EFA before its kubelet starts; a node where that fails never joins the cluster (the node group reports it), and its console names the failed step (aws ec2 get-console-output)`);
    }
    // The other guards' storage is billed per GB-month of data nobody can know at plan time: say so, priced nowhere.
    if (s.kind === "nfs" && s.deletionProtection) {
      notes.push(
        `storage '${s.name}': AWS Backup keeps daily backups of the EFS file system for ${EFS_BACKUP_RETENTION_DAYS} days (storage[].deletionProtection); ` +
          "backup storage is billed per GB-month of data backed up, which the estimate cannot know and leaves out",
      );
    }
    if (s.kind === "object" && s.deletionProtection) {
      notes.push(
        `storage '${s.name}': the bucket is versioned and keeps overwritten or deleted objects for ${S3_NONCURRENT_VERSION_DAYS} days (storage[].deletionProtection); ` +
          "those versions are billed as S3 storage, which the estimate cannot know and leaves out",
      );
    }
  }
  notes.push(...blockStorageNote(plan), ...reservedFleetNote(plan), ...imagePinNote(plan, o), ...trainingRolloutNote(plan));
  return notes;
}

/**
 * VM nodes booting an image named by an SSM parameter keep the one it named when their launch template was created
 * (launch-template.ts: ignoreChanges on imageId; review session 28, F11). Says so, and how to move to a newer one.
 */
function imagePinNote(plan: Readonly<Plan>, o: AwsOptions): string[] {
  if (plan.orchestrator !== "vm" || o.amiId !== undefined) return [];
  const parameter = o.amiSsmParameter ?? DEFAULT_AMI_SSM_PARAMETER;
  return [
    `image: the nodes boot the AMI that SSM parameter ${parameter} named when their launch template was created, and keep it when the parameter moves ` +
      "(so an unrelated `up` replaces no node); to move to a newer image, set aws.amiId to it (`aws ssm get-parameter --name <that parameter>` prints the current one)" +
      (plan.workload === "inference" ? ", which rolls the fleet" : ", which reaches nodes as they are replaced (an instance refresh between jobs replaces them all)"),
  ];
}

/**
 * A VM training group has no instance refresh (training.ts: it would replace nodes under a running job), so a new
 * launch template — another GPU type, aws.userData, an image — reaches a node only when the group next launches one:
 * running nodes stay as they are and the bill shows the new type at once (EC2 Auto Scaling applies a new template
 * version only to instances it launches afterwards; replacing running ones takes an instance refresh:
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-overview.html; review session 28, F12).
 */
function trainingRolloutNote(plan: Readonly<Plan>): string[] {
  if (plan.orchestrator !== "vm" || plan.workload !== "training") return [];
  return [
    "rollout: a change of GPU type, aws.userData or image replaces no running node (the group has no instance refresh, so a job is never cut); " +
      "the old nodes keep running (and billing) until replaced, and nodes launched later get the new template, so a job can span both. " +
      "Between jobs, run `aws autoscaling start-instance-refresh --auto-scaling-group-name <nodeGroupId>` to replace them all",
  ];
}

/**
 * `aws.allowedSourceRanges`: the clients of an internet-facing VM fleet, required as on the other targets (GKE and GCP
 * VMs: gcp.allowedSourceRanges, AKS / Azure VMs, EKS: loadBalancerSourceRanges), since the model server has no auth of
 * its own; refused where it would not apply (review session 28, F7).
 */
function checkAllowedSourceRanges(plan: Readonly<Plan>, o: AwsOptions): void {
  const at = "aws.allowedSourceRanges";
  const ranges = o.allowedSourceRanges;
  if (plan.orchestrator === "kubernetes" || plan.workload !== "inference") {
    if (ranges !== undefined) throw new SpecError(at, "admits the clients of an internet-facing VM fleet's load balancer", plan.orchestrator === "kubernetes" ? "on EKS set aws.eks.loadBalancerSourceRanges" : "remove it");
    return;
  }
  if (plan.service?.loadBalancer !== "internet-facing") {
    if (ranges !== undefined) throw new SpecError(at, "an internal fleet is reachable from its VPC only, through its internal load balancer", "remove it, or use loadBalancer: 'internet-facing' for clients on the internet");
    return;
  }
  if (!ranges?.length) {
    throw new SpecError(at, "an internet-facing fleet needs the client ranges its load balancer admits (the model server has no auth of its own)", "e.g. ['203.0.113.0/24'], or ['0.0.0.0/0'] to open it to everyone on purpose");
  }
  for (const range of ranges) {
    if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(range)) throw new SpecError(at, `'${range}' is not an IPv4 CIDR`, "e.g. '203.0.113.0/24'");
  }
}

/**
 * Block storage on AWS VMs is an EBS volume per instance, in the launch template with DeleteOnTermination, deleted with
 * its instance (lib/spec/validate.ts BLOCK_DIES_WITH_VM refuses deletionProtection on it; review session 28, F2).
 */
function blockStorageNote(plan: Readonly<Plan>): string[] {
  const block = plan.storage.filter((s) => s.kind === "block");
  if (plan.orchestrator !== "vm" || block.length === 0) return [];
  return [
    `block storage (${block.map((s) => s.name).join(", ")}) is one EBS volume per node, deleted with its instance (a health replacement, a scale-in, a spot reclaim, an instance refresh): ` +
      "scratch space, not deletion-protected; keep checkpoints on nfs, lustre or object storage",
  ];
}

/** `aws.acceptanceTest`: where the VM fabric gate can run (throws SpecError); returns a note where it is off by default. */
function checkAcceptanceTest(plan: Readonly<Plan>, o: AwsOptions): string[] {
  const at = "aws.acceptanceTest";
  if (o.acceptanceTest !== undefined && plan.orchestrator === "kubernetes") throw new SpecError(at, "is the VM fabric gate; on EKS the check is a Job", "set aws.eks.acceptanceTest instead");
  if (plan.orchestrator !== "vm" || plan.workload !== "training" || o.acceptanceTest === false) {
    if (o.acceptanceTest === true) throw new SpecError(at, "measures the fabric between two nodes of a training cluster", "use it on a training cluster of 2 or more nodes, or leave it out");
    return [];
  }
  const onBlock = capacityBlockDefersCheck(plan);
  const blocked = onBlock ?? (!plan.egress.natGateway ? "without a NAT gateway the nodes cannot pull the check image from public ECR" : undefined);
  if (o.acceptanceTest === true) {
    if (plan.nodeCount < 2) throw new SpecError(at, `measures the fabric between two nodes, and the plan has ${plan.nodeCount}`, "use 2 or more nodes, or leave it out");
    if (blocked) throw new SpecError(at, blocked, onBlock ? CAPACITY_BLOCK_CHECK_FIX : "leave it out; run the NCCL check yourself once the nodes run (README, Operating the cluster)");
    if (fabricGate(plan, "vm") === undefined) throw new SpecError(at, `has no floor to compare with on ${plan.instanceType} (no fabric, or no published figure)`, "leave it out");
  }
  return blocked && plan.nodeCount >= 2 && fabricGate(plan, "vm") !== undefined ? [`fabric gate: off, ${blocked}${onBlock ? `; ${CAPACITY_BLOCK_CHECK_INSTEAD}` : ""}`] : [];
}

/** The GPU subnet of the VPC the component creates must hold every node's addresses (address-space.ts). */
function checkAddressSpace(plan: Plan, vpcCidr: string): void {
  const prefix = Number(vpcCidr.split("/")[1]);
  const fit = addressFit(plan, prefix);
  if (fit.needed <= fit.usable) return;
  const what = `${fit.nodes} × ${plan.instanceType} at ${fit.perNode} addresses each${plan.orchestrator === "kubernetes" ? " (interfaces and pod addresses, plus the system nodes)" : ""} need ${fit.needed} addresses`;
  if (fit.fittingVpcPrefix !== undefined) {
    throw new SpecError(
      "aws.vpcCidr",
      `${what}, more than the ${fit.usable} usable in the GPU subnet of a /${prefix} VPC`,
      `use a /${fit.fittingVpcPrefix} or larger VPC, e.g. aws.vpcCidr: '10.0.0.0/${fit.fittingVpcPrefix}'`,
    );
  }
  const field = plan.workload === "inference" ? "replicas.max" : "gpu";
  throw new SpecError(
    field,
    `${what}, more than the GPU subnet of the largest VPC AWS allows (/16) holds`,
    `at most ${fit.maxNodes} nodes of ${plan.instanceType} per ${plan.workload === "inference" ? "fleet" : "cluster"} here; split the work, or bring a VPC with larger subnets (aws.vpcId, aws.subnetIds)`,
  );
}

/**
 * The Auto Scaling group does not wait for its instances (`waitForCapacityTimeout: 0`: GPU capacity can take longer
 * than an `up` should block, and a capacity block's nodes cannot start before the block does), so `up` succeeds with
 * fewer nodes than planned when the zone has no capacity. The note says where to look and what to try.
 */
/**
 * A fleet pinned to a zone (on VMs and EKS): its replicas launch only there (lib/clouds/aws/network.ts nodeSubnetIds),
 * while the load balancer keeps its two zones. With a reservation the launch template targets it
 * (capacityReservationTarget), and EC2 launches a targeted instance only into that reservation's free capacity.
 */
function oneZoneFleetNote(plan: Plan): string {
  const reserved =
    plan.reservationId !== undefined
      ? `; the nodes launch only into reservation ${plan.reservationId}, so replicas beyond its free instances (replicas.max ${plan.replicas!.max}) stay unlaunched`
      : "; leave zone out to spread them over every zone of the region that sells the type";
  return `zone: every replica runs in ${plan.zone} (the load balancer spans a second zone), so an outage of that zone stops the fleet${reserved}`;
}

export function capacityNote(plan: Plan): string {
  const plural = plan.zone === undefined && plan.workload === "inference";
  const where = plan.zone !== undefined ? `zone ${plan.zone}` : plural ? `the zones of ${plan.region} that sell ${plan.instanceType} (looked up at deploy)` : `the zone of ${plan.region} that sells ${plan.instanceType} (looked up at deploy)`;
  const count = plan.workload === "inference" ? `${fleetNodes(plan).min}` : `${plan.nodeCount}`;
  const when =
    plan.pricing === "capacity-block"
      ? ` The group's size follows the capacity block, ${blockPhasesText(Number(count))} (scheduled actions move it then; each \`up\` sets the size of the moment).`
      : "";
  return (
    `capacity: \`up\` does not wait for the ${count} × ${plan.instanceType} nodes; it succeeds even when ${where} ${plural ? "have" : "has"} no capacity for them.${when} ` +
    "Check the Auto Scaling group (nodeGroupId output): `aws autoscaling describe-auto-scaling-groups` lists its instances and " +
    `\`aws autoscaling describe-scaling-activities\` shows InsufficientInstanceCapacity; if it stays short, ${awsWhatToTry(plan)}`
  );
}

