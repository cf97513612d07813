/**
 * Container images on the local NVMe array on VM nodes (lib/clouds/shared/local-nvme.ts, shared by AWS and Azure VMs,
 * and run by the AKS DaemonSet). Sources, read 2026-12-01:
 * - Docker Engine 29.0+ uses the containerd image store on fresh installs; image content and container snapshots then
 *   live in /var/lib/containerd, which Docker's `data-root` does not move, while volumes and daemon state stay in
 *   /var/lib/docker; with the classic drivers (upgraded installs) all of it is in /var/lib/docker
 *   (https://docs.docker.com/engine/daemon/ "Daemon data directory"; https://docs.docker.com/engine/storage/containerd/;
 *   docker/docs content/manuals/engine/storage/containerd.md @115f1ded);
 * - the Deep Learning AMI line ships docker-ce 29.x with containerd.io 2.3 (DLAMI release notes, ARM64 Base OSS Nvidia
 *   Driver GPU AMI Ubuntu 24.04 20260918 and Ubuntu 22.04 20261006, docs.aws.amazon.com/dlami/latest/devguide);
 * - the Azure HPC image runs moby-engine with containerd as its own systemd service (Azure/azhpc-images
 *   components/install_docker.sh @8e9d055f, 2026-07-29).
 * So both directories go on the array, with Docker and containerd stopped around the move. The block is also run for
 * real under bash, with stand-ins for the commands that touch the machine, to check what it does at each kind of boot.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { userDataScript } from "../lib/clouds/aws/bootstrap.js";
import { customDataScript } from "../lib/clouds/azure/bootstrap.js";
import { aksLocalNvmeScript } from "../lib/clouds/azure/aks/local-nvme.js";

/** The image-store block the mount script carries for an array mounted at `at` (written out by hand, not generated). */
function expectedBlock(at: string): string[] {
  return [
    `if mountpoint -q '${at}' && command -v dockerd >/dev/null && ! systemctl is-active --quiet kubelet && ! { mountpoint -q /var/lib/docker && mountpoint -q /var/lib/containerd; }; then`,
    "  systemctl stop docker.socket docker 2>/dev/null || true",
    "  systemctl stop containerd 2>/dev/null || true",
    "  if ! mountpoint -q /var/lib/docker; then",
    `    mkdir -p '${at}/docker' /var/lib/docker`,
    `    [ -n "$(ls -A '${at}/docker')" ] || cp -a /var/lib/docker/. '${at}/docker/' 2>/dev/null || true`,
    `    mount --bind '${at}/docker' /var/lib/docker || fail 'moving the Docker data directory onto local NVMe failed'`,
    "  fi",
    "  if ! mountpoint -q /var/lib/containerd; then",
    `    mkdir -p '${at}/containerd' /var/lib/containerd`,
    `    [ -n "$(ls -A '${at}/containerd')" ] || cp -a /var/lib/containerd/. '${at}/containerd/' 2>/dev/null || true`,
    `    mount --bind '${at}/containerd' /var/lib/containerd || fail 'moving containerd'\\''s root (the containerd image store) onto local NVMe failed'`,
    "  fi",
    "  systemctl start containerd 2>/dev/null || true",
    "  systemctl start docker 2>/dev/null || true",
    "fi",
  ];
}

/** The per-boot mount script inside a node's user data (between the quoted heredoc markers). */
function perBootScript(userData: string): string {
  const open = "<<'MOUNTS'\n";
  return userData.slice(userData.indexOf(open) + open.length, userData.indexOf("\nMOUNTS\n"));
}

const awsP5 = () => gpu.planCluster({ cloud: "aws", region: "us-east-1", gpu: { instanceType: "p5.48xlarge", nodes: 2 } });
const azureNd = () => gpu.planCluster({ cloud: "azure", region: "eastus", gpu: { instanceType: "Standard_ND96isr_H100_v5", nodes: 2 } });

