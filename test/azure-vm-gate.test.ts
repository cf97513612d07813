/**
 * The Azure VM fabric gate's figure as a stack output (lib/clouds/azure/gate-readback.ts, issue 14): rank 0 prints its
 * verdict last on stdout, the CustomScript extension keeps the tail of stdout in its status message, and `up` reads it
 * from instance 0's extension instance view after the scale set.
 * Sources (read 2026-11-30):
 * - Azure/custom-script-extension-linux main/cmds.go @56a1e6fc (2026-04-27): the status message is
 *   `"\n[stdout]\n%s\n[stderr]\n%s"` over the last 4 KiB (`maxTailLen`) of each, after "Enable succeeded: " or
 *   "Enable failed: ..." (integration-test/test/handler-commands.bats);
 * - https://learn.microsoft.com/rest/api/compute/virtual-machine-scale-set-vm-extensions/get ($expand=instanceView);
 * - https://www.pulumi.com/registry/packages/azure-native/api-docs/compute/getvirtualmachinescalesetvmextension/ (the
 *   invoke's inputs: resourceGroupName, vmScaleSetName, instanceId, vmExtensionName, expand).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { azureOfflineInvokes } from "../lib/clouds/azure/offline-invokes.js";
import { GATE_EXTENSION, GATE_PUBLISH, gateFigure, parseGateStatus } from "../lib/clouds/azure/gate-readback.js";
import { fabricGate, gateFailureMessage, gateVerdictLines, VM_GATE_RECORD } from "../lib/clouds/shared/fabric-gate.js";
import { one, run } from "./helpers/offline.js";

const SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGpuY2x1c3RlcnRlc3RrZXlub3RyZWFsMDAwMDAwMDA0 ops@example";
const spec = (azure: Record<string, unknown> = {}): gpu.TrainingClusterArgs =>
  ({ cloud: "azure", region: "eastus", gpu: { model: "H100", nodes: 4 }, azure: { sshPublicKey: SSH_KEY, ...azure } }) as gpu.TrainingClusterArgs;
const gate = fabricGate(gpu.planCluster({ cloud: "azure", region: "eastus", gpu: { model: "H100", nodes: 4 } }), "vm")!;

/** A CustomScript status message as the extension writes it (cmds.go's format). */
const status = (stdout: string, stderr = "", ok = true) =>
  `${ok ? "Enable succeeded: " : "Enable failed: failed to execute command: command terminated with exit status=1"}\n[stdout]\n${stdout}\n[stderr]\n${stderr}`;

describe("the gate's line and its parse", () => {
  it("on the node: the verdict lines with the Azure publish print the marker last on stdout, the failure on stderr", () => {
    const dir = mkdtempSync(join(tmpdir(), "azgate-"));
    const lines = gateVerdictLines(gate, GATE_PUBLISH).map((l) => l.replaceAll("/var/lib/gpu-cluster", dir));
    const script = join(dir, "verdict.sh");
    const runWith = (busbw: string) => {
      writeFileSync(script, ["#!/bin/bash", "set -uo pipefail", `busbw=${busbw}`, ...lines, ""].join("\n"));
      execFileSync("bash", ["-n", script]);
      try {
        return { code: 0, stdout: execFileSync("bash", [script], { stdio: ["ignore", "pipe", "pipe"] }).toString() };
      } catch (e) {
        const err = e as { status: number; stdout: Buffer; stderr: Buffer };
        return { code: err.status, stdout: err.stdout.toString(), stderr: err.stderr.toString() };
      }
    };
    const floor = gate.floor.floorGBps;
    const pass = runWith(String(floor + 1));
    expect(pass).toEqual({ code: 0, stdout: `gpu-cluster-fabric-gate: verdict=passed busbw=${floor + 1} floor=${floor}\n` });
    expect(readFileSync(join(dir, "fabric-gate"), "utf8")).toBe(`verdict=passed busbw=${floor + 1} floor=${floor}\n`);
    const fail = runWith("12.5");
    expect(fail.code).toBe(1);
    expect(fail.stdout).toBe(`gpu-cluster-fabric-gate: verdict=failed busbw=12.5 floor=${floor}\n`);
    expect(fail.stderr).toContain(gateFailureMessage(gate, "12.5"));
    expect(VM_GATE_RECORD).toBe("/var/lib/gpu-cluster/fabric-gate");
  });

  it("reads the last marker of the stdout part only, never a line of stderr", () => {
    const stdout = ["nccl-check: size 1073741824 B busbw 389.51 GB/s", "gpu-cluster-fabric-gate: verdict=passed busbw=389.51 floor=240.0"].join("\n");
    expect(parseGateStatus(status(stdout))).toEqual({ verdict: "passed", busBandwidthGBps: "389.51" });
    expect(parseGateStatus(status("gpu-cluster-fabric-gate: verdict=failed busbw=none floor=240.0", "...", false))).toEqual({ verdict: "failed" });
    expect(parseGateStatus(status("gpu-cluster: the fabric gate runs on pretrain000000 and pretrain000001"))).toBeUndefined();
    expect(parseGateStatus(status("", "gpu-cluster-fabric-gate: verdict=passed busbw=999 floor=1"))).toBeUndefined();
  });

  it("a failed verdict throws the gate's own message with the figure; a status without a result is no figure, with why", () => {
    const failed = { provisioningState: "Failed", instanceView: { statuses: [{ message: status("gpu-cluster-fabric-gate: verdict=failed busbw=51.2 floor=240.0", "", false) }] } } as never;
    expect(() => gateFigure(gate, failed)).toThrow(gateFailureMessage(gate, "51.2"));
    const running = { provisioningState: "Creating", instanceView: { statuses: [] } } as never;
    expect(gateFigure(gate, running)).toEqual({ why: "no result in the fabric gate's status on instance 0 (Creating): the check has not finished there" });
  });
});

