// Load a policy pack exactly as `pulumi preview --policy-pack <dir>` does: Pulumi's own runner
// (@pulumi/pulumi cmd/run-policy-pack/run.js, resolved from the pack's folder) picks TypeScript and
// ts-node (tsutils.typeScriptRequireStrings), registers ts-node with type checking, and requires the pack.
// Only `PolicyPack` is replaced, by a recorder: the real one starts a gRPC server for the engine.
// Usage: node run-policy-pack.cjs <pack dir>; prints what the pack declared, as JSON, on stdout.
const path = require("node:path");
const packDir = path.resolve(process.argv[2]);
process.chdir(packDir);
const fromPack = (id) => require.resolve(id, { paths: [packDir] });
const pulumiDir = path.dirname(fromPack("@pulumi/pulumi/package.json"));
// @pulumi/policy's index re-exports `PolicyPack` through a getter over its policy.js module: replace it there.
const policyModule = require(path.join(path.dirname(fromPack("@pulumi/policy")), "policy.js"));
const packs = [];
policyModule.PolicyPack = class RecordedPolicyPack {
  constructor(name, args, initialConfig) {
    packs.push({ name, args, initialConfig });
  }
};
const tsutils = require(path.join(pulumiDir, "tsutils"));
const selected = tsutils.typeScriptRequireStrings();
const { run } = require(path.join(pulumiDir, "cmd/run-policy-pack/run"));
run({ argv: { _: [packDir] }, typeScript: true, programStarted() {}, reportLoggedError() {} }).then(
  () => {
    const ts = require(selected.typescriptRequire);
    process.stdout.write(
      JSON.stringify({
        typescript: { version: ts.version, from: path.relative(packDir, selected.typescriptRequire) },
        tsNode: path.relative(packDir, require.resolve(selected.tsnodeRequire)),
        packs: packs.map((p) => ({ name: p.name, policies: p.args.policies.map((x) => ({ name: x.name, enforcementLevel: x.enforcementLevel, configSchema: x.configSchema })) })),
      }),
    );
  },
  (err) => {
    process.stderr.write(`${(err && err.stack) || err}\n`);
    process.exit(1);
  },
);
