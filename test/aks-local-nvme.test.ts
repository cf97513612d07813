/**
 * Local NVMe on AKS GPU nodes (lib/clouds/azure/aks/local-nvme.ts). Sources, read 2026-11-30:
 * - local disk per size: the catalog's localNvmeGiB (ND A100 v4 6000 / 6400 GiB, ND H100 v5 28000, ND H200 v5 28672);
 * - the recipe and mount point: Azure/azhpc-images components/customizations/setup_nvme.sh @8e9d055f (2026-07-29):
 *   mdadm RAID0 over /dev/nvme*n1, XFS, /mnt/resource_nvme — the Azure VMs' lines (shared/local-nvme.ts), reused;
 * - what AKS offers instead, and why it does not fit: `kubeletDiskType` (OS | Temporary, prerelease:
 *   https://learn.microsoft.com/javascript/api/@azure/arm-containerservice/knownkubeletdisktype), ephemeral OS disk
 *   placement `NvmeDisk` (https://learn.microsoft.com/javascript/api/@azure/arm-compute/knowndiffdiskplacement), Azure
 *   Container Storage local NVMe (per-pod ephemeral volumes:
 *   https://learn.microsoft.com/azure/storage/container-storage/use-container-storage-with-local-disk);
 * - the DaemonSet's shape (privileged, system-node-critical, on the GPU nodes): Azure/aks-rdma-infiniband
 *   configs/nvidia-peermem-reloader/ds.yaml @700dabb4 (2026-07-16), which itself does no NVMe setup.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { aksLocalNvmeManifest, aksLocalNvmeScript } from "../lib/clouds/azure/aks/local-nvme.js";
import type { WorkloadNames } from "../lib/clouds/kubernetes/names.js";
import { byName, container, ofType, run, runRecording, privateEndpoint, trainingJob } from "./helpers/offline.js";

const DAEMONSET = "kubernetes:apps/v1:DaemonSet";
const base = { cloud: "azure" as const, region: "eastus", orchestrator: "kubernetes" as const };
const UBUNTU = "ubuntu:22.04@sha256:3b06811b2afd352be909dd088a004166d665dc76d38b13eada33522a9d915c6f";

function training(name: string, instanceType: string, extra: Partial<gpu.TrainingClusterArgs> = {}) {
  return () => new gpu.TrainingCluster(name, privateEndpoint({ ...base, gpu: { instanceType, nodes: 2 }, ...extra } as gpu.TrainingClusterArgs));
}

/** `bash -n` on a script: the shell parses it (nothing runs). */
function bashSyntax(script: string): { status: number | null; stderr: string } {
  const file = join(mkdtempSync(join(tmpdir(), "aks-nvme-")), "setup.sh");
  writeFileSync(file, script);
  const r = spawnSync("bash", ["-n", file], { encoding: "utf8" });
  return { status: r.status, stderr: r.stderr };
}

