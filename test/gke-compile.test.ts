import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { OPERATING_SCHEMAS } from "./helpers/k8s-schemas.js";
import * as pulumi from "@pulumi/pulumi";
import * as gpu from "gpu-cluster";
import { DaemonSet } from "kubernetes-models/apps/v1";
import { Deployment } from "kubernetes-models/apps/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { Job } from "kubernetes-models/batch/v1";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { Role, RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1";
import { ConfigMap, Namespace, Service, ServiceAccount } from "kubernetes-models/v1";
import * as catalog from "../lib/catalog/index.js";
import { fabricSides, gkeNetworks } from "../lib/fabric/index.js";
import type { OfflineRun, RecordedResource } from "../lib/preview/offline.js";
import { envOf, one, ofType, run, privateEndpoint } from "./helpers/offline.js";
import { trainingJob } from "./helpers/offline.js";
import { launcherPinStep, pluginWaitStep } from "../lib/fabric/gke.js";

/** The TCPXO pods' wait for the node's NCCL profile (test/gke-plugin-wait.test.ts checks the step itself). */
const TCPXO_WAIT = pluginWaitStep(["/usr/local/nvidia/lib64/nccl-env-profile.sh"], "nccl-tcpxo-installer");

const G = {
  cluster: "gcp:container/cluster:Cluster",
  nodePool: "gcp:container/nodePool:NodePool",
  network: "gcp:compute/network:Network",
  subnet: "gcp:compute/subnetwork:Subnetwork",
  firewall: "gcp:compute/firewall:Firewall",
  provider: "pulumi:providers:kubernetes",
  release: "kubernetes:helm.sh/v3:Release",
  daemonSet: "kubernetes:apps/v1:DaemonSet",
  gkeNetwork: "kubernetes:networking.gke.io/v1:Network",
  paramSet: "kubernetes:networking.gke.io/v1:GKENetworkParamSet",
  namespace: "kubernetes:core/v1:Namespace",
  service: "kubernetes:core/v1:Service",
  configMap: "kubernetes:core/v1:ConfigMap",
  job: "kubernetes:batch/v1:Job",
  deployment: "kubernetes:apps/v1:Deployment",
  hpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
  netpol: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
  serviceAccount: "kubernetes:core/v1:ServiceAccount",
  role: "kubernetes:rbac.authorization.k8s.io/v1:Role",
  roleBinding: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
};

const SCHEMAS: Record<string, new (data: any) => { validate(): void }> = {
  ...OPERATING_SCHEMAS,
  [G.namespace]: Namespace,
  [G.service]: Service,
  [G.configMap]: ConfigMap,
  [G.job]: Job,
  [G.deployment]: Deployment,
  [G.hpa]: HorizontalPodAutoscaler,
  [G.netpol]: NetworkPolicy,
  [G.daemonSet]: DaemonSet,
  [G.serviceAccount]: ServiceAccount,
  [G.role]: Role,
  [G.roleBinding]: RoleBinding,
};

const base = { cloud: "gcp" as const, region: "us-central1", orchestrator: "kubernetes" as const };

function training(name: string, args: Partial<gpu.TrainingClusterArgs> = {}) {
  return () => new gpu.TrainingCluster(name, privateEndpoint({ ...base, gpu: { instanceType: "a3-megagpu-8g", nodes: 8 }, ...args } as gpu.TrainingClusterArgs));
}

function fleet(name: string, args: Partial<gpu.InferenceFleetArgs> = {}) {
  return () => new gpu.InferenceFleet(name, privateEndpoint({ ...base, gpu: { model: "L4" }, replicas: { min: 2, max: 6 }, ...args } as gpu.InferenceFleetArgs));
}

async function runRecordingOptions(program: () => unknown): Promise<{ result: OfflineRun; deps: (name: string) => string[]; providerOf: (name: string) => string }> {
  const registrations = new Map<string, { dependencies: string[]; provider: string }>();
  const result = await run(() => {
    const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource(req: any, cb: unknown): unknown };
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, cb: unknown) => {
      registrations.set(req.getName(), { dependencies: req.getDependenciesList(), provider: req.getProvider() });
      return original(req, cb);
    };
    return program();
  });
  return { result, deps: (n) => registrations.get(n)!.dependencies, providerOf: (n) => registrations.get(n)!.provider };
}

function byName(result: OfflineRun, type: string, name: string): RecordedResource {
  const found = ofType(result, type).find((r) => r.name === name);
  if (!found) throw new Error(`no ${type} ${name}`);
  return found;
}

/** The provider's kubeconfig (a secret under the mock engine: its value is wrapped). */
function kubeconfigOf(provider: RecordedResource): any {
  const k = provider.inputs.kubeconfig;
  return JSON.parse(typeof k === "string" ? k : k.value);
}

/** The training Job's pod template, as compiled. */
function trainingPod(result: OfflineRun): { metadata: any; spec: any } {
  const jobs = ofType(result, G.job).filter((j) => j.name.endsWith("-job"));
  expect(jobs).toHaveLength(1);
  return jobs[0]!.inputs.spec.template;
}

/** The compiled training pod's GKE interfaces. */
function podInterfaces(result: OfflineRun): { interfaceName: string; network: string }[] {
  const annotations = trainingPod(result).metadata.annotations;
  expect(annotations["networking.gke.io/default-interface"]).toBe("eth0");
  return JSON.parse(annotations["networking.gke.io/interfaces"]);
}

