/**
 * Per-GPU facts used by sizing and by every catalog row: the dense (non-sparse) BF16 tensor peak and the memory
 * of one GPU. Memory is one figure per model, in GiB, for every cloud: the capacity the vendor's datasheet prints
 * (GPU memory is built in binary sizes, so "80 GB" HBM3 is 80 GiB; EC2 reports the same part as 81920 MiB).
 * Clouds that report less (EC2 lists the A10G as 22888 MiB, after ECC) do not get their own figure: one model,
 * one memory size, so sizing answers the same on every cloud.
 * `undefined` peak where the vendor publishes no dense BF16 figure for the part.
 */
import { UNDATED } from "./types.js";
import type { GpuModel, Sourced } from "./types.js";

export interface GpuFacts extends Sourced {
  model: GpuModel;
  /** Dense BF16 tensor-core peak, TFLOPS (datasheets quote sparse figures at 2×). */
  denseBf16Tflops?: number;
  /** Memory of one GPU, GiB (the datasheet capacity). */
  memoryGiB: number;
}

/**
 * NVIDIA's, AMD's and AWS's product pages state no date, so these facts are UNDATED (not the day read): `catalog
 * --stale-days` lists them as of unknown age. Searched 2026-12-01 for dated first-party copies (the docs corpus for the
 * H100 datasheet's BF16 tensor figures): only third-party tables and undated product pages came back. The one dated
 * first-party figure found, GB300's memory on Azure's ND GB300 v6 page (ms.date), is used below.
 */
const DATASHEET = (url: string): Sourced => ({ source: `${url} (undated product page, read 2026-11-25)`, asOf: UNDATED });

/** GPU memory per EC2's DescribeInstanceTypes, as Karpenter's generated reference prints it (dated by its commit). */
const EC2_GPU_MEMORY = (what: string): Sourced => ({
  source: `https://github.com/aws/karpenter-provider-aws/blob/692ccdd0629e488300821443f0fa0bc3c3e08047/website/content/en/docs/reference/instance-types.md (${what} MiB)`,
  asOf: "2026-07-11",
});

/** GPU memory per an Azure size page at a commit of MicrosoftDocs/azure-compute-docs (the page's ms.date). */
const LEARN_GPU_MEMORY = (commit: string, page: string, what: string, msDate: string): Sourced => ({
  source: `https://github.com/MicrosoftDocs/azure-compute-docs/blob/${commit}/articles/virtual-machines/sizes/gpu-accelerated/${page} (${what})`,
  asOf: msDate,
});

/** GPU memory per the vantage-derived GPU dump the AWS generated rows come from ("Last updated: 2026-01-21"). */
const VANTAGE_GPU_MEMORY = (what: string): Sourced => ({
  source: `https://github.com/tsaol/aws-gpu/blob/7412fd256c5eda04a70a17742a68e8e44824b2cb/data/all_gpu_instances.js (${what})`,
  asOf: "2026-01-21",
});