describe("AKS ND H100 v5: a privileged DaemonSet stripes the NVMe disks at /mnt/resource_nvme", () => {
  it("the DaemonSet: pinned image, privileged setup in the node's namespaces, this pool only, its taints tolerated", async () => {
    const result = await run(training("nv", "Standard_ND96isr_H100_v5"));
    expect(result.error).toBeUndefined();
    const ds = byName(result, DAEMONSET, "nv-local-nvme");
    expect(ds.inputs.metadata).toMatchObject({ name: "nv-local-nvme", namespace: "kube-system" });
    const spec = ds.inputs.spec.template.spec;
    // The GPU pool's own label (its AgentPool sets it), the value the training pods select.
    const pool = ofType(result, "azure-native:containerservice:AgentPool")[0]!;
    expect(spec.nodeSelector).toEqual({ "gpu-cluster/pool": pool.inputs.nodeLabels["gpu-cluster/pool"] });
    expect(spec.nodeSelector["gpu-cluster/pool"]).toBe("nv-pool");
    expect(spec.tolerations).toEqual([{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]);
    expect(spec.priorityClassName).toBe("system-node-critical");
    expect(spec.hostPID).toBe(true);
    expect(spec.automountServiceAccountToken).toBe(false);
    const [setup] = spec.initContainers;
    expect(setup.image).toBe(UBUNTU);
    expect(setup.image).toMatch(/@sha256:[0-9a-f]{64}$/);
    expect(setup.securityContext).toEqual({ privileged: true });
    expect(setup.command.slice(0, 10)).toEqual(["nsenter", "--target", "1", "--mount", "--uts", "--ipc", "--net", "--pid", "--", "/bin/bash"]);
    const script: string = setup.command[11];
    expect(script).toContain("# Local NVMe (28000 GiB): RAID0 at /mnt/resource_nvme, container images on it.");
    expect(script).toContain("for d in $(ls /dev/nvme*n1 2>/dev/null); do");
    expect(script).toContain(`mount -o noatime "$md" '/mnt/resource_nvme'`);
    // ND sizes promise their disks: none found is a failed setup, never scratch on the OS disk.
    expect(script).toContain("        fail 'no blank local NVMe disks found for /mnt/resource_nvme'");
    expect(script).toContain("mkdir -p '/mnt/resource_nvme/scratch' && chmod 1777 '/mnt/resource_nvme/scratch'");
    // The pods' directory comes after the mount check, so it only ever exists on the array.
    expect(script.indexOf("mountpoint -q '/mnt/resource_nvme' || fail")).toBeLessThan(script.indexOf("mkdir -p '/mnt/resource_nvme/scratch'"));
    expect(bashSyntax(script)).toEqual({ status: 0, stderr: "" });
    // The pod that holds Ready: no privilege at all.
    const [ready] = spec.containers;
    expect(ready.image).toBe(UBUNTU);
    expect(ready.securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
  });

  it("the training pods mount the directory on the array at /scratch, as a hostPath that must already exist", async () => {
    const { result, registrations } = await runRecording(training("nv", "Standard_ND96isr_H100_v5"));
    expect(result.error).toBeUndefined();
    const job = trainingJob(result);
    expect(job.inputs.spec.template.spec.volumes).toContainEqual({ name: "scratch", hostPath: { path: "/mnt/resource_nvme/scratch", type: "Directory" } });
    expect(container(job).volumeMounts).toContainEqual({ name: "scratch", mountPath: "/scratch" });
    // The Job waits for the DaemonSet (Ready on every node = every array mounted); the DaemonSet for the pool.
    const ds = byName(result, DAEMONSET, "nv-local-nvme");
    const pool = ofType(result, "azure-native:containerservice:AgentPool")[0]!;
    expect(registrations.get(job.name)!.dependencies).toContain(ds.urn);
    expect(registrations.get("nv-local-nvme")!.dependencies).toContain(pool.urn);
  });

  it("spot pools: the DaemonSet tolerates AKS's spot taint too", () => {
    const plan = gpu.planCluster({ ...base, gpu: { instanceType: "Standard_ND96isr_H100_v5", nodes: 2 } });
    const names = { base: "sp", nodePool: "sp-pool", labels: {} } as unknown as WorkloadNames;
    const manifest = aksLocalNvmeManifest({ ...plan, pricing: "spot" }, names) as { spec: { template: { spec: { tolerations: unknown } } } };
    expect(manifest.spec.template.spec.tolerations).toEqual([
      { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" },
      { key: "kubernetes.azure.com/scalesetpriority", operator: "Exists", effect: "NoSchedule" },
    ]);
  });
});

describe("every ND size with NVMe, from the catalog", () => {
  it.each([
    ["Standard_ND96isr_H200_v5", "eastus2", 28672],
    ["Standard_ND96asr_v4", "eastus", 6000],
    ["Standard_ND96amsr_A100_v4", "eastus", 6400],
  ] as const)("%s (%s): %i GiB striped", (instanceType, region, gib) => {
    const plan = gpu.planCluster({ ...base, region, gpu: { instanceType, nodes: 2 } });
    const script = aksLocalNvmeScript(plan);
    expect(script).toContain(`# Local NVMe (${gib} GiB): RAID0 at /mnt/resource_nvme`);
    expect(bashSyntax(script).status).toBe(0);
  });
});

describe("sizes without local NVMe get none of it", () => {
  it("NC40ads H100 v5 fleet (its local disk may be the SCSI temp disk): no DaemonSet, no /scratch in the pods", async () => {
    const result = await run(() =>
      new gpu.InferenceFleet("nc", privateEndpoint({ ...base, gpu: { instanceType: "Standard_NC40ads_H100_v5" }, replicas: { min: 1, max: 2 } } as gpu.InferenceFleetArgs)),
    );
    expect(result.error).toBeUndefined();
    expect(ofType(result, DAEMONSET).filter((r) => r.name.endsWith("-local-nvme"))).toEqual([]);
    const deployment = ofType(result, "kubernetes:apps/v1:Deployment")[0]!;
    expect(deployment.inputs.spec.template.spec.volumes.map((v: { name: string }) => v.name)).not.toContain("scratch");
    expect(container(deployment).volumeMounts.map((m: { mountPath: string }) => m.mountPath)).not.toContain("/scratch");
  });

  it("an ND size whose catalog row had no local disk: no script", () => {
    const plan = gpu.planCluster({ ...base, gpu: { instanceType: "Standard_ND96isr_H100_v5", nodes: 2 } });
    expect(aksLocalNvmeScript({ ...plan, instance: { ...plan.instance, localNvmeGiB: 0 } })).toBe("");
  });

  it("a user volume already at /scratch wins: the pods get no second one", async () => {
    const result = await run(training("own", "Standard_ND96isr_H100_v5", { storage: [{ kind: "nfs", capacityTiB: 4, mountPath: "/scratch" }] } as Partial<gpu.TrainingClusterArgs>));
    expect(result.error).toBeUndefined();
    const mounts = container(trainingJob(result)).volumeMounts.filter((m: { mountPath: string }) => m.mountPath === "/scratch");
    expect(mounts).toHaveLength(1);
    expect(mounts[0].name).not.toBe("scratch");
  });
});

/**
 * The setup script run for real against stand-ins: the node's tools (mountpoint, mdadm, ls of the NVMe devices,
 * apt-get, logger) are stubs on PATH, and the script's two host paths (/mnt/resource_nvme, /var/lib/gpu-cluster)
 * point into a temporary folder, so nothing on this machine is touched.
 */
function runSetup(mounted: boolean): { status: number | null; stderr: string; root: string } {
  const root = mkdtempSync(join(tmpdir(), "aks-nvme-run-"));
  const bin = join(root, "bin");
  mkdirSync(bin);
  const stub = (name: string, body: string) => writeFileSync(join(bin, name), `#!/bin/bash\n${body}\n`, { mode: 0o755 });
  stub("mountpoint", `exit ${mounted ? 0 : 1}`);
  stub("ls", "exit 0"); // no /dev/nvme*n1 on this node
  // Each array tool records its call, so a test sees what was (not) run.
  for (const tool of ["mdadm", "mkfs.xfs", "udevadm", "blkid"]) stub(tool, `echo "${tool} $*" >> ${JSON.stringify(join(root, "calls"))}`);
  for (const tool of ["apt-get", "logger"]) stub(tool, "exit 0");
  const plan = gpu.planCluster({ ...base, gpu: { instanceType: "Standard_ND96isr_H100_v5", nodes: 2 } });
  const script = aksLocalNvmeScript(plan).replaceAll("/mnt/resource_nvme", join(root, "nvme")).replaceAll("/var/lib/gpu-cluster", join(root, "state"));
  const r = spawnSync("bash", ["-c", script], { encoding: "utf8", env: { PATH: `${bin}:/usr/bin:/bin` } });
  return { status: r.status, stderr: r.stderr, root };
}

describe("the setup script, run", () => {
  it("an array already mounted (a DaemonSet pod restarted): nothing rebuilt, the pods' directory made, world-writable with the sticky bit", () => {
    const { status, root } = runSetup(true);
    expect(status).toBe(0);
    expect(statSync(join(root, "nvme", "scratch")).mode & 0o7777).toBe(0o1777);
    expect(existsSync(join(root, "calls"))).toBe(false);
  });

  it("no blank NVMe disk on an ND node: the setup fails naming the mount point, and the pods' directory is never made", () => {
    const { status, stderr, root } = runSetup(false);
    expect(status).toBe(1);
    expect(stderr).toContain(`gpu-cluster: BOOTSTRAP FAILED: no blank local NVMe disks found for ${join(root, "nvme")}`);
    expect(existsSync(join(root, "nvme", "scratch"))).toBe(false);
    // It looked for our array by name and tried to assemble one, and created nothing.
    expect(readFileSync(join(root, "calls"), "utf8")).toBe("mdadm --detail --scan\nmdadm --assemble --scan\nmdadm --detail --scan\n");
  });
});
