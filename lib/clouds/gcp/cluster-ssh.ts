/**
 * SSH trust and the hostfile on a GCP VM training cluster (lib/clouds/shared/cluster-ssh.ts has the shared part):
 *
 * - **The key** lives in one Secret Manager secret, replicated in the cluster's region only, whose one reader is the
 *   nodes' service account: `roles/secretmanager.secretAccessor` bound on that secret, not the project
 *   (https://cloud.google.com/secret-manager/docs/manage-access-to-secrets, read 2026-11-30). Secret Manager encrypts
 *   every version at rest with Google-managed keys (https://cloud.google.com/secret-manager/docs/encryption, read
 *   2026-11-30). The node reads it with its own token (node-api.ts), never through metadata or the startup script.
 * - **The peers** are the group's RUNNING instances, listed with `listManagedInstances`; the fabric gate also reads the
 *   group itself (`instanceGroupManagers.get`). Both methods need `compute.instanceGroupManagers.get` and nothing else
 *   (https://cloud.google.com/compute/docs/reference/rest/v1/instanceGroupManagers/listManagedInstances and
 *   .../instanceGroupManagers/get, "IAM Permissions", read 2026-11-30). No predefined role is that narrow (Compute
 *   Viewer, the narrowest that has it, reads every Compute Engine resource of the project), so the nodes get a custom
 *   role with exactly that permission. It is bound on the project: a managed instance group has no IAM policy of its
 *   own, and IAM Conditions cannot name one (the resource types conditions can match list Compute Engine instances and
 *   templates, not instance group managers: https://cloud.google.com/iam/docs/conditions-resource-attributes, read
 *   2026-11-30), so reading the project's group configurations (no instance, disk or data) is as narrow as GCP allows.
 * - **Names.** Besides the peers' addresses, the cluster key is used for the group's instance names (`<name>-*`, which
 *   also matches their internal FQDNs `<instance>.<zone>.c.<project>.internal`:
 *   https://cloud.google.com/compute/docs/internal-dns, read 2026-11-30), so `ssh <instance>` works. Not every
 *   `*.internal`: that would put every VM of the project, and the metadata server, under the cluster's host-key rule.
 * - **Accounts.** Nodes log in through OS Login (template.ts), which creates a user's account and home at their first
 *   login, so no login account exists when the node boots: the key goes to root, and `sudo gpu-cluster-trust-me`
 *   (an OS Login admin, roles/compute.osAdminLogin, has sudo) installs it for the calling user on every node of the
 *   hostfile, reaching them as root over the key itself, and records the user in TRUSTED_USERS there; a node that
 *   joins later (a scale-up, a repair) copies that list from a peer at boot and installs the key for each, so the
 *   trust reaches nodes the helper never saw. The helper exits 1 naming every node it did not reach. Revocation still
 *   holds: OS Login's PAM account check refuses a user whose IAM grant is gone, whatever key they present
 *   (https://cloud.google.com/compute/docs/oslogin, read 2026-11-30).
 * - **Root login.** The helper and the fabric gate's pair barrier log in as root with the cluster key (root's only key:
 *   the template blocks project SSH keys and OS Login gives no one root's account). An image whose sshd refuses root
 *   key logins (`sshd -T` prints `permitrootlogin no` or `forced-commands-only`) gets `PermitRootLogin prohibit-password`
 *   (keys only, never a password) in ROOT_LOGIN_CONF (or, where sshd_config has no Include of sshd_config.d, as its
 *   first line: the first value read wins, sshd_config(5)); an image that already allows it is left alone.
 *   Host-based authentication among the nodes would give every OS Login user node-to-node SSH without the helper, but
 *   it rests on ssh-keysign being setuid on the image, on reverse DNS of every peer and on host keys in
 *   ssh_known_hosts; none of that can be checked before a node boots, and a mistake in it trusts every account of
 *   every peer, so the explicit per-user key stays.
 *
 * The custom role's id carries the service account's unique id: GCP keeps a deleted custom role's id reserved for up
 * to 37 days (the provider's IAMCustomRole notes), so a stack destroyed and made again within that time would collide
 * on a fixed id, and the account is new each time (nothing in it changes in normal use).
 */
import * as pulumi from "@pulumi/pulumi";
import * as projects from "@pulumi/gcp/projects";
import * as secretmanager from "@pulumi/gcp/secretmanager";
import type { Plan } from "../../planner/types.js";
import type { CompileContext } from "../types.js";
import { clusterKey } from "../shared/cluster-key.js";
import { CLUSTER_DIR, CLUSTER_KEY, clusterSshLines, PEER_FILES, userKeyLines, type ClusterSshSource } from "../shared/cluster-ssh.js";
import { billedOnce } from "../shared/bill.js";
import { GCP_SECRETS } from "../../cost/bom/gcp-vm.js";
import { afterApis } from "./apis.js";
import type { NodeIdentity } from "./identity.js";
import { clusterKeySecretId } from "./names.js";
import { NODE_API, nodeApiLines, secretCommand } from "./node-api.js";
import { systemdUnitLines } from "../shared/bootstrap.js";

