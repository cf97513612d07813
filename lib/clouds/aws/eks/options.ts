/** EKS-only knobs (`aws.eks`, used with `orchestrator: "kubernetes"`), and their synchronous checks. */
import type { Provider } from "@pulumi/kubernetes/provider";
import type { Plan } from "../../../planner/types.js";
import { clusterPlanNotes } from "../../kubernetes/notes.js";
import { SpecError } from "../../../spec/errors.js";
import { clusterAutoscalerTag, DEFAULT_EKS_VERSION } from "./autoscaler-version.js";
import { EKS_EXTENDED_SUPPORT_ENDS, eksExtendedSupportEnded } from "./support-calendar.js";
import { pricingDate } from "../../../cost/pricing-date.js";
import { blockPhasesText, CAPACITY_BLOCK_CHECK_FIX, CAPACITY_BLOCK_CHECK_INSTEAD, capacityBlockDefersCheck, EKS_CAPACITY_BLOCK_SCALEDOWN_MINUTES } from "../capacity-block-rules.js";
import { interfaceLayout } from "../interface-layout.js";
import { checkManagedClusterOptions, installsClusterAddons, checkWorkloadOptions, MANAGED_CLUSTER_OPTION_FIELDS, type ManagedClusterOptions, WORKLOAD_OPTION_FIELDS } from "../../kubernetes/options.js";
import { field, type FieldKinds } from "../../shared/option-fields.js";

/**
 * AWS's NCCL tests image (nccl-tests with libfabric, the EFA installer and aws-ofi-nccl; binaries in /opt/nccl-tests/build), the image of the EKS
 * NCCL test manifests in github.com/aws-samples/awsome-distributed-training (micro-benchmarks/nccl-tests), at the
 * build tag its buildspec.yaml publishes (@7217859f, 2026-02-21: CUDA 12.8.1, EFA installer 1.43.2, aws-ofi-nccl
 * v1.16.3, NCCL v2.27.7-1, nccl-tests v2.16.9), so the contents are named by the tag.
 */
export const EKS_DEFAULT_TRAINING_IMAGE = "public.ecr.aws/hpc-cloud/nccl-tests:cuda12.8.1-efa1.43.2-ofiv1.16.3-ncclv2.27.7-1-testsv2.16.9";

export interface EksOptions extends ManagedClusterOptions {
  /**
   * Use an existing EKS cluster by name instead of creating one: no cluster, KMS key or cluster role is made (and
   * no control-plane fee or system nodes are added to the estimate). Needs `aws.vpcId` and
   * `aws.subnetIds` (the cluster's VPC and a private subnet for the GPU nodes). Default: a new cluster.
   */
  clusterName?: string;
  /**
   * The Kubernetes provider for the in-cluster objects (Helm releases, workload). Default: one built from the
   * cluster's endpoint and CA, authenticating with `aws eks get-token` (the AWS CLI on the deployer's PATH).
   */
  provider?: Provider;
  /** Install Kueue (job queueing and quotas) after the device plugins. Default `false`. */
  kueue?: boolean;
  /**
   * Kubernetes minor version of a new cluster, e.g. `"1.33"`. Default `"1.35"` (DEFAULT_EKS_VERSION), kept by the
   * cluster after creation until you pin one. An inference fleet's Cluster Autoscaler runs the release for this minor.
   */
  kubernetesVersion?: string;
  /**
   * Scrape the GPU Operator's DCGM exporter (and a fleet's vLLM servers) into Amazon Managed Service for Prometheus
   * with an AWS managed collector (eks/metrics.ts), and scale a fleet with KEDA on its servers' queue there. Billed:
   * the collector per hour and per sample, the workspace per sample ingested and stored (the estimate names them).
   * Default `true` on a cluster the component creates; an existing cluster (`clusterName`) gets none.
   */
  managedPrometheus?: boolean;
}

