/**
 * Storage the cluster mounts: Azure Managed Lustre (`lustre`), Azure NetApp
 * Files over NFSv4.1 (`nfs`, the catalog's nfs product), a Blob storage account
 * (`object`). `block` volumes are data disks of the scale set profile (one per
 * node), see `dataDisks`. Everything is encrypted at rest (Azure's service-side
 * encryption, never optional) and reachable only from the VNet.
 */
import * as pulumi from "@pulumi/pulumi";
import * as netapp from "@pulumi/azure-native/netapp";
import * as storage from "@pulumi/azure-native/storage";
import * as storagecache from "@pulumi/azure-native/storagecache";
import type * as inputs from "@pulumi/azure-native/types/input.js";
import type { Plan, StoragePlan } from "../../planner/types.js";
import type { CompileContext, StorageHandle } from "../types.js";
import { dataOptions, storageResourceName, type MountSources } from "../shared/storage.js";
import { subnetLayout, type AzureNetwork, type AzurePlace } from "./network.js";
import { dataDiskLun, globalName } from "./names.js";
import { checkLustrePlan } from "./options.js";
import { billedEntry } from "../shared/bill.js";
import { AMLFS_FS_NAME, NETAPP_MOUNT_ROOT_MODE, NETAPP_SNAPSHOT_SCHEDULE } from "./storage-rules.js";
import { OBJECT_RETENTION } from "../../cost/bom/shared.js";

// The NetApp guard is SDK-free, so the option checks can name it in their notes without loading @pulumi/azure-native.
export { NETAPP_SNAPSHOT_SCHEDULE, netappSnapshotNote } from "./storage-rules.js";

const GIB = 1024 ** 3;
/** A regular Azure NetApp Files volume holds at most 100 TiB; above that it must be a large volume. */
const NETAPP_REGULAR_VOLUME_MAX_GIB = 100 * 1024;

export interface AzureStorage {
  handles: StorageHandle[];
  /** Storage name → mount source, for the bootstrap. */
  mountSources: pulumi.Output<MountSources>;
  /** Storage accounts the node identity may read and write, by storage name. */
  storageAccounts: { name: string; id: pulumi.Output<string> }[];
  /**
   * Managed Lustre file systems' MGS addresses (`clientInfo.mgsAddress`), by storage name: what the AKS Lustre CSI
   * driver's static volume names (aks/lustre-claims.ts); the VMs mount `<address>@tcp:/lustrefs` from `mountSources`.
   */
  lustreMgsAddresses: Record<string, pulumi.Output<string>>;
}

/** Azure Managed Lustre SKU from the catalog tier name (`125`, `premium-125` or the SKU itself → AMLFS-Durable-Premium-125). */
export function amlfsSku(tier: string): string {
  if (/^AMLFS-/i.test(tier)) return tier;
  const throughput = /(\d+)$/.exec(tier)?.[1] ?? "125";
  return `AMLFS-Durable-Premium-${throughput}`;
}

/**
 * Days a guarded storage account keeps deleted blobs and containers (soft delete; Azure allows 1 to 365): the days the
 * bill names (lib/cost/bom/shared.ts OBJECT_RETENTION).
 */
export const AZURE_BLOB_SOFT_DELETE_DAYS = OBJECT_RETENTION.azure!.days;

/** NetApp service level from the tier name (`premium` → Premium). */
export function netappServiceLevel(tier: string): string {
  const level = tier.toLowerCase();
  return level === "ultra" ? "Ultra" : level === "standard" ? "Standard" : "Premium";
}

/** Blob account SKU and access tier from the tier name (`hot-lrs` → Standard_LRS, Hot). */
export function blobAccount(tier: string): { sku: string; accessTier: "Hot" | "Cool" | "Cold" } {
  const m = /^(hot|cool|cold)-(lrs|zrs|grs|ragrs|gzrs)$/.exec(tier.toLowerCase());
  if (!m) return { sku: "Standard_LRS", accessTier: "Hot" };
  const access = m[1]!;
  return { sku: `Standard_${m[2]!.toUpperCase()}`, accessTier: (access[0]!.toUpperCase() + access.slice(1)) as "Hot" | "Cool" | "Cold" };
}

/** Managed disk type from the block tier name. */
export function diskType(tier: string): string {
  const t = tier.toLowerCase();
  if (t.includes("v2")) return "PremiumV2_LRS";
  if (t.includes("ultra")) return "UltraSSD_LRS";
  if (t.includes("standard")) return "StandardSSD_LRS";
  return "Premium_LRS";
}

