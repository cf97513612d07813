import { describe, expect, it } from "vitest";
import { OPERATING_SCHEMAS } from "./helpers/k8s-schemas.js";
import * as pulumi from "@pulumi/pulumi";
import * as gpu from "gpu-cluster";
import { Deployment } from "kubernetes-models/apps/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { Job } from "kubernetes-models/batch/v1";
import { Ingress, NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { Role, RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1";
import { ConfigMap, Namespace, PersistentVolumeClaim, Secret, Service, ServiceAccount } from "kubernetes-models/v1";
import { childOptions } from "../lib/clouds/coreweave/names.js";
import { ncclEnvironment } from "../lib/clouds/coreweave/index.js";
import type { RecordedResource } from "../lib/preview/offline.js";
import { byName, one, ofType, run } from "./helpers/offline.js";
import { trainingJob } from "./helpers/offline.js";

const K = {
  nodePool: "kubernetes:compute.coreweave.com/v1alpha1:NodePool",
  namespace: "kubernetes:core/v1:Namespace",
  service: "kubernetes:core/v1:Service",
  pvc: "kubernetes:core/v1:PersistentVolumeClaim",
  secret: "kubernetes:core/v1:Secret",
  configMap: "kubernetes:core/v1:ConfigMap",
  job: "kubernetes:batch/v1:Job",
  deployment: "kubernetes:apps/v1:Deployment",
  hpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
  netpol: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
  ingress: "kubernetes:networking.k8s.io/v1:Ingress",
  middleware: "kubernetes:traefik.io/v1alpha1:Middleware",
};

/** Upstream Kubernetes schema (kubernetes-models, generated from the Kubernetes OpenAPI spec) of each kind we build. */
const SCHEMAS: Record<string, new (data: any) => { validate(): void }> = {
  ...OPERATING_SCHEMAS,
  [K.namespace]: Namespace,
  [K.service]: Service,
  [K.pvc]: PersistentVolumeClaim,
  [K.secret]: Secret,
  [K.configMap]: ConfigMap,
  [K.job]: Job,
  [K.deployment]: Deployment,
  [K.hpa]: HorizontalPodAutoscaler,
  [K.netpol]: NetworkPolicy,
  // An internet-facing fleet's HTTPS front (lib/clouds/coreweave/ingress.ts).
  [K.ingress]: Ingress,
  // The fabric acceptance test (on by default for training): its ServiceAccount and the Role writing its one ConfigMap.
  "kubernetes:core/v1:ServiceAccount": ServiceAccount,
  "kubernetes:rbac.authorization.k8s.io/v1:Role": Role,
  "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": RoleBinding,
};

/** Pulumi's wire marker of a secret value (the engine receives `{ [SIG]: SECRET, value }`). */
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";

function isSecret(value: unknown): value is { value: unknown } {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIG] === SECRET;
}

/** The plain manifest the provider sends to the API server: secret markers replaced by their values. */
function unwrapSecrets(value: unknown): unknown {
  if (isSecret(value)) return unwrapSecrets(value.value);
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
  return value;
}

/** Validates one recorded manifest against its kind's schema; throws with the schema's complaint. */
function schemaCheck(resource: RecordedResource): void {
  const Model = SCHEMAS[resource.type];
  if (!Model) throw new Error(`no schema for ${resource.type}`);
  new Model(unwrapSecrets(resource.inputs)).validate();
}

const base = { cloud: "coreweave" as const, region: "US-EAST-04" };

function h100Training(name: string, args: Partial<gpu.TrainingClusterArgs> = {}) {
  return () => new gpu.TrainingCluster(name, { ...base, gpu: { instanceType: "gd-8xh100ib-i128", nodes: 8 }, ...args } as gpu.TrainingClusterArgs);
}

function fleet(name: string, args: Partial<gpu.InferenceFleetArgs> = {}) {
  return () => new gpu.InferenceFleet(name, { ...base, gpu: { model: "L40S" }, replicas: { min: 2, max: 6 }, ...args } as gpu.InferenceFleetArgs);
}

/** The single container of a workload's pod template. */
function container(resource: RecordedResource) {
  return resource.inputs.spec.template.spec.containers[0];
}

function envOf(c: { env: { name: string; value: string }[] }): Record<string, string> {
  return Object.fromEntries(c.env.map((e) => [e.name, e.value]));
}

function resolve<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((done) => output.apply((v) => done(v)));
}

