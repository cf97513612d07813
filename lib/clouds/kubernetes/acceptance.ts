/**
 * The fabric acceptance test, on by default for a training cluster of 2 or more nodes (`acceptanceTest: false` opts
 * out): a two-pod indexed Job, one pod per GPU Node with the training pods' GPUs and fabric (each pod requests every
 * GPU of its Node, so the two never share one), that runs a PyTorch NCCL all-reduce over both Nodes and writes the bus
 * bandwidth it measured into a ConfigMap. Where the plan uses its instance's fabric, the figure is compared with the
 * type's floor (lib/fabric/floors.ts): below it, rank 0 records the verdict and exits non-zero, so the Job fails and
 * `pulumi up` fails on it, before the training Job is created. `pulumi up` waits for the Job (no skipAwait), then
 * reads the ConfigMap back as an output.
 */
import * as pulumi from "@pulumi/pulumi";
import { Job } from "@pulumi/kubernetes/batch/v1";
import { ConfigMap, type Secret, Service, ServiceAccount } from "@pulumi/kubernetes/core/v1";
import { Role, RoleBinding } from "@pulumi/kubernetes/rbac/v1";
import type { Plan } from "../../planner/types.js";
import type { AcceptanceHandle, CompileContext } from "../types.js";
import { fabricGate, gateFailureMessage, gateTransportFailureMessage, MEASURED_PLACEHOLDER, TRANSPORT_PLACEHOLDER } from "../shared/fabric-gate.js";
import { transportCheckEnv } from "../shared/transport-expectation.js";
import { deferredCheck } from "../shared/deferred-check.js";
import { GATE_MESSAGE_BYTES, GATE_NODES } from "../../fabric/floors.js";
import { ALL_REDUCE_ITERATIONS, ALL_REDUCE_MEASUREMENT, TORCHRUN_SCRIPT_COMMAND } from "./workload-all-reduce.js";
import { RENDEZVOUS_PORT, SKIP_AWAIT, type WorkloadNames } from "./names.js";
import { allReduceImage, type WorkloadOptions } from "./options.js";
import { gpuPodSpec, podTemplateMetadata } from "./pod.js";
import { ingressPolicy } from "./security.js";
import type { CheckPair, KubernetesTarget } from "./target.js";
import { QUEUE_NAME_LABEL, topologyAnnotation, type KueueQueues } from "./kueue.js";

/** Nodes the test spans: the fabric between two Nodes (NVLink inside one would hide it). */
export const ACCEPTANCE_NODES = GATE_NODES;
/** Bytes all-reduced per iteration (1 GiB: bandwidth-bound, and the size the floors are read at). */
export const ACCEPTANCE_MESSAGE_BYTES = GATE_MESSAGE_BYTES;
/** GPU Nodes take 20-30 minutes to boot and the PyTorch image (ALL_REDUCE_IMAGES) is 10-20 GB to pull; the test itself takes a minute. */
const TIMEOUT = "90m";
const DEADLINE_SECONDS = 90 * 60;

/**
 * The acceptance test's script: the shared measurement (./workload-all-reduce.ts, with NCCL's transport report where
 * `CHECK_TRANSPORT=1`), then rank 0 compares the figure with `CHECK_FLOOR_GBPS` when set, and merge-patches the result
 * ConfigMap (figure, floor, transport, verdict) through the API server with the pod's ServiceAccount token. Below the
 * floor it writes the failure message (`CHECK_FAILURE_MESSAGE` with the figure filled in), and where NCCL's report
 * falls short of the fabric's expectation (`CHECK_EXPECT_*`) the transport message (`CHECK_TRANSPORT_FAILURE_MESSAGE`
 * with the cause and figure filled in), to stderr and the container's termination message, and exits 1.
 */
