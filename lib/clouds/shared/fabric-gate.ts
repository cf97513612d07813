/**
 * The fabric gate, shared by every path: the floor a two-node NCCL all-reduce must reach on the plan's instance type
 * (lib/fabric/floors.ts), the likely causes of a shortfall on the plan's fabric, and the one message a user reads when
 * `pulumi up` fails on it. The Kubernetes acceptance test (lib/clouds/kubernetes/acceptance.ts) measures and compares;
 * the VM path's first-boot check uses the same verdict (see VM_GATE_DESIGN below).
 */
import type { Cloud, FabricKind } from "../../catalog/types.js";
import { fabricFloor, GATE_MESSAGE_BYTES, GATE_NODES, type FabricFloor, type GatePath } from "../../fabric/floors.js";
import { fabricSides } from "../../fabric/index.js";
import { TRAINING_ALL_REDUCE_SCRIPT } from "../kubernetes/workload-all-reduce.js";
// The check container: the cloud's all-reduce image, as in the Kubernetes acceptance test.
import { allReduceImage } from "../kubernetes/options.js";
import type { Platform } from "../../fabric/types.js";
import type { Plan } from "../../planner/types.js";
import { shellQuote } from "./bootstrap.js";
import { transportCheckEnv } from "./transport-expectation.js";

/** Where the placeholder for the measured figure sits in the failure message (the check fills it in at run time). */
export const MEASURED_PLACEHOLDER = "{measured}";

/**
 * What most often keeps NCCL off a fabric, per fabric kind and platform, from the anchors' troubleshooting notes:
 * aws-ofi-nccl's docs (github.com/aws/aws-ofi-nccl doc/efa-env-var.md), the EKS EFA device plugin's and
 * awsome-distributed-training's NCCL test manifests; Google's GPUDirect-TCPX/TCPXO/RDMA pages and
 * container-engine-accelerators' installers; Azure/aks-rdma-infiniband and azhpc-images (the ND topology files);
 * coreweave/nccl-tests' manifests (NCCL_IB_HCA=ibp). Read 2026-11-30.
 */
