/**
 * Everything an EKS workload stands on, in order: network (two zones; the GPU nodes in the first), EFA security
 * group, buckets, control plane (new or existing), node role, placement group, GPU launch template and node group,
 * a system node group (new clusters), the Kubernetes provider and the bootstrap releases, the namespace.
 */
import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import type * as eks from "@pulumi/aws/eks";
import type { Namespace } from "@pulumi/kubernetes/core/v1";
import { guardedClaimsIn, workloadNamespace } from "../../kubernetes/namespace.js";
import { workloadNames, type WorkloadNames } from "../../kubernetes/names.js";
import type { Plan } from "../../../planner/types.js";
import type { CompileContext } from "../../types.js";
import { awsNetwork, type AwsNetwork } from "../network.js";
import type { AwsOptions } from "../options.js";
import { nodePlacementGroup, type NodePlacementGroup } from "../placement.js";
import { clusterSecurityGroup } from "../security.js";
import { awsTags } from "../tags.js";
import { eksBootstrap, clusterProvider, type EksBootstrap } from "./bootstrap.js";
import { eksControlPlane, kubeconfig, type EksControlPlane } from "./cluster.js";
import { installsClusterAddons } from "../../kubernetes/options.js";
import { bucketPodIdentity, clusterAutoscalerIdentity, csiDriverAddon, podIdentityAgent, vpcCniAddon } from "./addons.js";
import { eksNodeRole } from "./iam.js";
import { eksLaunchTemplate } from "./launch-template.js";
import { gpuNodeGroup, systemNodeGroup } from "./node-group.js";
import { nodeMonitoringAgent } from "./node-health.js";
import { eksManagedPrometheus, type EksPrometheus } from "./metrics.js";
import { recordClusterPrometheus } from "../../kubernetes/cluster-prometheus.js";
import { eksBuckets, eksPodStorage, type EksStorage } from "./storage.js";
import { eksExposure } from "./target.js";
import { billsManagedPrometheus } from "../../shared/bill.js";

export interface EksInfrastructure {
  names: WorkloadNames;
  network: AwsNetwork;
  /** The GPU nodes' subnets (training: exactly one, for EFA; a fleet: those in zones that sell the type). */
  nodeSubnetIds: pulumi.Output<string[]>;
  securityGroup: ec2.SecurityGroup;
  /** The cluster placement group the GPU nodes launch in: the component's own, or an ODCR's (aws.placementGroupName). */
  placementGroup?: NodePlacementGroup;
  plane: EksControlPlane;
  nodeGroup: eks.NodeGroup;
  bootstrap: EksBootstrap;
  namespace: Namespace;
  storage: EksStorage;
  /** What the pods' AWS credentials need before the first pod starts (none without buckets). */
  podIdentity: pulumi.Resource[];
  /** Amazon Managed Service for Prometheus and its collector (a new cluster, unless `aws.eks.managedPrometheus` is false). */
  prometheus?: EksPrometheus;
}

