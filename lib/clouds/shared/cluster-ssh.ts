/**
 * SSH trust and peer discovery for VM training clusters, so `mpirun` and multi-node `torchrun` work across nodes
 * (issue 17 "VM clusters a team can use"):
 *
 * - **One cluster key.** The stack makes one ed25519 key (`clusterKey`, a `tls.PrivateKey`: a Pulumi secret in state)
 *   and keeps it in the cloud's secret store, which only the nodes' own identity may read. The key never travels in
 *   user data or metadata, which many more principals can read than the secret. Every VM training cluster has it, one
 *   node too, so a cluster grown from 1 node to N already trusts itself on node 0.
 * - **Installed beside the boot, not in its way.** A oneshot service (`gpu-cluster-ssh-trust`, at every boot) fetches
 *   the key (`privateKeyCommand`, per cloud) with backoff for up to KEY_WAIT_SECONDS: the node identity's read grant
 *   can take minutes to reach the secret store (GCP IAM typically 2, up to 7+ minutes:
 *   https://cloud.google.com/iam/docs/access-change-propagation; Azure RBAC up to 10 minutes, longer with ARM caching:
 *   https://learn.microsoft.com/azure/key-vault/general/rbac-guide, read 2026-11-30). It keeps the last error; when
 *   the wait runs out it records that error as the bootstrap's failure, which the node health check reports
 *   (./vm-health.ts), so the group replaces the node. Done, it touches KEY_READY: anything that needs the key waits
 *   for that file.
 * - **Users and hosts.** The key goes to root and the image's login accounts (`users`), whose authorized_keys trust
 *   its public half. Each node also signs its own host key with the cluster key (an OpenSSH host certificate whose
 *   principals are its addresses and names, ssh-keygen(1) CERTIFICATES), and every node trusts that CA for host
 *   keys (`@cert-authority` in /etc/ssh/ssh_known_hosts, sshd(8) SSH_KNOWN_HOSTS FILE FORMAT), so a reimaged or
 *   replaced node, whose host keys are new, is trusted at once and a stranger is refused (`StrictHostKeyChecking
 *   yes`), where first-contact trust would refuse every node that was rebuilt at an old address.
 * - **A hostfile kept current.** A systemd timer asks the cloud for the group's running members (`listPeersCommand`,
 *   per cloud) every minute (every 5 above 64 nodes, with a random delay: every node asks the same API, and the
 *   project's or account's request quota is shared with the team's other tools) and rewrites, atomically:
 *   - HOSTFILE: `<ip> slots=<GPUs per node>` per node, sorted by address (Open MPI's hostfile format,
 *     https://docs.open-mpi.org/en/v5.0.x/launching-apps/scheduling.html, read 2026-11-30);
 *   - HOSTS: the addresses alone, one per line (torchrun's first line is the rendezvous host; pdsh -w ^file);
 *   - an ssh client block for those addresses (and the cloud's `hostPatterns`, e.g. the nodes' names) that uses the
 *     cluster key and checks host certificates only.
 *   The answer is checked before it replaces the files: only IPv4 addresses pass, and an empty answer (an API error)
 *   keeps the last good files.
 *
 * The trust boundary: any process on a node that can use the node's identity (the cloud's metadata service answers
 * every local process and container) can read the key, and the key logs in as root on every node. A training cluster
 * is therefore single-tenant: whoever runs code on one node is root on all of them. Clusters that run untrusted code
 * must restrict the metadata service (README, "Operating the cluster").
 *
 * OpenSSH reads /etc/ssh/ssh_config.d/*.conf (Ubuntu, RHEL 8+) and /etc/ssh/sshd_config.d/*.conf (Ubuntu, RHEL 9+)
 * through `Include` lines; where sshd_config has none, the host certificate line goes into sshd_config itself.
 */
import type { Plan } from "../../planner/types.js";
import { shellQuote, systemdUnitLines } from "./bootstrap.js";

/** Whether a plan's nodes trust each other: every VM training cluster, one node too (the bills price its key's store). */
export function vmClusterTrust(plan: Pick<Plan, "workload" | "orchestrator">): boolean {
  return plan.workload === "training" && plan.orchestrator !== "kubernetes";
}

/** Where the component keeps its cluster files on a node. */
export const CLUSTER_DIR = "/etc/gpu-cluster";

/** Where the discovery files live; a parameter only so tests can run the refresh in a scratch folder. */
export interface PeerFiles {
  /** Open MPI hostfile: `<ip> slots=<n>` per node. */
  hostfile: string;
  /** One address per line. */
  hosts: string;
  /** The ssh client block for the peers. */
  sshConfig: string;
}

