/**
 * Azure Retail Prices API (https://prices.azure.com/api/retail/prices) →
 * price rows for the catalog's VM sizes. Linux pay-as-you-go, spot, and
 * reserved 1y/3y (the API gives a reservation's price for the whole term).
 */
import type { InstancePrice, PricingModel } from "../types.js";

/** One item of the API's `Items` array (the fields we read). */
export interface AzureRetailItem {
  armSkuName: string;
  armRegionName: string;
  retailPrice: number;
  unitOfMeasure: string;
  type: string;
  meterName: string;
  productName: string;
  serviceName: string;
  currencyCode: string;
  reservationTerm?: string;
  effectiveStartDate?: string;
}

export interface AzureRetailPage {
  Items: AzureRetailItem[];
  NextPageLink?: string | null;
}

export const AZURE_RETAIL_API = "https://prices.azure.com/api/retail/prices";
const HOURS_PER_TERM: Record<string, { pricing: PricingModel; hours: number }> = {
  "1 Year": { pricing: "reserved-1y", hours: 8760 },
  "3 Years": { pricing: "reserved-3y", hours: 26280 },
};

/** The pricing model of an item, or undefined for items we do not price (Windows, low priority, dev/test). */
function pricingOf(item: AzureRetailItem): { pricing: PricingModel; hours: number } | undefined {
  if (item.serviceName !== "Virtual Machines" || item.currencyCode !== "USD") return undefined;
  if (/windows/i.test(item.productName) || /low priority/i.test(item.meterName)) return undefined;
  if (item.type === "Reservation") return item.reservationTerm ? HOURS_PER_TERM[item.reservationTerm] : undefined;
  if (item.type !== "Consumption" || item.unitOfMeasure !== "1 Hour") return undefined;
  return { pricing: /spot/i.test(item.meterName) ? "spot" : "on-demand", hours: 1 };
}

/** Price rows from API items, for the given sizes and regions only. */
export function parseAzureRetailPrices(
  items: readonly AzureRetailItem[],
  wanted: ReadonlyMap<string, readonly string[]>,
  source: { source: string; asOf: string },
): InstancePrice[] {
  const rows = new Map<string, InstancePrice>();
  for (const item of items) {
    const regions = wanted.get(item.armSkuName);
    if (!regions?.includes(item.armRegionName)) continue;
    const kind = pricingOf(item);
    if (!kind || !(item.retailPrice > 0)) continue;
    const row: InstancePrice = {
      cloud: "azure",
      instanceType: item.armSkuName,
      region: item.armRegionName,
      pricing: kind.pricing,
      usdPerHour: item.retailPrice / kind.hours,
      ...source,
    };
    // Several meters can match (e.g. a superseded one); keep the cheapest, which is what a buyer pays.
    const key = `${row.instanceType}/${row.region}/${row.pricing}`;
    const existing = rows.get(key);
    if (!existing || row.usdPerHour < existing.usdPerHour) rows.set(key, row);
  }
  return [...rows.values()];
}

/** The API filter for one VM size. */
export function azureFilterUrl(armSkuName: string): string {
  const filter = `serviceName eq 'Virtual Machines' and armSkuName eq '${armSkuName}' and currencyCode eq 'USD'`;
  return `${AZURE_RETAIL_API}?$filter=${encodeURIComponent(filter)}`;
}
