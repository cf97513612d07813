/**
 * Storage on CKS. `nfs` and `lustre` are both CoreWeave Distributed File Storage: a ReadWriteMany PVC of the
 * `shared-vast` class, mounted at the spec's path in every pod. `object` is CoreWeave AI Object Storage, which
 * needs no resource per cluster: the pods get its endpoint (and keys, when given, from a Secret) as `AWS_*`
 * variables every S3 SDK reads. `block` is rejected by validation (no block price is published).
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigMap, PersistentVolumeClaim, Secret } from "@pulumi/kubernetes/core/v1";
import type { WorkloadStorage } from "../kubernetes/target.js";
import type { Plan } from "../../planner/types.js";
import type { CompileContext } from "../types.js";
import { storageVolumeName } from "../kubernetes/storage.js";
import { dataOptions, storageResourceName } from "../shared/storage.js";
import { SKIP_AWAIT, type CoreWeaveNames } from "./names.js";
import { COREWEAVE_DEFAULTS, type CoreWeaveOptions } from "./options.js";
import { guardedClaimsIn } from "../kubernetes/namespace.js";
import { billedStorage } from "../shared/bill.js";

export type CoreWeaveStorage = WorkloadStorage;

/** Whether guarded storage lives in the namespace as claims (nfs and lustre are PVCs on CKS). */
export function claimsHoldData(plan: Plan): boolean {
  return guardedClaimsIn(plan, ["nfs", "lustre"]);
}

export function coreweaveStorage(
  plan: Plan,
  options: CoreWeaveOptions,
  namespace: pulumi.Output<string>,
  names: CoreWeaveNames,
  ctx: CompileContext,
  opts: pulumi.CustomResourceOptions,
): CoreWeaveStorage {
  const out: CoreWeaveStorage = { handles: [], volumes: [], mounts: [], envFrom: [] };
  // Each entry as billed (lib/cost/bom/coreweave.ts storage items): one missing from the bill is an Error, never a claim left out.
  billedStorage(plan.storage, ctx.bill).forEach((s) => {
    const name = `${names.base}-${s.kind}-${s.name}`;
    if (s.kind === "nfs" || s.kind === "lustre") {
      const claim = new PersistentVolumeClaim(
        storageResourceName(ctx, s),
        {
          // The class binds on first use; Pulumi would otherwise wait for a pod that waits for GPU Nodes.
          metadata: { name, namespace, labels: names.labels, annotations: SKIP_AWAIT },
          spec: {
            accessModes: ["ReadWriteMany"],
            storageClassName: options.storageClassName ?? COREWEAVE_DEFAULTS.storageClassName,
            resources: { requests: { storage: `${s.capacityGiB}Gi` } },
          },
        },
        // The claim is the data: deleting it deletes the volume under the class's Delete reclaim policy.
        dataOptions(s, opts),
      );
      out.volumes.push({ name: storageVolumeName(s.name), persistentVolumeClaim: { claimName: claim.metadata.name } });
      out.mounts.push({ name: storageVolumeName(s.name), mountPath: s.mountPath });
      out.handles.push({ kind: s.kind, name: s.name, id: claim.metadata.name, mountPath: s.mountPath, endpoint: pulumi.interpolate`${claim.metadata.namespace}/${claim.metadata.name}` });
    } else if (s.kind === "object") {
      const os = options.objectStorage ?? {};
      const endpoint = os.endpoint ?? COREWEAVE_DEFAULTS.objectEndpoint;
      const metadata = { name, namespace, labels: names.labels };
      let id: pulumi.Output<string>;
      if (os.accessKeyId !== undefined && os.secretAccessKey !== undefined) {
        const secret = new Secret(
          storageResourceName(ctx, s),
          {
            metadata,
            type: "Opaque",
            stringData: {
              AWS_ENDPOINT_URL: endpoint,
              AWS_ACCESS_KEY_ID: pulumi.secret(os.accessKeyId),
              AWS_SECRET_ACCESS_KEY: pulumi.secret(os.secretAccessKey),
            },
          },
          opts,
        );
        id = secret.metadata.name;
        out.envFrom.push({ secretRef: { name: secret.metadata.name } });
      } else {
        // No keys given: publish only the endpoint; credentials come from the user's own mechanism (WIF, a Secret).
        const config = new ConfigMap(storageResourceName(ctx, s), { metadata, data: { AWS_ENDPOINT_URL: endpoint } }, opts);
        id = config.metadata.name;
        out.envFrom.push({ configMapRef: { name: config.metadata.name } });
      }
      out.handles.push({ kind: s.kind, name: s.name, id, mountPath: s.mountPath, endpoint: pulumi.output(endpoint) });
    }
  });
  return out;
}