export const ACCEPTANCE_SCRIPT = `${ALL_REDUCE_MEASUREMENT}
import json, ssl, sys, urllib.request
floor = os.environ.get("CHECK_FLOOR_GBPS")
failures = []
if floor is not None and not busbw >= float(floor):
    failures.append(os.environ["CHECK_FAILURE_MESSAGE"].replace("${MEASURED_PLACEHOLDER}", f"{busbw:.2f}"))
if transport_cause:
    template = os.environ.get("CHECK_TRANSPORT_FAILURE_MESSAGE", "fabric check FAILED: ${TRANSPORT_PLACEHOLDER}")
    failures.append(template.replace("${TRANSPORT_PLACEHOLDER}", transport_cause).replace("${MEASURED_PLACEHOLDER}", f"{busbw:.2f}"))
passed = not failures
message = "\n\n".join(failures)
if rank == 0:
    sa = "/var/run/secrets/kubernetes.io/serviceaccount"
    host = os.environ.get("KUBERNETES_SERVICE_HOST", "kubernetes.default.svc")
    port = os.environ.get("KUBERNETES_SERVICE_PORT", "443")
    ns = open(f"{sa}/namespace").read().strip()
    url = f"https://{host}:{port}/api/v1/namespaces/{ns}/configmaps/{os.environ['CHECK_RESULT_CONFIGMAP']}"
    data = {"busBandwidthGBps": f"{busbw:.2f}", "algBandwidthGBps": f"{algbw:.2f}", "worldSize": str(n), "messageBytes": str(size)}
    if transport is not None:
        data["transport"] = transport
    if floor is not None or transport_cause:
        data.update({"passed": str(passed).lower(), "message": message})
    if floor is not None:
        data["floorGBps"] = floor
    request = urllib.request.Request(url, data=json.dumps({"data": data}).encode(), method="PATCH", headers={
        "Authorization": "Bearer " + open(f"{sa}/token").read().strip(),
        "Content-Type": "application/merge-patch+json",
    })
    urllib.request.urlopen(request, context=ssl.create_default_context(cafile=f"{sa}/ca.crt"), timeout=30).read()
dist.destroy_process_group()
if rank == 0 and not passed:
    print(message, file=sys.stderr, flush=True)
    with open("/dev/termination-log", "w") as log:
        log.write(message[:4000])
    sys.exit(1)
`;

/** Pod template metadata with more annotations. */
function withAnnotations(metadata: ReturnType<typeof podTemplateMetadata>, annotations: Record<string, string>): ReturnType<typeof podTemplateMetadata> {
  return { ...metadata, annotations: { ...((metadata.annotations as Record<string, string> | undefined) ?? {}), ...annotations } };
}

/** Where Kubernetes clients look for the pod's ServiceAccount credentials. */
const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/** The automounted ServiceAccount volume's contents (token, cluster CA, namespace), as a volume one container mounts. */
const SERVICE_ACCOUNT_VOLUME = {
  name: "nccl-check-token",
  projected: {
    sources: [
      { serviceAccountToken: { path: "token", expirationSeconds: 3600 } },
      { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
      { downwardAPI: { items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }] } },
    ],
  },
};

/** One check pair's objects: its Job, its pods' Service, the ConfigMap its rank 0 fills in and the Role that allows it. */
export interface CheckWorkload {
  job: Job;
  service: Service;
  configMap: ConfigMap;
  role: Role;
  handle: AcceptanceHandle;
}

/** The default pair's objects, and those of the target's further pairs (`checkPairs`), in their order. */
export interface AcceptanceWorkload extends CheckWorkload {
  pairs: CheckWorkload[];
}

/**
 * Whether the acceptance test runs: as `acceptanceTest` says, and by default for a training plan of 2 or more nodes
 * (the checks refuse an explicit `true` for an inference fleet or a single node). Never when the capacity arrives after
 * `up` (an AWS Capacity Block, GCP flex-start: ../shared/deferred-check.ts, the VM gate's rule too; each cloud's checks
 * refuse an explicit `true` there).
 */
export function acceptanceTestEnabled(plan: Plan, options: WorkloadOptions): boolean {
  if (deferredCheck(plan) !== undefined) return false;
  return options.acceptanceTest ?? (plan.workload === "training" && plan.nodeCount >= ACCEPTANCE_NODES);
}

/**
 * The acceptance test when `acceptanceTest` is on for a training plan; otherwise nothing. Its pods get the user's
 * `env` like the training pods, the non-plain values from the training workload's `envSecret`. One check Job for the
 * default pair, and one more per pair of the target's `checkPairs` (NVL72 across racks), each compared with its own
 * floor; they run side by side (each pair takes two whole Nodes of the pool).
 */
