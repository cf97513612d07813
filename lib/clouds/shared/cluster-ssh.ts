/**
 * SSH trust and peer discovery for VM training clusters, so `mpirun` and multi-node `torchrun` work across nodes
 * (issue 17 "VM clusters a team can use"):
 *
 * - **One cluster key.** The stack makes one ed25519 key (`clusterKey`, a `tls.PrivateKey`: a Pulumi secret in state)
 *   and keeps it in the cloud's secret store, which only the nodes' own identity may read. The key never travels in
 *   user data or metadata, which many more principals can read than the secret. At boot each node fetches it
 *   (`privateKeyCommand`, per cloud), installs it for root and the image's login accounts, and trusts its public half.
 * - **A hostfile kept current.** A systemd timer asks the cloud for the group's running members every minute
 *   (`listPeersCommand`, per cloud) and rewrites, atomically:
 *   - HOSTFILE: `<ip> slots=<GPUs per node>` per node, sorted by address (Open MPI's hostfile format,
 *     https://docs.open-mpi.org/en/v5.0.x/launching-apps/scheduling.html, read 2026-11-30);
 *   - HOSTS: the addresses alone, one per line (torchrun's first line is the rendezvous host; pdsh -w ^file);
 *   - an ssh client block that uses the cluster key for those addresses only, and accepts a peer's host key on first
 *     contact (the peers are the cloud's own answer for the group, on the private network).
 *   The answer is checked before it replaces the files: only IPv4 addresses pass, and an empty answer (an API error)
 *   keeps the last good files.
 *
 * OpenSSH reads /etc/ssh/ssh_config.d/*.conf on Ubuntu and RHEL-family images (ssh_config(5) `Include`).
 */
import type { Plan } from "../../planner/types.js";
import { shellQuote } from "./bootstrap.js";

