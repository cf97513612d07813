/**
 * The launch template every node starts from: the image, IMDSv2 only, an
 * encrypted gp3 root volume, the instance profile, and — for EFA instances —
 * one EFA interface per EFA-capable network card (`interfaceLayout`).
 */
import { gzipSync } from "node:zlib";
import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import * as ssm from "@pulumi/aws/ssm";
import type { Plan } from "../../planner/types.js";
import type { CompileContext } from "../types.js";
import { SpecError } from "../../spec/errors.js";
import type { MountSources } from "../shared/storage.js";
import { DEFAULT_AMI_SSM_PARAMETER, type AwsOptions } from "./options.js";
import { interfaceLayout, type InterfaceSlot } from "./interface-layout.js";
import { billedEntry, billedGpuNodeGroup, billedNodeDisk } from "../shared/bill.js";
import type { BomItem } from "../../cost/bom/types.js";

export { interfaceLayout, type InterfaceSlot } from "./interface-layout.js";

/** One network interface of the launch template (the fields we set). */
export interface NodeInterface extends InterfaceSlot {
  securityGroups: pulumi.Input<string>[];
  deleteOnTermination: "true";
  associatePublicIpAddress: "false";
}

/** The node's interfaces (`interfaceLayout`), private, in the given security group, deleted with the instance. */
export function nodeInterfaces(plan: Plan, securityGroupId: pulumi.Input<string>): NodeInterface[] {
  const base = { securityGroups: [securityGroupId], deleteOnTermination: "true" as const, associatePublicIpAddress: "false" as const };
  return interfaceLayout(plan).map((slot) => ({ ...slot, ...base }));
}

/** Whether the AMI is read from an SSM parameter (the default Deep Learning AMI, or `aws.amiSsmParameter`) rather than given. */
export function followsImageParameter(options: Pick<AwsOptions, "amiId">): boolean {
  return options.amiId === undefined;
}

/** The AMI: the user's, or the Deep Learning AMI named by the SSM parameter. */
export function nodeImage(options: AwsOptions, ctx: CompileContext): pulumi.Output<string> {
  if (options.amiId !== undefined) return pulumi.output(options.amiId);
  const name = options.amiSsmParameter ?? DEFAULT_AMI_SSM_PARAMETER;
  return ssm.getParameterOutput({ name }, { parent: ctx.parent }).value;
}

/**
 * The root device of the Deep Learning AMI (Ubuntu 22.04) the nodes boot by default: `/dev/sda1`, as Ubuntu's EC2
 * images register it (the mapping this library has always used for it).
 */
export const DLAMI_ROOT_DEVICE = "/dev/sda1";

/**
 * The device name the root volume's mapping must carry: the image's own root device name (EC2 DescribeImages
 * `RootDeviceName`). A mapping under another name is an extra, blank volume, and the root keeps the image's size
 * (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/block-device-mapping-concepts.html; ParallelCluster reads it
 * from the image for every queue: aws/aws-parallelcluster@451cc53 cli/src/pcluster/templates/queues_stack.py). The
 * default image's is known; the user's (`aws.amiId` / `aws.amiSsmParameter`: Amazon Linux and RHEL images use
 * /dev/xvda) is read from EC2 at preview (review session 28, F8).
 */
