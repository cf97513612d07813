/**
 * The compilers' option checks: plain functions that read the plan and return what they found (its notes, and on
 * managed Kubernetes whether the cluster is created or joined); the component applies it (lib/components/build.ts).
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { eksCompiler } from "../lib/clouds/aws/eks/index.js";
import { awsCompiler } from "../lib/clouds/aws/index.js";
import { capacityNote } from "../lib/clouds/aws/options.js";
import { aksCompiler } from "../lib/clouds/azure/aks/index.js";
import { azureCompiler } from "../lib/clouds/azure/index.js";
import { coreweaveCompiler } from "../lib/clouds/coreweave/index.js";
import { gkeCompiler } from "../lib/clouds/gcp/gke/index.js";
import { gcpCompiler } from "../lib/clouds/gcp/index.js";
import type { CloudCompiler } from "../lib/clouds/types.js";
import { prepare } from "../lib/components/build.js";
import { billOfMaterials, DESCRIPTORS, targetOf, TARGETS, type TargetId } from "../lib/cost/bom/index.js";
import type { Plan } from "../lib/planner/types.js";
import "./helpers/register-compilers.js";

const SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGpuY2x1c3RlcnRlc3RrZXlub3RyZWFsMDAwMDAwMDA0 ops@example";
const PRIVATE = { publicEndpoint: false };

/** Run a check on a plan and fail if it changed the plan. */
function checked<O>(compiler: CloudCompiler<O>, plan: Plan, options: O) {
  const before = structuredClone(plan);
  const result = compiler.checkOptions(plan, options);
  expect(plan).toEqual(before);
  return result;
}

describe("managed Kubernetes option checks", () => {
  const eks = gpu.planCluster({ cloud: "aws", region: "us-east-1", orchestrator: "kubernetes", gpu: { instanceType: "p5.48xlarge", nodes: 2 } });
  const gke = gpu.planCluster({ cloud: "gcp", region: "us-central1", orchestrator: "kubernetes", gpu: { instanceType: "a3-megagpu-8g", nodes: 2 } });
  const aks = gpu.planCluster({ cloud: "azure", region: "eastus", orchestrator: "kubernetes", gpu: { instanceType: "Standard_ND96isr_H100_v5", nodes: 2 } });

  it("a new cluster is 'created', with the system pool's note", () => {
    const cases = [
      [checked(eksCompiler, eks, { eks: PRIVATE }), "EKS"],
      [checked(gkeCompiler, gke, { gke: PRIVATE }), "GKE"],
      [checked(aksCompiler, aks, { aks: PRIVATE }), "AKS"],
    ] as const;
    for (const [check, service] of cases) {
      expect(check.kubernetesCluster).toBe("created");
      expect(check.notes.filter((n) => n.startsWith(`${service}: a system node pool (`))).toHaveLength(1);
    }
  });

  it("an existing cluster is 'existing', and the notes say its fee is already paid", () => {
    const cases = [
      [checked(eksCompiler, eks, { eks: { clusterName: "shared" }, vpcId: "vpc-0abc", subnetIds: ["subnet-0abc"] }), "EKS"],
      [checked(gkeCompiler, gke, { gke: { clusterName: "shared", installClusterAddons: false } }), "GKE"],
      [checked(aksCompiler, aks, { aks: { clusterName: "shared", resourceGroupName: "shared-rg" } }), "AKS"],
    ] as const;
    for (const [check, service] of cases) {
      expect(check.kubernetesCluster).toBe("existing");
      expect(check.notes.some((n) => n.startsWith(`${service}: existing cluster 'shared': no cluster is created, so its control-plane fee`))).toBe(true);
    }
  });

  it("EKS: an existing cluster's add-on requirements and a capacity block's schedule are notes", () => {
    const block = gpu.planCluster({ cloud: "aws", region: "us-east-1", orchestrator: "kubernetes", gpu: { instanceType: "p5.48xlarge", nodes: 2 }, pricing: "capacity-block", reservationId: "cr-0123456789abcdef0", zone: "us-east-1a" });
    const check = checked(eksCompiler, block, { eks: { clusterName: "shared" }, vpcId: "vpc-0abc", subnetIds: ["subnet-0abc"] });
    expect(check.notes.filter((n) => n.startsWith("capacity block cr-0123456789abcdef0: the GPU node group's size follows the block, 0 nodes before it starts, 2 while it runs and 0 from 45 minutes before it ends (scheduled actions on its Auto Scaling group, named after the block, move it at those times; each `up` sets it to the size of the moment, so an `up` before the start creates the group empty); EKS adds its own scale-down 40 minutes before the end"))).toHaveLength(1);
    expect(check.notes.filter((n) => n.startsWith("existing EKS cluster 'shared': the component's NetworkPolicies are enforced only if its vpc-cni add-on runs the network policy agent"))).toHaveLength(1);
  });

  it("prepare puts the check on the component's plan: the notes once each, and the cluster's source", () => {
    const { plan, estimate } = prepare("training", "joined", {
      cloud: "gcp",
      region: "us-central1",
      orchestrator: "kubernetes",
      gpu: { instanceType: "a3-megagpu-8g", nodes: 2 },
      gcp: { gke: { clusterName: "shared", installClusterAddons: false } },
    });
    expect(plan.kubernetesCluster).toBe("existing");
    expect(new Set(plan.notes).size).toBe(plan.notes.length);
    expect(plan.notes.filter((n) => n.startsWith("GKE: existing cluster 'shared': no cluster is created"))).toHaveLength(1);
    // The existing cluster's fee is not priced.
    expect(estimate.billOfMaterials.map((b) => b.kind)).not.toContain("control-plane");
  });
});

