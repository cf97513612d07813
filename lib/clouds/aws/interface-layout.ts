/**
 * The network interfaces an AWS GPU node launches with: which card, which device index, which interface type. Apart
 * from the launch template so the address-space check (./address-space.ts, run from ./options.ts) counts the same
 * layout without importing the launch template's Pulumi resources.
 */
import type { Plan } from "../../planner/types.js";

/**
 * Where one interface sits and what it is. `interface`: an ordinary ENA interface (an IP address, no EFA); `efa`: an
 * EFA with its ENA device (an IP address); `efa-only`: an EFA device alone (no IP address). Omitted: EC2's default,
 * an ENA interface.
 */
export interface InterfaceSlot {
  networkCardIndex: number;
  deviceIndex: number;
  interfaceType?: "interface" | "efa" | "efa-only";
}

/**
 * The node's interface layout, the one rule both the VM and the EKS launch templates use (nodeInterfaces in
 * ./launch-template.ts) and address-space.ts counts:
 * - no fabric: one ordinary interface;
 * - EFA where card 0 carries an EFA (`primaryCardEfa`, every EFA type but P6-B300): one interface per fabric NIC, one
 *   per card; the primary (card 0, device 0) an EFA with its ENA, every other card device 1 as `efa-only` where the
 *   instance accepts it (no IP address used) or as `efa` otherwise (terraform-aws-eks modules/eks-managed-node-group
 *   main.tf at bef29c4d, 2026-04-27);
 * - EFA where card 0 is ENA only (P6-B300): card 0 device 0 an ordinary `interface`, the node's IP address, and one
 *   `efa-only` interface at device index 0 on each of the cards 1..N, N the EFA count, as AWS engineering gives the
 *   P6-B300 launch (github.com/aws/aws-parallelcluster issue #7143, 2025-12-06) and the EC2 guide lays out further
 *   cards (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/efa-acc-inst-types.html, read 2026-11-30). The EFA
 *   count is the EFA interfaces, not the network cards (eksctl-io/eksctl PR #8692).
 */
export function interfaceLayout(plan: Pick<Plan, "fabric" | "instance">): InterfaceSlot[] {
  if (plan.fabric.kind !== "efa") return [{ networkCardIndex: 0, deviceIndex: 0 }];
  const efaCards = plan.fabric.nicsPerNode;
  if (plan.instance.primaryCardEfa === false) {
    return [
      { networkCardIndex: 0, deviceIndex: 0, interfaceType: "interface" },
      ...Array.from({ length: efaCards }, (_, i): InterfaceSlot => ({ networkCardIndex: i + 1, deviceIndex: 0, interfaceType: "efa-only" })),
    ];
  }
  const extraType = plan.instance.efaOnlyInterfaces ? "efa-only" : "efa";
  return Array.from({ length: efaCards }, (_, card): InterfaceSlot => ({
    networkCardIndex: card,
    deviceIndex: card === 0 ? 0 : 1,
    interfaceType: card === 0 ? "efa" : extraType,
  }));
}