export function rootDeviceName(options: AwsOptions, image: pulumi.Output<string>, ctx: CompileContext): pulumi.Input<string> {
  if (options.amiId === undefined && options.amiSsmParameter === undefined) return DLAMI_ROOT_DEVICE;
  return image.apply((id) => ec2.getAmiOutput({ filters: [{ name: "image-id", values: [id] }], includeDeprecated: true }, { parent: ctx.parent }).rootDeviceName);
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

/**
 * The GPU nodes' root volume (VM and EKS launch templates), from the bill's `gpu` node-disk item: its size and type. The
 * bill carries it at zero nodes too (count 0), so a fleet at `replicas.min: 0` shapes the disk each scale-up starts
 * from the same item.
 */
export function gpuRootVolume(bill: readonly BomItem[]): { volumeSize: number; volumeType: string } {
  const disk = billedNodeDisk(bill, "gpu", "the GPU nodes' root volumes");
  return { volumeSize: disk.sizeGiB, volumeType: disk.diskType };
}

export interface LaunchTemplateInputs {
  securityGroupId: pulumi.Input<string>;
  instanceProfileArn: pulumi.Input<string>;
  userData: pulumi.Input<string>;
  tags: Record<string, string>;
}

export function nodeLaunchTemplate(plan: Plan, options: AwsOptions, ctx: CompileContext, inputs: LaunchTemplateInputs): ec2.LaunchTemplate {
  // The instance type as billed (lib/clouds/shared/bill.ts billedGpuNodeGroup: the plan's, or an Error).
  const { instanceType } = billedGpuNodeGroup(plan, ctx.bill);
  const imageId = nodeImage(options, ctx);
  const rootVolume = {
    deviceName: rootDeviceName(options, imageId, ctx),
    ebs: { ...gpuRootVolume(ctx.bill), encrypted: "true", deleteOnTermination: "true" },
  };
  // `block` storage, each entry a bill item (billedEntry): one encrypted gp3 volume per node, device names /dev/sdf,
  // /dev/sdg, ...
  const dataVolumes = plan.storage
    .filter((s) => s.kind === "block")
    .map((s, i) => {
      billedEntry(ctx.bill, s);
      return {
        deviceName: `/dev/sd${String.fromCharCode("f".charCodeAt(0) + i)}`,
        ebs: { volumeSize: s.capacityGiB, volumeType: s.tier === "gp3" ? "gp3" : s.tier, encrypted: "true", deleteOnTermination: "true" },
      };
    });
  return new ec2.LaunchTemplate(
    `${ctx.name}-lt`,
    {
      imageId,
      instanceType,
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
    // An image named by an SSM parameter (the Deep Learning AMI's "latest", or aws.amiSsmParameter) is resolved once,
    // when the template is created, and kept: otherwise every `up` after a new image release writes a new template
    // version, which rolls a fleet (its instance refresh starts on any template change) and leaves a training group
    // with nodes of two images (review session 28, F11). `aws.amiId` is followed as given. The plan note says how to move.
    { parent: ctx.parent, ...(followsImageParameter(options) ? { ignoreChanges: ["imageId"] } : {}) },
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
 * naming the size and the way out, rather than EC2's refusal at create. The compilers refuse such a script earlier, at
 * construction (`checkUserDataFits`, with the values known only during `up` at their longest): this is the backstop.
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

/**
 * A stand-in `length` characters long for a value known only during `up` (a file system's DNS name, a secret's ARN):
 * base-36 letters from a fixed pseudo-random sequence, which gzip cannot shrink the way it shrinks a real DNS name or
 * ARN, so a script built with them compresses no better than the real one.
 */
export function placeholder(length: number, seed = 1): string {
  let x = seed >>> 0 || 1;
  let out = "";
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out += ((x >>> 16) % 36).toString(36);
  }
  return out;
}

/**
 * The longest a mount source gets, with room to spare: an FSx for Lustre source `<dns name>@tcp:/<mount name>` is
 * `fs-` + 17 hex digits + `.fsx.<region>.amazonaws.com` (region names are at most 14 characters) + `@tcp:/` + an
 * 8-character mount name, under 80 characters; an EFS DNS name is shorter.
 */
export const MOUNT_SOURCE_BOUND = 128;
/**
 * The longest the cluster key's secret ARN gets for a component named `name`: `arn:aws-us-gov:secretsmanager:` (30) +
 * a region of at most 14 characters and `:` + a 12-digit account and `:` + `secret:` (65 in all), then Pulumi's
 * auto-name `<name>-ssh-key-` + 7 characters, then AWS's `-` + 6 characters: 88 + the name; 96 for room.
 */
export function secretArnBound(name: string): number {
  return 96 + name.length;
}

/** Stand-ins for the plan's mount sources (`placeholder`), one per storage entry, as long as MOUNT_SOURCE_BOUND. */
export function placeholderMountSources(plan: Plan): MountSources {
  return Object.fromEntries(plan.storage.map((s, i) => [s.name, placeholder(MOUNT_SOURCE_BOUND, i + 2)]));
}

/**
 * Refuses, before anything is created, a boot script that cannot fit EC2's user data limit even compressed. `worstCase`:
 * the script built with the values known only during `up` replaced by `placeholder`s at their longest, so the real
 * script, which `encodeUserData` encodes once those values resolve, is no bigger. What overflows is the user's own
 * `aws.userData`: the library's part is about 5 KB compressed (test/boot-script-limits.test.ts).
 */
export function checkUserDataFits(worstCase: string): void {
  const raw = Buffer.byteLength(worstCase, "utf8");
  if (raw <= USER_DATA_LIMIT_BYTES) return;
  const packed = gzipSync(Buffer.from(worstCase, "utf8"), { level: 9 }).length;
  if (packed <= USER_DATA_LIMIT_BYTES) return;
  throw new SpecError(
    "aws.userData",
    `the nodes' boot script with your user data would be about ${raw} bytes (${packed} gzip-compressed), over EC2's ${USER_DATA_LIMIT_BYTES}-byte user data limit`,
    "keep your script in S3 (or SSM Parameter Store) and make aws.userData the few lines that fetch and run it",
  );
}
