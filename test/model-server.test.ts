/**
 * VM inference fleets serve: each cloud's compiled boot script installs the model server (vLLM in Docker under a
 * systemd unit, the weights cached on local disk), secrets reach the node through the cloud's secret store only, the
 * health checks wait for the model to load, and the autoscaler and the balancer scale and drain for long requests.
 */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { checkAzureOptions } from "../lib/clouds/azure/options.js";
import { MODEL_SERVER, modelServerLauncher, modelServerUnit } from "../lib/clouds/shared/model-server.js";
import { one, ofType, run, T } from "./helpers/offline.js";

const SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGpuY2x1c3RlcnRlc3RrZXlub3RyZWFsMDAwMDAwMDA0 ops@example";
const TOKEN = "hf_secretvalue123";
const LLAMA = "meta-llama/Llama-3.1-8B-Instruct";

/** The docker run line of the launcher, for a fleet on port 8080 with one GPU per replica serving LLAMA. */
const LAUNCH =
  "exec /usr/bin/docker run --rm --name gpu-cluster-model-server --gpus all --ipc=host -p 8080:8080 " +
  "-v /var/lib/gpu-cluster/model-cache:/root/.cache/huggingface -e HF_HOME=/root/.cache/huggingface -e VLLM_HTTP_TIMEOUT_KEEP_ALIVE=620 " +
  "--env-file /etc/gpu-cluster/model-server.env";
const IMAGE_AND_ARGS = `'vllm/vllm-openai:v0.11.0@sha256:014a95f21c9edf6abe0aea6b07353f96baa4ec291c427bb1176dc7c93a85845c' '--model' '${LLAMA}' '--port' '8080' '--tensor-parallel-size' '1'`;

const fleet = { gpu: { model: "L4" as const, count: 1 }, replicas: { min: 1, max: 6 }, port: 8080, healthCheckPath: "/health" };

function expectServer(script: string, localCache: string): void {
  expect(script).toContain(`cat > /etc/systemd/system/${MODEL_SERVER.unit} <<'GPU_CLUSTER_UNIT'\n${modelServerUnit()}\nGPU_CLUSTER_UNIT`);
  expect(script).toContain("ExecStart=/usr/local/lib/gpu-cluster/model-server\nExecStop=/usr/bin/docker stop --time 120 gpu-cluster-model-server\nRestart=always");
  expect(script).toContain(`systemctl enable --now --no-block ${MODEL_SERVER.unit}`);
  // Restarted with Docker: the per-boot image-store move stops and starts Docker after a reboot (systemd.unit(5) WantedBy=).
  expect(modelServerUnit()).toContain("Requires=docker.service");
  expect(modelServerUnit().endsWith("[Install]\nWantedBy=multi-user.target docker.service")).toBe(true);
  expect(script).toContain(`cache_dir=${localCache}`);
  expect(script).toContain('echo "$cache_dir" > /etc/gpu-cluster/model-cache-dir');
  // The launcher binds the chosen local-disk directory at each start (a reboot drops the bind).
  expect(script).toContain('cache_dir=$(cat /etc/gpu-cluster/model-cache-dir)\nmkdir -p "$cache_dir" /var/lib/gpu-cluster/model-cache\nmountpoint -q /var/lib/gpu-cluster/model-cache || mount --bind "$cache_dir" /var/lib/gpu-cluster/model-cache');
  expect(script).toContain("nvidia-container-toolkit=1.18.1-1");
}