/** Every `aws.eks` option and its type (checked with the AWS bag, before {@link checkEksOptions}). */
export const EKS_OPTION_FIELDS = {
  clusterName: field.string,
  provider: field.resource,
  kubernetesVersion: field.string,
  managedPrometheus: field.boolean,
  ...WORKLOAD_OPTION_FIELDS,
  ...MANAGED_CLUSTER_OPTION_FIELDS,
} as const satisfies FieldKinds<EksOptions>;


/** Storage kinds the EKS compiler builds in this version (S3 needs no in-cluster driver). */
const EKS_STORAGE = ["object", "nfs", "lustre"];

/** `vpcId` / `subnetIds` of the enclosing AWS bag, which the cluster choice constrains. */
export interface EksNetworkOptions {
  vpcId?: unknown;
  subnetIds?: unknown[];
}

/** The `aws.eks` checks against the plan; the bag's keys and types were checked with the AWS bag. Throws SpecError. */
export function checkEksOptions(plan: Plan, eks: EksOptions | undefined, aws: EksNetworkOptions): void {
  if (plan.orchestrator !== "kubernetes") {
    if (eks !== undefined) throw new SpecError("aws.eks", "EKS options were given, but orchestrator is 'vm'", "set orchestrator: 'kubernetes', or remove aws.eks");
    return;
  }
  const o = eks ?? {};
  if (o.clusterName !== undefined && !/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/.test(o.clusterName)) {
    throw new SpecError("aws.eks.clusterName", `'${o.clusterName}' is not an EKS cluster name`, "letters, digits, '-' and '_', starting with a letter or digit, at most 100 characters");
  }
  if (o.clusterName !== undefined && aws.vpcId === undefined) {
    throw new SpecError("aws.eks.clusterName", "an existing cluster's GPU node group needs the cluster's VPC and a private subnet", "pass aws.vpcId and aws.subnetIds too");
  }
  if (o.clusterName === undefined && aws.vpcId !== undefined && (aws.subnetIds?.length ?? 0) < 2) {
    throw new SpecError("aws.subnetIds", "a new EKS cluster needs private subnets in at least two zones (the GPU nodes use the first)", "pass two or more private subnets in different availability zones");
  }
  if (!plan.egress.natGateway && aws.vpcId === undefined) {
    // https://docs.aws.amazon.com/eks/latest/userguide/private-clusters.html: without outbound internet access every
    // image must come from a registry inside the VPC; the GPU Operator, the EFA device plugin, Kueue and the default
    // workload images come from nvcr.io, registry.k8s.io and public registries, so `up` would hang on image pulls.
    throw new SpecError(
      "egress.natGateway",
      "false on EKS: the nodes could not pull the GPU Operator, device plugin, Kueue and workload images (nvcr.io, registry.k8s.io, public.ecr.aws) without internet egress",
      "keep natGateway: true, or bring a VPC whose egress you control (aws.vpcId and aws.subnetIds, images mirrored to ECR), or use orchestrator: 'vm' (which builds the interface endpoints its nodes need)",
    );
  }
  if (o.clusterName !== undefined && o.kubernetesVersion !== undefined) {
    throw new SpecError("aws.eks.kubernetesVersion", "shapes a new cluster, not an existing one", "remove it, or remove clusterName");
  }
  if (o.kubernetesVersion !== undefined && !/^1\.\d{2}$/.test(o.kubernetesVersion)) {
    throw new SpecError("aws.eks.kubernetesVersion", `'${o.kubernetesVersion}' is not a Kubernetes minor version`, "e.g. '1.33'");
  }
  // EKS creates no cluster on a version past its extended support and upgrades existing ones off it, after which a
  // pinned older version asks for a downgrade (./support-calendar.ts). Judged on the estimate's pricing day.
  const ended = o.kubernetesVersion === undefined ? undefined : eksExtendedSupportEnded(o.kubernetesVersion, pricingDate());
  if (ended !== undefined) {
    const supported = Object.entries(EKS_EXTENDED_SUPPORT_ENDS).filter(([, end]) => end > pricingDate()).map(([v]) => v);
    throw new SpecError(
      "aws.eks.kubernetesVersion",
      `'${o.kubernetesVersion}' left EKS extended support ${ended.startsWith("before") ? ended : `on ${ended}`}: EKS no longer creates clusters on it and upgrades existing ones off it`,
      `use ${supported[0] ?? DEFAULT_EKS_VERSION} or later (${supported.join(", ")} are offered; EKS bills extended support for those past standard support), or leave it out for ${DEFAULT_EKS_VERSION}`,
    );
  }
  // A fleet on a new cluster runs the Cluster Autoscaler release for the cluster's minor: one must exist.
  if (o.kubernetesVersion !== undefined && o.clusterName === undefined && plan.workload === "inference" && installsClusterAddons(o)) clusterAutoscalerTag(o.kubernetesVersion);
  checkManagedClusterOptions(o, "aws.eks");
  checkWorkloadOptions(plan, o, "aws.eks", EKS_DEFAULT_TRAINING_IMAGE);
  const onBlock = capacityBlockDefersCheck(plan);
  if (o.acceptanceTest === true && onBlock !== undefined) throw new SpecError("aws.eks.acceptanceTest", onBlock, CAPACITY_BLOCK_CHECK_FIX);
  plan.storage.forEach((s, i) => {
    if (!EKS_STORAGE.includes(s.kind)) {
      throw new SpecError(`storage[${i}].kind`, `'${s.kind}' storage is not built on EKS in this version of gpu-cluster`, "use 'object' (an S3 bucket), 'nfs' (EFS) or 'lustre' (FSx for Lustre), mounted in the pods, or orchestrator 'vm' for block volumes");
    }
  });
}

