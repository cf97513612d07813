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
  /**
   * The script itself runs at first boot only (cloud-init user data / custom data: AWS, Azure): install the mounts as
   * a cloud-init per-boot script too, or after a reboot the mount point is a plain directory on the root disk and a
   * job writes its checkpoints there. False where the script runs at every boot (GCP startup scripts).
   */
  firstBootOnly: boolean;
  /** Lines that install and start the node's services (the fleet's model server: a systemd unit), after the mounts. */
  services?: string[];
  /** The user's own script, run last. */
  extra?: string;
  /** Where the user's script came from (the option name), for the comment above it. */
  extraLabel: string;
}

/**
 * A systemd unit file under /etc/systemd/system, written by a quoted heredoc (no expansion: the unit's `$` and
 * backslashes reach the file as written). `mark` ends the heredoc: a unit written inside another heredoc (the AWS
 * association's command, a script file) needs a mark of its own.
 */
export function systemdUnitLines(name: string, lines: string[], mark = "UNIT"): string[] {
  return [`cat > /etc/systemd/system/${name} <<'${mark}'`, ...lines, mark];
}

/**
 * A script that a oneshot systemd unit runs once, started without blocking: what the fabric gates and the GPU metrics
 * agent install (a boot script's lines, or an AWS association's command). The unit is not enabled: it runs again only
 * when these lines run again.
 */
export interface OneshotScriptUnit {
  /** The unit file's name under /etc/systemd/system, e.g. `gpu-cluster-fabric-gate.service`. */
  unit: string;
  /** The unit's `Description=`. */
  description: string;
  /** Where the script is written (an absolute path), and the unit's `ExecStart=`. */
  scriptPath: string;
  /** The script's text (trailing whitespace trimmed). */
  script: string;
  /** The word that ends the script's heredoc: one the script never holds on a line of its own. */
  scriptMark: string;
  /** The word that ends the unit file's heredoc. Default `UNIT`. */
  unitMark?: string;
  /**
   * Units the start job waits for (`After=`), in order. `network-online.target` among them is also pulled in
   * (`Wants=`): ordering alone does not start it; a unit that needs the network up pulls it in and orders itself after
   * it (systemd.special(7), network-online.target; https://systemd.io/NETWORK_ONLINE/, read 2026-11-30).
   */
  after: string[];
  /** `TimeoutStartSec=`: seconds, or `infinity` for no bound. */
  timeoutStartSec: number | "infinity";
  /** Create the script's folder and /etc/systemd/system first (an association's command on any image). Default false. */
  makeDirs?: boolean;
  /** A shell test that, when true, skips the start (e.g. a marker of a run already done). Default: always start. */
  skipStartIf?: string;
  /**
   * What runs when a `systemctl` call fails, after `||`: one command for both calls, or one for each (the reload,
   * the start). Default none: the failure is the caller's script's to handle.
   */
  orElse?: string | { reload: string; start: string };
}

/** The lines that write {@link OneshotScriptUnit}'s script and unit, reload systemd and start the unit with `--no-block`. */
export function oneshotScriptUnitLines(u: OneshotScriptUnit): string[] {
  const orElse = typeof u.orElse === "string" ? { reload: u.orElse, start: u.orElse } : u.orElse;
  const or = (command: string, fallback: string | undefined) => (fallback === undefined ? command : `${command} || ${fallback}`);
  return [
    ...(u.makeDirs ? [`mkdir -p "$(dirname ${u.scriptPath})" /etc/systemd/system`] : []),
    `cat > ${u.scriptPath} <<'${u.scriptMark}'`,
    u.script.trimEnd(),
    u.scriptMark,
    `chmod 755 ${u.scriptPath}`,
    ...systemdUnitLines(
      u.unit,
      [
        "[Unit]",
        `Description=${u.description}`,
        `After=${u.after.join(" ")}`,
        ...(u.after.includes("network-online.target") ? ["Wants=network-online.target"] : []),
        "[Service]",
        "Type=oneshot",
        `ExecStart=${u.scriptPath}`,
        `TimeoutStartSec=${u.timeoutStartSec}`,
      ],
      u.unitMark,
    ),
    or("systemctl daemon-reload", orElse?.reload),
    or(`${u.skipStartIf ? `${u.skipStartIf} || ` : ""}systemctl start --no-block ${u.unit}`, orElse?.start),
  ];
}

/** `value` as one shell word: single-quoted, so nothing in it is expanded or run. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A network file system (or a formatted device) to mount on the node. */
export interface MountSpec {
  /** `mount -t` type, e.g. `lustre`, `nfs4`. */
  type: string;
  /** `mount -o` options. */
  options: string;
  /** What to mount: `<mgs>@tcp:/<fs>`, `<server>:/<export>`, or a device (a shell word or `"$dev"`). */
  source: string;
  /** Where (validated as a plain absolute path, quoted all the same). */
  mountPath: string;
  /** `source` is a shell expression the script computed (`"$dev"`), not a literal to quote. */
  sourceIsExpression?: boolean;
}

