/**
 * The AWS compilers (VM: lib/clouds/aws; EKS: lib/clouds/aws/eks) build their billable things from the bill of
 * materials they are handed (CompileContext.bill, read with lib/clouds/shared/bill.ts), not from the plan and
 * constants beside it. Each case compiles a real plan (`prepare`, as the components do) against its real bill
 * (`gpu.billOfMaterials(plan, options)`) with one item changed, and checks that what is built follows the changed item;
 * or, where the compiler must build a thing the bill lacks (or counts more of than the layout holds), that the program
 * stops with an Error naming the item instead of building the thing.
 */
import * as pulumi from "@pulumi/pulumi";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as gpu from "gpu-cluster";
import { prepare } from "../lib/components/build.js";
import type { BomItem } from "../lib/cost/bom/types.js";
import type { BomItemOf } from "../lib/clouds/shared/bill.js";
import { byName, ofType, one, privateEndpoint, run } from "./helpers/offline.js";

const A = {
  vpc: "aws:ec2/vpc:Vpc",
  subnet: "aws:ec2/subnet:Subnet",
  nat: "aws:ec2/natGateway:NatGateway",
  eip: "aws:ec2/eip:Eip",
  endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
  lt: "aws:ec2/launchTemplate:LaunchTemplate",
  lb: "aws:lb/loadBalancer:LoadBalancer",
  secret: "aws:secretsmanager/secret:Secret",
  kms: "aws:kms/key:Key",
  efs: "aws:efs/fileSystem:FileSystem",
  backup: "aws:efs/backupPolicy:BackupPolicy",
  cluster: "aws:eks/cluster:Cluster",
  nodeGroup: "aws:eks/nodeGroup:NodeGroup",
  asg: "aws:autoscaling/group:Group",
  schedule: "aws:autoscaling/schedule:Schedule",
  service: "kubernetes:core/v1:Service",
};

const REGION = { cloud: "aws", region: "us-east-1" } as const;
const VM_TRAINING = { ...REGION, gpu: { instanceType: "p5.48xlarge", nodes: 2 } };
const EKS_TRAINING = privateEndpoint({ ...VM_TRAINING, orchestrator: "kubernetes" });
const CERTIFICATE = { certificateArn: "arn:aws:acm:us-east-1:000000000000:certificate/offline" };
const VM_FLEET = { ...REGION, gpu: { model: "L4" }, replicas: { min: 1, max: 3 } };

class Host extends pulumi.ComponentResource {
  constructor(name: string) {
    super("test:index:Host", name);
  }
}

/**
 * Compile `args` as the component would, but against its real bill changed by `change`. Returns the run and the bill
 * as compiled, so a case can show the item it changed.
 */
async function compileWith(workload: "training" | "inference", name: string, args: object, change: (bill: BomItem[]) => BomItem[]) {
  const prepared = prepare(workload, name, args as gpu.ClusterSpec);
  const bill = change(gpu.billOfMaterials(prepared.plan, prepared.cloudOptions));
  const result = await run(() => {
    const ctx = { name, parent: new Host(name), bill };
    return workload === "training" ? prepared.compiler.compileTraining(prepared.plan, prepared.cloudOptions, ctx) : prepared.compiler.compileInference(prepared.plan, prepared.cloudOptions, ctx);
  });
  return { result, bill };
}

/** The bill with every item `match` accepts replaced by `by` (nothing: removed). */
const replace = (match: (item: BomItem) => boolean, ...by: BomItem[]) => (bill: BomItem[]) => bill.flatMap((item) => (match(item) ? by : [item]));
const kind = (k: BomItem["kind"]) => (item: BomItem) => item.kind === k;
const gpuDisk = (item: BomItem) => item.kind === "node-disk" && item.pool === "gpu";
const systemDisk = (item: BomItem) => item.kind === "node-disk" && item.pool === "system";

/** The bill's `gpu-nodes` item changed to `by` (the same instance type unless `by` names one). */
const gpuNodes = (by: Partial<BomItemOf<"gpu-nodes">>) => (bill: BomItem[]) => bill.map((item) => (item.kind === "gpu-nodes" ? { ...item, ...by } : item));
/** An Auto Scaling group's size as compiled. */
const asgSize = (g: { inputs: Record<string, any> }) => ({ min: g.inputs.minSize, max: g.inputs.maxSize, desired: g.inputs.desiredCapacity });

/** A launch template's root volume (its first block device). */
const rootVolume = (lt: { inputs: Record<string, any> }) => lt.inputs.blockDeviceMappings[0].ebs;

