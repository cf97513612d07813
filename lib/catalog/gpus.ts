/**
 * Per-GPU facts used by sizing: the dense (non-sparse) BF16 tensor peak. (Memory per GPU is
 * per instance, in the catalog's InstanceFacts, as each cloud reports it.)
 * From NVIDIA's public datasheets; `undefined` peak where NVIDIA publishes none
 * (the A10G is an AWS-only part).
 */
import type { GpuModel, Sourced } from "./types.js";

export interface GpuFacts extends Sourced {
  model: GpuModel;
  /** Dense BF16 tensor-core peak, TFLOPS (datasheets quote sparse figures at 2×). */
  denseBf16Tflops?: number;
}

const DATASHEET = (url: string): Sourced => ({ source: url, asOf: "2026-11-25" });

export const GPUS: Record<GpuModel, GpuFacts> = {
  A10: { model: "A10", denseBf16Tflops: 125, ...DATASHEET("https://www.nvidia.com/en-us/data-center/products/a10-gpu/") },
  A10G: { model: "A10G", ...DATASHEET("https://aws.amazon.com/ec2/instance-types/g5/ (no NVIDIA datasheet peak for A10G)") },
  L4: { model: "L4", denseBf16Tflops: 121, ...DATASHEET("https://www.nvidia.com/en-us/data-center/l4/") },
  L40S: { model: "L40S", denseBf16Tflops: 362.05, ...DATASHEET("https://www.nvidia.com/en-us/data-center/l40s/") },
  "A100-40GB": { model: "A100-40GB", denseBf16Tflops: 312, ...DATASHEET("https://www.nvidia.com/en-us/data-center/a100/") },
  "A100-80GB": { model: "A100-80GB", denseBf16Tflops: 312, ...DATASHEET("https://www.nvidia.com/en-us/data-center/a100/") },
  H100: { model: "H100", denseBf16Tflops: 989.4, ...DATASHEET("https://www.nvidia.com/en-us/data-center/h100/ (SXM)") },
  "H100-NVL": { model: "H100-NVL", denseBf16Tflops: 835.5, ...DATASHEET("https://www.nvidia.com/en-us/data-center/h100/ (NVL)") },
  H200: { model: "H200", denseBf16Tflops: 989.4, ...DATASHEET("https://www.nvidia.com/en-us/data-center/h200/ (SXM)") },
  B200: { model: "B200", denseBf16Tflops: 2250, ...DATASHEET("https://www.nvidia.com/en-us/data-center/hgx/ (HGX B200, per GPU)") },
  GB200: { model: "GB200", denseBf16Tflops: 2500, ...DATASHEET("https://www.nvidia.com/en-us/data-center/gb200-nvl72/ (per GPU)") },
};