export const PEER_FILES: PeerFiles = {
  hostfile: `${CLUSTER_DIR}/hostfile`,
  hosts: `${CLUSTER_DIR}/hosts`,
  sshConfig: "/etc/ssh/ssh_config.d/90-gpu-cluster.conf",
};

/** The key file's name in each trusted account's ~/.ssh. */
export const CLUSTER_KEY_FILE = "gpu-cluster_ed25519";

/** The cluster key on the node (root only), and the file that exists once it is installed and trusted. */
export const CLUSTER_KEY = `${CLUSTER_DIR}/ssh/id_ed25519`;
export const KEY_READY = `${CLUSTER_DIR}/ssh/ready`;

/** How long a node keeps asking for the key before it reports the failure (s): past both clouds' propagation delays. */
export const KEY_WAIT_SECONDS = 1800;

/** How often the hostfile follows the group (s): every minute, every 5 minutes above LARGE_CLUSTER_NODES nodes. */
export const PEER_REFRESH_SECONDS = 60;
export const LARGE_CLUSTER_NODES = 64;
const LARGE_CLUSTER_REFRESH_SECONDS = 300;
/** Random delay of each refresh (s), so a thousand nodes do not ask in the same second. */
const PEER_REFRESH_JITTER_SECONDS = 30;

const REFRESH_SCRIPT = "/usr/local/sbin/gpu-cluster-peers";
const TRUST_SCRIPT = "/usr/local/sbin/gpu-cluster-ssh-trust";

/** What a cloud supplies to the cluster's SSH trust. */
export interface ClusterSshSource {
  /**
   * Shell that prints the cluster's private key (OpenSSH format) and nothing else, using the node's own identity,
   * e.g. `aws secretsmanager get-secret-value --secret-id <arn> --query SecretString --output text`. Its stderr is
   * kept as the failure's reason.
   */
  privateKeyCommand: string;
  /** Shell that prints the private IPv4 addresses of the group's running nodes (any whitespace between them). */
  listPeersCommand: string;
  /** Where the key comes from, for the failure message, e.g. "Secrets Manager secret <name>". */
  keySource: string;
  /**
   * Login accounts that get the key besides root, when they exist on the image (AWS Ubuntu DLAMI: `ubuntu`; Azure: the
   * admin user). Default none. Names are checked as plain POSIX user names.
   */
  users?: readonly string[];
  /**
   * ssh `Host` patterns that also name the peers, besides their addresses (Azure: `<computerNamePrefix>*`; GCP:
   * `*.internal` and the instances' name prefix), so `ssh <name>` uses the cluster key. Default none. Checked as plain
   * host patterns (letters, digits, `.`, `-`, `*`, `?`).
   */
  hostPatterns?: readonly string[];
}

const USER_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;
const HOST_PATTERN = /^[A-Za-z0-9.*?-]{1,253}$/;

/** The peers' ssh client block: the cluster key, host certificates only (no first-contact trust, no per-user file). */
function sshConfigLines(hosts: string): string[] {
  return [
    `Host ${hosts}`,
    `  IdentityFile ~/.ssh/${CLUSTER_KEY_FILE}`,
    "  StrictHostKeyChecking yes",
    "  UserKnownHostsFile /dev/null",
    "  GlobalKnownHostsFile /etc/ssh/ssh_known_hosts",
    "  BatchMode yes",
  ];
}

/**
 * The refresh script: list the peers, keep IPv4 addresses only, and replace the three files atomically (write, then
 * rename). Exits 1 without touching the files when the answer holds no address. `hostPatterns`: see ClusterSshSource.
 */
