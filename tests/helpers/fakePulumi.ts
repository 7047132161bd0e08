/** Stand-in `pulumi` executables for the tests of `npm start` and its CLI detection. */
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** Only node itself: the fake CLIs and the npm package's run.js start with `#!/usr/bin/env node`. */
export const NODE_DIR = path.dirname(process.execPath);

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `itniotech-${prefix}-`));
}

/** A `pulumi` executable in a fresh folder, running `body` (JS) with `args` = argv. */
export function fakeCli(body: string): { dir: string; command: string } {
  const dir = tempDir("bin");
  const command = path.join(dir, "pulumi");
  writeFileSync(command, `#!/usr/bin/env node\nconst args = process.argv.slice(2);\n${body}\n`);
  chmodSync(command, 0o755);
  return { dir, command };
}