describe("AWS VM fleet: model server, secrets, scaling", () => {
  const program = () =>
    new gpu.InferenceFleet("llm", {
      cloud: "aws",
      region: "us-east-1",
      ...fleet,
      aws: { modelServer: { model: LLAMA, env: { HF_TOKEN: pulumi.secret(TOKEN), VLLM_LOGGING_LEVEL: "INFO" } } },
    });

  it("starts vLLM from the user data with the image, model, port and the instance-store cache; the token only through SSM", async () => {
    const result = await run(program);
    expect(result.error).toBeUndefined();
    const script = Buffer.from(one(result, T.lt).inputs.userData, "base64").toString("utf8");
    expectServer(script, "/opt/dlami/nvme/model-cache");
    expect(script).toContain("if mountpoint -q /opt/dlami/nvme; then cache_dir=/opt/dlami/nvme/model-cache; elif mountpoint -q /scratch; then cache_dir=/scratch/model-cache; fi");
    expect(script).toContain(`HF_TOKEN="$(aws ssm get-parameter --region us-east-1 --with-decryption --name '/gpu-cluster/llm/model-server/HF_TOKEN' --query Parameter.Value --output text)"; export HF_TOKEN`);
    expect(script).toContain(`${LAUNCH} -e HF_TOKEN ${IMAGE_AND_ARGS}`);
    expect(script).toContain("cat > /etc/gpu-cluster/model-server.env <<'GPU_CLUSTER_ENV'\nVLLM_LOGGING_LEVEL=INFO\nGPU_CLUSTER_ENV");
    expect(script).not.toContain(TOKEN);
    const parameter = one(result, "aws:ssm/parameter:Parameter");
    expect(parameter.inputs).toMatchObject({ name: "/gpu-cluster/llm/model-server/HF_TOKEN", type: "SecureString" });
    const grant = ofType(result, T.rolePolicy).find((p) => p.name === "llm-node-secrets")!;
    expect(JSON.parse(grant.inputs.policy).Statement).toEqual([{ Effect: "Allow", Action: "ssm:GetParameter", Resource: [parameter.outputs.arn] }]);
    expect(parameter.outputs.arn).toEqual(expect.any(String));
  });

  it("waits 1800 s for the model to load, warms up 900 s, drains 300 s, and scales on ALB requests per replica", async () => {
    const result = await run(program);
    expect(one(result, T.asg).inputs).toMatchObject({ healthCheckType: "ELB", healthCheckGracePeriod: 1800, defaultInstanceWarmup: 900 });
    expect(one(result, T.tg).inputs).toMatchObject({ deregistrationDelay: 300, healthCheck: { path: "/health", port: "8080" } });
    expect(one(result, T.policy).inputs.targetTrackingConfiguration).toMatchObject({ predefinedMetricSpecification: { predefinedMetricType: "ALBRequestCountPerTarget" }, targetValue: 60 }); // a minute per replica (test/aws-fleet-scaling.test.ts)
  });
});

describe("AWS internal fleet with a certificate (issue 13, the same behaviour as GCP)", () => {
  it("serves HTTPS on the internal ALB and only redirects port 80", async () => {
    const cert = "arn:aws:acm:us-east-1:123456789012:certificate/abc";
    const result = await run(() => new gpu.InferenceFleet("itls", { cloud: "aws", region: "us-east-1", ...fleet, loadBalancer: "internal", aws: { certificateArn: cert } }));
    expect(result.error).toBeUndefined();
    expect(one(result, T.lb).inputs.internal).toBe(true);
    const listeners = ofType(result, "aws:lb/listener:Listener").map((l) => l.inputs);
    expect(listeners).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ port: 443, protocol: "HTTPS", certificateArn: cert, sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" }),
        expect.objectContaining({ port: 80, protocol: "HTTP", defaultActions: [expect.objectContaining({ type: "redirect" })] }),
      ]),
    );
    expect(listeners).toHaveLength(2);
  });
});

