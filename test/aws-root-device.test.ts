/**
 * The VM root volume's mapping carries the image's root device name (review session 28, F8): a mapping under another
 * name is an extra blank volume and the root keeps the image's size
 * (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/block-device-mapping-concepts.html). The default Deep Learning
 * AMI (Ubuntu) is /dev/sda1; a custom AMI's is read from EC2 (DescribeImages RootDeviceName), as ParallelCluster does
 * (aws/aws-parallelcluster@451cc53 cli/src/pcluster/templates/queues_stack.py).
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { one, run } from "./helpers/offline.js";

const LT = "aws:ec2/launchTemplate:LaunchTemplate";
const spec = { cloud: "aws" as const, region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 } };
const rootMapping = (inputs: Record<string, any>) => inputs.blockDeviceMappings[0];

describe("the root volume's device name", () => {
  it("the default DLAMI: /dev/sda1, and no AMI look-up", async () => {
    const result = await run(() => new gpu.TrainingCluster("dl", spec as gpu.TrainingClusterArgs));
    expect(result.error).toBeUndefined();
    expect(rootMapping(one(result, LT).inputs)).toMatchObject({ deviceName: "/dev/sda1", ebs: { encrypted: "true" } });
  });

  it("aws.amiId of an image whose root is /dev/xvda (Amazon Linux, RHEL): the root mapping is /dev/xvda, data volumes stay /dev/sdf", async () => {
    let asked: unknown;
    const invokes = {
      "aws:ec2/getAmi:getAmi": (inputs: Record<string, unknown>) => {
        asked = inputs.filters;
        return { ...inputs, id: "ami-0123456789abcdef0", rootDeviceName: "/dev/xvda", rootDeviceType: "ebs" };
      },
    };
    const result = await run(
      () => new gpu.TrainingCluster("al", { ...spec, storage: [{ kind: "block", capacityTiB: 1, mountPath: "/data" }], aws: { amiId: "ami-0123456789abcdef0" } } as gpu.TrainingClusterArgs),
      { invokes },
    );
    expect(result.error).toBeUndefined();
    expect(asked).toEqual([{ name: "image-id", values: ["ami-0123456789abcdef0"] }]);
    const lt = one(result, LT).inputs;
    expect(lt.imageId).toBe("ami-0123456789abcdef0");
    expect(lt.blockDeviceMappings.map((m: { deviceName: string }) => m.deviceName)).toEqual(["/dev/xvda", "/dev/sdf"]);
  });
});