describe("VM and CoreWeave option checks", () => {
  it("return notes and no cluster source", () => {
    const aws = gpu.planCluster({ cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 } });
    const gcp = gpu.planCluster({ cloud: "gcp", region: "us-central1", gpu: { instanceType: "a3-megagpu-8g", nodes: 2 } });
    const azure = gpu.planFleet({ cloud: "azure", region: "eastus", gpu: { instanceType: "Standard_NC24ads_A100_v4" }, replicas: { min: 1, max: 4 } });
    const coreweave = gpu.planCluster({ cloud: "coreweave", region: "US-EAST-04", orchestrator: "kubernetes", gpu: { instanceType: "gd-8xh100ib-i128", nodes: 2 } });
    const awsCheck = checked(awsCompiler, aws, undefined);
    expect(awsCheck.kubernetesCluster).toBeUndefined();
    // The Auto Scaling group does not wait for its nodes: the capacity note says so.
    expect(awsCheck.notes.filter((n) => n.startsWith("capacity: `up` does not wait for the 2 × p5.48xlarge nodes"))).toHaveLength(1);
    const gcpCheck = checked(gcpCompiler, gcp, undefined);
    expect(gcpCheck.notes.filter((n) => n.startsWith("GCP capacity: the a3-megagpu-8g managed instance group"))).toHaveLength(1);
    const azureCheck = checked(azureCompiler, azure, { sshPublicKey: SSH_KEY });
    expect(azureCheck.notes.filter((n) => n.startsWith("Azure VM fleet: scales on new client connections per replica (the load balancer's SYN count)"))).toHaveLength(1);
    expect(azureCheck.notes.filter((n) => n.startsWith("GPU capacity: the scale set can run fewer than the planned 4 × Standard_NC24ads_A100_v4"))).toHaveLength(1);
    const coreweaveCheck = checked(coreweaveCompiler, coreweave, { kueue: true });
    expect(coreweaveCheck.kubernetesCluster).toBeUndefined();
    expect(coreweaveCheck.notes.filter((n) => n.endsWith("CoreWeave: the cluster must run Kueue (CoreWeave's coreweave/cks-kueue chart); the component creates the queues only."))).toHaveLength(1);
  });
});