describe("VM user data: /var/lib/docker and /var/lib/containerd both on the array", () => {
  it("AWS p5 (Deep Learning AMI): the per-boot mount script carries the block, right after /scratch is mounted", () => {
    const script = perBootScript(userDataScript(awsP5(), {}));
    const block = expectedBlock("/scratch").join("\n");
    expect(script).toContain(`  mountpoint -q '/scratch' && chmod 1777 '/scratch'\nfi\n${block}`);
    // Once: no second, older Docker-only move elsewhere in the script.
    expect(script.split("mount --bind '/scratch/docker' /var/lib/docker").length).toBe(2);
  });

  it("Azure ND H100 v5 (HPC image): the same block at /mnt/resource_nvme", () => {
    const script = perBootScript(customDataScript(azureNd(), {}));
    expect(script).toContain(`  mountpoint -q '/mnt/resource_nvme' && chmod 1777 '/mnt/resource_nvme'\nfi\n${expectedBlock("/mnt/resource_nvme").join("\n")}`);
  });

  it("the Azure gate's image pull starts only after both stores are on the array", () => {
    const userData = customDataScript(azureNd(), {}, "", [], [], ["docker pull example.invalid/check@sha256:" + "0".repeat(64)]);
    expect(userData.indexOf("docker pull")).toBeGreaterThan(userData.indexOf("mount --bind '/mnt/resource_nvme/containerd' /var/lib/containerd"));
  });

  it("a type without local NVMe (0 GiB in the catalog) moves nothing", () => {
    const plan = awsP5();
    const script = userDataScript({ ...plan, instance: { ...plan.instance, localNvmeGiB: 0 } }, {});
    expect(script).not.toContain("/var/lib/containerd");
    expect(script).not.toContain("/var/lib/docker");
  });

  it("the per-boot scripts parse under bash -n (AWS and Azure)", () => {
    for (const userData of [userDataScript(awsP5(), {}), customDataScript(azureNd(), {})]) {
      const out = spawnSync("bash", ["-n"], { input: perBootScript(userData), encoding: "utf8" });
      expect(out.stderr).toBe("");
      expect(out.status).toBe(0);
      // And the whole user data, heredoc included.
      expect(spawnSync("bash", ["-n"], { input: userData, encoding: "utf8" }).status).toBe(0);
    }
  });

  it("AKS: the DaemonSet's script carries the kubelet guard, so it never stops containerd under the node's pods", () => {
    const script = aksLocalNvmeScript(azureNd());
    expect(script).toContain(expectedBlock("/mnt/resource_nvme")[0]);
  });
});

/**
 * The block run for real: stand-ins on PATH for mountpoint, mount, systemctl, mkdir, cp, ls and dockerd log each call;
 * `mounted` lists what is mounted, `kubelet` makes `systemctl is-active kubelet` succeed, `full/<name>` marks a store
 * directory on the array as already holding data.
 */
const GREP = spawnSync("/bin/bash", ["-c", "command -v grep"], { encoding: "utf8" }).stdout.trim();

