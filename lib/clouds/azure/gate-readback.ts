/**
 * The Azure VM fabric gate's figure as a stack output (VM_GATE_DESIGN steps 4 and 5 in lib/clouds/shared/fabric-gate.ts).
 *
 * The gate runs as a CustomScript extension of the scale set, on its first two VMs; rank 0 (instance 0, computer name
 * `<prefix>000000`) prints one line with its verdict and figure last on its stdout. The extension keeps the last 4 KiB
 * of the script's stdout and stderr in its status message, `[stdout]\n…\n[stderr]\n…` (Azure/custom-script-extension-linux
 * main/cmds.go @56a1e6fc, 2026-04-27: `maxTailLen = 4 * 1024`, read 2026-11-30), which Resource Manager returns in the
 * VM extension's instance view (`GET .../virtualMachineScaleSets/{vmss}/virtualMachines/{instanceId}/extensions/{name}
 * ?$expand=instanceView`: https://learn.microsoft.com/rest/api/compute/virtual-machine-scale-set-vm-extensions/get,
 * read 2026-11-30). The deployer reads it with its own Reader-level rights: nothing more is granted to the nodes, and
 * nothing is written anywhere else.
 *
 * Why this read does not race: it runs once the scale set's create or update has returned, and a scale set's create
 * returns once its VMs are provisioned, their extensions included (a failing extension fails the create with its
 * message, which is how a figure below the floor fails the first `up`). A later `up` reads the status the extension left;
 * when the check ran again since (a reimage of instance 0) and failed, that `up` fails with the same message. When no
 * figure is there (the check still running on a reimaged VM, instance 0 replaced by a repair, or instance 0 older than
 * the check on a cluster grown from one node: lib/clouds/azure/gate-peers.ts), the output is left empty and a warning
 * says "no result" and why; it never reads as a pass.
 */
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import { gateFailureMessage, gatePasses, gateTransportFailureMessage, type FabricGate } from "../shared/fabric-gate.js";
import type { AcceptanceHandle, CompileContext } from "../types.js";
import type { AzurePlace } from "./network.js";

/** The gate extension's name in the scale set model (and on each VM). */
export const GATE_EXTENSION = "gpu-cluster-fabric-gate";

/** The rank-0 VM: instance 0 of a uniform scale set without overprovisioning, computer name `<prefix>000000`. */
export const GATE_INSTANCE_ID = "0";

/** The line rank 0 prints last on stdout: `gpu-cluster-fabric-gate: verdict=<passed|failed> busbw=<GB/s|none> floor=<GB/s>`. */
const MARKER = "gpu-cluster-fabric-gate:";

/** The gate's publish command (lib/clouds/shared/fabric-gate.ts gateVerdictLines): the marker line on stdout. */
export const GATE_PUBLISH = `printf '${MARKER} verdict=%s busbw=%s floor=%s transport=%s%s\\n' "$verdict" "\${busbw:-none}" "$floor" "\${transport:-none}" "\${transport_cause:+ cause=$transport_cause}"`;

export interface GateReading {
  verdict: "passed" | "failed";
  /** GB/s as printed, or undefined when the run produced no figure. */
  busBandwidthGBps?: string;
  /** NCCL's own report of its transport (`transport=` on the marker), where the check read it. */
  transport?: string;
  /** Where NCCL's own transport fell short of the fabric's expectation (lib/clouds/shared/transport-expectation.ts): the cause. */
  transportCause?: string;
}

