import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lustreClientPart, nodeadmUserData } from "../lib/clouds/aws/eks/launch-template.js";
import { OPERATING_SCHEMAS } from "./helpers/k8s-schemas.js";
import * as gpu from "gpu-cluster";
import { Deployment } from "kubernetes-models/apps/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { Job } from "kubernetes-models/batch/v1";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { Role, RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1";
import { ConfigMap, Namespace, PersistentVolume, PersistentVolumeClaim, Service, ServiceAccount } from "kubernetes-models/v1";
import { fabricSides } from "../lib/fabric/index.js";
import { subnetZones } from "../lib/clouds/aws/network.js";
import { one, ofType, run, byName, container, envOf, runRecording, privateEndpoint } from "./helpers/offline.js";
import { trainingJob } from "./helpers/offline.js";

const E = {
  cluster: "aws:eks/cluster:Cluster",
  nodeGroup: "aws:eks/nodeGroup:NodeGroup",
  lt: "aws:ec2/launchTemplate:LaunchTemplate",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  subnet: "aws:ec2/subnet:Subnet",
  pg: "aws:ec2/placementGroup:PlacementGroup",
  kms: "aws:kms/key:Key",
  role: "aws:iam/role:Role",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  provider: "pulumi:providers:kubernetes",
  release: "kubernetes:helm.sh/v3:Release",
  namespace: "kubernetes:core/v1:Namespace",
  service: "kubernetes:core/v1:Service",
  configMap: "kubernetes:core/v1:ConfigMap",
  job: "kubernetes:batch/v1:Job",
  deployment: "kubernetes:apps/v1:Deployment",
  hpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
  netpol: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
};

/** Upstream Kubernetes schema (kubernetes-models) of each workload kind the EKS compiler builds. */
const SCHEMAS: Record<string, new (data: any) => { validate(): void }> = {
  ...OPERATING_SCHEMAS,
  [E.namespace]: Namespace,
  [E.service]: Service,
  [E.configMap]: ConfigMap,
  [E.job]: Job,
  [E.deployment]: Deployment,
  [E.hpa]: HorizontalPodAutoscaler,
  [E.netpol]: NetworkPolicy,
  // The fabric acceptance test (on by default for training): its ServiceAccount and the Role writing its one ConfigMap.
  "kubernetes:core/v1:ServiceAccount": ServiceAccount,
  "kubernetes:rbac.authorization.k8s.io/v1:Role": Role,
  "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": RoleBinding,
  // EFS over TLS: the static EFS CSI volume and its claim.
  "kubernetes:core/v1:PersistentVolume": PersistentVolume,
  "kubernetes:core/v1:PersistentVolumeClaim": PersistentVolumeClaim,
};

const base = { cloud: "aws" as const, region: "us-east-1", orchestrator: "kubernetes" as const };

function training(name: string, args: Partial<gpu.TrainingClusterArgs> = {}) {
  return () => new gpu.TrainingCluster(name, privateEndpoint({ ...base, gpu: { instanceType: "p5.48xlarge", nodes: 8 }, ...args } as gpu.TrainingClusterArgs));
}

function fleet(name: string, args: Partial<gpu.InferenceFleetArgs> = {}) {
  return () => new gpu.InferenceFleet(name, privateEndpoint({ ...base, gpu: { model: "L40S" }, replicas: { min: 2, max: 6 }, ...args } as gpu.InferenceFleetArgs));
}





