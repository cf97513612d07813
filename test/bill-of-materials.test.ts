/**
 * The bill of materials and what is built stay together. For every example and a spec matrix (cloud × orchestrator ×
 * workload × pricing, plus internet-facing, air-gapped, existing-cluster and block-storage variants), the compiled
 * resources (the mock engine's record of what `pulumi up` would send) are read as billable things, by resource type,
 * and compared with the bill of materials the estimate priced (and the plan's GPU node group): a billable thing built
 * that the bill does not carry fails, and so does an item of the bill that nothing built. Load balancers are compared
 * by product and scheme, disks by pool and size, block data volumes by disk type and size. The reading is closed:
 * every resource type is either read (READ) or listed as free with why (FREE), and any other type fails the case, so a
 * new billable resource cannot pass unseen. Then every item of the bill must have its priced line (or be named as not
 * priced), so `estimateCost` prices exactly that list.
 *
 * The reading of resources below is the test's own (types and fields of the providers' schemas), not the library's.
 */
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { runOffline, type OfflineRun, type RecordedResource } from "../lib/preview/offline.js";
import type { BomItem } from "../lib/cost/bom/types.js";
import type { CostEstimate } from "../lib/cost/types.js";
import type { Plan } from "../lib/planner/types.js";
import { EXAMPLE_CONFIG } from "../scripts/example-config.js";
import { EXAMPLES, matrix } from "./helpers/bom-matrix.js";


/** Billable things, counted: the same keys from the resources and from the bill. */
type Tally = Record<string, number>;
const add = (t: Tally, key: string, n = 1) => {
  if (n !== 0) t[key] = (t[key] ?? 0) + n;
};

// ------------------------------------------------------------------ what is built, read as billable things
//
// The reading is closed: every resource type a case emits is either read (READ: billable, or a free resource that
// marks a billable thing its cloud makes) or listed in FREE with why it costs nothing. A type in neither fails the
// case (`unread` below), so a new billable resource cannot pass unseen. Both tables were built from the types every
// example and matrix case emits (2026-12-01: 153 types; READ also covers standalone disks, which none emits yet, so
// one would fail as a `volume:` no bill carries rather than pass).

/** What a reader sees: the run (to follow ids), the cloud, the tally it adds to, and where it reports a variant it cannot read. */
interface ReadContext {
  run: OfflineRun;
  cloud: string;
  t: Tally;
  /** A variant of a read type the reading does not know (a new load balancer scheme, a dynamically provisioned claim): fails the case. */
  unknown(r: RecordedResource, what: string): void;
}
type Reader = (r: RecordedResource, c: ReadContext) => void;

const ids = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const byId = (run: OfflineRun, id: unknown) => run.resources.find((r) => `${r.name}-id` === id);

/** One GPU node group of this machine type (compared with the plan's instance type) and its nodes at creation. */
function gpuGroup(t: Tally, instanceType: unknown, nodes: number): void {
  add(t, `gpu-group:${instanceType}`);
  add(t, "gpu-nodes", nodes);
}

/**
 * The nodes an AWS group runs: its size at creation, or a Capacity Block's, whose group is created empty and sized by
 * its block-start scheduled action (the nodes the block is paid for). The schedule names the group's Auto Scaling
 * group, which for an EKS node group is EKS's `eks-<node group>-…`.
 */
function awsNodes(run: OfflineRun, group: RecordedResource, atCreation: number): number {
  const scheduled = run.resources
    .filter((s) => s.type === "aws:autoscaling/schedule:Schedule" && String(s.inputs.autoscalingGroupName).includes(group.name))
    .map((s) => s.inputs.desiredCapacity as number);
  return Math.max(atCreation, ...scheduled);
}

/** A block data volume of every GPU node, by the cloud's disk type and size (one per node group, as `disk:gpu`). */
const block = (t: Tally, type: unknown, gib: unknown) => add(t, `block:${type}:${gib}`);

/** An AWS launch template's volumes: the root (the first mapping) and the data volumes (`block` storage) after it. */
function awsVolumes(t: Tally, lt: RecordedResource | undefined, pool: "gpu" | "system", nodes: number): void {
  const [root, ...data] = (lt?.inputs.blockDeviceMappings ?? []) as { ebs?: { volumeSize?: number; volumeType?: string } }[];
  add(t, `disk:${pool}:${root?.ebs?.volumeSize}`, pool === "system" ? nodes : 1);
  for (const d of data) block(t, d.ebs?.volumeType, d.ebs?.volumeSize);
}

/** A load balancer by product and scheme, the BomItem's own names (lib/cost/bom/types.ts LoadBalancerProduct). */
const lb = (t: Tally, product: string, scheme: string) => add(t, `lb:${product}:${scheme}`);

/** Helm charts the components install: in-cluster controllers and drivers that make no cloud resource of their own. */
const FREE_CHARTS: Record<string, string> = {
  "gpu-operator": "NVIDIA GPU Operator: driver, toolkit, device plugin and DCGM exporter pods on the GPU nodes",
  "network-operator": "NVIDIA Network Operator: RDMA / InfiniBand drivers and device plugins on the nodes",
  "oci://registry.k8s.io/kueue/charts/kueue": "Kueue: the job queueing controller (its Services are ClusterIP)",
  "aws-efa-k8s-device-plugin": "the EFA device plugin DaemonSet",
  "cluster-autoscaler": "the cluster autoscaler: resizes the GPU node group within the bounds read above",
  keda: "KEDA: the autoscaling operator and metrics server (ClusterIP Services)",
};

