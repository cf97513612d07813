import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import * as gpu from "gpu-cluster";
import { main } from "../lib/cli/main.js";
import { runOffline } from "../lib/preview/offline.js";

const exec = promisify(execFile);
const ROOT = path.resolve(__dirname, "..");

/** Run the CLI as a user does (a fresh Node process loading TypeScript programs through tsx). */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, ["--import", "tsx", "lib/cli/main.ts", ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** In-process run of the pure commands, capturing output. */
async function inProcess(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(args, (t) => void (out += `${t}\n`), (t) => void (err += `${t}\n`));
  return { code, out, err };
}

function programDir(source: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gpu-cluster-plan-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: t\nruntime: nodejs\nmain: index.ts\n");
  fs.writeFileSync(path.join(dir, "index.ts"), `import * as gpu from ${JSON.stringify(path.join(ROOT, "lib/index.ts"))};\n${source}`);
  return dir;
}

describe("gpu-cluster plan (offline preview)", () => {
  it("prints the same monthly figure as estimateCost and the component's costEstimate output", async () => {
    const { code, stdout } = await cli("plan", "examples/aws-h100-training", "--format", "json");
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    const fromCli = report.components[0].estimate.monthlyUsd;

    const fromFunction = gpu.estimateCost({
      cloud: "aws",
      region: "us-east-1",
      gpu: { model: "H100", count: 256 },
      storage: [
        { kind: "lustre", capacityTiB: 120, tier: "persistent-125", mountPath: "/data", importPath: "s3://my-training-data/corpus" },
        { kind: "object", capacityTiB: 50 },
      ],
      egress: { internetTiBPerMonth: 20 },
    }).monthlyUsd;

    let fromOutput: number | undefined;
    const run = await runOffline(async () => {
      const program = await import("../examples/aws-h100-training/index.js");
      program.monthlyUsd.apply((usd: number) => void (fromOutput = usd));
    });
    expect(run.error).toBeUndefined();

    // compute 1,285,734.40 + Lustre 120,000 GiB × $0.145 = 17,400.00 + S3 50 TiB × $0.023 = 1,177.60 + egress 1,792.00 + NAT 954.45
    // + root volumes 32 × 200 GiB × $0.08 = 512 + pulls through the NAT 32 × 50 GiB × $0.045 = 72 + its IP 3.65
    // + the cluster SSH key's secret 0.40 and KMS key 1.00
    expect(fromCli).toBe(1_307_647.5);
    expect(fromFunction).toBe(fromCli);
    expect(fromOutput).toBe(fromCli);
    expect(report.resources.filter((r: { type: string }) => r.type === "aws:autoscaling/group:Group")).toHaveLength(1);
  });

  it("prints the tree, the cost table and the verdict as text; markdown for PR comments", async () => {
    const text = await cli("plan", ".");
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("gpu-cluster:index:TrainingCluster  quickstart");
    expect(text.stdout).toContain("interfaces=1×efa+31×efa-only imds=v2-only");
    expect(text.stdout).toMatch(/quickstart: 4 × p5\.48xlarge \(aws us-east-1, on-demand\) \$\d/);
    expect(text.stdout).toContain("Verdict: within budget (exit 0)");
    const md = await cli("plan", ".", "--format", "markdown");
    expect(md.stdout).toContain("### gpu-cluster cost estimate");
    expect(md.stdout).toContain("| category | line | quantity | unit price | USD/month |");
  });

  it("exits 3 when a fail budget is exceeded, before any resource is created", async () => {
    const dir = programDir(`new gpu.TrainingCluster("big", { cloud: "aws", region: "us-east-1", gpu: { model: "H100", count: 64 }, budget: { monthlyUsd: 100000, onExceed: "fail" } });`);
    const { code, stdout } = await cli("plan", dir);
    expect(code).toBe(3);
    // 8 × 730 h × $55.04 + NAT 32.85 + root volumes 8 × 200 GiB × $0.08 + pulls 400 GiB × $0.045 + the NAT's IP 3.65
    // + the cluster SSH key's secret 0.40 and KMS key 1.00
    expect(stdout).toMatch(/OVER BUDGET \(fail\): \$321,617\.50\/month exceeds \$100,000\.00/);
    expect(stdout).toContain("Resources (1):"); // only the component itself: no child was created
  });

  it("exits 0 and warns when a warn budget is exceeded", async () => {
    const dir = programDir(`new gpu.TrainingCluster("big", { cloud: "aws", region: "us-east-1", gpu: { model: "H100", count: 16 }, budget: { monthlyUsd: 1000 } });`);
    const { code, stdout } = await cli("plan", dir);
    expect(code).toBe(0);
    expect(stdout).toMatch(/OVER BUDGET \(warn\)/);
  });

  it("exits 2 with the SpecError on a bad spec", async () => {
    const dir = programDir(`new gpu.TrainingCluster("bad", { cloud: "gcp", region: "us-central1", gpu: { model: "H100", count: 16 }, fabric: "infiniband" });`);
    const { code, stdout } = await cli("plan", dir);
    expect(code).toBe(2);
    expect(stdout).toContain("SpecError: fabric: 'infiniband' is not offered on gcp; use 'auto' (gpudirect-tcpxo on a3-megagpu-8g) or choose azure/coreweave");
  });
});

describe("gpu-cluster estimate takes the component's inputs (issue 15: a reservation id, an existing cluster)", () => {
  const P5_EKS = ["estimate", "--cloud", "aws", "--region", "us-east-1", "--instance-type", "p5.48xlarge", "--nodes", "4", "--orchestrator", "kubernetes", "--format", "json"];

  it("--option eks.clusterName prices an existing cluster: no control plane, system pool or NAT, only the GPU nodes", async () => {
    // The component's option check runs first: an existing cluster's node group needs its VPC and a private subnet.
    const refused = await inProcess(...P5_EKS, "--option", "eks.clusterName=prod");
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/SpecError: aws\.eks\.clusterName: an existing cluster's GPU node group needs the cluster's VPC and a private subnet/);
    const shared = JSON.parse((await inProcess(...P5_EKS, "--option", "eks.clusterName=prod", "--option", "vpcId=vpc-0a1b", "--option", 'subnetIds=["subnet-a","subnet-b"]')).out);
    // 4 nodes × 730 h × $55.04 = $160,716.80; their root disks 4 × 200 GiB × $0.08 = $64.00.
    expect(shared.lines.map((l: { monthlyUsd: number }) => l.monthlyUsd)).toEqual([160_716.8, 64]);
    expect(shared.monthlyUsd).toBe(160_780.8);
    const created = JSON.parse((await inProcess(...P5_EKS)).out);
    // A new cluster adds the EKS control plane: 730 h × $0.10 = $73.00, among its cluster lines.
    expect(created.lines.find((l: { description: string }) => /control plane/.test(l.description)).monthlyUsd).toBe(73);
    expect(created.monthlyUsd).toBeGreaterThan(shared.monthlyUsd);
  });

  it("--pricing spot prices a type SkyPilot's catalog gives a spot price for (g5.xlarge, us-east-1)", async () => {
    const r = await inProcess("estimate", "--cloud", "aws", "--region", "us-east-1", "--instance-type", "g5.xlarge", "--count", "1",
      "--pricing", "spot", "--format", "json");
    expect(r.code).toBe(0);
    // 730 h × $0.5617 (skypilot-org/skypilot-catalog@be265a96 catalogs/v5/aws/vms.csv, middle us-east-1 zone) = $410.04.
    expect(JSON.parse(r.out).lines[0]).toMatchObject({ unitPriceUsd: 0.5617, monthlyUsd: 410.04, asOf: "2023-12-13" });
  });

  it("--reservation-id and --zone price a capacity block as the component would", async () => {
    const r = await inProcess("estimate", "--cloud", "aws", "--region", "us-east-1", "--instance-type", "p5.48xlarge", "--nodes", "4",
      "--pricing", "capacity-block", "--reservation-id", "cr-0123456789abcdef0", "--zone", "us-east-1a", "--format", "json");
    expect(r.code).toBe(0);
    const e = JSON.parse(r.out);
    // 4 nodes × 730 h × $39.33 (the catalog's indicative block rate) = $114,843.60.
    expect(e.lines[0]).toMatchObject({ monthlyUsd: 114_843.6 });
    expect(e.pricing).toBe("capacity-block");
    // Without the zone, as in a program, a reservation is refused before anything is priced.
    const noZone = await inProcess("estimate", "--cloud", "aws", "--region", "us-east-1", "--instance-type", "p5.48xlarge", "--nodes", "4",
      "--pricing", "capacity-block", "--reservation-id", "cr-0123456789abcdef0");
    expect(noZone.code).toBe(2);
    expect(noZone.err).toMatch(/SpecError: zone/);
  });

  it("--option values: JSON lists and strings, and a version's digits stay text (1.30 is not 1.3)", async () => {
    const { cloudOptionFlags } = await import("../lib/cli/flags.js");
    expect(cloudOptionFlags(["subnetIds=[\"subnet-a\",\"subnet-b\"]", "eks.kubernetesVersion=1.30", "rootVolumeGiB=512", "eks.publicEndpoint=false", "image=\"1.5\""])).toEqual({
      subnetIds: ["subnet-a", "subnet-b"], eks: { kubernetesVersion: "1.30", publicEndpoint: false }, rootVolumeGiB: 512, image: "1.5",
    });
    const bad = await inProcess(...P5_EKS, "--option", "subnetIds=[subnet-a]");
    expect(bad.err).toMatch(/SpecError: --option: 'subnetIds=\[subnet-a\]': the value is not JSON/);
  });

  it("a misspelt or malformed --option is a SpecError naming it, exit 2", async () => {
    const typo = await inProcess(...P5_EKS, "--option", "eks.clustrName=prod");
    expect(typo.code).toBe(2);
    expect(typo.err).toMatch(/aws\.eks\.clustrName: is not a known field; did you mean 'clusterName'/);
    for (const bad of ["noequals", "=x", "eks..clusterName=a", "__proto__.x=1"]) {
      const r = await inProcess(...P5_EKS, "--option", bad);
      expect(r.code, bad).toBe(2);
      expect(r.err, bad).toMatch(/SpecError: --option: '.*' is not key\.path=value/);
    }
    const clash = await inProcess(...P5_EKS, "--option", "eks=1", "--option", "eks.clusterName=a");
    expect(clash.err).toMatch(/SpecError: --option: .* which another --option gave a value/);
  });
});

