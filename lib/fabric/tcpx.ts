/**
 * GPUDirect-TCPX (A3 High) NCCL settings: one table for both paths, since Google tunes them the same on GKE
 * (container-engine-accelerators gpudirect-tcpx/nccl-config.yaml @0e5609b0, 2026-06-02, run-nccl.sh) and on VMs
 * (cluster-toolkit examples/machine-learning/a3-highgpu-8g/nccl-tests/run-nccl-tests.sh @4f04afc17, 2026-01-22), both
 * read 2026-11-30. Only the interface names (eth1..eth4 in a GKE pod, enp6s0.. on an Ubuntu VM), the socket directory
 * and the algorithm list (Ring,Tree on GKE, Ring on VMs) differ.
 */

/**
 * Cores of the TX / RX threads of each GPU NIC, in NIC order: the first two NICs sit on NUMA node 0, the last two on
 * node 1 of a3-highgpu-8g (both sources give these ranges).
 */
const TX_CORES = ["8-21,112-125", "8-21,112-125", "60-73,164-177", "60-73,164-177"] as const;
const RX_CORES = ["22-35,126-139", "22-35,126-139", "74-87,178-191", "74-87,178-191"] as const;

/**
 * Cores Google runs the NCCL processes on (`taskset -c` before the benchmark in run-nccl.sh of
 * container-engine-accelerators gpudirect-tcpx/nccl-config.yaml @0e5609b0, 2026-06-02, read 2026-12-01; the same in
 * cluster-toolkit examples/gke-a3-highgpu/nccl-config.yaml @1047080): the first 8 cores and their hyperthreads on each
 * NUMA node, i.e. none of TX_CORES / RX_CORES, so the ranks' main and proxy threads never take a core from the
 * plugin's flow-steering threads. The plugin then binds its own threads to TX_CORES / RX_CORES (an affinity set by
 * taskset does not limit the cores a thread may later bind itself to).
 */
export const NCCL_LAUNCHER_CORES = "0-7,104-111,52-59,156-163";

/** The cores the plugin's TX and RX threads are bound to (every NIC's), for checks against NCCL_LAUNCHER_CORES. */
export const TCPX_FLOW_CORES: readonly string[] = [...new Set([...TX_CORES, ...RX_CORES])];

export interface TcpxNames {
  /** The control (host) interface. */
  ctrl: string;
  /** The GPU NICs, in PCI order. */
  nics: string[];
  /** Where the receive-datapath manager serves its Unix sockets. */
  socketDir: string;
  /** `NCCL_ALGO`. */
  algo: "Ring" | "Ring,Tree";
}

function bindings(nics: string[], cores: readonly string[]): string {
  return nics.map((nic, i) => `${nic}:${cores[i % cores.length]}`).join(";");
}

/**
 * The NCCL settings of the TCPX plugin for the given names. `NCCL_NET` names the plugin (the network name its v7
 * interface registers) on both paths, although Google's GKE nccl-config.yaml leaves it unset: a plugin that fails to
 * load is then an NCCL error, not a quiet fall back to sockets that only the gate's floor would catch.
 */
export function tcpxNcclSettings({ ctrl, nics, socketDir, algo }: TcpxNames): Record<string, string> {
  return {
    NCCL_NET: "GPUDirectTCPX_v7",
    NCCL_GPUDIRECTTCPX_CTRL_DEV: ctrl,
    NCCL_GPUDIRECTTCPX_SOCKET_IFNAME: nics.join(","),
    NCCL_GPUDIRECTTCPX_UNIX_CLIENT_PREFIX: socketDir,
    NCCL_GPUDIRECTTCPX_PROGRAM_FLOW_STEERING_WAIT_MICROS: "500000",
    NCCL_GPUDIRECTTCPX_TX_BINDINGS: bindings(nics, TX_CORES),
    NCCL_GPUDIRECTTCPX_RX_BINDINGS: bindings(nics, RX_CORES),
    NCCL_ALGO: algo,
    NCCL_PROTO: "Simple",
    NCCL_CROSS_NIC: "0",
    NCCL_NET_GDR_LEVEL: "PIX",
    NCCL_P2P_PXN_LEVEL: "0",
    NCCL_DYNAMIC_CHUNK_SIZE: "524288",
    NCCL_P2P_NET_CHUNKSIZE: "524288",
    NCCL_P2P_PCI_CHUNKSIZE: "524288",
    NCCL_P2P_NVL_CHUNKSIZE: "1048576",
    NCCL_BUFFSIZE: "4194304",
    NCCL_NSOCKS_PERTHREAD: "4",
    NCCL_SOCKET_NTHREADS: "1",
  };
}