function runBlock(at: string, state: { mounted: string[]; kubelet?: boolean; full?: string[]; dockerd?: boolean; failBind?: string }) {
  const dir = mkdtempSync(join(tmpdir(), "image-store-"));
  const bin = join(dir, "bin");
  mkdirSync(bin);
  const stub = (name: string, body: string) => writeFileSync(join(bin, name), `#!/bin/bash\n${body}\n`, { mode: 0o755 });
  writeFileSync(join(dir, "mounted"), state.mounted.map((m) => `${m}\n`).join(""));
  stub("mountpoint", `${GREP} -qxF "$2" ${dir}/mounted`);
  stub("mount", `echo "mount $*" >> ${dir}/calls; [ "$3" = ${JSON.stringify(state.failBind ?? "-")} ] && exit 32; echo "$3" >> ${dir}/mounted`);
  stub("systemctl", `echo "systemctl $*" >> ${dir}/calls; [ "$1" = is-active ] && exit ${state.kubelet ? 0 : 3}; exit 0`);
  stub("mkdir", `echo "mkdir $*" >> ${dir}/calls`);
  stub("cp", `echo "cp $*" >> ${dir}/calls`);
  const full = (state.full ?? []).map((p) => `${at}/${p}`);
  stub("ls", `case "$2" in ${full.length ? full.map((f) => JSON.stringify(f)).join("|") : "__none__"}) echo data ;; esac`);
  if (state.dockerd !== false) stub("dockerd", "exit 0");
  const script = ["fail() { echo \"FAIL: $1\" >&2; exit 1; }", ...expectedBlock(at)].join("\n");
  // PATH holds only the stand-ins and bash's own directory: no real mount or systemctl can run.
  const out = spawnSync("/bin/bash", ["-c", script], { env: { PATH: bin }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const calls = existsSync(join(dir, "calls")) ? readFileSync(join(dir, "calls"), "utf8").trim().split("\n").filter(Boolean) : [];
  return { status: out.status, stderr: out.stderr, calls };
}

describe("the block at each kind of boot (run under bash with stand-ins)", () => {
  it("first boot (the array is blank): stops Docker and containerd, copies both stores, binds both, starts containerd then Docker", () => {
    const r = runBlock("/scratch", { mounted: ["/scratch"] });
    expect(r.status).toBe(0);
    expect(r.calls).toEqual([
      "systemctl is-active --quiet kubelet",
      "systemctl stop docker.socket docker",
      "systemctl stop containerd",
      "mkdir -p /scratch/docker /var/lib/docker",
      "cp -a /var/lib/docker/. /scratch/docker/",
      "mount --bind /scratch/docker /var/lib/docker",
      "mkdir -p /scratch/containerd /var/lib/containerd",
      "cp -a /var/lib/containerd/. /scratch/containerd/",
      "mount --bind /scratch/containerd /var/lib/containerd",
      "systemctl start containerd",
      "systemctl start docker",
    ]);
  });

  it("after a reboot (the array keeps its data): binds both without copying the older root-disk state over it", () => {
    const r = runBlock("/scratch", { mounted: ["/scratch"], full: ["docker", "containerd"] });
    expect(r.status).toBe(0);
    expect(r.calls.filter((c) => c.startsWith("cp "))).toEqual([]);
    expect(r.calls.filter((c) => c.startsWith("mount "))).toEqual(["mount --bind /scratch/docker /var/lib/docker", "mount --bind /scratch/containerd /var/lib/containerd"]);
  });

  it("a node where only /var/lib/docker was moved (an earlier release of this script): moves containerd's root only", () => {
    const r = runBlock("/scratch", { mounted: ["/scratch", "/var/lib/docker"], full: ["docker"] });
    expect(r.status).toBe(0);
    expect(r.calls.filter((c) => c.startsWith("mount ") || c.startsWith("cp "))).toEqual([
      "cp -a /var/lib/containerd/. /scratch/containerd/",
      "mount --bind /scratch/containerd /var/lib/containerd",
    ]);
  });

  it("run again in the same boot (both bound): touches nothing, stops nothing", () => {
    const r = runBlock("/scratch", { mounted: ["/scratch", "/var/lib/docker", "/var/lib/containerd"] });
    expect(r.status).toBe(0);
    expect(r.calls).toEqual(["systemctl is-active --quiet kubelet"]);
  });

  it("a Kubernetes node (kubelet active, the AKS DaemonSet's case): stops nothing", () => {
    const r = runBlock("/mnt/resource_nvme", { mounted: ["/mnt/resource_nvme"], kubelet: true });
    expect(r.status).toBe(0);
    expect(r.calls).toEqual(["systemctl is-active --quiet kubelet"]);
  });

  it("no Docker on the image, or no array mounted: nothing at all", () => {
    expect(runBlock("/scratch", { mounted: ["/scratch"], dockerd: false }).calls).toEqual([]);
    expect(runBlock("/scratch", { mounted: [] }).calls).toEqual([]);
  });

  it("a failed bind of containerd's root fails the boot with what went wrong", () => {
    const r = runBlock("/scratch", { mounted: ["/scratch"], failBind: "/var/lib/containerd" });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("FAIL: moving containerd's root (the containerd image store) onto local NVMe failed\n");
  });
});
