/**
 * The fabric gate's floors: for every instance type with an inter-node fabric, the NCCL all-reduce bus bandwidth a
 * healthy two-node run must reach, and where that figure comes from. The acceptance test (Kubernetes) and the first-boot
 * check (VMs) both measure a 1 GiB float32 all-reduce over two nodes and fail `pulumi up` below the floor.
 *
 * One rule makes every floor, so no figure is picked by hand:
 * - `published`: an nccl-tests result for that instance type in a cloud's or anchor's own test report (all-reduce, or
 *   all-gather where that is all that is published), read at the size closest to the gate's 1 GiB (not above it where
 *   a smaller row exists), over the path the gate's two nodes take: for a type whose nodes share a multi-node NVLink
 *   domain (GB200 NVL72, lib/fabric/mnnvl.ts), the gate's pair is always held in one domain (required clique
 *   affinity), so the result is the one-domain (NVLink) run, never a cross-domain (network) one, and its floor must
 *   stay above the network's two-node line-rate ceiling, so that a fallback from NVLink to the network fails the gate.
 *   A plan of 2 or more such domains adds a second pair, one node in each of two domains, whose floor is the
 *   network's by the same rule (CROSS_DOMAIN_FLOORS). Floor: 60% of it, which
 *   leaves room for NCCL versions, tuning and run-to-run spread (the two p5 runs of the same README differ by 28% at
 *   1 GiB), while half the fabric mostly, and a fallback to sockets over the host NIC always, falls below it where
 *   NCCL_NET does not already make that fallback an error (test/fabric-floors.test.ts: "floors against a fallback
 *   to sockets"; A3 High's 42.5 GB/s is near its host NIC's socket ceiling, 46.9, and TCPX is named by NCCL_NET).
 * - `line-rate`: no published result was found for the type. The ceiling of a two-node all-reduce is the node's fabric
 *   bandwidth (the catalog's sourced `fabricGbps`) times busbw's factor 2(n-1)/n, n = the GPUs of both nodes (each
 *   node must send and receive the whole buffer once over its NICs). Floor: 25% of that ceiling, below the lowest
 *   efficiency of any published result here (Azure's ND A100 v4 run reaches 47% of its ceiling at 512 MiB), so a
 *   healthy node never fails on it, while a TCP fallback (one host NIC's worth, a few GB/s) still does on every
 *   multi-NIC type.
 *
 * Keyed by instance type, one row each: a new fabric type in the catalog fails test/fabric-floors.test.ts until it has
 * a row here.
 */
import type { Cloud } from "../catalog/types.js";
import type { Platform } from "./types.js";

/** Bytes the gate all-reduces per iteration (1 GiB: bandwidth-bound, one of the rows every nccl-tests sweep prints). */
export const GATE_MESSAGE_BYTES = 1 << 30;
/** Nodes the gate spans: the fabric between two nodes (NVLink inside one would hide it). */
export const GATE_NODES = 2;
/** Floor as a share of a published result. */
export const PUBLISHED_FLOOR_SHARE = 0.6;
/** Floor as a share of the line-rate ceiling, where no result is published. */
export const LINE_RATE_FLOOR_SHARE = 0.25;

/**
 * A published nccl-tests result for the instance type. All-reduce where one is published; otherwise all-gather, whose
 * busbw nccl-tests normalises to the same hardware peak (doc/PERFORMANCE.md), and whose two-node ceiling is the same
 * (each node must receive the other's half over its NICs).
 */
export interface PublishedResult {
  collective: "all_reduce" | "all_gather";
  /** busbw, GB/s (nccl-tests' definition: algbw x 2(n-1)/n for all-reduce, x (n-1)/n for all-gather). */
  busBandwidthGBps: number;
  /** The row's message size, bytes. */
  messageBytes: number;
  /** Nodes of the run, where the source states them. */
  nodes?: number;
  /** The page or file (repository path at a commit) and what the run was. */
  source: string;
  /** The source's own date (its commit date for a repository file). */
  asOf: string;
  /**
   * `nvlink-domain`: the run stayed inside one multi-node NVLink domain, as the gate's pair does for this type, so the
   * figure is an NVLink one, above the network's line rate. Default: across the network.
   */
  path?: "nvlink-domain";
}

