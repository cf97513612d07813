/**
 * GPU metrics on Azure VMs (lib/clouds/azure/gpu-metrics.ts): Telegraf's nvidia_smi input and azure_monitor output,
 * written against the scale set with the nodes' identity, which may publish metrics on the scale set only. Sources
 * (read 2026-11-30):
 * - https://learn.microsoft.com/azure/azure-monitor/essentials/metrics-custom-overview (Telegraf's Azure Monitor output
 *   among the ways to send custom metrics) and
 *   https://learn.microsoft.com/azure/azure-monitor/essentials/metrics-store-custom-rest-api (a managed identity
 *   publishes with "Monitoring Metrics Publisher" on the resource);
 * - https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/monitor#monitoring-metrics-publisher
 *   (the role's id, 3913510d-42f4-4e42-8a64-420c390055eb);
 * - influxdata/telegraf v1.39.3 (eb37a442): plugins/outputs/azure_monitor (resource = the scale set on a scale-set VM,
 *   namespace `Telegraf/<measurement>`, a metric per field), plugins/inputs/nvidia_smi/README.md (field names),
 *   docs/INSTALL_GUIDE.md (repository and key fingerprint);
 * - infracost e9ce6290 (2024-07-01) monitor_data_collection_rule_test.golden: $0.16 per 10M custom metric samples
 *   (West Europe), named in the unpriced item.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { azureVm } from "../lib/cost/bom/azure-vm.js";
import { azureGpuMetricsOn, gpuMetricsLines, INFLUXDATA_REPO, telegrafConfig, TELEGRAF_PACKAGE } from "../lib/clouds/azure/gpu-metrics.js";
import type { Plan } from "../lib/planner/types.js";
import type { ClusterSpec } from "../lib/spec/types.js";
import { one, ofType, privateEndpoint, run } from "./helpers/offline.js";

const A = {
  vmss: "azure-native:compute:VirtualMachineScaleSet",
  role: "azure-native:authorization:RoleAssignment",
  identity: "azure-native:managedidentity:UserAssignedIdentity",
};
const SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGpuY2x1c3RlcnRlc3RrZXlub3RyZWFsMDAwMDAwMDA0 ops@example";
const MONITORING_METRICS_PUBLISHER = "3913510d-42f4-4e42-8a64-420c390055eb";

function training(name: string, args: Record<string, unknown> = {}, azure: Record<string, unknown> = {}) {
  return () =>
    new gpu.TrainingCluster(name, {
      cloud: "azure",
      region: "eastus",
      gpu: { instanceType: "Standard_ND96isr_H100_v5", nodes: 2 },
      ...args,
      azure: { sshPublicKey: SSH_KEY, ...azure },
    } as gpu.TrainingClusterArgs);
}

function fleet(name: string, azure: Record<string, unknown> = {}) {
  return () =>
    new gpu.InferenceFleet(name, {
      cloud: "azure",
      region: "eastus",
      gpu: { instanceType: "Standard_NC24ads_A100_v4" },
      replicas: { min: 1, max: 3 },
      port: 8000,
      healthCheckPath: "/health",
      azure: { sshPublicKey: SSH_KEY, ...azure },
    } as gpu.InferenceFleetArgs);
}

const customData = (result: Awaited<ReturnType<typeof run>>) =>
  Buffer.from(one(result, A.vmss).inputs.virtualMachineProfile.osProfile.customData as string, "base64").toString("utf8");

/** The heredoc the boot script writes to /etc/telegraf/telegraf.conf. */
function writtenConfig(script: string): string {
  const m = /cat > \/etc\/telegraf\/telegraf\.conf <<'TELEGRAF'\n([\s\S]*?)\nTELEGRAF\n/.exec(script);
  expect(m, "the boot script writes /etc/telegraf/telegraf.conf").not.toBeNull();
  return m![1]!;
}