/** Kubernetes Service annotations (the clouds' controllers read them). */
const ANN = {
  awsType: "service.beta.kubernetes.io/aws-load-balancer-type",
  awsScheme: "service.beta.kubernetes.io/aws-load-balancer-scheme",
  gkeType: "networking.gke.io/load-balancer-type",
  azureInternal: "service.beta.kubernetes.io/azure-load-balancer-internal",
  coreweaveType: "service.beta.kubernetes.io/coreweave-load-balancer-type",
};

/** Azure managed disk SKUs by the catalog's block tier (lib/catalog/data/azure.ts: `premium` is Premium SSD v1). */
const AZURE_DISK_SKU: Record<string, string> = { premium: "Premium_LRS" };

/** Billable resource types (and free ones that mark a billable thing the cloud makes), read into the tally. */
const READ: Record<string, Reader> = {
  // ---- GPU and system nodes, their root and data disks
  "aws:autoscaling/group:Group": (r, { run, t }) => {
    const lt = byId(run, r.inputs.launchTemplate?.id);
    gpuGroup(t, lt?.inputs.instanceType, awsNodes(run, r, r.inputs.desiredCapacity ?? r.inputs.minSize));
    awsVolumes(t, lt, "gpu", 1);
  },
  "aws:eks/nodeGroup:NodeGroup": (r, { run, t }) => {
    const lt = byId(run, r.inputs.launchTemplate?.id);
    const nodes = r.inputs.scalingConfig?.desiredSize;
    if (r.inputs.labels?.["gpu-cluster/role"] === "system") {
      add(t, "system-nodes", nodes);
      awsVolumes(t, lt, "system", nodes);
    } else {
      gpuGroup(t, lt?.inputs.instanceType ?? r.inputs.instanceTypes?.[0], awsNodes(run, r, nodes));
      awsVolumes(t, lt, "gpu", 1);
    }
  },
  "aws:ebs/volume:Volume": (r, { t }) => add(t, `volume:${r.inputs.type}:${r.inputs.size}`),
  "gcp:compute/instanceGroupManager:InstanceGroupManager": (r, { run, t }) => {
    const template = byId(run, String(r.inputs.versions?.[0]?.instanceTemplate ?? "").replace(/^.*\/instanceTemplates\/([^?]+).*$/, "$1-id"));
    gpuGroup(t, template?.inputs.machineType, r.inputs.targetSize);
  },
  "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager": (r, { run, t }) => {
    const template = byId(run, String(r.inputs.versions?.[0]?.instanceTemplate ?? "").replace(/^.*\/instanceTemplates\/([^?]+).*$/, "$1-id"));
    // An autoscaled fleet's group starts at its autoscaler's minimum.
    const scaler = run.resources.find((a) => a.type === "gcp:compute/regionAutoscaler:RegionAutoscaler" && a.inputs.target === `${r.name}-id`);
    gpuGroup(t, template?.inputs.machineType, scaler?.inputs.autoscalingPolicy?.minReplicas ?? r.inputs.targetSize);
  },
  "gcp:compute/instanceTemplate:InstanceTemplate": (r, { t }) => {
    const disks = (r.inputs.disks ?? []) as { boot?: boolean; diskType?: string; diskSizeGb?: number }[];
    add(t, `disk:gpu:${disks.find((d) => d.boot)?.diskSizeGb}`);
    for (const d of disks.filter((d) => !d.boot)) block(t, d.diskType, d.diskSizeGb);
    // The VM nodes' GPU metrics: the Ops Agent the startup script installs (Cloud Monitoring bills its points).
    if (String(r.inputs.metadata?.["startup-script"] ?? "").includes("add-google-cloud-ops-agent-repo")) add(t, "gpu-metrics");
  },
  "gcp:compute/disk:Disk": (r, { t }) => add(t, `volume:${r.inputs.type}:${r.inputs.size}`),
  "gcp:compute/regionDisk:RegionDisk": (r, { t }) => add(t, `volume:${r.inputs.type}:${r.inputs.size}`),
  "gcp:container/nodePool:NodePool": (r, { t }) => {
    const c = r.inputs.nodeConfig ?? {};
    // nodeCount is per zone: the pool's zones, else the regional cluster's (GKE's default three).
    const zones = r.inputs.nodeLocations?.length ?? 3;
    if (c.labels?.["gpu-cluster/role"] === "system") {
      add(t, "system-nodes", r.inputs.nodeCount * zones);
      add(t, `disk:system:${c.diskSizeGb}`, r.inputs.nodeCount * zones);
    } else {
      gpuGroup(t, c.machineType, r.inputs.autoscaling?.totalMinNodeCount ?? r.inputs.nodeCount * zones);
      add(t, `disk:gpu:${c.diskSizeGb}`);
    }
  },
  "azure-native:compute:VirtualMachineScaleSet": (r, { t }) => {
    const storage = r.inputs.virtualMachineProfile?.storageProfile ?? {};
    gpuGroup(t, r.inputs.sku?.name, r.inputs.sku?.capacity);
    add(t, `disk:gpu:${storage.osDisk?.diskSizeGB}`);
    for (const d of storage.dataDisks ?? []) block(t, d.managedDisk?.storageAccountType, d.diskSizeGB);
  },
  "azure-native:compute:Disk": (r, { t }) => add(t, `volume:${r.inputs.sku?.name}:${r.inputs.diskSizeGB}`),
  "azure-native:containerservice:AgentPool": (r, { t }) => {
    gpuGroup(t, r.inputs.vmSize, r.inputs.count);
    // An ephemeral OS disk sits on the VM's temp disk: no managed disk to bill (lib/clouds/azure/aks/os-disk.ts).
    if (r.inputs.osDiskType === "Managed") add(t, `disk:gpu:${r.inputs.osDiskSizeGB}`);
  },
  "kubernetes:compute.coreweave.com/v1alpha1:NodePool": (r, { t }) => gpuGroup(t, r.inputs.spec?.instanceType, r.inputs.spec?.targetNodes ?? r.inputs.spec?.minNodes),

  // ---- managed Kubernetes control planes
  "aws:eks/cluster:Cluster": (r, { t }) => {
    add(t, "control-plane");
    // Control plane logs go to CloudWatch Logs, billed per GB ingested and stored.
    if ((r.inputs.enabledClusterLogTypes ?? []).length > 0) add(t, "control-plane-logs");
  },
  "gcp:container/cluster:Cluster": (r, { t }) => {
    add(t, "control-plane");
    // GKE's monitoring sends DCGM (and PodMonitorings) to Managed Service for Prometheus, billed per sample.
    if (r.inputs.monitoringConfig?.managedPrometheus?.enabled) add(t, "managed-prometheus");
  },
  "azure-native:containerservice:ManagedCluster": (r, { t, unknown }) => {
    // AKS bills the Standard (and Premium) tier's control plane by the hour; the Free tier has none to bill.
    if (r.inputs.sku?.tier === "Standard") add(t, "control-plane");
    else if (r.inputs.sku?.tier !== "Free") unknown(r, `AKS tier ${r.inputs.sku?.tier}`);
    const system = r.inputs.agentPoolProfiles?.[0];
    add(t, "system-nodes", system?.count ?? 0);
    // Ephemeral OS disks sit on the VMs' temp disks: nothing to bill (lib/clouds/azure/aks/os-disk.ts).
    if (system?.osDiskType === "Managed") add(t, `disk:system:${system?.osDiskSizeGB}`, system?.count ?? 0);
  },

  // ---- network: NAT, public addresses, load balancers, endpoints
  "aws:ec2/natGateway:NatGateway": (_r, { t }) => add(t, "nat-gateway"),
  "azure-native:network:NatGateway": (_r, { t }) => add(t, "nat-gateway"),
  "gcp:compute/routerNat:RouterNat": (r, { t }) => {
    add(t, "cloud-nat");
    // AUTO_ONLY: Google allocates the addresses (one per 1,008 VMs; every case here is smaller).
    if (r.inputs.natIpAllocateOption === "AUTO_ONLY") add(t, "public-ip");
  },
  "aws:ec2/eip:Eip": (_r, { t }) => add(t, "public-ip"),
  "azure-native:network:PublicIPAddress": (_r, { t }) => add(t, "public-ip"),
  // Internal addresses are free; an external global address is billed only while no forwarding rule holds it, and GKE's
  // Gateway attaches it to its forwarding rule ("Static and ephemeral IP addresses attached to forwarding rules: No
  // charge", https://cloud.google.com/vpc/network-pricing, as quoted in 2021 course notes found by exact search).
  "gcp:compute/address:Address": (r, { unknown }) => {
    if (r.inputs.addressType !== "INTERNAL") unknown(r, `address type ${r.inputs.addressType}`);
  },
  "gcp:compute/globalAddress:GlobalAddress": (r, { run, unknown }) => {
    const held = run.resources.some((g) => g.type === "kubernetes:gateway.networking.k8s.io/v1:Gateway" && g.inputs.spec?.addresses?.some((a: { value?: string }) => a.value === `${r.name}-offline` || a.value === r.inputs.name));
    // A VM fleet's global forwarding rule takes its reserved address (lib/clouds/gcp/inference.ts).
    const ruled = run.resources.some((g) => g.type === "gcp:compute/globalForwardingRule:GlobalForwardingRule" && g.inputs.ipAddress === r.outputs.address);
    if (r.inputs.addressType === "INTERNAL" || (r.inputs.addressType === "EXTERNAL" && (held || ruled))) return;
    unknown(r, `${r.inputs.addressType} global address that no Gateway or forwarding rule holds`);
  },
  "aws:lb/loadBalancer:LoadBalancer": (r, { t, unknown }) => {
    const product = ({ application: "alb", network: "nlb" } as Record<string, string>)[r.inputs.loadBalancerType];
    if (!product) return unknown(r, `load balancer type ${r.inputs.loadBalancerType}`);
    lb(t, product, r.inputs.internal ? "internal" : "internet-facing");
    // An internet-facing ALB holds an address per subnet (zone).
    if (r.inputs.internal === false) add(t, "public-ip", ids(r.inputs.subnets).length);
  },
  "gcp:compute/forwardingRule:ForwardingRule": (r, { t, unknown }) => {
    const scheme = r.inputs.loadBalancingScheme;
    if (scheme === "INTERNAL_MANAGED") lb(t, "gcp-internal-alb", "internal");
    else if (scheme === "INTERNAL") lb(t, "gcp-passthrough", "internal");
    else unknown(r, `regional forwarding rule scheme ${scheme}`);
  },
  "gcp:compute/globalForwardingRule:GlobalForwardingRule": (r, { t, unknown }) => {
    if (r.inputs.loadBalancingScheme === "EXTERNAL_MANAGED") lb(t, "gcp-external-alb", "internet-facing");
    else unknown(r, `global forwarding rule scheme ${r.inputs.loadBalancingScheme}`);
  },
  "azure-native:network:LoadBalancer": (r, { t, unknown }) => {
    if (r.inputs.sku?.name !== "Standard") return unknown(r, `load balancer SKU ${r.inputs.sku?.name}`);
    const open = (r.inputs.frontendIPConfigurations ?? []).some((f: { publicIPAddress?: unknown }) => f.publicIPAddress !== undefined);
    lb(t, "azure-standard", open ? "internet-facing" : "internal");
  },
  // An internet-facing Azure fleet's HTTPS front (its public IP is counted above).
  "azure-native:network:ApplicationGateway": (r, { t }) => add(t, `app-gateway:${r.inputs.sku?.name}`),
  // A GKE Gateway is a Kubernetes custom resource, and what it makes is billed: for the global external class,
  // GKE's Gateway controller builds a global external Application Load Balancer (a global forwarding rule).
  "kubernetes:gateway.networking.k8s.io/v1:Gateway": (r, { t, unknown }) => {
    const cls = r.inputs.spec?.gatewayClassName;
    if (cls === "gke-l7-global-external-managed") lb(t, "gcp-external-alb", "internet-facing");
    else if (cls === "gke-l7-rilb") lb(t, "gcp-internal-alb", "internal");
    else unknown(r, `Gateway class ${cls}`);
  },
  "kubernetes:core/v1:Service": (r, { cloud, t, unknown }) => {
    const spec = r.inputs.spec ?? {};
    if (spec.type === undefined || spec.type === "ClusterIP") return; // in-cluster address only
    if (spec.type !== "LoadBalancer") return unknown(r, `Service type ${spec.type}`);
    const a: Record<string, string> = r.inputs.metadata?.annotations ?? {};
    switch (cloud) {
      case "aws": {
        // The NLB the controller makes (an `nlb` Service) holds an address per zone (two) when internet-facing.
        if (a[ANN.awsType] !== "nlb") return unknown(r, `EKS LoadBalancer Service of type ${a[ANN.awsType] ?? "(classic ELB)"}`);
        const scheme = a[ANN.awsScheme] ?? "internet-facing";
        lb(t, "nlb", scheme);
        if (scheme === "internet-facing") add(t, "public-ip", 2);
        return;
      }
      case "gcp":
        if (a[ANN.gkeType] !== "Internal") return unknown(r, "external GKE LoadBalancer Service");
        return lb(t, "gcp-passthrough", "internal");
      case "azure": {
        const internal = a[ANN.azureInternal] === "true";
        lb(t, "azure-standard", internal ? "internal" : "internet-facing");
        if (!internal) add(t, "public-ip");
        return;
      }
      case "coreweave":
        // CoreWeave gives a public LoadBalancer Service an address, billed per month; no balancer fee.
        if (a[ANN.coreweaveType] !== "public") return unknown(r, `CoreWeave LoadBalancer Service of type ${a[ANN.coreweaveType]}`);
        return add(t, "public-ip");
    }
  },
  "aws:ec2/vpcEndpoint:VpcEndpoint": (r, { t, unknown }) => {
    // Gateway endpoints (S3) are free (https://aws.amazon.com/privatelink/pricing/ bills interface endpoints only).
    if (r.inputs.vpcEndpointType === "Interface") add(t, "endpoint-zones", ids(r.inputs.subnetIds).length);
    else if (r.inputs.vpcEndpointType !== "Gateway") unknown(r, `endpoint type ${r.inputs.vpcEndpointType}`);
  },
  // Cloud Armor bills each policy (the VM fleet's backend and the GKE Gateway's backend policy name one).
  "gcp:compute/securityPolicy:SecurityPolicy": (_r, { t }) => add(t, "cloud-armor"),

  // ---- storage
  "aws:fsx/lustreFileSystem:LustreFileSystem": (_r, { t }) => add(t, "storage:lustre"),
  "aws:efs/fileSystem:FileSystem": (_r, { t }) => add(t, "storage:nfs"),
  "aws:s3/bucket:Bucket": (_r, { t }) => add(t, "storage:object"),
  "gcp:storage/bucket:Bucket": (_r, { t }) => add(t, "storage:object"),
  "gcp:filestore/instance:Instance": (_r, { t }) => add(t, "storage:nfs"),
  "gcp:lustre/instance:Instance": (_r, { t }) => add(t, "storage:lustre"),
  "azure-native:netapp:CapacityPool": (_r, { t }) => add(t, "storage:nfs"),
  "azure-native:storage:StorageAccount": (_r, { t }) => add(t, "storage:object"),
  "azure-native:storagecache:AmlFilesystem": (_r, { t }) => add(t, "storage:lustre"),
  "aws:efs/backupPolicy:BackupPolicy": (r, { t }) => {
    if (r.inputs.backupPolicy?.status === "ENABLED") add(t, "backup");
  },
  // An Ingress bills nothing of ours only where the controller and its address are the cluster's: CoreWeave's Traefik
  // (the fleet's Service stays ClusterIP; lib/cost/bom/coreweave.ts). Elsewhere an Ingress can make a load balancer.
  "kubernetes:networking.k8s.io/v1:Ingress": (r, { cloud, unknown }) => {
    if (cloud !== "coreweave" || r.inputs.spec?.ingressClassName === undefined) unknown(r, `Ingress on ${cloud} of class ${r.inputs.spec?.ingressClassName}`);
  },
  "kubernetes:core/v1:PersistentVolumeClaim": (r, { cloud, t, unknown }) => {
    // CoreWeave's shared file system is a claim on its storage class; elsewhere a claim must bind a volume made above
    // (a claim without volumeName would have its storage class provision a new, billed disk).
    if (cloud === "coreweave") add(t, "storage:nfs");
    else if (!r.inputs.spec?.volumeName) unknown(r, "a claim that binds no volume (dynamic provisioning)");
  },
  // A static volume names a file system built (and billed) above through its CSI driver; it provisions nothing itself.
  "kubernetes:core/v1:PersistentVolume": (r, { unknown }) => {
    if (!r.inputs.spec?.csi?.volumeHandle) unknown(r, "a volume without a CSI handle to a file system built here");
  },
  // CoreWeave AI Object Storage: the data stored is billed; the component publishes its endpoint (and keys).
  "kubernetes:core/v1:ConfigMap": (r, { cloud, t }) => {
    if (cloud === "coreweave" && r.inputs.data?.AWS_ENDPOINT_URL !== undefined) add(t, "storage:object");
  },
  "kubernetes:core/v1:Secret": (r, { cloud, t }) => {
    if (cloud === "coreweave" && r.inputs.stringData?.AWS_ENDPOINT_URL !== undefined) add(t, "storage:object");
  },

  // ---- keys and secrets
  "aws:kms/key:Key": (_r, { t }) => add(t, "kms-key"),
  "gcp:kms/cryptoKey:CryptoKey": (_r, { t }) => add(t, "kms-key"),
  // Secrets Manager bills each secret; Key Vault bills operations on its secrets (the vault itself is free); Secret Manager bills each active version.
  "azure-native:keyvault:Secret": (_r, { t }) => add(t, "secret"),
  "gcp:secretmanager/secretVersion:SecretVersion": (_r, { t }) => add(t, "secret"),
  "aws:secretsmanager/secret:Secret": (_r, { t }) => add(t, "secret"),

  // ---- metrics
  // The cloud's managed Prometheus: billed per sample ingested (and, on AWS, per collector-hour).
  "aws:amp/scraper:Scraper": (_r, { t }) => add(t, "managed-prometheus"),
  "azure-native:monitor:AzureMonitorWorkspace": (_r, { t }) => add(t, "managed-prometheus"),
  // The VM nodes' GPU metrics: AWS's CloudWatch agent association (CloudWatch bills its custom metrics), Azure's
  // Telegraf publishing as the scale set (Azure Monitor bills its samples) with Monitoring Metrics Publisher. Other
  // State Manager associations (the fabric gate) are free (https://aws.amazon.com/systems-manager/pricing/).
  "aws:ssm/association:Association": (r, { t, unknown }) => {
    if (r.name.endsWith("-gpu-metrics")) add(t, "gpu-metrics");
    else if (!r.name.endsWith("-fabric-gate")) unknown(r, "State Manager association neither the GPU metrics nor the fabric gate");
  },
  "azure-native:authorization:RoleAssignment": (r, { t }) => {
    if (String(r.inputs.roleDefinitionId).endsWith("3913510d-42f4-4e42-8a64-420c390055eb")) add(t, "gpu-metrics");
  },
  "aws:ssm/parameter:Parameter": (r, { unknown }) => {
    // Standard parameters are free; Advanced ones are billed per parameter-month (https://aws.amazon.com/systems-manager/pricing/).
    if (r.inputs.tier !== "Standard") unknown(r, `SSM parameter tier ${r.inputs.tier}`);
  },
  "gcp:compute/resourcePolicy:ResourcePolicy": (r, { unknown }) => {
    // Placement and workload policies are free; a snapshot schedule makes billed snapshots.
    if (r.inputs.snapshotSchedulePolicy !== undefined) unknown(r, "snapshot schedule");
  },
  "kubernetes:helm.sh/v3:Release": (r, { unknown }) => {
    if (!FREE_CHARTS[r.inputs.chart]) unknown(r, `Helm chart ${r.inputs.chart}: may make billable things (LoadBalancer Services, volumes); read it or add it to FREE_CHARTS with why it is free`);
  },
};

