/**
 * GKE accelerator type of each GPU machine series: the node pool names it (`guestAccelerator.type`) even where the
 * machine bundles its GPUs, because GKE installs the driver and labels the nodes (`cloud.google.com/gke-accelerator`)
 * from it. Sources: https://cloud.google.com/kubernetes-engine/docs/how-to/gpus (read 2026-11-25); G4:
 * GoogleCloudPlatform/cluster-toolkit examples/gke-g4/gke-g4.yaml `guest_accelerator.type: nvidia-rtx-pro-6000`
 * @1047080375afbb44da4b596be314634e7486af4a (2026-06-25, read 2026-12-01).
 */
import { SpecError } from "../../../spec/errors.js";

const ACCELERATORS: [prefix: string, type: string][] = [
  ["a4-highgpu-", "nvidia-b200"],
  ["a3-ultragpu-", "nvidia-h200-141gb"],
  ["a3-megagpu-", "nvidia-h100-mega-80gb"],
  ["a3-highgpu-", "nvidia-h100-80gb"],
  ["a3-edgegpu-", "nvidia-h100-80gb"],
  ["a2-ultragpu-", "nvidia-a100-80gb"],
  ["a2-highgpu-", "nvidia-tesla-a100"],
  ["a2-megagpu-", "nvidia-tesla-a100"],
  ["g4-standard-", "nvidia-rtx-pro-6000"],
  ["g2-", "nvidia-l4"],
];

/** The GKE accelerator type of a machine type, or undefined where none is known. */
export function gkeAcceleratorType(machineType: string): string | undefined {
  return ACCELERATORS.find(([prefix]) => machineType.startsWith(prefix))?.[1];
}

/** Refuses, before anything is created, a GKE plan whose machine type has no known accelerator type. Throws SpecError. */
export function checkGkeAccelerator(instanceType: string): void {
  if (gkeAcceleratorType(instanceType) !== undefined) return;
  const known = ACCELERATORS.map(([prefix]) => `${prefix}*`).join(", ");
  throw new SpecError(
    "gpu.instanceType",
    `'${instanceType}' has no GKE accelerator type known to gpu-cluster, so its GKE node pool cannot name its GPUs`,
    `use a machine series GKE takes here (${known}), or orchestrator 'vm'`,
  );
}
