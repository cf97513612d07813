/**
 * Google Cloud Managed Lustre on GKE (`storage: [{ kind: "lustre" }]` with `orchestrator: "kubernetes"`), checked
 * against its sources (read 2026-12-01):
 * - the instance: the VM compiler's builder (lib/clouds/gcp/storage.ts managedLustreInstances), so its id, file system
 *   name, zone, peering and guards are the VM path's;
 * - the add-on: @pulumi/gcp 9.37.0 container.Cluster `addonsConfig.lustreCsiDriverConfig` ({ enabled,
 *   enableLegacyLustrePort, disableMultiNic }) and the GKE API's LustreCsiDriverConfig reference
 *   (https://cloud.google.com/python/docs/reference/container/latest/google.cloud.container_v1.types.LustreCsiDriverConfig:
 *   the legacy port 6988 only for nodes older than 1.33.2-gke.4655000 or an instance made with gke-support-enabled);
 * - the volume: GoogleCloudPlatform/lustre-csi-driver@89f1eb73 (2026-08-19) examples/pre-prov/preprov-pvc-pv.yaml and
 *   docs/preprov-guide.md (driver lustre.csi.storage.gke.io, volumeHandle <project>/<zone>/<instance>, volumeAttributes
 *   ip and filesystem, ReadWriteMany, Retain, storageClassName "", claimRef), pkg/csi_driver/node.go (the node mounts
 *   `<ip>@tcp:/<filesystem>` and refuses a second mount of one file system name on a node: hasMountWithSameFSName),
 *   and the limitations of https://cloud.google.com/kubernetes-engine/docs/concepts/managed-lustre (same file system
 *   name on one node "not supported");
 * - the price: the catalog's Managed Lustre rows (lib/catalog/data/gcp.ts, the Cloud Billing SKUs "Managed Lustre
 *   Capacity <N>-Perf Iowa" as quoted 2026-06-05; capacity steps from https://cloud.google.com/managed-lustre/docs/
 *   performance-tiers), the same line the VM path's bill carries.
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { PersistentVolume, PersistentVolumeClaim } from "kubernetes-models/v1";
import { byName, ofType, one, privateEndpoint, run, runRecording, trainingJob } from "./helpers/offline.js";
import { lustreAddress } from "../lib/clouds/gcp/gke/lustre.js";

const G = {
  cluster: "gcp:container/cluster:Cluster",
  pool: "gcp:container/nodePool:NodePool",
  lustre: "gcp:lustre/instance:Instance",
  peering: "gcp:servicenetworking/connection:Connection",
  range: "gcp:compute/globalAddress:GlobalAddress",
  firewall: "gcp:compute/firewall:Firewall",
  pv: "kubernetes:core/v1:PersistentVolume",
  pvc: "kubernetes:core/v1:PersistentVolumeClaim",
};

const base = { cloud: "gcp" as const, region: "us-central1", orchestrator: "kubernetes" as const };
/** 36 TiB (36,864 GiB) on the default 1000 MB/s/TiB tier: Managed Lustre sizes it up to 45,000 GiB (9,000-GiB steps). */
const LUSTRE = { kind: "lustre" as const, name: "datasets", capacityTiB: 36, mountPath: "/lustre" };

function training(name: string, args: Partial<gpu.TrainingClusterArgs> = {}, nodes = 4) {
  return () => new gpu.TrainingCluster(name, privateEndpoint({ ...base, zone: "us-central1-b", gpu: { instanceType: "a3-megagpu-8g", nodes }, storage: [LUSTRE], ...args } as gpu.TrainingClusterArgs));
}

