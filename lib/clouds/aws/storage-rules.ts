/**
 * How the AWS storage is guarded and deployed (./storage.ts builds it), as plain values: the option checks put the
 * backup and version retention in their notes without loading @pulumi/aws (test/package.test.ts).
 */
import type { StoragePrice } from "../../catalog/types.js";
import type { Plan, StoragePlan } from "../../planner/types.js";
import { SpecError } from "../../spec/errors.js";
import { NITRO_VERSION_BY_FAMILY, nitroVersion } from "./nitro.js";

/** FSx deployment settings from the catalog tier name (`persistent-250` → PERSISTENT_2 at 250 MB/s/TiB). */
export function lustreDeployment(tier: string): { deploymentType: string; perUnitStorageThroughput?: number } {
  const persistent = /^persistent-(\d+)$/.exec(tier);
  if (persistent) return { deploymentType: "PERSISTENT_2", perUnitStorageThroughput: Number(persistent[1]) };
  return { deploymentType: "SCRATCH_2" };
}

/**
 * EFA-enabled FSx for Lustre (`storage[].efa`). From the FSx for Lustre user guide, "Working with EFA-enabled file
 * systems" (https://docs.aws.amazon.com/fsx/latest/LustreGuide/efa-file-systems.html), "Configuring EFA clients"
 * (https://docs.aws.amazon.com/fsx/latest/LustreGuide/configure-efa-clients.html) and "Getting started"
 * (https://docs.aws.amazon.com/fsx/latest/LustreGuide/getting-started.html), read 2026-11-30 through a stored verbatim
 * quotation of those pages (the pages themselves are undated):
 * - EFA is supported on Persistent 2 file systems with a metadata configuration specified (so never on SCRATCH_2);
 * - EFA cannot be turned on or off on an existing file system: a change replaces the file system;
 * - an EFA-enabled Persistent SSD file system grows in steps of 4.8, 9.6, 19.2 and 38.4 TiB at 1000, 500, 250 and
 *   125 MB/s/TiB (FSx counts 1.2 TiB as 1200 GiB, so 4800, 9600, 19200 and 38400 GiB);
 * - clients: Nitro v4 or later instances with EFA (not trn2), running Amazon Linux 2023, RHEL 9.5 or later, or Ubuntu
 *   22.04 or later with kernel 6.8 or later (configure-efa-clients.html, read again 2026-11-30: "EFA is supported on
 *   Lustre clients running the following operating systems: Amazon Linux 2023 (AL2023) ..."), so both node images this
 *   library boots qualify: the Deep Learning AMI (Ubuntu 22.04) on VMs and the EKS AL2023 NVIDIA AMI on EKS. The
 *   Nitro v4 floor is checked per type against the EC2 guide's Nitro version of its family (./nitro.ts): p4d, p4de and
 *   g5 (Nitro v3) are refused, p5 and later allowed (LUSTRE_EFA_MIN_NITRO, lustreEfaClientGap);
 * - the file system's group and the clients' group must admit all traffic to and from each other and the file
 *   system's group all traffic to and from itself, by group id (limit-access-security-groups.html);
 * - at most 1024 EFA connections per file system across all clients, each EFA interface a client configures in LNet
 *   counting as one (configure-efa-clients.html, "Step 3: EFA interfaces", read 2026-11-30).
 * The same limits in @pulumi/aws 7.48.0 fsx.LustreFileSystem `efaEnabled`: "only supported when deploymentType is set
 * to PERSISTENT_2, metadataConfiguration is used, and an EFA-enabled security group is attached".
 */
export const LUSTRE_EFA_CAPACITY_STEP_GIB: Readonly<Record<number, number>> = { 125: 38400, 250: 19200, 500: 9600, 1000: 4800 };

