/**
 * Upgrades never interrupt a run, on every cloud × Kubernetes: PodDisruptionBudgets for training and serving pods,
 * GKE's maintenance window and node-upgrade exclusion, AKS planned maintenance and undrainable-node behavior, and the
 * plan note that says when upgrades happen. Sources (read 2026-11-30):
 * https://cloud.google.com/kubernetes-engine/docs/concepts/maintenance-windows-and-exclusions,
 * https://learn.microsoft.com/en-us/azure/aks/planned-maintenance,
 * https://learn.microsoft.com/en-us/azure/aks/upgrade-cluster#optimize-for-undrainable-node-behavior and the AKS API's
 * KnownUndrainableNodeBehavior (Schedule: blocked nodes stay schedulable and are not upgraded; Cordon needs surge nodes),
 * https://docs.aws.amazon.com/eks/latest/userguide/managed-node-update-behavior.html,
 * https://kubernetes.io/docs/tasks/run-application/configure-pdb/.
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { byName, ofType, privateEndpoint, run } from "./helpers/offline.js";

const PDB = "kubernetes:policy/v1:PodDisruptionBudget";
const GKE_CLUSTER = "gcp:container/cluster:Cluster";
const AKS_MAINTENANCE = "azure-native:containerservice:MaintenanceConfiguration";
const AKS_POOL = "azure-native:containerservice:AgentPool";

const CLUSTERS = {
  aws: { region: "us-east-1", train: "p5.48xlarge", serve: { model: "L40S" } },
  gcp: { region: "us-central1", train: "a3-megagpu-8g", serve: { model: "L4" } },
  azure: { region: "eastus", train: "Standard_ND96isr_H100_v5", serve: { instanceType: "Standard_NC40ads_H100_v5" } },
  coreweave: { region: "US-EAST-04", train: "gd-8xh100ib-i128", serve: { model: "L40S" } },
} as const;

function training(name: string, cloud: keyof typeof CLUSTERS) {
  const c = CLUSTERS[cloud];
  return () => new gpu.TrainingCluster(name, privateEndpoint({ cloud, region: c.region, orchestrator: "kubernetes", gpu: { instanceType: c.train, nodes: 2 } } as gpu.TrainingClusterArgs));
}

function fleet(name: string, cloud: keyof typeof CLUSTERS) {
  const c = CLUSTERS[cloud];
  return () =>
    new gpu.InferenceFleet(name, privateEndpoint({ cloud, region: c.region, orchestrator: "kubernetes", gpu: c.serve, replicas: { min: 2, max: 4 } } as gpu.InferenceFleetArgs));
}

describe("PodDisruptionBudgets on every Kubernetes cloud", () => {
  it.each(["aws", "gcp", "azure", "coreweave"] as const)("%s: a training pod is never evicted; a fleet loses one replica at a time", async (cloud) => {
    const t = await run(training("t", cloud));
    expect(t.error).toBeUndefined();
    const tp = byName(t, PDB, "t-pdb").inputs;
    expect(tp.metadata).toMatchObject({ name: "t-pdb", namespace: "t" });
    expect(tp.spec).toEqual({ selector: { matchLabels: { "app.kubernetes.io/name": "t", "gpu-cluster/name": "t" } }, maxUnavailable: 0 });
    const f = await run(fleet("f", cloud));
    expect(f.error).toBeUndefined();
    expect(byName(f, PDB, "f-pdb").inputs.spec).toEqual({ selector: { matchLabels: { "app.kubernetes.io/name": "f", "gpu-cluster/name": "f" } }, maxUnavailable: 1 });
  });
});

describe("when managed clusters upgrade", () => {
  it("GKE: control-plane patches in a weekend window (24 h a week, over GKE's 48 h in 32 days), node upgrades excluded until end of support", async () => {
    const result = await run(training("g", "gcp"));
    expect(one(result, GKE_CLUSTER).maintenancePolicy).toEqual({
      recurringWindow: { startTime: "2026-01-03T00:00:00Z", endTime: "2026-01-03T12:00:00Z", recurrence: "FREQ=WEEKLY;BYDAY=SA,SU" },
      maintenanceExclusions: [
        { exclusionName: "gpu-cluster-no-node-upgrades", startTime: "2026-01-01T00:00:00Z", exclusionOptions: { scope: "NO_MINOR_OR_NODE_UPGRADES", endTimeBehavior: "UNTIL_END_OF_SUPPORT" } },
      ],
    });
  });

  it("AKS: both planned-maintenance schedules in one 36-hour weekend window; the GPU pool skips (never drains) an undrainable node", async () => {
    const result = await run(training("a", "azure"));
    const configs = ofType(result, AKS_MAINTENANCE).map((r) => r.inputs);
    expect(configs.map((c) => c.configName).sort()).toEqual(["aksManagedAutoUpgradeSchedule", "aksManagedNodeOSUpgradeSchedule"]);
    for (const c of configs) {
      expect(c.maintenanceWindow).toEqual({ schedule: { weekly: { dayOfWeek: "Saturday", intervalWeeks: 1 } }, durationHours: 36, startTime: "00:00", utcOffset: "+00:00" });
    }
    const gpuPool = ofType(result, AKS_POOL).find((p) => p.name === "a-gpu-nodes") ?? ofType(result, AKS_POOL)[0]!;
    expect(gpuPool.inputs.upgradeSettings).toEqual({ maxSurge: "0", maxUnavailable: "1", drainTimeoutInMinutes: 30, undrainableNodeBehavior: "Schedule" });
  });

  it.each([
    ["aws", "EKS: managed node groups never upgrade on their own"],
    ["gcp", "GKE: node upgrades are excluded until the version's end of support"],
    ["azure", "AKS: cluster patch upgrades and node image updates run only Saturday and Sunday 00:00-12:00 UTC"],
  ] as const)("%s: the plan note says when upgrades happen", async (cloud, start) => {
    const result = await run(training("n", cloud));
    const notes: string[] = ofType(result, "gpu-cluster:index:TrainingCluster")[0]!.inputs.plan.notes;
    expect(notes.filter((n) => n.startsWith(start))).toHaveLength(1);
  });
});

function one(result: Awaited<ReturnType<typeof run>>, type: string) {
  const found = ofType(result, type);
  expect(found).toHaveLength(1);
  return found[0]!.inputs;
}