export const LIKELY_CAUSES: Readonly<Record<Exclude<FabricKind, "none">, Readonly<Record<Platform, readonly string[]>>>> = {
  efa: {
    kubernetes: [
      "the pod requests fewer vpc.amazonaws.com/efa than the node has (the EFA device plugin hands out only what is requested), or the plugin is not running on the node",
      "aws-ofi-nccl (libnccl-net) or libfabric missing from the image, or not on LD_LIBRARY_PATH",
      "FI_EFA_USE_DEVICE_RDMA=1 on a type without RDMA read (g5, g6, g6e), or GPUDirect RDMA unavailable (no dmabuf / nvidia-peermem)",
      "the nodes' security group does not admit all traffic from itself (EFA's SRD needs it), or the nodes are not in one cluster placement group",
    ],
    vm: [
      "the launch template attaches fewer EFA interfaces than the type has network cards",
      "the EFA installer or aws-ofi-nccl missing from the AMI (fi_info -p efa lists no provider)",
      "FI_EFA_USE_DEVICE_RDMA=1 on a type without RDMA read (g5, g6, g6e), or GPUDirect RDMA unavailable",
      "the nodes' security group does not admit all traffic from itself, or the nodes are not in one cluster placement group",
    ],
  },
  // Azure's (AKS and ND VMs); CoreWeave's InfiniBand has its own (CLOUD_CAUSES).
  infiniband: {
    kubernetes: [
      "the pod did not get the node's HCAs (no rdma/ib request, or the RDMA shared device plugin is not running)",
      "NCCL not on the InfiniBand HCAs (NCCL_NET=IB unset, or the HCAs hidden from the pod), so it picks an Ethernet device",
      "no NCCL_TOPO_FILE for the ND size, so NCCL turns GPUDirect RDMA off under Hyper-V; or the MOFED / DOCA driver is not loaded",
      "the nodes are on different InfiniBand partitions (different scale sets, or node pools)",
    ],
    vm: [
      "no NCCL_TOPO_FILE for the ND size (azhpc-images ships /opt/microsoft/*-topo.xml), so NCCL turns GPUDirect RDMA off under Hyper-V",
      "MOFED / DOCA or the NCCL RDMA SHARP plugins missing from the image (ibstat shows the HCAs down)",
      "the VMs are not in one scale set (one InfiniBand partition)",
    ],
  },
  "gpudirect-tcpx": {
    kubernetes: [
      "the receive-datapath manager sidecar (tcpgpudmarxd) was not ready when NCCL started",
      "the GPUDirect-TCPX NCCL plugin not installed where the pod mounts it (/usr/local/nvidia/lib64), or LD_LIBRARY_PATH lacks it",
      "the pod's multi-network annotations do not give it all 4 GPU NICs, or the GPU networks' MTU is not 8244",
      "NCCL_GPUDIRECTTCPX_* settings missing (NCCL then uses plain sockets on the GPU NICs)",
    ],
    vm: [
      "the receive-datapath manager (RxDM) container not running, or the dmabuf import helper and aperture devices missing",
      "the GPUDirect-TCPX NCCL plugin not installed, or NCCL_GPUDIRECTTCPX_* settings missing",
      "fewer than 4 GPU NICs up, or the GPU networks' MTU is not 8244",
    ],
  },
  "gpudirect-tcpxo": {
    kubernetes: [
      "the receive-datapath manager sidecar (fastrak) was not ready when NCCL started",
      "the TCPXO NCCL plugin not installed, or its nccl-env-profile.sh not sourced (NCCL_FASTRAK_* missing)",
      "the pod's multi-network annotations do not give it all 8 GPU NICs, or the GPU networks' MTU is not 8244",
    ],
    vm: [
      "the receive-datapath manager (RxDM) container not running, or the dmabuf import helper and aperture devices missing",
      "the TCPXO NCCL plugin not installed, or NCCL_FASTRAK_* settings missing",
      "fewer than 8 GPU NICs up, or the GPU networks' MTU is not 8244",
    ],
  },
  rdma: {
    kubernetes: [
      "the gIB NCCL plugin not installed where the pod mounts it, or its set_nccl_env.sh not sourced",
      "the pod's multi-network annotations do not give it all 8 RDMA NICs",
    ],
    vm: [
      "the gIB NCCL plugin not installed (/usr/local/gib), or its set_nccl_env.sh not sourced",
      "fewer than 8 RDMA NICs up, or the RDMA network profile's MTU (8896) not applied",
    ],
  },
};

/**
 * Where a cloud's causes differ from its fabric kind's (LIKELY_CAUSES): CoreWeave's InfiniBand on CKS, read 2026-12-01:
 * pods reach the HCAs through the `rdma/ib` resource and IPC_LOCK (coreweave/nccl-tests mpi-operator/*.yaml @cb86553);
 * Nodes on one backend fabric share the label `backend.coreweave.cloud/fabric`
 * (docs.coreweave.com/products/networking/hpc-interconnect/infiniband-roce-labels); CoreWeave runs HPC verification
 * tests on idle Nodes from the control-plane namespace `hpc-verification` (docs.coreweave.com/platform/fleet-management/hpc-verification,
 * products/cks/clusters/scheduling/workload-scheduling) and cordons Nodes for health and maintenance
 * (docs.coreweave.com/products/cks/nodes/cordon).
 */
export const CLOUD_CAUSES: Readonly<Partial<Record<Cloud, Partial<Record<Exclude<FabricKind, "none">, Partial<Record<Platform, readonly string[]>>>>>>> = {
  coreweave: {
    infiniband: {
      kubernetes: [
        "the pod did not get the Node's HCAs: no rdma/ib request, or the Node advertises no rdma/ib (kubectl describe node: Allocatable)",
        "the two Nodes are on different InfiniBand fabrics (their backend.coreweave.cloud/fabric labels differ), so the pair cannot reach each other at full rate",
        "GPUDirect RDMA unavailable to the pod (NCCL's log shows NET/IB without /GDRDMA): no IPC_LOCK capability or locked-memory limit, so the HCAs cannot register GPU memory",
        "NCCL not pinned to the InfiniBand HCAs (NCCL_NET=IB, NCCL_IB_HCA=ibp), so it picks an Ethernet device",
        "a Node was running CoreWeave's HPC verification tests (namespace hpc-verification, on idle Nodes) when the check started, or CoreWeave cordoned it for health or maintenance (kubectl get nodes; its conditions and taints)",
      ],
    },
  },
};

