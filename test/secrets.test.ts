/**
 * Secrets stay secret: a workload `env` value given as a Pulumi secret (or any Output) reaches the pods through one
 * Kubernetes Secret of the component, by `valueFrom.secretKeyRef`, and never as a plaintext `value` in a Job or
 * Deployment spec (https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-environment-variables).
 */
import { describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import * as gpu from "gpu-cluster";
import type { OfflineRun, RecordedResource } from "../lib/preview/offline.js";
import { byName, container, envOf, ofType, one, run, privateEndpoint } from "./helpers/offline.js";

const K = {
  secret: "kubernetes:core/v1:Secret",
  job: "kubernetes:batch/v1:Job",
  deployment: "kubernetes:apps/v1:Deployment",
};

/** Pulumi's wire marker of a secret value (the engine receives `{ [SIG]: SECRET, value }`). */
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";

function isSecret(value: unknown): value is { value: unknown } {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIG] === SECRET;
}

const TOKEN = "hf_offline_test_token_0123456789";

const gkeFleet = (name: string, gke: Record<string, unknown>) => () =>
  new gpu.InferenceFleet(name, privateEndpoint({ cloud: "gcp", region: "us-central1", orchestrator: "kubernetes", gpu: { model: "L4" }, replicas: { min: 1, max: 2 }, gcp: { gke } } as gpu.InferenceFleetArgs));
const gkeTraining = (name: string, gke: Record<string, unknown>) => () =>
  new gpu.TrainingCluster(name, privateEndpoint({ cloud: "gcp", region: "us-central1", orchestrator: "kubernetes", gpu: { instanceType: "a3-megagpu-8g", nodes: 2 }, gcp: { gke } } as gpu.TrainingClusterArgs));
const coreweaveFleet = (name: string, coreweave: Record<string, unknown>) => () =>
  new gpu.InferenceFleet(name, privateEndpoint({ cloud: "coreweave", region: "US-EAST-04", gpu: { model: "L40S" }, replicas: { min: 1, max: 2 }, coreweave } as gpu.InferenceFleetArgs));
const eksTraining = (name: string, eks: Record<string, unknown>) => () =>
  new gpu.TrainingCluster(name, privateEndpoint({ cloud: "aws", region: "us-east-1", orchestrator: "kubernetes", gpu: { instanceType: "p5.48xlarge", nodes: 2 }, aws: { eks } } as gpu.TrainingClusterArgs));

/** The env entry of a container by name. */
function envVar(c: { env: { name: string }[] }, name: string): any {
  return c.env.find((e) => e.name === name);
}

/** Every workload (Job, Deployment) the run compiled, with its inputs as the engine stores them. */
function workloads(result: OfflineRun): RecordedResource[] {
  return [...ofType(result, K.job), ...ofType(result, K.deployment)];
}