/**
 * `block` storage: one empty, encrypted data disk per node, at the LUN of its storage name ({@link dataDiskLun}).
 * These are per-VM disks of the scale set model: a Uniform scale set deletes them with their VM (`deleteOption:
 * "Detach"` exists for Flexible orchestration only, per the azure-native VirtualMachineScaleSetDataDisk type and
 * https://learn.microsoft.com/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-orchestration-modes, read
 * 2026-11-30), and InfiniBand needs the Uniform set's single placement group. So they are scratch, never guarded:
 * validation refuses `storage[].deletionProtection: true` for them and the plan says so (lib/spec/validate.ts).
 */
export function dataDisks(plan: Plan, ctx: CompileContext): inputs.compute.VirtualMachineScaleSetDataDiskArgs[] {
  return plan.storage
    .filter((s) => s.kind === "block")
    .map((s) => billedEntry(ctx.bill, s))
    .map((s) => ({
      lun: dataDiskLun(s.name),
      createOption: "Empty",
      diskSizeGB: s.capacityGiB,
      managedDisk: { storageAccountType: diskType(s.tier) },
      // Checkpoints are written once and read rarely: host caching would only cost memory.
      caching: "None",
      deleteOption: "Delete",
    }));
}

export function azureStorage(plan: Plan, ctx: CompileContext, place: AzurePlace, net: AzureNetwork, tags: Record<string, string>): AzureStorage {
  const opts = { parent: ctx.parent };
  const base = { resourceGroupName: place.resourceGroupName, location: place.location, tags };
  const handles: StorageHandle[] = [];
  const sources: Record<string, pulumi.Output<string>> = {};
  const storageAccounts: AzureStorage["storageAccounts"] = [];
  const lustreMgsAddresses: AzureStorage["lustreMgsAddresses"] = {};

  // A compiler called with a plan that skipped the option checks still never guesses the file system's zone.
  checkLustrePlan(plan);
  // `block` entries are the scale set's data disks (dataDisks), read from the bill there.
  plan.storage.filter((s) => s.kind !== "block").forEach((entry: StoragePlan) => {
    const s = billedEntry(ctx.bill, entry);
    const id = storageResourceName(ctx, s);
    const guarded = dataOptions(s, opts);
    if (s.kind === "lustre") {
      const fs = new storagecache.AmlFilesystem(
        id,
        {
          ...base,
          sku: { name: amlfsSku(s.tier) },
          storageCapacityTiB: s.capacityGiB / 1024,
          filesystemSubnet: net.lustreSubnetId!,
          // Managed Lustre is zonal, and its clients belong in its zone: the scale set's zone, which the checks require
          // a Lustre plan to pin (checkLustrePlan). From the spec only, so the file system never moves on its own.
          zones: [plan.zone!],
          maintenanceWindow: { dayOfWeek: "Sunday", timeOfDayUTC: "02:00" },
        },
        guarded,
      );
      lustreMgsAddresses[s.name] = fs.clientInfo.apply((c) => c?.mgsAddress ?? "");
      sources[s.name] = lustreMgsAddresses[s.name]!.apply((mgs) => (mgs ? `${mgs}@tcp:/${AMLFS_FS_NAME}` : ""));
      handles.push({ kind: s.kind, name: s.name, id: fs.id, mountPath: s.mountPath, endpoint: sources[s.name]! });
    } else if (s.kind === "nfs") {
      const serviceLevel = netappServiceLevel(s.tier);
      const account = new netapp.Account(`${id}-account`, base, opts);
      const pool = new netapp.CapacityPool(
        `${id}-pool`,
        { ...base, accountName: account.name, serviceLevel, size: s.capacityGiB * GIB, qosType: "Auto" },
        opts,
      );
      // Guarded: scheduled snapshots (NETAPP_SNAPSHOT_SCHEDULE). The policy is the account's and stays with a retained
      // volume, which keeps being snapshotted after the stack lets it go.
      const snapshotPolicy = s.deletionProtection
        ? new netapp.SnapshotPolicy(`${id}-snapshots`, { ...base, accountName: account.name, enabled: true, ...NETAPP_SNAPSHOT_SCHEDULE }, { ...opts, retainOnDelete: true })
        : undefined;
      const creationToken = globalName(id, 40);
      const volume = new netapp.CapacityPoolVolume(
        id,
        {
          ...base,
          accountName: account.name,
          poolName: pool.name,
          creationToken,
          serviceLevel,
          usageThreshold: s.capacityGiB * GIB,
          isLargeVolume: s.capacityGiB > NETAPP_REGULAR_VOLUME_MAX_GIB,
          subnetId: net.netappSubnetId!,
          networkFeatures: "Standard",
          protocolTypes: ["NFSv4.1"],
          // Writable by every cluster user, not only root (Azure's default 0770 owned by root): NETAPP_MOUNT_ROOT_MODE.
          unixPermissions: NETAPP_MOUNT_ROOT_MODE,
          ...(snapshotPolicy ? { dataProtection: { snapshot: { snapshotPolicyId: snapshotPolicy.id } } } : {}),
          // Only the node subnet may mount it (the kubelet or the VM mounts NFS from the node's own address).
          exportPolicy: {
            rules: [
              {
                ruleIndex: 1,
                allowedClients: subnetLayout(net.addressSpace).nodes,
                nfsv3: false,
                nfsv41: true,
                unixReadOnly: false,
                unixReadWrite: true,
                hasRootAccess: true,
                kerberos5ReadWrite: false,
                kerberos5iReadWrite: false,
                kerberos5pReadWrite: false,
              },
            ],
          },
        },
        guarded,
      );
      const server = volume.mountTargets.apply((targets) => targets?.[0]?.ipAddress ?? "");
      sources[s.name] = server.apply((ip) => (ip ? `${ip}:/${creationToken}` : ""));
      handles.push({ kind: s.kind, name: s.name, id: volume.id, mountPath: s.mountPath, endpoint: sources[s.name]!, nfs: { server, path: `/${creationToken}` } });
    } else if (s.kind === "object") {
      const { sku, accessTier } = blobAccount(s.tier);
      const accountName = globalName(id);
      const account = new storage.StorageAccount(
        id,
        {
          ...base,
          accountName,
          kind: "StorageV2",
          sku: { name: sku },
          accessTier,
          enableHttpsTrafficOnly: true,
          minimumTlsVersion: "TLS1_2",
          allowBlobPublicAccess: false,
          // Entra ID only: no account keys or SAS tokens to leak; the node identity has a data role.
          allowSharedKeyAccess: false,
          defaultToOAuthAuthentication: true,
          allowCrossTenantReplication: false,
          // Reachable from the cluster's subnet only (service endpoint), not from the internet.
          publicNetworkAccess: "Enabled",
          networkRuleSet: {
            defaultAction: "Deny",
            bypass: "AzureServices",
            virtualNetworkRules: [{ virtualNetworkResourceId: net.nodeSubnetId, action: "Allow" }],
          },
          encryption: {
            keySource: "Microsoft.Storage",
            requireInfrastructureEncryption: true,
            services: { blob: { enabled: true, keyType: "Account" } },
          },
        },
        guarded,
      );
      const container = new storage.BlobContainer(
        `${id}-data`,
        { resourceGroupName: place.resourceGroupName, accountName: account.name, containerName: "data", publicAccess: "None" },
        guarded,
      );
      // Blob storage's own protection of a guarded account: deleted or overwritten blobs, and deleted containers, stay
      // restorable for 7 days (blob soft delete: https://docs.azure.cn/en-us/storage/blobs/storage-blob-soft-delete;
      // 1 to 365 days: DeleteRetentionPolicy in learn.microsoft.com/javascript/api/@azure/arm-storage; read 2026-11-30),
      // billed as stored data meanwhile. Unguarded, the properties are not managed: the account is then deletable, and
      // its soft-deleted data goes with it.
      if (s.deletionProtection) {
        const retention = { enabled: true, days: AZURE_BLOB_SOFT_DELETE_DAYS };
        new storage.BlobServiceProperties(
          `${id}-soft-delete`,
          { resourceGroupName: place.resourceGroupName, accountName: account.name, blobServicesName: "default", deleteRetentionPolicy: retention, containerDeleteRetentionPolicy: retention },
          opts,
        );
      }
      storageAccounts.push({ name: s.name, id: account.id });
      const endpoint = pulumi.interpolate`https://${accountName}.blob.core.windows.net/${container.name}`;
      handles.push({ kind: s.kind, name: s.name, id: account.id, mountPath: s.mountPath, endpoint });
    }
  });
  return { handles, mountSources: pulumi.output(sources), storageAccounts, lustreMgsAddresses };
}
