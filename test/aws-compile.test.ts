import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { efaEnvironment, EFS_UTILS, efsClientInstallLines } from "../lib/clouds/aws/bootstrap.js";
import { userDataScript } from "../lib/clouds/aws/bootstrap.js";
import { byName, one, ofType, run, T } from "./helpers/offline.js";

const base = { cloud: "aws" as const, region: "us-east-1" };

function training(name: string, args: Partial<gpu.TrainingClusterArgs> = {}) {
  return () => new gpu.TrainingCluster(name, { ...base, gpu: { model: "H100", count: 64 }, ...args } as gpu.TrainingClusterArgs);
}

describe("AWS training cluster", () => {
  it.each([
    ["p5.48xlarge", "us-east-1", 32, "efa-only"],
    ["p5en.48xlarge", "us-east-1", 16, "efa-only"],
    ["p6-b200.48xlarge", "us-east-1", 8, "efa-only"],
    ["p4d.24xlarge", "us-east-1", 4, "efa-only"],
    ["p4de.24xlarge", "us-east-1", 4, "efa-only"],
    ["g6e.48xlarge", "us-east-1", 4, "efa-only"],
    ["g5.48xlarge", "us-east-1", 1, "efa"],
  ])("%s gets one EFA interface per network card (%s: %i), ENA+EFA on card 0 and the extra cards %s (EC2 efa-acc-inst-types, read 2026-11-30)", async (instanceType, region, efaCount, extraType) => {
    const result = await run(() => new gpu.TrainingCluster("c", { cloud: "aws", region, gpu: { instanceType, nodes: 2 } }));
    expect(result.error).toBeUndefined();
    const interfaces = one(result, T.lt).inputs.networkInterfaces as { networkCardIndex: number; deviceIndex: number; interfaceType: string }[];
    expect(interfaces).toHaveLength(efaCount);
    expect(interfaces.map((i) => i.networkCardIndex)).toEqual(Array.from({ length: efaCount }, (_, i) => i));
    expect(interfaces[0]).toMatchObject({ networkCardIndex: 0, deviceIndex: 0, interfaceType: "efa" });
    for (const extra of interfaces.slice(1)) expect(extra).toMatchObject({ deviceIndex: 1, interfaceType: extraType });
    expect(one(result, T.lt).inputs.instanceType).toBe(instanceType);
  });

  // P6-B300: 17 network cards, card 0 ENA only, cards 1-16 EFA (AWS engineering in
  // https://github.com/aws/aws-parallelcluster/issues/7143, 2025-12-06: NetworkCardIndex=0 DeviceIndex=0
  // InterfaceType=interface; NetworkCardIndex 1..16 DeviceIndex=0 InterfaceType=efa-only).
  it("p6-b300.48xlarge, 2 nodes: 17 interfaces, card 0 an ENA `interface`, cards 1-16 efa-only at device 0, and 16 EFAs checked at boot", async () => {
    const result = await run(() => new gpu.TrainingCluster("b300", { ...base, gpu: { instanceType: "p6-b300.48xlarge", nodes: 2 } } as gpu.TrainingClusterArgs));
    expect(result.error).toBeUndefined();
    const lt = one(result, T.lt).inputs;
    expect(lt.instanceType).toBe("p6-b300.48xlarge");
    const interfaces = lt.networkInterfaces as { networkCardIndex: number; deviceIndex: number; interfaceType: string; associatePublicIpAddress: string }[];
    expect(interfaces).toHaveLength(17);
    expect(interfaces.map((i) => [i.networkCardIndex, i.deviceIndex, i.interfaceType])).toEqual([
      [0, 0, "interface"],
      ...Array.from({ length: 16 }, (_, k) => [k + 1, 0, "efa-only"]),
    ]);
    for (const ni of interfaces) expect(ni.associatePublicIpAddress).toBe("false");
    expect(one(result, T.asg).inputs).toMatchObject({ minSize: 2, maxSize: 2, desiredCapacity: 2 });
    expect(one(result, T.pg).inputs.strategy).toBe("cluster");
    const script = Buffer.from(lt.userData, "base64").toString("utf8");
    expect(script).toContain("expected=16");
    expect(script).toContain('FI_EFA_USE_DEVICE_RDMA="1"');
    expect(efaEnvironment(gpu.planCluster({ ...base, gpu: { instanceType: "p6-b300.48xlarge", nodes: 2 } })).GPU_CLUSTER_EXPECTED_EFA).toBe("16");
  });

  it("builds the EFA cluster securely: placement group, one subnet, IMDSv2, encrypted root, no open ingress", async () => {
    const result = await run(training("secure"));
    expect(result.error).toBeUndefined();
    const pg = one(result, T.pg);
    expect(pg.inputs.strategy).toBe("cluster");
    const asg = one(result, T.asg);
    expect(asg.inputs).toMatchObject({ minSize: 8, maxSize: 8, desiredCapacity: 8, placementGroup: pg.inputs.name ?? expect.any(String) });
    expect(asg.inputs.vpcZoneIdentifiers).toHaveLength(1);
    const lt = one(result, T.lt).inputs;
    expect(lt.metadataOptions.httpTokens).toBe("required");
    expect(lt.blockDeviceMappings[0].ebs).toMatchObject({ volumeType: "gp3", encrypted: "true" });
    for (const ni of lt.networkInterfaces) expect(ni.associatePublicIpAddress).toBe("false");
    const sg = one(result, T.sg).inputs;
    expect(sg.ingress).toEqual([expect.objectContaining({ protocol: "-1", self: true })]);
    expect(sg.egress).toContainEqual(expect.objectContaining({ protocol: "-1", self: true }));
    for (const group of ofType(result, T.sg)) {
      for (const rule of group.inputs.ingress ?? []) expect(rule.cidrBlocks ?? []).not.toContain("0.0.0.0/0");
    }
    for (const subnet of ofType(result, T.subnet)) expect(subnet.inputs.mapPublicIpOnLaunch).toBe(false);
  });

  it("compiles 1,024 nodes to the same resources as 8", async () => {
    const small = await run(training("small", { gpu: { model: "H100", nodes: 8 } }));
    const large = await run(training("large", { gpu: { model: "H100", nodes: 1024 } }));
    expect(large.resources.map((r) => r.type)).toEqual(small.resources.map((r) => r.type));
    expect(one(large, T.asg).inputs.desiredCapacity).toBe(1024);
    expect(one(small, T.asg).inputs.desiredCapacity).toBe(8);
  });

  it("leaves the placement group out for a capacity block, pins its zone and says why in the plan", async () => {
    let plan: gpu.Plan | undefined;
    const unhook = gpu.registerCostHook((e) => void (plan = e.plan));
    const result = await run(training("block", { pricing: "capacity-block", reservationId: "cr-0123456789abcdef0", zone: "us-east-1b", gpu: { model: "H100", nodes: 4 } }));
    unhook();
    expect(result.error).toBeUndefined();
    expect(ofType(result, T.pg)).toHaveLength(0);
    expect(one(result, T.asg).inputs.placementGroup).toBeUndefined();
    const lt = one(result, T.lt).inputs;
    expect(lt.instanceMarketOptions).toEqual({ marketType: "capacity-block" });
    expect(lt.capacityReservationSpecification.capacityReservationTarget.capacityReservationId).toBe("cr-0123456789abcdef0");
    expect(ofType(result, T.subnet).find((s) => s.name === "block-private-0")!.inputs.availabilityZone).toBe("us-east-1b");
    expect(plan!.placement.strategy).toBe("reservation");
    expect(plan!.notes.join(" ")).toMatch(/no cluster placement group/);
    // Created empty; the block's dates (offline: 2031-03-03T11:30Z to 2031-03-17T11:30Z) drive two scheduled actions.
    expect(one(result, T.asg).inputs).toMatchObject({ minSize: 0, maxSize: 4, desiredCapacity: 0 });
    // By action name (block-end-… before block-start-…): the two register once the group's name is known, in either order.
    const schedules = ofType(result, "aws:autoscaling/schedule:Schedule").map((s) => s.inputs).sort((a, b) => String(a.scheduledActionName).localeCompare(String(b.scheduledActionName)));
    expect(schedules).toEqual([
      expect.objectContaining({ startTime: "2031-03-17T10:45:00Z", desiredCapacity: 0 }),
      expect.objectContaining({ autoscalingGroupName: one(result, T.asg).inputs.name ?? expect.anything(), startTime: "2031-03-03T11:30:00Z", desiredCapacity: 4 }),
    ]);
    expect(plan!.notes.join(" ")).toContain("0 nodes before it starts, 4 while it runs and 0 from 45 minutes before it ends");
  });

  it("requires the zone of a reservation before creating anything", async () => {
    const result = await run(training("nozone", { reservationId: "cr-0123456789abcdef0" }));
    expect(result.error).toMatchObject({ name: "SpecError", path: "zone" });
    expect(ofType(result, T.asg)).toHaveLength(0);
    expect(ofType(result, T.vpc)).toHaveLength(0);
  });

  it("mounts storage that is encrypted and private: FSx Lustre, S3 with public access blocked, least-privilege role", async () => {
    const result = await run(
      training("data", {
        storage: [
          { kind: "lustre", capacityTiB: 120, tier: "persistent-125", mountPath: "/data", importPath: "s3://datasets/train" },
          { kind: "object", capacityTiB: 500 },
        ],
      }),
    );
    expect(result.error).toBeUndefined();
    const fsx = one(result, T.fsx).inputs;
    expect(fsx).toMatchObject({ deploymentType: "PERSISTENT_2", perUnitStorageThroughput: 125, storageCapacity: 120000 }); // 120 TiB on FSx's scale (1.2 TiB = 1200 GiB)
    expect(one(result, T.dra).inputs.dataRepositoryPath).toBe("s3://datasets/train");
    // A file deleted on Lustre is never deleted from the user's bucket: export NEW and CHANGED only, import all three
    // (https://docs.aws.amazon.com/fsx/latest/APIReference/API_AutoExportPolicy.html, read 2026-11-30).
    expect(one(result, T.dra).inputs.s3).toEqual({ autoImportPolicy: { events: ["NEW", "CHANGED", "DELETED"] }, autoExportPolicy: { events: ["NEW", "CHANGED"] } });
    expect(one(result, T.publicBlock).inputs).toMatchObject({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    expect(one(result, T.sse).inputs.rules[0].applyServerSideEncryptionByDefault.sseAlgorithm).toBe("aws:kms");
    // The bucket grant; the node's other inline policy lets it mark itself Unhealthy in its own group (vm-health.test.ts).
    const policy = JSON.parse(byName(result, T.rolePolicy, "data-node-buckets").inputs.policy);
    expect(policy.Statement.flatMap((s: { Resource: string[] }) => s.Resource)).toEqual([
      expect.stringMatching(/^arn:offline:aws:s3\/bucket:Bucket:data-object-mnt-object$/),
      expect.stringMatching(/^arn:offline:aws:s3\/bucket:Bucket:data-object-mnt-object\/\*$/),
    ]);
    expect(ofType(result, T.attachment).map((a) => a.inputs.policyArn).sort()).toEqual([
      "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
      "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    ]);
  });

  it("writes the NCCL/EFA environment and a fabric check into the node bootstrap", async () => {
    const result = await run(training("boot"));
    const script = Buffer.from(one(result, T.lt).inputs.userData, "base64").toString("utf8");
    expect(script).toContain('NCCL_NET="AWS Libfabric"');
    expect(script).toContain('FI_PROVIDER="efa"');
    expect(script).toContain("expected=32");
    const plan = gpu.planCluster({ ...base, gpu: { model: "H100", count: 64 } });
    expect(efaEnvironment(plan).GPU_CLUSTER_EXPECTED_EFA).toBe("32");
    expect(userDataScript(gpu.planCluster({ ...base, gpu: { model: "H100", count: 64 }, fabric: "none" }), {})).not.toContain("NCCL_NET");
  });

  it("builds no NAT gateway when air-gapped, and one otherwise", async () => {
    const gapped = await run(training("gapped", { egress: { natGateway: false } }));
    expect(ofType(gapped, T.nat)).toHaveLength(0);
    const open = await run(training("open"));
    expect(ofType(open, T.nat)).toHaveLength(1);
  });

  it("uses a bring-your-own VPC and its first subnet without creating a network", async () => {
    const result = await run(training("byo", { aws: { vpcId: "vpc-123", subnetIds: ["subnet-a", "subnet-b"] } }));
    expect(result.error).toBeUndefined();
    expect(ofType(result, T.vpc)).toHaveLength(0);
    expect(one(result, T.asg).inputs.vpcZoneIdentifiers).toEqual(["subnet-a"]);
    expect(one(result, T.sg).inputs.vpcId).toBe("vpc-123");
  });

  it("sets the spot market when pricing is spot", async () => {
    const result = await run(training("spot", { gpu: { instanceType: "p5en.48xlarge", nodes: 2 }, pricing: "spot" }));
    expect(result.error).toBeUndefined();
    expect(one(result, T.lt).inputs.instanceMarketOptions).toEqual({ marketType: "spot" });
    // Neither an instance refresh nor Capacity Rebalancing: both replace nodes under a running job (training.ts says
    // why; https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-capacity-rebalancing.html, read 2026-11-30).
    const asg = one(result, T.asg).inputs;
    expect(asg.instanceRefresh).toBeUndefined();
    expect(asg.capacityRebalance).toBeUndefined();
  });
});

describe("AWS inference fleet", () => {
  it("puts private replicas in two zones behind an internal ALB, scaled between min and max", async () => {
    const result = await run(
      () => new gpu.InferenceFleet("serve", { ...base, gpu: { model: "L4" }, replicas: { min: 2, max: 12 }, port: 8080, healthCheckPath: "/ready" }),
    );
    expect(result.error).toBeUndefined();
    expect(one(result, T.lt).inputs.instanceType).toBe("g6.xlarge");
    const asg = one(result, T.asg).inputs;
    expect(asg).toMatchObject({ minSize: 2, maxSize: 12, healthCheckType: "ELB" });
    expect(asg.vpcZoneIdentifiers).toHaveLength(2);
    expect(one(result, T.lb).inputs).toMatchObject({ internal: true, loadBalancerType: "application" });
    expect(one(result, T.tg).inputs.healthCheck).toMatchObject({ path: "/ready", port: "8080" });
    const policy = one(result, T.policy).inputs;
    expect(policy.targetTrackingConfiguration.predefinedMetricSpecification.predefinedMetricType).toBe("ALBRequestCountPerTarget");
    for (const group of ofType(result, T.sg)) {
      for (const rule of group.inputs.ingress ?? []) expect(rule.cidrBlocks ?? []).not.toContain("0.0.0.0/0");
    }
  });

  it("rolls a new launch template out to running replicas, new before old, and rebalances spot replicas before EC2 reclaims them", async () => {
    // https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html and
    // https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-capacity-rebalancing.html (read 2026-11-30).
    const onDemand = await run(() => new gpu.InferenceFleet("roll", { ...base, gpu: { model: "L4" }, replicas: { min: 2, max: 4 } }));
    expect(onDemand.error).toBeUndefined();
    const asg = one(onDemand, T.asg).inputs;
    expect(asg.instanceRefresh).toEqual({ strategy: "Rolling", preferences: { minHealthyPercentage: 100, maxHealthyPercentage: 200, instanceWarmup: "1800" } });
    // The refresh starts on a new launch template version: the group pins the version number, not $Latest.
    expect(asg.launchTemplate.version).not.toBe("$Latest");
    expect(asg.capacityRebalance).toBeUndefined();
    const spot = await run(() => new gpu.InferenceFleet("rollspot", { ...base, gpu: { model: "L4" }, replicas: { min: 2, max: 4 }, pricing: "spot", contractUsdPerHour: 0.4 } as gpu.InferenceFleetArgs));
    expect(spot.error).toBeUndefined();
    expect(one(spot, T.asg).inputs).toMatchObject({ capacityRebalance: true, instanceRefresh: { strategy: "Rolling" } });
  });

  it("gives an inference replica no inter-node fabric: one node, no collectives across nodes", async () => {
    const plan = gpu.planFleet({ ...base, gpu: { model: "H100", count: 8 }, replicas: { min: 1, max: 2 } });
    expect(plan.fabric).toMatchObject({ kind: "none", nicsPerNode: 0 });
    expect(plan.notes.join(" ")).toMatch(/single p5\.48xlarge nodes .* 32 × efa fabric is not attached/);
    const result = await run(() => new gpu.InferenceFleet("h100", { ...base, gpu: { model: "H100", count: 8 }, replicas: { min: 1, max: 2 } }));
    expect(one(result, T.lt).inputs.networkInterfaces).toEqual([expect.not.objectContaining({ interfaceType: expect.anything() })]);
  });

  it("serves an internet-facing fleet over HTTPS only, and only when asked", async () => {
    const args = { ...base, gpu: { model: "L4" as const }, replicas: { min: 1, max: 2 }, loadBalancer: "internet-facing" as const };
    const noCert = await run(() => new gpu.InferenceFleet("nocert", args));
    expect(noCert.error).toMatchObject({ name: "SpecError", path: "aws.certificateArn" });
    expect(noCert.resources).toEqual([]);

    const cert = "arn:aws:acm:us-east-1:123456789012:certificate/abc";
    // Open to everyone only because the spec says so (aws.allowedSourceRanges is required: test/aws-internet-facing.test.ts).
    const result = await run(() => new gpu.InferenceFleet("public", { ...args, aws: { certificateArn: cert, allowedSourceRanges: ["0.0.0.0/0"] } }));
    expect(result.error).toBeUndefined();
    expect(one(result, T.lb).inputs.internal).toBe(false);
    const listeners = ofType(result, "aws:lb/listener:Listener").map((l) => l.inputs);
    expect(listeners).toContainEqual(expect.objectContaining({ port: 443, protocol: "HTTPS", certificateArn: cert, sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" }));
    expect(listeners).toContainEqual(expect.objectContaining({ port: 80, defaultActions: [expect.objectContaining({ type: "redirect" })] }));
    const lbGroup = ofType(result, T.sg).find((g) => g.name === "public-lb-sg")!;
    expect(lbGroup.inputs.ingress.map((r: { fromPort: number; cidrBlocks: string[] }) => [r.fromPort, r.cidrBlocks])).toEqual([
      [80, ["0.0.0.0/0"]],
      [443, ["0.0.0.0/0"]],
    ]);
  });

  it("lets fleet nodes reach their shared file systems: a storage group and an EFS mount target per zone", async () => {
    const result = await run(
      () => new gpu.InferenceFleet("models", { ...base, gpu: { model: "L4" }, replicas: { min: 2, max: 4 }, storage: [{ kind: "nfs", capacityTiB: 1, mountPath: "/models" }] }),
    );
    expect(result.error).toBeUndefined();
    const storageGroup = ofType(result, T.sg).find((g) => g.name === "models-storage-sg")!;
    expect(storageGroup.inputs.ingress).toContainEqual(expect.objectContaining({ fromPort: 2049, toPort: 2049 }));
    expect(ofType(result, "aws:efs/mountTarget:MountTarget")).toHaveLength(2);
    const nodes = ofType(result, T.sg).find((g) => g.name === "models-nodes-sg")!;
    expect(nodes.inputs.egress).toContainEqual(expect.objectContaining({ fromPort: 2049, cidrBlocks: ["10.0.0.0/16"] }));
  });

  // https://docs.aws.amazon.com/fsx/latest/LustreGuide/limit-access-security-groups.html: the file system's group must
  // admit TCP 988 and 1018-1023 from itself (FSx refuses to create it otherwise) and from the clients.
  it("a fleet's FSx for Lustre group admits the Lustre ports from itself and from the nodes", async () => {
    const result = await run(
      () => new gpu.InferenceFleet("lfs", { ...base, gpu: { model: "L4" }, replicas: { min: 2, max: 4 }, storage: [{ kind: "lustre", capacityTiB: 1.2, mountPath: "/weights" }] }),
    );
    expect(result.error).toBeUndefined();
    const fs = one(result, T.fsx);
    expect(fs.inputs.securityGroupIds).toEqual(["lfs-storage-sg-id"]);
    const group = ofType(result, T.sg).find((g) => g.name === "lfs-storage-sg")!;
    for (const [from, to] of [[988, 988], [1018, 1023]]) {
      expect(group.inputs.ingress).toContainEqual(expect.objectContaining({ protocol: "tcp", fromPort: from, toPort: to, self: true }));
      expect(group.inputs.ingress).toContainEqual(expect.objectContaining({ protocol: "tcp", fromPort: from, toPort: to, securityGroups: ["lfs-nodes-sg-id"] }));
      expect(group.inputs.egress).toContainEqual(expect.objectContaining({ protocol: "tcp", fromPort: from, toPort: to, self: true }));
    }
  });

  it("serves from an On-Demand Capacity Reservation: replicas only in its zone, the ALB across two, the launch template targeting it", async () => {
    // A targeted reservation takes launches only into its own free capacity (capacityReservationTarget,
    // https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/capacity-reservations-launch.html, read 2026-12-01), and an
    // ALB needs subnets in two zones (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#availability-zones).
    const rid = "cr-0aaaaaaaaaaaaaaaa";
    const result = await run(
      () => new gpu.InferenceFleet("odcr", { ...base, gpu: { instanceType: "p5.48xlarge" }, replicas: { min: 1, max: 3 }, reservationId: rid, zone: "us-east-1b" } as gpu.InferenceFleetArgs),
    );
    expect(result.error).toBeUndefined();
    const subnets = ofType(result, T.subnet).filter((s) => s.name.startsWith("odcr-private-"));
    expect(subnets.map((s) => s.inputs.availabilityZone)).toEqual(["us-east-1b", expect.not.stringMatching(/^us-east-1b$/)]);
    const asg = one(result, T.asg).inputs;
    expect(asg.vpcZoneIdentifiers).toHaveLength(1);
    expect(one(result, T.lb).inputs.subnets).toHaveLength(2);
    expect(one(result, T.lt).inputs.capacityReservationSpecification).toEqual({ capacityReservationTarget: { capacityReservationId: rid } });
    const note = result.costEvents[0]!.plan.notes.find((n) => n.startsWith("zone:"))!;
    expect(note).toBe(
      `zone: every replica runs in us-east-1b (the load balancer spans a second zone), so an outage of that zone stops the fleet; the nodes launch only into reservation ${rid}, so replicas beyond its free instances (replicas.max 3) stay unlaunched`,
    );
    // One GPU zone, the NAT gateway's: no cross-zone line; the same fleet unpinned (on demand) has one, 50% of its pulls.
    const lines = (r: typeof result) => r.costEvents[0]!.estimate.lines.map((l) => l.description).join(" ");
    expect(lines(result)).not.toMatch(/cross-zone/);
    const spread = await run(() => new gpu.InferenceFleet("spread", { ...base, gpu: { instanceType: "p5.48xlarge" }, replicas: { min: 1, max: 3 } }));
    expect(lines(spread)).toMatch(/cross-zone traffic via the NAT gateway \(50% of it: one NAT gateway, GPU nodes spread over 2 zones\)/);
  });

  it("refuses a fleet on a Capacity Block with the reason and the reservation to use instead, before asking for a zone", async () => {
    const result = await run(
      () => new gpu.InferenceFleet("cbfleet", { ...base, gpu: { instanceType: "p5.48xlarge" }, replicas: { min: 1, max: 2 }, pricing: "capacity-block" } as gpu.InferenceFleetArgs),
    );
    expect(result.error).toMatchObject({ name: "SpecError", path: "pricing" });
    expect((result.error as Error).message).toMatch(/built for training clusters .*On-Demand Capacity Reservation/);
    expect(result.resources).toEqual([]);
  });

  it("needs two private subnets for a fleet in your own VPC", async () => {
    const result = await run(
      () => new gpu.InferenceFleet("byo", { ...base, gpu: { model: "L4" }, replicas: { min: 1, max: 2 }, aws: { vpcId: "vpc-1", subnetIds: ["subnet-a"] } }),
    );
    expect(result.error).toMatchObject({ name: "SpecError", path: "aws.subnetIds" });
  });
});

describe("AWS VMs: `up` without GPU capacity is visible", () => {
  it("the Auto Scaling group does not wait (waitForCapacityTimeout 0) and the plan says so, naming the pinned zone and what to try", async () => {
    const result = await run(training("short", { zone: "us-east-1b", gpu: { instanceType: "p5.48xlarge", nodes: 4 } }));
    expect(result.error).toBeUndefined();
    expect(one(result, T.asg).inputs.waitForCapacityTimeout).toBe("0");
    const note = result.costEvents[0]!.plan.notes.find((n) => n.startsWith("capacity:"))!;
    expect(note).toContain("4 × p5.48xlarge nodes");
    expect(note).toContain("zone us-east-1b has no capacity");
    expect(note).toContain("InsufficientInstanceCapacity");
    expect(note).toContain("reservationId");
  });

  it("a fleet without a pinned zone names the region's zones that sell the type", async () => {
    const result = await run(() => new gpu.InferenceFleet("fl", { ...base, gpu: { model: "L4" }, replicas: { min: 2, max: 4 } }));
    const note = result.costEvents[0]!.plan.notes.find((n) => n.startsWith("capacity:"))!;
    expect(note).toMatch(/2 × g6\.\w+ nodes; it succeeds even when the zones of us-east-1 that sell g6\.\w+ \(looked up at deploy\) have no capacity/);
  });
});

describe("AWS VMs: EFS needs a way to build its client", () => {
  const efs = { cloud: "aws" as const, region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 }, storage: [{ kind: "nfs" as const, name: "home", mountPath: "/home", capacityTiB: 1 }] };

  it("refuses EFS on VM nodes without a NAT gateway (the client is built from GitHub and Ubuntu's archive at boot, aws/efs-utils v1.36.0)", async () => {
    const result = await run(() => new gpu.TrainingCluster("efs", { ...efs, egress: { natGateway: false } } as gpu.TrainingClusterArgs));
    expect(result.error).toMatchObject({ name: "SpecError", path: "egress.natGateway" });
    expect(String((result.error as Error).message)).toContain("storage 'home' (EFS) on VM nodes needs the EFS client (amazon-efs-utils)");
    // Your own AMI may carry the client: then the boot skips the build and the VPC may be air-gapped.
    const own = await run(() => new gpu.TrainingCluster("efs", { ...efs, egress: { natGateway: false }, aws: { amiId: "ami-0123456789abcdef0" } } as gpu.TrainingClusterArgs));
    expect(own.error).toBeUndefined();
  });
});

describe("AWS VMs: the EFS client's build at boot fails loudly", () => {
  /** The install lines under bash, with apt-get and git stand-ins; `git` decides what the clone does. */
  function install(git: string): { status: number | null; stderr: string } {
    const dir = mkdtempSync(join(tmpdir(), "efs-"));
    const bin = join(dir, "bin");
    mkdirSync(bin);
    writeFileSync(join(bin, "apt-get"), "#!/bin/bash\nexit 0\n", { mode: 0o755 });
    writeFileSync(join(bin, "git"), `#!/bin/bash\n${git}\n`, { mode: 0o755 });
    const lines = efsClientInstallLines().map((l) => l.replaceAll("/var/lib/gpu-cluster", dir));
    const script = ["fail() { echo \"FAIL: $1\" >&2; exit 1; }", ...lines].join("\n");
    const out = spawnSync("bash", ["-c", script], { env: { PATH: `${bin}:/usr/bin:/bin` }, encoding: "utf8" });
    return { status: out.status, stderr: out.stderr };
  }

  it("pins aws/efs-utils v1.36.0 by its tag's commit (c87d19f3…, 2024-03-20)", () => {
    expect(EFS_UTILS).toEqual({ version: "1.36.0", tag: "v1.36.0", commit: "c87d19f3e1db26532f09a7fed338347aacb90e10", repo: "https://github.com/aws/efs-utils" });
  });

  it.skipIf(existsSync("/sbin/mount.efs"))("stops the boot when GitHub cannot be reached, or the tag is not the pinned commit", () => {
    const noRoute = install("exit 128");
    expect(noRoute.status).toBe(1);
    expect(noRoute.stderr).toContain("FAIL: installing the EFS client (amazon-efs-utils 1.36.0): git clone of https://github.com/aws/efs-utils v1.36.0 failed (no route to GitHub?)");
    const moved = install('case "$1" in clone) mkdir -p "${@: -1}" ;; -C) echo 0000000000000000000000000000000000000000 ;; esac');
    expect(moved.status).toBe(1);
    expect(moved.stderr).toContain("FAIL: installing the EFS client (amazon-efs-utils 1.36.0): tag v1.36.0 is not commit c87d19f3e1db26532f09a7fed338347aacb90e10");
  });
});
