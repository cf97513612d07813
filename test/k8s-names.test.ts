/**
 * Kubernetes names generated from component names are unique per component: names that clean to the same DNS label
 * ("Team A" and "team-a"), long names sharing a prefix and non-ASCII names never share a namespace, Job or pool.
 * https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-label-names (DNS-1123 labels, 63 characters).
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { ofType, runRecording } from "./helpers/offline.js";

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

async function namesOf(component: string, storage: gpu.StorageSpec[] = []) {
  const { result, registrations } = await runRecording(
    () => new gpu.TrainingCluster(component, { cloud: "coreweave", region: "US-EAST-04", gpu: { instanceType: "gd-8xh100ib-i128", nodes: 2 }, storage }),
  );
  expect(result.error).toBeUndefined();
  const namespace = ofType(result, "kubernetes:core/v1:Namespace")[0]!;
  const job = ofType(result, "kubernetes:batch/v1:Job")[0]!;
  return { namespace: namespace.inputs.metadata.name as string, job: job.inputs.metadata.name as string, nsRegistration: registrations.get(namespace.name) };
}

describe("Kubernetes names per component", () => {
  it("a clean name is used as it is; names that clean alike get distinct labels", async () => {
    const clean = await namesOf("team-a");
    expect(clean.namespace).toBe("team-a");
    const spaced = await namesOf("Team A");
    expect(spaced.namespace).toMatch(/^team-a-[0-9a-f]{6}$/);
    expect(spaced.namespace).not.toBe(clean.namespace);
    expect(spaced.job).not.toBe(clean.job);
  });

  it("long names sharing their first 40 characters, and non-ASCII names, get distinct valid labels", async () => {
    const a = await namesOf("llm-pretraining-cluster-for-the-research-team-alpha");
    const b = await namesOf("llm-pretraining-cluster-for-the-research-team-bravo");
    expect(a.namespace).not.toBe(b.namespace);
    for (const n of [a.namespace, b.namespace]) {
      expect(n).toMatch(DNS_LABEL);
      expect(n.length).toBeLessThanOrEqual(40);
    }
    const accented = await namesOf("équipe-données");
    expect(accented.namespace).toMatch(DNS_LABEL);
    expect(accented.namespace).toMatch(/-[0-9a-f]{6}$/);
  });

  it("a namespace holding guarded claims is retained when the stack lets it go (deleting it would delete the claims)", async () => {
    const guarded = await namesOf("keep", [{ kind: "nfs", capacityTiB: 1, mountPath: "/data" }]);
    expect(guarded.nsRegistration).toMatchObject({ retainOnDelete: true });
    const unguarded = await namesOf("drop", [{ kind: "nfs", capacityTiB: 1, mountPath: "/data", deletionProtection: false }]);
    expect(unguarded.nsRegistration?.retainOnDelete).toBeUndefined();
  });
});