/** Why each of these costs nothing by itself (or is billed as an item read from another resource). */
const K8S = "a Kubernetes object: runs on, or configures, nodes read above, and makes no cloud resource";
const AWS_VPC = "Amazon VPC has no charge for VPCs, subnets, route tables, routes, internet gateways or security groups (https://aws.amazon.com/vpc/pricing/ bills NAT gateways, endpoints and public IPv4)";
const IAM = "identity and access: no charge on any cloud";
const GCP_NET = "VPC networks, subnets and firewall rules have no charge (https://cloud.google.com/vpc/network-pricing bills traffic, addresses and NAT)";
const GCP_LB_PART = "a part of the load balancer read from its forwarding rule, which the load balancer's fee covers (https://cloud.google.com/load-balancing/pricing bills forwarding rules and data processed)";
const AWS_LB_PART = "a listener / target group: billed with its load balancer (https://aws.amazon.com/elasticloadbalancing/pricing/ bills hours and capacity units)";
const AZ_NET = "Azure virtual networks, subnets and network security groups have no charge (https://azure.microsoft.com/pricing/details/virtual-network/ bills peering traffic)";
const S3_CONFIG = "a setting of the bucket: its data is the bucket's storage item";
const LOCAL = "no cloud resource: Pulumi components, providers and values computed in the program";