describe("GKE training cluster: the GPU node pool and its networks", () => {
  it.each([
    ["a3-highgpu-8g", 4, "nvidia-h100-80gb"],
    ["a3-megagpu-8g", 8, "nvidia-h100-mega-80gb"],
  ])("%s: one node pool of 8 with %i GPU VPCs (MTU 8244) as additional node networks, compact placement, gVNIC, no external IPs", async (instanceType, gpuNics, accelerator) => {
    const result = await run(training("tcp", { gpu: { instanceType, nodes: 8 } }));
    expect(result.error).toBeUndefined();
    const pool = byName(result, G.nodePool, "tcp-gpu-nodes").inputs;
    expect(pool.nodeCount).toBe(8);
    expect(pool.nodeLocations).toEqual(["us-central1-a"]);
    expect(pool.placementPolicy).toEqual({ type: "COMPACT" });
    expect(pool.nodeConfig).toMatchObject({
      machineType: instanceType,
      gvnic: { enabled: true },
      guestAccelerators: [{ type: accelerator, count: 8, gpuDriverInstallationConfig: { gpuDriverVersion: "LATEST" } }],
      taints: [{ key: "nvidia.com/gpu", value: "present", effect: "NO_SCHEDULE" }],
      workloadMetadataConfig: { mode: "GKE_METADATA" },
      shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
    });
    expect(pool.networkConfig.enablePrivateNodes).toBe(true);
    const additional = pool.networkConfig.additionalNodeNetworkConfigs;
    expect(additional).toHaveLength(gpuNics);
    // Each additional network is one of the VM compiler's GPU VPCs, with the fabric MTU and no route out.
    const gpuVpcs = ofType(result, G.network).filter((n) => /^tcp-gpu-\d$/.test(n.name));
    expect(gpuVpcs).toHaveLength(gpuNics);
    for (const vpc of gpuVpcs) expect(vpc.inputs).toMatchObject({ mtu: 8244, deleteDefaultRoutesOnCreate: true });
    expect(additional.map((a: { network: string }) => a.network).sort()).toEqual(gpuVpcs.map((v) => `${v.name}-offline`).sort());
    // No NIC anywhere gets an external address: private nodes, and no access configs exist in a node pool.
    expect(JSON.stringify(pool)).not.toMatch(/accessConfig|natIP/);
  });

  it("a3-ultragpu: the second gVNIC and the RoCE VPC's 8 subnets (MTU 8896, RDMA profile) as additional networks", async () => {
    const result = await run(training("ultra", { gpu: { instanceType: "a3-ultragpu-8g", nodes: 4 }, reservationId: "res-1", zone: "us-central1-b" }));
    expect(result.error).toBeUndefined();
    const pool = byName(result, G.nodePool, "ultra-gpu-nodes").inputs;
    expect(pool.networkConfig.additionalNodeNetworkConfigs).toHaveLength(9);
    expect(pool.networkConfig.additionalNodeNetworkConfigs[0]).toEqual({ network: "ultra-net-1-offline", subnetwork: "ultra-subnet-1-offline" });
    expect(pool.networkConfig.additionalNodeNetworkConfigs.slice(1).every((a: { network: string }) => a.network === "ultra-rdma-offline")).toBe(true);
    expect(byName(result, G.network, "ultra-rdma").inputs).toMatchObject({ mtu: 8896, networkProfile: "projects/offline-project/global/networkProfiles/us-central1-b-vpc-roce" });
    expect(pool.nodeConfig.reservationAffinity).toEqual({ consumeReservationType: "SPECIFIC_RESERVATION", key: "compute.googleapis.com/reservation-name", values: ["res-1"] });
    expect(ofType(result, G.paramSet).map((p) => p.inputs.spec.deviceMode).sort()).toEqual(["NetDevice", ...Array(8).fill("RDMA")]);
    // The second gVNIC stays with the node; the pod gets eth0 and the 8 RDMA NICs as eth2..eth9, as in Google's manifests.
    expect(podInterfaces(result)).toEqual([
      { interfaceName: "eth0", network: "default" },
      ...Array.from({ length: 8 }, (_, i) => ({ interfaceName: `eth${i + 2}`, network: `rdma-${i}` })),
    ]);
    expect(byName(result, G.daemonSet, "ultra-nccl-installer").inputs.spec.template.spec.initContainers[0].image).toBe("us-docker.pkg.dev/gce-ai-infra/gpudirect-gib/nccl-plugin-gib:v1.1.1");
  });

  it("puts Spot on the pool for spot pricing", async () => {
    const result = await run(training("spot", { pricing: "spot", contractUsdPerHour: 30 }));
    expect(result.error).toBeUndefined();
    expect(byName(result, G.nodePool, "spot-gpu-nodes").inputs.nodeConfig.spot).toBe(true);
  });

  it("creates a private GKE Standard cluster with Workload Identity, Shielded nodes, a release channel and multi-networking on Dataplane V2", async () => {
    const result = await run(training("sec"));
    expect(result.error).toBeUndefined();
    const cluster = one(result, G.cluster).inputs;
    expect(cluster).toMatchObject({
      location: "us-central1",
      enableMultiNetworking: true,
      datapathProvider: "ADVANCED_DATAPATH",
      networkingMode: "VPC_NATIVE",
      enableShieldedNodes: true,
      releaseChannel: { channel: "REGULAR" },
      workloadIdentityConfig: { workloadPool: "offline-project.svc.id.goog" },
      privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: true },
      removeDefaultNodePool: true,
    });
    expect(cluster.masterAuthorizedNetworksConfig.cidrBlocks.map((c: { cidrBlock: string }) => c.cidrBlock)).toEqual(["10.0.0.0/12"]); // the component's whole network: its nodes and a runner in the VPC
    expect(byName(result, G.subnet, "sec-subnet").inputs.secondaryIpRanges).toEqual([
      { rangeName: "gke-pods", ipCidrRange: "10.12.0.0/16" },
      { rangeName: "gke-services", ipCidrRange: "10.13.0.0/20" },
    ]);
    for (const fw of ofType(result, G.firewall)) expect(fw.inputs.sourceRanges, fw.name).not.toContain("0.0.0.0/0");
    expect(byName(result, G.nodePool, "sec-system-nodes").inputs.networkConfig.enablePrivateNodes).toBe(true);
  });
});

