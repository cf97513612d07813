/**
 * GKE local SSD: the A3 / A4 node pools keep their ephemeral storage on every local SSD (cluster-toolkit
 * modules/compute/gke-node-pool/disk_definitions.tf @4f04afc17, 2026-01-22, read 2026-12-01), and the GPU pods get
 * /scratch as an emptyDir there (GKE: pods reach Local SSD-backed ephemeral storage through emptyDir volumes,
 * https://cloud.google.com/kubernetes-engine/docs/how-to/persistent-volumes/local-ssd, read 2026-12-01), as EKS and AKS
 * pods get /scratch on local NVMe. The catalog and the node pools read the disk count from one fact.
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { instance } from "../lib/catalog/index.js";
import { LOCAL_SSD_COUNT, LOCAL_SSD_GIB } from "../lib/clouds/gcp/local-ssd.js";
import { byName, ofType, privateEndpoint, run } from "./helpers/offline.js";

const base = { cloud: "gcp" as const, region: "us-central1", orchestrator: "kubernetes" as const };
const SPEC: Record<string, Record<string, unknown>> = {
  "a3-highgpu-8g": {},
  "a3-megagpu-8g": {},
  "a3-ultragpu-8g": { reservationId: "r", zone: "us-central1-b" },
  "a4-highgpu-8g": { reservationId: "r", zone: "us-central1-b", contractUsdPerHour: 100 },
};
const JOB = "kubernetes:batch/v1:Job";

async function compile(instanceType: string) {
  const result = await run(() => new gpu.TrainingCluster("l", privateEndpoint({ ...base, gpu: { instanceType, nodes: 2 }, ...SPEC[instanceType] } as gpu.TrainingClusterArgs)));
  expect(result.error).toBeUndefined();
  return result;
}

describe("GKE: /scratch on the GPU nodes' local SSD", () => {
  for (const instanceType of Object.keys(SPEC)) {
    it(`${instanceType}: the check and the trainer mount an emptyDir at /scratch, on a pool with ${LOCAL_SSD_COUNT[instanceType]} local SSDs as ephemeral storage`, async () => {
      const result = await compile(instanceType);
      expect(byName(result, "gcp:container/nodePool:NodePool", "l-gpu-nodes").inputs.nodeConfig.ephemeralStorageLocalSsdConfig).toEqual({ localSsdCount: LOCAL_SSD_COUNT[instanceType] });
      const jobs = ofType(result, JOB);
      expect(jobs.map((j) => j.name).sort()).toEqual(["l-job", "l-nccl-check"].sort());
      for (const job of jobs) {
        const pod = job.inputs.spec.template.spec;
        expect(pod.volumes).toContainEqual({ name: "scratch", emptyDir: {} });
        expect(pod.containers[0].volumeMounts).toContainEqual({ name: "scratch", mountPath: "/scratch" });
      }
    });
  }

  it("a machine type without local SSD (a2-highgpu-8g) gets no /scratch: an emptyDir would be on the boot disk", async () => {
    const result = await run(() => new gpu.TrainingCluster("n", privateEndpoint({ ...base, gpu: { instanceType: "a2-highgpu-8g", nodes: 2 } } as gpu.TrainingClusterArgs)));
    expect(result.error).toBeUndefined();
    for (const job of ofType(result, JOB)) {
      expect(job.inputs.spec.template.spec.containers[0].volumeMounts.map((m: { mountPath: string }) => m.mountPath)).not.toContain("/scratch");
    }
  });

  it("one fact: the disk counts are disk_definitions.tf's (16, 16, 32, 32) and come from the catalog's localNvmeGiB (A3 Ultra / A4: 12,000 GiB)", () => {
    expect(LOCAL_SSD_COUNT).toEqual({ "a3-highgpu-8g": 16, "a3-megagpu-8g": 16, "a3-ultragpu-8g": 32, "a4-highgpu-8g": 32 });
    for (const [type, count] of Object.entries(LOCAL_SSD_COUNT)) expect(instance("gcp", type)?.localNvmeGiB).toBe(count * LOCAL_SSD_GIB);
    expect(instance("gcp", "a4-highgpu-8g")?.source).toContain("disk_definitions.tf");
  });
});