/** The role the nodes' account holds on the key's secret, and nowhere else. */
export const SECRET_READER_ROLE = "roles/secretmanager.secretAccessor";

/** The custom role's permissions: read the managed instance groups' members, nothing else. */
export const PEER_LIST_PERMISSIONS = ["compute.instanceGroupManagers.get"] as const;

/** The helper that gives an OS Login user the cluster key on every node. */
export const TRUST_HELPER = "/usr/local/sbin/gpu-cluster-trust-me";
/** The users the helper has trusted, one a line, on every node it reached (a joining node copies it from a peer). */
export const TRUSTED_USERS = `${CLUSTER_DIR}/trusted-users`;
/** The sshd drop-in that lets root log in with a key, written only where the image refuses it. */
export const ROOT_LOGIN_CONF = "/etc/ssh/sshd_config.d/00-gpu-cluster.conf";
const SYNC_UNIT = "gpu-cluster-trust-sync.service";


/**
 * What the nodes run: the peer list and key commands the shared lines call. `namePrefix`: the group's
 * `baseInstanceName` (the component's name), whose instances are `<namePrefix>-<4 characters>`.
 */
export function gcpSshSource(secretId: string, namePrefix: string): ClusterSshSource {
  return {
    privateKeyCommand: secretCommand(secretId),
    listPeersCommand: `${NODE_API} peers`,
    keySource: `Secret Manager secret ${secretId}`,
    // OS Login creates login accounts on demand: none exists at boot (TRUST_HELPER covers them).
    users: [],
    hostPatterns: [`${namePrefix}-*`],
  };
}

/**
 * Boot lines that let root log in with a key where the image's sshd refuses it (see the header, "Root login"), and
 * only there; then reload sshd.
 */
export function rootLoginLines(): string[] {
  return [
    "# Root key logins among the nodes (lib/clouds/gcp/cluster-ssh.ts): only where the image's sshd refuses them.",
    "sshd_bin=$(command -v sshd || echo /usr/sbin/sshd)",
    'case "$($sshd_bin -T 2>/dev/null | awk \'tolower($1) == "permitrootlogin" { print $2 }\')" in',
    "  no|forced-commands-only)",
    `    if grep -Eqi '^[[:space:]]*Include[[:space:]]+/etc/ssh/sshd_config\\.d/' /etc/ssh/sshd_config; then`,
    `      mkdir -p /etc/ssh/sshd_config.d && printf '%s\\n' '# gpu-cluster: root logs in to its peers with the cluster key (keys only)' 'PermitRootLogin prohibit-password' > ${ROOT_LOGIN_CONF}`,
    "    else",
    "      sed -i '1i PermitRootLogin prohibit-password' /etc/ssh/sshd_config",
    "    fi",
    '    if $sshd_bin -t && [ "$($sshd_bin -T 2>/dev/null | awk \'tolower($1) == "permitrootlogin" { print $2 }\')" != no ]; then',
    "      systemctl reload sshd 2>/dev/null || systemctl reload ssh 2>/dev/null || true",
    "    else",
    `      echo "gpu-cluster: sshd still refuses root key logins; gpu-cluster-trust-me and the fabric gate cannot reach the peers" >&2`,
    "    fi",
    "    ;;",
    "esac",
  ];
}

/**
 * The helper an OS Login user runs with sudo: the key into their ~/.ssh and their authorized_keys, on this node and,
 * as root over the cluster key, on every node of the hostfile (whose home OS Login may not have made yet); exits 1
 * naming each node it did not reach. `--sync` (at boot, after the shared trust is ready): the users a peer has
 * trusted, installed here.
 */