/**
 * FSx for Lustre sizes, GiB, for `storage[].capacityTiB` on AWS. FSx names its SSD sizes in TiB of 1000 GiB: "1.2 TiB"
 * is StorageCapacity 1200 GiB, "2.4 TiB" is 2400 GiB. The valid StorageCapacity values, from the FSx API reference
 * (CreateFileSystem StorageCapacity,
 * https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/fsx/aws.sdk.kotlin.services.fsx.model/-create-file-system-request/storage-capacity.html,
 * read 2026-12-01): "For SCRATCH_2, PERSISTENT_2, and PERSISTENT_1 deployment types using SSD storage type, the valid
 * values are 1200 GiB, 2400 GiB, and increments of 2400 GiB"; an EFA-enabled file system only in its own step
 * (LUSTRE_EFA_CAPACITY_STEP_GIB: multiples of 38400, 19200, 9600, 4800 GiB at 125, 250, 500, 1000 MB/s/TiB, FSx user
 * guide increase-storage-capacity.html, read 2026-12-01). So `capacityTiB` is read on FSx's own scale (1.2 → 1200 GiB,
 * what the user plainly means), and a value that is not one of those sizes is refused with the nearest sizes, rather
 * than rounded up to the next step (1.2 × 1024 = 1228.8 GiB would have become 2400 GiB, twice the bill).
 * `price` carries the sizes: the smallest (`minCapacityGiB`), then multiples of `capacityStepGiB` from there on.
 */
export const FSX_GIB_PER_TIB = 1000;

/** The FSx StorageCapacity, GiB, for `capacityTiB`; a SpecError on `field` naming the nearest valid sizes when it is not one. */
export function fsxLustreCapacityGiB(capacityTiB: number, price: Pick<StoragePrice, "product" | "minCapacityGiB" | "capacityStepGiB">, field: string): number {
  const exact = capacityTiB * FSX_GIB_PER_TIB;
  // 1.2 × 1000 may land a hair off 1200 in floating point; a thousandth of a GiB is no size anyone means.
  const gib = Math.abs(exact - Math.round(exact)) < 1e-3 ? Math.round(exact) : exact;
  const { minCapacityGiB: min, capacityStepGiB: step } = price;
  const valid = (g: number): boolean => g === min || (g > min && Number.isInteger(g / step));
  if (valid(gib)) return gib;
  const above = gib < min ? min : Math.max(min, Math.ceil(gib / step) * step);
  const floor = Math.floor(gib / step) * step;
  const below = gib < min ? undefined : floor > min ? floor : min;
  const size = (g: number): string => `${g / FSX_GIB_PER_TIB} (${g} GiB)`;
  const rule = min === step ? `a multiple of ${step / FSX_GIB_PER_TIB} TiB` : `${min / FSX_GIB_PER_TIB} TiB, then multiples of ${step / FSX_GIB_PER_TIB} TiB`;
  const earlier = fsxEarlierCapacityGiB(capacityTiB, price);
  throw new SpecError(
    field,
    `${capacityTiB} TiB is ${gib} GiB on FSx's scale (FSx counts 1.2 TiB as 1200 GiB), not a size ${price.product} is made in: ${rule}`,
    `use capacityTiB ${below === undefined ? size(above) : `${size(below)} or ${size(above)}`}; ` +
      `for a file system an earlier gpu-cluster release made from capacityTiB ${capacityTiB}, only ${size(earlier)} is safe, its current size (${FSX_NO_SHRINK})`,
  );
}

/** Why a smaller size is not safe for an existing file system (fsxEarlierCapacityGiB has the source). */
const FSX_NO_SHRINK = "FSx cannot shrink a file system: a smaller storageCapacity replaces it, which a guarded one refuses at `up` and an unguarded one loses its data to";

/**
 * The StorageCapacity, GiB, an earlier gpu-cluster release gave `capacityTiB` on `price` (before FSx sizes were read on
 * FSx's scale): binary TiB (× 1024 GiB), then the minimum, or rounded up to the next step. Always an FSx size, and
 * never smaller than today's reading of the same value (1024 > 1000), often a step larger: capacityTiB 120 was
 * 124800 GiB and is 120000 today. FSx cannot decrease a file system's storage capacity, so the AWS provider replaces
 * the file system on any decrease (hashicorp/terraform-provider-aws internal/service/fsx/lustre_file_system.go,
 * resourceLustreFileSystemStorageCapacityCustomizeDiff: ForceNew when the new value is below the old; FSx user guide
 * managing-storage-capacity.html: "you can only increase the amount of storage capacity", read 2026-12-01).
 */