describe("GKE: the GKE side of the networks and the pod side, from one naming function", () => {
  it.each([
    ["a3-highgpu-8g", 4],
    ["a3-megagpu-8g", 8],
  ])("%s: a Network and a GKENetworkParamSet per GPU VPC, and pod interfaces matching them", async (instanceType, nics) => {
    const result = await run(training("nets", { gpu: { instanceType, nodes: 2 } }));
    expect(result.error).toBeUndefined();
    const pool = byName(result, G.nodePool, "nets-gpu-nodes").inputs;
    const paramSets = ofType(result, G.paramSet);
    const networks = ofType(result, G.gkeNetwork);
    expect(paramSets).toHaveLength(nics);
    expect(networks).toHaveLength(nics);
    paramSets.forEach((p, i) => {
      expect(p.inputs).toMatchObject({ apiVersion: "networking.gke.io/v1", kind: "GKENetworkParamSet", metadata: { name: `vpc${i + 1}` }, spec: { deviceMode: "NetDevice" } });
      // The parameter set names the same VPC and subnet as the node pool's additional network.
      expect({ network: p.inputs.spec.vpc, subnetwork: p.inputs.spec.vpcSubnet }).toEqual(pool.networkConfig.additionalNodeNetworkConfigs[i]);
    });
    networks.forEach((n, i) =>
      expect(n.inputs).toMatchObject({ kind: "Network", metadata: { name: `vpc${i + 1}` }, spec: { type: "Device", parametersRef: { group: "networking.gke.io", kind: "GKENetworkParamSet", name: `vpc${i + 1}` } } }),
    );
    const interfaces = podInterfaces(result);
    expect(interfaces[0]).toEqual({ interfaceName: "eth0", network: "default" });
    expect(interfaces.slice(1).map((i) => i.network)).toEqual(networks.map((n) => n.inputs.metadata.name));
    expect(interfaces.slice(1)).toHaveLength(pool.networkConfig.additionalNodeNetworkConfigs.length);
    // The env user pods need comes from the same table.
    const env = fabricSides(result.costEvents[0]!.plan, "kubernetes").env;
    expect(env.GPU_CLUSTER_EXPECTED_FABRIC_NICS).toBe(String(nics));
  });

  it("an inference fleet gets no GPU networks and no multi-network annotations", async () => {
    const result = await run(fleet("serve"));
    expect(result.error).toBeUndefined();
    const pool = byName(result, G.nodePool, "serve-gpu-nodes").inputs;
    expect(pool.autoscaling).toMatchObject({ totalMinNodeCount: 2, totalMaxNodeCount: 6 });
    expect(pool.networkConfig.additionalNodeNetworkConfigs).toBeUndefined();
    expect(pool.placementPolicy).toBeUndefined();
    expect(ofType(result, G.paramSet)).toHaveLength(0);
    // No multi-network annotations: only the Prometheus scrape annotations of the server's metrics (metrics.test.ts).
    expect(Object.keys(one(result, G.deployment).inputs.spec.template.metadata.annotations).sort()).toEqual(["prometheus.io/path", "prometheus.io/port", "prometheus.io/scrape"]);
    // Scaled by KEDA on vLLM's queue in Managed Service for Prometheus (test/managed-prometheus.test.ts).
    expect(one(result, "kubernetes:keda.sh/v1alpha1:ScaledObject").inputs.spec).toMatchObject({ minReplicaCount: 2, maxReplicaCount: 6 });
  });
});

describe("GKE bootstrap", () => {
  it("installs the networks, then Google's NRI device injector, then the TCPXO NCCL installer, then Kueue; the workload after all", async () => {
    const { result, deps, providerOf } = await runRecordingOptions(training("boot", { gcp: { gke: { kueue: true, nodesOnly: true } } }));
    expect(result.error).toBeUndefined();
    const injector = byName(result, G.daemonSet, "boot-device-injector");
    const installer = byName(result, G.daemonSet, "boot-nccl-installer");
    const kueue = one(result, G.release);
    const gpuNodes = byName(result, G.nodePool, "boot-gpu-nodes");
    const systemNodes = byName(result, G.nodePool, "boot-system-nodes");
    const networks = [...ofType(result, G.gkeNetwork), ...ofType(result, G.paramSet)];
    // Image references as Google's manifests give them (container-engine-accelerators), Google's untagged ubuntu pinned.
    expect(injector.inputs.spec.template.spec.containers[0].image).toBe("gcr.io/gke-release/nri-device-injector@sha256:6e79483d52abdc28454bf186320b10a56b0f117a10e8d65d5c74dbb821a76970");
    expect(installer.inputs.spec.template.spec.initContainers.map((c: { image: string }) => c.image)).toEqual([
      "ubuntu:22.04@sha256:3b06811b2afd352be909dd088a004166d665dc76d38b13eada33522a9d915c6f",
      "us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpxo/nccl-plugin-gpudirecttcpx-dev:v1.0.15@sha256:4c9f0de3f39455a2ea35e844e0fc92564ca5629f6b03250fde40e8160719dae4",
    ]);
    expect(installer.inputs.metadata.namespace).toBe("kube-system");
    expect(deps("boot-device-injector")).toEqual(expect.arrayContaining([gpuNodes.urn, systemNodes.urn, ...networks.map((n) => n.urn)]));
    expect(deps("boot-nccl-installer")).toEqual(expect.arrayContaining([gpuNodes.urn, injector.urn]));
    expect(deps("boot-kueue")).toEqual(expect.arrayContaining([gpuNodes.urn, installer.urn]));
    expect(kueue.inputs).toBeDefined();
    expect(ofType(result, G.job)).toHaveLength(0); // nodes only: the user's pods run there
    expect(deps("boot-gpu-nodes")).toContain(one(result, G.cluster).urn);
    const provider = one(result, G.provider);
    for (const name of ["boot-device-injector", "boot-nccl-installer", "boot-kueue", "boot-ns", "boot-vpc1-network", "boot-vpc1-params"]) {
      expect(providerOf(name), name).toMatch(new RegExp(`^${provider.urn.replace(/[$]/g, "\\$")}::`));
    }
    expect(provider.inputs.kubeconfig).toBeDefined();
  });

  it("installs the TCPX installer on A3 High as gpudirect-tcpx/nccl-tcpx-installer.yaml @22f1e653 does: v3.1.9 into the driver directory the pods mount", async () => {
    const result = await run(training("high", { gpu: { instanceType: "a3-highgpu-8g", nodes: 2 } }));
    expect(result.error).toBeUndefined();
    const spec = byName(result, G.daemonSet, "high-nccl-installer").inputs.spec.template.spec;
    expect(spec.initContainers.map((c: { name: string }) => c.name)).toEqual(["nccl-tcpx-installer"]);
    // Google's optmem-max DaemonSet for A3 High (gpudirect-tcpx/optmem-max-ds.yaml @4e7f0be0): 131072, in the host's
    // namespaces, as a DaemonSet of its own (a change to the installer's template would re-copy NCCL under running pods).
    const optmem = byName(result, G.daemonSet, "high-optmem-max").inputs.spec.template.spec;
    expect(optmem.initContainers).toHaveLength(1);
    expect(optmem.initContainers[0].securityContext).toMatchObject({ privileged: true });
    expect(optmem.initContainers[0].command).toEqual(["nsenter", "-at", "1", "--", "sh", "-c", '[ "$(cat /proc/sys/net/core/optmem_max)" -ge 131072 ] || echo 131072 > /proc/sys/net/core/optmem_max']);
    expect(optmem.hostPID).toBe(true);
    const installer = spec.initContainers[0];
    expect(installer.image).toBe("us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpx/nccl-plugin-gpudirecttcpx-dev:v3.1.9");
    expect(installer.volumeMounts).toContainEqual({ name: "library-dir-host", mountPath: "/usr/local" });
    expect(spec.volumes).toContainEqual({ name: "library-dir-host", hostPath: { path: "/home/kubernetes/bin" } });
    expect(installer.args[0]).toContain("cp -r /var/lib/tcpx/lib64/. /usr/local/nvidia/lib64");
    expect(spec.containers[0].image).toBe("gke.gcr.io/pause:3.8@sha256:880e63f94b145e46f1b1082bb71b85e21f16b99b180b9996407d61240ceb9830");
    // The pods read the plugin where the installer put it: /home/kubernetes/bin/nvidia/lib64 as /usr/local/nvidia/lib64.
    const pod = trainingPod(result);
    const lib = pod.spec.volumes.find((v: { name: string }) => v.name === "fabric-nvidia-lib64");
    expect(lib.hostPath.path).toBe("/home/kubernetes/bin/nvidia/lib64");
  });

  it("A3 Ultra's gIB installer as container-engine-accelerators gpudirect-rdma/nccl-rdma-installer.yaml @2da1c92f (2026-05-06): v1.1.1, `install` without --install-nccl, lib64 and the whole gIB tree onto the host", async () => {
    const result = await run(training("ultra", { gpu: { instanceType: "a3-ultragpu-8g", nodes: 2 }, reservationId: "r", zone: "us-central1-b" }));
    expect(result.error).toBeUndefined();
    const spec = byName(result, G.daemonSet, "ultra-nccl-installer").inputs.spec.template.spec;
    expect(spec.initContainers.map((c: { image: string }) => c.image)).toEqual(["us-docker.pkg.dev/gce-ai-infra/gpudirect-gib/nccl-plugin-gib:v1.1.1"]);
    expect(spec.initContainers[0].args[0].split("\n")).toEqual([
      "set -ex",
      "/scripts/container_entry.sh install",
      "cp -r /var/lib/gib/lib64/. /usr/local/home/kubernetes/bin/nvidia/lib64",
      "cp -r /var/lib/gib/. /usr/local/home/kubernetes/bin/gib",
      'echo "installation finishes"',
      "",
    ]);
  });

  it("A3 Mega's TCPXO installer as gpudirect-tcpxo/nccl-tcpxo-installer.yaml @685dca25 (2026-01-09): v1.0.15 into the driver directory the pods mount", async () => {
    const result = await run(training("mega", { gpu: { instanceType: "a3-megagpu-8g", nodes: 2 } }));
    expect(result.error).toBeUndefined();
    const spec = byName(result, G.daemonSet, "mega-nccl-installer").inputs.spec.template.spec;
    const installer = spec.initContainers[1];
    expect(installer.image).toBe("us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpxo/nccl-plugin-gpudirecttcpx-dev:v1.0.15@sha256:4c9f0de3f39455a2ea35e844e0fc92564ca5629f6b03250fde40e8160719dae4");
    expect(installer.args[0]).toContain("cp -r /var/lib/tcpxo/lib64/. /usr/local/nvidia/lib64");
    expect(spec.initContainers[0].command.join(" ")).toContain("modprobe import-helper");
    // The pod mounts the directory the installer wrote (library-dir-host /home/kubernetes/bin, seen at /usr/local).
    const lib = trainingPod(result).spec.volumes.find((v: { name: string }) => v.name === "fabric-nvidia-lib64");
    expect(lib.hostPath.path).toBe("/home/kubernetes/bin/nvidia/lib64");
  });
});

