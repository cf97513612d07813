/**
 * Data safety, proved on the compiled resources of every target (cloud × orchestrator):
 * - every resource that holds data is registered with `protect` and `retainOnDelete`, with the cloud's own
 *   protection on, unless the entry opts out (storage[].deletionProtection: false);
 * - inserting, removing and reordering storage entries leaves every other entry's resources (name and inputs) and
 *   pod volumes as they were;
 * - changing the node count (or the replica bounds) changes inputs on node-group resources only.
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import type { RecordedResource } from "../lib/preview/offline.js";
import { runRecording, type Registration, privateEndpoint } from "./helpers/offline.js";
import { azurePlanNotes } from "../lib/clouds/azure/options.js";
import { checkAwsOptions } from "../lib/clouds/aws/options.js";

const SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGpuY2x1c3RlcnRlc3RrZXlub3RyZWFsMDAwMDAwMDA0 ops@example";

/** Resource types that hold a storage entry's data. */
const DATA_TYPES = [
  "aws:fsx/lustreFileSystem:LustreFileSystem",
  "aws:efs/fileSystem:FileSystem",
  "aws:s3/bucket:Bucket",
  "gcp:filestore/instance:Instance",
  "gcp:lustre/instance:Instance",
  "gcp:storage/bucket:Bucket",
  "azure-native:storagecache:AmlFilesystem",
  "azure-native:netapp:CapacityPoolVolume",
  "azure-native:storage:StorageAccount",
  "azure-native:storage:BlobContainer",
  "kubernetes:core/v1:PersistentVolumeClaim",
];

type Storage = gpu.StorageSpec;

/** One build target with three storage entries of the kinds it builds, and one more to insert. */
interface Target {
  label: string;
  spec: Record<string, unknown>;
  trainingGpu: gpu.GpuSpec;
  fleetGpu: gpu.GpuSpec;
  storage: [Storage, Storage, Storage];
  extra: Storage;
  /** Data resources the three entries make (CoreWeave object storage is an endpoint, not a resource; Azure Blob is an account and its container). */
  dataResources: number;
}

