/**
 * What a GCP VM node asks Google about itself, as its own service account: the cluster's SSH key (Secret Manager), its
 * managed instance group's members (Compute Engine), and the fabric gate's result it publishes (guest attributes).
 *
 * One small Python 3 program, `gpu-cluster-gcp`, written by the startup script, does it with the metadata server's
 * token and the REST APIs, so nothing depends on the image shipping the Google Cloud CLI (a custom `gcp.image` need
 * not have it; Python 3 is on every Ubuntu and RHEL-family cloud image, whose cloud-init is written in it):
 * - token: `GET /computeMetadata/v1/instance/service-accounts/default/token` with `Metadata-Flavor: Google`
 *   (https://cloud.google.com/compute/docs/access/authenticate-workloads#applications, read 2026-11-30);
 * - `secret <id>`: `GET secretmanager.googleapis.com/v1/projects/<p>/secrets/<id>/versions/latest:access`, the payload
 *   base64 in `payload.data` (https://cloud.google.com/secret-manager/docs/reference/rest/v1/projects.secrets.versions/access);
 * - `members` / `peers`: `POST compute/v1/projects/<p>/zones/<z>/instanceGroupManagers/<g>/listManagedInstances`, paged
 *   by `pageToken` when the group pages (https://cloud.google.com/compute/docs/reference/rest/v1/instanceGroupManagers/listManagedInstances).
 *   `members` prints every instance name the group manages (those still being created included: the names are fixed
 *   when the group asks for them), `peers` the private IPv4 of each RUNNING one, resolved by the VPC's internal DNS
 *   (an instance's name resolves to its nic0 address: https://cloud.google.com/compute/docs/internal-dns), so the node
 *   needs no permission on instances at all;
 * - `group-age`: seconds since the group's `creationTimestamp` (`GET .../instanceGroupManagers/<g>`);
 * - `publish <key> <value>`: `PUT /computeMetadata/v1/instance/guest-attributes/gpu-cluster/<key>`, which needs the
 *   instance's `enable-guest-attributes` metadata (https://cloud.google.com/compute/docs/metadata/manage-guest-attributes).
 * The group is the one that created the VM: Compute Engine sets `created-by` to
 * `projects/<number>/zones/<zone>/instanceGroupManagers/<name>` on a managed instance (cluster-toolkit reads it the
 * same way: community/modules/scheduler/schedmd-slurm-gcp-v6-controller/modules/slurm_files/scripts/mig_flex.py
 * @104708037, 2026-06-25), so the template needs no reference to the group (which would be a cycle).
 */
import { shellQuote } from "../shared/bootstrap.js";

/** Where the startup script installs the program. */
export const NODE_API = "/usr/local/sbin/gpu-cluster-gcp";

/** The guest attribute namespace the node publishes in. */
export const GUEST_NAMESPACE = "gpu-cluster";

/** The program's source. Base URLs come from the environment only so a test can point it at a fake server. */
export const NODE_API_SOURCE = String.raw`#!/usr/bin/env python3
"""gpu-cluster: the node's group, cluster key and published results, as the node's own service account."""
import base64, datetime, json, os, socket, sys, urllib.parse, urllib.request

MD = os.environ.get("GPU_CLUSTER_METADATA_URL", "http://metadata.google.internal/computeMetadata/v1")
COMPUTE = os.environ.get("GPU_CLUSTER_COMPUTE_URL", "https://compute.googleapis.com/compute/v1")
SECRETS = os.environ.get("GPU_CLUSTER_SECRETS_URL", "https://secretmanager.googleapis.com/v1")
NAMESPACE = "${GUEST_NAMESPACE}"


def metadata(path, data=None):
    req = urllib.request.Request(MD + "/" + path, data=data, method="PUT" if data is not None else "GET", headers={"Metadata-Flavor": "Google"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.read().decode()


def api(url, method="GET"):
    token = json.loads(metadata("instance/service-accounts/default/token"))["access_token"]
    req = urllib.request.Request(url, data=b"" if method == "POST" else None, method=method, headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read().decode() or "{}")


def project():
    return metadata("project/project-id")


def group_url():
    # created-by: projects/<number>/zones/<zone>/instanceGroupManagers/<name>
    parts = metadata("instance/attributes/created-by").strip().split("/")
    if len(parts) != 6 or parts[4] != "instanceGroupManagers":
        raise SystemExit("gpu-cluster-gcp: this VM was not created by a zonal managed instance group")
    return "%s/projects/%s/zones/%s/instanceGroupManagers/%s" % (COMPUTE, project(), parts[3], parts[5])


def managed():
    out, token, url = [], None, group_url()
    while True:
        query = "?maxResults=500" + ("&pageToken=" + urllib.parse.quote(token) if token else "")
        page = api(url + "/listManagedInstances" + query, "POST")
        out += page.get("managedInstances", [])
        token = page.get("nextPageToken")
        if not token:
            return out


def name_of(instance):
    return instance.get("instance", "").rsplit("/", 1)[-1]


def main(argv):
    cmd = argv[1] if len(argv) > 1 else ""
    if cmd == "secret" and len(argv) == 3:
        reply = api("%s/projects/%s/secrets/%s/versions/latest:access" % (SECRETS, project(), argv[2]))
        sys.stdout.write(base64.b64decode(reply["payload"]["data"]).decode())
    elif cmd == "members":
        print("\n".join(sorted(n for n in map(name_of, managed()) if n)))
    elif cmd == "peers":
        for n in sorted(name_of(i) for i in managed() if i.get("instanceStatus") == "RUNNING"):
            try:
                print(socket.gethostbyname(n))
            except OSError:
                pass
    elif cmd == "self":
        print(metadata("instance/name"))
    elif cmd == "group-age":
        created = datetime.datetime.fromisoformat(api(group_url())["creationTimestamp"])
        print(int((datetime.datetime.now(datetime.timezone.utc) - created).total_seconds()))
    elif cmd == "publish" and len(argv) == 4:
        metadata("instance/guest-attributes/%s/%s" % (NAMESPACE, argv[2]), argv[3].encode())
    else:
        raise SystemExit("usage: gpu-cluster-gcp secret <id> | members | peers | self | group-age | publish <key> <value>")


if __name__ == "__main__":
    main(sys.argv)
`;

/** Startup script lines that install the program (before anything calls it). */
export function nodeApiLines(): string[] {
  return [
    "# The node's view of its group, key and results (lib/clouds/gcp/node-api.ts).",
    "command -v python3 >/dev/null || fail 'gpu-cluster: python3 is needed to reach the Google APIs as the node (every Ubuntu / RHEL cloud image has it)'",
    `cat > ${NODE_API} <<'GPU_CLUSTER_GCP'`,
    NODE_API_SOURCE.trimEnd(),
    "GPU_CLUSTER_GCP",
    `chmod 755 ${NODE_API}`,
  ];
}

/** The command that prints one Secret Manager secret's latest version. */
export function secretCommand(secretId: string): string {
  return `${NODE_API} secret ${shellQuote(secretId)}`;
}

/** The command that publishes one guest attribute in {@link GUEST_NAMESPACE}. */
export function publishCommand(key: string, value: string): string {
  return `${NODE_API} publish ${key} ${value}`;
}