const FREE: Record<string, string> = {
  "gpu-cluster:index:TrainingCluster": LOCAL,
  "gpu-cluster:index:InferenceFleet": LOCAL,
  "pulumi:providers:kubernetes": LOCAL,
  "random:index/randomId:RandomId": LOCAL,
  "tls:index/privateKey:PrivateKey": LOCAL,
  // AWS
  "aws:ec2/vpc:Vpc": AWS_VPC,
  "aws:ec2/subnet:Subnet": AWS_VPC,
  "aws:ec2/routeTable:RouteTable": AWS_VPC,
  "aws:ec2/routeTableAssociation:RouteTableAssociation": AWS_VPC,
  "aws:ec2/route:Route": AWS_VPC,
  "aws:ec2/internetGateway:InternetGateway": AWS_VPC,
  "aws:ec2/securityGroup:SecurityGroup": AWS_VPC,
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": AWS_VPC,
  "aws:ec2/placementGroup:PlacementGroup": "placement groups have no charge (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/placement-groups.html: 'There is no charge for creating a placement group')",
  "aws:ec2/launchTemplate:LaunchTemplate": "a template: its instance type and volumes are read from the group or node group that launches it",
  "aws:autoscaling/policy:Policy": "Auto Scaling has no charge of its own (https://aws.amazon.com/ec2/autoscaling/pricing/)",
  "aws:autoscaling/schedule:Schedule": "Auto Scaling has no charge of its own (https://aws.amazon.com/ec2/autoscaling/pricing/); a Capacity Block's start action is read with its group",
  "aws:lb/listener:Listener": AWS_LB_PART,
  "aws:lb/targetGroup:TargetGroup": AWS_LB_PART,
  "aws:efs/mountTarget:MountTarget": "EFS bills storage and throughput, not mount targets (https://aws.amazon.com/efs/pricing/)",
  "aws:fsx/dataRepositoryAssociation:DataRepositoryAssociation": "a link from the file system to S3: FSx bills the file system; the S3 requests it makes are the bucket's",
  "aws:eks/addon:Addon": "EKS add-ons have no charge; their pods run on the nodes read above",
  "aws:eks/podIdentityAssociation:PodIdentityAssociation": IAM,
  "aws:iam/role:Role": IAM,
  "aws:iam/rolePolicy:RolePolicy": IAM,
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": IAM,
  "aws:iam/instanceProfile:InstanceProfile": IAM,
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": S3_CONFIG,
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": S3_CONFIG,
  "aws:s3/bucketPolicy:BucketPolicy": S3_CONFIG,
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": S3_CONFIG,
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": S3_CONFIG,
  "aws:s3/bucketVersioning:BucketVersioning": S3_CONFIG,
  "aws:secretsmanager/secretVersion:SecretVersion": "Secrets Manager bills per secret, read from the secret (https://aws.amazon.com/secrets-manager/pricing/), not per version",
  "aws:amp/workspace:Workspace": "Amazon Managed Service for Prometheus has no workspace fee: it bills samples ingested, stored and queried and collector-hours (https://aws.amazon.com/prometheus/pricing/), the managed-prometheus item read from the scraper",
  // GCP
  "gcp:compute/network:Network": GCP_NET,
  "gcp:compute/subnetwork:Subnetwork": GCP_NET,
  "gcp:compute/firewall:Firewall": GCP_NET,
  "gcp:compute/router:Router": "Cloud Router has no charge when it serves Cloud NAT (https://cloud.google.com/network-connectivity/docs/router/pricing); the NAT is read above",
  "gcp:compute/healthCheck:HealthCheck": "health checks have no charge",
  "gcp:compute/regionHealthCheck:RegionHealthCheck": "health checks have no charge",
  "gcp:compute/backendService:BackendService": GCP_LB_PART,
  "gcp:compute/regionBackendService:RegionBackendService": GCP_LB_PART,
  "gcp:compute/targetHttpsProxy:TargetHttpsProxy": GCP_LB_PART,
  "gcp:compute/regionTargetHttpProxy:RegionTargetHttpProxy": GCP_LB_PART,
  "gcp:compute/uRLMap:URLMap": GCP_LB_PART,
  "gcp:compute/regionUrlMap:RegionUrlMap": GCP_LB_PART,
  "gcp:compute/sSLPolicy:SSLPolicy": "SSL policies have no charge",
  "gcp:compute/regionAutoscaler:RegionAutoscaler": "autoscaling has no charge; its minimum is read with the group it scales",
  "gcp:kms/keyRing:KeyRing": "Cloud KMS bills key versions (the crypto key read above) and operations, not key rings (https://cloud.google.com/kms/pricing)",
  "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember": IAM,
  "gcp:secretmanager/secret:Secret": "Secret Manager bills active versions (read from the version) and accesses, not the secret (https://cloud.google.com/secret-manager/pricing)",
  "gcp:secretmanager/secretIamMember:SecretIamMember": IAM,
  "gcp:storage/bucketIAMMember:BucketIAMMember": IAM,
  "gcp:serviceaccount/account:Account": IAM,
  "gcp:projects/iAMMember:IAMMember": IAM,
  "gcp:projects/iAMCustomRole:IAMCustomRole": IAM,
  "gcp:projects/serviceIdentity:ServiceIdentity": IAM,
  "gcp:projects/service:Service": "enabling an API has no charge",
  "gcp:servicenetworking/connection:Connection": "the private services access peering has no charge of its own (the service it reaches, Managed Lustre, is read above)",
  // Azure
  "azure-native:resources:ResourceGroup": "resource groups have no charge",
  "azure-native:network:VirtualNetwork": AZ_NET,
  "azure-native:network:Subnet": AZ_NET,
  "azure-native:network:NetworkSecurityGroup": AZ_NET,
  "azure-native:managedidentity:UserAssignedIdentity": IAM,
  "azure-native:managedidentity:FederatedIdentityCredential": IAM,
  "azure-native:containerservice:MaintenanceConfiguration": "a maintenance window of the cluster: no charge",
  "azure-native:monitor:AutoscaleSetting": "Azure autoscale has no charge",
  "azure-native:monitor:DataCollectionEndpoint": "Azure Monitor bills what is ingested into the workspace (the managed-prometheus item read from it), not the data collection endpoint (https://azure.microsoft.com/pricing/details/monitor/)",
  "azure-native:monitor:DataCollectionRule": "Azure Monitor bills what is ingested into the workspace (the managed-prometheus item read from it), not the rule that routes it (https://azure.microsoft.com/pricing/details/monitor/)",
  "azure-native:monitor:DataCollectionRuleAssociation": "Azure Monitor bills what is ingested into the workspace, not the rule's association",
  "azure-native:keyvault:Vault": "Key Vault Standard has no vault fee: it bills operations (the secret read above) and HSM keys (https://azure.microsoft.com/pricing/details/key-vault/)",
  "azure-native:netapp:Account": "Azure NetApp Files bills provisioned capacity pools (read above), not the account (https://azure.microsoft.com/pricing/details/netapp/)",
  "azure-native:netapp:CapacityPoolVolume": "a volume inside the capacity pool: Azure NetApp Files bills the pool's provisioned size (read above)",
  "azure-native:netapp:SnapshotPolicy": "snapshots live inside the volume's quota, in the provisioned pool, and have no charge of their own (lib/clouds/azure/storage-rules.ts netappSnapshotNote, from https://learn.microsoft.com/en-us/azure/azure-netapp-files/snapshots-introduction)",
  "azure-native:storage:BlobContainer": "a container of the storage account: its data is the account's storage item",
  "azure-native:storage:BlobServiceProperties": "settings of the storage account's blob service: its data (kept versions included) is the account's storage item",
  // Kubernetes objects (the billable ones, LoadBalancer Services, claims, Gateways and node pools, are read above)
  "kubernetes:apps/v1:DaemonSet": K8S,
  "kubernetes:apps/v1:Deployment": K8S,
  "kubernetes:batch/v1:Job": K8S,
  "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": K8S,
  "kubernetes:core/v1:Namespace": K8S,
  "kubernetes:core/v1:ServiceAccount": K8S,
  "kubernetes:policy/v1:PodDisruptionBudget": K8S,
  "kubernetes:networking.k8s.io/v1:NetworkPolicy": K8S,
  "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole": K8S,
  "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding": K8S,
  "kubernetes:rbac.authorization.k8s.io/v1:Role": K8S,
  "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": K8S,
  "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute": K8S,
  // CoreWeave's internet-facing fleet behind the cluster's Traefik (lib/clouds/coreweave/ingress.ts): a route on a
  // controller the cluster's operator installed, whose LoadBalancer Service and public address are the cluster's.
  "kubernetes:traefik.io/v1alpha1:Middleware": "a setting of a Traefik router (the client allow list): no charge",
  "kubernetes:keda.sh/v1alpha1:ScaledObject": K8S,
  "kubernetes:keda.sh/v1alpha1:TriggerAuthentication": K8S,
  "kubernetes:kueue.x-k8s.io/v1beta1:ClusterQueue": K8S,
  "kubernetes:kueue.x-k8s.io/v1beta1:LocalQueue": K8S,
  "kubernetes:kueue.x-k8s.io/v1beta1:ResourceFlavor": K8S,
  "kubernetes:kueue.x-k8s.io/v1beta1:Topology": K8S,
  "kubernetes:mellanox.com/v1alpha1:NicClusterPolicy": K8S,
  "kubernetes:nfd.k8s-sigs.io/v1alpha1:NodeFeatureRule": K8S,
  "kubernetes:networking.gke.io/v1:GKENetworkParamSet": "GKE multi-networking settings: the networks they name are read above (free)",
  "kubernetes:networking.gke.io/v1:Network": "GKE multi-networking settings: the networks they name are read above (free)",
  "kubernetes:networking.gke.io/v1:GCPBackendPolicy": "a setting of the Gateway's backend: the Cloud Armor policy it names is read above",
  "kubernetes:networking.gke.io/v1:GCPGatewayPolicy": "a setting of the Gateway (its SSL policy, free)",
  "kubernetes:networking.gke.io/v1:HealthCheckPolicy": "a setting of the Gateway's health check (free)",
  "kubernetes:monitoring.googleapis.com/v1:PodMonitoring": "its samples are billed by Managed Service for Prometheus, the managed-prometheus item read from the cluster",
};

