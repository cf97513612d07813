/**
 * GKE application-layer secrets encryption (https://cloud.google.com/kubernetes-engine/docs/how-to/encrypting-secrets):
 * the cluster's `databaseEncryption` names a Cloud KMS key the component creates, in the cluster's region, rotated, kept
 * on destroy (Cloud KMS never deletes key rings), and usable by GKE's service agent.
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { one, ofType, runRecording, privateEndpoint } from "./helpers/offline.js";

const T = {
  cluster: "gcp:container/cluster:Cluster",
  ring: "gcp:kms/keyRing:KeyRing",
  key: "gcp:kms/cryptoKey:CryptoKey",
  grant: "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember",
};

const gke = (name: string, gke: Record<string, unknown> = {}) => () =>
  new gpu.TrainingCluster(name, privateEndpoint({ cloud: "gcp", region: "us-central1", orchestrator: "kubernetes", gpu: { instanceType: "a3-megagpu-8g", nodes: 2 }, gcp: { gke } } as gpu.TrainingClusterArgs));

describe("GKE secrets encryption", () => {
  it("encrypts Secrets in etcd with the component's KMS key, which GKE's service agent may use and destroy leaves in place", async () => {
    const { result, registrations } = await runRecording(gke("kms"));
    expect(result.error).toBeUndefined();
    const ring = one(result, T.ring);
    const key = one(result, T.key);
    const grant = one(result, T.grant);
    const cluster = one(result, T.cluster);
    // A random suffix kept in state: a stack created again gets a ring of its own (KMS never frees a ring's name).
    expect(ring.inputs.location).toBe("us-central1");
    expect(ring.inputs.name).toMatch(/^kms-gke-secrets-[0-9a-f]{6}$/);
    // (Offline, a resource's id is "<name>-id".)
    expect(key.inputs).toMatchObject({ name: "gke-secrets", purpose: "ENCRYPT_DECRYPT", rotationPeriod: "7776000s", keyRing: "kms-gke-secrets-id" });
    expect(cluster.inputs.databaseEncryption).toEqual({ state: "ENCRYPTED", keyName: "kms-gke-secrets-key-id" });
    expect(grant.inputs).toMatchObject({
      cryptoKeyId: cluster.inputs.databaseEncryption.keyName,
      role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
      // The project number of the (offline) project: GKE's service agent.
      member: "serviceAccount:service-000000000000@container-engine-robot.iam.gserviceaccount.com",
    });
    // The cluster is created after the grant (GKE checks the key at create).
    expect(registrations.get("kms-gke")!.dependencies).toContain(grant.urn);
    // Cloud KMS never deletes a key ring or key: destroy leaves them in Pulumi's eyes too.
    expect(registrations.get(ring.name)).toMatchObject({ retainOnDelete: true });
    expect(registrations.get(key.name)).toMatchObject({ retainOnDelete: true });
  });

  it("an existing cluster gets no key (its encryption is the platform team's)", async () => {
    const { result } = await runRecording(gke("byo", { clusterName: "shared", installClusterAddons: false }));
    expect(result.error).toBeUndefined();
    expect(ofType(result, T.key)).toEqual([]);
    expect(ofType(result, T.ring)).toEqual([]);
  });
});
