/**
 * A GPU type that no zone of the kept subnets sells (issue 12, commit a38147a). A stack's subnets keep the zone they
 * were created in (`ignoreChanges: ["availabilityZone"]`); after a change of GPU type the region may sell the new type
 * only in another zone. AWS answers DescribeInstanceTypeOfferings with the zones that sell the type, and a real region
 * sells many GPU types in only some zones (https://docs.aws.amazon.com/ec2/latest/instancetypes/ec2-instance-regions.html,
 * read 2026-11-30: "Instance types are not available in every Availability Zone"). Here the offline answer says
 * p5.48xlarge is sold in us-east-1c only, while the stack's subnets were created in us-east-1a and us-east-1b.
 */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { awsNetwork } from "../lib/clouds/aws/network.js";
import { awsOfflineInvokes, instanceTypeOfferings } from "../lib/clouds/aws/offline-invokes.js";

const REGION = "us-east-1";
/** The zones the stack's subnets were created in (the state a real `up` would read back). */
const KEPT: Record<string, string> = { "kept-private-0": "us-east-1a", "kept-private-1": "us-east-1b", "kept-public-0": "us-east-1a", "kept-public-1": "us-east-1b" };

async function keptNetwork(soldIn: string[]): Promise<pulumi.Output<string[]>> {
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const zone = KEPT[args.name];
        return { id: `${args.name}-id`, state: { ...args.inputs, ...(zone ? { availabilityZone: zone } : {}) } };
      },
      call(args) {
        if (args.token === "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings") return instanceTypeOfferings(args.inputs, soldIn);
        return awsOfflineInvokes[args.token]?.(args.inputs, REGION) ?? args.inputs;
      },
    },
    "kept-zone",
    "test",
    true,
  );
  const plan = gpu.planFleet({ cloud: "aws", region: REGION, gpu: { instanceType: "p5.48xlarge", count: 8 }, replicas: { min: 1, max: 2 } });
  const parent = new pulumi.ComponentResource("test:index:Kept", "kept");
  return awsNetwork(plan, {}, { name: "kept", parent, bill: gpu.billOfMaterials(plan, {}) }, {}).nodeSubnetIds;
}

/** The output's value; a failed apply rejects every promise the output holds, so all are awaited here. */
function settle<T>(o: pulumi.Output<T>): Promise<T> {
  const inner = o as unknown as { promise(): Promise<T>; isKnown: Promise<boolean>; isSecret: Promise<boolean>; allResources?: () => Promise<unknown> };
  for (const p of [inner.isKnown, inner.isSecret, inner.allResources?.()]) p?.catch(() => undefined);
  return inner.promise();
}

describe("AWS: kept subnets and a type sold elsewhere", () => {
  it("the offline offering answer lists one offering per zone, as AWS does", () => {
    const inputs = { locationType: "availability-zone", filters: [{ name: "instance-type", values: ["p5.48xlarge"] }] };
    expect(instanceTypeOfferings(inputs, ["us-east-1c"])).toMatchObject({ locations: ["us-east-1c"], instanceTypes: ["p5.48xlarge"], locationTypes: ["availability-zone"] });
  });

  it("sold only in us-east-1c, subnets kept in us-east-1a and us-east-1b: the preview fails with the zones and the way out", async () => {
    const nodeSubnets = await keptNetwork(["us-east-1c"]);
    await expect(settle(nodeSubnets)).rejects.toThrow(
      "p5.48xlarge is not sold in us-east-1a, us-east-1b, the zone(s) this stack's subnets were created in (zones that sell it: us-east-1c). " +
        "Choose a GPU type sold there, or pin zone to one that sells it: that replaces the subnets and what is in them (guarded storage makes that up fail rather than lose data).",
    );
  });

  it("sold in us-east-1b and us-east-1c: the GPU nodes use the kept subnet in us-east-1b only", async () => {
    const nodeSubnets = await keptNetwork(["us-east-1b", "us-east-1c"]);
    expect(await settle(nodeSubnets)).toEqual(["kept-private-1-id"]);
  });
});
