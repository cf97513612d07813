/**
 * A GCP VM training cluster a team can use (issue 17): the nodes trust each other over SSH with one cluster key kept in
 * Secret Manager, readable by the nodes' own account only, and keep a hostfile from the group's RUNNING members, read
 * with a custom role of two permissions. The node-side program (lib/clouds/gcp/node-api.ts) is run for real against a
 * fake metadata server and fake Google APIs; the startup script's bash goes through `bash -n`.
 *
 * Sources (read 2026-11-30): Secret Manager access control, https://cloud.google.com/secret-manager/docs/manage-access-to-secrets;
 * the secret version access call, https://cloud.google.com/secret-manager/docs/reference/rest/v1/projects.secrets.versions/access;
 * listManagedInstances, https://cloud.google.com/compute/docs/reference/rest/v1/instanceGroupManagers/listManagedInstances,
 * and its permission, https://cloud.google.com/sdk/gcloud/reference/compute/instance-groups/managed/list-instances;
 * guest attributes, https://cloud.google.com/compute/docs/metadata/manage-guest-attributes.
 */
import { execFile, execFileSync } from "node:child_process";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { gcpSshSource, PEER_LIST_PERMISSIONS, ROOT_LOGIN_CONF, rootLoginLines, SECRET_READER_ROLE, trustHelperLines, TRUST_HELPER, TRUSTED_USERS } from "../lib/clouds/gcp/cluster-ssh.js";
import { gcpGateLines } from "../lib/clouds/gcp/fabric-gate.js";
import { NODE_API, NODE_API_SOURCE, nodeApiLines } from "../lib/clouds/gcp/node-api.js";
import { SpecError } from "../lib/spec/errors.js";
import { byName, ofType, one, run, runRecording } from "./helpers/offline.js";

const G = {
  template: "gcp:compute/instanceTemplate:InstanceTemplate",
  mig: "gcp:compute/instanceGroupManager:InstanceGroupManager",
  account: "gcp:serviceaccount/account:Account",
  projectRole: "gcp:projects/iAMMember:IAMMember",
  customRole: "gcp:projects/iAMCustomRole:IAMCustomRole",
  secret: "gcp:secretmanager/secret:Secret",
  version: "gcp:secretmanager/secretVersion:SecretVersion",
  secretRole: "gcp:secretmanager/secretIamMember:SecretIamMember",
  key: "tls:index/privateKey:PrivateKey",
  service: "gcp:projects/service:Service",
};

function training(name: string, args: Record<string, unknown> = {}) {
  return () => new gpu.TrainingCluster(name, { cloud: "gcp", region: "us-central1", gpu: { instanceType: "a3-megagpu-8g", nodes: 2 }, ...args } as gpu.TrainingClusterArgs);
}

function bashSyntax(script: string): void {
  const file = join(mkdtempSync(join(tmpdir(), "gcp-vm-")), "script.sh");
  writeFileSync(file, script);
  execFileSync("bash", ["-n", file], { stdio: "pipe" });
}