describe("GKE scale, cost and existing clusters", () => {
  it("compiles 1,021 nodes (all the /16 pod range holds beside the 3 system nodes) to the same resources as 8", async () => {
    const small = await run(training("same"));
    const large = await run(training("same", { gpu: { instanceType: "a3-megagpu-8g", nodes: 1021 } }));
    expect(large.error).toBeUndefined();
    expect(large.resources.map((r) => `${r.type} ${r.name}`).sort()).toEqual(small.resources.map((r) => `${r.type} ${r.name}`).sort());
    expect(byName(large, G.nodePool, "same-gpu-nodes").inputs.nodeCount).toBe(1021);
    expect(trainingJob(large).inputs.spec).toMatchObject({ completions: 1021, parallelism: 1021 });
  });

  it("prices the GKE cluster management fee at $73.00/month", () => {
    const estimate = gpu.estimateCost({ ...base, gpu: { instanceType: "a3-megagpu-8g", nodes: 8 } });
    const line = estimate.lines.find((l) => /GKE/.test(l.description));
    expect(line?.monthlyUsd).toBeCloseTo(73, 2);
  });

  it("joins an existing cluster by name: no Cluster, no system pool, no host VPC; the GPU pool, GPU VPCs and a plan note", async () => {
    let cluster: gpu.TrainingCluster | undefined;
    const result = await run(() => (cluster = training("byo", { gcp: { gke: { clusterName: "shared", installClusterAddons: false } } })()));
    expect(result.error).toBeUndefined();
    expect(ofType(result, G.cluster)).toHaveLength(0);
    expect(ofType(result, G.nodePool).map((p) => p.name)).toEqual(["byo-gpu-nodes"]);
    expect(ofType(result, G.network).map((n) => n.name).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `byo-gpu-${i}`).sort());
    const pool = one(result, G.nodePool).inputs;
    expect(pool).toMatchObject({ cluster: "shared", location: "us-central1" });
    expect(pool.networkConfig.additionalNodeNetworkConfigs).toHaveLength(8);
    const kubeconfig = kubeconfigOf(one(result, G.provider));
    expect(kubeconfig.clusters[0].cluster.server).toBe("https://10.0.0.2");
    expect(kubeconfig.users[0].user.exec.command).toBe("gke-gcloud-auth-plugin");
    const plan = await new Promise<gpu.Plan>((done) => cluster!.plan.apply(done));
    expect(plan.notes.join("\n")).toMatch(/existing cluster 'shared'.*\$73\.00/);
  });
});

