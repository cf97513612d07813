/**
 * GCP fabric, end to end on both paths, against Google's current manifests and blueprints (read 2026-11-30):
 * - VMs: what the startup script installs and starts for A3 High (TCPX), A3 Mega (TCPXO), A3 Ultra / A4 (gIB), and
 *   the NCCL environment it writes; the local SSD array and Docker on it.
 * - GKE: the local SSD as the GPU nodes' ephemeral storage.
 * Each expectation names the file its values come from.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { fabricEnvironment, startupScript } from "../lib/clouds/gcp/bootstrap.js";
import { GOOGLE_IMAGES } from "../lib/clouds/gcp/gke/bootstrap.js";
import { hostLimitsLines, MEMLOCK_LIMITS_FILE, NCCL_GIB_APT_VERSION, NCCL_GIB_VERSION, MEMLOCK_SYSTEMD_DROPIN, rdmaCheckLines, tcpxRxqConfig } from "../lib/clouds/gcp/fabric-boot.js";
import { environmentLines } from "../lib/clouds/shared/bootstrap.js";
import { LOCAL_SSD_COUNT, LOCAL_SSD_GIB } from "../lib/clouds/gcp/local-ssd.js";
import { byName, privateEndpoint, run } from "./helpers/offline.js";

const base = { cloud: "gcp" as const, region: "us-central1" };
const plan = (instanceType: string, extra: Record<string, unknown> = {}) => gpu.planCluster({ ...base, gpu: { instanceType, nodes: 2 }, ...extra } as Parameters<typeof gpu.planCluster>[0]);
const script = (instanceType: string, extra: Record<string, unknown> = {}) => startupScript(plan(instanceType, extra), {});
const lines = (s: string) => s.split("\n");
/** What each GPUDirect type needs to plan (A4 has no public price: a reservation and its contract price). */
const SPEC: Record<string, Record<string, unknown>> = {
  "a3-ultragpu-8g": { pricing: "spot" },
  "a4-highgpu-8g": { reservationId: "r", zone: "us-central1-b", contractUsdPerHour: 100 },
};

