/**
 * SSH trust and the hostfile on a GCP VM training cluster (lib/clouds/shared/cluster-ssh.ts has the shared part):
 *
 * - **The key** lives in one Secret Manager secret, replicated in the cluster's region only, whose one reader is the
 *   nodes' service account: `roles/secretmanager.secretAccessor` bound on that secret, not the project
 *   (https://cloud.google.com/secret-manager/docs/manage-access-to-secrets, read 2026-11-30). Secret Manager encrypts
 *   every version at rest with Google-managed keys (https://cloud.google.com/secret-manager/docs/encryption, read
 *   2026-11-30). The node reads it with its own token (node-api.ts), never through metadata or the startup script.
 * - **The peers** are the group's RUNNING instances, listed with `listManagedInstances`, which needs
 *   `compute.instanceGroupManagers.get` (the REST method) or `.list` (gcloud's `list-instances` names it:
 *   https://cloud.google.com/sdk/gcloud/reference/compute/instance-groups/managed/list-instances, read 2026-11-30).
 *   No predefined role is that narrow (Compute Viewer, the narrowest that has it, reads every Compute Engine resource
 *   of the project), so the nodes get a custom role with exactly those two permissions. It is bound on the project:
 *   a managed instance group has no IAM policy of its own, and IAM Conditions cannot name one (the resource types
 *   conditions can match list Compute Engine instances and templates, not instance group managers:
 *   https://cloud.google.com/iam/docs/conditions-resource-attributes, read 2026-11-30), so reading the project's
 *   group configurations (no instance, disk or data) is as narrow as GCP allows.
 * - **Accounts.** Nodes log in through OS Login (template.ts), which creates a user's account and home at their first
 *   login, so no login account exists when the node boots: the key goes to root, and `sudo gpu-cluster-trust-me`
 *   (an OS Login admin, roles/compute.osAdminLogin, has sudo) installs it for the calling user on every node of the
 *   hostfile, reaching them as root over the key itself.
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
import { CLUSTER_DIR, CLUSTER_KEY_FILE, clusterSshLines, PEER_FILES, vmClusterTrust, type ClusterSshSource } from "../shared/cluster-ssh.js";
import { afterApis } from "./apis.js";
import type { NodeIdentity } from "./identity.js";
import { clusterKeySecretId } from "./names.js";
import { NODE_API, nodeApiLines, secretCommand } from "./node-api.js";

/** The role the nodes' account holds on the key's secret, and nowhere else. */
export const SECRET_READER_ROLE = "roles/secretmanager.secretAccessor";

/** The custom role's permissions: read the managed instance groups' members, nothing else. */
export const PEER_LIST_PERMISSIONS = ["compute.instanceGroupManagers.get", "compute.instanceGroupManagers.list"] as const;

/** The helper that gives an OS Login user the cluster key on every node. */
export const TRUST_HELPER = "/usr/local/sbin/gpu-cluster-trust-me";

/** What the nodes run: the peer list and key commands the shared lines call. */
export function gcpSshSource(secretId: string): ClusterSshSource {
  return {
    privateKeyCommand: secretCommand(secretId),
    listPeersCommand: `${NODE_API} peers`,
    keySource: `Secret Manager secret ${secretId}`,
    // OS Login creates login accounts on demand: none exists at boot (TRUST_HELPER covers them).
    users: [],
  };
}

/**
 * The helper an OS Login user runs with sudo: the key into their ~/.ssh and their authorized_keys, on this node and,
 * as root over the cluster key, on every node of the hostfile (whose home OS Login may not have made yet).
 */
export function trustHelperLines(): string[] {
  const key = `${CLUSTER_DIR}/ssh/id_ed25519`;
  return [
    `cat > ${TRUST_HELPER} <<'TRUST'`,
    "#!/bin/bash",
    "# gpu-cluster: give the calling OS Login user the cluster SSH key on every node: sudo gpu-cluster-trust-me",
    "set -uo pipefail",
    "install_for() {",
    "  local user=$1 home group",
    '  id "$user" >/dev/null 2>&1 || { echo "gpu-cluster: no user $user on $(hostname)" >&2; return 1; }',
    '  home=$(getent passwd "$user" | cut -d: -f6); group=$(id -gn "$user")',
    '  [ -d "$home" ] || install -d -m 0700 -o "$user" -g "$group" "$home"',
    '  install -d -m 0700 -o "$user" -g "$group" "$home/.ssh"',
    `  install -m 0600 -o "$user" -g "$group" ${key} "$home/.ssh/${CLUSTER_KEY_FILE}"`,
    `  touch "$home/.ssh/authorized_keys"; grep -qxF "$(cat ${key}.pub)" "$home/.ssh/authorized_keys" || cat ${key}.pub >> "$home/.ssh/authorized_keys"`,
    '  chown "$user:$group" "$home/.ssh/authorized_keys"; chmod 600 "$home/.ssh/authorized_keys"',
    "}",
    'if [ "${1:-}" = --local ]; then',
    '  [[ "${2:-}" =~ ^[a-z_][a-z0-9._-]{0,63}$ ]] || { echo "gpu-cluster: not a user name: ${2:-}" >&2; exit 2; }',
    '  install_for "$2"; exit',
    "fi",
    'user=${SUDO_USER:-}',
    '[[ "$user" =~ ^[a-z_][a-z0-9._-]{0,63}$ ]] && [ "$user" != root ] || { echo "run it with sudo, as the user to trust" >&2; exit 2; }',
    'install_for "$user" || exit 1',
    `for ip in $(cat ${PEER_FILES.hosts} 2>/dev/null); do`,
    `  ssh -n -i ${key} -o BatchMode=yes -o StrictHostKeyChecking=accept-new "root@$ip" ${TRUST_HELPER} --local "$user" || echo "gpu-cluster: $ip not reached" >&2`,
    "done",
    "TRUST",
    `chmod 755 ${TRUST_HELPER}`,
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
  if (!vmClusterTrust(plan)) return undefined;
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
      description: "Lets the nodes of a gpu-cluster training cluster list their managed instance group's members (the hostfile)",
      permissions: [...PEER_LIST_PERMISSIONS],
      stage: "GA",
    },
    afterApis(ctx, opts, "iam"),
  );
  const lister = new projects.IAMMember(`${ctx.name}-nodes-peers`, { project, role: role.name, member: identity.member }, afterApis(ctx, opts, "resourcemanager"));

  return {
    lines: [...nodeApiLines(), ...clusterSshLines(gcpSshSource(secretId), plan.nodeCount, plan.gpusPerNode), ...trustHelperLines()],
    secretId,
    ready: [version, reader, lister],
  };
}
