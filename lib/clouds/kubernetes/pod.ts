/**
 * The GPU pod both workloads run: one pod per Node holding every GPU of the Node, the fabric's device request when a
 * training plan has one (`rdma/ib`, `vpc.amazonaws.com/efa`), affinity to the component's GPU nodes, the NCCL
 * environment, a memory-backed /dev/shm, and no privileges beyond the fabric's capabilities (IPC_LOCK). On GKE the
 * fabric adds Google's receive-datapath sidecar, host mounts of the NCCL plugin and a prelude sourcing its profile.
 */
import * as pulumi from "@pulumi/pulumi";
import { Secret } from "@pulumi/kubernetes/core/v1";
import type * as k8s from "@pulumi/kubernetes/types/input";
import { fabricSides } from "../../fabric/index.js";
import type { Plan } from "../../planner/types.js";
import { WORKLOAD_DEFAULTS, type WorkloadOptions } from "./options.js";
import type { GpuNodePlacement } from "./target.js";
import type { WorkloadNames } from "./names.js";
import type { CompileContext } from "../types.js";
import { podFabric, podResources } from "./pod-resources.js";

export { podFabric, podResources } from "./pod-resources.js";

/**
 * Clouds whose GPU nodes keep the kubelet directory on local NVMe, so an emptyDir is local NVMe and the pods get one at
 * /scratch:
 * - EKS: this library's nodeadm RAID0 (lib/clouds/aws/eks/launch-template.ts);
 * - CoreWeave (CKS): the platform's own array. "Pod container filesystems (the writable layer created by the container
 *   runtime) and Kubernetes emptyDir volumes are stored on this NVMe-backed storage by default", an encrypted NVMe RAID
 *   at /mnt/local (https://docs.coreweave.com/products/storage/local-storage, read 2026-12-01). CoreWeave builds and
 *   keys it (8-drive RAID10 on most GPU Nodes; RAID0 "is not available": docs.coreweave.com/support/storage/articles/
 *   what-raid-configuration-does-local-storage-use, read 2026-12-01), so there is nothing to stripe, and container
 *   images are on it already.
 * The scratch emptyDir carries no `ephemeral-storage` request and no size limit, on both. The pod holds every GPU of its
 * Node, so no other workload pod competes for the array, and a request larger than the Node's allocatable ephemeral
 * storage would leave every pod Pending. On CKS that allocatable size is not known here: the catalog's local NVMe
 * figure is disputed (61.44 TB on the pricing page, 30.72 TB in the docs' instance table: lib/catalog/data/coreweave.ts
 * HGX_NOTES). CoreWeave's page asks workloads that need "above 20Gi" to state it in their resource request. That asks
 * the scheduler for a Node with room among other pods; a whole-Node pod has none to share with.
 * Elsewhere the cloud's compiler names the volume in the placement (`GpuNodePlacement.scratch`; AKS:
 * azure/aks/local-nvme.ts).
 */
const KUBELET_ON_LOCAL_NVME: Partial<Record<Plan["cloud"], true>> = { aws: true, coreweave: true };
/** Where the pods find their node-local scratch space. */
export const POD_SCRATCH = { volume: "scratch", mountPath: "/scratch" } as const;

/** The node-local scratch volume: the placement's, else an emptyDir where the kubelet directory is on local NVMe; none elsewhere. */
export function podScratch(plan: Plan, placement?: Pick<GpuNodePlacement, "scratch">): { volume: k8s.core.v1.Volume; mount: k8s.core.v1.VolumeMount } | undefined {
  const mount = { name: POD_SCRATCH.volume, mountPath: POD_SCRATCH.mountPath };
  if (placement?.scratch) return { volume: { ...placement.scratch, name: POD_SCRATCH.volume }, mount };
  if (KUBELET_ON_LOCAL_NVME[plan.cloud] !== true || (plan.instance.localNvmeGiB ?? 0) <= 0) return undefined;
  return { volume: { name: POD_SCRATCH.volume, emptyDir: {} }, mount };
}

/** NCCL / libfabric / UCX environment of the pods (lib/fabric). */
export function ncclEnvironment(plan: Plan): Record<string, string> {
  return fabricSides(plan, "kubernetes").env;
}