export function fsxEarlierCapacityGiB(capacityTiB: number, price: Pick<StoragePrice, "minCapacityGiB" | "capacityStepGiB">): number {
  const gib = capacityTiB * 1024;
  return gib <= price.minCapacityGiB ? price.minCapacityGiB : Math.ceil(gib / price.capacityStepGiB) * price.capacityStepGiB;
}

/**
 * The plan's upgrade note for FSx entry `name` planned at `gib` GiB from `capacityTiB`, when an earlier release made a
 * larger file system from the same value (always, in practice: see fsxEarlierCapacityGiB). The plan cannot see a
 * deployed file system's size, so it names the value that keeps one, rather than shrinking it by replacement; an
 * `ignoreChanges` would hide a real resize too.
 */
export function fsxEarlierSizeNote(name: string, capacityTiB: number, gib: number, price: Pick<StoragePrice, "minCapacityGiB" | "capacityStepGiB">): string | undefined {
  const earlier = fsxEarlierCapacityGiB(capacityTiB, price);
  if (earlier <= gib) return undefined;
  return (
    `storage '${name}': capacityTiB ${capacityTiB} is ${gib} GiB on FSx's scale. If this stack's file system was made by an earlier gpu-cluster release from capacityTiB ${capacityTiB}, ` +
    `it is ${earlier} GiB (that release read a TiB as 1024 GiB and rounded up): set capacityTiB: ${earlier / FSX_GIB_PER_TIB} to keep it (${FSX_NO_SHRINK})`
  );
}

/**
 * The smallest FSx for Lustre SSD size (no EFA) that holds `capacityTiB` binary TiB, as `capacityTiB` on FSx's scale:
 * how compare carries another cloud's (or a cloud-neutral) capacity to AWS, where only FSx's own sizes are accepted
 * (10 TiB = 10,240 GiB → 12 = 12,000 GiB). The sizes are those of fsxLustreCapacityGiB: 1200 GiB, then multiples of 2400.
 */
export function fsxLustreTiBHolding(capacityTiB: number): number {
  const gib = capacityTiB * 1024;
  return (gib <= FSX_SSD_SIZES.minCapacityGiB ? FSX_SSD_SIZES.minCapacityGiB : Math.ceil(gib / FSX_SSD_SIZES.capacityStepGiB) * FSX_SSD_SIZES.capacityStepGiB) / FSX_GIB_PER_TIB;
}

/** FSx for Lustre SSD sizes without EFA (fsxLustreCapacityGiB has the source): 1200 GiB, then multiples of 2400 GiB. */
const FSX_SSD_SIZES = { minCapacityGiB: 1200, capacityStepGiB: 2400 } as const;

/** Kernel the EFA Lustre client needs on Ubuntu (configure-efa-clients.html: "Ubuntu 22.04 or newer with kernel version 6.8+"). */
export const LUSTRE_EFA_MIN_KERNEL = "6.8";

/** EFA connections one EFA-enabled file system accepts from all its clients together (see LUSTRE_EFA_CAPACITY_STEP_GIB). */
export const LUSTRE_EFA_MAX_CONNECTIONS = 1024;