/** What the floor of one type is derived from. */
export type FloorBasis = { basis: "published"; result: PublishedResult } | { basis: "line-rate"; note: string };

export interface FabricFloorRow {
  cloud: Cloud;
  basis: FloorBasis;
  /**
   * The basis on the Kubernetes path, where a source publishes a separate result over it (the gate's pair runs as pods
   * there): the rule reads the result "over the path the gate's two nodes take". Default: `basis` on both paths.
   */
  kubernetes?: FloorBasis;
}

// ---------------------------------------------------------------- published results

const AWSOME_README =
  "https://github.com/aws-samples/awsome-distributed-training/blob/88c2e71b/micro-benchmarks/nccl-tests/README.md";
const CW_README = "https://github.com/coreweave/nccl-tests/blob/cb86553/README.md";
const AKS_RDMA_EXPECTED = "https://github.com/Azure/aks-rdma-infiniband/blob/bdf4072/tests/expected-output.md";

const P4DE: PublishedResult = {
  collective: "all_reduce",
  busBandwidthGBps: 76.79,
  messageBytes: 1 << 30,
  nodes: 2,
  source: `${AWSOME_README} ("2x p4de.24xlarge" Slurm all_reduce_perf, 1073741824-byte row, out-of-place)`,
  asOf: "2024-04-19",
};
const P5: PublishedResult = {
  collective: "all_reduce",
  busBandwidthGBps: 436.95,
  messageBytes: 1 << 30,
  nodes: 2,
  source: `${AWSOME_README} ("2x p5.48xlarge" Slurm all_reduce_perf, 1073741824-byte row, out-of-place; the EKS MPIJob run of the same README reads 313.29 there)`,
  asOf: "2024-04-19",
};
/**
 * The same README's EKS run of two p5.48xlarge (an MPIJob over the EFA device plugin, aws-ofi-nccl 1.7.3 and NCCL
 * 2.18.5): 28% below its Slurm run at 1 GiB. The gate's Kubernetes pair takes this path, so its floor is read from this
 * run: a healthy EKS pair like the anchor's reads 313.29, which the Slurm run's floor (262.1) would leave 16% of margin.
 */
const P5_EKS: PublishedResult = {
  collective: "all_reduce",
  busBandwidthGBps: 313.29,
  messageBytes: 1 << 30,
  nodes: 2,
  source: `${AWSOME_README} (EKS MPIJob all_reduce_perf on 2 x p5.48xlarge, aws-ofi-nccl 1.7.3, NCCL 2.18.5, 1073741824-byte row, out-of-place)`,
  asOf: "2024-04-19",
};
const ND_A100_V4: PublishedResult = {
  collective: "all_reduce",
  busBandwidthGBps: 174.75,
  messageBytes: 1 << 29,
  nodes: 2,
  source: `${AKS_RDMA_EXPECTED} (sriov-nic-policy-gpu mpijob on Standard_ND96asr_v4 (tests/README.md NODE_POOL_VM_SIZE), 536870912-byte row; "less than 180 [at 8 GiB] indicates a problem")`,
  asOf: "2025-05-02",
};
const CW_H100: PublishedResult = {
  collective: "all_reduce",
  busBandwidthGBps: 365.9,
  messageBytes: 1 << 30,
  nodes: 8,
  // A SHARP run (the manifest sets NCCL_COLLNET_ENABLE=1), which the library's environment rules out
  // (NCCL_NET_PLUGIN=none): the README publishes no H100 row without it. Its 60% floor, 219.5 GB/s, is 29% of the
  // two-node line-rate ceiling (8 × 400 Gb/s = 400 GB/s, × 2(16-1)/16 = 750 GB/s), within reach of a healthy pair
  // without SHARP, and far above any TCP fallback.
  source: `${CW_README} (MPI Operator "Running Jobs" output of nccl-test-distributed-h100-64-sharp-mpijob.yaml: 64 H100 with SHARP (NCCL_COLLNET_ENABLE=1, which the library's NCCL_NET_PLUGIN=none does not use), 1073741824-byte row)`,
  asOf: "2026-05-27",
};
const AI_INFRA_AZURE = "https://github.com/Azure/ai-infrastructure-on-azure/blob/448d474";
/**
 * Microsoft's own ND H100 v5 baseline: "~450 GB/s" busbw at 16 GiB for Standard_ND96isr_H100_v5, with Warn below 400
 * and GHR (drain the node, file a Guest Health Report) below 300 (skills/slurm/sku_performance_baseline/SKILL.md, file
 * commit 448d474, 2026-03-27, read 2026-12-01). Like CW_H100 and P5EN, not a two-node 1 GiB run: its companion
 * skills/slurm/nccl_allreduce_test/SKILL.md (same commit) gives the same 450 GB/s for "H100 (8 nodes, full IB)", run by
 * infrastructure_validations/slurm/NCCL/nccl_test.sh with configs/hopper.conf (2062dd2, 2026-03-04), which enables SHARP
 * (NCCL_COLLNET_ENABLE=1), which the library's environment does not. Its 60% floor, 270 GB/s, is 36% of the two-node
 * ceiling (8 × 400 Gb/s NDR = 400 GB/s, × 2(16-1)/16 = 750 GB/s). It is below the GHR figure: that threshold is for
 * Microsoft's 16 GiB SHARP run, and the gate's 1 GiB two-node run without SHARP reads lower on a healthy pair, so the
 * floor keeps the file's one rule rather than borrowing a threshold measured under other conditions.
 */