/** Annotations the pod template carries for the fabric (GKE multi-networking: one interface per GPU network). */
export function podAnnotations(plan: Plan): Record<string, string> | undefined {
  const annotations = podFabric(plan)?.annotations;
  return annotations && Object.keys(annotations).length > 0 ? annotations : undefined;
}

/** The pod template's metadata: the workload's labels and the fabric's annotations. */
export function podTemplateMetadata(plan: Plan, labels: Record<string, string>): k8s.meta.v1.ObjectMeta {
  const annotations = podAnnotations(plan);
  return { labels, ...(annotations ? { annotations } : {}) };
}

export interface PodParts {
  image: string;
  command?: string[];
  args?: string[];
  /** Environment before the user's `env` (which wins). */
  env: Record<string, string>;
  ports: k8s.core.v1.ContainerPort[];
  volumes: k8s.core.v1.Volume[];
  mounts: k8s.core.v1.VolumeMount[];
  envFrom: k8s.core.v1.EnvFromSource[];
  runAsNonRoot: boolean;
  probes?: Pick<k8s.core.v1.Container, "readinessProbe" | "livenessProbe" | "startupProbe">;
  /** The component's env Secret (`userEnvSecret`): where the user's non-plain `env` values are read from. */
  envSecret?: Secret | undefined;
}

/** Name `bash -c` gives the wrapper as $0 (shows in `ps`). */
const PRELUDE_ARGV0 = "gpu-cluster-fabric";
/** Prefix of the shell variables that keep the user's values while the fabric's profile runs. */
const SAVED_PREFIX = "__gpu_cluster_user_";
/** Names a shell can assign (Kubernetes also allows '.' and '-', which no shell or profile can set). */
const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The user's `env` entries that are not plain strings: Pulumi secrets (`pulumi.secret("hf_...")`) and any other
 * Output or promise. They reach the pods through the component's Secret, never as a `value` in the pod spec.
 */
export function secretEnvNames(env: WorkloadOptions["env"]): string[] {
  return Object.entries(env ?? {})
    .filter(([, value]) => typeof value !== "string")
    .map(([name]) => name);
}

/**
 * One Secret per component (`<name>-env` in its namespace) holding the user's non-plain `env` values, its
 * `stringData` a Pulumi secret so state and previews keep it encrypted; none when every value is a plain string.
 * The pods read each value with `valueFrom.secretKeyRef` (env names are valid Secret keys: letters, digits, '_', '.', '-').
 */
export function userEnvSecret(
  options: WorkloadOptions,
  names: WorkloadNames,
  namespace: pulumi.Input<string>,
  ctx: CompileContext,
  opts: pulumi.CustomResourceOptions,
): Secret | undefined {
  const keys = secretEnvNames(options.env);
  if (keys.length === 0) return undefined;
  const values = Object.fromEntries(keys.map((key) => [key, options.env![key]!]));
  return new Secret(
    `${ctx.name}-env`,
    { metadata: { name: `${names.base}-env`, namespace, labels: names.labels }, type: "Opaque", stringData: pulumi.secret(values) },
    opts,
  );
}

/**
 * The container's env: the fabric's, then the workload's, then the user's, a later one replacing an earlier one of
 * the same name in place. The user's plain strings are inline values; every other value is a reference into the
 * component's Secret.
 */
function containerEnv(base: Record<string, string>, userEnv: WorkloadOptions["env"], secret: Secret | undefined): k8s.core.v1.EnvVar[] {
  const byName = new Map<string, k8s.core.v1.EnvVar>(Object.entries(base).map(([name, value]) => [name, { name, value }]));
  for (const [name, value] of Object.entries(userEnv ?? {})) {
    if (typeof value === "string") {
      byName.set(name, { name, value });
      continue;
    }
    // A programming error, not the user's: every compiler creates the Secret when a value needs it.
    if (secret === undefined) throw new Error(`env.${name} is not a plain string and the workload has no env Secret`);
    byName.set(name, { name, valueFrom: { secretKeyRef: { name: secret.metadata.name, key: name } } });
  }
  return [...byName.values()];
}

