/**
 * What the fabric gate expects of NCCL's own report of its transport (the `via NET/<name>/<dev>[/GDRDMA]` lines the
 * shared measurement reads, lib/clouds/kubernetes/workload-all-reduce.ts NCCL_TRANSPORT_PARSER), per fabric, from one
 * table. The TypeScript only chooses the figures; the check script reads them from the environment
 * (`transportCheckEnv`) and judges what NCCL printed. A false failure on a healthy cluster is worse than no check, so
 * an expectation is set only where a source says what a healthy pair prints; elsewhere the check only reports.
 */
import type { Cloud, FabricKind } from "../../catalog/types.js";
import { AWS_EFA_FACTS } from "../../catalog/data/aws-efa.js";
import type { Plan } from "../../planner/types.js";
import type { FabricGate } from "./fabric-gate.js";

/** What a healthy pair's NCCL prints on one fabric. */
export interface TransportExpectation {
  /** Every NET connection carries `/GDRDMA` (GPUDirect RDMA). */
  gdr: boolean;
  /**
   * Distinct NET device indexes each node uses at least (its rails). Absent: not checked. No fabric has one yet: none
   * of the sources read says how many NICs NCCL picks for a two-node 1 GiB all-reduce (with NVLS or PXN it need not be
   * all of them), and aws-ofi-nccl groups EFA devices per GPU, so a count would be a guess. The index is NCCL's own
   * numbering of the devices it found, not the HCA's: an AKS ND H100 v5 pair logs `via NET/IB/10/GDRDMA`, `/12`, `/14`
   * for its 8 HCAs (Azure/aks-rdma-infiniband issue #30, read 2026-12-01).
   */
  netDevices?: number;
  /** Where the expectation comes from (read 2026-12-01). */
  source: string;
}

/**
 * The table, per fabric kind and cloud (`undefined`: not checked, only reported).
 * - InfiniBand on Azure (ND A100 v4, ND H100/H200 v5) and CoreWeave (HGX H100/H200/B200/B300, A100): GPUDirect RDMA
 *   is part of the fabric, and a healthy AKS ND H100 v5 pair prints `[receive] via NET/IB/0/GDRDMA` on every channel
 *   (Azure/aks-rdma-infiniband pull request #36, 2025-04-10, the test's own log); CoreWeave: "GPUDirect RDMA"
 *   over InfiniBand (docs.coreweave.com/products/networking/hpc-interconnect/about-hpc-interconnect).
 * - EFA: only where the device does RDMA read (lib/catalog/data/aws-efa.ts `efaRdmaRead`: p4d, p4de, p5, p5e, p5en,
 *   p6-b200, p6-b300), where aws-ofi-nccl hands NCCL GPU buffers; p4d's NCCL prints `[send] via NET/AWS
 *   Libfabric/0/GDRDMA` (NVIDIA/nccl issue #527, 2021). g5/g6/g6e: no GPUDirect RDMA, only reported.
 * - GCP RDMA (A3 Ultra, A4, the gIB plugin): GPUDirect RDMA over RoCE is the fabric
 *   (GKE API GPUDirectStrategy RDMA: "GPUDirect-RDMA on A3 Ultra, and A4 machine types",
 *   docs.cloud.google.com/ruby/docs/reference/google-cloud-container-v1beta1/latest, updated 2026-02-21); NCCL marks a
 *   connection GDRDMA whenever the plugin takes GPU or dma-buf memory (ncclTopoCheckGdr, NVIDIA/nccl
 *   src/graph/paths.cc @5067397c).
 * - GPUDirect-TCPX/TCPXO: not checked. Their plugins move data from GPU memory over TCP, and no source read says what
 *   their plugins print on the NET line.
 */
const EXPECTATIONS: Readonly<Record<Exclude<FabricKind, "none">, (plan: Plan) => TransportExpectation | undefined>> = {
  infiniband: (plan) => (INFINIBAND_GDR_CLOUDS.includes(plan.cloud) ? { gdr: true, source: INFINIBAND_SOURCE } : undefined),
  efa: (plan) => (AWS_EFA_FACTS[plan.instanceType]?.efaRdmaRead ? { gdr: true, source: EFA_SOURCE } : undefined),
  rdma: () => ({ gdr: true, source: GIB_SOURCE }),
  "gpudirect-tcpx": () => undefined,
  "gpudirect-tcpxo": () => undefined,
};

const INFINIBAND_GDR_CLOUDS: readonly Cloud[] = ["azure", "coreweave"];
const INFINIBAND_SOURCE = "Azure/aks-rdma-infiniband PR #36 (via NET/IB/<n>/GDRDMA); docs.coreweave.com about-hpc-interconnect";
const EFA_SOURCE = "lib/catalog/data/aws-efa.ts efaRdmaRead; NVIDIA/nccl issue #527 (via NET/AWS Libfabric/<n>/GDRDMA)";
const GIB_SOURCE = "GKE API GPUDirectStrategy RDMA (GPUDirect-RDMA on A3 Ultra, A4); NVIDIA/nccl src/graph/paths.cc ncclTopoCheckGdr";

/**
 * The expectation for a gate, or undefined where the transport is only reported: a fabric the table leaves out, and
 * a pair whose floor has a path (GB200 NVL72): in one NVLink domain NCCL crosses trays over multi-node NVLink, with no
 * NET line at all; between domains the NICs hang off Grace, where NCCL's GPUDirect RDMA depends on its C2C setting
 * (NCCL_NET_GDR_C2C, src/graph/paths.cc) and no two-rack log was read.
 */
export function transportExpectation(plan: Plan, gate: FabricGate): TransportExpectation | undefined {
  if (gate.floor.path !== undefined) return undefined;
  return EXPECTATIONS[gate.kind](plan);
}

/**
 * The check script's environment for a gate (both paths): `CHECK_TRANSPORT=1` (NCCL's debug log to a file per
 * process, and the transport reported), and where the table expects something, `CHECK_EXPECT_GDR=1` and
 * `CHECK_EXPECT_NET_DEVICES`. Empty without a gate (the training workload never gets them).
 */
export function transportCheckEnv(plan: Plan, gate: FabricGate | undefined): Record<string, string> {
  if (!gate) return {};
  const expect = transportExpectation(plan, gate);
  return {
    CHECK_TRANSPORT: "1",
    ...(expect?.gdr ? { CHECK_EXPECT_GDR: "1" } : {}),
    ...(expect?.netDevices !== undefined ? { CHECK_EXPECT_NET_DEVICES: String(expect.netDevices) } : {}),
  };
}