describe("EKS training cluster (p5)", () => {
  it("nfs: an EFS file system with a mount target in the GPU subnet and the nodes' group, an EFS CSI volume over TLS in every pod; buckets still by ConfigMap", async () => {
    const result = await run(training("shared-fs", { storage: [{ kind: "object", capacityTiB: 1 }, { kind: "nfs", capacityTiB: 2, mountPath: "/shared" }] }));
    expect(result.error).toBeUndefined();
    const fs = one(result, "aws:efs/fileSystem:FileSystem");
    expect(fs.inputs).toMatchObject({ encrypted: true });
    const targets = ofType(result, "aws:efs/mountTarget:MountTarget");
    const gpuNodes = result.resources.find((r) => r.name === "shared-fs-gpu-nodes")!.inputs;
    expect(targets.map((t) => t.inputs.subnetId)).toEqual(gpuNodes.subnetIds);
    const sg = result.resources.find((r) => r.name === "shared-fs-nodes-sg")!;
    expect(targets[0]!.inputs.securityGroups).toEqual(["shared-fs-nodes-sg-id"]);
    expect(sg.type).toBe("aws:ec2/securityGroup:SecurityGroup");
    const pod = trainingJob(result).inputs.spec.template.spec;
    // EFS over TLS: a static EFS CSI volume (encryptInTransit), bound to the workload's claim, and the driver add-on
    // (https://docs.aws.amazon.com/eks/latest/userguide/efs-csi.html, read 2026-11-30). No kubelet nfs volume (no TLS).
    const volume = pod.volumes.find((v: { name: string }) => v.name === "storage-shared");
    expect(volume.nfs).toBeUndefined();
    const claim = byName(result, "kubernetes:core/v1:PersistentVolumeClaim", "shared-fs-nfs-shared-pvc").inputs;
    expect(volume.persistentVolumeClaim).toEqual({ claimName: claim.metadata.name });
    const pv = byName(result, "kubernetes:core/v1:PersistentVolume", "shared-fs-nfs-shared-pv").inputs;
    expect(pv.spec.csi).toEqual({ driver: "efs.csi.aws.com", volumeHandle: `${fs.name}-id`, volumeAttributes: { encryptInTransit: "true" } });
    expect(pv.spec.persistentVolumeReclaimPolicy).toBe("Retain");
    expect(claim.spec.volumeName).toBe(pv.metadata.name);
    expect(pv.spec.claimRef).toEqual({ namespace: claim.metadata.namespace, name: claim.metadata.name });
    expect(ofType(result, "aws:eks/addon:Addon").map((a) => a.inputs.addonName)).toContain("aws-efs-csi-driver");
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: "storage-shared", mountPath: "/shared" });
    expect(Object.keys(byName(result, E.configMap, "shared-fs-buckets").inputs.data).sort()).toEqual(["AWS_REGION", "GPU_CLUSTER_BUCKET_MNT_OBJECT"]);
  });

  it("gives the GPU nodes every EFA interface and the pods the same number of EFA devices, IPC_LOCK and the EFA environment", async () => {
    const result = await run(training("efa"));
    expect(result.error).toBeUndefined();
    const lt = byName(result, E.lt, "efa-lt").inputs;
    const nodeNics = lt.networkInterfaces.filter((n: { interfaceType?: string }) => n.interfaceType === "efa" || n.interfaceType === "efa-only").length;
    expect(nodeNics).toBe(32);
    expect(lt.networkInterfaces[0]).toMatchObject({ networkCardIndex: 0, deviceIndex: 0, interfaceType: "efa" });
    expect(lt.networkInterfaces[31]).toMatchObject({ networkCardIndex: 31, deviceIndex: 1, interfaceType: "efa-only" });
    const c = container(trainingJob(result));
    // The pod side equals the node side, both read from the recorded resources.
    expect(c.resources.requests["vpc.amazonaws.com/efa"]).toBe(String(nodeNics));
    expect(c.resources.limits["vpc.amazonaws.com/efa"]).toBe("32");
    expect(c.resources.limits["hugepages-2Mi"]).toBe("5120Mi"); // libfabric's EFA provider uses huge pages
    // Pods cannot reach the node role's credentials: IMDSv2 with a hop limit of 1.
    expect(lt.metadataOptions).toMatchObject({ httpTokens: "required", httpPutResponseHopLimit: 1 });
    expect(c.resources.limits["nvidia.com/gpu"]).toBe("8");
    expect(c.securityContext.capabilities).toEqual({ drop: ["ALL"], add: ["IPC_LOCK"] });
    const plan = gpu.planCluster({ ...base, gpu: { instanceType: "p5.48xlarge", nodes: 8 } });
    expect(envOf(c)).toMatchObject(fabricSides(plan, "kubernetes").env);
    expect(envOf(c)).toMatchObject({ FI_PROVIDER: "efa", NCCL_NET: "AWS Libfabric", GPU_CLUSTER_EXPECTED_EFA: "32", NNODES: "8", MASTER_ADDR: "efa-0.efa" });
  });

  // P6-B300: card 0 ENA only, cards 1-16 EFA (https://github.com/aws/aws-parallelcluster/issues/7143, 2025-12-06).
  it("p6-b300.48xlarge, 2 nodes: the node group's 17 interfaces (card 0 ENA `interface`, cards 1-16 efa-only at device 0) and 16 EFA devices per pod", async () => {
    const result = await run(training("b300", { gpu: { instanceType: "p6-b300.48xlarge", nodes: 2 } }));
    expect(result.error).toBeUndefined();
    const lt = byName(result, E.lt, "b300-lt").inputs;
    expect(lt.instanceType).toBe("p6-b300.48xlarge");
    const interfaces = lt.networkInterfaces as { networkCardIndex: number; deviceIndex: number; interfaceType: string; securityGroups: unknown[] }[];
    expect(interfaces.map((i) => [i.networkCardIndex, i.deviceIndex, i.interfaceType])).toEqual([
      [0, 0, "interface"],
      ...Array.from({ length: 16 }, (_, k) => [k + 1, 0, "efa-only"]),
    ]);
    // Every interface, the ENA one included, in the EFA security group and the cluster's (eks/launch-template.ts).
    for (const i of interfaces) expect(i.securityGroups).toHaveLength(2);
    const efa = interfaces.filter((i) => i.interfaceType === "efa-only").length;
    expect(efa).toBe(16);
    const c = container(trainingJob(result));
    expect(c.resources.limits["vpc.amazonaws.com/efa"]).toBe(String(efa));
    expect(envOf(c)).toMatchObject({ FI_PROVIDER: "efa", FI_EFA_USE_DEVICE_RDMA: "1", NCCL_NET: "AWS Libfabric", GPU_CLUSTER_EXPECTED_EFA: "16", NNODES: "2" });
    expect(byName(result, E.nodeGroup, "b300-gpu-nodes").inputs.scalingConfig).toMatchObject({ desiredSize: 2 });
    expect(byName(result, E.nodeGroup, "b300-gpu-nodes").inputs.launchTemplate).toBeDefined();
  });

  it("uses 16 EFA interfaces on p5en, on both sides", async () => {
    const result = await run(training("p5en", { gpu: { instanceType: "p5en.48xlarge", nodes: 4 } }));
    expect(result.error).toBeUndefined();
    const nics = byName(result, E.lt, "p5en-lt").inputs.networkInterfaces.length;
    expect(nics).toBe(16);
    expect(container(trainingJob(result)).resources.limits["vpc.amazonaws.com/efa"]).toBe(String(nics));
  });

  it("builds one GPU node group of nodeCount on the accelerated AL2023 AMI, labelled and tainted, in one subnet with the placement group", async () => {
    const result = await run(training("ng"));
    expect(result.error).toBeUndefined();
    const gpuNodes = byName(result, E.nodeGroup, "ng-gpu-nodes").inputs;
    expect(gpuNodes.scalingConfig).toEqual({ minSize: 8, maxSize: 8, desiredSize: 8 });
    expect(gpuNodes.amiType).toBe("AL2023_x86_64_NVIDIA");
    expect(gpuNodes.capacityType).toBe("ON_DEMAND");
    expect(gpuNodes.subnetIds).toEqual(["ng-private-0-id"]);
    expect(gpuNodes.taints).toEqual([{ key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" }]);
    expect(gpuNodes.labels).toEqual({ "gpu-cluster/pool": "ng-pool" });
    expect(gpuNodes.launchTemplate).toEqual({ id: "ng-lt-id", version: "1" });
    const lt = byName(result, E.lt, "ng-lt").inputs;
    expect(lt.metadataOptions).toMatchObject({ httpTokens: "required" });
    expect(lt.blockDeviceMappings[0].ebs).toMatchObject({ volumeType: "gp3", encrypted: "true" });
    expect(lt.placement).toEqual({ groupName: one(result, E.pg).inputs.name ?? "ng-pg-offline" });
    expect(one(result, E.pg).inputs.strategy).toBe("cluster");
    expect(lt.imageId).toBeUndefined();
    expect(lt.iamInstanceProfile).toBeUndefined();
    // The pods select and tolerate exactly those nodes.
    const pod = trainingJob(result).inputs.spec.template.spec;
    expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions).toContainEqual({ key: "gpu-cluster/pool", operator: "In", values: ["ng-pool"] });
    expect(pod.tolerations).toEqual([{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]);
    // The node role: worker, CNI, ECR read-only, SSM.
    const policies = ofType(result, E.attachment).filter((a) => a.name.startsWith("ng-node-")).map((a) => a.inputs.policyArn).sort();
    expect(policies).toEqual([
      "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
      "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
      "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
      "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    ]);
    // EKS needs two zones; the GPU nodes use the first subnet only.
    expect(ofType(result, E.subnet).filter((s) => s.name.startsWith("ng-private-"))).toHaveLength(2);
  });

  it("creates a private cluster with KMS-encrypted secrets and the cluster policy, and no ingress from 0.0.0.0/0", async () => {
    const result = await run(training("sec"));
    expect(result.error).toBeUndefined();
    const cluster = one(result, E.cluster).inputs;
    expect(cluster.vpcConfig).toMatchObject({ endpointPrivateAccess: true, endpointPublicAccess: false });
    expect(cluster.vpcConfig.subnetIds).toEqual(["sec-private-0-id", "sec-private-1-id"]);
    expect(cluster.encryptionConfig).toEqual({ provider: { keyArn: "arn:offline:aws:kms/key:Key:sec-secrets-key" }, resources: ["secrets"] });
    expect(one(result, E.kms).inputs.enableKeyRotation).toBe(true);
    expect(ofType(result, E.attachment).find((a) => a.name === "sec-cluster-policy")!.inputs.policyArn).toBe("arn:aws:iam::aws:policy/AmazonEKSClusterPolicy");
    for (const sg of ofType(result, E.sg)) {
      for (const rule of sg.inputs.ingress ?? []) expect(rule.cidrBlocks ?? [], sg.name).not.toContain("0.0.0.0/0");
    }
    const netpol = byName(result, E.netpol, "sec-netpol").inputs;
    expect(netpol.spec.policyTypes).toEqual(["Ingress"]);
  });

  it("opens a public API endpoint only when asked, and only to the given ranges", async () => {
    const result = await run(training("pub", { aws: { eks: { publicEndpoint: true, publicAccessCidrs: ["203.0.113.0/24"] } } }));
    expect(result.error).toBeUndefined();
    expect(one(result, E.cluster).inputs.vpcConfig).toMatchObject({ endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] });
  });

  it("installs the GPU Operator, then the EFA device plugin, then Kueue, each after the previous; the workload after the device plugin", async () => {
    const { result, registrations } = await runRecording(training("boot", { aws: { eks: { kueue: true } } }));
    expect(result.error).toBeUndefined();
    const releases = ofType(result, E.release);
    expect(releases.map((r) => r.inputs.chart).sort()).toEqual(["aws-efa-k8s-device-plugin", "gpu-operator", "oci://registry.k8s.io/kueue/charts/kueue"]);
    const operator = byName(result, E.release, "boot-gpu-operator");
    const efa = byName(result, E.release, "boot-efa-device-plugin");
    const kueue = byName(result, E.release, "boot-kueue");
    expect(operator.inputs).toMatchObject({ repositoryOpts: { repo: "https://helm.ngc.nvidia.com/nvidia" }, values: { driver: { enabled: false }, toolkit: { enabled: false } } });
    expect(efa.inputs).toMatchObject({ repositoryOpts: { repo: "https://aws.github.io/eks-charts" }, namespace: "kube-system" });
    // The EFA plugin's daemonset must run on the tainted GPU nodes.
    expect(efa.inputs.values.tolerations).toEqual([{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]);
    const gpuNodes = byName(result, E.nodeGroup, "boot-gpu-nodes");
    const deps = (name: string) => registrations.get(name)!.dependencies;
    expect(deps("boot-gpu-operator")).toContain(gpuNodes.urn);
    expect(deps("boot-gpu-operator")).toContain(byName(result, E.nodeGroup, "boot-system-nodes").urn);
    expect(deps("boot-efa-device-plugin")).toEqual(expect.arrayContaining([gpuNodes.urn, operator.urn]));
    expect(deps("boot-kueue")).toEqual(expect.arrayContaining([gpuNodes.urn, efa.urn]));
    expect(deps("boot-job")).toEqual(expect.arrayContaining([operator.urn, efa.urn, kueue.urn]));
    // Every in-cluster object goes through the cluster's provider.
    const provider = one(result, E.provider);
    for (const name of ["boot-gpu-operator", "boot-efa-device-plugin", "boot-kueue", "boot-job", "boot-ns", "boot-svc", "boot-netpol"]) {
      expect(registrations.get(name)!.provider, name).toMatch(new RegExp(`^${provider.urn.replace(/[$]/g, "\\$")}::`));
    }
    expect(provider.inputs.kubeconfig).toBeDefined();
  });

  it("compiles 1,024 nodes to the same resources as 8", async () => {
    const small = await run(training("same"));
    const large = await run(training("same", { gpu: { instanceType: "p5.48xlarge", nodes: 1024 } }));
    expect(large.error).toBeUndefined();
    expect(large.resources.map((r) => `${r.type} ${r.name}`).sort()).toEqual(small.resources.map((r) => `${r.type} ${r.name}`).sort());
    expect(byName(large, E.nodeGroup, "same-gpu-nodes").inputs.scalingConfig).toEqual({ minSize: 1024, maxSize: 1024, desiredSize: 1024 });
    expect(trainingJob(large).inputs.spec).toMatchObject({ completions: 1024, parallelism: 1024 });
  });

  it("prices the EKS control plane at $73.00/month", () => {
    const estimate = gpu.estimateCost({ ...base, gpu: { instanceType: "p5.48xlarge", nodes: 8 } });
    const line = estimate.lines.find((l) => /EKS.*control plane/.test(l.description));
    expect(line?.monthlyUsd).toBeCloseTo(73, 2);
  });

  it("joins an existing cluster by name: no cluster, key, cluster role or system nodes, and a plan note", async () => {
    let cluster: gpu.TrainingCluster | undefined;
    const result = await run(
      () => (cluster = training("byo", { aws: { vpcId: "vpc-123", subnetIds: ["subnet-a"], eks: { clusterName: "shared" } } })()),
    );
    expect(result.error).toBeUndefined();
    expect(ofType(result, E.cluster)).toHaveLength(0);
    expect(ofType(result, E.kms)).toHaveLength(0);
    expect(ofType(result, E.role).map((r) => r.name)).toEqual(["byo-node-role"]);
    expect(ofType(result, E.nodeGroup).map((r) => r.name)).toEqual(["byo-gpu-nodes"]);
    const gpuNodes = one(result, E.nodeGroup).inputs;
    expect(gpuNodes).toMatchObject({ clusterName: "shared", subnetIds: ["subnet-a"] });
    // The nodes join the existing cluster's security group (from the simulated eks.getCluster).
    expect(byName(result, E.lt, "byo-lt").inputs.networkInterfaces[0].securityGroups).toContain("sg-shared-cluster");
    const plan = await new Promise<gpu.Plan>((done) => cluster!.plan.apply(done));
    expect(plan.notes.join("\n")).toMatch(/existing cluster 'shared'.*control-plane fee \(\$73\.00\/month\) and system nodes/);
  });
});

describe("EKS inference fleet", () => {
  it("scales a node group between replicas.min and max under a Deployment and a KEDA ScaledObject (managed Prometheus), with no EFA request", async () => {
    const result = await run(fleet("serve"));
    expect(result.error).toBeUndefined();
    const nodes = byName(result, E.nodeGroup, "serve-gpu-nodes").inputs;
    expect(nodes.scalingConfig).toEqual({ minSize: 2, maxSize: 6, desiredSize: 2 });
    expect(nodes.subnetIds).toHaveLength(2);
    expect(one(result, E.deployment).inputs.spec.replicas).toBe(2);
    expect(one(result, "kubernetes:keda.sh/v1alpha1:ScaledObject").inputs.spec).toMatchObject({ minReplicaCount: 2, maxReplicaCount: 6 });
    const c = container(one(result, E.deployment));
    expect(c.resources.limits["vpc.amazonaws.com/efa"]).toBeUndefined();
    expect(c.securityContext.capabilities).toEqual({ drop: ["ALL"] });
    expect(one(result, E.service).inputs.spec.type).toBe("ClusterIP");
  });

  it("exposes an internet-facing fleet through a TLS NLB admitting only the given ranges", async () => {
    const result = await run(
      fleet("public", { loadBalancer: "internet-facing", aws: { certificateArn: "arn:aws:acm:us-east-1:1:certificate/x", eks: { loadBalancerSourceRanges: ["203.0.113.0/24"] } } }),
    );
    expect(result.error).toBeUndefined();
    const svc = one(result, E.service).inputs;
    expect(svc.spec).toMatchObject({ type: "LoadBalancer", loadBalancerSourceRanges: ["203.0.113.0/24"] });
    expect(svc.metadata.annotations).toMatchObject({
      "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
      "service.beta.kubernetes.io/aws-load-balancer-ssl-cert": "arn:aws:acm:us-east-1:1:certificate/x",
    });
  });
});

describe("EKS manifests against the Kubernetes schema", () => {
  it("every workload manifest validates against its kind's schema", async () => {
    const runs = await Promise.all([
      run(training("schema-train", { storage: [{ kind: "object", capacityTiB: 1 }, { kind: "nfs", capacityTiB: 1, mountPath: "/shared" }] })),
      run(fleet("schema-fleet")),
      // Without the managed Prometheus: the CPU HorizontalPodAutoscaler.
      run(fleet("schema-cpu", { aws: { eks: { managedPrometheus: false } } })),
      run(fleet("schema-public", { loadBalancer: "internet-facing", aws: { certificateArn: "arn:aws:acm:us-east-1:1:certificate/x", eks: { loadBalancerSourceRanges: ["0.0.0.0/0"] } } })),
    ]);
    const checked = new Set<string>();
    for (const result of runs) {
      expect(result.error).toBeUndefined();
      // KEDA's kinds are CRDs with no upstream schema here: test/managed-prometheus.test.ts holds their fields to KEDA's own manifests.
      for (const resource of result.resources.filter((r) => r.type.startsWith("kubernetes:") && r.type !== E.release && !r.type.startsWith("kubernetes:keda.sh/"))) {
        const Model = SCHEMAS[resource.type];
        expect(Model, resource.type).toBeDefined();
        expect(() => new Model!(resource.inputs).validate(), `${resource.type} ${resource.name}`).not.toThrow();
        checked.add(resource.type);
      }
    }
    expect([...checked].sort()).toEqual(Object.keys(SCHEMAS).sort());
  });
});

describe("EKS options", () => {
  it("rejects bad options synchronously, before any resource exists", async () => {
    const cases: [Partial<gpu.TrainingClusterArgs>, string][] = [
      [{ aws: { eks: { clusterName: "x" } } }, "aws.eks.clusterName"],
      [{ aws: { eks: { publicEndpoint: true } } }, "aws.eks.publicAccessCidrs"],
      [{ aws: { eks: { publicAccessCidrs: ["1.2.3.0/24"] } } }, "aws.eks.publicAccessCidrs"],
      [{ aws: { eks: { kueue: "yes" } } } as never, "aws.eks.kueue"],
      [{ aws: { eks: { clusterNme: "x" } } } as never, "aws.eks.clusterNme"],
      [{ aws: { eks: { shmSizeGiB: 0 } } }, "aws.eks.shmSizeGiB"],
      [{ aws: { eks: { kubernetesVersion: "latest" } } }, "aws.eks.kubernetesVersion"],
      [{ aws: { vpcId: "vpc-1", subnetIds: ["subnet-a"] } }, "aws.subnetIds"],
      [{ aws: { amiId: "ami-1" } }, "aws.amiId"],
      [{ storage: [{ kind: "block", capacityTiB: 2, mountPath: "/data" }] }, "storage[0].kind"],
      [{ orchestrator: "vm", aws: { eks: {} } }, "aws.eks"],
    ];
    for (const [args, path] of cases) {
      const result = await run(training("bad", args));
      expect(result.error, path).toMatchObject({ name: "SpecError", path });
      expect(result.resources).toEqual([]);
    }
  });
});

describe("EKS control plane in two zones (https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html)", () => {
  it("a pinned zone keeps the GPU nodes there and puts the second subnet, for the control plane, in another zone of the region", async () => {
    const { result, registrations } = await runRecording(training("pinned", { zone: "us-east-1c" }));
    expect(result.error).toBeUndefined();
    expect(byName(result, E.subnet, "pinned-private-0").inputs.availabilityZone).toBe("us-east-1c");
    expect(byName(result, E.subnet, "pinned-private-1").inputs.availabilityZone).toBe("us-east-1a");
    expect(one(result, E.cluster).inputs.vpcConfig.subnetIds).toEqual(["pinned-private-0-id", "pinned-private-1-id"]);
    expect(byName(result, E.nodeGroup, "pinned-gpu-nodes").inputs.subnetIds).toEqual(["pinned-private-0-id"]);
    // The pinned zone is the user's; the second came from a lookup, so a different answer later never moves it.
    expect(registrations.get("pinned-private-0")?.ignoreChanges).toBeUndefined();
    expect(registrations.get("pinned-private-1")?.ignoreChanges).toEqual(["availabilityZone"]);
  });

  it("a type sold in one zone: the second subnet takes another zone of the region; offered zones come first", () => {
    expect(subnetZones(["us-east-1d"], ["us-east-1a", "us-east-1b", "us-east-1d"], 2, "us-east-1")).toEqual(["us-east-1d", "us-east-1a"]);
    expect(subnetZones(["us-east-1b", "us-east-1c"], ["us-east-1a", "us-east-1b", "us-east-1c"], 2, "us-east-1")).toEqual(["us-east-1b", "us-east-1c"]);
    expect(subnetZones(["us-east-1b"], ["us-east-1a", "us-east-1b"], 1, "us-east-1")).toEqual(["us-east-1b"]);
  });

  it("a fleet's GPU nodes go only to subnets whose zone sells the type; the system nodes and the control plane use both", async () => {
    const result = await run(fleet("zones"));
    expect(result.error).toBeUndefined();
    expect(byName(result, E.subnet, "zones-private-0").inputs.availabilityZone).toBe("us-east-1a");
    expect(byName(result, E.subnet, "zones-private-1").inputs.availabilityZone).toBe("us-east-1b");
    expect(byName(result, E.nodeGroup, "zones-gpu-nodes").inputs.subnetIds).toEqual(["zones-private-0-id", "zones-private-1-id"]);
    expect(byName(result, E.nodeGroup, "zones-system-nodes").inputs.subnetIds).toEqual(["zones-private-0-id", "zones-private-1-id"]);
  });
});

describe("EKS add-ons the compiled objects depend on", () => {
  // https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html and pod-id-agent-setup.html
  it("buckets through EKS Pod Identity: a pod role trusted by pods.eks.amazonaws.com with the bucket grant, bound to the namespace's default service account; the node role has none", async () => {
    const { result, registrations } = await runRecording(training("pid", { storage: [{ kind: "object", capacityTiB: 1 }] }));
    expect(result.error).toBeUndefined();
    const role = byName(result, E.role, "pid-pod-role").inputs;
    expect(JSON.parse(role.assumeRolePolicy).Statement).toEqual([
      { Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] },
    ]);
    const grant = byName(result, "aws:iam/rolePolicy:RolePolicy", "pid-pod-buckets").inputs;
    expect(grant.role).toBe("pid-pod-role-id");
    expect(JSON.parse(grant.policy).Statement[1].Resource).toEqual([expect.stringMatching(/^arn:.*\/\*$/)]);
    expect(ofType(result, "aws:iam/rolePolicy:RolePolicy").map((p) => p.name)).toEqual(["pid-pod-buckets"]);
    const association = one(result, "aws:eks/podIdentityAssociation:PodIdentityAssociation").inputs;
    expect(association).toMatchObject({ namespace: "pid", serviceAccount: "default", roleArn: expect.stringContaining("pid-pod-role") });
    const agent = byName(result, "aws:eks/addon:Addon", "pid-pod-identity-agent").inputs;
    expect(agent.addonName).toBe("eks-pod-identity-agent");
    // Before the node groups (terraform-aws-eks's before_compute), so every node runs it.
    expect(registrations.get("pid-gpu-nodes")!.dependencies.join(" ")).toContain("pid-pod-identity-agent");
    // The job starts only once its pods will get credentials; the pod spec names no service account, so `default` it is.
    const job = trainingJob(result);
    expect(job.inputs.spec.template.spec.serviceAccountName).toBeUndefined();
    const deps = registrations.get(job.name)!.dependencies.join(" ");
    expect(deps).toContain("pid-pod-identity");
    // The workload's egress still reaches the agent (169.254.170.23) and never the node's IMDS.
    const egress = ofType(result, E.netpol).find((p) => p.inputs.spec.policyTypes.includes("Egress"))!.inputs.spec.egress;
    expect(egress).toContainEqual({ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["169.254.169.254/32", "10.0.0.0/16"] } }] });
    expect(byName(result, E.lt, "pid-lt").inputs.metadataOptions.httpPutResponseHopLimit).toBe(1);
  });

  // https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy-configure.html
  it("a new cluster's vpc-cni add-on runs the network policy agent, before the node groups", async () => {
    const { result, registrations } = await runRecording(fleet("np"));
    expect(result.error).toBeUndefined();
    const cni = byName(result, "aws:eks/addon:Addon", "np-vpc-cni").inputs;
    expect(cni).toMatchObject({ addonName: "vpc-cni", resolveConflictsOnCreate: "OVERWRITE", resolveConflictsOnUpdate: "PRESERVE" });
    expect(JSON.parse(cni.configurationValues)).toEqual({ enableNetworkPolicy: "true", env: { MINIMUM_IP_TARGET: "16", WARM_IP_TARGET: "4" } });
    for (const group of ["np-gpu-nodes", "np-system-nodes"]) expect(registrations.get(group)!.dependencies.join(" ")).toContain("np-vpc-cni");
    // No buckets, no pod role: the fleet's associations are the Cluster Autoscaler's and KEDA's (its managed Prometheus queries).
    expect(ofType(result, "aws:eks/podIdentityAssociation:PodIdentityAssociation").map((a) => a.name).sort()).toEqual(["np-autoscaler-identity", "np-keda-identity"]);
  });

  it("an existing cluster gets no add-ons from the component, and a plan note saying what it must run", async () => {
    const result = await run(
      training("joined", { storage: [{ kind: "object", capacityTiB: 1 }], aws: { vpcId: "vpc-1", subnetIds: ["subnet-a"], eks: { clusterName: "shared" } } }),
    );
    expect(result.error).toBeUndefined();
    expect(ofType(result, "aws:eks/addon:Addon")).toHaveLength(0);
    expect(one(result, "aws:eks/podIdentityAssociation:PodIdentityAssociation").inputs.clusterName).toBe("shared");
    const notes = result.costEvents[0]!.plan.notes.join("\n");
    expect(notes).toContain(`existing EKS cluster 'shared'`);
    expect(notes).toContain(`{"enableNetworkPolicy": "true"}`);
    expect(notes).toContain("eks-pod-identity-agent");
  });
});

