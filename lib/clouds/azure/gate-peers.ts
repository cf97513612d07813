/**
 * How the two check VMs of an Azure scale set meet for the fabric gate (the shared run: lib/clouds/shared/fabric-gate.ts
 * `vmGateScript`), within the scale set's extension time budget.
 *
 * - **Time.** The scale set gives its extensions `extensionsTimeBudget` to finish (15 to 120 minutes, default 90:
 *   https://learn.microsoft.com/javascript/api/@azure/arm-compute/virtualmachinescalesetextensionprofile, read
 *   2026-11-30); past it the create fails as VMExtensionProvisioningTimeout, not with the gate's message. The scale set
 *   asks for the most, PT2H, and every wait of the script ends by a deadline inside it (AZURE_GATE_TIMING).
 * - **The image.** The custom data starts pulling the check image in the background once Docker sits on the local
 *   NVMe array (`gatePrePullLines`); the gate pulls it again, which waits for that pull, before either rank starts.
 * - **Who takes part.** The check runs when instances 0 and 1 are created with it. A cluster grown from one node keeps
 *   its instance 0 as it was (upgrade policy Manual: a VM takes a new model only when reimaged or updated), so instance
 *   0 never runs the check while a new instance 1 does. So rank 0 answers on a presence port while its script runs,
 *   and rank 1, once ready, looks for it for a bounded time: no answer means rank 0 predates the check, and rank 1
 *   exits 0 saying the gate was not run (the read-back then finds no result on instance 0: never a pass). Rank 1 also
 *   answers on the port once its image is ready, and rank 0 starts torchrun only then, so neither side's torchrun
 *   waits for the other's image pull (torchrun's static rendezvous gives up after its own timeout).
 */
import { shellQuote } from "../shared/bootstrap.js";
import { azureGatePeers, cloudInitWaitLines, VM_GATE_PORT, type VmGatePeers } from "../shared/fabric-gate.js";

/** The scale set's extension time budget: the most Azure allows (ISO 8601). */
export const AZURE_EXTENSIONS_TIME_BUDGET = "PT2H";

/**
 * The gate's deadlines, in seconds from the script's start, inside the 7200 s budget: the preparation (cloud-init,
 * DNS, the image, the other rank) ends by `prepared`, the measurement gets `run`, and 300 s are left for the
 * extension to report.
 */
export const AZURE_GATE_TIMING = {
  /** The extension time budget, s (AZURE_EXTENSIONS_TIME_BUDGET). */
  budget: 7200,
  /** Wait for the node's own cloud-init (the custom data: NVMe array, mounts). */
  cloudInit: 2400,
  /** The image's /etc/nccl.conf is written by this time (ncclConfWaitLines). */
  ncclConf: 2700,
  /** Both check VMs resolve by this time. */
  dns: 3000,
  /** The check image is pulled by this time. */
  pulled: 5400,
  /** Rank 1 looks for rank 0's presence this long once it is ready (rank 0 starts its script with the VM). */
  presence: 1200,
  /** Both ranks ready, and rank 0's rendezvous port open, by this time. */
  prepared: 6300,
  /** The measurement's `docker run` (torchrun's rendezvous included: both ranks are ready when it starts). */
  run: 600,
} as const;

/** The port each check VM answers on while it takes part: the one after torchrun's rendezvous port. */
export const GATE_PRESENCE_PORT = VM_GATE_PORT + 1;

/** What rank 1 prints when rank 0 does not run the check (a cluster grown from one node). */
export const GATE_NOT_RUN = "gpu-cluster: fabric gate not run (rank 0 predates the check)";

/**
 * Custom-data lines (after the mounts: Docker is on the NVMe array by then) that start pulling the check image in the
 * background, so the gate finds it (or its pull under way) instead of starting a 10+ GB download.
 */
export function gatePrePullLines(image: string): string[] {
  return [
    "# The fabric gate's check image, pulled ahead of the gate (lib/clouds/azure/gate-peers.ts).",
    `( timeout ${AZURE_GATE_TIMING.pulled} docker pull ${shellQuote(image)} >/dev/null 2>&1 || logger -p user.warning 'gpu-cluster: pulling the fabric gate image failed; the gate pulls it again' ) </dev/null >/dev/null 2>&1 &`,
  ];
}

/** The unit of the HPC image that writes /etc/nccl.conf at boot. */
export const SKU_CUSTOMIZATIONS = "sku-customizations";

/**
 * Lines that wait until the HPC image has written /etc/nccl.conf, which the gate's container mounts. The file is not
 * in the image: `sku-customizations.service` (a oneshot, WantedBy multi-user.target, not ordered before cloud-init's
 * final stage) writes it at each boot for the VM size, and clears it at shutdown (Azure/azhpc-images
 * components/setup_sku_customizations.sh and components/customizations/ndv5.sh at 8e9d055f, 2026-07-29, read
 * 2026-12-01). So cloud-init being done does not mean the file is there; a bind mount of a missing file would fail
 * (`--mount`), or with `-v` would leave a directory in its place and break the unit's own write. Ready once the file
 * is non-empty and the unit is no longer starting (a custom image without the unit: once the file is there). Fails
 * at once when the unit failed or the path is a directory, and at the deadline otherwise, naming the unit's state.
 */
