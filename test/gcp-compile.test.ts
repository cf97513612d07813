import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import type { OfflineRun, RecordedResource } from "../lib/preview/offline.js";
import { one, ofType, run } from "./helpers/offline.js";

const G = {
  network: "gcp:compute/network:Network",
  subnet: "gcp:compute/subnetwork:Subnetwork",
  firewall: "gcp:compute/firewall:Firewall",
  policy: "gcp:compute/resourcePolicy:ResourcePolicy",
  template: "gcp:compute/instanceTemplate:InstanceTemplate",
  mig: "gcp:compute/instanceGroupManager:InstanceGroupManager",
  regionMig: "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager",
  autoscaler: "gcp:compute/regionAutoscaler:RegionAutoscaler",
  router: "gcp:compute/router:Router",
  nat: "gcp:compute/routerNat:RouterNat",
  account: "gcp:serviceaccount/account:Account",
  projectRole: "gcp:projects/iAMMember:IAMMember",
  bucket: "gcp:storage/bucket:Bucket",
  bucketRole: "gcp:storage/bucketIAMMember:BucketIAMMember",
  filestore: "gcp:filestore/instance:Instance",
  lustre: "gcp:lustre/instance:Instance",
  globalAddress: "gcp:compute/globalAddress:GlobalAddress",
  peering: "gcp:servicenetworking/connection:Connection",
  address: "gcp:compute/address:Address",
  regionHealth: "gcp:compute/regionHealthCheck:RegionHealthCheck",
  health: "gcp:compute/healthCheck:HealthCheck",
  forwardingRule: "gcp:compute/forwardingRule:ForwardingRule",
  globalForwardingRule: "gcp:compute/globalForwardingRule:GlobalForwardingRule",
  regionBackend: "gcp:compute/regionBackendService:RegionBackendService",
  backend: "gcp:compute/backendService:BackendService",
};

const base = { cloud: "gcp" as const, region: "us-central1" };

function training(name: string, args: Partial<gpu.TrainingClusterArgs> = {}) {
  return () => new gpu.TrainingCluster(name, { ...base, gpu: { instanceType: "a3-megagpu-8g", nodes: 2 }, ...args } as gpu.TrainingClusterArgs);
}

/** The network (name) behind a subnetwork id, following the mock's `${name}-id` ids. */
function networkOf(result: OfflineRun, subnetworkId: string): RecordedResource {
  const subnet = ofType(result, G.subnet).find((s) => `${s.name}-id` === subnetworkId);
  if (!subnet) throw new Error(`no subnet ${subnetworkId}`);
  const network = ofType(result, G.network).find((n) => `${n.name}-id` === subnet.inputs.network);
  if (!network) throw new Error(`no network for ${subnet.name}`);
  return network;
}

interface Nic {
  nicType: string;
  subnetwork: string;
  accessConfigs?: unknown[];
}