describe("GCP VMs, A3 Mega (GPUDirect-TCPXO): the software cluster-toolkit's a3mega blueprint and slurm-gcp's prolog run", () => {
  const s = script("a3-megagpu-8g");

  it("installs the dmabuf import helper from Google's gpudirect-tcpxo-apt repository (a3mega-slurm-blueprint.yaml @6c6a9a034, install_dmabuf.yml) and loads it", () => {
    expect(s).toContain("echo 'deb [arch=all signed-by=/etc/apt/keyrings/gpu-cluster-gce-ai-infra.gpg] ar+https://us-apt.pkg.dev/projects/gce-ai-infra gpudirect-tcpxo-apt main' > /etc/apt/sources.list.d/gpu-cluster-gpudirect-tcpxo-apt.list");
    expect(s).toContain("install -y -q dkms dmabuf-import-helper ||");
    expect(lines(s)).toContain('  modprobe import-helper || fail "gpudirect-tcpxo: the dmabuf import helper does not load on kernel $(uname -r)"');
  });

  it("bind-mounts every aperture device (PCI 1ae0:0084) under /dev/aperture_devices as nccl-tcpxo-installer.yaml @685dca25 does, and fails on a node with none", () => {
    expect(s).toContain("for bdf in $(lspci -nn -D | awk '/1ae0:0084/ {print $1}'); do");
    expect(s).toContain('mountpoint -q "$target" || mount --bind "$(readlink -f /sys/bus/pci/devices/$bdf)" "$target"');
    expect(s).toContain("chmod -R a+r /dev/aperture_devices/ && chmod a+rw /dev/aperture_devices/*/resource*");
    expect(s).toContain("fail 'gpudirect-tcpxo: no aperture device (PCI 1ae0:0084) on this node'");
  });

  it("installs plugin v1.0.17 with its NCCL and runs RxDM v1.0.23 with slurm-gcp's flags (receive-data-path-manager-mega @f10bb0e9), under systemd", () => {
    expect(lines(s)).toContain(
      "docker run --rm --name gpu-cluster-nccl-installer --network=host -v /var/lib:/var/lib us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpxo/nccl-plugin-gpudirecttcpx-dev:v1.0.17 install --install-nccl || fail 'gpudirect-tcpxo: the NCCL plugin installer (us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpxo/nccl-plugin-gpudirecttcpx-dev:v1.0.17) failed'",
    );
    expect(lines(s)).toContain(
      "ExecStart=/usr/bin/docker run --rm --name gpu-cluster-rxdm --cap-add=NET_ADMIN --network=host --privileged --gpus all --volume /var/lib/nvidia/lib64:/usr/local/nvidia/lib64 --volume /dev/dmabuf_import_helper:/dev/dmabuf_import_helper --env LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpxo/tcpgpudmarxd-dev:v1.0.23 --num_hops=2 --num_nics=8 --uid= --alsologtostderr",
    );
    expect(lines(s)).toContain("Restart=always");
    expect(lines(s)).toContain("systemctl enable gpu-cluster-rxdm.service");
  });

  it("waits up to 2 minutes for the buffer manager, as the prolog does (60 × 2 s), and fails the boot otherwise", () => {
    expect(s).toContain("for i in $(seq 60); do\n  if docker logs gpu-cluster-rxdm 2>&1 | grep 'Buffer manager initialization complete' >/dev/null; then rxdm_ready=yes; break; fi\n  sleep 2\ndone");
    expect(s).toContain('[ "$rxdm_ready" = yes ] || fail "gpudirect-tcpxo: the receive-datapath manager did not finish initialising in 2 minutes');
  });

  it("sources the plugin's nccl-env-profile.sh before the node's settings, which rename the NICs as Ubuntu does (a3-megagpu-8g/nccl-tests/run-nccl-tests.sh @4f04afc17)", () => {
    expect(s).toContain("cat > /etc/profile.d/gpu-cluster-0-nccl-plugin.sh <<'PROFILE'\nexport NCCL_LIB_DIR=/var/lib/tcpxo/lib64\n. /var/lib/tcpxo/lib64/nccl-env-profile.sh\nexport LD_LIBRARY_PATH=/var/lib/tcpxo/lib64${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}\nPROFILE");
    // gpu-cluster-0-… sorts before gpu-cluster-fabric.sh, so the node's interface names win over the profile's eth0..eth8.
    expect("gpu-cluster-0-nccl-plugin.sh" < "gpu-cluster-fabric.sh").toBe(true);
    expect(fabricEnvironment(plan("a3-megagpu-8g"))).toEqual({
      GPU_CLUSTER_FABRIC: "gpudirect-tcpxo",
      GPU_CLUSTER_EXPECTED_FABRIC_NICS: "8",
      NCCL_LIB_DIR: "/var/lib/tcpxo/lib64",
      NCCL_FASTRAK_CTRL_DEV: "enp0s12",
      NCCL_FASTRAK_IFNAME: "enp6s0,enp7s0,enp13s0,enp14s0,enp134s0,enp135s0,enp141s0,enp142s0",
      NCCL_SOCKET_IFNAME: "enp0s12",
      NCCL_FASTRAK_LLCM_DEVICE_DIRECTORY: "/dev/aperture_devices",
    });
    expect(s).toContain("for nic in enp0s12 enp6s0 enp7s0 enp13s0 enp14s0 enp134s0 enp135s0 enp141s0 enp142s0; do");
    expect(s).toContain("> /etc/gpu-cluster/nccl.env");
  });
});