const TARGETS: Target[] = [
  {
    label: "AWS VMs",
    spec: { cloud: "aws", region: "us-east-1" },
    trainingGpu: { instanceType: "p5.48xlarge" },
    fleetGpu: { model: "L40S" },
    storage: [
      { kind: "lustre", capacityTiB: 12, tier: "persistent-125", mountPath: "/data" },
      { kind: "nfs", capacityTiB: 1, mountPath: "/home" },
      { kind: "object", capacityTiB: 10, mountPath: "/mnt/ckpt" },
    ],
    extra: { kind: "lustre", capacityTiB: 2.4, mountPath: "/mnt/new" },
    dataResources: 3,
  },
  {
    label: "EKS",
    spec: { cloud: "aws", region: "us-east-1", orchestrator: "kubernetes" },
    trainingGpu: { instanceType: "p5.48xlarge" },
    fleetGpu: { model: "L40S" },
    storage: [
      { kind: "nfs", capacityTiB: 1, mountPath: "/home" },
      { kind: "object", capacityTiB: 10, mountPath: "/mnt/ckpt" },
      { kind: "object", capacityTiB: 5, mountPath: "/mnt/logs" },
    ],
    extra: { kind: "nfs", capacityTiB: 1, mountPath: "/mnt/new" },
    // The EFS file system, two buckets, and the claim that binds the file system's TLS volume (EFS CSI driver).
    dataResources: 4,
  },
  {
    label: "GCP VMs",
    spec: { cloud: "gcp", region: "us-central1" },
    trainingGpu: { instanceType: "a3-megagpu-8g" },
    fleetGpu: { model: "L4" },
    storage: [
      { kind: "lustre", capacityTiB: 18, tier: "500", mountPath: "/data" },
      { kind: "nfs", capacityTiB: 1, mountPath: "/home" },
      { kind: "object", capacityTiB: 10, mountPath: "/mnt/ckpt" },
    ],
    extra: { kind: "nfs", capacityTiB: 1, mountPath: "/mnt/new" },
    dataResources: 3,
  },
  {
    label: "GKE",
    spec: { cloud: "gcp", region: "us-central1", orchestrator: "kubernetes" },
    trainingGpu: { instanceType: "a3-megagpu-8g" },
    fleetGpu: { model: "L4" },
    storage: [
      { kind: "lustre", capacityTiB: 18, tier: "500", mountPath: "/data" },
      { kind: "nfs", capacityTiB: 1, mountPath: "/home" },
      { kind: "object", capacityTiB: 10, mountPath: "/mnt/ckpt" },
    ],
    extra: { kind: "nfs", capacityTiB: 2, mountPath: "/mnt/new" },
    // The Managed Lustre instance and the claim the pods mount it through (lib/clouds/gcp/gke/lustre.ts), Filestore, the bucket.
    dataResources: 4,
  },
  {
    label: "Azure VMs",
    // Managed Lustre is zonal and its clients must share its zone: a Lustre plan pins one.
    spec: { cloud: "azure", region: "eastus", zone: "1", azure: { sshPublicKey: SSH_KEY } },
    trainingGpu: { instanceType: "Standard_ND96isr_H100_v5" },
    fleetGpu: { instanceType: "Standard_NC40ads_H100_v5" },
    storage: [
      { kind: "lustre", capacityTiB: 8, tier: "premium-250", mountPath: "/data", contractUsdPerGiBMonth: 0.2 },
      { kind: "nfs", capacityTiB: 4, mountPath: "/home" },
      { kind: "object", capacityTiB: 10, mountPath: "/mnt/ckpt" },
    ],
    extra: { kind: "nfs", capacityTiB: 4, mountPath: "/mnt/new" },
    dataResources: 4,
  },
  {
    label: "AKS",
    spec: { cloud: "azure", region: "eastus", orchestrator: "kubernetes" },
    trainingGpu: { instanceType: "Standard_ND96isr_H100_v5" },
    fleetGpu: { instanceType: "Standard_NC40ads_H100_v5" },
    storage: [
      { kind: "nfs", capacityTiB: 4, mountPath: "/home" },
      { kind: "nfs", capacityTiB: 4, mountPath: "/shared" },
      { kind: "nfs", capacityTiB: 4, mountPath: "/mnt/ckpt" },
    ],
    extra: { kind: "nfs", capacityTiB: 4, mountPath: "/mnt/new" },
    // Each NetApp volume and the claim the pods mount it through (lib/clouds/azure/aks/netapp-claims.ts).
    dataResources: 6,
  },
  {
    label: "CoreWeave",
    spec: { cloud: "coreweave", region: "US-EAST-04" },
    trainingGpu: { instanceType: "gd-8xh100ib-i128" },
    fleetGpu: { model: "L40S" },
    storage: [
      { kind: "nfs", capacityTiB: 10, mountPath: "/data" },
      { kind: "lustre", capacityTiB: 2, mountPath: "/scratch" },
      { kind: "object", capacityTiB: 10, mountPath: "/mnt/ckpt" },
    ],
    extra: { kind: "nfs", capacityTiB: 1, mountPath: "/mnt/new" },
    dataResources: 2,
  },
];

function training(t: Target, name: string, storage: Storage[], nodes = 4) {
  return () => new gpu.TrainingCluster(name, privateEndpoint({ ...t.spec, gpu: { ...t.trainingGpu, nodes }, storage } as gpu.TrainingClusterArgs));
}

function fleet(t: Target, name: string, storage: Storage[], replicas = { min: 2, max: 6 }) {
  return () => new gpu.InferenceFleet(name, privateEndpoint({ ...t.spec, gpu: t.fleetGpu, replicas, storage } as gpu.InferenceFleetArgs));
}

async function compile(program: () => unknown): Promise<{ resources: RecordedResource[]; registrations: Map<string, Registration>; byType: Map<string, Registration> }> {
  const { result, registrations, byType } = await runRecording(program);
  expect(result.error).toBeUndefined();
  return { resources: result.resources, registrations, byType };
}

const key = (r: RecordedResource) => `${r.type}::${r.name}`;

/** The stable names the planner gives the entries (the spec without the cloud's option bag). */
function storageNames(t: Target, storage: Storage[]): string[] {
  const { cloud, region, orchestrator } = t.spec as unknown as gpu.ClusterSpec;
  return gpu.planCluster({ cloud, region, orchestrator, gpu: { ...t.trainingGpu, nodes: 4 }, storage }).storage.map((s) => s.name);
}

/**
 * A resource's inputs as a node count edit may leave them: a Deployment's `spec.replicas` is its node-group size (the
 * autoscaler owns it after creation), so it is left out of the comparison.
 */
