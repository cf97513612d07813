/**
 * Regenerates lib/catalog/data/generated/{aws,gcp,azure}.ts from public machine-generated dumps of the clouds'
 * price APIs and instance-type APIs. Each dump is read from a local git clone of its repository (any commit); the
 * row's `asOf` is the date the dump states, else the date of the commit that last changed it (never today's).
 *
 *   node --import tsx scripts/catalog/generate.ts \
 *     --karpenter-aws <clone of aws/karpenter-provider-aws> \
 *     --aws-gpu <clone of tsaol/aws-gpu> \
 *     --karpenter-gcp <clone of cloudpilot-ai/karpenter-provider-gcp> \
 *     --gcp-machines <clone of Cyclenerd/google-cloud-pricing-cost-calculator> \
 *     --karpenter-azure <clone of Azure/karpenter-provider-azure> \
 *     --aspire <clone of microsoft/aspire> \
 *     [--skypilot <clone of skypilot-org/skypilot-catalog>]
 *
 * The dumps (what each gives):
 * - aws/karpenter-provider-aws pkg/providers/pricing/zz_generated.pricing_aws.go: us-east-1 on-demand Linux prices
 *   from the AWS Price List API; website/content/en/docs/reference/instance-types.md: EC2 DescribeInstanceTypes
 *   shapes (vCPUs, memory, GPU name / count / memory).
 * - tsaol/aws-gpu data/all_gpu_instances.js: every GPU type's on-demand and 1-year Standard RI (no upfront) Linux
 *   price per region, generated from instances.vantage.sh (itself built from the AWS Price List API).
 * - cloudpilot-ai/karpenter-provider-gcp pkg/providers/pricing/initial-prices.json: on-demand and Spot per region
 *   from the Cloud Billing Catalog API (GPUs included in the machine type's price).
 * - Cyclenerd/google-cloud-pricing-cost-calculator tools/machinetyperegion.csv: machine types' vCPUs and memory
 *   from the Compute Engine API. GPU counts per GCP machine type follow Google's naming (-1g/-2g/-4g/-8g, g2/g4
 *   sizes), in GCP_TYPES below, as https://cloud.google.com/compute/docs/gpus lists them.
 * - Azure/karpenter-provider-azure pkg/providers/pricing/zz_generated.pricing.go: pay-as-you-go Linux prices per
 *   region from the Azure Retail Prices API.
 * - microsoft/aspire src/Aspire.Hosting.Azure.Kubernetes/AksNodeVmSizes.Generated.cs: VM sizes' vCPUs, memory and
 *   GPU count from the Azure Resource SKUs API. The GPU model per series is in AZURE_SERIES below (the series name
 *   says it; https://learn.microsoft.com/azure/virtual-machines/sizes/overview#gpu-accelerated).
 * - skypilot-org/skypilot-catalog catalogs/v<N>/{aws,azure}/vms.csv, the newest schema version the clone has:
 *   written by SkyPilot's catalog fetchers from the clouds' price APIs (AWS: its bot runs fetch_aws.py, which reads
 *   the Price List API's on-demand Linux offer and EC2 DescribeSpotPriceHistory for Linux/UNIX, latest price per
 *   zone, skypilot-org/skypilot@005261080a6b sky/catalog/data_fetchers/fetch_aws.py; Azure: a maintainer's run of
 *   fetch_azure.py on the Retail Prices API, e.g. skypilot-org/skypilot-catalog#50): on-demand Price per region and
 *   SpotPrice per availability zone. Optional (--skypilot); it adds spot rows, and on-demand rows the other dumps lack, for the types the shape dumps above already know. Rules in
 *   withSkypilot below. GCP is not read from it: its A2/A3/A4 rows carry the host's price only (the GPUs are
 *   priced on separate accelerator rows), so they are no machine price.
 * - Cyclenerd/google-cloud-pricing-cost-calculator build/gcp.yml (same clone as --gcp-machines): the project's
 *   machine list with each type's GPUs; read only for the GPU share of the partitioned G4 sizes (rtx6000: 0.125).
 * - Microsoft Learn size pages (MicrosoftDocs/azure-compute-docs, azure-ai-docs) read at a commit, in AZURE_DOC_SIZES
 *   below: the GPU share of Azure's partitioned sizes (the SKU dump counts 1 GPU for a sixth of an A10), and the shape
 *   of sizes the SKU dump lacks.
 *
 * Types the compilers cannot build are generated with `notBuilt` (priced and sized, never planned; a spec that pins one
 * gets a SpecError): partitioned sizes (gpuCount below 1: AWS g6f and gr6f, GCP g4-standard-6/12/24, Azure NVads A10
 * v5 below 36 vCPUs, NVv4, NG V620 and NV V710 below a whole GPU), AMD graphics and Instinct parts (g4ad, NVv4, NG
 * V620, NV V710 v5, ND MI300X), Arm64 hosts (g5g, GB200 trays), GPUs older than T4/V100 (g3, g3s, NVv2 and NVv3's
 * M60, p2's K80), and Azure's NC RTX PRO 6000 BSE v6 (SR-IOV with NVIDIA's GRID driver, not supported on AKS).
 *
 * Left out on purpose (not in the catalog at all):
 * - accelerators that are not GPUs (Inferentia, Trainium, Qualcomm AI 100 dl2q, Xilinx FPGA NP sizes);
 * - UltraServer bundles (u-p6e-gb200x*);
 * - types whose facts no dump or page read gives: g2 (GRID K520: no memory figure), Azure's NC A10 v4 (the SKU dump
 *   counts 1, 1 and 2 GPUs for 8, 16 and 32 vCPUs; no page read gives the share), the NC RTX PRO 6000 BSE v6 sizes
 *   the Learn page read does not list (NC24lds, NC36ds, NC72ds, NC144ds, NC288ds and their l/ds siblings, NC8lds…:
 *   shares of a GPU or whole ones, unknown), and the Retail Prices API's size names no shape source lists:
 *   ND96is_H100_v5 and its noIB/flex/isf/isrf variants and ND40s_v2 (cheaper than the InfiniBand sizes; Azure ML's SKU
 *   list gives ND96is_H100_v5 8 GPUs and 96 cores but no memory), NG32adms_V620 without _v1, the *_Promo sizes;
 * - price aliases of sizes the catalog has: ND96asr_A100_v4 and ND96ams_A100_v4 (the dump's price equals
 *   ND96asr_v4's and ND96amsr_A100_v4's in every region both are priced), ND96is_MI300X_v5 (= ND96isr_MI300X_v5's, and
 *   the SKU dump gives it no GPU count), ND128isrf_NDR_GB200_v6 (koreasouth only, ND128isr's price);
 * - GCP machine types no price dump carries (a3-ultragpu, a3-edgegpu, a4, a4x: hand-written in lib/catalog/data/gcp.ts).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { GeneratedCatalog, GeneratedPrice, GeneratedType } from "../../lib/catalog/generated.js";
import type { Cloud, GpuModel, PricingModel, Sourced } from "../../lib/catalog/types.js";
import { splitCsvLine } from "../../lib/catalog/refresh/aws.js";

// ---------------------------------------------------------------- reading dumps

/** One dump as read from its repository: where it is, the commit, that commit's date, and the text. */
export interface Dump {
  repo: string;
  path: string;
  commit: string;
  commitDate: string;
  text: string;
}