/**
 * Which of a node's EFA devices LNet gets, by instance type: the default of AWS's EFA client setup for that type, counted
 * over the devices in PCI address order (lustre-efa-client.ts sorts them), so "every fourth" is one per PCIe switch.
 * - `every-fourth`: p5 and p5e spread their 32 EFA devices over PCI buses in fours; LNet gets every fourth (one per bus,
 *   8), as the EKS guide's setup does (https://docs.aws.amazon.com/eks/latest/userguide/fsx-csi-tuning-efa.html,
 *   awsdocs/amazon-eks-user-guide latest/ug/storage/fsx-csi-tuning-efa.adoc @1527dee, read 2026-11-30).
 * - `all`: p6-b200 (8 EFA devices) and p6-b300 (16, on network cards 1-16): the FSx guide's table of AWS's script
 *   defaults gives p6-b200 its 8 (configure-efa-clients.html, "Step 3: EFA interfaces", read 2026-11-30), and AWS
 *   ParallelCluster's check of that setup expects "all" bound on both (aws/aws-parallelcluster-cookbook PR #3251, merged,
 *   reviewed 2026-07-30: pcluster-diag core/constants.py EFA_EXPECTED_BOUND_DEVICES, p5/p5e/p5en 8, p6-b200 and
 *   p6-b300 "all"; read 2026-11-30).
 * - `every-second`: p5en, whose 16 EFA devices sit two to a GPU's PCIe switch (network cards 1-16, two per GPU,
 *   https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/efa-acc-inst-types.html, read 2026-11-30): the FSx table and
 *   ParallelCluster's EFA_EXPECTED_BOUND_DEVICES both give p5en 8 of its 16. Neither names which 8 (the check only
 *   counts them), so the 8 follow the rule AWS's setup uses on p5 and p5e, one device per PCIe switch: every second
 *   device in PCI order (an inference from the count and the p5 rule, not a quoted selection).
 * - any other type (`first-last`): the first and the last device (one on a type with one), the EKS guide's default for
 *   the other types.
 */
export const LNET_EFA_SELECTION: Readonly<Record<string, "every-fourth" | "every-second" | "all">> = {
  "p5.48xlarge": "every-fourth",
  "p5e.48xlarge": "every-fourth",
  "p5en.48xlarge": "every-second",
  "p6-b200.48xlarge": "all",
  "p6-b300.48xlarge": "all",
};

/**
 * Versions AWS's EFA Lustre client setup enforces before it configures LNet over EFA, checked at boot (the node fails
 * rather than riding TCP):
 * - the EFA driver (`efa` kernel module) 2.12.1 or later, on every type: the EKS guide's setup compares `modinfo efa`'s
 *   version with `min_efa_version="2.12.1"` through `sort -V` (fsx-csi-tuning-efa.adoc @1527dee above, read 2026-11-30);
 * - the EFA network driver (`kefalnd`) 1.1.1 or later on the p6 families (p6-b200, p6e-gb200, p6-b300):
 *   aws/aws-parallelcluster-cookbook PR #3251 (merged; reviewed 2026-07-30), pcluster-diag core/constants.py
 *   MIN_EFA_DRIVER_VERSION = "2.12.1", MIN_KEFALND_VERSION_P6 = "1.1.1" and P6PLUS_INSTANCE_PREFIXES, "the minimum
 *   versions the setup enforces" (read 2026-11-30).
 */
export const LUSTRE_EFA_VERSION_FLOORS = {
  efaDriver: "2.12.1",
  kefalnd: { version: "1.1.1", typePrefixes: ["p6-b200", "p6e-gb200", "p6-b300"] as readonly string[] },
} as const;

/** EFA interfaces each node puts in LNet (so counts against LUSTRE_EFA_MAX_CONNECTIONS): 8 on p5, p5en and p6-b200, 16 on p6-b300, else up to 2. */
export function lustreEfaInterfaces(instanceType: string, efaDevices: number): number {
  const selection = LNET_EFA_SELECTION[instanceType];
  if (selection === "every-fourth") return Math.ceil(efaDevices / 4);
  if (selection === "every-second") return Math.ceil(efaDevices / 2);
  if (selection === "all") return efaDevices;
  return Math.min(2, efaDevices);
}

/**
 * The oldest Nitro System version FSx takes as an EFA client: "Nitro v4 (or later) EC2 instances that support EFA"
 * (https://docs.aws.amazon.com/fsx/latest/LustreGuide/efa-file-systems.html, the clients' prerequisites, read
 * 2026-11-30 through a stored verbatim quotation, see LUSTRE_EFA_CAPACITY_STEP_GIB).
 */
