/**
 * How the AWS storage is guarded and deployed (./storage.ts builds it), as plain values: the option checks put the
 * backup and version retention in their notes without loading @pulumi/aws (test/package.test.ts).
 */
import type { StoragePlan } from "../../planner/types.js";

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
 * - clients: Nitro v4 or later instances with EFA (not trn2), on Ubuntu 22.04 or later with kernel 6.8 or later;
 * - the file system's group and the clients' group must admit all traffic to and from each other and the file
 *   system's group all traffic to and from itself, by group id (limit-access-security-groups.html).
 * The same limits in @pulumi/aws 7.48.0 fsx.LustreFileSystem `efaEnabled`: "only supported when deploymentType is set
 * to PERSISTENT_2, metadataConfiguration is used, and an EFA-enabled security group is attached".
 */
export const LUSTRE_EFA_CAPACITY_STEP_GIB: Readonly<Record<number, number>> = { 125: 38400, 250: 19200, 500: 9600, 1000: 4800 };

/** Kernel the EFA Lustre client needs on Ubuntu (configure-efa-clients.html: "Ubuntu 22.04 or newer with kernel version 6.8+"). */
export const LUSTRE_EFA_MIN_KERNEL = "6.8";

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