describe("GKE manifests against the Kubernetes schema", () => {
  it("every workload manifest and DaemonSet validates against its kind's schema", async () => {
    const runs = await Promise.all([
      run(training("schema-train", { storage: [{ kind: "object", capacityTiB: 1 }] })),
      run(training("schema-tcp", { fabric: "none" })),
      run(training("schema-high", { gpu: { instanceType: "a3-highgpu-8g", nodes: 2 }, gcp: { gke: { acceptanceTest: true } } })),
      run(training("schema-ultra", { gpu: { instanceType: "a3-ultragpu-8g", nodes: 2 }, reservationId: "r", zone: "us-central1-b" })),
      run(fleet("schema-fleet")),
      // An existing cluster (no managed Prometheus known): the CPU HorizontalPodAutoscaler.
      run(fleet("schema-cpu", { gcp: { gke: { clusterName: "shared", installClusterAddons: false } } })),
    ]);
    const checked = new Set<string>();
    for (const result of runs) {
      expect(result.error).toBeUndefined();
      // KEDA's kinds are CRDs with no upstream schema here: test/managed-prometheus.test.ts holds their fields to KEDA's own manifests.
      for (const resource of result.resources.filter((r) => r.type.startsWith("kubernetes:") && r.type !== G.release && !r.type.includes("networking.gke.io") && !r.type.includes("monitoring.googleapis.com") && !r.type.startsWith("kubernetes:keda.sh/"))) {
        const Model = SCHEMAS[resource.type];
        expect(Model, resource.type).toBeDefined();
        expect(() => new Model!(resource.inputs).validate(), `${resource.type} ${resource.name}`).not.toThrow();
        checked.add(resource.type);
      }
    }
    expect([...checked].sort()).toEqual(Object.keys(SCHEMAS).sort());
  });
});

/** The trainer container of a compiled pod. */
function trainer(pod: { spec: any }): any {
  return pod.spec.containers.find((c: { name: string }) => c.name === "trainer");
}

/** Host paths the pod mounts, by mount path in the trainer. */
function hostMounts(pod: { spec: any }, container: any): Record<string, string> {
  const hostPathOf = (name: string) => pod.spec.volumes.find((v: { name: string }) => v.name === name)?.hostPath?.path;
  return Object.fromEntries(container.volumeMounts.filter((m: { name: string }) => hostPathOf(m.name)).map((m: { name: string; mountPath: string }) => [m.mountPath, hostPathOf(m.name)]));
}

