/**
 * Storage the cluster mounts: FSx for Lustre (`lustre`), EFS (`nfs`), S3
 * (`object`). `block` volumes are part of the launch template (one per node),
 * see training.ts. Everything is encrypted at rest and private.
 */
import * as pulumi from "@pulumi/pulumi";
import * as efs from "@pulumi/aws/efs";
import * as fsx from "@pulumi/aws/fsx";
import * as s3 from "@pulumi/aws/s3";
import type { Plan, StoragePlan } from "../../planner/types.js";
import type { CompileContext, StorageHandle } from "../types.js";
import { dataOptions, storageResourceName, type MountSources } from "../shared/storage.js";
import { lustreBackups, lustreDeployment, lustreFabric, S3_ABORT_INCOMPLETE_MULTIPART_DAYS, S3_NONCURRENT_VERSION_DAYS, tlsOnlyBucketPolicy } from "./storage-rules.js";
import { billedEntry, billedOnce } from "../shared/bill.js";

// The storage guards are SDK-free, so the option checks can name them in their notes without loading @pulumi/aws.
export { EFS_BACKUP_RETENTION_DAYS, LUSTRE_BACKUP_RETENTION_DAYS, S3_NONCURRENT_VERSION_DAYS, hasLustreBackups, lustreBackups, lustreDeployment, lustreFabric } from "./storage-rules.js";

export interface AwsStorage {
  handles: StorageHandle[];
  /** Storage name → mount source, for the bootstrap. */
  mountSources: pulumi.Output<MountSources>;
  /** Buckets the node role may use. */
  bucketArns: pulumi.Output<string>[];
}

/**
 * What a PERSISTENT_2 file system's data repository association brings in from the linked S3 path: new objects,
 * changed objects, and deletions (the bucket is the source of truth for what it holds).
 * https://docs.aws.amazon.com/fsx/latest/APIReference/API_AutoImportPolicy.html (read 2026-11-30).
 */
export const LUSTRE_AUTO_IMPORT_EVENTS = ["NEW", "CHANGED", "DELETED"] as const;

/**
 * What the file system writes back to the linked S3 path: new and changed files only. `DELETED` is left out on
 * purpose: with it, FSx deletes the objects in the user's own bucket when their files are deleted on the file
 * system (https://docs.aws.amazon.com/fsx/latest/APIReference/API_AutoExportPolicy.html, read 2026-11-30), so one
 * `rm -rf` on any node empties a bucket this component does not own and does not version. Clean the bucket on purpose.
 */
export const LUSTRE_AUTO_EXPORT_EVENTS = ["NEW", "CHANGED"] as const;

/**
 * `subnetIds`: the nodes' subnets (FSx sits in the first; EFS gets a mount target in
 * each, since its DNS name resolves only in zones with one). `securityGroupId`: the
 * group the file systems' interfaces join, which must admit the nodes.
 */
