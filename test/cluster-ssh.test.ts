/**
 * The VM cluster's SSH trust and hostfile (lib/clouds/shared/cluster-ssh.ts): the refresh script and the trust
 * script's failure path run for real in a scratch folder, the host certificate's ssh-keygen flags checked with the
 * real ssh-keygen, and the peers' ssh block read back by the real ssh client (`ssh -G`, ssh(1)).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { clusterSshLines, peerRefreshScript, trustScript, vmClusterTrust, type PeerFiles } from "../lib/clouds/shared/cluster-ssh.js";

function scratch(): PeerFiles {
  const dir = mkdtempSync(join(tmpdir(), "peers-"));
  return { hostfile: join(dir, "hostfile"), hosts: join(dir, "hosts"), sshConfig: join(dir, "ssh", "90-gpu-cluster.conf") };
}

function runScript(lines: string[]): { status: number; stderr: string } {
  const script = join(mkdtempSync(join(tmpdir(), "script-")), "run.sh");
  writeFileSync(script, lines.join("\n") + "\n");
  try {
    execFileSync("bash", [script], { stdio: "pipe", env: { PATH: process.env.PATH ?? "/usr/bin:/bin" } });
    return { status: 0, stderr: "" };
  } catch (e) {
    const err = e as { status: number; stderr: Buffer };
    return { status: err.status, stderr: err.stderr.toString() };
  }
}

const refresh = (listPeersCommand: string, files: PeerFiles, patterns: string[] = []) => runScript(peerRefreshScript(listPeersCommand, 8, files, patterns)).status;

describe("peer refresh", () => {
  it("writes an Open MPI hostfile with 8 slots per node, addresses sorted numerically, and an ssh block for exactly those", () => {
    const files = scratch();
    // aws ec2 describe-instances --output text prints tab-separated addresses; the GCP and Azure helpers one per line.
    expect(refresh("printf '10.0.1.20\\t10.0.1.3\\n10.0.0.200\\n'", files)).toBe(0);
    expect(readFileSync(files.hostfile, "utf8")).toBe("10.0.0.200 slots=8\n10.0.1.3 slots=8\n10.0.1.20 slots=8\n");
    expect(readFileSync(files.hosts, "utf8")).toBe("10.0.0.200\n10.0.1.3\n10.0.1.20\n");
    expect(readFileSync(files.sshConfig, "utf8")).toBe(
      [
        "Host 10.0.0.200 10.0.1.3 10.0.1.20",
        "  IdentityFile ~/.ssh/gpu-cluster_ed25519",
        "  StrictHostKeyChecking yes",
        "  UserKnownHostsFile /dev/null",
        "  GlobalKnownHostsFile /etc/ssh/ssh_known_hosts",
        "  BatchMode yes",
        "",
      ].join("\n"),
    );
  });

  it("names the peers by the cloud's host patterns too, and the real ssh client applies the block to both (ssh -G)", () => {
    const files = scratch();
    expect(refresh("echo 10.0.0.5", files, ["vmss-pretrain*", "*.internal"])).toBe(0);
    const config = readFileSync(files.sshConfig, "utf8");
    expect(config.split("\n")[0]).toBe("Host 10.0.0.5 vmss-pretrain* *.internal");
    for (const host of ["10.0.0.5", "vmss-pretrain000001", "a3-node-7.us-central1-a.c.proj.internal"]) {
      const effective = execFileSync("ssh", ["-G", "-F", files.sshConfig, host], { encoding: "utf8" });
      expect(effective, host).toMatch(/^stricthostkeychecking true$/m);
      expect(effective, host).toMatch(/^userknownhostsfile \/dev\/null$/m);
      expect(effective, host).toMatch(/^identityfile ~\/\.ssh\/gpu-cluster_ed25519$/m);
    }
    // Any other host is untouched: the cluster key is not offered to it.
    expect(execFileSync("ssh", ["-G", "-F", files.sshConfig, "github.com"], { encoding: "utf8" })).not.toContain("gpu-cluster_ed25519");
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

  it("refuses a host pattern that is not a plain pattern", () => {
    expect(() => peerRefreshScript("true", 8, scratch(), ["a b; reboot"])).toThrow(/not a plain host pattern/);
  });
});

describe("the trust service", () => {
  const source = { privateKeyCommand: "echo 'AccessDeniedException: not authorized to perform secretsmanager:GetSecretValue' >&2; false", listPeersCommand: "echo 10.0.0.1", keySource: "Secrets Manager secret pretrain-ssh", users: ["ubuntu"] };

  it("keeps asking, then records the cloud's last error as the node's bootstrap failure (the health check reports it)", () => {
    const root = mkdtempSync(join(tmpdir(), "trust-"));
    // The script's own paths moved under a scratch root; a wait of 0 s gives up after the first answer.
    const lines = trustScript(source, 0).map((l) => l.replaceAll("/etc/gpu-cluster", `${root}/etc/gpu-cluster`).replaceAll("/var/lib/gpu-cluster", `${root}/var/lib/gpu-cluster`));
    const { status, stderr } = runScript(lines);
    expect(status).toBe(1);
    const reason = readFileSync(join(root, "var/lib/gpu-cluster/bootstrap-failed"), "utf8");
    expect(reason).toBe("cluster SSH key not readable from Secrets Manager secret pretrain-ssh after 0 s: AccessDeniedException: not authorized to perform secretsmanager:GetSecretValue \n");
    expect(stderr).toContain("AccessDeniedException");
    expect(existsSync(join(root, "etc/gpu-cluster/ssh/ready"))).toBe(false);
  });

  it("signs the host key as a host certificate the way the script does (the real ssh-keygen), principals as peers type them", () => {
    const dir = mkdtempSync(join(tmpdir(), "hostcert-"));
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(dir, "cluster")]);
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(dir, "ssh_host_ed25519_key")]);
    const line = trustScript(source).find((l) => l.includes("ssh-keygen -q -s"))!;
    expect(line).toBe('  ssh-keygen -q -s /etc/gpu-cluster/ssh/id_ed25519 -I "gpu-cluster $(hostname)" -h -n "$principals" "$hostkey.pub" || continue');
    execFileSync("ssh-keygen", ["-q", "-s", join(dir, "cluster"), "-I", "gpu-cluster node-0", "-h", "-n", "node-0,10.0.0.5", join(dir, "ssh_host_ed25519_key.pub")]);
    const cert = execFileSync("ssh-keygen", ["-L", "-f", join(dir, "ssh_host_ed25519_key-cert.pub")], { encoding: "utf8" });
    expect(cert).toMatch(/Type: ssh-ed25519-cert-v01@openssh.com host certificate/);
    expect(cert).toMatch(/Principals: \n\s+node-0\n\s+10\.0\.0\.5/);
    // Every node trusts the cluster key as the CA of host keys, for any host name (sshd(8) @cert-authority).
    expect(trustScript(source)).toContain('line="@cert-authority * $(cat /etc/gpu-cluster/ssh/id_ed25519.pub)"; touch /etc/ssh/ssh_known_hosts; grep -qxF "$line" /etc/ssh/ssh_known_hosts || echo "$line" >> /etc/ssh/ssh_known_hosts');
  });
});

describe("bootstrap lines", () => {
  const source = { privateKeyCommand: "cat /nonexistent", listPeersCommand: "echo 10.0.0.1", keySource: "Secrets Manager secret pretrain-ssh", users: ["ubuntu"] };

  it("are valid bash and start the trust service without waiting for it, so the boot never blocks on the key", () => {
    const lines = clusterSshLines(source, 4, 8);
    execFileSync("bash", ["-n"], { input: lines.join("\n") });
    expect(lines).toContain("systemctl start --no-block gpu-cluster-ssh-trust.service");
    expect(lines).toContain("TimeoutStartSec=2100");
    expect(lines.join("\n")).toContain("for user in root ubuntu; do");
  });

  it("refresh every minute up to 64 nodes and every 5 minutes above, each with up to 30 s of random delay", () => {
    expect(clusterSshLines(source, 64, 8)).toEqual(expect.arrayContaining(["OnUnitActiveSec=60", "RandomizedDelaySec=30"]));
    expect(clusterSshLines(source, 65, 8)).toContain("OnUnitActiveSec=300");
  });

  it("apply to every VM training cluster, one node too, and refuse a user name that is not a plain POSIX name", () => {
    expect(vmClusterTrust({ workload: "training", orchestrator: "vm" })).toBe(true);
    expect(vmClusterTrust({ workload: "inference", orchestrator: "vm" })).toBe(false);
    expect(vmClusterTrust({ workload: "training", orchestrator: "kubernetes" })).toBe(false);
    expect(clusterSshLines(source, 1, 8).length).toBeGreaterThan(0);
    expect(() => clusterSshLines({ ...source, users: ["ubuntu; reboot"] }, 2, 8)).toThrow(/not a plain POSIX user name/);
  });
});