describe("EKS fleets gain nodes (kubernetes/autoscaler cluster-autoscaler/cloudprovider/aws/README.md)", () => {
  it("installs the pinned Cluster Autoscaler chart on the system nodes, discovering the cluster's node groups, with a Pod Identity role scoped to them", async () => {
    const { result, registrations } = await runRecording(fleet("grow"));
    expect(result.error).toBeUndefined();
    const release = byName(result, E.release, "grow-cluster-autoscaler").inputs;
    expect(release).toMatchObject({ chart: "cluster-autoscaler", version: "9.59.0", namespace: "kube-system", repositoryOpts: { repo: "https://kubernetes.github.io/autoscaler" } });
    expect(release.values).toMatchObject({
      cloudProvider: "aws",
      awsRegion: "us-east-1",
      autoDiscovery: { clusterName: expect.stringContaining("grow-eks") },
      rbac: { serviceAccount: { create: true, name: "cluster-autoscaler" } },
      nodeSelector: { "gpu-cluster/role": "system" },
    });
    const association = ofType(result, "aws:eks/podIdentityAssociation:PodIdentityAssociation").find((a) => a.name === "grow-autoscaler-identity")!.inputs;
    expect(association).toMatchObject({ namespace: "kube-system", serviceAccount: "cluster-autoscaler" });
    const policy = JSON.parse(byName(result, "aws:iam/rolePolicy:RolePolicy", "grow-autoscaler-policy").inputs.policy);
    expect(policy.Statement[1].Action).toEqual(["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"]);
    expect(Object.values(policy.Statement[1].Condition.StringEquals)).toEqual(["owned", "true"]);
    expect(policy.Statement[0].Action).toContain("eks:DescribeNodegroup");
    expect(registrations.get("grow-cluster-autoscaler")!.dependencies.join(" ")).toContain("grow-autoscaler-identity");
    expect(byName(result, E.nodeGroup, "grow-gpu-nodes").inputs.scalingConfig).toEqual({ minSize: 2, maxSize: 6, desiredSize: 2 });
  });

  it("a training cluster (fixed size) gets no autoscaler", async () => {
    const result = await run(training("fixed"));
    expect(ofType(result, E.release).map((r) => r.inputs.chart)).not.toContain("cluster-autoscaler");
  });
});