describe("GCP VMs, A3 High (GPUDirect-TCPX): the TCPX kernel, plugin and RxDM of cluster-toolkit's a3high blueprint and slurm-gcp's prolog", () => {
  const s = script("a3-highgpu-8g");

  it("refuses the default image before anything is created (its stock kernel has no TCPX), naming gcp.image and the ways out", async () => {
    const result = await run(() => new gpu.TrainingCluster("hi", { ...base, gpu: { instanceType: "a3-highgpu-8g", nodes: 2 } } as gpu.TrainingClusterArgs));
    expect(result.error).toMatchObject({ name: "SpecError", path: "gcp.image" });
    expect((result.error as Error).message).toMatch(/linux-gcp-tcpx.*orchestrator: 'kubernetes'.*fabric: 'none'/);
    const own = await run(() => new gpu.TrainingCluster("hi", { ...base, gpu: { instanceType: "a3-highgpu-8g", nodes: 2 }, gcp: { image: "projects/p/global/images/family/a3high-tcpx" } } as gpu.TrainingClusterArgs));
    expect(own.error).toBeUndefined();
    const none = await run(() => new gpu.TrainingCluster("hi", { ...base, gpu: { instanceType: "a3-highgpu-8g", nodes: 2 }, fabric: "none" } as gpu.TrainingClusterArgs));
    expect(none.error).toBeUndefined();
  });

  it("refuses a kernel other than Google's TCPX kernel (a3high-slurm-blueprint.yaml @5231ccc8f installs linux-gcp-tcpx), saying how to get one", () => {
    expect(s).toContain('case "$(uname -r)" in\n  *tcpx*) ;;\n  *) fail "gpudirect-tcpx: the node runs kernel $(uname -r); GPUDirect-TCPX needs Google\'s TCPX kernel');
  });

  it("installs plugin v3.1.9-2.19.4-12.0 and runs RxDM v2.0.12 with the manual GPU/NIC map (receive-data-path-manager @6e4500a7)", () => {
    expect(lines(s)).toContain(
      "docker run --rm --name gpu-cluster-nccl-installer --network=host -v /var/lib:/var/lib us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpx/nccl-plugin-gpudirecttcpx-dev:v3.1.9-2.19.4-12.0 install || fail 'gpudirect-tcpx: the NCCL plugin installer (us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpx/nccl-plugin-gpudirecttcpx-dev:v3.1.9-2.19.4-12.0) failed'",
    );
    expect(lines(s)).toContain(
      "ExecStart=/usr/bin/docker run --rm --name gpu-cluster-rxdm --cap-add=NET_ADMIN --network=host --privileged --gpus all --volume /var/lib/nvidia/lib64:/usr/local/nvidia/lib64 --volume /opt/tcpdirect_benchmark:/opt/tcpdirect_benchmark --volume /run/tcpx:/run/tcpx --env LD_LIBRARY_PATH=/usr/local/nvidia/lib64:/run/tcpx:/usr/lib/lib32:/usr/lib/x86_64-linux-gnu/ --entrypoint /tcpgpudmarxd/build/app/tcpgpudmarxd --ulimit memlock=-1 us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpx/tcpgpudmarxd-dev:v2.0.12 --gpu_nic_preset manual --gpu_nic_topology /opt/tcpdirect_benchmark/gpu_rxq_configuration.textproto --gpu_shmem_type fd --uds_path /run/tcpx",
    );
    expect(s).toContain(`cat > /opt/tcpdirect_benchmark/gpu_rxq_configuration.textproto <<'RXQ'\n${tcpxRxqConfig()}\nRXQ`);
    expect(s).toContain("sleep 10\n[ \"$(docker container inspect -f '{{.State.Running}}' gpu-cluster-rxdm 2>/dev/null)\" = \"true\" ] || fail");
  });

  it("writes the blueprint's GPU receive-queue map: each NIC, its Ubuntu name, queues 8-11 and 12-15 to its two GPUs", () => {
    const map = tcpxRxqConfig();
    // First and last NIC blocks as a3high-slurm-blueprint.yaml @5231ccc8f gives them.
    expect(map.startsWith('gpu_rxq_configs {\n  gpu_infos {\n    gpu_pci_addr: "0000:04:00.0"\n    queue_ids: 8\n    queue_ids: 9\n    queue_ids: 10\n    queue_ids: 11\n  }\n  gpu_infos {\n    gpu_pci_addr: "0000:05:00.0"\n    queue_ids: 12')).toBe(true);
    expect(map).toContain('  nic_pci_addr: "0000:8c:00.0"\n  ifname: "enp140s0"\n}\nrss_set_size: 8\ntcpd_queue_size: 8\nmax_rx_rules: 100000');
    expect(map.match(/gpu_rxq_configs \{/g)).toHaveLength(4);
    expect(map.match(/queue_ids:/g)).toHaveLength(32);
  });

  it("sets run-nccl-tests.sh's NCCL values (a3-highgpu-8g/nccl-tests @4f04afc17) with the TCPX plugin named, and the plugin on the library path by login profile", () => {
    expect(fabricEnvironment(plan("a3-highgpu-8g"))).toEqual({
      GPU_CLUSTER_FABRIC: "gpudirect-tcpx",
      GPU_CLUSTER_EXPECTED_FABRIC_NICS: "4",
      NCCL_NET: "GPUDirectTCPX_v7",
      NCCL_SOCKET_IFNAME: "enp0s12",
      CUDA_VISIBLE_DEVICES: "0,1,2,3,4,5,6,7",
      NCCL_GPUDIRECTTCPX_CTRL_DEV: "enp0s12",
      NCCL_GPUDIRECTTCPX_SOCKET_IFNAME: "enp6s0,enp12s0,enp134s0,enp140s0",
      NCCL_GPUDIRECTTCPX_UNIX_CLIENT_PREFIX: "/run/tcpx",
      NCCL_GPUDIRECTTCPX_PROGRAM_FLOW_STEERING_WAIT_MICROS: "500000",
      NCCL_GPUDIRECTTCPX_TX_BINDINGS: "enp6s0:8-21,112-125;enp12s0:8-21,112-125;enp134s0:60-73,164-177;enp140s0:60-73,164-177",
      NCCL_GPUDIRECTTCPX_RX_BINDINGS: "enp6s0:22-35,126-139;enp12s0:22-35,126-139;enp134s0:74-87,178-191;enp140s0:74-87,178-191",
      NCCL_ALGO: "Ring",
      NCCL_PROTO: "Simple",
      NCCL_CROSS_NIC: "0",
      NCCL_NET_GDR_LEVEL: "PIX",
      NCCL_P2P_PXN_LEVEL: "0",
      NCCL_DYNAMIC_CHUNK_SIZE: "524288",
      NCCL_P2P_NET_CHUNKSIZE: "524288",
      NCCL_P2P_PCI_CHUNKSIZE: "524288",
      NCCL_P2P_NVL_CHUNKSIZE: "1048576",
      NCCL_BUFFSIZE: "4194304",
      NCCL_NSOCKS_PERTHREAD: "4",
      NCCL_SOCKET_NTHREADS: "1",
    });
    expect(s).toContain("cat > /etc/profile.d/gpu-cluster-0-nccl-plugin.sh <<'PROFILE'\nexport LD_LIBRARY_PATH=/var/lib/tcpx/lib64${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}\nPROFILE");
  });
});

describe("GCP VMs, A3 Ultra and A4 (GPUDirect-RDMA): the gIB plugin of cluster-toolkit's a4high-vm.yaml @ad831f5f0", () => {
  it("GKE runs Google's installer tag (nccl-plugin-gib:v1.1.1); VMs the apt version Google's VM blueprints pin (nccl-gib=1.1.0)", () => {
    expect(NCCL_GIB_VERSION).toBe("1.1.1");
    expect(GOOGLE_IMAGES.ncclGibInstaller).toBe("us-docker.pkg.dev/gce-ai-infra/gpudirect-gib/nccl-plugin-gib:v1.1.1");
    // cluster-toolkit a3ultra-slurm-blueprint.yaml and a4high-slurm-blueprint.yaml @104708037: nccl_gib_version: 1.1.0.
    expect(NCCL_GIB_APT_VERSION).toBe("1.1.0");
  });

  for (const [type, extra] of [
    ["a3-ultragpu-8g", { pricing: "spot" }],
    ["a4-highgpu-8g", { reservationId: "r", zone: "us-central1-b", contractUsdPerHour: 100 }],
  ] as const) {
    it(`${type}: installs and holds nccl-gib from gpudirect-gib-apt, puts /usr/local/gib/lib64 on the linker's path, and never sets LD_LIBRARY_PATH`, () => {
      const s = script(type, extra);
      expect(s).toContain("echo 'deb [signed-by=/etc/apt/keyrings/gpu-cluster-gce-ai-infra.gpg] ar+https://us-apt.pkg.dev/projects/gce-ai-infra gpudirect-gib-apt main' > /etc/apt/sources.list.d/gpu-cluster-gpudirect-gib-apt.list");
      // Pinned to the apt version Google's own VM blueprints install (a4high-slurm-blueprint.yaml @706df3b2c: nccl-gib=1.1.0).
      expect(s).toContain("gib_version=$(dpkg-query -W -f='${Version}' nccl-gib 2>/dev/null || true)\nif [ \"$gib_version\" != '1.1.0' ]; then");
      expect(s).toContain("install -y -q --allow-downgrades --allow-change-held-packages nccl-gib=1.1.0 || fail");
      expect(lines(s)).toContain("  apt-mark hold nccl-gib");
      // Checked at every boot, after the install: a node on another build fails, naming both versions.
      expect(lines(s)).toContain(
        `[ "$(dpkg-query -W -f='\${Version}' nccl-gib 2>/dev/null || true)" = '1.1.0' ] || fail "rdma: nccl-gib is $(dpkg-query -W -f='\${Version}' nccl-gib 2>/dev/null || true) on this node, not 1.1.0: every node must run the same gIB and NCCL build"`,
      );
      expect(s).not.toMatch(/install -y -q nccl-gib( |$)/m);
      expect(s).toContain("echo /usr/local/gib/lib64 > /etc/ld.so.conf.d/000_nccl-gib.conf\nldconfig");
      // The plugin's own NCCL script, when the package ships it, then the blueprint's values.
      expect(s).toContain("[ -r /usr/local/gib/scripts/set_nccl_env.sh ] && . /usr/local/gib/scripts/set_nccl_env.sh");
      const env = fabricEnvironment(plan(type, extra));
      expect(env).toEqual({
        GPU_CLUSTER_FABRIC: "rdma",
        GPU_CLUSTER_EXPECTED_FABRIC_NICS: "8",
        NCCL_CROSS_NIC: "0",
        NCCL_NET_GDR_LEVEL: "PIX",
        NCCL_P2P_NET_CHUNKSIZE: "131072",
        NCCL_NVLS_CHUNKSIZE: "524288",
        NCCL_IB_GID_INDEX: "3",
        NCCL_IB_ADAPTIVE_ROUTING: "1",
        NCCL_IB_QPS_PER_CONNECTION: "4",
        NCCL_IB_TC: "52",
        NCCL_IB_FIFO_TC: "84",
        NCCL_TUNER_CONFIG_PATH: "/usr/local/gib/configs/tuner_config.txtpb",
      });
      // /etc/environment cannot prepend: a value there would replace the system's library path.
      expect(s).not.toMatch(/^LD_LIBRARY_PATH=/m);
    });
  }
});

describe("GCP VMs read Google's GPUDirect repositories as the node's service account, as the anchors do", () => {
  it("apt: Artifact Registry's apt transport from packages.cloud.google.com, then ar+https://us-apt.pkg.dev/projects/gce-ai-infra (a3mega-slurm-blueprint.yaml, a3ultra-slurm-blueprint.yaml, a4high-vm.yaml @10470803)", () => {
    for (const [type, extra, suite] of [
      ["a3-megagpu-8g", {}, "gpudirect-tcpxo-apt"],
      ["a3-ultragpu-8g", { pricing: "spot" }, "gpudirect-gib-apt"],
      ["a4-highgpu-8g", { reservationId: "r", zone: "us-central1-b", contractUsdPerHour: 100 }, "gpudirect-gib-apt"],
    ] as const) {
      const s = script(type, extra);
      const transport = s.indexOf("install -y -q apt-transport-artifact-registry || fail");
      expect(transport, type).toBeGreaterThan(0);
      expect(s).toContain("echo 'deb [signed-by=/etc/apt/keyrings/gpu-cluster-cloud-packages.gpg] https://packages.cloud.google.com/apt apt-transport-artifact-registry-stable main' > /etc/apt/sources.list.d/gpu-cluster-artifact-registry-transport.list");
      expect(s).toContain("curl -fsSL 'https://packages.cloud.google.com/apt/doc/apt-key.gpg' | gpg --dearmor");
      // The transport is there before the first ar+https source is read.
      expect(transport).toBeLessThan(s.indexOf(`ar+https://us-apt.pkg.dev/projects/gce-ai-infra ${suite} main`));
      // No anonymous https source of gce-ai-infra is left.
      expect(s).not.toMatch(/\] https:\/\/us-apt\.pkg\.dev\/projects\/gce-ai-infra/);
    }
  });

  it("Docker: gcloud auth configure-docker us-docker.pkg.dev before the plugin installer and the RxDM (receive-data-path-manager-mega @13fd92b6), both images pulled then", () => {
    for (const [type, extra, plugin, rxdm] of [
      ["a3-megagpu-8g", {}, "gpudirect-tcpxo/nccl-plugin-gpudirecttcpx-dev:v1.0.17", "gpudirect-tcpxo/tcpgpudmarxd-dev:v1.0.23"],
      ["a3-highgpu-8g", {}, "gpudirect-tcpx/nccl-plugin-gpudirecttcpx-dev:v3.1.9-2.19.4-12.0", "gpudirect-tcpx/tcpgpudmarxd-dev:v2.0.12"],
    ] as const) {
      const s = script(type, extra);
      const login = s.indexOf("gcloud auth configure-docker --quiet us-docker.pkg.dev >/dev/null 2>&1 || fail");
      expect(login, type).toBeGreaterThan(0);
      expect(s.indexOf("systemctl enable --now docker")).toBeLessThan(login);
      const pulls = [plugin, rxdm].map((image) => s.indexOf(`docker image inspect us-docker.pkg.dev/gce-ai-infra/${image} >/dev/null 2>&1 || docker pull -q us-docker.pkg.dev/gce-ai-infra/${image} >/dev/null || fail`));
      for (const at of pulls) expect(at).toBeGreaterThan(login);
      expect(Math.max(...pulls)).toBeLessThan(s.indexOf("docker run --rm --name gpu-cluster-nccl-installer"));
      expect(Math.max(...pulls)).toBeLessThan(s.indexOf("systemctl restart gpu-cluster-rxdm.service"));
    }
  });
});

