/**
 * Storage on GKE. Each Cloud Storage bucket is private (uniform access, public access prevention enforced); the
 * workload's pods reach it through Workload Identity (their namespace's default Kubernetes service account is granted
 * objects on that bucket only) and get its name from a ConfigMap as `GPU_CLUSTER_BUCKET_<NAME>` (the storage name). Each `nfs` entry is the
 * VM compiler's Filestore instance on the cluster's host VPC, an `nfs` volume of every pod (the kubelet mounts it;
 * no Filestore CSI driver needed). Each `lustre` entry is the VM compiler's Managed Lustre instance in the GPU nodes'
 * zone, mounted through GKE's Lustre CSI add-on as a guarded static volume (./lustre.ts). Block volumes are rejected by
 * the checks, as are `nfs` and `lustre` on an existing cluster (its VPC's free ranges and add-ons are not managed here).
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigMap } from "@pulumi/kubernetes/core/v1";
import * as organizations from "@pulumi/gcp/organizations";
import * as storage from "@pulumi/gcp/storage";
import type { WorkloadNames } from "../../kubernetes/names.js";
import type { WorkloadStorage } from "../../kubernetes/target.js";
import type { Plan } from "../../../planner/types.js";
import type { CompileContext, StorageHandle } from "../../types.js";
import { bucketVariable, nfsVolumes } from "../../kubernetes/storage.js";
import { dataOptions, storageResourceName } from "../../shared/storage.js";
import { afterApis } from "../apis.js";
import { BUCKET_ROLE } from "../identity.js";
import type { GcpNetwork } from "../network.js";
import { bucketSoftDelete, filestoreShare, managedLustreInstances } from "../storage.js";
import { billedStorage } from "../../shared/bill.js";
import { gkeLustreClaims } from "./lustre.js";

/** The Workload Identity principal of a namespace's default Kubernetes service account. */
export function workloadPrincipal(projectNumber: pulumi.Input<string>, project: pulumi.Input<string>, namespace: string): pulumi.Output<string> {
  return pulumi.interpolate`principal://iam.googleapis.com/projects/${projectNumber}/locations/global/workloadIdentityPools/${project}.svc.id.goog/subject/ns/${namespace}/sa/default`;
}

/** The component's own network and placement, which Filestore and Managed Lustre are built on (a new cluster only). */
export interface GkeStorageNetwork {
  host: GcpNetwork;
  /** The GPU nodes' zone (a training pool's one zone), where the zonal file systems go. */
  zone: pulumi.Output<string>;
  /** The zone the spec pins; without one `zone` came from a lookup and is kept after creation. */
  pinnedZone: string | undefined;
  /** The project the instances are made in (a Lustre volume's handle names it). */
  project: pulumi.Input<string>;
  /** What the Lustre volumes wait for: the cluster, whose add-on installs the Lustre CSI driver. */
  lustreDriver: pulumi.Resource[];
}

export function gkeStorage(
  plan: Plan,
  names: WorkloadNames,
  ctx: CompileContext,
  labels: Record<string, string>,
  k8sOpts: pulumi.CustomResourceOptions,
  namespace: pulumi.Input<string>,
  network: GkeStorageNetwork | undefined,
): WorkloadStorage {
  const out: WorkloadStorage = { handles: [], volumes: [], mounts: [], envFrom: [] };
  // Filestore shares (the checks allow nfs only with the component's own network).
  const shares = network
    ? billedStorage(plan.storage, ctx.bill).filter((s) => s.kind === "nfs").map((s) => filestoreShare(s, network.host, ctx, { zone: network.zone, pinnedZone: network.pinnedZone, labels }))
    : [];
  const nfs = nfsVolumes(shares);
  out.volumes.push(...nfs.volumes);
  out.mounts.push(...nfs.mounts);
  out.handles.push(...shares);
  // Managed Lustre instances (the checks allow lustre only with the component's own network and cluster).
  if (network) {
    const instances = managedLustreInstances(plan, network.host, ctx, { zone: network.zone, pinnedZone: network.pinnedZone, labels });
    const lustre = gkeLustreClaims(plan, instances, network.project, namespace, names, ctx, k8sOpts, network.lustreDriver);
    out.volumes.push(...lustre.volumes);
    out.mounts.push(...lustre.mounts);
    out.handles.push(...instances.map((l) => l.handle));
  }
  const buckets = billedStorage(plan.storage, ctx.bill).filter((s) => s.kind === "object");
  if (buckets.length === 0) return out;
  const opts = { parent: ctx.parent };
  const project = organizations.getProjectOutput({}, afterApis(ctx, opts, "resourcemanager"));
  const member = workloadPrincipal(project.number, project.apply((p) => p.projectId ?? ""), names.namespace);
  const data: Record<string, pulumi.Input<string>> = {};
  const handles: StorageHandle[] = buckets.map((s) => {
    const id = storageResourceName(ctx, s);
    const bucket = new storage.Bucket(
      id,
      { location: plan.region.toUpperCase(), storageClass: s.tier.toUpperCase(), uniformBucketLevelAccess: true, publicAccessPrevention: "enforced", forceDestroy: false, ...bucketSoftDelete(s), labels },
      dataOptions(s, afterApis(ctx, opts, "storage")),
    );
    new storage.BucketIAMMember(`${id}-pods`, { bucket: bucket.name, role: BUCKET_ROLE, member }, opts);
    data[bucketVariable(s.name)] = bucket.name;
    return { kind: s.kind, name: s.name, id: bucket.name, mountPath: s.mountPath, endpoint: pulumi.interpolate`gs://${bucket.name}` };
  });
  const config = new ConfigMap(`${ctx.name}-buckets`, { metadata: { name: `${names.base}-buckets`, namespace, labels: names.labels }, data }, k8sOpts);
  out.handles.push(...handles);
  out.envFrom.push({ configMapRef: { name: config.metadata.name } });
  return out;
}