export function peerRefreshScript(listPeersCommand: string, slots: number, files: PeerFiles = PEER_FILES, hostPatterns: readonly string[] = []): string[] {
  for (const pattern of hostPatterns) {
    if (!HOST_PATTERN.test(pattern)) throw new Error(`cluster SSH host pattern '${pattern}' is not a plain host pattern`);
  }
  const tmp = (path: string) => shellQuote(`${path}.tmp`);
  const extra = hostPatterns.length > 0 ? ` ${hostPatterns.join(" ")}` : "";
  const config = sshConfigLines("$(echo $peers)" + extra).map((line) => `echo "${line}"`).join("; ");
  return [
    "#!/bin/bash",
    "set -uo pipefail",
    `peers=$( { ${listPeersCommand} ; } 2>/dev/null | tr -s ' \\t' '\\n\\n' | grep -E '^[0-9]{1,3}(\\.[0-9]{1,3}){3}$' | sort -u -t. -k1,1n -k2,2n -k3,3n -k4,4n)`,
    'if [ -z "$peers" ]; then logger -p user.warning "gpu-cluster: peer list empty, keeping the last hostfile"; exit 1; fi',
    `mkdir -p "$(dirname ${shellQuote(files.hostfile)})" "$(dirname ${shellQuote(files.sshConfig)})"`,
    `printf '%s slots=${slots}\\n' $peers > ${tmp(files.hostfile)} && mv ${tmp(files.hostfile)} ${shellQuote(files.hostfile)}`,
    `printf '%s\\n' $peers > ${tmp(files.hosts)} && mv ${tmp(files.hosts)} ${shellQuote(files.hosts)}`,
    `{ ${config}; } > ${tmp(files.sshConfig)} && chmod 644 ${tmp(files.sshConfig)} && mv ${tmp(files.sshConfig)} ${shellQuote(files.sshConfig)}`,
  ];
}

/**
 * Shell lines (indented for a loop or function body) that give `$user` the cluster key in ~/.ssh and trust its public
 * half in authorized_keys; `$user`, `$home` and `$group` are set before them. One place for every script that does it
 * (the trust service here, GCP's helper for OS Login users).
 */
export function userKeyLines(key: string = CLUSTER_KEY): string[] {
  return [
    '  install -d -m 0700 -o "$user" -g "$group" "$home/.ssh"',
    `  install -m 0600 -o "$user" -g "$group" ${key} "$home/.ssh/${CLUSTER_KEY_FILE}"`,
    `  touch "$home/.ssh/authorized_keys"; grep -qxF "$(cat ${key}.pub)" "$home/.ssh/authorized_keys" || cat ${key}.pub >> "$home/.ssh/authorized_keys"`,
    '  chown "$user:$group" "$home/.ssh/authorized_keys"; chmod 600 "$home/.ssh/authorized_keys"',
  ];
}

/**
 * The trust script a oneshot service runs at every boot: fetch the key with backoff (the last error kept), install it
 * for root and `users`, sign this node's host keys with it and trust it as the host CA, then touch KEY_READY.
 */
export function trustScript(source: ClusterSshSource, waitSeconds = KEY_WAIT_SECONDS): string[] {
  for (const user of source.users ?? []) {
    if (!USER_NAME.test(user)) throw new Error(`cluster SSH user '${user}' is not a plain POSIX user name`);
  }
  const key = CLUSTER_KEY;
  const users = ["root", ...(source.users ?? [])].join(" ");
  const failed = "/var/lib/gpu-cluster/bootstrap-failed";
  return [
    "#!/bin/bash",
    "set -uo pipefail",
    `install -d -m 0700 ${CLUSTER_DIR}/ssh`,
    "umask 077",
    // Backoff 10 s doubling to 120 s, with jitter, until the wait runs out; the last error is the reason.
    `deadline=$(( $(date +%s) + ${waitSeconds} )); delay=10; last=''`,
    "while :; do",
    `  if { ${source.privateKeyCommand} ; } > ${key}.tmp 2> ${key}.err && grep -q 'PRIVATE KEY' ${key}.tmp; then break; fi`,
    `  last=$(tail -c 400 ${key}.err | tr '\\n' ' ')`,
    '  if [ "$(date +%s)" -ge "$deadline" ]; then',
    `    reason=${shellQuote(`cluster SSH key not readable from ${source.keySource} after ${waitSeconds} s`)}": \${last:-no key in the answer}"`,
    `    mkdir -p /var/lib/gpu-cluster; echo "$reason" > ${failed}`,
    '    logger -p user.err "gpu-cluster: $reason"; echo "$reason" >&2; exit 1',
    "  fi",
    "  sleep $(( delay + RANDOM % 10 )); delay=$(( delay * 2 > 120 ? 120 : delay * 2 ))",
    "done",
    `rm -f ${key}.err; mv ${key}.tmp ${key}`,
    `ssh-keygen -y -f ${key} > ${key}.pub || { echo 'cluster SSH key is not a valid private key' > ${failed}; exit 1; }`,
    "umask 022",
    `for user in ${users}; do`,
    '  id "$user" >/dev/null 2>&1 || continue',
    '  home=$(getent passwd "$user" | cut -d: -f6); group=$(id -gn "$user")',
    ...userKeyLines(key),
    "done",
    // The host certificate: principals are this node's addresses and names, as peers type them.
    'principals=$( { hostname; hostname -f; hostname -I | tr " " "\\n"; } 2>/dev/null | grep -v "^$" | sort -u | paste -sd, -)',
    "for hostkey in /etc/ssh/ssh_host_ed25519_key /etc/ssh/ssh_host_ecdsa_key /etc/ssh/ssh_host_rsa_key; do",
    '  [ -f "$hostkey.pub" ] || continue',
    `  ssh-keygen -q -s ${key} -I "gpu-cluster $(hostname)" -h -n "$principals" "$hostkey.pub" || continue`,
    '  certs="${certs:-} $hostkey-cert.pub"',
    "done",
    'if grep -qE "^Include /etc/ssh/sshd_config.d/" /etc/ssh/sshd_config; then conf=/etc/ssh/sshd_config.d/90-gpu-cluster.conf; else conf=/etc/ssh/sshd_config; fi',
    'for cert in ${certs:-}; do grep -qxF "HostCertificate $cert" "$conf" 2>/dev/null || echo "HostCertificate $cert" >> "$conf"; done',
    "systemctl reload ssh 2>/dev/null || systemctl reload sshd 2>/dev/null || true",
    `line="@cert-authority * $(cat ${key}.pub)"; touch /etc/ssh/ssh_known_hosts; grep -qxF "$line" /etc/ssh/ssh_known_hosts || echo "$line" >> /etc/ssh/ssh_known_hosts`,
    `touch ${KEY_READY}`,
  ];
}