describe("one descriptor per target", () => {
  // The compiler of each target (lib/components/compilers.ts picks them by cloud and orchestrator).
  const COMPILERS: Record<TargetId, CloudCompiler<never>> = {
    "aws-vm": awsCompiler,
    "aws-eks": eksCompiler,
    "gcp-vm": gcpCompiler,
    "gcp-gke": gkeCompiler,
    "azure-vm": azureCompiler,
    "azure-aks": aksCompiler,
    coreweave: coreweaveCompiler,
  };
  // A plan and an option bag per target, each with a note its check must add and an existing cluster on the managed ones.
  const cases: { plan: Plan; options: unknown; note: string; cluster?: "existing" }[] = [
    { plan: gpu.planCluster({ cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 } }), options: undefined, note: "capacity: `up` does not wait for the 2 × p5.48xlarge nodes" },
    {
      plan: gpu.planCluster({ cloud: "aws", region: "us-east-1", orchestrator: "kubernetes", gpu: { instanceType: "p5.48xlarge", nodes: 2 } }),
      options: { eks: { clusterName: "shared" }, vpcId: "vpc-0abc", subnetIds: ["subnet-0abc"] },
      note: "EKS: existing cluster 'shared': no cluster is created, so its control-plane fee",
      cluster: "existing",
    },
    { plan: gpu.planCluster({ cloud: "gcp", region: "us-central1", gpu: { instanceType: "a3-megagpu-8g", nodes: 2 } }), options: undefined, note: "GCP fabric gate: 'pulumi up' waits for a two-node NCCL all-reduce" },
    {
      plan: gpu.planCluster({ cloud: "gcp", region: "us-central1", orchestrator: "kubernetes", gpu: { instanceType: "a3-megagpu-8g", nodes: 2 } }),
      options: { gke: { clusterName: "shared", installClusterAddons: false } },
      note: "GKE: existing cluster 'shared': no cluster is created, so its control-plane fee",
      cluster: "existing",
    },
    {
      plan: gpu.planFleet({ cloud: "azure", region: "eastus", gpu: { instanceType: "Standard_NC24ads_A100_v4" }, replicas: { min: 1, max: 4 } }),
      options: { sshPublicKey: SSH_KEY },
      note: "Azure VM fleet: scales on new client connections per replica (the load balancer's SYN count)",
    },
    {
      plan: gpu.planCluster({ cloud: "azure", region: "eastus", orchestrator: "kubernetes", gpu: { instanceType: "Standard_ND96isr_H100_v5", nodes: 2 } }),
      options: { aks: { clusterName: "shared", resourceGroupName: "shared-rg" } },
      note: "AKS: existing cluster 'shared': no cluster is created, so its control-plane fee",
      cluster: "existing",
    },
    {
      plan: gpu.planCluster({ cloud: "coreweave", region: "US-EAST-04", orchestrator: "kubernetes", gpu: { instanceType: "gd-8xh100ib-i128", nodes: 2 } }),
      options: { kueue: true },
      // The queue note (the cluster's Kueue configuration is a note of its own, "Kueue on CoreWeave: …").
      note: "Kueue: the training Job queues",
    },
  ];

  it("covers every target once", () => {
    expect(cases.map((c) => targetOf(c.plan)).sort()).toEqual([...TARGETS].sort());
  });

  it.each(cases.map((c) => [targetOf(c.plan), c] as const))("%s: the compiler's option check is its descriptor's, and finds the same", (target, c) => {
    const descriptor = DESCRIPTORS[target];
    expect(descriptor.id).toBe(target);
    expect(descriptor.cloud).toBe(c.plan.cloud);
    expect(COMPILERS[target].checkOptions).toBe(descriptor.checkOptions);
    const before = structuredClone(c.plan);
    const fromDescriptor = descriptor.checkOptions(c.plan, c.options);
    expect(c.plan).toEqual(before);
    expect(checked(COMPILERS[target], c.plan, c.options as never)).toEqual(fromDescriptor);
    expect(fromDescriptor.notes.filter((n) => n.includes(c.note))).toHaveLength(1);
    expect(fromDescriptor.kubernetesCluster).toBe(c.cluster ?? (target.endsWith("-vm") || target === "coreweave" ? undefined : "created"));
    // The offering rules are the cloud's: a plan the planner made passes them.
    expect(() => descriptor.checkOffering(c.plan)).not.toThrow();
  });

  it("the bill reads the cluster mode the option check reports, before the plan is marked", () => {
    for (const c of cases.filter((x) => x.cluster === "existing")) {
      const target = targetOf(c.plan);
      expect(c.plan.kubernetesCluster, target).toBeUndefined();
      expect(DESCRIPTORS[target].checkOptions(c.plan, c.options).kubernetesCluster, target).toBe("existing");
      // Joined by name: no control plane, system pool or cluster key on the bill.
      const kinds = billOfMaterials(c.plan, c.options).map((b) => b.kind);
      expect(kinds, target).not.toContain("control-plane");
      expect(kinds, target).not.toContain("system-nodes");
      // The same plan creating its cluster carries them.
      expect(billOfMaterials(c.plan, undefined).map((b) => b.kind), target).toEqual(expect.arrayContaining(["control-plane", "system-nodes"]));
    }
  });

  it("a capacity-block plan without its reservation is refused by the AWS descriptors' offering rules", () => {
    const plan = gpu.planCluster({ cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 } });
    const block = { ...plan, pricing: "capacity-block" as const, reservationId: undefined };
    for (const target of ["aws-vm", "aws-eks"] as const) expect(() => DESCRIPTORS[target].checkOffering(block)).toThrow(/reservationId: capacity-block pricing launches into a purchased Capacity Block/);
  });

  it("lib/cost/bom and the option modules it reads load no Pulumi package (the option checks and bills run without one)", () => {
    // Node's own require, through tsx, in a fresh process: the @pulumi packages each module adds to the require cache.
    const modules = [
      "lib/cost/bom/index.ts",
      "lib/clouds/aws/options.ts",
      "lib/clouds/aws/eks/options.ts",
      "lib/clouds/gcp/options.ts",
      "lib/clouds/gcp/gke/options.ts",
      "lib/clouds/azure/options.ts",
      "lib/clouds/azure/aks/options.ts",
      "lib/clouds/coreweave/options.ts",
      // A compiler module does load its SDK: the probe sees it.
      "lib/clouds/aws/storage.ts",
    ];
    const script = `
      const sdks = () => [...new Set(Object.keys(require.cache).map((k) => (/node_modules[\\/](@pulumi[\\/][^\\/]+)/.exec(k) || [])[1]).filter(Boolean))].sort();
      const found = {};
      for (const m of process.argv.slice(1)) { require("./" + m); found[m] = sdks(); }
      console.log(JSON.stringify(found));
    `;
    const root = path.resolve(__dirname, "..");
    const out = execFileSync(process.execPath, ["--import", "tsx", "-e", script, ...modules], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    const found = JSON.parse(out.trim().split("\n").pop()!) as Record<string, string[]>;
    // No Pulumi package at all (issue 15: one pure descriptor per target, with no Pulumi imports).
    for (const m of modules.slice(0, -1)) expect(found[m], m).toEqual([]);
    expect(found["lib/clouds/aws/storage.ts"]).toEqual(["@pulumi/aws", "@pulumi/pulumi"]);
  }, 60_000);
});