/**
 * What the plan should tell the user about an EKS build: the system node group and an existing cluster's fees
 * (already paid), how a capacity block's node group is scaled, and the add-ons an existing cluster must run.
 */
export function eksPlanNotes(plan: Readonly<Plan>, eks: EksOptions | undefined): string[] {
  if (plan.cloud !== "aws" || plan.orchestrator !== "kubernetes") return [];
  // EFS mounts over TLS through the EFS CSI driver, which the component installs only on a cluster it creates.
  const efs = eks?.clusterName !== undefined && plan.storage.some((s) => s.kind === "nfs")
    ? [`storage: EFS volumes are mounted over TLS by the EFS CSI driver (efs.csi.aws.com); cluster ${eks.clusterName} must run it (add-on aws-efs-csi-driver)`]
    : [];
  if (eks?.clusterName !== undefined && plan.storage.some((s) => s.kind === "lustre")) {
    efs.push(`storage: FSx for Lustre volumes are mounted by the FSx for Lustre CSI driver (fsx.csi.aws.com); cluster ${eks.clusterName} must run it (add-on aws-fsx-csi-driver)`);
  }
  const notes = clusterPlanNotes(plan, {
    service: "EKS",
    gpuTaint: "nvidia.com/gpu=true:NoSchedule",
    systemPods: "CoreDNS, the GPU Operator and Kueue controllers",
    addons: "the NVIDIA device plugin (GPU Operator) and the EFA device plugin, tolerating the GPU taint",
  }, eks);
  if (plan.pricing === "capacity-block" && plan.reservationId !== undefined) {
    // The phases as the group's desired size follows them (capacity-block-rules.ts, blockSizeAt).
    notes.push(
      `capacity block ${plan.reservationId}: the GPU node group's size follows the block, ${blockPhasesText(plan.nodeCount)} ` +
        "(scheduled actions on its Auto Scaling group, named after the block, move it at those times; each `up` sets it to the size of the moment, so an `up` before the start creates the group empty); " +
        `EKS adds its own scale-down ${EKS_CAPACITY_BLOCK_SCALEDOWN_MINUTES} minutes before the end (leave that action in place). ` +
        "AWS asks that a capacity-block node group be upgraded only at desired size 0 (https://docs.aws.amazon.com/eks/latest/userguide/capacity-blocks-mng.html): " +
        "change the GPU nodes' launch template (AMI, user data, storage) between blocks; during a block `up` replaces the nodes one at a time, each ended before its successor starts (update strategy MINIMAL), restarting the job. " +
          "Move to your next block (a new reservationId) only once this one has drained: the node group's new launch template targets the next block, whose instances cannot launch before it starts, so a move mid-block would end this block's nodes one by one and wait for replacements that cannot come",
    );
    // The check a training cluster of 2+ nodes gets by default, off here (the VM gate's note says the same).
    const onBlock = capacityBlockDefersCheck(plan);
    if (onBlock !== undefined && plan.workload === "training" && plan.nodeCount >= 2 && eks?.acceptanceTest !== false) {
      notes.push(`acceptance test: off, ${onBlock}; ${CAPACITY_BLOCK_CHECK_INSTEAD}`);
    }
  }
  if (eks?.clusterName !== undefined) {
    // A new cluster gets both add-ons from the component; an existing one keeps its own.
    notes.push(
      `existing EKS cluster '${eks.clusterName}': the component's NetworkPolicies are enforced only if its vpc-cni add-on runs the network policy agent (configuration {"enableNetworkPolicy": "true"})` +
        (plan.storage.some((s) => s.kind === "object") ? ", and the pods reach their buckets only if it runs the eks-pod-identity-agent add-on" : ""),
    );
    // From the launch template's own layout: cards 1+ of p4d..p6-b200 and every EFA card of P6-B300 are efa-only.
    if (interfaceLayout(plan).some((slot) => slot.interfaceType === "efa-only")) {
      notes.push(
        `existing EKS cluster '${eks.clusterName}': the GPU nodes' extra network cards get efa-only interfaces, which its vpc-cni add-on handles from v1.18.4 on ` +
          "(github.com/terraform-aws-modules/terraform-aws-eks modules/eks-managed-node-group/variables.tf, enable_efa_only, read 2026-11-30); check it with `aws eks describe-addon --addon-name vpc-cni`",
      );
    }
  }
  // The EKS guide's recommended EFA mechanism on 1.34+ is the DRA driver; this component keeps the device plugin.
  if (plan.fabric.kind === "efa" && plan.workload === "training" && installsClusterAddons(eks)) notes.push(efaDevicePluginNote(plan));
  return [...notes, ...efs];
}