describe("GKE GPUDirect: the component's own pods get the fabric, so NCCL cannot fall back to TCP", () => {
  it("A3 Mega (TCPXO): eth1..eth8 on vpc1..vpc8, the FasTrak datapath manager as a native sidecar with the 8 GPUs injected, the aperture devices, and Google's NCCL profile sourced before the command", async () => {
    const result = await run(training("xo", { gpu: { instanceType: "a3-megagpu-8g", nodes: 4 } }));
    expect(result.error).toBeUndefined();
    const pod = trainingPod(result);
    expect(podInterfaces(result)).toEqual([
      { interfaceName: "eth0", network: "default" },
      ...Array.from({ length: 8 }, (_, i) => ({ interfaceName: `eth${i + 1}`, network: `vpc${i + 1}` })),
    ]);
    const devices = pod.metadata.annotations["devices.gke.io/container.tcpxo-daemon"].trim().split("\n");
    expect(devices).toEqual([...Array.from({ length: 8 }, (_, i) => `- path: /dev/nvidia${i}`), "- path: /dev/nvidiactl", "- path: /dev/nvidia-uvm", "- path: /dev/dmabuf_import_helper"]);
    // One sidecar, named as the annotation names it, that outlives nothing: restartPolicy Always lets the Job complete.
    expect(pod.spec.initContainers).toHaveLength(1);
    const sidecar = pod.spec.initContainers[0];
    // Image and entry script of gpudirect-tcpxo/nccl-test-latest.yaml @abbe8ddf (2026-04-20).
    expect(sidecar).toMatchObject({ name: "tcpxo-daemon", image: "us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpxo/tcpgpudmarxd-dev:v1.0.21@sha256:8d9e10fd589a34ab8a0aa64f7e70ad075c8f1c69bea176350f8d211367697e3d", restartPolicy: "Always" });
    expect(sidecar.command).toEqual(["/bin/sh", "-c", "set -ex\nchmod 755 /fts/entrypoint_rxdm_container.sh\nexec /fts/entrypoint_rxdm_container.sh --num_hops=2"]);
    // The trainer starts only once the daemon has written its health file (gpudirect-tcpxo/best-practice.md @685dca25).
    expect(envOf(sidecar)).toMatchObject({ HEALTH_CHECK_LOG_FILE: "/run/health-check", LD_LIBRARY_PATH: "/usr/local/nvidia/lib64" });
    expect(sidecar.startupProbe).toEqual({ exec: { command: ["cat", "/run/health-check"] }, initialDelaySeconds: 1, periodSeconds: 5, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 24 });
    expect(sidecar.securityContext).toEqual({ runAsNonRoot: false, runAsUser: 0, privileged: false, allowPrivilegeEscalation: false, capabilities: { add: ["NET_ADMIN", "NET_BIND_SERVICE"] } });
    expect(hostMounts(pod, sidecar)).toEqual({ "/usr/local/nvidia/lib64": "/home/kubernetes/bin/nvidia/lib64", "/hostsysfs": "/sys", "/hostprocsysfs": "/proc/sys" });
    const main = trainer(pod);
    expect(hostMounts(pod, main)).toEqual({ "/usr/local/nvidia/lib64": "/home/kubernetes/bin/nvidia/lib64", "/dev/aperture_devices": "/dev/aperture_devices" });
    // The node's driver and NCCL plugin serve every GPU pod on it: no pod may write them.
    for (const c of [main, sidecar]) expect(c.volumeMounts.find((m: { mountPath: string }) => m.mountPath === "/usr/local/nvidia/lib64").readOnly, c.name).toBe(true);
    const env = Object.fromEntries(main.env.map((e: { name: string; value: string }) => [e.name, e.value]));
    expect(env).toMatchObject({ LD_LIBRARY_PATH: "/usr/local/nvidia/lib64", NCCL_FASTRAK_LLCM_DEVICE_DIRECTORY: "/dev/aperture_devices", GPU_CLUSTER_EXPECTED_FABRIC_NICS: "8" });
    // The default command runs after the profile, through exec.
    expect(main.command.slice(0, 4)).toEqual(["/bin/bash", "-c", `${TCPXO_WAIT} && NCCL_LIB_DIR=/usr/local/nvidia/lib64 source /usr/local/nvidia/lib64/nccl-env-profile.sh && exec "$@"`, "gpu-cluster-fabric"]);
    expect(main.command.slice(4, 6)).toEqual(["bash", "-c"]);
    expect(main.securityContext.privileged).toBe(false);
    expect(main.resources.limits["nvidia.com/gpu"]).toBe("8");
  });

  it("A3 High (TCPX): eth1..eth4, the TCPX datapath manager serving /run/tcpx, and NCCL told to use those 4 NICs through that socket", async () => {
    const result = await run(training("x", { gpu: { instanceType: "a3-highgpu-8g", nodes: 2 } }));
    expect(result.error).toBeUndefined();
    const pod = trainingPod(result);
    expect(podInterfaces(result).map((i) => i.interfaceName)).toEqual(["eth0", "eth1", "eth2", "eth3", "eth4"]);
    const sidecar = pod.spec.initContainers[0];
    expect(sidecar).toMatchObject({ name: "tcpx-daemon", image: "us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpx/tcpgpudmarxd-dev:v2.0.12", restartPolicy: "Always" });
    expect(sidecar.command).toEqual(["/tcpgpudmarxd/build/app/tcpgpudmarxd", "--gpu_nic_preset", "a3vm", "--gpu_shmem_type", "fd", "--uds_path", "/run/tcpx", "--setup_param", "--verbose 128 2 0 "]);
    // Gated like slurm-gcp's A3 High prolog (receive-data-path-manager @6e4500a7): 10 s after start, still running.
    // The socket directory is an emptyDir that exists from the start: the probe waits for a Unix socket the RxDM serves in it.
    expect(sidecar.startupProbe).toEqual({
      exec: { command: ["/bin/sh", "-c", "test -S /run/tcpx/rx_rule_manager"] },
      initialDelaySeconds: 10,
      periodSeconds: 5,
      timeoutSeconds: 1,
      successThreshold: 1,
      failureThreshold: 12,
    });
    const probe = (dir: string) => {
      try {
        const [cmd, ...args] = sidecar.startupProbe.exec.command as string[];
        execFileSync(cmd!, args.map((a) => a.replace("/run/tcpx", dir)));
        return true;
      } catch {
        return false;
      }
    };
    const dir = mkdtempSync(join(tmpdir(), "tcpx-"));
    try {
      expect(probe(dir)).toBe(false);
      // Another socket, or a plain file of that name, is not the RxDM's flow-steering server.
      writeFileSync(join(dir, "rx_rule_manager"), "");
      expect(probe(dir)).toBe(false);
      rmSync(join(dir, "rx_rule_manager"));
      const other = createServer();
      await new Promise<void>((resolve) => other.listen(join(dir, "queue_ids_by_gpu"), resolve));
      expect(probe(dir)).toBe(false);
      await new Promise((resolve) => other.close(resolve));
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(join(dir, "rx_rule_manager"), resolve));
      expect(probe(dir)).toBe(true);
      await new Promise((resolve) => server.close(resolve));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(pod.metadata.annotations["devices.gke.io/container.tcpx-daemon"]).not.toContain("dmabuf");
    const main = trainer(pod);
    // The socket directory is the pod's own (cluster-toolkit enable-tcpx-in-workload.py @4f04afc17: emptyDir), shared by both.
    const socketVolume = pod.spec.volumes.find((v: { name: string }) => v.name === "fabric-tcpx-socket");
    expect(socketVolume).toEqual({ name: "fabric-tcpx-socket", emptyDir: {} });
    for (const c of [main, sidecar]) expect(c.volumeMounts).toContainEqual({ name: "fabric-tcpx-socket", mountPath: "/run/tcpx" });
    // Google's run-nccl.sh for GKE, gpudirect-tcpx/nccl-config.yaml @0e5609b0 (2026-06-02): every NCCL value, exactly,
    // plus the library's NCCL_NET guard (the plugin by name, as on VMs: a plugin that does not load is an error).
    const nccl = Object.fromEntries(Object.entries(envOf(main)).filter(([k]) => k.startsWith("NCCL_")));
    expect(nccl).toEqual({
      NCCL_NET: "GPUDirectTCPX_v7",
      NCCL_SOCKET_IFNAME: "eth0",
      NCCL_ALGO: "Ring,Tree",
      NCCL_PROTO: "Simple",
      NCCL_CROSS_NIC: "0",
      NCCL_NET_GDR_LEVEL: "PIX",
      NCCL_P2P_PXN_LEVEL: "0",
      NCCL_GPUDIRECTTCPX_SOCKET_IFNAME: "eth1,eth2,eth3,eth4",
      NCCL_GPUDIRECTTCPX_CTRL_DEV: "eth0",
      NCCL_GPUDIRECTTCPX_UNIX_CLIENT_PREFIX: "/run/tcpx",
      NCCL_DYNAMIC_CHUNK_SIZE: "524288",
      NCCL_P2P_NET_CHUNKSIZE: "524288",
      NCCL_P2P_PCI_CHUNKSIZE: "524288",
      NCCL_P2P_NVL_CHUNKSIZE: "1048576",
      NCCL_BUFFSIZE: "4194304",
      NCCL_NSOCKS_PERTHREAD: "4",
      NCCL_SOCKET_NTHREADS: "1",
      NCCL_GPUDIRECTTCPX_TX_BINDINGS: "eth1:8-21,112-125;eth2:8-21,112-125;eth3:60-73,164-177;eth4:60-73,164-177",
      NCCL_GPUDIRECTTCPX_RX_BINDINGS: "eth1:22-35,126-139;eth2:22-35,126-139;eth3:74-87,178-191;eth4:74-87,178-191",
      NCCL_GPUDIRECTTCPX_PROGRAM_FLOW_STEERING_WAIT_MICROS: "500000",
    });
    // No profile script for TCPX: the prelude waits for the node's plugin and pins the workload to Google's NCCL cores
    // (run-nccl.sh: taskset -c 0-7,104-111,52-59,156-163), then runs the workload's own command.
    expect(main.command.slice(0, 4)).toEqual([
      "/bin/bash",
      "-c",
      `${pluginWaitStep(["/usr/local/nvidia/lib64/libnccl-net.so"], "nccl-tcpx-installer")} && ${launcherPinStep()} && exec "$@"`,
      "gpu-cluster-fabric",
    ]);
    expect(main.command[2]).toContain("taskset -pc 0-7,104-111,52-59,156-163 $$");
    expect(main.command[4]).toBe("bash");
  });

  it("A3 Ultra (RDMA): the gIB plugin from the host, its NCCL script sourced first, IPC_LOCK, no sidecar", async () => {
    const result = await run(training("rd", { gpu: { instanceType: "a3-ultragpu-8g", nodes: 2 }, reservationId: "r", zone: "us-central1-b", gcp: { gke: { image: "example.com/trainer:1", command: ["torchrun", "train.py"], args: ["--epochs", "3"] } } }));
    expect(result.error).toBeUndefined();
    const pod = trainingPod(result);
    expect(pod.spec.initContainers).toBeUndefined();
    const main = trainer(pod);
    expect(hostMounts(pod, main)).toEqual({ "/usr/local/nvidia": "/home/kubernetes/bin/nvidia", "/usr/local/gib": "/home/kubernetes/bin/gib" });
    expect(main.command).toEqual(["/bin/bash", "-c", `${pluginWaitStep(["/usr/local/gib/scripts/set_nccl_env.sh"], "nccl-rdma-installer")} && source /usr/local/gib/scripts/set_nccl_env.sh && exec "$@"`, "gpu-cluster-fabric", "torchrun", "train.py"]);
    expect(main.args).toEqual(["--epochs", "3"]);
    expect(main.securityContext.capabilities).toEqual({ drop: ["ALL"], add: ["IPC_LOCK"] });
  });

  it("the user's env still wins over Google's profile: copied aside before the profile is sourced, exported again after; values never enter the script", async () => {
    const result = await run(training("envs", { gcp: { gke: { env: { NCCL_DEBUG: "INFO", NCCL_ALGO: "it's Ring; rm -rf /", "dotted.name": "x" } } } }));
    expect(result.error).toBeUndefined();
    const main = trainer(trainingPod(result));
    const script = main.command[2];
    expect(script).toBe(
      '__gpu_cluster_user_NCCL_DEBUG="$NCCL_DEBUG" && __gpu_cluster_user_NCCL_ALGO="$NCCL_ALGO" && ' +
        `${TCPXO_WAIT} && ` +
        "NCCL_LIB_DIR=/usr/local/nvidia/lib64 source /usr/local/nvidia/lib64/nccl-env-profile.sh && " +
        'export NCCL_DEBUG="$__gpu_cluster_user_NCCL_DEBUG" && export NCCL_ALGO="$__gpu_cluster_user_NCCL_ALGO" && exec "$@"',
    );
    expect(script).not.toContain("rm -rf");
    // The values are the container's environment, where the shell finds them.
    expect(envOf(main)).toMatchObject({ NCCL_DEBUG: "INFO", NCCL_ALGO: "it's Ring; rm -rf /", "dotted.name": "x" });
  });

  it("the acceptance test's pods get the same sidecar and prelude as the training pods", async () => {
    const result = await run(training("acc", { gpu: { instanceType: "a3-megagpu-8g", nodes: 2 }, gcp: { gke: { acceptanceTest: true } } }));
    expect(result.error).toBeUndefined();
    const check = byName(result, G.job, "acc-nccl-check").inputs.spec.template;
    expect(check.spec.initContainers.map((c: { name: string }) => c.name)).toEqual(["tcpxo-daemon"]);
    expect(check.spec.containers[0].command[2]).toContain("nccl-env-profile.sh");
    expect(check.metadata.annotations).toEqual(trainingPod(result).metadata.annotations);
  });

  it("asks for the command when the user's image would start without Google's NCCL profile", async () => {
    const result = await run(training("img", { gcp: { gke: { image: "example.com/trainer:1" } } }));
    expect(result.error).toMatchObject({ name: "SpecError", path: "gcp.gke.command" });
    expect((result.error as Error).message).toMatch(/nccl-env-profile\.sh/);
    expect(result.resources).toEqual([]);
  });

  // An internet-facing fleet is served over HTTPS by a GKE Gateway (test/gke-internet-facing.test.ts); a GKE external
  // LoadBalancer Service would be a passthrough Network Load Balancer, which cannot terminate TLS
  // (https://cloud.google.com/load-balancing/docs/passthrough-network-load-balancer, read 2026-11-30). Without the
  // certificate, or with the passthrough load balancer's ranges, it is refused before anything is built.
  it("refuses an internet-facing fleet without its certificate, or with the passthrough load balancer's client ranges, before anything is built", async () => {
    const cases: [string, gpu.GcpOptions | undefined, string][] = [
      ["open", undefined, "gcp.sslCertificates"],
      ["ranged", { gke: { loadBalancerSourceRanges: ["203.0.113.0/24"] } }, "gcp.gke.loadBalancerSourceRanges"],
      ["cert", { sslCertificates: ["projects/p/global/sslCertificates/c"], allowedSourceRanges: ["203.0.113.0/24"], gke: { loadBalancerSourceRanges: ["203.0.113.0/24"] } }, "gcp.gke.loadBalancerSourceRanges"],
      ["existing", { gke: { clusterName: "shared" } }, "gcp.sslCertificates"],
    ];
    for (const [name, gcp, path] of cases) {
      const result = await run(fleet(name, { loadBalancer: "internet-facing", ...(gcp ? { gcp } : {}) }));
      expect(result.error, name).toMatchObject({ name: "SpecError", path });
      expect(result.resources).toEqual([]);
    }
  });

  it("an internal fleet is an internal passthrough load balancer reachable from the VPC, admitting the component's network (https://cloud.google.com/kubernetes-engine/docs/how-to/internal-load-balancing, read 2026-11-30)", async () => {
    let url: string | undefined;
    const result = await run(() => {
      const f = fleet("inside")() as gpu.InferenceFleet;
      f.endpointUrl.apply((u) => (url = u));
    });
    expect(result.error).toBeUndefined();
    // Its address is reserved in the host subnet and is the fleet's endpoint: what a client in the VPC reaches, on the
    // port the server listens on, in plain HTTP (the internal passthrough load balancer does not terminate TLS).
    const address = one(result, "gcp:compute/address:Address");
    expect(address.inputs).toMatchObject({ addressType: "INTERNAL", region: "us-central1", subnetwork: `${byName(result, G.subnet, "inside-subnet").name}-id` });
    expect(one(result, G.service).inputs.spec.loadBalancerIP).toBe("10.0.255.249");
    expect(url).toBe("http://10.0.255.249:8000");
    const svc = one(result, G.service).inputs;
    // GKE's L4 controller takes the reserved address by NAME from networking.gke.io/load-balancer-ip-addresses first
    // (GKE 1.29+; https://cloud.google.com/kubernetes-engine/docs/concepts/service-load-balancer-parameters and
    // kubernetes/ingress-gce pkg/address/to_use.go IPv4ToUse, read 2026-11-30); spec.loadBalancerIP stays for older clusters.
    expect(svc.metadata.annotations).toMatchObject({ "networking.gke.io/load-balancer-type": "Internal", "networking.gke.io/load-balancer-ip-addresses": address.outputs.name });
    // The address resource's own name (the offline engine names it <resource>-offline), never its IP.
    expect(address.outputs.name).toBe("inside-lb-address-offline");
    expect(svc.spec).toMatchObject({ type: "LoadBalancer", externalTrafficPolicy: "Local", loadBalancerSourceRanges: ["10.0.0.0/12"] });
    // gcp.networkCidr moves it; loadBalancerSourceRanges (peered networks, a VPN) replaces it.
    const moved = await run(fleet("moved", { gcp: { networkCidr: "10.16.0.0/12" } }));
    expect(one(moved, G.service).inputs.spec.loadBalancerSourceRanges).toEqual(["10.16.0.0/12"]);
    const peered = await run(fleet("peered", { gcp: { gke: { loadBalancerSourceRanges: ["172.16.0.0/16"] } } }));
    expect(one(peered, G.service).inputs.spec.loadBalancerSourceRanges).toEqual(["172.16.0.0/16"]);
  });
});

