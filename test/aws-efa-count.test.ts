/**
 * The AWS VM fabric check and health loop count ACTIVE ports of EFA devices only (review session 28, F10): devices
 * bound to the `efa` driver, as the FSx guide lists EFA devices
 * (https://docs.aws.amazon.com/fsx/latest/LustreGuide/configure-efa-clients.html, "View available EFA devices") and
 * lib/clouds/aws/lustre-efa-client.ts selects them, so another RDMA device (a ConnectX NIC) cannot make up for a
 * missing EFA. The command runs here against a fake sysfs.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { ACTIVE_EFA_PORTS } from "../lib/clouds/aws/bootstrap.js";

/** A fake /sys with RDMA devices: name → [driver, port 1 state]. */
function fakeSysfs(devices: Record<string, [string, string]>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "efa-"));
  for (const [name, [driver, state]] of Object.entries(devices)) {
    const pci = path.join(root, "sys/devices/pci", name);
    fs.mkdirSync(path.join(root, "sys/bus/pci/drivers", driver), { recursive: true });
    fs.mkdirSync(pci, { recursive: true });
    fs.symlinkSync(path.join(root, "sys/bus/pci/drivers", driver), path.join(pci, "driver"));
    const dev = path.join(root, "sys/class/infiniband", name);
    fs.mkdirSync(path.join(dev, "ports/1"), { recursive: true });
    fs.symlinkSync(pci, path.join(dev, "device"));
    fs.writeFileSync(path.join(dev, "ports/1/state"), `${state}\n`);
  }
  return root;
}

function count(root: string): number {
  const command = ACTIVE_EFA_PORTS.replaceAll("/sys/class", `${root}/sys/class`);
  return Number(execFileSync("bash", ["-c", `${command}; echo $found`], { encoding: "utf8" }).trim());
}

describe("ACTIVE EFA devices", () => {
  it("counts ACTIVE efa devices, not a DOWN one, and not an ACTIVE ConnectX (mlx5_core) device", () => {
    const root = fakeSysfs({
      rdmap79s0: ["efa", "4: ACTIVE"],
      rdmap80s0: ["efa", "4: ACTIVE"],
      rdmap81s0: ["efa", "1: DOWN"],
      mlx5_0: ["mlx5_core", "4: ACTIVE"],
    });
    expect(count(root)).toBe(2);
  });

  it("no RDMA devices: 0", () => {
    expect(count(fakeSysfs({}))).toBe(0);
  });
});