export function trustHelperLines(): string[] {
  const key = CLUSTER_KEY;
  const ssh = `ssh -n -i ${key} -o BatchMode=yes -o ConnectTimeout=10`;
  return [
    `cat > ${TRUST_HELPER} <<'TRUST'`,
    "#!/bin/bash",
    "# gpu-cluster: give the calling OS Login user the cluster SSH key on every node: sudo gpu-cluster-trust-me",
    "set -uo pipefail",
    "valid() { [[ \"$1\" =~ ^[a-z_][a-z0-9._-]{0,63}$ ]] && [ \"$1\" != root ]; }",
    "install_for() {",
    "  local user=$1 home group",
    '  id "$user" >/dev/null 2>&1 || { echo "gpu-cluster: no user $user on $(hostname)" >&2; return 1; }',
    '  home=$(getent passwd "$user" | cut -d: -f6); group=$(id -gn "$user")',
    // The home OS Login would make at the first login, from /etc/skel (pam_mkhomedir's helper); a bare folder without.
    '  [ -d "$home" ] || mkhomedir_helper "$user" 2>/dev/null || install -d -m 0700 -o "$user" -g "$group" "$home"',
    ...userKeyLines(key),
    `  touch ${TRUSTED_USERS}; grep -qxF "$user" ${TRUSTED_USERS} || echo "$user" >> ${TRUSTED_USERS}`,
    "}",
    'if [ "${1:-}" = --local ]; then',
    '  valid "${2:-}" || { echo "gpu-cluster: not a user name: ${2:-}" >&2; exit 2; }',
    '  install_for "$2"; exit',
    "fi",
    'if [ "${1:-}" = --sync ]; then',
    // A joining node: the first peer that answers gives its list (its own entry answers too, with this node's list).
    `  for _ in $(seq 1 180); do [ -e ${CLUSTER_DIR}/ssh/ready ] && [ -s ${PEER_FILES.hosts} ] && break; sleep 10; done`,
    "  mine=$(hostname -I 2>/dev/null)",
    `  for ip in $(cat ${PEER_FILES.hosts} 2>/dev/null); do`,
    '    case " $mine " in *" $ip "*) continue ;; esac',
    `    users=$(${ssh} "root@$ip" cat ${TRUSTED_USERS} 2>/dev/null) || continue`,
    '    for user in $users; do valid "$user" && install_for "$user"; done',
    "    exit 0",
    "  done",
    '  echo "gpu-cluster: no peer answered; run sudo gpu-cluster-trust-me again if you need the key here" >&2; exit 0',
    "fi",
    'user=${SUDO_USER:-}',
    'valid "$user" || { echo "run it with sudo, as the user to trust" >&2; exit 2; }',
    'install_for "$user" || exit 1',
    "missed=()",
    `for ip in $(cat ${PEER_FILES.hosts} 2>/dev/null); do`,
    `  ${ssh} "root@$ip" ${TRUST_HELPER} --local "$user" || missed+=("$ip")`,
    "done",
    'if [ "${#missed[@]}" -gt 0 ]; then echo "gpu-cluster: not reached: ${missed[*]} (run it again once they are up)" >&2; exit 1; fi',
    "TRUST",
    `chmod 755 ${TRUST_HELPER}`,
    // At boot, once the shared trust has the key: the users the peers already trust (a node that joined later).
    ...systemdUnitLines(SYNC_UNIT, [
      "[Unit]",
      "Description=gpu-cluster: the cluster key for the users the peers trust",
      "After=network-online.target",
      "[Service]",
      "Type=oneshot",
      `ExecStart=${TRUST_HELPER} --sync`,
    ]),
    "systemctl daemon-reload",
    `systemctl start --no-block ${SYNC_UNIT}`,
  ];
}

export interface GcpClusterTrust {
  /** Startup script lines: the node API, the key and hostfile (shared), and the helper. */
  lines: string[];
  /** The secret's id (Secret Manager), as the node reads it. */
  secretId: string;
  /** What the group must wait for: the key's version and the nodes' grants, so the first boot finds them. */
  ready: pulumi.Resource[];
}

/**
 * The cluster's SSH trust for a VM training cluster of 2 or more nodes (undefined otherwise): the key, its secret and
 * reader, and the custom role that lists the group. `member`: the nodes' account (`serviceAccount:<email>`).
 */
export function gcpClusterTrust(plan: Plan, ctx: CompileContext, identity: NodeIdentity, project: pulumi.Output<string>, labels: Record<string, string>): GcpClusterTrust | undefined {
  // The trust stands on its key's secret, built as billed: the bill's `secret` item (lib/cost/bom/gcp-vm.ts, a training
  // cluster of 2 or more nodes), which counts this one secret and its one replica, in the region. No item, no trust.
  if (!billedOnce(ctx.bill, "secret", (item) => item.what === GCP_SECRETS.clusterKey)) return undefined;
  const opts = { parent: ctx.parent };
  const key = clusterKey(ctx);
  const secretId = clusterKeySecretId(ctx.name);
  const secret = new secretmanager.Secret(
    `${ctx.name}-ssh-key`,
    { secretId, project, replication: { userManaged: { replicas: [{ location: plan.region }] } }, labels },
    afterApis(ctx, opts, "secretmanager"),
  );
  const version = new secretmanager.SecretVersion(`${ctx.name}-ssh-key`, { secret: secret.id, secretData: key.privateKeyOpenssh }, opts);
  const reader = new secretmanager.SecretIamMember(`${ctx.name}-ssh-key-reader`, { secretId: secret.id, role: SECRET_READER_ROLE, member: identity.member }, opts);

  const role = new projects.IAMCustomRole(
    `${ctx.name}-peers`,
    {
      project,
      roleId: pulumi.interpolate`gpuClusterPeers_${identity.account.uniqueId}`,
      title: `gpu-cluster ${ctx.name}: list the node group`,
      description: "Lets the nodes of a gpu-cluster training cluster read their managed instance group and its members (the hostfile, the fabric gate)",
      permissions: [...PEER_LIST_PERMISSIONS],
      stage: "GA",
    },
    afterApis(ctx, opts, "iam"),
  );
  const lister = new projects.IAMMember(`${ctx.name}-nodes-peers`, { project, role: role.name, member: identity.member }, afterApis(ctx, opts, "resourcemanager"));

  return {
    lines: [...nodeApiLines(), ...rootLoginLines(), ...clusterSshLines(gcpSshSource(secretId, ctx.name), plan.nodeCount, plan.gpusPerNode), ...trustHelperLines()],
    secretId,
    ready: [version, reader, lister],
  };
}
