/**
 * AWS EKS target: what lib/clouds/aws/eks builds that is billed. A cluster the component creates adds the control
 * plane (and extended support when its version, pinned or the component's default, is past standard support), the system node group and its root
 * volumes, and the secrets-encryption KMS key; the network is the VM target's with two zones. An internet-facing
 * fleet is a LoadBalancer Service: a Network Load Balancer with an address per zone. Internal fleets are ClusterIP.
 */
import { systemNodePool } from "../../catalog/index.js";
import type { Plan } from "../../planner/types.js";
import type { AwsOptions } from "../../clouds/aws/options.js";
import { DEFAULT_EKS_VERSION } from "../../clouds/aws/eks/autoscaler-version.js";
import { AWS_NODE_DISKS, awsGpuZones, awsNatItems, capacityBlockItems, efsItems, lustreBackupItems } from "./aws-vm.js";
import { bag, createsCluster, storageItems } from "./shared.js";
import type { BomItem, TargetBill } from "./types.js";
import { managedPrometheusItem } from "./managed-prometheus.js";
import { managedPrometheusOf } from "../../clouds/kubernetes/autoscaling-policy.js";
import { pricingDate } from "../pricing-date.js";

// The EKS release calendar is the cluster compiler's too (it refuses a version past extended support): one table.
export { EKS_EXTENDED_SUPPORT_ENDS, EKS_STANDARD_SUPPORT_ENDS, eksExtendedSupportEnded, eksStandardSupportEnded } from "../../clouds/aws/eks/support-calendar.js";
import { eksStandardSupportEnded } from "../../clouds/aws/eks/support-calendar.js";

/**
 * The version a new cluster is created on: the pinned one, else the component's default (DEFAULT_EKS_VERSION), which the
 * cluster keeps when the default later moves (eks/cluster.ts: ignoreChanges), so it reaches extended support as a pinned
 * one does.
 */
export function eksRequestedVersion(o: Pick<AwsOptions, "eks">): string {
  return o.eks?.kubernetesVersion ?? DEFAULT_EKS_VERSION;
}

/**
 * The control plane's audit and authenticator logs, which a created cluster exports to CloudWatch Logs
 * (lib/clouds/aws/eks/cluster.ts, `enabledClusterLogTypes`). AWS bills them at CloudWatch Logs' ingestion, storage and
 * scanning rates ("CloudWatch Logs ingestion, archive storage, and data scanning rates apply to exported control plane
 * logs": https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-eks-cluster-logging.html;
 * https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html). The rates are dated: $0.50 per GB
 * ingested and $0.03 per GB-month archived in us-east-1 (the AWS price API as captured in infracost's
 * internal/providers/terraform/aws/testdata/cloudwatch_log_group_test/cloudwatch_log_group_test.golden @e9ce629,
 * 2024-07-01). The volume is what is missing, and it cannot be honestly defaulted the way load balancer traffic is
 * (a spec field with a stated default): the audit log writes one entry per API request the control plane serves, and
 * that count is set by the controllers, operators and clients the user installs and by how often they poll, not by
 * anything the spec states (node count bounds the kubelets' share only). No first-party per-node or per-cluster
 * figure is known to default it from (none was looked for beyond the two AWS pages above, which state none), so a
 * default would be a guess presented as a price. Named, not guessed.
 */
export const EKS_CONTROL_PLANE_LOGS: BomItem = {
  kind: "unpriced",
  what: "CloudWatch Logs ingestion and storage of the EKS control plane's audit and authenticator logs",
  why: "CloudWatch Logs bills the GB ingested and stored ($0.50 per GB ingested, $0.03 per GB-month archived in us-east-1: the AWS price API as captured in infracost's cloudwatch_log_group_test.golden @e9ce629, 2024-07-01; https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html); the volume follows the API requests the cluster serves, set by what runs on it rather than by anything the spec states, and no source gives a default for it",
};

function billOfMaterials(plan: Plan, nodes: number, options: unknown): BomItem[] {
  const o = bag<AwsOptions>(options);
  // An existing cluster (by name; the option check also marks the plan) brings its own fees and network.
  const created = createsCluster(plan, o.eks);
  // EKS uses two private subnets; training GPU nodes sit in the first (the NAT gateway's zone), a fleet's in both
  // unless it is pinned to a zone.
  const items: BomItem[] = [...awsNatItems(plan, created && o.vpcId === undefined, awsGpuZones(plan))];
  if (created) {
    items.push({ kind: "control-plane" });
    const version = eksRequestedVersion(o);
    const ended = eksStandardSupportEnded(version, pricingDate());
    if (ended !== undefined) items.push({ kind: "extended-support", version, standardSupportEnded: ended });
    const system = systemNodePool("aws");
    items.push({ kind: "system-nodes", count: system.nodes, maxCount: system.maxNodes });
    items.push({ kind: "node-disk", pool: "system", count: system.nodes, maxCount: system.maxNodes, sizeGiB: AWS_NODE_DISKS.systemRootGiB, diskType: AWS_NODE_DISKS.type });
    items.push({ kind: "kms-key", count: 1, what: "the cluster's secrets key (customer managed, rotated yearly)" });
    items.push(EKS_CONTROL_PLANE_LOGS);
  }
  // Carried at zero nodes too (count 0, priced at nothing): the launch template of a fleet at zero replicas still sets the root volume its nodes get.
  items.push({ kind: "node-disk", pool: "gpu", count: nodes, sizeGiB: o.rootVolumeGiB ?? AWS_NODE_DISKS.gpuRootGiB, diskType: AWS_NODE_DISKS.type });
  if (plan.service?.loadBalancer === "internet-facing") {
    items.push({ kind: "load-balancer", product: "nlb", scheme: "internet-facing" });
    items.push({ kind: "public-ip", count: 2, what: "the internet-facing NLB's addresses, one per zone" });
  }
  items.push(...storageItems(plan), ...efsItems(plan), ...lustreBackupItems(plan), ...capacityBlockItems(plan));
  // Amazon Managed Service for Prometheus and its managed collector (lib/clouds/aws/eks/metrics.ts).
  if (created && managedPrometheusOf(plan, "EKS", o.eks) !== undefined) items.push(managedPrometheusItem(plan, nodes, "aws"));
  return items;
}

export const awsEks: TargetBill = { id: "aws-eks", cloud: "aws", billOfMaterials };
