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

  // GCP words its advice by pricing as AWS does (lib/clouds/gcp/capacity-advice.ts, whose comments cite the docs, read
  // 2026-12-01): `gcloud compute reservations describe NAME --zone=ZONE`
  // (https://cloud.google.com/sdk/gcloud/reference/compute/reservations/describe) and its specificReservation.count,
  // inUseCount and specificReservationRequired fields
  // (https://cloud.google.com/config-connector/docs/reference/resource-docs/compute/computereservation); Spot VMs
  // preempted "at any time" (https://cloud.google.com/compute/docs/instances/create-use-spot); flex-start's request
  // waiting for capacity (https://cloud.google.com/kubernetes-engine/docs/concepts/dws).
  describe("GCP: the advice follows how the plan buys its capacity", () => {
    const a3 = { cloud: "gcp" as const, region: "us-central1", gpu: { instanceType: "a3-megagpu-8g", nodes: 4 } };
    const head = "0 of 4 a3-megagpu-8g nodes are running in us-central1-a: GCP had no capacity for the rest when up finished. Try: ";

    it("on demand: another zone, a reservation, Spot or fewer nodes", () => {
      const plan = gpu.planCluster(a3);
      expect(shortfallMessage(plan, 4, 0, "us-central1-a")).toBe(
        head + "wait (the managed instance group keeps retrying), pin another zone (zone), use a reservation (reservationId) or Spot (pricing: 'spot'), or ask for fewer nodes.",
      );
      expect(shortfallMessage(plan, 4, 4, "us-central1-a")).toBeUndefined();
    });

    it("a reservation: its free count by gcloud, its specific-reservation settings; not another zone or Spot", () => {
      const m = shortfallMessage(gpu.planCluster({ ...a3, reservationId: "a3-res", zone: "us-central1-a" }), 4, 0, "us-central1-a")!;
      expect(m).toBe(
        head +
          "check how many of reservation a3-res's instances are free: `gcloud compute reservations describe a3-res --zone=us-central1-a` " +
          "(specificReservation.count less specificReservation.inUseCount; without specificReservationRequired: true other VMs of the project take its instances too), " +
          "and that its specificReservation.instanceProperties.machineType is a3-megagpu-8g; then free or add instances there, or ask for fewer nodes.",
      );
      expect(m).not.toContain("another zone");
      expect(m).not.toContain("pricing: 'spot'");
      // A regional group reports its region, which `--zone` would refuse: the command names the reservation's zone instead.
      expect(shortfallMessage(gpu.planCluster({ ...a3, reservationId: "a3-res", zone: "us-central1-a" }), 4, 0, "us-central1")).toContain("describe a3-res --zone=<its zone>`");
    });

    it("Spot: preemption and stockouts; another zone or on demand, never Spot again", () => {
      // The catalog holds no Spot price for A3 Mega in us-central1 (planCluster refuses it): the advice reads the pricing alone.
      const m = shortfallMessage({ ...gpu.planCluster(a3), pricing: "spot" }, 4, 0, "us-central1-a")!;
      expect(m).toBe(
        head +
          "wait (Spot capacity runs out and preempted nodes are recreated only when it returns; the managed instance group keeps retrying), pin another zone (zone), or use on-demand capacity (pricing: 'on-demand'), which is not preempted.",
      );
      expect(m).not.toContain("pricing: 'spot'");
    });

    it("flex-start: the queued request waits for capacity; fewer nodes or another region", () => {
      // Flex-start is GKE's (a node pool, whose `up` waits for its nodes); the advice reads the pricing alone.
      const plan = { ...gpu.planCluster(a3), pricing: "flex-start" as const };
      expect(shortfallMessage(plan, 4, 0, "us-central1-a")).toBe(
        head +
          "wait: Dynamic Workload Scheduler (flex-start) provisions the nodes only when it has the capacity, and a queued request waits until then; to be served sooner, ask for fewer nodes or use another region (region).",
      );
    });
  });
});
