/**
 * Images pinned: every container image a compiled program runs (defaults, Google's privileged GKE DaemonSets, the
 * Network Operator's NicClusterPolicy) names a digest (`repo[:tag]@sha256:...`) or a version tag, never `latest` or no
 * tag at all, which would run whatever was pushed last on every new node. The pinned references and their sources
 * (anchor repository, file, commit date) are in lib/clouds/gcp/gke/bootstrap.ts, lib/fabric/gke.ts and
 * lib/clouds/azure/aks/{options,bootstrap}.ts.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { runOffline, type OfflineRun } from "../lib/preview/offline.js";
import { EXAMPLE_CONFIG } from "../scripts/example-config.js";
import { run, privateEndpoint } from "./helpers/offline.js";

/** Why a container image reference is not pinned, or undefined when it is. */
export function unpinned(ref: string): string | undefined {
  if (/@sha256:[0-9a-f]{64}$/.test(ref)) return undefined;
  if (ref.includes("@")) return "has a malformed digest";
  // The tag follows the last ':' of the last path segment (a registry's ':port' is in an earlier segment).
  const last = ref.slice(ref.lastIndexOf("/") + 1);
  const colon = last.lastIndexOf(":");
  if (colon < 0) return "has no tag or digest";
  const tag = last.slice(colon + 1);
  if (tag === "") return "has an empty tag";
  if (tag === "latest") return "is :latest";
  return undefined;
}

/** Every image reference in a value: `image` strings, and NicClusterPolicy-style `{ repository, image, version }`. */
function imagesIn(value: unknown, at: string, out: { at: string; ref: string }[]): void {
  if (Array.isArray(value)) return value.forEach((v, i) => imagesIn(v, `${at}[${i}]`, out));
  if (typeof value !== "object" || value === null) return;
  const o = value as Record<string, unknown>;
  if (typeof o.image === "string") {
    const split = typeof o.repository === "string";
    // A split reference is pinned by its version (or tag) field.
    const version = o.version ?? o.tag;
    out.push({ at: `${at}.image`, ref: split ? `${o.repository}/${o.image}${typeof version === "string" ? `:${version}` : ""}` : o.image });
  }
  for (const [k, v] of Object.entries(o)) if (k !== "image") imagesIn(v, `${at}.${k}`, out);
}

/** The images of every Kubernetes object a run compiled (containers, init containers, sidecars, custom resources). */
function compiledImages(result: OfflineRun): { at: string; ref: string }[] {
  const out: { at: string; ref: string }[] = [];
  for (const r of result.resources.filter((r) => r.type.startsWith("kubernetes:"))) imagesIn(r.inputs, `${r.type} ${r.name}`, out);
  return out;
}

function expectPinned(result: OfflineRun, label: string): void {
  expect(result.error, label).toBeUndefined();
  const images = compiledImages(result);
  // A program with Kubernetes objects runs containers: make sure the walk found them.
  if (result.resources.some((r) => r.type === "kubernetes:batch/v1:Job" || r.type === "kubernetes:apps/v1:Deployment")) expect(images.length, label).toBeGreaterThan(0);
  const bad = images.map(({ at, ref }) => ({ at, ref, why: unpinned(ref) })).filter((i) => i.why !== undefined);
  expect(bad, label).toEqual([]);
}

const EXAMPLES = path.resolve(__dirname, "..", "examples");
const projects = fs.readdirSync(EXAMPLES).filter((name) => fs.existsSync(path.join(EXAMPLES, name, "Pulumi.yaml")));

const gke = (name: string, instanceType: string, extra: Record<string, unknown> = {}) => () =>
  new gpu.TrainingCluster(name, privateEndpoint({
    cloud: "gcp",
    region: "us-central1",
    orchestrator: "kubernetes",
    gpu: { instanceType, nodes: 2 },
    gcp: { gke: { acceptanceTest: true, kueue: true } },
    ...extra,
  } as gpu.TrainingClusterArgs));

describe("images pinned", () => {
  it("the check itself: no tag, :latest and a registry port without a tag are refused; tags and digests pass", () => {
    expect(unpinned("ubuntu")).toBe("has no tag or digest");
    expect(unpinned("alpine:latest")).toBe("is :latest");
    expect(unpinned("us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpx/nccl-plugin-gpudirecttcpx:latest")).toBe("is :latest");
    expect(unpinned("ghcr.io/azure/aks-rdma-infiniband/nccl-tests:latest")).toBe("is :latest");
    expect(unpinned("localhost:5000/trainer")).toBe("has no tag or digest");
    expect(unpinned("ubuntu:22.04")).toBeUndefined();
    expect(unpinned("gke.gcr.io/pause:3.8@sha256:880e63f94b145e46f1b1082bb71b85e21f16b99b180b9996407d61240ceb9830")).toBeUndefined();
    expect(unpinned("gcr.io/gke-release/nri-device-injector@sha256:6e79483d52abdc28454bf186320b10a56b0f117a10e8d65d5c74dbb821a76970")).toBeUndefined();
  });

  it.each(projects)("example %s runs only pinned images", async (name) => {
    const result = await runOffline(async () => {
      await import(`../examples/${name}/index.ts`);
    }, { config: EXAMPLE_CONFIG });
    expectPinned(result, name);
  });

  it.each([
    ["TCPX (A3 High)", "a3-highgpu-8g", {}],
    ["TCPXO (A3 Mega)", "a3-megagpu-8g", {}],
    ["RDMA (A3 Ultra)", "a3-ultragpu-8g", { reservationId: "r", zone: "us-central1-b" }],
  ] as const)("GKE %s: Google's DaemonSets, the datapath sidecar, the acceptance test and the defaults are pinned", async (_label, instanceType, extra) => {
    const result = await run(gke("pin", instanceType, extra));
    expectPinned(result, instanceType);
    // The privileged DaemonSets are there to be checked.
    expect(result.resources.filter((r) => r.type === "kubernetes:apps/v1:DaemonSet").length).toBeGreaterThan(0);
  });

  it("AKS training (InfiniBand: Network Operator, NicClusterPolicy, GPU Operator) and inference are pinned", async () => {
    const training = await run(() => new gpu.TrainingCluster("ib", privateEndpoint({ cloud: "azure", region: "eastus", orchestrator: "kubernetes", gpu: { instanceType: "Standard_ND96isr_H100_v5", nodes: 2 }, azure: { aks: { acceptanceTest: true } } } as gpu.TrainingClusterArgs)));
    expectPinned(training, "aks training");
    const policy = training.resources.find((r) => r.type.endsWith("NicClusterPolicy"));
    expect(compiledImages({ ...training, resources: policy ? [policy] : [] }).map((i) => i.ref)).toEqual([
      "nvcr.io/nvidia/mellanox/doca-driver:doca3.2.0-25.10-1.2.8.0-2",
      "nvcr.io/nvidia/mellanox/k8s-rdma-shared-dev-plugin:network-operator-v25.10.0",
    ]);
    const fleet = await run(() => new gpu.InferenceFleet("srv", privateEndpoint({ cloud: "azure", region: "eastus", orchestrator: "kubernetes", gpu: { model: "A100-80GB" }, replicas: { min: 1, max: 2 } } as gpu.InferenceFleetArgs)));
    expectPinned(fleet, "aks inference");
  });
});
