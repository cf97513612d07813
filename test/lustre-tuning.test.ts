/**
 * FSx for Lustre's client tuning (lib/clouds/aws/lustre-tuning.ts), measured against the FSx guide's "Recommended
 * client instance tuning for optimal performance" (https://docs.aws.amazon.com/fsx/latest/LustreGuide/performance-tips.html,
 * read 2026-11-30): above 64 GiB of memory `ldlm.namespaces.*.lru_max_age=600000` and `lru_size=<100 × CPUs>`; above
 * 64 vCPUs, once mounted, `osc.*OST*.max_rpcs_in_flight=32`, `mdc.*.max_rpcs_in_flight=64`,
 * `mdc.*.max_mod_rpcs_in_flight=50`. On EKS the FSx CSI driver mounts when a pod lands, so a timer applies them to
 * new mounts; these tests run the timer's script under bash with a stubbed `lctl` and `logger` and a mounts file.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LUSTRE_TUNING_TIMER, lustreMountedParams, lustreTuningTimerLines } from "../lib/clouds/aws/lustre-tuning.js";
import { instance } from "../lib/catalog/index.js";

const P5 = instance("aws", "p5.48xlarge")!;
const LUSTRE = "10.0.1.5@tcp:/abcd /var/lib/kubelet/pods/p1/volumes/kubernetes.io~csi/fsx/mount lustre rw,flock,lazystatfs 0 0";

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

/** The timer's script (the heredoc's body), with its mounts and state files moved into `dir`. */
function timerScript(instance: { vcpus: number; memoryGiB: number }, dir: string): string {
  const lines = lustreTuningTimerLines(instance).join("\n");
  const body = lines.slice(lines.indexOf("<<'TUNING'\n") + "<<'TUNING'\n".length, lines.indexOf("\nTUNING\n"));
  return body.replaceAll(LUSTRE_TUNING_TIMER.mounts, join(dir, "mounts")).replaceAll(LUSTRE_TUNING_TIMER.state, join(dir, "run", "tuned"));
}

/** A node: a mounts file, an `lctl` that logs its arguments and exits `lctlExit`, a `logger` that logs. */
function node(lctlExit = 0) {
  const dir = mkdtempSync(join(tmpdir(), "lustre-tuning-"));
  dirs.push(dir);
  const log = join(dir, "calls");
  writeFileSync(join(dir, "lctl"), `#!/bin/bash\necho "lctl $*" >> ${log}\nexit ${lctlExit}\n`, { mode: 0o755 });
  writeFileSync(join(dir, "logger"), `#!/bin/bash\necho "logger $*" >> ${log}\n`, { mode: 0o755 });
  writeFileSync(join(dir, "mounts"), "proc /proc proc rw 0 0\n");
  const tick = (script: string) => spawnSync("bash", ["-c", script], { env: { PATH: `${dir}:/usr/bin:/bin` }, encoding: "utf8" });
  const calls = () => (existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : []);
  return { dir, tick, calls, mount: (line: string) => writeFileSync(join(dir, "mounts"), `${readFileSync(join(dir, "mounts"), "utf8")}${line}\n`) };
}

describe("FSx for Lustre client tuning", () => {
  it("the settings by size: p5 (192 vCPUs, 2,048 GiB) gets the lock LRU at 100 × 192 and the three RPC settings, the MDC's 64 before its 50", () => {
    expect([P5.vcpus, P5.memoryGiB]).toEqual([192, 2048]);
    expect(lustreMountedParams(P5)).toEqual([
      "ldlm.namespaces.*.lru_max_age=600000",
      "ldlm.namespaces.*.lru_size=19200",
      "osc.*OST*.max_rpcs_in_flight=32",
      "mdc.*.max_rpcs_in_flight=64",
      "mdc.*.max_mod_rpcs_in_flight=50",
    ]);
    // g6e.12xlarge: 48 vCPUs, 384 GiB: the lock LRU only. g6e.xlarge: 4 vCPUs, 32 GiB: nothing, and no timer.
    const mid = instance("aws", "g6e.12xlarge")!;
    expect([mid.vcpus, mid.memoryGiB]).toEqual([48, 384]);
    expect(lustreMountedParams(mid)).toEqual(["ldlm.namespaces.*.lru_max_age=600000", "ldlm.namespaces.*.lru_size=4800"]);
    const small = instance("aws", "g6e.xlarge")!;
    expect(lustreMountedParams(small)).toEqual([]);
    expect(lustreTuningTimerLines(small)).toEqual([]);
  });

  it("the timer: every 60 s from boot, enabled, running a oneshot service", () => {
    const lines = lustreTuningTimerLines(P5).join("\n");
    expect(lines).toContain("[Timer]\nOnBootSec=60\nOnUnitActiveSec=60\nAccuracySec=5\n[Install]\nWantedBy=timers.target\n");
    expect(lines).toContain("[Service]\nType=oneshot\nExecStart=/usr/local/sbin/gpu-cluster-lustre-tuning\n");
    expect(lines.endsWith("systemctl daemon-reload && systemctl enable --now gpu-cluster-lustre-tuning.timer")).toBe(true);
    expect(spawnSync("bash", ["-n"], { input: lines, encoding: "utf8" }).stderr).toBe("");
  });

  it("run on a node: nothing before a Lustre mount; one lctl with every setting when a pod's mount appears; nothing more until the mounts change", () => {
    const n = node();
    const script = timerScript(P5, n.dir);
    expect(n.tick(script).status).toBe(0);
    expect(n.calls()).toEqual([]);
    n.mount(LUSTRE);
    expect(n.tick(script).status).toBe(0);
    const apply =
      "lctl set_param ldlm.namespaces.*.lru_max_age=600000 ldlm.namespaces.*.lru_size=19200 osc.*OST*.max_rpcs_in_flight=32 mdc.*.max_rpcs_in_flight=64 mdc.*.max_mod_rpcs_in_flight=50";
    expect(n.calls()).toEqual([apply]);
    n.tick(script);
    expect(n.calls()).toEqual([apply]);
    // A second pod mounts the file system: its new client instance is tuned too.
    n.mount(LUSTRE.replace("/p1/", "/p2/"));
    n.tick(script);
    expect(n.calls()).toEqual([apply, apply]);
  });

  it("a failed lctl is logged and retried at the next tick (the mounts are not recorded as tuned)", () => {
    const n = node(1);
    const script = timerScript(P5, n.dir);
    n.mount(LUSTRE);
    expect(n.tick(script).status).toBe(0);
    n.tick(script);
    const calls = n.calls();
    expect(calls.filter((c) => c.startsWith("lctl set_param"))).toHaveLength(2);
    expect(calls).toContain("logger -p user.warning gpu-cluster: lctl set_param failed, retried in 60 s");
  });
});