/** Read the compiled resources of one component as billable things; `unread` collects what the reading cannot classify. */
function builtTally(run: OfflineRun, cloud: string, caseName: string): { tally: Tally; unread: string[] } {
  const t: Tally = {};
  const unread: string[] = [];
  const unknown = (r: RecordedResource, what: string) =>
    unread.push(`${caseName}: ${r.type} '${r.name}' is read as billable but this variant is not known (${what}): read it, or add it to the bill of materials (lib/cost/bom)`);
  for (const r of run.resources) {
    const read = READ[r.type];
    if (read) read({ ...r, inputs: r.inputs ?? {} }, { run, cloud, t, unknown });
    else if (FREE[r.type] === undefined)
      unread.push(`${caseName}: resource type ${r.type} ('${r.name}') is unclassified: add it to the bill of materials (lib/cost/bom) and to READ in this test, or to FREE with why it costs nothing`);
  }
  return { tally: t, unread };
}

/** The same tally from the bill of materials the estimate priced (and the plan's GPU node group). */
function bomTally(items: BomItem[], estimate: CostEstimate, plan: Plan): Tally {
  const t: Tally = {};
  // The GPU nodes are the bill's first item; it must be the plan's instance type and node count.
  expect(items[0]).toMatchObject({ kind: "gpu-nodes", instanceType: plan.instanceType, count: estimate.nodeCount });
  for (const item of items) {
    switch (item.kind) {
      case "gpu-nodes":
        gpuGroup(t, item.instanceType, item.count);
        break;
      case "nat-gateway":
      case "system-nodes":
      case "public-ip":
        add(t, item.kind, item.count);
        break;
      case "cloud-nat":
      case "control-plane":
        add(t, item.kind);
        break;
      case "load-balancer":
        lb(t, item.product, item.scheme);
        break;
      case "app-gateway":
        add(t, `app-gateway:${item.sku}`);
        break;
      case "interface-endpoints":
        add(t, "endpoint-zones", item.services.length * item.zones);
        break;
      // One GPU node group (one launch template / template / scale set / pool) of this size, however many nodes.
      case "node-disk":
        add(t, `disk:${item.pool}:${item.sizeGiB}`, item.pool === "system" ? item.count : 1);
        break;
      case "storage": {
        if (item.storageKind !== "block") {
          add(t, `storage:${item.storageKind}`);
          break;
        }
        // A block entry: one data volume on every GPU node (one per node group here), of the entry's size and the
        // cloud's disk type for its tier.
        const s = plan.storage.find((e) => e.name === item.name)!;
        block(t, plan.cloud === "azure" ? AZURE_DISK_SKU[s.tier] : s.tier, s.capacityGiB);
        break;
      }
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
        if (/control plane's .*logs/.test(item.what)) add(t, "control-plane-logs");
        break;
      default:
        break;
    }
  }
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
        // None at zero nodes (a fleet at replicas.min 0): the agent is built, nothing is sent until a node runs.
        if (item.count > 0) has(/GPU metrics/.test(item.what) ? /Azure Monitor custom metrics, the nodes' GPU metrics/ : /managed Prometheus, samples ingested/);
        break;
      case "unpriced":
        expect(notes).toContain(`not priced: ${item.what}`);
        break;
      default:
        break;
    }
  }
}