function git(dir: string, ...args: string[]): string {
  return execFileSync("git", ["-C", dir, ...args], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
}

function readDump(dir: string, repo: string, file: string): Dump {
  const [commit, date] = git(dir, "log", "-1", "--format=%H %cI", "HEAD", "--", file).trim().split(" ");
  if (!commit || !date) throw new Error(`${repo}: no commit touches ${file} in ${dir}`);
  return { repo, path: file, commit, commitDate: date.slice(0, 10), text: git(dir, "show", `HEAD:${file}`) };
}

/** A source line: repository, path and commit, what was read, and the date used. */
function sourced(d: Dump, what: string, ownDate?: string): Sourced {
  const dated = ownDate ? `the dump states ${ownDate}` : `undated; the date of commit ${d.commit.slice(0, 12)}`;
  return { source: `https://github.com/${d.repo}/blob/${d.commit}/${d.path} (${what}; ${dated})`, asOf: ownDate ?? d.commitDate };
}

/** A standard region code (no Local Zones or Wavelength Zones). */
const AWS_REGION = /^[a-z]{2}-[a-z]+-\d$/; // GovCloud (another partition) left out


// ---------------------------------------------------------------- AWS

/** Karpenter's gpu-name label (and, where one name covers two parts, GPU memory in MiB) to the catalog's model. */
function awsModel(name: string, memMiB: number): GpuModel | undefined {
  const byName: Record<string, GpuModel> = {
    t4: "T4", a10g: "A10G", l4: "L4", l40s: "L40S", h100: "H100", h200: "H200", b200: "B200", b300: "B300",
    "rtx-pro-server-6000": "RTX-PRO-6000", "rtx-pro-4500": "RTX-PRO-4500", t4g: "T4G", "radeon-pro-v520": "Radeon-Pro-V520",
  };
  if (name === "a100") return memMiB > 49152 ? "A100-80GB" : "A100-40GB";
  if (name === "v100") return memMiB > 16384 ? "V100-32GB" : "V100";
  return byName[name];
}

/** The vantage-derived dump's GPU names, for the types Karpenter's reference does not list. */
function awsModelFromDump(gpu: string, gpuMemory: string): GpuModel | undefined {
  if (/GB200/.test(gpu)) return "GB200";
  if (/V100/.test(gpu)) return /32 GB/.test(gpuMemory) ? "V100-32GB" : "V100";
  if (/H100/.test(gpu)) return "H100";
  if (/H200/.test(gpu)) return "H200";
  if (/B300/.test(gpu)) return "B300";
  if (/B200/.test(gpu)) return "B200";
  if (/\bM60\b/.test(gpu)) return "M60";
  if (/\bK80\b/.test(gpu)) return "K80";
  return undefined;
}

/** A fraction as the notes print it: 0.125 → "1/8". */
export function fractionText(share: number): string {
  const n = Math.round(1 / share);
  return Math.abs(1 / n - share) < 1e-9 ? `1/${n}` : String(share);
}

/**
 * Why the compilers do not build an AWS type, or undefined when they do. Every compiler's AWS node image is an x86_64
 * NVIDIA one (EKS accelerated AMI, Deep Learning AMI), and its GPU scheduling counts whole nvidia.com/gpu devices.
 */
function awsNotBuilt(model: GpuModel, gpuCount: number, arch: string | undefined): string | undefined {
  if (gpuCount < 1) {
    return `a ${fractionText(gpuCount)} share of one ${model} (NVIDIA vGPU; the share as the vantage-derived dump counts it, Karpenter's reference lists 0 whole GPUs): the node advertises no nvidia.com/gpu, and the compilers schedule whole GPUs`;
  }
  if (arch === "arm64") return "an Arm64 (Graviton) host: the compilers' AWS node images are x86_64";
  if (model.startsWith("Radeon")) return "an AMD Radeon Pro graphics GPU: the compilers install NVIDIA's drivers, device plugin and operators";
  if (model === "M60" || model === "K80") return `its ${model} GPU is older than the T4 and V100 the compilers are built and tested for`;
  return undefined;
}

/** NVSwitch boards: the 8-GPU P sizes (p3.16xlarge and p3dn have NVLink too) and the GB200 tray. */
const awsNvlink = (type: string, gpus: number) => (/^p[3-6]/.test(type) && gpus >= 8) || type.startsWith("p6e-gb200");

/**
 * GPUs per instance: Karpenter's count where it lists whole GPUs; for a partitioned size (Karpenter: 0 GPUs but a GPU
 * name, e.g. g6f's L4 slices) the vantage-derived dump's fraction; undefined for a type with no GPU.
 */
function gpuCountOf(k: Record<string, string> | undefined, dumpCount: number): number | undefined {
  const count = k ? Number(k["instance-gpu-count"]) : dumpCount;
  if (Number.isInteger(count) && count >= 1) return count;
  if (k?.["instance-gpu-name"] && count === 0 && dumpCount > 0 && dumpCount < 1) return dumpCount;
  return undefined;
}

function parseKarpenterTypes(md: string): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  let current: Record<string, string> | undefined;
  for (const line of md.split("\n")) {
    const head = /^### `([^`]+)`/.exec(line);
    if (head) {
      current = {};
      out.set(head[1]!, current);
      continue;
    }
    const label = /^\s*\|karpenter\.k8s\.aws\/([a-z-]+)\|([^|]*)\|/.exec(line);
    if (label && current) current[label[1]!] = label[2]!;
    const arch = /^\s*\|kubernetes\.io\/arch\|([^|]*)\|/.exec(line);
    if (arch && current) current.arch = arch[1]!;
  }
  return out;
}

