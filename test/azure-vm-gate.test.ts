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
import { withWarnings } from "./helpers/warnings.js";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { azureOfflineInvokes } from "../lib/clouds/azure/offline-invokes.js";
import { GATE_EXTENSION, GATE_PUBLISH, gateFigure, parseGateStatus } from "../lib/clouds/azure/gate-readback.js";
import { fabricGate, gateFailureMessage, gateVerdictLines, VM_GATE_RECORD, vmGateScript } from "../lib/clouds/shared/fabric-gate.js";
import { AZURE_GATE_TIMING, azureVmGatePeers, GATE_NOT_RUN, GATE_PRESENCE_PORT } from "../lib/clouds/azure/gate-peers.js";
import { allReduceImage } from "../lib/clouds/kubernetes/options.js";
import { azurePlanNotes, checkAzureOptions } from "../lib/clouds/azure/options.js";

/** The notes an Azure VM plan carries (its option check's and every Azure plan's). */
const notesOf = (args: gpu.TrainingClusterArgs) => {
  const { azure: o, ...core } = args as gpu.TrainingClusterArgs & { azure?: Record<string, unknown> };
  const plan = gpu.planCluster(core as gpu.TrainingClusterArgs);
  return [...checkAzureOptions(plan, o), ...azurePlanNotes(plan, o)];
};
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
    // NCCL's transport (none here: the lines run without the measurement) follows the figure, on the marker and in the record.
    expect(pass).toEqual({ code: 0, stdout: `gpu-cluster-fabric-gate: verdict=passed busbw=${floor + 1} floor=${floor} transport=none\n` });
    expect(readFileSync(join(dir, "fabric-gate"), "utf8")).toBe(`verdict=passed busbw=${floor + 1} floor=${floor} transport=none\n`);
    const fail = runWith("12.5");
    expect(fail.code).toBe(1);
    expect(fail.stdout).toBe(`gpu-cluster-fabric-gate: verdict=failed busbw=12.5 floor=${floor} transport=none\n`);
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
        // The nodes' identity has its ids, as in Azure (the boot script's GPU metrics read its client id).
        const ids = args.type === "azure-native:managedidentity:UserAssignedIdentity" ? { clientId: "00000000-0000-0000-0000-0000000000c1", principalId: "00000000-0000-0000-0000-0000000000a1" } : {};
        return { id: `${args.name}-id`, state: { ...args.inputs, ...ids, name: args.inputs.vmScaleSetName ?? args.inputs.name ?? `${args.name}-abc1234` } };
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
  return { ...withWarnings(program), asked };
}

const settle = <T>(o: pulumi.Output<T>): Promise<T> => (o as unknown as { promise(): Promise<T> }).promise();
/** Lets the component's own registrations finish under this test's mocks before the next test replaces them. */
const drain = () => new Promise((r) => setTimeout(r, 500));