type TomlValue = string | number | boolean | string[];
type TomlTable = Record<string, TomlValue>;
/**
 * The subset of TOML Telegraf's config uses here, read strictly (a line it does not know fails the test): `[table]`,
 * `[[array.of.tables]]`, comments, and `key = "string" | number | true/false | ["string", ...]`.
 */
function parseToml(text: string): { tables: Record<string, TomlTable>; arrays: Record<string, TomlTable[]> } {
  const tables: Record<string, TomlTable> = {};
  const arrays: Record<string, TomlTable[]> = {};
  let current: TomlTable | undefined;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    let m: RegExpExecArray | null;
    if ((m = /^\[\[([a-z_.]+)\]\]$/.exec(line))) {
      current = {};
      (arrays[m[1]!] ??= []).push(current);
    } else if ((m = /^\[([a-z_.]+)\]$/.exec(line))) {
      current = tables[m[1]!] = {};
    } else if ((m = /^([a-z_]+) = (.+)$/.exec(line)) && current) {
      const v = m[2]!;
      if (/^"[^"\\]*"$/.test(v)) current[m[1]!] = v.slice(1, -1);
      else if (/^(true|false)$/.test(v)) current[m[1]!] = v === "true";
      else if (/^-?\d+(\.\d+)?$/.test(v)) current[m[1]!] = Number(v);
      else if (/^\[("[^"\\]*"(, "[^"\\]*")*)?\]$/.test(v)) current[m[1]!] = v === "[]" ? [] : v.slice(1, -1).split(", ").map((s) => s.slice(1, -1));
      else throw new Error(`unsupported TOML value: ${line}`);
    } else throw new Error(`unsupported TOML line: ${line}`);
  }
  return { tables, arrays };
}

