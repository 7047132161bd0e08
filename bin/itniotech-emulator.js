#!/usr/bin/env node
// `itniotech-emulator`. A committed file, not dist/emulator/cli.js itself: npm links a
// package's bins when it installs it, and in a fresh clone of the repository (which
// depends on itself through "file:.") dist/ does not exist yet at that moment, so a bin
// pointing into dist/ would silently not be linked.
"use strict";
const path = require("node:path");
const cli = path.join(__dirname, "..", "dist", "emulator", "cli.js");
try {
  require.resolve(cli);
} catch {
  process.stderr.write(
    "itniotech-emulator: dist/ is missing; run `npm run build` in the repository first.\n",
  );
  process.exit(1);
}
require(cli);
