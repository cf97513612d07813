import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { oneshotScriptUnitLines } from "../lib/clouds/shared/bootstrap.js";
import { gateCommand } from "../lib/clouds/aws/fabric-gate.js";
import { gcpGateLines } from "../lib/clouds/gcp/fabric-gate.js";
import { associationCommand } from "../lib/clouds/aws/gpu-metrics.js";
import { opsAgentLines } from "../lib/clouds/gcp/gpu-metrics.js";
import * as gpu from "gpu-cluster";

/** The unit file a set of lines writes (between `cat > <path>` and its mark). */
function unitOf(lines: string[], unit: string): string[] {
  const start = lines.findIndex((l) => l.startsWith(`cat > /etc/systemd/system/${unit} <<'`));
  const mark = /<<'(\w+)'$/.exec(lines[start]!)![1]!;
  return lines.slice(start + 1, lines.indexOf(mark, start + 1));
}

describe("oneshotScriptUnitLines: a script, its oneshot unit, started without blocking", () => {
  it("writes the script, the unit (After= with Wants= for network-online.target) and starts it, in that order", () => {
    expect(
      oneshotScriptUnitLines({
        unit: "x.service",
        description: "an example",
        scriptPath: "/usr/local/sbin/x",
        script: "#!/bin/bash\necho hi\n\n",
        scriptMark: "X",
        after: ["docker.service", "network-online.target"],
        timeoutStartSec: 600,
        makeDirs: true,
        skipStartIf: "[ -e /var/lib/x-done ]",
        orElse: { reload: "exit 1", start: "{ echo no >&2; exit 1; }" },
      }),
    ).toEqual([
      'mkdir -p "$(dirname /usr/local/sbin/x)" /etc/systemd/system',
      "cat > /usr/local/sbin/x <<'X'",
      "#!/bin/bash\necho hi",
      "X",
      "chmod 755 /usr/local/sbin/x",
      "cat > /etc/systemd/system/x.service <<'UNIT'",
      "[Unit]",
      "Description=an example",
      "After=docker.service network-online.target",
      "Wants=network-online.target",
      "[Service]",
      "Type=oneshot",
      "ExecStart=/usr/local/sbin/x",
      "TimeoutStartSec=600",
      "UNIT",
      "systemctl daemon-reload || exit 1",
      "[ -e /var/lib/x-done ] || systemctl start --no-block x.service || { echo no >&2; exit 1; }",
    ]);
  });

  it("pulls in nothing it is not ordered after, and leaves a failed systemctl to the caller by default", () => {
    const lines = oneshotScriptUnitLines({ unit: "y.service", description: "y", scriptPath: "/opt/y", script: "true", scriptMark: "Y", unitMark: "YUNIT", after: ["cloud-final.service"], timeoutStartSec: "infinity" });
    expect(lines[0]).toBe("cat > /opt/y <<'Y'");
    expect(unitOf(lines, "y.service")).toEqual(["[Unit]", "Description=y", "After=cloud-final.service", "[Service]", "Type=oneshot", "ExecStart=/opt/y", "TimeoutStartSec=infinity"]);
    expect(lines.slice(-2)).toEqual(["systemctl daemon-reload", "systemctl start --no-block y.service"]);
  });

  it("run by bash: the script lands executable, the unit is written, and the start is skipped once the marker exists", () => {
    const dir = mkdtempSync(join(tmpdir(), "oneshot-"));
    mkdirSync(join(dir, "bin"));
    writeFileSync(join(dir, "bin", "systemctl"), `#!/bin/bash\necho "$*" >> ${dir}/calls\n`);
    chmodSync(join(dir, "bin", "systemctl"), 0o755);
    const script = `#!/bin/bash\necho "a \\$HOME \${x:-y} '$(date)'"`;
    const lines = oneshotScriptUnitLines({ unit: "z.service", description: "z", scriptPath: `${dir}/sbin/z`, script, scriptMark: "Z", after: ["network-online.target"], timeoutStartSec: 60, makeDirs: true, skipStartIf: `[ -e ${dir}/done ]` });
    const body = lines.join("\n").replaceAll("/etc/systemd/system", `${dir}/units`);
    const env = { PATH: `${dir}/bin:/usr/bin:/bin` };
    expect(spawnSync("bash", ["-c", body], { env }).status).toBe(0);
    // The quoted heredoc: nothing in the script was expanded.
    expect(readFileSync(`${dir}/sbin/z`, "utf8")).toBe(`${script}\n`);
    expect(statSync(`${dir}/sbin/z`).mode & 0o777).toBe(0o755);
    expect(readFileSync(`${dir}/units/z.service`, "utf8")).toContain("After=network-online.target\nWants=network-online.target\n");
    expect(readFileSync(`${dir}/calls`, "utf8")).toBe("daemon-reload\nstart --no-block z.service\n");
    writeFileSync(`${dir}/done`, "");
    expect(spawnSync("bash", ["-c", body], { env }).status).toBe(0);
    expect(readFileSync(`${dir}/calls`, "utf8")).toBe("daemon-reload\nstart --no-block z.service\ndaemon-reload\n");
  });

  it("the four callers: the fabric gates and the GPU metrics units, each with its ordering, bound and failure handling", () => {
    const awsGate = gateCommand("#!/bin/bash\nexit 0").split("\n");
    expect(unitOf(awsGate, "gpu-cluster-fabric-gate.service").slice(2, 4)).toEqual(["After=docker.service network-online.target", "Wants=network-online.target"]);
    expect(unitOf(awsGate, "gpu-cluster-fabric-gate.service")).toContain("TimeoutStartSec=10800");
    expect(awsGate).toContain('systemctl start --no-block gpu-cluster-fabric-gate.service || { echo "gpu-cluster: fabric gate: systemctl could not start gpu-cluster-fabric-gate.service" >&2; exit 1; }');
    expect(awsGate.slice(-2)).toEqual(["exit 0", ""]);

    const plan = gpu.planCluster({ cloud: "gcp", region: "us-central1", gpu: { instanceType: "a3-megagpu-8g", nodes: 2 } });
    const gcpGate = gcpGateLines(plan, true)!;
    // Wants= is new here (the copies differed): ordering after network-online.target without pulling it in relied on
    // google-startup-scripts.service pulling it in.
    expect(unitOf(gcpGate, "gpu-cluster-fabric-gate.service")).toEqual([
      "[Unit]",
      "Description=gpu-cluster fabric gate (two-node NCCL all-reduce)",
      "After=docker.service network-online.target",
      "Wants=network-online.target",
      "[Service]",
      "Type=oneshot",
      "ExecStart=/usr/local/sbin/gpu-cluster-fabric-gate",
      "TimeoutStartSec=infinity",
    ]);
    expect(gcpGate.slice(-2)).toEqual(["systemctl daemon-reload", "[ -e /var/lib/gpu-cluster/fabric-gate-started ] || systemctl start --no-block gpu-cluster-fabric-gate.service"]);

    const awsMetrics = associationCommand("#!/bin/bash\ntrue").split("\n");
    expect(unitOf(awsMetrics, "gpu-cluster-gpu-metrics.service")).toContain("After=cloud-final.service network-online.target");
    expect(unitOf(awsMetrics, "gpu-cluster-gpu-metrics.service")).toContain("TimeoutStartSec=3600");
    expect(awsMetrics.filter((l) => l.startsWith("systemctl "))).toEqual(["systemctl daemon-reload || exit 1", "systemctl start --no-block gpu-cluster-gpu-metrics.service || exit 1"]);

    const gcpMetrics = opsAgentLines({ gpuModel: "H100" });
    expect(unitOf(gcpMetrics, "gpu-cluster-gpu-metrics.service")).toContain("After=google-startup-scripts.service network-online.target");
    expect(gcpMetrics.slice(-2)).toEqual(["systemctl daemon-reload || true", "systemctl start --no-block gpu-cluster-gpu-metrics.service || true"]);
  });
});
