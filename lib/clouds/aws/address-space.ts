/**
 * Address space: every node takes addresses from its subnet, and a subnet that runs out leaves nodes unlaunched (EC2
 * `InsufficientFreeAddressesInSubnet`) while `up` succeeds. Pure, so the check runs before anything is created.
 *
 * Per node: one address per interface of the launch template's layout (`interfaceLayout`) that has one (the primary
 * interface, ENA or `efa` with its ENA device, and every other `efa` interface; `efa-only` interfaces have none:
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/efa-acc-inst-types.html), so p5en's 16 EFA interfaces take 1
 * (cards 1+ efa-only) and P6-B300's ENA interface and 16 efa-only ones take 1.
 * On EKS the VPC CNI also gives pods addresses from the node's subnet; the component's vpc-cni add-on bounds that pool
 * (MINIMUM_IP_TARGET / WARM_IP_TARGET, https://github.com/aws/amazon-vpc-cni-k8s/blob/master/docs/eni-and-ip-target.md).
 * AWS keeps 5 addresses of every subnet (https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html).
 */
import type { Plan } from "../../planner/types.js";
import { interfaceLayout } from "./interface-layout.js";

/** Addresses AWS reserves in every subnet. */
export const AWS_RESERVED_PER_SUBNET = 5;
/** The largest VPC (and so subnet parent) AWS allows. */
export const LARGEST_VPC_PREFIX = 16;
/** The VPC CNI's pod address pool per node on the clusters this component creates: at least 16, 4 spare. */
export const EKS_POD_ADDRESSES = { minimum: 16, warm: 4 } as const;
/** Most system nodes an EKS cluster of this component runs (they share the GPU subnets). */
const EKS_SYSTEM_NODES_MAX = 3;

/** Addresses one GPU node takes from its subnet. */
export function addressesPerNode(plan: Pick<Plan, "fabric" | "instance" | "orchestrator">): number {
  const interfaces = interfaceLayout(plan).filter((slot) => slot.interfaceType !== "efa-only").length;
  const pods = plan.orchestrator === "kubernetes" ? EKS_POD_ADDRESSES.minimum + EKS_POD_ADDRESSES.warm : 0;
  return interfaces + pods;
}

/**
 * How much smaller than the VPC the GPU nodes' subnet is, in prefix bits (network.ts cuts it): training's one subnet
 * is half the VPC; a fleet's are quarters, and every node may land in one of them.
 */
export function gpuSubnetBits(plan: Pick<Plan, "workload">): number {
  return plan.workload === "training" ? 1 : 2;
}

export interface AddressFit {
  /** Addresses the GPU subnet must hold at the plan's largest size. */
  needed: number;
  perNode: number;
  nodes: number;
  /** Usable addresses of the GPU subnet for a VPC of `vpcPrefix`. */
  usable: number;
  /** The longest VPC prefix (smallest VPC) whose GPU subnet holds them, or undefined when even a /16 does not. */
  fittingVpcPrefix?: number;
  /** The most nodes a /16 VPC's GPU subnet holds. */
  maxNodes: number;
}

/** Whether the plan's nodes fit the GPU subnet of a VPC with prefix `vpcPrefix`. */
export function addressFit(plan: Pick<Plan, "fabric" | "instance" | "orchestrator" | "workload" | "nodeCount" | "replicas">, vpcPrefix: number): AddressFit {
  const perNode = addressesPerNode(plan);
  // A fleet counts one node per replica even when replicas share nodes (lib/planner/packing.ts): replicas.max is at
  // least the packed node count, and the spare addresses cover the packed pods' own VPC addresses (VPC CNI).
  const nodes = plan.workload === "inference" && plan.replicas ? plan.replicas.max : plan.nodeCount;
  const system = plan.orchestrator === "kubernetes" ? EKS_SYSTEM_NODES_MAX * (1 + EKS_POD_ADDRESSES.minimum + EKS_POD_ADDRESSES.warm) : 0;
  const needed = nodes * perNode + system;
  const bits = gpuSubnetBits(plan);
  const usableAt = (prefix: number) => 2 ** (32 - prefix - bits) - AWS_RESERVED_PER_SUBNET;
  let fittingVpcPrefix: number | undefined;
  for (let p = 28 - bits; p >= LARGEST_VPC_PREFIX; p--) {
    if (usableAt(p) >= needed) {
      fittingVpcPrefix = p;
      break;
    }
  }
  const fit: AddressFit = { needed, perNode, nodes, usable: usableAt(vpcPrefix), maxNodes: Math.floor((usableAt(LARGEST_VPC_PREFIX) - system) / perNode) };
  if (fittingVpcPrefix !== undefined) fit.fittingVpcPrefix = fittingVpcPrefix;
  return fit;
}