/**
 * Why a training cluster's EFA devices come from the EFA device plugin, not the EFA DRA driver (DRANET) that the EKS
 * guide recommends for new deployments on Kubernetes 1.34 or later with managed or self-managed node groups
 * (https://docs.aws.amazon.com/eks/latest/userguide/device-management-efa.html, stored copy, undated, read 2026-12-01;
 * awsdocs/amazon-eks-user-guide latest/ug/ml/device-management-efa.adoc @43d79bdb, read 2026-12-01). What the DRA
 * driver adds, per the guide's comparison table, is topology-aware pairing of EFA interfaces with their local GPUs and
 * EFA devices shared between pods; the device plugin hands each device to one pod, is topology-aware on the EKS AL2023
 * AMIs these nodes boot, and "remains supported for EKS managed node groups". Here each training pod requests every
 * GPU and every EFA device of its node (lib/fabric/index.ts, lib/clouds/kubernetes/pod-resources.ts), so there is no
 * subset to pair and nothing to share. The guide also says the two cannot run on the same node, so this is one choice
 * per node, and no pinned DRANET chart or manifest is sourced here yet.
 */
function efaDevicePluginNote(plan: Readonly<Plan>): string {
  return (
    `EFA on EKS: the GPU nodes' ${plan.fabric.nicsPerNode} EFA devices are handed out by the EFA device plugin (eks-charts aws-efa-k8s-device-plugin), not the EFA DRA driver (DRANET) ` +
    "that the EKS guide recommends for new deployments on Kubernetes 1.34 or later (https://docs.aws.amazon.com/eks/latest/userguide/device-management-efa.html). " +
    `The DRA driver's gains are pairing EFA devices with their local GPUs and sharing devices between pods; each training pod here takes all ${plan.gpusPerNode} GPUs and all ${plan.fabric.nicsPerNode} EFA devices of its node, ` +
    "so neither applies, and the guide keeps the device plugin supported on managed node groups (the two cannot run on the same node: DRANET would replace the plugin, not join it)"
  );
}
