/**
 * GCP and GKE create-time rules, checked over the compiled resources of every GCP example and of a small matrix of
 * specs (VM / GKE × training / inference × A3 High / A3 Mega / A3 Ultra / G2). Each rule is what a real `pulumi up`
 * (or the node after it) needs to succeed and do its job, and carries the page it comes from; a violation names the
 * resource and the input. A rule that does not apply to a target (no Lustre, no GKE) checks nothing there.
 */
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { GCP_APIS, type GcpApi } from "../lib/clouds/gcp/apis.js";
import { simulateGcpZones } from "../lib/clouds/gcp/offline-invokes.js";
import type { Plan } from "../lib/planner/types.js";
import { urnType, type OfflineRun, type RecordedResource } from "../lib/preview/offline.js";
import { EXAMPLE_CONFIG } from "../scripts/example-config.js";
import { ofType, privateEndpoint, run, runRecording, type Registration } from "./helpers/offline.js";

const G = {
  service: "gcp:projects/service:Service",
  template: "gcp:compute/instanceTemplate:InstanceTemplate",
  mig: "gcp:compute/instanceGroupManager:InstanceGroupManager",
  regionMig: "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager",
  autoscaler: "gcp:compute/regionAutoscaler:RegionAutoscaler",
  network: "gcp:compute/network:Network",
  subnet: "gcp:compute/subnetwork:Subnetwork",
  lustre: "gcp:lustre/instance:Instance",
  account: "gcp:serviceaccount/account:Account",
  projectRole: "gcp:projects/iAMMember:IAMMember",
  cluster: "gcp:container/cluster:Cluster",
  nodePool: "gcp:container/nodePool:NodePool",
  paramSet: "kubernetes:networking.gke.io/v1:GKENetworkParamSet",
  gkeNetwork: "kubernetes:networking.gke.io/v1:Network",
  k8sService: "kubernetes:core/v1:Service",
};

/** One compiled target: its resources, each one's registration (dependencies), and the plan. */
interface Compiled {
  label: string;
  result: OfflineRun;
  byType: Map<string, Registration>;
  plan: Plan;
}

interface Rule {
  id: string;
  /** The page the rule comes from. */
  source: string;
  /** Violations, each naming the resource and what is wrong (empty: the target keeps the rule). */
  check(c: Compiled): string[];
}

const key = (r: { type: string; name: string }) => `${r.type}::${r.name}`;
const urnKey = (urn: string) => `${urnType(urn)}::${urn.split("::").pop()}`;

/** Every resource a resource waits for, directly or through its inputs' resources. */
function dependenciesOf(c: Compiled, r: RecordedResource): Set<string> {
  const seen = new Set<string>();
  const stack = [...(c.byType.get(key(r))?.dependencies ?? [])].map(urnKey);
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    for (const urn of c.byType.get(next)?.dependencies ?? []) stack.push(urnKey(urn));
  }
  return seen;
}

/** The API a gcp resource type is created through (by its provider module). */
function apiOf(type: string): GcpApi | undefined {
  const module = /^gcp:([a-zA-Z]+)\//.exec(type)?.[1];
  const byModule: Record<string, GcpApi> = {
    compute: "compute",
    serviceaccount: "iam",
    container: "container",
    kms: "cloudkms",
    filestore: "file",
    lustre: "lustre",
    servicenetworking: "servicenetworking",
    storage: "storage",
    secretmanager: "secretmanager",
  };
  if (type === "gcp:projects/iAMMember:IAMMember") return "resourcemanager";
  if (type === "gcp:projects/iAMCustomRole:IAMCustomRole") return "iam";
  return module ? byModule[module] : undefined;
}


const DEFAULT_IMAGE_PROJECT = "projects/deeplearning-platform-release/";

