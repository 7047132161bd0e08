import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const ROOT = path.resolve(__dirname, "../..");
const SOURCES = ["emulator", "protocol"];

/**
 * The emulator compiled from the sources as they are now, with the package's own
 * build options, into a private folder: `dist/` may be stale (a plain `npx jest`
 * does not build), and rebuilding it would race other suites and other engineers
 * that read it. Only the emulator and protocol files are compiled, so a file
 * elsewhere that briefly fails to compile cannot break these tests. The folder is
 * keyed by a hash of the sources and reused, so suites share one compile.
 */
export async function buildEmulator(): Promise<{ cli: string; persistence: string }> {
  const hash = createHash("sha256");
  for (const folder of SOURCES)
    for (const file of readdirSync(path.join(ROOT, folder)).sort())
      if (file.endsWith(".ts")) hash.update(file).update(readFileSync(path.join(ROOT, folder, file)));
  hash
    .update(readFileSync(path.join(ROOT, "tsconfig.json")))
    .update(readFileSync(path.join(ROOT, "tsconfig.build.json")));
  const out = path.join(tmpdir(), `itniotech-emulator-build-${hash.digest("hex").slice(0, 16)}`);
  const result = {
    cli: path.join(out, "emulator", "cli.js"),
    persistence: path.join(out, "emulator", "persistence.js"),
  };
  if (existsSync(result.cli)) return result;

  const staging = `${out}.${process.pid}.tmp`;
  mkdirSync(staging, { recursive: true });
  const config = path.join(staging, "tsconfig.json");
  writeFileSync(
    config,
    JSON.stringify({
      extends: path.join(ROOT, "tsconfig.build.json"),
      compilerOptions: {
        rootDir: ROOT,
        outDir: staging,
        declaration: false,
        sourceMap: false,
        typeRoots: [path.join(ROOT, "node_modules/@types")],
      },
      files: [path.join(ROOT, "emulator/cli.ts")],
      include: [],
    }),
  );
  try {
    await promisify(execFile)(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", config], {
      cwd: ROOT,
    });
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    const { stdout } = e as { stdout?: string };
    throw new Error(`the emulator does not compile:\n${stdout ?? String(e)}`, { cause: e });
  }
  try {
    // Atomic publish: a concurrent suite sees no folder or a complete one.
    renameSync(staging, out);
  } catch {
    // Another suite published the same sources first.
    rmSync(staging, { recursive: true, force: true });
  }
  return result;
}