describe("GCP VM training: the cluster key in Secret Manager", () => {
  it("keeps the ed25519 key in one secret, replicated in the cluster's region only, read by the nodes' account alone", async () => {
    const { result, byType } = await runRecording(training("pretrain"));
    expect(result.error).toBeUndefined();
    expect(one(result, G.key).inputs.algorithm).toBe("ED25519");
    const secret = one(result, G.secret);
    expect(secret.inputs.secretId).toMatch(/^pretrain-cluster-ssh-key-[0-9a-f]{6}$/);
    expect(secret.inputs.replication).toEqual({ userManaged: { replicas: [{ location: "us-central1" }] } });
    const version = one(result, G.version);
    expect(version.inputs.secret).toBe(`${secret.name}-id`);
    // The version's data is the key resource's private key (a dependency of the version, unknown in a preview).
    const deps = byType.get(`${G.version}::${version.name}`)!.dependencies;
    expect(deps.some((urn) => urn.includes("tls:index/privateKey:PrivateKey::pretrain-ssh-key"))).toBe(true);
    // One reader, bound on the secret: the nodes' service account, with the accessor role.
    const account = one(result, G.account);
    const nodes = `serviceAccount:${account.inputs.accountId}@offline-project.iam.gserviceaccount.com`;
    const readers = ofType(result, G.secretRole);
    expect(readers).toHaveLength(1);
    expect(readers[0]!.inputs).toMatchObject({ secretId: `${secret.name}-id`, role: SECRET_READER_ROLE, member: nodes });
    expect(SECRET_READER_ROLE).toBe("roles/secretmanager.secretAccessor");
    // No project-wide Secret Manager role for the nodes.
    expect(ofType(result, G.projectRole).map((m) => m.inputs.role).filter((r: string) => r.startsWith("roles/secretmanager"))).toEqual([]);
    // The Secret Manager API is enabled, and the secret waits for it.
    const api = ofType(result, G.service).find((s) => s.inputs.service === "secretmanager.googleapis.com");
    expect(api).toBeDefined();
    expect(byType.get(`${G.secret}::${secret.name}`)!.dependencies.some((urn) => urn.endsWith(`::${api!.name}`))).toBe(true);
  });

  it("lists the group with a custom role of exactly instanceGroupManagers.get, and the group waits for the grants", async () => {
    // listManagedInstances and get both name compute.instanceGroupManagers.get ("IAM Permissions",
    // https://cloud.google.com/compute/docs/reference/rest/v1/instanceGroupManagers/listManagedInstances, read 2026-11-30).
    const { result, byType } = await runRecording(training("pretrain"));
    const role = one(result, G.customRole);
    expect(role.inputs.permissions).toEqual(["compute.instanceGroupManagers.get"]);
    expect([...PEER_LIST_PERMISSIONS]).toEqual(role.inputs.permissions);
    // The id carries the account's unique id (offline: 21 digits), never a count or a zone.
    expect(role.inputs.roleId).toBe("gpuClusterPeers_100000000000000000001");
    const grant = byName(result, G.projectRole, "pretrain-nodes-peers");
    expect(grant.inputs.role).toBe("pretrain-peers-offline");
    expect(grant.inputs.member).toMatch(/^serviceAccount:pretrain-[0-9a-f]{6}@offline-project\.iam\.gserviceaccount\.com$/);
    expect(grant.inputs.condition).toBeUndefined();
    const groupDeps = byType.get(`${G.mig}::pretrain-nodes`)!.dependencies;
    for (const [type, name] of [[G.version, "pretrain-ssh-key"], [G.secretRole, "pretrain-ssh-key-reader"], [G.projectRole, "pretrain-nodes-peers"]] as const) {
      expect(groupDeps.some((urn) => urn.endsWith(`${type}::${name}`)), `${type} ${name}`).toBe(true);
    }
  });

  it("the startup script reads the key from that secret and lists the peers through the node program; it passes bash -n", async () => {
    const result = await run(training("pretrain"));
    const secretId = one(result, G.secret).inputs.secretId as string;
    const script = one(result, G.template).inputs.metadata["startup-script"] as string;
    bashSyntax(script);
    expect(script).toContain(`{ ${NODE_API} secret '${secretId}' ; } > /etc/gpu-cluster/ssh/id_ed25519.tmp`);
    expect(script).toContain(`peers=$( { ${NODE_API} peers ; } 2>/dev/null`);
    expect(script).toContain("systemctl enable --now gpu-cluster-peers.timer");
    // The key goes to root; OS Login users get it from the helper.
    expect(script).toContain("for user in root; do");
    expect(script).toContain(`cat > ${TRUST_HELPER} <<'TRUST'`);
    expect(gcpSshSource(secretId, "pretrain").users).toEqual([]);
    // `ssh <instance>` (and its internal FQDN) uses the cluster key: the group's names are `pretrain-xxxx`.
    expect(gcpSshSource(secretId, "pretrain").hostPatterns).toEqual(["pretrain-*"]);
    expect(script).toContain(`ExecStart=${TRUST_HELPER} --sync`);
    expect(script.indexOf("permitrootlogin")).toBeGreaterThan(-1);
    // Nothing of the key in metadata.
    expect(script).not.toMatch(/PRIVATE KEY-----/);
  });

  it("the SSH trust helper's and the gate's own scripts pass bash -n", () => {
    const helper = trustHelperLines();
    bashSyntax(helper.slice(1, helper.indexOf("TRUST")).join("\n") + "\n");
    const gate = gcpGateLines(planOf("a3-megagpu-8g"), true)!;
    bashSyntax(gate.slice(gate.findIndex((l) => l.endsWith("<<'GATE'")) + 1, gate.indexOf("GATE")).join("\n") + "\n");
  });

  /** A scratch root where /etc/ssh and the cluster files live, with fakes on PATH; returns a runner. */
  function scratch(fakes: Record<string, string>) {
    const dir = mkdtempSync(join(tmpdir(), "gcp-ssh-"));
    const bin = join(dir, "bin");
    mkdirSync(bin);
    mkdirSync(join(dir, "etc/ssh"), { recursive: true });
    mkdirSync(join(dir, "etc/gpu-cluster/ssh"), { recursive: true });
    for (const [name, body] of Object.entries(fakes)) {
      writeFileSync(join(bin, name), `#!/bin/bash\n${body.replaceAll("$DIR", dir)}\n`);
      chmodSync(join(bin, name), 0o755);
    }
    const local = (text: string) => text.replaceAll("/etc/", `${dir}/etc/`).replaceAll("/usr/local/sbin/", `${bin}/`);
    const runBash = (script: string, args: string[] = [], env: Record<string, string> = {}) => {
      try {
        const stdout = execFileSync("bash", ["-c", local(script), "helper", ...args], { env: { PATH: `${bin}:${process.env.PATH}`, ...env }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
        return { status: 0, stdout, stderr: "" };
      } catch (err) {
        const e = err as { status: number; stdout: string; stderr: string };
        return { status: e.status, stdout: String(e.stdout), stderr: String(e.stderr) };
      }
    };
    return { dir, runBash, read: (path: string) => (existsSync(local(path)) ? readFileSync(local(path), "utf8") : undefined) };
  }

  it("root key logins: a drop-in only where the image's sshd refuses them (sshd -T), first-line fallback without Include", () => {
    // The fake sshd answers -T from the real files: the drop-in or a first line wins over the image's `no`.
    const sshd = `if [ "$1" = -t ]; then exit 0; fi
if [ -e $DIR/etc/ssh/sshd_config.d/00-gpu-cluster.conf ] || head -1 $DIR/etc/ssh/sshd_config | grep -q '^PermitRootLogin prohibit'; then echo "permitrootlogin without-password"; else echo "permitrootlogin $(cat $DIR/image-setting)"; fi`;
    const lines = rootLoginLines().join("\n");
    for (const [setting, include, expected] of [
      ["no", true, "drop-in"],
      ["forced-commands-only", true, "drop-in"],
      ["no", false, "first-line"],
      ["without-password", true, "untouched"],
      ["yes", true, "untouched"],
    ] as const) {
      const box = scratch({ sshd, systemctl: 'echo "systemctl $*" >> $DIR/calls' });
      writeFileSync(join(box.dir, "image-setting"), setting);
      writeFileSync(join(box.dir, "etc/ssh/sshd_config"), `${include ? `Include ${box.dir}/etc/ssh/sshd_config.d/*.conf\n` : ""}PermitRootLogin ${setting}\n`);
      expect(box.runBash(lines).status).toBe(0);
      const dropIn = box.read(ROOT_LOGIN_CONF);
      const firstLine = box.read("/etc/ssh/sshd_config")!.split("\n")[0];
      const got = dropIn !== undefined ? "drop-in" : firstLine === "PermitRootLogin prohibit-password" ? "first-line" : "untouched";
      expect(got, `${setting}, include ${include}`).toBe(expected);
      if (dropIn) expect(dropIn).toContain("PermitRootLogin prohibit-password");
      expect(existsSync(join(box.dir, "calls")), `reload for ${setting}`).toBe(expected !== "untouched");
    }
  });

  it("gpu-cluster-trust-me exits 1 naming each node it did not reach; --sync installs the users a peer trusts", () => {
    const helper = trustHelperLines();
    const body = helper.slice(1, helper.indexOf("TRUST")).join("\n");
    // No real accounts here: install_for records what it would install.
    const script = body.replace(/^install_for\(\) \{[\s\S]*?^\}$/m, 'install_for() { echo "install $1"; }');
    const box = scratch({ ssh: 'case "$*" in *root@10.0.0.3*) exit 255;; *"cat "*) printf "alice\\nbad;name\\nbob\\n";; *) echo "ssh $*" >> $DIR/calls;; esac', hostname: "echo 10.0.0.1", sleep: ":" });
    writeFileSync(join(box.dir, "etc/gpu-cluster/hosts"), "10.0.0.1\n10.0.0.2\n10.0.0.3\n");
    writeFileSync(join(box.dir, "etc/gpu-cluster/ssh/ready"), "");
    const direct = box.runBash(script, [], { SUDO_USER: "alice_example_com" });
    expect(direct.status).toBe(1);
    expect(direct.stderr).toContain("gpu-cluster: not reached: 10.0.0.3 (run it again once they are up)");
    expect(readFileSync(join(box.dir, "calls"), "utf8")).toContain(`root@10.0.0.2 ${box.dir}/bin/gpu-cluster-trust-me --local alice_example_com`);
    // A joining node (10.0.0.1 itself is skipped): the first peer's list, invalid names dropped.
    const sync = box.runBash(script, ["--sync"]);
    expect(sync).toMatchObject({ status: 0, stdout: "install alice\ninstall bob\n" });
    expect(body).toContain(`grep -qxF "$user" ${TRUSTED_USERS} || echo "$user" >> ${TRUSTED_USERS}`);
    expect(body).toContain('mkhomedir_helper "$user"');
  });

  it("the secret's id and the role's id stay put when the node count or the machine type changes (nothing is replaced)", async () => {
    const ids = async (gpuArgs: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
      const result = await run(training("pretrain", { gpu: gpuArgs, ...extra }));
      expect(result.error).toBeUndefined();
      return [one(result, G.secret).inputs.secretId, one(result, G.customRole).inputs.roleId, one(result, G.secretRole).name];
    };
    const two = await ids({ instanceType: "a3-megagpu-8g", nodes: 2 });
    expect(await ids({ instanceType: "a3-megagpu-8g", nodes: 64 })).toEqual(two);
    expect(await ids({ instanceType: "a3-ultragpu-8g", nodes: 4 }, { pricing: "spot" })).toEqual(two);
  });

  it("one node too: the key, its secret, the roles and the Secret Manager API, so a cluster grown later trusts itself on node 0", async () => {
    const result = await run(training("solo", { gpu: { instanceType: "a3-megagpu-8g", nodes: 1 } }));
    expect(result.error).toBeUndefined();
    for (const type of [G.key, G.secret, G.version, G.secretRole, G.customRole]) expect(ofType(result, type), type).toHaveLength(1);
    expect(ofType(result, G.service).map((s) => s.inputs.service)).toContain("secretmanager.googleapis.com");
    expect(String(one(result, G.template).inputs.metadata["startup-script"])).toContain(NODE_API);
  });

  it("prices the secret: one active version in one location at $0.06 a month", async () => {
    const result = await run(training("pretrain"));
    const line = result.costEvents[0]!.estimate.lines.find((l) => l.description.startsWith("Secret Manager secret (1)"));
    expect(line).toMatchObject({ quantity: 1, unitPriceUsd: 0.06, asOf: "2024-07-01" });
    expect(line!.source).toContain("secret_manager_secret_version_test.golden");
  });
});

function planOf(instanceType: string, nodes = 2) {
  return gpu.planCluster({ cloud: "gcp", region: "us-central1", gpu: { instanceType, nodes } } as gpu.TrainingClusterArgs);
}

/** A route's answer that is an HTTP error (403 while a grant propagates, 429, 5xx). */
class HttpError {
  constructor(
    readonly status: number,
    readonly message: string,
  ) {}
}

/** A fake metadata server and Google APIs on one local port; records each request. */
async function fakeGoogle(routes: Record<string, (req: IncomingMessage, body: string) => unknown>) {
  const seen: { method: string; url: string; auth?: string; flavor?: string; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, flavor: req.headers["metadata-flavor"] as string | undefined, body });
      const route = routes[`${req.method} ${req.url}`];
      if (!route) {
        res.statusCode = 404;
        res.end("not found");
        return;
      }
      const out = route(req, body);
      if (out instanceof HttpError) {
        res.statusCode = out.status;
        res.end(JSON.stringify({ error: { code: out.status, message: out.message } }));
        return;
      }
      res.end(typeof out === "string" ? out : JSON.stringify(out));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = mkdtempSync(join(tmpdir(), "node-api-"));
  const program = join(dir, "gpu-cluster-gcp");
  writeFileSync(program, NODE_API_SOURCE);
  const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", GPU_CLUSTER_METADATA_URL: `${base}/md`, GPU_CLUSTER_COMPUTE_URL: `${base}/compute`, GPU_CLUSTER_SECRETS_URL: `${base}/secrets` };
  const call = async (...args: string[]) => (await promisify(execFile)("python3", [program, ...args], { env })).stdout;
  /** The same with the retries shortened (first pause ≤ 10 ms, giving up after `seconds`). */
  const callRetrying = async (seconds: number, ...args: string[]) =>
    await promisify(execFile)("python3", [program, ...args], { env: { ...env, GPU_CLUSTER_RETRY_SECONDS: String(seconds), GPU_CLUSTER_RETRY_FIRST_SECONDS: "0.01" } });
  return { seen, call, callRetrying, close: () => new Promise((resolve) => server.close(resolve)) };
}

const GROUP = "projects/proj/zones/us-central1-a/instanceGroupManagers/pretrain-nodes-1a2b3c4";
const METADATA = {
  "GET /md/instance/service-accounts/default/token": () => ({ access_token: "node-token", expires_in: 3599, token_type: "Bearer" }),
  "GET /md/project/project-id": () => "proj",
  "GET /md/instance/attributes/created-by": () => "projects/123456789012/zones/us-central1-a/instanceGroupManagers/pretrain-nodes-1a2b3c4",
  "GET /md/instance/name": () => "pretrain-q7zk",
};
const instance = (name: string) => `https://www.googleapis.com/compute/v1/projects/proj/zones/us-central1-a/instances/${name}`;

describe("the node program (gpu-cluster-gcp), against fake Google APIs", () => {
  it("secret: prints the latest version's payload, asked with the node's token", async () => {
    const key = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n";
    const g = await fakeGoogle({
      ...METADATA,
      "GET /secrets/projects/proj/secrets/pretrain-cluster-ssh-key-abc123/versions/latest:access": () => ({ name: "x", payload: { data: Buffer.from(key).toString("base64") } }),
    });
    try {
      expect(await g.call("secret", "pretrain-cluster-ssh-key-abc123")).toBe(key);
      const access = g.seen.find((r) => r.url.startsWith("/secrets/"))!;
      expect(access.auth).toBe("Bearer node-token");
      expect(g.seen.filter((r) => r.url.startsWith("/md/")).every((r) => r.flavor === "Google")).toBe(true);
    } finally {
      await g.close();
    }
  });

  it("members: every name the group manages, sorted, across pages; peers: the RUNNING ones' addresses; self", async () => {
    const list = `POST /compute/${GROUP}/listManagedInstances?maxResults=500`;
    const g = await fakeGoogle({
      ...METADATA,
      [list]: () => ({
        managedInstances: [
          { instance: instance("pretrain-zz01"), currentAction: "CREATING" },
          { instance: instance("localhost"), instanceStatus: "RUNNING", currentAction: "NONE" },
        ],
        nextPageToken: "page 2",
      }),
      [`${list}&pageToken=page%202`]: () => ({ managedInstances: [{ instance: instance("pretrain-aa00"), instanceStatus: "STOPPING", currentAction: "NONE" }] }),
    });
    try {
      expect(await g.call("members")).toBe("localhost\npretrain-aa00\npretrain-zz01\n");
      // localhost resolves (127.0.0.1); the one being created and the one stopping are not peers.
      expect(await g.call("peers")).toBe("127.0.0.1\n");
      expect(await g.call("self")).toBe("pretrain-q7zk\n");
      expect(g.seen.filter((r) => r.url.startsWith("/compute/")).every((r) => r.method === "POST" && r.auth === "Bearer node-token")).toBe(true);
    } finally {
      await g.close();
    }
  });

  it("group-age reads the group's creationTimestamp (offset, Z and fraction forms, without fromisoformat); publish PUTs a guest attribute", async () => {
    // GCP writes RFC 3339 with an offset, e.g. 2020-01-01T00:00:00.000-08:00 (instanceGroupManagers resource,
    // https://cloud.google.com/compute/docs/reference/rest/v1/instanceGroupManagers, read 2026-11-30).
    for (const stamp of ["2020-01-01T00:00:00.000-08:00", "2020-01-01T08:00:00Z", "2020-01-01T09:30:00.5+01:30"]) {
      const g = await fakeGoogle({
        ...METADATA,
        [`GET /compute/${GROUP}`]: () => ({ name: "pretrain-nodes-1a2b3c4", creationTimestamp: stamp }),
        "PUT /md/instance/guest-attributes/gpu-cluster/fabric-gate": () => "",
      });
      try {
        const expected = Date.now() / 1000 - Date.parse("2020-01-01T08:00:00Z") / 1000;
        const age = Number((await g.call("group-age")).trim());
        // The same instant in three forms: the same age, to the second the call takes.
        expect(Math.abs(age - expected)).toBeLessThan(5);
        await g.call("publish", "fabric-gate", "passed");
        const put = g.seen.find((r) => r.method === "PUT")!;
        expect(put).toMatchObject({ url: "/md/instance/guest-attributes/gpu-cluster/fabric-gate", body: "passed", flavor: "Google" });
      } finally {
        await g.close();
      }
    }
    // RHEL 8's platform python is 3.6 (https://access.redhat.com/documentation/en-us/red_hat_enterprise_linux/8/html/configuring_basic_system_settings/assembly_introduction-to-python_configuring-basic-system-settings,
    // read 2026-11-30): no datetime.fromisoformat (3.7), and the grammar parses as 3.6's.
    expect(NODE_API_SOURCE).not.toContain("fromisoformat(");
    // (the whole describe also passes under a real Python 3.6.15 first on PATH, where compile() is the grammar check)
    const grammar = "import ast, sys; src = sys.stdin.read(); ast.parse(src, feature_version=(3, 6)) if sys.version_info >= (3, 8) else compile(src, 'gpu-cluster-gcp', 'exec')";
    execFileSync("python3", ["-c", grammar], { input: NODE_API_SOURCE });
  });

  it("gate-pair retries a 403 (a grant still propagating) and a list without the node, then prints rank, first and second", async () => {
    const list = `POST /compute/${GROUP}/listManagedInstances?maxResults=500`;
    let asked = 0;
    const g = await fakeGoogle({
      ...METADATA,
      [list]: () => {
        asked += 1;
        if (asked <= 2) return new HttpError(403, "Required 'compute.instanceGroupManagers.get' permission");
        // The node itself is not listed yet on the third answer.
        const names = asked === 3 ? ["pretrain-a000"] : ["pretrain-q7zk", "pretrain-a000", "pretrain-zz99"];
        return { managedInstances: names.map((n, i) => ({ instance: instance(n), id: `${900 + i}` })) };
      },
    });
    try {
      const { stdout, stderr } = await g.callRetrying(60, "gate-pair");
      expect(stdout).toBe("1 pretrain-a000 pretrain-q7zk\n");
      expect(asked).toBe(4);
      expect(stderr).toContain("HTTP Error 403");
      expect(stderr).toContain("pretrain-q7zk is not yet among the group's 1 managed instances; retrying");
      // pair-ids: both ids, in the pair's order.
      expect((await g.callRetrying(60, "pair-ids", "pretrain-a000", "pretrain-q7zk")).stdout).toBe("901,900\n");
    } finally {
      await g.close();
    }
  });

  it("gate-pair gives up after its retry time with the last error (never an empty answer)", async () => {
    const g = await fakeGoogle({ ...METADATA, [`POST /compute/${GROUP}/listManagedInstances?maxResults=500`]: () => ({}) });
    try {
      const err = await g.callRetrying(0.3, "gate-pair").then(() => undefined, (e: { code: number; stderr: string }) => e);
      expect(err?.code).toBe(1);
      expect(err?.stderr).toContain("gpu-cluster-gcp: listing the group: pretrain-q7zk is not yet among the group's 0 managed instances (still failing after 0 s)");
    } finally {
      await g.close();
    }
  });

  it("refuses a VM no managed instance group created", async () => {
    const g = await fakeGoogle({ ...METADATA, "GET /md/instance/attributes/created-by": () => "projects/1/zones/us-central1-a/instances/x" });
    try {
      await expect(g.call("members")).rejects.toThrow(/not created by a zonal managed instance group/);
    } finally {
      await g.close();
    }
  });

  it("is installed by the startup script as written (the heredoc holds the source unchanged)", () => {
    const lines = nodeApiLines();
    const body = lines.slice(lines.findIndex((l) => l.endsWith("<<'GPU_CLUSTER_GCP'")) + 1, lines.indexOf("GPU_CLUSTER_GCP")).join("\n");
    expect(body + "\n").toBe(NODE_API_SOURCE);
  });
});

describe("gcp.acceptanceTest", () => {
  it.each([
    [{ gcp: { acceptanceTest: true }, gpu: { instanceType: "a3-megagpu-8g", nodes: 1 } }, /measures the fabric between two nodes/],
    [{ gcp: { acceptanceTest: "yes" } }, /gcp\.acceptanceTest/],
  ])("%j is a SpecError naming the field", (args, message) => {
    expect(() => new gpu.TrainingCluster("bad", { cloud: "gcp", region: "us-central1", gpu: { instanceType: "a3-megagpu-8g", nodes: 2 }, ...args } as gpu.TrainingClusterArgs)).toThrow(SpecError);
    expect(() => new gpu.TrainingCluster("bad", { cloud: "gcp", region: "us-central1", gpu: { instanceType: "a3-megagpu-8g", nodes: 2 }, ...args } as gpu.TrainingClusterArgs)).toThrow(message);
  });
});