describe("EKS on a Capacity Block (https://docs.aws.amazon.com/eks/latest/userguide/capacity-blocks-mng.html)", () => {
  // The EKS user guide's procedure (capacity-blocks-mng.adoc @0a7189e in awsdocs/amazon-eks-user-guide, read 2026-12-01):
  // desired size 0 at creation, then "a scheduled scaling policy for the ASG that aligns to the Capacity Block
  // reservation start time"; EKS itself scales the group to 0 40 minutes before the end ("We recommend not editing or
  // deleting this action"), but the guide does not say it moves that action to the node group's next block, so the
  // component keeps its own scale-down 45 minutes before the end, as on VMs; upgrades at desired size 0.
  it("creates the node group at 0 nodes, scales it to the plan's count at the block's start and to 0 45 minutes before its end (EKS's own action too)", async () => {
    const { result, registrations } = await runRecording(
      training("cb", { pricing: "capacity-block", reservationId: "cr-0123456789abcdef0", zone: "us-east-1a", gpu: { instanceType: "p5.48xlarge", nodes: 4 } }),
    );
    expect(result.error).toBeUndefined();
    const group = byName(result, E.nodeGroup, "cb-gpu-nodes");
    expect(group.inputs).toMatchObject({ capacityType: "CAPACITY_BLOCK", scalingConfig: { minSize: 0, maxSize: 4, desiredSize: 0 } });
    // desiredSize is the block's size now (0 before it starts), not ignored: an ignored one would go out as 0 with the
    // next scaling change (test/capacity-block-schedule.test.ts follows the block's life).
    expect(registrations.get("cb-gpu-nodes")!.ignoreChanges ?? []).toEqual([]);
    // The block holds exactly its 4 nodes: an update ends a node before its successor launches.
    expect(group.inputs.updateConfig).toEqual({ maxUnavailable: 1, updateStrategy: "MINIMAL" });
    const lt = byName(result, E.lt, "cb-lt").inputs;
    expect(lt.instanceMarketOptions).toEqual({ marketType: "capacity-block" });
    expect(lt.capacityReservationSpecification).toEqual({ capacityReservationTarget: { capacityReservationId: "cr-0123456789abcdef0" } });
    const schedules = ofType(result, "aws:autoscaling/schedule:Schedule");
    // The offline block runs 2031-03-03T11:30Z to 2031-03-17T11:30Z: up at its start, down 45 minutes before its end.
    expect(schedules.map((s) => s.name).sort()).toEqual(["cb-block-end-cr-0123456789abcdef0", "cb-block-start-cr-0123456789abcdef0-to-4"]);
    const up = byName(result, "aws:autoscaling/schedule:Schedule", "cb-block-start-cr-0123456789abcdef0-to-4").inputs;
    const down = byName(result, "aws:autoscaling/schedule:Schedule", "cb-block-end-cr-0123456789abcdef0").inputs;
    expect(up).toMatchObject({ startTime: "2031-03-03T11:30:00Z", desiredCapacity: 4, minSize: 0, maxSize: 4 });
    expect(down).toMatchObject({ startTime: "2031-03-17T10:45:00Z", desiredCapacity: 0, minSize: 0, maxSize: -1 });
    expect(up.scheduledActionName).toBe("cb-block-start-cr-0123456789abcdef0-to-4");
    expect(down.scheduledActionName).toBe("cb-block-end-cr-0123456789abcdef0");
    expect(registrations.get("cb-block-start-cr-0123456789abcdef0-to-4")!.ignoreChanges).toEqual(["startTime", "desiredCapacity"]);
    // An extended block keeps its id and ends later (capacity-blocks-extend.html): the scale-down follows its end date.
    expect(registrations.get("cb-block-end-cr-0123456789abcdef0")!.ignoreChanges ?? []).toEqual([]);
    const notes = result.costEvents[0]!.plan.notes.join("\n");
    expect(notes).toContain("capacity block cr-0123456789abcdef0: the GPU node group's size follows the block, 0 nodes before it starts, 4 while it runs and 0 from 45 minutes before it ends");
    expect(notes).toContain("EKS adds its own scale-down 40 minutes before the end (leave that action in place)");
    expect(notes).toContain("upgraded only at desired size 0");
  });

  // The node group stays at 0 until the block starts, which may be days after the first `up`: a check Job then would
  // wait its 90 minutes for nodes that cannot run and fail `up` (the VM gate's rule, capacity-block-rules.ts).
  it("builds no NCCL check Job on a block (the node group is empty until it starts) and says so in the plan; the training Job stays", async () => {
    const block = { pricing: "capacity-block", reservationId: "cr-0123456789abcdef0", zone: "us-east-1a", gpu: { instanceType: "p5.48xlarge", nodes: 4 } } as const;
    const result = await run(training("cbx", block));
    expect(result.error).toBeUndefined();
    expect(ofType(result, E.job).map((j) => j.name)).toEqual(["cbx-job"]);
    expect(ofType(result, E.configMap).filter((c) => c.name.includes("nccl-check"))).toHaveLength(0);
    const notes = result.costEvents[0]!.plan.notes.join("\n");
    expect(notes).toContain("acceptance test: off, a capacity block's group is empty until the block starts, so `up` would wait for nodes that cannot run yet; once the block has started, run an NCCL test");
    // Opted out: no note. The same plan on demand keeps its check.
    const optedOut = await run(training("cby", { ...block, aws: { eks: { acceptanceTest: false } } }));
    expect(optedOut.costEvents[0]!.plan.notes.join("\n")).not.toContain("acceptance test: off");
    const onDemand = await run(training("cbz", { gpu: block.gpu }));
    expect(ofType(onDemand, E.job).map((j) => j.name).sort()).toEqual(["cbz-job", "cbz-nccl-check"]);
  });

  it("refuses aws.eks.acceptanceTest: true on a block, naming the field and what to do instead", async () => {
    const result = await run(
      training("cbt", { pricing: "capacity-block", reservationId: "cr-0123456789abcdef0", zone: "us-east-1a", gpu: { instanceType: "p5.48xlarge", nodes: 4 }, aws: { eks: { acceptanceTest: true } } }),
    );
    expect(result.error).toMatchObject({ name: "SpecError", path: "aws.eks.acceptanceTest" });
    expect(String(result.error)).toContain("once the block has started, run an NCCL test across two of its nodes yourself");
  });

  it("VM training on a block gets the same two scheduled actions: down 45 minutes before the end", async () => {
    const result = await run(() =>
      new gpu.TrainingCluster("vmcb", { cloud: "aws", region: "us-east-1", pricing: "capacity-block", reservationId: "cr-0123456789abcdef0", zone: "us-east-1a", gpu: { instanceType: "p5.48xlarge", nodes: 4 } }),
    );
    expect(result.error).toBeUndefined();
    expect(byName(result, "aws:autoscaling/schedule:Schedule", "vmcb-block-end-cr-0123456789abcdef0").inputs).toMatchObject({ startTime: "2031-03-17T10:45:00Z", desiredCapacity: 0 });
    expect(ofType(result, "aws:autoscaling/schedule:Schedule")).toHaveLength(2);
  });

  // A block extended keeps its id and ends later ("Your Capacity Reservation ID will remain the same after extending
  // the block", https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/capacity-blocks-extend.html, read 2026-12-01): the
  // scale-down is the same resource at the new time, with no ignoreChanges to hold it at the old one.
  it("an extended block (same id, a week later end) moves the scale-down, on VMs and on EKS", async () => {
    const extended = {
      "aws:ec2/getCapacityBlockReservation:getCapacityBlockReservation": (inputs: Record<string, any>, region: string) => ({
        ...inputs,
        availabilityZone: `${region}a`,
        startDate: "2031-03-03T11:30:00Z",
        endDate: "2031-03-24T11:30:00Z",
        state: "active",
        reservationType: "capacity-block",
      }),
    };
    const args = { pricing: "capacity-block", reservationId: "cr-0123456789abcdef0", zone: "us-east-1a", gpu: { instanceType: "p5.48xlarge", nodes: 4 } } as const;
    for (const program of [() => new gpu.TrainingCluster("ext", { cloud: "aws", region: "us-east-1", ...args }), training("ext", args)]) {
      const { result, registrations } = await runRecording(program, { invokes: extended });
      expect(result.error).toBeUndefined();
      expect(byName(result, "aws:autoscaling/schedule:Schedule", "ext-block-end-cr-0123456789abcdef0").inputs.startTime).toBe("2031-03-24T10:45:00Z");
      expect(registrations.get("ext-block-end-cr-0123456789abcdef0")!.ignoreChanges ?? []).toEqual([]);
    }
  });

  // Auto Scaling deletes a one-time action once it has run, and Pulumi's state keeps it (ignoreChanges: startTime, desiredCapacity):
  // an action named only after the component would never run again for the next block. Named after the block, the
  // next block's actions are new resources (new URNs, new Auto Scaling names).
  it.each([
    ["VM", (rid: string) => () => new gpu.TrainingCluster("nb", { cloud: "aws", region: "us-east-1", pricing: "capacity-block", reservationId: rid, zone: "us-east-1a", gpu: { instanceType: "p5.48xlarge", nodes: 4 } })],
    ["EKS", (rid: string) => training("nb", { pricing: "capacity-block", reservationId: rid, zone: "us-east-1a", gpu: { instanceType: "p5.48xlarge", nodes: 4 } })],
  ])("%s: moving to the next block (a new reservationId) gives new scheduled actions, names and URNs", async (_path, cluster) => {
    const actions = async (rid: string) => {
      const result = await run(cluster(rid));
      expect(result.error).toBeUndefined();
      return ofType(result, "aws:autoscaling/schedule:Schedule").map((s) => ({ urn: s.urn, name: s.inputs.scheduledActionName as string }));
    };
    const first = await actions("cr-0123456789abcdef0");
    const next = await actions("cr-0fedcba9876543210");
    expect(first.map((a) => a.name)).toContain("nb-block-start-cr-0123456789abcdef0-to-4");
    expect(next.map((a) => a.name)).toContain("nb-block-start-cr-0fedcba9876543210-to-4");
    expect(next).toHaveLength(first.length);
    for (const a of next) {
      expect(first.map((f) => f.urn)).not.toContain(a.urn);
      expect(first.map((f) => f.name)).not.toContain(a.name);
    }
  });

  it("on-demand training keeps a fixed-size node group, the default update strategy and no schedules", async () => {
    const result = await run(training("od"));
    expect(byName(result, E.nodeGroup, "od-gpu-nodes").inputs.scalingConfig).toEqual({ minSize: 8, maxSize: 8, desiredSize: 8 });
    expect(byName(result, E.nodeGroup, "od-gpu-nodes").inputs.updateConfig).toEqual({ maxUnavailable: 1 });
    expect(ofType(result, "aws:autoscaling/schedule:Schedule")).toHaveLength(0);
  });
});