/** The likely causes of a shortfall on a plan's fabric and platform: the cloud's own where it has them (CLOUD_CAUSES), else the fabric kind's. */
export function likelyCauses(plan: Plan, kind: Exclude<FabricKind, "none">, platform: Platform): readonly string[] {
  return CLOUD_CAUSES[plan.cloud]?.[kind]?.[platform] ?? LIKELY_CAUSES[kind][platform];
}

/**
 * What keeps NCCL off a multi-node NVLink domain (GB200 NVL72), first where the floor is the domain's own figure: it
 * then falls back to the network, whose two-node ceiling is below the floor (lib/fabric/floors.ts). From NVIDIA's
 * multi-node NVLink tuning guide (docs.nvidia.com/multi-node-nvlink-systems/multi-node-tuning-guide/nccl.html: MNNVL on
 * GB200 from NCCL 2.25.2) and coreweave/nccl-tests' GB200 NVL72 manifests (@cb86553). Read 2026-11-30.
 */
export const NVLINK_DOMAIN_CAUSES: readonly string[] = [
  "the pods did not get an IMEX channel (node IMEX: the rack's nvidia-imex daemon down, or no /dev/nvidia-caps-imex-channels/channel0 in the pod; DRA IMEX: NVIDIA's DRA driver not running, or the ComputeDomain not Ready; on CoreWeave, coreweave.imex: \"dra\" where CoreWeave enabled DRA IMEX), so NCCL cannot map the other tray's memory",
  "NCCL older than 2.25.2 in the image (no multi-node NVLink on GB200), or NCCL_MNNVL_ENABLE / NCCL_CUMEM_ENABLE unset",
  "the two pods landed in different NVLink domains (CoreWeave: the Node label ds.coreweave.com/nvlink.domain with node IMEX, nvidia.com/gpu.clique with DRA IMEX), or a tray's NVLink is down (nvidia-smi -q: Fabric State/Status)",
];

/**
 * What keeps a pair in two NVLink domains (NVL72 racks) below the InfiniBand floor between racks, before the fabric's
 * own causes: the pair runs with multi-node NVLink off (NCCL_MNNVL_ENABLE=0: NCCL's user guide, Troubleshooting,
 * "Multi-node NVLink (MNNVL) issues", github.com/NVIDIA/nccl docs, read 2026-11-30), so only the network joins it.
 * CoreWeave runs GB200 jobs across racks over InfiniBand (coreweave/nccl-tests
 * mpi-operator/nccl-test-distributed-gb200-128-multirack-mpijob.yaml @cb86553, read 2026-11-30).
 */
export const CROSS_DOMAIN_CAUSES: readonly string[] = [
  "InfiniBand between the two racks is degraded: a tray's HCA port or a rack's uplinks to the spine down or running below 400 Gb/s (ibstat on both trays; ibdiagnet across the fabric)",
  "the two racks are not on one InfiniBand fabric or partition, so the pair cannot reach each other over InfiniBand at full rate",
];

/**
 * GCP RDMA (A3 Ultra, A4): where the nodes are placed depends on how the capacity was bought, so the placement cause
 * says what this plan has. A reservation places by its blocks and sub-blocks; Spot by the pool's or the VMs' compact
 * placement policy; flex-start by neither (Dynamic Workload Scheduler places the nodes where it finds capacity; GKE's
 * queued provisioning takes no compact placement, cluster-toolkit modules/compute/gke-node-pool/main.tf @1047080).
 */
function rdmaPlacementCause(plan: Plan): string {
  const spine = "so traffic crosses the RDMA fabric's spine";
  if (plan.reservationId !== undefined) return `the nodes are not in one block of reservation ${plan.reservationId}, ${spine}`;
  if (plan.pricing === "flex-start") return `flex-start nodes go where Dynamic Workload Scheduler finds capacity, with no reservation block or compact placement to keep them close, ${spine}`;
  return `the nodes are not under one compact placement policy, ${spine}`;
}

