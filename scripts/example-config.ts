/**
 * The stack configuration the examples read, as the offline runs (tests, `npm run examples:readme`) give it: a
 * documentation address (RFC 5737) where a real stack sets its own (`pulumi config set adminCidr <ip>/32`).
 */
export const EXAMPLE_CONFIG: Record<string, string> = { adminCidr: "203.0.113.7/32" };
