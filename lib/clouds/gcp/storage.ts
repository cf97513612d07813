/**
 * Storage the cluster mounts: Google Cloud Managed Lustre (`lustre`, over private
 * services access), Filestore (`nfs`), Cloud Storage (`object`: uniform bucket-level
 * access, public access prevention enforced, objects granted to the nodes' account
 * only). `block` volumes are data disks in the instance template (one per node).
 * Everything is encrypted at rest by Google by default and reachable only privately.
 */
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/gcp/compute";
import * as filestore from "@pulumi/gcp/filestore";
import * as lustre from "@pulumi/gcp/lustre";
import * as servicenetworking from "@pulumi/gcp/servicenetworking";
import * as storage from "@pulumi/gcp/storage";
import type { Plan, StoragePlan } from "../../planner/types.js";
import type { CompileContext, StorageHandle } from "../types.js";
import { billedStorage } from "../shared/bill.js";
import { dataOptions, lookedUpPlacement, storageResourceName, type MountSources } from "../shared/storage.js";
import { afterApis } from "./apis.js";
import { BUCKET_ROLE } from "./identity.js";
import { lustreFilesystemName, lustreInstanceId } from "./names.js";
import type { GcpNetwork } from "./network.js";
import { OBJECT_RETENTION } from "../../cost/bom/shared.js";

/** Filestore share name (letters, digits, underscores). */
export const FILESTORE_SHARE = "share";

/** Filestore tier enum from the catalog's tier name. */
export function filestoreTier(tier: string): string {
  return tier.toUpperCase().replace(/-/g, "_");
}

/**
 * Seconds Cloud Storage keeps a guarded bucket's deleted or overwritten objects (soft delete; Google allows 7 to 90
 * days): the days the bill names (lib/cost/bom/shared.ts OBJECT_RETENTION).
 */
export const GCS_SOFT_DELETE_SECONDS = OBJECT_RETENTION.gcp!.days * 24 * 3600;

/**
 * Cloud Storage's own protection of a guarded bucket, stated rather than left to the default: soft delete keeps every
 * deleted or overwritten object restorable for 7 days (https://cloud.google.com/storage/docs/soft-delete, read
 * 2026-11-30), billed at the object's storage rate meanwhile. That covers overwrites too, so object versioning would
 * add nothing but a second copy to pay for. An unguarded bucket leaves the field to Google's default.
 */
export function bucketSoftDelete(s: Pick<StoragePlan, "deletionProtection">): { softDeletePolicy?: { retentionDurationSeconds: number } } {
  return s.deletionProtection ? { softDeletePolicy: { retentionDurationSeconds: GCS_SOFT_DELETE_SECONDS } } : {};
}

/** Device name of a block volume, from its storage entry's stable name; the node sees /dev/disk/by-id/google-<device>. */
export function blockDeviceName(storageName: string): string {
  return `gpu-cluster-${storageName}`;
}

export interface GcpStorage {
  handles: StorageHandle[];
  /** Storage name → mount source, for the startup script. */
  mountSources: pulumi.Output<MountSources>;
}

export interface StorageInputs {
  zone: pulumi.Output<string>;
  /** The zone the spec pins (`zone` / `gcp.zone`); without one `zone` came from a lookup and is kept after creation. */
  pinnedZone: string | undefined;
  /** `serviceAccount:<email>` of the nodes. */
  member: pulumi.Output<string>;
  labels: Record<string, string>;
}

/**
 * A Filestore instance on the host VPC (in the reserved /29 of its storage name) with one share; the handle's
 * endpoint is `<ip>:/share`, what NFS clients mount. Guarded: Filestore's own deletion protection as well as
 * Pulumi's (https://cloud.google.com/filestore/docs/deletion-protection).
 */
export function filestoreShare(s: StoragePlan, network: GcpNetwork, ctx: CompileContext, inputs: Pick<StorageInputs, "zone" | "pinnedZone" | "labels">): StorageHandle {
  const fs = new filestore.Instance(
    storageResourceName(ctx, s),
    {
      location: inputs.zone,
      tier: filestoreTier(s.tier),
      fileShares: { name: FILESTORE_SHARE, capacityGb: s.capacityGiB },
      networks: [{ network: network.host.name, modes: ["MODE_IPV4"], connectMode: "DIRECT_PEERING", reservedIpRange: network.addresses.filestore(s.name) }],
      labels: inputs.labels,
      deletionProtectionEnabled: s.deletionProtection,
      ...(s.deletionProtection ? { deletionProtectionReason: "gpu-cluster storage (storage[].deletionProtection)" } : {}),
      // The description forces a new instance on change: only what never changes goes in it.
      description: `gpu-cluster ${ctx.name}: ${s.name}`,
    },
    dataOptions(s, afterApis(ctx, { parent: ctx.parent, ignoreChanges: lookedUpPlacement(inputs.pinnedZone, ["location"]) }, "file")),
  );
  const server = fs.networks.apply((n) => n[0]?.ipAddresses?.[0] ?? "");
  const endpoint = pulumi.interpolate`${server}:/${FILESTORE_SHARE}`;
  return { kind: s.kind, name: s.name, id: fs.id, mountPath: s.mountPath, endpoint, nfs: { server, path: `/${FILESTORE_SHARE}` } };
}