/** The gate of one plan on one platform: the floor, and what to check when the measurement is below it. */
export interface FabricGate {
  floor: FabricFloor;
  kind: Exclude<FabricKind, "none">;
  platform: Platform;
  causes: readonly string[];
}

/**
 * The gate for a training plan that uses its instance's fabric; undefined without one (no fabric, opted out of it, an
 * inference fleet, or a single node): the acceptance test then still measures and publishes, and compares with nothing.
 */
export function fabricGate(plan: Plan, platform: Platform, path: GatePath = "one-domain"): FabricGate | undefined {
  if (plan.workload !== "training" || plan.fabric.kind === "none" || plan.nodeCount < GATE_NODES) return undefined;
  const floor = fabricFloor(plan.instance, path, platform);
  if (!floor) return undefined;
  const kind = plan.fabric.kind;
  const first = floor.path === "nvlink-domain" ? NVLINK_DOMAIN_CAUSES : floor.path === "across-nvlink-domains" ? CROSS_DOMAIN_CAUSES : [];
  const placement = kind === "rdma" ? [rdmaPlacementCause(plan)] : [];
  return { floor, kind, platform, causes: [...first, ...likelyCauses(plan, kind, platform), ...placement] };
}

/** How the gate's pair is placed, in its failure message. */
const PAIR_PLACEMENT: Readonly<Record<NonNullable<FabricFloor["path"]>, string>> = {
  "nvlink-domain": " in one NVLink domain",
  "across-nvlink-domains": " in two different NVLink domains (racks), over InfiniBand only",
};

/**
 * What a user reads when the gate fails: the measured figure, the floor and where it comes from, the likely causes,
 * and the way out. `measured` is a figure in GB/s, or MEASURED_PLACEHOLDER for the check to fill in where it runs.
 * `rerun`: how the check runs again after a fix, the message's last sentence; default the platform's RERUN text
 * (a cloud whose VM check reruns differently, AWS, passes its own).
 */
export function gateFailureMessage(gate: FabricGate, measured: string, rerun: string = RERUN[gate.platform]): string {
  const { floor } = gate;
  const basis =
    floor.basis === "published"
      ? `60% of the ${floor.referenceGBps} GB/s ${floor.collective === "all_gather" ? "all-gather " : ""}published for it`
      : `25% of its ${floor.referenceGBps} GB/s line-rate ceiling (no published result)`;
  return [
    `fabric check FAILED on ${floor.instanceType} (${gate.kind}, ${gate.platform}): NCCL all-reduce bus bandwidth across ${GATE_NODES} nodes${floor.path ? PAIR_PLACEMENT[floor.path] : ""} is ${measured} GB/s,`,
    `below the floor of ${floor.floorGBps} GB/s (${basis}; source: ${floor.source}, ${floor.asOf}).`,
    "NCCL is most likely not using the whole fabric. Likely causes:",
    ...gate.causes.map((cause, i) => `  ${i + 1}. ${cause}`),
    rerun,
  ].join("\n");
}

/** Where the cause found in NCCL's own transport report sits in the transport failure message (the check fills it in). */
export const TRANSPORT_PLACEHOLDER = "{transport}";

/**
 * What a user reads when NCCL's own report of its transport falls short of the fabric's expectation
 * (./transport-expectation.ts), whatever the figure: the cause the check found (or TRANSPORT_PLACEHOLDER), the
 * figure measured (or MEASURED_PLACEHOLDER) and the floor, the likely causes and the way out.
 */
export function gateTransportFailureMessage(gate: FabricGate, cause: string, measured: string, rerun: string = RERUN[gate.platform]): string {
  return [
    `fabric check FAILED on ${gate.floor.instanceType} (${gate.kind}, ${gate.platform}): NCCL's own log of the ${GATE_NODES}-node all-reduce shows it is not using the whole fabric: ${cause}.`,
    `(Bus bandwidth ${measured} GB/s; floor ${gate.floor.floorGBps} GB/s. A fallback can stay above the floor, so the check reads NCCL's choice of transport too.)`,
    "Likely causes:",
    ...gate.causes.map((c, i) => `  ${i + 1}. ${c}`),
    rerun,
  ].join("\n");
}