function generateAws(args: Args): GeneratedCatalog {
  return parseAws(
    readDump(args["karpenter-aws"], "aws/karpenter-provider-aws", "pkg/providers/pricing/zz_generated.pricing_aws.go"),
    readDump(args["karpenter-aws"], "aws/karpenter-provider-aws", "website/content/en/docs/reference/instance-types.md"),
    readDump(args["aws-gpu"], "tsaol/aws-gpu", "data/all_gpu_instances.js"),
  );
}

/** AWS rows from Karpenter's us-east-1 price table, Karpenter's instance-type reference and the vantage-derived dump. */
export function parseAws(priceFile: Dump, typesFile: Dump, dumpFile: Dump): GeneratedCatalog {
  const karpenterDate = /generated at (\d{4}-\d{2}-\d{2})T/.exec(priceFile.text)?.[1];
  const dumpDate = /Last updated: (\d{4}-\d{2}-\d{2})/.exec(dumpFile.text)?.[1];
  const sources: Sourced[] = [
    sourced(priceFile, "us-east-1 on-demand Linux, AWS Price List API", karpenterDate),
    sourced(dumpFile, "on-demand and 1-year Standard Reserved Instance, no upfront, Linux, per region; instances.vantage.sh data from the AWS Price List API", dumpDate),
    sourced(typesFile, "EC2 DescribeInstanceTypes shapes: vCPUs, memory, GPU name, count and memory"),
  ];
  const [SRC_KARPENTER, SRC_DUMP, SRC_TYPES] = [0, 1, 2];

  const usEast1 = new Map<string, number>();
  const block = priceFile.text.split(/\n\t"us-east-1": \{/)[1]?.split(/\n\t\},?\n/)[0] ?? "";
  for (const m of block.matchAll(/"([a-z0-9.-]+)": ([0-9.]+)/g)) usEast1.set(m[1]!, Number(m[2]));

  const dumpJson = dumpFile.text.slice(dumpFile.text.indexOf("["), dumpFile.text.lastIndexOf("]") + 1);
  const dump = JSON.parse(dumpJson) as {
    name: string; gpu: string; gpuCount: number; gpuMemory: string; vcpu: number; memory: string;
    pricing: Record<string, { onDemand?: number; reserved?: number }>;
  }[];
  const shapes = parseKarpenterTypes(typesFile.text);

  const types: GeneratedType[] = [];
  const prices: GeneratedPrice[] = [];
  for (const d of dump) {
    const k = shapes.get(d.name);
    const gpuCount = gpuCountOf(k, d.gpuCount);
    if (gpuCount === undefined || d.name.startsWith("u-")) continue;
    const model = k?.["instance-gpu-name"]
      ? awsModel(k["instance-gpu-name"], Number(k["instance-gpu-memory"]))
      : awsModelFromDump(d.gpu, d.gpuMemory);
    if (!model) continue;
    const notBuilt = awsNotBuilt(model, gpuCount, k?.arch);
    types.push({
      instanceType: d.name,
      gpuModel: model,
      gpuCount,
      vcpus: k ? Number(k["instance-cpu"]) : d.vcpu,
      memoryGiB: k ? Number(k["instance-memory"]) / 1024 : Number.parseFloat(d.memory),
      nvlink: awsNvlink(d.name, gpuCount),
      // EC2 Spot sells every current type except the GB200 UltraServer trays (Capacity Blocks only):
      // https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-spot-instances.html
      spotAvailable: !d.name.startsWith("p6e-"),
      factsSource: k ? SRC_TYPES : SRC_DUMP,
      ...(notBuilt ? { notBuilt } : {}),
    });
    const odUsEast1 = usEast1.get(d.name);
    if (odUsEast1 !== undefined && odUsEast1 > 0) prices.push([d.name, "us-east-1", "on-demand", odUsEast1, SRC_KARPENTER]);
    for (const [region, p] of Object.entries(d.pricing)) {
      if (!AWS_REGION.test(region)) continue;
      if (p.onDemand && !(region === "us-east-1" && odUsEast1)) prices.push([d.name, region, "on-demand", p.onDemand, SRC_DUMP]);
      if (p.reserved) prices.push([d.name, region, "reserved-1y", p.reserved, SRC_DUMP]);
    }
  }
  // Types Karpenter's reference and us-east-1 table carry that the vantage-derived dump does not (g7, newer than it):
  // us-east-1 only.
  const inDump = new Set(dump.map((d) => d.name));
  for (const [name, k] of shapes) {
    const gpuCount = Number(k["instance-gpu-count"]);
    const usd = usEast1.get(name);
    if (inDump.has(name) || !k["instance-gpu-name"] || !Number.isInteger(gpuCount) || gpuCount < 1 || !(usd! > 0)) continue;
    const model = awsModel(k["instance-gpu-name"], Number(k["instance-gpu-memory"]));
    if (!model) continue;
    const notBuilt = awsNotBuilt(model, gpuCount, k.arch);
    types.push({
      instanceType: name, gpuModel: model, gpuCount, vcpus: Number(k["instance-cpu"]), memoryGiB: Number(k["instance-memory"]) / 1024,
      nvlink: awsNvlink(name, gpuCount), spotAvailable: !name.startsWith("p6e-"), factsSource: SRC_TYPES,
      ...(notBuilt ? { notBuilt } : {}),
    });
    prices.push([name, "us-east-1", "on-demand", usd!, SRC_KARPENTER]);
  }
  // The system pool's size, from the same dated table (us-east-1 only: no dated dump prices it elsewhere).
  const pool = usEast1.get(SYSTEM_POOL.aws);
  const systemNodes = pool ? { instanceType: SYSTEM_POOL.aws, usdPerHour: { "us-east-1": pool }, source: SRC_KARPENTER } : undefined;
  return { cloud: "aws", sources, types, prices, ...(systemNodes ? { systemNodes } : {}) };
}

