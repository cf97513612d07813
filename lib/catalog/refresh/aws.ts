/**
 * AWS Price List bulk API (AmazonEC2 offer files) → price rows for the
 * catalog's instance types: Linux, shared tenancy, no pre-installed software,
 * on-demand and Standard Reserved Instances with no upfront (1y / 3y).
 *
 * The offer file exists as JSON and as CSV. A region's EC2 file is gigabytes,
 * so the online refresh streams the CSV line by line; a saved (trimmed) JSON
 * offer is read whole. Both become the same `AwsPriceRecord`s.
 */
import type { InstancePrice, PricingModel } from "../types.js";

export const awsOfferUrl = (region: string, format: "json" | "csv" = "csv") =>
  `https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/current/${region}/index.${format}`;

/** One price dimension of one product, the fields the parser reads. */
export interface AwsPriceRecord {
  instanceType: string;
  regionCode: string;
  operatingSystem: string;
  tenancy: string;
  preInstalledSw: string;
  capacityStatus: string;
  /** `OnDemand`, `CapacityBlock`, ... (absent in older files). */
  marketOption?: string;
  termType: "OnDemand" | "Reserved" | string;
  unit: string;
  usd: number;
  leaseContractLength?: string;
  purchaseOption?: string;
  offeringClass?: string;
}

/** The JSON offer file (fields we read). */
export interface AwsOffer {
  products: Record<string, { sku: string; attributes: Record<string, string> }>;
  terms: Record<
    string,
    Record<string, Record<string, { termAttributes?: Record<string, string>; priceDimensions: Record<string, { unit: string; pricePerUnit: { USD?: string } }> }>>
  >;
}

/** Records of a JSON offer file. */
export function recordsFromOffer(offer: AwsOffer): AwsPriceRecord[] {
  const records: AwsPriceRecord[] = [];
  for (const [termType, bySku] of Object.entries(offer.terms)) {
    for (const [sku, terms] of Object.entries(bySku)) {
      const product = offer.products[sku];
      if (!product?.attributes.instanceType) continue;
      const a = product.attributes;
      for (const term of Object.values(terms)) {
        for (const dimension of Object.values(term.priceDimensions)) {
          const usd = Number(dimension.pricePerUnit.USD);
          if (!Number.isFinite(usd)) continue;
          const record: AwsPriceRecord = {
            instanceType: a.instanceType!,
            regionCode: a.regionCode ?? "",
            operatingSystem: a.operatingSystem ?? "",
            tenancy: a.tenancy ?? "",
            preInstalledSw: a.preInstalledSw ?? "",
            capacityStatus: a.capacitystatus ?? "",
            termType,
            unit: dimension.unit,
            usd,
          };
          const t = term.termAttributes ?? {};
          if (t.LeaseContractLength) record.leaseContractLength = t.LeaseContractLength;
          if (t.PurchaseOption) record.purchaseOption = t.PurchaseOption;
          if (t.OfferingClass) record.offeringClass = t.OfferingClass;
          if (a.marketoption) record.marketOption = a.marketoption;
          records.push(record);
        }
      }
    }
  }
  return records;
}

/** Split one CSV line (RFC 4180 quoting, as the offer files use). */
export function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      cells.push(cell);
      cell = "";
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

/** A record from a CSV row, given the header's column positions. */
export function recordFromCsv(cells: string[], column: (name: string) => number): AwsPriceRecord {
  const get = (name: string) => cells[column(name)] ?? "";
  const record: AwsPriceRecord = {
    instanceType: get("Instance Type"),
    regionCode: get("Region Code"),
    operatingSystem: get("Operating System"),
    tenancy: get("Tenancy"),
    preInstalledSw: get("Pre Installed S/W"),
    capacityStatus: get("CapacityStatus"),
    termType: get("TermType"),
    unit: get("Unit"),
    usd: Number(get("PricePerUnit")),
  };
  if (get("LeaseContractLength")) record.leaseContractLength = get("LeaseContractLength");
  if (get("PurchaseOption")) record.purchaseOption = get("PurchaseOption");
  if (get("OfferingClass")) record.offeringClass = get("OfferingClass");
  if (get("MarketOption")) record.marketOption = get("MarketOption");
  return record;
}

function pricingOf(r: AwsPriceRecord): PricingModel | undefined {
  if (r.unit !== "Hrs") return undefined;
  if (r.termType === "OnDemand") return "on-demand";
  if (r.termType !== "Reserved" || r.purchaseOption !== "No Upfront" || r.offeringClass !== "standard") return undefined;
  return r.leaseContractLength === "1yr" ? "reserved-1y" : r.leaseContractLength === "3yr" ? "reserved-3y" : undefined;
}

/** Price rows for the wanted instance types and regions (type → regions). */
export function parseAwsRecords(records: Iterable<AwsPriceRecord>, wanted: ReadonlyMap<string, readonly string[]>): Omit<InstancePrice, "source" | "asOf">[] {
  const rows = new Map<string, Omit<InstancePrice, "source" | "asOf">>();
  for (const r of records) {
    if (!wanted.get(r.instanceType)?.includes(r.regionCode)) continue;
    // The price a buyer of a plain Linux instance pays: not Windows/RHEL, not dedicated, not a reservation's unused capacity.
    if (r.operatingSystem !== "Linux" || r.tenancy !== "Shared" || r.preInstalledSw !== "NA" || r.capacityStatus !== "Used") continue;
    // Capacity Block rows price the reservation elsewhere; the instance row itself reads $0.
    if (r.marketOption !== undefined && r.marketOption !== "OnDemand") continue;
    const pricing = pricingOf(r);
    if (!pricing || !(r.usd > 0)) continue;
    rows.set(`${r.instanceType}/${r.regionCode}/${pricing}`, { cloud: "aws", instanceType: r.instanceType, region: r.regionCode, pricing, usdPerHour: r.usd });
  }
  return [...rows.values()];
}

/** Price rows of a JSON offer. */
export function parseAwsOffer(offer: AwsOffer, wanted: ReadonlyMap<string, readonly string[]>): Omit<InstancePrice, "source" | "asOf">[] {
  return parseAwsRecords(recordsFromOffer(offer), wanted);
}

/**
 * Stream a CSV offer file and keep only the rows of the wanted instance types
 * (a cheap substring test skips the millions of other rows before parsing).
 */
export async function parseAwsCsvStream(lines: AsyncIterable<string>, wanted: ReadonlyMap<string, readonly string[]>): Promise<Omit<InstancePrice, "source" | "asOf">[]> {
  const types = [...wanted.keys()];
  let header: string[] | undefined;
  const records: AwsPriceRecord[] = [];
  for await (const line of lines) {
    if (!header) {
      if (line.startsWith('"SKU"')) header = splitCsvLine(line);
      continue;
    }
    if (!types.some((t) => line.includes(`"${t}"`))) continue;
    const columns = header;
    records.push(recordFromCsv(splitCsvLine(line), (name) => columns.indexOf(name)));
  }
  return parseAwsRecords(records, wanted);
}
