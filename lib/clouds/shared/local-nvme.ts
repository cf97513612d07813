/**
 * The instance's local NVMe disks as one striped scratch file system, for VM nodes (AWS instance store, Azure's NVMe
 * disks). Lines for the per-boot mount script: local disks come back blank after a stop / start (and on a new host),
 * so the array is assembled again at every boot, created when it is not there, and formatted only when it has no file
 * system. Container images go there too ({@link IMAGE_STORES}), so a model server's multi-GB image neither fills the root
 * disk nor reads from network storage.
 *
 * The recipe is azhpc-images' (components/customizations/setup_nvme.sh at 8e9d055f, 2026-07-29, read 2026-11-30:
 * mdadm RAID0 over every local NVMe disk, XFS, mounted at /mnt/resource_nvme); the AWS mount point is /scratch.
 */
import { shellQuote } from "./bootstrap.js";

export interface LocalNvme {
  /** Shell that prints the candidate local NVMe devices, one path per word (only blank, unused ones are taken). */
  devices: string;
  /** Where the array is mounted, e.g. /scratch. */
  mountPath: string;
  /** Local disk the instance type has, GiB (from the catalog): 0 means no lines at all. */
  expectedGiB: number;
  /**
   * Where the image itself mounts the local disks, when it does (the AWS Deep Learning AMI: /opt/dlami/nvme). The
   * script waits up to two minutes for it (on the image's marker directory) and bind-mounts it at `mountPath`
   * instead of building a second array from disks the image is using. Default none.
   */
  imageMount?: { path: string; marker: string };
  /**
   * Whether a node without blank local NVMe disks may go on (the directory then stays on the root disk): true where
   * the catalog's local-disk figure may be a SCSI temp disk rather than NVMe. Default false: the boot fails, naming
   * the mount point, because the type promises the disks.
   */
  optional?: boolean;
}

/** The array's name and device (names of our own, so an image's own array, e.g. azhpc-images' md128, is left alone). */
export const SCRATCH_NAME = "gpu-cluster-scratch";
export const SCRATCH_MD = `/dev/md/${SCRATCH_NAME}`;
/** Prints the device of our array when it is assembled (`mdadm --detail --scan`: "ARRAY <device> ... name=<host>:<name> ..."). */
const FIND_ARRAY = `mdadm --detail --scan 2>/dev/null | awk '/name=([^ ]*:)?${SCRATCH_NAME}( |$)/ {print $2; exit}'`;
/** Keeps only blank disks nothing uses: no file system or RAID signature, no partitions or holders. */
const BLANK = '[ -b "$d" ] && ! blkid "$d" >/dev/null 2>&1 && [ "$(lsblk -no NAME "$d" | wc -l)" -eq 1 ]';

export function localNvmeLines(nvme: LocalNvme): string[] {
  if (nvme.expectedGiB <= 0) return [];
  const where = shellQuote(nvme.mountPath);
  const image = nvme.imageMount;
  const fromImage = image
    ? [
        `  if [ -d ${shellQuote(image.marker)} ]; then for i in $(seq 60); do mountpoint -q ${shellQuote(image.path)} && break; sleep 2; done; fi`,
        `  if mountpoint -q ${shellQuote(image.path)}; then`,
        `    mkdir -p ${where} && mount --bind ${shellQuote(image.path)} ${where} || fail ${shellQuote(`bind-mounting ${image.path} at ${nvme.mountPath} failed`)}`,
        "  fi",
      ]
    : [];
  return [
    `# Local NVMe (${Math.round(nvme.expectedGiB)} GiB): RAID0 at ${nvme.mountPath}, container images on it.`,
    `if ! mountpoint -q ${where}; then`,
    ...fromImage,
    `  if ! mountpoint -q ${where}; then`,
    // After a reboot the array is still there (found by its name); after a stop / start the disks are blank.
    `    md=$(${FIND_ARRAY})`,
    '    [ -n "$md" ] || { mdadm --assemble --scan >/dev/null 2>&1; md=$(' + FIND_ARRAY + '); }',
    '    if [ -z "$md" ]; then',
    `      devs=$(for d in $(${nvme.devices}); do ${BLANK} && echo "$d"; done)`,
    '      n=$(echo $devs | wc -w)',
    '      if [ "$n" -gt 0 ]; then',
    `        md=${SCRATCH_MD}`,
    `        mdadm --create "$md" --name=${SCRATCH_NAME} --run --force --level=0 --raid-devices="$n" $devs || fail ${shellQuote(`creating the RAID0 array for ${nvme.mountPath} failed`)}`,
    "        udevadm settle",
    "      else",
    nvme.optional
      ? `        echo ${shellQuote(`gpu-cluster: no blank local NVMe disks; ${nvme.mountPath} is not created`)} >&2`
      : `        fail ${shellQuote(`no blank local NVMe disks found for ${nvme.mountPath}`)}`,
    "      fi",
    "    fi",
    '    if [ -n "$md" ]; then',
    `      blkid "$md" || mkfs.xfs -f "$md" || fail ${shellQuote(`formatting the local NVMe array for ${nvme.mountPath} failed`)}`,
    `      mkdir -p ${where}`,
    `      mount -o noatime "$md" ${where} || fail ${shellQuote(`mounting the local NVMe array at ${nvme.mountPath} failed`)}`,
    "    fi",
    "  fi",
    `  mountpoint -q ${where} && chmod 1777 ${where}`,
    "fi",
    ...imageStoreLines(nvme.mountPath),
  ];
}