describe("CoreWeave training cluster", () => {
  it("declares one CKS NodePool of the plan's instance type, fixed at nodeCount, tainted for GPU work", async () => {
    let cluster: gpu.TrainingCluster | undefined;
    const result = await run(() => (cluster = h100Training("pretrain")()));
    expect(result.error).toBeUndefined();
    const pool = one(result, K.nodePool).inputs;
    expect(pool.apiVersion).toBe("compute.coreweave.com/v1alpha1");
    expect(pool.kind).toBe("NodePool");
    expect(pool.metadata.name).toBe("pretrain-pool");
    expect(pool.spec).toEqual({
      computeClass: "default",
      instanceType: "gd-8xh100ib-i128",
      targetNodes: 8,
      minNodes: 8,
      maxNodes: 8,
      autoscaling: false,
      nodeLabels: { "gpu-cluster/pool": "pretrain-pool" },
      nodeTaints: [{ key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" }],
    });
    expect(await resolve(cluster!.nodeGroupId)).toBe("pretrain-pool");
    expect(await resolve(cluster!.networkId)).toBe("pretrain");
    expect(await resolve(cluster!.subnetIds)).toEqual([]);
    expect(await resolve(cluster!.securityGroupId)).toBe("pretrain-ingress");
  });

  it("runs one indexed pod per Node with every GPU, the InfiniBand resource, affinity, tolerations, /dev/shm and NCCL over IB", async () => {
    const result = await run(h100Training("ib"));
    expect(result.error).toBeUndefined();
    const job = trainingJob(result).inputs;
    expect(job.spec).toMatchObject({ completionMode: "Indexed", completions: 8, parallelism: 8, backoffLimit: 0 });
    const pod = job.spec.template.spec;
    const c = container(trainingJob(result));
    expect(c.resources.requests).toMatchObject({ "nvidia.com/gpu": "8", "rdma/ib": "1" });
    expect(c.resources.limits).toMatchObject({ "nvidia.com/gpu": "8", "rdma/ib": "1" });
    expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      {
        matchExpressions: [
          { key: "gpu-cluster/pool", operator: "In", values: ["ib-pool"] },
          { key: "node.kubernetes.io/instance-type", operator: "In", values: ["gd-8xh100ib-i128"] },
        ],
      },
    ]);
    // The pods tolerate exactly the taint the pool puts on its Nodes.
    const taint = one(result, K.nodePool).inputs.spec.nodeTaints[0];
    expect(pod.tolerations).toEqual([{ key: taint.key, operator: "Exists", effect: taint.effect }]);
    expect(pod.volumes).toContainEqual({ name: "dshm", emptyDir: { medium: "Memory", sizeLimit: "64Gi" } });
    expect(c.volumeMounts).toContainEqual({ name: "dshm", mountPath: "/dev/shm" });
    expect(envOf(c)).toMatchObject({
      NCCL_IB_HCA: "ibp",
      NCCL_SOCKET_IFNAME: "eth0",
      // As coreweave/nccl-tests' H100 MPIJob (@cb86553): UCX over the eight IB ports, UCX_TLS left to UCX.
      UCX_NET_DEVICES: "ibp0:1,ibp1:1,ibp2:1,ibp3:1,ibp4:1,ibp5:1,ibp6:1,ibp7:1",
      MASTER_ADDR: "ib-0.ib",
      NNODES: "8",
      NPROC_PER_NODE: "8",
    });
    expect(envOf(c).UCX_TLS).toBeUndefined();
    expect(c.securityContext).toEqual({ privileged: false, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"], add: ["IPC_LOCK"] } });
    // Rank DNS: the pods' subdomain is the headless Service.
    const svc = byName(result, K.service, "ib-svc").inputs;
    expect(svc.spec.clusterIP).toBe("None");
    expect(pod.subdomain).toBe(svc.metadata.name);
    expect(svc.spec.selector).toEqual(job.spec.template.metadata.labels);
    // Default: the all-reduce with torchrun across every Node (test/acceptance.test.ts checks the script).
    expect(c.command.join(" ")).toContain('torchrun --nnodes="$NNODES"');
  });

  it("admits ingress only from the job's own pods", async () => {
    const result = await run(h100Training("np"));
    const policy = byName(result, K.netpol, "np-netpol").inputs;
    const podLabels = trainingJob(result).inputs.spec.template.metadata.labels;
    expect(policy.metadata).toMatchObject({ name: "np-ingress", namespace: "np" });
    expect(policy.spec).toEqual({ podSelector: { matchLabels: podLabels }, policyTypes: ["Ingress"], ingress: [{ from: [{ podSelector: { matchLabels: podLabels } }] }] });
  });

  it("drops the RDMA resource and IPC_LOCK, and turns NCCL's IB transport off, when the fabric is opted out", async () => {
    const result = await run(h100Training("tcp", { fabric: "none" }));
    expect(result.error).toBeUndefined();
    const c = container(trainingJob(result));
    expect(c.resources.requests["rdma/ib"]).toBeUndefined();
    expect(c.resources.limits["rdma/ib"]).toBeUndefined();
    expect(c.securityContext.capabilities).toEqual({ drop: ["ALL"] });
    expect(envOf(c)).toMatchObject({ NCCL_IB_DISABLE: "1", NCCL_SOCKET_IFNAME: "eth0" });
    expect(envOf(c).NCCL_IB_HCA).toBeUndefined();
    expect(ncclEnvironment(gpu.planCluster({ ...base, gpu: { instanceType: "gd-8xh100ib-i128", nodes: 2 } })).NCCL_IB_HCA).toBe("ibp");
  });

  it("compiles 64 nodes to the same resources as 8", async () => {
    const small = await run(h100Training("same", { gpu: { instanceType: "gd-8xh100ib-i128", nodes: 8 } }));
    const large = await run(h100Training("same", { gpu: { instanceType: "gd-8xh100ib-i128", nodes: 64 } }));
    expect(large.error).toBeUndefined();
    expect(large.resources.map((r) => `${r.type} ${r.name}`)).toEqual(small.resources.map((r) => `${r.type} ${r.name}`));
    expect(one(large, K.nodePool).inputs.spec).toMatchObject({ targetNodes: 64, minNodes: 64, maxNodes: 64 });
    expect(trainingJob(large).inputs.spec).toMatchObject({ completions: 64, parallelism: 64 });
    expect(trainingJob(small).inputs.spec).toMatchObject({ completions: 8, parallelism: 8 });
  });

  it("sizes GB200 pools in whole racks with 4 GPUs per pod, and uses the spot compute class for spot pricing", async () => {
    const rack = await run(h100Training("rack", { gpu: { instanceType: "gb200-4x", nodes: 18 }, region: "US-EAST-01" }));
    expect(rack.error).toBeUndefined();
    expect(one(rack, K.nodePool).inputs.spec).toMatchObject({ instanceType: "gb200-4x", targetNodes: 18, autoscaling: false });
    expect(container(trainingJob(rack)).resources.limits).toMatchObject({ "nvidia.com/gpu": "4", "rdma/ib": "1" });
    const spot = await run(h100Training("spot", { pricing: "spot" }));
    expect(one(spot, K.nodePool).inputs.spec.computeClass).toBe("spot");
  });

  /**
   * computeClass, lower case: https://docs.coreweave.com/platform/capacity-plans/spot-node-pools (read 2026-12-01)
   * tells to "set the spec.computeClass field to spot" and its manifest example writes `computeClass: spot`;
   * https://docs.coreweave.com/products/cks/reference/node-pool (read 2026-12-01) gives the enum value and default
   * `default` (reserved and on-demand). The spot page's preemption section: at most seven minutes' notice.
   */
  it("computeClass is CoreWeave's lower-case 'default' on demand and 'spot' for spot; a spot plan notes that Nodes can be reclaimed", async () => {
    const plans: Record<string, gpu.Plan> = {};
    const capture = (key: string, args: Partial<gpu.TrainingClusterArgs>) => () => {
      const c = h100Training(key, args)();
      c.plan.apply((p) => (plans[key] = p));
      return c;
    };
    const onDemand = await run(capture("od", {}));
    expect(one(onDemand, K.nodePool).inputs.spec.computeClass).toBe("default");
    const spot = await run(capture("sp", { pricing: "spot" }));
    expect(one(spot, K.nodePool).inputs.spec.computeClass).toBe("spot");
    const queued = await run(capture("sq", { pricing: "spot", coreweave: { kueue: true } } as Partial<gpu.TrainingClusterArgs>));
    expect(queued.error).toBeUndefined();
    await new Promise((r) => setTimeout(r, 0));

    expect(plans.od!.notes.join("\n")).not.toContain("spot:");
    const spotNote = plans.sp!.notes.find((n) => n.startsWith("spot:"));
    expect(spotNote).toBe(
      "spot: CoreWeave can reclaim any Node of the Spot Node Pool (computeClass: spot) at any time, with at most 7 minutes' notice, and refills the pool when capacity returns; " +
        "a reclaimed Node stops the training Job's collective (every rank is needed): the Job fails (no restarts without coreweave.kueue), so checkpoint to shared storage (nfs or object) and resume from it, or set coreweave.kueue: true to requeue the Job",
    );
    expect(plans.sq!.notes.find((n) => n.startsWith("spot:"))).toContain("Kueue requeues the whole Job, which restarts from its last checkpoint on shared storage (with waitForPodsReady on in the cluster's Kueue");
    // The requeue rests on a controller configuration the component cannot set on CKS: the note names it, with the
    // figures it sets where it installs Kueue (KUEUE_DEFAULTS: 30m, 15m, 5 requeues). No queue, no such note.
    const config = plans.sq!.notes.find((n) => n.startsWith("Kueue on CoreWeave:"));
    expect(config).toContain(
      "waitForPodsReady: {enable: true, timeout: 30m, recoveryTimeout: 15m, blockAdmission: true, requeuingStrategy: {timestamp: Eviction, backoffLimitCount: 5}}",
    );
    expect(config).toContain("set them in its kueue subchart's managerConfig.controllerManagerConfigYaml");
    expect(plans.sp!.notes.find((n) => n.startsWith("Kueue on CoreWeave:"))).toBeUndefined();
  });

  it("mounts nfs and lustre as shared-vast PVCs and publishes object storage as an endpoint ConfigMap", async () => {
    let cluster: gpu.TrainingCluster | undefined;
    const result = await run(
      () =>
        (cluster = h100Training("data", {
          storage: [
            { kind: "nfs", capacityTiB: 10, mountPath: "/data" },
            { kind: "lustre", capacityTiB: 2, mountPath: "/scratch" },
            { kind: "object", capacityTiB: 50 },
          ],
        })()),
    );
    expect(result.error).toBeUndefined();
    const claims = ofType(result, K.pvc).map((r) => r.inputs);
    expect(claims.map((c) => c.spec)).toEqual([
      { accessModes: ["ReadWriteMany"], storageClassName: "shared-vast", resources: { requests: { storage: "10240Gi" } } },
      { accessModes: ["ReadWriteMany"], storageClassName: "shared-vast", resources: { requests: { storage: "2048Gi" } } },
    ]);
    const job = trainingJob(result);
    expect(job.inputs.spec.template.spec.volumes).toEqual(
      expect.arrayContaining([
        { name: "storage-data", persistentVolumeClaim: { claimName: claims[0].metadata.name } },
        { name: "storage-scratch", persistentVolumeClaim: { claimName: claims[1].metadata.name } },
      ]),
    );
    expect(container(job).volumeMounts).toEqual(expect.arrayContaining([{ name: "storage-data", mountPath: "/data" }, { name: "storage-scratch", mountPath: "/scratch" }]));
    expect(byName(result, K.configMap, "data-object-mnt-object").inputs.data).toEqual({ AWS_ENDPOINT_URL: "http://cwlota.com" });
    expect(ofType(result, K.secret)).toHaveLength(0);
    expect(container(job).envFrom).toEqual([{ configMapRef: { name: "data-object-mnt-object" } }]);
    expect(cluster!.storage.map((s) => s.mountPath)).toEqual(["/data", "/scratch", "/mnt/object"]);
    expect(await resolve(cluster!.storage[2]!.endpoint)).toBe("http://cwlota.com");
  });

  it("keeps object storage keys in a Kubernetes Secret when they are given", async () => {
    const result = await run(
      h100Training("keys", {
        storage: [{ kind: "object", capacityTiB: 1 }],
        coreweave: { objectStorage: { endpoint: "https://cwobject.com", accessKeyId: pulumi.secret("AKID"), secretAccessKey: pulumi.secret("SK") } },
      }),
    );
    expect(result.error).toBeUndefined();
    expect(ofType(result, K.configMap).filter((r) => !r.name.includes("nccl-check"))).toHaveLength(0);
    const stringData = one(result, K.secret).inputs.stringData;
    // The keys reach the engine as Pulumi secrets (encrypted in state), not as plain strings.
    expect(isSecret(stringData)).toBe(true);
    expect(unwrapSecrets(stringData)).toEqual({ AWS_ENDPOINT_URL: "https://cwobject.com", AWS_ACCESS_KEY_ID: "AKID", AWS_SECRET_ACCESS_KEY: "SK" });
    expect(container(trainingJob(result)).envFrom).toEqual([{ secretRef: { name: "keys-object-mnt-object" } }]);
  });
});

describe("CoreWeave inference fleet", () => {
  it("runs a Deployment at replicas.min, an HPA between min and max, probes on the service port, and an internal Service", async () => {
    let f: gpu.InferenceFleet | undefined;
    const result = await run(() => (f = fleet("serve", { port: 8080, healthCheckPath: "/ready" })()));
    expect(result.error).toBeUndefined();
    const pool = one(result, K.nodePool).inputs.spec;
    expect(pool).toMatchObject({ instanceType: "gd-8xl40s-i128", targetNodes: 2, minNodes: 2, maxNodes: 6, autoscaling: true });
    const deployment = one(result, K.deployment).inputs;
    expect(deployment.spec.replicas).toBe(2);
    const hpa = one(result, K.hpa).inputs.spec;
    expect(hpa).toMatchObject({ minReplicas: 2, maxReplicas: 6, scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deployment.metadata.name } });
    const c = container(one(result, K.deployment));
    expect(c.readinessProbe.httpGet).toEqual({ path: "/ready", port: 8080 });
    expect(c.livenessProbe.httpGet).toEqual({ path: "/ready", port: 8080 });
    expect(c.resources.limits["nvidia.com/gpu"]).toBe("8");
    // L40S has no InfiniBand: no RDMA resource, no capability.
    expect(c.resources.limits["rdma/ib"]).toBeUndefined();
    expect(c.securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ["ALL"] } });
    expect(c.args).toEqual(["--model", "Qwen/Qwen3-8B", "--port", "8080", "--tensor-parallel-size", "8"]);
    const svc = one(result, K.service).inputs;
    expect(svc.spec).toMatchObject({ type: "ClusterIP", ports: [{ name: "http", port: 8080, targetPort: 8080, protocol: "TCP" }] });
    expect(svc.metadata.annotations["service.beta.kubernetes.io/coreweave-load-balancer-type"]).toBeUndefined();
    expect(byName(result, K.netpol, "serve-netpol").inputs.spec.ingress).toEqual([{ ports: [{ protocol: "TCP", port: 8080 }] }]);
    expect(await resolve(f!.endpointUrl)).toBe("http://serve.serve.svc.cluster.local:8080");
  });

  /**
   * CKS's eviction strategies (https://docs.coreweave.com/support/cks/articles/what-are-interruptible-labels-and-how-do-they-affect-node-maintenance,
   * last modified 2026-06-18, read 2026-12-01): a pod with no label blocks Node maintenance and scale-down while it
   * runs; `qos.coreweave.com/graceful-interruptible: "true"` lets CKS proceed once the pod terminates or its grace period
   * ends. A fleet pod is one (it drains within its grace period); training pods stay unlabelled, as the page advises.
   */
  it("labels fleet pods gracefully interruptible (not the selector), and leaves training pods unlabelled", async () => {
    const result = await run(fleet("grace"));
    expect(result.error).toBeUndefined();
    const deployment = one(result, K.deployment).inputs;
    expect(deployment.spec.template.metadata.labels["qos.coreweave.com/graceful-interruptible"]).toBe("true");
    expect(deployment.spec.selector.matchLabels["qos.coreweave.com/graceful-interruptible"]).toBeUndefined();
    expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(30);
    const training = await run(() => new gpu.TrainingCluster("strict", { cloud: "coreweave", region: "US-EAST-04", gpu: { instanceType: "gd-8xh100ib-i128", nodes: 2 }, coreweave: { acceptanceTest: true } } as gpu.TrainingClusterArgs));
    expect(training.error).toBeUndefined();
    for (const job of ofType(training, K.job)) expect(JSON.stringify(job.inputs.spec.template.metadata.labels ?? {})).not.toContain("interrupt");
  });

  /**
   * Worker memory of CoreWeave's own one-worker-per-Node NCCL jobs (coreweave/nccl-tests @cb86553, read 2026-12-01):
   * nccl-test-distributed-h100-64-mpijob.yaml requests and limits 960Gi on gd-8xh100ib-i128 (2 TB), and
   * nccl-test-distributed-gb200-nvl72-mpijob.yaml 900Gi on gb200-4x (960 GB): the training pod asks the same. A type
   * with no CoreWeave manifest (H200) and the fleets keep the shared rule (45% of the Node: 2,048 GiB x 0.45 = 921Gi).
   */
  it("training pods request and are limited to CoreWeave's manifest memory: 960Gi on H100, 900Gi on GB200; H200 keeps 921Gi", async () => {
    const memoryOf = async (name: string, instanceType: string, nodes: number, region = "US-EAST-04") => {
      const result = await run(h100Training(name, { gpu: { instanceType, nodes }, region }));
      expect(result.error).toBeUndefined();
      const { requests, limits } = container(trainingJob(result)).resources;
      expect(requests.memory).toBe(limits.memory);
      return limits.memory;
    };
    expect(await memoryOf("mh", "gd-8xh100ib-i128", 2)).toBe("960Gi");
    expect(await memoryOf("mg", "gb200-4x", 18, "US-EAST-01")).toBe("900Gi");
    expect(await memoryOf("mx", "gd-8xh200ib-i128", 2)).toBe("921Gi");
  });

  /**
   * Worker CPU of the same manifests (coreweave/nccl-tests @cb86553, read 2026-12-01): nccl-test-distributed-h100-64
   * requests 110 with no CPU limit; nccl-test-distributed-gb200-nvl72 requests and limits "140" (of 144 Grace cores).
   * A type with no manifest (H200) keeps the shared rule, 85% of 128 vCPUs = 108.8 → 108, no limit.
   */
  it("training pods request CoreWeave's manifest CPU: 110 on H100 (no limit), 140 = limit on GB200; H200 keeps 108", async () => {
    const cpuOf = async (name: string, instanceType: string, nodes: number, region = "US-EAST-04") => {
      const result = await run(h100Training(name, { gpu: { instanceType, nodes }, region }));
      expect(result.error).toBeUndefined();
      const { requests, limits } = container(trainingJob(result)).resources;
      return [requests.cpu, limits.cpu];
    };
    expect(await cpuOf("ch", "gd-8xh100ib-i128", 2)).toEqual(["110", undefined]);
    expect(await cpuOf("cg", "gb200-4x", 18, "US-EAST-01")).toEqual(["140", "140"]);
    expect(await cpuOf("cx", "gd-8xh200ib-i128", 2)).toEqual(["108", undefined]);
    // A fleet keeps the shared rule: its replicas are not CoreWeave's MPI workers.
    const f = await run(fleet("cf", { gpu: { model: "H100", count: 8 }, replicas: { min: 1, max: 2 } }));
    expect(container(one(f, K.deployment)).resources.requests.cpu).toBe("108");
  });

  it("gives an H100 fleet's single-Node replicas no RDMA resource and no capability", async () => {
    const result = await run(fleet("h100", { gpu: { model: "H100", count: 8 }, replicas: { min: 1, max: 2 } }));
    expect(result.error).toBeUndefined();
    expect(one(result, K.nodePool).inputs.spec.instanceType).toBe("gd-8xh100ib-i128");
    const c = container(one(result, K.deployment));
    expect(c.resources.limits).toEqual({ memory: "921Gi", "nvidia.com/gpu": "8" });
    expect(c.securityContext.capabilities).toEqual({ drop: ["ALL"] });
    expect(envOf(c).NCCL_IB_DISABLE).toBe("1");
  });

  it("uses a public CKS LoadBalancer only for an internet-facing fleet with the plain-HTTP opt-out (HTTPS: test/coreweave-ingress.test.ts)", async () => {
    const result = await run(fleet("public", { loadBalancer: "internet-facing", coreweave: { loadBalancerSourceRanges: ["203.0.113.0/24"], plaintextPublicService: true } }));
    expect(result.error).toBeUndefined();
    const svc = one(result, K.service).inputs;
    expect(svc.spec).toMatchObject({ type: "LoadBalancer", externalTrafficPolicy: "Local", loadBalancerSourceRanges: ["203.0.113.0/24"] });
    expect(svc.metadata.annotations["service.beta.kubernetes.io/coreweave-load-balancer-type"]).toBe("public");
  });
});