export const LUSTRE_EFA_MIN_NITRO = 4;

/**
 * Why the plan's nodes cannot be EFA clients of an EFA-enabled FSx file system (and what to do), or undefined when they
 * can: nodes with EFA interfaces, which only training nodes of an EFA type have (an inference replica attaches no
 * fabric), on Nitro v4 or later (LUSTRE_EFA_MIN_NITRO; a type whose Nitro version is not sourced is refused too, since
 * it cannot be shown to qualify). Both training paths are wired: VMs (the boot script, lib/clouds/aws/bootstrap.ts)
 * and EKS (the GPU nodes' user data, lib/clouds/aws/eks/lustre-efa.ts); both put the file system in the nodes' own
 * group, which admits all traffic to and from itself.
 */
export function lustreEfaClientGap(plan: Pick<Plan, "fabric" | "instanceType">): { why: string; fix: string } | undefined {
  const over = "remove efa (the nodes mount the file system over TCP)";
  if (plan.fabric.kind !== "efa") return { why: `the nodes have no EFA (fabric '${plan.fabric.kind}' on ${plan.instanceType})`, fix: `${over}, or train on an EFA instance type with its fabric on` };
  const nitro = nitroVersion(plan.instanceType);
  if (nitro !== undefined && nitro >= LUSTRE_EFA_MIN_NITRO) return undefined;
  const qualifying = Object.entries(NITRO_VERSION_BY_FAMILY)
    .filter(([, v]) => v >= LUSTRE_EFA_MIN_NITRO)
    .map(([family]) => family);
  return {
    why:
      `FSx takes EFA clients on Nitro v${LUSTRE_EFA_MIN_NITRO} or later only (https://docs.aws.amazon.com/fsx/latest/LustreGuide/efa-file-systems.html), and ` +
      (nitro === undefined ? `no Nitro version is on record for ${plan.instanceType}` : `${plan.instanceType} is built on Nitro v${nitro} (https://docs.aws.amazon.com/ec2/latest/instancetypes/ac.html)`),
    fix: `${over}, or train on a Nitro v${LUSTRE_EFA_MIN_NITRO}+ EFA family: ${qualifying.join(", ")}`,
  };
}

/**
 * EFA connections the plan's nodes open to one EFA-enabled file system, and the most nodes that stay within
 * LUSTRE_EFA_MAX_CONNECTIONS.
 */
export function lustreEfaConnections(plan: Pick<Plan, "instanceType" | "fabric" | "nodeCount">): { perNode: number; total: number; maxNodes: number } {
  const perNode = lustreEfaInterfaces(plan.instanceType, plan.fabric.nicsPerNode);
  return { perNode, total: perNode * plan.nodeCount, maxNodes: Math.floor(LUSTRE_EFA_MAX_CONNECTIONS / perNode) };
}

/**
 * Metadata IOPS FSx accepts for an SSD file system in USER_PROVISIONED mode: 1500, 3000, 6000, 12000, then multiples of
 * 12000 up to 192000 (https://docs.aws.amazon.com/fsx/latest/APIReference/API_CreateFileSystemLustreMetadataConfiguration.html,
 * read 2026-11-30; the same list in @pulumi/aws 7.48.0 LustreFileSystemMetadataConfiguration.iops).
 */
export const LUSTRE_METADATA_IOPS: readonly number[] = [1500, 3000, 6000, ...Array.from({ length: 16 }, (_, i) => 12000 * (i + 1))];

/**
 * The file system's EFA and metadata settings. Metadata is configured only when the entry asks for it (`metadataIops`:
 * USER_PROVISIONED at that rate) or when EFA is on (which requires a metadata configuration: AUTOMATIC, FSx scaling the
 * IOPS with the capacity); otherwise nothing is sent and FSx keeps its own default, so existing file systems see no change.
 */
