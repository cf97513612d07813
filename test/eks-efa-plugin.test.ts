/**
 * The EFA device plugin chart runs its daemonset only on the instance types of its `supportedInstanceLabels` list;
 * on any other type the nodes never advertise `vpc.amazonaws.com/efa` and EFA pods stay Pending. The list of the
 * pinned chart is kept in test/fixtures/aws-efa-k8s-device-plugin-v0.5.30.json, copied from
 * https://github.com/aws/eks-charts/blob/bfe91c4b9257c80f754ad4b3d6a9a3c239b2b8ec/stable/aws-efa-k8s-device-plugin/values.yaml
 * (chart v0.5.30, 2026-07-21, read 2026-11-30). Bumping the chart means replacing that file from the new chart.
 * p6-b300.48xlarge is in that list (added by eks-charts e53d317, 2026-03-18, "add latest EFA instance types"), so the
 * pin needs no bump for P6-B300.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { catalog } from "gpu-cluster";
import { CHARTS } from "../lib/clouds/aws/eks/bootstrap.js";

const pinned = JSON.parse(readFileSync(path.join(__dirname, "fixtures", "aws-efa-k8s-device-plugin-v0.5.30.json"), "utf8")) as {
  chart: string;
  version: string;
  supportedInstanceTypes: string[];
};

describe("the pinned EFA device plugin chart supports every EFA type of the catalog", () => {
  it("pins chart aws-efa-k8s-device-plugin v0.5.30, the version whose list the fixture holds", () => {
    expect(CHARTS.efaDevicePlugin).toMatchObject({ chart: pinned.chart, version: pinned.version, repo: "https://aws.github.io/eks-charts" });
    expect(pinned.version).toBe("v0.5.30");
    expect(pinned.supportedInstanceTypes).toHaveLength(303);
  });

  const efaTypes = catalog.instances("aws").filter((i) => i.fabric === "efa").map((i) => i.instanceType);

  it("the catalog has the EFA types this checks (p4d through p6-b300, the EFA G sizes)", () => {
    expect(efaTypes).toEqual(
      expect.arrayContaining(["p4d.24xlarge", "p5.48xlarge", "p5e.48xlarge", "p5en.48xlarge", "p6-b200.48xlarge", "p6-b300.48xlarge", "g5.48xlarge", "g6e.48xlarge"]),
    );
  });

  it.each(efaTypes)("%s is in the pinned chart's supportedInstanceLabels", (instanceType) => {
    expect(pinned.supportedInstanceTypes).toContain(instanceType);
  });
});
