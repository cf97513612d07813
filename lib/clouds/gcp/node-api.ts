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
 * - `group-age`: seconds since the group's `creationTimestamp` (`GET .../instanceGroupManagers/<g>`); `boot-offset`:
 *   seconds from the group's creation to this boot (the instance's creation, at its first boot: fabric-gate.ts);
 * - `gate-pair`: `<rank> <first> <second>` of the fabric gate (rank 0, 1, or `-` on every other node), and `pair-ids
 *   <first> <second>`: the two instances' ids (`id` of each managed instance, empty until the instance exists);
 * - `publish <key> <value>`: `PUT /computeMetadata/v1/instance/guest-attributes/gpu-cluster/<key>`, which needs the
 *   instance's `enable-guest-attributes` metadata (https://cloud.google.com/compute/docs/metadata/manage-guest-attributes).
 * **Retries.** A node's grants take effect minutes after the stack makes them (IAM: typically 2 minutes, up to 7 or
 * more, https://cloud.google.com/iam/docs/access-change-propagation, read 2026-11-30), and a 429 or 5xx can answer any
 * call, so the commands the fabric gate depends on (`group-age`, `boot-offset`, `gate-pair`, `pair-ids`) retry every
 * error for up to RETRY_SECONDS with exponential backoff and full jitter (so a group's nodes do not retry in step),
 * then fail. `peers` tries once (its timer runs it again a minute later); `secret` tries once (its caller retries).
 * **Python 3.6** (RHEL 8's platform python) is the oldest it runs on: no `datetime.fromisoformat` (3.7), timestamps are
 * parsed with a regular expression and `calendar.timegm`.
 * The group is the one that created the VM: Compute Engine sets `created-by` to
 * `projects/<number>/zones/<zone>/instanceGroupManagers/<name>` on a managed instance (cluster-toolkit reads it the
 * same way: community/modules/scheduler/schedmd-slurm-gcp-v6-controller/modules/slurm_files/scripts/mig_flex.py
 * @104708037, 2026-06-25), so the template needs no reference to the group (which would be a cycle).
 */
import { shellQuote } from "../shared/bootstrap.js";

/** Where the startup script installs the program. */
export const NODE_API = "/usr/local/sbin/gpu-cluster-gcp";

/** How long the fabric gate's calls retry (s): IAM grants may take 7 minutes or more to reach the node, so twice that. */
export const RETRY_SECONDS = 900;

/** The guest attribute namespace the node publishes in. */
export const GUEST_NAMESPACE = "gpu-cluster";

/** The program's source. Base URLs come from the environment only so a test can point it at a fake server. */
export const NODE_API_SOURCE = String.raw`#!/usr/bin/env python3
"""gpu-cluster: the node's group, cluster key and published results, as the node's own service account."""
import base64, calendar, json, os, random, re, socket, sys, time, urllib.parse, urllib.request

MD = os.environ.get("GPU_CLUSTER_METADATA_URL", "http://metadata.google.internal/computeMetadata/v1")
COMPUTE = os.environ.get("GPU_CLUSTER_COMPUTE_URL", "https://compute.googleapis.com/compute/v1")
SECRETS = os.environ.get("GPU_CLUSTER_SECRETS_URL", "https://secretmanager.googleapis.com/v1")
NAMESPACE = "${GUEST_NAMESPACE}"
RETRY_SECONDS = float(os.environ.get("GPU_CLUSTER_RETRY_SECONDS", "${RETRY_SECONDS}"))
RETRY_FIRST_SECONDS = float(os.environ.get("GPU_CLUSTER_RETRY_FIRST_SECONDS", "5"))
RFC3339 = re.compile(r"^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$")


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


def epoch(stamp):
    """Seconds since the epoch of an RFC 3339 timestamp, e.g. 2026-11-30T07:12:34.567-08:00 (Python 3.6 has no fromisoformat)."""
    m = RFC3339.match(stamp.strip())
    if not m:
        raise ValueError("not an RFC 3339 timestamp: %r" % stamp)
    y, mo, d, h, mi, s = (int(g) for g in m.groups()[:6])
    seconds = calendar.timegm((y, mo, d, h, mi, s, 0, 0, 0)) + float(m.group(7) or 0)
    zone = m.group(8)
    if zone != "Z":
        offset = int(zone[1:3]) * 3600 + int(zone[4:6]) * 60
        seconds -= offset if zone[0] == "+" else -offset
    return seconds


def patiently(what, call):
    """call() until it returns, retrying any error with exponential backoff and full jitter for RETRY_SECONDS."""
    deadline, ceiling = time.time() + RETRY_SECONDS, RETRY_FIRST_SECONDS
    while True:
        try:
            return call()
        except SystemExit:
            raise
        except Exception as err:
            if time.time() >= deadline:
                raise SystemExit("gpu-cluster-gcp: %s: %s (still failing after %d s)" % (what, err, RETRY_SECONDS))
            pause = min(random.uniform(0, ceiling), max(deadline - time.time(), 0))
            sys.stderr.write("gpu-cluster-gcp: %s: %s; retrying in %.0f s\n" % (what, err, pause))
            time.sleep(pause)
            ceiling = min(ceiling * 2, 120)


def group_created():
    return epoch(api(group_url())["creationTimestamp"])


def gate_pair():
    """rank first second: the first two names the group manages; the node must be among the names (else retried)."""
    me = metadata("instance/name").strip()
    names = sorted(n for n in map(name_of, managed()) if n)
    if me not in names:
        raise RuntimeError("%s is not yet among the group's %d managed instances" % (me, len(names)))
    first, second = (names + ["", ""])[:2]
    return "%s %s %s" % ("0" if me == first else "1" if me == second else "-", first, second)


def pair_ids(first, second):
    ids = dict((name_of(i), str(i.get("id") or "")) for i in managed())
    missing = [n for n in (first, second) if not ids.get(n)]
    if missing:
        raise RuntimeError("no instance yet for %s" % " and ".join(missing))
    return "%s,%s" % (ids[first], ids[second])


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
        print(int(time.time() - patiently("reading the group", group_created)))
    elif cmd == "boot-offset":
        with open("/proc/uptime") as f:
            booted = time.time() - float(f.read().split()[0])
        print(int(booted - patiently("reading the group", group_created)))
    elif cmd == "gate-pair":
        print(patiently("listing the group", gate_pair))
    elif cmd == "pair-ids" and len(argv) == 4:
        print(patiently("the check nodes' ids", lambda: pair_ids(argv[2], argv[3])))
    elif cmd == "publish" and len(argv) == 4:
        metadata("instance/guest-attributes/%s/%s" % (NAMESPACE, argv[2]), argv[3].encode())
    else:
        raise SystemExit("usage: gpu-cluster-gcp secret <id> | members | peers | self | group-age | boot-offset | gate-pair | pair-ids <first> <second> | publish <key> <value>")


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