describe("GKE: Managed Lustre, built as on VMs", () => {
  it("the instance: the VM builder's (id, file system name, capacity, tier, the GPU pool's zone, the host VPC after the peering), guarded", async () => {
    const { result, registrations } = await runRecording(training("lus"));
    expect(result.error).toBeUndefined();
    const fs = one(result, G.lustre);
    expect(fs.name).toBe("lus-lustre-datasets");
    expect(fs.inputs).toMatchObject({ filesystem: "datasets", location: "us-central1-b", capacityGib: "45000", perUnitStorageThroughput: "1000", network: "lus-net-id" });
    expect(fs.inputs.instanceId).toMatch(/^lus-datasets-[0-9a-f]{6}$/);
    expect(registrations.get(fs.name)).toMatchObject({ protect: true, retainOnDelete: true });
    // The GPU nodes (the Lustre clients) in the instance's zone.
    expect(byName(result, G.pool, "lus-gpu-nodes").inputs.nodeLocations).toEqual(["us-central1-b"]);
    // Private services access: the peering range and connection the VM path builds, and the instance waits for it.
    expect(byName(result, G.range, "lus-private-services").inputs).toMatchObject({ purpose: "VPC_PEERING", network: "lus-net-id" });
    const peering = one(result, G.peering);
    expect(peering.inputs).toMatchObject({ service: "servicenetworking.googleapis.com", deletionPolicy: "ABANDON" });
    expect(registrations.get(fs.name)!.dependencies).toContain(peering.urn);
    // LNet (TCP 988) from the instances' range to the nodes, as on VMs.
    expect(byName(result, G.firewall, "lus-lustre").inputs.allows).toEqual([{ protocol: "tcp", ports: ["988"] }]);
  });

  it("without a pinned zone: the instance follows the looked-up GPU zone at creation and keeps it after (ignoreChanges location), as on VMs", async () => {
    const { result, registrations } = await runRecording(training("lookup", { zone: undefined }));
    expect(result.error).toBeUndefined();
    const fs = one(result, G.lustre);
    expect(fs.inputs.location).toBe(byName(result, G.pool, "lookup-gpu-nodes").inputs.nodeLocations[0]);
    expect(registrations.get(fs.name)!.ignoreChanges).toEqual(["location"]);
    // Pinned: the user's zone is followed.
    const pinned = await runRecording(training("pinned"));
    expect(pinned.registrations.get("pinned-lustre-datasets")!.ignoreChanges ?? []).toEqual([]);
  });

  it("the cluster: the Lustre CSI add-on on, the legacy LNet port off, multi-NIC left at GKE's default; without Lustre no addonsConfig", async () => {
    const result = await run(training("addon"));
    expect(result.error).toBeUndefined();
    expect(one(result, G.cluster).inputs.addonsConfig).toEqual({ lustreCsiDriverConfig: { enabled: true, enableLegacyLustrePort: false } });
    // The plan names the node version the default LNet port needs (GKE API LustreCsiDriverConfig reference).
    expect(result.costEvents[0]!.plan.notes.join("\n")).toMatch(/GKE Managed Lustre: .*Container-Optimized OS nodes .* on GKE 1\.33\.2-gke\.4655000 or later/);
    const plain = await run(training("noaddon", { storage: [{ kind: "object", capacityTiB: 1 }] }));
    expect(plain.error).toBeUndefined();
    expect(one(plain, G.cluster).inputs.addonsConfig).toBeUndefined();
    expect(ofType(plain, G.pv)).toEqual([]);
    expect(plain.costEvents[0]!.plan.notes.join("\n")).not.toMatch(/GKE Managed Lustre/);
  });
});

describe("GKE: the static volume and the pods' mount", () => {
  it("a PersistentVolume of GKE's driver (handle <project>/<zone>/<instance>, the instance's ip and file system), a guarded claim named by the storage name, mounted at the mount path", async () => {
    const { result, registrations } = await runRecording(training("vol"));
    expect(result.error).toBeUndefined();
    const fs = one(result, G.lustre);
    const pv = one(result, G.pv);
    expect(pv.name).toBe("vol-lustre-datasets-pv");
    expect(pv.inputs.metadata.name).toBe("vol-datasets");
    expect(pv.inputs.spec).toEqual({
      capacity: { storage: "1Gi" },
      accessModes: ["ReadWriteMany"],
      persistentVolumeReclaimPolicy: "Retain",
      storageClassName: "",
      volumeMode: "Filesystem",
      claimRef: { namespace: "vol", name: "vol-datasets" },
      csi: {
        driver: "lustre.csi.storage.gke.io",
        // The offline project and the mock instance's mount point 10.15.0.2@tcp:/datasets (lib/clouds/gcp/offline-invokes.ts).
        volumeHandle: `offline-project/us-central1-b/${fs.inputs.instanceId}`,
        volumeAttributes: { ip: "10.15.0.2", filesystem: "datasets" },
      },
    });
    new PersistentVolume(pv.inputs).validate();
    // The volume waits on the instance (its outputs) and on the cluster whose add-on installs the driver.
    expect(registrations.get(pv.name)!.dependencies).toEqual(expect.arrayContaining([fs.urn, one(result, G.cluster).urn]));
    const pvc = one(result, G.pvc);
    expect(pvc.name).toBe("vol-lustre-datasets-pvc");
    expect(pvc.inputs).toMatchObject({ metadata: { name: "vol-datasets", namespace: "vol" }, spec: { storageClassName: "", volumeName: "vol-datasets", accessModes: ["ReadWriteMany"], resources: { requests: { storage: "1Gi" } } } });
    new PersistentVolumeClaim(pvc.inputs).validate();
    expect(registrations.get(pvc.name)).toMatchObject({ protect: true, retainOnDelete: true });
    // The namespace holding a guarded claim outlives a delete too (deleting it would delete the claim).
    expect(registrations.get("vol-ns")).toMatchObject({ retainOnDelete: true });
    const pod = trainingJob(result).inputs.spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: "storage-datasets", persistentVolumeClaim: { claimName: "vol-datasets" } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: "storage-datasets", mountPath: "/lustre" });
  });

  it("deletionProtection: false leaves the instance and the claim unguarded", async () => {
    const { result, registrations } = await runRecording(training("open", { storage: [{ ...LUSTRE, deletionProtection: false }] }));
    expect(result.error).toBeUndefined();
    expect(registrations.get("open-lustre-datasets")!.protect).toBeUndefined();
    expect(registrations.get("open-lustre-datasets-pvc")!.protect).toBeUndefined();
    expect(registrations.get("open-ns")!.retainOnDelete).toBeUndefined();
  });

  it("the ip comes from the instance's mount point", () => {
    expect(lustreAddress("172.16.4.2@tcp:/datasets")).toBe("172.16.4.2");
  });
});

