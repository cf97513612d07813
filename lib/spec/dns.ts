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
