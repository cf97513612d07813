/**
 * The instance template every node starts from: the machine type (A2/A3/A4/G2 bundle
 * their GPUs, so no guest accelerators), one NIC per network of the plan (gVNIC, or
 * MRDMA on the RoCE network) and none with an external address, TERMINATE on host
 * maintenance (GPU VMs cannot live-migrate), Shielded VM, OS Login, the nodes' own
 * service account, the boot disk the bill carries (its size and type), one data disk per
 * billed `block` volume, and the pricing model (Spot, or a specific reservation).
 */
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/gcp/compute";
import type { Plan } from "../../planner/types.js";
import type { CompileContext } from "../types.js";
import type { NodeNic } from "./network.js";
import { GCP_DEFAULTS, seriesFacts, type GcpOptions } from "./options.js";
import { blockDeviceName } from "./storage.js";
import { billedGpuNodeGroup, billedNodeDisk, billedStorage } from "../shared/bill.js";

export interface TemplateInputs {
  nics: NodeNic[];
  serviceAccountEmail: pulumi.Output<string>;
  startupScript: pulumi.Output<string>;
  labels: Record<string, string>;
  /**
   * Let the node publish guest attributes (`enable-guest-attributes`), which the fabric gate's result travels in
   * (fabric-gate.ts). Default false.
   */
  guestAttributes?: boolean;
  /** Compact placement policy to put in the template (series without workload policies). */
  placementPolicy?: pulumi.Output<string>;
}

/** Scheduling and reservation settings of the plan's pricing model. */
export function schedulingOf(plan: Plan): { scheduling: compute.InstanceTemplateArgs["scheduling"]; reservationAffinity?: compute.InstanceTemplateArgs["reservationAffinity"] } {
  const series = seriesFacts(plan.instanceType);
  if (plan.pricing === "spot") {
    return {
      scheduling: {
        provisioningModel: "SPOT",
        preemptible: true,
        automaticRestart: false,
        onHostMaintenance: "TERMINATE",
        // A preempted training node is replaced by the MIG; its disks go with it.
        instanceTerminationAction: "DELETE",
      },
    };
  }
  if (plan.reservationId !== undefined) {
    return {
      scheduling: {
        provisioningModel: series.reservationBound ? "RESERVATION_BOUND" : "STANDARD",
        automaticRestart: true,
        onHostMaintenance: "TERMINATE",
      },
      reservationAffinity: {
        type: "SPECIFIC_RESERVATION",
        specificReservation: { key: "compute.googleapis.com/reservation-name", values: [plan.reservationId] },
      },
    };
  }
  return { scheduling: { provisioningModel: "STANDARD", automaticRestart: true, onHostMaintenance: "TERMINATE" } };
}

export function nodeTemplate(plan: Plan, options: GcpOptions, ctx: CompileContext, inputs: TemplateInputs): compute.InstanceTemplate {
  // The boot disk as billed: the bill's GPU `node-disk` item (lib/cost/bom/gcp-vm.ts), one per node.
  const disk = billedNodeDisk(ctx.bill, "gpu", "the GPU nodes' boot disks");
  const bootDisk = {
    boot: true,
    autoDelete: true,
    sourceImage: options.image ?? GCP_DEFAULTS.image,
    diskType: disk.diskType,
    diskSizeGb: disk.sizeGiB,
    labels: inputs.labels,
  };
  // One data disk per billed `block` entry, on every node.
  const dataDisks = billedStorage(plan.storage, ctx.bill).flatMap((s) =>
    s.kind === "block"
      ? [{ boot: false, autoDelete: true, deviceName: blockDeviceName(s.name), diskType: s.tier, diskSizeGb: s.capacityGiB, labels: inputs.labels }]
      : [],
  );
  const { scheduling, reservationAffinity } = schedulingOf(plan);
  // The machine type as billed: the bill's `gpu-nodes` item (lib/cost/bom/shared.ts), which the compute line prices.
  const { instanceType } = billedGpuNodeGroup(plan, ctx.bill);
  return new compute.InstanceTemplate(
    `${ctx.name}-template`,
    {
      description: `gpu-cluster ${ctx.name}: ${instanceType}${plan.fabric.kind !== "none" && plan.workload === "training" ? `, ${plan.fabric.nicsPerNode} × ${plan.fabric.kind}` : ""}`,
      machineType: instanceType,
      region: plan.region,
      labels: inputs.labels,
      disks: [bootDisk, ...dataDisks],
      // No accessConfigs: no NIC has an external address; outbound traffic goes through Cloud NAT.
      networkInterfaces: inputs.nics.map((nic) => ({ subnetwork: nic.subnetwork, nicType: nic.nicType, stackType: "IPV4_ONLY" })),
      scheduling,
      ...(reservationAffinity ? { reservationAffinity } : {}),
      // Secure Boot only loads signed kernel modules (https://cloud.google.com/compute/shielded-vm/docs/shielded-vm#secure-boot),
      // and the default Deep Learning VM image's NVIDIA modules are built by DKMS on the node, unsigned: with it on, the
      // driver never loads (https://cloud.google.com/compute/docs/gpus/install-drivers-gpu#secure-boot). Google's own A3 Ultra / A4 VM
      // blueprints (cluster-toolkit examples/machine-learning/a3-ultragpu-8g/a3ultra-vm.yaml, a4-highgpu-8g/a4high-vm.yaml
      // @10470803, 2026-06-25) leave Secure Boot at Compute Engine's default, off, and the Slurm node sets default to no
      // Shielded VM at all. So Secure Boot follows `gcp.secureBoot` (off by default; on for images with signed modules),
      // and vTPM and integrity monitoring (measured boot) stay on.
      shieldedInstanceConfig: { enableSecureBoot: options.secureBoot ?? GCP_DEFAULTS.secureBoot, enableVtpm: true, enableIntegrityMonitoring: true },
      serviceAccount: { email: inputs.serviceAccountEmail, scopes: ["https://www.googleapis.com/auth/cloud-platform"] },
      metadata: {
        "enable-oslogin": "TRUE",
        "block-project-ssh-keys": "TRUE",
        "startup-script": inputs.startupScript,
        ...(inputs.guestAttributes ? { "enable-guest-attributes": "TRUE" } : {}),
      },
      ...(inputs.placementPolicy ? { resourcePolicies: inputs.placementPolicy } : {}),
    },
    { parent: ctx.parent },
  );
}
