/**
 * A Capacity Block's group across the block's life, with the node count changed before and after the block's start.
 * Auto Scaling refuses a scheduled action in the past ("If you try to schedule your action in the past, Amazon EC2
 * Auto Scaling returns an error message", https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PutScheduledUpdateGroupAction.html,
 * read 2026-12-01), and the provider's update of an action is a put of the whole action, its start time included
 * (terraform-provider-aws internal/service/autoscaling/schedule.go, `Update: resourceScheduleCreate`, read 2026-12-01).
 * So the scale-up is never updated: a new node count is a new action (a new name), due at the block's start or, once
 * the block has started, a few minutes ahead; and the group's own desired size is the block's size at that moment.
 *
 * The offline block (lib/clouds/aws/offline-invokes.ts) runs 2031-03-03T11:30Z to 2031-03-17T11:30Z; the clock is set
 * (only `Date`) to a moment before, during and after it, so every time below is hand-computed from those dates.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import * as gpu from "gpu-cluster";
import { blockPhaseSizes, blockPhasesText, blockScaleDownTime, blockScaleUp, blockSizeAt } from "../lib/clouds/aws/capacity-block-rules.js";
import { byName, ofType, privateEndpoint, runRecording } from "./helpers/offline.js";

const SCHEDULE = "aws:autoscaling/schedule:Schedule";
const RID = "cr-0123456789abcdef0";
const START = "2031-03-03T11:30:00Z";
const END = "2031-03-17T11:30:00Z";

const cluster = (path: "VM" | "EKS", nodes: number) => () =>
  new gpu.TrainingCluster(
    "blk",
    privateEndpoint({
      cloud: "aws",
      region: "us-east-1",
      ...(path === "EKS" ? { orchestrator: "kubernetes" as const } : {}),
      pricing: "capacity-block",
      reservationId: RID,
      zone: "us-east-1a",
      gpu: { instanceType: "p5.48xlarge", nodes },
    } as gpu.TrainingClusterArgs),
  );

/** The group's desired size and maximum as compiled: the ASG's on VMs, the managed node group's on EKS. */
function groupSize(path: "VM" | "EKS", result: Awaited<ReturnType<typeof runRecording>>["result"]): { desired: number; max: number } {
  if (path === "VM") {
    const g = byName(result, "aws:autoscaling/group:Group", "blk-nodes").inputs;
    return { desired: g.desiredCapacity, max: g.maxSize };
  }
  const g = byName(result, "aws:eks/nodeGroup:NodeGroup", "blk-gpu-nodes").inputs.scalingConfig;
  return { desired: g.desiredSize, max: g.maxSize };
}

