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
import { BUCKET_ROLE } from "./identity.js";
import { lustreFilesystemName, lustreInstanceId } from "./names.js";
import type { GcpNetwork } from "./network.js";

/** Filestore share name (letters, digits, underscores). */
export const FILESTORE_SHARE = "share";

/** Filestore tier enum from the catalog's tier name. */
export function filestoreTier(tier: string): string {
  return tier.toUpperCase().replace(/-/g, "_");
}

/** Device name of the `index`-th block volume; the node sees it as /dev/disk/by-id/google-<name>. */
export function blockDeviceName(index: number): string {
  return `gpu-cluster-data-${index}`;
}

export interface GcpStorage {
  handles: StorageHandle[];
  /** Storage index → mount source, for the startup script. */
  mountSources: pulumi.Output<Record<string, string>>;
}

export interface StorageInputs {
  zone: pulumi.Output<string>;
  /** `serviceAccount:<email>` of the nodes. */
  member: pulumi.Output<string>;
  labels: Record<string, string>;
}

/**
 * A Filestore instance on the host VPC (the `filestoreIndex`-th, in its reserved range) with one share; the handle's
 * endpoint is `<ip>:/share`, what NFS clients mount.
 */
export function filestoreShare(s: StoragePlan, id: string, filestoreIndex: number, network: GcpNetwork, ctx: CompileContext, inputs: Pick<StorageInputs, "zone" | "labels">): StorageHandle {
  const fs = new filestore.Instance(
    id,
    {
      location: inputs.zone,
      tier: filestoreTier(s.tier),
      fileShares: { name: FILESTORE_SHARE, capacityGb: s.capacityGiB },
      networks: [{ network: network.host.name, modes: ["MODE_IPV4"], connectMode: "DIRECT_PEERING", reservedIpRange: network.addresses.filestore(filestoreIndex) }],
      labels: inputs.labels,
      description: `gpu-cluster ${ctx.name}: ${s.mountPath}`,
    },
    { parent: ctx.parent },
  );
  const server = fs.networks.apply((n) => n[0]?.ipAddresses?.[0] ?? "");
  const endpoint = pulumi.interpolate`${server}:/${FILESTORE_SHARE}`;
  return { kind: s.kind, id: fs.id, mountPath: s.mountPath, endpoint, nfs: { server, path: `/${FILESTORE_SHARE}` } };
}

export function gcpStorage(plan: Plan, network: GcpNetwork, ctx: CompileContext, inputs: StorageInputs): GcpStorage {
  const { name, parent } = ctx;
  const opts = { parent };
  const handles: StorageHandle[] = [];
  const sources: Record<string, pulumi.Output<string>> = {};

  // Managed Lustre lives in a Google-managed network peered over private services access.
  let peering: servicenetworking.Connection | undefined;
  if (plan.storage.some((s) => s.kind === "lustre")) {
    const [address, prefix] = network.addresses.privateServices.split("/");
    const range = new compute.GlobalAddress(
      `${name}-private-services`,
      { network: network.host.id, purpose: "VPC_PEERING", addressType: "INTERNAL", address: address!, prefixLength: Number(prefix), description: `gpu-cluster ${name}: Managed Lustre` },
      opts,
    );
    peering = new servicenetworking.Connection(
      `${name}-private-services`,
      { network: network.host.id, service: "servicenetworking.googleapis.com", reservedPeeringRanges: [range.name] },
      opts,
    );
  }

  let filestoreIndex = 0;
  let lustreIndex = 0;
  plan.storage.forEach((s, i) => {
    const id = `${name}-${s.kind}-${i}`;
    if (s.kind === "lustre") {
      const fs = new lustre.Instance(
        id,
        {
          instanceId: lustreInstanceId(name, lustreIndex),
          filesystem: lustreFilesystemName(lustreIndex),
          location: inputs.zone,
          network: network.host.id,
          capacityGib: String(s.capacityGiB),
          perUnitStorageThroughput: s.tier,
          labels: inputs.labels,
          description: `gpu-cluster ${name}: ${s.product} at ${s.mountPath}`,
        },
        { parent, dependsOn: peering ? [peering] : [] },
      );
      lustreIndex++;
      sources[String(i)] = fs.mountPoint;
      handles.push({ kind: s.kind, id: fs.id, mountPath: s.mountPath, endpoint: fs.mountPoint });
    } else if (s.kind === "nfs") {
      const handle = filestoreShare(s, id, filestoreIndex++, network, ctx, inputs);
      sources[String(i)] = handle.endpoint;
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
          labels: inputs.labels,
        },
        opts,
      );
      new storage.BucketIAMMember(`${id}-nodes`, { bucket: bucket.name, role: BUCKET_ROLE, member: inputs.member }, opts);
      handles.push({ kind: s.kind, id: bucket.name, mountPath: s.mountPath, endpoint: pulumi.interpolate`gs://${bucket.name}` });
    } else if (s.kind === "block") {
      const device = blockDeviceName(i);
      handles.push({ kind: s.kind, id: pulumi.output(device), mountPath: s.mountPath, endpoint: pulumi.output(`/dev/disk/by-id/google-${device}`) });
    }
  });
  return { handles, mountSources: pulumi.output(sources) };
}