/**
 * How the check runs again after a fix, per platform. Kubernetes: the check Job is replaced on the next `up`. VMs: the
 * check is a one-shot run on the first two nodes (on Azure a CustomScript extension, which runs again only when a VM
 * is (re)created or takes a changed extension: https://learn.microsoft.com/azure/virtual-machines/extensions/custom-script-linux,
 * read 2026-11-30), so a fix on the nodes is checked by reimaging those two VMs.
 */
const RERUN: Readonly<Record<Platform, string>> = {
  kubernetes: "Rerun `pulumi up` after a fix (the check Job is replaced); to build without the check, set acceptanceTest: false.",
  vm:
    "The check runs once on the first two VMs of the group when they are created: after a fix, reimage or replace those two VMs " +
    "(Azure: az vmss reimage --instance-ids 0 1) and it runs again; a new image or check reaches them the same way (GCP: by hand, as its next line says). " +
    "To build without the check, set acceptanceTest: false.",
};

/**
 * Lines for a VM gate that runs beside cloud-init (Azure's CustomScript extension can start while cloud-init still runs
 * the custom data, whose local NVMe setup stops Docker and moves /var/lib/docker and /var/lib/containerd): wait until cloud-init is done
 * (`cloud-init status --wait`, https://cloudinit.readthedocs.io/en/latest/reference/cli.html#status, read 2026-11-30),
 * bounded, then fail with the bootstrap's own failure (lib/clouds/shared/bootstrap.ts writes it) rather than measure a
 * half-built node. `what`: what the failure says did not happen (default the gate's; the VM GPU metrics agent's unit,
 * lib/clouds/shared/gpu-metrics.ts, waits the same way).
 */
export function cloudInitWaitLines(timeoutSeconds = 3600, what = "fabric gate not run"): string[] {
  return [
    `timeout ${timeoutSeconds} cloud-init status --wait >/dev/null 2>&1 || true`,
    "if [ -e /var/lib/gpu-cluster/bootstrap-failed ]; then",
    `  echo "gpu-cluster: ${what}: the node bootstrap failed: $(cat /var/lib/gpu-cluster/bootstrap-failed)" >&2`,
    "  exit 1",
    "fi",
  ];
}

/** Whether a measured figure (GB/s) clears the gate. */
export function gatePasses(gate: FabricGate, measuredGBps: number): boolean {
  return Number.isFinite(measuredGBps) && measuredGBps >= gate.floor.floorGBps;
}

