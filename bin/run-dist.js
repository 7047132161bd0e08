"use strict";
// The package's commands are committed files in bin/, not files in dist/: npm links a
// package's bins when it installs it, and in a fresh clone of the repository (which
// depends on itself through "file:.") dist/ does not exist yet at that moment, so a bin
// pointing into dist/ would silently not be linked. Each bin runs its dist/ file here.
const path = require("node:path");

/** Runs `dist/<file>` as the command `name`; without a build, says how to make one. */
module.exports = function runDist(name, file) {
  const target = path.join(__dirname, "..", "dist", file);
  try {
    require.resolve(target);
  } catch {
    process.stderr.write(`${name}: dist/ is missing; run \`npm run build\` in the repository first.\n`);
    process.exit(1);
  }
  require(target);
};