/** The last marker line in the stdout part of a CustomScript status message; undefined without one. */
export function parseGateStatus(message: string): GateReading | undefined {
  const stdout = message.split("\n[stderr]\n")[0] ?? "";
  const lines = stdout.split("\n").filter((line) => line.startsWith(MARKER));
  const last = lines[lines.length - 1];
  const m = last === undefined ? null : /verdict=(passed|failed) busbw=(\S+) floor=\S+/.exec(last);
  if (!m) return undefined;
  const figure = /^[0-9]+(\.[0-9]+)?$/.test(m[2]!) ? m[2] : undefined;
  const cause = / cause=(.*)$/.exec(last!)?.[1];
  const transport = / transport=(.*?)(?: cause=.*)?$/.exec(last!)?.[1];
  return {
    verdict: m[1] as GateReading["verdict"],
    ...(figure !== undefined ? { busBandwidthGBps: figure } : {}),
    ...(transport !== undefined && transport !== "none" ? { transport } : {}),
    ...(cause !== undefined ? { transportCause: cause } : {}),
  };
}

/** The figure from the extension's instance view: throws the gate's message on a failed verdict; undefined with the reason otherwise. */
export function gateFigure(gate: FabricGate, extension: compute.GetVirtualMachineScaleSetVMExtensionResult): { figure?: string; transport?: string; why?: string } {
  const messages = (extension.instanceView?.statuses ?? []).map((s) => s.message ?? "");
  const reading = messages.map(parseGateStatus).find((r) => r !== undefined);
  if (reading === undefined) return { why: `no result in the fabric gate's status on instance ${GATE_INSTANCE_ID} (${extension.provisioningState ?? "no state"}): the check has not finished there` };
  if (reading.verdict === "failed" && reading.transportCause !== undefined) {
    const transport = gateTransportFailureMessage(gate, reading.transportCause, reading.busBandwidthGBps ?? "no figure");
    throw new Error(gatePasses(gate, Number(reading.busBandwidthGBps)) ? transport : `${gateFailureMessage(gate, reading.busBandwidthGBps ?? "no figure")}\n\n${transport}`);
  }
  if (reading.verdict === "failed") throw new Error(gateFailureMessage(gate, reading.busBandwidthGBps ?? "no figure"));
  return { figure: reading.busBandwidthGBps!, ...(reading.transport !== undefined ? { transport: reading.transport } : {}) };
}

/**
 * The acceptance handle of an Azure VM training cluster with the gate. Unknown in a preview (nothing has run); at `up`,
 * read from instance 0 after the scale set.
 */
export function gateReadback(gate: FabricGate, ctx: CompileContext, place: AzurePlace, scaleSet: compute.VirtualMachineScaleSet): AcceptanceHandle {
  const floorGBps = gate.floor.floorGBps;
  if (pulumi.runtime.isDryRun()) return { busBandwidthGBps: pulumi.output(pulumi.unknown) as pulumi.Output<string>, floorGBps };
  const result = pulumi.all([place.resourceGroupName, scaleSet.name, scaleSet.id]).apply(async ([resourceGroupName, vmScaleSetName]) => {
    let extension: compute.GetVirtualMachineScaleSetVMExtensionResult;
    try {
      extension = await compute.getVirtualMachineScaleSetVMExtension(
        { resourceGroupName, vmScaleSetName, instanceId: GATE_INSTANCE_ID, vmExtensionName: GATE_EXTENSION, expand: "instanceView" },
        { parent: ctx.parent },
      );
    } catch (e) {
      const reason = (e instanceof Error ? e.message : String(e)).split("\n").map((line) => line.trim()).find((line) => line !== "") ?? "no answer";
      await pulumi.log.warn(
        `fabric gate: no result: the figure is not readable from instance ${GATE_INSTANCE_ID} of ${vmScaleSetName} (${reason}); the check runs on the scale set's first two VMs when they are created together, ` +
          `and instance ${GATE_INSTANCE_ID} may predate it (a cluster grown from one node) or have been replaced since; to run it: az vmss reimage --instance-ids 0 1`,
        ctx.parent,
      );
      return {};
    }
    const { figure, transport, why } = gateFigure(gate, extension);
    if (why !== undefined) await pulumi.log.warn(`fabric gate: ${why}`, ctx.parent);
    return { figure, transport };
  });
  return { busBandwidthGBps: result.apply((r) => r.figure) as pulumi.Output<string>, transport: result.apply((r) => r.transport), floorGBps };
}