export function lustreFabric(s: Pick<StoragePlan, "efa" | "metadataIops">): { efaEnabled?: boolean; metadataConfiguration?: { mode: string; iops?: number } } {
  const metadata = s.metadataIops !== undefined ? { mode: "USER_PROVISIONED", iops: s.metadataIops } : s.efa ? { mode: "AUTOMATIC" } : undefined;
  return { ...(s.efa ? { efaEnabled: true } : {}), ...(metadata ? { metadataConfiguration: metadata } : {}) };
}

/** Days of daily automatic FSx backups kept for a guarded persistent file system (AWS allows 0-90). */
export const LUSTRE_BACKUP_RETENTION_DAYS = 7;

/**
 * FSx's own protection of a persistent file system: daily automatic backups while it is guarded, and a final backup
 * whenever it is deleted (even after `deletionProtection: false`: FSx deletes the automatic backups with the file
 * system, so the final one is what is left). FSx backs up only persistent file systems that are not linked to S3
 * (https://docs.aws.amazon.com/fsx/latest/LustreGuide/using-backups-fsx.html): a linked one exports its changes to
 * the bucket, and a scratch one is disposable by design. `copyTagsToBackups` forces a new file system when it
 * changes (the FSx update API has no such field), so it is the same for every persistent file system, guarded or not.
 */
export function lustreBackups(deploymentType: string, s: Pick<StoragePlan, "deletionProtection" | "importPath">): { automaticBackupRetentionDays?: number; skipFinalBackup?: boolean; copyTagsToBackups?: boolean } {
  if (!deploymentType.startsWith("PERSISTENT")) return {};
  if (s.importPath !== undefined) return { automaticBackupRetentionDays: 0, skipFinalBackup: true, copyTagsToBackups: true };
  return { automaticBackupRetentionDays: hasLustreBackups(deploymentType, s) ? LUSTRE_BACKUP_RETENTION_DAYS : 0, skipFinalBackup: false, copyTagsToBackups: true };
}

/** Whether FSx keeps daily backups of the entry (see lustreBackups). */
export function hasLustreBackups(deploymentType: string, s: Pick<StoragePlan, "deletionProtection" | "importPath">): boolean {
  return deploymentType.startsWith("PERSISTENT") && s.importPath === undefined && s.deletionProtection;
}

/**
 * Days AWS Backup keeps the daily backups of a guarded EFS file system: the default EFS backup plan, which turning on
 * the file system's automatic backups enrolls it in (daily, kept 35 days, in a vault EFS creates and nobody can delete;
 * https://docs.aws.amazon.com/efs/latest/ug/awsbackup.html, read 2026-11-30). Recovery points outlive the file system.
 */
export const EFS_BACKUP_RETENTION_DAYS = 35;

/**
 * Days S3 keeps an object's overwritten or deleted versions in a guarded (versioned) bucket before expiring them: long
 * enough to notice a bad sync or a `rm --recursive`, short enough that rewriting checkpoints does not grow the bill forever.
 */
export const S3_NONCURRENT_VERSION_DAYS = 30;

/**
 * Days after which S3 aborts a multipart upload nobody completed, deleting its parts: until then they are stored and
 * billed, invisible to a listing (https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpu-abort-incomplete-mpu-lifecycle-config.html,
 * read 2026-12-01). Checkpoint writers upload multi-GB files in parts, and a node preempted or killed mid-upload leaves
 * them behind. A week leaves any real upload (hours) far inside it (review session 28, F15).
 */
export const S3_ABORT_INCOMPLETE_MULTIPART_DAYS = 7;

/**
 * A bucket policy that refuses every request not made over TLS (`aws:SecureTransport` false), as AWS Config's
 * s3-bucket-ssl-requests-only rule and Security Hub control S3.5 ask
 * (https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-ssl-requests-only.html, read 2026-12-01). A
 * Deny-only policy is not public, so the bucket's BlockPublicPolicy accepts it (review session 28, F16).
 */
export function tlsOnlyBucketPolicy(bucketArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  });
}