describe("GCP training cluster: the fabric", () => {
  it.each([
    // [instance type, extra args, host NICs, fabric NICs, fabric NIC type, VPCs, fabric MTU, host MTU]
    // A3 High on VMs needs an image with Google's TCPX kernel (gcp.image; see test/gcp-fabric.test.ts).
    ["a3-highgpu-8g", { gcp: { image: "projects/my-project/global/images/family/a3high-tcpx" } }, 1, 4, "GVNIC", 5, 8244, 8896],
    ["a3-megagpu-8g", {}, 1, 8, "GVNIC", 9, 8244, 8896],
    ["a3-ultragpu-8g", { pricing: "spot" }, 2, 8, "MRDMA", 3, 8896, 8896],
    ["a4-highgpu-8g", { reservationId: "a4-block", zone: "us-central1-b", contractUsdPerHour: 60 }, 2, 8, "MRDMA", 3, 8896, 8896],
  ] as const)("%s: host gVNIC(s), every GPU NIC, their VPCs and MTUs", async (instanceType, extra, hostNics, fabricNics, fabricType, vpcs, fabricMtu, hostMtu) => {
    const result = await run(training("fab", { gpu: { instanceType, nodes: 2 }, ...extra } as Partial<gpu.TrainingClusterArgs>));
    expect(result.error).toBeUndefined();
    const template = one(result, G.template).inputs;
    expect(template.machineType).toBe(instanceType);
    const nics = template.networkInterfaces as Nic[];
    expect(nics).toHaveLength(hostNics + fabricNics);
    expect(nics.slice(0, hostNics).every((n) => n.nicType === "GVNIC")).toBe(true);
    expect(nics.slice(hostNics).every((n) => n.nicType === fabricType)).toBe(true);
    expect(ofType(result, G.network)).toHaveLength(vpcs);
    // nic0 is the host network; every NIC sits in its own subnet.
    expect(networkOf(result, nics[0]!.subnetwork).name).toBe("fab-net");
    expect(new Set(nics.map((n) => n.subnetwork)).size).toBe(nics.length);
    for (const nic of nics.slice(0, hostNics)) expect(networkOf(result, nic.subnetwork).inputs.mtu).toBe(hostMtu);
    for (const nic of nics.slice(hostNics)) expect(networkOf(result, nic.subnetwork).inputs.mtu).toBe(fabricMtu);
    if (fabricType === "GVNIC") {
      // GPUDirect-TCPX(O): one VPC per GPU NIC, with no route out of it.
      const fabricNetworks = new Set(nics.slice(hostNics).map((n) => networkOf(result, n.subnetwork).name));
      expect(fabricNetworks.size).toBe(fabricNics);
      for (const name of fabricNetworks) expect(ofType(result, G.network).find((n) => n.name === name)!.inputs.deleteDefaultRoutesOnCreate).toBe(true);
    } else {
      // GPUDirect-RDMA: all 8 MRDMA NICs in ONE VPC with the zone's RoCE network profile.
      const roce = new Set(nics.slice(hostNics).map((n) => networkOf(result, n.subnetwork).name));
      expect([...roce]).toEqual(["fab-rdma"]);
      const zone = "zone" in extra ? extra.zone : "us-central1-a";
      expect(one(result, G.mig).inputs.zone).toBe(zone);
      expect(ofType(result, G.network).find((n) => n.name === "fab-rdma")!.inputs.networkProfile).toBe(
        `projects/offline-project/global/networkProfiles/${zone}-vpc-roce`,
      );
      // RoCE VPCs take no VPC firewall rules (only RDMA_ROCE_POLICY firewall policies); the network is the cluster's alone.
      expect(ofType(result, G.firewall).filter((r) => r.inputs.network === "offline/fab-rdma")).toHaveLength(0);
      expect(ofType(result, G.subnet).filter((sn) => sn.inputs.network === "fab-rdma-id")).toHaveLength(8);
    }
    // The fabric environment and NIC check reach the node.
    expect(template.metadata["startup-script"]).toContain(`expected=${fabricNics}`);
  });

  it("opts out of the fabric with fabric: none (host network only, no placement policy)", async () => {
    const result = await run(training("plain", { fabric: "none" }));
    expect(result.error).toBeUndefined();
    expect(one(result, G.template).inputs.networkInterfaces).toHaveLength(1);
    expect(ofType(result, G.network)).toHaveLength(1);
    expect(ofType(result, G.policy)).toHaveLength(0);
    expect(one(result, G.mig).inputs.resourcePolicies).toBeUndefined();
    expect(one(result, G.template).inputs.metadata["startup-script"]).not.toContain("expected=");
  });
});

