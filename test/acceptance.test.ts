import { describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import * as gpu from "gpu-cluster";
import { Job } from "kubernetes-models/batch/v1";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { Role, RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1";
import { ConfigMap, Service, ServiceAccount } from "kubernetes-models/v1";
import { ofType, run, byName, container, envOf, runRecording, privateEndpoint } from "./helpers/offline.js";

const K = {
  service: "kubernetes:core/v1:Service",
  configMap: "kubernetes:core/v1:ConfigMap",
  serviceAccount: "kubernetes:core/v1:ServiceAccount",
  role: "kubernetes:rbac.authorization.k8s.io/v1:Role",
  roleBinding: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
  job: "kubernetes:batch/v1:Job",
  netpol: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
};

const SCHEMAS: Record<string, new (data: any) => { validate(): void }> = {
  [K.service]: Service,
  [K.configMap]: ConfigMap,
  [K.serviceAccount]: ServiceAccount,
  [K.role]: Role,
  [K.roleBinding]: RoleBinding,
  [K.job]: Job,
  [K.netpol]: NetworkPolicy,
};






function resolve<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((done) => output.apply((v) => done(v)));
}

const clouds = {
  coreweave: {
    args: (name: string, on: boolean) =>
      new gpu.TrainingCluster(name, privateEndpoint({ cloud: "coreweave", region: "US-EAST-04", gpu: { instanceType: "gd-8xh100ib-i128", nodes: 8 }, ...(on ? { coreweave: { acceptanceTest: true } } : {}) } as gpu.TrainingClusterArgs)),
    fabric: { "rdma/ib": "1" },
  },
  eks: {
    args: (name: string, on: boolean) =>
      new gpu.TrainingCluster(name, privateEndpoint({
        cloud: "aws",
        region: "us-east-1",
        orchestrator: "kubernetes",
        gpu: { instanceType: "p5.48xlarge", nodes: 8 },
        ...(on ? { aws: { eks: { acceptanceTest: true } } } : {}),
      } as gpu.TrainingClusterArgs)),
    fabric: { "vpc.amazonaws.com/efa": "32" },
  },
};

describe.each(Object.entries(clouds))("fabric acceptance test on %s", (_cloud, { args, fabric }) => {
  it("runs a two-node indexed Job with the training pods' GPUs, fabric, placement and NCCL environment", async () => {
    let cluster: gpu.TrainingCluster | undefined;
    const { result, registrations } = await runRecording(() => (cluster = args("accept", true)));
    expect(result.error).toBeUndefined();
    const training = byName(result, K.job, "accept-job");
    const check = byName(result, K.job, "accept-nccl-check");
    expect(check.inputs.metadata.name).toBe("accept-nccl-check");
    expect(check.inputs.spec).toMatchObject({ completionMode: "Indexed", completions: 2, parallelism: 2, backoffLimit: 0 });

    const t = container(training);
    const c = container(check);
    expect(c.resources).toEqual(t.resources);
    expect(c.resources.limits).toMatchObject({ "nvidia.com/gpu": "8", ...fabric });
    expect(c.securityContext.capabilities).toEqual(t.securityContext.capabilities);
    const pod = check.inputs.spec.template.spec;
    const trainingPod = training.inputs.spec.template.spec;
    expect(pod.affinity).toEqual(trainingPod.affinity);
    expect(pod.tolerations).toEqual(trainingPod.tolerations);
    expect(check.inputs.spec.template.metadata.annotations).toEqual(training.inputs.spec.template.metadata.annotations);
    // Same NCCL / fabric environment; its own rendezvous on pod 0 of the check Job, two nodes.
    const env = envOf(c);
    for (const [k, v] of Object.entries(envOf(t))) if (!["MASTER_ADDR", "NNODES"].includes(k)) expect(env[k], k).toBe(v);
    expect(env).toMatchObject({ MASTER_ADDR: "accept-nccl-check-0.accept-nccl-check", NNODES: "2", NPROC_PER_NODE: "8", CHECK_RESULT_CONFIGMAP: "accept-nccl-check" });
    expect(env["CHECK_SCRIPT"]).toContain("busbw = algbw * 2 * (n - 1) / n");
    expect(c.image).toBe("nvcr.io/nvidia/pytorch:25.01-py3");
    expect(c.command.join(" ")).toContain("torchrun");
    expect(pod).toMatchObject({ serviceAccountName: "accept-nccl-check", automountServiceAccountToken: false, subdomain: "accept-nccl-check", restartPolicy: "Never" });
    // The token reaches the test container only (read-only, where the script reads it), not the pod's other containers.
    const tokenVolume = pod.volumes.find((v: { projected?: unknown }) => v.projected);
    expect(tokenVolume.projected.sources.map((s: object) => Object.keys(s)[0])).toEqual(["serviceAccountToken", "configMap", "downwardAPI"]);
    expect(c.volumeMounts).toContainEqual({ name: tokenVolume.name, mountPath: "/var/run/secrets/kubernetes.io/serviceaccount", readOnly: true });
    // The training pods keep no token.
    expect(trainingPod.automountServiceAccountToken).toBe(false);

    // `up` waits for the check (bounded), not for training; training starts after the check.
    expect(check.inputs.metadata.annotations?.["pulumi.com/skipAwait"]).toBeUndefined();
    expect(training.inputs.metadata.annotations).toMatchObject({ "pulumi.com/skipAwait": "true" });
    expect(registrations.get("accept-nccl-check")?.customTimeouts?.create).toBe("90m");
    expect(registrations.get("accept-job")!.dependencies).toContain(check.urn);

    const svc = byName(result, K.service, "accept-nccl-check-svc").inputs;
    expect(svc.spec).toMatchObject({ clusterIP: "None", selector: check.inputs.spec.template.metadata.labels, publishNotReadyAddresses: true });
    expect(svc.spec.selector).not.toEqual(byName(result, K.service, "accept-svc").inputs.spec.selector);

    // RBAC: patch/update of the one result ConfigMap, nothing else.
    const role = byName(result, K.role, "accept-nccl-check").inputs;
    expect(role.rules).toEqual([{ apiGroups: [""], resources: ["configmaps"], resourceNames: ["accept-nccl-check"], verbs: ["patch", "update"] }]);
    const binding = byName(result, K.roleBinding, "accept-nccl-check").inputs;
    expect(binding.roleRef).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "accept-nccl-check" });
    expect(binding.subjects).toEqual([{ kind: "ServiceAccount", name: "accept-nccl-check", namespace: "accept" }]);
    expect(byName(result, K.configMap, "accept-nccl-check").inputs).toMatchObject({ metadata: { name: "accept-nccl-check" }, data: {} });
    // The result is read back after the Job.
    expect(registrations.get("accept-nccl-check-result")?.dependencies).toContain(check.urn);

    // Every manifest the test adds validates against the upstream schema.
    for (const resource of result.resources.filter((r) => r.name.startsWith("accept-nccl-check") && r.name !== "accept-nccl-check-result")) {
      const Model = SCHEMAS[resource.type];
      expect(Model, resource.type).toBeDefined();
      expect(() => new Model!(resource.inputs).validate(), `${resource.type} ${resource.name}`).not.toThrow();
    }
    // Offline (a preview) nothing runs: the read-back ConfigMap has no data yet, so the output is not known.
    const value = cluster!.ncclBusBandwidthGBps as unknown as { isKnown: Promise<boolean>; promise(withUnknowns?: boolean): Promise<unknown> };
    expect(await value.isKnown).toBe(false);
  });

  it("creates none of it without the option", async () => {
    let cluster: gpu.TrainingCluster | undefined;
    const result = await run(() => (cluster = args("plain", false)));
    expect(result.error).toBeUndefined();
    expect(result.resources.filter((r) => r.name.includes("nccl-check"))).toEqual([]);
    expect(ofType(result, K.role)).toEqual([]);
    expect(ofType(result, K.roleBinding)).toEqual([]);
    // The only service account is the node health gate's (test/node-health.test.ts), on every cluster.
    expect(ofType(result, K.serviceAccount).map((sa) => sa.name)).toEqual(["plain-node-health"]);
    expect(ofType(result, K.job)).toHaveLength(1);
    expect(await resolve(cluster!.ncclBusBandwidthGBps)).toBeUndefined();
  });
});

describe("fabric acceptance test options", () => {
  it("is a training option that needs two nodes", async () => {
    const one = await run(() => new gpu.TrainingCluster("solo", privateEndpoint({ cloud: "coreweave", region: "US-EAST-04", gpu: { instanceType: "gd-8xh100ib-i128", nodes: 1 }, coreweave: { acceptanceTest: true } } as gpu.TrainingClusterArgs)));
    expect(one.error).toMatchObject({ name: "SpecError", path: "coreweave.acceptanceTest" });
    expect(one.resources).toEqual([]);
    const fleet = await run(() => new gpu.InferenceFleet("f", privateEndpoint({ cloud: "coreweave", region: "US-EAST-04", gpu: { model: "L40S" }, replicas: { min: 1, max: 2 }, coreweave: { acceptanceTest: true } } as gpu.InferenceFleetArgs)));
    expect(fleet.error).toMatchObject({ name: "SpecError", path: "coreweave.acceptanceTest" });
  });
});
