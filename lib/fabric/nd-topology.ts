/**
 * NCCL topology files for Azure ND VMs. Under Hyper-V the guest sees the GPUs and the InfiniBand HCAs on synthetic
 * PCI buses with no common switch, so NCCL's own topology search finds no GPU-to-NIC path and turns GPUDirect RDMA
 * off. Microsoft's HPC image writes a topology file and points `NCCL_TOPO_FILE` at it
 * (github.com/Azure/azhpc-images components/customizations/ndv5.sh and topology/ndv5-topo.xml at 8e9d055f,
 * 2026-07-29); AKS nodes run the AKS image, which has none, so Azure/aks-rdma-infiniband mounts the same files into
 * the pods from a ConfigMap at /opt/nvidia-topology/topo.xml and sets `NCCL_NET_GDR_LEVEL=SYS`
 * (tests/scenarios/k8s/templates/mpi-job.yaml, values.yaml and util.sh at 700dabb4, 2026-07-16; all read 2026-11-30).
 *
 * The files are built here from the facts they hold: per NUMA node, its CPU affinity mask and the GPU / HCA pairs
 * behind each PCIe bridge, with their bus ids.
 */

/** Where the pods find the file (the path Azure/aks-rdma-infiniband uses). */
export const ND_TOPOLOGY_MOUNT = { configMap: "gpu-cluster-nccl-topology", volume: "nccl-topology", dir: "/opt/nvidia-topology", file: "topo.xml" } as const;

interface CpuNode {
  numaid: number;
  affinity: string;
  /** One entry per PCIe bridge: its bus id and the devices behind it (GPU `g:<busid>`, HCA `n:<busid>`). */
  bridges: { busid: string; devices: string[] }[];
}

interface NdLayout {
  /** Attributes of the <cpu> elements. */
  cpu: { vendor: string; familyid: number; modelid: number };
  /** Link attributes of every PCI element. */
  link: { speed: string; width: number };
  /** ND v5 bridges carry zeroed vendor / device ids; ND v4's carry none. */
  bridgeIds: boolean;
  nodes: CpuNode[];
}

const GPU_CLASS = "0x030200";
const IB_CLASS = "0x020700";
const BRIDGE_CLASS = "0x060400";

/** ND H100 v5 / ND H200 v5: 2 NUMA nodes (Sapphire Rapids), 8 bridges each holding one GPU and its HCA. azhpc-images topology/ndv5-topo.xml. */
const NDV5: NdLayout = {
  cpu: { vendor: "GenuineIntel", familyid: 6, modelid: 143 },
  link: { speed: "32.0 GT/s PCIe", width: 16 },
  bridgeIds: true,
  nodes: [
    {
      numaid: 0,
      affinity: "00000000,0000ffff,ffffffff",
      bridges: [
        { busid: "ffff:ff:01.0", devices: ["g:0001:00:00.0", "n:0101:00:00.0"] },
        { busid: "ffff:ff:02.0", devices: ["g:0002:00:00.0", "n:0102:00:00.0"] },
        { busid: "ffff:ff:03.0", devices: ["g:0003:00:00.0", "n:0103:00:00.0"] },
        { busid: "ffff:ff:04.0", devices: ["g:0008:00:00.0", "n:0104:00:00.0"] },
      ],
    },
    {
      numaid: 1,
      affinity: "ffffffff,ffff0000,00000000",
      bridges: [
        { busid: "ffff:ff:05.0", devices: ["g:0009:00:00.0", "n:0105:00:00.0"] },
        { busid: "ffff:ff:06.0", devices: ["g:000a:00:00.0", "n:0106:00:00.0"] },
        { busid: "ffff:ff:07.0", devices: ["g:000b:00:00.0", "n:0107:00:00.0"] },
        { busid: "ffff:ff:08.0", devices: ["g:000c:00:00.0", "n:0108:00:00.0"] },
      ],
    },
  ],
};

/** ND A100 v4 / NDm A100 v4: 4 NUMA nodes (Rome), one bridge each holding two GPUs and two HCAs. azhpc-images topology/ndv4-topo.xml. */
const NDV4: NdLayout = {
  cpu: { vendor: "AuthenticAMD", familyid: 23, modelid: 49 },
  link: { speed: "16 GT/s", width: 16 },
  bridgeIds: false,
  nodes: [
    { numaid: 0, affinity: "00000000,00000000,00ffffff", bridges: [{ busid: "ffff:ff:01.0", devices: ["g:0003:00:00.0", "n:0103:00:00.0", "g:0004:00:00.0", "n:0104:00:00.0"] }] },
    { numaid: 1, affinity: "00000000,0000ffff,ff000000", bridges: [{ busid: "ffff:ff:02.0", devices: ["g:0001:00:00.0", "n:0101:00:00.0", "g:0002:00:00.0", "n:0102:00:00.0"] }] },
    { numaid: 2, affinity: "000000ff,ffff0000,00000000", bridges: [{ busid: "ffff:ff:03.0", devices: ["g:000d:00:00.0", "n:0107:00:00.0", "g:000e:00:00.0", "n:0108:00:00.0"] }] },
    { numaid: 3, affinity: "ffffff00,00000000,00000000", bridges: [{ busid: "ffff:ff:04.0", devices: ["g:000b:00:00.0", "n:0105:00:00.0", "g:000c:00:00.0", "n:0106:00:00.0"] }] },
  ],
};

/** VM sizes → layout (the ND generations the catalog sells with InfiniBand). */
const LAYOUTS: { match: RegExp; name: string; layout: NdLayout }[] = [
  { match: /^Standard_ND96isr_(H100|H200)_v5$/, name: "ndv5", layout: NDV5 },
  { match: /^Standard_ND96am?sr(_A100)?_v4$/, name: "ndv4", layout: NDV4 },
];

/** The ND topology family of a size (`ndv5`, `ndv4`), or undefined for a size without one. */
export function ndFamily(vmSize: string): string | undefined {
  return LAYOUTS.find((l) => l.match.test(vmSize))?.name;
}

/** The topology of an ND size (its file name and XML), or undefined for a size without one. */
export function ndTopology(vmSize: string): { name: string; xml: string } | undefined {
  const hit = LAYOUTS.find((l) => l.match.test(vmSize));
  return hit ? { name: `${hit.name}-topo.xml`, xml: topologyXml(hit.layout) } : undefined;
}

function topologyXml(layout: NdLayout): string {
  const link = `link_speed="${layout.link.speed}" link_width="${layout.link.width}"`;
  const ids = layout.bridgeIds ? ' vendor="0x0000" device="0x0000" subsystem_vendor="0x0000" subsystem_device="0x0000"' : "";
  const lines = ['<system version="1">'];
  for (const node of layout.nodes) {
    const { vendor, familyid, modelid } = layout.cpu;
    lines.push(`  <cpu numaid="${node.numaid}" affinity="${node.affinity}" arch="x86_64" vendor="${vendor}" familyid="${familyid}" modelid="${modelid}">`);
    for (const bridge of node.bridges) {
      lines.push(`    <pci busid="${bridge.busid}" class="${BRIDGE_CLASS}" ${link}${ids}>`);
      for (const device of bridge.devices) {
        const busid = device.slice(2);
        lines.push(`      <pci busid="${busid}" class="${device.startsWith("g:") ? GPU_CLASS : IB_CLASS}" ${link}/>`);
      }
      lines.push("    </pci>");
    }
    lines.push("  </cpu>");
  }
  lines.push("</system>");
  return lines.join("\n") + "\n";
}