/** Lines that install the trust script as a oneshot service at every boot, started now without waiting for it. */
function trustLines(source: ClusterSshSource): string[] {
  return [
    `# Cluster SSH trust (lib/clouds/shared/cluster-ssh.ts): the key from ${source.keySource}, installed beside the boot.`,
    `cat > ${TRUST_SCRIPT} <<'TRUST'`,
    ...trustScript(source),
    "TRUST",
    `chmod 700 ${TRUST_SCRIPT}`,
    ...systemdUnitLines("gpu-cluster-ssh-trust.service", [
      "[Unit]",
      "Description=gpu-cluster SSH trust: the cluster key, host certificate and CA",
      "After=network-online.target",
      "Wants=network-online.target",
      "[Service]",
      "Type=oneshot",
      `ExecStart=${TRUST_SCRIPT}`,
      `TimeoutStartSec=${KEY_WAIT_SECONDS + 300}`,
      "[Install]",
      "WantedBy=multi-user.target",
    ]),
  ];
}

/** Lines that install the refresh script and its timer, and run it once now. */
function refreshLines(source: ClusterSshSource, nodeCount: number, slots: number): string[] {
  const every = nodeCount > LARGE_CLUSTER_NODES ? LARGE_CLUSTER_REFRESH_SECONDS : PEER_REFRESH_SECONDS;
  return [
    `cat > ${REFRESH_SCRIPT} <<'PEERS'`,
    ...peerRefreshScript(source.listPeersCommand, slots, PEER_FILES, source.hostPatterns ?? []),
    "PEERS",
    `chmod 755 ${REFRESH_SCRIPT}`,
    ...systemdUnitLines("gpu-cluster-peers.service", [
      "[Unit]",
      "Description=gpu-cluster hostfile from the node group's members",
      "After=network-online.target",
      "[Service]",
      "Type=oneshot",
      `ExecStart=${REFRESH_SCRIPT}`,
    ]),
    ...systemdUnitLines("gpu-cluster-peers.timer", [
      "[Unit]",
      `Description=Refresh the gpu-cluster hostfile every ${every} s`,
      "[Timer]",
      "OnBootSec=30",
      `OnUnitActiveSec=${every}`,
      `RandomizedDelaySec=${PEER_REFRESH_JITTER_SECONDS}`,
      "[Install]",
      "WantedBy=timers.target",
    ]),
  ];
}

/**
 * Bootstrap lines for a VM training cluster's SSH trust and hostfile: the trust service and the refresh timer,
 * enabled and started without blocking the boot (the first hostfile is written now, a failure retried by the timer).
 * `slots`: GPUs per node; `nodeCount` sets the refresh interval.
 */
export function clusterSshLines(source: ClusterSshSource, nodeCount: number, slots: number): string[] {
  return [
    ...trustLines(source),
    ...refreshLines(source, nodeCount, slots),
    "systemctl daemon-reload",
    "systemctl enable gpu-cluster-ssh-trust.service",
    "systemctl start --no-block gpu-cluster-ssh-trust.service",
    "systemctl enable --now gpu-cluster-peers.timer",
    `${REFRESH_SCRIPT} || true`,
  ];
}
