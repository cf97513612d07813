#!/usr/bin/env node
// Installed entry point: loads TypeScript Pulumi programs through tsx, then runs the built CLI.
require("tsx/cjs/api").register();
const { main, exitAfterFlush } = require("../dist/lib/cli/main.js");
main(process.argv.slice(2)).then(
  (code) => exitAfterFlush(code),
  (err) => {
    process.stderr.write(`${(err && err.stack) || String(err)}\n`);
    exitAfterFlush(1);
  },
);
