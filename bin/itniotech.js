#!/usr/bin/env node
// `itniotech`. A committed file, not dist/cli/index.js itself, for the reason
// bin/itniotech-emulator.js gives: npm links a package's bins when it installs it, and
// in a fresh clone dist/ does not exist yet at that moment.
"use strict";
const path = require("node:path");
const cli = path.join(__dirname, "..", "dist", "cli", "index.js");
try {
  require.resolve(cli);
} catch {
  process.stderr.write("itniotech: dist/ is missing; run `npm run build` in the repository first.\n");
  process.exit(1);
}
require(cli);