export function awsStorage(
  plan: Plan,
  subnetIds: pulumi.Input<string>[],
  securityGroupId: pulumi.Input<string>,
  ctx: CompileContext,
  tags: Record<string, string>,
): AwsStorage {
  const opts = { parent: ctx.parent };
  const handles: StorageHandle[] = [];
  const sources: Record<string, pulumi.Output<string>> = {};
  const bucketArns: pulumi.Output<string>[] = [];
  plan.storage.forEach((s: StoragePlan) => {
    const id = storageResourceName(ctx, s);
    const guarded = dataOptions(s, opts);
    if (s.kind !== "block") billedEntry(ctx.bill, s);
    if (s.kind === "lustre") {
      const deployment = lustreDeployment(s.tier);
      // PERSISTENT_2 links S3 through a data repository association; SCRATCH_2 through importPath.
      const scratchImport = deployment.deploymentType === "SCRATCH_2" && s.importPath ? { importPath: s.importPath } : {};
      const fs = new fsx.LustreFileSystem(
        id,
        {
          storageCapacity: s.capacityGiB,
          subnetIds: subnetIds[0]!,
          securityGroupIds: [securityGroupId],
          ...deployment,
          ...scratchImport,
          // EFA (the validation allows it on PERSISTENT_2 only, with a metadata configuration) and metadata IOPS; the
          // file system joins the cluster's group, which admits all traffic to and from itself, as EFA requires.
          ...lustreFabric(s),
          dataCompressionType: "LZ4",
          fileSystemTypeVersion: "2.15",
          ...lustreBackups(deployment.deploymentType, s),
          tags: { ...tags, Name: id },
        },
        guarded,
      );
      if (s.importPath && deployment.deploymentType === "PERSISTENT_2") {
        new fsx.DataRepositoryAssociation(
          `${id}-dra`,
          {
            fileSystemId: fs.id,
            dataRepositoryPath: s.importPath,
            fileSystemPath: "/",
            batchImportMetaDataOnCreate: true,
            s3: { autoImportPolicy: { events: [...LUSTRE_AUTO_IMPORT_EVENTS] }, autoExportPolicy: { events: [...LUSTRE_AUTO_EXPORT_EVENTS] } },
            tags,
          },
          opts,
        );
      }
      sources[s.name] = pulumi.interpolate`${fs.dnsName}@tcp:/${fs.mountName}`;
      handles.push({ kind: s.kind, name: s.name, id: fs.id, mountPath: s.mountPath, endpoint: sources[s.name]! });
    } else if (s.kind === "nfs") {
      const fs = new efs.FileSystem(id, { encrypted: true, throughputMode: "elastic", tags: { ...tags, Name: id } }, guarded);
      subnetIds.forEach((subnetId, zone) => new efs.MountTarget(`${id}-mount-${zone}`, { fileSystemId: fs.id, subnetId, securityGroups: [securityGroupId] }, opts));
      // The API creates Regional file systems without automatic backups; a guarded one gets AWS Backup's daily plan,
      // which the bill carries as its `backup` item (its recovery points are billed). Without the item, the policy is
      // deleted, which turns the backups off (the recovery points already taken stay).
      if (billedOnce(ctx.bill, "backup", (item) => item.name === s.name)) new efs.BackupPolicy(`${id}-backup`, { fileSystemId: fs.id, backupPolicy: { status: "ENABLED" } }, opts);
      sources[s.name] = fs.dnsName;
      handles.push({ kind: s.kind, name: s.name, id: fs.id, mountPath: s.mountPath, endpoint: fs.dnsName, nfs: { server: fs.dnsName, path: "/" } });
    } else if (s.kind === "object") {
      // Never force-destroyed: a bucket with objects in it cannot be deleted by Pulumi, even unguarded.
      const bucket = new s3.Bucket(id, { forceDestroy: false, tags }, guarded);
      const noPublic = new s3.BucketPublicAccessBlock(`${id}-no-public`, { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, opts);
      // TLS only (storage-rules.ts tlsOnlyBucketPolicy): the nodes reach S3 over HTTPS through the gateway endpoint.
      new s3.BucketPolicy(`${id}-tls-only`, { bucket: bucket.id, policy: bucket.arn.apply(tlsOnlyBucketPolicy) }, { ...opts, dependsOn: [noPublic] });
      new s3.BucketOwnershipControls(`${id}-owner`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, opts);
      new s3.BucketServerSideEncryptionConfiguration(
        `${id}-sse`,
        { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" }, bucketKeyEnabled: true }] },
        opts,
      );
      // A guarded bucket keeps what is overwritten or deleted as noncurrent versions. Unguarded, the versioning
      // resource is deleted, which suspends versioning (S3 cannot turn it off once on); the versions already kept stay.
      if (s.deletionProtection) {
        new s3.BucketVersioning(`${id}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, opts);
      }
      // On every bucket, guarded or not: noncurrent versions left by a guarded past are still billed until they expire,
      // and on a bucket that never had versioning the rule has nothing to do. Parts of abandoned multipart uploads are
      // aborted after a week (storage-rules.ts S3_ABORT_INCOMPLETE_MULTIPART_DAYS).
      new s3.BucketLifecycleConfiguration(
        `${id}-lifecycle`,
        {
          bucket: bucket.id,
          rules: [
            { id: "expire-noncurrent-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: S3_NONCURRENT_VERSION_DAYS } },
            { id: "abort-incomplete-multipart-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: S3_ABORT_INCOMPLETE_MULTIPART_DAYS } },
          ],
        },
        opts,
      );
      bucketArns.push(bucket.arn);
      handles.push({ kind: s.kind, name: s.name, id: bucket.id, mountPath: s.mountPath, endpoint: pulumi.interpolate`s3://${bucket.id}` });
    }
  });
  // VM nodes mount EFS with the EFS client's TLS, which their boot script builds (bootstrap.ts EFS_UTILS); pods on EKS
  // through the EFS CSI driver (eks/storage.ts).
  return { handles, mountSources: pulumi.output(sources), bucketArns };
}