// ---------------------------------------------------------------- GCP

/** GPU model and count per machine type (https://cloud.google.com/compute/docs/gpus: A2, A3, A4, A4X, G2, G4). */
function gcpGpus(type: string): { model: GpuModel; count: number } | undefined {
  const n = (re: RegExp) => Number(re.exec(type)?.[1]);
  if (/^a2-(highgpu|megagpu)-\d+g$/.test(type)) return { model: "A100-40GB", count: n(/-(\d+)g$/) };
  if (/^a2-ultragpu-\d+g$/.test(type)) return { model: "A100-80GB", count: n(/-(\d+)g$/) };
  if (/^a3-(highgpu|megagpu|edgegpu)-\d+g(-nolssd)?$/.test(type)) return { model: "H100", count: n(/-(\d+)g/) };
  if (/^a3-ultragpu-8g(-nolssd)?$/.test(type)) return { model: "H200", count: 8 };
  if (/^a4-highgpu-8g(-nolssd)?$/.test(type)) return { model: "B200", count: 8 };
  if (/^a4x-(highgpu|maxgpu)-4g/.test(type)) return { model: "GB200", count: 4 };
  const g2: Record<string, number> = { 4: 1, 8: 1, 12: 1, 16: 1, 32: 1, 24: 2, 48: 4, 96: 8 };
  if (/^g2-standard-\d+$/.test(type)) return g2[n(/-(\d+)$/)] ? { model: "L4", count: g2[n(/-(\d+)$/)]! } : undefined;
  // g4-standard-6/12/24 are fractions of one RTX PRO 6000: their share comes from the machine dump (gcpShares).
  const g4: Record<string, number> = { 48: 1, 96: 2, 192: 4, 384: 8 };
  if (/^g4-standard-\d+$/.test(type)) return { model: "RTX-PRO-6000", count: g4[n(/-(\d+)$/)] ?? 0 };
  return undefined;
}

/**
 * The GPU share of GCP's partitioned machine types (the G4 sizes below one RTX PRO 6000), from Cyclenerd's build
 * config, which lists each machine type's cpu, ram and GPUs (`rtx6000: 0.125` for g4-standard-6).
 */
export function gcpShares(text: string): Map<string, number> {
  const out = new Map<string, number>();
  let machine: string | undefined;
  for (const line of text.split("\n")) {
    const head = /^    ([a-z0-9]+-[a-z0-9-]+):\s*$/.exec(line);
    if (head) machine = head[1];
    const share = /^      rtx6000: ([0-9.]+)\s*$/.exec(line);
    if (share && machine && Number(share[1]) > 0 && Number(share[1]) < 1) out.set(machine, Number(share[1]));
  }
  return out;
}

/** Why the compilers do not build a partitioned GCP machine type. */
const gcpShareNotBuilt = (share: number, model: GpuModel) =>
  `a ${fractionText(share)} share of one ${model} (NVIDIA vGPU): the compilers attach and schedule whole GPUs`;

function generateGcp(args: Args): GeneratedCatalog {
  return parseGcp(
    readDump(args["karpenter-gcp"], "cloudpilot-ai/karpenter-provider-gcp", "pkg/providers/pricing/initial-prices.json"),
    readDump(args["gcp-machines"], "Cyclenerd/google-cloud-pricing-cost-calculator", "tools/machinetyperegion.csv"),
    readDump(args["gcp-machines"], "Cyclenerd/google-cloud-pricing-cost-calculator", "build/gcp.yml"),
  );
}

/**
 * GCP rows from the Cloud Billing Catalog dump and the Compute Engine machine-type dump; `shareFile` (Cyclenerd's
 * build config) gives the GPU share of the partitioned sizes, which are otherwise left out.
 */
export function parseGcp(priceFile: Dump, shapeFile: Dump, shareFile?: Dump): GeneratedCatalog {
  const sources: Sourced[] = [
    sourced(priceFile, "on-demand and Spot per region, Cloud Billing Catalog API, GPUs included"),
    sourced(shapeFile, "vCPUs and memory per machine type, Compute Engine API; GPU model and count per https://cloud.google.com/compute/docs/gpus"),
  ];
  const shares = shareFile ? gcpShares(shareFile.text) : new Map<string, number>();
  if (shareFile) sources.push(sourced(shareFile, "cpu, ram and GPU share (rtx6000) of the partitioned G4 machine types, the project's hand-kept machine list"));
  /** The machine type's GPUs: whole ones, or the dump's share of one; undefined when neither is known. */
  const gpusOf = (type: string) => {
    const g = gcpGpus(type);
    if (!g) return undefined;
    const count = g.count || shares.get(type);
    return count ? { model: g.model, count } : undefined;
  };
  const shapes = new Map<string, { vcpus: number; memoryGiB: number }>();
  for (const line of shapeFile.text.split("\n").slice(1)) {
    const [name, cpus, , mem] = line.split(";");
    if (name && cpus && mem) shapes.set(name, { vcpus: Number(cpus), memoryGiB: Number(mem) });
  }
  const data = JSON.parse(priceFile.text) as { prices: Record<string, { on_demand: Record<string, number>; spot: Record<string, number> }> };
  const prices: GeneratedPrice[] = [];
  const spotTypes = new Set<string>();
  const seen = new Set<string>();
  for (const [region, byModel] of Object.entries(data.prices)) {
    for (const [pricing, table] of [["on-demand", byModel.on_demand], ["spot", byModel.spot]] as const) {
      for (const [type, usd] of Object.entries(table ?? {})) {
        if (!gpusOf(type) || !(usd > 0)) continue;
        seen.add(type);
        if (pricing === "spot") spotTypes.add(type);
        prices.push([type, region, pricing as PricingModel, usd, 0]);
      }
    }
  }
  const types: GeneratedType[] = [];
  for (const type of [...seen].sort()) {
    const gpus = gpusOf(type)!;
    const shape = shapes.get(type);
    if (!shape) continue;
    const partial = gpus.count < 1;
    types.push({
      instanceType: type, gpuModel: gpus.model, gpuCount: gpus.count, ...shape,
      nvlink: gpus.count >= 8 && /^a[234]/.test(type) || type.startsWith("a4x"),
      spotAvailable: spotTypes.has(type), factsSource: partial ? 2 : 1,
      ...(partial ? { notBuilt: gcpShareNotBuilt(gpus.count, gpus.model) } : {}),
    });
  }
  const pool: Record<string, number> = {};
  for (const [region, byModel] of Object.entries(data.prices)) {
    const usd = byModel.on_demand?.[SYSTEM_POOL.gcp];
    if (usd && usd > 0) pool[region] = usd;
  }
  return { cloud: "gcp", sources, types, prices, systemNodes: { instanceType: SYSTEM_POOL.gcp, usdPerHour: pool, source: 0 } };
}