describe("CoreWeave manifests against the Kubernetes schema", () => {
  it("every manifest of a training cluster and of both fleet shapes validates against its kind's schema", async () => {
    const runs = await Promise.all([
      run(
        h100Training("schema-train", {
          storage: [
            { kind: "nfs", capacityTiB: 1, mountPath: "/data" },
            { kind: "object", capacityTiB: 1 },
          ],
        }),
      ),
      run(h100Training("schema-keys", { storage: [{ kind: "object", capacityTiB: 1 }], coreweave: { objectStorage: { accessKeyId: "a", secretAccessKey: "b" } } })),
      run(fleet("schema-fleet", { storage: [{ kind: "lustre", capacityTiB: 1, mountPath: "/models" }] })),
      run(fleet("schema-public", { loadBalancer: "internet-facing", coreweave: { loadBalancerSourceRanges: ["0.0.0.0/0"], plaintextPublicService: true } })),
      run(fleet("schema-https", { loadBalancer: "internet-facing", coreweave: { loadBalancerSourceRanges: ["0.0.0.0/0"], ingress: { orgId: "cw0000", clusterName: "inference" } } })),
    ]);
    const checked = new Set<string>();
    for (const result of runs) {
      expect(result.error).toBeUndefined();
      // Custom resources have no upstream schema here (the Traefik Middleware's fields: test/coreweave-ingress.test.ts).
      for (const resource of result.resources.filter((r) => r.type.startsWith("kubernetes:") && r.type !== K.nodePool && r.type !== K.middleware)) {
        expect(() => schemaCheck(resource), `${resource.type} ${resource.name}`).not.toThrow();
        checked.add(resource.type);
      }
    }
    expect([...checked].sort()).toEqual(Object.keys(SCHEMAS).sort());
  });

  it("the schema check rejects a broken manifest (so the test above can fail)", async () => {
    const result = await run(h100Training("broken"));
    const job = trainingJob(result);
    const broken = { ...job, inputs: { ...job.inputs, spec: { ...job.inputs.spec, completions: "8" } } };
    expect(() => schemaCheck(broken)).toThrow(/completions/);
  });
});