describe("GKE Lustre: refused before anything exists", () => {
  it("on an existing cluster (gcp.gke.clusterName): a SpecError naming the entry, as nfs is", async () => {
    const result = await run(training("byo", { gcp: { gke: { clusterName: "shared" } } } as Partial<gpu.TrainingClusterArgs>));
    expect(result.error).toMatchObject({ name: "SpecError", path: "storage[0].kind" });
    expect((result.error as Error).message).toMatch(/existing cluster's VPC and add-ons are not managed here/);
    expect(result.resources.filter((r) => !r.type.startsWith("gpu-cluster:"))).toEqual([]);
  });

  it("two entries that would share a file system name (first 8 letters and digits): a SpecError naming the second", async () => {
    const result = await run(
      training("dup", {
        storage: [
          { kind: "lustre", name: "datasets1", capacityTiB: 9, mountPath: "/a" },
          { kind: "lustre", name: "datasets2", capacityTiB: 9, mountPath: "/b" },
        ],
      }),
    );
    expect(result.error).toMatchObject({ name: "SpecError", path: "storage[1].name" });
    expect((result.error as Error).message).toMatch(/'datasets1' \(storage\[0\]\) and 'datasets2' would both get the file system name 'datasets'/);
    expect(result.resources.filter((r) => !r.type.startsWith("gpu-cluster:"))).toEqual([]);
    // Distinct names build both, each with its own claim.
    const two = await run(training("two", { storage: [{ ...LUSTRE }, { kind: "lustre", name: "ckpt", capacityTiB: 9, mountPath: "/ckpt" }] }));
    expect(two.error).toBeUndefined();
    expect(ofType(two, G.pvc).map((c) => c.inputs.metadata.name).sort()).toEqual(["two-ckpt", "two-datasets"]);
  });

  it("on an inference fleet: a SpecError (its pool spans zones; Managed Lustre is zonal)", async () => {
    const result = await run(() => new gpu.InferenceFleet("fleet", privateEndpoint({ ...base, gpu: { model: "L4" }, replicas: { min: 1, max: 2 }, storage: [LUSTRE] } as gpu.InferenceFleetArgs)));
    expect(result.error).toMatchObject({ name: "SpecError", path: "storage[0].kind" });
  });
});

describe("GKE Lustre: the estimate prices what is built", () => {
  it("36 TiB on the 1000 MB/s/TiB tier: 45,000 GiB × $0.60 = $27,000.00 a month, the VM path's line", async () => {
    const gke = await run(training("bill"));
    expect(gke.error).toBeUndefined();
    const line = (r: typeof gke) => r.costEvents[0]!.estimate.lines.find((l) => /^Managed Lustre/.test(l.description))!;
    expect(line(gke)).toMatchObject({ category: "storage", description: "Managed Lustre 1000 MB/s/TiB, 45000 GiB (lustre /lustre)", quantity: 45000, unit: "GiB-month", unitPriceUsd: 0.6, monthlyUsd: 27000, asOf: "2026-06-05" });
    const vm = await run(() => new gpu.TrainingCluster("billvm", privateEndpoint({ cloud: "gcp", region: "us-central1", zone: "us-central1-b", gpu: { instanceType: "a3-megagpu-8g", nodes: 4 }, storage: [LUSTRE] } as gpu.TrainingClusterArgs)));
    expect(vm.error).toBeUndefined();
    expect(line(vm)).toEqual(line(gke));
  });
});

describe("Managed Lustre's zones: a subset of each region's, so the plan says which zone the instance goes in", () => {
  // https://cloud.google.com/managed-lustre/docs/locations lists the zones per region (e.g. asia-northeast1-b and -c only).
  it("names the pinned zone, or the looked-up one, and where to check it", async () => {
    const { planCluster } = await import("gpu-cluster");
    const { checkGcpOptions } = await import("../lib/clouds/gcp/options.js");
    const base: gpu.ClusterSpec = { cloud: "gcp", region: "us-central1", gpu: { instanceType: "a3-megagpu-8g", nodes: 2 }, storage: [{ kind: "lustre", capacityTiB: 36, mountPath: "/lustre" }] };
    const pinned = checkGcpOptions(planCluster({ ...base, zone: "us-central1-b" }), undefined);
    expect(pinned).toContain(
      "Managed Lustre: the instance is created in the nodes' zone, us-central1-b; Google offers Managed Lustre in some zones of a region only (https://cloud.google.com/managed-lustre/docs/locations), and in another its creation fails after the cluster is built: check the zone there, and pin zone to one it lists.",
    );
    expect(checkGcpOptions(planCluster(base), undefined).join("\n")).toContain("in the nodes' zone, the zone of us-central1 that sells a3-megagpu-8g (looked up at deploy)");
    expect(checkGcpOptions(planCluster({ ...base, storage: [] }), undefined).join("\n")).not.toContain("Managed Lustre: the instance");
  });
});
