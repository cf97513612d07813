/**
 * The VM cluster's SSH trust and hostfile (lib/clouds/shared/cluster-ssh.ts): the refresh script run for real in a
 * scratch folder, with the peer list a cloud would print.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { clusterSshLines, peerRefreshScript, type PeerFiles } from "../lib/clouds/shared/cluster-ssh.js";

function scratch(): PeerFiles {
  const dir = mkdtempSync(join(tmpdir(), "peers-"));
  return { hostfile: join(dir, "hostfile"), hosts: join(dir, "hosts"), sshConfig: join(dir, "ssh", "90-gpu-cluster.conf") };
}

function refresh(listPeersCommand: string, files: PeerFiles): number {
  const script = join(tmpdir(), `peers-${process.pid}-${Math.random().toString(36).slice(2)}.sh`);
  writeFileSync(script, peerRefreshScript(listPeersCommand, 8, files).join("\n") + "\n");
  try {
    execFileSync("bash", [script], { stdio: "pipe", env: { PATH: process.env.PATH ?? "/usr/bin:/bin" } });
    return 0;
  } catch (e) {
    return (e as { status: number }).status;
  }
}

describe("peer refresh", () => {
  it("writes an Open MPI hostfile with 8 slots per node, addresses sorted numerically, and an ssh block for exactly those", () => {
    const files = scratch();
    // aws ec2 describe-instances --output text prints tab-separated addresses; gcloud prints one per line.
    expect(refresh("printf '10.0.1.20\\t10.0.1.3\\n10.0.0.200\\n'", files)).toBe(0);
    expect(readFileSync(files.hostfile, "utf8")).toBe("10.0.0.200 slots=8\n10.0.1.3 slots=8\n10.0.1.20 slots=8\n");
    expect(readFileSync(files.hosts, "utf8")).toBe("10.0.0.200\n10.0.1.3\n10.0.1.20\n");
    expect(readFileSync(files.sshConfig, "utf8")).toBe(
      "Host 10.0.0.200 10.0.1.3 10.0.1.20\n  IdentityFile ~/.ssh/gpu-cluster_ed25519\n  StrictHostKeyChecking accept-new\n  BatchMode yes\n",
    );
  });

  it("drops anything that is not an IPv4 address (an error text, a shell word), and dedupes", () => {
    const files = scratch();
    expect(refresh("printf 'None\\n10.0.0.5\\n$(reboot)\\n10.0.0.5\\n'", files)).toBe(0);
    expect(readFileSync(files.hostfile, "utf8")).toBe("10.0.0.5 slots=8\n");
  });

  it("keeps the last good files when the cloud answers nothing (exit 1)", () => {
    const files = scratch();
    expect(refresh("echo 10.0.0.7", files)).toBe(0);
    expect(refresh("false", files)).toBe(1);
    expect(readFileSync(files.hostfile, "utf8")).toBe("10.0.0.7 slots=8\n");
    const empty = scratch();
    expect(refresh("true", empty)).toBe(1);
    expect(existsSync(empty.hostfile)).toBe(false);
  });
});

describe("bootstrap lines", () => {
  const source = { privateKeyCommand: "cat /nonexistent", listPeersCommand: "echo 10.0.0.1", keySource: "Secrets Manager secret pretrain-ssh", users: ["ubuntu"] };

  it("are valid bash, fetch the key with retries and fail the boot by name when it never comes", () => {
    const lines = clusterSshLines(source, 4, 8);
    const text = ["fail() { exit 1; }", ...lines].join("\n");
    execFileSync("bash", ["-n"], { input: text });
    expect(lines).toContain("grep -q 'PRIVATE KEY' /etc/gpu-cluster/ssh/id_ed25519.tmp || fail 'cluster SSH key not readable from Secrets Manager secret pretrain-ssh'");
    expect(lines.join("\n")).toContain("for user in root ubuntu; do");
    expect(lines.join("\n")).toContain("OnUnitActiveSec=60");
  });

  it("are empty for a single node, and refuse a user name that is not a plain POSIX name", () => {
    expect(clusterSshLines(source, 1, 8)).toEqual([]);
    expect(() => clusterSshLines({ ...source, users: ["ubuntu; reboot"] }, 2, 8)).toThrow(/not a plain POSIX user name/);
  });
});
