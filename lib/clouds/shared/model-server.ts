/**
 * The model server every VM inference replica runs (AWS, GCP, Azure): the same vLLM OpenAI-compatible server the
 * Kubernetes path runs (lib/clouds/kubernetes/inference.ts: image, model, args, port, health path), here in the
 * image's Docker with `--gpus all`, kept up by a systemd unit, with the Hugging Face cache on the node's local disk
 * (instance store / local SSD / resource disk when the type has one, else the root disk) so a restarted server does
 * not download the weights again.
 *
 * Every user value reaches the node single-quoted inside a launcher script written through a quoted heredoc, so
 * nothing in it is expanded or run; the systemd unit itself holds fixed text only (systemd has its own quoting,
 * `%` specifiers and `$` expansion, which user values must never meet). Values with a line break are refused at
 * preview (a line could end the heredoc).
 *
 * Secrets: a plain `env` value is written to a root-only env file on the node. A Pulumi secret (or any Output) is
 * never written into the boot script, which each cloud keeps readable in its API: the cloud's compiler stores it in
 * its secret store (SSM Parameter Store SecureString, Secret Manager) and gives a command that reads it at each
 * start with the node's own identity; the value lives only in the launcher's memory and the container's
 * environment.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Plan } from "../../planner/types.js";
import { SpecError } from "../../spec/errors.js";
import { DEFAULT_INFERENCE_IMAGE, DEFAULT_MODEL } from "../kubernetes/options.js";
import { shellQuote } from "./bootstrap.js";
import { field, type FieldKinds } from "./option-fields.js";

/** The model server of a VM inference fleet (`aws.modelServer`, `gcp.modelServer`, `azure.modelServer`). */
export interface ModelServerOptions {
  /** Container image of the server. Default `vllm/vllm-openai:v0.11.0` (the Kubernetes fleets' default too). */
  image?: string;
  /** With the default args: the Hugging Face model the server loads. Default `Qwen/Qwen3-8B` (open, not gated). */
  model?: string;
  /**
   * Arguments after the image (vLLM's `serve` flags). Default `--model <model> --port <port> --tensor-parallel-size
   * <GPUs per node>`. Your own args must make the server listen on the fleet's `port` and answer `healthCheckPath`.
   */
  args?: string[];
  /**
   * Environment of the server container. Default none. A plain string is written to a root-only env file on the
   * node; a Pulumi secret (e.g. `HF_TOKEN: config.requireSecret("hfToken")` for a gated model) is kept in the cloud's
   * secret store and read by the node at each start, so it never appears in user data or instance metadata.
   */
  env?: Record<string, pulumi.Input<string>>;
}

export const MODEL_SERVER_FIELDS = {
  image: field.string,
  model: field.string,
  args: field.stringList,
  env: field.inputMap,
} as const satisfies FieldKinds<ModelServerOptions>;

/**
 * Seconds a new replica gets before failed health checks count against it: the image pull (~10 GB, 2-5 min), the
 * weights download (16 GB for an 8B model in bf16, 140 GB for 70B, at 0.1-1 GB/s) and the load with CUDA-graph
 * capture (2-5 min) take 10-25 minutes; 30 minutes covers a 70B model, and matches the Kubernetes startup probe
 * (10 s x 180). A shorter figure makes the autoscaler replace replicas that are still loading, forever.
 */
export const MODEL_LOAD_SECONDS = 1800;

/**
 * Seconds a new replica is left out of the load figures the autoscaler acts on (AWS instance warm-up, GCP
 * initialization period, Azure scale-out cooldown): a typical 8B-30B server is serving after 10-15 minutes, and
 * counting it earlier, while it carries nothing, makes the autoscaler add more replicas than the load needs.
 */
export const SCALE_WARMUP_SECONDS = 900;

/**
 * Seconds a replica leaving the fleet keeps its open requests (AWS deregistration delay, GCP connection draining):
 * as long as the balancer's request timeout (300 s), so no request the balancer allows is cut; 300 s is an 8k-token
 * answer streamed at ~30 tokens/s on a loaded server.
 */
export const DRAIN_SECONDS = 300;

/** The unit, container and paths on the node (fixed: tests and runbooks refer to them). */
export const MODEL_SERVER = {
  unit: "gpu-cluster-model-server.service",
  container: "gpu-cluster-model-server",
  launcher: "/usr/local/lib/gpu-cluster/model-server",
  envFile: "/etc/gpu-cluster/model-server.env",
  /** Holds the local-disk directory the boot script chose, which the launcher binds at each start. */
  cacheSourceFile: "/etc/gpu-cluster/model-cache-dir",
  /** Where the cache is bind-mounted on the host (from the local disk), and mounted into the container. */
  hostCache: "/var/lib/gpu-cluster/model-cache",
  containerCache: "/root/.cache/huggingface",
} as const;