/**
 * The VM path's gate: the design, and what is built of it.
 *
 * A VM cluster has no scheduler to run a check Job, so the gate is a one-shot run at first boot of the first two
 * nodes, published where the stack can read it, and a failed step of `up` when below the floor:
 * 1. Who runs it: the first two nodes of the group, found without extra trust between nodes. Azure: a uniform scale
 *    set without overprovisioning names its first instances `<computerNamePrefix>000000` and `…000001` (resolvable in
 *    the VNet), known at compile time. AWS: `aws ec2 describe-instances` filtered by the component's
 *    `gpu-cluster:node-group` tag, the two oldest running instances (needs ec2:DescribeInstances on the node role).
 *    GCP: the group's managed instances (`listManagedInstances`, a custom role of compute.instanceGroupManagers.get), the first two by name.
 *    The first of the two is the rendezvous.
 * 2. What runs: the same measurement as Kubernetes (ALL_REDUCE_MEASUREMENT, torchrun over 2 nodes, 1 GiB) in the NGC
 *    PyTorch container with host networking and the fabric devices (/dev/infiniband), under the fabric environment the
 *    bootstrap already writes; the image's NCCL picks up the host's plugin the same way the node's own jobs do.
 * 3. The verdict: `gateVerdictLines` (below) compares the figure with the floor on the node, fails too where NCCL's own
 *    report of its transport falls short of the fabric's expectation (./transport-expectation.ts), records both in
 *    /var/lib/gpu-cluster/fabric-gate and syslog, and hands the figure, transport and verdict to the cloud's publish command.
 * 4. Published where the stack reads it: AWS, the cluster's SSM parameter (`verdict=… busbw=…`, ssm:PutParameter on that
 *    one parameter; lib/clouds/aws/fabric-gate.ts); GCP guest attributes (`gpu-cluster/nccl-busbw-gbps`, with
 *    `enable-guest-attributes`); Azure: the run is a CustomScript extension of the scale set, whose exit status is the
 *    extension's provisioning state.
 * 5. A failed step of `up`, and the output: Azure's scale set creation waits for its extensions, so a non-zero exit
 *    fails `up` with the message as the extension's error; rank 0's marker line on stdout is read back from instance
 *    0's extension instance view (lib/clouds/azure/gate-readback.ts) into the output. AWS: a short State Manager association
 *    starts the check as a systemd unit on each node, and a bounded wait (`pollVerdict`, ./poll-verdict.ts) reads the
 *    SSM parameter until it holds a verdict (an association's status says nothing about a check still running, and an
 *    ASG capacity wait ends before boot scripts do), giving `ncclBusBandwidthGBps` or failing `up`. GCP: the check nodes write guest attributes, and a bounded wait after the group
 *    (`awaitGateVerdict`, lib/clouds/gcp/fabric-gate.ts: MIG `waitForInstances` returns at RUNNING, long before the
 *    check writes) reads them into the output and fails `up` on a failed verdict.
 * Built on all three clouds: the shared run and verdict (`vmGateScript`, `gateVerdictLines`) here, and each cloud's
 * steps 1, 4 and 5 in lib/clouds/azure/{training,gate-readback}.ts, lib/clouds/aws/fabric-gate.ts and
 * lib/clouds/gcp/fabric-gate.ts.
 */
export const VM_GATE_RECORD = "/var/lib/gpu-cluster/fabric-gate";

/**
 * Shell lines that turn a measured figure into the gate's verdict on a node: `$busbw` (GB/s, set before these lines)
 * is compared with the floor; the verdict and figure go to VM_GATE_RECORD and, below the floor, the failure message
 * (with the figure filled in) to syslog and stderr; `publish` (a shell command, may use `$busbw` and `$verdict`) runs
 * either way. Ends with status 1 below the floor, so a CustomScript extension (Azure) fails with the message.
 * Where `$transport_cause` is set (NCCL's transport short of the fabric's expectation, read by vmGateScript from rank
 * 0's output), the verdict fails whatever the figure, with {@link gateTransportFailureMessage}; `$transport` (what NCCL
 * reported) goes into the record and may be published.
 * `rerun`: the message's rerun sentence (see {@link gateFailureMessage}); default the platform's.
 */
export function gateVerdictLines(gate: FabricGate, publish: string, rerun?: string): string[] {
  const message = gateFailureMessage(gate, MEASURED_PLACEHOLDER, rerun);
  const transportMessage = gateTransportFailureMessage(gate, TRANSPORT_PLACEHOLDER, MEASURED_PLACEHOLDER, rerun);
  // Braces of a placeholder escaped: an unescaped "}" would end the expansion.
  const pattern = (placeholder: string) => placeholder.replace("{", "\\{").replace("}", "\\}");
  return [
    `# Fabric gate: a two-node NCCL all-reduce must reach ${gate.floor.floorGBps} GB/s on ${gate.floor.instanceType}, on the transport NCCL must report there.`,
    `floor=${gate.floor.floorGBps}`,
    'busbw="${busbw:-}"',
    // NCCL's own report of its transport (set before these lines where the check read it; empty otherwise).
    'transport="${transport:-}"',
    'transport_cause="${transport_cause:-}"',
    "mkdir -p /var/lib/gpu-cluster",
    // awk compares decimals; a missing or non-numeric figure fails.
    'if awk -v m="${busbw:-x}" -v f="$floor" \'BEGIN { exit !(m ~ /^[0-9]+(\\.[0-9]+)?$/ && m + 0 >= f + 0) }\'; then verdict=passed; else verdict=failed; fi',
    'below=$verdict',
    'if [ -n "$transport_cause" ]; then verdict=failed; fi',
    `printf 'verdict=%s busbw=%s floor=%s transport=%s\\n' "$verdict" "\${busbw:-none}" "$floor" "\${transport:-none}" > ${VM_GATE_RECORD}`,
    `${publish} || true`,
    'if [ "$verdict" = failed ]; then',
    '  message=""',
    '  if [ "$below" = failed ]; then',
    `    message=${shellQuote(message)}`,
    `    message="\${message//${pattern(MEASURED_PLACEHOLDER)}/\${busbw:-no figure}}"`,
    "  fi",
    '  if [ -n "$transport_cause" ]; then',
    `    part=${shellQuote(transportMessage)}`,
    `    part="\${part//${pattern(TRANSPORT_PLACEHOLDER)}/$transport_cause}"`,
    `    part="\${part//${pattern(MEASURED_PLACEHOLDER)}/\${busbw:-no figure}}"`,
    `    if [ -n "$message" ]; then message=$(printf '%s\\n\\n%s' "$message" "$part"); else message=$part; fi`,
    "  fi",
    `  printf '%s\\n' "$message" | tee -a ${VM_GATE_RECORD} >&2`,
    '  logger -p user.err "gpu-cluster: fabric gate failed: ${busbw:-no figure} GB/s (floor $floor GB/s)${transport_cause:+; transport: $transport_cause}"',
    "  exit 1",
    "fi",
  ];
}