function checkRun(run: OfflineRun, caseName: string): void {
  expect(run.error, String(run.error)).toBeUndefined();
  expect(run.costEvents.length).toBe(1);
  const { estimate, plan } = run.costEvents[0]!;
  // The estimate publishes the flat shape; these are the descriptor's items (lib/cost/bom/types.ts).
  const items = estimate.billOfMaterials as BomItem[];
  const built = builtTally(run, plan.cloud, caseName);
  expect(built.unread, built.unread.join("\n")).toEqual([]);
  expect(built.tally, `${caseName}: what is built (+, received) and the bill of materials (-, expected) differ`).toEqual(bomTally(items, estimate, plan));
  expectPriced(items, estimate);
}

// The cases (every example and the spec matrix) live in test/helpers/bom-matrix.ts.

describe("bill of materials = what is built", () => {
  it("reads each resource type one way: billable (READ) or free (FREE), never both", () => {
    expect(Object.keys(READ).filter((type) => FREE[type] !== undefined)).toEqual([]);
    // Every free type says why, in a sentence.
    expect(Object.entries(FREE).filter(([, why]) => why.length < 20)).toEqual([]);
  });

  describe.each(EXAMPLES)("example %s", (example) => {
    it("builds exactly its bill, and the estimate prices every item", async () => {
      const run = await runOffline(async () => {
        await import(path.join("..", "examples", example, "index.ts"));
      }, { config: EXAMPLE_CONFIG });
      checkRun(run, `example ${example}`);
    });
  });

  describe.each(matrix().map((c) => [c.name, c] as const))("%s", (_, c) => {
    it("builds exactly its bill, and the estimate prices every item", async () => {
      checkRun(await runOffline(c.program), c.name);
    });
  });
});