describe("GCP training cluster: placement, nodes, security", () => {
  it("keeps the nodes dense with a HIGH_THROUGHPUT workload policy on the MIG (A3/A4 MIGs, per Google's placement docs)", async () => {
    const result = await run(training("dense"));
    expect(result.error).toBeUndefined();
    const policy = one(result, G.policy);
    expect(policy.inputs.workloadPolicy).toEqual({ type: "HIGH_THROUGHPUT" });
    expect(policy.inputs.region).toBe("us-central1");
    expect(one(result, G.mig).inputs.resourcePolicies).toEqual({ workloadPolicy: `offline/${policy.name}` });
    expect(one(result, G.template).inputs.resourcePolicies).toBeUndefined();
  });

  it("builds a compact placement policy (COLLOCATED) in the template when asked", async () => {
    const result = await run(training("compact", { gcp: { placementPolicy: "compact" } }));
    expect(result.error).toBeUndefined();
    const policy = one(result, G.policy);
    expect(policy.inputs.groupPlacementPolicy).toEqual({ collocation: "COLLOCATED" });
    expect(one(result, G.template).inputs.resourcePolicies).toBe(`offline/${policy.name}`);
    expect(one(result, G.mig).inputs.resourcePolicies).toBeUndefined();
  });

  it("runs one zonal MIG of the plan's size from a Shielded, TERMINATE-on-maintenance, OS Login template", async () => {
    const result = await run(training("nodes", { gpu: { instanceType: "a3-megagpu-8g", nodes: 16 } }));
    expect(result.error).toBeUndefined();
    const mig = one(result, G.mig).inputs;
    expect(mig).toMatchObject({ targetSize: 16, zone: "us-central1-a", baseInstanceName: "nodes" });
    expect(mig.versions).toEqual([{ name: "default", instanceTemplate: "offline/instanceTemplates/nodes-template?uniqueId=1" }]);
    const t = one(result, G.template).inputs;
    // The default DLVM image's NVIDIA modules are DKMS-built and unsigned: Secure Boot off, measured boot kept.
    expect(t.shieldedInstanceConfig).toEqual({ enableSecureBoot: false, enableVtpm: true, enableIntegrityMonitoring: true });
    expect(t.scheduling).toMatchObject({ onHostMaintenance: "TERMINATE", provisioningModel: "STANDARD" });
    expect(t.metadata["enable-oslogin"]).toBe("TRUE");
    expect(t.disks[0]).toMatchObject({ boot: true, diskType: "pd-balanced", diskSizeGb: 200 });
    expect(t.guestAccelerators).toBeUndefined(); // A3 bundles its GPUs
    // The nodes' own service account, not the default compute account.
    expect(t.serviceAccount.email).toBe(`${one(result, G.account).inputs.accountId}@offline-project.iam.gserviceaccount.com`);
  });

  it("turns Secure Boot on with gcp.secureBoot, for an image whose NVIDIA modules are signed", async () => {
    const image = "projects/ubuntu-os-accelerator-images/global/images/family/ubuntu-accelerator-2204-amd64-with-nvidia-570";
    const result = await run(training("signed", { gcp: { image, secureBoot: true } }));
    expect(result.error).toBeUndefined();
    const t = one(result, G.template).inputs;
    expect(t.shieldedInstanceConfig).toEqual({ enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true });
    expect(t.disks[0].sourceImage).toBe(image);
  });

  it("boots A3 Ultra and A4 from Hyperdisk Balanced", async () => {
    const result = await run(training("hd", { gpu: { instanceType: "a3-ultragpu-8g", nodes: 2 }, pricing: "spot" }));
    expect(result.error).toBeUndefined();
    expect(one(result, G.template).inputs.disks[0].diskType).toBe("hyperdisk-balanced");
  });

  it("gives no NIC an external address and opens no firewall rule to 0.0.0.0/0", async () => {
    for (const program of [
      training("priv"),
      training("priv-rdma", { gpu: { instanceType: "a3-ultragpu-8g", nodes: 2 }, pricing: "spot", storage: [{ kind: "lustre", capacityTiB: 9 }, { kind: "nfs", capacityTiB: 1 }] }),
      () => new gpu.InferenceFleet("priv-serve", { ...base, gpu: { model: "L4" }, replicas: { min: 1, max: 3 } }),
      () => new gpu.InferenceFleet("pub-serve", { ...base, gpu: { model: "L4" }, replicas: { min: 1, max: 3 }, loadBalancer: "internet-facing", gcp: { sslCertificates: ["cert-id"], allowedSourceRanges: ["203.0.113.0/24"] } }),
    ]) {
      const result = await run(program);
      expect(result.error).toBeUndefined();
      for (const nic of one(result, G.template).inputs.networkInterfaces as Nic[]) expect(nic.accessConfigs).toBeUndefined();
      // No external regional address (an internal fleet reserves its INTERNAL endpoint address: test/gcp-endpoint-address.test.ts).
      expect(ofType(result, G.address).filter((a) => a.inputs.addressType !== "INTERNAL")).toHaveLength(0);
      const rules = ofType(result, G.firewall);
      expect(rules.length).toBeGreaterThan(0);
      for (const rule of rules) {
        expect(rule.inputs.direction).toBe("INGRESS");
        expect(rule.inputs.sourceRanges).not.toContain("0.0.0.0/0");
        expect(rule.inputs.sourceRanges.length).toBeGreaterThan(0);
        expect(rule.inputs.targetServiceAccounts).toHaveLength(1);
      }
    }
  });

  it("admits on each GPU VPC only its own subnet, and on the host VPC only the cluster's subnet", async () => {
    const result = await run(training("fw", { gcp: { iapSsh: false } }));
    const subnets = new Map(ofType(result, G.subnet).map((s) => [`${s.name}-id`, s.inputs]));
    // The node health endpoint admits Google's health checkers only (test/vm-health.test.ts); every other rule a subnet.
    const all = ofType(result, G.firewall);
    expect(all.filter((r) => r.name === "fw-node-health").map((r) => r.inputs.sourceRanges)).toEqual([["35.191.0.0/16", "130.211.0.0/22"]]);
    const rules = all.filter((r) => r.name !== "fw-node-health");
    expect(rules).toHaveLength(9);
    for (const rule of rules) {
      const cidrsInNetwork = [...subnets.values()].filter((s) => `offline/${s.network.replace(/-id$/, "")}` === rule.inputs.network).map((s) => s.ipCidrRange);
      expect(rule.inputs.sourceRanges).toEqual(cidrsInNetwork);
    }
    expect(subnets.get("fw-subnet-id")!.privateIpGoogleAccess).toBe(true);
  });

  it("grants the node account logs, metrics, Artifact Registry reads and its group's member list only", async () => {
    const result = await run(training("iam"));
    expect(ofType(result, G.projectRole).map((r) => r.inputs.role).sort()).toEqual([
      // The custom role of 2 nodes or more: compute.instanceGroupManagers.get and .list (test/gcp-vm-cluster.test.ts).
      "iam-peers-offline",
      "roles/artifactregistry.reader",
      "roles/logging.logWriter",
      "roles/monitoring.metricWriter",
    ]);
    expect(ofType(result, G.bucketRole)).toHaveLength(0);
  });

  it("compiles 1,024 nodes to the same resources as 8", async () => {
    const small = await run(training("small", { gpu: { instanceType: "a3-megagpu-8g", nodes: 8 } }));
    const large = await run(training("large", { gpu: { instanceType: "a3-megagpu-8g", nodes: 1024 } }));
    expect(small.error).toBeUndefined();
    expect(large.error).toBeUndefined();
    expect(large.resources.map((r) => r.type)).toEqual(small.resources.map((r) => r.type));
    expect(one(large, G.mig).inputs.targetSize).toBe(1024);
    expect(one(small, G.mig).inputs.targetSize).toBe(8);
  });

  it("runs Spot nodes that the MIG replaces when preempted", async () => {
    const result = await run(training("spot", { gpu: { instanceType: "a3-megagpu-8g", nodes: 2 }, region: "us-east4", pricing: "spot" }));
    expect(result.error).toBeUndefined();
    expect(one(result, G.template).inputs.scheduling).toEqual({
      provisioningModel: "SPOT",
      preemptible: true,
      automaticRestart: false,
      onHostMaintenance: "TERMINATE",
      instanceTerminationAction: "DELETE",
    });
    expect(one(result, G.template).inputs.reservationAffinity).toBeUndefined();
  });

  it("launches into a specific reservation in its zone", async () => {
    const result = await run(training("resv", { reservationId: "my-a3m-reservation", zone: "us-central1-c" }));
    expect(result.error).toBeUndefined();
    const t = one(result, G.template).inputs;
    expect(t.reservationAffinity).toEqual({
      type: "SPECIFIC_RESERVATION",
      specificReservation: { key: "compute.googleapis.com/reservation-name", values: ["my-a3m-reservation"] },
    });
    expect(t.scheduling.provisioningModel).toBe("STANDARD");
    expect(one(result, G.mig).inputs.zone).toBe("us-central1-c");
    const a4 = await run(training("resv-a4", { gpu: { instanceType: "a4-highgpu-8g", nodes: 2 }, reservationId: "a4-block", zone: "us-central1-b", contractUsdPerHour: 60 }));
    expect(one(a4, G.template).inputs.scheduling.provisioningModel).toBe("RESERVATION_BOUND");
  });

  it("uses gcp.zone when the spec names none", async () => {
    const result = await run(training("gz", { gcp: { zone: "us-central1-f" } }));
    expect(result.error).toBeUndefined();
    expect(one(result, G.mig).inputs.zone).toBe("us-central1-f");
  });

  it("puts Cloud NAT on the host network, and none when air-gapped", async () => {
    const open = await run(training("open"));
    expect(one(open, G.router).inputs.network).toBe("open-net-id");
    expect(one(open, G.nat).inputs.subnetworks).toEqual([{ name: "open-subnet-id", sourceIpRangesToNats: ["ALL_IP_RANGES"] }]);
    const gapped = await run(training("gapped", { egress: { natGateway: false } }));
    expect(ofType(gapped, G.router)).toHaveLength(0);
    expect(ofType(gapped, G.nat)).toHaveLength(0);
  });
});