/**
 * The model server's HTTP keep-alive (s), longer than any load balancer in front of a fleet keeps an idle backend
 * connection, so the balancer closes it first and never reuses one the server has already closed (a sporadic 502):
 * Google's external and internal Application Load Balancers keep backend connections 600 s, a value fixed by Google
 * (https://cloud.google.com/load-balancing/docs/https/request-distribution, read 2026-11-30, through translated copies);
 * an AWS ALB's idle timeout is 60 s by default; vLLM's own default is 5 s (vllm-project/vllm vllm/envs.py,
 * VLLM_HTTP_TIMEOUT_KEEP_ALIVE). Set on every path (VM launcher and pod), so a fleet behind any balancer is covered.
 */
export const MODEL_SERVER_ENV = { VLLM_HTTP_TIMEOUT_KEEP_ALIVE: "620" } as const;

/** NVIDIA Container Toolkit installed where the image lacks it (version of NVIDIA's apt repository). */
export const NVIDIA_CONTAINER_TOOLKIT_VERSION = "1.18.1-1";

/** What differs per cloud. */
export interface ModelServerCloud {
  /**
   * Shell that sets `cache_dir` to a directory on the node's local disk when there is one (it starts as the root
   * disk's directory), e.g. the instance store the image mounts.
   */
  localDisk: string[];
  /** Per secret env key: a shell command that prints the value (reading the cloud's secret store). */
  secretCommands: Record<string, string>;
  /**
   * Files and directories of the node's image the server container reads at the same path, bind-mounted read-only,
   * and the systemd units that write them at boot (the server starts after those). Default none. Azure: the HPC
   * image's /etc/nccl.conf and the topology files it names (./azure/inference-nccl-conf.ts).
   */
  hostFiles?: HostFiles;
  /** Lines the launcher runs at each start before `docker run`, e.g. a login to a private registry. Default none. */
  beforeRun?: string[];
}

/** Node files the model server container reads (ModelServerCloud.hostFiles). */
export interface HostFiles {
  /** Absolute paths, mounted at the same path inside the container, read-only. */
  paths: readonly string[];
  /** The systemd units that write them at boot: the model server's unit is ordered after them. */
  writtenBy: readonly string[];
}

/** The server options with defaults applied. */
export function modelServerArgs(plan: Plan, o: ModelServerOptions | undefined): { image: string; args: string[] } {
  const service = plan.service!;
  return {
    image: o?.image ?? DEFAULT_INFERENCE_IMAGE,
    args: o?.args ?? ["--model", o?.model ?? DEFAULT_MODEL, "--port", String(service.port), "--tensor-parallel-size", String(plan.gpusPerNode)],
  };
}

