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