export function acceptanceWorkload(
  plan: Plan,
  options: WorkloadOptions,
  names: WorkloadNames,
  namespace: pulumi.Input<string>,
  target: KubernetesTarget,
  ctx: CompileContext,
  envSecret?: Secret,
  queue?: KueueQueues,
): AcceptanceWorkload | undefined {
  if (!acceptanceTestEnabled(plan, options)) return undefined;
  const main = checkWorkload(plan, options, names, namespace, target, ctx, envSecret, undefined, queue);
  return { ...main, pairs: (target.checkPairs ?? []).map((pair) => checkWorkload(plan, options, names, namespace, target, ctx, envSecret, pair)) };
}

/** One check pair: the default one, or `pair` (its names suffixed, its placement, NCCL settings and floor). */
function checkWorkload(
  plan: Plan,
  options: WorkloadOptions,
  names: WorkloadNames,
  namespace: pulumi.Input<string>,
  target: KubernetesTarget,
  ctx: CompileContext,
  envSecret?: Secret,
  pair?: CheckPair,
  queue?: KueueQueues,
): CheckWorkload {
  const suffix = pair?.suffix ?? "";
  // Logical names: `<component>-nccl-check<suffix>`, Kubernetes names `<base>-nccl-check<suffix>`.
  const check = `${ctx.name}-nccl-check${suffix}`;
  const name = `${names.base}-nccl-check${suffix}`;
  const podLabels = { "app.kubernetes.io/name": name, "gpu-cluster/name": names.base };
  const metadata = { name, namespace, labels: names.labels };

  // Created empty; rank 0 fills it in.
  const configMap = new ConfigMap(check, { metadata, data: {} }, target.opts);
  const account = new ServiceAccount(check, { metadata, automountServiceAccountToken: false }, target.opts);
  // The test's only API access: writing its result into this one ConfigMap.
  const role = new Role(
    check,
    { metadata, rules: [{ apiGroups: [""], resources: ["configmaps"], resourceNames: [name], verbs: ["patch", "update"] }] },
    target.opts,
  );
  const binding = new RoleBinding(
    check,
    {
      metadata,
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
      subjects: [{ kind: "ServiceAccount", name: account.metadata.name, namespace }],
    },
    target.opts,
  );
  const service = new Service(
    `${check}-svc`,
    {
      metadata: { ...metadata, annotations: SKIP_AWAIT },
      spec: {
        clusterIP: "None",
        selector: podLabels,
        publishNotReadyAddresses: true,
        ports: [{ name: "rendezvous", port: RENDEZVOUS_PORT, targetPort: RENDEZVOUS_PORT, protocol: "TCP" }],
      },
    },
    target.opts,
  );
  // Same deny-by-default ingress as the training pods: only the test's own pods reach them.
  ingressPolicy({ ...names, networkPolicy: `${name}-ingress`, podLabels }, namespace, { fromOwnPods: true }, { ...ctx, name: check }, target.opts);

  const gate = fabricGate(plan, "kubernetes", pair?.path);
  // The default pair: the target's placement, with the check's own pod affinity where it has one. A further pair: the
  // node side of it, with the pair's own pod affinity, anti-affinity and claims instead of the target's.
  const { checkPodAffinity, ...own } = target.placement;
  const { podAffinity: _affinity, podAntiAffinity: _antiAffinity, resourceClaims: _claims, ...nodeSide } = own;
  const placement = pair ? { ...nodeSide, ...pair.placement } : checkPodAffinity ? { ...own, podAffinity: checkPodAffinity } : own;
  const pod = gpuPodSpec(plan, options, placement, {
    image: options.acceptanceImage ?? allReduceImage(plan),
    command: TORCHRUN_SCRIPT_COMMAND,
    env: {
      MASTER_ADDR: `${name}-0.${name}`,
      MASTER_PORT: String(RENDEZVOUS_PORT),
      NNODES: String(ACCEPTANCE_NODES),
      NPROC_PER_NODE: String(plan.gpusPerNode),
      CHECK_MESSAGE_BYTES: String(ACCEPTANCE_MESSAGE_BYTES),
      CHECK_ITERATIONS: String(ALL_REDUCE_ITERATIONS),
      CHECK_RESULT_CONFIGMAP: name,
      CHECK_SCRIPT: ACCEPTANCE_SCRIPT,
      ...(pair?.env ?? {}),
      ...(gate
        ? {
            CHECK_FLOOR_GBPS: String(gate.floor.floorGBps),
            CHECK_FAILURE_MESSAGE: gateFailureMessage(gate, MEASURED_PLACEHOLDER),
            CHECK_TRANSPORT_FAILURE_MESSAGE: gateTransportFailureMessage(gate, TRANSPORT_PLACEHOLDER, MEASURED_PLACEHOLDER),
            // What NCCL must report of its transport on this fabric (../shared/transport-expectation.ts).
            ...transportCheckEnv(plan, gate),
          }
        : {}),
    },
    ports: [{ name: "rendezvous", containerPort: RENDEZVOUS_PORT, protocol: "TCP" }],
    volumes: [SERVICE_ACCOUNT_VOLUME],
    mounts: [{ name: SERVICE_ACCOUNT_VOLUME.name, mountPath: SERVICE_ACCOUNT_DIR, readOnly: true }],
    envFrom: [],
    // The all-reduce images (NGC PyTorch, AWS's DLC) run as root.
    runAsNonRoot: false,
    envSecret,
  });

  // No skipAwait: `pulumi up` waits for the Job to complete (or fail), bounded by the custom timeouts.
  const job = new Job(
    check,
    {
      // A failed check stays failed: the next `up` (after a fix) replaces the Job and measures again.
      // Queued (nodes only through ProvisioningRequests): created suspended in the queue; Kueue resumes it when its
      // two nodes are up (the deadline counts from then: a Job's active deadline restarts when it is resumed). `up`
      // keeps waiting meanwhile: the provider waits for the Complete condition, and Suspended is not a failure
      // (pulumi/pulumi-kubernetes provider/pkg/await/states/job.go, read 2026-12-01).
      metadata: { ...metadata, ...(queue ? { labels: { ...names.labels, [QUEUE_NAME_LABEL]: queue.queueName } } : {}), annotations: { "pulumi.com/replaceUnready": "true" } },
      spec: {
        completionMode: "Indexed",
        completions: ACCEPTANCE_NODES,
        parallelism: ACCEPTANCE_NODES,
        backoffLimit: 0,
        activeDeadlineSeconds: DEADLINE_SECONDS,
        ...(queue ? { suspend: true } : {}),
        template: {
          metadata: queue ? withAnnotations(podTemplateMetadata(plan, podLabels), topologyAnnotation(plan)) : podTemplateMetadata(plan, podLabels),
          spec: {
            ...pod,
            // The token (for the one ConfigMap the Role allows) is mounted into the test container only, not into a
            // fabric sidecar, so the pod keeps automountServiceAccountToken false.
            serviceAccountName: account.metadata.name,
            subdomain: service.metadata.name,
            restartPolicy: "Never",
          },
        },
      },
    },
    {
      ...target.opts,
      dependsOn: [...target.dependsOn, configMap, binding, service, ...(queue ? [queue.localQueue] : [])],
      customTimeouts: { create: TIMEOUT, update: TIMEOUT },
      // Kueue resumes the Job once admitted: its field from then on.
      ...(queue ? { ignoreChanges: ["spec.suspend"] } : {}),
    },
  );

  // Read back after the Job completed. Under the offline mock engine (a preview) the read is simulated: the mock
  // answers with the ConfigMap as declared, without data, so the value stays unknown, as in a real preview.
  const result = ConfigMap.get(`${check}-result`, pulumi.interpolate`${configMap.metadata.namespace}/${configMap.metadata.name}`, {
    ...target.opts,
    dependsOn: [job],
  });
  const busBandwidthGBps = result.data.apply((data) => data?.["busBandwidthGBps"]) as pulumi.Output<string>;
  const transport = result.data.apply((data) => data?.["transport"]);
  return { job, service, configMap, role, handle: { busBandwidthGBps, transport, ...(gate ? { floorGBps: gate.floor.floorGBps } : {}) } };
}