describe("GCP VM fleet: model server, secrets, scaling, internal TLS", () => {
  const gcpFleet = (name: string, gcp: Record<string, unknown>) => () => new gpu.InferenceFleet(name, { cloud: "gcp", region: "us-central1", ...fleet, gcp } as gpu.InferenceFleetArgs);

  it("starts vLLM from the startup script with the local-SSD cache; the token only through Secret Manager", async () => {
    const result = await run(gcpFleet("llm", { modelServer: { model: LLAMA, env: { HF_TOKEN: pulumi.secret(TOKEN) } } }));
    expect(result.error).toBeUndefined();
    const script: string = one(result, "gcp:compute/instanceTemplate:InstanceTemplate").inputs.metadata["startup-script"];
    expectServer(script, "/mnt/localssd/model-cache");
    // The cache goes on the local SSD array the startup script assembles (lib/clouds/gcp/local-ssd.ts).
    expect(script).toContain("mountpoint -q '/mnt/localssd' && cache_dir=/mnt/localssd/model-cache");
    expect(script).toContain(`HF_TOKEN="$(gcloud secrets versions access latest --secret='llm-model-server-HF_TOKEN')"; export HF_TOKEN`);
    expect(script).toContain(`${LAUNCH} -e HF_TOKEN ${IMAGE_AND_ARGS}`);
    expect(script).not.toContain(TOKEN);
    expect(one(result, "gcp:secretmanager/secret:Secret").inputs).toMatchObject({ secretId: "llm-model-server-HF_TOKEN", replication: { userManaged: { replicas: [{ location: "us-central1" }] } } });
    expect(one(result, "gcp:secretmanager/secretIamMember:SecretIamMember").inputs).toMatchObject({ role: "roles/secretmanager.secretAccessor", member: expect.stringMatching(/^serviceAccount:/) });
    // Built as billed: the secret is on the bill and priced, one active version in one location a month at
    // Secret Manager's $0.06 (https://cloud.google.com/secret-manager/pricing; GCP_FEES.secretVersion).
    const { estimate } = result.costEvents[0]!;
    expect(estimate.billOfMaterials).toContainEqual({ kind: "secret", count: 1, locations: 1, what: "the model server's secret env values (modelServer.env), one secret each" });
    expect(estimate.lines.find((l) => l.description.startsWith("Secret Manager secret (1): the model server's"))).toMatchObject({ quantity: 1, unitPriceUsd: 0.06, monthlyUsd: 0.06 });
  });

  it("auto-heals after 1800 s, scales on load-balancer utilization (RATE per replica) with a 900 s warm-up, drains 300 s", async () => {
    const result = await run(gcpFleet("llm", { requestsPerSecondPerReplica: 2 }));
    expect(one(result, "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager").inputs.autoHealingPolicies).toMatchObject({ initialDelaySec: 1800 });
    expect(one(result, "gcp:compute/regionAutoscaler:RegionAutoscaler").inputs.autoscalingPolicy).toMatchObject({
      cooldownPeriod: 900,
      loadBalancingUtilization: { target: 0.8 },
      scaleInControl: { maxScaledInReplicas: { fixed: 1 }, timeWindowSec: 900 },
    });
    expect(one(result, "gcp:compute/regionBackendService:RegionBackendService").inputs).toMatchObject({
      connectionDrainingTimeoutSec: 300,
      timeoutSec: 300,
      backends: [{ balancingMode: "RATE", maxRatePerInstance: 2 }],
    });
    expect(one(result, "gcp:compute/regionHealthCheck:RegionHealthCheck").inputs).toMatchObject({ checkIntervalSec: 15, httpHealthCheck: { port: 8080, requestPath: "/health" } });
  });

  it("an internal fleet with regional certificates serves HTTPS on 443 through a RegionTargetHttpsProxy (issue 13)", async () => {
    const cert = "projects/p/regions/us-central1/sslCertificates/llm";
    const result = await run(gcpFleet("tls", { sslCertificates: [cert] }));
    expect(result.error).toBeUndefined();
    const proxy = one(result, "gcp:compute/regionTargetHttpsProxy:RegionTargetHttpsProxy").inputs;
    expect(proxy).toMatchObject({ region: "us-central1", sslCertificates: [cert] });
    expect(proxy.sslPolicy).toBe("tls-tls-id");
    expect(one(result, "gcp:compute/regionSslPolicy:RegionSslPolicy").inputs).toMatchObject({ profile: "MODERN", minTlsVersion: "TLS_1_2" });
    expect(ofType(result, "gcp:compute/regionTargetHttpProxy:RegionTargetHttpProxy")).toHaveLength(0);
    expect(one(result, "gcp:compute/forwardingRule:ForwardingRule").inputs).toMatchObject({ loadBalancingScheme: "INTERNAL_MANAGED", portRange: "443", target: "tls-proxy-id" });
    // Without certificates an internal fleet stays plain HTTP on 80.
    const plain = await run(gcpFleet("plain", {}));
    expect(one(plain, "gcp:compute/forwardingRule:ForwardingRule").inputs.portRange).toBe("80");
    expect(ofType(plain, "gcp:compute/regionTargetHttpsProxy:RegionTargetHttpsProxy")).toHaveLength(0);
    // A global certificate cannot sit on the regional proxy.
    const global = await run(gcpFleet("global", { sslCertificates: ["projects/p/global/sslCertificates/llm"] }));
    expect(global.error).toMatchObject({ name: "SpecError", path: "gcp.sslCertificates" });
    expect(global.resources).toEqual([]);
  });
});

