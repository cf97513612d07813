/**
 * gcp.placementPolicy on a running VM training cluster: Compute Engine replaces or removes a MIG's workload policy
 * "only if there are no compute instances in the MIG" (https://cloud.google.com/compute/docs/instance-groups/manage-workload-policies,
 * Limitations), so the plan says how to switch it when the option is given where it chooses anything.
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { checkGcpOptions, placementChangeNote } from "../lib/clouds/gcp/options.js";

const mega = (extra: Record<string, unknown> = {}) => gpu.planCluster({ cloud: "gcp", region: "us-central1", gpu: { instanceType: "a3-megagpu-8g", nodes: 2 }, ...extra });

describe("gcp.placementPolicy change note", () => {
  it("given on an A3 Mega VM cluster: says the group must be empty to switch, and how", () => {
    for (const choice of ["workload", "compact"] as const) {
      const notes = checkGcpOptions(mega(), { placementPolicy: choice }).join("\n");
      expect(notes).toContain(`GCP placement: gcp.placementPolicy '${choice}' is fixed while the nodes run: Compute Engine changes a managed instance group's workload policy only when the group is empty.`);
      expect(notes).toContain("gcloud compute instance-groups managed resize <nodeGroupId> --size 0 --zone <zone>");
    }
  });

  it("says nothing when the option is left out, on GKE, or where the series takes no workload policy", () => {
    expect(placementChangeNote(mega(), {})).toBeUndefined();
    expect(placementChangeNote(mega({ orchestrator: "kubernetes" }), { placementPolicy: "compact" })).toBeUndefined();
    const l4 = gpu.planCluster({ cloud: "gcp", region: "us-central1", gpu: { instanceType: "g2-standard-48", nodes: 2 } });
    expect(placementChangeNote(l4, { placementPolicy: "workload" })).toBeUndefined();
  });
});
