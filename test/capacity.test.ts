/**
 * Ready-node counts as outputs, and the message when capacity is short (issue 12): AWS Auto Scaling groups
 * (`waitForCapacityTimeout: "0"`) and GCP managed instance groups (`waitForInstances: false`) let `up` finish before
 * the GPUs exist. These runs are `up`s (preview false) under Pulumi's mocks, the cloud answering 5 of 8 running.
 * Sources (read 2026-11-30): https://www.pulumi.com/registry/packages/aws/api-docs/ec2/getinstances/ (the
 * `aws:autoscaling:groupName` tag filter), https://www.pulumi.com/registry/packages/gcp/api-docs/compute/getinstancegroup/ (`size`).
 */
import { withWarnings } from "./helpers/warnings.js";
import * as pulumi from "@pulumi/pulumi";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as gpu from "gpu-cluster";
import { awsOfflineInvokes } from "../lib/clouds/aws/offline-invokes.js";
import { gcpOfflineInvokes } from "../lib/clouds/gcp/offline-invokes.js";
import { shortfallMessage } from "../lib/clouds/shared/capacity.js";
import { run } from "./helpers/offline.js";

/** Runs `program` as an `up` (not a preview), the cloud reporting `running` instances in each group. */
async function up<T>(program: () => T, running: number, region: string): Promise<{ value: T; warnings: string[] }> {
  const invokes: Record<string, (inputs: Record<string, any>, region: string) => Record<string, any>> = { ...awsOfflineInvokes, ...gcpOfflineInvokes };
  const calls: string[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const extra = args.type === "aws:autoscaling/group:Group" ? { availabilityZones: ["us-east-1a"] } : {};
        return { id: `${args.name}-id`, state: { ...args.inputs, name: args.inputs.name ?? `${args.name}-abc1234`, ...extra } };
      },
      call(args) {
        calls.push(args.token);
        if (args.token === "aws:ec2/getInstances:getInstances") return { ids: Array.from({ length: running }, (_, i) => `i-${i}`) };
        if (args.token === "gcp:compute/getInstanceGroup:getInstanceGroup") return { ...args.inputs, size: running };
        return invokes[args.token]?.(args.inputs, region) ?? args.inputs;
      },
    },
    "capacity",
    "test",
    false,
  );
  return withWarnings(program);
}

function resolve<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((done) => o.apply((v) => done(v)));
}

