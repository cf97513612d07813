/**
 * The skeleton every VM node bootstrap shares (AWS user data, Azure custom
 * data, GCP startup script): write the fabric environment for logins and
 * services, check at boot that the node sees every fabric NIC the plan gave it
 * (so a node without its fabric is loud, not a silent TCP fallback), mount the
 * storage, then run the user's own script. Each cloud supplies the parts that
 * differ: the environment, how to count NICs, the mount commands.
 */

/** How a cloud counts the fabric NICs a node sees. */
export interface FabricCheck {
  /** NICs the plan promises per node. */
  expected: number;
  /** Shell that sets `found` to the count (e.g. by listing the RDMA devices in sysfs). */
  countCommand: string;
  /** What is counted, for the log line, e.g. "EFA devices". */
  what: string;
}

export interface BootstrapParts {
  /** Fabric environment (NCCL, libfabric, ...); none for nodes without a fabric. */
  env: Record<string, string>;
  check?: FabricCheck;
  /** Mount commands for the cluster's storage. */
  mounts: string[];
  /** The user's own script, run last. */
  extra?: string;
  /** Where the user's script came from (the option name), for the comment above it. */
  extraLabel: string;
}

/** Lines that record the environment in /etc/environment (services) and /etc/profile.d (logins). */
export function environmentLines(env: Record<string, string>): string[] {
  const lines = Object.entries(env).map(([k, v]) => `${k}="${v}"`);
  if (lines.length === 0) return [];
  return [
    "cat >> /etc/environment <<'ENV'",
    ...lines,
    "ENV",
    "cat > /etc/profile.d/gpu-cluster-fabric.sh <<'ENV'",
    ...lines.map((l) => `export ${l}`),
    "ENV",
  ];
}

/** Lines that count the fabric NICs and record the verdict in /var/lib/gpu-cluster/fabric-check (and syslog on failure). */
export function fabricCheckLines({ expected, countCommand, what }: FabricCheck): string[] {
  return [
    `# Fabric check: the node must see every one of its ${expected} ${what}.`,
    `expected=${expected}`,
    countCommand,
    "mkdir -p /var/lib/gpu-cluster",
    'if [ "$found" -lt "$expected" ]; then',
    `  echo "gpu-cluster: FABRIC CHECK FAILED: $found of $expected ${what}" | tee /var/lib/gpu-cluster/fabric-check >&2`,
    `  logger -p user.err "gpu-cluster: fabric check failed: $found of $expected ${what}"`,
    "else",
    `  echo "ok: $found ${what}" > /var/lib/gpu-cluster/fabric-check`,
    "fi",
  ];
}

/** The whole script. */
export function bootstrapScript(parts: BootstrapParts): string {
  return [
    "#!/bin/bash",
    "set -uo pipefail",
    "# gpu-cluster node bootstrap",
    ...environmentLines(parts.env),
    ...(parts.check ? fabricCheckLines(parts.check) : []),
    ...parts.mounts,
    ...(parts.extra ? [`# from ${parts.extraLabel}`, parts.extra] : []),
    "",
  ].join("\n");
}