describe("workload env: Pulumi secrets go through a Kubernetes Secret, never into a pod spec", () => {
  it("GKE fleet: HF_TOKEN as pulumi.secret is a secretKeyRef into <name>-env, whose stringData is a Pulumi secret; plain strings stay inline", async () => {
    const result = await run(gkeFleet("llm", { env: { HF_TOKEN: pulumi.secret(TOKEN), VLLM_LOGGING_LEVEL: "INFO" } }));
    expect(result.error).toBeUndefined();
    const server = container(one(result, K.deployment));
    expect(envVar(server, "HF_TOKEN")).toEqual({ name: "HF_TOKEN", valueFrom: { secretKeyRef: { name: "llm-env", key: "HF_TOKEN" } } });
    expect(envVar(server, "VLLM_LOGGING_LEVEL")).toEqual({ name: "VLLM_LOGGING_LEVEL", value: "INFO" });

    const secret = one(result, K.secret);
    expect(secret.name).toBe("llm-env");
    expect(secret.inputs.metadata).toMatchObject({ name: "llm-env", namespace: "llm" });
    expect(secret.inputs.type).toBe("Opaque");
    expect(isSecret(secret.inputs.stringData)).toBe(true);
    expect((secret.inputs.stringData as { value: unknown }).value).toEqual({ HF_TOKEN: TOKEN });
    // The token is nowhere in any workload's inputs (what state and the preview hold of the Deployment).
    for (const w of workloads(result)) expect(JSON.stringify(w.inputs)).not.toContain(TOKEN);
  });

  it("a plain (non-secret) Output goes through the Secret too: only literal strings are inline", async () => {
    const result = await run(coreweaveFleet("srv", { env: { BUCKET: pulumi.output("my-bucket"), MODE: "serve" } }));
    expect(result.error).toBeUndefined();
    const server = container(one(result, K.deployment));
    expect(envVar(server, "BUCKET").valueFrom.secretKeyRef).toEqual({ name: "srv-env", key: "BUCKET" });
    expect(envOf(server).MODE).toBe("serve");
    expect(isSecret(one(result, K.secret).inputs.stringData)).toBe(true);
  });

  it("no Secret when every value is a plain string", async () => {
    const result = await run(coreweaveFleet("plain", { env: { MODE: "serve" } }));
    expect(result.error).toBeUndefined();
    expect(ofType(result, K.secret)).toEqual([]);
  });

  it("GKE training (TCPXO): the token is read from the Secret by the training and acceptance pods, and the profile wrapper restores it by name only", async () => {
    const result = await run(gkeTraining("tr", { acceptanceTest: true, env: { HF_TOKEN: pulumi.secret(TOKEN) } }));
    expect(result.error).toBeUndefined();
    expect(ofType(result, K.secret).map((s) => s.name)).toEqual(["tr-env"]);
    for (const job of [byName(result, K.job, "tr-job"), byName(result, K.job, "tr-nccl-check")]) {
      const main = container(job);
      expect(envVar(main, "HF_TOKEN"), job.name).toEqual({ name: "HF_TOKEN", valueFrom: { secretKeyRef: { name: "tr-env", key: "HF_TOKEN" } } });
      // Google's profile is sourced first; the user's value (from the Secret, in the environment) is put back after it.
      // (after the wait for the node's installer to have copied the profile, lib/fabric/gke.ts)
      expect(main.command[2]).toMatch(/__gpu_cluster_user_HF_TOKEN="\$HF_TOKEN" && \{ for i in .*nccl-env-profile\.sh.* && NCCL_LIB_DIR=/);
      expect(main.command[2]).toContain('export HF_TOKEN="$__gpu_cluster_user_HF_TOKEN" && exec "$@"');
      expect(JSON.stringify(job.inputs)).not.toContain(TOKEN);
    }
  });

  it("EKS training: same Secret and reference", async () => {
    const result = await run(eksTraining("efa", { env: { WANDB_API_KEY: pulumi.secret("wandb-secret-value") } }));
    expect(result.error).toBeUndefined();
    const trainer = container(byName(result, K.job, "efa-job"));
    expect(envVar(trainer, "WANDB_API_KEY").valueFrom.secretKeyRef).toEqual({ name: "efa-env", key: "WANDB_API_KEY" });
    expect(JSON.stringify(byName(result, K.job, "efa-job").inputs)).not.toContain("wandb-secret-value");
  });

  it("a value that is neither a string nor an Output is a SpecError naming the field, before anything is created", async () => {
    const result = await run(gkeFleet("bad", { env: { RETRIES: 3 } }));
    expect(result.error).toMatchObject({ name: "SpecError", path: "gcp.gke.env.RETRIES" });
    expect(result.resources).toEqual([]);
  });
});

describe("the offline report keeps secrets secret", () => {
  it("replaces every secret-marked input with [secret] in plan --format json", async () => {
    const { redactSecrets } = await import("../lib/cli/report.js");
    const marked = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: { HF_TOKEN: "hf_SUPERSECRETVALUE" } };
    const inputs = { metadata: { name: "srv-env" }, stringData: marked, list: [marked, "plain"] };
    expect(redactSecrets(inputs)).toEqual({ metadata: { name: "srv-env" }, stringData: "[secret]", list: ["[secret]", "plain"] });
    expect(JSON.stringify(redactSecrets(inputs))).not.toContain("hf_SUPERSECRETVALUE");
  });
});
