/**
 * The VM image named by an SSM parameter is resolved once and kept (review session 28, F11): the provider starts a
 * fleet's instance refresh on any launch template change ("A refresh will always be triggered by a change in any of
 * launch_configuration, launch_template, or mixed_instances_policy", aws_autoscaling_group instance_refresh docs; the
 * repo's lib/clouds/aws/inference.ts says the same), and the Deep Learning AMI's "latest" parameter moves with every
 * release. So the launch template ignores changes to imageId unless aws.amiId names the image.
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { checkAwsOptions, DEFAULT_AMI_SSM_PARAMETER } from "../lib/clouds/aws/options.js";
import { one, runRecording } from "./helpers/offline.js";

const LT = "aws:ec2/launchTemplate:LaunchTemplate";
const training = { cloud: "aws" as const, region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 } };
const fleet = { cloud: "aws" as const, region: "us-east-1", gpu: { model: "L4" as const }, replicas: { min: 1, max: 2 } };

describe("AMI pin", () => {
  it("the default DLAMI parameter: the launch template ignores imageId changes, and the plan says how to move", async () => {
    const { result, registrations } = await runRecording(() => new gpu.InferenceFleet("pin", fleet as gpu.InferenceFleetArgs));
    expect(result.error).toBeUndefined();
    expect(one(result, LT).inputs.imageId).toBe("ami-offline-preview");
    expect(registrations.get("pin-lt")!.ignoreChanges).toEqual(["imageId"]);
    expect(checkAwsOptions(gpu.planFleet(fleet), undefined)).toContain(
      `image: the nodes boot the AMI that SSM parameter ${DEFAULT_AMI_SSM_PARAMETER} named when their launch template was created, and keep it when the parameter moves (so an unrelated \`up\` replaces no node); to move to a newer image, set aws.amiId to it (\`aws ssm get-parameter --name <that parameter>\` prints the current one), which rolls the fleet`,
    );
  });

  it("aws.amiSsmParameter is pinned the same way; aws.amiId is followed as given, with no note", async () => {
    const ssm = await runRecording(() => new gpu.TrainingCluster("own", { ...training, aws: { amiSsmParameter: "/my/ami" } } as gpu.TrainingClusterArgs));
    expect(ssm.result.error).toBeUndefined();
    expect(ssm.registrations.get("own-lt")!.ignoreChanges).toEqual(["imageId"]);
    const given = await runRecording(() => new gpu.TrainingCluster("fixed", { ...training, aws: { amiId: "ami-0123456789abcdef0" } } as gpu.TrainingClusterArgs));
    expect(given.result.error).toBeUndefined();
    expect(given.registrations.get("fixed-lt")!.ignoreChanges ?? []).toEqual([]);
    expect(checkAwsOptions(gpu.planCluster(training), { amiId: "ami-0123456789abcdef0" }).some((n) => n.startsWith("image:"))).toBe(false);
  });
});

/**
 * F12: a VM training group has no instance refresh (lib/clouds/aws/training.ts), so a new launch template replaces no
 * running node; EC2 Auto Scaling applies it only to instances launched afterwards
 * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-overview.html). The plan says so.
 */
describe("VM training rollout note", () => {
  const note =
    "rollout: a change of GPU type, aws.userData or image replaces no running node (the group has no instance refresh, so a job is never cut); " +
    "the old nodes keep running (and billing) until replaced, and nodes launched later get the new template, so a job can span both. " +
    "Between jobs, run `aws autoscaling start-instance-refresh --auto-scaling-group-name <nodeGroupId>` to replace them all";

  it("on every VM training plan, and on no fleet or EKS plan", () => {
    expect(checkAwsOptions(gpu.planCluster(training), undefined)).toContain(note);
    expect(checkAwsOptions(gpu.planFleet(fleet), undefined)).not.toContain(note);
    expect(checkAwsOptions(gpu.planCluster({ ...training, orchestrator: "kubernetes" }), { eks: { publicEndpoint: false } })).not.toContain(note);
  });

  it("the training group indeed has no instance refresh", async () => {
    const { result } = await runRecording(() => new gpu.TrainingCluster("tr", training as gpu.TrainingClusterArgs));
    expect(result.error).toBeUndefined();
    expect(one(result, "aws:autoscaling/group:Group").inputs.instanceRefresh).toBeUndefined();
  });
});