export const RULES: Rule[] = [
  {
    id: "secure-boot-loads-the-driver",
    source: "https://cloud.google.com/compute/docs/gpus/install-drivers-gpu#secure-boot",
    check: (c) =>
      ofType(c.result, G.template).flatMap((t) => {
        const shielded = t.inputs.shieldedInstanceConfig;
        const dkmsImage = String(t.inputs.disks[0].sourceImage).startsWith(DEFAULT_IMAGE_PROJECT);
        const out: string[] = [];
        if (dkmsImage && shielded.enableSecureBoot !== false) out.push(`${t.name}: Secure Boot on with the Deep Learning VM image, whose DKMS-built NVIDIA modules are unsigned`);
        if (shielded.enableVtpm !== true || shielded.enableIntegrityMonitoring !== true) out.push(`${t.name}: vTPM and integrity monitoring must stay on`);
        return out;
      }),
  },
  {
    id: "lustre-client-before-mount",
    source: "https://cloud.google.com/managed-lustre/docs/connect-from-compute-engine",
    check: (c) => {
      if (ofType(c.result, G.lustre).length === 0) return [];
      return ofType(c.result, G.template).flatMap((t) => {
        const lines = String(t.inputs.metadata["startup-script"]).split("\n");
        const install = lines.findIndex((l) => /apt-get .*install .*lustre-client-modules-\$\(uname -r\)/.test(l));
        const repo = lines.some((l) => l.includes("us-apt.pkg.dev/projects/lustre-client-binaries lustre-client-ubuntu-jammy main"));
        const mount = lines.findIndex((l) => l.startsWith("mount -t lustre"));
        if (!repo || install < 0) return [`${t.name}: no Managed Lustre client install from Google's repository`];
        if (mount < install) return [`${t.name}: Lustre mounted before the client is installed`];
        return [];
      });
    },
  },
  {
    id: "apis-enabled-before-use",
    source: "https://cloud.google.com/service-usage/docs/enable-disable",
    check: (c) => {
      const services = new Map(ofType(c.result, G.service).map((s) => [s.inputs.service as string, s]));
      const out: string[] = [];
      for (const s of services.values()) if (s.inputs.disableOnDestroy !== false) out.push(`${s.name}: disableOnDestroy must be false`);
      for (const r of c.result.resources) {
        const api = apiOf(r.type);
        if (api === undefined) continue;
        const service = services.get(GCP_APIS[api]);
        if (!service) {
          out.push(`${r.name} (${r.type}): ${GCP_APIS[api]} is not enabled by the stack`);
          continue;
        }
        if (!dependenciesOf(c, r).has(key(service))) out.push(`${r.name} (${r.type}): does not wait for ${GCP_APIS[api]}`);
      }
      return out;
    },
  },
  {
    id: "gke-node-service-account",
    source: "https://cloud.google.com/kubernetes-engine/security/configure-node-service-accounts",
    check: (c) => {
      const pools = ofType(c.result, G.nodePool);
      if (pools.length === 0) return [];
      const accounts = ofType(c.result, G.account).map((a) => `${a.inputs.accountId}@offline-project.iam.gserviceaccount.com`);
      const out: string[] = [];
      const withAccount = [...pools.map((p) => ({ name: p.name, sa: p.inputs.nodeConfig?.serviceAccount })), ...ofType(c.result, G.cluster).map((k) => ({ name: `${k.name} (default pool)`, sa: k.inputs.nodeConfig?.serviceAccount }))];
      for (const { name, sa } of withAccount) {
        if (!accounts.includes(sa)) out.push(`${name}: nodes run as '${sa ?? "the Compute Engine default service account"}', not the component's account`);
      }
      const granted = ofType(c.result, G.projectRole).filter((b) => b.inputs.role === "roles/container.defaultNodeServiceAccount").map((b) => b.inputs.member);
      for (const a of accounts) if (!granted.includes(`serviceAccount:${a}`)) out.push(`${a}: lacks roles/container.defaultNodeServiceAccount`);
      return out;
    },
  },
  {
    id: "address-space-holds-the-nodes",
    source: "https://cloud.google.com/kubernetes-engine/docs/how-to/flexible-pod-cidr",
    check: (c) => {
      const out: string[] = [];
      const size = (cidr: string) => 2 ** (32 - Number(cidr.split("/")[1]));
      const hostSubnet = ofType(c.result, G.subnet).find((s) => s.name.endsWith("-subnet") && !s.name.endsWith("-proxy-subnet"));
      const migs = [...ofType(c.result, G.mig).map((m) => m.inputs.targetSize as number), ...ofType(c.result, G.autoscaler).map((a) => a.inputs.autoscalingPolicy.maxReplicas as number)];
      for (const n of migs) if (hostSubnet && n > size(hostSubnet.inputs.ipCidrRange) - 4) out.push(`${n} VM nodes exceed host subnet ${hostSubnet.inputs.ipCidrRange}`);
      for (const cluster of ofType(c.result, G.cluster)) {
        const pods = (hostSubnet?.inputs.secondaryIpRanges ?? []).find((r: { rangeName: string }) => r.rangeName === cluster.inputs.ipAllocationPolicy.clusterSecondaryRangeName);
        if (!pods) {
          out.push(`${cluster.name}: pod range not on the host subnet`);
          continue;
        }
        const perNode = 2 ** Math.ceil(Math.log2(2 * cluster.inputs.defaultMaxPodsPerNode));
        const nodes = ofType(c.result, G.nodePool).reduce((sum, p) => sum + (p.inputs.autoscaling?.totalMaxNodeCount ?? p.inputs.nodeCount * (p.inputs.nodeLocations ? 1 : 3)), 0);
        if (nodes * perNode > size(pods.ipCidrRange)) out.push(`${nodes} GKE nodes × ${perNode} pod addresses exceed ${pods.ipCidrRange}`);
      }
      return out;
    },
  },
  {
    id: "capacity-shortfall-is-visible",
    source: "https://www.pulumi.com/registry/packages/gcp/api-docs/compute/instancegroupmanager/#waitforinstances_nodejs",
    check: (c) => {
      const groups = [...ofType(c.result, G.mig), ...ofType(c.result, G.regionMig)].filter((m) => m.inputs.waitForInstances === false);
      if (groups.length === 0) return [];
      const note = c.plan.notes.find((n) => n.startsWith("GCP capacity:"));
      if (!note) return [`${groups[0]!.name}: up succeeds with no GPU node, and the plan does not say so`];
      const zone = ofType(c.result, G.mig)[0]?.inputs.zone;
      const pinned = c.plan.zone;
      if (pinned !== undefined && !note.includes(pinned)) return [`capacity note does not name zone ${pinned} (the MIG's is ${zone})`];
      if (pinned === undefined && !note.includes(c.plan.region)) return [`capacity note does not name the region's zone lookup`];
      if (!/reservation|another zone/.test(note)) return ["capacity note says nothing to try"];
      return [];
    },
  },
  {
    id: "gke-multi-networking",
    source: "https://cloud.google.com/kubernetes-engine/docs/how-to/gpu-bandwidth-gpudirect-tcpx",
    check: (c) => {
      const pools = ofType(c.result, G.nodePool).filter((p) => p.inputs.networkConfig?.additionalNodeNetworkConfigs);
      if (pools.length === 0) return [];
      const out: string[] = [];
      for (const k of ofType(c.result, G.cluster)) {
        if (k.inputs.datapathProvider !== "ADVANCED_DATAPATH") out.push(`${k.name}: multi-networking needs Dataplane V2 (ADVANCED_DATAPATH)`);
        if (k.inputs.enableMultiNetworking !== true) out.push(`${k.name}: enableMultiNetworking is off`);
      }
      const params = ofType(c.result, G.paramSet);
      const networks = ofType(c.result, G.gkeNetwork);
      const mtu = c.plan.fabric.kind === "rdma" ? 8896 : 8244;
      for (const pool of pools) {
        for (const extra of pool.inputs.networkConfig.additionalNodeNetworkConfigs as { network: string; subnetwork: string }[]) {
          const param = params.find((p) => p.inputs.spec.vpc === extra.network && p.inputs.spec.vpcSubnet === extra.subnetwork);
          if (!param) {
            out.push(`${pool.name}: no GKENetworkParamSet for ${extra.network}/${extra.subnetwork}`);
            continue;
          }
          if (!networks.some((n) => n.inputs.spec.parametersRef?.name === param.inputs.metadata.name && n.inputs.spec.type === "Device")) out.push(`${param.name}: no Device Network refers to it`);
          const vpc = ofType(c.result, G.network).find((n) => n.inputs.name === extra.network || `${n.name}-offline` === extra.network);
          // TCPX(O): every additional network is a GPU VPC at 8244. RDMA: the second gVNIC's host VPC and the RoCE VPC, both 8896.
          if (!vpc) out.push(`${pool.name}: additional network ${extra.network} is not a VPC the component built`);
          else if (vpc.inputs.mtu !== mtu) out.push(`${vpc.name}: MTU ${vpc.inputs.mtu}, the ${c.plan.fabric.kind} fabric needs ${mtu}`);
        }
      }
      return out;
    },
  },
];

