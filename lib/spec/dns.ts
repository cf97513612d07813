/** Kubernetes-safe names from user-given ones. */

/** A DNS-1123 label from any component name (lower case, `-` for anything else, trimmed to `max`). */
export function dnsLabel(name: string, max = 63): string {
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .slice(0, max)
    .replace(/^-+|-+$/g, "");
  return cleaned || "gpu";
}

/**
 * A DNS-1123 label that stays distinct for distinct names: the label itself when it holds the whole name, otherwise
 * the cut label and a 6-hex-digit FNV-1a hash of the whole name (`max` includes the hash).
 */
export function uniqueDnsLabel(name: string, max = 63): string {
  const whole = dnsLabel(name, 1000);
  if (whole.length <= max && whole === name) return whole;
  let hash = 0x811c9dc5;
  for (const ch of name) hash = Math.imul(hash ^ ch.codePointAt(0)!, 0x01000193) >>> 0;
  const suffix = (hash & 0xffffff).toString(16).padStart(6, "0");
  return `${dnsLabel(name, max - suffix.length - 1)}-${suffix}`;
}