const ND_H100_V5: PublishedResult = {
  collective: "all_reduce",
  busBandwidthGBps: 450,
  messageBytes: 2 ** 34,
  nodes: 8,
  source: `${AI_INFRA_AZURE}/skills/slurm/sku_performance_baseline/SKILL.md (Standard_ND96isr_H100_v5 "NCCL all_reduce busbw (full sweep, 16 G) ~450 GB/s", Warn < 400, GHR < 300; 8 nodes per skills/slurm/nccl_allreduce_test/SKILL.md; a SHARP run (configs/hopper.conf NCCL_COLLNET_ENABLE=1), which the library does not enable; 17179869184 bytes, not 1 GiB)`,
  asOf: "2026-03-27",
};
const CW_GB200: PublishedResult = {
  collective: "all_reduce",
  busBandwidthGBps: 681.17,
  messageBytes: 1 << 30,
  nodes: 18,
  source: `${CW_README} line 269 (Expected Performance, GB200 "Single Rack", 72 GPUs over one rack's multi-node NVLink, NCCL 2.26.2, 1073741824-byte row, out-of-place; the gate's pair shares one NVLink domain: "20 Racks", across racks over InfiniBand, reads 218.85 there)`,
  asOf: "2026-05-27",
  path: "nvlink-domain",
};

const P5EN: PublishedResult = {
  collective: "all_reduce",
  busBandwidthGBps: 369.86,
  messageBytes: 2 ** 34,
  source:
    "https://github.com/aws-samples/awsome-distributed-training/blob/7217859f/micro-benchmarks/nccl-tests/slurm/topology-aware-nccl-tests/README.md (\"on p5en.48xlarge instances\", the only row shown: 17179869184 bytes, out-of-place; the run's size is not stated, and its busbw/algbw, 369.86/186.39 = 1.984 = 2(n-1)/n, gives n ≈ 128 GPUs: a 16-node figure at 16 GiB, not a two-node 1 GiB one)",
  asOf: "2026-02-21",
};
const CT = "https://github.com/GoogleCloudPlatform/cluster-toolkit/blob/104708037";
const A3_HIGH: PublishedResult = {
  collective: "all_gather",
  busBandwidthGBps: 70.9,
  messageBytes: 1 << 29,
  nodes: 2,
  source: `${CT}/examples/gke-a3-highgpu/multi-node-test-plan.md (GKE, GPUDirect-TCPX, allgather.sh over nccl-host-1 and nccl-host-2, largest row 536870912 bytes, commit 5a7be766a)`,
  asOf: "2026-04-03",
};
const A3_MEGA: PublishedResult = {
  collective: "all_gather",
  busBandwidthGBps: 182.0,
  messageBytes: 1 << 30,
  nodes: 2,
  source: `${CT}/examples/gke-a3-megagpu/README.md (GKE, GPUDirect-TCPXO, allgather.sh over two hosts, 1073741824-byte row, commit 2ee5a53ee)`,
  asOf: "2026-04-16",
};
const A3_ULTRA: PublishedResult = {
  collective: "all_gather",
  busBandwidthGBps: 324.13,
  messageBytes: 1 << 30,
  nodes: 2,
  source: `${CT}/examples/gke-consumption-options/dws-flex-start/README.md (GKE A3 Ultra, nccl-jobset-example.yaml all-gather on 2 nodes, 1073741824-byte row, commit 8b70b1036)`,
  asOf: "2025-05-09",
};