/**
 * The edits an FSx for Lustre entry cannot take in place, as one plan note per entry: each needs a new storage name
 * (a new file system, and a copy of the data). The plan cannot see the deployed file system, so the note names the
 * edits and what each does at `up`, and refuses nothing: whether an edit is one of them depends on what was deployed.
 * Sources, read 2026-12-01:
 * - replaced (the AWS provider plans a new file system): `deployment_type` is ForceNew (a scratch ↔ persistent tier
 *   change), a smaller `storage_capacity` and, in USER_PROVISIONED mode, a lower `metadata_configuration.0.iops` are
 *   forced new by its CustomizeDiff (terraform-provider-aws internal/service/fsx/lustre_file_system.go, its
 *   aws-sdk-go-v2 version with metadata_configuration, read as a stored copy whose fork and commit the code index does
 *   not name: resourceLustreFileSystemStorageCapacityCustomizeDiff, resourceLustreFileSystemMetadataConfigCustomizeDiff
 *   "force a new resource if the new Iops is less than the old one"; the same warning in @pulumi/aws 7.48.0
 *   LustreFileSystemMetadataConfiguration.mode: "Updating the value of `iops` from a higher to a lower value will force
 *   a recreation of the resource"); EFA on or off replaces it too (FSx user guide efa-file-systems.html; @pulumi/aws
 *   7.48.0 `efaEnabled`: "This must be set at creation. If set this cannot be changed");
 * - refused (an in-place update FSx rejects, so `up` fails at the file system and leaves it as it is): another
 *   throughput tier on an EFA-enabled file system (@pulumi/aws 7.48.0 `efaEnabled`: "this prevents changes to
 *   `perUnitStorageThroughput`"; in the provider source read above `per_unit_storage_throughput` has no ForceNew and a
 *   change is sent as UpdateFileSystem's PerUnitStorageThroughput; that source predates `efa_enabled`, which 7.48.0
 *   bridges, and no later one was readable here); and, on an EFA-enabled entry, leaving out `metadataIops` once set,
 *   which sends AUTOMATIC mode, refused when the file system has more metadata IOPS than AUTOMATIC gives its size
 *   (https://docs.aws.amazon.com/fsx/latest/APIReference/API_UpdateFileSystemLustreMetadataConfiguration.html: "FSx for
 *   Lustre rejects the request because downscaling Metadata IOPS is not supported"). Without EFA, leaving it out sends
 *   no metadata configuration and FSx keeps the one it has (lustreFabric).
 * Other tier changes between persistent tiers, a larger size and more metadata IOPS are made in place
 * (https://docs.aws.amazon.com/fsx/latest/LustreGuide/managing-throughput-capacity.html: the throughput tier of a
 * persistent SSD file system can be raised or lowered; managing-storage-capacity.html: capacity can only grow).
 */
export function lustreEditNote(s: Pick<StoragePlan, "kind" | "name" | "tier" | "efa" | "metadataIops" | "deletionProtection">): string | undefined {
  if (s.kind !== "lustre") return undefined;
  const persistent = lustreDeployment(s.tier).deploymentType === "PERSISTENT_2";
  const replaced = persistent
    ? ["a scratch tier", s.efa ? "efa: false" : "efa: true", "a smaller capacityTiB", "a metadataIops below the file system's current metadata IOPS"]
    : ["a persistent tier", "a smaller capacityTiB"];
  const refused = s.efa
    ? [`another persistent tier (an EFA-enabled file system keeps ${s.tier})`, ...(s.metadataIops !== undefined ? ["leaving out metadataIops (AUTOMATIC mode, refused below the metadata IOPS the file system has)"] : [])]
    : [];
  const guard = s.deletionProtection ? "`up` refuses these while the entry is guarded by deletionProtection" : "with deletionProtection: false they delete the file system and its data";
  return (
    `storage '${s.name}': these edits need a new storage name (a new file system, then copy the data). Replacing the file system: ${replaced.join("; ")} (${guard}).` +
    (refused.length > 0 ? ` Refused by FSx, failing \`up\` with the file system unchanged: ${refused.join("; ")}.` : "")
  );
}