describe("GKE storage", () => {
  it("nfs: a Filestore instance on the cluster's host VPC, an nfs volume at the mount path in every training pod", async () => {
    const result = await run(training("fs", { gpu: { instanceType: "a3-megagpu-8g", nodes: 2 }, storage: [{ kind: "object", capacityTiB: 1 }, { kind: "nfs", capacityTiB: 2.5, mountPath: "/shared" }] }));
    expect(result.error).toBeUndefined();
    const instance = one(result, "gcp:filestore/instance:Instance").inputs;
    const host = byName(result, G.network, "fs-net");
    expect(instance.networks[0]).toMatchObject({ network: host.outputs.name, connectMode: "DIRECT_PEERING" });
    expect(instance.fileShares).toEqual({ name: "share", capacityGb: 2560 });
    const pod = trainingPod(result).spec;
    const volume = pod.volumes.find((v: { name: string }) => v.name === "storage-shared");
    expect(volume.nfs.path).toBe("/share");
    // The server is the instance's address, in the range reserved for it on the host VPC.
    // "shared" hashes to block 8 of the 32 /29s (10.15.16.64/29), whatever its position in storage[].
    expect(instance.networks[0].reservedIpRange).toBe("10.15.16.64/29");
    expect(volume.nfs.server).toBe("10.15.16.66");
    expect(trainer({ spec: pod }).volumeMounts).toContainEqual({ name: "storage-shared", mountPath: "/shared" });
  });

  it("refuses nfs on an existing cluster, whose VPC it does not manage", async () => {
    const result = await run(training("byo-fs", { storage: [{ kind: "nfs", capacityTiB: 1 }], gcp: { gke: { clusterName: "shared" } } }));
    expect(result.error).toMatchObject({ name: "SpecError", path: "storage[0].kind" });
  });
});