function published(cloud: Cloud, result: PublishedResult): FabricFloorRow {
  return { cloud, basis: { basis: "published", result } };
}

/** A published row whose Kubernetes path has its own published result. */
function publishedByPath(cloud: Cloud, vm: PublishedResult, kubernetes: PublishedResult): FabricFloorRow {
  return { cloud, basis: { basis: "published", result: vm }, kubernetes: { basis: "published", result: kubernetes } };
}

function lineRate(cloud: Cloud, note: string): FabricFloorRow {
  return { cloud, basis: { basis: "line-rate", note } };
}

const NO_AWS = "no published nccl-tests result found for this type (awsome-distributed-training READMEs @7217859f show p4de, p5 and p5en only)";
const NO_GCP = "no published figure found (cluster-toolkit @104708037 system_benchmarks READMEs for A4 print XXX.XX placeholders)";
const NO_AZURE = "no published two-VM nccl-tests result found (Azure/azhpc-images @8e9d055f checks single-VM loopback only)";
const NO_CW = "no published result for this node type in coreweave/nccl-tests README @cb86553 (GB200 and H100 only)";

/**
 * Every fabric instance type's floor basis. The awsome-distributed-training health check
 * (4.validation_and_observability/2.gpu-cluster-healthcheck/checks/5-nccl-allreduce.sh @d63abab2, 2026-02-19) lists
 * minimums of 800 GB/s for p5 and 900 for p6-b200: above the two-node ceiling of 750 (32 x 100 Gbps EFA), and above
 * every published p5 result, so they are not used.
 */
