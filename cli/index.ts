#!/usr/bin/env node
/**
 * `itniotech` (the package's bin): brings an Itniotech Voice application's existing
 * phone groups under Pulumi — `export` writes declarations, `inventory` compares the
 * platform with stack states, `passwords` prints a group's passwords for a secret manager. The commands live in main.ts, runnable in-process.
 */
import { main } from "./main";

main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  // A getter: touching process.stdin opens it, which only `--state -` needs.
  get stdin() {
    return process.stdin;
  },
  env: process.env,
  cwd: process.cwd(),
}).then(
  (code) => {
    // Not process.exit(): it could cut a large export piped to stdout short.
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`itniotech: unexpected error: ${String(e)}\n`);
    process.exitCode = 1;
  },
);
