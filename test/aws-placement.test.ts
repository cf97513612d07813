/**
 * Which cluster placement group AWS training nodes launch in, on VMs and EKS:
 * - on-demand / spot: the group the component creates (strategy cluster);
 * - an On-Demand Capacity Reservation: the existing group the reservation was created in (`aws.placementGroupName`),
 *   never a new one; without it, none and a plan note. EC2 User Guide, "Use Capacity Reservations with cluster
 *   placement groups" (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/cr-cpg.html) and "Launch instances into an
 *   existing Capacity Reservation" (capacity-reservations-launch.html: select the cluster placement group, then the
 *   Capacity Reservation), read 2026-12-01;
 * - a capacity block: none (co-located already).
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { one, ofType, privateEndpoint, run, T } from "./helpers/offline.js";

const PG = "aws:ec2/placementGroup:PlacementGroup";
const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const base = { cloud: "aws" as const, region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 4 } };
const odcr = { reservationId: "cr-0fedcba9876543210", zone: "us-east-1c" };
const block = { pricing: "capacity-block" as const, reservationId: "cr-0123456789abcdef0", zone: "us-east-1b" };

async function compile(name: string, args: object) {
  let plan: gpu.Plan | undefined;
  const unhook = gpu.registerCostHook((e) => void (plan = e.plan));
  const result = await run(() => new gpu.TrainingCluster(name, args as gpu.TrainingClusterArgs));
  unhook();
  return { result, notes: plan?.notes.join("\n") ?? "" };
}

describe("AWS training placement group", () => {
  it("VMs, ODCR with aws.placementGroupName: the Auto Scaling group launches into that group and the reservation; no group is created", async () => {
    const { result, notes } = await compile("odcrpg", { ...base, ...odcr, aws: { placementGroupName: "p5-reserved-cpg" } });
    expect(result.error).toBeUndefined();
    expect(ofType(result, PG)).toHaveLength(0);
    expect(one(result, T.asg).inputs.placementGroup).toBe("p5-reserved-cpg");
    expect(one(result, T.lt).inputs.capacityReservationSpecification).toEqual({ capacityReservationTarget: { capacityReservationId: "cr-0fedcba9876543210" } });
    expect(notes).not.toContain("without aws.placementGroupName");
  });

  it("VMs, ODCR without it: no placement group at all, and a note that placement is not guaranteed", async () => {
    const { result, notes } = await compile("odcr", { ...base, ...odcr });
    expect(result.error).toBeUndefined();
    expect(ofType(result, PG)).toHaveLength(0);
    expect(one(result, T.asg).inputs.placementGroup).toBeUndefined();
    expect(notes).toContain(
      "placement: capacity reservation cr-0fedcba9876543210 is used without aws.placementGroupName, so the nodes launch in no cluster placement group and their closeness on the network is not guaranteed",
    );
  });

  it("VMs, on-demand: the component's own cluster placement group, as before; capacity block: none", async () => {
    const onDemand = await compile("od", base);
    expect(onDemand.result.error).toBeUndefined();
    expect(one(onDemand.result, PG).inputs.strategy).toBe("cluster");
    expect(one(onDemand.result, T.asg).inputs.placementGroup).toBeDefined();
    expect(onDemand.notes).not.toContain("aws.placementGroupName");
    const cb = await compile("cb", { ...base, ...block });
    expect(cb.result.error).toBeUndefined();
    expect(ofType(cb.result, PG)).toHaveLength(0);
    expect(one(cb.result, T.asg).inputs.placementGroup).toBeUndefined();
    expect(cb.notes).toContain("no cluster placement group: capacity block cr-0123456789abcdef0's instances are co-located in an EC2 UltraCluster already");
    expect(cb.notes).not.toContain("aws.placementGroupName");
  });

  it("EKS, ODCR with aws.placementGroupName: the GPU launch template's placement names it; none created", async () => {
    const { result } = await compile("eksodcr", privateEndpoint({ ...base, ...odcr, orchestrator: "kubernetes", aws: { placementGroupName: "p5-reserved-cpg" } }));
    expect(result.error).toBeUndefined();
    expect(ofType(result, PG)).toHaveLength(0);
    const gpuTemplate = ofType(result, T.lt).find((r) => r.inputs.instanceType === "p5.48xlarge")!.inputs;
    expect(gpuTemplate.placement).toEqual({ groupName: "p5-reserved-cpg" });
    expect(gpuTemplate.capacityReservationSpecification).toEqual({ capacityReservationTarget: { capacityReservationId: "cr-0fedcba9876543210" } });
    expect(ofType(result, NODE_GROUP).length).toBeGreaterThan(0);
  });

  it("EKS, ODCR without it: no placement in the launch template, and the note; on-demand still creates the group", async () => {
    const odcrOnly = await compile("eksnopg", privateEndpoint({ ...base, ...odcr, orchestrator: "kubernetes" }));
    expect(odcrOnly.result.error).toBeUndefined();
    expect(ofType(odcrOnly.result, PG)).toHaveLength(0);
    expect(ofType(odcrOnly.result, T.lt).find((r) => r.inputs.instanceType === "p5.48xlarge")!.inputs.placement).toBeUndefined();
    expect(odcrOnly.notes).toContain("is used without aws.placementGroupName");
    const onDemand = await compile("eksod", privateEndpoint({ ...base, orchestrator: "kubernetes" }));
    expect(one(onDemand.result, PG).inputs.strategy).toBe("cluster");
  });

  it.each([
    ["on-demand", {}, "the component creates this cluster's placement group itself (there is no reservation)"],
    ["a capacity block", block, "a capacity block's instances are co-located already and launch in no placement group"],
  ])("aws.placementGroupName with %s is a SpecError before anything is created", async (_label, extra, why) => {
    const { result } = await compile("badpg", { ...base, ...extra, aws: { placementGroupName: "p5-reserved-cpg" } });
    expect(result.error).toMatchObject({ name: "SpecError", path: "aws.placementGroupName" });
    expect(String(result.error)).toContain(why);
    expect(ofType(result, T.asg)).toHaveLength(0);
  });

  it("a name EC2 would refuse (empty, or over 255 characters) is a SpecError", async () => {
    for (const name of ["", "x".repeat(256)]) {
      const { result } = await compile("badname", { ...base, ...odcr, aws: { placementGroupName: name } });
      expect(result.error).toMatchObject({ name: "SpecError", path: "aws.placementGroupName" });
    }
  });
});
