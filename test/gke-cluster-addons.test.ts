/**
 * Google's GPUDirect DaemonSets and Kueue on an existing GKE cluster. They are one per cluster under fixed names
 * (Google's manifests in GoogleCloudPlatform/container-engine-accelerators), and @pulumi/kubernetes 4.34.2 refuses to
 * create an object that exists ("By default, Pulumi will error if a resource already exists in the cluster",
 * node_modules/@pulumi/kubernetes/provider.d.ts `upsertExistingObjects`; pulumi/pulumi-kubernetes PR #4278). So on an
 * existing cluster the component installs them only when `installClusterAddons` says so.
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { KUEUE_CHART } from "../lib/clouds/kubernetes/bootstrap.js";
import type { OfflineRun } from "../lib/preview/offline.js";
import { ofType, privateEndpoint, run } from "./helpers/offline.js";

const DAEMONSET = "kubernetes:apps/v1:DaemonSet";
const RELEASE = "kubernetes:helm.sh/v3:Release";

function training(name: string, instanceType: string, gke: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return () =>
    new gpu.TrainingCluster(name, privateEndpoint({ cloud: "gcp", region: "us-central1", orchestrator: "kubernetes", gpu: { instanceType, nodes: 2 }, ...extra, gcp: { gke } }) as gpu.TrainingClusterArgs);
}

/** The kube-system DaemonSets (every component also has its own `<name>-node-health` gate, not a cluster singleton). */
const googleDaemonSets = (result: OfflineRun) => ofType(result, DAEMONSET).map((d) => d.inputs.metadata.name as string).filter((n) => !n.endsWith("-node-health"));
const notes = (result: OfflineRun) => result.costEvents[0]!.plan.notes.join("\n");

describe("cluster-wide add-ons on an existing GKE cluster", () => {
  it("refuses to guess: an A3 Mega cluster joining 'shared' must say whether it installs the device injector and the TCPXO installer", async () => {
    const result = await run(training("join", "a3-megagpu-8g", { clusterName: "shared" }));
    expect(result.error).toMatchObject({ name: "SpecError", path: "gcp.gke.installClusterAddons" });
    expect((result.error as Error).message).toMatch(/existing cluster 'shared': this build needs kube-system\/device-injector, kube-system\/nccl-tcpxo-installer, one per cluster/);
    expect((result.error as Error).message).toMatch(/set false when 'shared' runs them.*set true to install them with this component/);
    expect(result.resources.filter((r) => r.custom)).toHaveLength(0);
  });

  it("false: no Google DaemonSet, and a note naming what the cluster must run, with the versions the repo pins; Kueue still follows `kueue` (as every earlier version and EKS and AKS do)", async () => {
    const result = await run(training("join", "a3-megagpu-8g", { clusterName: "shared", installClusterAddons: false, kueue: true }));
    expect(result.error).toBeUndefined();
    expect(googleDaemonSets(result)).toEqual([]);
    expect(ofType(result, RELEASE).map((r) => [r.inputs.name, r.inputs.version])).toEqual([["kueue", KUEUE_CHART.version]]);
    const text = notes(result);
    expect(text).toContain(
      "GKE: installClusterAddons is false: 'shared' must already run the DaemonSet kube-system/device-injector: Google's NRI device injector " +
        "(gcr.io/gke-release/nri-device-injector@sha256:6e79483d52abdc28454bf186320b10a56b0f117a10e8d65d5c74dbb821a76970, nri_device_injector/nri-device-injector.yaml); " +
        "the DaemonSet kube-system/nccl-tcpxo-installer: Google's TCPXO NCCL plugin installer v1.0.15 (gpudirect-tcpxo/nccl-tcpxo-installer.yaml) " +
        "(manifests from github.com/GoogleCloudPlatform/container-engine-accelerators)",
    );
  });

  it("false on A3 High names the TCPX installer v3.1.9 and the optmem_max DaemonSet; on A3 Ultra the gIB installer v1.1.1", async () => {
    const high = await run(training("joinh", "a3-highgpu-8g", { clusterName: "shared", installClusterAddons: false }));
    expect(high.error).toBeUndefined();
    expect(notes(high)).toMatch(/kube-system\/nccl-tcpx-installer: Google's TCPX NCCL plugin installer v3\.1\.9.*kube-system\/tcpx-optmem-max: Google's net\.core\.optmem_max of at least 131072/);
    const ultra = await run(training("joinu", "a3-ultragpu-8g", { clusterName: "shared", installClusterAddons: false }, { pricing: "spot" }));
    expect(ultra.error).toBeUndefined();
    expect(googleDaemonSets(ultra)).toEqual([]);
    expect(notes(ultra)).toMatch(/kube-system\/nccl-rdma-installer: Google's gIB NCCL plugin installer v1\.1\.1/);
  });

  it("true: the component installs and owns them, and the plan says what that means for the cluster", async () => {
    const result = await run(training("owner", "a3-megagpu-8g", { clusterName: "shared", installClusterAddons: true, kueue: true }));
    expect(result.error).toBeUndefined();
    expect(googleDaemonSets(result)).toEqual(["device-injector", "nccl-tcpxo-installer"]);
    expect(ofType(result, RELEASE).map((r) => [r.inputs.name, r.inputs.version, r.inputs.namespace])).toEqual([["kueue", "0.14.3", "kueue-system"]]);
    expect(notes(result)).toMatch(/installClusterAddons is true on the existing cluster 'shared': this component installs and owns kube-system\/device-injector, kube-system\/nccl-tcpxo-installer; `up` fails \(AlreadyExists\)/);
  });

  it("a new cluster still installs them by default; a fleet on an existing cluster needs none, so no choice is asked", async () => {
    const fresh = await run(training("fresh", "a3-megagpu-8g", {}));
    expect(fresh.error).toBeUndefined();
    expect(googleDaemonSets(fresh)).toEqual(["device-injector", "nccl-tcpxo-installer"]);
    const fleet = await run(() => new gpu.InferenceFleet("joinf", { cloud: "gcp", region: "us-central1", orchestrator: "kubernetes", gpu: { model: "L4" }, replicas: { min: 1, max: 2 }, gcp: { gke: { clusterName: "shared" } } } as gpu.InferenceFleetArgs));
    expect(fleet.error).toBeUndefined();
    expect(googleDaemonSets(fleet)).toEqual([]);
  });
});
