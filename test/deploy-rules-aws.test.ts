/**
 * AWS's create-time and run-time rules, as checks over the compiled resources (the mock engine's record of what
 * `pulumi up` would send), applied to every AWS example and to a matrix of specs: VM / EKS × training / inference ×
 * on-demand / capacity block / reservation (plus storage and egress variants). Each rule carries the page it comes
 * from. A rule that does not apply to a run (no EKS cluster, no FSx, ...) passes vacuously, so every rule runs on
 * every case.
 *
 * The checks read only the compiled resources and the plan notes, never the library's own helpers, so they catch a
 * compiler that drifts from the rule even when the helpers agree with it.
 */
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { runOffline, type OfflineRun, type RecordedResource } from "../lib/preview/offline.js";
import { EXAMPLE_CONFIG } from "../scripts/example-config.js";
import { privateEndpoint } from "./helpers/offline.js";
import { eksRequestedVersion, eksStandardSupportEnded } from "../lib/cost/bom/aws-eks.js";

const TYPES = {
  subnet: "aws:ec2/subnet:Subnet",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  lt: "aws:ec2/launchTemplate:LaunchTemplate",
  asg: "aws:autoscaling/group:Group",
  schedule: "aws:autoscaling/schedule:Schedule",
  nat: "aws:ec2/natGateway:NatGateway",
  endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
  vpc: "aws:ec2/vpc:Vpc",
  eks: "aws:eks/cluster:Cluster",
  nodeGroup: "aws:eks/nodeGroup:NodeGroup",
  addon: "aws:eks/addon:Addon",
  association: "aws:eks/podIdentityAssociation:PodIdentityAssociation",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  bucket: "aws:s3/bucket:Bucket",
  fsx: "aws:fsx/lustreFileSystem:LustreFileSystem",
  efs: "aws:efs/fileSystem:FileSystem",
  pv: "kubernetes:core/v1:PersistentVolume",
  lb: "aws:lb/loadBalancer:LoadBalancer",
  netpol: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
  release: "kubernetes:helm.sh/v3:Release",
};

/** The offline Capacity Block (lib/clouds/aws/offline-invokes.ts) ends here. */
const OFFLINE_BLOCK_END = Date.parse("2031-03-17T11:30:00Z");

// ------------------------------------------------------------------ reading the record

const ofType = (run: OfflineRun, type: string) => run.resources.filter((r) => r.type === type);
/** The resource behind a mock id (`<name>-id`), or undefined for an id the component did not create. */
const byId = (run: OfflineRun, id: unknown) => run.resources.find((r) => `${r.name}-id` === id);
const ids = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);
const notes = (run: OfflineRun) => run.costEvents.flatMap((e) => e.plan.notes);

/** Does a security group rule let TCP `port` through from the group itself? */
function admitsSelf(rules: { protocol: string; fromPort: number; toPort: number; self?: boolean }[] | undefined, port: number): boolean {
  return (rules ?? []).some((r) => r.self === true && (r.protocol === "-1" || (r.protocol === "tcp" && r.fromPort <= port && port <= r.toPort)));
}

/** Usable addresses of a subnet CIDR (AWS keeps 5). */
const usable = (cidr: string) => 2 ** (32 - Number(cidr.split("/")[1])) - 5;

/** Addresses one node of a launch template takes: one per interface that has one (`efa-only` has none). */
function interfaceAddresses(lt: RecordedResource | undefined): number {
  const nics: { interfaceType?: string }[] = lt?.inputs.networkInterfaces ?? [];
  return Math.max(1, nics.filter((n) => n.interfaceType !== "efa-only").length);
}

/** The VPC CNI's per-node pod address pool on a cluster with the component's vpc-cni add-on. */
function podAddresses(run: OfflineRun): number {
  const cni = ofType(run, TYPES.addon).find((a) => a.inputs.addonName === "vpc-cni");
  if (!cni) return 0;
  const env = JSON.parse(cni.inputs.configurationValues).env ?? {};
  // Without a bound the CNI keeps a whole spare interface's addresses: count that as unbounded.
  if (env.MINIMUM_IP_TARGET === undefined || env.WARM_IP_TARGET === undefined) return Number.POSITIVE_INFINITY;
  return Number(env.MINIMUM_IP_TARGET) + Number(env.WARM_IP_TARGET);
}

// ------------------------------------------------------------------ the rules

interface Rule {
  name: string;
  /** The page the rule is measured against. */
  source: string;
  check(run: OfflineRun): void;
}