async function compile(label: string, program: () => unknown): Promise<Compiled> {
  let plan: Plan | undefined;
  const unhook = gpu.registerCostHook((e) => void (plan ??= e.plan));
  try {
    const { result, byType } = await runRecording(program, { config: EXAMPLE_CONFIG });
    expect(result.error, label).toBeUndefined();
    return { label, result, byType, plan: plan ?? result.costEvents[0]!.plan };
  } finally {
    unhook();
  }
}

function violations(c: Compiled): string[] {
  return RULES.flatMap((rule) => rule.check(c).map((v) => `[${rule.id}] ${v} (${rule.source})`));
}

const EXAMPLES = ["gcp-a3mega-training", "gcp-l4-inference", "gke-a3mega-training"];

describe("GCP deploy rules: every GCP example", () => {
  it.each(EXAMPLES)("%s keeps every rule", async (name) => {
    const c = await compile(name, async () => {
      await import(path.join("..", "examples", name, "index.ts"));
    });
    expect(violations(c)).toEqual([]);
  });
});

const TYPES = { "A3 High": "a3-highgpu-8g", "A3 Mega": "a3-megagpu-8g", "A3 Ultra": "a3-ultragpu-8g", G2: "g2-standard-48" } as const;
const MATRIX = (["vm", "kubernetes"] as const).flatMap((orchestrator) =>
  (["training", "inference"] as const).flatMap((workload) => Object.entries(TYPES).map(([family, instanceType]) => ({ orchestrator, workload, family, instanceType }))),
);