/** Compiles the cluster with `nodes` nodes as an `up` at `at` would. */
async function compileAt(path: "VM" | "EKS", nodes: number, at: string) {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(at));
  const { result, registrations } = await runRecording(cluster(path, nodes));
  expect(result.error).toBeUndefined();
  // By name: the two actions register in the order their inputs resolve.
  const schedules = ofType(result, SCHEDULE).sort((a, b) => a.name.localeCompare(b.name));
  const end = byName(result, SCHEDULE, `blk-block-end-${RID}`);
  return { result, registrations, schedules, end, group: groupSize(path, result) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("a block's scale-up and the group's size (blockScaleUp, blockSizeAt)", () => {
  const at = (iso: string) => Date.parse(iso);
  it("before the start: the action is due at the start and sizes the group to the count; the group is empty", () => {
    expect(blockScaleUp(START, END, 4, at("2031-03-01T00:00:00Z"))).toEqual({ startTime: START, desiredCapacity: 4 });
    expect(blockSizeAt(START, END, 4, at("2031-03-01T00:00:00Z"))).toBe(0);
  });
  it("while the block runs: an action created now is due 5 minutes ahead, never at the past start; the group holds the count", () => {
    expect(blockScaleUp(START, END, 6, at("2031-03-10T00:00:00Z"))).toEqual({ startTime: "2031-03-10T00:05:00Z", desiredCapacity: 6 });
    expect(blockSizeAt(START, END, 6, at(START))).toBe(6);
    // Until 5 minutes before the drain time: the group's put lands after the clock is read.
    expect(blockSizeAt(START, END, 6, at("2031-03-17T10:39:59Z"))).toBe(6);
  });
  it("from 5 minutes before the drain time (45 minutes before the end): the group is empty, and a new action keeps it so", () => {
    expect(blockSizeAt(START, END, 6, at("2031-03-17T10:40:00Z"))).toBe(0);
    expect(blockSizeAt(START, END, 6, at("2031-03-17T10:45:00Z"))).toBe(0);
    // Created at 10:41, the action would run at 10:46, after the drain time: it sets 0, not 6.
    expect(blockScaleUp(START, END, 6, at("2031-03-17T10:41:00Z"))).toEqual({ startTime: "2031-03-17T10:46:00Z", desiredCapacity: 0 });
    expect(blockScaleUp(START, END, 6, at("2031-03-17T10:39:00Z"))).toEqual({ startTime: "2031-03-17T10:44:00Z", desiredCapacity: 6 });
    expect(blockScaleUp(START, END, 6, at("2031-03-20T00:00:00Z"))).toEqual({ startTime: "2031-03-20T00:05:00Z", desiredCapacity: 0 });
  });
});

describe("the scale-down's time (blockScaleDownTime)", () => {
  const at = (iso: string) => Date.parse(iso);
  it("the drain time while it is 5 minutes ahead or more; past that, the next day's drain time far enough ahead, the same for a day", () => {
    expect(blockScaleDownTime(END, at("2031-03-10T00:00:00Z"))).toBe("2031-03-17T10:45:00Z");
    expect(blockScaleDownTime(END, at("2031-03-17T10:40:00Z"))).toBe("2031-03-17T10:45:00Z");
    expect(blockScaleDownTime(END, at("2031-03-17T10:40:01Z"))).toBe("2031-03-18T10:45:00Z");
    expect(blockScaleDownTime(END, at("2031-03-18T10:40:00Z"))).toBe("2031-03-18T10:45:00Z");
    expect(blockScaleDownTime(END, at("2031-03-18T10:41:00Z"))).toBe("2031-03-19T10:45:00Z");
  });
});

describe("the phases the plan note words (blockPhaseSizes): read off blockSizeAt", () => {
  it("6 nodes: 0 before the start, 6 while the block runs, 0 from the drain time", () => {
    expect(blockPhaseSizes(6)).toEqual({ beforeStart: 0, running: 6, fromDrain: 0 });
    expect(blockPhasesText(6)).toBe("0 nodes before it starts, 6 while it runs and 0 from 45 minutes before it ends");
  });
});

describe.each(["VM", "EKS"] as const)("%s on a Capacity Block: changing the node count", (path) => {
  it("before the start: a new scale-up named for the new count, due at the block's start; the scale-down unchanged; the group empty", async () => {
    const four = await compileAt(path, 4, "2031-03-01T00:00:00Z");
    const six = await compileAt(path, 6, "2031-03-01T00:00:00Z");
    expect(four.schedules.map((s) => s.name)).toEqual([`blk-block-end-${RID}`, `blk-block-start-${RID}-to-4`]);
    expect(six.schedules.map((s) => s.name)).toEqual([`blk-block-end-${RID}`, `blk-block-start-${RID}-to-6`]);
    expect(byName(six.result, SCHEDULE, `blk-block-start-${RID}-to-6`).inputs).toMatchObject({
      scheduledActionName: `blk-block-start-${RID}-to-6`,
      startTime: START,
      minSize: 0,
      maxSize: 6,
      desiredCapacity: 6,
    });
    // A new URN: Pulumi creates it with its own start time and deletes the old one, instead of re-putting the old time.
    expect(four.schedules[1]!.urn).not.toBe(six.schedules[1]!.urn);
    // The scale-down does not depend on the count: same URN, same inputs (maxSize -1 leaves the group's maximum alone).
    expect(six.end.urn).toBe(four.end.urn);
    expect(six.end.inputs).toEqual(four.end.inputs);
    expect(six.end.inputs).toMatchObject({ startTime: "2031-03-17T10:45:00Z", minSize: 0, maxSize: -1, desiredCapacity: 0 });
    expect(four.group).toEqual({ desired: 0, max: 4 });
    expect(six.group).toEqual({ desired: 0, max: 6 });
  });

  it("after the start: the new scale-up is due 5 minutes ahead (not at the past start) and the group takes the new count at once", async () => {
    const during = "2031-03-10T00:00:00Z";
    const four = await compileAt(path, 4, during);
    const six = await compileAt(path, 6, during);
    expect(four.group).toEqual({ desired: 4, max: 4 });
    expect(six.group).toEqual({ desired: 6, max: 6 });
    const up = byName(six.result, SCHEDULE, `blk-block-start-${RID}-to-6`).inputs;
    expect(up).toMatchObject({ startTime: "2031-03-10T00:05:00Z", desiredCapacity: 6, maxSize: 6 });
    expect(Date.parse(up.startTime)).toBeGreaterThan(Date.parse(during));
    expect(six.end.inputs).toEqual(four.end.inputs);
    // Its time and size are fixed at creation: a later `up` never re-puts them; the group's size is not ignored.
    expect(six.registrations.get(`blk-block-start-${RID}-to-6`)!.ignoreChanges).toEqual(["startTime", "desiredCapacity"]);
    expect(six.registrations.get(`blk-block-end-${RID}`)!.ignoreChanges ?? []).toEqual([]);
    expect(six.registrations.get(path === "VM" ? "blk-nodes" : "blk-gpu-nodes")!.ignoreChanges ?? []).toEqual([]);
  });

  it("after the drain time: a new scale-up keeps the group at 0, and the group is at 0", async () => {
    const late = await compileAt(path, 6, "2031-03-17T11:00:00Z");
    expect(byName(late.result, SCHEDULE, `blk-block-start-${RID}-to-6`).inputs).toMatchObject({ startTime: "2031-03-17T11:05:00Z", desiredCapacity: 0 });
    // The scale-down ran at 10:45; put back, it goes to the next day's drain time, not 5 minutes after each preview.
    expect(byName(late.result, SCHEDULE, `blk-block-end-${RID}`).inputs).toMatchObject({ startTime: "2031-03-18T10:45:00Z", desiredCapacity: 0 });
    expect(late.group).toEqual({ desired: 0, max: 6 });
  });

  it.each(["2031-03-01T00:00:00Z", "2031-03-10T00:00:00Z"])("a second compile with no change (at %s) is identical", async (at) => {
    const first = await compileAt(path, 6, at);
    const second = await compileAt(path, 6, at);
    const view = (r: typeof first) => ({ schedules: r.schedules.map((s) => ({ urn: s.urn, inputs: s.inputs })), group: r.group });
    expect(view(second)).toEqual(view(first));
  });
});

describe("a Capacity Block's action times are read when the group exists, not when the program started", () => {
  // The actions attach to the group's Auto Scaling group, which an `up` creates 10 minutes or more after it starts
  // (EKS: the cluster first; VMs with FSx: the file system first). Here the clock moves 20 minutes while the group
  // registers; a time read at the program's start (11:29 + 5 min = 11:34) would be in the past by then, which Auto
  // Scaling refuses. Read at the group's name: 11:49 + 5 min.
  it.each(["VM", "EKS"] as const)("%s: an up started 1 minute before the block's start schedules the scale-up 5 minutes after the group exists", async (path) => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2031-03-03T11:29:00Z"));
    const groupType = path === "VM" ? "aws:autoscaling/group:Group" : "aws:eks/nodeGroup:NodeGroup";
    const { result } = await runRecording(() => {
      const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource(req: any, cb: unknown): unknown };
      const register = monitor.registerResource.bind(monitor);
      monitor.registerResource = (req: any, cb: unknown) => {
        if (req.getType() === groupType) vi.setSystemTime(new Date("2031-03-03T11:49:00Z"));
        return register(req, cb);
      };
      return cluster(path, 4)();
    });
    expect(result.error).toBeUndefined();
    expect(byName(result, SCHEDULE, `blk-block-start-${RID}-to-4`).inputs).toMatchObject({ startTime: "2031-03-03T11:54:00Z", desiredCapacity: 4 });
  });
});

