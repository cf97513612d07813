/**
 * The launch template every node starts from: the image, IMDSv2 only, an
 * encrypted gp3 root volume, the instance profile, and — for EFA instances —
 * one EFA interface per network card.
 */
import { gzipSync } from "node:zlib";
import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import * as ssm from "@pulumi/aws/ssm";
import type { Plan } from "../../planner/types.js";
import type { CompileContext } from "../types.js";
import { AWS_DEFAULTS, DEFAULT_AMI_SSM_PARAMETER, type AwsOptions } from "./options.js";

/** One network interface of the launch template (the fields we set). */
export interface NodeInterface {
  networkCardIndex: number;
  deviceIndex: number;
  interfaceType?: "efa" | "efa-only";
  securityGroups: pulumi.Input<string>[];
  deleteOnTermination: "true";
  associatePublicIpAddress: "false";
}

/**
 * The node's interfaces. With EFA: one per network card, the primary (card 0,
 * device 0) an EFA with its ENA, every other card device 1 as `efa-only` where
 * the instance accepts it (no IP address used) or as `efa` otherwise. Without a
 * fabric: one ordinary interface.
 */
export function nodeInterfaces(plan: Plan, securityGroupId: pulumi.Input<string>): NodeInterface[] {
  const base = { securityGroups: [securityGroupId], deleteOnTermination: "true" as const, associatePublicIpAddress: "false" as const };
  if (plan.fabric.kind !== "efa") return [{ networkCardIndex: 0, deviceIndex: 0, ...base }];
  const extraType = plan.instance.efaOnlyInterfaces ? "efa-only" : "efa";
  return Array.from({ length: plan.fabric.nicsPerNode }, (_, card) => ({
    networkCardIndex: card,
    deviceIndex: card === 0 ? 0 : 1,
    interfaceType: card === 0 ? "efa" : extraType,
    ...base,
  }));
}

/** The AMI: the user's, or the Deep Learning AMI named by the SSM parameter. */
export function nodeImage(options: AwsOptions, ctx: CompileContext): pulumi.Output<string> {
  if (options.amiId !== undefined) return pulumi.output(options.amiId);
  const name = options.amiSsmParameter ?? DEFAULT_AMI_SSM_PARAMETER;
  return ssm.getParameterOutput({ name }, { parent: ctx.parent }).value;
}

/** How the plan's pricing shows in the launch template. */
function marketSettings(plan: Plan): Partial<ec2.LaunchTemplateArgs> {
  const settings: Partial<ec2.LaunchTemplateArgs> = {};
  if (plan.pricing === "spot") settings.instanceMarketOptions = { marketType: "spot" };
  if (plan.pricing === "capacity-block") settings.instanceMarketOptions = { marketType: "capacity-block" };
  if (plan.reservationId !== undefined) {
    settings.capacityReservationSpecification = { capacityReservationTarget: { capacityReservationId: plan.reservationId } };
  }
  return settings;
}

export interface LaunchTemplateInputs {
  securityGroupId: pulumi.Input<string>;
  instanceProfileArn: pulumi.Input<string>;
  userData: pulumi.Input<string>;
  tags: Record<string, string>;
}

export function nodeLaunchTemplate(plan: Plan, options: AwsOptions, ctx: CompileContext, inputs: LaunchTemplateInputs): ec2.LaunchTemplate {
  const rootVolume = {
    deviceName: "/dev/sda1",
    ebs: { volumeSize: options.rootVolumeGiB ?? AWS_DEFAULTS.rootVolumeGiB, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
  };
  // `block` storage: one encrypted gp3 volume per node, device names /dev/sdf, /dev/sdg, ...
  const dataVolumes = plan.storage
    .filter((s) => s.kind === "block")
    .map((s, i) => ({
      deviceName: `/dev/sd${String.fromCharCode("f".charCodeAt(0) + i)}`,
      ebs: { volumeSize: s.capacityGiB, volumeType: s.tier === "gp3" ? "gp3" : s.tier, encrypted: "true", deleteOnTermination: "true" },
    }));
  return new ec2.LaunchTemplate(
    `${ctx.name}-lt`,
    {
      imageId: nodeImage(options, ctx),
      instanceType: plan.instanceType,
      iamInstanceProfile: { arn: inputs.instanceProfileArn },
      // IMDSv2. Training: hop limit 2, so a job's containers (Docker, enroot) reach the node role for its buckets.
      // Fleets: 1, because the model server's launcher reads its secrets on the host, and the vLLM container must
      // not be able to take the node role (bucket and secret access) from the metadata service.
      metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: plan.workload === "inference" ? 1 : 2 },
      networkInterfaces: nodeInterfaces(plan, inputs.securityGroupId),
      blockDeviceMappings: [rootVolume, ...dataVolumes],
      userData: pulumi.output(inputs.userData).apply(encodeUserData),
      monitoring: { enabled: true },
      ...marketSettings(plan),
      tagSpecifications: [
        { resourceType: "instance", tags: inputs.tags },
        { resourceType: "volume", tags: inputs.tags },
      ],
      tags: inputs.tags,
      updateDefaultVersion: true,
    },
    { parent: ctx.parent },
  );
}

/** EC2's limit on user data, in raw form before base64 (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/user-data.html, read 2026-11-30). */
export const USER_DATA_LIMIT_BYTES = 16 * 1024;

/**
 * The launch template's user data: the script base64-encoded as it is, or, when it is over EC2's 16 KB, gzip-compressed
 * first, which cloud-init recognises by its magic bytes and decompresses before running it
 * (https://cloudinit.readthedocs.io/en/latest/explanation/format.html, "Gzip compressed content", read 2026-11-30).
 * Only above the limit: a plain script stays readable in the console, and compressed bytes could differ between zlib
 * versions (a new launch template version on `up` from another machine). Still over the limit compressed: an error
 * naming the size and the way out, rather than EC2's refusal at create.
 */
export function encodeUserData(script: string): string {
  const raw = Buffer.from(script, "utf8");
  if (raw.length <= USER_DATA_LIMIT_BYTES) return raw.toString("base64");
  const packed = gzipSync(raw, { level: 9 });
  if (packed.length > USER_DATA_LIMIT_BYTES) {
    throw new Error(
      `aws.userData: the nodes' user data is ${raw.length} bytes (${packed.length} gzip-compressed), over EC2's ${USER_DATA_LIMIT_BYTES}-byte limit; ` +
        "keep your script in S3 (or SSM) and fetch it from aws.userData",
    );
  }
  return packed.toString("base64");
}