function matrixProgram(cell: (typeof MATRIX)[number]): () => unknown {
  const name = `m-${cell.orchestrator === "vm" ? "vm" : "gke"}-${cell.workload.slice(0, 5)}`;
  // A3 Ultra is sold as Spot, a reservation or a calendar block, not on demand.
  const pricing = cell.instanceType === "a3-ultragpu-8g" ? { pricing: "spot" as const } : {};
  // A3 High training on VMs needs an image with Google's TCPX kernel (gcp.image).
  const image = cell.orchestrator === "vm" && cell.workload === "training" && cell.instanceType === "a3-highgpu-8g" ? { gcp: { image: "projects/my-project/global/images/family/a3high-tcpx" } } : {};
  const common = { cloud: "gcp" as const, region: "us-central1", orchestrator: cell.orchestrator, ...pricing, ...image };
  const storage = cell.orchestrator === "vm" ? [{ kind: "lustre" as const, capacityTiB: 9, mountPath: "/data" }, { kind: "object" as const, capacityTiB: 1 }] : [{ kind: "object" as const, capacityTiB: 1 }];
  if (cell.workload === "training") {
    return () => new gpu.TrainingCluster(name, privateEndpoint({ ...common, gpu: { instanceType: cell.instanceType, nodes: 2 }, storage } as gpu.TrainingClusterArgs));
  }
  return () =>
    new gpu.InferenceFleet(name, privateEndpoint({ ...common, gpu: { instanceType: cell.instanceType }, replicas: { min: 1, max: 4 }, port: 8000, loadBalancer: "internal" } as gpu.InferenceFleetArgs));
}

