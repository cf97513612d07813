/**
 * The bill of materials and what is built stay together. For every example and a spec matrix (cloud × orchestrator ×
 * workload × pricing, plus internet-facing, air-gapped and existing-cluster variants), the compiled resources (the
 * mock engine's record of what `pulumi up` would send) are read as billable things, by resource type, and compared
 * with the bill of materials the estimate priced: a billable type built that the bill does not carry fails, and so
 * does an item of the bill that nothing built. Then every item of the bill must have its priced line (or be named as
 * not priced), so `estimateCost` prices exactly that list.
 *
 * The reading of resources below is the test's own (types and fields of the providers' schemas), not the library's.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { runOffline, type OfflineRun, type RecordedResource } from "../lib/preview/offline.js";
import type { BomItem } from "../lib/cost/bom/types.js";
import type { CostEstimate } from "../lib/cost/types.js";
import { EXAMPLE_CONFIG } from "../scripts/example-config.js";
import { privateEndpoint } from "./helpers/offline.js";
import { OFFLINE_SUBSCRIPTION_ID } from "../lib/clouds/azure/offline-invokes.js";

const SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG5vLW9uZS1ob2xkcy10aGUtcHJpdmF0ZS1rZXktMDAw no-login-placeholder";

/** Billable things, counted: the same keys from the resources and from the bill. */
type Tally = Record<string, number>;
const add = (t: Tally, key: string, n = 1) => {
  if (n !== 0) t[key] = (t[key] ?? 0) + n;
};

const STORAGE_TYPES: Record<string, string> = {
  "aws:fsx/lustreFileSystem:LustreFileSystem": "lustre",
  "aws:efs/fileSystem:FileSystem": "nfs",
  "aws:s3/bucket:Bucket": "object",
  "gcp:storage/bucket:Bucket": "object",
  "gcp:filestore/instance:Instance": "nfs",
  "gcp:lustre/instance:Instance": "lustre",
  "azure-native:netapp:CapacityPool": "nfs",
  "azure-native:storage:StorageAccount": "object",
  "azure-native:storagecache:AmlFilesystem": "lustre",
};

const ids = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const byId = (run: OfflineRun, id: unknown) => run.resources.find((r) => `${r.name}-id` === id);

/** The root volume size of an AWS launch template. */
function ltRootGiB(lt: RecordedResource | undefined): number | undefined {
  return lt?.inputs.blockDeviceMappings?.[0]?.ebs?.volumeSize;
}

