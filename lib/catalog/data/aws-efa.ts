/**
 * EFA facts per AWS instance type, kept apart from the instance rows of ./aws.ts so the fabric and the price tables
 * can change independently. `withEfaFacts` lays them over the rows when the catalog is built.
 *
 * - `efaRdmaRead`: the EFA device does RDMA read, so libfabric may use it for GPUDirect RDMA. Where it does not,
 *   `FI_EFA_USE_DEVICE_RDMA=1` makes libfabric abort. aws-ofi-nccl's cheatsheet (doc/efa-env-var.md at commit
 *   2daf7d30, 2026-08-21) names the p4 and p5 families as the GPU instances with EFA and GPUDirect RDMA; the EC2 user
 *   guide (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/efa.html, read 2026-11-30) gives RDMA read on every
 *   Nitro v4+ instance, and aws-ofi-nccl's platform table (src/platform-aws.cpp, same commit) lists p5en and p6-b200
 *   with the p5 GPUDirect settings. G5, G6 and G6e are left false: no source read names them as GPUDirect RDMA
 *   instances, and leaving the variable unset is safe on every type (libfabric >= 1.18 detects RDMA read itself).
 * - `efaOnlyInterfaces`: the extra network cards (1+) take `efa-only` interfaces (an EFA device, no ENA device and
 *   no IP address). The EC2 user guide recommends EFA-only interfaces on every additional network card of a
 *   multi-card EFA instance (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/efa-acc-inst-types.html, read
 *   2026-11-30), and terraform-aws-eks v21 makes that the default for every EFA node group
 *   (modules/eks-managed-node-group/main.tf at bef29c4d, 2026-04-27: card 0 `efa`, the others `efa-only`). Single-card
 *   types have no extra card, so the flag is moot there (false).
 * - `primaryCardEfa`: network card 0 carries an EFA device. True on every EFA type but P6-B300, whose 17 cards carry
 *   16 EFAs: AWS engineering, quoted in github.com/aws/aws-parallelcluster issue #7143 ("Cannot create p6-b300
 *   instances", 2025-12-06, read 2026-11-30), says its primary card (index 0) supports ENA only (4 interfaces) and
 *   cards 1-16 support EFA and ENA, and gives the launch layout: card 0 device 0 an `interface` (ENA), cards 1-16
 *   device 0 `efa-only`. The EC2 guide's basic layout agrees (efa-acc-inst-types.html, read 2026-11-30: the primary
 *   interface an ENA one; an EFA-only interface on card 0 device 1 only "if the network card index 0 supports EFA";
 *   each further card's device 0 EFA-only), as does ParallelCluster's fix (PR #7210, merged 2026-01-27: ENA on the
 *   primary interface, `efa-only` on all others, "use case 1" of that guide). eksctl counts EFAs from EC2's
 *   MaximumEfaInterfaces rather than its network cards for the same reason (eksctl-io/eksctl PR #8692, 2026-03-06).
 *   The layout builder is nodeInterfaces (lib/clouds/aws/launch-template.ts).
 */
import type { InstanceFacts } from "../types.js";

export interface AwsEfaFacts {
  efaRdmaRead: boolean;
  efaOnlyInterfaces: boolean;
  primaryCardEfa: boolean;
}

export const AWS_EFA_SOURCE =
  "EFA RDMA read: github.com/aws/aws-ofi-nccl doc/efa-env-var.md and src/platform-aws.cpp at 2daf7d30 (2026-08-21), https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/efa.html; " +
  "efa-only cards: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/efa-acc-inst-types.html, github.com/terraform-aws-modules/terraform-aws-eks modules/eks-managed-node-group/main.tf at bef29c4d (2026-04-27); " +
  "P6-B300's ENA-only card 0: github.com/aws/aws-parallelcluster/issues/7143 (2025-12-06, AWS engineering's layout), pull/7210 (merged 2026-01-27)";

/** Read 2026-11-30 from the sources above. */
export const AWS_EFA_FACTS: Readonly<Record<string, AwsEfaFacts>> = {
  "p4d.24xlarge": { efaRdmaRead: true, efaOnlyInterfaces: true, primaryCardEfa: true },
  "p4de.24xlarge": { efaRdmaRead: true, efaOnlyInterfaces: true, primaryCardEfa: true },
  "p5.48xlarge": { efaRdmaRead: true, efaOnlyInterfaces: true, primaryCardEfa: true },
  "p5e.48xlarge": { efaRdmaRead: true, efaOnlyInterfaces: true, primaryCardEfa: true },
  "p5en.48xlarge": { efaRdmaRead: true, efaOnlyInterfaces: true, primaryCardEfa: true },
  "p6-b200.48xlarge": { efaRdmaRead: true, efaOnlyInterfaces: true, primaryCardEfa: true },
  "g5.12xlarge": { efaRdmaRead: false, efaOnlyInterfaces: false, primaryCardEfa: true },
  "g5.48xlarge": { efaRdmaRead: false, efaOnlyInterfaces: false, primaryCardEfa: true },
  "g6.12xlarge": { efaRdmaRead: false, efaOnlyInterfaces: false, primaryCardEfa: true },
  "g6e.12xlarge": { efaRdmaRead: false, efaOnlyInterfaces: false, primaryCardEfa: true },
  "g6e.48xlarge": { efaRdmaRead: false, efaOnlyInterfaces: true, primaryCardEfa: true },
  // 16 EFA interfaces on 17 network cards (Karpenter's reference at 692ccdd0, 2026-07-11; amazon-vpc-resource-controller-k8s
  // limits.go, 2026-03-20), card 0 ENA only (aws-parallelcluster issue #7143, above). RDMA read: a Nitro v6 instance, per
  // the EC2 guide above, and aws-ofi-nccl's platform table gives p6-b300 its own entry with GPUDirect RDMA required and
  // the RDMA protocol (src/platform-aws.cpp at 2daf7d30); releases before v1.21.0 (5b1f6dd4, 2026-08-04), v1.16.3 of the
  // default EKS training image included, match it by their "p-series" entry, with the same settings.
  "p6-b300.48xlarge": { efaRdmaRead: true, efaOnlyInterfaces: true, primaryCardEfa: false },
};

/** An instance row with its EFA facts laid over (rows without EFA, or not in the table, pass unchanged). */
export function withEfaFacts(row: InstanceFacts): InstanceFacts {
  const efa = row.fabric === "efa" ? AWS_EFA_FACTS[row.instanceType] : undefined;
  if (!efa) return row;
  return { ...row, ...efa, source: `${row.source}; ${AWS_EFA_SOURCE}` };
}
