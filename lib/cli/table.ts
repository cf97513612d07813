/** Fixed-width text tables for the terminal: every column as wide as its widest cell. */

/**
 * Rows of cells laid out in columns two spaces apart; columns listed in `right` are right-aligned (figures).
 * Trailing spaces are trimmed. Widths count UTF-16 units, which is right for the ASCII, `×` and `–` used here.
 */
export function alignColumns(rows: readonly (readonly string[])[], right: readonly number[] = []): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (right.includes(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join("  ").trimEnd());
}