describe("GCP VMs, A3 Ultra and A4: a node without its whole RDMA fabric fails its boot", () => {
  it("installs the RDMA user space when the image lacks it (a4high-vm.yaml @10470803 install_ibverbs_utils.yml: ibverbs-utils; rdma-core loads ib_uverbs), before the gIB plugin", () => {
    const s = script("a3-ultragpu-8g", { pricing: "spot" });
    expect(s).toContain("if ! command -v ibv_devinfo >/dev/null 2>&1; then");
    expect(s).toContain("install -y -q ibverbs-utils rdma-core || fail 'rdma: installing the RDMA user space (ibverbs-utils, rdma-core) failed'");
    expect(s.indexOf("ibverbs-utils rdma-core")).toBeLessThan(s.indexOf("nccl-gib=1.1.0"));
    // The check waits up to 120 s (24 × 5 s) for the links, then fails on 8 devices expected.
    expect(s).toContain("for i in $(seq 0 24); do");
    expect(s).toContain('[ "$rdma_found" -ge 8 ] || fail');
  });

  /** Runs the check against a fake sysfs of `states` (one port-1 state per device) and a fake ibv_devinfo listing `listed`. */
  function check(states: string[], listed = states.length): { ok: boolean; out: string } {
    const dir = mkdtempSync(join(tmpdir(), "rdma-check-"));
    try {
      const sysfs = join(dir, "infiniband");
      states.forEach((state, i) => {
        mkdirSync(join(sysfs, `mlx5_${i}`, "ports", "1"), { recursive: true });
        writeFileSync(join(sysfs, `mlx5_${i}`, "ports", "1", "state"), `${state}\n`);
      });
      mkdirSync(join(dir, "bin"));
      writeFileSync(join(dir, "bin", "ibv_devinfo"), `#!/bin/sh\necho "${listed} HCAs found:"\n`);
      chmodSync(join(dir, "bin", "ibv_devinfo"), 0o755);
      const body = ['fail() { echo "FAILED: $1"; exit 1; }', ...rdmaCheckLines(8, { sysfs, waitSeconds: 0 }), "echo PASSED"].join("\n");
      try {
        return { ok: true, out: execFileSync("bash", ["--norc", "--noprofile", "-uo", "pipefail", "-c", body], { env: { PATH: `${join(dir, "bin")}:/usr/bin:/bin` } }).toString() };
      } catch (e) {
        return { ok: false, out: String((e as { stdout: Buffer }).stdout) };
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const active = (n: number) => Array.from({ length: n }, () => "4: ACTIVE");

  it("passes with 8 devices whose ports are ACTIVE and that ibv_devinfo lists", () => {
    expect(check(active(8))).toEqual({ ok: true, out: "PASSED\n" });
  });
  it("fails with 7 devices, naming the count", () => {
    expect(check(active(7))).toEqual({ ok: false, out: expect.stringContaining("FAILED: rdma: the node has 7 of its 8 RDMA devices") });
  });
  it("fails when one port is DOWN, naming it", () => {
    const r = check([...active(7), "1: DOWN"]);
    expect(r.ok).toBe(false);
    expect(r.out).toContain("FAILED: rdma: 1 of 8 RDMA ports are not ACTIVE after 0 s:");
    expect(r.out).toContain("mlx5_7/ports/1/state:1: DOWN");
  });
  it("fails when the verbs library sees fewer devices than sysfs", () => {
    expect(check(active(8), 0)).toEqual({ ok: false, out: expect.stringContaining("FAILED: rdma: ibv_devinfo does not list the 8 RDMA devices") });
  });
});

describe("GCP VMs: the startup script runs at every boot", () => {
  it("leaves one copy of the node's environment in /etc/environment however many times it runs, and the image's own lines as they were", () => {
    const dir = mkdtempSync(join(tmpdir(), "etc-env-"));
    try {
      const file = join(dir, "environment");
      writeFileSync(file, 'PATH="/usr/local/sbin:/usr/bin"\n');
      const body = environmentLines({ NCCL_CROSS_NIC: "0", NCCL_IB_TC: "52" })
        .join("\n")
        .replaceAll("/etc/environment", file)
        .replaceAll("/etc/profile.d/gpu-cluster-fabric.sh", join(dir, "profile.sh"));
      for (let boot = 0; boot < 3; boot++) execFileSync("bash", ["--norc", "--noprofile", "-uo", "pipefail", "-c", body]);
      expect(readFileSync(file, "utf8")).toBe('PATH="/usr/local/sbin:/usr/bin"\n# BEGIN gpu-cluster\nNCCL_CROSS_NIC="0"\nNCCL_IB_TC="52"\n# END gpu-cluster\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("GCP local SSD", () => {
  it("VMs: one RAID0 array over every local NVMe SSD at /mnt/localssd (setup-raid.yml @4f04afc17), before the mounts and the fabric, with Docker's data root on it", () => {
    const s = script("a3-megagpu-8g");
    expect(s).toContain("local_ssds=$(ls /dev/disk/by-id/google-local-nvme-ssd-* 2>/dev/null || true)");
    expect(s).toContain(`mdadm --create '/dev/md/localssd' --run --name=localssd --homehost=any --level=0 --raid-devices="$count" $force $local_ssds`);
    expect(s).toContain("[ -e '/dev/md/localssd' ] || mdadm --assemble '/dev/md/localssd' $local_ssds 2>/dev/null || true");
    expect(s).toContain("blkid '/dev/md/localssd' >/dev/null || mkfs.ext4 -F -m 0");
    expect(s).toContain("mountpoint -q '/mnt/localssd' || mount -o discard,defaults,nofail '/dev/md/localssd' '/mnt/localssd'");
    expect(s).toContain("chmod 1777 '/mnt/localssd'");
    // Docker's images on the array (the blueprints' daemon_config data-root), before any image is pulled.
    expect(s).toContain(`python3 - '/mnt/localssd/docker' <<'PY'`);
    const at = (needle: string) => s.indexOf(needle);
    expect(at("local_ssds=")).toBeGreaterThan(0);
    expect(at("local_ssds=")).toBeLessThan(at("python3 - '/mnt/localssd/docker'"));
    expect(at("python3 - '/mnt/localssd/docker'")).toBeLessThan(at("docker run --rm --name gpu-cluster-nccl-installer"));
  });

  // One rule for every VM fabric type with local SSD (cluster-toolkit a4high-vm.yaml @ad831f5f0, 2026-06-09, read
  // 2026-12-01: `local_ssd_filesystem` + Docker `"data-root": "$(vars.local_ssd_mountpoint)/docker"`; the A3 blueprints the same).
  for (const instanceType of Object.keys(LOCAL_SSD_COUNT)) {
    it(`VMs, ${instanceType}: Docker's data root moves onto the array once, after the RAID and before any image is pulled`, () => {
      const s = script(instanceType, SPEC[instanceType]);
      const merge = "python3 - '/mnt/localssd/docker' <<'PY'";
      expect(s.split(merge).length - 1).toBe(1);
      expect(s.indexOf("local_ssds=")).toBeLessThan(s.indexOf(merge));
      const firstPull = Math.min(...["docker pull", "docker run"].map((c) => s.indexOf(c)).filter((i) => i >= 0), s.length);
      expect(s.indexOf(merge)).toBeLessThan(firstPull);
      // Docker 29+'s containerd image store, which data-root does not move, bound onto the array too, once, before any pull.
      const bind = "    mount --bind '/mnt/localssd/containerd' /var/lib/containerd || fail 'moving containerd'\\''s root (the containerd image store) onto local NVMe failed'";
      expect(s.split("\n").filter((l) => l === bind)).toHaveLength(1);
      expect(s.indexOf(merge)).toBeLessThan(s.indexOf(bind));
      expect(s.indexOf(bind)).toBeLessThan(firstPull);
      expect(s).not.toContain("mount --bind '/mnt/localssd/docker' /var/lib/docker");
    });
  }

  it("machine types carry 6,000 GiB (A3 High / Mega) and 12,000 GiB (A3 Ultra / A4) of local SSD (gke-node-pool/disk_definitions.tf @4f04afc17)", () => {
    const gib = Object.fromEntries(Object.entries(LOCAL_SSD_COUNT).map(([t, n]) => [t, n * LOCAL_SSD_GIB]));
    expect(gib).toEqual({ "a3-highgpu-8g": 6000, "a3-megagpu-8g": 6000, "a3-ultragpu-8g": 12000, "a4-highgpu-8g": 12000 });
  });

  it("GKE: the GPU nodes' ephemeral storage on every local SSD, as Google's GPUDirect node pools (16 on A3 Mega, 32 on A3 Ultra), ignored after creation", async () => {
    const mega = await run(() => new gpu.TrainingCluster("m", privateEndpoint({ ...base, orchestrator: "kubernetes", gpu: { instanceType: "a3-megagpu-8g", nodes: 2 } } as gpu.TrainingClusterArgs)));
    expect(mega.error).toBeUndefined();
    const pool = byName(mega, "gcp:container/nodePool:NodePool", "m-gpu-nodes");
    expect(pool.inputs.nodeConfig.ephemeralStorageLocalSsdConfig).toEqual({ localSsdCount: 16 });
    const ultra = await run(() => new gpu.TrainingCluster("u", privateEndpoint({ ...base, orchestrator: "kubernetes", gpu: { instanceType: "a3-ultragpu-8g", nodes: 2 }, reservationId: "r", zone: "us-central1-b" } as gpu.TrainingClusterArgs)));
    expect(ultra.error).toBeUndefined();
    expect(byName(ultra, "gcp:container/nodePool:NodePool", "u-gpu-nodes").inputs.nodeConfig.ephemeralStorageLocalSsdConfig).toEqual({ localSsdCount: 32 });
  });
});

describe("GCP VMs: the host limits of cluster-toolkit's GPUDirect VM blueprints (a4high-vm.yaml @ad831f5f0, a3mega-slurm-blueprint.yaml @6c6a9a034, read 2026-12-01)", () => {
  for (const instanceType of Object.keys(LOCAL_SSD_COUNT)) {
    it(`${instanceType}: memlock, nproc, stack unlimited and nofile 1048576 for login sessions (stack not for services), and nvidia-persistenced, before the fabric's software`, () => {
      const s = script(instanceType, SPEC[instanceType]);
      expect(lines(s)).toContain(`printf '* - memlock unlimited\\n* - nproc unlimited\\n* - stack unlimited\\n* - nofile 1048576\\n' > ${MEMLOCK_LIMITS_FILE}`);
      expect(lines(s)).toContain(`  printf '[Manager]\\nDefaultLimitMEMLOCK=infinity\\nDefaultLimitNPROC=infinity\\nDefaultLimitNOFILE=1048576\\n' > ${MEMLOCK_SYSTEMD_DROPIN}`);
      expect(lines(s)).toContain("  systemctl enable --now nvidia-persistenced.service || fail 'nvidia-persistenced does not start'");
      expect(s.indexOf(MEMLOCK_LIMITS_FILE)).toBeLessThan(s.indexOf("# GPUDirect"));
    });
  }

  it("no fabric, no host changes (a VM without GPUDirect keeps the image's limits)", () => {
    expect(script("a2-ultragpu-8g")).not.toContain(MEMLOCK_LIMITS_FILE);
  });

  it("runs: writes both files, re-executes systemd only when the drop-in changed, and starts nvidia-persistenced when the image has it", () => {
    const dir = mkdtempSync(join(tmpdir(), "gcp-limits-"));
    try {
      mkdirSync(join(dir, "bin"));
      const log = join(dir, "systemctl.log");
      // A systemctl that logs its calls and knows nvidia-persistenced.service.
      writeFileSync(join(dir, "bin", "systemctl"), `#!/bin/sh\necho "$@" >> ${log}\nexit 0\n`);
      chmodSync(join(dir, "bin", "systemctl"), 0o755);
      const body = hostLimitsLines()
        .join("\n")
        .replaceAll(MEMLOCK_LIMITS_FILE, join(dir, "limits.conf"))
        .replaceAll("/etc/systemd/system.conf.d", join(dir, "system.conf.d"));
      const runOnce = () => execFileSync("bash", ["--norc", "--noprofile", "-uo", "pipefail", "-c", `fail() { echo "$1" >&2; exit 1; }\n${body}`], { env: { PATH: `${join(dir, "bin")}:/usr/bin:/bin` } });
      runOnce();
      runOnce();
      // cluster-toolkit@1047080 a4high-vm.yaml:121-128 / a3mega-slurm-blueprint.yaml:219-228 (99-unlimited.conf):
      // memlock, nproc, stack unlimited and nofile 1048576 for logins; the systemd defaults without the stack.
      expect(readFileSync(join(dir, "limits.conf"), "utf8")).toBe("* - memlock unlimited\n* - nproc unlimited\n* - stack unlimited\n* - nofile 1048576\n");
      expect(readFileSync(join(dir, "system.conf.d", "99-gpu-cluster-memlock.conf"), "utf8")).toBe(
        "[Manager]\nDefaultLimitMEMLOCK=infinity\nDefaultLimitNPROC=infinity\nDefaultLimitNOFILE=1048576\n",
      );
      expect(readFileSync(log, "utf8").split("\n").filter(Boolean)).toEqual([
        "daemon-reexec",
        "cat nvidia-persistenced.service",
        "enable --now nvidia-persistenced.service",
        "cat nvidia-persistenced.service",
        "enable --now nvidia-persistenced.service",
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