describe("GKE options", () => {
  it("rejects bad options synchronously, before any resource exists", async () => {
    const cases: [Partial<gpu.TrainingClusterArgs>, string][] = [
      [{ gcp: { gke: { clusterName: "Bad_Name" } } }, "gcp.gke.clusterName"],
      [{ gcp: { gke: { publicEndpoint: true } } }, "gcp.gke.publicAccessCidrs"],
      [{ gcp: { gke: { kueue: "yes" } } } as never, "gcp.gke.kueue"],
      [{ gcp: { gke: { clustername: "x" } } } as never, "gcp.gke.clustername"],
      [{ gcp: { gke: { releaseChannel: "FAST" } } } as never, "gcp.gke.releaseChannel"],
      [{ gcp: { gke: { clusterLocation: "us-central1" } } }, "gcp.gke.clusterLocation"],
      // Block volumes are not built on GKE (Managed Lustre is: test/gke-lustre.test.ts).
      [{ storage: [{ kind: "block", capacityTiB: 1, mountPath: "/data" }] }, "storage[0].kind"],
      [{ orchestrator: "vm", gcp: { gke: {} } }, "gcp.gke"],
    ];
    for (const [args, path] of cases) {
      const result = await run(training("bad", args));
      expect(result.error, path).toMatchObject({ name: "SpecError", path });
      expect(result.resources).toEqual([]);
    }
  });

  it("refuses options that would be silently ignored: a certificate on an internal GKE fleet, workload options with nodesOnly", async () => {
    const cert = await run(fleet("cert", { gcp: { sslCertificates: ["projects/p/regions/us-central1/sslCertificates/c"] } }));
    expect(cert.error).toMatchObject({ name: "SpecError", path: "gcp.sslCertificates" });
    expect((cert.error as Error).message).toContain("an internal GKE fleet is behind a passthrough load balancer that cannot terminate TLS");
    expect(cert.resources).toEqual([]);
    const nodesOnly = await run(training("nodes", { gcp: { gke: { nodesOnly: true, acceptanceTest: true } } }));
    expect(nodesOnly.error).toMatchObject({ name: "SpecError", path: "gcp.gke.acceptanceTest" });
    expect((nodesOnly.error as Error).message).toMatch(/nodesOnly: true does not build/);
  });

  it("says in the plan that the GPUDirect sidecar needs Kubernetes 1.29+, and prices three system nodes (one per default zone)", async () => {
    const result = await run(training("note", { gpu: { instanceType: "a3-megagpu-8g", nodes: 2 } }));
    expect(result.costEvents[0]!.plan.notes.join("\n")).toMatch(/native sidecar, which needs Kubernetes 1\.29 or later/);
    const system = byName(result, G.nodePool, "note-system-nodes").inputs;
    // nodeCount is per zone of the regional cluster: 1 × 3 default zones = the catalog's 3 priced nodes.
    expect(system.nodeCount * 3).toBe(catalog.systemNodePool("gcp").nodes);
    expect(result.costEvents[0]!.estimate.lines.find((l) => /system node pool/.test(l.description))!.quantity).toBe(3 * 730);
  });

  it("the fabric module gives the pod side the same network names as the node side", () => {
    const plan = gpu.planCluster({ ...base, gpu: { instanceType: "a3-megagpu-8g", nodes: 2 } });
    expect(gkeNetworks(plan).map((n) => n.name)).toEqual(["vpc1", "vpc2", "vpc3", "vpc4", "vpc5", "vpc6", "vpc7", "vpc8"]);
    expect(fabricSides(plan, "kubernetes").pod?.annotations?.["networking.gke.io/interfaces"]).toContain('"network":"vpc8"');
  });
});