describe("AWS capacity note: what to try when the group stays short", () => {
  // With a reservation the nodes launch only into it: its free instances (AvailableInstanceCount,
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CapacityReservation.html, read 2026-12-01) are the question.
  const p5 = { cloud: "aws" as const, region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 4 } };
  it("on-demand: another zone, a reservation or a block, or fewer nodes", () => {
    expect(capacityNote(gpu.planCluster(p5))).toContain(
      "if it stays short, wait (the Auto Scaling group keeps retrying), pin another zone (zone), use a capacity reservation or capacity block (reservationId, pricing: 'capacity-block'), or ask for fewer nodes",
    );
  });
  it("an On-Demand Capacity Reservation: its free slots, checked with describe-capacity-reservations; no advice to buy what the plan already targets", () => {
    const note = capacityNote(gpu.planCluster({ ...p5, reservationId: "cr-0123456789abcdef0", zone: "us-east-1a" }));
    expect(note).toContain(
      "if it stays short, check how many of reservation cr-0123456789abcdef0's instances are free (others running in it, or fewer reserved than nodes): `aws ec2 describe-capacity-reservations --capacity-reservation-ids cr-0123456789abcdef0` (AvailableInstanceCount), then free or add instances there",
    );
    expect(note).not.toContain("a capacity reservation or capacity block");
  });
  it("a Capacity Block: the block's free instances once it has started", () => {
    const note = capacityNote(gpu.planCluster({ ...p5, pricing: "capacity-block", reservationId: "cr-0123456789abcdef0", zone: "us-east-1a" }));
    // By phase (capacity-block-rules.ts, blockSizeAt): a first `up` during the block creates the group at its count.
    expect(note).toContain("The group's size follows the capacity block, 0 nodes before it starts, 4 while it runs and 0 from 45 minutes before it ends (scheduled actions move it then; each `up` sets the size of the moment).");
    expect(note).not.toContain("starts empty");
    expect(note).toContain("if it stays short, once the block has started (its group is empty before), check how many of its instances are free");
    expect(note).toContain("--capacity-reservation-ids cr-0123456789abcdef0` (AvailableInstanceCount)");
    expect(note).not.toContain("another zone");
    expect(note).not.toContain("a capacity reservation or capacity block");
  });
});