const RULES: Rule[] = [
  {
    name: "an EKS cluster's subnets span at least two availability zones",
    source: "https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html",
    check(run) {
      for (const cluster of ofType(run, TYPES.eks)) {
        const zones = new Set(ids(cluster.inputs.vpcConfig.subnetIds).map((id) => byId(run, id)?.inputs.availabilityZone));
        expect(zones.size, cluster.name).toBeGreaterThanOrEqual(2);
      }
    },
  },
  {
    name: "an Application Load Balancer's subnets span at least two availability zones",
    source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#subnets-load-balancer",
    check(run) {
      for (const lb of ofType(run, TYPES.lb)) {
        const zones = new Set(ids(lb.inputs.subnets).map((id) => byId(run, id)?.inputs.availabilityZone));
        expect(zones.size, lb.name).toBeGreaterThanOrEqual(2);
      }
    },
  },
  {
    name: "GPU nodes launch only in subnets of the zone that holds the type (the pinned zone or the first zone offering it)",
    source: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/capacity-reservations-using.html (instances use a reservation only in its zone)",
    check(run) {
      const pinned = run.costEvents[0]?.plan.zone;
      if (pinned === undefined) return;
      for (const group of [...ofType(run, TYPES.asg).map((g) => g.inputs.vpcZoneIdentifiers), ...ofType(run, TYPES.nodeGroup).filter((g) => g.name.endsWith("-gpu-nodes")).map((g) => g.inputs.subnetIds)]) {
        for (const id of ids(group)) expect(byId(run, id)?.inputs.availabilityZone).toBe(pinned);
      }
    },
  },
  {
    name: "an FSx for Lustre file system's security groups admit TCP 988 and 1018-1023 from themselves",
    source: "https://docs.aws.amazon.com/fsx/latest/LustreGuide/limit-access-security-groups.html",
    check(run) {
      for (const fs of ofType(run, TYPES.fsx)) {
        for (const id of ids(fs.inputs.securityGroupIds)) {
          const group = byId(run, id)!;
          for (const port of [988, 1018, 1023]) {
            expect(admitsSelf(group.inputs.ingress, port), `${group.name} ingress ${port}`).toBe(true);
            expect(admitsSelf(group.inputs.egress, port), `${group.name} egress ${port}`).toBe(true);
          }
        }
      }
    },
  },
  {
    name: "EFS is mounted with encryption in transit: the EFS mount helper's tls on VMs, the EFS CSI driver's encryptInTransit on EKS",
    source: "https://docs.aws.amazon.com/efs/latest/ug/encryption-in-transit.html, https://docs.aws.amazon.com/eks/latest/userguide/efs-csi.html (read 2026-11-30)",
    check(run) {
      const fileSystems = ofType(run, TYPES.efs);
      if (fileSystems.length === 0) return;
      if (ofType(run, TYPES.nodeGroup).length === 0) {
        for (const lt of ofType(run, TYPES.lt)) {
          const script = Buffer.from(lt.inputs.userData, "base64").toString();
          for (const fs of fileSystems) expect(script, lt.name).toContain(`mount -t efs -o tls '${fs.name}.offline.invalid:/'`);
          expect(script).not.toMatch(/mount -t nfs4?\b/);
        }
        // The mount helper is built at boot, before the mount (aws/efs-utils v1.36.0, bootstrap.ts EFS_UTILS).
        for (const lt of ofType(run, TYPES.lt)) expect(Buffer.from(lt.inputs.userData, "base64").toString()).toContain("amazon-efs-utils-1.36.0-1_all.deb");
        return;
      }
      for (const fs of fileSystems) {
        const pv = ofType(run, TYPES.pv).find((p) => p.inputs.spec.csi?.volumeHandle === `${fs.name}-id`);
        expect(pv?.inputs.spec.csi, fs.name).toMatchObject({ driver: "efs.csi.aws.com", volumeAttributes: { encryptInTransit: "true" } });
      }
      if (ofType(run, TYPES.eks).length > 0) expect(ofType(run, TYPES.addon).map((a) => a.inputs.addonName)).toContain("aws-efs-csi-driver");
      for (const r of run.resources.filter((r) => r.inputs?.spec?.template?.spec?.volumes)) {
        expect(r.inputs.spec.template.spec.volumes.some((v: any) => v.nfs), r.name).toBe(false);
      }
    },
  },
  {
    name: "FSx for Lustre on EKS reaches the pods through the FSx CSI driver: a static volume of the file system (DNS and mount name) and the aws-fsx-csi-driver add-on",
    source: "https://docs.aws.amazon.com/eks/latest/userguide/fsx-csi.html, kubernetes-sigs/aws-fsx-csi-driver examples/kubernetes/static_provisioning (read 2026-11-30)",
    check(run) {
      if (ofType(run, TYPES.nodeGroup).length === 0) return;
      for (const fs of ofType(run, TYPES.fsx)) {
        const pv = ofType(run, TYPES.pv).find((p) => p.inputs.spec.csi?.volumeHandle === `${fs.name}-id`);
        expect(pv?.inputs.spec.csi, fs.name).toEqual({ driver: "fsx.csi.aws.com", volumeHandle: `${fs.name}-id`, volumeAttributes: { dnsname: `${fs.name}.offline.invalid`, mountname: "offline" } });
        expect(pv!.inputs.spec.mountOptions).toEqual(["flock"]);
        if (ofType(run, TYPES.eks).length > 0) expect(ofType(run, TYPES.addon).map((a) => a.inputs.addonName)).toContain("aws-fsx-csi-driver");
      }
    },
  },
  {
    name: "a VPC without a NAT gateway has private-DNS interface endpoints for ECR, STS, EC2 and SSM in every private subnet",
    source: "https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html, https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html",
    check(run) {
      const vpc = ofType(run, TYPES.vpc)[0];
      if (!vpc || ofType(run, TYPES.nat).length > 0) return;
      const interfaces = ofType(run, TYPES.endpoint).filter((e) => e.inputs.vpcEndpointType === "Interface");
      const region = run.costEvents[0]!.plan.region;
      const privateSubnets = ofType(run, TYPES.subnet).filter((s) => s.name.includes("-private-")).map((s) => `${s.name}-id`);
      for (const service of ["ecr.api", "ecr.dkr", "sts", "ec2", "ssm", "ssmmessages", "ec2messages"]) {
        const endpoint = interfaces.find((e) => e.inputs.serviceName === `com.amazonaws.${region}.${service}`);
        expect(endpoint, service).toBeDefined();
        expect(endpoint!.inputs.privateDnsEnabled).toBe(true);
        expect(endpoint!.inputs.subnetIds).toEqual(privateSubnets);
      }
    },
  },
  {
    name: "EKS pods reach their buckets through EKS Pod Identity (pods.eks.amazonaws.com role with the grant, agent add-on), not the node role",
    source: "https://docs.aws.amazon.com/eks/latest/userguide/pod-identities.html",
    check(run) {
      if (ofType(run, TYPES.nodeGroup).length === 0 || ofType(run, TYPES.bucket).length === 0) return;
      const grants = ofType(run, TYPES.rolePolicy).filter((p) => p.inputs.policy.includes("s3:GetObject"));
      expect(grants.length).toBeGreaterThan(0);
      for (const grant of grants) {
        const role = byId(run, grant.inputs.role)!;
        expect(JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Principal.Service).toBe("pods.eks.amazonaws.com");
        expect(ofType(run, TYPES.association).some((a) => a.inputs.roleArn === `${role.name}-arn` || String(a.inputs.roleArn).includes(role.name))).toBe(true);
      }
      if (ofType(run, TYPES.eks).length > 0) expect(ofType(run, TYPES.addon).map((a) => a.inputs.addonName)).toContain("eks-pod-identity-agent");
      // The pods' egress must still reach the agent's link-local address.
      for (const policy of ofType(run, TYPES.netpol).filter((p) => p.inputs.spec.policyTypes.includes("Egress"))) {
        const blocks = policy.inputs.spec.egress.flatMap((r: any) => (r.to ?? []).map((t: any) => t.ipBlock).filter(Boolean));
        expect(blocks.some((b: any) => b.cidr === "0.0.0.0/0" && !(b.except ?? []).some((e: string) => e.startsWith("169.254.170.")))).toBe(true);
      }
    },
  },
  {
    name: "NetworkPolicies on a cluster the component creates are enforced: vpc-cni with enableNetworkPolicy",
    source: "https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy-configure.html",
    check(run) {
      if (ofType(run, TYPES.eks).length === 0 || ofType(run, TYPES.netpol).length === 0) return;
      const cni = ofType(run, TYPES.addon).find((a) => a.inputs.addonName === "vpc-cni");
      expect(JSON.parse(cni!.inputs.configurationValues).enableNetworkPolicy).toBe("true");
    },
  },
  {
    name: "an EKS fleet's GPU node group can grow: a Cluster Autoscaler release with a Pod Identity role",
    source: "https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/cloudprovider/aws/README.md",
    check(run) {
      const growable = ofType(run, TYPES.nodeGroup).filter((g) => g.name.endsWith("-gpu-nodes") && g.inputs.scalingConfig.maxSize > g.inputs.scalingConfig.minSize && g.inputs.capacityType !== "CAPACITY_BLOCK");
      if (growable.length === 0 || ofType(run, TYPES.eks).length === 0) return;
      const release = ofType(run, TYPES.release).find((r) => r.inputs.chart === "cluster-autoscaler");
      expect(release?.inputs.version).toMatch(/^\d+\.\d+\.\d+$/);
      // Its minor is the cluster's: github.com/kubernetes/autoscaler cluster-autoscaler/README.md "Releases" (read
      // 2026-11-30 at commit 55c37cd5): the release meant for the control plane's version, others untested.
      const version: string = ofType(run, TYPES.eks)[0]!.inputs.version;
      expect(version).toMatch(/^1\.\d{2}$/);
      expect(release!.inputs.values.image.tag).toMatch(new RegExp(`^v${version.replace(".", "\\.")}\\.\\d+$`));
      expect(ofType(run, TYPES.association).some((a) => a.inputs.namespace === "kube-system" && a.inputs.serviceAccount === release!.inputs.values.rbac.serviceAccount.name)).toBe(true);
    },
  },
  {
    name: "a Capacity Block group starts at 0, is scaled up at the block's start and to 0 more than 30 minutes before its end by actions of ours (an EKS node group too: EKS's own scale-down is not documented to follow it to the next block)",
    source: "https://docs.aws.amazon.com/eks/latest/userguide/capacity-blocks-mng.html (EKS creates a scale-down 40 minutes before the end), https://docs.aws.amazon.com/eks/latest/userguide/capacity-blocks.html",
    check(run) {
      const groups = [
        ...ofType(run, TYPES.nodeGroup)
          .filter((g) => g.inputs.capacityType === "CAPACITY_BLOCK")
          .map((g) => ({ desired: g.inputs.scalingConfig.desiredSize, max: g.inputs.scalingConfig.maxSize })),
        ...ofType(run, TYPES.asg)
          .filter((g) => byId(run, g.inputs.launchTemplate.id)?.inputs.instanceMarketOptions?.marketType === "capacity-block")
          .map((g) => ({ desired: g.inputs.desiredCapacity, max: g.inputs.maxSize })),
      ];
      for (const group of groups) {
        expect(group.desired).toBe(0);
        const schedules = ofType(run, TYPES.schedule);
        expect(schedules.map((s) => s.inputs.desiredCapacity).sort()).toEqual([0, group.max].sort());
        const end = schedules.find((s) => s.inputs.desiredCapacity === 0);
        expect(OFFLINE_BLOCK_END - Date.parse(end!.inputs.startTime)).toBeGreaterThan(30 * 60_000);
      }
    },
  },
  {
    name: "every GPU node's addresses fit its subnet (interfaces with an address, plus the bounded pod pool on EKS)",
    source: "https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html, https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/efa-acc-inst-types.html",
    check(run) {
      const groups = [
        ...ofType(run, TYPES.asg).map((g) => ({ subnets: ids(g.inputs.vpcZoneIdentifiers), nodes: g.inputs.maxSize, perNode: interfaceAddresses(byId(run, g.inputs.launchTemplate.id)) })),
        ...ofType(run, TYPES.nodeGroup).map((g) => ({
          subnets: ids(g.inputs.subnetIds),
          nodes: g.inputs.scalingConfig.maxSize,
          perNode: interfaceAddresses(byId(run, g.inputs.launchTemplate?.id)) + podAddresses(run),
        })),
      ];
      for (const g of groups) {
        const cidrs = g.subnets.map((id) => byId(run, id)?.inputs.cidrBlock).filter((c): c is string => c !== undefined);
        // The user's subnets (aws.subnetIds) are theirs to size.
        if (cidrs.length === 0) continue;
        expect(g.nodes * g.perNode).toBeLessThanOrEqual(Math.min(...cidrs.map(usable)));
      }
    },
  },
  {
    name: "every billed network resource built is priced, and nothing priced is missing: interface endpoints per zone-hour, NAT gateways",
    source: "https://aws.amazon.com/privatelink/pricing/, https://aws.amazon.com/vpc/pricing/",
    check(run) {
      const lines = run.costEvents.flatMap((e) => e.estimate.lines);
      const endpointZones = ofType(run, TYPES.endpoint)
        .filter((e) => e.inputs.vpcEndpointType === "Interface")
        .reduce((sum, e) => sum + ids(e.inputs.subnetIds).length, 0);
      const priced = lines.filter((l) => l.unit === "endpoint-zone-hour").reduce((sum, l) => sum + l.quantity, 0);
      expect(priced).toBe(endpointZones * 730);
      const nats = ofType(run, TYPES.nat).length;
      expect(lines.filter((l) => l.description.startsWith("NAT gateway (")).length).toBe(nats);
    },
  },
  {
    name: "an Auto Scaling group that does not wait for capacity comes with a plan note naming where and what to try",
    source: "https://docs.aws.amazon.com/autoscaling/ec2/userguide/ts-as-capacity.html",
    check(run) {
      for (const group of ofType(run, TYPES.asg).filter((g) => g.inputs.waitForCapacityTimeout === "0")) {
        const note = notes(run).find((n) => n.startsWith("capacity:"));
        expect(note, group.name).toBeDefined();
        const zone = run.costEvents[0]!.plan.zone;
        expect(note).toContain(zone !== undefined ? `zone ${zone}` : "looked up at deploy");
      }
    },
  },
];

