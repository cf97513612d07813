/**
 * The plan note on an EKS training cluster of an EFA type: why the EFA devices come from the EFA device plugin, not the
 * EFA DRA driver (DRANET) the EKS guide recommends for new deployments on Kubernetes 1.34+
 * (https://docs.aws.amazon.com/eks/latest/userguide/device-management-efa.html, stored copy, undated, read 2026-12-01;
 * awsdocs/amazon-eks-user-guide latest/ug/ml/device-management-efa.adoc @43d79bdb: the DRA driver pairs EFA devices with
 * their local GPUs and shares them between pods; the plugin gives each device to one pod; the two cannot share a node).
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { eksPlanNotes } from "../lib/clouds/aws/eks/options.js";

const eks = (instanceType: string, extra: Record<string, unknown> = {}) =>
  gpu.planCluster({ cloud: "aws", region: "us-east-1", orchestrator: "kubernetes", gpu: { instanceType, nodes: 2 }, ...extra } as gpu.TrainingClusterArgs);
const draNote = (notes: string[]) => notes.filter((n) => n.startsWith("EFA on EKS:"));

describe("EKS EFA clusters: the DRA driver the guide recommends, and why the device plugin stays", () => {
  it("p5.48xlarge training: the note names the guide, the 32 EFA devices and 8 GPUs each pod takes", () => {
    expect(draNote(eksPlanNotes(eks("p5.48xlarge"), undefined))).toEqual([
      "EFA on EKS: the GPU nodes' 32 EFA devices are handed out by the EFA device plugin (eks-charts aws-efa-k8s-device-plugin), not the EFA DRA driver (DRANET) " +
        "that the EKS guide recommends for new deployments on Kubernetes 1.34 or later (https://docs.aws.amazon.com/eks/latest/userguide/device-management-efa.html). " +
        "The DRA driver's gains are pairing EFA devices with their local GPUs and sharing devices between pods; each training pod here takes all 8 GPUs and all 32 EFA devices of its node, " +
        "so neither applies, and the guide keeps the device plugin supported on managed node groups (the two cannot run on the same node: DRANET would replace the plugin, not join it)",
    ]);
  });

  it("p5en.48xlarge: the figures follow the type (16 EFA devices)", () => {
    expect(draNote(eksPlanNotes(eks("p5en.48xlarge"), undefined))[0]).toContain("the GPU nodes' 16 EFA devices");
  });

  it("no note where the component installs no EFA plugin: a type without EFA, or an existing cluster whose add-ons it leaves alone", () => {
    expect(draNote(eksPlanNotes(eks("g6.xlarge"), undefined))).toEqual([]);
    expect(draNote(eksPlanNotes(eks("p5.48xlarge"), { clusterName: "ours", installClusterAddons: false }))).toEqual([]);
  });
});
