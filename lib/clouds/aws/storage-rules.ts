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