describe("GCP deploy rules: VM / GKE × training / inference × A3 High / A3 Mega / A3 Ultra / G2", () => {
  it.each(MATRIX)("$orchestrator $workload on $family ($instanceType) keeps every rule", async (cell) => {
    const c = await compile(`${cell.orchestrator} ${cell.workload} ${cell.instanceType}`, matrixProgram(cell));
    expect(violations(c)).toEqual([]);
  });

  it("a GKE GPU pool joining an existing cluster keeps every rule (the pool waits for the GKE API itself)", async () => {
    const c = await compile("existing", () =>
      new gpu.TrainingCluster("join", { cloud: "gcp", region: "us-central1", orchestrator: "kubernetes", gpu: { instanceType: "a3-megagpu-8g", nodes: 2 }, gcp: { gke: { clusterName: "shared", installClusterAddons: true } } }),
    );
    expect(ofType(c.result, G.cluster)).toHaveLength(0);
    expect(ofType(c.result, G.service).map((s) => s.inputs.service)).not.toContain("cloudkms.googleapis.com");
    expect(violations(c)).toEqual([]);
  });

  it("every rule has caught its own breach (the checks are not vacuous)", async () => {
    const c = await compile("vm training a3-megagpu-8g", matrixProgram(MATRIX[1]!));
    const template = ofType(c.result, G.template)[0]!;
    template.inputs.shieldedInstanceConfig = { ...template.inputs.shieldedInstanceConfig, enableSecureBoot: true };
    template.inputs.metadata = { ...template.inputs.metadata, "startup-script": "mount -t lustre x /data" };
    c.plan = { ...c.plan, notes: c.plan.notes.filter((n) => !n.startsWith("GCP capacity:")) };
    c.byType.set(key(ofType(c.result, G.lustre)[0]!), { dependencies: [] });
    const found = new Set(violations(c).map((v) => /^\[([a-z-]+)\]/.exec(v)![1]));
    expect([...found].sort()).toEqual(["apis-enabled-before-use", "capacity-shortfall-is-visible", "lustre-client-before-mount", "secure-boot-loads-the-driver"]);

    const k = await compile("gke training a3-megagpu-8g", matrixProgram(MATRIX[9]!));
    const cluster = ofType(k.result, G.cluster)[0]!;
    cluster.inputs = { ...cluster.inputs, datapathProvider: "LEGACY_DATAPATH", nodeConfig: {} };
    const pool = ofType(k.result, G.nodePool).find((p) => p.name.endsWith("-gpu-nodes"))!;
    pool.inputs = { ...pool.inputs, nodeCount: 1100 };
    const gpuVpc = ofType(k.result, G.network).find((n) => n.name.endsWith("-gpu-0"))!;
    gpuVpc.inputs = { ...gpuVpc.inputs, mtu: 1460 };
    const gkeFound = violations(k);
    expect(new Set(gkeFound.map((v) => /^\[([a-z-]+)\]/.exec(v)![1]))).toEqual(new Set(["gke-node-service-account", "address-space-holds-the-nodes", "gke-multi-networking"]));
    expect(gkeFound.join("\n")).toMatch(/MTU 1460, the gpudirect-tcpxo fabric needs 8244/);
  });
});

describe("GCP deploy rules: the APIs", () => {
  it("enables the plan's APIs as Services that stay on at destroy, and none with gcp.enableApis: false", async () => {
    const c = await compile("apis", matrixProgram(MATRIX[2]!)); // VM training on A3 Ultra with Lustre and a bucket
    expect(ofType(c.result, G.service).map((s) => s.inputs.service).sort()).toEqual([
      "cloudresourcemanager.googleapis.com",
      "compute.googleapis.com",
      "iam.googleapis.com",
      "lustre.googleapis.com",
      // The cluster's SSH key (2 or more VMs: lib/clouds/gcp/cluster-ssh.ts).
      "secretmanager.googleapis.com",
      "servicenetworking.googleapis.com",
      "storage.googleapis.com",
    ]);
    expect(ofType(c.result, G.service).every((s) => s.inputs.disableOnDestroy === false && s.inputs.project === undefined)).toBe(true);
    expect(ofType(c.result, G.service).map((s) => s.name)).toContain("m-vm-train-api-compute");
    const gke = await compile("gke apis", matrixProgram(MATRIX[9]!));
    expect(ofType(gke.result, G.service).map((s) => s.inputs.service)).toEqual(expect.arrayContaining(["container.googleapis.com", "cloudkms.googleapis.com"]));
    const off = await run(() => new gpu.TrainingCluster("noapi", { cloud: "gcp", region: "us-central1", gpu: { instanceType: "a3-megagpu-8g", nodes: 2 }, gcp: { enableApis: false } }));
    expect(off.error).toBeUndefined();
    expect(ofType(off, G.service)).toHaveLength(0);
  });
});