function comparable(r: RecordedResource, ignored: string[] = []): string {
  // Inputs under the resource's ignoreChanges are never diffed after creation (e.g. the AWS fabric gate parameter's
  // value, stamped with its creation time): a program that computes them anew changes nothing deployed.
  const inputs = Object.fromEntries(Object.entries(r.inputs ?? {}).filter(([k]) => !ignored.includes(k)));
  if (r.type !== "kubernetes:apps/v1:Deployment") return JSON.stringify(inputs);
  const { replicas: _replicas, ...spec } = r.inputs.spec;
  return JSON.stringify({ ...inputs, spec });
}

/** Resources of `before` whose inputs differ in `after` (same names in both), ignoring top-level inputs under `ignoreChanges`. */
function changedResources(before: RecordedResource[], after: RecordedResource[], byType: Map<string, Registration>): RecordedResource[] {
  return before.filter((r) => {
    const ignored = byType.get(key(r))?.ignoreChanges ?? [];
    return comparable(after.find((x) => key(x) === key(r))!, ignored) !== comparable(r, ignored);
  });
}

/** The pod volumes of every workload (Job / Deployment), by volume name. */
function podVolumes(resources: RecordedResource[]): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const r of resources) {
    const volumes = r.inputs?.spec?.template?.spec?.volumes as { name: string }[] | undefined;
    for (const v of volumes ?? []) out.set(`${r.name}/${v.name}`, v);
  }
  return out;
}

/** Resources that exist only to turn a cloud's own protection on for a guarded entry. */
const GUARD_TYPES = ["aws:efs/backupPolicy:BackupPolicy", "aws:s3/bucketVersioning:BucketVersioning", "azure-native:storage:BlobServiceProperties"];

/**
 * The cloud's own protections of the data resources in `resources`, each named after its data resource:
 * - EFS: automatic backups, which enroll the file system in AWS Backup's default daily plan kept 35 days
 *   (https://docs.aws.amazon.com/efs/latest/ug/awsbackup.html);
 * - S3: versioning; and on every bucket, guarded or not, noncurrent versions expire after 30 days;
 * - Cloud Storage: soft delete for 7 days (604800 s), set explicitly (https://cloud.google.com/storage/docs/soft-delete);
 * - Blob storage: blob and container soft delete for 7 days.
 * With `guarded` false, none of them (the lifecycle rule stays: it bounds what a guarded past left behind).
 */