/** How the two check nodes of a VM group find each other, and what the container needs for the fabric. */
export interface VmGatePeers {
  /** Shell that sets `rank` to 0 or 1 on the two check nodes, and exits 0 on every other node. */
  rankLines: string[];
  /** Shell lines that wait until the node's own bootstrap is done, or fail with its failure (e.g. {@link cloudInitWaitLines}). */
  bootLines: string[];
  /** Shell lines that wait until both check nodes resolve (bounded), or fail. */
  waitLines: string[];
  /** Rank 0's host name (a plain DNS label). */
  master: string;
  /** `docker run` flags giving the container the fabric's devices and the image's NCCL files. */
  dockerFlags: string[];
  /** Seconds the measurement's `docker run` may take (a shell word). Default 3600. */
  runTimeout?: string;
  /** How the check runs again on this cloud, the failure message's last sentence; default the shared VM text (Azure's). */
  rerun?: string;
  /**
   * Words run before `torchrun` inside the container, which it and every rank inherit (GCP's GPUDirect-TCPX: `taskset`
   * onto Google's NCCL cores). Default none.
   */
  launcher?: string;
}

/** Rendezvous port of the VM check (torchrun's default, as on Kubernetes). */
export const VM_GATE_PORT = 29500;

/**
 * The VM check as one script (VM_GATE_DESIGN steps 2 and 3): on the two check nodes, the Kubernetes measurement in the
 * cloud's all-reduce container (ALL_REDUCE_IMAGES: NGC PyTorch on Azure) with host networking, the fabric devices and
 * the plan's fabric environment; rank 0 then gives its figure to the verdict. Undefined where the plan has no gate (no
 * fabric, a single node, inference).
 */