describe("GCP deploy rules: address space", () => {
  const gke = (nodes: number) => () =>
    new gpu.TrainingCluster("big", privateEndpoint({ cloud: "gcp", region: "us-central1", orchestrator: "kubernetes", gpu: { instanceType: "a3-megagpu-8g", nodes } } as gpu.TrainingClusterArgs));

  it("refuses GKE nodes the /16 pod range cannot hold, naming the field and the size that fits", async () => {
    expect((await run(gke(1021))).error).toBeUndefined();
    const result = await run(gke(1022));
    expect(result.error).toMatchObject({ name: "SpecError", path: "gpu.nodes" });
    expect((result.error as Error).message).toMatch(/1022 GPU nodes .* and 3 system nodes do not fit the GKE pod range \(a \/16 at 32 pods per node: a \/26 each, 1024 nodes\)/);
    expect((result.error as Error).message).toMatch(/at most 1021 nodes \(gpu\.count 8168\)/);
    expect(ofType(result, G.service)).toHaveLength(0); // raised before anything exists
  });

  it("refuses GKE fleet replicas past the pod range, on replicas.max", async () => {
    const result = await run(() =>
      new gpu.InferenceFleet("wide", privateEndpoint({ cloud: "gcp", region: "us-central1", orchestrator: "kubernetes", gpu: { model: "L4" }, replicas: { min: 1, max: 2000 }, port: 8000 } as gpu.InferenceFleetArgs)),
    );
    expect(result.error).toMatchObject({ name: "SpecError", path: "replicas.max" });
    expect((result.error as Error).message).toMatch(/at most 1021\b/);
  });

  it("refuses VM nodes the /16 host subnet cannot hold", async () => {
    const result = await run(() => new gpu.TrainingCluster("huge", { cloud: "gcp", region: "us-central1", gpu: { instanceType: "g2-standard-48", nodes: 70_000 }, fabric: "none" }));
    expect(result.error).toMatchObject({ name: "SpecError", path: "gpu.nodes" });
    expect((result.error as Error).message).toMatch(/70000 nodes .* do not fit the host subnet \(a \/16: 65531 node addresses\)/);
  });
});

describe("GCP deploy rules: an up that leaves GPU nodes short", () => {
  it("notes the pinned zone, and what to try, for a VM training cluster", async () => {
    const c = await compile("pinned", () => new gpu.TrainingCluster("cap", { cloud: "gcp", region: "us-central1", zone: "us-central1-b", gpu: { instanceType: "a3-megagpu-8g", nodes: 4 } }));
    const note = c.plan.notes.find((n) => n.startsWith("GCP capacity:"))!;
    expect(note).toContain("4 nodes, in us-central1-b");
    expect(note).toContain("a reservation (reservationId with its zone), or another zone of the reservation or region, or Spot capacity (pricing: 'spot')");
    expect(ofType(c.result, G.mig)[0]!.inputs).toMatchObject({ zone: "us-central1-b", waitForInstances: false });
  });

  it("says no such thing for GKE, whose node pool create waits for its nodes", async () => {
    const c = await compile("gke cap", matrixProgram(MATRIX[9]!));
    expect(c.plan.notes.some((n) => n.startsWith("GCP capacity:"))).toBe(false);
  });
});

