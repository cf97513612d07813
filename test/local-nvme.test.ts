/**
 * Local NVMe as scratch and container storage, on every path this library builds nodes for (read 2026-11-30):
 * - instance store size per type: the catalog's localNvmeGiB (EC2's instance-local-nvme label, Karpenter's generated
 *   instance-type reference: 30400 GB on p5 / p5en / p6-b200); ND H100 / H200 v5: 28000 / 28672 GiB (catalog);
 * - AWS VMs: RAID0 of the "Amazon EC2 NVMe Instance Storage" devices at /scratch;
 * - Azure VMs: RAID0 of /dev/nvme*n1 at /mnt/resource_nvme, as azhpc-images' setup_nvme.sh (8e9d055f);
 * - EKS: nodeadm `localStorage: strategy: RAID0` (amazon-eks-ami nodeadm/doc/api.md; terraform-aws-eks tests), and an
 *   emptyDir at /scratch in the pods.
 * - CoreWeave (CKS): the Node's own encrypted NVMe RAID at /mnt/local already holds "Pod container filesystems ... and
 *   Kubernetes emptyDir volumes" (https://docs.coreweave.com/products/storage/local-storage, read 2026-12-01), so the
 *   pods get an emptyDir at /scratch, with no ephemeral-storage request that could keep them Pending.
 */
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { catalog } from "gpu-cluster";
import { userDataScript } from "../lib/clouds/aws/bootstrap.js";
import { customDataScript } from "../lib/clouds/azure/bootstrap.js";
import { nodeadmUserData } from "../lib/clouds/aws/eks/launch-template.js";
import { byName, container, one, run, privateEndpoint, T, trainingJob } from "./helpers/offline.js";

const gib = (gb: number) => (gb * 1e9) / 2 ** 30;

describe("local NVMe size per type (catalog)", () => {
  it.each([
    ["aws", "p5.48xlarge", gib(30400)],
    ["aws", "p5en.48xlarge", gib(30400)],
    ["aws", "p6-b200.48xlarge", gib(30400)],
    ["aws", "p4d.24xlarge", gib(8000)],
    ["azure", "Standard_ND96isr_H100_v5", 28000],
    ["azure", "Standard_ND96isr_H200_v5", 28672],
  ] as const)("%s %s: %f GiB", (cloud, type, expected) => {
    expect(catalog.instance(cloud, type)?.localNvmeGiB).toBeCloseTo(expected, 6);
  });
});

describe("AWS VMs: instance store RAID0 at /scratch, Docker on it, before the storage mounts", () => {
  it("p5: the per-boot mount script builds the array from instance-store devices only and mounts it, then Lustre", () => {
    const plan = gpu.planCluster({ cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 }, storage: [{ kind: "lustre", capacityTiB: 2.4, mountPath: "/fsx" }] });
    const script = userDataScript(plan, { [plan.storage[0]!.name]: "fs-1.fsx.us-east-1.amazonaws.com@tcp:/abcd" });
    expect(script).toContain("# Local NVMe (28312 GiB): RAID0 at /scratch, container images on it.");
    // The Deep Learning AMI's own array at /opt/dlami/nvme is used when it is there (waited for on /opt/dlami).
    expect(script).toContain("if [ -d '/opt/dlami' ]; then for i in $(seq 60); do mountpoint -q '/opt/dlami/nvme' && break; sleep 2; done; fi");
    expect(script).toContain("mkdir -p '/scratch' && mount --bind '/opt/dlami/nvme' '/scratch'");
    // Otherwise only blank, unused instance-store disks are striped.
    expect(script).toContain(
      `devs=$(for d in $(lsblk -dpno NAME,MODEL | awk '/Amazon EC2 NVMe Instance Storage/ {print $1}'); do [ -b "$d" ] && ! blkid "$d" >/dev/null 2>&1 && [ "$(lsblk -no NAME "$d" | wc -l)" -eq 1 ] && echo "$d"; done)`,
    );
    expect(script).toContain('mdadm --create "$md" --name=gpu-cluster-scratch --run --force --level=0 --raid-devices="$n" $devs');
    expect(script).toContain(`mount -o noatime "$md" '/scratch'`);
    expect(script).toContain("mount --bind '/scratch/docker' /var/lib/docker");
    // Inside the per-boot script (instance store is blank after a stop / start), and before the Lustre mount.
    const perBoot = script.slice(script.indexOf("<<'MOUNTS'"), script.indexOf("\nMOUNTS\n"));
    expect(perBoot.indexOf("RAID0 at /scratch")).toBeGreaterThan(0);
    expect(perBoot.indexOf("RAID0 at /scratch")).toBeLessThan(perBoot.indexOf("mount -t lustre"));
  });
});

describe("AWS VMs on your own AMI", () => {
  it("p5 with aws.amiId: no instance-store disks left blank is not a failed boot (the AMI may use them itself)", async () => {
    const result = await run(() => new gpu.TrainingCluster("own", { cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 }, aws: { amiId: "ami-0123456789abcdef0" } }));
    expect(result.error).toBeUndefined();
    const script = Buffer.from(one(result, T.lt).inputs.userData, "base64").toString("utf8");
    expect(script).toContain("        echo 'gpu-cluster: no blank local NVMe disks; /scratch is not created' >&2");
    expect(script).not.toContain("fail 'no blank local NVMe disks");
  });

  it("p5 on the Deep Learning AMI (default): the disks are promised, so none is a failed boot", () => {
    const plan = gpu.planCluster({ cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 } });
    expect(userDataScript(plan, {})).toContain("        fail 'no blank local NVMe disks found for /scratch'");
  });
});