describe("Azure VM fleet: model server and scaling", () => {
  const azureFleet = (name: string, azure: Record<string, unknown>) => () =>
    new gpu.InferenceFleet(name, { cloud: "azure", region: "eastus", gpu: { instanceType: "Standard_NC24ads_A100_v4" }, replicas: { min: 1, max: 4 }, port: 8080, healthCheckPath: "/health", azure: { sshPublicKey: SSH_KEY, ...azure } } as gpu.InferenceFleetArgs);

  it("starts vLLM from the custom data with the local-NVMe cache, and judges a scale-out after the 15-minute warm-up", async () => {
    const result = await run(azureFleet("llm", { modelServer: { model: LLAMA } }));
    expect(result.error).toBeUndefined();
    const script = Buffer.from(one(result, "azure-native:compute:VirtualMachineScaleSet").inputs.virtualMachineProfile.osProfile.customData, "base64").toString("utf8");
    expectServer(script, "/mnt/resource_nvme/model-cache");
    // The boot script's optional NVMe array (NC A100 v4's local disk may be SCSI: no disks, no failure).
    expect(script).toContain('mdadm --create "$md" --name=gpu-cluster-scratch --run --force --level=0');
    expect(script).toContain("mountpoint -q /mnt/resource_nvme && cache_dir=/mnt/resource_nvme/model-cache");
    expect(script).toContain(`${LAUNCH} ${IMAGE_AND_ARGS}`);
    const rules = one(result, "azure-native:monitor:AutoscaleSetting").inputs.profiles[0].rules;
    expect(rules[0]).toMatchObject({ metricTrigger: { metricName: "SYNCount", dividePerInstance: true, threshold: 30 }, scaleAction: { direction: "Increase", cooldown: "PT15M" } });
  });

  /**
   * The HPC image's /etc/nccl.conf (NCCL_TOPO_FILE and NCCL_GRAPH_FILE under /opt/microsoft/ncv4 on NC96ads A100 v4),
   * written at each boot by sku-customizations.service only for the sizes setup_sku_customizations.sh maps to a family
   * that writes it (Azure/azhpc-images components/setup_sku_customizations.sh and customizations/ncv4.sh @8e9d055f,
   * 2026-07-29): the server container mounts it and the files it names, read-only, and starts after the unit.
   */
  it.each([
    ["Standard_NC96ads_A100_v4", true],
    ["Standard_ND96isr_H100_v5", true],
    ["Standard_NC24ads_A100_v4", false],
    ["Standard_NC40ads_H100_v5", false],
  ] as const)("%s: the server reads the image's /etc/nccl.conf: %s", async (instanceType, mounted) => {
    const result = await run(() =>
      new gpu.InferenceFleet("nc", { cloud: "azure", region: "eastus", gpu: { instanceType }, replicas: { min: 1, max: 2 }, port: 8080, healthCheckPath: "/health", azure: { sshPublicKey: SSH_KEY } } as gpu.InferenceFleetArgs),
    );
    expect(result.error).toBeUndefined();
    const script = Buffer.from(one(result, "azure-native:compute:VirtualMachineScaleSet").inputs.virtualMachineProfile.osProfile.customData, "base64").toString("utf8");
    const mounts = "--mount type=bind,src=/etc/nccl.conf,dst=/etc/nccl.conf,readonly --mount type=bind,src=/opt/microsoft,dst=/opt/microsoft,readonly";
    const cache = "-v /var/lib/gpu-cluster/model-cache:/root/.cache/huggingface";
    if (mounted) {
      expect(script).toContain(`${cache} ${mounts} -e HF_HOME=`);
      expect(script).toContain("After=network-online.target docker.service sku-customizations.service\n");
    } else {
      expect(script).toContain(`${cache} -e HF_HOME=`);
      expect(script).not.toContain("/etc/nccl.conf");
      expect(script).toContain("After=network-online.target docker.service\n");
    }
  });

  it("NC96ads A100 v4 on your own azure.image: no mount (a file the image may never write would keep the server from starting)", async () => {
    const image = { publisher: "microsoft-dsvm", offer: "ubuntu-hpc", sku: "2204", version: "22.04.2026072901" };
    const result = await run(() =>
      new gpu.InferenceFleet("own", { cloud: "azure", region: "eastus", gpu: { instanceType: "Standard_NC96ads_A100_v4" }, replicas: { min: 1, max: 2 }, azure: { sshPublicKey: SSH_KEY, image } } as gpu.InferenceFleetArgs),
    );
    expect(result.error).toBeUndefined();
    const script = Buffer.from(one(result, "azure-native:compute:VirtualMachineScaleSet").inputs.virtualMachineProfile.osProfile.customData, "base64").toString("utf8");
    expect(script).toContain("docker run --rm --name gpu-cluster-model-server");
    expect(script).not.toContain("/etc/nccl.conf");
  });

  it("refuses a secret env value (custom data is no secret store) with the field named, before anything is created", async () => {
    const result = await run(azureFleet("sec", { modelServer: { env: { HF_TOKEN: pulumi.secret(TOKEN) } } }));
    expect(result.error).toMatchObject({ name: "SpecError", path: "azure.modelServer.env.HF_TOKEN" });
    expect((result.error as Error).message).toMatch(/Key Vault/);
    expect(result.resources).toEqual([]);
  });

  it("says in the plan's notes that the CPU rule is no load signal for a GPU server", () => {
    const plan = gpu.planFleet({ cloud: "azure", region: "eastus", gpu: { instanceType: "Standard_NC24ads_A100_v4" }, replicas: { min: 1, max: 4 } });
    expect(checkAzureOptions(plan, { sshPublicKey: SSH_KEY }).join("\n")).toMatch(/Standard load balancer publishes no request metric.*azure\.aks\.keda/s);
  });
});