describe("CoreWeave options", () => {
  it("rejects bad options synchronously, before any resource exists", async () => {
    const cases: [Partial<gpu.TrainingClusterArgs>, string][] = [
      [{ coreweave: { namespace: "Not_A_Label" } }, "coreweave.namespace"],
      [{ coreweave: { shmSizeGiB: 0 } }, "coreweave.shmSizeGiB"],
      [{ coreweave: { objectStorage: { accessKeyId: "only-one" } } }, "coreweave.objectStorage"],
      [{ coreweave: { command: [] } }, "coreweave.command"],
    ];
    for (const [args, path] of cases) {
      const result = await run(h100Training("bad", args));
      expect(result.error).toMatchObject({ name: "SpecError", path });
      expect(result.resources.filter((r) => r.type.startsWith("kubernetes:"))).toHaveLength(0);
    }
    const zero = await run(fleet("zero", { replicas: { min: 0, max: 2 } }));
    expect(zero.error).toMatchObject({ name: "SpecError", path: "replicas.min" });
    const rack = await run(() => new gpu.InferenceFleet("rack", { cloud: "coreweave", region: "US-EAST-01", gpu: { model: "GB200", count: 4 }, replicas: { min: 18, max: 36 } }));
    expect(rack.error).toMatchObject({ name: "SpecError", path: "replicas" });
  });

  /**
   * Workload Scheduling on CKS, User-provided labels (https://docs.coreweave.com/products/cks/clusters/scheduling/workload-scheduling,
   * read 2026-12-01): Node labels never in the *.coreweave.cloud or *.coreweave.com namespaces; CKS rejects them.
   */
  it("rejects Node labels in CKS's reserved *.coreweave.cloud / *.coreweave.com namespaces, naming the key; others pass", async () => {
    for (const key of ["node.coreweave.cloud/type", "coreweave.com/team", "ds.CoreWeave.com/nvlink.domain"]) {
      const result = await run(h100Training("lbl", { coreweave: { nodeLabels: { [key]: "x" } } }));
      expect(result.error, key).toMatchObject({ name: "SpecError", path: `coreweave.nodeLabels.${key}` });
      expect(String(result.error)).toContain("which CKS keeps for its own Node labels");
      expect(result.resources.filter((r) => r.type.startsWith("kubernetes:"))).toHaveLength(0);
    }
    const ok = await run(h100Training("lbk", { coreweave: { nodeLabels: { "example.com/team": "a", team: "b", "notcoreweave.com/x": "c" } } }));
    expect(ok.error).toBeUndefined();
    expect(one(ok, K.nodePool).inputs.spec.nodeLabels).toMatchObject({ "example.com/team": "a", team: "b", "notcoreweave.com/x": "c" });
  });

  it("passes the user's Kubernetes provider to every child, and the namespace and image options through", async () => {
    const provider = { urn: "fake" } as unknown as NonNullable<gpu.CoreWeaveOptions["provider"]>;
    const parent = {} as pulumi.ComponentResource;
    expect(childOptions({ name: "x", parent, bill: [] }, { provider })).toEqual({ parent, provider });
    expect(childOptions({ name: "x", parent, bill: [] }, {})).toEqual({ parent });
    const result = await run(h100Training("opts", { coreweave: { namespace: "team-a", image: "example.com/train:1", command: ["torchrun"], shmSizeGiB: 128 } }));
    expect(result.error).toBeUndefined();
    const job = trainingJob(result).inputs;
    expect(job.metadata.namespace).toBe("team-a");
    expect(container(trainingJob(result))).toMatchObject({ image: "example.com/train:1", command: ["torchrun"] });
    expect(job.spec.template.spec.volumes).toContainEqual({ name: "dshm", emptyDir: { medium: "Memory", sizeLimit: "128Gi" } });
  });
});

describe("CoreWeave internet-facing fleets", () => {
  it("need an explicit client allow-list", async () => {
    const result = await run(
      () => new gpu.InferenceFleet("open", { cloud: "coreweave", region: "US-EAST-04", gpu: { model: "L40S", count: 8 }, replicas: { min: 1, max: 2 }, loadBalancer: "internet-facing" }),
    );
    expect(result.error).toMatchObject({ name: "SpecError", path: "coreweave.loadBalancerSourceRanges" });
    expect(result.resources).toEqual([]);
  });
});
