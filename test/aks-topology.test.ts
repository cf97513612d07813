/**
 * AKS: NCCL gets the ND size's topology file, as Azure/aks-rdma-infiniband runs NCCL (tests/scenarios/k8s/templates/
 * mpi-job.yaml at 700dabb4, 2026-07-16: a ConfigMap mounted at /opt/nvidia-topology, NCCL_TOPO_FILE=
 * /opt/nvidia-topology/topo.xml, NCCL_NET_GDR_LEVEL=SYS), the file being azhpc-images' own (topology/ndv5-topo.xml and
 * ndv4-topo.xml at 8e9d055f, 2026-07-29; read 2026-11-30). The expected files below are checked byte for byte against
 * those files' first and last lines and their size.
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { ndTopology } from "../lib/fabric/index.js";
import { byName, container, envOf, run, privateEndpoint, runRecording, trainingJob } from "./helpers/offline.js";

const base = { cloud: "azure" as const, region: "eastus", orchestrator: "kubernetes" as const };
const training = (name: string, instanceType: string, region = base.region) => () =>
  new gpu.TrainingCluster(name, privateEndpoint({ ...base, region, gpu: { instanceType, nodes: 2 } } as gpu.TrainingClusterArgs));

describe("ND topology files", () => {
  it("ND H100 v5 and ND H200 v5: azhpc-images' ndv5-topo.xml (3305 bytes, 8 GPU + 8 HCA pairs on 2 NUMA nodes)", () => {
    for (const size of ["Standard_ND96isr_H100_v5", "Standard_ND96isr_H200_v5"]) {
      const t = ndTopology(size)!;
      expect(t.name).toBe("ndv5-topo.xml");
      expect(Buffer.byteLength(t.xml)).toBe(3305);
      expect(t.xml.split("\n")[1]).toBe('  <cpu numaid="0" affinity="00000000,0000ffff,ffffffff" arch="x86_64" vendor="GenuineIntel" familyid="6" modelid="143">');
      expect(t.xml).toContain('      <pci busid="0008:00:00.0" class="0x030200" link_speed="32.0 GT/s PCIe" link_width="16"/>\n      <pci busid="0104:00:00.0" class="0x020700"');
      expect(t.xml.match(/class="0x030200"/g)).toHaveLength(8);
      expect(t.xml.match(/class="0x020700"/g)).toHaveLength(8);
    }
  });

  it("ND A100 v4 sizes: azhpc-images' ndv4-topo.xml (2339 bytes, 4 NUMA nodes of 2 GPU + 2 HCA)", () => {
    for (const size of ["Standard_ND96asr_v4", "Standard_ND96amsr_A100_v4"]) {
      const t = ndTopology(size)!;
      expect(t.name).toBe("ndv4-topo.xml");
      expect(Buffer.byteLength(t.xml)).toBe(2339);
      expect(t.xml).toContain('  <cpu numaid="3" affinity="ffffff00,00000000,00000000" arch="x86_64" vendor="AuthenticAMD" familyid="23" modelid="49">');
    }
  });

  it("a size without InfiniBand has none", () => {
    expect(ndTopology("Standard_NC40ads_H100_v5")).toBeUndefined();
  });
});

describe("AKS training pods mount the topology file", () => {
  it("ND H100 v5: a ConfigMap with ndv5-topo.xml, mounted read-only at /opt/nvidia-topology, NCCL_TOPO_FILE and NCCL_NET_GDR_LEVEL=SYS; the Job waits for it", async () => {
    const { result, registrations } = await runRecording(training("topo", "Standard_ND96isr_H100_v5"));
    expect(result.error).toBeUndefined();
    const cm = byName(result, "kubernetes:core/v1:ConfigMap", "topo-nccl-topology");
    expect(cm.inputs.metadata).toMatchObject({ name: "gpu-cluster-nccl-topology", namespace: "topo" });
    expect(cm.inputs.data["topo.xml"]).toBe(ndTopology("Standard_ND96isr_H100_v5")!.xml);
    const job = trainingJob(result);
    const pod = job.inputs.spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: "nccl-topology", configMap: { name: "gpu-cluster-nccl-topology", items: [{ key: "topo.xml", path: "topo.xml" }] } });
    expect(container(job).volumeMounts).toContainEqual({ name: "nccl-topology", mountPath: "/opt/nvidia-topology", readOnly: true });
    expect(envOf(container(job))).toMatchObject({ NCCL_TOPO_FILE: "/opt/nvidia-topology/topo.xml", NCCL_NET_GDR_LEVEL: "SYS", NCCL_NET: "IB" });
    expect(registrations.get("topo-job")!.dependencies).toContain(cm.urn);
  });

  // azhpc-images sets NCCL_IGNORE_CPU_AFFINITY=1 next to NCCL_TOPO_FILE in the HPC image's /etc/nccl.conf for ND A100 v4
  // (components/customizations/ndv4.sh) and ND H100 / H200 v5 (ndv5.sh) at 8e9d055f (2026-07-29, read 2026-12-01).
  for (const [size, file, region] of [
    ["Standard_ND96asr_v4", "ndv4-topo.xml", "eastus"],
    ["Standard_ND96amsr_A100_v4", "ndv4-topo.xml", "eastus"],
    ["Standard_ND96isr_H100_v5", "ndv5-topo.xml", "eastus"],
    // Not offered in eastus (the catalog refuses it there).
    ["Standard_ND96isr_H200_v5", "ndv5-topo.xml", "eastus2"],
  ] as const) {
    it(`${size}: ${file} with NCCL_IGNORE_CPU_AFFINITY=1, as the HPC image's nccl.conf pairs them`, async () => {
      const result = await run(training("aff", size, region));
      expect(result.error).toBeUndefined();
      expect(byName(result, "kubernetes:core/v1:ConfigMap", "aff-nccl-topology").inputs.metadata.annotations).toEqual({ "gpu-cluster/topology": file });
      expect(envOf(container(trainingJob(result)))).toMatchObject({ NCCL_TOPO_FILE: "/opt/nvidia-topology/topo.xml", NCCL_IGNORE_CPU_AFFINITY: "1" });
    });
  }

  it("an inference fleet on an ND size (one node, no collectives across nodes) gets no topology mount", async () => {
    const result = await run(() =>
      new gpu.InferenceFleet("serve", privateEndpoint({ ...base, gpu: { instanceType: "Standard_ND96isr_H100_v5" }, replicas: { min: 1, max: 2 } } as gpu.InferenceFleetArgs)),
    );
    expect(result.error).toBeUndefined();
    expect(result.resources.filter((r) => r.type === "kubernetes:core/v1:ConfigMap" && r.name.endsWith("nccl-topology"))).toHaveLength(0);
  });
});