/**
 * The container's command with the fabric's prelude first (GKE: source Google's NCCL profile, then `exec` the
 * workload, so signals and the exit code are the workload's). The profile may set variables the user's `env` also
 * sets, and the user's must win: the wrapper copies each of them aside before the profile runs and exports the copy
 * again after. Only the names (shell identifiers, checked here) appear in the script; the values, plain or secret,
 * stay in the container's environment and never reach the shell's text. Kubernetes appends `args` to `command`, so
 * they reach the workload as its own arguments through "$@".
 */
export function fabricCommand(plan: Plan, command: string[] | undefined, userEnvNames: readonly string[] = []): string[] | undefined {
  const prelude = podFabric(plan)?.entrypointPrelude;
  if (prelude === undefined || command === undefined) return command;
  const names = userEnvNames.filter((name) => SHELL_NAME.test(name));
  const save = names.map((name) => `${SAVED_PREFIX}${name}="$${name}"`);
  const restore = names.map((name) => `export ${name}="$${SAVED_PREFIX}${name}"`);
  return ["/bin/bash", "-c", [...save, prelude, ...restore, 'exec "$@"'].join(" && "), PRELUDE_ARGV0, ...command];
}

export function gpuPodSpec(plan: Plan, options: WorkloadOptions, placement: GpuNodePlacement, parts: PodParts): k8s.core.v1.PodSpec {
  const fabric = podFabric(plan);
  const command = fabricCommand(plan, parts.command, Object.keys(options.env ?? {}));
  const shmGiB = options.shmSizeGiB ?? WORKLOAD_DEFAULTS.shmSizeGiB;
  const uid = options.runAsUser ?? WORKLOAD_DEFAULTS.runAsUser;
  const env = containerEnv({ ...ncclEnvironment(plan), ...placement.env, ...parts.env }, options.env, parts.envSecret);
  // A user volume already at /scratch wins (two mounts at one path make the pod invalid).
  const scratch = parts.mounts.some((m) => m.mountPath === POD_SCRATCH.mountPath) ? undefined : podScratch(plan, placement);
  const identity = parts.runAsNonRoot ? { runAsNonRoot: true, runAsUser: uid, runAsGroup: uid } : {};
  return {
    ...(fabric?.sidecars?.length ? { initContainers: fabric.sidecars } : {}),
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    securityContext: { ...identity, ...(parts.runAsNonRoot ? { fsGroup: uid } : {}), seccompProfile: { type: "RuntimeDefault" } },
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: placement.matchExpressions }] },
      },
      ...(placement.podAffinity ? { podAffinity: placement.podAffinity } : {}),
      ...(placement.podAntiAffinity ? { podAntiAffinity: placement.podAntiAffinity } : {}),
    },
    ...(placement.resourceClaims?.length ? { resourceClaims: placement.resourceClaims } : {}),
    tolerations: placement.tolerations,
    containers: [
      {
        name: plan.workload === "training" ? "trainer" : "server",
        image: parts.image,
        ...(command ? { command } : {}),
        ...(parts.args ? { args: parts.args } : {}),
        env,
        ...(parts.envFrom.length ? { envFrom: parts.envFrom } : {}),
        ports: parts.ports,
        resources: placement.resourceClaims?.length ? { ...podResources(plan), claims: placement.resourceClaims.map((c) => ({ name: c.name })) } : podResources(plan),
        securityContext: {
          ...identity,
          privileged: false,
          allowPrivilegeEscalation: false,
          // RDMA pins NCCL's buffers in RAM (memlock); nothing else needs a capability.
          capabilities: fabric ? { drop: ["ALL"], add: fabric.capabilities } : { drop: ["ALL"] },
        },
        volumeMounts: [{ name: "dshm", mountPath: "/dev/shm" }, ...(scratch ? [scratch.mount] : []), ...(fabric?.mounts ?? []), ...parts.mounts],
        ...(parts.probes ?? {}),
      },
    ],
    // The container's 64 MiB /dev/shm default breaks NCCL's shared-memory transport and PyTorch data loaders.
    volumes: [{ name: "dshm", emptyDir: { medium: "Memory", sizeLimit: `${shmGiB}Gi` } }, ...(scratch ? [scratch.volume] : []), ...(fabric?.volumes ?? []), ...parts.volumes],
  };
}