// ---------------------------------------------------------------- Azure

/**
 * GPU model per series (the size's suffix), for series whose sizes hold whole GPUs. Counts come from the SKU dump;
 * ND GB200 v6 (4 GB200 per VM) is stated here because the SKU dump carries no GPU count for it.
 */
const AZURE_SERIES: { re: RegExp; model: GpuModel; count?: number; nvlink: boolean; notBuilt?: string }[] = [
  { re: /^Standard_NC\d+as_T4_v3$/, model: "T4", nvlink: false },
  { re: /^Standard_NC\d+r?s_v3$/, model: "V100", nvlink: false },
  { re: /^Standard_ND40rs_v2$/, model: "V100-32GB", nvlink: true },
  { re: /^Standard_NC\d+ads_A100_v4$/, model: "A100-80GB", nvlink: false },
  { re: /^Standard_ND96asr_v4$/, model: "A100-40GB", nvlink: true },
  { re: /^Standard_ND96amsr_A100_v4$/, model: "A100-80GB", nvlink: true },
  { re: /^Standard_NCC?\d+adi?s_H100_v5$/, model: "H100-NVL", nvlink: false },
  { re: /^Standard_ND96isr_H100_v5$/, model: "H100", nvlink: true },
  { re: /^Standard_ND96isr_H200_v5$/, model: "H200", nvlink: true },
  {
    re: /^Standard_ND96isr_MI300X_v5$/, model: "MI300X", nvlink: true,
    notBuilt: "AMD Instinct GPUs: the compilers install NVIDIA's drivers, device plugin and operators",
  },
  {
    re: /^Standard_ND128isr_NDR_GB200_v6$/, model: "GB200", count: 4, nvlink: true,
    notBuilt: "an Arm64 (Grace) host: the compilers' Azure node images are x86_64",
  },
  // NVads A10 v5: NV36ads and NV72ads hold whole A10s; smaller sizes are fractions (AZURE_DOC_SIZES).
  { re: /^Standard_NV(36|72)adm?s_A10_v5$/, model: "A10", nvlink: false },
  // NVv2 and NVv3: 1, 2 or 4 Tesla M60 GPUs (the SKU dump's count).
  { re: /^Standard_NV\d+s_v[23]$/, model: "M60", nvlink: false, notBuilt: "its M60 GPU is older than the T4 and V100 the compilers are built and tested for" },
];

/** A Microsoft Learn size page read at a commit of its public repository, with the page's own ms.date. */
const learnPage = (repo: string, commit: string, file: string, what: string, msDate: string): Sourced => ({
  source: `https://github.com/${repo}/blob/${commit}/${file} (${what}; the page states ms.date ${msDate})`,
  asOf: msDate,
});

/** Why the AMD graphics and Instinct parts below are not built. */
const AMD_NOT_BUILT = "the compilers install NVIDIA's drivers, device plugin and operators";

/**
 * Sizes whose GPU share (a fraction below 1 for a partitioned size) the SKU dump does not give truly: it counts 1 GPU
 * for NV6ads_A10_v5's sixth of an A10, and none for the V620 and V710 sizes. The share, and where the SKU dump lacks
 * the size its vCPUs and memory, come from the series' Microsoft Learn page at a commit of its repository.
 */