describe("EKS with FSx for Lustre: the nodes get the Lustre client", () => {
  // The AL2023 NVIDIA AMI has no lustre-client (awslabs/amazon-eks-ami PR #2696; kubernetes-sigs/aws-fsx-csi-driver
  // #437); on AL2023 it is `dnf install -y lustre-client` (docs.aws.amazon.com/fsx/latest/LustreGuide/install-lustre-client.html).
  const lustre = (instanceType: string) =>
    run(() =>
      new gpu.TrainingCluster(
        "lu",
        privateEndpoint({
          cloud: "aws",
          region: "us-east-1",
          orchestrator: "kubernetes",
          gpu: { instanceType, nodes: 2 },
          storage: [{ kind: "lustre", name: "data", mountPath: "/data", capacityTiB: 1.2 }],
        } as gpu.TrainingClusterArgs),
      ),
    );

  it("p5 (instance store): nodeadm's RAID0 part, then a shell part that installs lustre-client with dnf and loads the module", async () => {
    const result = await lustre("p5.48xlarge");
    expect(result.error).toBeUndefined();
    const userData = Buffer.from(byName(result, "aws:ec2/launchTemplate:LaunchTemplate", "lu-lt").inputs.userData, "base64").toString("utf8");
    const parts = userData.split("--GPUCLUSTER");
    // Header, nodeadm's NodeConfig, the Lustre script, the closing "--".
    expect(parts).toHaveLength(4);
    expect(parts[1]).toContain("kind: NodeConfig");
    expect(parts[2]).toContain('Content-Type: text/x-shellscript; charset="us-ascii"\n\n#!/bin/bash\n');
    expect(parts[2]).toContain("dnf install -y lustre-client || lustre_failed");
    expect(parts[2]).toContain("modprobe lustre || lustre_failed");
    expect(parts[3]).toBe("--\n");
  });

  it("a type without instance store gets the Lustre part alone; a plan without Lustre gets none", async () => {
    const plan = gpu.planCluster({ cloud: "aws", region: "us-east-1", orchestrator: "kubernetes", gpu: { instanceType: "p5.48xlarge", nodes: 2 }, storage: [{ kind: "lustre", name: "data", mountPath: "/data", capacityTiB: 1.2 }] } as gpu.ClusterSpec);
    const userData = nodeadmUserData({ ...plan, instance: { ...plan.instance, localNvmeGiB: 0 } })!;
    expect(userData.split("--GPUCLUSTER")).toHaveLength(3);
    expect(userData).toContain("dnf install -y lustre-client");
    expect(userData).not.toContain("NodeConfig");
    expect(nodeadmUserData({ ...plan, storage: [], instance: { ...plan.instance, localNvmeGiB: 0 } })).toBeUndefined();
  });

  it("the script fails loudly when dnf cannot install the client (stubbed dnf, under bash)", () => {
    const dir = mkdtempSync(join(tmpdir(), "lustre-"));
    writeFileSync(join(dir, "dnf"), "#!/bin/bash\nexit 1\n", { mode: 0o755 });
    writeFileSync(join(dir, "modprobe"), "#!/bin/bash\nexit 0\n", { mode: 0o755 });
    // /dev/console is not writable here: tee's failure to open it must not hide the message on stderr.
    // A 48-vCPU type: no module options file (lustre-tuning.ts), so nothing writes to /etc here.
    const plan = gpu.planCluster({ cloud: "aws", region: "us-east-1", orchestrator: "kubernetes", gpu: { instanceType: "g6e.12xlarge", nodes: 1 }, storage: [{ kind: "lustre", mountPath: "/data", capacityTiB: 1.2 }] } as gpu.ClusterSpec);
    const script = lustreClientPart(plan).slice(2).join("\n");
    const out = spawnSync("bash", ["-c", script], { env: { PATH: `${dir}:/usr/bin:/bin` }, encoding: "utf8" });
    expect(out.status).toBe(1);
    expect(out.stderr).toContain("gpu-cluster: dnf install -y lustre-client failed (no route to the Amazon Linux repository in S3?): FSx for Lustre volumes will not mount on this node");
  });
});