/** Runs `program` as an `up` (not a preview): the extension's instance view on instance 0 says `message`, or it is gone. */
async function up<T>(program: () => T, message: string | undefined): Promise<{ value: T; asked: Record<string, unknown>[]; warnings: string[] }> {
  const asked: Record<string, unknown>[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        return { id: `${args.name}-id`, state: { ...args.inputs, name: args.inputs.vmScaleSetName ?? args.inputs.name ?? `${args.name}-abc1234` } };
      },
      call(args) {
        if (args.token === "azure-native:compute:getVirtualMachineScaleSetVMExtension") {
          asked.push(args.inputs);
          if (message === undefined) throw new Error("ResourceNotFound: The Resource 'Microsoft.Compute/virtualMachineScaleSets/x/virtualMachines/0' was not found.");
          return { name: GATE_EXTENSION, provisioningState: "Succeeded", instanceView: { name: GATE_EXTENSION, statuses: [{ code: "ProvisioningState/succeeded", message }] } };
        }
        return azureOfflineInvokes[args.token]?.(args.inputs, "eastus") ?? args.inputs;
      },
    },
    "gate",
    "test",
    false,
  );
  const warnings: string[] = [];
  const warn = pulumi.log.warn;
  (pulumi.log as { warn: (msg: string) => Promise<void> }).warn = async (msg: string) => void warnings.push(msg);
  try {
    return { value: program(), asked, warnings };
  } finally {
    setTimeout(() => ((pulumi.log as { warn: typeof warn }).warn = warn), 5000);
  }
}

const settle = <T>(o: pulumi.Output<T>): Promise<T> => (o as unknown as { promise(): Promise<T> }).promise();
/** Lets the component's own registrations finish under this test's mocks before the next test replaces them. */
const drain = () => new Promise((r) => setTimeout(r, 500));

describe("the figure as the cluster's output", () => {
  it("up: instance 0's extension read after the scale set; its figure is ncclBusBandwidthGBps, the floor beside it", async () => {
    const message = status(["rank 0 of 2", "gpu-cluster-fabric-gate: verdict=passed busbw=389.51 floor=" + gate.floor.floorGBps].join("\n"));
    const { value: cluster, asked, warnings } = await up(() => new gpu.TrainingCluster("gate", spec()), message);
    expect(await settle(cluster.ncclBusBandwidthGBps)).toBe("389.51");
    expect(await settle(cluster.ncclBusBandwidthFloorGBps)).toBe(gate.floor.floorGBps);
    expect(asked).toEqual([{ resourceGroupName: "gate-rg-abc1234", vmScaleSetName: "gate-nodes-abc1234", instanceId: "0", vmExtensionName: "gpu-cluster-fabric-gate", expand: "instanceView" }]);
    expect(warnings).toEqual([]);
    await drain();
  });

  it("up: a failed verdict fails up with the gate's message and the measured figure", async () => {
    // The program's failure reaches the engine as the component's outputs failing to serialize: caught here.
    const failures: unknown[] = [];
    const onRejection = (reason: unknown) => failures.push(reason);
    process.on("unhandledRejection", onRejection);
    try {
      const message = status(`gpu-cluster-fabric-gate: verdict=failed busbw=51.2 floor=${gate.floor.floorGBps}`, "fabric check FAILED ...", false);
      const { value: cluster } = await up(() => new gpu.TrainingCluster("gate", spec()), message);
      await expect(settle(cluster.ncclBusBandwidthGBps)).rejects.toThrow(gateFailureMessage(gate, "51.2"));
      await drain();
    } finally {
      process.off("unhandledRejection", onRejection);
    }
    // Every output that carries the figure fails with the message (the component's outputs, and each read of it).
    expect(failures.length).toBeGreaterThan(0);
    for (const f of failures) expect(String(f)).toContain(gateFailureMessage(gate, "51.2"));
  });

  it("up: instance 0 replaced since (a repair): no figure, and a warning that says so, never a pass", async () => {
    const { value: cluster, warnings } = await up(() => new gpu.TrainingCluster("gate", spec()), undefined);
    expect(await settle(cluster.ncclBusBandwidthGBps)).toBeUndefined();
    await drain();
    // (The mock engine drops the error's text; a real one names it in the parentheses.)
    expect(warnings).toEqual([
      expect.stringMatching(
        /^fabric gate: the figure is not readable from instance 0 of gate-nodes-abc1234 \(.+\); the check runs on the scale set's first two VMs when they are created, and instance 0 may have been replaced since$/,
      ),
    ]);
  });

  it("a preview: unknown, as nothing has run; acceptanceTest: false: no extension and no figure", async () => {
    let cluster: gpu.TrainingCluster | undefined;
    await run(() => (cluster = new gpu.TrainingCluster("prev", spec())));
    expect(await (cluster!.ncclBusBandwidthGBps as unknown as { isKnown: Promise<boolean> }).isKnown).toBe(false);
    let off: gpu.TrainingCluster | undefined;
    const result = await run(() => (off = new gpu.TrainingCluster("off", spec({ acceptanceTest: false }))));
    const extensions = one(result, "azure-native:compute:VirtualMachineScaleSet").inputs.virtualMachineProfile.extensionProfile.extensions;
    expect(extensions.map((e: { name: string }) => e.name)).not.toContain(GATE_EXTENSION);
    expect(await settle(off!.ncclBusBandwidthGBps)).toBeUndefined();
    expect(await settle(off!.ncclBusBandwidthFloorGBps)).toBeUndefined();
  });
});