/** A Managed Lustre instance the component built, with the handle its clients mount. */
export interface ManagedLustre {
  /** The storage entry's stable name. */
  name: string;
  instance: lustre.Instance;
  handle: StorageHandle;
}

/**
 * Every `lustre` entry of the plan as a Google Cloud Managed Lustre instance: the one rule for the VM compilers and
 * GKE. The instances live in a Google-managed network peered with the host VPC over private services access (the
 * /20 of the address plan), are named from the component and the entry's stable name (names.ts: instance id and file
 * system name, never a list position), sit in `inputs.zone` (the GPU nodes' zone; kept after creation when that zone
 * came from a lookup) and are guarded as the entry is (protect + retainOnDelete by default). Nothing is built when the
 * plan has no Lustre entry.
 */
export function managedLustreInstances(plan: Plan, network: GcpNetwork, ctx: CompileContext, inputs: Pick<StorageInputs, "zone" | "pinnedZone" | "labels">): ManagedLustre[] {
  const entries = billedStorage(plan.storage, ctx.bill).filter((s) => s.kind === "lustre");
  if (entries.length === 0) return [];
  const { name, parent } = ctx;
  const opts = { parent };
  const [address, prefix] = network.addresses.privateServices.split("/");
  const range = new compute.GlobalAddress(
    `${name}-private-services`,
    { network: network.host.id, purpose: "VPC_PEERING", addressType: "INTERNAL", address: address!, prefixLength: Number(prefix), description: `gpu-cluster ${name}: Managed Lustre` },
    opts,
  );
  const peering = new servicenetworking.Connection(
    `${name}-private-services`,
    // ABANDON: deleting the connection fails while the producer network still has resources (a guarded Lustre
    // instance kept by retainOnDelete), which made every `pulumi destroy` fail; the peering goes with the VPC instead
    // (hashicorp/terraform-provider-google#16275; cluster-toolkit modules/network/private-service-access/main.tf
    // @10470803 exposes deletion_policy for the same reason). As that module pairs it, a later `up` that finds the
    // abandoned connection still there updates its ranges instead of failing to create it (updateOnCreationFail).
    { network: network.host.id, service: "servicenetworking.googleapis.com", reservedPeeringRanges: [range.name], deletionPolicy: "ABANDON", updateOnCreationFail: true },
    afterApis(ctx, opts, "servicenetworking"),
  );
  return entries.map((s) => {
    const instance = new lustre.Instance(
      storageResourceName(ctx, s),
      {
        instanceId: lustreInstanceId(name, s.name),
        filesystem: lustreFilesystemName(s.name),
        location: inputs.zone,
        network: network.host.id,
        capacityGib: String(s.capacityGiB),
        perUnitStorageThroughput: s.tier,
        labels: inputs.labels,
        description: `gpu-cluster ${name}: ${s.name}`,
      },
      dataOptions(s, afterApis(ctx, { parent, dependsOn: [peering], ignoreChanges: lookedUpPlacement(inputs.pinnedZone, ["location"]) }, "lustre")),
    );
    return { name: s.name, instance, handle: { kind: s.kind, name: s.name, id: instance.id, mountPath: s.mountPath, endpoint: instance.mountPoint } };
  });
}

export function gcpStorage(plan: Plan, network: GcpNetwork, ctx: CompileContext, inputs: StorageInputs): GcpStorage {
  const { parent } = ctx;
  const opts = { parent };
  const handles: StorageHandle[] = [];
  const sources: Record<string, pulumi.Output<string>> = {};

  // Managed Lustre: the shared builder, in the nodes' zone (inputs.zone).
  const lustreByName = new Map(managedLustreInstances(plan, network, ctx, inputs).map((l) => [l.name, l]));

  billedStorage(plan.storage, ctx.bill).forEach((s) => {
    const id = storageResourceName(ctx, s);
    if (s.kind === "lustre") {
      const { instance, handle } = lustreByName.get(s.name)!;
      sources[s.name] = instance.mountPoint;
      handles.push(handle);
    } else if (s.kind === "nfs") {
      const handle = filestoreShare(s, network, ctx, inputs);
      sources[s.name] = handle.endpoint;
      handles.push(handle);
    } else if (s.kind === "object") {
      const bucket = new storage.Bucket(
        id,
        {
          location: plan.region.toUpperCase(),
          storageClass: s.tier.toUpperCase(),
          uniformBucketLevelAccess: true,
          publicAccessPrevention: "enforced",
          forceDestroy: false,
          ...bucketSoftDelete(s),
          labels: inputs.labels,
        },
        dataOptions(s, afterApis(ctx, opts, "storage")),
      );
      new storage.BucketIAMMember(`${id}-nodes`, { bucket: bucket.name, role: BUCKET_ROLE, member: inputs.member }, opts);
      handles.push({ kind: s.kind, name: s.name, id: bucket.name, mountPath: s.mountPath, endpoint: pulumi.interpolate`gs://${bucket.name}` });
    } else if (s.kind === "block") {
      const device = blockDeviceName(s.name);
      handles.push({ kind: s.kind, name: s.name, id: pulumi.output(device), mountPath: s.mountPath, endpoint: pulumi.output(`/dev/disk/by-id/google-${device}`) });
    }
  });
  return { handles, mountSources: pulumi.output(sources) };
}