/**
 * Lines that create the mount point and mount the file system, or stop the bootstrap with the reason: a node that
 * runs the job without its data (writing checkpoints to the root disk) is worse than a node that failed loudly.
 * The mount also goes in /etc/fstab, once, with `_netdev` (after the network) and `nofail` (a missing file system does
 * not stop the boot; the health check reports the node instead), so it comes back after a reboot; a block device by
 * its file system UUID, which survives device renames. The mount itself is skipped when the path is mounted already
 * (fstab, or a script that runs at every boot). fstab(5): https://man7.org/linux/man-pages/man5/fstab.5.html.
 */
export function mountLines(m: MountSpec): string[] {
  const where = shellQuote(m.mountPath);
  const source = m.sourceIsExpression ? m.source : shellQuote(m.source);
  const options = [...new Set([...m.options.split(","), "_netdev", "nofail"])].join(",");
  // The fstab line; a device the script found is written by UUID (mountPath is a plain absolute path, checked by validation).
  const entry = m.sourceIsExpression
    ? `echo "UUID=$(blkid -s UUID -o value ${m.source}) ${m.mountPath} ${m.type} ${options} 0 0" >> /etc/fstab`
    : `echo ${shellQuote(`${m.source} ${m.mountPath} ${m.type} ${options} 0 0`)} >> /etc/fstab`;
  return [
    `mkdir -p ${where}`,
    `if ! mountpoint -q ${where}; then`,
    `mount -t ${m.type} -o ${m.options} ${source} ${where} || fail ${shellQuote(`${m.type} mount of ${m.source} at ${m.mountPath} failed`)}`,
    "fi",
    `grep -qsF ${shellQuote(` ${m.mountPath} ${m.type} `)} /etc/fstab || ${entry}`,
  ];
}

/** The `fail` function the mount lines call: record the reason where health checks and people look, then stop. */
export const FAIL_FUNCTION = [
  "fail() {",
  "  mkdir -p /var/lib/gpu-cluster",
  '  echo "gpu-cluster: BOOTSTRAP FAILED: $1" | tee /var/lib/gpu-cluster/bootstrap-failed >&2',
  '  logger -p user.err "gpu-cluster: bootstrap failed: $1"',
  "  exit 1",
  "}",
];

/** The marks around the component's block in /etc/environment (pam_env and systemd skip `#` lines). */
export const ENVIRONMENT_MARKS = { begin: "# BEGIN gpu-cluster", end: "# END gpu-cluster" } as const;

/**
 * Lines that record the environment in /etc/environment (services) and /etc/profile.d (logins). The block in
 * /etc/environment is marked and replaced, not appended again: a script that runs at every boot (GCP) leaves one copy.
 */
export function environmentLines(env: Record<string, string>): string[] {
  const lines = Object.entries(env).map(([k, v]) => `${k}="${v}"`);
  if (lines.length === 0) return [];
  return [
    `[ -f /etc/environment ] && sed -i '/^${ENVIRONMENT_MARKS.begin}$/,/^${ENVIRONMENT_MARKS.end}$/d' /etc/environment`,
    "cat >> /etc/environment <<'ENV'",
    ENVIRONMENT_MARKS.begin,
    ...lines,
    ENVIRONMENT_MARKS.end,
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

/** Where cloud-init runs scripts at every boot (https://cloudinit.readthedocs.io/en/latest/reference/modules.html#scripts-per-boot). */
export const PER_BOOT_MOUNTS = "/var/lib/cloud/scripts/per-boot/gpu-cluster-mounts.sh";

/** The mount lines as a per-boot script (with its own `fail`), written once and run now. */
function everyBootMountLines(mounts: string[]): string[] {
  return [
    "mkdir -p /var/lib/cloud/scripts/per-boot",
    // Quoted delimiter: the script is written as is, nothing in it is expanded now.
    `cat > ${PER_BOOT_MOUNTS} <<'MOUNTS'`,
    "#!/bin/bash",
    "set -uo pipefail",
    ...FAIL_FUNCTION,
    ...mounts,
    "MOUNTS",
    `chmod 755 ${PER_BOOT_MOUNTS}`,
    `${PER_BOOT_MOUNTS} || fail 'storage mounts failed (see ${PER_BOOT_MOUNTS})'`,
  ];
}

/** The whole script. */
export function bootstrapScript(parts: BootstrapParts): string {
  return [
    "#!/bin/bash",
    "set -uo pipefail",
    "# gpu-cluster node bootstrap",
    ...FAIL_FUNCTION,
    ...environmentLines(parts.env),
    ...(parts.check ? fabricCheckLines(parts.check) : []),
    ...(parts.firstBootOnly && parts.mounts.length > 0 ? everyBootMountLines(parts.mounts) : parts.mounts),
    ...(parts.services ?? []),
    ...(parts.extra ? [`# from ${parts.extraLabel}`, parts.extra] : []),
    "",
  ].join("\n");
}