// ------------------------------------------------------------------ the cases

const EXAMPLES = ["aws-h100-training", "aws-l4-inference", "eks-p5-training"];

const base = { cloud: "aws" as const, region: "us-east-1" };
const PRICING = {
  "on-demand": {},
  "capacity-block": { pricing: "capacity-block", reservationId: "cr-0123456789abcdef0", zone: "us-east-1c" },
  reservation: { reservationId: "cr-0fedcba9876543210", zone: "us-east-1c" },
} as const;
const STORAGE = {
  vm: [{ kind: "lustre", capacityTiB: 1.2, mountPath: "/data" }, { kind: "object", capacityTiB: 1 }, { kind: "nfs", capacityTiB: 1, mountPath: "/shared" }],
  kubernetes: [{ kind: "object", capacityTiB: 1 }, { kind: "nfs", capacityTiB: 1, mountPath: "/shared" }, { kind: "lustre", capacityTiB: 1.2, mountPath: "/data" }],
};

interface Case {
  name: string;
  program: () => unknown;
}

function matrix(): Case[] {
  const cases: Case[] = [];
  for (const orchestrator of ["vm", "kubernetes"] as const) {
    for (const workload of ["training", "inference"] as const) {
      for (const [pricing, extra] of Object.entries(PRICING)) {
        const spec = privateEndpoint({
          ...base,
          orchestrator,
          storage: STORAGE[orchestrator],
          ...(workload === "training" ? { gpu: { instanceType: "p5.48xlarge", nodes: 4 } } : { gpu: { model: "L40S" }, replicas: { min: 1, max: 4 } }),
          ...extra,
        }) as any;
        const name = `${orchestrator === "vm" ? "vm" : "eks"}-${workload === "training" ? "t" : "i"}-${pricing}`;
        cases.push({ name, program: () => (workload === "training" ? new gpu.TrainingCluster(name, spec) : new gpu.InferenceFleet(name, spec)) });
      }
    }
  }
  // Egress and family variants the rules above have something to say about: p5en's 16 addressed EFA interfaces.
  cases.push({ name: "vm-t-p5en", program: () => new gpu.TrainingCluster("vm-t-p5en", { ...base, gpu: { instanceType: "p5en.48xlarge", nodes: 64 } } as any) });
  cases.push({
    name: "eks-t-p5en",
    program: () => new gpu.TrainingCluster("eks-t-p5en", privateEndpoint({ ...base, orchestrator: "kubernetes", gpu: { instanceType: "p5en.48xlarge", nodes: 64 } }) as any),
  });
  // A fleet on a pinned older minor: the autoscaler rule above checks its tag against 1.33.
  cases.push({
    name: "eks-i-k8s-1.33",
    program: () => new gpu.InferenceFleet("eks-i-k8s-1.33", privateEndpoint({ ...base, orchestrator: "kubernetes", gpu: { model: "L40S" }, replicas: { min: 1, max: 4 }, aws: { eks: { kubernetesVersion: "1.33" } } }) as any),
  });
  cases.push({ name: "vm-t-no-nat", program: () => new gpu.TrainingCluster("vm-t-no-nat", { ...base, gpu: { instanceType: "p5.48xlarge", nodes: 2 }, egress: { natGateway: false } } as any) });
  // Air-gapped, the server comes from the account's ECR with the weights inside it (lib/clouds/aws/air-gapped-fleet.ts).
  const ecrServer = { image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/vllm-qwen3:v0.11.0", model: "/models/Qwen3-8B" };
  cases.push({ name: "vm-i-no-nat", program: () => new gpu.InferenceFleet("vm-i-no-nat", { ...base, gpu: { model: "L4" }, replicas: { min: 1, max: 2 }, egress: { natGateway: false }, aws: { modelServer: ecrServer } } as any) });
  cases.push({
    name: "vm-i-public",
    program: () => new gpu.InferenceFleet("vm-i-public", { ...base, gpu: { model: "L4" }, replicas: { min: 1, max: 2 }, loadBalancer: "internet-facing", aws: { certificateArn: "arn:aws:acm:us-east-1:000000000000:certificate/offline", allowedSourceRanges: ["203.0.113.0/24"] } } as any),
  });
  return cases;
}

/**
 * A fleet on a Capacity Block is refused up front (lib/planner/offering.ts: a block's schedule sizes a training group).
 * A fleet on a reservation compiles (its replicas in the reservation's zone, the load balancer in two) and meets every
 * rule above.
 */
const REFUSED = new Set(["vm-i-capacity-block", "eks-i-capacity-block"]);

describe("AWS deploy rules", () => {
  const runs = new Map<string, Promise<OfflineRun>>();
  const runOf = (key: string, make: () => Promise<OfflineRun>) => {
    if (!runs.has(key)) runs.set(key, make());
    return runs.get(key)!;
  };

  describe.each(EXAMPLES)("example %s", (example) => {
    const get = () =>
      runOf(`example:${example}`, () =>
        runOffline(async () => {
          await import(path.join("..", "examples", example, "index.ts"));
        }, { config: EXAMPLE_CONFIG }),
      );
    it("compiles", async () => expect((await get()).error).toBeUndefined());
    it.each(RULES.map((r) => [`${r.name} (${r.source})`, r] as const))("%s", async (_, rule) => rule.check(await get()));
  });

  describe.each(matrix().map((c) => [c.name, c] as const))("spec %s", (name, c) => {
    const get = () => runOf(`spec:${name}`, () => runOffline(c.program));
    if (REFUSED.has(name)) {
      it("is refused before anything is built", async () => {
        const result = await get();
        expect(result.error).toMatchObject({ name: "SpecError", path: "pricing" });
        expect(result.resources.filter((r) => r.custom)).toHaveLength(0);
      });
      return;
    }
    it("compiles", async () => expect((await get()).error).toBeUndefined());
    it.each(RULES.map((r) => [`${r.name} (${r.source})`, r] as const))("%s", async (_, rule) => rule.check(await get()));
  });

  it("the rules are not vacuous: across all cases each one met something it checks", async () => {
    const all = await Promise.all([...runs.values()]);
    const has = (type: string, pred: (r: RecordedResource) => boolean = () => true) => all.some((run) => run.resources.some((r) => r.type === type && pred(r)));
    expect(has(TYPES.eks)).toBe(true);
    expect(has(TYPES.lb)).toBe(true);
    expect(has(TYPES.fsx)).toBe(true);
    expect(has(TYPES.pv, (r) => r.inputs.spec.csi?.driver === "efs.csi.aws.com")).toBe(true);
    expect(has(TYPES.pv, (r) => r.inputs.spec.csi?.driver === "fsx.csi.aws.com")).toBe(true);
    expect(has(TYPES.lt, (r) => Buffer.from(r.inputs.userData ?? "", "base64").toString().includes("mount -t efs -o tls"))).toBe(true);
    expect(has(TYPES.endpoint, (r) => r.inputs.vpcEndpointType === "Interface")).toBe(true);
    expect(has(TYPES.association)).toBe(true);
    expect(has(TYPES.nodeGroup, (r) => r.inputs.capacityType === "CAPACITY_BLOCK")).toBe(true);
    expect(has(TYPES.release, (r) => r.inputs.chart === "cluster-autoscaler")).toBe(true);
    expect(has(TYPES.asg, (r) => r.inputs.waitForCapacityTimeout === "0")).toBe(true);
  });
});

/**
 * The Cluster Autoscaler release per EKS version (issue 12). Tags: github.com/kubernetes/autoscaler release tags
 * `cluster-autoscaler-1.33.6` and `cluster-autoscaler-1.35.2` (commits of 2026-07-22, read 2026-11-30); the README's
 * "Releases" section asks for the minor of the cluster's control plane.
 */
describe("EKS fleet: the Cluster Autoscaler matches the cluster's Kubernetes minor", () => {
  const fleet = (name: string, eks: Record<string, unknown> = {}) => () =>
    new gpu.InferenceFleet(name, privateEndpoint({ ...base, orchestrator: "kubernetes", gpu: { model: "L40S" }, replicas: { min: 1, max: 4 }, aws: { eks } }) as any);
  const autoscaler = (run: OfflineRun) => run.resources.find((r) => r.type === TYPES.release && r.inputs.chart === "cluster-autoscaler");
  const cluster = (run: OfflineRun) => run.resources.find((r) => r.type === TYPES.eks)!;

  it("unpinned: the cluster is created on 1.35 and the autoscaler runs v1.35.2 (not the chart's v1.35.0 appVersion)", async () => {
    const run = await runOffline(fleet("ca-default"));
    expect(run.error).toBeUndefined();
    expect(cluster(run).inputs.version).toBe("1.35");
    expect(autoscaler(run)!.inputs.values.image).toEqual({ tag: "v1.35.2" });
  });

  it("pinned 1.33: the autoscaler runs v1.33.6", async () => {
    const run = await runOffline(fleet("ca-133", { kubernetesVersion: "1.33" }));
    expect(run.error).toBeUndefined();
    expect(cluster(run).inputs.version).toBe("1.33");
    expect(autoscaler(run)!.inputs.values.image).toEqual({ tag: "v1.33.6" });
  });

  // 1.31 left extended support on 2026-11-26 (refused for that now): 1.37, not yet in the EKS calendar, has no row either.
  it("pinned 1.37, which has no autoscaler row: a SpecError naming the field and the versions that have one, before anything is built", async () => {
    const run = await runOffline(fleet("ca-137", { kubernetesVersion: "1.37" }));
    expect(run.error).toMatchObject({ name: "SpecError", path: "aws.eks.kubernetesVersion" });
    expect(String((run.error as Error).message)).toContain("1.32, 1.33, 1.34, 1.35, 1.36");
    expect(run.resources.filter((r) => r.custom)).toHaveLength(0);
  });
});

/**
 * Security groups that admit "the VPC" admit every IPv4 block of it (issue 12): an existing VPC with a secondary block
 * (runners, nodes or pods with EKS custom networking in 100.64.0.0/16) must reach the private API endpoint and the
 * fleet's internal load balancer, and the load balancer its nodes. A rule admits only the blocks it names
 * (https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html, read 2026-11-30); DescribeVpcs lists
 * each block with its state (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_VpcCidrBlockAssociation.html),
 * and a block being disassociated holds no addresses.
 */
describe("security groups admit every block of the VPC, not only the primary", () => {
  const twoBlocks = (inputs: Record<string, any>) => ({
    ...inputs,
    cidrBlock: "10.0.0.0/16",
    cidrBlockAssociations: [
      { associationId: "vpc-cidr-assoc-1", cidrBlock: "10.0.0.0/16", state: "associated" },
      { associationId: "vpc-cidr-assoc-2", cidrBlock: "100.64.0.0/16", state: "associated" },
      { associationId: "vpc-cidr-assoc-3", cidrBlock: "100.65.0.0/16", state: "disassociating" },
    ],
  });
  const BLOCKS = ["10.0.0.0/16", "100.64.0.0/16"];
  const existing = { vpcId: "vpc-0a1b", subnetIds: ["subnet-a", "subnet-b"] };
  const group = (run: OfflineRun, name: string) => run.resources.find((r) => r.type === TYPES.sg && r.name === name)!.inputs;

  it("EKS: the private API endpoint's group admits HTTPS from both associated blocks and privateAccessCidrs", async () => {
    const run = await runOffline(
      () => new gpu.TrainingCluster("api2", privateEndpoint({ ...base, orchestrator: "kubernetes", gpu: { instanceType: "p5.48xlarge", nodes: 2 }, aws: { ...existing, eks: { privateAccessCidrs: ["192.168.0.0/24"] } } }) as any),
      { invokes: { "aws:ec2/getVpc:getVpc": twoBlocks } },
    );
    expect(run.error).toBeUndefined();
    expect(group(run, "api2-api-sg").ingress).toEqual([{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: [...BLOCKS, "192.168.0.0/24"], description: "kubectl / pulumi up" }]);
  });

  it("VM fleet: the internal load balancer admits clients from both blocks and reaches nodes in both; nodes take storage callbacks from both", async () => {
    const run = await runOffline(
      () => new gpu.InferenceFleet("lb2", { ...base, gpu: { model: "L4" }, replicas: { min: 1, max: 2 }, aws: existing, storage: [{ kind: "lustre", capacityTiB: 1.2, mountPath: "/w" }] } as any),
      { invokes: { "aws:ec2/getVpc:getVpc": twoBlocks } },
    );
    expect(run.error).toBeUndefined();
    const lb = group(run, "lb2-lb-sg");
    expect(lb.ingress.map((r: any) => [r.fromPort, r.cidrBlocks])).toEqual([[80, BLOCKS]]);
    expect(lb.egress.map((r: any) => [r.fromPort, r.cidrBlocks])).toEqual([[8000, BLOCKS]]);
    const nodes = group(run, "lb2-nodes-sg");
    expect(nodes.ingress.filter((r: any) => r.cidrBlocks).map((r: any) => [r.fromPort, r.cidrBlocks])).toEqual([[988, BLOCKS], [1018, BLOCKS]]);
    expect(nodes.egress.filter((r: any) => r.fromPort === 2049 || r.fromPort === 988).map((r: any) => r.cidrBlocks)).toEqual([BLOCKS, BLOCKS]);
  });
});

/**
 * Extended support is priced from the version the cluster is created on, the default included (issue 12): an unpinned
 * cluster stays on the default it was created with (ignoreChanges), so it reaches the end of standard support like a
 * pinned one. EKS: 14 months of standard support, then extended support billed per cluster-hour
 * (https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html, https://aws.amazon.com/eks/pricing/).
 */
describe("EKS extended support: priced from the version requested, the default included", () => {
  it("unpinned: the version priced is the one the cluster is created on (1.35), in extended support after 2027-03-27", async () => {
    const run = await runOffline(() => new gpu.TrainingCluster("xs", privateEndpoint({ ...base, orchestrator: "kubernetes", gpu: { instanceType: "p5.48xlarge", nodes: 2 } }) as any));
    expect(run.error).toBeUndefined();
    const created = run.resources.find((r) => r.type === TYPES.eks)!.inputs.version;
    expect(eksRequestedVersion({})).toBe(created);
    expect(created).toBe("1.35");
    expect(eksStandardSupportEnded(eksRequestedVersion({}), "2027-03-26")).toBeUndefined();
    expect(eksStandardSupportEnded(eksRequestedVersion({}), "2027-04-01")).toBe("2027-03-27");
  });

  it("pinned: the pinned version is priced (1.33 ended standard support on 2026-07-29)", () => {
    expect(eksRequestedVersion({ eks: { kubernetesVersion: "1.33" } })).toBe("1.33");
    expect(eksStandardSupportEnded(eksRequestedVersion({ eks: { kubernetesVersion: "1.33" } }), "2026-11-30")).toBe("2026-07-29");
  });
});

describe("EKS file systems on an existing cluster: its own CSI drivers, which the plan names", () => {
  it("builds no add-on, and says which drivers the cluster must run", async () => {
    const run = await runOffline(
      () =>
        new gpu.TrainingCluster("join", {
          ...base,
          orchestrator: "kubernetes",
          gpu: { instanceType: "p5.48xlarge", nodes: 2 },
          storage: [{ kind: "nfs", capacityTiB: 1, mountPath: "/home" }, { kind: "lustre", capacityTiB: 1.2, mountPath: "/data" }],
          aws: { vpcId: "vpc-0a1b", subnetIds: ["subnet-a", "subnet-b"], eks: { clusterName: "shared" } },
        } as any),
    );
    expect(run.error).toBeUndefined();
    expect(ofType(run, TYPES.addon)).toEqual([]);
    expect(ofType(run, TYPES.pv).map((p) => p.inputs.spec.csi.driver).sort()).toEqual(["efs.csi.aws.com", "fsx.csi.aws.com"]);
    const said = notes(run).filter((n) => n.startsWith("storage:"));
    expect(said).toEqual([
      "storage: EFS volumes are mounted over TLS by the EFS CSI driver (efs.csi.aws.com); cluster shared must run it (add-on aws-efs-csi-driver)",
      "storage: FSx for Lustre volumes are mounted by the FSx for Lustre CSI driver (fsx.csi.aws.com); cluster shared must run it (add-on aws-fsx-csi-driver)",
    ]);
  });
});