export function vmGateScript(plan: Plan, peers: VmGatePeers, publish = ":"): string | undefined {
  const gate = fabricGate(plan, "vm");
  if (!gate) return undefined;
  // The fabric environment the node's own jobs get (lib/fabric), and what NCCL must report of its transport here.
  const env = { ...fabricSides(plan, "vm").env, ...transportCheckEnv(plan, gate) };
  const torchrun =
    `printf "%s" "$CHECK_SCRIPT" > /tmp/nccl_check.py && exec ${peers.launcher ? `${peers.launcher} ` : ""}torchrun --nnodes=${GATE_NODES} --nproc-per-node=${plan.gpusPerNode} ` +
    `--node-rank="$rank" --master-addr=${peers.master} --master-port=${VM_GATE_PORT} /tmp/nccl_check.py`;
  return [
    "#!/bin/bash",
    "set -uo pipefail",
    "# gpu-cluster fabric gate: a two-node NCCL all-reduce on the group's first two nodes, compared with the type's floor.",
    ...peers.rankLines,
    ...peers.bootLines,
    ...peers.waitLines,
    `export CHECK_SCRIPT=${shellQuote(TRAINING_ALL_REDUCE_SCRIPT)}`,
    `export CHECK_MESSAGE_BYTES=${GATE_MESSAGE_BYTES}`,
    // The container's NCCL is told about the node's fabric the way the node's own jobs are (lib/fabric).
    ...Object.entries(env).map(([k, v]) => `export ${k}=${shellQuote(v)}`),
    `out=$(timeout ${peers.runTimeout ?? "3600"} docker run --rm --gpus all --network host --ipc host --ulimit memlock=-1:-1 --cap-add IPC_LOCK ${peers.dockerFlags.join(" ")} ` +
      `${["CHECK_SCRIPT", "CHECK_MESSAGE_BYTES", ...Object.keys(env)].map((k) => `-e ${k}`).join(" ")} -e rank="$rank" ${allReduceImage(plan)} bash -c ${shellQuote(torchrun)} 2>&1)`,
    "status=$?",
    "printf '%s\\n' \"$out\" | tail -n 40",
    // Rank 1 only takes part; its exit status is the run's, rank 0 judges the figure.
    'if [ "$rank" = 1 ]; then exit "$status"; fi',
    "busbw=$(printf '%s\\n' \"$out\" | sed -n 's/^nccl-check: .* busbw \\([0-9.]*\\) GB\\/s.*$/\\1/p' | tail -n 1)",
    // NCCL's transport as the measurement reported it (workload-all-reduce.ts NCCL_TRANSPORT_REPORT).
    "transport=$(printf '%s\\n' \"$out\" | sed -n 's/^nccl-check: transport \\(.*\\)$/\\1/p' | tail -n 1)",
    "transport_cause=$(printf '%s\\n' \"$out\" | sed -n 's/^nccl-check: transport-failed \\(.*\\)$/\\1/p' | tail -n 1)",
    ...gateVerdictLines(gate, publish, peers.rerun),
    "",
  ].join("\n");
}

/**
 * Azure: a uniform scale set without overprovisioning names its VMs `<computerNamePrefix>` + the instance id in base
 * 36 over 6 characters, from 0 (https://learn.microsoft.com/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-instance-ids,
 * read 2026-11-30), and the VNet's DNS resolves them. The HPC image keeps the ND topology files in /opt/microsoft and
 * names them in /etc/nccl.conf (Azure/azhpc-images components/customizations/ndv5.sh @8e9d055f, 2026-07-29); Docker
 * and the NVIDIA Container Toolkit are part of it (components/install_docker.sh, install_nvidia_container_toolkit.sh).
 */
export function azureGatePeers(computerNamePrefix: string): VmGatePeers {
  const first = `${computerNamePrefix}000000`;
  const second = `${computerNamePrefix}000001`;
  return {
    rankLines: [
      'case "$(hostname)" in',
      `  ${first}) rank=0 ;;`,
      `  ${second}) rank=1 ;;`,
      `  *) echo "gpu-cluster: the fabric gate runs on ${first} and ${second}"; exit 0 ;;`,
      "esac",
    ],
    bootLines: cloudInitWaitLines(),
    waitLines: [
      `for _ in $(seq 1 90); do getent hosts ${first} >/dev/null && getent hosts ${second} >/dev/null && break; sleep 10; done`,
      `getent hosts ${first} >/dev/null && getent hosts ${second} >/dev/null || { echo "gpu-cluster: fabric gate: ${first} or ${second} did not come up in 15 minutes" >&2; exit 1; }`,
    ],
    master: first,
    // --mount, not -v: a missing source is an error, where -v would create an empty directory in its place (and at
    // /etc/nccl.conf that directory makes the image's own write of the file fail). The Azure VM path waits for the file
    // first (lib/clouds/azure/gate-peers.ts ncclConfWaitLines).
    dockerFlags: ["--device /dev/infiniband", "--mount type=bind,src=/opt/microsoft,dst=/opt/microsoft,readonly", "--mount type=bind,src=/etc/nccl.conf,dst=/etc/nccl.conf,readonly"],
  };
}