describe("the figure as the cluster's output", () => {
  it("up: instance 0's extension read after the scale set; its figure is ncclBusBandwidthGBps, the floor beside it", async () => {
    const transport = "node 0: NET/IB devices 0,1,2,3,4,5,6,7 GDRDMA 32/32; node 1: NET/IB devices 0,1,2,3,4,5,6,7 GDRDMA 32/32";
    const message = status(["rank 0 of 2", `gpu-cluster-fabric-gate: verdict=passed busbw=389.51 floor=${gate.floor.floorGBps} transport=${transport}`].join("\n"));
    const { value: cluster, asked, warnings } = await up(() => new gpu.TrainingCluster("gate", spec()), message);
    expect(await settle(cluster.ncclBusBandwidthGBps)).toBe("389.51");
    // NCCL's own report of its transport, from the same marker line.
    expect(await settle(cluster.ncclTransport)).toBe(transport);
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

  it("up: instance 0 replaced since (a repair) or older than the check (a grown cluster): no figure, and a 'no result' warning, never a pass", async () => {
    const { value: cluster, warnings } = await up(() => new gpu.TrainingCluster("gate", spec()), undefined);
    expect(await settle(cluster.ncclBusBandwidthGBps)).toBeUndefined();
    await drain();
    // (The mock engine drops the error's text; a real one names it in the parentheses.)
    expect(warnings).toEqual([
      expect.stringMatching(
        /^fabric gate: no result: the figure is not readable from instance 0 of gate-nodes-abc1234 \(.+\); the check runs on the scale set's first two VMs when they are created together, and instance 0 may predate it \(a cluster grown from one node\) or have been replaced since; to run it: az vmss reimage --instance-ids 0 1$/,
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

/**
 * Growing a cluster from one node (Azure review finding 1): the scale set's upgrade policy is Manual, so instance 0 keeps
 * the model it was built with and never runs the check, while a new instance 1 does. Rank 1 must not wait for a
 * rendezvous that never opens. And the whole run fits the scale set's extension time budget (finding 3):
 * `extensionsTimeBudget` is 15 to 120 minutes, default PT1H30M
 * (https://learn.microsoft.com/javascript/api/@azure/arm-compute/virtualmachinescalesetextensionprofile, read 2026-11-30).
 */
describe("the gate's rendezvous on a grown cluster, inside the extension budget", () => {
  const plan = gpu.planCluster({ cloud: "azure", region: "eastus", gpu: { instanceType: "Standard_ND96isr_H100_v5", nodes: 2 } });
  const image = allReduceImage(plan);
  const script = vmGateScript(plan, azureVmGatePeers("nd", image), GATE_PUBLISH)!;

  /** Runs the script as `host` with `open` ports (`<host>-<port>`) answering; `sleep` advances bash's clock instead of waiting. */
  const runAs = (host: string, open: string[], node: { ncclConf?: "file" | "dir" | "none"; stubs?: string[] } = {}) => {
    const dir = mkdtempSync(join(tmpdir(), "azgrow-"));
    // The image's /etc/nccl.conf (here in the run's directory), and its writer's state (a stub reading sku-state).
    if ((node.ncclConf ?? "file") === "file") writeFileSync(join(dir, "nccl.conf"), "NCCL_IB_PCI_RELAXED_ORDERING=1\n");
    if (node.ncclConf === "dir") mkdirSync(join(dir, "nccl.conf"));
    writeFileSync(join(dir, "sku-state"), "active\n");
    const bin = join(dir, "bin");
    mkdirSync(bin, { recursive: true });
    const line = "nccl-check: all_reduce 1073741824 bytes x 20 over 16 GPUs on 2 nodes: algbw 160.00 GB/s busbw 300.00 GB/s";
    writeFileSync(join(bin, "docker"), `#!/bin/bash\necho "$1" >> ${dir}/docker-calls\n[ "$1" = run ] && echo '${line}'\nexit 0\n`, { mode: 0o755 });
    writeFileSync(join(bin, "cloud-init"), "#!/bin/bash\nexit 0\n", { mode: 0o755 });
    writeFileSync(join(bin, "python3"), "#!/bin/bash\nexec sleep 30\n", { mode: 0o755 });
    writeFileSync(join(bin, "systemctl"), `#!/bin/bash\n[ "$1 $2" = "is-active sku-customizations" ] && cat ${dir}/sku-state\n`, { mode: 0o755 });
    for (const port of open) writeFileSync(join(dir, `open-${port}`), "");
    const stubs = [`hostname() { echo ${host}; }`, "logger() { :; }", "getent() { :; }", 'sleep() { SECONDS=$(( SECONDS + ${1%%[!0-9]*} )); }', ...(node.stubs ?? [])].join("\n");
    const body = script
      .replace("#!/bin/bash", `#!/bin/bash\n${stubs}`)
      .replace(/^gate_open\(\) \{.*\}$/m, `gate_open() { [ -e ${dir}/open-$1-$2 ]; }`)
      .replaceAll("/var/lib/gpu-cluster", dir)
      .replaceAll("/etc/nccl.conf", `${dir}/nccl.conf`);
    const result = spawnSync("bash", ["-c", body], { encoding: "utf8", env: { ...process.env, PATH: `${bin}:${process.env["PATH"]}` } });
    const calls = existsSync(join(dir, "docker-calls")) ? readFileSync(join(dir, "docker-calls"), "utf8").trim().split("\n") : [];
    return { ...result, calls, dir };
  };

  it("rank 1 with no answer from instance 0 (it predates the check): exits 0 saying the gate was not run, never measures", () => {
    const r = runAs("nd000001", []);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`${GATE_NOT_RUN}: nd000000 does not answer`);
    expect(r.stdout).toContain("az vmss reimage --instance-ids 0 1");
    // It pulled the image (ready) and never ran the measurement.
    expect(r.calls).toEqual(["pull"]);
    // No marker line: the read-back finds no result (parseGateStatus), never a pass.
    expect(parseGateStatus(status(r.stdout))).toBeUndefined();
  });

  it("rank 1 with rank 0 present: waits for its rendezvous port, then measures; rank 0 waits for rank 1 to be ready, then judges", () => {
    const one = runAs("nd000001", [`nd000000-${GATE_PRESENCE_PORT}`, "nd000000-29500"]);
    expect(one.status).toBe(0);
    expect(one.calls).toEqual(["pull", "run"]);
    const zero = runAs("nd000000", [`nd000001-${GATE_PRESENCE_PORT}`]);
    expect(zero.status).toBe(0);
    expect(zero.calls).toEqual(["pull", "run"]);
    // Each rank answers on the presence port: rank 0 from its start, rank 1 once its image is ready.
    expect(script).toContain(`socket.create_server(("", ${GATE_PRESENCE_PORT}))`);
    expect(script.indexOf('if [ "$rank" = 0 ]; then gate_listen; fi')).toBeLessThan(script.indexOf("cloud-init status --wait"));
    expect(script.indexOf("  gate_listen\n")).toBeGreaterThan(script.indexOf("docker pull"));
    expect(zero.stdout).toContain(`gpu-cluster-fabric-gate: verdict=passed busbw=300.00 floor=${fabricGate(plan, "vm")!.floor.floorGBps}`);
  });

  it("rank 0 whose partner never gets ready fails by the deadline with a reason, not a torchrun timeout", () => {
    const r = runAs("nd000000", []);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("gpu-cluster: fabric gate: nd000001 did not get ready in time (its extension status says why)\n");
    expect(r.calls).toEqual(["pull"]);
  });

  /**
   * The HPC image writes /etc/nccl.conf at boot from its sku-customizations.service, which cloud-init does not wait
   * for (Azure/azhpc-images components/setup_sku_customizations.sh, customizations/ndv5.sh @8e9d055f, 2026-07-29):
   * the gate waits for the file, and mounts it with --mount, which refuses a missing source instead of creating a
   * directory in its place (the image's own write would then fail).
   */
  it("waits for the image's /etc/nccl.conf before any docker call, and mounts it with --mount (never -v)", () => {
    expect(script).toContain("--mount type=bind,src=/etc/nccl.conf,dst=/etc/nccl.conf,readonly");
    expect(script).toContain("--mount type=bind,src=/opt/microsoft,dst=/opt/microsoft,readonly");
    expect(script).not.toMatch(/ -v \//);
    // The unit still starting and no file yet; the unit writes it at t = 600 s (the stubbed clock).
    const late = 'systemctl() { if [ "$SECONDS" -ge 600 ]; then [ -s @CONF@ ] || printf "NCCL_TOPO_FILE=/opt/microsoft/ndv5/topo.xml\\n" > @CONF@; echo active; else echo activating; fi; }';
    const dir = (r: { dir: string }) => r.dir;
    const r = runAs("nd000000", [`nd000001-${GATE_PRESENCE_PORT}`], { ncclConf: "none", stubs: [late.replaceAll("@CONF@", "/etc/nccl.conf")] });
    expect(r.status).toBe(0);
    expect(r.calls).toEqual(["pull", "run"]);
    expect(readFileSync(join(dir(r), "nccl.conf"), "utf8")).toBe("NCCL_TOPO_FILE=/opt/microsoft/ndv5/topo.xml\n");
  });

  it("fails loudly, before pulling or running anything, when the unit failed, the path is a directory, or the file never comes", () => {
    const failed = runAs("nd000000", [], { ncclConf: "none", stubs: ["systemctl() { echo failed; }"] });
    expect(failed.status).toBe(1);
    expect(failed.stderr).toBe(
      `gpu-cluster: fabric gate not run: the image's SKU customizations failed, so ${failed.dir}/nccl.conf and the GPUDirect RDMA module may be missing (sku-customizations.service: failed; see journalctl -u sku-customizations)\n`,
    );
    expect(failed.calls).toEqual([]);
    const dirInstead = runAs("nd000001", [], { ncclConf: "dir" });
    expect(dirInstead.status).toBe(1);
    expect(dirInstead.stderr).toContain("nccl.conf is a directory, not the image's NCCL configuration; reimage the VM");
    expect(dirInstead.calls).toEqual([]);
    // A custom image without the unit (systemctl says inactive) and no file: gives up at the deadline, 2700 s.
    const never = runAs("nd000000", [], { ncclConf: "none", stubs: ['systemctl() { echo inactive; }'] });
    expect(never.status).toBe(1);
    expect(never.stderr).toBe("gpu-cluster: fabric gate not run: /etc/nccl.conf was not written in time (sku-customizations.service: inactive; see journalctl -u sku-customizations)\n".replace("/etc/nccl.conf", `${never.dir}/nccl.conf`));
    expect(never.calls).toEqual([]);
    expect(script).toContain('[ "$SECONDS" -lt 2700 ]');
  });

  it("every wait ends inside the PT2H budget: cloud-init 2400 s, all preparation by 6300 s, the measurement 600 s", () => {
    expect(AZURE_GATE_TIMING.budget).toBe(2 * 60 * 60);
    expect(script).toContain("timeout 2400 cloud-init status --wait");
    expect(script).toContain(`timeout $(( 5400 - SECONDS )) docker pull '${image}'`);
    expect(script).toContain("timeout 600 docker run --rm --gpus all");
    // The longest path: preparation deadline + the run + 300 s for the extension to report.
    expect(AZURE_GATE_TIMING.prepared + AZURE_GATE_TIMING.run + 300).toBe(AZURE_GATE_TIMING.budget);
    expect(AZURE_GATE_TIMING.cloudInit < AZURE_GATE_TIMING.ncclConf && AZURE_GATE_TIMING.ncclConf < AZURE_GATE_TIMING.dns && AZURE_GATE_TIMING.dns < AZURE_GATE_TIMING.pulled && AZURE_GATE_TIMING.pulled < AZURE_GATE_TIMING.prepared).toBe(true);
  });

  it("the scale set gives its extensions PT2H, and the custom data starts pulling the check image once Docker is on NVMe", async () => {
    const result = await run(() => new gpu.TrainingCluster("budget", spec()));
    expect(result.error).toBeUndefined();
    const vmss = one(result, "azure-native:compute:VirtualMachineScaleSet").inputs;
    expect(vmss.virtualMachineProfile.extensionProfile.extensionsTimeBudget).toBe("PT2H");
    const customData = Buffer.from(vmss.virtualMachineProfile.osProfile.customData, "base64").toString("utf8");
    const pull = customData.indexOf(`timeout 5400 docker pull '${image}'`);
    expect(pull).toBeGreaterThan(customData.indexOf("mount --bind '/mnt/resource_nvme/docker' /var/lib/docker"));
    expect(customData.slice(pull).split("\n")[0]).toMatch(/&$/);
    // Without the gate: Azure's default budget, and no pull.
    const off = await run(() => new gpu.TrainingCluster("nobudget", spec({ acceptanceTest: false })));
    const offSet = one(off, "azure-native:compute:VirtualMachineScaleSet").inputs;
    expect(offSet.virtualMachineProfile.extensionProfile.extensionsTimeBudget).toBeUndefined();
    expect(Buffer.from(offSet.virtualMachineProfile.osProfile.customData, "base64").toString("utf8")).not.toContain("docker pull");
  });
});

/**
 * Air-gapped (Azure review finding 2): `egress.natGateway: false` leaves the node subnet with no way out (no default
 * outbound access, lib/clouds/azure/network.ts), so the check image cannot be pulled from nvcr.io.
 */
describe("the gate without a NAT gateway", () => {
  it("is off by default with a plan note; acceptanceTest: true is a SpecError naming egress.natGateway", async () => {
    const airgapped = { cloud: "azure", region: "eastus", egress: { natGateway: false }, gpu: { model: "H100", nodes: 2 }, azure: { sshPublicKey: SSH_KEY } } as gpu.TrainingClusterArgs;
    const result = await run(() => new gpu.TrainingCluster("air", airgapped));
    expect(result.error).toBeUndefined();
    const vmss = one(result, "azure-native:compute:VirtualMachineScaleSet").inputs;
    expect(vmss.virtualMachineProfile.extensionProfile.extensions.map((e: { name: string }) => e.name)).toEqual(["gpu-cluster-health"]);
    const notes = notesOf(airgapped);
    expect(notes).toContainEqual(expect.stringMatching(/^fabric gate: off, as the node subnet has no NAT gateway \(egress\.natGateway: false\)/));
    expect(notes).toContainEqual(expect.stringMatching(/Azure Resource Manager \(management\.azure\.com, on the internet\)/));
    const forced = await run(() => new gpu.TrainingCluster("airon", { ...airgapped, azure: { sshPublicKey: SSH_KEY, acceptanceTest: true } } as gpu.TrainingClusterArgs));
    expect(forced.error).toMatchObject({ name: "SpecError", path: "azure.acceptanceTest" });
    expect((forced.error as Error).message).toContain("egress.natGateway: false");
    expect(forced.resources.filter((r) => r.custom)).toHaveLength(0);
  });

  it("with a NAT gateway: notes say how to run the gate after growing, and when the hostfile appears", () => {
    const notes = notesOf(spec());
    expect(notes).toContainEqual(expect.stringContaining("`az vmss reimage -g <resource group> -n <scale set> --instance-ids 0 1`"));
    expect(notes).toContainEqual(expect.stringMatching(/^hostfile: \/etc\/gpu-cluster\/hostfile appears on the nodes within minutes after `up` completes/));
  });
});