export function eksInfrastructure(plan: Plan, options: AwsOptions, ctx: CompileContext): EksInfrastructure {
  const eksOptions = options.eks ?? {};
  const tags = awsTags(ctx.name, options);
  const names = workloadNames(ctx, eksOptions.namespace ? { namespace: eksOptions.namespace } : {});
  // EKS load balancers find their subnets by these tags; an internet-facing NLB (the fleet's Service) needs public ones.
  const publicSubnets = eksExposure(ctx.bill, options).type === "LoadBalancer";
  const network = awsNetwork(plan, options, ctx, tags, { zones: 2, privateSubnetTags: { "kubernetes.io/role/internal-elb": "1" }, publicSubnetTags: { "kubernetes.io/role/elb": "1" }, publicSubnets });
  // EFA needs one subnet for training; a fleet's nodes go to every subnet whose zone sells the type. The control plane
  // (and the system nodes) use every private subnet: two zones, as EKS requires, even when the GPU type is in one.
  const nodeSubnetIds = plan.workload === "training" ? pulumi.all(network.privateSubnetIds.slice(0, 1)) : network.nodeSubnetIds;
  // All traffic among the GPU nodes (EFA needs it both ways to the group itself), web egress out.
  const securityGroup = clusterSecurityGroup(network.vpcId, ctx, tags);
  // EFS: a mount target in each subnet GPU nodes may use (its DNS name resolves only in zones with one).
  const buckets = eksBuckets(plan, plan.workload === "training" ? network.privateSubnetIds.slice(0, 1) : network.privateSubnetIds, securityGroup.id, ctx, tags);
  const plane = eksControlPlane(eksOptions, network.privateSubnetIds, ctx, tags, { vpcId: network.vpcId, vpcCidrs: network.cidrBlocks });
  const role = eksNodeRole(ctx, tags);
  // A new cluster: the VPC CNI with its network policy agent before any node starts (NetworkPolicies enforced), and
  // the Pod Identity agent when pods need AWS credentials (buckets; a fleet's Cluster Autoscaler). Both before the
  // node groups, as terraform-aws-eks's `before_compute` add-ons, so every node starts with them.
  const autoscales = plan.workload === "inference" && plane.cluster !== undefined && installsClusterAddons(eksOptions);
  const cni = plane.cluster ? vpcCniAddon(plane.name, ctx, tags, [plane.cluster]) : undefined;
  const agent = plane.cluster && (buckets.bucketArns.length > 0 || autoscales) ? [podIdentityAgent(plane.name, ctx, tags, [plane.cluster])] : [];
  // GPU, EFA and kernel health as node conditions, which the GPU node group's auto repair acts on (node-health.ts).
  if (plane.cluster) nodeMonitoringAgent(plane.name, ctx, tags, [plane.cluster]);

  // The component's own cluster placement group, the ODCR's (aws.placementGroupName), or none (../placement.ts).
  const placementGroup = nodePlacementGroup(plan, options, () => new ec2.PlacementGroup(`${ctx.name}-pg`, { strategy: "cluster", tags }, { parent: ctx.parent }));
  const launchTemplate = eksLaunchTemplate(plan, ctx, {
    // The cluster security group carries control plane ↔ kubelet and pod traffic; the EFA group the fabric.
    securityGroupIds: [securityGroup.id, plane.clusterSecurityGroupId],
    ...(placementGroup ? { placementGroupName: placementGroup.name } : {}),
    tags,
  });
  const nodeInputs = { clusterName: plane.name, nodeRoleArn: role.role.arn, tags, dependsOn: [...role.attachments, ...(cni ? [cni] : []), ...agent] };
  const nodeGroup = gpuNodeGroup(plan, ctx, { ...nodeInputs, subnetIds: nodeSubnetIds, launchTemplate, poolName: names.nodePool });
  const nodeGroups: pulumi.Resource[] = [nodeGroup];
  if (plane.cluster) nodeGroups.push(systemNodeGroup(ctx, { ...nodeInputs, subnetIds: network.privateSubnetIds }));

  // The pods' bucket credentials: the association of the workload's service account with a role holding the bucket
  // grant (an existing cluster runs its own Pod Identity agent). A fleet on a cluster this component made: the Cluster
  // Autoscaler grows the GPU node group for pending pods (the HPA / KEDA only add pods); a shared cluster's first
  // component installs it with the other cluster-wide add-ons.
  const podIdentity = [...agent, ...bucketPodIdentity(plane.name, names.namespace, buckets.bucketArns, ctx, tags)];
  // GPU and serving metrics into Amazon Managed Service for Prometheus (metrics.ts). A fleet's KEDA queries it with
  // its own Pod Identity (the agent is there: `autoscales`); KEDA's release waits for that identity.
  const prometheus =
    plane.cluster && billsManagedPrometheus(ctx.bill, "aws")
      ? eksManagedPrometheus(
          {
            clusterName: plane.name,
            clusterArn: plane.cluster.arn,
            region: plan.region,
            subnetIds: network.privateSubnetIds,
            securityGroupId: plane.clusterSecurityGroupId,
            namespace: names.namespace,
            servesModels: plan.workload === "inference",
            kedaQueries: autoscales && eksOptions.keda === undefined,
            tags,
            dependsOn: [plane.cluster],
          },
          ctx,
        )
      : undefined;
  if (prometheus?.keda) recordClusterPrometheus(ctx, { ...prometheus.keda, dependsOn: [...agent, ...prometheus.keda.dependsOn] });
  const autoscaler = autoscales && plane.cluster ? { clusterName: plane.name, kubernetesVersion: plane.cluster.version, identity: [...agent, ...clusterAutoscalerIdentity(plane.name, ctx, tags)] } : undefined;
  const provider = clusterProvider(eksOptions, kubeconfig(plane, plan.region), ctx);
  const bootstrap = eksBootstrap(plan, eksOptions, provider, nodeGroups, ctx, autoscaler);
  const opts = { parent: ctx.parent, provider };
  // EFS (nfs) and FSx (lustre) volumes are claims in the namespace (./storage.ts): deleting it would delete them.
  const namespace = workloadNamespace(names, ctx, opts, guardedClaimsIn(plan, ["nfs", "lustre"]));
  // The CSI drivers that mount the pods' EFS (over TLS) and FSx for Lustre volumes; an existing cluster brings its own.
  const driver = (kind: "nfs" | "lustre") => (plane.cluster && plan.storage.some((s) => s.kind === kind) ? [csiDriverAddon(kind, plane.name, ctx, tags, nodeGroups)] : []);
  const efsDriver = driver("nfs");
  const fsxDriver = driver("lustre");
  const storage = eksPodStorage(plan, buckets, namespace.metadata.name, names, ctx, opts, { efs: efsDriver, fsx: fsxDriver });
  const infra: EksInfrastructure = { names, network, nodeSubnetIds, securityGroup, plane, nodeGroup, bootstrap, namespace, storage, podIdentity };
  if (placementGroup) infra.placementGroup = placementGroup;
  if (prometheus) infra.prometheus = prometheus;
  return infra;
}