export const GPUS: Record<GpuModel, GpuFacts> = {
  T4: { model: "T4", memoryGiB: 16, ...DATASHEET("https://www.nvidia.com/en-us/data-center/tesla-t4/ (16 GB GDDR6; no BF16 tensor cores)") },
  V100: { model: "V100", memoryGiB: 16, ...DATASHEET("https://www.nvidia.com/en-us/data-center/v100/ (16 GB HBM2; no BF16 tensor cores)") },
  "V100-32GB": { model: "V100-32GB", memoryGiB: 32, ...DATASHEET("https://www.nvidia.com/en-us/data-center/v100/ (32 GB HBM2; no BF16 tensor cores)") },
  A10: { model: "A10", denseBf16Tflops: 125, memoryGiB: 24, ...DATASHEET("https://www.nvidia.com/en-us/data-center/products/a10-gpu/") },
  A10G: { model: "A10G", memoryGiB: 24, ...DATASHEET("https://aws.amazon.com/ec2/instance-types/g5/ (24 GB per GPU; no NVIDIA datasheet peak for A10G)") },
  L4: { model: "L4", denseBf16Tflops: 121, memoryGiB: 24, ...DATASHEET("https://www.nvidia.com/en-us/data-center/l4/") },
  L40: { model: "L40", denseBf16Tflops: 181.05, memoryGiB: 48, ...DATASHEET("https://www.nvidia.com/en-us/data-center/l40/") },
  L40S: { model: "L40S", denseBf16Tflops: 362.05, memoryGiB: 48, ...DATASHEET("https://www.nvidia.com/en-us/data-center/l40s/") },
  "RTX-PRO-6000": { model: "RTX-PRO-6000", memoryGiB: 96, ...DATASHEET("https://www.nvidia.com/en-us/data-center/rtx-pro-6000-blackwell-server-edition/ (96 GB GDDR7)") },
  "A100-40GB": { model: "A100-40GB", denseBf16Tflops: 312, memoryGiB: 40, ...DATASHEET("https://www.nvidia.com/en-us/data-center/a100/") },
  "A100-80GB": { model: "A100-80GB", denseBf16Tflops: 312, memoryGiB: 80, ...DATASHEET("https://www.nvidia.com/en-us/data-center/a100/") },
  H100: { model: "H100", denseBf16Tflops: 989.4, memoryGiB: 80, ...DATASHEET("https://www.nvidia.com/en-us/data-center/h100/ (SXM)") },
  "H100-NVL": { model: "H100-NVL", denseBf16Tflops: 835.5, memoryGiB: 94, ...DATASHEET("https://www.nvidia.com/en-us/data-center/h100/ (NVL)") },
  GH200: { model: "GH200", denseBf16Tflops: 989.4, memoryGiB: 96, ...DATASHEET("https://www.nvidia.com/en-us/data-center/grace-hopper-superchip/ (96 GB HBM3 part)") },
  H200: { model: "H200", denseBf16Tflops: 989.4, memoryGiB: 141, ...DATASHEET("https://www.nvidia.com/en-us/data-center/h200/ (SXM)") },
  B200: { model: "B200", denseBf16Tflops: 2250, memoryGiB: 180, ...DATASHEET("https://www.nvidia.com/en-us/data-center/hgx/ (HGX B200, per GPU: 1,440 GB / 8)") },
  B300: { model: "B300", memoryGiB: 288, ...DATASHEET("https://www.nvidia.com/en-us/data-center/hgx/ (HGX B300, per GPU: 2.3 TB / 8)") },
  GB200: { model: "GB200", denseBf16Tflops: 2500, memoryGiB: 186, ...DATASHEET("https://www.nvidia.com/en-us/data-center/gb200-nvl72/ (per GPU: 13.4 TB / 72)") },
  // Blackwell Ultra in the GB300 NVL72 tray: 288 GB HBM3E per GPU per Azure's ND GB300 v6 page (ms.date 2025-11-13,
  // a dated first-party page; NVIDIA's own product page is undated). No dense BF16 figure read.
  GB300: { model: "GB300", memoryGiB: 288, source: "https://learn.microsoft.com/azure/virtual-machines/sizes/gpu-accelerated/nd-gb300-v6-series ('288 GB HBM3E per GPU')", asOf: "2025-11-13" },
  MI300X: { model: "MI300X", denseBf16Tflops: 1307.4, memoryGiB: 192, ...DATASHEET("https://www.amd.com/en/products/accelerators/instinct/mi300/mi300x.html") },
  // The parts below carry only the types the catalog prices but the compilers do not build (or, RTX PRO 4500, the g7
  // sizes): memory as EC2 DescribeInstanceTypes reports it (MiB / 1024) in Karpenter's reference, or as the dated
  // vantage-derived dump prints it where Karpenter lists no current type. No dense BF16 figure was read for them.
  "RTX-PRO-4500": { model: "RTX-PRO-4500", memoryGiB: 32, ...EC2_GPU_MEMORY("g7.*: instance-gpu-name rtx-pro-4500, instance-gpu-memory 32768") },
  T4G: { model: "T4G", memoryGiB: 16, ...EC2_GPU_MEMORY("g5g.*: instance-gpu-name t4g, instance-gpu-memory 16384") },
  "Radeon-Pro-V520": { model: "Radeon-Pro-V520", memoryGiB: 8, ...EC2_GPU_MEMORY("g4ad.*: instance-gpu-name radeon-pro-v520, instance-gpu-memory 8192") },
  M60: { model: "M60", memoryGiB: 8, ...VANTAGE_GPU_MEMORY("g3.4xlarge: gpu 'NVIDIA M60', gpuMemory '8 GB GDDR5'") },
  K80: { model: "K80", memoryGiB: 12, ...VANTAGE_GPU_MEMORY("p2.xlarge: gpu 'NVIDIA K80', gpuMemory '12 GB GDDR5'") },
  // Azure's size pages (MicrosoftDocs/azure-compute-docs at the commit named, each page's own ms.date): the accelerator
  // memory of the size holding one whole GPU.
  MI25: { model: "MI25", memoryGiB: 16, ...LEARN_GPU_MEMORY("53b9767cc237fa7a301066929b3c546ba33f02b7", "nvv4-series.md", "Standard_NV32as_v4: 1 GPU, 16 GB", "2024-07-31") },
  "Radeon-Pro-V620": { model: "Radeon-Pro-V620", memoryGiB: 32, ...LEARN_GPU_MEMORY("2bc777fdc35cfa8d7819d78bc493e8a43af77955", "ngadsv620-series.md", "Standard_NG32ads_V620_v1: 1 GPU, 32 GB", "2024-07-31") },
  "Radeon-Pro-V710": { model: "Radeon-Pro-V710", memoryGiB: 24, ...LEARN_GPU_MEMORY("0f864c9fb268cf065c521396ff2ff24af1a6dd3f", "nvadsv710-v5-series.md", "Standard_NV24ads_V710_v5: 1 GPU, 24 GB", "2024-09-16") },
};