/**
 * Where a Docker host keeps its images, each bind-mounted from a directory of the same name on the array (a bind mount,
 * so the image's daemon.json and containerd config are left as they are). Both, because which one holds the images
 * depends on how the image's Docker was installed, and the library boots images it did not build:
 * - /var/lib/docker: everything with the classic graph drivers (overlay2), the default for an upgraded install; with
 *   the containerd image store it still holds volumes and daemon state;
 * - /var/lib/containerd: image content and container snapshots with the containerd image store, Docker Engine 29.0+'s
 *   default on fresh installs, which Docker's own `data-root` does not move (https://docs.docker.com/engine/daemon/,
 *   "Daemon data directory", and https://docs.docker.com/engine/storage/containerd/, "Disk space usage"; docker/docs
 *   content/manuals/engine/storage/containerd.md @115f1ded; read 2026-12-01).
 * The images this library boots run such a Docker: the Deep Learning AMI line ships Docker's own docker-ce 29.x and
 * containerd.io 2.3 packages (DLAMI release notes, ARM64 Base OSS Nvidia Driver GPU AMI Ubuntu 24.04 20260918:
 * docker-ce-cli 29.8.1, containerd v2.3.5; Ubuntu 22.04 20261006: Docker's jammy packages, containerd v2.3.6;
 * docs.aws.amazon.com/dlami/latest/devguide, read 2026-12-01; the x86 Ubuntu 22.04 page was not readable here), and
 * the Azure HPC image installs moby-engine with containerd as its own service (Azure/azhpc-images
 * components/install_docker.sh @8e9d055f, 2026-07-29, which restarts containerd and lists its snapshotter plugins).
 */
export const IMAGE_STORES = [
  { path: "/var/lib/docker", onArray: "docker", what: "the Docker data directory" },
  { path: "/var/lib/containerd", onArray: "containerd", what: "containerd's root (the containerd image store)" },
] as const;

/**
 * The lines that move {@link IMAGE_STORES} onto the array mounted at `mountPath`, at every boot. Only on a Docker host
 * that is not a Kubernetes node: stopping containerd under a running kubelet would stop every pod on the node (the AKS
 * DaemonSet runs these lines on nodes whose images stay on the OS disk, azure/aks/local-nvme.ts). Docker and
 * containerd are stopped first, so nothing writes while a directory is copied or covered, and started again after.
 * `stores`: which of them (default both; GCP's VMs move Docker by its `data-root` as Google's blueprints do, and
 * containerd's root here).
 */
export function imageStoreLines(mountPath: string, stores: readonly (typeof IMAGE_STORES)[number][] = IMAGE_STORES): string[] {
  const where = shellQuote(mountPath);
  const allMounted = stores.map((s) => `mountpoint -q ${s.path}`).join(" && ");
  return [
    `if mountpoint -q ${where} && command -v dockerd >/dev/null && ! systemctl is-active --quiet kubelet && ! { ${allMounted}; }; then`,
    "  systemctl stop docker.socket docker 2>/dev/null || true",
    "  systemctl stop containerd 2>/dev/null || true",
    ...stores.flatMap((s) => {
      const onArray = `${mountPath}/${s.onArray}`;
      return [
        `  if ! mountpoint -q ${s.path}; then`,
        `    mkdir -p ${shellQuote(onArray)} ${s.path}`,
        // First time only: after a reboot the array already holds the current state, newer than the root disk's.
        `    [ -n "$(ls -A ${shellQuote(onArray)})" ] || cp -a ${s.path}/. ${shellQuote(`${onArray}/`)} 2>/dev/null || true`,
        `    mount --bind ${shellQuote(onArray)} ${s.path} || fail ${shellQuote(`moving ${s.what} onto local NVMe failed`)}`,
        "  fi",
      ];
    }),
    // containerd first: Docker connects to it at start.
    "  systemctl start containerd 2>/dev/null || true",
    "  systemctl start docker 2>/dev/null || true",
    "fi",
  ];
}