/** The env keys whose values are secrets / Outputs (kept in the cloud's secret store), and the plain ones. */
export function splitEnv(env: Record<string, pulumi.Input<string>> | undefined): { plain: Record<string, string>; secret: Record<string, pulumi.Input<string>> } {
  const plain: Record<string, string> = {};
  const secret: Record<string, pulumi.Input<string>> = {};
  for (const [key, value] of Object.entries(env ?? {})) {
    if (typeof value === "string") plain[key] = value;
    else secret[key] = value;
  }
  return { plain, secret };
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Synchronous checks of a `modelServer` bag (its field types were checked with the cloud's bag). `refuseSecrets`:
 * the reason a cloud cannot deliver a secret env value safely (then such a value is refused). Throws SpecError.
 */
export function checkModelServerOptions(plan: Plan, o: ModelServerOptions | undefined, at: string, refuseSecrets?: string): void {
  if (o === undefined) return;
  if (plan.workload !== "inference" || plan.orchestrator === "kubernetes") {
    throw new SpecError(at, "configures the model server of a VM inference fleet", plan.workload !== "inference" ? "leave it out for a training cluster" : "on Kubernetes set the workload's image, model, args and env in the cluster bag (aws.eks, gcp.gke, azure.aks or coreweave)");
  }
  if (o.image !== undefined && o.image.trim() === "") throw new SpecError(`${at}.image`, "is empty", `e.g. '${DEFAULT_INFERENCE_IMAGE}'`);
  if (o.model !== undefined && o.model.trim() === "") throw new SpecError(`${at}.model`, "is empty", `a Hugging Face model id, e.g. '${DEFAULT_MODEL}'`);
  if (o.model !== undefined && o.args !== undefined) {
    throw new SpecError(`${at}.model`, "is only read by the default args, and args were given", "put --model <id> in args, or drop args");
  }
  if (o.args !== undefined && o.args.length === 0) throw new SpecError(`${at}.args`, "is an empty list", `leave it out for the default '--model <model> --port ${plan.service?.port ?? 8000}'`);
  const values: [string, string | undefined][] = [[`${at}.image`, o.image], [`${at}.model`, o.model], ...(o.args ?? []).map((a, i): [string, string] => [`${at}.args[${i}]`, a])];
  for (const [key, value] of Object.entries(o.env ?? {})) {
    if (!ENV_NAME.test(key)) throw new SpecError(`${at}.env.${key}`, "is not a shell-safe environment variable name", "letters, digits and '_', not starting with a digit, e.g. HF_TOKEN");
    if (typeof value === "string") values.push([`${at}.env.${key}`, value]);
    else if (refuseSecrets !== undefined) throw new SpecError(`${at}.env.${key}`, "is a Pulumi secret (or Output), which this cloud's VMs cannot receive without it landing in plaintext", refuseSecrets);
  }
  for (const [path, value] of values) {
    if (value !== undefined && /[\r\n\0]/.test(value)) throw new SpecError(path, "contains a line break or NUL, which the node's launcher script and env file cannot carry", "give it on one line");
  }
}

/**
 * The systemd unit: fixed text only (the user's values live in the launcher it runs). `after`: the units that write
 * the host files the container mounts (HostFiles.writtenBy); ordering only, so a unit the image lacks is no error.
 */
export function modelServerUnit(after: readonly string[] = []): string {
  return [
    "[Unit]",
    "Description=gpu-cluster model server (vLLM OpenAI-compatible API)",
    "Wants=network-online.target",
    ["After=network-online.target docker.service", ...after].join(" "),
    "Requires=docker.service",
    "",
    "[Service]",
    `ExecStartPre=-/usr/bin/docker rm -f ${MODEL_SERVER.container}`,
    `ExecStart=${MODEL_SERVER.launcher}`,
    // vLLM finishes the requests it has on SIGTERM; the balancer has stopped sending new ones by then.
    `ExecStop=/usr/bin/docker stop --time 120 ${MODEL_SERVER.container}`,
    "Restart=always",
    "RestartSec=15",
    // The image pull and the weights download take minutes: no start timeout.
    "TimeoutStartSec=0",
    "TimeoutStopSec=150",
    "",
    "[Install]",
    // Also wanted by Docker: every start of docker.service starts the server. The per-boot image-store move
    // (lib/clouds/shared/local-nvme.ts imageStoreLines) stops Docker after a reboot, which stops this unit through
    // Requires=, and starts Docker again, which Requires= does not carry back; `enable` links the unit into
    // docker.service.wants/, a Wants= from Docker to it ("WantedBy=: a symbolic link is created in the .wants/
    // directory of each of the listed units ... a dependency of type Wants= is added from the listed unit to the
    // current unit", systemd.unit(5), https://www.freedesktop.org/software/systemd/man/latest/systemd.unit.html, read
    // 2026-12-01).
    "WantedBy=multi-user.target docker.service",
  ].join("\n");
}

/**
 * The launcher the unit runs: reads the secrets, then execs `docker run` with the server. Host files are bound with
 * `--mount`, not `-v`: a missing source is an error (systemd restarts the unit until its writer has run), where `-v`
 * would create an empty directory in its place and break the writer's own next write.
 */
export function modelServerLauncher(plan: Plan, o: ModelServerOptions | undefined, secretCommands: Record<string, string>, hostFiles?: HostFiles, beforeRun: string[] = []): string {
  const { image, args } = modelServerArgs(plan, o);
  const port = plan.service!.port;
  const secretKeys = Object.keys(secretCommands);
  return [
    "#!/bin/bash",
    "set -euo pipefail",
    // Bound at each start, not once at boot: user data runs on the first boot only, and a reboot drops the bind.
    `cache_dir=$(cat ${MODEL_SERVER.cacheSourceFile})`,
    `mkdir -p "$cache_dir" ${MODEL_SERVER.hostCache}`,
    `mountpoint -q ${MODEL_SERVER.hostCache} || mount --bind "$cache_dir" ${MODEL_SERVER.hostCache}`,
    // Read at every start with the node's identity: the value is in no file on the node and in no cloud API but the secret store.
    ...secretKeys.map((key) => `${key}="$(${secretCommands[key]})"; export ${key}`),
    ...beforeRun,
    [
      `exec /usr/bin/docker run --rm --name ${MODEL_SERVER.container}`,
      "--gpus all --ipc=host",
      `-p ${port}:${port}`,
      `-v ${MODEL_SERVER.hostCache}:${MODEL_SERVER.containerCache}`,
      ...(hostFiles?.paths ?? []).map((path) => `--mount type=bind,src=${path},dst=${path},readonly`),
      `-e HF_HOME=${MODEL_SERVER.containerCache}`,
      ...Object.entries(MODEL_SERVER_ENV).map(([k, v]) => `-e ${k}=${v}`),
      `--env-file ${MODEL_SERVER.envFile}`,
      ...secretKeys.map((key) => `-e ${key}`),
      shellQuote(image),
      ...args.map(shellQuote),
    ].join(" "),
  ].join("\n");
}

/** Docker and the NVIDIA Container Toolkit: used where the image ships them, installed (the toolkit pinned) where not. */
export function containerRuntimeLines(): string[] {
  const v = NVIDIA_CONTAINER_TOOLKIT_VERSION;
  const keyring = "/usr/share/keyrings/nvidia-container-toolkit-keyring.gpg";
  // apt waits up to 10 minutes for a dpkg lock held by another apt (the image's unattended upgrades) instead of failing
  // the boot at once (apt.conf(5) DPkg::Lock::Timeout, apt 1.9.11 and later).
  const apt = "apt-get -o DPkg::Lock::Timeout=600";
  return [
    "export DEBIAN_FRONTEND=noninteractive",
    "if ! command -v docker >/dev/null; then",
    `  ${apt} update -q && ${apt} install -y -q docker.io || fail 'installing Docker failed'`,
    "fi",
    "if ! command -v nvidia-ctk >/dev/null; then",
    `  curl -fsSL https://nvidia.github.io/libnvidia-container/gpgkey | gpg --dearmor --yes -o ${keyring} || fail 'fetching the NVIDIA Container Toolkit key failed'`,
    `  curl -fsSL https://nvidia.github.io/libnvidia-container/stable/deb/nvidia-container-toolkit.list | sed 's#deb https://#deb [signed-by=${keyring}] https://#' > /etc/apt/sources.list.d/nvidia-container-toolkit.list`,
    `  ${apt} update -q && ${apt} install -y -q nvidia-container-toolkit=${v} nvidia-container-toolkit-base=${v} libnvidia-container-tools=${v} libnvidia-container1=${v} || fail 'installing the NVIDIA Container Toolkit ${v} failed'`,
    "  nvidia-ctk runtime configure --runtime=docker && systemctl restart docker",
    "fi",
    "systemctl enable --now docker || fail 'Docker does not start'",
  ];
}

/**
 * Boot-script lines that install the model server and start it (after the storage mounts, before the user's script):
 * the container runtime, the cache on local disk, the env file, the launcher and the unit.
 */
export function modelServerLines(plan: Plan, o: ModelServerOptions | undefined, cloud: ModelServerCloud): string[] {
  const { plain } = splitEnv(o?.env);
  const envLines = Object.entries(plain).map(([k, v]) => `${k}=${v}`);
  return [
    "# Model server: vLLM in Docker with every GPU, kept running by systemd, the weights cached on local disk.",
    ...containerRuntimeLines(),
    "cache_dir=/var/lib/gpu-cluster/root-disk-cache",
    ...cloud.localDisk,
    "mkdir -p /usr/local/lib/gpu-cluster /etc/gpu-cluster",
    `echo "$cache_dir" > ${MODEL_SERVER.cacheSourceFile}`,
    `install -m 600 /dev/null ${MODEL_SERVER.envFile}`,
    ...(envLines.length ? [`cat > ${MODEL_SERVER.envFile} <<'GPU_CLUSTER_ENV'`, ...envLines, "GPU_CLUSTER_ENV"] : []),
    `cat > ${MODEL_SERVER.launcher} <<'GPU_CLUSTER_LAUNCHER'`,
    modelServerLauncher(plan, o, cloud.secretCommands, cloud.hostFiles, cloud.beforeRun),
    "GPU_CLUSTER_LAUNCHER",
    `chmod 700 ${MODEL_SERVER.launcher}`,
    `cat > /etc/systemd/system/${MODEL_SERVER.unit} <<'GPU_CLUSTER_UNIT'`,
    modelServerUnit(cloud.hostFiles?.writtenBy),
    "GPU_CLUSTER_UNIT",
    "systemctl daemon-reload",
    // --no-block: the boot script (and the user's part after it) does not wait for the image pull.
    `systemctl enable --now --no-block ${MODEL_SERVER.unit} || fail 'the model server unit does not start'`,
  ];
}