function expectCloudGuards(resources: RecordedResource[], guarded: boolean): void {
  const of = (type: string) => resources.filter((r) => r.type === type);
  const named = (type: string, name: string) => of(type).filter((r) => r.name === name);
  for (const fs of of("aws:efs/fileSystem:FileSystem")) {
    const policy = named("aws:efs/backupPolicy:BackupPolicy", `${fs.name}-backup`);
    if (guarded) expect(policy.map((r) => r.inputs.backupPolicy), fs.name).toEqual([{ status: "ENABLED" }]);
    else expect(policy, fs.name).toEqual([]);
  }
  for (const bucket of of("aws:s3/bucket:Bucket")) {
    const versioning = named("aws:s3/bucketVersioning:BucketVersioning", `${bucket.name}-versioning`);
    if (guarded) expect(versioning.map((r) => r.inputs.versioningConfiguration), bucket.name).toEqual([{ status: "Enabled" }]);
    else expect(versioning, bucket.name).toEqual([]);
    expect(named("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", `${bucket.name}-lifecycle`).map((r) => r.inputs.rules), bucket.name).toEqual([
      [
        { id: "expire-noncurrent-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: 30 } },
        // Parts of abandoned multipart uploads are billed until aborted (https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpu-abort-incomplete-mpu-lifecycle-config.html).
        { id: "abort-incomplete-multipart-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
      ],
    ]);
  }
  for (const bucket of of("gcp:storage/bucket:Bucket")) {
    expect(bucket.inputs.softDeletePolicy, bucket.name).toEqual(guarded ? { retentionDurationSeconds: 604800 } : undefined);
  }
  for (const account of of("azure-native:storage:StorageAccount")) {
    const props = named("azure-native:storage:BlobServiceProperties", `${account.name}-soft-delete`);
    if (guarded) {
      expect(props.map((r) => [r.inputs.blobServicesName, r.inputs.deleteRetentionPolicy, r.inputs.containerDeleteRetentionPolicy]), account.name).toEqual([
        ["default", { enabled: true, days: 7 }, { enabled: true, days: 7 }],
      ]);
    } else expect(props, account.name).toEqual([]);
  }
  if (!guarded) expect(resources.filter((r) => GUARD_TYPES.includes(r.type)).map((r) => r.name)).toEqual([]);
}

describe.each(TARGETS)("$label: storage is guarded by default", (t) => {
  it("registers every data resource with protect and retainOnDelete, and turns the cloud's own protection on", async () => {
    const { resources, registrations } = await compile(training(t, "keep", t.storage));
    const data = resources.filter((r) => DATA_TYPES.includes(r.type));
    expect(data).toHaveLength(t.dataResources);
    for (const r of data) expect(registrations.get(r.name), `${r.type} ${r.name}`).toMatchObject({ protect: true, retainOnDelete: true });
    for (const r of resources.filter((r) => r.type === "gcp:filestore/instance:Instance")) expect(r.inputs.deletionProtectionEnabled).toBe(true);
    for (const r of resources.filter((r) => r.type === "aws:fsx/lustreFileSystem:LustreFileSystem")) {
      // https://docs.aws.amazon.com/fsx/latest/LustreGuide/using-backups-fsx.html: daily backups, and one at deletion.
      expect(r.inputs).toMatchObject({ automaticBackupRetentionDays: 7, skipFinalBackup: false, copyTagsToBackups: true });
    }
    for (const r of resources.filter((r) => /bucket:Bucket$/.test(r.type))) expect(r.inputs.forceDestroy).toBe(false);
    for (const r of resources.filter((r) => r.type === "gcp:container/cluster:Cluster")) expect(r.inputs.deletionProtection).toBe(true);
    expectCloudGuards(resources, true);
    // Deleting a namespace deletes its claims whatever their protect says
    // (https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/): a namespace holding a guarded
    // claim is kept on delete too, on every Kubernetes target (EKS included since it holds EFS and FSx claims).
    const guardedClaims = resources.filter((r) => r.type === "kubernetes:core/v1:PersistentVolumeClaim" && registrations.get(r.name)?.protect);
    for (const ns of resources.filter((r) => r.type === "kubernetes:core/v1:Namespace")) {
      expect(registrations.get(ns.name)?.retainOnDelete, ns.name).toBe(guardedClaims.length > 0 ? true : undefined);
    }
  });

  it("guards nothing of an entry that opts out (deletionProtection: false), and only that entry", async () => {
    const [first, ...rest] = t.storage;
    const { resources, registrations } = await compile(training(t, "drop", [{ ...first, deletionProtection: false }, ...rest]));
    const firstName = storageNames(t, [first])[0]!;
    const data = resources.filter((r) => DATA_TYPES.includes(r.type));
    const own = data.filter((r) => r.name.startsWith(`drop-${first.kind}-${firstName}`));
    expect(own.length).toBeGreaterThan(0);
    for (const r of own) {
      expect(registrations.get(r.name)?.protect, r.name).toBeUndefined();
      expect(registrations.get(r.name)?.retainOnDelete, r.name).toBeUndefined();
      if (r.type === "gcp:filestore/instance:Instance") expect(r.inputs.deletionProtectionEnabled).toBe(false);
      // No daily backups, but still the final one when it is deleted; copyTagsToBackups forces a new file system, so it never changes.
      if (r.type === "aws:fsx/lustreFileSystem:LustreFileSystem") expect(r.inputs).toMatchObject({ automaticBackupRetentionDays: 0, skipFinalBackup: false, copyTagsToBackups: true });
    }
    for (const r of data.filter((r) => !own.includes(r))) expect(registrations.get(r.name), r.name).toMatchObject({ protect: true, retainOnDelete: true });
    // The cloud's own protections follow the same entry: none for the first, all of them for the others.
    for (const r of resources.filter((r) => GUARD_TYPES.includes(r.type))) expect(r.name.startsWith(`drop-${first.kind}-${firstName}-`), r.name).toBe(false);
    expectCloudGuards(resources.filter((r) => !r.name.startsWith(`drop-${first.kind}-${firstName}`)), true);
    // Every entry opted out: no backups, versioning or soft delete settings anywhere.
    const open = await compile(training(t, "open", t.storage.map((s) => ({ ...s, deletionProtection: false }))));
    expectCloudGuards(open.resources, false);
  });
});

describe.each(TARGETS)("$label: storage keeps its identity", (t) => {
  it("inserting an entry in front, removing one and reordering the rest leaves the others' resources and pod volumes as they were", async () => {
    const [a, b, c] = t.storage;
    const before = await compile(training(t, "ids", [a, b, c]));
    const after = await compile(training(t, "ids", [t.extra, c, a]));
    const names = storageNames(t, [a, b, c]).map((name, i) => `ids-${[a, b, c][i]!.kind}-${name}`);
    const kept = [names[0]!, names[2]!];
    const removed = names[1]!;
    const ofEntry = (resources: RecordedResource[], prefix: string) => resources.filter((r) => r.name === prefix || r.name.startsWith(`${prefix}-`));
    for (const prefix of kept) {
      const was = ofEntry(before.resources, prefix);
      const is = ofEntry(after.resources, prefix);
      expect(was.length, prefix).toBeGreaterThan(0);
      expect(is.map(key).sort()).toEqual(was.map(key).sort());
      for (const r of was) expect(is.find((x) => key(x) === key(r))!.inputs, key(r)).toEqual(r.inputs);
    }
    // The removed entry's resources are gone (and, guarded, Pulumi would refuse to delete them).
    expect(ofEntry(after.resources, removed)).toHaveLength(0);
    // Every pod volume of a kept entry has the same name and source.
    const volumesBefore = podVolumes(before.resources);
    const volumesAfter = podVolumes(after.resources);
    for (const [name, volume] of volumesBefore) {
      if (/storage-/.test(name) && !name.endsWith(`storage-${removed.split("-").slice(2).join("-")}`)) expect(volumesAfter.get(name), name).toEqual(volume);
    }
  });
});

/**
 * Types a node count or replica change may touch: the node group and what sizes it, the component itself (its plan
 * and estimate are its inputs), the training Job (one pod per node) and the AWS VM fabric gate's association.
 */
const NODE_GROUP_TYPES = [
  "gpu-cluster:index:TrainingCluster",
  "gpu-cluster:index:InferenceFleet",
  "aws:autoscaling/group:Group",
  "aws:eks/nodeGroup:NodeGroup",
  "gcp:compute/instanceGroupManager:InstanceGroupManager",
  "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager",
  "gcp:compute/regionAutoscaler:RegionAutoscaler",
  "gcp:container/nodePool:NodePool",
  "azure-native:compute:VirtualMachineScaleSet",
  "azure-native:monitor:AutoscaleSetting",
  "azure-native:containerservice:AgentPool",
  "kubernetes:compute.coreweave.com/v1alpha1:NodePool",
  "kubernetes:batch/v1:Job",
  // The AWS VM fabric gate's association: its check waits for the whole group and compares with the type's floor, as
  // the Kubernetes check Job does (updated in place; a check that already ran does not run again).
  "aws:ssm/association:Association",
  "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
  "kubernetes:keda.sh/v1alpha1:ScaledObject",
];

describe.each(TARGETS)("$label: a node count edit touches node groups only", (t) => {
  it("training: 4 → 8 nodes changes no other resource's name or inputs", async () => {
    const before = await compile(training(t, "grow", t.storage, 4));
    const after = await compile(training(t, "grow", t.storage, 8));
    expect(after.resources.map(key).sort()).toEqual(before.resources.map(key).sort());
    const changed = changedResources(before.resources, after.resources, before.byType);
    expect(changed.map((r) => r.type).filter((type) => !NODE_GROUP_TYPES.includes(type))).toEqual([]);
    // The node group itself did change: the test would notice a count that went nowhere.
    expect(changed.some((r) => !r.type.startsWith("gpu-cluster:"))).toBe(true);
  });

  it("inference: replicas {2, 6} → {3, 10} changes no other resource's name or inputs", async () => {
    // Lustre is zonal: Azure pins the fleet's zone for it, and GKE builds it for training clusters only (a fleet's pool spans zones).
    const zonalLustre = t.spec.cloud === "azure" || (t.spec.cloud === "gcp" && t.spec.orchestrator === "kubernetes");
    const storage = t.storage.filter((s) => s.kind !== "lustre" || !zonalLustre);
    const before = await compile(fleet(t, "scale", storage, { min: 2, max: 6 }));
    const after = await compile(fleet(t, "scale", storage, { min: 3, max: 10 }));
    expect(after.resources.map(key).sort()).toEqual(before.resources.map(key).sort());
    const changed = changedResources(before.resources, after.resources, before.byType);
    expect(changed.map((r) => r.type).filter((type) => !NODE_GROUP_TYPES.includes(type))).toEqual([]);
    expect(changed.some((r) => !r.type.startsWith("gpu-cluster:"))).toBe(true);
  });
});

/**
 * What a GPU type change may touch besides the node groups, as the README says: the node template (launch template,
 * instance template), the training Job and the per-machine-type installer DaemonSet, and, where the fabric itself
 * changes (A3 Mega's 8 TCPXO NICs → A3 High's 4 TCPX NICs), the GPU networks and their Kubernetes objects.
 */
const GPU_TYPE_TYPES = [
  ...NODE_GROUP_TYPES,
  "aws:ec2/launchTemplate:LaunchTemplate",
  "gcp:compute/instanceTemplate:InstanceTemplate",
  "kubernetes:apps/v1:DaemonSet",
];
// The fabric follows the GPU type: GPU networks, and on AKS the ND topology ConfigMap (updated in place, same name).
const isFabricNetwork = (r: RecordedResource) => /-gpu-\d+(-internal)?$|-vpc\d+-(params|network)$|-nccl-topology$/.test(r.name);

const TYPE_CHANGES: [string, Target, string][] = [
  ["p5.48xlarge → p5en.48xlarge", TARGETS[0]!, "p5en.48xlarge"],
  ["p5.48xlarge → p5en.48xlarge", TARGETS[1]!, "p5en.48xlarge"],
  ["a3-megagpu-8g → a3-highgpu-8g", TARGETS[2]!, "a3-highgpu-8g"],
  ["a3-megagpu-8g → a3-highgpu-8g", TARGETS[3]!, "a3-highgpu-8g"],
  ["ND H100 v5 → ND A100 v4", TARGETS[4]!, "Standard_ND96asr_v4"],
  ["ND H100 v5 → ND A100 v4", TARGETS[5]!, "Standard_ND96asr_v4"],
  ["H100 → A100 nodes", TARGETS[6]!, "gd-8xa100-i128"],
];

describe.each(TYPE_CHANGES)("%s (%#): a GPU type edit touches node groups and the fabric only", (_change, t, to) => {
  it(`${t.label}: storage, networks and the cluster keep their names and inputs`, async () => {
    const before = await compile(training(t, "swap", t.storage));
    // A3 High on GCP VMs takes an image with Google's TCPX kernel (gcp.image): part of that edit, in the template only.
    const spec = t.spec as { cloud: string; orchestrator?: string; gcp?: Record<string, unknown> };
    const tcpxImage = to === "a3-highgpu-8g" && spec.orchestrator !== "kubernetes" ? { gcp: { ...spec.gcp, image: "projects/my-project/global/images/family/a3high-tcpx" } } : {};
    const after = await compile(() => new gpu.TrainingCluster("swap", privateEndpoint({ ...t.spec, gpu: { instanceType: to, nodes: 4 }, storage: t.storage, ...tcpxImage } as unknown as gpu.TrainingClusterArgs)));
    const names = new Set(after.resources.map(key));
    const touched = [
      ...changedResources(before.resources.filter((r) => names.has(key(r))), after.resources, before.byType),
      ...before.resources.filter((r) => !names.has(key(r))),
      ...after.resources.filter((r) => !before.resources.some((x) => key(x) === key(r))),
    ];
    expect(touched.filter((r) => !GPU_TYPE_TYPES.includes(r.type) && !isFabricNetwork(r)).map(key)).toEqual([]);
    expect(touched.filter((r) => DATA_TYPES.includes(r.type))).toEqual([]);
    expect(touched.some((r) => !r.type.startsWith("gpu-cluster:"))).toBe(true);
  });
});

/**
 * CoreWeave's NodePool, against its reference (https://docs.coreweave.com/products/cks/reference/node-pool, read
 * 2026-12-01): "instanceType is immutable and unchangeable". A GPU type edit must replace the pool, not update it (CKS
 * would refuse the update and `up` would fail), and delete it first (the new pool keeps the same cluster-scoped name);
 * the PVCs holding data keep their names, inputs and guards, with no replace trigger of their own.
 */
describe("CoreWeave: a GPU type edit replaces the NodePool, never the PVCs", () => {
  it("the NodePool is registered to replace on spec.instanceType, deleting first; H100 → A100 changes its instanceType and no PVC", async () => {
    const t = TARGETS.find((x) => x.label === "CoreWeave")!;
    const before = await compile(training(t, "cwswap", t.storage));
    const after = await compile(() => new gpu.TrainingCluster("cwswap", privateEndpoint({ ...t.spec, gpu: { instanceType: "gd-8xa100-i128", nodes: 4 }, storage: t.storage } as unknown as gpu.TrainingClusterArgs)));
    const poolType = "kubernetes:compute.coreweave.com/v1alpha1:NodePool";
    const pool = (run: typeof before) => run.resources.find((r) => r.type === poolType)!;
    expect(before.byType.get(`${poolType}::cwswap-nodepool`)).toMatchObject({ replaceOnChanges: ["spec.instanceType"], deleteBeforeReplace: true });
    expect(pool(before).inputs.spec.instanceType).toBe("gd-8xh100ib-i128");
    expect(pool(after).inputs.spec.instanceType).toBe("gd-8xa100-i128");
    expect(pool(after).inputs.metadata.name).toBe(pool(before).inputs.metadata.name);
    const pvcs = before.resources.filter((r) => r.type === "kubernetes:core/v1:PersistentVolumeClaim");
    expect(pvcs).toHaveLength(2);
    for (const pvc of pvcs) {
      const reg = before.byType.get(key(pvc))!;
      expect(reg, pvc.name).toMatchObject({ protect: true, retainOnDelete: true });
      expect(reg.replaceOnChanges, pvc.name).toBeUndefined();
      expect(reg.deleteBeforeReplace, pvc.name).toBeUndefined();
      expect(after.resources.find((x) => key(x) === key(pvc))!.inputs, pvc.name).toEqual(pvc.inputs);
    }
  });
});

describe("the cost of the clouds' own protections is stated in the plan", () => {
  it("Azure: a guarded NetApp volume's snapshot policy is noted (snapshots use the volume's own capacity, priced with the pool); an unguarded volume adds no note", () => {
    // https://learn.microsoft.com/en-us/azure/azure-netapp-files/snapshots-manage-policy and snapshots-introduction (read 2026-11-30).
    const storage: Storage[] = [
      { kind: "nfs", capacityTiB: 4, mountPath: "/home" },
      { kind: "nfs", capacityTiB: 4, mountPath: "/scratch", deletionProtection: false },
    ];
    const plan = gpu.planCluster({ cloud: "azure", region: "eastus", gpu: { instanceType: "Standard_NC24ads_A100_v4", nodes: 2 }, storage });
    expect(azurePlanNotes(plan, undefined).filter((n) => n.startsWith("storage '"))).toEqual([
      "storage 'home': a snapshot policy keeps 7 daily and 4 weekly snapshots of the NetApp volume (storage[].deletionProtection); " +
        "they take space from the volume's own capacity (the blocks changed since each snapshot), which the capacity pool already priced pays for, so a volume that rewrites much of its data fills sooner",
    ]);
  });

  it("AWS: a guarded EFS file system's backups and a guarded bucket's versions are noted as left out of the estimate; an unguarded entry adds no note", () => {
    const storage: Storage[] = [
      { kind: "nfs", capacityTiB: 1, mountPath: "/home" },
      { kind: "object", capacityTiB: 10, mountPath: "/mnt/ckpt" },
      { kind: "nfs", capacityTiB: 1, mountPath: "/mnt/scratch", deletionProtection: false },
      { kind: "object", capacityTiB: 1, mountPath: "/mnt/tmp", deletionProtection: false },
    ];
    const plan = gpu.planCluster({ cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 }, storage });
    const notes = checkAwsOptions(plan, undefined).filter((n) => n.startsWith("storage '"));
    expect(notes).toEqual([
      "storage 'home': AWS Backup keeps daily backups of the EFS file system for 35 days (storage[].deletionProtection); backup storage is billed per GB-month of data backed up, which the estimate cannot know and leaves out",
      "storage 'mnt-ckpt': the bucket is versioned and keeps overwritten or deleted objects for 30 days (storage[].deletionProtection); those versions are billed as S3 storage, which the estimate cannot know and leaves out",
    ]);
  });
});