const AZURE_DOC_SIZES: {
  page: Sourced; model: GpuModel; notBuilt: string;
  sizes: Record<string, { gpus: number; vcpus?: number; memoryGiB?: number }>;
}[] = [
  {
    page: learnPage("MicrosoftDocs/azure-ai-docs", "1d987e37c168d7ef6eaeb8441da7967a197aac00", "articles/machine-learning/reference-managed-online-endpoints-vm-sku-list.md", "numberOfGPUs per VM size: 1/6, 1/3, 1/2", "2023-10-18"),
    model: "A10", notBuilt: "NVIDIA vGPU (GRID driver): the compilers install NVIDIA's data-center driver and schedule whole GPUs",
    sizes: { Standard_NV6ads_A10_v5: { gpus: 1 / 6 }, Standard_NV12ads_A10_v5: { gpus: 1 / 3 }, Standard_NV18ads_A10_v5: { gpus: 1 / 2 } },
  },
  {
    page: learnPage("MicrosoftDocs/azure-compute-docs", "53b9767cc237fa7a301066929b3c546ba33f02b7", "articles/virtual-machines/sizes/gpu-accelerated/nvv4-series.md", "vCPUs, memory and accelerators per size", "2024-07-31"),
    model: "MI25", notBuilt: `an AMD Radeon Instinct MI25: ${AMD_NOT_BUILT}`,
    sizes: {
      Standard_NV4as_v4: { gpus: 1 / 8, vcpus: 4, memoryGiB: 14 }, Standard_NV8as_v4: { gpus: 1 / 4, vcpus: 8, memoryGiB: 28 },
      Standard_NV16as_v4: { gpus: 1 / 2, vcpus: 16, memoryGiB: 56 }, Standard_NV32as_v4: { gpus: 1, vcpus: 32, memoryGiB: 112 },
    },
  },
  {
    page: learnPage("MicrosoftDocs/azure-compute-docs", "2bc777fdc35cfa8d7819d78bc493e8a43af77955", "articles/virtual-machines/sizes/gpu-accelerated/ngadsv620-series.md", "vCPUs, memory and accelerators per size", "2024-07-31"),
    model: "Radeon-Pro-V620", notBuilt: `an AMD Radeon Pro V620 graphics GPU: ${AMD_NOT_BUILT}`,
    sizes: {
      Standard_NG8ads_V620_v1: { gpus: 1 / 4, vcpus: 8, memoryGiB: 16 }, Standard_NG16ads_V620_v1: { gpus: 1 / 2, vcpus: 16, memoryGiB: 32 },
      Standard_NG32ads_V620_v1: { gpus: 1, vcpus: 32, memoryGiB: 64 }, Standard_NG32adms_V620_v1: { gpus: 1, vcpus: 32, memoryGiB: 176 },
    },
  },
  {
    page: learnPage("MicrosoftDocs/azure-compute-docs", "0f864c9fb268cf065c521396ff2ff24af1a6dd3f", "articles/virtual-machines/sizes/gpu-accelerated/nvadsv710-v5-series.md", "vCPUs, memory and accelerators per size", "2024-09-16"),
    model: "Radeon-Pro-V710", notBuilt: `an AMD Radeon Pro V710 graphics GPU: ${AMD_NOT_BUILT}`,
    sizes: {
      Standard_NV4ads_V710_v5: { gpus: 1 / 6, vcpus: 4, memoryGiB: 16 }, Standard_NV8ads_V710_v5: { gpus: 1 / 3, vcpus: 8, memoryGiB: 32 },
      Standard_NV12ads_V710_v5: { gpus: 1 / 2, vcpus: 12, memoryGiB: 64 }, Standard_NV24ads_V710_v5: { gpus: 1, vcpus: 24, memoryGiB: 128 },
      Standard_NV28adms_V710_v5: { gpus: 1, vcpus: 28, memoryGiB: 160 },
    },
  },
  {
    // Only the sizes this page lists: the SKU dump's other NC…_xl sizes (NC24lds, NC36ds, NC72ds…) may be shares of a
    // GPU (the series spans 0.25 to 2 GPUs, nc-rtxpro6000-bse-v6-series-specs.md) and no page read says which.
    page: learnPage("MicrosoftDocs/azure-compute-docs", "02773904e1bc237bc0c6251323af05c0dc7f5c3b", "articles/virtual-machines/sizes/gpu-accelerated/nc-rtxpro6000-bse-v6-series.md", "vCPUs, memory and accelerators per size", "2025-12-05"),
    model: "RTX-PRO-6000",
    notBuilt:
      "its GPUs are exposed through SR-IOV with NVIDIA's GRID (vGPU) guest driver and the series is not supported on AKS " +
      "(https://github.com/MicrosoftDocs/azure-compute-docs/blob/07d4d840b6e8897ecbe0f5012c1b675e3df7f5a4/articles/virtual-machines/sizes/gpu-accelerated/nc-rtxpro6000-bse-v6-series-overview.md, ms.date 2026-05-07): " +
      "the compilers install NVIDIA's data-center driver and build AKS pools",
    sizes: {
      Standard_NC128ds_xl_RTXPRO6000BSE_v6: { gpus: 1, vcpus: 128, memoryGiB: 512 }, Standard_NC256ds_xl_RTXPRO6000BSE_v6: { gpus: 2, vcpus: 256, memoryGiB: 1024 },
      Standard_NC320ds_xl_RTXPRO6000BSE_v6: { gpus: 2, vcpus: 320, memoryGiB: 1280 }, Standard_NC128lds_xl_RTXPRO6000BSE_v6: { gpus: 1, vcpus: 128, memoryGiB: 256 },
      Standard_NC256lds_xl_RTXPRO6000BSE_v6: { gpus: 2, vcpus: 256, memoryGiB: 512 }, Standard_NC320lds_xl_RTXPRO6000BSE_v6: { gpus: 2, vcpus: 320, memoryGiB: 640 },
    },
  },
];

/** The documented size (and its page's table) for a VM size AZURE_DOC_SIZES lists. */
function docSize(type: string): { table: (typeof AZURE_DOC_SIZES)[number]; size: { gpus: number; vcpus?: number; memoryGiB?: number } } | undefined {
  for (const table of AZURE_DOC_SIZES) if (table.sizes[type]) return { table, size: table.sizes[type]! };
  return undefined;
}

/** The system node pool's size per cloud (lib/catalog/data/<cloud>.ts, kubernetes.systemNodes). */
const SYSTEM_POOL = { aws: "m7i.large", azure: "Standard_D4ds_v5", gcp: "e2-standard-4" } as const;

