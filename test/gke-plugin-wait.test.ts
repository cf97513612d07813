/**
 * The GKE GPU pods' fabric prelude, run in bash:
 * - every GPUDirect pod waits (bounded) for the NCCL plugin files its node's installer DaemonSet copies, then fails
 *   naming that DaemonSet (the installers are not awaited at `up`; lib/clouds/gcp/gke/bootstrap.ts);
 * - A3 High (TCPX) pods run under `taskset` on Google's NCCL cores, off the plugin's flow-steering cores, as Google's
 *   run-nccl.sh does (container-engine-accelerators gpudirect-tcpx/nccl-config.yaml @0e5609b0, 2026-06-02, read
 *   2026-12-01: `taskset -c 0-7,104-111,52-59,156-163`, TX/RX bindings 8-35,60-87,112-139,164-191).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fabricDaemonSets } from "../lib/clouds/gcp/gke/bootstrap.js";
import { GKE_NCCL_INSTALLERS, launcherPinStep, pluginWaitStep } from "../lib/fabric/gke.js";
import { NCCL_LAUNCHER_CORES, TCPX_FLOW_CORES } from "../lib/fabric/tcpx.js";
import * as gpu from "gpu-cluster";

/** Every core of a cpu list such as "0-7,104-111". */
function cores(list: string): number[] {
  return list.split(",").flatMap((part) => {
    const [a, b] = part.split("-").map(Number);
    return Array.from({ length: (b ?? a!) - a! + 1 }, (_, i) => a! + i);
  });
}

function withDir(body: (dir: string) => void) {
  const dir = mkdtempSync(join(tmpdir(), "gke-prelude-"));
  try {
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("GKE pods wait for the node's NCCL plugin", () => {
  it("goes on at once when the files are there", () => {
    withDir((dir) => {
      writeFileSync(join(dir, "set_nccl_env.sh"), "");
      const out = execFileSync("bash", ["-c", `${pluginWaitStep([join(dir, "set_nccl_env.sh")], "nccl-rdma-installer", 5)} && echo started`]).toString();
      expect(out).toBe("started\n");
    });
  });

  it("fails past its limit, naming the files and the installer DaemonSet, and never starts the workload", () => {
    withDir((dir) => {
      const missing = join(dir, "nccl-env-profile.sh");
      const r = spawnSync("bash", ["-c", `${pluginWaitStep([missing], "nccl-tcpxo-installer", 5)} && echo started`]);
      expect(r.status).toBe(1);
      expect(r.stdout.toString()).toBe("");
      expect(r.stderr.toString()).toBe(
        `gpu-cluster: ${missing} not on this node after 5 s; the nccl-tcpxo-installer DaemonSet in kube-system installs them (kubectl -n kube-system get pods -l k8s-app=nccl-tcpxo-installer -o wide)\n`,
      );
    });
  });

  it("names the DaemonSets the bootstrap creates, and waits up to 10 minutes (120 × 5 s) in the compiled pods", () => {
    const plan = (instanceType: string, extra: Record<string, unknown> = {}) =>
      gpu.planCluster({ cloud: "gcp", region: "us-central1", orchestrator: "kubernetes", gpu: { instanceType, nodes: 2 }, ...extra } as Parameters<typeof gpu.planCluster>[0]);
    const installer = (p: ReturnType<typeof plan>) => (fabricDaemonSets(p).find((d) => d.role === "nccl-installer")!.manifest.metadata as { name: string }).name;
    expect(installer(plan("a3-highgpu-8g"))).toBe(GKE_NCCL_INSTALLERS.tcpx);
    expect(installer(plan("a3-megagpu-8g"))).toBe(GKE_NCCL_INSTALLERS.tcpxo);
    expect(installer(plan("a3-ultragpu-8g", { reservationId: "r", zone: "us-central1-b" }))).toBe(GKE_NCCL_INSTALLERS.rdma);
    expect(pluginWaitStep(["/f"], "x")).toContain("for i in $(seq 120); do [ -e /f ] && break; sleep 5; done;");
  });
});

describe("GKE A3 High (TCPX): the workload runs on Google's NCCL cores", () => {
  it("the launcher cores are Google's 32 and share none with the plugin's TX / RX threads", () => {
    expect(NCCL_LAUNCHER_CORES).toBe("0-7,104-111,52-59,156-163");
    const launcher = new Set(cores(NCCL_LAUNCHER_CORES));
    expect(launcher.size).toBe(32);
    const flow = TCPX_FLOW_CORES.flatMap(cores);
    expect(flow.length).toBeGreaterThan(0);
    expect(flow.filter((c) => launcher.has(c))).toEqual([]);
  });

  it("pins the shell the workload is exec'd from, so torchrun and every rank inherit the cores", () => {
    withDir((dir) => {
      mkdirSync(join(dir, "bin"));
      const log = join(dir, "taskset.log");
      writeFileSync(join(dir, "bin", "taskset"), `#!/bin/sh\necho "$@" > ${log}\n`);
      chmodSync(join(dir, "bin", "taskset"), 0o755);
      const out = execFileSync("bash", ["-c", `${launcherPinStep()} && echo "pid $$"`], { env: { PATH: `${join(dir, "bin")}:/usr/bin:/bin` } }).toString();
      const pid = out.trim().replace("pid ", "");
      expect(readFileSync(log, "utf8")).toBe(`-pc 0-7,104-111,52-59,156-163 ${pid}\n`);
    });
  });

  it("an image without taskset fails before the workload starts, saying so", () => {
    withDir((dir) => {
      mkdirSync(join(dir, "bin"));
      // Only bash on the PATH: no taskset.
      const r = spawnSync("/bin/bash", ["-c", `${launcherPinStep()} && echo started`], { env: { PATH: join(dir, "bin") } });
      expect(r.status).toBe(1);
      expect(r.stdout.toString()).toBe("");
      expect(r.stderr.toString()).toContain("taskset, which the image lacks (install util-linux)");
    });
  });
});