describe("gpu-cluster estimate takes every input the components take (issue 15: --spec, fleet and egress flags, storage fields)", () => {
  function specFile(args: unknown): string {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gpu-cluster-spec-")), "args.json");
    fs.writeFileSync(file, typeof args === "string" ? args : JSON.stringify(args));
    return file;
  }
  // An internet-facing Azure fleet, its HTTPS settings in the azure bag, exactly as a program passes them.
  const FLEET = {
    cloud: "azure", region: "eastus", gpu: { instanceType: "Standard_NC24ads_A100_v4" },
    replicas: { min: 2, max: 4 }, loadBalancer: "internet-facing", egress: { servedTiBPerMonth: 1 },
    azure: {
      sshPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGpuLWNsdXN0ZXItdGVzdC1rZXktb25seS1mb3ItdGVzdHM test",
      allowedSourceRanges: ["203.0.113.0/24"], tlsCertificateSecretId: "https://gpu-vault.vault.azure.net/secrets/serve-cert",
      tlsKeyVaultId: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/certs/providers/Microsoft.KeyVault/vaults/gpu-vault",
    },
  };
  const line = (e: { lines: { description: string; monthlyUsd: number }[] }, re: RegExp) => e.lines.find((l) => re.test(l.description));

  it("--spec prices the component's args, option bag included, to the figure estimateCost gives the component", async () => {
    const r = await inProcess("estimate", "--spec", specFile(FLEET), "--format", "json");
    expect(r.code).toBe(0);
    const e = JSON.parse(r.out);
    const { azure, ...spec } = FLEET;
    expect(e.monthlyUsd).toBe(gpu.estimateCost(spec as gpu.FleetSpec, azure).monthlyUsd);
    // What only an internet-facing fleet has: the Application Gateway, 730 h × $0.20 = $146.00, and the served TiB
    // as internet egress, 1,024 GiB × $0.087 (eastus, first tier) = $89.09.
    expect(line(e, /Application Gateway Standard_v2/)?.monthlyUsd).toBe(146);
    expect(line(e, /internet egress/)?.monthlyUsd).toBe(89.09);
    // A flag overrides the file's field, keeping its siblings: --served-tib 2 doubles the served egress,
    // 2,048 GiB × $0.087 = $178.18, on the same internet-facing fleet.
    const more = JSON.parse((await inProcess("estimate", "--spec", specFile(FLEET), "--served-tib", "2", "--format", "json")).out);
    expect(line(more, /internet egress/)?.monthlyUsd).toBe(178.18);
    expect(line(more, /Application Gateway Standard_v2/)?.monthlyUsd).toBe(146);
    // The component's option check runs on the file's options: the gateway's certificate is for an internet-facing
    // fleet only, so overriding the scheme to internal is refused as the component refuses it.
    const internal = await inProcess("estimate", "--spec", specFile(FLEET), "--load-balancer", "internal");
    expect(internal.code).toBe(2);
    expect(internal.err).toMatch(/SpecError: azure\.tlsCertificateSecretId: applies to an internet-facing fleet's Application Gateway only/);
  });

  it("a --replicas-min alone keeps the file's replicas.max (the worst case the budget checks)", async () => {
    const { specFromFlags, specFileFlag } = await import("../lib/cli/flags.js");
    const flags = { spec: specFile(FLEET), "replicas-min": "3" };
    expect((specFromFlags(flags, undefined, specFileFlag(flags)) as gpu.FleetSpec).replicas).toEqual({ min: 3, max: 4 });
    const both = { spec: specFile(FLEET), "replicas-max": "9" };
    expect((specFromFlags(both, undefined, specFileFlag(both)) as gpu.FleetSpec).replicas).toEqual({ min: 2, max: 9 });
  });

  it("--storage takes the entry's other fields: an Azure Managed Lustre quote prices what was refused without it", async () => {
    const base = ["estimate", "--cloud", "azure", "--region", "eastus", "--instance-type", "Standard_ND96isr_H100_v5", "--nodes", "2", "--format", "json"];
    const refused = await inProcess(...base, "--storage", "lustre:48:premium-250:/data");
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/SpecError: storage\[0\]\.contractUsdPerGiBMonth: .* no public price/);
    const quoted = JSON.parse((await inProcess(...base, "--storage", "lustre:48:premium-250:/data,contractUsdPerGiBMonth=0.2")).out);
    // 48 TiB = 49,152 GiB × $0.20 = $9,830.40.
    expect(line(quoted, /Azure Managed Lustre/)?.monthlyUsd).toBe(9_830.4);
  });

  it("egress flags: --pulled-tib prices the NAT's inbound processing, --nat-gateway false builds endpoints instead", async () => {
    const base = ["estimate", "--cloud", "aws", "--region", "us-east-1", "--instance-type", "g6.xlarge", "--nodes", "2", "--format", "json"];
    const pulled = JSON.parse((await inProcess(...base, "--pulled-tib", "2")).out);
    // 2 TiB = 2,048 GiB × $0.045 NAT data processing = $92.16 (the default would be 2 nodes × 50 GiB = $4.50).
    expect(line(pulled, /NAT data processed/)?.monthlyUsd).toBe(92.16);
    const airGapped = JSON.parse((await inProcess(...base, "--nat-gateway", "false")).out);
    expect(line(airGapped, /NAT/)).toBeUndefined();
    // 9 interface endpoints × 1 zone × 730 h × $0.01 = $65.70.
    expect(line(airGapped, /interface VPC endpoints/)?.monthlyUsd).toBe(65.7);
  });

  it.each([
    ["an unknown key in the file", () => ["--spec", specFile({ ...FLEET, replica: 2 })], /SpecError: --spec: replica: is not a field of the component's args; did you mean 'replicas'/],
    ["a file that is not JSON", () => ["--spec", specFile("{cloud: azure")], /SpecError: --spec: '.*' is not JSON/],
    ["a file that is a list", () => ["--spec", specFile([FLEET])], /SpecError: --spec: '.*' holds .*, not an object/],
    ["a missing file", () => ["--spec", "/nonexistent/args.json"], /SpecError: --spec: cannot read '\/nonexistent\/args\.json': ENOENT/],
    ["another cloud's options", () => ["--spec", specFile({ ...FLEET, aws: { rootVolumeGiB: 100 } })], /SpecError: --spec: aws: options for aws were given, but cloud is 'azure'/],
    ["an unknown storage field", () => ["--cloud", "aws", "--region", "us-east-1", "--gpu", "H100", "--count", "8", "--storage", "lustre:1.2,efa=yes"], /SpecError: --storage: efa=yes is not true or false/],
    ["a misspelt storage field", () => ["--cloud", "aws", "--region", "us-east-1", "--gpu", "H100", "--count", "8", "--storage", "lustre:1.2,metadataIOPS=3000"], /SpecError: --storage: 'metadataIOPS=3000' .* did you mean 'metadataIops'/],
    ["a load balancer without replicas", () => ["--cloud", "aws", "--region", "us-east-1", "--gpu", "L4", "--load-balancer", "internet-facing"], /SpecError: --load-balancer: is a fleet's input, and no replicas were given/],
    ["a NAT switch that is not a boolean", () => ["--cloud", "aws", "--region", "us-east-1", "--gpu", "L4", "--nat-gateway", "no"], /SpecError: --nat-gateway: 'no' is not true or false/],
  ])("%s is a SpecError naming it, exit 2", async (_what, args, message) => {
    const r = await inProcess("estimate", ...args());
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });
});

describe("gpu-cluster estimate / compare / catalog", () => {
  it("estimate prints the cost table", async () => {
    const { code, out } = await inProcess("estimate", "--cloud", "aws", "--region", "us-east-1", "--gpu", "H100", "--count", "16", "--storage", "lustre:1.2");
    expect(code).toBe(0);
    expect(out).toContain("2 × p5.48xlarge (16 × H100), on-demand, 730 h");
    expect(out).toContain("$174.00"); // 1,200 GiB × $0.145
  });

  it("estimate --format json gives the CostEstimate", async () => {
    const { out } = await inProcess("estimate", "--cloud", "coreweave", "--region", "US-EAST-04", "--gpu", "H100", "--count", "8", "--format", "json");
    expect(JSON.parse(out).monthlyUsd).toBe(35_945.2); // 730 h × $49.24
  });

  it("bad flags exit 2 with the SpecError text", async () => {
    const count = await inProcess("estimate", "--cloud", "aws", "--region", "us-east-1", "--gpu", "H100", "--count", "ten");
    expect(count).toMatchObject({ code: 2, err: expect.stringContaining("SpecError: --count: 'ten' is not a number") });
    const model = await inProcess("estimate", "--cloud", "aws", "--region", "us-east-1", "--gpu", "H10", "--count", "8");
    expect(model).toMatchObject({ code: 2, err: expect.stringContaining("gpu.model: 'H10' is not valid; did you mean 'H100'") });
    const unknown = await inProcess("estimate", "--colud", "aws");
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("SpecError: --colud: is not a known flag; did you mean '--cloud'?");
  });

  const ESTIMATE = ["estimate", "--cloud", "aws", "--region", "us-east-1", "--gpu", "H100"];
  /** [what, argv, the SpecError line's start (path: problem)] */
  const BAD_ARGUMENTS: [string, string[], string][] = [
    ["a hex count", [...ESTIMATE, "--count", "0x40"], "SpecError: --count: '0x40' is not a number; give plain decimal digits"],
    ["an exponent count", [...ESTIMATE, "--count", "1e3"], "SpecError: --count: '1e3' is not a number"],
    ["a fractional count", [...ESTIMATE, "--count", "8.5"], "SpecError: --count: '8.5' is not a whole number"],
    ["an Infinity budget", [...ESTIMATE, "--count", "8", "--budget", "Infinity"], "SpecError: --budget: 'Infinity' is not a number"],
    ["a budget above the limit", [...ESTIMATE, "--count", "8", "--budget", "1".padEnd(20, "0")], "SpecError: budget.monthlyUsd: 10000000000000000000 is too large"],
    ["--storage with an extra field", [...ESTIMATE, "--count", "8", "--storage", "lustre:12:persistent-125:/data:extra"], "SpecError: --storage: 'lustre:12:persistent-125:/data:extra' is not kind:TiB[:tier[:mountPath]]"],
    ["--storage without a kind", [...ESTIMATE, "--count", "8", "--storage", ":1"], "SpecError: --storage: ':1' is not kind:TiB"],
    ["--storage with a hex capacity", [...ESTIMATE, "--count", "8", "--storage", "object:0x10"], "SpecError: --storage: 'object:0x10' is not kind:TiB"],
    ["a flag without its value", [...ESTIMATE, "--count"], "SpecError: --count: needs a value"],
    ["a value on a switch", ["estimate", "--help=yes"], "SpecError: --help: takes no value"],
    ["an unknown command", ["frobnicate"], "SpecError: command: 'frobnicate' is not a command; valid: 'plan', 'estimate', 'compare', 'catalog'"],
    ["an unknown cloud in --clouds", ["compare", "--gpu", "H100", "--count", "8", "--clouds", "aws,constructor"], "SpecError: --clouds: 'constructor' is not a cloud"],
    ["a GPU model every place refuses", ["compare", "--gpu", "constructor", "--count", "8"], "SpecError: gpu.model: 'constructor' is not valid"],
    ["an unknown GPU in catalog", ["catalog", "--gpu", "H1000"], "SpecError: --gpu: 'H1000' is not a GPU model; did you mean 'H100'?"],
    ["a negative --stale-days (read as a flag)", ["catalog", "--stale-days", "-5"], "SpecError: --stale-days: needs a value"],
    ["catalog refresh --input naming a missing file", ["catalog", "refresh", "--cloud", "aws", "--input", "/no/such/offer.json"], "SpecError: --input: '/no/such/offer.json' does not exist"],
    ["catalog refresh --input naming a file that is no price response", ["catalog", "refresh", "--cloud", "azure", "--input", "package.json", "--out", os.tmpdir()], "SpecError: --input: is not a saved azure price API response"],
    ["plan of a folder without a program", ["plan", "/no/such/program"], "SpecError: dir: no Pulumi program in /no/such/program"],
  ];

  it.each(BAD_ARGUMENTS)("exits 2 with a SpecError naming the argument: %s", async (_what, argv, line) => {
    const { code, out, err } = await inProcess(...argv);
    expect(code).toBe(2);
    expect(err.startsWith(line)).toBe(true);
    expect(out).toBe("");
  });

  it("prints no stack trace for a bad argument, run as a user runs it", async () => {
    const { code, stdout, stderr } = await cli("catalog", "refresh", "--cloud", "gcp", "--input", "/no/such/skus.json");
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.trim()).toBe("SpecError: --input: '/no/such/skus.json' does not exist; give the path of a saved price API response (JSON)");
  });

  it("compare ranks clouds and says which were excluded", async () => {
    const { code, out } = await inProcess("compare", "--gpu", "B200", "--count", "16", "--clouds", "aws,coreweave,azure");
    expect(code).toBe(0);
    const ranks = out.split("\n").filter((l) => /^\s+\d+\s/.test(l));
    expect(ranks.length).toBeGreaterThan(1);
    // Each place shows its compute price's own date (a 2023 spot row must look its age next to a 2026 one).
    expect(out.split("\n")[0]).toMatch(/^rank\s+cloud\s+region\s+instance\s+nodes\s+USD\/month \(worst case\)\s+price as of$/);
    for (const rank of ranks) expect(rank).toMatch(/\$[\d,]+\.\d\d\s+(\d{4}-\d{2}-\d{2}|undated|spec)$/);
    expect(out).toMatch(/excluded azure: gpu\.model: B200 is not offered on azure/);
  });

  it("catalog lists instance facts and prices; --stale-days lists old figures", async () => {
    const listing = await inProcess("catalog", "--cloud", "aws", "--gpu", "H100");
    // The cheapest region first in the range (us-east-1, $55.04), the dearest after it.
    expect(listing.out).toMatch(/p5\.48xlarge\s+8 × H100\s+32× efa 3200 Gbps\s+\$55\.04–\$\d[\d,.]*\s+.*us-east-1/);
    // Every row's columns start at the same offsets as the header's (one table across clouds).
    const all = (await inProcess("catalog")).out.split("\n").filter((l) => l.startsWith("  "));
    const regionsAt = all[0]!.indexOf("regions");
    expect(regionsAt).toBeGreaterThan(0);
    for (const row of all.slice(1)) expect(row.slice(regionsAt - 2, regionsAt), row).toBe("  ");
    for (const row of all.slice(1)) expect(row[regionsAt - 3], row).not.toBe(" ");
    const stale = await inProcess("catalog", "--stale-days", "365");
    expect(stale.out).toMatch(/figure\(s\) older than 365 days/);
    expect(stale.out).toContain("capacity-block"); // the 2024 capacity block rates are older than a year
    // Issue 15 ("catalog --stale-days must tell the truth"): figures whose source states no date are listed as undated,
    // of unknown age, whatever N is; neither hidden nor aged from the day they were read. The GPU facts are listed too.
    for (const days of ["365", "100000"]) {
      const out = (await inProcess("catalog", "--stale-days", days)).out;
      const at = out.search(/\n\d+ undated figure\(s\), age unknown/);
      expect(at).toBeGreaterThan(0);
      const undated = out.slice(at);
      expect(undated).toMatch(/\n {2}undated {2}aws {8}storage lustre persistent-125 {2}— https:\/\/c3x\.dev\//);
      expect(undated).toMatch(/\n {2}undated {2}azure {6}network prices {2}— /);
      expect(undated).toMatch(/\n {2}undated {2}\* {10}gpu H100 memory and BF16 peak {2}— https:\/\/www\.nvidia\.com\//);
    }
    // A dated GPU fact ages like any figure: GB300's memory (Azure's ND GB300 v6 page, ms.date 2025-11-13).
    const old = (await inProcess("catalog", "--stale-days", "0")).out;
    expect(old).toMatch(/\n {2}2025-11-13 {2}\* {10}gpu GB300 memory and BF16 peak {2}— https:\/\/learn\.microsoft\.com\//);
  });
});

describe("gpu-cluster plan: stack config, scope and output", () => {
  const PULUMI = JSON.stringify(path.join(ROOT, "node_modules/@pulumi/pulumi"));
  const AWS = JSON.stringify(path.join(ROOT, "node_modules/@pulumi/aws"));
  /** A program that reads its node count with requireNumber, a secret, logs, and owns an RDS instance gpu-cluster does not price. */
  function configuredProgram(): string {
    const dir = programDir(`import * as pulumi from ${PULUMI};
import * as aws from ${AWS};
const config = new pulumi.Config();
const nodes = config.requireNumber("nodes");
export const token = config.requireSecret("hfToken");
export const team = config.requireObject<{ team: string }>("tags").team;
pulumi.log.info(\`planning \${nodes} nodes for \${team}\`);
console.log("hello from the program");
new gpu.TrainingCluster("train", { cloud: "aws", region: "us-east-1", gpu: { model: "H100", nodes }, budget: { monthlyUsd: 400_000, onExceed: "fail" } });
new aws.rds.Instance("db", { instanceClass: "db.t3.micro", engine: "postgres", allocatedStorage: 20 });
`);
    fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  t:nodes: 2\n  t:hfToken:\n    secure: AAABAKxyz0123\n  t:tags:\n    team: ml\n");
    return dir;
  }

  it("reads Pulumi.<stack>.yaml with --stack: requireNumber works, a secure value is a secret placeholder", async () => {
    const dir = configuredProgram();
    const text = await cli("plan", dir, "--stack", "dev");
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("config: Pulumi.dev.yaml: 3 keys (1 secret, as a placeholder: pass --config key=value to give one a value)");
    // 2 × p5.48xlarge × 730 h × $55.04 = $80,358.40 + NAT gateway 730 h × $0.045 = $32.85
    expect(text.stdout).toContain("train: 2 × p5.48xlarge (aws us-east-1, on-demand) $80,432.80/month");
    expect(text.stdout).toContain("  info: planning 2 nodes for ml");
    expect(text.stdout).toContain("  hello from the program");
    expect(text.stdout).not.toMatch(/info: train: 2 ×/); // the component's own cost log is the table, printed once
    expect(text.stdout).toContain("not priced: aws:rds/instance:Instance ×1");
    expect(text.stdout).toContain("not type-checked: plan strips TypeScript types (tsx)");

    const json = JSON.parse((await cli("plan", dir, "--stack", "dev", "--config", "nodes=4", "--format", "json")).stdout);
    expect(json.stack).toBe("dev");
    expect(json.worstCaseMonthlyUsd).toBe(160_827.7); // --config wins over the stack file: 4 nodes
    expect(json.notPriced).toEqual([{ type: "aws:rds/instance:Instance", count: 1 }]);
    expect(json.typeChecked).toBe(false);
    expect([...json.logs].sort()).toEqual(["hello from the program", "info: planning 4 nodes for ml"]);
  });

  it("without --stack says which stack files it did not read; an unknown stack is a SpecError", async () => {
    const dir = configuredProgram();
    const unread = await cli("plan", dir);
    expect(unread.code).toBe(1);
    expect(unread.stdout).toContain("config: stack files not read (Pulumi.dev.yaml): pass --stack <name>");
    expect(unread.stdout).toContain("Missing required configuration variable 't:nodes'");
    const unknown = await inProcess("plan", dir, "--stack", "prod");
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("SpecError: --stack: 'prod' has no Pulumi.prod.yaml in");
    expect(unknown.err).toContain("stacks with a file here: dev");
  });

  it("plans every directory it is given; the exit code is the worst verdict", async () => {
    const within = programDir(`new gpu.TrainingCluster("a", { cloud: "aws", region: "us-east-1", gpu: { model: "H100", nodes: 1 }, budget: { monthlyUsd: 100_000, onExceed: "fail" } });`);
    const over = programDir(`new gpu.TrainingCluster("b", { cloud: "aws", region: "us-east-1", gpu: { model: "H100", nodes: 4 }, budget: { monthlyUsd: 100_000, onExceed: "fail" } });`);
    const { code, stdout } = await cli("plan", within, over, "--format", "json");
    expect(code).toBe(3);
    const report = JSON.parse(stdout);
    expect(report.exitCode).toBe(3);
    expect(report.programs.map((p: { components: { name: string }[]; exitCode: number }) => [p.components[0]!.name, p.exitCode])).toEqual([["a", 0], ["b", 3]]);

    // Markdown: one section per program, the verdict stated once, a trailing newline.
    const md = await cli("plan", within, over, "--format", "markdown");
    expect(md.stdout.match(/### gpu-cluster cost estimate: `/g)).toHaveLength(2);
    expect(md.stdout.match(/OVER BUDGET/g)).toHaveLength(1);
    expect(md.stdout.endsWith("_\n")).toBe(true);
  });
});

describe("gpu-cluster plan --type-check", () => {
  /** A program folder with a Pulumi-template-like tsconfig; `source` after an import of the Pulumi SDK. */
  function typedProgram(source: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gpu-cluster-typed-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: typed\nruntime: nodejs\nmain: index.ts\n");
    fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, target: "es2020", module: "commonjs", moduleResolution: "node", skipLibCheck: true }, files: ["index.ts"] }));
    fs.writeFileSync(path.join(dir, "index.ts"), `import * as pulumi from ${JSON.stringify(path.join(ROOT, "node_modules/@pulumi/pulumi"))};\n${source}`);
    return dir;
  }

  it("stops on a type error as pulumi preview would (exit 1, the error with its line), and says which TypeScript it used", async () => {
    const dir = typedProgram(`const nodes: number = new pulumi.Config().get("nodes") ?? "8";\nconsole.log(nodes);\n`);
    const { code, stdout } = await cli("plan", dir, "--type-check");
    expect(code).toBe(1);
    expect(stdout).toContain("TSError: ⨯ Unable to compile TypeScript (pulumi preview would stop here):");
    expect(stdout).toContain("index.ts:2:7 - error TS2322: Type 'string' is not assignable to type 'number'.");
    expect(stdout).toMatch(/type-checked as pulumi preview would, with TypeScript 5\.\d+\.\d+ \(installed beside @pulumi\/pulumi\): 1 error/);
    expect(stdout).toContain("Resources (0):"); // the program never ran
    // Without --type-check the same program runs, and the report says it was not type-checked.
    const unchecked = await cli("plan", dir);
    expect(unchecked.code).toBe(0);
    expect(unchecked.stdout).toContain("not type-checked: plan strips TypeScript types (tsx)");
    expect(unchecked.stdout).toContain("Verdict: no gpu-cluster component in the program (exit 0)");
  });

  it("runs a program that type-checks, and honours PULUMI_NODEJS_TRANSPILE_ONLY as pulumi preview does", async () => {
    const dir = typedProgram(`const nodes: number = new pulumi.Config().getNumber("nodes") ?? 8;\nconsole.log(\`nodes \${nodes}\`);\n`);
    const json = JSON.parse((await cli("plan", dir, "--type-check", "--format", "json")).stdout);
    expect(json.typeChecked).toBe(true);
    expect(json.typeCheck).toMatch(/: no errors$/);
    expect(json.logs).toEqual(["nodes 8"]);
    const { stdout } = await exec(process.execPath, ["--import", "tsx", "lib/cli/main.ts", "plan", dir, "--type-check"], { cwd: ROOT, env: { ...process.env, PULUMI_NODEJS_TRANSPILE_ONLY: "true" } });
    expect(stdout).toContain("not type-checked: PULUMI_NODEJS_TRANSPILE_ONLY=true (pulumi preview skips it too)");
  });
});
