/**
 * `gpu-cluster catalog refresh`: rebuild the price rows of one cloud from its
 * public price API (or from a saved API response with --input), and write them
 * as the refreshed overlay the catalog loads. Offline it says so and the
 * shipped tables stay in effect.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as catalog from "../index.js";
import { refreshedPricesFile } from "../overlay.js";
import type { Cloud, InstancePrice } from "../types.js";
import { awsOfferUrl, parseAwsCsvStream, parseAwsOffer, type AwsOffer } from "./aws.js";
import { azureFilterUrl, parseAzureRetailPrices, type AzureRetailItem, type AzureRetailPage } from "./azure.js";
import { GCP_COMPUTE_SKUS_API, parseGcpSkus, type GcpSku, type GcpSkuPage } from "./gcp.js";

export const REFRESHABLE_CLOUDS = ["aws", "gcp", "azure"] as const;
export type RefreshableCloud = (typeof REFRESHABLE_CLOUDS)[number];

export interface RefreshOptions {
  cloud: RefreshableCloud;
  /** A saved API response (JSON) to parse instead of fetching. */
  input?: string;
  /** Where to write `<cloud>.json`. Default: the catalog's refreshed-prices directory. */
  outDir?: string;
  /** GCP's Cloud Billing Catalog API needs an API key. Default: env GCP_API_KEY. */
  apiKey?: string;
  /** Date stamped on the rows, YYYY-MM-DD. Default: today. */
  today?: string;
  fetchJson?: (url: string) => Promise<unknown>;
}

export interface RefreshResult {
  rows: InstancePrice[];
  file: string;
  /** Rows whose price differs from the one in effect before, with both figures. */
  changes: { key: string; before?: number; after: number }[];
}

/** Thrown when the API cannot be reached: the caller reports it and keeps the shipped tables. */
export class OfflineError extends Error {
  override readonly name = "OfflineError";
}

async function defaultFetchJson(url: string): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    throw new OfflineError(`cannot reach ${new URL(url).host} (${cause})`);
  }
  if (!response.ok) throw new Error(`${new URL(url).host} answered ${response.status} ${response.statusText}`);
  return response.json();
}

/** The catalog's sizes per cloud, with the regions it lists for each. */
function wanted(cloud: Cloud): Map<string, string[]> {
  return new Map(catalog.instances(cloud).map((i) => [i.instanceType, i.regions]));
}

async function azureRows(options: RefreshOptions, fetchJson: (url: string) => Promise<unknown>, stamp: { source: string; asOf: string }): Promise<InstancePrice[]> {
  const items: AzureRetailItem[] = [];
  if (options.input) {
    items.push(...(JSON.parse(fs.readFileSync(options.input, "utf8")) as AzureRetailPage).Items);
  } else {
    for (const size of wanted("azure").keys()) {
      let url: string | null | undefined = azureFilterUrl(size);
      while (url) {
        const page = (await fetchJson(url)) as AzureRetailPage;
        items.push(...page.Items);
        url = page.NextPageLink;
      }
    }
  }
  return parseAzureRetailPrices(items, wanted("azure"), stamp);
}

async function gcpRows(options: RefreshOptions, fetchJson: (url: string) => Promise<unknown>, stamp: { source: string; asOf: string }): Promise<InstancePrice[]> {
  const skus: GcpSku[] = [];
  if (options.input) {
    skus.push(...(JSON.parse(fs.readFileSync(options.input, "utf8")) as GcpSkuPage).skus);
  } else {
    const key = options.apiKey ?? process.env.GCP_API_KEY;
    if (!key) throw new Error("the Cloud Billing Catalog API needs an API key: set GCP_API_KEY or pass --api-key");
    let token: string | undefined = "";
    while (token !== undefined) {
      const page = (await fetchJson(`${GCP_COMPUTE_SKUS_API}?key=${encodeURIComponent(key)}&pageSize=5000${token ? `&pageToken=${token}` : ""}`)) as GcpSkuPage;
      skus.push(...page.skus);
      token = page.nextPageToken || undefined;
    }
  }
  return parseGcpSkus(skus, catalog.instances("gcp"), stamp);
}

async function awsRows(options: RefreshOptions, _fetchJson: (url: string) => Promise<unknown>, stamp: { source: string; asOf: string }): Promise<InstancePrice[]> {
  if (options.input) {
    const offer = JSON.parse(fs.readFileSync(options.input, "utf8")) as AwsOffer;
    return parseAwsOffer(offer, wanted("aws")).map((r) => ({ ...r, ...stamp }));
  }
  const rows: InstancePrice[] = [];
  for (const region of catalog.regions("aws")) {
    const url = awsOfferUrl(region, "csv");
    const regional = new Map(wanted("aws"));
    for (const [type, regions] of regional) regional.set(type, regions.filter((r) => r === region));
    const found = await parseAwsCsvStream(fetchLines(url), regional);
    rows.push(...found.map((r) => ({ ...r, source: `${stamp.source}, ${url}`, asOf: stamp.asOf })));
  }
  return rows;
}

/** The lines of a (large) text download, streamed. */
async function* fetchLines(url: string): AsyncIterable<string> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(30 * 60_000) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    throw new OfflineError(`cannot reach ${new URL(url).host} (${cause})`);
  }
  if (!response.ok || !response.body) throw new Error(`${new URL(url).host} answered ${response.status} ${response.statusText}`);
  const decoder = new TextDecoder();
  let rest = "";
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    rest += decoder.decode(chunk, { stream: true });
    const lines = rest.split("\n");
    rest = lines.pop() ?? "";
    yield* lines;
  }
  if (rest) yield rest;
}

const SOURCES: Record<RefreshableCloud, string> = {
  aws: "AWS Price List bulk API, AmazonEC2 offer file (pricing.us-east-1.amazonaws.com)",
  azure: "Azure Retail Prices API (prices.azure.com/api/retail/prices)",
  gcp: "Cloud Billing Catalog API, Compute Engine SKUs (cloudbilling.googleapis.com)",
};

/** Fetch (or read), parse, and write the refreshed rows. Throws OfflineError when the API is out of reach. */
export async function refreshPrices(options: RefreshOptions): Promise<RefreshResult> {
  const fetchJson = options.fetchJson ?? defaultFetchJson;
  const asOf = options.today ?? new Date().toISOString().slice(0, 10);
  const stamp = { source: options.input ? `${SOURCES[options.cloud]}; saved response ${path.basename(options.input)}` : SOURCES[options.cloud], asOf };
  const readers = { aws: awsRows, azure: azureRows, gcp: gcpRows };
  const rows = await readers[options.cloud](options, fetchJson, stamp);
  const changes = rows
    .map((r) => {
      const before = catalog.price({ cloud: r.cloud, instanceType: r.instanceType, region: r.region, pricing: r.pricing });
      return { key: `${r.instanceType} ${r.region} ${r.pricing}`, before, after: r.usdPerHour };
    })
    .filter((c) => c.before === undefined || Math.abs(c.before - c.after) > 1e-9);
  const file = refreshedPricesFile(options.cloud, options.outDir);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(rows, null, 2)}\n`);
  return { rows, file, changes };
}