/** The pool size's price in every region of a Go-map dump (`initialOnDemandPrices["<region>"] = ...`). */
function systemPool(text: string, instanceType: string, source: number): GeneratedCatalog["systemNodes"] {
  const usdPerHour: Record<string, number> = {};
  for (const part of text.split(/\tinitialOnDemandPrices\["/).slice(1)) {
    const m = new RegExp(`"${instanceType}":\\s+([0-9.]+)`).exec(part);
    if (m && Number(m[1]) > 0) usdPerHour[part.slice(0, part.indexOf('"'))] = Number(m[1]);
  }
  return { instanceType, usdPerHour, source };
}

function generateAzure(args: Args): GeneratedCatalog {
  return parseAzure(
    readDump(args["karpenter-azure"], "Azure/karpenter-provider-azure", "pkg/providers/pricing/zz_generated.pricing.go"),
    readDump(args.aspire, "microsoft/aspire", "src/Aspire.Hosting.Azure.Kubernetes/AksNodeVmSizes.Generated.cs"),
  );
}

/** Azure rows from the Retail Prices API dump and the Resource SKUs dump. */
export function parseAzure(priceFile: Dump, sizeFile: Dump): GeneratedCatalog {
  const stamp = /generated at (\d{4}-\d{2}-\d{2})T/.exec(priceFile.text)?.[1];
  const sources: Sourced[] = [
    sourced(priceFile, "pay-as-you-go Linux per region, Azure Retail Prices API", stamp),
    sourced(sizeFile, "vCPUs, memory and GPU count per VM size, Azure Resource SKUs API; GPU model per series per https://learn.microsoft.com/azure/virtual-machines/sizes/overview#gpu-accelerated"),
  ];
  const sizes = new Map<string, { vcpus: number; memoryGiB: number; gpus?: number }>();
  for (const m of sizeFile.text.matchAll(/(Standard_N\w+) — (\d+) vCPUs — (\d+) GB RAM(?: — (\d+) GPU\(s\))?/g)) {
    sizes.set(m[1]!, { vcpus: Number(m[2]), memoryGiB: Number(m[3]), ...(m[4] ? { gpus: Number(m[4]) } : {}) });
  }
  const prices: GeneratedPrice[] = [];
  const seen = new Set<string>();
  for (const part of priceFile.text.split(/\tinitialOnDemandPrices\["/).slice(1)) {
    const region = part.slice(0, part.indexOf('"'));
    for (const m of part.matchAll(/"(Standard_N\w+)":\s+([0-9.]+)/g)) {
      const type = m[1]!;
      if (!(AZURE_SERIES.some((s) => s.re.test(type)) || docSize(type)) || !(Number(m[2]) > 0)) continue;
      seen.add(type);
      prices.push([type, region, "on-demand", Number(m[2]), 0]);
    }
  }
  const types: GeneratedType[] = [];
  const pageSource = new Map<string, number>();
  for (const type of [...seen].sort()) {
    const doc = docSize(type);
    if (doc) {
      const { table, size: d } = doc;
      const sku = sizes.get(type);
      const shape = d.vcpus !== undefined && d.memoryGiB !== undefined ? { vcpus: d.vcpus, memoryGiB: d.memoryGiB } : sku && { vcpus: sku.vcpus, memoryGiB: sku.memoryGiB };
      if (!shape) continue;
      // The page's own source when it gives the whole shape; else one naming both (the SKU dump's shape, the page's share).
      const key = `${table.page.source}${d.vcpus === undefined ? " + sku" : ""}`;
      if (!pageSource.has(key)) {
        pageSource.set(key, sources.length);
        sources.push(d.vcpus !== undefined ? table.page : {
          source: `${sources[1]!.source.split(" (")[0]} (vCPUs and memory) and ${table.page.source}`,
          asOf: [sources[1]!.asOf, table.page.asOf].sort()[0]!,
        });
      }
      const share = d.gpus < 1 ? `a ${fractionText(d.gpus)} share of one ${table.model}; ` : "";
      types.push({
        instanceType: type, gpuModel: table.model, gpuCount: d.gpus, ...shape, nvlink: false, spotAvailable: false,
        factsSource: pageSource.get(key)!, notBuilt: `${share}${table.notBuilt}`,
      });
      continue;
    }
    const series = AZURE_SERIES.find((s) => s.re.test(type))!;
    const size = sizes.get(type);
    const count = series.count ?? size?.gpus;
    if (!size || !count) continue;
    types.push({
      instanceType: type, gpuModel: series.model, gpuCount: count, vcpus: size.vcpus, memoryGiB: size.memoryGiB,
      nvlink: series.nvlink, spotAvailable: false, factsSource: 1, ...(series.notBuilt ? { notBuilt: series.notBuilt } : {}),
    });
  }
  const typed = new Set(types.map((t) => t.instanceType));
  return { cloud: "azure", sources, types, prices: prices.filter(([t]) => typed.has(t)), systemNodes: systemPool(priceFile.text, SYSTEM_POOL.azure, 0) };
}

// ---------------------------------------------------------------- SkyPilot (spot, and on-demand gaps)


/** The fields of one CSV line: the price-list reader's own (RFC 4180 quotes: SkyPilot's GpuInfo column is a quoted dict holding commas). */
export const csvFields = splitCsvLine;

/**
 * The region's price from its zones' prices: the middle one, the higher of the two middle ones for an even count.
 * It is a price some zone really charges, and at least half the zones charge no more; the region's lowest zone
 * would understate what a pool spread over the region's zones pays, and a mean is no price anyone is charged.
 */
export function middleZonePrice(usd: number[]): number {
  const sorted = [...usd].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** SkyPilot's vms.csv reduced to one price per type, region and pricing model (the middle zone price). */
export function parseSkypilot(file: Dump, regionOk: (region: string) => boolean): [string, string, PricingModel, number][] {
  const [head, ...lines] = file.text.split("\n");
  const cols = csvFields(head ?? "");
  const at = (name: string) => {
    const i = cols.indexOf(name);
    if (i < 0) throw new Error(`${file.repo} ${file.path}: no ${name} column in ${head}`);
    return i;
  };
  const [TYPE, REGION, PRICE, SPOT] = [at("InstanceType"), at("Region"), at("Price"), at("SpotPrice")];
  const zones = new Map<string, number[]>();
  for (const line of lines) {
    if (!line.trim()) continue;
    const f = csvFields(line);
    const [type, region] = [f[TYPE]!, f[REGION]!];
    if (!type || !regionOk(region)) continue;
    for (const [pricing, text] of [["on-demand", f[PRICE]], ["spot", f[SPOT]]] as const) {
      const usd = Number(text);
      if (!text || !(usd > 0)) continue; // an empty SpotPrice: the zone (e.g. a Local Zone) sells no spot
      const key = `${type}\t${region}\t${pricing}`;
      zones.set(key, [...(zones.get(key) ?? []), usd]);
    }
  }
  return [...zones].map(([key, usd]) => {
    const [type, region, pricing] = key.split("\t") as [string, string, PricingModel];
    return [type, region, pricing, middleZonePrice(usd)];
  });
}

/** How far apart (a fraction) two dumps' on-demand prices may be and still be the same price: rounding only. */
const ONDEMAND_MATCH = 0.005;

/**
 * The catalog with SkyPilot's rows joined in, for the types the catalog's shape dumps already know (a type only
 * SkyPilot lists is left out: its shape would rest on SkyPilot's columns alone). Where the catalog already has the
 * row (type, region, pricing model), the newer-dated one is kept; on the same date the catalog's own dump stays.
 * A spot price is joined only where SkyPilot's on-demand price for the same type and region is the one the catalog
 * keeps (within ONDEMAND_MATCH): when the on-demand price has changed since SkyPilot's commit (AWS cut P4/P5 prices
 * in June 2025, for one), the spot market it was read beside no longer holds, and a spot figure can even exceed
 * today's on-demand price, which neither cloud charges by default (AWS Batch's bidPercentage defaults to 100% of
 * the on-demand price, https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/batch/aws.sdk.kotlin.services.batch.model/-compute-resource/bid-percentage.html;
 * AKS spotMaxPrice -1 pays up to on-demand, https://learn.microsoft.com/en-us/dotnet/api/microsoft.azure.management.containerservice.models.managedclusteragentpoolprofileproperties.spotmaxprice).
 * A type with a joined spot price is marked spot-available.
 */
export function withSkypilot(cat: GeneratedCatalog, file: Dump, regionOk: (region: string) => boolean): GeneratedCatalog {
  const src = cat.sources.length;
  const source = sourced(file, "on-demand Price per region and SpotPrice per availability zone, Linux, written by SkyPilot's catalog fetchers from the cloud's price APIs; per region the middle zone price, the higher of the two middle ones for an even count");
  const known = new Set(cat.types.map((t) => t.instanceType));
  const prices = [...cat.prices];
  const at = new Map(prices.map((p, i) => [`${p[0]}\t${p[1]}\t${p[2]}`, i]));
  const rows = parseSkypilot(file, regionOk).filter(([type]) => known.has(type));
  for (const [type, region, pricing, usd] of rows) {
    if (pricing !== "on-demand") continue;
    const i = at.get(`${type}\t${region}\t${pricing}`);
    const row: GeneratedPrice = [type, region, pricing, usd, src];
    if (i === undefined) at.set(`${type}\t${region}\t${pricing}`, prices.push(row) - 1);
    else if (cat.sources[prices[i]![4]]!.asOf < source.asOf) prices[i] = row;
  }
  const skyOnDemand = new Map(rows.filter((r) => r[2] === "on-demand").map((r) => [`${r[0]}\t${r[1]}`, r[3]]));
  const spot = new Set<string>();
  for (const [type, region, pricing, usd] of rows) {
    if (pricing !== "spot") continue;
    const sky = skyOnDemand.get(`${type}\t${region}`);
    const kept = prices[at.get(`${type}\t${region}\ton-demand`) ?? -1]?.[3];
    if (sky === undefined || kept === undefined || Math.abs(sky - kept) > ONDEMAND_MATCH * kept) continue;
    const i = at.get(`${type}\t${region}\tspot`);
    const row: GeneratedPrice = [type, region, pricing, usd, src];
    if (i === undefined) prices.push(row);
    else if (cat.sources[prices[i]![4]]!.asOf < source.asOf) prices[i] = row;
    else continue;
    spot.add(type);
  }
  const types = cat.types.map((t) => (spot.has(t.instanceType) && !t.spotAvailable ? { ...t, spotAvailable: true } : t));
  return { ...cat, sources: [...cat.sources, source], types, prices };
}

/**
 * The cloud's vms.csv in the newest schema version the clone carries (catalogs/v<N>/<cloud>/vms.csv; the bot
 * refreshes only the current version, and not every version has every cloud), or undefined.
 */
function readSkypilot(dir: string, cloud: Cloud): Dump | undefined {
  const files = git(dir, "ls-tree", "-r", "--name-only", "HEAD", "catalogs").split("\n");
  const newest = files
    .map((f) => new RegExp(`^catalogs/v(\\d+)/${cloud}/vms\\.csv$`).exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .sort((a, b) => Number(b[1]) - Number(a[1]))[0];
  return newest ? readDump(dir, "skypilot-org/skypilot-catalog", newest[0]) : undefined;
}

// ---------------------------------------------------------------- output

type Args = Record<"karpenter-aws" | "aws-gpu" | "karpenter-gcp" | "gcp-machines" | "karpenter-azure" | "aspire", string> & {
  skypilot?: string;
};

function parseArgs(argv: string[]): Args {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 2) out[argv[i]!.replace(/^--/, "")] = argv[i + 1]!;
  for (const k of ["karpenter-aws", "aws-gpu", "karpenter-gcp", "gcp-machines", "karpenter-azure", "aspire"]) {
    if (!out[k]) throw new Error(`--${k} <git clone> is required (see the header of ${path.basename(__filename)})`);
  }
  return out as Args;
}

function write(cat: GeneratedCatalog, dir: string): void {
  const name = `${cat.cloud.toUpperCase()}_GENERATED`;
  const rows = (xs: unknown[]) => xs.map((x) => `    ${JSON.stringify(x)},`).join("\n");
  const text = `// Generated by scripts/catalog/generate.ts. Do not edit: regenerate (see that script's header).
import type { GeneratedCatalog } from "../../generated.js";

export const ${name}: GeneratedCatalog = {
  cloud: ${JSON.stringify(cat.cloud)},
  sources: [
${rows(cat.sources)}
  ],
  types: [
${rows(cat.types)}
  ],
  prices: [
${rows(cat.prices)}
  ],${cat.systemNodes ? `\n  systemNodes: ${JSON.stringify(cat.systemNodes)},` : ""}
};
`;
  fs.writeFileSync(path.join(dir, `${cat.cloud}.ts`), text);
  const regions = new Set(cat.prices.map((p) => p[1]));
  console.log(`${cat.cloud}: ${cat.types.length} types, ${regions.size} regions, ${cat.prices.length} price rows`);
}

if (require.main === module) {
  const args = parseArgs(process.argv.slice(2));
  const dir = path.join(__dirname, "..", "..", "lib", "catalog", "data", "generated");
  fs.mkdirSync(dir, { recursive: true });
  const byCloud: Partial<Record<Cloud, GeneratedCatalog>> = { aws: generateAws(args), gcp: generateGcp(args), azure: generateAzure(args) };
  if (args.skypilot) {
    const awsSky = readSkypilot(args.skypilot, "aws");
    if (awsSky) byCloud.aws = withSkypilot(byCloud.aws!, awsSky, (r) => AWS_REGION.test(r));
    const azureSky = readSkypilot(args.skypilot, "azure");
    if (azureSky) byCloud.azure = withSkypilot(byCloud.azure!, azureSky, (r) => /^[a-z0-9]+$/.test(r));
  }
  for (const cat of Object.values(byCloud)) write(cat, dir);
}