export const FABRIC_FLOORS: Readonly<Record<string, FabricFloorRow>> = {
  // AWS (EFA)
  "p4d.24xlarge": published("aws", { ...P4DE, source: `${P4DE.source}; p4d has p4de's network (4 x 100 Gbps EFA), 40 GB GPUs` }),
  "p4de.24xlarge": published("aws", P4DE),
  "p5.48xlarge": publishedByPath("aws", P5, P5_EKS),
  // p5e has p5's network (32 x 100 Gbps EFA, the catalog's 3,200 Gbps) and 141 GB GPUs, as p4d has p4de's; the
  // anchor's health check holds the two to one minimum (awsome-distributed-training
  // 4.validation_and_observability/2.gpu-cluster-healthcheck/checks/5-nccl-allreduce.sh @7217859f, 2026-02-21).
  "p5e.48xlarge": publishedByPath(
    "aws",
    { ...P5, source: `${P5.source}; p5e has p5's network (32 x 100 Gbps EFA)` },
    { ...P5_EKS, source: `${P5_EKS.source}; p5e has p5's network (32 x 100 Gbps EFA)` },
  ),
  "p5en.48xlarge": published("aws", P5EN),
  "p6-b200.48xlarge": lineRate("aws", NO_AWS),
  // No published two-node (or any) nccl-tests figure for P6-B300 found (awsome-distributed-training @7217859f; a code
  // search of public repositories, 2026-11-30): line rate from the row's 6,400 Gbps, like p6-b200.
  "p6-b300.48xlarge": lineRate("aws", NO_AWS),
  "g5.12xlarge": lineRate("aws", NO_AWS),
  "g5.48xlarge": lineRate("aws", NO_AWS),
  "g6.12xlarge": lineRate("aws", NO_AWS),
  "g6e.12xlarge": lineRate("aws", NO_AWS),
  "g6e.48xlarge": lineRate("aws", NO_AWS),
  // GCP (GPUDirect-TCPX, -TCPXO, RDMA)
  "a3-highgpu-8g": published("gcp", A3_HIGH),
  "a3-megagpu-8g": published("gcp", A3_MEGA),
  "a3-ultragpu-8g": published("gcp", A3_ULTRA),
  "a4-highgpu-8g": lineRate("gcp", NO_GCP),
  "a4x-highgpu-4g": lineRate("gcp", NO_GCP),
  "a4x-maxgpu-4g-metal": lineRate("gcp", NO_GCP),
  // Azure (InfiniBand)
  Standard_ND96asr_v4: published("azure", ND_A100_V4),
  Standard_ND96amsr_A100_v4: published("azure", { ...ND_A100_V4, source: `${ND_A100_V4.source}; ND A100 v4's 80 GB sibling, same 8 x 200 Gbps HDR` }),
  Standard_ND96isr_H100_v5: published("azure", ND_H100_V5),
  // Microsoft's baseline (ND_H100_V5) lists Standard_ND96isr_H100_v5 and ND GB300 v6 only; ND H200 v5 has ND H100
  // v5's network (8 x 400 Gb/s NDR, one HCA per GPU, the same ND v5 topology file and tuning, hopper.conf "H100 / H200"),
  // so it takes that result, as p5e takes p5's and p4d p4de's.
  Standard_ND96isr_H200_v5: published("azure", { ...ND_H100_V5, source: `${ND_H100_V5.source}; ND H200 v5 has ND H100 v5's network (8 x 400 Gb/s NDR InfiniBand; configs/hopper.conf covers "Hopper (H100 / H200) — Azure NDv5")` }),
  Standard_ND128isr_NDR_GB200_v6: lineRate("azure", NO_AZURE),
  Standard_ND96isr_MI300X_v5: lineRate("azure", NO_AZURE),
  // CoreWeave (InfiniBand)
  "gd-8xh100ib-i128": published("coreweave", CW_H100),
  "gd-8xh200ib-i128": lineRate("coreweave", NO_CW),
  "b200-8x": lineRate("coreweave", NO_CW),
  "gb200-4x": published("coreweave", CW_GB200),
  "gd-8xa100-i128": lineRate("coreweave", NO_CW),
  "b300-8x": lineRate("coreweave", NO_CW),
};

/**
 * The path a gate's pair takes. `one-domain` (default): the pair the acceptance test always runs; on a multi-node
 * NVLink type it shares one NVLink domain, and its floor is FABRIC_FLOORS'. `across-nvlink-domains`: a second pair on a
 * plan of 2 or more NVLink domains (racks), one node in each of two domains, whose traffic can only take the network
 * (InfiniBand between racks); its floor is CROSS_DOMAIN_FLOORS'.
 */
export type GatePath = "one-domain" | "across-nvlink-domains";

/**
 * The floors of a pair held in two different multi-node NVLink domains (lib/fabric/mnnvl.ts), per NVL type: nothing
 * but the network joins the two, so the floor is the network's, by the same rule as FABRIC_FLOORS (a published result
 * over that path, else the line rate). Keyed like NVLINK_DOMAINS: a new NVL type fails test/fabric-floors.test.ts until
 * it has a row here.
 */
