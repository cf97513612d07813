/**
 * Kubernetes fleets keep the model weights on the fleet's shared file system (vLLM production-stack's shared
 * `pvcStorage` volume), so a new pod loads them instead of downloading them again.
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { container, envOf, one, privateEndpoint, run } from "./helpers/offline.js";

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";

function coreweave(name: string, storage: gpu.InferenceFleetArgs["storage"]) {
  return () => new gpu.InferenceFleet(name, privateEndpoint({ cloud: "coreweave", region: "US-EAST-04", gpu: { model: "L40S", count: 8 }, replicas: { min: 1, max: 4 }, storage, coreweave: {} } as gpu.InferenceFleetArgs));
}

describe("model cache on Kubernetes", () => {
  it("puts HF_HOME on the shared file system, with a CHOWN-only init container handing the directory to the server's uid", async () => {
    const result = await run(coreweave("cached", [{ kind: "nfs", capacityTiB: 2, mountPath: "/models" }]));
    expect(result.error).toBeUndefined();
    const spec = one(result, DEPLOYMENT).inputs.spec.template.spec;
    const server = container(one(result, DEPLOYMENT));
    expect(envOf(server).HF_HOME).toBe("/models/huggingface");
    const mount = server.volumeMounts.find((m: { mountPath: string }) => m.mountPath === "/models");
    expect(mount).toBeDefined();
    const init = spec.initContainers.find((c: { name: string }) => c.name === "model-cache-owner");
    expect(init).toMatchObject({
      image: "vllm/vllm-openai:v0.11.0@sha256:014a95f21c9edf6abe0aea6b07353f96baa4ec291c427bb1176dc7c93a85845c",
      command: ["/bin/sh", "-c", "mkdir -p '/models/huggingface' && chown 1000:1000 '/models/huggingface'"],
      securityContext: { runAsUser: 0, runAsNonRoot: false, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"], add: ["CHOWN"] } },
      volumeMounts: [mount],
    });
  });

  it("picks the shared file system by storage name, so reordering storage moves nothing", async () => {
    const a = { kind: "nfs" as const, name: "alpha", capacityTiB: 1, mountPath: "/alpha" };
    const b = { kind: "nfs" as const, name: "beta", capacityTiB: 1, mountPath: "/beta" };
    for (const storage of [[a, b], [b, a]]) {
      const result = await run(coreweave("ordered", storage));
      expect(result.error).toBeUndefined();
      expect(envOf(container(one(result, DEPLOYMENT))).HF_HOME).toBe("/alpha/huggingface");
    }
  });

  it("without a shared file system keeps the cache in the pod's home (an emptyDir) and adds no init container", async () => {
    const result = await run(coreweave("plain", []));
    expect(result.error).toBeUndefined();
    expect(envOf(container(one(result, DEPLOYMENT))).HF_HOME).toBe("/home/gpu-cluster/.cache/huggingface");
    expect(one(result, DEPLOYMENT).inputs.spec.template.spec.initContainers).toBeUndefined();
  });
});

describe("drain on Kubernetes", () => {
  it("a leaving pod pauses 15 s for the endpoints to drop it, then has 300 s to finish its generations", async () => {
    const result = await run(coreweave("drain", []));
    const spec = one(result, DEPLOYMENT).inputs.spec.template.spec;
    expect(spec.terminationGracePeriodSeconds).toBe(315);
    expect(container(one(result, DEPLOYMENT)).lifecycle).toEqual({ preStop: { exec: { command: ["sleep", "15"] } } });
  });
});