/** Read the compiled resources of one component as billable things. */
function builtTally(run: OfflineRun, cloud: string): Tally {
  const t: Tally = {};
  for (const r of run.resources) {
    const i = r.inputs ?? {};
    switch (r.type) {
      case "aws:ec2/natGateway:NatGateway":
      case "azure-native:network:NatGateway":
        add(t, "nat-gateway");
        break;
      case "gcp:compute/routerNat:RouterNat":
        add(t, "cloud-nat");
        // AUTO_ONLY: Google allocates the addresses (one per 1,008 VMs; every case here is smaller).
        if (i.natIpAllocateOption === "AUTO_ONLY") add(t, "public-ip");
        break;
      case "aws:ec2/eip:Eip":
      case "azure-native:network:PublicIPAddress":
        add(t, "public-ip");
        break;
      case "aws:lb/loadBalancer:LoadBalancer":
        add(t, "load-balancer");
        // An internet-facing ALB holds an address per subnet (zone).
        if (i.internal === false) add(t, "public-ip", ids(i.subnets).length);
        break;
      case "gcp:compute/forwardingRule:ForwardingRule":
      case "gcp:compute/globalForwardingRule:GlobalForwardingRule":
      case "azure-native:network:LoadBalancer":
        add(t, "load-balancer");
        break;
      // An internet-facing Azure fleet's HTTPS front (its public IP is counted above).
      case "azure-native:network:ApplicationGateway":
        add(t, "app-gateway");
        break;
      // A GKE Gateway is a Kubernetes custom resource, and what it makes is billed: for the global external class,
      // GKE's Gateway controller builds a global external Application Load Balancer (a global forwarding rule).
      case "kubernetes:gateway.networking.k8s.io/v1:Gateway":
        if (i.spec?.gatewayClassName === "gke-l7-global-external-managed") add(t, "load-balancer");
        break;
      // Cloud Armor bills each policy (the VM fleet's backend and the GKE Gateway's backend policy name one).
      case "gcp:compute/securityPolicy:SecurityPolicy":
        add(t, "cloud-armor");
        break;
      case "kubernetes:core/v1:Service":
        if (i.spec?.type !== "LoadBalancer") break;
        // The cloud's controller makes the balancer: an NLB with an address per zone (EKS), a passthrough NLB (GKE), a
        // Standard Load Balancer (AKS, public IP when not internal); CoreWeave gives it an address only.
        if (cloud === "coreweave") add(t, "public-ip");
        else add(t, "load-balancer");
        if (cloud === "aws") add(t, "public-ip", 2);
        if (cloud === "azure" && i.metadata?.annotations?.["service.beta.kubernetes.io/azure-load-balancer-internal"] !== "true") add(t, "public-ip");
        break;
      case "aws:ec2/vpcEndpoint:VpcEndpoint":
        if (i.vpcEndpointType === "Interface") add(t, "endpoint-zones", ids(i.subnetIds).length);
        break;
      case "aws:eks/cluster:Cluster":
        add(t, "control-plane");
        break;
      case "gcp:container/cluster:Cluster":
        add(t, "control-plane");
        // GKE's monitoring sends DCGM (and PodMonitorings) to Managed Service for Prometheus, billed per sample.
        if (i.monitoringConfig?.managedPrometheus?.enabled) add(t, "managed-prometheus");
        break;
      case "azure-native:containerservice:ManagedCluster": {
        add(t, "control-plane");
        const system = i.agentPoolProfiles?.[0];
        add(t, "system-nodes", system?.count ?? 0);
        // Ephemeral OS disks sit on the VMs' temp disks: nothing to bill (lib/clouds/azure/aks/os-disk.ts).
        if (system?.osDiskType === "Managed") add(t, `disk:system:${system?.osDiskSizeGB}`, system?.count ?? 0);
        break;
      }
      case "aws:eks/nodeGroup:NodeGroup": {
        const lt = byId(run, i.launchTemplate?.id);
        if (i.labels?.["gpu-cluster/role"] === "system") {
          add(t, "system-nodes", i.scalingConfig.desiredSize);
          add(t, `disk:system:${ltRootGiB(lt)}`, i.scalingConfig.desiredSize);
        } else add(t, `disk:gpu:${ltRootGiB(lt)}`);
        break;
      }
      case "aws:autoscaling/group:Group":
        add(t, `disk:gpu:${ltRootGiB(byId(run, i.launchTemplate?.id))}`);
        break;
      case "gcp:container/nodePool:NodePool": {
        if (i.nodeConfig?.labels?.["gpu-cluster/role"] === "system") {
          // One node per zone of the regional cluster (GKE's default three zones).
          const nodes = i.nodeCount * 3;
          add(t, "system-nodes", nodes);
          add(t, `disk:system:${i.nodeConfig.diskSizeGb}`, nodes);
        } else add(t, `disk:gpu:${i.nodeConfig?.diskSizeGb}`);
        break;
      }
      case "gcp:compute/instanceTemplate:InstanceTemplate":
        add(t, `disk:gpu:${i.disks?.find((d: { boot?: boolean }) => d.boot)?.diskSizeGb}`);
        // The VM nodes' GPU metrics: the Ops Agent the startup script installs (Cloud Monitoring bills its points).
        if (String(i.metadata?.["startup-script"] ?? "").includes("add-google-cloud-ops-agent-repo")) add(t, "gpu-metrics");
        break;
      // The VM nodes' GPU metrics: AWS's CloudWatch agent association (CloudWatch bills its custom metrics), Azure's
      // Telegraf publishing as the scale set (Azure Monitor bills its samples) with Monitoring Metrics Publisher.
      case "aws:ssm/association:Association":
        if (r.name.endsWith("-gpu-metrics")) add(t, "gpu-metrics");
        break;
      case "azure-native:authorization:RoleAssignment":
        if (String(i.roleDefinitionId).endsWith("3913510d-42f4-4e42-8a64-420c390055eb")) add(t, "gpu-metrics");
        break;
      case "azure-native:compute:VirtualMachineScaleSet":
        add(t, `disk:gpu:${i.virtualMachineProfile?.storageProfile?.osDisk?.diskSizeGB}`);
        break;
      case "azure-native:containerservice:AgentPool":
        // An ephemeral OS disk sits on the VM's temp disk: no managed disk to bill (lib/clouds/azure/aks/os-disk.ts).
        if (i.osDiskType === "Managed") add(t, `disk:gpu:${i.osDiskSizeGB}`);
        break;
      case "aws:efs/backupPolicy:BackupPolicy":
        if (i.backupPolicy?.status === "ENABLED") add(t, "backup");
        break;
      case "aws:kms/key:Key":
      case "gcp:kms/cryptoKey:CryptoKey":
        add(t, "kms-key");
        break;
      // Secrets Manager bills each secret; Key Vault bills operations on its secrets (the vault itself is free); Secret Manager bills each active version.
      case "azure-native:keyvault:Secret":
      case "gcp:secretmanager/secretVersion:SecretVersion":
      case "aws:secretsmanager/secret:Secret":
        add(t, "secret");
        break;
      // The cloud's managed Prometheus: billed per sample ingested (and, on AWS, per collector-hour).
      case "aws:amp/scraper:Scraper":
      case "azure-native:monitor:AzureMonitorWorkspace":
        add(t, "managed-prometheus");
        break;
      case "kubernetes:core/v1:ConfigMap":
      case "kubernetes:core/v1:Secret":
        // CoreWeave AI Object Storage: the data stored is billed; the component publishes its endpoint (and keys).
        if (cloud === "coreweave" && (i.data?.AWS_ENDPOINT_URL ?? i.stringData?.AWS_ENDPOINT_URL) !== undefined) add(t, "storage:object");
        break;
      case "kubernetes:core/v1:PersistentVolumeClaim":
        // CoreWeave's shared file system is a claim on its storage class; elsewhere claims bind volumes made above.
        if (cloud === "coreweave") add(t, "storage:nfs");
        break;
      default:
        if (STORAGE_TYPES[r.type]) add(t, `storage:${STORAGE_TYPES[r.type]}`);
    }
  }
  return t;
}

