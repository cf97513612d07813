import { describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import * as gpu from "gpu-cluster";
import { Job } from "kubernetes-models/batch/v1";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { Role, RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1";
import { ConfigMap, Service, ServiceAccount } from "kubernetes-models/v1";
import { ofType, run, byName, container, envOf, runRecording, privateEndpoint } from "./helpers/offline.js";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { azureGatePeers, CLOUD_CAUSES, fabricGate, gateVerdictLines, LIKELY_CAUSES, vmGateScript } from "../lib/clouds/shared/fabric-gate.js";
import { gateRunTag } from "../lib/clouds/azure/training.js";

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

/** `on`: true / false sets `acceptanceTest`; undefined leaves it out (the default). */
const clouds = {
  coreweave: {
    args: (name: string, on: boolean | undefined) =>
      new gpu.TrainingCluster(name, privateEndpoint({ cloud: "coreweave", region: "US-EAST-04", gpu: { instanceType: "gd-8xh100ib-i128", nodes: 8 }, ...(on !== undefined ? { coreweave: { acceptanceTest: on } } : {}) } as gpu.TrainingClusterArgs)),
    fabric: { "rdma/ib": "1" },
    // 60% of 365.90 GB/s, coreweave/nccl-tests README (H100, 1 GiB row), rounded down to 0.1.
    floor: 219.5,
    // CoreWeave's own causes (CLOUD_CAUSES), not Azure's.
    causes: CLOUD_CAUSES.coreweave!.infiniband!.kubernetes!,
    // NGC PyTorch: NCCL's built-in InfiniBand transport needs no plugin (NCCL_NET=IB).
    image: "nvcr.io/nvidia/pytorch:25.01-py3",
  },
  eks: {
    args: (name: string, on: boolean | undefined) =>
      new gpu.TrainingCluster(name, privateEndpoint({
        cloud: "aws",
        region: "us-east-1",
        orchestrator: "kubernetes",
        gpu: { instanceType: "p5.48xlarge", nodes: 8 },
        ...(on !== undefined ? { aws: { eks: { acceptanceTest: on } } } : {}),
      } as gpu.TrainingClusterArgs)),
    fabric: { "vpc.amazonaws.com/efa": "32" },
    // On EKS: 60% of 313.29 GB/s, the EKS MPIJob run of awsome-distributed-training's nccl-tests README (2x p5.48xlarge,
    // 1 GiB row), rounded down (the VM path's floor is its Slurm run's: 262.1, test/fabric-floors.test.ts).
    floor: 187.9,
    causes: LIKELY_CAUSES.efa.kubernetes,
    // AWS's PyTorch DLC for EC2: libfabric and aws-ofi-nccl on its own LD_LIBRARY_PATH (lib/clouds/kubernetes/options.ts).
    image: "public.ecr.aws/deep-learning-containers/pytorch-training:2.8.0-gpu-py312-cu129-ubuntu22.04-ec2-v1.0",
  },
};

describe.each(Object.entries(clouds))("fabric acceptance test on %s", (_cloud, { args, fabric, floor, causes, image }) => {
  it.each([["on by default", undefined], ["acceptanceTest: true", true]] as const)("%s: runs a two-node indexed Job with the training pods' GPUs, fabric, placement and NCCL environment", async (_label, on) => {
    let cluster: gpu.TrainingCluster | undefined;
    const { result, registrations } = await runRecording(() => (cluster = args("accept", on)));
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
    for (const [k, v] of Object.entries(envOf(t))) if (!["MASTER_ADDR", "NNODES", "CHECK_SCRIPT"].includes(k)) expect(env[k], k).toBe(v);
    expect(env).toMatchObject({ MASTER_ADDR: "accept-nccl-check-0.accept-nccl-check", NNODES: "2", NPROC_PER_NODE: "8", CHECK_RESULT_CONFIGMAP: "accept-nccl-check", CHECK_MESSAGE_BYTES: "1073741824" });
    expect(env["CHECK_SCRIPT"]).toContain("busbw = algbw * 2 * (n - 1) / n");
    expect(c.image).toBe(image);
    // The image's own LD_LIBRARY_PATH (where the DLC keeps aws-ofi-nccl and libfabric) is not replaced by the pod.
    expect(env["LD_LIBRARY_PATH"]).toBeUndefined();
    // Across the two pods' Nodes: torchrun over NNODES=2, the node rank from the indexed Job; each pod takes all 8 GPUs
    // of its Node (above), so the two pods never share a Node.
    expect(c.command.join(" ")).toContain('torchrun --nnodes="$NNODES" --nproc-per-node="$NPROC_PER_NODE" --node-rank="$JOB_COMPLETION_INDEX"');

    // The gate: the floor of the type, the failure message with the figure left for the script, and the script's exit.
    expect(env["CHECK_FLOOR_GBPS"]).toBe(String(floor));
    const message = env["CHECK_FAILURE_MESSAGE"]!;
    expect(message).toContain("is {measured} GB/s");
    expect(message).toContain(`below the floor of ${floor} GB/s`);
    for (const cause of causes) expect(message).toContain(cause);
    expect(message).toContain("acceptanceTest: false");
    // NCCL's own report of its transport: logged to a file per process and judged (H100 over InfiniBand and p5 over EFA
    // both do GPUDirect RDMA: lib/clouds/shared/transport-expectation.ts); no NIC count is expected anywhere yet.
    expect(env).toMatchObject({ CHECK_TRANSPORT: "1", CHECK_EXPECT_GDR: "1" });
    expect(env["CHECK_EXPECT_NET_DEVICES"]).toBeUndefined();
    expect(env["CHECK_TRANSPORT_FAILURE_MESSAGE"]).toContain("shows it is not using the whole fabric: {transport}.");
    for (const cause of causes) expect(env["CHECK_TRANSPORT_FAILURE_MESSAGE"]).toContain(cause);
    expect(env["CHECK_SCRIPT"]).toContain('"NCCL_DEBUG_FILE": "/tmp/nccl-check.%h.%p"');
    expect(env["CHECK_SCRIPT"]).toContain('data["transport"] = transport');
    expect(env["CHECK_SCRIPT"]).toContain("if floor is not None and not busbw >= float(floor):");
    expect(env["CHECK_SCRIPT"]).toContain('.replace("{measured}", f"{busbw:.2f}")');
    expect(env["CHECK_SCRIPT"]).toMatch(/if rank == 0 and not passed:[\s\S]*\/dev\/termination-log[\s\S]*sys\.exit\(1\)/);
    // A failed check is replaced (and so rerun) by the next `up`.
    expect(check.inputs.metadata.annotations).toEqual({ "pulumi.com/replaceUnready": "true" });
    expect(await resolve(cluster!.ncclBusBandwidthFloorGBps)).toBe(floor);
    expect(pod).toMatchObject({ serviceAccountName: "accept-nccl-check", automountServiceAccountToken: false, subdomain: "accept-nccl-check", restartPolicy: "Never" });
    // The token reaches the test container only (read-only, where the script reads it), not the pod's other containers.
    const tokenVolume = pod.volumes.find((v: { projected?: unknown }) => v.projected);
    expect(tokenVolume.projected.sources.map((s: object) => Object.keys(s)[0])).toEqual(["serviceAccountToken", "configMap", "downwardAPI"]);
    expect(c.volumeMounts).toContainEqual({ name: tokenVolume.name, mountPath: "/var/run/secrets/kubernetes.io/serviceaccount", readOnly: true });
    // The training pods keep no token.
    expect(trainingPod.automountServiceAccountToken).toBe(false);

    // `up` waits for the check (bounded), not for training; training starts after the check (so not after a failed one).
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

  it("creates none of it with acceptanceTest: false", async () => {
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
    expect(await resolve(cluster!.ncclBusBandwidthFloorGBps)).toBeUndefined();
  });

  it("the default training Job runs the all-reduce with torchrun across every Node of the plan", async () => {
    const result = await run(() => args("train", false));
    expect(result.error).toBeUndefined();
    const training = byName(result, K.job, "train-job");
    expect(training.inputs.spec).toMatchObject({ completionMode: "Indexed", completions: 8, parallelism: 8 });
    const c = container(training);
    expect(c.image).toBe(image);
    expect(c.command.join(" ")).toContain('torchrun --nnodes="$NNODES" --nproc-per-node="$NPROC_PER_NODE" --node-rank="$JOB_COMPLETION_INDEX" --master-addr="$MASTER_ADDR"');
    const env = envOf(c);
    expect(env).toMatchObject({ NNODES: "8", NPROC_PER_NODE: "8", MASTER_ADDR: "train-0.train" });
    expect(env["CHECK_SCRIPT"]).toContain("dist.all_reduce(x)");
    // No result ConfigMap and no floor in the training Job: only the check gates `up`.
    expect(env["CHECK_SCRIPT"]).not.toContain("CHECK_RESULT_CONFIGMAP");
    expect(env["CHECK_FLOOR_GBPS"]).toBeUndefined();
    // Nor the transport check: the training Job keeps NCCL's logging as the user set it and never fails on it.
    for (const k of ["CHECK_TRANSPORT", "CHECK_EXPECT_GDR", "CHECK_EXPECT_NET_DEVICES", "CHECK_TRANSPORT_FAILURE_MESSAGE"]) expect(env[k], k).toBeUndefined();
  });
});

describe("fabric acceptance test options", () => {
  it("is not on by default for a single node or an inference fleet (and refuses nothing there)", async () => {
    const one = await run(() => new gpu.TrainingCluster("solo", privateEndpoint({ cloud: "coreweave", region: "US-EAST-04", gpu: { instanceType: "gd-8xh100ib-i128", nodes: 1 } } as gpu.TrainingClusterArgs)));
    expect(one.error).toBeUndefined();
    expect(one.resources.filter((r) => r.name.includes("nccl-check"))).toEqual([]);
    const fleet = await run(() => new gpu.InferenceFleet("f", privateEndpoint({ cloud: "coreweave", region: "US-EAST-04", gpu: { model: "L40S" }, replicas: { min: 1, max: 2 } } as gpu.InferenceFleetArgs)));
    expect(fleet.error).toBeUndefined();
    expect(fleet.resources.filter((r) => r.name.includes("nccl-check"))).toEqual([]);
  });

  it("a user command keeps the cloud's NCCL test image; a user image keeps its entrypoint", async () => {
    const withCommand = await run(() => new gpu.TrainingCluster("cmd", privateEndpoint({ cloud: "coreweave", region: "US-EAST-04", gpu: { instanceType: "gd-8xh100ib-i128", nodes: 2 }, coreweave: { command: ["/opt/nccl_tests/build/all_reduce_perf", "-g", "8"] } } as gpu.TrainingClusterArgs)));
    const c = container(byName(withCommand, K.job, "cmd-job"));
    expect(c.image).toBe("ghcr.io/coreweave/nccl-tests:12.9.1-devel-ubuntu22.04-nccl2.30.4-1-2eedd7c");
    expect(c.command).toEqual(["/opt/nccl_tests/build/all_reduce_perf", "-g", "8"]);
    const withImage = await run(() => new gpu.TrainingCluster("img", privateEndpoint({ cloud: "coreweave", region: "US-EAST-04", gpu: { instanceType: "gd-8xh100ib-i128", nodes: 2 }, coreweave: { image: "example.com/trainer:1" } } as gpu.TrainingClusterArgs)));
    const i = container(byName(withImage, K.job, "img-job"));
    expect(i.image).toBe("example.com/trainer:1");
    expect(i.command).toBeUndefined();
  });

  it("is a training option that needs two nodes", async () => {
    const one = await run(() => new gpu.TrainingCluster("solo", privateEndpoint({ cloud: "coreweave", region: "US-EAST-04", gpu: { instanceType: "gd-8xh100ib-i128", nodes: 1 }, coreweave: { acceptanceTest: true } } as gpu.TrainingClusterArgs)));
    expect(one.error).toMatchObject({ name: "SpecError", path: "coreweave.acceptanceTest" });
    expect(one.resources).toEqual([]);
    const fleet = await run(() => new gpu.InferenceFleet("f", privateEndpoint({ cloud: "coreweave", region: "US-EAST-04", gpu: { model: "L40S" }, replicas: { min: 1, max: 2 }, coreweave: { acceptanceTest: true } } as gpu.InferenceFleetArgs)));
    expect(fleet.error).toMatchObject({ name: "SpecError", path: "coreweave.acceptanceTest" });
  });
});

describe("the gate's verdict on a VM node (the shared shell piece)", () => {
  const plan = gpu.planCluster({ cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 } });
  const gate = fabricGate(plan, "vm")!;

  /** Runs the lines under bash with `busbw` set, a stub `logger`, and the record in a temporary directory. */
  function verdict(busbw: string | undefined) {
    const dir = mkdtempSync(join(tmpdir(), "gate-"));
    const script = [
      "set -u",
      "logger() { :; }",
      ...(busbw === undefined ? [] : [`busbw=${busbw}`]),
      ...gateVerdictLines(gate, 'echo "published $busbw $verdict" > "$GATE_DIR/published"'),
    ]
      .join("\n")
      .replaceAll("/var/lib/gpu-cluster", dir);
    const result = spawnSync("bash", ["-c", script], { encoding: "utf8", env: { ...process.env, GATE_DIR: dir } });
    return { status: result.status, stderr: result.stderr, record: readFileSync(join(dir, "fabric-gate"), "utf8"), published: readFileSync(join(dir, "published"), "utf8") };
  }

  it("passes at or above the floor, records and publishes the figure", () => {
    expect(gate.floor.floorGBps).toBe(262.1);
    const ok = verdict("262.10");
    expect(ok).toMatchObject({ status: 0, stderr: "", record: "verdict=passed busbw=262.10 floor=262.1 transport=none\n", published: "published 262.10 passed\n" });
  });

  it("fails below the floor with the figure, the floor and the EFA causes for VMs, and still publishes", () => {
    const low = verdict("80.16");
    expect(low.status).toBe(1);
    expect(low.stderr).toContain("fabric check FAILED on p5.48xlarge (efa, vm): NCCL all-reduce bus bandwidth across 2 nodes is 80.16 GB/s,");
    expect(low.stderr).toContain("below the floor of 262.1 GB/s");
    for (const cause of LIKELY_CAUSES.efa.vm) expect(low.stderr).toContain(cause);
    expect(low.record).toMatch(/^verdict=failed busbw=80.16 floor=262.1 transport=none\n/);
    expect(low.published).toBe("published 80.16 failed\n");
  });

  it("fails when no figure was measured (the run crashed) or the figure is not a number", () => {
    expect(verdict(undefined)).toMatchObject({ status: 1, record: expect.stringMatching(/^verdict=failed busbw=none/) });
    expect(verdict("'nan'").status).toBe(1);
  });
});

/** A `docker` on PATH (timeout runs it as a program) that runs `body` instead of a container. */
function stubDocker(dir: string, body: string): string {
  const bin = join(dir, "bin");
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, "docker"), `#!/bin/bash\n${body}\n`, { mode: 0o755 });
  return `${bin}:${process.env["PATH"]}`;
}

describe("the fabric gate on Azure VMs", () => {
  const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG9mZmxpbmUtdGVzdC1rZXktZm9yLW1hdHJpeA gate";
  const nd = (name: string, azure: Record<string, unknown> = {}, nodes = 4) =>
    new gpu.TrainingCluster(name, privateEndpoint({ cloud: "azure", region: "eastus", gpu: { instanceType: "Standard_ND96isr_H100_v5", nodes }, azure: { sshPublicKey: key, ...azure } } as gpu.TrainingClusterArgs));
  const scaleSet = (result: Awaited<ReturnType<typeof run>>) => result.resources.find((r) => r.type === "azure-native:compute:VirtualMachineScaleSet")!;

  it("is a CustomScript extension of the scale set: the first two VMs run the check in the NGC container over InfiniBand, and fail below the floor", async () => {
    const result = await run(() => nd("ndgate"));
    expect(result.error).toBeUndefined();
    const extensions = scaleSet(result).inputs.virtualMachineProfile.extensionProfile.extensions;
    // The other extension is the Application Health one (test/vm-health.test.ts).
    expect(extensions.map((e: { name: string }) => e.name)).toEqual(["gpu-cluster-health", "gpu-cluster-fabric-gate"]);
    const gateExt = extensions[1];
    expect(gateExt).toMatchObject({ name: "gpu-cluster-fabric-gate", publisher: "Microsoft.Azure.Extensions", type: "CustomScript", typeHandlerVersion: "2.1" });
    const script = Buffer.from(gateExt.protectedSettings.script, "base64").toString("utf8");
    // It waits for cloud-init (the custom data moves /var/lib/docker) before it measures, inside the scale set's
    // extension budget (lib/clouds/azure/gate-peers.ts, test/azure-vm-gate.test.ts).
    expect(script.indexOf("timeout 2400 cloud-init status --wait")).toBeGreaterThan(0);
    expect(script.indexOf("timeout 2400 cloud-init status --wait")).toBeLessThan(script.indexOf("docker run"));
    // VM wording: reimage the two check VMs, not a Kubernetes Job.
    expect(script).toContain("az vmss reimage --instance-ids 0 1");
    expect(script).not.toContain("check Job is replaced");
    // forceUpdateTag: the hash of the script, the image and the custom data (learn.microsoft.com custom-script-linux).
    const customData = Buffer.from(scaleSet(result).inputs.virtualMachineProfile.osProfile.customData, "base64").toString("utf8");
    expect(gateExt.forceUpdateTag).toBe(gateRunTag(script, { publisher: "microsoft-dsvm", offer: "ubuntu-hpc", sku: "2204", version: "22.04.2026072901" }, customData));
    expect(gateExt.forceUpdateTag).toMatch(/^[0-9a-f]{16}$/);
    // Another node configuration (the user's own custom data) runs the check again; the same one does not.
    const other = await run(() => nd("ndgate", { customData: "echo tuned" }));
    const again = await run(() => nd("ndgate"));
    const tagOf = (r: Awaited<ReturnType<typeof run>>) => scaleSet(r).inputs.virtualMachineProfile.extensionProfile.extensions[1].forceUpdateTag;
    expect(tagOf(other)).not.toBe(gateExt.forceUpdateTag);
    expect(tagOf(again)).toBe(gateExt.forceUpdateTag);
    // The two check VMs by name (computerNamePrefix + base-36 instance id), rank 0 the rendezvous.
    const prefix = scaleSet(result).inputs.virtualMachineProfile.osProfile.computerNamePrefix;
    expect(script).toContain(`  ${prefix}000000) rank=0 ;;`);
    expect(script).toContain(`  ${prefix}000001) rank=1 ;;`);
    expect(script).toContain(`--nnodes=2 --nproc-per-node=8 --node-rank="$rank" --master-addr=${prefix}000000 --master-port=29500`);
    expect(script).toContain("--device /dev/infiniband --mount type=bind,src=/opt/microsoft,dst=/opt/microsoft,readonly --mount type=bind,src=/etc/nccl.conf,dst=/etc/nccl.conf,readonly");
    expect(script).toContain("nvcr.io/nvidia/pytorch:25.01-py3");
    expect(script).toContain("export NCCL_NET='IB'");
    // The floor of the size (60% of Microsoft's ~450 GB/s ND H100 v5 baseline, lib/fabric/floors.ts) and the InfiniBand causes for VMs.
    expect(script).toContain("floor=270");
    for (const cause of LIKELY_CAUSES.infiniband.vm) expect(script).toContain(cause.replace(/'/g, "'\\''"));
  });

  it("runs the script: a node that is not one of the two exits 0 without measuring; a crashed run fails", () => {
    const plan = gpu.planCluster({ cloud: "azure", region: "eastus", gpu: { instanceType: "Standard_ND96isr_H100_v5", nodes: 4 } });
    const script = vmGateScript(plan, { ...azureGatePeers("nd"), waitLines: [] })!;
    const dir = mkdtempSync(join(tmpdir(), "vmgate-"));
    const stubs = [`hostname() { echo "$HOST"; }`, "logger() { :; }"].join("\n");
    const body = script.replace("#!/bin/bash", `#!/bin/bash\n${stubs}`).replaceAll("/var/lib/gpu-cluster", dir);
    const PATH = stubDocker(dir, "echo 'NCCL WARN no IB device'; exit 3");
    const other = spawnSync("bash", ["-c", body], { encoding: "utf8", env: { ...process.env, PATH, HOST: "nd000002" } });
    expect(other.status).toBe(0);
    expect(other.stdout).toContain("the fabric gate runs on nd000000 and nd000001");
    const rank1 = spawnSync("bash", ["-c", body], { encoding: "utf8", env: { ...process.env, PATH, HOST: "nd000001" } });
    expect(rank1.status).toBe(3);
    const rank0 = spawnSync("bash", ["-c", body], { encoding: "utf8", env: { ...process.env, PATH, HOST: "nd000000" } });
    expect(rank0.status).toBe(1);
    expect(rank0.stderr).toContain("NCCL all-reduce bus bandwidth across 2 nodes is no figure GB/s");
    expect(readFileSync(join(dir, "fabric-gate"), "utf8")).toMatch(/^verdict=failed busbw=none floor=270/);
  });

  it("waits for cloud-init, then fails with the bootstrap's own failure instead of measuring a half-built node", () => {
    const plan = gpu.planCluster({ cloud: "azure", region: "eastus", gpu: { instanceType: "Standard_ND96isr_H100_v5", nodes: 2 } });
    const script = vmGateScript(plan, { ...azureGatePeers("nd"), waitLines: [] })!;
    const dir = mkdtempSync(join(tmpdir(), "vmgate-"));
    const bin = join(dir, "bin");
    mkdirSync(bin, { recursive: true });
    // A cloud-init that records it was waited for.
    writeFileSync(join(bin, "cloud-init"), `#!/bin/bash\necho "$@" > ${dir}/cloud-init-args\n`, { mode: 0o755 });
    writeFileSync(join(dir, "bootstrap-failed"), "local NVMe: 0 of 8 disks");
    const stubs = [`hostname() { echo nd000000; }`, "logger() { :; }"].join("\n");
    const body = script.replace("#!/bin/bash", `#!/bin/bash\n${stubs}`).replaceAll("/var/lib/gpu-cluster", dir);
    const failed = spawnSync("bash", ["-c", body], { encoding: "utf8", env: { ...process.env, PATH: stubDocker(dir, `touch ${dir}/docker-ran`) } });
    expect(readFileSync(join(dir, "cloud-init-args"), "utf8")).toBe("status --wait\n");
    expect(failed.status).toBe(1);
    expect(failed.stderr).toBe("gpu-cluster: fabric gate not run: the node bootstrap failed: local NVMe: 0 of 8 disks\n");
    expect(existsSync(join(dir, "docker-ran"))).toBe(false);
  });

  it("rank 0 passes with a figure at the floor, parsed from the check's own line", () => {
    const plan = gpu.planCluster({ cloud: "azure", region: "eastus", gpu: { instanceType: "Standard_ND96isr_H100_v5", nodes: 2 } });
    const script = vmGateScript(plan, { ...azureGatePeers("nd"), waitLines: [] })!;
    const dir = mkdtempSync(join(tmpdir(), "vmgate-"));
    const line = "nccl-check: all_reduce 1073741824 bytes x 20 over 16 GPUs on 2 nodes: algbw 144.00 GB/s busbw 270.00 GB/s";
    const stubs = [`hostname() { echo nd000000; }`, "logger() { :; }"].join("\n");
    const body = script.replace("#!/bin/bash", `#!/bin/bash\n${stubs}`).replaceAll("/var/lib/gpu-cluster", dir);
    const ok = spawnSync("bash", ["-c", body], { encoding: "utf8", env: { ...process.env, PATH: stubDocker(dir, `echo '${line}'`) } });
    expect(ok.status).toBe(0);
    expect(readFileSync(join(dir, "fabric-gate"), "utf8")).toBe("verdict=passed busbw=270.00 floor=270 transport=none\n");
  });

  it("has none with azure.acceptanceTest: false, on one node, or for a fleet; refuses the option on AKS", async () => {
    const off = await run(() => nd("ndoff", { acceptanceTest: false }));
    // Only the Application Health extension (test/vm-health.test.ts) is left.
    const names = (r: Awaited<ReturnType<typeof run>>) => scaleSet(r).inputs.virtualMachineProfile.extensionProfile.extensions.map((e: { name: string }) => e.name);
    expect(names(off)).toEqual(["gpu-cluster-health"]);
    const one = await run(() => nd("ndone", {}, 1));
    expect(names(one)).toEqual(["gpu-cluster-health"]);
    const aks = await run(() => new gpu.TrainingCluster("aksgate", privateEndpoint({ cloud: "azure", region: "eastus", orchestrator: "kubernetes", gpu: { instanceType: "Standard_ND96isr_H100_v5", nodes: 2 }, azure: { acceptanceTest: false } } as gpu.TrainingClusterArgs)));
    expect(aks.error).toMatchObject({ name: "SpecError", path: "azure.acceptanceTest" });
  });
});

/**
 * Per cloud, the check runs in an image from which NCCL reaches the fabric with the pod's environment:
 * - EKS: AWS's PyTorch DLC for EC2, which keeps libfabric and aws-ofi-nccl on its own LD_LIBRARY_PATH
 *   (aws/deep-learning-containers pytorch/training/docker/2.8/py3/cu129/Dockerfile.gpu @f0217a28); the pod forces the
 *   plugin by name and must not replace that path.
 * - GKE: NGC PyTorch, as cluster-toolkit's A3 High / Mega / Ultra NCCL tests run it (examples/machine-learning/*
 *   /nccl-tests/import_pytorch_container.sh @104708037: nvcr.io/nvidia/pytorch 23.10, 24.04, 24.09), with the plugin
 *   from the node's installer on the pod's /usr/local/nvidia/lib64 mount.
 * - AKS and CoreWeave: NGC PyTorch on NCCL's built-in InfiniBand transport (`NCCL_NET=IB`), no plugin; CoreWeave GB200
 *   NVL72: CoreWeave's own PyTorch build on NCCL 2.28.3 (coreweave/ml-containers torch-nccl @8a60b2d), since multi-node
 *   NVLink on GB200 needs NCCL 2.25.2+ (NVIDIA's multi-node NVLink tuning guide) and NGC 25.01 carries 2.25.1.
 */
describe("the check's image and how its NCCL finds the fabric, per cloud", () => {
  const DLC = "public.ecr.aws/deep-learning-containers/pytorch-training:2.8.0-gpu-py312-cu129-ubuntu22.04-ec2-v1.0";
  const NGC = "nvcr.io/nvidia/pytorch:25.01-py3";
  const cases = [
    { cloud: "aws", type: "p5en.48xlarge", image: DLC, env: { NCCL_NET: "AWS Libfabric", FI_PROVIDER: "efa", LD_LIBRARY_PATH: undefined }, mount: undefined },
    { cloud: "gcp", type: "a3-megagpu-8g", image: NGC, env: { LD_LIBRARY_PATH: "/usr/local/nvidia/lib64", NCCL_FASTRAK_LLCM_DEVICE_DIRECTORY: "/dev/aperture_devices" }, mount: "/usr/local/nvidia/lib64" },
    { cloud: "gcp", type: "a4-highgpu-8g", image: NGC, env: { LD_LIBRARY_PATH: "/usr/local/nvidia/lib64" }, mount: "/usr/local/gib" },
    { cloud: "azure", type: "Standard_ND96isr_H100_v5", image: NGC, env: { NCCL_NET: "IB", NCCL_TOPO_FILE: "/opt/nvidia-topology/topo.xml" }, mount: "/opt/nvidia-topology" },
    { cloud: "coreweave", type: "gd-8xh100ib-i128", image: NGC, env: { NCCL_NET: "IB", NCCL_NET_PLUGIN: "none", NCCL_IB_HCA: "ibp" }, mount: undefined },
    {
      cloud: "coreweave",
      type: "gb200-4x",
      image: "ghcr.io/coreweave/ml-containers/torch:8a60b2d-nccl-cuda12.9.1-ubuntu22.04-nccl2.28.3-1-torch2.8.0-vision0.23.0-audio2.8.0-abi1",
      env: { NCCL_NET: "IB", NCCL_MNNVL_ENABLE: "1", NCCL_CUMEM_ENABLE: "1" },
      mount: undefined,
    },
  ] as const;

  it.each(cases)("$cloud $type: $image", async ({ cloud, type, image, env, mount }) => {
    const i = gpu.catalog.instances(cloud).find((x) => x.instanceType === type)!;
    const region = i.regions[0]!;
    const args = {
      cloud,
      region,
      // Two nodes, or the type's whole unit (an NVL72 rack of 18 trays).
      gpu: { instanceType: type, nodes: i.limits?.nodeMultiple ?? 2 },
      // A contract price: some of these types have no public on-demand price.
      contractUsdPerHour: 1,
      ...(cloud === "coreweave" ? {} : { orchestrator: "kubernetes" }),
      ...(cloud === "gcp" ? { reservationId: "r", zone: `${region}-a` } : {}),
    };
    const result = await run(() => new gpu.TrainingCluster("img", privateEndpoint(args as gpu.TrainingClusterArgs)));
    expect(result.error).toBeUndefined();
    for (const name of ["img-nccl-check", "img-job"]) {
      const job = byName(result, K.job, name);
      const c = job.inputs.spec.template.spec.containers[0];
      expect(c.image, name).toBe(image);
      const e = envOf(c);
      for (const [k, v] of Object.entries(env)) expect(e[k], `${name} ${k}`).toBe(v);
      if (mount) expect((c.volumeMounts ?? []).map((m: { mountPath: string }) => m.mountPath), name).toContain(mount);
    }
  });
});
