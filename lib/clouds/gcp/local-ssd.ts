/**
 * The local SSD that A3 and A4 machine types carry: on VMs one RAID0 array over every local NVMe SSD, mounted for
 * container images and scratch; on GKE the node's ephemeral storage (pods' emptyDirs, images, logs) on the same disks.
 *
 * Counts of 375 GiB local SSDs per machine type: cluster-toolkit modules/compute/gke-node-pool/disk_definitions.tf
 * (@4f04afc17, 2026-01-22, read 2026-11-30), the values Google's GKE GPUDirect node pools use; the VM procedure (an
 * md RAID0 named by the array, created and formatted only when missing, since a stop discards local SSD contents;
 * mounted with discard; Docker's data root on it) is cluster-toolkit modules/scripts/startup-script/files/setup-raid.yml
 * (@4f04afc17) with the blueprints' `local_ssd_filesystem` and Docker `data-root` settings
 * (examples/machine-learning/a4-highgpu-8g/a4high-vm.yaml @ad831f5f0).
 */
import { instance } from "../../catalog/index.js";
import { shellQuote } from "../shared/bootstrap.js";
import { IMAGE_STORES, imageStoreLines } from "../shared/local-nvme.js";

/** Size of one local SSD, GiB (https://cloud.google.com/compute/docs/disks/local-ssd). */
export const LOCAL_SSD_GIB = 375;

/** The machine types disk_definitions.tf gives local SSD ephemeral storage (all GPUDirect types the library builds). */
const GPUDIRECT_LOCAL_SSD_TYPES = ["a3-highgpu-8g", "a3-megagpu-8g", "a3-ultragpu-8g", "a4-highgpu-8g"] as const;

/**
 * Local SSDs per machine type: A3 High / Mega 16 (6,000 GiB), A3 Ultra / A4 32 (12,000 GiB). Derived from the catalog's
 * localNvmeGiB (one fact, one place; its rows cite disk_definitions.tf), so the cost, the catalog and the node pools agree.
 */
export const LOCAL_SSD_COUNT: Readonly<Record<string, number>> = Object.fromEntries(
  GPUDIRECT_LOCAL_SSD_TYPES.map((type) => [type, (instance("gcp", type)?.localNvmeGiB ?? 0) / LOCAL_SSD_GIB]),
);

/** Local SSDs of a machine type (0 when it carries none we know of). */
export function localSsdCount(machineType: string): number {
  return LOCAL_SSD_COUNT[machineType] ?? 0;
}

/** Where VMs mount the array (the blueprints' `localssd_mountpoint`). */
export const LOCAL_SSD_MOUNT = "/mnt/localssd";
/** The md array. */
export const LOCAL_SSD_ARRAY = "/dev/md/localssd";
/** Docker's data root on it (container images and layers). */
export const DOCKER_DATA_ROOT = `${LOCAL_SSD_MOUNT}/docker`;

/**
 * Boot lines (every boot; GCP startup scripts run at each one) that assemble the node's local NVMe SSDs into one
 * RAID0 array at LOCAL_SSD_MOUNT, world-writable with the sticky bit like /tmp. A node without local SSD skips them.
 * A failure stops the bootstrap: scratch silently landing on the boot disk would fill it.
 */
export function localSsdRaidLines(): string[] {
  const array = shellQuote(LOCAL_SSD_ARRAY);
  const mount = shellQuote(LOCAL_SSD_MOUNT);
  return [
    "# Local SSD: one RAID0 array over every local NVMe SSD, for container images and scratch.",
    "local_ssds=$(ls /dev/disk/by-id/google-local-nvme-ssd-* 2>/dev/null || true)",
    'if [ -n "$local_ssds" ]; then',
    "  command -v mdadm >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q mdadm || fail 'installing mdadm failed'",
    '  count=$(echo "$local_ssds" | wc -w)',
    // A reboot keeps the array (udev assembles it, or we do); a stop or a host error discards the disks' contents, and
    // then it is created again (`--run`: no question to answer about what the disks held before).
    `  [ -e ${array} ] || mdadm --assemble ${array} $local_ssds 2>/dev/null || true`,
    `  if [ ! -e ${array} ]; then`,
    '    force=""; [ "$count" -eq 1 ] && force="--force"',
    `    mdadm --create ${array} --run --name=localssd --homehost=any --level=0 --raid-devices="$count" $force $local_ssds || fail "creating the local SSD RAID0 over $count disks failed"`,
    "  fi",
    `  blkid ${array} >/dev/null || mkfs.ext4 -F -m 0 -E lazy_itable_init=0,lazy_journal_init=0,discard ${array} || fail 'formatting the local SSD array failed'`,
    `  mkdir -p ${mount}`,
    `  mountpoint -q ${mount} || mount -o discard,defaults,nofail ${array} ${mount} || fail 'mounting the local SSD array at ${LOCAL_SSD_MOUNT} failed'`,
    `  chmod 1777 ${mount}`,
    "fi",
  ];
}

/**
 * Boot lines that move Docker's data root onto the local SSD array when the array is mounted and Docker is installed,
 * keeping every other daemon setting (the Deep Learning VM image's NVIDIA runtime), and restart Docker only on change.
 */
export function dockerOnLocalSsdLines(): string[] {
  const root = shellQuote(DOCKER_DATA_ROOT);
  return [
    `if mountpoint -q ${shellQuote(LOCAL_SSD_MOUNT)} && command -v docker >/dev/null; then`,
    `  mkdir -p ${root}`,
    "  mkdir -p /etc/docker",
    // The merge exits 10 when the data root is already there, 0 when it changed it.
    `  python3 - ${root} <<'PY'`,
    "import json, os, sys",
    'path = "/etc/docker/daemon.json"',
    "config = json.load(open(path)) if os.path.exists(path) and os.path.getsize(path) > 0 else {}",
    'if config.get("data-root") == sys.argv[1]:',
    "    sys.exit(10)",
    'config["data-root"] = sys.argv[1]',
    'json.dump(config, open(path, "w"), indent=2)',
    "PY",
    "  case $? in",
    "    0) systemctl restart docker || fail 'Docker does not restart on the local SSD' ;;",
    "    10) ;;",
    "    *) fail 'moving Docker onto the local SSD failed (/etc/docker/daemon.json)' ;;",
    "  esac",
    "fi",
    // Docker 29+ keeps images in containerd's own store on a fresh install, which `data-root` does not move
    // (lib/clouds/shared/local-nvme.ts IMAGE_STORES says where that is sourced): its root goes on the array too.
    ...imageStoreLines(LOCAL_SSD_MOUNT, IMAGE_STORES.filter((s) => s.onArray === "containerd")),
  ];
}