describe("ready-node counts at the end of up", () => {
  it("AWS: 5 of 8 p5 nodes running in us-east-1a: the output counts them, and the warning names the zone and what to try", async () => {
    // Without the fabric gate, whose read-back would fail this `up` with 3 of 8 nodes missing (test/aws-vm-fabric-gate.test.ts).
    const { value: cluster, warnings } = await up(() => new gpu.TrainingCluster("cap", { cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 8 }, aws: { acceptanceTest: false } }), 5, "us-east-1");
    const counts = await resolve(cluster.nodeCounts);
    const message =
      "5 of 8 p5.48xlarge nodes are running in us-east-1a: AWS had no capacity for the rest when up finished. Try: wait (the Auto Scaling group keeps retrying), pin another zone (zone), use a capacity reservation or capacity block (reservationId, pricing: 'capacity-block'), or ask for fewer nodes.";
    expect(counts).toEqual({ desired: 8, ready: 5, zone: "us-east-1a", shortfall: message });
    await new Promise((r) => setTimeout(r, 50));
    expect(warnings).toContain(message);
  });

  // A block's group is meant to be empty before the block starts and from its drain time, 45 minutes before the end
  // (lib/clouds/aws/capacity-block-rules.ts, blockSizeAt; test/capacity-block-schedule.test.ts): the count expected
  // is the group's size at the `up`. The offline block runs 2031-03-03T11:30Z to 2031-03-17T11:30Z
  // (lib/clouds/aws/offline-invokes.ts); only `Date` is faked, set before, during and after it.
  describe("AWS on a Capacity Block: the count expected is the block's size at the up", () => {
    afterEach(() => {
      vi.useRealTimers();
    });
    const onBlockAt = async (at: string, running: number) => {
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(new Date(at));
      const { value, warnings } = await up(
        () =>
          new gpu.TrainingCluster("cap", {
            cloud: "aws",
            region: "us-east-1",
            zone: "us-east-1a",
            pricing: "capacity-block",
            reservationId: "cr-0123456789abcdef0",
            gpu: { instanceType: "p5.48xlarge", nodes: 4 },
          }),
        running,
        "us-east-1",
      );
      const counts = await resolve(value.nodeCounts);
      await new Promise((r) => setTimeout(r, 50));
      return { counts, shortfalls: warnings.filter((w) => w.includes("nodes are running")) };
    };

    it("before the start: 0 expected, 0 running, no warning", async () => {
      const { counts, shortfalls } = await onBlockAt("2031-03-01T00:00:00Z", 0);
      expect(counts).toEqual({ desired: 0, ready: 0, zone: "us-east-1a" });
      expect(shortfalls).toEqual([]);
    });

    it("while it runs: 4 expected; 1 running warns with the block's advice", async () => {
      const { counts, shortfalls } = await onBlockAt("2031-03-10T00:00:00Z", 1);
      expect(counts).toMatchObject({ desired: 4, ready: 1, zone: "us-east-1a" });
      expect(counts!.shortfall).toMatch(/^1 of 4 p5\.48xlarge nodes are running in us-east-1a: .* Try: once the block has started/);
      expect(shortfalls).toEqual([counts!.shortfall]);
    });

    it("from the drain time (10:45, 45 minutes before the 11:30 end): 0 expected, no warning", async () => {
      const { counts, shortfalls } = await onBlockAt("2031-03-17T10:50:00Z", 0);
      expect(counts).toEqual({ desired: 0, ready: 0, zone: "us-east-1a" });
      expect(shortfalls).toEqual([]);
    });
  });

  it("GCP: all 2 running: no shortfall", async () => {
    const { value: cluster } = await up(() => new gpu.TrainingCluster("cap", { cloud: "gcp", region: "us-central1", gpu: { instanceType: "a3-megagpu-8g", nodes: 2 } }), 2, "us-central1");
    const counts = await resolve(cluster.nodeCounts);
    expect(counts).toMatchObject({ desired: 2, ready: 2 });
    expect(counts!.shortfall).toBeUndefined();
  });

  it("a preview counts nothing: desired only", async () => {
    let cluster: gpu.TrainingCluster | undefined;
    await run(() => (cluster = new gpu.TrainingCluster("p", { cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 8 } })));
    expect(await resolve(cluster!.nodeCounts)).toEqual({ desired: 8 });
  });

  // The warning at the end of `up` and the plan's capacity note give the same advice (lib/clouds/aws/capacity-advice.ts):
  // a plan already on a reservation or a block is pointed at that reservation's free instances
  // (AvailableInstanceCount, https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CapacityReservation.html, read 2026-12-01),
  // not told to buy one.
  it("AWS: the advice follows how the plan buys its capacity (on demand, a reservation, a block)", () => {
    const p5 = { cloud: "aws" as const, region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 4 } };
    expect(shortfallMessage(gpu.planCluster(p5), 4, 1, "us-east-1a")).toBe(
      "1 of 4 p5.48xlarge nodes are running in us-east-1a: AWS had no capacity for the rest when up finished. Try: wait (the Auto Scaling group keeps retrying), pin another zone (zone), use a capacity reservation or capacity block (reservationId, pricing: 'capacity-block'), or ask for fewer nodes.",
    );
    const odcr = shortfallMessage(gpu.planCluster({ ...p5, reservationId: "cr-0123456789abcdef0", zone: "us-east-1a" }), 4, 1, "us-east-1a")!;
    expect(odcr).toBe(
      "1 of 4 p5.48xlarge nodes are running in us-east-1a: AWS had no capacity for the rest when up finished. Try: check how many of reservation cr-0123456789abcdef0's instances are free (others running in it, or fewer reserved than nodes): `aws ec2 describe-capacity-reservations --capacity-reservation-ids cr-0123456789abcdef0` (AvailableInstanceCount), then free or add instances there, or ask for fewer nodes.",
    );
    const block = shortfallMessage(gpu.planCluster({ ...p5, pricing: "capacity-block", reservationId: "cr-0123456789abcdef0", zone: "us-east-1a" }), 4, 0, "us-east-1a")!;
    expect(block).toContain("Try: once the block has started (its group is empty before), check how many of its instances are free");
    expect(block).toContain("--capacity-reservation-ids cr-0123456789abcdef0` (AvailableInstanceCount), or ask for fewer nodes.");
    for (const m of [odcr, block]) {
      expect(m).not.toContain("capacity reservation or capacity block");
      expect(m).not.toContain("another zone");
    }
  });

  it("the message for GCP names its own ways out", () => {
    const plan = gpu.planCluster({ cloud: "gcp", region: "us-central1", gpu: { instanceType: "a3-megagpu-8g", nodes: 4 } });
    expect(shortfallMessage(plan, 4, 0, "us-central1-a")).toBe(
      "0 of 4 a3-megagpu-8g nodes are running in us-central1-a: GCP had no capacity for the rest when up finished. Try: wait (the managed instance group keeps retrying), pin another zone (zone), use a reservation (reservationId) or Spot (pricing: 'spot'), or ask for fewer nodes.",
    );
    expect(shortfallMessage(plan, 4, 4, "us-central1-a")).toBeUndefined();
  });
});