describe("a Capacity Block's group size is read when the group's inputs are ready, not when the program started", () => {
  // An `up` begun 10 minutes before the drain time (10:35) that reaches the group 20 minutes later (10:55, after the
  // scale-down action ran at 10:45) must not put the count back: the group would then hold the block's instances,
  // with work on them, until EC2 reclaims them at 11:30. The clock moves when the launch template registers, i.e.
  // before the group's inputs resolve; a size read at program start would be 6.
  it.each(["VM", "EKS"] as const)("%s: an up that straddles the drain time leaves the group at 0", async (path) => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2031-03-17T10:35:00Z"));
    const { result } = await runRecording(() => {
      const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource(req: any, cb: unknown): unknown };
      const register = monitor.registerResource.bind(monitor);
      monitor.registerResource = (req: any, cb: unknown) => {
        if (req.getType() === "aws:ec2/launchTemplate:LaunchTemplate") vi.setSystemTime(new Date("2031-03-17T10:55:00Z"));
        return register(req, cb);
      };
      return cluster(path, 6)();
    });
    expect(result.error).toBeUndefined();
    expect(groupSize(path, result)).toEqual({ desired: 0, max: 6 });
  });
  it.each(["VM", "EKS"] as const)("%s: the same up with the clock still mid-block sizes the group to its count", async (path) => {
    const mid = await compileAt(path, 6, "2031-03-17T10:35:00Z");
    expect(mid.group).toEqual({ desired: 6, max: 6 });
  });
});
