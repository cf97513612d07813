/**
 * GCP machine-series facts that decide what can be built (how capacity is
 * obtained, which disks attach, which placement policy a MIG takes), each with
 * the Google page it was read from. Used by validation (so estimate, compare
 * and the components agree) and by the GCP compiler.
 */

/** What the compiler needs to know about a machine series. */
export interface SeriesFacts {
  /** Boot / data disk types the series attaches (the first one is the boot disk type). */
  diskTypes: readonly string[];
  /** False when the series is not sold on demand: a reservation (or spot / flex-start) is the only way in. */
  onDemand: boolean;
  /** False when the series has no Spot VMs. */
  spot: boolean;
  /**
   * The series takes the flex-start provisioning model (Dynamic Workload Scheduler): "Flex-start VMs support all
   * accelerator-optimized machine types (except A4X and G4)" (https://cloud.google.com/compute/docs/instances/about-flex-start-vms, read 2026-12-01).
   */
  flexStart: boolean;
  /** Reservations of the series are future reservations consumed with the RESERVATION_BOUND provisioning model. */
  reservationBound: boolean;
  /** A MIG of the series takes a workload policy (HIGH_THROUGHPUT) for dense placement. */
  workloadPolicy: boolean;
  /** Where the facts were read. */
  source: string;
}

export const PD_DISK_TYPES = ["pd-balanced", "pd-ssd", "pd-standard", "hyperdisk-extreme"] as const;
const HYPERDISK = ["hyperdisk-balanced", "hyperdisk-extreme", "hyperdisk-ml"] as const;
const CONSUMPTION = "https://cloud.google.com/ai-hypercomputer/docs/consumption-models";
const PLACEMENT = "https://cloud.google.com/compute/docs/instances/placement-policies-overview (MIGs of A3 High 8-GPU and later: workload policies)";

/**
 * Per machine-type prefix. A3 Ultra and A4 boot from Hyperdisk Balanced (Google's A3 Ultra / A4
 * cluster blueprints use it; the series take no Persistent Disk) and are not sold on demand:
 * reservations through AI Hypercomputer, flex-start, or Spot.
 */
const SERIES: Record<string, SeriesFacts> = {
  "a4-": { diskTypes: HYPERDISK, onDemand: false, spot: true, flexStart: true, reservationBound: true, workloadPolicy: true, source: `${CONSUMPTION}; ${PLACEMENT}` },
  "a3-ultragpu-": { diskTypes: HYPERDISK, onDemand: false, spot: true, flexStart: true, reservationBound: true, workloadPolicy: true, source: `${CONSUMPTION}; ${PLACEMENT}` },
  "a3-megagpu-": { diskTypes: PD_DISK_TYPES, onDemand: true, spot: true, flexStart: true, reservationBound: false, workloadPolicy: true, source: `${CONSUMPTION}; ${PLACEMENT}` },
  "a3-highgpu-8g": { diskTypes: PD_DISK_TYPES, onDemand: true, spot: true, flexStart: true, reservationBound: false, workloadPolicy: true, source: `${CONSUMPTION}; ${PLACEMENT}` },
  "a3-": { diskTypes: PD_DISK_TYPES, onDemand: true, spot: true, flexStart: true, reservationBound: false, workloadPolicy: false, source: CONSUMPTION },
  "a2-": { diskTypes: PD_DISK_TYPES, onDemand: true, spot: true, flexStart: true, reservationBound: false, workloadPolicy: false, source: CONSUMPTION },
  "g2-": { diskTypes: PD_DISK_TYPES, onDemand: true, spot: true, flexStart: true, reservationBound: false, workloadPolicy: false, source: CONSUMPTION },
  // G4 (RTX PRO 6000) is of the Hyperdisk generation (like C4/N4): it boots from Hyperdisk Balanced, which it
  // certainly takes, so the compiler never asks it for a Persistent Disk. On demand and Spot: the Cloud Billing
  // Catalog dump prices both (lib/catalog/data/generated/gcp.ts).
  "g4-": { diskTypes: HYPERDISK, onDemand: true, spot: true, flexStart: false, reservationBound: false, workloadPolicy: false, source: "https://cloud.google.com/compute/docs/accelerator-optimized-machines#g4-series" },
};

/** Facts of the series `machineType` belongs to (the longest matching prefix). */
export function seriesFacts(machineType: string): SeriesFacts {
  const key = Object.keys(SERIES)
    .filter((prefix) => machineType.startsWith(prefix))
    .sort((a, b) => b.length - a.length)[0];
  return key ? SERIES[key]! : { diskTypes: PD_DISK_TYPES, onDemand: true, spot: true, flexStart: false, reservationBound: false, workloadPolicy: false, source: CONSUMPTION };
}

