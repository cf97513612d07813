#!/usr/bin/env node
// Installed entry point: loads TypeScript Pulumi programs through tsx, then runs the built CLI.
require("tsx/cjs/api").register();
const { main } = require("../dist/lib/cli/main.js");
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`${(err && err.stack) || String(err)}\n`);
    process.exit(1);
  },
);