describe("GCP offline zone answers say what Compute Engine says", () => {
  const training = (name: string, orchestrator: "vm" | "kubernetes" = "vm", zone?: string) => () =>
    new gpu.TrainingCluster(name, privateEndpoint({ cloud: "gcp", region: "us-central1", orchestrator, ...(zone ? { zone } : {}), gpu: { instanceType: "a3-ultragpu-8g", nodes: 2 }, pricing: "spot" } as gpu.TrainingClusterArgs));

  it("a type offered in one zone only: the nodes, the RoCE profile and the file systems go there", async () => {
    const restore = simulateGcpZones({ offeredIn: { "a3-ultragpu-8g": ["us-central1-c"] } });
    try {
      const result = await run(() =>
        new gpu.TrainingCluster("onezone", { cloud: "gcp", region: "us-central1", gpu: { instanceType: "a3-ultragpu-8g", nodes: 2 }, pricing: "spot", storage: [{ kind: "lustre", capacityTiB: 9, mountPath: "/data" }] }),
      );
      expect(result.error).toBeUndefined();
      expect(ofType(result, G.mig)[0]!.inputs.zone).toBe("us-central1-c");
      expect(ofType(result, G.network).find((n) => n.name === "onezone-rdma")!.inputs.networkProfile).toBe("projects/offline-project/global/networkProfiles/us-central1-c-vpc-roce");
      expect(ofType(result, G.lustre)[0]!.inputs.location).toBe("us-central1-c");
      const gke = await run(training("onezone-gke", "kubernetes"));
      expect(gke.error).toBeUndefined();
      expect(ofType(gke, G.nodePool).find((p) => p.name.endsWith("-gpu-nodes"))!.inputs.nodeLocations).toEqual(["us-central1-c"]);
    } finally {
      restore();
    }
  });

  it("a zone that is DOWN is never chosen, even when it is first in name order", async () => {
    const restore = simulateGcpZones({ down: ["us-central1-a"] });
    try {
      const result = await run(training("down"));
      expect(result.error).toBeUndefined();
      expect(ofType(result, G.mig)[0]!.inputs.zone).toBe("us-central1-b");
      const fleet = await run(() => new gpu.InferenceFleet("downfleet", { cloud: "gcp", region: "us-central1", gpu: { model: "L4" }, replicas: { min: 1, max: 2 }, port: 8000, loadBalancer: "internal" }));
      expect(fleet.error).toBeUndefined();
      expect(ofType(fleet, G.regionMig)[0]!.inputs.distributionPolicyZones).toEqual(["us-central1-b", "us-central1-c", "us-central1-f"]);
    } finally {
      restore();
    }
  });

  it("a fleet's rollout surge covers the zones it kept: 3 zones up, maxSurgeFixed 3, kept with the zones (a regional MIG's fixed surge must be 0 or at least its zone count: https://cloud.google.com/compute/docs/instance-groups/updating-managed-instance-groups, read 2026-12-01)", async () => {
    const restore = simulateGcpZones({ down: ["us-central1-a"] });
    try {
      const { result, registrations } = await runRecording(() => new gpu.InferenceFleet("surge", { cloud: "gcp", region: "us-central1", gpu: { model: "L4" }, replicas: { min: 1, max: 2 }, port: 8000, loadBalancer: "internal" }));
      expect(result.error).toBeUndefined();
      const mig = ofType(result, G.regionMig)[0]!;
      expect(mig.inputs.updatePolicy).toMatchObject({ maxSurgeFixed: 3, maxUnavailableFixed: 0, replacementMethod: "SUBSTITUTE" });
      expect(registrations.get(mig.name)!.ignoreChanges).toEqual(["distributionPolicyZones", "updatePolicy.maxSurgeFixed"]);
    } finally {
      restore();
    }
  });

  /**
   * Inputs that force a new resource when they change (terraform-provider-google: `zone` of
   * google_compute_instance_group_manager, `distribution_policy_zones` of google_compute_region_instance_group_manager,
   * `network_profile` of google_compute_network, `location` of google_lustre_instance / google_filestore_instance; read
   * 2026-11-30) and the training node pool's zone, which must stay with its RoCE network.
   */
  const ZONAL: Record<string, string> = {
    [G.mig]: "zone",
    [G.regionMig]: "distributionPolicyZones",
    [G.network]: "networkProfile",
    [G.lustre]: "location",
    "gcp:filestore/instance:Instance": "location",
    [G.nodePool]: "nodeLocations",
  };
  const programs: [string, (zone?: string) => () => unknown][] = [
    ["VM training on A3 Ultra with Lustre", (zone) => () =>
      new gpu.TrainingCluster("moves", { cloud: "gcp", region: "us-central1", ...(zone ? { zone } : {}), gpu: { instanceType: "a3-ultragpu-8g", nodes: 2 }, pricing: "spot", storage: [{ kind: "lustre", capacityTiB: 9, mountPath: "/data" }] })],
    ["VM inference with Filestore", (zone) => () =>
      new gpu.InferenceFleet("moves", { cloud: "gcp", region: "us-central1", ...(zone ? { zone } : {}), gpu: { model: "L4" }, replicas: { min: 1, max: 2 }, port: 8000, loadBalancer: "internal", storage: [{ kind: "nfs", capacityTiB: 1, mountPath: "/home" }] })],
    ["GKE training on A3 Ultra", (zone) => training("moves", "kubernetes", zone)],
  ];

  it.each(programs)("%s: a lookup that later answers another zone first changes only inputs Pulumi leaves alone", async (_label, program) => {
    const before = await runRecording(program());
    const restore = simulateGcpZones({ down: ["us-central1-a"] });
    let after: Awaited<ReturnType<typeof runRecording>>;
    try {
      after = await runRecording(program());
    } finally {
      restore();
    }
    expect(before.result.error).toBeUndefined();
    expect(after.result.error).toBeUndefined();
    const moved: string[] = [];
    for (const r of before.result.resources.filter((x) => ZONAL[x.type] !== undefined)) {
      const field = ZONAL[r.type]!;
      const later = after.result.resources.find((x) => key(x) === key(r))!;
      if (JSON.stringify(later.inputs[field]) === JSON.stringify(r.inputs[field])) continue;
      moved.push(key(r));
      // The new answer reaches the inputs, and Pulumi is told to leave that input as it was created.
      expect(after.byType.get(key(r))?.ignoreChanges ?? [], `${key(r)} ${field}`).toContain(field);
    }
    // The lookup did answer differently (the test would see a zone that went nowhere).
    expect(moved.length).toBeGreaterThan(0);
    // A zone the spec pins is the user's choice, followed on every up.
    const pinned = await runRecording(program("us-central1-c"));
    expect(pinned.result.error).toBeUndefined();
    for (const r of pinned.result.resources.filter((x) => ZONAL[x.type] !== undefined)) {
      expect(pinned.byType.get(key(r))?.ignoreChanges ?? [], key(r)).not.toContain(ZONAL[r.type]);
    }
  });

  it("by default every zone is UP and offers every type: the first in name order", async () => {
    const result = await run(training("plain"));
    expect(ofType(result, G.mig)[0]!.inputs.zone).toBe("us-central1-a");
  });
});