/** The same tally from the bill of materials the estimate priced. */
function bomTally(items: BomItem[], estimate: CostEstimate): Tally {
  const t: Tally = {};
  for (const item of items) {
    switch (item.kind) {
      case "nat-gateway":
      case "system-nodes":
      case "public-ip":
        add(t, item.kind, item.count);
        break;
      case "cloud-nat":
      case "load-balancer":
      case "app-gateway":
      case "control-plane":
        add(t, item.kind);
        break;
      case "interface-endpoints":
        add(t, "endpoint-zones", item.services.length * item.zones);
        break;
      // One GPU node group (one launch template / template / scale set / pool) of this size, however many nodes.
      case "node-disk":
        add(t, `disk:${item.pool}:${item.sizeGiB}`, item.pool === "system" ? item.count : 1);
        break;
      case "storage":
        if (item.storageKind !== "block") add(t, `storage:${item.storageKind}`);
        break;
      case "backup":
        add(t, "backup");
        break;
      case "kms-key":
        add(t, "kms-key", item.count);
        break;
      case "secret":
        add(t, "secret", item.count);
        break;
      case "metric-samples":
        add(t, /GPU metrics/.test(item.what) ? "gpu-metrics" : "managed-prometheus");
        break;
      case "cloud-armor":
        add(t, "cloud-armor");
        break;
      case "unpriced":
        if (/^(Amazon Managed Service for Prometheus|Google Cloud Managed Service for Prometheus)/.test(item.what)) add(t, "managed-prometheus");
        if (/the nodes' GPU metrics/.test(item.what)) add(t, "gpu-metrics");
        break;
      default:
        break;
    }
  }
  // A fleet at replicas.min = 0 still builds its node group: the bill carries no disk at 0 nodes, the group has one.
  if (estimate.nodeCount === 0) for (const key of Object.keys(t)) if (key.startsWith("disk:gpu")) delete t[key];
  return t;
}

/** Every item of the bill has its line (or its "not priced" note). */
function expectPriced(items: BomItem[], estimate: CostEstimate): void {
  const text = estimate.lines.map((l) => l.description).join("\n");
  const notes = estimate.notes.join("\n");
  for (const item of items) {
    const has = (re: RegExp) => expect(text, `${item.kind} ${JSON.stringify(item)}`).toMatch(re);
    switch (item.kind) {
      case "control-plane":
        has(/control plane/);
        break;
      case "system-nodes":
        has(new RegExp(`system node pool: ${item.count} ×`));
        break;
      case "node-disk":
        if (item.count > 0 && estimate.cloud !== "coreweave") has(new RegExp(`${item.pool === "system" ? "system node" : "GPU node"} (root|boot|OS) disks: ${item.count} × `));
        break;
      case "nat-gateway":
        has(/NAT gateway \(\d+\), 730 h/);
        break;
      case "cloud-nat":
        has(/Cloud NAT/);
        break;
      case "public-ip":
        has(new RegExp(`public IPv4 \\(${item.count}\\)`));
        break;
      case "load-balancer":
        has(/Load Balancer \(1\), 730 h/);
        break;
      case "app-gateway":
        has(/Application Gateway Standard_v2 \(1\), 730 h/);
        has(/Application Gateway capacity units/);
        break;
      case "interface-endpoints":
        has(/interface VPC endpoints/);
        break;
      case "extended-support":
        has(/extended support/);
        break;
      case "efs-requests":
        has(/EFS Elastic throughput reads/);
        break;
      case "backup":
        has(/EFS backups/);
        break;
      case "kms-key":
        has(new RegExp(`KMS key \\(${item.count}\\): `));
        break;
      case "secret":
        has(new RegExp(`(Key Vault|Secret Manager|Secrets Manager) secret \\(${item.count}\\): `));
        break;
      case "metric-samples":
        has(/GPU metrics/.test(item.what) ? /Azure Monitor custom metrics, the nodes' GPU metrics/ : /managed Prometheus, samples ingested/);
        break;
      case "unpriced":
        expect(notes).toContain(`not priced: ${item.what}`);
        break;
      default:
        break;
    }
  }
}

function checkRun(run: OfflineRun): void {
  expect(run.error, String(run.error)).toBeUndefined();
  expect(run.costEvents.length).toBe(1);
  const { estimate, plan } = run.costEvents[0]!;
  // The estimate publishes the flat shape; these are the descriptor's items (lib/cost/bom/types.ts).
  const items = estimate.billOfMaterials as BomItem[];
  expect(builtTally(run, plan.cloud)).toEqual(bomTally(items, estimate));
  expectPriced(items, estimate);
}

// ------------------------------------------------------------------ the cases

/** Every example project (a folder with a Pulumi.yaml), so a new example is held to its bill too. */
const EXAMPLES_DIR = path.join(__dirname, "..", "examples");
const EXAMPLES = fs.readdirSync(EXAMPLES_DIR).filter((name) => fs.existsSync(path.join(EXAMPLES_DIR, name, "Pulumi.yaml"))).sort();

const SOURCES = ["203.0.113.0/24"];

/** Per cloud: a small training GPU, a fleet GPU, a region, and the pricing models those are sold under here. */
const CLOUDS = {
  aws: { region: "us-east-1", training: { instanceType: "p5.48xlarge", nodes: 2 }, fleet: { model: "L4" }, trainingPricing: ["on-demand", "capacity-block"], fleetPricing: ["on-demand"] },
  gcp: { region: "us-central1", training: { instanceType: "a3-highgpu-8g", nodes: 2 }, fleet: { model: "L4" }, trainingPricing: ["on-demand", "spot"], fleetPricing: ["on-demand", "spot"] },
  azure: { region: "eastus", training: { instanceType: "Standard_ND96isr_H100_v5", nodes: 2 }, fleet: { instanceType: "Standard_NC24ads_A100_v4" }, trainingPricing: ["on-demand", "reserved-1y"], fleetPricing: ["on-demand"] },
  coreweave: { region: "US-EAST-04", training: { instanceType: "gd-8xh100ib-i128", nodes: 2 }, fleet: { model: "L40S", count: 8 }, trainingPricing: ["on-demand", "spot"], fleetPricing: ["on-demand"] },
} as const;

/** GCP VMs with GPUDirect-TCPX (a3-highgpu-8g) need an image with Google's TCPX kernel: the option check refuses the default. */
const TCPX_IMAGE = { gcp: { image: "projects/my-project/global/images/family/a3high-tcpx" } };

/** What each pricing model needs besides its name. */
const PRICING_EXTRA: Record<string, object> = { "capacity-block": { reservationId: "cr-0123456789abcdef0", zone: "us-east-1a" } };

interface Case {
  name: string;
  program: () => unknown;
}

/** The option bag a component needs on each target (the internet-facing fleets' TLS and client ranges). */
function options(cloud: keyof typeof CLOUDS, orchestrator: "vm" | "kubernetes", scheme: string | undefined): Record<string, unknown> {
  const open = scheme === "internet-facing";
  switch (cloud) {
    case "aws":
      return { aws: { ...(open ? { certificateArn: "arn:aws:acm:us-east-1:000000000000:certificate/offline" } : {}), ...(open && orchestrator === "kubernetes" ? { eks: { loadBalancerSourceRanges: SOURCES } } : {}) } };
    case "gcp":
      // Both orchestrators serve the internet over HTTPS with the certificate, to the client ranges (Cloud Armor).
      return open ? { gcp: { sslCertificates: ["projects/p/global/sslCertificates/offline"], allowedSourceRanges: SOURCES } } : {};
    case "azure": {
      // An internet-facing fleet's Application Gateway: its Key Vault certificate and the clients it admits.
      const tls = open ? { tlsCertificateSecretId: "https://offline.vault.azure.net/secrets/cert", tlsKeyVaultId: `/subscriptions/${OFFLINE_SUBSCRIPTION_ID}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/offline` } : {};
      if (orchestrator === "vm") return { azure: { sshPublicKey: SSH_KEY, ...tls, ...(open ? { allowedSourceRanges: SOURCES } : {}) } };
      return open ? { azure: { ...tls, aks: { loadBalancerSourceRanges: SOURCES } } } : {};
    }
    case "coreweave":
      return open ? { coreweave: { loadBalancerSourceRanges: SOURCES } } : {};
  }
}

function matrix(): Case[] {
  const cases: Case[] = [];
  for (const cloud of Object.keys(CLOUDS) as (keyof typeof CLOUDS)[]) {
    const c = CLOUDS[cloud];
    for (const orchestrator of cloud === "coreweave" ? (["kubernetes"] as const) : (["vm", "kubernetes"] as const)) {
      for (const workload of ["training", "inference"] as const) {
        for (const pricing of workload === "training" ? c.trainingPricing : c.fleetPricing) {
          for (const scheme of workload === "inference" ? (["internal", "internet-facing"] as const) : ([undefined] as const)) {
            // Every cloud and orchestrator builds internet-facing fleets now (GKE: a Gateway, Azure: an Application Gateway).
            const name = `${cloud}-${orchestrator === "vm" ? "vm" : "k8s"}-${workload[0]}-${pricing}${scheme ? `-${scheme}` : ""}`;
            const spec = privateEndpoint({
              cloud,
              region: c.region,
              orchestrator,
              pricing,
              ...PRICING_EXTRA[pricing],
              ...options(cloud, orchestrator, scheme),
              ...(cloud === "gcp" && orchestrator === "vm" && workload === "training" ? TCPX_IMAGE : {}),
              ...(workload === "training"
                ? { gpu: c.training, storage: cloud === "azure" ? [] : [{ kind: "object", capacityTiB: 1 }] }
                : { gpu: c.fleet, replicas: { min: 1, max: 3 }, loadBalancer: scheme }),
            }) as any;
            cases.push({ name, program: () => (workload === "training" ? new gpu.TrainingCluster(name, spec) : new gpu.InferenceFleet(name, spec)) });
          }
        }
      }
    }
  }
  cases.push({ name: "aws-vm-air-gapped", program: () => new gpu.TrainingCluster("aws-vm-air-gapped", { cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 }, egress: { natGateway: false } } as any) });
  cases.push({
    name: "aws-eks-old-version",
    program: () => new gpu.TrainingCluster("aws-eks-old", privateEndpoint({ cloud: "aws", region: "us-east-1", orchestrator: "kubernetes", gpu: { instanceType: "p5.48xlarge", nodes: 2 }, aws: { rootVolumeGiB: 400, eks: { kubernetesVersion: "1.29" } } }) as any),
  });
  // Joining an existing cluster: no control plane, system pool or network of the component's own.
  const EXISTING = {
    aws: { cloud: "aws", region: "us-east-1", aws: { vpcId: "vpc-1", subnetIds: ["subnet-a", "subnet-b"], eks: { clusterName: "shared" } } },
    gcp: { cloud: "gcp", region: "us-central1", gcp: { gke: { clusterName: "shared" } } },
    azure: { cloud: "azure", region: "eastus", azure: { aks: { clusterName: "shared", resourceGroupName: "shared-rg" } } },
  } as const;
  for (const [cloud, args] of Object.entries(EXISTING)) {
    const fleetGpu = cloud === "azure" ? { model: "A100-80GB" } : { model: "L4" };
    cases.push({ name: `${cloud}-k8s-existing-fleet`, program: () => new gpu.InferenceFleet(`join-${cloud}`, { ...args, orchestrator: "kubernetes", gpu: fleetGpu, replicas: { min: 1, max: 2 } } as any) });
  }
  // GKE with Managed Lustre: the VM path's instance (and its unbilled peering) and a claim, billed as the VM path bills it.
  cases.push({
    name: "gcp-gke-lustre",
    program: () =>
      new gpu.TrainingCluster("gcp-gke-lustre", privateEndpoint({ cloud: "gcp", region: "us-central1", orchestrator: "kubernetes", gpu: { instanceType: "a3-megagpu-8g", nodes: 2 }, storage: [{ kind: "lustre", capacityTiB: 36, mountPath: "/lustre" }, { kind: "object", capacityTiB: 1 }] }) as any),
  });
  cases.push({
    name: "aws-vm-efs",
    program: () => new gpu.TrainingCluster("aws-vm-efs", { cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 }, storage: [{ kind: "nfs", capacityTiB: 1, mountPath: "/home" }] } as any),
  });
  return cases;
}

describe("bill of materials = what is built", () => {
  describe.each(EXAMPLES)("example %s", (example) => {
    it("builds exactly its bill, and the estimate prices every item", async () => {
      const run = await runOffline(async () => {
        await import(path.join("..", "examples", example, "index.ts"));
      }, { config: EXAMPLE_CONFIG });
      checkRun(run);
    });
  });

  describe.each(matrix().map((c) => [c.name, c] as const))("%s", (_, c) => {
    it("builds exactly its bill, and the estimate prices every item", async () => {
      checkRun(await runOffline(c.program));
    });
  });
});