describe("Azure VMs: ND NVMe RAID0 at /mnt/resource_nvme", () => {
  it("ND H100 v5: /dev/nvme*n1 striped and mounted at /mnt/resource_nvme", () => {
    const plan = gpu.planCluster({ cloud: "azure", region: "eastus", gpu: { instanceType: "Standard_ND96isr_H100_v5", nodes: 2 } });
    const script = customDataScript(plan, {});
    expect(script).toContain("# Local NVMe (28000 GiB): RAID0 at /mnt/resource_nvme, container images on it.");
    expect(script).toContain("for d in $(ls /dev/nvme*n1 2>/dev/null); do");
    expect(script).not.toContain("/opt/dlami");
    expect(script).toContain(`mount -o noatime "$md" '/mnt/resource_nvme'`);
  });

  it("ND H100 v5 must have its disks: none is a failed boot naming the mount point", () => {
    const plan = gpu.planCluster({ cloud: "azure", region: "eastus", gpu: { instanceType: "Standard_ND96isr_H100_v5", nodes: 2 } });
    expect(customDataScript(plan, {})).toContain("        fail 'no blank local NVMe disks found for /mnt/resource_nvme'");
  });

  it("NC40ads H100 v5 (its local disk may be a SCSI temp disk): the same array when blank NVMe disks are there, else the boot goes on", () => {
    const plan = gpu.planFleet({ cloud: "azure", region: "eastus", gpu: { instanceType: "Standard_NC40ads_H100_v5" }, replicas: { min: 1, max: 2 } });
    const script = customDataScript(plan, {});
    expect(script).toContain("# Local NVMe (3576 GiB): RAID0 at /mnt/resource_nvme, container images on it.");
    expect(script).toContain("        echo 'gpu-cluster: no blank local NVMe disks; /mnt/resource_nvme is not created' >&2");
    expect(script).not.toContain("fail 'no blank local NVMe disks");
  });
});

describe("EKS: nodeadm RAID0 and a /scratch emptyDir", () => {
  it("p5 node group: the launch template's user data is the nodeadm NodeConfig with localStorage RAID0; pods mount /scratch", async () => {
    const result = await run(() =>
      new gpu.TrainingCluster("nv", privateEndpoint({ cloud: "aws", region: "us-east-1", orchestrator: "kubernetes", gpu: { instanceType: "p5.48xlarge", nodes: 2 } } as gpu.TrainingClusterArgs)),
    );
    expect(result.error).toBeUndefined();
    const userData = Buffer.from(byName(result, T.lt, "nv-lt").inputs.userData, "base64").toString("utf8");
    expect(userData).toBe(
      'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="GPUCLUSTER"\n\n--GPUCLUSTER\nContent-Type: application/node.eks.aws\n\n---\n' +
        "apiVersion: node.eks.aws/v1alpha1\nkind: NodeConfig\nspec:\n  instance:\n    localStorage:\n      strategy: RAID0\n\n--GPUCLUSTER--\n",
    );
    const job = trainingJob(result);
    expect(job.inputs.spec.template.spec.volumes).toContainEqual({ name: "scratch", emptyDir: {} });
    expect(container(job).volumeMounts).toContainEqual({ name: "scratch", mountPath: "/scratch" });
  });

  it("a type without instance store gets no user data", () => {
    const plan = gpu.planCluster({ cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 } });
    expect(nodeadmUserData({ ...plan, instance: { ...plan.instance, localNvmeGiB: 0 } })).toBeUndefined();
  });
});

const JOB = "kubernetes:batch/v1:Job";

describe("CoreWeave: /scratch is an emptyDir on the Node's NVMe RAID", () => {
  it("gd-8xh100ib-i128: the training pods and the fabric check's pods mount it, with no ephemeral-storage request", async () => {
    const result = await run(() => new gpu.TrainingCluster("cws", { cloud: "coreweave", region: "US-EAST-04", gpu: { instanceType: "gd-8xh100ib-i128", nodes: 2 } } as gpu.TrainingClusterArgs));
    expect(result.error).toBeUndefined();
    for (const name of ["cws-job", "cws-nccl-check"]) {
      const job = byName(result, JOB, name);
      expect(job.inputs.spec.template.spec.volumes, name).toContainEqual({ name: "scratch", emptyDir: {} });
      expect(container(job).volumeMounts, name).toContainEqual({ name: "scratch", mountPath: "/scratch" });
      // Neither a request nor a limit: a figure above the Node's allocatable ephemeral storage would leave the pods Pending.
      expect(Object.keys(container(job).resources.requests), name).not.toContain("ephemeral-storage");
      expect(Object.keys(container(job).resources.limits), name).not.toContain("ephemeral-storage");
    }
  });

  it("a user volume at /scratch replaces it (two mounts at one path would make the pod invalid)", async () => {
    const result = await run(() =>
      new gpu.TrainingCluster("cwu", {
        cloud: "coreweave",
        region: "US-EAST-04",
        gpu: { instanceType: "gd-8xh100ib-i128", nodes: 2 },
        storage: [{ kind: "nfs", capacityTiB: 1, mountPath: "/scratch" }],
      } as gpu.TrainingClusterArgs),
    );
    expect(result.error).toBeUndefined();
    const job = byName(result, JOB, "cwu-job");
    expect(container(job).volumeMounts.filter((m: { mountPath: string }) => m.mountPath === "/scratch")).toHaveLength(1);
    expect(job.inputs.spec.template.spec.volumes).not.toContainEqual({ name: "scratch", emptyDir: {} });
  });
});