export function ncclConfWaitLines(deadline: number): string[] {
  const state = `$(systemctl is-active ${SKU_CUSTOMIZATIONS} 2>/dev/null)`;
  const fail = (why: string) => `{ echo "gpu-cluster: fabric gate not run: ${why} (${SKU_CUSTOMIZATIONS}.service: ${state}; see journalctl -u ${SKU_CUSTOMIZATIONS})" >&2; exit 1; }`;
  return [
    "# /etc/nccl.conf (the ND topology file, relaxed ordering) is written at boot by the HPC image's sku-customizations.service.",
    `until [ -f /etc/nccl.conf ] && [ -s /etc/nccl.conf ] && [ "${state}" != activating ]; do`,
    `  [ ! -d /etc/nccl.conf ] || ${fail("/etc/nccl.conf is a directory, not the image's NCCL configuration; reimage the VM")}`,
    `  [ "${state}" != failed ] || ${fail("the image's SKU customizations failed, so /etc/nccl.conf and the GPUDirect RDMA module may be missing")}`,
    `  [ "$SECONDS" -lt ${deadline} ] || ${fail("/etc/nccl.conf was not written in time")}`,
    "  sleep 5",
    "done",
  ];
}

/** The Azure check VMs (shared naming: `azureGatePeers`), with the presence handshake and the deadlines above. */
export function azureVmGatePeers(computerNamePrefix: string, image: string): VmGatePeers {
  const base = azureGatePeers(computerNamePrefix);
  const first = `${computerNamePrefix}000000`;
  const second = `${computerNamePrefix}000001`;
  const t = AZURE_GATE_TIMING;
  const listen = `import socket; s = socket.create_server(("", ${GATE_PRESENCE_PORT})); all(s.accept()[0].close() is None for _ in iter(int, 1))`;
  return {
    ...base,
    rankLines: [
      ...base.rankLines,
      // The presence port: a listener that accepts and closes, stopped when the script ends.
      `gate_listen() { python3 -c ${shellQuote(listen)} </dev/null >/dev/null 2>&1 & listener=$!; trap 'kill "$listener" 2>/dev/null' EXIT; }`,
      'gate_open() { timeout 5 bash -c ": </dev/tcp/$1/$2" 2>/dev/null; }',
      'if [ "$rank" = 0 ]; then gate_listen; fi',
    ],
    bootLines: [...cloudInitWaitLines(t.cloudInit), ...ncclConfWaitLines(t.ncclConf)],
    waitLines: [
      `until getent hosts ${first} >/dev/null && getent hosts ${second} >/dev/null; do`,
      `  [ "$SECONDS" -lt ${t.dns} ] || { echo "gpu-cluster: fabric gate: ${first} or ${second} did not resolve in time" >&2; exit 1; }`,
      "  sleep 10",
      "done",
      `timeout $(( ${t.pulled} - SECONDS )) docker pull ${shellQuote(image)} >/dev/null || { echo ${shellQuote(`gpu-cluster: fabric gate: pulling ${image} failed or did not finish in time`)} >&2; exit 1; }`,
      'if [ "$rank" = 1 ]; then',
      "  gate_listen",
      `  presence_deadline=$(( SECONDS + ${t.presence} ))`,
      `  until gate_open ${first} ${GATE_PRESENCE_PORT} || gate_open ${first} ${VM_GATE_PORT}; do`,
      `    if [ "$SECONDS" -ge "$presence_deadline" ] || [ "$SECONDS" -ge ${t.prepared} ]; then`,
      `      echo ${shellQuote(`${GATE_NOT_RUN}: ${first} does not answer, so it did not take the check (a cluster grown from one node keeps its first VM as it was). To run the check: az vmss reimage --instance-ids 0 1`)}`,
      "      exit 0",
      "    fi",
      "    sleep 10",
      "  done",
      `  until gate_open ${first} ${VM_GATE_PORT}; do`,
      `    [ "$SECONDS" -lt ${t.prepared} ] || { echo "gpu-cluster: fabric gate: ${first} did not start the measurement in time (its extension status says why)" >&2; exit 1; }`,
      "    sleep 5",
      "  done",
      "else",
      `  until gate_open ${second} ${GATE_PRESENCE_PORT}; do`,
      `    [ "$SECONDS" -lt ${t.prepared} ] || { echo "gpu-cluster: fabric gate: ${second} did not get ready in time (its extension status says why)" >&2; exit 1; }`,
      "    sleep 10",
      "  done",
      "fi",
    ],
    runTimeout: String(t.run),
  };
}