describe("GCP training cluster: storage", () => {
  it("builds Managed Lustre over private services access, Filestore, a private bucket and per-node data disks, and mounts them", async () => {
    const result = await run(
      training("data", {
        storage: [
          { kind: "lustre", capacityTiB: 18, tier: "500", mountPath: "/data", importPath: "gs://corpus/train" },
          { kind: "nfs", capacityTiB: 1, mountPath: "/home" },
          { kind: "object", capacityTiB: 50 },
          { kind: "block", capacityTiB: 2, mountPath: "/scratch" },
        ],
      }),
    );
    expect(result.error).toBeUndefined();
    const lustre = one(result, G.lustre).inputs;
    // 18 TiB on the 500 MB/s/TiB tier rounds up to its 18,000 GiB steps.
    expect(lustre).toMatchObject({ capacityGib: "36000", perUnitStorageThroughput: "500", location: "us-central1-a", network: "data-net-id", filesystem: "data" });
    // Named after the storage entry, not its position: the Lustre id and file system, the Filestore block, the disk.
    expect(lustre.instanceId).toMatch(/^data-data-[0-9a-f]{6}$/);
    expect(one(result, G.globalAddress).inputs).toMatchObject({ purpose: "VPC_PEERING", address: "10.15.0.0", prefixLength: 20, network: "data-net-id" });
    // ABANDON, or `pulumi destroy` fails while the guarded Lustre instance is kept (hashicorp/terraform-provider-google#16275).
    expect(one(result, G.peering).inputs).toMatchObject({ service: "servicenetworking.googleapis.com", network: "data-net-id", deletionPolicy: "ABANDON", updateOnCreationFail: true });
    const fs = one(result, G.filestore).inputs;
    expect(fs).toMatchObject({ tier: "BASIC_HDD", location: "us-central1-a", fileShares: { name: "share", capacityGb: 1024 } });
    expect(fs.networks[0]).toMatchObject({ connectMode: "DIRECT_PEERING", reservedIpRange: "10.15.16.192/29" }); // "home" hashes to block 24 of 32
    const bucket = one(result, G.bucket).inputs;
    expect(bucket).toMatchObject({ uniformBucketLevelAccess: true, publicAccessPrevention: "enforced", forceDestroy: false, location: "US-CENTRAL1", storageClass: "STANDARD" });
    const grant = one(result, G.bucketRole).inputs;
    expect(grant.role).toBe("roles/storage.objectUser");
    expect(grant.member).toBe(`serviceAccount:${one(result, G.account).inputs.accountId}@offline-project.iam.gserviceaccount.com`);
    const disks = one(result, G.template).inputs.disks;
    expect(disks).toHaveLength(2);
    expect(disks[1]).toMatchObject({ boot: false, deviceName: "gpu-cluster-scratch", diskType: "pd-balanced", diskSizeGb: 2048 });
    const script: string = one(result, G.template).inputs.metadata["startup-script"];
    expect(script).toContain("mount -t lustre -o defaults,_netdev '10.15.0.2@tcp:/data' '/data' || fail");
    expect(script).toContain("'10.15.16.194:/share' '/home' || fail");
    expect(script).toContain("'/dev/disk/by-id/google-gpu-cluster-scratch' '/scratch' || fail");
    // Lustre servers reach the clients on LNet's port from the peering range only.
    expect(ofType(result, G.firewall).find((r) => r.name === "data-lustre")!.inputs).toMatchObject({ sourceRanges: ["10.15.0.0/20"], allows: [{ protocol: "tcp", ports: ["988"] }] });
  });

  it("installs the Managed Lustre client from Google's jammy repository before the first Lustre mount, and only with Lustre", async () => {
    const result = await run(training("lc", { storage: [{ kind: "nfs", capacityTiB: 1, mountPath: "/home" }, { kind: "lustre", capacityTiB: 9, mountPath: "/data" }] }));
    expect(result.error).toBeUndefined();
    const script: string = one(result, G.template).inputs.metadata["startup-script"];
    const lines = script.split("\n");
    const install = lines.findIndex((l) => l.includes("install -y -q") && l.includes('"lustre-client-modules-$(uname -r)" lustre-client-utils'));
    const source = lines.findIndex((l) => l.includes("https://us-apt.pkg.dev/projects/lustre-client-binaries lustre-client-ubuntu-jammy main"));
    const mount = lines.findIndex((l) => l.startsWith("mount -t lustre"));
    expect(source).toBeGreaterThan(0);
    expect(install).toBeGreaterThan(source);
    expect(mount).toBeGreaterThan(install);
    expect(lines[install]).toMatch(/\|\| fail /);
    expect(script).toContain("modprobe lustre || fail");
    // An image that is not Ubuntu 22.04 stops the bootstrap with the reason (no packages exist for it).
    expect(script).toMatch(/ubuntu-22\.04.*\|\| fail "Managed Lustre client: Google publishes it for Ubuntu 22\.04/);
    const plain = await run(training("nolc", { storage: [{ kind: "nfs", capacityTiB: 1, mountPath: "/home" }] }));
    expect(one(plain, G.template).inputs.metadata["startup-script"]).not.toContain("lustre");
  });

  it("says where the Lustre client comes from when the network has no Cloud NAT", async () => {
    let plan: gpu.Plan | undefined;
    const unhook = gpu.registerCostHook((e) => void (plan = e.plan));
    await run(training("gap", { egress: { natGateway: false }, storage: [{ kind: "lustre", capacityTiB: 9, mountPath: "/data" }] }));
    unhook();
    expect(plan!.notes.join(" ")).toMatch(/storage 'data': the nodes install the Managed Lustre client at boot from us-apt\.pkg\.dev.*egress\.natGateway: false.*gcp\.image/);
  });

  it("says how to load a Managed Lustre import path", async () => {
    let plan: gpu.Plan | undefined;
    const unhook = gpu.registerCostHook((e) => void (plan = e.plan));
    await run(training("imp", { storage: [{ kind: "lustre", capacityTiB: 9, importPath: "gs://corpus/train" }] }));
    unhook();
    expect(plan!.notes.join(" ")).toMatch(/gcloud lustre instances import-data .*gs:\/\/corpus\/train/);
  });
});

describe("GCP inference fleet", () => {
  it("runs a regional MIG of L4 replicas behind an internal Application Load Balancer, autoscaled between min and max", async () => {
    let url: string | undefined;
    const result = await run(() => {
      const fleet = new gpu.InferenceFleet("serve", { ...base, gpu: { model: "L4" }, replicas: { min: 2, max: 12 }, port: 8080, healthCheckPath: "/ready" });
      fleet.endpointUrl.apply((u) => (url = u));
    });
    expect(result.error).toBeUndefined();
    expect(one(result, G.template).inputs.machineType).toBe("g2-standard-4");
    const mig = one(result, G.regionMig).inputs;
    expect(mig).toMatchObject({ region: "us-central1", namedPorts: [{ name: "http", port: 8080 }] });
    expect(mig.distributionPolicyZones).toEqual(["us-central1-a", "us-central1-b", "us-central1-c", "us-central1-f"]);
    expect(mig.autoHealingPolicies).toMatchObject({ initialDelaySec: 1800 });
    // A model change rolls through without an outage: no replica down before its substitute serves, one new replica
    // per zone at a time (a regional MIG's fixed surge must be 0 or at least its zone count; its defaults let a rollout
    // stop one replica per zone at once). https://cloud.google.com/compute/docs/instance-groups/updating-managed-instance-groups
    // and https://cloud.google.com/compute/docs/reference/rest/v1/regionInstanceGroupManagers (updatePolicy), read 2026-12-01.
    expect(mig.updatePolicy).toEqual({ type: "PROACTIVE", minimalAction: "REPLACE", replacementMethod: "SUBSTITUTE", maxUnavailableFixed: 0, maxSurgeFixed: 4, instanceRedistributionType: "NONE" });
    const scaler = one(result, G.autoscaler).inputs;
    expect(scaler.target).toBe("serve-nodes-id");
    expect(scaler.autoscalingPolicy).toMatchObject({ minReplicas: 2, maxReplicas: 12 });
    expect(one(result, G.regionHealth).inputs.httpHealthCheck).toEqual({ port: 8080, requestPath: "/ready" });
    expect(one(result, G.regionBackend).inputs).toMatchObject({ loadBalancingScheme: "INTERNAL_MANAGED", protocol: "HTTP", portName: "http" });
    expect(one(result, G.forwardingRule).inputs).toMatchObject({ loadBalancingScheme: "INTERNAL_MANAGED", portRange: "80" });
    expect(ofType(result, G.globalForwardingRule)).toHaveLength(0);
    expect(ofType(result, G.subnet).find((s) => s.inputs.purpose === "REGIONAL_MANAGED_PROXY")).toBeDefined();
    const checks = ofType(result, G.firewall).find((r) => r.name === "serve-health-checks")!.inputs;
    expect(checks.sourceRanges).toEqual(["35.191.0.0/16", "130.211.0.0/22"]);
    expect(checks.allows).toEqual([{ protocol: "tcp", ports: ["8080"] }]);
    // The reserved address (test/gcp-endpoint-address.test.ts), which the offline engine picks in the host subnet.
    expect(url).toBe("http://10.0.255.249");
    // No fabric NICs and no placement policy for independent replicas.
    expect(one(result, G.template).inputs.networkInterfaces).toHaveLength(1);
    expect(ofType(result, G.policy)).toHaveLength(0);
  });

  it("uses a global external Application Load Balancer, HTTPS only, only when asked for internet-facing", async () => {
    const noCert = await run(() => new gpu.InferenceFleet("nocert", { ...base, gpu: { model: "L4" }, replicas: { min: 1, max: 4 }, loadBalancer: "internet-facing" }));
    expect(noCert.error).toMatchObject({ name: "SpecError", path: "gcp.sslCertificates" });
    let url: string | undefined;
    const result = await run(() => {
      const fleet = new gpu.InferenceFleet("public", { ...base, gpu: { model: "L4" }, replicas: { min: 1, max: 4 }, loadBalancer: "internet-facing", zone: "us-central1-b", gcp: { sslCertificates: ["projects/p/global/sslCertificates/serve"], allowedSourceRanges: ["203.0.113.0/24", "198.51.100.7/32"] } });
      fleet.endpointUrl.apply((u) => (url = u));
    });
    expect(result.error).toBeUndefined();
    expect(one(result, G.globalForwardingRule).inputs).toMatchObject({ loadBalancingScheme: "EXTERNAL_MANAGED", portRange: "443" });
    expect(one(result, "gcp:compute/targetHttpsProxy:TargetHttpsProxy").inputs.sslCertificates).toEqual(["projects/p/global/sslCertificates/serve"]);
    expect(one(result, "gcp:compute/sSLPolicy:SSLPolicy").inputs).toMatchObject({ profile: "MODERN", minTlsVersion: "TLS_1_2" });
    expect(one(result, G.backend).inputs.loadBalancingScheme).toBe("EXTERNAL_MANAGED");
    expect(one(result, G.health).inputs.httpHealthCheck).toEqual({ port: 8000, requestPath: "/health" });
    expect(ofType(result, G.forwardingRule)).toHaveLength(0);
    expect(one(result, G.regionMig).inputs.distributionPolicyZones).toEqual(["us-central1-b"]);
    // Scarce GPUs: BALANCED (the shape Google allows with an autoscaler besides EVEN), which needs redistribution off
    // (https://cloud.google.com/compute/docs/instance-groups/regional-mig-set-target-distribution-shape, read 2026-11-30).
    expect(one(result, G.regionMig).inputs).toMatchObject({
      distributionPolicyTargetShape: "BALANCED",
      updatePolicy: { type: "PROACTIVE", minimalAction: "REPLACE", replacementMethod: "SUBSTITUTE", maxUnavailableFixed: 0, maxSurgeFixed: 1, instanceRedistributionType: "NONE" },
    });
    expect(url).toBe("https://203.0.113.12");
    // The VMs still take traffic only from Google's front ends and health checkers.
    for (const rule of ofType(result, G.firewall)) expect(rule.inputs.sourceRanges).not.toContain("0.0.0.0/0");
  });

  it("admits only gcp.allowedSourceRanges to an internet-facing fleet: a Cloud Armor policy on the backend service, every other client denied (https://cloud.google.com/armor/docs/security-policy-overview, read 2026-11-30)", async () => {
    const internet = { ...base, gpu: { model: "L4" as const }, replicas: { min: 1, max: 4 }, loadBalancer: "internet-facing" as const };
    const noRanges = await run(() => new gpu.InferenceFleet("open", { ...internet, gcp: { sslCertificates: ["c"] } }));
    expect(noRanges.error).toMatchObject({ name: "SpecError", path: "gcp.allowedSourceRanges" });
    expect((noRanges.error as Error).message).toMatch(/needs the client ranges it admits.*'0\.0\.0\.0\/0'/s);
    const bad = await run(() => new gpu.InferenceFleet("bad", { ...internet, gcp: { sslCertificates: ["c"], allowedSourceRanges: ["203.0.113.0/33"] } }));
    expect(bad.error).toMatchObject({ name: "SpecError", path: "gcp.allowedSourceRanges" });
    const internal = await run(() => new gpu.InferenceFleet("int", { ...internet, loadBalancer: "internal", gcp: { allowedSourceRanges: ["203.0.113.0/24"] } }));
    expect(internal.error).toMatchObject({ name: "SpecError", path: "gcp.allowedSourceRanges" });
    // Twelve ranges: two allow rules (at most 10 ranges a rule), then the default deny.
    const ranges = Array.from({ length: 12 }, (_, i) => `198.51.100.${i}/32`);
    const result = await run(() => new gpu.InferenceFleet("armored", { ...internet, gcp: { sslCertificates: ["c"], allowedSourceRanges: ranges } }));
    expect(result.error).toBeUndefined();
    const policy = one(result, "gcp:compute/securityPolicy:SecurityPolicy");
    expect(policy.inputs.type).toBe("CLOUD_ARMOR");
    expect(policy.inputs.rules.map((r: { priority: number; action: string; match: { config: { srcIpRanges: string[] } } }) => [r.priority, r.action, r.match.config.srcIpRanges])).toEqual([
      [1000, "allow", ranges.slice(0, 10)],
      [1001, "allow", ranges.slice(10)],
      [2147483647, "deny(403)", ["*"]],
    ]);
    expect(one(result, G.backend).inputs.securityPolicy).toBe("armored-clients-id");
    // The plan says what Cloud Armor bills and what the estimate prices: the policy and the three rules built above.
    const fleet = result.resources.find((r) => r.type === "gpu-cluster:index:InferenceFleet")!;
    expect(JSON.stringify(fleet.outputs)).toContain("Cloud Armor bills the policy, each rule and every request it evaluates (https://cloud.google.com/armor/pricing): the estimate prices the policy and its rules");
    expect(JSON.stringify(fleet.outputs)).toContain("Cloud Armor Standard rules (3), the default rule counted");
  });
});

describe("GCP errors before anything is created", () => {

  it.each([
    ["a gcp.zone outside the region", training("e1", { gcp: { zone: "us-east4-a" } }), "gcp.zone", /not a zone of us-central1/],
    ["a spec zone outside the region", training("e2", { zone: "europe-west4-a" }), "zone", /not a zone of us-central1/],
    ["a reservation without its zone", training("e3", { reservationId: "r1" }), "zone", /lives in one zone/],
    ["A3 Ultra on demand without a reservation", training("e4", { gpu: { instanceType: "a3-ultragpu-8g", nodes: 2 } }), "reservationId", /not sold on demand/],
    ["a Persistent Disk on A3 Ultra", training("e5", { gpu: { instanceType: "a3-ultragpu-8g", nodes: 2 }, pricing: "spot", storage: [{ kind: "block", capacityTiB: 1 }] }), "storage[0].tier", /does not attach 'pd-balanced'.*use tier 'hyperdisk-extreme'/],
    ["a Lustre import path that is not Cloud Storage", training("e6", { storage: [{ kind: "lustre", capacityTiB: 9, importPath: "s3://b/p" }] }), "storage[0].importPath", /gs:\/\//],
    ["an unknown gcp option", training("e7", { gcp: { zoen: "us-central1-a" } as gpu.GcpOptions }), "gcp.zoen", /did you mean 'zone'/],
    ["aws options on gcp", training("e8", { aws: { vpcId: "vpc-1" } }), "aws", /cloud is 'gcp'/],
    ["a name GCP cannot use", training("Bad_Name"), "name", /cannot prefix GCP resource names/],
    ["fabric infiniband on gcp", training("e9", { fabric: "infiniband" }), "fabric", /not offered on gcp/],
  ])("%s", async (_what, program, path, message) => {
    const result = await run(program);
    expect(result.error).toMatchObject({ name: "SpecError", path });
    expect((result.error as Error).message).toMatch(message);
    expect(result.resources.filter((r) => r.custom)).toHaveLength(0);
  });

  it("rejects on-demand A3 Ultra without a reservation in validation, so estimate and compare agree with the component", () => {
    const ultra = { cloud: "gcp" as const, region: "us-central1", gpu: { model: "H200" as const, count: 16 } };
    expect(() => gpu.validate(ultra)).toThrow(/reservationId: a3-ultragpu-8g is not sold on demand/);
    expect(() => gpu.estimateCost(ultra)).toThrow(/not sold on demand/);
    expect(() => gpu.validate({ ...ultra, pricing: "spot" })).not.toThrow();
    expect(() => gpu.validate({ ...ultra, reservationId: "my-reservation", zone: "us-central1-b" })).not.toThrow();
  });
});

describe("GCP examples", () => {
  it("gcp-a3mega-training: 16 × a3-megagpu-8g, 9 NICs each, Managed Lustre and a bucket, within its budget", async () => {
    let monthly: number | undefined;
    const result = await run(async () => {
      const program = await import("../examples/gcp-a3mega-training/index.js");
      program.monthlyUsd.apply((usd: number) => void (monthly = usd));
    });
    expect(result.error).toBeUndefined();
    expect(one(result, G.mig).inputs.targetSize).toBe(16);
    expect(one(result, G.template).inputs.networkInterfaces).toHaveLength(9);
    expect(ofType(result, G.lustre)).toHaveLength(1);
    expect(ofType(result, G.bucket)).toHaveLength(1);
    // compute 16 × $93.400712807 × 730 h + Lustre 45,000 GiB × $0.60 + 50 TiB × $0.02 + egress and NAT (Cloud NAT for
    // 16 VMs, its address, pulls) + 16 × 300 GiB pd-balanced boot disks + the SSH key's secret version ($0.06); line by
    // line in test/cost.test.ts
    expect(monthly).toBe(1_120_284.23);
    expect(monthly!).toBeLessThan(1_200_000);
  });

  it("gcp-l4-inference: a G2 fleet of 2 to 16 behind an internal load balancer", async () => {
    const result = await run(async () => {
      await import("../examples/gcp-l4-inference/index.js");
    });
    expect(result.error).toBeUndefined();
    expect(one(result, G.template).inputs.machineType).toBe("g2-standard-4");
    expect(one(result, G.autoscaler).inputs.autoscalingPolicy).toMatchObject({ minReplicas: 2, maxReplicas: 16 });
    expect(one(result, G.regionBackend).inputs.backends[0]).toMatchObject({ balancingMode: "RATE", maxRatePerInstance: 2 });
  });
});