describe("Azure VM GPU metrics: Telegraf -> Azure Monitor custom metrics", () => {
  it("writes a Telegraf config with only the nvidia_smi input (5 fields, 3 dimensions) and the Azure Monitor output, every 60 s", async () => {
    const result = await run(training("gm", { storage: [{ kind: "object", capacityTiB: 1, mountPath: "/data" }] }));
    expect(result.error).toBeUndefined();
    expect(result.costEvents[0]!.plan.notes.join("\n")).toContain("GPU metrics: in Azure Monitor on the scale set (Metrics, namespace Telegraf/nvidia_smi");
    const script = customData(result);
    const toml = parseToml(writtenConfig(script));
    expect(toml.tables.agent).toEqual({ interval: "60s", round_interval: true, flush_interval: "60s" });
    expect(Object.keys(toml.arrays).sort()).toEqual(["inputs.nvidia_smi", "outputs.azure_monitor"]);
    expect(toml.arrays["inputs.nvidia_smi"]).toEqual([
      {
        bin_path: "/usr/bin/nvidia-smi",
        timeout: "5s",
        fieldinclude: ["utilization_gpu", "memory_used", "memory_total", "temperature_gpu", "power_draw"],
        taginclude: ["host", "index", "uuid"],
      },
    ]);
    // Region and resource are left to the instance metadata: on a scale-set VM, the scale set (Telegraf's types.go).
    expect(toml.arrays["outputs.azure_monitor"]).toEqual([{ namespace_prefix: "Telegraf/", strings_as_dimensions: false }]);
    // The whole custom data, with the metrics, is valid bash.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gm-"));
    fs.writeFileSync(path.join(dir, "custom-data.sh"), script);
    execFileSync("bash", ["-n", path.join(dir, "custom-data.sh")]);
    // The managed identity's client id (the offline mock's) goes to the unit's environment file, quoted.
    const clientId = one(result, A.identity).outputs!.clientId as string;
    expect(clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(script).toContain(`printf 'AZURE_CLIENT_ID=%s\\n' '${clientId}' > /etc/default/telegraf`);
  });

  it("installs the pinned package from InfluxData's signed repository (key fingerprint checked), holds it, and starts it under systemd", async () => {
    const script = customData(await run(training("pin", { storage: [{ kind: "object", capacityTiB: 1, mountPath: "/data" }] })));
    expect(TELEGRAF_PACKAGE).toBe("telegraf=1.39.3-1");
    expect(script).toContain("apt-get -o DPkg::Lock::Timeout=600 -q install -y telegraf=1.39.3-1");
    expect(script).toContain("grep -q '^fpr:\\+24C975CBA61A024EE1B631787C3D57159FC2F927:$' /tmp/influxdata-archive.fpr || return 2");
    expect(script).toContain(`echo 'deb [signed-by=${INFLUXDATA_REPO.keyring}] https://repos.influxdata.com/debian stable main' > /etc/apt/sources.list.d/influxdata.list`);
    expect(script).toContain("apt-mark hold telegraf");
    expect(script).toContain("systemctl enable telegraf && systemctl restart telegraf");
    // The config is written before the package (its post-install keeps an existing one), and a failure is not fatal.
    expect(script.indexOf("cat > /etc/telegraf/telegraf.conf")).toBeLessThan(script.indexOf("install -y telegraf="));
    expect(script).toContain("gpu_metrics; rc=$?");
    expect(script.slice(script.indexOf("gpu_metrics() {"))).not.toMatch(/\bfail /);
  });

  it("the boot script with the metrics passes bash -n; a client id with a quote stays one word", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gm-"));
    const file = path.join(dir, "metrics.sh");
    fs.writeFileSync(file, ["#!/bin/bash", "set -uo pipefail", ...gpuMetricsLines("x'; rm -rf / #")].join("\n") + "\n");
    execFileSync("bash", ["-n", file]);
    expect(gpuMetricsLines("x'; rm -rf / #")).toContain(`  printf 'AZURE_CLIENT_ID=%s\\n' 'x'\\''; rm -rf / #' > /etc/default/telegraf`);
  });

  it("runs the written config through the function's heredoc unchanged", () => {
    const lines = gpuMetricsLines("00000000-0000-0000-0000-000000000001");
    expect(writtenConfig(lines.join("\n") + "\n")).toBe(telegrafConfig().trimEnd());
  });

  it("grants Monitoring Metrics Publisher to the nodes' identity on the scale set only (training and inference)", async () => {
    for (const [result, name] of [
      [await run(training("pub")), "pub"],
      [await run(fleet("fpub")), "fpub"],
    ] as const) {
      expect(result.error).toBeUndefined();
      const publisher = ofType(result, A.role).filter((r) => String(r.inputs.roleDefinitionId).endsWith(`/roleDefinitions/${MONITORING_METRICS_PUBLISHER}`));
      expect(publisher.map((r) => r.name)).toEqual([`${name}-gpu-metrics-publisher`]);
      expect(publisher[0]!.inputs).toEqual({
        principalId: one(result, A.identity).outputs!.principalId,
        principalType: "ServicePrincipal",
        roleDefinitionId: `/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/${MONITORING_METRICS_PUBLISHER}`,
        // The scale set's id, not the resource group's or the subscription's.
        scope: `${one(result, A.vmss).name}-id`,
      });
    }
  });

  it("azure.gpuMetrics: false removes Telegraf, the role, the note and the bill item", async () => {
    const result = await run(training("off", { storage: [{ kind: "object", capacityTiB: 1, mountPath: "/data" }] }, { gpuMetrics: false }));
    expect(result.error).toBeUndefined();
    const script = customData(result);
    expect(script).not.toContain("telegraf");
    expect(ofType(result, A.role).map((r) => r.name)).not.toContain("off-gpu-metrics-publisher");
    expect(ofType(result, A.role).some((r) => String(r.inputs.roleDefinitionId).endsWith(MONITORING_METRICS_PUBLISHER))).toBe(false);
    const plan = planOf({ egress: { natGateway: true } });
    expect(azureVm.billOfMaterials(plan, 2, { gpuMetrics: false }).some((i) => i.kind === "metric-samples")).toBe(false);
    const fleetOff = await run(fleet("foff", { gpuMetrics: false }));
    expect(customData(fleetOff)).not.toContain("telegraf");
    expect(ofType(fleetOff, A.role).some((r) => String(r.inputs.roleDefinitionId).endsWith(MONITORING_METRICS_PUBLISHER))).toBe(false);
  });

  it("without a NAT gateway: off by default with a plan note, and `true` is a SpecError naming the field", async () => {
    const off = await run(training("nonat", { egress: { natGateway: false } }));
    expect(off.error).toBeUndefined();
    expect(ofType(off, A.role).some((r) => String(r.inputs.roleDefinitionId).endsWith(MONITORING_METRICS_PUBLISHER))).toBe(false);
    const refused = await run(training("nonat2", { egress: { natGateway: false } }, { gpuMetrics: true }));
    expect(refused.error).toMatchObject({ name: "SpecError", path: "azure.gpuMetrics" });
    expect(String((refused.error as Error).message)).toContain("natGateway");
    expect(off.costEvents[0]!.plan.notes.join("\n")).toContain("GPU metrics: off, as the node subnet has no NAT gateway (egress.natGateway: false)");
  });

  it("is refused on AKS (DCGM goes to managed Prometheus there)", async () => {
    const spec = privateEndpoint({ cloud: "azure", region: "eastus", orchestrator: "kubernetes", gpu: { instanceType: "Standard_ND96isr_H100_v5", nodes: 2 }, azure: { gpuMetrics: true } } as gpu.TrainingClusterArgs);
    const aks = await run(() => new gpu.TrainingCluster("aksgm", spec));
    expect(aks.error).toMatchObject({ name: "SpecError", path: "azure.gpuMetrics" });
  });

  it("bills the samples: 2 × ND H100 v5 = 16 GPUs × 5 metrics × 1 a minute × 60 × 730 = 3,504,000 a month, at Azure Monitor's metrics-ingestion meter", () => {
    const plan = planOf({ egress: { natGateway: true } });
    expect(azureGpuMetricsOn(plan, {})).toBe(true);
    const item = azureVm.billOfMaterials(plan, 2, {}).find((i) => i.kind === "metric-samples");
    // 16 × 5 = 80 series; 80 × 60 × 730 = 3,504,000.
    expect(item).toEqual({
      kind: "metric-samples",
      count: 3_504_000,
      what: "Azure Monitor custom metrics, the nodes' GPU metrics (80 series: 16 GPUs × 5 metrics, one sample every 60 s), 730 h",
    });
    // Priced: 0.3504 × 10 M samples × $0.16 = $0.056064 → $0.06 (AZURE_FEES.prometheusSamples, infracost e9ce6290 of 2024-07-01, West Europe).
    const line = gpu.estimateCost(plan).lines.find((l) => l.description.startsWith("Azure Monitor custom metrics"));
    expect(line).toMatchObject({ quantity: 0.3504, unitPriceUsd: 0.16, monthlyUsd: 0.06 });
    // At 0 nodes (a fleet at replicas.min 0) the agent's role is built and no sample is sent: the item counts 0 and
    // prices nothing. None without a NAT gateway.
    expect(azureVm.billOfMaterials(plan, 0, {}).find((i) => i.kind === "metric-samples")).toMatchObject({ count: 0 });
    expect(azureVm.billOfMaterials(planOf({ egress: { natGateway: false } }), 2, {}).some((i) => i.kind === "metric-samples")).toBe(false);
  });
});

/** The planner's own plan of a 2-node ND H100 v5 training cluster on Azure VMs (8 GPUs a node). */
function planOf(over: { egress: { natGateway: boolean } }): Plan {
  return gpu.planCluster({ cloud: "azure", region: "eastus", gpu: { instanceType: "Standard_ND96isr_H100_v5", nodes: 2 }, ...over } as ClusterSpec);
}