describe("model server options", () => {
  it("quotes every user value: a hostile model id is one inert word", () => {
    const plan = gpu.planFleet({ cloud: "aws", region: "us-east-1", ...fleet });
    const launcher = modelServerLauncher(plan, { model: "x'; reboot; echo '$(id)" }, {});
    expect(launcher).toContain(`'--model' 'x'\\''; reboot; echo '\\''$(id)'`);
  });

  it("rejects bad server options with the field named", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ modelServer: { image: " " } }, "aws.modelServer.image"],
      [{ modelServer: { model: "a\nb" } }, "aws.modelServer.model"],
      [{ modelServer: { model: LLAMA, args: ["--model", LLAMA] } }, "aws.modelServer.model"],
      [{ modelServer: { args: [] } }, "aws.modelServer.args"],
      [{ modelServer: { env: { "BAD-NAME": "1" } } }, "aws.modelServer.env.BAD-NAME"],
      [{ modelServer: { imag: "x" } }, "aws.modelServer.imag"],
    ];
    for (const [aws, path] of cases) {
      const result = await run(() => new gpu.InferenceFleet("bad", { cloud: "aws", region: "us-east-1", ...fleet, aws } as gpu.InferenceFleetArgs));
      expect(result.error, path).toMatchObject({ name: "SpecError", path });
    }
    const training = await run(() => new gpu.TrainingCluster("t", { cloud: "aws", region: "us-east-1", gpu: { model: "H100", nodes: 2 }, aws: { modelServer: { model: LLAMA } } } as gpu.TrainingClusterArgs));
    expect(training.error).toMatchObject({ name: "SpecError", path: "aws.modelServer" });
  });
});