/**
 * A GKE fleet behind an internal passthrough load balancer is reached at the load balancer's address, not an in-cluster
 * DNS name a client in the VPC cannot resolve (issue 12). The address is reserved as an INTERNAL address in the nodes'
 * subnet and given to the Service as `spec.loadBalancerIP`
 * (https://cloud.google.com/kubernetes-engine/docs/how-to/internal-load-balancing, "static internal IP address", read
 * 2026-11-30); the fleet serves plain HTTP on its port there (the passthrough load balancer does not terminate TLS).
 */
describe("GCP deploy rules: a GKE internal fleet's endpoint is its load balancer's address", () => {
  async function endpoint(program: () => gpu.InferenceFleet): Promise<{ c: OfflineRun; url: string | undefined }> {
    let url: string | undefined;
    const c = await run(() => program().endpointUrl.apply((u) => (url = u)));
    return { c, url };
  }

  it("a new cluster: an INTERNAL address in the host subnet, the Service's loadBalancerIP, http://<address>:<port>", async () => {
    const { c, url } = await endpoint(() => new gpu.InferenceFleet("ilb", privateEndpoint({ cloud: "gcp", region: "us-central1", orchestrator: "kubernetes", gpu: { model: "L4" }, replicas: { min: 1, max: 2 }, port: 8080 }) as gpu.InferenceFleetArgs));
    expect(c.error).toBeUndefined();
    const address = ofType(c, "gcp:compute/address:Address");
    expect(address.map((a) => a.inputs)).toEqual([expect.objectContaining({ addressType: "INTERNAL", region: "us-central1", subnetwork: "ilb-subnet-id" })]);
    const svc = ofType(c, G.k8sService)[0]!.inputs;
    expect(svc.spec).toMatchObject({ type: "LoadBalancer", loadBalancerIP: "10.0.255.249", ports: [{ port: 8080, targetPort: 8080 }] });
    expect(url).toBe("http://10.0.255.249:8080");
  });

  it("an existing cluster: the address goes in that cluster's subnet (looked up), and is the endpoint", async () => {
    const { c, url } = await endpoint(() => new gpu.InferenceFleet("ilbx", { cloud: "gcp", region: "us-central1", orchestrator: "kubernetes", gpu: { model: "L4" }, replicas: { min: 1, max: 2 }, gcp: { gke: { clusterName: "shared" } } } as gpu.InferenceFleetArgs));
    expect(c.error).toBeUndefined();
    expect(ofType(c, "gcp:compute/address:Address")[0]!.inputs.subnetwork).toBe("projects/offline-project/regions/us-central1/subnetworks/shared-subnet");
    expect(url).toBe("http://10.0.255.249:8000");
  });

  it("internet-facing: no internal address; the endpoint is the Gateway's reserved global address over HTTPS (test/gke-internet-facing.test.ts)", async () => {
    const tls = { sslCertificates: ["projects/p/global/sslCertificates/c"], allowedSourceRanges: ["203.0.113.0/24"] };
    const { c, url } = await endpoint(() => new gpu.InferenceFleet("elb", privateEndpoint({ cloud: "gcp", region: "us-central1", orchestrator: "kubernetes", gpu: { model: "L4" }, replicas: { min: 1, max: 2 }, loadBalancer: "internet-facing", gcp: tls }) as gpu.InferenceFleetArgs));
    expect(c.error).toBeUndefined();
    expect(ofType(c, "gcp:compute/address:Address")).toEqual([]);
    expect(url).toBe(`https://${ofType(c, "gcp:compute/globalAddress:GlobalAddress")[0]!.outputs.address}`);
  });
});