/** Whether a plan's nodes trust each other: a VM training cluster of 2 or more nodes (the bills price its key's store). */
export function vmClusterTrust(plan: Pick<Plan, "workload" | "orchestrator" | "nodeCount">): boolean {
  return plan.workload === "training" && plan.orchestrator !== "kubernetes" && plan.nodeCount >= 2;
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

/** How often the hostfile follows the group (s), and how long the boot waits for the key (tries × s). */
export const PEER_REFRESH_SECONDS = 60;
const KEY_TRIES = 30;
const KEY_RETRY_SECONDS = 10;

const REFRESH_SCRIPT = "/usr/local/sbin/gpu-cluster-peers";

/** What a cloud supplies to the cluster's SSH trust. */
export interface ClusterSshSource {
  /**
   * Shell that prints the cluster's private key (OpenSSH format) and nothing else, using the node's own identity,
   * e.g. `aws secretsmanager get-secret-value --secret-id <arn> --query SecretString --output text`.
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
}

const USER_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;

/**
 * The refresh script: list the peers, keep IPv4 addresses only, and replace the three files atomically (write, then
 * rename). Exits 1 without touching the files when the answer holds no address.
 */
export function peerRefreshScript(listPeersCommand: string, slots: number, files: PeerFiles = PEER_FILES): string[] {
  const tmp = (path: string) => shellQuote(`${path}.tmp`);
  return [
    "#!/bin/bash",
    "set -uo pipefail",
    `peers=$( { ${listPeersCommand} ; } 2>/dev/null | tr -s ' \\t' '\\n\\n' | grep -E '^[0-9]{1,3}(\\.[0-9]{1,3}){3}$' | sort -u -t. -k1,1n -k2,2n -k3,3n -k4,4n)`,
    'if [ -z "$peers" ]; then logger -p user.warning "gpu-cluster: peer list empty, keeping the last hostfile"; exit 1; fi',
    `mkdir -p "$(dirname ${shellQuote(files.hostfile)})" "$(dirname ${shellQuote(files.sshConfig)})"`,
    `printf '%s slots=${slots}\\n' $peers > ${tmp(files.hostfile)} && mv ${tmp(files.hostfile)} ${shellQuote(files.hostfile)}`,
    `printf '%s\\n' $peers > ${tmp(files.hosts)} && mv ${tmp(files.hosts)} ${shellQuote(files.hosts)}`,
    `{ echo "Host $(echo $peers)"; echo "  IdentityFile ~/.ssh/${CLUSTER_KEY_FILE}"; echo "  StrictHostKeyChecking accept-new"; echo "  BatchMode yes"; } > ${tmp(files.sshConfig)} && chmod 644 ${tmp(files.sshConfig)} && mv ${tmp(files.sshConfig)} ${shellQuote(files.sshConfig)}`,
  ];
}

/** Lines that install the key for root and `users`, and trust its public half. */
function keyLines(source: ClusterSshSource): string[] {
  for (const user of source.users ?? []) {
    if (!USER_NAME.test(user)) throw new Error(`cluster SSH user '${user}' is not a plain POSIX user name`);
  }
  const key = `${CLUSTER_DIR}/ssh/id_ed25519`;
  const users = ["root", ...(source.users ?? [])].join(" ");
  return [
    `# Cluster SSH trust (lib/clouds/shared/cluster-ssh.ts): the key from ${source.keySource}.`,
    `install -d -m 0700 ${CLUSTER_DIR}/ssh`,
    "umask 077",
    `for try in $(seq 1 ${KEY_TRIES}); do { ${source.privateKeyCommand} ; } > ${key}.tmp 2>/dev/null && grep -q 'PRIVATE KEY' ${key}.tmp && break; sleep ${KEY_RETRY_SECONDS}; done`,
    `grep -q 'PRIVATE KEY' ${key}.tmp || fail ${shellQuote(`cluster SSH key not readable from ${source.keySource}`)}`,
    `mv ${key}.tmp ${key} && ssh-keygen -y -f ${key} > ${key}.pub || fail 'cluster SSH key is not a valid private key'`,
    "umask 022",
    `for user in ${users}; do`,
    '  id "$user" >/dev/null 2>&1 || continue',
    '  home=$(getent passwd "$user" | cut -d: -f6); group=$(id -gn "$user")',
    '  install -d -m 0700 -o "$user" -g "$group" "$home/.ssh"',
    `  install -m 0600 -o "$user" -g "$group" ${key} "$home/.ssh/${CLUSTER_KEY_FILE}"`,
    `  touch "$home/.ssh/authorized_keys"; grep -qxF "$(cat ${key}.pub)" "$home/.ssh/authorized_keys" || cat ${key}.pub >> "$home/.ssh/authorized_keys"`,
    '  chown "$user:$group" "$home/.ssh/authorized_keys"; chmod 600 "$home/.ssh/authorized_keys"',
    "done",
  ];
}

/** Lines that install the refresh script and its timer, and run it once now. */
function refreshLines(source: ClusterSshSource, slots: number): string[] {
  return [
    `cat > ${REFRESH_SCRIPT} <<'PEERS'`,
    ...peerRefreshScript(source.listPeersCommand, slots),
    "PEERS",
    `chmod 755 ${REFRESH_SCRIPT}`,
    "cat > /etc/systemd/system/gpu-cluster-peers.service <<'UNIT'",
    "[Unit]",
    "Description=gpu-cluster hostfile from the node group's members",
    "After=network-online.target",
    "[Service]",
    "Type=oneshot",
    `ExecStart=${REFRESH_SCRIPT}`,
    "UNIT",
    "cat > /etc/systemd/system/gpu-cluster-peers.timer <<'UNIT'",
    "[Unit]",
    "Description=Refresh the gpu-cluster hostfile every minute",
    "[Timer]",
    "OnBootSec=30",
    `OnUnitActiveSec=${PEER_REFRESH_SECONDS}`,
    "[Install]",
    "WantedBy=timers.target",
    "UNIT",
    "systemctl daemon-reload",
    "systemctl enable --now gpu-cluster-peers.timer",
    // The first list now, so a job started right after boot finds its peers; a failure here is retried by the timer.
    `${REFRESH_SCRIPT} || true`,
  ];
}

/**
 * Bootstrap lines for a VM training cluster's SSH trust and hostfile (they call the bootstrap's `fail`). `slots`: GPUs
 * per node. Empty for a single node, which has no peer to trust.
 */
export function clusterSshLines(source: ClusterSshSource, nodeCount: number, slots: number): string[] {
  if (nodeCount < 2) return [];
  return [...keyLines(source), ...refreshLines(source, slots)];
}