describe("the AWS compilers build from the bill of materials", () => {
  it("GPU node disks: the launch template's root volume is the bill's size and type (VM and EKS)", async () => {
    // The real bill gives a 200 GiB gp3 root disk per GPU node (lib/cost/bom/aws-vm.ts AWS_NODE_DISKS); this one 300 GiB io2.
    const disk: BomItem = { kind: "node-disk", pool: "gpu", count: 2, sizeGiB: 300, diskType: "io2" };
    const vm = await compileWith("training", "vmdisk", VM_TRAINING, replace(gpuDisk, disk));
    expect(vm.result.error).toBeUndefined();
    expect(rootVolume(byName(vm.result, A.lt, "vmdisk-lt"))).toEqual({ volumeSize: 300, volumeType: "io2", encrypted: "true", deleteOnTermination: "true" });
    const eks = await compileWith("training", "eksdisk", EKS_TRAINING, replace(gpuDisk, disk));
    expect(eks.result.error).toBeUndefined();
    expect(rootVolume(byName(eks.result, A.lt, "eksdisk-lt"))).toEqual({ volumeSize: 300, volumeType: "io2", encrypted: "true", deleteOnTermination: "true" });
    // Without the item, a template for nodes the bill counts has no disk to build: the bill reader's Error.
    const none = await compileWith("training", "nodisk", VM_TRAINING, replace(gpuDisk));
    expect(String(none.result.error)).toMatch(/builds the GPU nodes' root volumes, but the bill of materials carries no 'node-disk' item/);
    expect(ofType(none.result, A.lt)).toEqual([]);
  });

  it("EKS system nodes: the node group's scaling is the bill's count and maxCount, its root volume the bill's disk", async () => {
    // The real bill: 2 system nodes, up to 3 (catalog systemNodes), 50 GiB gp3 each; this one 3 up to 5, 80 GiB gp2.
    const change = (bill: BomItem[]) =>
      replace(systemDisk, { kind: "node-disk", pool: "system", count: 3, maxCount: 5, sizeGiB: 80, diskType: "gp2" })(replace(kind("system-nodes"), { kind: "system-nodes", count: 3, maxCount: 5 })(bill));
    const { result } = await compileWith("training", "sys", EKS_TRAINING, change);
    expect(result.error).toBeUndefined();
    expect(byName(result, A.nodeGroup, "sys-system-nodes").inputs.scalingConfig).toEqual({ minSize: 3, maxSize: 5, desiredSize: 3 });
    expect(rootVolume(byName(result, A.lt, "sys-system-lt"))).toEqual({ volumeSize: 80, volumeType: "gp2", encrypted: "true", deleteOnTermination: "true" });
    // No maxCount: a fixed pool of `count`.
    const fixed = await compileWith("training", "fixed", EKS_TRAINING, replace(kind("system-nodes"), { kind: "system-nodes", count: 4 }));
    expect(byName(fixed.result, A.nodeGroup, "fixed-system-nodes").inputs.scalingConfig).toEqual({ minSize: 4, maxSize: 4, desiredSize: 4 });
    // A created cluster with no system-nodes item in its bill: an Error, not a cluster without its system pool.
    const missing = await compileWith("training", "nosys", EKS_TRAINING, replace(kind("system-nodes")));
    expect(String(missing.result.error)).toMatch(/builds the EKS system node group, but the bill of materials carries no 'system-nodes' item/);
  });

  it("EKS control plane and its secrets key: created only with the bill's items", async () => {
    const plane = await compileWith("training", "noplane", EKS_TRAINING, replace(kind("control-plane")));
    expect(String(plane.result.error)).toMatch(/builds the EKS cluster, but the bill of materials carries no 'control-plane' item/);
    expect(ofType(plane.result, A.cluster)).toEqual([]);
    const key = await compileWith("training", "nokey", EKS_TRAINING, replace(kind("kms-key")));
    expect(String(key.result.error)).toMatch(/builds the EKS cluster's secrets key, but the bill of materials carries no 'kms-key' item/);
    const twoKeys = await compileWith("training", "twokeys", EKS_TRAINING, replace(kind("kms-key"), { kind: "kms-key", count: 2, what: "two keys" }));
    expect(String(twoKeys.result.error)).toMatch(/builds one KMS key \(the EKS secrets key\), but the bill of materials counts 2 in its 'kms-key' item/);
  });

  it("NAT gateway: built with its Elastic IP as billed; none without the item; the one route table takes one, not two", async () => {
    const real = await compileWith("training", "nat", VM_TRAINING, (bill) => bill);
    expect(real.bill).toContainEqual({ kind: "nat-gateway", count: 1 });
    expect(ofType(real.result, A.nat).map((r) => r.name)).toEqual(["nat-nat"]);
    expect(ofType(real.result, A.eip).map((r) => r.name)).toEqual(["nat-nat-eip"]);
    // Without the item: no NAT gateway, no Elastic IP, and no public subnet to put them in (a training cluster has no load balancer).
    const none = await compileWith("training", "nonat", VM_TRAINING, replace(kind("nat-gateway")));
    expect(none.result.error).toBeUndefined();
    expect(ofType(none.result, A.nat)).toEqual([]);
    expect(ofType(none.result, A.eip)).toEqual([]);
    expect(ofType(none.result, A.subnet).map((r) => r.name)).toEqual(["nonat-private-0"]);
    // Two: the private subnets share one route table, whose one default route can go through one gateway only.
    const two = await compileWith("training", "twonat", VM_TRAINING, replace(kind("nat-gateway"), { kind: "nat-gateway", count: 2 }));
    expect(String(two.result.error)).toMatch(/builds one NAT gateway \(and its Elastic IP\), but the bill of materials counts 2 in its 'nat-gateway' item/);
    expect(ofType(two.result, A.nat)).toEqual([]);
  });

  it("interface endpoints (air-gapped VM cluster): exactly the bill's services, in the bill's zones", async () => {
    const airGapped = { ...VM_TRAINING, egress: { natGateway: false } };
    const { result, bill } = await compileWith("training", "gap", airGapped, replace(kind("interface-endpoints"), { kind: "interface-endpoints", services: ["ssm", "sts"], zones: 1 }));
    expect(bill).not.toContainEqual(expect.objectContaining({ kind: "nat-gateway" }));
    expect(result.error).toBeUndefined();
    const endpoints = ofType(result, A.endpoint).filter((r) => r.inputs.vpcEndpointType === "Interface");
    expect(endpoints.map((r) => r.inputs.serviceName).sort()).toEqual(["com.amazonaws.us-east-1.ssm", "com.amazonaws.us-east-1.sts"]);
    expect(endpoints.every((r) => r.inputs.subnetIds.length === 1)).toBe(true);
    // More zones than the training network has private subnets (one, for EFA): an Error, not endpoints in a missing subnet.
    const wide = await compileWith("training", "wide", airGapped, replace(kind("interface-endpoints"), { kind: "interface-endpoints", services: ["ssm"], zones: 2 }));
    expect(String(wide.result.error)).toMatch(/interface endpoints in 2 zones, but the network has 1 private subnet/);
    // Without the item: no interface endpoint (the free S3 gateway endpoint stays).
    const none = await compileWith("training", "noep", airGapped, replace(kind("interface-endpoints")));
    expect(ofType(none.result, A.endpoint).map((r) => r.inputs.vpcEndpointType)).toEqual(["Gateway"]);
  });

  it("the fleet's load balancer: an ALB of the bill's scheme, in public subnets when it is internet-facing", async () => {
    // The plan says internal; the bill says internet-facing: the ALB, its subnets and the public subnets follow the bill.
    const { result } = await compileWith("inference", "alb", { ...VM_FLEET, aws: CERTIFICATE }, replace(kind("load-balancer"), { kind: "load-balancer", product: "alb", scheme: "internet-facing" }));
    expect(result.error).toBeUndefined();
    const balancer = one(result, A.lb);
    expect(balancer.inputs).toMatchObject({ loadBalancerType: "application", internal: false });
    expect(ofType(result, A.subnet).map((r) => r.name).sort()).toEqual(["alb-private-0", "alb-private-1", "alb-public-0", "alb-public-1"]);
    // The mock engine's ids are `<name>-id`.
    expect(balancer.inputs.subnets).toEqual(["alb-public-0-id", "alb-public-1-id"]);
    // No ALB item, or an NLB where the VM compiler builds an ALB: the bill reader's Error.
    const nlb = await compileWith("inference", "nlb", VM_FLEET, replace(kind("load-balancer"), { kind: "load-balancer", product: "nlb", scheme: "internal" }));
    expect(String(nlb.result.error)).toMatch(/builds the fleet's Application Load Balancer, but the bill of materials carries no 'load-balancer' item/);
  });

  it("EKS fleet: the Service is a LoadBalancer (NLB) only with the bill's internet-facing NLB item", async () => {
    const open = privateEndpoint({ ...VM_FLEET, orchestrator: "kubernetes", loadBalancer: "internet-facing", aws: { ...CERTIFICATE, eks: { loadBalancerSourceRanges: ["203.0.113.0/24"] } } });
    const real = await compileWith("inference", "open", open, (bill) => bill);
    expect(real.bill).toContainEqual({ kind: "load-balancer", product: "nlb", scheme: "internet-facing" });
    expect(one(real.result, A.service).inputs.spec.type).toBe("LoadBalancer");
    const closed = await compileWith("inference", "closed", open, replace(kind("load-balancer")));
    expect(closed.result.error).toBeUndefined();
    expect(one(closed.result, A.service).inputs.spec.type).toBe("ClusterIP");
    const internal = await compileWith("inference", "internal", open, replace(kind("load-balancer"), { kind: "load-balancer", product: "nlb", scheme: "internal" }));
    expect(String(internal.result.error)).toMatch(/exposed through an internet-facing NLB only/);
  });

  it("the VM training cluster's SSH key: a Secrets Manager secret under its own KMS key, only with the bill's items", async () => {
    const real = await compileWith("training", "ssh", VM_TRAINING, (bill) => bill);
    expect(ofType(real.result, A.secret).map((r) => r.name)).toEqual(["ssh-ssh-key"]);
    expect(ofType(real.result, A.kms).map((r) => r.name)).toEqual(["ssh-ssh-key"]);
    const none = await compileWith("training", "nossh", VM_TRAINING, replace((item) => item.kind === "secret" || item.kind === "kms-key"));
    expect(none.result.error).toBeUndefined();
    expect(ofType(none.result, A.secret)).toEqual([]);
    expect(ofType(none.result, A.kms)).toEqual([]);
    // The secret without its key: an Error (the secret is never stored under another key).
    const keyless = await compileWith("training", "keyless", VM_TRAINING, replace(kind("kms-key")));
    expect(String(keyless.result.error)).toMatch(/builds the KMS key of the SSH key's secret, but the bill of materials carries no 'kms-key' item/);
  });

  it("storage: every entry must be billed; a guarded EFS gets AWS Backup's plan only with its backup item", async () => {
    const efs = { ...VM_TRAINING, storage: [{ kind: "nfs", capacityTiB: 1, mountPath: "/home" }] };
    const real = await compileWith("training", "efs", efs, (bill) => bill);
    expect(real.bill).toContainEqual({ kind: "backup", name: "home", capacityGiB: 1024 });
    expect(ofType(real.result, A.backup).map((r) => r.name)).toEqual(["efs-nfs-home-backup"]);
    const unbacked = await compileWith("training", "unbacked", efs, replace(kind("backup")));
    expect(unbacked.result.error).toBeUndefined();
    expect(ofType(unbacked.result, A.efs)).toHaveLength(1);
    expect(ofType(unbacked.result, A.backup)).toEqual([]);
    const unbilled = await compileWith("training", "unbilled", efs, replace(kind("storage")));
    expect(String(unbilled.result.error)).toMatch(/builds storage 'home' \(nfs\), but the bill of materials carries no 'storage' item/);
    expect(ofType(unbilled.result, A.efs)).toEqual([]);
  });


  describe("the GPU node group is sized from the bill's gpu-nodes item (lib/clouds/aws/gpu-nodes.ts)", () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it("VM: the training group holds the item's count, a fleet's group spans count..maxCount, a Capacity Block's schedule sizes to the count", async () => {
      // The real bill: 2 × p5.48xlarge, as the spec asks (lib/cost/bom/shared.ts gpuNodesItem); this one 5.
      const training = await compileWith("training", "five", VM_TRAINING, gpuNodes({ count: 5 }));
      expect(training.bill[0]).toEqual({ kind: "gpu-nodes", instanceType: "p5.48xlarge", count: 5 });
      expect(training.result.error).toBeUndefined();
      expect(asgSize(byName(training.result, A.asg, "five-nodes"))).toEqual({ min: 5, max: 5, desired: 5 });
      // A VM fleet runs one replica per node (lib/planner/packing.ts), so the real bill is replicas 1..3; this one 2..7.
      const real = await compileWith("inference", "fleet", VM_FLEET, (bill) => bill);
      expect(real.bill[0]).toMatchObject({ kind: "gpu-nodes", count: 1, maxCount: 3 });
      const fleet = await compileWith("inference", "seven", VM_FLEET, gpuNodes({ count: 2, maxCount: 7 }));
      expect(fleet.result.error).toBeUndefined();
      // No desired capacity: AWS starts the group at its minimum and the scaling policy moves it.
      expect(asgSize(byName(fleet.result, A.asg, "seven-nodes"))).toEqual({ min: 2, max: 7, desired: undefined });
      // A Capacity Block, compiled while the offline block runs (2031-03-03T11:30Z to 2031-03-17T11:30Z,
      // lib/clouds/aws/offline-invokes.ts): the group holds the item's 5 and the scale-up is named for and sizes to 5.
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(new Date("2031-03-10T00:00:00Z"));
      const rid = "cr-0123456789abcdef0";
      const onBlock = { ...VM_TRAINING, pricing: "capacity-block", reservationId: rid, zone: "us-east-1a" };
      const block = await compileWith("training", "blk", onBlock, gpuNodes({ count: 5 }));
      expect(block.result.error).toBeUndefined();
      expect(asgSize(byName(block.result, A.asg, "blk-nodes"))).toEqual({ min: 0, max: 5, desired: 5 });
      expect(byName(block.result, A.schedule, `blk-block-start-${rid}-to-5`).inputs).toMatchObject({ minSize: 0, maxSize: 5, desiredCapacity: 5 });
    });

    it("EKS: the GPU node group's scalingConfig is the item's count (training) or count..maxCount (a fleet)", async () => {
      const training = await compileWith("training", "ekst", EKS_TRAINING, gpuNodes({ count: 4 }));
      expect(training.result.error).toBeUndefined();
      expect(byName(training.result, A.nodeGroup, "ekst-gpu-nodes").inputs.scalingConfig).toEqual({ minSize: 4, maxSize: 4, desiredSize: 4 });
      // An EKS fleet of 1-GPU L4 replicas packs per node (lib/planner/packing.ts); whatever the packing, the item decides.
      const eksFleet = privateEndpoint({ ...VM_FLEET, orchestrator: "kubernetes" });
      const fleet = await compileWith("inference", "eksf", eksFleet, gpuNodes({ count: 2, maxCount: 6 }));
      expect(fleet.result.error).toBeUndefined();
      expect(byName(fleet.result, A.nodeGroup, "eksf-gpu-nodes").inputs.scalingConfig).toEqual({ minSize: 2, maxSize: 6, desiredSize: 2 });
      // No instanceTypes on the GPU node group: EKS refuses them beside a launch template that names a type.
      expect(byName(fleet.result, A.nodeGroup, "eksf-gpu-nodes").inputs.instanceTypes).toBeUndefined();
    });

    it("instance type: the launch template's is the item's, which must be the plan's; another is refused before any template or group", async () => {
      const vm = await compileWith("training", "type", VM_TRAINING, (bill) => bill);
      expect(byName(vm.result, A.lt, "type-lt").inputs.instanceType).toBe("p5.48xlarge");
      const eks = await compileWith("training", "ekstype", EKS_TRAINING, (bill) => bill);
      expect(byName(eks.result, A.lt, "ekstype-lt").inputs.instanceType).toBe("p5.48xlarge");
      // p4d.24xlarge has 4 EFA cards where p5.48xlarge has 32 (lib/catalog/data/aws.ts fabricNics, laid out by
      // interface-layout.ts): the template built for the plan's type cannot launch another, so a bill naming one is an Error.
      const other = await compileWith("training", "other", VM_TRAINING, gpuNodes({ instanceType: "p4d.24xlarge" }));
      expect(String(other.result.error)).toMatch(/'gpu-nodes' item is p4d\.24xlarge, but the compiler builds the GPU nodes for the plan's p5\.48xlarge/);
      expect(ofType(other.result, A.lt)).toEqual([]);
      expect(ofType(other.result, A.asg)).toEqual([]);
      const eksOther = await compileWith("training", "eksother", EKS_TRAINING, gpuNodes({ instanceType: "p4d.24xlarge" }));
      expect(String(eksOther.result.error)).toMatch(/'gpu-nodes' item is p4d\.24xlarge/);
      expect(ofType(eksOther.result, A.nodeGroup)).toEqual([]);
      // No item, or a most below the count: the same kind of Error.
      const none = await compileWith("training", "nogpu", VM_TRAINING, replace(kind("gpu-nodes")));
      expect(String(none.result.error)).toMatch(/builds the GPU node group, but the bill of materials carries no 'gpu-nodes' item/);
      const inverted = await compileWith("inference", "inverted", VM_FLEET, gpuNodes({ count: 4, maxCount: 2 }));
      expect(String(inverted.result.error)).toMatch(/'gpu-nodes' item gives a fleet of 4 nodes at creation 2 most/);
    });
  });
});
