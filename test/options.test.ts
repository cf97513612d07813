import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { run } from "./helpers/offline.js";

const SSH = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOfflinePreviewKeyNobodyHolds user@example";

/** A typo in any cloud's option bag is a SpecError naming the nearest key, before any resource exists. */
describe("cloud option bags reject unknown keys", () => {
  it.each([
    ["aws", { cloud: "aws", region: "us-east-1", gpu: { model: "H100", count: 16 }, aws: { vpcid: "vpc-1" } }, "aws.vpcid", /did you mean 'vpcId'/],
    ["gcp", { cloud: "gcp", region: "us-east4", gpu: { model: "H100", count: 16 }, gcp: { zones: "us-east4-a" } }, "gcp.zones", /did you mean 'zone'/],
    ["azure", { cloud: "azure", region: "eastus", gpu: { model: "H100", count: 16 }, azure: { sshPublicKey: SSH, vnetAdressSpace: "172.16.0.0/16" } }, "azure.vnetAdressSpace", /did you mean 'vnetAddressSpace'/],
    ["azure image", { cloud: "azure", region: "eastus", gpu: { model: "H100", count: 16 }, azure: { sshPublicKey: SSH, image: { publisher: "p", offer: "o", sku: "s", verison: "1" } } }, "azure.image.verison", /did you mean 'version'/],
    ["coreweave", { cloud: "coreweave", region: "US-EAST-04", gpu: { model: "H100", count: 16 }, coreweave: { namespce: "x" } }, "coreweave.namespce", /did you mean 'namespace'/],
    ["coreweave objectStorage", { cloud: "coreweave", region: "US-EAST-04", gpu: { model: "H100", count: 16 }, coreweave: { objectStorage: { endpont: "http://x" } } }, "coreweave.objectStorage.endpont", /did you mean 'endpoint'/],
  ])("%s", async (_cloud, args, path, message) => {
    const result = await run(() => new gpu.TrainingCluster("typo", args as unknown as gpu.TrainingClusterArgs));
    expect(result.error).toMatchObject({ name: "SpecError", path });
    expect((result.error as Error).message).toMatch(message);
    expect(result.resources).toEqual([]);
  });

  it("rejects options for another cloud", async () => {
    const result = await run(() => new gpu.TrainingCluster("wrong", { cloud: "aws", region: "us-east-1", gpu: { model: "H100", count: 16 }, gcp: { zone: "x" } }));
    expect(result.error).toMatchObject({ name: "SpecError", path: "gcp" });
  });
});

describe("orchestrator", () => {
  it("rejects VMs on CoreWeave before creating anything", async () => {
    const result = await run(() => new gpu.TrainingCluster("vm", { cloud: "coreweave", region: "US-EAST-04", gpu: { model: "H100", count: 16 }, orchestrator: "vm" }));
    expect(result.error).toMatchObject({ name: "SpecError", path: "orchestrator" });
    expect(result.resources).toEqual([]);
  });
});
