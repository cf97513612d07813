/** Round USD to the cent, half away from zero, robust to binary fractions (0.125 → 0.13). */
export function roundCents(usd: number): number {
  const cents = usd * 100;
  return Math.sign(cents) * Math.round(Math.abs(cents) + 1e-7) / 100;
}

/** Sum of already-rounded USD amounts, kept at cent precision. */
export function sumCents(amounts: readonly number[]): number {
  return Math.round(amounts.reduce((total, a) => total + Math.round(a * 100), 0)) / 100;
}

/** `1234567.8` → `$1,234,567.80`. */
export function formatUsd(usd: number): string {
  return usd.toLocaleString("en-US", { style: "currency", currency: "USD" });
}

/**
 * A unit price: at least the cents, up to 6 decimals so sub-cent rates stay exact.
 * `0.1` → `$0.10`, `0.145` → `$0.145`, `0.000035` → `$0.000035`, `55.04` → `$55.04`.
 */
export function formatUnitUsd(usd: number): string {
  return usd.toLocaleString("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 6 });
}
