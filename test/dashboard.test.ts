/**
 * The Grafana dashboard the package ships (dashboards/gpu-cluster.json, lib/clouds/kubernetes/dashboard.ts) reads only
 * series the cluster's Prometheus collects:
 * - DCGM fields in the GPU Operator's default collectors file: NVIDIA/dcgm-exporter etc/dcp-metrics-included.csv at
 *   e61056b94eb98ab6598bd3a7c2a299a482b16a42 (2025-12-04), its uncommented rows, read 2026-11-30 (DCGM_DEFAULT below);
 * - vLLM's V1 metrics: vllm-project/vllm docs/design/metrics.md "v1 Metrics" (read 2026-11-30);
 * - the labels the scrape jobs write (`node` on DCGM, `pod` on vLLM: lib/clouds/kubernetes/metrics-policy.ts).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { DCGM_DASHBOARD_FIELDS, VLLM_DASHBOARD_METRICS } from "../lib/clouds/kubernetes/dashboard.js";
import { scrapeJobs } from "../lib/clouds/kubernetes/metrics-policy.js";

/** The uncommented fields of dcp-metrics-included.csv at e61056b9. */
const DCGM_DEFAULT = [
  "DCGM_FI_DEV_SM_CLOCK", "DCGM_FI_DEV_MEM_CLOCK", "DCGM_FI_DEV_MEMORY_TEMP", "DCGM_FI_DEV_GPU_TEMP", "DCGM_FI_DEV_POWER_USAGE",
  "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", "DCGM_FI_DEV_PCIE_REPLAY_COUNTER", "DCGM_FI_DEV_GPU_UTIL", "DCGM_FI_DEV_MEM_COPY_UTIL",
  "DCGM_FI_DEV_ENC_UTIL", "DCGM_FI_DEV_DEC_UTIL", "DCGM_FI_DEV_XID_ERRORS", "DCGM_FI_DEV_FB_FREE", "DCGM_FI_DEV_FB_USED",
  "DCGM_FI_DEV_FB_RESERVED", "DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL", "DCGM_FI_DEV_VGPU_LICENSE_STATUS",
  "DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS", "DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS", "DCGM_FI_DEV_ROW_REMAP_FAILURE",
  "DCGM_FI_DRIVER_VERSION", "DCGM_FI_PROF_GR_ENGINE_ACTIVE", "DCGM_FI_PROF_PIPE_TENSOR_ACTIVE", "DCGM_FI_PROF_DRAM_ACTIVE",
  "DCGM_FI_PROF_PCIE_TX_BYTES", "DCGM_FI_PROF_PCIE_RX_BYTES",
];

interface Panel { id: number; type: string; title: string; gridPos: { h: number; w: number; x: number; y: number }; targets?: { expr: string; refId: string }[] }
const dashboard = gpu.gpuDashboard() as { panels: Panel[]; templating: { list: { name: string; type: string; query: string }[] } };
const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));

describe("the Grafana dashboard", () => {
  it("is the file the package ships, byte for byte", () => {
    expect(readFileSync("dashboards/gpu-cluster.json", "utf8")).toBe(gpu.gpuDashboardJson());
  });

  it("queries only DCGM fields the GPU Operator's exporter collects by default", () => {
    const used = new Set(exprs.flatMap((e) => e.match(/DCGM_FI_[A-Z_]+/g) ?? []));
    expect([...used].sort()).toEqual([...DCGM_DASHBOARD_FIELDS].sort());
    for (const field of used) expect(DCGM_DEFAULT, field).toContain(field);
  });

  it("queries only vLLM's V1 metrics, histograms through their buckets", () => {
    const used = new Set(exprs.flatMap((e) => e.match(/vllm:[a-z0-9_]+/g) ?? []).map((m) => m.replace(/_bucket$/, "")));
    expect([...used].sort()).toEqual([...VLLM_DASHBOARD_METRICS].sort());
    expect(exprs).toContain("histogram_quantile(0.95, sum by (le) (rate(vllm:e2e_request_latency_seconds_bucket[5m])))");
  });

  it("groups by the labels the scrape jobs write: node on DCGM series, pod on vLLM's", () => {
    const targets = JSON.stringify(scrapeJobs("ns", true));
    expect(targets).toContain('"target_label":"node"');
    expect(targets).toContain('"target_label":"pod"');
    const groupings = new Set(exprs.flatMap((e) => [...e.matchAll(/by \(([a-z]+)\)/g)].map((m) => m[1])));
    expect([...groupings].sort()).toEqual(["le", "node", "pod"]);
  });

  it("has 12 panels in 2 rows, unique ids, a Prometheus data source variable, and panels that do not overlap", () => {
    const panels = dashboard.panels;
    expect(panels.filter((p) => p.type === "row").map((p) => p.title)).toEqual(["GPUs (DCGM)", "Model servers (vLLM)"]);
    expect(panels.filter((p) => p.type === "timeseries")).toHaveLength(12);
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    expect(dashboard.templating.list).toEqual([{ name: "datasource", label: "Prometheus", type: "datasource", query: "prometheus" }]);
    const cells = new Set<string>();
    for (const p of panels) {
      expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
      for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
        for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++) {
          const cell = `${x},${y}`;
          expect(cells.has(cell), `${p.title} overlaps at ${cell}`).toBe(false);
          cells.add(cell);
        }
      }
    }
  });
});