export const CROSS_DOMAIN_FLOORS: Readonly<Record<string, FabricFloorRow>> = {
  // coreweave/nccl-tests README @cb86553 (2026-05-27) publishes GB200 runs of 1, 2 and 20 racks only, every one with
  // multi-node NVLink inside each rack (its "20 Racks" 218.85 GB/s at 1 GiB mixes NVLink and InfiniBand over 1,440
  // GPUs), so no result covers two trays joined by InfiniBand alone: the line-rate rule. A tray's network is 4 HCAs x
  // 400 Gb/s for 4 GPUs, the NICs of Azure's Standard_ND128isr_NDR_GB200_v6 (4 x 400 Gb/s NDR per GB200 tray), whose
  // floor is the same rule on the same figures: 25% of 200 GB/s x 2(8-1)/8 = 350 GB/s, 87.5 GB/s.
  "gb200-4x": lineRate(
    "coreweave",
    "two trays in different NVLink racks, joined by InfiniBand only (NCCL_MNNVL_ENABLE=0); coreweave/nccl-tests README @cb86553 publishes GB200 runs with multi-node NVLink inside each rack only (1, 2 and 20 racks); the NICs and floor of Azure's Standard_ND128isr_NDR_GB200_v6 (4 x 400 Gb/s NDR per 4-GPU tray)",
  ),
};

/** The ceiling of a two-node all-reduce's busbw, GB/s: the node's fabric bandwidth x 2(n-1)/n over both nodes' GPUs. */
export function lineRateCeilingGBps(fabricGbps: number, gpusPerNode: number): number {
  const ranks = GATE_NODES * gpusPerNode;
  return (fabricGbps / 8) * ((2 * (ranks - 1)) / ranks);
}

/** The floor the gate compares with, and what it came from. */
export interface FabricFloor {
  instanceType: string;
  /** GB/s, to one decimal (rounded down). */
  floorGBps: number;
  basis: FloorBasis["basis"];
  /** What the floor is a share of: the published figure, or the line-rate ceiling. */
  referenceGBps: number;
  /** The published figure's collective (`published` only). */
  collective?: PublishedResult["collective"];
  /**
   * `nvlink-domain`: the figure is one multi-node NVLink domain's (`published` only, PublishedResult.path);
   * `across-nvlink-domains`: the floor of a pair in two NVLink domains, over the network only (CROSS_DOMAIN_FLOORS).
   */
  path?: PublishedResult["path"] | "across-nvlink-domains";
  source: string;
  asOf: string;
}

/** Where the ceiling's inputs come from (the catalog row's own source and date). */
interface CatalogFabric {
  instanceType: string;
  fabricGbps: number;
  gpuCount: number;
  source: string;
  asOf: string;
}

/**
 * The floor of a catalog instance for a pair on `path` (default `one-domain`) on `platform` (default `vm`; a row's
 * `kubernetes` basis applies to pods), or undefined for a type without a row there (or without a fabric).
 */
export function fabricFloor(instance: CatalogFabric, path: GatePath = "one-domain", platform: Platform = "vm"): FabricFloor | undefined {
  const rows = path === "across-nvlink-domains" ? CROSS_DOMAIN_FLOORS : FABRIC_FLOORS;
  const found = Object.hasOwn(rows, instance.instanceType) ? rows[instance.instanceType] : undefined;
  if (!found || instance.fabricGbps <= 0) return undefined;
  const row = { ...found, basis: (platform === "kubernetes" ? found.kubernetes : undefined) ?? found.basis };
  const across = path === "across-nvlink-domains" ? { path: "across-nvlink-domains" as const } : {};
  const floorOf = (reference: number, share: number): number => Math.floor(reference * share * 10) / 10;
  if (row.basis.basis === "published") {
    const r = row.basis.result;
    return {
      instanceType: instance.instanceType,
      floorGBps: floorOf(r.busBandwidthGBps, PUBLISHED_FLOOR_SHARE),
      basis: "published",
      referenceGBps: r.busBandwidthGBps,
      collective: r.collective,
      ...(r.path ? { path: r.path } : across),
      source: r.source,
      asOf: r.asOf,
    };
  }
  const ceiling = lineRateCeilingGBps(instance.fabricGbps, instance.gpuCount);
  return {
    instanceType: instance.instanceType,
    floorGBps: floorOf(ceiling, LINE_RATE_FLOOR_SHARE),
    basis: "line-rate",
    referenceGBps: Math.round(ceiling * 100) / 100,
    ...across,
    source: `line rate ${instance.fabricGbps} Gbps per node from ${instance.source}; ${row.basis.note}`,
    asOf: instance.asOf,
  };
}
